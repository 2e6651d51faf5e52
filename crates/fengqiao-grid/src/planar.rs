//! Exact planar predicates on longitude/latitude pairs: orientation, point in ring, segment
//! intersection, and the plain distances the tolerance checks use.
//!
//! Orientation is decided by the robust (adaptive-precision) predicate, so "on the edge" means
//! exactly on it: a point on an edge two grids share is on both, never on one by rounding luck.

use geo::{Coord, Kernel, Orientation, kernels::RobustKernel};

/// Where a point lies relative to a ring or polygon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    Inside,
    OnBoundary,
    Outside,
}

/// Sign of the turn a → b → c: +1 counter-clockwise (c left of a→b), -1 clockwise, 0 collinear.
#[inline]
pub fn orient(a: Coord, b: Coord, c: Coord) -> i8 {
    match <RobustKernel as Kernel<f64>>::orient2d(a, b, c) {
        Orientation::CounterClockwise => 1,
        Orientation::Clockwise => -1,
        Orientation::Collinear => 0,
    }
}

/// Position of `p` relative to the closed ring `ring` (first position repeated last), by the
/// winding number with half-open edges (each edge owns its lower end, not its upper), so a ray
/// through a vertex is counted once. Exact: boundary points are found by the robust predicate.
#[inline]
pub fn ring_position(ring: &[Coord], p: Coord) -> Position {
    let mut winding = 0i32;
    for edge in ring.windows(2) {
        let (a, b) = (edge[0], edge[1]);
        if a.y <= p.y {
            if a.y == p.y {
                if a.x == p.x {
                    return Position::OnBoundary;
                }
                // A horizontal edge on the point's line: neither crossing case below sees it.
                if b.y == p.y && (a.x.min(b.x) <= p.x && p.x <= a.x.max(b.x)) {
                    return Position::OnBoundary;
                }
            }
            if b.y > p.y {
                match orient(a, b, p) {
                    1 => winding += 1,
                    0 => return Position::OnBoundary,
                    _ => {}
                }
            }
        } else if b.y <= p.y {
            match orient(a, b, p) {
                -1 => winding -= 1,
                0 => return Position::OnBoundary,
                _ => {}
            }
        }
    }
    if winding == 0 {
        Position::Outside
    } else {
        Position::Inside
    }
}

/// Position of `p` relative to a polygon given as its shell and holes (closed rings): a point
/// on a hole's ring is on the boundary, strictly inside a hole is outside.
pub fn polygon_position<'a>(
    shell: &[Coord],
    holes: impl IntoIterator<Item = &'a [Coord]>,
    p: Coord,
) -> Position {
    match ring_position(shell, p) {
        Position::Inside => {}
        other => return other,
    }
    for hole in holes {
        match ring_position(hole, p) {
            Position::Outside => {}
            Position::OnBoundary => return Position::OnBoundary,
            Position::Inside => return Position::Outside,
        }
    }
    Position::Inside
}

/// How two segments meet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Meeting {
    /// No common point.
    Apart,
    /// They cross at one point interior to both.
    Cross(Coord),
    /// They share exactly one point that is an end of at least one of them.
    Touch(Coord),
    /// Collinear with a common stretch of positive length (starting at the given point).
    Overlap(Coord),
}

fn within_box(a: Coord, b: Coord, p: Coord) -> bool {
    a.x.min(b.x) <= p.x && p.x <= a.x.max(b.x) && a.y.min(b.y) <= p.y && p.y <= a.y.max(b.y)
}

/// How segment a–b meets segment c–d (exact).
pub fn meet(a: Coord, b: Coord, c: Coord, d: Coord) -> Meeting {
    let o1 = orient(a, b, c);
    let o2 = orient(a, b, d);
    let o3 = orient(c, d, a);
    let o4 = orient(c, d, b);
    if o1 == 0 && o2 == 0 {
        // Collinear: compare the projections on the dominant axis.
        let key = |p: Coord| {
            if (b.x - a.x).abs() >= (b.y - a.y).abs() {
                p.x
            } else {
                p.y
            }
        };
        let (lo1, hi1) = min_max(key(a), key(b));
        let (lo2, hi2) = min_max(key(c), key(d));
        let lo = lo1.max(lo2);
        let hi = hi1.min(hi2);
        if lo < hi {
            let start = [a, b, c, d]
                .into_iter()
                .find(|&p| key(p) == lo)
                .unwrap_or(a);
            return Meeting::Overlap(start);
        }
        if lo == hi {
            let at = [a, b, c, d]
                .into_iter()
                .find(|&p| key(p) == lo)
                .unwrap_or(a);
            return Meeting::Touch(at);
        }
        return Meeting::Apart;
    }
    if o1 * o2 < 0 && o3 * o4 < 0 {
        return Meeting::Cross(crossing_point(a, b, c, d));
    }
    // One end on the other segment.
    for (o, p, s, t) in [(o1, c, a, b), (o2, d, a, b), (o3, a, c, d), (o4, b, c, d)] {
        if o == 0 && within_box(s, t, p) {
            return Meeting::Touch(p);
        }
    }
    Meeting::Apart
}

