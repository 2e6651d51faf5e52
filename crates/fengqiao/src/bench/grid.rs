//! `fengqiao bench grid`: point → grid placement. Part 1 generates a city of grid polygons
//! (default 10,000: irregular territorial grids of 8–40 vertices tiling the area, one in ten with
//! a hole, and 5 % industry grids overlapping them), checks them as an import would, builds the
//! index and times lookups on one thread. Part 2 — event intake through the API — is
//! [`super::grid_intake`].

use anyhow::bail;
use fengqiao_domain::region::GridKind;
use fengqiao_grid::{
    Coord, GridIndex, GridShape, LineString, MultiPolygon, Polygon, Position, multi_position,
    validate_geometry,
};
use serde::Serialize;
use std::hint::black_box;
use std::time::Instant;

/// Where the generated city lies and how big a territorial grid is (about 290 m × 280 m).
const ORIGIN: (f64, f64) = (119.90, 30.10);
const CELL: (f64, f64) = (0.003, 0.0025);
/// How far a lattice corner moves (in cells); below 0.5 keeps the cells simple.
const CORNER_JITTER: f64 = 0.2;
/// How far an edge's inner points bulge sideways (in cells), tapering to zero at the corners.
const EDGE_WIGGLE: f64 = 0.06;
/// Distinct probe points, cycled through by the timed loop.
const PROBES: usize = 1 << 20;
/// Lookups compared with a scan over every grid.
const BRUTE_FORCE_SAMPLE: usize = 2_000;

#[derive(Debug, Serialize)]
pub struct GridReport {
    pub benchmark: &'static str,
    pub grids: usize,
    pub territorial: usize,
    pub industry: usize,
    pub with_holes: usize,
    pub vertices_min: usize,
    pub vertices_max: usize,
    pub vertices_avg: f64,
    /// Full import checks (shape and topology) of every generated polygon, one thread.
    pub validate_seconds: f64,
    pub validate_grids_per_sec: f64,
    pub build_index_ms: f64,
    /// `GridIndex::locate_ids` (ids, allocation-free) on one thread.
    pub lookups: usize,
    pub lookup_seconds: f64,
    pub lookups_per_sec: f64,
    pub ns_per_lookup: f64,
    /// `GridIndex::locate` (codes, allocation-free) on one thread.
    pub locate_codes_lookups_per_sec: f64,
    pub locate_codes_ns_per_lookup: f64,
    /// Grids per lookup (points fall in the area's bounding box: some outside every grid,
    /// some in an industry grid too).
    pub hits_per_lookup: f64,
    pub brute_force_checked: usize,
    pub brute_force_mismatches: usize,
    /// Part 2, event intake through the API; `None` with `--events 0`.
    pub intake: Option<serde_json::Value>,
}

/// SplitMix64: small, fast and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in [-1, 1).
    fn signed(&mut self) -> f64 {
        self.unit() * 2.0 - 1.0
    }
    /// Uniform in lo..=hi.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as usize
    }
}

/// The generated grids and the area they cover.
pub struct GeneratedGrids {
    pub shapes: Vec<GridShape>,
    pub min: (f64, f64),
    pub max: (f64, f64),
    pub territorial: usize,
    pub industry: usize,
    pub with_holes: usize,
}

/// A lattice point in degrees, rounded to 7 decimals (about 1 cm) like surveyed data.
fn at(x: f64, y: f64) -> Coord {
    let r = |v: f64| (v * 1e7).round() / 1e7;
    Coord {
        x: r(ORIGIN.0 + x * CELL.0),
        y: r(ORIGIN.1 + y * CELL.1),
    }
}

/// A grid code under a plausible community code: 100 grids per community, 10 communities per
/// street (the import's code rules hold, so part 2 can import these).
fn territorial_code(n: usize) -> String {
    format!(
        "339902{:03}{:03}{:03}",
        n / 1000 + 1,
        (n / 100) % 10 + 1,
        n % 100 + 1
    )
}

