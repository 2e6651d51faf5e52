//! 12345 热线工单导入: work orders from the city hotline, as xlsx or JSON, become grid events
//! (source `hotline_12345`). Each order is checked and filed on its own: good ones are written,
//! bad ones come back with their line, field and reason. An order number already imported is a
//! replay, not a second event; a similar open event nearby is reported as a possible duplicate.

use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::CurrentUser;
use crate::routes::grid_events::{place, seal_phone};
use crate::routes::intake_import::cell_text;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::routing::{get, post};
use axum::{Json, Router};
use fengqiao_domain::grid_event::EventSource;
use fengqiao_domain::role::Role;
use fengqiao_store::grid_events::{CategoryRow, NewGridEvent};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(paths(import, template))]
pub struct Api;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/grid-events/import", post(import))
        .route("/grid-events/import/template.xlsx", get(template))
}

/// At most this many orders per request.
pub const MAX_ORDERS: usize = 2_000;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The columns of a hotline export, each with the header names it goes by.
const COLUMNS: [(&str, &[&str]); 9] = [
    ("order_no", &["工单编号", "工单号", "order_no"]),
    ("content", &["诉求内容", "来电内容", "content"]),
    ("category", &["诉求分类", "事件类别", "category"]),
    ("address", &["事发地址", "地址", "address"]),
    ("region_code", &["所属区域代码", "区域代码", "region_code"]),
    ("lng", &["经度", "lng"]),
    ("lat", &["纬度", "lat"]),
    ("caller_name", &["来电人", "诉求人", "caller_name"]),
    ("caller_phone", &["来电号码", "联系电话", "caller_phone"]),
];

/// One work order (the JSON form; the xlsx columns carry the same fields).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkOrder {
    pub order_no: String,
    pub content: String,
    /// A category code or its Chinese name; guessed from the content's words when empty.
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub address: String,
    pub region_code: Option<String>,
    pub lng: Option<f64>,
    pub lat: Option<f64>,
    #[serde(default)]
    pub caller_name: String,
    pub caller_phone: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportRequest {
    pub orders: Vec<WorkOrder>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LineProblem {
    pub field: String,
    pub message: String,
}

/// What became of one order.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OrderOutcome {
    /// Spreadsheet line (header is line 1) or 1-based position in the JSON list.
    pub line: usize,
    pub order_no: String,
    /// `created`, `replayed` (already imported) or `refused`.
    pub outcome: String,
    pub event_id: Option<String>,
    pub number: Option<String>,
    /// How the category was found: `code`, `name` or `keywords`.
    pub category_by: Option<String>,
    pub possible_duplicates: Vec<String>,
    pub problems: Vec<LineProblem>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = HotlineImportReport)]
pub struct ImportReport {
    pub created: usize,
    pub replayed: usize,
    pub refused: usize,
    pub outcomes: Vec<OrderOutcome>,
}

fn parse_number(field: &str, text: &str) -> Result<Option<f64>, LineProblem> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    text.trim()
        .parse::<f64>()
        .map(Some)
        .map_err(|_| LineProblem {
            field: field.to_owned(),
            message: format!("「{text}」不是数字"),
        })
}

/// A spreadsheet line: its number and the order read from it, or why it could not be read.
type ReadLine = (usize, Result<WorkOrder, Vec<LineProblem>>);

