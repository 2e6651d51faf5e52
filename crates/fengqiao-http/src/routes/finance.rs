//! The financial trial assistant (金融智审) over HTTP: the legal calculators (figures with their
//! itemised explanation, or as docx), the LPR table (read; administrators replace it), and the
//! bank-loan batch workflow — template download, upload with a row report, the judge's batch
//! view with decisions and outcome steps, draft documents per case, and the results as xlsx.

use std::str::FromStr;

use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::{ApiJson, CurrentUser};
use crate::routes::Paging;
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use chrono::NaiveDate;
use fengqiao_calc::fee::{CaseFeeKind, Procedure};
use fengqiao_calc::lpr::LprRow;
use fengqiao_calc::{LprTable, Yuan};
use fengqiao_docs::{Align, Block, Template};
use fengqiao_domain::role::Role;
use fengqiao_domain::validation::FieldError;
use fengqiao_finance::drafts::{self, Court};
use fengqiao_finance::workbook::{self, ExportRow};
use fengqiao_finance::{Adjustment, BatchCase, RowError, Wording};
use fengqiao_store::Page;
use fengqiao_store::finance::{
    BatchRow, CaseFigures, Decision, FinanceCaseRow, LprRecord, NewBatch, NewFinanceCase, StepRow,
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// Who works with batches: the court's judges and clerks (intake), and administrators.
const BATCH_ROLES: [Role; 3] = [Role::Judge, Role::Intake, Role::Admin];

fn attachment(content_type: &str, filename: &str, bytes: Vec<u8>) -> impl IntoResponse + use<> {
    // Chinese file names travel percent-encoded (RFC 5987) with an ASCII fallback.
    let encoded: String = filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"download\"; filename*=UTF-8''{encoded}"),
            ),
        ],
        bytes,
    )
}

fn today(state: &AppState) -> NaiveDate {
    state.clock.now().china_date()
}

// ───────────────────────────── calculators ─────────────────────────────

/// One figure of a result, labelled in Chinese.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CalcFigure {
    pub label: String,
    /// Exact text: `110,980.60元`, `4.35%`.
    pub value: String,
}

/// A calculator's answer: the figures, the explanation as Chinese text, the full result.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CalcAnswer {
    pub calculator: String,
    pub title: String,
    pub figures: Vec<CalcFigure>,
    /// The itemised computation, ready to paste into a judgment.
    pub explanation: String,
    #[schema(value_type = Object)]
    pub result: Value,
}

fn yuan_text(y: Yuan) -> String {
    format!("{}元", fengqiao_calc::explain::ZhYuan(y.value()))
}

fn figure(label: &str, value: String) -> CalcFigure {
    CalcFigure {
        label: label.to_owned(),
        value,
    }
}

/// Which fee (诉讼费用交纳办法 arts. 13–14).
#[derive(Debug, Clone, Copy, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeeWhich {
    #[default]
    Acceptance,
    Preservation,
    Enforcement,
    PaymentOrder,
}

/// `POST /calc/fee`: the amount (a property case) or a case kind, and how the case ended.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeeRequest {
    #[serde(default)]
    pub fee: FeeWhich,
    /// Amount in dispute / applied for, yuan as a string (`"1234567.89"`).
    #[serde(default, with = "rust_decimal::serde::str_option")]
    #[schema(value_type = Option<String>)]
    pub amount: Option<Decimal>,
    /// A non-property case kind instead of an amount (acceptance fee only).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub case: Option<CaseFeeKind>,
    /// ordinary | simple | mediated | withdrawn (halving applies once).
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub procedures: Vec<Procedure>,
}

/// Labour calculators share one endpoint.
#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
enum LabourRequest {
    Severance {
        #[serde(flatten)]
        case: Value,
    },
    Overtime {
        #[serde(flatten)]
        case: Value,
    },
    ExtraCompensation {
        #[serde(with = "rust_decimal::serde::str")]
        unpaid: Decimal,
    },
}

fn parse_input<T: serde::de::DeserializeOwned>(input: Value) -> ApiResult<T> {
    crate::extract::parse_json(input.to_string().as_bytes())
}

fn calc_error(e: fengqiao_calc::CalcError) -> ApiError {
    let field = fengqiao_finance::case::calc_error_field(&e);
    ApiError::invalid(field, "calc_refused", e.to_string())
}

