//! Discovery, the service list (public, active grid event categories) and service definitions
//! (their attributes).

use super::format::{Format, Node, O311Result, Open311Error, OrOpen311, respond};
use super::params::w3;
use crate::state::AppState;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use fengqiao_domain::grid_event::CategoryAttribute;
use fengqiao_store::grid_events::CategoryRow;

/// The categories Open311 offers: public and active.
pub async fn public_categories(state: &AppState, format: Format) -> O311Result<Vec<CategoryRow>> {
    Ok(state
        .store
        .grid_categories()
        .await
        .o311(format)?
        .into_iter()
        .filter(|c| c.public && c.active)
        .collect())
}

pub fn attributes_of(c: &CategoryRow) -> Vec<CategoryAttribute> {
    serde_json::from_str(&c.attributes_json).unwrap_or_default()
}

/// `http(s)://host` the client used, for absolute URLs (behind a proxy: `X-Forwarded-Proto`).
pub fn public_base(headers: &HeaderMap) -> String {
    let host = headers
        .get("x-forwarded-host")
        .or_else(|| headers.get(axum::http::header::HOST))
        .and_then(|v| v.to_str().ok())
        .filter(|h| !h.is_empty() && !h.contains(['/', ' ']))
        .unwrap_or("localhost");
    let proto = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .filter(|p| *p == "https" || *p == "http")
        .unwrap_or("http");
    format!("{proto}://{host}")
}

/// Service discovery: this one endpoint, its formats, where keys come from.
pub async fn discovery(
    state: &AppState,
    headers: &HeaderMap,
    format: Format,
) -> O311Result<Response> {
    let categories = state.store.grid_categories().await.o311(format)?;
    // The document changes when the catalogue does.
    let changed = categories.iter().map(|c| c.updated_at).max().unwrap_or(0);
    let changeset = w3(changed);
    let node = Node::Obj(vec![
        ("changeset", Node::str(changeset.clone())),
        (
            "contact",
            Node::str(
                "市社会治理中心（综治中心）系统管理员 / the city governance centre's system administrators",
            ),
        ),
        (
            "key_service",
            Node::str(
                "API 密钥由市级系统管理员在控制台「系统管理 → Open311 密钥」签发 / keys are issued by city administrators in the console",
            ),
        ),
        (
            "endpoints",
            Node::List(
                "endpoint",
                vec![Node::Obj(vec![
                    (
                        "specification",
                        Node::str("http://wiki.open311.org/GeoReport_v2"),
                    ),
                    (
                        "url",
                        Node::str(format!("{}/open311/v2", public_base(headers))),
                    ),
                    ("changeset", Node::str(changeset)),
                    ("type", Node::str("production")),
                    (
                        "formats",
                        Node::List(
                            "format",
                            vec![Node::str("text/xml"), Node::str("application/json")],
                        ),
                    ),
                ])],
            ),
        ),
    ]);
    Ok(respond(format, StatusCode::OK, "discovery", &node))
}

/// GET services: every public category.
pub async fn list(state: &AppState, format: Format) -> O311Result<Response> {
    let items = public_categories(state, format)
        .await?
        .iter()
        .map(|c| {
            Node::Obj(vec![
                ("service_code", Node::str(c.code.clone())),
                ("service_name", Node::str(c.name_zh.clone())),
                ("description", Node::str(c.description.clone())),
                ("metadata", Node::Bool(!attributes_of(c).is_empty())),
                ("type", Node::str("realtime")),
                ("keywords", Node::str(c.keyword_list().join(","))),
                ("group", Node::str(c.group_zh.clone())),
            ])
        })
        .collect();
    Ok(respond(
        format,
        StatusCode::OK,
        "services",
        &Node::List("service", items),
    ))
}

fn datatype_description(a: &CategoryAttribute) -> Node {
    Node::str(match a.datatype.as_str() {
        "number" => "数字 / a number",
        "datetime" => "日期时间，如 2026-03-02T10:00:00+08:00 / a W3C datetime",
        "singlevaluelist" => "从 values 中选择一项 / one key of values",
        "multivaluelist" => {
            "从 values 中选择一项或多项（attribute[code][]）/ one or more keys of values"
        }
        "text" => "文字，4000 字以内 / text up to 4000 characters",
        _ => "文字，200 字以内 / text up to 200 characters",
    })
}

/// GET services/{service_code}: the attributes a request of this service answers.
pub async fn definition(state: &AppState, code: &str, format: Format) -> O311Result<Response> {
    let categories = public_categories(state, format).await?;
    let Some(c) = categories.iter().find(|c| c.code == code) else {
        return Err(Open311Error::not_found(
            format,
            format!("service_code `{code}` not found"),
        ));
    };
    let mut attributes = attributes_of(c);
    attributes.sort_by_key(|a| a.order);
    let attributes = attributes
        .iter()
        .map(|a| {
            Node::Obj(vec![
                ("variable", Node::Bool(true)),
                ("code", Node::str(a.code.clone())),
                ("datatype", Node::str(a.datatype.clone())),
                ("required", Node::Bool(a.required)),
                ("datatype_description", datatype_description(a)),
                ("order", Node::Int(i64::from(a.order))),
                ("description", Node::str(a.description.clone())),
                (
                    "values",
                    Node::List(
                        "value",
                        a.values
                            .iter()
                            .map(|(k, n)| {
                                Node::Obj(vec![
                                    ("key", Node::str(k.clone())),
                                    ("name", Node::str(n.clone())),
                                ])
                            })
                            .collect(),
                    ),
                ),
            ])
        })
        .collect();
    let node = Node::Obj(vec![
        ("service_code", Node::str(c.code.clone())),
        ("attributes", Node::List("attribute", attributes)),
    ]);
    Ok(respond(format, StatusCode::OK, "service_definition", &node))
}
