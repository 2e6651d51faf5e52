//! Private lending (民间借贷): the interest-rate caps and the rules for missing rate agreements
//! of the SPC's 民间借贷规定, with the 2020-08-20 transition, applied to a loan's timeline.
//!
//! * Contracts formed on or after 2020-08-20: every rate is capped at four times the one-year
//!   LPR in force when the contract was formed (法释〔2020〕17号 art. 25).
//! * Contracts formed before 2020-08-20 and sued on or after it: interest up to 2020-08-19
//!   follows the rules then in force (法释〔2015〕18号: 24% claimable, art. 26; the part above
//!   36% void), interest from 2020-08-20 is capped at four times the LPR in force on the filing
//!   date (art. 31). Sued before 2020-08-20: the old rules throughout.
//! * No interest agreed, or unclear between natural persons: no term interest (art. 24,
//!   民法典 art. 680); unclear otherwise: the court must fix a rate.
//! * Overdue interest (art. 28): the agreed overdue rate; without one, the term rate; without
//!   either, the one-year LPR in force on the first overdue day (old rules: 6%). Agreed penalties
//!   and other charges count towards the same cap (art. 29).
//!
//! Contracts formed before 2015-09-01 fall under still earlier rules and are refused.

mod caps;
mod render;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::daycount::{DayBasis, DayCounting};
use crate::error::CalcError;
use crate::explain::{AccrualKind, ExplainItem};
use crate::ledger::{self, DueEvent, InterestMethod, LedgerSpec, PaymentEvent, RateSegment};
use crate::loan::{Allocation, RunningAccrual};
use crate::lpr::{LprLookup, LprTable, LprWarning};
use crate::money::{Repayment, Yuan, check_amount, check_entry_amount, check_rate_percent};

use caps::decide;
pub use caps::{
    CapBasis, CapSegment, NEW_RULES_FROM, OLD_RULES_CAP_PERCENT, OLD_RULES_DEFAULT_OVERDUE_PERCENT,
    OLD_RULES_FROM, OLD_RULES_VOID_ABOVE_PERCENT, RateDecision, RatePart, RateRule, lending_caps,
};

/// What the parties agreed about a rate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RateAgreement {
    Agreed {
        #[serde(with = "rust_decimal::serde::str")]
        annual_percent: Decimal,
    },
    #[default]
    None,
    Unclear,
    /// An unclear agreement between parties who are not both natural persons, after the court
    /// fixed the rate from the circumstances (art. 24 ¶2).
    FixedByCourt {
        #[serde(with = "rust_decimal::serde::str")]
        annual_percent: Decimal,
    },
}

impl RateAgreement {
    fn percent(self) -> Option<Decimal> {
        match self {
            RateAgreement::Agreed { annual_percent }
            | RateAgreement::FixedByCourt { annual_percent } => Some(annual_percent),
            RateAgreement::None | RateAgreement::Unclear => None,
        }
    }
}

fn yes() -> bool {
    true
}

/// One private loan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LendingCase {
    /// Principal actually lent (interest deducted in advance is not principal, art. 26).
    #[serde(with = "rust_decimal::serde::str")]
    pub principal: Decimal,
    /// The day the money was handed over; interest runs from here.
    pub lent_on: NaiveDate,
    /// The day the contract was formed; defaults to `lent_on` (a loan between natural persons
    /// is formed when the money is delivered, 民法典 art. 679).
    #[serde(default)]
    pub formed_on: Option<NaiveDate>,
    pub maturity: NaiveDate,
    /// The day the suit was filed (起诉日).
    pub filed_on: NaiveDate,
    pub compute_to: NaiveDate,
    #[serde(default)]
    pub term_rate: RateAgreement,
    #[serde(default)]
    pub overdue_rate: RateAgreement,
    /// Agreed penalty or other charges on default, as percent a year (art. 29).
    #[serde(default, with = "rust_decimal::serde::str_option")]
    pub other_charges_percent: Option<Decimal>,
    pub between_natural_persons: bool,
    #[serde(default)]
    pub day_basis: DayBasis,
    #[serde(default = "yes")]
    pub count_first_day: bool,
    #[serde(default = "yes")]
    pub count_last_day: bool,
    #[serde(default)]
    pub repayments: Vec<Repayment>,
}

/// Something the judge should check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LendingWarning {
    Lpr {
        warning: LprWarning,
    },
    /// Under the 2015 rules interest agreed above 36% is void; interest already paid above 36%
    /// may be reclaimed (法释〔2015〕18号 art. 26 ¶2).
    AgreedAbove36Percent {
        #[serde(with = "rust_decimal::serde::str")]
        agreed_percent: Decimal,
    },
    PrincipalNotYetDue {
        amount: Yuan,
    },
    Overpaid {
        amount: Yuan,
    },
}

