//! Grid events (网格事件): report, accept, dispatch, sign, feed back, verify, close, evaluate —
//! each step through the domain's `decide`, with its timeline entry, its clock and one audit entry.

mod catalogue;
mod clocks;
mod photos;
mod summons;

pub use catalogue::{CategoryRow, DispatchRuleRow};
pub use clocks::{GridClockRow, OpenGridClockRow};
pub use photos::{NewPhoto, PhotoMeta};
pub use summons::{NewSummons, SummonsDepartmentRow, SummonsDetail, SummonsRow};

use crate::audit::{self, AuditCtx};
use crate::db::{Store, Tx};
use crate::error::{Result, StoreError};
use crate::page::{Page, PageRequest};
use crate::scope::{Scope, contains};
use fengqiao_domain::grid_event::{
    Actor, Command, EventState, EventStatus, GridEventError, decide,
};
use fengqiao_domain::time::Timestamp;
use sea_query::{Expr, ExprTrait, Iden, Order, Query, SelectStatement};
use serde::Serialize;

#[derive(Iden, Clone, Copy)]
pub(crate) enum GridEvents {
    Table,
    Id,
    Number,
    Category,
    Title,
    Description,
    Source,
    Status,
    Lat,
    Lng,
    Address,
    GridCode,
    GridCodes,
    RegionPath,
    ReporterUserId,
    ReporterName,
    ReporterPhoneEnc,
    ReporterPhoneIndex,
    ReporterPhoneMasked,
    ExternalId,
    DedupKey,
    IdempotencyKey,
    DepartmentOrgId,
    DispatchJson,
    DisputeId,
    AttributesJson,
    Urgent,
    EvaluationScore,
    EvaluationComment,
    CreatedAt,
    UpdatedAt,
    ClosedAt,
}

#[derive(Iden)]
enum GridEventSteps {
    Table,
    Id,
    EventId,
    At,
    ActorUserId,
    ActorOrgId,
    ActorKind,
    Action,
    FromStatus,
    ToStatus,
    Note,
    DetailJson,
    Public,
}

#[derive(Iden)]
enum GridEventCounters {
    Table,
    Day,
    Last,
}

const EVENT_COLUMNS: [GridEvents; 31] = [
    GridEvents::Id,
    GridEvents::Number,
    GridEvents::Category,
    GridEvents::Title,
    GridEvents::Description,
    GridEvents::Source,
    GridEvents::Status,
    GridEvents::Lat,
    GridEvents::Lng,
    GridEvents::Address,
    GridEvents::GridCode,
    GridEvents::GridCodes,
    GridEvents::RegionPath,
    GridEvents::ReporterUserId,
    GridEvents::ReporterName,
    GridEvents::ReporterPhoneEnc,
    GridEvents::ReporterPhoneIndex,
    GridEvents::ReporterPhoneMasked,
    GridEvents::ExternalId,
    GridEvents::DedupKey,
    GridEvents::IdempotencyKey,
    GridEvents::DepartmentOrgId,
    GridEvents::DispatchJson,
    GridEvents::DisputeId,
    GridEvents::AttributesJson,
    GridEvents::Urgent,
    GridEvents::EvaluationScore,
    GridEvents::EvaluationComment,
    GridEvents::CreatedAt,
    GridEvents::UpdatedAt,
    GridEvents::ClosedAt,
];

const STEP_COLUMNS: [GridEventSteps; 12] = [
    GridEventSteps::Id,
    GridEventSteps::EventId,
    GridEventSteps::At,
    GridEventSteps::ActorUserId,
    GridEventSteps::ActorOrgId,
    GridEventSteps::ActorKind,
    GridEventSteps::Action,
    GridEventSteps::FromStatus,
    GridEventSteps::ToStatus,
    GridEventSteps::Note,
    GridEventSteps::DetailJson,
    GridEventSteps::Public,
];

