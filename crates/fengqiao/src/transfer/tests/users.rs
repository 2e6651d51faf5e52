//! Accounts: bad identifiers and weak passwords per row, and what a users export holds.

use super::*;

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
