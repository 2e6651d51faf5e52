//! Grid events (网格事件): report, accept, dispatch, handle, feed back, verify, close, evaluate;
//! photos as evidence; turning an event into a dispute case. Summonses, the catalogue and the
//! 12345 import live in their own modules and are merged here.

use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::{ApiJson, ApiQuery, CurrentUser};
use crate::routes::Paging;
use crate::state::AppState;
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use fengqiao_domain::grid_event::{
    Actor, Command, DispatchChoice, EventSource, EventStatus, dispatch,
};
use fengqiao_domain::identifiers::MobileNumber;
use fengqiao_domain::role::Role;
use fengqiao_store::grid_events::{
    GridEventDetail, GridEventFilter, GridEventRow, NewGridEvent, NewPhoto, PhotoMeta,
    ReportOutcome, SealedPhone, StepIssuer,
};
use fengqiao_store::{Page, Scope};
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;

/// This module's operations, merged into the service's OpenAPI document.
#[derive(OpenApi)]
#[openapi(paths(
    report,
    list,
    detail,
    command,
    upload_photo,
    photo,
    suggestion,
    transfer
))]
pub struct Api;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/grid-events", get(list).post(report))
        .route("/grid-events/{id}", get(detail))
        .route("/grid-events/{id}/commands", post(command))
        .route("/grid-events/{id}/photos", post(upload_photo))
        .route("/grid-events/{id}/photos/{photo_id}", get(photo))
        .route("/grid-events/{id}/dispatch-suggestion", get(suggestion))
        .route("/grid-events/{id}/transfer-to-dispute", post(transfer))
        .merge(crate::routes::grid_catalogue::routes())
        .merge(crate::routes::summons::routes())
        .merge(crate::routes::hotline_import::routes())
}

/// Roles that work the centre's side of the loop (受理、派遣、核查).
const CENTRE_ROLES: [Role; 3] = [Role::Commander, Role::Intake, Role::Admin];

/// A report from the console or the phone page.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    /// Code from `/api/v1/grid-event-categories`.
    pub category: String,
    /// A short title; the category name and place are used when empty.
    #[serde(default)]
    pub title: String,
    pub description: String,
    /// WGS-84 latitude of the scene.
    pub lat: Option<f64>,
    /// WGS-84 longitude of the scene.
    pub lng: Option<f64>,
    #[serde(default)]
    pub address: String,
    /// The grid (or community/street) when there is no point.
    pub region_code: Option<String>,
    #[serde(default)]
    pub urgent: bool,
    /// Answers to the category's extra attributes (`{"hazard": ["blocked_exit"]}`).
    #[serde(default)]
    #[schema(value_type = Object)]
    pub attributes: serde_json::Value,
    /// The caller's name when staff enter a report on someone's behalf.
    pub reporter_name: Option<String>,
    /// The caller's mobile number when staff enter a report on someone's behalf.
    pub reporter_phone: Option<String>,
}

/// Where a report lands: the grids containing its point, or the region named.
pub(crate) struct Placement {
    pub grid_code: Option<String>,
    pub grid_codes: Vec<String>,
    pub region_path: String,
}

/// Places a report: a point goes through the grid index (territorial grid first); without a
/// point the named region is used. Either must lie in the city.
pub(crate) async fn place(
    state: &AppState,
    lat: Option<f64>,
    lng: Option<f64>,
    region_code: Option<&str>,
) -> ApiResult<Placement> {
    match (lat, lng) {
        (Some(lat), Some(lng)) => {
            if !(-90.0..=90.0).contains(&lat) {
                return Err(ApiError::invalid(
                    "lat",
                    "out_of_range",
                    "纬度须在 -90 到 90 之间",
                ));
            }
            if !(-180.0..=180.0).contains(&lng) {
                return Err(ApiError::invalid(
                    "lng",
                    "out_of_range",
                    "经度须在 -180 到 180 之间",
                ));
            }
            let found = locate_point(state, lng, lat).await?;
            let Some(primary) = found.iter().find(|g| g.territorial).or(found.first()) else {
                if let Some(code) = region_code {
                    return by_region(state, code).await;
                }
                return Err(ApiError::invalid(
                    "lat",
                    "outside_grids",
                    "该位置不在任何网格内，请核对坐标或填写所属区域",
                ));
            };
            Ok(Placement {
                grid_code: Some(primary.code.clone()),
                grid_codes: found.iter().map(|g| g.code.clone()).collect(),
                region_path: primary.path.clone(),
            })
        }
        (None, None) => match region_code {
            Some(code) => by_region(state, code).await,
            None => Err(ApiError::invalid(
                "lat",
                "required",
                "须给出事发位置坐标（lat、lng）或所属区域（region_code）",
            )),
        },
        (Some(_), None) => Err(ApiError::invalid("lng", "required", "经纬度须同时给出")),
        (None, Some(_)) => Err(ApiError::invalid("lat", "required", "经纬度须同时给出")),
    }
}