fn min_max(a: f64, b: f64) -> (f64, f64) {
    if a <= b { (a, b) } else { (b, a) }
}

/// The (rounded) point where the lines through a–b and c–d cross; only for messages.
fn crossing_point(a: Coord, b: Coord, c: Coord, d: Coord) -> Coord {
    let r = b - a;
    let s = d - c;
    let denom = r.x * s.y - r.y * s.x;
    if denom == 0.0 {
        return a;
    }
    let t = ((c.x - a.x) * s.y - (c.y - a.y) * s.x) / denom;
    Coord {
        x: a.x + t * r.x,
        y: a.y + t * r.y,
    }
}

/// Planar distance (in degrees) from `p` to segment a–b.
pub fn distance_to_segment(p: Coord, a: Coord, b: Coord) -> f64 {
    let ab = b - a;
    let len2 = ab.x * ab.x + ab.y * ab.y;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.x - a.x) * ab.x + (p.y - a.y) * ab.y) / len2).clamp(0.0, 1.0)
    };
    let q = Coord {
        x: a.x + t * ab.x,
        y: a.y + t * ab.y,
    };
    (p.x - q.x).hypot(p.y - q.y)
}

/// Planar distance from `p` to the nearest edge of any of `rings`.
pub fn distance_to_rings<'a>(p: Coord, rings: impl IntoIterator<Item = &'a [Coord]>) -> f64 {
    let mut best = f64::INFINITY;
    for ring in rings {
        for edge in ring.windows(2) {
            best = best.min(distance_to_segment(p, edge[0], edge[1]));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(x: f64, y: f64) -> Coord {
        Coord { x, y }
    }

    fn square() -> Vec<Coord> {
        vec![c(0., 0.), c(4., 0.), c(4., 4.), c(0., 4.), c(0., 0.)]
    }

    #[test]
    fn ring_position_is_exact_on_edges_and_vertices() {
        let ring = square();
        assert_eq!(ring_position(&ring, c(2., 2.)), Position::Inside);
        assert_eq!(ring_position(&ring, c(5., 2.)), Position::Outside);
        for p in [
            c(0., 0.),
            c(4., 4.),
            c(2., 0.),
            c(4., 2.),
            c(2., 4.),
            c(0., 2.),
        ] {
            assert_eq!(ring_position(&ring, p), Position::OnBoundary, "{p:?}");
        }
        // A ray through a vertex is counted once.
        let diamond = vec![c(0., -2.), c(2., 0.), c(0., 2.), c(-2., 0.), c(0., -2.)];
        assert_eq!(ring_position(&diamond, c(-1., 0.)), Position::Inside);
        assert_eq!(ring_position(&diamond, c(-3., 0.)), Position::Outside);
        assert_eq!(ring_position(&diamond, c(3., 0.)), Position::Outside);
        // Clockwise rings work the same.
        let cw: Vec<Coord> = ring.iter().rev().copied().collect();
        assert_eq!(ring_position(&cw, c(1., 1.)), Position::Inside);
        assert_eq!(ring_position(&cw, c(1., 0.)), Position::OnBoundary);
    }

    #[test]
    fn holes_exclude_their_inside_but_not_their_ring() {
        let hole = vec![c(1., 1.), c(1., 3.), c(3., 3.), c(3., 1.), c(1., 1.)];
        let shell = square();
        let at = |p| polygon_position(&shell, [hole.as_slice()], p);
        assert_eq!(at(c(2., 2.)), Position::Outside);
        assert_eq!(at(c(1., 2.)), Position::OnBoundary);
        assert_eq!(at(c(0.5, 2.)), Position::Inside);
    }

    #[test]
    fn segments_meet_in_every_way() {
        assert!(matches!(
            meet(c(0., 0.), c(2., 2.), c(0., 2.), c(2., 0.)),
            Meeting::Cross(p) if p == c(1., 1.)
        ));
        assert_eq!(
            meet(c(0., 0.), c(2., 0.), c(1., 0.), c(1., 3.)),
            Meeting::Touch(c(1., 0.))
        );
        assert_eq!(
            meet(c(0., 0.), c(2., 0.), c(2., 0.), c(3., 0.)),
            Meeting::Touch(c(2., 0.))
        );
        assert_eq!(
            meet(c(0., 0.), c(2., 0.), c(1., 0.), c(3., 0.)),
            Meeting::Overlap(c(1., 0.))
        );
        assert_eq!(
            meet(c(0., 0.), c(1., 0.), c(2., 0.), c(3., 0.)),
            Meeting::Apart
        );
        assert_eq!(
            meet(c(0., 0.), c(1., 1.), c(0., 1.), c(0.4, 0.6)),
            Meeting::Apart
        );
    }

    #[test]
    fn distances() {
        assert_eq!(distance_to_segment(c(1., 1.), c(0., 0.), c(2., 0.)), 1.0);
        assert_eq!(distance_to_segment(c(3., 0.), c(0., 0.), c(2., 0.)), 1.0);
        assert_eq!(distance_to_rings(c(2., 5.), [square().as_slice()]), 1.0);
    }
}
