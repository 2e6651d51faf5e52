//! 走访 over HTTP: visits recorded by grid workers (with the issues residents raised), visit
//! campaigns and their summaries.

use super::{COLLECTORS, new_id, region_or_own, staff};
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::{ApiJson, ApiQuery, CurrentUser};
use crate::routes::Paging;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use fengqiao_domain::role::Role;
use fengqiao_domain::time::Timestamp;
use fengqiao_store::Page;
use fengqiao_store::basedata::{
    CampaignSummary, CampaignView, IssuePatch, NewCampaign, NewIssue, NewVisit, VisitFilter,
    VisitView,
};
use serde::Deserialize;

/// A visit as the worker records it; the worker is the caller.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateVisitRequest {
    pub grid_code: String,
    /// When the visit took place; default now.
    pub visited_at: Option<Timestamp>,
    /// The campaign the visit belongs to (its region must contain the grid, its dates the visit).
    pub campaign_id: Option<String>,
    /// The housing record visited; or describe the household in `household`.
    pub housing_id: Option<String>,
    #[serde(default)]
    pub household: String,
    /// People met (at least the number of `person_ids`; default that number).
    pub people_seen: Option<i64>,
    /// Person records of the people met.
    #[serde(default)]
    pub person_ids: Vec<String>,
    #[serde(default)]
    pub notes: String,
    /// Issues the residents raised.
    #[serde(default)]
    pub issues: Vec<NewIssue>,
}

/// Record a visit (grid workers and administrators).
#[utoipa::path(post, path = "/api/v1/visits", tag = "visits", request_body = CreateVisitRequest,
    responses((status = 201, body = VisitView), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(req): ApiJson<CreateVisitRequest>,
) -> ApiResult<(StatusCode, Json<VisitView>)> {
    me.require(&COLLECTORS)?;
    let ctx = me.audit(&state);
    let input = NewVisit {
        grid_code: req.grid_code,
        worker_user_id: me.user.id.clone(),
        campaign_id: req.campaign_id.filter(|c| !c.trim().is_empty()),
        visited_at: req.visited_at.unwrap_or(ctx.at),
        housing_id: req.housing_id.filter(|h| !h.trim().is_empty()),
        household: req.household,
        people_seen: req.people_seen,
        person_ids: req.person_ids,
        notes: req.notes,
        issues: req.issues,
    };
    let view = state
        .store
        .create_visit(&ctx, &me.scope, &new_id(), &input)
        .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct VisitQuery {
    /// A region code to list under; default the caller's jurisdiction.
    pub region: Option<String>,
    pub grid: Option<String>,
    pub campaign_id: Option<String>,
    /// The worker's user id.
    pub worker: Option<String>,
    /// First day (China date, inclusive).
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<NaiveDate>,
    /// Last day (inclusive).
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<NaiveDate>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// Visits in the caller's jurisdiction, newest first, with their issues.
#[utoipa::path(get, path = "/api/v1/visits", tag = "visits", params(VisitQuery),
    responses((status = 200, body = inline(Page<VisitView>)), (status = 401, body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<VisitQuery>,
) -> ApiResult<Json<Page<VisitView>>> {
    staff(&me)?;
    let under_path = match q.region.as_deref().filter(|r| !r.trim().is_empty()) {
        Some(r) => Some(region_or_own(&state, &me, Some(r)).await?.2),
        None => None,
    };
    let filter = VisitFilter {
        under_path,
        grid_code: q.grid,
        campaign_id: q.campaign_id,
        worker_user_id: q.worker,
        from: q.from.map(Timestamp::start_of_china_day),
        to: q
            .to
            .and_then(|d| d.succ_opt())
            .map(Timestamp::start_of_china_day),
    };
    let page = Paging {
        page: q.page,
        per_page: q.per_page,
    }
    .request();
    Ok(Json(
        state.store.list_visits(&me.scope, &filter, page).await?,
    ))
}

/// One visit with its issues (and the status of the grid events following them).
#[utoipa::path(get, path = "/api/v1/visits/{id}", tag = "visits", params(("id" = String, Path)),
    responses((status = 200, body = VisitView), (status = 404, body = ErrorEnvelope)))]
pub async fn get(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<VisitView>> {
    staff(&me)?;
    Ok(Json(state.store.get_visit(&me.scope, &id).await?))
}

/// Mark an issue solved on the spot, or link the grid event that follows it up.
#[utoipa::path(patch, path = "/api/v1/visits/{id}/issues/{seq}", tag = "visits",
    params(("id" = String, Path), ("seq" = i64, Path, description = "The issue's number in the visit (1-based)")),
    request_body = IssuePatch,
    responses((status = 200, body = VisitView), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn update_issue(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((id, seq)): Path<(String, i64)>,
    ApiJson(patch): ApiJson<IssuePatch>,
) -> ApiResult<Json<VisitView>> {
    me.require(&COLLECTORS)?;
    Ok(Json(
        state
            .store
            .update_visit_issue(&me.audit(&state), &me.scope, &id, seq, &patch)
            .await?,
    ))
}

/// Start a visit campaign over a region of the caller's jurisdiction (administrators).
#[utoipa::path(post, path = "/api/v1/visit-campaigns", tag = "visits", request_body = NewCampaign,
    responses((status = 201, body = CampaignView), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_campaign(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(req): ApiJson<NewCampaign>,
) -> ApiResult<(StatusCode, Json<CampaignView>)> {
    me.require(&[Role::Admin])?;
    let view = state
        .store
        .create_campaign(&me.audit(&state), &me.scope, &new_id(), &req)
        .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CampaignQuery {
    /// Only campaigns running on this day (e.g. today, to pick one when recording a visit).
    #[param(value_type = Option<String>, format = Date)]
    pub active_on: Option<NaiveDate>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// Campaigns inside the caller's jurisdiction or covering it, latest first.
#[utoipa::path(get, path = "/api/v1/visit-campaigns", tag = "visits", params(CampaignQuery),
    responses((status = 200, body = inline(Page<CampaignView>)), (status = 401, body = ErrorEnvelope)))]
pub async fn list_campaigns(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<CampaignQuery>,
) -> ApiResult<Json<Page<CampaignView>>> {
    staff(&me)?;
    let page = Paging {
        page: q.page,
        per_page: q.per_page,
    }
    .request();
    Ok(Json(
        state
            .store
            .list_campaigns(&me.scope, q.active_on, page)
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/visit-campaigns/{id}", tag = "visits", params(("id" = String, Path)),
    responses((status = 200, body = CampaignView), (status = 404, body = ErrorEnvelope)))]
pub async fn get_campaign(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<CampaignView>> {
    staff(&me)?;
    Ok(Json(state.store.get_campaign(&me.scope, &id).await?))
}

/// The campaign's figures over the visits in the caller's jurisdiction: households and people
/// visited, issues raised and the share solved (on the spot, or its grid event closed or
/// evaluated), in total and per grid.
#[utoipa::path(get, path = "/api/v1/visit-campaigns/{id}/summary", tag = "visits", params(("id" = String, Path)),
    responses((status = 200, body = CampaignSummary), (status = 404, body = ErrorEnvelope)))]
pub async fn campaign_summary(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<CampaignSummary>> {
    staff(&me)?;
    if id.trim().is_empty() {
        return Err(ApiError::NotFound {
            entity: "visit_campaign",
        });
    }
    Ok(Json(state.store.campaign_summary(&me.scope, &id).await?))
}
