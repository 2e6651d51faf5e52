//! The storage contract: every behaviour the rest of Fengqiao relies on, run against SQLite and
//! against a real PostgreSQL server (`FENGQIAO_TEST_PG_URL`), each in a fresh database/schema.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use fengqiao_domain::identifiers::{MobileNumber, ResidentId};
use fengqiao_domain::org::{OrgKind, Specialty};
use fengqiao_domain::region::{GridKind, RegionLevel};
use fengqiao_domain::role::Role;
use fengqiao_domain::time::Timestamp;
use fengqiao_store::orgs::{NewOrg, OrgFilter, OrgPatch};
use fengqiao_store::regions::{NewRegion, RegionFilter, RegionPatch};
use fengqiao_store::testing::TestStore;
use fengqiao_store::users::{NewUser, SensitiveField, UserFilter, UserPatch};
use fengqiao_store::{AuditCtx, FieldCipher, PageRequest, Scope, StoreError};

fengqiao_store::contract_tests! {
    region_tree_validates_and_scopes => region_tree_validates_and_scopes;
    organisations_validate_shape_and_scope => organisations_validate_shape_and_scope;
    users_encrypt_mask_reveal_and_scope => users_encrypt_mask_reveal_and_scope;
    lockout_counts_failures => lockout_counts_failures;
    sessions_expire_and_end => sessions_expire_and_end;
    audit_chain_verifies_and_refuses_edits => audit_chain_verifies_and_refuses_edits;
    failed_writes_leave_nothing => failed_writes_leave_nothing;
    microsecond_timestamps_survive => microsecond_timestamps_survive;
}

fn at(micros: i64) -> AuditCtx {
    AuditCtx {
        actor_user_id: Some("tester".into()),
        actor_org_id: None,
        request_id: Some("req-1".into()),
        at: Timestamp::from_micros(1_790_000_000_000_000 + micros),
    }
}

fn region(code: &str, name: &str, level: RegionLevel, parent: Option<&str>) -> NewRegion {
    NewRegion {
        code: code.into(),
        name: name.into(),
        level,
        parent_code: parent.map(Into::into),
        grid_kind: (level == RegionLevel::Grid).then_some(GridKind::Territorial),
        population: Some(1000),
        geometry: None,
    }
}

/// City 339900 with district 339902 and two streets, a community under the first.
async fn seed_tree(s: &TestStore) {
    let all = Scope::Everything;
    s.create_region(
        &at(1),
        &all,
        &region("339900", "临江市", RegionLevel::City, None),
    )
    .await
    .unwrap();
    s.create_region(
        &at(2),
        &all,
        &region("339902", "江城区", RegionLevel::District, Some("339900")),
    )
    .await
    .unwrap();
    s.create_region(
        &at(3),
        &all,
        &region("339902001", "望江街道", RegionLevel::Street, Some("339902")),
    )
    .await
    .unwrap();
    s.create_region(
        &at(4),
        &all,
        &region("339902002", "清波街道", RegionLevel::Street, Some("339902")),
    )
    .await
    .unwrap();
    s.create_region(
        &at(5),
        &all,
        &region(
            "339902001001",
            "江滨社区",
            RegionLevel::Community,
            Some("339902001"),
        ),
    )
    .await
    .unwrap();
}

fn street_scope(code: &str) -> Scope {
    Scope::Subtree(format!("/339900/339902/{code}/"))
}

fn org(name: &str, kind: OrgKind, region: &str) -> NewOrg {
    NewOrg {
        name: name.into(),
        kind,
        region_code: region.into(),
        specialty: None,
        court_id: None,
        address: String::new(),
        phone: String::new(),
    }
}

