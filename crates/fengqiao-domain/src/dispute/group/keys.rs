//! Matching keys for group detection: respondent-name and site-name normalisation, and the
//! respondent / group keys that filings are compared by.
//!
//! The rule is "fold spelling, keep meaning". Two spellings of one registered name must meet;
//! two different registered names must not. Folded: character width, letter case, whitespace,
//! punctuation and brackets (so `（集团）`, `(集团)` and `集团` meet), and the two spellings of the
//! same legal form, `有限责任公司` ≡ `有限公司` (Company Law art. 3 calls both the same form).
//! Kept: everything else, deliberately including
//! - the region designator: `临江市宏达…` and `临江宏达…` stay apart. Telling a region prefix from
//!   a trade name (`城市建设…` starts with `城市`) needs a gazetteer this pure function does not
//!   have, and a wrong merge is worse than a missed one: it names an innocent company in a mass
//!   alert, while a missed merge heals as soon as a credit code is entered;
//! - `集团` itself and `股份有限公司`: a group parent, its operating company and a joint-stock
//!   company are distinct registrations that can share a trade name;
//! - `分公司` and anything after it: a branch is its own respondent in a filing.

use crate::identifiers::{CreditCode, fold_full_width};
use serde::{Deserialize, Serialize};

/// The two registered spellings of the limited-liability form, long one first.
const LEGAL_FORM_SPELLINGS: [(&str, &str); 1] = [("有限责任公司", "有限公司")];

/// Generic words people append to a site name; `临江新城二期项目` and `临江新城二期工地` are one
/// place. Longest first so `项目工地` is stripped whole.
const SITE_SUFFIXES: [&str; 6] = ["施工现场", "施工工地", "项目工地", "项目部", "工地", "项目"];

/// A site name is only shortened while at least this many characters remain, so `A项目` is not
/// reduced to a bare letter that would meet every other `A…`.
const MIN_SITE_CHARS: usize = 2;

/// Folds the spelling of a name: full-width → half-width, ASCII upper case, whitespace,
/// punctuation, brackets and control characters removed. Idempotent.
fn fold_spelling(raw: &str) -> String {
    raw.chars()
        .map(|c| fold_full_width(c).to_ascii_uppercase())
        .filter(|c| !is_separator(*c))
        .collect()
}

/// Characters that carry no identity in a name: whitespace, punctuation, brackets, quotes, dots.
/// CJK letters that live in punctuation blocks (`々`, `〇`, `〆`) are kept.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || c.is_ascii_punctuation()
        || matches!(
            c,
            '\u{00B7}'                     // · middle dot (外国人名, 品牌名)
            | '\u{2000}'..='\u{206F}'      // general punctuation: dashes, ‘’“”, •, …, zero-width marks
            | '\u{3001}'..='\u{3003}'      // 、。〃
            | '\u{3008}'..='\u{3011}'      // 〈〉《》「」『』【】
            | '\u{3013}'..='\u{301F}'      // 〓〔〕〖〗〘〙〚〛〜〝〞〟
            | '\u{30FB}'                   // ・ katakana middle dot
            | '\u{FE10}'..='\u{FE1F}'      // vertical punctuation forms
            | '\u{FE30}'..='\u{FE6B}'      // CJK compatibility and small punctuation forms
            | '\u{FEFF}'                   // byte-order mark pasted from spreadsheets
            | '\u{FF5F}'..='\u{FF65}' // half-width CJK brackets and dots
        )
}

/// Normalises an entity name for matching respondents (see the module doc for what is folded
/// and what is deliberately kept).
///
/// `" 临江市宏达建筑劳务（集团）有限责任公司 "` → `"临江市宏达建筑劳务集团有限公司"`.
pub fn normalise_respondent_name(raw: &str) -> String {
    let mut name = fold_spelling(raw);
    for (long, short) in LEGAL_FORM_SPELLINGS {
        // Replacing cannot create a new occurrence, but looping keeps idempotence obvious.
        while name.contains(long) {
            name = name.replace(long, short);
        }
    }
    name
}

/// Normalises a project or site name: the same spelling folding as respondent names, then
/// generic trailing words (`项目`, `工地`, `项目部`, `施工现场` …) removed while at least two
/// characters remain. Idempotent.
pub fn normalise_site(raw: &str) -> String {
    let mut site = fold_spelling(raw);
    while let Some(shorter) = SITE_SUFFIXES.iter().find_map(|suffix| {
        site.strip_suffix(suffix)
            .filter(|rest| rest.chars().count() >= MIN_SITE_CHARS)
            .map(str::to_owned)
    }) {
        site = shorter;
    }
    site
}

/// The site key of a filing: the normalised site name, or `None` when nothing identifying is
/// left (an empty or punctuation-only site must not group every site-less filing together).
pub fn site_key(raw: Option<&str>) -> Option<String> {
    raw.map(normalise_site).filter(|site| !site.is_empty())
}

