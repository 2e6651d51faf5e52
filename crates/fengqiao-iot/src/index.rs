//! The in-memory matching state: a registry snapshot (devices, readers, owner tags, plates), the
//! watchlist, compiled fences and video rules. Rebuilt from the store when something changes, read
//! lock-free-ish (an `Arc` clone under a short read lock) on every record.

use crate::geo::Polygon;
use chrono::{Datelike, Timelike};
use fengqiao_domain::time::Timestamp;
use fengqiao_store::iot::ScheduleWindow;
use fengqiao_store::iot::{FenceRow, IndexDevice, IndexReader, VideoRuleRow};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone)]
pub(crate) struct Device {
    pub device_id: String,
    pub owner_tag: bool,
    pub vehicle_id: Option<String>,
    pub plate: Option<String>,
    pub region_path: String,
}

/// The registry as matching needs it.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    pub devices: HashMap<String, Device>,
    pub readers: HashMap<String, IndexReader>,
    /// vehicle id → identifiers of its owner's tags.
    pub owner_tags: HashMap<String, Vec<String>>,
    /// normalised plate → vehicle id.
    pub plates: HashMap<String, String>,
}

impl Registry {
    pub fn build(devices: Vec<IndexDevice>, readers: Vec<IndexReader>) -> Self {
        let mut r = Registry::default();
        for d in devices {
            let owner_tag = d.role == fengqiao_store::iot::ROLE_OWNER_TAG;
            if let Some(v) = &d.vehicle_id {
                if owner_tag {
                    r.owner_tags
                        .entry(v.clone())
                        .or_default()
                        .push(d.identifier.clone());
                }
                if let Some(p) = &d.plate {
                    r.plates.insert(normalise_plate(p), v.clone());
                }
            }
            r.devices.insert(
                d.identifier,
                Device {
                    device_id: d.device_id,
                    owner_tag,
                    vehicle_id: d.vehicle_id,
                    plate: d.plate,
                    region_path: d.region_path,
                },
            );
        }
        for reader in readers {
            r.readers.insert(reader.code.clone(), reader);
        }
        r
    }
}

/// Plates compare without spaces, dots or case (`浙A·12345` = `浙a12345`).
pub(crate) fn normalise_plate(plate: &str) -> String {
    plate
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '·' | '.' | '-'))
        .flat_map(char::to_uppercase)
        .collect()
}

/// The stolen-vehicle watchlist: vehicle id → (plate, registered region path).
pub(crate) type Watchlist = HashMap<String, (String, String)>;

/// A fence ready for matching.
#[derive(Debug, Clone)]
pub(crate) struct Fence {
    pub id: String,
    pub name: String,
    pub polygon: Polygon,
    /// (ISO weekdays, from minute, to minute) in China time; empty = always.
    pub windows: Vec<(HashSet<u8>, u32, u32)>,
    pub on_enter: bool,
    pub on_exit: bool,
    pub level: String,
    pub region_path: String,
}

impl Fence {
    pub fn compile(row: &FenceRow) -> Option<Self> {
        let points: Vec<[f64; 2]> = serde_json::from_str(&row.polygon_json).ok()?;
        let schedule: Vec<ScheduleWindow> =
            serde_json::from_str(&row.schedule_json).unwrap_or_default();
        Some(Self {
            id: row.id.clone(),
            name: row.name.clone(),
            polygon: Polygon::from_degrees(&points)?,
            windows: schedule
                .iter()
                .filter_map(|w| {
                    let (f, t) = w.minutes()?;
                    Some((w.days.iter().copied().collect(), f, t))
                })
                .collect(),
            on_enter: row.trigger_on != "exit",
            on_exit: row.trigger_on != "enter",
            level: row.level.clone(),
            region_path: row.region_path.clone(),
        })
    }

    /// Whether the fence is armed at `at` (China time, weekly windows).
    pub fn active_at(&self, at: Timestamp) -> bool {
        if self.windows.is_empty() {
            return true;
        }
        let local = at
            .to_datetime()
            .with_timezone(&fengqiao_domain::time::china_offset());
        let day = u8::try_from(local.weekday().number_from_monday()).unwrap_or(0);
        let minute = local.hour() * 60 + local.minute();
        self.windows
            .iter()
            .any(|(days, f, t)| days.contains(&day) && (*f..*t).contains(&minute))
    }
}

/// Video rules by event kind.
pub(crate) type Rules = HashMap<String, VideoRuleRow>;

#[cfg(test)]
mod tests {
    use super::*;

    fn fence(schedule: &str) -> Fence {
        Fence::compile(&FenceRow {
            id: "f".into(),
            name: "学校".into(),
            polygon_json: "[[120.0,30.0],[120.01,30.0],[120.01,30.01],[120.0,30.01]]".into(),
            schedule_json: schedule.into(),
            trigger_on: "enter".into(),
            level: "yellow".into(),
            region_path: "/339900/".into(),
            active: true,
        })
        .unwrap()
    }

    #[test]
    fn schedules_follow_china_time() {
        let f = fence(r#"[{"days":[1,2,3,4,5],"from":"08:00","to":"18:00"}]"#);
        // Monday 2026-03-02 09:00 China = 01:00 UTC.
        let monday_9 = Timestamp::parse_rfc3339("2026-03-02T01:00:00Z").unwrap();
        assert!(f.active_at(monday_9));
        // Monday 19:00 China.
        assert!(!f.active_at(monday_9.plus_seconds(10 * 3600)));
        // Saturday 09:00 China.
        assert!(!f.active_at(monday_9.plus_seconds(5 * 86_400)));
        assert!(f.on_enter && !f.on_exit);
        assert!(fence("[]").active_at(monday_9.plus_seconds(5 * 86_400)));
    }

    #[test]
    fn plates_normalise() {
        assert_eq!(normalise_plate("浙a·123 45"), "浙A12345");
    }
}
