//! The dispute taxonomy as administrators extend it (DOMAIN §3.1): add a type, rename it, bind
//! it to a specialty and a legal clock, or retire it from intake (old cases keep it).

use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::{ApiJson, CurrentUser};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use fengqiao_domain::dispute::taxonomy::{DisputeType, validate_dispute_type};
use fengqiao_domain::org::Specialty;
use fengqiao_domain::validation::FieldError;
use fengqiao_store::disputes::DisputeTypeRow;
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisputeTypeRequest {
    /// snake_case code; routing rules refer to it. Only on create.
    pub code: Option<String>,
    pub name_zh: String,
    /// Specialty code of the industry committee or department that fits the type.
    pub specialty: Option<String>,
    /// Id of the legal clock that governs handling.
    pub legal_clock: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

async fn checked(
    state: &AppState,
    code: &str,
    req: &DisputeTypeRequest,
    editing: bool,
) -> ApiResult<DisputeTypeRow> {
    let specialty = match req.specialty.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(s.parse::<Specialty>().map_err(|_| {
            ApiError::invalid("specialty", "unknown", format!("未知的专业领域 {s}"))
        })?),
    };
    let candidate = DisputeType {
        code: code.to_owned(),
        name_zh: req.name_zh.clone(),
        specialty,
        legal_clock: req.legal_clock.clone().filter(|c| !c.is_empty()),
        active: req.active,
    };
    let existing = state.store.dispute_types().await?;
    if editing && !existing.iter().any(|t| t.code == code) {
        return Err(ApiError::NotFound {
            entity: "dispute type",
        });
    }
    let others: Vec<DisputeType> = existing
        .iter()
        .filter(|t| t.code != code || !editing)
        .map(|t| DisputeType {
            code: t.code.clone(),
            name_zh: t.name_zh.clone(),
            specialty: t.specialty.as_deref().and_then(|s| s.parse().ok()),
            legal_clock: t.legal_clock.clone(),
            active: t.active,
        })
        .collect();
    let rules = state.store.rules();
    let clock_ids: Vec<&str> = rules
        .clocks
        .values()
        .filter(|c| c.definition.is_law())
        .map(|c| c.definition.id.as_str())
        .collect();
    validate_dispute_type(&candidate, &others, &clock_ids).map_err(ApiError::Invalid)?;
    Ok(DisputeTypeRow::from_domain(&candidate, state.clock.now()))
}

/// Adds a dispute type (city administrators).
#[utoipa::path(post, path = "/api/v1/dispute-types", tag = "disputes", request_body = DisputeTypeRequest,
    responses((status = 201, body = Object), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(req): ApiJson<DisputeTypeRequest>,
) -> ApiResult<(StatusCode, Json<DisputeTypeRow>)> {
    me.require_city_admin()?;
    let Some(code) = req.code.clone() else {
        return Err(ApiError::Invalid(vec![FieldError::new(
            "code",
            "required",
            "请填写类型代码",
        )]));
    };
    let row = checked(&state, &code, &req, false).await?;
    state
        .store
        .upsert_dispute_type(&me.audit(&state), &row)
        .await?;
    Ok((StatusCode::CREATED, Json(row)))
}

/// Changes a dispute type's name, specialty, clock or whether intake offers it.
#[utoipa::path(put, path = "/api/v1/dispute-types/{code}", tag = "disputes", params(("code" = String, Path)),
    request_body = DisputeTypeRequest,
    responses((status = 200, body = Object), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn update(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(code): Path<String>,
    ApiJson(req): ApiJson<DisputeTypeRequest>,
) -> ApiResult<Json<DisputeTypeRow>> {
    me.require_city_admin()?;
    if req.code.as_ref().is_some_and(|c| c != &code) {
        return Err(ApiError::invalid(
            "code",
            "immutable",
            "类型代码创建后不能修改（路由规则与旧案件引用它）",
        ));
    }
    let row = checked(&state, &code, &req, true).await?;
    state
        .store
        .upsert_dispute_type(&me.audit(&state), &row)
        .await?;
    Ok(Json(row))
}
