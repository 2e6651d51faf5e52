//! Import and export (导入导出) of regions, organisations and users as xlsx or JSON files.
//!
//! Import checks the header, parses every cell strictly, and writes each good row through the
//! store's transaction-level creators, all rows in ONE transaction: either every row is written
//! or none is ([`Mode::AllOrNothing`]), or only the good rows are ([`Mode::GoodRowsOnly`]) —
//! never a half-written row. Every refused row is reported with its line, column and reason.
//!
//! Exports of regions and organisations re-import cleanly into an empty database. The users
//! export is for review only: it carries masked identifiers and no password, so a users import
//! file needs `phone`, `id_number` and `password` columns instead (see [`users`]).

mod cells;
mod header;
mod orgs;
mod regions;
mod table;
#[cfg(test)]
mod tests;
mod users;

use anyhow::Context as _;
use fengqiao_store::{AuditCtx, FieldCipher, Scope, Store, StoreError, Tx};
use std::fmt;
use std::path::Path;
use std::str::FromStr;
use table::{Row, Table};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Regions,
    Orgs,
    Users,
}

impl Entity {
    /// The name used on the command line and as the worksheet name.
    pub fn code(self) -> &'static str {
        match self {
            Entity::Regions => "regions",
            Entity::Orgs => "organisations",
            Entity::Users => "users",
        }
    }

    fn label_zh(self) -> &'static str {
        match self {
            Entity::Regions => "区域",
            Entity::Orgs => "机构",
            Entity::Users => "用户",
        }
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown entity `{0}` (regions, organisations, users)")]
pub struct UnknownEntity(pub String);

impl FromStr for Entity {
    type Err = UnknownEntity;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "regions" => Ok(Entity::Regions),
            "organisations" | "organizations" | "orgs" => Ok(Entity::Orgs),
            "users" => Ok(Entity::Users),
            _ => Err(UnknownEntity(s.to_owned())),
        }
    }
}

/// File format, told by the file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Json,
}

impl Format {
    /// `.xlsx` or `.json` (any case); anything else is refused rather than guessed.
    pub fn from_path(path: &Path) -> anyhow::Result<Self> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("xlsx") => Ok(Format::Xlsx),
            Some("json") => Ok(Format::Json),
            _ => anyhow::bail!(
                "cannot tell the format of `{}`: the file name must end in .xlsx or .json",
                path.display()
            ),
        }
    }
}

/// What happens to the good rows when some rows are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Any refused row means nothing is written.
    #[default]
    AllOrNothing,
    /// The good rows are written; refused rows are reported and skipped. Header problems
    /// (missing, unknown or duplicate columns) still stop the whole import: a misspelt optional
    /// column would otherwise drop its data without a word.
    GoodRowsOnly,
}

/// One problem with one cell (or one row, or the header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// 1-based spreadsheet row including the header, or the JSON array index + 1.
    pub line: usize,
    /// The column's header name (JSON: the key); empty when the problem is the whole row.
    pub column: String,
    pub reason: String,
}

impl RowProblem {
    fn new(line: usize, column: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            line,
            column: column.into(),
            reason: reason.into(),
        }
    }
}

/// The outcome of one import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub entity: Entity,
    /// Data rows in the file (blank spreadsheet rows are not counted).
    pub total_rows: usize,
    /// Rows now in the database: 0 unless `committed`.
    pub written: usize,
    /// Every problem found, in file order; a row may have several.
    pub rejected: Vec<RowProblem>,
    /// Whether the transaction was committed.
    pub committed: bool,
}

impl ImportReport {
    /// Number of distinct rows with at least one problem (the header counts as one).
    fn rejected_rows(&self) -> usize {
        let mut lines: Vec<usize> = self.rejected.iter().map(|p| p.line).collect();
        lines.dedup();
        lines.len()
    }

    /// A summary for people, one line per problem: `第 5 行，列 code：……`.
    pub fn render_zh(&self) -> String {
        let mut out = format!(
            "{}导入：共 {} 行，写入 {} 行，有误 {} 行。\n",
            self.entity.label_zh(),
            self.total_rows,
            self.written,
            self.rejected_rows()
        );
        let verdict = match (self.committed, self.rejected.is_empty()) {
            (true, true) => "已全部写入。",
            (true, false) => "已写入无误的行，有误的行已跳过。",
            (false, true) => "未写入任何数据。",
            (false, false) => "未写入任何数据：请改正以下问题后重新导入。",
        };
        out.push_str(verdict);
        out.push('\n');
        for p in &self.rejected {
            if p.column.is_empty() {
                out.push_str(&format!("第 {} 行：{}\n", p.line, p.reason));
            } else {
                out.push_str(&format!(
                    "第 {} 行，列 {}：{}\n",
                    p.line, p.column, p.reason
                ));
            }
        }
        out
    }
}

/// Why a row that parsed was not written.
enum WriteFailure {
    /// The row is at fault: (column, reason) pairs.
    Refused(Vec<(String, String)>),
    /// The database or the key is at fault: abort the whole import.
    Fatal(anyhow::Error),
}

impl WriteFailure {
    fn one(column: &str, reason: impl Into<String>) -> Self {
        WriteFailure::Refused(vec![(column.to_owned(), reason.into())])
    }

    /// Maps a creator's refusal to columns; the store names fields as the columns are named.
    /// `not_found_column` is the column whose reference a bare `NotFound` is about.
    fn from_store(err: StoreError, not_found_column: &str) -> Self {
        match err {
            StoreError::Invalid(fields) => {
                WriteFailure::Refused(fields.into_iter().map(|f| (f.field, f.message)).collect())
            }
            StoreError::Conflict { field } => WriteFailure::Refused(vec![(field, "已存在".into())]),
            StoreError::NotFound { entity } => WriteFailure::one(
                not_found_column,
                format!("引用的{entity}不存在或不在您的管辖范围"),
            ),
            other => WriteFailure::Fatal(anyhow::Error::new(other).context("import aborted")),
        }
    }
}