/// A grid containing a point.
pub(crate) struct LocatedGrid {
    pub code: String,
    pub territorial: bool,
    pub path: String,
}

/// The grids containing a point, from the in-memory index (paths from the store: a report is
/// filed under its grid's place in the region tree).
async fn locate_point(state: &AppState, lng: f64, lat: f64) -> ApiResult<Vec<LocatedGrid>> {
    let index = state.grid_index().await?;
    let codes = index.locate(lng, lat);
    let places = state.store.grid_places(&Scope::Everything, &codes).await?;
    Ok(places
        .into_iter()
        .map(|p| LocatedGrid {
            territorial: p.grid_kind.as_deref() == Some("territorial"),
            code: p.code,
            path: p.path,
        })
        .collect())
}

async fn by_region(state: &AppState, code: &str) -> ApiResult<Placement> {
    let region = state
        .store
        .get_region(&Scope::Everything, code)
        .await
        .map_err(|_| {
            ApiError::invalid("region_code", "not_found", format!("区域 {code} 不存在"))
        })?;
    let is_grid = region.level == "grid";
    Ok(Placement {
        grid_code: is_grid.then(|| region.code.clone()),
        grid_codes: if is_grid {
            vec![region.code]
        } else {
            Vec::new()
        },
        region_path: region.path,
    })
}

pub(crate) fn seal_phone(state: &AppState, field: &str, text: &str) -> ApiResult<SealedPhone> {
    let phone = MobileNumber::parse(text)
        .map_err(|e| ApiError::invalid(field, "invalid", e.to_string()))?;
    Ok(SealedPhone {
        enc: state
            .cipher
            .encrypt(phone.as_str())
            .map_err(|e| ApiError::Internal(e.to_string()))?,
        index: state.cipher.blind_index(phone.as_str()),
        masked: phone.masked(),
    })
}

fn check_text(field: &str, text: &str, max: usize, required: bool) -> ApiResult<()> {
    if required && text.trim().is_empty() {
        return Err(ApiError::invalid(field, "required", "不能为空"));
    }
    if text.chars().count() > max {
        return Err(ApiError::invalid(
            field,
            "too_long",
            format!("不能超过 {max} 字"),
        ));
    }
    Ok(())
}

/// Report a grid event (grid workers, citizens, centre staff entering a call).
#[utoipa::path(post, path = "/api/v1/grid-events", tag = "grid", request_body = ReportRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "repeat-safe key")),
    responses((status = 201, body = Object), (status = 200, description = "replay of an earlier report"), (status = 422, body = ErrorEnvelope)))]
