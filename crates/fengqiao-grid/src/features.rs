//! A GeoJSON FeatureCollection of grids read and checked feature by feature: each bad feature
//! gets one error naming its index, its code when it has one, the field and the problem.

use crate::error::GeometryError;
use crate::geojson::ParsedGeometry;
use crate::validate::validate_geometry;
use fengqiao_domain::region::{GridKind, RegionLevel, validate_code};
use serde_json::Value;
use std::collections::HashSet;

/// One grid of an import, checked on its own (its parent is checked by the store, which knows it).
#[derive(Debug, Clone, PartialEq)]
pub struct GridFeature {
    /// Position in `features`.
    pub index: usize,
    pub code: String,
    pub name: String,
    pub parent_code: String,
    pub grid_kind: GridKind,
    pub population: Option<i64>,
    pub geometry: ParsedGeometry,
    /// The geometry as submitted, for storage.
    pub geometry_json: Value,
}

/// A problem with one feature (or, with no index, with the collection itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureError {
    pub index: Option<usize>,
    /// The feature's `properties.code`, when it has a readable one.
    pub grid_code: Option<String>,
    /// Where: `features[3].geometry`, `features[0].properties.grid_kind`, `features`, `type`.
    pub field: String,
    /// Stable machine code (`ring_not_closed`, `required`, `duplicate` …).
    pub code: String,
    pub message: String,
}

impl FeatureError {
    /// An error at `features[index]` + `suffix`, the message prefixed with the feature's name.
    pub fn at(
        index: usize,
        grid_code: Option<&str>,
        suffix: &str,
        code: &str,
        problem: impl std::fmt::Display,
    ) -> Self {
        let who = match grid_code {
            Some(c) => format!("第 {index} 个要素（网格 {c}）"),
            None => format!("第 {index} 个要素"),
        };
        FeatureError {
            index: Some(index),
            grid_code: grid_code.map(str::to_owned),
            field: format!("features[{index}]{suffix}"),
            code: code.to_owned(),
            message: format!("{who}：{problem}"),
        }
    }

    /// A geometry problem of feature `index`.
    pub fn geometry(index: usize, grid_code: Option<&str>, e: &GeometryError) -> Self {
        Self::at(index, grid_code, ".geometry", e.code(), e)
    }

    fn collection(field: &str, code: &str, message: &str) -> Self {
        FeatureError {
            index: None,
            grid_code: None,
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.to_owned(),
        }
    }
}

/// Reads every feature of a grid FeatureCollection (`properties`: `code`, `name`,
/// `parent_code`, `grid_kind`, optional `population`). Either every feature is good, or the
/// errors of every bad one come back (one each).
pub fn parse_features(collection: &Value) -> Result<Vec<GridFeature>, Vec<FeatureError>> {
    if collection.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err(vec![FeatureError::collection(
            "type",
            "not_a_feature_collection",
            "必须是 GeoJSON FeatureCollection",
        )]);
    }
    let Some(features) = collection.get("features").and_then(Value::as_array) else {
        return Err(vec![FeatureError::collection(
            "features",
            "required",
            "features 必须是要素数组",
        )]);
    };
    if features.is_empty() {
        return Err(vec![FeatureError::collection(
            "features",
            "empty",
            "features 中没有任何网格",
        )]);
    }
    let mut seen = HashSet::new();
    let mut good = Vec::with_capacity(features.len());
    let mut errors = Vec::new();
    for (index, feature) in features.iter().enumerate() {
        match parse_feature(index, feature, &mut seen) {
            Ok(f) => good.push(f),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(good)
    } else {
        Err(errors)
    }
}

