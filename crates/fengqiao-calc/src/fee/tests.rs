//! Court-fee tests: DOMAIN §8's examples, hand-derived band sums, and the invariants
//! (continuous and non-decreasing fee, halving once, the preservation cap).

use super::*;
use proptest::prelude::*;

fn exact(result: &FeeResult) -> Decimal {
    result.fee.exact().unwrap().value()
}

#[test]
fn domain_examples() {
    // 50 + 90,000 × 2.5% = 2,300.
    assert_eq!(
        exact(&property_acceptance_fee(dec!(100000), &[]).unwrap()),
        dec!(2300.00)
    );
    // 2,300 + 100,000×2% + 300,000×1.5% + 500,000×1% = 2,300+2,000+4,500+5,000 = 13,800.
    assert_eq!(
        exact(&property_acceptance_fee(dec!(1000000), &[]).unwrap()),
        dec!(13800.00)
    );
    // (50 + 40,000 × 2.5%) ÷ 2 = 1,050 ÷ 2 = 525.
    let simple = property_acceptance_fee(dec!(50000), &[Procedure::Simple]).unwrap();
    assert_eq!(exact(&simple), dec!(525.00));
    assert_eq!(simple.halved_for, Some(Procedure::Simple));
    // 30 + 99,000×1% + 796,000×0.5% = 30 + 990 + 3,980 = 5,000 (exactly the cap).
    assert_eq!(
        exact(&preservation_fee(Some(dec!(896000))).unwrap()),
        dec!(5000.00)
    );
}

#[test]
fn cli_example_1234567_89_simple() {
    // 13,800 + 234,567.89 × 0.9% = 13,800 + 2,111.11101 = 15,911.11101; ÷ 2 = 7,955.555505
    // → 7,955.56 (rounded once, after halving).
    let result = property_acceptance_fee(dec!(1234567.89), &[Procedure::Simple]).unwrap();
    assert_eq!(exact(&result), dec!(7955.56));
    let text = result.render_zh();
    assert!(text.contains("不超过10,000.00元的部分，每件交纳50.00元"));
    assert!(
        text.contains(
            "超过1,000,000.00元至2,000,000.00元的部分234,567.89元，按照0.9%交纳2,111.11元"
        )
    );
    assert!(text.contains("适用简易程序审理（第十六条），减半交纳：15,911.11元÷2＝7,955.56元"));
    assert!(text.contains("案件受理费：7,955.56元。"));
}

#[test]
fn top_band_and_small_claims() {
    // 25,000,000: 13,800 + 1,000,000×0.9% + 3,000,000×0.8% + 5,000,000×0.7%
    // + 10,000,000×0.6% + 5,000,000×0.5% = 13,800+9,000+24,000+35,000+60,000+25,000.
    assert_eq!(
        exact(&property_acceptance_fee(dec!(25000000), &[]).unwrap()),
        dec!(166800.00)
    );
    assert_eq!(
        exact(&property_acceptance_fee(dec!(8000), &[]).unwrap()),
        dec!(50.00)
    );
    assert_eq!(
        exact(&property_acceptance_fee(dec!(0.01), &[]).unwrap()),
        dec!(50.00)
    );
}

#[test]
fn halving_applies_once_whatever_the_grounds() {
    let all = [Procedure::Simple, Procedure::Mediated, Procedure::Withdrawn];
    let result = property_acceptance_fee(dec!(100000), &all).unwrap();
    assert_eq!(exact(&result), dec!(1150.00));
    let halvings = result
        .items
        .iter()
        .filter(|item| matches!(item, ExplainItem::FeeHalved(_)))
        .count();
    assert_eq!(halvings, 1);
    assert!(result.render_zh().contains("减半只适用一次"));
    let ordinary = property_acceptance_fee(dec!(100000), &[Procedure::Ordinary]).unwrap();
    assert_eq!(exact(&ordinary), dec!(2300.00));
}

