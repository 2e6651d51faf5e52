//! Open311 GeoReport v2 at `/open311/v2` (§11) over grid events: discovery, services (public
//! event categories) and their definitions, POST/GET requests, tokens, and mySociety's
//! `servicerequestupdates` extension, each as `.json` or `.xml`; plus the API keys city
//! administrators issue (`/api/v1/open311/keys`).
//!
//! Placement of a POSTed request: `lat`/`long` go through the grid index like any report; a
//! point in no grid, or an address alone, is filed in the region `jurisdiction_id` names (any
//! region code of the city); with neither the request is refused (400).

mod format;
mod keys;
mod params;
mod requests;
mod services;
mod status;
mod updates;

use crate::state::AppState;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get};
use format::{Format, O311Result, Open311Error};
use params::Params;
use utoipa::OpenApi;

pub use keys::{CreatedKey, KeyView, NewKey};

/// This module's operations, merged into the service's OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    paths(
        keys::list, keys::create, keys::revoke,
        discovery, services_list, service_definition, requests_get, requests_post, request_one,
        token, updates_get, updates_post, media,
    ),
    tags((name = "open311", description = "Open311 GeoReport v2：服务目录、诉求上报与查询、进展（servicerequestupdates）、API 密钥"))
)]
pub struct Api;

/// `/open311/v2/…` and the key administration under `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .nest("/open311/v2", v2())
        .route("/api/v1/open311/keys", get(keys::list).post(keys::create))
        .route("/api/v1/open311/keys/{id}", delete(keys::revoke))
}

fn v2() -> Router<AppState> {
    let mut r = Router::new();
    let both: [(&str, MethodRouter<AppState>); 4] = [
        ("discovery", get(discovery)),
        ("services", get(services_list)),
        ("requests", get(requests_get).post(requests_post)),
        ("servicerequestupdates", get(updates_get).post(updates_post)),
    ];
    for (name, handler) in both {
        r = r
            .route(&format!("/{name}.json"), handler.clone())
            .route(&format!("/{name}.xml"), handler);
    }
    r.route("/services/{file}", get(service_definition))
        .route("/requests/{file}", get(request_one))
        .route("/tokens/{file}", get(token))
        .route("/media/{id}", get(media))
        .fallback(unknown)
}

/// The format of a static route, from its suffix.
fn format_of(uri: &Uri) -> Format {
    Format::split(uri.path()).1
}

fn query(uri: &Uri, format: Format) -> O311Result<Params> {
    Params::parse(uri.query(), &[]).map_err(|e| Open311Error::bad(format, e))
}

/// Query string and form body: GeoReport POSTs are `application/x-www-form-urlencoded`.
fn form(uri: &Uri, headers: &HeaderMap, body: &[u8], format: Format) -> O311Result<Params> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/x-www-form-urlencoded");
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(Open311Error::bad(
            format,
            "send the parameters as application/x-www-form-urlencoded",
        ));
    }
    Params::parse(uri.query(), body).map_err(|e| Open311Error::bad(format, e))
}

fn finish(result: O311Result<Response>) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}

async fn unknown(uri: Uri) -> Response {
    Open311Error::not_found(format_of(&uri), format!("no such resource: {}", uri.path()))
        .into_response()
}

/// Service discovery.
#[utoipa::path(get, path = "/open311/v2/discovery.{format}", tag = "open311",
    params(("format" = String, Path, description = "json or xml")),
    responses((status = 200, description = "the discovery document")))]
pub async fn discovery(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    let format = format_of(&uri);
    finish(services::discovery(&state, &headers, format).await)
}

/// GET services: the public event categories.
#[utoipa::path(get, path = "/open311/v2/services.{format}", tag = "open311",
    params(("format" = String, Path, description = "json or xml"), ("jurisdiction_id" = Option<String>, Query)),
    responses((status = 200, description = "services/service")))]
pub async fn services_list(State(state): State<AppState>, uri: Uri) -> Response {
    let format = format_of(&uri);
    finish(
        async {
            let params = query(&uri, format)?;
            requests::jurisdiction(&state, &params, format).await?;
            services::list(&state, format).await
        }
        .await,
    )
}

/// GET a service definition: the attributes of one service.
#[utoipa::path(get, path = "/open311/v2/services/{service_code}.{format}", tag = "open311",
    params(("service_code" = String, Path), ("format" = String, Path, description = "json or xml")),
    responses((status = 200, description = "service_definition"), (status = 404, description = "errors/error")))]
pub async fn service_definition(
    State(state): State<AppState>,
    Path(file): Path<String>,
    uri: Uri,
) -> Response {
    let (code, format) = Format::split(&file);
    finish(
        async {
            let params = query(&uri, format)?;
            requests::jurisdiction(&state, &params, format).await?;
            services::definition(&state, code, format).await
        }
        .await,
    )
}

