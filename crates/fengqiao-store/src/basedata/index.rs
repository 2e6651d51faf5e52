//! The grid index's inputs: one month of each grid's recorded activity (base data, visits, grid
//! events, grid-channel disputes) counted per grid, and the manual assessment items. The formula
//! itself is pure (`fengqiao_domain::grid_index`).

use super::records::{BaseRecordHistory, BaseRecords};
use super::visits::{SOLVED_EVENT_STATUSES, VisitIssues, Visits, visits_col};
use crate::audit::{self, AuditCtx};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::regions::Regions;
use crate::scope::Scope;
use fengqiao_domain::grid_index::{Duty, GridActivity, Month};
use fengqiao_domain::time::Timestamp;
use fengqiao_domain::validation::Problems;
use sea_query::{Alias, Expr, ExprTrait, Func, Iden, Order, Query};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

#[derive(Iden)]
enum GridAssessments {
    Table,
    Id,
    GridCode,
    RegionPath,
    Month,
    Duty,
    Points,
    Reason,
    RecordedBy,
    RecordedOrg,
    CreatedAt,
}

/// Dispute stages that count as resolved at the grassroots: an agreement was reached and the
/// case did not escalate.
const RESOLVED_STAGES: [&str; 6] = [
    "agreement",
    "confirmation_requested",
    "confirmed",
    "performing",
    "closed",
    "evaluated",
];

/// The grid channel's codes: `grid_worker` as the dispute engine stores it, `grid` as some
/// imports and older records spell it.
const GRID_CHANNELS: [&str; 2] = ["grid_worker", "grid"];

/// The period being measured and the formula's time parameters.
#[derive(Debug, Clone, Copy)]
pub struct IndexWindow {
    pub start: Timestamp,
    /// Exclusive.
    pub end: Timestamp,
    pub urgent_within_hours: i64,
    pub fresh_within_days: i64,
}

impl IndexWindow {
    pub fn of(month: Month, urgent_within_hours: i64, fresh_within_days: i64) -> Self {
        Self {
            start: Timestamp::start_of_china_day(month.first_day()),
            end: Timestamp::start_of_china_day(month.next().first_day()),
            urgent_within_hours,
            fresh_within_days,
        }
    }
}

/// One grid with its month of activity.
#[derive(Debug, Clone, PartialEq)]
pub struct GridActivityRow {
    pub grid_code: String,
    pub grid_name: String,
    pub grid_path: String,
    pub activity: GridActivity,
}

/// A manual item to record.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAssessment {
    pub grid_code: String,
    /// `YYYY-MM`.
    pub month: String,
    pub duty: Duty,
    /// Bonus (positive) or deduction (negative), in steps of 0.5, within ± the duty's weight.
    pub points: f64,
    /// Why (2–500 characters); recorded in the audit trail.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct AssessmentView {
    pub id: String,
    pub grid_code: String,
    pub month: String,
    #[schema(value_type = Duty)]
    pub duty: String,
    pub points: f64,
    pub reason: String,
    pub recorded_by: String,
    pub recorded_org: Option<String>,
    #[serde(serialize_with = "crate::page::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: i64,
}

