//! Rules over dispute filings: repeat petitions on one matter (重复信访) and civil disputes at risk
//! of turning criminal (民转刑). Both read the new filing and the earlier filings of the same
//! people, which the store gathers; neither touches storage.

use crate::dispute::group::AlertLevel;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

const SECONDS_PER_DAY: i64 = 86_400;

/// One registered dispute as these rules see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilingFacts {
    pub case_id: String,
    pub tracking_code: String,
    pub filed_at: Timestamp,
    pub region_path: String,
    pub type_code: String,
    /// Stable keys of the applicants (blind index of ID or phone, else the name).
    pub claimant_keys: Vec<String>,
    /// The normalised respondent (credit code or name), as the group detector stores it.
    pub respondent_key: String,
    /// Facts and claims as written, for the threat terms.
    pub text: String,
}

impl FilingFacts {
    fn shares_claimant(&self, other: &FilingFacts) -> bool {
        self.claimant_keys
            .iter()
            .any(|k| !k.is_empty() && other.claimant_keys.contains(k))
    }

    fn days_before(&self, other: &FilingFacts) -> i64 {
        (self.filed_at.as_micros() - other.filed_at.as_micros()) / 1_000_000 / SECONDS_PER_DAY
    }
}

/// What a rule found: the level, the key that folds later hits into the same open alert, and
/// one line of explanation per reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilingHit {
    pub level: AlertLevel,
    pub group_key: String,
    pub title: String,
    pub score: u32,
    pub explanation: Vec<String>,
    /// The filings behind the hit, the new one first.
    pub case_ids: Vec<String>,
}

/// 重复信访: the same applicant brings the same matter (same respondent and type) again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RepeatPetitionParams {
    /// Look-back window in days.
    pub window_days: u32,
    /// Filings on the matter (the new one included) that make it a repeat petition: yellow.
    pub min_filings: u32,
    /// From this many filings, orange.
    pub orange_from: u32,
    /// From this many filings, red.
    pub red_from: u32,
    /// Filings made at more than one level (county and city, say) raise the level one step:
    /// 信访工作条例 art. 19 wants one matter handled at one place.
    pub across_levels_raises: bool,
}

impl Default for RepeatPetitionParams {
    fn default() -> Self {
        Self {
            window_days: 180,
            min_filings: 3,
            orange_from: 5,
            red_from: 8,
            across_levels_raises: true,
        }
    }
}

/// 民转刑: the same parties come back within weeks, or the text carries threats or violence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CivilToCriminalParams {
    /// How far back an earlier dispute between the same parties counts.
    pub window_days: u32,
    /// Points for each earlier dispute between the same parties in the window.
    pub points_per_prior: u32,
    /// Points for each distinct threat or violence term found in the text.
    pub points_per_term: u32,
    /// Terms searched in the facts and claims (plain substrings of Chinese text).
    pub terms: Vec<String>,
    /// Dispute types (codes or their prefixes) that add `type_points` (family, neighbours…).
    pub risky_types: Vec<String>,
    pub type_points: u32,
    /// Lowest scores for yellow, orange and red.
    pub yellow_from: u32,
    pub orange_from: u32,
    pub red_from: u32,
}

