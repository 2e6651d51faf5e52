//! Evaluating a rule's conditions against case facts, in words a caseworker can read.

use super::RuleConditions;
use super::resolve::region_segments;
use crate::dispute::taxonomy::{default_dispute_types, type_name_zh};
use crate::dispute::{CaseFacts, Channel};

/// The clauses that held (for the explanation), or the first one that did not.
pub(super) fn check(conditions: &RuleConditions, facts: &CaseFacts) -> Result<Vec<String>, String> {
    let types = default_dispute_types();
    let type_name = |code: &str| type_name_zh(&types, code).to_owned();
    let mut held = Vec::new();

    if !conditions.dispute_types.is_empty() {
        let case_type = type_name(&facts.dispute_type);
        if conditions.dispute_types.contains(&facts.dispute_type) {
            held.push(format!("类型={case_type}"));
        } else {
            let wanted: Vec<String> = conditions
                .dispute_types
                .iter()
                .map(|c| type_name(c))
                .collect();
            return Err(format!("类型 {case_type} 不在 {} 之列", wanted.join("、")));
        }
    }

    if !conditions.region_prefixes.is_empty() {
        match conditions
            .region_prefixes
            .iter()
            .find(|prefix| region_lies_under(facts, prefix))
        {
            Some(prefix) => held.push(format!("地区在 {prefix} 之下")),
            None => {
                return Err(format!(
                    "地区 {} 不在 {} 之下",
                    facts.region_path,
                    conditions.region_prefixes.join("、")
                ));
            }
        }
    }

    let amount = format_yuan(facts.amount_fen);
    if let Some(min) = conditions.min_amount_fen {
        if facts.amount_fen < min {
            return Err(format!("金额 {amount} < {}", format_yuan(min)));
        }
        held.push(format!("金额 {amount} ≥ {}", format_yuan(min)));
    }
    if let Some(max) = conditions.max_amount_fen {
        if facts.amount_fen > max {
            return Err(format!("金额 {amount} > {}", format_yuan(max)));
        }
        held.push(format!("金额 {amount} ≤ {}", format_yuan(max)));
    }

    let applicants = facts.applicant_count;
    if let Some(min) = conditions.min_applicants {
        if applicants < min {
            return Err(format!("申请人 {applicants} 人 < {min}"));
        }
        held.push(format!("申请人 {applicants} 人 ≥ {min}"));
    }
    if let Some(max) = conditions.max_applicants {
        if applicants > max {
            return Err(format!("申请人 {applicants} 人 > {max}"));
        }
        held.push(format!("申请人 {applicants} 人 ≤ {max}"));
    }

    if !conditions.any_flags.is_empty() {
        match conditions
            .any_flags
            .iter()
            .find(|flag| facts.flags.contains(flag))
        {
            Some(flag) => held.push(format!("标记含「{}」", flag_label_zh(flag))),
            None => {
                return Err(format!(
                    "没有{}中的任一标记",
                    quoted_flags(&conditions.any_flags)
                ));
            }
        }
    }
    if let Some(flag) = conditions
        .without_flags
        .iter()
        .find(|flag| facts.flags.contains(flag))
    {
        return Err(format!("带有排除标记「{}」", flag_label_zh(flag)));
    }
    if !conditions.without_flags.is_empty() {
        held.push(format!("无{}标记", quoted_flags(&conditions.without_flags)));
    }

    if !conditions.channels.is_empty() {
        let channel = channel_label_zh(facts.channel);
        if !conditions.channels.contains(&facts.channel) {
            let wanted: Vec<&str> = conditions
                .channels
                .iter()
                .map(|c| channel_label_zh(*c))
                .collect();
            return Err(format!("渠道 {channel} 不在 {} 之列", wanted.join("、")));
        }
        held.push(format!("渠道={channel}"));
    }
    Ok(held)
}

/// Whether the case region is, or lies under, a region given as a path (`/339900/339902/`) or a
/// bare code (`339902`).
fn region_lies_under(facts: &CaseFacts, prefix: &str) -> bool {
    let case = region_segments(&facts.region_path);
    if prefix.contains('/') {
        let wanted = region_segments(prefix);
        !wanted.is_empty() && case.starts_with(&wanted)
    } else {
        !prefix.is_empty() && case.contains(&prefix)
    }
}

fn quoted_flags(flags: &[String]) -> String {
    flags
        .iter()
        .map(|flag| format!("「{}」", flag_label_zh(flag)))
        .collect()
}

/// The Chinese label of the risk flags intake sets; unknown flags show as their code.
pub(super) fn flag_label_zh(flag: &str) -> &str {
    match flag {
        "mass" => "涉众",
        "complex" => "疑难复杂",
        "violence_risk" => "有暴力风险",
        "vulnerable_party" => "涉弱势群体",
        "extreme_risk" => "有极端行为风险",
        "repeat" => "重复信访/反复纠纷",
        other => other,
    }
}

