//! Rules that change while the system runs — published calendar years, regional days, clock
//! definitions — kept in the database and served from one in-memory snapshot.
//!
//! Every deadline, clock badge and escalation timer needs the calendar, so reads must not touch
//! the database: the store keeps an immutable [`RuleSet`] behind a lock and swaps in a new one
//! after each change made through it and on [`Store::reload_rules`] (run by `migrate` at start).
//! Several servers on one PostgreSQL see each other's changes after their next reload.

use crate::audit::{self, AuditCtx};
use crate::db::Store;
use crate::error::{Result, StoreError};
use chrono::NaiveDate;
use fengqiao_domain::calendar::{
    CalendarDataError, OfficialCalendar, RegionalCalendar, RegionalOverlay, YearChange,
};
use fengqiao_domain::clock::{ClockDefinition, default_internal_targets, default_legal_clocks};
use fengqiao_domain::validation::FieldError;
use sea_query::{Expr, ExprTrait, Iden, OnConflict, Order, Query};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

#[derive(Iden)]
enum CalendarYears {
    Table,
    Year,
    SourceJson,
    Version,
    AddedBy,
    AddedAt,
}

#[derive(Iden)]
enum RegionalDays {
    Table,
    RegionCode,
    Day,
    Off,
    Name,
    UpdatedBy,
    UpdatedAt,
}

#[derive(Iden)]
enum ClockDefinitions {
    Table,
    Id,
    DefinitionJson,
    Version,
    UpdatedBy,
    UpdatedAt,
}

/// Every column of `regional_days`, in `RegionalDayRow`'s order (selects and the insert share it).
const REGIONAL_DAY_COLUMNS: [RegionalDays; 6] = [
    RegionalDays::RegionCode,
    RegionalDays::Day,
    RegionalDays::Off,
    RegionalDays::Name,
    RegionalDays::UpdatedBy,
    RegionalDays::UpdatedAt,
];

/// One clock definition as the system uses it, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClockEntry {
    pub definition: ClockDefinition,
    /// 0 for the shipped default; each admin change adds one.
    pub version: i64,
    /// Whether an administrator changed the shipped default (or added the clock).
    pub overridden: bool,
}

/// One regional rule as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RegionalDayRow {
    pub region_code: String,
    pub day: String,
    pub off: bool,
    pub name: String,
    pub updated_by: Option<String>,
    pub updated_at: i64,
}

/// Everything a deadline needs, at one moment. Cheap to share (`Arc`), never mutated.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub calendar: OfficialCalendar,
    /// Regional overlays by region code.
    pub overlays: BTreeMap<String, RegionalOverlay>,
    /// Clock definitions by id: the shipped defaults with administrators' overrides applied.
    pub clocks: BTreeMap<String, ClockEntry>,
    /// Years added by administrators (on top of the embedded 2007–2026 data).
    pub added_years: Vec<i32>,
}

impl RuleSet {
    /// The embedded calendar and the default clocks: what a fresh database starts from.
    pub fn defaults() -> Result<Self> {
        let calendar = OfficialCalendar::shared()
            .map_err(|e| StoreError::Corrupt(format!("embedded calendar: {e}")))?
            .clone();
        let clocks = default_legal_clocks()
            .into_iter()
            .chain(default_internal_targets())
            .map(|d| {
                (
                    d.id.clone(),
                    ClockEntry {
                        definition: d,
                        version: 0,
                        overridden: false,
                    },
                )
            })
            .collect();
        Ok(Self {
            calendar,
            overlays: BTreeMap::new(),
            clocks,
            added_years: Vec::new(),
        })
    }

    /// The calendar as a case in `region_path` (`/339900/339902/…/`) sees it: the overlays of
    /// every region on the path apply, the most local last (so it wins).
    pub fn calendar_for(&self, region_path: &str) -> RegionalCalendar<'_> {
        let overlays = region_path
            .split('/')
            .filter(|c| !c.is_empty())
            .filter_map(|code| self.overlays.get(code))
            .collect();
        RegionalCalendar::new(&self.calendar, overlays)
    }

    pub fn clock(&self, id: &str) -> Option<&ClockDefinition> {
        self.clocks.get(id).map(|e| &e.definition)
    }
}

/// The store's shared, swappable snapshot.
#[derive(Debug)]
pub struct LiveRules {
    current: RwLock<Arc<RuleSet>>,
}

