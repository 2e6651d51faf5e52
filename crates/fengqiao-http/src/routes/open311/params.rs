//! Reading GeoReport v2 parameters: query string and form body as one ordered list (repeated keys
//! kept, `attribute[code]` and `attribute[code][]` gathered), W3C datetimes, the 90-day window of
//! `GET requests`, and answers to a service's attributes checked against its definition.

use fengqiao_domain::grid_event::CategoryAttribute;
use fengqiao_domain::time::{Timestamp, china_offset};
use std::collections::BTreeMap;

/// The longest span `start_date`..`end_date` may cover, and the default window: 90 days.
pub const WINDOW_SECS: i64 = 90 * 86_400;
/// The most requests one `GET requests` answers.
pub const MAX_RESULTS: u64 = 1000;

/// Every parameter, query string first, then the form body.
#[derive(Debug, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(query: Option<&str>, body: &[u8]) -> Result<Self, String> {
        let mut pairs: Vec<(String, String)> = match query {
            Some(q) => serde_urlencoded::from_str(q).map_err(|e| format!("query string: {e}"))?,
            None => Vec::new(),
        };
        if !body.is_empty() {
            let more: Vec<(String, String)> =
                serde_urlencoded::from_bytes(body).map_err(|e| format!("form body: {e}"))?;
            pairs.extend(more);
        }
        Ok(Self(pairs))
    }

    /// The first non-blank value of `name`, trimmed.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .find(|v| !v.is_empty())
    }

    /// A comma-separated list parameter (`service_code=a,b`), repeated keys included.
    pub fn list(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// `attribute[code]=v` and `attribute[code][]=v` (repeatable), by code, blanks dropped.
    pub fn attributes(&self) -> BTreeMap<String, Vec<String>> {
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in &self.0 {
            let Some(rest) = k.strip_prefix("attribute[") else {
                continue;
            };
            let code = rest
                .strip_suffix("][]")
                .or_else(|| rest.strip_suffix(']'))
                .unwrap_or(rest);
            let values = out.entry(code.to_owned()).or_default();
            if !v.trim().is_empty() {
                values.push(v.trim().to_owned());
            }
        }
        out
    }
}

/// A W3C datetime (`2026-03-02T10:00:00+08:00`, `…Z`, `+0800`), a local one (China time), or a
/// bare date: the start of that China day, or with `end_of_day` its last microsecond.
pub fn parse_instant(text: &str, end_of_day: bool) -> Option<Timestamp> {
    let text = text.trim();
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(Timestamp::from_datetime(dt.to_utc()));
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S%.f%z"] {
        if let Ok(dt) = chrono::DateTime::parse_from_str(text, fmt) {
            return Some(Timestamp::from_datetime(dt.to_utc()));
        }
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(naive) = chrono::NaiveDateTime::parse_from_str(text, fmt) {
            let local = naive.and_local_timezone(china_offset()).single()?;
            return Some(Timestamp::from_datetime(local.to_utc()));
        }
    }
    let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    let start = Timestamp::start_of_china_day(date);
    Some(if end_of_day {
        Timestamp::from_micros(start.plus_seconds(86_400).as_micros() - 1)
    } else {
        start
    })
}

