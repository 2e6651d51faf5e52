//! Organisations API, scoped to the caller's jurisdiction.

use super::Paging;
use crate::error::{ApiResult, ErrorEnvelope};
use crate::extract::{ApiJson, ApiQuery, CurrentUser};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use fengqiao_domain::org::OrgKind;
use fengqiao_domain::role::Role;
use fengqiao_store::Page;
use fengqiao_store::orgs::{NewOrg, OrgFilter, OrgPatch, OrgRow};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OrgQuery {
    pub kind: Option<OrgKind>,
    /// Only organisations within this region's subtree.
    pub region: Option<String>,
    /// Name contains this text.
    pub q: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// List organisations in the caller's jurisdiction.
#[utoipa::path(get, path = "/api/v1/organisations", tag = "organisations", params(OrgQuery),
    responses((status = 200, body = inline(Page<OrgRow>)), (status = 401, body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> ApiResult<Json<Page<OrgRow>>> {
    let filter = OrgFilter {
        kind: q.kind,
        within_region: q.region,
        name_contains: q.q,
    };
    let paging = Paging {
        page: q.page,
        per_page: q.per_page,
    };
    Ok(Json(
        state
            .store
            .list_orgs(&me.scope, &filter, paging.request())
            .await?,
    ))
}

/// One organisation.
#[utoipa::path(get, path = "/api/v1/organisations/{id}", tag = "organisations", params(("id" = String, Path)),
    responses((status = 200, body = OrgRow), (status = 404, body = ErrorEnvelope)))]
pub async fn get(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<OrgRow>> {
    Ok(Json(state.store.get_org(&me.scope, &id).await?))
}

/// Create an organisation in the caller's jurisdiction (administrators).
#[utoipa::path(post, path = "/api/v1/organisations", tag = "organisations", request_body = NewOrg,
    responses((status = 201, body = OrgRow), (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(input): ApiJson<NewOrg>,
) -> ApiResult<(StatusCode, Json<OrgRow>)> {
    me.require(&[Role::Admin])?;
    let id = uuid::Uuid::now_v7().to_string();
    let row = state
        .store
        .create_org(&me.audit(&state), &me.scope, &id, &input)
        .await?;
    state.routing.invalidate();
    Ok((StatusCode::CREATED, Json(row)))
}

/// Change an organisation's name, address, phone or active flag (administrators).
#[utoipa::path(patch, path = "/api/v1/organisations/{id}", tag = "organisations", params(("id" = String, Path)), request_body = OrgPatch,
    responses((status = 200, body = OrgRow), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn update(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<OrgPatch>,
) -> ApiResult<Json<OrgRow>> {
    me.require(&[Role::Admin])?;
    let row = state
        .store
        .update_org(&me.audit(&state), &me.scope, &id, &patch)
        .await?;
    state.routing.invalidate();
    Ok(Json(row))
}
