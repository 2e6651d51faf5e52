//! Attachments and asynchronous submissions (异步审理) of a case, for staff and for parties.

use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::{ApiJson, CurrentUser, RequestId};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use fengqiao_domain::role::Role;
use fengqiao_domain::time::Timestamp;
use fengqiao_store::AuditCtx;
use fengqiao_store::case_files::{AttachmentMeta, NewAttachment, SubmissionRow};
use fengqiao_store::disputes::CaseScope;
use serde::{Deserialize, Serialize};

pub(crate) fn upload_parts(headers: &HeaderMap) -> ApiResult<(String, String)> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_owned())
        .ok_or_else(|| ApiError::invalid("content_type", "required", "须声明文件类型"))?;
    // The file name travels percent-encoded so Chinese names survive HTTP headers.
    let raw = headers
        .get("x-filename")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| ApiError::invalid("filename", "required", "须提供文件名（X-Filename）"))?;
    let filename = percent_decode(raw).ok_or_else(|| {
        ApiError::invalid("filename", "bad_encoding", "文件名须为 UTF-8 百分号编码")
    })?;
    Ok((filename, content_type))
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = text.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

fn scope(me: &CurrentUser) -> CaseScope {
    CaseScope {
        region: me.scope.clone(),
        org_id: Some(me.user.org_id.clone()),
    }
}

/// Upload an attachment (raw body; `Content-Type` and a percent-encoded `X-Filename` header;
/// PDF, JPEG, PNG, TXT, DOCX, XLSX up to 10 MB; stored with its SHA-256).
#[utoipa::path(post, path = "/api/v1/disputes/{id}/attachments", tag = "disputes", params(("id" = String, Path)),
    responses((status = 201, body = Object), (status = 413), (status = 422, body = ErrorEnvelope)))]
pub async fn upload(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<AttachmentMeta>)> {
    if me.has(Role::Citizen) {
        return Err(ApiError::NotFound { entity: "dispute" });
    }
    let case = state.store.get_dispute(&scope(&me), &id).await?;
    let (filename, content_type) = upload_parts(&headers)?;
    let meta = state
        .store
        .add_attachment(
            &me.audit(&state),
            &NewAttachment {
                id: &uuid::Uuid::now_v7().to_string(),
                dispute_id: &case.id,
                filename: &filename,
                content_type: &content_type,
                bytes: &body,
                uploaded_by: &format!("user:{}", me.user.id),
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(meta)))
}

/// The attachments of a case.
#[utoipa::path(get, path = "/api/v1/disputes/{id}/attachments", tag = "disputes", params(("id" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<AttachmentMeta>>> {
    let case = state.store.get_dispute(&scope(&me), &id).await?;
    Ok(Json(state.store.attachments_of(&case.id).await?))
}

/// Download one attachment.
#[utoipa::path(get, path = "/api/v1/disputes/{id}/attachments/{attachment_id}", tag = "disputes",
    params(("id" = String, Path), ("attachment_id" = String, Path)), responses((status = 200), (status = 404, body = ErrorEnvelope)))]
pub async fn download(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((id, attachment_id)): Path<(String, String)>,
) -> ApiResult<impl IntoResponse> {
    let case = state.store.get_dispute(&scope(&me), &id).await?;
    let (meta, data) = state
        .store
        .attachment_data(&case.id, &attachment_id)
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, meta.content_type),
            (header::CONTENT_DISPOSITION, "attachment".to_owned()),
        ],
        data,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmissionRequest {
    /// applicant | respondent | mediator | court
    pub side: String,
    pub text: String,
    #[serde(default)]
    pub attachment_ids: Vec<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SubmissionView {
    pub id: String,
    pub at: Timestamp,
    pub side: String,
    pub text: String,
    pub attachment_ids: Vec<String>,
}

fn view(rows: Vec<SubmissionRow>) -> Vec<SubmissionView> {
    rows.into_iter()
        .map(|r| SubmissionView {
            id: r.id,
            at: Timestamp::from_micros(r.at),
            side: r.side,
            text: r.text,
            attachment_ids: serde_json::from_str(&r.attachment_ids).unwrap_or_default(),
        })
        .collect()
}

/// Record a statement for one side (staff enter what a party or the court submits).
#[utoipa::path(post, path = "/api/v1/disputes/{id}/submissions", tag = "disputes", params(("id" = String, Path)), request_body = SubmissionRequest,
    responses((status = 201, body = [SubmissionView]), (status = 422, body = ErrorEnvelope)))]
