//! Documents of a case — 受理通知书 (with code and QR), 调解协议书, 司法确认申请书, 立案材料 — as
//! docx or PDF from editable templates, and the online-filing package (网上立案) as JSON.

use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::{ApiJson, CurrentUser};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use fengqiao_docs::{
    FontSet, Template, default_template, default_templates, render, sample_context,
};
use fengqiao_domain::identifiers::ResidentId;
use fengqiao_domain::role::Role;
use fengqiao_domain::time::Timestamp;
use fengqiao_store::case_files::chinese_date;
use fengqiao_store::disputes::{CaseScope, DisputeDetail, PartyRow};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::sync::OnceLock;

/// Base of the public query page printed on notices (configurable later; the citizen page path).
const QUERY_PATH: &str = "/m/#/query";

fn fonts() -> ApiResult<&'static FontSet> {
    static FONTS: OnceLock<Result<FontSet, String>> = OnceLock::new();
    FONTS
        .get_or_init(|| FontSet::discover().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| ApiError::Internal(format!("PDF fonts unavailable: {e}")))
}

fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    let int = (fen / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped}.{:02}", fen % 100)
}

fn party_json(p: &PartyRow, state: &AppState) -> Value {
    // Gender and birth date come from the ID number itself; only the masked number is printed.
    let id = p
        .id_number_enc
        .as_deref()
        .and_then(|c| state.cipher.decrypt(c).ok())
        .and_then(|t| ResidentId::parse(&t).ok());
    let entity = p.kind == "entity";
    json!({
        "name": p.name,
        "gender": id.as_ref().map(|i| i.sex().label_zh()).unwrap_or("—"),
        "birth_date": id.as_ref().map(|i| { use chrono::Datelike; let d = i.birth_date(); format!("{}年{}月{}日", d.year(), d.month(), d.day()) }).unwrap_or_else(|| "—".into()),
        "address": if p.address.is_empty() { "—".to_owned() } else { p.address.clone() },
        "id_number": p.id_number_masked.clone().unwrap_or_else(|| "—".into()),
        "phone": p.phone_masked.clone().unwrap_or_else(|| "—".into()),
        "legal_representative": if entity { Some(p.legal_representative.clone().unwrap_or_else(|| "（未登记）".into())) } else { None },
        "credit_code": if entity { Some(p.credit_code.clone().unwrap_or_else(|| "（未登记）".into())) } else { None },
    })
}

fn event_date(detail: &DisputeDetail, command: &str) -> Option<Timestamp> {
    detail
        .events
        .iter()
        .rev()
        .find(|e| e.command == command)
        .map(|e| Timestamp::from_micros(e.at))
}

fn event_details(detail: &DisputeDetail, command: &str) -> Value {
    detail
        .events
        .iter()
        .rev()
        .find(|e| e.command == command)
        .and_then(|e| serde_json::from_str::<Value>(&e.detail_json).ok())
        .map(|v| v["details"].clone())
        .unwrap_or(Value::Null)
}