pub async fn report(
    State(state): State<AppState>,
    me: CurrentUser,
    headers: HeaderMap,
    ApiJson(req): ApiJson<ReportRequest>,
) -> ApiResult<(StatusCode, Json<ReportOutcome>)> {
    me.require(&[
        Role::GridWorker,
        Role::Citizen,
        Role::Commander,
        Role::Intake,
        Role::Admin,
    ])?;
    check_text("description", &req.description, 4000, true)?;
    check_text("title", &req.title, 100, false)?;
    check_text("address", &req.address, 200, false)?;
    if !(req.attributes.is_null() || req.attributes.is_object()) {
        return Err(ApiError::invalid("attributes", "not_object", "须为对象"));
    }
    let source = if me.has(Role::GridWorker) {
        EventSource::GridWorker
    } else if me.has(Role::Citizen) {
        EventSource::Citizen
    } else {
        EventSource::Hotline12345
    };
    let placement = place(&state, req.lat, req.lng, req.region_code.as_deref()).await?;
    // Staff may file anywhere in their jurisdiction only; residents anywhere in the city.
    if !me.has(Role::Citizen) && !me.scope.covers(&placement.region_path) {
        return Err(ApiError::invalid(
            "region_code",
            "out_of_scope",
            "事发地不在您的管辖范围",
        ));
    }
    let phone = match req
        .reporter_phone
        .as_deref()
        .filter(|p| !p.trim().is_empty())
    {
        Some(p) => Some(seal_phone(&state, "reporter_phone", p.trim())?),
        None => None,
    };
    let categories = state.store.grid_categories().await?;
    let Some(category) = categories
        .iter()
        .find(|c| c.code == req.category && c.active)
    else {
        return Err(ApiError::invalid(
            "category",
            "unknown",
            format!("未知或已停用的事件类别 `{}`", req.category),
        ));
    };
    let title = if req.title.trim().is_empty() {
        format!("{}：{}", category.name_zh, req.address.trim())
            .trim_end_matches('：')
            .to_owned()
    } else {
        req.title.trim().to_owned()
    };
    let idempotency_key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(|k| format!("{}:{k}", me.user.id));
    let new = NewGridEvent {
        id: uuid::Uuid::now_v7().to_string(),
        category: req.category,
        title,
        description: req.description.trim().to_owned(),
        source: source.code().to_owned(),
        lat: req.lat,
        lng: req.lng,
        address: req.address.trim().to_owned(),
        grid_code: placement.grid_code,
        grid_codes: placement.grid_codes,
        region_path: placement.region_path,
        reporter_user_id: Some(me.user.id.clone()),
        reporter_name: req
            .reporter_name
            .unwrap_or_else(|| me.user.display_name.clone()),
        reporter_phone: phone,
        external_id: None,
        idempotency_key,
        attributes: if req.attributes.is_null() {
            serde_json::json!({})
        } else {
            req.attributes
        },
        urgent: req.urgent,
    };
    let outcome = state
        .store
        .report_grid_event(&me.audit(&state), &new)
        .await?;
    let status = if outcome.replayed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(outcome)))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// `jurisdiction` (centre staff: every event in my area), `department` (dispatched to my
    /// organisation), `mine` (reported by me). Defaults by role.
    pub view: Option<String>,
    /// Comma-separated status codes.
    pub status: Option<String>,
    pub open_only: Option<bool>,
    pub category: Option<String>,
    pub source: Option<String>,
    pub grid_code: Option<String>,
    /// Text in title, description, number or address.
    pub q: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// The filter a user's view of the queue comes to.
fn view_filter(me: &CurrentUser, view: Option<&str>) -> ApiResult<GridEventFilter> {
    let default = if me.has(Role::Citizen) || me.has(Role::GridWorker) {
        "mine"
    } else if me.has(Role::Handler) {
        "department"
    } else {
        "jurisdiction"
    };
    let mut filter = GridEventFilter::default();
    match view.unwrap_or(default) {
        "mine" => filter.reporter_user_id = Some(me.user.id.clone()),
        "department" => {
            me.require(&[Role::Handler, Role::Admin])?;
            filter.department_org_id = Some(me.user.org_id.clone());
        }
        "jurisdiction" if !me.has(Role::Citizen) => filter.scope = Some(me.scope.clone()),
        "jurisdiction" => return Err(ApiError::Forbidden),
        other => {
            return Err(ApiError::invalid(
                "view",
                "unknown",
                format!("未知视图 `{other}`（jurisdiction、department、mine）"),
            ));
        }
    }
    Ok(filter)
}

