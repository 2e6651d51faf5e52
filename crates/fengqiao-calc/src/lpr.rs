//! The one-year Loan Prime Rate (一年期贷款市场报价利率, LPR) table and the "rate in force on a
//! date" lookup the private-lending caps are built on.
//!
//! Each publication is in force from its publication day until the next one. The reformed LPR
//! was first published on 2019-08-20 (中国人民银行公告〔2019〕第15号) and the SPC defines the LPR
//! of the lending rules as that series (民间借贷规定 art. 25 ¶2), so a date before it is an error,
//! never an older rate. Publications fall on the 20th of each month, postponed past holidays
//! and never brought forward; a date after the last known publication but before the 20th of
//! the following month is therefore still certain. Later dates get a warning.

use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

/// The bundled series, copied from `shared/data/lpr-1y.csv`.
pub const BUILTIN_CSV: &str = include_str!("../../../data/lpr-1y.csv");

/// The first publication of the reformed one-year LPR.
pub const FIRST_PUBLICATION: NaiveDate = match NaiveDate::from_ymd_opt(2019, 8, 20) {
    Some(date) => date,
    None => NaiveDate::MIN,
};

/// One publication: from `published` the one-year LPR is `rate_percent` % a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LprRow {
    pub published: NaiveDate,
    #[serde(with = "rust_decimal::serde::str")]
    pub rate_percent: Decimal,
    /// False when the publication day was taken from secondary sources (the rate itself is
    /// consistent across sources).
    pub date_verified: bool,
}

/// Why a table could not be built or a date could not be answered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LprError {
    #[error("LPR table line {line}: {reason}")]
    Csv { line: usize, reason: &'static str },
    #[error("LPR table row {index}: {reason}")]
    Row { index: usize, reason: &'static str },
    #[error("the LPR table is empty")]
    Empty,
    #[error(
        "{date} is before the first one-year LPR publication in the table ({first}); \
         the reformed LPR starts on 2019-08-20"
    )]
    BeforeFirstPublication { date: NaiveDate, first: NaiveDate },
}

/// Attached to a lookup whose date lies beyond what the table can vouch for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LprWarning {
    /// The date is on or after the earliest day a newer publication could have appeared; the
    /// last known rate was used and the table should be updated before relying on it.
    AfterLastKnownPublication { last_published: NaiveDate },
    /// The publication in force was dated from secondary sources.
    PublicationDateUnverified { published: NaiveDate },
}

/// The answer to "which one-year LPR was in force on `date`".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LprLookup {
    pub date: NaiveDate,
    pub published: NaiveDate,
    #[serde(with = "rust_decimal::serde::str")]
    pub rate_percent: Decimal,
    pub warning: Option<LprWarning>,
}

impl LprLookup {
    /// Four times the rate, the private-lending cap (民间借贷规定 art. 25).
    pub fn four_times_percent(&self) -> Decimal {
        self.rate_percent * dec!(4)
    }
}

/// The LPR series, sorted by publication day, at least one row, none before 2019-08-20.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LprTable {
    rows: Vec<LprRow>,
}

impl LprTable {
    /// The table bundled with the crate.
    pub fn builtin() -> Result<Self, LprError> {
        Self::from_csv(BUILTIN_CSV)
    }

    /// Reads `published,rate_percent[,date_verified]` lines; a header line starting with
    /// `published`, blank lines and `#` comments are skipped. A missing third column means
    /// verified.
    pub fn from_csv(text: &str) -> Result<Self, LprError> {
        let mut rows = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("published") {
                continue;
            }
            let mut cells = trimmed.split(',').map(str::trim);
            let published = cells
                .next()
                .and_then(|cell| NaiveDate::parse_from_str(cell, "%Y-%m-%d").ok())
                .ok_or(LprError::Csv {
                    line,
                    reason: "first column must be a date like 2019-08-20",
                })?;
            let rate_percent = cells
                .next()
                .and_then(|cell| Decimal::from_str(cell).ok())
                .ok_or(LprError::Csv {
                    line,
                    reason: "second column must be a rate in percent like 4.25",
                })?;
            let date_verified = match cells.next() {
                None | Some("") | Some("yes") | Some("true") => true,
                Some("no") | Some("false") => false,
                Some(_) => {
                    return Err(LprError::Csv {
                        line,
                        reason: "third column must be yes or no",
                    });
                }
            };
            rows.push(LprRow {
                published,
                rate_percent,
                date_verified,
            });
        }
        Self::from_rows(rows)
    }

    /// Builds a table from rows in publication order.
    pub fn from_rows(rows: Vec<LprRow>) -> Result<Self, LprError> {
        if rows.is_empty() {
            return Err(LprError::Empty);
        }
        let mut previous: Option<NaiveDate> = None;
        for (index, row) in rows.iter().enumerate() {
            if row.published < FIRST_PUBLICATION {
                return Err(LprError::Row {
                    index,
                    reason: "published before 2019-08-20, the first reformed LPR",
                });
            }
            if row.rate_percent <= Decimal::ZERO || row.rate_percent >= dec!(100) {
                return Err(LprError::Row {
                    index,
                    reason: "rate_percent must be above 0 and below 100",
                });
            }
            if previous.is_some_and(|earlier| earlier >= row.published) {
                return Err(LprError::Row {
                    index,
                    reason: "publication days must be strictly increasing",
                });
            }
            previous = Some(row.published);
        }
        Ok(Self { rows })
    }

    pub fn rows(&self) -> &[LprRow] {
        &self.rows
    }

    pub fn last_published(&self) -> Option<NaiveDate> {
        self.rows.last().map(|row| row.published)
    }

    /// The publication in force on `date`: the last one published on or before it.
    pub fn in_force_on(&self, date: NaiveDate) -> Result<LprLookup, LprError> {
        let count_on_or_before = self.rows.partition_point(|row| row.published <= date);
        let first = self.rows.first().ok_or(LprError::Empty)?;
        let row = count_on_or_before
            .checked_sub(1)
            .and_then(|index| self.rows.get(index))
            .ok_or(LprError::BeforeFirstPublication {
                date,
                first: first.published,
            })?;
        let is_last = count_on_or_before == self.rows.len();
        let warning = if is_last && date >= earliest_next_publication(row.published) {
            Some(LprWarning::AfterLastKnownPublication {
                last_published: row.published,
            })
        } else if !row.date_verified {
            Some(LprWarning::PublicationDateUnverified {
                published: row.published,
            })
        } else {
            None
        };
        Ok(LprLookup {
            date,
            published: row.published,
            rate_percent: row.rate_percent,
            warning,
        })
    }
}

