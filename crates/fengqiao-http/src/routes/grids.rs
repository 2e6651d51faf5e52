//! Grid geometry: import, export and edit grid polygons, grid workers, the point → grid lookup.
//!
//! The point → grid index lives in memory ([`GridIndexCache`] in `AppState`): built from the
//! store on first use, rebuilt after every import or geometry change made here, and refreshed in
//! the background when older than [`GRID_INDEX_TTL`] (grids changed by other processes or the
//! regions API). Other modules place points with `state.grid_index().await?.locate(lng, lat)`.

use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::{ApiJson, ApiQuery, CurrentUser};
use crate::state::AppState;
use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post, put};
use fengqiao_domain::role::Role;
use fengqiao_grid::GridIndex;
use fengqiao_store::grids::{
    GeometryChange, GeometryVersionRow, GridImportReport, GridPlace, GridSummary, GridWorkerRow,
};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use utoipa::OpenApi;

/// How long the index is served before a background reload picks up changes made elsewhere.
pub const GRID_INDEX_TTL: Duration = Duration::from_secs(60);

/// The shared point → grid index. Readers take an `Arc` snapshot and never wait on a rebuild
/// once one exists.
#[derive(Default)]
pub struct GridIndexCache {
    current: std::sync::RwLock<Option<(Arc<GridIndex>, Instant)>>,
    /// One rebuild at a time; callers arriving during one get its result.
    build: tokio::sync::Mutex<()>,
    refreshing: AtomicBool,
}

impl GridIndexCache {
    fn snapshot(&self) -> Option<(Arc<GridIndex>, Instant)> {
        self.current.read().ok()?.clone()
    }
    fn put(&self, index: Option<Arc<GridIndex>>) {
        if let Ok(mut guard) = self.current.write() {
            *guard = index.map(|i| (i, Instant::now()));
        }
    }
}

impl AppState {
    /// The point → grid index, loaded from the store on first use. Locate points with
    /// `index.locate(lng, lat)` (codes) or `index.locate_grids(lng, lat)` (codes and kinds).
    pub async fn grid_index(&self) -> ApiResult<Arc<GridIndex>> {
        if let Some((index, loaded)) = self.grids.snapshot() {
            if loaded.elapsed() > GRID_INDEX_TTL
                && !self.grids.refreshing.swap(true, Ordering::AcqRel)
            {
                let state = self.clone();
                tokio::spawn(async move {
                    if let Err(e) = state.rebuild_grid_index(true).await {
                        tracing::error!(error = %e, "refreshing the grid index failed");
                    }
                    state.grids.refreshing.store(false, Ordering::Release);
                });
            }
            return Ok(index);
        }
        self.rebuild_grid_index(false).await
    }

    /// Rebuilds the index from the store now (after a grid change). With `force` false a fresh
    /// index built while this call waited is returned as is.
    pub async fn rebuild_grid_index(&self, force: bool) -> ApiResult<Arc<GridIndex>> {
        let _one_at_a_time = self.grids.build.lock().await;
        if !force
            && let Some((index, loaded)) = self.grids.snapshot()
            && loaded.elapsed() <= GRID_INDEX_TTL
        {
            return Ok(index);
        }
        let (shapes, skipped) = match self.store.grid_shapes().await {
            Ok(loaded) => loaded,
            Err(e) => {
                // A failed rebuild after a change must not leave the old grids in service.
                if force {
                    self.grids.put(None);
                }
                return Err(e.into());
            }
        };
        if skipped > 0 {
            tracing::warn!(
                skipped,
                "grids with an unreadable geometry or kind left out of the index"
            );
        }
        let index = tokio::task::spawn_blocking(move || GridIndex::new(shapes))
            .await
            .map_err(|e| ApiError::Internal(format!("building the grid index: {e}")))?;
        let index = Arc::new(index);
        self.grids.put(Some(index.clone()));
        Ok(index)
    }

    /// After a change through this API: the next lookup must see it.
    async fn grids_changed(&self) {
        if let Err(e) = self.rebuild_grid_index(true).await {
            tracing::error!(error = ?e, "rebuilding the grid index after a change failed");
        }
    }
}