/// A stored grid event. The reporter's phone is only ever kept encrypted, indexed and masked.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct GridEventRow {
    pub id: String,
    pub number: String,
    pub category: String,
    pub title: String,
    pub description: String,
    pub source: String,
    pub status: String,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub address: String,
    pub grid_code: Option<String>,
    pub grid_codes: String,
    pub region_path: String,
    pub reporter_user_id: Option<String>,
    pub reporter_name: String,
    #[serde(skip)]
    pub reporter_phone_enc: Option<String>,
    #[serde(skip)]
    pub reporter_phone_index: Option<String>,
    pub reporter_phone_masked: Option<String>,
    pub external_id: Option<String>,
    pub dedup_key: Option<String>,
    #[serde(skip)]
    pub idempotency_key: Option<String>,
    pub department_org_id: Option<String>,
    pub dispatch_json: Option<String>,
    pub dispute_id: Option<String>,
    pub attributes_json: String,
    pub urgent: bool,
    pub evaluation_score: Option<i64>,
    pub evaluation_comment: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub closed_at: Option<i64>,
}

impl GridEventRow {
    pub fn status(&self) -> Result<EventStatus> {
        self.status.parse().map_err(StoreError::Corrupt)
    }

    pub fn grid_codes(&self) -> Vec<String> {
        serde_json::from_str(&self.grid_codes).unwrap_or_default()
    }
}

/// One step of an event's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct StepRow {
    pub id: String,
    pub event_id: String,
    pub at: i64,
    pub actor_user_id: Option<String>,
    pub actor_org_id: Option<String>,
    pub actor_kind: String,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub note: String,
    pub detail_json: String,
    pub public: bool,
}

/// A report as it arrives, already placed: the edge looked the point up in the grid index.
#[derive(Debug, Clone, Default)]
pub struct NewGridEvent {
    pub id: String,
    pub category: String,
    pub title: String,
    pub description: String,
    pub source: String,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub address: String,
    /// The grid the event is filed under (a territorial grid where the point has one).
    pub grid_code: Option<String>,
    /// Every grid containing the point (territorial and industry).
    pub grid_codes: Vec<String>,
    /// Region path of `grid_code`, or of the community/street named when there is no point.
    pub region_path: String,
    pub reporter_user_id: Option<String>,
    pub reporter_name: String,
    /// Already encrypted, blind-indexed and masked by the caller's cipher.
    pub reporter_phone: Option<SealedPhone>,
    pub external_id: Option<String>,
    pub idempotency_key: Option<String>,
    pub attributes: serde_json::Value,
    pub urgent: bool,
}

/// A phone number as stored: ciphertext, blind index, masked form.
#[derive(Debug, Clone)]
pub struct SealedPhone {
    pub enc: String,
    pub index: String,
    pub masked: String,
}

/// The result of a report: the event, and whether it was a replay or resembles an open one.
#[derive(Debug, Clone, Serialize)]
pub struct ReportOutcome {
    pub event: GridEventRow,
    /// The same idempotency key or external work-order number was seen before: nothing new written.
    pub replayed: bool,
    /// Open events of the same category in the same grid within three days, reported from the
    /// same phone or within 100 m: probably the same matter.
    pub possible_duplicates: Vec<String>,
}

/// How near two points must be (metres) for the reports to look like one matter.
const DUPLICATE_RADIUS_M: f64 = 100.0;
/// How far back a similar open report counts as a possible duplicate.
const DUPLICATE_WINDOW_SECS: i64 = 3 * 86_400;

/// Who issues a step: a staff member (with what the rules need), or the system.
#[derive(Debug, Clone)]
pub struct StepIssuer {
    pub user_id: Option<String>,
    pub org_id: Option<String>,
    pub actor_kind: &'static str,
    pub actor: Actor,
}

/// List filters.
#[derive(Debug, Clone, Default)]
pub struct GridEventFilter {
    pub scope: Option<Scope>,
    /// Events dispatched to this department (a department's queue).
    pub department_org_id: Option<String>,
    /// Events reported by this user.
    pub reporter_user_id: Option<String>,
    pub statuses: Vec<String>,
    pub open_only: bool,
    pub category: Option<String>,
    pub source: Option<String>,
    pub grid_code: Option<String>,
    pub ids: Vec<String>,
    pub created_from: Option<i64>,
    pub created_to: Option<i64>,
    pub search: Option<String>,
}