/// The computed claim of a private loan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LendingClaim {
    pub computed_to: NaiveDate,
    pub day_basis: DayBasis,
    pub counting: DayCounting,
    pub caps: Vec<CapSegment>,
    pub decisions: Vec<RateDecision>,
    pub principal_lent: Yuan,
    pub principal: Yuan,
    /// Term interest owed (借期内利息).
    pub interest: Yuan,
    /// Overdue interest owed (逾期利息).
    pub overdue_interest: Yuan,
    pub total: Yuan,
    pub allocations: Vec<Allocation>,
    pub items: Vec<ExplainItem>,
    pub running: Vec<RunningAccrual>,
    pub warnings: Vec<LendingWarning>,
}

impl LendingCase {
    fn validate(&self) -> Result<NaiveDate, CalcError> {
        check_amount("principal", self.principal)?;
        let formed_on = self.formed_on.unwrap_or(self.lent_on);
        if self.maturity < self.lent_on {
            return Err(CalcError::invalid("maturity", "must not be before lent_on"));
        }
        if self.compute_to < self.lent_on {
            return Err(CalcError::invalid(
                "compute_to",
                "must not be before lent_on",
            ));
        }
        if self.filed_on < formed_on {
            return Err(CalcError::invalid(
                "filed_on",
                "must not be before formed_on",
            ));
        }
        if let Some(percent) = self.term_rate.percent() {
            check_rate_percent("term_rate", percent)?;
        }
        if let Some(percent) = self.overdue_rate.percent() {
            check_rate_percent("overdue_rate", percent)?;
        }
        if let Some(percent) = self.other_charges_percent {
            check_rate_percent("other_charges_percent", percent)?;
        }
        if self.term_rate == RateAgreement::Unclear && !self.between_natural_persons {
            return Err(CalcError::invalid(
                "term_rate",
                "unclear interest between parties who are not both natural persons: the court \
                 must fix the rate (法释〔2020〕17号 art. 24 ¶2); pass it as fixed_by_court",
            ));
        }
        for (index, repayment) in self.repayments.iter().enumerate() {
            check_entry_amount("repayments", index, repayment.amount)?;
            if repayment.date < self.lent_on || repayment.date > self.compute_to {
                return Err(CalcError::entry(
                    "repayments",
                    index,
                    "date must lie between lent_on and compute_to",
                ));
            }
        }
        Ok(formed_on)
    }

    /// The term rate decision under one cap.
    fn term_decision(&self, cap: &CapSegment) -> RateDecision {
        let (claimed, rule) = match self.term_rate {
            RateAgreement::Agreed { annual_percent } => (annual_percent, RateRule::Agreed),
            RateAgreement::FixedByCourt { annual_percent } => {
                (annual_percent, RateRule::FixedByCourt)
            }
            RateAgreement::None => (Decimal::ZERO, RateRule::NoInterestAgreed),
            RateAgreement::Unclear => (Decimal::ZERO, RateRule::UnclearBetweenNaturalPersons),
        };
        decide(RatePart::Term, cap, claimed, rule)
    }

    /// The overdue rate decision under one cap; `lpr_when_overdue` answers art. 28 ¶2(1).
    fn overdue_decision(
        &self,
        cap: &CapSegment,
        lpr_when_overdue: impl FnOnce() -> Result<LprLookup, CalcError>,
    ) -> Result<RateDecision, CalcError> {
        let other = self.other_charges_percent.unwrap_or(Decimal::ZERO);
        let (base, rule) = match (self.overdue_rate, self.term_rate.percent()) {
            (RateAgreement::Agreed { annual_percent }, _)
            | (RateAgreement::FixedByCourt { annual_percent }, _) => {
                (annual_percent, RateRule::Agreed)
            }
            (_, Some(term)) => (term, RateRule::TermRateForOverdue),
            (_, None) if cap.is_old_rules() => (
                OLD_RULES_DEFAULT_OVERDUE_PERCENT,
                RateRule::SixPercentForOverdue,
            ),
            (_, None) => {
                let lpr = lpr_when_overdue()?;
                (lpr.rate_percent, RateRule::LprForOverdue { lpr })
            }
        };
        Ok(decide(RatePart::Overdue, cap, base + other, rule))
    }
}

