//! Staff and citizen accounts: roles, organisation, encrypted personal identifiers, lockout state.

use crate::audit::{self, AuditCtx};
use crate::crypto::FieldCipher;
use crate::db::{Store, Tx};
use crate::error::{Result, StoreError};
use crate::orgs::{Organisations, get_org_in, org_col};
use crate::page::{Page, PageRequest};
use crate::scope::Scope;
use fengqiao_domain::identifiers::{MobileNumber, ResidentId};
use fengqiao_domain::role::Role;
use fengqiao_domain::time::Timestamp;
use fengqiao_domain::validation::Problems;
use sea_query::{Alias, Expr, ExprTrait, Iden, Order, Query, SelectStatement};
use serde::{Deserialize, Serialize};

#[derive(Iden)]
pub(crate) enum Users {
    Table,
    Id,
    Username,
    DisplayName,
    OrgId,
    Roles,
    PasswordHash,
    PhoneEnc,
    PhoneIndex,
    PhoneMasked,
    IdNumberEnc,
    IdNumberIndex,
    IdNumberMasked,
    Active,
    FailedLogins,
    LockedUntil,
    CreatedAt,
    UpdatedAt,
}

/// A stored account. The password hash and ciphertexts never leave the server: see [`UserView`].
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub org_id: String,
    pub roles: String,
    pub password_hash: String,
    pub phone_enc: Option<String>,
    pub phone_index: Option<String>,
    pub phone_masked: Option<String>,
    pub id_number_enc: Option<String>,
    pub id_number_index: Option<String>,
    pub id_number_masked: Option<String>,
    pub active: bool,
    pub failed_logins: i64,
    pub locked_until: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// The organisation's region path, joined in for scope decisions.
    pub org_region_path: String,
    pub org_name: String,
}

impl UserRow {
    pub fn roles(&self) -> Result<Vec<Role>> {
        parse_roles(&self.roles)
    }
    pub fn view(&self) -> Result<UserView> {
        Ok(UserView {
            id: self.id.clone(),
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            org_id: self.org_id.clone(),
            org_name: self.org_name.clone(),
            roles: self.roles()?,
            phone_masked: self.phone_masked.clone(),
            id_number_masked: self.id_number_masked.clone(),
            active: self.active,
            locked_until: self.locked_until.map(Timestamp::from_micros),
            created_at: Timestamp::from_micros(self.created_at),
            updated_at: Timestamp::from_micros(self.updated_at),
        })
    }
}

pub fn parse_roles(text: &str) -> Result<Vec<Role>> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<Role>()
                .map_err(|e| StoreError::Corrupt(e.to_string()))
        })
        .collect()
}

fn roles_text(roles: &[Role]) -> String {
    let mut sorted: Vec<&str> = roles.iter().map(|r| r.code()).collect();
    sorted.sort_unstable();
    sorted.dedup();
    // Leading and trailing commas let a role be matched as a whole item with LIKE '%,code,%'.
    format!(",{},", sorted.join(","))
}

/// What lists, exports, logs and the audit trail show of an account: identifiers masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct UserView {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub org_id: String,
    pub org_name: String,
    pub roles: Vec<Role>,
    pub phone_masked: Option<String>,
    pub id_number_masked: Option<String>,
    pub active: bool,
    pub locked_until: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Input for a new account; the caller hashes the password (argon2) before it gets here.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub org_id: String,
    pub roles: Vec<Role>,
    pub password_hash: String,
    pub phone: Option<MobileNumber>,
    pub id_number: Option<ResidentId>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    pub display_name: Option<String>,
    pub org_id: Option<String>,
    pub roles: Option<Vec<Role>>,
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub org_id: Option<String>,
    pub role: Option<Role>,
    pub name_contains: Option<String>,
}

/// Which identifier a reveal asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SensitiveField {
    Phone,
    IdNumber,
}

/// The reason a reveal of a personal identifier must give (2–200 characters), trimmed.
pub(crate) fn reveal_reason(reason: &str) -> Result<&str> {
    let reason = reason.trim();
    if reason.chars().count() < 2 || reason.chars().count() > 200 {
        return Err(StoreError::invalid(
            "reason",
            "required",
            "查看敏感信息须填写 2–200 字的理由",
        ));
    }
    Ok(reason)
}

