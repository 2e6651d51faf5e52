//! Properties of routing and escalation over random cases, rules and directories.

use super::fixtures::*;
use super::resolve::region_segments;
use super::*;
use crate::dispute::{CaseFacts, Channel};
use crate::org::{OrgKind, Specialty};
use proptest::prelude::*;

const PATHS: [&str; 10] = [
    CITY,
    DISTRICT,
    STREET_1,
    STREET_2,
    COMMUNITY_11,
    COMMUNITY_12,
    COMMUNITY_21,
    "/339900/339902/339902001/339902001001/339902001001007/",
    OTHER_DISTRICT,
    "",
];
const TYPES: [&str; 8] = [
    "labour",
    "family",
    "neighbour",
    "contract",
    "medical",
    "land_requisition",
    "other",
    "tea_garden",
];
const FLAGS: [&str; 4] = ["mass", "complex", "violence_risk", "vulnerable_party"];

fn any_facts() -> impl Strategy<Value = CaseFacts> {
    (
        prop::sample::select(TYPES.to_vec()),
        prop::sample::select(PATHS.to_vec()),
        prop_oneof![any::<i64>(), 0i64..200_000_000],
        prop_oneof![any::<u32>(), 0u32..30],
        prop::sample::subsequence(FLAGS.to_vec(), 0..=FLAGS.len()),
        prop::sample::select(vec![
            Channel::Window,
            Channel::Online,
            Channel::Hotline12345,
        ]),
    )
        .prop_map(|(t, path, amount, applicants, flags, channel)| CaseFacts {
            channel,
            ..facts(t, path, amount, applicants, &flags)
        })
}

fn any_level() -> impl Strategy<Value = TargetLevel> {
    prop_oneof![
        Just(TargetLevel::CaseCommunity),
        Just(TargetLevel::CaseStreet),
        Just(TargetLevel::CaseDistrict),
        Just(TargetLevel::City),
        any::<u8>().prop_map(TargetLevel::Up),
        (0u8..5).prop_map(TargetLevel::Up),
        prop::sample::select(vec!["o-med", "d-court", "c21-med", "nobody"])
            .prop_map(|id| TargetLevel::Specific(id.to_owned())),
    ]
}

fn any_spec() -> impl Strategy<Value = TargetSpec> {
    (
        prop::sample::select(OrgKind::ALL.to_vec()),
        prop::option::of(prop::sample::select(vec![
            Specialty::Labour,
            Specialty::Commercial,
            Specialty::Family,
        ])),
        any_level(),
    )
        .prop_map(|(kind, specialty, level)| TargetSpec {
            kind,
            specialty,
            level,
            role_zh: None,
        })
}

fn any_rule() -> impl Strategy<Value = RoutingRule> {
    (
        "[a-z]{1,3}",
        -5i32..5,
        prop::collection::vec(prop::sample::select(TYPES.to_vec()), 0..3),
        prop::collection::vec(
            prop::sample::select(vec![
                "339902",
                "/339900/339902/339902002/",
                "/339900/",
                "339903",
            ]),
            0..2,
        ),
        prop::option::of(any::<i64>()),
        prop::option::of(any::<i64>()),
        prop::option::of(0u32..20),
        prop::sample::subsequence(FLAGS.to_vec(), 0..2),
        prop::collection::vec(any_spec(), 0..3),
        any::<bool>(),
    )
        .prop_map(
            |(
                id,
                priority,
                types,
                regions,
                min_amount,
                max_amount,
                min_applicants,
                flags,
                targets,
                active,
            )| RoutingRule {
                id,
                version: 1,
                priority,
                name_zh: "随机规则".to_owned(),
                conditions: RuleConditions {
                    dispute_types: types.into_iter().map(str::to_owned).collect(),
                    region_prefixes: regions.into_iter().map(str::to_owned).collect(),
                    min_amount_fen: min_amount,
                    max_amount_fen: max_amount,
                    min_applicants,
                    any_flags: flags.into_iter().map(str::to_owned).collect(),
                    ..RuleConditions::default()
                },
                targets,
                explanation_zh: String::new(),
                active,
            },
        )
}

fn any_directory() -> impl Strategy<Value = Vec<OrgDirectoryEntry>> {
    let size = directory().len();
    prop::collection::vec(any::<bool>(), size).prop_map(|actives| {
        directory()
            .into_iter()
            .zip(actives)
            .map(|(org, active)| OrgDirectoryEntry {
                active: org.active && active,
                ..org
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn routed_bodies_are_active_and_above_the_case(
        case in any_facts(),
        rules in prop::collection::vec(any_rule(), 0..6),
        with_defaults in any::<bool>(),
        dir in any_directory(),
    ) {
        // Unique ids, so the winning rule can be found again by id.
        let mut rules: Vec<RoutingRule> = rules
            .into_iter()
            .enumerate()
            .map(|(i, rule)| RoutingRule { id: format!("{}_{i}", rule.id), ..rule })
            .collect();
        if with_defaults {
            rules.extend(default_routing_rules());
        }
        match route(&case, &rules, &dir) {
            Ok(decision) => {
                let winner = rules
                    .iter()
                    .find(|r| r.id == decision.rule_id && r.active)
                    .expect("the winning rule is one of the active rules");
                prop_assert!(!decision.targets.is_empty());
                prop_assert!(decision.considered.last().is_some_and(RuleTrace::won));
                prop_assert_eq!(decision.considered.iter().filter(|t| t.won()).count(), 1);
                let case_path = region_segments(&case.region_path);
                for target in &decision.targets {
                    let org = dir.iter().find(|o| o.id == target.org_id).expect("target is in the directory");
                    prop_assert!(org.active);
                    let named = winner.targets.iter().any(|s| s.level == TargetLevel::Specific(org.id.clone()));
                    prop_assert!(named || case_path.starts_with(&region_segments(&org.region_path)), "{} not above {}", org.region_path, case.region_path);
                }
            }
            Err(RoutingError::NoRuleMatched { trace, .. }) => {
                prop_assert_eq!(trace.len(), rules.len());
                prop_assert!(trace.iter().all(|t| !t.won()));
            }
        }
    }

    #[test]
    fn escalation_goes_strictly_up_to_the_same_kind(dir in any_directory(), start in 0usize..24) {
        let Some(current) = dir.get(start) else { return Ok(()) };
        if let Some(next) = escalate_target(current, &dir) {
            let own = region_segments(&current.region_path);
            let above = region_segments(&next.region_path);
            prop_assert!(next.active && next.kind == current.kind && next.specialty == current.specialty);
            prop_assert!(above.len() < own.len() && own.starts_with(&above));
        }
    }
}
