//! Lays the plan onto a jittered lattice: the region tree of 临江市 with codes, names, populations and polygons.

use super::DemoRegion;
use super::geometry::{self, Cell, Lattice, Point};
use super::plan::{self, DistrictSpec, IndustrySpec, StreetSpec};
use super::prng::SplitMix64;
use fengqiao_domain::region::{GridKind, RegionLevel};

const GEOMETRY_SEED: u64 = 0x6C69_6E6A_6961_6E67;
const POPULATION_SEED: u64 = 0x7265_6E6B_6F75_0001;
/// How far (in cell sizes) a lattice point may move; below 0.5 keeps every cell simple.
const JITTER: f64 = 0.25;
/// The largest industry-grid radius (in cell sizes) that surely stays inside its cell.
const MAX_OVERLAY_RADIUS: f64 = 0.5 - JITTER;
/// The eight compass directions, counter-clockwise from east. A table rather than `sin`/`cos`,
/// whose last bits may differ between platforms' maths libraries, which would change the output.
const OCTAGON: [(f64, f64); 8] = {
    use std::f64::consts::FRAC_1_SQRT_2 as D;
    [
        (1.0, 0.0),
        (D, D),
        (0.0, 1.0),
        (-D, D),
        (-1.0, 0.0),
        (-D, -D),
        (0.0, -1.0),
        (D, -D),
    ]
};
const GRID_NUMERALS: [&str; 5] = ["第一网格", "第二网格", "第三网格", "第四网格", "第五网格"];

/// The whole region tree, parents before children (city, then each district followed by its subtree).
pub fn build() -> Vec<DemoRegion> {
    let map_rows = plan::BLOCK_MAP.len();
    let map_cols = plan::BLOCK_MAP
        .iter()
        .map(|r| r.chars().count())
        .max()
        .unwrap_or(0);
    let rows = map_rows * plan::BLOCK_ROWS;
    let cols = map_cols * plan::BLOCK_COLS;
    let mut geometry_rng = SplitMix64::new(GEOMETRY_SEED);
    let lattice = Lattice::jittered(
        cols,
        rows,
        plan::ORIGIN,
        plan::CELL_SIZE,
        JITTER,
        &mut geometry_rng,
    );
    let mut builder = Builder {
        lattice,
        rows,
        geometry_rng,
        population_rng: SplitMix64::new(POPULATION_SEED),
        regions: Vec::new(),
    };
    let city_cells: Vec<Cell> = (0..cols)
        .flat_map(|x| (0..rows).map(move |y| (x, y)))
        .collect();
    let city_index = builder.push(
        plan::CITY_CODE,
        plan::CITY_NAME,
        RegionLevel::City,
        None,
        &city_cells,
    );
    let mut city_population = 0;
    for district in &plan::DISTRICTS {
        city_population += builder.district(district);
    }
    builder.set_population(city_index, city_population);
    builder.regions
}

struct Builder {
    lattice: Lattice,
    rows: usize,
    geometry_rng: SplitMix64,
    population_rng: SplitMix64,
    regions: Vec<DemoRegion>,
}

impl Builder {
    /// Pushes a region whose polygon is the outline of `cells`, returning its index.
    fn push(
        &mut self,
        code: &str,
        name: &str,
        level: RegionLevel,
        parent: Option<&str>,
        cells: &[Cell],
    ) -> usize {
        let ring = self.lattice.block_ring(cells);
        self.push_ring(code, name, level, parent, ring)
    }

    fn push_ring(
        &mut self,
        code: &str,
        name: &str,
        level: RegionLevel,
        parent: Option<&str>,
        ring: Option<Vec<Point>>,
    ) -> usize {
        self.regions.push(DemoRegion {
            code: code.to_owned(),
            name: name.to_owned(),
            level,
            parent_code: parent.map(str::to_owned),
            grid_kind: None,
            population: None,
            geometry: ring.as_deref().map(geometry::polygon_geojson),
            centroid: ring.as_deref().and_then(geometry::centroid),
        });
        self.regions.len() - 1
    }

    fn set_population(&mut self, index: usize, population: i64) {
        if let Some(region) = self.regions.get_mut(index) {
            region.population = Some(population);
        }
    }