fn select_users() -> SelectStatement {
    let u = |c: Users| (Alias::new("users"), c);
    Query::select()
        .columns([
            u(Users::Id),
            u(Users::Username),
            u(Users::DisplayName),
            u(Users::OrgId),
            u(Users::Roles),
            u(Users::PasswordHash),
            u(Users::PhoneEnc),
            u(Users::PhoneIndex),
            u(Users::PhoneMasked),
            u(Users::IdNumberEnc),
            u(Users::IdNumberIndex),
            u(Users::IdNumberMasked),
            u(Users::Active),
            u(Users::FailedLogins),
            u(Users::LockedUntil),
            u(Users::CreatedAt),
            u(Users::UpdatedAt),
        ])
        .expr_as(
            Expr::col(org_col(Organisations::RegionPath)),
            Alias::new("org_region_path"),
        )
        .expr_as(
            Expr::col(org_col(Organisations::Name)),
            Alias::new("org_name"),
        )
        .from(Users::Table)
        .inner_join(
            Organisations::Table,
            Expr::col((Alias::new("users"), Users::OrgId)).equals(org_col(Organisations::Id)),
        )
        .to_owned()
}

fn user_col(c: Users) -> (Alias, Users) {
    (Alias::new("users"), c)
}

/// Validates and writes an account with its audit entry inside `tx`. A refused input writes nothing.
pub async fn create_user_in(
    tx: &mut Tx,
    ctx: &AuditCtx,
    scope: &Scope,
    cipher: &FieldCipher,
    id: &str,
    input: &NewUser,
) -> Result<UserView> {
    let mut problems = Problems::default();
    let username = input.username.trim().to_owned();
    if username.len() < 3
        || username.len() > 64
        || !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')
    {
        problems.push(
            "username",
            "bad_username",
            "用户名为 3–64 位字母、数字、点、下划线或连字符",
        );
    }
    let display_name = problems.text("display_name", &input.display_name, 32);
    if input.roles.is_empty() {
        problems.push("roles", "required", "至少需要一个角色");
    }
    if input.roles.contains(&Role::Citizen) && input.roles.len() > 1 {
        problems.push("roles", "citizen_exclusive", "群众账号不能兼任工作人员角色");
    }
    let org = match get_org_in(tx, scope, &input.org_id).await {
        Ok(o) => Some(o),
        Err(StoreError::NotFound { .. }) => {
            problems.push("org_id", "not_found", "所属机构不存在或不在您的管辖范围");
            None
        }
        Err(e) => return Err(e),
    };
    problems.finish().map_err(StoreError::Invalid)?;
    let Some(org) = org else {
        return Err(StoreError::NotFound {
            entity: "organisation",
        });
    };

    let phone_enc = input
        .phone
        .as_ref()
        .map(|p| cipher.encrypt(p.as_str()))
        .transpose()?;
    let id_enc = input
        .id_number
        .as_ref()
        .map(|p| cipher.encrypt(p.as_str()))
        .transpose()?;
    let row = UserRow {
        id: id.to_owned(),
        username,
        display_name,
        org_id: org.id.clone(),
        roles: roles_text(&input.roles),
        password_hash: input.password_hash.clone(),
        phone_enc,
        phone_index: input.phone.as_ref().map(|p| cipher.blind_index(p.as_str())),
        phone_masked: input.phone.as_ref().map(|p| p.masked()),
        id_number_enc: id_enc,
        id_number_index: input
            .id_number
            .as_ref()
            .map(|p| cipher.blind_index(p.as_str())),
        id_number_masked: input.id_number.as_ref().map(|p| p.masked()),
        active: true,
        failed_logins: 0,
        locked_until: None,
        created_at: ctx.at.as_micros(),
        updated_at: ctx.at.as_micros(),
        org_region_path: org.region_path.clone(),
        org_name: org.name.clone(),
    };
    let insert = Query::insert()
        .into_table(Users::Table)
        .columns([
            Users::Id,
            Users::Username,
            Users::DisplayName,
            Users::OrgId,
            Users::Roles,
            Users::PasswordHash,
            Users::PhoneEnc,
            Users::PhoneIndex,
            Users::PhoneMasked,
            Users::IdNumberEnc,
            Users::IdNumberIndex,
            Users::IdNumberMasked,
            Users::Active,
            Users::FailedLogins,
            Users::LockedUntil,
            Users::CreatedAt,
            Users::UpdatedAt,
        ])
        .values_panic([
            row.id.clone().into(),
            row.username.clone().into(),
            row.display_name.clone().into(),
            row.org_id.clone().into(),
            row.roles.clone().into(),
            row.password_hash.clone().into(),
            row.phone_enc.clone().into(),
            row.phone_index.clone().into(),
            row.phone_masked.clone().into(),
            row.id_number_enc.clone().into(),
            row.id_number_index.clone().into(),
            row.id_number_masked.clone().into(),
            row.active.into(),
            row.failed_logins.into(),
            row.locked_until.into(),
            row.created_at.into(),
            row.updated_at.into(),
        ])
        .to_owned();
    tx.execute(&insert)
        .await
        .map_err(|e| StoreError::from_write(e, &[("username", "username"), ("id", "id")]))?;
    let view = row.view()?;
    audit::append(
        tx,
        ctx,
        "user.create",
        "user",
        &row.id,
        None::<&()>,
        Some(&view),
    )
    .await?;
    Ok(view)
}

