//! Import/export against real SQLite stores: round trips, bad rows in both modes, header
//! problems, users with bad identifiers and weak passwords, and what a users export holds.

use super::*;
use fengqiao_domain::time::Timestamp;
use fengqiao_store::testing::{TestStore, sqlite};
use serde_json::{Value, json};
use std::path::PathBuf;

const AT: Timestamp = Timestamp::from_micros(1_750_000_000_000_000);

fn ctx() -> AuditCtx {
    AuditCtx::system(AT)
}

fn cipher() -> FieldCipher {
    FieldCipher::new(&[9u8; 32])
}

fn regions_fixture() -> Value {
    json!([
        {"code": "330100", "name": "临江市", "level": "city"},
        {"code": "330102", "name": "上城区", "level": "district", "parent_code": "330100",
         "population": 560000},
        {"code": "330102001", "name": "清波街道", "level": "street", "parent_code": "330102"},
        {"code": "330102001002", "name": "劳动路社区", "level": "community",
         "parent_code": "330102001"},
        {"code": "330102001002003", "name": "劳动路第三网格", "level": "grid",
         "parent_code": "330102001002", "grid_kind": "territorial",
         "geometry": {"type": "Polygon",
                      "coordinates": [[[120.16, 30.24], [120.17, 30.24], [120.17, 30.25], [120.16, 30.24]]]}}
    ])
}

fn orgs_fixture() -> Value {
    json!([
        // The shared court comes after its court: rows may refer to earlier rows.
        {"id": "org-court", "name": "上城区人民法院", "kind": "court", "region_code": "330102"},
        {"id": "org-shared", "name": "清波共享法庭", "kind": "shared_court",
         "region_code": "330102001", "court_id": "org-court"},
        {"id": "org-gov", "name": "上城区社会治理中心", "kind": "governance_centre",
         "region_code": "330102", "address": "解放路 1 号", "phone": "0571-87000000"},
        {"name": "上城区劳动争议调解委员会", "kind": "industry_mediation_committee",
         "region_code": "330102", "specialty": "labour"},
        // Sorts before its court by region and name: the export must still put the court first.
        {"id": "org-shared-2", "name": "上城区丁兰共享法庭", "kind": "shared_court",
         "region_code": "330102", "court_id": "org-court"}
    ])
}

fn write_json(dir: &tempfile::TempDir, name: &str, value: &Value) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, value.to_string()).unwrap();
    path
}

/// An xlsx file whose cells have the JSON value's type: strings as text, numbers as numbers,
/// null as a blank cell; an empty row array leaves a blank row.
fn write_xlsx(dir: &tempfile::TempDir, name: &str, rows: &[Vec<Value>]) -> PathBuf {
    let path = dir.path().join(name);
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match value {
                Value::String(s) => {
                    sheet.write_string(r, c, s).unwrap();
                }
                Value::Number(n) => {
                    sheet.write_number(r, c, n.as_f64().unwrap()).unwrap();
                }
                Value::Null => {}
                other => panic!("fixture cell {other}"),
            }
        }
    }
    book.save(&path).unwrap();
    path
}

async fn import_file(store: &TestStore, entity: Entity, path: &Path, mode: Mode) -> ImportReport {
    import(
        store,
        &cipher(),
        &ctx(),
        &Scope::Everything,
        entity,
        path,
        mode,
    )
    .await
    .unwrap()
}

/// A store holding the region and organisation fixtures.
async fn seeded(dir: &tempfile::TempDir) -> TestStore {
    let store = sqlite().await;
    let regions = write_json(dir, "seed-regions.json", &regions_fixture());
    let report = import_file(&store, Entity::Regions, &regions, Mode::AllOrNothing).await;
    assert_eq!((report.written, report.committed), (5, true), "{report:?}");
    let orgs = write_json(dir, "seed-orgs.json", &orgs_fixture());
    let report = import_file(&store, Entity::Orgs, &orgs, Mode::AllOrNothing).await;
    assert_eq!((report.written, report.committed), (5, true), "{report:?}");
    store
}

fn problems(report: &ImportReport) -> Vec<(usize, &str)> {
    report
        .rejected
        .iter()
        .map(|p| (p.line, p.column.as_str()))
        .collect()
}

