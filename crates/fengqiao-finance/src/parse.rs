//! Row-by-row validation of an uploaded batch: every bad cell is reported with its row, column
//! and reason; a row with any problem is left out whole, every good row becomes a [`BatchCase`]
//! (and is then computed — a row the calculator refuses is reported the same way).

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use fengqiao_calc::loan::{Cost, CostKind};
use fengqiao_calc::{DayBasis, LoanCase, Repayment, ScheduleKind};
use fengqiao_domain::identifiers::{CreditCode, MobileNumber, ResidentId};
use rust_decimal::Decimal;

use crate::case::{BatchCase, Borrower, Computed, Lender, calc_error_field, column_of_calc_field};
use crate::columns::COLUMNS;
use crate::error::{BatchError, RowError};
use crate::sheet::{Cell, FileKind, Sheet, SheetRow, read};

/// Most rows one upload may hold.
pub const MAX_ROWS: usize = 10_000;

/// A row that passed: the case (parties masked) and the identifiers to store encrypted.
#[derive(Debug, Clone)]
pub struct ParsedRow {
    pub row: usize,
    pub case: BatchCase,
    /// The canonical resident ID (stored encrypted, never shown).
    pub borrower_id: String,
    pub borrower_phone: Option<String>,
}

/// A row that passed and was computed.
#[derive(Debug, Clone)]
pub struct PreparedRow {
    pub parsed: ParsedRow,
    pub computed: Computed,
}

/// The outcome of one upload.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub rows: Vec<ParsedRow>,
    pub errors: Vec<RowError>,
    /// Data rows in the file (good and bad).
    pub total_rows: usize,
}

/// Reads and validates an upload. `today` is the court's date (birth dates after it are
/// refused); the domain never reads the clock.
pub fn parse_upload(filename: &str, bytes: &[u8], today: NaiveDate) -> Result<Parsed, BatchError> {
    let kind = FileKind::detect(filename, bytes)?;
    parse_sheet(&read(kind, bytes)?, today)
}

/// Validates the rows of a sheet.
pub fn parse_sheet(sheet: &Sheet, today: NaiveDate) -> Result<Parsed, BatchError> {
    let mut positions: HashMap<&'static str, usize> = HashMap::new();
    for column in COLUMNS {
        if let Some(at) = sheet.headers.iter().position(|h| h.trim() == column.header) {
            positions.insert(column.key, at);
        }
    }
    let missing: Vec<String> = COLUMNS
        .iter()
        .filter(|c| c.required && !positions.contains_key(c.key))
        .map(|c| c.header.to_owned())
        .collect();
    if !missing.is_empty() {
        return Err(BatchError::MissingColumns(missing));
    }
    if sheet.rows.is_empty() {
        return Err(BatchError::NoRows);
    }
    if sheet.rows.len() > MAX_ROWS {
        return Err(BatchError::TooManyRows {
            max: MAX_ROWS,
            found: sheet.rows.len(),
        });
    }
    let mut parsed = Parsed {
        total_rows: sheet.rows.len(),
        ..Parsed::default()
    };
    let mut contracts: HashSet<String> = HashSet::new();
    for row in &sheet.rows {
        let mut reader = RowReader {
            row,
            positions: &positions,
            errors: Vec::new(),
        };
        let result = reader.case(today);
        let mut errors = reader.errors;
        if let Some(parsed_row) = &result
            && !contracts.insert(parsed_row.case.contract_no.clone())
        {
            errors.push(RowError::new(
                row.line,
                "contract_no",
                format!("合同编号“{}”在本批次中重复", parsed_row.case.contract_no),
            ));
        }
        match result {
            Some(parsed_row) if errors.is_empty() => parsed.rows.push(parsed_row),
            _ => parsed.errors.extend(errors),
        }
    }
    Ok(parsed)
}

/// Computes every parsed row; a row the calculator refuses moves to the errors.
pub fn prepare(parsed: Parsed) -> (Vec<PreparedRow>, Vec<RowError>, usize) {
    let mut errors = parsed.errors;
    let mut rows = Vec::with_capacity(parsed.rows.len());
    for row in parsed.rows {
        match crate::case::compute(&row.case, None) {
            Ok(computed) => rows.push(PreparedRow {
                parsed: row,
                computed,
            }),
            Err(error) => errors.push(RowError::new(
                row.row,
                column_of_calc_field(calc_error_field(&error)),
                format!("无法计算：{error}"),
            )),
        }
    }
    errors.sort_by_key(|e| e.row);
    (rows, errors, parsed.total_rows)
}

struct RowReader<'a> {
    row: &'a SheetRow,
    positions: &'a HashMap<&'static str, usize>,
    errors: Vec<RowError>,
}

