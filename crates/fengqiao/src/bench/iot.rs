//! `fengqiao bench iot`: simulated GT06 trackers over loopback TCP (and, with `--mqtt-url`, a
//! gateway publishing reader sightings through the broker) feeding the real hub with storage on.
//! Reports sustained stored messages/s, process CPU, the p99 latency from a stolen vehicle's frame
//! leaving the device to its alert being committed, and decode-alone frames/s on one core.

use fengqiao_domain::region::RegionLevel;
use fengqiao_domain::time::Timestamp;
use fengqiao_iot::sim::{Gt06Device, gt06_fix};
use fengqiao_iot::{Hub, IotConfig};
use fengqiao_proto::{Protocol, Strictness, gt06, jt808};
use fengqiao_store::db::ConnectOptions;
use fengqiao_store::iot::{NewDevice, NewReader, NewVehicle};
use fengqiao_store::regions::NewRegion;
use fengqiao_store::{AuditCtx, Scope, Store};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Serialize)]
pub struct IotReport {
    pub benchmark: &'static str,
    pub backend: String,
    pub devices: usize,
    pub seconds: f64,
    /// Frames and gateway messages the clients sent in the measured window.
    pub sent: u64,
    /// Positions and messages committed to the database in the measured window, per second.
    pub stored_per_sec: f64,
    pub tcp_positions_stored: u64,
    pub mqtt_sightings_stored: u64,
    /// CPU seconds used by the whole process (server and simulated clients) per wall second.
    pub process_cpu_cores: f64,
    /// Stolen vehicle frame → alert committed.
    pub alert_samples: usize,
    pub alert_p50_ms: f64,
    pub alert_p99_ms: f64,
    pub alert_max_ms: f64,
    pub decode_gt06_frames_per_sec_one_core: f64,
    pub decode_jt808_frames_per_sec_one_core: f64,
    pub write_errors: u64,
}

