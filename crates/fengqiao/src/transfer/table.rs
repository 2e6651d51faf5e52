//! The one tabular form both file formats are read into and written from: named columns and
//! rows of typed cells, each row knowing its line in the file.

use super::{Format, RowProblem};
use anyhow::Context as _;
use calamine::{Data, Reader as _, Xlsx};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// Longest text an xlsx cell holds (Excel's limit, in characters).
const XLSX_MAX_TEXT: usize = 32_767;

/// One cell as the file had it; parsing to a column's type happens in `cells`.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cell {
    Empty,
    Text(String),
    Int(i64),
    Number(f64),
    Bool(bool),
    /// A JSON object or array (a GeoJSON geometry, a list of roles).
    Json(Value),
    /// A spreadsheet value no column takes (a date, an error value), described in Chinese.
    Other(&'static str),
}

impl Cell {
    pub(super) fn text(value: &str) -> Self {
        if value.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(value.to_owned())
        }
    }

    pub(super) fn opt_text(value: Option<&str>) -> Self {
        value.map_or(Cell::Empty, Cell::text)
    }

    fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

static EMPTY: Cell = Cell::Empty;

/// A column as the file names it.
#[derive(Debug, Clone)]
pub(super) struct HeaderCell {
    pub name: String,
    /// The line naming it: the header row, or (JSON) the first object with this key.
    pub line: usize,
}

#[derive(Debug, Clone)]
pub(super) struct Row {
    pub line: usize,
    /// Aligned with `Table::columns`; missing trailing cells are empty.
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone)]
pub(super) struct Table {
    pub format: Format,
    /// The line of the header row (1 unless the sheet starts lower down).
    pub header_line: usize,
    pub columns: Vec<HeaderCell>,
    pub rows: Vec<Row>,
    /// Rows that are not rows at all (a JSON array element that is not an object).
    pub unreadable: Vec<RowProblem>,
    /// Normalised column name → its first position.
    index: HashMap<String, usize>,
}

/// Header names match ignoring case and surrounding spaces.
pub(super) fn normalise(name: &str) -> String {
    name.trim().to_ascii_lowercase()
}

impl Table {
    fn new(format: Format, header_line: usize) -> Self {
        Self {
            format,
            header_line,
            columns: Vec::new(),
            rows: Vec::new(),
            unreadable: Vec::new(),
            index: HashMap::new(),
        }
    }

    fn add_column(&mut self, name: String, line: usize) -> usize {
        let position = self.columns.len();
        self.index.entry(normalise(&name)).or_insert(position);
        self.columns.push(HeaderCell { name, line });
        position
    }

    /// A table to export: lines count from 2, under the header row.
    pub(super) fn for_export(columns: &[&str], rows: Vec<Vec<Cell>>) -> Self {
        let mut table = Table::new(Format::Xlsx, 1);
        for name in columns {
            table.add_column((*name).to_owned(), 1);
        }
        table.rows = rows
            .into_iter()
            .enumerate()
            .map(|(i, cells)| Row { line: i + 2, cells })
            .collect();
        table
    }

    /// The cell of `row` under `column` (empty when the file has no such column).
    pub(super) fn cell<'a>(&'a self, row: &'a Row, column: &str) -> &'a Cell {
        self.index
            .get(column)
            .and_then(|&i| row.cells.get(i))
            .unwrap_or(&EMPTY)
    }

    /// Whether any row has a value at this position (a nameless column that holds data).
    pub(super) fn column_has_data(&self, position: usize) -> bool {
        self.rows
            .iter()
            .any(|r| r.cells.get(position).is_some_and(|c| !c.is_blank()))
    }
}

/// Reads the first worksheet of an xlsx file, or a JSON array of objects.
pub(super) fn read(path: &Path, format: Format) -> anyhow::Result<Table> {
    match format {
        Format::Xlsx => read_xlsx(path),
        Format::Json => {
            let text = std::fs::read_to_string(path)?;
            read_json(&text)
        }
    }
}

fn read_xlsx(path: &Path) -> anyhow::Result<Table> {
    let mut book: Xlsx<_> = calamine::open_workbook(path).context("not a readable xlsx file")?;
    let range = book
        .worksheet_range_at(0)
        .context("the workbook has no worksheet")?
        .context("reading the first worksheet")?;
    // The used range starts at its first non-empty cell; lines count from the sheet's row 1.
    let Some((first_row, _)) = range.start() else {
        return Ok(Table::new(Format::Xlsx, 1));
    };
    let first_line = first_row as usize + 1;
    let mut table = Table::new(Format::Xlsx, first_line);
    let mut rows = range.rows();
    if let Some(header) = rows.next() {
        for cell in header {
            let name = match xlsx_cell(cell) {
                Cell::Text(s) => s.trim().to_owned(),
                Cell::Int(n) => n.to_string(),
                Cell::Number(f) => f.to_string(),
                _ => String::new(),
            };
            table.add_column(name, first_line);
        }
    }
    for (i, cells) in rows.enumerate() {
        let cells: Vec<Cell> = cells.iter().map(xlsx_cell).collect();
        // Blank rows between data rows are spacing, not rows.
        if cells.iter().all(Cell::is_blank) {
            continue;
        }
        table.rows.push(Row {
            line: first_line + 1 + i,
            cells,
        });
    }
    Ok(table)
}

