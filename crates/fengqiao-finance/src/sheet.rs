//! Reading an uploaded spreadsheet (xlsx, or UTF-8 csv) into header names and rows of cells,
//! each row knowing its line in the file so errors can point at it.

use std::io::Cursor;

use calamine::{Data, Reader as _, Xlsx};

use crate::error::BatchError;

/// One cell as the file had it; parsing to a column's type happens in `parse`.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    /// A spreadsheet number. Only ever turned into a decimal through its shortest exact
    /// decimal representation, never used in arithmetic.
    Number(f64),
    Bool(bool),
    /// An Excel date cell (the time of day, if any, is dropped).
    Date(chrono::NaiveDate),
    /// Anything else (an error value, a duration), described in Chinese.
    Other(&'static str),
}

impl Cell {
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// A row of cells aligned with the header.
#[derive(Debug, Clone)]
pub struct SheetRow {
    /// The line in the file (1-based; the header is line 1 unless the sheet starts lower).
    pub line: usize,
    pub cells: Vec<Cell>,
}

/// The first worksheet (or the csv) as a header and rows; blank rows are dropped.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<SheetRow>,
}

/// What kind of file the bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Xlsx,
    Csv,
}

impl FileKind {
    /// From the upload's content type and file name; xlsx is recognised by its zip signature.
    pub fn detect(filename: &str, bytes: &[u8]) -> Result<Self, BatchError> {
        let lower = filename.to_ascii_lowercase();
        if bytes.starts_with(b"PK") {
            Ok(FileKind::Xlsx)
        } else if lower.ends_with(".csv") || lower.ends_with(".txt") {
            Ok(FileKind::Csv)
        } else if lower.ends_with(".xlsx") {
            Err(BatchError::File(
                "文件扩展名为 .xlsx，但内容不是 xlsx 工作簿".into(),
            ))
        } else {
            Err(BatchError::File(
                "仅支持 .xlsx 或 UTF-8 编码的 .csv 文件".into(),
            ))
        }
    }
}

/// Reads the bytes of an upload.
pub fn read(kind: FileKind, bytes: &[u8]) -> Result<Sheet, BatchError> {
    match kind {
        FileKind::Xlsx => read_xlsx(bytes),
        FileKind::Csv => {
            let text = std::str::from_utf8(bytes)
                .map_err(|_| BatchError::File("csv 文件须为 UTF-8 编码".into()))?;
            Ok(read_csv(text))
        }
    }
}

fn read_xlsx(bytes: &[u8]) -> Result<Sheet, BatchError> {
    let mut book = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| BatchError::File(format!("无法读取 xlsx 工作簿：{e}")))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| BatchError::File("工作簿中没有工作表".into()))?
        .map_err(|e| BatchError::File(format!("无法读取第一个工作表：{e}")))?;
    let Some((first_row, _)) = range.start() else {
        return Ok(Sheet::default());
    };
    let first_line = first_row as usize + 1;
    let mut sheet = Sheet::default();
    let mut rows = range.rows();
    if let Some(header) = rows.next() {
        sheet.headers = header
            .iter()
            .map(|cell| match xlsx_cell(cell) {
                Cell::Text(s) => s.trim().to_owned(),
                Cell::Int(n) => n.to_string(),
                _ => String::new(),
            })
            .collect();
    }
    for (offset, cells) in rows.enumerate() {
        let cells: Vec<Cell> = cells.iter().map(xlsx_cell).collect();
        if cells.iter().all(Cell::is_blank) {
            continue;
        }
        sheet.rows.push(SheetRow {
            line: first_line + 1 + offset,
            cells,
        });
    }
    Ok(sheet)
}

fn xlsx_cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(n) => Cell::Int(*n),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (year, month, day, ..) = dt.to_ymd_hms_milli();
            chrono::NaiveDate::from_ymd_opt(year.into(), month.into(), day.into())
                .map_or(Cell::Other("无效日期"), Cell::Date)
        }
        Data::DateTime(_) => Cell::Other("时长"),
        Data::DateTimeIso(s) => Cell::Text(s.clone()),
        Data::DurationIso(_) => Cell::Other("时长"),
        Data::Error(_) => Cell::Other("错误值"),
    }
}

/// RFC 4180 csv: commas, double-quoted fields with `""` escapes, CRLF or LF line ends; a UTF-8
/// byte-order mark (Excel writes one) is skipped. Every value is text.
pub fn read_csv(text: &str) -> Sheet {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records: Vec<(usize, Vec<String>)> = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut line = 1;
    let mut record_line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => in_quotes = true,
            ',' => record.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                records.push((record_line, std::mem::take(&mut record)));
                line += 1;
                record_line = line;
            }
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push((record_line, record));
    }
    let mut sheet = Sheet::default();
    let mut iter = records.into_iter();
    if let Some((_, header)) = iter.next() {
        sheet.headers = header.into_iter().map(|h| h.trim().to_owned()).collect();
    }
    for (line, fields) in iter {
        let cells: Vec<Cell> = fields
            .into_iter()
            .map(|f| {
                if f.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(f)
                }
            })
            .collect();
        if cells.iter().all(Cell::is_blank) {
            continue;
        }
        sheet.rows.push(SheetRow { line, cells });
    }
    sheet
}

/// Quotes a csv field when it needs it.
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_commas_newlines_and_bom() {
        let sheet =
            read_csv("\u{feff}a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\n\n2,\"two\nlines\",\n3,,z");
        assert_eq!(sheet.headers, vec!["a", "b", "c"]);
        assert_eq!(sheet.rows.len(), 3);
        assert_eq!(sheet.rows[0].line, 2);
        assert_eq!(
            sheet.rows[0].cells,
            vec![
                Cell::Text("1".into()),
                Cell::Text("x, y".into()),
                Cell::Text("say \"hi\"".into())
            ]
        );
        assert_eq!(sheet.rows[1].line, 4);
        assert_eq!(sheet.rows[1].cells[1], Cell::Text("two\nlines".into()));
        assert_eq!(sheet.rows[1].cells[2], Cell::Empty);
        assert_eq!(sheet.rows[2].line, 6);
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("plain"), "plain");
    }
}
