use super::*;
use crate::org::Specialty;
use proptest::prelude::*;

fn centre() -> Actor {
    Actor {
        is_centre: true,
        ..Actor::default()
    }
}

fn department() -> Actor {
    Actor {
        is_department: true,
        ..Actor::default()
    }
}

fn worker_reporter() -> Actor {
    Actor {
        is_reporter: true,
        is_grid_worker: true,
        ..Actor::default()
    }
}

fn state(status: EventStatus, evidence: usize) -> EventState {
    EventState {
        status,
        evidence_count: evidence,
        reported_by_grid_worker: true,
    }
}

fn step(status: EventStatus, actor: Actor, command: Command) -> EventStatus {
    decide(&state(status, 1), &actor, &command)
        .unwrap_or_else(|e| panic!("{command:?} from {status:?}: {e}"))
        .to
}

#[test]
fn the_whole_loop_reaches_evaluated_with_a_clock_for_every_waiting_step() {
    use EventStatus::*;
    let mut s = Reported;
    assert_eq!(s.clock(), Some("grid_accept"));
    s = step(
        s,
        centre(),
        Command::Accept {
            note: String::new(),
        },
    );
    assert_eq!((s, s.clock()), (Accepted, Some("grid_dispatch")));
    let dispatch = Command::Dispatch {
        department_org_id: "dept-city".into(),
        reason: String::new(),
    };
    s = step(s, centre(), dispatch.clone());
    assert_eq!((s, s.clock()), (Dispatched, Some("grid_sign")));
    s = step(
        s,
        department(),
        Command::Return {
            reason: "不属于本部门职责".into(),
        },
    );
    assert_eq!(s, Returned);
    s = step(s, centre(), dispatch);
    s = step(s, department(), Command::Sign);
    assert_eq!((s, s.clock()), (Handling, Some("grid_handle")));
    s = step(
        s,
        department(),
        Command::Feedback {
            note: "已清理".into(),
        },
    );
    assert_eq!((s, s.clock()), (FedBack, Some("grid_verify")));
    s = step(
        s,
        centre(),
        Command::Verify {
            approved: false,
            note: "仍有残留".into(),
        },
    );
    assert_eq!(s, Handling);
    s = step(
        s,
        department(),
        Command::Feedback {
            note: "已彻底清理".into(),
        },
    );
    s = step(
        s,
        centre(),
        Command::Verify {
            approved: true,
            note: String::new(),
        },
    );
    assert_eq!((s, s.clock()), (Closed, None));
    let evaluate = Command::Evaluate {
        satisfaction: 5,
        comment: String::new(),
    };
    s = step(
        s,
        Actor {
            is_reporter: true,
            ..Actor::default()
        },
        evaluate,
    );
    assert_eq!(s, Evaluated);
    s = step(
        s,
        Actor {
            is_reporter: true,
            ..Actor::default()
        },
        Command::Reopen {
            reason: "又堆上了".into(),
        },
    );
    assert_eq!(s, Accepted);
}

#[test]
fn on_the_spot_needs_the_reporting_worker_and_a_photo() {
    let solve = Command::SolveOnSpot {
        note: "已劝离".into(),
    };
    let no_photo = decide(&state(EventStatus::Reported, 0), &worker_reporter(), &solve);
    assert!(matches!(
        no_photo,
        Err(GridEventError::Invalid {
            field: "photos",
            ..
        })
    ));
    let other_worker = Actor {
        is_grid_worker: true,
        ..Actor::default()
    };
    assert!(matches!(
        decide(&state(EventStatus::Reported, 1), &other_worker, &solve),
        Err(GridEventError::NotPermitted { .. })
    ));
    assert_eq!(
        step(EventStatus::Reported, worker_reporter(), solve),
        EventStatus::SolvedOnSpot
    );
    // A refused on-the-spot solution is taken over by the centre.
    let refuse = Command::Verify {
        approved: false,
        note: "照片不清".into(),
    };
    assert_eq!(
        step(EventStatus::SolvedOnSpot, centre(), refuse),
        EventStatus::Accepted
    );
}

#[test]
fn departments_cannot_close_and_the_centre_cannot_sign() {
    let close = Command::Verify {
        approved: true,
        note: String::new(),
    };
    assert!(matches!(
        decide(&state(EventStatus::FedBack, 1), &department(), &close),
        Err(GridEventError::NotPermitted { .. })
    ));
    assert!(matches!(
        decide(
            &state(EventStatus::Dispatched, 1),
            &centre(),
            &Command::Sign
        ),
        Err(GridEventError::NotPermitted { .. })
    ));
    assert!(matches!(
        decide(&state(EventStatus::Closed, 1), &centre(), &Command::Sign),
        Err(GridEventError::WrongStatus { .. })
    ));
    let blank = Command::Reject {
        reason: "  ".into(),
    };
    assert!(matches!(
        decide(&state(EventStatus::Reported, 1), &centre(), &blank),
        Err(GridEventError::Invalid {
            field: "reason",
            ..
        })
    ));
}

