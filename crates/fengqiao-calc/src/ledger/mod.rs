//! The accrual ledger shared by bank loans and private lending: walks the timeline from event to
//! event (a due date, an acceleration, a repayment, a rate change, the compute-to date), accrues
//! interest on the balances in force between events and applies repayments.
//!
//! Between two events nothing changes, so each interval yields at most one line per kind of
//! interest, and every amount is the exact fraction base × rate × days ÷ (100 × basis). The
//! ledger adds numerators and divides only when a balance is needed (a due date makes interest
//! the compound base, a repayment, the end): a non-terminating decimal division costs more than
//! everything else in a case, and a batch must run at 100,000 cases a second.
//! Rounding happens only where money changes hands: when a repayment arrives each interest
//! balance is settled to the cent, because only whole cents can be paid; the claim itself is
//! rounded once, at the end, by the caller.
//!
//! Repayments are applied, as 民法典 art. 561 orders, to costs of enforcing the claim, then
//! interest — contract interest due, penalty interest, compound interest, then contract interest
//! accrued but not yet due — then principal, overdue first and then the earliest instalments
//! not yet due. What is left over is reported as unapplied.

mod spec;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::daycount::{days_between, previous_day};
use crate::explain::{Accrual, AccrualKind, ExplainItem, RateApplied};
use crate::loan::Allocation;
use crate::money::{Yuan, accrual_numerator, is_positive, round_half_up};

pub(crate) use spec::{
    CostEvent, DueEvent, InterestMethod, LedgerOutcome, LedgerSpec, Paid, PaymentEvent, RateSegment,
};

/// A balance kept as `value + pending ÷ divisor`, so accruals by days add numerators and the
/// division happens once, when the balance is read.
#[derive(Clone, Copy, Debug, Default)]
struct Pot {
    value: Decimal,
    pending: Decimal,
}

impl Pot {
    fn add_line(&mut self, line: &Accrual, divisor: Decimal) {
        if line.denominator == divisor {
            self.pending += line.numerator;
        } else {
            self.value += line.amount();
        }
    }

    fn read(&mut self, divisor: Decimal) -> Decimal {
        if !self.pending.is_zero() {
            self.value += self.pending / divisor;
            self.pending = Decimal::ZERO;
        }
        self.value
    }

    /// Only whole cents can be paid: settles the balance to the cent.
    fn settle(&mut self, divisor: Decimal) -> &mut Decimal {
        self.value = round_half_up(self.read(divisor));
        &mut self.value
    }

    fn take_all(&mut self, divisor: Decimal) -> Decimal {
        let value = self.read(divisor);
        self.value = Decimal::ZERO;
        value
    }
}

struct Ledger<'a> {
    spec: &'a LedgerSpec<'a>,
    /// 100 × the day basis: the denominator of every accrual by days.
    divisor: Decimal,
    not_due: Vec<Decimal>,
    not_due_total: Decimal,
    next_due: usize,
    accelerated: bool,
    overdue: Decimal,
    interest_due: Pot,
    interest_not_due: Pot,
    penalty: Pot,
    compound: Pot,
    costs: Decimal,
    next_cost: usize,
    paid: Paid,
    cap_total: Pot,
    segment: usize,
    items: Vec<ExplainItem>,
    allocations: Vec<Allocation>,
}

pub(crate) fn run(spec: &LedgerSpec<'_>) -> LedgerOutcome {
    let not_due: Vec<Decimal> = spec.dues.iter().map(|due| due.principal).collect();
    let not_due_total = not_due.iter().copied().sum();
    let mut ledger = Ledger {
        spec,
        divisor: Decimal::from(100 * spec.basis.days()),
        not_due,
        not_due_total,
        next_due: 0,
        accelerated: false,
        overdue: Decimal::ZERO,
        interest_due: Pot::default(),
        interest_not_due: Pot::default(),
        penalty: Pot::default(),
        compound: Pot::default(),
        costs: Decimal::ZERO,
        next_cost: 0,
        paid: Paid::default(),
        cap_total: Pot::default(),
        segment: 0,
        items: Vec::with_capacity(3 * spec.dues.len() + 4 * spec.payments.len() + 4),
        allocations: Vec::with_capacity(spec.payments.len()),
    };
    ledger.walk();
    ledger.finish()
}

