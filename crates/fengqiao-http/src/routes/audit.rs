//! Audit API: the trail of one record, recent entries, and a chain check (administrators).

use super::Paging;
use crate::error::{ApiResult, ErrorEnvelope};
use crate::extract::{ApiQuery, CurrentUser};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use fengqiao_store::Page;
use fengqiao_store::audit::{AuditEntryRow, VerifyReport};

/// The audit trail spans every jurisdiction, so only administrators of a city-level
/// organisation (whose scope is the whole city) may read it.
fn require_city_admin(me: &CurrentUser) -> Result<(), crate::error::ApiError> {
    me.require_city_admin()
}

/// Recent audit entries, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(Paging),
    responses((status = 200, body = inline(Page<AuditEntryRow>)), (status = 403, body = ErrorEnvelope)))]
pub async fn recent(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(p): ApiQuery<Paging>,
) -> ApiResult<Json<Page<AuditEntryRow>>> {
    require_city_admin(&me)?;
    Ok(Json(state.store.audit_recent(p.request()).await?))
}

/// The audit trail of one record.
#[utoipa::path(get, path = "/api/v1/audit/{entity_type}/{entity_id}", tag = "audit",
    params(("entity_type" = String, Path), ("entity_id" = String, Path), Paging),
    responses((status = 200, body = inline(Page<AuditEntryRow>)), (status = 403, body = ErrorEnvelope)))]
pub async fn for_entity(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((entity_type, entity_id)): Path<(String, String)>,
    ApiQuery(p): ApiQuery<Paging>,
) -> ApiResult<Json<Page<AuditEntryRow>>> {
    require_city_admin(&me)?;
    Ok(Json(
        state
            .store
            .audit_for_entity(&entity_type, &entity_id, p.request())
            .await?,
    ))
}

/// Walk the hash chain and report the first bad entry, if any.
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit",
    responses((status = 200, body = VerifyReport), (status = 403, body = ErrorEnvelope)))]
pub async fn verify(
    State(state): State<AppState>,
    me: CurrentUser,
) -> ApiResult<Json<VerifyReport>> {
    require_city_admin(&me)?;
    Ok(Json(state.store.audit_verify().await?))
}
