//! The clock of the step an event waits on: one running clock per event, stopped at every step
//! and started afresh for the next. Definitions and the calendar are the dispute engine's.

use super::GridEvents;
use crate::db::{Store, Tx};
use crate::error::Result;
use crate::scope::Scope;
use fengqiao_domain::grid_event::EventStatus;
use fengqiao_domain::time::Timestamp;
use sea_query::{Alias, Expr, ExprTrait, Iden, Order, Query};
use serde::Serialize;

#[derive(Iden, Clone, Copy)]
enum GridEventClocks {
    Table,
    Id,
    EventId,
    ClockId,
    Step,
    StartedAt,
    StoppedAt,
    PausesJson,
    ExtensionsJson,
}

const COLUMNS: [GridEventClocks; 8] = [
    GridEventClocks::Id,
    GridEventClocks::EventId,
    GridEventClocks::ClockId,
    GridEventClocks::Step,
    GridEventClocks::StartedAt,
    GridEventClocks::StoppedAt,
    GridEventClocks::PausesJson,
    GridEventClocks::ExtensionsJson,
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct GridClockRow {
    pub id: String,
    pub event_id: String,
    pub clock_id: String,
    /// The status the event waited in while this clock ran.
    pub step: String,
    pub started_at: i64,
    pub stopped_at: Option<i64>,
    pub pauses_json: String,
    pub extensions_json: String,
}

/// A running clock with what supervision shows beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct OpenGridClockRow {
    pub clock_row_id: String,
    pub event_id: String,
    pub number: String,
    pub title: String,
    pub status: String,
    pub clock_id: String,
    pub started_at: i64,
    pub pauses_json: String,
    pub extensions_json: String,
    pub region_path: String,
    pub department_org_id: Option<String>,
    pub urgent: bool,
}

pub(crate) async fn start_in(
    tx: &mut Tx,
    event_id: &str,
    clock_id: &str,
    step: &str,
    at: Timestamp,
) -> Result<()> {
    tx.execute(
        &Query::insert()
            .into_table(GridEventClocks::Table)
            .columns([
                GridEventClocks::Id,
                GridEventClocks::EventId,
                GridEventClocks::ClockId,
                GridEventClocks::Step,
                GridEventClocks::StartedAt,
            ])
            .values_panic([
                format!("{event_id}:{clock_id}:{}", at.as_micros()).into(),
                event_id.into(),
                clock_id.into(),
                step.into(),
                at.as_micros().into(),
            ])
            .to_owned(),
    )
    .await?;
    Ok(())
}

pub(crate) async fn stop_all_in(tx: &mut Tx, event_id: &str, at: Timestamp) -> Result<()> {
    tx.execute(
        &Query::update()
            .table(GridEventClocks::Table)
            .value(GridEventClocks::StoppedAt, at.as_micros())
            .and_where(Expr::col(GridEventClocks::EventId).eq(event_id))
            .and_where(Expr::col(GridEventClocks::StoppedAt).is_null())
            .to_owned(),
    )
    .await?;
    Ok(())
}

impl Store {
    /// Every clock an event has run, oldest first.
    pub async fn grid_event_clocks(&self, event_id: &str) -> Result<Vec<GridClockRow>> {
        self.fetch_all(
            &Query::select()
                .columns(COLUMNS)
                .from(GridEventClocks::Table)
                .and_where(Expr::col(GridEventClocks::EventId).eq(event_id))
                .order_by(GridEventClocks::StartedAt, Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// Running clocks of open events in `scope`, plus those dispatched to `department_org_id`.
    pub async fn open_grid_clocks(
        &self,
        scope: &Scope,
        department_org_id: Option<&str>,
    ) -> Result<Vec<OpenGridClockRow>> {
        let mut visible = scope.path_condition((GridEvents::Table, GridEvents::RegionPath));
        if let Some(org) = department_org_id {
            visible =
                visible.or(Expr::col((GridEvents::Table, GridEvents::DepartmentOrgId)).eq(org));
        }
        let q = Query::select()
            .expr_as(
                Expr::col((GridEventClocks::Table, GridEventClocks::Id)),
                Alias::new("clock_row_id"),
            )
            .column((GridEventClocks::Table, GridEventClocks::EventId))
            .columns([
                (GridEvents::Table, GridEvents::Number),
                (GridEvents::Table, GridEvents::Title),
                (GridEvents::Table, GridEvents::Status),
            ])
            .columns([
                (GridEventClocks::Table, GridEventClocks::ClockId),
                (GridEventClocks::Table, GridEventClocks::StartedAt),
                (GridEventClocks::Table, GridEventClocks::PausesJson),
                (GridEventClocks::Table, GridEventClocks::ExtensionsJson),
            ])
            .columns([
                (GridEvents::Table, GridEvents::RegionPath),
                (GridEvents::Table, GridEvents::DepartmentOrgId),
                (GridEvents::Table, GridEvents::Urgent),
            ])
            .from(GridEventClocks::Table)
            .inner_join(
                GridEvents::Table,
                Expr::col((GridEvents::Table, GridEvents::Id))
                    .equals((GridEventClocks::Table, GridEventClocks::EventId)),
            )
            .and_where(Expr::col((GridEventClocks::Table, GridEventClocks::StoppedAt)).is_null())
            .and_where(
                Expr::col((GridEvents::Table, GridEvents::Status)).is_in(EventStatus::open_codes()),
            )
            .and_where(visible)
            .order_by(
                (GridEventClocks::Table, GridEventClocks::StartedAt),
                Order::Asc,
            )
            .to_owned();
        self.fetch_all(&q).await
    }
}
