//! Fraud reports (电诈警情与线索): each scored by the enabled fraud models as it is written; a
//! warning raises an alert and a dissuasion task (劝阻) for the grid or the police, in the same
//! transaction as the report.

use crate::alert_loop::{AlertView, NewAlert, raise_alert_in};
use crate::audit::{self, AuditCtx};
use crate::crypto::FieldCipher;
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::page::{Page, PageRequest};
use crate::scope::Scope;
use fengqiao_domain::alert::AlertSource;
use fengqiao_domain::risk::{FraudFeatures, FraudScore, RiskRule, RuleParams};
use sea_query::{Alias, Expr, ExprTrait, Order, Query};
use serde::Serialize;

fn n(name: &str) -> Alias {
    Alias::new(name)
}

/// A reported incident or tip-off, validated by the caller.
#[derive(Debug, Clone)]
pub struct NewFraudReport {
    pub id: String,
    pub number: String,
    /// `incident` (已发警情) or `tip_off` (预警线索).
    pub kind: String,
    /// How it reached us: `110`, `96110`, `grid_worker`, `bank`, `hotline_12345`, `other`.
    pub received_via: String,
    pub victim_name: String,
    pub victim_phone: Option<String>,
    pub region_path: String,
    pub grid_code: Option<String>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub address: String,
    pub narrative: String,
    pub features: FraudFeatures,
}

const REPORT_COLUMNS: [&str; 19] = [
    "id",
    "number",
    "kind",
    "received_via",
    "victim_name",
    "victim_age",
    "region_path",
    "grid_code",
    "lat",
    "lng",
    "address",
    "narrative",
    "features_json",
    "amount_fen",
    "scores_json",
    "level",
    "alert_id",
    "reported_by",
    "created_at",
];

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct FraudReportRow {
    pub id: String,
    pub number: String,
    pub kind: String,
    pub received_via: String,
    pub victim_name: String,
    pub victim_age: Option<i64>,
    pub region_path: String,
    pub grid_code: Option<String>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub address: String,
    pub narrative: String,
    pub features_json: String,
    pub amount_fen: i64,
    pub scores_json: String,
    pub level: Option<String>,
    pub alert_id: Option<String>,
    pub reported_by: String,
    pub created_at: i64,
}

const TASK_COLUMNS: [&str; 11] = [
    "id",
    "fraud_report_id",
    "alert_id",
    "target",
    "region_path",
    "grid_code",
    "status",
    "outcome",
    "created_at",
    "done_at",
    "done_by",
];

/// A dissuasion task: someone must reach the victim before the money moves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct DissuasionTaskRow {
    pub id: String,
    pub fraud_report_id: String,
    pub alert_id: String,
    /// `grid` or `police`.
    pub target: String,
    pub region_path: String,
    pub grid_code: Option<String>,
    /// `open`, `dissuaded` (劝阻成功) or `failed` (未能劝阻).
    pub status: String,
    pub outcome: String,
    pub created_at: i64,
    pub done_at: Option<i64>,
    pub done_by: Option<String>,
}

/// What filing a report produced.
#[derive(Debug, Clone, Serialize)]
pub struct FraudOutcome {
    pub report: FraudReportRow,
    /// Every enabled model's reading, highest level first.
    pub scores: Vec<FraudScore>,
    pub alert: Option<AlertView>,
    pub dissuasion: Option<DissuasionTaskRow>,
}

/// The enabled fraud models' readings of one report, the most urgent first.
pub fn score_report(rules: &[RiskRule], features: &FraudFeatures) -> Vec<(RiskRule, FraudScore)> {
    let mut scores: Vec<(RiskRule, FraudScore)> = rules
        .iter()
        .filter(|r| r.enabled)
        .filter_map(|r| match &r.params {
            RuleParams::Fraud(model) => Some((r.clone(), model.score(features))),
            _ => None,
        })
        .collect();
    scores.sort_by(|a, b| b.1.level.cmp(&a.1.level).then(b.1.score.cmp(&a.1.score)));
    scores
}

fn yuan(fen: i64) -> String {
    if fen % 100 == 0 {
        format!("{} 元", fen / 100)
    } else {
        format!("{}.{:02} 元", fen / 100, fen % 100)
    }
}

