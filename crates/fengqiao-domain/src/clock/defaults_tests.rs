use std::collections::HashSet;

use super::*;

#[test]
fn every_default_is_valid_and_ids_are_unique() {
    let all: Vec<_> = default_legal_clocks()
        .into_iter()
        .chain(default_internal_targets())
        .collect();
    for clock in &all {
        assert_eq!(clock.validate(), Ok(()), "{}", clock.id);
    }
    let ids: HashSet<_> = all.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), all.len());
}

#[test]
fn legal_table_rows_carry_the_statutes_of_domain_3_4() {
    let clocks = default_legal_clocks();
    assert_eq!(clocks.len(), 20);
    let find = |id: &str| clocks.iter().find(|c| c.id == id).unwrap().clone();
    let citation = |id: &str| find(id).citation().unwrap();
    assert_eq!(citation("labour_mediation"), "劳动争议调解仲裁法 art. 14");
    assert_eq!(
        citation("judicial_confirmation_application"),
        "人民调解法 art. 33; 民事诉讼法 art. 205"
    );
    assert_eq!(
        citation("medical_dispute_mediation"),
        "医疗纠纷预防和处理条例 art. 38"
    );
    assert_eq!(citation("consumer_complaint"), "消费者权益保护法 art. 46");
    assert_eq!(citation("legal_aid_decision"), "法律援助法 art. 43");
    assert_eq!(citation("petition_handling"), "信访工作条例 art. 34");

    let medical = find("medical_dispute_mediation");
    assert_eq!(
        (medical.length_days, medical.basis),
        (30, DayBasis::Working)
    );
    assert_eq!(medical.pause_conditions, vec!["appraisal".to_owned()]);
    assert_eq!(medical.on_expiry, ExpiryEffect::CountAsFailure);

    let arbitration = find("labour_arbitration_award");
    let rule = arbitration.extension.unwrap();
    assert_eq!(
        (arbitration.length_days, rule.max_extra_days),
        (45, Some(15))
    );
    let decision = find("confirmation_decision");
    assert_eq!(decision.extension.unwrap().max_extra_days, Some(10));
    assert_eq!(
        find("petition_handling").extension.unwrap().max_extra_days,
        Some(30)
    );
    assert_eq!(
        find("pre_litigation_mediation").pause_conditions,
        vec!["appraisal".to_owned()]
    );
    assert_eq!(find("consumer_complaint").length_days, 7);
}

#[test]
fn internal_targets_never_pass_for_law() {
    for clock in default_internal_targets() {
        assert_eq!(clock.kind, ClockKind::InternalTarget);
        assert!(!clock.is_law(), "{}", clock.id);
        assert_eq!(clock.citation(), None);
    }
    assert!(default_legal_clocks().iter().all(ClockDefinition::is_law));
    let mut disguised = default_internal_targets().remove(0);
    disguised.statutes.push(StatuteRef::new("劳动法", "1"));
    assert_eq!(
        disguised.validate(),
        Err(super::super::ClockDefinitionError::TargetCitesStatute {
            id: "target_accept_case".to_owned()
        })
    );
}

#[test]
fn definitions_round_trip_through_json() {
    let clocks = default_legal_clocks();
    let text = serde_json::to_string(&clocks).unwrap();
    let back: Vec<ClockDefinition> = serde_json::from_str(&text).unwrap();
    assert_eq!(back, clocks);
    let labour: serde_json::Value = serde_json::to_value(&clocks[8]).unwrap();
    assert_eq!(labour["id"], "labour_mediation");
    assert_eq!(labour["basis"], "calendar");
    assert_eq!(labour["kind"], "legal");
    assert_eq!(labour["on_expiry"], "allow_next_channel");
    assert_eq!(labour["statutes"][0]["article"], "14");
}
