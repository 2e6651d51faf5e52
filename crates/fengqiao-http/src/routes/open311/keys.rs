//! Open311 API keys, managed by city administrators: issued with a name and holder, shown once,
//! stored only as SHA-256, revoked (never deleted) — each change audited.

use crate::error::{ApiResult, ErrorEnvelope};
use crate::extract::{ApiJson, CurrentUser};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use base64::Engine;
use fengqiao_domain::time::Timestamp;
use fengqiao_store::open311::Open311KeyRow;
use serde::{Deserialize, Serialize};

/// A key as the console lists it (never the key itself).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct KeyView {
    pub id: String,
    /// What the key is for (the app or system using it).
    pub name: String,
    /// Who holds it.
    pub owner: String,
    /// The key's first characters, to tell keys apart.
    pub key_prefix: String,
    pub created_by: Option<String>,
    pub created_at: String,
    pub revoked_by: Option<String>,
    pub revoked_at: Option<String>,
    pub active: bool,
}

impl KeyView {
    fn of(row: &Open311KeyRow) -> Self {
        let at = |m: i64| Timestamp::from_micros(m).to_rfc3339();
        Self {
            id: row.id.clone(),
            name: row.name.clone(),
            owner: row.owner.clone(),
            key_prefix: row.key_prefix.clone(),
            created_by: row.created_by.clone(),
            created_at: at(row.created_at),
            revoked_by: row.revoked_by.clone(),
            revoked_at: row.revoked_at.map(at),
            active: row.revoked_at.is_none(),
        }
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewKey {
    /// What the key is for, e.g. 市民通 App.
    pub name: String,
    /// Who holds it (organisation, vendor, contact).
    #[serde(default)]
    pub owner: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedKey {
    pub key: KeyView,
    /// The key itself: shown this once, never again (only its SHA-256 is kept).
    pub api_key: String,
}

/// Open311 API keys, newest first (city administrators).
#[utoipa::path(get, path = "/api/v1/open311/keys", tag = "open311",
    responses((status = 200, body = [KeyView]), (status = 403, body = ErrorEnvelope)))]
pub async fn list(State(state): State<AppState>, me: CurrentUser) -> ApiResult<Json<Vec<KeyView>>> {
    me.require_city_admin()?;
    let rows = state.store.open311_keys().await?;
    Ok(Json(rows.iter().map(KeyView::of).collect()))
}

/// Issue a key (city administrators); the answer carries the key once.
#[utoipa::path(post, path = "/api/v1/open311/keys", tag = "open311", request_body = NewKey,
    responses((status = 201, body = CreatedKey), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(input): ApiJson<NewKey>,
) -> ApiResult<(StatusCode, Json<CreatedKey>)> {
    me.require_city_admin()?;
    let bytes: [u8; 24] = rand::random();
    let secret = format!(
        "o311_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    );
    let id = uuid::Uuid::now_v7().to_string();
    let row = state
        .store
        .create_open311_key(&me.audit(&state), &id, &input.name, &input.owner, &secret)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedKey {
            key: KeyView::of(&row),
            api_key: secret,
        }),
    ))
}

/// Revoke a key (city administrators); it stays listed, marked revoked.
#[utoipa::path(delete, path = "/api/v1/open311/keys/{id}", tag = "open311", params(("id" = String, Path)),
    responses((status = 200, body = KeyView), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn revoke(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<KeyView>> {
    me.require_city_admin()?;
    let row = state
        .store
        .revoke_open311_key(&me.audit(&state), &id)
        .await?;
    Ok(Json(KeyView::of(&row)))
}