/// The 20th of the month after `published`: no later publication can come before it.
fn earliest_next_publication(published: NaiveDate) -> NaiveDate {
    let (year, month) = if published.month() == 12 {
        (published.year() + 1, 1)
    } else {
        (published.year(), published.month() + 1)
    };
    NaiveDate::from_ymd_opt(year, month, 20).unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn builtin_table_parses_every_publication() {
        let table = LprTable::builtin().unwrap();
        assert_eq!(table.rows().len(), 78);
        assert_eq!(table.rows()[0].published, d(2019, 8, 20));
        assert_eq!(table.rows()[0].rate_percent, dec!(4.25));
        assert_eq!(table.last_published(), Some(d(2026, 1, 20)));
    }

    #[test]
    fn lookup_uses_the_last_publication_on_or_before_the_date() {
        let table = LprTable::builtin().unwrap();
        // 2020-08-20 (the new lending rules' first day): the 2020-04-20 cut to 3.85% applies.
        let on_transition = table.in_force_on(d(2020, 8, 20)).unwrap();
        assert_eq!(on_transition.rate_percent, dec!(3.85));
        assert_eq!(on_transition.published, d(2020, 8, 20));
        assert_eq!(on_transition.four_times_percent(), dec!(15.40));
        // The day before a publication still has the old rate: 2024-07-21 → 3.45 (from 06-20).
        assert_eq!(
            table.in_force_on(d(2024, 7, 21)).unwrap().rate_percent,
            dec!(3.45)
        );
        assert_eq!(
            table.in_force_on(d(2024, 7, 22)).unwrap().rate_percent,
            dec!(3.35)
        );
        assert_eq!(table.in_force_on(d(2019, 8, 20)).unwrap().warning, None);
    }

    #[test]
    fn dates_before_the_reform_are_an_error_not_a_guess() {
        let table = LprTable::builtin().unwrap();
        assert_eq!(
            table.in_force_on(d(2019, 8, 19)),
            Err(LprError::BeforeFirstPublication {
                date: d(2019, 8, 19),
                first: d(2019, 8, 20)
            })
        );
    }

    #[test]
    fn dates_after_the_last_publication_warn_once_a_newer_one_may_exist() {
        let table = LprTable::builtin().unwrap();
        // 2026-02-19 is before any possible February publication: certain, no warning.
        assert_eq!(table.in_force_on(d(2026, 2, 19)).unwrap().warning, None);
        let later = table.in_force_on(d(2026, 2, 20)).unwrap();
        assert_eq!(later.rate_percent, dec!(3.00));
        assert_eq!(
            later.warning,
            Some(LprWarning::AfterLastKnownPublication {
                last_published: d(2026, 1, 20)
            })
        );
    }

    #[test]
    fn unverified_publication_days_are_flagged() {
        let table = LprTable::builtin().unwrap();
        assert_eq!(
            table.in_force_on(d(2025, 6, 25)).unwrap().warning,
            Some(LprWarning::PublicationDateUnverified {
                published: d(2025, 6, 20)
            })
        );
    }

    #[test]
    fn admins_can_build_a_table_from_csv_text() {
        let table =
            LprTable::from_csv("published,rate_percent\n2019-08-20,4.25\n\n2019-09-20,4.20\n")
                .unwrap();
        assert_eq!(
            table.in_force_on(d(2019, 9, 1)).unwrap().rate_percent,
            dec!(4.25)
        );
        assert_eq!(
            LprTable::from_csv("2019-09-20,4.20\n2019-08-20,4.25"),
            Err(LprError::Row {
                index: 1,
                reason: "publication days must be strictly increasing"
            })
        );
        assert_eq!(
            LprTable::from_csv("2019-08-20,abc"),
            Err(LprError::Csv {
                line: 1,
                reason: "second column must be a rate in percent like 4.25"
            })
        );
        assert!(LprTable::from_csv("2019-07-22,4.31").is_err());
        assert_eq!(
            LprTable::from_csv("published,rate_percent\n"),
            Err(LprError::Empty)
        );
    }
}
