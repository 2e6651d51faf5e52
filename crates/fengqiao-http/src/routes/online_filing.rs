//! 网上自助申请: a citizen files a dispute from the phone page without an account. The applicant
//! must give a mobile number (the second factor for later queries), filings per number are
//! limited, and the case enters the same intake as the window with channel `online`; the answer
//! is the tracking code and the secret the citizen keeps.

use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::{ApiJson, RequestId, finish};
use crate::routes::disputes::{CreateDisputeRequest, parse_parties, register};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use fengqiao_domain::dispute::{Channel, PartyRole};
use fengqiao_domain::region::RegionLevel;
use fengqiao_domain::validation::FieldError;
use fengqiao_store::{AuditCtx, Scope};
use serde::Serialize;

/// Online filings one phone number may make per day.
const MAX_FILINGS_PER_DAY: i64 = 3;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OnlineFiled {
    /// 解纷码 with dashes, as printed.
    pub code: String,
    /// Keep it: with the code it opens the case (shown once).
    pub access_secret: String,
    pub stage_text: String,
}

/// Files a dispute online (no account; channel `online`).
#[utoipa::path(post, path = "/api/v1/party/disputes", tag = "party", request_body = CreateDisputeRequest,
    responses((status = 201, body = OnlineFiled), (status = 422, body = ErrorEnvelope)))]
pub async fn file(
    State(state): State<AppState>,
    RequestId(request_id): RequestId,
    ApiJson(req): ApiJson<CreateDisputeRequest>,
) -> ApiResult<(StatusCode, Json<OnlineFiled>)> {
    let mut problems = Vec::new();
    let parties = parse_parties(&req.parties, &mut problems);
    let applicant_phone = parties
        .iter()
        .filter(|p| p.role == PartyRole::Applicant)
        .find_map(|p| p.phone.clone());
    if applicant_phone.is_none() && problems.is_empty() {
        problems.push(FieldError::new(
            "parties.0.phone",
            "required",
            "网上申请须留申请人手机号码，用于查询进度",
        ));
    }
    finish(problems)?;
    let Some(phone) = applicant_phone else {
        return Err(ApiError::invalid(
            "parties.0.phone",
            "required",
            "请填写手机号码",
        ));
    };
    let now = state.clock.now();
    state
        .store
        .count_online_filing(
            &state.cipher.blind_index(phone.as_str()),
            now,
            MAX_FILINGS_PER_DAY,
            86_400,
        )
        .await?;
    let mut input = req.into_new(parties, Channel::Online, None);
    // Risk flags are staff judgements, never a filer's.
    input.flags.clear();
    let ctx = AuditCtx {
        actor_user_id: None,
        actor_org_id: None,
        request_id: Some(request_id),
        at: now,
    };
    // Any region of the city may be named: the citizen has no jurisdiction, the region decides routing.
    let created = register(&state, &ctx, &Scope::Everything, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(OnlineFiled {
            code: created.dispute.display_code(),
            access_secret: created.access_secret,
            stage_text: created.dispute.stage()?.public_label_zh().to_owned(),
        }),
    ))
}

/// A place a citizen can name: a community with its street and district.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicPlace {
    pub code: String,
    /// 江城区 / 望江街道 / 江滨社区
    pub label: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicType {
    pub code: String,
    pub name_zh: String,
}

/// What the online form offers: dispute types open to intake and the communities of the city.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IntakeOptions {
    pub types: Vec<PublicType>,
    pub places: Vec<PublicPlace>,
}

/// The choices of the online filing form (public: names only).
#[utoipa::path(get, path = "/api/v1/party/intake-options", tag = "party",
    responses((status = 200, body = IntakeOptions)))]
pub async fn options(State(state): State<AppState>) -> ApiResult<Json<IntakeOptions>> {
    let types = state
        .store
        .dispute_types()
        .await?
        .into_iter()
        .filter(|t| t.active)
        .map(|t| PublicType {
            code: t.code,
            name_zh: t.name_zh,
        })
        .collect();
    let regions = state.store.all_regions(&Scope::Everything).await?;
    let name_of = |code: &str| {
        regions
            .iter()
            .find(|r| r.code == code)
            .map(|r| r.name.clone())
    };
    let places = regions
        .iter()
        .filter(|r| r.level == RegionLevel::Community.code())
        .map(|r| {
            // The path names every ancestor; the city itself goes without saying.
            let names: Vec<String> = r
                .path
                .split('/')
                .filter(|c| !c.is_empty())
                .skip(1)
                .filter_map(name_of)
                .collect();
            PublicPlace {
                code: r.code.clone(),
                label: names.join(" / "),
            }
        })
        .collect();
    Ok(Json(IntakeOptions { types, places }))
}