impl Default for CivilToCriminalParams {
    fn default() -> Self {
        Self {
            window_days: 42,
            points_per_prior: 30,
            points_per_term: 25,
            terms: [
                "杀了",
                "砍死",
                "弄死",
                "打死",
                "同归于尽",
                "报复",
                "放火",
                "烧了他",
                "炸了",
                "拼命",
                "动刀",
                "带刀",
                "拿刀",
                "殴打",
                "打伤",
                "威胁",
                "扬言",
                "跳楼",
                "喝农药",
            ]
            .map(String::from)
            .to_vec(),
            risky_types: [
                "family",
                "neighbour",
                "housing_land",
                "land_requisition",
                "private_lending",
            ]
            .map(String::from)
            .to_vec(),
            type_points: 10,
            yellow_from: 40,
            orange_from: 60,
            red_from: 85,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilingParamsError {
    #[error("{field}: {reason}")]
    Invalid {
        field: &'static str,
        reason: &'static str,
    },
}

fn invalid(field: &'static str, reason: &'static str) -> FilingParamsError {
    FilingParamsError::Invalid { field, reason }
}

impl RepeatPetitionParams {
    pub fn validate(&self) -> Result<(), FilingParamsError> {
        if !(1..=730).contains(&self.window_days) {
            return Err(invalid("window_days", "must be between 1 and 730"));
        }
        if self.min_filings < 2 {
            return Err(invalid("min_filings", "must be at least 2"));
        }
        if !(self.min_filings <= self.orange_from && self.orange_from <= self.red_from) {
            return Err(invalid(
                "orange_from",
                "thresholds must rise: min_filings ≤ orange_from ≤ red_from",
            ));
        }
        Ok(())
    }
}

impl CivilToCriminalParams {
    pub fn validate(&self) -> Result<(), FilingParamsError> {
        if !(1..=366).contains(&self.window_days) {
            return Err(invalid("window_days", "must be between 1 and 366"));
        }
        if self.terms.iter().any(|t| t.trim().is_empty()) {
            return Err(invalid("terms", "a term must not be blank"));
        }
        if !(0 < self.yellow_from && self.yellow_from < self.orange_from)
            || self.orange_from >= self.red_from
        {
            return Err(invalid(
                "yellow_from",
                "thresholds must rise: 0 < yellow_from < orange_from < red_from",
            ));
        }
        Ok(())
    }
}

/// The administrative level of a region path: the number of its segments (city = 1, district = 2…).
fn path_level(path: &str) -> usize {
    path.split('/').filter(|s| !s.is_empty()).count()
}

/// Repeat petitions: the new filing and the earlier ones on the same matter by the same applicant.
pub fn repeat_petition(
    params: &RepeatPetitionParams,
    new: &FilingFacts,
    earlier: &[FilingFacts],
) -> Option<FilingHit> {
    let since = i64::from(params.window_days);
    let mut same: Vec<&FilingFacts> = earlier
        .iter()
        .filter(|e| e.case_id != new.case_id)
        .filter(|e| e.filed_at <= new.filed_at && new.days_before(e) < since)
        .filter(|e| e.respondent_key == new.respondent_key && e.type_code == new.type_code)
        .filter(|e| new.shares_claimant(e))
        .collect();
    same.sort_by_key(|e| e.filed_at);
    let count = u32::try_from(same.len() + 1).unwrap_or(u32::MAX);
    if count < params.min_filings {
        return None;
    }
    let mut level = if count >= params.red_from {
        AlertLevel::Red
    } else if count >= params.orange_from {
        AlertLevel::Orange
    } else {
        AlertLevel::Yellow
    };
    let mut explanation = vec![format!(
        "同一申请人就同一事项（被申请人相同、纠纷类型 {}）{} 日内反映 {} 次（阈值 {} 次）",
        new.type_code, params.window_days, count, params.min_filings
    )];
    for e in &same {
        explanation.push(format!(
            "此前登记：{}（{}）",
            e.tracking_code,
            e.filed_at.china_date()
        ));
    }
    let levels: BTreeSet<usize> = same
        .iter()
        .map(|e| path_level(&e.region_path))
        .chain([path_level(&new.region_path)])
        .collect();
    if params.across_levels_raises && levels.len() > 1 {
        explanation.push("在不同层级重复反映（信访工作条例第十九条：一事一处）".into());
        level = match level {
            AlertLevel::Blue => AlertLevel::Yellow,
            AlertLevel::Yellow => AlertLevel::Orange,
            AlertLevel::Orange | AlertLevel::Red => AlertLevel::Red,
        };
    }
    let claimant = new
        .claimant_keys
        .iter()
        .find(|k| same.iter().any(|e| e.claimant_keys.contains(k)))
        .cloned()
        .unwrap_or_default();
    Some(FilingHit {
        level,
        group_key: format!("{}|{}|{}", claimant, new.respondent_key, new.type_code),
        title: format!("重复信访：同一事项第 {count} 次反映"),
        score: count,
        explanation,
        case_ids: std::iter::once(new.case_id.clone())
            .chain(same.iter().map(|e| e.case_id.clone()))
            .collect(),
    })
}

/// Civil-to-criminal risk: earlier disputes between the same parties within the window, threat
/// terms in the text, and the type, each adding points.
pub fn civil_to_criminal(
    params: &CivilToCriminalParams,
    new: &FilingFacts,
    earlier: &[FilingFacts],
) -> Option<FilingHit> {
    let since = i64::from(params.window_days);
    let priors: Vec<&FilingFacts> = earlier
        .iter()
        .filter(|e| e.case_id != new.case_id)
        .filter(|e| e.filed_at <= new.filed_at && new.days_before(e) < since)
        .filter(|e| e.respondent_key == new.respondent_key && new.shares_claimant(e))
        .collect();
    let terms: Vec<&str> = params
        .terms
        .iter()
        .map(String::as_str)
        .filter(|t| new.text.contains(t))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let risky_type = params
        .risky_types
        .iter()
        .any(|t| !t.is_empty() && new.type_code.starts_with(t.as_str()));
    let mut score = 0u32;
    let mut explanation = Vec::new();
    if !priors.is_empty() {
        let points = params
            .points_per_prior
            .saturating_mul(u32::try_from(priors.len()).unwrap_or(u32::MAX));
        score = score.saturating_add(points);
        explanation.push(format!(
            "同一双方当事人 {} 日内已有 {} 件纠纷（{}） +{points}",
            params.window_days,
            priors.len(),
            priors
                .iter()
                .map(|p| p.tracking_code.as_str())
                .collect::<Vec<_>>()
                .join("、"),
        ));
    }
    if !terms.is_empty() {
        let points = params
            .points_per_term
            .saturating_mul(u32::try_from(terms.len()).unwrap_or(u32::MAX));
        score = score.saturating_add(points);
        explanation.push(format!(
            "陈述中出现威胁或暴力用语：{} +{points}",
            terms.join("、")
        ));
    }
    // The type alone never raises an alert; it only tips a case that already shows a sign.
    if risky_type && score > 0 {
        score = score.saturating_add(params.type_points);
        explanation.push(format!(
            "纠纷类型 {} 属易激化类型 +{}",
            new.type_code, params.type_points
        ));
    }
    let level = if score >= params.red_from {
        AlertLevel::Red
    } else if score >= params.orange_from {
        AlertLevel::Orange
    } else if score >= params.yellow_from {
        AlertLevel::Yellow
    } else {
        return None;
    };
    let claimant = new.claimant_keys.first().cloned().unwrap_or_default();
    Some(FilingHit {
        level,
        group_key: format!("{}|{}", claimant, new.respondent_key),
        title: format!("民转刑风险：{}（{} 分）", new.tracking_code, score),
        score,
        explanation,
        case_ids: std::iter::once(new.case_id.clone())
            .chain(priors.iter().map(|e| e.case_id.clone()))
            .collect(),
    })
}
