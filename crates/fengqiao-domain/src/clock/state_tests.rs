use super::*;
use crate::calendar::OfficialCalendar;
use crate::clock::{default_internal_targets, default_legal_clocks};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn clock(id: &str) -> ClockDefinition {
    default_legal_clocks()
        .into_iter()
        .chain(default_internal_targets())
        .find(|c| c.id == id)
        .unwrap()
}

fn run(started_on: NaiveDate) -> ClockRun {
    ClockRun {
        started_on,
        pauses: Vec::new(),
        extensions: Vec::new(),
    }
}

#[test]
fn labour_mediation_goes_green_yellow_red_overdue() {
    let cal = OfficialCalendar::embedded().unwrap();
    let labour = clock("labour_mediation");
    // 15 days from 2025-09-16 end on 10-01 (National Day), moved to Thursday 10-09. Warn: 3 days.
    let on = |today| clock_state(&labour, &run(date(2025, 9, 16)), &cal, today).unwrap();
    let green = on(date(2025, 10, 5));
    assert_eq!(green.due, date(2025, 10, 9));
    assert_eq!(
        (green.status, green.days_left),
        (ClockStatus::Green, Some(4))
    );
    assert_eq!(on(date(2025, 10, 6)).status, ClockStatus::Yellow);
    let due_today = on(date(2025, 10, 9));
    assert_eq!(
        (due_today.status, due_today.days_left),
        (ClockStatus::Red, Some(0))
    );
    assert!(!due_today.overdue);
    let late = on(date(2025, 10, 11));
    assert_eq!(
        (late.status, late.days_left, late.days_overdue),
        (ClockStatus::Red, None, 2)
    );
    assert!(late.overdue);
    assert!(late.is_law);
}

#[test]
fn appraisal_pauses_extend_a_working_day_clock_by_paused_working_days() {
    let cal = OfficialCalendar::embedded().unwrap();
    let medical = clock("medical_dispute_mediation");
    let started = run(date(2025, 3, 3));
    // Unpaused: the 30th working day after Monday 2025-03-03 is Tuesday 04-15 (Qingming 04-04..06 skipped).
    assert_eq!(
        clock_state(&medical, &started, &cal, date(2025, 3, 3))
            .unwrap()
            .due,
        date(2025, 4, 15)
    );
    // On Thursday 04-10, three working days are left (04-11, 04-14, 04-15): inside the 5-day warning.
    let near = clock_state(&medical, &started, &cal, date(2025, 4, 10)).unwrap();
    assert_eq!(
        (near.status, near.days_left),
        (ClockStatus::Yellow, Some(3))
    );

    // Appraisal Monday 03-10 to Friday 03-14: five working days → due five working days later, 04-22.
    let appraised = ClockRun {
        pauses: vec![Pause {
            condition: "appraisal".to_owned(),
            from: date(2025, 3, 10),
            until: Some(date(2025, 3, 14)),
        }],
        ..started.clone()
    };
    let state = clock_state(&medical, &appraised, &cal, date(2025, 3, 20)).unwrap();
    assert_eq!(state.due, date(2025, 4, 22));
    assert_eq!(state.deadline.paused_days, 5);
    assert!(!state.paused_now);

    // Still in appraisal on Wednesday 03-12: paused through today (3 working days) → due 04-18 so far.
    let open = ClockRun {
        pauses: vec![Pause {
            condition: "appraisal".to_owned(),
            from: date(2025, 3, 10),
            until: None,
        }],
        ..started
    };
    let state = clock_state(&medical, &open, &cal, date(2025, 3, 12)).unwrap();
    assert_eq!(state.due, date(2025, 4, 18));
    assert!(state.paused_now);
}

#[test]
fn approved_extension_lengthens_the_arbitration_clock() {
    let cal = OfficialCalendar::embedded().unwrap();
    let arbitration = clock("labour_arbitration_award");
    let started = run(date(2026, 3, 2));
    // 45 days from 2026-03-02: Thursday 04-16.
    assert_eq!(
        clock_state(&arbitration, &started, &cal, date(2026, 3, 2))
            .unwrap()
            .due,
        date(2026, 4, 16)
    );
    // +15 approved by the commission's director: 60 days end on Friday 05-01 (劳动节, off until
    // 05-05), so the award is due Wednesday 05-06.
    let extended = ClockRun {
        extensions: vec![GrantedExtension {
            days: 15,
            approver: "arbitration_commission_director".to_owned(),
            granted_on: date(2026, 4, 10),
        }],
        ..started.clone()
    };
    let state = clock_state(&arbitration, &extended, &cal, date(2026, 4, 20)).unwrap();
    assert_eq!((state.due, state.extended_days), (date(2026, 5, 6), 15));
}

