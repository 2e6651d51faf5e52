//! Demo IoT data for 临江市: readers at communities and grids, a few hundred vehicles with anti-theft
//! tags (some with GT06 trackers), owners with their own tags, one vehicle reported stolen, a
//! school fence; and a feed that keeps the live map moving while the demo runs.

use crate::demo_city::{DemoCity, DemoRegion};
use crate::seed::demo_id;
use fengqiao_domain::identifiers::MobileNumber;
use fengqiao_domain::region::RegionLevel;
use fengqiao_domain::time::Timestamp;
use fengqiao_iot::Hub;
use fengqiao_store::iot::{
    NewDevice, NewFence, NewOwner, NewReader, NewVehicle, PositionRecord, ScheduleWindow,
    create_device_in, create_owner_in, create_reader_in, create_vehicle_in,
};
use fengqiao_store::{AuditCtx, FieldCipher, Scope, Store};

pub const VEHICLES: usize = 300;
/// The vehicle reported stolen in the demo, and its tag.
pub const STOLEN_PLATE: &str = "临A·D0007";
pub const STOLEN_TAG: &str = "TAG00007";
/// The webhook secret the demo configures (printed by `fengqiao demo`).
pub const DEMO_WEBHOOK_TOKEN: &str = "demo-video-token";

/// SplitMix64: the same numbers on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
];
const GIVEN: [&str; 12] = [
    "建国", "秀英", "志强", "丽娟", "海峰", "晓明", "桂兰", "国庆", "美玲", "伟", "芳", "磊",
];

fn e6(v: f64) -> i64 {
    (v * 1e6).round() as i64
}

/// The reader sites: every community, then grids, each with its centroid.
fn reader_sites(city: &DemoCity) -> Vec<&DemoRegion> {
    let mut sites: Vec<&DemoRegion> = city
        .regions
        .iter()
        .filter(|r| r.level == RegionLevel::Community && r.centroid.is_some())
        .collect();
    sites.extend(
        city.regions
            .iter()
            .filter(|r| r.level == RegionLevel::Grid && r.centroid.is_some())
            .step_by(5),
    );
    sites
}

pub struct IotSummary {
    pub readers: usize,
    pub vehicles: usize,
    pub devices: usize,
}

/// The tag identifier of demo vehicle `i`.
pub fn tag_of(i: usize) -> String {
    format!("TAG{i:05}")
}

/// The GT06 IMEI of demo vehicle `i` (every fifth vehicle has a tracker).
pub fn imei_of(i: usize) -> String {
    format!("8647170{i:08}")
}

/// Writes the demo registry in one transaction (all or nothing), audited as the system.
pub async fn seed(
    store: &Store,
    cipher: &FieldCipher,
    city: &DemoCity,
    at: Timestamp,
) -> anyhow::Result<IotSummary> {
    let ctx = AuditCtx::system(at);
    let all = Scope::Everything;
    let sites = reader_sites(city);
    let mut rng = Rng(0x1f07_2026);
    let mut tx = store.begin().await?;
    for (i, site) in sites.iter().enumerate() {
        let Some((lon, lat)) = site.centroid else {
            continue;
        };
        create_reader_in(
            &mut tx,
            &ctx,
            &all,
            &demo_id(&format!("reader:{i}")),
            &NewReader {
                code: format!("R{:04}", i + 1),
                name: format!("{}基站", site.name),
                lat_e6: e6(lat),
                lon_e6: e6(lon),
                radius_m: 150,
                address: site.name.clone(),
                region_code: site.code.clone(),
            },
        )
        .await?;
    }
    let mut devices = 0;
    for i in 1..=VEHICLES {
        let pick = rng.below(sites.len() as u64) as usize;
        // The stolen one lives in 江城区's first community, where the demo's commander looks.
        let site = sites[if i == 7 { 0 } else { pick }];
        let owner_id = demo_id(&format!("owner:{i}"));
        let name = format!(
            "{}{}",
            SURNAMES[rng.below(12) as usize],
            GIVEN[rng.below(12) as usize]
        );
        let phone = MobileNumber::parse(&format!("139{:08}", 57_000_000 + i * 37))
            .map_err(|e| anyhow::anyhow!("demo phone: {e}"))?;
        create_owner_in(
            &mut tx,
            &ctx,
            &all,
            cipher,
            &owner_id,
            &NewOwner {
                name,
                phone: Some(phone),
                id_number: None,
                region_code: site.code.clone(),
            },
        )
        .await?;
        let vehicle_id = demo_id(&format!("vehicle:{i}"));
        let plate = if i == 7 {
            STOLEN_PLATE.to_owned()
        } else {
            format!("临A·{}{i:04}", ["D", "E", "F"][i % 3])
        };
        create_vehicle_in(
            &mut tx,
            &ctx,
            &all,
            &vehicle_id,
            &NewVehicle {
                plate,
                kind: if i % 3 == 0 { "motorcycle" } else { "e_bike" }.into(),
                description: String::new(),
                owner_id: Some(owner_id),
                region_code: site.code.clone(),
            },
        )
        .await?;
        let mut add = async |ident: String, protocol: &str, role: &str| {
            devices += 1;
            create_device_in(
                &mut tx,
                &ctx,
                &all,
                &demo_id(&format!("device:{ident}")),
                &NewDevice {
                    identifier: ident,
                    protocol: protocol.into(),
                    role: role.into(),
                    vehicle_id: Some(vehicle_id.clone()),
                    region_code: site.code.clone(),
                },
            )
            .await
        };
        add(tag_of(i), "tag", "vehicle").await?;
        if i % 5 == 0 {
            add(imei_of(i), "gt06", "vehicle").await?;
        }
        if i % 3 == 1 {
            add(format!("OWN{i:05}"), "tag", "owner_tag").await?;
        }
    }
    tx.commit().await?;
    store
        .set_iot_vehicle_stolen(
            &ctx,
            &all,
            &demo_id("vehicle:7"),
            true,
            Some("车主报案：2026年11月22日晨在鼓楼小区楼下被盗（演示）"),
        )
        .await?;
    // A fence round the first community's centre, armed on school days.
    if let Some((lon, lat)) = sites.first().and_then(|s| s.centroid) {
        let d = 0.004;
        store
            .create_iot_fence(
                &ctx,
                &all,
                &demo_id("fence:school"),
                &NewFence {
                    name: "临江一小上学时段".into(),
                    polygon: vec![
                        [lon - d, lat - d],
                        [lon + d, lat - d],
                        [lon + d, lat + d],
                        [lon - d, lat + d],
                    ],
                    schedule: vec![ScheduleWindow {
                        days: vec![1, 2, 3, 4, 5],
                        from: "07:00".into(),
                        to: "17:30".into(),
                    }],
                    trigger_on: "enter".into(),
                    level: "yellow".into(),
                    region_code: sites.first().map(|s| s.code.clone()).unwrap_or_default(),
                },
            )
            .await?;
    }
    Ok(IotSummary {
        readers: sites.len(),
        vehicles: VEHICLES,
        devices,
    })
}

