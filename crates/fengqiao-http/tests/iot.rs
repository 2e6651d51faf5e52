//! The IoT API through the real router: registry with masked owners and scope, xlsx import,
//! the watchlist raising alerts visible through `GET /api/v1/alerts`, trajectories, the video
//! webhook's rules, and — with the real Mosquitto broker — a published sighting of a stolen tag
//! producing the alert.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

#[allow(dead_code)] // shared with the other API tests, which use the rest
mod support;

use axum::http::StatusCode;
use fengqiao_domain::time::Timestamp;
use fengqiao_http::Clock;
use fengqiao_iot::{Hub, IotConfig};
use fengqiao_store::iot::PositionRecord;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use support::*;

api_tests! {
    registry_watchlist_and_trajectory,
    video_webhook_applies_rules,
    xlsx_import_all_or_nothing,
}

const TOKEN: &str = "webhook-secret";

/// Attaches a running hub to the app, on the app's clock.
async fn with_hub(mut app: TestApp, config: IotConfig) -> (TestApp, Hub) {
    let clock = app.clock.clone();
    let hub = Hub::start(
        app.state.store.clone(),
        config,
        Arc::new(move || clock.now()),
        "secret".into(),
    )
    .await
    .unwrap();
    app.state = app.state.clone().with_iot(hub.clone());
    app.router = fengqiao_http::app(app.state.clone());
    (app, hub)
}

fn config() -> IotConfig {
    IotConfig {
        webhook_token: Some(TOKEN.into()),
        default_region_path: "/339900/".into(),
        ..IotConfig::default()
    }
}