/// Everything the detail page shows.
#[derive(Debug, Clone, Serialize)]
pub struct GridEventDetail {
    pub event: GridEventRow,
    pub steps: Vec<StepRow>,
    pub photos: Vec<PhotoMeta>,
    pub clocks: Vec<GridClockRow>,
}

fn haversine_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lng1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lng2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lng2 - lng1) / 2.0).sin().powi(2);
    2.0 * 6_371_000.0 * h.sqrt().asin()
}

fn grid_error(e: GridEventError) -> StoreError {
    match e {
        GridEventError::NotPermitted { .. } => StoreError::Forbidden(e.to_string()),
        GridEventError::WrongStatus { .. } => {
            StoreError::invalid("action", "wrong_status", e.to_string())
        }
        GridEventError::Invalid { field, reason } => StoreError::invalid(field, "invalid", reason),
    }
}

fn select_events() -> SelectStatement {
    Query::select()
        .columns(EVENT_COLUMNS.map(|c| (GridEvents::Table, c)))
        .from(GridEvents::Table)
        .to_owned()
}

async fn event_in(tx: &mut Tx, id: &str) -> Result<GridEventRow> {
    tx.fetch_optional(
        &select_events()
            .and_where(Expr::col((GridEvents::Table, GridEvents::Id)).eq(id))
            .to_owned(),
    )
    .await?
    .ok_or(StoreError::NotFound {
        entity: "grid_event",
    })
}

/// The next event number of the China-time day: `20261122-00001`.
async fn next_number(tx: &mut Tx, at: Timestamp) -> Result<String> {
    let day = at.china_date().format("%Y%m%d").to_string();
    let (last,): (i64,) = tx
        .fetch_optional(
            &Query::insert()
                .into_table(GridEventCounters::Table)
                .columns([GridEventCounters::Day, GridEventCounters::Last])
                .values_panic([day.clone().into(), 1i64.into()])
                .on_conflict(
                    sea_query::OnConflict::column(GridEventCounters::Day)
                        .value(
                            GridEventCounters::Last,
                            Expr::col((GridEventCounters::Table, GridEventCounters::Last)).add(1),
                        )
                        .to_owned(),
                )
                .returning_col(GridEventCounters::Last)
                .to_owned(),
        )
        .await?
        .ok_or_else(|| StoreError::Corrupt("event counter returned nothing".into()))?;
    Ok(format!("{day}-{last:05}"))
}

/// One timeline step to append.
pub(crate) struct NewStep<'a> {
    pub event_id: &'a str,
    pub actor_kind: &'a str,
    pub action: &'a str,
    pub from: Option<&'a str>,
    pub to: &'a str,
    pub note: &'a str,
    pub detail: &'a serde_json::Value,
}

/// Appends one timeline step; ids are the event id and a running number, so they sort in order.
pub(crate) async fn insert_step(tx: &mut Tx, ctx: &AuditCtx, step: &NewStep<'_>) -> Result<String> {
    let NewStep {
        event_id,
        actor_kind,
        action,
        from,
        to,
        note,
        detail,
    } = *step;
    let count = tx
        .fetch_optional::<(i64,)>(
            &Query::select()
                .expr(Expr::col(GridEventSteps::Id).count())
                .from(GridEventSteps::Table)
                .and_where(Expr::col(GridEventSteps::EventId).eq(event_id))
                .to_owned(),
        )
        .await?
        .map_or(0, |r| r.0);
    let id = format!("{event_id}:{:04}", count + 1);
    tx.execute(
        &Query::insert()
            .into_table(GridEventSteps::Table)
            .columns(STEP_COLUMNS)
            .values_panic([
                id.clone().into(),
                event_id.into(),
                ctx.at.as_micros().into(),
                ctx.actor_user_id.clone().into(),
                ctx.actor_org_id.clone().into(),
                actor_kind.into(),
                action.into(),
                from.into(),
                to.into(),
                note.into(),
                detail.to_string().into(),
                true.into(),
            ])
            .to_owned(),
    )
    .await?;
    Ok(id)
}

