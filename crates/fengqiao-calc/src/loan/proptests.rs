//! Loan invariants under random cases (allocations sum to the payment, the capped claim never
//! exceeds the cap, principal is conserved) and the batch throughput check.

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::tests::{d, domain_case};
use super::*;

fn arbitrary_case() -> impl Strategy<Value = LoanCase> {
    (
        1i64..500_000_000,
        0i64..2_400,
        30i64..=50,
        0usize..4,
        1u32..36,
        0u32..400,
        prop::collection::vec((0u32..1_500, 1i64..5_000_000), 0..6),
        any::<bool>(),
    )
        .prop_map(
            |(cents, rate_bp, uplift, kind, months, extra_days, payments, first_not_last)| {
                let kinds = [
                    ScheduleKind::Bullet,
                    ScheduleKind::InterestOnly,
                    ScheduleKind::EqualPrincipal,
                    ScheduleKind::EqualInstalment,
                ];
                let start = d(2022, 1, 31);
                let anniversary = start
                    .checked_add_months(chrono::Months::new(months))
                    .unwrap();
                let maturity = if first_not_last {
                    anniversary
                } else {
                    anniversary.pred_opt().unwrap()
                };
                let compute_to = maturity + chrono::Days::new(u64::from(extra_days));
                let span = (compute_to - start).num_days();
                let repayments = payments
                    .into_iter()
                    .map(|(offset, cents)| Repayment {
                        date: start + chrono::Days::new(u64::from(offset) % (span as u64 + 1)),
                        amount: Decimal::new(cents, 2),
                    })
                    .collect();
                LoanCase {
                    principal: Decimal::new(cents, 2),
                    start,
                    maturity,
                    annual_rate_percent: Decimal::new(rate_bp, 2),
                    penalty_rate_percent: None,
                    penalty_uplift_percent: Some(Decimal::from(uplift)),
                    count_last_day: !first_not_last,
                    schedule: kinds[kind],
                    repayments,
                    compute_to,
                    borrower_raises_cap: true,
                    ..domain_case()
                }
            },
        )
}

proptest! {
    #[test]
    fn every_allocation_sums_to_its_payment(case in arbitrary_case()) {
        let claim = compute_loan(&case).unwrap();
        prop_assert_eq!(claim.allocations.len(), case.repayments.len());
        for allocation in &claim.allocations {
            prop_assert_eq!(allocation.parts_sum(), allocation.amount.value());
        }
        let paid: Decimal = case.repayments.iter().map(|r| r.amount).sum();
        let p = claim.paid;
        prop_assert_eq!(
            p.costs.value() + p.interest.value() + p.penalty.value() + p.compound.value()
                + p.principal.value() + p.unapplied.value(),
            paid
        );
        prop_assert_eq!(claim.principal.value() + p.principal.value(), case.principal);
    }

    #[test]
    fn a_capped_claim_never_exceeds_the_cap(case in arbitrary_case()) {
        let claim = compute_loan(&case).unwrap();
        let cap = claim.cap.unwrap();
        let owed = claim.interest + claim.penalty + claim.compound;
        prop_assert!(owed <= cap.allowed);
        prop_assert!(cap.already_paid.value() + owed.value() <= cap.limit.value().max(cap.already_paid.value()));
        prop_assert_eq!(
            claim.total,
            claim.principal + claim.interest + claim.penalty + claim.compound + claim.costs
        );
    }
}