/// The template context of a real case (the same shape as `fengqiao_docs::sample_context`).
pub async fn context_for(
    state: &AppState,
    detail: &DisputeDetail,
    base_url: &str,
) -> ApiResult<Value> {
    let d = &detail.dispute;
    let now = state.clock.now();
    let types = state.store.dispute_types().await?;
    let type_name = types
        .iter()
        .find(|t| t.code == d.dispute_type)
        .map_or(d.dispute_type.clone(), |t| t.name_zh.clone());
    let handler = detail.assignments.iter().find(|a| a.kind == "handler");
    let org = match handler {
        Some(a) => state
            .store
            .get_org(&fengqiao_store::Scope::Everything, &a.org_id)
            .await
            .ok(),
        None => None,
    };
    let court = detail
        .assignments
        .iter()
        .find(|a| a.kind == "court")
        .map(|a| a.org_name.clone());
    let code = d.display_code();
    let created = Timestamp::from_micros(d.created_at);
    let year = {
        use chrono::Datelike;
        created.china_date().year()
    };
    let agreement = event_details(detail, "reach_agreement");
    let terms: Vec<String> = agreement["terms"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let attachments = state.store.attachments_of(&d.id).await?;
    let claims: Vec<String> = d
        .claims
        .split(['\n', '；', ';'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect();
    let fail_note = detail
        .events
        .iter()
        .rev()
        .find(|e| e.command == "fail")
        .and_then(|e| serde_json::from_str::<Value>(&e.detail_json).ok())
        .and_then(|v| v["note"].as_str().map(str::to_owned));
    Ok(json!({
        "case": {
            "code": code,
            "number": format!("（{year}）{}调受字第{}号", d.region_code, &d.code[d.code.len().saturating_sub(4)..]),
            "type": type_name,
            "accepted_on": chinese_date(event_date(detail, "accept").unwrap_or(created)),
            "facts": d.facts,
            "issues": d.claims,
            "responsibility": agreement["responsibility"].as_str().unwrap_or("（由调解员在协议中载明）"),
            "amount": yuan(d.amount_fen),
        },
        "applicants": detail.parties.iter().filter(|p| p.role == "applicant").map(|p| party_json(p, state)).collect::<Vec<_>>(),
        "respondents": detail.parties.iter().filter(|p| p.role == "respondent").map(|p| party_json(p, state)).collect::<Vec<_>>(),
        "org": {
            "name": org.as_ref().map_or("（尚未分派）".to_owned(), |o| o.name.clone()),
            "address": org.as_ref().map_or("—".to_owned(), |o| if o.address.is_empty() { "—".into() } else { o.address.clone() }),
            "phone": org.as_ref().map_or("—".to_owned(), |o| if o.phone.is_empty() { "—".into() } else { o.phone.clone() }),
        },
        "mediator": { "name": agreement["mediator"].as_str().unwrap_or("（调解员签名）") },
        "query": { "url": format!("{base_url}{QUERY_PATH}?code={}", d.code), "second_factor": "申请人手机号码后四位或本通知书所附查询码" },
        "agreement": {
            "number": format!("调协字〔{year}〕第{}号", &d.code[d.code.len().saturating_sub(4)..]),
            "signed_on": chinese_date(event_date(detail, "reach_agreement").unwrap_or(now)),
            "terms": if terms.is_empty() { vec!["（协议条款由调解员录入）".to_owned()] } else { terms },
            "performance": agreement["performance"].as_str().unwrap_or("按协议约定期限履行"),
            "copies": "三",
        },
        "court": { "name": court.unwrap_or_else(|| "（受理法院）".into()) },
        "application": { "date": chinese_date(event_date(detail, "request_confirmation").unwrap_or(now)) },
        "claims": if claims.is_empty() { vec![d.claims.clone()] } else { claims },
        "evidence": attachments.iter().map(|a| json!({ "name": a.filename, "purpose": "（待当事人说明）", "source": "当事人提交", "pages": 1 })).collect::<Vec<_>>(),
        "history": detail.events.iter().map(|e| json!({
            "date": chinese_date(Timestamp::from_micros(e.at)),
            "handler": handler.map_or("受理窗口", |h| h.org_name.as_str()),
            "event": e.public_note,
        })).collect::<Vec<_>>(),
        "mediation": { "result": fail_note.unwrap_or_else(|| "调解未能达成协议".into()) },
        "issued_on": chinese_date(now),
    }))
}

async fn template_for(state: &AppState, key: &str) -> ApiResult<Template> {
    match state.store.document_template(key).await? {
        Some(json) => Template::from_json(&json)
            .map_err(|e| ApiError::Internal(format!("stored template {key}: {e}"))),
        None => default_template(key).ok_or(ApiError::NotFound {
            entity: "document template",
        }),
    }
}

fn base_url(headers: &axum::http::HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1:8080");
    format!("http://{host}")
}

/// A case document as docx or PDF (`format` = `docx` | `pdf`).
#[utoipa::path(get, path = "/api/v1/disputes/{id}/documents/{key}/{format}", tag = "documents",
    params(("id" = String, Path), ("key" = String, Path, description = "acceptance_notice | mediation_agreement | confirmation_application | filing_package"), ("format" = String, Path, description = "docx | pdf")),
    responses((status = 200, description = "the document"), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn document(
    State(state): State<AppState>,
    me: CurrentUser,
    headers: axum::http::HeaderMap,
    Path((id, key, format)): Path<(String, String, String)>,
) -> ApiResult<impl IntoResponse> {
    let scope = CaseScope {
        region: me.scope.clone(),
        org_id: Some(me.user.org_id.clone()),
    };
    let detail = state.store.dispute_detail(&scope, &id).await?;
    let template = template_for(&state, &key).await?;
    let context = context_for(&state, &detail, &base_url(&headers)).await?;
    let (bytes, content_type, ext) = match format.as_str() {
        "docx" => (
            fengqiao_docs::render_docx(&template, &context)
                .map_err(|e| ApiError::invalid("template", "render_failed", e.to_string()))?,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        "pdf" => (
            fengqiao_docs::render_pdf(&template, &context, fonts()?)
                .map_err(|e| ApiError::invalid("template", "render_failed", e.to_string()))?,
            "application/pdf",
            "pdf",
        ),
        _ => {
            return Err(ApiError::invalid(
                "format",
                "unsupported",
                "格式为 docx 或 pdf",
            ));
        }
    };
    let filename = format!("{}-{}.{ext}", detail.dispute.code, key);
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        bytes,
    ))
}

/// The online-filing package (网上立案): parties, claims, facts, evidence list and history in one export.
#[utoipa::path(get, path = "/api/v1/disputes/{id}/filing-package", tag = "documents", params(("id" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = ErrorEnvelope)))]
pub async fn filing_package(
    State(state): State<AppState>,
    me: CurrentUser,
    headers: axum::http::HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let scope = CaseScope {
        region: me.scope.clone(),
        org_id: Some(me.user.org_id.clone()),
    };
    let detail = state.store.dispute_detail(&scope, &id).await?;
    let mut context = context_for(&state, &detail, &base_url(&headers)).await?;
    context["attachments"] =
        serde_json::to_value(state.store.attachments_of(&id).await?).unwrap_or(Value::Null);
    context["submissions"] =
        serde_json::to_value(state.store.submissions_of(&id).await?).unwrap_or(Value::Null);
    context["stage"] = Value::String(detail.dispute.stage.clone());
    Ok(Json(context))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TemplateInfo {
    pub key: String,
    pub name: String,
    pub edited: bool,
    #[schema(value_type = Object)]
    pub template: Value,
}

/// The document templates (built-in or as edited).
#[utoipa::path(get, path = "/api/v1/document-templates", tag = "documents", responses((status = 200, body = [TemplateInfo])))]
pub async fn templates(
    State(state): State<AppState>,
    _me: CurrentUser,
) -> ApiResult<Json<Vec<TemplateInfo>>> {
    let mut out = Vec::new();
    for t in default_templates() {
        let stored = state.store.document_template(&t.key).await?;
        let template: Value = match &stored {
            Some(json) => serde_json::from_str(json).unwrap_or(Value::Null),
            None => serde_json::to_value(&t).unwrap_or(Value::Null),
        };
        out.push(TemplateInfo {
            key: t.key.clone(),
            name: t.name.clone(),
            edited: stored.is_some(),
            template,
        });
    }
    Ok(Json(out))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveTemplateRequest {
    #[schema(value_type = Object)]
    pub template: Value,
}

/// Replace a template (administrators). It must parse and render the sample case, or nothing is saved.
#[utoipa::path(put, path = "/api/v1/document-templates/{key}", tag = "documents", params(("key" = String, Path)), request_body = SaveTemplateRequest,
    responses((status = 200, body = TemplateInfo), (status = 422, body = ErrorEnvelope)))]
pub async fn save_template(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(key): Path<String>,
    ApiJson(req): ApiJson<SaveTemplateRequest>,
) -> ApiResult<Json<TemplateInfo>> {
    me.require(&[Role::Admin])?;
    if default_template(&key).is_none() {
        return Err(ApiError::NotFound {
            entity: "document template",
        });
    }
    let json = req.template.to_string();
    let template = Template::from_json(&json)
        .map_err(|e| ApiError::invalid("template", "bad_template", e.to_string()))?;
    if template.key != key {
        return Err(ApiError::invalid(
            "template.key",
            "mismatch",
            "模板编号与地址不一致",
        ));
    }
    render(&template, &sample_context())
        .map_err(|e| ApiError::invalid("template", "render_failed", e.to_string()))?;
    state
        .store
        .save_document_template(&me.audit(&state), &key, &template.name, &json)
        .await?;
    Ok(Json(TemplateInfo {
        key,
        name: template.name.clone(),
        edited: true,
        template: req.template,
    }))
}