/// GeoReport's datetime: ISO 8601 in China time (`2026-03-02T10:00:00+08:00`).
pub fn w3(micros: i64) -> String {
    Timestamp::from_micros(micros)
        .to_datetime()
        .with_timezone(&china_offset())
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// The `requested_datetime` window in microseconds: the last 90 days by default; one bound
/// given, 90 days from (or to) it; both given, they may not span more than 90 days.
pub fn window(
    start: Option<Timestamp>,
    end: Option<Timestamp>,
    now: Timestamp,
) -> Result<(i64, i64), String> {
    let span = WINDOW_SECS * 1_000_000;
    match (start, end) {
        (None, None) => Ok((now.as_micros() - span, now.as_micros())),
        (Some(s), None) => Ok((s.as_micros(), s.as_micros() + span)),
        (None, Some(e)) => Ok((e.as_micros() - span, e.as_micros())),
        (Some(s), Some(e)) => {
            if s.as_micros() > e.as_micros() {
                Err("start_date must not be after end_date".into())
            } else if e.as_micros() - s.as_micros() > span {
                Err("start_date and end_date may not span more than 90 days".into())
            } else {
                Ok((s.as_micros(), e.as_micros()))
            }
        }
    }
}

fn one<'a>(code: &str, values: &'a [String]) -> Result<&'a str, String> {
    match values {
        [v] => Ok(v.as_str()),
        _ => Err(format!("attribute[{code}] takes exactly one value")),
    }
}

fn key_of<'a>(a: &'a CategoryAttribute, value: &str) -> Result<&'a str, String> {
    a.values
        .iter()
        .find(|(k, _)| k == value)
        .map(|(k, _)| k.as_str())
        .ok_or_else(|| {
            let keys: Vec<&str> = a.values.iter().map(|(k, _)| k.as_str()).collect();
            format!(
                "attribute[{}]: `{value}` is not one of its values ({})",
                a.code,
                keys.join(", ")
            )
        })
}