async fn round_trip(extension: &str) {
    let dir = tempfile::tempdir().unwrap();
    let source = seeded(&dir).await;
    let regions = dir.path().join(format!("regions.{extension}"));
    let orgs = dir.path().join(format!("orgs.{extension}"));
    let all = Scope::Everything;
    assert_eq!(
        export(&source, &all, Entity::Regions, &regions)
            .await
            .unwrap(),
        5
    );
    assert_eq!(export(&source, &all, Entity::Orgs, &orgs).await.unwrap(), 5);

    let target = sqlite().await;
    let report = import_file(&target, Entity::Regions, &regions, Mode::AllOrNothing).await;
    assert_eq!(report.rejected, vec![]);
    assert_eq!((report.total_rows, report.written), (5, 5));
    let report = import_file(&target, Entity::Orgs, &orgs, Mode::AllOrNothing).await;
    assert_eq!(report.rejected, vec![]);
    assert_eq!((report.total_rows, report.written), (5, 5));

    // Same audit time on both sides, so the rows are equal field for field (ids included).
    assert_eq!(
        target.all_regions(&all).await.unwrap(),
        source.all_regions(&all).await.unwrap()
    );
    assert_eq!(
        target.all_orgs(&all).await.unwrap(),
        source.all_orgs(&all).await.unwrap()
    );
}

#[tokio::test]
async fn regions_and_orgs_round_trip_through_xlsx() {
    round_trip("xlsx").await;
}

#[tokio::test]
async fn regions_and_orgs_round_trip_through_json() {
    round_trip("json").await;
}

/// Lines 4, 6 and 7 are bad (line 5 is blank); the city code is typed as a number.
fn regions_with_three_bad_rows(dir: &tempfile::TempDir) -> PathBuf {
    write_xlsx(
        dir,
        "bad-regions.xlsx",
        &[
            vec![
                json!("code"),
                json!("name"),
                json!("level"),
                json!("parent_code"),
                json!("population"),
            ],
            vec![json!(330100), json!("临江市"), json!("city")],
            vec![
                json!("330102"),
                json!("上城区"),
                json!("区县"),
                json!("330100"),
                json!(560000),
            ],
            vec![
                json!("330102001"),
                json!("清波街道"),
                json!("town"),
                json!("330102"),
            ],
            vec![],
            vec![
                json!("330105"),
                json!("拱墅区"),
                json!("district"),
                json!("330100"),
                json!("many"),
            ],
            vec![
                json!("330202"),
                json!("外区"),
                json!("district"),
                json!("330100"),
            ],
            vec![
                json!("330102002"),
                json!("湖滨街道"),
                json!("street"),
                json!("330102"),
            ],
        ],
    )
}

#[tokio::test]
async fn all_or_nothing_writes_nothing_and_reports_every_bad_row() {
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite().await;
    let path = regions_with_three_bad_rows(&dir);
    let report = import_file(&store, Entity::Regions, &path, Mode::AllOrNothing).await;
    assert_eq!(
        problems(&report),
        vec![(4, "level"), (6, "population"), (7, "code")]
    );
    assert!(report.rejected[0].reason.contains("town"));
    assert_eq!(report.rejected[1].reason, "应为整数，实为文本“many”");
    assert_eq!(report.total_rows, 6);
    assert_eq!((report.written, report.committed), (0, false));
    assert_eq!(store.count_regions().await.unwrap(), 0);
    let text = report.render_zh();
    assert!(
        text.contains("第 6 行，列 population：应为整数，实为文本“many”"),
        "{text}"
    );
    assert!(text.contains("未写入任何数据"), "{text}");
}

#[tokio::test]
async fn good_rows_only_writes_the_good_rows() {
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite().await;
    let path = regions_with_three_bad_rows(&dir);
    let report = import_file(&store, Entity::Regions, &path, Mode::GoodRowsOnly).await;
    assert_eq!(
        problems(&report),
        vec![(4, "level"), (6, "population"), (7, "code")]
    );
    assert_eq!((report.written, report.committed), (3, true));
    let codes: Vec<String> = store
        .all_regions(&Scope::Everything)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.code)
        .collect();
    assert_eq!(codes, ["330100", "330102", "330102002"]);
}

#[tokio::test]
async fn a_missing_required_column_stops_the_import_in_either_mode() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(&dir).await;
    let path = write_xlsx(
        &dir,
        "orgs-no-kind.xlsx",
        &[
            vec![json!("name"), json!("region_code"), json!("Phone ")],
            vec![json!("上城区信访局"), json!("330102"), json!("0571-1")],
        ],
    );
    for mode in [Mode::AllOrNothing, Mode::GoodRowsOnly] {
        let report = import_file(&store, Entity::Orgs, &path, mode).await;
        assert_eq!(
            report.rejected,
            vec![RowProblem::new(1, "kind", "缺少必需的列")]
        );
        assert_eq!((report.total_rows, report.written), (1, 0));
        assert!(!report.committed);
    }
    assert_eq!(store.all_orgs(&Scope::Everything).await.unwrap().len(), 5);
}