fn xlsx_cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(n) => Cell::Int(*n),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(_) | Data::DateTimeIso(_) => Cell::Other("日期时间"),
        Data::DurationIso(_) => Cell::Other("时长"),
        Data::Error(_) => Cell::Other("错误值"),
    }
}

pub(super) fn read_json(text: &str) -> anyhow::Result<Table> {
    let value: Value = serde_json::from_str(text).context("not valid JSON")?;
    let Value::Array(items) = value else {
        anyhow::bail!("a JSON import file must be an array of objects, one object per row");
    };
    let mut table = Table::new(Format::Json, 1);
    for (i, item) in items.into_iter().enumerate() {
        let line = i + 1;
        let Value::Object(fields) = item else {
            table.unreadable.push(RowProblem::new(
                line,
                "",
                format!("应为对象 {{…}}，实为{}", json_kind(&item)),
            ));
            continue;
        };
        let mut cells = Vec::new();
        for (key, value) in fields {
            let position = match table.index.get(&normalise(&key)) {
                Some(&p) => p,
                None => table.add_column(key, line),
            };
            if cells.len() <= position {
                cells.resize(position + 1, Cell::Empty);
            }
            if let Some(slot) = cells.get_mut(position) {
                *slot = json_cell(value);
            }
        }
        table.rows.push(Row { line, cells });
    }
    Ok(table)
}

fn json_cell(value: Value) -> Cell {
    match value {
        Value::Null => Cell::Empty,
        Value::Bool(b) => Cell::Bool(b),
        Value::String(s) => Cell::Text(s),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Cell::Int(i),
            (None, Some(f)) => Cell::Number(f),
            (None, None) => Cell::Text(n.to_string()),
        },
        other => Cell::Json(other),
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "逻辑值",
        Value::Number(_) => "数字",
        Value::String(_) => "文本",
        Value::Array(_) => "数组",
        Value::Object(_) => "对象",
    }
}

/// Writes `table` as an xlsx workbook with one sheet named `sheet`, or as a JSON array.
pub(super) fn write(table: &Table, sheet: &str, path: &Path, format: Format) -> anyhow::Result<()> {
    match format {
        Format::Xlsx => write_xlsx(table, sheet, path),
        Format::Json => {
            let mut text = serde_json::to_string_pretty(&to_json(table))?;
            text.push('\n');
            std::fs::write(path, text)?;
            Ok(())
        }
    }
}

pub(super) fn to_json(table: &Table) -> Value {
    let rows = table.rows.iter().map(|row| {
        let fields = table.columns.iter().enumerate().map(|(i, column)| {
            let value = match row.cells.get(i).unwrap_or(&EMPTY) {
                Cell::Empty | Cell::Other(_) => Value::Null,
                Cell::Text(s) => Value::String(s.clone()),
                Cell::Int(n) => Value::from(*n),
                Cell::Number(f) => Value::from(*f),
                Cell::Bool(b) => Value::Bool(*b),
                Cell::Json(v) => v.clone(),
            };
            (column.name.clone(), value)
        });
        Value::Object(fields.collect())
    });
    Value::Array(rows.collect())
}

fn write_xlsx(table: &Table, sheet_name: &str, path: &Path) -> anyhow::Result<()> {
    use rust_xlsxwriter::{Format as CellFormat, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name)?;
    let bold = CellFormat::new().set_bold();
    // Text-formatted columns keep codes, phone and ID numbers as typed when people add rows
    // in Excel, instead of turning them into (rounded) numbers.
    let as_text = CellFormat::new().set_num_format("@");
    for (i, column) in table.columns.iter().enumerate() {
        let col = u16::try_from(i).context("too many columns for xlsx")?;
        sheet.set_column_width(col, 18)?;
        let numeric = table
            .rows
            .iter()
            .any(|r| matches!(r.cells.get(i), Some(Cell::Int(_) | Cell::Number(_))));
        if !numeric {
            sheet.set_column_format(col, &as_text)?;
        }
        sheet.write_string_with_format(0, col, column.name.as_str(), &bold)?;
    }
    for row in &table.rows {
        let at = u32::try_from(row.line - 1).context("too many rows for xlsx")?;
        for (i, cell) in row.cells.iter().enumerate() {
            let col = u16::try_from(i).context("too many columns for xlsx")?;
            let text = match cell {
                Cell::Empty | Cell::Other(_) => continue,
                Cell::Int(n) => {
                    // Populations and the like: far below 2^53, so exact as an Excel number.
                    sheet.write_number(at, col, *n as f64)?;
                    continue;
                }
                Cell::Number(f) => {
                    sheet.write_number(at, col, *f)?;
                    continue;
                }
                Cell::Bool(b) => {
                    sheet.write_boolean(at, col, *b)?;
                    continue;
                }
                Cell::Text(s) => s.clone(),
                Cell::Json(v) => v.to_string(),
            };
            let chars = text.chars().count();
            if chars > XLSX_MAX_TEXT {
                let column = table.columns.get(i).map_or("", |c| c.name.as_str());
                anyhow::bail!(
                    "line {} column {column} holds {chars} characters, more than an xlsx cell can \
                     ({XLSX_MAX_TEXT}); export to .json instead",
                    row.line
                );
            }
            sheet.write_string(at, col, text)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    book.save(path)?;
    Ok(())
}
