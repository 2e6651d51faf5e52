//! Open311 GeoReport v2 through the real router on both backends: keys issued and revoked by
//! city administrators, services and definitions in JSON and XML, requests POSTed with single and
//! multi-value attributes becoming grid events, tokens, the spec's error bodies (400/403/404 in
//! both formats), the 90-day window and status filter of GET requests, and the
//! servicerequestupdates extension (comments, replays, reopening). The PyPI `georeport` client is
//! run against a live server by scripts/open311-client-test.sh.

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
    keys_are_issued_once_and_revoked_by_city_admins,
    services_and_definitions_in_both_formats,
    requests_with_attributes_become_grid_events,
    bad_requests_get_the_spec_error_bodies,
    listing_keeps_the_window_and_the_status_filter,
    updates_are_listed_posted_and_replayed,
);

const GRID: &str = "339902001001001";
const DEPT_UM: &str = "org-d-um";
const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0];

/// The grid and departments of tests/grid_events.rs: a grid in community 1, the district's urban
/// management bureau with a handler `um1`.
async fn seed(app: &TestApp) {
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
            geometry: None,
        },
    )
    .await
    .unwrap();
    s.create_org(
        &ctx,
        &all,
        DEPT_UM,
        &NewOrg {
            name: "江城区城市管理局".into(),
            kind: OrgKind::Department,
            region_code: DISTRICT.into(),
            specialty: Some(Specialty::UrbanManagement),
            court_id: None,
            address: String::new(),
            phone: String::new(),
        },
    )
    .await
    .unwrap();
    s.create_user(
        &ctx,
        &all,
        &FieldCipher::new(&[7u8; 32]),
        "user-um",
        &NewUser {
            username: "um1".into(),
            display_name: "um1".into(),
            org_id: DEPT_UM.into(),
            roles: vec![Role::Handler],
            password_hash: hash_password(PASSWORD).unwrap(),
            phone: Some(MobileNumber::parse("13600000012").unwrap()),
            id_number: None,
        },
    )
    .await
    .unwrap();
}

