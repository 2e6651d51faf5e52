//! The ledger's inputs (instalments, payments, costs, rate segments) and its outcome.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::daycount::DayBasis;
use crate::explain::{AccrualKind, ExplainItem};
use crate::loan::Allocation;

/// How contract interest accrues within a schedule period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum InterestMethod {
    /// By days at annual ÷ basis.
    Daily,
    /// By monthly period at annual ÷ 12; a part period pro rata by days.
    Monthly,
}

/// An instalment as the ledger sees it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct DueEvent {
    pub number: u32,
    /// Exclusive end of the period's accrual: from here the instalment is due.
    pub boundary: NaiveDate,
    pub principal: Decimal,
    pub opening_balance: Decimal,
    pub billed_interest: Option<Decimal>,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct PaymentEvent {
    /// Accrual boundary: balances change from this day on.
    pub boundary: NaiveDate,
    pub date: NaiveDate,
    pub amount: Decimal,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct CostEvent {
    /// When the cost was incurred; an undated cost is never met by a repayment.
    pub date: Option<NaiveDate>,
    pub amount: Decimal,
}

/// Rates in force from `from` (an accrual day) until the next segment.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RateSegment {
    pub from: NaiveDate,
    pub contract_percent: Decimal,
    pub penalty_percent: Decimal,
}

pub(crate) struct LedgerSpec<'a> {
    pub basis: DayBasis,
    pub first_day: NaiveDate,
    /// Exclusive end of accrual (the compute-to boundary).
    pub end: NaiveDate,
    pub dues: &'a [DueEvent],
    pub method: InterestMethod,
    pub acceleration: Option<NaiveDate>,
    /// Sorted by boundary.
    pub payments: &'a [PaymentEvent],
    /// Dated costs first, by date; undated last.
    pub costs: &'a [CostEvent],
    /// Sorted by `from`; the first applies from `first_day` whatever its `from`.
    pub rates: &'a [RateSegment],
    pub compound: bool,
    /// Annual percent of the total-interest cap, when it is to be measured.
    pub cap_percent: Option<Decimal>,
    pub contract_kind: AccrualKind,
    pub penalty_kind: AccrualKind,
}

/// Paid amounts per destination, in cents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Paid {
    pub costs: Decimal,
    pub contract: Decimal,
    pub penalty: Decimal,
    pub compound: Decimal,
    pub principal: Decimal,
    pub unapplied: Decimal,
}

pub(crate) struct LedgerOutcome {
    pub items: Vec<ExplainItem>,
    pub allocations: Vec<Allocation>,
    pub overdue_principal: Decimal,
    pub principal_not_due: Decimal,
    /// Contract interest due and unpaid (the compound base).
    pub interest_due: Decimal,
    pub interest_not_due: Decimal,
    pub penalty: Decimal,
    pub compound: Decimal,
    pub costs: Decimal,
    pub paid: Paid,
    /// Exact value of the cap over the whole timeline, when asked for.
    pub cap_total: Option<Decimal>,
    /// Whether the loan was in default on the last accrual day (drives the running formula).
    pub in_default: bool,
    pub contract_percent: Decimal,
    pub penalty_percent: Decimal,
}
