//! Interest for late performance of a judgment (迟延履行期间的加倍部分债务利息): 0.0175% a day
//! on the unpaid money debt the judgment fixed, excluding ordinary interest (民事诉讼法
//! art. 264; 法释〔2014〕8号 arts. 1, 2, 4).
//!
//! The interest runs from the first day after the performance period (the caller states that
//! day) to the day of performance, both days counted; a part payment stops the interest on the
//! part paid on the day it is paid (art. 2). Payments go to the judgment debt first and only then
//! to this interest (art. 4).

use std::fmt::{self, Write};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

use crate::daycount::{days_between, next_day, previous_day};
use crate::error::CalcError;
use crate::explain::{Accrual, AccrualKind, ExplainItem, RateApplied, ZhDate, ZhYuan};
use crate::money::{Repayment, Yuan, check_amount, check_entry_amount, round_half_up};

/// The daily rate, percent: 万分之一点七五.
pub const LATE_DAILY_PERCENT: Decimal = dec!(0.0175);

/// A judgment debt performed late.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LateCase {
    /// The money debt fixed by the judgment, without ordinary debt interest.
    #[serde(with = "rust_decimal::serde::str")]
    pub debt: Decimal,
    /// The first day of delay (the day after the performance period ends).
    pub first_day: NaiveDate,
    /// The last day counted: the day of full performance, or the day computed to.
    pub until: NaiveDate,
    #[serde(default)]
    pub payments: Vec<Repayment>,
}

/// How one payment during the delay was applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LatePayment {
    pub date: NaiveDate,
    pub amount: Yuan,
    pub to_debt: Yuan,
    pub to_interest: Yuan,
    pub unapplied: Yuan,
}

impl fmt::Display for LatePayment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}履行{}元，先抵偿金钱债务{}元，再抵偿加倍部分债务利息{}元（法释〔2014〕8号第四条）",
            ZhDate(self.date),
            ZhYuan(self.amount.value()),
            ZhYuan(self.to_debt.value()),
            ZhYuan(self.to_interest.value())
        )?;
        if !self.unapplied.is_zero() {
            write!(f, "，超出{}元", ZhYuan(self.unapplied.value()))?;
        }
        Ok(())
    }
}

/// The late-performance interest of one case.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LateResult {
    pub until: NaiveDate,
    /// Judgment debt still unpaid after `until`.
    pub debt_outstanding: Yuan,
    /// Doubled-part interest accrued in total.
    pub accrued: Yuan,
    pub paid: Yuan,
    /// Doubled-part interest still owed.
    pub owed: Yuan,
    pub items: Vec<ExplainItem>,
}

impl LateResult {
    pub fn render_zh(&self) -> String {
        let mut out = String::with_capacity(128 + 96 * self.items.len());
        // Writing into a String cannot fail.
        let _ = self.write_zh(&mut out);
        out
    }

    fn write_zh(&self, out: &mut String) -> fmt::Result {
        writeln!(
            out,
            "迟延履行期间的加倍部分债务利息计算（日万分之一点七五，首尾两日均计入）："
        )?;
        crate::explain::write_numbered(out, self.items.iter())?;
        writeln!(
            out,
            "截至{}，加倍部分债务利息共计{}元，已付{}元，尚欠{}元；尚欠金钱债务{}元。",
            ZhDate(self.until),
            ZhYuan(self.accrued.value()),
            ZhYuan(self.paid.value()),
            ZhYuan(self.owed.value()),
            ZhYuan(self.debt_outstanding.value())
        )?;
        if !self.debt_outstanding.is_zero() {
            writeln!(
                out,
                "此后：自{}起，以未履行金钱债务{}元为基数，按日万分之一点七五计算至实际履行之日止。",
                ZhDate(next_day(self.until).unwrap_or(self.until)),
                ZhYuan(self.debt_outstanding.value())
            )?;
        }
        Ok(())
    }
}