/// Grid polygons are drawn by the city or a district (划分网格): administrators of a city- or
/// district-level organisation.
fn require_grid_admin(me: &CurrentUser) -> Result<(), ApiError> {
    me.require(&[Role::Admin])?;
    let depth = me
        .user
        .org_region_path
        .split('/')
        .filter(|s| !s.is_empty())
        .count();
    if depth <= 2 {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

fn staff(me: &CurrentUser) -> Result<(), ApiError> {
    if me.has(Role::Citizen) {
        Err(ApiError::Forbidden)
    } else {
        Ok(())
    }
}

/// Import grids from a GeoJSON FeatureCollection (city/district administrators). Each feature's
/// `properties`: `code`, `name`, `parent_code` (a community), `grid_kind`, optional `population`.
/// All or nothing: a bad feature fails the whole file with one error per bad feature, the field
/// named like `features[3].geometry`.
#[utoipa::path(post, path = "/api/v1/grids/import", tag = "grids",
    request_body(content = Object, description = "GeoJSON FeatureCollection of grids"),
    responses((status = 200, body = GridImportReport), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn import(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(collection): ApiJson<serde_json::Value>,
) -> ApiResult<Json<GridImportReport>> {
    require_grid_admin(&me)?;
    let report = state
        .store
        .import_grids(&me.audit(&state), &me.scope, &collection)
        .await?;
    state.grids_changed().await;
    Ok(Json(report))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// Only grids under this region (any level); default: every grid in your jurisdiction.
    pub under: Option<String>,
}

/// The grids in your jurisdiction as a GeoJSON FeatureCollection, in the import's format.
#[utoipa::path(get, path = "/api/v1/grids/export", tag = "grids", params(ExportQuery),
    responses((status = 200, body = Object, description = "GeoJSON FeatureCollection"), (status = 422, body = ErrorEnvelope)))]
pub async fn export(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> ApiResult<Json<serde_json::Value>> {
    staff(&me)?;
    Ok(Json(
        state
            .store
            .export_grids(&me.scope, q.under.as_deref())
            .await?,
    ))
}

/// Replace a grid's polygon (city/district administrators). The body is a GeoJSON Polygon or
/// MultiPolygon; it must be valid and inside the parent community. The old polygon is kept in
/// the grid's geometry history.
#[utoipa::path(put, path = "/api/v1/grids/{code}/geometry", tag = "grids", params(("code" = String, Path)),
    request_body(content = Object, description = "GeoJSON Polygon or MultiPolygon"),
    responses((status = 200, body = GeometryChange), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn update_geometry(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(code): Path<String>,
    ApiJson(geometry): ApiJson<serde_json::Value>,
) -> ApiResult<Json<GeometryChange>> {
    require_grid_admin(&me)?;
    let change = state
        .store
        .update_grid_geometry(&me.audit(&state), &me.scope, &code, &geometry)
        .await?;
    state.grids_changed().await;
    Ok(Json(change))
}

/// Every polygon the grid has had, oldest first.
#[utoipa::path(get, path = "/api/v1/grids/{code}/geometry/history", tag = "grids", params(("code" = String, Path)),
    responses((status = 200, body = Vec<GeometryVersionRow>), (status = 404, body = ErrorEnvelope)))]
pub async fn geometry_history(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(code): Path<String>,
) -> ApiResult<Json<Vec<GeometryVersionRow>>> {
    staff(&me)?;
    Ok(Json(
        state.store.grid_geometry_history(&me.scope, &code).await?,
    ))
}

/// One grid: the grid with its polygon, its parents' names, its workers and its events by status.
#[utoipa::path(get, path = "/api/v1/grids/{code}", tag = "grids", params(("code" = String, Path)),
    responses((status = 200, body = GridSummary), (status = 404, body = ErrorEnvelope)))]
pub async fn summary(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(code): Path<String>,
) -> ApiResult<Json<GridSummary>> {
    staff(&me)?;
    Ok(Json(state.store.grid_summary(&me.scope, &code).await?))
}

/// The grid workers (网格员) assigned to a grid.
#[utoipa::path(get, path = "/api/v1/grids/{code}/workers", tag = "grids", params(("code" = String, Path)),
    responses((status = 200, body = Vec<GridWorkerRow>), (status = 404, body = ErrorEnvelope)))]