impl LiveRules {
    pub fn new(set: RuleSet) -> Self {
        Self {
            current: RwLock::new(Arc::new(set)),
        }
    }

    pub fn snapshot(&self) -> Arc<RuleSet> {
        match self.current.read() {
            Ok(guard) => guard.clone(),
            // A panic while swapping cannot leave a half-written Arc: the old value is still whole.
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn replace(&self, set: RuleSet) {
        let next = Arc::new(set);
        match self.current.write() {
            Ok(mut guard) => *guard = next,
            Err(poisoned) => *poisoned.into_inner() = next,
        }
    }
}

#[derive(sqlx::FromRow)]
struct YearRow {
    year: i64,
    source_json: String,
}

#[derive(sqlx::FromRow)]
struct ClockRowDb {
    id: String,
    definition_json: String,
    version: i64,
}

/// What adding a calendar year did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearAdded {
    #[serde(flatten)]
    pub change: YearChange,
}

fn field(field: &str, code: &str, message: impl Into<String>) -> StoreError {
    StoreError::Invalid(vec![FieldError::new(field, code, message)])
}

fn calendar_error(e: CalendarDataError) -> StoreError {
    field(
        "source_json",
        "invalid_calendar",
        format!("日历数据无效：{e}"),
    )
}

impl Store {
    /// The rules in force now (calendar, regional days, clocks). Never touches the database.
    pub fn rules(&self) -> Arc<RuleSet> {
        self.live_rules().snapshot()
    }

    /// Rebuilds the snapshot from the database: embedded data, then stored years, overlays and
    /// clock overrides. A stored row that no longer parses is an error, not silently skipped.
    pub async fn reload_rules(&self) -> Result<Arc<RuleSet>> {
        let mut set = RuleSet::defaults()?;
        let years: Vec<YearRow> = self
            .fetch_all(
                &Query::select()
                    .columns([CalendarYears::Year, CalendarYears::SourceJson])
                    .from(CalendarYears::Table)
                    .order_by(CalendarYears::Year, Order::Asc)
                    .to_owned(),
            )
            .await?;
        for y in years {
            set.calendar.add_year(&y.source_json).map_err(|e| {
                StoreError::Corrupt(format!("stored calendar year {}: {e}", y.year))
            })?;
            set.added_years.push(y.year as i32);
        }
        let days: Vec<RegionalDayRow> = self
            .fetch_all(
                &Query::select()
                    .columns(REGIONAL_DAY_COLUMNS)
                    .from(RegionalDays::Table)
                    .order_by(RegionalDays::RegionCode, Order::Asc)
                    .order_by(RegionalDays::Day, Order::Asc)
                    .to_owned(),
            )
            .await?;
        for d in days {
            let date = NaiveDate::parse_from_str(&d.day, "%Y-%m-%d")
                .map_err(|e| StoreError::Corrupt(format!("regional day {}: {e}", d.day)))?;
            let overlay = match set.overlays.entry(d.region_code.clone()) {
                std::collections::btree_map::Entry::Occupied(o) => o.into_mut(),
                std::collections::btree_map::Entry::Vacant(v) => v.insert(
                    RegionalOverlay::new(&d.region_code)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                ),
            };
            let added = if d.off {
                overlay.add_day_off(date, &d.name)
            } else {
                overlay.add_working_day(date, &d.name)
            };
            added.map_err(|e| StoreError::Corrupt(e.to_string()))?;
        }
        let clocks: Vec<ClockRowDb> = self
            .fetch_all(
                &Query::select()
                    .columns([
                        ClockDefinitions::Id,
                        ClockDefinitions::DefinitionJson,
                        ClockDefinitions::Version,
                    ])
                    .from(ClockDefinitions::Table)
                    .to_owned(),
            )
            .await?;
        for c in clocks {
            let definition: ClockDefinition = serde_json::from_str(&c.definition_json)
                .map_err(|e| StoreError::Corrupt(format!("clock definition {}: {e}", c.id)))?;
            set.clocks.insert(
                c.id,
                ClockEntry {
                    definition,
                    version: c.version,
                    overridden: true,
                },
            );
        }
        self.live_rules().replace(set);
        Ok(self.rules())
    }

