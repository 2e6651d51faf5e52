//! 法定时限 — legal clocks and internal service targets as data, and their state on a given day.
//!
//! A clock is a [`ClockDefinition`]: statute and article, start event, length, day basis, pause
//! conditions, extension rule and the effect on expiry. Legal clocks (the DOMAIN §3.4 table,
//! [`default_legal_clocks`]) and internal targets ([`default_internal_targets`]) share the shape
//! but never the flag: an internal target cites no law and is never shown to parties as law.

mod defaults;
mod state;

pub use defaults::{default_internal_targets, default_legal_clocks};
pub use state::{
    ClockError, ClockRun, ClockState, ClockStatus, GrantedExtension, Pause, SupervisionItem,
    SupervisionList, TrackedClock, UncomputableClock, clock_state, overdue_for_supervision,
};

use serde::{Deserialize, Serialize};

pub use crate::calendar::DayBasis;

/// Whether a clock is the law or the platform's own, stricter service level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    Legal,
    InternalTarget,
}

/// What expiry means for the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpiryEffect {
    /// The party may take the next channel (e.g. labour arbitration after 15 days of mediation).
    AllowNextChannel,
    /// The step counts as failed (e.g. medical dispute mediation: 视为调解不成).
    CountAsFailure,
    /// The body missed its limit: notify and put on the supervision (督办) list.
    NotifyAndSupervise,
    /// A party's own window to act closes (e.g. applying for judicial confirmation); the platform
    /// reminds the party beforehand, but a lapse is nobody's overdue work.
    WindowCloses,
}

/// One article a legal clock rests on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StatuteRef {
    /// The short name of the law or rule (`劳动争议调解仲裁法`).
    pub statute: String,
    /// The article number as written in the citation (`14`, `4`).
    pub article: String,
}

impl StatuteRef {
    pub fn new(statute: &str, article: &str) -> Self {
        Self {
            statute: statute.to_owned(),
            article: article.to_owned(),
        }
    }

    /// `劳动争议调解仲裁法 art. 14`.
    pub fn citation(&self) -> String {
        format!("{} art. {}", self.statute, self.article)
    }
}

/// How a clock may be extended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionRule {
    /// The most extra days in total, in the clock's basis; `None` where the law sets no cap
    /// (extension by the parties' consent).
    pub max_extra_days: Option<u32>,
    /// Role code of whoever approves (`court_president`, `both_parties`, …).
    pub approver: String,
}

/// A clock as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockDefinition {
    /// Stable code (`labour_mediation`).
    pub id: String,
    pub name_zh: String,
    pub kind: ClockKind,
    /// The articles a legal clock rests on; always empty for an internal target.
    pub statutes: Vec<StatuteRef>,
    /// The case event code that starts the clock (`accepted`, `agreement_signed`).
    pub start_event: String,
    pub length_days: u32,
    pub basis: DayBasis,
    /// Codes of the conditions that stop the clock while they last (`appraisal`, `hearing`).
    pub pause_conditions: Vec<String>,
    pub extension: Option<ExtensionRule>,
    pub on_expiry: ExpiryEffect,
    /// The yellow warning starts this many days (in the clock's basis) before the due date.
    pub warn_before_days: u32,
    /// How the law's wording was turned into this row, where that took a judgement.
    pub note: Option<String>,
}

/// Why a clock definition is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockDefinitionError {
    #[error("clock `{id}`: field `{field}` must not be empty")]
    EmptyField { id: String, field: &'static str },
    #[error("clock `{id}`: length_days must be at least 1")]
    ZeroLength { id: String },
    #[error("clock `{id}`: a legal clock must cite at least one statute and article")]
    LegalWithoutStatute { id: String },
    #[error("clock `{id}`: an internal target must not cite a statute, or it would pass for law")]
    TargetCitesStatute { id: String },
    #[error("clock `{id}`: warn_before_days {warn} must be below length_days {length}")]
    WarnTooEarly { id: String, warn: u32, length: u32 },
}

impl ClockDefinition {
    /// Whether the clock may be presented as the law; internal targets never are.
    pub fn is_law(&self) -> bool {
        self.kind == ClockKind::Legal && !self.statutes.is_empty()
    }

    /// `劳动争议调解仲裁法 art. 14`, several joined by `; `, or `None` for an internal target.
    pub fn citation(&self) -> Option<String> {
        if !self.is_law() {
            return None;
        }
        let parts: Vec<String> = self.statutes.iter().map(StatuteRef::citation).collect();
        Some(parts.join("; "))
    }

    pub fn validate(&self) -> Result<(), ClockDefinitionError> {
        let id = || self.id.clone();
        let empty = |field| ClockDefinitionError::EmptyField { id: id(), field };
        if self.id.trim().is_empty() {
            return Err(empty("id"));
        }
        if self.name_zh.trim().is_empty() {
            return Err(empty("name_zh"));
        }
        if self.start_event.trim().is_empty() {
            return Err(empty("start_event"));
        }
        let blank_statute = self
            .statutes
            .iter()
            .any(|s| s.statute.trim().is_empty() || s.article.trim().is_empty());
        if blank_statute {
            return Err(empty("statutes"));
        }
        if self.length_days == 0 {
            return Err(ClockDefinitionError::ZeroLength { id: id() });
        }
        match self.kind {
            ClockKind::Legal if self.statutes.is_empty() => {
                return Err(ClockDefinitionError::LegalWithoutStatute { id: id() });
            }
            ClockKind::InternalTarget if !self.statutes.is_empty() => {
                return Err(ClockDefinitionError::TargetCitesStatute { id: id() });
            }
            _ => {}
        }
        if self.warn_before_days >= self.length_days {
            return Err(ClockDefinitionError::WarnTooEarly {
                id: id(),
                warn: self.warn_before_days,
                length: self.length_days,
            });
        }
        if let Some(rule) = &self.extension
            && rule.approver.trim().is_empty()
        {
            return Err(empty("extension.approver"));
        }
        Ok(())
    }
}
