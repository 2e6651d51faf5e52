//! The in-memory point → grid index: an R*-tree over each polygon's bounding box, then an exact
//! point-in-polygon test on the few candidates.
//!
//! Built once from every grid and shared read-only (`Arc<GridIndex>`). Lookups allocate nothing:
//! the tree is walked with a callback, the rings are stored flat with their own boxes, and the
//! answers come back in a `SmallVec` that stays on the stack for up to four grids.

use crate::planar::{Position, ring_position};
use fengqiao_domain::region::GridKind;
use geo::{Coord, MultiPolygon};
use rstar::{AABB, RStarInsertionStrategy, RTree, RTreeObject, RTreeParams};
use smallvec::SmallVec;
use std::ops::{ControlFlow, Range};

/// One grid as the index takes it.
#[derive(Debug, Clone, PartialEq)]
pub struct GridShape {
    pub code: String,
    pub kind: GridKind,
    pub geometry: MultiPolygon<f64>,
}

/// What the index keeps of a grid besides its rings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridMeta {
    pub code: String,
    pub kind: GridKind,
}

/// Position of a grid in the index (grids are numbered in code order).
pub type GridId = u32;

/// Up to four grids on the stack: a point is rarely in more than a territorial grid, an
/// industry grid over it and, on a shared edge, their neighbours.
pub type Hits<T> = SmallVec<[T; 4]>;

#[derive(Debug, Clone, Copy)]
struct Bbox {
    min: Coord,
    max: Coord,
}

impl Bbox {
    fn of(coords: &[Coord]) -> Self {
        let mut b = Bbox {
            min: Coord {
                x: f64::INFINITY,
                y: f64::INFINITY,
            },
            max: Coord {
                x: f64::NEG_INFINITY,
                y: f64::NEG_INFINITY,
            },
        };
        for c in coords {
            b.min.x = b.min.x.min(c.x);
            b.min.y = b.min.y.min(c.y);
            b.max.x = b.max.x.max(c.x);
            b.max.y = b.max.y.max(c.y);
        }
        b
    }
    #[inline]
    fn contains(&self, p: Coord) -> bool {
        self.min.x <= p.x && p.x <= self.max.x && self.min.y <= p.y && p.y <= self.max.y
    }
}

#[derive(Debug, Clone)]
struct RingSpan {
    coords: Range<u32>,
    bbox: Bbox,
}

/// One polygon of one grid, as stored in the tree.
#[derive(Debug, Clone)]
struct Entry {
    envelope: AABB<[f64; 2]>,
    grid: GridId,
    /// Rings of this polygon in `GridIndex::rings`: the shell first, then the holes.
    rings: Range<u32>,
}

impl RTreeObject for Entry {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        self.envelope
    }
}

/// Wider nodes than rstar's default (6): a shallower tree, fewer pointer hops per point query;
/// the index is bulk-loaded once, so the costlier insertion of wide nodes does not matter.
struct Params;

impl RTreeParams for Params {
    const MIN_SIZE: usize = 6;
    const MAX_SIZE: usize = 16;
    const REINSERTION_COUNT: usize = 4;
    type DefaultInsertionStrategy = RStarInsertionStrategy;
}

/// Point → grid lookup over every grid's polygons.
pub struct GridIndex {
    tree: RTree<Entry, Params>,
    grids: Vec<GridMeta>,
    rings: Vec<RingSpan>,
    coords: Vec<Coord>,
}

impl std::fmt::Debug for GridIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GridIndex")
            .field("grids", &self.grids.len())
            .field("polygons", &self.tree.size())
            .field("coords", &self.coords.len())
            .finish()
    }
}

impl Default for GridIndex {
    fn default() -> Self {
        Self::new(Vec::new())
    }
}

