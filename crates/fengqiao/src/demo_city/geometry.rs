//! Planar geometry of the demo city: a jittered lattice whose cells tile the plane exactly, union rings of cell blocks, areas and centroids.

use super::prng::SplitMix64;
use std::collections::{BTreeMap, BTreeSet};

/// A position as (longitude, latitude) in degrees, WGS84, the GeoJSON axis order.
pub type Point = (f64, f64);

/// One lattice cell, `x` counted from the west, `y` from the south.
pub type Cell = (usize, usize);

/// Rounds to 6 decimals (about 0.1 m), the precision every published coordinate carries.
pub fn round6(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}

/// A `cols × rows` lattice of cells whose corner points are shared between neighbours, so the cells
/// tile their rectangle with no gap and no overlap however the points are jittered.
#[derive(Debug, Clone)]
pub struct Lattice {
    cols: usize,
    rows: usize,
    origin: Point,
    cell_size: (f64, f64),
    /// `(cols + 1) × (rows + 1)` corner points, row by row from the south, already rounded.
    points: Vec<Point>,
}

impl Lattice {
    /// Places corner `(i, j)` at `origin + (i, j) × cell_size`, moved by up to `jitter` cell sizes in
    /// each axis. With `jitter < 0.5` no two lattice edges can cross, so every cell stays a simple,
    /// counter-clockwise quadrilateral.
    pub fn jittered(
        cols: usize,
        rows: usize,
        origin: Point,
        cell_size: (f64, f64),
        jitter: f64,
        rng: &mut SplitMix64,
    ) -> Self {
        let mut points = Vec::with_capacity((cols + 1) * (rows + 1));
        for j in 0..=rows {
            for i in 0..=cols {
                let dx = (rng.next_f64() * 2.0 - 1.0) * jitter;
                let dy = (rng.next_f64() * 2.0 - 1.0) * jitter;
                points.push((
                    round6(origin.0 + (i as f64 + dx) * cell_size.0),
                    round6(origin.1 + (j as f64 + dy) * cell_size.1),
                ));
            }
        }
        Self {
            cols,
            rows,
            origin,
            cell_size,
            points,
        }
    }

    fn corner(&self, i: usize, j: usize) -> Option<Point> {
        if i > self.cols || j > self.rows {
            return None;
        }
        self.points.get(j * (self.cols + 1) + i).copied()
    }

    /// The point at `(fx, fy)` of a cell's unjittered square (`(0.5, 0.5)` is its middle). It lies
    /// inside the jittered cell whenever `fx` and `fy` are strictly between `jitter` and
    /// `1 - jitter`: each edge stays on its own side of that inner square, so the cell's outline
    /// can be moved onto the square's without ever crossing it.
    pub fn nominal_point(&self, cell: Cell, fx: f64, fy: f64) -> Point {
        let (x, y) = cell;
        (
            round6(self.origin.0 + (x as f64 + fx) * self.cell_size.0),
            round6(self.origin.1 + (y as f64 + fy) * self.cell_size.1),
        )
    }

