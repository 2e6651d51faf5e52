//! xlsx import of base data, one kind per file, and the template per kind. Bad rows are kept out
//! and reported with their line, column and reason; the good rows are written in one transaction.

use super::{COLLECTORS, new_id};
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::CurrentUser;
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use fengqiao_domain::basedata::{BaseKind, COMPONENT_STATUSES, HOUSING_TENURES, RecordDraft};
use fengqiao_domain::validation::FieldError;
use fengqiao_store::basedata::{ImportRow, MAX_IMPORT_ROWS};
use serde::Serialize;
use std::collections::BTreeMap;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// One column of a kind's sheet: the field it fills, the names a header may use (the first is
/// the template's), whether it must be present, an example and a note for the template.
struct Column {
    field: &'static str,
    headers: &'static [&'static str],
    required: bool,
    example: &'static str,
    note: &'static str,
}

const fn col(
    field: &'static str,
    headers: &'static [&'static str],
    required: bool,
    example: &'static str,
    note: &'static str,
) -> Column {
    Column {
        field,
        headers,
        required,
        example,
        note,
    }
}

const GRID: Column = col(
    "grid_code",
    &["网格代码", "grid_code"],
    true,
    "339902001001001",
    "所属网格的 15 位代码",
);
const TAGS: Column = col(
    "tags",
    &["标签", "tags"],
    false,
    "",
    "多个标签用顿号或逗号分隔，最多 10 个",
);
const NOTES: Column = col("notes", &["备注", "notes"], false, "", "不超过 500 字");
const LAT: Column = col(
    "lat",
    &["纬度", "lat"],
    false,
    "",
    "WGS84 十进制度，如 30.2462",
);
const LNG: Column = col(
    "lng",
    &["经度", "lng"],
    false,
    "",
    "WGS84 十进制度，如 120.1712",
);
const PHONE: Column = col(
    "phone",
    &["联系电话", "手机号码", "phone"],
    false,
    "13800138000",
    "大陆手机号码；加密保存，列表中脱敏显示",
);

fn columns(kind: BaseKind) -> Vec<Column> {
    match kind {
        BaseKind::Person => vec![
            GRID,
            col("name", &["姓名", "name"], true, "王建国", "不超过 64 字"),
            col(
                "id_number",
                &["身份证号码", "身份证号", "id_number"],
                false,
                "11010519491231002X",
                "18 位居民身份证号码（校验位）；加密保存",
            ),
            col(
                "phone",
                &["手机号码", "联系电话", "phone"],
                false,
                "13800138000",
                "大陆手机号码；加密保存",
            ),
            col(
                "category",
                &["人口类别", "category"],
                true,
                "户籍人口",
                "户籍人口 / 流动人口 / 境外人员",
            ),
            col(
                "address",
                &["居住地址", "地址", "address"],
                false,
                "鼓楼社区解放路 3 幢 2 单元 301",
                "",
            ),
            col(
                "housing_id",
                &["房屋编号", "housing_id"],
                false,
                "",
                "已登记房屋记录的编号（先导入房屋）",
            ),
            TAGS,
            NOTES,
        ],
        BaseKind::Housing => vec![
            GRID,
            col(
                "name",
                &["房屋名称", "门牌", "name"],
                true,
                "3幢2单元301",
                "楼栋、单元、门牌",
            ),
            col(
                "address",
                &["地址", "address"],
                true,
                "鼓楼社区解放路 3 号",
                "",
            ),
            col(
                "category",
                &["房屋用途", "category"],
                true,
                "住宅",
                "住宅 / 商业 / 商住两用 / 厂房仓储 / 公共用房 / 其他",
            ),
            col(
                "tenure",
                &["使用情况", "tenure"],
                false,
                "自住",
                "自住 / 出租 / 空置 / 其他",
            ),
            col(
                "area_m2",
                &["面积（平方米）", "面积(平方米)", "面积", "area_m2"],
                false,
                "89.5",
                "",
            ),
            col("owner_name", &["产权人", "owner_name"], false, "陈美玲", ""),
            PHONE,
            LAT,
            LNG,
            TAGS,
            NOTES,
        ],
        BaseKind::Enterprise => vec![
            GRID,
            col(
                "name",
                &["企业名称", "name"],
                true,
                "临江市某建筑劳务有限公司",
                "",
            ),
            col(
                "credit_code",
                &["统一社会信用代码", "credit_code"],
                true,
                "91350100M000100Y43",
                "18 位，含两个校验位",
            ),
            col("category", &["所属行业", "category"], false, "建筑业", ""),
            col(
                "legal_representative",
                &["法定代表人", "legal_representative"],
                false,
                "林国庆",
                "",
            ),
            PHONE,
            col("employees", &["从业人数", "employees"], false, "35", "整数"),
            col(
                "address",
                &["经营地址", "地址", "address"],
                false,
                "解放路 88 号",
                "",
            ),
            LAT,
            LNG,
            TAGS,
            NOTES,
        ],
        BaseKind::Organisation => vec![
            GRID,
            col(
                "name",
                &["组织名称", "name"],
                true,
                "鼓楼社区志愿者协会",
                "",
            ),
            col(
                "category",
                &["组织类型", "category"],
                true,
                "社会组织",
                "社会组织 / 事业单位 / 机关 / 党组织 / 群团组织 / 居（村）民自治组织 / 其他",
            ),
            col(
                "credit_code",
                &["统一社会信用代码", "credit_code"],
                false,
                "",
                "有则填写",
            ),
            col(
                "contact_name",
                &["联系人", "contact_name"],
                false,
                "赵丽娟",
                "",
            ),
            PHONE,
            col("address", &["地址", "address"], false, "解放路 12 号", ""),
            LAT,
            LNG,
            TAGS,
            NOTES,
        ],
        BaseKind::Component => vec![
            GRID,
            col("name", &["部件名称", "name"], true, "解放路 12 号井盖", ""),
            col(
                "category",
                &["部件类型", "category"],
                true,
                "井盖",
                "井盖 / 路灯 / 消火栓 / 监控探头 / 垃圾箱 / 公交站亭 / 电力设施 / 路名牌 / 桥梁 / 充电桩 / 其他",
            ),
            col(
                "component_code",
                &["部件编码", "component_code"],
                false,
                "JG-0012",
                "",
            ),
            col("lat", &["纬度", "lat"], true, "30.2462", "WGS84 十进制度"),
            col("lng", &["经度", "lng"], true, "120.1712", "WGS84 十进制度"),
            col(
                "status",
                &["状态", "status"],
                false,
                "完好",
                "完好 / 破损 / 缺失 / 已拆除；空则为完好",
            ),
            col(
                "owner_department",
                &["权属单位", "owner_department"],
                false,
                "江城区城市管理局",
                "",
            ),
            col(
                "address",
                &["位置描述", "地址", "address"],
                false,
                "解放路 12 号门前",
                "",
            ),
            TAGS,
            NOTES,
        ],
    }
}

