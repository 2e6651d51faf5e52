//! 统一社会信用代码 — the 18-character unified social credit code of GB 32100-2015, with its mod-31 check.

use serde::Deserialize;

/// The 31 code characters; I, O, Z, S and V are left out because they read like 1, 0, 2, 5 and U.
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weights of the first 17 characters (3^i mod 31).
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
/// Weights of the 8 body characters of the embedded organisation code (GB 11714).
const ORG_CODE_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// A valid unified social credit code (统一社会信用代码), normalised to upper case.
///
/// Layout: 1 registration authority, 2 organisation type, 3–8 region code of the registering
/// office (digits), 9–17 the organisation code (主体标识码, GB 11714, which carries its own check
/// character at position 17), 18 the mod-31 check character. Both check characters are verified:
/// every real code we could check satisfies both, and the organisation-code check catches extra
/// double errors inside positions 9–17.
///
/// Known limitation: some codes issued in Xiamen before 2016 are reported not to satisfy the
/// mod-31 check (e.g. `91350203M0001QKT19`); they are rejected here.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct CreditCode {
    canonical: String,
}

/// Why a string is not a unified social credit code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("a unified social credit code has 18 characters, found {found}")]
    WrongLength { found: usize },
    #[error(
        "character {position} of the credit code must be a digit or one of ABCDEFGHJKLMNPQRTUWXY (I, O, S, V and Z are never used), found `{found}`"
    )]
    BadCharacter { position: usize, found: char },
    #[error(
        "characters 3-8 of the credit code are a region code and must be digits, found `{found}` at {position}"
    )]
    RegionNotDigits { position: usize, found: char },
    #[error(
        "the credit code check character should be `{expected}`, found `{found}`: likely a typo"
    )]
    CheckMismatch { expected: char, found: char },
    #[error(
        "the organisation code inside the credit code (characters 9-17) should end in `{expected}`, found `{found}`: likely a typo"
    )]
    OrgCodeCheckMismatch { expected: char, found: char },
}

impl CreditCode {
    /// Parses a credit code. Surrounding whitespace is ignored; lower case and full-width forms are
    /// accepted and normalised.
    pub fn parse(input: &str) -> Result<Self, CreditCodeError> {
        let chars: Vec<char> = input
            .trim()
            .chars()
            .map(|c| super::fold_full_width(c).to_ascii_uppercase())
            .collect();
        let chars: [char; 18] = chars
            .try_into()
            .map_err(|chars: Vec<char>| CreditCodeError::WrongLength { found: chars.len() })?;

        let mut values = [0u8; 18];
        for (position, (value, c)) in values.iter_mut().zip(chars).enumerate() {
            *value = alphabet_value(c).ok_or(CreditCodeError::BadCharacter {
                position: position + 1,
                found: c,
            })?;
        }
        for (position, c) in chars.iter().enumerate().take(8).skip(2) {
            if !c.is_ascii_digit() {
                return Err(CreditCodeError::RegionNotDigits {
                    position: position + 1,
                    found: *c,
                });
            }
        }

        let (body, _) = values.split_at(17);
        let expected = check_character(body);
        if chars[17] != expected {
            return Err(CreditCodeError::CheckMismatch {
                expected,
                found: chars[17],
            });
        }
        let org_body: [char; 8] = [
            chars[8], chars[9], chars[10], chars[11], chars[12], chars[13], chars[14], chars[15],
        ];
        let expected_org = org_code_check_character(&org_body);
        if chars[16] != expected_org {
            return Err(CreditCodeError::OrgCodeCheckMismatch {
                expected: expected_org,
                found: chars[16],
            });
        }

        Ok(Self {
            canonical: chars.iter().collect(),
        })
    }

    /// The full 18 characters.
    pub fn as_str(&self) -> &str {
        &self.canonical
    }

    /// 登记管理部门代码: `1` 机构编制, `5` 民政, `9` 工商/市场监管, `Y` other authorities, ….
    pub fn registration_authority(&self) -> char {
        self.char_at(0)
    }

    /// 机构类别代码, meaningful together with the registration authority (see [`Self::kind_zh`]).
    pub fn org_type(&self) -> char {
        self.char_at(1)
    }

    /// The 6-digit region code (GB/T 2260) of the registering office.
    pub fn region_code(&self) -> &str {
        self.canonical.get(2..8).unwrap_or_default()
    }

    /// The 9-character organisation code (组织机构代码 / 主体标识码), its own check character included.
    pub fn org_code(&self) -> &str {
        self.canonical.get(8..17).unwrap_or_default()
    }

