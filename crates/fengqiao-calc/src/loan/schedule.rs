//! Repayment schedules (还款计划): bullet, interest-only, equal principal (等额本金) and equal
//! instalment (等额本息); the due date and principal of every instalment.
//!
//! Monthly due dates are counted from the start date (day clamped to the month's end, so a loan
//! starting on 31 January falls due on 28/29 February, then 31 March). When both ends of a period
//! accrue, a period ends the day before the next one starts (start 2023-07-01: first due date
//! 2023-07-31), otherwise on the monthly anniversary itself — either way consecutive periods
//! tile exactly, see [`crate::daycount`].
//!
//! Amortising schedules (equal principal, equal instalment) use the monthly rate = annual ÷ 12
//! and bill each instalment's interest in cents, as banks print them; bullet and interest-only
//! loans accrue interest by days. Every schedule's principal sums exactly to the loan: the last
//! instalment takes what is left.

use chrono::{Days, Months, NaiveDate};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

use crate::daycount::DayCounting;
use crate::error::CalcError;
use crate::money::{Yuan, round_half_up, to_fen};

/// Most instalments a schedule may have (50 years of monthly payments).
pub const MAX_INSTALMENTS: u32 = 600;

/// How the principal is repaid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleKind {
    /// 到期一次性还本付息: principal and interest at maturity.
    #[default]
    Bullet,
    /// 按月付息、到期还本: interest monthly (by days), principal at maturity.
    InterestOnly,
    /// 等额本金: equal principal each month plus interest on the balance.
    EqualPrincipal,
    /// 等额本息: equal monthly payment of principal and interest.
    EqualInstalment,
}

impl ScheduleKind {
    /// Whether interest is billed per monthly period (annual ÷ 12) rather than by days.
    pub const fn bills_monthly_interest(self) -> bool {
        matches!(
            self,
            ScheduleKind::EqualPrincipal | ScheduleKind::EqualInstalment
        )
    }

    pub const fn zh(self) -> &'static str {
        match self {
            ScheduleKind::Bullet => "到期一次性还本付息",
            ScheduleKind::InterestOnly => "按月付息、到期还本",
            ScheduleKind::EqualPrincipal => "等额本金",
            ScheduleKind::EqualInstalment => "等额本息",
        }
    }
}

/// One instalment of the contractual schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Instalment {
    /// 1-based period number (第n期).
    pub number: u32,
    /// The nominal due date; the period's interest and principal fall due at its end.
    pub due_date: NaiveDate,
    /// Principal outstanding at the start of the period per the schedule.
    pub opening_balance: Yuan,
    pub principal: Yuan,
    /// Billed interest of an amortising schedule; `None` when interest accrues by days.
    pub interest: Option<Yuan>,
}

/// Builds the contractual schedule of a loan of `principal` (whole cents) at
/// `annual_rate_percent`.
pub fn build_schedule(
    kind: ScheduleKind,
    principal: Decimal,
    annual_rate_percent: Decimal,
    start: NaiveDate,
    maturity: NaiveDate,
    counting: DayCounting,
) -> Result<Vec<Instalment>, CalcError> {
    if maturity < start {
        return Err(CalcError::invalid("maturity", "must not be before start"));
    }
    if kind == ScheduleKind::Bullet {
        return Ok(vec![Instalment {
            number: 1,
            due_date: maturity,
            opening_balance: Yuan::from_exact(principal),
            principal: Yuan::from_exact(principal),
            interest: None,
        }]);
    }
    let due_dates = monthly_due_dates(start, maturity, counting, kind.bills_monthly_interest())?;
    // The schedule is whole cents throughout, so it is kept in integer fen: exact, and many
    // times cheaper than decimal arithmetic in a batch.
    let not_cents = || CalcError::invalid("principal", "must be in whole cents");
    let principal_fen = to_fen(principal).ok_or_else(not_cents)?;
    let rate = annual_rate_percent.normalize();
    let rate_mantissa = rate.mantissa();
    // Monthly interest = balance × percent ÷ 1200, i.e. fen × mantissa ÷ (1200 × 10^scale).
    let rate_divisor = 1200 * 10i128.pow(rate.scale());
    let count = i64::try_from(due_dates.len()).unwrap_or(i64::MAX);
    let level_fen = match kind {
        ScheduleKind::EqualInstalment => to_fen(level_payment(
            principal,
            annual_rate_percent / dec!(1200),
            count,
        ))
        .ok_or_else(not_cents)?,
        _ => 0,
    };
    let equal_share_fen = principal_fen / count.max(1);
    let mut balance = principal_fen;
    let mut schedule = Vec::with_capacity(due_dates.len());
    for (index, due_date) in due_dates.iter().enumerate() {
        let is_last = index + 1 == due_dates.len();
        let billed_fen = divide_half_up(i128::from(balance) * rate_mantissa, rate_divisor)
            .ok_or_else(not_cents)?;
        let scheduled_principal = match kind {
            ScheduleKind::InterestOnly | ScheduleKind::Bullet => 0,
            ScheduleKind::EqualPrincipal => equal_share_fen,
            ScheduleKind::EqualInstalment => level_fen - billed_fen,
        };
        // The last instalment clears the balance; earlier ones never take more than is left
        // (rounding up the level payment could otherwise overshoot on tiny loans).
        let principal_part = if is_last {
            balance
        } else {
            scheduled_principal.clamp(0, balance)
        };
        schedule.push(Instalment {
            number: u32::try_from(index + 1).unwrap_or(u32::MAX),
            due_date: *due_date,
            opening_balance: Yuan::from_fen(balance),
            principal: Yuan::from_fen(principal_part),
            interest: kind
                .bills_monthly_interest()
                .then(|| Yuan::from_fen(billed_fen)),
        });
        balance -= principal_part;
    }
    Ok(schedule)
}

