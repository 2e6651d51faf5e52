//! IoT storage contract, on SQLite and PostgreSQL: the registry (encrypted, masked, scoped,
//! validated), batched positions with trajectories and last positions, the watchlist and its
//! alerts, fences and video rules, all-or-nothing imports, and monthly partitions.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use fengqiao_domain::identifiers::MobileNumber;
use fengqiao_domain::region::RegionLevel;
use fengqiao_domain::time::Timestamp;
use fengqiao_store::iot::{
    DeviceImportRow, IngestBatch, IotAlert, MessageRecord, NewDevice, NewFence, NewOwner,
    NewReader, NewVehicle, PositionRecord, RegistryFilter, ScheduleWindow, VideoRulePatch,
    alert_kind,
};
use fengqiao_store::regions::NewRegion;
use fengqiao_store::testing::TestStore;
use fengqiao_store::{AuditCtx, FieldCipher, PageRequest, Scope, StoreError};

fengqiao_store::contract_tests! {
    registry_encrypts_masks_validates_and_scopes => registry_encrypts_masks_validates_and_scopes;
    positions_batch_trajectory_and_last_position => positions_batch_trajectory_and_last_position;
    stolen_alerts_fold_and_show_on_the_board => stolen_alerts_fold_and_show_on_the_board;
    fences_and_video_rules_validate => fences_and_video_rules_validate;
    imports_are_all_or_nothing => imports_are_all_or_nothing;
    partitions_are_created_ahead => partitions_are_created_ahead;
}

const T0: i64 = 1_790_000_000_000_000;

fn ctx() -> AuditCtx {
    AuditCtx::system(Timestamp::from_micros(T0))
}

fn cipher() -> FieldCipher {
    FieldCipher::new(&[5u8; 32])
}

fn street2() -> Scope {
    Scope::Subtree("/339900/339902/339902002/".into())
}

async fn seed_regions(s: &TestStore) {
    for (code, name, level, parent) in [
        ("339900", "临江市", RegionLevel::City, None),
        ("339902", "江城区", RegionLevel::District, Some("339900")),
        ("339902001", "鼓楼街道", RegionLevel::Street, Some("339902")),
        ("339902002", "望江街道", RegionLevel::Street, Some("339902")),
    ] {
        s.create_region(
            &ctx(),
            &Scope::Everything,
            &NewRegion {
                code: code.into(),
                name: name.into(),
                level,
                parent_code: parent.map(Into::into),
                grid_kind: None,
                population: None,
                geometry: None,
            },
        )
        .await
        .unwrap();
    }
}

async fn vehicle(s: &TestStore, id: &str, plate: &str, street: &str) {
    s.create_iot_vehicle(
        &ctx(),
        &Scope::Everything,
        id,
        &NewVehicle {
            plate: plate.into(),
            kind: "e_bike".into(),
            description: String::new(),
            owner_id: None,
            region_code: street.into(),
        },
    )
    .await
    .unwrap();
}

fn device(identifier: &str, protocol: &str, vehicle: Option<&str>, region: &str) -> NewDevice {
    NewDevice {
        identifier: identifier.into(),
        protocol: protocol.into(),
        role: "vehicle".into(),
        vehicle_id: vehicle.map(Into::into),
        region_code: region.into(),
    }
}