/// The event queue: my jurisdiction, my department's dispatched events, or my own reports.
#[utoipa::path(get, path = "/api/v1/grid-events", tag = "grid", params(ListQuery),
    responses((status = 200, body = Object), (status = 422, body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Page<GridEventRow>>> {
    let mut filter = view_filter(&me, q.view.as_deref())?;
    if let Some(statuses) = &q.status {
        for s in statuses.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let status: EventStatus = s
                .parse()
                .map_err(|e: String| ApiError::invalid("status", "unknown", e))?;
            filter.statuses.push(status.code().to_owned());
        }
    }
    filter.open_only = q.open_only.unwrap_or(false);
    filter.category = q.category.clone();
    filter.source = q.source.clone();
    filter.grid_code = q.grid_code.clone();
    filter.search = q.q.clone();
    let paging = Paging {
        page: q.page,
        per_page: q.per_page,
    };
    Ok(Json(
        state
            .store
            .list_grid_events(&filter, paging.request())
            .await?,
    ))
}

/// How the caller stands to an event; `None` when they may not see it at all.
pub(crate) fn standing(me: &CurrentUser, event: &GridEventRow) -> Option<Actor> {
    let in_scope = !me.has(Role::Citizen) && me.scope.covers(&event.region_path);
    let actor = Actor {
        is_centre: in_scope && CENTRE_ROLES.iter().any(|r| me.has(*r)),
        is_department: event.department_org_id.as_deref() == Some(me.user.org_id.as_str())
            && (me.has(Role::Handler) || me.has(Role::Admin)),
        is_reporter: event.reporter_user_id.as_deref() == Some(me.user.id.as_str()),
        is_grid_worker: me.has(Role::GridWorker) && in_scope,
    };
    let visible = in_scope || actor.is_department || actor.is_reporter;
    visible.then_some(actor)
}

async fn visible_event(
    state: &AppState,
    me: &CurrentUser,
    id: &str,
) -> ApiResult<(GridEventRow, Actor)> {
    let event = state.store.grid_event_unscoped(id).await?;
    let actor = standing(me, &event).ok_or(ApiError::NotFound {
        entity: "grid_event",
    })?;
    Ok((event, actor))
}

/// An event with its clock states on the regional calendar.
#[derive(Debug, Serialize)]
pub struct EventView {
    #[serde(flatten)]
    pub detail: GridEventDetail,
    pub status_label: String,
    /// The running clock's state (green/yellow/red, due date) when a step is owed.
    pub clock: Option<crate::routes::supervision::ClockItem>,
    /// What the caller may do now (`accept`, `dispatch` …).
    pub allowed_actions: Vec<String>,
}

fn allowed_actions(actor: &Actor, event: &GridEventRow, evidence: usize) -> Vec<String> {
    let Ok(status) = event.status() else {
        return Vec::new();
    };
    let state = fengqiao_domain::grid_event::EventState {
        status,
        evidence_count: evidence.max(1),
        reported_by_grid_worker: event.source == "grid_worker",
    };
    let probes = [
        Command::Accept {
            note: String::new(),
        },
        Command::Reject { reason: "x".into() },
        Command::SolveOnSpot { note: "x".into() },
        Command::Dispatch {
            department_org_id: "x".into(),
            reason: String::new(),
        },
        Command::Sign,
        Command::Return { reason: "x".into() },
        Command::Feedback { note: "x".into() },
        Command::Verify {
            approved: true,
            note: "x".into(),
        },
        Command::Evaluate {
            satisfaction: 5,
            comment: String::new(),
        },
        Command::Reopen { reason: "x".into() },
        Command::TransferToDispute {
            dispute_type: "x".into(),
            note: String::new(),
        },
    ];
    probes
        .iter()
        .filter(|c| fengqiao_domain::grid_event::decide(&state, actor, c).is_ok())
        .map(|c| c.name().to_owned())
        .collect()
}

/// One event: timeline, photos, clocks, what I may do.
#[utoipa::path(get, path = "/api/v1/grid-events/{id}", tag = "grid", params(("id" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = ErrorEnvelope)))]
pub async fn detail(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<EventView>> {
    let (event, actor) = visible_event(&state, &me, &id).await?;
    let detail = state.store.grid_event_detail(event).await?;
    let status_label = detail
        .event
        .status()
        .map(|s| s.label_zh().to_owned())
        .unwrap_or_default();
    let clock = crate::routes::supervision::grid_clock_of(&state, &detail)?;
    let allowed = allowed_actions(&actor, &detail.event, detail.photos.len());
    Ok(Json(EventView {
        detail,
        status_label,
        clock,
        allowed_actions: allowed,
    }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CommandBody {
    /// `{"action":"accept"}`, `{"action":"dispatch","department_org_id":"…"}`, …
    #[schema(value_type = Object)]
    #[serde(flatten)]
    pub command: serde_json::Value,
}

/// Take one step on an event.
#[utoipa::path(post, path = "/api/v1/grid-events/{id}/commands", tag = "grid", params(("id" = String, Path)),
    request_body = Object,
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn command(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> ApiResult<Json<GridEventRow>> {
    let command: Command = serde_json::from_value(body)
        .map_err(|e| ApiError::invalid("action", "invalid", e.to_string()))?;
    if matches!(command, Command::TransferToDispute { .. }) {
        return Err(ApiError::invalid(
            "action",
            "use_transfer",
            "转为矛盾纠纷请使用 /grid-events/{id}/transfer-to-dispute（须填写当事人）",
        ));
    }
    let (event, actor) = visible_event(&state, &me, &id).await?;
    let extra = match &command {
        Command::Dispatch {
            department_org_id,
            reason,
        } => {
            let suggestion = suggest(&state, &event).await.ok();
            let overridden = suggestion
                .as_ref()
                .is_none_or(|s| &s.org_id != department_org_id);
            if overridden && reason.trim().is_empty() && actor.is_centre {
                return Err(ApiError::invalid(
                    "reason",
                    "required",
                    "未按派遣规则建议派遣时须说明理由",
                ));
            }
            serde_json::json!({ "suggestion": suggestion, "overridden": overridden })
        }
        _ => serde_json::Value::Null,
    };
    let issuer = StepIssuer {
        user_id: Some(me.user.id.clone()),
        org_id: Some(me.user.org_id.clone()),
        actor_kind: actor_kind(&actor),
        actor,
    };
    let row = state
        .store
        .apply_grid_command(&me.audit(&state), &issuer, &id, &command, &extra)
        .await?;
    Ok(Json(row))
}

fn actor_kind(actor: &Actor) -> &'static str {
    if actor.is_centre {
        "centre"
    } else if actor.is_department {
        "department"
    } else if actor.is_reporter {
        "reporter"
    } else {
        "staff"
    }
}

pub(crate) async fn suggest(state: &AppState, event: &GridEventRow) -> ApiResult<DispatchChoice> {
    let rules = state.store.active_dispatch_rules().await?;
    let departments = state.store.department_directory().await?;
    dispatch(&rules, &event.category, &event.region_path, &departments)
        .map_err(|e| ApiError::invalid("category", "no_dispatch_rule", e.to_string()))
}

/// The department the dispatch rules suggest, with the rule that matched and every rule tried.
#[utoipa::path(get, path = "/api/v1/grid-events/{id}/dispatch-suggestion", tag = "grid", params(("id" = String, Path)),
    responses((status = 200, body = DispatchChoice), (status = 422, body = ErrorEnvelope)))]
pub async fn suggestion(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<DispatchChoice>> {
    let (event, _) = visible_event(&state, &me, &id).await?;
    Ok(Json(suggest(&state, &event).await?))
}

/// Add a photo or file (raw body; `Content-Type`, percent-encoded `X-Filename`; JPEG, PNG, PDF …
/// up to 10 MB) — the scene, on-the-spot or handling evidence.
#[utoipa::path(post, path = "/api/v1/grid-events/{id}/photos", tag = "grid", params(("id" = String, Path)),
    responses((status = 201, body = Object), (status = 422, body = ErrorEnvelope)))]
pub async fn upload_photo(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<PhotoMeta>)> {
    let (event, actor) = visible_event(&state, &me, &id).await?;
    if !(actor.is_centre || actor.is_department || actor.is_reporter || actor.is_grid_worker) {
        return Err(ApiError::Forbidden);
    }
    if !event.status().map(|s| s.is_open()).unwrap_or(false) {
        return Err(ApiError::invalid(
            "status",
            "closed",
            "事件已办结，不能再上传材料",
        ));
    }
    let (filename, content_type) = crate::routes::files::upload_parts(&headers)?;
    let photo_id = uuid::Uuid::now_v7().to_string();
    let meta = state
        .store
        .add_grid_event_photo(
            &me.audit(&state),
            &NewPhoto {
                id: &photo_id,
                event_id: &id,
                filename: &filename,
                content_type: &content_type,
                bytes: &body,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(meta)))
}

/// Download one photo of an event.
#[utoipa::path(get, path = "/api/v1/grid-events/{id}/photos/{photo_id}", tag = "grid",
    params(("id" = String, Path), ("photo_id" = String, Path)),
    responses((status = 200, description = "the file"), (status = 404, body = ErrorEnvelope)))]
