//! The alert loop: every allowed edge, refusals by standing and status, and a property test that
//! random steps never leave the loop's edges.

use super::*;
use AlertStatus::*;
use proptest::prelude::*;

const CENTRE: AlertActor = AlertActor {
    is_centre: true,
    is_owner: false,
};
const OWNER: AlertActor = AlertActor {
    is_centre: false,
    is_owner: true,
};
const NOBODY: AlertActor = AlertActor {
    is_centre: false,
    is_owner: false,
};

fn note(text: &str) -> String {
    text.to_owned()
}

#[test]
fn the_whole_loop_runs_with_a_clock_at_every_waiting_step() {
    let steps = [
        (
            OWNER,
            AlertCommand::Sign { note: note("") },
            Signed,
            Some("alert_handle"),
        ),
        (
            OWNER,
            AlertCommand::Handle {
                note: note("已上门劝阻"),
            },
            Handled,
            Some("alert_feedback"),
        ),
        (
            OWNER,
            AlertCommand::Feedback {
                note: note("当事人已知悉"),
            },
            FedBack,
            Some("alert_close"),
        ),
        (CENTRE, AlertCommand::Close { note: note("") }, Closed, None),
    ];
    let mut status = Issued;
    assert_eq!(status.clock(), Some("alert_sign"));
    for (actor, command, to, clock) in steps {
        let d = decide_alert(status, &actor, &command).unwrap();
        assert_eq!(
            (d.from, d.to, d.start_clock, d.moves),
            (status, to, clock, true)
        );
        status = d.to;
    }
    assert!(!status.is_open());
}

#[test]
fn only_the_owner_signs_handles_and_feeds_back() {
    let sign = AlertCommand::Sign { note: note("") };
    let err = decide_alert(Issued, &CENTRE, &sign).unwrap_err();
    assert!(matches!(err, AlertError::NotPermitted { .. }), "{err}");
    let handle = AlertCommand::Handle {
        note: note("处置")
    };
    assert!(decide_alert(Signed, &NOBODY, &handle).is_err());
    assert!(decide_alert(Signed, &OWNER, &handle).is_ok());
}

#[test]
fn only_the_centre_closes_sends_back_dismisses_reopens_and_reassigns() {
    let close = AlertCommand::Close { note: note("") };
    assert!(decide_alert(FedBack, &OWNER, &close).is_err());
    let back = AlertCommand::SendBack {
        reason: note("反馈不实"),
    };
    assert_eq!(decide_alert(FedBack, &CENTRE, &back).unwrap().to, Signed);
    let dismiss = AlertCommand::Dismiss {
        reason: note("误报"),
    };
    assert_eq!(decide_alert(Issued, &CENTRE, &dismiss).unwrap().to, Closed);
    assert!(decide_alert(Handled, &CENTRE, &dismiss).is_err());
    let reopen = AlertCommand::Reopen {
        reason: note("再次发生"),
    };
    assert_eq!(decide_alert(Closed, &CENTRE, &reopen).unwrap().to, Signed);
    let assign = AlertCommand::Assign {
        owner_org_id: note("org:police"),
        reason: note(""),
    };
    let d = decide_alert(Signed, &CENTRE, &assign).unwrap();
    assert_eq!((d.to, d.start_clock), (Issued, Some("alert_sign")));
}

#[test]
fn reasons_and_notes_are_required_where_the_record_needs_them() {
    for (status, actor, command, field) in [
        (
            Signed,
            OWNER,
            AlertCommand::Handle { note: note("  ") },
            "note",
        ),
        (
            Handled,
            OWNER,
            AlertCommand::Feedback { note: note("") },
            "note",
        ),
        (
            FedBack,
            CENTRE,
            AlertCommand::SendBack { reason: note("") },
            "reason",
        ),
        (
            Issued,
            CENTRE,
            AlertCommand::Dismiss { reason: note("") },
            "reason",
        ),
        (
            Issued,
            CENTRE,
            AlertCommand::SpawnGridEvent {
                category_code: note(""),
                note: note(""),
            },
            "category_code",
        ),
    ] {
        match decide_alert(status, &actor, &command) {
            Err(AlertError::Invalid { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{command:?}: {other:?}"),
        }
    }
}

#[test]
fn spawning_keeps_the_status_and_is_refused_once_closed() {
    let spawn = AlertCommand::SpawnDispute {
        dispute_type: note("labour"),
        note: note(""),
    };
    let d = decide_alert(Signed, &OWNER, &spawn).unwrap();
    assert_eq!((d.to, d.moves, d.start_clock), (Signed, false, None));
    assert!(matches!(
        decide_alert(Closed, &CENTRE, &spawn),
        Err(AlertError::WrongStatus { .. })
    ));
}

#[test]
fn commands_parse_from_the_api_shape() {
    let c: AlertCommand = serde_json::from_str(r#"{"action":"send_back","reason":"x"}"#).unwrap();
    assert_eq!(c.name(), "send_back");
    assert!(serde_json::from_str::<AlertCommand>(r#"{"action":"sign","bogus":1}"#).is_err());
}

fn any_command() -> impl Strategy<Value = AlertCommand> {
    let text = prop_oneof![Just(String::new()), Just("说明".to_owned())];
    prop_oneof![
        text.clone().prop_map(|note| AlertCommand::Sign { note }),
        text.clone().prop_map(|note| AlertCommand::Handle { note }),
        text.clone()
            .prop_map(|note| AlertCommand::Feedback { note }),
        text.clone().prop_map(|note| AlertCommand::Close { note }),
        text.clone()
            .prop_map(|reason| AlertCommand::SendBack { reason }),
        text.clone()
            .prop_map(|reason| AlertCommand::Dismiss { reason }),
        text.clone()
            .prop_map(|reason| AlertCommand::Reopen { reason }),
        text.clone().prop_map(|reason| AlertCommand::Assign {
            owner_org_id: "org:x".into(),
            reason
        }),
        text.prop_map(|note| AlertCommand::SpawnGridEvent {
            category_code: "road".into(),
            note
        }),
    ]
}

const EDGES: [(AlertStatus, AlertStatus); 9] = [
    (Issued, Signed),
    (Signed, Handled),
    (Handled, FedBack),
    (FedBack, Closed),
    (FedBack, Signed),
    (Issued, Closed),
    (Signed, Closed),
    (Closed, Signed),
    (Signed, Issued),
];

proptest! {
    #[test]
    fn random_steps_stay_on_the_loops_edges(
        steps in proptest::collection::vec((any_command(), any::<bool>(), any::<bool>()), 1..40)
    ) {
        let mut status = Issued;
        for (command, is_centre, is_owner) in steps {
            let actor = AlertActor { is_centre, is_owner };
            if let Ok(d) = decide_alert(status, &actor, &command) {
                prop_assert_eq!(d.from, status);
                if d.moves && d.to != status {
                    prop_assert!(EDGES.contains(&(status, d.to)), "{:?} -> {:?}", status, d.to);
                }
                prop_assert_eq!(d.start_clock, if d.moves { d.to.clock() } else { None });
                status = d.to;
            }
        }
    }
}
