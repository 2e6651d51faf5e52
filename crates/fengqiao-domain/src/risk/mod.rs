//! 风险预警 — risk rules over the event stream (DOMAIN §6): the three telecom-fraud models, repeat
//! petitions and 民转刑 as pure functions of the records they read, with their parameters as
//! versioned data. The mass-involvement rule lives in `dispute::group` (it runs inside intake).

mod filings;
mod fraud;
mod rule;

pub use filings::{
    CivilToCriminalParams, FilingFacts, FilingHit, FilingParamsError, RepeatPetitionParams,
    civil_to_criminal, repeat_petition,
};
pub use fraud::{
    ClaimedIdentity, ContactChannel, DissuasionTarget, FeatureWeight, FraudFeatures, FraudModel,
    FraudModelError, FraudScheme, FraudScore, Pretext,
};
pub use rule::{RiskRule, RuleError, RuleParams, default_rules};

#[cfg(test)]
mod tests;