impl Store {
    pub async fn create_user(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        cipher: &FieldCipher,
        id: &str,
        input: &NewUser,
    ) -> Result<UserView> {
        let mut tx = self.begin().await?;
        let view = create_user_in(&mut tx, ctx, scope, cipher, id, input).await?;
        tx.commit().await?;
        Ok(view)
    }

    pub async fn get_user(&self, scope: &Scope, id: &str) -> Result<UserRow> {
        let q = select_users()
            .and_where(Expr::col(user_col(Users::Id)).eq(id))
            .and_where(scope.path_condition(org_col(Organisations::RegionPath)))
            .to_owned();
        self.fetch_optional(&q)
            .await?
            .ok_or(StoreError::NotFound { entity: "user" })
    }

    /// Login looks users up by name before anyone is authenticated, so it is unscoped.
    pub async fn find_user_by_username(&self, username: &str) -> Result<Option<UserRow>> {
        let q = select_users()
            .and_where(Expr::col(user_col(Users::Username)).eq(username.trim()))
            .to_owned();
        self.fetch_optional(&q).await
    }

    pub async fn list_users(
        &self,
        scope: &Scope,
        filter: &UserFilter,
        page: PageRequest,
    ) -> Result<Page<UserView>> {
        let mut q = select_users();
        q.and_where(scope.path_condition(org_col(Organisations::RegionPath)));
        if let Some(org) = &filter.org_id {
            q.and_where(Expr::col(user_col(Users::OrgId)).eq(org.as_str()));
        }
        if let Some(role) = filter.role {
            q.and_where(Expr::col(user_col(Users::Roles)).like(format!("%,{},%", role.code())));
        }
        if let Some(text) = &filter.name_contains {
            let pattern = crate::scope::contains(text);
            q.and_where(
                Expr::col(user_col(Users::DisplayName))
                    .like(pattern.clone())
                    .or(Expr::col(user_col(Users::Username)).like(pattern)),
            );
        }
        let mut count = q.clone();
        count.clear_selects();
        let total = self
            .fetch_count(
                &count
                    .expr(Expr::col(user_col(Users::Id)).count())
                    .to_owned(),
            )
            .await?;
        q.order_by(user_col(Users::Username), Order::Asc);
        page.apply(&mut q);
        let rows: Vec<UserRow> = self.fetch_all(&q).await?;
        let items = rows.iter().map(UserRow::view).collect::<Result<Vec<_>>>()?;
        Ok(Page::new(items, total, page))
    }

    pub async fn update_user(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        id: &str,
        patch: &UserPatch,
    ) -> Result<UserView> {
        let before = self.get_user(scope, id).await?;
        let mut after = before.clone();
        let mut problems = Problems::default();
        if let Some(n) = &patch.display_name {
            after.display_name = problems.text("display_name", n, 32);
        }
        if let Some(roles) = &patch.roles {
            if roles.is_empty() {
                problems.push("roles", "required", "至少需要一个角色");
            }
            after.roles = roles_text(roles);
        }
        if let Some(org_id) = &patch.org_id {
            match self.get_org(scope, org_id).await {
                Ok(org) => {
                    after.org_id = org.id;
                    after.org_region_path = org.region_path;
                    after.org_name = org.name;
                }
                Err(StoreError::NotFound { .. }) => {
                    problems.push("org_id", "not_found", "所属机构不存在或不在您的管辖范围");
                }
                Err(e) => return Err(e),
            }
        }
        if let Some(a) = patch.active {
            after.active = a;
        }
        problems.finish().map_err(StoreError::Invalid)?;
        after.updated_at = ctx.at.as_micros();
        let mut tx = self.begin().await?;
        let update = Query::update()
            .table(Users::Table)
            .values([
                (Users::DisplayName, after.display_name.clone().into()),
                (Users::OrgId, after.org_id.clone().into()),
                (Users::Roles, after.roles.clone().into()),
                (Users::Active, after.active.into()),
                (Users::UpdatedAt, after.updated_at.into()),
            ])
            .and_where(Expr::col(Users::Id).eq(id))
            .to_owned();
        tx.execute(&update).await?;
        let (b, a) = (before.view()?, after.view()?);
        audit::append(&mut tx, ctx, "user.update", "user", id, Some(&b), Some(&a)).await?;
        tx.commit().await?;
        Ok(a)
    }

