//! Rules administrators change while the system runs, through the HTTP API on both backends:
//! calendar years and regional days, clock definitions, and the dispute taxonomy.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

#[allow(dead_code)] // shared with the API tests, which use all of it
mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::*;

api_tests!(
    calendar_years_are_refused_until_published_then_added_by_city_admins,
    regional_days_shift_deadlines_in_their_region_only,
    clock_definitions_are_data_with_the_domain_checks,
    the_taxonomy_grows_without_breaking_old_cases
);

fn day<'a>(year: &'a Value, date: &str) -> &'a Value {
    year["days"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["date"] == date)
        .unwrap_or_else(|| panic!("{date} missing"))
}

/// A 2027 arrangement in the holiday-cn format (a test notice, not the real one).
fn year_2027() -> Value {
    json!({
        "year": 2027,
        "papers": ["https://www.gov.cn/test-notice-2027"],
        "days": [
            { "name": "元旦", "date": "2027-01-01", "isOffDay": true },
            { "name": "春节", "date": "2027-02-06", "isOffDay": true },
            { "name": "春节", "date": "2027-02-07", "isOffDay": true },
            { "name": "春节", "date": "2027-02-08", "isOffDay": true },
            { "name": "春节", "date": "2027-02-09", "isOffDay": true },
            { "name": "春节", "date": "2027-02-10", "isOffDay": true },
            { "name": "春节", "date": "2027-02-11", "isOffDay": true },
            { "name": "春节", "date": "2027-02-12", "isOffDay": true },
            { "name": "春节", "date": "2027-02-20", "isOffDay": false }
        ]
    })
}

async fn calendar_years_are_refused_until_published_then_added_by_city_admins(app: TestApp) {
    let admin = app.login("admin", PASSWORD).await;
    let y2026 = app.get("/api/v1/calendar/2026", Some(&admin)).await;
    assert_eq!(y2026.status, 200, "{}", y2026.body);
    assert_eq!(y2026.body["days"].as_array().unwrap().len(), 365);
    // Spring Festival 2026: Feb 15–23 off, Saturday Feb 14 and Feb 28 worked (国办发明电〔2025〕7号).
    assert_eq!(day(&y2026.body, "2026-02-16")["kind"], "holiday");
    assert_eq!(day(&y2026.body, "2026-02-16")["holiday"], "春节");
    assert_eq!(day(&y2026.body, "2026-02-14")["kind"], "adjusted_workday");
    assert_eq!(day(&y2026.body, "2026-02-14")["working"], true);
    assert_eq!(day(&y2026.body, "2026-03-07")["kind"], "weekend");

    // 2027 is not published in the shipped data: refused, never guessed.
    let refused = app.get("/api/v1/calendar/2027", Some(&admin)).await;
    refused.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(
        refused.body["error"]["details"][0]["code"],
        "unpublished_year"
    );
    let deadline = app
        .get(
            "/api/v1/calendar/deadline?start=2026-12-28&days=10&basis=working",
            Some(&admin),
        )
        .await;
    assert_eq!(deadline.status, 422, "{}", deadline.body);

    // A street administrator may not publish a national year; malformed files are refused whole.
    let street = app.login("s1_admin", PASSWORD).await;
    let forbidden = app
        .post_json(
            "/api/v1/calendar/years",
            Some(&street),
            &json!({ "source": year_2027() }),
        )
        .await;
    assert_eq!(forbidden.status, 403);
    let mut bad = year_2027();
    bad["days"][1]["date"] = json!("2027-02-30");
    let malformed = app
        .post_json(
            "/api/v1/calendar/years",
            Some(&admin),
            &json!({ "source": bad }),
        )
        .await;
    malformed.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(malformed.field(), "source_json");
    let still = app.get("/api/v1/calendar", Some(&admin)).await;
    assert!(
        !still.body["published_years"]
            .as_array()
            .unwrap()
            .contains(&json!(2027))
    );

    let added = app
        .post_json(
            "/api/v1/calendar/years",
            Some(&admin),
            &json!({ "source": year_2027() }),
        )
        .await;
    assert_eq!(added.status, 200, "{}", added.body);
    assert_eq!(added.body["change"], "added");
    let y2027 = app.get("/api/v1/calendar/2027", Some(&admin)).await;
    assert_eq!(y2027.status, 200, "{}", y2027.body);
    assert_eq!(day(&y2027.body, "2027-02-08")["kind"], "holiday");
    assert_eq!(day(&y2027.body, "2027-02-20")["kind"], "adjusted_workday");
    // Ten working days from Monday 2026-12-28: Dec 29, 30, 31, (Jan 1 off, 2–3 weekend) Jan 4–8, 11, 12.
    let deadline = app
        .get(
            "/api/v1/calendar/deadline?start=2026-12-28&days=10&basis=working",
            Some(&admin),
        )
        .await;
    assert_eq!(deadline.status, 200, "{}", deadline.body);
    assert_eq!(deadline.body["due"], "2027-01-12");
    // Sending the same notice again changes nothing; the addition is on the audit trail.
    let again = app
        .post_json(
            "/api/v1/calendar/years",
            Some(&admin),
            &json!({ "source": year_2027() }),
        )
        .await;
    assert_eq!(again.body["change"], "unchanged");
    let entries = app
        .store()
        .audit_for_entity("calendar_year", "2027", Default::default())
        .await
        .unwrap();
    assert_eq!(entries.total, 1);
    // A restart (a new store on the same database) still knows 2027.
    app.store().reload_rules().await.unwrap();
    assert!(
        app.store()
            .rules()
            .calendar
            .published_years()
            .contains(&2027)
    );
}

