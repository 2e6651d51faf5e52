//! 居民身份证号码 — the 18-character resident ID of GB 11643-1999, with its mod 11-2 check character.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Weights of the first 17 digits in the ISO 7064 mod 11-2 checksum (2^(18-i) mod 11).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for each value of (weighted sum mod 11).
const CHECK_CHARACTERS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
/// Earliest birth date accepted; second-generation IDs were issued to people alive in 2004.
const EARLIEST_BIRTH: (i32, u32, u32) = (1900, 1, 1);

/// A valid 18-character resident ID (居民身份证号码), check character normalised to upper-case `X`.
///
/// The first-generation 15-digit numbers are not accepted: they have no check character and
/// were retired in 2013.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct ResidentId {
    canonical: String,
    birth_date: NaiveDate,
}

/// Sex as encoded by the 17th digit of a resident ID (odd = male, even = female).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn label_zh(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
        }
    }
}

/// Why a string is not a resident ID. Messages never echo the number itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResidentIdError {
    #[error("a resident ID has 18 characters, found {found}")]
    WrongLength { found: usize },
    #[error("character {position} of the resident ID must be a digit, found `{found}`")]
    NonDigit { position: usize, found: char },
    #[error("the 18th character of the resident ID must be a digit or X, found `{found}`")]
    BadCheckCharacterForm { found: char },
    #[error("characters 7-14 of the resident ID are not a real date (YYYYMMDD)")]
    BadBirthDate,
    #[error("the birth date in the resident ID is before 1900-01-01")]
    BirthBefore1900,
    #[error("the birth date in the resident ID is after today ({today})")]
    BirthInFuture { today: NaiveDate },
    #[error(
        "the resident ID check character should be `{expected}`, found `{found}`: likely a typo"
    )]
    CheckMismatch { expected: char, found: char },
}

impl ResidentId {
    /// Parses an 18-character resident ID. Surrounding whitespace is ignored, full-width digits
    /// and a lower-case `x` are accepted. Checks are ordered so the error points at the first
    /// problem a person can fix: length, digits, check character form, birth date, checksum.
    pub fn parse(input: &str) -> Result<Self, ResidentIdError> {
        let chars: Vec<char> = input.trim().chars().map(super::fold_full_width).collect();
        let chars: [char; 18] = chars
            .try_into()
            .map_err(|chars: Vec<char>| ResidentIdError::WrongLength { found: chars.len() })?;

        let mut digits = [0u8; 17];
        for (position, (digit, c)) in digits.iter_mut().zip(chars).enumerate() {
            *digit = decimal_value(c).ok_or(ResidentIdError::NonDigit {
                position: position + 1,
                found: c,
            })?;
        }
        let given_check = match chars[17] {
            'x' | 'X' => 'X',
            c if c.is_ascii_digit() => c,
            c => return Err(ResidentIdError::BadCheckCharacterForm { found: c }),
        };

        let birth_date = birth_date_of(&digits)?;
        let expected = check_character(&digits);
        if given_check != expected {
            return Err(ResidentIdError::CheckMismatch {
                expected,
                found: given_check,
            });
        }

        let mut canonical: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
        canonical.push(expected);
        Ok(Self {
            canonical,
            birth_date,
        })
    }

    /// Parses and also rejects a birth date after `today` (the caller's date: the domain never
    /// reads the clock).
    pub fn parse_as_of(input: &str, today: NaiveDate) -> Result<Self, ResidentIdError> {
        let id = Self::parse(input)?;
        id.ensure_born_by(today)?;
        Ok(id)
    }

    /// Rejects an ID whose holder would be born after `today`.
    pub fn ensure_born_by(&self, today: NaiveDate) -> Result<(), ResidentIdError> {
        if self.birth_date > today {
            Err(ResidentIdError::BirthInFuture { today })
        } else {
            Ok(())
        }
    }

    /// The full 18 characters. Reveal deliberately; lists, exports and logs use [`Self::masked`].
    pub fn as_str(&self) -> &str {
        &self.canonical
    }

    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    /// Sex from the 17th digit: odd is male, even is female.
    pub fn sex(&self) -> Sex {
        let odd = self
            .canonical
            .as_bytes()
            .get(16)
            .is_some_and(|digit| (digit - b'0') % 2 == 1);
        if odd { Sex::Male } else { Sex::Female }
    }

    /// The 6-digit administrative division code (GB/T 2260) of the place of first registration.
    pub fn region_prefix(&self) -> &str {
        self.canonical.get(..6).unwrap_or_default()
    }

    /// First 6 and last 4 characters, the 8 in between (the birth date) hidden:
    /// `330102********1234`.
    pub fn masked(&self) -> String {
        let head = self.canonical.get(..6).unwrap_or_default();
        let tail = self.canonical.get(14..).unwrap_or_default();
        format!("{head}********{tail}")
    }
}

