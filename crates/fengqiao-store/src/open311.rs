//! Open311 GeoReport v2 storage: API keys (kept only as SHA-256), the extras of requests filed
//! through Open311, and the read queries the public endpoints need over grid events (public
//! categories only), their running clocks, last public steps, first photos and step history.

use crate::audit::{self, AuditCtx};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::grid_events::{GridClockRow, GridEventRow, GridEvents, PhotoMeta, StepRow};
use sea_query::{Alias, Asterisk, Expr, ExprTrait, Func, Iden, Order, Query};
use serde::Serialize;
use sha2::{Digest, Sha256};

#[derive(Iden, Clone, Copy)]
enum Open311ApiKeys {
    Table,
    Id,
    Name,
    Owner,
    KeyHash,
    KeyPrefix,
    CreatedBy,
    CreatedAt,
    RevokedBy,
    RevokedAt,
}

const KEY_COLUMNS: [Open311ApiKeys; 9] = [
    Open311ApiKeys::Id,
    Open311ApiKeys::Name,
    Open311ApiKeys::Owner,
    Open311ApiKeys::KeyHash,
    Open311ApiKeys::KeyPrefix,
    Open311ApiKeys::CreatedBy,
    Open311ApiKeys::CreatedAt,
    Open311ApiKeys::RevokedBy,
    Open311ApiKeys::RevokedAt,
];

#[derive(Iden, Clone, Copy)]
enum Open311Requests {
    Table,
    EventId,
    Token,
    ApiKeyId,
    MediaUrl,
    EmailEnc,
    DeviceId,
    AccountId,
    CreatedAt,
}

const REQUEST_COLUMNS: [Open311Requests; 8] = [
    Open311Requests::EventId,
    Open311Requests::Token,
    Open311Requests::ApiKeyId,
    Open311Requests::MediaUrl,
    Open311Requests::EmailEnc,
    Open311Requests::DeviceId,
    Open311Requests::AccountId,
    Open311Requests::CreatedAt,
];

// The grid-event tables read here, named without touching their modules' private enums.
fn steps() -> Alias {
    Alias::new("grid_event_steps")
}
fn clocks() -> Alias {
    Alias::new("grid_event_clocks")
}
fn photos() -> Alias {
    Alias::new("grid_event_photos")
}
fn col(name: &str) -> Alias {
    Alias::new(name)
}

/// How many ids go into one `IN (…)` list.
const CHUNK: usize = 500;

/// An API key as administrators see it; the hash never leaves the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Open311KeyRow {
    pub id: String,
    /// What the key is for (the app or system using it).
    pub name: String,
    /// Who holds it (organisation, vendor, contact).
    pub owner: String,
    #[serde(skip)]
    pub key_hash: String,
    /// The key's first characters, to tell keys apart.
    pub key_prefix: String,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub revoked_by: Option<String>,
    pub revoked_at: Option<i64>,
}

/// The SHA-256 of a key, as stored and looked up.
pub fn hash_key(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// What a request filed through Open311 brought beyond its grid event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Open311RequestRow {
    pub event_id: String,
    pub token: String,
    pub api_key_id: String,
    pub media_url: Option<String>,
    /// Ciphertext (the field cipher of the HTTP layer).
    #[serde(skip)]
    pub email_enc: Option<String>,
    pub device_id: Option<String>,
    pub account_id: Option<String>,
    pub created_at: i64,
}

/// The filters of `GET requests`, already checked by the HTTP layer.
#[derive(Debug, Clone, Default)]
pub struct Open311Search {
    /// Event ids; when given, only they are looked at (the other filters still narrow).
    pub ids: Vec<String>,
    /// The categories that may be shown (public ones, narrowed by `service_code`); empty → none.
    pub categories: Vec<String>,
    /// Grid event status codes; empty → all.
    pub statuses: Vec<String>,
    pub created_from: Option<i64>,
    pub created_to: Option<i64>,
    /// Only events under this materialised path (the `jurisdiction_id` region).
    pub region_path: Option<String>,
    pub limit: u64,
}

/// The filters of `GET servicerequestupdates`.
#[derive(Debug, Clone, Default)]
pub struct Open311UpdateSearch {
    pub event_ids: Vec<String>,
    pub categories: Vec<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub region_path: Option<String>,
    pub limit: u64,
}

fn check_len(field: &str, text: &str, max: usize, required: bool) -> Result<()> {
    if required && text.trim().is_empty() {
        return Err(StoreError::invalid(field, "required", "不能为空"));
    }
    if text.chars().count() > max {
        return Err(StoreError::invalid(
            field,
            "too_long",
            format!("不能超过 {max} 字"),
        ));
    }
    Ok(())
}

