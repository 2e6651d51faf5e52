//! 预警等级与趋势 — the alert level of a group (red/orange/yellow/blue) and its trend.

use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// A group is red from this many distinct claimants …
pub const RED_MIN_CLAIMANTS: u32 = 50;
/// … or from this total amount: 5,000,000 yuan, in fen.
pub const RED_MIN_TOTAL_FEN: i64 = 500_000_000;
/// A group is orange from this many distinct claimants.
pub const ORANGE_MIN_CLAIMANTS: u32 = 30;
/// The trend compares the last this-many days of the window with the days before them.
pub const TREND_RECENT_DAYS: u32 = 3;

/// The four-colour warning scale (红橙黄蓝) used by every alert in the command centre, ordered
/// from least to most severe so `max` and `>` read naturally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AlertLevel {
    /// 蓝色 — watch. Group detection never raises blue: below the threshold there is no alert.
    Blue,
    /// 黄色
    Yellow,
    /// 橙色
    Orange,
    /// 红色
    Red,
}

impl AlertLevel {
    pub const ALL: [AlertLevel; 4] = [
        AlertLevel::Red,
        AlertLevel::Orange,
        AlertLevel::Yellow,
        AlertLevel::Blue,
    ];

    /// The stored and serialised form.
    pub fn code(self) -> &'static str {
        match self {
            Self::Blue => "blue",
            Self::Yellow => "yellow",
            Self::Orange => "orange",
            Self::Red => "red",
        }
    }

    pub fn parse(code: &str) -> Option<AlertLevel> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Blue => "蓝色",
            Self::Yellow => "黄色",
            Self::Orange => "橙色",
            Self::Red => "红色",
        }
    }
}

/// The level of a group: red from 50 distinct claimants or 5,000,000 yuan in total, orange from
/// 30 claimants, yellow from the configured threshold, blue below it. Amount raises a group
/// straight to red because a large sum (a developer's unpaid instalments, a collapsed deposit
/// scheme) carries the same risk of unrest with fewer people; below the claimant threshold the
/// amount alone never raises a mass-involvement alert, since one large claim is not a mass case.
pub fn group_level(
    distinct_claimants: u32,
    total_amount_fen: i64,
    min_claimants: u32,
) -> AlertLevel {
    if distinct_claimants < min_claimants {
        AlertLevel::Blue
    } else if distinct_claimants >= RED_MIN_CLAIMANTS || total_amount_fen >= RED_MIN_TOTAL_FEN {
        AlertLevel::Red
    } else if distinct_claimants >= ORANGE_MIN_CLAIMANTS {
        AlertLevel::Orange
    } else {
        AlertLevel::Yellow
    }
}

/// Whether a group is still growing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    Rising,
    Steady,
    Falling,
}

impl Trend {
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Rising => "上升",
            Self::Steady => "平稳",
            Self::Falling => "下降",
        }
    }
}

/// The numbers a trend was read from, kept for the explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TrendReading {
    pub trend: Trend,
    pub recent_days: u32,
    pub recent_claimants: u64,
    pub earlier_claimants: u64,
}

/// The trend of a group, measured in exact instants rather than calendar days so that a filing
/// at 08:00 does not compare a two-hour-old "today" with a full yesterday.
///
/// Each distinct claimant counts once, at the instant of their first filing in the window.
/// `recent` = claimants first seen in the last `min(3, window_days − 1)` days, i.e. in
/// `(now − recent_days, now]`; `earlier` = those first seen in the rest of the window,
/// `[now − window_days, now − recent_days]`. The two are compared as rates per day:
/// **Rising** when the recent rate exceeds the earlier rate by more than a quarter (so a group
/// that appeared from nothing is rising), **Falling** when it is more than a quarter below,
/// **Steady** otherwise, and also when a one-day window leaves nothing to compare against.
pub(super) fn read_trend(
    first_seen: impl IntoIterator<Item = Timestamp>,
    now: Timestamp,
    window_days: u32,
) -> TrendReading {
    let recent_days = TREND_RECENT_DAYS.min(window_days.saturating_sub(1));
    let earlier_days = window_days.saturating_sub(recent_days);
    let boundary = now.plus_seconds(-i64::from(recent_days) * SECONDS_PER_DAY);
    let (mut recent_claimants, mut earlier_claimants) = (0u64, 0u64);
    for at in first_seen {
        if at > boundary {
            recent_claimants += 1;
        } else {
            earlier_claimants += 1;
        }
    }
    let trend = if recent_days == 0 {
        Trend::Steady
    } else {
        // recent / recent_days vs earlier / earlier_days, cross-multiplied to stay in integers.
        let recent_scaled = u128::from(recent_claimants) * u128::from(earlier_days) * 4;
        let earlier_scaled = u128::from(earlier_claimants) * u128::from(recent_days);
        if recent_scaled > earlier_scaled * 5 {
            Trend::Rising
        } else if recent_scaled < earlier_scaled * 3 {
            Trend::Falling
        } else {
            Trend::Steady
        }
    };
    TrendReading {
        trend,
        recent_days,
        recent_claimants,
        earlier_claimants,
    }
}

