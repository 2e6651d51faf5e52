//! The background worker: fires due timers (escalating unaccepted cases, follow-up visits) and
//! delivers queued notices through a pluggable sender. One pass is `run_once`, so tests drive it
//! with a manual clock instead of sleeping.

use crate::state::AppState;
use fengqiao_domain::dispute::stage::{Command, Stage};
use fengqiao_domain::role::Role;
use fengqiao_store::disputes::{CaseScope, Issuer};
use fengqiao_store::timers::NoticeRow;
use fengqiao_store::{AuditCtx, Scope, StoreError};
use std::sync::Arc;
use std::time::Duration;

/// Delivers one notice (SMS gateway, WeChat template message …). Errors are retried later.
pub trait NoticeSender: Send + Sync {
    fn send(&self, notice: &NoticeRow) -> Result<(), String>;
}

/// The default sender: writes each notice to the log (recipients are references, never numbers).
pub struct LogSender;

impl NoticeSender for LogSender {
    fn send(&self, notice: &NoticeRow) -> Result<(), String> {
        tracing::info!(notice = %notice.id, recipient = %notice.recipient, channel = %notice.channel, body = %notice.body, "notice");
        Ok(())
    }
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PassReport {
    pub timers_fired: usize,
    pub escalated: usize,
    pub notices_sent: usize,
    pub notices_failed: usize,
}

fn system_ctx(state: &AppState, timer: &str) -> AuditCtx {
    AuditCtx {
        actor_user_id: None,
        actor_org_id: None,
        request_id: Some(format!("timer:{timer}")),
        at: state.clock.now(),
    }
}

/// One pass: fire what is due, then deliver what is queued.
pub async fn run_once(
    state: &AppState,
    sender: &dyn NoticeSender,
) -> Result<PassReport, StoreError> {
    let mut report = PassReport::default();
    let now = state.clock.now();
    for timer in state.store.claim_due_timers(now, 200).await? {
        report.timers_fired += 1;
        match timer.kind.as_str() {
            "acceptance_deadline" => {
                let case = state
                    .store
                    .get_dispute(&CaseScope::everything(), &timer.ref_id)
                    .await?;
                // Only a case still waiting for the same assignment escalates.
                if case.stage()? == Stage::Triaged && case.updated_at < timer.due_at {
                    let issuer = Issuer::Staff {
                        user_id: "system".into(),
                        org_id: String::new(),
                        roles: vec![Role::Admin],
                        region: Scope::Everything,
                    };
                    let cmd = Command::Escalate {
                        reason: "办理单位逾期未受理，自动上报".into(),
                    };
                    state
                        .store
                        .apply_command(
                            &system_ctx(state, &timer.id),
                            &issuer,
                            &case.id,
                            &cmd,
                            &serde_json::json!({ "timer": timer.id }),
                        )
                        .await?;
                    report.escalated += 1;
                }
            }
            "follow_up_visit" => {
                tracing::info!(case = %timer.ref_id, "follow-up visit due");
            }
            other => tracing::warn!(kind = other, "unknown timer kind"),
        }
    }
    for notice in state.store.pending_notices(200).await? {
        let outcome = sender.send(&notice);
        state
            .store
            .mark_notice(
                &notice.id,
                state.clock.now(),
                outcome.as_ref().err().map(String::as_str),
            )
            .await?;
        match outcome {
            Ok(()) => report.notices_sent += 1,
            Err(_) => report.notices_failed += 1,
        }
    }
    Ok(report)
}

/// Runs passes forever at `every`; errors are logged and the next pass tries again.
pub fn spawn(
    state: AppState,
    sender: Arc<dyn NoticeSender>,
    every: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            if let Err(e) = run_once(&state, sender.as_ref()).await {
                tracing::error!(error = %e, "worker pass failed");
            }
        }
    })
}