pub async fn photo(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((id, photo_id)): Path<(String, String)>,
) -> ApiResult<impl IntoResponse> {
    visible_event(&state, &me, &id).await?;
    let (_filename, content_type, data) = state.store.grid_event_photo_data(&id, &photo_id).await?;
    let disposition = "inline".to_owned();
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        data,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferRequest {
    /// Code from `/api/v1/dispute-types`; defaults to the category's dispute type.
    pub dispute_type: Option<String>,
    /// The parties: at least an applicant and a respondent.
    pub parties: Vec<crate::routes::disputes::PartyInput>,
    /// What the applicant asks for.
    pub claims: String,
    #[serde(default)]
    pub amount_fen: i64,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Transferred {
    pub event_id: String,
    pub dispute_id: String,
    /// 解纷码 of the new case.
    pub code: String,
    /// The case's one-time access secret for the applicant.
    pub access_secret: String,
}

/// Turn an event into a dispute case in one action: the case is registered through the normal
/// intake (channel 网格员上报) with the event's facts, place and number, and the event records
/// the case; repeating the request returns the same case.
#[utoipa::path(post, path = "/api/v1/grid-events/{id}/transfer-to-dispute", tag = "grid", params(("id" = String, Path)),
    request_body = TransferRequest,
    responses((status = 201, body = Transferred), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn transfer(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<TransferRequest>,
) -> ApiResult<(StatusCode, Json<Transferred>)> {
    let (event, actor) = visible_event(&state, &me, &id).await?;
    let categories = state.store.grid_categories().await?;
    let dispute_type = req
        .dispute_type
        .clone()
        .or_else(|| {
            categories
                .iter()
                .find(|c| c.code == event.category)
                .and_then(|c| c.dispute_type.clone())
        })
        .ok_or_else(|| ApiError::invalid("dispute_type", "required", "请选择纠纷类型"))?;
    // Check the step is allowed before anything is registered.
    let probe = Command::TransferToDispute {
        dispute_type: dispute_type.clone(),
        note: req.note.clone(),
    };
    let state_now = fengqiao_domain::grid_event::EventState {
        status: event.status()?,
        evidence_count: 0,
        reported_by_grid_worker: event.source == "grid_worker",
    };
    fengqiao_domain::grid_event::decide(&state_now, &actor, &probe).map_err(|e| match e {
        fengqiao_domain::grid_event::GridEventError::NotPermitted { .. } => ApiError::Forbidden,
        other => ApiError::invalid("action", "wrong_status", other.to_string()),
    })?;
    let mut problems = Vec::new();
    let parties = crate::routes::disputes::parse_parties(&req.parties, &mut problems);
    crate::extract::finish(problems)?;
    check_text("claims", &req.claims, 4000, true)?;
    let region_code = event
        .grid_code
        .clone()
        .or_else(|| {
            event
                .region_path
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .map(str::to_owned)
        })
        .unwrap_or_default();
    let input = fengqiao_store::disputes::NewDispute {
        title: event.title.clone(),
        dispute_type: dispute_type.clone(),
        facts: format!(
            "{}（由网格事件 {} 转入，事发地：{}）",
            event.description, event.number, event.address
        ),
        claims: req.claims.trim().to_owned(),
        amount_fen: req.amount_fen,
        region_code,
        address: event.address.clone(),
        channel: fengqiao_domain::dispute::Channel::GridWorker,
        flags: Vec::new(),
        parties,
        // The event can only become one case: a repeated request finds the same one.
        idempotency_key: Some(format!("grid-event:{}", event.id)),
    };
    let ctx = me.audit(&state);
    let created =
        crate::routes::disputes::register(&state, &ctx, &Scope::Everything, &input).await?;
    let issuer = StepIssuer {
        user_id: Some(me.user.id.clone()),
        org_id: Some(me.user.org_id.clone()),
        actor_kind: actor_kind(&actor),
        actor,
    };
    let extra = serde_json::json!({ "dispute_id": created.dispute.id, "code": created.dispute.display_code() });
    state
        .store
        .apply_grid_command(&ctx, &issuer, &id, &probe, &extra)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Transferred {
            event_id: id,
            dispute_id: created.dispute.id.clone(),
            code: created.dispute.display_code(),
            access_secret: created.access_secret.clone(),
        }),
    ))
}
