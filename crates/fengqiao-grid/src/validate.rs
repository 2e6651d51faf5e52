//! Topology checks for a grid polygon: non-degenerate rings that neither cross themselves nor
//! each other, holes inside their shell, parts of a MultiPolygon apart, and the whole inside its
//! parent community (within a small tolerance for edges the two share).

use crate::error::{At, GeometryError, RingRef};
use crate::geojson::{ParsedGeometry, parse_geometry};
use crate::planar::{
    Meeting, Position, distance_to_rings, distance_to_segment, meet, orient, polygon_position,
    ring_position,
};
use geo::{Coord, MultiPolygon, Polygon};
use serde_json::Value;

/// How far (in degrees, about 1 cm) a grid may stray outside its parent's outline: surveyed
/// neighbours rarely share edges to the last bit.
pub const PARENT_TOLERANCE_DEG: f64 = 1e-7;

/// Reads and fully checks a grid geometry (shape and topology; not the parent, see
/// [`check_within_parent`]).
pub fn validate_geometry(value: &Value) -> Result<ParsedGeometry, GeometryError> {
    let parsed = parse_geometry(value)?;
    check_topology(&parsed)?;
    Ok(parsed)
}

/// One ring with its consecutive duplicate positions dropped (still closed).
struct Ring {
    at: RingRef,
    coords: Vec<Coord>,
}

struct Edge {
    ring: usize,
    index: usize,
    a: Coord,
    b: Coord,
    min: Coord,
    max: Coord,
}

/// Checks the topology of a parsed geometry; the first problem found is returned.
pub fn check_topology(parsed: &ParsedGeometry) -> Result<(), GeometryError> {
    let mut rings = Vec::new();
    for (p, polygon) in parsed.polygons.0.iter().enumerate() {
        for (r, line) in std::iter::once(polygon.exterior())
            .chain(polygon.interiors())
            .enumerate()
        {
            let mut coords: Vec<Coord> = Vec::with_capacity(line.0.len());
            for &c in &line.0 {
                if coords.last() != Some(&c) {
                    coords.push(c);
                }
            }
            let at = parsed.ring_ref(p, r);
            if is_degenerate(&coords) {
                return Err(GeometryError::Degenerate { ring: at });
            }
            rings.push(Ring { at, coords });
        }
    }
    check_crossings(&rings)?;
    check_nesting(parsed)
}

/// Fewer than three distinct vertices, or all of them on one line.
fn is_degenerate(coords: &[Coord]) -> bool {
    let Some(&first) = coords.first() else {
        return true;
    };
    let distinct = coords.len().saturating_sub(1);
    if distinct < 3 {
        return true;
    }
    let second = coords[1];
    !coords[2..].iter().any(|&c| orient(first, second, c) != 0)
}

/// Every pair of edges whose boxes meet, found by a sweep along x (O(n log n + pairs)).
fn check_crossings(rings: &[Ring]) -> Result<(), GeometryError> {
    let mut edges = Vec::new();
    for (r, ring) in rings.iter().enumerate() {
        for (index, w) in ring.coords.windows(2).enumerate() {
            let (a, b) = (w[0], w[1]);
            edges.push(Edge {
                ring: r,
                index,
                a,
                b,
                min: Coord {
                    x: a.x.min(b.x),
                    y: a.y.min(b.y),
                },
                max: Coord {
                    x: a.x.max(b.x),
                    y: a.y.max(b.y),
                },
            });
        }
    }
    edges.sort_by(|e, f| {
        e.min
            .x
            .total_cmp(&f.min.x)
            .then(e.ring.cmp(&f.ring))
            .then(e.index.cmp(&f.index))
    });
    for (i, e) in edges.iter().enumerate() {
        for f in edges[i + 1..].iter() {
            if f.min.x > e.max.x {
                break;
            }
            if f.min.y > e.max.y || f.max.y < e.min.y {
                continue;
            }
            if e.ring == f.ring {
                let ring = &rings[e.ring];
                let n = ring.coords.len() - 1;
                let (first, second) = if (e.index + 1) % n == f.index {
                    (e, f)
                } else if (f.index + 1) % n == e.index {
                    (f, e)
                } else {
                    match meet(e.a, e.b, f.a, f.b) {
                        Meeting::Apart => continue,
                        Meeting::Cross(at) | Meeting::Touch(at) | Meeting::Overlap(at) => {
                            return Err(GeometryError::SelfIntersection {
                                ring: ring.at,
                                at: at.into(),
                            });
                        }
                    }
                };
                // Neighbouring edges share a vertex; they only fail by doubling back on a line.
                let (p, q, r) = (first.a, first.b, second.b);
                if orient(p, q, r) == 0
                    && (q.x - p.x) * (r.x - q.x) + (q.y - p.y) * (r.y - q.y) < 0.0
                {
                    return Err(GeometryError::SelfIntersection {
                        ring: ring.at,
                        at: q.into(),
                    });
                }
            } else {
                match meet(e.a, e.b, f.a, f.b) {
                    Meeting::Cross(at) | Meeting::Overlap(at) => {
                        let (a, b) = ordered(rings[e.ring].at, rings[f.ring].at);
                        return Err(GeometryError::RingsCross {
                            a,
                            b,
                            at: at.into(),
                        });
                    }
                    // Rings may touch at a point (OGC allows a hole to touch its shell).
                    Meeting::Touch(_) | Meeting::Apart => {}
                }
            }
        }
    }
    Ok(())
}