fn parse_feature<'a>(
    index: usize,
    feature: &'a Value,
    seen: &mut HashSet<&'a str>,
) -> Result<GridFeature, FeatureError> {
    if feature.get("type").and_then(Value::as_str) != Some("Feature") {
        return Err(FeatureError::at(
            index,
            None,
            ".type",
            "not_a_feature",
            "type 必须是 Feature",
        ));
    }
    let Some(props) = feature.get("properties").and_then(Value::as_object) else {
        return Err(FeatureError::at(
            index,
            None,
            ".properties",
            "required",
            "缺少 properties",
        ));
    };
    let text = |key: &str| props.get(key).and_then(Value::as_str).map(str::trim);
    let code = match text("code") {
        Some(c) if !c.is_empty() => c,
        _ => {
            return Err(FeatureError::at(
                index,
                None,
                ".properties.code",
                "required",
                "缺少网格编码 code",
            ));
        }
    };
    let err = |suffix: &str, problem_code: &str, problem: String| {
        FeatureError::at(index, Some(code), suffix, problem_code, problem)
    };
    let name = match text("name") {
        Some("") => {
            return Err(err(".properties.name", "required", "名称不能为空".into()));
        }
        Some(n) if n.chars().count() > 64 => {
            return Err(err(
                ".properties.name",
                "too_long",
                "名称不能超过 64 个字符".into(),
            ));
        }
        Some(n) if n.chars().any(char::is_control) => {
            return Err(err(
                ".properties.name",
                "control_char",
                "名称不能包含控制字符".into(),
            ));
        }
        Some(n) => n,
        None => return Err(err(".properties.name", "required", "缺少名称 name".into())),
    };
    let Some(parent_code) = text("parent_code").filter(|p| !p.is_empty()) else {
        return Err(err(
            ".properties.parent_code",
            "required",
            "缺少上级社区编码 parent_code".into(),
        ));
    };
    if let Err(e) = validate_code(
        code,
        RegionLevel::Grid,
        Some((parent_code, RegionLevel::Community)),
    ) {
        return Err(err(".properties.code", "bad_code", e.to_string()));
    }
    let grid_kind = match text("grid_kind").map(str::parse::<GridKind>) {
        Some(Ok(k)) => k,
        Some(Err(e)) => return Err(err(".properties.grid_kind", "bad_grid_kind", e)),
        None => {
            return Err(err(
                ".properties.grid_kind",
                "required",
                "缺少网格类型 grid_kind".into(),
            ));
        }
    };
    let population = match props.get("population") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_i64() {
            Some(p) if p >= 0 => Some(p),
            _ => {
                return Err(err(
                    ".properties.population",
                    "bad_population",
                    "人口数必须是非负整数".into(),
                ));
            }
        },
    };
    let Some(geometry_json) = feature.get("geometry").filter(|g| !g.is_null()) else {
        return Err(err(".geometry", "required", "缺少几何对象 geometry".into()));
    };
    let geometry = validate_geometry(geometry_json)
        .map_err(|e| FeatureError::geometry(index, Some(code), &e))?;
    if !seen.insert(code) {
        return Err(err(
            ".properties.code",
            "duplicate",
            "网格编码在本次导入中重复".into(),
        ));
    }
    Ok(GridFeature {
        index,
        code: code.to_owned(),
        name: name.to_owned(),
        parent_code: parent_code.to_owned(),
        grid_kind,
        population,
        geometry,
        geometry_json: geometry_json.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn feature(code: &str, geometry: Value) -> Value {
        json!({
            "type": "Feature",
            "properties": { "code": code, "name": "第一网格", "parent_code": "339902001001",
                            "grid_kind": "territorial", "population": 1200 },
            "geometry": geometry,
        })
    }

    fn square() -> Value {
        json!({"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,1],[0,0]]]})
    }

    fn collection(features: Vec<Value>) -> Value {
        json!({ "type": "FeatureCollection", "features": features })
    }

    #[test]
    fn reads_good_features() {
        let got = parse_features(&collection(vec![
            feature("339902001001001", square()),
            feature("339902001001901", square()),
        ]))
        .unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].code, "339902001001901");
        assert_eq!(got[0].population, Some(1200));
        assert_eq!(got[0].grid_kind, GridKind::Territorial);
    }

    #[test]
    fn one_error_per_bad_feature_naming_index_code_and_problem() {
        let errs = parse_features(&collection(vec![
            feature("339902001001001", square()),
            feature(
                "339902001001002",
                json!({"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,1]]]}),
            ),
            feature(
                "339902001001003",
                json!({"type": "Point", "coordinates": [0, 0]}),
            ),
            feature("339902001001001", square()),
        ]))
        .unwrap_err();
        assert_eq!(errs.len(), 3);
        assert_eq!(errs[0].field, "features[1].geometry");
        assert_eq!(errs[0].code, "ring_not_closed");
        assert_eq!(errs[0].index, Some(1));
        assert!(
            errs[0].message.contains("339902001001002"),
            "{}",
            errs[0].message
        );
        assert!(errs[0].message.contains("第 1 个要素"));
        assert_eq!(errs[1].code, "unsupported_geometry_type");
        assert_eq!(errs[2].field, "features[3].properties.code");
        assert_eq!(errs[2].code, "duplicate");
    }

    #[test]
    fn property_errors() {
        let mut f = feature("339902001001001", square());
        f["properties"]["grid_kind"] = json!("mall");
        let e = &parse_features(&collection(vec![f])).unwrap_err()[0];
        assert_eq!(
            (e.field.as_str(), e.code.as_str()),
            ("features[0].properties.grid_kind", "bad_grid_kind")
        );

        let mut f = feature("339902001001001", square());
        f["properties"]["parent_code"] = json!("339902001002");
        let e = &parse_features(&collection(vec![f])).unwrap_err()[0];
        assert_eq!(
            (e.field.as_str(), e.code.as_str()),
            ("features[0].properties.code", "bad_code")
        );

        let mut f = feature("339902001001001", square());
        f["properties"]["population"] = json!(-1);
        let e = &parse_features(&collection(vec![f])).unwrap_err()[0];
        assert_eq!(e.code, "bad_population");

        let mut f = feature("339902001001001", square());
        f["properties"].as_object_mut().unwrap().remove("name");
        let e = &parse_features(&collection(vec![f])).unwrap_err()[0];
        assert_eq!(
            (e.field.as_str(), e.code.as_str()),
            ("features[0].properties.name", "required")
        );

        let mut f = feature("339902001001001", square());
        f["properties"].as_object_mut().unwrap().remove("code");
        let e = &parse_features(&collection(vec![f])).unwrap_err()[0];
        assert_eq!(
            (e.field.as_str(), e.grid_code.as_deref()),
            ("features[0].properties.code", None)
        );

        let f = json!({"type": "Feature", "properties": {"code": "339902001001001", "name": "x",
            "parent_code": "339902001001", "grid_kind": "school"}, "geometry": null});
        let e = &parse_features(&collection(vec![f])).unwrap_err()[0];
        assert_eq!(
            (e.field.as_str(), e.code.as_str()),
            ("features[0].geometry", "required")
        );

        let e = &parse_features(&collection(vec![json!({"type": "Point"})])).unwrap_err()[0];
        assert_eq!(e.field, "features[0].type");
    }

    #[test]
    fn collection_errors() {
        let e = &parse_features(&json!({"type": "Feature"})).unwrap_err()[0];
        assert_eq!((e.field.as_str(), e.index), ("type", None));
        let e = &parse_features(&json!({"type": "FeatureCollection"})).unwrap_err()[0];
        assert_eq!(e.field, "features");
        let e = &parse_features(&collection(vec![])).unwrap_err()[0];
        assert_eq!(e.code, "empty");
    }
}