pub(super) const SECONDS_PER_DAY: i64 = 86_400;

#[cfg(test)]
mod tests {
    use super::*;

    fn noon_of_day(day: i64) -> Timestamp {
        Timestamp::parse_rfc3339("2026-02-01T12:00:00+08:00")
            .unwrap()
            .plus_seconds(day * SECONDS_PER_DAY)
    }

    /// One claimant per unit of `per_day[d]`, all at noon of day `d`; "now" is noon of the last day.
    fn trend_of(per_day: &[u32], window_days: u32) -> TrendReading {
        let times = per_day
            .iter()
            .enumerate()
            .flat_map(|(day, &count)| std::iter::repeat_n(noon_of_day(day as i64), count as usize));
        read_trend(times, noon_of_day(per_day.len() as i64 - 1), window_days)
    }

    #[test]
    fn levels_follow_the_documented_thresholds() {
        assert_eq!(group_level(9, 0, 10), AlertLevel::Blue);
        assert_eq!(group_level(9, RED_MIN_TOTAL_FEN, 10), AlertLevel::Blue);
        assert_eq!(group_level(10, 0, 10), AlertLevel::Yellow);
        assert_eq!(
            group_level(29, RED_MIN_TOTAL_FEN - 1, 10),
            AlertLevel::Yellow
        );
        assert_eq!(group_level(30, 0, 10), AlertLevel::Orange);
        assert_eq!(group_level(49, 0, 10), AlertLevel::Orange);
        assert_eq!(group_level(50, 0, 10), AlertLevel::Red);
        assert_eq!(group_level(12, RED_MIN_TOTAL_FEN, 10), AlertLevel::Red);
        // A threshold above 30 makes the first alert orange: yellow is skipped, not invented.
        assert_eq!(group_level(40, 0, 40), AlertLevel::Orange);
        assert!(AlertLevel::Red > AlertLevel::Orange && AlertLevel::Yellow > AlertLevel::Blue);
        assert_eq!(
            serde_json::to_string(&AlertLevel::Orange).unwrap(),
            r#""orange""#
        );
        assert_eq!(AlertLevel::Red.label_zh(), "红色");
    }

    #[test]
    fn a_week_of_equal_days_is_steady() {
        // Recent: days 5–7 (15 claimants over 3 days); earlier: days 1–4 (20 over 4 days).
        let reading = trend_of(&[5, 5, 5, 5, 5, 5, 5], 7);
        assert_eq!(reading.trend, Trend::Steady);
        assert_eq!(
            (reading.recent_claimants, reading.earlier_claimants),
            (15, 20)
        );
    }

    #[test]
    fn a_ramp_rises_and_a_fading_group_falls() {
        assert_eq!(trend_of(&[1, 1, 1, 1, 5, 10, 20], 7).trend, Trend::Rising);
        assert_eq!(
            trend_of(&[10, 10, 10, 10, 1, 1, 1], 7).trend,
            Trend::Falling
        );
        // 25 % either way is still steady: recent 5/day vs earlier 4/day is exactly +25 %.
        assert_eq!(trend_of(&[4, 4, 4, 4, 5, 5, 5], 7).trend, Trend::Steady);
        assert_eq!(trend_of(&[4, 4, 4, 4, 6, 5, 5], 7).trend, Trend::Rising);
    }

    #[test]
    fn a_group_from_nothing_rises_and_a_one_day_window_is_steady() {
        assert_eq!(trend_of(&[12, 30, 47], 7).trend, Trend::Rising);
        assert_eq!(trend_of(&[12], 7).trend, Trend::Rising);
        let one_day = trend_of(&[12], 1);
        assert_eq!((one_day.trend, one_day.recent_days), (Trend::Steady, 0));
        // A two-day window compares the last day with the one before it.
        assert_eq!(trend_of(&[10, 2], 2).trend, Trend::Falling);
    }
}
