//! 预警 — one kind of record for every alert source, and its own loop: issued → signed for →
//! handled → fed back → closed. Every step goes through [`decide_alert`]; the store applies it
//! with one timeline step and one audit entry. The level scale is the one group detection uses.

mod machine;
mod status;

pub use crate::dispute::group::AlertLevel;
pub use machine::{AlertActor, AlertCommand, AlertDecision, AlertError, decide_alert};
pub use status::{AlertSource, AlertStatus};

#[cfg(test)]
mod tests;
