//! Distances and point-in-polygon on micro-degree coordinates: enough geometry for readers'
//! radii, owner-tag proximity and fences (city scale, where the sphere is flat enough).

/// Great-circle distance in metres between two (lat, lon) points in micro-degrees.
pub fn distance_m(lat1_e6: i64, lon1_e6: i64, lat2_e6: i64, lon2_e6: i64) -> f64 {
    const R: f64 = 6_371_000.0;
    let to_rad = |e6: i64| (e6 as f64 / 1e6).to_radians();
    let (p1, p2) = (to_rad(lat1_e6), to_rad(lat2_e6));
    let dp = p2 - p1;
    let dl = to_rad(lon2_e6) - to_rad(lon1_e6);
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * R * a.sqrt().asin()
}

/// A polygon as (lon, lat) micro-degree vertices with its bounding box for a quick reject.
#[derive(Debug, Clone, PartialEq)]
pub struct Polygon {
    ring: Vec<(i64, i64)>,
    min: (i64, i64),
    max: (i64, i64),
}

impl Polygon {
    /// From [lon, lat] degree pairs; None for fewer than three vertices.
    pub fn from_degrees(points: &[[f64; 2]]) -> Option<Self> {
        let ring: Vec<(i64, i64)> = points
            .iter()
            .map(|[lon, lat]| ((lon * 1e6).round() as i64, (lat * 1e6).round() as i64))
            .collect();
        if ring.len() < 3 {
            return None;
        }
        let min = ring
            .iter()
            .fold((i64::MAX, i64::MAX), |m, p| (m.0.min(p.0), m.1.min(p.1)));
        let max = ring
            .iter()
            .fold((i64::MIN, i64::MIN), |m, p| (m.0.max(p.0), m.1.max(p.1)));
        Some(Self { ring, min, max })
    }

    /// Even-odd ray casting; points on an edge may fall either way.
    pub fn contains(&self, lat_e6: i64, lon_e6: i64) -> bool {
        let (x, y) = (lon_e6, lat_e6);
        if x < self.min.0 || x > self.max.0 || y < self.min.1 || y > self.max.1 {
            return false;
        }
        let mut inside = false;
        let n = self.ring.len();
        let mut j = n - 1;
        for i in 0..n {
            let (xi, yi) = self.ring[i];
            let (xj, yj) = self.ring[j];
            if (yi > y) != (yj > y) {
                // x-coordinate of the edge at height y, in i128 to keep micro-degree products exact.
                let cross = i128::from(xj - xi) * i128::from(y - yi);
                let dy = i128::from(yj - yi);
                let x_at = i128::from(xi) + cross / dy;
                if i128::from(x) < x_at {
                    inside = !inside;
                }
            }
            j = i;
        }
        inside
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_are_about_right() {
        // 0.001 degree of latitude is about 111 m.
        let d = distance_m(30_000_000, 120_000_000, 30_001_000, 120_000_000);
        assert!((d - 111.19).abs() < 0.5, "{d}");
        assert_eq!(distance_m(1, 2, 1, 2), 0.0);
    }

    #[test]
    fn polygon_contains() {
        let square = Polygon::from_degrees(&[
            [120.0, 30.0],
            [120.01, 30.0],
            [120.01, 30.01],
            [120.0, 30.01],
        ])
        .unwrap();
        assert!(square.contains(30_005_000, 120_005_000));
        assert!(!square.contains(30_015_000, 120_005_000));
        assert!(!square.contains(30_005_000, 119_999_000));
        assert!(Polygon::from_degrees(&[[1.0, 1.0], [2.0, 2.0]]).is_none());
    }
}
