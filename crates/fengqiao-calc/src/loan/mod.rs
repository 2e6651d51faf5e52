//! Financial loan claims (金融借款合同纠纷): outstanding principal, contract interest, penalty
//! interest, compound interest and costs, computed to a stated date (暂计至) with the running
//! formula after it and, when the borrower raises it, the 24% total cap.
//!
//! Conventions, all chosen so DOMAIN §8's worked example comes out exactly (100,000 at 6% from
//! 2023-07-01 to 2024-06-30, penalty 9%, 360-day year, computed to 2024-12-31):
//!
//! * by default both the first and the last day of a period accrue, so the term
//!   2023-07-01..=2024-06-30 is 366 days: 100,000 × 6% ÷ 360 × 366 = 6,100.00;
//! * principal unpaid at maturity bears penalty interest from the next accrual day,
//!   2024-07-01..=2024-12-31, 184 days: 100,000 × 9% ÷ 360 × 184 = 4,600.00 — the penalty rate
//!   replaces the contract rate, it is not added to it;
//! * compound interest is charged on contract interest that fell due unpaid (not on penalty or
//!   compound interest), at the contract rate while the loan performs and the penalty rate once
//!   principal is overdue or the term has ended: 6,100 × 9% ÷ 360 × 184 = 280.60;
//! * each component is rounded half-up to the cent once, at the end; the total is their sum:
//!   100,000 + 6,100 + 4,600 + 280.60 = 110,980.60.

mod claim;
mod render;
mod schedule;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

use crate::daycount::{DayBasis, DayCounting};
use crate::error::CalcError;
use crate::explain::{AccrualKind, ExplainItem};
use crate::ledger::{
    self, CostEvent, DueEvent, InterestMethod, LedgerSpec, PaymentEvent, RateSegment,
};
use crate::money::{
    Repayment, Yuan, check_amount, check_entry_amount, check_rate_percent, round_half_up,
};

pub use claim::{
    Allocation, CapOutcome, ClaimWarning, InterestParts, LoanClaim, PaidParts, RunningAccrual,
};
pub(crate) use render::counting_zh;
pub use schedule::{Instalment, MAX_INSTALMENTS, ScheduleKind, build_schedule};

/// The total-interest cap for financial loans, percent a year (法发〔2017〕22号 art. 2).
pub const FINANCIAL_LOAN_CAP_PERCENT: Decimal = dec!(24);

fn yes() -> bool {
    true
}

/// One bank-loan case as a clerk prepares it (`calc loan --file case.json`). Money and rates
/// are JSON strings (`"100000.00"`, `"6"` meaning 6% a year); dates are `YYYY-MM-DD`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoanCase {
    /// Principal actually lent (实际出借本金).
    #[serde(with = "rust_decimal::serde::str")]
    pub principal: Decimal,
    /// The drawdown date, first day of the term.
    pub start: NaiveDate,
    /// The last day of the term as written in the contract.
    pub maturity: NaiveDate,
    /// Contract (term) rate, percent a year.
    #[serde(with = "rust_decimal::serde::str")]
    pub annual_rate_percent: Decimal,
    /// Penalty rate, percent a year; give this or `penalty_uplift_percent`.
    #[serde(default, with = "rust_decimal::serde::str_option")]
    pub penalty_rate_percent: Option<Decimal>,
    /// Penalty uplift over the contract rate in percent, 30 to 50 (银发〔2003〕251号 art. 3).
    #[serde(default, with = "rust_decimal::serde::str_option")]
    pub penalty_uplift_percent: Option<Decimal>,
    #[serde(default)]
    pub day_basis: DayBasis,
    #[serde(default = "yes")]
    pub count_first_day: bool,
    #[serde(default = "yes")]
    pub count_last_day: bool,
    #[serde(default)]
    pub schedule: ScheduleKind,
    /// The day the lender declared the whole loan due (宣布提前到期), if it did.
    #[serde(default)]
    pub accelerated_on: Option<NaiveDate>,
    #[serde(default)]
    pub repayments: Vec<Repayment>,
    /// Costs of enforcing the claim the contract puts on the borrower (实现债权的费用).
    #[serde(default)]
    pub costs: Vec<Cost>,
    /// Interest is computed up to and including this date (暂计至).
    pub compute_to: NaiveDate,
    /// Whether the lender claims compound interest at all.
    #[serde(default = "yes")]
    pub claim_compound: bool,
    /// Whether the borrower asked for everything above 24% a year to be cut.
    #[serde(default)]
    pub borrower_raises_cap: bool,
}

/// What a cost was for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostKind {
    /// 律师费
    LawyerFee,
    /// 公告费
    NoticeFee,
    /// 保全费 / 保全担保费
    PreservationFee,
    /// 评估、鉴定、拍卖费
    AppraisalFee,
    #[default]
    Other,
}

