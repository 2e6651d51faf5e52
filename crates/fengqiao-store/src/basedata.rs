//! Base data registry (一库): people, housing, enterprises, organisations, city components; patrols and visits (走访); the grid index (网格指数).
//!
//! Every record sits in a grid and carries the grid's region path, so the caller's scope applies
//! to it like to every other record. Writes append a history entry (before/after, masked) and an
//! audit entry in the same transaction.

mod campaigns;
mod import;
mod index;
mod records;
mod visits;

pub use campaigns::{CampaignSummary, CampaignView, GridVisitFigures, NewCampaign};
pub use import::{ImportOutcome, ImportRow, MAX_IMPORT_ROWS, RowProblem};
pub use index::{AssessmentView, GridActivityRow, IndexWindow, NewAssessment};
pub use records::{
    BaseRecordView, GridBaseCounts, HistoryEntry, KindCount, RecordFilter, RecordPatch,
    create_record_in,
};
pub use visits::{
    IssuePatch, IssueView, NewIssue, NewVisit, VisitFilter, VisitView, create_visit_in,
};