/// Who a filing is against, as far as grouping is concerned.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RespondentKey {
    /// A valid unified social credit code, canonical upper case: matches across name spellings.
    CreditCode(String),
    /// The name normalised by [`normalise_respondent_name`], used when no valid code is known.
    Name(String),
}

impl RespondentKey {
    /// The credit code when it parses (GB 32100 check included; spaces and hyphens pasted into
    /// it are ignored), else the normalised name. An invalid code is ignored rather than
    /// trusted: a typo must not split or merge groups.
    pub fn new(name: &str, credit_code: Option<&str>) -> Self {
        match credit_code.map(parse_loose_credit_code) {
            Some(Ok(code)) => Self::CreditCode(code.as_str().to_owned()),
            _ => Self::Name(normalise_respondent_name(name)),
        }
    }

    /// The same key with its text normalised again, so a key built by hand (or by an older
    /// version of the rules) still compares equal to one built by [`RespondentKey::new`].
    pub fn canonical(&self) -> Self {
        match self {
            Self::CreditCode(code) => match parse_loose_credit_code(code) {
                Ok(parsed) => Self::CreditCode(parsed.as_str().to_owned()),
                Err(_) => Self::CreditCode(fold_spelling(code)),
            },
            Self::Name(name) => Self::Name(normalise_respondent_name(name)),
        }
    }

    /// Whether the key names anyone: an empty name must never group unrelated filings.
    pub fn is_identifying(&self) -> bool {
        match self {
            Self::CreditCode(text) | Self::Name(text) => !text.is_empty(),
        }
    }
}

/// Parses a credit code typed with grouping spaces or hyphens (`9144 0300 …`, `91440300-…`).
fn parse_loose_credit_code(raw: &str) -> Result<CreditCode, crate::identifiers::CreditCodeError> {
    let compact: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{FF0D}'))
        .collect();
    CreditCode::parse(&compact)
}

/// What a group of filings shares: the respondent, or the project/site.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GroupKey {
    Respondent(RespondentKey),
    /// Normalised site name ([`normalise_site`]).
    Site(String),
}

