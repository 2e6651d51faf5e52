//! 涉众研判 — deciding, for one new filing, which groups it completes or grows (DOMAIN §3.7).

use super::keys::{GroupKey, RespondentKey, site_key};
use super::level::{AlertLevel, SECONDS_PER_DAY, Trend, TrendReading, group_level, read_trend};
use crate::time::Timestamp;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// The longest window accepted: DOMAIN §3.7 speaks of a "short window"; a longer one would also
/// make the daily series unbounded.
pub const MAX_WINDOW_DAYS: u32 = 366;

/// When a group becomes a mass-involvement case (configurable per deployment).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct GroupParams {
    /// Distinct claimants needed to form a group (default 10).
    pub min_claimants: u32,
    /// Look-back window in days, ending at the new filing (default 7).
    pub window_days: u32,
}

impl Default for GroupParams {
    fn default() -> Self {
        Self {
            min_claimants: 10,
            window_days: 7,
        }
    }
}

/// Why a [`GroupParams`] configuration is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GroupParamsError {
    #[error("min_claimants must be at least 2 (one claimant is not a group), found {found}")]
    MinClaimantsTooLow { found: u32 },
    #[error("window_days must be between 1 and {MAX_WINDOW_DAYS}, found {found}")]
    WindowOutOfRange { found: u32 },
}

impl GroupParams {
    /// Checks a configuration at load time. [`assess`] never fails: it clamps instead
    /// (`min_claimants` to at least 1, `window_days` to 1..=366).
    pub fn validate(&self) -> Result<(), GroupParamsError> {
        if self.min_claimants < 2 {
            return Err(GroupParamsError::MinClaimantsTooLow {
                found: self.min_claimants,
            });
        }
        if !(1..=MAX_WINDOW_DAYS).contains(&self.window_days) {
            return Err(GroupParamsError::WindowOutOfRange {
                found: self.window_days,
            });
        }
        Ok(())
    }

    fn effective_min_claimants(&self) -> u32 {
        self.min_claimants.max(1)
    }

    fn effective_window_days(&self) -> u32 {
        self.window_days.clamp(1, MAX_WINDOW_DAYS)
    }
}

/// One registered case, as group detection sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Filing {
    pub case_id: String,
    pub filed_at: Timestamp,
    /// Stable ids of the distinct applicants (e.g. a blind index of the ID or phone number), so
    /// one worker filing twice, or on two cases, counts once. Blank entries are ignored.
    pub claimant_keys: Vec<String>,
    pub respondent: RespondentKey,
    /// Site or project name, normalised by `normalise_site` (re-normalised here anyway).
    pub site: Option<String>,
    pub amount_fen: i64,
}

/// One China-calendar day of a group, for the trend chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DailyCount {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub date: NaiveDate,
    /// Claimants whose first filing in the window fell on this day; the days sum to
    /// `distinct_claimants`.
    pub new_claimants: u32,
    /// Cases filed this day.
    pub filings: u32,
}

/// A group that has reached the threshold, with everything the alert shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupAssessment {
    pub key: GroupKey,
    /// In-window cases of the group, oldest first.
    pub case_ids: Vec<String>,
    pub distinct_claimants: u32,
    pub total_amount_fen: i64,
    pub first_at: Timestamp,
    pub last_at: Timestamp,
    /// Every China date from the first filing to the new one, zero days included.
    pub daily_counts: Vec<DailyCount>,
    pub trend: Trend,
    pub level: AlertLevel,
    pub explanation_zh: String,
}

