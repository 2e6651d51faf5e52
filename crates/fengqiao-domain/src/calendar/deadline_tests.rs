use proptest::prelude::*;

use super::*;
use crate::calendar::OfficialCalendar;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn calendar() -> OfficialCalendar {
    OfficialCalendar::embedded().unwrap()
}

#[test]
fn fifteen_working_days_across_spring_festival_2026() {
    // Start Tuesday 2026-02-10. Counted: 02-11 (1), 02-12 (2), 02-13 (3), Saturday 02-14 (4, 调休),
    // 02-15..02-23 off for 春节, 02-24 (5), 02-25 (6), 02-26 (7), 02-27 (8), Saturday 02-28 (9, 调休),
    // Sunday 03-01 off, 03-02..03-06 (10..14), weekend 03-07/08, Monday 03-09 (15).
    let deadline = deadline_working_days(&calendar(), date(2026, 2, 10), 15).unwrap();
    assert_eq!(deadline.due, date(2026, 3, 9));
    assert_eq!(deadline.nominal_last_day, date(2026, 3, 9));
    assert_eq!(deadline.counting_from, date(2026, 2, 11));
    // 9 days of 春节, Sunday 03-01, and the weekend 03-07/08.
    assert_eq!(deadline.not_counted.len(), 12);
    assert!(
        deadline
            .explanation
            .iter()
            .any(|l| l == "not counted: 2026-02-15–2026-02-23, 9 days: 春节 holiday")
    );
    assert!(
        deadline
            .explanation
            .iter()
            .any(|l| l == "counted: 2026-02-14 (星期六) is a 调休 working day for 春节")
    );
    assert_eq!(deadline.calendar_sources.len(), 1);
    assert_eq!(deadline.calendar_sources[0].year, 2026);
}

#[test]
fn five_working_days_across_national_day_2025() {
    // Start Friday 2025-09-26. Saturday 09-27 rests; Sunday 09-28 is 调休 (1); 09-29 (2); 09-30 (3);
    // 10-01..10-08 off for 国庆节、中秋节; 10-09 (4); 10-10 (5).
    let deadline = deadline_working_days(&calendar(), date(2025, 9, 26), 5).unwrap();
    assert_eq!(deadline.due, date(2025, 10, 10));
}

#[test]
fn calendar_days_ending_in_national_day_2025_move_to_october_9() {
    // 15 days from 2025-09-16 end on 10-01; 10-01..10-08 are all off, 10-09 (Thursday) works.
    let deadline = deadline_calendar_days(&calendar(), date(2025, 9, 16), 15).unwrap();
    assert_eq!(deadline.nominal_last_day, date(2025, 10, 1));
    assert_eq!(deadline.due, date(2025, 10, 9));
    assert_eq!(deadline.moved_over.len(), 8);
    assert_eq!(
        deadline.explanation[2],
        "the last day falls on rest days (2025-10-01–2025-10-08, 8 days: 国庆节、中秋节 holiday); a period whose last day is a statutory rest day (法定休假日) ends on the first working day after it (民法典 art. 203; 民诉法 art. 85)"
    );
    assert_eq!(
        deadline.explanation.last().unwrap(),
        "due 2025-10-09 (星期四)"
    );
}

#[test]
fn a_last_day_on_a_swapped_working_weekend_does_not_move() {
    // 15 days from 2025-09-13 end on Sunday 09-28, a 调休 working day: it stays.
    let deadline = deadline_calendar_days(&calendar(), date(2025, 9, 13), 15).unwrap();
    assert_eq!(deadline.due, date(2025, 9, 28));
    assert!(deadline.moved_over.is_empty());
    assert_eq!(
        deadline.explanation[2],
        "that day is a 调休 working day for 国庆节、中秋节, not a rest day: no move"
    );
}

#[test]
fn a_last_day_on_an_ordinary_saturday_moves_to_monday() {
    // 15 days from Friday 2026-03-06 end on Saturday 03-21; Monday 03-23 is the first working day.
    let deadline = deadline_calendar_days(&calendar(), date(2026, 3, 6), 15).unwrap();
    assert_eq!(deadline.due, date(2026, 3, 23));
    assert_eq!(deadline.moved_over.len(), 2);
}

#[test]
fn thirty_days_from_an_agreement_landing_in_spring_festival_2026() {
    // Agreement signed 2026-01-16: 30 days end on Sunday 02-15, the first day of 春节; 02-15..02-23
    // are off, so the confirmation application is still in time on Tuesday 02-24.
    let deadline = deadline_calendar_days(&calendar(), date(2026, 1, 16), 30).unwrap();
    assert_eq!(deadline.nominal_last_day, date(2026, 2, 15));
    assert_eq!(deadline.due, date(2026, 2, 24));
}

