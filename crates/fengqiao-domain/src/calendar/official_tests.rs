use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Weekday};

use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The shared data read independently of the loader: date -> isOffDay, over all files.
fn listed_off_days() -> HashMap<NaiveDate, bool> {
    let mut listed = HashMap::new();
    for text in EMBEDDED_YEARS {
        let file: serde_json::Value = serde_json::from_str(text).unwrap();
        for day in file["days"].as_array().unwrap() {
            let when: NaiveDate = day["date"].as_str().unwrap().parse().unwrap();
            listed.insert(when, day["isOffDay"].as_bool().unwrap());
        }
    }
    listed
}

#[test]
fn every_date_2007_to_2026_matches_the_shared_data() {
    let calendar = OfficialCalendar::embedded().unwrap();
    let listed = listed_off_days();
    let mut date = date(2007, 1, 1);
    let mut checked = 0;
    while date <= NaiveDate::from_ymd_opt(2026, 12, 31).unwrap() {
        let weekday = !matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        // The rule as the data states it: listed as working, or a weekday not listed as off.
        let expected = match listed.get(&date) {
            Some(off) => !off,
            None => weekday,
        };
        assert_eq!(calendar.is_working_day(date), Ok(expected), "{date}");
        date = date.succ_opt().unwrap();
        checked += 1;
    }
    assert_eq!(checked, 7305);
}

#[test]
fn working_day_totals_per_year() {
    let calendar = OfficialCalendar::embedded().unwrap();
    let count = |year: i32| {
        let mut d = date(year, 1, 1);
        let mut n = 0;
        while d.year() == year {
            n += u32::from(calendar.is_working_day(d).unwrap());
            d = d.succ_opt().unwrap();
        }
        n
    };
    // Counted from the notices: 2024 has 251 working days, 2025 and 2026 have 248.
    assert_eq!(count(2024), 251);
    assert_eq!(count(2025), 248);
    assert_eq!(count(2026), 248);
}

#[test]
fn kinds_and_names_for_2026() {
    let calendar = OfficialCalendar::embedded().unwrap();
    let mut adjusted = Vec::new();
    let mut d = date(2026, 1, 1);
    while d.year() == 2026 {
        if calendar.day(d).unwrap().kind == DayKind::AdjustedWorkday {
            adjusted.push(d);
        }
        d = d.succ_opt().unwrap();
    }
    // The 2026 notice swaps six weekends into working days.
    assert_eq!(
        adjusted,
        vec![
            date(2026, 1, 4),
            date(2026, 2, 14),
            date(2026, 2, 28),
            date(2026, 5, 9),
            date(2026, 9, 20),
            date(2026, 10, 10)
        ]
    );
    let national_day = calendar.day(date(2026, 10, 5)).unwrap();
    assert_eq!(national_day.kind, DayKind::Holiday);
    assert_eq!(national_day.holiday.as_deref(), Some("国庆节"));
    let plain = calendar.day(date(2026, 3, 4)).unwrap();
    assert_eq!((plain.kind, plain.holiday), (DayKind::Workday, None));
    assert_eq!(
        calendar.day(date(2026, 3, 8)).unwrap().kind,
        DayKind::Weekend
    );
    // 2015-09-03 (Thursday) was a one-off holiday for the 70th anniversary.
    let parade = calendar.day(date(2015, 9, 3)).unwrap();
    assert_eq!(parade.kind, DayKind::Holiday);
    assert!(parade.holiday.unwrap().contains("70周年"));
}

#[test]
fn late_december_days_come_from_the_next_years_notice() {
    let calendar = OfficialCalendar::embedded().unwrap();
    // The 2019 notice made Saturday 2018-12-29 a working day and Monday 2018-12-31 a day off.
    let saturday = calendar.day(date(2018, 12, 29)).unwrap();
    assert_eq!(saturday.kind, DayKind::AdjustedWorkday);
    assert_eq!(saturday.holiday.as_deref(), Some("元旦"));
    assert_eq!(
        calendar.day(date(2018, 12, 31)).unwrap().kind,
        DayKind::Holiday
    );
}

