//! Dispute figures for the overview: cases by stage and type, mediation success and completion
//! rates, overdue cases on the official calendar, and the parties' evaluations — scoped to the
//! caller's jurisdiction and body exactly like the dispute list.

use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::CurrentUser;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use fengqiao_domain::role::Role;
use fengqiao_store::disputes::CaseScope;
use fengqiao_store::stats::DisputeCounts;
use serde::Serialize;
use std::collections::HashSet;

/// The dispute figures of the caller's scope.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DisputeStats {
    #[serde(flatten)]
    pub counts: DisputeCounts,
    /// Agreements ÷ (agreements + failed mediations); absent before any mediation ended.
    pub mediation_success_rate: Option<f64>,
    /// Closed or evaluated ÷ (all cases − withdrawn, rejected and merged); absent with no such case.
    pub completion_rate: Option<f64>,
    /// Mean satisfaction (1–5) of the evaluations; absent before the first evaluation.
    pub satisfaction_mean: Option<f64>,
    /// Open cases with at least one red (due or overdue) clock on the official calendar.
    pub overdue_cases: i64,
    /// Red clocks of open cases (a case may run a legal limit and an internal target at once).
    pub overdue_clocks: i64,
    /// Clocks that could not be computed (e.g. into a year whose holidays are unpublished).
    pub uncomputable_clocks: i64,
}

/// A ratio rounded to four decimals (percentages with two), or none when nothing was counted.
fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 / whole as f64 * 10_000.0).round() / 10_000.0)
}

/// Dispute figures of my jurisdiction and the cases assigned to my body.
#[utoipa::path(get, path = "/api/v1/stats/disputes", tag = "disputes",
    responses((status = 200, body = DisputeStats), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn disputes(
    State(state): State<AppState>,
    me: CurrentUser,
) -> ApiResult<Json<DisputeStats>> {
    if me.has(Role::Citizen) {
        return Err(ApiError::Forbidden);
    }
    let scope = CaseScope {
        region: me.scope.clone(),
        org_id: Some(me.user.org_id.clone()),
    };
    let counts = state.store.dispute_counts(&scope).await?;
    let clocks = state.store.open_clocks(&scope).await?;
    let list = crate::routes::supervision::states(
        &state.store.rules(),
        &clocks,
        state.clock.now().china_date(),
    )?;
    let red: Vec<_> = list.items.iter().filter(|i| i.status == "red").collect();
    let overdue_cases = red
        .iter()
        .map(|i| i.dispute_id.as_str())
        .collect::<HashSet<_>>()
        .len();
    let mediations = counts.mediation_succeeded + counts.mediation_failed;
    let evaluations = &counts.evaluations;
    Ok(Json(DisputeStats {
        mediation_success_rate: ratio(counts.mediation_succeeded, mediations),
        completion_rate: ratio(counts.completed, counts.total - counts.not_handled),
        satisfaction_mean: (evaluations.count > 0).then(|| {
            (evaluations.satisfaction_sum as f64 / evaluations.count as f64 * 100.0).round() / 100.0
        }),
        overdue_cases: i64::try_from(overdue_cases).unwrap_or(i64::MAX),
        overdue_clocks: i64::try_from(red.len()).unwrap_or(i64::MAX),
        uncomputable_clocks: i64::try_from(list.uncomputable.len()).unwrap_or(i64::MAX),
        counts,
    }))
}
