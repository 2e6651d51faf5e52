//! Alerts API (the command centre's inbox comes later; the records are listed here now).

use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::{ApiQuery, CurrentUser};
use crate::routes::Paging;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use fengqiao_domain::role::Role;
use fengqiao_store::Page;
use fengqiao_store::alerts::AlertRow;

/// Alerts in the caller's jurisdiction, newest first.
#[utoipa::path(get, path = "/api/v1/alerts", tag = "alerts", params(Paging),
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(p): ApiQuery<Paging>,
) -> ApiResult<Json<Page<AlertRow>>> {
    if me.has(Role::Citizen) {
        return Err(ApiError::Forbidden);
    }
    Ok(Json(state.store.list_alerts(&me.scope, p.request()).await?))
}