fn select_keys() -> sea_query::SelectStatement {
    Query::select()
        .columns(KEY_COLUMNS)
        .from(Open311ApiKeys::Table)
        .to_owned()
}

impl Store {
    /// Issues a key: `secret` is hashed here and never stored; the creation is audited (with the
    /// prefix only).
    pub async fn create_open311_key(
        &self,
        ctx: &AuditCtx,
        id: &str,
        name: &str,
        owner: &str,
        secret: &str,
    ) -> Result<Open311KeyRow> {
        check_len("name", name, 100, true)?;
        check_len("owner", owner, 100, false)?;
        let row = Open311KeyRow {
            id: id.to_owned(),
            name: name.trim().to_owned(),
            owner: owner.trim().to_owned(),
            key_hash: hash_key(secret),
            key_prefix: secret.chars().take(10).collect(),
            created_by: ctx.actor_user_id.clone(),
            created_at: ctx.at.as_micros(),
            revoked_by: None,
            revoked_at: None,
        };
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::insert()
                .into_table(Open311ApiKeys::Table)
                .columns(KEY_COLUMNS)
                .values_panic([
                    row.id.clone().into(),
                    row.name.clone().into(),
                    row.owner.clone().into(),
                    row.key_hash.clone().into(),
                    row.key_prefix.clone().into(),
                    row.created_by.clone().into(),
                    row.created_at.into(),
                    row.revoked_by.clone().into(),
                    row.revoked_at.into(),
                ])
                .to_owned(),
        )
        .await
        .map_err(|e| StoreError::from_write(e, &[("key_hash", "key"), ("id", "id")]))?;
        audit::append(
            &mut tx,
            ctx,
            "open311_key.create",
            "open311_key",
            &row.id,
            None::<&()>,
            Some(&row),
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Every key, newest first (revoked ones included, marked).
    pub async fn open311_keys(&self) -> Result<Vec<Open311KeyRow>> {
        self.fetch_all(
            &select_keys()
                .order_by(Open311ApiKeys::CreatedAt, Order::Desc)
                .order_by(Open311ApiKeys::Id, Order::Desc)
                .to_owned(),
        )
        .await
    }

    /// Revokes a key (audited). Revoking a revoked key changes nothing and answers it as it is.
    pub async fn revoke_open311_key(&self, ctx: &AuditCtx, id: &str) -> Result<Open311KeyRow> {
        let mut tx = self.begin().await?;
        let before: Open311KeyRow = tx
            .fetch_optional(
                &select_keys()
                    .and_where(Expr::col(Open311ApiKeys::Id).eq(id))
                    .to_owned(),
            )
            .await?
            .ok_or(StoreError::NotFound {
                entity: "open311_key",
            })?;
        if before.revoked_at.is_some() {
            return Ok(before);
        }
        let mut after = before.clone();
        after.revoked_at = Some(ctx.at.as_micros());
        after.revoked_by = ctx.actor_user_id.clone();
        tx.execute(
            &Query::update()
                .table(Open311ApiKeys::Table)
                .values([
                    (Open311ApiKeys::RevokedAt, after.revoked_at.into()),
                    (Open311ApiKeys::RevokedBy, after.revoked_by.clone().into()),
                ])
                .and_where(Expr::col(Open311ApiKeys::Id).eq(id))
                .and_where(Expr::col(Open311ApiKeys::RevokedAt).is_null())
                .to_owned(),
        )
        .await?;
        audit::append(
            &mut tx,
            ctx,
            "open311_key.revoke",
            "open311_key",
            id,
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The active key with this secret, if any.
    pub async fn open311_key_by_secret(&self, secret: &str) -> Result<Option<Open311KeyRow>> {
        self.fetch_optional(
            &select_keys()
                .and_where(Expr::col(Open311ApiKeys::KeyHash).eq(hash_key(secret)))
                .and_where(Expr::col(Open311ApiKeys::RevokedAt).is_null())
                .to_owned(),
        )
        .await
    }

    /// Records what an Open311 request brought, just before its grid event is reported (see the
    /// migration): audited with the key that filed it, never with the e-mail address.
    pub async fn record_open311_request(
        &self,
        ctx: &AuditCtx,
        row: &Open311RequestRow,
        key_name: &str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::insert()
                .into_table(Open311Requests::Table)
                .columns(REQUEST_COLUMNS)
                .values_panic([
                    row.event_id.clone().into(),
                    row.token.clone().into(),
                    row.api_key_id.clone().into(),
                    row.media_url.clone().into(),
                    row.email_enc.clone().into(),
                    row.device_id.clone().into(),
                    row.account_id.clone().into(),
                    row.created_at.into(),
                ])
                .to_owned(),
        )
        .await
        .map_err(|e| StoreError::from_write(e, &[("token", "token"), ("event_id", "id")]))?;
        let logged = serde_json::json!({
            "api_key_id": row.api_key_id,
            "api_key_name": key_name,
            "media_url": row.media_url,
            "device_id": row.device_id,
            "account_id": row.account_id,
            "email_given": row.email_enc.is_some(),
        });
        audit::append(
            &mut tx,
            ctx,
            "grid_event.open311_request",
            "grid_event",
            &row.event_id,
            None::<&()>,
            Some(&logged),
        )
        .await?;
        tx.commit().await
    }

    /// The event a token stands for, once the event exists.
    pub async fn open311_event_by_token(&self, token: &str) -> Result<Option<String>> {
        let row: Option<(String,)> = self
            .fetch_optional(
                &Query::select()
                    .column((Open311Requests::Table, Open311Requests::EventId))
                    .from(Open311Requests::Table)
                    .inner_join(
                        GridEvents::Table,
                        Expr::col((GridEvents::Table, GridEvents::Id))
                            .equals((Open311Requests::Table, Open311Requests::EventId)),
                    )
                    .and_where(
                        Expr::col((Open311Requests::Table, Open311Requests::Token)).eq(token),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(row.map(|r| r.0))
    }

    /// The Open311 extras of these events (those filed through Open311).
    pub async fn open311_request_rows(&self, ids: &[String]) -> Result<Vec<Open311RequestRow>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(CHUNK) {
            out.extend(
                self.fetch_all::<Open311RequestRow>(
                    &Query::select()
                        .columns(REQUEST_COLUMNS)
                        .from(Open311Requests::Table)
                        .and_where(Expr::col(Open311Requests::EventId).is_in(chunk.to_vec()))
                        .to_owned(),
                )
                .await?,
            );
        }
        Ok(out)
    }

    /// Events for `GET requests`: newest first, at most `limit`.
    pub async fn open311_search(&self, s: &Open311Search) -> Result<Vec<GridEventRow>> {
        if s.categories.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = Query::select()
            .column(Asterisk)
            .from(GridEvents::Table)
            .and_where(Expr::col(GridEvents::Category).is_in(s.categories.iter().cloned()))
            .to_owned();
        if !s.ids.is_empty() {
            q.and_where(Expr::col(GridEvents::Id).is_in(s.ids.iter().cloned()));
        }
        if !s.statuses.is_empty() {
            q.and_where(Expr::col(GridEvents::Status).is_in(s.statuses.iter().cloned()));
        }
        if let Some(from) = s.created_from {
            q.and_where(Expr::col(GridEvents::CreatedAt).gte(from));
        }
        if let Some(to) = s.created_to {
            q.and_where(Expr::col(GridEvents::CreatedAt).lte(to));
        }
        if let Some(path) = &s.region_path {
            q.and_where(crate::Scope::Subtree(path.clone()).path_condition(GridEvents::RegionPath));
        }
        q.order_by(GridEvents::CreatedAt, Order::Desc)
            .order_by(GridEvents::Id, Order::Desc)
            .limit(s.limit);
        self.fetch_all(&q).await
    }

    /// The running clock of each of these events (at most one each).
    pub async fn open311_running_clocks(&self, ids: &[String]) -> Result<Vec<GridClockRow>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(CHUNK) {
            out.extend(
                self.fetch_all::<GridClockRow>(
                    &Query::select()
                        .column(Asterisk)
                        .from(clocks())
                        .and_where(Expr::col(col("event_id")).is_in(chunk.to_vec()))
                        .and_where(Expr::col(col("stopped_at")).is_null())
                        .to_owned(),
                )
                .await?,
            );
        }
        Ok(out)
    }

    /// The last public step of each of these events (step ids sort in order within an event).
    pub async fn open311_last_steps(&self, ids: &[String]) -> Result<Vec<StepRow>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(CHUNK) {
            let last = Query::select()
                .expr(Func::max(Expr::col(col("id"))))
                .from(steps())
                .and_where(Expr::col(col("event_id")).is_in(chunk.to_vec()))
                .and_where(Expr::col(col("public")).eq(true))
                .group_by_col(col("event_id"))
                .to_owned();
            out.extend(
                self.fetch_all::<StepRow>(
                    &Query::select()
                        .column(Asterisk)
                        .from(steps())
                        .and_where(Expr::col(col("id")).in_subquery(last))
                        .to_owned(),
                )
                .await?,
            );
        }
        Ok(out)
    }

    /// The first image of each of these events (photo ids are time-ordered).
    pub async fn open311_first_images(&self, ids: &[String]) -> Result<Vec<PhotoMeta>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(CHUNK) {
            let first = Query::select()
                .expr(Func::min(Expr::col(col("id"))))
                .from(photos())
                .and_where(Expr::col(col("event_id")).is_in(chunk.to_vec()))
                .and_where(Expr::col(col("content_type")).like("image/%"))
                .group_by_col(col("event_id"))
                .to_owned();
            out.extend(
                self.fetch_all::<PhotoMeta>(
                    &Query::select()
                        .columns(
                            [
                                "id",
                                "event_id",
                                "step_id",
                                "filename",
                                "content_type",
                                "size_bytes",
                                "sha256",
                                "uploaded_by",
                                "uploaded_at",
                            ]
                            .map(col),
                        )
                        .from(photos())
                        .and_where(Expr::col(col("id")).in_subquery(first))
                        .to_owned(),
                )
                .await?,
            );
        }
        Ok(out)
    }

