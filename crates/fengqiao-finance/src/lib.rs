//! The financial trial assistant (金融智审) batch workflow, without I/O: the documented bank-loan
//! template, validation of an uploaded xlsx/csv row by row (bad rows reported by row, column and
//! reason; good rows kept), each case computed with fengqiao-calc, the standard wording of the
//! judgment items, and the 起诉状 / 调解书 / 判决书 draft templates (fengqiao-docs).
//!
//! ```text
//! bytes ─ sheet::read ─► Sheet ─ parse::parse_sheet ─► ParsedRow… + RowError…
//!                                    │ parse::prepare (case::compute → LoanClaim + fee)
//!                                    ▼
//!            wording::wording ─► Wording ─ drafts::context ─► fengqiao_docs::render_docx/pdf
//! ```

pub mod case;
pub mod columns;
pub mod drafts;
pub mod error;
pub mod parse;
pub mod sheet;
pub mod wording;
pub mod workbook;

pub use case::{Adjustment, BatchCase, Borrower, Computed, Figures, Lender, compute};
pub use error::{BatchError, RowError};
pub use parse::{MAX_ROWS, Parsed, ParsedRow, PreparedRow, parse_sheet, parse_upload, prepare};
pub use wording::{Wording, wording};

/// Computes a case and words it in one step (what the batch view and the drafts need).
pub fn word_case(
    case: &BatchCase,
    adjustment: Option<&Adjustment>,
) -> Result<(Computed, Wording), fengqiao_calc::CalcError> {
    let computed = compute(case, adjustment)?;
    let mediation_fee = case::mediation_fee(computed.claim.total)?;
    let text = wording(case, &computed, &mediation_fee);
    Ok((computed, text))
}

#[cfg(test)]
mod tests;
