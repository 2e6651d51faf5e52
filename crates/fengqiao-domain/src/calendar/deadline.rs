//! Deadlines counted on the calendar: calendar days with the rest-day rule, or working days, with pauses.
//!
//! Counting follows 民法典 art. 201 and 民诉法 art. 85: the day of the start event is not counted.
//! For calendar days, a last day that is a 法定休假日 moves to the first working day after it
//! (民法典 art. 203; 民诉法 art. 85). Ordinary weekends count as 法定休假日 and 调休 working
//! weekends do not, as courts apply the rule to the days actually rested.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{CalendarError, DayInfo, DayKind, WorkingCalendar, next_day, weekday_zh};

/// The longest deadline counted, about ten years: far beyond any legal clock, and it keeps a
/// mistyped length from walking the calendar for millions of days.
pub const MAX_DEADLINE_DAYS: u32 = 3660;

/// Whether a limit counts calendar days (日) or working days (工作日).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayBasis {
    Calendar,
    Working,
}

impl DayBasis {
    pub fn label(self) -> &'static str {
        match self {
            DayBasis::Calendar => "calendar days (日)",
            DayBasis::Working => "working days (工作日)",
        }
    }
}

/// An inclusive run of dates, e.g. the days a clock was paused for an appraisal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl DateRange {
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }
}

/// What to count: `length` days of `basis` after `start`, not counting days inside `paused`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineRequest {
    pub start: NaiveDate,
    pub length: u32,
    pub basis: DayBasis,
    #[serde(default)]
    pub paused: Vec<DateRange>,
}

/// The notice version a deadline's answer rested on, per year consulted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearSource {
    pub year: i32,
    pub version: String,
}

/// A computed deadline and how it was reached, so an operator can check it by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub start: NaiveDate,
    pub length: u32,
    pub basis: DayBasis,
    /// The first day counted: the day after the start event.
    pub counting_from: NaiveDate,
    /// The last counted day before the rest-day rule (equal to `due` for working days).
    pub nominal_last_day: NaiveDate,
    /// The last day on which the act is still in time.
    pub due: NaiveDate,
    /// Rest days the calendar-day rule moved the last day past.
    pub moved_over: Vec<DayInfo>,
    /// Rest days a working-day count stepped over without counting.
    pub not_counted: Vec<DayInfo>,
    /// Days inside a pause that would otherwise have counted.
    pub paused_days: u32,
    pub explanation: Vec<String>,
    pub calendar_sources: Vec<YearSource>,
}

/// `n` calendar days after `start`, moved past a rest-day last day.
pub fn deadline_calendar_days<C: WorkingCalendar + ?Sized>(
    calendar: &C,
    start: NaiveDate,
    n: u32,
) -> Result<Deadline, CalendarError> {
    compute_deadline(
        calendar,
        &DeadlineRequest {
            start,
            length: n,
            basis: DayBasis::Calendar,
            paused: Vec::new(),
        },
    )
}

/// The `n`th working day after `start`.
pub fn deadline_working_days<C: WorkingCalendar + ?Sized>(
    calendar: &C,
    start: NaiveDate,
    n: u32,
) -> Result<Deadline, CalendarError> {
    compute_deadline(
        calendar,
        &DeadlineRequest {
            start,
            length: n,
            basis: DayBasis::Working,
            paused: Vec::new(),
        },
    )
}

/// Remembers which years were consulted, so the answer can name the notices it rests on.
struct Lookup<'c, C: ?Sized> {
    calendar: &'c C,
    years: BTreeSet<i32>,
}

impl<C: WorkingCalendar + ?Sized> Lookup<'_, C> {
    fn day(&mut self, date: NaiveDate) -> Result<DayInfo, CalendarError> {
        self.years.insert(date.year());
        self.calendar.day(date)
    }
}

