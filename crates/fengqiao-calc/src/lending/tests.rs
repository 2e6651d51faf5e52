//! Private-lending tests, each with its arithmetic: the 4 × LPR cap, the 2020-08-20
//! transition, the fallbacks for missing agreements, and refusals.

use chrono::NaiveDate;
use rust_decimal_macros::dec;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn yuan(value: Decimal) -> Yuan {
    Yuan::from_exact(value)
}

fn table() -> LprTable {
    LprTable::builtin().unwrap()
}

/// 100,000 lent 2021-04-01 to 2021-09-30 at an agreed 24%, no overdue rate, between natural
/// persons, 365-day year, computed to 2022-03-31, filed 2022-04-06.
fn capped_case() -> LendingCase {
    LendingCase {
        principal: dec!(100000),
        lent_on: d(2021, 4, 1),
        formed_on: None,
        maturity: d(2021, 9, 30),
        filed_on: d(2022, 4, 6),
        compute_to: d(2022, 3, 31),
        term_rate: RateAgreement::Agreed {
            annual_percent: dec!(24),
        },
        overdue_rate: RateAgreement::None,
        other_charges_percent: None,
        between_natural_persons: true,
        day_basis: DayBasis::Days365,
        count_first_day: true,
        count_last_day: true,
        repayments: vec![],
    }
}

#[test]
fn agreed_rate_above_four_times_lpr_is_cut_to_the_cap() {
    // LPR in force 2021-04-01: 3.85% (published 2021-03-22) → cap 15.4%.
    // Term 2021-04-01..=09-30, 183 days: 100,000 × 15.4% × 183 ÷ 365 = 7,721.0958… → 7,721.10.
    // Overdue at the term rate (none agreed), capped: 2021-10-01..=2022-03-31, 182 days:
    // 100,000 × 15.4% × 182 ÷ 365 = 7,678.9041… → 7,678.90. Total 115,400.00.
    let claim = compute_lending(&capped_case(), &table()).unwrap();
    assert_eq!(claim.caps.len(), 1);
    assert_eq!(claim.caps[0].cap_percent, dec!(15.40));
    assert_eq!(claim.interest, yuan(dec!(7721.10)));
    assert_eq!(claim.overdue_interest, yuan(dec!(7678.90)));
    assert_eq!(claim.total, yuan(dec!(115400.00)));
    assert_eq!(claim.decisions[0].rule, RateRule::CappedAtLimit);
    assert_eq!(claim.decisions[1].rule, RateRule::TermRateForOverdue);
    assert!(claim.warnings.is_empty());
    let text = claim.render_zh();
    assert!(text.contains("一年期贷款市场报价利率3.85%（2021年3月22日发布）的四倍，即年利率15.4%"));
    assert!(text.contains("主张年利率24%，超过上限15.4%，超过部分不予支持，按15.4%计算"));
    assert!(text.contains("共计115,400.00元"));
    assert!(
        text.contains("自2022年4月1日起，以逾期本金100,000.00元为基数，按年利率15.4%计收逾期利息")
    );
}

#[test]
fn repayments_settle_interest_to_the_cent_then_overdue_interest() {
    // Repayment 10,000 on 2021-12-31. Overdue 2021-10-01..=12-31 (92 days): 100,000 × 15.4%
    // × 92 ÷ 365 = 3,881.6438 → 3,881.64; term interest 7,721.10. The payment covers the term
    // interest and 2,278.90 of overdue interest (1,602.74 left). Then 2022-01-01..=03-31
    // (90 days): 3,797.2603. Overdue interest owed 1,602.74 + 3,797.2603 = 5,400.0003.
    let case = LendingCase {
        repayments: vec![Repayment {
            date: d(2021, 12, 31),
            amount: dec!(10000),
        }],
        ..capped_case()
    };
    let claim = compute_lending(&case, &table()).unwrap();
    assert_eq!(claim.allocations[0].interest, yuan(dec!(7721.10)));
    assert_eq!(claim.allocations[0].penalty, yuan(dec!(2278.90)));
    assert_eq!(claim.interest, Yuan::ZERO);
    assert_eq!(claim.overdue_interest, yuan(dec!(5400.00)));
    assert_eq!(claim.total, yuan(dec!(105400.00)));
    assert!(claim.render_zh().contains(
        "2021年12月31日还款10,000.00元，依次冲抵借期内利息7,721.10元、逾期利息2,278.90元"
    ));
}

