//! 网格指数 over HTTP: the formula as data, the monthly ranking with each grid's per-duty
//! breakdown and month-on-month change, and the manual assessment items.

use super::{new_id, region_or_own, staff};
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::{ApiJson, ApiQuery, CurrentUser};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use fengqiao_domain::grid_index::{
    Assessment, Duty, DutyScore, Formula, GridActivity, Month, check_assessment, default_formula,
    rank, score,
};
use fengqiao_domain::role::Role;
use fengqiao_store::basedata::{AssessmentView, IndexWindow, NewAssessment};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The grid index formula: duties, weights, components with their inputs, targets, caps and
/// neutral values (docs/GRID-INDEX.md explains it).
#[utoipa::path(get, path = "/api/v1/grid-index/formula", tag = "grid-index",
    responses((status = 200, body = Formula), (status = 401, body = ErrorEnvelope)))]
pub async fn formula(me: CurrentUser) -> ApiResult<Json<Formula>> {
    staff(&me)?;
    Ok(Json(default_formula()))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct IndexQuery {
    /// `YYYY-MM`; default the current month (China time).
    pub month: Option<String>,
    /// Region code whose grids are ranked; default the caller's organisation's region.
    pub under: Option<String>,
}

/// One grid in the ranking.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IndexEntry {
    /// 1-based; equal scores share a rank.
    pub rank: usize,
    pub grid_code: String,
    pub grid_name: String,
    /// 0–100.
    pub score: f64,
    pub previous_score: f64,
    /// score − previous month's score.
    pub change: f64,
    pub duties: Vec<DutyScore>,
    /// The month's measured inputs.
    pub activity: GridActivity,
    /// The month's manual items of this grid.
    pub assessments: Vec<AssessmentView>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IndexRanking {
    pub month: String,
    pub previous_month: String,
    pub under_code: String,
    pub under_name: String,
    pub formula_version: String,
    pub items: Vec<IndexEntry>,
}

fn month_of(state: &AppState, text: Option<&str>) -> ApiResult<Month> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Month::parse(t).map_err(|e| ApiError::invalid("month", "bad_month", e)),
        None => Ok(Month::of(state.clock.now().china_date())),
    }
}

fn items_of(rows: &[AssessmentView], grid: &str) -> Vec<Assessment> {
    rows.iter()
        .filter(|a| a.grid_code == grid)
        .filter_map(|a| {
            a.duty.parse::<Duty>().ok().map(|duty| Assessment {
                duty,
                points: a.points,
            })
        })
        .collect()
}

/// The month's grid index for the grids under a region, ranked, with each grid's breakdown per
/// duty and its change from the previous month.
#[utoipa::path(get, path = "/api/v1/grid-index", tag = "grid-index", params(IndexQuery),
    responses((status = 200, body = IndexRanking), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn ranking(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<IndexQuery>,
) -> ApiResult<Json<IndexRanking>> {
    staff(&me)?;
    let month = month_of(&state, q.month.as_deref())?;
    let previous = month.previous();
    let (under_code, under_name, under_path) =
        region_or_own(&state, &me, q.under.as_deref()).await?;
    let f = default_formula();
    let window = |m: Month| IndexWindow::of(m, f.urgent_within_hours, f.fresh_within_days);
    let now = state
        .store
        .grid_activity(&me.scope, &under_path, window(month))
        .await?;
    let before = state
        .store
        .grid_activity(&me.scope, &under_path, window(previous))
        .await?;
    let items_now = state
        .store
        .grid_assessments(&me.scope, &under_path, month)
        .await?;
    let items_before = state
        .store
        .grid_assessments(&me.scope, &under_path, previous)
        .await?;
    let previous_totals: HashMap<String, f64> = before
        .iter()
        .map(|g| {
            let s = score(&f, &g.activity, &items_of(&items_before, &g.grid_code));
            (g.grid_code.clone(), s.total)
        })
        .collect();
    let entries = now
        .into_iter()
        .map(|g| {
            let s = score(&f, &g.activity, &items_of(&items_now, &g.grid_code));
            let prev = previous_totals.get(&g.grid_code).copied();
            (g.grid_code.clone(), s.total, prev, (g, s))
        })
        .collect();
    let items = rank(entries)
        .into_iter()
        .map(|(code, total, ranked)| {
            let (g, s) = ranked.item;
            let previous_score = previous_totals.get(&code).copied().unwrap_or_default();
            IndexEntry {
                rank: ranked.rank,
                assessments: items_now
                    .iter()
                    .filter(|a| a.grid_code == code)
                    .cloned()
                    .collect(),
                grid_code: code,
                grid_name: g.grid_name,
                score: total,
                previous_score,
                change: ranked.change.unwrap_or_default(),
                duties: s.duties,
                activity: g.activity,
            }
        })
        .collect();
    Ok(Json(IndexRanking {
        month: month.to_string(),
        previous_month: previous.to_string(),
        under_code,
        under_name,
        formula_version: f.version,
        items,
    }))
}

/// The month's manual assessment items of the grids under a region.
#[utoipa::path(get, path = "/api/v1/grid-index/assessments", tag = "grid-index", params(IndexQuery),
    responses((status = 200, body = Vec<AssessmentView>), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn assessments(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<IndexQuery>,
) -> ApiResult<Json<Vec<AssessmentView>>> {
    staff(&me)?;
    let month = month_of(&state, q.month.as_deref())?;
    let (_, _, path) = region_or_own(&state, &me, q.under.as_deref()).await?;
    Ok(Json(
        state
            .store
            .grid_assessments(&me.scope, &path, month)
            .await?,
    ))
}

/// Record a manual assessment item — a bonus or deduction on one duty of one grid's month, with
/// a reason (administrators of a street, district or the city; audited).
#[utoipa::path(post, path = "/api/v1/grid-index/assessments", tag = "grid-index", request_body = NewAssessment,
    responses((status = 201, body = AssessmentView), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_assessment(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(req): ApiJson<NewAssessment>,
) -> ApiResult<(StatusCode, Json<AssessmentView>)> {
    me.require(&[Role::Admin])?;
    // Street (/city/district/street/) or above: community and grid staff do not grade themselves.
    if me.user.org_region_path.matches('/').count() > 4 {
        return Err(ApiError::Forbidden);
    }
    if let Err(e) = check_assessment(&default_formula(), req.duty, req.points) {
        return Err(ApiError::invalid("points", "out_of_range", e.to_string()));
    }
    let view = state
        .store
        .create_grid_assessment(&me.audit(&state), &me.scope, &new_id(), &req)
        .await?;
    Ok((StatusCode::CREATED, Json(view)))
}