async fn lpr_table(state: &AppState) -> ApiResult<LprTable> {
    let rows = stored_lpr(state).await?;
    let rows = rows
        .iter()
        .map(|r| {
            Ok(LprRow {
                published: NaiveDate::from_str(&r.published)
                    .map_err(|e| ApiError::Internal(format!("stored LPR date: {e}")))?,
                rate_percent: Decimal::from_str(&r.rate_percent)
                    .map_err(|e| ApiError::Internal(format!("stored LPR rate: {e}")))?,
                date_verified: r.date_verified,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    LprTable::from_rows(rows).map_err(|e| ApiError::Internal(format!("stored LPR table: {e}")))
}

/// The stored table, seeded from the bundled csv the first time it is needed.
async fn stored_lpr(state: &AppState) -> ApiResult<Vec<LprRecord>> {
    let rows = state.store.lpr_rows().await?;
    if !rows.is_empty() {
        return Ok(rows);
    }
    let builtin =
        LprTable::builtin().map_err(|e| ApiError::Internal(format!("bundled LPR: {e}")))?;
    let records: Vec<LprRecord> = builtin
        .rows()
        .iter()
        .map(|r| LprRecord {
            published: r.published.to_string(),
            rate_percent: r.rate_percent.to_string(),
            date_verified: r.date_verified,
        })
        .collect();
    state
        .store
        .ensure_lpr_rows(
            &fengqiao_store::AuditCtx::system(state.clock.now()),
            &records,
        )
        .await?;
    Ok(state.store.lpr_rows().await?)
}

async fn run_calculator(state: &AppState, calculator: &str, input: Value) -> ApiResult<CalcAnswer> {
    let answer =
        |title: &str, figures: Vec<CalcFigure>, explanation: String, result: Value| CalcAnswer {
            calculator: calculator.to_owned(),
            title: title.to_owned(),
            figures,
            explanation,
            result,
        };
    match calculator {
        "fee" => {
            let req: FeeRequest = parse_input(input)?;
            let need_amount = || {
                req.amount
                    .ok_or_else(|| ApiError::invalid("amount", "required", "请填写金额"))
            };
            let result = match req.fee {
                FeeWhich::Acceptance => {
                    let kind = match req.case {
                        Some(kind) => kind,
                        None => CaseFeeKind::Property {
                            amount: need_amount()?,
                        },
                    };
                    fengqiao_calc::acceptance_fee(kind, &req.procedures)
                }
                FeeWhich::Preservation => fengqiao_calc::preservation_fee(req.amount),
                FeeWhich::Enforcement => fengqiao_calc::enforcement_fee(req.amount),
                FeeWhich::PaymentOrder => fengqiao_calc::payment_order_fee(need_amount()?),
            }
            .map_err(calc_error)?;
            let mut figures = vec![figure("费用", result.fee.to_string())];
            if let Some(ground) = result.halved_for {
                figures.push(figure(
                    "减半事由",
                    serde_json::to_value(ground)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                ));
            }
            Ok(answer(
                "诉讼费用计算",
                figures,
                result.render_zh(),
                serde_json::to_value(&result).unwrap_or(Value::Null),
            ))
        }
        "loan" => {
            let case: fengqiao_calc::LoanCase = parse_input(input)?;
            let claim = fengqiao_calc::compute_loan(&case).map_err(calc_error)?;
            let figures = vec![
                figure("尚欠本金", yuan_text(claim.principal)),
                figure("利息", yuan_text(claim.interest)),
                figure("罚息", yuan_text(claim.penalty)),
                figure("复利", yuan_text(claim.compound)),
                figure("费用", yuan_text(claim.costs)),
                figure("合计", yuan_text(claim.total)),
            ];
            Ok(answer(
                "金融借款诉请金额计算",
                figures,
                claim.render_zh(),
                serde_json::to_value(&claim).unwrap_or(Value::Null),
            ))
        }
        "lending" => {
            let case: fengqiao_calc::LendingCase = parse_input(input)?;
            let table = lpr_table(state).await?;
            let claim = fengqiao_calc::compute_lending(&case, &table).map_err(calc_error)?;
            let figures = vec![
                figure("尚欠本金", yuan_text(claim.principal)),
                figure("借期内利息", yuan_text(claim.interest)),
                figure("逾期利息", yuan_text(claim.overdue_interest)),
                figure("合计", yuan_text(claim.total)),
            ];
            Ok(answer(
                "民间借贷利息计算",
                figures,
                claim.render_zh(),
                serde_json::to_value(&claim).unwrap_or(Value::Null),
            ))
        }
        "late" => {
            let case: fengqiao_calc::LateCase = parse_input(input)?;
            let result = fengqiao_calc::late_interest(&case).map_err(calc_error)?;
            let figures = vec![
                figure("加倍部分债务利息", yuan_text(result.accrued)),
                figure("已付", yuan_text(result.paid)),
                figure("尚欠利息", yuan_text(result.owed)),
                figure("尚欠金钱债务", yuan_text(result.debt_outstanding)),
            ];
            Ok(answer(
                "迟延履行利息计算",
                figures,
                result.render_zh(),
                serde_json::to_value(&result).unwrap_or(Value::Null),
            ))
        }
        "labour" => {
            let req: LabourRequest = parse_input(input)?;
            match req {
                LabourRequest::Severance { case } => {
                    let case: fengqiao_calc::SeveranceCase = parse_input(case)?;
                    let r = fengqiao_calc::severance(&case).map_err(calc_error)?;
                    Ok(answer(
                        "经济补偿（赔偿金）计算",
                        vec![
                            figure("月数", r.months.normalize().to_string()),
                            figure("月工资基数", yuan_text(r.monthly_base)),
                            figure("金额", yuan_text(r.amount)),
                        ],
                        r.render_zh(),
                        serde_json::to_value(&r).unwrap_or(Value::Null),
                    ))
                }
                LabourRequest::Overtime { case } => {
                    let case: fengqiao_calc::OvertimeCase = parse_input(case)?;
                    let r = fengqiao_calc::overtime_pay(&case).map_err(calc_error)?;
                    Ok(answer(
                        "加班费计算",
                        vec![
                            figure("小时工资", yuan_text(r.hourly_wage)),
                            figure("加班费", yuan_text(r.total)),
                        ],
                        r.render_zh(),
                        serde_json::to_value(&r).unwrap_or(Value::Null),
                    ))
                }
                LabourRequest::ExtraCompensation { unpaid } => {
                    let r = fengqiao_calc::extra_compensation(unpaid).map_err(calc_error)?;
                    Ok(answer(
                        "加付赔偿金计算",
                        vec![
                            figure("下限（50%）", yuan_text(r.low)),
                            figure("上限（100%）", yuan_text(r.high)),
                        ],
                        r.render_zh(),
                        serde_json::to_value(r).unwrap_or(Value::Null),
                    ))
                }
            }
        }
        _ => Err(ApiError::NotFound {
            entity: "calculator",
        }),
    }
}

/// Run a calculator: `fee`, `loan`, `lending`, `late` or `labour` (`kind`: severance | overtime |
/// extra_compensation). The body is the calculator's input as `fengqiao calc` takes it (money and
/// rates as strings). Answers the figures and the itemised Chinese explanation.
#[utoipa::path(post, path = "/api/v1/calc/{calculator}", tag = "finance",
    params(("calculator" = String, Path, description = "fee | loan | lending | late | labour")),
    request_body = Object,
    responses((status = 200, body = CalcAnswer), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn calculate(
    State(state): State<AppState>,
    _me: CurrentUser,
    Path(calculator): Path<String>,
    ApiJson(input): ApiJson<Value>,
) -> ApiResult<Json<CalcAnswer>> {
    Ok(Json(run_calculator(&state, &calculator, input).await?))
}

/// The calculation sheet (计算表) of one result: its title, figures and explanation.
fn calculation_template() -> Template {
    Template {
        key: "calculation".to_owned(),
        name: "计算表".to_owned(),
        blocks: vec![
            Block::Title {
                text: "{{title}}".to_owned(),
            },
            Block::Table {
                rows: "figures".to_owned(),
                columns: vec![
                    fengqiao_docs::Column {
                        header: "项目".to_owned(),
                        cell: "{{label}}".to_owned(),
                        width: 1,
                    },
                    fengqiao_docs::Column {
                        header: "金额或结果".to_owned(),
                        cell: "{{value}}".to_owned(),
                        width: 2,
                    },
                ],
            },
            Block::Heading {
                text: "计算过程".to_owned(),
            },
            Block::Each {
                list: "lines".to_owned(),
                blocks: vec![Block::Paragraph {
                    text: "{{this}}".to_owned(),
                    align: Align::Left,
                    indent: false,
                }],
            },
            Block::Signature {
                lines: vec!["计算日期：{{date}}".to_owned()],
            },
        ],
    }
}

/// The same calculation as a docx calculation sheet.
#[utoipa::path(post, path = "/api/v1/calc/{calculator}/docx", tag = "finance",
    params(("calculator" = String, Path, description = "fee | loan | lending | late | labour")),
    request_body = Object,
    responses((status = 200, description = "docx"), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn calculate_docx(
    State(state): State<AppState>,
    _me: CurrentUser,
    Path(calculator): Path<String>,
    ApiJson(input): ApiJson<Value>,
) -> ApiResult<impl IntoResponse> {
    let answer = run_calculator(&state, &calculator, input).await?;
    let context = json!({
        "title": answer.title,
        "figures": answer.figures,
        "lines": answer.explanation.lines().collect::<Vec<_>>(),
        "date": drafts::zh_date(today(&state)),
    });
    let bytes = fengqiao_docs::render_docx(&calculation_template(), &context)
        .map_err(|e| ApiError::Internal(format!("calculation sheet: {e}")))?;
    Ok(attachment(DOCX, &format!("{}.docx", answer.title), bytes))
}

// ───────────────────────────── LPR ─────────────────────────────

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LprView {
    pub rows: Vec<LprRecord>,
    pub last_published: Option<String>,
}

/// The one-year LPR table in use (seeded from the bundled series on first use).
#[utoipa::path(get, path = "/api/v1/lpr", tag = "finance", responses((status = 200, body = LprView)))]
pub async fn lpr(State(state): State<AppState>, _me: CurrentUser) -> ApiResult<Json<LprView>> {
    let rows = stored_lpr(&state).await?;
    Ok(Json(LprView {
        last_published: rows.last().map(|r| r.published.clone()),
        rows,
    }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LprInput {
    /// YYYY-MM-DD
    pub published: String,
    /// Percent a year, e.g. `"3.00"`.
    pub rate_percent: String,
    #[serde(default = "yes")]
    pub date_verified: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LprUpdate {
    pub rows: Vec<LprInput>,
}

/// Checks a whole series: real dates from 2019-08-20 in ascending order, one publication a
/// month with no month missing, published on or after the 20th, rates between 0.5% and 10% that
/// move by at most one percentage point from one month to the next.
pub fn validate_lpr(rows: &[LprInput]) -> Result<Vec<LprRow>, Vec<FieldError>> {
    let mut problems = Vec::new();
    let mut parsed = Vec::with_capacity(rows.len());
    if rows.is_empty() {
        problems.push(FieldError::new("rows", "empty", "LPR 表不能为空"));
    }
    let mut previous: Option<LprRow> = None;
    for (index, row) in rows.iter().enumerate() {
        let field = |name: &str| format!("rows[{index}].{name}");
        let date = NaiveDate::parse_from_str(row.published.trim(), "%Y-%m-%d");
        let rate = Decimal::from_str(row.rate_percent.trim());
        let (Ok(date), Ok(rate)) = (date, rate.clone()) else {
            if date.is_err() {
                problems.push(FieldError::new(
                    field("published"),
                    "bad_date",
                    "日期格式应为 YYYY-MM-DD",
                ));
            }
            if rate.is_err() {
                problems.push(FieldError::new(
                    field("rate_percent"),
                    "bad_number",
                    "利率应为数字，如 3.45",
                ));
            }
            previous = None;
            continue;
        };
        use chrono::Datelike;
        if date < fengqiao_calc::lpr::FIRST_PUBLICATION {
            problems.push(FieldError::new(
                field("published"),
                "before_reform",
                "LPR 自 2019年8月20日起报价，不得早于该日",
            ));
        }
        if date.day() < 20 {
            problems.push(FieldError::new(
                field("published"),
                "before_20th",
                "LPR 每月20日发布（遇节假日顺延），发布日不得早于当月20日",
            ));
        }
        if rate < Decimal::new(5, 1) || rate > Decimal::TEN || rate.scale() > 4 {
            problems.push(FieldError::new(
                field("rate_percent"),
                "out_of_range",
                "利率应在 0.5% 至 10% 之间，最多四位小数",
            ));
        }
        if let Some(prev) = &previous {
            let months = (date.year() - prev.published.year()) * 12 + date.month() as i32
                - prev.published.month() as i32;
            if months < 1 {
                problems.push(FieldError::new(
                    field("published"),
                    "not_ascending",
                    "发布日须按月递增，每月一条",
                ));
            } else if months > 1 {
                problems.push(FieldError::new(
                    field("published"),
                    "gap",
                    format!("与上一条之间缺少{}个月的报价", months - 1),
                ));
            }
            if (rate - prev.rate_percent).abs() > Decimal::ONE {
                problems.push(FieldError::new(
                    field("rate_percent"),
                    "implausible_change",
                    "与上月相比变动超过1个百分点，请核对",
                ));
            }
        }
        let row = LprRow {
            published: date,
            rate_percent: rate,
            date_verified: row.date_verified,
        };
        previous = Some(row);
        parsed.push(row);
    }
    if problems.is_empty() {
        Ok(parsed)
    } else {
        Err(problems)
    }
}

/// Replace the LPR table (city administrators). The whole series is checked first; nothing
/// is written unless every row passes.
#[utoipa::path(put, path = "/api/v1/lpr", tag = "finance", request_body = LprUpdate,
    responses((status = 200, body = LprView), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn update_lpr(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(req): ApiJson<LprUpdate>,
) -> ApiResult<Json<LprView>> {
    me.require(&[Role::Admin])?;
    // The rate table serves every court in the city: only a city-level administrator sets it.
    if me.user.org_region_path.trim_matches('/').contains('/') {
        return Err(ApiError::Forbidden);
    }
    let rows = validate_lpr(&req.rows).map_err(ApiError::Invalid)?;
    LprTable::from_rows(rows.clone())
        .map_err(|e| ApiError::invalid("rows", "bad_table", e.to_string()))?;
    let records: Vec<LprRecord> = rows
        .iter()
        .map(|r| LprRecord {
            published: r.published.to_string(),
            rate_percent: r.rate_percent.normalize().to_string(),
            date_verified: r.date_verified,
        })
        .collect();
    state
        .store
        .replace_lpr_rows(&me.audit(&state), &records)
        .await?;
    Ok(Json(LprView {
        last_published: records.last().map(|r| r.published.clone()),
        rows: records,
    }))
}

// ───────────────────────────── batches ─────────────────────────────

/// The blank bank-loan template (`xlsx` with a notes sheet, or `csv`).
#[utoipa::path(get, path = "/api/v1/finance/template/{format}", tag = "finance",
    params(("format" = String, Path, description = "xlsx | csv")),
    responses((status = 200, description = "the template"), (status = 422, body = ErrorEnvelope)))]
pub async fn template(
    _me: CurrentUser,
    Path(format): Path<String>,
) -> ApiResult<impl IntoResponse> {
    match format.as_str() {
        "xlsx" => {
            let bytes = workbook::template_xlsx()
                .map_err(|e| ApiError::Internal(format!("template xlsx: {e}")))?;
            Ok(attachment(XLSX, "金融借款案件批量导入模板.xlsx", bytes))
        }
        "csv" => Ok(attachment(
            "text/csv; charset=utf-8",
            "金融借款案件批量导入模板.csv",
            workbook::template_csv().into_bytes(),
        )),
        _ => Err(ApiError::invalid(
            "format",
            "unsupported",
            "格式为 xlsx 或 csv",
        )),
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BatchView {
    #[serde(flatten)]
    pub batch: BatchRow,
    /// Cases per review state.
    pub pending: i64,
    pub accepted: i64,
    pub adjusted: i64,
    pub contested: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UploadAnswer {
    pub batch: BatchRow,
    /// Rows left out, each with its line, column and reason.
    pub errors: Vec<RowError>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The batch's name (default: the file name).
    pub name: Option<String>,
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(text.get(i + 1..i + 3)?, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The intermediate court of the city the organisation lies in (where appeals go).
async fn appeal_court(state: &AppState, region_path: &str) -> String {
    let city = region_path
        .trim_matches('/')
        .split('/')
        .next()
        .unwrap_or_default();
    match state
        .store
        .get_region(&fengqiao_store::Scope::Everything, city)
        .await
    {
        Ok(region) => format!("{}中级人民法院", region.name),
        Err(_) => "上一级人民法院".to_owned(),
    }
}

/// Imports an uploaded file as a batch for `me`'s organisation (also used by the demo seeder
/// through the store directly).
pub fn to_new_cases(
    rows: &[fengqiao_finance::PreparedRow],
    mut id: impl FnMut() -> String,
) -> ApiResult<Vec<NewFinanceCase>> {
    rows.iter()
        .map(|row| {
            Ok(NewFinanceCase {
                id: id(),
                row_no: row.parsed.row as i64,
                contract_no: row.parsed.case.contract_no.clone(),
                borrower_name: row.parsed.case.borrower.name.clone(),
                borrower_id: row.parsed.borrower_id.clone(),
                borrower_phone: row.parsed.borrower_phone.clone(),
                case_json: serde_json::to_string(&row.parsed.case)
                    .map_err(|e| ApiError::Internal(format!("case json: {e}")))?,
                figures: store_figures(&row.computed.figures),
            })
        })
        .collect()
}

fn store_figures(f: &fengqiao_finance::Figures) -> CaseFigures {
    CaseFigures {
        principal_fen: f.principal_fen,
        interest_fen: f.interest_fen,
        penalty_fen: f.penalty_fen,
        compound_fen: f.compound_fen,
        costs_fen: f.costs_fen,
        total_fen: f.total_fen,
        fee_full_fen: f.fee_full_fen,
        fee_fen: f.fee_fen,
    }
}

/// Upload a bank's batch (raw xlsx or UTF-8 csv body; percent-encoded `X-Filename`). Every row
/// is validated: bad rows come back with line, column and reason and are left out; the good
/// rows are computed and stored as one batch. A file without a single good row is refused
/// (422, the row problems as details) and nothing is written.
#[utoipa::path(post, path = "/api/v1/finance/batches", tag = "finance", params(UploadQuery),
    request_body(content = String, content_type = "application/octet-stream"),
    responses((status = 201, body = UploadAnswer), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn upload(
    State(state): State<AppState>,
    me: CurrentUser,
    crate::extract::ApiQuery(query): crate::extract::ApiQuery<UploadQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<UploadAnswer>)> {
    me.require(&BATCH_ROLES)?;
    let filename = headers
        .get("x-filename")
        .and_then(|v| v.to_str().ok())
        .and_then(percent_decode)
        .ok_or_else(|| {
            ApiError::invalid(
                "filename",
                "required",
                "须提供文件名（X-Filename，百分号编码）",
            )
        })?;
    if body.is_empty() {
        return Err(ApiError::invalid("file", "empty", "文件为空"));
    }
    let parsed = fengqiao_finance::parse_upload(&filename, &body, today(&state))
        .map_err(|e| ApiError::invalid("file", "unreadable", e.to_string()))?;
    let (rows, errors, total) = fengqiao_finance::prepare(parsed);
    if rows.is_empty() {
        let mut details: Vec<FieldError> = errors
            .iter()
            .take(200)
            .map(|e| {
                FieldError::new(
                    format!("rows[{}].{}", e.row, e.column),
                    "bad_row",
                    format!("第{}行“{}”：{}", e.row, e.header, e.reason),
                )
            })
            .collect();
        details.insert(
            0,
            FieldError::new("file", "no_valid_rows", "文件中没有可导入的行"),
        );
        return Err(ApiError::Invalid(details));
    }
    let cases = to_new_cases(&rows, || uuid::Uuid::now_v7().to_string())?;
    let name = query
        .name
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| {
            filename
                .trim_end_matches(".xlsx")
                .trim_end_matches(".csv")
                .to_owned()
        });
    let errors_json =
        serde_json::to_string(&errors).map_err(|e| ApiError::Internal(e.to_string()))?;
    let appeal = appeal_court(&state, &me.user.org_region_path).await;
    let batch = state
        .store
        .create_finance_batch(
            &me.audit(&state),
            &state.cipher,
            &NewBatch {
                id: &uuid::Uuid::now_v7().to_string(),
                name: &name,
                filename: &filename,
                org_id: &me.user.org_id,
                court_name: &me.user.org_name,
                appeal_court: &appeal,
                total_rows: total as i64,
                errors_json: &errors_json,
            },
            &cases,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(UploadAnswer { batch, errors })))
}

fn counts(batch: BatchRow, cases: &[FinanceCaseRow]) -> BatchView {
    let count = |status: &str| cases.iter().filter(|c| c.status == status).count() as i64;
    BatchView {
        pending: count("pending"),
        accepted: count("accepted"),
        adjusted: count("adjusted"),
        contested: count("contested"),
        batch,
    }
}

/// The batches in the caller's scope, newest first.
#[utoipa::path(get, path = "/api/v1/finance/batches", tag = "finance", params(Paging),
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope)))]
pub async fn batches(
    State(state): State<AppState>,
    me: CurrentUser,
    crate::extract::ApiQuery(paging): crate::extract::ApiQuery<Paging>,
) -> ApiResult<Json<Page<BatchView>>> {
    me.require(&BATCH_ROLES)?;
    let page = state
        .store
        .finance_batches(&me.scope, paging.request())
        .await?;
    let mut items = Vec::with_capacity(page.items.len());
    for batch in page.items {
        let cases = state.store.finance_cases(&me.scope, &batch.id).await?;
        items.push(counts(batch, &cases));
    }
    Ok(Json(Page {
        items,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

/// A case in the batch list: who, the figures, the review state and the steps.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CaseSummary {
    pub id: String,
    pub seq: i64,
    pub row: i64,
    pub contract_no: String,
    pub borrower_name: String,
    pub figures: CaseFigures,
    /// pending | accepted | adjusted | contested
    pub status: String,
    pub reason: Option<String>,
    pub steps: Vec<StepRow>,
}

fn summary(row: &FinanceCaseRow, steps: &[StepRow]) -> CaseSummary {
    CaseSummary {
        id: row.id.clone(),
        seq: row.seq,
        row: row.row_no,
        contract_no: row.contract_no.clone(),
        borrower_name: row.borrower_name.clone(),
        figures: row.figures(),
        status: row.status.clone(),
        reason: row.reason.clone(),
        steps: steps
            .iter()
            .filter(|s| s.case_id == row.id)
            .cloned()
            .collect(),
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BatchDetail {
    pub batch: BatchView,
    pub errors: Vec<RowError>,
    pub cases: Vec<CaseSummary>,
}

fn stored_errors(batch: &BatchRow) -> Vec<RowError> {
    #[derive(Deserialize)]
    struct Stored {
        row: usize,
        column: String,
        reason: String,
    }
    serde_json::from_str::<Vec<Stored>>(&batch.errors_json)
        .unwrap_or_default()
        .into_iter()
        .map(|e| RowError::new(e.row, &e.column, e.reason))
        .collect()
}

/// One batch: its counts, the rows left out at upload, and every case.
#[utoipa::path(get, path = "/api/v1/finance/batches/{id}", tag = "finance", params(("id" = String, Path)),
    responses((status = 200, body = BatchDetail), (status = 404, body = ErrorEnvelope)))]
pub async fn batch(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<BatchDetail>> {
    me.require(&BATCH_ROLES)?;
    let batch = state.store.finance_batch(&me.scope, &id).await?;
    let cases = state.store.finance_cases(&me.scope, &id).await?;
    let steps = state
        .store
        .finance_steps(&cases.iter().map(|c| c.id.clone()).collect::<Vec<_>>())
        .await?;
    let errors = stored_errors(&batch);
    let list = cases.iter().map(|c| summary(c, &steps)).collect();
    Ok(Json(BatchDetail {
        batch: counts(batch, &cases),
        errors,
        cases: list,
    }))
}

/// Everything the judge sees of one case: figures, explanation, draft texts, steps, history.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CaseDetail {
    pub summary: CaseSummary,
    pub case: BatchCase,
    pub adjustment: Option<Adjustment>,
    pub wording: Wording,
    /// The judgment's main items, late-performance sentence and costs as one text.
    pub judgment_text: String,
    pub decided_by: Option<String>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub decided_at: Option<String>,
}

struct Loaded {
    batch: BatchRow,
    row: FinanceCaseRow,
    case: BatchCase,
    adjustment: Option<Adjustment>,
    wording: Wording,
    steps: Vec<StepRow>,
}

async fn load_case(
    state: &AppState,
    me: &CurrentUser,
    id: &str,
    case_id: &str,
) -> ApiResult<Loaded> {
    let batch = state.store.finance_batch(&me.scope, id).await?;
    let row = state.store.finance_case(&me.scope, id, case_id).await?;
    let case: BatchCase = serde_json::from_str(&row.case_json)
        .map_err(|e| ApiError::Internal(format!("stored case {case_id}: {e}")))?;
    let adjustment: Option<Adjustment> = row
        .adjustment_json
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|e| ApiError::Internal(format!("stored adjustment {case_id}: {e}")))?;
    let (_, wording) = fengqiao_finance::word_case(&case, adjustment.as_ref())
        .map_err(|e| ApiError::Internal(format!("recomputing {case_id}: {e}")))?;
    let steps = state
        .store
        .finance_steps(std::slice::from_ref(&row.id))
        .await?;
    Ok(Loaded {
        batch,
        row,
        case,
        adjustment,
        wording,
        steps,
    })
}

fn judgment_text(w: &Wording) -> String {
    const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    let mut out = String::new();
    for (index, item) in w.judgment_items.iter().enumerate() {
        out.push_str(NUMERALS.get(index).copied().unwrap_or("十"));
        out.push('、');
        out.push_str(item);
        out.push('\n');
    }
    out.push_str(&w.late_performance);
    out.push('\n');
    out.push_str(&w.judgment_costs);
    out
}

fn detail(loaded: Loaded) -> CaseDetail {
    CaseDetail {
        summary: summary(&loaded.row, &loaded.steps),
        judgment_text: judgment_text(&loaded.wording),
        decided_by: loaded.row.decided_by.clone(),
        decided_at: loaded
            .row
            .decided_at
            .map(|m| fengqiao_domain::time::Timestamp::from_micros(m).to_rfc3339()),
        case: loaded.case,
        adjustment: loaded.adjustment,
        wording: loaded.wording,
    }
}

/// One case of a batch with its figures, explanation and draft texts.
#[utoipa::path(get, path = "/api/v1/finance/batches/{id}/cases/{case_id}", tag = "finance",
    params(("id" = String, Path), ("case_id" = String, Path)),
    responses((status = 200, body = CaseDetail), (status = 404, body = ErrorEnvelope)))]
pub async fn case(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((id, case_id)): Path<(String, String)>,
) -> ApiResult<Json<CaseDetail>> {
    me.require(&BATCH_ROLES)?;
    Ok(Json(detail(load_case(&state, &me, &id, &case_id).await?)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionAction {
    Accept,
    Adjust,
    Contest,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    pub action: DecisionAction,
    /// Required to adjust or contest.
    #[serde(default)]
    pub reason: Option<String>,
    /// What to change (adjust only); the case is recomputed.
    #[serde(default)]
    pub adjustment: Option<Adjustment>,
}

/// The judge's decision on a case: accept the figures, adjust (with a reason; recomputed), or
/// mark it contested (with a reason). Audited with the state before and after.
#[utoipa::path(post, path = "/api/v1/finance/batches/{id}/cases/{case_id}/decision", tag = "finance",
    params(("id" = String, Path), ("case_id" = String, Path)), request_body = DecisionRequest,
    responses((status = 200, body = CaseDetail), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn decide(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((id, case_id)): Path<(String, String)>,
    ApiJson(req): ApiJson<DecisionRequest>,
) -> ApiResult<Json<CaseDetail>> {
    me.require(&[Role::Judge])?;
    let loaded = load_case(&state, &me, &id, &case_id).await?;
    let reason = req.reason.unwrap_or_default();
    let decision = match req.action {
        DecisionAction::Accept => Decision::Accept,
        DecisionAction::Contest => Decision::Contest { reason },
        DecisionAction::Adjust => {
            let adjustment = req
                .adjustment
                .filter(|a| !a.is_empty())
                .ok_or_else(|| ApiError::invalid("adjustment", "required", "请填写调整内容"))?;
            let computed =
                fengqiao_finance::compute(&loaded.case, Some(&adjustment)).map_err(|e| {
                    let field = fengqiao_finance::case::calc_error_field(&e);
                    ApiError::invalid(
                        &format!("adjustment.{field}"),
                        "calc_refused",
                        e.to_string(),
                    )
                })?;
            Decision::Adjust {
                reason,
                adjustment_json: serde_json::to_string(&adjustment)
                    .map_err(|e| ApiError::Internal(e.to_string()))?,
                figures: store_figures(&computed.figures),
            }
        }
    };
    state
        .store
        .decide_finance_case(&me.audit(&state), &me.scope, &id, &case_id, &decision)
        .await?;
    Ok(Json(detail(load_case(&state, &me, &id, &case_id).await?)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepRequest {
    /// filing (快立) | hearing (快审) | enforcement (快执)
    pub step: String,
    /// YYYY-MM-DD
    pub on_date: String,
    /// The case number at filing, the hearing's note, the enforcement case number …
    #[serde(default)]
    pub note: String,
}

/// Record an outcome step of a case (快立、快审、快执), audited; recording it again corrects it.
#[utoipa::path(post, path = "/api/v1/finance/batches/{id}/cases/{case_id}/steps", tag = "finance",
    params(("id" = String, Path), ("case_id" = String, Path)), request_body = StepRequest,
    responses((status = 200, body = CaseDetail), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn record_step(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((id, case_id)): Path<(String, String)>,
    ApiJson(req): ApiJson<StepRequest>,
) -> ApiResult<Json<CaseDetail>> {
    me.require(&[Role::Judge, Role::Intake])?;
    state
        .store
        .record_finance_step(
            &me.audit(&state),
            &me.scope,
            &id,
            &case_id,
            &req.step,
            req.on_date.trim(),
            &req.note,
        )
        .await?;
    Ok(Json(detail(load_case(&state, &me, &id, &case_id).await?)))
}

async fn finance_template(state: &AppState, key: &str) -> ApiResult<Template> {
    match state.store.document_template(key).await? {
        Some(json) => Template::from_json(&json)
            .map_err(|e| ApiError::Internal(format!("stored template {key}: {e}"))),
        None => drafts::default_template(key).ok_or(ApiError::NotFound {
            entity: "document template",
        }),
    }
}

fn fonts() -> ApiResult<&'static fengqiao_docs::FontSet> {
    static FONTS: std::sync::OnceLock<Result<fengqiao_docs::FontSet, String>> =
        std::sync::OnceLock::new();
    FONTS
        .get_or_init(|| fengqiao_docs::FontSet::discover().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| ApiError::Internal(format!("PDF fonts unavailable: {e}")))
}

/// A draft of one case — `finance_complaint` (起诉状), `finance_mediation` (调解书) or
/// `finance_judgment` (判决书) — as docx or PDF, from the (editable) templates.
#[utoipa::path(get, path = "/api/v1/finance/batches/{id}/cases/{case_id}/documents/{key}/{format}", tag = "finance",
    params(("id" = String, Path), ("case_id" = String, Path), ("key" = String, Path, description = "finance_complaint | finance_mediation | finance_judgment"), ("format" = String, Path, description = "docx | pdf")),
    responses((status = 200, description = "the draft"), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn document(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((id, case_id, key, format)): Path<(String, String, String, String)>,
) -> ApiResult<impl IntoResponse> {
    me.require(&BATCH_ROLES)?;
    if !drafts::KEYS.contains(&key.as_str()) {
        return Err(ApiError::NotFound {
            entity: "document template",
        });
    }
    let loaded = load_case(&state, &me, &id, &case_id).await?;
    let template = finance_template(&state, &key).await?;
    let filing = loaded.steps.iter().find(|s| s.step == "filing");
    let filed_on = filing
        .and_then(|s| NaiveDate::from_str(&s.on_date).ok())
        .unwrap_or_else(|| {
            fengqiao_domain::time::Timestamp::from_micros(loaded.batch.created_at).china_date()
        });
    let number = filing
        .map(|s| s.note.trim())
        .filter(|n| !n.is_empty())
        .unwrap_or("（　　）　　民初　　号");
    let judge = if me.has(Role::Judge) {
        me.user.display_name.as_str()
    } else {
        "（承办法官）"
    };
    let context = drafts::context(
        &loaded.case,
        &loaded.wording,
        &Court {
            name: &loaded.batch.court_name,
            appeal: &loaded.batch.appeal_court,
            judge,
        },
        number,
        filed_on,
        today(&state),
    );
    let name = format!(
        "{}-{}-{}",
        loaded.case.contract_no, loaded.case.borrower.name, template.name
    );
    match format.as_str() {
        "docx" => {
            let bytes = fengqiao_docs::render_docx(&template, &context)
                .map_err(|e| ApiError::invalid("template", "render_failed", e.to_string()))?;
            Ok(attachment(DOCX, &format!("{name}.docx"), bytes))
        }
        "pdf" => {
            let bytes = fengqiao_docs::render_pdf(&template, &context, fonts()?)
                .map_err(|e| ApiError::invalid("template", "render_failed", e.to_string()))?;
            Ok(attachment("application/pdf", &format!("{name}.pdf"), bytes))
        }
        _ => Err(ApiError::invalid(
            "format",
            "unsupported",
            "格式为 docx 或 pdf",
        )),
    }
}

fn status_zh(status: &str) -> &'static str {
    match status {
        "accepted" => "已确认",
        "adjusted" => "已调整",
        "contested" => "有争议",
        _ => "待审",
    }
}

/// The batch results as xlsx: one row per case (figures, decision, steps, judgment items) and
/// a sheet of the rows left out at upload.
#[utoipa::path(get, path = "/api/v1/finance/batches/{id}/export", tag = "finance", params(("id" = String, Path)),
    responses((status = 200, description = "xlsx"), (status = 404, body = ErrorEnvelope)))]
pub async fn export(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    me.require(&BATCH_ROLES)?;
    let batch = state.store.finance_batch(&me.scope, &id).await?;
    let cases = state.store.finance_cases(&me.scope, &id).await?;
    let steps = state
        .store
        .finance_steps(&cases.iter().map(|c| c.id.clone()).collect::<Vec<_>>())
        .await?;
    let mut names = std::collections::HashMap::new();
    let mut rows = Vec::with_capacity(cases.len());
    for row in &cases {
        let case: BatchCase = serde_json::from_str(&row.case_json)
            .map_err(|e| ApiError::Internal(format!("stored case {}: {e}", row.id)))?;
        let adjustment: Option<Adjustment> = row
            .adjustment_json
            .as_deref()
            .and_then(|j| serde_json::from_str(j).ok());
        let (_, wording) = fengqiao_finance::word_case(&case, adjustment.as_ref())
            .map_err(|e| ApiError::Internal(format!("recomputing {}: {e}", row.id)))?;
        let step = |name: &str| {
            steps
                .iter()
                .find(|s| s.case_id == row.id && s.step == name)
                .map(|s| {
                    if s.note.is_empty() {
                        s.on_date.clone()
                    } else {
                        format!("{} {}", s.on_date, s.note)
                    }
                })
                .unwrap_or_default()
        };
        let decided_by = match &row.decided_by {
            Some(user) => {
                if !names.contains_key(user) {
                    let name = state
                        .store
                        .get_user(&fengqiao_store::Scope::Everything, user)
                        .await
                        .map(|u| u.display_name)
                        .unwrap_or_else(|_| user.clone());
                    names.insert(user.clone(), name);
                }
                names.get(user).cloned().unwrap_or_default()
            }
            None => String::new(),
        };
        rows.push(ExportRow {
            seq: row.seq,
            row: row.row_no,
            reference: case.reference.clone().unwrap_or_default(),
            contract_no: row.contract_no.clone(),
            borrower: row.borrower_name.clone(),
            principal_fen: row.principal_fen,
            interest_fen: row.interest_fen,
            penalty_fen: row.penalty_fen,
            compound_fen: row.compound_fen,
            costs_fen: row.costs_fen,
            total_fen: row.total_fen,
            fee_fen: row.fee_fen,
            status: status_zh(&row.status).to_owned(),
            reason: row.reason.clone().unwrap_or_default(),
            decided_by,
            filing: step("filing"),
            hearing: step("hearing"),
            enforcement: step("enforcement"),
            judgment_items: judgment_text(&wording),
        });
    }
    let title = format!("{}（{}）审查结果", batch.name, batch.court_name);
    let bytes = workbook::export_xlsx(&title, &rows, &stored_errors(&batch))
        .map_err(|e| ApiError::Internal(format!("export xlsx: {e}")))?;
    Ok(attachment(
        XLSX,
        &format!("{}-审查结果.xlsx", batch.name),
        bytes,
    ))
}

// ───────────────────────────── templates ─────────────────────────────

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FinanceTemplateInfo {
    pub key: String,
    pub name: String,
    pub edited: bool,
    #[schema(value_type = Object)]
    pub template: Value,
}

/// The draft templates of the batch workflow (built-in or as edited).
#[utoipa::path(get, path = "/api/v1/finance/templates", tag = "finance",
    responses((status = 200, body = [FinanceTemplateInfo])))]
pub async fn templates(
    State(state): State<AppState>,
    _me: CurrentUser,
) -> ApiResult<Json<Vec<FinanceTemplateInfo>>> {
    let mut out = Vec::new();
    for t in drafts::default_templates() {
        let stored = state.store.document_template(&t.key).await?;
        let template = match &stored {
            Some(json) => serde_json::from_str(json).unwrap_or(Value::Null),
            None => serde_json::to_value(&t).unwrap_or(Value::Null),
        };
        out.push(FinanceTemplateInfo {
            key: t.key.clone(),
            name: t.name.clone(),
            edited: stored.is_some(),
            template,
        });
    }
    Ok(Json(out))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveFinanceTemplate {
    #[schema(value_type = Object)]
    pub template: Value,
}

/// Replace a draft template (administrators). It must parse and render a sample case, or
/// nothing is saved.
#[utoipa::path(put, path = "/api/v1/finance/templates/{key}", tag = "finance", params(("key" = String, Path)),
    request_body = SaveFinanceTemplate,
    responses((status = 200, body = FinanceTemplateInfo), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn save_template(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(key): Path<String>,
    ApiJson(req): ApiJson<SaveFinanceTemplate>,
) -> ApiResult<Json<FinanceTemplateInfo>> {
    me.require(&[Role::Admin])?;
    if drafts::default_template(&key).is_none() {
        return Err(ApiError::NotFound {
            entity: "document template",
        });
    }
    let json = req.template.to_string();
    let template = Template::from_json(&json)
        .map_err(|e| ApiError::invalid("template", "bad_template", e.to_string()))?;
    if template.key != key {
        return Err(ApiError::invalid(
            "template.key",
            "mismatch",
            "模板编号与地址不一致",
        ));
    }
    // Render the template's own example row so a broken placeholder is refused now.
    let sample = fengqiao_finance::parse_upload(
        "sample.csv",
        workbook::template_csv().as_bytes(),
        today(&state),
    )
    .map_err(|e| ApiError::Internal(format!("sample case: {e}")))?;
    let row = sample
        .rows
        .first()
        .ok_or_else(|| ApiError::Internal("sample case missing".into()))?;
    let (_, wording) = fengqiao_finance::word_case(&row.case, None)
        .map_err(|e| ApiError::Internal(format!("sample case: {e}")))?;
    let context = drafts::context(
        &row.case,
        &wording,
        &Court {
            name: "（法院）",
            appeal: "（上级法院）",
            judge: "（法官）",
        },
        "（案号）",
        today(&state),
        today(&state),
    );
    fengqiao_docs::render(&template, &context)
        .map_err(|e| ApiError::invalid("template", "render_failed", e.to_string()))?;
    state
        .store
        .save_document_template(&me.audit(&state), &key, &template.name, &json)
        .await?;
    Ok(Json(FinanceTemplateInfo {
        key,
        name: template.name.clone(),
        edited: true,
        template: req.template,
    }))
}
