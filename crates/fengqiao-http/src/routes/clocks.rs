//! Legal clocks and internal service targets as data (DOMAIN §3.4): the definitions in force, an
//! administrator's change to one, and an approved extension recorded on a running clock.

use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::{ApiJson, CurrentUser};
use crate::routes::disputes::case_scope;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use fengqiao_domain::clock::ClockDefinition;
use fengqiao_domain::role::Role;
use fengqiao_store::disputes::{ClockRow, NewExtension};
use fengqiao_store::rules::ClockEntry;
use serde::{Deserialize, Serialize};

/// One definition as listed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClockDefinitionItem {
    /// The definition: id, name_zh, kind (legal | internal), statutes, start_event, length_days,
    /// basis, pause_conditions, extension, on_expiry, warn_before_days, note.
    #[schema(value_type = Object)]
    pub definition: ClockDefinition,
    /// `劳动争议调解仲裁法 art. 14`, or null for an internal target (never shown as law).
    pub citation: Option<String>,
    pub is_law: bool,
    /// 0 for the shipped default.
    pub version: i64,
    pub overridden: bool,
}

impl From<ClockEntry> for ClockDefinitionItem {
    fn from(e: ClockEntry) -> Self {
        Self {
            citation: e.definition.citation(),
            is_law: e.definition.is_law(),
            version: e.version,
            overridden: e.overridden,
            definition: e.definition,
        }
    }
}

/// Every clock definition in force: legal limits first, then internal targets.
#[utoipa::path(get, path = "/api/v1/clock-definitions", tag = "clocks",
    responses((status = 200, body = Vec<ClockDefinitionItem>), (status = 401, body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    _me: CurrentUser,
) -> ApiResult<Json<Vec<ClockDefinitionItem>>> {
    let mut items: Vec<ClockDefinitionItem> = state
        .store
        .rules()
        .clocks
        .values()
        .cloned()
        .map(ClockDefinitionItem::from)
        .collect();
    items.sort_by(|a, b| {
        b.is_law
            .cmp(&a.is_law)
            .then(a.definition.id.cmp(&b.definition.id))
    });
    Ok(Json(items))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveClockRequest {
    #[schema(value_type = Object)]
    pub definition: serde_json::Value,
    /// The version the editor started from; a newer stored version refuses the save.
    pub expected_version: Option<i64>,
}

/// Changes a clock definition (or adds a new one). City administrators only; the domain's checks
/// apply (a legal clock must cite its statute; an internal target must not).
#[utoipa::path(put, path = "/api/v1/clock-definitions/{id}", tag = "clocks",
    params(("id" = String, Path)), request_body = SaveClockRequest,
    responses((status = 200, body = ClockDefinitionItem), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn save(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<SaveClockRequest>,
) -> ApiResult<Json<ClockDefinitionItem>> {
    me.require_city_admin()?;
    let definition: ClockDefinition = serde_json::from_value(req.definition).map_err(|e| {
        ApiError::invalid("definition", "malformed", format!("时限定义格式错误：{e}"))
    })?;
    if definition.id != id {
        return Err(ApiError::invalid(
            "definition.id",
            "mismatch",
            "定义中的 id 与地址不一致",
        ));
    }
    let entry = state
        .store
        .save_clock_definition(&me.audit(&state), &definition, req.expected_version)
        .await?;
    Ok(Json(entry.into()))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendClockRequest {
    pub days: u32,
    /// The approver the clock's definition names (court_president, both_parties, …).
    pub approver: String,
    pub reason: String,
    pub reference: Option<String>,
}

/// Staff who handle cases record an approved extension on a running clock.
#[utoipa::path(post, path = "/api/v1/disputes/{id}/clocks/{clock_row_id}/extensions", tag = "clocks",
    params(("id" = String, Path), ("clock_row_id" = String, Path)), request_body = ExtendClockRequest,
    responses((status = 200, body = Object), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn extend(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((id, clock_row_id)): Path<(String, String)>,
    ApiJson(req): ApiJson<ExtendClockRequest>,
) -> ApiResult<Json<ClockRow>> {
    me.require(&[
        Role::Admin,
        Role::Mediator,
        Role::Judge,
        Role::Arbitrator,
        Role::Intake,
    ])?;
    let input = NewExtension {
        days: req.days,
        approver: req.approver,
        reason: req.reason,
        reference: req.reference,
    };
    Ok(Json(
        state
            .store
            .extend_clock(
                &me.audit(&state),
                &case_scope(&me),
                &id,
                &clock_row_id,
                &input,
            )
            .await?,
    ))
}
