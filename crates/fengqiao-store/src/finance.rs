//! Storage of the financial trial assistant (金融智审): the one-year LPR table, bank-loan batches
//! with their cases (borrower identifiers encrypted), the judge's decision on each case and its
//! outcome steps (快立、快审、快执). Every write is audited in its own transaction.

use crate::audit::{self, AuditCtx};
use crate::crypto::FieldCipher;
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::page::{Page, PageRequest};
use crate::scope::Scope;
use sea_query::{Expr, ExprTrait, Iden, Order, Query};
use serde::Serialize;

#[derive(Iden)]
enum LprRates {
    Table,
    Published,
    RatePercent,
    DateVerified,
    UpdatedAt,
}

#[derive(Iden)]
enum FinanceBatches {
    Table,
    Id,
    Name,
    Filename,
    RegionPath,
    OrgId,
    CourtName,
    AppealCourt,
    CreatedBy,
    CreatedAt,
    TotalRows,
    CaseCount,
    ErrorCount,
    ErrorsJson,
}

#[derive(Iden)]
enum FinanceCases {
    Table,
    Id,
    BatchId,
    Seq,
    RowNo,
    ContractNo,
    BorrowerName,
    BorrowerIdEnc,
    BorrowerPhoneEnc,
    CaseJson,
    AdjustmentJson,
    PrincipalFen,
    InterestFen,
    PenaltyFen,
    CompoundFen,
    CostsFen,
    TotalFen,
    FeeFullFen,
    FeeFen,
    Status,
    Reason,
    DecidedBy,
    DecidedAt,
}

#[derive(Iden)]
enum FinanceCaseSteps {
    Table,
    CaseId,
    Step,
    OnDate,
    Note,
    RecordedBy,
    RecordedAt,
}

/// One publication of the one-year LPR as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct LprRecord {
    /// YYYY-MM-DD
    pub published: String,
    /// Percent a year, e.g. `3.45`.
    pub rate_percent: String,
    pub date_verified: bool,
}

/// A batch as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct BatchRow {
    pub id: String,
    pub name: String,
    pub filename: String,
    #[serde(skip)]
    pub region_path: String,
    pub org_id: String,
    pub court_name: String,
    pub appeal_court: String,
    pub created_by: Option<String>,
    #[serde(serialize_with = "crate::page::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: i64,
    pub total_rows: i64,
    pub case_count: i64,
    pub error_count: i64,
    /// The rows left out at upload: `[{row, column, header, reason}]`.
    #[serde(skip)]
    pub errors_json: String,
}

/// The money figures of a case in fen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CaseFigures {
    pub principal_fen: i64,
    pub interest_fen: i64,
    pub penalty_fen: i64,
    pub compound_fen: i64,
    pub costs_fen: i64,
    pub total_fen: i64,
    pub fee_full_fen: i64,
    pub fee_fen: i64,
}

/// A case as stored (the identifiers stay encrypted; `case_json` holds the masked parties).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct FinanceCaseRow {
    pub id: String,
    pub batch_id: String,
    pub seq: i64,
    pub row_no: i64,
    pub contract_no: String,
    pub borrower_name: String,
    #[serde(skip)]
    pub borrower_id_enc: String,
    #[serde(skip)]
    pub borrower_phone_enc: Option<String>,
    pub case_json: String,
    pub adjustment_json: Option<String>,
    pub principal_fen: i64,
    pub interest_fen: i64,
    pub penalty_fen: i64,
    pub compound_fen: i64,
    pub costs_fen: i64,
    pub total_fen: i64,
    pub fee_full_fen: i64,
    pub fee_fen: i64,
    pub status: String,
    pub reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
}

impl FinanceCaseRow {
    pub fn figures(&self) -> CaseFigures {
        CaseFigures {
            principal_fen: self.principal_fen,
            interest_fen: self.interest_fen,
            penalty_fen: self.penalty_fen,
            compound_fen: self.compound_fen,
            costs_fen: self.costs_fen,
            total_fen: self.total_fen,
            fee_full_fen: self.fee_full_fen,
            fee_fen: self.fee_fen,
        }
    }
}

