//! Bulk import of base-data records: every row is checked first (fields, grid, housing link,
//! duplicates in the file and in the registry); bad rows are reported with their line and field,
//! the good rows are written together in one transaction.

use super::records::{Sealed, check_housing, duplicates_in, grid_in, insert_checked_in, row_of};
use crate::audit::AuditCtx;
use crate::crypto::FieldCipher;
use crate::db::Store;
use crate::error::Result;
use crate::regions::RegionRow;
use crate::scope::Scope;
use fengqiao_domain::basedata::{BaseKind, RecordDraft, validate};
use fengqiao_domain::validation::FieldError;
use std::collections::{HashMap, HashSet};

/// Most rows one file may hold; larger registries are imported in several files.
pub const MAX_IMPORT_ROWS: usize = 5_000;

/// One row of an uploaded file: its line number (1-based, header = 1) and its values.
#[derive(Debug, Clone)]
pub struct ImportRow {
    pub line: usize,
    pub draft: RecordDraft,
}

/// One problem of one refused row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub line: usize,
    pub error: FieldError,
}

/// What an import did: the written rows (line, id) and the refused rows' problems.
#[derive(Debug, Clone, Default)]
pub struct ImportOutcome {
    pub written: Vec<(usize, String)>,
    pub refused: Vec<RowProblem>,
}

impl Store {
    /// Imports rows of one kind. Nothing of a bad row is written; the good rows are written in
    /// one transaction (all or none of them if the database itself fails).
    pub async fn import_base_records(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        cipher: &FieldCipher,
        kind: BaseKind,
        rows: &[ImportRow],
        new_id: &mut (dyn FnMut() -> String + Send),
    ) -> Result<ImportOutcome> {
        let today = ctx.at.china_date();
        let mut outcome = ImportOutcome::default();
        let mut tx = self.begin().await?;
        let mut grids: HashMap<String, std::result::Result<RegionRow, FieldError>> = HashMap::new();
        // Identifiers already taken by an earlier good row of this file.
        let mut seen: HashSet<(&'static str, String)> = HashSet::new();
        let mut good = Vec::new();
        for row in rows {
            let mut problems = Vec::new();
            let record = match validate(kind, &row.draft, today) {
                Ok(r) => Some(r),
                Err(p) => {
                    problems.extend(p);
                    None
                }
            };
            let code = row.draft.grid_code.trim().to_owned();
            let grid = if code.is_empty() {
                None
            } else {
                if !grids.contains_key(&code) {
                    let found = grid_in(&mut tx, scope, "grid_code", &code).await?;
                    grids.insert(code.clone(), found);
                }
                match grids.get(&code) {
                    Some(Ok(g)) => Some(g.clone()),
                    Some(Err(p)) => {
                        if !problems.iter().any(|e: &FieldError| e.field == "grid_code") {
                            problems.push(p.clone());
                        }
                        None
                    }
                    None => None,
                }
            };
            if let Some(r) = &record
                && let Some(p) = check_housing(&mut tx, scope, r).await?
            {
                problems.push(p);
            }
            if let (Some(record), Some(grid), true) = (&record, &grid, problems.is_empty()) {
                let id = new_id();
                let built = row_of(
                    &id,
                    record,
                    grid,
                    Sealed::of(cipher, record, None)?,
                    ctx,
                    None,
                )?;
                problems.extend(duplicates_in(&mut tx, &built, None).await?);
                for (field, value) in [
                    ("id_number", built.id_number_index.clone()),
                    ("credit_code", built.credit_code.clone()),
                ] {
                    if let Some(v) = value
                        && !seen.insert((field, v))
                    {
                        problems.push(FieldError::new(
                            field,
                            "duplicate_in_file",
                            "与文件中前面的行重复",
                        ));
                    }
                }
                if problems.is_empty() {
                    good.push((row.line, built));
                    continue;
                }
            }
            outcome
                .refused
                .extend(problems.into_iter().map(|error| RowProblem {
                    line: row.line,
                    error,
                }));
        }
        for (line, built) in good {
            insert_checked_in(&mut tx, ctx, &built, "import").await?;
            outcome.written.push((line, built.id));
        }
        tx.commit().await?;
        Ok(outcome)
    }
}
