//! Itemised explanations (计算过程): structured lines every calculator returns, rendered to
//! Chinese text only when asked, so a batch computes without formatting a single string.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::daycount::DayBasis;
use crate::fee::{FeeBand, FeeCapped, FeeFixed, FeeHalved, FeeOneThird};
use crate::labour::{ExtraCompensation, OvertimeLine, ServiceLength, SeveranceLine, WageBase};
use crate::late::LatePayment;
use crate::lending::RateDecision;
use crate::loan::{Allocation, CapOutcome};
use crate::money::round_half_up;

/// One line of a calculation, in the order it happened. `Display` renders the Chinese sentence
/// that can be pasted into a judgment.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "item", rename_all = "snake_case")]
pub enum ExplainItem {
    Accrual(Accrual),
    Payment(Allocation),
    /// A repayment of a private loan (same shape, different names for the interest kinds).
    LendingPayment(Allocation),
    LatePayment(LatePayment),
    LoanCap(CapOutcome),
    RateDecision(RateDecision),
    FeeBand(FeeBand),
    FeeFixed(FeeFixed),
    FeeHalved(FeeHalved),
    FeeCapped(FeeCapped),
    FeeOneThird(FeeOneThird),
    ServiceLength(ServiceLength),
    WageBase(WageBase),
    Severance(SeveranceLine),
    Overtime(OvertimeLine),
    ExtraCompensation(ExtraCompensation),
}

impl fmt::Display for ExplainItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExplainItem::Accrual(line) => line.fmt(f),
            ExplainItem::Payment(line) => line.fmt(f),
            ExplainItem::LendingPayment(line) => line.write_labelled(
                f,
                AccrualKind::LendingInterest,
                AccrualKind::LendingOverdueInterest,
            ),
            ExplainItem::LatePayment(line) => line.fmt(f),
            ExplainItem::LoanCap(line) => line.fmt(f),
            ExplainItem::RateDecision(line) => line.fmt(f),
            ExplainItem::FeeBand(line) => line.fmt(f),
            ExplainItem::FeeFixed(line) => line.fmt(f),
            ExplainItem::FeeHalved(line) => line.fmt(f),
            ExplainItem::FeeCapped(line) => line.fmt(f),
            ExplainItem::FeeOneThird(line) => line.fmt(f),
            ExplainItem::ServiceLength(line) => line.fmt(f),
            ExplainItem::WageBase(line) => line.fmt(f),
            ExplainItem::Severance(line) => line.fmt(f),
            ExplainItem::Overtime(line) => line.fmt(f),
            ExplainItem::ExtraCompensation(line) => line.fmt(f),
        }
    }
}

/// What an accrual line charges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccrualKind {
    /// 利息: contract interest on principal not yet due.
    ContractInterest,
    /// 罚息: penalty interest on overdue principal.
    PenaltyInterest,
    /// 复利: compound interest on interest that fell due unpaid.
    CompoundInterest,
    /// 借期内利息 of a private loan.
    LendingInterest,
    /// 逾期利息 of a private loan.
    LendingOverdueInterest,
    /// 加倍部分债务利息 for late performance of a judgment.
    LateInterest,
}

impl AccrualKind {
    /// What the base is called, and what the amount is called.
    pub const fn labels_zh(self) -> (&'static str, &'static str) {
        match self {
            AccrualKind::ContractInterest => ("本金", "利息"),
            AccrualKind::PenaltyInterest => ("逾期本金", "罚息"),
            AccrualKind::CompoundInterest => ("欠付利息", "复利"),
            AccrualKind::LendingInterest => ("借款本金", "借期内利息"),
            AccrualKind::LendingOverdueInterest => ("逾期本金", "逾期利息"),
            AccrualKind::LateInterest => ("未履行金钱债务", "加倍部分债务利息"),
        }
    }
}

/// How the rate of an accrual line was applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "rate", rename_all = "snake_case")]
pub enum RateApplied {
    /// Annual rate by days: base × percent ÷ 100 × days ÷ basis.
    Annual {
        #[serde(with = "rust_decimal::serde::str")]
        percent: Decimal,
        basis: DayBasis,
    },
    /// One whole monthly period at annual ÷ 12.
    MonthlyPeriod {
        #[serde(with = "rust_decimal::serde::str")]
        annual_percent: Decimal,
    },
    /// Part of a monthly period: annual ÷ 12 × days ÷ days in the period.
    MonthlyShare {
        #[serde(with = "rust_decimal::serde::str")]
        annual_percent: Decimal,
        period_days: u32,
    },
    /// A daily rate in percent (0.0175 for late performance).
    Daily {
        #[serde(with = "rust_decimal::serde::str")]
        percent: Decimal,
    },
}

/// Interest-like money accrued on one base at one rate over one run of days.
///
/// The amount is kept as the exact fraction `numerator ÷ denominator` (for accruals by days,
/// base × percent × days over 100 × basis) and divided only when read, so computing a batch
/// never pays for a division whose result nobody looks at. It serialises with `amount`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Accrual {
    pub kind: AccrualKind,
    /// The schedule period (第n期) when there is more than one.
    pub period: Option<u32>,
    /// First accrual day.
    pub from: NaiveDate,
    /// Last accrual day (inclusive).
    pub to: NaiveDate,
    pub days: u32,
    pub base: Decimal,
    pub rate: RateApplied,
    pub(crate) numerator: Decimal,
    pub(crate) denominator: Decimal,
}

