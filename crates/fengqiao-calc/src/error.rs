//! The one error type of the calculators: every variant names the input field that is wrong.

use crate::lpr::LprError;

/// Why a calculation was refused. Messages name the field (as spelled in the JSON input) so a
/// clerk can fix the spreadsheet cell, e.g. `principal: must be positive`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalcError {
    /// A scalar input is out of range or inconsistent with another input.
    #[error("{field}: {reason}")]
    Invalid {
        field: &'static str,
        reason: &'static str,
    },
    /// One entry of a list input (a repayment, a cost, an overtime line) is wrong.
    #[error("{field}[{index}]: {reason}")]
    InvalidEntry {
        field: &'static str,
        index: usize,
        reason: &'static str,
    },
    /// The inputs are valid but describe a case the statutes send to a rule this crate does not
    /// implement; refusing is safer than guessing.
    #[error("{field}: not supported: {reason}")]
    Unsupported {
        field: &'static str,
        reason: &'static str,
    },
    /// The LPR needed for `field` cannot be determined from the table.
    #[error("{field}: {source}")]
    Lpr {
        field: &'static str,
        #[source]
        source: LprError,
    },
}

impl CalcError {
    pub(crate) const fn invalid(field: &'static str, reason: &'static str) -> Self {
        Self::Invalid { field, reason }
    }

    pub(crate) const fn entry(field: &'static str, index: usize, reason: &'static str) -> Self {
        Self::InvalidEntry {
            field,
            index,
            reason,
        }
    }
}
