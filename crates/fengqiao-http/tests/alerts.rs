//! The command centre's alerts through the HTTP API on both backends: a 民转刑 alert raised by a
//! filing and taken round its loop (sign → handle → feed back → send back → feed back → close),
//! repeat petitions folding into one alert, fraud reports scored into warnings and dissuasion
//! tasks, risk rules revised as versions and dry-run over past filings, and the live feed
//! pushing a new alert to an open stream.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

#[allow(dead_code)] // shared with the API tests, which use all of it
mod support;

use fengqiao_http::state::Clock;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::time::Duration;
use support::*;

api_tests!(
    a_threatening_repeat_dispute_raises_an_alert_that_goes_round_its_loop,
    repeat_petitions_fold_into_one_alert,
    fraud_reports_become_warnings_and_dissuasion_tasks,
    risk_rules_are_versioned_and_dry_run_over_past_filings,
    the_live_feed_pushes_a_new_alert_to_an_open_stream,
);

fn filing(applicant_phone: &str, respondent: &str, ty: &str, facts: &str) -> Value {
    json!({
        "title": format!("{respondent}纠纷"), "dispute_type": ty,
        "facts": facts, "claims": "请求调解处理。", "amount_fen": 0,
        "region_code": COMMUNITY_1, "channel": "window",
        "parties": [
            { "role": "applicant", "kind": "person", "name": "张建国", "phone": applicant_phone },
            { "role": "respondent", "kind": "person", "name": respondent },
        ],
    })
}

/// Files as window staff, logging in afresh (the tests move the clock past sessions' lifetime).
async fn file(app: &TestApp, body: &Value) -> String {
    let token = app.login("s1_intake", PASSWORD).await;
    let r = app.post_json("/api/v1/disputes", Some(&token), body).await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.body["dispute"]["id"].as_str().unwrap().to_owned()
}

