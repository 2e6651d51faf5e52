//! [`route`] and [`escalate_target`] against hand-built rules and the fixture county.

use super::fixtures::*;
use super::*;
use crate::org::{OrgKind, Specialty};

fn org_ids(decision: &RoutingDecision) -> Vec<&str> {
    decision.targets.iter().map(|t| t.org_id.as_str()).collect()
}

fn spec(kind: OrgKind, specialty: Option<Specialty>, level: TargetLevel) -> TargetSpec {
    TargetSpec {
        kind,
        specialty,
        level,
        role_zh: None,
    }
}

fn simple_rule(
    id: &str,
    priority: i32,
    conditions: RuleConditions,
    targets: Vec<TargetSpec>,
) -> RoutingRule {
    RoutingRule {
        id: id.to_owned(),
        version: 3,
        priority,
        name_zh: format!("规则{id}"),
        conditions,
        targets,
        explanation_zh: String::new(),
        active: true,
    }
}

fn street_committee() -> TargetSpec {
    spec(OrgKind::MediationCommittee, None, TargetLevel::CaseStreet)
}

#[test]
fn lower_priority_runs_first_whatever_the_slice_order() {
    let any = RuleConditions::default();
    let rules = vec![
        simple_rule(
            "late",
            20,
            any.clone(),
            vec![spec(
                OrgKind::MediationCommittee,
                None,
                TargetLevel::CaseDistrict,
            )],
        ),
        simple_rule("early", 5, any.clone(), vec![street_committee()]),
        simple_rule(
            "tie_b",
            5,
            any,
            vec![spec(OrgKind::GovernanceCentre, None, TargetLevel::City)],
        ),
    ];
    let decision = route(
        &facts("other", COMMUNITY_11, 0, 1, &[]),
        &rules,
        &directory(),
    )
    .unwrap();
    assert_eq!(
        (decision.rule_id.as_str(), decision.rule_version),
        ("early", 3)
    );
    assert_eq!(org_ids(&decision), ["s1-med"]);
    assert_eq!(decision.considered.len(), 1);
    assert_eq!(
        decision.explanation_zh,
        "命中规则「规则early」：无附加条件 → 东湖街道人民调解委员会"
    );
}

#[test]
fn joint_handling_returns_every_body_in_rule_order() {
    let rules = vec![simple_rule(
        "joint",
        1,
        RuleConditions::default(),
        vec![
            spec(
                OrgKind::IndustryMediationCommittee,
                Some(Specialty::Labour),
                TargetLevel::CaseDistrict,
            ),
            spec(
                OrgKind::IndustryMediationCommittee,
                Some(Specialty::Commercial),
                TargetLevel::CaseDistrict,
            ),
            // Lands on the labour committee again: reported once.
            spec(
                OrgKind::IndustryMediationCommittee,
                Some(Specialty::Labour),
                TargetLevel::Up(2),
            ),
        ],
    )];
    let decision = route(
        &facts("labour", COMMUNITY_12, 0, 40, &[]),
        &rules,
        &directory(),
    )
    .unwrap();
    assert_eq!(org_ids(&decision), ["d-labour", "d-commercial"]);
}

#[test]
fn unresolvable_rule_is_skipped_and_traced() {
    let rules = vec![
        simple_rule(
            "needs_school_committee",
            1,
            RuleConditions::default(),
            vec![spec(
                OrgKind::IndustryMediationCommittee,
                Some(Specialty::Education),
                TargetLevel::CaseDistrict,
            )],
        ),
        simple_rule(
            "street",
            2,
            RuleConditions::default(),
            vec![street_committee()],
        ),
    ];
    let decision = route(
        &facts("education", COMMUNITY_21, 0, 1, &[]),
        &rules,
        &directory(),
    )
    .unwrap();
    assert_eq!(decision.rule_id, "street");
    assert_eq!(org_ids(&decision), ["s2-med"]);
    let skipped = &decision.considered[0];
    assert!(skipped.matched && !skipped.won());
    assert_eq!(skipped.failed_condition, None);
    assert_eq!(
        skipped.unresolved_target.as_deref(),
        Some("案件所在区县的行业性专业性调委会（教育）：339902 没有启用中的此类机构")
    );
}