/// `numerator ÷ divisor` rounded half-up, for non-negative operands; `None` if it overflows.
fn divide_half_up(numerator: i128, divisor: i128) -> Option<i64> {
    let doubled = numerator.checked_mul(2)?.checked_add(divisor)?;
    i64::try_from(doubled / divisor.checked_mul(2)?).ok()
}

/// The equal monthly payment P·r·(1+r)^n / ((1+r)^n − 1), in cents; P/n when the rate is zero.
fn level_payment(principal: Decimal, monthly_rate: Decimal, count: i64) -> Decimal {
    if monthly_rate.is_zero() {
        return round_half_up(principal / Decimal::from(count.max(1)));
    }
    // (1 + r)^n by squaring: a handful of multiplications instead of n, which matters in a
    // batch because each product of 28-digit decimals is costly.
    let mut growth = Decimal::ONE;
    let mut factor = Decimal::ONE + monthly_rate;
    let mut exponent = count;
    while exponent > 0 {
        if exponent & 1 == 1 {
            growth *= factor;
        }
        exponent >>= 1;
        if exponent > 0 {
            factor *= factor;
        }
    }
    round_half_up(principal * monthly_rate * growth / (growth - Decimal::ONE))
}

/// Due dates of monthly periods from `start` to `maturity`. With `whole_months` the maturity
/// must close a whole number of monthly periods; otherwise the last period may be short.
fn monthly_due_dates(
    start: NaiveDate,
    maturity: NaiveDate,
    counting: DayCounting,
    whole_months: bool,
) -> Result<Vec<NaiveDate>, CalcError> {
    let mut due_dates = Vec::new();
    for months in 1..=MAX_INSTALMENTS {
        let anniversary =
            start
                .checked_add_months(Months::new(months))
                .ok_or(CalcError::invalid(
                    "maturity",
                    "outside the supported calendar",
                ))?;
        let period_end = if counting.count_first_day && counting.count_last_day {
            anniversary
                .checked_sub_days(Days::new(1))
                .unwrap_or(anniversary)
        } else {
            anniversary
        };
        if period_end >= maturity {
            if whole_months && period_end != maturity {
                return Err(CalcError::invalid(
                    "maturity",
                    "must close a whole number of monthly periods after start for an \
                     equal-principal or equal-instalment schedule",
                ));
            }
            due_dates.push(maturity);
            return Ok(due_dates);
        }
        due_dates.push(period_end);
    }
    Err(CalcError::invalid(
        "maturity",
        "a monthly schedule may have at most 600 instalments",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn principal_sum(schedule: &[Instalment]) -> Decimal {
        schedule.iter().map(|i| i.principal.value()).sum()
    }

    #[test]
    fn equal_instalment_of_12000_at_12_percent_over_12_months() {
        // r = 1% a month; (1.01)^12 = 1.126825030131969720661201;
        // A = 12000 × 0.01 × 1.1268250301 / 0.1268250301 = 1066.1854… → 1066.19.
        // Month 1: interest 12000 × 1% = 120.00, principal 946.19, balance 11053.81.
        // Month 2: interest 110.5381 → 110.54, principal 955.65.
        let schedule = build_schedule(
            ScheduleKind::EqualInstalment,
            dec!(12000),
            dec!(12),
            d(2024, 1, 1),
            d(2024, 12, 31),
            DayCounting::BOTH_ENDS,
        )
        .unwrap();
        assert_eq!(schedule.len(), 12);
        assert_eq!(schedule[0].due_date, d(2024, 1, 31));
        assert_eq!(schedule[0].interest, Some(Yuan::from_exact(dec!(120))));
        assert_eq!(schedule[0].principal, Yuan::from_exact(dec!(946.19)));
        assert_eq!(schedule[1].interest, Some(Yuan::from_exact(dec!(110.54))));
        assert_eq!(schedule[1].principal, Yuan::from_exact(dec!(955.65)));
        assert_eq!(schedule[11].due_date, d(2024, 12, 31));
        assert_eq!(principal_sum(&schedule), dec!(12000));
    }

    #[test]
    fn equal_principal_truncates_the_share_and_lets_the_last_take_the_rest() {
        // 10000 / 3 = 3333.333… → 3333.33, 3333.33, 3333.34. Interest at 6%/12 = 0.5%:
        // 50.00, 33.333… → 33.33, 16.666… → 16.67.
        let schedule = build_schedule(
            ScheduleKind::EqualPrincipal,
            dec!(10000),
            dec!(6),
            d(2024, 1, 15),
            d(2024, 4, 15),
            DayCounting::FIRST_NOT_LAST,
        )
        .unwrap();
        let principals: Vec<_> = schedule.iter().map(|i| i.principal.value()).collect();
        assert_eq!(
            principals,
            vec![dec!(3333.33), dec!(3333.33), dec!(3333.34)]
        );
        let interest: Vec<_> = schedule
            .iter()
            .map(|i| i.interest.unwrap().value())
            .collect();
        assert_eq!(interest, vec![dec!(50.00), dec!(33.33), dec!(16.67)]);
        assert_eq!(schedule[0].due_date, d(2024, 2, 15));
    }

    #[test]
    fn interest_only_allows_a_short_last_period_and_clamps_month_ends() {
        let schedule = build_schedule(
            ScheduleKind::InterestOnly,
            dec!(5000),
            dec!(6),
            d(2024, 1, 31),
            d(2024, 4, 10),
            DayCounting::FIRST_NOT_LAST,
        )
        .unwrap();
        let due: Vec<_> = schedule.iter().map(|i| i.due_date).collect();
        assert_eq!(due, vec![d(2024, 2, 29), d(2024, 3, 31), d(2024, 4, 10)]);
        assert_eq!(schedule[2].principal, Yuan::from_exact(dec!(5000)));
        assert_eq!(schedule[0].interest, None);
    }

    #[test]
    fn amortising_schedules_need_whole_months() {
        let error = build_schedule(
            ScheduleKind::EqualInstalment,
            dec!(5000),
            dec!(6),
            d(2024, 1, 1),
            d(2024, 4, 10),
            DayCounting::BOTH_ENDS,
        )
        .unwrap_err();
        assert!(matches!(
            error,
            CalcError::Invalid {
                field: "maturity",
                ..
            }
        ));
    }

    proptest! {
        #[test]
        fn principal_always_sums_to_the_loan(
            cents in 1i64..100_000_000_000,
            rate_bp in 0i64..3_600,
            months in 1u32..120,
            kind_index in 0usize..4,
        ) {
            let kinds = [
                ScheduleKind::Bullet,
                ScheduleKind::InterestOnly,
                ScheduleKind::EqualPrincipal,
                ScheduleKind::EqualInstalment,
            ];
            let principal = Decimal::new(cents, 2);
            let start = d(2021, 3, 31);
            let maturity = start.checked_add_months(Months::new(months)).unwrap();
            let schedule = build_schedule(
                kinds[kind_index],
                principal,
                Decimal::new(rate_bp, 2),
                start,
                maturity,
                DayCounting::FIRST_NOT_LAST,
            )
            .unwrap();
            prop_assert_eq!(principal_sum(&schedule), principal);
            prop_assert!(schedule.iter().all(|i| !i.principal.value().is_sign_negative()));
        }
    }
}