#[test]
fn contracts_before_2020_08_20_split_at_the_transition() {
    // Formed and lent 2019-01-01, due 2019-12-31, term 20%, overdue agreed 30%, filed
    // 2021-01-15, computed to 2021-01-14, 360-day year.
    // Term 365 days at 20% (under 24%): 100,000 × 20% × 365 ÷ 360 = 20,277.78.
    // Overdue 2020-01-01..=2020-08-19, 232 days at 24% (old cap): 15,466.666…
    // Overdue 2020-08-20..=2021-01-14, 148 days at 4 × 3.85% = 15.4% (LPR on the filing date,
    // published 2020-12-21): 100,000 × 15.4% × 148 ÷ 360 = 6,331.111…
    // Overdue total 21,797.777… → 21,797.78; claim 142,075.56.
    let case = LendingCase {
        lent_on: d(2019, 1, 1),
        maturity: d(2019, 12, 31),
        filed_on: d(2021, 1, 15),
        compute_to: d(2021, 1, 14),
        term_rate: RateAgreement::Agreed {
            annual_percent: dec!(20),
        },
        overdue_rate: RateAgreement::Agreed {
            annual_percent: dec!(30),
        },
        day_basis: DayBasis::Days360,
        ..capped_case()
    };
    let claim = compute_lending(&case, &table()).unwrap();
    assert_eq!(claim.caps.len(), 2);
    assert_eq!(claim.caps[0].cap_percent, dec!(24));
    assert_eq!(claim.caps[0].until, Some(d(2020, 8, 19)));
    assert_eq!(claim.caps[1].cap_percent, dec!(15.40));
    assert!(matches!(
        claim.caps[1].basis,
        CapBasis::FourTimesLprAtFiling { lpr } if lpr.published == d(2020, 12, 21)
    ));
    assert_eq!(claim.interest, yuan(dec!(20277.78)));
    assert_eq!(claim.overdue_interest, yuan(dec!(21797.78)));
    assert_eq!(claim.total, yuan(dec!(142075.56)));
    let overdue_days: Vec<u32> = claim
        .items
        .iter()
        .filter_map(|item| match item {
            ExplainItem::Accrual(line) if line.kind == AccrualKind::LendingOverdueInterest => {
                Some(line.days)
            }
            _ => None,
        })
        .collect();
    assert_eq!(overdue_days, vec![232, 148]);
}

#[test]
fn with_no_rates_agreed_overdue_interest_follows_the_lpr_when_overdue() {
    // 50,000 lent 2023-01-01 to 2023-06-30 without any interest agreement: no term interest.
    // Overdue from 2023-07-01 at the LPR then in force, 3.55% (2023-06-20), under the cap
    // 4 × 3.65% = 14.6%: 2023-07-01..=12-31 (184 days): 50,000 × 3.55% × 184 ÷ 365 =
    // 894.7945… → 894.79.
    let case = LendingCase {
        principal: dec!(50000),
        lent_on: d(2023, 1, 1),
        maturity: d(2023, 6, 30),
        filed_on: d(2024, 1, 10),
        compute_to: d(2023, 12, 31),
        term_rate: RateAgreement::None,
        ..capped_case()
    };
    let claim = compute_lending(&case, &table()).unwrap();
    assert_eq!(claim.caps[0].cap_percent, dec!(14.60));
    assert_eq!(claim.interest, Yuan::ZERO);
    assert_eq!(claim.overdue_interest, yuan(dec!(894.79)));
    assert_eq!(claim.total, yuan(dec!(50894.79)));
    assert_eq!(claim.decisions[0].rule, RateRule::NoInterestAgreed);
    assert!(matches!(
        claim.decisions[1].rule,
        RateRule::LprForOverdue { lpr } if lpr.rate_percent == dec!(3.55)
    ));
    // The same facts under the old rules (formed 2018, sued 2019) fall back to 6%.
    let old = LendingCase {
        lent_on: d(2018, 1, 1),
        maturity: d(2018, 6, 30),
        filed_on: d(2019, 1, 10),
        compute_to: d(2018, 12, 31),
        ..case
    };
    let claim = compute_lending(&old, &table()).unwrap();
    // 50,000 × 6% × 184 ÷ 365 = 1,512.3288 → 1,512.33.
    assert_eq!(claim.overdue_interest, yuan(dec!(1512.33)));
    assert_eq!(claim.decisions[1].rule, RateRule::SixPercentForOverdue);
}