#[test]
fn no_match_error_carries_the_trace() {
    let mut inactive = simple_rule(
        "off",
        1,
        RuleConditions::default(),
        vec![street_committee()],
    );
    inactive.active = false;
    let rules = vec![
        inactive,
        simple_rule(
            "labour_only",
            2,
            RuleConditions {
                dispute_types: vec!["labour".to_owned()],
                ..RuleConditions::default()
            },
            vec![street_committee()],
        ),
        simple_rule(
            "community",
            3,
            RuleConditions::default(),
            vec![spec(
                OrgKind::MediationCommittee,
                None,
                TargetLevel::CaseCommunity,
            )],
        ),
    ];
    let err = route(
        &facts("neighbour", STREET_1, 0, 1, &[]),
        &rules,
        &directory(),
    )
    .unwrap_err();
    let RoutingError::NoRuleMatched {
        dispute_type,
        region_code,
        trace,
    } = &err;
    assert_eq!(
        (dispute_type.as_str(), region_code.as_str()),
        ("neighbour", "339902001")
    );
    let summary: Vec<(&str, bool, Option<&str>, Option<&str>)> = trace
        .iter()
        .map(|t| {
            (
                t.rule_id.as_str(),
                t.matched,
                t.failed_condition.as_deref(),
                t.unresolved_target.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("off", false, Some("规则未启用"), None),
            (
                "labour_only",
                false,
                Some("类型 邻里 不在 劳动争议/欠薪 之列"),
                None
            ),
            (
                "community",
                true,
                None,
                Some(
                    "案件所在社区/村的人民调解委员会：案件地区 /339900/339902/339902001/ 不到社区/村一级"
                )
            ),
        ]
    );
    assert_eq!(
        err.to_string(),
        "no routing rule matched case type `neighbour` in region `339902001` with resolvable targets (3 rules considered)"
    );
    assert!(
        matches!(route(&facts("x", STREET_1, 0, 1, &[]), &[], &directory()), Err(RoutingError::NoRuleMatched { trace, .. }) if trace.is_empty())
    );
}

#[test]
fn up_levels_count_from_the_case_region() {
    let one = |level| {
        vec![simple_rule(
            "r",
            1,
            RuleConditions::default(),
            vec![spec(OrgKind::MediationCommittee, None, level)],
        )]
    };
    let dir = directory();
    let at = |path, level| {
        route(&facts("other", path, 0, 1, &[]), &one(level), &dir).map(|d| org_ids(&d).concat())
    };
    assert_eq!(
        at(COMMUNITY_11, TargetLevel::Up(0)),
        Ok("c11-med".to_owned())
    );
    assert_eq!(
        at(COMMUNITY_11, TargetLevel::Up(1)),
        Ok("s1-med".to_owned())
    );
    assert_eq!(
        at(COMMUNITY_11, TargetLevel::Up(3)),
        Ok("city-med".to_owned())
    );
    assert_eq!(at(STREET_2, TargetLevel::Up(1)), Ok("d-med".to_owned()));
    assert_eq!(at(STREET_2, TargetLevel::City), Ok("city-med".to_owned()));
    assert!(at(COMMUNITY_11, TargetLevel::Up(4)).is_err());
    assert!(at("", TargetLevel::Up(0)).is_err());
    // The other district's committee never serves this district's cases.
    assert_eq!(
        at("/339900/339903/", TargetLevel::CaseDistrict),
        Ok("o-med".to_owned())
    );
}

#[test]
fn specific_target_must_exist_be_active_and_fit_the_spec() {
    let rule_for = |id: &str, kind| {
        vec![simple_rule(
            "r",
            1,
            RuleConditions::default(),
            vec![spec(kind, None, TargetLevel::Specific(id.to_owned()))],
        )]
    };
    let case = facts("other", COMMUNITY_11, 0, 1, &[]);
    let mut dir = directory();
    let decision = route(&case, &rule_for("o-med", OrgKind::MediationCommittee), &dir).unwrap();
    assert_eq!(org_ids(&decision), ["o-med"]);
    let err = route(&case, &rule_for("o-med", OrgKind::Court), &dir).unwrap_err();
    let RoutingError::NoRuleMatched { trace, .. } = err;
    assert_eq!(
        trace[0].unresolved_target.as_deref(),
        Some("指定机构 o-med（人民法院） 不存在、已停用或类型不符")
    );
    dir.iter_mut().for_each(|o| o.active = o.id != "o-med");
    assert!(route(&case, &rule_for("o-med", OrgKind::MediationCommittee), &dir).is_err());
}

#[test]
fn several_fitting_bodies_resolve_to_the_lowest_id() {
    let mut dir = directory();
    dir.push(org(
        "s1-med-0",
        "东湖街道第二调委会",
        OrgKind::MediationCommittee,
        None,
        STREET_1,
    ));
    dir.push(org(
        "s1-aaa",
        "东湖街道旧调委会",
        OrgKind::MediationCommittee,
        None,
        STREET_1,
    ));
    dir.last_mut().unwrap().active = false;
    let rules = vec![simple_rule(
        "r",
        1,
        RuleConditions::default(),
        vec![street_committee()],
    )];
    let decision = route(&facts("other", COMMUNITY_12, 0, 1, &[]), &rules, &dir).unwrap();
    assert_eq!(org_ids(&decision), ["s1-med"]);
    dir.reverse();
    let decision = route(&facts("other", COMMUNITY_12, 0, 1, &[]), &rules, &dir).unwrap();
    assert_eq!(org_ids(&decision), ["s1-med"]);
}

#[test]
fn escalation_climbs_one_level_at_a_time_and_stops_at_the_top() {
    let dir = directory();
    let find = |id: &str| dir.iter().find(|o| o.id == id).unwrap().clone();
    let mut chain = vec![];
    let mut current = find("c12-med");
    while let Some(next) = escalate_target(&current, &dir) {
        chain.push(next.id.clone());
        current = next;
    }
    assert_eq!(chain, ["s1-med", "d-med", "city-med"]);
    assert_eq!(
        escalate_target(&find("c11-gov"), &dir).map(|o| o.id),
        Some("s1-gov".to_owned())
    );
    // No city-level labour committee exists.
    assert_eq!(escalate_target(&find("d-labour"), &dir), None);
}

#[test]
fn escalation_skips_a_level_without_such_a_body() {
    let mut dir = directory();
    dir.iter_mut()
        .filter(|o| o.id == "s2-med")
        .for_each(|o| o.active = false);
    let village = dir.iter().find(|o| o.id == "c21-med").unwrap().clone();
    assert_eq!(
        escalate_target(&village, &dir).map(|o| o.id),
        Some("d-med".to_owned())
    );
}

#[test]
fn target_level_serde_shape() {
    let json = serde_json::to_value([
        TargetLevel::CaseStreet,
        TargetLevel::City,
        TargetLevel::Up(2),
        TargetLevel::Specific("org-42".to_owned()),
    ])
    .unwrap();
    assert_eq!(
        json,
        serde_json::json!(["case_street", "city", {"up": 2}, {"specific": "org-42"}])
    );
    let back: Vec<TargetLevel> = serde_json::from_value(json).unwrap();
    assert_eq!(back[2], TargetLevel::Up(2));
    let rule: RoutingRule = serde_json::from_value(serde_json::json!({
        "id": "r", "version": 1, "priority": 1, "name_zh": "规则",
        "targets": [{"kind": "court", "level": "case_district"}],
        "explanation_zh": "", "active": true
    }))
    .unwrap();
    assert_eq!(rule.conditions, RuleConditions::default());
    assert_eq!(rule.targets[0].specialty, None);
}