fn cpu_seconds() -> f64 {
    // /proc/self/stat fields 14 and 15: user and system time in clock ticks (100 Hz on Linux).
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let after = s.rsplit_once(')')?.1.to_owned();
            let f: Vec<&str> = after.split_whitespace().collect();
            let user: f64 = f.get(11)?.parse().ok()?;
            let sys: f64 = f.get(12)?.parse().ok()?;
            Some((user + sys) / 100.0)
        })
        .unwrap_or(0.0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

/// Decodes a mix of real frames in a loop on this thread for about a second.
fn decode_rate(protocol: Protocol) -> f64 {
    let base = chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default();
    let frames: Vec<Vec<u8>> = (0..64)
        .map(|i| match protocol {
            Protocol::Gt06 => gt06::encode_gps(
                &gt06_fix(
                    base + chrono::Duration::seconds(i),
                    30_000_000 + i * 100,
                    120_000_000,
                    30,
                ),
                &gt06::CellInfo {
                    mcc: 460,
                    mnc: 0,
                    lac: 1,
                    cell_id: 2,
                },
                u16::try_from(i).unwrap_or(0),
            ),
            Protocol::Jt808 => {
                let t = jt808::Terminal {
                    phone: jt808::Phone::from_digits("13912345678", jt808::Version::V2013)
                        .unwrap_or_else(|_| unreachable!("a valid phone")),
                    version: jt808::Version::V2013,
                };
                jt808::encode_location(
                    &t,
                    u16::try_from(i).unwrap_or(0),
                    &jt808::LocationReport {
                        alarm: 0,
                        status: 2,
                        lat_e6: 30_000_000 + i32::try_from(i).unwrap_or(0),
                        lon_e6: 120_000_000,
                        altitude_m: 10,
                        speed_tenths_kmh: 300,
                        course: 90,
                        time: base + chrono::Duration::seconds(i),
                        extras: vec![(0x01, vec![0, 0, 1, 0])],
                    },
                )
            }
        })
        .collect();
    let started = Instant::now();
    let mut n: u64 = 0;
    let mut checksum: i64 = 0;
    while started.elapsed() < Duration::from_secs(1) {
        for f in &frames {
            match protocol {
                Protocol::Gt06 => {
                    if let Ok(fr) = gt06::decode_frame(f, Strictness::Strict) {
                        checksum += i64::from(fr.serial);
                    }
                }
                Protocol::Jt808 => {
                    if let Ok(fr) = jt808::decode_frame(f, Strictness::Strict) {
                        checksum += i64::from(fr.header.serial);
                    }
                }
            }
        }
        n += frames.len() as u64;
    }
    std::hint::black_box(checksum);
    n as f64 / started.elapsed().as_secs_f64()
}

const STOLEN_IMEI: &str = "864717000000007";

/// Runs the benchmark; `database_url` None means a temporary SQLite file.
pub async fn run(
    database_url: Option<String>,
    devices: usize,
    seconds: u64,
    rate_per_device: u64,
    mqtt_url: Option<String>,
) -> anyhow::Result<IotReport> {
    anyhow::ensure!(
        devices > 0 && seconds > 0,
        "devices and seconds must be positive"
    );
    let decode_gt06 = decode_rate(Protocol::Gt06);
    let decode_jt808 = decode_rate(Protocol::Jt808);

    let dir = tempfile::tempdir()?;
    let (url, schema) = match database_url {
        Some(u) if u.starts_with("postgres") => {
            (u, Some(format!("bench_{}", uuid::Uuid::now_v7().simple())))
        }
        Some(u) => (u, None),
        None => (
            format!("sqlite:{}", dir.path().join("bench.sqlite").display()),
            None,
        ),
    };
    let mut opts = ConnectOptions::new(url);
    opts.pg_schema = schema;
    opts.max_connections = 8;
    let store = Store::connect(&opts).await?;
    store.migrate().await?;
    let now = Timestamp::from_datetime(chrono::Utc::now());
    store.ensure_iot_partitions(now, 1).await?;
    let ctx = AuditCtx::system(now);
    store
        .create_region(
            &ctx,
            &Scope::Everything,
            &NewRegion {
                code: "339900".into(),
                name: "临江市".into(),
                level: RegionLevel::City,
                parent_code: None,
                grid_kind: None,
                population: None,
                geometry: None,
            },
        )
        .await?;
    store
        .create_iot_vehicle(
            &ctx,
            &Scope::Everything,
            "bench-stolen",
            &NewVehicle {
                plate: "临A·B0007".into(),
                kind: "motorcycle".into(),
                description: String::new(),
                owner_id: None,
                region_code: "339900".into(),
            },
        )
        .await?;
    store
        .create_iot_device(
            &ctx,
            &Scope::Everything,
            "bench-stolen-tracker",
            &NewDevice {
                identifier: STOLEN_IMEI.into(),
                protocol: "gt06".into(),
                role: "vehicle".into(),
                vehicle_id: Some("bench-stolen".into()),
                region_code: "339900".into(),
            },
        )
        .await?;
    store
        .create_iot_reader(
            &ctx,
            &Scope::Everything,
            "bench-reader",
            &NewReader {
                code: "R0001".into(),
                name: "基准基站".into(),
                lat_e6: 30_000_000,
                lon_e6: 120_000_000,
                radius_m: 100,
                address: String::new(),
                region_code: "339900".into(),
            },
        )
        .await?;
    store
        .set_iot_vehicle_stolen(&ctx, &Scope::Everything, "bench-stolen", true, None)
        .await?;
    let config = IotConfig {
        queue_capacity: 100_000,
        batch_max: 10_000,
        mqtt_client_id: format!("fq-bench-sub-{}", std::process::id()),
        mqtt_topic_prefix: format!("fqbench{}", std::process::id()),
        ..IotConfig::default()
    };
    let prefix = config.mqtt_topic_prefix.clone();
    let hub = Hub::start(
        store.clone(),
        config,
        Arc::new(|| Timestamp::from_datetime(chrono::Utc::now())),
        "bench".into(),
    )
    .await?;
    let (addr, listener) =
        fengqiao_iot::tcp::listen(hub.clone(), Protocol::Gt06, "127.0.0.1:0").await?;
    let addr = addr.to_string();

    let stop = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    // Whole seconds: GT06 carries device time to the second, and the alert notice's trigger
    // times are matched against the send times by exact value.
    let base = chrono::DateTime::from_timestamp(chrono::Utc::now().timestamp() - 3600, 0)
        .unwrap_or_default();
    for d in 0..devices {
        let (addr, stop, sent) = (addr.clone(), stop.clone(), sent.clone());
        tasks.push(tokio::spawn(async move {
            let imei = format!("86{:013}", 1_000_000 + d);
            let mut dev = Gt06Device::connect(&addr, &imei).await?;
            dev.login().await?;
            // Bursts of 10 frames per write, paced to the per-device rate.
            let burst = 10u64;
            let period = Duration::from_secs_f64(burst as f64 / rate_per_device.max(1) as f64);
            let mut tick = tokio::time::interval(period);
            let mut k: i64 = 0;
            let mut buf = Vec::with_capacity(512);
            while !stop.load(Ordering::Relaxed) {
                tick.tick().await;
                buf.clear();
                for _ in 0..burst {
                    k += 1;
                    let fix = gt06_fix(
                        base + chrono::Duration::milliseconds(k * 1000),
                        30_000_000 + (k % 1000) * 10,
                        120_000_000 + i64::try_from(d).unwrap_or(0) * 10,
                        30,
                    );
                    buf.extend_from_slice(&dev.position_frame(&fix));
                }
                dev.send(&buf).await?;
                sent.fetch_add(burst, Ordering::Relaxed);
            }
            anyhow::Ok(())
        }));
    }
    // The stolen tracker: one frame every 100 ms, each with its own device second.
    let sends: Arc<Mutex<HashMap<i64, Instant>>> = Arc::new(Mutex::new(HashMap::new()));
    let latencies: Arc<Mutex<Vec<f64>>> = Arc::new(Mutex::new(Vec::new()));
    let measuring = Arc::new(AtomicBool::new(false));
    {
        let mut notices = hub.subscribe_alerts();
        let (sends, latencies, measuring) = (sends.clone(), latencies.clone(), measuring.clone());
        tasks.push(tokio::spawn(async move {
            while let Ok(n) = notices.recv().await {
                let map = sends.lock().map_err(|_| anyhow::anyhow!("lock"))?;
                for at in &n.trigger_ats {
                    if let Some(t) = map.get(at)
                        && measuring.load(Ordering::Relaxed)
                        && let Ok(mut l) = latencies.lock()
                    {
                        l.push(n.committed.duration_since(*t).as_secs_f64() * 1000.0);
                    }
                }
            }
            anyhow::Ok(())
        }));
    }
    {
        let (addr, stop, sends) = (addr.clone(), stop.clone(), sends.clone());
        tasks.push(tokio::spawn(async move {
            let mut dev = Gt06Device::connect(&addr, STOLEN_IMEI).await?;
            dev.login().await?;
            let mut tick = tokio::time::interval(Duration::from_millis(100));
            let mut k: i64 = 0;
            while !stop.load(Ordering::Relaxed) {
                tick.tick().await;
                k += 1;
                let at = base + chrono::Duration::seconds(k);
                let frame = dev.position_frame(&gt06_fix(at, 30_001_000, 120_001_000, 40));
                sends
                    .lock()
                    .map_err(|_| anyhow::anyhow!("lock"))?
                    .insert(at.timestamp_micros(), Instant::now());
                dev.send(&frame).await?;
            }
            anyhow::Ok(())
        }));
    }
    let mqtt_stored = Arc::new(AtomicU64::new(0));
    if let Some(url) = mqtt_url.clone() {
        let sub_hub = hub.clone();
        let sub_url = url.clone();
        tasks.push(tokio::spawn(async move {
            fengqiao_iot::mqtt::run(sub_hub, sub_url)
                .await
                .map_err(|e| anyhow::anyhow!(e))
        }));
        let (stop, sent) = (stop.clone(), sent.clone());
        let prefix = prefix.clone();
        tasks.push(tokio::spawn(async move {
            let (host, port) = fengqiao_iot::config::parse_mqtt_url(&url).map_err(|e| anyhow::anyhow!(e))?;
            let mut o = rumqttc::MqttOptions::new(format!("fq-bench-pub-{}", std::process::id()), host, port);
            o.set_max_packet_size(1024 * 1024, 1024 * 1024);
            let (client, mut events) = rumqttc::AsyncClient::new(o, 64);
            tokio::spawn(async move { while events.poll().await.is_ok() {} });
            // Let the subscriber connect first.
            tokio::time::sleep(Duration::from_millis(500)).await;
            let mut tick = tokio::time::interval(Duration::from_millis(20));
            let mut k: u64 = 0;
            while !stop.load(Ordering::Relaxed) {
                tick.tick().await;
                let batch: Vec<serde_json::Value> = (0..100)
                    .map(|i| {
                        k += 1;
                        serde_json::json!({ "tag": format!("BT{:06}", (k + i) % 5000), "reader": "R0001", "rssi": -55 })
                    })
                    .collect();
                client
                    .publish(format!("{prefix}/sightings/gw1"), rumqttc::QoS::AtMostOnce, false, serde_json::to_vec(&batch)?)
                    .await?;
                sent.fetch_add(100, Ordering::Relaxed);
            }
            anyhow::Ok(())
        }));
    }
    let _ = &mqtt_stored;

    // Warm up, then measure.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let stats = hub.stats();
    let count = |s: &fengqiao_iot::HubStats| {
        s.stored_positions.load(Ordering::Relaxed) + s.stored_messages.load(Ordering::Relaxed)
    };
    measuring.store(true, Ordering::Relaxed);
    let (stored0, sent0, cpu0, t0) = (
        count(stats),
        sent.load(Ordering::Relaxed),
        cpu_seconds(),
        Instant::now(),
    );
    let mqtt0 = store.count_iot_sightings().await.unwrap_or(0);
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    let (stored1, sent1, cpu1, elapsed) = (
        count(stats),
        sent.load(Ordering::Relaxed),
        cpu_seconds(),
        t0.elapsed().as_secs_f64(),
    );
    measuring.store(false, Ordering::Relaxed);
    stop.store(true, Ordering::Relaxed);
    tokio::time::sleep(Duration::from_millis(300)).await;
    for t in tasks {
        t.abort();
    }
    listener.abort();
    let mqtt1 = store.count_iot_sightings().await.unwrap_or(0);
    let mut lat = latencies
        .lock()
        .map_err(|_| anyhow::anyhow!("lock"))?
        .clone();
    lat.sort_by(f64::total_cmp);
    let report = IotReport {
        benchmark: "iot",
        backend: store.backend().name().to_owned(),
        devices,
        seconds: elapsed,
        sent: sent1 - sent0,
        stored_per_sec: (stored1 - stored0) as f64 / elapsed,
        tcp_positions_stored: stats.stored_positions.load(Ordering::Relaxed),
        mqtt_sightings_stored: u64::try_from(mqtt1 - mqtt0).unwrap_or(0),
        process_cpu_cores: (cpu1 - cpu0) / elapsed,
        alert_samples: lat.len(),
        alert_p50_ms: percentile(&lat, 0.5),
        alert_p99_ms: percentile(&lat, 0.99),
        alert_max_ms: lat.last().copied().unwrap_or(0.0),
        decode_gt06_frames_per_sec_one_core: decode_gt06,
        decode_jt808_frames_per_sec_one_core: decode_jt808,
        write_errors: stats.write_errors.load(Ordering::Relaxed),
    };
    store.close().await;
    Ok(report)
}
