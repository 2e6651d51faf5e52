//! Property: `GridIndex::locate` agrees with brute force (geo's exact point-in-polygon over every
//! grid) on random grids — jittered tiles sharing edges, star-shaped overlays with holes,
//! multi-part grids — and on points drawn at random, on vertices, on edges and inside holes.
//!
//! Coordinates are dyadic (multiples of 2⁻¹⁶), so an edge's midpoint is exactly on the edge and
//! the "on a shared edge belongs to both" case is really exercised.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use fengqiao_domain::region::GridKind;
use fengqiao_grid::{GridIndex, GridShape};
use geo::{Coord, Intersects, LineString, MultiPolygon, Polygon};
use proptest::prelude::*;

fn snap(v: f64) -> f64 {
    (v * 65536.0).round() / 65536.0
}

fn c(x: f64, y: f64) -> Coord {
    Coord {
        x: snap(x),
        y: snap(y),
    }
}

/// A star-shaped ring around `centre`: sorted angles, radii between `r_min` and `r_max`.
fn star(centre: (f64, f64), spokes: &[(f64, f64)], r_min: f64, r_max: f64) -> LineString<f64> {
    let mut angles: Vec<(f64, f64)> = spokes.to_vec();
    angles.sort_by(|a, b| a.0.total_cmp(&b.0));
    angles.dedup_by(|a, b| (a.0 - b.0).abs() < 1e-3);
    let mut ring: Vec<Coord> = angles
        .iter()
        .map(|&(a, t)| {
            let r = r_min + t * (r_max - r_min);
            c(centre.0 + r * a.cos(), centre.1 + r * a.sin())
        })
        .collect();
    ring.dedup();
    if ring.len() < 3 {
        ring = vec![
            c(centre.0, centre.1 - r_min),
            c(centre.0 + r_min, centre.1 + r_min),
            c(centre.0 - r_min, centre.1 + r_min),
        ];
    }
    if let Some(&first) = ring.first() {
        ring.push(first);
    }
    LineString::new(ring)
}

#[derive(Debug, Clone)]
struct Overlay {
    centre: (f64, f64),
    radius: f64,
    spokes: Vec<(f64, f64)>,
    hole: bool,
    second_part: bool,
}

fn overlay() -> impl Strategy<Value = Overlay> {
    (
        (0.0..6.0f64, 0.0..6.0f64),
        0.2..1.5f64,
        prop::collection::vec((0.0..std::f64::consts::TAU, 0.0..1.0f64), 3..40),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(centre, radius, spokes, hole, second_part)| Overlay {
            centre,
            radius,
            spokes,
            hole,
            second_part,
        })
}

/// A `cols × rows` jittered lattice of unit cells: every cell a quadrilateral sharing its edges
/// (bit for bit) with its neighbours.
fn tiles(cols: usize, rows: usize, jitter: &[(f64, f64)]) -> Vec<GridShape> {
    let point = |i: usize, j: usize| {
        let (dx, dy) = jitter[(j * (cols + 1) + i) % jitter.len()];
        c(i as f64 + dx, j as f64 + dy)
    };
    let mut shapes = Vec::new();
    for j in 0..rows {
        for i in 0..cols {
            let ring = vec![
                point(i, j),
                point(i + 1, j),
                point(i + 1, j + 1),
                point(i, j + 1),
                point(i, j),
            ];
            shapes.push(GridShape {
                code: format!("T{i:02}{j:02}"),
                kind: GridKind::Territorial,
                geometry: MultiPolygon::new(vec![Polygon::new(LineString::new(ring), vec![])]),
            });
        }
    }
    shapes
}

fn overlay_shape(n: usize, o: &Overlay) -> GridShape {
    let shell = star(o.centre, &o.spokes, o.radius * 0.6, o.radius);
    // The hole's radius stays below the shell's smallest inscribed distance for most draws; when
    // it does not, both sides still agree on the (invalid) polygon, which is all this checks.
    let holes = if o.hole {
        vec![star(
            o.centre,
            &o.spokes[..3.min(o.spokes.len())],
            o.radius * 0.1,
            o.radius * 0.3,
        )]
    } else {
        vec![]
    };
    let mut polygons = vec![Polygon::new(shell, holes)];
    if o.second_part {
        let far = (o.centre.0 + 3.0 * o.radius, o.centre.1);
        polygons.push(Polygon::new(
            star(far, &o.spokes, o.radius * 0.3, o.radius * 0.5),
            vec![],
        ));
    }
    GridShape {
        code: format!("X{n:03}"),
        kind: if n.is_multiple_of(2) {
            GridKind::School
        } else {
            GridKind::Market
        },
        geometry: MultiPolygon::new(polygons),
    }
}

