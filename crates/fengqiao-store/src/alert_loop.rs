//! The command centre's alert loop over the one `alerts` table every source writes (risk rules,
//! IoT, video, supervision): raising or folding a rule's hit into the open alert of its key, each
//! step (sign, handle, feed back, close …) through `domain::alert::decide_alert` with a timeline
//! step and an audit entry, and the reads of the inbox and the live feed.

use crate::audit::{self, AuditCtx};
use crate::db::{Store, Tx};
use crate::error::{Result, StoreError};
use crate::page::{Page, PageRequest};
use crate::scope::Scope;
use fengqiao_domain::alert::{
    AlertActor, AlertCommand, AlertError, AlertLevel, AlertSource, AlertStatus, decide_alert,
};
use fengqiao_domain::time::Timestamp;
use sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement};
use serde::Serialize;

fn n(name: &str) -> Alias {
    Alias::new(name)
}

const VIEW_COLUMNS: [&str; 23] = [
    "id",
    "kind",
    "level",
    "group_key",
    "title",
    "detail_json",
    "case_count",
    "claimant_count",
    "total_fen",
    "status",
    "region_path",
    "owner_org_id",
    "created_at",
    "updated_at",
    "source",
    "rule_id",
    "rule_version",
    "subject_kind",
    "subject_id",
    "place_json",
    "evidence_json",
    "step_started_at",
    "closed_at",
];

/// An alert as the inbox shows it.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct AlertView {
    pub id: String,
    pub kind: String,
    pub level: String,
    pub group_key: String,
    pub title: String,
    pub detail_json: String,
    pub case_count: i64,
    pub claimant_count: i64,
    pub total_fen: i64,
    pub status: String,
    pub region_path: String,
    pub owner_org_id: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub source: Option<String>,
    pub rule_id: Option<String>,
    pub rule_version: Option<i64>,
    pub subject_kind: Option<String>,
    pub subject_id: Option<String>,
    pub place_json: String,
    pub evidence_json: String,
    pub step_started_at: Option<i64>,
    pub closed_at: Option<i64>,
}

impl AlertView {
    /// Where the alert came from; rows written by writers that predate the column are read
    /// from their kind.
    pub fn source(&self) -> AlertSource {
        if let Some(source) = self.source.as_deref().and_then(|s| s.parse().ok()) {
            return source;
        }
        match self.kind.as_str() {
            k if k.starts_with("video") => AlertSource::Video,
            "mass_involvement" => AlertSource::RiskRule,
            _ => AlertSource::Iot,
        }
    }

    pub fn status(&self) -> Result<AlertStatus> {
        self.status
            .parse()
            .map_err(|e: String| StoreError::Corrupt(format!("alert {}: {e}", self.id)))
    }

    pub fn level(&self) -> Option<AlertLevel> {
        AlertLevel::parse(&self.level)
    }

    /// When the running clock started: when the alert entered its current status.
    pub fn clock_started_at(&self) -> i64 {
        self.step_started_at.unwrap_or(self.created_at)
    }
}

/// One move on an alert's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AlertStepRow {
    pub id: String,
    pub alert_id: String,
    pub seq: i64,
    pub action: String,
    pub from_status: String,
    pub to_status: String,
    pub actor_id: String,
    pub actor_name: String,
    pub note: String,
    pub detail_json: String,
    pub at: i64,
}

/// Filters of the inbox.
#[derive(Debug, Clone, Default)]
pub struct AlertFilter {
    pub status: Option<AlertStatus>,
    pub level: Option<AlertLevel>,
    pub kind: Option<String>,
    pub source: Option<AlertSource>,
    /// Everything but closed alerts.
    pub open_only: bool,
}