/// Assesses the groups a new filing belongs to: one per key (its respondent, then its site if it
/// has one) whose distinct claimants within `[new.filed_at − window, new.filed_at]` reach
/// `min_claimants`.
///
/// `recent` may hold anything: filings outside the window, after the new one, under other keys,
/// or the new filing itself are left out here, so the store may over-fetch. A case id seen twice
/// counts once (the new filing wins over a stale copy of itself). Groups under an empty
/// respondent name or site are never formed.
pub fn assess(new: &Filing, recent: &[Filing], params: &GroupParams) -> Vec<GroupAssessment> {
    let window_days = params.effective_window_days();
    let window_start = new
        .filed_at
        .plus_seconds(-i64::from(window_days) * SECONDS_PER_DAY);
    let mut seen_cases = HashSet::new();
    let in_window: Vec<&Filing> = std::iter::once(new)
        .chain(recent)
        .filter(|filing| (window_start..=new.filed_at).contains(&filing.filed_at))
        .filter(|filing| seen_cases.insert(filing.case_id.as_str()))
        .collect();

    let mut assessments = Vec::new();
    let respondent = new.respondent.canonical();
    if respondent.is_identifying() {
        let members = in_window
            .iter()
            .copied()
            .filter(|filing| filing.respondent.canonical() == respondent)
            .collect();
        assessments.extend(assess_group(
            GroupKey::Respondent(respondent),
            members,
            new.filed_at,
            params,
        ));
    }
    if let Some(site) = site_key(new.site.as_deref()) {
        let members = in_window
            .iter()
            .copied()
            .filter(|filing| site_key(filing.site.as_deref()).as_ref() == Some(&site))
            .collect();
        assessments.extend(assess_group(
            GroupKey::Site(site),
            members,
            new.filed_at,
            params,
        ));
    }
    assessments
}

fn assess_group(
    key: GroupKey,
    mut members: Vec<&Filing>,
    now: Timestamp,
    params: &GroupParams,
) -> Option<GroupAssessment> {
    members.sort_by(|a, b| (a.filed_at, &a.case_id).cmp(&(b.filed_at, &b.case_id)));

    // Members are oldest first, so the first insert of a claimant is their first filing.
    let mut first_seen: BTreeMap<&str, Timestamp> = BTreeMap::new();
    for filing in &members {
        for claimant in &filing.claimant_keys {
            let claimant = claimant.trim();
            if !claimant.is_empty() {
                first_seen.entry(claimant).or_insert(filing.filed_at);
            }
        }
    }
    let distinct_claimants = u32::try_from(first_seen.len()).unwrap_or(u32::MAX);
    if distinct_claimants < params.effective_min_claimants() {
        return None;
    }

    let first_at = members.first().map_or(now, |filing| filing.filed_at);
    let last_at = members.last().map_or(now, |filing| filing.filed_at);
    let total_amount_fen = members
        .iter()
        .fold(0i64, |sum, filing| sum.saturating_add(filing.amount_fen));
    let daily_counts = daily_counts(&members, first_seen.values().copied(), first_at, last_at);
    let reading = read_trend(
        first_seen.values().copied(),
        now,
        params.effective_window_days(),
    );
    let level = group_level(
        distinct_claimants,
        total_amount_fen,
        params.effective_min_claimants(),
    );
    let explanation_zh = explain(&Explained {
        key: &key,
        window_days: params.effective_window_days(),
        min_claimants: params.effective_min_claimants(),
        distinct_claimants,
        case_count: members.len(),
        total_amount_fen,
        first_at,
        last_at,
        reading,
        level,
    });
    Some(GroupAssessment {
        key,
        case_ids: members
            .iter()
            .map(|filing| filing.case_id.clone())
            .collect(),
        distinct_claimants,
        total_amount_fen,
        first_at,
        last_at,
        daily_counts,
        trend: reading.trend,
        level,
        explanation_zh,
    })
}

fn daily_counts(
    members: &[&Filing],
    first_seen: impl Iterator<Item = Timestamp>,
    first_at: Timestamp,
    last_at: Timestamp,
) -> Vec<DailyCount> {
    let mut days: BTreeMap<NaiveDate, DailyCount> = first_at
        .china_date()
        .iter_days()
        .take_while(|date| *date <= last_at.china_date())
        .map(|date| {
            let empty = DailyCount {
                date,
                new_claimants: 0,
                filings: 0,
            };
            (date, empty)
        })
        .collect();
    for filing in members {
        if let Some(day) = days.get_mut(&filing.filed_at.china_date()) {
            day.filings = day.filings.saturating_add(1);
        }
    }
    for at in first_seen {
        if let Some(day) = days.get_mut(&at.china_date()) {
            day.new_claimants = day.new_claimants.saturating_add(1);
        }
    }
    days.into_values().collect()
}