async fn region_tree_validates_and_scopes(s: &TestStore) {
    seed_tree(s).await;
    let all = Scope::Everything;
    let street = s.get_region(&all, "339902001").await.unwrap();
    assert_eq!(street.path, "/339900/339902/339902001/");
    assert_eq!(street.level().unwrap(), RegionLevel::Street);

    // A code that does not extend its parent is refused with the field named.
    let err = s
        .create_region(
            &at(6),
            &all,
            &region("339903001", "错街道", RegionLevel::Street, Some("339902")),
        )
        .await
        .unwrap_err();
    match err {
        StoreError::Invalid(errs) => assert_eq!(errs[0].field, "code"),
        other => panic!("expected Invalid, got {other:?}"),
    }
    // Duplicate code → conflict.
    let dup = s
        .create_region(
            &at(7),
            &all,
            &region("339902002", "重复", RegionLevel::Street, Some("339902")),
        )
        .await;
    assert!(
        matches!(dup, Err(StoreError::Conflict { ref field }) if field == "code"),
        "{dup:?}"
    );

    // A street user sees its own subtree only.
    let mine = street_scope("339902001");
    assert!(s.get_region(&mine, "339902001001").await.is_ok());
    assert!(matches!(
        s.get_region(&mine, "339902002").await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        s.get_region(&mine, "339902").await,
        Err(StoreError::NotFound { .. })
    ));
    let listed = s
        .list_regions(&mine, &RegionFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(listed.total, 2);
    assert!(
        listed
            .items
            .iter()
            .all(|r| r.path.starts_with("/339900/339902/339902001/"))
    );
    // And cannot create under another street.
    let outside = s
        .create_region(
            &at(8),
            &mine,
            &region(
                "339902002001",
                "外社区",
                RegionLevel::Community,
                Some("339902002"),
            ),
        )
        .await;
    assert!(
        matches!(outside, Err(StoreError::Invalid(ref e)) if e[0].field == "parent_code"),
        "{outside:?}"
    );

    let filtered = s
        .list_regions(
            &all,
            &RegionFilter {
                level: Some(RegionLevel::Street),
                ..Default::default()
            },
            PageRequest::new(Some(1), Some(1)),
        )
        .await
        .unwrap();
    assert_eq!((filtered.total, filtered.items.len()), (2, 1));

    let geometry = serde_json::json!({"type":"Polygon","coordinates":[[[120.0,30.0],[120.1,30.0],[120.1,30.1],[120.0,30.0]]]});
    let updated = s
        .update_region(
            &at(9),
            &mine,
            "339902001001",
            &RegionPatch {
                name: Some("江滨新社区".into()),
                population: Some(5200),
                geometry: Some(geometry),
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.name, "江滨新社区");
    let bad_geometry = s
        .update_region(
            &at(10),
            &mine,
            "339902001001",
            &RegionPatch {
                geometry: Some(serde_json::json!({"type":"Point"})),
                ..Default::default()
            },
        )
        .await;
    assert!(matches!(bad_geometry, Err(StoreError::Invalid(ref e)) if e[0].field == "geometry"));
}

async fn organisations_validate_shape_and_scope(s: &TestStore) {
    seed_tree(s).await;
    let all = Scope::Everything;
    let court = s
        .create_org(
            &at(10),
            &all,
            "court-1",
            &org("江城区人民法院", OrgKind::Court, "339902"),
        )
        .await
        .unwrap();
    let mut shared = org("望江街道共享法庭", OrgKind::SharedCourt, "339902001");
    shared.court_id = Some(court.id.clone());
    s.create_org(&at(11), &all, "shared-1", &shared)
        .await
        .unwrap();
    s.create_org(
        &at(12),
        &all,
        "centre-2",
        &org("清波街道综治中心", OrgKind::GovernanceCentre, "339902002"),
    )
    .await
    .unwrap();

    // A shared court needs its court; a department needs a specialty; levels are checked.
    let no_court = s
        .create_org(
            &at(13),
            &all,
            "x1",
            &org("孤立共享法庭", OrgKind::SharedCourt, "339902001"),
        )
        .await;
    assert!(
        matches!(no_court, Err(StoreError::Invalid(ref e)) if e[0].field == "court_id"),
        "{no_court:?}"
    );
    let no_specialty = s
        .create_org(
            &at(14),
            &all,
            "x2",
            &org("某局", OrgKind::Department, "339902"),
        )
        .await;
    assert!(matches!(no_specialty, Err(StoreError::Invalid(ref e)) if e[0].field == "specialty"));
    let mut labour = org(
        "江城区劳动争议人民调解委员会",
        OrgKind::IndustryMediationCommittee,
        "339902",
    );
    labour.specialty = Some(Specialty::Labour);
    s.create_org(&at(15), &all, "labour-1", &labour)
        .await
        .unwrap();
    let missing_region = s
        .create_org(
            &at(16),
            &all,
            "x3",
            &org("无区域", OrgKind::GovernanceCentre, "339999"),
        )
        .await;
    assert!(
        matches!(missing_region, Err(StoreError::Invalid(ref e)) if e[0].field == "region_code")
    );
    let dup = s
        .create_org(
            &at(17),
            &all,
            "x4",
            &org("清波街道综治中心", OrgKind::GovernanceCentre, "339902002"),
        )
        .await;
    assert!(
        matches!(dup, Err(StoreError::Conflict { ref field }) if field == "name"),
        "{dup:?}"
    );

    let mine = street_scope("339902001");
    assert!(s.get_org(&mine, "shared-1").await.is_ok());
    assert!(matches!(
        s.get_org(&mine, "centre-2").await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        s.get_org(&mine, "court-1").await,
        Err(StoreError::NotFound { .. })
    ));
    let listed = s
        .list_orgs(&mine, &OrgFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(
        listed
            .items
            .iter()
            .map(|o| o.id.as_str())
            .collect::<Vec<_>>(),
        ["shared-1"]
    );
    // Asking explicitly for another street's region through a filter still yields nothing.
    let probe = s
        .list_orgs(
            &mine,
            &OrgFilter {
                within_region: Some("339902002".into()),
                ..Default::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(probe.total, 0);
    assert!(probe.items.is_empty());
    // Nor can it be updated.
    let upd = s
        .update_org(
            &at(18),
            &mine,
            "centre-2",
            &OrgPatch {
                name: Some("改名".into()),
                ..Default::default()
            },
        )
        .await;
    assert!(matches!(upd, Err(StoreError::NotFound { .. })));
    let district = s
        .list_orgs(
            &all,
            &OrgFilter {
                kind: Some(OrgKind::Court),
                ..Default::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(district.total, 1);
}

fn cipher() -> FieldCipher {
    FieldCipher::new(&[42u8; 32])
}

async fn seed_users(s: &TestStore) {
    seed_tree(s).await;
    let all = Scope::Everything;
    s.create_org(
        &at(20),
        &all,
        "centre-1",
        &org("望江街道综治中心", OrgKind::GovernanceCentre, "339902001"),
    )
    .await
    .unwrap();
    s.create_org(
        &at(21),
        &all,
        "centre-2",
        &org("清波街道综治中心", OrgKind::GovernanceCentre, "339902002"),
    )
    .await
    .unwrap();
    for (id, name, org_id) in [
        ("u1", "wangjiang_intake", "centre-1"),
        ("u2", "qingbo_intake", "centre-2"),
    ] {
        s.create_user(
            &at(22),
            &all,
            &cipher(),
            id,
            &NewUser {
                username: name.into(),
                display_name: "张丽华".into(),
                org_id: org_id.into(),
                roles: vec![Role::Intake, Role::Mediator],
                password_hash: "$argon2id$dummy".into(),
                phone: Some(MobileNumber::parse("13812345678").unwrap()),
                id_number: Some(ResidentId::parse("11010519491231002X").unwrap()),
            },
        )
        .await
        .unwrap();
    }
}

async fn users_encrypt_mask_reveal_and_scope(s: &TestStore) {
    seed_users(s).await;
    let all = Scope::Everything;
    let row = s.get_user(&all, "u1").await.unwrap();
    assert!(
        !row.phone_enc.as_deref().unwrap().contains("13812345678"),
        "phone stored encrypted"
    );
    let view = row.view().unwrap();
    assert_eq!(view.phone_masked.as_deref(), Some("138****5678"));
    assert_eq!(view.id_number_masked.as_deref(), Some("110105********002X"));
    assert_eq!(view.roles, vec![Role::Intake, Role::Mediator]);

    let before = s.audit_recent(PageRequest::default()).await.unwrap().total;
    let phone = s
        .reveal_user_field(
            &at(30),
            &all,
            &cipher(),
            "u1",
            SensitiveField::Phone,
            "核实当事人身份",
        )
        .await
        .unwrap();
    assert_eq!(phone.as_deref(), Some("13812345678"));
    let entries = s.audit_recent(PageRequest::default()).await.unwrap();
    assert_eq!(entries.total, before + 1, "a reveal is recorded");
    assert_eq!(entries.items[0].action, "user.reveal");
    assert!(
        entries.items[0]
            .after_json
            .as_deref()
            .unwrap()
            .contains("核实当事人身份")
    );
    let no_reason = s
        .reveal_user_field(&at(31), &all, &cipher(), "u1", SensitiveField::Phone, " ")
        .await;
    assert!(matches!(no_reason, Err(StoreError::Invalid(ref e)) if e[0].field == "reason"));

    let mine = street_scope("339902001");
    assert!(s.get_user(&mine, "u1").await.is_ok());
    assert!(matches!(
        s.get_user(&mine, "u2").await,
        Err(StoreError::NotFound { .. })
    ));
    let reveal_other = s
        .reveal_user_field(
            &at(32),
            &mine,
            &cipher(),
            "u2",
            SensitiveField::Phone,
            "越权尝试",
        )
        .await;
    assert!(matches!(reveal_other, Err(StoreError::NotFound { .. })));
    let listed = s
        .list_users(&mine, &UserFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(
        listed
            .items
            .iter()
            .map(|u| u.username.as_str())
            .collect::<Vec<_>>(),
        ["wangjiang_intake"]
    );
    let probe = s
        .list_users(
            &mine,
            &UserFilter {
                org_id: Some("centre-2".into()),
                ..Default::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(probe.total, 0);
    let by_role = s
        .list_users(
            &all,
            &UserFilter {
                role: Some(Role::Mediator),
                ..Default::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(by_role.total, 2);
    let none = s
        .list_users(
            &all,
            &UserFilter {
                role: Some(Role::Judge),
                ..Default::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(none.total, 0);
    // Search matches underscores and percent signs literally.
    let exact = s
        .list_users(
            &all,
            &UserFilter {
                name_contains: Some("wangjiang_intake".into()),
                ..Default::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(exact.total, 1);
    let wildcard = s
        .list_users(
            &all,
            &UserFilter {
                name_contains: Some("%".into()),
                ..Default::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        wildcard.total, 0,
        "a % in the search is a literal percent sign"
    );
    let underscore = s
        .list_users(
            &all,
            &UserFilter {
                name_contains: Some("n_j".into()),
                ..Default::default()
            },
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        underscore.total, 0,
        "_ is not a wildcard: n_j would otherwise match wangjiang"
    );
    // Moving a user into another street's org is out of scope for a street admin.
    let moved = s
        .update_user(
            &at(33),
            &mine,
            "u1",
            &UserPatch {
                org_id: Some("centre-2".into()),
                ..Default::default()
            },
        )
        .await;
    assert!(matches!(moved, Err(StoreError::Invalid(ref e)) if e[0].field == "org_id"));
    let dup = s
        .create_user(
            &at(34),
            &all,
            &cipher(),
            "u3",
            &NewUser {
                username: "wangjiang_intake".into(),
                display_name: "李四".into(),
                org_id: "centre-1".into(),
                roles: vec![Role::Intake],
                password_hash: "h".into(),
                phone: None,
                id_number: None,
            },
        )
        .await;
    assert!(
        matches!(dup, Err(StoreError::Conflict { ref field }) if field == "username"),
        "{dup:?}"
    );
}

async fn lockout_counts_failures(s: &TestStore) {
    seed_users(s).await;
    for i in 0..4 {
        assert_eq!(
            s.record_login_failure(&at(40 + i), "u1", 5, 900)
                .await
                .unwrap(),
            None
        );
    }
    let locked = s
        .record_login_failure(&at(50), "u1", 5, 900)
        .await
        .unwrap()
        .expect("fifth failure locks");
    assert_eq!(locked, at(50).at.plus_seconds(900));
    let row = s.get_user(&Scope::Everything, "u1").await.unwrap();
    assert_eq!(row.locked_until, Some(locked.as_micros()));
    s.record_login_success(&at(60), "u1").await.unwrap();
    let row = s.get_user(&Scope::Everything, "u1").await.unwrap();
    assert_eq!((row.failed_logins, row.locked_until), (0, None));
}

async fn sessions_expire_and_end(s: &TestStore) {
    seed_users(s).await;
    let now = Timestamp::from_micros(1_800_000_000_000_000);
    s.create_session("tok-a", "u1", now, now.plus_seconds(3600))
        .await
        .unwrap();
    s.create_session("tok-b", "u1", now, now.plus_seconds(3600))
        .await
        .unwrap();
    assert_eq!(
        s.find_session("tok-a", now).await.unwrap().unwrap().user_id,
        "u1"
    );
    assert!(
        s.find_session("tok-a", now.plus_seconds(3600))
            .await
            .unwrap()
            .is_none(),
        "expired"
    );
    assert!(s.find_session("nope", now).await.unwrap().is_none());
    s.delete_session("tok-a").await.unwrap();
    assert!(s.find_session("tok-a", now).await.unwrap().is_none());
    assert!(s.find_session("tok-b", now).await.unwrap().is_some());
    assert_eq!(s.prune_sessions(now.plus_seconds(7200)).await.unwrap(), 1);
}

async fn audit_chain_verifies_and_refuses_edits(s: &TestStore) {
    seed_users(s).await;
    let report = s.audit_verify().await.unwrap();
    assert_eq!(report.broken_at, None, "{report:?}");
    assert!(report.checked >= 9);
    let history = s
        .audit_for_entity("user", "u1", PageRequest::default())
        .await
        .unwrap();
    assert_eq!(history.items[0].action, "user.create");
    assert_eq!(history.items[0].request_id.as_deref(), Some("req-1"));

    // The database itself refuses to rewrite history.
    assert!(
        s.raw_execute("UPDATE audit_log SET action = 'x' WHERE seq = 3")
            .await
            .is_err()
    );
    assert!(
        s.raw_execute("DELETE FROM audit_log WHERE seq = 3")
            .await
            .is_err()
    );

    // With the guard switched off, a tampered row is found and named.
    match s.backend() {
        fengqiao_store::Backend::Sqlite => {
            s.raw_execute(
                "DROP TRIGGER audit_log_no_update; \
                 UPDATE audit_log SET after_json = '{\"name\":\"forged\"}' WHERE seq = 3;",
            )
            .await
            .unwrap();
        }
        fengqiao_store::Backend::Postgres => {
            s.raw_execute(
                "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update; \
                 UPDATE audit_log SET after_json = '{\"name\":\"forged\"}' WHERE seq = 3; \
                 ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update;",
            )
            .await
            .unwrap();
        }
    }
    let report = s.audit_verify().await.unwrap();
    assert_eq!(report.broken_at, Some(3), "{report:?}");
    assert_eq!(report.checked, 2);
}

async fn failed_writes_leave_nothing(s: &TestStore) {
    seed_tree(s).await;
    let before = s.audit_recent(PageRequest::default()).await.unwrap().total;
    let all = Scope::Everything;
    let _ = s
        .create_region(
            &at(70),
            &all,
            &region("339902001", "重复", RegionLevel::Street, Some("339902")),
        )
        .await;
    let _ = s
        .create_org(&at(71), &all, "o", &org("", OrgKind::Court, "339902"))
        .await;
    let after = s.audit_recent(PageRequest::default()).await.unwrap().total;
    assert_eq!(before, after, "refused writes append no audit entry");
    assert_eq!(s.count_regions().await.unwrap(), 5);
    assert_eq!(s.audit_verify().await.unwrap().broken_at, None);
}

async fn microsecond_timestamps_survive(s: &TestStore) {
    let ctx = AuditCtx {
        at: Timestamp::parse_rfc3339("2026-11-22T09:30:15.123456+08:00").unwrap(),
        ..at(0)
    };
    s.create_region(
        &ctx,
        &Scope::Everything,
        &region("339900", "临江市", RegionLevel::City, None),
    )
    .await
    .unwrap();
    let r = s.get_region(&Scope::Everything, "339900").await.unwrap();
    assert_eq!(
        Timestamp::from_micros(r.created_at).to_rfc3339(),
        "2026-11-22T01:30:15.123456Z"
    );
}
