//! Photos and files on a grid event: the report's scene, on-the-spot and handling evidence.
//! Same limits and content checks as case attachments, stored with their SHA-256.

use crate::audit::{self, AuditCtx};
use crate::case_files::check_upload;
use crate::db::{Store, Tx};
use crate::error::{Result, StoreError};
use sea_query::{Expr, ExprTrait, Iden, Order, Query};
use serde::Serialize;
use sha2::{Digest, Sha256};

#[derive(Iden, Clone, Copy)]
enum GridEventPhotos {
    Table,
    Id,
    EventId,
    StepId,
    Filename,
    ContentType,
    SizeBytes,
    Sha256,
    Data,
    UploadedBy,
    UploadedAt,
}

const META_COLUMNS: [GridEventPhotos; 9] = [
    GridEventPhotos::Id,
    GridEventPhotos::EventId,
    GridEventPhotos::StepId,
    GridEventPhotos::Filename,
    GridEventPhotos::ContentType,
    GridEventPhotos::SizeBytes,
    GridEventPhotos::Sha256,
    GridEventPhotos::UploadedBy,
    GridEventPhotos::UploadedAt,
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PhotoMeta {
    pub id: String,
    pub event_id: String,
    /// The timeline step the photo was taken for, when known (feedback, on-the-spot solution).
    pub step_id: Option<String>,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_by: Option<String>,
    pub uploaded_at: i64,
}

#[derive(Debug, Clone, Copy)]
pub struct NewPhoto<'a> {
    pub id: &'a str,
    pub event_id: &'a str,
    pub filename: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
}

/// Photos added since `since` (the step that put the event in its current status): evidence
/// for the step owed now, not the report's scene photos again.
pub(crate) async fn count_since_in(tx: &mut Tx, event_id: &str, since: i64) -> Result<usize> {
    let row: Option<(i64,)> = tx
        .fetch_optional(
            &Query::select()
                .expr(Expr::col(GridEventPhotos::Id).count())
                .from(GridEventPhotos::Table)
                .and_where(Expr::col(GridEventPhotos::EventId).eq(event_id))
                .and_where(Expr::col(GridEventPhotos::UploadedAt).gte(since))
                .to_owned(),
        )
        .await?;
    Ok(row.map_or(0, |r| usize::try_from(r.0).unwrap_or(0)))
}

impl Store {
    /// Stores a photo of an event the caller may already see (the edge checked access).
    pub async fn add_grid_event_photo(
        &self,
        ctx: &AuditCtx,
        photo: &NewPhoto<'_>,
    ) -> Result<PhotoMeta> {
        check_upload(photo.filename, photo.content_type, photo.bytes)?;
        let meta = PhotoMeta {
            id: photo.id.to_owned(),
            event_id: photo.event_id.to_owned(),
            step_id: None,
            filename: photo.filename.trim().to_owned(),
            content_type: photo.content_type.to_owned(),
            size_bytes: photo.bytes.len() as i64,
            sha256: hex::encode(Sha256::digest(photo.bytes)),
            uploaded_by: ctx.actor_user_id.clone(),
            uploaded_at: ctx.at.as_micros(),
        };
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::insert()
                .into_table(GridEventPhotos::Table)
                .columns(META_COLUMNS.into_iter().chain([GridEventPhotos::Data]))
                .values_panic([
                    meta.id.clone().into(),
                    meta.event_id.clone().into(),
                    meta.step_id.clone().into(),
                    meta.filename.clone().into(),
                    meta.content_type.clone().into(),
                    meta.size_bytes.into(),
                    meta.sha256.clone().into(),
                    meta.uploaded_by.clone().into(),
                    meta.uploaded_at.into(),
                    photo.bytes.to_vec().into(),
                ])
                .to_owned(),
        )
        .await?;
        audit::append(
            &mut tx,
            ctx,
            "grid_event.photo",
            "grid_event",
            photo.event_id,
            None::<&()>,
            Some(&meta),
        )
        .await?;
        tx.commit().await?;
        Ok(meta)
    }

    pub async fn grid_event_photos(&self, event_id: &str) -> Result<Vec<PhotoMeta>> {
        self.fetch_all(
            &Query::select()
                .columns(META_COLUMNS)
                .from(GridEventPhotos::Table)
                .and_where(Expr::col(GridEventPhotos::EventId).eq(event_id))
                .order_by(GridEventPhotos::UploadedAt, Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// The bytes and type of one photo of one event.
    pub async fn grid_event_photo_data(
        &self,
        event_id: &str,
        photo_id: &str,
    ) -> Result<(String, String, Vec<u8>)> {
        let row: Option<(String, String, Vec<u8>)> = self
            .fetch_optional(
                &Query::select()
                    .columns([
                        GridEventPhotos::Filename,
                        GridEventPhotos::ContentType,
                        GridEventPhotos::Data,
                    ])
                    .from(GridEventPhotos::Table)
                    .and_where(Expr::col(GridEventPhotos::EventId).eq(event_id))
                    .and_where(Expr::col(GridEventPhotos::Id).eq(photo_id))
                    .to_owned(),
            )
            .await?;
        row.ok_or(StoreError::NotFound { entity: "photo" })
    }
}