#[test]
fn non_property_and_labour_cases() {
    assert_eq!(
        exact(&acceptance_fee(CaseFeeKind::Labour, &[]).unwrap()),
        dec!(10.00)
    );
    assert_eq!(
        exact(&acceptance_fee(CaseFeeKind::Labour, &[Procedure::Simple]).unwrap()),
        dec!(5.00)
    );
    // Divorce with 500,000 of property: 50–300 plus 300,000 × 0.5% = 1,500.
    let divorce = acceptance_fee(
        CaseFeeKind::Divorce {
            property: Some(dec!(500000)),
        },
        &[],
    )
    .unwrap();
    assert_eq!(
        divorce.fee,
        FeeAmount::Range {
            low: Yuan::from_exact(dec!(1550)),
            high: Yuan::from_exact(dec!(1800))
        }
    );
    // Personality rights with 150,000 damages: 100–500 plus 50,000×1% + 50,000×0.5% = 750.
    let personality = acceptance_fee(
        CaseFeeKind::PersonalityRights {
            damages: Some(dec!(150000)),
        },
        &[],
    )
    .unwrap();
    assert_eq!(
        personality.fee,
        FeeAmount::Range {
            low: Yuan::from_exact(dec!(850)),
            high: Yuan::from_exact(dec!(1250))
        }
    );
    assert_eq!(
        exact(
            &acceptance_fee(
                CaseFeeKind::Administrative {
                    trademark_patent_or_maritime: true
                },
                &[]
            )
            .unwrap()
        ),
        dec!(100.00)
    );
}

#[test]
fn application_fees() {
    // Preservation: 50,000 → 30 + 49,000 × 1% = 520; huge amounts stop at 5,000.
    assert_eq!(
        exact(&preservation_fee(Some(dec!(50000))).unwrap()),
        dec!(520.00)
    );
    let capped = preservation_fee(Some(dec!(3000000))).unwrap();
    assert_eq!(exact(&capped), dec!(5000.00));
    assert!(capped.render_zh().contains("最多不超过5,000.00元"));
    assert_eq!(exact(&preservation_fee(None).unwrap()), dec!(30.00));
    // Enforcement: 600,000 → 50 + 490,000×1.5% + 100,000×1% = 50 + 7,350 + 1,000.
    assert_eq!(
        exact(&enforcement_fee(Some(dec!(600000))).unwrap()),
        dec!(8400.00)
    );
    // 12,000,000 → 50 + 7,350 + 45,000 + 25,000 + 2,000,000×0.1% = 79,400.
    assert_eq!(
        exact(&enforcement_fee(Some(dec!(12000000))).unwrap()),
        dec!(79400.00)
    );
    assert!(matches!(
        enforcement_fee(None).unwrap().fee,
        FeeAmount::Range { .. }
    ));
    // Payment order on 100,000: 2,300 ÷ 3 = 766.666… → 766.67.
    assert_eq!(
        exact(&payment_order_fee(dec!(100000)).unwrap()),
        dec!(766.67)
    );
}

#[test]
fn amounts_are_checked() {
    assert_eq!(
        property_acceptance_fee(dec!(-5), &[]).unwrap_err(),
        CalcError::Invalid {
            field: "amount",
            reason: "must not be negative"
        }
    );
}

proptest! {
    #[test]
    fn acceptance_fee_is_non_decreasing_and_continuous(
        a in 1i64..500_000_000_000,
        step in 0i64..10_000_000,
    ) {
        let low = Decimal::new(a, 2);
        let high = Decimal::new(a + step, 2);
        let fee_low = property_fee_exact(low);
        let fee_high = property_fee_exact(high);
        prop_assert!(fee_low <= fee_high);
        // No jumps: the fee never grows faster than the steepest band (2.5%).
        prop_assert!(fee_high - fee_low <= (high - low) * dec!(0.025));
        let rounded_low = exact(&property_acceptance_fee(low, &[]).unwrap());
        let rounded_high = exact(&property_acceptance_fee(high, &[]).unwrap());
        prop_assert!(rounded_low <= rounded_high);
    }

    #[test]
    fn halving_never_applies_twice(
        cents in 1i64..100_000_000_000,
        grounds in prop::collection::vec(0usize..4, 0..6),
    ) {
        let all = [Procedure::Ordinary, Procedure::Simple, Procedure::Mediated, Procedure::Withdrawn];
        let procedures: Vec<_> = grounds.iter().map(|i| all[*i]).collect();
        let amount = Decimal::new(cents, 2);
        let full = property_fee_exact(amount);
        let result = property_acceptance_fee(amount, &procedures).unwrap();
        let expected = if procedures.iter().any(|p| *p != Procedure::Ordinary) {
            full / dec!(2)
        } else {
            full
        };
        prop_assert_eq!(exact(&result), Yuan::from_exact(expected).value());
    }

    #[test]
    fn preservation_never_exceeds_its_cap(cents in 1i64..100_000_000_000) {
        let fee = exact(&preservation_fee(Some(Decimal::new(cents, 2))).unwrap());
        prop_assert!(fee <= dec!(5000));
        prop_assert!(fee >= dec!(30));
    }
}
