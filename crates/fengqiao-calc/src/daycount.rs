//! Day counting: the 360- or 365-day year and whether the first and the last day of a period
//! accrue interest (算头不算尾 and its variants).
//!
//! Internally every calculator works on *accrual days*: a period is the half-open range
//! `[first accrual day, end)` and its day count is `end − first`. The two switches map the
//! nominal dates written in a contract onto that range:
//!
//! * a period that nominally *starts* on `s` accrues from `s` when the first day counts, from
//!   `s + 1` otherwise;
//! * a period that nominally *ends* on `e` (a maturity, a due date, a repayment date, the
//!   compute-to date) accrues up to and including `e` when the last day counts, up to `e − 1`
//!   otherwise.
//!
//! Consecutive periods therefore tile without gaps or overlaps whatever the switches say, and
//! the dates printed in an explanation (自…起至…止) are always the first and the last accrual
//! day, so the printed range and the printed day count agree.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::CalcError;

/// The year length used to turn an annual rate into a daily one (日利率 = 年利率 ÷ 360 or 365).
/// `Days365` is a fixed 365 also in leap years, as Chinese banks and courts apply it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub enum DayBasis {
    #[default]
    Days360,
    Days365,
}

impl DayBasis {
    pub const fn days(self) -> u32 {
        match self {
            DayBasis::Days360 => 360,
            DayBasis::Days365 => 365,
        }
    }
}

impl TryFrom<u16> for DayBasis {
    type Error = CalcError;
    fn try_from(days: u16) -> Result<Self, CalcError> {
        match days {
            360 => Ok(DayBasis::Days360),
            365 => Ok(DayBasis::Days365),
            _ => Err(CalcError::invalid("day_basis", "must be 360 or 365")),
        }
    }
}

impl From<DayBasis> for u16 {
    fn from(basis: DayBasis) -> u16 {
        match basis {
            DayBasis::Days360 => 360,
            DayBasis::Days365 => 365,
        }
    }
}

/// Which ends of a nominal period accrue. The default counts both, which is how a term written
/// "自2023年7月1日起至2024年6月30日止" is read (366 days) and what reproduces DOMAIN §8.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DayCounting {
    pub count_first_day: bool,
    pub count_last_day: bool,
}

impl Default for DayCounting {
    fn default() -> Self {
        Self::BOTH_ENDS
    }
}

impl DayCounting {
    /// Both the first and the last day accrue.
    pub const BOTH_ENDS: DayCounting = DayCounting {
        count_first_day: true,
        count_last_day: true,
    };
    /// 算头不算尾: the first day accrues, the last does not (the usual bank convention for a
    /// term written "2023-07-01 to 2024-07-01").
    pub const FIRST_NOT_LAST: DayCounting = DayCounting {
        count_first_day: true,
        count_last_day: false,
    };

    /// The first accrual day of a period nominally starting on `start`.
    pub fn first_accrual_day(self, start: NaiveDate) -> Result<NaiveDate, CalcError> {
        if self.count_first_day {
            Ok(start)
        } else {
            next_day(start)
        }
    }

    /// The exclusive end of accrual for a period nominally ending on `end`.
    pub fn accrual_end(self, end: NaiveDate) -> Result<NaiveDate, CalcError> {
        if self.count_last_day {
            next_day(end)
        } else {
            Ok(end)
        }
    }

    /// Accrual days of a single period nominally running from `start` to `end`.
    pub fn days(self, start: NaiveDate, end: NaiveDate) -> Result<u32, CalcError> {
        Ok(days_between(
            self.first_accrual_day(start)?,
            self.accrual_end(end)?,
        ))
    }
}

/// Days in the half-open range `[from, to)`; zero when `to` is not after `from`.
pub fn days_between(from: NaiveDate, to: NaiveDate) -> u32 {
    let days = to.to_epoch_days() - from.to_epoch_days();
    u32::try_from(days).unwrap_or(0)
}

pub(crate) fn next_day(date: NaiveDate) -> Result<NaiveDate, CalcError> {
    date.checked_add_days(Days::new(1))
        .ok_or(CalcError::invalid("date", "outside the supported calendar"))
}

pub(crate) fn previous_day(date: NaiveDate) -> NaiveDate {
    date.pred_opt().unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn both_ends_counts_the_domain_example_term_as_366_days() {
        // 2023-07-01 ..= 2024-06-30 spans 29 Feb 2024: 184 days in 2023 + 182 in 2024.
        assert_eq!(
            DayCounting::BOTH_ENDS.days(d(2023, 7, 1), d(2024, 6, 30)),
            Ok(366)
        );
        // The default penalty period 2024-07-01 ..= 2024-12-31: 31+31+30+31+30+31 = 184.
        assert_eq!(
            DayCounting::BOTH_ENDS.days(d(2024, 7, 1), d(2024, 12, 31)),
            Ok(184)
        );
    }

    #[test]
    fn first_not_last_drops_the_end_date() {
        assert_eq!(
            DayCounting::FIRST_NOT_LAST.days(d(2023, 7, 1), d(2024, 7, 1)),
            Ok(366)
        );
        assert_eq!(
            DayCounting::FIRST_NOT_LAST.days(d(2023, 7, 1), d(2024, 6, 30)),
            Ok(365)
        );
        let neither = DayCounting {
            count_first_day: false,
            count_last_day: false,
        };
        assert_eq!(neither.days(d(2024, 1, 1), d(2024, 1, 31)), Ok(29));
    }

    #[test]
    fn day_basis_reads_only_360_or_365() {
        assert_eq!(
            serde_json::from_str::<DayBasis>("365").unwrap(),
            DayBasis::Days365
        );
        assert!(serde_json::from_str::<DayBasis>("366").is_err());
        assert_eq!(serde_json::to_string(&DayBasis::Days360).unwrap(), "360");
    }
}
