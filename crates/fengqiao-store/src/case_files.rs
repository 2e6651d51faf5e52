//! A case's files: attachments (size/type limited, content-hashed), asynchronous submissions
//! (异步审理: time-stamped statements each side sees), and the editable document templates.

use crate::audit::{self, AuditCtx};
use crate::db::Store;
use crate::error::{Result, StoreError};
use fengqiao_domain::time::Timestamp;
use sea_query::{Expr, ExprTrait, Iden, Order, Query};
use serde::Serialize;
use sha2::{Digest, Sha256};

#[derive(Iden)]
enum Attachments {
    Table,
    Id,
    DisputeId,
    Filename,
    ContentType,
    SizeBytes,
    Sha256,
    Data,
    UploadedBy,
    UploadedAt,
}

#[derive(Iden)]
enum Submissions {
    Table,
    Id,
    DisputeId,
    At,
    Side,
    AuthorUserId,
    Text,
    AttachmentIds,
}

#[derive(Iden)]
enum DocumentTemplates {
    Table,
    Key,
    Name,
    TemplateJson,
    UpdatedAt,
}

/// Largest attachment accepted.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;
/// Types accepted: documents and photos people actually bring.
pub const ALLOWED_TYPES: &[&str] = &[
    "application/pdf",
    "image/jpeg",
    "image/png",
    "text/plain",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AttachmentMeta {
    pub id: String,
    pub dispute_id: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SubmissionRow {
    pub id: String,
    pub dispute_id: String,
    pub at: i64,
    pub side: String,
    pub author_user_id: Option<String>,
    pub text: String,
    pub attachment_ids: String,
}

/// An upload to store.
#[derive(Debug, Clone, Copy)]
pub struct NewAttachment<'a> {
    pub id: &'a str,
    pub dispute_id: &'a str,
    pub filename: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
    /// `user:<id>` or `party:applicant`.
    pub uploaded_by: &'a str,
}

/// Checks an upload before anything is written; the error names the field.
pub fn check_upload(filename: &str, content_type: &str, bytes: &[u8]) -> Result<()> {
    let name = filename.trim();
    if name.is_empty()
        || name.chars().count() > 200
        || name.contains(['/', '\\'])
        || name.chars().any(char::is_control)
    {
        return Err(StoreError::invalid(
            "filename",
            "bad_filename",
            "文件名须为 1–200 个字符，不含路径",
        ));
    }
    if !ALLOWED_TYPES.contains(&content_type) {
        return Err(StoreError::invalid(
            "content_type",
            "unsupported",
            format!("不支持的文件类型 {content_type}（支持 PDF、JPEG、PNG、TXT、DOCX、XLSX）"),
        ));
    }
    if bytes.is_empty() || bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(StoreError::invalid(
            "file",
            "bad_size",
            "文件大小须在 1 字节到 10 MB 之间",
        ));
    }
    // The declared type must match the content for the binary formats.
    let magic_ok = match content_type {
        "application/pdf" => bytes.starts_with(b"%PDF"),
        "image/jpeg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/png" => bytes.starts_with(&[0x89, b'P', b'N', b'G']),
        "text/plain" => std::str::from_utf8(bytes).is_ok(),
        _ => bytes.starts_with(b"PK"),
    };
    if !magic_ok {
        return Err(StoreError::invalid(
            "file",
            "type_mismatch",
            "文件内容与声明的类型不符",
        ));
    }
    Ok(())
}

