//! The default rule set against the fixture county: every rule is reached by some case.

use super::fixtures::*;
use super::*;

fn org_ids(decision: &RoutingDecision) -> Vec<&str> {
    decision.targets.iter().map(|t| t.org_id.as_str()).collect()
}

#[test]
fn every_default_rule_is_hit_by_its_case() {
    let rules = default_routing_rules();
    let dir = directory();
    let mut without_district_committee = directory();
    for org in &mut without_district_committee {
        if org.id == "d-med" {
            org.active = false;
        }
    }
    let yuan = |y: i64| y * 100;
    let cases: Vec<(&str, CaseFacts, &[&str], &[OrgDirectoryEntry])> = vec![
        (
            "labour_mass_applicants",
            facts("labour", COMMUNITY_11, yuan(1_200_000), 89, &[]),
            &["d-labour", "d-court"],
            &dir,
        ),
        (
            "labour_mass_flag",
            facts("labour", COMMUNITY_11, yuan(30_000), 3, &["mass"]),
            &["d-labour", "d-court"],
            &dir,
        ),
        (
            "government_action",
            facts("land_requisition", COMMUNITY_21, yuan(800_000), 12, &[]),
            &["d-gov"],
            &dir,
        ),
        (
            "government_action",
            facts("administrative", STREET_1, 0, 1, &[]),
            &["d-gov"],
            &dir,
        ),
        (
            "medical",
            facts("medical", COMMUNITY_12, yuan(200_000), 1, &[]),
            &["d-medical"],
            &dir,
        ),
        (
            "traffic",
            facts("traffic", COMMUNITY_11, yuan(60_000), 1, &[]),
            &["d-traffic"],
            &dir,
        ),
        (
            "financial_loan",
            facts("financial_loan", STREET_2, yuan(150_000), 1, &[]),
            &["d-finance"],
            &dir,
        ),
        (
            "consumer",
            facts("consumer", COMMUNITY_11, yuan(3_000), 1, &[]),
            &["d-consumer"],
            &dir,
        ),
        (
            "property",
            facts("property", COMMUNITY_12, yuan(8_000), 30, &[]),
            &["d-property"],
            &dir,
        ),
        (
            "elevator",
            facts("elevator", COMMUNITY_11, 0, 6, &[]),
            &["d-construction"],
            &dir,
        ),
        (
            "intellectual_property",
            facts("intellectual_property", STREET_1, yuan(500_000), 1, &[]),
            &["d-ip"],
            &dir,
        ),
        (
            "contract_large",
            facts("contract", COMMUNITY_11, yuan(1_000_000), 1, &[]),
            &["d-commercial"],
            &dir,
        ),
        (
            "contract_complex",
            facts("contract", COMMUNITY_11, yuan(20_000), 1, &["complex"]),
            &["d-commercial"],
            &dir,
        ),
        (
            "labour",
            facts("labour", COMMUNITY_21, yuan(20_000), 2, &[]),
            &["d-labour"],
            &dir,
        ),
        (
            "neighbour_family_small",
            facts("neighbour", COMMUNITY_12, yuan(2_000), 1, &[]),
            &["c12-med"],
            &dir,
        ),
        (
            "neighbour_family_small",
            facts("family", COMMUNITY_21, yuan(50_000), 1, &[]),
            &["c21-med"],
            &dir,
        ),
        (
            "family",
            facts("family", COMMUNITY_11, yuan(50_001), 1, &[]),
            &["d-family"],
            &dir,
        ),
        (
            "family",
            facts("family", COMMUNITY_11, 0, 1, &["violence_risk"]),
            &["d-family"],
            &dir,
        ),
        (
            "ordinary_street",
            facts("neighbour", COMMUNITY_11, yuan(60_000), 1, &[]),
            &["s1-med"],
            &dir,
        ),
        (
            "ordinary_street",
            facts("private_lending", COMMUNITY_21, yuan(500_000), 1, &[]),
            &["s2-med"],
            &dir,
        ),
        // A community committee does not exist above a street-level case, so the street takes it.
        (
            "ordinary_street",
            facts("neighbour", STREET_2, yuan(1_000), 1, &[]),
            &["s2-med"],
            &dir,
        ),
        (
            "major_district",
            facts("housing_land", COMMUNITY_11, yuan(500_001), 1, &[]),
            &["d-med"],
            &dir,
        ),
        (
            "major_district",
            facts("other", COMMUNITY_12, 0, 1, &["mass"]),
            &["d-med"],
            &dir,
        ),
        (
            "catch_all",
            facts("environment", COMMUNITY_12, yuan(900_000), 4, &[]),
            &["s1-gov"],
            &without_district_committee,
        ),
    ];
    for (rule_id, case, expected, directory) in &cases {
        let decision = route(case, &rules, directory).unwrap();
        assert_eq!(
            (decision.rule_id.as_str(), org_ids(&decision)),
            (*rule_id, expected.to_vec()),
            "{case:?}"
        );
        assert!(decision.considered.last().unwrap().won());
    }
    for rule in &rules {
        assert!(
            cases.iter().any(|(id, ..)| *id == rule.id),
            "no case hits {}",
            rule.id
        );
    }
}

#[test]
fn mass_labour_explanation_names_rule_clauses_and_bodies() {
    let case = facts("labour", COMMUNITY_11, 123_450_000, 89, &[]);
    let decision = route(&case, &default_routing_rules(), &directory()).unwrap();
    assert_eq!(
        decision.explanation_zh,
        "命中规则「劳动争议欠薪（10人以上）」：类型=劳动争议/欠薪，申请人 89 人 ≥ 10 → \
         江城区劳动争议人民调解委员会 + 江城区人民法院（指导）。\
         涉众劳动争议（欠薪）由区县劳动争议调委会主调、人民法院提前介入指导，合力调处，防止矛盾升级"
    );
    assert_eq!(decision.rule_version, 1);
    assert_eq!(decision.rule_name_zh, "劳动争议欠薪（10人以上）");
    assert_eq!(
        decision.targets[1].reason_zh,
        "案件所在区县的人民法院（指导）"
    );
    assert_eq!(
        decision.targets[0].reason_zh,
        "案件所在区县的行业性专业性调委会（劳动争议）"
    );
}