impl CostKind {
    pub const fn zh(self) -> &'static str {
        match self {
            CostKind::LawyerFee => "律师费",
            CostKind::NoticeFee => "公告费",
            CostKind::PreservationFee => "保全费",
            CostKind::AppraisalFee => "评估鉴定费",
            CostKind::Other => "其他费用",
        }
    }
}

/// A cost of enforcing the claim. A dated cost is met by repayments made on or after its date;
/// an undated one only appears in the claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cost {
    #[serde(default)]
    pub kind: CostKind,
    #[serde(default)]
    pub date: Option<NaiveDate>,
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
}

impl LoanCase {
    pub fn counting(&self) -> DayCounting {
        DayCounting {
            count_first_day: self.count_first_day,
            count_last_day: self.count_last_day,
        }
    }

    /// The penalty rate in percent a year, from either input field.
    pub fn penalty_percent(&self) -> Result<Decimal, CalcError> {
        match (self.penalty_rate_percent, self.penalty_uplift_percent) {
            (Some(_), Some(_)) => Err(CalcError::invalid(
                "penalty_rate_percent",
                "give either penalty_rate_percent or penalty_uplift_percent, not both",
            )),
            (None, None) => Err(CalcError::invalid(
                "penalty_rate_percent",
                "one of penalty_rate_percent or penalty_uplift_percent is required",
            )),
            (Some(rate), None) => check_rate_percent("penalty_rate_percent", rate),
            (None, Some(uplift)) => {
                if uplift < dec!(30) || uplift > dec!(50) {
                    return Err(CalcError::invalid(
                        "penalty_uplift_percent",
                        "must be between 30 and 50 (银发〔2003〕251号 art. 3)",
                    ));
                }
                Ok(self.annual_rate_percent * (dec!(100) + uplift) / dec!(100))
            }
        }
    }

    fn validate(&self) -> Result<Decimal, CalcError> {
        check_amount("principal", self.principal)?;
        check_rate_percent("annual_rate_percent", self.annual_rate_percent)?;
        let penalty = self.penalty_percent()?;
        if self.maturity < self.start {
            return Err(CalcError::invalid("maturity", "must not be before start"));
        }
        if self.compute_to < self.start {
            return Err(CalcError::invalid("compute_to", "must not be before start"));
        }
        if let Some(accelerated) = self.accelerated_on {
            if accelerated < self.start || accelerated > self.maturity {
                return Err(CalcError::invalid(
                    "accelerated_on",
                    "must lie between start and maturity",
                ));
            }
            if accelerated > self.compute_to {
                return Err(CalcError::invalid(
                    "accelerated_on",
                    "must not be after compute_to",
                ));
            }
        }
        for (index, repayment) in self.repayments.iter().enumerate() {
            check_entry_amount("repayments", index, repayment.amount)?;
            if repayment.date < self.start || repayment.date > self.compute_to {
                return Err(CalcError::entry(
                    "repayments",
                    index,
                    "date must lie between start and compute_to",
                ));
            }
        }
        for (index, cost) in self.costs.iter().enumerate() {
            check_entry_amount("costs", index, cost.amount)?;
        }
        Ok(penalty)
    }
}

