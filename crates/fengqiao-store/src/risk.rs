//! Risk rules and what they read and write (DOMAIN §6): the rule catalogue as versioned data, the
//! filings the repeat-petition and 民转刑 rules read, and fraud reports with their dissuasion tasks.

mod filings;
mod fraud;
mod rules;

pub use fraud::{DissuasionTaskRow, FraudOutcome, FraudReportRow, NewFraudReport, score_report};
pub use rules::RuleVersionRow;
