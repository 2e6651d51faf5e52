//! 街乡吹哨、部门报到 — a street raises a matter several departments must answer; each reports in
//! (报到) within the summons clock and then answers in writing.

use serde::{Deserialize, Serialize};

/// The clock (an internal target) each summoned department's report-in runs on.
pub const SUMMONS_CLOCK: &str = "summons_report";

/// What a summoned department does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum SummonsAnswer {
    /// 报到: the department has taken note and is on its way.
    Report,
    /// 答复: what the department did or will do.
    Answer { text: String },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SummonsError {
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
}

/// Checks a new summons: a title, a description and at least two distinct departments (one
/// department is an ordinary dispatch, not a summons).
pub fn check_summons(
    title: &str,
    description: &str,
    department_ids: &[String],
) -> Result<(), SummonsError> {
    let invalid = |field, reason: &str| SummonsError::Invalid {
        field,
        reason: reason.to_owned(),
    };
    if title.trim().is_empty() {
        return Err(invalid("title", "不能为空"));
    }
    if title.chars().count() > 100 {
        return Err(invalid("title", "不能超过 100 字"));
    }
    if description.trim().is_empty() {
        return Err(invalid("description", "不能为空"));
    }
    let mut distinct: Vec<&String> = department_ids.iter().collect();
    distinct.sort();
    distinct.dedup();
    if distinct.len() != department_ids.len() {
        return Err(invalid("department_ids", "同一部门不能重复吹哨"));
    }
    if distinct.len() < 2 {
        return Err(invalid(
            "department_ids",
            "吹哨须召集至少两个部门；单一部门请直接派遣",
        ));
    }
    if distinct.len() > 20 {
        return Err(invalid("department_ids", "一次最多召集 20 个部门"));
    }
    Ok(())
}
