//! 矛盾纠纷 — the dispute model: types, parties, stages, routing and group detection.

pub mod group;
pub mod routing;
pub mod stage;
pub mod taxonomy;

pub use stage::{Actor, CaseState, Command, Decision, Effect, Stage, StageError, decide};
pub use taxonomy::{DisputeType, default_dispute_types};

use serde::{Deserialize, Serialize};

/// How a dispute reached the platform (DOMAIN §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 窗口受理
    Window,
    /// 网上自助
    Online,
    /// 网格员上报
    GridWorker,
    /// 12345 热线转办
    Hotline12345,
    /// 法院诉前分流
    CourtDiversion,
    /// Open311 接口
    Open311,
    /// 批量导入
    BulkImport,
}

/// Whether a party is a person or an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    Person,
    Entity,
}

/// Which side a party is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PartyRole {
    /// 申请人
    Applicant,
    /// 被申请人
    Respondent,
    /// 第三人
    ThirdParty,
}

/// The facts routing and risk rules look at, taken from a registered case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFacts {
    /// Dispute type code (`labour`, `neighbour`, …).
    pub dispute_type: String,
    /// Region code where the dispute arose (community or street level usually).
    pub region_code: String,
    /// Materialised path of that region (`/339900/339902/339902001/339902001001/`).
    pub region_path: String,
    /// Amount in dispute, in fen.
    pub amount_fen: i64,
    /// Number of distinct applicants.
    pub applicant_count: u32,
    /// Risk flags set at intake (`mass`, `violence_risk`, `vulnerable_party`, `complex` …).
    pub flags: Vec<String>,
    pub channel: Channel,
}

/// Which clocks (ids in [`crate::clock::default_legal_clocks`] and the internal targets) a stage
/// event starts, given the dispute type's own legal clock.
pub fn clocks_started_by(event: &str, type_clock: Option<&str>) -> Vec<String> {
    let own = type_clock.unwrap_or("people_mediation");
    let ids: Vec<&str> = match event {
        "routed" => vec!["target_accept_case"],
        "accepted" => vec![own, "target_first_contact"],
        "agreement_signed" => vec!["judicial_confirmation_application"],
        "confirmation_requested" => vec!["confirmation_acceptance"],
        "arbitration_requested" => vec!["labour_arbitration_award"],
        "petition_registered" => vec!["petition_register"],
        _ => vec![],
    };
    ids.into_iter().map(str::to_owned).collect()
}

#[cfg(test)]
mod clock_mapping_tests {
    use super::*;

    #[test]
    fn every_started_clock_exists() {
        let known: Vec<String> = crate::clock::default_legal_clocks()
            .into_iter()
            .chain(crate::clock::default_internal_targets())
            .map(|c| c.id)
            .collect();
        for event in stage::ALL_EVENTS {
            for own in [
                None,
                Some("labour_mediation"),
                Some("medical_dispute_mediation"),
                Some("consumer_complaint"),
            ] {
                for id in clocks_started_by(event, own) {
                    assert!(known.contains(&id), "{event} starts unknown clock {id}");
                }
            }
        }
        assert_eq!(
            clocks_started_by("accepted", Some("labour_mediation")),
            ["labour_mediation", "target_first_contact"]
        );
    }
}