fn col<T: Iden + 'static>(table: &str, c: T) -> (Alias, T) {
    (Alias::new(table), c)
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl Store {
    /// The grids under `under_path` (inside `scope`) with their activity in `window`.
    pub async fn grid_activity(
        &self,
        scope: &Scope,
        under_path: &str,
        window: IndexWindow,
    ) -> Result<Vec<GridActivityRow>> {
        let under = Scope::Subtree(under_path.to_owned());
        let (start, end) = (window.start.as_micros(), window.end.as_micros());

        let grids: Vec<(String, String, String)> = self
            .fetch_all(
                &Query::select()
                    .columns([Regions::Code, Regions::Name, Regions::Path])
                    .from(Regions::Table)
                    .and_where(Expr::col(Regions::Level).eq("grid"))
                    .and_where(under.path_condition(Regions::Path))
                    .and_where(scope.path_condition(Regions::Path))
                    .order_by(Regions::Code, Order::Asc)
                    .to_owned(),
            )
            .await?;
        let mut acts: BTreeMap<String, GridActivity> = grids
            .iter()
            .map(|g| (g.0.clone(), GridActivity::default()))
            .collect();
        // Events and disputes carry a path; the longest grid path it starts with owns it.
        let owner = |grid_code: Option<&str>, path: &str| -> Option<String> {
            if let Some(c) = grid_code
                && acts_has(&grids, c)
            {
                return Some(c.to_owned());
            }
            grids
                .iter()
                .filter(|g| path.starts_with(g.2.as_str()))
                .max_by_key(|g| g.2.len())
                .map(|g| g.0.clone())
        };

        // Grid events reported in the month (read-only: the table belongs to the grid-event work).
        let ge = |c: &str| col("grid_events", Alias::new(c));
        let events: Vec<EventRow> = self
            .fetch_all(
                &Query::select()
                    .columns([
                        ge("id"),
                        ge("grid_code"),
                        ge("region_path"),
                        ge("source"),
                        ge("status"),
                        ge("urgent"),
                        ge("created_at"),
                        ge("closed_at"),
                        ge("department_org_id"),
                        ge("dispute_id"),
                        ge("evaluation_score"),
                    ])
                    .from(Alias::new("grid_events"))
                    .and_where(Expr::col(ge("created_at")).gte(start))
                    .and_where(Expr::col(ge("created_at")).lt(end))
                    .and_where(under.path_condition(ge("region_path")))
                    .and_where(scope.path_condition(ge("region_path")))
                    .to_owned(),
            )
            .await?;
        let dispatched_ids: HashSet<String> = if events.is_empty() {
            HashSet::new()
        } else {
            let ids: Vec<String> = events.iter().map(|e| e.id.clone()).collect();
            let mut found = HashSet::new();
            for chunk in ids.chunks(500) {
                let rows: Vec<(String,)> = self
                    .fetch_all(
                        &Query::select()
                            .distinct()
                            .column(Alias::new("event_id"))
                            .from(Alias::new("grid_event_steps"))
                            .and_where(Expr::col(Alias::new("to_status")).eq("dispatched"))
                            .and_where(Expr::col(Alias::new("event_id")).is_in(chunk.to_vec()))
                            .to_owned(),
                    )
                    .await?;
                found.extend(rows.into_iter().map(|r| r.0));
            }
            found
        };
        let urgent_limit = window.urgent_within_hours.saturating_mul(3_600_000_000);
        for e in &events {
            let Some(grid) = owner(e.grid_code.as_deref(), &e.region_path) else {
                continue;
            };
            let Some(a) = acts.get_mut(&grid) else {
                continue;
            };
            let status = e.status.as_str();
            let closed = matches!(status, "closed" | "evaluated");
            let worker = e.source == "grid_worker";
            if worker {
                a.worker_reports += 1;
                if e.urgent || status == "transferred_to_dispute" || e.dispute_id.is_some() {
                    a.risk_reports += 1;
                }
                if status == "rejected" {
                    a.worker_reports_rejected += 1;
                }
            }
            if status == "solved_on_spot" {
                a.solved_on_spot += 1;
            }
            if let Some(score) = e.evaluation_score {
                a.evaluation_points += count(score.clamp(1, 5) - 1);
                a.evaluation_max += 4;
            }
            let dispatched = e.department_org_id.is_some()
                || matches!(status, "dispatched" | "handling" | "fed_back")
                || dispatched_ids.contains(&e.id);
            if dispatched {
                a.dispatched_events += 1;
                if closed {
                    a.dispatched_closed += 1;
                }
            }
            if e.urgent {
                a.urgent_events += 1;
                let fast = status == "solved_on_spot"
                    || e.closed_at
                        .is_some_and(|c| c - e.created_at <= urgent_limit && closed);
                if fast {
                    a.urgent_fast += 1;
                }
            }
        }

        // Disputes the grid channel registered in the month.
        let disputes: Vec<(String, String)> = self
            .fetch_all(
                &Query::select()
                    .columns([Alias::new("region_path"), Alias::new("stage")])
                    .from(Alias::new("disputes"))
                    .and_where(Expr::col(Alias::new("channel")).is_in(GRID_CHANNELS))
                    .and_where(Expr::col(Alias::new("created_at")).gte(start))
                    .and_where(Expr::col(Alias::new("created_at")).lt(end))
                    .and_where(under.path_condition(Alias::new("region_path")))
                    .and_where(scope.path_condition(Alias::new("region_path")))
                    .to_owned(),
            )
            .await?;
        for (path, stage) in &disputes {
            if let Some(a) = owner(None, path).and_then(|g| acts.get_mut(&g)) {
                a.grid_disputes += 1;
                if RESOLVED_STAGES.contains(&stage.as_str()) {
                    a.grid_disputes_resolved += 1;
                }
            }
        }

        // Base data existing at the month's end, by kind and completeness.
        let br = |c: BaseRecords| col("base_records", c);
        let alive_at_end = |q: &mut sea_query::SelectStatement| {
            q.and_where(Expr::col(br(BaseRecords::CreatedAt)).lt(end))
                .and_where(
                    Expr::col(br(BaseRecords::DeletedAt))
                        .is_null()
                        .or(Expr::col(br(BaseRecords::DeletedAt)).gte(end)),
                )
                .and_where(under.path_condition(br(BaseRecords::RegionPath)))
                .and_where(scope.path_condition(br(BaseRecords::RegionPath)));
        };
        let mut q = Query::select()
            .columns([
                br(BaseRecords::GridCode),
                br(BaseRecords::Kind),
                br(BaseRecords::Complete),
            ])
            .expr(Expr::col(br(BaseRecords::Id)).count())
            .from(BaseRecords::Table)
            .group_by_col(br(BaseRecords::GridCode))
            .group_by_col(br(BaseRecords::Kind))
            .group_by_col(br(BaseRecords::Complete))
            .to_owned();
        alive_at_end(&mut q);
        let records: Vec<(String, String, bool, i64)> = self.fetch_all(&q).await?;
        for (grid, kind, complete, n) in records {
            if let Some(a) = acts.get_mut(&grid) {
                a.records_total += count(n);
                if complete {
                    a.records_complete += count(n);
                }
                if kind == "housing" {
                    a.households_total += count(n);
                }
            }
        }
        let fresh_since = window
            .end
            .plus_seconds(-window.fresh_within_days.saturating_mul(86_400))
            .as_micros();
        let mut q = Query::select()
            .column(br(BaseRecords::GridCode))
            .expr(Expr::col(br(BaseRecords::Id)).count())
            .from(BaseRecords::Table)
            .and_where(Expr::col(br(BaseRecords::UpdatedAt)).gte(fresh_since))
            .group_by_col(br(BaseRecords::GridCode))
            .to_owned();
        alive_at_end(&mut q);
        let fresh: Vec<(String, i64)> = self.fetch_all(&q).await?;
        for (grid, n) in fresh {
            if let Some(a) = acts.get_mut(&grid) {
                a.records_fresh = Ord::min(count(n), a.records_total);
            }
        }

        // Base-data changes made in the month (history entries).
        let h = |c: BaseRecordHistory| col("base_record_history", c);
        let changes: Vec<(String, i64)> = self
            .fetch_all(
                &Query::select()
                    .column(h(BaseRecordHistory::GridCode))
                    .expr(Expr::col(h(BaseRecordHistory::Id)).count())
                    .from(BaseRecordHistory::Table)
                    .and_where(Expr::col(h(BaseRecordHistory::At)).gte(start))
                    .and_where(Expr::col(h(BaseRecordHistory::At)).lt(end))
                    .and_where(under.path_condition(h(BaseRecordHistory::RegionPath)))
                    .and_where(scope.path_condition(h(BaseRecordHistory::RegionPath)))
                    .group_by_col(h(BaseRecordHistory::GridCode))
                    .to_owned(),
            )
            .await?;
        for (grid, n) in changes {
            if let Some(a) = acts.get_mut(&grid) {
                a.base_changes += count(n);
            }
        }

        // Visits of the month and the issues raised on them.
        let in_month = |q: &mut sea_query::SelectStatement| {
            q.and_where(Expr::col(visits_col(Visits::VisitedAt)).gte(start))
                .and_where(Expr::col(visits_col(Visits::VisitedAt)).lt(end))
                .and_where(under.path_condition(visits_col(Visits::RegionPath)))
                .and_where(scope.path_condition(visits_col(Visits::RegionPath)));
        };
        let mut q = Query::select()
            .column(visits_col(Visits::GridCode))
            .expr(Expr::col(visits_col(Visits::Id)).count())
            .expr(Func::count_distinct(Expr::col(visits_col(
                Visits::HouseholdKey,
            ))))
            .from(Visits::Table)
            .group_by_col(visits_col(Visits::GridCode))
            .to_owned();
        in_month(&mut q);
        let visits: Vec<(String, i64, i64)> = self.fetch_all(&q).await?;
        for (grid, n, households) in visits {
            if let Some(a) = acts.get_mut(&grid) {
                a.visits += count(n);
                a.households_visited += count(households);
            }
        }
        let vi = |c: VisitIssues| col("visit_issues", c);
        let mut q = Query::select()
            .column(visits_col(Visits::GridCode))
            .column(vi(VisitIssues::SolvedOnSpot))
            .expr_as(Expr::col(ge("status")), Alias::new("status"))
            .from(VisitIssues::Table)
            .inner_join(
                Visits::Table,
                Expr::col(vi(VisitIssues::VisitId)).equals(visits_col(Visits::Id)),
            )
            .left_join(
                Alias::new("grid_events"),
                Expr::col(vi(VisitIssues::GridEventId)).equals(ge("id")),
            )
            .to_owned();
        in_month(&mut q);
        let issues: Vec<(String, bool, Option<String>)> = self.fetch_all(&q).await?;
        for (grid, on_spot, status) in issues {
            if let Some(a) = acts.get_mut(&grid) {
                a.visit_issues += 1;
                if on_spot
                    || status
                        .as_deref()
                        .is_some_and(|s| SOLVED_EVENT_STATUSES.contains(&s))
                {
                    a.visit_issues_solved += 1;
                }
            }
        }

        Ok(grids
            .into_iter()
            .map(|(code, name, path)| GridActivityRow {
                activity: acts.get(&code).copied().unwrap_or_default(),
                grid_code: code,
                grid_name: name,
                grid_path: path,
            })
            .collect())
    }

    /// The latest grid events of one grid as (id, status), newest first — what a visit's issue
    /// can be linked to. Read-only: grid events belong to the grid-event module.
    pub async fn grid_event_refs(
        &self,
        scope: &Scope,
        grid_code: &str,
        limit: u64,
    ) -> Result<Vec<(String, String)>> {
        let q = Query::select()
            .columns([Alias::new("id"), Alias::new("status")])
            .from(Alias::new("grid_events"))
            .and_where(Expr::col(Alias::new("grid_code")).eq(grid_code))
            .and_where(scope.path_condition(Alias::new("region_path")))
            .order_by(Alias::new("created_at"), Order::Desc)
            .order_by(Alias::new("id"), Order::Asc)
            .limit(limit)
            .to_owned();
        self.fetch_all(&q).await
    }

    /// Manual items of one month for the grids under `under_path`.
    pub async fn grid_assessments(
        &self,
        scope: &Scope,
        under_path: &str,
        month: Month,
    ) -> Result<Vec<AssessmentView>> {
        let q = Query::select()
            .columns([
                GridAssessments::Id,
                GridAssessments::GridCode,
                GridAssessments::Month,
                GridAssessments::Duty,
                GridAssessments::Points,
                GridAssessments::Reason,
                GridAssessments::RecordedBy,
                GridAssessments::RecordedOrg,
                GridAssessments::CreatedAt,
            ])
            .from(GridAssessments::Table)
            .and_where(Expr::col(GridAssessments::Month).eq(month.to_string()))
            .and_where(
                Scope::Subtree(under_path.to_owned()).path_condition(GridAssessments::RegionPath),
            )
            .and_where(scope.path_condition(GridAssessments::RegionPath))
            .order_by(GridAssessments::GridCode, Order::Asc)
            .order_by(GridAssessments::CreatedAt, Order::Asc)
            .to_owned();
        self.fetch_all(&q).await
    }

    /// Records one manual item (the caller checked the role and the points against the formula).
    pub async fn create_grid_assessment(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        id: &str,
        input: &NewAssessment,
    ) -> Result<AssessmentView> {
        let mut p = Problems::default();
        let reason = p.text("reason", &input.reason, 500);
        if reason.chars().count() < 2 {
            p.push("reason", "too_short", "考核理由至少 2 个字");
        }
        let month = match Month::parse(&input.month) {
            Ok(m) => Some(m),
            Err(e) => {
                p.push("month", "bad_month", e);
                None
            }
        };
        let mut tx = self.begin().await?;
        let grid =
            match super::records::grid_in(&mut tx, scope, "grid_code", &input.grid_code).await? {
                Ok(g) => Some(g),
                Err(e) => {
                    p.0.push(e);
                    None
                }
            };
        p.finish().map_err(StoreError::Invalid)?;
        let (Some(grid), Some(month)) = (grid, month) else {
            return Err(StoreError::invalid("grid_code", "required", "必须指定网格"));
        };
        let view = AssessmentView {
            id: id.to_owned(),
            grid_code: grid.code.clone(),
            month: month.to_string(),
            duty: input.duty.code().to_owned(),
            points: input.points,
            reason,
            recorded_by: ctx.actor_user_id.clone().unwrap_or_default(),
            recorded_org: ctx.actor_org_id.clone(),
            created_at: ctx.at.as_micros(),
        };
        let insert = Query::insert()
            .into_table(GridAssessments::Table)
            .columns([
                GridAssessments::Id,
                GridAssessments::GridCode,
                GridAssessments::RegionPath,
                GridAssessments::Month,
                GridAssessments::Duty,
                GridAssessments::Points,
                GridAssessments::Reason,
                GridAssessments::RecordedBy,
                GridAssessments::RecordedOrg,
                GridAssessments::CreatedAt,
            ])
            .values_panic([
                view.id.clone().into(),
                view.grid_code.clone().into(),
                grid.path.clone().into(),
                view.month.clone().into(),
                view.duty.clone().into(),
                view.points.into(),
                view.reason.clone().into(),
                view.recorded_by.clone().into(),
                view.recorded_org.clone().into(),
                view.created_at.into(),
            ])
            .to_owned();
        tx.execute(&insert).await?;
        audit::append(
            &mut tx,
            ctx,
            "grid_assessment.create",
            "grid",
            &grid.code,
            None::<&()>,
            Some(&view),
        )
        .await?;
        tx.commit().await?;
        Ok(view)
    }
}

fn acts_has(grids: &[(String, String, String)], code: &str) -> bool {
    grids.iter().any(|g| g.0 == code)
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct EventRow {
    id: String,
    grid_code: Option<String>,
    region_path: String,
    source: String,
    status: String,
    urgent: bool,
    created_at: i64,
    closed_at: Option<i64>,
    department_org_id: Option<String>,
    dispute_id: Option<String>,
    evaluation_score: Option<i64>,
}