/// One recorded outcome step of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct StepRow {
    pub case_id: String,
    /// filing | hearing | enforcement
    pub step: String,
    /// YYYY-MM-DD
    pub on_date: String,
    pub note: String,
    pub recorded_by: Option<String>,
    #[serde(serialize_with = "crate::page::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub recorded_at: i64,
}

/// A batch to create.
#[derive(Debug, Clone)]
pub struct NewBatch<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub filename: &'a str,
    pub org_id: &'a str,
    pub court_name: &'a str,
    pub appeal_court: &'a str,
    pub total_rows: i64,
    pub errors_json: &'a str,
}

/// One case of a new batch.
#[derive(Debug, Clone)]
pub struct NewFinanceCase {
    pub id: String,
    pub row_no: i64,
    pub contract_no: String,
    pub borrower_name: String,
    /// Plain; encrypted here.
    pub borrower_id: String,
    pub borrower_phone: Option<String>,
    pub case_json: String,
    pub figures: CaseFigures,
}

/// The judge's decision on a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Accept,
    /// Figures recomputed from `adjustment_json`, with the reason.
    Adjust {
        reason: String,
        adjustment_json: String,
        figures: CaseFigures,
    },
    Contest {
        reason: String,
    },
}

/// The outcome steps a case goes through.
pub const STEPS: [&str; 3] = ["filing", "hearing", "enforcement"];
/// The review states of a case.
pub const STATUSES: [&str; 4] = ["pending", "accepted", "adjusted", "contested"];

const CASE_COLUMNS: [FinanceCases; 22] = [
    FinanceCases::Id,
    FinanceCases::BatchId,
    FinanceCases::Seq,
    FinanceCases::RowNo,
    FinanceCases::ContractNo,
    FinanceCases::BorrowerName,
    FinanceCases::BorrowerIdEnc,
    FinanceCases::BorrowerPhoneEnc,
    FinanceCases::CaseJson,
    FinanceCases::AdjustmentJson,
    FinanceCases::PrincipalFen,
    FinanceCases::InterestFen,
    FinanceCases::PenaltyFen,
    FinanceCases::CompoundFen,
    FinanceCases::CostsFen,
    FinanceCases::TotalFen,
    FinanceCases::FeeFullFen,
    FinanceCases::FeeFen,
    FinanceCases::Status,
    FinanceCases::Reason,
    FinanceCases::DecidedBy,
    FinanceCases::DecidedAt,
];

const BATCH_COLUMNS: [FinanceBatches; 13] = [
    FinanceBatches::Id,
    FinanceBatches::Name,
    FinanceBatches::Filename,
    FinanceBatches::RegionPath,
    FinanceBatches::OrgId,
    FinanceBatches::CourtName,
    FinanceBatches::AppealCourt,
    FinanceBatches::CreatedBy,
    FinanceBatches::CreatedAt,
    FinanceBatches::TotalRows,
    FinanceBatches::CaseCount,
    FinanceBatches::ErrorCount,
    FinanceBatches::ErrorsJson,
];

fn check_reason(reason: &str) -> Result<()> {
    let n = reason.trim().chars().count();
    if !(2..=500).contains(&n) {
        return Err(StoreError::invalid(
            "reason",
            "bad_length",
            "理由须为 2–500 字",
        ));
    }
    Ok(())
}

fn check_date(field: &str, text: &str) -> Result<()> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|_| ())
        .map_err(|_| StoreError::invalid(field, "bad_date", "日期格式应为 YYYY-MM-DD"))
}

