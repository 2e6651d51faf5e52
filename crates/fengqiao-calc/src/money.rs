//! Money: the whole-cent `Yuan` amount, half-up rounding to 0.01 and the checks every money
//! or rate input goes through.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, Sub};

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

use crate::error::CalcError;

/// Largest money input accepted (10 trillion yuan). The bound keeps every intermediate product
/// of the calculators (amount × rate × days) far inside `Decimal`'s 96-bit mantissa.
pub const MAX_AMOUNT: Decimal = dec!(10_000_000_000_000);

/// Largest annual rate accepted, in percent.
pub const MAX_RATE_PERCENT: Decimal = dec!(100);

/// Rounds to 0.01 yuan, halves away from zero (四舍五入), and always keeps two decimals so
/// `6100` renders and serialises as `6100.00`.
///
/// Works on the integer mantissa: a batch rounds millions of amounts and the generic decimal
/// rounding is several times slower. The result equals
/// `round_dp_with_strategy(2, MidpointAwayFromZero)` rescaled to two decimals (tested).
pub fn round_half_up(value: Decimal) -> Decimal {
    let scale = value.scale();
    if scale == 2 {
        return value;
    }
    let mantissa = value.mantissa();
    let cents = if scale < 2 {
        mantissa * 10i128.pow(2 - scale)
    } else if let (Ok(small), true) = (i64::try_from(mantissa), scale <= 20) {
        // 64-bit division is far cheaper than 128-bit and covers nearly every amount.
        let factor = 10i64.pow(scale - 2);
        let quotient = small / factor;
        let remainder = small % factor;
        i128::from(
            if remainder.unsigned_abs() >= factor.unsigned_abs().div_ceil(2) {
                quotient + small.signum()
            } else {
                quotient
            },
        )
    } else {
        let factor = 10i128.pow(scale - 2);
        let quotient = mantissa / factor;
        let remainder = mantissa % factor;
        if remainder.abs() * 2 >= factor {
            quotient + mantissa.signum()
        } else {
            quotient
        }
    };
    Decimal::try_from_i128_with_scale(cents, 2).unwrap_or_else(|_| {
        let mut rounded = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        rounded.rescale(2);
        rounded
    })
}

/// A whole-cent amount in fen, `None` if it has fractions of a cent or does not fit.
pub(crate) fn to_fen(value: Decimal) -> Option<i64> {
    let value = value.normalize();
    let scale = value.scale();
    if scale > 2 {
        return None;
    }
    i64::try_from(value.mantissa().checked_mul(10i128.pow(2 - scale))?).ok()
}

/// `base × percent × days`, exactly: one integer product of the mantissas instead of two
/// general decimal multiplications (the numerator of every accrual line).
pub(crate) fn accrual_numerator(base: Decimal, percent: Decimal, days: u32) -> Decimal {
    let scale = base.scale() + percent.scale();
    base.mantissa()
        .checked_mul(percent.mantissa())
        .and_then(|product| product.checked_mul(i128::from(days)))
        .and_then(|product| Decimal::try_from_i128_with_scale(product, scale).ok())
        .unwrap_or_else(|| base * percent * Decimal::from(days))
}

/// Whether an amount is above zero, without the cost of a general decimal comparison.
pub(crate) fn is_positive(value: Decimal) -> bool {
    !value.is_zero() && value.is_sign_positive()
}

/// An amount of money in whole cents (元, two decimals). Results carry `Yuan`; inputs are plain
/// `Decimal`s that the calculators check and round only where the rules say.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Yuan(#[serde(with = "rust_decimal::serde::str")] Decimal);

impl Yuan {
    pub const ZERO: Yuan = Yuan(dec!(0.00));

    /// Rounds an exact amount half-up to the cent.
    pub fn from_exact(value: Decimal) -> Self {
        Self(round_half_up(value))
    }

    /// An amount given in fen (分).
    pub fn from_fen(fen: i64) -> Self {
        Self(Decimal::new(fen, 2))
    }

    /// The amount as a decimal with exactly two decimals.
    pub fn value(self) -> Decimal {
        self.0
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }
}

impl fmt::Display for Yuan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Add for Yuan {
    type Output = Yuan;
    fn add(self, rhs: Yuan) -> Yuan {
        Yuan::from_exact(self.0 + rhs.0)
    }
}

impl Sub for Yuan {
    type Output = Yuan;
    fn sub(self, rhs: Yuan) -> Yuan {
        Yuan::from_exact(self.0 - rhs.0)
    }
}

impl Sum for Yuan {
    fn sum<I: Iterator<Item = Yuan>>(iter: I) -> Yuan {
        iter.fold(Yuan::ZERO, Add::add)
    }
}

/// A payment made by the debtor on a date (还款). The amount is a JSON string such as
/// `"1000.00"`; floats are refused at the door.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Repayment {
    pub date: NaiveDate,
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
}

/// A money input must be positive, in whole cents and at most [`MAX_AMOUNT`].
pub(crate) fn check_amount(field: &'static str, value: Decimal) -> Result<Decimal, CalcError> {
    amount_problem(value, false).map_or(Ok(value), |reason| Err(CalcError::invalid(field, reason)))
}

