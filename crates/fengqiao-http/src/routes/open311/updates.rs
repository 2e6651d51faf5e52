//! The `servicerequestupdates` extension (mySociety): GET the public steps of requests as updates
//! with extended statuses; POST a client's update, recorded as a comment on the event's timeline
//! — or, `REOPEN` (or `OPEN`) on a closed request from the client that filed it, as the
//! reporter's reopening. Other statuses never move the event: the centre verifies and closes.

use super::format::{Format, Node, O311Result, Open311Error, OrOpen311, respond};
use super::params::{MAX_RESULTS, Params, parse_instant, w3, window};
use super::requests::{authenticate, check_media_url, jurisdiction, person_name, visible_event};
use super::services::public_categories;
use super::status::{EXTENDED, extended, parse_extended, step_words};
use crate::state::AppState;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use fengqiao_domain::grid_event::{Actor, Command, EventStatus};
use fengqiao_store::AuditCtx;
use fengqiao_store::grid_events::{StepIssuer, StepRow};
use fengqiao_store::open311::Open311UpdateSearch;

fn update_node(step: &StepRow) -> Node {
    let status = step
        .to_status
        .parse::<EventStatus>()
        .map_or("open", extended);
    let description = if step.note.trim().is_empty() {
        step_words(&step.action).to_owned()
    } else {
        step.note.clone()
    };
    Node::Obj(vec![
        ("update_id", Node::str(step.id.clone())),
        ("service_request_id", Node::str(step.event_id.clone())),
        ("status", Node::str(status)),
        ("updated_datetime", Node::str(w3(step.at))),
        ("description", Node::str(description)),
        ("media_url", Node::str("")),
    ])
}

/// GET servicerequestupdates: by `service_request_id` (comma list; dates optional), or within
/// `start_date`..`end_date` (the same 90-day rule as requests); oldest first, at most 1000.
pub async fn list(state: &AppState, params: &Params, format: Format) -> O311Result<Response> {
    let region = jurisdiction(state, params, format).await?;
    let bound = |name: &str, end: bool| -> O311Result<_> {
        params
            .get(name)
            .map(|v| {
                parse_instant(v, end).ok_or_else(|| {
                    Open311Error::bad(format, format!("{name} must be a W3C datetime"))
                })
            })
            .transpose()
    };
    let (start, end) = (bound("start_date", false)?, bound("end_date", true)?);
    let mut s = Open311UpdateSearch {
        categories: public_categories(state, format)
            .await?
            .into_iter()
            .map(|c| c.code)
            .collect(),
        region_path: region.map(|r| r.path),
        limit: MAX_RESULTS,
        ..Open311UpdateSearch::default()
    };
    let ids = params.list("service_request_id");
    if ids.is_empty() || start.is_some() || end.is_some() {
        let (from, to) =
            window(start, end, state.clock.now()).map_err(|e| Open311Error::bad(format, e))?;
        s.from = Some(from);
        s.to = Some(to);
    }
    s.event_ids = ids;
    let steps = state.store.open311_updates(&s).await.o311(format)?;
    Ok(respond(
        format,
        StatusCode::OK,
        "service_request_updates",
        &Node::List("request_update", steps.iter().map(update_node).collect()),
    ))
}

/// The step an earlier post of the same client update made, if any (a client resending after a
/// lost answer gets the same `update_id` back).
fn earlier(steps: &[StepRow], key_id: &str, update_id: &str) -> Option<StepRow> {
    steps
        .iter()
        .find(|s| {
            let Ok(detail) = serde_json::from_str::<serde_json::Value>(&s.detail_json) else {
                return false;
            };
            let info = detail
                .get("open311")
                .or_else(|| detail.get("extra").and_then(|e| e.get("open311")));
            info.is_some_and(|i| i["api_key_id"] == key_id && i["update_id"] == update_id)
        })
        .cloned()
}

fn answered(step: &StepRow, account_id: Option<&str>, format: Format) -> Response {
    let node = Node::List(
        "request_update",
        vec![Node::Obj(vec![
            ("update_id", Node::str(step.id.clone())),
            ("account_id", Node::opt(account_id)),
        ])],
    );
    respond(format, StatusCode::OK, "service_request_updates", &node)
}