/// Computes a private-lending claim with the caps and fallback rates applied.
pub fn compute_lending(case: &LendingCase, table: &LprTable) -> Result<LendingClaim, CalcError> {
    let formed_on = case.validate()?;
    let caps = lending_caps(formed_on, case.filed_on, table)?;
    let counting = DayCounting {
        count_first_day: case.count_first_day,
        count_last_day: case.count_last_day,
    };
    let first_day = counting.first_accrual_day(case.lent_on)?;
    let end = counting.accrual_end(case.compute_to)?.max(first_day);
    let first_overdue_day = counting.accrual_end(case.maturity)?;

    let mut warnings = Vec::new();
    let mut note_lpr = |lookup: &LprLookup| {
        if let Some(warning) = lookup.warning {
            let warning = LendingWarning::Lpr { warning };
            if !warnings.contains(&warning) {
                warnings.push(warning);
            }
        }
    };
    let mut decisions = Vec::with_capacity(2 * caps.len());
    let mut segments = Vec::with_capacity(caps.len());
    for cap in &caps {
        match cap.basis {
            CapBasis::FourTimesLprAtFormation { lpr } | CapBasis::FourTimesLprAtFiling { lpr } => {
                note_lpr(&lpr)
            }
            CapBasis::OldRules => {}
        }
        let term = case.term_decision(cap);
        let overdue = case.overdue_decision(cap, || {
            // "当时": the LPR in force on the first overdue day, or on 2020-08-20 for the part
            // of an older contract that the new rules govern.
            let day = cap
                .from
                .map_or(first_overdue_day, |from| from.max(first_overdue_day));
            table.in_force_on(day).map_err(|source| CalcError::Lpr {
                field: "maturity",
                source,
            })
        })?;
        if let RateRule::LprForOverdue { lpr } = overdue.rule {
            note_lpr(&lpr);
        }
        let from = cap.from.map_or(first_day, |from| from.max(first_day));
        // A segment that ends before the loan starts carries no days.
        if cap.until.is_none_or(|until| until >= first_day) {
            segments.push(RateSegment {
                from,
                contract_percent: term.applied_percent,
                penalty_percent: overdue.applied_percent,
            });
        }
        decisions.push(term);
        decisions.push(overdue);
    }
    if caps.iter().any(CapSegment::is_old_rules)
        && let Some(agreed) = case
            .term_rate
            .percent()
            .into_iter()
            .chain(case.overdue_rate.percent())
            .filter(|percent| *percent > OLD_RULES_VOID_ABOVE_PERCENT)
            .max()
    {
        warnings.push(LendingWarning::AgreedAbove36Percent {
            agreed_percent: agreed,
        });
    }

    let dues = [DueEvent {
        number: 1,
        boundary: first_overdue_day,
        principal: case.principal,
        opening_balance: case.principal,
        billed_interest: None,
    }];
    let mut payments = case
        .repayments
        .iter()
        .map(|repayment| {
            Ok(PaymentEvent {
                boundary: counting.accrual_end(repayment.date)?.max(first_day),
                date: repayment.date,
                amount: repayment.amount,
            })
        })
        .collect::<Result<Vec<_>, CalcError>>()?;
    payments.sort_by_key(|payment| payment.boundary);
    let outcome = ledger::run(&LedgerSpec {
        basis: case.day_basis,
        first_day,
        end,
        dues: &dues,
        method: InterestMethod::Daily,
        acceleration: None,
        payments: &payments,
        costs: &[],
        rates: &segments,
        compound: false,
        cap_percent: None,
        contract_kind: AccrualKind::LendingInterest,
        penalty_kind: AccrualKind::LendingOverdueInterest,
    });

    let mut items: Vec<ExplainItem> = decisions
        .iter()
        .copied()
        .map(ExplainItem::RateDecision)
        .collect();
    items.extend(outcome.items.into_iter().map(|item| match item {
        ExplainItem::Payment(allocation) => ExplainItem::LendingPayment(allocation),
        other => other,
    }));
    let principal = Yuan::from_exact(outcome.overdue_principal + outcome.principal_not_due);
    let interest = Yuan::from_exact(outcome.interest_due + outcome.interest_not_due);
    let overdue_interest = Yuan::from_exact(outcome.penalty);
    let total = principal + interest + overdue_interest;

    let mut running = Vec::new();
    let overdue_principal = Yuan::from_exact(outcome.overdue_principal);
    if !overdue_principal.is_zero() && outcome.penalty_percent > Decimal::ZERO {
        running.push(RunningAccrual {
            kind: AccrualKind::LendingOverdueInterest,
            from: end,
            base: overdue_principal,
            annual_percent: outcome.penalty_percent,
            then_percent: None,
            basis: case.day_basis,
        });
    }
    let not_due = Yuan::from_exact(outcome.principal_not_due);
    if !not_due.is_zero() {
        warnings.push(LendingWarning::PrincipalNotYetDue { amount: not_due });
        running.push(RunningAccrual {
            kind: AccrualKind::LendingInterest,
            from: end,
            base: not_due,
            annual_percent: outcome.contract_percent,
            then_percent: Some(outcome.penalty_percent),
            basis: case.day_basis,
        });
    }
    if outcome.paid.unapplied > Decimal::ZERO {
        warnings.push(LendingWarning::Overpaid {
            amount: Yuan::from_exact(outcome.paid.unapplied),
        });
    }

    Ok(LendingClaim {
        computed_to: case.compute_to,
        day_basis: case.day_basis,
        counting,
        caps,
        decisions,
        principal_lent: Yuan::from_exact(case.principal),
        principal,
        interest,
        overdue_interest,
        total,
        allocations: outcome.allocations,
        items,
        running,
        warnings,
    })
}

#[cfg(test)]
mod tests;
