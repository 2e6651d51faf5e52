//! The base-data registry (一库), visits (走访) and the grid index (网格指数) through the real
//! router on both backends: identifiers validated, encrypted, masked and revealed with a reason;
//! history and audit of every change; xlsx import keeping bad rows out; campaign summaries; the
//! monthly ranking from seeded activity, with manual items.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

#[allow(dead_code)] // shared with the API tests, which use all of it
mod support;

use axum::http::StatusCode;
use fengqiao_domain::grid_index::{GridActivity, default_formula, score};
use fengqiao_domain::identifiers::MobileNumber;
use fengqiao_domain::region::{GridKind, RegionLevel};
use fengqiao_domain::role::Role;
use fengqiao_domain::time::Timestamp;
use fengqiao_http::routes::auth::hash_password;
use fengqiao_store::regions::NewRegion;
use fengqiao_store::users::NewUser;
use fengqiao_store::{AuditCtx, FieldCipher, Scope};
use serde_json::{Value, json};
use support::*;

api_tests!(
    records_are_checked_sealed_scoped_and_kept_in_history,
    xlsx_import_keeps_bad_rows_out_and_writes_the_good_ones,
    visits_and_campaign_summaries,
    grid_index_ranks_grids_from_recorded_activity,
);

const GRID_A: &str = "339902001001001";
const GRID_B: &str = "339902001001002";
const GRID_S2: &str = "339902002001001";
const GRID_A_PATH: &str = "/339900/339902/339902001/339902001001/339902001001001/";

/// Resident IDs with valid check characters (GB 11643 examples and computed ones).
const ID_1: &str = "11010519491231002X";
const ID_2: &str = "330102199003070019";
const CREDIT: &str = "91350100M000100Y43";

async fn seed(app: &TestApp) {
    let s = app.store();
    let ctx = AuditCtx::system(Timestamp::parse_rfc3339(START).unwrap());
    for (code, name, parent) in [
        (GRID_A, "江滨一网格", COMMUNITY_1),
        (GRID_B, "江滨二网格", COMMUNITY_1),
        (GRID_S2, "湖畔一网格", COMMUNITY_2),
    ] {
        s.create_region(
            &ctx,
            &Scope::Everything,
            &NewRegion {
                code: code.into(),
                name: name.into(),
                level: RegionLevel::Grid,
                parent_code: Some(parent.into()),
                grid_kind: Some(GridKind::Territorial),
                population: Some(1200),
                geometry: None,
            },
        )
        .await
        .unwrap();
    }
    for (id, username, org, phone) in [
        ("user-s1-grid", "s1_grid", ORG_S1, "13600000001"),
        ("user-s2-grid", "s2_grid", ORG_S2, "13600000002"),
    ] {
        s.create_user(
            &ctx,
            &Scope::Everything,
            &FieldCipher::new(&[7u8; 32]),
            id,
            &NewUser {
                username: username.into(),
                display_name: format!("网格员{username}"),
                org_id: org.into(),
                roles: vec![Role::GridWorker],
                password_hash: hash_password(PASSWORD).unwrap(),
                phone: Some(MobileNumber::parse(phone).unwrap()),
                id_number: None,
            },
        )
        .await
        .unwrap();
    }
}

