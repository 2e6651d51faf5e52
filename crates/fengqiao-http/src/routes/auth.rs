//! Login, logout and "who am I": argon2 passwords, server-side sessions, lockout after repeated failures.

use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::{ApiJson, CurrentUser, RequestId, SESSION_COOKIE};
use crate::state::AppState;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::IntoResponse;
use base64::Engine;
use fengqiao_domain::role::Role;
use fengqiao_store::users::UserView;
use fengqiao_store::{AuditCtx, Scope};
use rand::RngCore;
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LoginResponse {
    /// Bearer token (also set as the HttpOnly `fq_session` cookie).
    pub token: String,
    pub expires_at: fengqiao_domain::time::Timestamp,
    pub user: MeResponse,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MeResponse {
    pub user: UserView,
    pub org: fengqiao_store::orgs::OrgRow,
    pub roles: Vec<Role>,
}

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(format!("password hashing failed: {e}")))
}

/// Checks a password policy: 8–128 characters with letters and digits.
pub fn check_password_policy(field: &str, password: &str) -> Result<(), ApiError> {
    let len = password.chars().count();
    let letters = password.chars().any(|c| c.is_alphabetic());
    let digits = password.chars().any(|c| c.is_ascii_digit());
    if !(8..=128).contains(&len) || !letters || !digits {
        return Err(ApiError::invalid(
            field,
            "weak_password",
            "密码须为 8–128 位，且同时包含字母和数字",
        ));
    }
    Ok(())
}

fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub(crate) async fn me_for(state: &AppState, user_id: &str) -> ApiResult<MeResponse> {
    let user = state.store.get_user(&Scope::Everything, user_id).await?;
    let org = state
        .store
        .get_org(&Scope::Everything, &user.org_id)
        .await?;
    Ok(MeResponse {
        roles: user.roles()?,
        user: user.view()?,
        org,
    })
}

/// Log in with username and password.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = ErrorEnvelope), (status = 423, description = "account locked", body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn login(
    State(state): State<AppState>,
    RequestId(request_id): RequestId,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<impl IntoResponse> {
    if req.username.trim().is_empty() {
        return Err(ApiError::invalid("username", "required", "请输入用户名"));
    }
    if req.password.is_empty() {
        return Err(ApiError::invalid("password", "required", "请输入密码"));
    }
    let now = state.clock.now();
    let Some(user) = state.store.find_user_by_username(&req.username).await? else {
        // Spend the same time as a real check so unknown names cannot be told apart by timing.
        let _ = hash_password(&req.password);
        return Err(ApiError::BadCredentials);
    };
    let ctx = AuditCtx {
        actor_user_id: Some(user.id.clone()),
        actor_org_id: Some(user.org_id.clone()),
        request_id: Some(request_id),
        at: now,
    };
    if let Some(until) = user.locked_until.filter(|u| *u > now.as_micros()) {
        let until = fengqiao_domain::time::Timestamp::from_micros(until);
        return Err(locked(until, now));
    }
    if !user.active {
        return Err(ApiError::BadCredentials);
    }
    if !verify_password(&user.password_hash, &req.password) {
        let locked_until = state
            .store
            .record_login_failure(
                &ctx,
                &user.id,
                state.auth.max_failed_logins,
                state.auth.lockout_secs,
            )
            .await?;
        return Err(match locked_until {
            Some(until) => locked(until, now),
            None => ApiError::BadCredentials,
        });
    }
    state.store.record_login_success(&ctx, &user.id).await?;
    let token = new_token();
    let expires_at = now.plus_seconds(state.auth.session_ttl_secs);
    state
        .store
        .create_session(&token, &user.id, now, expires_at)
        .await?;
    let mut headers = HeaderMap::new();
    let secure = if state.auth.secure_cookie {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{secure}",
        state.auth.session_ttl_secs
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        headers.insert(header::SET_COOKIE, v);
    }
    let me = me_for(&state, &user.id).await?;
    Ok((
        headers,
        Json(LoginResponse {
            token,
            expires_at,
            user: me,
        }),
    ))
}

fn locked(
    until: fengqiao_domain::time::Timestamp,
    now: fengqiao_domain::time::Timestamp,
) -> ApiError {
    let local = until
        .to_datetime()
        .with_timezone(&fengqiao_domain::time::china_offset());
    ApiError::Locked {
        until: local.format("%Y-%m-%d %H:%M").to_string(),
        retry_after_secs: ((until.as_micros() - now.as_micros()) / 1_000_000).max(1),
    }
}

/// End the current session.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 204), (status = 401, body = ErrorEnvelope)))]
pub async fn logout(
    State(state): State<AppState>,
    me: CurrentUser,
) -> ApiResult<impl IntoResponse> {
    state.store.delete_session(&me.token).await?;
    let mut headers = HeaderMap::new();
    headers.insert(
        header::SET_COOKIE,
        HeaderValue::from_static("fq_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"),
    );
    Ok((axum::http::StatusCode::NO_CONTENT, headers))
}

/// The caller's account, organisation and roles.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", responses((status = 200, body = MeResponse), (status = 401, body = ErrorEnvelope)))]
pub async fn me(State(state): State<AppState>, me: CurrentUser) -> ApiResult<Json<MeResponse>> {
    Ok(Json(me_for(&state, &me.user.id).await?))
}