/// One written record.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = BaseDataImportedRecord)]
pub struct ImportedRecord {
    pub line: usize,
    pub id: String,
}

/// One problem of one refused row.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = BaseDataRowError)]
pub struct RowError {
    /// Spreadsheet line (1-based; the header is line 1).
    pub line: usize,
    /// The column's header as written in the file (or the template's name when the column is
    /// missing from the file).
    pub column: String,
    /// The column's letter (A, B, …) when the column is in the file.
    pub column_letter: Option<String>,
    pub field: String,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = BaseDataImportReport)]
pub struct ImportReport {
    pub kind: BaseKind,
    /// Non-empty data rows in the file.
    pub total: usize,
    pub written: usize,
    /// Rows kept out.
    pub refused: usize,
    pub records: Vec<ImportedRecord>,
    /// Every problem of the refused rows, by line.
    pub errors: Vec<RowError>,
}

fn kind_of(text: &str) -> ApiResult<BaseKind> {
    text.parse().map_err(|_| ApiError::NotFound {
        entity: "base-data kind",
    })
}

fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        // Numbers typed as numbers (phones, areas): integers print without a decimal point.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string().trim().to_owned(),
    }
}

fn letter(mut index: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(char::from(b'A' + (index % 26) as u8));
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.iter().rev().collect()
}