/// Generates `total` grids from `seed`: 95 % territorial cells of a jittered lattice whose edges
/// carry 1–9 inner points each (8–40 vertices per cell, shared bit for bit with the neighbour,
/// so the cells tile the area), every tenth with a hole; 5 % star-shaped industry grids of
/// 8–16 vertices and 0.4–2 cells' radius laid over them.
pub fn generate(total: usize, seed: u64) -> GeneratedGrids {
    let mut rng = Rng(seed);
    let industry = total / 20;
    let territorial = total - industry;
    let cols = (territorial as f64).sqrt().ceil().max(1.0) as usize;
    let rows = territorial.div_ceil(cols).max(1);
    let corners: Vec<(f64, f64)> = (0..=rows)
        .flat_map(|j| (0..=cols).map(move |i| (i, j)))
        .map(|(i, j)| {
            (
                i as f64 + rng.signed() * CORNER_JITTER,
                j as f64 + rng.signed() * CORNER_JITTER,
            )
        })
        .collect();
    let corner = |i: usize, j: usize| corners[j * (cols + 1) + i];
    // Each edge's inner points (lattice units), from its lower-left corner to the other one.
    let mut edge = |a: (f64, f64), b: (f64, f64), horizontal: bool| -> Vec<(f64, f64)> {
        let k = rng.range(1, 9);
        (1..=k)
            .map(|m| {
                let t = m as f64 / (k + 1) as f64;
                let bulge = EDGE_WIGGLE * (std::f64::consts::PI * t).sin() * rng.signed();
                let (x, y) = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
                if horizontal {
                    (x, y + bulge)
                } else {
                    (x + bulge, y)
                }
            })
            .collect()
    };
    let horizontal: Vec<Vec<(f64, f64)>> = (0..=rows)
        .flat_map(|j| (0..cols).map(move |i| (i, j)))
        .map(|(i, j)| edge(corner(i, j), corner(i + 1, j), true))
        .collect();
    let vertical: Vec<Vec<(f64, f64)>> = (0..rows)
        .flat_map(|j| (0..=cols).map(move |i| (i, j)))
        .map(|(i, j)| edge(corner(i, j), corner(i, j + 1), false))
        .collect();
    let h = |i: usize, j: usize| &horizontal[j * cols + i];
    let v = |i: usize, j: usize| &vertical[j * (cols + 1) + i];

    let mut shapes = Vec::with_capacity(total);
    let mut with_holes = 0;
    for n in 0..territorial {
        let (i, j) = (n % cols, n / cols);
        // Counter-clockwise: bottom, right, top (reversed), left (reversed).
        let mut ring = vec![corner(i, j)];
        ring.extend(h(i, j));
        ring.push(corner(i + 1, j));
        ring.extend(v(i + 1, j));
        ring.push(corner(i + 1, j + 1));
        ring.extend(h(i, j + 1).iter().rev());
        ring.push(corner(i, j + 1));
        ring.extend(v(i, j).iter().rev());
        ring.push(corner(i, j));
        let shell = LineString::new(ring.iter().map(|&(x, y)| at(x, y)).collect());
        // Every tenth grid has a hole (a walled compound that is its own grid elsewhere): well
        // inside the cell, which jitter and bulges never reach (see the constants).
        let holes = if n % 10 == 3 {
            with_holes += 1;
            let sides = rng.range(6, 10);
            let centre = (i as f64 + 0.5, j as f64 + 0.5);
            let mut hole: Vec<Coord> = (0..sides)
                .rev()
                .map(|s| {
                    let a = std::f64::consts::TAU * s as f64 / sides as f64;
                    let r = 0.1 + 0.05 * rng.unit();
                    at(centre.0 + r * a.cos(), centre.1 + r * a.sin())
                })
                .collect();
            hole.push(hole[0]);
            vec![LineString::new(hole)]
        } else {
            vec![]
        };
        shapes.push(GridShape {
            code: territorial_code(n),
            kind: GridKind::Territorial,
            geometry: MultiPolygon::new(vec![Polygon::new(shell, holes)]),
        });
    }
    let kinds = [
        GridKind::School,
        GridKind::Hospital,
        GridKind::Market,
        GridKind::ScenicArea,
        GridKind::IndustrialPark,
    ];
    let mut industry_numbers: std::collections::HashMap<String, usize> = Default::default();
    for n in 0..industry {
        let centre = (rng.unit() * cols as f64, rng.unit() * rows as f64);
        let radius = 0.4 + 1.6 * rng.unit();
        let sides = rng.range(8, 16);
        let mut ring: Vec<Coord> = (0..sides)
            .map(|s| {
                let a = std::f64::consts::TAU * (s as f64 + 0.4 * rng.signed()) / sides as f64;
                let r = radius * (0.7 + 0.3 * rng.unit());
                at(centre.0 + r * a.cos(), centre.1 + r * a.sin())
            })
            .collect();
        ring.push(ring[0]);
        // Filed under the community of the territorial grid at its centre, numbered from 901.
        let cell = (centre.1 as usize).min(rows - 1) * cols + (centre.0 as usize).min(cols - 1);
        let community = territorial_code(cell.min(territorial.saturating_sub(1)))[..12].to_owned();
        let number = industry_numbers.entry(community.clone()).or_insert(900);
        *number += 1;
        shapes.push(GridShape {
            code: format!("{community}{number:03}"),
            kind: kinds[n % kinds.len()],
            geometry: MultiPolygon::new(vec![Polygon::new(LineString::new(ring), vec![])]),
        });
    }
    let min = at(-1.0, -1.0);
    let max = at(cols as f64 + 1.0, rows as f64 + 1.0);
    GeneratedGrids {
        shapes,
        min: (min.x, min.y),
        max: (max.x, max.y),
        territorial,
        industry,
        with_holes,
    }
}

