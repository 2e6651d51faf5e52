//! 解纷码 — the dispute tracking code kept for life (一码管到底), and the second factor needed to read a case by it.
//!
//! Design, for the requirements in DOMAIN.md §3.1 (short, readable over the phone, typos caught,
//! not guessable from other codes):
//! - **Digits only.** Callers read digits reliably over the phone in Chinese; letters (B/D/E/G/P/T
//!   …) are not. No prefix, so nothing needs spelling.
//! - **12 random payload digits + 1 Damm check digit**, shown as `2611-4831-0572-9`. The Damm
//!   check catches every single wrong digit and every swap of two neighbouring digits (including
//!   the check digit), which are the typos people make when reading or typing numbers.
//! - **Random, not sequential.** The payload comes from a caller-supplied random `u64` (the domain
//!   never owns a random source); with a CSPRNG, knowing one code tells nothing about another. The
//!   first digit is never 0 so spreadsheets and phone keypads do not drop it, leaving 9·10^11
//!   codes (≈ 39.7 bits). No year prefix: it would spend 2 digits of entropy on what the case record
//!   already says. Uniqueness is the store's job: insert under a unique index and draw again on a
//!   collision (at a million stored cases a fresh draw collides with probability ≈ 1.1·10^-6).
//! - The code alone never opens a case: a [second factor](verify_second_factor) does, and the
//!   HTTP layer rate-limits attempts (the phone factor has only 10^4 values).

mod damm;
mod second_factor;

pub use second_factor::{
    AccessSecret, AccessSecretError, SecondFactor, matched_second_factor, verify_second_factor,
};

use crate::identifiers::fold_full_width;
use damm::damm_interim;
use serde::Deserialize;
use std::fmt;

/// Number of random digits before the check digit.
const PAYLOAD_DIGITS: usize = 12;
/// Lowest payload: the first digit is never 0.
const PAYLOAD_MIN: u64 = 100_000_000_000;
/// Number of distinct payloads (9·10^11).
const PAYLOAD_COUNT: u64 = 900_000_000_000;

/// 解纷码 — the dispute tracking code: 13 digits, the last a Damm check digit.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct TrackingCode {
    /// 13 ASCII digits.
    digits: String,
}

/// Why a string is not a tracking code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrackingCodeError {
    #[error("character {position} of the tracking code must be a digit, found `{found}`")]
    NonDigit { position: usize, found: char },
    #[error("a tracking code has 13 digits, found {found}")]
    WrongLength { found: usize },
    #[error("the tracking code's check digit does not match: likely a typo, please read it again")]
    CheckFailed,
}

impl TrackingCode {
    /// The code for a random draw. `random` must come from a cryptographically secure source;
    /// reducing it modulo 9·10^11 leaves a bias below 10^-7, far below anything observable.
    pub fn from_random(random: u64) -> Self {
        let payload = PAYLOAD_MIN + random % PAYLOAD_COUNT;
        let mut digits = format!("{payload:0width$}", width = PAYLOAD_DIGITS);
        let check = damm_interim(digits.bytes().map(|b| b - b'0'));
        digits.push(char::from(b'0' + check));
        Self { digits }
    }

    /// Parses a code as a person typed or read it: spaces and dashes anywhere, full-width digits
    /// accepted.
    pub fn parse(input: &str) -> Result<Self, TrackingCodeError> {
        let digits = compact_digits(input)
            .map_err(|(position, found)| TrackingCodeError::NonDigit { position, found })?;
        if digits.len() != PAYLOAD_DIGITS + 1 {
            return Err(TrackingCodeError::WrongLength {
                found: digits.len(),
            });
        }
        if damm_interim(digits.bytes().map(|b| b - b'0')) != 0 {
            return Err(TrackingCodeError::CheckFailed);
        }
        Ok(Self { digits })
    }

    /// The 13 digits without separators, for storage, URLs and QR codes.
    pub fn as_compact(&self) -> &str {
        &self.digits
    }
}

/// Grouped for reading aloud: `2611-4831-0572-9`.
impl fmt::Display for TrackingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, group) in self.digits.as_bytes().chunks(4).enumerate() {
            if index > 0 {
                f.write_str("-")?;
            }
            f.write_str(std::str::from_utf8(group).map_err(|_| fmt::Error)?)?;
        }
        Ok(())
    }
}

impl fmt::Debug for TrackingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TrackingCode({self})")
    }
}

impl std::str::FromStr for TrackingCode {
    type Err = TrackingCodeError;
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        Self::parse(input)
    }
}

impl TryFrom<String> for TrackingCode {
    type Error = TrackingCodeError;
    fn try_from(input: String) -> Result<Self, Self::Error> {
        Self::parse(&input)
    }
}