    /// The lattice cells of the blocks marked with `letter`, with the blocks in map order.
    fn blocks_of(&self, letter: char) -> Vec<Vec<Cell>> {
        let mut blocks = Vec::new();
        for (map_row, line) in plan::BLOCK_MAP.iter().enumerate() {
            for (map_col, mark) in line.chars().enumerate() {
                if mark != letter {
                    continue;
                }
                // Map rows run from the north; lattice rows from the south.
                let top = self.rows - map_row * plan::BLOCK_ROWS;
                let block = (0..plan::BLOCK_ROWS)
                    .flat_map(|down| {
                        (0..plan::BLOCK_COLS).map(move |across| {
                            (map_col * plan::BLOCK_COLS + across, top - 1 - down)
                        })
                    })
                    .collect();
                blocks.push(block);
            }
        }
        blocks
    }

    fn district(&mut self, district: &DistrictSpec) -> i64 {
        let cells: Vec<Cell> = district
            .streets
            .iter()
            .flat_map(|s| self.blocks_of(s.letter).concat())
            .collect();
        let index = self.push(
            district.code,
            district.name,
            RegionLevel::District,
            Some(plan::CITY_CODE),
            &cells,
        );
        let mut population = 0;
        let (mut street_number, mut town_number) = (0, 0);
        for street in district.streets {
            let counter = if plan::street_suffix_base(street.name) == 0 {
                &mut street_number
            } else {
                &mut town_number
            };
            *counter += 1;
            let code = format!(
                "{}{:03}",
                district.code,
                plan::street_suffix_base(street.name) + *counter
            );
            population += self.street(district.code, &code, street);
        }
        self.set_population(index, population);
        population
    }

    fn street(&mut self, district_code: &str, code: &str, street: &StreetSpec) -> i64 {
        let blocks = self.blocks_of(street.letter);
        let index = self.push(
            code,
            street.name,
            RegionLevel::Street,
            Some(district_code),
            &blocks.concat(),
        );
        // Each block holds two interlocking P-shaped communities; which corner of the middle row the
        // northern one keeps is drawn at random, so the pattern does not repeat.
        let pieces: Vec<Vec<Cell>> = blocks
            .iter()
            .flat_map(|block| {
                let keep_west = self.geometry_rng.next_u64().is_multiple_of(2);
                split_block(block, keep_west)
            })
            .collect();
        let mut population = 0;
        let (mut neighbourhoods, mut villages) = (0, 0);
        for (name, cells) in street.communities.iter().zip(pieces) {
            let base = plan::community_suffix_base(name);
            let counter = if base == 0 {
                &mut neighbourhoods
            } else {
                &mut villages
            };
            *counter += 1;
            let community_code = format!("{code}{:03}", base + *counter);
            population += self.community(code, &community_code, name, &cells);
        }
        self.set_population(index, population);
        population
    }

    fn community(&mut self, street_code: &str, code: &str, name: &str, cells: &[Cell]) -> i64 {
        let index = self.push(code, name, RegionLevel::Community, Some(street_code), cells);
        // Villages are smaller than urban communities; both stay within 3,000–12,000 people.
        let population = if name.ends_with('村') {
            self.population_rng.range(3_000, 6_001)
        } else {
            self.population_rng.range(4_500, 12_001)
        } as i64;
        self.set_population(index, population);
        let shares = split_population(population, cells.len(), &mut self.population_rng);
        for (number, ((cell, share), numeral)) in
            cells.iter().zip(shares).zip(GRID_NUMERALS).enumerate()
        {
            let grid_code = format!("{code}{:03}", number + 1);
            let grid = self.push(
                &grid_code,
                &format!("{name}{numeral}"),
                RegionLevel::Grid,
                Some(code),
                &[*cell],
            );
            if let Some(region) = self.regions.get_mut(grid) {
                region.grid_kind = Some(GridKind::Territorial);
                region.population = Some(share);
            }
        }
        let overlays = plan::INDUSTRY_GRIDS.iter().filter(|s| s.community == name);
        for (number, spec) in overlays.enumerate() {
            let ring = cells
                .get(spec.cell)
                .and_then(|&cell| self.industry_ring(cell, spec));
            let grid_code = format!("{code}{:03}", 901 + number);
            let grid = self.push_ring(
                &grid_code,
                &format!("{}专属网格", spec.name),
                RegionLevel::Grid,
                Some(code),
                ring,
            );
            // An overlay's people are already counted in the territorial grids under it.
            if let Some(region) = self.regions.get_mut(grid) {
                region.grid_kind = Some(spec.kind);
            }
        }
        population
    }

