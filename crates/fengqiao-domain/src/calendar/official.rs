//! The State Council's yearly holiday arrangements (holiday-cn JSON, one file per year), loaded and looked up.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{CalendarError, DayInfo, DayKind, RegionalCalendar, RegionalOverlay, WorkingCalendar};

/// The project's copy of the holiday-cn data, 2007–2027 (2027 not yet published: empty `days`).
const EMBEDDED_YEARS: [&str; 21] = [
    include_str!("../../../../data/holiday-cn/2007.json"),
    include_str!("../../../../data/holiday-cn/2008.json"),
    include_str!("../../../../data/holiday-cn/2009.json"),
    include_str!("../../../../data/holiday-cn/2010.json"),
    include_str!("../../../../data/holiday-cn/2011.json"),
    include_str!("../../../../data/holiday-cn/2012.json"),
    include_str!("../../../../data/holiday-cn/2013.json"),
    include_str!("../../../../data/holiday-cn/2014.json"),
    include_str!("../../../../data/holiday-cn/2015.json"),
    include_str!("../../../../data/holiday-cn/2016.json"),
    include_str!("../../../../data/holiday-cn/2017.json"),
    include_str!("../../../../data/holiday-cn/2018.json"),
    include_str!("../../../../data/holiday-cn/2019.json"),
    include_str!("../../../../data/holiday-cn/2020.json"),
    include_str!("../../../../data/holiday-cn/2021.json"),
    include_str!("../../../../data/holiday-cn/2022.json"),
    include_str!("../../../../data/holiday-cn/2023.json"),
    include_str!("../../../../data/holiday-cn/2024.json"),
    include_str!("../../../../data/holiday-cn/2025.json"),
    include_str!("../../../../data/holiday-cn/2026.json"),
    include_str!("../../../../data/holiday-cn/2027.json"),
];

/// The holiday-cn file format (`$schema` and `$id` are ignored).
#[derive(Deserialize)]
struct YearFile {
    year: i32,
    #[serde(default)]
    papers: Vec<String>,
    #[serde(default)]
    days: Vec<YearFileDay>,
}

#[derive(Deserialize)]
struct YearFileDay {
    name: String,
    date: NaiveDate,
    #[serde(rename = "isOffDay")]
    is_off_day: bool,
}

/// A date the notice names: a day off, or a weekend made a working day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedDay {
    pub name: String,
    pub off: bool,
}

/// Why a year's arrangement could not be loaded or added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarDataError {
    #[error("holiday arrangement JSON is malformed: {message}")]
    Json { message: String },
    #[error("the {year} arrangement lists {date}, which is outside December {prev} – December {year}", prev = year - 1)]
    DateOutsideYear { year: i32, date: NaiveDate },
    #[error("the {year} arrangement lists {date} twice")]
    DuplicateDate { year: i32, date: NaiveDate },
    #[error("the year {year} is given twice")]
    DuplicateYear { year: i32 },
    #[error("refusing to replace the published {year} arrangement with an empty one (no `days`)")]
    EmptyWouldReplacePublished { year: i32 },
}

/// One year's arrangement as published, with its source notice(s) and a content fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearArrangement {
    year: i32,
    papers: Vec<String>,
    days: BTreeMap<NaiveDate, ListedDay>,
    fingerprint: String,
}