/// One grid as GeoJSON, the way an import receives it.
fn geojson(shape: &GridShape) -> serde_json::Value {
    let ring = |l: &LineString<f64>| -> Vec<[f64; 2]> { l.0.iter().map(|c| [c.x, c.y]).collect() };
    let polygons: Vec<Vec<Vec<[f64; 2]>>> = shape
        .geometry
        .0
        .iter()
        .map(|p| {
            std::iter::once(ring(p.exterior()))
                .chain(p.interiors().iter().map(ring))
                .collect()
        })
        .collect();
    match polygons.as_slice() {
        [one] => serde_json::json!({ "type": "Polygon", "coordinates": one }),
        many => serde_json::json!({ "type": "MultiPolygon", "coordinates": many }),
    }
}

/// Part 1: generation, validation, index build and single-thread lookups.
pub fn lookup_part(grids: usize, lookups: usize, seed: u64) -> anyhow::Result<GridReport> {
    if grids == 0 || lookups == 0 {
        bail!("grids and lookups must be positive");
    }
    let city = generate(grids, seed);
    let vertex_counts: Vec<usize> = city
        .shapes
        .iter()
        .map(|s| s.geometry.0.iter().map(|p| p.exterior().0.len() - 1).sum())
        .collect();

    let documents: Vec<serde_json::Value> = city.shapes.iter().map(geojson).collect();
    let started = Instant::now();
    for (shape, doc) in city.shapes.iter().zip(&documents) {
        if let Err(e) = validate_geometry(doc) {
            bail!("generated grid {} is invalid: {e}", shape.code);
        }
    }
    let validate_seconds = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let index = GridIndex::new(city.shapes.clone());
    let build_index_ms = started.elapsed().as_secs_f64() * 1000.0;

    let mut rng = Rng(seed ^ 0x5EED);
    let probes: Vec<(f64, f64)> = (0..PROBES)
        .map(|_| {
            (
                city.min.0 + (city.max.0 - city.min.0) * rng.unit(),
                city.min.1 + (city.max.1 - city.min.1) * rng.unit(),
            )
        })
        .collect();

    // Brute force on a sample: every grid's bounding box, then the exact test.
    let boxes: Vec<(Coord, Coord)> = city
        .shapes
        .iter()
        .map(|s| {
            let mut lo = Coord {
                x: f64::INFINITY,
                y: f64::INFINITY,
            };
            let mut hi = Coord {
                x: f64::NEG_INFINITY,
                y: f64::NEG_INFINITY,
            };
            for c in s.geometry.0.iter().flat_map(|p| p.exterior().0.iter()) {
                lo = Coord {
                    x: lo.x.min(c.x),
                    y: lo.y.min(c.y),
                };
                hi = Coord {
                    x: hi.x.max(c.x),
                    y: hi.y.max(c.y),
                };
            }
            (lo, hi)
        })
        .collect();
    let mut mismatches = 0;
    for &(x, y) in probes.iter().take(BRUTE_FORCE_SAMPLE) {
        let p = Coord { x, y };
        let mut want: Vec<&str> = city
            .shapes
            .iter()
            .zip(&boxes)
            .filter(|(_, (lo, hi))| lo.x <= x && x <= hi.x && lo.y <= y && y <= hi.y)
            .filter(|(s, _)| multi_position(&s.geometry, p) != Position::Outside)
            .map(|(s, _)| s.code.as_str())
            .collect();
        want.sort_unstable();
        if index.locate(x, y).as_slice() != want.as_slice() {
            mismatches += 1;
        }
    }

    // Warm the caches, then time each API over the same points.
    let mut hits = 0usize;
    for &(x, y) in probes.iter().take(100_000) {
        hits += index.locate_ids(x, y).len();
    }
    black_box(hits);
    let mut hits = 0usize;
    let started = Instant::now();
    for k in 0..lookups {
        let (x, y) = probes[k % PROBES];
        hits += black_box(index.locate_ids(black_box(x), black_box(y))).len();
    }
    let lookup_seconds = started.elapsed().as_secs_f64();
    let mut code_bytes = 0usize;
    let started = Instant::now();
    for k in 0..lookups {
        let (x, y) = probes[k % PROBES];
        for code in black_box(index.locate(black_box(x), black_box(y))) {
            code_bytes += code.len();
        }
    }
    let codes_seconds = started.elapsed().as_secs_f64();
    black_box(code_bytes);

    Ok(GridReport {
        benchmark: "grid",
        grids: city.shapes.len(),
        territorial: city.territorial,
        industry: city.industry,
        with_holes: city.with_holes,
        vertices_min: vertex_counts.iter().copied().min().unwrap_or(0),
        vertices_max: vertex_counts.iter().copied().max().unwrap_or(0),
        vertices_avg: vertex_counts.iter().sum::<usize>() as f64 / vertex_counts.len() as f64,
        validate_seconds,
        validate_grids_per_sec: city.shapes.len() as f64 / validate_seconds,
        build_index_ms,
        lookups,
        lookup_seconds,
        lookups_per_sec: lookups as f64 / lookup_seconds,
        ns_per_lookup: lookup_seconds * 1e9 / lookups as f64,
        locate_codes_lookups_per_sec: lookups as f64 / codes_seconds,
        locate_codes_ns_per_lookup: codes_seconds * 1e9 / lookups as f64,
        hits_per_lookup: hits as f64 / lookups as f64,
        brute_force_checked: BRUTE_FORCE_SAMPLE.min(PROBES),
        brute_force_mismatches: mismatches,
        intake: None,
    })
}