fn ordered(a: RingRef, b: RingRef) -> (RingRef, RingRef) {
    if (a.polygon, a.ring) <= (b.polygon, b.ring) {
        (a, b)
    } else {
        (b, a)
    }
}

/// With no crossings left, containment is decided by any vertex not on the other's boundary.
fn check_nesting(parsed: &ParsedGeometry) -> Result<(), GeometryError> {
    let polygons = &parsed.polygons.0;
    for (p, polygon) in polygons.iter().enumerate() {
        let shell = &polygon.exterior().0;
        let holes = polygon.interiors();
        for (h, hole) in holes.iter().enumerate() {
            if let Some(&outside) = hole
                .0
                .iter()
                .find(|&&c| ring_position(shell, c) == Position::Outside)
            {
                return Err(GeometryError::HoleOutsideShell {
                    hole: parsed.ring_ref(p, h + 1),
                    at: outside.into(),
                });
            }
        }
        for (i, a) in holes.iter().enumerate() {
            for (j, b) in holes.iter().enumerate().skip(i + 1) {
                if ring_inside_ring(&b.0, &a.0) || ring_inside_ring(&a.0, &b.0) {
                    return Err(GeometryError::HolesOverlap {
                        a: parsed.ring_ref(p, i + 1),
                        b: parsed.ring_ref(p, j + 1),
                    });
                }
            }
        }
    }
    for (i, a) in polygons.iter().enumerate() {
        for (j, b) in polygons.iter().enumerate().skip(i + 1) {
            if shell_inside_polygon(b, a) || shell_inside_polygon(a, b) {
                return Err(GeometryError::PolygonsOverlap { a: i, b: j });
            }
        }
    }
    Ok(())
}

/// Whether ring `inner` lies inside ring `outer` (all of its vertices on `outer` counts too: the
/// two rings are then the same).
fn ring_inside_ring(inner: &[Coord], outer: &[Coord]) -> bool {
    match inner
        .iter()
        .map(|&c| ring_position(outer, c))
        .find(|&pos| pos != Position::OnBoundary)
    {
        Some(pos) => pos == Position::Inside,
        None => true,
    }
}

fn shell_inside_polygon(inner: &Polygon<f64>, outer: &Polygon<f64>) -> bool {
    let holes = || outer.interiors().iter().map(|h| h.0.as_slice());
    match inner
        .exterior()
        .0
        .iter()
        .map(|&c| polygon_position(&outer.exterior().0, holes(), c))
        .find(|&pos| pos != Position::OnBoundary)
    {
        Some(pos) => pos == Position::Inside,
        None => true,
    }
}

fn rings_of(mp: &MultiPolygon<f64>) -> impl Iterator<Item = &[Coord]> {
    mp.0.iter().flat_map(|p| {
        std::iter::once(p.exterior().0.as_slice())
            .chain(p.interiors().iter().map(|h| h.0.as_slice()))
    })
}

