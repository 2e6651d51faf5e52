//! Fengqiao's HTTP layer: the `/api/v1` JSON API, health, metrics and the OpenAPI document.
//!
//! `app(state)` builds the whole router so tests drive it in-process with `oneshot`.

pub mod error;
pub mod extract;
pub mod metrics;
pub mod openapi;
pub mod routes;
pub mod state;
pub mod web;
pub mod worker;

pub use state::{AppState, AuthConfig, Clock, ManualClock, SystemClock};

use axum::Router;
use axum::routing::{get, post};
use error::ApiError;
use routes::{
    alerts, audit, auth, disputes, documents, files, orgs, party, regions, routing, supervision,
    system, users,
};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// Largest request body accepted: an attachment of 10 MB plus headroom (JSON bodies are far smaller).
pub const MAX_BODY_BYTES: usize = 11 * 1024 * 1024;

/// The API router under `/api/v1`.
fn api() -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/me", get(auth::me))
        .route("/regions", get(regions::list).post(regions::create))
        .route("/regions/{code}", get(regions::get).patch(regions::update))
        .route("/organisations", get(orgs::list).post(orgs::create))
        .route("/organisations/{id}", get(orgs::get).patch(orgs::update))
        .route("/users", get(users::list).post(users::create))
        .route("/users/{id}", get(users::get).patch(users::update))
        .route("/users/{id}/password", post(users::set_password))
        .route("/users/{id}/reveal", post(users::reveal))
        .route("/dispute-types", get(disputes::types))
        .route("/disputes", get(disputes::list).post(disputes::create))
        .route("/disputes/{id}", get(disputes::get))
        .route("/disputes/{id}/commands", post(disputes::command))
        .route("/disputes/{id}/qr.svg", get(disputes::qr))
        .route("/disputes/{id}/qr.png", get(disputes::qr_png))
        .route("/disputes/{id}/routing", get(routing::for_case))
        .route(
            "/disputes/{id}/documents/{key}/{format}",
            get(documents::document),
        )
        .route(
            "/disputes/{id}/filing-package",
            get(documents::filing_package),
        )
        .route(
            "/disputes/{id}/attachments",
            get(files::list).post(files::upload),
        )
        .route(
            "/disputes/{id}/attachments/{attachment_id}",
            get(files::download),
        )
        .route(
            "/disputes/{id}/submissions",
            get(files::submissions).post(files::submit),
        )
        .route("/document-templates", get(documents::templates))
        .route(
            "/document-templates/{key}",
            axum::routing::put(documents::save_template),
        )
        .route("/party/submissions", post(files::party_submit))
        .route("/party/attachments", post(files::party_upload))
        .route("/routing-rules", get(routing::list))
        .route("/routing-rules/test", post(routing::test))
        .route("/routing-rules/{id}", axum::routing::put(routing::save))
        .route("/party/case", post(party::view))
        .route("/party/evaluate", post(party::evaluate))
        .route("/party/reopen", post(party::reopen))
        .route("/party/confirmation", post(party::request_confirmation))
        .route("/alerts", get(alerts::list))
        .route("/supervision", get(supervision::list))
        .route("/audit", get(audit::recent))
        .route("/audit/verify", get(audit::verify))
        .route("/audit/{entity_type}/{entity_id}", get(audit::for_entity))
        .fallback(|| async { ApiError::NotFound { entity: "endpoint" } })
}

/// The whole application: API, system endpoints and the cross-cutting layers.
pub fn app(state: AppState) -> Router {
    let metrics = state.metrics.clone();
    Router::new()
        .nest("/api/v1", api())
        .route("/api/openapi.json", get(system::openapi_json))
        .route("/api/docs", get(system::api_reference))
        .route("/healthz", get(system::healthz))
        .route("/metrics", get(system::metrics))
        // The console at `/` and the citizen page at `/m/`; also answers unknown paths.
        .merge(web::router(web::WebOptions::default()))
        .with_state(state)
        .layer(axum::middleware::from_fn_with_state(metrics, metrics::track))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default();
            tracing::info_span!("request", method = %req.method(), uri = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}
