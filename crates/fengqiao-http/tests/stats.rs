//! `GET /api/v1/stats/disputes` on both backends: empty figures without rates, then a case taken
//! from intake to the party's evaluation and one left waiting past its acceptance target — the
//! stages, types, rates, overdue count and evaluation appear, scoped like the dispute list.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

#[allow(dead_code)] // shared with the API tests, which use all of it
mod support;

use fengqiao_domain::identifiers::MobileNumber;
use fengqiao_domain::org::OrgKind;
use fengqiao_domain::role::Role;
use fengqiao_http::routes::auth::hash_password;
use fengqiao_store::orgs::NewOrg;
use fengqiao_store::users::NewUser;
use fengqiao_store::{AuditCtx, FieldCipher, Scope};
use serde_json::{Value, json};
use support::*;

api_tests!(figures_follow_the_cases_and_the_scope);

const COMMITTEE: &str = "org-s1-committee";

async fn seed_committee(app: &TestApp) {
    let s = app.store();
    let ctx = AuditCtx::system(fengqiao_domain::time::Timestamp::parse_rfc3339(START).unwrap());
    s.create_org(
        &ctx,
        &Scope::Everything,
        COMMITTEE,
        &NewOrg {
            name: "望江街道人民调解委员会".into(),
            kind: OrgKind::MediationCommittee,
            region_code: STREET_1.into(),
            specialty: None,
            court_id: None,
            address: String::new(),
            phone: String::new(),
        },
    )
    .await
    .unwrap();
    s.create_user(
        &ctx,
        &Scope::Everything,
        &FieldCipher::new(&[7u8; 32]),
        "user-street-med",
        &NewUser {
            username: "street_med".into(),
            display_name: "调解员".into(),
            org_id: COMMITTEE.into(),
            roles: vec![Role::Mediator],
            password_hash: hash_password(PASSWORD).unwrap(),
            phone: Some(MobileNumber::parse("13600000009").unwrap()),
            id_number: None,
        },
    )
    .await
    .unwrap();
}

async fn register(app: &TestApp, token: &str, title: &str, dispute_type: &str) -> Value {
    let body = json!({
        "title": title, "dispute_type": dispute_type, "facts": "事实经过。", "claims": "请求事项。",
        "amount_fen": 300_000, "region_code": COMMUNITY_1, "channel": "window",
        "parties": [
            { "role": "applicant", "kind": "person", "name": "周敏", "phone": "13905710001" },
            { "role": "respondent", "kind": "person", "name": "吴强" }
        ],
    });
    let r = app.post_json("/api/v1/disputes", Some(token), &body).await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.body
}

async fn step(app: &TestApp, token: &str, id: &str, command: Value) {
    let r = app
        .post_json(
            &format!("/api/v1/disputes/{id}/commands"),
            Some(token),
            &json!({ "command": command }),
        )
        .await;
    assert_eq!(r.status, 200, "{command} → {}", r.body);
}

fn stage_count(stats: &Value, stage: &str) -> i64 {
    stats["by_stage"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == stage)
        .unwrap_or_else(|| panic!("no {stage} in {stats}"))["count"]
        .as_i64()
        .unwrap()
}

async fn figures_follow_the_cases_and_the_scope(app: TestApp) {
    seed_committee(&app).await;
    let intake = app.login("s1_intake", PASSWORD).await;
    app.get("/api/v1/stats/disputes", None)
        .await
        .assert_error(axum::http::StatusCode::UNAUTHORIZED, "unauthenticated");

    let empty = app.get("/api/v1/stats/disputes", Some(&intake)).await;
    assert_eq!(empty.status, 200, "{}", empty.body);
    assert_eq!(empty.body["total"], 0);
    assert!(empty.body["mediation_success_rate"].is_null());
    assert!(empty.body["completion_rate"].is_null());
    assert!(empty.body["satisfaction_mean"].is_null());
    assert_eq!(empty.body["by_stage"].as_array().unwrap().len(), 18);

    // One case from intake to the party's evaluation.
    let a = register(&app, &intake, "邻里漏水纠纷", "neighbour").await;
    let a_id = a["dispute"]["id"].as_str().unwrap();
    step(
        &app,
        &intake,
        a_id,
        json!({ "command": "route", "org_ids": [COMMITTEE] }),
    )
    .await;
    let med = app.login("street_med", PASSWORD).await;
    for command in [
        json!({ "command": "accept" }),
        json!({ "command": "start_mediation" }),
        json!({ "command": "reach_agreement" }),
        json!({ "command": "start_performance" }),
        json!({ "command": "follow_up", "performed": true }),
    ] {
        step(&app, &med, a_id, command).await;
    }
    let eval = app
        .post_json(
            "/api/v1/party/evaluate",
            None,
            &json!({ "code": a["dispute"]["code"], "factor": a["access_secret"], "satisfaction": 4, "heard": true, "timely": false, "fair": true }),
        )
        .await;
    assert_eq!(eval.status, 200, "{}", eval.body);
    // A second case routed to the committee and left waiting for acceptance.
    let b = register(&app, &intake, "劳务费纠纷", "labour").await;
    let b_id = b["dispute"]["id"].as_str().unwrap();
    step(
        &app,
        &intake,
        b_id,
        json!({ "command": "route", "org_ids": [COMMITTEE] }),
    )
    .await;

    let stats = app.get("/api/v1/stats/disputes", Some(&intake)).await.body;
    assert_eq!(stats["total"], 2, "{stats}");
    assert_eq!(stats["open"], 1);
    assert_eq!(stats["completed"], 1);
    assert_eq!(stage_count(&stats, "evaluated"), 1);
    assert_eq!(stage_count(&stats, "triaged"), 1);
    assert_eq!(stats["mediation_success_rate"], 1.0);
    assert_eq!(stats["completion_rate"], 0.5);
    assert_eq!(stats["satisfaction_mean"], 4.0);
    assert_eq!(stats["evaluations"]["count"], 1);
    assert_eq!(stats["evaluations"]["by_score"], json!([0, 0, 0, 1, 0]));
    assert_eq!(
        (
            &stats["evaluations"]["heard"],
            &stats["evaluations"]["timely"]
        ),
        (&json!(1), &json!(0))
    );
    let types: Vec<&str> = stats["by_type"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap())
        .collect();
    assert_eq!(types.len(), 2, "{types:?}");
    assert!(types.contains(&"labour") && types.contains(&"neighbour"));
    assert_eq!(stats["overdue_cases"], 0, "nothing is due on the first day");

    // A month later the waiting case is past its acceptance target on the official calendar.
    app.clock.advance_secs(30 * 86_400);
    // Sessions do not last a month: log in again.
    let intake = app.login("s1_intake", PASSWORD).await;
    let med = app.login("street_med", PASSWORD).await;
    let later = app.get("/api/v1/stats/disputes", Some(&intake)).await;
    assert_eq!(later.status, 200, "{}", later.body);
    let later = later.body;
    assert_eq!(later["overdue_cases"], 1, "{later}");
    assert!(later["overdue_clocks"].as_i64().unwrap() >= 1);
    // The committee counts the cases assigned to it, another street counts none.
    let mine = app.get("/api/v1/stats/disputes", Some(&med)).await;
    assert_eq!(mine.status, 200, "{}", mine.body);
    let mine = mine.body;
    assert_eq!(mine["total"], 2, "{mine}");
    let other = app.login("s2_intake", PASSWORD).await;
    let theirs = app.get("/api/v1/stats/disputes", Some(&other)).await.body;
    assert_eq!(theirs["total"], 0, "{theirs}");
    assert_eq!(theirs["overdue_cases"], 0);
}