/// Computes the doubled-part interest of a late judgment debt.
pub fn late_interest(case: &LateCase) -> Result<LateResult, CalcError> {
    let mut debt = check_amount("debt", case.debt)?;
    if case.until < case.first_day {
        return Err(CalcError::invalid("until", "must not be before first_day"));
    }
    let mut payments = case.payments.clone();
    for (index, payment) in payments.iter().enumerate() {
        check_entry_amount("payments", index, payment.amount)?;
        if payment.date < case.first_day || payment.date > case.until {
            return Err(CalcError::entry(
                "payments",
                index,
                "date must lie between first_day and until",
            ));
        }
    }
    payments.sort_by_key(|payment| payment.date);

    let mut items = Vec::with_capacity(2 * payments.len() + 1);
    let mut owed = Decimal::ZERO;
    let mut paid = Decimal::ZERO;
    let mut from = case.first_day;
    let accrue = |from: NaiveDate, through: NaiveDate, debt: Decimal, items: &mut Vec<_>| {
        let to = next_day(through)?;
        let days = days_between(from, to);
        if days == 0 || debt.is_zero() {
            return Ok(Decimal::ZERO);
        }
        let numerator = debt * LATE_DAILY_PERCENT * Decimal::from(days);
        let amount = numerator / dec!(100);
        items.push(ExplainItem::Accrual(Accrual {
            kind: AccrualKind::LateInterest,
            period: None,
            from,
            to: previous_day(to),
            days,
            base: debt,
            rate: RateApplied::Daily {
                percent: LATE_DAILY_PERCENT,
            },
            numerator,
            denominator: dec!(100),
        }));
        Ok::<_, CalcError>(amount)
    };
    for payment in &payments {
        let amount = accrue(from, payment.date, debt, &mut items)?;
        owed = round_half_up(owed + amount);
        let to_debt = payment.amount.min(debt);
        debt -= to_debt;
        let to_interest = (payment.amount - to_debt).min(owed);
        owed -= to_interest;
        paid += to_interest;
        items.push(ExplainItem::LatePayment(LatePayment {
            date: payment.date,
            amount: Yuan::from_exact(payment.amount),
            to_debt: Yuan::from_exact(to_debt),
            to_interest: Yuan::from_exact(to_interest),
            unapplied: Yuan::from_exact(payment.amount - to_debt - to_interest),
        }));
        from = next_day(payment.date)?;
    }
    if from <= case.until {
        owed += accrue(from, case.until, debt, &mut items)?;
    }
    let owed = Yuan::from_exact(owed);
    let paid = Yuan::from_exact(paid);
    Ok(LateResult {
        until: case.until,
        debt_outstanding: Yuan::from_exact(debt),
        accrued: paid + owed,
        paid,
        owed,
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn one_hundred_days_on_100000_is_1750() {
        // 100,000 × 0.0175% × 100 days (2024-01-01..=2024-04-09) = 1,750.00.
        let result = late_interest(&LateCase {
            debt: dec!(100000),
            first_day: d(2024, 1, 1),
            until: d(2024, 4, 9),
            payments: vec![],
        })
        .unwrap();
        assert_eq!(result.owed, Yuan::from_exact(dec!(1750)));
        let text = result.render_zh();
        assert!(text.contains(
            "自2024年1月1日起至2024年4月9日止，以未履行金钱债务100,000.00元为基数，\
             按日利率0.0175%计算，共100天，加倍部分债务利息1,750.00元"
        ));
        assert!(text.contains("自2024年4月10日起，以未履行金钱债务100,000.00元为基数"));
    }

    #[test]
    fn part_payments_go_to_the_debt_first() {
        // 2024-01-01..=2024-01-31 (31 days) on 100,000: 542.50. Payment 40,000 on 01-31 → debt.
        // 2024-02-01..=2024-02-29 (29 days) on 60,000: 304.50. Payment 60,500 on 02-29: 60,000
        // to the debt, 500 to the interest (847.00 owed → 347.00). Nothing accrues after.
        let result = late_interest(&LateCase {
            debt: dec!(100000),
            first_day: d(2024, 1, 1),
            until: d(2024, 3, 31),
            payments: vec![
                Repayment {
                    date: d(2024, 2, 29),
                    amount: dec!(60500),
                },
                Repayment {
                    date: d(2024, 1, 31),
                    amount: dec!(40000),
                },
            ],
        })
        .unwrap();
        assert_eq!(result.accrued, Yuan::from_exact(dec!(847)));
        assert_eq!(result.paid, Yuan::from_exact(dec!(500)));
        assert_eq!(result.owed, Yuan::from_exact(dec!(347)));
        assert_eq!(result.debt_outstanding, Yuan::ZERO);
        assert!(!result.render_zh().contains("此后"));
    }

    #[test]
    fn dates_are_checked() {
        let error = late_interest(&LateCase {
            debt: dec!(1000),
            first_day: d(2024, 2, 1),
            until: d(2024, 1, 1),
            payments: vec![],
        })
        .unwrap_err();
        assert_eq!(error.to_string(), "until: must not be before first_day");
    }
}