impl Store {
    /// Stores an attachment of a case (checked by [`check_upload`]), audited with its hash.
    pub async fn add_attachment(
        &self,
        ctx: &AuditCtx,
        upload: &NewAttachment<'_>,
    ) -> Result<AttachmentMeta> {
        let bytes = upload.bytes;
        check_upload(upload.filename, upload.content_type, bytes)?;
        let meta = AttachmentMeta {
            id: upload.id.to_owned(),
            dispute_id: upload.dispute_id.to_owned(),
            filename: upload.filename.trim().to_owned(),
            content_type: upload.content_type.to_owned(),
            size_bytes: bytes.len() as i64,
            sha256: hex::encode(Sha256::digest(bytes)),
            uploaded_by: upload.uploaded_by.to_owned(),
            uploaded_at: ctx.at.as_micros(),
        };
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::insert()
                .into_table(Attachments::Table)
                .columns([
                    Attachments::Id,
                    Attachments::DisputeId,
                    Attachments::Filename,
                    Attachments::ContentType,
                    Attachments::SizeBytes,
                    Attachments::Sha256,
                    Attachments::Data,
                    Attachments::UploadedBy,
                    Attachments::UploadedAt,
                ])
                .values_panic([
                    meta.id.clone().into(),
                    meta.dispute_id.clone().into(),
                    meta.filename.clone().into(),
                    meta.content_type.clone().into(),
                    meta.size_bytes.into(),
                    meta.sha256.clone().into(),
                    bytes.to_vec().into(),
                    meta.uploaded_by.clone().into(),
                    meta.uploaded_at.into(),
                ])
                .to_owned(),
        )
        .await?;
        audit::append(
            &mut tx,
            ctx,
            "dispute.attachment",
            "dispute",
            upload.dispute_id,
            None::<&()>,
            Some(&meta),
        )
        .await?;
        tx.commit().await?;
        Ok(meta)
    }

    pub async fn attachments_of(&self, dispute_id: &str) -> Result<Vec<AttachmentMeta>> {
        self.fetch_all(
            &Query::select()
                .columns([
                    Attachments::Id,
                    Attachments::DisputeId,
                    Attachments::Filename,
                    Attachments::ContentType,
                    Attachments::SizeBytes,
                    Attachments::Sha256,
                    Attachments::UploadedBy,
                    Attachments::UploadedAt,
                ])
                .from(Attachments::Table)
                .and_where(Expr::col(Attachments::DisputeId).eq(dispute_id))
                .order_by(Attachments::UploadedAt, Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// The bytes of one attachment of one case.
    pub async fn attachment_data(
        &self,
        dispute_id: &str,
        id: &str,
    ) -> Result<(AttachmentMeta, Vec<u8>)> {
        let meta = self
            .attachments_of(dispute_id)
            .await?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or(StoreError::NotFound {
                entity: "attachment",
            })?;
        let row: Option<(Vec<u8>,)> = self
            .fetch_optional(
                &Query::select()
                    .column(Attachments::Data)
                    .from(Attachments::Table)
                    .and_where(Expr::col(Attachments::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        let (data,) = row.ok_or(StoreError::NotFound {
            entity: "attachment",
        })?;
        Ok((meta, data))
    }

    /// Records a time-stamped statement of one side (异步审理); every side sees every submission.
    pub async fn add_submission(&self, ctx: &AuditCtx, row: &SubmissionRow) -> Result<()> {
        let text = row.text.trim();
        if text.chars().count() < 2 || text.chars().count() > 20_000 {
            return Err(StoreError::invalid(
                "text",
                "bad_length",
                "陈述须为 2–20000 字",
            ));
        }
        if !["applicant", "respondent", "mediator", "court"].contains(&row.side.as_str()) {
            return Err(StoreError::invalid(
                "side",
                "unknown",
                "提交方须为 applicant、respondent、mediator 或 court",
            ));
        }
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::insert()
                .into_table(Submissions::Table)
                .columns([
                    Submissions::Id,
                    Submissions::DisputeId,
                    Submissions::At,
                    Submissions::Side,
                    Submissions::AuthorUserId,
                    Submissions::Text,
                    Submissions::AttachmentIds,
                ])
                .values_panic([
                    row.id.clone().into(),
                    row.dispute_id.clone().into(),
                    ctx.at.as_micros().into(),
                    row.side.clone().into(),
                    row.author_user_id.clone().into(),
                    text.into(),
                    row.attachment_ids.clone().into(),
                ])
                .to_owned(),
        )
        .await?;
        audit::append(
            &mut tx,
            ctx,
            "dispute.submission",
            "dispute",
            &row.dispute_id,
            None::<&()>,
            Some(&serde_json::json!({ "submission": row.id, "side": row.side })),
        )
        .await?;
        tx.commit().await
    }

    pub async fn submissions_of(&self, dispute_id: &str) -> Result<Vec<SubmissionRow>> {
        self.fetch_all(
            &Query::select()
                .columns([
                    Submissions::Id,
                    Submissions::DisputeId,
                    Submissions::At,
                    Submissions::Side,
                    Submissions::AuthorUserId,
                    Submissions::Text,
                    Submissions::AttachmentIds,
                ])
                .from(Submissions::Table)
                .and_where(Expr::col(Submissions::DisputeId).eq(dispute_id))
                .order_by(Submissions::At, Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// An administrator's edited template, if one replaced the built-in one.
    pub async fn document_template(&self, key: &str) -> Result<Option<String>> {
        let row: Option<(String,)> = self
            .fetch_optional(
                &Query::select()
                    .column(DocumentTemplates::TemplateJson)
                    .from(DocumentTemplates::Table)
                    .and_where(Expr::col(DocumentTemplates::Key).eq(key))
                    .to_owned(),
            )
            .await?;
        Ok(row.map(|r| r.0))
    }

    /// Saves an edited template (the caller checked it renders), audited.
    pub async fn save_document_template(
        &self,
        ctx: &AuditCtx,
        key: &str,
        name: &str,
        json: &str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::delete()
                .from_table(DocumentTemplates::Table)
                .and_where(Expr::col(DocumentTemplates::Key).eq(key))
                .to_owned(),
        )
        .await?;
        tx.execute(
            &Query::insert()
                .into_table(DocumentTemplates::Table)
                .columns([
                    DocumentTemplates::Key,
                    DocumentTemplates::Name,
                    DocumentTemplates::TemplateJson,
                    DocumentTemplates::UpdatedAt,
                ])
                .values_panic([
                    key.into(),
                    name.into(),
                    json.into(),
                    ctx.at.as_micros().into(),
                ])
                .to_owned(),
        )
        .await?;
        audit::append(
            &mut tx,
            ctx,
            "document_template.save",
            "document_template",
            key,
            None::<&()>,
            Some(&serde_json::json!({ "name": name, "bytes": json.len() })),
        )
        .await?;
        tx.commit().await
    }
}

/// Chinese date for documents: 2026年3月2日.
pub fn chinese_date(at: Timestamp) -> String {
    let d = at.china_date();
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}
