//! Bad rows in both modes, header problems and rows that already exist.

use super::*;

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
