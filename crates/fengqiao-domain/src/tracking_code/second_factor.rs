//! The second factor for reading a case by its tracking code: the applicant's phone's last four digits or a printed access secret.

use super::{compact_digits, is_separator};
use crate::identifiers::fold_full_width;
use serde::Deserialize;
use std::fmt;

/// Digits in an access secret.
const SECRET_DIGITS: usize = 6;
/// Digits of a phone number used as the second factor.
const PHONE_FACTOR_DIGITS: usize = 4;

/// The 6-digit access secret printed with the code on the 受理通知书, the second factor for a party
/// who does not want to give a phone number. Deliberately not `Serialize`, so it cannot slip into
/// an API response; store it through [`AccessSecret::as_str`].
#[derive(Clone)]
pub struct AccessSecret {
    digits: String,
}

/// Why a string is not an access secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccessSecretError {
    #[error("character {position} of the access secret must be a digit, found `{found}`")]
    NonDigit { position: usize, found: char },
    #[error("an access secret has 6 digits, found {found}")]
    WrongLength { found: usize },
}

impl AccessSecret {
    /// The secret for a random draw (from a cryptographically secure source).
    pub fn from_random(random: u64) -> Self {
        Self {
            digits: format!("{:06}", random % 1_000_000),
        }
    }

    pub fn parse(input: &str) -> Result<Self, AccessSecretError> {
        let digits = compact_digits(input)
            .map_err(|(position, found)| AccessSecretError::NonDigit { position, found })?;
        if digits.len() != SECRET_DIGITS {
            return Err(AccessSecretError::WrongLength {
                found: digits.len(),
            });
        }
        Ok(Self { digits })
    }

    /// The 6 digits. Reveal deliberately (printing the notice, storing).
    pub fn as_str(&self) -> &str {
        &self.digits
    }
}

/// Compares in constant time, so equality checks cannot leak the secret through timing.
impl PartialEq for AccessSecret {
    fn eq(&self, other: &Self) -> bool {
        constant_time_eq(self.digits.as_bytes(), other.digits.as_bytes())
    }
}

impl Eq for AccessSecret {}

impl fmt::Display for AccessSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.digits)
    }
}

impl fmt::Debug for AccessSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessSecret(******)")
    }
}

/// Which second factor opened a case, for the audit record of the read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecondFactor {
    PhoneLastFour,
    AccessSecret,
}

/// Which factor, if any, `given` matches: the last 4 digits of the applicant's phone (when the
/// case has one) or the 6-digit access secret. `given` may contain spaces, dashes and full-width
/// digits. An expected value that is not exactly 4 (phone) or 6 (secret) ASCII digits never
/// matches, so an empty or missing value cannot be "guessed" with an empty answer. Both
/// comparisons always run over every byte.
pub fn matched_second_factor(
    expected_phone_last4: Option<&str>,
    expected_secret: &str,
    given: &str,
) -> Option<SecondFactor> {
    let given = normalise_answer(given);
    let phone_matches = expected_phone_last4.is_some_and(|phone| {
        is_ascii_digits(phone, PHONE_FACTOR_DIGITS)
            & constant_time_eq(phone.as_bytes(), given.as_bytes())
    });
    let secret_matches = is_ascii_digits(expected_secret, SECRET_DIGITS)
        & constant_time_eq(expected_secret.as_bytes(), given.as_bytes());
    if secret_matches {
        Some(SecondFactor::AccessSecret)
    } else if phone_matches {
        Some(SecondFactor::PhoneLastFour)
    } else {
        None
    }
}

/// Whether `given` matches either second factor; see [`matched_second_factor`].
pub fn verify_second_factor(
    expected_phone_last4: Option<&str>,
    expected_secret: &str,
    given: &str,
) -> bool {
    matched_second_factor(expected_phone_last4, expected_secret, given).is_some()
}

/// `given` with separators dropped and full-width digits folded; other characters stay (and
/// then fail to match).
fn normalise_answer(given: &str) -> String {
    given
        .trim()
        .chars()
        .map(fold_full_width)
        .filter(|c| !is_separator(*c))
        .collect()
}

