//! Grid events through the HTTP API on both backends: a report taken round the whole loop
//! (accept → dispatch by rule → return → re-dispatch → sign → feedback with evidence → refused
//! verification → feedback → close → evaluate), a street summons answered by two departments
//! and one overdue, an unaccepted event going red in supervision, an event turned into a dispute
//! case, 12345 work orders imported with refusals and replays, and bad input named by field.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

#[allow(dead_code)] // shared with the API tests, which use all of it
mod support;

use fengqiao_domain::identifiers::MobileNumber;
use fengqiao_domain::org::{OrgKind, Specialty};
use fengqiao_domain::region::{GridKind, RegionLevel};
use fengqiao_domain::role::Role;
use fengqiao_domain::time::Timestamp;
use fengqiao_http::routes::auth::hash_password;
use fengqiao_store::orgs::NewOrg;
use fengqiao_store::regions::NewRegion;
use fengqiao_store::users::NewUser;
use fengqiao_store::{AuditCtx, FieldCipher, Scope};
use serde_json::{Value, json};
use support::*;

api_tests!(
    an_event_goes_round_the_whole_loop,
    a_summons_shows_who_answered_and_who_is_late,
    an_unaccepted_event_goes_red_in_supervision,
    an_event_becomes_a_dispute_case_in_one_action,
    hotline_orders_are_imported_line_by_line,
    bad_reports_are_refused_by_field,
);

const GRID: &str = "339902001001001";
const DEPT_UM: &str = "org-d-um";
const DEPT_MR: &str = "org-d-mr";
/// A tiny PNG header is enough for the content check.
const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0];

struct Tokens {
    worker: String,
    centre: String,
    um: String,
    mr: String,
    admin: String,
}

async fn seed(app: &TestApp) -> Tokens {
    let s = app.store();
    let ctx = AuditCtx::system(Timestamp::parse_rfc3339(START).unwrap());
    let all = Scope::Everything;
    s.create_region(
        &ctx,
        &all,
        &NewRegion {
            code: GRID.into(),
            name: "江滨社区第一网格".into(),
            level: RegionLevel::Grid,
            parent_code: Some(COMMUNITY_1.into()),
            grid_kind: Some(GridKind::Territorial),
            population: Some(1200),
            geometry: Some(json!({"type":"Polygon","coordinates":[[[120.15,30.25],[120.16,30.25],[120.16,30.26],[120.15,30.26],[120.15,30.25]]]})),
        },
    )
    .await
    .unwrap();
    for (id, name, specialty) in [
        (DEPT_UM, "江城区城市管理局", Specialty::UrbanManagement),
        (DEPT_MR, "江城区市场监督管理局", Specialty::MarketRegulation),
    ] {
        s.create_org(
            &ctx,
            &all,
            id,
            &NewOrg {
                name: name.into(),
                kind: OrgKind::Department,
                region_code: DISTRICT.into(),
                specialty: Some(specialty),
                court_id: None,
                address: String::new(),
                phone: String::new(),
            },
        )
        .await
        .unwrap();
    }
    let cipher = FieldCipher::new(&[7u8; 32]);
    let hash = hash_password(PASSWORD).unwrap();
    for (id, username, org, role, phone) in [
        ("user-gw", "gw1", ORG_S1, Role::GridWorker, "13600000011"),
        ("user-um", "um1", DEPT_UM, Role::Handler, "13600000012"),
        ("user-mr", "mr1", DEPT_MR, Role::Handler, "13600000013"),
    ] {
        s.create_user(
            &ctx,
            &all,
            &cipher,
            id,
            &NewUser {
                username: username.into(),
                display_name: username.into(),
                org_id: org.into(),
                roles: vec![role],
                password_hash: hash.clone(),
                phone: Some(MobileNumber::parse(phone).unwrap()),
                id_number: None,
            },
        )
        .await
        .unwrap();
    }
    Tokens {
        worker: app.login("gw1", PASSWORD).await,
        centre: app.login("s1_intake", PASSWORD).await,
        um: app.login("um1", PASSWORD).await,
        mr: app.login("mr1", PASSWORD).await,
        admin: app.login("s1_admin", PASSWORD).await,
    }
}

