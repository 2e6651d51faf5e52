//! 分流 — routing rules as data (DOMAIN §3.2): ordered rules pick the body or bodies for a case and say why.
//!
//! A rule is conditions over the case facts plus target specs (kind, specialty, level). [`route`]
//! tries rules in priority order; the first whose conditions hold and whose every target resolves
//! to an active organisation in the directory wins, and the decision carries the matched rule as
//! its explanation plus a trace of every rule considered. [`escalate_target`] finds the same kind
//! of body one level up for a rejected or unaccepted case.

mod conditions;
mod defaults;
mod resolve;
mod validate;

#[cfg(test)]
mod default_rules_tests;
#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use defaults::default_routing_rules;
pub use resolve::escalate_target;
pub use validate::validate_rule;

use super::{CaseFacts, Channel};
use crate::org::{OrgKind, Specialty};
use crate::region::RegionLevel;
use serde::{Deserialize, Serialize};

/// One organisation as routing sees it: what it is, where it sits, whether it takes cases.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgDirectoryEntry {
    pub id: String,
    pub name: String,
    pub kind: OrgKind,
    pub specialty: Option<Specialty>,
    /// Code of the region the organisation is attached to.
    pub region_code: String,
    /// Materialised path of that region (`/339900/339902/`).
    pub region_path: String,
    pub level: RegionLevel,
    pub active: bool,
}

/// Where, relative to the case, a target body sits.
///
/// Serialised as a plain string for the fixed levels (`"case_street"`, `"city"`) and as a one-key
/// object for the others (`{"up": 1}`, `{"specific": "org-42"}`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetLevel {
    /// The community (社区/村) the case lies in.
    CaseCommunity,
    /// The street or township (街道/乡镇) the case lies in.
    CaseStreet,
    /// The district or county (区县) the case lies in.
    CaseDistrict,
    /// The city (市) the case lies in.
    City,
    /// This many levels above the case region's own level (`Up(0)` is the case region itself).
    Up(u8),
    /// One named organisation, wherever it sits (a market's shared court, a named studio).
    Specific(String),
}

/// Which body a rule sends the case to.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TargetSpec {
    pub kind: OrgKind,
    /// Required for industry committees and departments; `None` matches a body without one.
    #[serde(default)]
    pub specialty: Option<Specialty>,
    pub level: TargetLevel,
    /// The body's part in joint handling, shown after its name (`指导` for a court guiding mediation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_zh: Option<String>,
}

/// What a case must look like for a rule to apply. Every set condition must hold; an empty list or
/// `None` places no constraint. Bounds are inclusive.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RuleConditions {
    /// Dispute type codes, any of which matches.
    pub dispute_types: Vec<String>,
    /// Region paths (`/339900/339902/`) or codes (`339902`) the case region must lie under (or be).
    pub region_prefixes: Vec<String>,
    pub min_amount_fen: Option<i64>,
    pub max_amount_fen: Option<i64>,
    pub min_applicants: Option<u32>,
    pub max_applicants: Option<u32>,
    /// At least one of these flags must be set on the case.
    pub any_flags: Vec<String>,
    /// None of these flags may be set on the case.
    pub without_flags: Vec<String>,
    /// Intake channels, any of which matches.
    pub channels: Vec<Channel>,
}

/// One routing rule: conditions over the case facts and the bodies it sends the case to.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingRule {
    pub id: String,
    /// Bumped on every edit, so a decision names exactly the rule text it applied.
    pub version: u32,
    /// Lower runs first; ties are broken by id.
    pub priority: i32,
    pub name_zh: String,
    #[serde(default)]
    pub conditions: RuleConditions,
    /// More than one target is joint handling (合力调处).
    pub targets: Vec<TargetSpec>,
    /// Why the rule exists, appended to every decision it makes.
    pub explanation_zh: String,
    pub active: bool,
}

/// One body a decision sends the case to.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutedTarget {
    pub org_id: String,
    pub org_name: String,
    /// Which target spec it fills (`案件所在区县的人民法院（指导）`).
    pub reason_zh: String,
}

