//! User files: the import columns (with plain identifiers and a password, checked by the same
//! rules as the API), and the review-only export (masked identifiers, never a password).
//!
//! The export cannot be re-imported as it is: it has `phone_masked`/`id_number_masked` where an
//! import needs `phone`/`id_number`, and no `password` column, which every import row needs.

use super::orgs::found;
use super::table::{Cell, Table};
use super::{Column, Importer, RowReader, WriteFailure, cells};
use fengqiao_domain::identifiers::{MobileNumber, ResidentId};
use fengqiao_domain::role::Role;
use fengqiao_http::error::ApiError;
use fengqiao_http::routes::auth::{check_password_policy, hash_password};
use fengqiao_http::routes::users::parse_identifiers;
use fengqiao_store::users::{NewUser, UserRow, create_user_in};
use fengqiao_store::{AuditCtx, FieldCipher, Scope, Store, Tx};
use std::collections::HashSet;

pub(super) const COLUMNS: &[Column] = &[
    Column {
        name: "id",
        required: false,
    },
    Column {
        name: "username",
        required: true,
    },
    Column {
        name: "display_name",
        required: true,
    },
    Column {
        name: "org_id",
        required: true,
    },
    Column {
        name: "roles",
        required: true,
    },
    Column {
        name: "phone",
        required: false,
    },
    Column {
        name: "id_number",
        required: false,
    },
    Column {
        name: "password",
        required: true,
    },
];

/// What the users export writes: identifiers masked, no password.
const EXPORT_COLUMNS: [&str; 7] = [
    "id",
    "username",
    "display_name",
    "org_id",
    "roles",
    "phone_masked",
    "id_number_masked",
];

pub(super) struct UserInput {
    id: Option<String>,
    username: String,
    display_name: String,
    org_id: String,
    roles: Vec<Role>,
    phone: Option<MobileNumber>,
    id_number: Option<ResidentId>,
    password: String,
}

pub(super) struct UserImporter<'a> {
    store: &'a Store,
    cipher: &'a FieldCipher,
    ctx: &'a AuditCtx,
    scope: &'a Scope,
    /// Ids and usernames written earlier in this file.
    ids: HashSet<String>,
    usernames: HashSet<String>,
}

impl<'a> UserImporter<'a> {
    pub(super) fn new(
        store: &'a Store,
        cipher: &'a FieldCipher,
        ctx: &'a AuditCtx,
        scope: &'a Scope,
    ) -> Self {
        Self {
            store,
            cipher,
            ctx,
            scope,
            ids: HashSet::new(),
            usernames: HashSet::new(),
        }
    }
}

impl Importer for UserImporter<'_> {
    type Input = UserInput;

    fn columns(&self) -> &'static [Column] {
        COLUMNS
    }

    fn parse(&self, r: &mut RowReader<'_>) -> Option<UserInput> {
        let id = r.optional("id", cells::id);
        let username = r.required("username", cells::text);
        let display_name = r.required("display_name", cells::text);
        let org_id = r.required("org_id", cells::text);
        let roles = r.required("roles", cells::roles);
        let phone = r.optional("phone", cells::text);
        let id_number = r.optional("id_number", cells::text);
        let password = r.required("password", cells::exact_text);

        let mut field_errors = Vec::new();
        if let Some(password) = &password {
            match check_password_policy("password", password) {
                Ok(()) => {}
                Err(ApiError::Invalid(mut errors)) => field_errors.append(&mut errors),
                Err(other) => r.complain("password", other.to_string()),
            }
        }
        let (phone, id_number) =
            parse_identifiers(phone.as_deref(), id_number.as_deref(), &mut field_errors);
        for error in field_errors {
            r.complain(&error.field, error.message);
        }
        Some(UserInput {
            id,
            username: username?,
            display_name: display_name?,
            org_id: org_id?,
            roles: roles?,
            phone,
            id_number,
            password: password?,
        })
    }

    async fn write(&mut self, tx: &mut Tx, input: UserInput) -> Result<(), WriteFailure> {
        let id = input.id.unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
        // Checked before the insert, as for organisations: a failed insert would abort the
        // PostgreSQL transaction and every row after it.
        if self.ids.contains(&id) || found(self.store.get_user(&Scope::Everything, &id).await)? {
            return Err(WriteFailure::one("id", format!("编号 {id} 已存在")));
        }
        let existing = self
            .store
            .find_user_by_username(&input.username)
            .await
            .map_err(|e| WriteFailure::from_store(e, "username"))?;
        if self.usernames.contains(&input.username) || existing.is_some() {
            return Err(WriteFailure::one(
                "username",
                format!("用户名 {} 已存在", input.username),
            ));
        }
        let password_hash = hash_password(&input.password)
            .map_err(|e| WriteFailure::Fatal(anyhow::anyhow!("hashing a password: {e}")))?;
        let user = NewUser {
            username: input.username,
            display_name: input.display_name,
            org_id: input.org_id,
            roles: input.roles,
            password_hash,
            phone: input.phone,
            id_number: input.id_number,
        };
        let view = create_user_in(tx, self.ctx, self.scope, self.cipher, &id, &user)
            .await
            .map_err(|e| WriteFailure::from_store(e, "org_id"))?;
        self.ids.insert(view.id);
        self.usernames.insert(view.username);
        Ok(())
    }
}

/// Rows through `UserRow::view`, the masked form: no ciphertext, index or password hash is
/// ever read here.
pub(super) fn export_table(rows: &[UserRow]) -> anyhow::Result<Table> {
    let rows = rows
        .iter()
        .map(|row| {
            let user = row.view()?;
            let roles: Vec<&str> = user.roles.iter().map(|r| r.code()).collect();
            Ok(vec![
                Cell::text(&user.id),
                Cell::text(&user.username),
                Cell::text(&user.display_name),
                Cell::text(&user.org_id),
                Cell::text(&roles.join(",")),
                Cell::opt_text(user.phone_masked.as_deref()),
                Cell::opt_text(user.id_number_masked.as_deref()),
            ])
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Table::for_export(&EXPORT_COLUMNS, rows))
}