#[test]
fn bad_extensions_and_pauses_are_refused() {
    let cal = OfficialCalendar::embedded().unwrap();
    let today = date(2026, 4, 1);
    let arbitration = clock("labour_arbitration_award");
    let with_extension = |days, approver: &str| ClockRun {
        extensions: vec![GrantedExtension {
            days,
            approver: approver.to_owned(),
            granted_on: today,
        }],
        ..run(date(2026, 3, 2))
    };
    assert_eq!(
        clock_state(
            &arbitration,
            &with_extension(16, "arbitration_commission_director"),
            &cal,
            today
        ),
        Err(ClockError::ExtensionTooLong {
            clock: "labour_arbitration_award".to_owned(),
            granted: 16,
            max: 15
        })
    );
    assert!(matches!(
        clock_state(&arbitration, &with_extension(5, "mediator"), &cal, today),
        Err(ClockError::WrongApprover { .. })
    ));
    assert!(matches!(
        clock_state(
            &arbitration,
            &with_extension(0, "arbitration_commission_director"),
            &cal,
            today
        ),
        Err(ClockError::ZeroExtension { .. })
    ));
    assert!(matches!(
        clock_state(
            &clock("labour_mediation"),
            &with_extension(5, "x"),
            &cal,
            today
        ),
        Err(ClockError::ExtensionNotAllowed { .. })
    ));
    let paused = |condition: &str, until| ClockRun {
        pauses: vec![Pause {
            condition: condition.to_owned(),
            from: date(2026, 3, 10),
            until,
        }],
        ..run(date(2026, 3, 2))
    };
    assert!(matches!(
        clock_state(
            &clock("labour_mediation"),
            &paused("appraisal", None),
            &cal,
            today
        ),
        Err(ClockError::PauseNotAllowed { .. })
    ));
    assert!(matches!(
        clock_state(
            &clock("medical_dispute_mediation"),
            &paused("appraisal", Some(date(2026, 3, 9))),
            &cal,
            today
        ),
        Err(ClockError::PauseBackwards { .. })
    ));
}

#[test]
fn a_working_day_clock_running_into_2027_is_refused() {
    let cal = OfficialCalendar::embedded().unwrap();
    let result = clock_state(
        &clock("consumer_complaint"),
        &run(date(2026, 12, 28)),
        &cal,
        date(2026, 12, 28),
    );
    assert_eq!(
        result,
        Err(ClockError::Calendar(CalendarError::Unpublished {
            year: 2027
        }))
    );
}

#[test]
fn supervision_lists_red_clocks_most_overdue_first() {
    let cal = OfficialCalendar::embedded().unwrap();
    let today = date(2025, 10, 14);
    let tracked = |subject: &str, id: &str, started: NaiveDate| TrackedClock {
        subject: subject.to_owned(),
        definition: clock(id),
        run: run(started),
    };
    let clocks = vec![
        // due 10-09 (moved past National Day): 5 days overdue.
        tracked("A", "labour_mediation", date(2025, 9, 16)),
        // 7 working days from 10-01: 10-09, 10, 11 (调休), 13, 14, 15, 16 → due 10-16, yellow: not listed.
        tracked("B", "consumer_complaint", date(2025, 10, 1)),
        // 2 working days from 10-09: 10-10 and Saturday 10-11 (调休) → 3 days overdue, internal.
        tracked("C", "target_accept_case", date(2025, 10, 9)),
        // 7 days from 10-07 end today, a Tuesday: red, not overdue.
        tracked("D", "legal_aid_decision", date(2025, 10, 7)),
        // A party's window: never on the list.
        tracked("E", "judicial_confirmation_application", date(2025, 1, 2)),
        // Needs 2027: cannot be computed, reported for a person to check.
        tracked("F", "consumer_complaint", date(2026, 12, 28)),
        // 10 days from 10-01 end Saturday 10-11, a 调休 working day: 3 days overdue, internal.
        tracked("G", "target_labour_mediation", date(2025, 10, 1)),
        // 7 days from 10-04 end on 10-11 as well: 3 days overdue, legal, so before C and G.
        tracked("H", "legal_aid_decision", date(2025, 10, 4)),
    ];
    let list = overdue_for_supervision(&cal, &clocks, today);
    let order: Vec<_> = list
        .items
        .iter()
        .map(|i| (i.subject.as_str(), i.days_overdue))
        .collect();
    assert_eq!(
        order,
        vec![("A", 5), ("H", 3), ("C", 3), ("G", 3), ("D", 0)]
    );
    assert_eq!(list.uncomputable.len(), 1);
    assert_eq!(list.uncomputable[0].subject, "F");
    assert!(list.uncomputable[0].reason.contains("2027"));
    assert_eq!((list.computed, list.overdue), (6, 4));
    assert_eq!(list.overdue_rate_per_mille(), Some(666));
    assert_eq!(SupervisionList::default().overdue_rate_per_mille(), None);
}

#[test]
fn run_started_at_takes_the_china_date() {
    // 2025-09-15 17:30 UTC is already 2025-09-16 in Beijing.
    let at = Timestamp::parse_rfc3339("2025-09-15T17:30:00Z").unwrap();
    assert_eq!(ClockRun::started_at(at).started_on, date(2025, 9, 16));
}