/// POST servicerequestupdates (api_key, service_request_id, status, description; update_id,
/// updated_datetime, media_url, names, account_id optional).
pub async fn post(
    state: &AppState,
    headers: &HeaderMap,
    params: &Params,
    format: Format,
) -> O311Result<Response> {
    let key = authenticate(state, params, format).await?;
    let Some(id) = params.get("service_request_id") else {
        return Err(Open311Error::bad(format, "service_request_id is required"));
    };
    let Some(status_text) = params.get("status") else {
        return Err(Open311Error::bad(format, "status is required"));
    };
    let Some(status) = parse_extended(status_text) else {
        return Err(Open311Error::bad(
            format,
            format!(
                "status `{status_text}` is not one of {}",
                EXTENDED.map(str::to_ascii_uppercase).join(", ")
            ),
        ));
    };
    let Some(description) = params.get("description") else {
        return Err(Open311Error::bad(format, "description is required"));
    };
    if description.chars().count() > 2000 {
        return Err(Open311Error::bad(
            format,
            "description is longer than 2000 characters",
        ));
    }
    let update_id = params.get("update_id");
    if update_id.is_some_and(|u| u.chars().count() > 100) {
        return Err(Open311Error::bad(
            format,
            "update_id is longer than 100 characters",
        ));
    }
    let updated = match params.get("updated_datetime") {
        Some(t) => Some(
            parse_instant(t, false)
                .ok_or_else(|| {
                    Open311Error::bad(format, "updated_datetime must be a W3C datetime")
                })?
                .to_rfc3339(),
        ),
        None => None,
    };
    let media_url = check_media_url(params.get("media_url"), format)?;
    let account_id = params
        .get("account_id")
        .filter(|a| a.chars().count() <= 100);
    let event = visible_event(state, id, format).await?;
    let steps = state
        .store
        .open311_event_steps(&event.id)
        .await
        .o311(format)?;
    if let Some(uid) = update_id
        && let Some(step) = earlier(&steps, &key.id, uid)
    {
        return Ok(answered(&step, account_id, format));
    }
    let filed_here = state
        .store
        .open311_request_rows(std::slice::from_ref(&event.id))
        .await
        .o311(format)?
        .iter()
        .any(|r| r.api_key_id == key.id);
    let info = serde_json::json!({
        "open311": {
            "api_key_id": key.id,
            "api_key_name": key.name,
            "update_id": update_id,
            "status": status.to_ascii_uppercase(),
            "updated_datetime": updated,
            "media_url": media_url,
            "name": person_name(params.get("first_name"), params.get("last_name")),
            "account_id": account_id,
        }
    });
    let ctx = AuditCtx {
        actor_user_id: None,
        actor_org_id: None,
        request_id: headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        at: state.clock.now(),
    };
    let closed = event.status().is_ok_and(|s| !s.is_open());
    let step = if closed && matches!(status, "reopen" | "open") {
        if !filed_here {
            return Err(Open311Error::bad(
                format,
                "only the client that filed this request may reopen it",
            ));
        }
        let issuer = StepIssuer {
            user_id: None,
            org_id: None,
            actor_kind: "reporter",
            // The client that filed the request speaks for its reporter.
            actor: Actor {
                is_reporter: true,
                ..Actor::default()
            },
        };
        let command = Command::Reopen {
            reason: description.to_owned(),
        };
        state
            .store
            .apply_grid_command(&ctx, &issuer, &event.id, &command, &info)
            .await
            .o311(format)?;
        let steps = state
            .store
            .open311_event_steps(&event.id)
            .await
            .o311(format)?;
        steps
            .into_iter()
            .rev()
            .find(|s| s.action == "reopen")
            .ok_or_else(|| {
                Open311Error::from_store(
                    format,
                    fengqiao_store::StoreError::Corrupt("reopen step missing".into()),
                )
            })?
    } else {
        state
            .store
            .add_open311_comment(&ctx, &event.id, description, &info)
            .await
            .o311(format)?
    };
    Ok(answered(&step, account_id, format))
}