/// Percent-encodes a query string's non-ASCII characters (URIs are ASCII).
fn enc(query: &str) -> String {
    let mut out = String::new();
    for b in query.bytes() {
        if b.is_ascii() && b != b' ' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

async fn create(app: &TestApp, token: &str, body: Value) -> Value {
    let r = app.post_json("/api/v1/base-data", Some(token), &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{body} → {}", r.body);
    r.body
}

fn person(grid: &str, name: &str, id: &str, phone: &str) -> Value {
    json!({
        "kind": "person", "grid_code": grid, "name": name, "category": "registered",
        "id_number": id, "phone": phone, "address": "江滨路 3 幢 2 单元 301",
        "tags": ["独居老人"],
    })
}

fn housing(grid: &str, name: &str) -> Value {
    json!({
        "kind": "housing", "grid_code": grid, "name": name, "address": "江滨路 3 号",
        "category": "residential", "tenure": "rented", "owner_name": "陈美玲", "area_m2": 89.5,
    })
}

async fn records_are_checked_sealed_scoped_and_kept_in_history(app: TestApp) {
    seed(&app).await;
    let worker = app.login("s1_grid", PASSWORD).await;
    let s2 = app.login("s2_grid", PASSWORD).await;
    let intake = app.login("s1_intake", PASSWORD).await;
    let admin = app.login("admin", PASSWORD).await;

    // Kinds and their coded values for forms.
    let kinds = app.get("/api/v1/base-data/kinds", Some(&worker)).await;
    assert_eq!(kinds.status, 200);
    assert_eq!(kinds.body["kinds"].as_array().unwrap().len(), 5);

    // Validation names the field; nothing is written.
    let mut bad = person(GRID_A, "王建国", "110105194912310021", "13800138000");
    let r = app
        .post_json("/api/v1/base-data", Some(&worker), &bad)
        .await;
    r.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(r.field(), "id_number");
    bad["id_number"] = json!(ID_1);
    bad["credit_code"] = json!(CREDIT);
    let r = app
        .post_json("/api/v1/base-data", Some(&worker), &bad)
        .await;
    assert_eq!(r.field(), "credit_code");
    assert_eq!(r.body["error"]["details"][0]["code"], "not_applicable");
    let r = app
        .post_json(
            "/api/v1/base-data",
            Some(&worker),
            &person(COMMUNITY_1, "王建国", ID_1, "13800138000"),
        )
        .await;
    assert_eq!((r.status.as_u16(), r.field()), (422, "grid_code"));
    assert_eq!(r.body["error"]["details"][0]["code"], "not_a_grid");
    let r = app
        .post_json(
            "/api/v1/base-data",
            Some(&worker),
            &person(GRID_S2, "王建国", ID_1, "13800138000"),
        )
        .await;
    assert_eq!(
        r.body["error"]["details"][0]["code"], "not_found",
        "out of scope"
    );
    let r = app
        .post_json(
            "/api/v1/base-data",
            Some(&worker),
            &json!({ "kind": "enterprise", "grid_code": GRID_A, "name": "某公司", "credit_code": "91350100M000100Y44" }),
        )
        .await;
    assert_eq!(r.field(), "credit_code");
    let r = app
        .post_json(
            "/api/v1/base-data",
            Some(&worker),
            &json!({ "grid_code": GRID_A, "name": "x" }),
        )
        .await;
    assert_eq!(r.field(), "kind");
    let r = app
        .post_json(
            "/api/v1/base-data",
            Some(&intake),
            &person(GRID_A, "王建国", ID_1, "13800138000"),
        )
        .await;
    r.assert_error(StatusCode::FORBIDDEN, "forbidden");

    // A person: identifiers sealed and masked.
    let house = create(&app, &worker, housing(GRID_A, "3幢2单元301")).await;
    let mut p = person(GRID_A, "王建国", ID_1, "138 0013 8000");
    p["housing_id"] = house["id"].clone();
    let created = create(&app, &worker, p).await;
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["id_number_masked"], "110105********002X");
    assert_eq!(created["phone_masked"], "138****8000");
    assert_eq!(created["complete"], true);
    assert_eq!(created["version"], 1);
    assert_eq!(created["region_path"], GRID_A_PATH);
    assert!(!created.to_string().contains(ID_1) && !created.to_string().contains("13800138000"));
    let r = app
        .post_json(
            "/api/v1/base-data",
            Some(&worker),
            &person(GRID_B, "王建国", ID_1, "13900000000"),
        )
        .await;
    r.assert_error(StatusCode::CONFLICT, "conflict");
    assert_eq!(r.field(), "id_number");
    let ent = create(
        &app,
        &worker,
        json!({ "kind": "enterprise", "grid_code": GRID_B, "name": "临江市某建筑劳务有限公司",
                "credit_code": CREDIT, "legal_representative": "林国庆", "employees": 35 }),
    )
    .await;
    assert_eq!(ent["credit_code_masked"], "91350100******0Y43");
    assert!(
        ent.get("credit_code").is_none(),
        "lists and writes show the mask"
    );
    let one = app
        .get(
            &format!("/api/v1/base-data/{}", ent["id"].as_str().unwrap()),
            Some(&worker),
        )
        .await;
    assert_eq!(
        one.body["credit_code"], CREDIT,
        "the record itself shows the code"
    );
    create(
        &app,
        &worker,
        json!({ "kind": "component", "grid_code": GRID_A, "name": "江滨路 12 号井盖",
                "category": "井盖", "component_code": "JG-0012", "lat": 30.2462, "lng": 120.1712 }),
    )
    .await;

    // Search: exact identifiers through the blind index, text, tags, kind, region; scoped.
    let list = |q: &str| format!("/api/v1/base-data?{}", enc(q));
    let r = app
        .get(&list(&format!("id_number={ID_1}")), Some(&worker))
        .await;
    assert_eq!(r.body["total"], 1, "{}", r.body);
    assert_eq!(r.body["items"][0]["id"], id.as_str());
    let r = app.get(&list("phone=13800138000"), Some(&worker)).await;
    assert_eq!(r.body["total"], 1);
    let r = app.get(&list("id_number=123"), Some(&worker)).await;
    assert_eq!(r.field(), "id_number");
    let r = app
        .get(&list(&format!("credit_code={CREDIT}")), Some(&worker))
        .await;
    assert_eq!(r.body["total"], 1);
    let r = app.get(&list("q=江滨路&kind=person"), Some(&worker)).await;
    assert_eq!(r.body["total"], 1);
    let r = app.get(&list("tag=独居老人"), Some(&worker)).await;
    assert_eq!(r.body["total"], 1);
    let r = app.get(&list("tag=独居"), Some(&worker)).await;
    assert_eq!(r.body["total"], 0, "tags match whole");
    let r = app
        .get(&list(&format!("grid={GRID_A}")), Some(&worker))
        .await;
    assert_eq!(r.body["total"], 3);
    let r = app
        .get(
            &list(&format!("region={COMMUNITY_1}&per_page=2")),
            Some(&worker),
        )
        .await;
    assert_eq!(
        (
            r.body["total"].as_i64(),
            r.body["items"].as_array().unwrap().len()
        ),
        (Some(4), 2)
    );
    let r = app
        .get(
            &list(&format!("housing_id={}", house["id"].as_str().unwrap())),
            Some(&worker),
        )
        .await;
    assert_eq!(r.body["total"], 1);
    let r = app.get(&list(""), Some(&s2)).await;
    assert_eq!(
        r.body["total"], 0,
        "street 2 sees none of street 1's records"
    );
    app.get(&format!("/api/v1/base-data/{id}"), Some(&s2))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    let r = app
        .get(&list(&format!("region={COMMUNITY_1}")), Some(&s2))
        .await;
    assert_eq!(r.status, 404);

    // Reveal: a reason, a role that needs it, and an audit entry.
    let url = format!("/api/v1/base-data/{id}/reveal");
    let r = app
        .post_json(
            &url,
            Some(&worker),
            &json!({ "field": "id_number", "reason": "" }),
        )
        .await;
    assert_eq!(r.field(), "reason");
    app.post_json(
        &url,
        Some(&intake),
        &json!({ "field": "id_number", "reason": "核实身份" }),
    )
    .await
    .assert_error(StatusCode::FORBIDDEN, "forbidden");
    app.post_json(
        &url,
        Some(&s2),
        &json!({ "field": "id_number", "reason": "核实身份" }),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "not_found");
    let r = app
        .post_json(
            &url,
            Some(&worker),
            &json!({ "field": "id_number", "reason": "入户核实身份" }),
        )
        .await;
    assert_eq!(r.body["value"], ID_1, "{}", r.body);
    let r = app
        .post_json(
            &url,
            Some(&worker),
            &json!({ "field": "phone", "reason": "联系本人" }),
        )
        .await;
    assert_eq!(r.body["value"], "13800138000");

    // Update: whole record re-checked; stale versions refused; history keeps before and after.
    let path = format!("/api/v1/base-data/{id}");
    let r = app
        .patch_json(
            &path,
            Some(&worker),
            &json!({ "version": 7, "name": "王建军" }),
        )
        .await;
    r.assert_error(StatusCode::CONFLICT, "conflict");
    assert_eq!(r.field(), "version");
    let r = app
        .patch_json(&path, Some(&worker), &json!({ "phone": "12345" }))
        .await;
    assert_eq!(r.field(), "phone");
    let r = app
        .patch_json(
            &path,
            Some(&worker),
            &json!({ "version": 1, "phone": "13912345678", "tags": ["独居老人", "低保户"], "clear": ["housing_id"] }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["version"], 2);
    assert_eq!(r.body["phone_masked"], "139****5678");
    assert_eq!(
        r.body["id_number_masked"], "110105********002X",
        "untouched"
    );
    assert!(r.body["housing_id"].is_null());
    assert_eq!(
        r.body["complete"], true,
        "the address still places the person"
    );
    let r = app
        .post_json(
            &url,
            Some(&worker),
            &json!({ "field": "id_number", "reason": "再次核实" }),
        )
        .await;
    assert_eq!(
        r.body["value"], ID_1,
        "the ID number survives an update of other fields"
    );
    let r = app
        .patch_json(&path, Some(&worker), &json!({ "clear": ["nonsense"] }))
        .await;
    assert_eq!(r.field(), "clear.0");
    let r = app
        .patch_json(&path, Some(&worker), &json!({ "grid_code": GRID_S2 }))
        .await;
    assert_eq!(
        r.field(),
        "grid_code",
        "cannot move a record out of one's scope"
    );
    let r = app
        .delete(&format!("{path}?{}", enc("reason=迁出本市")), Some(&worker))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body["deleted_at"].is_string());
    let r = app
        .get(&list(&format!("id_number={ID_1}")), Some(&worker))
        .await;
    assert_eq!(r.body["total"], 0, "deleted records leave the lists");
    let r = app.get(&path, Some(&worker)).await;
    assert!(r.body["deleted_at"].is_string(), "but can still be read");
    app.patch_json(&path, Some(&worker), &json!({ "name": "x" }))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    let h = app.get(&format!("{path}/history"), Some(&worker)).await;
    let h = h.body.as_array().unwrap().clone();
    let actions: Vec<&str> = h.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, vec!["create", "update", "delete"]);
    assert!(h[0]["before_json"].is_null());
    let before: Value = serde_json::from_str(h[1]["before_json"].as_str().unwrap()).unwrap();
    let after: Value = serde_json::from_str(h[1]["after_json"].as_str().unwrap()).unwrap();
    assert_eq!(before["phone_masked"], "138****8000");
    assert_eq!(after["phone_masked"], "139****5678");
    assert_eq!(h[2]["reason"], "迁出本市");
    assert_eq!(h[2]["actor_user_id"], "user-s1-grid");
    for e in &h {
        let text = e.to_string();
        assert!(
            !text.contains(ID_1) && !text.contains("13912345678"),
            "history is masked"
        );
    }
    // The same person may be registered again once the old record is gone.
    create(&app, &worker, person(GRID_B, "王建国", ID_1, "13800138000")).await;

    // The audit chain has every write and the reveals, without plaintext.
    let audit = app
        .get(&format!("/api/v1/audit/base_record/{id}"), Some(&admin))
        .await;
    assert_eq!(audit.status, 200, "{}", audit.body);
    let entries = audit.body["items"].as_array().unwrap();
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in [
        "base_record.create",
        "base_record.update",
        "base_record.delete",
        "base_record.reveal",
    ] {
        assert!(actions.contains(&a), "{a} missing in {actions:?}");
    }
    assert!(!audit.body.to_string().contains(ID_1));
    let verify = app.get("/api/v1/audit/verify", Some(&admin)).await;
    assert!(verify.body["broken_at"].is_null(), "{}", verify.body);

    // Counts per kind for the grid map.
    let c = app
        .get(
            &format!("/api/v1/grids/{GRID_A}/base-data/counts"),
            Some(&worker),
        )
        .await;
    assert_eq!(c.status, 200, "{}", c.body);
    let count = |kind: &str| {
        c.body["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["kind"] == kind)
            .unwrap()["count"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(
        (
            count("person"),
            count("housing"),
            count("component"),
            count("enterprise")
        ),
        (0, 1, 1, 0)
    );
    assert_eq!(c.body["total"], 2);
    app.get(
        &format!("/api/v1/grids/{GRID_A}/base-data/counts"),
        Some(&s2),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "not_found");
    app.get(
        &format!("/api/v1/grids/{COMMUNITY_1}/base-data/counts"),
        Some(&worker),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "not_found");
}

fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn xlsx_import_keeps_bad_rows_out_and_writes_the_good_ones(app: TestApp) {
    seed(&app).await;
    let worker = app.login("s1_grid", PASSWORD).await;
    // One person already in the registry.
    create(&app, &worker, person(GRID_A, "李秀英", ID_2, "13700001111")).await;

    // The template: header, example row, notes; its example row imports cleanly after the grid
    // code is set.
    let t = app
        .get(
            "/api/v1/base-data/import/person/template.xlsx",
            Some(&worker),
        )
        .await;
    assert_eq!(t.status, 200);
    assert_eq!(t.header("content-type"), XLSX);
    {
        use calamine::Reader;
        let mut book =
            calamine::open_workbook_auto_from_rs(std::io::Cursor::new(t.raw.clone())).unwrap();
        let names = book.sheet_names();
        assert_eq!(names, vec!["人口".to_owned(), "填写说明".to_owned()]);
        let range = book.worksheet_range_at(0).unwrap().unwrap();
        let header: Vec<String> = range
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(
            &header[..4],
            &["网格代码", "姓名", "身份证号码", "手机号码"]
        );
    }
    for kind in ["housing", "enterprise", "organisation", "component"] {
        let t = app
            .get(
                &format!("/api/v1/base-data/import/{kind}/template.xlsx"),
                Some(&worker),
            )
            .await;
        assert_eq!(t.status, 200, "{kind}");
    }
    app.get(
        "/api/v1/base-data/import/house/template.xlsx",
        Some(&worker),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "not_found");

    let file = xlsx(&[
        &[
            "网格代码",
            "姓名",
            "身份证号码",
            "手机号码",
            "人口类别",
            "居住地址",
            "标签",
        ],
        &[
            GRID_A,
            "王建国",
            ID_1,
            "13800138000",
            "户籍人口",
            "江滨路 1 号",
            "独居老人、低保户",
        ], // 2 ok
        &[
            GRID_A,
            "赵德明",
            "110105194912310021",
            "13800138001",
            "户籍人口",
            "",
            "",
        ], // 3 bad check
        &[GRID_S2, "钱多多", "", "13800138002", "流动人口", "", ""], // 4 grid out of scope
        &[GRID_A, "孙二娘", ID_1, "", "户籍人口", "", ""],           // 5 duplicate of line 2
        &["", "", "", "", "", "", ""],                               // blank: skipped
        &[GRID_B, "周小平", "", "138-0013-8003", "流动人口", "", ""], // 7 ok
        &[GRID_A, "吴用", ID_2, "", "境外人员", "", ""],             // 8 already registered
        &[GRID_A, "", "", "12", "火星人", "", ""],                   // 9 several problems
    ]);
    let r = app
        .post_raw("/api/v1/base-data/import/person", Some(&worker), XLSX, file)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["total"], 7);
    assert_eq!(r.body["written"], 2);
    assert_eq!(r.body["refused"], 5);
    let lines: Vec<i64> = r.body["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["line"].as_i64().unwrap())
        .collect();
    assert_eq!(lines, vec![2, 7]);
    let errors = r.body["errors"].as_array().unwrap();
    let find = |line: i64, field: &str| {
        errors
            .iter()
            .find(|e| e["line"] == line && e["field"] == field)
            .unwrap_or_else(|| panic!("no error for line {line} {field}: {errors:?}"))
            .clone()
    };
    let e = find(3, "id_number");
    assert_eq!(
        (e["column"].as_str(), e["column_letter"].as_str()),
        (Some("身份证号码"), Some("C"))
    );
    assert_eq!(e["code"], "bad_id_number");
    assert_eq!(find(4, "grid_code")["code"], "not_found");
    assert_eq!(find(5, "id_number")["code"], "duplicate_in_file");
    assert_eq!(find(8, "id_number")["code"], "duplicate");
    assert_eq!(find(9, "name")["code"], "required");
    assert_eq!(find(9, "phone")["column"], "手机号码");
    assert_eq!(find(9, "category")["code"], "bad_value");
    assert!(
        !r.body.to_string().contains("110105194912310021"),
        "reasons never echo numbers"
    );

    // The good rows are in, with tags and an import history entry; the bad ones are not.
    let list = app
        .get("/api/v1/base-data?kind=person", Some(&worker))
        .await;
    assert_eq!(list.body["total"], 3, "{}", list.body);
    let wang = app
        .get(
            &format!("/api/v1/base-data?id_number={ID_1}"),
            Some(&worker),
        )
        .await;
    assert_eq!(wang.body["items"][0]["tags"], json!(["独居老人", "低保户"]));
    assert_eq!(wang.body["items"][0]["category"], "registered");
    let wid = wang.body["items"][0]["id"].as_str().unwrap();
    let h = app
        .get(&format!("/api/v1/base-data/{wid}/history"), Some(&worker))
        .await;
    assert_eq!(h.body[0]["action"], "import");

    // Numbers that are not numbers are row errors too; the file's other rows still go in.
    let file = xlsx(&[
        &[
            "网格代码",
            "房屋名称",
            "地址",
            "房屋用途",
            "使用情况",
            "面积（平方米）",
        ],
        &[GRID_A, "1幢101", "江滨路 1 号", "住宅", "自住", "九十"],
        &[GRID_A, "1幢102", "江滨路 1 号", "住宅", "空置", "76.3"],
    ]);
    let r = app
        .post_raw(
            "/api/v1/base-data/import/housing",
            Some(&worker),
            XLSX,
            file,
        )
        .await;
    assert_eq!(
        (r.body["written"].as_i64(), r.body["refused"].as_i64()),
        (Some(1), Some(1)),
        "{}",
        r.body
    );
    assert_eq!(r.body["errors"][0]["column"], "面积（平方米）");
    assert_eq!(r.body["errors"][0]["column_letter"], "F");

    // Header problems refuse the whole file; so do files that are not xlsx.
    let file = xlsx(&[
        &["网格代码", "姓名", "统一社会信用代码"],
        &[GRID_A, "x", CREDIT],
    ]);
    let r = app
        .post_raw("/api/v1/base-data/import/person", Some(&worker), XLSX, file)
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.body["error"]["details"][0]["code"], "unknown_column");
    let file = xlsx(&[&["姓名"], &["x"]]);
    let r = app
        .post_raw("/api/v1/base-data/import/person", Some(&worker), XLSX, file)
        .await;
    let codes: Vec<&str> = r.body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"missing_column"), "{codes:?}");
    let r = app
        .post_raw(
            "/api/v1/base-data/import/person",
            Some(&worker),
            "text/csv",
            b"a,b".to_vec(),
        )
        .await;
    assert_eq!(r.field(), "file");
    let intake = app.login("s1_intake", PASSWORD).await;
    app.post_raw(
        "/api/v1/base-data/import/person",
        Some(&intake),
        XLSX,
        xlsx(&[&["姓名"]]),
    )
    .await
    .assert_error(StatusCode::FORBIDDEN, "forbidden");
}

/// Inserts grid events directly: the grid-event engine is another module's; these rows are the
/// activity the index and the visit summaries read.
async fn seed_events(app: &TestApp) {
    app.store()
        .raw_execute(
            "INSERT INTO grid_event_categories (code, name_zh, group_zh, updated_at) \
             VALUES ('bd_test', '测试类别', '测试', 0);
             INSERT INTO grid_events (id, number, category, title, description, source, status, \
                grid_code, region_path, urgent, created_at, updated_at, closed_at, evaluation_score, \
                department_org_id) VALUES
             ('ev-closed', 'E1', 'bd_test', '路灯不亮', '路灯不亮', 'grid_worker', 'closed', \
                '339902001001001', '/339900/339902/339902001/339902001001/339902001001001/', TRUE, \
                1772416800000000, 1772427600000000, 1772427600000000, 5, 'org-s1-centre'),
             ('ev-open', 'E2', 'bd_test', '楼道堆物', '楼道堆物', 'grid_worker', 'handling', \
                '339902001001001', '/339900/339902/339902001/339902001001/339902001001001/', FALSE, \
                1772416800000000, 1772427600000000, NULL, NULL, 'org-s1-centre'),
             ('ev-spot', 'E3', 'bd_test', '邻里噪音', '邻里噪音', 'grid_worker', 'solved_on_spot', \
                '339902001001001', '/339900/339902/339902001/339902001001/339902001001001/', FALSE, \
                1772503200000000, 1772503200000000, 1772503200000000, 3, NULL),
             ('ev-rejected', 'E4', 'bd_test', '重复上报', '重复上报', 'grid_worker', 'rejected', \
                '339902001001001', '/339900/339902/339902001/339902001001/339902001001001/', FALSE, \
                1772503200000000, 1772503200000000, NULL, NULL, NULL),
             ('ev-citizen', 'E5', 'bd_test', '井盖缺失', '井盖缺失', 'citizen', 'reported', \
                '339902001001001', '/339900/339902/339902001/339902001001/339902001001001/', TRUE, \
                1772676000000000, 1772676000000000, NULL, NULL, NULL),
             ('ev-feb', 'E6', 'bd_test', '二月事件', '二月事件', 'grid_worker', 'closed', \
                '339902001001002', '/339900/339902/339902001/339902001001/339902001001002/', FALSE, \
                1770688800000000, 1770688800000000, 1770688800000000, NULL, NULL),
             ('ev-s2', 'E7', 'bd_test', '街道二', '街道二', 'grid_worker', 'closed', \
                '339902002001001', '/339900/339902/339902002/339902002001/339902002001001/', FALSE, \
                1772416800000000, 1772416800000000, 1772416800000000, NULL, NULL);",
        )
        .await
        .unwrap();
}

async fn visit(app: &TestApp, token: &str, body: Value) -> Value {
    let r = app.post_json("/api/v1/visits", Some(token), &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{body} → {}", r.body);
    r.body
}

async fn visits_and_campaign_summaries(app: TestApp) {
    seed(&app).await;
    seed_events(&app).await;
    let worker = app.login("s1_grid", PASSWORD).await;
    let s1_admin = app.login("s1_admin", PASSWORD).await;
    let s2 = app.login("s2_grid", PASSWORD).await;
    let h1 = create(&app, &worker, housing(GRID_A, "3幢2单元301")).await;
    let h1 = h1["id"].as_str().unwrap();
    let p1 = create(&app, &worker, person(GRID_A, "王建国", ID_1, "13800138000")).await;
    let p1 = p1["id"].as_str().unwrap();

    // A campaign over street 1 for March; only administrators start one.
    let body = json!({ "name": "三月入户走访", "region_code": STREET_1, "starts_on": "2026-03-01",
                       "ends_on": "2026-03-31", "description": "大走访大排查" });
    app.post_json("/api/v1/visit-campaigns", Some(&worker), &body)
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    let mut backwards = body.clone();
    backwards["ends_on"] = json!("2026-02-01");
    let r = app
        .post_json("/api/v1/visit-campaigns", Some(&s1_admin), &backwards)
        .await;
    assert_eq!(r.field(), "ends_on");
    let c = app
        .post_json("/api/v1/visit-campaigns", Some(&s1_admin), &body)
        .await;
    assert_eq!(c.status, 201, "{}", c.body);
    let cid = c.body["id"].as_str().unwrap().to_owned();
    // The grid worker sees the street's campaign (it covers their grids).
    let list = app
        .get(
            "/api/v1/visit-campaigns?active_on=2026-03-02",
            Some(&worker),
        )
        .await;
    assert_eq!(list.body["total"], 1, "{}", list.body);
    let none = app
        .get(
            "/api/v1/visit-campaigns?active_on=2026-04-02",
            Some(&worker),
        )
        .await;
    assert_eq!(none.body["total"], 0);
    assert_eq!(
        app.get("/api/v1/visit-campaigns", Some(&s2)).await.body["total"],
        0
    );

    let v1 = visit(
        &app,
        &worker,
        json!({ "grid_code": GRID_A, "campaign_id": cid, "housing_id": h1, "person_ids": [p1],
                "people_seen": 2, "notes": "独居老人身体尚好",
                "issues": [
                    { "description": "楼道灯坏了", "solved_on_spot": true },
                    { "description": "路灯不亮", "grid_event_id": "ev-closed" }
                ] }),
    )
    .await;
    assert_eq!(v1["worker_user_id"], "user-s1-grid");
    assert_eq!(
        v1["household"], "江滨路 3 号 3幢2单元301",
        "taken from the housing record"
    );
    assert_eq!(v1["issues"][1]["grid_event_status"], "closed");
    assert_eq!(v1["issues"][1]["solved"], true);
    let v2 = visit(
        &app,
        &worker,
        json!({ "grid_code": GRID_A, "campaign_id": cid, "housing_id": h1,
                "visited_at": "2026-03-02T01:00:00Z",
                "issues": [{ "description": "楼道堆物", "grid_event_id": "ev-open" }] }),
    )
    .await;
    assert_eq!(v2["people_seen"], 0);
    assert_eq!(v2["issues"][0]["solved"], false);
    visit(
        &app,
        &worker,
        json!({ "grid_code": GRID_B, "campaign_id": cid, "household": "江滨路 9 号 外来租户",
                "people_seen": 3 }),
    )
    .await;
    // Outside the campaign, out of scope, unknown records: refused with the field named.
    let r = app
        .post_json(
            "/api/v1/visits",
            Some(&worker),
            &json!({ "grid_code": GRID_A, "campaign_id": cid, "household": "x",
                     "visited_at": "2026-02-20T02:00:00Z" }),
        )
        .await;
    assert_eq!(
        (r.field(), r.body["error"]["details"][0]["code"].as_str()),
        ("visited_at", Some("outside_campaign"))
    );
    let r = app
        .post_json(
            "/api/v1/visits",
            Some(&worker),
            &json!({ "grid_code": GRID_S2, "household": "x" }),
        )
        .await;
    assert_eq!(r.field(), "grid_code");
    let r = app
        .post_json(
            "/api/v1/visits",
            Some(&worker),
            &json!({ "grid_code": GRID_A, "household": "x", "person_ids": [h1],
                     "issues": [{ "description": "x", "grid_event_id": "ev-s2" }] }),
        )
        .await;
    let fields: Vec<&str> = r.body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        vec!["person_ids.0", "issues.0.grid_event_id"],
        "{}",
        r.body
    );
    let r = app
        .post_json(
            "/api/v1/visits",
            Some(&worker),
            &json!({ "grid_code": GRID_A }),
        )
        .await;
    assert_eq!(r.field(), "household");
    let r = app
        .post_json(
            "/api/v1/visits",
            Some(&worker),
            &json!({ "grid_code": GRID_A, "household": "x", "visited_at": "2026-03-09T02:00:00Z" }),
        )
        .await;
    assert_eq!(r.field(), "visited_at", "not in the future");

    // The summary: 3 visits, 2 households, 5 people, 3 issues of which 2 solved.
    let url = format!("/api/v1/visit-campaigns/{cid}/summary");
    let s = app.get(&url, Some(&s1_admin)).await;
    assert_eq!(s.status, 200, "{}", s.body);
    assert_eq!(
        (
            s.body["visits"].as_i64(),
            s.body["households"].as_i64(),
            s.body["people"].as_i64(),
            s.body["issues"].as_i64(),
            s.body["issues_solved"].as_i64()
        ),
        (Some(3), Some(2), Some(5), Some(3), Some(2))
    );
    assert_eq!(s.body["solved_share"], 0.6667);
    assert_eq!(s.body["by_grid"].as_array().unwrap().len(), 2);
    // The open issue is solved on the spot after all.
    let v2_id = v2["id"].as_str().unwrap();
    let r = app
        .patch_json(
            &format!("/api/v1/visits/{v2_id}/issues/1"),
            Some(&worker),
            &json!({ "solved_on_spot": true }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["issues"][0]["solved"], true);
    let r = app
        .patch_json(
            &format!("/api/v1/visits/{v2_id}/issues/9"),
            Some(&worker),
            &json!({ "solved_on_spot": true }),
        )
        .await;
    assert_eq!(r.status, 404);
    let r = app
        .patch_json(
            &format!("/api/v1/visits/{v2_id}/issues/1"),
            Some(&worker),
            &json!({ "grid_event_id": "ev-s2" }),
        )
        .await;
    assert_eq!(r.field(), "grid_event_id");
    let s = app.get(&url, Some(&worker)).await;
    assert_eq!(s.body["issues_solved"], 3);
    assert_eq!(s.body["solved_share"], 1.0);
    app.get(&url, Some(&s2))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    // Lists: by campaign, grid, day; scoped.
    let r = app
        .get(
            &format!("/api/v1/visits?campaign_id={cid}&grid={GRID_A}"),
            Some(&worker),
        )
        .await;
    assert_eq!(r.body["total"], 2);
    let r = app
        .get(
            "/api/v1/visits?from=2026-03-02&to=2026-03-02",
            Some(&worker),
        )
        .await;
    assert_eq!(r.body["total"], 3);
    let r = app
        .get("/api/v1/visits?from=2026-03-03", Some(&worker))
        .await;
    assert_eq!(r.body["total"], 0);
    assert_eq!(app.get("/api/v1/visits", Some(&s2)).await.body["total"], 0);
    let one = app
        .get(
            &format!("/api/v1/visits/{}", v1["id"].as_str().unwrap()),
            Some(&worker),
        )
        .await;
    assert_eq!(one.body["person_ids"], json!([p1]));
    app.get(
        &format!("/api/v1/visits/{}", v1["id"].as_str().unwrap()),
        Some(&s2),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "not_found");
}

fn entry<'a>(ranking: &'a Value, grid: &str) -> &'a Value {
    ranking["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["grid_code"] == grid)
        .unwrap_or_else(|| panic!("{grid} not ranked: {ranking}"))
}

async fn grid_index_ranks_grids_from_recorded_activity(app: TestApp) {
    seed(&app).await;
    seed_events(&app).await;
    let worker = app.login("s1_grid", PASSWORD).await;
    let intake = app.login("s1_intake", PASSWORD).await;
    let s1_admin = app.login("s1_admin", PASSWORD).await;
    let s2 = app.login("s2_grid", PASSWORD).await;

    // The formula as data.
    let f = app.get("/api/v1/grid-index/formula", Some(&worker)).await;
    assert_eq!(f.status, 200);
    let duties = f.body["duties"].as_array().unwrap();
    assert_eq!(duties.len(), 8);
    assert_eq!(
        duties
            .iter()
            .map(|d| d["weight"].as_f64().unwrap())
            .sum::<f64>(),
        100.0
    );
    assert_eq!(duties[0]["components"][0]["measure"]["type"], "count");

    // March activity in grid A: base data (2 housing, 1 complete person), visits, disputes.
    let h1 = create(&app, &worker, housing(GRID_A, "1幢101")).await;
    create(&app, &worker, housing(GRID_A, "1幢102")).await;
    create(&app, &worker, person(GRID_A, "王建国", ID_1, "13800138000")).await;
    visit(
        &app,
        &worker,
        json!({ "grid_code": GRID_A, "housing_id": h1["id"], "people_seen": 2,
                "issues": [{ "description": "路灯不亮", "grid_event_id": "ev-closed" },
                           { "description": "想办居住证" }] }),
    )
    .await;
    for title in ["网格员发现邻里漏水纠纷", "网格员发现物业纠纷"] {
        let body = json!({
            "title": title, "dispute_type": "neighbour", "facts": "事实经过。", "claims": "请求调解。",
            "amount_fen": 0, "region_code": GRID_A, "channel": "grid_worker",
            "parties": [
                { "role": "applicant", "kind": "person", "name": "周敏", "phone": "13905710001" },
                { "role": "respondent", "kind": "person", "name": "吴强" }
            ],
        });
        let r = app
            .post_json("/api/v1/disputes", Some(&intake), &body)
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    // One of them reached an agreement (the mediation steps are the dispute engine's tests).
    app.store()
        .raw_execute(
            "UPDATE disputes SET stage = 'agreement' WHERE title = '网格员发现邻里漏水纠纷'",
        )
        .await
        .unwrap();

    let r = app
        .get(
            &format!("/api/v1/grid-index?month=2026-03&under={STREET_1}"),
            Some(&s1_admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["month"], "2026-03");
    assert_eq!(r.body["previous_month"], "2026-02");
    let items = r.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "street 2's grid is not ranked");
    let a = entry(&r.body, GRID_A);
    assert_eq!(a["rank"], 1);
    let act: GridActivity = serde_json::from_value(a["activity"].clone()).unwrap();
    let expected = GridActivity {
        worker_reports: 4,
        base_changes: 3,
        solved_on_spot: 1,
        grid_disputes: 2,
        grid_disputes_resolved: 1,
        risk_reports: 1,
        worker_reports_rejected: 1,
        evaluation_points: 4 + 2,
        evaluation_max: 8,
        visit_issues: 2,
        visit_issues_solved: 1,
        dispatched_events: 2,
        dispatched_closed: 1,
        urgent_events: 2,
        urgent_fast: 1,
        records_total: 3,
        records_complete: 3,
        records_fresh: 3,
        households_total: 2,
        households_visited: 1,
        visits: 1,
    };
    assert_eq!(act, expected);
    let s = score(&default_formula(), &expected, &[]);
    assert_eq!(a["score"].as_f64().unwrap(), s.total);
    let duty_sum: f64 = a["duties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["score"].as_f64().unwrap())
        .sum();
    assert!((duty_sum - s.total).abs() < 1e-9);
    // February: nothing in grid A yet, so it scored only the neutral parts.
    let idle = score(&default_formula(), &GridActivity::default(), &[]).total;
    assert_eq!(a["previous_score"].as_f64().unwrap(), idle);
    assert!((a["change"].as_f64().unwrap() - (s.total - idle)).abs() < 1e-9);
    let b = entry(&r.body, GRID_B);
    assert_eq!(b["rank"], 2);
    assert_eq!(b["score"].as_f64().unwrap(), idle);
    // Grid B's February event counts in February only.
    let feb = app
        .get(
            &format!("/api/v1/grid-index?month=2026-02&under={STREET_1}"),
            Some(&s1_admin),
        )
        .await;
    assert_eq!(entry(&feb.body, GRID_B)["activity"]["worker_reports"], 1);
    assert_eq!(entry(&feb.body, GRID_A)["activity"]["records_total"], 0);

    // Manual items: street administrators, a reason, points within the duty; audited.
    let item = json!({ "grid_code": GRID_B, "month": "2026-03", "duty": "emergency_response",
                       "points": -4, "reason": "防汛值守脱岗，通报扣分" });
    app.post_json("/api/v1/grid-index/assessments", Some(&intake), &item)
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    let mut bad = item.clone();
    bad["points"] = json!(1.2);
    let r = app
        .post_json("/api/v1/grid-index/assessments", Some(&s1_admin), &bad)
        .await;
    assert_eq!(r.field(), "points");
    bad["points"] = json!(-11);
    let r = app
        .post_json("/api/v1/grid-index/assessments", Some(&s1_admin), &bad)
        .await;
    assert_eq!(r.field(), "points");
    let mut other = item.clone();
    other["grid_code"] = json!(GRID_S2);
    let r = app
        .post_json("/api/v1/grid-index/assessments", Some(&s1_admin), &other)
        .await;
    assert_eq!(r.field(), "grid_code");
    let mut no_reason = item.clone();
    no_reason["reason"] = json!("");
    let r = app
        .post_json(
            "/api/v1/grid-index/assessments",
            Some(&s1_admin),
            &no_reason,
        )
        .await;
    assert_eq!(r.field(), "reason");
    let r = app
        .post_json("/api/v1/grid-index/assessments", Some(&s1_admin), &item)
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["recorded_by"], "user-s1-admin");
    let r = app
        .get(
            &format!("/api/v1/grid-index?month=2026-03&under={STREET_1}"),
            Some(&worker),
        )
        .await;
    let b = entry(&r.body, GRID_B);
    assert_eq!(b["score"].as_f64().unwrap(), idle - 4.0);
    let emergency = b["duties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["duty"] == "emergency_response")
        .unwrap();
    assert_eq!(
        (
            emergency["automatic"].as_f64(),
            emergency["manual"].as_f64(),
            emergency["score"].as_f64()
        ),
        (Some(8.0), Some(-4.0), Some(4.0))
    );
    assert_eq!(b["assessments"][0]["reason"], "防汛值守脱岗，通报扣分");
    let list = app
        .get(
            &format!("/api/v1/grid-index/assessments?month=2026-03&under={STREET_1}"),
            Some(&worker),
        )
        .await;
    assert_eq!(list.body.as_array().unwrap().len(), 1);
    let admin = app.login("admin", PASSWORD).await;
    let audit = app
        .get(&format!("/api/v1/audit/grid/{GRID_B}"), Some(&admin))
        .await;
    assert_eq!(
        audit.body["items"][0]["action"], "grid_assessment.create",
        "{}",
        audit.body
    );

    // Scope: street 2 cannot rank street 1; by default it ranks its own grids.
    app.get(
        &format!("/api/v1/grid-index?month=2026-03&under={STREET_1}"),
        Some(&s2),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "not_found");
    let own = app.get("/api/v1/grid-index?month=2026-03", Some(&s2)).await;
    assert_eq!(own.body["under_code"], STREET_2);
    assert_eq!(own.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(entry(&own.body, GRID_S2)["activity"]["worker_reports"], 1);
    let r = app.get("/api/v1/grid-index?month=2026-3", Some(&s2)).await;
    assert_eq!(r.field(), "month");
    // The current month by default (the clock says March 2026).
    let now = app
        .get(
            &format!("/api/v1/grid-index?under={STREET_1}"),
            Some(&worker),
        )
        .await;
    assert_eq!(now.body["month"], "2026-03");
}
