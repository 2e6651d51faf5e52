//! Regions API: the tree from city to grid, scoped to the caller's jurisdiction.

use super::Paging;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::{ApiJson, ApiQuery, CurrentUser};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use fengqiao_domain::region::RegionLevel;
use fengqiao_domain::role::Role;
use fengqiao_store::Page;
use fengqiao_store::regions::{NewRegion, RegionFilter, RegionPatch, RegionView};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RegionQuery {
    /// city, district, street, community or grid.
    pub level: Option<RegionLevel>,
    /// Only direct children of this region.
    pub parent_code: Option<String>,
    /// Name contains this text.
    pub q: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// List regions in the caller's jurisdiction.
#[utoipa::path(get, path = "/api/v1/regions", tag = "regions", params(RegionQuery),
    responses((status = 200, body = inline(Page<RegionView>)), (status = 401, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<RegionQuery>,
) -> ApiResult<Json<Page<RegionView>>> {
    let filter = RegionFilter {
        level: q.level,
        parent_code: q.parent_code,
        name_contains: q.q,
    };
    let paging = Paging {
        page: q.page,
        per_page: q.per_page,
    };
    let page = state
        .store
        .list_regions(&me.scope, &filter, paging.request())
        .await?;
    Ok(Json(page.map(|r| r.view())))
}

/// One region by code.
#[utoipa::path(get, path = "/api/v1/regions/{code}", tag = "regions", params(("code" = String, Path)),
    responses((status = 200, body = RegionView), (status = 404, body = ErrorEnvelope)))]
pub async fn get(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(code): Path<String>,
) -> ApiResult<Json<RegionView>> {
    Ok(Json(state.store.get_region(&me.scope, &code).await?.view()))
}

/// Create a region under one in the caller's jurisdiction (administrators).
#[utoipa::path(post, path = "/api/v1/regions", tag = "regions", request_body = NewRegion,
    responses((status = 201, body = RegionView), (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(input): ApiJson<NewRegion>,
) -> ApiResult<(StatusCode, Json<RegionView>)> {
    me.require(&[Role::Admin])?;
    if input.parent_code.is_none() {
        return Err(ApiError::invalid(
            "parent_code",
            "required",
            "必须指定上级区域",
        ));
    }
    let row = state
        .store
        .create_region(&me.audit(&state), &me.scope, &input)
        .await?;
    Ok((StatusCode::CREATED, Json(row.view())))
}

/// Change a region's name, population or geometry (administrators).
#[utoipa::path(patch, path = "/api/v1/regions/{code}", tag = "regions", params(("code" = String, Path)), request_body = RegionPatch,
    responses((status = 200, body = RegionView), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn update(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(code): Path<String>,
    ApiJson(patch): ApiJson<RegionPatch>,
) -> ApiResult<Json<RegionView>> {
    me.require(&[Role::Admin])?;
    Ok(Json(
        state
            .store
            .update_region(&me.audit(&state), &me.scope, &code, &patch)
            .await?
            .view(),
    ))
}

/// The materialised path of region `code` as `scope` sees it; a missing or out-of-scope region
/// is a field error on `region_code` (used where a region is a filter or a point of view).
pub(crate) async fn path_of(
    state: &AppState,
    scope: &fengqiao_store::Scope,
    code: &str,
) -> ApiResult<String> {
    Ok(state
        .store
        .get_region(scope, code)
        .await
        .map_err(|_| {
            ApiError::invalid(
                "region_code",
                "not_found",
                format!("区域 {code} 不存在或不在您的管辖范围"),
            )
        })?
        .path)
}
