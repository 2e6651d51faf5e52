//! Hits and non-hits of each rule on constructed histories.

use super::*;
use crate::dispute::group::AlertLevel;
use crate::time::Timestamp;

const DAY: i64 = 86_400_000_000;
const T0: i64 = 1_790_000_000_000_000;

fn filing(
    id: &str,
    day: i64,
    claimant: &str,
    respondent: &str,
    ty: &str,
    text: &str,
) -> FilingFacts {
    FilingFacts {
        case_id: id.into(),
        tracking_code: format!("JF{id}"),
        filed_at: Timestamp::from_micros(T0 + day * DAY),
        region_path: "/3301/330127/".into(),
        type_code: ty.into(),
        claimant_keys: vec![claimant.into()],
        respondent_key: respondent.into(),
        text: text.into(),
    }
}

fn authority_report() -> FraudFeatures {
    FraudFeatures {
        claimed_identity: ClaimedIdentity::Police,
        pretext: Pretext::CaseInvestigation,
        channel: ContactChannel::PhoneCall,
        safe_account_transfer: true,
        screen_sharing: false,
        remote_control_app: false,
        asked_secrecy: true,
        victim_handles_payments: false,
        victim_age: Some(67),
        amount_fen: 8_000_000,
        money_transferred: false,
    }
}

fn model(scheme: FraudScheme) -> FraudModel {
    FraudModel::defaults()
        .into_iter()
        .find(|m| m.scheme == scheme)
        .unwrap()
}

#[test]
fn the_default_rules_are_valid_and_distinct() {
    let rules = default_rules();
    let ids: std::collections::BTreeSet<_> = rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), rules.len());
    assert_eq!(rules.len(), 6);
    for r in &rules {
        r.validate().unwrap_or_else(|e| panic!("{}: {e}", r.id));
        let json = serde_json::to_string(&r.params).unwrap();
        assert_eq!(serde_json::from_str::<RuleParams>(&json).unwrap(), r.params);
    }
}

#[test]
fn a_classic_authority_impersonation_is_red_and_goes_to_the_police() {
    let s = model(FraudScheme::ImpersonateAuthority).score(&authority_report());
    // 30 identity + 15 pretext + 30 safe account + 10 secrecy + 5 phone + 10 age + 10 amount
    assert_eq!(s.score, 110);
    assert_eq!(s.level, Some(AlertLevel::Red));
    assert_eq!(s.dissuasion, Some(DissuasionTarget::Police));
    assert!(
        s.explanation.iter().any(|l| l == "要求转入“安全账户” +30"),
        "{:?}",
        s.explanation
    );
    assert!(
        s.explanation.iter().any(|l| l == "涉及金额达 50000 元 +10"),
        "{:?}",
        s.explanation
    );
}

#[test]
fn only_the_highest_amount_tier_counts() {
    let mut f = authority_report();
    f.amount_fen = 30_000_000;
    let s = model(FraudScheme::ImpersonateAuthority).score(&f);
    assert_eq!(s.score, 115);
    assert_eq!(
        s.explanation
            .iter()
            .filter(|l| l.starts_with("涉及金额"))
            .count(),
        1
    );
}

#[test]
fn a_weak_report_goes_to_the_grid_and_a_bare_one_raises_nothing() {
    let m = model(FraudScheme::ImpersonateService);
    let mut f = FraudFeatures {
        claimed_identity: ClaimedIdentity::CustomerService,
        pretext: Pretext::Refund,
        channel: ContactChannel::PhoneCall,
        safe_account_transfer: false,
        screen_sharing: false,
        remote_control_app: false,
        asked_secrecy: false,
        victim_handles_payments: false,
        victim_age: Some(30),
        amount_fen: 0,
        money_transferred: false,
    };
    let s = m.score(&f);
    assert_eq!(
        (s.score, s.level, s.dissuasion),
        (50, Some(AlertLevel::Yellow), Some(DissuasionTarget::Grid))
    );
    f.money_transferred = true;
    assert_eq!(m.score(&f).dissuasion, Some(DissuasionTarget::Police));
    f.pretext = Pretext::None;
    f.claimed_identity = ClaimedIdentity::None;
    let s = m.score(&f);
    assert_eq!((s.score, s.level), (0, None));
}

#[test]
fn a_model_never_scores_another_schemes_report() {
    let s = model(FraudScheme::ImpersonateLeader).score(&authority_report());
    assert_eq!((s.score, s.level), (0, None));
    let mut leader = authority_report();
    leader.claimed_identity = ClaimedIdentity::Leader;
    leader.pretext = Pretext::UrgentTransfer;
    leader.channel = ContactChannel::Messenger;
    leader.victim_handles_payments = true;
    let s = model(FraudScheme::ImpersonateLeader).score(&leader);
    assert_eq!(s.level, Some(AlertLevel::Red), "{s:?}");
}

#[test]
fn bad_fraud_parameters_are_refused_with_the_field() {
    let mut m = model(FraudScheme::ImpersonateAuthority);
    m.orange_from = m.red_from;
    assert!(matches!(
        m.validate(),
        Err(FraudModelError::Thresholds { .. })
    ));
    let mut m = model(FraudScheme::ImpersonateAuthority);
    m.weights.push(FeatureWeight::Amount {
        min_fen: 0,
        points: 5,
    });
    let err = m.validate().unwrap_err().to_string();
    assert!(
        err.starts_with(&format!("weights[{}]", m.weights.len() - 1)),
        "{err}"
    );
}

