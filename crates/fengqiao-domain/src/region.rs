//! The five-level region tree (一级抓一级) and its statistical division codes (GB/T 2260 and extensions).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Level of a region: 市 → 区县 → 街道/乡镇 → 社区/村 → 网格.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    City,
    District,
    Street,
    Community,
    Grid,
}

impl RegionLevel {
    pub const ALL: [RegionLevel; 5] = [
        RegionLevel::City,
        RegionLevel::District,
        RegionLevel::Street,
        RegionLevel::Community,
        RegionLevel::Grid,
    ];
    pub fn code(self) -> &'static str {
        match self {
            RegionLevel::City => "city",
            RegionLevel::District => "district",
            RegionLevel::Street => "street",
            RegionLevel::Community => "community",
            RegionLevel::Grid => "grid",
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            RegionLevel::City => "市",
            RegionLevel::District => "区县",
            RegionLevel::Street => "街道/乡镇",
            RegionLevel::Community => "社区/村",
            RegionLevel::Grid => "网格",
        }
    }
    /// The level a region of this level hangs under; a city is the root.
    pub fn parent(self) -> Option<RegionLevel> {
        match self {
            RegionLevel::City => None,
            RegionLevel::District => Some(RegionLevel::City),
            RegionLevel::Street => Some(RegionLevel::District),
            RegionLevel::Community => Some(RegionLevel::Street),
            RegionLevel::Grid => Some(RegionLevel::Community),
        }
    }
    /// Number of digits in a code of this level.
    pub fn code_len(self) -> usize {
        match self {
            RegionLevel::City | RegionLevel::District => 6,
            RegionLevel::Street => 9,
            RegionLevel::Community => 12,
            RegionLevel::Grid => 15,
        }
    }
}

impl fmt::Display for RegionLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for RegionLevel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RegionLevel::ALL
            .into_iter()
            .find(|l| l.code() == s)
            .ok_or_else(|| {
                format!("unknown region level `{s}` (city, district, street, community, grid)")
            })
    }
}

/// Kind of grid: a territorial grid tiles its community; an industry grid (行业专属网格) overlays
/// territorial ones around a school, hospital, scenic area, market or industrial park.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GridKind {
    Territorial,
    School,
    Hospital,
    ScenicArea,
    Market,
    IndustrialPark,
}

impl GridKind {
    pub const ALL: [GridKind; 6] = [
        GridKind::Territorial,
        GridKind::School,
        GridKind::Hospital,
        GridKind::ScenicArea,
        GridKind::Market,
        GridKind::IndustrialPark,
    ];
    pub fn code(self) -> &'static str {
        match self {
            GridKind::Territorial => "territorial",
            GridKind::School => "school",
            GridKind::Hospital => "hospital",
            GridKind::ScenicArea => "scenic_area",
            GridKind::Market => "market",
            GridKind::IndustrialPark => "industrial_park",
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            GridKind::Territorial => "属地网格",
            GridKind::School => "学校专属网格",
            GridKind::Hospital => "医院专属网格",
            GridKind::ScenicArea => "景区专属网格",
            GridKind::Market => "市场专属网格",
            GridKind::IndustrialPark => "园区专属网格",
        }
    }
}

impl FromStr for GridKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        GridKind::ALL
            .into_iter()
            .find(|k| k.code() == s)
            .ok_or_else(|| format!("unknown grid kind `{s}`"))
    }
}

/// Why a region code does not fit its level or parent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegionCodeError {
    #[error("code must be {expected} digits for a {level}, got `{code}`")]
    WrongLength {
        code: String,
        level: RegionLevel,
        expected: usize,
    },
    #[error("code `{0}` must contain digits only")]
    NotDigits(String),
    #[error("a city code ends in 00 and does not end in 0000, got `{0}`")]
    BadCity(String),
    #[error("a district code must not end in 00, got `{0}`")]
    BadDistrict(String),
    #[error("`{code}` does not extend its parent's code `{parent}`")]
    NotUnderParent { code: String, parent: String },
    #[error("a {level} needs a parent {parent_level}")]
    ParentLevel {
        level: RegionLevel,
        parent_level: RegionLevel,
    },
    #[error("a city has no parent")]
    CityHasParent,
    #[error("the part of `{0}` below its parent must not be all zeros")]
    ZeroSuffix(String),
}

