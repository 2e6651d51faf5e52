//! Checks of the demo territory: codes, the tree, populations and polygons.

use super::super::geometry::{Point, contains, signed_area};
use super::super::*;
use super::{children, region_map, ring, territorial};
use fengqiao_domain::region::validate_code;
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn codes_fit_their_parents_and_parents_come_first() {
    let city = generate();
    let mut seen: BTreeMap<&str, RegionLevel> = BTreeMap::new();
    for region in &city.regions {
        let parent = region.parent_code.as_deref().map(|p| {
            let level = seen
                .get(p)
                .unwrap_or_else(|| panic!("{p} not before {}", region.code));
            (p, *level)
        });
        validate_code(&region.code, region.level, parent)
            .unwrap_or_else(|e| panic!("{} {}: {e}", region.code, region.name));
        assert!(
            seen.insert(&region.code, region.level).is_none(),
            "{}",
            region.code
        );
        assert_eq!(
            region.grid_kind.is_some(),
            region.level == RegionLevel::Grid
        );
    }
    let by_name: BTreeMap<&str, &str> = city
        .regions
        .iter()
        .map(|r| (r.name.as_str(), r.code.as_str()))
        .collect();
    assert_eq!(by_name["临江市"], "339900");
    assert_eq!(by_name["江城区"], "339902");
    assert_eq!(by_name["桐山县"], "339921");
    assert_eq!(by_name["鼓楼街道"], "339902001");
    assert_eq!(by_name["青石镇"], "339921102");
    assert_eq!(by_name["鼓楼社区"], "339902001001");
    assert_eq!(by_name["下湾村"], "339921101201");
    assert_eq!(by_name["鼓楼社区第一网格"], "339902001001001");
    assert_eq!(by_name["临江市第一人民医院专属网格"], "339902001004901");
}

#[test]
fn populations_are_plausible_and_add_up_the_tree() {
    let city = generate();
    for region in &city.regions {
        let kids: Vec<&DemoRegion> = children(&city, &region.code)
            .into_iter()
            .filter(|c| c.level != RegionLevel::Grid || territorial(c))
            .collect();
        match region.level {
            RegionLevel::Grid if !territorial(region) => assert_eq!(region.population, None),
            RegionLevel::Grid => assert!(region.population.unwrap() > 0),
            _ => {
                let sum: i64 = kids.iter().map(|c| c.population.unwrap()).sum();
                assert_eq!(region.population, Some(sum), "{}", region.name);
            }
        }
        if region.level == RegionLevel::Community {
            assert!(
                (3_000..=12_000).contains(&region.population.unwrap()),
                "{}",
                region.name
            );
            assert_eq!(kids.len(), 5, "{}", region.name);
        }
    }
}

#[test]
fn polygons_are_closed_ccw_precise_and_near_the_river() {
    let city = generate();
    for region in &city.regions {
        let geometry = region
            .geometry
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no polygon", region.name));
        assert_eq!(geometry["type"], "Polygon");
        let ring = ring(region);
        assert!(ring.len() >= 4);
        assert_eq!(ring.first(), ring.last(), "{} not closed", region.name);
        assert!(
            signed_area(&ring) > 0.0,
            "{} not counter-clockwise",
            region.name
        );
        for &(lon, lat) in &ring {
            assert!(
                (120.0..=120.5).contains(&lon) && (30.0..=30.4).contains(&lat),
                "{lon},{lat}"
            );
            assert_eq!((lon * 1e6).round() / 1e6, lon);
            assert_eq!((lat * 1e6).round() / 1e6, lat);
        }
        assert!(region.centroid.is_some(), "{}", region.name);
    }
}

#[test]
fn children_tile_their_parent_exactly() {
    let city = generate();
    for region in city.regions.iter().filter(|r| r.level != RegionLevel::Grid) {
        let whole = signed_area(&ring(region));
        let kids: Vec<&DemoRegion> = children(&city, &region.code)
            .into_iter()
            .filter(|c| c.level != RegionLevel::Grid || territorial(c))
            .collect();
        let parts: f64 = kids.iter().map(|c| signed_area(&ring(c))).sum();
        assert!(
            ((whole - parts) / whole).abs() < 1e-9,
            "{}: {whole} vs {parts}",
            region.name
        );
        // Shared edges run through the same lattice points: every outline point is a child's point.
        let kid_points: BTreeSet<(u64, u64)> = kids
            .iter()
            .flat_map(|c| ring(c))
            .map(|(x, y)| (x.to_bits(), y.to_bits()))
            .collect();
        for (x, y) in ring(region) {
            assert!(
                kid_points.contains(&(x.to_bits(), y.to_bits())),
                "{}",
                region.name
            );
        }
    }
}

/// Points well inside a polygon: its centroid and the midpoints between the centroid and each vertex.
fn samples(region: &DemoRegion) -> Vec<Point> {
    let (cx, cy) = region.centroid.unwrap();
    let ring = ring(region);
    let mut points = vec![(cx, cy)];
    points.extend(
        ring.iter()
            .skip(1)
            .map(|&(x, y)| ((x + cx) / 2.0, (y + cy) / 2.0)),
    );
    points
}

#[test]
fn territorial_grids_of_a_community_do_not_overlap() {
    let city = generate();
    for community in city
        .regions
        .iter()
        .filter(|r| r.level == RegionLevel::Community)
    {
        let grids: Vec<&DemoRegion> = children(&city, &community.code)
            .into_iter()
            .filter(|g| territorial(g))
            .collect();
        for a in &grids {
            assert!(signed_area(&ring(a)) > 0.0);
            for p in samples(a) {
                assert!(contains(&ring(a), p), "{} misses its own sample", a.name);
                for b in grids.iter().filter(|b| b.code != a.code) {
                    assert!(!contains(&ring(b), p), "{} overlaps {}", a.name, b.name);
                }
            }
        }
    }
}

#[test]
fn industry_grids_lie_inside_their_community() {
    let city = generate();
    let regions = region_map(&city);
    let industry: Vec<&DemoRegion> = city
        .regions
        .iter()
        .filter(|r| r.level == RegionLevel::Grid && !territorial(r))
        .collect();
    assert!(industry.len() >= 10);
    for grid in industry {
        let community = ring(regions[grid.parent_code.as_deref().unwrap()]);
        assert!(
            contains(&community, grid.centroid.unwrap()),
            "{}",
            grid.name
        );
        for &p in &ring(grid) {
            assert!(contains(&community, p), "{} pokes out at {p:?}", grid.name);
        }
        assert!(signed_area(&ring(grid)) > 0.0);
    }
}
