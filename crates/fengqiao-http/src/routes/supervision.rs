//! 督办 — clocks of open cases on the official calendar: green, yellow (warning window), red (due
//! or overdue), legal limits kept apart from internal service targets.

use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::{ApiQuery, CurrentUser};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use fengqiao_domain::clock::{ClockDefinition, ClockRun, ClockStatus, Pause, clock_state};
use fengqiao_domain::role::Role;
use fengqiao_domain::time::Timestamp;
use fengqiao_store::disputes::granted_extensions;
use fengqiao_store::disputes::{CaseScope, OpenClockRow, StoredPause};
use fengqiao_store::rules::RuleSet;
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SupervisionQuery {
    /// Only red (due or overdue) clocks.
    pub overdue_only: Option<bool>,
    /// Only the clocks of this case.
    pub dispute_id: Option<String>,
    /// `dispute`, `grid_event` or `all` (default).
    pub subject: Option<String>,
}

/// One clock as supervision shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClockItem {
    /// `dispute` or `grid_event`: what the clock runs on.
    pub subject: String,
    /// The case's (or grid event's) id.
    pub dispute_id: String,
    pub code: String,
    pub title: String,
    pub stage: String,
    pub clock_id: String,
    pub name_zh: String,
    /// A legal limit (shown to parties as the law) or an internal service target (never shown as law).
    pub is_law: bool,
    pub citation: String,
    #[schema(value_type = String, format = Date)]
    pub due: NaiveDate,
    /// green | yellow | red
    pub status: String,
    pub days_left: Option<u32>,
    pub days_overdue: u32,
    pub overdue: bool,
    pub paused: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SupervisionList {
    pub items: Vec<ClockItem>,
    /// Clocks that cannot be computed (e.g. running into a year whose holidays are unpublished).
    pub uncomputable: Vec<String>,
    pub overdue: usize,
    pub total: usize,
}

fn run_of(row: &OpenClockRow, def: &ClockDefinition) -> Result<ClockRun, ApiError> {
    let stored: Vec<StoredPause> = serde_json::from_str(&row.pauses_json).unwrap_or_default();
    let pauses = stored
        .into_iter()
        // Only pauses the clock's own rule excludes stop it (an absent party does not stop a
        // labour mediation's 15 days; an appraisal stops a medical one's).
        .filter(|p| def.pause_conditions.iter().any(|c| c == &p.condition))
        .map(|p| Pause {
            condition: p.condition,
            from: Timestamp::from_micros(p.from).china_date(),
            until: p.until.map(|u| Timestamp::from_micros(u).china_date()),
        })
        .collect();
    let extensions = granted_extensions(&row.extensions_json)?
        .into_iter()
        .map(|e| e.granted)
        .collect();
    Ok(ClockRun {
        started_on: Timestamp::from_micros(row.started_at).china_date(),
        pauses,
        extensions,
    })
}

/// Computes every clock's state today, each on its case's regional calendar.
pub fn states(
    rules: &RuleSet,
    rows: &[OpenClockRow],
    today: NaiveDate,
) -> Result<SupervisionList, ApiError> {
    let mut items = Vec::new();
    let mut uncomputable = Vec::new();
    for row in rows {
        let Some(def) = rules.clock(&row.clock_id) else {
            uncomputable.push(format!("{}: unknown clock {}", row.code, row.clock_id));
            continue;
        };
        let calendar = rules.calendar_for(&row.region_path);
        match clock_state(def, &run_of(row, def)?, &calendar, today) {
            Ok(state) => items.push(ClockItem {
                subject: "dispute".to_owned(),
                dispute_id: row.dispute_id.clone(),
                code: row.code.clone(),
                title: row.title.clone(),
                stage: row.stage.clone(),
                clock_id: row.clock_id.clone(),
                name_zh: def.name_zh.clone(),
                is_law: state.is_law,
                citation: def
                    .citation()
                    .unwrap_or_else(|| "内部服务时限（非法定）".to_owned()),
                due: state.due,
                status: match state.status {
                    ClockStatus::Green => "green",
                    ClockStatus::Yellow => "yellow",
                    ClockStatus::Red => "red",
                }
                .to_owned(),
                days_left: state.days_left,
                days_overdue: state.days_overdue,
                overdue: state.overdue,
                paused: row.paused_since.is_some(),
            }),
            Err(e) => uncomputable.push(format!("{} {}: {e}", row.code, def.name_zh)),
        }
    }
    items.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then(b.days_overdue.cmp(&a.days_overdue))
            .then(a.due.cmp(&b.due))
            .then(b.is_law.cmp(&a.is_law))
    });
    let overdue = items.iter().filter(|i| i.overdue).count();
    let total = items.len();
    Ok(SupervisionList {
        items,
        uncomputable,
        overdue,
        total,
    })
}

