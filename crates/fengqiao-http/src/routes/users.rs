//! Users API: accounts in the caller's jurisdiction, identifiers masked, reveals recorded.

use super::Paging;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::{ApiJson, ApiQuery, CurrentUser, finish};
use crate::routes::auth::{check_password_policy, hash_password};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use fengqiao_domain::identifiers::{MobileNumber, ResidentId};
use fengqiao_domain::role::Role;
use fengqiao_domain::validation::FieldError;
use fengqiao_store::Page;
use fengqiao_store::users::{NewUser, SensitiveField, UserFilter, UserPatch, UserView};
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UserQuery {
    pub org_id: Option<String>,
    pub role: Option<Role>,
    /// Display name or username contains this text.
    pub q: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    pub username: String,
    pub display_name: String,
    pub org_id: String,
    pub roles: Vec<Role>,
    pub password: String,
    /// Mainland mobile number (stored encrypted, shown masked).
    pub phone: Option<String>,
    /// Resident ID number (stored encrypted, shown masked).
    pub id_number: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevealRequest {
    pub field: SensitiveField,
    /// Why the full value is needed; recorded in the audit trail.
    pub reason: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RevealResponse {
    pub field: SensitiveField,
    pub value: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordRequest {
    pub password: String,
}

/// Parses the optional identifiers of a new account, collecting every problem.
pub fn parse_identifiers(
    phone: Option<&str>,
    id_number: Option<&str>,
    problems: &mut Vec<FieldError>,
) -> (Option<MobileNumber>, Option<ResidentId>) {
    let phone = match phone
        .filter(|p| !p.trim().is_empty())
        .map(MobileNumber::parse)
    {
        Some(Ok(p)) => Some(p),
        Some(Err(e)) => {
            problems.push(FieldError::new("phone", "bad_phone", e.to_string()));
            None
        }
        None => None,
    };
    let id = match id_number
        .filter(|p| !p.trim().is_empty())
        .map(ResidentId::parse)
    {
        Some(Ok(p)) => Some(p),
        Some(Err(e)) => {
            problems.push(FieldError::new("id_number", "bad_id_number", e.to_string()));
            None
        }
        None => None,
    };
    (phone, id)
}

/// List accounts in the caller's jurisdiction.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(UserQuery),
    responses((status = 200, body = inline(Page<UserView>)), (status = 401, body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<UserQuery>,
) -> ApiResult<Json<Page<UserView>>> {
    let filter = UserFilter {
        org_id: q.org_id,
        role: q.role,
        name_contains: q.q,
    };
    let paging = Paging {
        page: q.page,
        per_page: q.per_page,
    };
    Ok(Json(
        state
            .store
            .list_users(&me.scope, &filter, paging.request())
            .await?,
    ))
}

/// One account.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = String, Path)),
    responses((status = 200, body = UserView), (status = 404, body = ErrorEnvelope)))]
pub async fn get(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<UserView>> {
    Ok(Json(state.store.get_user(&me.scope, &id).await?.view()?))
}

/// Create an account in an organisation of the caller's jurisdiction (administrators).
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = CreateUserRequest,
    responses((status = 201, body = UserView), (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(req): ApiJson<CreateUserRequest>,
) -> ApiResult<(StatusCode, Json<UserView>)> {
    me.require(&[Role::Admin])?;
    let mut problems = Vec::new();
    if let Err(ApiError::Invalid(mut e)) = check_password_policy("password", &req.password) {
        problems.append(&mut e);
    }
    let (phone, id_number) = parse_identifiers(
        req.phone.as_deref(),
        req.id_number.as_deref(),
        &mut problems,
    );
    finish(problems)?;
    let input = NewUser {
        username: req.username,
        display_name: req.display_name,
        org_id: req.org_id,
        roles: req.roles,
        password_hash: hash_password(&req.password)?,
        phone,
        id_number,
    };
    let id = uuid::Uuid::now_v7().to_string();
    let view = state
        .store
        .create_user(&me.audit(&state), &me.scope, &state.cipher, &id, &input)
        .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Change an account's name, organisation, roles or active flag (administrators).
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", params(("id" = String, Path)), request_body = UserPatch,
    responses((status = 200, body = UserView), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn update(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<UserPatch>,
) -> ApiResult<Json<UserView>> {
    me.require(&[Role::Admin])?;
    let view = state
        .store
        .update_user(&me.audit(&state), &me.scope, &id, &patch)
        .await?;
    if patch.active == Some(false) {
        state.store.delete_user_sessions(&id).await?;
    }
    Ok(Json(view))
}

/// Set a new password; clears a lockout and ends the account's sessions (administrators).
#[utoipa::path(post, path = "/api/v1/users/{id}/password", tag = "users", params(("id" = String, Path)), request_body = PasswordRequest,
    responses((status = 204), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn set_password(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<PasswordRequest>,
) -> ApiResult<StatusCode> {
    me.require(&[Role::Admin])?;
    check_password_policy("password", &req.password)?;
    state
        .store
        .set_password(
            &me.audit(&state),
            &me.scope,
            &id,
            &hash_password(&req.password)?,
        )
        .await?;
    state.store.delete_user_sessions(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Reveal a masked identifier, with a reason that is recorded (administrators).
#[utoipa::path(post, path = "/api/v1/users/{id}/reveal", tag = "users", params(("id" = String, Path)), request_body = RevealRequest,
    responses((status = 200, body = RevealResponse), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn reveal(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<RevealRequest>,
) -> ApiResult<Json<RevealResponse>> {
    me.require(&[Role::Admin])?;
    let value = state
        .store
        .reveal_user_field(
            &me.audit(&state),
            &me.scope,
            &state.cipher,
            &id,
            req.field,
            &req.reason,
        )
        .await?;
    Ok(Json(RevealResponse {
        field: req.field,
        value,
    }))
}