pub async fn workers(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(code): Path<String>,
) -> ApiResult<Json<Vec<GridWorkerRow>>> {
    staff(&me)?;
    Ok(Json(state.store.grid_workers(&me.scope, &code).await?))
}

#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignWorker {
    /// An account with the grid_worker role in your jurisdiction.
    pub user_id: String,
}

/// Assign a grid worker to a grid (administrators).
#[utoipa::path(post, path = "/api/v1/grids/{code}/workers", tag = "grids", params(("code" = String, Path)),
    request_body = AssignWorker,
    responses((status = 201, body = GridWorkerRow), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn assign_worker(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(code): Path<String>,
    ApiJson(input): ApiJson<AssignWorker>,
) -> ApiResult<(StatusCode, Json<GridWorkerRow>)> {
    me.require(&[Role::Admin])?;
    let row = state
        .store
        .assign_grid_worker(&me.audit(&state), &me.scope, &code, input.user_id.trim())
        .await?;
    Ok((StatusCode::CREATED, Json(row)))
}

/// Remove a grid worker from a grid (administrators).
#[utoipa::path(delete, path = "/api/v1/grids/{code}/workers/{user_id}", tag = "grids",
    params(("code" = String, Path), ("user_id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorEnvelope)))]
pub async fn unassign_worker(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((code, user_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    me.require(&[Role::Admin])?;
    state
        .store
        .unassign_grid_worker(&me.audit(&state), &me.scope, &code, &user_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LocateQuery {
    /// Longitude, WGS84 degrees (−180…180).
    #[param(value_type = Option<f64>)]
    pub lng: Option<String>,
    /// Latitude, WGS84 degrees (−90…90).
    #[param(value_type = Option<f64>)]
    pub lat: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Located {
    pub lng: f64,
    pub lat: f64,
    /// Every grid in your jurisdiction containing the point (a territorial grid and any industry
    /// grids over it; both neighbours for a point on their shared edge), by code.
    pub grids: Vec<GridPlace>,
}

/// A coordinate parameter, parsed here so that every problem names the parameter.
fn coordinate(value: Option<&str>, field: &str, limit: f64) -> ApiResult<f64> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        return Err(ApiError::invalid(
            field,
            "required",
            format!("缺少参数 {field}"),
        ));
    };
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && (-limit..=limit).contains(&v) => Ok(v),
        Ok(_) => Err(ApiError::invalid(
            field,
            "out_of_range",
            format!("{field} 必须在 −{limit} 到 {limit} 之间"),
        )),
        Err(_) => Err(ApiError::invalid(
            field,
            "bad_number",
            format!("{field} 必须是数字（度）"),
        )),
    }
}

/// Which grids a point lies in (boundary included, holes excluded).
#[utoipa::path(get, path = "/api/v1/grids/locate", tag = "grids", params(LocateQuery),
    responses((status = 200, body = Located), (status = 422, body = ErrorEnvelope)))]
pub async fn locate(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<LocateQuery>,
) -> ApiResult<Json<Located>> {
    staff(&me)?;
    let lng = coordinate(q.lng.as_deref(), "lng", 180.0)?;
    let lat = coordinate(q.lat.as_deref(), "lat", 90.0)?;
    let index = state.grid_index().await?;
    let codes = index.locate(lng, lat);
    let grids = state.store.grid_places(&me.scope, &codes).await?;
    Ok(Json(Located { lng, lat, grids }))
}

/// This module's operations, merged into the service's OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    paths(
        import,
        export,
        update_geometry,
        geometry_history,
        summary,
        workers,
        assign_worker,
        unassign_worker,
        locate
    ),
    tags((name = "grids", description = "网格：边界导入导出、网格员、落点定位"))
)]
pub struct Api;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/grids/import", post(import))
        .route("/grids/export", get(export))
        .route("/grids/locate", get(locate))
        .route("/grids/{code}", get(summary))
        .route("/grids/{code}/geometry", put(update_geometry))
        .route("/grids/{code}/geometry/history", get(geometry_history))
        .route("/grids/{code}/workers", get(workers).post(assign_worker))
        .route("/grids/{code}/workers/{user_id}", delete(unassign_worker))
}
