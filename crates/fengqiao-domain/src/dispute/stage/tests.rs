//! Tests of the stage machine: the stories of DOMAIN §3.3, the refusals, and a property test
//! that no command sequence from any actor leaves the allowed edges.

use super::*;
use proptest::prelude::*;

fn staff(roles: &[Role], assignee: bool) -> Actor {
    Actor {
        roles: roles.to_vec(),
        is_assignee: assignee,
        is_invited_court: false,
        is_applicant: false,
        in_jurisdiction: true,
    }
}
fn applicant() -> Actor {
    Actor {
        roles: vec![Role::Citizen],
        is_assignee: false,
        is_invited_court: false,
        is_applicant: true,
        in_jurisdiction: false,
    }
}
fn judge() -> Actor {
    Actor {
        roles: vec![Role::Judge],
        is_assignee: false,
        is_invited_court: true,
        is_applicant: false,
        in_jurisdiction: false,
    }
}
fn case(stage: Stage) -> CaseState {
    CaseState {
        stage,
        stage_before_merge: None,
        is_labour: false,
        has_assignees: true,
    }
}

fn run(mut state: CaseState, steps: &[(Actor, Command)]) -> CaseState {
    for (actor, cmd) in steps {
        let d = decide(&state, actor, cmd)
            .unwrap_or_else(|e| panic!("{} refused in {:?}: {e}", cmd.name(), state.stage));
        if let Some(Effect::RecordMergeTarget { .. }) = d
            .effects
            .iter()
            .find(|e| matches!(e, Effect::RecordMergeTarget { .. }))
        {
            state.stage_before_merge = Some(state.stage);
        }
        state.stage = d.to;
    }
    state
}

#[test]
fn mediation_to_confirmation_to_closure_and_evaluation() {
    let intake = staff(&[Role::Intake], false);
    let mediator = staff(&[Role::Mediator], true);
    let end = run(
        case(Stage::Registered),
        &[
            (
                intake,
                Command::Route {
                    org_ids: vec!["committee".into()],
                },
            ),
            (mediator.clone(), Command::Accept),
            (mediator.clone(), Command::StartMediation),
            (mediator.clone(), Command::RecordSession),
            (
                mediator.clone(),
                Command::Pause {
                    reason: PauseReason::Appraisal,
                },
            ),
            (mediator.clone(), Command::Resume),
            (mediator.clone(), Command::ReachAgreement),
            (applicant(), Command::RequestConfirmation),
            (judge(), Command::ConfirmAgreement),
            (mediator.clone(), Command::StartPerformance),
            (mediator, Command::FollowUp { performed: true }),
            (applicant(), Command::Evaluate),
        ],
    );
    assert_eq!(end.stage, Stage::Evaluated);
}

#[test]
fn effects_carry_clocks_and_notices() {
    let d = decide(
        &case(Stage::Mediating),
        &staff(&[Role::Mediator], true),
        &Command::ReachAgreement,
    )
    .unwrap();
    assert_eq!(d.to, Stage::Agreement);
    assert!(d.effects.contains(&Effect::StartClocks {
        event: "agreement_signed"
    }));
    assert!(d.effects.contains(&Effect::ScheduleFollowUp));
    assert!(d.effects.contains(&Effect::NotifyParties));
    let p = decide(
        &case(Stage::Mediating),
        &staff(&[Role::Mediator], true),
        &Command::Pause {
            reason: PauseReason::PartyAbsent,
        },
    )
    .unwrap();
    assert_eq!(
        p.effects,
        vec![
            Effect::PauseClocks {
                condition: "party_absent"
            },
            Effect::NotifyParties
        ]
    );
}

#[test]
fn permissions_are_checked_per_command() {
    let outsider_mediator = staff(&[Role::Mediator], false);
    assert_eq!(
        decide(&case(Stage::Triaged), &outsider_mediator, &Command::Accept),
        Err(StageError::NotPermitted("accept"))
    );
    assert!(
        decide(
            &case(Stage::ConfirmationRequested),
            &staff(&[Role::Mediator], true),
            &Command::ConfirmAgreement
        )
        .is_err()
    );
    assert!(
        decide(
            &case(Stage::Closed),
            &staff(&[Role::Mediator], true),
            &Command::Evaluate
        )
        .is_err()
    );
    let out_of_area = Actor {
        in_jurisdiction: false,
        ..staff(&[Role::Intake], false)
    };
    assert!(
        decide(
            &case(Stage::Registered),
            &out_of_area,
            &Command::Route {
                org_ids: vec!["x".into()]
            }
        )
        .is_err()
    );
    assert!(
        decide(
            &case(Stage::Registered),
            &applicant(),
            &Command::Route {
                org_ids: vec!["x".into()]
            }
        )
        .is_err()
    );
}

#[test]
fn stage_and_input_are_checked() {
    let mediator = staff(&[Role::Mediator], true);
    assert_eq!(
        decide(
            &case(Stage::Registered),
            &mediator,
            &Command::ReachAgreement
        ),
        Err(StageError::NotInThisStage {
            command: "reach_agreement",
            stage: "registered"
        })
    );
    assert!(matches!(
        decide(
            &case(Stage::Mediating),
            &mediator,
            &Command::Fail {
                next: NextChannel::Arbitration,
                reason: "多次调解未果".into()
            }
        ),
        Err(StageError::Invalid { field: "next", .. })
    ));
    let labour = CaseState {
        is_labour: true,
        ..case(Stage::Mediating)
    };
    assert_eq!(
        decide(
            &labour,
            &mediator,
            &Command::Fail {
                next: NextChannel::Arbitration,
                reason: "多次调解未果".into()
            }
        )
        .unwrap()
        .to,
        Stage::Arbitration
    );
    assert!(matches!(
        decide(
            &case(Stage::Triaged),
            &mediator,
            &Command::DeclineAssignment { reason: " ".into() }
        ),
        Err(StageError::Invalid {
            field: "reason",
            ..
        })
    ));
}