impl Store {
    /// Files a report. Replays (same idempotency key, or the same external work order) return the
    /// stored event; similar open reports nearby are returned as possible duplicates.
    pub async fn report_grid_event(
        &self,
        ctx: &AuditCtx,
        new: &NewGridEvent,
    ) -> Result<ReportOutcome> {
        let mut tx = self.begin().await?;
        if let Some(key) = &new.idempotency_key {
            let seen: Option<GridEventRow> = tx
                .fetch_optional(
                    &select_events()
                        .and_where(Expr::col(GridEvents::IdempotencyKey).eq(key.as_str()))
                        .to_owned(),
                )
                .await?;
            if let Some(event) = seen {
                return Ok(ReportOutcome {
                    event,
                    replayed: true,
                    possible_duplicates: Vec::new(),
                });
            }
        }
        if let Some(external) = &new.external_id {
            let seen: Option<GridEventRow> = tx
                .fetch_optional(
                    &select_events()
                        .and_where(Expr::col(GridEvents::Source).eq(new.source.as_str()))
                        .and_where(Expr::col(GridEvents::ExternalId).eq(external.as_str()))
                        .to_owned(),
                )
                .await?;
            if let Some(event) = seen {
                return Ok(ReportOutcome {
                    event,
                    replayed: true,
                    possible_duplicates: Vec::new(),
                });
            }
        }
        let category_known = catalogue::category_in(&mut tx, &new.category).await?;
        if !category_known {
            return Err(StoreError::invalid(
                "category",
                "unknown",
                format!("未知或已停用的事件类别 `{}`", new.category),
            ));
        }
        let possible_duplicates = self.similar_open_events(&mut tx, new, ctx.at).await?;
        let number = next_number(&mut tx, ctx.at).await?;
        let status = EventStatus::Reported;
        let at = ctx.at.as_micros();
        let dedup_key = new
            .grid_code
            .as_ref()
            .map(|g| format!("{}|{}", new.category, g));
        let phone = new.reporter_phone.as_ref();
        let row = GridEventRow {
            id: new.id.clone(),
            number,
            category: new.category.clone(),
            title: new.title.clone(),
            description: new.description.clone(),
            source: new.source.clone(),
            status: status.code().to_owned(),
            lat: new.lat,
            lng: new.lng,
            address: new.address.clone(),
            grid_code: new.grid_code.clone(),
            grid_codes: serde_json::to_string(&new.grid_codes)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            region_path: new.region_path.clone(),
            reporter_user_id: new.reporter_user_id.clone(),
            reporter_name: new.reporter_name.clone(),
            reporter_phone_enc: phone.map(|p| p.enc.clone()),
            reporter_phone_index: phone.map(|p| p.index.clone()),
            reporter_phone_masked: phone.map(|p| p.masked.clone()),
            external_id: new.external_id.clone(),
            dedup_key,
            idempotency_key: new.idempotency_key.clone(),
            department_org_id: None,
            dispatch_json: None,
            dispute_id: None,
            attributes_json: new.attributes.to_string(),
            urgent: new.urgent,
            evaluation_score: None,
            evaluation_comment: None,
            created_at: at,
            updated_at: at,
            closed_at: None,
        };
        tx.execute(
            &Query::insert()
                .into_table(GridEvents::Table)
                .columns(EVENT_COLUMNS)
                .values_panic([
                    row.id.clone().into(),
                    row.number.clone().into(),
                    row.category.clone().into(),
                    row.title.clone().into(),
                    row.description.clone().into(),
                    row.source.clone().into(),
                    row.status.clone().into(),
                    row.lat.into(),
                    row.lng.into(),
                    row.address.clone().into(),
                    row.grid_code.clone().into(),
                    row.grid_codes.clone().into(),
                    row.region_path.clone().into(),
                    row.reporter_user_id.clone().into(),
                    row.reporter_name.clone().into(),
                    row.reporter_phone_enc.clone().into(),
                    row.reporter_phone_index.clone().into(),
                    row.reporter_phone_masked.clone().into(),
                    row.external_id.clone().into(),
                    row.dedup_key.clone().into(),
                    row.idempotency_key.clone().into(),
                    row.department_org_id.clone().into(),
                    row.dispatch_json.clone().into(),
                    row.dispute_id.clone().into(),
                    row.attributes_json.clone().into(),
                    row.urgent.into(),
                    row.evaluation_score.into(),
                    row.evaluation_comment.clone().into(),
                    row.created_at.into(),
                    row.updated_at.into(),
                    row.closed_at.into(),
                ])
                .to_owned(),
        )
        .await?;
        let detail = serde_json::json!({
            "source": row.source,
            "grid_code": row.grid_code,
            "possible_duplicates": possible_duplicates,
        });
        insert_step(
            &mut tx,
            ctx,
            &NewStep {
                event_id: &row.id,
                actor_kind: "reporter",
                action: "report",
                from: None,
                to: status.code(),
                note: "",
                detail: &detail,
            },
        )
        .await?;
        if let Some(clock) = status.clock() {
            clocks::start_in(&mut tx, &row.id, clock, status.code(), ctx.at).await?;
        }
        audit::append(
            &mut tx,
            ctx,
            "grid_event.report",
            "grid_event",
            &row.id,
            None::<&()>,
            Some(&row),
        )
        .await?;
        tx.commit().await?;
        Ok(ReportOutcome {
            event: row,
            replayed: false,
            possible_duplicates,
        })
    }

