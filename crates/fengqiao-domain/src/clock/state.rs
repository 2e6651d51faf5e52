//! A running clock's state on a given day (green / yellow / red), and the overdue list for supervision (督办).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{ClockDefinition, ClockKind, DayBasis, ExpiryEffect};
use crate::calendar::{
    CalendarError, DateRange, Deadline, DeadlineRequest, WorkingCalendar, compute_deadline,
};
use crate::time::Timestamp;

/// A period the clock stood still for one of its pause conditions; `until` is `None` while it lasts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    pub condition: String,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

/// An extension granted on this clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantedExtension {
    pub days: u32,
    /// Role code of who approved; must be the approver the definition names.
    pub approver: String,
    pub granted_on: NaiveDate,
}

/// One clock running on one case: when it started, and what paused or extended it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockRun {
    /// The China-time date of the start event (the day itself is not counted).
    pub started_on: NaiveDate,
    #[serde(default)]
    pub pauses: Vec<Pause>,
    #[serde(default)]
    pub extensions: Vec<GrantedExtension>,
}

impl ClockRun {
    /// A run whose start event happened at `at`; the date is taken in China time.
    pub fn started_at(at: Timestamp) -> Self {
        Self {
            started_on: at.china_date(),
            pauses: Vec::new(),
            extensions: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockStatus {
    /// More than the warning window left.
    Green,
    /// Inside the warning window.
    Yellow,
    /// Due today, or past due.
    Red,
}

/// A clock's state on `today`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockState {
    pub clock_id: String,
    pub kind: ClockKind,
    /// False for internal targets: never present them to parties as the law.
    pub is_law: bool,
    pub basis: DayBasis,
    pub length_days: u32,
    pub extended_days: u32,
    /// A pause is running today; the due date assumes it ends today.
    pub paused_now: bool,
    pub due: NaiveDate,
    pub status: ClockStatus,
    /// Days left after today up to and including the due date, in the clock's basis; `None` once overdue.
    pub days_left: Option<u32>,
    /// Calendar days past the due date; 0 unless overdue.
    pub days_overdue: u32,
    pub overdue: bool,
    pub on_expiry: ExpiryEffect,
    pub deadline: Deadline,
}

/// Why a clock's state cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    #[error(
        "clock `{clock}` cannot be paused for `{condition}`; its pause conditions are {allowed:?}"
    )]
    PauseNotAllowed {
        clock: String,
        condition: String,
        allowed: Vec<String>,
    },
    #[error("clock `{clock}`: pause ends {until} before it starts {from}")]
    PauseBackwards {
        clock: String,
        from: NaiveDate,
        until: NaiveDate,
    },
    #[error("clock `{clock}` cannot be extended")]
    ExtensionNotAllowed { clock: String },
    #[error("clock `{clock}`: an extension of 0 days is not an extension")]
    ZeroExtension { clock: String },
    #[error("clock `{clock}`: extensions are approved by `{expected}`, not `{got}`")]
    WrongApprover {
        clock: String,
        expected: String,
        got: String,
    },
    #[error("clock `{clock}`: {granted} extra days granted, at most {max} allowed")]
    ExtensionTooLong {
        clock: String,
        granted: u32,
        max: u32,
    },
}

fn checked_extension(definition: &ClockDefinition, run: &ClockRun) -> Result<u32, ClockError> {
    let clock = || definition.id.clone();
    if run.extensions.is_empty() {
        return Ok(0);
    }
    let Some(rule) = &definition.extension else {
        return Err(ClockError::ExtensionNotAllowed { clock: clock() });
    };
    let mut granted: u32 = 0;
    for extension in &run.extensions {
        if extension.days == 0 {
            return Err(ClockError::ZeroExtension { clock: clock() });
        }
        if extension.approver != rule.approver {
            return Err(ClockError::WrongApprover {
                clock: clock(),
                expected: rule.approver.clone(),
                got: extension.approver.clone(),
            });
        }
        granted = granted.saturating_add(extension.days);
    }
    match rule.max_extra_days {
        Some(max) if granted > max => Err(ClockError::ExtensionTooLong {
            clock: clock(),
            granted,
            max,
        }),
        _ => Ok(granted),
    }
}

fn checked_pauses(
    definition: &ClockDefinition,
    run: &ClockRun,
    today: NaiveDate,
) -> Result<Vec<DateRange>, ClockError> {
    let mut ranges = Vec::new();
    for pause in &run.pauses {
        if !definition.pause_conditions.contains(&pause.condition) {
            return Err(ClockError::PauseNotAllowed {
                clock: definition.id.clone(),
                condition: pause.condition.clone(),
                allowed: definition.pause_conditions.clone(),
            });
        }
        if let Some(until) = pause.until
            && until < pause.from
        {
            return Err(ClockError::PauseBackwards {
                clock: definition.id.clone(),
                from: pause.from,
                until,
            });
        }
        // A pause still running stands the clock still through today; one not yet begun adds nothing.
        let to = pause.until.unwrap_or(today);
        if pause.from <= to {
            ranges.push(DateRange {
                from: pause.from,
                to,
            });
        }
    }
    Ok(ranges)
}

