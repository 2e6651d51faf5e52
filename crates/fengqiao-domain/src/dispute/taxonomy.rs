//! 纠纷类型 — the dispute taxonomy (DOMAIN §3.1): the default types and the check for admin-added ones.

use crate::org::Specialty;
use crate::validation::{FieldError, Problems};
use serde::{Deserialize, Serialize};

/// Longest accepted type code, in ASCII characters.
pub const MAX_TYPE_CODE_LEN: usize = 40;
/// Longest accepted Chinese type name, in characters.
pub const MAX_TYPE_NAME_LEN: usize = 20;

/// One kind of dispute a case can be registered as.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DisputeType {
    /// Stable ASCII snake_case code (`labour`, `neighbour` …); routing rules refer to it.
    pub code: String,
    /// The name shown to users (`劳动争议/欠薪`).
    pub name_zh: String,
    /// The industry committee (行业性专业性调委会) or department field that fits this type, if any.
    pub specialty: Option<Specialty>,
    /// Id of the legal clock that usually governs handling (an id in
    /// [`crate::clock::default_legal_clocks`]), if one applies.
    pub legal_clock: Option<String>,
    /// Inactive types stay on old cases but are not offered at intake.
    pub active: bool,
}

/// The default taxonomy of DOMAIN §3.1, in its order.
///
/// Clocks: labour disputes run on the 15-day labour mediation limit and medical disputes on the
/// medical-mediation limit; every other type handled by a people's mediation committee runs on the
/// general people's-mediation limit. Consumer disputes are routed to the consumer mediation
/// committee, so they too take the people's-mediation clock — `consumer_complaint` binds the market
/// regulator handling a complaint, not a mediation committee. Land requisition and administrative
/// disputes go to the governance centre, where no single statutory limit applies, so they have none.
pub fn default_dispute_types() -> Vec<DisputeType> {
    use Specialty::*;
    const PEOPLE: Option<&str> = Some("people_mediation");
    let rows: [(&str, &str, Option<Specialty>, Option<&str>); 18] = [
        ("family", "婚姻家庭", Some(Family), PEOPLE),
        ("neighbour", "邻里", None, PEOPLE),
        (
            "labour",
            "劳动争议/欠薪",
            Some(Labour),
            Some("labour_mediation"),
        ),
        ("property", "物业", Some(Property), PEOPLE),
        ("housing_land", "房屋土地", None, PEOPLE),
        ("land_requisition", "征地拆迁", None, None),
        ("contract", "合同", Some(Commercial), PEOPLE),
        ("consumer", "消费", Some(Consumer), PEOPLE),
        ("traffic", "道路交通事故", Some(Traffic), PEOPLE),
        (
            "medical",
            "医疗",
            Some(Medical),
            Some("medical_dispute_mediation"),
        ),
        ("financial_loan", "金融借款", Some(Finance), PEOPLE),
        ("private_lending", "民间借贷", None, PEOPLE),
        (
            "intellectual_property",
            "知识产权",
            Some(IntellectualProperty),
            PEOPLE,
        ),
        ("education", "教育", Some(Education), PEOPLE),
        ("environment", "环境/生态", Some(Environment), PEOPLE),
        ("elevator", "加装电梯", Some(Construction), PEOPLE),
        ("administrative", "行政争议", None, None),
        ("other", "其他", None, PEOPLE),
    ];
    rows.into_iter()
        .map(|(code, name_zh, specialty, legal_clock)| DisputeType {
            code: code.to_owned(),
            name_zh: name_zh.to_owned(),
            specialty,
            legal_clock: legal_clock.map(str::to_owned),
            active: true,
        })
        .collect()
}

/// The Chinese name of a type code among `types`, or the code itself when it is not listed.
pub fn type_name_zh<'a>(types: &'a [DisputeType], code: &'a str) -> &'a str {
    types
        .iter()
        .find(|t| t.code == code)
        .map_or(code, |t| t.name_zh.as_str())
}

/// Whether `code` is ASCII snake_case: a lowercase letter, then lowercase letters, digits and
/// single underscores, not ending in an underscore.
pub fn is_snake_case_code(code: &str) -> bool {
    let bytes = code.as_bytes();
    let Some(first) = bytes.first() else {
        return false;
    };
    first.is_ascii_lowercase()
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_')
        && !code.contains("__")
        && !code.ends_with('_')
}