/// A hit to raise as an alert, or to fold into the open alert of the same kind and key.
#[derive(Debug, Clone)]
pub struct NewAlert {
    pub kind: String,
    pub source: AlertSource,
    pub rule_id: Option<String>,
    pub rule_version: Option<i64>,
    pub level: AlertLevel,
    pub group_key: String,
    pub title: String,
    pub detail: serde_json::Value,
    pub region_path: String,
    pub owner_org_id: Option<String>,
    pub subject_kind: Option<String>,
    pub subject_id: Option<String>,
    pub place: serde_json::Value,
    /// Links to the records behind the alert (`[{"kind":"dispute","id":…,"label":…}]`).
    pub evidence: Vec<serde_json::Value>,
    /// Records counted by this hit (cases, reports, sightings).
    pub count: i64,
    pub amount_fen: i64,
}

/// Who moves the alert, as the timeline records it.
#[derive(Debug, Clone)]
pub struct AlertStepActor {
    pub user_id: String,
    pub name: String,
    pub actor: AlertActor,
}

fn select_views() -> SelectStatement {
    Query::select()
        .columns(VIEW_COLUMNS.map(n))
        .from(n("alerts"))
        .to_owned()
}

fn alert_error(e: AlertError) -> StoreError {
    match e {
        AlertError::NotPermitted { .. } => StoreError::Forbidden(e.to_string()),
        AlertError::WrongStatus { .. } => {
            StoreError::invalid("action", "wrong_status", e.to_string())
        }
        AlertError::Invalid { field, reason } => StoreError::invalid(field, "invalid", reason),
    }
}

pub(crate) async fn view_in(tx: &mut Tx, id: &str) -> Result<AlertView> {
    tx.fetch_optional(
        &select_views()
            .and_where(Expr::col(n("id")).eq(id))
            .to_owned(),
    )
    .await?
    .ok_or(StoreError::NotFound { entity: "alert" })
}

/// One timeline step to write.
struct StepRecord<'a> {
    alert_id: &'a str,
    actor_id: &'a str,
    actor_name: &'a str,
    action: &'a str,
    from: &'a str,
    to: &'a str,
    note: &'a str,
    detail: &'a serde_json::Value,
}

async fn insert_step(tx: &mut Tx, at: Timestamp, step: &StepRecord<'_>) -> Result<()> {
    let seq = tx
        .fetch_optional::<(Option<i64>,)>(
            &Query::select()
                .expr(Expr::col(n("seq")).max())
                .from(n("alert_steps"))
                .and_where(Expr::col(n("alert_id")).eq(step.alert_id))
                .to_owned(),
        )
        .await?
        .and_then(|r| r.0)
        .unwrap_or(0)
        + 1;
    tx.execute(
        &Query::insert()
            .into_table(n("alert_steps"))
            .columns(
                [
                    "id",
                    "alert_id",
                    "seq",
                    "action",
                    "from_status",
                    "to_status",
                    "actor_id",
                    "actor_name",
                    "note",
                    "detail_json",
                    "at",
                ]
                .map(n),
            )
            .values_panic([
                format!("{}#{seq:04}", step.alert_id).into(),
                step.alert_id.into(),
                seq.into(),
                step.action.into(),
                step.from.into(),
                step.to.into(),
                step.actor_id.into(),
                step.actor_name.into(),
                step.note.into(),
                step.detail.to_string().into(),
                at.as_micros().into(),
            ])
            .to_owned(),
    )
    .await?;
    Ok(())
}

fn audit_summary(v: &AlertView) -> serde_json::Value {
    serde_json::json!({
        "kind": v.kind, "level": v.level, "status": v.status, "owner_org_id": v.owner_org_id,
        "count": v.case_count, "rule": v.rule_id, "rule_version": v.rule_version,
    })
}