/// Keeps the demo alive: every second a handful of tags pass readers and the trackers move a
/// little, through the hub like real input (so the stolen vehicle's sightings raise its alert).
pub fn spawn_feed(hub: Hub, city: &DemoCity) -> tokio::task::JoinHandle<()> {
    let sites: Vec<(String, i64, i64)> = reader_sites(city)
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            s.centroid
                .map(|(lon, lat)| (format!("R{:04}", i + 1), e6(lat), e6(lon)))
        })
        .collect();
    tokio::spawn(async move {
        let mut rng = Rng(0xfeed);
        let mut tick: u64 = 0;
        let mut interval = tokio::time::interval(std::time::Duration::from_secs(1));
        loop {
            interval.tick().await;
            tick += 1;
            let now = hub.now().as_micros();
            // The stolen motorcycle passes a reader every 20 seconds, moving through the first
            // six communities (江城区).
            let mut batch: Vec<(String, usize)> = Vec::new();
            if tick % 20 == 1 {
                batch.push((
                    STOLEN_TAG.to_owned(),
                    (tick / 20) as usize % sites.len().clamp(1, 6),
                ));
            }
            for _ in 0..8 {
                let i = 1 + rng.below(VEHICLES as u64) as usize;
                if i != 7 {
                    batch.push((tag_of(i), rng.below(sites.len() as u64) as usize));
                }
            }
            for (tag, site) in batch {
                let Some((code, lat, lon)) = sites.get(site) else {
                    continue;
                };
                let raw = serde_json::json!({ "tag": tag, "reader": code, "rssi": -60 })
                    .to_string()
                    .into_bytes();
                hub.ingest_position(PositionRecord {
                    device_key: tag,
                    at: now,
                    received_at: now,
                    lat_e6: *lat,
                    lon_e6: *lon,
                    speed_kmh_x10: None,
                    course: None,
                    source: "sighting",
                    reader_code: Some(code.clone()),
                    signal: Some(-60),
                    checksum_ok: true,
                    raw,
                })
                .await;
            }
            // Trackers drive small loops around their home reader.
            for i in (5..=VEHICLES).step_by(5) {
                let Some((_, lat, lon)) = sites.get(i % sites.len().max(1)) else {
                    continue;
                };
                let phase = (tick as f64 / 30.0) + i as f64;
                let (lat, lon) = (
                    lat + (phase.sin() * 3000.0) as i64,
                    lon + (phase.cos() * 3000.0) as i64,
                );
                // The exact frame such a tracker would send, kept as the position's raw bytes.
                let time = Timestamp::from_micros(now - now % 1_000_000).to_datetime();
                let fix = fengqiao_iot::sim::gt06_fix(time, lat, lon, 25);
                let raw = fengqiao_proto::gt06::encode_gps(
                    &fix,
                    &fengqiao_proto::gt06::CellInfo {
                        mcc: 460,
                        mnc: 0,
                        lac: 0x2201,
                        cell_id: 0x1001,
                    },
                    (tick % 0xFFFF) as u16,
                );
                hub.ingest_position(PositionRecord {
                    device_key: imei_of(i),
                    at: fix.time.timestamp_micros(),
                    received_at: now,
                    lat_e6: i64::from(fix.lat.to_micro_degrees()),
                    lon_e6: i64::from(fix.lon.to_micro_degrees()),
                    speed_kmh_x10: Some(250),
                    course: Some(((phase * 57.3) as i64).rem_euclid(360)),
                    source: "gt06",
                    reader_code: None,
                    signal: None,
                    checksum_ok: true,
                    raw,
                })
                .await;
            }
        }
    })
}