/// Where `c` lies relative to a MultiPolygon by scanning every polygon (no index): the brute
/// force the index is checked against.
pub fn multi_position(mp: &MultiPolygon<f64>, c: Coord) -> Position {
    let mut result = Position::Outside;
    for p in &mp.0 {
        match polygon_position(
            &p.exterior().0,
            p.interiors().iter().map(|h| h.0.as_slice()),
            c,
        ) {
            Position::Inside => return Position::Inside,
            Position::OnBoundary => result = Position::OnBoundary,
            Position::Outside => {}
        }
    }
    result
}

/// Checks that `grid` lies inside `parent` (named `parent_code` in the error), allowing it to
/// stray up to `tolerance` degrees past the parent's outline. Three tests together:
/// every grid vertex is inside the parent (or within the tolerance of its outline); no parent
/// vertex lies inside the grid deeper than the tolerance (a parent hole or notch in the grid);
/// and no grid edge crosses a parent edge other than where the two nearly coincide.
pub fn check_within_parent(
    grid: &MultiPolygon<f64>,
    parent: &MultiPolygon<f64>,
    parent_code: &str,
    tolerance: f64,
) -> Result<(), GeometryError> {
    let outside = |at: Coord| GeometryError::OutsideParent {
        parent: parent_code.to_owned(),
        at: At::from(at),
    };
    for ring in rings_of(grid) {
        for &c in ring {
            if multi_position(parent, c) == Position::Outside
                && distance_to_rings(c, rings_of(parent)) > tolerance
            {
                return Err(outside(c));
            }
        }
    }
    for polygon in &grid.0 {
        let holes = || polygon.interiors().iter().map(|h| h.0.as_slice());
        for ring in rings_of(parent) {
            for &c in ring {
                if polygon_position(&polygon.exterior().0, holes(), c) == Position::Inside
                    && distance_to_rings(
                        c,
                        std::iter::once(polygon.exterior().0.as_slice()).chain(holes()),
                    ) > tolerance
                {
                    return Err(outside(c));
                }
            }
        }
    }
    let near = |p: Coord, a: Coord, b: Coord| distance_to_segment(p, a, b) <= tolerance;
    for grid_ring in rings_of(grid) {
        for g in grid_ring.windows(2) {
            let (a, b) = (g[0], g[1]);
            for parent_ring in rings_of(parent) {
                for e in parent_ring.windows(2) {
                    let (c, d) = (e[0], e[1]);
                    if c.x.max(d.x) < a.x.min(b.x)
                        || c.x.min(d.x) > a.x.max(b.x)
                        || c.y.max(d.y) < a.y.min(b.y)
                        || c.y.min(d.y) > a.y.max(b.y)
                    {
                        continue;
                    }
                    if let Meeting::Cross(at) = meet(a, b, c, d)
                        && !(near(a, c, d) || near(b, c, d) || near(c, a, b) || near(d, a, b))
                    {
                        return Err(outside(at));
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn poly(rings: Value) -> Value {
        json!({ "type": "Polygon", "coordinates": rings })
    }

    fn err(value: Value) -> GeometryError {
        validate_geometry(&value).unwrap_err()
    }

    const SQUARE: [[f64; 2]; 5] = [[0., 0.], [4., 0.], [4., 4.], [0., 4.], [0., 0.]];

    #[test]
    fn accepts_a_polygon_with_a_hole_and_a_multipolygon() {
        validate_geometry(&poly(json!([
            SQUARE,
            [[1, 1], [1, 2], [2, 2], [2, 1], [1, 1]]
        ])))
        .unwrap();
        // A hole touching its shell at one point is allowed.
        validate_geometry(&poly(json!([SQUARE, [[0, 2], [1, 1], [1, 3], [0, 2]]]))).unwrap();
        // Consecutive duplicate positions are tolerated.
        validate_geometry(&poly(json!([[[0, 0], [4, 0], [4, 0], [4, 4], [0, 0]]]))).unwrap();
        validate_geometry(&json!({"type": "MultiPolygon", "coordinates": [
            [SQUARE], [[[5,0],[6,0],[6,1],[5,0]]]
        ]}))
        .unwrap();
    }

    #[test]
    fn only_polygons() {
        let e = err(json!({"type": "LineString", "coordinates": [[0,0],[1,1]]}));
        assert_eq!(e, GeometryError::UnsupportedType("LineString".into()));
        assert!(e.to_string().contains("Polygon 或 MultiPolygon"));
        assert_eq!(err(json!([1, 2])), GeometryError::NotAGeometry);
        assert_eq!(err(json!({"coordinates": []})), GeometryError::NotAGeometry);
    }

    #[test]
    fn rings_must_be_closed() {
        let e = err(poly(json!([[[0, 0], [4, 0], [4, 4], [0, 4]]])));
        assert_eq!(e.code(), "ring_not_closed");
        assert!(e.to_string().contains("外环 coordinates[0]"), "{e}");
        assert!(e.to_string().contains("(0, 4)"), "{e}");
    }

    #[test]
    fn rings_need_four_positions() {
        let e = err(poly(json!([[[0, 0], [4, 0], [0, 0]]])));
        assert_eq!(
            e,
            GeometryError::TooFewPositions {
                ring: RingRef {
                    polygon: None,
                    ring: 0
                },
                count: 3
            }
        );
    }

    #[test]
    fn positions_must_be_in_range() {
        let e = err(poly(json!([[[0, 0], [181, 0], [4, 4], [0, 0]]])));
        assert!(
            matches!(e, GeometryError::OutOfRange { position: 1, .. }),
            "{e:?}"
        );
        let e = err(poly(json!([[[0, 0], [1, 0], [1, -91], [0, 0]]])));
        assert_eq!(e.code(), "coordinate_out_of_range");
    }

    #[test]
    fn flat_rings_are_degenerate() {
        let e = err(poly(json!([[[0, 0], [1, 1], [2, 2], [0, 0]]])));
        assert_eq!(e.code(), "degenerate_ring");
        let e = err(poly(json!([[[0, 0], [1, 1], [1, 1], [0, 0]]])));
        assert_eq!(e.code(), "degenerate_ring");
    }

    #[test]
    fn a_bow_tie_crosses_itself() {
        let e = err(poly(json!([[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]])));
        assert_eq!(
            e,
            GeometryError::SelfIntersection {
                ring: RingRef {
                    polygon: None,
                    ring: 0
                },
                at: At(1.0, 1.0)
            }
        );
        // Touching itself at a vertex counts too.
        let e = err(poly(json!([[
            [0, 0],
            [4, 0],
            [2, 2],
            [4, 4],
            [0, 4],
            [2, 2],
            [0, 0]
        ]])));
        assert_eq!(e.code(), "self_intersection");
        // So does a spike doubling back along an edge.
        let e = err(poly(json!([[
            [0, 0],
            [4, 0],
            [6, 0],
            [4, 0],
            [4, 4],
            [0, 0]
        ]])));
        assert_eq!(e.code(), "self_intersection");
    }

    #[test]
    fn rings_must_not_cross_each_other() {
        let e = err(poly(json!([
            SQUARE,
            [[3, 1], [5, 1], [5, 2], [3, 2], [3, 1]]
        ])));
        assert!(matches!(e, GeometryError::RingsCross { .. }), "{e:?}");
        assert!(e.to_string().contains("外环 coordinates[0]"));
        assert!(e.to_string().contains("内环 coordinates[1]"));
        let e = err(json!({"type": "MultiPolygon", "coordinates": [
            [SQUARE], [[[3,3],[6,3],[6,6],[3,3]]]
        ]}));
        assert_eq!(e.code(), "rings_cross");
        assert!(e.to_string().contains("coordinates[1][0]"), "{e}");
    }

    #[test]
    fn holes_must_lie_inside_their_shell() {
        let e = err(poly(json!([SQUARE, [[5, 5], [6, 5], [6, 6], [5, 5]]])));
        assert!(matches!(e, GeometryError::HoleOutsideShell { .. }), "{e:?}");
        assert!(e.to_string().contains("内环 coordinates[1]"));
    }

    #[test]
    fn holes_must_not_nest() {
        let e = err(poly(json!([
            SQUARE,
            [[1, 1], [3, 1], [3, 3], [1, 3], [1, 1]],
            [[1.5, 1.5], [2, 1.5], [2, 2], [1.5, 1.5]]
        ])));
        assert_eq!(e.code(), "holes_overlap");
    }

    #[test]
    fn parts_of_a_multipolygon_must_not_overlap() {
        let e = err(json!({"type": "MultiPolygon", "coordinates": [
            [SQUARE], [[[1,1],[2,1],[2,2],[1,1]]]
        ]}));
        assert_eq!(e, GeometryError::PolygonsOverlap { a: 0, b: 1 });
        // An island in the other's hole is fine.
        validate_geometry(&json!({"type": "MultiPolygon", "coordinates": [
            [SQUARE, [[1,1],[3,1],[3,3],[1,3],[1,1]]], [[[1.5,1.5],[2,1.5],[2,2],[1.5,1.5]]]
        ]}))
        .unwrap();
    }

    fn mp(value: Value) -> MultiPolygon<f64> {
        validate_geometry(&value).unwrap().polygons
    }

    #[test]
    fn a_grid_sharing_its_parents_edges_is_inside() {
        let parent = mp(poly(json!([SQUARE])));
        let grid = mp(poly(json!([[[0, 0], [2, 0], [2, 4], [0, 4], [0, 0]]])));
        check_within_parent(&grid, &parent, "P", PARENT_TOLERANCE_DEG).unwrap();
        // A few nanodegrees of survey noise on a shared edge is tolerated.
        let noisy = mp(poly(json!([[
            [-0.00000001, 0],
            [2, 0.00000002],
            [2, 4],
            [0.00000003, 4.00000001],
            [-0.00000001, 0]
        ]])));
        check_within_parent(&noisy, &parent, "P", PARENT_TOLERANCE_DEG).unwrap();
    }

    #[test]
    fn a_grid_poking_out_of_its_parent_is_refused() {
        let parent = mp(poly(json!([SQUARE])));
        let grid = mp(poly(json!([[[3, 1], [5, 1], [5, 2], [3, 2], [3, 1]]])));
        let e =
            check_within_parent(&grid, &parent, "339902001001", PARENT_TOLERANCE_DEG).unwrap_err();
        assert_eq!(
            e,
            GeometryError::OutsideParent {
                parent: "339902001001".into(),
                at: At(5.0, 1.0)
            }
        );
        assert!(e.to_string().contains("339902001001"));
        // Slightly more than the tolerance is too much.
        let over = mp(poly(json!([[
            [-0.000001, 0],
            [2, 0],
            [2, 4],
            [0, 4],
            [-0.000001, 0]
        ]])));
        assert_eq!(
            check_within_parent(&over, &parent, "P", PARENT_TOLERANCE_DEG)
                .unwrap_err()
                .code(),
            "outside_parent"
        );
    }

    #[test]
    fn a_grid_across_a_parent_notch_or_hole_is_refused() {
        // A U-shaped parent: the grid's vertices are all inside it, but the grid spans the notch.
        let u = mp(poly(json!([[
            [0, 0],
            [6, 0],
            [6, 6],
            [4, 6],
            [4, 2],
            [2, 2],
            [2, 6],
            [0, 6],
            [0, 0]
        ]])));
        let across = mp(poly(json!([[[1, 1], [5, 1], [5, 5], [1, 5], [1, 1]]])));
        assert!(check_within_parent(&across, &u, "P", PARENT_TOLERANCE_DEG).is_err());
        // A strip across the notch with vertices only in the arms: caught by the edge crossings.
        let strip = mp(poly(json!([[[1, 3], [5, 3], [5, 4], [1, 4], [1, 3]]])));
        let e = check_within_parent(&strip, &u, "P", PARENT_TOLERANCE_DEG).unwrap_err();
        assert_eq!(e.code(), "outside_parent");
        // A parent with a hole the grid covers.
        let holed = mp(poly(json!([
            SQUARE,
            [[1, 1], [1, 2], [2, 2], [2, 1], [1, 1]]
        ])));
        let cover = mp(poly(json!([[
            [0.5, 0.5],
            [3, 0.5],
            [3, 3],
            [0.5, 3],
            [0.5, 0.5]
        ]])));
        assert!(check_within_parent(&cover, &holed, "P", PARENT_TOLERANCE_DEG).is_err());
        let beside = mp(poly(json!([[
            [2.5, 0.5],
            [3, 0.5],
            [3, 3],
            [2.5, 3],
            [2.5, 0.5]
        ]])));
        check_within_parent(&beside, &holed, "P", PARENT_TOLERANCE_DEG).unwrap();
    }
}
