//! Strict parsing of one cell into a column's type; each refusal says what the cell held.
//! Every parser returns `Ok(None)` for a blank cell, so required-ness is decided by the caller.

use super::table::Cell;
use fengqiao_domain::role::Role;

/// Integers above this lose digits as spreadsheet numbers (f64): 2^53.
const MAX_EXACT_INTEGER: f64 = 9_007_199_254_740_992.0;

/// Longest id accepted (UUIDs are 36).
const MAX_ID_CHARS: usize = 64;

/// What a cell held, for messages.
fn describe(cell: &Cell) -> String {
    match cell {
        Cell::Empty => "空白".into(),
        Cell::Text(s) => format!("文本“{s}”"),
        Cell::Int(n) => format!("数字 {n}"),
        Cell::Number(f) => format!("数字 {f}"),
        Cell::Bool(b) => format!("逻辑值 {}", if *b { "TRUE" } else { "FALSE" }),
        Cell::Json(serde_json::Value::Array(_)) => "JSON 数组".into(),
        Cell::Json(_) => "JSON 对象".into(),
        Cell::Other(kind) => (*kind).into(),
    }
}

/// A spreadsheet number that is a whole number and exactly representable.
fn whole_number(f: f64) -> Result<i64, String> {
    if f.fract() != 0.0 {
        return Err(format!("应为整数，实为数字 {f}"));
    }
    if f.abs() >= MAX_EXACT_INTEGER {
        return Err(format!(
            "数字 {f} 位数过多，已无法精确保存：请将该列设为文本格式后重新填写"
        ));
    }
    // In range and whole, so the conversion is exact.
    Ok(f as i64)
}

/// Trimmed text. Whole numbers are accepted as their digits (a code typed into a number cell);
/// fractions, logical values, dates and the like are refused.
pub(super) fn text(cell: &Cell) -> Result<Option<String>, String> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Text(s) => {
            let t = s.trim();
            Ok((!t.is_empty()).then(|| t.to_owned()))
        }
        Cell::Int(n) => Ok(Some(n.to_string())),
        Cell::Number(f) => whole_number(*f)
            .map(|n| Some(n.to_string()))
            .map_err(|reason| format!("应为文本：{reason}")),
        other => Err(format!("应为文本，实为{}", describe(other))),
    }
}

/// Text taken exactly as written (a password: spaces are part of it).
pub(super) fn exact_text(cell: &Cell) -> Result<Option<String>, String> {
    match cell {
        Cell::Text(s) if !s.trim().is_empty() => Ok(Some(s.clone())),
        other => text(other),
    }
}

/// A record id given in the file: printable, no spaces, at most 64 characters.
pub(super) fn id(cell: &Cell) -> Result<Option<String>, String> {
    let Some(id) = text(cell)? else {
        return Ok(None);
    };
    if id.chars().count() > MAX_ID_CHARS || id.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(format!(
            "编号“{id}”无效：须为不含空格的 1–{MAX_ID_CHARS} 个字符"
        ));
    }
    Ok(Some(id))
}

/// A whole number: a number cell, or text of digits.
pub(super) fn integer(cell: &Cell) -> Result<Option<i64>, String> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Int(n) => Ok(Some(*n)),
        Cell::Number(f) => whole_number(*f).map(Some),
        Cell::Text(s) if s.trim().is_empty() => Ok(None),
        Cell::Text(s) => s
            .trim()
            .parse::<i64>()
            .map(Some)
            .map_err(|_| format!("应为整数，实为文本“{}”", s.trim())),
        other => Err(format!("应为整数，实为{}", describe(other))),
    }
}

/// One of an enumeration's codes, or its Chinese label (`district` or `区县`).
pub(super) fn choice<T: Copy>(
    all: &'static [T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> impl Fn(&Cell) -> Result<Option<T>, String> {
    move |cell| {
        let Some(given) = text(cell)? else {
            return Ok(None);
        };
        all.iter()
            .copied()
            .find(|v| code(*v) == given || label(*v) == given)
            .map(Some)
            .ok_or_else(|| {
                let codes: Vec<&str> = all.iter().map(|v| code(*v)).collect();
                format!("未知的取值“{given}”，可选：{}", codes.join("、"))
            })
    }
}

/// A GeoJSON geometry: JSON text (xlsx) or an object (JSON files). Its shape is checked by
/// the store, which names this column.
pub(super) fn geometry(cell: &Cell) -> Result<Option<serde_json::Value>, String> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Json(v) => Ok(Some(v.clone())),
        Cell::Text(s) if s.trim().is_empty() => Ok(None),
        Cell::Text(s) => serde_json::from_str(s.trim())
            .map(Some)
            .map_err(|e| format!("不是合法的 GeoJSON 文本：{e}")),
        other => Err(format!("应为 GeoJSON 文本，实为{}", describe(other))),
    }
}

