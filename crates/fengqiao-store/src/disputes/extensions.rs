//! Extensions granted on a running clock (延长期限): only where the clock's definition allows one,
//! approved by whom the definition names, within its cap — checked by the domain before anything
//! is written, and recorded on the clock, the case timeline and the audit chain together.

use super::{CaseScope, ClockRow, DisputeClocks, get_in, insert_event};
use crate::audit::{self, AuditCtx};
use crate::db::Store;
use crate::error::{Result, StoreError};
use fengqiao_domain::clock::{ClockError, ClockRun, GrantedExtension, clock_state};
use fengqiao_domain::validation::Problems;
use sea_query::{Expr, ExprTrait, Query};
use serde::{Deserialize, Serialize};

/// What staff enter when recording an extension.
#[derive(Debug, Clone, Deserialize)]
pub struct NewExtension {
    pub days: u32,
    /// The approver code the clock's definition names (`court_president`, `both_parties`, …).
    pub approver: String,
    /// Why the limit is extended, as the approval says.
    pub reason: String,
    /// The approval's document number or reference (批准文号), when there is one.
    pub reference: Option<String>,
}

/// An extension as stored on the clock row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredExtension {
    #[serde(flatten)]
    pub granted: GrantedExtension,
    pub reason: String,
    #[serde(default)]
    pub reference: Option<String>,
    #[serde(default)]
    pub recorded_by: Option<String>,
    pub recorded_at: i64,
}

/// The extensions stored on a clock row, as the domain counts them.
pub fn granted_extensions(extensions_json: &str) -> Result<Vec<StoredExtension>> {
    serde_json::from_str(extensions_json)
        .map_err(|e| StoreError::Corrupt(format!("clock extensions: {e}")))
}

fn clock_problem(e: &ClockError) -> StoreError {
    let (field, code) = match e {
        ClockError::ExtensionNotAllowed { .. } => ("clock_id", "not_extendable"),
        ClockError::ZeroExtension { .. } => ("days", "zero"),
        ClockError::WrongApprover { .. } => ("approver", "wrong_approver"),
        ClockError::ExtensionTooLong { .. } => ("days", "too_long"),
        _ => ("clock_id", "uncomputable"),
    };
    StoreError::invalid(field, code, e.to_string())
}

impl Store {
    /// Records an extension on clock row `clock_row_id` of case `dispute_id`.
    pub async fn extend_clock(
        &self,
        ctx: &AuditCtx,
        scope: &CaseScope,
        dispute_id: &str,
        clock_row_id: &str,
        input: &NewExtension,
    ) -> Result<ClockRow> {
        let mut problems = Problems::default();
        let reason = problems.text("reason", &input.reason, 500);
        let reference = input
            .reference
            .as_deref()
            .map(|r| problems.optional_text("reference", r, 100))
            .filter(|r| !r.is_empty());
        problems.finish().map_err(StoreError::Invalid)?;

        let mut tx = self.begin().await?;
        let case = get_in(&mut tx, scope, dispute_id).await?;
        let stage = case.stage()?;
        if !stage.is_open() {
            return Err(StoreError::invalid(
                "dispute_id",
                "closed",
                "案件已结束，期限不能再延长",
            ));
        }
        let clock: ClockRow = tx
            .fetch_optional(
                &Query::select()
                    .columns(super::CLOCK_COLUMNS)
                    .from(DisputeClocks::Table)
                    .and_where(Expr::col(DisputeClocks::Id).eq(clock_row_id))
                    .and_where(Expr::col(DisputeClocks::DisputeId).eq(dispute_id))
                    .to_owned(),
            )
            .await?
            .ok_or(StoreError::NotFound { entity: "clock" })?;
        if clock.stopped_at.is_some() {
            return Err(StoreError::invalid(
                "clock_id",
                "stopped",
                "该期限已停止计算，无需延长",
            ));
        }
        let rules = self.rules();
        let definition = rules.clock(&clock.clock_id).ok_or_else(|| {
            StoreError::invalid(
                "clock_id",
                "unknown",
                format!("未知的期限 {}", clock.clock_id),
            )
        })?;
        let mut stored = granted_extensions(&clock.extensions_json)?;
        let new = StoredExtension {
            granted: GrantedExtension {
                days: input.days,
                approver: input.approver.trim().to_owned(),
                granted_on: ctx.at.china_date(),
            },
            reason,
            reference,
            recorded_by: ctx.actor_user_id.clone(),
            recorded_at: ctx.at.as_micros(),
        };
        stored.push(new.clone());
        // The domain decides: allowed at all, the right approver, within the cap.
        let run = ClockRun {
            started_on: fengqiao_domain::time::Timestamp::from_micros(clock.started_at)
                .china_date(),
            pauses: Vec::new(),
            extensions: stored.iter().map(|s| s.granted.clone()).collect(),
        };
        let calendar = rules.calendar_for(&case.region_path);
        if let Err(e) = clock_state(definition, &run, &calendar, ctx.at.china_date()) {
            return Err(clock_problem(&e));
        }
        let json = serde_json::to_string(&stored)
            .map_err(|e| StoreError::Corrupt(format!("clock extensions: {e}")))?;
        tx.execute(
            &Query::update()
                .table(DisputeClocks::Table)
                .value(DisputeClocks::ExtensionsJson, json.clone())
                .and_where(Expr::col(DisputeClocks::Id).eq(clock_row_id))
                .to_owned(),
        )
        .await?;
        let detail = serde_json::json!({
            "clock_id": clock.clock_id, "clock_row_id": clock_row_id, "days": new.granted.days,
            "approver": new.granted.approver, "reason": new.reason, "reference": new.reference,
        });
        insert_event(
            &mut tx,
            dispute_id,
            ctx,
            "staff",
            "extend_clock",
            Some(stage),
            stage,
            &detail,
            &format!(
                "{}延长 {} 日（经批准）",
                definition.name_zh, new.granted.days
            ),
        )
        .await?;
        audit::append(
            &mut tx,
            ctx,
            "dispute.extend_clock",
            "dispute",
            dispute_id,
            None::<&()>,
            Some(&detail),
        )
        .await?;
        tx.commit().await?;
        Ok(ClockRow {
            extensions_json: json,
            ..clock
        })
    }
}
