//! Bulk intake (批量导入): many disputes at once from a spreadsheet or JSON, e.g. a 12345 hotline
//! export or a list of wage claims collected at a site. Every case is validated and written on
//! its own — good cases are registered (channel `bulk_import`), bad ones come back with their
//! lines and reasons — and a re-sent file replays instead of registering twice.
//!
//! Spreadsheet layout (first sheet, one header row; Chinese or English column names): one row per
//! party; rows with the same 案件编号 (`case_ref`) form one case, whose case columns are read from
//! its first row. So 30 workers against one contractor are 31 rows of one case — or 30 cases, if
//! each worker files separately, and the mass-involvement check groups them.

use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::CurrentUser;
use crate::routes::disputes::{CreateDisputeRequest, PartyInput, parse_parties, register};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use fengqiao_domain::dispute::{Channel, PartyKind, PartyRole};
use fengqiao_domain::validation::FieldError;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// At most this many cases per file: larger lists go in several files, so one request stays short.
pub const MAX_CASES: usize = 2_000;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The columns, each with the names a header may use.
const COLUMNS: [(&str, &[&str]); 14] = [
    ("case_ref", &["案件编号", "case_ref"]),
    ("title", &["标题", "案件标题", "title"]),
    ("dispute_type", &["纠纷类型", "dispute_type"]),
    ("facts", &["事实与理由", "事实", "facts"]),
    ("claims", &["请求事项", "请求", "claims"]),
    (
        "amount_yuan",
        &["争议金额（元）", "争议金额(元)", "争议金额", "amount_yuan"],
    ),
    ("region_code", &["区域代码", "region_code"]),
    ("address", &["纠纷地点", "地址", "address"]),
    ("role", &["当事人角色", "role"]),
    ("kind", &["当事人类型", "kind"]),
    ("name", &["姓名或名称", "姓名", "name"]),
    ("id_number", &["身份证号码", "身份证号", "id_number"]),
    ("credit_code", &["统一社会信用代码", "credit_code"]),
    ("phone", &["手机号码", "手机", "phone"]),
];

/// A JSON upload: the same objects `POST /api/v1/disputes` takes, each with its own reference.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportRequest {
    pub items: Vec<ImportItem>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ImportItem {
    /// The sender's own reference for the case (a hotline work-order number); unique in the file.
    pub case_ref: String,
    #[serde(flatten)]
    pub case: CreateDisputeRequest,
}

/// One registered case.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportedCase {
    pub case_ref: String,
    pub id: String,
    pub code: String,
    /// The party's printed secret: hand it over with the code (shown once per import).
    pub access_secret: String,
    /// True when the same file was sent before and this case already existed.
    pub replayed: bool,
    /// A group (mass-involvement) alert the case joined.
    pub group_key: Option<String>,
}

/// One refused case: which lines and why.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RefusedCase {
    pub case_ref: String,
    /// Spreadsheet lines (1-based, header = 1) or JSON item indexes (0-based).
    pub lines: Vec<usize>,
    #[schema(value_type = Vec<Object>)]
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub total: usize,
    pub registered: usize,
    pub replayed: usize,
    pub refused: usize,
    pub cases: Vec<ImportedCase>,
    pub refusals: Vec<RefusedCase>,
}

/// A spreadsheet line: its number and its values by column key.
type LineValues<'a> = (usize, BTreeMap<&'a str, String>);

struct Pending {
    case_ref: String,
    lines: Vec<usize>,
    request: Result<CreateDisputeRequest, Vec<FieldError>>,
}

fn problem(field: impl Into<String>, code: &str, message: impl Into<String>) -> FieldError {
    FieldError::new(field, code, message)
}

/// Yuan with at most two decimals → fen, exactly (no floats).
fn yuan_to_fen(text: &str) -> Result<i64, String> {
    let t = text.trim().replace([',', '，', '¥', '￥'], "");
    if t.is_empty() {
        return Ok(0);
    }
    let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
    if int.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 2
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(format!("金额「{text}」应为不超过两位小数的元数"));
    }
    let yuan: i64 = int.parse().map_err(|_| format!("金额「{text}」过大"))?;
    let cents: i64 = format!("{frac:0<2}").parse().unwrap_or(0);
    yuan.checked_mul(100)
        .and_then(|f| f.checked_add(cents))
        .ok_or_else(|| format!("金额「{text}」过大"))
}

