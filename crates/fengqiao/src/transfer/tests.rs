//! Import/export against real SQLite stores: shared fixtures, round trips and the pieces of
//! the public API; bad rows in `rows`, accounts in `users`.

mod rows;
mod users;

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