    /// Sets a new password hash (the caller hashed it) and clears any lockout.
    pub async fn set_password(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        id: &str,
        password_hash: &str,
    ) -> Result<()> {
        let user = self.get_user(scope, id).await?;
        let mut tx = self.begin().await?;
        let update = Query::update()
            .table(Users::Table)
            .values([
                (Users::PasswordHash, password_hash.into()),
                (Users::FailedLogins, 0i64.into()),
                (Users::LockedUntil, Option::<i64>::None.into()),
                (Users::UpdatedAt, ctx.at.as_micros().into()),
            ])
            .and_where(Expr::col(Users::Id).eq(id))
            .to_owned();
        tx.execute(&update).await?;
        audit::append(
            &mut tx,
            ctx,
            "user.password_set",
            "user",
            &user.id,
            None::<&()>,
            None::<&()>,
        )
        .await?;
        tx.commit().await
    }

    /// Decrypts one identifier for an authorised caller and records the reveal with its reason.
    pub async fn reveal_user_field(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        cipher: &FieldCipher,
        id: &str,
        field: SensitiveField,
        reason: &str,
    ) -> Result<Option<String>> {
        let reason = reveal_reason(reason)?;
        let user = self.get_user(scope, id).await?;
        let stored = match field {
            SensitiveField::Phone => &user.phone_enc,
            SensitiveField::IdNumber => &user.id_number_enc,
        };
        let plain = stored.as_deref().map(|c| cipher.decrypt(c)).transpose()?;
        let mut tx = self.begin().await?;
        let note = serde_json::json!({ "field": field, "reason": reason });
        audit::append(
            &mut tx,
            ctx,
            "user.reveal",
            "user",
            &user.id,
            None::<&()>,
            Some(&note),
        )
        .await?;
        tx.commit().await?;
        Ok(plain)
    }

    /// Records a failed password; locks the account for `lock_for_secs` at `max_failures`.
    /// Returns the lock expiry when this failure locked the account.
    pub async fn record_login_failure(
        &self,
        ctx: &AuditCtx,
        user_id: &str,
        max_failures: i64,
        lock_for_secs: i64,
    ) -> Result<Option<Timestamp>> {
        let mut tx = self.begin().await?;
        let current: Option<(i64,)> = tx
            .fetch_optional(
                &Query::select()
                    .column(Users::FailedLogins)
                    .from(Users::Table)
                    .and_where(Expr::col(Users::Id).eq(user_id))
                    .to_owned(),
            )
            .await?;
        let failures = current.map(|c| c.0).unwrap_or(0) + 1;
        let locked = (failures >= max_failures).then(|| ctx.at.plus_seconds(lock_for_secs));
        let update = Query::update()
            .table(Users::Table)
            .values([
                (
                    Users::FailedLogins,
                    if locked.is_some() { 0i64 } else { failures }.into(),
                ),
                (Users::LockedUntil, locked.map(|t| t.as_micros()).into()),
            ])
            .and_where(Expr::col(Users::Id).eq(user_id))
            .to_owned();
        tx.execute(&update).await?;
        let note = serde_json::json!({ "failures": failures, "locked_until": locked });
        let action = if locked.is_some() {
            "auth.locked"
        } else {
            "auth.login_failed"
        };
        audit::append(
            &mut tx,
            ctx,
            action,
            "user",
            user_id,
            None::<&()>,
            Some(&note),
        )
        .await?;
        tx.commit().await?;
        Ok(locked)
    }

    /// Clears the failure counter after a successful login and records the login.
    pub async fn record_login_success(&self, ctx: &AuditCtx, user_id: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let update = Query::update()
            .table(Users::Table)
            .values([
                (Users::FailedLogins, 0i64.into()),
                (Users::LockedUntil, Option::<i64>::None.into()),
            ])
            .and_where(Expr::col(Users::Id).eq(user_id))
            .to_owned();
        tx.execute(&update).await?;
        audit::append(
            &mut tx,
            ctx,
            "auth.login",
            "user",
            user_id,
            None::<&()>,
            None::<&()>,
        )
        .await?;
        tx.commit().await
    }

    pub async fn all_users(&self, scope: &Scope) -> Result<Vec<UserRow>> {
        let q = select_users()
            .and_where(scope.path_condition(org_col(Organisations::RegionPath)))
            .order_by(user_col(Users::Username), Order::Asc)
            .to_owned();
        self.fetch_all(&q).await
    }
}
