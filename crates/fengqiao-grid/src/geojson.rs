//! Reading a GeoJSON Polygon/MultiPolygon geometry into `geo` types, checking its shape on the
//! way: the type, the nesting of arrays, numeric positions in range, closed rings of ≥ 4 positions.

use crate::error::{At, GeometryError, RingRef};
use geo::{Coord, LineString, MultiPolygon, Polygon};
use serde_json::Value;

/// A geometry read from GeoJSON; `multi` remembers whether it was a MultiPolygon, so that
/// messages name rings by the paths the submitter wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedGeometry {
    pub polygons: MultiPolygon<f64>,
    pub multi: bool,
}

impl ParsedGeometry {
    pub(crate) fn ring_ref(&self, polygon: usize, ring: usize) -> RingRef {
        RingRef {
            polygon: self.multi.then_some(polygon),
            ring,
        }
    }
}

/// Reads a Polygon or MultiPolygon geometry, checking its shape but not its topology (see
/// [`crate::validate_geometry`] for the full check).
pub fn parse_geometry(value: &Value) -> Result<ParsedGeometry, GeometryError> {
    let object = value.as_object().ok_or(GeometryError::NotAGeometry)?;
    let kind = object
        .get("type")
        .and_then(Value::as_str)
        .ok_or(GeometryError::NotAGeometry)?;
    let coordinates = object.get("coordinates").ok_or(GeometryError::Malformed {
        path: "coordinates".into(),
        what: "缺少 coordinates",
    })?;
    match kind {
        "Polygon" => Ok(ParsedGeometry {
            polygons: MultiPolygon::new(vec![polygon(coordinates, None)?]),
            multi: false,
        }),
        "MultiPolygon" => {
            let parts = array(coordinates, "coordinates", "应为多边形数组")?;
            if parts.is_empty() {
                return Err(GeometryError::Malformed {
                    path: "coordinates".into(),
                    what: "MultiPolygon 至少要有一个多边形",
                });
            }
            let polygons = parts
                .iter()
                .enumerate()
                .map(|(i, p)| polygon(p, Some(i)))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(ParsedGeometry {
                polygons: MultiPolygon::new(polygons),
                multi: true,
            })
        }
        other => Err(GeometryError::UnsupportedType(other.to_owned())),
    }
}

fn array<'a>(
    value: &'a Value,
    path: &str,
    what: &'static str,
) -> Result<&'a Vec<Value>, GeometryError> {
    value.as_array().ok_or_else(|| GeometryError::Malformed {
        path: path.to_owned(),
        what,
    })
}

fn path_of(polygon: Option<usize>, rest: &[usize]) -> String {
    let mut path = String::from("coordinates");
    for i in polygon.iter().chain(rest) {
        path.push_str(&format!("[{i}]"));
    }
    path
}

fn polygon(value: &Value, index: Option<usize>) -> Result<Polygon<f64>, GeometryError> {
    let rings = array(value, &path_of(index, &[]), "应为环的数组")?;
    if rings.is_empty() {
        return Err(GeometryError::Malformed {
            path: path_of(index, &[]),
            what: "多边形至少要有一个外环",
        });
    }
    let mut parsed = Vec::with_capacity(rings.len());
    for (r, ring_value) in rings.iter().enumerate() {
        let ring = RingRef {
            polygon: index,
            ring: r,
        };
        let positions = array(ring_value, &path_of(index, &[r]), "应为坐标点的数组")?;
        let mut coords = Vec::with_capacity(positions.len());
        for (k, position) in positions.iter().enumerate() {
            let numbers = array(
                position,
                &path_of(index, &[r, k]),
                "坐标点应为 [经度, 纬度]",
            )?;
            let (Some(lng), Some(lat)) = (
                numbers.first().and_then(Value::as_f64),
                numbers.get(1).and_then(Value::as_f64),
            ) else {
                return Err(GeometryError::Malformed {
                    path: path_of(index, &[r, k]),
                    what: "坐标点应为 [经度, 纬度] 两个数字",
                });
            };
            if !(-180.0..=180.0).contains(&lng) || !(-90.0..=90.0).contains(&lat) {
                return Err(GeometryError::OutOfRange {
                    ring,
                    position: k,
                    at: At(lng, lat),
                });
            }
            coords.push(Coord { x: lng, y: lat });
        }
        if coords.len() < 4 {
            return Err(GeometryError::TooFewPositions {
                ring,
                count: coords.len(),
            });
        }
        if let (Some(&first), Some(&last)) = (coords.first(), coords.last())
            && first != last
        {
            return Err(GeometryError::RingNotClosed {
                ring,
                first: first.into(),
                last: last.into(),
            });
        }
        parsed.push(LineString::new(coords));
    }
    let mut rings = parsed.into_iter();
    let shell = rings.next().unwrap_or_else(|| LineString::new(Vec::new()));
    Ok(Polygon::new(shell, rings.collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_polygons_and_multipolygons() {
        let p =
            parse_geometry(&json!({"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0]]]}))
                .unwrap();
        assert!(!p.multi);
        assert_eq!(p.polygons.0.len(), 1);
        let m = parse_geometry(&json!({"type": "MultiPolygon", "coordinates": [
            [[[0,0],[1,0],[1,1],[0,0]]],
            [[[5,5],[6,5],[6,6],[5,5]], [[5.1,5.1],[5.2,5.1],[5.2,5.2],[5.1,5.1]]]
        ]}))
        .unwrap();
        assert!(m.multi);
        assert_eq!(m.polygons.0[1].interiors().len(), 1);
        // Altitudes are accepted and dropped.
        let z = parse_geometry(
            &json!({"type": "Polygon", "coordinates": [[[0,0,5],[1,0,5],[1,1,5],[0,0,5]]]}),
        );
        assert!(z.is_ok());
    }

    #[test]
    fn names_the_malformed_path() {
        let e = parse_geometry(
            &json!({"type": "MultiPolygon", "coordinates": [[[[0,0],[1,0],["x",1],[0,0]]]]}),
        )
        .unwrap_err();
        assert_eq!(e.code(), "malformed_coordinates");
        assert!(e.to_string().contains("coordinates[0][0][2]"), "{e}");
        let e = parse_geometry(&json!({"type": "Polygon"})).unwrap_err();
        assert_eq!(e.code(), "malformed_coordinates");
        let e = parse_geometry(&json!({"type": "Polygon", "coordinates": []})).unwrap_err();
        assert_eq!(e.code(), "malformed_coordinates");
        let e = parse_geometry(&json!({"type": "MultiPolygon", "coordinates": []})).unwrap_err();
        assert_eq!(e.code(), "malformed_coordinates");
    }
}