impl Ledger<'_> {
    fn walk(&mut self) {
        let spec = self.spec;
        let mut next_payment = 0;
        let mut day = spec.first_day;
        loop {
            self.settle_segment(day);
            while !self.accelerated
                && self
                    .spec
                    .dues
                    .get(self.next_due)
                    .is_some_and(|due| due.boundary <= day)
            {
                self.fall_due();
            }
            if !self.accelerated && spec.acceleration.is_some_and(|at| at <= day) {
                self.accelerate();
            }
            while let Some(payment) = spec
                .payments
                .get(next_payment)
                .filter(|payment| payment.boundary <= day)
            {
                self.apply_payment(payment);
                next_payment += 1;
            }
            if day >= spec.end {
                break;
            }
            let mut next = spec.end;
            if !self.accelerated {
                if let Some(due) = spec.dues.get(self.next_due) {
                    next = next.min(due.boundary);
                }
                if let Some(at) = spec.acceleration {
                    next = next.min(at);
                }
            }
            if let Some(payment) = spec.payments.get(next_payment) {
                next = next.min(payment.boundary);
            }
            if let Some(segment) = spec.rates.get(self.segment + 1) {
                next = next.min(segment.from);
            }
            // Every event source above lies strictly after `day` once processed; the guard
            // keeps the walk finite even if a caller passes an event before `first_day`.
            let next = if next > day { next } else { spec.end };
            self.accrue(day, next);
            day = next;
        }
        self.take_costs_until(None);
    }

    fn rates(&self) -> RateSegment {
        self.spec
            .rates
            .get(self.segment)
            .copied()
            .unwrap_or(RateSegment {
                from: self.spec.first_day,
                contract_percent: Decimal::ZERO,
                penalty_percent: Decimal::ZERO,
            })
    }

    fn settle_segment(&mut self, day: NaiveDate) {
        while self
            .spec
            .rates
            .get(self.segment + 1)
            .is_some_and(|segment| segment.from <= day)
        {
            self.segment += 1;
        }
    }

    fn in_default(&self) -> bool {
        self.accelerated || is_positive(self.overdue) || self.next_due >= self.spec.dues.len()
    }

    fn fall_due(&mut self) {
        if let Some(remaining) = self.not_due.get_mut(self.next_due) {
            self.overdue += *remaining;
            self.not_due_total -= *remaining;
            *remaining = Decimal::ZERO;
        }
        self.interest_fell_due();
        self.next_due += 1;
    }

    fn accelerate(&mut self) {
        self.overdue += self.not_due_total;
        self.not_due_total = Decimal::ZERO;
        self.not_due
            .iter_mut()
            .for_each(|part| *part = Decimal::ZERO);
        self.interest_fell_due();
        self.accelerated = true;
    }

    fn interest_fell_due(&mut self) {
        self.interest_due.value += self.interest_not_due.take_all(self.divisor);
    }

    fn accrue(&mut self, from: NaiveDate, to: NaiveDate) {
        let days = days_between(from, to);
        if days == 0 {
            return;
        }
        let spec = self.spec;
        let rates = self.rates();
        let basis = spec.basis;
        let divisor = self.divisor;
        if let Some(cap_percent) = spec.cap_percent {
            self.cap_total.pending +=
                accrual_numerator(self.not_due_total + self.overdue, cap_percent, days);
        }
        let by_days = |kind: AccrualKind, base: Decimal, percent: Decimal| Accrual {
            kind,
            period: None,
            from,
            to: previous_day(to),
            days,
            base,
            rate: RateApplied::Annual { percent, basis },
            numerator: accrual_numerator(base, percent, days),
            denominator: divisor,
        };
        if is_positive(self.not_due_total) && is_positive(rates.contract_percent) {
            let line = self.contract_line(from, to, days, rates.contract_percent);
            self.interest_not_due.add_line(&line, divisor);
            self.items.push(ExplainItem::Accrual(line));
        }
        if is_positive(self.overdue) && is_positive(rates.penalty_percent) {
            let line = by_days(spec.penalty_kind, self.overdue, rates.penalty_percent);
            self.penalty.add_line(&line, divisor);
            self.items.push(ExplainItem::Accrual(line));
        }
        let interest_due = self.interest_due.read(divisor);
        if spec.compound && is_positive(interest_due) {
            // 人民币利率管理规定 arts. 20–21: unpaid interest compounds at the contract rate
            // while the loan performs, at the penalty rate once it is in default.
            let percent = if self.in_default() {
                rates.penalty_percent
            } else {
                rates.contract_percent
            };
            if is_positive(percent) {
                let line = by_days(AccrualKind::CompoundInterest, interest_due, percent);
                self.compound.add_line(&line, divisor);
                self.items.push(ExplainItem::Accrual(line));
            }
        }
    }

    /// Contract interest on the principal not yet due over `[from, to)`, which lies inside
    /// one schedule period.
    fn contract_line(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        days: u32,
        percent: Decimal,
    ) -> Accrual {
        let spec = self.spec;
        let base = self.not_due_total;
        let due = spec.dues.get(self.next_due);
        let period = due.map(|due| due.number);
        let daily = || Accrual {
            kind: spec.contract_kind,
            period: (spec.dues.len() > 1).then_some(period).flatten(),
            from,
            to: previous_day(to),
            days,
            base,
            rate: RateApplied::Annual {
                percent,
                basis: spec.basis,
            },
            numerator: accrual_numerator(base, percent, days),
            denominator: self.divisor,
        };
        let Some(due) = due.filter(|_| spec.method == InterestMethod::Monthly) else {
            return daily();
        };
        let period_start = self
            .next_due
            .checked_sub(1)
            .and_then(|previous| spec.dues.get(previous))
            .map_or(spec.first_day, |previous| previous.boundary);
        let period_days = days_between(period_start, due.boundary);
        let whole_period = from == period_start && to == due.boundary;
        let (numerator, denominator, rate) = match due.billed_interest {
            // An untouched period is billed exactly as the schedule prints it.
            Some(billed) if whole_period && base == due.opening_balance => (
                billed,
                Decimal::ONE,
                RateApplied::MonthlyPeriod {
                    annual_percent: percent,
                },
            ),
            _ => (
                accrual_numerator(base, percent, days),
                dec!(1200) * Decimal::from(period_days.max(1)),
                if whole_period {
                    RateApplied::MonthlyPeriod {
                        annual_percent: percent,
                    }
                } else {
                    RateApplied::MonthlyShare {
                        annual_percent: percent,
                        period_days,
                    }
                },
            ),
        };
        Accrual {
            kind: spec.contract_kind,
            period,
            from,
            to: previous_day(to),
            days,
            base,
            rate,
            numerator,
            denominator,
        }
    }

    /// Moves costs incurred on or before `date` (all costs when `None`) into what is owed.
    fn take_costs_until(&mut self, date: Option<NaiveDate>) {
        while let Some(cost) = self.spec.costs.get(self.next_cost) {
            let due = match (date, cost.date) {
                (None, _) => true,
                (Some(limit), Some(incurred)) => incurred <= limit,
                (Some(_), None) => false,
            };
            if !due {
                break;
            }
            self.costs += cost.amount;
            self.next_cost += 1;
        }
    }

    fn apply_payment(&mut self, payment: &PaymentEvent) {
        self.take_costs_until(Some(payment.date));
        let divisor = self.divisor;
        let mut left = payment.amount;
        let to_costs = take(&mut left, &mut self.costs);
        let mut to_interest = take(&mut left, self.interest_due.settle(divisor));
        let to_penalty = take(&mut left, self.penalty.settle(divisor));
        let to_compound = take(&mut left, self.compound.settle(divisor));
        to_interest += take(&mut left, self.interest_not_due.settle(divisor));
        let mut to_principal = take(&mut left, &mut self.overdue);
        for part in self.not_due.iter_mut().skip(self.next_due) {
            if left.is_zero() {
                break;
            }
            let taken = take(&mut left, part);
            self.not_due_total -= taken;
            to_principal += taken;
        }
        self.paid.costs += to_costs;
        self.paid.contract += to_interest;
        self.paid.penalty += to_penalty;
        self.paid.compound += to_compound;
        self.paid.principal += to_principal;
        self.paid.unapplied += left;
        let allocation = Allocation {
            date: payment.date,
            amount: Yuan::from_exact(payment.amount),
            costs: Yuan::from_exact(to_costs),
            interest: Yuan::from_exact(to_interest),
            penalty: Yuan::from_exact(to_penalty),
            compound: Yuan::from_exact(to_compound),
            principal: Yuan::from_exact(to_principal),
            unapplied: Yuan::from_exact(left),
        };
        self.allocations.push(allocation);
        self.items.push(ExplainItem::Payment(allocation));
    }

    fn finish(mut self) -> LedgerOutcome {
        let divisor = self.divisor;
        let rates = self.rates();
        let in_default = self.in_default();
        LedgerOutcome {
            items: self.items,
            allocations: self.allocations,
            overdue_principal: self.overdue,
            principal_not_due: self.not_due_total,
            interest_due: self.interest_due.read(divisor),
            interest_not_due: self.interest_not_due.read(divisor),
            penalty: self.penalty.read(divisor),
            compound: self.compound.read(divisor),
            costs: self.costs,
            paid: self.paid,
            cap_total: self.spec.cap_percent.map(|_| self.cap_total.read(divisor)),
            in_default,
            contract_percent: rates.contract_percent,
            penalty_percent: rates.penalty_percent,
        }
    }
}

/// Takes as much of `owed` as `left` covers.
fn take(left: &mut Decimal, owed: &mut Decimal) -> Decimal {
    let taken = (*left).min(*owed).max(Decimal::ZERO);
    *left -= taken;
    *owed -= taken;
    taken
}