struct Explained<'a> {
    key: &'a GroupKey,
    window_days: u32,
    min_claimants: u32,
    distinct_claimants: u32,
    case_count: usize,
    total_amount_fen: i64,
    first_at: Timestamp,
    last_at: Timestamp,
    reading: TrendReading,
    level: AlertLevel,
}

/// One sentence a duty officer can read aloud: who, how many, how much, since when, which way,
/// and why this colour.
fn explain(e: &Explained) -> String {
    let subject = match e.key {
        GroupKey::Respondent(RespondentKey::CreditCode(code)) => {
            format!("同一被申请人（统一社会信用代码{code}）")
        }
        GroupKey::Respondent(RespondentKey::Name(name)) => format!("同一被申请人“{name}”"),
        GroupKey::Site(site) => format!("同一项目/工地“{site}”"),
    };
    let trend = if e.reading.recent_days == 0 {
        format!("趋势{}（窗口过短，无从比较）", e.reading.trend.label_zh())
    } else {
        format!(
            "近{}日新增{}人、此前{}人，趋势{}",
            e.reading.recent_days,
            e.reading.recent_claimants,
            e.reading.earlier_claimants,
            e.reading.trend.label_zh()
        )
    };
    let reason = match e.level {
        AlertLevel::Red if e.distinct_claimants >= super::level::RED_MIN_CLAIMANTS => {
            format!("申请人达到{}人", super::level::RED_MIN_CLAIMANTS)
        }
        AlertLevel::Red => "涉及金额达到500万元".to_owned(),
        AlertLevel::Orange => format!("申请人达到{}人", super::level::ORANGE_MIN_CLAIMANTS),
        AlertLevel::Yellow | AlertLevel::Blue => {
            format!("申请人达到涉众阈值{}人", e.min_claimants)
        }
    };
    format!(
        "{}日内{}名不同申请人针对{}提起{}件纠纷，涉及金额合计{}元；首件{}，最新{}；{}；{}预警（{}）。",
        e.window_days,
        e.distinct_claimants,
        subject,
        e.case_count,
        yuan(e.total_amount_fen),
        e.first_at.china_date(),
        e.last_at.china_date(),
        trend,
        e.level.label_zh(),
        reason
    )
}

/// Fen as yuan with two decimals, in integers (`141020500` → `1410205.00`).
fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let magnitude = fen.unsigned_abs();
    format!("{sign}{}.{:02}", magnitude / 100, magnitude % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_default_and_validate() {
        assert_eq!(
            GroupParams::default(),
            GroupParams {
                min_claimants: 10,
                window_days: 7
            }
        );
        assert_eq!(GroupParams::default().validate(), Ok(()));
        let one = GroupParams {
            min_claimants: 1,
            window_days: 7,
        };
        assert_eq!(
            one.validate(),
            Err(GroupParamsError::MinClaimantsTooLow { found: 1 })
        );
        let long = GroupParams {
            min_claimants: 10,
            window_days: 400,
        };
        assert_eq!(
            long.validate().unwrap_err().to_string(),
            "window_days must be between 1 and 366, found 400"
        );
        let parsed: GroupParams = serde_json::from_str(r#"{"min_claimants": 20}"#).unwrap();
        assert_eq!(parsed.window_days, 7);
        assert_eq!(parsed.min_claimants, 20);
    }

    #[test]
    fn yuan_formats_fen_exactly() {
        assert_eq!(yuan(141_020_500), "1410205.00");
        assert_eq!(yuan(5), "0.05");
        assert_eq!(yuan(-1_234), "-12.34");
        assert_eq!(yuan(i64::MIN), "-92233720368547758.08");
    }
}