#[test]
fn dispatch_picks_the_nearest_department_of_the_rules_field_and_explains_it() {
    let categories = default_categories();
    let rules = default_dispatch_rules(&categories);
    let departments = vec![
        DepartmentEntry {
            org_id: "city-um".into(),
            name: "市城管局".into(),
            region_path: "/3399/".into(),
            specialty: Some(Specialty::UrbanManagement),
        },
        DepartmentEntry {
            org_id: "d1-um".into(),
            name: "上城区城管局".into(),
            region_path: "/3399/339902/".into(),
            specialty: Some(Specialty::UrbanManagement),
        },
        DepartmentEntry {
            org_id: "d2-um".into(),
            name: "下城区城管局".into(),
            region_path: "/3399/339903/".into(),
            specialty: Some(Specialty::UrbanManagement),
        },
    ];
    let choice = dispatch(&rules, "clutter", "/3399/339902/001/", &departments).unwrap();
    assert_eq!(choice.org_id, "d1-um");
    assert!(
        choice.explanation.contains("乱堆乱放"),
        "{}",
        choice.explanation
    );
    let elsewhere = dispatch(&rules, "clutter", "/3399/339909/001/", &departments).unwrap();
    assert_eq!(elsewhere.org_id, "city-um");
    // Disputes are not dispatched to a department: they become cases.
    assert!(dispatch(&rules, "neighbour_dispute", "/3399/339902/", &departments).is_err());
    let err = dispatch(&rules, "noise", "/3399/339902/", &departments).unwrap_err();
    let DispatchError::NoRule { trace, .. } = err;
    assert!(
        trace.iter().any(|t| t.contains("dispatch_noise")),
        "{trace:?}"
    );
}

#[test]
fn every_category_clock_and_rule_is_known() {
    let clocks: Vec<String> = crate::clock::default_internal_targets()
        .into_iter()
        .map(|c| c.id)
        .collect();
    for status in EventStatus::ALL {
        if let Some(clock) = status.clock() {
            assert!(clocks.iter().any(|c| c == clock), "{clock}");
        }
        assert_eq!(status.code().parse::<EventStatus>(), Ok(status));
    }
    assert!(clocks.iter().any(|c| c == SUMMONS_CLOCK));
    let categories = default_categories();
    for rule in default_dispatch_rules(&categories) {
        assert!(validate_rule(&rule).is_empty(), "{rule:?}");
    }
    let mut codes: Vec<_> = categories.iter().map(|c| c.code.clone()).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), categories.len());
}

#[test]
fn a_summons_needs_two_distinct_departments() {
    let two = vec!["a".to_owned(), "b".to_owned()];
    assert!(check_summons("河道整治", "多部门共治", &two).is_ok());
    assert!(check_summons("河道整治", "多部门共治", &two[..1]).is_err());
    let twice = vec!["a".to_owned(), "a".to_owned()];
    assert!(check_summons("河道整治", "多部门共治", &twice).is_err());
    assert!(check_summons(" ", "x", &two).is_err());
}

fn any_command() -> impl Strategy<Value = Command> {
    prop_oneof![
        Just(Command::Accept {
            note: String::new()
        }),
        Just(Command::Reject {
            reason: "重复".into()
        }),
        Just(Command::SolveOnSpot {
            note: "已处理".into()
        }),
        Just(Command::Dispatch {
            department_org_id: "d".into(),
            reason: String::new()
        }),
        Just(Command::Sign),
        Just(Command::Return {
            reason: "非本部门".into()
        }),
        Just(Command::Feedback {
            note: "已处置".into()
        }),
        any::<bool>().prop_map(|approved| Command::Verify {
            approved,
            note: "核查".into()
        }),
        (0u8..7).prop_map(|satisfaction| Command::Evaluate {
            satisfaction,
            comment: String::new()
        }),
        Just(Command::Reopen {
            reason: "未解决".into()
        }),
        Just(Command::TransferToDispute {
            dispute_type: "neighbour".into(),
            note: String::new()
        }),
    ]
}

fn any_actor() -> impl Strategy<Value = Actor> {
    (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(c, d, r, g)| Actor {
        is_centre: c,
        is_department: d,
        is_reporter: r,
        is_grid_worker: g,
    })
}

/// The edges the loop allows: anything else `decide` returns must be an error.
fn allowed(from: EventStatus, to: EventStatus) -> bool {
    use EventStatus::*;
    matches!(
        (from, to),
        (Reported, Accepted | Rejected | SolvedOnSpot)
            | (Accepted | Returned, Dispatched | Rejected)
            | (Dispatched, Handling | Returned)
            | (Handling, FedBack | Returned)
            | (FedBack, Closed | Handling)
            | (SolvedOnSpot, Closed | Accepted)
            | (Closed, Evaluated | Accepted)
            | (Evaluated, Accepted)
    ) || (to == TransferredToDispute && from.is_open())
}

proptest! {
    #[test]
    fn random_steps_never_leave_the_allowed_edges(
        steps in proptest::collection::vec((any_actor(), any_command(), 0usize..3), 1..60)
    ) {
        let mut status = EventStatus::Reported;
        for (actor, command, evidence) in steps {
            let st = EventState { status, evidence_count: evidence, reported_by_grid_worker: true };
            if let Ok(decision) = decide(&st, &actor, &command) {
                prop_assert!(allowed(status, decision.to), "{status:?} -> {:?} by {command:?}", decision.to);
                prop_assert_eq!(decision.start_clock, decision.to.clock());
                status = decision.to;
            }
        }
    }
}