/// What happened to one rule while routing a case.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleTrace {
    pub rule_id: String,
    pub rule_version: u32,
    /// Whether the rule is active and all its conditions held.
    pub matched: bool,
    /// The first condition that did not hold (or `规则未启用`), when `matched` is false.
    pub failed_condition: Option<String>,
    /// Why a matched rule was skipped: a target that no active organisation fills.
    pub unresolved_target: Option<String>,
}

impl RuleTrace {
    /// Whether this rule made the decision.
    pub fn won(&self) -> bool {
        self.matched && self.unresolved_target.is_none()
    }
}

/// The bodies a case goes to, the rule that chose them, and the trail that led there.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingDecision {
    pub rule_id: String,
    pub rule_version: u32,
    pub rule_name_zh: String,
    /// One body, or several for joint handling, in the rule's target order.
    pub targets: Vec<RoutedTarget>,
    /// `命中规则「…」：类型=…，申请人 89 人 ≥ 10 → A + B（指导）。…`
    pub explanation_zh: String,
    /// Every rule tried, in the order tried; the last one won.
    pub considered: Vec<RuleTrace>,
}

/// Why no body could be chosen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoutingError {
    #[error(
        "no routing rule matched case type `{dispute_type}` in region `{region_code}` with resolvable targets ({} rules considered)",
        trace.len()
    )]
    NoRuleMatched {
        dispute_type: String,
        region_code: String,
        trace: Vec<RuleTrace>,
    },
}

/// Picks the body or bodies for a case: the first active rule, by priority then id, whose
/// conditions all hold and whose every target resolves to an active organisation.
pub fn route(
    facts: &CaseFacts,
    rules: &[RoutingRule],
    directory: &[OrgDirectoryEntry],
) -> Result<RoutingDecision, RoutingError> {
    let mut ordered: Vec<&RoutingRule> = rules.iter().collect();
    ordered.sort_by(|a, b| (a.priority, &a.id).cmp(&(b.priority, &b.id)));
    let mut considered = Vec::new();
    for rule in ordered {
        let mut trace = RuleTrace {
            rule_id: rule.id.clone(),
            rule_version: rule.version,
            matched: false,
            failed_condition: None,
            unresolved_target: None,
        };
        if !rule.active {
            trace.failed_condition = Some("规则未启用".to_owned());
            considered.push(trace);
            continue;
        }
        let clauses = match conditions::check(&rule.conditions, facts) {
            Ok(clauses) => clauses,
            Err(failed) => {
                trace.failed_condition = Some(failed);
                considered.push(trace);
                continue;
            }
        };
        trace.matched = true;
        match resolve::resolve_targets(&rule.targets, facts, directory) {
            Ok(targets) => {
                considered.push(trace);
                let explanation_zh = explain(rule, &clauses, &targets);
                return Ok(RoutingDecision {
                    rule_id: rule.id.clone(),
                    rule_version: rule.version,
                    rule_name_zh: rule.name_zh.clone(),
                    targets: targets.into_iter().map(|(target, _)| target).collect(),
                    explanation_zh,
                    considered,
                });
            }
            Err(unresolved) => {
                trace.unresolved_target = Some(unresolved);
                considered.push(trace);
            }
        }
    }
    Err(RoutingError::NoRuleMatched {
        dispute_type: facts.dispute_type.clone(),
        region_code: facts.region_code.clone(),
        trace: considered,
    })
}

/// `命中规则「name」：clauses → A + B（role）。rule explanation`
fn explain(
    rule: &RoutingRule,
    clauses: &[String],
    targets: &[(RoutedTarget, Option<&str>)],
) -> String {
    let why = if clauses.is_empty() {
        "无附加条件".to_owned()
    } else {
        clauses.join("，")
    };
    let bodies: Vec<String> = targets
        .iter()
        .map(|(target, role)| match role {
            Some(role) => format!("{}（{role}）", target.org_name),
            None => target.org_name.clone(),
        })
        .collect();
    let mut text = format!(
        "命中规则「{}」：{why} → {}",
        rule.name_zh,
        bodies.join(" + ")
    );
    let note = rule.explanation_zh.trim();
    if !note.is_empty() {
        text.push('。');
        text.push_str(note);
    }
    text
}