pub async fn submit(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<SubmissionRequest>,
) -> ApiResult<(StatusCode, Json<Vec<SubmissionView>>)> {
    if me.has(Role::Citizen) {
        return Err(ApiError::NotFound { entity: "dispute" });
    }
    let case = state.store.get_dispute(&scope(&me), &id).await?;
    add(
        &state,
        &me.audit(&state),
        &case.id,
        &req,
        Some(me.user.id.clone()),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(view(state.store.submissions_of(&case.id).await?)),
    ))
}

/// Every submission of a case, in time order (each side sees all of them).
#[utoipa::path(get, path = "/api/v1/disputes/{id}/submissions", tag = "disputes", params(("id" = String, Path)),
    responses((status = 200, body = [SubmissionView]), (status = 404, body = ErrorEnvelope)))]
pub async fn submissions(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<SubmissionView>>> {
    let case = state.store.get_dispute(&scope(&me), &id).await?;
    Ok(Json(view(state.store.submissions_of(&case.id).await?)))
}

async fn add(
    state: &AppState,
    ctx: &AuditCtx,
    dispute_id: &str,
    req: &SubmissionRequest,
    author: Option<String>,
) -> ApiResult<()> {
    let known: Vec<String> = state
        .store
        .attachments_of(dispute_id)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    if let Some(bad) = req.attachment_ids.iter().find(|a| !known.contains(a)) {
        return Err(ApiError::invalid(
            "attachment_ids",
            "not_found",
            format!("附件 {bad} 不属于本案"),
        ));
    }
    let row = SubmissionRow {
        id: uuid::Uuid::now_v7().to_string(),
        dispute_id: dispute_id.to_owned(),
        at: ctx.at.as_micros(),
        side: req.side.clone(),
        author_user_id: author,
        text: req.text.clone(),
        attachment_ids: serde_json::to_string(&req.attachment_ids).unwrap_or_else(|_| "[]".into()),
    };
    Ok(state.store.add_submission(ctx, &row).await?)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartySubmissionRequest {
    pub code: String,
    pub factor: String,
    pub text: String,
}

/// A party's own statement, by code and second factor; recorded as the applicant's side.
#[utoipa::path(post, path = "/api/v1/party/submissions", tag = "party", request_body = PartySubmissionRequest,
    responses((status = 201, body = [SubmissionView]), (status = 422, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope)))]
pub async fn party_submit(
    State(state): State<AppState>,
    RequestId(rid): RequestId,
    ApiJson(req): ApiJson<PartySubmissionRequest>,
) -> ApiResult<(StatusCode, Json<Vec<SubmissionView>>)> {
    let case = crate::routes::party::authenticate(&state, &req.code, &req.factor).await?;
    let ctx = AuditCtx {
        actor_user_id: None,
        actor_org_id: None,
        request_id: Some(rid),
        at: state.clock.now(),
    };
    let sub = SubmissionRequest {
        side: "applicant".into(),
        text: req.text,
        attachment_ids: vec![],
    };
    add(&state, &ctx, &case.id, &sub, None).await?;
    Ok((
        StatusCode::CREATED,
        Json(view(state.store.submissions_of(&case.id).await?)),
    ))
}

/// A party uploads supplementary material (raw body, `Content-Type`, `X-Filename`,
/// `X-Case-Code`, `X-Case-Factor`).
#[utoipa::path(post, path = "/api/v1/party/attachments", tag = "party",
    responses((status = 201, body = Object), (status = 422, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope)))]
pub async fn party_upload(
    State(state): State<AppState>,
    RequestId(rid): RequestId,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<AttachmentMeta>)> {
    let code = headers
        .get("x-case-code")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let factor = headers
        .get("x-case-factor")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let case = crate::routes::party::authenticate(&state, code, factor).await?;
    let (filename, content_type) = upload_parts(&headers)?;
    let ctx = AuditCtx {
        actor_user_id: None,
        actor_org_id: None,
        request_id: Some(rid),
        at: state.clock.now(),
    };
    let meta = state
        .store
        .add_attachment(
            &ctx,
            &NewAttachment {
                id: &uuid::Uuid::now_v7().to_string(),
                dispute_id: &case.id,
                filename: &filename,
                content_type: &content_type,
                bytes: &body,
                uploaded_by: "party:applicant",
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(meta)))
}
