//! The grid API through the real router on both backends: GeoJSON import (all or nothing, one
//! error per bad feature), export and re-import, point → grid lookup with shared edges, holes,
//! overlapping industry grids and data scope, geometry edits with history and the index rebuilt,
//! grid workers, and the grid summary with its event counts.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

#[allow(dead_code)] // shared with the other API tests, which use the rest
mod support;

use axum::http::StatusCode;
use fengqiao_domain::identifiers::MobileNumber;
use fengqiao_domain::role::Role;
use fengqiao_domain::time::Timestamp;
use fengqiao_http::routes::auth::hash_password;
use fengqiao_store::regions::RegionPatch;
use fengqiao_store::users::NewUser;
use fengqiao_store::{AuditCtx, FieldCipher, Scope};
use serde_json::{Value, json};
use support::*;

api_tests! {
    import_locate_export_and_reimport,
    a_bad_import_writes_nothing_and_names_each_feature,
    geometry_edits_are_checked_kept_and_indexed,
    workers_and_summary,
}

const WEST: &str = "339902001001001";
const EAST: &str = "339902001001002";
const SCHOOL: &str = "339902001001901";
const LAKE: &str = "339902002001001";
const GRID_WORKER: &str = "user-gw";

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<[f64; 2]> {
    vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
}

fn polygon(rings: Vec<Vec<[f64; 2]>>) -> Value {
    json!({ "type": "Polygon", "coordinates": rings })
}

fn feature(code: &str, name: &str, parent: &str, kind: &str, geometry: Value) -> Value {
    json!({
        "type": "Feature",
        "properties": { "code": code, "name": name, "parent_code": parent, "grid_kind": kind,
                        "population": 1500 },
        "geometry": geometry,
    })
}

fn collection(features: Vec<Value>) -> Value {
    json!({ "type": "FeatureCollection", "features": features })
}

fn ctx() -> AuditCtx {
    AuditCtx::system(Timestamp::parse_rfc3339(START).unwrap())
}

/// Community 1 is the square 120.00–120.01 × 30.00–30.01; community 2 its eastern neighbour.
async fn draw_communities(app: &TestApp) {
    for (code, x0) in [(COMMUNITY_1, 120.0), (COMMUNITY_2, 120.01)] {
        app.store()
            .update_region(
                &ctx(),
                &Scope::Everything,
                code,
                &RegionPatch {
                    geometry: Some(polygon(vec![rect(x0, 30.0, x0 + 0.01, 30.01)])),
                    ..RegionPatch::default()
                },
            )
            .await
            .unwrap();
    }
}

/// West and east halves of community 1 (the east one with a hole), a school grid over their
/// shared edge, and one grid covering community 2.
fn city_grids() -> Value {
    collection(vec![
        feature(
            WEST,
            "江滨社区第一网格",
            COMMUNITY_1,
            "territorial",
            polygon(vec![rect(120.0, 30.0, 120.005, 30.01)]),
        ),
        feature(
            EAST,
            "江滨社区第二网格",
            COMMUNITY_1,
            "territorial",
            polygon(vec![
                rect(120.005, 30.0, 120.01, 30.01),
                rect(120.007, 30.004, 120.008, 30.006),
            ]),
        ),
        feature(
            SCHOOL,
            "江滨小学专属网格",
            COMMUNITY_1,
            "school",
            polygon(vec![rect(120.004, 30.001, 120.006, 30.002)]),
        ),
        feature(
            LAKE,
            "湖畔社区第一网格",
            COMMUNITY_2,
            "territorial",
            polygon(vec![rect(120.01, 30.0, 120.02, 30.01)]),
        ),
    ])
}