fn fields(err: StoreError) -> Vec<String> {
    match err {
        StoreError::Invalid(p) => p.into_iter().map(|f| f.field).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

async fn registry_encrypts_masks_validates_and_scopes(s: &TestStore) {
    seed_regions(s).await;
    let owner = s
        .create_iot_owner(
            &ctx(),
            &Scope::Everything,
            &cipher(),
            "owner-1",
            &NewOwner {
                name: "王建国".into(),
                phone: Some(MobileNumber::parse("13957001234").unwrap()),
                id_number: None,
                region_code: "339902001".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(owner.phone_masked.as_deref(), Some("139****1234"));
    s.create_iot_vehicle(
        &ctx(),
        &Scope::Everything,
        "veh-1",
        &NewVehicle {
            plate: "临A·D0001".into(),
            kind: "motorcycle".into(),
            description: "红色".into(),
            owner_id: Some("owner-1".into()),
            region_code: "339902001".into(),
        },
    )
    .await
    .unwrap();
    s.create_iot_device(
        &ctx(),
        &Scope::Everything,
        "dev-1",
        &device("864717003283581", "gt06", Some("veh-1"), "339902001"),
    )
    .await
    .unwrap();
    // A JT/T 808 phone is stored without the wire's padding zeros.
    let jt = s
        .create_iot_device(
            &ctx(),
            &Scope::Everything,
            "dev-2",
            &device("013912345678", "jt808", None, "339902002"),
        )
        .await
        .unwrap();
    assert_eq!(jt.identifier, "13912345678");

    let listed = s
        .list_iot_devices(
            &Scope::Everything,
            &RegistryFilter::default(),
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(listed.total, 2);
    let d1 = listed.items.iter().find(|d| d.id == "dev-1").unwrap();
    assert_eq!(d1.plate.as_deref(), Some("临A·D0001"));
    assert_eq!(d1.owner_name.as_deref(), Some("王建国"));
    assert_eq!(d1.owner_phone_masked.as_deref(), Some("139****1234"));
    // Scope: the second street sees only its own device; the first's is simply not found.
    let scoped = s
        .list_iot_devices(
            &street2(),
            &RegistryFilter::default(),
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(scoped.total, 1);
    assert!(matches!(
        s.get_iot_device(&street2(), "dev-1").await,
        Err(StoreError::NotFound { .. })
    ));
    // Search by plate substring.
    let found = s
        .list_iot_devices(
            &Scope::Everything,
            &RegistryFilter {
                q: Some("D0001".into()),
                stolen_only: false,
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(found.total, 1);

    // Validation names the field; duplicates conflict; nothing half-written.
    let bad = s
        .create_iot_device(
            &ctx(),
            &Scope::Everything,
            "dev-3",
            &device("12345", "gt06", Some("nope"), "339902001"),
        )
        .await
        .unwrap_err();
    let f = fields(bad);
    assert!(
        f.contains(&"identifier".to_owned()) && f.contains(&"vehicle_id".to_owned()),
        "{f:?}"
    );
    let dup = s
        .create_iot_device(
            &ctx(),
            &Scope::Everything,
            "dev-4",
            &device("864717003283581", "gt06", None, "339902001"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(dup, StoreError::Conflict { ref field } if field == "identifier"),
        "{dup:?}"
    );
    let out_of_scope = s
        .create_iot_device(
            &ctx(),
            &street2(),
            "dev-5",
            &device("TAG1", "tag", None, "339902001"),
        )
        .await
        .unwrap_err();
    assert_eq!(fields(out_of_scope), vec!["region_code".to_owned()]);
    let reader = s
        .create_iot_reader(
            &ctx(),
            &Scope::Everything,
            "r-1",
            &NewReader {
                code: "R0001".into(),
                name: "鼓楼基站".into(),
                lat_e6: 95_000_000,
                lon_e6: 120_000_000,
                radius_m: 0,
                address: String::new(),
                region_code: "339902001".into(),
            },
        )
        .await
        .unwrap_err();
    let f = fields(reader);
    assert!(
        f.contains(&"lat".to_owned()) && f.contains(&"radius_m".to_owned()),
        "{f:?}"
    );
    assert_eq!(s.iot_index_devices().await.unwrap().len(), 2);
}

fn position(device: &str, at: i64, lat: i64) -> PositionRecord {
    PositionRecord {
        device_key: device.into(),
        at,
        received_at: at + 1000,
        lat_e6: lat,
        lon_e6: 120_000_000,
        speed_kmh_x10: Some(300),
        course: Some(90),
        source: "gt06",
        reader_code: None,
        signal: None,
        checksum_ok: true,
        raw: vec![0x78, 0x78, (at % 251) as u8],
    }
}

async fn positions_batch_trajectory_and_last_position(s: &TestStore) {
    // 2,500 rows: more than one multi-row statement per batch.
    let mut batch = IngestBatch::default();
    for i in 0..2500i64 {
        let device = ["A", "B", "C"][(i % 3) as usize];
        batch
            .positions
            .push(position(device, T0 + i * 1_000_000, 30_000_000 + i));
    }
    batch.messages.push(MessageRecord {
        received_at: T0,
        source: "gt06",
        kind: "login".into(),
        device_key: Some("A".into()),
        checksum_ok: true,
        decoded_json: "{\"type\":\"login\"}".into(),
        raw: vec![1, 2, 3],
    });
    s.insert_iot_batch(&batch).await.unwrap();
    assert_eq!(s.count_iot_positions().await.unwrap(), 2500);
    let track = s
        .iot_trajectory(
            "A",
            Timestamp::from_micros(T0),
            Timestamp::from_micros(T0 + 30 * 1_000_000),
            1000,
        )
        .await
        .unwrap();
    assert_eq!(track.len(), 11, "A reports every third second: 0, 3, … 30");
    assert!(track.windows(2).all(|w| w[0].at < w[1].at));
    assert_eq!(track[1].lat_e6, 30_000_003);
    let raw = s.iot_position_raw_of("A", 1).await.unwrap();
    assert_eq!(
        raw[0],
        vec![0x78, 0x78, ((T0 + 2499 * 1_000_000) % 251) as u8]
    );
    let msgs = s.iot_messages_of("A", 5).await.unwrap();
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0].4, vec![1, 2, 3]);

    // Last positions: the newest per device; an older re-upload does not move it back.
    let live = s
        .iot_recent_positions(&Scope::Everything, Timestamp::from_micros(T0), 10)
        .await
        .unwrap();
    assert_eq!(live.len(), 3);
    let a = live.iter().find(|l| l.device_key == "A").unwrap();
    assert_eq!(a.at, T0 + 2499 * 1_000_000);
    let mut old = IngestBatch::default();
    old.positions.push(position("A", T0 + 5, 1));
    s.insert_iot_batch(&old).await.unwrap();
    let live = s
        .iot_recent_positions(&Scope::Everything, Timestamp::from_micros(T0), 10)
        .await
        .unwrap();
    assert_eq!(
        live.iter().find(|l| l.device_key == "A").unwrap().at,
        T0 + 2499 * 1_000_000
    );
    let mut newer = IngestBatch::default();
    newer
        .positions
        .push(position("A", T0 + 9_000_000_000, 31_000_000));
    s.insert_iot_batch(&newer).await.unwrap();
    let live = s
        .iot_recent_positions(
            &Scope::Everything,
            Timestamp::from_micros(T0 + 8_000_000_000),
            10,
        )
        .await
        .unwrap();
    assert_eq!(live.len(), 1);
    assert_eq!(live[0].lat_e6, 31_000_000);
    // Scoped callers see only registered devices in their scope (none here).
    assert!(
        s.iot_recent_positions(&street2(), Timestamp::from_micros(T0), 10)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn stolen_alerts_fold_and_show_on_the_board(s: &TestStore) {
    seed_regions(s).await;
    vehicle(s, "veh-s", "临A·D0007", "339902002").await;
    let reported = s
        .set_iot_vehicle_stolen(&ctx(), &street2(), "veh-s", true, Some("报案号 2026-001"))
        .await
        .unwrap();
    assert!(reported.stolen);
    assert_eq!(reported.stolen_at, Some(T0));
    assert_eq!(s.iot_stolen_vehicles().await.unwrap().len(), 1);
    let alert = |n: i64| IotAlert {
        kind: alert_kind::STOLEN_VEHICLE,
        level: "red".into(),
        group_key: "veh-s".into(),
        title: format!("被盗车辆 临A·D0007 出现：基站{n}"),
        detail: serde_json::json!({ "place": format!("基站{n}"), "at": "2026-11-22T01:00:00Z" }),
        region_path: "/339900/339902/339902002/".into(),
        merge_open: true,
        hits: n,
    };
    let first = s.raise_iot_alert(&ctx(), &alert(1)).await.unwrap();
    let second = s.raise_iot_alert(&ctx(), &alert(2)).await.unwrap();
    assert_eq!(first.id, second.id, "later hits fold into the open alert");
    assert_eq!(second.case_count, 3);
    let page = s
        .list_alerts(&street2(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].kind, "iot_stolen_vehicle");
    assert_eq!(page.items[0].title, "被盗车辆 临A·D0007 出现：基站2");
    // Other districts' callers do not see it.
    assert_eq!(
        s.list_alerts(
            &Scope::Subtree("/339900/339903/".into()),
            PageRequest::default()
        )
        .await
        .unwrap()
        .total,
        0
    );
    let board = s.iot_stolen_board(&Scope::Everything).await.unwrap();
    assert_eq!(board.len(), 1);
    assert_eq!(board[0].hits, 3);
    assert_eq!(board[0].last_seen.as_ref().unwrap()["place"], "基站2");
    // The report and the raise are on the audit chain; the fold is not.
    let audit = s.audit_verify().await.unwrap();
    assert!(audit.broken_at.is_none());
    let recovered = s
        .set_iot_vehicle_stolen(&ctx(), &Scope::Everything, "veh-s", false, None)
        .await
        .unwrap();
    assert!(!recovered.stolen);
    assert!(s.iot_stolen_vehicles().await.unwrap().is_empty());
}

async fn fences_and_video_rules_validate(s: &TestStore) {
    seed_regions(s).await;
    let bad = s
        .create_iot_fence(
            &ctx(),
            &Scope::Everything,
            "f-bad",
            &NewFence {
                name: "学校".into(),
                polygon: vec![[120.0, 30.0], [200.0, 30.0]],
                schedule: vec![ScheduleWindow {
                    days: vec![8],
                    from: "18:00".into(),
                    to: "08:00".into(),
                }],
                trigger_on: "sometimes".into(),
                level: "purple".into(),
                region_code: "339902001".into(),
            },
        )
        .await
        .unwrap_err();
    let f = fields(bad);
    for field in ["polygon", "schedule", "trigger_on", "level"] {
        assert!(f.contains(&field.to_owned()), "{field} in {f:?}");
    }
    let fence = s
        .create_iot_fence(
            &ctx(),
            &Scope::Everything,
            "f-1",
            &NewFence {
                name: "临江一小".into(),
                polygon: vec![[120.0, 30.0], [120.01, 30.0], [120.01, 30.01]],
                schedule: vec![],
                trigger_on: "both".into(),
                level: "yellow".into(),
                region_code: "339902001".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(fence.region_path, "/339900/339902/339902001/");
    assert_eq!(s.list_iot_fences(&street2()).await.unwrap().len(), 0);
    assert_eq!(
        s.list_iot_fences(&Scope::Everything).await.unwrap().len(),
        1
    );

    let rules = s.list_iot_video_rules().await.unwrap();
    assert_eq!(
        rules.len(),
        4,
        "the migration seeds one rule per event kind"
    );
    let face = rules.iter().find(|r| r.event_kind == "face_match").unwrap();
    let updated = s
        .update_iot_video_rule(
            &ctx(),
            &face.id,
            &VideoRulePatch {
                min_confidence_pct: Some(90),
                level: Some("red".into()),
                ..VideoRulePatch::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (updated.min_confidence_pct, updated.level.as_str()),
        (90, "red")
    );
    let bad = s
        .update_iot_video_rule(
            &ctx(),
            &face.id,
            &VideoRulePatch {
                min_confidence_pct: Some(150),
                ..VideoRulePatch::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(fields(bad), vec!["min_confidence_pct".to_owned()]);
}

async fn imports_are_all_or_nothing(s: &TestStore) {
    seed_regions(s).await;
    let row = |ident: &str, plate: Option<&str>| DeviceImportRow {
        identifier: ident.into(),
        protocol: "tag".into(),
        role: "vehicle".into(),
        plate: plate.map(Into::into),
        vehicle_kind: Some("e_bike".into()),
        owner_name: Some("李秀英".into()),
        owner_phone: Some(MobileNumber::parse("13957005678").unwrap()),
        region_code: "339902001".into(),
    };
    let mut n = 0;
    let mut ids = move || {
        n += 1;
        format!("imp-{n}")
    };
    let err = s
        .import_iot_devices(
            &ctx(),
            &Scope::Everything,
            &cipher(),
            &[
                row("TAG1", Some("临A·E0001")),
                row("TAG 2!", Some("临A·E0002")),
            ],
            &mut ids,
        )
        .await
        .unwrap_err();
    assert_eq!(fields(err), vec!["rows[3].identifier".to_owned()]);
    assert_eq!(
        s.list_iot_vehicles(
            &Scope::Everything,
            &RegistryFilter::default(),
            PageRequest::default()
        )
        .await
        .unwrap()
        .total,
        0,
        "nothing half-written"
    );
    let n = s
        .import_iot_devices(
            &ctx(),
            &Scope::Everything,
            &cipher(),
            &[
                row("TAG1", Some("临A·E0001")),
                row("TAG2", Some("临A·E0001")),
                row("TAG3", None),
            ],
            &mut ids,
        )
        .await
        .unwrap();
    assert_eq!(n, 3);
    let vehicles = s
        .list_iot_vehicles(
            &Scope::Everything,
            &RegistryFilter::default(),
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(vehicles.total, 1, "two tags on one plate share the vehicle");
    assert_eq!(
        vehicles.items[0].owner_phone_masked.as_deref(),
        Some("139****5678")
    );
    let readers = s
        .import_iot_readers(
            &ctx(),
            &Scope::Everything,
            &[NewReader {
                code: "R1".into(),
                name: "鼓楼基站".into(),
                lat_e6: 30_000_000,
                lon_e6: 120_000_000,
                radius_m: 100,
                address: "鼓楼".into(),
                region_code: "339902001".into(),
            }],
            &mut ids,
        )
        .await
        .unwrap();
    assert_eq!(readers, 1);
}

async fn partitions_are_created_ahead(s: &TestStore) {
    // 2026-11-22: November plus two months ahead, positions and messages each.
    let at = Timestamp::parse_rfc3339("2026-11-22T03:00:00Z").unwrap();
    let created = s.ensure_iot_partitions(at, 2).await.unwrap();
    match s.backend() {
        fengqiao_store::Backend::Postgres => assert_eq!(created, 6),
        fengqiao_store::Backend::Sqlite => assert_eq!(created, 0),
    }
    // Idempotent, and rows in and out of the created months are both accepted.
    s.ensure_iot_partitions(at, 2).await.unwrap();
    let mut batch = IngestBatch::default();
    batch
        .positions
        .push(position("P", at.as_micros(), 30_000_000));
    batch.positions.push(position(
        "P",
        at.as_micros() + 400 * 86_400_000_000,
        30_000_001,
    ));
    s.insert_iot_batch(&batch).await.unwrap();
    assert_eq!(s.count_iot_positions().await.unwrap(), 2);
    let (from, to) = fengqiao_store::iot::month_bounds(2026, 12).unwrap();
    assert_eq!(to - from, 31 * 86_400_000_000);
}