#[test]
fn decline_and_reopen_escalate() {
    let d = decide(
        &case(Stage::Triaged),
        &staff(&[Role::Mediator], true),
        &Command::DeclineAssignment {
            reason: "不属本会受理范围".into(),
        },
    )
    .unwrap();
    assert_eq!(d.to, Stage::Registered);
    assert!(d.effects.contains(&Effect::EscalateRouting));
    let r = decide(
        &case(Stage::Evaluated),
        &applicant(),
        &Command::Reopen {
            reason: "对方未履行协议".into(),
        },
    )
    .unwrap();
    assert_eq!(r.to, Stage::Registered);
    assert!(r.effects.contains(&Effect::EscalateRouting));
}

#[test]
fn failed_performance_reopens_mediation() {
    let d = decide(
        &case(Stage::Performing),
        &staff(&[Role::Mediator], true),
        &Command::FollowUp { performed: false },
    )
    .unwrap();
    assert_eq!(d.to, Stage::Mediating);
}

#[test]
fn merge_is_reversible() {
    let commander = staff(&[Role::Commander], false);
    let merged = run(
        case(Stage::Mediating),
        &[(
            commander.clone(),
            Command::MergeInto {
                target_case_id: "c2".into(),
            },
        )],
    );
    assert_eq!(merged.stage, Stage::Merged);
    assert!(
        decide(
            &merged,
            &staff(&[Role::Mediator], true),
            &Command::RecordSession
        )
        .is_err(),
        "a merged case takes no work"
    );
    let back = run(merged, &[(commander, Command::Unmerge)]);
    assert_eq!(back.stage, Stage::Mediating);
}

#[test]
fn terminal_stages_refuse_everything() {
    for stage in [Stage::Withdrawn, Stage::Rejected] {
        for cmd in all_commands() {
            for actor in all_actors() {
                assert!(
                    decide(&case(stage), &actor, &cmd).is_err(),
                    "{} accepted in {stage:?}",
                    cmd.name()
                );
            }
        }
    }
}

fn all_commands() -> Vec<Command> {
    let r = || "理由充分".to_owned();
    vec![
        Command::Route {
            org_ids: vec!["o1".into()],
        },
        Command::Accept,
        Command::DeclineAssignment { reason: r() },
        Command::Escalate { reason: r() },
        Command::Transfer {
            org_ids: vec!["o2".into()],
            reason: r(),
        },
        Command::StartMediation,
        Command::RecordSession,
        Command::Pause {
            reason: PauseReason::Appraisal,
        },
        Command::Resume,
        Command::ReachAgreement,
        Command::Fail {
            next: NextChannel::Arbitration,
            reason: r(),
        },
        Command::Fail {
            next: NextChannel::Litigation,
            reason: r(),
        },
        Command::Fail {
            next: NextChannel::Petition,
            reason: r(),
        },
        Command::RequestConfirmation,
        Command::ConfirmAgreement,
        Command::RejectConfirmation { reason: r() },
        Command::StartPerformance,
        Command::FollowUp { performed: true },
        Command::FollowUp { performed: false },
        Command::Conclude,
        Command::InviteJudge {
            judge_org_id: "court".into(),
        },
        Command::RecordGuidance,
        Command::Evaluate,
        Command::Reopen { reason: r() },
        Command::Withdraw { reason: r() },
        Command::RejectCase { reason: r() },
        Command::MergeInto {
            target_case_id: "c9".into(),
        },
        Command::Unmerge,
    ]
}

fn all_actors() -> Vec<Actor> {
    let mut out = vec![applicant(), judge()];
    for role in Role::ALL {
        for assignee in [false, true] {
            for in_jurisdiction in [false, true] {
                out.push(Actor {
                    roles: vec![role],
                    is_assignee: assignee,
                    is_invited_court: false,
                    is_applicant: false,
                    in_jurisdiction,
                });
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    /// Random command sequences from random actors never take an edge outside `allowed_edges`,
    /// and a refused command leaves the stage as it was.
    #[test]
    fn random_sequences_stay_on_allowed_edges(
        labour in any::<bool>(),
        steps in proptest::collection::vec((0usize..28, 0usize..42), 1..60),
    ) {
        let commands = all_commands();
        let actors = all_actors();
        let edges = allowed_edges();
        let mut state = CaseState { stage: Stage::Registered, stage_before_merge: None, is_labour: labour, has_assignees: false };
        for (c, a) in steps {
            let cmd = &commands[c % commands.len()];
            let actor = &actors[a % actors.len()];
            if let Ok(d) = decide(&state, actor, cmd) {
                    prop_assert_eq!(d.from, state.stage);
                    prop_assert!(edges.contains(&(d.from, d.to)), "illegal edge {:?} -> {:?} by {}", d.from, d.to, cmd.name());
                    if d.effects.iter().any(|e| matches!(e, Effect::RecordMergeTarget { .. })) {
                        state.stage_before_merge = Some(state.stage);
                    }
                    if d.effects.contains(&Effect::ClearMergeTarget) {
                        state.stage_before_merge = None;
                    }
                    state.stage = d.to;
            }
            prop_assert!(state.stage != Stage::Arbitration || labour, "only labour cases reach arbitration");
        }
    }
}