/// Like [`check_amount`] but zero is allowed (e.g. a wage that was not paid at all).
pub(crate) fn check_amount_or_zero(
    field: &'static str,
    value: Decimal,
) -> Result<Decimal, CalcError> {
    amount_problem(value, true).map_or(Ok(value), |reason| Err(CalcError::invalid(field, reason)))
}

/// [`check_amount`] for one entry of a list input.
pub(crate) fn check_entry_amount(
    field: &'static str,
    index: usize,
    value: Decimal,
) -> Result<Decimal, CalcError> {
    amount_problem(value, false).map_or(Ok(value), |reason| {
        Err(CalcError::entry(field, index, reason))
    })
}

fn amount_problem(value: Decimal, zero_allowed: bool) -> Option<&'static str> {
    if value.is_sign_negative() && !value.is_zero() {
        Some("must not be negative")
    } else if value.is_zero() && !zero_allowed {
        Some("must be positive")
    } else if value.normalize().scale() > 2 {
        Some("must be in whole cents (at most two decimals)")
    } else if value > MAX_AMOUNT {
        Some("exceeds the supported maximum of 10,000,000,000,000 yuan")
    } else {
        None
    }
}

/// An annual rate in percent must lie in 0..=100 with at most six decimals.
pub(crate) fn check_rate_percent(
    field: &'static str,
    value: Decimal,
) -> Result<Decimal, CalcError> {
    if value.is_sign_negative() && !value.is_zero() {
        Err(CalcError::invalid(field, "must not be negative"))
    } else if value > MAX_RATE_PERCENT {
        Err(CalcError::invalid(
            field,
            "must be at most 100 (percent a year)",
        ))
    } else if value.normalize().scale() > 6 {
        Err(CalcError::invalid(field, "must have at most six decimals"))
    } else {
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_up_rounds_midpoints_away_from_zero_and_keeps_two_decimals() {
        assert_eq!(round_half_up(dec!(280.605)).to_string(), "280.61");
        assert_eq!(round_half_up(dec!(280.6049)).to_string(), "280.60");
        assert_eq!(round_half_up(dec!(6100)).to_string(), "6100.00");
        assert_eq!(round_half_up(dec!(0.005)).to_string(), "0.01");
        assert_eq!(round_half_up(dec!(-0.005)).to_string(), "-0.01");
        // A mantissa beyond 64 bits takes the 128-bit path.
        assert_eq!(
            round_half_up(dec!(123456789012345678901.235)).to_string(),
            "123456789012345678901.24"
        );
        assert_eq!(
            round_half_up(dec!(0.1234567890123456789012345675)).to_string(),
            "0.12"
        );
    }

    proptest::proptest! {
        #[test]
        fn fast_rounding_matches_the_decimal_library(mantissa in proptest::num::i64::ANY, scale in 0u32..=18) {
            let value = Decimal::new(mantissa, scale);
            let mut expected =
                value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
            expected.rescale(2);
            proptest::prop_assert_eq!(round_half_up(value), expected);
            proptest::prop_assert_eq!(round_half_up(value).scale(), 2);
        }
    }

    #[test]
    fn accrual_numerator_is_the_exact_product() {
        assert_eq!(
            accrual_numerator(dec!(100000.00), dec!(9), 184),
            dec!(165600000)
        );
        // 6,100 × 4.35 × 31 = 6,100 × 134.85 = 822,585.
        assert_eq!(
            accrual_numerator(dec!(6100.00), dec!(4.35), 31),
            dec!(822585)
        );
        // Beyond 96 bits it falls back to decimal multiplication (which rounds).
        let big = dec!(9999999999999.99);
        assert_eq!(
            accrual_numerator(big, dec!(99.999999), 40000),
            big * dec!(99.999999) * Decimal::from(40000)
        );
    }

    #[test]
    fn yuan_serialises_as_a_two_decimal_string() {
        let json = serde_json::to_string(&Yuan::from_exact(dec!(110980.6))).unwrap();
        assert_eq!(json, "\"110980.60\"");
    }

    #[test]
    fn amount_checks_name_the_problem() {
        assert_eq!(
            check_amount("principal", dec!(0)),
            Err(CalcError::invalid("principal", "must be positive"))
        );
        assert_eq!(
            check_amount("principal", dec!(-1)),
            Err(CalcError::invalid("principal", "must not be negative"))
        );
        assert!(check_amount("principal", dec!(1.001)).is_err());
        assert_eq!(check_amount("principal", dec!(1.100)), Ok(dec!(1.100)));
        assert!(check_amount("principal", MAX_AMOUNT + dec!(1)).is_err());
        assert_eq!(check_amount_or_zero("wage", dec!(0)), Ok(dec!(0)));
    }

    #[test]
    fn repayment_amounts_must_be_strings_not_floats() {
        let ok: Repayment =
            serde_json::from_str(r#"{"date":"2024-03-01","amount":"1000.50"}"#).unwrap();
        assert_eq!(ok.amount, dec!(1000.50));
        let float = serde_json::from_str::<Repayment>(r#"{"date":"2024-03-01","amount":1000.5}"#);
        assert!(float.is_err());
    }
}