async fn report(app: &TestApp, token: &str, category: &str, description: &str) -> Value {
    let r = app
        .post_json(
            "/api/v1/grid-events",
            Some(token),
            &json!({
                "category": category, "description": description,
                "address": "江滨路12号", "region_code": GRID,
            }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.body
}

async fn step(app: &TestApp, token: &str, id: &str, command: Value) -> Value {
    // Every step happens a minute after the last, as it would at a desk.
    app.clock.advance_secs(60);
    let r = app
        .post_json(
            &format!("/api/v1/grid-events/{id}/commands"),
            Some(token),
            &command,
        )
        .await;
    assert_eq!(r.status, 200, "{command}: {}", r.body);
    r.body
}

async fn photo(app: &TestApp, token: &str, id: &str) {
    app.clock.advance_secs(30);
    let req = TestApp::request(
        axum::http::Method::POST,
        &format!("/api/v1/grid-events/{id}/photos"),
        Some(token),
    )
    .header("content-type", "image/png")
    .header("x-filename", "%E7%8E%B0%E5%9C%BA.png")
    .body(axum::body::Body::from(PNG.to_vec()))
    .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, 201, "{}", r.body);
}

async fn an_event_goes_round_the_whole_loop(app: TestApp) {
    let t = seed(&app).await;
    let reported = report(&app, &t.worker, "clutter", "楼道堆放大量纸箱杂物").await;
    let event = &reported["event"];
    let id = event["id"].as_str().unwrap().to_owned();
    assert_eq!(event["status"], "reported");
    assert_eq!(event["grid_code"], GRID);
    assert_eq!(event["number"], "20260302-00001");
    photo(&app, &t.worker, &id).await;

    // The centre sees it in its queue with the acceptance clock running; the other street does not.
    let queue = app
        .get("/api/v1/grid-events?open_only=true", Some(&t.centre))
        .await;
    assert_eq!(queue.body["total"], 1, "{}", queue.body);
    let detail = app
        .get(&format!("/api/v1/grid-events/{id}"), Some(&t.centre))
        .await;
    assert_eq!(detail.body["clock"]["clock_id"], "grid_accept");
    assert_eq!(detail.body["clock"]["due"], "2026-03-03");
    assert!(
        detail.body["allowed_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("accept"))
    );
    let other = app.login("s2_intake", PASSWORD).await;
    assert_eq!(
        app.get(&format!("/api/v1/grid-events/{id}"), Some(&other))
            .await
            .status,
        404
    );

    // A department cannot accept; the centre can.
    let refused = app
        .post_json(
            &format!("/api/v1/grid-events/{id}/commands"),
            Some(&t.um),
            &json!({"action":"accept"}),
        )
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    step(
        &app,
        &t.centre,
        &id,
        json!({"action":"accept","note":"属实"}),
    )
    .await;

    // The rules suggest the district's urban management bureau and say why.
    let suggestion = app
        .get(
            &format!("/api/v1/grid-events/{id}/dispatch-suggestion"),
            Some(&t.centre),
        )
        .await;
    assert_eq!(suggestion.body["org_id"], DEPT_UM, "{}", suggestion.body);
    assert!(
        suggestion.body["explanation"]
            .as_str()
            .unwrap()
            .contains("乱堆乱放")
    );
    // Sending elsewhere than the rule says needs a reason.
    let unexplained = app
        .post_json(
            &format!("/api/v1/grid-events/{id}/commands"),
            Some(&t.centre),
            &json!({"action":"dispatch","department_org_id": DEPT_MR}),
        )
        .await;
    assert_eq!(
        (unexplained.status.as_u16(), unexplained.field()),
        (422, "reason"),
        "{}",
        unexplained.body
    );
    step(
        &app,
        &t.centre,
        &id,
        json!({"action":"dispatch","department_org_id": DEPT_MR, "reason":"涉及无证经营"}),
    )
    .await;
    // The wrong department sends it back; the centre re-dispatches by the rule.
    step(
        &app,
        &t.mr,
        &id,
        json!({"action":"return","reason":"不属于本部门职责"}),
    )
    .await;
    step(
        &app,
        &t.centre,
        &id,
        json!({"action":"dispatch","department_org_id": DEPT_UM}),
    )
    .await;
    let dept_queue = app
        .get("/api/v1/grid-events?view=department", Some(&t.um))
        .await;
    assert_eq!(dept_queue.body["total"], 1, "{}", dept_queue.body);
    step(&app, &t.um, &id, json!({"action":"sign"})).await;

    // Feedback needs evidence taken after signing.
    app.clock.advance_secs(60);
    let no_evidence = app
        .post_json(
            &format!("/api/v1/grid-events/{id}/commands"),
            Some(&t.um),
            &json!({"action":"feedback","note":"已清理"}),
        )
        .await;
    assert_eq!(no_evidence.field(), "photos", "{}", no_evidence.body);
    photo(&app, &t.um, &id).await;
    step(
        &app,
        &t.um,
        &id,
        json!({"action":"feedback","note":"已清理"}),
    )
    .await;
    // The centre finds it not done and sends it back; the department finishes.
    step(
        &app,
        &t.centre,
        &id,
        json!({"action":"verify","approved":false,"note":"三楼仍有堆放"}),
    )
    .await;
    photo(&app, &t.um, &id).await;
    step(
        &app,
        &t.um,
        &id,
        json!({"action":"feedback","note":"三楼已清理"}),
    )
    .await;
    let closed = step(
        &app,
        &t.centre,
        &id,
        json!({"action":"verify","approved":true}),
    )
    .await;
    assert_eq!(closed["status"], "closed");
    assert!(closed["closed_at"].is_number());
    let evaluated = step(
        &app,
        &t.worker,
        &id,
        json!({"action":"evaluate","satisfaction":5,"comment":"处理及时"}),
    )
    .await;
    assert_eq!(evaluated["status"], "evaluated");

    // Every step is on the timeline and in the audit chain exactly once.
    let detail = app
        .get(&format!("/api/v1/grid-events/{id}"), Some(&t.centre))
        .await;
    let actions: Vec<&str> = detail.body["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "report", "accept", "dispatch", "return", "dispatch", "sign", "feedback", "verify",
            "feedback", "verify", "evaluate"
        ]
    );
    assert_eq!(detail.body["photos"].as_array().unwrap().len(), 3);
    assert!(
        detail.body["clock"].is_null(),
        "no clock runs on a closed event"
    );
    let audit = app
        .get(
            &format!("/api/v1/audit/grid_event/{id}?per_page=100"),
            Some(&app.login("admin", PASSWORD).await),
        )
        .await;
    let audited: Vec<&str> = audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        audited
            .iter()
            .filter(|a| a.starts_with("grid_event.") && **a != "grid_event.photo")
            .count(),
        11,
        "{audited:?}"
    );
    // A closed event takes no more steps.
    let late = app
        .post_json(
            &format!("/api/v1/grid-events/{id}/commands"),
            Some(&t.um),
            &json!({"action":"sign"}),
        )
        .await;
    assert_eq!(late.status, 422, "{}", late.body);
    let _ = t.admin;
}

