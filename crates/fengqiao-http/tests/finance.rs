//! The financial trial assistant through the HTTP API on both backends: calculators with their
//! explanation, the LPR table and its guarded update, a bank batch uploaded with bad rows (the
//! report names row, column and reason; nothing of a bad row is written), the judge's decisions
//! and steps (audited), draft documents and the xlsx export.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

#[allow(dead_code)] // shared with the API tests, which use all of it
mod support;

use axum::http::{Method, StatusCode};
use fengqiao_domain::identifiers::MobileNumber;
use fengqiao_domain::org::OrgKind;
use fengqiao_domain::role::Role;
use fengqiao_finance::columns::COLUMNS;
use fengqiao_http::routes::auth::hash_password;
use fengqiao_store::orgs::NewOrg;
use fengqiao_store::users::NewUser;
use fengqiao_store::{AuditCtx, FieldCipher, PageRequest, Scope};
use serde_json::{Value, json};
use support::*;

api_tests!(
    calculators_answer_figures_and_explanation,
    lpr_table_reads_seeded_and_updates_only_when_sound,
    batch_upload_reports_bad_rows_and_judge_decides,
);

const COURT: &str = "org-court";

/// A district court with a judge and a clerk (intake).
async fn seed_court(app: &TestApp) {
    let s = app.store();
    let ctx = AuditCtx::system(fengqiao_domain::time::Timestamp::parse_rfc3339(START).unwrap());
    let all = Scope::Everything;
    s.create_org(
        &ctx,
        &all,
        COURT,
        &NewOrg {
            name: "江城区人民法院".into(),
            kind: OrgKind::Court,
            region_code: DISTRICT.into(),
            specialty: None,
            court_id: None,
            address: String::new(),
            phone: String::new(),
        },
    )
    .await
    .unwrap();
    let cipher = FieldCipher::new(&[7u8; 32]);
    let hash = hash_password(PASSWORD).unwrap();
    for (i, (username, role)) in [("judge1", Role::Judge), ("clerk1", Role::Intake)]
        .into_iter()
        .enumerate()
    {
        let user = NewUser {
            username: username.into(),
            display_name: if i == 0 {
                "林静".into()
            } else {
                "书记员".into()
            },
            org_id: COURT.into(),
            roles: vec![role],
            password_hash: hash.clone(),
            phone: Some(MobileNumber::parse(&format!("1370000010{i}")).unwrap()),
            id_number: None,
        };
        s.create_user(&ctx, &all, &cipher, &format!("user-{username}"), &user)
            .await
            .unwrap();
    }
}

async fn calc(app: &TestApp, token: &str, calculator: &str, body: Value) -> Reply {
    app.post_json(&format!("/api/v1/calc/{calculator}"), Some(token), &body)
        .await
}

fn figure<'a>(reply: &'a Reply, label: &str) -> &'a str {
    reply.body["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["label"] == label)
        .unwrap_or_else(|| panic!("no figure {label} in {}", reply.body))["value"]
        .as_str()
        .unwrap()
}