#[test]
fn unclear_interest_depends_on_who_the_parties_are() {
    let unclear = LendingCase {
        term_rate: RateAgreement::Unclear,
        ..capped_case()
    };
    let claim = compute_lending(&unclear, &table()).unwrap();
    assert_eq!(claim.interest, Yuan::ZERO);
    assert_eq!(
        claim.decisions[0].rule,
        RateRule::UnclearBetweenNaturalPersons
    );
    let companies = LendingCase {
        between_natural_persons: false,
        ..unclear
    };
    assert!(matches!(
        compute_lending(&companies, &table()),
        Err(CalcError::Invalid {
            field: "term_rate",
            ..
        })
    ));
    let fixed = LendingCase {
        term_rate: RateAgreement::FixedByCourt {
            annual_percent: dec!(6),
        },
        ..companies
    };
    assert_eq!(
        compute_lending(&fixed, &table()).unwrap().decisions[0].applied_percent,
        dec!(6)
    );
}

#[test]
fn other_charges_count_towards_the_cap() {
    // Overdue 10% + penalty 8% = 18% > 15.4%: capped.
    let case = LendingCase {
        term_rate: RateAgreement::Agreed {
            annual_percent: dec!(10),
        },
        overdue_rate: RateAgreement::Agreed {
            annual_percent: dec!(10),
        },
        other_charges_percent: Some(dec!(8)),
        ..capped_case()
    };
    let claim = compute_lending(&case, &table()).unwrap();
    assert_eq!(claim.decisions[1].claimed_percent, dec!(18));
    assert_eq!(claim.decisions[1].applied_percent, dec!(15.40));
}

#[test]
fn caps_by_formation_and_filing_dates() {
    let table = table();
    let new = lending_caps(d(2020, 8, 20), d(2021, 1, 1), &table).unwrap();
    assert_eq!(new.len(), 1);
    assert_eq!(new[0].cap_percent, dec!(15.40));
    let old_sued_early = lending_caps(d(2019, 8, 19), d(2020, 1, 1), &table).unwrap();
    assert_eq!(old_sued_early.len(), 1);
    assert_eq!(old_sued_early[0].basis, CapBasis::OldRules);
    assert_eq!(
        lending_caps(d(2015, 8, 31), d(2021, 1, 1), &table).unwrap_err(),
        CalcError::Unsupported {
            field: "formed_on",
            reason: "contracts formed before 2015-09-01 fall under the rules before 法释〔2015〕18号"
        }
    );
}

#[test]
fn old_agreements_above_36_percent_and_late_lpr_are_flagged() {
    let old = LendingCase {
        lent_on: d(2018, 1, 1),
        maturity: d(2018, 6, 30),
        filed_on: d(2019, 1, 10),
        compute_to: d(2018, 12, 31),
        term_rate: RateAgreement::Agreed {
            annual_percent: dec!(40),
        },
        ..capped_case()
    };
    let claim = compute_lending(&old, &table()).unwrap();
    assert_eq!(
        claim.warnings,
        vec![LendingWarning::AgreedAbove36Percent {
            agreed_percent: dec!(40)
        }]
    );
    let future = LendingCase {
        lent_on: d(2026, 3, 2),
        maturity: d(2026, 6, 1),
        filed_on: d(2026, 7, 1),
        compute_to: d(2026, 6, 30),
        ..capped_case()
    };
    let claim = compute_lending(&future, &table()).unwrap();
    assert_eq!(
        claim.warnings,
        vec![LendingWarning::Lpr {
            warning: LprWarning::AfterLastKnownPublication {
                last_published: d(2026, 1, 20)
            }
        }]
    );
    assert!(claim.render_zh().contains("请更新LPR表"));
}

#[test]
fn lending_case_json() {
    let json = r#"{
        "principal": "100000", "lent_on": "2021-04-01", "maturity": "2021-09-30",
        "filed_on": "2022-04-06", "compute_to": "2022-03-31",
        "term_rate": {"kind": "agreed", "annual_percent": "24"},
        "between_natural_persons": true, "day_basis": 365
    }"#;
    let case: LendingCase = serde_json::from_str(json).unwrap();
    assert_eq!(case, capped_case());
}
