//! Disputes API: intake with the tracking code, the scoped case list and detail, the one command
//! endpoint for every stage change, and the QR code of a case's tracking code.

use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::{ApiJson, ApiQuery, CurrentUser, finish};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use fengqiao_domain::dispute::stage::{Command, Stage};
use fengqiao_domain::dispute::{Channel, PartyKind, PartyRole};
use fengqiao_domain::identifiers::{CreditCode, MobileNumber, ResidentId};
use fengqiao_domain::role::Role;
use fengqiao_domain::validation::FieldError;
use fengqiao_store::Page;
use fengqiao_store::disputes::{
    CaseScope, Created, DisputeDetail, DisputeFilter, DisputeRow, DisputeTypeRow, IntakeRandom,
    Issuer, NewDispute, NewParty,
};
use rand::RngCore;
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyInput {
    pub role: PartyRole,
    pub kind: PartyKind,
    pub name: String,
    pub id_number: Option<String>,
    pub credit_code: Option<String>,
    pub phone: Option<String>,
    #[serde(default)]
    pub address: String,
    /// 法定代表人 of an entity.
    pub legal_representative: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDisputeRequest {
    pub title: String,
    /// Code from `/api/v1/dispute-types`.
    pub dispute_type: String,
    pub facts: String,
    pub claims: String,
    /// Amount in dispute, in fen (1 yuan = 100 fen).
    #[serde(default)]
    pub amount_fen: i64,
    pub region_code: String,
    #[serde(default)]
    pub address: String,
    pub channel: Channel,
    #[serde(default)]
    pub flags: Vec<String>,
    pub parties: Vec<PartyInput>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommandRequest {
    pub command: Command,
    /// Free-text note recorded with the step (session minutes, guidance notes …).
    #[serde(default)]
    pub note: String,
    /// Structured details of the step, e.g. a session's time, place or link and participants.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

/// What intake answers: the registered case, its access secret, duplicate hints and the
/// suggested routing with its explanation.
#[derive(Debug, serde::Serialize)]
pub struct IntakeResponse {
    #[serde(flatten)]
    pub created: Created,
    pub routing: crate::routes::routing::RoutingSuggestion,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DisputeQuery {
    pub stage: Option<Stage>,
    pub dispute_type: Option<String>,
    /// `true`: only cases assigned to my organisation (my work queue).
    pub mine: Option<bool>,
    pub open_only: Option<bool>,
    /// Title, code or facts contain this text.
    pub q: Option<String>,
    /// Only cases in this region (and below it).
    pub region_code: Option<String>,
    /// Only the cases of one group (see an alert's `group_key`).
    pub group_key: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

impl CreateDisputeRequest {
    /// The store's intake input: the request's fields with the parties already parsed, the
    /// channel the route decides (a bulk import or an online filing is that, whatever the body says).
    pub(crate) fn into_new(
        self,
        parties: Vec<NewParty>,
        channel: Channel,
        idempotency_key: Option<String>,
    ) -> NewDispute {
        NewDispute {
            title: self.title,
            dispute_type: self.dispute_type,
            facts: self.facts,
            claims: self.claims,
            amount_fen: self.amount_fen,
            region_code: self.region_code,
            address: self.address,
            channel,
            flags: self.flags,
            parties,
            idempotency_key,
        }
    }
}

/// Registers a case with a fresh id and random code and secret drawn here, at the edge (every
/// intake route: window, bulk import, online filing).
pub(crate) async fn register(
    state: &AppState,
    ctx: &fengqiao_store::AuditCtx,
    scope: &fengqiao_store::Scope,
    input: &NewDispute,
) -> Result<Created, fengqiao_store::StoreError> {
    let random = IntakeRandom {
        code: rand::rngs::OsRng.next_u64(),
        secret: rand::rngs::OsRng.next_u64(),
    };
    let id = uuid::Uuid::now_v7().to_string();
    let created = state
        .store
        .create_dispute(ctx, scope, &state.cipher, &id, random, input)
        .await?;
    // The filing rules run after the commit, off the request's path (see `risk_engine`).
    state.risk.submit(
        state,
        crate::risk_engine::RiskJob::Filing {
            case_id: created.dispute.id.clone(),
        },
    );
    Ok(created)
}

/// Parses the parties' identifiers, collecting every problem with its field path.
pub fn parse_parties(inputs: &[PartyInput], problems: &mut Vec<FieldError>) -> Vec<NewParty> {
    inputs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let field = |f: &str| format!("parties.{i}.{f}");
            let present = |v: &Option<String>| {
                v.as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
            };
            let id_number = present(&p.id_number).and_then(|v| {
                ResidentId::parse(&v)
                    .map_err(|e| {
                        problems.push(FieldError::new(
                            field("id_number"),
                            "bad_id_number",
                            e.to_string(),
                        ))
                    })
                    .ok()
            });
            let credit_code = present(&p.credit_code).and_then(|v| {
                CreditCode::parse(&v)
                    .map_err(|e| {
                        problems.push(FieldError::new(
                            field("credit_code"),
                            "bad_credit_code",
                            e.to_string(),
                        ))
                    })
                    .ok()
            });
            let phone = present(&p.phone).and_then(|v| {
                MobileNumber::parse(&v)
                    .map_err(|e| {
                        problems.push(FieldError::new(field("phone"), "bad_phone", e.to_string()))
                    })
                    .ok()
            });
            NewParty {
                role: p.role,
                kind: p.kind,
                name: p.name.clone(),
                id_number,
                credit_code,
                phone,
                address: p.address.clone(),
                legal_representative: p.legal_representative.clone(),
            }
        })
        .collect()
}

pub(crate) fn case_scope(me: &CurrentUser) -> CaseScope {
    CaseScope {
        region: me.scope.clone(),
        org_id: Some(me.user.org_id.clone()),
    }
}

pub(crate) const INTAKE_ROLES: &[Role] = &[
    Role::Intake,
    Role::GridWorker,
    Role::Judge,
    Role::Commander,
    Role::Admin,
    Role::Mediator,
];

/// Register a dispute: mints its tracking code (解纷码) and the access secret printed with it.
/// An `Idempotency-Key` header makes retries return the first result.
#[utoipa::path(post, path = "/api/v1/disputes", tag = "disputes", request_body = CreateDisputeRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "retry-safe key")),
    responses((status = 201, description = "registered", body = Object), (status = 200, description = "replayed"), (status = 422, body = ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    headers: HeaderMap,
    ApiJson(req): ApiJson<CreateDisputeRequest>,
) -> ApiResult<(StatusCode, Json<IntakeResponse>)> {
    me.require(INTAKE_ROLES)?;
    let mut problems = Vec::new();
    let parties = parse_parties(&req.parties, &mut problems);
    let idempotency_key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(|s| format!("{}:{}", me.user.id, s.trim()));
    if idempotency_key.as_ref().is_some_and(|k| k.len() > 200) {
        problems.push(FieldError::new("Idempotency-Key", "too_long", "幂等键过长"));
    }
    finish(problems)?;
    let channel = req.channel;
    let input = req.into_new(parties, channel, idempotency_key);
    let created = register(&state, &me.audit(&state), &me.scope, &input).await?;
    let status = if created.replayed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    let detail = state.store.detail_of(created.dispute.clone()).await?;
    let routing = crate::routes::routing::suggest(&state, &detail).await?;
    Ok((status, Json(IntakeResponse { created, routing })))
}

/// Cases in my jurisdiction or assigned to my organisation.
#[utoipa::path(get, path = "/api/v1/disputes", tag = "disputes", params(DisputeQuery),
    responses((status = 200, body = Object), (status = 401, body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<DisputeQuery>,
) -> ApiResult<Json<Page<DisputeRow>>> {
    if me.has(Role::Citizen) {
        return Err(ApiError::Forbidden);
    }
    let region_path = match &q.region_code {
        Some(code) => Some(crate::routes::regions::path_of(&state, &me.scope, code).await?),
        None => None,
    };
    let filter = DisputeFilter {
        stage: q.stage,
        dispute_type: q.dispute_type,
        assigned_to: q.mine.unwrap_or(false).then(|| me.user.org_id.clone()),
        text: q.q,
        open_only: q.open_only.unwrap_or(false),
        region_path,
        group_key: q.group_key,
    };
    let page = fengqiao_store::PageRequest::new(q.page, q.per_page);
    Ok(Json(
        state
            .store
            .list_disputes(&case_scope(&me), &filter, page)
            .await?,
    ))
}

/// One case with parties (masked), assignments, timeline and clocks.
#[utoipa::path(get, path = "/api/v1/disputes/{id}", tag = "disputes", params(("id" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = ErrorEnvelope)))]
pub async fn get(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<DisputeDetail>> {
    if me.has(Role::Citizen) {
        return Err(ApiError::NotFound { entity: "dispute" });
    }
    Ok(Json(
        state.store.dispute_detail(&case_scope(&me), &id).await?,
    ))
}

/// Every stage change: route, accept, decline, transfer, sessions, pause/resume, agreement,
/// confirmation, performance, follow-up, failure to another channel, judge guidance, withdraw,
/// reject, merge/unmerge. The machine checks the caller's permission for that step.
#[utoipa::path(post, path = "/api/v1/disputes/{id}/commands", tag = "disputes", params(("id" = String, Path)), request_body = CommandRequest,
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn command(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<CommandRequest>,
) -> ApiResult<Json<DisputeRow>> {
    if me.has(Role::Citizen) {
        return Err(ApiError::NotFound { entity: "dispute" });
    }
    if req.note.chars().count() > 20_000 {
        return Err(ApiError::invalid(
            "note",
            "too_long",
            "记录不能超过 20000 字",
        ));
    }
    let issuer = Issuer::Staff {
        user_id: me.user.id.clone(),
        org_id: me.user.org_id.clone(),
        roles: me.roles.clone(),
        region: me.scope.clone(),
    };
    let detail = serde_json::json!({ "note": req.note.trim(), "details": req.details });
    let row = state
        .store
        .apply_command(&me.audit(&state), &issuer, &id, &req.command, &detail)
        .await?;
    Ok(Json(row))
}

/// The dispute taxonomy.
#[utoipa::path(get, path = "/api/v1/dispute-types", tag = "disputes", responses((status = 200, body = Object)))]
pub async fn types(
    State(state): State<AppState>,
    _me: CurrentUser,
) -> ApiResult<Json<Vec<DisputeTypeRow>>> {
    Ok(Json(state.store.dispute_types().await?))
}

/// The tracking code as an SVG QR code (for the 受理通知书).
#[utoipa::path(get, path = "/api/v1/disputes/{id}/qr.svg", tag = "disputes", params(("id" = String, Path)),
    responses((status = 200, content_type = "image/svg+xml"), (status = 404, body = ErrorEnvelope)))]
pub async fn qr(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    let case = state.store.get_dispute(&case_scope(&me), &id).await?;
    let svg = qr_svg(&case.display_code())?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg))
}

/// The tracking code as a PNG QR code (for printing and for phones).
#[utoipa::path(get, path = "/api/v1/disputes/{id}/qr.png", tag = "disputes", params(("id" = String, Path)),
    responses((status = 200, content_type = "image/png"), (status = 404, body = ErrorEnvelope)))]
pub async fn qr_png(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    let case = state.store.get_dispute(&case_scope(&me), &id).await?;
    let png = fengqiao_docs::qr_png(&case.display_code(), 8)
        .map_err(|e| ApiError::Internal(format!("qr: {e}")))?;
    Ok(([(header::CONTENT_TYPE, "image/png")], png))
}

/// An SVG QR code of `text` (medium error correction, quiet zone included).
pub fn qr_svg(text: &str) -> Result<String, ApiError> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| ApiError::Internal(format!("qr: {e}")))?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .build())
}