/// A parsed sheet: for each data row, its line and its cells by field.
type Rows = Vec<(usize, BTreeMap<&'static str, String>)>;

/// Reads the first sheet; header problems (unknown, duplicate or missing columns) refuse the file.
fn read_sheet(bytes: &[u8], cols: &[Column]) -> ApiResult<(Rows, BTreeMap<&'static str, usize>)> {
    use calamine::Reader;
    if !bytes.starts_with(b"PK") {
        return Err(ApiError::invalid(
            "file",
            "not_xlsx",
            "请上传 .xlsx 表格（可先下载导入模板）",
        ));
    }
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
    let mut index: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut problems = Vec::new();
    for (i, name) in header.iter().enumerate() {
        match cols.iter().find(|c| c.headers.contains(&name.as_str())) {
            Some(c) => {
                if index.insert(c.field, i).is_some() {
                    problems.push(FieldError::new(
                        format!("header.{name}"),
                        "duplicate",
                        format!("列「{name}」重复"),
                    ));
                }
            }
            None if name.is_empty() => {}
            None => problems.push(FieldError::new(
                format!("header.{name}"),
                "unknown_column",
                format!(
                    "第 {} 列「{name}」不是此类数据的列，请使用导入模板",
                    letter(i)
                ),
            )),
        }
    }
    for c in cols.iter().filter(|c| c.required) {
        if !index.contains_key(c.field) {
            problems.push(FieldError::new(
                format!("header.{}", c.headers[0]),
                "missing_column",
                format!("缺少列「{}」", c.headers[0]),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::Invalid(problems));
    }
    let mut out = Vec::new();
    for (i, row) in rows.enumerate() {
        let values: BTreeMap<&'static str, String> = index
            .iter()
            .map(|(field, c)| (*field, row.get(*c).map(cell_text).unwrap_or_default()))
            .collect();
        if values.values().all(String::is_empty) {
            continue;
        }
        out.push((i + 2, values));
    }
    Ok((out, index))
}

/// Turns one row's cells into a draft; numbers that do not parse are the row's problems.
fn draft_of(values: &BTreeMap<&'static str, String>) -> (RecordDraft, Vec<FieldError>) {
    let mut problems = Vec::new();
    let text = |f: &str| values.get(f).cloned().unwrap_or_default();
    let opt = |f: &str| Some(text(f)).filter(|s| !s.trim().is_empty());
    let mut number = |f: &str| -> Option<f64> {
        let t = text(f);
        if t.trim().is_empty() {
            return None;
        }
        match t.trim().parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v),
            _ => {
                problems.push(FieldError::new(
                    f,
                    "not_a_number",
                    format!("「{t}」不是数字"),
                ));
                None
            }
        }
    };
    let lat = number("lat");
    let lng = number("lng");
    let area_m2 = number("area_m2");
    let employees = match number("employees") {
        Some(v) if v.fract() == 0.0 && v.abs() < 1e12 => Some(v as i64),
        Some(_) => {
            problems.push(FieldError::new(
                "employees",
                "not_an_integer",
                "从业人数应为整数",
            ));
            None
        }
        None => None,
    };
    let tags = text("tags")
        .split(['、', ',', '，', ';', '；', '|'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    let draft = RecordDraft {
        grid_code: text("grid_code"),
        name: text("name"),
        address: text("address"),
        category: opt("category"),
        tags,
        notes: text("notes"),
        id_number: opt("id_number"),
        phone: opt("phone"),
        credit_code: opt("credit_code"),
        housing_id: opt("housing_id"),
        lat,
        lng,
        tenure: opt("tenure"),
        area_m2,
        owner_name: opt("owner_name"),
        legal_representative: opt("legal_representative"),
        employees,
        contact_name: opt("contact_name"),
        component_code: opt("component_code"),
        status: opt("status"),
        owner_department: opt("owner_department"),
    };
    (draft, problems)
}

/// Import one kind of record from an .xlsx laid out as that kind's template. Bad rows are kept
/// out and reported (line, column, reason); the good rows are written together.
#[utoipa::path(post, path = "/api/v1/base-data/import/{kind}", tag = "base-data",
    params(("kind" = BaseKind, Path)),
    request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        description = "The filled-in template of this kind"),
    responses((status = 200, body = ImportReport), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn import(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(kind): Path<String>,
    body: Bytes,
) -> ApiResult<Json<ImportReport>> {
    me.require(&COLLECTORS)?;
    let kind = kind_of(&kind)?;
    let cols = columns(kind);
    let (rows, index) = read_sheet(&body, &cols)?;
    if rows.is_empty() {
        return Err(ApiError::invalid("file", "empty", "表格中没有数据行"));
    }
    if rows.len() > MAX_IMPORT_ROWS {
        return Err(ApiError::invalid(
            "file",
            "too_many",
            format!("一次最多导入 {MAX_IMPORT_ROWS} 行，请分批导入"),
        ));
    }
    let total = rows.len();
    let mut refused: Vec<(usize, FieldError)> = Vec::new();
    let mut good = Vec::new();
    let today = state.clock.now().china_date();
    for (line, values) in &rows {
        let (draft, mut problems) = draft_of(values);
        if problems.is_empty() {
            good.push(ImportRow { line: *line, draft });
        } else {
            // Report the row's other problems too, so one round of corrections is enough.
            if let Err(more) = fengqiao_domain::basedata::validate(kind, &draft, today) {
                problems.extend(more);
            }
            refused.extend(problems.into_iter().map(|p| (*line, p)));
        }
    }
    let mut ids = new_id;
    let outcome = state
        .store
        .import_base_records(
            &me.audit(&state),
            &me.scope,
            &state.cipher,
            kind,
            &good,
            &mut ids,
        )
        .await?;
    refused.extend(outcome.refused.into_iter().map(|p| (p.line, p.error)));
    refused.sort_by_key(|(line, _)| *line);
    let header_of = |field: &str| -> (String, Option<String>) {
        // Nested fields (`tags.0`) belong to their column.
        let base = field.split('.').next().unwrap_or(field);
        let column = cols.iter().find(|c| c.field == base);
        let name = column.map_or(base, |c| c.headers[0]).to_owned();
        (name, index.get(base).map(|i| letter(*i)))
    };
    let errors: Vec<RowError> = refused
        .into_iter()
        .map(|(line, e)| {
            let (column, column_letter) = header_of(&e.field);
            RowError {
                line,
                column,
                column_letter,
                field: e.field,
                code: e.code,
                message: e.message,
            }
        })
        .collect();
    let mut refused_lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
    refused_lines.dedup();
    Ok(Json(ImportReport {
        kind,
        total,
        written: outcome.written.len(),
        refused: refused_lines.len(),
        records: outcome
            .written
            .into_iter()
            .map(|(line, id)| ImportedRecord { line, id })
            .collect(),
        errors,
    }))
}

fn values_note(kind: BaseKind) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let rule = kind.category();
    if !rule.values.is_empty() {
        out.push((
            rule.label_zh.to_owned(),
            rule.values
                .iter()
                .map(|(c, l)| format!("{l}（{c}）"))
                .collect::<Vec<_>>()
                .join("、"),
        ));
    }
    match kind {
        BaseKind::Housing => out.push((
            "使用情况".into(),
            HOUSING_TENURES
                .iter()
                .map(|(c, l)| format!("{l}（{c}）"))
                .collect::<Vec<_>>()
                .join("、"),
        )),
        BaseKind::Component => out.push((
            "状态".into(),
            COMPONENT_STATUSES
                .iter()
                .map(|(c, l)| format!("{l}（{c}）"))
                .collect::<Vec<_>>()
                .join("、"),
        )),
        _ => {}
    }
    out
}

/// The import template of one kind: the header row, an example row and a notes sheet.
#[utoipa::path(get, path = "/api/v1/base-data/import/{kind}/template.xlsx", tag = "base-data",
    params(("kind" = BaseKind, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 404, body = ErrorEnvelope)))]