impl RowReader<'_> {
    fn cell(&self, key: &str) -> &Cell {
        static EMPTY: Cell = Cell::Empty;
        self.positions
            .get(key)
            .and_then(|&at| self.row.cells.get(at))
            .unwrap_or(&EMPTY)
    }

    fn fail(&mut self, key: &str, reason: impl Into<String>) {
        self.errors.push(RowError::new(self.row.line, key, reason));
    }

    /// Runs `parse` on the cell; a blank required cell and a refused value are reported.
    fn get<T>(
        &mut self,
        key: &str,
        required: bool,
        parse: impl FnOnce(&Cell) -> Result<T, String>,
    ) -> Option<T> {
        let cell = self.cell(key).clone();
        if cell.is_blank() {
            if required {
                self.fail(key, "必填，不能为空");
            }
            return None;
        }
        match parse(&cell) {
            Ok(value) => Some(value),
            Err(reason) => {
                self.fail(key, reason);
                None
            }
        }
    }

    fn case(&mut self, today: NaiveDate) -> Option<ParsedRow> {
        let reference = self.get("reference", false, text);
        let contract_no = self.get("contract_no", true, |c| bounded_text(c, 64));
        let lender_name = self.get("lender_name", true, |c| bounded_text(c, 100));
        let credit_code = self.get("lender_credit_code", true, credit_code);
        let representative = self.get("lender_representative", true, |c| bounded_text(c, 50));
        let lender_address = self.get("lender_address", true, |c| bounded_text(c, 200));
        let borrower_name = self.get("borrower_name", true, |c| bounded_text(c, 50));
        let borrower_id = self.get("borrower_id", true, |c| resident_id(c, today));
        let borrower_address = self.get("borrower_address", true, |c| bounded_text(c, 200));
        let phone = self.get("borrower_phone", false, mobile);
        let principal = self.get("principal", true, |c| decimal(c, 2, "金额"));
        let start = self.get("start", true, date);
        let maturity = self.get("maturity", true, date);
        let annual = self.get("annual_rate", true, |c| decimal(c, 6, "年利率"));
        let penalty = self.get("penalty_rate", true, |c| decimal(c, 6, "年利率"));
        let schedule = self.get("schedule", true, schedule);
        let basis = self
            .get("day_basis", false, day_basis)
            .unwrap_or(DayBasis::Days360);
        let accelerated_on = self.get("accelerated_on", false, date);
        let repayments = self
            .get("repayments", false, repayments)
            .unwrap_or_default();
        let lawyer_fee = self.get("lawyer_fee", false, |c| decimal(c, 2, "金额"));
        let compute_to = self.get("compute_to", true, date);
        let claim_compound = self.get("claim_compound", false, yes_no).unwrap_or(true);
        let simple = self.get("procedure", false, procedure).unwrap_or(true);

        if let (Some(start), Some(maturity)) = (start, maturity)
            && maturity < start
        {
            self.fail("maturity", "到期日早于放款日");
        }
        if let (Some(start), Some(compute_to)) = (start, compute_to)
            && compute_to < start
        {
            self.fail("compute_to", "计算截止日早于放款日");
        }
        if let (Some(id), Some(start)) = (&borrower_id, start) {
            let birth = id.birth_date();
            let adult = NaiveDate::from_ymd_opt(birth.year() + 18, birth.month(), birth.day())
                .or_else(|| NaiveDate::from_ymd_opt(birth.year() + 18, 3, 1));
            if adult.is_some_and(|adult| start < adult) {
                self.fail(
                    "borrower_id",
                    "按身份证号计算，借款人放款时未满十八周岁，请核实",
                );
            }
        }
        if let (Some(annual), Some(penalty)) = (annual, penalty)
            && penalty < annual
        {
            self.fail("penalty_rate", "罚息年利率低于合同年利率");
        }
        if let Some(fee) = lawyer_fee
            && fee < Decimal::ZERO
        {
            self.fail("lawyer_fee", "律师费不能为负数");
        }
        if !self.errors.is_empty() {
            return None;
        }
        let loan = LoanCase {
            principal: principal?,
            start: start?,
            maturity: maturity?,
            annual_rate_percent: annual?,
            penalty_rate_percent: Some(penalty?),
            penalty_uplift_percent: None,
            day_basis: basis,
            count_first_day: true,
            count_last_day: true,
            schedule: schedule?,
            accelerated_on,
            repayments,
            costs: lawyer_fee
                .filter(|fee| *fee > Decimal::ZERO)
                .map(|amount| Cost {
                    kind: CostKind::LawyerFee,
                    date: None,
                    amount,
                })
                .into_iter()
                .collect(),
            compute_to: compute_to?,
            claim_compound,
            borrower_raises_cap: false,
        };
        let id = borrower_id?;
        Some(ParsedRow {
            row: self.row.line,
            case: BatchCase {
                reference,
                contract_no: contract_no?,
                lender: Lender {
                    name: lender_name?,
                    credit_code: credit_code?,
                    representative: representative?,
                    address: lender_address?,
                },
                borrower: Borrower {
                    name: borrower_name?,
                    id_masked: id.masked(),
                    sex: id.sex().label_zh().to_owned(),
                    birth_date: id.birth_date(),
                    address: borrower_address?,
                    phone_masked: phone.as_ref().map(MobileNumber::masked),
                },
                loan,
                simple_procedure: simple,
            },
            borrower_id: id.as_str().to_owned(),
            borrower_phone: phone.map(|p| p.as_str().to_owned()),
        })
    }
}