    async fn similar_open_events(
        &self,
        tx: &mut Tx,
        new: &NewGridEvent,
        at: Timestamp,
    ) -> Result<Vec<String>> {
        let Some(grid) = &new.grid_code else {
            return Ok(Vec::new());
        };
        let candidates: Vec<GridEventRow> = tx
            .fetch_all(
                &select_events()
                    .and_where(Expr::col(GridEvents::Category).eq(new.category.as_str()))
                    .and_where(Expr::col(GridEvents::GridCode).eq(grid.as_str()))
                    .and_where(Expr::col(GridEvents::Status).is_in(EventStatus::open_codes()))
                    .and_where(
                        Expr::col(GridEvents::CreatedAt)
                            .gte(at.as_micros() - DUPLICATE_WINDOW_SECS * 1_000_000),
                    )
                    .limit(50)
                    .to_owned(),
            )
            .await?;
        let phone = new.reporter_phone.as_ref().map(|p| p.index.as_str());
        Ok(candidates
            .into_iter()
            .filter(|c| {
                let same_phone = phone.is_some() && c.reporter_phone_index.as_deref() == phone;
                let near = match (new.lat, new.lng, c.lat, c.lng) {
                    (Some(a), Some(b), Some(x), Some(y)) => {
                        haversine_m((a, b), (x, y)) <= DUPLICATE_RADIUS_M
                    }
                    _ => false,
                };
                same_phone || near
            })
            .map(|c| c.number)
            .collect())
    }

    /// One event if it is in scope.
    pub async fn grid_event(&self, scope: &Scope, id: &str) -> Result<GridEventRow> {
        self.fetch_optional(
            &select_events()
                .and_where(Expr::col(GridEvents::Id).eq(id))
                .and_where(scope.path_condition(GridEvents::RegionPath))
                .to_owned(),
        )
        .await?
        .ok_or(StoreError::NotFound {
            entity: "grid_event",
        })
    }

    /// Looks an event up by id without a scope check (department and reporter access decide
    /// themselves whether they may see it).
    pub async fn grid_event_unscoped(&self, id: &str) -> Result<GridEventRow> {
        self.grid_event(&Scope::Everything, id).await
    }

