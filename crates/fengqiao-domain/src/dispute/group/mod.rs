//! 涉众 — group cases and mass-involvement detection (DOMAIN §3.7, §6): many claimants against one
//! respondent or one site within a short window form a group and raise one alert that updates.
//!
//! The store fetches the recent filings that share a key with a new one and calls [`assess`];
//! for each returned [`GroupAssessment`] it loads the open alert for [`GroupKey::storage_key`]
//! and applies [`decide_group_alert`]. Matching keys are built with [`RespondentKey::new`] and
//! [`site_key`].

mod alert_update;
mod assess;
mod keys;
mod level;
#[cfg(test)]
mod property_tests;
#[cfg(test)]
mod scenario_tests;

pub use alert_update::{GroupAlertUpdate, OpenGroupAlert, decide_group_alert};
pub use assess::{
    DailyCount, Filing, GroupAssessment, GroupParams, GroupParamsError, MAX_WINDOW_DAYS, assess,
};
pub use keys::{GroupKey, RespondentKey, normalise_respondent_name, normalise_site, site_key};
pub use level::{
    AlertLevel, ORANGE_MIN_CLAIMANTS, RED_MIN_CLAIMANTS, RED_MIN_TOTAL_FEN, TREND_RECENT_DAYS,
    Trend, group_level,
};