    /// Public steps of events in the given categories, oldest first, at most `limit` (the newest
    /// ones when there are more).
    pub async fn open311_updates(&self, s: &Open311UpdateSearch) -> Result<Vec<StepRow>> {
        if s.categories.is_empty() {
            return Ok(Vec::new());
        }
        let step = |name: &str| (steps(), col(name));
        let mut q = Query::select()
            .column((steps(), Asterisk))
            .from(steps())
            .inner_join(
                GridEvents::Table,
                Expr::col((GridEvents::Table, GridEvents::Id)).equals(step("event_id")),
            )
            .and_where(Expr::col(step("public")).eq(true))
            .and_where(
                Expr::col((GridEvents::Table, GridEvents::Category))
                    .is_in(s.categories.iter().cloned()),
            )
            .to_owned();
        if !s.event_ids.is_empty() {
            q.and_where(Expr::col(step("event_id")).is_in(s.event_ids.iter().cloned()));
        }
        if let Some(from) = s.from {
            q.and_where(Expr::col(step("at")).gte(from));
        }
        if let Some(to) = s.to {
            q.and_where(Expr::col(step("at")).lte(to));
        }
        if let Some(path) = &s.region_path {
            q.and_where(
                crate::Scope::Subtree(path.clone())
                    .path_condition((GridEvents::Table, GridEvents::RegionPath)),
            );
        }
        q.order_by(step("at"), Order::Desc)
            .order_by(step("id"), Order::Desc)
            .limit(s.limit);
        let mut rows: Vec<StepRow> = self.fetch_all(&q).await?;
        rows.reverse();
        Ok(rows)
    }

