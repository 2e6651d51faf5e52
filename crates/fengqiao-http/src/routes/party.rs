//! The party side (当事人): read a case by tracking code plus a second factor, see its timeline in
//! plain public wording, evaluate after closing, reopen with a reason, apply for confirmation.
//! Wrong attempts are counted per code and throttled.

use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::{ApiJson, RequestId};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use fengqiao_domain::dispute::stage::{Command, Stage};
use fengqiao_domain::time::Timestamp;
use fengqiao_domain::tracking_code::TrackingCode;
use fengqiao_store::AuditCtx;
use fengqiao_store::disputes::{DisputeRow, Issuer, PartyAccess};
use serde::{Deserialize, Serialize};

/// Failed attempts allowed per code per window before further tries are refused.
const MAX_FAILURES: i64 = 5;
const WINDOW_SECS: i64 = 15 * 60;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyCredentials {
    /// 解纷码, with or without dashes.
    pub code: String,
    /// The last four digits of the applicant's phone, or the 6-digit secret printed with the code.
    pub factor: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluateRequest {
    pub code: String,
    pub factor: String,
    /// 1 (very dissatisfied) … 5 (very satisfied).
    pub satisfaction: u8,
    /// Were you heard? (程序公正)
    pub heard: bool,
    /// Was it handled in time?
    pub timely: bool,
    /// Was it fair?
    pub fair: bool,
    #[serde(default)]
    pub comment: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReopenRequest {
    pub code: String,
    pub factor: String,
    pub reason: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicStep {
    pub at: Timestamp,
    pub text: String,
}

/// What a party sees: no internal notes, no other party's identifiers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicCase {
    pub code: String,
    pub title: String,
    pub dispute_type: String,
    pub stage: Stage,
    pub stage_text: String,
    pub registered_at: Timestamp,
    pub handled_by: Vec<String>,
    pub timeline: Vec<PublicStep>,
    pub can_evaluate: bool,
    pub can_reopen: bool,
}

pub(crate) async fn authenticate(
    state: &AppState,
    code: &str,
    factor: &str,
) -> ApiResult<DisputeRow> {
    let code = TrackingCode::parse(code)
        .map_err(|e| ApiError::invalid("code", "bad_code", e.to_string()))?;
    match state
        .store
        .party_access(
            &state.cipher,
            &code,
            factor,
            state.clock.now(),
            MAX_FAILURES,
            WINDOW_SECS,
        )
        .await?
    {
        PartyAccess::Granted(case) => Ok(*case),
        // Wrong code and wrong factor look the same, so codes cannot be probed.
        PartyAccess::Denied => Err(ApiError::invalid(
            "factor",
            "no_match",
            "解纷码或验证信息不正确",
        )),
        PartyAccess::Throttled { retry_after_secs } => {
            Err(ApiError::TooManyAttempts { retry_after_secs })
        }
    }
}

async fn public_view(state: &AppState, case: DisputeRow) -> ApiResult<PublicCase> {
    let code = case.display_code();
    let detail = state.store.detail_of(case).await?;
    let stage = detail.dispute.stage()?;
    Ok(PublicCase {
        code,
        title: detail.dispute.title.clone(),
        dispute_type: detail.dispute.dispute_type.clone(),
        stage,
        stage_text: stage.public_label_zh().to_owned(),
        registered_at: Timestamp::from_micros(detail.dispute.created_at),
        handled_by: detail
            .assignments
            .iter()
            .map(|a| a.org_name.clone())
            .collect(),
        timeline: detail
            .events
            .iter()
            .map(|e| PublicStep {
                at: Timestamp::from_micros(e.at),
                text: e.public_note.clone(),
            })
            .collect(),
        can_evaluate: stage == Stage::Closed,
        can_reopen: matches!(stage, Stage::Closed | Stage::Evaluated),
    })
}

fn party_ctx(state: &AppState, request_id: String) -> AuditCtx {
    AuditCtx {
        actor_user_id: None,
        actor_org_id: None,
        request_id: Some(request_id),
        at: state.clock.now(),
    }
}

/// Read one's case by code and second factor.
#[utoipa::path(post, path = "/api/v1/party/case", tag = "party", request_body = PartyCredentials,
    responses((status = 200, body = PublicCase), (status = 422, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope)))]
pub async fn view(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<PartyCredentials>,
) -> ApiResult<Json<PublicCase>> {
    let case = authenticate(&state, &req.code, &req.factor).await?;
    Ok(Json(public_view(&state, case).await?))
}

/// Evaluate a closed case: satisfaction and procedural fairness.
#[utoipa::path(post, path = "/api/v1/party/evaluate", tag = "party", request_body = EvaluateRequest,
    responses((status = 200, body = PublicCase), (status = 422, body = ErrorEnvelope)))]
pub async fn evaluate(
    State(state): State<AppState>,
    RequestId(rid): RequestId,
    ApiJson(req): ApiJson<EvaluateRequest>,
) -> ApiResult<Json<PublicCase>> {
    if !(1..=5).contains(&req.satisfaction) {
        return Err(ApiError::invalid(
            "satisfaction",
            "out_of_range",
            "满意度为 1–5 分",
        ));
    }
    if req.comment.chars().count() > 2000 {
        return Err(ApiError::invalid(
            "comment",
            "too_long",
            "评价不能超过 2000 字",
        ));
    }
    let case = authenticate(&state, &req.code, &req.factor).await?;
    let detail = serde_json::json!({ "evaluation": {
        "satisfaction": req.satisfaction, "heard": req.heard, "timely": req.timely, "fair": req.fair, "comment": req.comment.trim(),
    }});
    let row = state
        .store
        .apply_command(
            &party_ctx(&state, rid),
            &Issuer::Applicant,
            &case.id,
            &Command::Evaluate,
            &detail,
        )
        .await?;
    Ok(Json(public_view(&state, row).await?))
}

/// Reopen a closed case with a reason; it is routed again one level up.
#[utoipa::path(post, path = "/api/v1/party/reopen", tag = "party", request_body = ReopenRequest,
    responses((status = 200, body = PublicCase), (status = 422, body = ErrorEnvelope)))]
pub async fn reopen(
    State(state): State<AppState>,
    RequestId(rid): RequestId,
    ApiJson(req): ApiJson<ReopenRequest>,
) -> ApiResult<Json<PublicCase>> {
    let case = authenticate(&state, &req.code, &req.factor).await?;
    let cmd = Command::Reopen {
        reason: req.reason.clone(),
    };
    let row = state
        .store
        .apply_command(
            &party_ctx(&state, rid),
            &Issuer::Applicant,
            &case.id,
            &cmd,
            &serde_json::json!({}),
        )
        .await?;
    Ok(Json(public_view(&state, row).await?))
}

/// Apply for judicial confirmation of the agreement (within 30 days of signing).
#[utoipa::path(post, path = "/api/v1/party/confirmation", tag = "party", request_body = PartyCredentials,
    responses((status = 200, body = PublicCase), (status = 422, body = ErrorEnvelope)))]
pub async fn request_confirmation(
    State(state): State<AppState>,
    RequestId(rid): RequestId,
    ApiJson(req): ApiJson<PartyCredentials>,
) -> ApiResult<Json<PublicCase>> {
    let case = authenticate(&state, &req.code, &req.factor).await?;
    let row = state
        .store
        .apply_command(
            &party_ctx(&state, rid),
            &Issuer::Applicant,
            &case.id,
            &Command::RequestConfirmation,
            &serde_json::json!({}),
        )
        .await?;
    Ok(Json(public_view(&state, row).await?))
}