#[tokio::test]
async fn unknown_columns_are_reported_on_the_header_line() {
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite().await;
    let path = write_xlsx(
        &dir,
        "typo.xlsx",
        &[
            vec![
                json!("code"),
                json!("name"),
                json!("level"),
                json!("populaton"),
            ],
            vec![json!("330100"), json!("临江市"), json!("city"), json!(100)],
        ],
    );
    let report = import_file(&store, Entity::Regions, &path, Mode::GoodRowsOnly).await;
    assert_eq!(problems(&report), vec![(1, "populaton")]);
    assert!(report.rejected[0].reason.starts_with("未知的列"));
    assert!(!report.committed);
    assert_eq!(store.count_regions().await.unwrap(), 0);
}

#[tokio::test]
async fn rows_already_stored_or_repeated_are_reported_as_existing() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(&dir).await;
    let regions = write_json(&dir, "again.json", &regions_fixture());
    let report = import_file(&store, Entity::Regions, &regions, Mode::GoodRowsOnly).await;
    assert_eq!(report.written, 0);
    assert_eq!(report.rejected.len(), 5);
    assert!(
        report
            .rejected
            .iter()
            .all(|p| p.column == "code" && p.reason == "已存在")
    );

    let orgs = write_json(
        &dir,
        "orgs-again.json",
        &json!([
            {"name": "上城区人民法院", "kind": "court", "region_code": "330102"},
            {"id": "org-gov", "name": "上城区新中心", "kind": "governance_centre",
             "region_code": "330102"},
            {"name": "清波街道综治中心", "kind": "governance_centre", "region_code": "330102001"},
            {"name": "清波街道综治中心", "kind": "governance_centre", "region_code": "330102001"},
            "not a row"
        ]),
    );
    let report = import_file(&store, Entity::Orgs, &orgs, Mode::GoodRowsOnly).await;
    assert_eq!(
        problems(&report),
        vec![(1, "name"), (2, "id"), (4, "name"), (5, "")]
    );
    assert_eq!((report.total_rows, report.written), (5, 1));
    assert!(report.render_zh().contains("第 5 行：应为对象"));
}

fn users_fixture() -> Value {
    json!([
        {"username": "wang.li", "display_name": "王丽", "org_id": "org-gov",
         "roles": "mediator,intake", "phone": "13812345678", "id_number": "11010519491231002X",
         "password": "Lianxi2024"},
        {"username": "zhao.gang", "display_name": "赵刚", "org_id": "org-gov",
         "roles": "grid_worker", "phone": "1381234", "password": "Lianxi2024"},
        {"username": "sun.mei", "display_name": "孙梅", "org_id": "org-gov", "roles": ["admin"],
         "password": "short"},
        {"username": "wang.li", "display_name": "重名", "org_id": "org-gov", "roles": "intake",
         "password": "Lianxi2024"},
        {"username": "li.qiang", "display_name": "李强", "org_id": "org-nowhere",
         "roles": "handler", "password": "Lianxi2024"}
    ])
}

#[tokio::test]
async fn users_with_bad_identifiers_or_weak_passwords_are_reported_per_row() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(&dir).await;
    let path = write_json(&dir, "users.json", &users_fixture());

    let report = import_file(&store, Entity::Users, &path, Mode::AllOrNothing).await;
    assert_eq!(
        problems(&report),
        vec![
            (2, "phone"),
            (3, "password"),
            (4, "username"),
            (5, "org_id")
        ]
    );
    assert_eq!((report.written, report.committed), (0, false));
    assert_eq!(store.all_users(&Scope::Everything).await.unwrap().len(), 0);

    let report = import_file(&store, Entity::Users, &path, Mode::GoodRowsOnly).await;
    assert_eq!(report.rejected.len(), 4);
    assert_eq!(
        report.rejected[1].reason,
        "密码须为 8–128 位，且同时包含字母和数字"
    );
    assert_eq!((report.written, report.committed), (1, true));
    let users = store.all_users(&Scope::Everything).await.unwrap();
    let view = users[0].view().unwrap();
    assert_eq!(view.username, "wang.li");
    assert_eq!(view.phone_masked.as_deref(), Some("138****5678"));
    assert!(users[0].password_hash.starts_with("$argon2"));
}