/// Checks a region code against its level and, unless it is a city, its parent's code and level.
pub fn validate_code(
    code: &str,
    level: RegionLevel,
    parent: Option<(&str, RegionLevel)>,
) -> Result<(), RegionCodeError> {
    if !code.bytes().all(|b| b.is_ascii_digit()) || code.is_empty() {
        return Err(RegionCodeError::NotDigits(code.to_owned()));
    }
    if code.len() != level.code_len() {
        return Err(RegionCodeError::WrongLength {
            code: code.to_owned(),
            level,
            expected: level.code_len(),
        });
    }
    match (level.parent(), parent) {
        (None, Some(_)) => return Err(RegionCodeError::CityHasParent),
        (Some(expected), None) => {
            return Err(RegionCodeError::ParentLevel {
                level,
                parent_level: expected,
            });
        }
        (Some(expected), Some((_, actual))) if expected != actual => {
            return Err(RegionCodeError::ParentLevel {
                level,
                parent_level: expected,
            });
        }
        _ => {}
    }
    match level {
        RegionLevel::City => {
            if !code.ends_with("00") || code.ends_with("0000") {
                return Err(RegionCodeError::BadCity(code.to_owned()));
            }
        }
        RegionLevel::District => {
            if code.ends_with("00") {
                return Err(RegionCodeError::BadDistrict(code.to_owned()));
            }
            if let Some((parent_code, _)) = parent
                && parent_code[..4] != code[..4]
            {
                return Err(RegionCodeError::NotUnderParent {
                    code: code.to_owned(),
                    parent: parent_code.to_owned(),
                });
            }
        }
        _ => {
            if let Some((parent_code, _)) = parent {
                if !code.starts_with(parent_code) {
                    return Err(RegionCodeError::NotUnderParent {
                        code: code.to_owned(),
                        parent: parent_code.to_owned(),
                    });
                }
                if code[parent_code.len()..].bytes().all(|b| b == b'0') {
                    return Err(RegionCodeError::ZeroSuffix(code.to_owned()));
                }
            }
        }
    }
    Ok(())
}

/// The materialised path of a region (`/330100/330102/`): a subtree is every path with this prefix.
pub fn child_path(parent_path: Option<&str>, code: &str) -> String {
    match parent_path {
        Some(p) => format!("{p}{code}/"),
        None => format!("/{code}/"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RegionLevel::*;

    #[test]
    fn accepts_a_proper_chain() {
        validate_code("330100", City, None).unwrap();
        validate_code("330102", District, Some(("330100", City))).unwrap();
        validate_code("330102001", Street, Some(("330102", District))).unwrap();
        validate_code("330102001002", Community, Some(("330102001", Street))).unwrap();
        validate_code("330102001002003", Grid, Some(("330102001002", Community))).unwrap();
    }

    #[test]
    fn rejects_what_does_not_fit() {
        assert!(matches!(
            validate_code("3301", City, None),
            Err(RegionCodeError::WrongLength { .. })
        ));
        assert!(matches!(
            validate_code("33010a", City, None),
            Err(RegionCodeError::NotDigits(_))
        ));
        assert!(matches!(
            validate_code("330000", City, None),
            Err(RegionCodeError::BadCity(_))
        ));
        assert!(matches!(
            validate_code("330200", District, Some(("330100", City))),
            Err(RegionCodeError::BadDistrict(_))
        ));
        assert!(matches!(
            validate_code("330202", District, Some(("330100", City))),
            Err(RegionCodeError::NotUnderParent { .. })
        ));
        assert!(matches!(
            validate_code("330105001", Street, Some(("330102", District))),
            Err(RegionCodeError::NotUnderParent { .. })
        ));
        assert!(matches!(
            validate_code("330102000", Street, Some(("330102", District))),
            Err(RegionCodeError::ZeroSuffix(_))
        ));
        assert!(matches!(
            validate_code("330102001", Street, Some(("330100", City))),
            Err(RegionCodeError::ParentLevel { .. })
        ));
        assert!(matches!(
            validate_code("330102001", Street, None),
            Err(RegionCodeError::ParentLevel { .. })
        ));
    }

    #[test]
    fn paths_nest() {
        let city = child_path(None, "330100");
        let district = child_path(Some(&city), "330102");
        assert_eq!(district, "/330100/330102/");
        assert!(district.starts_with(&city));
    }
}
