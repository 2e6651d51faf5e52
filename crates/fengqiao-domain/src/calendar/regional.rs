//! Regional overlays on the official calendar: extra local days off (e.g. 壮族三月三) or extra working days.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{CalendarError, DayInfo, DayKind, OfficialCalendar, WorkingCalendar};

/// One regional rule for one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionalDay {
    /// `true` for a local day off, `false` for a local working day.
    pub off: bool,
    /// What the day is (`壮族三月三`), shown wherever the day is explained.
    pub name: String,
}

/// Why a regional rule was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegionalOverlayError {
    #[error("region code must not be empty")]
    EmptyRegion,
    #[error("the name of the regional day {date} must not be empty")]
    EmptyName { date: NaiveDate },
    #[error(
        "region {region} already has a rule for {date} ({existing}); remove it before adding another"
    )]
    Conflict {
        region: String,
        date: NaiveDate,
        existing: String,
    },
}

/// The days one region (by region code) keeps differently from the nationwide notice, set by its admins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionalOverlay {
    region_code: String,
    days: BTreeMap<NaiveDate, RegionalDay>,
}

impl RegionalOverlay {
    pub fn new(region_code: &str) -> Result<Self, RegionalOverlayError> {
        let region_code = region_code.trim();
        if region_code.is_empty() {
            return Err(RegionalOverlayError::EmptyRegion);
        }
        Ok(Self {
            region_code: region_code.to_owned(),
            days: BTreeMap::new(),
        })
    }

    pub fn region_code(&self) -> &str {
        &self.region_code
    }

    pub fn add_day_off(&mut self, date: NaiveDate, name: &str) -> Result<(), RegionalOverlayError> {
        self.add(date, name, true)
    }

    pub fn add_working_day(
        &mut self,
        date: NaiveDate,
        name: &str,
    ) -> Result<(), RegionalOverlayError> {
        self.add(date, name, false)
    }

    /// Removes the rule for `date`, returning it if there was one.
    pub fn remove(&mut self, date: NaiveDate) -> Option<RegionalDay> {
        self.days.remove(&date)
    }

    pub fn rule(&self, date: NaiveDate) -> Option<&RegionalDay> {
        self.days.get(&date)
    }

    fn add(&mut self, date: NaiveDate, name: &str, off: bool) -> Result<(), RegionalOverlayError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(RegionalOverlayError::EmptyName { date });
        }
        if let Some(existing) = self.days.get(&date) {
            // Re-adding the identical rule is harmless; a different one must be an explicit change.
            if existing.off == off && existing.name == name {
                return Ok(());
            }
            return Err(RegionalOverlayError::Conflict {
                region: self.region_code.clone(),
                date,
                existing: existing.name.clone(),
            });
        }
        self.days.insert(
            date,
            RegionalDay {
                off,
                name: name.to_owned(),
            },
        );
        Ok(())
    }
}

/// The official calendar as one region sees it. A year the nation has not published stays refused
/// even where a region has rules, since the region's rules sit on top of the national ones.
#[derive(Debug, Clone)]
pub struct RegionalCalendar<'a> {
    official: &'a OfficialCalendar,
    overlays: Vec<&'a RegionalOverlay>,
}

impl<'a> RegionalCalendar<'a> {
    pub fn new(official: &'a OfficialCalendar, overlays: Vec<&'a RegionalOverlay>) -> Self {
        Self { official, overlays }
    }
}

impl WorkingCalendar for RegionalCalendar<'_> {
    fn day(&self, date: NaiveDate) -> Result<DayInfo, CalendarError> {
        let national = self.official.day(date)?;
        let rule = self
            .overlays
            .iter()
            .rev()
            .find_map(|overlay| overlay.rule(date).map(|rule| (overlay.region_code(), rule)));
        let Some((region, rule)) = rule else {
            return Ok(national);
        };
        let kind = match (rule.off, national.kind) {
            (true, _) => DayKind::Holiday,
            (false, DayKind::Workday) => DayKind::Workday,
            (false, _) => DayKind::AdjustedWorkday,
        };
        Ok(DayInfo {
            date,
            kind,
            holiday: Some(rule.name.clone()),
            region: Some(region.to_owned()),
        })
    }

    fn year_source(&self, year: i32) -> Option<String> {
        self.official.year_source(year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn regional_day_off_and_working_day_override_the_nation() {
        let official = OfficialCalendar::embedded().unwrap();
        // A regional day off on Monday 2025-03-31, such as Guangxi gives for 壮族三月三.
        let mut guangxi = RegionalOverlay::new("450000").unwrap();
        guangxi
            .add_day_off(date(2025, 3, 31), "壮族三月三")
            .unwrap();
        // A made-up local swap: Saturday 2025-03-29 worked instead.
        guangxi
            .add_working_day(date(2025, 3, 29), "壮族三月三调休")
            .unwrap();
        let view = official.for_region(&[&guangxi]);

        let monday = view.day(date(2025, 3, 31)).unwrap();
        assert_eq!(monday.kind, DayKind::Holiday);
        assert_eq!(monday.holiday.as_deref(), Some("壮族三月三"));
        assert_eq!(monday.region.as_deref(), Some("450000"));
        assert_eq!(
            view.day(date(2025, 3, 29)).unwrap().kind,
            DayKind::AdjustedWorkday
        );
        // Days without a regional rule are the nation's.
        assert_eq!(
            view.day(date(2025, 4, 1)).unwrap(),
            official.day(date(2025, 4, 1)).unwrap()
        );
        // The nation is unaffected.
        assert!(official.is_working_day(date(2025, 3, 31)).unwrap());
    }

    #[test]
    fn later_overlay_wins_and_unpublished_years_stay_refused() {
        let official = OfficialCalendar::embedded().unwrap();
        let mut province = RegionalOverlay::new("330000").unwrap();
        province.add_day_off(date(2026, 3, 2), "省级假日").unwrap();
        province.add_day_off(date(2027, 3, 1), "省级假日").unwrap();
        let mut district = RegionalOverlay::new("330109").unwrap();
        district
            .add_working_day(date(2026, 3, 2), "区内补班")
            .unwrap();
        let view = official.for_region(&[&province, &district]);
        let day = view.day(date(2026, 3, 2)).unwrap();
        assert_eq!(
            (day.kind, day.region.as_deref()),
            (DayKind::Workday, Some("330109"))
        );
        assert_eq!(
            view.day(date(2027, 3, 1)),
            Err(CalendarError::Unpublished { year: 2027 })
        );
    }

    #[test]
    fn conflicting_rules_and_empty_inputs_are_refused() {
        assert_eq!(
            RegionalOverlay::new("  "),
            Err(RegionalOverlayError::EmptyRegion)
        );
        let mut overlay = RegionalOverlay::new("450000").unwrap();
        assert_eq!(
            overlay.add_day_off(date(2025, 3, 31), " "),
            Err(RegionalOverlayError::EmptyName {
                date: date(2025, 3, 31)
            })
        );
        overlay
            .add_day_off(date(2025, 3, 31), "壮族三月三")
            .unwrap();
        overlay
            .add_day_off(date(2025, 3, 31), "壮族三月三")
            .unwrap();
        assert!(matches!(
            overlay.add_working_day(date(2025, 3, 31), "补班"),
            Err(RegionalOverlayError::Conflict { .. })
        ));
        assert!(overlay.remove(date(2025, 3, 31)).is_some());
        overlay.add_working_day(date(2025, 3, 31), "补班").unwrap();
    }
}