impl serde::Serialize for TrackingCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_compact())
    }
}

fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '\t' | '-' | '\u{2010}'..='\u{2015}')
}

/// The ASCII digits of `input` with separators dropped and full-width digits folded, or the
/// 1-based position and character of the first thing that is neither.
fn compact_digits(input: &str) -> Result<String, (usize, char)> {
    let mut digits = String::new();
    for (index, c) in input.trim().chars().map(fold_full_width).enumerate() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if !is_separator(c) {
            return Err((index + 1, c));
        }
    }
    Ok(digits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn from_random_builds_a_grouped_checked_code() {
        // By hand: interim 0 -1-> 3, then eleven 0s walk 3→1→7→8→9→2→4→6→5→3→1→7.
        let code = TrackingCode::from_random(0);
        assert_eq!(code.as_compact(), "1000000000007");
        assert_eq!(code.to_string(), "1000-0000-0000-7");
        let code = TrackingCode::from_random(u64::MAX);
        assert_eq!(code.as_compact().len(), 13);
        assert_eq!(TrackingCode::parse(&code.to_string()), Ok(code));
    }

    #[test]
    fn parse_accepts_spoken_and_typed_forms() {
        let code = TrackingCode::from_random(151_148_310_572);
        let compact = code.as_compact().to_owned();
        let spaced = format!("{} {} {}", &compact[..4], &compact[4..8], &compact[8..]);
        let full_width: String = compact
            .chars()
            .map(|c| char::from_u32(u32::from(c) + 0xFEE0).unwrap())
            .collect();
        for input in [compact.clone(), code.to_string(), spaced, full_width] {
            assert_eq!(TrackingCode::parse(&input), Ok(code.clone()), "{input}");
        }
    }

    #[test]
    fn parse_errors_are_typed() {
        assert_eq!(
            TrackingCode::parse("1000-0000-000"),
            Err(TrackingCodeError::WrongLength { found: 11 })
        );
        assert_eq!(
            TrackingCode::parse("1000-0000-0000-7-1"),
            Err(TrackingCodeError::WrongLength { found: 14 })
        );
        assert_eq!(
            TrackingCode::parse("1000-O000-0000-7"),
            Err(TrackingCodeError::NonDigit {
                position: 6,
                found: 'O'
            })
        );
        let err = TrackingCode::parse("1000-0000-0000-8").unwrap_err();
        assert_eq!(err, TrackingCodeError::CheckFailed);
        assert!(err.to_string().contains("likely a typo"));
    }

    #[test]
    fn serde_is_the_compact_string() {
        let code = TrackingCode::from_random(42);
        let json = serde_json::to_string(&code).unwrap();
        assert_eq!(json, format!("\"{}\"", code.as_compact()));
        assert_eq!(serde_json::from_str::<TrackingCode>(&json).unwrap(), code);
        let grouped = format!("\"{code}\"");
        assert_eq!(
            serde_json::from_str::<TrackingCode>(&grouped).unwrap(),
            code
        );
        let err = serde_json::from_str::<TrackingCode>("\"1000-0000-0000-8\"").unwrap_err();
        assert!(err.to_string().contains("likely a typo"), "{err}");
        assert_eq!(format!("{code:?}"), format!("TrackingCode({code})"));
    }

    proptest! {
        #[test]
        fn from_random_always_parses_back(random in any::<u64>()) {
            let code = TrackingCode::from_random(random);
            prop_assert_eq!(code.as_compact().len(), 13);
            prop_assert!(!code.as_compact().starts_with('0'));
            prop_assert_eq!(TrackingCode::parse(code.as_compact()), Ok(code.clone()));
            prop_assert_eq!(TrackingCode::parse(&code.to_string()), Ok(code));
        }

        #[test]
        fn every_single_substitution_and_neighbour_swap_fails(random in any::<u64>()) {
            let compact: Vec<u8> = TrackingCode::from_random(random).as_compact().bytes().collect();
            for position in 0..compact.len() {
                for digit in b'0'..=b'9' {
                    if compact[position] == digit {
                        continue;
                    }
                    let mut changed = compact.clone();
                    changed[position] = digit;
                    let text = String::from_utf8(changed).unwrap();
                    prop_assert_eq!(TrackingCode::parse(&text), Err(TrackingCodeError::CheckFailed), "{}", text);
                }
            }
            for position in 0..compact.len() - 1 {
                if compact[position] == compact[position + 1] {
                    continue;
                }
                let mut swapped = compact.clone();
                swapped.swap(position, position + 1);
                let text = String::from_utf8(swapped).unwrap();
                prop_assert_eq!(TrackingCode::parse(&text), Err(TrackingCodeError::CheckFailed), "{}", text);
            }
        }
    }
}