    /// Adds a newly published year (holiday-cn JSON) or replaces one by a corrected notice.
    /// Checked against the live calendar first, so a file that would not load is never stored.
    pub async fn add_calendar_year(&self, ctx: &AuditCtx, source_json: &str) -> Result<YearChange> {
        let mut trial = self.rules().calendar.clone();
        let change = trial.add_year(source_json).map_err(calendar_error)?;
        let year = match &change {
            YearChange::Added { year, .. }
            | YearChange::Replaced { year, .. }
            | YearChange::Unchanged { year }
            | YearChange::RecordedUnpublished { year } => *year,
        };
        if matches!(change, YearChange::Unchanged { .. }) {
            return Ok(change);
        }
        let version = trial
            .arrangement(year)
            .map(|a| a.version())
            .unwrap_or_default();
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::insert()
                .into_table(CalendarYears::Table)
                .columns([
                    CalendarYears::Year,
                    CalendarYears::SourceJson,
                    CalendarYears::Version,
                    CalendarYears::AddedBy,
                    CalendarYears::AddedAt,
                ])
                .values_panic([
                    i64::from(year).into(),
                    source_json.into(),
                    version.clone().into(),
                    ctx.actor_user_id.clone().into(),
                    ctx.at.as_micros().into(),
                ])
                .on_conflict(
                    OnConflict::column(CalendarYears::Year)
                        .update_columns([
                            CalendarYears::SourceJson,
                            CalendarYears::Version,
                            CalendarYears::AddedBy,
                            CalendarYears::AddedAt,
                        ])
                        .to_owned(),
                )
                .to_owned(),
        )
        .await?;
        audit::append(
            &mut tx,
            ctx,
            "calendar.year",
            "calendar_year",
            &year.to_string(),
            None::<&()>,
            Some(&change),
        )
        .await?;
        tx.commit().await?;
        self.reload_rules().await?;
        Ok(change)
    }

