//! Appending to and verifying the audit chain (全程留痕). Appends happen inside the caller's
//! transaction, so an audited change and its entry are written together or not at all.

use crate::db::{Store, Tx};
use crate::error::Result;
use crate::page::{Page, PageRequest};
use fengqiao_domain::audit::{AuditRecord, ChainBreak, ChainVerifier};
use fengqiao_domain::time::Timestamp;
use sea_query::{Expr, ExprTrait, Iden, Order, Query};
use serde::Serialize;

#[derive(Iden)]
pub(crate) enum AuditLog {
    Table,
    Seq,
    At,
    ActorUserId,
    ActorOrgId,
    Action,
    EntityType,
    EntityId,
    BeforeJson,
    AfterJson,
    RequestId,
    PrevHash,
    Hash,
}

#[derive(Iden)]
enum AuditHead {
    Table,
    Id,
    Seq,
    Hash,
}

/// Who is acting, for which request, and when: passed into every audited write.
#[derive(Debug, Clone)]
pub struct AuditCtx {
    pub actor_user_id: Option<String>,
    pub actor_org_id: Option<String>,
    pub request_id: Option<String>,
    pub at: Timestamp,
}

impl AuditCtx {
    /// A change made by the system itself (migrations, the demo seeder, the scheduler).
    pub fn system(at: Timestamp) -> Self {
        Self {
            actor_user_id: None,
            actor_org_id: None,
            request_id: None,
            at,
        }
    }
}

/// One stored audit entry as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct AuditEntryRow {
    pub seq: i64,
    #[serde(serialize_with = "crate::page::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: i64,
    pub actor_user_id: Option<String>,
    pub actor_org_id: Option<String>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub request_id: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEntryRow {
    fn record(&self) -> AuditRecord {
        AuditRecord {
            seq: self.seq,
            at_micros: self.at,
            actor_user_id: self.actor_user_id.clone(),
            actor_org_id: self.actor_org_id.clone(),
            action: self.action.clone(),
            entity_type: self.entity_type.clone(),
            entity_id: self.entity_id.clone(),
            before_json: self.before_json.clone(),
            after_json: self.after_json.clone(),
            request_id: self.request_id.clone(),
        }
    }
}

/// Appends one entry to the chain inside `tx`. `before`/`after` are the entity's states.
pub async fn append<B: Serialize, A: Serialize>(
    tx: &mut Tx,
    ctx: &AuditCtx,
    action: &str,
    entity_type: &str,
    entity_id: &str,
    before: Option<&B>,
    after: Option<&A>,
) -> Result<i64> {
    let to_text = |v: Option<String>| v;
    let before_json = to_text(
        before
            .map(serde_json::to_string)
            .transpose()
            .map_err(json_err)?,
    );
    let after_json = to_text(
        after
            .map(serde_json::to_string)
            .transpose()
            .map_err(json_err)?,
    );
    // The head row is the chain's lock: PostgreSQL takes a row lock; SQLite's single writer
    // connection already serialises every write transaction.
    let (prev_seq, prev_hash): (i64, String) = tx
        .raw_fetch_one(
            "SELECT seq, hash FROM audit_head WHERE id = 1",
            "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE",
        )
        .await?;
    let record = AuditRecord {
        seq: prev_seq + 1,
        at_micros: ctx.at.as_micros(),
        actor_user_id: ctx.actor_user_id.clone(),
        actor_org_id: ctx.actor_org_id.clone(),
        action: action.to_owned(),
        entity_type: entity_type.to_owned(),
        entity_id: entity_id.to_owned(),
        before_json,
        after_json,
        request_id: ctx.request_id.clone(),
    };
    let hash = record.chain_hash(&prev_hash);
    let insert = Query::insert()
        .into_table(AuditLog::Table)
        .columns([
            AuditLog::Seq,
            AuditLog::At,
            AuditLog::ActorUserId,
            AuditLog::ActorOrgId,
            AuditLog::Action,
            AuditLog::EntityType,
            AuditLog::EntityId,
            AuditLog::BeforeJson,
            AuditLog::AfterJson,
            AuditLog::RequestId,
            AuditLog::PrevHash,
            AuditLog::Hash,
        ])
        .values_panic([
            record.seq.into(),
            record.at_micros.into(),
            record.actor_user_id.clone().into(),
            record.actor_org_id.clone().into(),
            record.action.clone().into(),
            record.entity_type.clone().into(),
            record.entity_id.clone().into(),
            record.before_json.clone().into(),
            record.after_json.clone().into(),
            record.request_id.clone().into(),
            prev_hash.into(),
            hash.clone().into(),
        ])
        .to_owned();
    tx.execute(&insert).await?;
    let head = Query::update()
        .table(AuditHead::Table)
        .values([
            (AuditHead::Seq, record.seq.into()),
            (AuditHead::Hash, hash.into()),
        ])
        .and_where(Expr::col(AuditHead::Id).eq(1))
        .to_owned();
    tx.execute(&head).await?;
    Ok(record.seq)
}

