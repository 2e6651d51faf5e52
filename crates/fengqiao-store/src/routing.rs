//! Routing rules as stored data, and the organisation directory the pure router resolves
//! targets against.

use crate::audit::{self, AuditCtx};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::scope::Scope;
use fengqiao_domain::dispute::routing::{OrgDirectoryEntry, RoutingRule};
use fengqiao_domain::region::RegionLevel;
use sea_query::{Expr, ExprTrait, Iden, Order, Query};

#[derive(Iden)]
enum RoutingRules {
    Table,
    Id,
    Version,
    Priority,
    RuleJson,
    Active,
    UpdatedAt,
}

impl Store {
    /// Every stored rule, in evaluation order.
    pub async fn routing_rules(&self) -> Result<Vec<RoutingRule>> {
        let rows: Vec<(String,)> = self
            .fetch_all(
                &Query::select()
                    .column(RoutingRules::RuleJson)
                    .from(RoutingRules::Table)
                    .order_by(RoutingRules::Priority, Order::Asc)
                    .order_by(RoutingRules::Id, Order::Asc)
                    .to_owned(),
            )
            .await?;
        rows.into_iter()
            .map(|(json,)| {
                serde_json::from_str(&json)
                    .map_err(|e| StoreError::Corrupt(format!("routing rule: {e}")))
            })
            .collect()
    }

    /// Adds or replaces a rule (the caller validated it), bumping nothing itself: the rule carries
    /// its version. Audited with the previous version as `before`.
    pub async fn save_routing_rule(&self, ctx: &AuditCtx, rule: &RoutingRule) -> Result<()> {
        let json = serde_json::to_string(rule).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut tx = self.begin().await?;
        let before: Option<(String,)> = tx
            .fetch_optional(
                &Query::select()
                    .column(RoutingRules::RuleJson)
                    .from(RoutingRules::Table)
                    .and_where(Expr::col(RoutingRules::Id).eq(rule.id.as_str()))
                    .to_owned(),
            )
            .await?;
        tx.execute(
            &Query::delete()
                .from_table(RoutingRules::Table)
                .and_where(Expr::col(RoutingRules::Id).eq(rule.id.as_str()))
                .to_owned(),
        )
        .await?;
        tx.execute(
            &Query::insert()
                .into_table(RoutingRules::Table)
                .columns([
                    RoutingRules::Id,
                    RoutingRules::Version,
                    RoutingRules::Priority,
                    RoutingRules::RuleJson,
                    RoutingRules::Active,
                    RoutingRules::UpdatedAt,
                ])
                .values_panic([
                    rule.id.clone().into(),
                    i64::from(rule.version).into(),
                    i64::from(rule.priority).into(),
                    json.into(),
                    rule.active.into(),
                    ctx.at.as_micros().into(),
                ])
                .to_owned(),
        )
        .await?;
        let before_value: Option<serde_json::Value> =
            before.and_then(|(b,)| serde_json::from_str(&b).ok());
        audit::append(
            &mut tx,
            ctx,
            "routing_rule.save",
            "routing_rule",
            &rule.id,
            before_value.as_ref(),
            Some(rule),
        )
        .await?;
        tx.commit().await
    }

    /// Stores the shipped rule set when no rule exists yet.
    pub async fn ensure_routing_rules(
        &self,
        ctx: &AuditCtx,
        defaults: &[RoutingRule],
    ) -> Result<usize> {
        if !self.routing_rules().await?.is_empty() {
            return Ok(0);
        }
        for rule in defaults {
            self.save_routing_rule(ctx, rule).await?;
        }
        Ok(defaults.len())
    }

    /// Every organisation with its region level, for resolving routing targets.
    pub async fn org_directory(&self) -> Result<Vec<OrgDirectoryEntry>> {
        let orgs = self.all_orgs(&Scope::Everything).await?;
        let mut out = Vec::with_capacity(orgs.len());
        for o in orgs {
            // The path has one segment per level from the city down.
            let depth = o.region_path.split('/').filter(|s| !s.is_empty()).count();
            let level = match depth {
                1 => RegionLevel::City,
                2 => RegionLevel::District,
                3 => RegionLevel::Street,
                4 => RegionLevel::Community,
                _ => RegionLevel::Grid,
            };
            out.push(OrgDirectoryEntry {
                kind: o.kind()?,
                specialty: o
                    .specialty
                    .as_deref()
                    .map(str::parse)
                    .transpose()
                    .map_err(StoreError::Corrupt)?,
                id: o.id,
                name: o.name,
                region_code: o.region_code,
                region_path: o.region_path,
                level,
                active: o.active,
            });
        }
        Ok(out)
    }
}