fn orders_from_xlsx(bytes: &[u8]) -> ApiResult<Vec<ReadLine>> {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes.to_vec()))
        .map_err(|e| ApiError::invalid("file", "unreadable", format!("无法读取表格：{e}")))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| ApiError::invalid("file", "empty", "表格中没有工作表"))?
        .map_err(|e| ApiError::invalid("file", "unreadable", format!("无法读取工作表：{e}")))?;
    let mut rows = range.rows();
    let header: Vec<String> = rows
        .next()
        .ok_or_else(|| ApiError::invalid("file", "empty", "表格为空"))?
        .iter()
        .map(cell_text)
        .collect();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for (col, name) in header.iter().enumerate() {
        if let Some((key, _)) = COLUMNS
            .iter()
            .find(|(_, names)| names.contains(&name.as_str()))
        {
            index.insert(key, col);
        }
    }
    for required in ["order_no", "content"] {
        if !index.contains_key(required) {
            let label = COLUMNS
                .iter()
                .find(|(k, _)| *k == required)
                .map_or(required, |(_, n)| n[0]);
            return Err(ApiError::invalid(
                &format!("header.{label}"),
                "missing_column",
                format!("缺少列「{label}」"),
            ));
        }
    }
    let mut out = Vec::new();
    for (i, row) in rows.enumerate() {
        let get = |key: &str| {
            index
                .get(key)
                .and_then(|c| row.get(*c))
                .map(cell_text)
                .unwrap_or_default()
        };
        if COLUMNS.iter().all(|(k, _)| get(k).is_empty()) {
            continue;
        }
        let mut problems = Vec::new();
        let lng = parse_number("lng", &get("lng")).unwrap_or_else(|p| {
            problems.push(p);
            None
        });
        let lat = parse_number("lat", &get("lat")).unwrap_or_else(|p| {
            problems.push(p);
            None
        });
        let order = WorkOrder {
            order_no: get("order_no"),
            content: get("content"),
            category: get("category"),
            address: get("address"),
            region_code: Some(get("region_code")).filter(|s| !s.is_empty()),
            lng,
            lat,
            caller_name: get("caller_name"),
            caller_phone: Some(get("caller_phone")).filter(|s| !s.is_empty()),
        };
        out.push((
            i + 2,
            if problems.is_empty() {
                Ok(order)
            } else {
                Err(problems)
            },
        ));
    }
    Ok(out)
}

/// Finds the category: its code, its Chinese name, or the most keyword hits in the content.
fn map_category<'a>(
    categories: &'a [CategoryRow],
    order: &WorkOrder,
) -> Option<(&'a CategoryRow, &'static str)> {
    let given = order.category.trim();
    let active = || categories.iter().filter(|c| c.active);
    if !given.is_empty() {
        if let Some(c) = active().find(|c| c.code == given) {
            return Some((c, "code"));
        }
        if let Some(c) = active().find(|c| c.name_zh == given) {
            return Some((c, "name"));
        }
    }
    active()
        .map(|c| {
            let hits = c
                .keyword_list()
                .iter()
                .filter(|k| order.content.contains(*k))
                .count();
            (c, hits)
        })
        .filter(|(_, hits)| *hits > 0)
        .max_by_key(|(c, hits)| (*hits, std::cmp::Reverse(c.code.clone())))
        .map(|(c, _)| (c, "keywords"))
}

fn refused(line: usize, order_no: &str, problems: Vec<LineProblem>) -> OrderOutcome {
    OrderOutcome {
        line,
        order_no: order_no.to_owned(),
        outcome: "refused".into(),
        event_id: None,
        number: None,
        category_by: None,
        possible_duplicates: Vec::new(),
        problems,
    }
}

fn problem(field: &str, message: impl Into<String>) -> Vec<LineProblem> {
    vec![LineProblem {
        field: field.to_owned(),
        message: message.into(),
    }]
}

