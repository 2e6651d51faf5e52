//! The operator CLI's calendar output: one JSON object per date, and a deadline as JSON.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{CalendarError, DayKind, Deadline, WorkingCalendar, next_day};

/// One line of `fengqiao calendar days FROM TO --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayLine {
    pub date: NaiveDate,
    pub working: bool,
    pub kind: DayKind,
    /// The holiday's name (also on a 调休 working day, naming the holiday it pays for); null otherwise.
    pub holiday: Option<String>,
}

/// Every date from `from` to `to` inclusive. The whole report is refused if any date lies in an
/// unpublished year, so a script never receives a partial answer that looks complete.
pub fn days_report<C: WorkingCalendar + ?Sized>(
    calendar: &C,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<DayLine>, CalendarError> {
    if from > to {
        return Err(CalendarError::BackwardsRange { from, to });
    }
    let mut lines = Vec::new();
    let mut date = from;
    loop {
        let info = calendar.day(date)?;
        lines.push(DayLine {
            date,
            working: info.is_working(),
            kind: info.kind,
            holiday: info.holiday,
        });
        if date == to {
            return Ok(lines);
        }
        date = next_day(date)?;
    }
}

/// JSON Lines: one compact object per date, each followed by a newline.
pub fn render_days_json_lines(lines: &[DayLine]) -> Result<String, serde_json::Error> {
    let mut out = String::new();
    for line in lines {
        out.push_str(&serde_json::to_string(line)?);
        out.push('\n');
    }
    Ok(out)
}

/// `fengqiao calendar deadline … --json`: the deadline with its rule and explanation, one object.
pub fn render_deadline_json(deadline: &Deadline) -> Result<String, serde_json::Error> {
    serde_json::to_string(deadline)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{OfficialCalendar, deadline_calendar_days};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn days_lines_cover_every_kind_around_spring_festival_2026() {
        let calendar = OfficialCalendar::embedded().unwrap();
        let lines = days_report(&calendar, date(2026, 2, 13), date(2026, 2, 15)).unwrap();
        let text = render_days_json_lines(&lines).unwrap();
        // 02-13 Friday ordinary; 02-14 Saturday worked for 春节; 02-15 Sunday first day off.
        assert_eq!(
            text,
            concat!(
                r#"{"date":"2026-02-13","working":true,"kind":"workday","holiday":null}"#,
                "\n",
                r#"{"date":"2026-02-14","working":true,"kind":"adjusted_workday","holiday":"春节"}"#,
                "\n",
                r#"{"date":"2026-02-15","working":false,"kind":"holiday","holiday":"春节"}"#,
                "\n",
            )
        );
        let weekend = days_report(&calendar, date(2026, 3, 7), date(2026, 3, 7)).unwrap();
        assert_eq!(
            render_days_json_lines(&weekend).unwrap(),
            "{\"date\":\"2026-03-07\",\"working\":false,\"kind\":\"weekend\",\"holiday\":null}\n"
        );
    }

    #[test]
    fn days_report_refuses_unpublished_years_and_backwards_ranges() {
        let calendar = OfficialCalendar::embedded().unwrap();
        assert_eq!(
            days_report(&calendar, date(2026, 12, 30), date(2027, 1, 2)),
            Err(CalendarError::Unpublished { year: 2027 })
        );
        assert_eq!(
            days_report(&calendar, date(2006, 12, 31), date(2007, 1, 2)),
            Err(CalendarError::Unpublished { year: 2006 })
        );
        assert_eq!(
            days_report(&calendar, date(2026, 1, 2), date(2026, 1, 1)),
            Err(CalendarError::BackwardsRange {
                from: date(2026, 1, 2),
                to: date(2026, 1, 1)
            })
        );
        let message = CalendarError::Unpublished { year: 2027 }.to_string();
        assert!(message.contains("no published official holiday arrangement for 2027"));
    }

    #[test]
    fn deadline_json_carries_due_date_and_rule() {
        let calendar = OfficialCalendar::embedded().unwrap();
        let deadline = deadline_calendar_days(&calendar, date(2025, 9, 16), 15).unwrap();
        let value: serde_json::Value =
            serde_json::from_str(&render_deadline_json(&deadline).unwrap()).unwrap();
        assert_eq!(value["due"], "2025-10-09");
        assert_eq!(value["nominal_last_day"], "2025-10-01");
        assert_eq!(value["basis"], "calendar");
        assert_eq!(value["moved_over"].as_array().unwrap().len(), 8);
        assert!(
            value["explanation"][2]
                .as_str()
                .unwrap()
                .contains("民法典 art. 203")
        );
    }
}