/// Role codes (or Chinese names) separated by commas — or, in JSON, an array of them.
pub(super) fn roles(cell: &Cell) -> Result<Option<Vec<Role>>, String> {
    let items: Vec<String> = match cell {
        Cell::Json(serde_json::Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(|s| s.trim().to_owned())
                    .ok_or_else(|| format!("角色列表中应为文本，实为 {v}"))
            })
            .collect::<Result<_, _>>()?,
        other => match text(other)? {
            Some(list) => list
                .split([',', '，', '、', ';', '；'])
                .map(|s| s.trim().to_owned())
                .collect(),
            None => return Ok(None),
        },
    };
    let parse = choice(&Role::ALL, Role::code, Role::label_zh);
    let mut roles = Vec::new();
    for item in items.iter().filter(|s| !s.is_empty()) {
        if let Some(role) = parse(&Cell::Text(item.clone()))? {
            roles.push(role);
        }
    }
    Ok((!roles.is_empty()).then_some(roles))
}

#[cfg(test)]
mod tests {
    use super::*;
    use fengqiao_domain::region::RegionLevel;

    #[test]
    fn text_takes_whole_numbers_and_refuses_the_rest() {
        assert_eq!(
            text(&Cell::Text("  上城区 ".into())).unwrap(),
            Some("上城区".into())
        );
        assert_eq!(text(&Cell::Text("   ".into())).unwrap(), None);
        assert_eq!(
            text(&Cell::Number(330102.0)).unwrap(),
            Some("330102".into())
        );
        assert_eq!(text(&Cell::Int(42)).unwrap(), Some("42".into()));
        assert!(text(&Cell::Number(3.5)).unwrap_err().contains("3.5"));
        assert!(text(&Cell::Bool(true)).unwrap_err().contains("逻辑值"));
        assert!(
            text(&Cell::Other("日期时间"))
                .unwrap_err()
                .contains("日期时间")
        );
    }

    #[test]
    fn an_id_number_typed_as_a_number_is_refused_not_rounded() {
        // 330102198507141234 as an Excel number has already lost its last digits.
        let err = text(&Cell::Number(330_102_198_507_141_234.0)).unwrap_err();
        assert!(err.contains("文本格式"), "{err}");
    }

    #[test]
    fn integers_are_strict() {
        assert_eq!(integer(&Cell::Number(5000.0)).unwrap(), Some(5000));
        assert_eq!(integer(&Cell::Text(" 12 ".into())).unwrap(), Some(12));
        assert_eq!(integer(&Cell::Empty).unwrap(), None);
        assert_eq!(
            integer(&Cell::Text("many".into())).unwrap_err(),
            "应为整数，实为文本“many”"
        );
        assert_eq!(
            integer(&Cell::Number(1.5)).unwrap_err(),
            "应为整数，实为数字 1.5"
        );
    }

    #[test]
    fn choices_take_codes_or_labels() {
        let level = choice(&RegionLevel::ALL, RegionLevel::code, RegionLevel::label_zh);
        assert_eq!(
            level(&Cell::Text("district".into())).unwrap(),
            Some(RegionLevel::District)
        );
        assert_eq!(
            level(&Cell::Text("区县".into())).unwrap(),
            Some(RegionLevel::District)
        );
        let err = level(&Cell::Text("town".into())).unwrap_err();
        assert!(
            err.starts_with("未知的取值“town”，可选：city、district"),
            "{err}"
        );
    }

    #[test]
    fn roles_split_on_commas_or_come_as_an_array() {
        assert_eq!(
            roles(&Cell::Text("mediator, 管理员".into())).unwrap(),
            Some(vec![Role::Mediator, Role::Admin])
        );
        assert_eq!(
            roles(&Cell::Json(serde_json::json!(["grid_worker"]))).unwrap(),
            Some(vec![Role::GridWorker])
        );
        assert_eq!(roles(&Cell::Text(" , ".into())).unwrap(), None);
        assert!(
            roles(&Cell::Text("mediator,boss".into()))
                .unwrap_err()
                .contains("boss")
        );
    }

    #[test]
    fn ids_and_geometry() {
        assert!(id(&Cell::Text("a b".into())).is_err());
        assert_eq!(
            id(&Cell::Text("0193-x".into())).unwrap(),
            Some("0193-x".into())
        );
        assert!(geometry(&Cell::Text("{not json".into())).is_err());
        assert_eq!(
            geometry(&Cell::Text(r#"{"type":"Polygon"}"#.into())).unwrap(),
            Some(serde_json::json!({"type": "Polygon"}))
        );
    }

    #[test]
    fn exact_text_keeps_spaces() {
        assert_eq!(
            exact_text(&Cell::Text(" pass word1 ".into())).unwrap(),
            Some(" pass word1 ".into())
        );
        assert_eq!(exact_text(&Cell::Text("  ".into())).unwrap(), None);
    }
}
