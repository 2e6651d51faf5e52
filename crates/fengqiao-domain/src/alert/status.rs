//! Where an alert came from, the statuses of its loop, and the clock that runs while
//! it waits in each status.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// Where an alert came from. Every source writes the same kind of record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertSource {
    /// A risk rule over the event stream (mass involvement, fraud, repeat petitions, 民转刑).
    RiskRule,
    /// A supervision clock ran out (督办).
    Supervision,
    /// An IoT device or the watchlist (stolen vehicle, fence).
    Iot,
    /// A video analytics platform.
    Video,
    /// Raised by hand at the command centre.
    Manual,
}

impl AlertSource {
    pub const ALL: [AlertSource; 5] = [
        AlertSource::RiskRule,
        AlertSource::Supervision,
        AlertSource::Iot,
        AlertSource::Video,
        AlertSource::Manual,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AlertSource::RiskRule => "risk_rule",
            AlertSource::Supervision => "supervision",
            AlertSource::Iot => "iot",
            AlertSource::Video => "video",
            AlertSource::Manual => "manual",
        }
    }
}

impl FromStr for AlertSource {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AlertSource::ALL
            .into_iter()
            .find(|l| l.code() == s)
            .ok_or_else(|| format!("unknown alert source `{s}`"))
    }
}

/// The alert's own loop: issued → signed for → handled → fed back → closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    /// 已下发 — waiting for the owner to sign for it.
    Issued,
    /// 已签收 — the owner has it and is acting.
    Signed,
    /// 已处置 — the owner has acted; the written feedback is owed.
    Handled,
    /// 已反馈 — the owner has reported back; the centre checks and closes (or sends it back).
    FedBack,
    /// 已办结.
    Closed,
}

impl AlertStatus {
    pub const ALL: [AlertStatus; 5] = [
        AlertStatus::Issued,
        AlertStatus::Signed,
        AlertStatus::Handled,
        AlertStatus::FedBack,
        AlertStatus::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AlertStatus::Issued => "issued",
            AlertStatus::Signed => "signed",
            AlertStatus::Handled => "handled",
            AlertStatus::FedBack => "fed_back",
            AlertStatus::Closed => "closed",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            AlertStatus::Issued => "待签收",
            AlertStatus::Signed => "处置中",
            AlertStatus::Handled => "待反馈",
            AlertStatus::FedBack => "待办结",
            AlertStatus::Closed => "已办结",
        }
    }

    /// The clock (a clock definition id) that runs while an alert waits in this status.
    pub fn clock(self) -> Option<&'static str> {
        match self {
            AlertStatus::Issued => Some("alert_sign"),
            AlertStatus::Signed => Some("alert_handle"),
            AlertStatus::Handled => Some("alert_feedback"),
            AlertStatus::FedBack => Some("alert_close"),
            AlertStatus::Closed => None,
        }
    }

    pub fn is_open(self) -> bool {
        self != AlertStatus::Closed
    }
}

impl FromStr for AlertStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AlertStatus::ALL
            .into_iter()
            .find(|l| l.code() == s)
            .ok_or_else(|| format!("unknown alert status `{s}`"))
    }
}
