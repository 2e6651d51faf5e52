//! Alerts API — the command centre's inbox: every source's alerts in one list with their clock,
//! the loop's steps (sign, handle, feed back, close, send back, dismiss, reopen, reassign),
//! spawning a grid event from an alert, and the live feed as server-sent events.

use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::{ApiJson, ApiQuery, CurrentUser};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::NaiveDate;
use fengqiao_domain::alert::{
    AlertActor, AlertCommand, AlertLevel, AlertSource, AlertStatus, decide_alert,
};
use fengqiao_domain::clock::{ClockRun, ClockStatus, clock_state};
use fengqiao_domain::role::Role;
use fengqiao_domain::time::Timestamp;
use fengqiao_store::Page;
use fengqiao_store::alert_loop::{AlertFilter, AlertStepActor, AlertStepRow, AlertView};
use fengqiao_store::grid_events::NewGridEvent;
use serde::{Deserialize, Serialize};
use std::convert::Infallible;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(paths(list, detail, command, stream))]
pub struct Api;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/alerts", get(list))
        .route("/alerts/stream", get(stream))
        .route("/alerts/{id}", get(detail))
        .route("/alerts/{id}/commands", post(command))
}

/// Roles that run the command centre's side of the loop (办结、退回、核销、改派).
const CENTRE_ROLES: [Role; 2] = [Role::Commander, Role::Admin];

/// Filters of the inbox.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AlertQuery {
    /// `issued`, `signed`, `handled`, `fed_back` or `closed`.
    pub status: Option<String>,
    /// `red`, `orange`, `yellow` or `blue`.
    pub level: Option<String>,
    /// `mass_involvement`, `fraud`, `repeat_petition`, `civil_to_criminal`, IoT kinds …
    pub kind: Option<String>,
    /// `risk_rule`, `supervision`, `iot`, `video` or `manual`.
    pub source: Option<String>,
    /// Only alerts not yet closed.
    pub open: Option<bool>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// The running clock of an alert's current step.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AlertClock {
    pub clock_id: String,
    #[schema(value_type = String, format = Date)]
    pub due: NaiveDate,
    /// `green`, `yellow` or `red` (due today or overdue).
    #[schema(value_type = String)]
    pub status: ClockStatus,
    pub overdue: bool,
    pub days_left: Option<u32>,
}

/// An alert as the inbox shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AlertItem {
    pub id: String,
    pub kind: String,
    pub source: String,
    pub level: String,
    pub level_label: String,
    pub status: String,
    pub status_label: String,
    pub title: String,
    pub region_path: String,
    pub owner_org_id: Option<String>,
    pub rule_id: Option<String>,
    pub rule_version: Option<i64>,
    pub subject_kind: Option<String>,
    pub subject_id: Option<String>,
    /// Records counted (cases, reports, sightings).
    pub count: i64,
    /// The same as `count`, under the name the stored record and earlier clients use.
    pub case_count: i64,
    /// Distinct claimants (mass-involvement alerts; 0 for other kinds).
    pub claimant_count: i64,
    /// The key that folds later hits into this alert (a respondent, a matter, a device …).
    pub group_key: String,
    pub total_fen: i64,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    /// `detail` as stored (JSON text), for clients that read it so.
    pub detail_json: String,
    #[schema(value_type = Object)]
    pub place: serde_json::Value,
    #[schema(value_type = Vec<Object>)]
    pub evidence: serde_json::Value,
    pub clock: Option<AlertClock>,
    pub created_at: String,
    pub updated_at: String,
    pub closed_at: Option<String>,
}

/// One alert with its timeline and the steps the caller may take now.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AlertDetail {
    pub alert: AlertItem,
    #[schema(value_type = Vec<Object>)]
    pub steps: Vec<AlertStepRow>,
    /// Actions (`sign`, `handle` …) the caller may take in the alert's current status.
    pub actions: Vec<String>,
}