impl Store {
    /// Writes the report, scores it with the enabled fraud models, and for a warning raises the
    /// alert and the dissuasion task — one transaction, one audit entry for the report.
    pub async fn file_fraud_report(
        &self,
        ctx: &AuditCtx,
        cipher: &FieldCipher,
        report: &NewFraudReport,
        rules: &[RiskRule],
    ) -> Result<FraudOutcome> {
        let scored = score_report(rules, &report.features);
        let best = scored.first().filter(|(_, s)| s.level.is_some()).cloned();
        let features_json = serde_json::to_string(&report.features)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let scores: Vec<FraudScore> = scored.iter().map(|(_, s)| s.clone()).collect();
        let scores_json =
            serde_json::to_string(&scores).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let (phone_enc, phone_index) = match report.victim_phone.as_deref() {
            Some(phone) if !phone.trim().is_empty() => {
                let phone = phone.trim();
                (
                    Some(cipher.encrypt(phone)?),
                    Some(cipher.blind_index(phone)),
                )
            }
            _ => (None, None),
        };
        let by = ctx.actor_user_id.clone().unwrap_or_else(|| "system".into());
        let mut row = FraudReportRow {
            id: report.id.clone(),
            number: report.number.clone(),
            kind: report.kind.clone(),
            received_via: report.received_via.clone(),
            victim_name: report.victim_name.clone(),
            victim_age: report.features.victim_age.map(i64::from),
            region_path: report.region_path.clone(),
            grid_code: report.grid_code.clone(),
            lat: report.lat,
            lng: report.lng,
            address: report.address.clone(),
            narrative: report.narrative.clone(),
            features_json,
            amount_fen: report.features.amount_fen,
            scores_json,
            level: best
                .as_ref()
                .and_then(|(_, s)| s.level)
                .map(|l| l.code().to_owned()),
            alert_id: None,
            reported_by: by.clone(),
            created_at: ctx.at.as_micros(),
        };
        let mut tx = self.begin().await?;
        let mut columns: Vec<Alias> = REPORT_COLUMNS.map(n).to_vec();
        columns.extend(["victim_phone_enc", "victim_phone_index"].map(n));
        tx.execute(
            &Query::insert()
                .into_table(n("fraud_reports"))
                .columns(columns)
                .values_panic([
                    row.id.clone().into(),
                    row.number.clone().into(),
                    row.kind.clone().into(),
                    row.received_via.clone().into(),
                    row.victim_name.clone().into(),
                    row.victim_age.into(),
                    row.region_path.clone().into(),
                    row.grid_code.clone().into(),
                    row.lat.into(),
                    row.lng.into(),
                    row.address.clone().into(),
                    row.narrative.clone().into(),
                    row.features_json.clone().into(),
                    row.amount_fen.into(),
                    row.scores_json.clone().into(),
                    row.level.clone().into(),
                    None::<String>.into(),
                    row.reported_by.clone().into(),
                    row.created_at.into(),
                    phone_enc.into(),
                    phone_index.into(),
                ])
                .to_owned(),
        )
        .await
        .map_err(|e| StoreError::from_write(e, &[("number", "number"), ("id", "id")]))?;
        let mut alert = None;
        let mut dissuasion = None;
        if let Some((rule, score)) = &best
            && let Some(level) = score.level
        {
            let scheme = score.scheme.label_zh();
            let age = report
                .features
                .victim_age
                .map(|a| format!("，{a} 岁"))
                .unwrap_or_default();
            let title = format!(
                "电诈预警（{scheme}）：{}{age}，涉及 {}",
                report.victim_name,
                yuan(report.features.amount_fen)
            );
            let (view, _) = raise_alert_in(
                &mut tx,
                ctx,
                &NewAlert {
                    kind: "fraud".into(),
                    source: AlertSource::RiskRule,
                    rule_id: Some(rule.id.clone()),
                    rule_version: Some(i64::from(rule.version)),
                    level,
                    group_key: format!("fraud_report:{}", report.id),
                    title,
                    detail: serde_json::json!({
                        "scheme": score.scheme, "score": score.score,
                        "explanation": score.explanation, "dissuasion": score.dissuasion,
                        "report_number": report.number,
                    }),
                    region_path: report.region_path.clone(),
                    owner_org_id: None,
                    subject_kind: Some("fraud_report".into()),
                    subject_id: Some(report.id.clone()),
                    place: serde_json::json!({
                        "lat": report.lat, "lng": report.lng, "address": report.address,
                        "grid_code": report.grid_code,
                    }),
                    evidence: vec![serde_json::json!({
                        "kind": "fraud_report", "id": report.id, "label": report.number,
                    })],
                    count: 1,
                    amount_fen: report.features.amount_fen,
                },
            )
            .await?;
            row.alert_id = Some(view.id.clone());
            tx.execute(
                &Query::update()
                    .table(n("fraud_reports"))
                    .value(n("alert_id"), view.id.clone())
                    .and_where(Expr::col(n("id")).eq(report.id.as_str()))
                    .to_owned(),
            )
            .await?;
            if let Some(target) = score.dissuasion {
                let task = DissuasionTaskRow {
                    id: format!("{}:dissuade", report.id),
                    fraud_report_id: report.id.clone(),
                    alert_id: view.id.clone(),
                    target: target.code().to_owned(),
                    region_path: report.region_path.clone(),
                    grid_code: report.grid_code.clone(),
                    status: "open".into(),
                    outcome: String::new(),
                    created_at: ctx.at.as_micros(),
                    done_at: None,
                    done_by: None,
                };
                tx.execute(
                    &Query::insert()
                        .into_table(n("dissuasion_tasks"))
                        .columns(TASK_COLUMNS.map(n))
                        .values_panic([
                            task.id.clone().into(),
                            task.fraud_report_id.clone().into(),
                            task.alert_id.clone().into(),
                            task.target.clone().into(),
                            task.region_path.clone().into(),
                            task.grid_code.clone().into(),
                            task.status.clone().into(),
                            task.outcome.clone().into(),
                            task.created_at.into(),
                            task.done_at.into(),
                            task.done_by.clone().into(),
                        ])
                        .to_owned(),
                )
                .await?;
                dissuasion = Some(task);
            }
            alert = Some(view);
        }
        audit::append(
            &mut tx,
            ctx,
            "fraud_report.file",
            "fraud_report",
            &report.id,
            None::<&()>,
            Some(&serde_json::json!({
                "number": row.number, "kind": row.kind, "level": row.level,
                "alert": row.alert_id, "dissuasion": dissuasion.as_ref().map(|d| &d.target),
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(FraudOutcome {
            report: row,
            scores,
            alert,
            dissuasion,
        })
    }

    pub async fn list_fraud_reports(
        &self,
        scope: &Scope,
        page: PageRequest,
    ) -> Result<Page<FraudReportRow>> {
        let mut q = Query::select();
        q.from(n("fraud_reports"))
            .and_where(scope.path_condition(n("region_path")));
        let total = self
            .fetch_count(&q.clone().expr(Expr::col(n("id")).count()).to_owned())
            .await?;
        q.columns(REPORT_COLUMNS.map(n))
            .order_by(n("created_at"), Order::Desc);
        page.apply(&mut q);
        Ok(Page::new(self.fetch_all(&q).await?, total, page))
    }

    /// Fraud reports filed in `[since, until]`, oldest first (for a model's dry run).
    pub async fn fraud_reports_between(
        &self,
        since: i64,
        until: i64,
        limit: u64,
    ) -> Result<Vec<FraudReportRow>> {
        self.fetch_all(
            &Query::select()
                .columns(REPORT_COLUMNS.map(n))
                .from(n("fraud_reports"))
                .and_where(Expr::col(n("created_at")).gte(since))
                .and_where(Expr::col(n("created_at")).lte(until))
                .order_by(n("created_at"), Order::Asc)
                .limit(limit)
                .to_owned(),
        )
        .await
    }

    pub async fn list_dissuasion_tasks(
        &self,
        scope: &Scope,
        open_only: bool,
        page: PageRequest,
    ) -> Result<Page<DissuasionTaskRow>> {
        let mut q = Query::select();
        q.from(n("dissuasion_tasks"))
            .and_where(scope.path_condition(n("region_path")));
        if open_only {
            q.and_where(Expr::col(n("status")).eq("open"));
        }
        let total = self
            .fetch_count(&q.clone().expr(Expr::col(n("id")).count()).to_owned())
            .await?;
        q.columns(TASK_COLUMNS.map(n))
            .order_by(n("created_at"), Order::Desc);
        page.apply(&mut q);
        Ok(Page::new(self.fetch_all(&q).await?, total, page))
    }

    pub async fn dissuasion_task(&self, id: &str) -> Result<DissuasionTaskRow> {
        self.fetch_optional(
            &Query::select()
                .columns(TASK_COLUMNS.map(n))
                .from(n("dissuasion_tasks"))
                .and_where(Expr::col(n("id")).eq(id))
                .to_owned(),
        )
        .await?
        .ok_or(StoreError::NotFound {
            entity: "dissuasion_task",
        })
    }

    /// Records the outcome of a dissuasion (`dissuaded` or `failed`) with what was done.
    pub async fn finish_dissuasion(
        &self,
        ctx: &AuditCtx,
        id: &str,
        status: &str,
        outcome: &str,
    ) -> Result<DissuasionTaskRow> {
        if !matches!(status, "dissuaded" | "failed") {
            return Err(StoreError::invalid(
                "status",
                "invalid",
                "须为 dissuaded（劝阻成功）或 failed（未能劝阻）",
            ));
        }
        if outcome.trim().is_empty() || outcome.chars().count() > 2000 {
            return Err(StoreError::invalid(
                "outcome",
                "invalid",
                "须写明劝阻经过（1–2000 字）",
            ));
        }
        let mut tx = self.begin().await?;
        let by = ctx.actor_user_id.clone().unwrap_or_else(|| "system".into());
        let changed = tx
            .execute(
                &Query::update()
                    .table(n("dissuasion_tasks"))
                    .values([
                        (n("status"), status.into()),
                        (n("outcome"), outcome.trim().into()),
                        (n("done_at"), ctx.at.as_micros().into()),
                        (n("done_by"), by.into()),
                    ])
                    .and_where(Expr::col(n("id")).eq(id))
                    .and_where(Expr::col(n("status")).eq("open"))
                    .to_owned(),
            )
            .await?;
        if changed != 1 {
            return Err(StoreError::Conflict {
                field: "status".into(),
            });
        }
        audit::append(
            &mut tx,
            ctx,
            "dissuasion.finish",
            "dissuasion_task",
            id,
            None::<&()>,
            Some(&serde_json::json!({ "status": status })),
        )
        .await?;
        tx.commit().await?;
        self.dissuasion_task(id).await
    }
}
