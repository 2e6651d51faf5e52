//! The OpenAPI 3 document (utoipa) and a plain HTML reference page rendered from it.

use crate::routes::{
    audit, auth, disputes, documents, files, iot, orgs, party, regions, routing, supervision,
    system, users,
};
use utoipa::OpenApi;
use utoipa::openapi::path::Operation;

#[derive(OpenApi)]
#[openapi(
    info(title = "Fengqiao 枫桥 API", description = "Municipal social governance platform: regions, organisations, users, audit. Errors use one envelope: {\"error\":{\"code\",\"message\",\"field\",\"details\"}}. Times are RFC 3339 UTC with microseconds.", license(name = "Apache-2.0")),
    paths(
        system::healthz,
        auth::login, auth::logout, auth::me,
        regions::list, regions::get, regions::create, regions::update,
        orgs::list, orgs::get, orgs::create, orgs::update,
        users::list, users::get, users::create, users::update, users::set_password, users::reveal,
        audit::recent, audit::for_entity, audit::verify,
        disputes::types, disputes::create, disputes::list, disputes::get, disputes::command, disputes::qr, disputes::qr_png,
        routing::for_case, routing::list, routing::save, routing::test,
        supervision::list, crate::routes::stats::disputes,
        iot::list_devices, iot::create_device, iot::get_device, iot::trajectory, iot::list_vehicles, iot::create_vehicle,
        iot::set_stolen, iot::stolen_board, iot::list_readers, iot::create_reader, iot::import, iot::live,
        iot::list_fences, iot::create_fence, iot::list_video_rules, iot::update_video_rule, iot::video_event,
        documents::document, documents::filing_package, documents::templates, documents::save_template,
        files::upload, files::list, files::download, files::submit, files::submissions, files::party_submit, files::party_upload,
        party::view, party::evaluate, party::reopen, party::request_confirmation,
        crate::routes::finance::calculate, crate::routes::finance::calculate_docx,
        crate::routes::finance::lpr, crate::routes::finance::update_lpr,
        crate::routes::finance::template, crate::routes::finance::templates, crate::routes::finance::save_template,
        crate::routes::finance::batches, crate::routes::finance::upload, crate::routes::finance::batch,
        crate::routes::finance::export, crate::routes::finance::case, crate::routes::finance::decide,
        crate::routes::finance::record_step, crate::routes::finance::document,
        crate::routes::calendar::overview, crate::routes::calendar::year, crate::routes::calendar::add_year,
        crate::routes::calendar::regional_days, crate::routes::calendar::set_regional_day,
        crate::routes::calendar::remove_regional_day, crate::routes::calendar::deadline,
        crate::routes::clocks::list, crate::routes::clocks::save, crate::routes::clocks::extend,
        crate::routes::taxonomy::create, crate::routes::taxonomy::update,
        crate::routes::intake_import::import, crate::routes::intake_import::template,
        crate::routes::party_reveal::reveal, crate::routes::online_filing::file, crate::routes::online_filing::options,
    ),
    components(schemas(crate::error::ErrorEnvelope, crate::error::ErrorBody)),
    modifiers(&SecurityAddon),
    tags(
        (name = "auth", description = "登录与会话"),
        (name = "regions", description = "区域：市、区县、街道、社区、网格"),
        (name = "organisations", description = "机构"),
        (name = "users", description = "用户与角色"),
        (name = "audit", description = "全程留痕"),
        (name = "disputes", description = "矛盾纠纷：受理、分流、调解、确认、办结"),
        (name = "routing", description = "分流规则与建议"),
        (name = "documents", description = "文书：受理通知书、调解协议书、司法确认申请书、立案材料"),
        (name = "alerts", description = "风险预警：预警台账、签收处置反馈办结、实时推送"),
        (name = "risk", description = "风险模型：规则参数与版本、试运行、电诈警情与劝阻任务"),
        (name = "iot", description = "物联感知：设备与读卡器登记、轨迹、被盗车辆布控、电子围栏、视频事件"),
        (name = "party", description = "当事人：凭解纷码查询、评价、申请复核"),
        (name = "calendar", description = "法定节假日与地方节假日、期限计算"),
        (name = "clocks", description = "法定时限与内部服务时限、延长审批"),
        (name = "system", description = "运行状态"),
        (name = "finance", description = "金融智审：计算器、LPR、批量金融借款案件"),
    )
)]
pub struct ApiDoc;

/// The whole document: the paths listed above plus each self-describing route module's own.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(crate::routes::grids::Api::openapi());
    doc.merge(crate::routes::basedata::Api::openapi());
    doc.merge(crate::routes::grid_events::Api::openapi());
    doc.merge(crate::routes::grid_catalogue::Api::openapi());
    doc.merge(crate::routes::summons::Api::openapi());
    doc.merge(crate::routes::hotline_import::Api::openapi());
    doc.merge(crate::routes::open311::Api::openapi());
    doc.merge(crate::routes::alerts::Api::openapi());
    doc.merge(crate::routes::risk::Api::openapi());
    doc
}

struct SecurityAddon;

impl utoipa::Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("fq_session"))),
        );
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Renders every operation with its parameters and responses as one static page.
pub fn render_reference(doc: &utoipa::openapi::OpenApi) -> String {
    let mut body = String::new();
    for (path, item) in &doc.paths.paths {
        let ops: [(&str, &Option<Operation>); 5] = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("PATCH", &item.patch),
            ("DELETE", &item.delete),
        ];
        for (method, op) in ops {
            let Some(op) = op else { continue };
            body.push_str(&format!(
                "<section><h3><span class=m>{method}</span> <code>{}</code></h3><p>{}</p>",
                escape(path),
                escape(
                    op.summary
                        .as_deref()
                        .or(op.description.as_deref())
                        .unwrap_or("")
                )
            ));
            if let Some(params) = &op.parameters {
                body.push_str(
                    "<table><tr><th>参数</th><th>位置</th><th>必填</th><th>说明</th></tr>",
                );
                for p in params {
                    body.push_str(&format!(
                        "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                        escape(&p.name),
                        serde_json::to_string(&p.parameter_in)
                            .unwrap_or_default()
                            .trim_matches('"'),
                        if matches!(p.required, utoipa::openapi::Required::True) {
                            "是"
                        } else {
                            "否"
                        },
                        escape(p.description.as_deref().unwrap_or(""))
                    ));
                }
                body.push_str("</table>");
            }
            let codes: Vec<String> = op.responses.responses.keys().map(|c| escape(c)).collect();
            body.push_str(&format!(
                "<p class=r>响应：{}</p></section>",
                codes.join(" · ")
            ));
        }
    }
    format!(
        "<!doctype html><html lang=zh-CN><head><meta charset=utf-8><title>{title} — API 参考</title>\
<style>body{{font-family:'Noto Sans CJK SC',sans-serif;max-width:960px;margin:2em auto;color:#1f2d3d}}\
section{{border-bottom:1px solid #e4e7ed;padding:.5em 0}}.m{{background:#409eff;color:#fff;border-radius:3px;padding:0 .4em}}\
table{{border-collapse:collapse}}td,th{{border:1px solid #dcdfe6;padding:2px 8px;text-align:left}}.r{{color:#606266}}</style></head>\
<body><h1>{title}</h1><p>{desc}</p><p>机器可读文档：<a href=/api/openapi.json>/api/openapi.json</a></p>{body}</body></html>",
        title = escape(&doc.info.title),
        desc = escape(doc.info.description.as_deref().unwrap_or("")),
    )
}
