//! The financial trial assistant's storage contract on SQLite and PostgreSQL: the LPR table,
//! batches with encrypted borrower numbers, scope, decisions and steps — every write audited,
//! refused writes leaving nothing behind.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use fengqiao_domain::org::OrgKind;
use fengqiao_domain::region::RegionLevel;
use fengqiao_domain::time::Timestamp;
use fengqiao_store::finance::{CaseFigures, Decision, LprRecord, NewBatch, NewFinanceCase};
use fengqiao_store::orgs::NewOrg;
use fengqiao_store::regions::NewRegion;
use fengqiao_store::testing::TestStore;
use fengqiao_store::{AuditCtx, FieldCipher, PageRequest, Scope, StoreError};

fengqiao_store::contract_tests! {
    lpr_table_seeds_once_and_replaces_audited => lpr_table_seeds_once_and_replaces_audited;
    batches_store_cases_encrypted_and_scoped => batches_store_cases_encrypted_and_scoped;
    decisions_and_steps_are_validated_and_audited => decisions_and_steps_are_validated_and_audited;
}

fn at(micros: i64) -> AuditCtx {
    AuditCtx {
        actor_user_id: Some("judge-1".into()),
        actor_org_id: Some("court".into()),
        request_id: None,
        at: Timestamp::from_micros(1_790_000_000_000_000 + micros),
    }
}

fn cipher() -> FieldCipher {
    FieldCipher::new(&[9u8; 32])
}

