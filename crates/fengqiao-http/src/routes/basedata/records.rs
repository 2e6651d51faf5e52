//! Base-data records over HTTP: kinds, search, create, read, patch, delete, history, reveal, and
//! the per-grid counts the grid map shows.

use super::{COLLECTORS, new_id, region_or_own, staff};
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::{ApiJson, ApiQuery, CurrentUser};
use crate::routes::Paging;
use crate::routes::users::{RevealRequest, RevealResponse};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use fengqiao_domain::basedata::{BaseKind, COMPONENT_STATUSES, HOUSING_TENURES, RecordDraft};
use fengqiao_domain::identifiers::{CreditCode, MobileNumber, ResidentId};
use fengqiao_domain::role::Role;
use fengqiao_domain::validation::FieldError;
use fengqiao_store::Page;
use fengqiao_store::basedata::{
    BaseRecordView, GridBaseCounts, HistoryEntry, RecordFilter, RecordPatch,
};
use serde::{Deserialize, Serialize};

/// Who may see a record's full ID number or phone (with a reason, recorded).
const REVEALERS: [Role; 3] = [Role::Admin, Role::GridWorker, Role::Commander];

/// A code with its Chinese label.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CodeLabel {
    pub code: String,
    pub label_zh: String,
}

/// One kind of record and the values its coded fields take.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct KindInfo {
    pub kind: BaseKind,
    pub label_zh: String,
    /// What `category` means for this kind.
    pub category_label_zh: String,
    pub category_required: bool,
    /// Allowed category codes; empty means free text.
    pub categories: Vec<CodeLabel>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct KindsResponse {
    pub kinds: Vec<KindInfo>,
    /// Housing `tenure` values.
    pub tenures: Vec<CodeLabel>,
    /// Component `status` values.
    pub component_statuses: Vec<CodeLabel>,
}

fn code_labels(list: &[(&str, &str)]) -> Vec<CodeLabel> {
    list.iter()
        .map(|(c, l)| CodeLabel {
            code: (*c).to_owned(),
            label_zh: (*l).to_owned(),
        })
        .collect()
}

/// The record kinds with their categories and coded values (for forms and filters).
#[utoipa::path(get, path = "/api/v1/base-data/kinds", tag = "base-data",
    responses((status = 200, body = KindsResponse), (status = 401, body = ErrorEnvelope)))]