/// The clock's due date and colour on `today`. Pauses extend it by the paused days (working days
/// for a working-day clock); granted extensions add to its length; days left count on `calendar`.
pub fn clock_state<C: WorkingCalendar + ?Sized>(
    definition: &ClockDefinition,
    run: &ClockRun,
    calendar: &C,
    today: NaiveDate,
) -> Result<ClockState, ClockError> {
    let extended_days = checked_extension(definition, run)?;
    let paused = checked_pauses(definition, run, today)?;
    let paused_now = run
        .pauses
        .iter()
        .any(|p| p.from <= today && p.until.is_none_or(|until| today <= until));
    let deadline = compute_deadline(
        calendar,
        &DeadlineRequest {
            start: run.started_on,
            length: definition.length_days.saturating_add(extended_days),
            basis: definition.basis,
            paused,
        },
    )?;
    let due = deadline.due;
    let (status, days_left, days_overdue) = if today > due {
        let late = u32::try_from((today - due).num_days()).unwrap_or(u32::MAX);
        (ClockStatus::Red, None, late)
    } else {
        let left = days_left(calendar, definition.basis, today, due)?;
        let status = if left == 0 {
            ClockStatus::Red
        } else if left <= definition.warn_before_days {
            ClockStatus::Yellow
        } else {
            ClockStatus::Green
        };
        (status, Some(left), 0)
    };
    Ok(ClockState {
        clock_id: definition.id.clone(),
        kind: definition.kind,
        is_law: definition.is_law(),
        basis: definition.basis,
        length_days: definition.length_days,
        extended_days,
        paused_now,
        due,
        status,
        days_left,
        days_overdue,
        overdue: days_overdue > 0,
        on_expiry: definition.on_expiry,
        deadline,
    })
}

/// Days after `today` up to and including `due` (not before `today`), in the clock's basis.
fn days_left<C: WorkingCalendar + ?Sized>(
    calendar: &C,
    basis: DayBasis,
    today: NaiveDate,
    due: NaiveDate,
) -> Result<u32, CalendarError> {
    match basis {
        DayBasis::Calendar => Ok(u32::try_from((due - today).num_days()).unwrap_or(u32::MAX)),
        DayBasis::Working => {
            let mut left = 0;
            let mut day = today;
            while day < due {
                day = day
                    .succ_opt()
                    .ok_or(CalendarError::OutOfRange { from: day })?;
                left += u32::from(calendar.is_working_day(day)?);
            }
            Ok(left)
        }
    }
}

/// A clock to watch: the case (by tracking code or id), the definition and the run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackedClock {
    pub subject: String,
    pub definition: ClockDefinition,
    pub run: ClockRun,
}

/// One red clock on the supervision (督办) list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisionItem {
    pub subject: String,
    pub clock_id: String,
    pub name_zh: String,
    pub kind: ClockKind,
    pub is_law: bool,
    pub due: NaiveDate,
    pub days_overdue: u32,
    pub overdue: bool,
    pub on_expiry: ExpiryEffect,
}

/// A clock whose state could not be computed: a person must look at it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UncomputableClock {
    pub subject: String,
    pub clock_id: String,
    pub reason: String,
}

/// The supervision list for one day, with the counts behind the overdue rate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisionList {
    /// Red clocks: most overdue first, legal clocks before internal targets on a tie.
    pub items: Vec<SupervisionItem>,
    pub uncomputable: Vec<UncomputableClock>,
    /// Clocks of the bodies' own work whose state was computed (party windows excluded).
    pub computed: usize,
    pub overdue: usize,
}

impl SupervisionList {
    /// Overdue clocks per thousand computed, rounded down; `None` with nothing computed.
    pub fn overdue_rate_per_mille(&self) -> Option<u64> {
        let computed = u64::try_from(self.computed).ok().filter(|&n| n > 0)?;
        let overdue = u64::try_from(self.overdue).ok()?;
        Some(overdue.saturating_mul(1000) / computed)
    }
}

/// The red and overdue clocks for supervision on `today`. A party's own window
/// ([`ExpiryEffect::WindowCloses`]) is nobody's overdue work and is left out.
pub fn overdue_for_supervision<C: WorkingCalendar + ?Sized>(
    calendar: &C,
    clocks: &[TrackedClock],
    today: NaiveDate,
) -> SupervisionList {
    let mut list = SupervisionList::default();
    for tracked in clocks {
        let definition = &tracked.definition;
        if definition.on_expiry == ExpiryEffect::WindowCloses {
            continue;
        }
        match clock_state(definition, &tracked.run, calendar, today) {
            Err(error) => list.uncomputable.push(UncomputableClock {
                subject: tracked.subject.clone(),
                clock_id: definition.id.clone(),
                reason: error.to_string(),
            }),
            Ok(state) => {
                list.computed += 1;
                list.overdue += usize::from(state.overdue);
                if state.status == ClockStatus::Red {
                    list.items.push(SupervisionItem {
                        subject: tracked.subject.clone(),
                        clock_id: definition.id.clone(),
                        name_zh: definition.name_zh.clone(),
                        kind: definition.kind,
                        is_law: state.is_law,
                        due: state.due,
                        days_overdue: state.days_overdue,
                        overdue: state.overdue,
                        on_expiry: state.on_expiry,
                    });
                }
            }
        }
    }
    list.items.sort_by(|a, b| {
        b.days_overdue
            .cmp(&a.days_overdue)
            .then(b.is_law.cmp(&a.is_law))
            .then(a.due.cmp(&b.due))
            .then(a.subject.cmp(&b.subject))
            .then(a.clock_id.cmp(&b.clock_id))
    });
    list
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