/// GET requests: by `service_request_id` list, or `service_code`, `status` (open, closed) and
/// `start_date`/`end_date` (default the last 90 days, at most 90 days, at most 1000 answers).
#[utoipa::path(get, path = "/open311/v2/requests.{format}", tag = "open311",
    params(("format" = String, Path, description = "json or xml"),
        ("service_request_id" = Option<String>, Query), ("service_code" = Option<String>, Query),
        ("start_date" = Option<String>, Query), ("end_date" = Option<String>, Query),
        ("status" = Option<String>, Query), ("jurisdiction_id" = Option<String>, Query),
        ("extensions" = Option<bool>, Query, description = "true adds extended_attributes")),
    responses((status = 200, description = "service_requests/request"), (status = 400, description = "errors/error")))]
pub async fn requests_get(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    let format = format_of(&uri);
    finish(
        async {
            let params = query(&uri, format)?;
            requests::search(&state, &headers, &params, format).await
        }
        .await,
    )
}

/// POST a request (form-encoded): `api_key`, `service_code`, `lat`+`long` or `address_string`
/// (with `jurisdiction_id`), `attribute[code]` / `attribute[code][]`, `description`, contact fields,
/// `media_url`. Answers `service_request_id`, `token`, `service_notice`, `account_id`.
#[utoipa::path(post, path = "/open311/v2/requests.{format}", tag = "open311",
    params(("format" = String, Path, description = "json or xml")),
    request_body(content_type = "application/x-www-form-urlencoded", content = String),
    responses((status = 200, description = "service_requests/request"), (status = 400, description = "errors/error"),
        (status = 403, description = "invalid api_key"), (status = 404, description = "unknown service_code")))]
pub async fn requests_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    let format = format_of(&uri);
    finish(
        async {
            let params = form(&uri, &headers, &body, format)?;
            requests::post(&state, &headers, &params, format).await
        }
        .await,
    )
}

/// GET one request (an array of one).
#[utoipa::path(get, path = "/open311/v2/requests/{service_request_id}.{format}", tag = "open311",
    params(("service_request_id" = String, Path), ("format" = String, Path, description = "json or xml")),
    responses((status = 200, description = "service_requests/request"), (status = 404, description = "errors/error")))]
pub async fn request_one(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
    uri: Uri,
) -> Response {
    let (id, format) = Format::split(&file);
    finish(
        async {
            let params = query(&uri, format)?;
            requests::one(&state, &headers, &params, id, format).await
        }
        .await,
    )
}

/// GET the request a token stands for.
#[utoipa::path(get, path = "/open311/v2/tokens/{token}.{format}", tag = "open311",
    params(("token" = String, Path), ("format" = String, Path, description = "json or xml")),
    responses((status = 200, description = "service_requests/request"), (status = 404, description = "errors/error")))]
pub async fn token(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let (token, format) = Format::split(&file);
    finish(requests::token(&state, token, format).await)
}

/// GET servicerequestupdates: public steps as updates with extended statuses.
#[utoipa::path(get, path = "/open311/v2/servicerequestupdates.{format}", tag = "open311",
    params(("format" = String, Path, description = "json or xml"),
        ("start_date" = Option<String>, Query), ("end_date" = Option<String>, Query),
        ("service_request_id" = Option<String>, Query), ("jurisdiction_id" = Option<String>, Query)),
    responses((status = 200, description = "service_request_updates/request_update")))]
pub async fn updates_get(State(state): State<AppState>, uri: Uri) -> Response {
    let format = format_of(&uri);
    finish(
        async {
            let params = query(&uri, format)?;
            updates::list(&state, &params, format).await
        }
        .await,
    )
}

/// POST servicerequestupdates (form-encoded): a client's update; `REOPEN` reopens a closed
/// request filed with the same key, other statuses are recorded as comments.
#[utoipa::path(post, path = "/open311/v2/servicerequestupdates.{format}", tag = "open311",
    params(("format" = String, Path, description = "json or xml")),
    request_body(content_type = "application/x-www-form-urlencoded", content = String),
    responses((status = 200, description = "service_request_updates/request_update"), (status = 400, description = "errors/error"),
        (status = 403, description = "invalid api_key"), (status = 404, description = "unknown request")))]
pub async fn updates_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    let format = format_of(&uri);
    finish(
        async {
            let params = form(&uri, &headers, &body, format)?;
            updates::post(&state, &headers, &params, format).await
        }
        .await,
    )
}

/// The first image of a request: the `media_url` of requests without one of their own.
#[utoipa::path(get, path = "/open311/v2/media/{service_request_id}", tag = "open311",
    params(("service_request_id" = String, Path)),
    responses((status = 200, description = "the image"), (status = 404, description = "errors/error")))]
pub async fn media(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    finish(requests::media(&state, &id).await)
}