/// Grid event clocks as supervision items (the same calendar and definitions as cases).
pub fn grid_states(
    rules: &RuleSet,
    rows: &[fengqiao_store::grid_events::OpenGridClockRow],
    today: NaiveDate,
) -> Result<SupervisionList, ApiError> {
    let shaped: Vec<OpenClockRow> = rows
        .iter()
        .map(|r| OpenClockRow {
            clock_row_id: r.clock_row_id.clone(),
            dispute_id: r.event_id.clone(),
            code: r.number.clone(),
            title: r.title.clone(),
            stage: r.status.clone(),
            clock_id: r.clock_id.clone(),
            started_at: r.started_at,
            paused_since: None,
            pauses_json: r.pauses_json.clone(),
            extensions_json: r.extensions_json.clone(),
            region_path: r.region_path.clone(),
        })
        .collect();
    let mut list = states(rules, &shaped, today)?;
    for item in &mut list.items {
        item.subject = "grid_event".to_owned();
    }
    Ok(list)
}

/// The running clock of one grid event, as its detail page shows it.
pub fn grid_clock_of(
    state: &AppState,
    detail: &fengqiao_store::grid_events::GridEventDetail,
) -> Result<Option<ClockItem>, ApiError> {
    let Some(running) = detail.clocks.iter().find(|c| c.stopped_at.is_none()) else {
        return Ok(None);
    };
    let row = fengqiao_store::grid_events::OpenGridClockRow {
        clock_row_id: running.id.clone(),
        event_id: detail.event.id.clone(),
        number: detail.event.number.clone(),
        title: detail.event.title.clone(),
        status: detail.event.status.clone(),
        clock_id: running.clock_id.clone(),
        started_at: running.started_at,
        pauses_json: running.pauses_json.clone(),
        extensions_json: running.extensions_json.clone(),
        region_path: detail.event.region_path.clone(),
        department_org_id: detail.event.department_org_id.clone(),
        urgent: detail.event.urgent,
    };
    let list = grid_states(&state.store.rules(), &[row], state.clock.now().china_date())?;
    Ok(list.items.into_iter().next())
}

/// The supervision list (督办): running clocks of open cases in my jurisdiction or assigned to my body.
#[utoipa::path(get, path = "/api/v1/supervision", tag = "disputes", params(SupervisionQuery),
    responses((status = 200, body = SupervisionList), (status = 403, body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<SupervisionQuery>,
) -> ApiResult<Json<SupervisionList>> {
    if me.has(Role::Citizen) {
        return Err(ApiError::Forbidden);
    }
    let scope = CaseScope {
        region: me.scope.clone(),
        org_id: Some(me.user.org_id.clone()),
    };
    let subject = q.subject.as_deref().unwrap_or("all");
    if !["all", "dispute", "grid_event"].contains(&subject) {
        return Err(ApiError::invalid(
            "subject",
            "unknown",
            "须为 dispute、grid_event 或 all",
        ));
    }
    let rules = state.store.rules();
    let today = state.clock.now().china_date();
    let mut rows = if subject == "grid_event" {
        Vec::new()
    } else {
        state.store.open_clocks(&scope).await?
    };
    if let Some(id) = &q.dispute_id {
        rows.retain(|r| &r.dispute_id == id);
    }
    let mut list = states(&rules, &rows, today)?;
    if subject != "dispute" && q.dispute_id.is_none() {
        let grid_rows = state
            .store
            .open_grid_clocks(&me.scope, Some(&me.user.org_id))
            .await?;
        let grid = grid_states(&rules, &grid_rows, today)?;
        list.items.extend(grid.items);
        list.uncomputable.extend(grid.uncomputable);
        list.items.sort_by(|a, b| {
            b.overdue
                .cmp(&a.overdue)
                .then(b.days_overdue.cmp(&a.days_overdue))
                .then(a.due.cmp(&b.due))
                .then(b.is_law.cmp(&a.is_law))
        });
        list.overdue = list.items.iter().filter(|i| i.overdue).count();
        list.total = list.items.len();
    }
    if q.overdue_only.unwrap_or(false) {
        list.items.retain(|i| i.status == "red");
    }
    Ok(Json(list))
}