/// Checks the answers against the service definition and returns them as the event stores
/// them: one value for single types (numbers as numbers), an array for `multivaluelist`.
pub fn check_attributes(
    definition: &[CategoryAttribute],
    given: &BTreeMap<String, Vec<String>>,
) -> Result<serde_json::Value, String> {
    if let Some(unknown) = given
        .keys()
        .find(|k| !definition.iter().any(|a| &a.code == *k))
    {
        return Err(format!(
            "attribute[{unknown}] is not an attribute of this service"
        ));
    }
    let mut out = serde_json::Map::new();
    let mut ordered: Vec<&CategoryAttribute> = definition.iter().collect();
    ordered.sort_by_key(|a| a.order);
    for a in ordered {
        let values = given.get(&a.code).map(Vec::as_slice).unwrap_or_default();
        if values.is_empty() {
            if a.required {
                return Err(format!(
                    "attribute[{}] is required ({})",
                    a.code, a.description
                ));
            }
            continue;
        }
        let value = match a.datatype.as_str() {
            "number" => {
                let text = one(&a.code, values)?;
                let n: f64 = text
                    .parse()
                    .ok()
                    .filter(|n: &f64| n.is_finite())
                    .ok_or_else(|| format!("attribute[{}] must be a number", a.code))?;
                if n.fract() == 0.0 && n.abs() < 9.0e15 {
                    // Whole numbers stay integers (a count of people, an amount in yuan).
                    serde_json::Value::from(n as i64)
                } else {
                    serde_json::Value::from(n)
                }
            }
            "datetime" => {
                let text = one(&a.code, values)?;
                let at = parse_instant(text, false).ok_or_else(|| {
                    format!(
                        "attribute[{}] must be a W3C datetime (2026-03-02T10:00:00+08:00)",
                        a.code
                    )
                })?;
                serde_json::Value::from(at.to_rfc3339())
            }
            "singlevaluelist" => serde_json::Value::from(key_of(a, one(&a.code, values)?)?),
            "multivaluelist" => {
                let mut keys: Vec<&str> = Vec::new();
                for v in values {
                    let k = key_of(a, v)?;
                    if !keys.contains(&k) {
                        keys.push(k);
                    }
                }
                serde_json::Value::from(keys)
            }
            // `string`, `text` and anything an administrator typed in: free text.
            other => {
                let text = one(&a.code, values)?;
                let max = if other == "text" { 4000 } else { 200 };
                if text.chars().count() > max {
                    return Err(format!(
                        "attribute[{}] is longer than {max} characters",
                        a.code
                    ));
                }
                serde_json::Value::from(text)
            }
        };
        out.insert(a.code.clone(), value);
    }
    Ok(serde_json::Value::Object(out))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn defs() -> Vec<CategoryAttribute> {
        let list = |code: &str, dt: &str, required: bool| CategoryAttribute {
            code: code.into(),
            datatype: dt.into(),
            required,
            description: format!("{code}?"),
            order: 1,
            values: vec![("a".into(), "甲".into()), ("b".into(), "乙".into())],
        };
        vec![
            list("hazard", "multivaluelist", true),
            list("kind", "singlevaluelist", false),
            CategoryAttribute {
                code: "count".into(),
                datatype: "number".into(),
                required: false,
                description: "人数".into(),
                order: 2,
                values: Vec::new(),
            },
        ]
    }

    fn given(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<String>> {
        let body = serde_urlencoded::to_string(pairs).unwrap();
        Params::parse(None, body.as_bytes()).unwrap().attributes()
    }

    #[test]
    fn single_and_multi_values_are_gathered_and_checked() {
        let got = check_attributes(
            &defs(),
            &given(&[
                ("attribute[hazard][]", "a"),
                ("attribute[hazard][]", "b"),
                ("attribute[hazard][]", "a"),
                ("attribute[kind]", "b"),
                ("attribute[count]", "3"),
            ]),
        )
        .unwrap();
        assert_eq!(
            got,
            serde_json::json!({"hazard": ["a", "b"], "kind": "b", "count": 3})
        );
    }

    #[test]
    fn required_unknown_and_bad_values_are_named() {
        let e = check_attributes(&defs(), &given(&[("attribute[kind]", "a")])).unwrap_err();
        assert!(e.contains("attribute[hazard] is required"), "{e}");
        let e = check_attributes(&defs(), &given(&[("attribute[hazard]", "z")])).unwrap_err();
        assert!(e.contains("`z` is not one of its values"), "{e}");
        let e = check_attributes(
            &defs(),
            &given(&[("attribute[hazard]", "a"), ("attribute[colour]", "red")]),
        )
        .unwrap_err();
        assert!(e.contains("attribute[colour] is not an attribute"), "{e}");
        let e = check_attributes(
            &defs(),
            &given(&[("attribute[hazard]", "a"), ("attribute[count]", "many")]),
        )
        .unwrap_err();
        assert!(e.contains("must be a number"), "{e}");
        let e = check_attributes(
            &defs(),
            &given(&[
                ("attribute[hazard]", "a"),
                ("attribute[kind]", "a"),
                ("attribute[kind]", "b"),
            ]),
        )
        .unwrap_err();
        assert!(e.contains("exactly one value"), "{e}");
    }

    #[test]
    fn datetimes_and_the_window() {
        let t = parse_instant("2026-03-02T10:00:00+08:00", false).unwrap();
        assert_eq!(
            t.to_rfc3339(),
            parse_instant("2026-03-02T02:00:00Z", false)
                .unwrap()
                .to_rfc3339()
        );
        assert_eq!(w3(t.as_micros()), "2026-03-02T10:00:00+08:00");
        assert_eq!(parse_instant("2026-03-02T10:00:00", false).unwrap(), t);
        let day_end = parse_instant("2026-03-02", true).unwrap();
        assert_eq!(w3(day_end.as_micros()), "2026-03-02T23:59:59+08:00");
        assert!(parse_instant("yesterday", false).is_none());

        let now = t;
        let (from, to) = window(None, None, now).unwrap();
        assert_eq!(to - from, WINDOW_SECS * 1_000_000);
        let s = parse_instant("2026-01-01", false).unwrap();
        let e = parse_instant("2026-05-01", false).unwrap();
        assert!(
            window(Some(s), Some(e), now)
                .unwrap_err()
                .contains("90 days")
        );
        assert!(window(Some(e), Some(s), now).is_err());
        assert_eq!(
            window(Some(s), None, now).unwrap().1 - s.as_micros(),
            WINDOW_SECS * 1_000_000
        );
    }
}