    /// The closed, counter-clockwise boundary ring of a block of cells, through every lattice point on
    /// the boundary so that neighbouring blocks share their edges exactly. `None` when the block is
    /// empty, outside the lattice, not one piece, has a hole, or touches itself at a corner only.
    pub fn block_ring(&self, cells: &[Cell]) -> Option<Vec<Point>> {
        let set: BTreeSet<Cell> = cells.iter().copied().collect();
        if set.is_empty() || set.iter().any(|&(x, y)| x >= self.cols || y >= self.rows) {
            return None;
        }
        let has = |x: Option<usize>, y: Option<usize>| match (x, y) {
            (Some(x), Some(y)) => set.contains(&(x, y)),
            _ => false,
        };
        // Each cell's edges run counter-clockwise; an edge is on the boundary when the cell across it
        // is not in the block. Interior edges cancel in pairs, so what remains is the outline.
        let mut next: BTreeMap<Cell, Cell> = BTreeMap::new();
        for &(x, y) in &set {
            let edges = [
                ((x, y), (x + 1, y), has(Some(x), y.checked_sub(1))),
                ((x + 1, y), (x + 1, y + 1), has(Some(x + 1), Some(y))),
                ((x + 1, y + 1), (x, y + 1), has(Some(x), Some(y + 1))),
                ((x, y + 1), (x, y), has(x.checked_sub(1), Some(y))),
            ];
            for (from, to, shared) in edges {
                if !shared && next.insert(from, to).is_some() {
                    return None;
                }
            }
        }
        // Start at the south-westernmost corner; a single walk must use every boundary edge.
        let start = next.keys().min_by_key(|&&(i, j)| (j, i)).copied()?;
        let mut ring = Vec::with_capacity(next.len() + 1);
        let mut at = start;
        loop {
            ring.push(self.corner(at.0, at.1)?);
            at = *next.get(&at)?;
            if at == start || ring.len() > next.len() {
                break;
            }
        }
        if at != start || ring.len() != next.len() {
            return None;
        }
        ring.push(ring.first().copied()?);
        Some(ring)
    }
}

/// Signed shoelace area of a closed ring in square degrees: positive when counter-clockwise.
pub fn signed_area(ring: &[Point]) -> f64 {
    ring.windows(2)
        .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
        .sum::<f64>()
        / 2.0
}

/// Area-weighted centroid of a closed ring, rounded to 6 decimals; `None` for a degenerate ring.
pub fn centroid(ring: &[Point]) -> Option<Point> {
    let area = signed_area(ring);
    if area.abs() < 1e-15 {
        return None;
    }
    // Relative to the first point, so the products stay small and precise.
    let (ox, oy) = *ring.first()?;
    let (mut cx, mut cy) = (0.0, 0.0);
    for w in ring.windows(2) {
        let (x0, y0) = (w[0].0 - ox, w[0].1 - oy);
        let (x1, y1) = (w[1].0 - ox, w[1].1 - oy);
        let cross = x0 * y1 - x1 * y0;
        cx += (x0 + x1) * cross;
        cy += (y0 + y1) * cross;
    }
    Some((
        round6(ox + cx / (6.0 * area)),
        round6(oy + cy / (6.0 * area)),
    ))
}

/// A closed ring as a GeoJSON Polygon geometry value.
pub fn polygon_geojson(ring: &[Point]) -> serde_json::Value {
    let coordinates: Vec<serde_json::Value> = ring
        .iter()
        .map(|&(lon, lat)| serde_json::json!([lon, lat]))
        .collect();
    // "coordinates" goes in first on purpose: then the key order is the same whether serde_json
    // keeps maps sorted or in insertion order (its `preserve_order` feature), and so is the output.
    let mut object = serde_json::Map::new();
    object.insert(
        "coordinates".to_owned(),
        serde_json::Value::Array(vec![serde_json::Value::Array(coordinates)]),
    );
    object.insert("type".to_owned(), serde_json::Value::from("Polygon"));
    serde_json::Value::Object(object)
}

/// Reads the outer ring back from a GeoJSON Polygon value.
#[cfg(test)]
pub fn ring_of(geometry: &serde_json::Value) -> Vec<Point> {
    geometry["coordinates"][0]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
        .collect()
}

