//! 派遣规则 — dispatch rules as data: ordered rules over category and place name the department
//! field; the department is the nearest active one of that field above the event's place.

use crate::org::Specialty;
use serde::{Deserialize, Serialize};

/// One dispatch rule. Rules are tried by ascending priority; the first that matches and finds a
/// department wins, and every rule tried is traced in the explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DispatchRule {
    pub id: String,
    pub priority: i64,
    pub name_zh: String,
    /// Category codes the rule covers; empty covers every category.
    #[serde(default)]
    pub categories: Vec<String>,
    /// Only events whose region path starts with this (`/339900/339902/`); none = everywhere.
    #[serde(default)]
    pub region_prefix: Option<String>,
    /// The department field to send to.
    pub specialty: Specialty,
}

/// A department as the dispatcher sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartmentEntry {
    pub org_id: String,
    pub name: String,
    pub region_path: String,
    pub specialty: Option<Specialty>,
}

/// The suggested department and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DispatchChoice {
    pub rule_id: String,
    pub rule_name: String,
    pub org_id: String,
    pub org_name: String,
    /// One sentence for the dispatcher: which rule matched and which department it gave.
    pub explanation: String,
    /// Every rule tried, in order, with the outcome.
    pub trace: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DispatchError {
    #[error("没有适用于类别 `{category}` 的派遣规则（或规则对应的职能部门不存在）：{trace:?}")]
    NoRule {
        category: String,
        trace: Vec<String>,
    },
}

/// Checks a rule before it is saved; returns (field, reason) problems.
pub fn validate_rule(rule: &DispatchRule) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    if rule.id.trim().is_empty() {
        problems.push(("id", "不能为空".to_owned()));
    }
    if rule.name_zh.trim().is_empty() {
        problems.push(("name_zh", "不能为空".to_owned()));
    }
    if let Some(prefix) = &rule.region_prefix
        && !(prefix.starts_with('/') && prefix.ends_with('/'))
    {
        problems.push((
            "region_prefix",
            "须为以 / 开头和结尾的区域路径，如 /339900/339902/".to_owned(),
        ));
    }
    if rule.categories.iter().any(|c| c.trim().is_empty()) {
        problems.push(("categories", "不能包含空的类别代码".to_owned()));
    }
    problems
}

/// Picks the department for an event of `category` at `region_path`.
pub fn dispatch(
    rules: &[DispatchRule],
    category: &str,
    region_path: &str,
    departments: &[DepartmentEntry],
) -> Result<DispatchChoice, DispatchError> {
    let mut ordered: Vec<&DispatchRule> = rules.iter().collect();
    ordered.sort_by(|a, b| a.priority.cmp(&b.priority).then(a.id.cmp(&b.id)));
    let mut trace = Vec::new();
    for rule in ordered {
        if !rule.categories.is_empty() && !rule.categories.iter().any(|c| c == category) {
            trace.push(format!("{}：类别不符", rule.id));
            continue;
        }
        if let Some(prefix) = &rule.region_prefix
            && !region_path.starts_with(prefix.as_str())
        {
            trace.push(format!("{}：区域不符（限 {prefix}）", rule.id));
            continue;
        }
        // The nearest department of the field: the one whose region is the deepest ancestor.
        let nearest = departments
            .iter()
            .filter(|d| d.specialty == Some(rule.specialty))
            .filter(|d| region_path.starts_with(d.region_path.as_str()))
            .max_by_key(|d| (d.region_path.len(), std::cmp::Reverse(d.org_id.clone())));
        let Some(department) = nearest else {
            trace.push(format!(
                "{}：匹配，但事发地以上没有该领域的职能部门",
                rule.id
            ));
            continue;
        };
        trace.push(format!("{}：匹配 → {}", rule.id, department.name));
        return Ok(DispatchChoice {
            rule_id: rule.id.clone(),
            rule_name: rule.name_zh.clone(),
            org_id: department.org_id.clone(),
            org_name: department.name.clone(),
            explanation: format!(
                "按派遣规则「{}」（{}），类别 {category} 派往事发地所属的 {}",
                rule.name_zh, rule.id, department.name
            ),
            trace,
        });
    }
    Err(DispatchError::NoRule {
        category: category.to_owned(),
        trace,
    })
}

/// One rule per category that names a department field, in the categories' order.
pub fn default_dispatch_rules(categories: &[super::EventCategory]) -> Vec<DispatchRule> {
    categories
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let specialty = c.specialty?;
            Some(DispatchRule {
                id: format!("dispatch_{}", c.code),
                priority: (i as i64 + 1) * 10,
                name_zh: format!("{} → {}", c.name_zh, specialty.label_zh()),
                categories: vec![c.code.clone()],
                region_prefix: None,
                specialty,
            })
        })
        .collect()
}