/// Where a probe point comes from.
#[derive(Debug, Clone)]
enum Probe {
    Random(f64, f64),
    Vertex(usize, usize),
    EdgeMidpoint(usize, usize),
    EdgeQuarter(usize, usize),
    HoleCentre(usize),
}

fn probe() -> impl Strategy<Value = Probe> {
    prop_oneof![
        (-1.0..9.0f64, -1.0..9.0f64).prop_map(|(x, y)| Probe::Random(x, y)),
        (any::<usize>(), any::<usize>()).prop_map(|(g, v)| Probe::Vertex(g, v)),
        (any::<usize>(), any::<usize>()).prop_map(|(g, v)| Probe::EdgeMidpoint(g, v)),
        (any::<usize>(), any::<usize>()).prop_map(|(g, v)| Probe::EdgeQuarter(g, v)),
        any::<usize>().prop_map(Probe::HoleCentre),
    ]
}

fn all_rings(shape: &GridShape) -> Vec<&LineString<f64>> {
    shape
        .geometry
        .0
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .collect()
}

fn resolve(probe: &Probe, shapes: &[GridShape], overlays: &[Overlay]) -> Coord {
    match *probe {
        Probe::Random(x, y) => Coord { x, y },
        Probe::Vertex(g, v) | Probe::EdgeMidpoint(g, v) | Probe::EdgeQuarter(g, v) => {
            let rings = all_rings(&shapes[g % shapes.len()]);
            let coords: Vec<Coord> = rings.iter().flat_map(|r| r.0.iter().copied()).collect();
            let ring = rings[v % rings.len()];
            let k = v % (ring.0.len() - 1);
            let (a, b) = (ring.0[k], ring.0[k + 1]);
            match probe {
                Probe::Vertex(..) => coords[v % coords.len()],
                Probe::EdgeMidpoint(..) => Coord {
                    x: (a.x + b.x) / 2.0,
                    y: (a.y + b.y) / 2.0,
                },
                _ => Coord {
                    x: a.x + (b.x - a.x) * 0.25,
                    y: a.y + (b.y - a.y) * 0.25,
                },
            }
        }
        Probe::HoleCentre(o) => {
            if overlays.is_empty() {
                Coord { x: 0.5, y: 0.5 }
            } else {
                let o = &overlays[o % overlays.len()];
                Coord {
                    x: o.centre.0,
                    y: o.centre.1,
                }
            }
        }
    }
}

fn brute_force(shapes: &[GridShape], p: Coord) -> Vec<String> {
    let mut codes: Vec<String> = shapes
        .iter()
        .filter(|s| s.geometry.0.iter().any(|poly| poly.intersects(&p)))
        .map(|s| s.code.clone())
        .collect();
    codes.sort();
    codes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn locate_matches_brute_force(
        cols in 1usize..8,
        rows in 1usize..8,
        jitter in prop::collection::vec((-0.3..0.3f64, -0.3..0.3f64), 1..100),
        overlays in prop::collection::vec(overlay(), 0..12),
        probes in prop::collection::vec(probe(), 1..200),
    ) {
        let mut shapes = tiles(cols, rows, &jitter);
        shapes.extend(overlays.iter().enumerate().map(|(n, o)| overlay_shape(n, o)));
        let index = GridIndex::new(shapes.clone());
        prop_assert_eq!(index.len(), shapes.len());
        for probe in &probes {
            let p = resolve(probe, &shapes, &overlays);
            let got: Vec<String> = index.locate(p.x, p.y).iter().map(|s| s.to_string()).collect();
            let want = brute_force(&shapes, p);
            prop_assert_eq!(&got, &want, "probe {:?} at {:?}", probe, p);
            // A vertex or an exact midpoint of a tile's edge is in at least that tile.
            if let Probe::Vertex(g, _) | Probe::EdgeMidpoint(g, _) = probe
                && g % shapes.len() < cols * rows
            {
                prop_assert!(!got.is_empty(), "probe {:?} at {:?} found nothing", probe, p);
            }
        }
    }
}

#[test]
fn interior_lattice_points_belong_to_all_four_tiles() {
    let shapes = tiles(3, 3, &[(0.0, 0.0), (0.125, -0.0625), (-0.25, 0.1875)]);
    let index = GridIndex::new(shapes.clone());
    for j in 1..3 {
        for i in 1..3 {
            let p = shapes[(j - 1) * 3 + (i - 1)].geometry.0[0].exterior().0[2];
            assert_eq!(index.locate(p.x, p.y).len(), 4, "lattice point ({i}, {j})");
        }
    }
}