async fn located(app: &TestApp, token: &str, lng: f64, lat: f64) -> Vec<String> {
    let r = app
        .get(
            &format!("/api/v1/grids/locate?lng={lng}&lat={lat}"),
            Some(token),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["grids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["code"].as_str().unwrap().to_owned())
        .collect()
}

async fn import_city(app: &TestApp, admin: &str) {
    draw_communities(app).await;
    let r = app
        .post_json("/api/v1/grids/import", Some(admin), &city_grids())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

async fn import_locate_export_and_reimport(app: TestApp) {
    draw_communities(&app).await;
    let admin = app.login("admin", PASSWORD).await;
    let s1_admin = app.login("s1_admin", PASSWORD).await;
    let intake = app.login("s1_intake", PASSWORD).await;
    let s2 = app.login("s2_intake", PASSWORD).await;

    // Only city and district administrators draw grids.
    for token in [&s1_admin, &intake] {
        app.post_json("/api/v1/grids/import", Some(token), &city_grids())
            .await
            .assert_error(StatusCode::FORBIDDEN, "forbidden");
    }
    let r = app
        .post_json("/api/v1/grids/import", Some(&admin), &city_grids())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["created"], json!([WEST, EAST, SCHOOL, LAKE]));
    assert_eq!(r.body["updated"], json!([]));
    assert_eq!(r.body["parents_without_geometry"], json!([]));

    // Inside one grid; on the shared edge both; the school grid over both; holes excluded.
    assert_eq!(located(&app, &intake, 120.002, 30.005).await, [WEST]);
    assert_eq!(located(&app, &intake, 120.005, 30.005).await, [WEST, EAST]);
    assert_eq!(
        located(&app, &intake, 120.005, 30.0015).await,
        [WEST, EAST, SCHOOL]
    );
    assert_eq!(
        located(&app, &intake, 120.0055, 30.0015).await,
        [EAST, SCHOOL]
    );
    assert!(
        located(&app, &intake, 120.0075, 30.005).await.is_empty(),
        "in the hole"
    );
    assert_eq!(
        located(&app, &intake, 120.007, 30.005).await,
        [EAST],
        "on the hole's ring"
    );
    assert!(located(&app, &intake, 121.0, 31.0).await.is_empty());
    // Answers are scoped: street 2 sees only its own grid on the communities' shared edge.
    assert_eq!(located(&app, &admin, 120.01, 30.005).await, [EAST, LAKE]);
    assert_eq!(located(&app, &s2, 120.01, 30.005).await, [LAKE]);
    assert!(located(&app, &s2, 120.002, 30.005).await.is_empty());
    let r = app
        .get("/api/v1/grids/locate?lng=120.002&lat=30.005", Some(&intake))
        .await;
    let west = &r.body["grids"][0];
    assert_eq!(west["name"], "江滨社区第一网格");
    assert_eq!(west["grid_kind"], "territorial");
    assert_eq!(
        west["path"],
        format!("/{CITY}/{DISTRICT}/{STREET_1}/{COMMUNITY_1}/{WEST}/")
    );
    let names: Vec<&str> = west["parents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["临江市", "江城区", "望江街道", "江滨社区"]);

    // Bad coordinates name the parameter.
    let r = app
        .get("/api/v1/grids/locate?lng=120.0", Some(&intake))
        .await;
    r.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(r.field(), "lat");
    let r = app
        .get("/api/v1/grids/locate?lng=200&lat=30", Some(&intake))
        .await;
    assert_eq!(
        (r.status, r.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, "lng")
    );
    let r = app
        .get("/api/v1/grids/locate?lng=abc&lat=30", Some(&intake))
        .await;
    assert_eq!(
        (r.status, r.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, "lng")
    );
    assert_eq!(
        app.get("/api/v1/grids/locate?lng=120&lat=30", None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    // Export: everything in scope, or under a region; in the import's format.
    let all = app.get("/api/v1/grids/export", Some(&admin)).await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    assert_eq!(all.body["type"], "FeatureCollection");
    assert_eq!(all.body["features"].as_array().unwrap().len(), 4);
    let street = app
        .get(
            &format!("/api/v1/grids/export?under={STREET_1}"),
            Some(&admin),
        )
        .await;
    let codes: Vec<&str> = street.body["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, [WEST, EAST, SCHOOL]);
    assert_eq!(
        street.body["features"][1]["geometry"]["coordinates"][1],
        json!(rect(120.007, 30.004, 120.008, 30.006))
    );
    let mine = app.get("/api/v1/grids/export", Some(&s2)).await;
    assert_eq!(mine.body["features"].as_array().unwrap().len(), 1);
    let r = app
        .get(&format!("/api/v1/grids/export?under={STREET_1}"), Some(&s2))
        .await;
    assert_eq!(
        (r.status, r.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, "under")
    );

    // The export imports back: the same grids are updated, a renamed one shows its new name.
    let mut again = street.body.clone();
    again["features"][0]["properties"]["name"] = json!("江滨社区一号网格");
    let r = app
        .post_json("/api/v1/grids/import", Some(&admin), &again)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["created"], json!([]));
    assert_eq!(r.body["updated"], json!([WEST, EAST, SCHOOL]));
    let r = app
        .get(&format!("/api/v1/grids/{WEST}"), Some(&intake))
        .await;
    assert_eq!(r.body["grid"]["name"], "江滨社区一号网格");
    // Unchanged polygons add no history version.
    let r = app
        .get(
            &format!("/api/v1/grids/{WEST}/geometry/history"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.body.as_array().unwrap().len(), 1, "{}", r.body);
}

async fn a_bad_import_writes_nothing_and_names_each_feature(app: TestApp) {
    draw_communities(&app).await;
    let admin = app.login("admin", PASSWORD).await;
    let bow_tie = json!({"type": "Polygon", "coordinates": [[
        [120.001, 30.001], [120.003, 30.003], [120.003, 30.001], [120.001, 30.003], [120.001, 30.001]
    ]]});
    let open_ring = json!({"type": "Polygon", "coordinates": [[
        [120.001, 30.001], [120.003, 30.001], [120.003, 30.003], [120.001, 30.003]
    ]]});
    let body = collection(vec![
        feature(
            WEST,
            "好网格",
            COMMUNITY_1,
            "territorial",
            polygon(vec![rect(120.0, 30.0, 120.005, 30.01)]),
        ),
        feature(EAST, "未闭合", COMMUNITY_1, "territorial", open_ring),
        // Pokes 0.001° out of its community to the north.
        feature(
            "339902001001003",
            "出界",
            COMMUNITY_1,
            "territorial",
            polygon(vec![rect(120.005, 30.005, 120.006, 30.011)]),
        ),
        feature(
            "339902001099001",
            "无上级",
            "339902001099",
            "territorial",
            polygon(vec![rect(120.0, 30.0, 120.001, 30.001)]),
        ),
        feature(
            "339902001001004",
            "自相交",
            COMMUNITY_1,
            "territorial",
            bow_tie,
        ),
        feature(
            "339902001001005",
            "点",
            COMMUNITY_1,
            "territorial",
            json!({"type": "Point", "coordinates": [120.0, 30.0]}),
        ),
        feature(
            "339902001001006",
            "类型错",
            COMMUNITY_1,
            "mall",
            polygon(vec![rect(120.0, 30.0, 120.001, 30.001)]),
        ),
    ]);
    let r = app
        .post_json("/api/v1/grids/import", Some(&admin), &body)
        .await;
    r.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let details: Vec<(String, String)> = r.body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["field"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("features[1].geometry", "ring_not_closed"),
        ("features[4].geometry", "self_intersection"),
        ("features[5].geometry", "unsupported_geometry_type"),
        ("features[6].properties.grid_kind", "bad_grid_kind"),
    ];
    // Shape problems are found before the database is asked; parent problems after.
    assert_eq!(
        details,
        expected
            .iter()
            .map(|(f, c)| (f.to_string(), c.to_string()))
            .collect::<Vec<_>>(),
        "{}",
        r.body
    );
    assert_eq!(r.field(), "features[1].geometry");
    let bow = collection(vec![body["features"][4].clone()]);
    let r = app
        .post_json("/api/v1/grids/import", Some(&admin), &bow)
        .await;
    assert_eq!(r.field(), "features[0].geometry");
    assert_eq!(r.body["error"]["details"][0]["code"], "self_intersection");
    let message = r.body["error"]["details"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("339902001001004") && message.contains("自相交"),
        "{message}"
    );

    // With the shapes fixed, the parent checks speak: outside its community, unknown parent.
    let body = collection(vec![
        body["features"][0].clone(),
        body["features"][2].clone(),
        body["features"][3].clone(),
    ]);
    let r = app
        .post_json("/api/v1/grids/import", Some(&admin), &body)
        .await;
    r.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let details = r.body["error"]["details"].as_array().unwrap();
    assert_eq!(details.len(), 2, "{}", r.body);
    assert_eq!(details[0]["field"], "features[1].geometry");
    assert_eq!(details[0]["code"], "outside_parent");
    assert!(
        details[0]["message"]
            .as_str()
            .unwrap()
            .contains(COMMUNITY_1)
    );
    assert_eq!(details[1]["field"], "features[2].properties.parent_code");
    assert_eq!(details[1]["code"], "not_found");

    // Nothing was written, not even the good feature.
    let r = app
        .get(&format!("/api/v1/grids/{WEST}"), Some(&admin))
        .await;
    r.assert_error(StatusCode::NOT_FOUND, "not_found");
    let r = app.get("/api/v1/grids/export", Some(&admin)).await;
    assert_eq!(r.body["features"], json!([]));

    // The collection itself.
    let r = app
        .post_json(
            "/api/v1/grids/import",
            Some(&admin),
            &json!({"type": "Feature"}),
        )
        .await;
    assert_eq!(
        (r.status, r.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, "type")
    );
    let r = app
        .post_raw(
            "/api/v1/grids/import",
            Some(&admin),
            "application/json",
            b"{".to_vec(),
        )
        .await;
    r.assert_error(StatusCode::BAD_REQUEST, "malformed_json");
}

async fn geometry_edits_are_checked_kept_and_indexed(app: TestApp) {
    let admin = app.login("admin", PASSWORD).await;
    let s1_admin = app.login("s1_admin", PASSWORD).await;
    import_city(&app, &admin).await;
    assert_eq!(located(&app, &admin, 120.002, 30.005).await, [WEST]);

    // Shrink the west grid to its southern half: the point now falls outside it.
    let south = polygon(vec![rect(120.0, 30.0, 120.005, 30.004)]);
    let path = format!("/api/v1/grids/{WEST}/geometry");
    app.put_json(&path, Some(&s1_admin), &south)
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    let r = app.put_json(&path, Some(&admin), &south).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["version"], 2);
    assert_eq!(r.body["parent_checked"], true);
    assert_eq!(r.body["grid"]["geometry"], south);
    assert!(
        located(&app, &admin, 120.002, 30.005).await.is_empty(),
        "index rebuilt"
    );
    assert_eq!(located(&app, &admin, 120.002, 30.003).await, [WEST]);

    // Invalid, outside the community, or not a grid.
    let bow_tie = json!({"type": "Polygon", "coordinates": [[[120.0, 30.0], [120.002, 30.002], [120.002, 30.0], [120.0, 30.002], [120.0, 30.0]]]});
    let r = app.put_json(&path, Some(&admin), &bow_tie).await;
    r.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(r.field(), "geometry");
    assert_eq!(r.body["error"]["details"][0]["code"], "self_intersection");
    let out = polygon(vec![rect(119.999, 30.0, 120.005, 30.004)]);
    let r = app.put_json(&path, Some(&admin), &out).await;
    assert_eq!(
        r.body["error"]["details"][0]["code"], "outside_parent",
        "{}",
        r.body
    );
    let r = app
        .put_json(
            &format!("/api/v1/grids/{COMMUNITY_1}/geometry"),
            Some(&admin),
            &south,
        )
        .await;
    r.assert_error(StatusCode::NOT_FOUND, "not_found");
    let r = app
        .put_json(
            &path,
            Some(&admin),
            &json!({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}),
        )
        .await;
    assert_eq!(
        r.body["error"]["details"][0]["code"],
        "unsupported_geometry_type"
    );

    // The history keeps both polygons, newest last, with who changed it.
    let r = app
        .get(
            &format!("/api/v1/grids/{WEST}/geometry/history"),
            Some(&admin),
        )
        .await;
    let versions = r.body.as_array().unwrap();
    assert_eq!(versions.len(), 2, "{}", r.body);
    assert_eq!(versions[0]["source"], "import");
    assert_eq!(versions[1]["source"], "edit");
    assert_eq!(versions[1]["geometry"], south);
    assert_eq!(versions[1]["changed_by"], USER_ADMIN);

    // A polygon written outside the grid API (here: the regions API) is kept too: the next
    // grid edit records it before its own (import v1, regions API v2, this edit v3).
    let r = app
        .patch_json(
            &format!("/api/v1/regions/{LAKE}"),
            Some(&admin),
            &json!({ "geometry": polygon(vec![rect(120.01, 30.0, 120.02, 30.005)]) }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .put_json(
            &format!("/api/v1/grids/{LAKE}/geometry"),
            Some(&admin),
            &polygon(vec![rect(120.01, 30.0, 120.02, 30.01)]),
        )
        .await;
    assert_eq!(r.body["version"], 3, "{}", r.body);
    let r = app
        .get(
            &format!("/api/v1/grids/{LAKE}/geometry/history"),
            Some(&admin),
        )
        .await;
    let sources: Vec<&str> = r
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources, ["import", "unrecorded", "edit"]);

    // A community without a polygon cannot bound its grids: the report says so.
    let ctx = ctx();
    app.store()
        .create_region(
            &ctx,
            &Scope::Everything,
            &fengqiao_store::regions::NewRegion {
                code: "339902001002".into(),
                name: "无图社区".into(),
                level: fengqiao_domain::region::RegionLevel::Community,
                parent_code: Some(STREET_1.into()),
                grid_kind: None,
                population: None,
                geometry: None,
            },
        )
        .await
        .unwrap();
    let r = app
        .post_json(
            "/api/v1/grids/import",
            Some(&admin),
            &collection(vec![feature(
                "339902001002001",
                "无图社区第一网格",
                "339902001002",
                "territorial",
                polygon(vec![rect(121.0, 31.0, 121.01, 31.01)]),
            )]),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["parents_without_geometry"], json!(["339902001002"]));
    assert_eq!(
        located(&app, &admin, 121.005, 31.005).await,
        ["339902001002001"]
    );
}

async fn workers_and_summary(app: TestApp) {
    let admin = app.login("admin", PASSWORD).await;
    import_city(&app, &admin).await;
    app.store()
        .create_user(
            &ctx(),
            &Scope::Everything,
            &FieldCipher::new(&[7u8; 32]),
            GRID_WORKER,
            &NewUser {
                username: "gw_west".into(),
                display_name: "网格员小王".into(),
                org_id: ORG_S1.into(),
                roles: vec![Role::GridWorker],
                password_hash: hash_password(PASSWORD).unwrap(),
                phone: Some(MobileNumber::parse("13600000077").unwrap()),
                id_number: None,
            },
        )
        .await
        .unwrap();
    let s1_admin = app.login("s1_admin", PASSWORD).await;
    let intake = app.login("s1_intake", PASSWORD).await;
    let s2 = app.login("s2_intake", PASSWORD).await;
    let workers = format!("/api/v1/grids/{WEST}/workers");

    app.post_json(&workers, Some(&intake), &json!({ "user_id": GRID_WORKER }))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    let r = app
        .post_json(
            &workers,
            Some(&s1_admin),
            &json!({ "user_id": GRID_WORKER }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["username"], "gw_west");
    assert_eq!(r.body["org_name"], ORG_S1_NAME);
    assert_eq!(r.body["phone_masked"], "136****0077");
    let r = app
        .post_json(
            &workers,
            Some(&s1_admin),
            &json!({ "user_id": GRID_WORKER }),
        )
        .await;
    r.assert_error(StatusCode::CONFLICT, "conflict");
    assert_eq!(r.field(), "user_id");
    let r = app
        .post_json(
            &workers,
            Some(&s1_admin),
            &json!({ "user_id": USER_S1_INTAKE }),
        )
        .await;
    assert_eq!(
        (
            r.status,
            r.field(),
            r.body["error"]["details"][0]["code"].as_str()
        ),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "user_id",
            Some("not_grid_worker")
        )
    );
    let r = app
        .post_json(&workers, Some(&s1_admin), &json!({ "user_id": "nobody" }))
        .await;
    assert_eq!(r.body["error"]["details"][0]["code"], "not_found");
    let r = app.post_json(&workers, Some(&s1_admin), &json!({})).await;
    assert_eq!(
        (r.status, r.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, "user_id")
    );
    // A grid outside the caller's jurisdiction is not found.
    let r = app
        .post_json(
            &format!("/api/v1/grids/{LAKE}/workers"),
            Some(&s1_admin),
            &json!({ "user_id": GRID_WORKER }),
        )
        .await;
    r.assert_error(StatusCode::NOT_FOUND, "not_found");

    let r = app.get(&workers, Some(&intake)).await;
    assert_eq!(r.body.as_array().unwrap().len(), 1);
    assert_eq!(r.body[0]["user_id"], GRID_WORKER);

    // Events: two in the west grid (one open), one in the east grid that the school grid
    // over it also holds.
    app.store()
        .raw_execute(
            "INSERT INTO grid_event_categories (code, name_zh, group_zh, updated_at)
               VALUES ('grids-test', '测试', '测试', 0);
             INSERT INTO grid_events (id, number, category, title, description, source, status,
                 grid_code, grid_codes, region_path, created_at, updated_at)
             VALUES
               ('ge-1', 'T-1', 'grids-test', 't', 'd', 'grid_worker', 'reported',
                '339902001001001', '[\"339902001001001\"]', '/339900/', 1, 1),
               ('ge-2', 'T-2', 'grids-test', 't', 'd', 'grid_worker', 'closed',
                '339902001001001', '[\"339902001001001\"]', '/339900/', 1, 1),
               ('ge-3', 'T-3', 'grids-test', 't', 'd', 'grid_worker', 'dispatched',
                '339902001001002', '[\"339902001001002\",\"339902001001901\"]', '/339900/', 1, 1);",
        )
        .await
        .unwrap();
    let r = app
        .get(&format!("/api/v1/grids/{WEST}"), Some(&intake))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["grid"]["code"], WEST);
    assert_eq!(r.body["grid"]["geometry"]["type"], "Polygon");
    let parents: Vec<&str> = r.body["parents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(parents, [CITY, DISTRICT, STREET_1, COMMUNITY_1]);
    assert_eq!(r.body["parents"][2]["name"], "望江街道");
    assert_eq!(r.body["workers"][0]["username"], "gw_west");
    assert_eq!(
        r.body["events"],
        json!({ "total": 2, "open": 1, "by_status": { "closed": 1, "reported": 1 } })
    );
    let r = app
        .get(&format!("/api/v1/grids/{SCHOOL}"), Some(&intake))
        .await;
    assert_eq!(
        r.body["events"],
        json!({ "total": 1, "open": 1, "by_status": { "dispatched": 1 } })
    );
    // Scope and level.
    app.get(&format!("/api/v1/grids/{WEST}"), Some(&s2))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    app.get(&format!("/api/v1/grids/{COMMUNITY_1}"), Some(&admin))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    let one = format!("/api/v1/grids/{WEST}/workers/{GRID_WORKER}");
    assert_eq!(
        app.delete(&one, Some(&s1_admin)).await.status,
        StatusCode::NO_CONTENT
    );
    app.delete(&one, Some(&s1_admin))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    let r = app.get(&workers, Some(&intake)).await;
    assert_eq!(r.body, json!([]));
}