async fn register(app: &TestApp, token: &str) -> (String, String) {
    let v = app
        .post_json(
            "/api/v1/iot/vehicles",
            Some(token),
            &json!({ "plate": "临A·D0007", "kind": "motorcycle", "region_code": COMMUNITY_1,
                     "owner": { "name": "王建国", "phone": "13957001234" } }),
        )
        .await;
    assert_eq!(v.status, StatusCode::CREATED, "{}", v.body);
    assert_eq!(v.body["owner_phone_masked"], "139****1234");
    assert!(
        !v.body.to_string().contains("13957001234"),
        "phone never sent in clear"
    );
    let vehicle_id = v.body["id"].as_str().unwrap().to_owned();
    let d = app
        .post_json(
            "/api/v1/iot/devices",
            Some(token),
            &json!({ "identifier": "TAG00007", "protocol": "tag", "role": "vehicle",
                     "vehicle_id": vehicle_id, "region_code": COMMUNITY_1 }),
        )
        .await;
    assert_eq!(d.status, StatusCode::CREATED, "{}", d.body);
    let r = app
        .post_json(
            "/api/v1/iot/readers",
            Some(token),
            &json!({ "code": "R0001", "name": "江滨基站", "lat": 30.25, "lon": 120.15,
                     "radius_m": 150, "region_code": COMMUNITY_1 }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    (vehicle_id, d.body["id"].as_str().unwrap().to_owned())
}

async fn alerts(app: &TestApp, token: &str) -> Vec<Value> {
    app.get("/api/v1/alerts", Some(token)).await.body["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

async fn registry_watchlist_and_trajectory(app: TestApp) {
    let (app, hub) = with_hub(app, config()).await;
    let admin = app.login("admin", PASSWORD).await;
    let (vehicle_id, device_id) = register(&app, &admin).await;

    // Validation names the field; the other street does not see this street's device.
    let bad = app
        .post_json(
            "/api/v1/iot/devices",
            Some(&admin),
            &json!({ "identifier": "123", "protocol": "gt06", "role": "vehicle", "region_code": COMMUNITY_1 }),
        )
        .await;
    bad.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(bad.field(), "identifier");
    let s2 = app.login("s2_intake", PASSWORD).await;
    app.get(&format!("/api/v1/iot/devices/{device_id}"), Some(&s2))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    // Report stolen; the next sighting raises a red alert the inbox shows within a second.
    let stolen = app
        .post_json(
            &format!("/api/v1/iot/vehicles/{vehicle_id}/stolen"),
            Some(&admin),
            &json!({ "stolen": true, "note": "报案号 2026-001" }),
        )
        .await;
    assert_eq!(stolen.status, StatusCode::OK, "{}", stolen.body);
    assert_eq!(stolen.body["stolen"], true);
    let at = app.clock.now();
    hub.ingest_position(PositionRecord {
        device_key: "TAG00007".into(),
        at: at.as_micros(),
        received_at: at.as_micros(),
        lat_e6: 30_250_000,
        lon_e6: 120_150_000,
        speed_kmh_x10: None,
        course: None,
        source: "sighting",
        reader_code: Some("R0001".into()),
        signal: Some(-60),
        checksum_ok: true,
        raw: br#"{"tag":"TAG00007","reader":"R0001"}"#.to_vec(),
    })
    .await;
    let started = std::time::Instant::now();
    let mut found = None;
    while started.elapsed() < Duration::from_secs(1) {
        found = alerts(&app, &admin)
            .await
            .into_iter()
            .find(|a| a["kind"] == "iot_stolen_vehicle");
        if found.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let alert = found.expect("the stolen-vehicle alert within one second");
    assert_eq!(alert["level"], "red");
    assert_eq!(alert["title"], "被盗车辆 临A·D0007 出现：江滨基站（R0001）");
    let detail: Value = serde_json::from_str(alert["detail_json"].as_str().unwrap()).unwrap();
    assert_eq!(detail["reader"], "R0001");
    assert_eq!(detail["at"], at.to_rfc3339());

    // The board shows it; the live map and the trajectory have the sighting.
    let board = app.get("/api/v1/iot/stolen", Some(&admin)).await;
    assert_eq!(board.body[0]["plate"], "临A·D0007");
    assert_eq!(board.body[0]["hits"], 1);
    for _ in 0..50 {
        if app.store().count_iot_positions().await.unwrap() == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let live = app.get("/api/v1/iot/live?minutes=5", Some(&admin)).await;
    assert_eq!(live.body.as_array().unwrap().len(), 1, "{}", live.body);
    assert_eq!(live.body[0]["stolen"], true);
    let from = at.plus_seconds(-60).to_rfc3339();
    let track = app
        .get(
            &format!(
                "/api/v1/iot/devices/{device_id}/trajectory?from={}",
                from.replace(':', "%3A").replace('+', "%2B")
            ),
            Some(&admin),
        )
        .await;
    assert_eq!(track.status, StatusCode::OK, "{}", track.body);
    assert_eq!(track.body["points"].as_array().unwrap().len(), 1);
    assert_eq!(track.body["points"][0]["reader_code"], "R0001");
    app.get(
        &format!("/api/v1/iot/devices/{device_id}/trajectory?from=yesterday"),
        Some(&admin),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");

    // Recovered: later sightings raise nothing new.
    app.post_json(
        &format!("/api/v1/iot/vehicles/{vehicle_id}/stolen"),
        Some(&admin),
        &json!({ "stolen": false }),
    )
    .await;
    assert!(
        app.get("/api/v1/iot/stolen", Some(&admin))
            .await
            .body
            .as_array()
            .unwrap()
            .is_empty()
    );
}

async fn video_webhook_applies_rules(app: TestApp) {
    let (app, _hub) = with_hub(app, config()).await;
    let admin = app.login("admin", PASSWORD).await;
    let (vehicle_id, _) = register(&app, &admin).await;
    app.post_json(
        &format!("/api/v1/iot/vehicles/{vehicle_id}/stolen"),
        Some(&admin),
        &json!({ "stolen": true }),
    )
    .await;
    let post = |body: Value, token: Option<&'static str>| {
        let app = &app;
        async move {
            let mut req =
                TestApp::request(axum::http::Method::POST, "/api/v1/iot/video-events", None)
                    .header("content-type", "application/json");
            if let Some(t) = token {
                req = req.header("x-fengqiao-token", t);
            }
            app.send(req.body(axum::body::Body::from(body.to_string())).unwrap())
                .await
        }
    };
    let face = json!({ "kind": "face_match", "camera": "CAM-0012", "confidence": 0.93,
                       "place": "鼓楼广场东口", "subject": "watch:2031", "region_code": STREET_1 });
    post(face.clone(), None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    post(face.clone(), Some("wrong"))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    let bad = post(
        json!({ "kind": "ufo", "camera": "C", "confidence": 0.9 }),
        Some(TOKEN),
    )
    .await;
    bad.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(bad.field(), "kind");

    let ok = post(face, Some(TOKEN)).await;
    assert_eq!(ok.status, StatusCode::ACCEPTED, "{}", ok.body);
    assert!(ok.body["alert_id"].is_string());
    // Below the rule's 85 %: kept, no alert, and the reason says why.
    let low = post(
        json!({ "kind": "face_match", "camera": "CAM-0012", "confidence": 0.5 }),
        Some(TOKEN),
    )
    .await;
    assert_eq!(low.body["alert_id"], Value::Null);
    assert_eq!(low.body["reason"], "confidence 50% below 85%");
    // A crowd must have gathered for the rule's 600 s.
    let short = post(
        json!({ "kind": "crowd_gathering", "camera": "CAM-7", "confidence": 0.9, "duration_secs": 120 }),
        Some(TOKEN),
    )
    .await;
    assert_eq!(short.body["alert_id"], Value::Null);
    // Rules are data: lowering the threshold through the API takes effect at once.
    let rules = app.get("/api/v1/iot/video-rules", Some(&admin)).await;
    let crowd = rules
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["event_kind"] == "crowd_gathering")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let patched = app
        .patch_json(
            &format!("/api/v1/iot/video-rules/{crowd}"),
            Some(&admin),
            &json!({ "min_duration_secs": 60 }),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
    let long = post(
        json!({ "kind": "crowd_gathering", "camera": "CAM-7", "confidence": 0.9, "duration_secs": 120 }),
        Some(TOKEN),
    )
    .await;
    assert!(long.body["alert_id"].is_string(), "{}", long.body);
    // A plate hit on the stolen vehicle raises the watchlist alert too.
    let plate = post(
        json!({ "kind": "plate_hit", "camera": "CAM-3", "confidence": 0.97, "plate": "临a·d0007", "place": "滨江路口" }),
        Some(TOKEN),
    )
    .await;
    assert!(plate.body["stolen_alert_id"].is_string(), "{}", plate.body);
    let kinds: Vec<String> = alerts(&app, &admin)
        .await
        .iter()
        .map(|a| {
            format!(
                "{}:{}",
                a["kind"].as_str().unwrap(),
                a["level"].as_str().unwrap()
            )
        })
        .collect();
    assert!(
        kinds.contains(&"iot_stolen_vehicle:red".to_owned()),
        "{kinds:?}"
    );
    assert_eq!(
        kinds.iter().filter(|k| k.starts_with("iot_video")).count(),
        3,
        "{kinds:?}"
    );
}

fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

async fn xlsx_import_all_or_nothing(app: TestApp) {
    let admin = app.login("admin", PASSWORD).await;
    let header: &[&str] = &[
        "设备标识",
        "协议",
        "用途",
        "车牌",
        "车辆类型",
        "车主姓名",
        "车主手机",
        "区域代码",
    ];
    let ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let bad = app
        .post_raw(
            "/api/v1/iot/import/devices",
            Some(&admin),
            ct,
            xlsx(&[
                header,
                &[
                    "TAG10001",
                    "tag",
                    "vehicle",
                    "临A·E1001",
                    "e_bike",
                    "李秀英",
                    "13957005678",
                    COMMUNITY_1,
                ],
                &[
                    "864717003283581",
                    "gt06",
                    "vehicle",
                    "临A·E1002",
                    "motorcycle",
                    "张伟",
                    "12345",
                    COMMUNITY_1,
                ],
            ]),
        )
        .await;
    bad.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(bad.field(), "rows[3].owner_phone");
    let none = app.get("/api/v1/iot/devices", Some(&admin)).await;
    assert_eq!(none.body["total"], 0, "nothing half-written");
    let ok = app
        .post_raw(
            "/api/v1/iot/import/devices",
            Some(&admin),
            ct,
            xlsx(&[
                header,
                &[
                    "TAG10001",
                    "tag",
                    "vehicle",
                    "临A·E1001",
                    "e_bike",
                    "李秀英",
                    "13957005678",
                    COMMUNITY_1,
                ],
                &[
                    "864717003283581",
                    "gt06",
                    "vehicle",
                    "临A·E1001",
                    "",
                    "",
                    "",
                    COMMUNITY_1,
                ],
            ]),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    assert_eq!(ok.body["imported"], 2);
    let devices = app.get("/api/v1/iot/devices?q=E1001", Some(&admin)).await;
    assert_eq!(devices.body["total"], 2);
    assert_eq!(
        devices.body["items"][0]["owner_phone_masked"],
        "139****5678"
    );
    let readers = app
        .post_raw(
            "/api/v1/iot/import/readers",
            Some(&admin),
            ct,
            xlsx(&[
                &["编号", "名称", "纬度", "经度", "半径米", "地址", "区域代码"],
                &[
                    "R0101",
                    "江滨基站",
                    "30.25",
                    "120.15",
                    "150",
                    "江滨路 1 号",
                    COMMUNITY_1,
                ],
            ]),
        )
        .await;
    assert_eq!(readers.status, StatusCode::CREATED, "{}", readers.body);
    let listed = app.get("/api/v1/iot/readers", Some(&admin)).await;
    assert_eq!(listed.body["items"][0]["lat_e6"], 30_250_000);
    app.post_raw(
        "/api/v1/iot/import/devices",
        Some(&admin),
        ct,
        b"not a workbook".to_vec(),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
}

/// The MQTT URL for tests; in CI the broker must be reachable, elsewhere the test skips.
async fn mqtt_url() -> Option<String> {
    let required = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    let url = match std::env::var("FENGQIAO_TEST_MQTT_URL") {
        Ok(u) => u,
        Err(_) => {
            assert!(!required, "FENGQIAO_TEST_MQTT_URL must be set in CI");
            eprintln!("notice: FENGQIAO_TEST_MQTT_URL not set; skipping the MQTT test");
            return None;
        }
    };
    let (host, port) = fengqiao_iot::config::parse_mqtt_url(&url).expect("valid MQTT URL");
    match tokio::net::TcpStream::connect((host.as_str(), port)).await {
        Ok(_) => Some(url),
        Err(e) => {
            assert!(!required, "MQTT broker at {url} unreachable in CI: {e}");
            eprintln!("notice: MQTT broker at {url} unreachable ({e}); skipping the MQTT test");
            None
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mqtt_sighting_of_a_stolen_tag_raises_the_alert() {
    let Some(url) = mqtt_url().await else {
        return;
    };
    let app = TestApp::init(fengqiao_store::testing::sqlite().await).await;
    let prefix = format!("fqtest{}", uuid_like());
    let (app, hub) = with_hub(
        app,
        IotConfig {
            mqtt_topic_prefix: prefix.clone(),
            mqtt_client_id: format!("{prefix}-sub"),
            ..config()
        },
    )
    .await;
    let admin = app.login("admin", PASSWORD).await;
    let (vehicle_id, _) = register(&app, &admin).await;
    app.post_json(
        &format!("/api/v1/iot/vehicles/{vehicle_id}/stolen"),
        Some(&admin),
        &json!({ "stolen": true }),
    )
    .await;
    let subscriber = tokio::spawn(fengqiao_iot::mqtt::run(hub.clone(), url.clone()));
    let (host, port) = fengqiao_iot::config::parse_mqtt_url(&url).unwrap();
    let (client, mut events) = rumqttc::AsyncClient::new(
        rumqttc::MqttOptions::new(format!("{prefix}-pub"), host, port),
        16,
    );
    tokio::spawn(async move { while events.poll().await.is_ok() {} });
    let at = Timestamp::parse_rfc3339("2026-03-02T02:05:00Z").unwrap();
    let payload =
        json!([{ "tag": "TAG00007", "reader": "R0001", "time": at.to_rfc3339(), "rssi": -58 }]);
    // Publish until the subscriber (connecting in parallel) has taken it and the alert is visible.
    let started = std::time::Instant::now();
    let mut alert = None;
    while alert.is_none() && started.elapsed() < Duration::from_secs(10) {
        client
            .publish(
                format!("{prefix}/sightings/gateway-1"),
                rumqttc::QoS::AtLeastOnce,
                false,
                payload.to_string(),
            )
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        alert = alerts(&app, &admin)
            .await
            .into_iter()
            .find(|a| a["kind"] == "iot_stolen_vehicle");
    }
    let alert = alert.expect("alert from the MQTT sighting within 10 s");
    assert_eq!(alert["level"], "red");
    let detail: Value = serde_json::from_str(alert["detail_json"].as_str().unwrap()).unwrap();
    assert_eq!(detail["reader"], "R0001");
    assert_eq!(detail["at"], at.to_rfc3339());
    assert_eq!(detail["source"], "sighting");
    subscriber.abort();
}

fn uuid_like() -> String {
    format!(
        "{}{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
    )
}