/// Computes the claim of one loan case.
pub fn compute_loan(case: &LoanCase) -> Result<LoanClaim, CalcError> {
    let penalty_percent = case.validate()?;
    let counting = case.counting();
    let first_day = counting.first_accrual_day(case.start)?;
    let end = counting.accrual_end(case.compute_to)?.max(first_day);
    let schedule = build_schedule(
        case.schedule,
        case.principal,
        case.annual_rate_percent,
        case.start,
        case.maturity,
        counting,
    )?;
    let dues = schedule
        .iter()
        .map(|instalment| {
            Ok(DueEvent {
                number: instalment.number,
                boundary: counting.accrual_end(instalment.due_date)?,
                principal: instalment.principal.value(),
                opening_balance: instalment.opening_balance.value(),
                billed_interest: instalment.interest.map(Yuan::value),
            })
        })
        .collect::<Result<Vec<_>, CalcError>>()?;
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
    let mut costs: Vec<CostEvent> = case
        .costs
        .iter()
        .map(|cost| CostEvent {
            date: cost.date,
            amount: cost.amount,
        })
        .collect();
    costs.sort_by_key(|cost| (cost.date.is_none(), cost.date));
    let acceleration = case
        .accelerated_on
        .map(|date| counting.accrual_end(date))
        .transpose()?;
    let rates = [RateSegment {
        from: first_day,
        contract_percent: case.annual_rate_percent,
        penalty_percent,
    }];
    let outcome = ledger::run(&LedgerSpec {
        basis: case.day_basis,
        first_day,
        end,
        dues: &dues,
        method: if case.schedule.bills_monthly_interest() {
            InterestMethod::Monthly
        } else {
            InterestMethod::Daily
        },
        acceleration,
        payments: &payments,
        costs: &costs,
        rates: &rates,
        compound: case.claim_compound,
        cap_percent: case
            .borrower_raises_cap
            .then_some(FINANCIAL_LOAN_CAP_PERCENT),
        contract_kind: AccrualKind::ContractInterest,
        penalty_kind: AccrualKind::PenaltyInterest,
    });

    let mut interest = Yuan::from_exact(outcome.interest_due + outcome.interest_not_due);
    let mut penalty = Yuan::from_exact(outcome.penalty);
    let mut compound = Yuan::from_exact(outcome.compound);
    let paid = PaidParts {
        costs: Yuan::from_exact(outcome.paid.costs),
        interest: Yuan::from_exact(outcome.paid.contract),
        penalty: Yuan::from_exact(outcome.paid.penalty),
        compound: Yuan::from_exact(outcome.paid.compound),
        principal: Yuan::from_exact(outcome.paid.principal),
        unapplied: Yuan::from_exact(outcome.paid.unapplied),
    };
    let accrued = InterestParts {
        interest: paid.interest + interest,
        penalty: paid.penalty + penalty,
        compound: paid.compound + compound,
    };
    let mut items = outcome.items;
    let cap = outcome.cap_total.map(|cap_total| {
        let claimed = interest + penalty + compound;
        let already_paid = paid.interest + paid.penalty + paid.compound;
        let limit = Yuan::from_exact(cap_total);
        let allowed = Yuan::from_exact((limit.value() - already_paid.value()).max(Decimal::ZERO));
        // The most punitive charges go first: compound, then penalty, then contract interest.
        let mut excess = (claimed.value() - allowed.value()).max(Decimal::ZERO);
        let mut cut = |owed: &mut Yuan| {
            let taken = excess.min(owed.value());
            excess -= taken;
            *owed = Yuan::from_exact(owed.value() - taken);
            Yuan::from_exact(taken)
        };
        let cut_compound = cut(&mut compound);
        let cut_penalty = cut(&mut penalty);
        let cut_interest = cut(&mut interest);
        let outcome = CapOutcome {
            rate_percent: FINANCIAL_LOAN_CAP_PERCENT,
            from: first_day,
            to: crate::daycount::previous_day(end),
            limit,
            already_paid,
            claimed,
            allowed,
            cut_compound,
            cut_penalty,
            cut_interest,
        };
        items.push(ExplainItem::LoanCap(outcome));
        outcome
    });

    let overdue_principal = Yuan::from_exact(outcome.overdue_principal);
    let principal_not_yet_due = Yuan::from_exact(outcome.principal_not_due);
    let principal = overdue_principal + principal_not_yet_due;
    let costs_owed = Yuan::from_exact(outcome.costs);
    let total = principal + interest + penalty + compound + costs_owed;

    let mut running = Vec::new();
    if !overdue_principal.is_zero() && penalty_percent > Decimal::ZERO {
        running.push(RunningAccrual {
            kind: AccrualKind::PenaltyInterest,
            from: end,
            base: overdue_principal,
            annual_percent: penalty_percent,
            then_percent: None,
            basis: case.day_basis,
        });
    }
    let compound_base = Yuan::from_exact(round_half_up(outcome.interest_due).min(interest.value()));
    let compound_percent = if outcome.in_default {
        outcome.penalty_percent
    } else {
        outcome.contract_percent
    };
    if case.claim_compound && !compound_base.is_zero() && compound_percent > Decimal::ZERO {
        running.push(RunningAccrual {
            kind: AccrualKind::CompoundInterest,
            from: end,
            base: compound_base,
            annual_percent: compound_percent,
            then_percent: None,
            basis: case.day_basis,
        });
    }
    if !principal_not_yet_due.is_zero() {
        running.push(RunningAccrual {
            kind: AccrualKind::ContractInterest,
            from: end,
            base: principal_not_yet_due,
            annual_percent: case.annual_rate_percent,
            then_percent: Some(penalty_percent),
            basis: case.day_basis,
        });
    }

    let mut warnings = Vec::new();
    if !principal_not_yet_due.is_zero() {
        warnings.push(ClaimWarning::PrincipalNotYetDue {
            amount: principal_not_yet_due,
        });
    }
    if !paid.unapplied.is_zero() {
        warnings.push(ClaimWarning::Overpaid {
            amount: paid.unapplied,
        });
    }

    Ok(LoanClaim {
        computed_to: case.compute_to,
        schedule_kind: case.schedule,
        day_basis: case.day_basis,
        counting,
        annual_rate_percent: case.annual_rate_percent,
        penalty_rate_percent: penalty_percent,
        principal_lent: Yuan::from_exact(case.principal),
        principal,
        overdue_principal,
        principal_not_yet_due,
        interest,
        penalty,
        compound,
        costs: costs_owed,
        total,
        accrued,
        paid,
        cap,
        schedule,
        allocations: outcome.allocations,
        items,
        running,
        warnings,
    })
}

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