async fn regional_days_shift_deadlines_in_their_region_only(app: TestApp) {
    let street = app.login("s1_admin", PASSWORD).await;
    // Friday 2026-03-20 becomes a local day off in 望江街道 only.
    let path = format!("/api/v1/calendar/regional-days/{STREET_1}/2026-03-20");
    let set = app
        .put_json(
            &path,
            Some(&street),
            &json!({ "off": true, "name": "地方民俗节" }),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.body);
    let other = app
        .put_json(
            &format!("/api/v1/calendar/regional-days/{STREET_2}/2026-03-20"),
            Some(&street),
            &json!({ "off": true, "name": "地方民俗节" }),
        )
        .await;
    assert_eq!(other.status, 403, "another street's calendar is not mine");
    let unnamed = app
        .put_json(&path, Some(&street), &json!({ "off": true, "name": " " }))
        .await;
    assert_eq!((unnamed.status.as_u16(), unnamed.field()), (422, "name"));
    let bad_date = app
        .put_json(
            &format!("/api/v1/calendar/regional-days/{STREET_1}/2026-13-01"),
            Some(&street),
            &json!({ "off": true, "name": "x" }),
        )
        .await;
    assert_eq!((bad_date.status.as_u16(), bad_date.field()), (422, "date"));

    let mine = app
        .get(
            &format!("/api/v1/calendar/2026?region_code={COMMUNITY_1}"),
            Some(&street),
        )
        .await;
    assert_eq!(day(&mine.body, "2026-03-20")["kind"], "holiday");
    assert_eq!(day(&mine.body, "2026-03-20")["region"], STREET_1);
    let theirs = app
        .get(
            &format!("/api/v1/calendar/2026?region_code={COMMUNITY_2}"),
            Some(&street),
        )
        .await;
    assert_eq!(day(&theirs.body, "2026-03-20")["kind"], "workday");
    // Five working days from Monday 2026-03-16: 17, 18, 19, (20 off here) 23, 24 — but 23 elsewhere.
    let due = |region: &str| {
        let app = &app;
        let token = street.clone();
        let region = region.to_owned();
        async move {
            app.get(
                &format!(
                    "/api/v1/calendar/deadline?start=2026-03-16&days=5&basis=working&region_code={region}"
                ),
                Some(&token),
            )
            .await
            .body["due"]
                .clone()
        }
    };
    assert_eq!(due(COMMUNITY_1).await, "2026-03-24");
    assert_eq!(due(COMMUNITY_2).await, "2026-03-23");

    let removed = app.delete(&path, Some(&street)).await;
    assert_eq!(removed.status, 204);
    assert_eq!(app.delete(&path, Some(&street)).await.status, 404);
    assert_eq!(due(COMMUNITY_1).await, "2026-03-23");
}