#[test]
fn the_third_filing_on_one_matter_is_a_repeat_petition() {
    let p = RepeatPetitionParams::default();
    let a = filing("a", 0, "id:1", "name:某公司", "labour", "");
    let b = filing("b", 30, "id:1", "name:某公司", "labour", "");
    let c = filing("c", 60, "id:1", "name:某公司", "labour", "");
    assert!(repeat_petition(&p, &b, std::slice::from_ref(&a)).is_none());
    let hit = repeat_petition(&p, &c, &[a.clone(), b.clone()]).unwrap();
    assert_eq!(hit.level, AlertLevel::Yellow);
    assert_eq!(hit.case_ids, ["c", "a", "b"]);
    assert_eq!(hit.group_key, "id:1|name:某公司|labour");
    // Another matter, another person, or outside the window does not count.
    let other_type = filing("d", 61, "id:1", "name:某公司", "contract", "");
    assert!(repeat_petition(&p, &other_type, &[a.clone(), b.clone(), c.clone()]).is_none());
    let other_person = filing("e", 61, "id:2", "name:某公司", "labour", "");
    assert!(repeat_petition(&p, &other_person, &[a.clone(), b.clone(), c.clone()]).is_none());
    let late = filing("f", 250, "id:1", "name:某公司", "labour", "");
    assert!(repeat_petition(&p, &late, &[a, b, c]).is_none());
}

#[test]
fn filing_at_another_level_raises_the_repeat_petition_one_step() {
    let p = RepeatPetitionParams::default();
    let a = filing("a", 0, "id:1", "name:甲", "housing_land", "");
    let mut b = filing("b", 5, "id:1", "name:甲", "housing_land", "");
    b.region_path = "/3301/".into();
    let c = filing("c", 9, "id:1", "name:甲", "housing_land", "");
    let hit = repeat_petition(&p, &c, &[a, b]).unwrap();
    assert_eq!(hit.level, AlertLevel::Orange);
    assert!(hit.explanation.iter().any(|l| l.contains("第十九条")));
}

#[test]
fn same_parties_again_with_threats_is_a_civil_to_criminal_risk() {
    let p = CivilToCriminalParams::default();
    let first = filing("a", 0, "id:1", "name:王某", "neighbour", "邻居违章搭建挡光");
    let again = filing(
        "b",
        20,
        "id:1",
        "name:王某",
        "neighbour",
        "再不拆我就放火烧了他家，同归于尽",
    );
    let hit = civil_to_criminal(&p, &again, std::slice::from_ref(&first)).unwrap();
    // 30 prior + 3 terms (放火, 烧了他, 同归于尽) × 25 + 10 risky type
    assert_eq!(hit.score, 115);
    assert_eq!(hit.level, AlertLevel::Red);
    assert_eq!(hit.case_ids, ["b", "a"]);
    assert!(
        hit.explanation[1].contains("同归于尽"),
        "{:?}",
        hit.explanation
    );
}

#[test]
fn neither_a_calm_repeat_nor_a_lone_angry_word_in_an_old_matter_alone_is_enough() {
    let p = CivilToCriminalParams::default();
    let first = filing("a", 0, "id:1", "name:王某", "contract", "货款未付");
    let calm = filing("b", 20, "id:1", "name:王某", "contract", "货款仍未支付");
    assert!(civil_to_criminal(&p, &calm, std::slice::from_ref(&first)).is_none());
    // one threat term in a first filing of a non-risky type: 25 < 40
    let angry = filing("c", 0, "id:9", "name:李某", "contract", "他威胁我");
    assert!(civil_to_criminal(&p, &angry, &[]).is_none());
    // the same parties outside the window do not count as a prior
    let late = filing("d", 100, "id:1", "name:王某", "neighbour", "扬言报复");
    let hit = civil_to_criminal(&p, &late, &[first]).unwrap();
    assert_eq!(hit.case_ids, ["d"]);
    assert_eq!(hit.score, 60);
}

#[test]
fn a_rule_revision_bumps_the_version_and_keeps_its_kind() {
    let rule = default_rules()
        .into_iter()
        .find(|r| r.id == "repeat_petition")
        .unwrap();
    let params = RepeatPetitionParams {
        min_filings: 2,
        ..RepeatPetitionParams::default()
    };
    let next = rule
        .revised(RuleParams::RepeatPetition(params), true)
        .unwrap();
    assert_eq!(next.version, 2);
    let err = rule
        .revised(
            RuleParams::CivilToCriminal(CivilToCriminalParams::default()),
            true,
        )
        .unwrap_err();
    assert!(matches!(err, RuleError::KindChanged { .. }));
    let bad = RepeatPetitionParams {
        min_filings: 1,
        ..RepeatPetitionParams::default()
    };
    let err = rule
        .revised(RuleParams::RepeatPetition(bad), true)
        .unwrap_err();
    assert_eq!(err.to_string(), "params.min_filings: must be at least 2");
}