pub(crate) fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        // Phone numbers and amounts typed as numbers: integers print without a decimal point.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

fn parse_role(text: &str) -> Option<PartyRole> {
    match text.trim() {
        "申请人" | "applicant" => Some(PartyRole::Applicant),
        "被申请人" | "respondent" => Some(PartyRole::Respondent),
        "第三人" | "third_party" => Some(PartyRole::ThirdParty),
        _ => None,
    }
}

fn parse_kind(text: &str) -> Option<PartyKind> {
    match text.trim() {
        "" | "自然人" | "个人" | "person" => Some(PartyKind::Person),
        "单位" | "法人" | "企业" | "entity" => Some(PartyKind::Entity),
        _ => None,
    }
}

/// Reads the spreadsheet into cases; header problems refuse the whole file.
fn cases_from_xlsx(bytes: &[u8]) -> ApiResult<Vec<Pending>> {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes.to_vec()))
        .map_err(|e| ApiError::invalid("file", "unreadable", format!("无法读取表格：{e}")))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| ApiError::invalid("file", "empty", "表格中没有工作表"))?
        .map_err(|e| ApiError::invalid("file", "unreadable", format!("无法读取工作表：{e}")))?;
    let mut rows = range.rows();
    let header: Vec<String> = rows
        .next()
        .ok_or_else(|| ApiError::invalid("file", "empty", "表格为空"))?
        .iter()
        .map(cell_text)
        .collect();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut header_problems = Vec::new();
    for (col, name) in header.iter().enumerate() {
        match COLUMNS
            .iter()
            .find(|(_, names)| names.contains(&name.as_str()))
        {
            Some((key, _)) => {
                if index.insert(key, col).is_some() {
                    header_problems.push(problem(
                        format!("header.{name}"),
                        "duplicate",
                        format!("列「{name}」重复"),
                    ));
                }
            }
            None if name.is_empty() => {}
            None => header_problems.push(problem(
                format!("header.{name}"),
                "unknown_column",
                format!("未知的列「{name}」，请使用导入模板"),
            )),
        }
    }
    for required in ["case_ref", "role", "name"] {
        if !index.contains_key(required) {
            let label = COLUMNS
                .iter()
                .find(|(k, _)| *k == required)
                .map_or(required, |(_, n)| n[0]);
            header_problems.push(problem(
                format!("header.{label}"),
                "missing_column",
                format!("缺少列「{label}」"),
            ));
        }
    }
    if !header_problems.is_empty() {
        return Err(ApiError::Invalid(header_problems));
    }
    // Group rows by case reference, keeping the file's order.
    let mut order: Vec<String> = Vec::new();
    let mut grouped: BTreeMap<String, Vec<LineValues>> = BTreeMap::new();
    for (i, row) in rows.enumerate() {
        let line = i + 2;
        let values: BTreeMap<&str, String> = index
            .iter()
            .map(|(k, col)| (*k, row.get(*col).map(cell_text).unwrap_or_default()))
            .collect();
        if values.values().all(String::is_empty) {
            continue;
        }
        let case_ref = values.get("case_ref").cloned().unwrap_or_default();
        if !grouped.contains_key(&case_ref) {
            order.push(case_ref.clone());
        }
        grouped.entry(case_ref).or_default().push((line, values));
    }
    let mut out = Vec::new();
    for case_ref in order {
        let rows = grouped.remove(&case_ref).unwrap_or_default();
        let lines: Vec<usize> = rows.iter().map(|(l, _)| *l).collect();
        let mut errors = Vec::new();
        if case_ref.is_empty() {
            errors.push(problem("case_ref", "required", "案件编号不能为空"));
        }
        let first = rows.first().map(|(_, v)| v.clone()).unwrap_or_default();
        let get = |k: &str| first.get(k).cloned().unwrap_or_default();
        let amount_fen = yuan_to_fen(&get("amount_yuan")).unwrap_or_else(|m| {
            errors.push(problem("amount_yuan", "bad_amount", m));
            0
        });
        let mut parties = Vec::new();
        for (line, v) in &rows {
            let at = |k: &str| v.get(k).cloned().unwrap_or_default();
            let role = parse_role(&at("role"));
            let kind = parse_kind(&at("kind"));
            if role.is_none() {
                errors.push(problem(
                    format!("line.{line}.role"),
                    "bad_role",
                    format!("第 {line} 行：当事人角色应为 申请人 / 被申请人 / 第三人"),
                ));
            }
            if kind.is_none() {
                errors.push(problem(
                    format!("line.{line}.kind"),
                    "bad_kind",
                    format!("第 {line} 行：当事人类型应为 自然人 / 单位"),
                ));
            }
            let opt = |k: &str| Some(at(k)).filter(|s| !s.is_empty());
            if let (Some(role), Some(kind)) = (role, kind) {
                parties.push(PartyInput {
                    role,
                    kind,
                    name: at("name"),
                    id_number: opt("id_number"),
                    credit_code: opt("credit_code"),
                    phone: opt("phone"),
                    address: String::new(),
                    legal_representative: None,
                });
            }
        }
        let request = CreateDisputeRequest {
            title: get("title"),
            dispute_type: get("dispute_type"),
            facts: get("facts"),
            claims: get("claims"),
            amount_fen,
            region_code: get("region_code"),
            address: get("address"),
            channel: Channel::BulkImport,
            flags: Vec::new(),
            parties,
        };
        out.push(Pending {
            case_ref,
            lines,
            request: if errors.is_empty() {
                Ok(request)
            } else {
                Err(errors)
            },
        });
    }
    Ok(out)
}

