//! Grid geometry (网格): GeoJSON grid validation and the in-memory point → grid spatial index.
//!
//! Pure: no I/O, clock or randomness. The store validates imports with [`parse_features`],
//! [`validate_geometry`] and [`check_within_parent`]; the HTTP layer keeps one [`GridIndex`]
//! built from every stored grid and asks it where a reported point lies.

mod error;
mod features;
mod geojson;
mod index;
mod planar;
mod validate;

pub use error::{At, GeometryError, RingRef};
pub use features::{FeatureError, GridFeature, parse_features};
pub use geo::{Coord, LineString, MultiPolygon, Polygon};
pub use geojson::{ParsedGeometry, parse_geometry};
pub use index::{GridId, GridIndex, GridMeta, GridShape, Hits};
pub use planar::Position;
pub use validate::{
    PARENT_TOLERANCE_DEG, check_topology, check_within_parent, multi_position, validate_geometry,
};