impl Store {
    /// Alerts in the caller's jurisdiction, most recently changed first.
    pub async fn list_alert_views(
        &self,
        scope: &Scope,
        filter: &AlertFilter,
        page: PageRequest,
    ) -> Result<Page<AlertView>> {
        let mut q = Query::select();
        q.from(n("alerts"))
            .and_where(scope.path_condition(n("region_path")));
        if let Some(status) = filter.status {
            q.and_where(Expr::col(n("status")).eq(status.code()));
        }
        if filter.open_only {
            q.and_where(Expr::col(n("status")).ne(AlertStatus::Closed.code()));
        }
        if let Some(level) = filter.level {
            q.and_where(Expr::col(n("level")).eq(level.code()));
        }
        if let Some(kind) = &filter.kind {
            q.and_where(Expr::col(n("kind")).eq(kind.as_str()));
        }
        if let Some(source) = filter.source {
            // Old rows have no source; the kind tells (see `AlertView::source`).
            let by_kind = match source {
                AlertSource::RiskRule => Some(Expr::col(n("kind")).eq("mass_involvement")),
                _ => None,
            };
            let stated = Expr::col(n("source")).eq(source.code());
            q.and_where(match by_kind {
                Some(k) => stated.or(k.and(Expr::col(n("source")).is_null())),
                None => stated,
            });
        }
        let total = self
            .fetch_count(&q.clone().expr(Expr::col(n("id")).count()).to_owned())
            .await?;
        q.columns(VIEW_COLUMNS.map(n))
            .order_by(n("updated_at"), Order::Desc)
            .order_by(n("id"), Order::Desc);
        page.apply(&mut q);
        Ok(Page::new(self.fetch_all(&q).await?, total, page))
    }

    /// Alerts changed after `after` (exclusive), oldest change first: what the live feed sends.
    pub async fn alerts_changed_since(&self, after: i64, limit: u64) -> Result<Vec<AlertView>> {
        self.fetch_all(
            &select_views()
                .and_where(Expr::col(n("updated_at")).gt(after))
                .order_by(n("updated_at"), Order::Asc)
                .limit(limit)
                .to_owned(),
        )
        .await
    }

    /// The latest change time over all alerts (0 when there are none).
    pub async fn alerts_high_water(&self) -> Result<i64> {
        Ok(self
            .fetch_optional::<(Option<i64>,)>(
                &Query::select()
                    .expr(Expr::col(n("updated_at")).max())
                    .from(n("alerts"))
                    .to_owned(),
            )
            .await?
            .and_then(|r| r.0)
            .unwrap_or(0))
    }

    /// One alert, whatever the caller's scope (the HTTP layer checks it).
    pub async fn alert_view(&self, id: &str) -> Result<AlertView> {
        self.fetch_optional(
            &select_views()
                .and_where(Expr::col(n("id")).eq(id))
                .to_owned(),
        )
        .await?
        .ok_or(StoreError::NotFound { entity: "alert" })
    }