    /// An irregular octagon around the middle of one cell, inside it because it keeps within
    /// [`MAX_OVERLAY_RADIUS`] of the middle (see [`Lattice::nominal_point`]).
    fn industry_ring(&mut self, cell: Cell, spec: &IndustrySpec) -> Option<Vec<Point>> {
        let radius = spec.radius.min(MAX_OVERLAY_RADIUS);
        let mut ring = Vec::with_capacity(9);
        for (dx, dy) in OCTAGON {
            let r = radius * (0.75 + 0.25 * self.geometry_rng.next_f64());
            ring.push(self.lattice.nominal_point(cell, 0.5 + r * dx, 0.5 + r * dy));
        }
        ring.push(*ring.first()?);
        Some(ring)
    }
}

/// Splits a 2 × 5 block (cells listed north to south, west to east) into two P-pentominoes: the
/// northern one takes the top two rows and one cell of the middle row, the southern one the rest.
/// Each piece's cells come back north to south, west to east, which is the grid numbering order.
fn split_block(block: &[Cell], keep_west: bool) -> [Vec<Cell>; 2] {
    let middle_kept = if keep_west { 4 } else { 5 };
    let mut north = Vec::with_capacity(5);
    let mut south = Vec::with_capacity(5);
    for (position, &cell) in block.iter().enumerate() {
        if position < 4 || position == middle_kept {
            north.push(cell);
        } else {
            south.push(cell);
        }
    }
    [north, south]
}

/// Splits `total` people over `parts` grids with uneven but plausible shares that add up exactly.
fn split_population(total: i64, parts: usize, rng: &mut SplitMix64) -> Vec<i64> {
    let weights: Vec<i64> = (0..parts).map(|_| rng.range(60, 141) as i64).collect();
    let weight_sum: i64 = weights.iter().sum::<i64>().max(1);
    let mut shares: Vec<i64> = weights.iter().map(|w| total * w / weight_sum).collect();
    let assigned: i64 = shares.iter().sum();
    if let Some(last) = shares.last_mut() {
        *last += total - assigned;
    }
    shares
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_splits_into_two_interlocking_fives() {
        let block: Vec<Cell> = (0..5)
            .flat_map(|down| (0..2).map(move |x| (x, 4 - down)))
            .collect();
        let [north, south] = split_block(&block, true);
        assert_eq!(north, vec![(0, 4), (1, 4), (0, 3), (1, 3), (0, 2)]);
        assert_eq!(south, vec![(1, 2), (0, 1), (1, 1), (0, 0), (1, 0)]);
        let [north, _] = split_block(&block, false);
        assert_eq!(north[4], (1, 2));
    }

    #[test]
    fn population_shares_add_up() {
        let mut rng = SplitMix64::new(3);
        for total in [3_000, 7_777, 12_000] {
            let shares = split_population(total, 5, &mut rng);
            assert_eq!(shares.len(), 5);
            assert_eq!(shares.iter().sum::<i64>(), total);
            assert!(shares.iter().all(|&s| s > total / 10), "{shares:?}");
        }
    }

    #[test]
    fn every_block_on_the_map_belongs_to_a_street_with_enough_names() {
        let mut letters: Vec<char> = plan::BLOCK_MAP.concat().chars().collect();
        letters.sort_unstable();
        letters.dedup();
        let streets: Vec<&StreetSpec> = plan::DISTRICTS.iter().flat_map(|d| d.streets).collect();
        assert_eq!(letters.len(), streets.len());
        for street in streets {
            let blocks = plan::BLOCK_MAP.concat().matches(street.letter).count();
            assert!(blocks > 0, "{} has no block", street.name);
            assert_eq!(street.communities.len(), 2 * blocks, "{}", street.name);
        }
    }
}