/// Issues a key as the city administrator: (id, the key).
async fn new_key(app: &TestApp, name: &str) -> (String, String) {
    let admin = app.login("admin", PASSWORD).await;
    let r = app
        .post_json(
            "/api/v1/open311/keys",
            Some(&admin),
            &json!({"name": name, "owner": "测试厂商"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    (
        r.body["key"]["id"].as_str().unwrap().to_owned(),
        r.body["api_key"].as_str().unwrap().to_owned(),
    )
}

async fn post_form(app: &TestApp, path: &str, pairs: &[(&str, &str)]) -> Reply {
    let body = serde_urlencoded::to_string(pairs).unwrap().into_bytes();
    app.post_raw(path, None, "application/x-www-form-urlencoded", body)
        .await
}

/// The XML text of a reply, checked to be well-formed with the declaration first.
fn xml(r: &Reply) -> String {
    let text = String::from_utf8(r.raw.clone()).unwrap();
    assert!(
        text.starts_with(r#"<?xml version="1.0" encoding="utf-8"?>"#),
        "no XML declaration: {text}"
    );
    assert!(
        r.header("content-type").starts_with("text/xml"),
        "{:?}",
        r.headers
    );
    let mut reader = quick_xml::Reader::from_str(&text);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("malformed XML ({e}): {text}"),
        }
    }
    text
}

/// A GeoReport error in JSON: `[{"code": status, "description": …}]` with that HTTP status.
#[track_caller]
fn json_error(r: &Reply, status: u16, needle: &str) {
    assert_eq!(r.status.as_u16(), status, "{}", r.body);
    assert_eq!(r.body[0]["code"], status, "{}", r.body);
    let d = r.body[0]["description"].as_str().unwrap_or_default();
    assert!(d.contains(needle), "`{needle}` not in {d}");
}

/// The same in XML: `<errors><error><code>…</code><description>…`.
#[track_caller]
fn xml_error(r: &Reply, status: u16, needle: &str) {
    assert_eq!(
        r.status.as_u16(),
        status,
        "{}",
        String::from_utf8_lossy(&r.raw)
    );
    let text = xml(r);
    assert!(
        text.contains(&format!(
            "<errors><error><code>{status}</code><description>"
        )),
        "{text}"
    );
    assert!(text.contains(needle), "`{needle}` not in {text}");
}

fn fire_report(key: &str) -> Vec<(&str, &str)> {
    vec![
        ("api_key", key),
        ("service_code", "fire_hazard"),
        ("jurisdiction_id", GRID),
        ("lat", "30.2741"),
        ("long", "120.1551"),
        ("address_string", "江滨路12号3单元"),
        ("attribute[hazard][]", "blocked_exit"),
        ("attribute[hazard][]", "indoor_charging"),
        ("description", "楼道堆满电动车，消防通道堵塞"),
        ("first_name", "美华"),
        ("last_name", "刘"),
        ("phone", "13912345678"),
        ("email", "liu@example.cn"),
        ("device_id", "dev-1"),
        ("account_id", "acct-9"),
        ("media_url", "https://img.example.cn/a.jpg"),
    ]
}

async fn keys_are_issued_once_and_revoked_by_city_admins(app: TestApp) {
    seed(&app).await;
    // A street administrator may not hold the city's keys.
    let street = app.login("s1_admin", PASSWORD).await;
    assert_eq!(
        app.get("/api/v1/open311/keys", Some(&street)).await.status,
        403
    );
    let r = app
        .post_json("/api/v1/open311/keys", Some(&street), &json!({"name": "x"}))
        .await;
    r.assert_error(axum::http::StatusCode::FORBIDDEN, "forbidden");

    let admin = app.login("admin", PASSWORD).await;
    let blank = app
        .post_json("/api/v1/open311/keys", Some(&admin), &json!({"name": " "}))
        .await;
    assert_eq!(
        (blank.status.as_u16(), blank.field()),
        (422, "name"),
        "{}",
        blank.body
    );
    let (id, secret) = new_key(&app, "市民通 App").await;
    assert!(secret.starts_with("o311_") && secret.len() > 30, "{secret}");
    // The list never shows the key again, only its first characters.
    let list = app.get("/api/v1/open311/keys", Some(&admin)).await;
    assert_eq!(list.status, 200);
    assert!(!list.body.to_string().contains(&secret));
    assert_eq!(list.body[0]["key_prefix"], secret[..10]);
    assert_eq!(list.body[0]["active"], true);
    // It works until revoked; revoked it is refused with 403 and stays listed.
    let mut report = fire_report(&secret);
    report.retain(|(k, _)| {
        k.starts_with("api_key")
            || *k == "service_code"
            || *k == "jurisdiction_id"
            || k.starts_with("attribute")
            || *k == "address_string"
    });
    assert_eq!(
        post_form(&app, "/open311/v2/requests.json", &report)
            .await
            .status,
        200
    );
    let revoked = app
        .delete(&format!("/api/v1/open311/keys/{id}"), Some(&admin))
        .await;
    assert_eq!(revoked.status, 200, "{}", revoked.body);
    assert_eq!(revoked.body["active"], false);
    assert!(revoked.body["revoked_at"].is_string());
    json_error(
        &post_form(&app, "/open311/v2/requests.json", &report).await,
        403,
        "api_key",
    );
    let list = app.get("/api/v1/open311/keys", Some(&admin)).await;
    assert_eq!(list.body[0]["active"], false);
    assert_eq!(
        app.delete("/api/v1/open311/keys/nope", Some(&admin))
            .await
            .status,
        404
    );
    // Both changes are in the audit trail, without the key.
    let audit = app
        .get(&format!("/api/v1/audit/open311_key/{id}"), Some(&admin))
        .await;
    let actions: Vec<&str> = audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"open311_key.create") && actions.contains(&"open311_key.revoke"),
        "{actions:?}"
    );
    assert!(!audit.body.to_string().contains(&secret));
}