    pub async fn alert_steps(&self, id: &str) -> Result<Vec<AlertStepRow>> {
        self.fetch_all(
            &Query::select()
                .columns(
                    [
                        "id",
                        "alert_id",
                        "seq",
                        "action",
                        "from_status",
                        "to_status",
                        "actor_id",
                        "actor_name",
                        "note",
                        "detail_json",
                        "at",
                    ]
                    .map(n),
                )
                .from(n("alert_steps"))
                .and_where(Expr::col(n("alert_id")).eq(id))
                .order_by(n("seq"), Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// Raises the hit as a new alert, or folds it into the open alert of the same kind and key
    /// (the count grows, the level only ever rises, the evidence accumulates). One audit entry.
    pub async fn raise_alert(&self, ctx: &AuditCtx, new: &NewAlert) -> Result<(AlertView, bool)> {
        let mut tx = self.begin().await?;
        let out = raise_alert_in(&mut tx, ctx, new).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// One step on an alert: checked by the domain, applied with a conditional update (two people
    /// acting at once cannot both move it), one timeline step and one audit entry.
    pub async fn apply_alert_command(
        &self,
        ctx: &AuditCtx,
        actor: &AlertStepActor,
        id: &str,
        command: &AlertCommand,
        extra: &serde_json::Value,
    ) -> Result<AlertView> {
        let mut tx = self.begin().await?;
        let before = view_in(&mut tx, id).await?;
        let decision =
            decide_alert(before.status()?, &actor.actor, command).map_err(alert_error)?;
        let mut after = before.clone();
        let now = ctx.at.as_micros();
        after.status = decision.to.code().to_owned();
        after.updated_at = now;
        if decision.moves {
            after.step_started_at = Some(now);
            after.closed_at = match decision.to {
                AlertStatus::Closed => Some(now),
                _ => None,
            };
        }
        if let AlertCommand::Assign { owner_org_id, .. } = command {
            let known: Option<(String,)> = tx
                .fetch_optional(
                    &Query::select()
                        .column(n("id"))
                        .from(n("organisations"))
                        .and_where(Expr::col(n("id")).eq(owner_org_id.as_str()))
                        .to_owned(),
                )
                .await?;
            if known.is_none() {
                return Err(StoreError::invalid(
                    "owner_org_id",
                    "unknown",
                    "没有这个组织机构",
                ));
            }
            after.owner_org_id = Some(owner_org_id.clone());
        }
        let changed = tx
            .execute(
                &Query::update()
                    .table(n("alerts"))
                    .values([
                        (n("status"), after.status.clone().into()),
                        (n("updated_at"), now.into()),
                        (n("step_started_at"), after.step_started_at.into()),
                        (n("closed_at"), after.closed_at.into()),
                        (n("owner_org_id"), after.owner_org_id.clone().into()),
                    ])
                    .and_where(Expr::col(n("id")).eq(id))
                    .and_where(Expr::col(n("status")).eq(before.status.as_str()))
                    .to_owned(),
            )
            .await?;
        if changed != 1 {
            return Err(StoreError::Conflict {
                field: "status".into(),
            });
        }
        let mut detail = serde_json::json!({ "command": command });
        if !extra.is_null()
            && let Some(obj) = detail.as_object_mut()
        {
            obj.insert("extra".into(), extra.clone());
        }
        insert_step(
            &mut tx,
            ctx.at,
            &StepRecord {
                alert_id: id,
                actor_id: &actor.user_id,
                actor_name: &actor.name,
                action: command.name(),
                from: &before.status,
                to: &after.status,
                note: command.text(),
                detail: &detail,
            },
        )
        .await?;
        audit::append(
            &mut tx,
            ctx,
            &format!("alert.{}", command.name()),
            "alert",
            id,
            Some(&audit_summary(&before)),
            Some(&audit_summary(&after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// The raise-or-fold of [`Store::raise_alert`], inside a caller's transaction.
pub(crate) async fn raise_alert_in(
    tx: &mut Tx,
    ctx: &AuditCtx,
    new: &NewAlert,
) -> Result<(AlertView, bool)> {
    let now = ctx.at.as_micros();
    let open: Option<AlertView> = tx
        .fetch_optional(
            &select_views()
                .and_where(Expr::col(n("kind")).eq(new.kind.as_str()))
                .and_where(Expr::col(n("group_key")).eq(new.group_key.as_str()))
                .and_where(Expr::col(n("status")).ne(AlertStatus::Closed.code()))
                .to_owned(),
        )
        .await?;
    if let Some(before) = open {
        let mut after = before.clone();
        let level = before
            .level()
            .map_or(new.level, |old| Ord::max(old, new.level));
        after.level = level.code().to_owned();
        after.title = new.title.clone();
        after.detail_json = new.detail.to_string();
        after.case_count = Ord::max(before.case_count, new.count);
        after.total_fen = Ord::max(before.total_fen, new.amount_fen);
        after.rule_version = new.rule_version.or(before.rule_version);
        let mut evidence: Vec<serde_json::Value> =
            serde_json::from_str(&before.evidence_json).unwrap_or_default();
        for e in &new.evidence {
            if !evidence.contains(e) {
                evidence.push(e.clone());
            }
        }
        after.evidence_json = serde_json::Value::Array(evidence).to_string();
        after.updated_at = now;
        tx.execute(
            &Query::update()
                .table(n("alerts"))
                .values([
                    (n("level"), after.level.clone().into()),
                    (n("title"), after.title.clone().into()),
                    (n("detail_json"), after.detail_json.clone().into()),
                    (n("case_count"), after.case_count.into()),
                    (n("total_fen"), after.total_fen.into()),
                    (n("rule_version"), after.rule_version.into()),
                    (n("evidence_json"), after.evidence_json.clone().into()),
                    (n("updated_at"), now.into()),
                ])
                .and_where(Expr::col(n("id")).eq(before.id.as_str()))
                .to_owned(),
        )
        .await?;
        audit::append(
            tx,
            ctx,
            "alert.update",
            "alert",
            &before.id,
            Some(&audit_summary(&before)),
            Some(&audit_summary(&after)),
        )
        .await?;
        return Ok((after, false));
    }
    let view = AlertView {
        id: format!("alert:{}:{}:{now}", new.kind, short_hash(&new.group_key)),
        kind: new.kind.clone(),
        level: new.level.code().to_owned(),
        group_key: new.group_key.clone(),
        title: new.title.clone(),
        detail_json: new.detail.to_string(),
        case_count: new.count,
        claimant_count: 0,
        total_fen: new.amount_fen,
        status: AlertStatus::Issued.code().to_owned(),
        region_path: new.region_path.clone(),
        owner_org_id: new.owner_org_id.clone(),
        created_at: now,
        updated_at: now,
        source: Some(new.source.code().to_owned()),
        rule_id: new.rule_id.clone(),
        rule_version: new.rule_version,
        subject_kind: new.subject_kind.clone(),
        subject_id: new.subject_id.clone(),
        place_json: new.place.to_string(),
        evidence_json: serde_json::Value::Array(new.evidence.clone()).to_string(),
        step_started_at: Some(now),
        closed_at: None,
    };
    tx.execute(
        &Query::insert()
            .into_table(n("alerts"))
            .columns(VIEW_COLUMNS.map(n))
            .values_panic([
                view.id.clone().into(),
                view.kind.clone().into(),
                view.level.clone().into(),
                view.group_key.clone().into(),
                view.title.clone().into(),
                view.detail_json.clone().into(),
                view.case_count.into(),
                view.claimant_count.into(),
                view.total_fen.into(),
                view.status.clone().into(),
                view.region_path.clone().into(),
                view.owner_org_id.clone().into(),
                view.created_at.into(),
                view.updated_at.into(),
                view.source.clone().into(),
                view.rule_id.clone().into(),
                view.rule_version.into(),
                view.subject_kind.clone().into(),
                view.subject_id.clone().into(),
                view.place_json.clone().into(),
                view.evidence_json.clone().into(),
                view.step_started_at.into(),
                view.closed_at.into(),
            ])
            .to_owned(),
    )
    .await
    .map_err(|e| StoreError::from_write(e, &[("id", "id")]))?;
    insert_step(
        tx,
        ctx.at,
        &StepRecord {
            alert_id: &view.id,
            actor_id: "system",
            actor_name: "系统",
            action: "issue",
            from: "",
            to: AlertStatus::Issued.code(),
            note: &view.title,
            detail: &serde_json::json!({ "rule": view.rule_id, "rule_version": view.rule_version }),
        },
    )
    .await?;
    audit::append(
        tx,
        ctx,
        "alert.raise",
        "alert",
        &view.id,
        None::<&()>,
        Some(&audit_summary(&view)),
    )
    .await?;
    Ok((view, true))
}

/// A short, stable tag of a group key for alert ids (keys can hold names and be long).
fn short_hash(key: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(key.as_bytes());
    hex::encode(&digest[..6])
}
