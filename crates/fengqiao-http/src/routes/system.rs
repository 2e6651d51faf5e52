//! Health, metrics, the OpenAPI document and its offline reference page.

use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse};
use serde::Serialize;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: &'static str,
    pub database: &'static str,
    pub version: &'static str,
}

/// Liveness and database reachability.
#[utoipa::path(get, path = "/healthz", tag = "system", responses((status = 200, body = Health), (status = 500)))]
pub async fn healthz(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    state.store.count_regions().await?;
    Ok(Json(Health {
        status: "ok",
        database: state.store.backend().name(),
        version: env!("CARGO_PKG_VERSION"),
    }))
}

/// Prometheus text exposition.
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
}

pub async fn openapi_json() -> impl IntoResponse {
    Json(crate::openapi::document())
}

/// A self-contained API reference rendered from the OpenAPI document (no CDN, works offline).
pub async fn api_reference() -> Html<String> {
    Html(crate::openapi::render_reference(&crate::openapi::document()))
}