async fn services_and_definitions_in_both_formats(app: TestApp) {
    seed(&app).await;
    let services = app.get("/open311/v2/services.json", None).await;
    assert_eq!(services.status, 200, "{}", services.body);
    let all = services.body.as_array().unwrap();
    // Disputes and public-security reports name people: the defaults keep them off the public list.
    assert_eq!(all.len(), 13, "{}", services.body);
    assert!(
        all.iter().all(
            |s| s["service_code"] != "family_dispute" && s["service_code"] != "public_security"
        )
    );
    let fire = all
        .iter()
        .find(|s| s["service_code"] == "fire_hazard")
        .unwrap();
    assert_eq!(fire["service_name"], "消防安全隐患");
    assert_eq!(fire["metadata"], true);
    assert_eq!(fire["type"], "realtime");
    assert_eq!(fire["group"], "安全隐患");
    assert!(fire["keywords"].as_str().unwrap().contains("消防"));
    let noise = all.iter().find(|s| s["service_code"] == "noise").unwrap();
    assert_eq!(noise["metadata"], false);

    let text = xml(&app.get("/open311/v2/services.xml", None).await);
    assert!(text.contains("<services><service><service_code>"), "{text}");
    assert!(
        text.contains(
            "<service_code>fire_hazard</service_code><service_name>消防安全隐患</service_name>"
        ),
        "{text}"
    );
    assert!(
        text.contains("<metadata>true</metadata><type>realtime</type>"),
        "{text}"
    );

    let def = app
        .get("/open311/v2/services/facility_damage.json", None)
        .await;
    assert_eq!(def.status, 200, "{}", def.body);
    assert_eq!(def.body["service_code"], "facility_damage");
    let a = &def.body["attributes"][0];
    assert_eq!(
        (
            &a["code"],
            &a["datatype"],
            &a["required"],
            &a["variable"],
            &a["order"]
        ),
        (
            &json!("component"),
            &json!("multivaluelist"),
            &json!(true),
            &json!(true),
            &json!(1)
        )
    );
    assert_eq!(
        a["values"][0],
        json!({"key": "streetlight", "name": "路灯"})
    );
    assert!(a["datatype_description"].is_string());
    let text = xml(&app
        .get("/open311/v2/services/facility_damage.xml", None)
        .await);
    assert!(text.contains("<service_definition><service_code>facility_damage</service_code><attributes><attribute><variable>true</variable><code>component</code>"), "{text}");
    assert!(
        text.contains("<values><value><key>streetlight</key><name>路灯</name></value>"),
        "{text}"
    );

    // Unknown services, resources and jurisdictions: the spec's error bodies.
    json_error(
        &app.get("/open311/v2/services/potholes.json", None).await,
        404,
        "potholes",
    );
    xml_error(
        &app.get("/open311/v2/services/potholes.xml", None).await,
        404,
        "potholes",
    );
    xml_error(
        &app.get("/open311/v2/nothing.xml", None).await,
        404,
        "no such resource",
    );
    json_error(
        &app.get("/open311/v2/services.json?jurisdiction_id=999", None)
            .await,
        400,
        "jurisdiction_id",
    );

    // A category withdrawn from the public disappears from Open311.
    let admin = app.login("admin", PASSWORD).await;
    let hidden = app
        .put_json(
            "/api/v1/grid-event-categories/noise",
            Some(&admin),
            &json!({"name_zh": "噪声扰民", "group_zh": "生态环境", "public": false}),
        )
        .await;
    assert_eq!(hidden.status, 200, "{}", hidden.body);
    let services = app.get("/open311/v2/services.json", None).await;
    assert_eq!(services.body.as_array().unwrap().len(), 12);
    json_error(
        &app.get("/open311/v2/services/noise.json", None).await,
        404,
        "noise",
    );

    let d = app.get("/open311/v2/discovery.json", None).await;
    assert_eq!(d.status, 200, "{}", d.body);
    assert_eq!(
        d.body["endpoints"][0]["specification"],
        "http://wiki.open311.org/GeoReport_v2"
    );
    assert_eq!(
        d.body["endpoints"][0]["formats"],
        json!(["text/xml", "application/json"])
    );
    let text = xml(&app.get("/open311/v2/discovery.xml", None).await);
    assert!(
        text.contains(
            "<formats><format>text/xml</format><format>application/json</format></formats>"
        ),
        "{text}"
    );
}

