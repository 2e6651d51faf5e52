//! Fengqiao's HTTP layer: the `/api/v1` JSON API, health, metrics and the OpenAPI document.
//!
//! `app(state)` builds the whole router so tests drive it in-process with `oneshot`.

pub mod alert_feed;
pub mod error;
pub mod extract;
pub mod metrics;
pub mod openapi;
pub mod risk_engine;
pub mod routes;
pub mod state;
pub mod web;
pub mod worker;

pub use state::{AppState, AuthConfig, Clock, ManualClock, SystemClock};

use axum::Router;
use axum::routing::{get, post};
use error::ApiError;
use routes::{
    audit, auth, disputes, documents, files, iot, orgs, party, regions, routing, supervision,
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
        .route(
            "/dispute-types",
            get(disputes::types).post(routes::taxonomy::create),
        )
        .route(
            "/dispute-types/{code}",
            axum::routing::put(routes::taxonomy::update),
        )
        .route("/calendar", get(routes::calendar::overview))
        .route("/calendar/years", post(routes::calendar::add_year))
        .route("/calendar/deadline", get(routes::calendar::deadline))
        .route(
            "/calendar/regional-days",
            get(routes::calendar::regional_days),
        )
        .route(
            "/calendar/regional-days/{region_code}/{date}",
            axum::routing::put(routes::calendar::set_regional_day)
                .delete(routes::calendar::remove_regional_day),
        )
        .route("/calendar/{year}", get(routes::calendar::year))
        .route("/clock-definitions", get(routes::clocks::list))
        .route(
            "/clock-definitions/{id}",
            axum::routing::put(routes::clocks::save),
        )
        .route(
            "/disputes/{id}/clocks/{clock_row_id}/extensions",
            post(routes::clocks::extend),
        )
        .route("/disputes", get(disputes::list).post(disputes::create))
        .route("/disputes/import", post(routes::intake_import::import))
        .route(
            "/disputes/{id}/parties/{seq}/reveal",
            post(routes::party_reveal::reveal),
        )
        .route(
            "/disputes/import/template.xlsx",
            get(routes::intake_import::template),
        )
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
        .route("/party/disputes", post(routes::online_filing::file))
        .route("/party/intake-options", get(routes::online_filing::options))
        .route("/party/case", post(party::view))
        .route("/party/evaluate", post(party::evaluate))
        .route("/party/reopen", post(party::reopen))
        .route("/party/confirmation", post(party::request_confirmation))
        .route(
            "/iot/devices",
            get(iot::list_devices).post(iot::create_device),
        )
        .route("/iot/devices/{id}", get(iot::get_device))
        .route("/iot/devices/{id}/trajectory", get(iot::trajectory))
        .route(
            "/iot/vehicles",
            get(iot::list_vehicles).post(iot::create_vehicle),
        )
        .route("/iot/vehicles/{id}/stolen", post(iot::set_stolen))
        .route("/iot/stolen", get(iot::stolen_board))
        .route(
            "/iot/readers",
            get(iot::list_readers).post(iot::create_reader),
        )
        .route("/iot/import/{entity}", post(iot::import))
        .route("/iot/live", get(iot::live))
        .route("/iot/fences", get(iot::list_fences).post(iot::create_fence))
        .route("/iot/video-rules", get(iot::list_video_rules))
        .route(
            "/iot/video-rules/{id}",
            axum::routing::patch(iot::update_video_rule),
        )
        .route("/iot/video-events", post(iot::video_event))
        .route("/supervision", get(supervision::list))
        .route("/stats/disputes", get(routes::stats::disputes))
        .route("/audit", get(audit::recent))
        .route("/audit/verify", get(audit::verify))
        .route("/audit/{entity_type}/{entity_id}", get(audit::for_entity))
        // 金融智审: calculators, the LPR table, bank-loan batches.
        .route("/calc/{calculator}", post(routes::finance::calculate))
        .route(
            "/calc/{calculator}/docx",
            post(routes::finance::calculate_docx),
        )
        .route(
            "/lpr",
            get(routes::finance::lpr).put(routes::finance::update_lpr),
        )
        .route("/finance/template/{format}", get(routes::finance::template))
        .route("/finance/templates", get(routes::finance::templates))
        .route(
            "/finance/templates/{key}",
            axum::routing::put(routes::finance::save_template),
        )
        .route(
            "/finance/batches",
            get(routes::finance::batches).post(routes::finance::upload),
        )
        .route("/finance/batches/{id}", get(routes::finance::batch))
        .route("/finance/batches/{id}/export", get(routes::finance::export))
        .route(
            "/finance/batches/{id}/cases/{case_id}",
            get(routes::finance::case),
        )
        .route(
            "/finance/batches/{id}/cases/{case_id}/decision",
            post(routes::finance::decide),
        )
        .route(
            "/finance/batches/{id}/cases/{case_id}/steps",
            post(routes::finance::record_step),
        )
        .route(
            "/finance/batches/{id}/cases/{case_id}/documents/{key}/{format}",
            get(routes::finance::document),
        )
        // 网格化服务管理: grids, base data, grid events — each module owns its routes.
        .merge(routes::grids::routes())
        .merge(routes::basedata::routes())
        .merge(routes::grid_events::routes())
        // 指挥中枢: alerts and their loop, risk rules, fraud reports.
        .merge(routes::alerts::routes())
        .merge(routes::risk::routes())
        .fallback(|| async { ApiError::NotFound { entity: "endpoint" } })
}

/// The whole application: API, system endpoints and the cross-cutting layers.
pub fn app(state: AppState) -> Router {
    let metrics = state.metrics.clone();
    Router::new()
        .nest("/api/v1", api())
        .merge(routes::open311::routes())
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