/// Counts a deadline. Refuses (never guesses) as soon as a day it needs lies in an unpublished
/// year: for working days that is any day of the count, for calendar days the last day and any
/// rest days after it.
pub fn compute_deadline<C: WorkingCalendar + ?Sized>(
    calendar: &C,
    request: &DeadlineRequest,
) -> Result<Deadline, CalendarError> {
    let DeadlineRequest {
        start,
        length,
        basis,
        ref paused,
    } = *request;
    if length == 0 {
        return Err(CalendarError::ZeroLength);
    }
    if length > MAX_DEADLINE_DAYS {
        return Err(CalendarError::TooLong {
            length,
            max: MAX_DEADLINE_DAYS,
        });
    }
    let is_paused = |date: NaiveDate| paused.iter().any(|range| range.contains(date));
    let mut lookup = Lookup {
        calendar,
        years: BTreeSet::new(),
    };
    let counting_from = next_day(start)?;
    let mut day = start;
    let mut counted = 0;
    let mut paused_days = 0;
    let mut not_counted = Vec::new();
    let mut adjusted_counted = Vec::new();
    while counted < length {
        day = next_day(day)?;
        match basis {
            DayBasis::Calendar if is_paused(day) => paused_days += 1,
            DayBasis::Calendar => counted += 1,
            DayBasis::Working => {
                let info = lookup.day(day)?;
                if !info.is_working() {
                    not_counted.push(info);
                } else if is_paused(day) {
                    paused_days += 1;
                } else {
                    counted += 1;
                    if info.kind == DayKind::AdjustedWorkday {
                        adjusted_counted.push(info);
                    }
                }
            }
        }
    }
    let nominal_last_day = day;
    let mut moved_over = Vec::new();
    let mut last_info = None;
    if basis == DayBasis::Calendar {
        let mut info = lookup.day(day)?;
        while !info.is_working() {
            moved_over.push(info);
            day = next_day(day)?;
            info = lookup.day(day)?;
        }
        last_info = Some(info);
    }
    let due = day;

    let mut explanation = vec![format!(
        "start event on {start} ({}); the start day is not counted, counting begins {counting_from} (民法典 art. 201; 民诉法 art. 85)",
        weekday_zh(start)
    )];
    if paused_days > 0 {
        explanation.push(format!(
            "{paused_days} day(s) inside pauses not counted: {}",
            paused
                .iter()
                .map(|r| format!("{}–{}", r.from, r.to))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    match basis {
        DayBasis::Working => {
            for run in runs(&not_counted) {
                explanation.push(format!("not counted: {}", describe_run(run)));
            }
            for info in &adjusted_counted {
                explanation.push(format!(
                    "counted: {} ({}) is a 调休 working day{}",
                    info.date,
                    weekday_zh(info.date),
                    for_holiday(info)
                ));
            }
            explanation.push(format!(
                "{length} working days counted: the last is {due} ({})",
                weekday_zh(due)
            ));
        }
        DayBasis::Calendar => {
            explanation.push(format!(
                "{length} calendar days end on {nominal_last_day} ({})",
                weekday_zh(nominal_last_day)
            ));
            if moved_over.is_empty() {
                let note = match &last_info {
                    Some(info) if info.kind == DayKind::AdjustedWorkday => format!(
                        "that day is a 调休 working day{}, not a rest day: no move",
                        for_holiday(info)
                    ),
                    _ => "that day is a working day: no move".to_owned(),
                };
                explanation.push(note);
            } else {
                explanation.push(format!(
                    "the last day falls on rest days ({}); a period whose last day is a statutory rest day (法定休假日) ends on the first working day after it (民法典 art. 203; 民诉法 art. 85)",
                    describe_run(&moved_over)
                ));
            }
        }
    }
    explanation.push(format!("due {due} ({})", weekday_zh(due)));

    let calendar_sources = lookup
        .years
        .iter()
        .filter_map(|&year| {
            calendar
                .year_source(year)
                .map(|version| YearSource { year, version })
        })
        .collect();
    Ok(Deadline {
        start,
        length,
        basis,
        counting_from,
        nominal_last_day,
        due,
        moved_over,
        not_counted,
        paused_days,
        explanation,
        calendar_sources,
    })
}

fn for_holiday(info: &DayInfo) -> String {
    match &info.holiday {
        Some(name) => format!(" for {name}"),
        None => String::new(),
    }
}

/// Splits days into runs of consecutive dates.
fn runs(days: &[DayInfo]) -> Vec<&[DayInfo]> {
    let mut out = Vec::new();
    let mut begin = 0;
    for i in 1..=days.len() {
        let breaks = match (days.get(i - 1), days.get(i)) {
            (Some(prev), Some(next)) => prev.date.succ_opt() != Some(next.date),
            _ => true,
        };
        if breaks {
            if let Some(run) = days.get(begin..i) {
                out.push(run);
            }
            begin = i;
        }
    }
    out
}

/// "2026-02-15–2026-02-23, 9 days: 春节 holiday" — one line an operator can check against the notice.
fn describe_run(run: &[DayInfo]) -> String {
    let (Some(first), Some(last)) = (run.first(), run.last()) else {
        return String::new();
    };
    let mut labels: Vec<String> = Vec::new();
    for info in run {
        let label = match (info.kind, &info.holiday) {
            (DayKind::Holiday, Some(name)) => format!("{name} holiday"),
            (DayKind::Holiday, None) => "holiday".to_owned(),
            _ => "weekend".to_owned(),
        };
        let label = match &info.region {
            Some(region) => format!("{label} (region {region})"),
            None => label,
        };
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    let span = if first.date == last.date {
        format!("{} ({})", first.date, weekday_zh(first.date))
    } else {
        format!("{}–{}, {} days", first.date, last.date, run.len())
    };
    format!("{span}: {}", labels.join(", "))
}

#[cfg(test)]
#[path = "deadline_tests.rs"]
mod tests;