#[test]
fn working_days_into_2027_are_refused() {
    // From Tuesday 2026-12-22, 7 working days end on Thursday 12-31, inside 2026: answered.
    let inside = deadline_working_days(&calendar(), date(2026, 12, 22), 7).unwrap();
    assert_eq!(inside.due, date(2026, 12, 31));
    // One more needs 2027-01-01, whose arrangement is unpublished: refused, not guessed.
    assert_eq!(
        deadline_working_days(&calendar(), date(2026, 12, 22), 8),
        Err(CalendarError::Unpublished { year: 2027 })
    );
    assert_eq!(
        deadline_working_days(&calendar(), date(2026, 12, 30), 1)
            .unwrap()
            .due,
        date(2026, 12, 31)
    );
}

#[test]
fn calendar_days_ending_in_2027_are_refused() {
    // 15 days from 2026-12-20 end on 2027-01-04: whether that is a rest day is not yet known.
    assert_eq!(
        deadline_calendar_days(&calendar(), date(2026, 12, 20), 15),
        Err(CalendarError::Unpublished { year: 2027 })
    );
    // 11 days end on Thursday 2026-12-31, a working day: answered.
    assert_eq!(
        deadline_calendar_days(&calendar(), date(2026, 12, 20), 11)
            .unwrap()
            .due,
        date(2026, 12, 31)
    );
}

#[test]
fn zero_and_absurd_lengths_are_refused() {
    assert_eq!(
        deadline_calendar_days(&calendar(), date(2026, 3, 2), 0),
        Err(CalendarError::ZeroLength)
    );
    assert_eq!(
        deadline_working_days(&calendar(), date(2026, 3, 2), 100_000),
        Err(CalendarError::TooLong {
            length: 100_000,
            max: MAX_DEADLINE_DAYS
        })
    );
}

#[test]
fn pauses_extend_by_paused_days_on_the_clocks_basis() {
    let cal = calendar();
    // Calendar basis: 30 days from 2026-03-02 end on 04-01; a 10-day appraisal 03-10..03-19
    // pushes the last day to 04-11, a Saturday, so it moves to Monday 04-13.
    let request = DeadlineRequest {
        start: date(2026, 3, 2),
        length: 30,
        basis: DayBasis::Calendar,
        paused: vec![DateRange {
            from: date(2026, 3, 10),
            to: date(2026, 3, 19),
        }],
    };
    let paused = compute_deadline(&cal, &request).unwrap();
    assert_eq!(paused.paused_days, 10);
    assert_eq!(paused.nominal_last_day, date(2026, 4, 11));
    assert_eq!(paused.due, date(2026, 4, 13));
    // Working basis: 5 working days from Monday 03-02 are 03-03..06 and 03-09, all before the
    // pause, so the pause changes nothing.
    let short = DeadlineRequest {
        basis: DayBasis::Working,
        length: 5,
        ..request.clone()
    };
    assert_eq!(
        compute_deadline(&cal, &short).unwrap().due,
        date(2026, 3, 9)
    );
    // 6 working days: the 6th would be 03-10, but 03-10..19 hold 8 paused working days
    // (03-10..13, 03-16..19), so the 6th counted working day is Friday 03-20.
    let longer = DeadlineRequest { length: 6, ..short };
    let longer = compute_deadline(&cal, &longer).unwrap();
    assert_eq!(longer.paused_days, 8);
    assert_eq!(longer.due, date(2026, 3, 20));
}

proptest! {
    #[test]
    fn working_deadline_is_the_nth_working_day(offset in 0u32..7100, n in 1u32..40) {
        let cal = calendar();
        let start = date(2007, 1, 1) + chrono::Days::new(u64::from(offset));
        let deadline = deadline_working_days(&cal, start, n).unwrap();
        prop_assert!(cal.is_working_day(deadline.due).unwrap());
        let mut counted = 0;
        let mut d = start.succ_opt().unwrap();
        while d <= deadline.due {
            counted += u32::from(cal.is_working_day(d).unwrap());
            d = d.succ_opt().unwrap();
        }
        prop_assert_eq!(counted, n);
    }

    #[test]
    fn calendar_deadline_lands_on_the_first_working_day_from_the_nominal_day(
        offset in 0u32..7100, n in 1u32..60
    ) {
        let cal = calendar();
        let start = date(2007, 1, 1) + chrono::Days::new(u64::from(offset));
        let deadline = deadline_calendar_days(&cal, start, n).unwrap();
        let nominal = start + chrono::Days::new(u64::from(n));
        prop_assert_eq!(deadline.nominal_last_day, nominal);
        prop_assert!(cal.is_working_day(deadline.due).unwrap());
        let mut d = nominal;
        while d < deadline.due {
            prop_assert!(!cal.is_working_day(d).unwrap());
            d = d.succ_opt().unwrap();
        }
        let longer = deadline_calendar_days(&cal, start, n + 1).unwrap();
        prop_assert!(longer.due >= deadline.due);
    }
}