impl GridIndex {
    /// Builds the index. Grids are numbered in code order; of two grids with the same code the
    /// first is kept. Empty polygons and rings are skipped.
    pub fn new(shapes: impl IntoIterator<Item = GridShape>) -> Self {
        let mut shapes: Vec<GridShape> = shapes.into_iter().collect();
        shapes.sort_by(|a, b| a.code.cmp(&b.code));
        shapes.dedup_by(|later, earlier| later.code == earlier.code);
        let mut grids = Vec::with_capacity(shapes.len());
        let mut rings = Vec::new();
        let mut coords = Vec::new();
        let mut entries = Vec::new();
        for (id, shape) in shapes.into_iter().enumerate() {
            let grid = GridId::try_from(id).unwrap_or(GridId::MAX);
            for polygon in &shape.geometry.0 {
                if polygon.exterior().0.len() < 4 {
                    continue;
                }
                let first_ring = rings.len();
                let mut bbox = None;
                for line in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                    if line.0.len() < 4 {
                        continue;
                    }
                    let start = coords.len();
                    coords.extend_from_slice(&line.0);
                    // Rings are stored closed whatever the input said.
                    if line.0.first() != line.0.last()
                        && let Some(&first) = line.0.first()
                    {
                        coords.push(first);
                    }
                    let ring_box = Bbox::of(&coords[start..]);
                    bbox.get_or_insert(ring_box);
                    rings.push(RingSpan {
                        coords: to_u32(start)..to_u32(coords.len()),
                        bbox: ring_box,
                    });
                }
                if let Some(b) = bbox {
                    entries.push(Entry {
                        envelope: AABB::from_corners([b.min.x, b.min.y], [b.max.x, b.max.y]),
                        grid,
                        rings: to_u32(first_ring)..to_u32(rings.len()),
                    });
                }
            }
            grids.push(GridMeta {
                code: shape.code,
                kind: shape.kind,
            });
        }
        Self {
            tree: RTree::bulk_load_with_params(entries),
            grids,
            rings,
            coords,
        }
    }

    /// Number of grids.
    pub fn len(&self) -> usize {
        self.grids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.grids.is_empty()
    }

    /// A grid by its id (from [`GridIndex::for_each_containing`] or [`GridIndex::locate_ids`]).
    pub fn grid(&self, id: GridId) -> Option<&GridMeta> {
        self.grids.get(id as usize)
    }

    /// Every grid in the index, in code order.
    pub fn grids(&self) -> &[GridMeta] {
        &self.grids
    }

    /// Calls `f` once for each polygon containing the point (boundary included, holes excluded).
    /// A grid made of several polygons is reported once per polygon that holds the point, which
    /// can only happen on an edge or vertex the polygons share. Allocates nothing.
    #[inline]
    pub fn for_each_containing(&self, lng: f64, lat: f64, mut f: impl FnMut(GridId)) {
        let p = Coord { x: lng, y: lat };
        let query = AABB::from_point([lng, lat]);
        let _ = self.tree.locate_in_envelope_intersecting_int(
            &query,
            |entry: &Entry| -> ControlFlow<()> {
                if self.polygon_holds(entry, p) {
                    f(entry.grid);
                }
                ControlFlow::Continue(())
            },
        );
    }

    /// The ids of every grid containing the point, in code order, each once.
    #[inline]
    pub fn locate_ids(&self, lng: f64, lat: f64) -> Hits<GridId> {
        let mut hits: Hits<GridId> = SmallVec::new();
        self.for_each_containing(lng, lat, |id| {
            if !hits.contains(&id) {
                hits.push(id);
            }
        });
        hits.sort_unstable();
        hits
    }

    /// The codes of every grid containing the point, in code order: overlapping territorial and
    /// industry grids are all returned, a point on an edge two grids share belongs to both, a
    /// point strictly inside a hole to neither (a point on the hole's ring is on the boundary,
    /// so inside).
    #[inline]
    pub fn locate(&self, lng: f64, lat: f64) -> Hits<&str> {
        self.locate_ids(lng, lat)
            .into_iter()
            .filter_map(|id| self.grid(id).map(|g| g.code.as_str()))
            .collect()
    }

    /// Like [`GridIndex::locate`], with each grid's kind.
    pub fn locate_grids(&self, lng: f64, lat: f64) -> Hits<&GridMeta> {
        self.locate_ids(lng, lat)
            .into_iter()
            .filter_map(|id| self.grid(id))
            .collect()
    }

    #[inline]
    fn ring_coords(&self, ring: &RingSpan) -> &[Coord] {
        self.coords
            .get(ring.coords.start as usize..ring.coords.end as usize)
            .unwrap_or(&[])
    }

    #[inline]
    fn polygon_holds(&self, entry: &Entry, p: Coord) -> bool {
        let Some(rings) = self
            .rings
            .get(entry.rings.start as usize..entry.rings.end as usize)
        else {
            return false;
        };
        let Some((shell, holes)) = rings.split_first() else {
            return false;
        };
        match ring_position(self.ring_coords(shell), p) {
            Position::Outside => return false,
            Position::OnBoundary => return true,
            Position::Inside => {}
        }
        for hole in holes {
            if !hole.bbox.contains(p) {
                continue;
            }
            match ring_position(self.ring_coords(hole), p) {
                Position::Outside => {}
                Position::OnBoundary => return true,
                Position::Inside => return false,
            }
        }
        true
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, Polygon};

    fn ring(points: &[(f64, f64)]) -> LineString<f64> {
        LineString::from(points.to_vec())
    }

    fn shape(code: &str, kind: GridKind, polygons: Vec<Polygon<f64>>) -> GridShape {
        GridShape {
            code: code.into(),
            kind,
            geometry: MultiPolygon::new(polygons),
        }
    }

    fn square(x0: f64, y0: f64, size: f64) -> LineString<f64> {
        ring(&[
            (x0, y0),
            (x0 + size, y0),
            (x0 + size, y0 + size),
            (x0, y0 + size),
            (x0, y0),
        ])
    }

    fn index() -> GridIndex {
        GridIndex::new(vec![
            // Two territorial neighbours sharing the edge x = 1.
            shape(
                "B",
                GridKind::Territorial,
                vec![Polygon::new(square(1.0, 0.0, 1.0), vec![])],
            ),
            shape(
                "A",
                GridKind::Territorial,
                vec![Polygon::new(
                    square(0.0, 0.0, 1.0),
                    vec![square(0.25, 0.25, 0.5)],
                )],
            ),
            // A school grid over both.
            shape(
                "S",
                GridKind::School,
                vec![Polygon::new(square(0.8, 0.4, 0.4), vec![])],
            ),
        ])
    }

    #[test]
    fn overlapping_grids_are_all_returned_in_code_order() {
        let idx = index();
        assert_eq!(idx.locate(0.9, 0.5).as_slice(), ["A", "S"]);
        assert_eq!(idx.locate(1.1, 0.5).as_slice(), ["B", "S"]);
        assert_eq!(idx.locate(1.5, 0.1).as_slice(), ["B"]);
        assert!(idx.locate(3.0, 3.0).is_empty());
        assert_eq!(
            idx.locate_grids(0.9, 0.5)[1].kind,
            GridKind::School,
            "kinds travel with the codes"
        );
    }

    #[test]
    fn shared_edges_belong_to_both_and_holes_to_neither() {
        let idx = index();
        assert_eq!(idx.locate(1.0, 0.2).as_slice(), ["A", "B"]);
        assert_eq!(idx.locate(1.0, 0.0).as_slice(), ["A", "B"], "shared vertex");
        assert!(idx.locate(0.5, 0.5).is_empty(), "inside the hole");
        assert_eq!(
            idx.locate(0.25, 0.5).as_slice(),
            ["A"],
            "on the hole's ring"
        );
        assert_eq!(idx.locate(0.75, 0.75).as_slice(), ["A"], "hole corner");
    }

    #[test]
    fn a_multipolygon_grid_is_reported_once() {
        let idx = GridIndex::new(vec![shape(
            "M",
            GridKind::Territorial,
            vec![
                Polygon::new(square(0.0, 0.0, 1.0), vec![]),
                Polygon::new(square(1.0, 0.0, 1.0), vec![]),
            ],
        )]);
        assert_eq!(idx.locate(1.0, 0.5).as_slice(), ["M"]);
        let mut calls = 0;
        idx.for_each_containing(1.0, 0.5, |_| calls += 1);
        assert_eq!(calls, 2, "the callback sees each polygon");
        assert_eq!(idx.len(), 1);
    }

    #[test]
    fn nan_and_empty_index_find_nothing() {
        assert!(index().locate(f64::NAN, 0.5).is_empty());
        assert!(GridIndex::default().locate(0.0, 0.0).is_empty());
    }
}
