//! 走访 — household visits and patrol stops recorded by grid workers, with the issues residents
//! raised; an issue can be followed as a grid event (read from `grid_events`, never written).

use super::campaigns::campaign_in;
use super::records::{grid_in, live_record_in};
use crate::audit::{self, AuditCtx};
use crate::db::{Store, Tx};
use crate::error::{Result, StoreError};
use crate::page::{Page, PageRequest};
use crate::scope::Scope;
use fengqiao_domain::basedata::BaseKind;
use fengqiao_domain::time::Timestamp;
use fengqiao_domain::validation::{FieldError, Problems};
use sea_query::{Alias, Expr, ExprTrait, Iden, Order, Query, SelectStatement};
use serde::{Deserialize, Serialize};

#[derive(Iden)]
pub(crate) enum Visits {
    Table,
    Id,
    GridCode,
    RegionPath,
    WorkerUserId,
    CampaignId,
    VisitedAt,
    HousingId,
    Household,
    HouseholdKey,
    PeopleSeen,
    PersonIds,
    Notes,
    CreatedAt,
}

#[derive(Iden)]
pub(crate) enum VisitIssues {
    Table,
    VisitId,
    Seq,
    Description,
    SolvedOnSpot,
    GridEventId,
    UpdatedAt,
}

/// Grid-event statuses that count an issue as solved.
pub(crate) const SOLVED_EVENT_STATUSES: [&str; 2] = ["closed", "evaluated"];

/// Most issues, people named and people seen on one visit.
const MAX_ISSUES: usize = 20;
const MAX_PEOPLE: usize = 50;
const MAX_PEOPLE_SEEN: i64 = 100;

#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewIssue {
    /// What the resident raised.
    pub description: String,
    /// Solved there and then (就地解决).
    #[serde(default)]
    pub solved_on_spot: bool,
    /// The grid event that follows the issue up, when it was reported.
    #[serde(default)]
    pub grid_event_id: Option<String>,
}

/// A visit to record; the worker is the caller.
#[derive(Debug, Clone)]
pub struct NewVisit {
    pub grid_code: String,
    pub worker_user_id: String,
    pub campaign_id: Option<String>,
    pub visited_at: Timestamp,
    pub housing_id: Option<String>,
    pub household: String,
    pub people_seen: Option<i64>,
    pub person_ids: Vec<String>,
    pub notes: String,
    pub issues: Vec<NewIssue>,
}