/// One column an entity's file may have.
#[derive(Debug, Clone, Copy)]
struct Column {
    name: &'static str,
    /// Whether the header must name it (every row needs a value or the column is optional).
    required: bool,
}

/// Parses and writes the rows of one entity.
trait Importer {
    type Input;
    fn columns(&self) -> &'static [Column];
    /// Reads one row; returns None when the reader collected a problem.
    fn parse(&self, row: &mut RowReader<'_>) -> Option<Self::Input>;
    async fn write(&mut self, tx: &mut Tx, input: Self::Input) -> Result<(), WriteFailure>;
}

/// Reads the cells of one row by column name, collecting every problem.
struct RowReader<'a> {
    table: &'a Table,
    row: &'a Row,
    problems: Vec<RowProblem>,
}

impl<'a> RowReader<'a> {
    fn new(table: &'a Table, row: &'a Row) -> Self {
        Self {
            table,
            row,
            problems: Vec::new(),
        }
    }

    fn complain(&mut self, column: &str, reason: impl Into<String>) {
        self.problems
            .push(RowProblem::new(self.row.line, column, reason));
    }

    /// A cell that may be blank: None when blank or when it could not be parsed (complained).
    fn optional<T>(
        &mut self,
        column: &str,
        parse: impl FnOnce(&table::Cell) -> Result<Option<T>, String>,
    ) -> Option<T> {
        match parse(self.table.cell(self.row, column)) {
            Ok(value) => value,
            Err(reason) => {
                self.complain(column, reason);
                None
            }
        }
    }

    /// A cell that must have a value.
    fn required<T>(
        &mut self,
        column: &str,
        parse: impl FnOnce(&table::Cell) -> Result<Option<T>, String>,
    ) -> Option<T> {
        match parse(self.table.cell(self.row, column)) {
            Ok(Some(value)) => Some(value),
            Ok(None) => {
                self.complain(column, "不能为空");
                None
            }
            Err(reason) => {
                self.complain(column, reason);
                None
            }
        }
    }

    fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Imports `path` into the store under `scope`, recording `ctx` in the audit trail.
/// Returns an error (with nothing written) when the file cannot be read or the database fails;
/// row problems are reported, not returned as errors.
pub async fn import(
    store: &Store,
    cipher: &FieldCipher,
    ctx: &AuditCtx,
    scope: &Scope,
    entity: Entity,
    path: &Path,
    mode: Mode,
) -> anyhow::Result<ImportReport> {
    let table = table::read(path, Format::from_path(path)?)
        .with_context(|| format!("reading {}", path.display()))?;
    match entity {
        Entity::Regions => {
            let importer = regions::RegionImporter::new(ctx, scope);
            run(store, importer, entity, &table, mode).await
        }
        Entity::Orgs => {
            let importer = orgs::OrgImporter::new(store, ctx, scope);
            run(store, importer, entity, &table, mode).await
        }
        Entity::Users => {
            let importer = users::UserImporter::new(store, cipher, ctx, scope);
            run(store, importer, entity, &table, mode).await
        }
    }
}

/// Header check, then every row through one transaction.
async fn run<I: Importer>(
    store: &Store,
    mut importer: I,
    entity: Entity,
    table: &Table,
    mode: Mode,
) -> anyhow::Result<ImportReport> {
    let mut report = ImportReport {
        entity,
        total_rows: table.rows.len() + table.unreadable.len(),
        written: 0,
        rejected: header::check(table, importer.columns()),
        committed: false,
    };
    if !report.rejected.is_empty() {
        return Ok(report);
    }
    report.rejected.extend(table.unreadable.iter().cloned());
    let mut tx = store.begin().await.context("starting the import")?;
    for row in &table.rows {
        let mut reader = RowReader::new(table, row);
        let input = importer.parse(&mut reader);
        match input {
            Some(input) if reader.is_clean() => match importer.write(&mut tx, input).await {
                Ok(()) => report.written += 1,
                Err(WriteFailure::Refused(problems)) => report.rejected.extend(
                    problems
                        .into_iter()
                        .map(|(column, reason)| RowProblem::new(row.line, column, reason)),
                ),
                Err(WriteFailure::Fatal(err)) => {
                    return Err(err.context(format!("at line {}", row.line)));
                }
            },
            _ => report.rejected.append(&mut reader.problems),
        }
    }
    report.rejected.sort_by_key(|p| p.line);
    if mode == Mode::AllOrNothing && !report.rejected.is_empty() {
        // Dropping the transaction rolls every row back.
        drop(tx);
        report.written = 0;
        return Ok(report);
    }
    tx.commit().await.context("committing the import")?;
    report.committed = true;
    Ok(report)
}

/// Writes every `entity` row in `scope` to `path` (format from the extension); returns the row
/// count. Users are exported masked and without passwords.
pub async fn export(
    store: &Store,
    scope: &Scope,
    entity: Entity,
    path: &Path,
) -> anyhow::Result<usize> {
    let format = Format::from_path(path)?;
    let table = match entity {
        Entity::Regions => regions::export_table(&store.all_regions(scope).await?),
        Entity::Orgs => orgs::export_table(store.all_orgs(scope).await?),
        Entity::Users => users::export_table(&store.all_users(scope).await?)?,
    };
    table::write(&table, entity.code(), path, format)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(table.rows.len())
}
