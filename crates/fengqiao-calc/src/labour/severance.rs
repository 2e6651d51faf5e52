//! Severance (经济补偿 N) and damages for unlawful termination (赔偿金 2N): length of service,
//! the monthly base with its caps and floor, and the amount.

use std::fmt;

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

use super::{LABOUR_CONTRACT_LAW_IN_FORCE, render};
use crate::daycount::{days_between, next_day};
use crate::error::CalcError;
use crate::explain::{ExplainItem, ZhDate, ZhYuan};
use crate::money::{Yuan, check_amount, check_amount_or_zero};

/// Severance or damages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeveranceKind {
    /// 经济补偿 N (art. 47).
    #[default]
    Compensation,
    /// 违法解除或终止的赔偿金 2N (art. 87).
    UnlawfulTermination,
}

/// The facts a severance claim needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeveranceCase {
    #[serde(default)]
    pub kind: SeveranceKind,
    pub hired_on: NaiveDate,
    /// The last day of employment (劳动合同解除或者终止之日).
    pub last_day: NaiveDate,
    /// Average monthly wage over the last twelve months (art. 47 ¶3).
    #[serde(with = "rust_decimal::serde::str")]
    pub average_monthly_wage: Decimal,
    /// The city's average monthly wage of the previous year (上年度职工月平均工资).
    #[serde(with = "rust_decimal::serde::str")]
    pub local_average_monthly_wage: Decimal,
    /// The local minimum monthly wage, a floor for the base (实施条例 art. 27).
    #[serde(default, with = "rust_decimal::serde::str_option")]
    pub local_minimum_wage: Option<Decimal>,
}

/// Length of service and the months of wage it is worth.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ServiceLength {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub years: u32,
    pub months: u32,
    pub days: u32,
    /// Months of wage before any cap: whole years, plus 1 for a remainder of six months or more,
    /// plus 0.5 for a shorter one.
    #[serde(with = "rust_decimal::serde::str")]
    pub months_of_wage: Decimal,
}

impl fmt::Display for ServiceLength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "工作年限自{}起至{}止，计{}年{}个月{}天，按每满一年支付一个月工资、六个月以上不满一年按一年、\
             不满六个月支付半个月工资计算（《劳动合同法》第四十七条），折合{}个月",
            ZhDate(self.from),
            ZhDate(self.to),
            self.years,
            self.months,
            self.days,
            self.months_of_wage.normalize()
        )
    }
}

/// How the monthly base was fixed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct WageBase {
    #[serde(with = "rust_decimal::serde::str")]
    pub wage: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub three_times_local_average: Decimal,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub minimum_wage: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str")]
    pub base: Decimal,
    /// The wage exceeded three times the local average: base and years capped.
    pub capped: bool,
}

impl fmt::Display for WageBase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "劳动者前十二个月平均工资{}元", ZhYuan(self.wage))?;
        if self.capped {
            write!(
                f,
                "，高于本地区上年度职工月平均工资三倍{}元，按{}元计算，支付年限最高不超过十二年",
                ZhYuan(self.three_times_local_average),
                ZhYuan(self.base)
            )
        } else if let Some(minimum) = self.minimum_wage.filter(|minimum| self.wage < *minimum) {
            write!(
                f,
                "，低于当地最低工资标准{}元，按最低工资标准计算（《劳动合同法实施条例》第二十七条）",
                ZhYuan(minimum)
            )
        } else {
            write!(
                f,
                "，未高于本地区上年度职工月平均工资三倍{}元，按{}元计算",
                ZhYuan(self.three_times_local_average),
                ZhYuan(self.base)
            )
        }
    }
}

/// The severance figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SeveranceLine {
    #[serde(with = "rust_decimal::serde::str")]
    pub months: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub base: Decimal,
    pub doubled: bool,
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
}

impl fmt::Display for SeveranceLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.doubled {
            write!(
                f,
                "违法解除或终止劳动合同，按经济补偿标准的二倍支付赔偿金（《劳动合同法》第八十七条）：\
                 {}个月×{}元×2＝{}元",
                self.months.normalize(),
                ZhYuan(self.base),
                ZhYuan(self.amount)
            )
        } else {
            write!(
                f,
                "经济补偿：{}个月×{}元＝{}元",
                self.months.normalize(),
                ZhYuan(self.base),
                ZhYuan(self.amount)
            )
        }
    }
}