impl GroupKey {
    /// A flat, stable string for the store's "one open alert per key" uniqueness constraint:
    /// `respondent:credit_code:…`, `respondent:name:…` or `site:…`.
    pub fn storage_key(&self) -> String {
        match self {
            Self::Respondent(RespondentKey::CreditCode(code)) => {
                format!("respondent:credit_code:{code}")
            }
            Self::Respondent(RespondentKey::Name(name)) => format!("respondent:name:{name}"),
            Self::Site(site) => format!("site:{site}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BASE: &str = "临江市宏达建筑劳务有限公司";

    #[test]
    fn spelling_variants_of_one_name_meet() {
        for variant in [
            "临江市宏达建筑劳务有限公司",
            " 临江市 宏达建筑劳务有限公司 ",
            "临江市\u{3000}宏达建筑劳务有限公司",
            "临江市宏达建筑劳务有限责任公司",
            "“临江市宏达建筑劳务有限公司”",
            "临江市宏达建筑劳务有限公司。",
            "临江市·宏达建筑劳务有限公司\u{200B}",
            "【临江市】宏达建筑劳务有限公司",
        ] {
            assert_eq!(normalise_respondent_name(variant), BASE, "{variant}");
        }
    }

    #[test]
    fn brackets_and_width_fold_but_group_marker_is_kept() {
        let expected = "临江市宏达建筑劳务集团有限公司";
        assert_eq!(
            normalise_respondent_name("临江市宏达建筑劳务（集团）有限公司"),
            expected
        );
        assert_eq!(
            normalise_respondent_name("临江市宏达建筑劳务(集团)有限责任公司"),
            expected
        );
        assert_eq!(
            normalise_respondent_name("临江市宏达建筑劳务集团有限公司"),
            expected
        );
        // The group parent is not its operating company.
        assert_ne!(normalise_respondent_name(expected), BASE);
    }

    #[test]
    fn full_width_latin_and_digits_fold_to_upper_ascii() {
        assert_eq!(
            normalise_respondent_name("ＡＢＣ　建设（浙江）有限公司"),
            "ABC建设浙江有限公司"
        );
        assert_eq!(
            normalise_respondent_name("abc建设(浙江)有限公司"),
            "ABC建设浙江有限公司"
        );
        assert_eq!(normalise_respondent_name("第１２３号"), "第123号");
    }

    #[test]
    fn meaning_is_not_folded() {
        // Region designator, joint-stock form, a different trade name and a branch all stay apart.
        assert_eq!(
            normalise_respondent_name("临江宏达建筑劳务有限公司"),
            "临江宏达建筑劳务有限公司"
        );
        assert_ne!(normalise_respondent_name("临江宏达建筑劳务有限公司"), BASE);
        assert_eq!(
            normalise_respondent_name("临江市宏达建筑劳务股份有限公司"),
            "临江市宏达建筑劳务股份有限公司"
        );
        assert_ne!(
            normalise_respondent_name("临江市宏远建筑劳务有限公司"),
            BASE
        );
        assert_eq!(
            normalise_respondent_name("临江市宏达建筑劳务有限公司 淳安分公司"),
            "临江市宏达建筑劳务有限公司淳安分公司"
        );
        // CJK letters from the punctuation block survive.
        assert_eq!(normalise_respondent_name("〇六一厂"), "〇六一厂");
    }

    #[test]
    fn site_names_drop_generic_suffixes_only() {
        for variant in [
            "临江新城二期（A区）",
            "临江新城 二期 (a区) 工地",
            "临江新城二期A区项目",
            "临江新城二期A区项目部",
            "临江新城二期Ａ区施工现场",
            "临江新城二期A区工地项目",
        ] {
            assert_eq!(normalise_site(variant), "临江新城二期A区", "{variant}");
        }
        assert_eq!(normalise_site("A项目"), "A项目");
        assert_ne!(
            normalise_site("临江新城二期B区"),
            normalise_site("临江新城二期A区")
        );
        assert_eq!(site_key(Some(" （） ")), None);
        assert_eq!(site_key(None), None);
        assert_eq!(site_key(Some("滨江花园工地")), Some("滨江花园".to_owned()));
    }

    #[test]
    fn respondent_key_prefers_a_valid_credit_code() {
        assert_eq!(
            RespondentKey::new("宏达", Some(" 9144030071526726xg ")),
            RespondentKey::CreditCode("9144030071526726XG".to_owned())
        );
        assert_eq!(
            RespondentKey::new("宏达", Some("91440300-71526726XG")),
            RespondentKey::CreditCode("9144030071526726XG".to_owned())
        );
        // A code with a wrong check character is ignored, not trusted.
        assert_eq!(
            RespondentKey::new("临江市宏达建筑劳务有限责任公司", Some("9144030071526726XH")),
            RespondentKey::Name(BASE.to_owned())
        );
        assert_eq!(
            RespondentKey::new("临江市宏达建筑劳务有限公司", None),
            RespondentKey::Name(BASE.to_owned())
        );
        assert!(!RespondentKey::new(" 、 ", None).is_identifying());
        assert_eq!(
            RespondentKey::Name(" 临江市宏达建筑劳务有限责任公司".to_owned()).canonical(),
            RespondentKey::Name(BASE.to_owned())
        );
        assert_eq!(
            RespondentKey::CreditCode("９１４４０３００７１５２６７２６ＸＧ".to_owned())
                .canonical(),
            RespondentKey::CreditCode("9144030071526726XG".to_owned())
        );
    }

    #[test]
    fn group_keys_have_stable_storage_keys_and_json() {
        let by_code = GroupKey::Respondent(RespondentKey::CreditCode("9144030071526726XG".into()));
        assert_eq!(
            by_code.storage_key(),
            "respondent:credit_code:9144030071526726XG"
        );
        assert_eq!(
            GroupKey::Respondent(RespondentKey::Name(BASE.into())).storage_key(),
            format!("respondent:name:{BASE}")
        );
        assert_eq!(
            GroupKey::Site("滨江花园".into()).storage_key(),
            "site:滨江花园"
        );
        assert_eq!(
            serde_json::to_string(&by_code).unwrap(),
            r#"{"respondent":{"credit_code":"9144030071526726XG"}}"#
        );
        assert_eq!(
            serde_json::to_string(&GroupKey::Site("滨江花园".into())).unwrap(),
            r#"{"site":"滨江花园"}"#
        );
    }

    fn name_like() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "临江",
            "市",
            "宏达",
            "有限",
            "责任",
            "公司",
            "有限责任公司",
            "（",
            "）",
            "(",
            ")",
            "集团",
            " ",
            "\u{3000}",
            "Ａ",
            "a",
            "·",
            "项目",
            "工地",
            "项目部",
            "、",
            "〇",
            "1",
        ]);
        prop::collection::vec(pieces, 0..12).prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn normalisation_is_idempotent(raw in name_like()) {
            let name = normalise_respondent_name(&raw);
            prop_assert_eq!(normalise_respondent_name(&name), name.clone());
            prop_assert!(!name.contains("有限责任公司"));
            let site = normalise_site(&raw);
            prop_assert_eq!(normalise_site(&site), site);
        }

        #[test]
        fn normalisation_never_panics_and_drops_all_whitespace(raw in any::<String>()) {
            let name = normalise_respondent_name(&raw);
            prop_assert!(!name.chars().any(char::is_whitespace));
            prop_assert_eq!(normalise_respondent_name(&name), name);
            let site = normalise_site(&raw);
            prop_assert_eq!(normalise_site(&site), site);
        }
    }
}