#[tokio::test]
async fn the_users_export_is_masked_and_cannot_be_reimported_as_is() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(&dir).await;
    let path = write_json(&dir, "users.json", &users_fixture());
    import_file(&store, Entity::Users, &path, Mode::GoodRowsOnly).await;

    let json_out = dir.path().join("users-out.json");
    assert_eq!(
        export(&store, &Scope::Everything, Entity::Users, &json_out)
            .await
            .unwrap(),
        1
    );
    let text = std::fs::read_to_string(&json_out).unwrap();
    assert!(text.contains("138****5678"), "{text}");
    for secret in [
        "13812345678",
        "11010519491231002X",
        "argon2",
        "password",
        "v1:",
    ] {
        assert!(!text.contains(secret), "export leaks {secret}: {text}");
    }
    let exported: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(exported[0]["roles"], "intake,mediator");

    let xlsx_out = dir.path().join("users-out.xlsx");
    export(&store, &Scope::Everything, Entity::Users, &xlsx_out)
        .await
        .unwrap();
    let sheet = table::read(&xlsx_out, Format::Xlsx).unwrap();
    let names: Vec<&str> = sheet.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "id",
            "username",
            "display_name",
            "org_id",
            "roles",
            "phone_masked",
            "id_number_masked"
        ]
    );
    assert_eq!(
        sheet.cell(&sheet.rows[0], "phone_masked"),
        &table::Cell::Text("138****5678".into())
    );

    let report = import_file(
        &sqlite().await,
        Entity::Users,
        &xlsx_out,
        Mode::GoodRowsOnly,
    )
    .await;
    let header: Vec<(usize, &str)> = problems(&report);
    assert_eq!(
        header,
        vec![
            (1, "phone_masked"),
            (1, "id_number_masked"),
            (1, "password")
        ]
    );
}

#[tokio::test]
async fn geometry_too_long_for_a_cell_asks_for_json() {
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite().await;
    let ring: Vec<Value> = (0..3000)
        .map(|i| json!([120.0 + f64::from(i) * 0.000_001, 30.123_456]))
        .collect();
    let regions = json!([
        {"code": "330100", "name": "临江市", "level": "city",
         "geometry": {"type": "Polygon", "coordinates": [ring]}}
    ]);
    let path = write_json(&dir, "big.json", &regions);
    assert_eq!(
        import_file(&store, Entity::Regions, &path, Mode::AllOrNothing)
            .await
            .written,
        1
    );
    let err = export(
        &store,
        &Scope::Everything,
        Entity::Regions,
        &dir.path().join("big.xlsx"),
    )
    .await
    .unwrap_err();
    assert!(format!("{err:#}").contains(".json instead"), "{err:#}");
    let out = dir.path().join("big-out.json");
    assert_eq!(
        export(&store, &Scope::Everything, Entity::Regions, &out)
            .await
            .unwrap(),
        1
    );
}

#[test]
fn entities_and_formats_parse() {
    assert_eq!("regions".parse::<Entity>().unwrap(), Entity::Regions);
    assert_eq!("organisations".parse::<Entity>().unwrap(), Entity::Orgs);
    assert_eq!("orgs".parse::<Entity>().unwrap(), Entity::Orgs);
    assert_eq!("Users".parse::<Entity>().unwrap(), Entity::Users);
    assert_eq!(
        "cases".parse::<Entity>().unwrap_err().to_string(),
        "unknown entity `cases` (regions, organisations, users)"
    );
    assert_eq!(
        Format::from_path(Path::new("a/b.XLSX")).unwrap(),
        Format::Xlsx
    );
    assert_eq!(
        Format::from_path(Path::new("b.json")).unwrap(),
        Format::Json
    );
    assert!(Format::from_path(Path::new("b.csv")).is_err());
    assert!(Format::from_path(Path::new("noext")).is_err());
    assert_eq!(Mode::default(), Mode::AllOrNothing);
}

#[test]
fn the_summary_lists_each_problem() {
    let report = ImportReport {
        entity: Entity::Orgs,
        total_rows: 3,
        written: 2,
        rejected: vec![
            RowProblem::new(3, "kind", "未知的取值“x”"),
            RowProblem::new(3, "name", "不能为空"),
        ],
        committed: true,
    };
    assert_eq!(
        report.render_zh(),
        "机构导入：共 3 行，写入 2 行，有误 1 行。\n已写入无误的行，有误的行已跳过。\n\
         第 3 行，列 kind：未知的取值“x”\n第 3 行，列 name：不能为空\n"
    );
}
