//! 工作日历 — the official Chinese working-day calendar with 调休, regional overlays, and deadlines counted on it.
//!
//! The State Council fixes each year's holidays and swapped working weekends (调休) by notice, so
//! the calendar is data: one arrangement per year, versioned by the notice it came from. A date in
//! a year with no published arrangement is refused ([`CalendarError::Unpublished`]), never guessed.

mod days_report;
mod deadline;
mod official;
mod regional;

pub use days_report::{DayLine, days_report, render_days_json_lines, render_deadline_json};
pub use deadline::{
    DateRange, DayBasis, Deadline, DeadlineRequest, MAX_DEADLINE_DAYS, YearSource,
    compute_deadline, deadline_calendar_days, deadline_working_days,
};
pub use official::{CalendarDataError, OfficialCalendar, YearArrangement, YearChange};
pub use regional::{RegionalCalendar, RegionalDay, RegionalOverlay, RegionalOverlayError};

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// What kind of day a date is on the official (or regional) calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// An ordinary Monday–Friday working day.
    Workday,
    /// An ordinary Saturday or Sunday rest day.
    Weekend,
    /// A day off set by the notice (法定节假日 or a day moved into the holiday by 调休).
    Holiday,
    /// A Saturday or Sunday made a working day by 调休 (or by a regional rule).
    AdjustedWorkday,
}

impl DayKind {
    pub fn is_working(self) -> bool {
        matches!(self, DayKind::Workday | DayKind::AdjustedWorkday)
    }

    pub fn code(self) -> &'static str {
        match self {
            DayKind::Workday => "workday",
            DayKind::Weekend => "weekend",
            DayKind::Holiday => "holiday",
            DayKind::AdjustedWorkday => "adjusted_workday",
        }
    }
}

/// One date as the calendar sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayInfo {
    pub date: NaiveDate,
    pub kind: DayKind,
    /// The holiday the day belongs to: the holiday itself, or the one a 调休 working day pays for.
    pub holiday: Option<String>,
    /// The region code whose overlay decided this day, when a regional rule did.
    pub region: Option<String>,
}

impl DayInfo {
    pub fn is_working(&self) -> bool {
        self.kind.is_working()
    }
}

/// Why the calendar cannot answer for a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error(
        "no published official holiday arrangement for {year}: refusing to decide working days in {year} rather than guess; add the State Council notice for {year} first"
    )]
    Unpublished { year: i32 },
    #[error("date arithmetic left chrono's range counting from {from}")]
    OutOfRange { from: NaiveDate },
    #[error("a deadline needs a length of at least 1 day, got 0")]
    ZeroLength,
    #[error("a deadline length of {length} days exceeds the supported {max}")]
    TooLong { length: u32, max: u32 },
    #[error("range start {from} is after its end {to}")]
    BackwardsRange { from: NaiveDate, to: NaiveDate },
}

/// Anything that can say whether a date is a working day: the official calendar or a regional view of it.
pub trait WorkingCalendar {
    /// The day's kind, or a refusal when its year has no published arrangement.
    fn day(&self, date: NaiveDate) -> Result<DayInfo, CalendarError>;

    /// The notice (version) a year's arrangement came from, when the year is published.
    fn year_source(&self, year: i32) -> Option<String>;

    fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        Ok(self.day(date)?.is_working())
    }
}

impl<T: WorkingCalendar + ?Sized> WorkingCalendar for &T {
    fn day(&self, date: NaiveDate) -> Result<DayInfo, CalendarError> {
        (**self).day(date)
    }
    fn year_source(&self, year: i32) -> Option<String> {
        (**self).year_source(year)
    }
}

pub(crate) fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

pub(crate) fn next_day(date: NaiveDate) -> Result<NaiveDate, CalendarError> {
    date.succ_opt()
        .ok_or(CalendarError::OutOfRange { from: date })
}

/// Chinese weekday name, for explanations an operator reads.
pub(crate) fn weekday_zh(date: NaiveDate) -> &'static str {
    match date.weekday() {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}
