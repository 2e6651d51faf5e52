//! 手机号码 — mainland China mobile numbers, normalised to 11 digits.

use serde::Deserialize;

/// A mainland China mobile number: 11 digits starting with 13–19.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct MobileNumber {
    digits: String,
}

/// Why a string is not a mainland mobile number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MobileNumberError {
    #[error("the mobile number is empty")]
    Empty,
    #[error(
        "character {position} of the mobile number must be a digit, space or dash, found `{found}`"
    )]
    NonDigit { position: usize, found: char },
    #[error("only mainland China mobile numbers (+86) are accepted")]
    NotMainland,
    #[error("a mainland mobile number has 11 digits, found {found}")]
    WrongLength { found: usize },
    #[error("a mainland mobile number starts with 13 to 19, found `{prefix}`")]
    NotMobilePrefix { prefix: String },
}

impl MobileNumber {
    /// Parses a mobile number written with optional spaces or dashes and an optional `+86`,
    /// `0086` or `86` country prefix; full-width digits are accepted.
    pub fn parse(input: &str) -> Result<Self, MobileNumberError> {
        let mut compact = String::new();
        for (index, c) in input.trim().chars().map(super::fold_full_width).enumerate() {
            match c {
                '0'..='9' => compact.push(c),
                '+' if compact.is_empty() => compact.push(c),
                ' ' | '\t' | '-' => {}
                _ => {
                    return Err(MobileNumberError::NonDigit {
                        position: index + 1,
                        found: c,
                    });
                }
            }
        }
        if compact.is_empty() {
            return Err(MobileNumberError::Empty);
        }

        let national = if let Some(rest) = compact.strip_prefix('+') {
            rest.strip_prefix("86")
                .ok_or(MobileNumberError::NotMainland)?
        } else if compact.len() == 15 {
            compact
                .strip_prefix("0086")
                .ok_or(MobileNumberError::WrongLength { found: 15 })?
        } else if compact.len() == 13 {
            compact
                .strip_prefix("86")
                .ok_or(MobileNumberError::WrongLength { found: 13 })?
        } else {
            compact.as_str()
        };
        if national.len() != 11 {
            return Err(MobileNumberError::WrongLength {
                found: national.len(),
            });
        }
        let prefix = national.get(..2).unwrap_or_default();
        let is_mobile = matches!(prefix.as_bytes(), [b'1', b'3'..=b'9']);
        if !is_mobile {
            return Err(MobileNumberError::NotMobilePrefix {
                prefix: prefix.to_owned(),
            });
        }
        Ok(Self {
            digits: national.to_owned(),
        })
    }

    /// The 11 digits, no prefix or separators.
    pub fn as_str(&self) -> &str {
        &self.digits
    }

    /// The last four digits, used as a second factor for reading a case by its tracking code.
    pub fn last_four(&self) -> &str {
        self.digits.get(7..).unwrap_or_default()
    }

    /// First 3 and last 4 digits: `138****1234`.
    pub fn masked(&self) -> String {
        let head = self.digits.get(..3).unwrap_or_default();
        format!("{head}****{}", self.last_four())
    }
}

string_identifier_impls!(MobileNumber, MobileNumberError);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_common_spellings() {
        for input in [
            "13800138000",
            "138 0013 8000",
            "138-0013-8000",
            "+86 138 0013 8000",
            "+8613800138000",
            "0086 13800138000",
            "8613800138000",
            "１３８００１３８０００",
            "  13800138000\t",
        ] {
            assert_eq!(
                MobileNumber::parse(input).map(|m| m.as_str().to_owned()),
                Ok("13800138000".to_owned()),
                "{input}"
            );
        }
    }

    #[test]
    fn errors_name_the_exact_problem() {
        assert_eq!(MobileNumber::parse("  "), Err(MobileNumberError::Empty));
        assert_eq!(
            MobileNumber::parse("138(0013)8000"),
            Err(MobileNumberError::NonDigit {
                position: 4,
                found: '('
            })
        );
        assert_eq!(
            MobileNumber::parse("+852 9123 4567"),
            Err(MobileNumberError::NotMainland)
        );
        assert_eq!(
            MobileNumber::parse("1380013800"),
            Err(MobileNumberError::WrongLength { found: 10 })
        );
        assert_eq!(
            MobileNumber::parse("0571-87654321"),
            Err(MobileNumberError::WrongLength { found: 12 })
        );
        assert_eq!(
            MobileNumber::parse("12800138000"),
            Err(MobileNumberError::NotMobilePrefix {
                prefix: "12".to_owned()
            })
        );
        assert_eq!(
            MobileNumber::parse("1380+0138000"),
            Err(MobileNumberError::NonDigit {
                position: 5,
                found: '+'
            })
        );
        // 13 digits that do not start with 86 are not a prefixed number.
        assert_eq!(
            MobileNumber::parse("1380013800012"),
            Err(MobileNumberError::WrongLength { found: 13 })
        );
    }

    #[test]
    fn masks_and_exposes_last_four() {
        let number = MobileNumber::parse("+86 138 0013 1234").unwrap();
        assert_eq!(number.masked(), "138****1234");
        assert_eq!(number.last_four(), "1234");
        assert_eq!(format!("{number:?}"), "MobileNumber(138****1234)");
        assert_eq!(number.to_string(), "13800131234");
    }

    #[test]
    fn serde_uses_the_compact_digits() {
        let number: MobileNumber = serde_json::from_str("\"+86 139-0000-0001\"").unwrap();
        assert_eq!(serde_json::to_string(&number).unwrap(), "\"13900000001\"");
        let err = serde_json::from_str::<MobileNumber>("\"12345\"").unwrap_err();
        assert!(err.to_string().contains("11 digits, found 5"), "{err}");
    }

    proptest! {
        #[test]
        fn any_mobile_with_any_prefix_normalises(second in 3u8..=9, rest in 0u64..1_000_000_000, prefix in 0usize..4) {
            let digits = format!("1{second}{rest:09}");
            let written = match prefix {
                0 => digits.clone(),
                1 => format!("+86 {}-{}-{}", &digits[..3], &digits[3..7], &digits[7..]),
                2 => format!("0086{digits}"),
                _ => format!("86 {digits}"),
            };
            let number = MobileNumber::parse(&written).unwrap();
            prop_assert_eq!(number.as_str(), digits.as_str());
            let masked = number.masked();
            prop_assert_eq!(&masked[..3], &digits[..3]);
            prop_assert_eq!(&masked[3..7], "****");
            prop_assert_eq!(&masked[7..], &digits[7..]);
            let back: MobileNumber = serde_json::from_str(&serde_json::to_string(&number).unwrap()).unwrap();
            prop_assert_eq!(back, number);
        }
    }
}