fn json_err(e: serde_json::Error) -> crate::StoreError {
    crate::StoreError::Corrupt(format!("audit payload not serialisable: {e}"))
}

/// The outcome of walking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct VerifyReport {
    pub checked: u64,
    pub last_hash: String,
    /// The first bad entry, if any.
    pub broken_at: Option<i64>,
    pub problem: Option<String>,
}

impl Store {
    /// Walks the chain from the first entry in pages, naming the first entry that fails.
    pub async fn audit_verify(&self) -> Result<VerifyReport> {
        let mut verifier = ChainVerifier::default();
        let mut after = 0i64;
        loop {
            let q = Query::select()
                .columns(all_columns())
                .from(AuditLog::Table)
                .and_where(Expr::col(AuditLog::Seq).gt(after))
                .order_by(AuditLog::Seq, Order::Asc)
                .limit(5_000)
                .to_owned();
            let rows: Vec<AuditEntryRow> = self.fetch_all(&q).await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                if let Err(br) = verifier.check(&row.record(), &row.prev_hash, &row.hash) {
                    let seq = match &br {
                        ChainBreak::HashMismatch { seq }
                        | ChainBreak::LinkMismatch { seq }
                        | ChainBreak::SequenceGap { seq, .. } => *seq,
                    };
                    return Ok(VerifyReport {
                        checked: verifier.checked(),
                        last_hash: verifier.last_hash().to_owned(),
                        broken_at: Some(seq),
                        problem: Some(br.to_string()),
                    });
                }
                after = row.seq;
            }
        }
        // The head must match the last entry too, or entries were cut off the end.
        let head: Option<(i64, String)> = self
            .fetch_optional(
                &Query::select()
                    .columns([AuditHead::Seq, AuditHead::Hash])
                    .from(AuditHead::Table)
                    .and_where(Expr::col(AuditHead::Id).eq(1))
                    .to_owned(),
            )
            .await?;
        let (broken_at, problem) = match head {
            Some((seq, hash)) if seq == after && hash == verifier.last_hash() => (None, None),
            Some((seq, _)) => (
                Some(after + 1),
                Some(format!(
                    "the chain head says {seq} entries but {after} were found (entries removed from the end)"
                )),
            ),
            None => (Some(0), Some("the chain head row is missing".to_owned())),
        };
        Ok(VerifyReport {
            checked: verifier.checked(),
            last_hash: verifier.last_hash().to_owned(),
            broken_at,
            problem,
        })
    }

    /// Audit entries about one entity, newest first.
    pub async fn audit_for_entity(
        &self,
        entity_type: &str,
        entity_id: &str,
        page: PageRequest,
    ) -> Result<Page<AuditEntryRow>> {
        let mut q = Query::select();
        q.from(AuditLog::Table)
            .and_where(Expr::col(AuditLog::EntityType).eq(entity_type))
            .and_where(Expr::col(AuditLog::EntityId).eq(entity_id));
        let total = self
            .fetch_count(&q.clone().expr(Expr::col(AuditLog::Seq).count()).to_owned())
            .await?;
        q.columns(all_columns())
            .order_by(AuditLog::Seq, Order::Desc);
        page.apply(&mut q);
        Ok(Page::new(self.fetch_all(&q).await?, total, page))
    }

    /// The most recent audit entries, newest first (administrators only; the caller checks).
    pub async fn audit_recent(&self, page: PageRequest) -> Result<Page<AuditEntryRow>> {
        let total = self
            .fetch_count(
                &Query::select()
                    .expr(Expr::col(AuditLog::Seq).count())
                    .from(AuditLog::Table)
                    .to_owned(),
            )
            .await?;
        let mut q = Query::select();
        q.columns(all_columns())
            .from(AuditLog::Table)
            .order_by(AuditLog::Seq, Order::Desc);
        page.apply(&mut q);
        Ok(Page::new(self.fetch_all(&q).await?, total, page))
    }
}

fn all_columns() -> [AuditLog; 12] {
    [
        AuditLog::Seq,
        AuditLog::At,
        AuditLog::ActorUserId,
        AuditLog::ActorOrgId,
        AuditLog::Action,
        AuditLog::EntityType,
        AuditLog::EntityId,
        AuditLog::BeforeJson,
        AuditLog::AfterJson,
        AuditLog::RequestId,
        AuditLog::PrevHash,
        AuditLog::Hash,
    ]
}