impl YearArrangement {
    /// Parses one holiday-cn year file. Besides its own year, a notice may set the last days of
    /// December before it (the 2019 notice made 2018-12-29 a working day), so those are accepted.
    pub fn parse(json: &str) -> Result<Self, CalendarDataError> {
        let file: YearFile = serde_json::from_str(json).map_err(|e| CalendarDataError::Json {
            message: e.to_string(),
        })?;
        let year = file.year;
        let earliest = NaiveDate::from_ymd_opt(year - 1, 12, 1);
        let latest = NaiveDate::from_ymd_opt(year, 12, 31);
        let mut days = BTreeMap::new();
        for listed in file.days {
            let inside = matches!((earliest, latest), (Some(lo), Some(hi)) if lo <= listed.date && listed.date <= hi);
            if !inside {
                return Err(CalendarDataError::DateOutsideYear {
                    year,
                    date: listed.date,
                });
            }
            let day = ListedDay {
                name: listed.name,
                off: listed.is_off_day,
            };
            if days.insert(listed.date, day).is_some() {
                return Err(CalendarDataError::DuplicateDate {
                    year,
                    date: listed.date,
                });
            }
        }
        let fingerprint = fingerprint(&days);
        Ok(Self {
            year,
            papers: file.papers,
            days,
            fingerprint,
        })
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    /// A year counts as published once its notice lists any day; holiday-cn ships an empty
    /// placeholder for the coming year until the notice appears.
    pub fn is_published(&self) -> bool {
        !self.days.is_empty()
    }

    /// The notice URL(s) this arrangement came from.
    pub fn papers(&self) -> &[String] {
        &self.papers
    }

    /// SHA-256 over the listed days, so a silently changed copy of the same notice is noticed.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The version an answer rests on: the notice URL(s) and a short content fingerprint.
    pub fn version(&self) -> String {
        let short = self.fingerprint.get(..12).unwrap_or(&self.fingerprint);
        if self.papers.is_empty() {
            format!("(no notice) sha256:{short}")
        } else {
            format!("{} sha256:{short}", self.papers.join(" "))
        }
    }

    pub fn listed(&self, date: NaiveDate) -> Option<&ListedDay> {
        self.days.get(&date)
    }

    pub fn listed_days(&self) -> impl Iterator<Item = (NaiveDate, &ListedDay)> {
        self.days.iter().map(|(date, day)| (*date, day))
    }
}

fn fingerprint(days: &BTreeMap<NaiveDate, ListedDay>) -> String {
    let mut hasher = Sha256::new();
    for (date, day) in days {
        hasher.update(format!("{date} {} {}\n", u8::from(day.off), day.name).as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// What [`OfficialCalendar::add_year`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum YearChange {
    Added {
        year: i32,
        version: String,
    },
    Replaced {
        year: i32,
        previous_version: String,
        version: String,
    },
    Unchanged {
        year: i32,
    },
    /// An empty placeholder for a year not yet published; lookups into it still refuse.
    RecordedUnpublished {
        year: i32,
    },
}

/// The nationwide official calendar: every loaded year's arrangement, published or not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfficialCalendar {
    years: BTreeMap<i32, YearArrangement>,
}

impl OfficialCalendar {
    /// Builds the calendar from holiday-cn year files; the same year twice is an error.
    pub fn from_year_json<'a>(
        texts: impl IntoIterator<Item = &'a str>,
    ) -> Result<Self, CalendarDataError> {
        let mut years = BTreeMap::new();
        for text in texts {
            let arrangement = YearArrangement::parse(text)?;
            let year = arrangement.year;
            if years.insert(year, arrangement).is_some() {
                return Err(CalendarDataError::DuplicateYear { year });
            }
        }
        Ok(Self { years })
    }

    /// The calendar shipped with the binary: holiday-cn 2007–2026, with 2027 unpublished.
    pub fn embedded() -> Result<Self, CalendarDataError> {
        Self::from_year_json(EMBEDDED_YEARS)
    }

    /// The embedded calendar, parsed once per process: it is immutable data, and every deadline
    /// and clock badge needs it.
    pub fn shared() -> Result<&'static Self, CalendarDataError> {
        static SHARED: std::sync::OnceLock<Result<OfficialCalendar, CalendarDataError>> =
            std::sync::OnceLock::new();
        SHARED
            .get_or_init(Self::embedded)
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Adds a newly published year, or replaces a year by a corrected notice. An empty file never
    /// replaces a published year: that would silently turn answers into refusals or guesses.
    pub fn add_year(&mut self, json: &str) -> Result<YearChange, CalendarDataError> {
        let arrangement = YearArrangement::parse(json)?;
        let year = arrangement.year;
        let change = match self.years.get(&year) {
            Some(old) if old.is_published() && !arrangement.is_published() => {
                return Err(CalendarDataError::EmptyWouldReplacePublished { year });
            }
            Some(old) if *old == arrangement => YearChange::Unchanged { year },
            _ if !arrangement.is_published() => YearChange::RecordedUnpublished { year },
            Some(old) if old.is_published() => YearChange::Replaced {
                year,
                previous_version: old.version(),
                version: arrangement.version(),
            },
            _ => YearChange::Added {
                year,
                version: arrangement.version(),
            },
        };
        self.years.insert(year, arrangement);
        Ok(change)
    }

    /// Years whose arrangement is published, ascending.
    pub fn published_years(&self) -> Vec<i32> {
        self.years
            .values()
            .filter(|a| a.is_published())
            .map(|a| a.year)
            .collect()
    }

    pub fn arrangement(&self, year: i32) -> Option<&YearArrangement> {
        self.years.get(&year)
    }

    fn published(&self, year: i32) -> Option<&YearArrangement> {
        self.years.get(&year).filter(|a| a.is_published())
    }

    /// The day's kind per the notices. A late-December date may be set by the next year's notice;
    /// when both notices list it, the newer (next year's) wins.
    pub fn day(&self, date: NaiveDate) -> Result<DayInfo, CalendarError> {
        let year = date.year();
        let own = self
            .published(year)
            .ok_or(CalendarError::Unpublished { year })?;
        let listed = self
            .published(year + 1)
            .and_then(|next| next.listed(date))
            .or_else(|| own.listed(date));
        let weekend = super::is_weekend(date);
        let (kind, holiday) = match listed {
            Some(day) if day.off => (DayKind::Holiday, Some(day.name.clone())),
            Some(day) if weekend => (DayKind::AdjustedWorkday, Some(day.name.clone())),
            Some(day) => (DayKind::Workday, Some(day.name.clone())),
            None if weekend => (DayKind::Weekend, None),
            None => (DayKind::Workday, None),
        };
        Ok(DayInfo {
            date,
            kind,
            holiday,
            region: None,
        })
    }

    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        Ok(self.day(date)?.is_working())
    }

    pub fn year_source(&self, year: i32) -> Option<String> {
        self.published(year).map(YearArrangement::version)
    }

    /// This calendar seen from a region: overlays apply in order, a later one overriding earlier ones.
    pub fn for_region<'a>(&'a self, overlays: &[&'a RegionalOverlay]) -> RegionalCalendar<'a> {
        RegionalCalendar::new(self, overlays.to_vec())
    }
}

impl WorkingCalendar for OfficialCalendar {
    fn day(&self, date: NaiveDate) -> Result<DayInfo, CalendarError> {
        OfficialCalendar::day(self, date)
    }
    fn year_source(&self, year: i32) -> Option<String> {
        OfficialCalendar::year_source(self, year)
    }
}

#[cfg(test)]
#[path = "official_tests.rs"]
mod tests;