fn is_ascii_digits(text: &str, length: usize) -> bool {
    text.len() == length && text.bytes().all(|b| b.is_ascii_digit())
}

/// Byte equality without an early exit: every byte position up to the longer length is visited
/// and differences are accumulated, so the time taken does not depend on where they differ.
fn constant_time_eq(expected: &[u8], given: &[u8]) -> bool {
    let length = expected.len().max(given.len());
    let mut difference = usize::from(expected.len() != given.len());
    for index in 0..length {
        let a = expected.get(index).copied().unwrap_or(0);
        let b = given.get(index).copied().unwrap_or(0);
        difference |= usize::from(a ^ b);
    }
    std::hint::black_box(difference) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn access_secret_from_random_and_parse() {
        let secret = AccessSecret::from_random(1_234_567_042);
        assert_eq!(secret.as_str(), "567042");
        assert_eq!(AccessSecret::from_random(7).as_str(), "000007");
        assert_eq!(AccessSecret::parse("567 042"), Ok(secret.clone()));
        assert_eq!(AccessSecret::parse("５６７０４２"), Ok(secret.clone()));
        assert_eq!(
            AccessSecret::parse("56704"),
            Err(AccessSecretError::WrongLength { found: 5 })
        );
        assert_eq!(
            AccessSecret::parse("56a042"),
            Err(AccessSecretError::NonDigit {
                position: 3,
                found: 'a'
            })
        );
        assert_eq!(format!("{secret:?}"), "AccessSecret(******)");
        assert_eq!(secret.to_string(), "567042");
    }

    #[test]
    fn either_factor_opens_the_case() {
        assert_eq!(
            matched_second_factor(Some("1234"), "567042", "1234"),
            Some(SecondFactor::PhoneLastFour)
        );
        assert_eq!(
            matched_second_factor(Some("1234"), "567042", "567-042"),
            Some(SecondFactor::AccessSecret)
        );
        assert_eq!(
            matched_second_factor(None, "567042", " ５６７０４２ "),
            Some(SecondFactor::AccessSecret)
        );
        assert!(verify_second_factor(Some("1234"), "567042", "12 34"));
    }

    #[test]
    fn wrong_or_degenerate_answers_never_open_the_case() {
        assert!(!verify_second_factor(Some("1234"), "567042", "1235"));
        assert!(!verify_second_factor(Some("1234"), "567042", "567043"));
        assert!(!verify_second_factor(None, "567042", "1234"));
        assert!(!verify_second_factor(Some("1234"), "567042", "12345"));
        assert!(!verify_second_factor(Some("1234"), "567042", "5670421"));
        assert!(!verify_second_factor(Some("1234"), "567042", ""));
        // Malformed expectations never match, not even their own text.
        assert!(!verify_second_factor(Some(""), "", ""));
        assert!(!verify_second_factor(Some("12a4"), "56704", "12a4"));
        assert!(!verify_second_factor(None, "56704", "56704"));
    }

    #[test]
    fn constant_time_eq_compares_whole_slices() {
        assert!(constant_time_eq(b"567042", b"567042"));
        assert!(!constant_time_eq(b"567042", b"567043"));
        assert!(!constant_time_eq(b"567042", b"067042"));
        assert!(!constant_time_eq(b"567042", b"56704"));
        assert!(!constant_time_eq(b"5670", b"567042"));
        assert!(constant_time_eq(b"", b""));
    }

    proptest! {
        #[test]
        fn secret_matches_itself_and_nothing_else(random in any::<u64>(), other in any::<u64>()) {
            let secret = AccessSecret::from_random(random);
            let guess = AccessSecret::from_random(other);
            prop_assert!(verify_second_factor(None, secret.as_str(), secret.as_str()));
            prop_assert_eq!(
                verify_second_factor(None, secret.as_str(), guess.as_str()),
                secret.as_str() == guess.as_str()
            );
            prop_assert_eq!(secret == guess, secret.as_str() == guess.as_str());
        }
    }
}
