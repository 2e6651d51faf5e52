//! Event categories and dispatch rules as data, and the department directory dispatch reads.

use crate::audit::{self, AuditCtx};
use crate::db::{Store, Tx};
use crate::error::{Result, StoreError};
use fengqiao_domain::grid_event::{
    DepartmentEntry, DispatchRule, EventCategory, default_categories, default_dispatch_rules,
    validate_rule,
};
use sea_query::{Expr, ExprTrait, Iden, Order, Query};
use serde::Serialize;

#[derive(Iden, Clone, Copy)]
enum GridEventCategories {
    Table,
    Code,
    NameZh,
    GroupZh,
    Description,
    DisputeType,
    AttributesJson,
    Keywords,
    Public,
    Active,
    UpdatedAt,
}

const CATEGORY_COLUMNS: [GridEventCategories; 10] = [
    GridEventCategories::Code,
    GridEventCategories::NameZh,
    GridEventCategories::GroupZh,
    GridEventCategories::Description,
    GridEventCategories::DisputeType,
    GridEventCategories::AttributesJson,
    GridEventCategories::Keywords,
    GridEventCategories::Public,
    GridEventCategories::Active,
    GridEventCategories::UpdatedAt,
];

#[derive(Iden, Clone, Copy)]
enum GridDispatchRules {
    Table,
    Id,
    Version,
    Priority,
    RuleJson,
    Active,
    UpdatedAt,
}

#[derive(Iden)]
enum Organisations {
    Table,
    Id,
    Name,
    Kind,
    RegionPath,
    Specialty,
    Active,
}

/// A stored category. `attributes_json` holds the reporter's extra fields (Open311 attributes);
/// `keywords` is a comma-separated list used to suggest a category for free text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CategoryRow {
    pub code: String,
    pub name_zh: String,
    pub group_zh: String,
    pub description: String,
    pub dispute_type: Option<String>,
    pub attributes_json: String,
    pub keywords: String,
    /// Offered to the public (citizen page, Open311).
    pub public: bool,
    pub active: bool,
    pub updated_at: i64,
}

impl CategoryRow {
    pub fn from_domain(c: &EventCategory, at: i64) -> Self {
        Self {
            code: c.code.clone(),
            name_zh: c.name_zh.clone(),
            group_zh: c.group_zh.clone(),
            description: c.description.clone(),
            dispute_type: c.dispute_type.clone(),
            attributes_json: serde_json::to_string(&c.attributes).unwrap_or_else(|_| "[]".into()),
            keywords: c.keywords.join(","),
            // Disputes and public-security reports name people: not for the public Open311 list.
            public: c.dispute_type.is_none() && c.code != "public_security",
            active: true,
            updated_at: at,
        }
    }