    pub async fn grid_event_detail(&self, event: GridEventRow) -> Result<GridEventDetail> {
        let steps: Vec<StepRow> = self
            .fetch_all(
                &Query::select()
                    .columns(STEP_COLUMNS)
                    .from(GridEventSteps::Table)
                    .and_where(Expr::col(GridEventSteps::EventId).eq(event.id.as_str()))
                    .order_by(GridEventSteps::Id, Order::Asc)
                    .to_owned(),
            )
            .await?;
        let photos = self.grid_event_photos(&event.id).await?;
        let clocks = self.grid_event_clocks(&event.id).await?;
        Ok(GridEventDetail {
            event,
            steps,
            photos,
            clocks,
        })
    }

    pub async fn list_grid_events(
        &self,
        filter: &GridEventFilter,
        page: PageRequest,
    ) -> Result<Page<GridEventRow>> {
        let mut q = select_events();
        if let Some(scope) = &filter.scope {
            q.and_where(scope.path_condition((GridEvents::Table, GridEvents::RegionPath)));
        }
        if let Some(org) = &filter.department_org_id {
            q.and_where(Expr::col(GridEvents::DepartmentOrgId).eq(org.as_str()));
        }
        if let Some(user) = &filter.reporter_user_id {
            q.and_where(Expr::col(GridEvents::ReporterUserId).eq(user.as_str()));
        }
        if !filter.statuses.is_empty() {
            q.and_where(Expr::col(GridEvents::Status).is_in(filter.statuses.iter().cloned()));
        }
        if filter.open_only {
            q.and_where(Expr::col(GridEvents::Status).is_in(EventStatus::open_codes()));
        }
        if let Some(c) = &filter.category {
            q.and_where(Expr::col(GridEvents::Category).eq(c.as_str()));
        }
        if let Some(s) = &filter.source {
            q.and_where(Expr::col(GridEvents::Source).eq(s.as_str()));
        }
        if let Some(g) = &filter.grid_code {
            q.and_where(Expr::col(GridEvents::GridCode).eq(g.as_str()));
        }
        if !filter.ids.is_empty() {
            q.and_where(Expr::col(GridEvents::Id).is_in(filter.ids.iter().cloned()));
        }
        if let Some(from) = filter.created_from {
            q.and_where(Expr::col(GridEvents::CreatedAt).gte(from));
        }
        if let Some(to) = filter.created_to {
            q.and_where(Expr::col(GridEvents::CreatedAt).lte(to));
        }
        if let Some(text) = filter.search.as_deref().filter(|t| !t.trim().is_empty()) {
            q.and_where(
                Expr::col(GridEvents::Title)
                    .like(contains(text.trim()))
                    .or(Expr::col(GridEvents::Description).like(contains(text.trim())))
                    .or(Expr::col(GridEvents::Number).like(contains(text.trim())))
                    .or(Expr::col(GridEvents::Address).like(contains(text.trim()))),
            );
        }
        let total = self
            .fetch_count(
                &q.clone()
                    .clear_selects()
                    .expr(Expr::col((GridEvents::Table, GridEvents::Id)).count())
                    .to_owned(),
            )
            .await?;
        q.order_by(GridEvents::CreatedAt, Order::Desc)
            .order_by(GridEvents::Id, Order::Desc);
        page.apply(&mut q);
        let items = self.fetch_all(&q).await?;
        Ok(Page::new(items, total, page))
    }

