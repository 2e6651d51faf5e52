//! 走访活动 — visit campaigns over a region and a date range, and their summaries: households
//! and people visited, issues raised and the share solved.

use super::visits::{SOLVED_EVENT_STATUSES, VisitIssues, Visits, visits_col};
use crate::audit::{self, AuditCtx};
use crate::db::{Store, Tx};
use crate::error::{Result, StoreError};
use crate::page::{Page, PageRequest};
use crate::regions::get_region_in;
use crate::scope::Scope;
use chrono::NaiveDate;
use fengqiao_domain::validation::Problems;
use sea_query::{Alias, Cond, Expr, ExprTrait, Func, Iden, Order, Query, SelectStatement};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Iden)]
pub(crate) enum Campaigns {
    #[iden = "visit_campaigns"]
    Table,
    Id,
    Name,
    RegionCode,
    RegionPath,
    StartsOn,
    EndsOn,
    Description,
    CreatedBy,
    CreatedAt,
}

/// Longest campaign: a year and a day (a campaign across a leap year's whole length).
const MAX_DAYS: i64 = 366;

#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCampaign {
    pub name: String,
    /// The region the campaign covers (street, community, district …).
    pub region_code: String,
    /// First day (China date, inclusive).
    #[schema(value_type = String, format = Date)]
    pub starts_on: NaiveDate,
    /// Last day (inclusive).
    #[schema(value_type = String, format = Date)]
    pub ends_on: NaiveDate,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct CampaignView {
    pub id: String,
    pub name: String,
    pub region_code: String,
    pub region_path: String,
    pub starts_on: String,
    pub ends_on: String,
    pub description: String,
    pub created_by: Option<String>,
    #[serde(serialize_with = "crate::page::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: i64,
}

/// One grid's part of a campaign.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct GridVisitFigures {
    pub grid_code: String,
    pub visits: i64,
    /// Distinct households (housing records, else the household text).
    pub households: i64,
    /// Sum of the people seen on each visit.
    pub people: i64,
    pub issues: i64,
    /// Solved on the spot, or linked to a grid event now `closed` or `evaluated`.
    pub issues_solved: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CampaignSummary {
    pub campaign: CampaignView,
    pub visits: i64,
    pub households: i64,
    pub people: i64,
    pub issues: i64,
    pub issues_solved: i64,
    /// issues_solved ÷ issues (4 decimals); absent with no issues.
    pub solved_share: Option<f64>,
    /// Per grid, within the caller's scope.
    pub by_grid: Vec<GridVisitFigures>,
}

fn select_campaigns() -> SelectStatement {
    Query::select()
        .columns([
            Campaigns::Id,
            Campaigns::Name,
            Campaigns::RegionCode,
            Campaigns::RegionPath,
            Campaigns::StartsOn,
            Campaigns::EndsOn,
            Campaigns::Description,
            Campaigns::CreatedBy,
            Campaigns::CreatedAt,
        ])
        .from(Campaigns::Table)
        .to_owned()
}

/// A campaign is visible when it lies inside the caller's scope, or covers it: a grid worker
/// records visits under the district's campaign.
fn visible(scope: &Scope) -> Cond {
    match scope {
        Scope::Everything => Cond::all(),
        Scope::Nothing => Cond::any().add(Expr::value(false)),
        Scope::Subtree(path) => {
            let mut ancestors = Vec::new();
            let mut acc = String::from("/");
            for part in path.split('/').filter(|s| !s.is_empty()) {
                acc.push_str(part);
                acc.push('/');
                ancestors.push(acc.clone());
            }
            Cond::any()
                .add(scope.path_condition(Campaigns::RegionPath))
                .add(Expr::col(Campaigns::RegionPath).is_in(ancestors))
        }
    }
}