/// City → district with a court, and a second district with its own court.
async fn seed(s: &TestStore) {
    let all = Scope::Everything;
    for (code, name, level, parent) in [
        ("339900", "临江市", RegionLevel::City, None),
        ("339902", "江城区", RegionLevel::District, Some("339900")),
        ("339903", "望海区", RegionLevel::District, Some("339900")),
    ] {
        s.create_region(
            &at(0),
            &all,
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
    for (id, name, region) in [
        ("court", "江城区人民法院", "339902"),
        ("court2", "望海区人民法院", "339903"),
    ] {
        s.create_org(
            &at(0),
            &all,
            id,
            &NewOrg {
                name: name.into(),
                kind: OrgKind::Court,
                region_code: region.into(),
                specialty: None,
                court_id: None,
                address: String::new(),
                phone: String::new(),
            },
        )
        .await
        .unwrap();
    }
}

fn lpr(published: &str, rate: &str) -> LprRecord {
    LprRecord {
        published: published.into(),
        rate_percent: rate.into(),
        date_verified: true,
    }
}

fn new_case(n: i64, contract: &str) -> NewFinanceCase {
    NewFinanceCase {
        id: format!("case-{n}"),
        row_no: n + 1,
        contract_no: contract.into(),
        borrower_name: format!("借款人{n}"),
        borrower_id: "339902198503150012".into(),
        borrower_phone: Some("13800001234".into()),
        case_json: format!("{{\"contract_no\":\"{contract}\"}}"),
        figures: CaseFigures {
            principal_fen: 10_000_000,
            interest_fen: 610_000,
            penalty_fen: 460_000,
            compound_fen: 28_060,
            costs_fen: 0,
            total_fen: 11_098_060,
            fee_full_fen: 251_961,
            fee_fen: 125_981,
        },
    }
}

fn batch<'a>(id: &'a str, org: &'a str) -> NewBatch<'a> {
    NewBatch {
        id,
        name: "2025年第一批",
        filename: "bank.xlsx",
        org_id: org,
        court_name: "江城区人民法院",
        appeal_court: "临江市中级人民法院",
        total_rows: 3,
        errors_json: r#"[{"row":4,"column":"principal","header":"借款本金","reason":"必填"}]"#,
    }
}

async fn audit_count(s: &TestStore, entity_type: &str, id: &str) -> i64 {
    s.audit_for_entity(entity_type, id, PageRequest::all())
        .await
        .unwrap()
        .total
}

async fn lpr_table_seeds_once_and_replaces_audited(s: &TestStore) {
    let rows = vec![lpr("2019-08-20", "4.25"), lpr("2019-09-20", "4.20")];
    assert!(s.ensure_lpr_rows(&at(1), &rows).await.unwrap());
    assert!(
        !s.ensure_lpr_rows(&at(2), &[lpr("2020-01-20", "4.15")])
            .await
            .unwrap()
    );
    assert_eq!(s.lpr_rows().await.unwrap(), rows);
    let replaced = vec![
        lpr("2019-08-20", "4.25"),
        lpr("2019-09-20", "4.20"),
        LprRecord {
            date_verified: false,
            ..lpr("2019-10-21", "4.20")
        },
    ];
    s.replace_lpr_rows(&at(3), &replaced).await.unwrap();
    assert_eq!(s.lpr_rows().await.unwrap(), replaced);
    assert_eq!(audit_count(s, "lpr_table", "1y").await, 2);
    // A duplicate publication day is refused and the old table stays.
    let err = s
        .replace_lpr_rows(
            &at(4),
            &[lpr("2019-08-20", "4.25"), lpr("2019-08-20", "4.30")],
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    assert_eq!(s.lpr_rows().await.unwrap(), replaced);
    assert_eq!(audit_count(s, "lpr_table", "1y").await, 2);
    assert!(s.audit_verify().await.unwrap().broken_at.is_none());
}

async fn batches_store_cases_encrypted_and_scoped(s: &TestStore) {
    seed(s).await;
    let c = cipher();
    let cases = vec![new_case(1, "A-1"), new_case(2, "A-2")];
    let row = s
        .create_finance_batch(&at(1), &c, &batch("b1", "court"), &cases)
        .await
        .unwrap();
    assert_eq!((row.case_count, row.error_count, row.total_rows), (2, 1, 3));
    assert_eq!(row.region_path, "/339900/339902/");
    let court_scope = Scope::Subtree("/339900/339902/".into());
    let other_scope = Scope::Subtree("/339900/339903/".into());
    assert_eq!(
        s.finance_batches(&court_scope, PageRequest::default())
            .await
            .unwrap()
            .total,
        1
    );
    assert_eq!(
        s.finance_batches(&other_scope, PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );
    assert!(matches!(
        s.finance_batch(&other_scope, "b1").await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        s.finance_case(&other_scope, "b1", "case-1").await,
        Err(StoreError::NotFound { .. })
    ));
    let stored = s.finance_cases(&court_scope, "b1").await.unwrap();
    assert_eq!(stored.iter().map(|r| r.seq).collect::<Vec<_>>(), vec![1, 2]);
    assert_eq!(stored[0].status, "pending");
    assert_eq!(stored[0].figures().total_fen, 11_098_060);
    assert!(!stored[0].borrower_id_enc.contains("339902198503150012"));
    assert_eq!(
        c.decrypt(&stored[0].borrower_id_enc).unwrap(),
        "339902198503150012"
    );
    assert_eq!(
        c.decrypt(stored[1].borrower_phone_enc.as_deref().unwrap())
            .unwrap(),
        "13800001234"
    );
    assert_eq!(audit_count(s, "finance_batch", "b1").await, 1);

    // A duplicate contract number within a batch writes nothing at all.
    let err = s
        .create_finance_batch(
            &at(2),
            &c,
            &batch("b2", "court"),
            &[new_case(3, "B-1"), new_case(4, "B-1")],
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    assert!(matches!(
        s.finance_batch(&Scope::Everything, "b2").await,
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(audit_count(s, "finance_batch", "b2").await, 0);
    // No cases: refused.
    let err = s
        .create_finance_batch(&at(3), &c, &batch("b3", "court"), &[])
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)));
    // A batch of more than one insert chunk keeps its order.
    let many: Vec<_> = (0..250)
        .map(|n| new_case(100 + n, &format!("M-{n}")))
        .collect();
    s.create_finance_batch(&at(4), &c, &batch("b4", "court2"), &many)
        .await
        .unwrap();
    let stored = s.finance_cases(&Scope::Everything, "b4").await.unwrap();
    assert_eq!(stored.len(), 250);
    assert_eq!(stored[249].seq, 250);
    assert_eq!(stored[249].contract_no, "M-249");
}

async fn decisions_and_steps_are_validated_and_audited(s: &TestStore) {
    seed(s).await;
    let c = cipher();
    s.create_finance_batch(
        &at(1),
        &c,
        &batch("b1", "court"),
        &[new_case(1, "A-1"), new_case(2, "A-2")],
    )
    .await
    .unwrap();
    let scope = Scope::Subtree("/339900/339902/".into());
    let accepted = s
        .decide_finance_case(&at(2), &scope, "b1", "case-1", &Decision::Accept)
        .await
        .unwrap();
    assert_eq!(accepted.status, "accepted");
    assert_eq!(accepted.decided_by.as_deref(), Some("judge-1"));

    // An adjustment needs a reason; a refused one changes nothing and audits nothing.
    let figures = CaseFigures {
        principal_fen: 10_000_000,
        total_fen: 10_500_000,
        ..CaseFigures::default()
    };
    let err = s
        .decide_finance_case(
            &at(3),
            &scope,
            "b1",
            "case-2",
            &Decision::Adjust {
                reason: " ".into(),
                adjustment_json: "{}".into(),
                figures,
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(ref e) if e[0].field == "reason"));
    assert_eq!(
        s.finance_case(&scope, "b1", "case-2").await.unwrap().status,
        "pending"
    );
    assert_eq!(audit_count(s, "finance_case", "case-2").await, 0);

    let adjusted = s
        .decide_finance_case(
            &at(4),
            &scope,
            "b1",
            "case-2",
            &Decision::Adjust {
                reason: "被告当庭主张利息总额不超过年利率24%".into(),
                adjustment_json: r#"{"borrower_raises_cap":true}"#.into(),
                figures,
            },
        )
        .await
        .unwrap();
    assert_eq!(adjusted.status, "adjusted");
    assert_eq!(adjusted.total_fen, 10_500_000);
    let contested = s
        .decide_finance_case(
            &at(5),
            &scope,
            "b1",
            "case-2",
            &Decision::Contest {
                reason: "被告否认借款事实".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(contested.status, "contested");
    let trail = s
        .audit_for_entity("finance_case", "case-2", PageRequest::all())
        .await
        .unwrap();
    assert_eq!(trail.total, 2);
    assert!(
        trail
            .items
            .iter()
            .all(|e| e.action == "finance_case.decide")
    );

    // Steps: known names and real dates only; re-recording replaces and is audited again.
    for (step, date, field) in [
        ("appeal", "2025-01-01", "step"),
        ("filing", "2025-13-01", "on_date"),
    ] {
        let err = s
            .record_finance_step(&at(6), &scope, "b1", "case-1", step, date, "")
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid(ref e) if e[0].field == field),
            "{err:?}"
        );
    }
    s.record_finance_step(
        &at(7),
        &scope,
        "b1",
        "case-1",
        "filing",
        "2025-01-06",
        "（2025）临0102民初1号",
    )
    .await
    .unwrap();
    s.record_finance_step(
        &at(8),
        &scope,
        "b1",
        "case-1",
        "filing",
        "2025-01-07",
        "（2025）临0102民初2号",
    )
    .await
    .unwrap();
    s.record_finance_step(&at(9), &scope, "b1", "case-1", "hearing", "2025-02-10", "")
        .await
        .unwrap();
    let steps = s
        .finance_steps(&["case-1".into(), "case-2".into()])
        .await
        .unwrap();
    assert_eq!(steps.len(), 2);
    let filing = steps.iter().find(|r| r.step == "filing").unwrap();
    assert_eq!(filing.on_date, "2025-01-07");
    assert_eq!(audit_count(s, "finance_case", "case-1").await, 4);
    // Out of scope: not found, nothing written.
    let other = Scope::Subtree("/339900/339903/".into());
    assert!(matches!(
        s.record_finance_step(
            &at(10),
            &other,
            "b1",
            "case-1",
            "enforcement",
            "2025-03-01",
            ""
        )
        .await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        s.decide_finance_case(&at(10), &other, "b1", "case-1", &Decision::Accept)
            .await,
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(audit_count(s, "finance_case", "case-1").await, 4);
    assert!(s.audit_verify().await.unwrap().broken_at.is_none());
}