#[test]
fn unpublished_and_missing_years_are_refused() {
    let calendar = OfficialCalendar::embedded().unwrap();
    assert_eq!(
        calendar.day(date(2027, 3, 3)),
        Err(CalendarError::Unpublished { year: 2027 })
    );
    // 2006-12-31 is listed by the 2007 notice, but 2006 as a whole is not in the data.
    assert_eq!(
        calendar.day(date(2006, 12, 31)),
        Err(CalendarError::Unpublished { year: 2006 })
    );
    assert_eq!(
        calendar.published_years(),
        (2007..=2026).collect::<Vec<_>>()
    );
    assert!(!calendar.arrangement(2027).unwrap().is_published());
    assert_eq!(calendar.year_source(2027), None);
    let source = calendar.year_source(2026).unwrap();
    assert!(
        source
            .starts_with("https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm sha256:")
    );
}

const FAKE_2027: &str = r#"{"year": 2027, "papers": ["https://example.invalid/2027"],
    "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true},
             {"name": "春节", "date": "2027-02-06", "isOffDay": false}]}"#;

#[test]
fn adding_a_newly_published_year_makes_it_answerable() {
    let mut calendar = OfficialCalendar::embedded().unwrap();
    let change = calendar.add_year(FAKE_2027).unwrap();
    assert!(matches!(change, YearChange::Added { year: 2027, .. }));
    assert_eq!(
        calendar.day(date(2027, 1, 1)).unwrap().kind,
        DayKind::Holiday
    );
    // 2027-02-06 is a Saturday made a working day by the (made-up) notice.
    assert_eq!(
        calendar.day(date(2027, 2, 6)).unwrap().kind,
        DayKind::AdjustedWorkday
    );
    assert_eq!(
        calendar.add_year(FAKE_2027),
        Ok(YearChange::Unchanged { year: 2027 })
    );

    let corrected = FAKE_2027.replace(
        "2027-02-06\", \"isOffDay\": false",
        "2027-02-07\", \"isOffDay\": false",
    );
    assert!(matches!(
        calendar.add_year(&corrected),
        Ok(YearChange::Replaced { year: 2027, .. })
    ));
    assert_eq!(
        calendar.day(date(2027, 2, 6)).unwrap().kind,
        DayKind::Weekend
    );

    let empty = r#"{"year": 2027, "papers": [], "days": []}"#;
    assert_eq!(
        calendar.add_year(empty),
        Err(CalendarDataError::EmptyWouldReplacePublished { year: 2027 })
    );
    assert!(calendar.is_working_day(date(2027, 2, 7)).unwrap());

    let mut fresh = OfficialCalendar::default();
    assert_eq!(
        fresh.add_year(empty),
        Ok(YearChange::RecordedUnpublished { year: 2027 })
    );
}

#[test]
fn malformed_year_files_are_refused_with_the_offending_value() {
    assert!(matches!(
        OfficialCalendar::from_year_json(["{\"year\": 2027, \"days\": ["]),
        Err(CalendarDataError::Json { .. })
    ));
    let outside = r#"{"year": 2027, "days": [{"name": "x", "date": "2027-12-31", "isOffDay": true},
        {"name": "x", "date": "2026-11-30", "isOffDay": true}]}"#;
    assert_eq!(
        YearArrangement::parse(outside),
        Err(CalendarDataError::DateOutsideYear {
            year: 2027,
            date: date(2026, 11, 30)
        })
    );
    let twice = r#"{"year": 2027, "days": [{"name": "x", "date": "2027-01-01", "isOffDay": true},
        {"name": "y", "date": "2027-01-01", "isOffDay": false}]}"#;
    assert_eq!(
        YearArrangement::parse(twice),
        Err(CalendarDataError::DuplicateDate {
            year: 2027,
            date: date(2027, 1, 1)
        })
    );
    assert_eq!(
        OfficialCalendar::from_year_json([FAKE_2027, FAKE_2027]),
        Err(CalendarDataError::DuplicateYear { year: 2027 })
    );
}

#[test]
fn fingerprint_changes_with_the_listed_days() {
    let a = YearArrangement::parse(FAKE_2027).unwrap();
    let b = YearArrangement::parse(&FAKE_2027.replace("\"元旦\"", "\"新年\"")).unwrap();
    assert_eq!(a.fingerprint().len(), 64);
    assert_ne!(a.fingerprint(), b.fingerprint());
    assert!(
        a.version()
            .starts_with("https://example.invalid/2027 sha256:")
    );
}
