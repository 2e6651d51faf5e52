//! Persisted timers and the notice outbox. Timers survive restarts (they are rows), and a due
//! timer is claimed by one atomic UPDATE … WHERE fired_at IS NULL, so no timer fires twice even
//! with several workers. Notices wait in the outbox until a sender delivers them.

use crate::db::{Store, Tx};
use crate::error::Result;
use fengqiao_domain::time::Timestamp;
use sea_query::{Expr, ExprTrait, Iden, Order, Query};
use serde::Serialize;

#[derive(Iden)]
enum Timers {
    Table,
    Id,
    DueAt,
    Kind,
    RefId,
    Payload,
    FiredAt,
    CreatedAt,
}

#[derive(Iden)]
enum Outbox {
    Table,
    Id,
    CreatedAt,
    DisputeId,
    Channel,
    Recipient,
    Subject,
    Body,
    SentAt,
    Attempts,
    LastError,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct TimerRow {
    pub id: String,
    pub due_at: i64,
    pub kind: String,
    pub ref_id: String,
    pub payload: String,
    pub fired_at: Option<i64>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct NoticeRow {
    pub id: String,
    pub created_at: i64,
    pub dispute_id: Option<String>,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub sent_at: Option<i64>,
    pub attempts: i64,
    pub last_error: Option<String>,
}

const TIMER_COLUMNS: [Timers; 7] = [
    Timers::Id,
    Timers::DueAt,
    Timers::Kind,
    Timers::RefId,
    Timers::Payload,
    Timers::FiredAt,
    Timers::CreatedAt,
];
const NOTICE_COLUMNS: [Outbox; 10] = [
    Outbox::Id,
    Outbox::CreatedAt,
    Outbox::DisputeId,
    Outbox::Channel,
    Outbox::Recipient,
    Outbox::Subject,
    Outbox::Body,
    Outbox::SentAt,
    Outbox::Attempts,
    Outbox::LastError,
];

/// Schedules a timer inside the caller's transaction; the same (kind, ref, due) is scheduled once.
pub async fn schedule_in(
    tx: &mut Tx,
    kind: &str,
    ref_id: &str,
    due_at: Timestamp,
    payload: &serde_json::Value,
    now: Timestamp,
) -> Result<()> {
    let existing: Option<(String,)> = tx
        .fetch_optional(
            &Query::select()
                .column(Timers::Id)
                .from(Timers::Table)
                .and_where(Expr::col(Timers::Kind).eq(kind))
                .and_where(Expr::col(Timers::RefId).eq(ref_id))
                .and_where(Expr::col(Timers::DueAt).eq(due_at.as_micros()))
                .to_owned(),
        )
        .await?;
    if existing.is_some() {
        return Ok(());
    }
    tx.execute(
        &Query::insert()
            .into_table(Timers::Table)
            .columns(TIMER_COLUMNS)
            .values_panic([
                format!("{kind}:{ref_id}:{}", due_at.as_micros()).into(),
                due_at.as_micros().into(),
                kind.into(),
                ref_id.into(),
                payload.to_string().into(),
                Option::<i64>::None.into(),
                now.as_micros().into(),
            ])
            .to_owned(),
    )
    .await?;
    Ok(())
}

/// A notice to queue.
#[derive(Debug, Clone)]
pub struct NewNotice<'a> {
    pub id: &'a str,
    pub dispute_id: Option<&'a str>,
    pub channel: &'a str,
    /// A reference (`party:<id>`, `org:<id>`), resolved to an address by the sender.
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

/// Queues a notice inside the caller's transaction.
pub async fn enqueue_notice_in(tx: &mut Tx, notice: &NewNotice<'_>, now: Timestamp) -> Result<()> {
    tx.execute(
        &Query::insert()
            .into_table(Outbox::Table)
            .columns(NOTICE_COLUMNS)
            .values_panic([
                notice.id.into(),
                now.as_micros().into(),
                notice.dispute_id.map(str::to_owned).into(),
                notice.channel.into(),
                notice.recipient.into(),
                notice.subject.into(),
                notice.body.into(),
                Option::<i64>::None.into(),
                0i64.into(),
                Option::<String>::None.into(),
            ])
            .to_owned(),
    )
    .await?;
    Ok(())
}

impl Store {
    /// Claims up to `limit` timers due at `now`, marking them fired in the same statement.
    pub async fn claim_due_timers(&self, now: Timestamp, limit: u64) -> Result<Vec<TimerRow>> {
        let mut tx = self.begin().await?;
        let due: Vec<TimerRow> = tx
            .fetch_all(
                &Query::select()
                    .columns(TIMER_COLUMNS)
                    .from(Timers::Table)
                    .and_where(Expr::col(Timers::FiredAt).is_null())
                    .and_where(Expr::col(Timers::DueAt).lte(now.as_micros()))
                    .order_by(Timers::DueAt, Order::Asc)
                    .limit(limit)
                    .to_owned(),
            )
            .await?;
        let mut claimed = Vec::with_capacity(due.len());
        for mut timer in due {
            // Only the claimer whose UPDATE changes the row owns the timer.
            let n = tx
                .execute(
                    &Query::update()
                        .table(Timers::Table)
                        .value(Timers::FiredAt, now.as_micros())
                        .and_where(Expr::col(Timers::Id).eq(timer.id.as_str()))
                        .and_where(Expr::col(Timers::FiredAt).is_null())
                        .to_owned(),
                )
                .await?;
            if n == 1 {
                timer.fired_at = Some(now.as_micros());
                claimed.push(timer);
            }
        }
        tx.commit().await?;
        Ok(claimed)
    }

    pub async fn pending_timers(&self) -> Result<Vec<TimerRow>> {
        self.fetch_all(
            &Query::select()
                .columns(TIMER_COLUMNS)
                .from(Timers::Table)
                .and_where(Expr::col(Timers::FiredAt).is_null())
                .order_by(Timers::DueAt, Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// Notices not yet delivered, oldest first.
    pub async fn pending_notices(&self, limit: u64) -> Result<Vec<NoticeRow>> {
        self.fetch_all(
            &Query::select()
                .columns(NOTICE_COLUMNS)
                .from(Outbox::Table)
                .and_where(Expr::col(Outbox::SentAt).is_null())
                .and_where(Expr::col(Outbox::Attempts).lt(10))
                .order_by(Outbox::CreatedAt, Order::Asc)
                .limit(limit)
                .to_owned(),
        )
        .await
    }

    pub async fn notices_for(&self, dispute_id: &str) -> Result<Vec<NoticeRow>> {
        self.fetch_all(
            &Query::select()
                .columns(NOTICE_COLUMNS)
                .from(Outbox::Table)
                .and_where(Expr::col(Outbox::DisputeId).eq(dispute_id))
                .order_by(Outbox::CreatedAt, Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// Records a delivery attempt: sent, or failed with the error (retried later).
    pub async fn mark_notice(&self, id: &str, now: Timestamp, error: Option<&str>) -> Result<()> {
        let mut q = Query::update();
        q.table(Outbox::Table)
            .value(Outbox::Attempts, Expr::col(Outbox::Attempts).add(1))
            .and_where(Expr::col(Outbox::Id).eq(id));
        match error {
            None => q.value(Outbox::SentAt, now.as_micros()),
            Some(e) => q.value(Outbox::LastError, e),
        };
        self.execute(&q).await?;
        Ok(())
    }
}