pub(crate) async fn campaign_in(
    tx: &mut Tx,
    scope: &Scope,
    id: &str,
) -> Result<Option<CampaignView>> {
    let q = select_campaigns()
        .and_where(Expr::col(Campaigns::Id).eq(id.trim()))
        .cond_where(visible(scope))
        .to_owned();
    Ok(tx.fetch_optional(&q).await?)
}

fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 / whole as f64 * 10_000.0).round() / 10_000.0)
}

impl Store {
    pub async fn create_campaign(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        id: &str,
        input: &NewCampaign,
    ) -> Result<CampaignView> {
        let mut p = Problems::default();
        let name = p.text("name", &input.name, 64);
        let description = p.optional_text("description", &input.description, 1000);
        let days = (input.ends_on - input.starts_on).num_days();
        if days < 0 {
            p.push("ends_on", "before_start", "结束日期不能早于开始日期");
        } else if days >= MAX_DAYS {
            p.push("ends_on", "too_long", "活动期最长一年");
        }
        let mut tx = self.begin().await?;
        let region = match get_region_in(&mut tx, scope, input.region_code.trim()).await {
            Ok(r) => Some(r),
            Err(StoreError::NotFound { .. }) => {
                p.push("region_code", "not_found", "区域不存在或不在您的管辖范围");
                None
            }
            Err(e) => return Err(e),
        };
        p.finish().map_err(StoreError::Invalid)?;
        let Some(region) = region else {
            return Err(StoreError::NotFound { entity: "region" });
        };
        let view = CampaignView {
            id: id.to_owned(),
            name,
            region_code: region.code,
            region_path: region.path,
            starts_on: input.starts_on.to_string(),
            ends_on: input.ends_on.to_string(),
            description,
            created_by: ctx.actor_user_id.clone(),
            created_at: ctx.at.as_micros(),
        };
        let insert = Query::insert()
            .into_table(Campaigns::Table)
            .columns([
                Campaigns::Id,
                Campaigns::Name,
                Campaigns::RegionCode,
                Campaigns::RegionPath,
                Campaigns::StartsOn,
                Campaigns::EndsOn,
                Campaigns::Description,
                Campaigns::CreatedBy,
                Campaigns::CreatedAt,
            ])
            .values_panic([
                view.id.clone().into(),
                view.name.clone().into(),
                view.region_code.clone().into(),
                view.region_path.clone().into(),
                view.starts_on.clone().into(),
                view.ends_on.clone().into(),
                view.description.clone().into(),
                view.created_by.clone().into(),
                view.created_at.into(),
            ])
            .to_owned();
        tx.execute(&insert).await?;
        audit::append(
            &mut tx,
            ctx,
            "visit_campaign.create",
            "visit_campaign",
            id,
            None::<&()>,
            Some(&view),
        )
        .await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Campaigns inside or covering the caller's scope, latest start first.
    pub async fn list_campaigns(
        &self,
        scope: &Scope,
        active_on: Option<NaiveDate>,
        page: PageRequest,
    ) -> Result<Page<CampaignView>> {
        let mut q = select_campaigns();
        q.cond_where(visible(scope));
        if let Some(day) = active_on {
            let day = day.to_string();
            q.and_where(Expr::col(Campaigns::StartsOn).lte(day.clone()))
                .and_where(Expr::col(Campaigns::EndsOn).gte(day));
        }
        let mut count = q.clone();
        count.clear_selects();
        let total = self
            .fetch_count(&count.expr(Expr::col(Campaigns::Id).count()).to_owned())
            .await?;
        q.order_by(Campaigns::StartsOn, Order::Desc)
            .order_by(Campaigns::Id, Order::Asc);
        page.apply(&mut q);
        let items = self.fetch_all(&q).await?;
        Ok(Page::new(items, total, page))
    }

    pub async fn get_campaign(&self, scope: &Scope, id: &str) -> Result<CampaignView> {
        let q = select_campaigns()
            .and_where(Expr::col(Campaigns::Id).eq(id))
            .cond_where(visible(scope))
            .to_owned();
        self.fetch_optional(&q).await?.ok_or(StoreError::NotFound {
            entity: "visit_campaign",
        })
    }

    /// The campaign's figures over the visits the caller may see, in total and per grid.
    pub async fn campaign_summary(&self, scope: &Scope, id: &str) -> Result<CampaignSummary> {
        let campaign = self.get_campaign(scope, id).await?;
        let visits = Query::select()
            .column(visits_col(Visits::GridCode))
            .expr(Expr::col(visits_col(Visits::Id)).count())
            .expr(Func::count_distinct(Expr::col(visits_col(
                Visits::HouseholdKey,
            ))))
            // SUM of a BIGINT is NUMERIC on PostgreSQL: cast back so both backends decode i64.
            .expr(Func::cast_as(
                Func::coalesce([
                    Expr::col(visits_col(Visits::PeopleSeen)).sum(),
                    Expr::value(0i64),
                ]),
                Alias::new("BIGINT"),
            ))
            .from(Visits::Table)
            .and_where(Expr::col(visits_col(Visits::CampaignId)).eq(id))
            .and_where(scope.path_condition(visits_col(Visits::RegionPath)))
            .group_by_col(visits_col(Visits::GridCode))
            .to_owned();
        let per_grid: Vec<(String, i64, i64, i64)> = self.fetch_all(&visits).await?;
        let vi = |c: VisitIssues| (Alias::new("visit_issues"), c);
        let issues = Query::select()
            .column(visits_col(Visits::GridCode))
            .column(vi(VisitIssues::SolvedOnSpot))
            .expr_as(
                Expr::col((Alias::new("grid_events"), Alias::new("status"))),
                Alias::new("status"),
            )
            .from(VisitIssues::Table)
            .inner_join(
                Visits::Table,
                Expr::col(vi(VisitIssues::VisitId)).equals(visits_col(Visits::Id)),
            )
            .left_join(
                Alias::new("grid_events"),
                Expr::col(vi(VisitIssues::GridEventId))
                    .equals((Alias::new("grid_events"), Alias::new("id"))),
            )
            .and_where(Expr::col(visits_col(Visits::CampaignId)).eq(id))
            .and_where(scope.path_condition(visits_col(Visits::RegionPath)))
            .to_owned();
        let issue_rows: Vec<(String, bool, Option<String>)> = self.fetch_all(&issues).await?;
        let mut by_grid: BTreeMap<String, GridVisitFigures> = BTreeMap::new();
        for (grid, visits, households, people) in per_grid {
            by_grid.insert(
                grid.clone(),
                GridVisitFigures {
                    grid_code: grid,
                    visits,
                    households,
                    people,
                    ..GridVisitFigures::default()
                },
            );
        }
        for (grid, on_spot, status) in issue_rows {
            let g = by_grid
                .entry(grid.clone())
                .or_insert_with(|| GridVisitFigures {
                    grid_code: grid,
                    ..GridVisitFigures::default()
                });
            g.issues += 1;
            if on_spot
                || status
                    .as_deref()
                    .is_some_and(|s| SOLVED_EVENT_STATUSES.contains(&s))
            {
                g.issues_solved += 1;
            }
        }
        let by_grid: Vec<GridVisitFigures> = by_grid.into_values().collect();
        let sum = |f: fn(&GridVisitFigures) -> i64| by_grid.iter().map(f).sum::<i64>();
        let (issues, solved) = (sum(|g| g.issues), sum(|g| g.issues_solved));
        Ok(CampaignSummary {
            campaign,
            visits: sum(|g| g.visits),
            // A household belongs to one grid, so the grids' distinct counts add up.
            households: sum(|g| g.households),
            people: sum(|g| g.people),
            issues,
            issues_solved: solved,
            solved_share: ratio(solved, issues),
            by_grid,
        })
    }
}
