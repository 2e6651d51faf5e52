//! Staff reveal a party's full phone number or resident ID on a case they can see, with a reason
//! recorded on the audit trail (the case page shows masked values otherwise).

use crate::error::{ApiResult, ErrorEnvelope};
use crate::extract::{ApiJson, CurrentUser};
use crate::routes::disputes::case_scope;
use crate::routes::users::{RevealRequest, RevealResponse};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use fengqiao_domain::role::Role;

/// Reveal party `seq`'s phone or resident ID, with a reason.
#[utoipa::path(post, path = "/api/v1/disputes/{id}/parties/{seq}/reveal", tag = "disputes",
    params(("id" = String, Path), ("seq" = i64, Path)), request_body = RevealRequest,
    responses((status = 200, body = RevealResponse), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn reveal(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((id, seq)): Path<(String, i64)>,
    ApiJson(req): ApiJson<RevealRequest>,
) -> ApiResult<Json<RevealResponse>> {
    me.require(&[
        Role::Admin,
        Role::Intake,
        Role::Mediator,
        Role::Judge,
        Role::Arbitrator,
    ])?;
    let value = state
        .store
        .reveal_party_field(
            &me.audit(&state),
            &case_scope(&me),
            &state.cipher,
            &id,
            seq,
            req.field,
            &req.reason,
        )
        .await?;
    Ok(Json(RevealResponse {
        field: req.field,
        value,
    }))
}