async fn requests_with_attributes_become_grid_events(app: TestApp) {
    seed(&app).await;
    let (_, key) = new_key(&app, "市民通 App").await;
    // Multi-value attribute, a point outside every grid filed in the jurisdiction grid.
    let r = post_form(&app, "/open311/v2/requests.json", &fire_report(&key)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let id = r.body[0]["service_request_id"].as_str().unwrap().to_owned();
    let token = r.body[0]["token"].as_str().unwrap().to_owned();
    assert_eq!(r.body[0]["account_id"], "acct-9");
    assert!(
        r.body[0]["service_notice"]
            .as_str()
            .unwrap()
            .contains("20260302-00001"),
        "{}",
        r.body
    );

    // Staff see an ordinary grid event with source open311.
    let centre = app.login("s1_intake", PASSWORD).await;
    let detail = app
        .get(&format!("/api/v1/grid-events/{id}"), Some(&centre))
        .await;
    assert_eq!(detail.status, 200, "{}", detail.body);
    let event = &detail.body["event"];
    assert_eq!(event["source"], "open311");
    assert_eq!(event["status"], "reported");
    assert_eq!(event["grid_code"], GRID);
    assert_eq!(event["reporter_name"], "刘美华");
    assert_eq!(event["reporter_phone_masked"], "139****5678");
    assert_eq!(event["address"], "江滨路12号3单元");
    let attrs: Value = serde_json::from_str(event["attributes_json"].as_str().unwrap()).unwrap();
    assert_eq!(
        attrs,
        json!({"hazard": ["blocked_exit", "indoor_charging"]})
    );
    assert!(
        !detail.body.to_string().contains("liu@example.cn"),
        "the e-mail is stored encrypted"
    );

    // The token leads to the request, in both formats; an unknown one is 404.
    let t = app
        .get(&format!("/open311/v2/tokens/{token}.json"), None)
        .await;
    assert_eq!(t.body, json!([{"service_request_id": id, "token": token}]));
    let text = xml(&app
        .get(&format!("/open311/v2/tokens/{token}.xml"), None)
        .await);
    assert!(text.contains(&format!("<service_requests><request><service_request_id>{id}</service_request_id><token>{token}</token></request></service_requests>")), "{text}");
    json_error(
        &app.get("/open311/v2/tokens/nope.json", None).await,
        404,
        "token",
    );

    // The request as Open311 shows it.
    let one = app
        .get(
            &format!("/open311/v2/requests/{id}.json?extensions=true"),
            None,
        )
        .await;
    assert_eq!(one.status, 200, "{}", one.body);
    let q = &one.body[0];
    assert_eq!(one.body.as_array().unwrap().len(), 1);
    assert_eq!(
        (&q["status"], &q["service_code"], &q["service_name"]),
        (
            &json!("open"),
            &json!("fire_hazard"),
            &json!("消防安全隐患")
        )
    );
    assert_eq!(q["requested_datetime"], "2026-03-02T10:00:00+08:00");
    assert_eq!(
        q["expected_datetime"], "2026-03-03T23:59:59+08:00",
        "the one working day to accept"
    );
    assert_eq!(
        (q["lat"].as_f64(), q["long"].as_f64()),
        (Some(30.2741), Some(120.1551))
    );
    assert_eq!(q["media_url"], "https://img.example.cn/a.jpg");
    assert_eq!(q["status_notes"], "已登记，等待综治中心受理");
    assert!(q["agency_responsible"].is_null());
    assert_eq!(q["extended_attributes"]["extended_status"], "open");
    assert_eq!(q["extended_attributes"]["number"], "20260302-00001");

    // Single-value list, an address alone filed in the community named by jurisdiction_id, XML.
    let r = post_form(
        &app,
        "/open311/v2/requests.xml",
        &[
            ("api_key", &key),
            ("service_code", "clutter"),
            ("jurisdiction_id", COMMUNITY_1),
            ("address_string", "江滨路8号 <楼道> & 车库"),
            ("attribute[location_kind]", "corridor"),
        ],
    )
    .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.raw));
    let text = xml(&r);
    assert!(
        text.contains("<service_requests><request><service_request_id>"),
        "{text}"
    );
    assert!(
        text.contains("<token>") && text.contains("<account_id/>"),
        "{text}"
    );
    let id2 = text
        .split("<service_request_id>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap()
        .to_owned();
    let text = xml(&app
        .get(&format!("/open311/v2/requests/{id2}.xml"), None)
        .await);
    assert!(
        text.contains("<address>江滨路8号 &lt;楼道&gt; &amp; 车库</address>"),
        "{text}"
    );
    assert!(text.contains("<lat/><long/>"), "{text}");
    assert!(
        text.contains("<description>乱堆乱放</description>"),
        "the service name stands in for a missing description: {text}"
    );
    let detail = app
        .get(&format!("/api/v1/grid-events/{id2}"), Some(&centre))
        .await;
    assert!(detail.body["event"]["grid_code"].is_null());
    assert_eq!(
        detail.body["event"]["region_path"],
        format!("/{CITY}/{DISTRICT}/{STREET_1}/{COMMUNITY_1}/")
    );
    let attrs: Value =
        serde_json::from_str(detail.body["event"]["attributes_json"].as_str().unwrap()).unwrap();
    assert_eq!(attrs, json!({"location_kind": "corridor"}));

    // A photo added by staff becomes the media_url of a request that had none.
    let req = TestApp::request(
        axum::http::Method::POST,
        &format!("/api/v1/grid-events/{id2}/photos"),
        Some(&centre),
    )
    .header("content-type", "image/png")
    .header("x-filename", "scene.png")
    .body(axum::body::Body::from(PNG.to_vec()))
    .unwrap();
    assert_eq!(app.send(req).await.status, 201);
    let one = app
        .get(&format!("/open311/v2/requests/{id2}.json"), None)
        .await;
    let media = one.body[0]["media_url"].as_str().unwrap();
    assert!(
        media.ends_with(&format!("/open311/v2/media/{id2}")),
        "{media}"
    );
    let image = app.get(&format!("/open311/v2/media/{id2}"), None).await;
    assert_eq!((image.status.as_u16(), image.raw.as_slice()), (200, PNG));
    assert_eq!(image.header("content-type"), "image/png");
    json_error(
        &app.get("/open311/v2/requests/nope.json", None).await,
        404,
        "nope",
    );
    xml_error(
        &app.get("/open311/v2/requests/nope.xml", None).await,
        404,
        "nope",
    );
    assert_eq!(
        app.get(&format!("/open311/v2/media/{id}"), None)
            .await
            .status,
        404
    );

    // Both requests are in the audit trail with the key that filed them.
    let admin = app.login("admin", PASSWORD).await;
    let audit = app
        .get(&format!("/api/v1/audit/grid_event/{id}"), Some(&admin))
        .await;
    let actions: Vec<&str> = audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"grid_event.open311_request") && actions.contains(&"grid_event.report"),
        "{actions:?}"
    );
}