/// Whether a point lies strictly inside a closed ring (even-odd ray casting; a point on an edge may
/// go either way, so callers test points well inside).
#[cfg(test)]
pub fn contains(ring: &[Point], p: Point) -> bool {
    let mut inside = false;
    for w in ring.windows(2) {
        let (a, b) = (w[0], w[1]);
        if (a.1 > p.1) != (b.1 > p.1) {
            let x_cross = a.0 + (p.1 - a.1) * (b.0 - a.0) / (b.1 - a.1);
            if p.0 < x_cross {
                inside = !inside;
            }
        }
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(cols: usize, rows: usize) -> Lattice {
        Lattice::jittered(
            cols,
            rows,
            (0.0, 0.0),
            (1.0, 1.0),
            0.0,
            &mut SplitMix64::new(1),
        )
    }

    #[test]
    fn a_single_cell_is_a_closed_ccw_unit_square() {
        let ring = plain(2, 2).block_ring(&[(1, 0)]).unwrap();
        assert_eq!(
            ring,
            vec![(1.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 1.0), (1.0, 0.0)]
        );
        assert_eq!(signed_area(&ring), 1.0);
        assert_eq!(centroid(&ring), Some((1.5, 0.5)));
    }

    #[test]
    fn an_l_block_keeps_every_boundary_vertex() {
        let ring = plain(3, 3).block_ring(&[(0, 0), (1, 0), (0, 1)]).unwrap();
        assert_eq!(
            ring.len(),
            9,
            "8 unit edges around an L tromino, plus the closing point"
        );
        assert_eq!(signed_area(&ring), 3.0);
        assert!(contains(&ring, (0.5, 1.5)));
        assert!(!contains(&ring, (1.5, 1.5)));
    }

    #[test]
    fn rejects_holes_pinches_and_pieces() {
        let lattice = plain(3, 3);
        let ring_with_hole: Vec<Cell> = (0..3)
            .flat_map(|x| (0..3).map(move |y| (x, y)))
            .filter(|&c| c != (1, 1))
            .collect();
        assert_eq!(lattice.block_ring(&ring_with_hole), None);
        assert_eq!(lattice.block_ring(&[(0, 0), (1, 1)]), None, "corner touch");
        assert_eq!(lattice.block_ring(&[(0, 0), (2, 0)]), None, "two pieces");
        assert_eq!(lattice.block_ring(&[(3, 0)]), None, "outside");
        assert_eq!(lattice.block_ring(&[]), None);
    }

    #[test]
    fn jittered_cells_tile_their_block_exactly_for_any_seed() {
        // A property over many seeds: with jitter below half a cell, each cell stays a
        // counter-clockwise quadrilateral and the cells' areas add up to their block's.
        for seed in 0..200 {
            let mut rng = SplitMix64::new(seed);
            let lattice = Lattice::jittered(5, 4, (120.0, 30.0), (0.008, 0.005), 0.45, &mut rng);
            let cells: Vec<Cell> = (0..5).flat_map(|x| (0..4).map(move |y| (x, y))).collect();
            let whole = signed_area(&lattice.block_ring(&cells).unwrap());
            let mut parts = 0.0;
            for &cell in &cells {
                let ring = lattice.block_ring(&[cell]).unwrap();
                assert_eq!(ring.len(), 5);
                assert!(signed_area(&ring) > 0.0, "seed {seed} cell {cell:?}");
                for (fx, fy) in [(0.46, 0.46), (0.54, 0.46), (0.54, 0.54), (0.46, 0.54)] {
                    let inner = lattice.nominal_point(cell, fx, fy);
                    assert!(contains(&ring, inner), "seed {seed} cell {cell:?}");
                }
                parts += signed_area(&ring);
            }
            assert!(((whole - parts) / whole).abs() < 1e-9, "seed {seed}");
        }
    }

    #[test]
    fn geojson_is_a_polygon_with_coordinates_first() {
        let ring = plain(1, 1).block_ring(&[(0, 0)]).unwrap();
        let text = serde_json::to_string(&polygon_geojson(&ring)).unwrap();
        assert_eq!(
            text,
            r#"{"coordinates":[[[0.0,0.0],[1.0,0.0],[1.0,1.0],[0.0,1.0],[0.0,0.0]]],"type":"Polygon"}"#
        );
        assert_eq!(ring_of(&polygon_geojson(&ring)), ring);
    }
}
