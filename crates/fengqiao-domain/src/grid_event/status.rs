//! The statuses of a grid event, its sources, and which clock runs while it waits in each status.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// Where a grid event came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventSource {
    /// Reported by a grid worker on patrol (console or phone page).
    GridWorker,
    /// Reported by a resident with an account.
    Citizen,
    /// A 12345 hotline work order (imported).
    Hotline12345,
    /// A GeoReport v2 (Open311) request.
    Open311,
    /// Video analytics (雪亮工程) or an IoT alert.
    Video,
    /// Found on a household visit (走访).
    Visit,
}

impl EventSource {
    pub const ALL: [EventSource; 6] = [
        EventSource::GridWorker,
        EventSource::Citizen,
        EventSource::Hotline12345,
        EventSource::Open311,
        EventSource::Video,
        EventSource::Visit,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EventSource::GridWorker => "grid_worker",
            EventSource::Citizen => "citizen",
            EventSource::Hotline12345 => "hotline_12345",
            EventSource::Open311 => "open311",
            EventSource::Video => "video",
            EventSource::Visit => "visit",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            EventSource::GridWorker => "网格员上报",
            EventSource::Citizen => "群众上报",
            EventSource::Hotline12345 => "12345热线",
            EventSource::Open311 => "Open311",
            EventSource::Video => "视频/物联感知",
            EventSource::Visit => "走访发现",
        }
    }
}

impl FromStr for EventSource {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.code() == s)
            .ok_or_else(|| format!("unknown event source `{s}`"))
    }
}

/// Where a grid event stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    /// Reported, waiting for the centre to accept it.
    Reported,
    /// The reporting grid worker solved it on the spot; the centre verifies the evidence.
    SolvedOnSpot,
    /// Accepted by the centre, waiting to be dispatched.
    Accepted,
    /// Sent back by the department it was dispatched to (wrong department, outside its duties).
    Returned,
    /// Dispatched to a department, waiting for it to sign for it (签收).
    Dispatched,
    /// Signed for; the department is handling it.
    Handling,
    /// The department fed back with evidence; the centre verifies.
    FedBack,
    /// Verified and closed.
    Closed,
    /// Closed and evaluated by the reporter.
    Evaluated,
    /// Not a matter for the platform (duplicate, false report), with the reason.
    Rejected,
    /// Became a dispute case; the case carries on, this event keeps its history.
    TransferredToDispute,
}

impl EventStatus {
    pub const ALL: [EventStatus; 11] = [
        EventStatus::Reported,
        EventStatus::SolvedOnSpot,
        EventStatus::Accepted,
        EventStatus::Returned,
        EventStatus::Dispatched,
        EventStatus::Handling,
        EventStatus::FedBack,
        EventStatus::Closed,
        EventStatus::Evaluated,
        EventStatus::Rejected,
        EventStatus::TransferredToDispute,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EventStatus::Reported => "reported",
            EventStatus::SolvedOnSpot => "solved_on_spot",
            EventStatus::Accepted => "accepted",
            EventStatus::Returned => "returned",
            EventStatus::Dispatched => "dispatched",
            EventStatus::Handling => "handling",
            EventStatus::FedBack => "fed_back",
            EventStatus::Closed => "closed",
            EventStatus::Evaluated => "evaluated",
            EventStatus::Rejected => "rejected",
            EventStatus::TransferredToDispute => "transferred_to_dispute",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            EventStatus::Reported => "待受理",
            EventStatus::SolvedOnSpot => "就地解决待核查",
            EventStatus::Accepted => "待派遣",
            EventStatus::Returned => "已退回待改派",
            EventStatus::Dispatched => "待签收",
            EventStatus::Handling => "处置中",
            EventStatus::FedBack => "已反馈待核查",
            EventStatus::Closed => "已办结",
            EventStatus::Evaluated => "已评价",
            EventStatus::Rejected => "不予受理",
            EventStatus::TransferredToDispute => "已转矛盾纠纷",
        }
    }

    /// Whether work is still owed on the event.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            EventStatus::Closed
                | EventStatus::Evaluated
                | EventStatus::Rejected
                | EventStatus::TransferredToDispute
        )
    }

    /// The clock (an internal target in the clock definitions) that runs while the event waits
    /// in this status: the limit of the step owed next.
    pub fn clock(self) -> Option<&'static str> {
        match self {
            EventStatus::Reported => Some("grid_accept"),
            EventStatus::Accepted | EventStatus::Returned => Some("grid_dispatch"),
            EventStatus::Dispatched => Some("grid_sign"),
            EventStatus::Handling => Some("grid_handle"),
            EventStatus::FedBack | EventStatus::SolvedOnSpot => Some("grid_verify"),
            _ => None,
        }
    }

    /// Codes of the statuses counted as open, for queries.
    pub fn open_codes() -> Vec<&'static str> {
        Self::ALL
            .into_iter()
            .filter(|s| s.is_open())
            .map(Self::code)
            .collect()
    }
}

impl FromStr for EventStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.code() == s)
            .ok_or_else(|| format!("unknown event status `{s}`"))
    }
}
