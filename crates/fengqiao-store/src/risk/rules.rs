//! Risk rules as stored data: the shipped defaults until someone edits one, then the stored row
//! (its version one higher each time) with every earlier version kept.

use crate::audit::{self, AuditCtx};
use crate::db::Store;
use crate::error::{Result, StoreError};
use fengqiao_domain::risk::{RiskRule, RuleParams, default_rules};
use sea_query::{Alias, Expr, ExprTrait, OnConflict, Order, Query};
use serde::Serialize;

fn n(name: &str) -> Alias {
    Alias::new(name)
}

#[derive(sqlx::FromRow)]
struct RuleRow {
    id: String,
    version: i64,
    name_zh: String,
    enabled: bool,
    params_json: String,
}

/// One earlier version of a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RuleVersionRow {
    pub rule_id: String,
    pub version: i64,
    pub enabled: bool,
    pub params_json: String,
    pub changed_at: i64,
    pub changed_by: String,
}

fn decode(row: RuleRow) -> Result<RiskRule> {
    let params: RuleParams = serde_json::from_str(&row.params_json)
        .map_err(|e| StoreError::Corrupt(format!("risk rule {}: {e}", row.id)))?;
    Ok(RiskRule {
        id: row.id,
        version: u32::try_from(row.version).unwrap_or(u32::MAX),
        name_zh: row.name_zh,
        enabled: row.enabled,
        params,
    })
}

impl Store {
    /// Every rule in force: stored ones, and the defaults nobody has edited yet.
    pub async fn risk_rules(&self) -> Result<Vec<RiskRule>> {
        let stored: Vec<RuleRow> = self
            .fetch_all(
                &Query::select()
                    .columns(["id", "version", "name_zh", "enabled", "params_json"].map(n))
                    .from(n("risk_rules"))
                    .to_owned(),
            )
            .await?;
        let mut stored = stored.into_iter().map(decode).collect::<Result<Vec<_>>>()?;
        let mut rules = Vec::new();
        for default in default_rules() {
            match stored.iter().position(|r| r.id == default.id) {
                Some(i) => rules.push(stored.swap_remove(i)),
                None => rules.push(default),
            }
        }
        rules.extend(stored);
        Ok(rules)
    }

    pub async fn risk_rule(&self, id: &str) -> Result<RiskRule> {
        self.risk_rules()
            .await?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or(StoreError::NotFound {
                entity: "risk_rule",
            })
    }

    /// Stores new parameters (and on/off) for a rule as its next version; the previous version
    /// stays in the history. `expected_version` guards against two editors at once.
    pub async fn revise_risk_rule(
        &self,
        ctx: &AuditCtx,
        id: &str,
        expected_version: u32,
        params: RuleParams,
        enabled: bool,
    ) -> Result<RiskRule> {
        let current = self.risk_rule(id).await?;
        if current.version != expected_version {
            return Err(StoreError::Conflict {
                field: "version".into(),
            });
        }
        let next = current
            .revised(params, enabled)
            .map_err(|e| StoreError::invalid("params", "invalid", e.to_string()))?;
        let params_json =
            serde_json::to_string(&next.params).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let by = ctx.actor_user_id.clone().unwrap_or_else(|| "system".into());
        let mut tx = self.begin().await?;
        // The version column is the guard: the update only lands on the version read above.
        let changed = if current.version == 1
            && tx
                .fetch_optional::<(String,)>(
                    &Query::select()
                        .column(n("id"))
                        .from(n("risk_rules"))
                        .and_where(Expr::col(n("id")).eq(id))
                        .to_owned(),
                )
                .await?
                .is_none()
        {
            tx.execute(
                &Query::insert()
                    .into_table(n("risk_rules"))
                    .columns(
                        [
                            "id",
                            "version",
                            "kind",
                            "name_zh",
                            "enabled",
                            "params_json",
                            "updated_at",
                            "updated_by",
                        ]
                        .map(n),
                    )
                    .values_panic([
                        id.into(),
                        i64::from(next.version).into(),
                        next.params.kind().into(),
                        next.name_zh.clone().into(),
                        next.enabled.into(),
                        params_json.clone().into(),
                        ctx.at.as_micros().into(),
                        by.clone().into(),
                    ])
                    .on_conflict(OnConflict::column(n("id")).do_nothing().to_owned())
                    .to_owned(),
            )
            .await?
        } else {
            tx.execute(
                &Query::update()
                    .table(n("risk_rules"))
                    .values([
                        (n("version"), i64::from(next.version).into()),
                        (n("enabled"), next.enabled.into()),
                        (n("params_json"), params_json.clone().into()),
                        (n("updated_at"), ctx.at.as_micros().into()),
                        (n("updated_by"), by.clone().into()),
                    ])
                    .and_where(Expr::col(n("id")).eq(id))
                    .and_where(Expr::col(n("version")).eq(i64::from(current.version)))
                    .to_owned(),
            )
            .await?
        };
        if changed != 1 {
            return Err(StoreError::Conflict {
                field: "version".into(),
            });
        }
        let old_json = serde_json::to_string(&current.params)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut history = Query::insert()
            .into_table(n("risk_rule_versions"))
            .columns(
                [
                    "rule_id",
                    "version",
                    "enabled",
                    "params_json",
                    "changed_at",
                    "changed_by",
                ]
                .map(n),
            )
            .to_owned();
        if current.version == 1 {
            // The shipped default becomes version 1 of the history the first time it is edited.
            history.values_panic([
                id.into(),
                1i64.into(),
                current.enabled.into(),
                old_json.into(),
                0i64.into(),
                "default".into(),
            ]);
        }
        history.values_panic([
            id.into(),
            i64::from(next.version).into(),
            next.enabled.into(),
            params_json.into(),
            ctx.at.as_micros().into(),
            by.into(),
        ]);
        tx.execute(
            &history
                .on_conflict(
                    OnConflict::columns([n("rule_id"), n("version")])
                        .do_nothing()
                        .to_owned(),
                )
                .to_owned(),
        )
        .await?;
        audit::append(
            &mut tx,
            ctx,
            "risk_rule.revise",
            "risk_rule",
            id,
            Some(&serde_json::json!({ "version": current.version, "enabled": current.enabled, "params": current.params })),
            Some(&serde_json::json!({ "version": next.version, "enabled": next.enabled, "params": next.params })),
        )
        .await?;
        tx.commit().await?;
        Ok(next)
    }

    /// A rule's stored versions, newest first (empty for a rule never edited).
    pub async fn risk_rule_versions(&self, id: &str) -> Result<Vec<RuleVersionRow>> {
        self.fetch_all(
            &Query::select()
                .columns(
                    [
                        "rule_id",
                        "version",
                        "enabled",
                        "params_json",
                        "changed_at",
                        "changed_by",
                    ]
                    .map(n),
                )
                .from(n("risk_rule_versions"))
                .and_where(Expr::col(n("rule_id")).eq(id))
                .order_by(n("version"), Order::Desc)
                .to_owned(),
        )
        .await
    }
}