async fn calculators_answer_figures_and_explanation(app: TestApp) {
    let token = app.login("s1_intake", PASSWORD).await;
    // DOMAIN §8: fee(100,000) = 2,300.00; a 50,000 claim under simple procedure = 525.00.
    let r = calc(&app, &token, "fee", json!({ "amount": "100000" })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(figure(&r, "费用"), "2,300.00元");
    assert!(
        r.body["explanation"]
            .as_str()
            .unwrap()
            .contains("案件受理费")
    );
    let r = calc(
        &app,
        &token,
        "fee",
        json!({ "amount": "50000", "procedures": ["simple"] }),
    )
    .await;
    assert_eq!(figure(&r, "费用"), "525.00元");
    let r = calc(
        &app,
        &token,
        "fee",
        json!({ "fee": "preservation", "amount": "896000" }),
    )
    .await;
    assert_eq!(figure(&r, "费用"), "5,000.00元");

    let loan = json!({
        "principal": "100000", "start": "2023-07-01", "maturity": "2024-06-30",
        "annual_rate_percent": "6", "penalty_rate_percent": "9", "compute_to": "2024-12-31"
    });
    let r = calc(&app, &token, "loan", loan.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(figure(&r, "利息"), "6,100.00元");
    assert_eq!(figure(&r, "罚息"), "4,600.00元");
    assert_eq!(figure(&r, "复利"), "280.60元");
    assert_eq!(figure(&r, "合计"), "110,980.60元");
    assert!(
        r.body["explanation"]
            .as_str()
            .unwrap()
            .contains("暂计至2024年12月31日")
    );

    // Late performance: 0.0175% a day; 100,000 for 10 days = 175.00.
    let r = calc(
        &app,
        &token,
        "late",
        json!({ "debt": "100000", "first_day": "2025-01-01", "until": "2025-01-10" }),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(figure(&r, "加倍部分债务利息"), "175.00元");
    // Labour: the 50–100% extra compensation on 8,000 unpaid.
    let r = calc(
        &app,
        &token,
        "labour",
        json!({ "kind": "extra_compensation", "unpaid": "8000" }),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(figure(&r, "下限（50%）"), "4,000.00元");
    assert_eq!(figure(&r, "上限（100%）"), "8,000.00元");
    // Private lending uses the stored LPR table: formed 2021-03-01 (LPR 3.85%) → cap 15.4%.
    let r = calc(&app, &token, "lending", json!({
        "principal": "50000", "lent_on": "2021-03-01", "maturity": "2021-12-31", "filed_on": "2022-03-01",
        "compute_to": "2021-12-31", "term_rate": { "kind": "agreed", "annual_percent": "24" },
        "between_natural_persons": true
    })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body["explanation"].as_str().unwrap().contains("15.4%"),
        "{}",
        r.body
    );

    // Refusals name the field; unknown calculators are 404.
    let r = calc(&app, &token, "loan", json!({ "principal": "-1", "start": "2023-07-01", "maturity": "2024-06-30", "annual_rate_percent": "6", "penalty_rate_percent": "9", "compute_to": "2024-12-31" })).await;
    r.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(r.field(), "principal");
    let r = calc(&app, &token, "fee", json!({ "amount": 100000.5 })).await;
    assert!(r.status.is_client_error(), "floats are refused: {}", r.body);
    calc(&app, &token, "horoscope", json!({}))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    // The docx calculation sheet.
    let r = app
        .post_json("/api/v1/calc/loan/docx", Some(&token), &loan)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").contains("wordprocessingml"));
    assert!(r.text().starts_with("PK"));
    // Not logged in: 401.
    app.post_json("/api/v1/calc/fee", None, &json!({ "amount": "1" }))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
}

fn lpr_rows(rows: &[(&str, &str)]) -> Value {
    json!({ "rows": rows.iter().map(|(d, r)| json!({ "published": d, "rate_percent": r })).collect::<Vec<_>>() })
}

async fn lpr_table_reads_seeded_and_updates_only_when_sound(app: TestApp) {
    let admin = app.login("admin", PASSWORD).await;
    let r = app.get("/api/v1/lpr", Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["rows"].as_array().unwrap().len(), 78);
    assert_eq!(r.body["rows"][0]["published"], "2019-08-20");
    assert_eq!(r.body["last_published"], "2026-01-20");

    let put = |token: String, body: Value| {
        let app = &app;
        async move {
            app.send_raw(
                Method::PUT,
                "/api/v1/lpr",
                Some(&token),
                "application/json",
                body.to_string().into_bytes(),
            )
            .await
        }
    };
    // A street administrator may not set the city's table.
    let s1 = app.login("s1_admin", PASSWORD).await;
    put(s1, lpr_rows(&[("2019-08-20", "4.25")]))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    // A missing month, a date out of order, an absurd rate: each named, nothing written.
    let r = put(
        admin.clone(),
        lpr_rows(&[
            ("2019-08-20", "4.25"),
            ("2019-10-21", "4.20"),
            ("2019-10-20", "4.20"),
            ("2019-11-20", "42"),
        ]),
    )
    .await;
    r.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let fields: Vec<&str> = r.body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"rows[1].published"), "{fields:?}");
    assert!(fields.contains(&"rows[2].published"), "{fields:?}");
    assert!(fields.contains(&"rows[3].rate_percent"), "{fields:?}");
    put(admin.clone(), lpr_rows(&[("2019-08-01", "4.25")]))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(
        app.get("/api/v1/lpr", Some(&admin)).await.body["rows"]
            .as_array()
            .unwrap()
            .len(),
        78
    );

    // A sound series replaces the table and is audited.
    let r = put(
        admin.clone(),
        lpr_rows(&[
            ("2019-08-20", "4.25"),
            ("2019-09-20", "4.20"),
            ("2019-10-21", "4.20"),
        ]),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app.get("/api/v1/lpr", Some(&admin)).await;
    assert_eq!(r.body["rows"].as_array().unwrap().len(), 3);
    assert_eq!(r.body["last_published"], "2019-10-21");
    let trail = app
        .store()
        .audit_for_entity("lpr_table", "1y", PageRequest::all())
        .await
        .unwrap();
    assert_eq!(
        trail
            .items
            .iter()
            .filter(|e| e.action == "lpr.update")
            .count(),
        1
    );
}

/// The template header and the given rows as csv.
fn csv(rows: &[Vec<(&str, &str)>]) -> Vec<u8> {
    let mut out = COLUMNS
        .iter()
        .map(|c| c.header)
        .collect::<Vec<_>>()
        .join(",");
    out.push('\n');
    for changes in rows {
        let cells: Vec<String> = COLUMNS
            .iter()
            .map(|c| {
                let v = changes
                    .iter()
                    .find(|(k, _)| *k == c.key)
                    .map_or(c.example, |(_, v)| *v);
                fengqiao_finance::sheet::csv_field(v)
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out.into_bytes()
}

async fn upload(app: &TestApp, token: &str, name: &str, bytes: Vec<u8>) -> Reply {
    let req = TestApp::request(
        Method::POST,
        "/api/v1/finance/batches?name=%E7%AC%AC%E4%B8%80%E6%89%B9",
        Some(token),
    )
    .header("content-type", "text/csv")
    .header("x-filename", name)
    .body(axum::body::Body::from(bytes))
    .unwrap();
    app.send(req).await
}

async fn batch_upload_reports_bad_rows_and_judge_decides(app: TestApp) {
    seed_court(&app).await;
    let judge = app.login("judge1", PASSWORD).await;
    let clerk = app.login("clerk1", PASSWORD).await;
    let audit_before = app
        .store()
        .audit_recent(PageRequest::default())
        .await
        .unwrap()
        .total;

    // Every row bad: 422 naming each problem, nothing written.
    let r = upload(
        &app,
        &clerk,
        "bad.csv",
        csv(&[
            vec![("principal", "abc")],
            vec![("borrower_id", "339902198503150013")],
        ]),
    )
    .await;
    r.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let fields: Vec<&str> = r.body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        vec!["file", "rows[2].principal", "rows[3].borrower_id"]
    );
    assert_eq!(
        app.get("/api/v1/finance/batches", Some(&clerk)).await.body["total"],
        0
    );
    assert_eq!(
        app.store()
            .audit_recent(PageRequest::default())
            .await
            .unwrap()
            .total,
        audit_before
    );
    // A file that is neither xlsx nor csv, and a missing column.
    upload(&app, &clerk, "x.pdf", b"%PDF-1.4".to_vec())
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let r = upload(
        &app,
        &clerk,
        "x.csv",
        "借款合同编号\nA\n".as_bytes().to_vec(),
    )
    .await;
    r.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert!(
        r.body["error"]["details"][0]["message"]
            .as_str()
            .unwrap()
            .contains("借款本金")
    );
    // Citizens' and mediators' roles cannot upload; s1 admin can't see the district's batches.

    // Two good rows and two bad ones: the good are stored, the bad reported.
    let r = upload(
        &app,
        &clerk,
        "bank.csv",
        csv(&[
            vec![("contract_no", "JC-1")],
            vec![("contract_no", "JC-2"), ("start", "2023-02-30")],
            vec![
                ("contract_no", "JC-3"),
                ("penalty_rate", "30"),
                ("annual_rate", "20"),
                ("lawyer_fee", "2000"),
            ],
            vec![("contract_no", "JC-1")],
        ]),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let errors = r.body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2);
    assert_eq!(
        (errors[0]["row"].as_i64(), errors[0]["column"].as_str()),
        (Some(3), Some("start"))
    );
    assert_eq!(errors[0]["header"], "放款日");
    assert_eq!(
        (errors[1]["row"].as_i64(), errors[1]["column"].as_str()),
        (Some(5), Some("contract_no"))
    );
    let batch_id = r.body["batch"]["id"].as_str().unwrap().to_owned();
    assert_eq!(r.body["batch"]["name"], "第一批");
    assert_eq!(r.body["batch"]["case_count"], 2);
    assert_eq!(r.body["batch"]["total_rows"], 4);

    let detail = app
        .get(&format!("/api/v1/finance/batches/{batch_id}"), Some(&judge))
        .await;
    assert_eq!(detail.status, StatusCode::OK, "{}", detail.body);
    let cases = detail.body["cases"].as_array().unwrap().clone();
    assert_eq!(cases.len(), 2);
    assert_eq!(cases[0]["contract_no"], "JC-1");
    assert_eq!(cases[0]["figures"]["total_fen"], 11_098_060);
    assert_eq!(detail.body["errors"].as_array().unwrap().len(), 2);
    assert_eq!(detail.body["batch"]["pending"], 2);
    // Another street's staff do not see it at all.
    let s2 = app.login("s2_intake", PASSWORD).await;
    app.get(&format!("/api/v1/finance/batches/{batch_id}"), Some(&s2))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    let case1 = cases[0]["id"].as_str().unwrap().to_owned();
    let case2 = cases[1]["id"].as_str().unwrap().to_owned();
    let base = format!("/api/v1/finance/batches/{batch_id}/cases");
    let one = app.get(&format!("{base}/{case1}"), Some(&judge)).await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.body);
    assert!(
        one.body["judgment_text"]
            .as_str()
            .unwrap()
            .contains("第二百六十四条")
    );
    assert!(one.body["wording"]["explanation"].as_array().unwrap().len() > 3);
    assert!(
        !one.body.to_string().contains("339902198503150012"),
        "the ID number never leaves unmasked"
    );

    // Decisions: only judges; adjust and contest need a reason; each is audited.
    let decide = |token: &str, case: &str, body: Value| {
        let path = format!("{base}/{case}/decision");
        let token = token.to_owned();
        let app = &app;
        async move { app.post_json(&path, Some(&token), &body).await }
    };
    decide(&clerk, &case1, json!({ "action": "accept" }))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    let r = decide(&judge, &case1, json!({ "action": "accept" })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["summary"]["status"], "accepted");
    let r = decide(
        &judge,
        &case2,
        json!({ "action": "adjust", "adjustment": { "borrower_raises_cap": true } }),
    )
    .await;
    r.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(r.field(), "reason");
    let r = decide(
        &judge,
        &case2,
        json!({ "action": "adjust", "reason": "理由" }),
    )
    .await;
    assert_eq!(r.field(), "adjustment");
    let before_total = cases[1]["figures"]["total_fen"].as_i64().unwrap();
    let r = decide(&judge, &case2, json!({ "action": "adjust", "reason": "被告当庭主张总计不超过年利率24%", "adjustment": { "borrower_raises_cap": true } })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["summary"]["status"], "adjusted");
    let after_total = r.body["summary"]["figures"]["total_fen"].as_i64().unwrap();
    assert!(after_total < before_total, "{after_total} < {before_total}");
    assert!(
        r.body["judgment_text"]
            .as_str()
            .unwrap()
            .contains("年利率24%")
    );
    assert_eq!(r.body["adjustment"]["borrower_raises_cap"], true);
    let trail = app
        .store()
        .audit_for_entity("finance_case", &case2, PageRequest::all())
        .await
        .unwrap();
    assert_eq!(trail.total, 1, "the refused attempts wrote nothing");
    let r = decide(
        &judge,
        &case2,
        json!({ "action": "contest", "reason": "被告否认收到借款" }),
    )
    .await;
    assert_eq!(r.body["summary"]["status"], "contested");

    // Steps: 快立 by the clerk, 快审 by the judge.
    let r = app.post_json(&format!("{base}/{case1}/steps"), Some(&clerk), &json!({ "step": "filing", "on_date": "2026-03-02", "note": "（2026）临0102民初101号" })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .post_json(
            &format!("{base}/{case1}/steps"),
            Some(&judge),
            &json!({ "step": "hearing", "on_date": "2026-03-09" }),
        )
        .await;
    assert_eq!(r.body["summary"]["steps"].as_array().unwrap().len(), 2);
    app.post_json(
        &format!("{base}/{case1}/steps"),
        Some(&judge),
        &json!({ "step": "appeal", "on_date": "2026-03-09" }),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");

    // Drafts: the judgment carries the case number from filing; docx and PDF.
    for key in ["finance_complaint", "finance_mediation", "finance_judgment"] {
        let r = app
            .get(
                &format!("{base}/{case1}/documents/{key}/docx"),
                Some(&judge),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{key}: {}", r.body);
        assert!(r.text().starts_with("PK"));
    }
    let r = app
        .get(
            &format!("{base}/{case1}/documents/finance_judgment/pdf"),
            Some(&judge),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.text().starts_with("%PDF"));
    app.get(
        &format!("{base}/{case1}/documents/acceptance_notice/docx"),
        Some(&judge),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "not_found");

    // The export is an xlsx workbook; the template downloads too.
    let r = app
        .get(
            &format!("/api/v1/finance/batches/{batch_id}/export"),
            Some(&judge),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").contains("spreadsheetml"));
    assert!(r.text().starts_with("PK"));
    let r = app.get("/api/v1/finance/template/csv", Some(&clerk)).await;
    assert!(r.text().contains("借款合同编号"));
    let list = app.get("/api/v1/finance/batches", Some(&judge)).await;
    assert_eq!(list.body["total"], 1);
    assert_eq!(list.body["items"][0]["accepted"], 1);
    assert_eq!(list.body["items"][0]["contested"], 1);
    assert!(
        app.store()
            .audit_verify()
            .await
            .unwrap()
            .broken_at
            .is_none()
    );
}
