//! Wage arithmetic: the daily and hourly wage (÷ 21.75 ÷ 8), overtime pay at 150/200/300% and
//! the 50%–100% extra compensation for amounts left unpaid.

use std::fmt;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

use super::{HOURS_PER_DAY, PAID_DAYS_PER_MONTH, render};
use crate::error::CalcError;
use crate::explain::{ExplainItem, ZhPercent, ZhYuan};
use crate::money::{Yuan, check_amount};

/// 日工资 = monthly wage ÷ 21.75, exact.
pub fn daily_wage(monthly_wage: Decimal) -> Result<Decimal, CalcError> {
    Ok(check_amount("monthly_wage", monthly_wage)? / PAID_DAYS_PER_MONTH)
}

/// 小时工资 = monthly wage ÷ 21.75 ÷ 8, exact.
pub fn hourly_wage(monthly_wage: Decimal) -> Result<Decimal, CalcError> {
    Ok(check_amount("monthly_wage", monthly_wage)? / (PAID_DAYS_PER_MONTH * HOURS_PER_DAY))
}

/// Which overtime (劳动法 art. 44).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OvertimeKind {
    /// 延长工作时间: 150%.
    ExtendedHours,
    /// 休息日工作又不能安排补休: 200%.
    RestDay,
    /// 法定休假日工作: 300%.
    StatutoryHoliday,
}

impl OvertimeKind {
    pub const fn percent(self) -> Decimal {
        match self {
            OvertimeKind::ExtendedHours => dec!(150),
            OvertimeKind::RestDay => dec!(200),
            OvertimeKind::StatutoryHoliday => dec!(300),
        }
    }

    const fn zh(self) -> &'static str {
        match self {
            OvertimeKind::ExtendedHours => "延长工作时间（《劳动法》第四十四条第一项）",
            OvertimeKind::RestDay => "休息日工作又不能安排补休（第四十四条第二项）",
            OvertimeKind::StatutoryHoliday => "法定休假日工作（第四十四条第三项）",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OvertimeEntry {
    pub kind: OvertimeKind,
    #[serde(with = "rust_decimal::serde::str")]
    pub hours: Decimal,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OvertimeCase {
    /// The wage overtime is paid on (加班费计算基数), monthly.
    #[serde(with = "rust_decimal::serde::str")]
    pub monthly_wage: Decimal,
    pub entries: Vec<OvertimeEntry>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct OvertimeLine {
    pub kind: OvertimeKind,
    #[serde(with = "rust_decimal::serde::str")]
    pub hours: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub monthly_wage: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
}

impl fmt::Display for OvertimeLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}小时：{}元÷21.75天÷8小时×{}×{}小时＝{}元",
            self.kind.zh(),
            self.hours.normalize(),
            ZhYuan(self.monthly_wage),
            ZhPercent(self.kind.percent()),
            self.hours.normalize(),
            ZhYuan(self.amount)
        )
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OvertimeResult {
    /// Hourly wage, rounded for display; lines use the exact value.
    pub hourly_wage: Yuan,
    pub total: Yuan,
    pub items: Vec<ExplainItem>,
}

impl OvertimeResult {
    pub fn render_zh(&self) -> String {
        render(
            "加班费计算",
            &self.items,
            &[],
            format_args!("合计{}元", ZhYuan(self.total.value())),
        )
    }
}

/// Overtime pay: monthly wage ÷ 21.75 ÷ 8 × multiplier × hours per entry, summed, rounded once.
pub fn overtime_pay(case: &OvertimeCase) -> Result<OvertimeResult, CalcError> {
    let hourly = hourly_wage(case.monthly_wage)?;
    let mut total = Decimal::ZERO;
    let mut items = Vec::with_capacity(case.entries.len());
    for (index, entry) in case.entries.iter().enumerate() {
        if entry.hours <= Decimal::ZERO || entry.hours > dec!(10000) {
            return Err(CalcError::entry(
                "entries",
                index,
                "hours must be positive and at most 10000",
            ));
        }
        let amount = case.monthly_wage * entry.hours * entry.kind.percent()
            / (PAID_DAYS_PER_MONTH * HOURS_PER_DAY * dec!(100));
        total += amount;
        items.push(ExplainItem::Overtime(OvertimeLine {
            kind: entry.kind,
            hours: entry.hours,
            monthly_wage: case.monthly_wage,
            amount,
        }));
    }
    Ok(OvertimeResult {
        hourly_wage: Yuan::from_exact(hourly),
        total: Yuan::from_exact(total),
        items,
    })
}

/// The 50%–100% range of extra compensation on an unpaid amount (劳动合同法 art. 85).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ExtraCompensation {
    pub unpaid: Yuan,
    pub low: Yuan,
    pub high: Yuan,
}

impl fmt::Display for ExtraCompensation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "逾期未支付劳动报酬、加班费或者经济补偿{}元，按应付金额50%以上100%以下加付赔偿金\
             （《劳动合同法》第八十五条）：{}元至{}元",
            ZhYuan(self.unpaid.value()),
            ZhYuan(self.low.value()),
            ZhYuan(self.high.value())
        )
    }
}

