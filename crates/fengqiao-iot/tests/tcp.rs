//! Over real TCP on loopback: simulated GT06 and JT/T 808 terminals log in, report positions and
//! read the replies the protocols require; positions are stored with their raw frames, a stolen
//! vehicle's report raises the watchlist alert, and the connection cap and idle timeout hold.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use chrono::{TimeZone, Utc};
use fengqiao_domain::region::RegionLevel;
use fengqiao_domain::time::Timestamp;
use fengqiao_iot::sim::{Gt06Device, Jt808Device, gt06_fix};
use fengqiao_iot::{Hub, IotConfig, tcp};
use fengqiao_proto::Protocol;
use fengqiao_proto::gt06::{Framing, encode_reply};
use fengqiao_store::iot::{NewDevice, NewVehicle, alert_kind};
use fengqiao_store::regions::NewRegion;
use fengqiao_store::testing::TestStore;
use fengqiao_store::{AuditCtx, PageRequest, Scope};
use std::sync::Arc;
use std::time::Duration;

const IMEI: &str = "864717003283581";
const PHONE: &str = "13912345678";

fn ctx() -> AuditCtx {
    AuditCtx::system(Timestamp::parse_rfc3339("2026-03-02T02:00:00Z").unwrap())
}

async fn seed(store: &TestStore, stolen: bool) {
    store
        .create_region(
            &ctx(),
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
        .await
        .unwrap();
    store
        .create_iot_vehicle(
            &ctx(),
            &Scope::Everything,
            "veh-1",
            &NewVehicle {
                plate: "临A12345".into(),
                kind: "motorcycle".into(),
                description: String::new(),
                owner_id: None,
                region_code: "339900".into(),
            },
        )
        .await
        .unwrap();
    for (id, ident, protocol) in [("dev-gt06", IMEI, "gt06"), ("dev-808", PHONE, "jt808")] {
        store
            .create_iot_device(
                &ctx(),
                &Scope::Everything,
                id,
                &NewDevice {
                    identifier: ident.into(),
                    protocol: protocol.into(),
                    role: "vehicle".into(),
                    vehicle_id: Some("veh-1".into()),
                    region_code: "339900".into(),
                },
            )
            .await
            .unwrap();
    }
    if stolen {
        store
            .set_iot_vehicle_stolen(&ctx(), &Scope::Everything, "veh-1", true, Some("车主报案"))
            .await
            .unwrap();
    }
}

async fn hub(store: &TestStore, config: IotConfig) -> Hub {
    Hub::start(
        store.store.clone(),
        config,
        Arc::new(|| Timestamp::from_datetime(Utc::now())),
        "test-secret".into(),
    )
    .await
    .unwrap()
}

async fn wait_for(mut check: impl AsyncFnMut() -> bool) {
    for _ in 0..100 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("condition not reached within 5 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gt06_device_logs_in_reports_and_gets_replies() {
    let store = fengqiao_store::testing::sqlite().await;
    seed(&store, true).await;
    let hub = hub(&store, IotConfig::default()).await;
    let mut alerts = hub.subscribe_alerts();
    let (addr, task) = tcp::listen(hub.clone(), Protocol::Gt06, "127.0.0.1:0")
        .await
        .unwrap();
    let addr = addr.to_string();

    let mut device = Gt06Device::connect(&addr, IMEI).await.unwrap();
    let reply = device.login().await.unwrap();
    assert_eq!(
        reply,
        encode_reply(Framing::Short, 0x01, 1).as_bytes(),
        "login acknowledged with the device's serial"
    );
    let base = Utc.with_ymd_and_hms(2026, 3, 2, 2, 0, 0).unwrap();
    let mut frames = Vec::new();
    for i in 0..3 {
        let fix = gt06_fix(
            base + chrono::Duration::seconds(i * 10),
            30_250_000 + i * 1000,
            120_150_000,
            35,
        );
        let frame = device.position_frame(&fix);
        device.send(&frame).await.unwrap();
        frames.push(frame);
    }
    let status = device.status_frame();
    device.send(&status).await.unwrap();
    let reply = device.read_reply().await.unwrap();
    assert_eq!(reply, encode_reply(Framing::Short, 0x13, 5).as_bytes());

    wait_for(async || store.count_iot_positions().await.unwrap() == 3).await;
    let track = store
        .iot_trajectory(
            IMEI,
            Timestamp::from_datetime(base),
            Timestamp::from_datetime(base + chrono::Duration::minutes(1)),
            100,
        )
        .await
        .unwrap();
    assert_eq!(track.len(), 3);
    // 30.25° survives the 1/1,800,000° wire unit exactly.
    assert_eq!(track[0].lat_e6, 30_250_000);
    assert_eq!(track[2].lat_e6, 30_252_000);
    assert_eq!(track[0].speed_kmh_x10, Some(350));
    assert_eq!(
        track[1].at,
        (base + chrono::Duration::seconds(10)).timestamp_micros()
    );
    // Each position keeps the exact frame it came from.
    let mut raw = store.iot_position_raw_of(IMEI, 10).await.unwrap();
    raw.reverse();
    assert_eq!(raw, frames);
    // The login and the status are kept as messages.
    wait_for(async || store.iot_messages_of(IMEI, 10).await.unwrap().len() == 2).await;
    let kinds: Vec<String> = store
        .iot_messages_of(IMEI, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.1)
        .collect();
    assert!(kinds.contains(&"login".to_owned()) && kinds.contains(&"status".to_owned()));

    // The stolen vehicle's reports raised one red alert (later hits fold into it).
    let notice = tokio::time::timeout(Duration::from_secs(2), alerts.recv())
        .await
        .expect("alert within 2 s")
        .unwrap();
    assert_eq!(notice.kind, alert_kind::STOLEN_VEHICLE);
    wait_for(async || {
        let page = store
            .list_alerts(&Scope::Everything, PageRequest::default())
            .await
            .unwrap();
        page.items.len() == 1 && page.items[0].case_count == 3
    })
    .await;
    let alert = &store
        .list_alerts(&Scope::Everything, PageRequest::default())
        .await
        .unwrap()
        .items[0];
    assert_eq!(alert.kind, "iot_stolen_vehicle");
    assert_eq!(alert.level, "red");
    assert!(alert.title.contains("临A12345"), "{}", alert.title);
    let detail: serde_json::Value = serde_json::from_str(&alert.detail_json).unwrap();
    assert_eq!(detail["at"], "2026-03-02T02:00:20.000000Z");
    task.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jt808_terminal_registers_authenticates_and_reports() {
    let store = fengqiao_store::testing::sqlite().await;
    seed(&store, false).await;
    let hub = hub(&store, IotConfig::default()).await;
    let (addr, task) = tcp::listen(hub.clone(), Protocol::Jt808, "127.0.0.1:0")
        .await
        .unwrap();
    let addr = addr.to_string();
    let when = Utc.with_ymd_and_hms(2026, 3, 2, 2, 30, 0).unwrap();

    let mut t = Jt808Device::connect(&addr, PHONE).await.unwrap();
    // Before authenticating, positions are refused.
    assert_eq!(
        t.report(when, 30_250_000, 120_150_000, 40).await.unwrap(),
        1
    );
    let code = t.register("临A12345").await.unwrap();
    assert_eq!(code, hub.jt808_auth_code(PHONE));
    assert_eq!(t.auth("WRONG").await.unwrap(), 1, "a wrong code fails");
    assert_eq!(t.auth(&code).await.unwrap(), 0);
    assert_eq!(
        t.report(when, 30_250_000, 120_150_000, 40).await.unwrap(),
        0
    );
    assert_eq!(
        t.report(
            when + chrono::Duration::seconds(30),
            30_251_000,
            120_151_000,
            0
        )
        .await
        .unwrap(),
        0
    );
    wait_for(async || store.count_iot_positions().await.unwrap() == 2).await;
    let track = store
        .iot_trajectory(
            PHONE,
            Timestamp::from_datetime(when),
            Timestamp::from_datetime(when + chrono::Duration::minutes(5)),
            10,
        )
        .await
        .unwrap();
    assert_eq!(track.len(), 2);
    assert_eq!(
        (track[0].lat_e6, track[0].lon_e6),
        (30_250_000, 120_150_000)
    );
    assert_eq!(track[0].speed_kmh_x10, Some(400));
    assert_eq!(track[0].source, "jt808");

    // A second connection re-authenticates with the same code without registering again.
    let mut again = Jt808Device::connect(&addr, PHONE).await.unwrap();
    assert_eq!(again.auth(&code).await.unwrap(), 0);
    task.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_cap_and_idle_timeout_close_connections() {
    let store = fengqiao_store::testing::sqlite().await;
    seed(&store, false).await;
    let config = IotConfig {
        max_connections: 1,
        idle_timeout_secs: 1,
        ..IotConfig::default()
    };
    let hub = hub(&store, config).await;
    let (addr, task) = tcp::listen(hub.clone(), Protocol::Gt06, "127.0.0.1:0")
        .await
        .unwrap();
    let addr = addr.to_string();
    let mut first = Gt06Device::connect(&addr, IMEI).await.unwrap();
    first.login().await.unwrap();
    // Over the cap: the second connection is closed at once.
    let mut second = Gt06Device::connect(&addr, "864717003283582").await.unwrap();
    assert!(second.login().await.is_err());
    // Silent past the idle timeout: the first is closed too.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let status = first.status_frame();
    let _ = first.send(&status).await;
    assert!(first.read_reply().await.is_err());
    assert!(
        hub.stats()
            .refused_connections
            .load(std::sync::atomic::Ordering::Relaxed)
            >= 1
    );
    task.abort();
}
