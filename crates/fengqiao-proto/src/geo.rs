//! Exact coordinates as the protocols send them, with degrees as f64 only for display.

/// An angle kept as the integer the device sent: `raw / units_per_degree` degrees, sign included.
///
/// GT06 counts 1/1,800,000 degree (minutes × 30,000); JT/T 808 counts micro-degrees. Keeping the raw
/// integer means a stored record can be compared with its frame bit for bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Angle {
    pub raw: i32,
    pub units_per_degree: u32,
}

/// GT06 coordinate unit: 1/1,800,000 degree.
pub const GT06_UNITS_PER_DEGREE: u32 = 1_800_000;
/// JT/T 808 coordinate unit: 1/1,000,000 degree.
pub const JT808_UNITS_PER_DEGREE: u32 = 1_000_000;

impl Angle {
    pub fn gt06(raw: i32) -> Self {
        Self {
            raw,
            units_per_degree: GT06_UNITS_PER_DEGREE,
        }
    }

    pub fn micro_degrees(raw: i32) -> Self {
        Self {
            raw,
            units_per_degree: JT808_UNITS_PER_DEGREE,
        }
    }

    /// Degrees for display and JSON only; store `raw`.
    pub fn degrees(self) -> f64 {
        f64::from(self.raw) / f64::from(self.units_per_degree.max(1))
    }

    /// The angle in micro-degrees, rounded half away from zero, for a protocol-neutral integer form.
    pub fn to_micro_degrees(self) -> i32 {
        let units = i64::from(self.units_per_degree.max(1));
        let scaled = i64::from(self.raw) * 1_000_000;
        let half = units / 2;
        let rounded = if scaled >= 0 {
            (scaled + half) / units
        } else {
            (scaled - half) / units
        };
        i32::try_from(rounded).unwrap_or(if rounded > 0 { i32::MAX } else { i32::MIN })
    }

    /// Whether the absolute value is at most `limit_degrees` (90 for latitude, 180 for longitude).
    pub fn within(self, limit_degrees: u32) -> bool {
        i64::from(self.raw).unsigned_abs()
            <= u64::from(limit_degrees) * u64::from(self.units_per_degree)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gt06_units_convert_to_degrees_and_micro_degrees() {
        let lat = Angle::gt06(0x027A_C7FD);
        assert!((lat.degrees() - 23.111_678_3).abs() < 1e-7);
        assert_eq!(lat.to_micro_degrees(), 23_111_678);
        assert_eq!(Angle::gt06(-0x027A_C7FD).to_micro_degrees(), -23_111_678);
        assert_eq!(Angle::gt06(9).to_micro_degrees(), 5);
    }

    #[test]
    fn micro_degrees_are_exact() {
        let lon = Angle::micro_degrees(114_032_984);
        assert_eq!(lon.to_micro_degrees(), 114_032_984);
        assert!(lon.within(180));
        assert!(!lon.within(90));
        assert!(Angle::gt06(162_000_000).within(90));
        assert!(!Angle::gt06(162_000_001).within(90));
    }
}