fn describe(cell: &Cell) -> String {
    match cell {
        Cell::Empty => "空白".into(),
        Cell::Text(s) => format!("“{s}”"),
        Cell::Int(n) => format!("数字 {n}"),
        Cell::Number(f) => format!("数字 {f}"),
        Cell::Bool(b) => format!("逻辑值 {b}"),
        Cell::Date(d) => format!("日期 {d}"),
        Cell::Other(kind) => (*kind).into(),
    }
}

fn text(cell: &Cell) -> Result<String, String> {
    match cell {
        Cell::Text(s) => Ok(s.trim().to_owned()),
        Cell::Int(n) => Ok(n.to_string()),
        // A whole number typed into a general cell: its digits (shortest exact representation).
        Cell::Number(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(format!("{f}")),
        other => Err(format!("应为文本，实为{}", describe(other))),
    }
}

fn bounded_text(cell: &Cell, max: usize) -> Result<String, String> {
    let value = text(cell)?;
    if value.chars().count() > max {
        return Err(format!("超过 {max} 个字"));
    }
    if value.chars().any(char::is_control) {
        return Err("含有控制字符".into());
    }
    Ok(value)
}

fn credit_code(cell: &Cell) -> Result<String, String> {
    let value = text(cell)?;
    CreditCode::parse(&value)
        .map(|c| c.as_str().to_owned())
        .map_err(|e| {
            use fengqiao_domain::identifiers::CreditCodeError as E;
            match e {
                E::WrongLength { found } => format!("统一社会信用代码应为18位，实为{found}位"),
                E::BadCharacter { position, found } => {
                    format!("第{position}位“{found}”不是统一社会信用代码允许的字符")
                }
                E::RegionNotDigits { position, .. } => {
                    format!("第{position}位应为数字（第3–8位为行政区划码）")
                }
                E::CheckMismatch { .. } | E::OrgCodeCheckMismatch { .. } => {
                    "校验码不符，请核对是否抄错".into()
                }
            }
        })
}

fn resident_id(cell: &Cell, today: NaiveDate) -> Result<ResidentId, String> {
    let value = text(cell)?;
    ResidentId::parse_as_of(&value, today).map_err(|e| {
        use fengqiao_domain::identifiers::ResidentIdError as E;
        match e {
            E::WrongLength { found } => format!("公民身份号码应为18位，实为{found}位"),
            E::NonDigit { position, .. } => format!("第{position}位应为数字"),
            E::BadCheckCharacterForm { .. } => "第18位应为数字或X".into(),
            E::BadBirthDate => "第7–14位不是有效的出生日期".into(),
            E::BirthBefore1900 => "出生日期早于1900年".into(),
            E::BirthInFuture { .. } => "出生日期晚于今天".into(),
            E::CheckMismatch { .. } => "校验码不符，请核对是否抄错".into(),
        }
    })
}

fn mobile(cell: &Cell) -> Result<MobileNumber, String> {
    let value = text(cell)?;
    MobileNumber::parse(&value).map_err(|_| "应为11位手机号码".to_owned())
}

/// A decimal with at most `scale` decimals, above zero. Spreadsheet numbers are read through
/// their shortest exact decimal form, so 0.1 stays 0.1.
fn decimal(cell: &Cell, scale: u32, what: &str) -> Result<Decimal, String> {
    let value = match cell {
        Cell::Int(n) => Decimal::from(*n),
        Cell::Number(f) => Decimal::from_str(&format!("{f}"))
            .map_err(|_| format!("{what}数字 {f} 无法精确表示"))?,
        Cell::Text(s) => {
            let cleaned: String = s
                .trim()
                .trim_start_matches(['¥', '￥'])
                .trim_end_matches(['元', '%'])
                .chars()
                .filter(|c| *c != ',' && *c != '，')
                .collect();
            Decimal::from_str(cleaned.trim()).map_err(|_| format!("应为{what}数字，实为“{s}”"))?
        }
        other => return Err(format!("应为{what}数字，实为{}", describe(other))),
    };
    if value <= Decimal::ZERO {
        return Err(format!("{what}须大于0"));
    }
    if value.normalize().scale() > scale {
        return Err(format!("{what}最多{scale}位小数"));
    }
    if value > Decimal::from(10_000_000_000i64) {
        return Err(format!("{what}过大"));
    }
    Ok(value)
}

const DATE_FORMATS: [&str; 4] = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"];

fn date(cell: &Cell) -> Result<NaiveDate, String> {
    match cell {
        Cell::Date(d) => Ok(*d),
        Cell::Text(s) => {
            let s = s.trim();
            DATE_FORMATS
                .iter()
                .find_map(|format| NaiveDate::parse_from_str(s, format).ok())
                .ok_or_else(|| format!("应为日期（如 2024-06-30），实为“{s}”"))
        }
        // An Excel serial date in a cell formatted as a number.
        Cell::Int(_) | Cell::Number(_) => {
            let days = match cell {
                Cell::Int(n) => *n,
                Cell::Number(f) if f.fract() == 0.0 && f.abs() < 1.0e6 => *f as i64,
                _ => -1,
            };
            if !(20_000..=80_000).contains(&days) {
                return Err(format!("应为日期（如 2024-06-30），实为{}", describe(cell)));
            }
            NaiveDate::from_ymd_opt(1899, 12, 30)
                .and_then(|epoch| epoch.checked_add_days(chrono::Days::new(days as u64)))
                .ok_or_else(|| "日期超出范围".to_owned())
        }
        other => Err(format!("应为日期，实为{}", describe(other))),
    }
}

fn schedule(cell: &Cell) -> Result<ScheduleKind, String> {
    let value = text(cell)?;
    let compact: String = value
        .chars()
        .filter(|c| !matches!(c, '、' | ',' | '，' | ' '))
        .collect();
    match compact.as_str() {
        "到期一次性还本付息" | "到期一次还本付息" | "bullet" => {
            Ok(ScheduleKind::Bullet)
        }
        "按月付息到期还本" | "先息后本" | "interest_only" => {
            Ok(ScheduleKind::InterestOnly)
        }
        "等额本金" | "equal_principal" => Ok(ScheduleKind::EqualPrincipal),
        "等额本息" | "equal_instalment" => Ok(ScheduleKind::EqualInstalment),
        _ => Err(format!(
            "“{value}”不是可识别的还款方式（到期一次性还本付息、按月付息、到期还本、等额本金、等额本息）"
        )),
    }
}

fn day_basis(cell: &Cell) -> Result<DayBasis, String> {
    match text(cell)?.as_str() {
        "360" => Ok(DayBasis::Days360),
        "365" => Ok(DayBasis::Days365),
        other => Err(format!("应为 360 或 365，实为“{other}”")),
    }
}

fn yes_no(cell: &Cell) -> Result<bool, String> {
    if let Cell::Bool(b) = cell {
        return Ok(*b);
    }
    match text(cell)?.to_ascii_lowercase().as_str() {
        "是" | "y" | "yes" | "true" | "1" => Ok(true),
        "否" | "n" | "no" | "false" | "0" => Ok(false),
        other => Err(format!("应为“是”或“否”，实为“{other}”")),
    }
}

fn procedure(cell: &Cell) -> Result<bool, String> {
    match text(cell)?.as_str() {
        "简易程序" | "简易" => Ok(true),
        "普通程序" | "普通" => Ok(false),
        other => Err(format!("应为“简易程序”或“普通程序”，实为“{other}”")),
    }
}

/// `2024-01-20:1000;2024-02-20:1000.50` (full-width ：；also accepted).
fn repayments(cell: &Cell) -> Result<Vec<Repayment>, String> {
    let value = text(cell)?.replace('：', ":").replace('；', ";");
    let mut out = Vec::new();
    for (index, part) in value.split(';').map(str::trim).enumerate() {
        if part.is_empty() {
            continue;
        }
        let (day, amount) = part
            .split_once(':')
            .ok_or_else(|| format!("第{}笔应写作“日期:金额”，实为“{part}”", index + 1))?;
        let date = date(&Cell::Text(day.trim().to_owned()))
            .map_err(|e| format!("第{}笔：{e}", index + 1))?;
        let amount = decimal(&Cell::Text(amount.trim().to_owned()), 2, "金额")
            .map_err(|e| format!("第{}笔：{e}", index + 1))?;
        out.push(Repayment { date, amount });
    }
    Ok(out)
}
