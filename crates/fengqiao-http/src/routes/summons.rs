//! 街乡吹哨、部门报到: a street's centre summons several departments to one matter; each must
//! report in within the summons clock (official calendar) and answer; the board shows who has.

use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::{ApiJson, ApiQuery, CurrentUser};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::NaiveDate;
use fengqiao_domain::clock::{ClockRun, clock_state};
use fengqiao_domain::grid_event::{SUMMONS_CLOCK, SummonsAnswer};
use fengqiao_domain::role::Role;
use fengqiao_domain::time::Timestamp;
use fengqiao_store::Scope;
use fengqiao_store::grid_events::{NewSummons, SummonsDepartmentRow, SummonsDetail, SummonsRow};
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(paths(raise, list, get_one, answer, close))]
pub struct Api;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/summons", get(list).post(raise))
        .route("/summons/{id}", get(get_one))
        .route("/summons/{id}/answers", post(answer))
        .route("/summons/{id}/close", post(close))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RaiseRequest {
    pub title: String,
    pub description: String,
    /// The departments summoned (two or more).
    pub department_ids: Vec<String>,
    /// The grid event the summons is about, if any.
    pub event_id: Option<String>,
}

/// A summoned department with its report-in limit.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DepartmentState {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub row: SummonsDepartmentRow,
    /// Reported in after the limit, or not yet and the limit has passed.
    pub overdue: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SummonsView {
    #[schema(value_type = Object)]
    pub summons: SummonsRow,
    /// The last day to report in (the summons clock on the region's calendar).
    #[schema(value_type = Option<String>, format = Date)]
    pub report_due: Option<NaiveDate>,
    pub departments: Vec<DepartmentState>,
    pub reported: usize,
    pub answered: usize,
    pub overdue: usize,
}

fn view(state: &AppState, detail: SummonsDetail) -> SummonsView {
    let rules = state.store.rules();
    let today = state.clock.now().china_date();
    let created = Timestamp::from_micros(detail.summons.created_at);
    let due = rules.clock(SUMMONS_CLOCK).and_then(|def| {
        let calendar = rules.calendar_for(&detail.summons.region_path);
        clock_state(def, &ClockRun::started_at(created), &calendar, today)
            .ok()
            .map(|s| s.due)
    });
    let departments: Vec<DepartmentState> = detail
        .departments
        .into_iter()
        .map(|row| {
            let overdue = due.is_some_and(|due| match row.reported_at {
                Some(at) => Timestamp::from_micros(at).china_date() > due,
                None => today > due && detail.summons.status == "open",
            });
            DepartmentState { row, overdue }
        })
        .collect();
    SummonsView {
        report_due: due,
        reported: departments
            .iter()
            .filter(|d| d.row.reported_at.is_some())
            .count(),
        answered: departments
            .iter()
            .filter(|d| d.row.status == "answered")
            .count(),
        overdue: departments.iter().filter(|d| d.overdue).count(),
        departments,
        summons: detail.summons,
    }
}

/// Blow the whistle: summon two or more departments to one matter of my street.
#[utoipa::path(post, path = "/api/v1/summons", tag = "grid", request_body = RaiseRequest,
    responses((status = 201, body = SummonsView), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn raise(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(req): ApiJson<RaiseRequest>,
) -> ApiResult<(StatusCode, Json<SummonsView>)> {
    me.require(&[Role::Commander, Role::Intake, Role::Admin])?;
    let region_path = me.user.org_region_path.clone();
    let region_code = region_path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    if let Some(event) = &req.event_id {
        let row = state
            .store
            .grid_event_unscoped(event)
            .await
            .map_err(|_| ApiError::invalid("event_id", "not_found", "关联的网格事件不存在"))?;
        if !me.scope.covers(&row.region_path) {
            return Err(ApiError::invalid(
                "event_id",
                "out_of_scope",
                "事件不在您的辖区",
            ));
        }
    }
    let new = NewSummons {
        id: uuid::Uuid::now_v7().to_string(),
        region_code,
        region_path,
        title: req.title,
        description: req.description,
        event_id: req.event_id,
        department_ids: req.department_ids,
    };
    let detail = state.store.raise_summons(&me.audit(&state), &new).await?;
    Ok((StatusCode::CREATED, Json(view(&state, detail))))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub open_only: Option<bool>,
}

/// The summons board: my area's summonses and those that summon my department.
#[utoipa::path(get, path = "/api/v1/summons", tag = "grid", params(ListQuery),
    responses((status = 200, body = [SummonsView])))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<SummonsView>>> {
    if me.has(Role::Citizen) {
        return Err(ApiError::Forbidden);
    }
    let rows = state
        .store
        .list_summons(
            &me.scope,
            Some(&me.user.org_id),
            q.open_only.unwrap_or(false),
        )
        .await?;
    Ok(Json(rows.into_iter().map(|d| view(&state, d)).collect()))
}

async fn visible(state: &AppState, me: &CurrentUser, id: &str) -> ApiResult<SummonsDetail> {
    if me.has(Role::Citizen) {
        return Err(ApiError::NotFound { entity: "summons" });
    }
    let detail = state.store.summons(&Scope::Everything, id).await?;
    let summoned = detail
        .departments
        .iter()
        .any(|d| d.org_id == me.user.org_id);
    if summoned || me.scope.covers(&detail.summons.region_path) {
        Ok(detail)
    } else {
        Err(ApiError::NotFound { entity: "summons" })
    }
}

/// One summons with each department's answer.
#[utoipa::path(get, path = "/api/v1/summons/{id}", tag = "grid", params(("id" = String, Path)),
    responses((status = 200, body = SummonsView), (status = 404, body = ErrorEnvelope)))]
pub async fn get_one(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<SummonsView>> {
    let detail = visible(&state, &me, &id).await?;
    Ok(Json(view(&state, detail)))
}

/// A summoned department reports in (`{"action":"report"}`) or answers (`{"action":"answer","text":"…"}`).
#[utoipa::path(post, path = "/api/v1/summons/{id}/answers", tag = "grid", params(("id" = String, Path)),
    request_body = Object,
    responses((status = 200, body = SummonsView), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn answer(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> ApiResult<Json<SummonsView>> {
    me.require(&[Role::Handler, Role::Admin])?;
    let answer: SummonsAnswer = serde_json::from_value(body)
        .map_err(|e| ApiError::invalid("action", "invalid", e.to_string()))?;
    visible(&state, &me, &id).await?;
    let detail = state
        .store
        .answer_summons(&me.audit(&state), &id, &me.user.org_id, &answer)
        .await?;
    Ok(Json(view(&state, detail)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseRequest {
    #[serde(default)]
    pub note: String,
}

/// The raising centre closes the summons.
#[utoipa::path(post, path = "/api/v1/summons/{id}/close", tag = "grid", params(("id" = String, Path)),
    request_body = CloseRequest,
    responses((status = 200, body = SummonsView), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn close(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<CloseRequest>,
) -> ApiResult<Json<SummonsView>> {
    me.require(&[Role::Commander, Role::Intake, Role::Admin])?;
    let detail = visible(&state, &me, &id).await?;
    if !me.scope.covers(&detail.summons.region_path) {
        return Err(ApiError::Forbidden);
    }
    let detail = state
        .store
        .close_summons(&me.audit(&state), &id, &req.note)
        .await?;
    Ok(Json(view(&state, detail)))
}