/// Changes to one issue: mark it solved on the spot, or link the grid event following it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssuePatch {
    pub solved_on_spot: Option<bool>,
    pub grid_event_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct IssueView {
    pub seq: i64,
    pub description: String,
    pub solved_on_spot: bool,
    pub grid_event_id: Option<String>,
    /// The linked event's status now.
    pub grid_event_status: Option<String>,
    /// Solved on the spot, or its event is `closed` or `evaluated`.
    pub solved: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct VisitView {
    pub id: String,
    pub grid_code: String,
    pub region_path: String,
    pub worker_user_id: String,
    pub worker_name: String,
    pub campaign_id: Option<String>,
    pub visited_at: Timestamp,
    pub housing_id: Option<String>,
    pub household: String,
    pub people_seen: i64,
    pub person_ids: Vec<String>,
    pub notes: String,
    pub issues: Vec<IssueView>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct VisitRow {
    id: String,
    grid_code: String,
    region_path: String,
    worker_user_id: String,
    worker_name: String,
    campaign_id: Option<String>,
    visited_at: i64,
    housing_id: Option<String>,
    household: String,
    people_seen: i64,
    person_ids: String,
    notes: String,
    created_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct IssueRow {
    visit_id: String,
    seq: i64,
    description: String,
    solved_on_spot: bool,
    grid_event_id: Option<String>,
    grid_event_status: Option<String>,
}

impl IssueRow {
    fn view(&self) -> IssueView {
        IssueView {
            seq: self.seq,
            description: self.description.clone(),
            solved_on_spot: self.solved_on_spot,
            grid_event_id: self.grid_event_id.clone(),
            grid_event_status: self.grid_event_status.clone(),
            solved: self.solved_on_spot
                || self
                    .grid_event_status
                    .as_deref()
                    .is_some_and(|s| SOLVED_EVENT_STATUSES.contains(&s)),
        }
    }
}

/// Filters for listing visits, inside the caller's scope.
#[derive(Debug, Clone, Default)]
pub struct VisitFilter {
    pub under_path: Option<String>,
    pub grid_code: Option<String>,
    pub campaign_id: Option<String>,
    pub worker_user_id: Option<String>,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
}

fn v(c: Visits) -> (Alias, Visits) {
    (Alias::new("visits"), c)
}

fn select_visits() -> SelectStatement {
    Query::select()
        .columns([
            v(Visits::Id),
            v(Visits::GridCode),
            v(Visits::RegionPath),
            v(Visits::WorkerUserId),
            v(Visits::CampaignId),
            v(Visits::VisitedAt),
            v(Visits::HousingId),
            v(Visits::Household),
            v(Visits::PeopleSeen),
            v(Visits::PersonIds),
            v(Visits::Notes),
            v(Visits::CreatedAt),
        ])
        .expr_as(
            Expr::col((Alias::new("users"), Alias::new("display_name"))),
            Alias::new("worker_name"),
        )
        .from(Visits::Table)
        .inner_join(
            Alias::new("users"),
            Expr::col(v(Visits::WorkerUserId)).equals((Alias::new("users"), Alias::new("id"))),
        )
        .to_owned()
}

fn select_issues() -> SelectStatement {
    let vi = |c: VisitIssues| (Alias::new("visit_issues"), c);
    Query::select()
        .columns([
            vi(VisitIssues::VisitId),
            vi(VisitIssues::Seq),
            vi(VisitIssues::Description),
            vi(VisitIssues::SolvedOnSpot),
            vi(VisitIssues::GridEventId),
        ])
        .expr_as(
            Expr::col((Alias::new("grid_events"), Alias::new("status"))),
            Alias::new("grid_event_status"),
        )
        .from(VisitIssues::Table)
        .left_join(
            Alias::new("grid_events"),
            Expr::col(vi(VisitIssues::GridEventId))
                .equals((Alias::new("grid_events"), Alias::new("id"))),
        )
        .order_by(vi(VisitIssues::Seq), Order::Asc)
        .to_owned()
}

/// Which household a visit counts for: the housing record, else the household text without
/// spaces (so "3幢 301" and "3幢301" are one household).
fn household_key(housing_id: Option<&str>, household: &str) -> String {
    match housing_id {
        Some(h) => format!("h:{h}"),
        None => {
            let compact: String = household.chars().filter(|c| !c.is_whitespace()).collect();
            format!("t:{compact}")
        }
    }
}

/// A grid event visible in `scope`, or a problem on `field`.
async fn check_event(
    tx: &mut Tx,
    scope: &Scope,
    field: &str,
    id: &str,
) -> Result<Option<FieldError>> {
    let found: Option<(String,)> = tx
        .fetch_optional(
            &Query::select()
                .column(Alias::new("id"))
                .from(Alias::new("grid_events"))
                .and_where(Expr::col(Alias::new("id")).eq(id.trim()))
                .and_where(scope.path_condition(Alias::new("region_path")))
                .to_owned(),
        )
        .await?;
    Ok(found
        .is_none()
        .then(|| FieldError::new(field, "not_found", "网格事件不存在或不在您的管辖范围")))
}

async fn issues_of(store: &Store, visit_ids: &[String]) -> Result<Vec<IssueRow>> {
    if visit_ids.is_empty() {
        return Ok(Vec::new());
    }
    let q = select_issues()
        .and_where(
            Expr::col((Alias::new("visit_issues"), VisitIssues::VisitId))
                .is_in(visit_ids.iter().cloned()),
        )
        .to_owned();
    store.fetch_all(&q).await
}

fn view(row: VisitRow, issues: &[IssueRow]) -> Result<VisitView> {
    Ok(VisitView {
        person_ids: serde_json::from_str(&row.person_ids)
            .map_err(|e| StoreError::Corrupt(format!("visit person ids: {e}")))?,
        issues: issues
            .iter()
            .filter(|i| i.visit_id == row.id)
            .map(IssueRow::view)
            .collect(),
        id: row.id,
        grid_code: row.grid_code,
        region_path: row.region_path,
        worker_user_id: row.worker_user_id,
        worker_name: row.worker_name,
        campaign_id: row.campaign_id,
        visited_at: Timestamp::from_micros(row.visited_at),
        housing_id: row.housing_id,
        household: row.household,
        people_seen: row.people_seen,
        notes: row.notes,
        created_at: Timestamp::from_micros(row.created_at),
    })
}

/// Validates and writes one visit with its issues and audit entry inside `tx`.
pub async fn create_visit_in(
    tx: &mut Tx,
    ctx: &AuditCtx,
    scope: &Scope,
    id: &str,
    input: &NewVisit,
) -> Result<()> {
    let mut p = Problems::default();
    let household = p.optional_text("household", &input.household, 128);
    let notes = p.optional_text("notes", &input.notes, 1000);
    // A few minutes of clock skew between a phone and the server is normal.
    if input.visited_at > ctx.at.plus_seconds(600) {
        p.push("visited_at", "in_future", "走访时间不能晚于当前时间");
    }
    if input.person_ids.len() > MAX_PEOPLE {
        p.push(
            "person_ids",
            "too_many",
            format!("最多关联 {MAX_PEOPLE} 人"),
        );
    }
    let people_seen = input
        .people_seen
        .unwrap_or(i64::try_from(input.person_ids.len()).unwrap_or(0));
    if !(0..=MAX_PEOPLE_SEEN).contains(&people_seen) {
        p.push(
            "people_seen",
            "out_of_range",
            format!("见到人数应在 0–{MAX_PEOPLE_SEEN} 之间"),
        );
    } else if (people_seen as usize) < input.person_ids.len() {
        p.push("people_seen", "too_few", "见到人数不能少于关联的人员数");
    }
    if input.issues.len() > MAX_ISSUES {
        p.push(
            "issues",
            "too_many",
            format!("一次走访最多 {MAX_ISSUES} 个问题"),
        );
    }
    let mut issues = Vec::new();
    for (i, issue) in input.issues.iter().enumerate() {
        let d = p.text(&format!("issues.{i}.description"), &issue.description, 500);
        issues.push(d);
    }
    let mut problems = p.0;
    let grid = match grid_in(tx, scope, "grid_code", &input.grid_code).await? {
        Ok(g) => Some(g),
        Err(e) => {
            problems.push(e);
            None
        }
    };
    let housing = match input.housing_id.as_deref().filter(|h| !h.trim().is_empty()) {
        Some(h) => {
            let found = live_record_in(tx, scope, h, BaseKind::Housing).await?;
            if found.is_none() {
                problems.push(FieldError::new(
                    "housing_id",
                    "not_found",
                    "房屋记录不存在或不在您的管辖范围",
                ));
            }
            found
        }
        None => None,
    };
    if housing.is_none() && household.is_empty() && input.housing_id.is_none() {
        problems.push(FieldError::new(
            "household",
            "required",
            "请选择房屋或填写走访户",
        ));
    }
    let mut seen_people = Vec::new();
    for (i, person) in input.person_ids.iter().enumerate() {
        if seen_people.contains(person) {
            continue;
        }
        if live_record_in(tx, scope, person, BaseKind::Person)
            .await?
            .is_none()
        {
            problems.push(FieldError::new(
                format!("person_ids.{i}"),
                "not_found",
                "人员记录不存在或不在您的管辖范围",
            ));
        }
        seen_people.push(person.clone());
    }
    for (i, issue) in input.issues.iter().enumerate() {
        if let Some(ev) = issue
            .grid_event_id
            .as_deref()
            .filter(|e| !e.trim().is_empty())
            && let Some(e) =
                check_event(tx, scope, &format!("issues.{i}.grid_event_id"), ev).await?
        {
            problems.push(e);
        }
    }
    if let (Some(campaign_id), Some(grid)) = (&input.campaign_id, &grid) {
        match campaign_in(tx, scope, campaign_id).await? {
            None => problems.push(FieldError::new(
                "campaign_id",
                "not_found",
                "走访活动不存在或不在您的管辖范围",
            )),
            Some(c) => {
                let day = input.visited_at.china_date().to_string();
                if day < c.starts_on || day > c.ends_on {
                    problems.push(FieldError::new(
                        "visited_at",
                        "outside_campaign",
                        format!("走访时间不在活动期间（{} 至 {}）", c.starts_on, c.ends_on),
                    ));
                }
                if !grid.path.starts_with(&c.region_path) {
                    problems.push(FieldError::new(
                        "grid_code",
                        "outside_campaign",
                        "该网格不在活动范围内",
                    ));
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(StoreError::Invalid(problems));
    }
    let Some(grid) = grid else {
        return Err(StoreError::invalid("grid_code", "required", "必须指定网格"));
    };
    let household = if household.is_empty() {
        housing
            .as_ref()
            .map(|h| format!("{} {}", h.address, h.name).trim().to_owned())
            .unwrap_or_default()
    } else {
        household
    };
    let housing_id = housing.as_ref().map(|h| h.id.clone());
    let person_json = serde_json::to_string(&seen_people)
        .map_err(|e| StoreError::Corrupt(format!("visit person ids: {e}")))?;
    let insert = Query::insert()
        .into_table(Visits::Table)
        .columns([
            Visits::Id,
            Visits::GridCode,
            Visits::RegionPath,
            Visits::WorkerUserId,
            Visits::CampaignId,
            Visits::VisitedAt,
            Visits::HousingId,
            Visits::Household,
            Visits::HouseholdKey,
            Visits::PeopleSeen,
            Visits::PersonIds,
            Visits::Notes,
            Visits::CreatedAt,
        ])
        .values_panic([
            id.into(),
            grid.code.clone().into(),
            grid.path.clone().into(),
            input.worker_user_id.clone().into(),
            input.campaign_id.clone().into(),
            input.visited_at.as_micros().into(),
            housing_id.clone().into(),
            household.clone().into(),
            household_key(housing_id.as_deref(), &household).into(),
            people_seen.into(),
            person_json.into(),
            notes.into(),
            ctx.at.as_micros().into(),
        ])
        .to_owned();
    tx.execute(&insert).await?;
    for (i, (issue, description)) in input.issues.iter().zip(issues).enumerate() {
        let insert = Query::insert()
            .into_table(VisitIssues::Table)
            .columns([
                VisitIssues::VisitId,
                VisitIssues::Seq,
                VisitIssues::Description,
                VisitIssues::SolvedOnSpot,
                VisitIssues::GridEventId,
                VisitIssues::UpdatedAt,
            ])
            .values_panic([
                id.into(),
                (i as i64 + 1).into(),
                description.into(),
                issue.solved_on_spot.into(),
                issue
                    .grid_event_id
                    .as_deref()
                    .map(str::trim)
                    .filter(|e| !e.is_empty())
                    .map(str::to_owned)
                    .into(),
                ctx.at.as_micros().into(),
            ])
            .to_owned();
        tx.execute(&insert).await?;
    }
    let note = serde_json::json!({
        "grid_code": grid.code, "campaign_id": input.campaign_id, "housing_id": housing_id,
        "household": household, "people_seen": people_seen, "issues": input.issues.len(),
    });
    audit::append(
        tx,
        ctx,
        "visit.create",
        "visit",
        id,
        None::<&()>,
        Some(&note),
    )
    .await?;
    Ok(())
}

impl Store {
    pub async fn create_visit(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        id: &str,
        input: &NewVisit,
    ) -> Result<VisitView> {
        let mut tx = self.begin().await?;
        create_visit_in(&mut tx, ctx, scope, id, input).await?;
        tx.commit().await?;
        self.get_visit(scope, id).await
    }

    pub async fn get_visit(&self, scope: &Scope, id: &str) -> Result<VisitView> {
        let q = select_visits()
            .and_where(Expr::col(v(Visits::Id)).eq(id))
            .and_where(scope.path_condition(v(Visits::RegionPath)))
            .to_owned();
        let row: VisitRow = self
            .fetch_optional(&q)
            .await?
            .ok_or(StoreError::NotFound { entity: "visit" })?;
        let issues = issues_of(self, std::slice::from_ref(&row.id)).await?;
        view(row, &issues)
    }

    /// Visits in scope, newest first.
    pub async fn list_visits(
        &self,
        scope: &Scope,
        filter: &VisitFilter,
        page: PageRequest,
    ) -> Result<Page<VisitView>> {
        let mut q = select_visits();
        q.and_where(scope.path_condition(v(Visits::RegionPath)));
        if let Some(path) = &filter.under_path {
            q.and_where(Scope::Subtree(path.clone()).path_condition(v(Visits::RegionPath)));
        }
        if let Some(g) = &filter.grid_code {
            q.and_where(Expr::col(v(Visits::GridCode)).eq(g.trim()));
        }
        if let Some(c) = &filter.campaign_id {
            q.and_where(Expr::col(v(Visits::CampaignId)).eq(c.trim()));
        }
        if let Some(w) = &filter.worker_user_id {
            q.and_where(Expr::col(v(Visits::WorkerUserId)).eq(w.trim()));
        }
        if let Some(from) = filter.from {
            q.and_where(Expr::col(v(Visits::VisitedAt)).gte(from.as_micros()));
        }
        if let Some(to) = filter.to {
            q.and_where(Expr::col(v(Visits::VisitedAt)).lt(to.as_micros()));
        }
        let mut count = q.clone();
        count.clear_selects();
        let total = self
            .fetch_count(&count.expr(Expr::col(v(Visits::Id)).count()).to_owned())
            .await?;
        q.order_by(v(Visits::VisitedAt), Order::Desc)
            .order_by(v(Visits::Id), Order::Asc);
        page.apply(&mut q);
        let rows: Vec<VisitRow> = self.fetch_all(&q).await?;
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let issues = issues_of(self, &ids).await?;
        let items = rows
            .into_iter()
            .map(|r| view(r, &issues))
            .collect::<Result<Vec<_>>>()?;
        Ok(Page::new(items, total, page))
    }

    /// Marks an issue solved on the spot or links the grid event following it up.
    pub async fn update_visit_issue(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        visit_id: &str,
        seq: i64,
        patch: &IssuePatch,
    ) -> Result<VisitView> {
        let before = self.get_visit(scope, visit_id).await?;
        let issue =
            before
                .issues
                .iter()
                .find(|i| i.seq == seq)
                .cloned()
                .ok_or(StoreError::NotFound {
                    entity: "visit_issue",
                })?;
        let mut tx = self.begin().await?;
        let event = patch
            .grid_event_id
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty());
        if let Some(ev) = event
            && let Some(e) = check_event(&mut tx, scope, "grid_event_id", ev).await?
        {
            return Err(StoreError::Invalid(vec![e]));
        }
        let mut values = vec![(VisitIssues::UpdatedAt, ctx.at.as_micros().into())];
        if let Some(s) = patch.solved_on_spot {
            values.push((VisitIssues::SolvedOnSpot, s.into()));
        }
        if patch.grid_event_id.is_some() {
            values.push((VisitIssues::GridEventId, event.map(str::to_owned).into()));
        }
        let update = Query::update()
            .table(VisitIssues::Table)
            .values(values)
            .and_where(Expr::col(VisitIssues::VisitId).eq(visit_id))
            .and_where(Expr::col(VisitIssues::Seq).eq(seq))
            .to_owned();
        tx.execute(&update).await?;
        audit::append(
            &mut tx,
            ctx,
            "visit.issue_update",
            "visit",
            visit_id,
            Some(&issue),
            Some(&serde_json::json!({ "seq": seq, "patch": patch })),
        )
        .await?;
        tx.commit().await?;
        self.get_visit(scope, visit_id).await
    }
}

/// Column helpers for the summaries and the index.
pub(crate) fn visits_col(c: Visits) -> (Alias, Visits) {
    v(c)
}