async fn bad_requests_get_the_spec_error_bodies(app: TestApp) {
    seed(&app).await;
    let (_, key) = new_key(&app, "市民通 App").await;
    let good = fire_report(&key);
    let without = |name: &str| -> Vec<(&str, &str)> {
        good.iter()
            .copied()
            .filter(|(k, _)| !k.starts_with(name))
            .collect()
    };
    let with = |extra: &[(&'static str, &'static str)]| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = good
            .iter()
            .filter(|(k, _)| !extra.iter().any(|(e, _)| k == e))
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        v.extend(
            extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        v
    };
    async fn send(app: &TestApp, fmt: &str, pairs: &[(String, String)]) -> Reply {
        let p: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        post_form(app, &format!("/open311/v2/requests.{fmt}"), &p).await
    }
    let owned = |p: Vec<(&str, &str)>| -> Vec<(String, String)> {
        p.into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    };

    // 400: a missing parameter, in JSON and XML.
    json_error(
        &send(&app, "json", &owned(without("api_key"))).await,
        400,
        "api_key is required",
    );
    xml_error(
        &send(&app, "xml", &owned(without("api_key"))).await,
        400,
        "api_key is required",
    );
    json_error(
        &send(&app, "json", &owned(without("service_code"))).await,
        400,
        "service_code is required",
    );
    // 403: a wrong key.
    json_error(
        &send(&app, "json", &with(&[("api_key", "o311_wrong")])).await,
        403,
        "invalid api_key",
    );
    xml_error(
        &send(&app, "xml", &with(&[("api_key", "o311_wrong")])).await,
        403,
        "invalid api_key",
    );
    // 404: an unknown service.
    json_error(
        &send(&app, "json", &with(&[("service_code", "potholes")])).await,
        404,
        "potholes",
    );
    xml_error(
        &send(&app, "xml", &with(&[("service_code", "potholes")])).await,
        404,
        "potholes",
    );
    // Attributes checked against the definition.
    json_error(
        &send(&app, "json", &owned(without("attribute"))).await,
        400,
        "attribute[hazard] is required",
    );
    let bad_value: Vec<(String, String)> = owned(without("attribute"))
        .into_iter()
        .chain([
            ("attribute[hazard][]".to_owned(), "blocked_exit".to_owned()),
            ("attribute[hazard][]".to_owned(), "ufo".to_owned()),
        ])
        .collect();
    json_error(
        &send(&app, "json", &bad_value).await,
        400,
        "`ufo` is not one of its values",
    );
    xml_error(
        &send(&app, "xml", &bad_value).await,
        400,
        "`ufo` is not one of its values",
    );
    json_error(
        &send(&app, "json", &with(&[("attribute[colour]", "red")])).await,
        400,
        "attribute[colour]",
    );
    let two_singles = [
        ("api_key", key.as_str()),
        ("service_code", "clutter"),
        ("jurisdiction_id", COMMUNITY_1),
        ("address_string", "江滨路8号"),
        ("attribute[location_kind]", "corridor"),
        ("attribute[location_kind]", "road"),
    ];
    json_error(
        &post_form(&app, "/open311/v2/requests.json", &two_singles).await,
        400,
        "exactly one value",
    );
    // Where: both coordinates, a known region, a point or an address.
    json_error(
        &send(&app, "json", &owned(without("long"))).await,
        400,
        "together",
    );
    json_error(
        &send(&app, "json", &with(&[("lat", "north")])).await,
        400,
        "lat must be a number",
    );
    let nowhere: Vec<(&str, &str)> = good
        .iter()
        .copied()
        .filter(|(k, _)| !matches!(*k, "lat" | "long" | "address_string"))
        .collect();
    json_error(
        &send(&app, "json", &owned(nowhere)).await,
        400,
        "are required",
    );
    let outside: Vec<(&str, &str)> = without("jurisdiction_id");
    json_error(&send(&app, "json", &owned(outside)).await, 400, "lat:");
    let address_only: Vec<(&str, &str)> = good
        .iter()
        .copied()
        .filter(|(k, _)| !matches!(*k, "lat" | "long" | "jurisdiction_id"))
        .collect();
    json_error(
        &send(&app, "json", &owned(address_only)).await,
        400,
        "needs jurisdiction_id",
    );
    json_error(
        &send(&app, "json", &with(&[("jurisdiction_id", "123")])).await,
        400,
        "jurisdiction_id `123`",
    );
    // Contact fields.
    json_error(
        &send(&app, "json", &with(&[("phone", "12345")])).await,
        400,
        "phone:",
    );
    json_error(
        &send(&app, "json", &with(&[("email", "not-an-address")])).await,
        400,
        "email",
    );
    json_error(
        &send(&app, "json", &with(&[("media_url", "file:///etc/passwd")])).await,
        400,
        "media_url",
    );
    // JSON bodies are not GeoReport.
    let r = app
        .post_json("/open311/v2/requests.json", None, &json!({"api_key": key}))
        .await;
    json_error(&r, 400, "x-www-form-urlencoded");

    // Nothing was written by any of them.
    let centre = app.login("admin", PASSWORD).await;
    let all = app.get("/api/v1/grid-events", Some(&centre)).await;
    assert_eq!(all.body["total"], 0, "{}", all.body);
}

