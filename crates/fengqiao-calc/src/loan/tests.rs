//! Loan claim tests: DOMAIN §8's worked example and hand-derived cases, each with its
//! arithmetic written out.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::*;

pub(super) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn yuan(value: Decimal) -> Yuan {
    Yuan::from_exact(value)
}

/// DOMAIN §8: 100,000 at 6% from 2023-07-01 to 2024-06-30, penalty 9%, 360-day year, nothing
/// repaid, computed to 2024-12-31.
pub(super) fn domain_case() -> LoanCase {
    LoanCase {
        principal: dec!(100000),
        start: d(2023, 7, 1),
        maturity: d(2024, 6, 30),
        annual_rate_percent: dec!(6),
        penalty_rate_percent: Some(dec!(9)),
        penalty_uplift_percent: None,
        day_basis: DayBasis::Days360,
        count_first_day: true,
        count_last_day: true,
        schedule: ScheduleKind::Bullet,
        accelerated_on: None,
        repayments: vec![],
        costs: vec![],
        compute_to: d(2024, 12, 31),
        claim_compound: true,
        borrower_raises_cap: false,
    }
}

#[test]
fn domain_worked_example_is_reproduced_exactly() {
    let claim = compute_loan(&domain_case()).unwrap();
    assert_eq!(claim.principal, yuan(dec!(100000)));
    assert_eq!(claim.interest, yuan(dec!(6100.00)));
    assert_eq!(claim.penalty, yuan(dec!(4600.00)));
    assert_eq!(claim.compound, yuan(dec!(280.60)));
    assert_eq!(claim.total, yuan(dec!(110980.60)));
    assert_eq!(claim.total.to_string(), "110980.60");
    let accruals: Vec<_> = claim
        .items
        .iter()
        .filter_map(|item| match item {
            ExplainItem::Accrual(line) => {
                Some((line.kind, line.from, line.to, line.days, line.base))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        accruals,
        vec![
            (
                AccrualKind::ContractInterest,
                d(2023, 7, 1),
                d(2024, 6, 30),
                366,
                dec!(100000)
            ),
            (
                AccrualKind::PenaltyInterest,
                d(2024, 7, 1),
                d(2024, 12, 31),
                184,
                dec!(100000)
            ),
            (
                AccrualKind::CompoundInterest,
                d(2024, 7, 1),
                d(2024, 12, 31),
                184,
                dec!(6100)
            ),
        ]
    );
    assert!(claim.warnings.is_empty());
}

#[test]
fn domain_example_renders_judgment_sentences() {
    let text = compute_loan(&domain_case()).unwrap().render_zh();
    assert!(text.contains(
        "自2024年7月1日起至2024年12月31日止，以逾期本金100,000.00元为基数，按年利率9%计算，\
         共184天，罚息4,600.00元"
    ));
    assert!(text.contains(
        "自2023年7月1日起至2024年6月30日止，以本金100,000.00元为基数，按年利率6%计算，\
         共366天，利息6,100.00元"
    ));
    assert!(text.contains("以欠付利息6,100.00元为基数，按年利率9%计算，共184天，复利280.60元"));
    assert!(text.contains("共计110,980.60元"));
    assert!(text.contains(
        "自2025年1月1日起，以逾期本金100,000.00元为基数，按年利率9%计收罚息，至实际清偿之日止"
    ));
    assert!(text.contains("日利率＝年利率÷360"));
}

#[test]
fn first_not_last_with_the_anniversary_maturity_gives_the_same_claim() {
    // 算头不算尾, term written 2023-07-01 to 2024-07-01 and computed "to" 2025-01-01:
    // [2023-07-01, 2024-07-01) = 366 days, [2024-07-01, 2025-01-01) = 184 days.
    let case = LoanCase {
        maturity: d(2024, 7, 1),
        compute_to: d(2025, 1, 1),
        count_last_day: false,
        ..domain_case()
    };
    let claim = compute_loan(&case).unwrap();
    assert_eq!(claim.total, yuan(dec!(110980.60)));
}

#[test]
fn penalty_uplift_of_50_percent_on_6_is_9() {
    let case = LoanCase {
        penalty_rate_percent: None,
        penalty_uplift_percent: Some(dec!(50)),
        ..domain_case()
    };
    assert_eq!(compute_loan(&case).unwrap().total, yuan(dec!(110980.60)));
}

#[test]
fn partial_payment_goes_to_interest_penalty_compound_then_principal() {
    // Repayment of 10,000 on 2024-09-30. Up to then (2024-07-01..=2024-09-30, 92 days):
    //   penalty 100,000 × 9% ÷ 360 × 92 = 2,300.00; compound 6,100 × 9% ÷ 360 × 92 = 140.30.
    // 10,000 → interest 6,100.00, penalty 2,300.00, compound 140.30, principal 1,459.70.
    // Then 2024-10-01..=2024-12-31 (92 days) on 98,540.30: × 9% ÷ 360 × 92 = 2,266.4269.
    let case = LoanCase {
        repayments: vec![Repayment {
            date: d(2024, 9, 30),
            amount: dec!(10000),
        }],
        ..domain_case()
    };
    let claim = compute_loan(&case).unwrap();
    assert_eq!(
        claim.allocations,
        vec![Allocation {
            date: d(2024, 9, 30),
            amount: yuan(dec!(10000)),
            costs: Yuan::ZERO,
            interest: yuan(dec!(6100)),
            penalty: yuan(dec!(2300)),
            compound: yuan(dec!(140.30)),
            principal: yuan(dec!(1459.70)),
            unapplied: Yuan::ZERO,
        }]
    );
    assert_eq!(claim.principal, yuan(dec!(98540.30)));
    assert_eq!(claim.interest, Yuan::ZERO);
    assert_eq!(claim.penalty, yuan(dec!(2266.43)));
    assert_eq!(claim.compound, Yuan::ZERO);
    assert_eq!(claim.total, yuan(dec!(100806.73)));
    assert_eq!(claim.accrued.penalty, yuan(dec!(4566.43)));
    let text = claim.render_zh();
    assert!(text.contains(
        "2024年9月30日还款10,000.00元，依次冲抵利息6,100.00元、罚息2,300.00元、复利140.30元、\
         本金1,459.70元"
    ));
}

#[test]
fn costs_are_met_first_and_undated_costs_stay_in_the_claim() {
    // Lawyer's fee 2,000 incurred 2024-08-01, repayment 10,000 on 2024-09-30:
    // costs 2,000, interest 6,100, penalty 1,900 of 2,300 (400 left); compound 140.30 unpaid
    // but no longer growing (its base, the interest, is paid). Then penalty on the full
    // 100,000 for 92 days: 2,300. Owed: penalty 400 + 2,300 = 2,700, compound 140.30,
    // plus an undated notice fee of 500: total 100,000 + 2,700 + 140.30 + 500 = 103,340.30.
    let case = LoanCase {
        repayments: vec![Repayment {
            date: d(2024, 9, 30),
            amount: dec!(10000),
        }],
        costs: vec![
            Cost {
                kind: CostKind::NoticeFee,
                date: None,
                amount: dec!(500),
            },
            Cost {
                kind: CostKind::LawyerFee,
                date: Some(d(2024, 8, 1)),
                amount: dec!(2000),
            },
        ],
        ..domain_case()
    };
    let claim = compute_loan(&case).unwrap();
    assert_eq!(claim.allocations[0].costs, yuan(dec!(2000)));
    assert_eq!(claim.allocations[0].penalty, yuan(dec!(1900)));
    assert_eq!(claim.penalty, yuan(dec!(2700)));
    assert_eq!(claim.compound, yuan(dec!(140.30)));
    assert_eq!(claim.costs, yuan(dec!(500)));
    assert_eq!(claim.total, yuan(dec!(103340.30)));
}

#[test]
fn equal_instalment_overdue_parts_come_from_the_schedule() {
    // 12,000 at 12% (1% a month) over 12 months from 2024-01-01, level payment 1,066.19.
    // Instalments 1 and 2 paid on their due dates. Instalment 3 (due 2024-03-31): interest
    // 10,098.16 × 1% = 100.98, principal 965.21 — unpaid. Instalment 4 (due 2024-04-30,
    // the compute-to date): interest 9,132.95 × 1% = 91.33, principal 974.86.
    // Penalty 18% on 965.21 for 2024-04-01..=04-30 (30 days): 965.21 × 0.015 = 14.47815.
    // Compound at the penalty rate on 100.98 for the same 30 days: 1.5147.
    let case = LoanCase {
        principal: dec!(12000),
        start: d(2024, 1, 1),
        maturity: d(2024, 12, 31),
        annual_rate_percent: dec!(12),
        penalty_rate_percent: None,
        penalty_uplift_percent: Some(dec!(50)),
        schedule: ScheduleKind::EqualInstalment,
        repayments: vec![
            Repayment {
                date: d(2024, 1, 31),
                amount: dec!(1066.19),
            },
            Repayment {
                date: d(2024, 2, 29),
                amount: dec!(1066.19),
            },
        ],
        compute_to: d(2024, 4, 30),
        ..domain_case()
    };
    let claim = compute_loan(&case).unwrap();
    assert_eq!(claim.allocations[0].interest, yuan(dec!(120)));
    assert_eq!(claim.allocations[0].principal, yuan(dec!(946.19)));
    assert_eq!(claim.allocations[1].interest, yuan(dec!(110.54)));
    assert_eq!(claim.allocations[1].principal, yuan(dec!(955.65)));
    assert_eq!(claim.principal, yuan(dec!(10098.16)));
    assert_eq!(claim.overdue_principal, yuan(dec!(1940.07)));
    assert_eq!(claim.principal_not_yet_due, yuan(dec!(8158.09)));
    assert_eq!(claim.interest, yuan(dec!(192.31)));
    assert_eq!(claim.penalty, yuan(dec!(14.48)));
    assert_eq!(claim.compound, yuan(dec!(1.51)));
    assert_eq!(claim.total, yuan(dec!(10306.46)));
    assert_eq!(
        claim.warnings,
        vec![ClaimWarning::PrincipalNotYetDue {
            amount: yuan(dec!(8158.09))
        }]
    );
    assert!(claim.render_zh().contains(
        "第3期（自2024年3月1日起至2024年3月31日止），以剩余本金10,098.16元为基数，\
         按月利率（年利率12%÷12）计算1期，利息100.98元"
    ));
}

#[test]
fn acceleration_makes_everything_due_and_switches_compound_to_the_penalty_rate() {
    // Interest-only 100,000 at 6% for 2024, nothing paid, accelerated 2024-03-31, computed to
    // 2024-04-30, penalty 9%.
    // Interest: Jan 31 days 516.666…, Feb 29 days 483.333…, Mar 31 days 516.666… = 1,516.67.
    // Compound at 6% while performing: 516.666…×6%÷360×29 = 2.497222…; 1,000×6%÷360×31 =
    // 5.166666…; after acceleration at 9% on 1,516.666… for 30 days = 11.375. Sum 19.038888….
    // Penalty: 100,000 × 9% ÷ 360 × 30 = 750.
    let case = LoanCase {
        start: d(2024, 1, 1),
        maturity: d(2024, 12, 31),
        schedule: ScheduleKind::InterestOnly,
        accelerated_on: Some(d(2024, 3, 31)),
        compute_to: d(2024, 4, 30),
        ..domain_case()
    };
    let claim = compute_loan(&case).unwrap();
    assert_eq!(claim.interest, yuan(dec!(1516.67)));
    assert_eq!(claim.penalty, yuan(dec!(750)));
    assert_eq!(claim.compound, yuan(dec!(19.04)));
    assert_eq!(claim.overdue_principal, yuan(dec!(100000)));
    assert_eq!(claim.total, yuan(dec!(102285.71)));
    assert!(claim.warnings.is_empty());
}

#[test]
fn the_24_percent_cap_cuts_compound_first() {
    // 100,000 at 18%, penalty +50% = 27%, term 2023 (365 days), computed to 2024-12-31.
    // Interest 100,000×18%÷360×365 = 18,250; penalty 100,000×27%÷360×366 = 27,450;
    // compound 18,250×27%÷360×366 = 5,009.625 → 5,009.63; claimed 50,709.63.
    // Cap: 100,000 × 24% ÷ 360 × 731 days = 48,733.33; cut 1,976.30 from compound.
    let case = LoanCase {
        start: d(2023, 1, 1),
        maturity: d(2023, 12, 31),
        annual_rate_percent: dec!(18),
        penalty_rate_percent: None,
        penalty_uplift_percent: Some(dec!(50)),
        borrower_raises_cap: true,
        ..domain_case()
    };
    let claim = compute_loan(&case).unwrap();
    let cap = claim.cap.unwrap();
    assert_eq!(cap.limit, yuan(dec!(48733.33)));
    assert_eq!(cap.claimed, yuan(dec!(50709.63)));
    assert_eq!(cap.cut_compound, yuan(dec!(1976.30)));
    assert_eq!(cap.cut_penalty, Yuan::ZERO);
    assert_eq!(claim.compound, yuan(dec!(3033.33)));
    assert_eq!(
        claim.interest + claim.penalty + claim.compound,
        yuan(dec!(48733.33))
    );
    assert_eq!(claim.total, yuan(dec!(148733.33)));
    assert!(claim.render_zh().contains("调减1,976.30元"));
}

#[test]
fn the_cap_changes_nothing_below_24_percent() {
    let case = LoanCase {
        borrower_raises_cap: true,
        ..domain_case()
    };
    let claim = compute_loan(&case).unwrap();
    // 100,000 × 24% ÷ 360 × 550 days = 36,666.67.
    assert_eq!(claim.cap.unwrap().limit, yuan(dec!(36666.67)));
    assert_eq!(claim.total, yuan(dec!(110980.60)));
}

#[test]
fn invalid_inputs_name_the_field() {
    let zero = LoanCase {
        principal: dec!(0),
        ..domain_case()
    };
    assert_eq!(
        compute_loan(&zero).unwrap_err(),
        CalcError::Invalid {
            field: "principal",
            reason: "must be positive"
        }
    );
    let both = LoanCase {
        penalty_uplift_percent: Some(dec!(30)),
        ..domain_case()
    };
    assert!(matches!(
        compute_loan(&both),
        Err(CalcError::Invalid {
            field: "penalty_rate_percent",
            ..
        })
    ));
    let uplift = LoanCase {
        penalty_rate_percent: None,
        penalty_uplift_percent: Some(dec!(60)),
        ..domain_case()
    };
    assert!(matches!(
        compute_loan(&uplift),
        Err(CalcError::Invalid {
            field: "penalty_uplift_percent",
            ..
        })
    ));
    let late_payment = LoanCase {
        repayments: vec![Repayment {
            date: d(2025, 1, 1),
            amount: dec!(1),
        }],
        ..domain_case()
    };
    assert_eq!(
        compute_loan(&late_payment).unwrap_err().to_string(),
        "repayments[0]: date must lie between start and compute_to"
    );
}

#[test]
fn case_json_deserialises_with_defaults_and_rejects_unknown_fields() {
    let json = r#"{
        "principal": "100000.00",
        "start": "2023-07-01",
        "maturity": "2024-06-30",
        "annual_rate_percent": "6",
        "penalty_rate_percent": "9",
        "compute_to": "2024-12-31"
    }"#;
    let case: LoanCase = serde_json::from_str(json).unwrap();
    assert_eq!(
        case,
        LoanCase {
            principal: dec!(100000.00),
            ..domain_case()
        }
    );
    let typo = json.replace("\"compute_to\"", "\"computed_to\"");
    assert!(serde_json::from_str::<LoanCase>(&typo).is_err());
    let full = r#"{
        "principal": "100000.00", "start": "2023-07-01", "maturity": "2024-06-30",
        "annual_rate_percent": "6", "penalty_uplift_percent": "50",
        "day_basis": 360, "count_first_day": true, "count_last_day": true,
        "schedule": "bullet", "accelerated_on": null,
        "repayments": [{"date": "2024-09-30", "amount": "10000.00"}],
        "costs": [{"kind": "lawyer_fee", "date": "2024-08-01", "amount": "2000.00"}],
        "compute_to": "2024-12-31", "claim_compound": true, "borrower_raises_cap": false
    }"#;
    let full: LoanCase = serde_json::from_str(full).unwrap();
    assert_eq!(compute_loan(&full).unwrap().penalty_rate_percent, dec!(9));
}

#[test]
fn claim_serialises_money_as_strings() {
    let json = serde_json::to_value(compute_loan(&domain_case()).unwrap()).unwrap();
    assert_eq!(json["total"], "110980.60");
    assert_eq!(json["compound"], "280.60");
    assert_eq!(json["items"][1]["item"], "accrual");
    assert_eq!(json["items"][1]["kind"], "penalty_interest");
    assert_eq!(json["items"][1]["days"], 184);
    assert_eq!(json["day_basis"], 360);
}