impl Store {
    /// The stored LPR table, oldest first (empty until seeded).
    pub async fn lpr_rows(&self) -> Result<Vec<LprRecord>> {
        self.fetch_all(
            &Query::select()
                .columns([
                    LprRates::Published,
                    LprRates::RatePercent,
                    LprRates::DateVerified,
                ])
                .from(LprRates::Table)
                .order_by(LprRates::Published, Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// Seeds the table when it is empty (the bundled series); returns whether it wrote.
    pub async fn ensure_lpr_rows(&self, ctx: &AuditCtx, rows: &[LprRecord]) -> Result<bool> {
        if !self.lpr_rows().await?.is_empty() {
            return Ok(false);
        }
        let mut tx = self.begin().await?;
        // Another process may have seeded it since the read: the primary key makes that a
        // conflict, which is fine to treat as "already seeded".
        if let Err(e) = insert_lpr(&mut tx, ctx, rows).await {
            return match e {
                StoreError::Conflict { .. } => Ok(false),
                other => Err(other),
            };
        }
        audit::append(
            &mut tx,
            ctx,
            "lpr.seed",
            "lpr_table",
            "1y",
            None::<&()>,
            Some(&serde_json::json!({ "rows": rows.len(), "last": rows.last() })),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Replaces the whole table (the caller validated it), audited with the old and new series.
    pub async fn replace_lpr_rows(&self, ctx: &AuditCtx, rows: &[LprRecord]) -> Result<()> {
        let before = self.lpr_rows().await?;
        let mut tx = self.begin().await?;
        tx.execute(&Query::delete().from_table(LprRates::Table).to_owned())
            .await?;
        insert_lpr(&mut tx, ctx, rows).await?;
        audit::append(
            &mut tx,
            ctx,
            "lpr.update",
            "lpr_table",
            "1y",
            Some(&before),
            Some(&rows),
        )
        .await?;
        tx.commit().await
    }

    /// Creates a batch with its cases in one transaction (all or nothing), audited once.
    pub async fn create_finance_batch(
        &self,
        ctx: &AuditCtx,
        cipher: &FieldCipher,
        batch: &NewBatch<'_>,
        cases: &[NewFinanceCase],
    ) -> Result<BatchRow> {
        if batch.name.trim().is_empty() || batch.name.chars().count() > 100 {
            return Err(StoreError::invalid(
                "name",
                "bad_length",
                "批次名称须为 1–100 字",
            ));
        }
        if cases.is_empty() {
            return Err(StoreError::invalid(
                "file",
                "no_valid_rows",
                "文件中没有可导入的行",
            ));
        }
        let org: Option<(String,)> = self
            .fetch_optional(
                &Query::select()
                    .column(crate::orgs::Organisations::RegionPath)
                    .from(crate::orgs::Organisations::Table)
                    .and_where(Expr::col(crate::orgs::Organisations::Id).eq(batch.org_id))
                    .to_owned(),
            )
            .await?;
        let (region_path,) = org.ok_or(StoreError::NotFound {
            entity: "organisation",
        })?;
        let error_count = serde_json::from_str::<Vec<serde_json::Value>>(batch.errors_json)
            .map(|v| v.len() as i64)
            .map_err(|e| StoreError::Corrupt(format!("errors_json: {e}")))?;
        let row = BatchRow {
            id: batch.id.to_owned(),
            name: batch.name.trim().to_owned(),
            filename: batch.filename.to_owned(),
            region_path,
            org_id: batch.org_id.to_owned(),
            court_name: batch.court_name.to_owned(),
            appeal_court: batch.appeal_court.to_owned(),
            created_by: ctx.actor_user_id.clone(),
            created_at: ctx.at.as_micros(),
            total_rows: batch.total_rows,
            case_count: cases.len() as i64,
            error_count,
            errors_json: batch.errors_json.to_owned(),
        };
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::insert()
                .into_table(FinanceBatches::Table)
                .columns(BATCH_COLUMNS)
                .values_panic([
                    row.id.clone().into(),
                    row.name.clone().into(),
                    row.filename.clone().into(),
                    row.region_path.clone().into(),
                    row.org_id.clone().into(),
                    row.court_name.clone().into(),
                    row.appeal_court.clone().into(),
                    row.created_by.clone().into(),
                    row.created_at.into(),
                    row.total_rows.into(),
                    row.case_count.into(),
                    row.error_count.into(),
                    row.errors_json.clone().into(),
                ])
                .to_owned(),
        )
        .await
        .map_err(|e| StoreError::from_write(e, &[("finance_batches", "id")]))?;
        // Many rows per statement: a 10,000-case batch is 100 statements, not 10,000.
        for (chunk_index, chunk) in cases.chunks(100).enumerate() {
            let mut insert = Query::insert();
            insert.into_table(FinanceCases::Table).columns(CASE_COLUMNS);
            for (offset, case) in chunk.iter().enumerate() {
                let f = case.figures;
                insert.values_panic([
                    case.id.clone().into(),
                    row.id.clone().into(),
                    ((chunk_index * 100 + offset + 1) as i64).into(),
                    case.row_no.into(),
                    case.contract_no.clone().into(),
                    case.borrower_name.clone().into(),
                    cipher.encrypt(&case.borrower_id)?.into(),
                    case.borrower_phone
                        .as_deref()
                        .map(|p| cipher.encrypt(p))
                        .transpose()?
                        .into(),
                    case.case_json.clone().into(),
                    None::<String>.into(),
                    f.principal_fen.into(),
                    f.interest_fen.into(),
                    f.penalty_fen.into(),
                    f.compound_fen.into(),
                    f.costs_fen.into(),
                    f.total_fen.into(),
                    f.fee_full_fen.into(),
                    f.fee_fen.into(),
                    "pending".into(),
                    None::<String>.into(),
                    None::<String>.into(),
                    None::<i64>.into(),
                ]);
            }
            tx.execute(&insert)
                .await
                .map_err(|e| StoreError::from_write(e, &[("contract_no", "contract_no")]))?;
        }
        audit::append(
            &mut tx,
            ctx,
            "finance_batch.create",
            "finance_batch",
            &row.id,
            None::<&()>,
            Some(&serde_json::json!({
                "name": row.name, "filename": row.filename, "total_rows": row.total_rows,
                "cases": row.case_count, "errors": row.error_count,
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// The batches in scope, newest first.
    pub async fn finance_batches(
        &self,
        scope: &Scope,
        page: PageRequest,
    ) -> Result<Page<BatchRow>> {
        let mut q = Query::select();
        q.from(FinanceBatches::Table)
            .and_where(scope.path_condition(FinanceBatches::RegionPath));
        let total = self
            .fetch_count(
                &q.clone()
                    .expr(Expr::col(FinanceBatches::Id).count())
                    .to_owned(),
            )
            .await?;
        q.columns(BATCH_COLUMNS)
            .order_by(FinanceBatches::CreatedAt, Order::Desc)
            .order_by(FinanceBatches::Id, Order::Desc);
        page.apply(&mut q);
        Ok(Page::new(self.fetch_all(&q).await?, total, page))
    }

    /// One batch in scope (out of scope is not found).
    pub async fn finance_batch(&self, scope: &Scope, id: &str) -> Result<BatchRow> {
        self.fetch_optional(
            &Query::select()
                .columns(BATCH_COLUMNS)
                .from(FinanceBatches::Table)
                .and_where(Expr::col(FinanceBatches::Id).eq(id))
                .and_where(scope.path_condition(FinanceBatches::RegionPath))
                .to_owned(),
        )
        .await?
        .ok_or(StoreError::NotFound {
            entity: "finance batch",
        })
    }

    /// Every case of a batch in scope, in file order.
    pub async fn finance_cases(
        &self,
        scope: &Scope,
        batch_id: &str,
    ) -> Result<Vec<FinanceCaseRow>> {
        let batch = self.finance_batch(scope, batch_id).await?;
        self.fetch_all(
            &Query::select()
                .columns(CASE_COLUMNS)
                .from(FinanceCases::Table)
                .and_where(Expr::col(FinanceCases::BatchId).eq(batch.id.as_str()))
                .order_by(FinanceCases::Seq, Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// One case of a batch in scope.
    pub async fn finance_case(
        &self,
        scope: &Scope,
        batch_id: &str,
        case_id: &str,
    ) -> Result<FinanceCaseRow> {
        let batch = self.finance_batch(scope, batch_id).await?;
        self.fetch_optional(
            &Query::select()
                .columns(CASE_COLUMNS)
                .from(FinanceCases::Table)
                .and_where(Expr::col(FinanceCases::BatchId).eq(batch.id.as_str()))
                .and_where(Expr::col(FinanceCases::Id).eq(case_id))
                .to_owned(),
        )
        .await?
        .ok_or(StoreError::NotFound {
            entity: "finance case",
        })
    }

    /// Records the judge's decision (accept / adjust / contest), audited with before and after.
    pub async fn decide_finance_case(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        batch_id: &str,
        case_id: &str,
        decision: &Decision,
    ) -> Result<FinanceCaseRow> {
        let before = self.finance_case(scope, batch_id, case_id).await?;
        let mut after = before.clone();
        match decision {
            Decision::Accept => {
                after.status = "accepted".into();
                after.reason = None;
            }
            Decision::Adjust {
                reason,
                adjustment_json,
                figures,
            } => {
                check_reason(reason)?;
                after.status = "adjusted".into();
                after.reason = Some(reason.trim().to_owned());
                after.adjustment_json = Some(adjustment_json.clone());
                after.principal_fen = figures.principal_fen;
                after.interest_fen = figures.interest_fen;
                after.penalty_fen = figures.penalty_fen;
                after.compound_fen = figures.compound_fen;
                after.costs_fen = figures.costs_fen;
                after.total_fen = figures.total_fen;
                after.fee_full_fen = figures.fee_full_fen;
                after.fee_fen = figures.fee_fen;
            }
            Decision::Contest { reason } => {
                check_reason(reason)?;
                after.status = "contested".into();
                after.reason = Some(reason.trim().to_owned());
            }
        }
        after.decided_by = ctx.actor_user_id.clone();
        after.decided_at = Some(ctx.at.as_micros());
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::update()
                .table(FinanceCases::Table)
                .values([
                    (FinanceCases::Status, after.status.clone().into()),
                    (FinanceCases::Reason, after.reason.clone().into()),
                    (
                        FinanceCases::AdjustmentJson,
                        after.adjustment_json.clone().into(),
                    ),
                    (FinanceCases::PrincipalFen, after.principal_fen.into()),
                    (FinanceCases::InterestFen, after.interest_fen.into()),
                    (FinanceCases::PenaltyFen, after.penalty_fen.into()),
                    (FinanceCases::CompoundFen, after.compound_fen.into()),
                    (FinanceCases::CostsFen, after.costs_fen.into()),
                    (FinanceCases::TotalFen, after.total_fen.into()),
                    (FinanceCases::FeeFullFen, after.fee_full_fen.into()),
                    (FinanceCases::FeeFen, after.fee_fen.into()),
                    (FinanceCases::DecidedBy, after.decided_by.clone().into()),
                    (FinanceCases::DecidedAt, after.decided_at.into()),
                ])
                .and_where(Expr::col(FinanceCases::Id).eq(case_id))
                .to_owned(),
        )
        .await?;
        let summary = |r: &FinanceCaseRow| {
            serde_json::json!({
                "status": r.status, "reason": r.reason, "adjustment": r.adjustment_json,
                "figures": r.figures(),
            })
        };
        audit::append(
            &mut tx,
            ctx,
            "finance_case.decide",
            "finance_case",
            case_id,
            Some(&summary(&before)),
            Some(&summary(&after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Records (or corrects) one outcome step of a case, audited.
    #[allow(clippy::too_many_arguments)] // the step's own fields; a struct would only rename them
    pub async fn record_finance_step(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        batch_id: &str,
        case_id: &str,
        step: &str,
        on_date: &str,
        note: &str,
    ) -> Result<StepRow> {
        if !STEPS.contains(&step) {
            return Err(StoreError::invalid(
                "step",
                "unknown",
                "环节须为 filing（立案）、hearing（开庭）或 enforcement（执行）",
            ));
        }
        check_date("on_date", on_date)?;
        if note.chars().count() > 500 {
            return Err(StoreError::invalid("note", "too_long", "备注最多 500 字"));
        }
        let case = self.finance_case(scope, batch_id, case_id).await?;
        let before: Option<StepRow> = self
            .finance_steps(std::slice::from_ref(&case.id))
            .await?
            .into_iter()
            .find(|s| s.step == step);
        let row = StepRow {
            case_id: case.id.clone(),
            step: step.to_owned(),
            on_date: on_date.to_owned(),
            note: note.trim().to_owned(),
            recorded_by: ctx.actor_user_id.clone(),
            recorded_at: ctx.at.as_micros(),
        };
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::delete()
                .from_table(FinanceCaseSteps::Table)
                .and_where(Expr::col(FinanceCaseSteps::CaseId).eq(case.id.as_str()))
                .and_where(Expr::col(FinanceCaseSteps::Step).eq(step))
                .to_owned(),
        )
        .await?;
        tx.execute(
            &Query::insert()
                .into_table(FinanceCaseSteps::Table)
                .columns([
                    FinanceCaseSteps::CaseId,
                    FinanceCaseSteps::Step,
                    FinanceCaseSteps::OnDate,
                    FinanceCaseSteps::Note,
                    FinanceCaseSteps::RecordedBy,
                    FinanceCaseSteps::RecordedAt,
                ])
                .values_panic([
                    row.case_id.clone().into(),
                    row.step.clone().into(),
                    row.on_date.clone().into(),
                    row.note.clone().into(),
                    row.recorded_by.clone().into(),
                    row.recorded_at.into(),
                ])
                .to_owned(),
        )
        .await?;
        audit::append(
            &mut tx,
            ctx,
            "finance_case.step",
            "finance_case",
            &case.id,
            before.as_ref(),
            Some(&row),
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// The recorded steps of the given cases.
    pub async fn finance_steps(&self, case_ids: &[String]) -> Result<Vec<StepRow>> {
        if case_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        // Bounded IN lists keep every statement well under both backends' parameter limits.
        for chunk in case_ids.chunks(500) {
            let rows: Vec<StepRow> = self
                .fetch_all(
                    &Query::select()
                        .columns([
                            FinanceCaseSteps::CaseId,
                            FinanceCaseSteps::Step,
                            FinanceCaseSteps::OnDate,
                            FinanceCaseSteps::Note,
                            FinanceCaseSteps::RecordedBy,
                            FinanceCaseSteps::RecordedAt,
                        ])
                        .from(FinanceCaseSteps::Table)
                        .and_where(
                            Expr::col(FinanceCaseSteps::CaseId)
                                .is_in(chunk.iter().map(String::as_str)),
                        )
                        .order_by(FinanceCaseSteps::CaseId, Order::Asc)
                        .to_owned(),
                )
                .await?;
            out.extend(rows);
        }
        Ok(out)
    }
}

async fn insert_lpr(tx: &mut crate::db::Tx, ctx: &AuditCtx, rows: &[LprRecord]) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut insert = Query::insert();
    insert.into_table(LprRates::Table).columns([
        LprRates::Published,
        LprRates::RatePercent,
        LprRates::DateVerified,
        LprRates::UpdatedAt,
    ]);
    for row in rows {
        insert.values_panic([
            row.published.clone().into(),
            row.rate_percent.clone().into(),
            row.date_verified.into(),
            ctx.at.as_micros().into(),
        ]);
    }
    tx.execute(&insert)
        .await
        .map_err(|e| StoreError::from_write(e, &[("published", "published")]))?;
    Ok(())
}