pub(super) fn channel_label_zh(channel: Channel) -> &'static str {
    match channel {
        Channel::Window => "窗口受理",
        Channel::Online => "网上自助",
        Channel::GridWorker => "网格员上报",
        Channel::Hotline12345 => "12345热线转办",
        Channel::CourtDiversion => "法院诉前分流",
        Channel::Open311 => "Open311接口",
        Channel::BulkImport => "批量导入",
    }
}

/// Fen as yuan with thousands separators: `1,000,000元`, `12.50元`.
pub(super) fn format_yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    let (yuan, cents) = (abs / 100, abs % 100);
    let digits = yuan.to_string();
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if cents == 0 {
        format!("{sign}{grouped}元")
    } else {
        format!("{sign}{grouped}.{cents:02}元")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> CaseFacts {
        CaseFacts {
            dispute_type: "labour".to_owned(),
            region_code: "339902001001".to_owned(),
            region_path: "/339900/339902/339902001/339902001001/".to_owned(),
            amount_fen: 123_456_700,
            applicant_count: 89,
            flags: vec!["mass".to_owned()],
            channel: Channel::Window,
        }
    }

    #[test]
    fn formats_yuan() {
        assert_eq!(format_yuan(0), "0元");
        assert_eq!(format_yuan(1_250), "12.50元");
        assert_eq!(format_yuan(100_000_000), "1,000,000元");
        assert_eq!(format_yuan(-5), "-0.05元");
        assert_eq!(format_yuan(i64::MIN), "-92,233,720,368,547,758.08元");
    }

    #[test]
    fn every_held_clause_is_reported() {
        let conditions = RuleConditions {
            dispute_types: vec!["labour".to_owned()],
            region_prefixes: vec!["339902".to_owned()],
            min_amount_fen: Some(100_000_000),
            max_amount_fen: None,
            min_applicants: Some(10),
            max_applicants: Some(100),
            any_flags: vec!["mass".to_owned()],
            without_flags: vec!["complex".to_owned()],
            channels: vec![Channel::Window],
        };
        assert_eq!(
            check(&conditions, &facts()).unwrap(),
            [
                "类型=劳动争议/欠薪",
                "地区在 339902 之下",
                "金额 1,234,567元 ≥ 1,000,000元",
                "申请人 89 人 ≥ 10",
                "申请人 89 人 ≤ 100",
                "标记含「涉众」",
                "无「疑难复杂」标记",
                "渠道=窗口受理",
            ]
        );
    }

    #[test]
    fn first_failing_clause_is_named() {
        let fail = |conditions: RuleConditions| check(&conditions, &facts()).unwrap_err();
        assert_eq!(
            fail(RuleConditions {
                dispute_types: vec!["family".to_owned(), "neighbour".to_owned()],
                ..RuleConditions::default()
            }),
            "类型 劳动争议/欠薪 不在 婚姻家庭、邻里 之列"
        );
        assert_eq!(
            fail(RuleConditions {
                region_prefixes: vec!["/339900/339902/339902002/".to_owned()],
                ..RuleConditions::default()
            }),
            "地区 /339900/339902/339902001/339902001001/ 不在 /339900/339902/339902002/ 之下"
        );
        assert_eq!(
            fail(RuleConditions {
                max_amount_fen: Some(5_000_000),
                ..RuleConditions::default()
            }),
            "金额 1,234,567元 > 50,000元"
        );
        assert_eq!(
            fail(RuleConditions {
                max_applicants: Some(9),
                ..RuleConditions::default()
            }),
            "申请人 89 人 > 9"
        );
        assert_eq!(
            fail(RuleConditions {
                any_flags: vec!["complex".to_owned()],
                ..RuleConditions::default()
            }),
            "没有「疑难复杂」中的任一标记"
        );
        assert_eq!(
            fail(RuleConditions {
                without_flags: vec!["mass".to_owned()],
                ..RuleConditions::default()
            }),
            "带有排除标记「涉众」"
        );
        assert_eq!(
            fail(RuleConditions {
                channels: vec![Channel::Online, Channel::Hotline12345],
                ..RuleConditions::default()
            }),
            "渠道 窗口受理 不在 网上自助、12345热线转办 之列"
        );
    }

    #[test]
    fn region_prefix_by_path_or_code() {
        let f = facts();
        assert!(region_lies_under(&f, "/339900/339902/"));
        assert!(region_lies_under(&f, "339902001001"));
        assert!(region_lies_under(
            &f,
            "/339900/339902/339902001/339902001001/"
        ));
        assert!(!region_lies_under(
            &f,
            "/339900/339902/339902001/339902001001/1/"
        ));
        assert!(!region_lies_under(&f, "3399"));
        assert!(!region_lies_under(&f, ""));
        assert!(!region_lies_under(&f, "/"));
    }

    #[test]
    fn empty_conditions_hold_with_no_clauses() {
        assert_eq!(check(&RuleConditions::default(), &facts()), Ok(vec![]));
    }
}