pub async fn kinds(me: CurrentUser) -> ApiResult<Json<KindsResponse>> {
    staff(&me)?;
    Ok(Json(KindsResponse {
        kinds: BaseKind::ALL
            .iter()
            .map(|k| {
                let rule = k.category();
                KindInfo {
                    kind: *k,
                    label_zh: k.label_zh().to_owned(),
                    category_label_zh: rule.label_zh.to_owned(),
                    category_required: rule.required,
                    categories: code_labels(rule.values),
                }
            })
            .collect(),
        tenures: code_labels(&HOUSING_TENURES),
        component_statuses: code_labels(&COMPONENT_STATUSES),
    }))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RecordQuery {
    pub kind: Option<BaseKind>,
    /// A region code (district, street, community or grid) to search under; default: the
    /// caller's whole jurisdiction.
    pub region: Option<String>,
    /// Exactly this grid.
    pub grid: Option<String>,
    /// Name or address contains this text.
    pub q: Option<String>,
    /// Exact resident ID number (matched through the blind index; never stored in clear).
    pub id_number: Option<String>,
    /// Exact mobile number (blind index).
    pub phone: Option<String>,
    /// Exact unified social credit code.
    pub credit_code: Option<String>,
    /// Carries this tag.
    pub tag: Option<String>,
    /// Category code.
    pub category: Option<String>,
    /// People living in this housing record.
    pub housing_id: Option<String>,
    /// Only complete (true) or incomplete (false) records.
    pub complete: Option<bool>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// Search the registry of the caller's jurisdiction; identifiers are masked.
#[utoipa::path(get, path = "/api/v1/base-data", tag = "base-data", params(RecordQuery),
    responses((status = 200, body = inline(Page<BaseRecordView>)), (status = 401, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<RecordQuery>,
) -> ApiResult<Json<Page<BaseRecordView>>> {
    staff(&me)?;
    let mut problems = Vec::new();
    let id_number = q
        .id_number
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .and_then(|s| {
            ResidentId::parse(s)
                .map_err(|e| {
                    problems.push(FieldError::new("id_number", "bad_id_number", e.to_string()))
                })
                .ok()
        });
    let phone = q
        .phone
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .and_then(|s| {
            MobileNumber::parse(s)
                .map_err(|e| problems.push(FieldError::new("phone", "bad_phone", e.to_string())))
                .ok()
        });
    let credit_code = q
        .credit_code
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .and_then(|s| {
            CreditCode::parse(s)
                .map_err(|e| {
                    problems.push(FieldError::new(
                        "credit_code",
                        "bad_credit_code",
                        e.to_string(),
                    ))
                })
                .ok()
        });
    crate::extract::finish(problems)?;
    let under_path = match q.region.as_deref().filter(|r| !r.trim().is_empty()) {
        Some(r) => Some(region_or_own(&state, &me, Some(r)).await?.2),
        None => None,
    };
    let filter = RecordFilter {
        kind: q.kind,
        under_path,
        grid_code: q.grid,
        text: q.q,
        id_number,
        phone,
        credit_code,
        tag: q.tag,
        category: q.category,
        housing_id: q.housing_id,
        complete: q.complete,
    };
    let page = Paging {
        page: q.page,
        per_page: q.per_page,
    }
    .request();
    Ok(Json(
        state
            .store
            .list_base_records(&me.scope, &state.cipher, &filter, page)
            .await?,
    ))
}

/// The body of a new record: its kind plus the record's fields.
#[allow(dead_code)] // documents the body in OpenAPI; `create` splits `kind` off and reads the rest strictly
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CreateRecordRequest {
    pub kind: BaseKind,
    #[serde(flatten)]
    pub record: RecordDraft,
}

/// Register a record (grid workers and administrators). ID numbers, credit codes and mobiles are
/// validated; identifiers are stored encrypted and returned masked.
#[utoipa::path(post, path = "/api/v1/base-data", tag = "base-data", request_body = CreateRecordRequest,
    responses((status = 201, body = BaseRecordView), (status = 403, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<BaseRecordView>)> {
    me.require(&COLLECTORS)?;
    let mut value: serde_json::Value = crate::extract::parse_json(&body)?;
    // `kind` is taken out first so the record's own fields are checked strictly (no unknown keys).
    let kind_value = value
        .as_object_mut()
        .and_then(|o| o.remove("kind"))
        .ok_or_else(|| ApiError::invalid("kind", "required", "必须指定记录类型"))?;
    let kind: BaseKind = serde_json::from_value(kind_value).map_err(|_| {
        ApiError::invalid(
            "kind",
            "bad_value",
            "记录类型应为 person、housing、enterprise、organisation 或 component",
        )
    })?;
    let draft: RecordDraft = crate::extract::parse_json(value.to_string().as_bytes())?;
    let view = state
        .store
        .create_base_record(
            &me.audit(&state),
            &me.scope,
            &state.cipher,
            &new_id(),
            kind,
            &draft,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// One record (also a deleted one, with `deleted_at`), with its full credit code.
#[utoipa::path(get, path = "/api/v1/base-data/{id}", tag = "base-data", params(("id" = String, Path)),
    responses((status = 200, body = BaseRecordView), (status = 404, body = ErrorEnvelope)))]
pub async fn get(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<BaseRecordView>> {
    staff(&me)?;
    Ok(Json(state.store.get_base_record(&me.scope, &id).await?))
}

/// Change a record; send `version` to refuse the change if someone changed it meanwhile (409).
#[utoipa::path(patch, path = "/api/v1/base-data/{id}", tag = "base-data", params(("id" = String, Path)),
    request_body = RecordPatch,
    responses((status = 200, body = BaseRecordView), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn update(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<RecordPatch>,
) -> ApiResult<Json<BaseRecordView>> {
    me.require(&COLLECTORS)?;
    Ok(Json(
        state
            .store
            .update_base_record(&me.audit(&state), &me.scope, &state.cipher, &id, &patch)
            .await?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeleteQuery {
    /// Why the record is removed (kept in its history), at most 200 characters.
    pub reason: Option<String>,
}

/// Remove a record from the registry. It is kept, marked deleted, with its history.
#[utoipa::path(delete, path = "/api/v1/base-data/{id}", tag = "base-data",
    params(("id" = String, Path), DeleteQuery),
    responses((status = 200, body = BaseRecordView), (status = 404, body = ErrorEnvelope)))]
pub async fn delete(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<DeleteQuery>,
) -> ApiResult<Json<BaseRecordView>> {
    me.require(&COLLECTORS)?;
    Ok(Json(
        state
            .store
            .delete_base_record(
                &me.audit(&state),
                &me.scope,
                &id,
                q.reason.as_deref().unwrap_or_default(),
            )
            .await?,
    ))
}

/// Every change of a record with the state before and after (identifiers masked), oldest first.
#[utoipa::path(get, path = "/api/v1/base-data/{id}/history", tag = "base-data", params(("id" = String, Path)),
    responses((status = 200, body = Vec<HistoryEntry>), (status = 404, body = ErrorEnvelope)))]
pub async fn history(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<HistoryEntry>>> {
    staff(&me)?;
    Ok(Json(state.store.base_record_history(&me.scope, &id).await?))
}

/// Reveal a record's ID number or phone with a reason that is recorded in the audit trail
/// (administrators, grid workers, commanders).
#[utoipa::path(post, path = "/api/v1/base-data/{id}/reveal", tag = "base-data", params(("id" = String, Path)),
    request_body = RevealRequest,
    responses((status = 200, body = RevealResponse), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn reveal(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<RevealRequest>,
) -> ApiResult<Json<RevealResponse>> {
    me.require(&REVEALERS)?;
    let value = state
        .store
        .reveal_base_field(
            &me.audit(&state),
            &me.scope,
            &state.cipher,
            &id,
            req.field,
            &req.reason,
        )
        .await?;
    Ok(Json(RevealResponse {
        field: req.field,
        value,
    }))
}

/// Live base-data records per kind in one grid (for the grid map's pop-up).
#[utoipa::path(get, path = "/api/v1/grids/{code}/base-data/counts", tag = "base-data",
    params(("code" = String, Path, description = "Grid code")),
    responses((status = 200, body = GridBaseCounts), (status = 404, body = ErrorEnvelope)))]
pub async fn grid_counts(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(code): Path<String>,
) -> ApiResult<Json<GridBaseCounts>> {
    staff(&me)?;
    Ok(Json(state.store.grid_base_counts(&me.scope, &code).await?))
}