string_identifier_impls!(ResidentId, ResidentIdError);

fn decimal_value(c: char) -> Option<u8> {
    c.to_digit(10).and_then(|d| u8::try_from(d).ok())
}

/// The GB 11643 check character of 17 digits: the weighted sum including the check value
/// (X = 10, weight 1) is then ≡ 1 (mod 11).
pub(crate) fn check_character(digits: &[u8; 17]) -> char {
    let sum: u32 = digits
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(*d) * w)
        .sum();
    let index = usize::try_from(sum % 11).unwrap_or(0);
    CHECK_CHARACTERS.get(index).copied().unwrap_or('1')
}

fn birth_date_of(digits: &[u8; 17]) -> Result<NaiveDate, ResidentIdError> {
    let number = |range: std::ops::Range<usize>| {
        digits
            .get(range)
            .unwrap_or_default()
            .iter()
            .fold(0u32, |acc, d| acc * 10 + u32::from(*d))
    };
    let year = i32::try_from(number(6..10)).map_err(|_| ResidentIdError::BadBirthDate)?;
    let date = NaiveDate::from_ymd_opt(year, number(10..12), number(12..14))
        .ok_or(ResidentIdError::BadBirthDate)?;
    let (y, m, d) = EARLIEST_BIRTH;
    if NaiveDate::from_ymd_opt(y, m, d).is_some_and(|earliest| date < earliest) {
        return Err(ResidentIdError::BirthBefore1900);
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The worked example printed in GB 11643-1999 itself.
    const STANDARD_EXAMPLE: &str = "11010519491231002X";

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// Builds a valid ID from its parts with our own check-character computation.
    fn make_id(region: &str, birth: NaiveDate, sequence: u16) -> String {
        let body = format!("{region}{}{sequence:03}", birth.format("%Y%m%d"));
        let digits: [u8; 17] = body
            .bytes()
            .map(|b| b - b'0')
            .collect::<Vec<_>>()
            .try_into()
            .unwrap();
        format!("{body}{}", check_character(&digits))
    }

    #[test]
    fn parses_the_standard_example() {
        let id = ResidentId::parse(STANDARD_EXAMPLE).unwrap();
        assert_eq!(id.as_str(), STANDARD_EXAMPLE);
        assert_eq!(id.birth_date(), date(1949, 12, 31));
        assert_eq!(id.sex(), Sex::Female); // 17th digit 2 is even
        assert_eq!(id.region_prefix(), "110105");
        assert_eq!(id.masked(), "110105********002X");
    }

    #[test]
    fn computed_example_from_hangzhou_shangcheng() {
        let text = make_id("330102", date(1985, 7, 14), 123);
        assert_eq!(text, "330102198507141234");
        let id = ResidentId::parse(&text).unwrap();
        assert_eq!(id.sex(), Sex::Male);
        assert_eq!(id.masked(), "330102********1234");
        let female = ResidentId::parse(&make_id("330102", date(1992, 2, 29), 48)).unwrap();
        assert_eq!(female.sex(), Sex::Female);
        assert_eq!(female.birth_date(), date(1992, 2, 29));
    }

    #[test]
    fn normalises_lower_case_x_whitespace_and_full_width() {
        let id = ResidentId::parse("  11010519491231002x ").unwrap();
        assert_eq!(id.as_str(), STANDARD_EXAMPLE);
        let full_width = ResidentId::parse("１１０１０５１９４９１２３１００２Ｘ").unwrap();
        assert_eq!(full_width, id);
    }

    #[test]
    fn errors_name_the_exact_problem() {
        assert_eq!(
            ResidentId::parse("11010519491231002"),
            Err(ResidentIdError::WrongLength { found: 17 })
        );
        assert_eq!(
            ResidentId::parse("1101051949123A002X"),
            Err(ResidentIdError::NonDigit {
                position: 14,
                found: 'A'
            })
        );
        assert_eq!(
            ResidentId::parse("11010519491231002Y"),
            Err(ResidentIdError::BadCheckCharacterForm { found: 'Y' })
        );
        assert_eq!(
            ResidentId::parse("110105194912310021"),
            Err(ResidentIdError::CheckMismatch {
                expected: 'X',
                found: '1'
            })
        );
        let message = ResidentId::parse("110105194912310021")
            .unwrap_err()
            .to_string();
        assert_eq!(
            message,
            "the resident ID check character should be `X`, found `1`: likely a typo"
        );
        assert!(!message.contains("110105"));
    }

    #[test]
    fn birth_date_must_be_real_and_not_before_1900() {
        // 1900 is not a leap year; 2000 is.
        let not_leap = make_id("330102", date(1900, 3, 1), 1).replacen("19000301", "19000229", 1);
        assert_eq!(
            ResidentId::parse(&not_leap),
            Err(ResidentIdError::BadBirthDate)
        );
        assert!(ResidentId::parse(&make_id("330102", date(2000, 2, 29), 1)).is_ok());
        let month_13 = make_id("330102", date(1990, 1, 5), 1).replacen("19900105", "19901305", 1);
        assert_eq!(
            ResidentId::parse(&month_13),
            Err(ResidentIdError::BadBirthDate)
        );
        assert_eq!(
            ResidentId::parse(&make_id("330102", date(1899, 12, 31), 1)),
            Err(ResidentIdError::BirthBefore1900)
        );
        assert!(ResidentId::parse(&make_id("330102", date(1900, 1, 1), 1)).is_ok());
    }

    #[test]
    fn future_birth_is_rejected_against_the_given_today() {
        let text = make_id("330102", date(2026, 5, 2), 7);
        let today = date(2026, 5, 1);
        assert_eq!(
            ResidentId::parse_as_of(&text, today),
            Err(ResidentIdError::BirthInFuture { today })
        );
        assert!(ResidentId::parse_as_of(&text, date(2026, 5, 2)).is_ok());
        assert!(
            ResidentId::parse(&text)
                .unwrap()
                .ensure_born_by(today)
                .is_err()
        );
    }

    #[test]
    fn debug_is_masked_and_display_is_full() {
        let id = ResidentId::parse(STANDARD_EXAMPLE).unwrap();
        assert_eq!(format!("{id:?}"), "ResidentId(110105********002X)");
        assert_eq!(id.to_string(), STANDARD_EXAMPLE);
    }

    #[test]
    fn serde_uses_the_canonical_string_and_rejects_with_the_reason() {
        let id = ResidentId::parse("11010519491231002x").unwrap();
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"11010519491231002X\"");
        let back: ResidentId = serde_json::from_str(&json).unwrap();
        assert_eq!(back, id);
        let err = serde_json::from_str::<ResidentId>("\"110105194912310021\"").unwrap_err();
        assert!(
            err.to_string().contains("check character should be `X`"),
            "{err}"
        );
    }

    fn valid_parts() -> impl Strategy<Value = (String, NaiveDate, u16)> {
        (100_000u32..=999_999, 0u64..73_000, 0u16..=999).prop_map(|(region, days, seq)| {
            let birth = date(1900, 1, 1) + chrono::Days::new(days);
            (region.to_string(), birth, seq)
        })
    }

    proptest! {
        #[test]
        fn check_character_satisfies_the_mod_11_2_identity(digits in proptest::array::uniform17(0u8..=9)) {
            let check = check_character(&digits);
            let check_value = if check == 'X' { 10 } else { check.to_digit(10).unwrap() };
            let sum: u32 = digits.iter().zip(WEIGHTS).map(|(d, w)| u32::from(*d) * w).sum::<u32>() + check_value;
            prop_assert_eq!(sum % 11, 1);
        }

        #[test]
        fn any_valid_body_with_computed_check_parses((region, birth, seq) in valid_parts()) {
            let text = make_id(&region, birth, seq);
            let id = ResidentId::parse(&text).unwrap();
            prop_assert_eq!(id.as_str(), text.as_str());
            prop_assert_eq!(id.birth_date(), birth);
            prop_assert_eq!(id.region_prefix(), region.as_str());
            prop_assert_eq!(id.sex() == Sex::Male, seq % 2 == 1);
        }

        #[test]
        fn every_single_character_change_is_rejected((region, birth, seq) in valid_parts()) {
            let text = make_id(&region, birth, seq);
            for position in 0..18 {
                for replacement in "0123456789X".chars() {
                    let mut chars: Vec<char> = text.chars().collect();
                    if chars[position] == replacement {
                        continue;
                    }
                    chars[position] = replacement;
                    let changed: String = chars.into_iter().collect();
                    prop_assert!(ResidentId::parse(&changed).is_err(), "accepted {}", changed);
                }
            }
        }

        #[test]
        fn masked_never_shows_the_middle((region, birth, seq) in valid_parts()) {
            let id = ResidentId::parse(&make_id(&region, birth, seq)).unwrap();
            let masked = id.masked();
            prop_assert_eq!(masked.len(), 18);
            prop_assert_eq!(&masked[..6], &id.as_str()[..6]);
            prop_assert_eq!(&masked[6..14], "********");
            prop_assert_eq!(&masked[14..], &id.as_str()[14..]);
            let debug = format!("{id:?}");
            prop_assert!(!debug.contains(&id.as_str()[6..14]));
        }

        #[test]
        fn serde_round_trips((region, birth, seq) in valid_parts()) {
            let id = ResidentId::parse(&make_id(&region, birth, seq)).unwrap();
            let back: ResidentId = serde_json::from_str(&serde_json::to_string(&id).unwrap()).unwrap();
            prop_assert_eq!(back, id);
        }
    }
}