    /// Sets a region's own day off (`off`) or working day on `day`, replacing its earlier rule.
    pub async fn set_regional_day(
        &self,
        ctx: &AuditCtx,
        region_code: &str,
        day: NaiveDate,
        off: bool,
        name: &str,
    ) -> Result<RegionalDayRow> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 50 || name.chars().any(char::is_control) {
            return Err(field("name", "invalid", "请填写节日名称（50 字以内）"));
        }
        let mut tx = self.begin().await?;
        let exists: Option<(String,)> = tx
            .fetch_optional(
                &Query::select()
                    .column(crate::regions::Regions::Code)
                    .from(crate::regions::Regions::Table)
                    .and_where(Expr::col(crate::regions::Regions::Code).eq(region_code))
                    .to_owned(),
            )
            .await?;
        if exists.is_none() {
            return Err(field(
                "region_code",
                "not_found",
                format!("区域 {region_code} 不存在"),
            ));
        }
        let row = RegionalDayRow {
            region_code: region_code.to_owned(),
            day: day.format("%Y-%m-%d").to_string(),
            off,
            name: name.to_owned(),
            updated_by: ctx.actor_user_id.clone(),
            updated_at: ctx.at.as_micros(),
        };
        let before = regional_day_in(&mut tx, region_code, &row.day).await?;
        tx.execute(
            &Query::insert()
                .into_table(RegionalDays::Table)
                .columns(REGIONAL_DAY_COLUMNS)
                .values_panic([
                    row.region_code.clone().into(),
                    row.day.clone().into(),
                    row.off.into(),
                    row.name.clone().into(),
                    row.updated_by.clone().into(),
                    row.updated_at.into(),
                ])
                .on_conflict(
                    OnConflict::columns([RegionalDays::RegionCode, RegionalDays::Day])
                        .update_columns([
                            RegionalDays::Off,
                            RegionalDays::Name,
                            RegionalDays::UpdatedBy,
                            RegionalDays::UpdatedAt,
                        ])
                        .to_owned(),
                )
                .to_owned(),
        )
        .await?;
        audit::append(
            &mut tx,
            ctx,
            "calendar.regional_day",
            "region",
            region_code,
            before.as_ref(),
            Some(&row),
        )
        .await?;
        tx.commit().await?;
        self.reload_rules().await?;
        Ok(row)
    }

    /// Removes a region's rule for `day`; `NotFound` when it had none.
    pub async fn remove_regional_day(
        &self,
        ctx: &AuditCtx,
        region_code: &str,
        day: NaiveDate,
    ) -> Result<()> {
        let day = day.format("%Y-%m-%d").to_string();
        let mut tx = self.begin().await?;
        let Some(before) = regional_day_in(&mut tx, region_code, &day).await? else {
            return Err(StoreError::NotFound {
                entity: "regional day",
            });
        };
        tx.execute(
            &Query::delete()
                .from_table(RegionalDays::Table)
                .and_where(Expr::col(RegionalDays::RegionCode).eq(region_code))
                .and_where(Expr::col(RegionalDays::Day).eq(day.as_str()))
                .to_owned(),
        )
        .await?;
        audit::append(
            &mut tx,
            ctx,
            "calendar.regional_day_removed",
            "region",
            region_code,
            Some(&before),
            None::<&()>,
        )
        .await?;
        tx.commit().await?;
        self.reload_rules().await?;
        Ok(())
    }

    /// Regional rules, for one region or all.
    pub async fn regional_days(&self, region_code: Option<&str>) -> Result<Vec<RegionalDayRow>> {
        let mut q = Query::select()
            .columns(REGIONAL_DAY_COLUMNS)
            .from(RegionalDays::Table)
            .order_by(RegionalDays::Day, Order::Asc)
            .to_owned();
        if let Some(code) = region_code {
            q.and_where(Expr::col(RegionalDays::RegionCode).eq(code));
        }
        self.fetch_all(&q).await
    }

    /// Saves a clock definition (a changed default or a new clock) after the domain's checks.
    /// `expected_version` guards against two admins overwriting each other.
    pub async fn save_clock_definition(
        &self,
        ctx: &AuditCtx,
        definition: &ClockDefinition,
        expected_version: Option<i64>,
    ) -> Result<ClockEntry> {
        definition
            .validate()
            .map_err(|e| field("definition", "invalid_clock", e.to_string()))?;
        let current = self.rules().clocks.get(&definition.id).cloned();
        // 0 for a shipped default never changed (and for a clock that does not exist yet).
        let current_version = current.as_ref().map_or(0, |c| c.version);
        if let Some(expected) = expected_version
            && expected != current_version
        {
            return Err(field(
                "expected_version",
                "stale_version",
                format!(
                    "时限 {} 已被他人修改（当前版本 {}），请刷新后再改",
                    definition.id, current_version
                ),
            ));
        }
        let version = current_version + 1;
        let json = serde_json::to_string(definition)
            .map_err(|e| StoreError::Corrupt(format!("clock definition: {e}")))?;
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::insert()
                .into_table(ClockDefinitions::Table)
                .columns([
                    ClockDefinitions::Id,
                    ClockDefinitions::DefinitionJson,
                    ClockDefinitions::Version,
                    ClockDefinitions::UpdatedBy,
                    ClockDefinitions::UpdatedAt,
                ])
                .values_panic([
                    definition.id.clone().into(),
                    json.into(),
                    version.into(),
                    ctx.actor_user_id.clone().into(),
                    ctx.at.as_micros().into(),
                ])
                .on_conflict(
                    OnConflict::column(ClockDefinitions::Id)
                        .update_columns([
                            ClockDefinitions::DefinitionJson,
                            ClockDefinitions::Version,
                            ClockDefinitions::UpdatedBy,
                            ClockDefinitions::UpdatedAt,
                        ])
                        .to_owned(),
                )
                .to_owned(),
        )
        .await?;
        audit::append(
            &mut tx,
            ctx,
            "clock_definition.save",
            "clock_definition",
            &definition.id,
            current.as_ref().map(|c| &c.definition),
            Some(definition),
        )
        .await?;
        tx.commit().await?;
        let set = self.reload_rules().await?;
        set.clocks
            .get(&definition.id)
            .cloned()
            .ok_or(StoreError::NotFound { entity: "clock" })
    }
}

async fn regional_day_in(
    tx: &mut crate::db::Tx,
    region_code: &str,
    day: &str,
) -> Result<Option<RegionalDayRow>> {
    Ok(tx
        .fetch_optional(
            &Query::select()
                .columns(REGIONAL_DAY_COLUMNS)
                .from(RegionalDays::Table)
                .and_where(Expr::col(RegionalDays::RegionCode).eq(region_code))
                .and_where(Expr::col(RegionalDays::Day).eq(day))
                .to_owned(),
        )
        .await?)
}