    /// The kind of entity for the authority/type pairs fixed by GB 32100; `None` for the others,
    /// whose meaning each registering authority defines.
    pub fn kind_zh(&self) -> Option<&'static str> {
        Some(match (self.registration_authority(), self.org_type()) {
            ('1', '1') => "机关",
            ('1', '2') => "事业单位",
            ('1', '3') => "中央编办直接管理机构编制的群众团体",
            ('5', '1') => "社会团体",
            ('5', '2') => "民办非企业单位",
            ('5', '3') => "基金会",
            ('9', '1') => "企业",
            ('9', '2') => "个体工商户",
            ('9', '3') => "农民专业合作社",
            _ => return None,
        })
    }

    /// First 8 characters (authority, type, region: public facts about the registering office)
    /// and the last 4, with characters 9–14 of the organisation code hidden:
    /// `91330106******123X`. A sole trader's (个体工商户) code identifies a natural person, so
    /// lists treat every credit code alike.
    pub fn masked(&self) -> String {
        let head = self.canonical.get(..8).unwrap_or_default();
        let tail = self.canonical.get(14..).unwrap_or_default();
        format!("{head}******{tail}")
    }

    fn char_at(&self, index: usize) -> char {
        self.canonical
            .as_bytes()
            .get(index)
            .map_or('0', |b| char::from(*b))
    }
}

string_identifier_impls!(CreditCode, CreditCodeError);

fn alphabet_value(c: char) -> Option<u8> {
    let byte = u8::try_from(c).ok()?;
    ALPHABET
        .iter()
        .position(|a| *a == byte)
        .and_then(|index| u8::try_from(index).ok())
}

/// The GB 32100 check character of the first 17 character values: 31 − (Σ value·weight mod 31),
/// where 31 becomes 0.
pub(crate) fn check_character(values: &[u8]) -> char {
    let sum: u32 = values
        .iter()
        .zip(WEIGHTS)
        .map(|(v, w)| u32::from(*v) * w)
        .sum();
    let index = usize::try_from((31 - sum % 31) % 31).unwrap_or(0);
    ALPHABET.get(index).map_or('0', |b| char::from(*b))
}

