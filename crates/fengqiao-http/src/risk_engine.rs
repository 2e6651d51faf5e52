//! Risk rules evaluated as records are written (not by a nightly batch). Handlers hand the id of
//! a new filing to one worker task after their transaction commits, so the write is not slowed
//! and two hits on one key are folded in order; the worker runs the enabled filing rules
//! (repeat petitions, 民转刑) and raises or updates their alerts. Fraud reports are scored inside
//! their own write (see `routes::risk`); mass involvement inside intake (see `dispute::group`).

use crate::state::AppState;
use fengqiao_domain::alert::AlertSource;
use fengqiao_domain::risk::{
    FilingFacts, FilingHit, RuleParams, civil_to_criminal, repeat_petition,
};
use fengqiao_store::alert_loop::{AlertView, NewAlert};
use fengqiao_store::audit::AuditCtx;
use fengqiao_store::error::Result;
use std::sync::OnceLock;
use tokio::sync::mpsc;

/// A record the rules should look at.
#[derive(Debug, Clone)]
pub enum RiskJob {
    Filing { case_id: String },
}

#[derive(Default)]
pub struct RiskEngine {
    queue: OnceLock<mpsc::UnboundedSender<RiskJob>>,
}

impl RiskEngine {
    /// Queues a job for the worker (started on first use with the state it serves).
    pub fn submit(&self, state: &AppState, job: RiskJob) {
        let queue = self.queue.get_or_init(|| {
            let (sender, mut receiver) = mpsc::unbounded_channel::<RiskJob>();
            let state = state.clone();
            tokio::spawn(async move {
                while let Some(job) = receiver.recv().await {
                    let result = match &job {
                        RiskJob::Filing { case_id } => evaluate_filing(&state, case_id).await,
                    };
                    if let Err(e) = result {
                        tracing::warn!(error = %e, ?job, "risk rules: evaluation failed");
                    }
                }
            });
            sender
        });
        let _ = queue.send(job);
    }
}

/// The filing rules' hits for one case over the earlier filings given (pure; used by the worker
/// and by the dry run).
pub fn filing_hits(
    rules: &[fengqiao_domain::risk::RiskRule],
    facts: &FilingFacts,
    earlier: &[FilingFacts],
) -> Vec<(String, u32, &'static str, FilingHit)> {
    rules
        .iter()
        .filter(|r| r.enabled)
        .filter_map(|r| {
            let hit = match &r.params {
                RuleParams::RepeatPetition(p) => repeat_petition(p, facts, earlier),
                RuleParams::CivilToCriminal(p) => civil_to_criminal(p, facts, earlier),
                _ => None,
            }?;
            Some((r.id.clone(), r.version, r.params.kind(), hit))
        })
        .collect()
}

/// The longest look-back of the enabled filing rules, in days (0: none enabled).
pub fn filing_window_days(rules: &[fengqiao_domain::risk::RiskRule]) -> u32 {
    rules
        .iter()
        .filter(|r| r.enabled)
        .map(|r| match &r.params {
            RuleParams::RepeatPetition(p) => p.window_days,
            RuleParams::CivilToCriminal(p) => p.window_days,
            _ => 0,
        })
        .max()
        .unwrap_or(0)
}

/// Runs the filing rules on one registered case and raises or updates their alerts.
pub async fn evaluate_filing(state: &AppState, case_id: &str) -> Result<Vec<AlertView>> {
    let rules = state.store.risk_rules().await?;
    let window = filing_window_days(&rules);
    if window == 0 {
        return Ok(Vec::new());
    }
    let facts = state.store.filing_facts(case_id).await?;
    let since = facts.filed_at.plus_seconds(-i64::from(window) * 86_400);
    let earlier = state
        .store
        .earlier_filings(&facts.respondent_key, case_id, since, facts.filed_at)
        .await?;
    let mut raised = Vec::new();
    for (rule_id, version, kind, hit) in filing_hits(&rules, &facts, &earlier) {
        let ctx = AuditCtx::system(state.clock.now());
        let (alert, _) = state
            .store
            .raise_alert(
                &ctx,
                &NewAlert {
                    kind: kind.to_owned(),
                    source: AlertSource::RiskRule,
                    rule_id: Some(rule_id),
                    rule_version: Some(i64::from(version)),
                    level: hit.level,
                    group_key: hit.group_key.clone(),
                    title: hit.title.clone(),
                    detail: serde_json::json!({
                        "score": hit.score, "explanation": hit.explanation, "case_ids": hit.case_ids,
                    }),
                    region_path: facts.region_path.clone(),
                    owner_org_id: None,
                    subject_kind: Some("dispute".into()),
                    subject_id: Some(facts.case_id.clone()),
                    place: serde_json::json!({}),
                    evidence: hit
                        .case_ids
                        .iter()
                        .map(|id| serde_json::json!({ "kind": "dispute", "id": id }))
                        .collect(),
                    count: i64::try_from(hit.case_ids.len()).unwrap_or(i64::MAX),
                    amount_fen: 0,
                },
            )
            .await?;
        raised.push(alert);
    }
    // Intake may have raised a mass-involvement alert too: either way the consoles should look.
    state.alert_feed.poke();
    Ok(raised)
}