    pub fn keyword_list(&self) -> Vec<&str> {
        self.keywords
            .split(',')
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct DispatchRuleRow {
    pub id: String,
    pub version: i64,
    pub priority: i64,
    pub rule_json: String,
    pub active: bool,
    pub updated_at: i64,
}

impl DispatchRuleRow {
    pub fn rule(&self) -> Result<DispatchRule> {
        serde_json::from_str(&self.rule_json)
            .map_err(|e| StoreError::Corrupt(format!("dispatch rule {}: {e}", self.id)))
    }
}

pub(crate) async fn category_in(tx: &mut Tx, code: &str) -> Result<bool> {
    let row: Option<(String,)> = tx
        .fetch_optional(
            &Query::select()
                .column(GridEventCategories::Code)
                .from(GridEventCategories::Table)
                .and_where(Expr::col(GridEventCategories::Code).eq(code))
                .and_where(Expr::col(GridEventCategories::Active).eq(true))
                .to_owned(),
        )
        .await?;
    Ok(row.is_some())
}

/// The organisation must exist and be an active functional department.
pub(crate) async fn ensure_department_in(tx: &mut Tx, org_id: &str) -> Result<()> {
    let row: Option<(String,)> = tx
        .fetch_optional(
            &Query::select()
                .column(Organisations::Id)
                .from(Organisations::Table)
                .and_where(Expr::col(Organisations::Id).eq(org_id))
                .and_where(Expr::col(Organisations::Kind).eq("department"))
                .and_where(Expr::col(Organisations::Active).eq(true))
                .to_owned(),
        )
        .await?;
    match row {
        Some(_) => Ok(()),
        None => Err(StoreError::invalid(
            "department_org_id",
            "not_department",
            format!("`{org_id}` 不是在用的职能部门"),
        )),
    }
}

impl Store {
    pub async fn grid_categories(&self) -> Result<Vec<CategoryRow>> {
        self.fetch_all(
            &Query::select()
                .columns(CATEGORY_COLUMNS)
                .from(GridEventCategories::Table)
                .order_by(GridEventCategories::GroupZh, Order::Asc)
                .order_by(GridEventCategories::Code, Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// Creates or replaces a category (administrators), audited.
    pub async fn save_grid_category(&self, ctx: &AuditCtx, row: &CategoryRow) -> Result<()> {
        let mut tx = self.begin().await?;
        save_category_in(&mut tx, ctx, row).await?;
        tx.commit().await
    }

    pub async fn grid_dispatch_rules(&self) -> Result<Vec<DispatchRuleRow>> {
        self.fetch_all(
            &Query::select()
                .columns([
                    GridDispatchRules::Id,
                    GridDispatchRules::Version,
                    GridDispatchRules::Priority,
                    GridDispatchRules::RuleJson,
                    GridDispatchRules::Active,
                    GridDispatchRules::UpdatedAt,
                ])
                .from(GridDispatchRules::Table)
                .order_by(GridDispatchRules::Priority, Order::Asc)
                .order_by(GridDispatchRules::Id, Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// The active rules, parsed.
    pub async fn active_dispatch_rules(&self) -> Result<Vec<DispatchRule>> {
        self.grid_dispatch_rules()
            .await?
            .into_iter()
            .filter(|r| r.active)
            .map(|r| r.rule())
            .collect()
    }

    /// Saves a rule; `expected_version` must match the stored one (optimistic locking), or be
    /// `None` for a new rule.
    pub async fn save_grid_dispatch_rule(
        &self,
        ctx: &AuditCtx,
        rule: &DispatchRule,
        active: bool,
        expected_version: Option<i64>,
    ) -> Result<DispatchRuleRow> {
        let problems = validate_rule(rule);
        if let Some((field, reason)) = problems.into_iter().next() {
            return Err(StoreError::invalid(field, "invalid", reason));
        }
        let mut tx = self.begin().await?;
        let current: Option<(i64,)> = tx
            .fetch_optional(
                &Query::select()
                    .column(GridDispatchRules::Version)
                    .from(GridDispatchRules::Table)
                    .and_where(Expr::col(GridDispatchRules::Id).eq(rule.id.as_str()))
                    .to_owned(),
            )
            .await?;
        if current.map(|c| c.0) != expected_version {
            return Err(StoreError::Conflict {
                field: "version".into(),
            });
        }
        let row = DispatchRuleRow {
            id: rule.id.clone(),
            version: expected_version.map_or(1, |v| v + 1),
            priority: rule.priority,
            rule_json: serde_json::to_string(rule)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            active,
            updated_at: ctx.at.as_micros(),
        };
        save_rule_in(&mut tx, &row).await?;
        audit::append(
            &mut tx,
            ctx,
            "grid_dispatch_rule.save",
            "grid_dispatch_rule",
            &row.id,
            None::<&()>,
            Some(&row),
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Active functional departments, for dispatch.
    pub async fn department_directory(&self) -> Result<Vec<DepartmentEntry>> {
        let rows: Vec<(String, String, String, Option<String>)> = self
            .fetch_all(
                &Query::select()
                    .columns([
                        Organisations::Id,
                        Organisations::Name,
                        Organisations::RegionPath,
                        Organisations::Specialty,
                    ])
                    .from(Organisations::Table)
                    .and_where(Expr::col(Organisations::Kind).eq("department"))
                    .and_where(Expr::col(Organisations::Active).eq(true))
                    .to_owned(),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(org_id, name, region_path, specialty)| DepartmentEntry {
                org_id,
                name,
                region_path,
                specialty: specialty.and_then(|s| s.parse().ok()),
            })
            .collect())
    }

    /// Inserts the default categories and dispatch rules that are missing (startup and demo);
    /// rows edited by administrators are left alone.
    pub async fn ensure_grid_defaults(&self, ctx: &AuditCtx) -> Result<usize> {
        let categories = default_categories();
        let have: Vec<String> = self
            .grid_categories()
            .await?
            .into_iter()
            .map(|c| c.code)
            .collect();
        let have_rules: Vec<String> = self
            .grid_dispatch_rules()
            .await?
            .into_iter()
            .map(|r| r.id)
            .collect();
        let mut tx = self.begin().await?;
        let mut added = 0;
        for c in categories.iter().filter(|c| !have.contains(&c.code)) {
            save_category_in(
                &mut tx,
                ctx,
                &CategoryRow::from_domain(c, ctx.at.as_micros()),
            )
            .await?;
            added += 1;
        }
        for rule in default_dispatch_rules(&categories)
            .into_iter()
            .filter(|r| !have_rules.contains(&r.id))
        {
            let row = DispatchRuleRow {
                id: rule.id.clone(),
                version: 1,
                priority: rule.priority,
                rule_json: serde_json::to_string(&rule)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                active: true,
                updated_at: ctx.at.as_micros(),
            };
            save_rule_in(&mut tx, &row).await?;
            added += 1;
        }
        tx.commit().await?;
        Ok(added)
    }
}

async fn save_category_in(tx: &mut Tx, ctx: &AuditCtx, row: &CategoryRow) -> Result<()> {
    if row.code.trim().is_empty() {
        return Err(StoreError::invalid("code", "required", "不能为空"));
    }
    if row.name_zh.trim().is_empty() {
        return Err(StoreError::invalid("name_zh", "required", "不能为空"));
    }
    if serde_json::from_str::<Vec<fengqiao_domain::grid_event::CategoryAttribute>>(
        &row.attributes_json,
    )
    .is_err()
    {
        return Err(StoreError::invalid(
            "attributes",
            "invalid",
            "属性定义格式不正确",
        ));
    }
    tx.execute(
        &Query::insert()
            .into_table(GridEventCategories::Table)
            .columns(CATEGORY_COLUMNS)
            .values_panic([
                row.code.clone().into(),
                row.name_zh.clone().into(),
                row.group_zh.clone().into(),
                row.description.clone().into(),
                row.dispute_type.clone().into(),
                row.attributes_json.clone().into(),
                row.keywords.clone().into(),
                row.public.into(),
                row.active.into(),
                ctx.at.as_micros().into(),
            ])
            .on_conflict(
                sea_query::OnConflict::column(GridEventCategories::Code)
                    .update_columns(CATEGORY_COLUMNS[1..].iter().copied())
                    .to_owned(),
            )
            .to_owned(),
    )
    .await?;
    audit::append(
        tx,
        ctx,
        "grid_category.save",
        "grid_category",
        &row.code,
        None::<&()>,
        Some(row),
    )
    .await?;
    Ok(())
}

async fn save_rule_in(tx: &mut Tx, row: &DispatchRuleRow) -> Result<()> {
    tx.execute(
        &Query::insert()
            .into_table(GridDispatchRules::Table)
            .columns([
                GridDispatchRules::Id,
                GridDispatchRules::Version,
                GridDispatchRules::Priority,
                GridDispatchRules::RuleJson,
                GridDispatchRules::Active,
                GridDispatchRules::UpdatedAt,
            ])
            .values_panic([
                row.id.clone().into(),
                row.version.into(),
                row.priority.into(),
                row.rule_json.clone().into(),
                row.active.into(),
                row.updated_at.into(),
            ])
            .on_conflict(
                sea_query::OnConflict::column(GridDispatchRules::Id)
                    .update_columns([
                        GridDispatchRules::Version,
                        GridDispatchRules::Priority,
                        GridDispatchRules::RuleJson,
                        GridDispatchRules::Active,
                        GridDispatchRules::UpdatedAt,
                    ])
                    .to_owned(),
            )
            .to_owned(),
    )
    .await?;
    Ok(())
}