async fn listing_keeps_the_window_and_the_status_filter(app: TestApp) {
    seed(&app).await;
    let (_, key) = new_key(&app, "市民通 App").await;
    let file = |code: &'static str, place: &'static str, attr: (&'static str, &'static str)| {
        let key = key.clone();
        let app = &app;
        async move {
            let r = post_form(
                app,
                "/open311/v2/requests.json",
                &[
                    ("api_key", key.as_str()),
                    ("service_code", code),
                    ("jurisdiction_id", place),
                    ("address_string", "某处"),
                    attr,
                ],
            )
            .await;
            assert_eq!(r.status, 200, "{}", r.body);
            r.body[0]["service_request_id"].as_str().unwrap().to_owned()
        }
    };
    let old = file("clutter", COMMUNITY_1, ("attribute[location_kind]", "road")).await;
    // A hundred days later: two more, one in the other street.
    app.clock.advance_secs(100 * 86_400);
    let newer = file("noise", COMMUNITY_1, ("description", "夜间施工")).await;
    app.clock.advance_secs(60);
    let other_street = file("noise", COMMUNITY_2, ("description", "广场舞")).await;
    // The centre refuses one: it is closed for Open311, with the reason as status_notes.
    let centre = app.login("s1_intake", PASSWORD).await;
    let r = app
        .post_json(
            &format!("/api/v1/grid-events/{newer}/commands"),
            Some(&centre),
            &json!({"action": "reject", "reason": "重复上报，已并入前单"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    let ids = |r: &Reply| -> Vec<String> {
        r.body
            .as_array()
            .unwrap_or_else(|| panic!("{}", r.body))
            .iter()
            .map(|q| q["service_request_id"].as_str().unwrap().to_owned())
            .collect()
    };
    // Default: the last 90 days, newest first.
    let all = app.get("/open311/v2/requests.json", None).await;
    assert_eq!(ids(&all), [other_street.clone(), newer.clone()]);
    // An explicit window reaches the old one; more than 90 days is refused.
    let early = app.get("/open311/v2/requests.json?start_date=2026-03-01T00:00:00Z&end_date=2026-03-03T00:00:00%2B08:00", None).await;
    assert_eq!(ids(&early), [old.as_str()]);
    let early = app
        .get("/open311/v2/requests.json?start_date=2026-03-01", None)
        .await;
    assert_eq!(ids(&early), [old.as_str()], "90 days from the start");
    json_error(&app.get("/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-30T00:00:00Z", None).await, 400, "90 days");
    xml_error(
        &app.get("/open311/v2/requests.xml?start_date=yesterday", None)
            .await,
        400,
        "start_date",
    );
    // Ids override the window.
    let by_id = app
        .get(
            &format!("/open311/v2/requests.json?service_request_id={old},{newer}"),
            None,
        )
        .await;
    assert_eq!(ids(&by_id), [newer.clone(), old.clone()]);
    // Status and service filters; the jurisdiction narrows to its subtree.
    let closed = app
        .get("/open311/v2/requests.json?status=closed", None)
        .await;
    assert_eq!(ids(&closed), [newer.as_str()]);
    assert_eq!(closed.body[0]["status"], "closed");
    assert_eq!(closed.body[0]["status_notes"], "重复上报，已并入前单");
    assert!(closed.body[0]["expected_datetime"].is_null());
    let open = app.get("/open311/v2/requests.json?status=open", None).await;
    assert_eq!(ids(&open), [other_street.as_str()]);
    let both = app
        .get(
            "/open311/v2/requests.json?status=open,closed&service_code=noise",
            None,
        )
        .await;
    assert_eq!(ids(&both).len(), 2);
    json_error(
        &app.get("/open311/v2/requests.json?status=pending", None)
            .await,
        400,
        "pending",
    );
    json_error(
        &app.get("/open311/v2/requests.json?service_code=potholes", None)
            .await,
        400,
        "potholes",
    );
    let street1 = app
        .get(
            &format!("/open311/v2/requests.json?jurisdiction_id={STREET_1}"),
            None,
        )
        .await;
    assert_eq!(ids(&street1), [newer.as_str()]);
    let ext = app
        .get(
            "/open311/v2/requests.json?status=closed&extensions=true",
            None,
        )
        .await;
    assert_eq!(
        ext.body[0]["extended_attributes"]["extended_status"],
        "no_further_action"
    );
    // XML lists wrap each request.
    let text = xml(&app.get("/open311/v2/requests.xml", None).await);
    assert_eq!(text.matches("<request>").count(), 2, "{text}");
    assert!(
        text.contains("<status>closed</status><status_notes>重复上报，已并入前单</status_notes>"),
        "{text}"
    );
    let text = xml(&app
        .get("/open311/v2/requests.xml?service_code=fire_hazard", None)
        .await);
    assert!(text.contains("<service_requests/>"), "{text}");
}

async fn updates_are_listed_posted_and_replayed(app: TestApp) {
    seed(&app).await;
    let (_, key) = new_key(&app, "市民通 App").await;
    let (_, other_key) = new_key(&app, "另一个应用").await;
    let r = post_form(
        &app,
        "/open311/v2/requests.json",
        &[
            ("api_key", key.as_str()),
            ("service_code", "clutter"),
            ("jurisdiction_id", GRID),
            ("address_string", "江滨路12号"),
            ("attribute[location_kind]", "corridor"),
            ("description", "楼道堆放纸箱"),
        ],
    )
    .await;
    let id = r.body[0]["service_request_id"].as_str().unwrap().to_owned();
    let centre = app.login("s1_intake", PASSWORD).await;
    let step = |token: String, command: Value| {
        let app = &app;
        let id = id.clone();
        async move {
            app.clock.advance_secs(60);
            let r = app
                .post_json(
                    &format!("/api/v1/grid-events/{id}/commands"),
                    Some(&token),
                    &command,
                )
                .await;
            assert_eq!(r.status, 200, "{command}: {}", r.body);
        }
    };
    step(
        centre.clone(),
        json!({"action": "accept", "note": "属实，派城管处理"}),
    )
    .await;

    let updates = app
        .get(
            &format!("/open311/v2/servicerequestupdates.json?service_request_id={id}"),
            None,
        )
        .await;
    assert_eq!(updates.status, 200, "{}", updates.body);
    let list = updates.body.as_array().unwrap();
    assert_eq!(list.len(), 2, "{}", updates.body);
    assert_eq!(
        (&list[0]["status"], &list[1]["status"]),
        (&json!("open"), &json!("investigating"))
    );
    assert_eq!(list[1]["description"], "属实，派城管处理");
    assert_eq!(list[1]["service_request_id"], id.as_str());
    assert_eq!(list[1]["updated_datetime"], "2026-03-02T10:01:00+08:00");

    // A client's update: recorded as a comment, status unchanged; the same update_id replays.
    let post = |k: String,
                status: &'static str,
                uid: &'static str,
                text: &'static str,
                fmt: &'static str| {
        let app = &app;
        let id = id.clone();
        async move {
            post_form(
                app,
                &format!("/open311/v2/servicerequestupdates.{fmt}"),
                &[
                    ("api_key", k.as_str()),
                    ("service_request_id", id.as_str()),
                    ("update_id", uid),
                    ("status", status),
                    ("updated_datetime", "2026-03-02T10:05:00+08:00"),
                    ("description", text),
                    ("first_name", "美华"),
                    ("last_name", "刘"),
                ],
            )
            .await
        }
    };
    let first = post(key.clone(), "OPEN", "fms-1", "三楼也有堆放", "json").await;
    assert_eq!(first.status, 200, "{}", first.body);
    let update_id = first.body[0]["update_id"].as_str().unwrap().to_owned();
    let again = post(key.clone(), "OPEN", "fms-1", "三楼也有堆放", "json").await;
    assert_eq!(
        again.body[0]["update_id"],
        update_id.as_str(),
        "a resent update is not recorded twice"
    );
    let xml_reply = post(key.clone(), "CLOSED", "fms-2", "居民说已经清理了", "xml").await;
    let text = xml(&xml_reply);
    assert!(
        text.contains("<service_request_updates><request_update><update_id>"),
        "{text}"
    );
    let detail = app
        .get(&format!("/api/v1/grid-events/{id}"), Some(&centre))
        .await;
    assert_eq!(
        detail.body["event"]["status"], "accepted",
        "a client cannot close an event"
    );
    let actions: Vec<&str> = detail.body["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["report", "accept", "open311_comment", "open311_comment"]
    );
    let text = xml(&app
        .get(
            &format!("/open311/v2/servicerequestupdates.xml?service_request_id={id}"),
            None,
        )
        .await);
    assert_eq!(text.matches("<request_update>").count(), 4, "{text}");
    assert!(text.contains("<status>investigating</status><updated_datetime>2026-03-02T10:01:00+08:00</updated_datetime><description>三楼也有堆放</description><media_url/>"), "{text}");

    // Bad updates.
    json_error(
        &post(key.clone(), "DONE", "x", "y", "json").await,
        400,
        "REOPEN",
    );
    json_error(
        &post("o311_wrong".into(), "OPEN", "x", "y", "json").await,
        403,
        "api_key",
    );
    let unknown = post_form(
        &app,
        "/open311/v2/servicerequestupdates.json",
        &[
            ("api_key", key.as_str()),
            ("service_request_id", "nope"),
            ("status", "OPEN"),
            ("description", "x"),
        ],
    )
    .await;
    json_error(&unknown, 404, "nope");
    xml_error(
        &post_form(
            &app,
            "/open311/v2/servicerequestupdates.xml",
            &[
                ("api_key", key.as_str()),
                ("status", "OPEN"),
                ("description", "x"),
            ],
        )
        .await,
        400,
        "service_request_id is required",
    );

    // Round the loop to closed; then REOPEN from the filing client reopens it, another may not.
    let um = app.login("um1", PASSWORD).await;
    step(
        centre.clone(),
        json!({"action": "dispatch", "department_org_id": DEPT_UM}),
    )
    .await;
    step(um.clone(), json!({"action": "sign"})).await;
    app.clock.advance_secs(30);
    let req = TestApp::request(
        axum::http::Method::POST,
        &format!("/api/v1/grid-events/{id}/photos"),
        Some(&um),
    )
    .header("content-type", "image/png")
    .header("x-filename", "done.png")
    .body(axum::body::Body::from(PNG.to_vec()))
    .unwrap();
    assert_eq!(app.send(req).await.status, 201);
    step(um.clone(), json!({"action": "feedback", "note": "已清理"})).await;
    step(
        centre.clone(),
        json!({"action": "verify", "approved": true}),
    )
    .await;
    let one = app
        .get(&format!("/open311/v2/requests/{id}.json"), None)
        .await;
    assert_eq!(one.body[0]["status"], "closed");
    assert_eq!(one.body[0]["agency_responsible"], "江城区城市管理局");
    json_error(
        &post(other_key, "REOPEN", "o-1", "没清理干净", "json").await,
        400,
        "only the client that filed",
    );
    let reopened = post(
        key.clone(),
        "REOPEN",
        "fms-3",
        "没清理干净，二楼还有",
        "json",
    )
    .await;
    assert_eq!(reopened.status, 200, "{}", reopened.body);
    let detail = app
        .get(&format!("/api/v1/grid-events/{id}"), Some(&centre))
        .await;
    assert_eq!(
        detail.body["event"]["status"], "accepted",
        "{}",
        detail.body
    );
    let again = post(
        key.clone(),
        "REOPEN",
        "fms-3",
        "没清理干净，二楼还有",
        "json",
    )
    .await;
    assert_eq!(again.body[0]["update_id"], reopened.body[0]["update_id"]);

    // The date-range form of GET: the default window holds every step; a range before them none.
    let all = app
        .get("/open311/v2/servicerequestupdates.json", None)
        .await;
    let statuses: Vec<&str> = all
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        [
            "open",
            "investigating",
            "investigating",
            "investigating",
            "action_scheduled",
            "in_progress",
            "in_progress",
            "fixed",
            "investigating"
        ]
    );
    let none = app
        .get("/open311/v2/servicerequestupdates.json?start_date=2026-01-01T00:00:00Z&end_date=2026-01-31T00:00:00Z", None)
        .await;
    assert_eq!(none.body, json!([]));
}
