//! What can be wrong with a grid's geometry: one variant per problem, each with a stable code the
//! console translates and a message naming the ring or position (GeoJSON `coordinates` paths).

use std::fmt;

/// A ring of the submitted geometry, shown as its GeoJSON path: `coordinates[1]` in a Polygon,
/// `coordinates[0][1]` in a MultiPolygon. Ring 0 of a polygon is its shell, the rest are holes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RingRef {
    /// Index of the polygon in a MultiPolygon; `None` for a Polygon.
    pub polygon: Option<usize>,
    pub ring: usize,
}

impl fmt::Display for RingRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.ring == 0 { "外环" } else { "内环" };
        match self.polygon {
            Some(p) => write!(f, "{what} coordinates[{p}][{}]", self.ring),
            None => write!(f, "{what} coordinates[{}]", self.ring),
        }
    }
}

/// A position for messages, rounded to the 7 decimals (about 1 cm) that matter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct At(pub f64, pub f64);

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = |v: f64| (v * 1e7).round() / 1e7;
        write!(f, "({}, {})", r(self.0), r(self.1))
    }
}

impl From<geo::Coord> for At {
    fn from(c: geo::Coord) -> Self {
        At(c.x, c.y)
    }
}

/// Why a geometry is refused. Validation stops at the first problem, so a feature gets one clear
/// error rather than a cascade.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GeometryError {
    #[error("几何对象必须是带 \"type\" 的 GeoJSON 对象")]
    NotAGeometry,
    #[error("几何类型 {0} 不允许：网格只能是 Polygon 或 MultiPolygon")]
    UnsupportedType(String),
    #[error("坐标格式错误（{path}）：{what}")]
    Malformed { path: String, what: &'static str },
    #[error("{ring} 第 {position} 个点 {at} 超出经纬度范围（经度 −180…180，纬度 −90…90）")]
    OutOfRange {
        ring: RingRef,
        position: usize,
        at: At,
    },
    #[error("{ring} 只有 {count} 个点，闭合环至少需要 4 个点")]
    TooFewPositions { ring: RingRef, count: usize },
    #[error("{ring} 未闭合：首点 {first} 与末点 {last} 不同")]
    RingNotClosed { ring: RingRef, first: At, last: At },
    #[error("{ring} 面积为零（所有点在一条直线上）")]
    Degenerate { ring: RingRef },
    #[error("{ring} 自相交，位置约 {at}")]
    SelfIntersection { ring: RingRef, at: At },
    #[error("{a} 与 {b} 相交，位置约 {at}")]
    RingsCross { a: RingRef, b: RingRef, at: At },
    #[error("{hole} 不在其外环之内（点 {at} 在外环之外）")]
    HoleOutsideShell { hole: RingRef, at: At },
    #[error("{a} 与 {b} 重叠（一个内环落在另一个之中）")]
    HolesOverlap { a: RingRef, b: RingRef },
    #[error("MultiPolygon 的第 {a} 与第 {b} 个多边形重叠")]
    PolygonsOverlap { a: usize, b: usize },
    #[error("超出上级社区 {parent} 的范围，位置约 {at}")]
    OutsideParent { parent: String, at: At },
}

impl GeometryError {
    /// Stable machine code for the API's field errors.
    pub fn code(&self) -> &'static str {
        match self {
            GeometryError::NotAGeometry => "not_a_geometry",
            GeometryError::UnsupportedType(_) => "unsupported_geometry_type",
            GeometryError::Malformed { .. } => "malformed_coordinates",
            GeometryError::OutOfRange { .. } => "coordinate_out_of_range",
            GeometryError::TooFewPositions { .. } => "too_few_positions",
            GeometryError::RingNotClosed { .. } => "ring_not_closed",
            GeometryError::Degenerate { .. } => "degenerate_ring",
            GeometryError::SelfIntersection { .. } => "self_intersection",
            GeometryError::RingsCross { .. } => "rings_cross",
            GeometryError::HoleOutsideShell { .. } => "hole_outside_shell",
            GeometryError::HolesOverlap { .. } => "holes_overlap",
            GeometryError::PolygonsOverlap { .. } => "polygons_overlap",
            GeometryError::OutsideParent { .. } => "outside_parent",
        }
    }
}
