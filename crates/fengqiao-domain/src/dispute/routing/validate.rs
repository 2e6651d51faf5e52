//! Checking a routing rule an admin writes, field by field, before it is saved.

use super::{RoutingRule, TargetLevel};
use crate::dispute::taxonomy::is_snake_case_code;
use crate::region::RegionLevel;
use crate::validation::{FieldError, Problems};

const MAX_RULE_ID_LEN: usize = 64;
const MAX_RULE_NAME_LEN: usize = 60;
const MAX_EXPLANATION_LEN: usize = 500;
const MAX_ROLE_LEN: usize = 20;
/// A case region is at most a grid (depth 5), so nothing lies more than four levels above it.
const MAX_UP_LEVELS: u8 = 4;

/// Checks a rule: its id and texts, that its conditions can hold, that it names only `known_types`,
/// and that each target is a body that can exist at that level.
pub fn validate_rule(rule: &RoutingRule, known_types: &[&str]) -> Result<(), Vec<FieldError>> {
    let mut problems = Problems::default();
    check_id(&mut problems, &rule.id);
    if rule.version == 0 {
        problems.push("version", "out_of_range", "版本号从 1 开始");
    }
    problems.text("name_zh", &rule.name_zh, MAX_RULE_NAME_LEN);
    problems.optional_text("explanation_zh", &rule.explanation_zh, MAX_EXPLANATION_LEN);
    check_conditions(&mut problems, rule, known_types);
    check_targets(&mut problems, rule);
    problems.finish()
}

fn check_id(problems: &mut Problems, id: &str) {
    if id.is_empty() {
        problems.push("id", "required", "不能为空");
    } else if id.len() > MAX_RULE_ID_LEN {
        problems.push(
            "id",
            "too_long",
            format!("不能超过 {MAX_RULE_ID_LEN} 个字符"),
        );
    } else if !is_snake_case_code(id) {
        problems.push(
            "id",
            "bad_format",
            format!("`{id}` 须为小写英文字母开头的 snake_case（字母、数字、下划线）"),
        );
    }
}

fn check_conditions(problems: &mut Problems, rule: &RoutingRule, known_types: &[&str]) {
    let c = &rule.conditions;
    for (i, code) in c.dispute_types.iter().enumerate() {
        if !known_types.contains(&code.as_str()) {
            problems.push(
                &format!("conditions.dispute_types.{i}"),
                "unknown",
                format!("未知的纠纷类型 `{code}`"),
            );
        }
    }
    for (i, prefix) in c.region_prefixes.iter().enumerate() {
        if !is_region_prefix(prefix) {
            problems.push(
                &format!("conditions.region_prefixes.{i}"),
                "bad_format",
                format!("`{prefix}` 须为地区代码（数字）或地区路径（/339900/339902/）"),
            );
        }
    }
    for (field, value) in [
        ("conditions.min_amount_fen", c.min_amount_fen),
        ("conditions.max_amount_fen", c.max_amount_fen),
    ] {
        if value.is_some_and(|fen| fen < 0) {
            problems.push(field, "out_of_range", "金额不能为负");
        }
    }
    if let (Some(min), Some(max)) = (c.min_amount_fen, c.max_amount_fen)
        && min > max
    {
        problems.push(
            "conditions.min_amount_fen",
            "min_above_max",
            format!("最低金额 {min} 分高于最高金额 {max} 分，规则永远不会命中"),
        );
    }
    if let (Some(min), Some(max)) = (c.min_applicants, c.max_applicants)
        && min > max
    {
        problems.push(
            "conditions.min_applicants",
            "min_above_max",
            format!("最少申请人数 {min} 多于最多申请人数 {max}，规则永远不会命中"),
        );
    }
    for (list, flags) in [
        ("any_flags", &c.any_flags),
        ("without_flags", &c.without_flags),
    ] {
        for (i, flag) in flags.iter().enumerate() {
            if !is_snake_case_code(flag) {
                problems.push(
                    &format!("conditions.{list}.{i}"),
                    "bad_format",
                    format!("标记 `{flag}` 须为 snake_case"),
                );
            }
        }
    }
    if !c.any_flags.is_empty()
        && c.any_flags
            .iter()
            .all(|flag| c.without_flags.contains(flag))
    {
        problems.push(
            "conditions.without_flags",
            "contradiction",
            "所需标记全部被排除，规则永远不会命中",
        );
    }
}

