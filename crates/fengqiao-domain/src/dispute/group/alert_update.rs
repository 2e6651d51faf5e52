//! 预警更新 — whether a group assessment raises a new mass-involvement alert, updates the open
//! one, or changes nothing: "one alert per group, updated as claims arrive" as a pure decision.

use super::assess::GroupAssessment;
use super::keys::GroupKey;
use super::level::AlertLevel;
use serde::{Deserialize, Serialize};

/// What the store remembers of the open alert for a group key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenGroupAlert {
    pub key: GroupKey,
    pub level: AlertLevel,
    pub distinct_claimants: u32,
    pub case_count: u32,
    pub total_amount_fen: i64,
}

impl OpenGroupAlert {
    /// The state to store after raising or updating an alert from `assessment`.
    pub fn from_assessment(assessment: &GroupAssessment) -> Self {
        Self {
            key: assessment.key.clone(),
            level: assessment.level,
            distinct_claimants: assessment.distinct_claimants,
            case_count: u32::try_from(assessment.case_ids.len()).unwrap_or(u32::MAX),
            total_amount_fen: assessment.total_amount_fen,
        }
    }
}

/// The decision for one assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum GroupAlertUpdate {
    /// No alert is open for this key: raise one.
    Raise,
    /// Refresh the open alert's figures; `level_changed` says whether its colour moved (up, or
    /// down when older claims slid out of the window), which re-notifies the owner.
    Update { level_changed: bool },
    /// Nothing the alert shows has changed.
    NoChange,
}

/// Decides what to do with the open alert (if any) for `assessment.key`. An open alert under a
/// different key is not this group's alert, so the answer is then `Raise`.
pub fn decide_group_alert(
    open: Option<&OpenGroupAlert>,
    assessment: &GroupAssessment,
) -> GroupAlertUpdate {
    match open {
        Some(open) if open.key == assessment.key => {
            if *open == OpenGroupAlert::from_assessment(assessment) {
                GroupAlertUpdate::NoChange
            } else {
                GroupAlertUpdate::Update {
                    level_changed: open.level != assessment.level,
                }
            }
        }
        _ => GroupAlertUpdate::Raise,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dispute::group::{GroupAssessment, RespondentKey, Trend};
    use crate::time::Timestamp;

    fn assessment(claimants: u32, level: AlertLevel) -> GroupAssessment {
        let at = Timestamp::from_micros(1_770_000_000_000_000);
        GroupAssessment {
            key: GroupKey::Respondent(RespondentKey::Name("宏达".into())),
            case_ids: (0..claimants).map(|n| format!("case-{n}")).collect(),
            distinct_claimants: claimants,
            total_amount_fen: i64::from(claimants) * 100,
            first_at: at,
            last_at: at,
            daily_counts: Vec::new(),
            trend: Trend::Rising,
            level,
            explanation_zh: String::new(),
        }
    }

    #[test]
    fn raises_once_then_updates() {
        let first = assessment(10, AlertLevel::Yellow);
        assert_eq!(decide_group_alert(None, &first), GroupAlertUpdate::Raise);
        let open = OpenGroupAlert::from_assessment(&first);
        assert_eq!(
            decide_group_alert(Some(&open), &first),
            GroupAlertUpdate::NoChange
        );
        assert_eq!(
            decide_group_alert(Some(&open), &assessment(11, AlertLevel::Yellow)),
            GroupAlertUpdate::Update {
                level_changed: false
            }
        );
        assert_eq!(
            decide_group_alert(Some(&open), &assessment(30, AlertLevel::Orange)),
            GroupAlertUpdate::Update {
                level_changed: true
            }
        );
    }

    #[test]
    fn a_repeat_filing_that_only_adds_money_updates() {
        let first = assessment(10, AlertLevel::Yellow);
        let open = OpenGroupAlert::from_assessment(&first);
        let mut more_money = first.clone();
        more_money.total_amount_fen += 50_000;
        assert_eq!(
            decide_group_alert(Some(&open), &more_money),
            GroupAlertUpdate::Update {
                level_changed: false
            }
        );
    }

    #[test]
    fn an_alert_for_another_key_does_not_count() {
        let first = assessment(10, AlertLevel::Yellow);
        let mut other = OpenGroupAlert::from_assessment(&first);
        other.key = GroupKey::Site("滨江花园".into());
        assert_eq!(
            decide_group_alert(Some(&other), &first),
            GroupAlertUpdate::Raise
        );
        assert_eq!(
            serde_json::to_string(&GroupAlertUpdate::Update {
                level_changed: true
            })
            .unwrap(),
            r#"{"action":"update","level_changed":true}"#
        );
    }
}