    /// Applies one step. `dispatch` carries the dispatcher's explanation for a dispatch step;
    /// `dispute_id` the case a transfer created. The status update is conditional on the status
    /// read, so two people acting at once cannot both move the event.
    pub async fn apply_grid_command(
        &self,
        ctx: &AuditCtx,
        issuer: &StepIssuer,
        id: &str,
        command: &Command,
        extra: &serde_json::Value,
    ) -> Result<GridEventRow> {
        let mut tx = self.begin().await?;
        let event = event_in(&mut tx, id).await?;
        // The report itself counts as the start for on-the-spot evidence (scene photos taken
        // with the report are the proof); later steps need photos taken after they began.
        let since = if event.status == EventStatus::Reported.code() {
            event.created_at
        } else {
            event.updated_at
        };
        let evidence_count = photos::count_since_in(&mut tx, id, since).await?;
        let state = EventState {
            status: event.status()?,
            evidence_count,
            reported_by_grid_worker: event.source == "grid_worker",
        };
        let decision = decide(&state, &issuer.actor, command).map_err(grid_error)?;
        let mut after = event.clone();
        after.status = decision.to.code().to_owned();
        after.updated_at = ctx.at.as_micros();
        after.closed_at = if decision.to.is_open() {
            None
        } else {
            event.closed_at.or(Some(ctx.at.as_micros()))
        };
        match command {
            Command::Dispatch {
                department_org_id, ..
            } => {
                catalogue::ensure_department_in(&mut tx, department_org_id).await?;
                after.department_org_id = Some(department_org_id.clone());
                after.dispatch_json = Some(extra.to_string());
            }
            Command::Evaluate {
                satisfaction,
                comment,
            } => {
                after.evaluation_score = Some(i64::from(*satisfaction));
                after.evaluation_comment = Some(comment.clone());
            }
            Command::TransferToDispute { .. } => {
                let dispute = extra
                    .get("dispute_id")
                    .and_then(|v| v.as_str())
                    .ok_or_else(|| {
                        StoreError::invalid("dispute_id", "required", "转案须给出新案件编号")
                    })?;
                after.dispute_id = Some(dispute.to_owned());
            }
            Command::Reopen { .. } => {
                after.evaluation_score = None;
                after.evaluation_comment = None;
            }
            _ => {}
        }
        let changed = tx
            .execute(
                &Query::update()
                    .table(GridEvents::Table)
                    .values([
                        (GridEvents::Status, after.status.clone().into()),
                        (GridEvents::UpdatedAt, after.updated_at.into()),
                        (GridEvents::ClosedAt, after.closed_at.into()),
                        (
                            GridEvents::DepartmentOrgId,
                            after.department_org_id.clone().into(),
                        ),
                        (GridEvents::DispatchJson, after.dispatch_json.clone().into()),
                        (GridEvents::EvaluationScore, after.evaluation_score.into()),
                        (
                            GridEvents::EvaluationComment,
                            after.evaluation_comment.clone().into(),
                        ),
                        (GridEvents::DisputeId, after.dispute_id.clone().into()),
                    ])
                    .and_where(Expr::col(GridEvents::Id).eq(id))
                    .and_where(Expr::col(GridEvents::Status).eq(event.status.as_str()))
                    .to_owned(),
            )
            .await?;
        if changed != 1 {
            return Err(StoreError::Conflict {
                field: "status".into(),
            });
        }
        clocks::stop_all_in(&mut tx, id, ctx.at).await?;
        if let Some(clock) = decision.start_clock {
            clocks::start_in(&mut tx, id, clock, decision.to.code(), ctx.at).await?;
        }
        let mut detail = serde_json::json!({ "command": command });
        if !extra.is_null()
            && let Some(obj) = detail.as_object_mut()
        {
            obj.insert("extra".into(), extra.clone());
        }
        insert_step(
            &mut tx,
            ctx,
            &NewStep {
                event_id: id,
                actor_kind: issuer.actor_kind,
                action: command.name(),
                from: Some(&event.status),
                to: decision.to.code(),
                note: command.text(),
                detail: &detail,
            },
        )
        .await?;
        audit::append(
            &mut tx,
            ctx,
            &format!("grid_event.{}", command.name()),
            "grid_event",
            id,
            Some(&serde_json::json!({ "status": event.status })),
            Some(
                &serde_json::json!({ "status": after.status, "command": command, "extra": extra }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Counts of events by status in scope (overview figures, the grid map).
    pub async fn grid_event_counts(
        &self,
        scope: &Scope,
        grid_code: Option<&str>,
    ) -> Result<Vec<(String, i64)>> {
        let mut q = Query::select()
            .column(GridEvents::Status)
            .expr(Expr::col(GridEvents::Id).count())
            .from(GridEvents::Table)
            .and_where(scope.path_condition(GridEvents::RegionPath))
            .group_by_col(GridEvents::Status)
            .to_owned();
        if let Some(g) = grid_code {
            q.and_where(Expr::col(GridEvents::GridCode).eq(g));
        }
        self.fetch_all(&q).await
    }
}