fn is_region_prefix(prefix: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(inner) = prefix.strip_prefix('/') {
        let Some(inner) = inner.strip_suffix('/') else {
            return false;
        };
        !inner.is_empty() && inner.split('/').all(digits)
    } else {
        digits(prefix)
    }
}

/// The fixed region level a target level names, when it names one.
fn fixed_level(level: &TargetLevel) -> Option<RegionLevel> {
    match level {
        TargetLevel::CaseCommunity => Some(RegionLevel::Community),
        TargetLevel::CaseStreet => Some(RegionLevel::Street),
        TargetLevel::CaseDistrict => Some(RegionLevel::District),
        TargetLevel::City => Some(RegionLevel::City),
        TargetLevel::Up(_) | TargetLevel::Specific(_) => None,
    }
}

fn check_targets(problems: &mut Problems, rule: &RoutingRule) {
    if rule.targets.is_empty() {
        problems.push("targets", "required", "至少需要一个办理单位");
    }
    for (i, target) in rule.targets.iter().enumerate() {
        let kind = target.kind;
        if kind.needs_specialty() && target.specialty.is_none() {
            problems.push(
                &format!("targets.{i}.specialty"),
                "required",
                format!("{}须指定专业领域", kind.label_zh()),
            );
        }
        if !kind.needs_specialty()
            && target.specialty.is_some()
            && kind != crate::org::OrgKind::MediatorStudio
        {
            problems.push(
                &format!("targets.{i}.specialty"),
                "not_allowed",
                format!("{}没有专业领域", kind.label_zh()),
            );
        }
        if let Some(level) = fixed_level(&target.level)
            && !kind.allowed_levels().contains(&level)
        {
            problems.push(
                &format!("targets.{i}.kind"),
                "level_not_allowed",
                format!("{}不设在{}一级", kind.label_zh(), level.label_zh()),
            );
        }
        match &target.level {
            TargetLevel::Up(n) if *n > MAX_UP_LEVELS => {
                problems.push(
                    &format!("targets.{i}.level"),
                    "out_of_range",
                    format!("最多上溯 {MAX_UP_LEVELS} 级"),
                );
            }
            TargetLevel::Specific(id) if id.trim().is_empty() => {
                problems.push(&format!("targets.{i}.level"), "required", "须指定机构");
            }
            _ => {}
        }
        if let Some(role) = &target.role_zh {
            problems.text(&format!("targets.{i}.role_zh"), role, MAX_ROLE_LEN);
        }
        if rule.targets.iter().take(i).any(|earlier| earlier == target) {
            problems.push(&format!("targets.{i}"), "duplicate", "与前面的办理单位重复");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dispute::routing::{RuleConditions, TargetSpec, default_routing_rules};
    use crate::dispute::taxonomy::default_dispute_types;
    use crate::org::{OrgKind, Specialty};

    fn known() -> Vec<String> {
        default_dispute_types()
            .into_iter()
            .map(|t| t.code)
            .collect()
    }

    fn codes(rule: &RoutingRule) -> Vec<(String, String)> {
        let known = known();
        let known: Vec<&str> = known.iter().map(String::as_str).collect();
        match validate_rule(rule, &known) {
            Ok(()) => vec![],
            Err(errors) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
        }
    }

    fn pair(field: &str, code: &str) -> (String, String) {
        (field.to_owned(), code.to_owned())
    }

    fn rule() -> RoutingRule {
        RoutingRule {
            id: "labour_district".to_owned(),
            version: 1,
            priority: 10,
            name_zh: "劳动争议".to_owned(),
            conditions: RuleConditions {
                dispute_types: vec!["labour".to_owned()],
                ..RuleConditions::default()
            },
            targets: vec![TargetSpec {
                kind: OrgKind::IndustryMediationCommittee,
                specialty: Some(Specialty::Labour),
                level: TargetLevel::CaseDistrict,
                role_zh: None,
            }],
            explanation_zh: String::new(),
            active: true,
        }
    }

    #[test]
    fn every_default_rule_is_valid() {
        for rule in default_routing_rules() {
            assert_eq!(codes(&rule), vec![], "{}", rule.id);
        }
    }

    #[test]
    fn catches_empty_targets() {
        let mut r = rule();
        r.targets.clear();
        assert_eq!(codes(&r), [pair("targets", "required")]);
    }

    #[test]
    fn catches_min_above_max() {
        let mut r = rule();
        r.conditions.min_amount_fen = Some(10);
        r.conditions.max_amount_fen = Some(9);
        r.conditions.min_applicants = Some(5);
        r.conditions.max_applicants = Some(4);
        assert_eq!(
            codes(&r),
            [
                pair("conditions.min_amount_fen", "min_above_max"),
                pair("conditions.min_applicants", "min_above_max")
            ]
        );
        r.conditions.max_amount_fen = Some(10);
        r.conditions.max_applicants = Some(5);
        assert_eq!(codes(&r), vec![]);
    }

    #[test]
    fn catches_unknown_types_and_bad_conditions() {
        let mut r = rule();
        r.conditions.dispute_types = vec!["labour".to_owned(), "tea_garden".to_owned()];
        r.conditions.region_prefixes = vec![
            "/339900/339902/".to_owned(),
            "33a9".to_owned(),
            "/339900".to_owned(),
            "339902".to_owned(),
        ];
        r.conditions.min_amount_fen = Some(-1);
        r.conditions.any_flags = vec!["mass".to_owned()];
        r.conditions.without_flags = vec!["mass".to_owned(), "Bad Flag".to_owned()];
        assert_eq!(
            codes(&r),
            [
                pair("conditions.dispute_types.1", "unknown"),
                pair("conditions.region_prefixes.1", "bad_format"),
                pair("conditions.region_prefixes.2", "bad_format"),
                pair("conditions.min_amount_fen", "out_of_range"),
                pair("conditions.without_flags.1", "bad_format"),
                pair("conditions.without_flags", "contradiction"),
            ]
        );
    }

    #[test]
    fn catches_bad_targets() {
        let mut r = rule();
        let spec = |kind, specialty, level| TargetSpec {
            kind,
            specialty,
            level,
            role_zh: None,
        };
        r.targets = vec![
            spec(
                OrgKind::IndustryMediationCommittee,
                None,
                TargetLevel::CaseCommunity,
            ),
            spec(OrgKind::Court, Some(Specialty::Labour), TargetLevel::Up(5)),
            spec(
                OrgKind::MediatorStudio,
                Some(Specialty::Family),
                TargetLevel::Specific(" ".to_owned()),
            ),
            spec(OrgKind::MediationCommittee, None, TargetLevel::CaseStreet),
            spec(OrgKind::MediationCommittee, None, TargetLevel::CaseStreet),
            TargetSpec {
                role_zh: Some(String::new()),
                ..spec(OrgKind::Court, None, TargetLevel::CaseDistrict)
            },
        ];
        assert_eq!(
            codes(&r),
            [
                pair("targets.0.specialty", "required"),
                pair("targets.0.kind", "level_not_allowed"),
                pair("targets.1.specialty", "not_allowed"),
                pair("targets.1.level", "out_of_range"),
                pair("targets.2.level", "required"),
                pair("targets.4", "duplicate"),
                pair("targets.5.role_zh", "required"),
            ]
        );
    }

    #[test]
    fn catches_bad_id_version_and_name() {
        let mut r = rule();
        r.id = "Labour-1".to_owned();
        r.version = 0;
        r.name_zh = " ".to_owned();
        assert_eq!(
            codes(&r),
            [
                pair("id", "bad_format"),
                pair("version", "out_of_range"),
                pair("name_zh", "required")
            ]
        );
    }
}