async fn a_summons_shows_who_answered_and_who_is_late(app: TestApp) {
    let t = seed(&app).await;
    let one = app
        .post_json(
            "/api/v1/summons",
            Some(&t.admin),
            &json!({"title":"江滨路夜市整治","description":"占道经营与食品安全","department_ids":[DEPT_UM]}),
        )
        .await;
    assert_eq!(one.field(), "department_ids", "{}", one.body);
    let raised = app
        .post_json(
            "/api/v1/summons",
            Some(&t.admin),
            &json!({"title":"江滨路夜市整治","description":"占道经营与食品安全","department_ids":[DEPT_UM, DEPT_MR]}),
        )
        .await;
    assert_eq!(raised.status, 201, "{}", raised.body);
    let id = raised.body["summons"]["id"].as_str().unwrap().to_owned();
    // Raised Monday 2026-03-02: report in by the next working day.
    assert_eq!(raised.body["report_due"], "2026-03-03");
    // The urban management bureau reports in the same day and answers.
    let path = format!("/api/v1/summons/{id}/answers");
    let r = app
        .post_json(&path, Some(&t.um), &json!({"action":"report"}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    app.clock.advance_secs(3600);
    let r = app
        .post_json(
            &path,
            Some(&t.um),
            &json!({"action":"answer","text":"已派两个中队清理占道"}),
        )
        .await;
    assert_eq!(r.body["answered"], 1, "{}", r.body);
    // A department not summoned cannot answer.
    let centre = app
        .post_json(&path, Some(&t.centre), &json!({"action":"report"}))
        .await;
    assert_eq!(centre.status, 403, "{}", centre.body);
    // Thursday: market regulation never reported — late; the board shows both.
    app.clock.advance_secs(3 * 86_400);
    let t = Tokens {
        worker: String::new(),
        centre: String::new(),
        um: String::new(),
        mr: app.login("mr1", PASSWORD).await,
        admin: app.login("s1_admin", PASSWORD).await,
    };
    let board = app
        .get("/api/v1/summons?open_only=true", Some(&t.admin))
        .await;
    assert_eq!(board.status, 200, "{}", board.body);
    let s = &board.body[0];
    assert_eq!(
        (
            s["reported"].as_u64(),
            s["answered"].as_u64(),
            s["overdue"].as_u64()
        ),
        (Some(1), Some(1), Some(1)),
        "{s}"
    );
    let late: Vec<&str> = s["departments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["overdue"] == true)
        .map(|d| d["org_id"].as_str().unwrap())
        .collect();
    assert_eq!(late, [DEPT_MR]);
    // The department sees the summons on its own board too.
    let mine = app.get("/api/v1/summons", Some(&t.mr)).await;
    assert_eq!(mine.body.as_array().unwrap().len(), 1);
    let r = app
        .post_json(
            &path,
            Some(&t.mr),
            &json!({"action":"answer","text":"已检查摊点12家"}),
        )
        .await;
    assert_eq!(r.body["answered"], 2, "{}", r.body);
    assert_eq!(r.body["overdue"], 1, "reported late stays late");
    let closed = app
        .post_json(
            &format!("/api/v1/summons/{id}/close"),
            Some(&t.admin),
            &json!({"note":"已整治"}),
        )
        .await;
    assert_eq!(
        closed.body["summons"]["status"], "closed",
        "{}",
        closed.body
    );
}

async fn an_unaccepted_event_goes_red_in_supervision(app: TestApp) {
    let t = seed(&app).await;
    let reported = report(&app, &t.worker, "noise", "夜间施工噪声扰民").await;
    let number = reported["event"]["number"].as_str().unwrap().to_owned();
    let list = app
        .get("/api/v1/supervision?subject=grid_event", Some(&t.centre))
        .await;
    assert_eq!(list.body["overdue"], 0, "{}", list.body);
    // Monday 10:00 → Wednesday: the one working day to accept has passed.
    app.clock.advance_secs(2 * 86_400);
    let centre = app.login("s1_intake", PASSWORD).await;
    let list = app
        .get("/api/v1/supervision?subject=grid_event", Some(&centre))
        .await;
    assert_eq!(list.status, 200, "{}", list.body);
    let item = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == number.as_str())
        .cloned()
        .unwrap();
    assert_eq!(
        (
            item["subject"].as_str(),
            item["status"].as_str(),
            item["overdue"].as_bool()
        ),
        (Some("grid_event"), Some("red"), Some(true)),
        "{item}"
    );
    assert_eq!(
        item["is_law"], false,
        "a service target is never shown as law"
    );
    // The default list carries cases and events together.
    let all = app.get("/api/v1/supervision", Some(&centre)).await;
    assert_eq!(all.body["overdue"], 1, "{}", all.body);
}

async fn an_event_becomes_a_dispute_case_in_one_action(app: TestApp) {
    let t = seed(&app).await;
    let reported = report(&app, &t.worker, "neighbour_dispute", "楼上漏水，两户争执").await;
    let id = reported["event"]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/grid-events/{id}/transfer-to-dispute");
    let no_parties = app
        .post_json(
            &path,
            Some(&t.worker),
            &json!({"parties":[], "claims":"赔偿损失"}),
        )
        .await;
    assert_eq!(no_parties.status, 422, "{}", no_parties.body);
    let body = json!({
        "claims": "赔偿漏水损失",
        "parties": [
            { "role": "applicant", "kind": "person", "name": "陈芳", "phone": "13905710002" },
            { "role": "respondent", "kind": "person", "name": "刘洋" }
        ]
    });
    let r = app.post_json(&path, Some(&t.worker), &body).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let dispute_id = r.body["dispute_id"].as_str().unwrap().to_owned();
    assert_eq!(r.body["code"].as_str().unwrap().len(), 16, "{}", r.body);
    let event = app
        .get(&format!("/api/v1/grid-events/{id}"), Some(&t.centre))
        .await;
    assert_eq!(event.body["event"]["status"], "transferred_to_dispute");
    assert_eq!(event.body["event"]["dispute_id"], dispute_id.as_str());
    let case = app
        .get(&format!("/api/v1/disputes/{dispute_id}"), Some(&t.centre))
        .await;
    assert_eq!(case.status, 200, "{}", case.body);
    assert_eq!(
        case.body["dispute"]["channel"], "grid_worker",
        "{}",
        case.body
    );
    assert_eq!(case.body["dispute"]["dispute_type"], "neighbour");
    assert!(
        case.body["dispute"]["facts"]
            .as_str()
            .unwrap()
            .contains("楼上漏水")
    );
    // A second transfer is refused: the event already is a case.
    let again = app.post_json(&path, Some(&t.worker), &body).await;
    assert_eq!(again.status, 422, "{}", again.body);
}

async fn hotline_orders_are_imported_line_by_line(app: TestApp) {
    let t = seed(&app).await;
    let orders = json!({"orders": [
        {"order_no":"12345-001","content":"小区门口流动摊贩占道经营","category":"占道经营","region_code":GRID,"caller_name":"张先生","caller_phone":"13800003333"},
        {"order_no":"12345-002","content":"饭店油烟排放，异味很大","region_code":GRID},
        {"order_no":"12345-003","content":"","region_code":GRID},
        {"order_no":"12345-004","content":"说不清是什么事","region_code":GRID},
        {"order_no":"12345-005","content":"楼道堆放杂物","region_code":"999999"}
    ]});
    let r = app
        .post_json("/api/v1/grid-events/import", Some(&t.centre), &orders)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        (r.body["created"].as_u64(), r.body["refused"].as_u64()),
        (Some(2), Some(3)),
        "{}",
        r.body
    );
    let outcomes = r.body["outcomes"].as_array().unwrap();
    assert_eq!(outcomes[0]["category_by"], "name");
    assert_eq!(outcomes[1]["category_by"], "keywords");
    assert_eq!(outcomes[2]["problems"][0]["field"], "content");
    assert_eq!(outcomes[3]["problems"][0]["field"], "category");
    assert_eq!(outcomes[4]["problems"][0]["field"], "region_code");
    // The caller's phone is kept masked.
    let listed = app
        .get("/api/v1/grid-events?source=hotline_12345", Some(&t.centre))
        .await;
    assert_eq!(listed.body["total"], 2);
    let masked = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["external_id"] == "12345-001")
        .unwrap();
    assert_eq!(masked["reporter_phone_masked"], "138****3333");
    assert!(masked.get("reporter_phone_enc").is_none());
    // The same export sent again writes nothing new.
    let again = app
        .post_json("/api/v1/grid-events/import", Some(&t.centre), &orders)
        .await;
    assert_eq!(
        (
            again.body["created"].as_u64(),
            again.body["replayed"].as_u64()
        ),
        (Some(0), Some(2)),
        "{}",
        again.body
    );
    // A near-identical report in the same grid is flagged as a possible duplicate.
    let dup = app.post_json("/api/v1/grid-events/import", Some(&t.centre), &json!({"orders":[
        {"order_no":"12345-006","content":"又有摊贩占道","category":"street_vending","region_code":GRID,"caller_phone":"13800003333"}
    ]})).await;
    assert_eq!(
        dup.body["outcomes"][0]["possible_duplicates"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "{}",
        dup.body
    );
    // Grid workers cannot import.
    assert_eq!(
        app.post_json("/api/v1/grid-events/import", Some(&t.worker), &orders)
            .await
            .status,
        403
    );
}

async fn bad_reports_are_refused_by_field(app: TestApp) {
    let t = seed(&app).await;
    let bad = |body: Value| {
        let app = &app;
        let token = t.worker.clone();
        async move {
            app.post_json("/api/v1/grid-events", Some(&token), &body)
                .await
        }
    };
    let r = bad(json!({"category":"no_such","description":"x","region_code":GRID})).await;
    assert_eq!(
        (r.status.as_u16(), r.field()),
        (422, "category"),
        "{}",
        r.body
    );
    let r = bad(json!({"category":"clutter","description":"x","lat":30.2})).await;
    assert_eq!((r.status.as_u16(), r.field()), (422, "lng"), "{}", r.body);
    let r = bad(json!({"category":"clutter","description":"  ","region_code":GRID})).await;
    assert_eq!(
        (r.status.as_u16(), r.field()),
        (422, "description"),
        "{}",
        r.body
    );
    let r = bad(json!({"category":"clutter","description":"x"})).await;
    assert_eq!((r.status.as_u16(), r.field()), (422, "lat"), "{}", r.body);
    let r = bad(
        json!({"category":"clutter","description":"x","region_code":GRID,"lat":95.0,"lng":120.0}),
    )
    .await;
    assert_eq!((r.status.as_u16(), r.field()), (422, "lat"), "{}", r.body);
    let r = bad(json!({"category":"clutter","description":"x","region_code":GRID,"extra":1})).await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
    // A point is placed into its grid through the index; a point in no grid is refused.
    let r = bad(json!({"category":"clutter","description":"x","lat":30.255,"lng":120.155})).await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.body);
    assert_eq!(r.body["event"]["grid_code"], GRID);
    assert_eq!(r.body["event"]["grid_codes"], json!([GRID]).to_string());
    let r = bad(json!({"category":"clutter","description":"x","lat":31.0,"lng":121.0})).await;
    assert_eq!((r.status.as_u16(), r.field()), (422, "lat"), "{}", r.body);
    // An idempotency key makes a retried report a replay.
    let req = |key: &str| {
        TestApp::request(
            axum::http::Method::POST,
            "/api/v1/grid-events",
            Some(&t.worker),
        )
        .header("content-type", "application/json")
        .header("idempotency-key", key)
        .body(axum::body::Body::from(
            json!({"category":"clutter","description":"楼道杂物","region_code":GRID}).to_string(),
        ))
        .unwrap()
    };
    let first = app.send(req("k-1")).await;
    let second = app.send(req("k-1")).await;
    assert_eq!((first.status.as_u16(), second.status.as_u16()), (201, 200));
    assert_eq!(first.body["event"]["id"], second.body["event"]["id"]);
    // Nothing half-written: only the placed report and the replayed one exist.
    let list = app.get("/api/v1/grid-events", Some(&t.worker)).await;
    assert_eq!(list.body["total"], 2, "{}", list.body);
}