/// Checks a type an admin adds or edits.
///
/// `others` are the types already registered, leaving out the one being edited (its code must not
/// clash with theirs); `clock_ids` are the ids of the legal clocks the platform knows.
pub fn validate_dispute_type(
    candidate: &DisputeType,
    others: &[DisputeType],
    clock_ids: &[&str],
) -> Result<(), Vec<FieldError>> {
    let mut problems = Problems::default();
    let code = candidate.code.as_str();
    if code.is_empty() {
        problems.push("code", "required", "不能为空");
    } else if code.len() > MAX_TYPE_CODE_LEN {
        problems.push(
            "code",
            "too_long",
            format!("不能超过 {MAX_TYPE_CODE_LEN} 个字符"),
        );
    } else if !is_snake_case_code(code) {
        problems.push(
            "code",
            "bad_format",
            format!("`{code}` 须为小写英文字母开头的 snake_case（字母、数字、下划线）"),
        );
    } else if others.iter().any(|t| t.code == code) {
        problems.push("code", "duplicate", format!("类型代码 `{code}` 已存在"));
    }
    if candidate.name_zh.trim() != candidate.name_zh {
        problems.push("name_zh", "untrimmed", "首尾不能有空白");
    }
    let name = problems.text("name_zh", &candidate.name_zh, MAX_TYPE_NAME_LEN);
    if !name.is_empty() && others.iter().any(|t| t.name_zh == name) {
        problems.push("name_zh", "duplicate", format!("类型名称「{name}」已存在"));
    }
    if let Some(clock) = &candidate.legal_clock
        && !clock_ids.contains(&clock.as_str())
    {
        problems.push(
            "legal_clock",
            "unknown",
            format!("未知的法定时限 `{clock}`"),
        );
    }
    problems.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::default_legal_clocks;
    use std::collections::HashSet;

    fn clock_ids() -> Vec<String> {
        default_legal_clocks().into_iter().map(|c| c.id).collect()
    }

    #[test]
    fn default_taxonomy_is_domain_list_in_order() {
        let names: Vec<String> = default_dispute_types()
            .into_iter()
            .map(|t| t.name_zh)
            .collect();
        assert_eq!(
            names,
            [
                "婚姻家庭",
                "邻里",
                "劳动争议/欠薪",
                "物业",
                "房屋土地",
                "征地拆迁",
                "合同",
                "消费",
                "道路交通事故",
                "医疗",
                "金融借款",
                "民间借贷",
                "知识产权",
                "教育",
                "环境/生态",
                "加装电梯",
                "行政争议",
                "其他"
            ]
        );
    }

    #[test]
    fn default_codes_are_unique_snake_case_and_active() {
        let types = default_dispute_types();
        let codes: HashSet<&str> = types.iter().map(|t| t.code.as_str()).collect();
        assert_eq!(codes.len(), 18);
        for t in &types {
            assert!(is_snake_case_code(&t.code), "{}", t.code);
            assert!(t.active, "{}", t.code);
        }
    }

    #[test]
    fn every_default_clock_exists_and_specialised_types_point_to_theirs() {
        let ids = clock_ids();
        let types = default_dispute_types();
        for t in &types {
            if let Some(clock) = &t.legal_clock {
                assert!(ids.contains(clock), "{} → {clock}", t.code);
            }
        }
        let clock_of = |code: &str| {
            types
                .iter()
                .find(|t| t.code == code)
                .and_then(|t| t.legal_clock.clone())
        };
        assert_eq!(clock_of("labour").as_deref(), Some("labour_mediation"));
        assert_eq!(
            clock_of("medical").as_deref(),
            Some("medical_dispute_mediation")
        );
        assert_eq!(clock_of("neighbour").as_deref(), Some("people_mediation"));
        assert_eq!(clock_of("administrative"), None);
    }

    #[test]
    fn specialties_match_the_industry_committees() {
        let types = default_dispute_types();
        let specialty_of = |code: &str| types.iter().find(|t| t.code == code).unwrap().specialty;
        assert_eq!(specialty_of("labour"), Some(Specialty::Labour));
        assert_eq!(specialty_of("elevator"), Some(Specialty::Construction));
        assert_eq!(specialty_of("contract"), Some(Specialty::Commercial));
        assert_eq!(specialty_of("neighbour"), None);
    }

    #[test]
    fn type_name_falls_back_to_code() {
        let types = default_dispute_types();
        assert_eq!(type_name_zh(&types, "traffic"), "道路交通事故");
        assert_eq!(type_name_zh(&types, "tea_garden"), "tea_garden");
    }

    fn candidate(code: &str, name: &str, clock: Option<&str>) -> DisputeType {
        DisputeType {
            code: code.to_owned(),
            name_zh: name.to_owned(),
            specialty: None,
            legal_clock: clock.map(str::to_owned),
            active: true,
        }
    }

    #[test]
    fn accepts_a_good_admin_type() {
        let ids = clock_ids();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let tea = candidate("tea_garden_2", "茶园承包", Some("people_mediation"));
        assert_eq!(
            validate_dispute_type(&tea, &default_dispute_types(), &ids),
            Ok(())
        );
    }

    #[test]
    fn rejects_bad_codes_names_and_clocks() {
        let others = default_dispute_types();
        let ids = ["people_mediation"];
        let fields = |t: &DisputeType| -> Vec<(String, String)> {
            validate_dispute_type(t, &others, &ids)
                .unwrap_err()
                .into_iter()
                .map(|e| (e.field, e.code))
                .collect()
        };
        let pair = |f: &str, c: &str| (f.to_owned(), c.to_owned());
        assert_eq!(
            fields(&candidate("Tea", "茶园", None)),
            [pair("code", "bad_format")]
        );
        assert_eq!(
            fields(&candidate("tea__garden", "茶园", None)),
            [pair("code", "bad_format")]
        );
        assert_eq!(
            fields(&candidate("9tea", "茶园", None)),
            [pair("code", "bad_format")]
        );
        assert_eq!(
            fields(&candidate("", "茶园", None)),
            [pair("code", "required")]
        );
        assert_eq!(
            fields(&candidate(&"a".repeat(41), "茶园", None)),
            [pair("code", "too_long")]
        );
        assert_eq!(
            fields(&candidate("labour", "欠薪", None)),
            [pair("code", "duplicate")]
        );
        assert_eq!(
            fields(&candidate("tea", "邻里", None)),
            [pair("name_zh", "duplicate")]
        );
        assert_eq!(
            fields(&candidate("tea", &"茶".repeat(21), None)),
            [pair("name_zh", "too_long")]
        );
        assert_eq!(
            fields(&candidate("tea", "", Some("no_such_clock"))),
            [pair("name_zh", "required"), pair("legal_clock", "unknown")]
        );
        assert_eq!(
            fields(&candidate("tea", " 茶园", None)),
            [pair("name_zh", "untrimmed")]
        );
    }
}