    /// Every public step of one event, in order.
    pub async fn open311_event_steps(&self, event_id: &str) -> Result<Vec<StepRow>> {
        self.fetch_all(
            &Query::select()
                .column(Asterisk)
                .from(steps())
                .and_where(Expr::col(col("event_id")).eq(event_id))
                .and_where(Expr::col(col("public")).eq(true))
                .order_by(col("id"), Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// Adds a comment from an Open311 client to an event's timeline (its status unchanged), with
    /// one audit entry, in one transaction.
    pub async fn add_open311_comment(
        &self,
        ctx: &AuditCtx,
        event_id: &str,
        note: &str,
        detail: &serde_json::Value,
    ) -> Result<StepRow> {
        check_len("description", note, 2000, true)?;
        let mut tx = self.begin().await?;
        let status: (String,) = tx
            .fetch_optional(
                &Query::select()
                    .column(GridEvents::Status)
                    .from(GridEvents::Table)
                    .and_where(Expr::col(GridEvents::Id).eq(event_id))
                    .to_owned(),
            )
            .await?
            .ok_or(StoreError::NotFound {
                entity: "grid_event",
            })?;
        let status = status.0;
        let id = crate::grid_events::insert_step(
            &mut tx,
            ctx,
            &crate::grid_events::NewStep {
                event_id,
                actor_kind: "open311",
                action: OPEN311_COMMENT,
                from: Some(&status),
                to: &status,
                note,
                detail,
            },
        )
        .await?;
        let step = StepRow {
            id,
            event_id: event_id.to_owned(),
            at: ctx.at.as_micros(),
            actor_user_id: ctx.actor_user_id.clone(),
            actor_org_id: ctx.actor_org_id.clone(),
            actor_kind: "open311".to_owned(),
            action: OPEN311_COMMENT.to_owned(),
            from_status: Some(status.clone()),
            to_status: status,
            note: note.to_owned(),
            detail_json: detail.to_string(),
            public: true,
        };
        audit::append(
            &mut tx,
            ctx,
            "grid_event.open311_comment",
            "grid_event",
            event_id,
            None::<&()>,
            Some(&step),
        )
        .await?;
        tx.commit().await?;
        Ok(step)
    }
}

/// The timeline action of a comment posted through `POST servicerequestupdates`.
pub const OPEN311_COMMENT: &str = "open311_comment";
