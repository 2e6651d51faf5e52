//! What a loan computation returns: the claim with its totals, how each repayment was
//! applied, the 24% cap outcome, the running formula and the warnings.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::{Instalment, ScheduleKind};
use crate::daycount::{DayBasis, DayCounting};
use crate::explain::{AccrualKind, ExplainItem};
use crate::money::Yuan;

/// How one repayment was applied (民法典 art. 561). The parts always sum to `amount`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Allocation {
    pub date: NaiveDate,
    pub amount: Yuan,
    pub costs: Yuan,
    /// Contract interest, due or accrued.
    pub interest: Yuan,
    pub penalty: Yuan,
    pub compound: Yuan,
    pub principal: Yuan,
    /// Paid beyond everything owed at the time.
    pub unapplied: Yuan,
}

impl Allocation {
    pub fn parts_sum(&self) -> Decimal {
        self.costs.value()
            + self.interest.value()
            + self.penalty.value()
            + self.compound.value()
            + self.principal.value()
            + self.unapplied.value()
    }
}

/// The 24% total cap, measured on the principal owed day by day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CapOutcome {
    #[serde(with = "rust_decimal::serde::str")]
    pub rate_percent: Decimal,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// 24% a year on the principal owed over the whole period.
    pub limit: Yuan,
    /// Interest, penalty and compound interest already paid.
    pub already_paid: Yuan,
    /// Interest, penalty and compound interest claimed before the cap.
    pub claimed: Yuan,
    /// What may still be claimed: limit − already paid, not below zero.
    pub allowed: Yuan,
    pub cut_compound: Yuan,
    pub cut_penalty: Yuan,
    pub cut_interest: Yuan,
}

impl CapOutcome {
    pub fn total_cut(&self) -> Yuan {
        self.cut_compound + self.cut_penalty + self.cut_interest
    }
}

/// Interest, penalty and compound interest in one shape.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct InterestParts {
    pub interest: Yuan,
    pub penalty: Yuan,
    pub compound: Yuan,
}

/// Where the repayments went in total.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PaidParts {
    pub costs: Yuan,
    pub interest: Yuan,
    pub penalty: Yuan,
    pub compound: Yuan,
    pub principal: Yuan,
    pub unapplied: Yuan,
}

/// A charge that keeps running after the compute-to date (…至实际清偿之日止).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct RunningAccrual {
    pub kind: AccrualKind,
    /// First day not covered by the computed amounts.
    pub from: NaiveDate,
    pub base: Yuan,
    #[serde(with = "rust_decimal::serde::str")]
    pub annual_percent: Decimal,
    /// For principal not yet due: the penalty rate once it falls due.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub then_percent: Option<Decimal>,
    pub basis: DayBasis,
}

/// Something the judge should look at before relying on the figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClaimWarning {
    /// Part of the principal had not fallen due by the compute-to date and the loan was not
    /// accelerated; it is included in the outstanding principal.
    PrincipalNotYetDue { amount: Yuan },
    /// Repayments exceeded everything owed at the time they were made.
    Overpaid { amount: Yuan },
}

/// The computed claim of one loan case.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LoanClaim {
    pub computed_to: NaiveDate,
    pub schedule_kind: ScheduleKind,
    pub day_basis: DayBasis,
    pub counting: DayCounting,
    #[serde(with = "rust_decimal::serde::str")]
    pub annual_rate_percent: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub penalty_rate_percent: Decimal,
    pub principal_lent: Yuan,
    /// Principal still owed, overdue or not.
    pub principal: Yuan,
    pub overdue_principal: Yuan,
    pub principal_not_yet_due: Yuan,
    /// Contract interest owed (due, plus accrued to the compute-to date).
    pub interest: Yuan,
    pub penalty: Yuan,
    pub compound: Yuan,
    pub costs: Yuan,
    /// principal + interest + penalty + compound + costs.
    pub total: Yuan,
    /// Everything that accrued, paid or not, before any cap.
    pub accrued: InterestParts,
    pub paid: PaidParts,
    pub cap: Option<CapOutcome>,
    pub schedule: Vec<Instalment>,
    pub allocations: Vec<Allocation>,
    pub items: Vec<ExplainItem>,
    pub running: Vec<RunningAccrual>,
    pub warnings: Vec<ClaimWarning>,
}
