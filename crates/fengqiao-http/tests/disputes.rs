//! Dispute stories through the HTTP API on both backends: window intake with joint handling to an
//! evaluation by code (Zhuji), court diversion to judicial confirmation (Jinan), refusals that
//! write nothing, data scope, and throttled party access.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

#[allow(dead_code)] // shared with the API tests, which use all of it
mod support;

use fengqiao_domain::identifiers::MobileNumber;
use fengqiao_domain::org::{OrgKind, Specialty};
use fengqiao_domain::role::Role;
use fengqiao_http::routes::auth::hash_password;
use fengqiao_store::orgs::NewOrg;
use fengqiao_store::users::NewUser;
use fengqiao_store::{AuditCtx, FieldCipher, PageRequest, Scope};
use serde_json::{Value, json};
use support::*;

api_tests!(
    chunan_wage_claims_form_one_group_with_one_alert,
    documents_attachments_and_submissions,
    supervision_counts_labour_days_on_the_calendar,
    unaccepted_cases_escalate_once_and_timers_survive_restart,
    zhuji_joint_handling_to_evaluation,
    jinan_court_diversion_to_confirmation,
    refused_commands_write_nothing,
    party_access_is_throttled,
    clock_extensions_need_the_named_approver_within_the_cap,
    bulk_import_registers_good_cases_and_reports_the_rest,
    citizens_file_online_and_staff_reveal_with_a_reason
);

const LABOUR: &str = "org-labour";
const COMMERCIAL: &str = "org-commercial";
const COURT: &str = "org-court";
const STREET_COMMITTEE: &str = "org-s1-committee";

/// Bodies and staff the stories need beyond the common tree.
async fn seed_bodies(app: &TestApp) {
    let s = app.store();
    let ctx = AuditCtx::system(fengqiao_domain::time::Timestamp::parse_rfc3339(START).unwrap());
    let all = Scope::Everything;
    let org = |name: &str, kind, region: &str, specialty| NewOrg {
        name: name.into(),
        kind,
        region_code: region.into(),
        specialty,
        court_id: None,
        address: String::new(),
        phone: String::new(),
    };
    s.create_org(
        &ctx,
        &all,
        LABOUR,
        &org(
            "江城区劳动争议人民调解委员会",
            OrgKind::IndustryMediationCommittee,
            DISTRICT,
            Some(Specialty::Labour),
        ),
    )
    .await
    .unwrap();
    s.create_org(
        &ctx,
        &all,
        COMMERCIAL,
        &org(
            "江城区商事人民调解委员会",
            OrgKind::IndustryMediationCommittee,
            DISTRICT,
            Some(Specialty::Commercial),
        ),
    )
    .await
    .unwrap();
    s.create_org(
        &ctx,
        &all,
        COURT,
        &org("江城区人民法院", OrgKind::Court, DISTRICT, None),
    )
    .await
    .unwrap();
    s.create_org(
        &ctx,
        &all,
        STREET_COMMITTEE,
        &org(
            "望江街道人民调解委员会",
            OrgKind::MediationCommittee,
            STREET_1,
            None,
        ),
    )
    .await
    .unwrap();
    let cipher = FieldCipher::new(&[7u8; 32]);
    let hash = hash_password(PASSWORD).unwrap();
    for (i, (username, org_id, role)) in [
        ("labour_med", LABOUR, Role::Mediator),
        ("commercial_med", COMMERCIAL, Role::Mediator),
        ("judge1", COURT, Role::Judge),
        ("street_med", STREET_COMMITTEE, Role::Mediator),
    ]
    .into_iter()
    .enumerate()
    {
        let user = NewUser {
            username: username.into(),
            display_name: "测试人员".into(),
            org_id: org_id.into(),
            roles: vec![role],
            password_hash: hash.clone(),
            phone: Some(MobileNumber::parse(&format!("1360000000{i}")).unwrap()),
            id_number: None,
        };
        s.create_user(&ctx, &all, &cipher, &format!("user-{username}"), &user)
            .await
            .unwrap();
    }
}

fn worker(i: usize) -> Value {
    json!({ "role": "applicant", "kind": "person", "name": format!("工人{i}"), "phone": format!("1581234{:04}", 5670 + i) })
}

fn keyed_post(token: &str, body: &Value) -> axum::http::Request<axum::body::Body> {
    TestApp::request(axum::http::Method::POST, "/api/v1/disputes", Some(token))
        .header("content-type", "application/json")
        .header("idempotency-key", "zhuji-1")
        .body(axum::body::Body::from(body.to_string()))
        .unwrap()
}

async fn command(app: &TestApp, token: &str, id: &str, cmd: Value) -> Reply {
    app.post_json(
        &format!("/api/v1/disputes/{id}/commands"),
        Some(token),
        &json!({ "command": cmd, "note": "记录" }),
    )
    .await
}

async fn ok(app: &TestApp, token: &str, id: &str, cmd: Value, stage: &str) {
    let r = command(app, token, id, cmd.clone()).await;
    assert_eq!(r.status, 200, "{cmd} → {}", r.body);
    assert_eq!(r.body["stage"], stage, "{cmd}");
}

async fn dispute_audit_count(app: &TestApp, id: &str) -> i64 {
    app.store()
        .audit_for_entity("dispute", id, PageRequest::default())
        .await
        .unwrap()
        .total
}