impl Accrual {
    /// The exact amount; totals are rounded once per case, lines are shown to the cent.
    pub fn amount(&self) -> Decimal {
        if self.denominator == Decimal::ONE || self.denominator.is_zero() {
            self.numerator
        } else {
            self.numerator / self.denominator
        }
    }
}

impl Serialize for Accrual {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct View {
            kind: AccrualKind,
            period: Option<u32>,
            from: NaiveDate,
            to: NaiveDate,
            days: u32,
            #[serde(with = "rust_decimal::serde::str")]
            base: Decimal,
            rate: RateApplied,
            #[serde(with = "rust_decimal::serde::str")]
            amount: Decimal,
        }
        View {
            kind: self.kind,
            period: self.period,
            from: self.from,
            to: self.to,
            days: self.days,
            base: self.base,
            rate: self.rate,
            amount: self.amount(),
        }
        .serialize(serializer)
    }
}

impl fmt::Display for Accrual {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (base_label, amount_label) = self.kind.labels_zh();
        let (from, to, base, amount) = (
            ZhDate(self.from),
            ZhDate(self.to),
            ZhYuan(self.base),
            ZhYuan(self.amount()),
        );
        match self.rate {
            RateApplied::Annual { percent, .. } => {
                if let Some(period) = self.period {
                    write!(f, "第{period}期：")?;
                }
                write!(
                    f,
                    "自{from}起至{to}止，以{base_label}{base}元为基数，按年利率{}计算，\
                     共{}天，{amount_label}{amount}元",
                    ZhPercent(percent),
                    self.days
                )
            }
            RateApplied::MonthlyPeriod { annual_percent } => write!(
                f,
                "第{}期（自{from}起至{to}止），以剩余本金{base}元为基数，按月利率\
                 （年利率{}÷12）计算1期，{amount_label}{amount}元",
                self.period.unwrap_or(0),
                ZhPercent(annual_percent)
            ),
            RateApplied::MonthlyShare {
                annual_percent,
                period_days,
            } => write!(
                f,
                "第{}期中自{from}起至{to}止，以剩余本金{base}元为基数，按月利率（年利率{}÷12）\
                 计算，按本期{period_days}天中的{}天折算，{amount_label}{amount}元",
                self.period.unwrap_or(0),
                ZhPercent(annual_percent),
                self.days
            ),
            RateApplied::Daily { percent } => write!(
                f,
                "自{from}起至{to}止，以{base_label}{base}元为基数，按日利率{}计算，共{}天，\
                 {amount_label}{amount}元",
                ZhPercent(percent),
                self.days
            ),
        }
    }
}

/// Renders items as numbered lines, one per line.
pub(crate) fn write_numbered<'a>(
    f: &mut String,
    items: impl Iterator<Item = &'a ExplainItem>,
) -> fmt::Result {
    use fmt::Write;
    for (index, item) in items.enumerate() {
        writeln!(f, "  {}. {item}。", index + 1)?;
    }
    Ok(())
}

/// Money as 1,234,567.89 (rounded half-up to the cent).
#[derive(Clone, Copy, Debug)]
pub struct ZhYuan(pub Decimal);

impl fmt::Display for ZhYuan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = round_half_up(self.0).to_string();
        let (sign, unsigned) = match text.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", text.as_str()),
        };
        let (whole, cents) = unsigned.split_once('.').unwrap_or((unsigned, "00"));
        f.write_str(sign)?;
        for (index, digit) in whole.chars().enumerate() {
            if index > 0 && (whole.len() - index) % 3 == 0 {
                f.write_str(",")?;
            }
            write!(f, "{digit}")?;
        }
        write!(f, ".{cents}")
    }
}

/// A date as 2024年7月1日.
#[derive(Clone, Copy, Debug)]
pub struct ZhDate(pub NaiveDate);

impl fmt::Display for ZhDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}年{}月{}日",
            self.0.year(),
            self.0.month(),
            self.0.day()
        )
    }
}

/// A percentage without trailing zeros: 6%, 4.35%, 0.0175%.
#[derive(Clone, Copy, Debug)]
pub struct ZhPercent(pub Decimal);

impl fmt::Display for ZhPercent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.0.normalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn penalty_line_reads_like_a_judgment() {
        let line = Accrual {
            kind: AccrualKind::PenaltyInterest,
            period: None,
            from: d(2024, 7, 1),
            to: d(2024, 12, 31),
            days: 184,
            base: dec!(100000),
            rate: RateApplied::Annual {
                percent: dec!(9.00),
                basis: DayBasis::Days360,
            },
            numerator: dec!(100000) * dec!(9) * dec!(184),
            denominator: dec!(36000),
        };
        assert_eq!(line.amount(), dec!(4600));
        assert_eq!(
            line.to_string(),
            "自2024年7月1日起至2024年12月31日止，以逾期本金100,000.00元为基数，\
             按年利率9%计算，共184天，罚息4,600.00元"
        );
    }

    #[test]
    fn money_groups_thousands_and_rounds_half_up() {
        assert_eq!(ZhYuan(dec!(1234567.885)).to_string(), "1,234,567.89");
        assert_eq!(ZhYuan(dec!(100)).to_string(), "100.00");
        assert_eq!(ZhYuan(dec!(0.5)).to_string(), "0.50");
        assert_eq!(ZhYuan(dec!(-1000)).to_string(), "-1,000.00");
        assert_eq!(ZhPercent(dec!(0.017500)).to_string(), "0.0175%");
    }
}