fn parse_json(text: &str, empty: serde_json::Value) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or(empty)
}

/// The inbox item of a stored alert, its clock on the region's calendar.
pub(crate) fn item(state: &AppState, view: &AlertView) -> AlertItem {
    let status: Option<AlertStatus> = view.status.parse().ok();
    let clock = status.and_then(|s| s.clock()).and_then(|clock_id| {
        let rules = state.store.rules();
        let def = rules.clock(clock_id)?;
        let calendar = rules.calendar_for(&view.region_path);
        let started = Timestamp::from_micros(view.clock_started_at());
        let today = state.clock.now().china_date();
        clock_state(def, &ClockRun::started_at(started), &calendar, today)
            .ok()
            .map(|s| AlertClock {
                clock_id: clock_id.to_owned(),
                due: s.due,
                status: s.status,
                overdue: s.overdue,
                days_left: s.days_left,
            })
    });
    let level = view.level();
    AlertItem {
        id: view.id.clone(),
        kind: view.kind.clone(),
        source: view.source().code().to_owned(),
        level: view.level.clone(),
        level_label: level.map_or(view.level.clone(), |l| format!("{}预警", l.label_zh())),
        status: view.status.clone(),
        status_label: status.map_or(view.status.clone(), |s| s.label_zh().to_owned()),
        title: view.title.clone(),
        region_path: view.region_path.clone(),
        owner_org_id: view.owner_org_id.clone(),
        rule_id: view.rule_id.clone(),
        rule_version: view.rule_version,
        subject_kind: view.subject_kind.clone(),
        subject_id: view.subject_id.clone(),
        count: view.case_count,
        case_count: view.case_count,
        claimant_count: view.claimant_count,
        group_key: view.group_key.clone(),
        total_fen: view.total_fen,
        detail: parse_json(&view.detail_json, serde_json::json!({})),
        detail_json: view.detail_json.clone(),
        place: parse_json(&view.place_json, serde_json::json!({})),
        evidence: parse_json(&view.evidence_json, serde_json::json!([])),
        clock,
        created_at: Timestamp::from_micros(view.created_at).to_rfc3339(),
        updated_at: Timestamp::from_micros(view.updated_at).to_rfc3339(),
        closed_at: view
            .closed_at
            .map(|t| Timestamp::from_micros(t).to_rfc3339()),
    }
}

/// The caller's standing on an alert, or `None` when it is not theirs to see.
fn standing(me: &CurrentUser, view: &AlertView) -> Option<AlertActor> {
    if me.has(Role::Citizen) && me.roles.len() == 1 {
        return None;
    }
    let in_scope = me.scope.covers(&view.region_path);
    let is_centre = in_scope && CENTRE_ROLES.iter().any(|r| me.has(*r));
    let is_owner = match view.owner_org_id.as_deref() {
        Some(org) => org == me.user.org_id,
        // Unowned alerts are the centre's own to work.
        None => is_centre,
    };
    (in_scope || is_owner).then_some(AlertActor {
        is_centre,
        is_owner,
    })
}

fn parse_filter(q: &AlertQuery) -> ApiResult<AlertFilter> {
    Ok(AlertFilter {
        status: q
            .status
            .as_deref()
            .map(|s| {
                s.parse()
                    .map_err(|e: String| ApiError::invalid("status", "invalid", e))
            })
            .transpose()?,
        level: q
            .level
            .as_deref()
            .map(|l| {
                AlertLevel::parse(l).ok_or_else(|| {
                    ApiError::invalid("level", "invalid", "须为 red、orange、yellow 或 blue")
                })
            })
            .transpose()?,
        kind: q.kind.clone().filter(|k| !k.is_empty()),
        source: q
            .source
            .as_deref()
            .map(|s| {
                s.parse::<AlertSource>()
                    .map_err(|e| ApiError::invalid("source", "invalid", e))
            })
            .transpose()?,
        open_only: q.open.unwrap_or(false),
    })
}