async fn zhuji_joint_handling_to_evaluation(app: TestApp) {
    seed_bodies(&app).await;
    let intake = app.login("s1_intake", PASSWORD).await;
    let mut parties: Vec<Value> = (0..6).map(worker).collect();
    parties.push(json!({ "role": "respondent", "kind": "entity", "name": "临江市宏达服装有限公司", "credit_code": "91440300708461136T" }));
    let body = json!({
        "title": "宏达服装厂停产拖欠六名职工工资", "dispute_type": "labour",
        "facts": "工厂于2026年1月停产，拖欠6名职工两个月工资。", "claims": "支付拖欠工资合计48000元及经济补偿。",
        "amount_fen": 4_800_000, "region_code": COMMUNITY_1, "channel": "window", "parties": parties,
    });
    let req = keyed_post(&intake, &body);
    let created = app.send(req).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["dispute"]["id"].as_str().unwrap().to_owned();
    let code = created.body["dispute"]["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 13);
    let secret = created.body["access_secret"].as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 6);
    // Six workers: below the mass threshold, so the labour rule suggests the district labour committee.
    assert_eq!(
        created.body["routing"]["org_ids"],
        json!([LABOUR]),
        "{}",
        created.body["routing"]
    );
    assert!(
        created.body["routing"]["explanation_zh"]
            .as_str()
            .unwrap()
            .contains("劳动")
    );
    // A retry with the same key returns the same case, not a second one.
    let req = keyed_post(&intake, &body);
    let replay = app.send(req).await;
    assert_eq!(replay.status, 200);
    assert_eq!(replay.body["dispute"]["code"], code.as_str());
    assert_eq!(replay.body["replayed"], true);
    // The same workers against the same employer again: the new case carries a duplicate hint.
    let again = app
        .post_json("/api/v1/disputes", Some(&intake), &body)
        .await;
    assert_eq!(again.status, 201);
    assert_eq!(
        again.body["duplicates"][0]["code"],
        code.as_str(),
        "{}",
        again.body
    );

    ok(
        &app,
        &intake,
        &id,
        json!({ "command": "route", "org_ids": [LABOUR, COMMERCIAL] }),
        "triaged",
    )
    .await;
    let labour = app.login("labour_med", PASSWORD).await;
    let commercial = app.login("commercial_med", PASSWORD).await;
    // Both bodies see it in their work queue (assigned although outside their own region scope).
    for t in [&labour, &commercial] {
        let queue = app.get("/api/v1/disputes?mine=true", Some(t)).await;
        assert_eq!(queue.body["total"], 1, "{}", queue.body);
    }
    ok(
        &app,
        &labour,
        &id,
        json!({ "command": "accept" }),
        "accepted",
    )
    .await;
    ok(
        &app,
        &labour,
        &id,
        json!({ "command": "start_mediation" }),
        "mediating",
    )
    .await;
    let session = app
        .post_json(
            &format!("/api/v1/disputes/{id}/commands"),
            Some(&commercial),
            &json!({ "command": { "command": "record_session" }, "note": "联合调解，双方到场", "details": { "place": "望江街道矛调中心", "participants": ["工人0", "厂方代表"] } }),
        )
        .await;
    assert_eq!(session.status, 200, "{}", session.body);
    ok(
        &app,
        &labour,
        &id,
        json!({ "command": "reach_agreement" }),
        "agreement",
    )
    .await;
    ok(
        &app,
        &labour,
        &id,
        json!({ "command": "start_performance" }),
        "performing",
    )
    .await;
    ok(
        &app,
        &labour,
        &id,
        json!({ "command": "follow_up", "performed": true }),
        "closed",
    )
    .await;

    // The party follows with the code and the last four digits of the first applicant's phone.
    let view = app
        .post_json(
            "/api/v1/party/case",
            None,
            &json!({ "code": code, "factor": "5670" }),
        )
        .await;
    assert_eq!(view.status, 200, "{}", view.body);
    assert_eq!(view.body["stage"], "closed");
    assert_eq!(view.body["can_evaluate"], true);
    let texts: Vec<&str> = view.body["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert!(texts.contains(&"已达成调解协议"), "{texts:?}");
    assert!(
        !view.body.to_string().contains("联合调解，双方到场"),
        "internal notes stay internal"
    );
    let eval = app
        .post_json("/api/v1/party/evaluate", None, &json!({ "code": code, "factor": secret, "satisfaction": 5, "heard": true, "timely": true, "fair": true, "comment": "调解员很耐心" }))
        .await;
    assert_eq!(eval.status, 200, "{}", eval.body);
    assert_eq!(eval.body["stage"], "evaluated");

    let detail = app
        .get(&format!("/api/v1/disputes/{id}"), Some(&labour))
        .await;
    assert_eq!(detail.body["assignments"].as_array().unwrap().len(), 2);
    assert!(
        detail.body["parties"][0]["phone_masked"]
            .as_str()
            .unwrap()
            .contains("****")
    );
    assert!(
        !detail.body.to_string().contains("15812345670"),
        "phones are masked"
    );
    let clocks = detail.body["clocks"].as_array().unwrap();
    assert!(
        clocks.iter().any(|c| c["clock_id"] == "labour_mediation"),
        "{clocks:?}"
    );
    // Register + 7 staff steps + the party's evaluation = 9 audit entries; the chain holds.
    assert_eq!(dispute_audit_count(&app, &id).await, 9);
    assert_eq!(app.store().audit_verify().await.unwrap().broken_at, None);
    // Another street sees nothing of it.
    let other = app.login("s2_intake", PASSWORD).await;
    app.get(&format!("/api/v1/disputes/{id}"), Some(&other))
        .await
        .assert_error(axum::http::StatusCode::NOT_FOUND, "not_found");
    assert_eq!(
        app.get("/api/v1/disputes", Some(&other)).await.body["total"],
        0
    );
}

async fn jinan_court_diversion_to_confirmation(app: TestApp) {
    seed_bodies(&app).await;
    let judge = app.login("judge1", PASSWORD).await;
    let body = json!({
        "title": "房屋租赁合同纠纷（诉前分流）", "dispute_type": "contract",
        "facts": "承租人拖欠三个月租金，出租人起诉至江城区人民法院，经诉前分流委派调解。", "claims": "支付租金18000元并腾退房屋。",
        "amount_fen": 1_800_000, "region_code": COMMUNITY_1, "channel": "court_diversion",
        "parties": [
            { "role": "applicant", "kind": "person", "name": "周建国", "phone": "13905718888", "id_number": "11010519491231002X" },
            { "role": "respondent", "kind": "person", "name": "吴晓明", "phone": "13905719999" }
        ],
    });
    let created = app.post_json("/api/v1/disputes", Some(&judge), &body).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["dispute"]["id"].as_str().unwrap().to_owned();
    let code = created.body["dispute"]["code"].as_str().unwrap().to_owned();
    let admin = app.login("admin", PASSWORD).await;
    ok(
        &app,
        &admin,
        &id,
        json!({ "command": "route", "org_ids": [STREET_COMMITTEE] }),
        "triaged",
    )
    .await;
    ok(
        &app,
        &admin,
        &id,
        json!({ "command": "invite_judge", "judge_org_id": COURT }),
        "triaged",
    )
    .await;
    let med = app.login("street_med", PASSWORD).await;
    for (cmd, stage) in [
        ("accept", "accepted"),
        ("start_mediation", "mediating"),
        ("reach_agreement", "agreement"),
    ] {
        ok(&app, &med, &id, json!({ "command": cmd }), stage).await;
    }
    let asked = app
        .post_json(
            "/api/v1/party/confirmation",
            None,
            &json!({ "code": code, "factor": "8888" }),
        )
        .await;
    assert_eq!(asked.status, 200, "{}", asked.body);
    assert_eq!(asked.body["stage"], "confirmation_requested");
    ok(
        &app,
        &judge,
        &id,
        json!({ "command": "confirm_agreement" }),
        "confirmed",
    )
    .await;
    ok(
        &app,
        &med,
        &id,
        json!({ "command": "start_performance" }),
        "performing",
    )
    .await;
    let detail = app
        .get(&format!("/api/v1/disputes/{id}"), Some(&judge))
        .await;
    let clocks = detail.body["clocks"].as_array().unwrap();
    let confirmation = clocks
        .iter()
        .find(|c| c["clock_id"] == "confirmation_acceptance")
        .expect("court clock started");
    assert!(
        !confirmation["stopped_at"].is_null(),
        "stopped when the court decided: {confirmation}"
    );
    assert!(
        detail.body["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["kind"] == "court")
    );
    // The diverting court hears the outcome of each step (诉前调解结果反馈).
    let notices = app.store().notices_for(&id).await.unwrap();
    assert!(
        notices.iter().any(|n| n.recipient == "user:user-judge1" && n.body.contains("法院已确认调解协议有效")),
        "{notices:?}"
    );
}

async fn refused_commands_write_nothing(app: TestApp) {
    seed_bodies(&app).await;
    let intake = app.login("s1_intake", PASSWORD).await;
    let body = json!({
        "title": "邻里噪音纠纷", "dispute_type": "neighbour", "facts": "楼上住户夜间噪音。", "claims": "停止噪音。",
        "region_code": COMMUNITY_1, "channel": "window",
        "parties": [{ "role": "applicant", "kind": "person", "name": "李梅", "phone": "13811112222" }, { "role": "respondent", "kind": "person", "name": "王强" }],
    });
    let id = app
        .post_json("/api/v1/disputes", Some(&intake), &body)
        .await
        .body["dispute"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = dispute_audit_count(&app, &id).await;
    // Wrong stage, wrong role, bad input: each refused, none written.
    command(&app, &intake, &id, json!({ "command": "reach_agreement" }))
        .await
        .assert_error(axum::http::StatusCode::FORBIDDEN, "forbidden");
    command(
        &app,
        &intake,
        &id,
        json!({ "command": "start_performance" }),
    )
    .await
    .assert_error(axum::http::StatusCode::FORBIDDEN, "forbidden");
    let wrong_stage = command(&app, &intake, &id, json!({ "command": "unmerge" })).await;
    assert_eq!(wrong_stage.status, 422, "{}", wrong_stage.body);
    assert_eq!(wrong_stage.field(), "command");
    let empty = command(
        &app,
        &intake,
        &id,
        json!({ "command": "route", "org_ids": [] }),
    )
    .await;
    assert_eq!((empty.status.as_u16(), empty.field()), (422, "org_ids"));
    let unknown_org = command(
        &app,
        &intake,
        &id,
        json!({ "command": "route", "org_ids": ["nope"] }),
    )
    .await;
    assert_eq!(
        (unknown_org.status.as_u16(), unknown_org.field()),
        (422, "org_ids")
    );
    let bogus = command(&app, &intake, &id, json!({ "command": "teleport" })).await;
    assert_eq!(bogus.status, 422);
    assert_eq!(dispute_audit_count(&app, &id).await, before);
    // Intake validation names the field.
    let mut bad = body.clone();
    bad["parties"][0]["phone"] = json!("12345");
    bad["dispute_type"] = json!("alien");
    let r = app.post_json("/api/v1/disputes", Some(&intake), &bad).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let fields: Vec<&str> = r.body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["parties.0.phone"]);
    bad["parties"][0]["phone"] = json!("13811112222");
    let r = app.post_json("/api/v1/disputes", Some(&intake), &bad).await;
    assert_eq!((r.status.as_u16(), r.field()), (422, "dispute_type"));
}

async fn party_access_is_throttled(app: TestApp) {
    seed_bodies(&app).await;
    let intake = app.login("s1_intake", PASSWORD).await;
    let body = json!({
        "title": "物业费纠纷", "dispute_type": "property", "facts": "物业服务质量争议。", "claims": "减免物业费。",
        "region_code": COMMUNITY_1, "channel": "window",
        "parties": [{ "role": "applicant", "kind": "person", "name": "陈芳", "phone": "13811113333" }],
    });
    let code = app
        .post_json("/api/v1/disputes", Some(&intake), &body)
        .await
        .body["dispute"]["code"]
        .as_str()
        .unwrap()
        .to_owned();
    for _ in 0..5 {
        let r = app
            .post_json(
                "/api/v1/party/case",
                None,
                &json!({ "code": code, "factor": "0000" }),
            )
            .await;
        assert_eq!((r.status.as_u16(), r.field()), (422, "factor"));
    }
    let r = app
        .post_json(
            "/api/v1/party/case",
            None,
            &json!({ "code": code, "factor": "3333" }),
        )
        .await;
    r.assert_error(
        axum::http::StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    );
    app.clock.advance_secs(16 * 60);
    let r = app
        .post_json(
            "/api/v1/party/case",
            None,
            &json!({ "code": code, "factor": "3333" }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // A mistyped code is caught by its check digit before any lookup.
    let mut typo: Vec<char> = code.chars().collect();
    typo.swap(3, 4);
    let typo: String = typo.into_iter().collect();
    if typo != code {
        let r = app
            .post_json(
                "/api/v1/party/case",
                None,
                &json!({ "code": typo, "factor": "3333" }),
            )
            .await;
        assert_eq!((r.status.as_u16(), r.field()), (422, "code"));
    }
}

async fn unaccepted_cases_escalate_once_and_timers_survive_restart(app: TestApp) {
    use fengqiao_http::worker::{LogSender, run_once};
    seed_bodies(&app).await;
    let intake = app.login("s1_intake", PASSWORD).await;
    let body = json!({
        "title": "相邻通行纠纷", "dispute_type": "neighbour", "facts": "邻居堆放杂物堵塞通道。", "claims": "清除杂物。",
        "region_code": COMMUNITY_1, "channel": "window",
        "parties": [{ "role": "applicant", "kind": "person", "name": "赵敏", "phone": "13811114444" }],
    });
    let id = app
        .post_json("/api/v1/disputes", Some(&intake), &body)
        .await
        .body["dispute"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Monday 2026-03-02 10:00: accept within 2 working days → due at the end of Wednesday 03-04.
    ok(
        &app,
        &intake,
        &id,
        json!({ "command": "route", "org_ids": [STREET_COMMITTEE] }),
        "triaged",
    )
    .await;
    let first = run_once(&app.state, &LogSender).await.unwrap();
    assert_eq!((first.timers_fired, first.escalated), (0, 0));
    assert_eq!(
        first.notices_sent, 1,
        "the applicant was told the case was assigned"
    );
    // A "restart": a new state over the same database still knows the timer.
    let restarted = fengqiao_http::AppState::new(
        app.state.store.clone(),
        app.state.cipher.clone(),
        app.clock.clone(),
        fengqiao_http::AuthConfig::default(),
    );
    assert_eq!(restarted.store.pending_timers().await.unwrap().len(), 1);
    app.clock.advance_secs(2 * 86_400); // Wednesday 10:00: not yet due
    assert_eq!(
        run_once(&restarted, &LogSender).await.unwrap().timers_fired,
        0
    );
    app.clock.advance_secs(86_400); // Thursday 10:00: overdue
    let fired = run_once(&restarted, &LogSender).await.unwrap();
    assert_eq!((fired.timers_fired, fired.escalated), (1, 1));
    let again = run_once(&app.state, &LogSender).await.unwrap();
    assert_eq!(again.timers_fired, 0, "a timer never fires twice");
    let intake = app.login("s1_intake", PASSWORD).await; // the first session expired meanwhile
    let detail = app
        .get(&format!("/api/v1/disputes/{id}"), Some(&intake))
        .await;
    assert_eq!(
        detail.body["dispute"]["stage"], "registered",
        "{}",
        detail.body
    );
    assert!(
        detail.body["dispute"]["flags"]
            .as_str()
            .unwrap()
            .contains("escalated")
    );
    let last = detail.body["events"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["command"], "escalate");
}

async fn chunan_wage_claims_form_one_group_with_one_alert(app: TestApp) {
    seed_bodies(&app).await;
    let names = [
        "临江市宏达建筑劳务有限公司",
        "临江市宏达建筑劳务有限责任公司",
        "临江市 宏达建筑劳务有限公司",
        "临江市宏达建筑劳务（有限公司）",
    ];
    let mut ids = Vec::new();
    let mut total = 0i64;
    // 89 workers over three days: 12, 30, 47.
    for count in [12usize, 30, 47] {
        let intake = app.login("s1_intake", PASSWORD).await;
        for _ in 0..count {
            let n = ids.len();
            let amount = 1_200_000 + (n as i64) * 1_000;
            total += amount;
            let body = json!({
                "title": format!("讨要工程款工资（第{}人）", n + 1), "dispute_type": "labour",
                "facts": "在千岛湖某工程项目务工，包工头拖欠工资。", "claims": "支付拖欠工资。",
                "amount_fen": amount, "region_code": COMMUNITY_1, "channel": "online",
                "parties": [
                    { "role": "applicant", "kind": "person", "name": format!("务工人员{n}"), "phone": format!("1590000{:04}", n) },
                    { "role": "respondent", "kind": "entity", "name": names[n % names.len()] }
                ],
            });
            let r = app
                .post_json("/api/v1/disputes", Some(&intake), &body)
                .await;
            assert_eq!(r.status, 201, "{}", r.body);
            ids.push(r.body["dispute"]["id"].as_str().unwrap().to_owned());
            if n + 1 < 10 {
                assert!(r.body["alert"].is_null(), "no alert below ten claimants");
            } else {
                assert_eq!(
                    r.body["alert"]["claimant_count"],
                    (n + 1) as i64,
                    "{}",
                    r.body["alert"]
                );
            }
        }
        app.clock.advance_secs(86_400);
    }
    let commander = app.login("admin", PASSWORD).await;
    let alerts = app.get("/api/v1/alerts", Some(&commander)).await;
    assert_eq!(
        alerts.body["total"], 1,
        "exactly one alert: {}",
        alerts.body
    );
    let alert = &alerts.body["items"][0];
    assert_eq!(alert["kind"], "mass_involvement");
    assert_eq!(alert["claimant_count"], 89);
    assert_eq!(alert["case_count"], 89);
    assert_eq!(alert["total_fen"], total);
    assert_eq!(alert["level"], "red");
    let trend: Value = serde_json::from_str(alert["detail_json"].as_str().unwrap()).unwrap();
    assert_eq!(trend["trend"], "rising");
    // The audit trail shows one raise and the updates after it.
    let raises = app
        .store()
        .audit_for_entity(
            "alert",
            alert["id"].as_str().unwrap(),
            PageRequest::new(Some(1), Some(200)),
        )
        .await
        .unwrap();
    assert_eq!(
        raises
            .items
            .iter()
            .filter(|e| e.action == "alert.raise")
            .count(),
        1
    );
    // The grouped case routes to the county labour committee with the court guiding.
    let first = &ids[0];
    let suggestion = app
        .get(
            &format!("/api/v1/disputes/{first}/routing"),
            Some(&commander),
        )
        .await;
    let mut suggested: Vec<String> =
        serde_json::from_value(suggestion.body["org_ids"].clone()).unwrap();
    suggested.sort();
    assert_eq!(suggested, [COURT, LABOUR], "{}", suggestion.body);
    ok(
        &app,
        &commander,
        first,
        json!({ "command": "route", "org_ids": [LABOUR] }),
        "triaged",
    )
    .await;
    ok(
        &app,
        &commander,
        first,
        json!({ "command": "invite_judge", "judge_org_id": COURT }),
        "triaged",
    )
    .await;
    let detail = app
        .get(&format!("/api/v1/disputes/{first}"), Some(&commander))
        .await;
    let kinds: Vec<&str> = detail.body["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    let mut kinds = kinds;
    kinds.sort_unstable();
    assert_eq!(kinds, ["court", "handler"]);
    assert!(
        detail.body["dispute"]["flags"]
            .as_str()
            .unwrap()
            .contains(",mass,")
    );
    assert!(
        detail.body["dispute"]["group_key"]
            .as_str()
            .unwrap()
            .starts_with("respondent:")
    );
}

async fn supervision_counts_labour_days_on_the_calendar(app: TestApp) {
    seed_bodies(&app).await;
    let intake = app.login("s1_intake", PASSWORD).await;
    let body = json!({
        "title": "餐馆拖欠厨师工资", "dispute_type": "labour", "facts": "拖欠两个月工资。", "claims": "支付工资12000元。",
        "amount_fen": 1_200_000, "region_code": COMMUNITY_1, "channel": "window",
        "parties": [{ "role": "applicant", "kind": "person", "name": "孙师傅", "phone": "13811115555" }],
    });
    let id = app
        .post_json("/api/v1/disputes", Some(&intake), &body)
        .await
        .body["dispute"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    ok(
        &app,
        &intake,
        &id,
        json!({ "command": "route", "org_ids": [LABOUR] }),
        "triaged",
    )
    .await;
    let med = app.login("labour_med", PASSWORD).await;
    ok(&app, &med, &id, json!({ "command": "accept" }), "accepted").await; // Monday 2026-03-02
    let list = app
        .get(&format!("/api/v1/supervision?dispute_id={id}"), Some(&med))
        .await;
    assert_eq!(list.status, 200, "{}", list.body);
    let labour = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["clock_id"] == "labour_mediation")
        .expect("labour clock")
        .clone();
    // 劳动争议调解仲裁法 art. 14: 15 days from 2026-03-02, counted from the next day → 03-17 (a Tuesday).
    assert_eq!(labour["due"], "2026-03-17", "{labour}");
    assert_eq!(labour["is_law"], true);
    assert_eq!(labour["status"], "green");
    let target = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["clock_id"] == "target_first_contact")
        .expect("internal target")
        .clone();
    assert_eq!(target["is_law"], false);
    app.clock.advance_secs(16 * 86_400); // 2026-03-18
    let med = app.login("labour_med", PASSWORD).await;
    let overdue = app
        .get("/api/v1/supervision?overdue_only=true", Some(&med))
        .await;
    let items = overdue.body["items"].as_array().unwrap();
    let labour = items
        .iter()
        .find(|i| i["clock_id"] == "labour_mediation")
        .expect("overdue labour clock");
    assert_eq!(
        (labour["overdue"].as_bool(), labour["days_overdue"].as_u64()),
        (Some(true), Some(1)),
        "{labour}"
    );
    // Another street's intake sees nothing of this case's clocks.
    let other = app.login("s2_intake", PASSWORD).await;
    assert_eq!(
        app.get("/api/v1/supervision", Some(&other)).await.body["total"],
        0
    );
}

fn upload(
    token: Option<&str>,
    path: &str,
    content_type: &str,
    name: &str,
    bytes: &[u8],
    extra: &[(&str, &str)],
) -> axum::http::Request<axum::body::Body> {
    let mut b = TestApp::request(axum::http::Method::POST, path, token)
        .header("content-type", content_type)
        .header("x-filename", name);
    for (k, v) in extra {
        b = b.header(*k, *v);
    }
    b.body(axum::body::Body::from(bytes.to_vec())).unwrap()
}

async fn documents_attachments_and_submissions(app: TestApp) {
    seed_bodies(&app).await;
    let intake = app.login("s1_intake", PASSWORD).await;
    let body = json!({
        "title": "商铺租赁合同纠纷", "dispute_type": "contract", "facts": "承租人拖欠租金三个月。", "claims": "支付租金18000元；腾退商铺",
        "amount_fen": 1_800_000, "region_code": COMMUNITY_1, "channel": "window",
        "parties": [
            { "role": "applicant", "kind": "person", "name": "钱立新", "phone": "13811116666", "id_number": "11010519491231002X" },
            { "role": "respondent", "kind": "entity", "name": "临江市好味餐饮有限公司", "credit_code": "91440300708461136T", "legal_representative": "孙好味" }
        ],
    });
    let created = app
        .post_json("/api/v1/disputes", Some(&intake), &body)
        .await;
    let id = created.body["dispute"]["id"].as_str().unwrap().to_owned();
    let code = created.body["dispute"]["code"].as_str().unwrap().to_owned();
    // 受理通知书 as docx: a zip whose document.xml names the parties and the code.
    let docx = app
        .get(
            &format!("/api/v1/disputes/{id}/documents/acceptance_notice/docx"),
            Some(&intake),
        )
        .await;
    assert_eq!(docx.status, 200, "{}", docx.text());
    assert!(docx.header("content-type").contains("wordprocessingml"));
    // PDF needs the CJK font the project's scripts install; CI must have it.
    let pdf = app
        .get(
            &format!("/api/v1/disputes/{id}/documents/acceptance_notice/pdf"),
            Some(&intake),
        )
        .await;
    if pdf.status == 200 {
        assert!(pdf.header("content-type").contains("pdf"));
    } else {
        assert!(
            !fengqiao_store::testing::pg_required(),
            "PDF rendering must work in CI: {}",
            pdf.body
        );
        eprintln!("notice: PDF fonts missing here; run scripts/install-system-deps.sh");
    }
    let png = app
        .get(&format!("/api/v1/disputes/{id}/qr.png"), Some(&intake))
        .await;
    assert_eq!(png.header("content-type"), "image/png");
    let svg = app
        .get(&format!("/api/v1/disputes/{id}/qr.svg"), Some(&intake))
        .await;
    assert!(svg.text().contains("<svg"));
    let bad = app
        .get(
            &format!("/api/v1/disputes/{id}/documents/acceptance_notice/odt"),
            Some(&intake),
        )
        .await;
    assert_eq!((bad.status.as_u16(), bad.field()), (422, "format"));
    app.get(
        &format!("/api/v1/disputes/{id}/documents/nonsense/docx"),
        Some(&intake),
    )
    .await
    .assert_error(axum::http::StatusCode::NOT_FOUND, "not_found");

    // Attachments: type and content checked, hash recorded.
    let pdf_bytes = b"%PDF-1.4\n% evidence\n";
    let up = app
        .send(upload(
            Some(&intake),
            &format!("/api/v1/disputes/{id}/attachments"),
            "application/pdf",
            "%E7%A7%9F%E8%B5%81%E5%90%88%E5%90%8C.pdf",
            pdf_bytes,
            &[],
        ))
        .await;
    assert_eq!(up.status, 201, "{}", up.body);
    assert_eq!(up.body["filename"], "租赁合同.pdf");
    assert_eq!(up.body["sha256"].as_str().unwrap().len(), 64);
    let attachment_id = up.body["id"].as_str().unwrap().to_owned();
    let liar = app
        .send(upload(
            Some(&intake),
            &format!("/api/v1/disputes/{id}/attachments"),
            "image/png",
            "x.png",
            b"not a png",
            &[],
        ))
        .await;
    assert_eq!((liar.status.as_u16(), liar.field()), (422, "file"));
    let exe = app
        .send(upload(
            Some(&intake),
            &format!("/api/v1/disputes/{id}/attachments"),
            "application/x-msdownload",
            "x.exe",
            b"MZ",
            &[],
        ))
        .await;
    assert_eq!((exe.status.as_u16(), exe.field()), (422, "content_type"));
    let party_up = app
        .send(upload(
            None,
            "/api/v1/party/attachments",
            "text/plain",
            "%E8%AF%B4%E6%98%8E.txt",
            "补充说明".as_bytes(),
            &[("x-case-code", &code), ("x-case-factor", "6666")],
        ))
        .await;
    assert_eq!(party_up.status, 201, "{}", party_up.body);
    let listed = app
        .get(&format!("/api/v1/disputes/{id}/attachments"), Some(&intake))
        .await;
    assert_eq!(listed.body.as_array().unwrap().len(), 2);
    let got = app
        .get(
            &format!("/api/v1/disputes/{id}/attachments/{attachment_id}"),
            Some(&intake),
        )
        .await;
    assert_eq!(got.status, 200);

    // 异步审理: each side's statements, time-stamped, visible to the other.
    let staff = app
        .post_json(&format!("/api/v1/disputes/{id}/submissions"), Some(&intake), &json!({ "side": "respondent", "text": "被申请人称已支付一个月租金。", "attachment_ids": [attachment_id] }))
        .await;
    assert_eq!(staff.status, 201, "{}", staff.body);
    app.clock.advance_secs(3600);
    let party = app
        .post_json(
            "/api/v1/party/submissions",
            None,
            &json!({ "code": code, "factor": "6666", "text": "申请人否认收到任何租金。" }),
        )
        .await;
    assert_eq!(party.status, 201, "{}", party.body);
    let all = party.body.as_array().unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(
        (all[0]["side"].as_str(), all[1]["side"].as_str()),
        (Some("respondent"), Some("applicant"))
    );
    assert!(all[0]["at"].as_str().unwrap() < all[1]["at"].as_str().unwrap());
    let foreign = app
        .post_json(
            &format!("/api/v1/disputes/{id}/submissions"),
            Some(&intake),
            &json!({ "side": "court", "text": "引用他案附件", "attachment_ids": ["nope"] }),
        )
        .await;
    assert_eq!(
        (foreign.status.as_u16(), foreign.field()),
        (422, "attachment_ids")
    );

    // 网上立案 package: parties (masked), claims split, evidence, history, submissions.
    let package = app
        .get(
            &format!("/api/v1/disputes/{id}/filing-package"),
            Some(&intake),
        )
        .await;
    assert_eq!(package.status, 200, "{}", package.body);
    // The 17th digit of 11010519491231002X is even: female.
    assert_eq!(package.body["applicants"][0]["gender"], "女");
    assert_eq!(
        package.body["applicants"][0]["id_number"],
        "110105********002X"
    );
    assert_eq!(
        package.body["respondents"][0]["legal_representative"],
        "孙好味"
    );
    assert_eq!(
        package.body["claims"],
        json!(["支付租金18000元", "腾退商铺"])
    );
    assert_eq!(package.body["evidence"].as_array().unwrap().len(), 2);
    assert_eq!(package.body["submissions"].as_array().unwrap().len(), 2);
    assert!(
        !package.body.to_string().contains("11010519491231002X"),
        "no full identifiers in exports"
    );
    let filing_docx = app
        .get(
            &format!("/api/v1/disputes/{id}/documents/filing_package/docx"),
            Some(&intake),
        )
        .await;
    assert_eq!(filing_docx.status, 200, "{}", filing_docx.text());

    // Templates are editable, but only ones that render.
    let admin = app.login("admin", PASSWORD).await;
    let templates = app.get("/api/v1/document-templates", Some(&admin)).await;
    let mut notice = templates
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key"] == "acceptance_notice")
        .unwrap()["template"]
        .clone();
    notice["name"] = json!("受理通知书（新版）");
    let saved = app
        .patch_json(
            "/api/v1/document-templates/acceptance_notice",
            Some(&admin),
            &json!({ "template": notice }),
        )
        .await;
    assert_eq!(saved.status, 405, "templates are replaced with PUT");
    let req = TestApp::request(
        axum::http::Method::PUT,
        "/api/v1/document-templates/acceptance_notice",
        Some(&admin),
    )
    .header("content-type", "application/json")
    .body(axum::body::Body::from(
        json!({ "template": notice }).to_string(),
    ))
    .unwrap();
    assert_eq!(app.send(req).await.status, 200);
    let mut broken = notice.clone();
    broken["blocks"][0] = json!({ "kind": "paragraph", "text": "{{case.cdoe}}" });
    let req = TestApp::request(
        axum::http::Method::PUT,
        "/api/v1/document-templates/acceptance_notice",
        Some(&admin),
    )
    .header("content-type", "application/json")
    .body(axum::body::Body::from(
        json!({ "template": broken }).to_string(),
    ))
    .unwrap();
    let refused = app.send(req).await;
    assert_eq!(
        (refused.status.as_u16(), refused.field()),
        (422, "template"),
        "{}",
        refused.body
    );
    assert!(refused.body.to_string().contains("case.cdoe"));
}

/// 劳动争议调解仲裁法 art. 43: the award is due 45 days after acceptance, extendable by at most
/// 15 days with the commission director's approval — and by nobody else, and no further.
async fn clock_extensions_need_the_named_approver_within_the_cap(app: TestApp) {
    seed_bodies(&app).await;
    let intake = app.login("s1_intake", PASSWORD).await;
    let body = json!({
        "title": "物流公司拖欠司机工资", "dispute_type": "labour", "facts": "拖欠三个月工资。", "claims": "支付工资21000元。",
        "amount_fen": 2_100_000, "region_code": COMMUNITY_1, "channel": "window",
        "parties": [
            { "role": "applicant", "kind": "person", "name": "钱师傅", "phone": "13811116666" },
            { "role": "respondent", "kind": "entity", "name": "临江市快运物流有限公司" }
        ],
    });
    let created = app
        .post_json("/api/v1/disputes", Some(&intake), &body)
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["dispute"]["id"].as_str().unwrap().to_owned();
    ok(
        &app,
        &intake,
        &id,
        json!({ "command": "route", "org_ids": [LABOUR] }),
        "triaged",
    )
    .await;
    let med = app.login("labour_med", PASSWORD).await;
    ok(&app, &med, &id, json!({ "command": "accept" }), "accepted").await;
    let clock_row = |detail: &Value, clock_id: &str| {
        detail["clocks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["clock_id"] == clock_id && c["stopped_at"].is_null())
            .map(|c| c["id"].as_str().unwrap().to_owned())
    };
    let detail = app.get(&format!("/api/v1/disputes/{id}"), Some(&med)).await;
    let mediation = clock_row(&detail.body, "labour_mediation").expect("labour clock runs");
    let extend = |row: String, days: u32, approver: &str| {
        let path = format!("/api/v1/disputes/{id}/clocks/{row}/extensions");
        let body = json!({ "days": days, "approver": approver, "reason": "案情复杂，需补充调查", "reference": "临劳仲延〔2026〕3号" });
        let app = &app;
        let med = med.clone();
        async move { app.post_json(&path, Some(&med), &body).await }
    };
    // The 15-day labour mediation limit cannot be extended at all.
    let refused = extend(mediation.clone(), 5, "committee_and_parties").await;
    refused.assert_error(
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(refused.field(), "clock_id", "{}", refused.body);

    ok(
        &app,
        &med,
        &id,
        json!({ "command": "start_mediation" }),
        "mediating",
    )
    .await;
    ok(
        &app,
        &med,
        &id,
        json!({ "command": "fail", "next": "arbitration", "reason": "用人单位拒绝调解" }),
        "arbitration",
    )
    .await;
    let detail = app.get(&format!("/api/v1/disputes/{id}"), Some(&med)).await;
    let award = clock_row(&detail.body, "labour_arbitration_award").expect("award clock runs");
    let before_events = detail.body["events"].as_array().unwrap().len();
    let audit_before = dispute_audit_count(&app, &id).await;

    let wrong = extend(award.clone(), 10, "court_president").await;
    assert_eq!(
        (wrong.status.as_u16(), wrong.field()),
        (422, "approver"),
        "{}",
        wrong.body
    );
    let zero = extend(award.clone(), 0, "arbitration_commission_director").await;
    assert_eq!(
        (zero.status.as_u16(), zero.field()),
        (422, "days"),
        "{}",
        zero.body
    );
    let granted = extend(award.clone(), 10, "arbitration_commission_director").await;
    assert_eq!(granted.status, 200, "{}", granted.body);
    // 10 + 10 would pass the 15-day cap.
    let over = extend(award.clone(), 10, "arbitration_commission_director").await;
    assert_eq!(
        (over.status.as_u16(), over.field()),
        (422, "days"),
        "{}",
        over.body
    );
    let rest = extend(award.clone(), 5, "arbitration_commission_director").await;
    assert_eq!(rest.status, 200, "{}", rest.body);

    // Two extensions recorded: two timeline events, two audit entries; refusals wrote nothing.
    let detail = app.get(&format!("/api/v1/disputes/{id}"), Some(&med)).await;
    assert_eq!(
        detail.body["events"].as_array().unwrap().len(),
        before_events + 2
    );
    assert_eq!(dispute_audit_count(&app, &id).await, audit_before + 2);
    // The supervision list counts the extension: 45 + 15 calendar days from 2026-03-02 end on
    // Friday 2026-05-01, inside the 劳动节 holiday (May 1–5), so the last day moves to May 6.
    let list = app
        .get(&format!("/api/v1/supervision?dispute_id={id}"), Some(&med))
        .await;
    let item = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["clock_id"] == "labour_arbitration_award")
        .expect("award clock in supervision")
        .clone();
    assert_eq!(item["due"], "2026-05-06", "{item}");
}

/// 批量导入: the template itself registers its example (two claimants, one contractor); a JSON
/// list registers its good cases, reports the bad ones by field, and replays when sent again.
async fn bulk_import_registers_good_cases_and_reports_the_rest(app: TestApp) {
    let intake = app.login("s1_intake", PASSWORD).await;
    let template = app
        .get("/api/v1/disputes/import/template.xlsx", Some(&intake))
        .await;
    assert_eq!(template.status, 200);
    let bytes = template.raw.clone();
    assert!(bytes.starts_with(b"PK"), "an xlsx is a zip file");
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let sent = app
        .post_raw(
            "/api/v1/disputes/import",
            Some(&intake),
            xlsx,
            bytes.clone(),
        )
        .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert_eq!(
        (
            sent.body["registered"].clone(),
            sent.body["refused"].clone()
        ),
        (json!(1), json!(0)),
        "{}",
        sent.body
    );
    let id = sent.body["cases"][0]["id"].as_str().unwrap().to_owned();
    let detail = app
        .get(&format!("/api/v1/disputes/{id}"), Some(&intake))
        .await;
    assert_eq!(detail.body["dispute"]["channel"], "bulk_import");
    assert_eq!(detail.body["dispute"]["amount_fen"], 860_000);
    assert_eq!(detail.body["parties"].as_array().unwrap().len(), 3);
    let again = app
        .post_raw("/api/v1/disputes/import", Some(&intake), xlsx, bytes)
        .await;
    assert_eq!(
        (
            again.body["registered"].clone(),
            again.body["replayed"].clone()
        ),
        (json!(0), json!(1))
    );
    assert_eq!(again.body["cases"][0]["id"], id.as_str());

    let item = |case_ref: &str, phone: &str, region: &str| {
        json!({
            "case_ref": case_ref, "title": "12345 转办：物业费纠纷", "dispute_type": "property",
            "facts": "业主与物业公司就物业费发生争议。", "claims": "减免物业费。", "amount_fen": 360_000,
            "region_code": region, "channel": "hotline12345",
            "parties": [{ "role": "applicant", "kind": "person", "name": "陈先生", "phone": phone }],
        })
    };
    let body = json!({ "items": [
        item("WO-1", "13811118888", COMMUNITY_1),
        item("WO-2", "1381111", COMMUNITY_1),
        item("WO-3", "13811119999", COMMUNITY_2),
    ]});
    let before = app.store().audit_verify().await.unwrap().checked;
    let report = app
        .post_json("/api/v1/disputes/import", Some(&intake), &body)
        .await;
    assert_eq!(report.status, 200, "{}", report.body);
    assert_eq!(
        (
            report.body["registered"].clone(),
            report.body["refused"].clone()
        ),
        (json!(1), json!(2)),
        "{}",
        report.body
    );
    let refusals = report.body["refusals"].as_array().unwrap();
    assert_eq!(refusals[0]["case_ref"], "WO-2");
    assert_eq!(refusals[0]["errors"][0]["field"], "parties.0.phone");
    // 湖畔社区 is outside 望江街道's jurisdiction: refused by name, nothing written.
    assert_eq!(refusals[1]["case_ref"], "WO-3");
    assert_eq!(refusals[1]["errors"][0]["field"], "region_code");
    assert_eq!(
        app.store().audit_verify().await.unwrap().checked,
        before + 1,
        "one registration; the refused cases wrote nothing"
    );
    let wrong_type = app
        .post_raw(
            "/api/v1/disputes/import",
            Some(&intake),
            "text/csv",
            b"a,b".to_vec(),
        )
        .await;
    assert_eq!(
        (wrong_type.status.as_u16(), wrong_type.field()),
        (422, "Content-Type")
    );
}

/// 网上自助申请 without an account, limited per phone; staff then find it by region and reveal
/// the applicant's number only with a reason on the audit trail.
async fn citizens_file_online_and_staff_reveal_with_a_reason(app: TestApp) {
    let case = |phone: &str| {
        json!({
            "title": "邻居装修噪音扰民", "dispute_type": "neighbour", "facts": "楼上装修每天早上七点开始施工。",
            "claims": "按规定时间施工。", "amount_fen": 0, "region_code": COMMUNITY_1, "channel": "window",
            "parties": [
                { "role": "applicant", "kind": "person", "name": "林女士", "phone": phone, "id_number": "11010519491231002X" },
                { "role": "respondent", "kind": "person", "name": "楼上住户" }
            ],
        })
    };
    let filed = app
        .post_json("/api/v1/party/disputes", None, &case("13811112222"))
        .await;
    assert_eq!(filed.status, 201, "{}", filed.body);
    let code = filed.body["code"].as_str().unwrap().to_owned();
    let secret = filed.body["access_secret"].as_str().unwrap().to_owned();
    let view = app
        .post_json(
            "/api/v1/party/case",
            None,
            &json!({ "code": code, "factor": secret }),
        )
        .await;
    assert_eq!(view.status, 200, "{}", view.body);
    // No phone, no online filing; a bad one is named.
    let mut no_phone = case("13811112222");
    no_phone["parties"][0]["phone"] = Value::Null;
    let refused = app
        .post_json("/api/v1/party/disputes", None, &no_phone)
        .await;
    assert_eq!(
        (refused.status.as_u16(), refused.field()),
        (422, "parties.0.phone")
    );
    for _ in 0..2 {
        let more = app
            .post_json("/api/v1/party/disputes", None, &case("13811112222"))
            .await;
        assert_eq!(more.status, 201, "{}", more.body);
    }
    let limited = app
        .post_json("/api/v1/party/disputes", None, &case("13811112222"))
        .await;
    assert_eq!(
        (
            limited.status.as_u16(),
            limited.body["error"]["details"][0]["code"].as_str()
        ),
        (422, Some("too_many_filings")),
        "{}",
        limited.body
    );

    // Staff of the street see the online cases of the community, and only them there.
    let intake = app.login("s1_intake", PASSWORD).await;
    let list = app
        .get(
            &format!("/api/v1/disputes?region_code={COMMUNITY_1}"),
            Some(&intake),
        )
        .await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert_eq!(list.body["total"], 3);
    assert!(
        list.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["channel"] == "online")
    );
    let outside = app
        .get(
            &format!("/api/v1/disputes?region_code={COMMUNITY_2}"),
            Some(&intake),
        )
        .await;
    assert_eq!(
        (outside.status.as_u16(), outside.field()),
        (422, "region_code")
    );

    let id = list.body["items"][0]["id"].as_str().unwrap().to_owned();
    let detail = app
        .get(&format!("/api/v1/disputes/{id}"), Some(&intake))
        .await;
    let masked = detail.body["parties"][0]["phone_masked"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(masked.contains('*'), "{}", detail.body["parties"][0]);
    let path = format!("/api/v1/disputes/{id}/parties/0/reveal");
    let no_reason = app
        .post_json(
            &path,
            Some(&intake),
            &json!({ "field": "phone", "reason": "" }),
        )
        .await;
    assert_eq!(
        (no_reason.status.as_u16(), no_reason.field()),
        (422, "reason")
    );
    let audit_before = dispute_audit_count(&app, &id).await;
    let revealed = app
        .post_json(
            &path,
            Some(&intake),
            &json!({ "field": "id_number", "reason": "电话联系当事人核实身份" }),
        )
        .await;
    assert_eq!(revealed.status, 200, "{}", revealed.body);
    assert_eq!(revealed.body["value"], "11010519491231002X");
    assert_eq!(dispute_audit_count(&app, &id).await, audit_before + 1);
    let other = app.login("s2_intake", PASSWORD).await;
    let hidden = app
        .post_json(
            &path,
            Some(&other),
            &json!({ "field": "phone", "reason": "越权查看" }),
        )
        .await;
    assert_eq!(hidden.status, 404, "another street cannot see the case");
}