/// Something the figures do not cover.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LabourWarning {
    /// Service before 2008-01-01 is compensated under the rules then in force (劳动合同法
    /// art. 97 ¶3); only service from 2008-01-01 is counted here.
    ServiceBefore2008Excluded { hired_on: NaiveDate },
}

impl fmt::Display for LabourWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LabourWarning::ServiceBefore2008Excluded { hired_on } => write!(
                f,
                "劳动者自{}入职，2008年1月1日前的工作年限应否支付经济补偿及其数额按当时有关规定\
                 另行计算（《劳动合同法》第九十七条第三款），本计算仅含2008年1月1日以后的年限",
                ZhDate(*hired_on)
            ),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeveranceResult {
    pub kind: SeveranceKind,
    pub service: ServiceLength,
    /// Months of wage after the twelve-year cap.
    #[serde(with = "rust_decimal::serde::str")]
    pub months: Decimal,
    pub monthly_base: Yuan,
    pub amount: Yuan,
    pub items: Vec<ExplainItem>,
    pub warnings: Vec<LabourWarning>,
}

impl SeveranceResult {
    pub fn render_zh(&self) -> String {
        render(
            match self.kind {
                SeveranceKind::Compensation => "经济补偿计算",
                SeveranceKind::UnlawfulTermination => "违法解除劳动合同赔偿金计算",
            },
            &self.items,
            &self.warnings,
            format_args!("合计{}元", ZhYuan(self.amount.value())),
        )
    }
}

/// Severance N, or damages 2N.
pub fn severance(case: &SeveranceCase) -> Result<SeveranceResult, CalcError> {
    let wage = check_amount_or_zero("average_monthly_wage", case.average_monthly_wage)?;
    let local_average = check_amount(
        "local_average_monthly_wage",
        case.local_average_monthly_wage,
    )?;
    let minimum = case
        .local_minimum_wage
        .map(|value| check_amount("local_minimum_wage", value))
        .transpose()?;
    if case.last_day < case.hired_on {
        return Err(CalcError::invalid(
            "last_day",
            "must not be before hired_on",
        ));
    }
    let mut warnings = Vec::new();
    // 2N counts from the start of employment (实施条例 art. 25); N only from 2008 (art. 97).
    let from = if case.kind == SeveranceKind::Compensation
        && case.hired_on < LABOUR_CONTRACT_LAW_IN_FORCE
    {
        warnings.push(LabourWarning::ServiceBefore2008Excluded {
            hired_on: case.hired_on,
        });
        LABOUR_CONTRACT_LAW_IN_FORCE.min(next_day(case.last_day)?)
    } else {
        case.hired_on
    };
    let service = service_length(from, case.last_day)?;
    let three_times = local_average * dec!(3);
    let capped = wage > three_times;
    let base = if capped {
        three_times
    } else {
        minimum.map_or(wage, |minimum| wage.max(minimum))
    };
    let months = if capped {
        service.months_of_wage.min(dec!(12))
    } else {
        service.months_of_wage
    };
    let doubled = case.kind == SeveranceKind::UnlawfulTermination;
    let amount = months * base * if doubled { dec!(2) } else { Decimal::ONE };
    let items = vec![
        ExplainItem::ServiceLength(service),
        ExplainItem::WageBase(WageBase {
            wage,
            three_times_local_average: three_times,
            minimum_wage: minimum,
            base,
            capped,
        }),
        ExplainItem::Severance(SeveranceLine {
            months,
            base,
            doubled,
            amount,
        }),
    ];
    Ok(SeveranceResult {
        kind: case.kind,
        service,
        months,
        monthly_base: Yuan::from_exact(base),
        amount: Yuan::from_exact(amount),
        items,
        warnings,
    })
}