/// Alerts in the caller's jurisdiction, most recently changed first, with their clocks.
#[utoipa::path(get, path = "/api/v1/alerts", tag = "alerts", params(AlertQuery),
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<AlertQuery>,
) -> ApiResult<Json<Page<AlertItem>>> {
    if me.has(Role::Citizen) && me.roles.len() == 1 {
        return Err(ApiError::Forbidden);
    }
    let filter = parse_filter(&q)?;
    let paging = crate::routes::Paging {
        page: q.page,
        per_page: q.per_page,
    };
    let page = state
        .store
        .list_alert_views(&me.scope, &filter, paging.request())
        .await?;
    Ok(Json(page.map(|v| item(&state, &v))))
}

async fn visible(
    state: &AppState,
    me: &CurrentUser,
    id: &str,
) -> ApiResult<(AlertView, AlertActor)> {
    let view = state.store.alert_view(id).await?;
    let actor = standing(me, &view).ok_or(ApiError::NotFound { entity: "alert" })?;
    Ok((view, actor))
}

/// Every action, in the order a console offers them.
fn probes() -> Vec<AlertCommand> {
    let t = || "-".to_owned();
    vec![
        AlertCommand::Sign {
            note: String::new(),
        },
        AlertCommand::Handle { note: t() },
        AlertCommand::Feedback { note: t() },
        AlertCommand::Close {
            note: String::new(),
        },
        AlertCommand::SendBack { reason: t() },
        AlertCommand::Dismiss { reason: t() },
        AlertCommand::Reopen { reason: t() },
        AlertCommand::Assign {
            owner_org_id: t(),
            reason: String::new(),
        },
        AlertCommand::SpawnGridEvent {
            category_code: t(),
            note: String::new(),
        },
    ]
}

/// One alert with its timeline and the actions open to the caller.
#[utoipa::path(get, path = "/api/v1/alerts/{id}", tag = "alerts",
    params(("id" = String, Path)),
    responses((status = 200, body = AlertDetail), (status = 404, body = ErrorEnvelope)))]
pub async fn detail(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<AlertDetail>> {
    let (view, actor) = visible(&state, &me, &id).await?;
    let steps = state.store.alert_steps(&id).await?;
    let actions = match view.status.parse::<AlertStatus>() {
        Ok(status) => probes()
            .into_iter()
            .filter(|c| decide_alert(status, &actor, c).is_ok())
            .map(|c| c.name().to_owned())
            .collect(),
        Err(_) => Vec::new(),
    };
    Ok(Json(AlertDetail {
        alert: item(&state, &view),
        steps,
        actions,
    }))
}

/// One step on an alert (`{"action":"sign"}`, `{"action":"handle","note":"…"}` …). Spawning a
/// grid event files it at the alert's place and records its id on the alert's timeline.
#[utoipa::path(post, path = "/api/v1/alerts/{id}/commands", tag = "alerts",
    params(("id" = String, Path)), request_body = Object,
    responses((status = 200, body = AlertItem), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)))]