/// The GB 11714 check character of an organisation code's 8 body characters: digits count their
/// value, letters A–Z count 10–35; 11 − (Σ value·weight mod 11), where 10 becomes `X` and 11 `0`.
pub(crate) fn org_code_check_character(body: &[char; 8]) -> char {
    let sum: u32 = body
        .iter()
        .zip(ORG_CODE_WEIGHTS)
        .map(|(c, w)| c.to_digit(36).unwrap_or(0) * w)
        .sum();
    match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        digit => char::from_digit(digit, 10).unwrap_or('0'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Codes published in the national enterprise credit register (公示系统): 腾讯科技(深圳)有限公司
    /// and 深圳市腾讯计算机系统有限公司, a Guangdong 事业单位 and a Shanxi 个体工商户.
    const PUBLISHED: [&str; 4] = [
        "9144030071526726XG",
        "91440300708461136T",
        "12440600MB2C07549J",
        "92141127MA0KD1Y64A",
    ];

    /// Builds a valid code from 16 characters with our own two check computations.
    fn complete(first16: &str) -> String {
        let chars: Vec<char> = first16.chars().collect();
        let org_body: [char; 8] = chars[8..16].try_into().unwrap();
        let mut with_org = first16.to_owned();
        with_org.push(org_code_check_character(&org_body));
        let values: Vec<u8> = with_org
            .chars()
            .map(|c| alphabet_value(c).unwrap())
            .collect();
        with_org.push(check_character(&values));
        with_org
    }

    #[test]
    fn accepts_published_codes() {
        for code in PUBLISHED {
            let parsed = CreditCode::parse(code).unwrap();
            assert_eq!(parsed.as_str(), code);
        }
    }

    #[test]
    fn hand_worked_example() {
        // 腾讯科技: org code 71526726 → 7·3+1·7+5·9+2·10+6·5+7·8+2·4+6·2 = 199, 199 mod 11 = 1,
        // 11 − 1 = 10 → X. Full check: Σ over 9144030071526726X = 1782, 1782 mod 31 = 15,
        // 31 − 15 = 16 → G.
        let body: [char; 8] = ['7', '1', '5', '2', '6', '7', '2', '6'];
        assert_eq!(org_code_check_character(&body), 'X');
        let values: Vec<u8> = "9144030071526726X"
            .chars()
            .map(|c| alphabet_value(c).unwrap())
            .collect();
        let sum: u32 = values
            .iter()
            .zip(WEIGHTS)
            .map(|(v, w)| u32::from(*v) * w)
            .sum();
        assert_eq!(sum, 1782);
        assert_eq!(check_character(&values), 'G');
    }

    #[test]
    fn computed_examples_expose_their_parts() {
        let code = complete("91330102MA2H3K7Q");
        let parsed = CreditCode::parse(&code).unwrap();
        assert_eq!(parsed.registration_authority(), '9');
        assert_eq!(parsed.org_type(), '1');
        assert_eq!(parsed.kind_zh(), Some("企业"));
        assert_eq!(parsed.region_code(), "330102");
        assert_eq!(parsed.org_code(), &code[8..17]);
        let social_group = CreditCode::parse(&complete("51330100MJ8D2C4R")).unwrap();
        assert_eq!(social_group.kind_zh(), Some("社会团体"));
        let other = CreditCode::parse(&complete("Y1330100MA2B3C4D")).unwrap();
        assert_eq!(other.kind_zh(), None);
    }

    #[test]
    fn normalises_case_whitespace_and_full_width() {
        let parsed = CreditCode::parse(" 9144030071526726xg\t").unwrap();
        assert_eq!(parsed.as_str(), "9144030071526726XG");
        let full_width = CreditCode::parse("９１４４０３００７１５２６７２６ＸＧ").unwrap();
        assert_eq!(full_width, parsed);
    }

    #[test]
    fn errors_name_the_exact_problem() {
        assert_eq!(
            CreditCode::parse("9144030071526726X"),
            Err(CreditCodeError::WrongLength { found: 17 })
        );
        assert_eq!(
            CreditCode::parse("9144030O71526726XG"),
            Err(CreditCodeError::BadCharacter {
                position: 8,
                found: 'O'
            })
        );
        assert_eq!(
            CreditCode::parse("91440A0071526726XG"),
            Err(CreditCodeError::RegionNotDigits {
                position: 6,
                found: 'A'
            })
        );
        assert_eq!(
            CreditCode::parse("9144030071526726XH"),
            Err(CreditCodeError::CheckMismatch {
                expected: 'G',
                found: 'H'
            })
        );
        // A legacy Xiamen code that fails the mod-31 check.
        assert_eq!(
            CreditCode::parse("91350203M0001QKT19"),
            Err(CreditCodeError::CheckMismatch {
                expected: 'F',
                found: '9'
            })
        );
    }

    #[test]
    fn organisation_code_check_is_enforced() {
        // Valid mod-31 check over a wrong organisation-code check character.
        let mut text = "9144030071526726".to_owned();
        text.push('1');
        let values: Vec<u8> = text.chars().map(|c| alphabet_value(c).unwrap()).collect();
        text.push(check_character(&values));
        assert_eq!(
            CreditCode::parse(&text),
            Err(CreditCodeError::OrgCodeCheckMismatch {
                expected: 'X',
                found: '1'
            })
        );
    }

    #[test]
    fn masked_debug_and_serde() {
        let code = CreditCode::parse("9144030071526726XG").unwrap();
        assert_eq!(code.masked(), "91440300******26XG");
        assert_eq!(format!("{code:?}"), "CreditCode(91440300******26XG)");
        assert_eq!(code.to_string(), "9144030071526726XG");
        let json = serde_json::to_string(&code).unwrap();
        assert_eq!(json, "\"9144030071526726XG\"");
        assert_eq!(serde_json::from_str::<CreditCode>(&json).unwrap(), code);
        let err = serde_json::from_str::<CreditCode>("\"9144030071526726XH\"").unwrap_err();
        assert!(err.to_string().contains("should be `G`"), "{err}");
    }

    fn alphabet_char() -> impl Strategy<Value = char> {
        (0usize..31).prop_map(|i| char::from(ALPHABET[i]))
    }

    fn valid_code() -> impl Strategy<Value = String> {
        (
            proptest::collection::vec(alphabet_char(), 2),
            100_000u32..=999_999,
            proptest::collection::vec(alphabet_char(), 8),
        )
            .prop_map(|(head, region, org)| {
                let first16: String = head
                    .into_iter()
                    .chain(region.to_string().chars())
                    .chain(org)
                    .collect();
                complete(&first16)
            })
    }

    proptest! {
        #[test]
        fn any_completed_code_parses(code in valid_code()) {
            let parsed = CreditCode::parse(&code).unwrap();
            prop_assert_eq!(parsed.as_str(), code.as_str());
            let lower = CreditCode::parse(&code.to_lowercase()).unwrap();
            prop_assert_eq!(lower, parsed);
        }

        #[test]
        fn every_single_character_change_is_rejected(code in valid_code()) {
            for position in 0..18 {
                for replacement in ALPHABET.iter().map(|b| char::from(*b)) {
                    let mut chars: Vec<char> = code.chars().collect();
                    if chars[position] == replacement {
                        continue;
                    }
                    chars[position] = replacement;
                    let changed: String = chars.into_iter().collect();
                    prop_assert!(CreditCode::parse(&changed).is_err(), "accepted {}", changed);
                }
            }
        }

        #[test]
        fn masked_never_shows_characters_9_to_14(code in valid_code()) {
            let parsed = CreditCode::parse(&code).unwrap();
            let masked = parsed.masked();
            prop_assert_eq!(&masked[..8], &code[..8]);
            prop_assert_eq!(&masked[8..14], "******");
            prop_assert_eq!(&masked[14..], &code[14..]);
        }

        #[test]
        fn serde_round_trips(code in valid_code()) {
            let parsed = CreditCode::parse(&code).unwrap();
            let back: CreditCode = serde_json::from_str(&serde_json::to_string(&parsed).unwrap()).unwrap();
            prop_assert_eq!(back, parsed);
        }
    }
}
