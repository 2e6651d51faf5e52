//! Spreadsheets out: the blank template (xlsx with a notes sheet, or csv) and a batch's results.

use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Serialize;

use crate::columns::COLUMNS;
use crate::sheet::csv_field;

/// Money in fen as `1,234.56` (exact text: amounts are written as the judgment states them).
pub fn yuan_text(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    let whole = (abs / 100).to_string();
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped}.{:02}", abs % 100)
}

/// The blank template as xlsx: the header, one example row, and a notes sheet.
pub fn template_xlsx() -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let as_text = Format::new().set_num_format("@");
    let sheet = book.add_worksheet();
    sheet.set_name("案件")?;
    for (index, column) in COLUMNS.iter().enumerate() {
        let col = index as u16;
        sheet.set_column_width(col, if column.key.ends_with("_id") { 22 } else { 16 })?;
        // Text columns keep ID numbers, codes and dates as typed.
        sheet.set_column_format(col, &as_text)?;
        sheet.write_string_with_format(0, col, column.header, &bold)?;
        sheet.write_string(1, col, column.example)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let notes = book.add_worksheet();
    notes.set_name("填写说明")?;
    for (col, header) in ["列名", "必填", "说明"].iter().enumerate() {
        notes.write_string_with_format(0, col as u16, *header, &bold)?;
    }
    notes.set_column_width(0, 22)?;
    notes.set_column_width(2, 70)?;
    for (index, column) in COLUMNS.iter().enumerate() {
        let row = index as u32 + 1;
        notes.write_string(row, 0, column.header)?;
        notes.write_string(row, 1, if column.required { "是" } else { "否" })?;
        notes.write_string(row, 2, column.note)?;
    }
    book.save_to_buffer()
}

/// The blank template as UTF-8 csv with a byte-order mark (so Excel opens it as UTF-8).
pub fn template_csv() -> String {
    let mut out = String::from('\u{feff}');
    let header: Vec<String> = COLUMNS.iter().map(|c| csv_field(c.header)).collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    let example: Vec<String> = COLUMNS.iter().map(|c| csv_field(c.example)).collect();
    out.push_str(&example.join(","));
    out.push_str("\r\n");
    out
}

/// One case of a batch in the results sheet.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ExportRow {
    pub seq: i64,
    pub row: i64,
    pub reference: String,
    pub contract_no: String,
    pub borrower: String,
    pub principal_fen: i64,
    pub interest_fen: i64,
    pub penalty_fen: i64,
    pub compound_fen: i64,
    pub costs_fen: i64,
    pub total_fen: i64,
    pub fee_fen: i64,
    /// 待审 / 已确认 / 已调整 / 有争议
    pub status: String,
    pub reason: String,
    pub decided_by: String,
    pub filing: String,
    pub hearing: String,
    pub enforcement: String,
    pub judgment_items: String,
}

const EXPORT_HEADERS: [&str; 19] = [
    "序号",
    "文件行号",
    "银行编号",
    "借款合同编号",
    "被告",
    "本金",
    "利息",
    "罚息",
    "复利",
    "律师费等",
    "合计",
    "受理费",
    "审查结果",
    "调整或争议理由",
    "审查人",
    "快立（立案）",
    "快审（开庭）",
    "快执（执行）",
    "判决主文",
];

/// The results of a batch as xlsx: one row per case, then the row errors of the upload.
pub fn export_xlsx(
    title: &str,
    rows: &[ExportRow],
    errors: &[crate::error::RowError],
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name("审查结果")?;
    sheet.write_string_with_format(0, 0, title, &bold)?;
    for (col, header) in EXPORT_HEADERS.iter().enumerate() {
        sheet.write_string_with_format(1, col as u16, *header, &bold)?;
        sheet.set_column_width(col as u16, if col == 18 { 80 } else { 14 })?;
    }
    for (index, r) in rows.iter().enumerate() {
        let at = index as u32 + 2;
        sheet.write_number(at, 0, r.seq as f64)?;
        sheet.write_number(at, 1, r.row as f64)?;
        let texts = [
            r.reference.clone(),
            r.contract_no.clone(),
            r.borrower.clone(),
            yuan_text(r.principal_fen),
            yuan_text(r.interest_fen),
            yuan_text(r.penalty_fen),
            yuan_text(r.compound_fen),
            yuan_text(r.costs_fen),
            yuan_text(r.total_fen),
            yuan_text(r.fee_fen),
            r.status.clone(),
            r.reason.clone(),
            r.decided_by.clone(),
            r.filing.clone(),
            r.hearing.clone(),
            r.enforcement.clone(),
            r.judgment_items.clone(),
        ];
        for (offset, text) in texts.iter().enumerate() {
            sheet.write_string(at, offset as u16 + 2, text)?;
        }
    }
    sheet.set_freeze_panes(2, 0)?;
    let bad = book.add_worksheet();
    bad.set_name("未导入的行")?;
    for (col, header) in ["文件行号", "列", "原因"].iter().enumerate() {
        bad.write_string_with_format(0, col as u16, *header, &bold)?;
    }
    bad.set_column_width(1, 20)?;
    bad.set_column_width(2, 60)?;
    for (index, error) in errors.iter().enumerate() {
        let at = index as u32 + 1;
        bad.write_number(at, 0, error.row as f64)?;
        bad.write_string(at, 1, &error.header)?;
        bad.write_string(at, 2, &error.reason)?;
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_text_groups_and_keeps_cents() {
        assert_eq!(yuan_text(11_098_060), "110,980.60");
        assert_eq!(yuan_text(5), "0.05");
        assert_eq!(yuan_text(-123_456_789), "-1,234,567.89");
    }
}