pub async fn command(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> ApiResult<Json<AlertItem>> {
    let command: AlertCommand = serde_json::from_value(body)
        .map_err(|e| ApiError::invalid("action", "invalid", e.to_string()))?;
    let (view, actor) = visible(&state, &me, &id).await?;
    if matches!(command, AlertCommand::SpawnDispute { .. }) {
        return Err(ApiError::invalid(
            "action",
            "use_intake",
            "转矛盾纠纷须填写当事人：请在受理登记中登记，并在事实中注明预警编号",
        ));
    }
    let status: AlertStatus = view
        .status
        .parse()
        .map_err(|e: String| ApiError::Internal(e))?;
    // Check before any side effect: a refused step must not leave a spawned event behind.
    decide_alert(status, &actor, &command).map_err(|e| match e {
        fengqiao_domain::alert::AlertError::NotPermitted { .. } => ApiError::Forbidden,
        fengqiao_domain::alert::AlertError::WrongStatus { .. } => {
            ApiError::invalid("action", "wrong_status", e.to_string())
        }
        fengqiao_domain::alert::AlertError::Invalid { field, reason } => {
            ApiError::invalid(field, "invalid", reason)
        }
    })?;
    let ctx = me.audit(&state);
    let extra = match &command {
        AlertCommand::SpawnGridEvent {
            category_code,
            note,
        } => {
            let place = parse_json(&view.place_json, serde_json::json!({}));
            let lat = place.get("lat").and_then(serde_json::Value::as_f64);
            let lng = place.get("lng").and_then(serde_json::Value::as_f64);
            let grid_code = place
                .get("grid_code")
                .and_then(|g| g.as_str())
                .map(str::to_owned);
            let outcome = state
                .store
                .report_grid_event(
                    &ctx,
                    &NewGridEvent {
                        id: uuid::Uuid::now_v7().to_string(),
                        category: category_code.clone(),
                        title: view.title.chars().take(60).collect(),
                        description: if note.trim().is_empty() {
                            format!("由预警派发：{}", view.title)
                        } else {
                            format!("由预警派发：{}\n{}", view.title, note.trim())
                        },
                        source: "video".into(),
                        lat,
                        lng,
                        address: place
                            .get("address")
                            .and_then(|a| a.as_str())
                            .unwrap_or_default()
                            .to_owned(),
                        grid_codes: grid_code.iter().cloned().collect(),
                        grid_code,
                        region_path: view.region_path.clone(),
                        reporter_user_id: Some(me.user.id.clone()),
                        reporter_name: me.user.display_name.clone(),
                        reporter_phone: None,
                        external_id: None,
                        idempotency_key: Some(format!("alert:{}:{category_code}", view.id)),
                        attributes: serde_json::json!({ "alert_id": view.id }),
                        urgent: view.level() == Some(AlertLevel::Red),
                    },
                )
                .await?;
            serde_json::json!({ "grid_event_id": outcome.event.id, "number": outcome.event.number })
        }
        _ => serde_json::Value::Null,
    };
    let after = state
        .store
        .apply_alert_command(
            &ctx,
            &AlertStepActor {
                user_id: me.user.id.clone(),
                name: me.user.display_name.clone(),
                actor,
            },
            &id,
            &command,
            &extra,
        )
        .await?;
    state.alert_feed.poke();
    Ok(Json(item(&state, &after)))
}

/// Live alert changes in the caller's jurisdiction as server-sent events: `alert` events carry
/// an [`AlertItem`]; a `resync` event asks the console to reload its list (it fell behind).
#[utoipa::path(get, path = "/api/v1/alerts/stream", tag = "alerts",
    responses((status = 200, description = "text/event-stream of `alert` events", content_type = "text/event-stream"),
        (status = 403, body = ErrorEnvelope)))]
pub async fn stream(
    State(state): State<AppState>,
    me: CurrentUser,
) -> ApiResult<Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>>> {
    if me.has(Role::Citizen) && me.roles.len() == 1 {
        return Err(ApiError::Forbidden);
    }
    let receiver = state.alert_feed.subscribe(&state.store);
    let hello = tokio_stream::once(Ok(Event::default().event("ready").data("{}")));
    let changes = BroadcastStream::new(receiver).filter_map(move |change| match change {
        Ok(view) => {
            standing(&me, &view)?;
            let data = serde_json::to_string(&item(&state, &view)).ok()?;
            Some(Ok(Event::default()
                .event("alert")
                .id(view.id.clone())
                .data(data)))
        }
        Err(BroadcastStreamRecvError::Lagged(_)) => {
            Some(Ok(Event::default().event("resync").data("{}")))
        }
    });
    Ok(Sse::new(hello.chain(changes)).keep_alive(KeepAlive::default()))
}
