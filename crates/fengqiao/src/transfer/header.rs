//! The header check: unknown, duplicate, nameless and missing columns, reported on the header
//! line before any row is read (JSON: on the first object that has the key).

use super::table::{Table, normalise};
use super::{Column, Format, RowProblem};
use std::collections::HashSet;

/// Every header problem of `table` against an entity's `columns`; empty when the header is fine.
pub(super) fn check(table: &Table, columns: &[Column]) -> Vec<RowProblem> {
    // A JSON file's columns are its objects' keys: with no objects there is nothing to check.
    if table.format == Format::Json && table.rows.is_empty() {
        return Vec::new();
    }
    let known: Vec<&str> = columns.iter().map(|c| c.name).collect();
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    for (position, header) in table.columns.iter().enumerate() {
        let name = normalise(&header.name);
        if name.is_empty() {
            if table.column_has_data(position) {
                problems.push(RowProblem::new(
                    header.line,
                    column_letter(position),
                    "该列有数据但没有列名",
                ));
            }
            continue;
        }
        if !known.contains(&name.as_str()) {
            problems.push(RowProblem::new(
                header.line,
                header.name.clone(),
                format!("未知的列（可用的列：{}）", known.join("、")),
            ));
        } else if !seen.insert(name) {
            problems.push(RowProblem::new(
                header.line,
                header.name.clone(),
                "列名重复",
            ));
        }
    }
    for column in columns.iter().filter(|c| c.required) {
        if !seen.contains(column.name) {
            problems.push(RowProblem::new(
                table.header_line,
                column.name,
                "缺少必需的列",
            ));
        }
    }
    problems
}

/// The spreadsheet letter of a 0-based column position: 0 → A, 26 → AA.
fn column_letter(position: usize) -> String {
    let mut n = position + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transfer::table::read_json;

    const COLUMNS: &[Column] = &[
        Column {
            name: "code",
            required: true,
        },
        Column {
            name: "name",
            required: true,
        },
        Column {
            name: "population",
            required: false,
        },
    ];

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }

    #[test]
    fn json_keys_are_checked_where_they_first_appear() {
        let table = read_json(
            r#"[{"code": "330100", "name": "a"},
                {"code": "330102", "Name": "b", "populaton": 3}]"#,
        )
        .unwrap();
        let problems = check(&table, COLUMNS);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, 2);
        assert_eq!(problems[0].column, "populaton");
        assert!(problems[0].reason.starts_with("未知的列"));
    }

    #[test]
    fn missing_required_columns_are_named() {
        let table = read_json(r#"[{"code": "330100"}]"#).unwrap();
        let problems = check(&table, COLUMNS);
        assert_eq!(problems, vec![RowProblem::new(1, "name", "缺少必需的列")]);
        let empty = read_json("[]").unwrap();
        assert!(check(&empty, COLUMNS).is_empty());
    }
}