/// Import 12345 work orders (xlsx with the template's columns, or JSON `{"orders":[…]}`).
#[utoipa::path(post, path = "/api/v1/grid-events/import", tag = "grid", request_body = ImportRequest,
    responses((status = 200, body = ImportReport), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn import(
    State(state): State<AppState>,
    me: CurrentUser,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<ImportReport>> {
    me.require(&[Role::Commander, Role::Intake, Role::Admin])?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json");
    let lines: Vec<ReadLine> = if content_type.starts_with(XLSX) {
        orders_from_xlsx(&body)?
    } else {
        let req: ImportRequest = crate::extract::parse_json(&body)?;
        req.orders
            .into_iter()
            .enumerate()
            .map(|(i, o)| (i + 1, Ok(o)))
            .collect()
    };
    if lines.len() > MAX_ORDERS {
        return Err(ApiError::invalid(
            "orders",
            "too_many",
            format!("一次最多导入 {MAX_ORDERS} 张工单"),
        ));
    }
    let categories = state.store.grid_categories().await?;
    let ctx = me.audit(&state);
    let mut outcomes = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (line, parsed) in lines {
        let order = match parsed {
            Ok(order) => order,
            Err(problems) => {
                outcomes.push(refused(line, "", problems));
                continue;
            }
        };
        let order_no = order.order_no.trim().to_owned();
        if order_no.is_empty() {
            outcomes.push(refused(line, "", problem("order_no", "工单编号不能为空")));
            continue;
        }
        if !seen.insert(order_no.clone()) {
            outcomes.push(refused(
                line,
                &order_no,
                problem("order_no", "文件中工单编号重复"),
            ));
            continue;
        }
        if order.content.trim().is_empty() {
            outcomes.push(refused(
                line,
                &order_no,
                problem("content", "诉求内容不能为空"),
            ));
            continue;
        }
        let Some((category, by)) = map_category(&categories, &order) else {
            outcomes.push(refused(
                line,
                &order_no,
                problem("category", "无法确定事件类别：请填写类别代码或名称"),
            ));
            continue;
        };
        let placement =
            match place(&state, order.lat, order.lng, order.region_code.as_deref()).await {
                Ok(p) => p,
                Err(ApiError::Invalid(errors)) => {
                    let problems = errors
                        .into_iter()
                        .map(|e| LineProblem {
                            field: e.field,
                            message: e.message,
                        })
                        .collect();
                    outcomes.push(refused(line, &order_no, problems));
                    continue;
                }
                Err(other) => return Err(other),
            };
        if !me.scope.covers(&placement.region_path) {
            outcomes.push(refused(
                line,
                &order_no,
                problem("region_code", "事发地不在您的管辖范围"),
            ));
            continue;
        }
        let phone = match order.caller_phone.as_deref() {
            Some(p) => match seal_phone(&state, "caller_phone", p.trim()) {
                Ok(s) => Some(s),
                Err(_) => {
                    outcomes.push(refused(
                        line,
                        &order_no,
                        problem("caller_phone", "来电号码格式不正确"),
                    ));
                    continue;
                }
            },
            None => None,
        };
        let content = order.content.trim();
        let new = NewGridEvent {
            id: uuid::Uuid::now_v7().to_string(),
            category: category.code.clone(),
            title: format!("12345工单 {order_no}：{}", category.name_zh),
            description: content.to_owned(),
            source: EventSource::Hotline12345.code().to_owned(),
            lat: order.lat,
            lng: order.lng,
            address: order.address.trim().to_owned(),
            grid_code: placement.grid_code,
            grid_codes: placement.grid_codes,
            region_path: placement.region_path,
            reporter_user_id: None,
            reporter_name: order.caller_name.trim().to_owned(),
            reporter_phone: phone,
            external_id: Some(order_no.clone()),
            idempotency_key: None,
            attributes: serde_json::json!({ "hotline_order_no": order_no }),
            urgent: false,
        };
        let outcome = state.store.report_grid_event(&ctx, &new).await?;
        outcomes.push(OrderOutcome {
            line,
            order_no,
            outcome: if outcome.replayed {
                "replayed"
            } else {
                "created"
            }
            .into(),
            event_id: Some(outcome.event.id),
            number: Some(outcome.event.number),
            category_by: Some(by.to_owned()),
            possible_duplicates: outcome.possible_duplicates,
            problems: Vec::new(),
        });
    }
    let count = |o: &str| outcomes.iter().filter(|x| x.outcome == o).count();
    Ok(Json(ImportReport {
        created: count("created"),
        replayed: count("replayed"),
        refused: count("refused"),
        outcomes,
    }))
}

/// The work-order template: the header row and two example orders.
#[utoipa::path(get, path = "/api/v1/grid-events/import/template.xlsx", tag = "grid",
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn template(_me: CurrentUser) -> ApiResult<impl axum::response::IntoResponse> {
    let examples: [[&str; 9]; 2] = [
        [
            "12345-20261120-0001",
            "小区门口流动摊贩占道经营，影响通行",
            "",
            "望江路与秋涛路交叉口",
            "",
            "",
            "",
            "张先生",
            "13800003333",
        ],
        [
            "12345-20261120-0002",
            "楼道堆放大量杂物，存在消防隐患",
            "fire_hazard",
            "望江新村5幢2单元",
            "",
            "",
            "",
            "李女士",
            "",
        ],
    ];
    let headers: Vec<&str> = COLUMNS.iter().map(|(_, names)| names[0]).collect();
    let rows: Vec<&[&str]> = examples.iter().map(|r| r.as_slice()).collect();
    crate::routes::intake_import::xlsx_template(
        "12345工单",
        &headers,
        &rows,
        18,
        "hotline-12345-template.xlsx",
    )
}
