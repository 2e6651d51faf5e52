//! Errors of the batch workflow: a file that cannot be read at all, and the per-row problems of
//! one that can.

use serde::Serialize;

/// The whole upload is refused (nothing of it is processed).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BatchError {
    #[error("{0}")]
    File(String),
    /// Required columns are missing from the header row.
    #[error("缺少必填列：{}", .0.join("、"))]
    MissingColumns(Vec<String>),
    #[error("文件中没有数据行")]
    NoRows,
    /// The batch is larger than one upload may be.
    #[error("一个批次最多 {max} 行，文件有 {found} 行")]
    TooManyRows { max: usize, found: usize },
}

/// One problem of one row: the row is left out, every other row is processed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RowError {
    /// The line in the file (the header is line 1).
    pub row: usize,
    /// The column key (see the template), or `row` for the row as a whole.
    pub column: String,
    /// The column header as the template writes it.
    pub header: String,
    pub reason: String,
}

impl RowError {
    pub fn new(row: usize, column: &str, reason: impl Into<String>) -> Self {
        Self {
            row,
            column: column.to_owned(),
            header: crate::columns::header_of(column).to_owned(),
            reason: reason.into(),
        }
    }
}