/// Whole years, months and days of service from `from` through `last_day` inclusive, and the
/// months of wage they are worth under art. 47.
pub fn service_length(from: NaiveDate, last_day: NaiveDate) -> Result<ServiceLength, CalcError> {
    let end = next_day(last_day)?;
    let mut whole_months = 0u32;
    let mut anniversary = from;
    // At most a few hundred iterations: service is bounded by a working life.
    while let Some(next) = from.checked_add_months(Months::new(whole_months + 1)) {
        if next > end {
            break;
        }
        whole_months += 1;
        anniversary = next;
    }
    let years = whole_months / 12;
    let months = whole_months % 12;
    let days = days_between(anniversary, end);
    let remainder = if months >= 6 {
        Decimal::ONE
    } else if months > 0 || days > 0 {
        dec!(0.5)
    } else {
        Decimal::ZERO
    };
    Ok(ServiceLength {
        from,
        to: last_day,
        years,
        months,
        days,
        months_of_wage: Decimal::from(years) + remainder,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn case(hired_on: NaiveDate, last_day: NaiveDate, wage: Decimal) -> SeveranceCase {
        SeveranceCase {
            kind: SeveranceKind::Compensation,
            hired_on,
            last_day,
            average_monthly_wage: wage,
            local_average_monthly_wage: dec!(10000),
            local_minimum_wage: Some(dec!(2490)),
        }
    }

    #[test]
    fn service_remainders_round_to_half_or_whole_months() {
        // 2015-03-01..=2023-08-31: 8 years 6 months exactly → 9 months.
        let long = service_length(d(2015, 3, 1), d(2023, 8, 31)).unwrap();
        assert_eq!((long.years, long.months, long.days), (8, 6, 0));
        assert_eq!(long.months_of_wage, dec!(9));
        // 2020-01-10..=2023-03-05: 3 years 1 month 24 days → 3.5 months.
        let short = service_length(d(2020, 1, 10), d(2023, 3, 5)).unwrap();
        assert_eq!((short.years, short.months, short.days), (3, 1, 24));
        assert_eq!(short.months_of_wage, dec!(3.5));
        // Exactly two years → 2.
        assert_eq!(
            service_length(d(2021, 5, 1), d(2023, 4, 30))
                .unwrap()
                .months_of_wage,
            dec!(2)
        );
    }

    #[test]
    fn ordinary_severance_is_months_times_wage() {
        // 3.5 months × 8,000 = 28,000.
        let result = severance(&case(d(2020, 1, 10), d(2023, 3, 5), dec!(8000))).unwrap();
        assert_eq!(result.amount, Yuan::from_exact(dec!(28000)));
        assert!(
            result
                .render_zh()
                .contains("经济补偿：3.5个月×8,000.00元＝28,000.00元")
        );
    }

    #[test]
    fn high_earners_are_capped_at_three_times_and_twelve_years() {
        // 2009-01-01..=2023-12-31: 15 years; wage 40,000 > 3 × 10,000 → 12 × 30,000 = 360,000.
        let result = severance(&case(d(2009, 1, 1), d(2023, 12, 31), dec!(40000))).unwrap();
        assert_eq!(result.months, dec!(12));
        assert_eq!(result.amount, Yuan::from_exact(dec!(360000)));
        // Below the threshold the years are not capped: 15 × 25,000 = 375,000.
        let uncapped = severance(&case(d(2009, 1, 1), d(2023, 12, 31), dec!(25000))).unwrap();
        assert_eq!(uncapped.amount, Yuan::from_exact(dec!(375000)));
    }

    #[test]
    fn unlawful_termination_doubles_and_counts_from_hiring() {
        // Hired 2005-07-01, dismissed unlawfully, last day 2023-06-30: 18 years, wage 9,000:
        // 2 × 18 × 9,000 = 324,000. For N the pre-2008 years are left out with a warning:
        // 2008-01-01..=2023-06-30 = 15 years 6 months → 16 × 9,000 = 144,000.
        let mut facts = case(d(2005, 7, 1), d(2023, 6, 30), dec!(9000));
        facts.kind = SeveranceKind::UnlawfulTermination;
        let damages = severance(&facts).unwrap();
        assert_eq!(damages.amount, Yuan::from_exact(dec!(324000)));
        assert!(damages.warnings.is_empty());
        facts.kind = SeveranceKind::Compensation;
        let compensation = severance(&facts).unwrap();
        assert_eq!(compensation.amount, Yuan::from_exact(dec!(144000)));
        assert_eq!(compensation.warnings.len(), 1);
        assert!(compensation.render_zh().contains("第九十七条第三款"));
    }

    #[test]
    fn minimum_wage_is_a_floor() {
        // 1 year at 2,000 below the 2,490 minimum → 2,490.
        let result = severance(&case(d(2022, 1, 1), d(2022, 12, 31), dec!(2000))).unwrap();
        assert_eq!(result.amount, Yuan::from_exact(dec!(2490)));
    }
}