/// The risk worker runs after the filing's commit: wait (briefly) for its alert to appear.
async fn wait_for_alerts(app: &TestApp, token: &str, query: &str, count: usize) -> Vec<Value> {
    for _ in 0..100 {
        let r = app
            .get(&format!("/api/v1/alerts?{query}"), Some(token))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let items = r.body["items"].as_array().unwrap().clone();
        if items.len() >= count {
            return items;
        }
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    panic!("no {count} alert(s) for `{query}` after 3 s");
}

async fn step(app: &TestApp, token: &str, id: &str, body: Value) -> Reply {
    app.post_json(&format!("/api/v1/alerts/{id}/commands"), Some(token), &body)
        .await
}

async fn a_threatening_repeat_dispute_raises_an_alert_that_goes_round_its_loop(app: TestApp) {
    file(
        &app,
        &filing(
            "13911112222",
            "李四",
            "neighbour",
            "邻居李四违章搭建挡住采光。",
        ),
    )
    .await;
    app.clock.advance_secs(10 * 86_400);
    let second = file(
        &app,
        &filing(
            "13911112222",
            "李四",
            "neighbour",
            "李四仍不拆除，我扬言再不拆就放火烧了他家。",
        ),
    )
    .await;
    let intake = app.login("s1_intake", PASSWORD).await;
    let admin = app.login("s1_admin", PASSWORD).await;
    let other = app.login("s2_intake", PASSWORD).await;
    let items = wait_for_alerts(&app, &admin, "kind=civil_to_criminal", 1).await;
    assert_eq!(items.len(), 1);
    let alert = &items[0];
    let id = alert["id"].as_str().unwrap().to_owned();
    // 30 (one prior within 42 days) + 3 terms × 25 (扬言, 放火, 烧了他) + 10 (neighbour) = 115: red.
    assert_eq!(alert["level"], "red", "{alert}");
    assert_eq!(alert["status"], "issued");
    assert_eq!(alert["source"], "risk_rule");
    assert_eq!(alert["rule_id"], "civil_to_criminal");
    assert_eq!(alert["subject_id"], second.as_str());
    assert_eq!(alert["clock"]["clock_id"], "alert_sign");
    assert!(
        alert["detail"]["explanation"][1]
            .as_str()
            .unwrap()
            .contains("放火"),
        "{alert}"
    );
    // Another street's staff do not see it; intake staff may see but not work it.
    assert_eq!(
        app.get(&format!("/api/v1/alerts/{id}"), Some(&other))
            .await
            .status,
        404
    );
    step(&app, &intake, &id, json!({"action":"sign"}))
        .await
        .assert_error(axum::http::StatusCode::FORBIDDEN, "forbidden");
    let detail = app.get(&format!("/api/v1/alerts/{id}"), Some(&admin)).await;
    assert_eq!(detail.status, 200, "{}", detail.body);
    assert!(
        detail.body["actions"]
            .as_array()
            .unwrap()
            .contains(&json!("sign"))
    );
    assert_eq!(detail.body["steps"].as_array().unwrap().len(), 1);

    let r = step(&app, &admin, &id, json!({"action":"handle","note":"x"})).await;
    r.assert_error(
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(r.body["error"]["details"][0]["code"], "wrong_status");
    for (body, status) in [
        (json!({"action":"sign"}), "signed"),
        (
            json!({"action":"handle","note":"社区民警与调解员上门，双方情绪稳定"}),
            "handled",
        ),
        (
            json!({"action":"feedback","note":"已化解，签订调解协议"}),
            "fed_back",
        ),
        (
            json!({"action":"send_back","reason":"未附协议编号"}),
            "signed",
        ),
        (json!({"action":"handle","note":"补充协议编号"}), "handled"),
        (
            json!({"action":"feedback","note":"协议编号 2026-001"}),
            "fed_back",
        ),
        (json!({"action":"close"}), "closed"),
    ] {
        let r = step(&app, &admin, &id, body.clone()).await;
        assert_eq!(r.status, 200, "{body} → {}", r.body);
        assert_eq!(r.body["status"], status, "{body}");
    }
    let detail = app.get(&format!("/api/v1/alerts/{id}"), Some(&admin)).await;
    assert!(detail.body["alert"]["closed_at"].is_string());
    let steps = detail.body["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 8, "{steps:?}");
    assert_eq!(steps[4]["action"], "send_back");
    assert_eq!(steps[4]["note"], "未附协议编号");
    assert_eq!(detail.body["actions"], json!(["reopen"]));
    let audit = app
        .store()
        .audit_for_entity("alert", &id, fengqiao_store::PageRequest::default())
        .await
        .unwrap();
    assert_eq!(audit.total, 8, "one raise and seven steps");
    // Blank reasons are refused by field.
    let r = step(&app, &admin, &id, json!({"action":"reopen","reason":" "})).await;
    r.assert_error(
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert_eq!(r.field(), "reason");
}

async fn repeat_petitions_fold_into_one_alert(app: TestApp) {
    for i in 0..4 {
        file(
            &app,
            &filing(
                "13922223333",
                "王五",
                "housing_land",
                &format!("第{i}次反映宅基地边界问题。"),
            ),
        )
        .await;
        app.clock.advance_secs(20 * 86_400);
    }
    let admin = app.login("s1_admin", PASSWORD).await;
    let items = wait_for_alerts(&app, &admin, "kind=repeat_petition", 1).await;
    // Third and fourth filings both hit; the fourth updated the open alert.
    for _ in 0..100 {
        let items = app
            .get("/api/v1/alerts?kind=repeat_petition", Some(&admin))
            .await
            .body["items"]
            .clone();
        if items[0]["count"] == 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    let items2 = app
        .get("/api/v1/alerts?kind=repeat_petition", Some(&admin))
        .await
        .body["items"]
        .clone();
    assert_eq!(items2.as_array().unwrap().len(), 1, "{items2}");
    assert_eq!(items2[0]["count"], 4, "{items2}");
    assert_eq!(items2[0]["level"], "yellow");
    assert_eq!(items2[0]["evidence"].as_array().unwrap().len(), 4);
    assert_eq!(items[0]["id"], items2[0]["id"]);
    // The same parties three times within six weeks is also a 民转刑 sign (two priors × 30 +
    // 10 for a land matter = 70, orange): one alert of that rule too, updated by the fourth.
    let c2c = app
        .get("/api/v1/alerts?kind=civil_to_criminal", Some(&admin))
        .await
        .body;
    assert_eq!(c2c["total"], 1, "{c2c}");
    assert_eq!(c2c["items"][0]["level"], "orange");
}

fn authority_features() -> Value {
    json!({
        "claimed_identity": "police", "pretext": "case_investigation", "channel": "phone_call",
        "safe_account_transfer": true, "asked_secrecy": true, "victim_age": 67,
        "amount_fen": 8_000_000, "money_transferred": false,
    })
}

async fn fraud_reports_become_warnings_and_dissuasion_tasks(app: TestApp) {
    let admin = app.login("s1_admin", PASSWORD).await;
    let report = |features: Value| {
        json!({
            "kind": "tip_off", "received_via": "96110", "victim_name": "陈阿姨",
            "victim_phone": "13800001111", "region_code": COMMUNITY_1, "address": "江滨社区3幢",
            "narrative": "自称民警来电称其涉嫌洗钱，要求转入安全账户。", "features": features,
        })
    };
    let r = app
        .post_json(
            "/api/v1/fraud-reports",
            Some(&admin),
            &report(authority_features()),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["report"]["level"], "red");
    assert_eq!(r.body["alert"]["kind"], "fraud");
    assert_eq!(r.body["alert"]["rule_id"], "fraud_authority");
    assert_eq!(r.body["dissuasion"]["target"], "police");
    assert_eq!(r.body["scores"][0]["score"], 110);
    assert!(r.body["report"].get("victim_phone").is_none());
    let task = r.body["dissuasion"]["id"].as_str().unwrap().to_owned();

    let mut weak = json!({
        "claimed_identity": "customer_service", "pretext": "refund", "channel": "phone_call",
        "victim_age": 30,
    });
    let r = app
        .post_json("/api/v1/fraud-reports", Some(&admin), &report(weak.clone()))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(
        (
            r.body["report"]["level"].clone(),
            r.body["dissuasion"]["target"].clone()
        ),
        (json!("yellow"), json!("grid"))
    );
    weak["claimed_identity"] = json!("none");
    weak["pretext"] = json!("none");
    let r = app
        .post_json("/api/v1/fraud-reports", Some(&admin), &report(weak))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(r.body["alert"].is_null() && r.body["dissuasion"].is_null());

    let list = app
        .get("/api/v1/dissuasion-tasks?open=true", Some(&admin))
        .await;
    assert_eq!(list.body["total"], 2, "{}", list.body);
    let r = app
        .post_json(
            &format!("/api/v1/dissuasion-tasks/{task}/finish"),
            Some(&admin),
            &json!({"status":"dissuaded","outcome":"民警上门，陈阿姨未转账"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["status"], "dissuaded");
    let again = app
        .post_json(
            &format!("/api/v1/dissuasion-tasks/{task}/finish"),
            Some(&admin),
            &json!({"status":"failed","outcome":"x"}),
        )
        .await;
    assert_eq!(again.status, 409);

    // Bad input: every problem named by its field, nothing written.
    let mut bad = report(authority_features());
    bad["kind"] = json!("rumour");
    bad["victim_phone"] = json!("12345");
    bad["features"]["amount_fen"] = json!(-1);
    let r = app
        .post_json("/api/v1/fraud-reports", Some(&admin), &bad)
        .await;
    r.assert_error(
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    let fields: Vec<&str> = r.body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["kind", "victim_phone", "features.amount_fen"],
        "{}",
        r.body
    );
    let mut other_street = report(authority_features());
    other_street["region_code"] = json!(COMMUNITY_2);
    let r = app
        .post_json("/api/v1/fraud-reports", Some(&admin), &other_street)
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.field(), "region_code");
    assert_eq!(
        app.get("/api/v1/fraud-reports", Some(&admin)).await.body["total"],
        3
    );
}

async fn risk_rules_are_versioned_and_dry_run_over_past_filings(app: TestApp) {
    let admin = app.login("admin", PASSWORD).await;
    let rules = app.get("/api/v1/risk-rules", Some(&admin)).await;
    assert_eq!(rules.status, 200, "{}", rules.body);
    assert_eq!(rules.body.as_array().unwrap().len(), 6);
    // Two filings on one matter: below the default three, no alert.
    for i in 0..2 {
        file(
            &app,
            &filing(
                "13933334444",
                "赵六",
                "property",
                &format!("第{i}次反映物业费问题。"),
            ),
        )
        .await;
        app.clock.advance_secs(86_400);
    }
    let admin = app.login("admin", PASSWORD).await;
    let intake = app.login("s1_intake", PASSWORD).await;
    let today = app.clock.now().china_date().to_string();
    let dry = |params: Option<Value>| {
        let mut body = json!({ "from": "2026-03-01", "to": today });
        if let Some(p) = params {
            body["params"] = p;
        }
        body
    };
    let r = app
        .post_json(
            "/api/v1/risk-rules/repeat_petition/dry-run",
            Some(&admin),
            &dry(None),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        (r.body["evaluated"].clone(), r.body["alerts"].clone()),
        (json!(2), json!(0))
    );
    let lower = json!({ "kind": "repeat_petition", "window_days": 180, "min_filings": 2,
        "orange_from": 5, "red_from": 8, "across_levels_raises": true });
    let r = app
        .post_json(
            "/api/v1/risk-rules/repeat_petition/dry-run",
            Some(&admin),
            &dry(Some(lower.clone())),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["alerts"], 1, "{}", r.body);
    assert_eq!(r.body["by_level"]["yellow"], 1);
    // The dry run wrote nothing.
    assert_eq!(
        app.get("/api/v1/alerts", Some(&admin)).await.body["total"],
        0
    );

    let r = app
        .put_json(
            "/api/v1/risk-rules/repeat_petition",
            Some(&admin),
            &json!({ "version": 1, "enabled": true, "params": lower }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["version"], 2);
    let stale = app
        .put_json(
            "/api/v1/risk-rules/repeat_petition",
            Some(&admin),
            &json!({ "version": 1, "enabled": false, "params": lower }),
        )
        .await;
    assert_eq!(stale.status, 409, "{}", stale.body);
    let mut bad = lower.clone();
    bad["min_filings"] = json!(1);
    let r = app
        .put_json(
            "/api/v1/risk-rules/repeat_petition",
            Some(&admin),
            &json!({ "version": 2, "enabled": true, "params": bad }),
        )
        .await;
    r.assert_error(
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert!(r.body.to_string().contains("min_filings"), "{}", r.body);
    let mut typo = lower.clone();
    typo["min_filing"] = json!(2);
    let r = app
        .put_json(
            "/api/v1/risk-rules/repeat_petition",
            Some(&admin),
            &json!({ "version": 2, "enabled": true, "params": typo }),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let detail = app
        .get("/api/v1/risk-rules/repeat_petition", Some(&admin))
        .await;
    assert_eq!(
        detail.body["versions"].as_array().unwrap().len(),
        2,
        "{}",
        detail.body
    );
    // Intake staff may read but not change rules.
    let r = app
        .put_json(
            "/api/v1/risk-rules/repeat_petition",
            Some(&intake),
            &json!({ "version": 2, "enabled": false, "params": lower }),
        )
        .await;
    assert_eq!(r.status, 403);
    // The revised rule is live: the next filing on the matter raises the alert.
    file(
        &app,
        &filing("13933334444", "赵六", "property", "第三次反映物业费问题。"),
    )
    .await;
    let items = wait_for_alerts(&app, &admin, "kind=repeat_petition", 1).await;
    assert_eq!(items[0]["rule_version"], 2);
}

async fn the_live_feed_pushes_a_new_alert_to_an_open_stream(app: TestApp) {
    let admin = app.login("s1_admin", PASSWORD).await;
    let other = app.login("s2_intake", PASSWORD).await;
    let open = |token: &str| {
        let req = TestApp::request(
            axum::http::Method::GET,
            "/api/v1/alerts/stream",
            Some(token),
        )
        .body(axum::body::Body::empty())
        .unwrap();
        let router = app.router.clone();
        async move {
            use tower::ServiceExt;
            router.oneshot(req).await.unwrap()
        }
    };
    let resp = open(&admin).await;
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut body = resp.into_body();
    let mut other_body = open(&other).await.into_body();
    let mut seen = String::new();
    // The first event says the stream is up; then a report raises an alert.
    while !seen.contains("event: ready") {
        let frame = tokio::time::timeout(Duration::from_secs(5), body.frame())
            .await
            .expect("ready event")
            .unwrap()
            .unwrap();
        seen.push_str(&String::from_utf8_lossy(&frame.into_data().unwrap()));
    }
    let r = app
        .post_json(
            "/api/v1/fraud-reports",
            Some(&admin),
            &json!({
                "kind": "incident", "received_via": "110", "victim_name": "周先生",
                "region_code": COMMUNITY_1, "narrative": "冒充公检法。",
                "features": authority_features(),
            }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.body["alert"]["id"].as_str().unwrap().to_owned();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !seen.contains(&id) {
        let frame = tokio::time::timeout_at(deadline, body.frame())
            .await
            .expect("the alert arrives on the stream within 5 s")
            .unwrap()
            .unwrap();
        if let Ok(data) = frame.into_data() {
            seen.push_str(&String::from_utf8_lossy(&data));
        }
    }
    assert!(seen.contains("event: alert"), "{seen}");
    assert!(seen.contains("\"level\":\"red\""), "{seen}");
    // Another street's console is not sent it.
    let mut other_seen = String::new();
    while let Ok(Some(Ok(frame))) =
        tokio::time::timeout(Duration::from_millis(1500), other_body.frame()).await
    {
        if let Ok(data) = frame.into_data() {
            other_seen.push_str(&String::from_utf8_lossy(&data));
        }
    }
    assert!(!other_seen.contains(&id), "{other_seen}");
}