pub async fn template(me: CurrentUser, Path(kind): Path<String>) -> ApiResult<impl IntoResponse> {
    super::staff(&me)?;
    let kind = kind_of(&kind)?;
    let internal = |e: rust_xlsxwriter::XlsxError| ApiError::Internal(format!("template: {e}"));
    let cols = columns(kind);
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    // Text cells keep ID numbers, phones and codes exactly as typed (no scientific notation).
    let as_text = rust_xlsxwriter::Format::new().set_num_format("@");
    let sheet = book.add_worksheet();
    sheet.set_name(kind.label_zh()).map_err(internal)?;
    for (i, c) in cols.iter().enumerate() {
        let i = i as u16;
        sheet.set_column_width(i, 18).map_err(internal)?;
        sheet.set_column_format(i, &as_text).map_err(internal)?;
        sheet
            .write_string_with_format(0, i, c.headers[0], &bold)
            .map_err(internal)?;
        sheet.write_string(1, i, c.example).map_err(internal)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(internal)?;
    let notes = book.add_worksheet();
    notes.set_name("填写说明").map_err(internal)?;
    for (i, h) in ["列名", "必填", "说明"].iter().enumerate() {
        notes
            .write_string_with_format(0, i as u16, *h, &bold)
            .map_err(internal)?;
    }
    notes.set_column_width(0, 20).map_err(internal)?;
    notes.set_column_width(2, 80).map_err(internal)?;
    let mut row = 1u32;
    for c in &cols {
        notes.write_string(row, 0, c.headers[0]).map_err(internal)?;
        notes
            .write_string(row, 1, if c.required { "是" } else { "否" })
            .map_err(internal)?;
        notes.write_string(row, 2, c.note).map_err(internal)?;
        row += 1;
    }
    row += 1;
    for (label, values) in values_note(kind) {
        notes
            .write_string_with_format(row, 0, &label, &bold)
            .map_err(internal)?;
        notes.write_string(row, 2, &values).map_err(internal)?;
        row += 1;
    }
    notes
        .write_string(
            row + 1,
            0,
            "导入时有误的行不写入，返回行号、列名和原因；其余正确的行一并写入。",
        )
        .map_err(internal)?;
    let bytes = book.save_to_buffer().map_err(internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, XLSX.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"base-data-{}-template.xlsx\"",
                    kind.code()
                ),
            ),
        ],
        bytes,
    ))
}