fn cases_from_json(bytes: &[u8]) -> ApiResult<Vec<Pending>> {
    let req: ImportRequest = crate::extract::parse_json(bytes)?;
    Ok(req
        .items
        .into_iter()
        .enumerate()
        .map(|(i, item)| Pending {
            case_ref: item.case_ref,
            lines: vec![i],
            request: Ok(item.case),
        })
        .collect())
}

/// Registers every good case of an uploaded file (xlsx or JSON) and reports the rest.
#[utoipa::path(post, path = "/api/v1/disputes/import", tag = "disputes",
    request_body(content = ImportRequest, description = "JSON `{items:[…]}`, or an .xlsx file (Content-Type application/vnd.openxmlformats-officedocument.spreadsheetml.sheet) laid out as the template"),
    responses((status = 200, body = ImportReport), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn import(
    State(state): State<AppState>,
    me: CurrentUser,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<ImportReport>> {
    me.require(crate::routes::disputes::INTAKE_ROLES)?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let mut pending = if content_type.starts_with(XLSX) {
        cases_from_xlsx(&body)?
    } else if content_type.starts_with("application/json") {
        cases_from_json(&body)?
    } else {
        return Err(ApiError::invalid(
            "Content-Type",
            "unsupported",
            "请上传 .xlsx 表格或 JSON",
        ));
    };
    if pending.is_empty() {
        return Err(ApiError::invalid("file", "empty", "文件中没有案件"));
    }
    if pending.len() > MAX_CASES {
        return Err(ApiError::invalid(
            "file",
            "too_many",
            format!("一次最多导入 {MAX_CASES} 件，请分批导入"),
        ));
    }
    // A reference twice in a JSON file is ambiguous: refuse both rather than guess.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for p in &pending {
        *seen.entry(p.case_ref.clone()).or_default() += 1;
    }
    for p in &mut pending {
        if seen.get(&p.case_ref).copied().unwrap_or(0) > 1 {
            p.request = Err(vec![problem(
                "case_ref",
                "duplicate",
                format!("案件编号 {} 在文件中重复", p.case_ref),
            )]);
        }
    }
    let file_digest = hex::encode(&Sha256::digest(&body)[..8]);
    let mut report = ImportReport {
        total: pending.len(),
        registered: 0,
        replayed: 0,
        refused: 0,
        cases: Vec::new(),
        refusals: Vec::new(),
    };
    let ctx = me.audit(&state);
    for p in pending {
        let refuse = |errors| RefusedCase {
            case_ref: p.case_ref.clone(),
            lines: p.lines.clone(),
            errors,
        };
        let req = match p.request {
            Ok(req) => req,
            Err(errors) => {
                report.refusals.push(refuse(errors));
                continue;
            }
        };
        let mut problems = Vec::new();
        let parties = parse_parties(&req.parties, &mut problems);
        if !problems.is_empty() {
            report.refusals.push(refuse(problems));
            continue;
        }
        // The same file sent again replays its cases instead of registering them twice.
        let key = format!("{}:import:{file_digest}:{}", me.user.id, p.case_ref);
        let input = req.into_new(parties, Channel::BulkImport, Some(key));
        match register(&state, &ctx, &me.scope, &input).await {
            Ok(created) => {
                if created.replayed {
                    report.replayed += 1;
                } else {
                    report.registered += 1;
                }
                report.cases.push(ImportedCase {
                    case_ref: p.case_ref.clone(),
                    id: created.dispute.id.clone(),
                    code: created.dispute.display_code(),
                    access_secret: created.access_secret,
                    replayed: created.replayed,
                    group_key: created.dispute.group_key.clone(),
                });
            }
            Err(fengqiao_store::StoreError::Invalid(errors)) => {
                report.refusals.push(refuse(errors));
            }
            Err(fengqiao_store::StoreError::NotFound { entity }) => {
                report.refusals.push(refuse(vec![problem(
                    entity,
                    "not_found",
                    format!("{entity} 不存在或不在管辖范围"),
                )]));
            }
            Err(e) => return Err(e.into()),
        }
    }
    report.refused = report.refusals.len();
    Ok(Json(report))
}

/// The import template: the header row and two example cases (one with several claimants).
#[utoipa::path(get, path = "/api/v1/disputes/import/template.xlsx", tag = "disputes",
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn template(_me: CurrentUser) -> ApiResult<impl axum::response::IntoResponse> {
    let examples: [[&str; 14]; 3] = [
        [
            "GD-001",
            "工地拖欠农民工工资",
            "labour",
            "2026年10月起拖欠工资。",
            "支付拖欠工资",
            "8600.00",
            "339902001001",
            "望江街道滨江工地",
            "申请人",
            "自然人",
            "王建国",
            "",
            "",
            "13800001111",
        ],
        [
            "GD-001",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "申请人",
            "自然人",
            "李卫东",
            "",
            "",
            "13800002222",
        ],
        [
            "GD-001",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "被申请人",
            "单位",
            "临江市某建筑劳务有限公司",
            "",
            "",
            "",
        ],
    ];
    let headers: Vec<&str> = COLUMNS.iter().map(|(_, names)| names[0]).collect();
    let rows: Vec<&[&str]> = examples.iter().map(|r| r.as_slice()).collect();
    xlsx_template(
        "批量登记",
        &headers,
        &rows,
        16,
        "dispute-import-template.xlsx",
    )
}

/// An import template: a bold header row, example rows, as an xlsx download named `filename`.
pub(crate) fn xlsx_template(
    sheet_name: &str,
    headers: &[&str],
    rows: &[&[&str]],
    column_width: u16,
    filename: &str,
) -> ApiResult<impl axum::response::IntoResponse + use<>> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let internal = |e: rust_xlsxwriter::XlsxError| ApiError::Internal(format!("template: {e}"));
    sheet.set_name(sheet_name).map_err(internal)?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (col, name) in headers.iter().enumerate() {
        let col = col as u16;
        sheet
            .write_string_with_format(0, col, *name, &bold)
            .map_err(internal)?;
        sheet
            .set_column_width(col, column_width)
            .map_err(internal)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            sheet
                .write_string((r + 1) as u32, c as u16, *value)
                .map_err(internal)?;
        }
    }
    let bytes = book.save_to_buffer().map_err(internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, XLSX.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        bytes,
    ))
}