async fn clock_definitions_are_data_with_the_domain_checks(app: TestApp) {
    let admin = app.login("admin", PASSWORD).await;
    let list = app.get("/api/v1/clock-definitions", Some(&admin)).await;
    assert_eq!(list.status, 200, "{}", list.body);
    let items = list.body.as_array().unwrap();
    let labour = items
        .iter()
        .find(|i| i["definition"]["id"] == "labour_mediation")
        .unwrap()
        .clone();
    assert_eq!(labour["is_law"], true);
    assert_eq!(labour["citation"], "劳动争议调解仲裁法 art. 14");
    assert_eq!(labour["version"], 0);
    assert!(
        items
            .iter()
            .any(|i| i["is_law"] == false && i["citation"].is_null()),
        "internal targets are listed and never cited as law"
    );

    let mut definition = labour["definition"].clone();
    definition["warn_before_days"] = json!(5);
    let path = "/api/v1/clock-definitions/labour_mediation";
    let street = app.login("s1_admin", PASSWORD).await;
    let forbidden = app
        .put_json(
            path,
            Some(&street),
            &json!({ "definition": definition, "expected_version": 0 }),
        )
        .await;
    assert_eq!(forbidden.status, 403);
    let saved = app
        .put_json(
            path,
            Some(&admin),
            &json!({ "definition": definition, "expected_version": 0 }),
        )
        .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(
        (
            saved.body["version"].clone(),
            saved.body["overridden"].clone()
        ),
        (json!(1), json!(true))
    );
    let stale = app
        .put_json(
            path,
            Some(&admin),
            &json!({ "definition": definition, "expected_version": 0 }),
        )
        .await;
    assert_eq!(
        (stale.status.as_u16(), stale.field()),
        (422, "expected_version")
    );
    // A legal clock without its statute would pass an opinion off as law.
    let mut uncited = definition.clone();
    uncited["statutes"] = json!([]);
    let refused = app
        .put_json(
            path,
            Some(&admin),
            &json!({ "definition": uncited, "expected_version": 1 }),
        )
        .await;
    assert_eq!(
        (refused.status.as_u16(), refused.field()),
        (422, "definition"),
        "{}",
        refused.body
    );
    let mismatch = app
        .put_json(
            "/api/v1/clock-definitions/people_mediation",
            Some(&admin),
            &json!({ "definition": definition }),
        )
        .await;
    assert_eq!(mismatch.field(), "definition.id");
    let after = app.get("/api/v1/clock-definitions", Some(&admin)).await;
    let labour = after
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["definition"]["id"] == "labour_mediation")
        .unwrap()
        .clone();
    assert_eq!(labour["definition"]["warn_before_days"], 5);
    assert_eq!(
        labour["definition"]["statutes"].as_array().unwrap().len(),
        1
    );
}

async fn the_taxonomy_grows_without_breaking_old_cases(app: TestApp) {
    let admin = app.login("admin", PASSWORD).await;
    let intake = app.login("s1_intake", PASSWORD).await;
    let created = app
        .post_json(
            "/api/v1/dispute-types",
            Some(&admin),
            &json!({ "code": "pet_nuisance", "name_zh": "饲养宠物纠纷", "legal_clock": "people_mediation" }),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let dup = app
        .post_json(
            "/api/v1/dispute-types",
            Some(&admin),
            &json!({ "code": "pet_nuisance", "name_zh": "另一个名称" }),
        )
        .await;
    assert_eq!((dup.status.as_u16(), dup.field()), (422, "code"));
    let bad = app
        .post_json(
            "/api/v1/dispute-types",
            Some(&admin),
            &json!({ "code": "Bad-Code", "name_zh": "坏代码", "legal_clock": "no_such_clock" }),
        )
        .await;
    let fields: Vec<&str> = bad.body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["code", "legal_clock"], "{}", bad.body);
    let street = app.login("s1_admin", PASSWORD).await;
    let forbidden = app
        .post_json(
            "/api/v1/dispute-types",
            Some(&street),
            &json!({ "code": "street_only", "name_zh": "街道自定义" }),
        )
        .await;
    assert_eq!(forbidden.status, 403);

    let case = json!({
        "title": "楼上饲养犬只夜间吠叫", "dispute_type": "pet_nuisance", "facts": "邻居家犬只夜间吠叫。", "claims": "采取措施。",
        "amount_fen": 0, "region_code": COMMUNITY_1, "channel": "window",
        "parties": [{ "role": "applicant", "kind": "person", "name": "赵女士", "phone": "13811117777" }],
    });
    let filed = app
        .post_json("/api/v1/disputes", Some(&intake), &case)
        .await;
    assert_eq!(filed.status, 201, "{}", filed.body);
    let id = filed.body["dispute"]["id"].as_str().unwrap().to_owned();

    // Retired: intake no longer offers it, the old case keeps it.
    let retired = app
        .put_json(
            "/api/v1/dispute-types/pet_nuisance",
            Some(&admin),
            &json!({ "name_zh": "饲养宠物纠纷", "legal_clock": "people_mediation", "active": false }),
        )
        .await;
    assert_eq!(retired.status, 200, "{}", retired.body);
    let refused = app
        .post_json("/api/v1/disputes", Some(&intake), &case)
        .await;
    assert_eq!(
        (refused.status.as_u16(), refused.field()),
        (422, "dispute_type")
    );
    let old = app
        .get(&format!("/api/v1/disputes/{id}"), Some(&intake))
        .await;
    assert_eq!(old.body["dispute"]["dispute_type"], "pet_nuisance");
    let rename = app
        .put_json(
            "/api/v1/dispute-types/pet_nuisance",
            Some(&admin),
            &json!({ "code": "pets", "name_zh": "饲养宠物纠纷" }),
        )
        .await;
    assert_eq!((rename.status.as_u16(), rename.field()), (422, "code"));
    let missing = app
        .put_json(
            "/api/v1/dispute-types/no_such_type",
            Some(&admin),
            &json!({ "name_zh": "不存在" }),
        )
        .await;
    assert_eq!(missing.status, 404);
}