impl ExtraCompensation {
    pub fn render_zh(&self) -> String {
        format!("{self}。")
    }
}

/// The range of extra compensation on `unpaid` (labour authority orders, art. 85).
pub fn extra_compensation(unpaid: Decimal) -> Result<ExtraCompensation, CalcError> {
    let unpaid = check_amount("unpaid", unpaid)?;
    Ok(ExtraCompensation {
        unpaid: Yuan::from_exact(unpaid),
        low: Yuan::from_exact(unpaid / dec!(2)),
        high: Yuan::from_exact(unpaid),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daily_hourly_and_overtime() {
        // 8,700 ÷ 21.75 = 400 a day, ÷ 8 = 50 an hour.
        assert_eq!(daily_wage(dec!(8700)).unwrap(), dec!(400));
        assert_eq!(hourly_wage(dec!(8700)).unwrap(), dec!(50));
        // 10 h × 50 × 150% + 8 h × 50 × 200% + 8 h × 50 × 300% = 750 + 800 + 1,200 = 2,750.
        let result = overtime_pay(&OvertimeCase {
            monthly_wage: dec!(8700),
            entries: vec![
                OvertimeEntry {
                    kind: OvertimeKind::ExtendedHours,
                    hours: dec!(10),
                },
                OvertimeEntry {
                    kind: OvertimeKind::RestDay,
                    hours: dec!(8),
                },
                OvertimeEntry {
                    kind: OvertimeKind::StatutoryHoliday,
                    hours: dec!(8),
                },
            ],
        })
        .unwrap();
        assert_eq!(result.total, Yuan::from_exact(dec!(2750)));
        assert!(
            result
                .render_zh()
                .contains("8,700.00元÷21.75天÷8小时×150%×10小时＝750.00元")
        );
        // 5,000 ÷ 174 × 150% × 3 h = 129.3103… → 129.31 (rounded once).
        let odd = overtime_pay(&OvertimeCase {
            monthly_wage: dec!(5000),
            entries: vec![OvertimeEntry {
                kind: OvertimeKind::ExtendedHours,
                hours: dec!(3),
            }],
        })
        .unwrap();
        assert_eq!(odd.total, Yuan::from_exact(dec!(129.31)));
    }

    #[test]
    fn extra_compensation_range() {
        let range = extra_compensation(dec!(12345.67)).unwrap();
        // 50%: 6,172.835 → 6,172.84.
        assert_eq!(range.low, Yuan::from_exact(dec!(6172.84)));
        assert_eq!(range.high, Yuan::from_exact(dec!(12345.67)));
        assert!(range.render_zh().contains("6,172.84元至12,345.67元"));
    }
}