// ─── Part 2: event intake through the API (`bench::grid_intake`) ─────────────────────────────

/// `fengqiao bench grid`: part 1, then part 2 (event intake through the API over the demo city,
/// on the given database or a temporary SQLite file) unless `events` is 0.
pub async fn run(
    cfg: &crate::config::Config,
    database_url: Option<String>,
    grids: usize,
    lookups: usize,
    seed: u64,
    events: usize,
    clients: usize,
) -> anyhow::Result<GridReport> {
    let mut report = lookup_part(grids, lookups, seed)?;
    if events > 0 {
        let intake = super::grid_intake::run(cfg, database_url, events, clients).await?;
        report.intake = Some(serde_json::to_value(intake)?);
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_grids_are_valid_tile_the_area_and_agree_with_brute_force() {
        let report = lookup_part(400, 20_000, 7).unwrap();
        assert_eq!(report.grids, 400);
        assert_eq!((report.territorial, report.industry), (380, 20));
        assert!(report.with_holes >= 38);
        assert!(
            report.vertices_min >= 8 && report.vertices_max <= 40,
            "{report:?}"
        );
        assert_eq!(report.brute_force_mismatches, 0);
        assert!(report.hits_per_lookup > 0.5, "{report:?}");
        // A point in the middle of the tiled area is in some territorial grid.
        let city = generate(400, 7);
        let index = GridIndex::new(city.shapes);
        let mid = at(10.0, 10.0);
        assert!(!index.locate(mid.x, mid.y).is_empty());
    }

    /// The demo city's polygons pass the checks an import applies (so exporting and importing
    /// them back works), and each grid's centroid is located in that grid.
    #[test]
    fn the_demo_city_grids_pass_the_import_checks() {
        let city = crate::demo_city::generate();
        let by_code: std::collections::HashMap<&str, &crate::demo_city::DemoRegion> =
            city.regions.iter().map(|r| (r.code.as_str(), r)).collect();
        let mut shapes = Vec::new();
        for grid in city.regions.iter().filter(|r| r.grid_kind.is_some()) {
            let geometry = grid.geometry.as_ref().unwrap();
            let parsed =
                validate_geometry(geometry).unwrap_or_else(|e| panic!("grid {}: {e}", grid.code));
            let parent = by_code[grid.parent_code.as_deref().unwrap()];
            let parent_polygon = validate_geometry(parent.geometry.as_ref().unwrap()).unwrap();
            fengqiao_grid::check_within_parent(
                &parsed.polygons,
                &parent_polygon.polygons,
                &parent.code,
                fengqiao_grid::PARENT_TOLERANCE_DEG,
            )
            .unwrap_or_else(|e| panic!("grid {}: {e}", grid.code));
            shapes.push(GridShape {
                code: grid.code.clone(),
                kind: grid.grid_kind.unwrap(),
                geometry: parsed.polygons,
            });
        }
        assert_eq!(shapes.len(), 313);
        let index = GridIndex::new(shapes);
        for grid in city.regions.iter().filter(|r| r.grid_kind.is_some()) {
            let (lng, lat) = grid.centroid.unwrap();
            assert!(
                index.locate(lng, lat).contains(&grid.code.as_str()),
                "grid {}",
                grid.code
            );
        }
    }
}
