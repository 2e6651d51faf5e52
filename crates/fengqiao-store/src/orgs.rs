//! Organisations (机构): governance centres, mediation bodies, courts and shared courts,
//! arbitration, petition, legal aid and departments, each attached to a region.

use crate::audit::{self, AuditCtx};
use crate::db::{Store, Tx};
use crate::error::{Result, StoreError};
use crate::page::{Page, PageRequest};
use crate::regions::{Regions, get_region_in};
use crate::scope::Scope;
use fengqiao_domain::org::{OrgKind, Specialty, check_shape};
use fengqiao_domain::validation::Problems;
use sea_query::{Alias, Expr, ExprTrait, Iden, Order, Query, SelectStatement};
use serde::{Deserialize, Serialize};

#[derive(Iden)]
pub(crate) enum Organisations {
    Table,
    Id,
    Name,
    Kind,
    RegionCode,
    RegionPath,
    Specialty,
    CourtId,
    Address,
    Phone,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct OrgRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub region_code: String,
    pub region_path: String,
    pub specialty: Option<String>,
    pub court_id: Option<String>,
    pub address: String,
    pub phone: String,
    pub active: bool,
    #[serde(serialize_with = "crate::page::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: i64,
    #[serde(serialize_with = "crate::page::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: i64,
}

impl OrgRow {
    pub fn kind(&self) -> Result<OrgKind> {
        self.kind.parse().map_err(StoreError::Corrupt)
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrg {
    pub name: String,
    pub kind: OrgKind,
    pub region_code: String,
    #[serde(default)]
    pub specialty: Option<Specialty>,
    #[serde(default)]
    pub court_id: Option<String>,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub phone: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrgPatch {
    pub name: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Default)]
pub struct OrgFilter {
    pub kind: Option<OrgKind>,
    /// Only organisations in this region's subtree.
    pub within_region: Option<String>,
    pub name_contains: Option<String>,
}

pub(crate) const COLUMNS: [Organisations; 12] = [
    Organisations::Id,
    Organisations::Name,
    Organisations::Kind,
    Organisations::RegionCode,
    Organisations::RegionPath,
    Organisations::Specialty,
    Organisations::CourtId,
    Organisations::Address,
    Organisations::Phone,
    Organisations::Active,
    Organisations::CreatedAt,
    Organisations::UpdatedAt,
];

fn get_org_query(scope: &Scope, id: &str) -> sea_query::SelectStatement {
    Query::select()
        .columns(COLUMNS)
        .from(Organisations::Table)
        .and_where(Expr::col(Organisations::Id).eq(id))
        .and_where(scope.path_condition(Organisations::RegionPath))
        .to_owned()
}

pub(crate) async fn get_org_in(tx: &mut Tx, scope: &Scope, id: &str) -> Result<OrgRow> {
    tx.fetch_optional(&get_org_query(scope, id))
        .await?
        .ok_or(StoreError::NotFound {
            entity: "organisation",
        })
}

/// Validates and writes an organisation (caller-supplied id: ids are minted at the edge) with its
/// audit entry inside `tx`. A refused input writes nothing.
pub async fn create_org_in(
    tx: &mut Tx,
    ctx: &AuditCtx,
    scope: &Scope,
    id: &str,
    input: &NewOrg,
) -> Result<OrgRow> {
    let mut problems = Problems::default();
    let name = problems.text("name", &input.name, 80);
    let address = problems.optional_text("address", &input.address, 200);
    let phone = problems.optional_text("phone", &input.phone, 32);
    let region = match get_region_in(tx, scope, &input.region_code).await {
        Ok(r) => Some(r),
        Err(StoreError::NotFound { .. }) => {
            problems.push(
                "region_code",
                "not_found",
                format!("区域 {} 不存在或不在您的管辖范围", input.region_code),
            );
            None
        }
        Err(e) => return Err(e),
    };
    if let Some(court_id) = &input.court_id {
        match get_org_in(tx, &Scope::Everything, court_id).await {
            Ok(court) if court.kind == OrgKind::Court.code() => {}
            Ok(_) => problems.push("court_id", "not_a_court", "关联机构必须是人民法院"),
            Err(StoreError::NotFound { .. }) => {
                problems.push("court_id", "not_found", "关联法院不存在")
            }
            Err(e) => return Err(e),
        }
    }
    if let Some(region) = &region
        && let Err(e) = check_shape(
            input.kind,
            region.level()?,
            input.specialty,
            input.court_id.is_some(),
        )
    {
        let field = match e {
            fengqiao_domain::org::OrgShapeError::Level { .. } => "region_code",
            fengqiao_domain::org::OrgShapeError::SpecialtyMissing(_)
            | fengqiao_domain::org::OrgShapeError::SpecialtyNotAllowed(_) => "specialty",
            _ => "court_id",
        };
        problems.push(field, "bad_shape", e.to_string());
    }
    problems.finish().map_err(StoreError::Invalid)?;
    let Some(region) = region else {
        return Err(StoreError::NotFound { entity: "region" });
    };
    let row = OrgRow {
        id: id.to_owned(),
        name,
        kind: input.kind.code().to_owned(),
        region_code: region.code.clone(),
        region_path: region.path.clone(),
        specialty: input.specialty.map(|s| s.code().to_owned()),
        court_id: input.court_id.clone(),
        address,
        phone,
        active: true,
        created_at: ctx.at.as_micros(),
        updated_at: ctx.at.as_micros(),
    };
    let insert = Query::insert()
        .into_table(Organisations::Table)
        .columns(COLUMNS)
        .values_panic([
            row.id.clone().into(),
            row.name.clone().into(),
            row.kind.clone().into(),
            row.region_code.clone().into(),
            row.region_path.clone().into(),
            row.specialty.clone().into(),
            row.court_id.clone().into(),
            row.address.clone().into(),
            row.phone.clone().into(),
            row.active.into(),
            row.created_at.into(),
            row.updated_at.into(),
        ])
        .to_owned();
    tx.execute(&insert).await.map_err(|e| {
        StoreError::from_write(
            e,
            &[("region_code", "name"), ("name", "name"), ("id", "id")],
        )
    })?;
    audit::append(
        tx,
        ctx,
        "org.create",
        "org",
        &row.id,
        None::<&()>,
        Some(&row),
    )
    .await?;
    Ok(row)
}

impl Store {
    pub async fn create_org(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        id: &str,
        input: &NewOrg,
    ) -> Result<OrgRow> {
        let mut tx = self.begin().await?;
        let row = create_org_in(&mut tx, ctx, scope, id, input).await?;
        tx.commit().await?;
        Ok(row)
    }

    pub async fn get_org(&self, scope: &Scope, id: &str) -> Result<OrgRow> {
        let q = Query::select()
            .columns(COLUMNS)
            .from(Organisations::Table)
            .and_where(Expr::col(Organisations::Id).eq(id))
            .and_where(scope.path_condition(Organisations::RegionPath))
            .to_owned();
        self.fetch_optional(&q).await?.ok_or(StoreError::NotFound {
            entity: "organisation",
        })
    }

    pub async fn list_orgs(
        &self,
        scope: &Scope,
        filter: &OrgFilter,
        page: PageRequest,
    ) -> Result<Page<OrgRow>> {
        let mut q = Query::select();
        q.from(Organisations::Table)
            .and_where(scope.path_condition(Organisations::RegionPath));
        self.apply_org_filter(&mut q, filter).await?;
        let total = self
            .fetch_count(
                &q.clone()
                    .expr(Expr::col(Organisations::Id).count())
                    .to_owned(),
            )
            .await?;
        q.columns(COLUMNS)
            .order_by(Organisations::RegionPath, Order::Asc)
            .order_by(Organisations::Name, Order::Asc);
        page.apply(&mut q);
        Ok(Page::new(self.fetch_all(&q).await?, total, page))
    }

    async fn apply_org_filter(&self, q: &mut SelectStatement, filter: &OrgFilter) -> Result<()> {
        if let Some(kind) = filter.kind {
            q.and_where(Expr::col(Organisations::Kind).eq(kind.code()));
        }
        if let Some(code) = &filter.within_region {
            // Resolve the region's path unscoped: the scope condition above still applies.
            let path: Option<(String,)> = self
                .fetch_optional(
                    &Query::select()
                        .column(Regions::Path)
                        .from(Regions::Table)
                        .and_where(Expr::col(Regions::Code).eq(code.as_str()))
                        .to_owned(),
                )
                .await?;
            match path {
                Some((p,)) => {
                    q.and_where(Scope::Subtree(p).path_condition(Organisations::RegionPath))
                }
                None => q.and_where(Expr::value(false)),
            };
        }
        if let Some(text) = &filter.name_contains {
            q.and_where(Expr::col(Organisations::Name).like(crate::scope::contains(text)));
        }
        Ok(())
    }

    pub async fn update_org(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        id: &str,
        patch: &OrgPatch,
    ) -> Result<OrgRow> {
        let before = self.get_org(scope, id).await?;
        let mut after = before.clone();
        let mut problems = Problems::default();
        if let Some(n) = &patch.name {
            after.name = problems.text("name", n, 80);
        }
        if let Some(a) = &patch.address {
            after.address = problems.optional_text("address", a, 200);
        }
        if let Some(p) = &patch.phone {
            after.phone = problems.optional_text("phone", p, 32);
        }
        if let Some(a) = patch.active {
            after.active = a;
        }
        problems.finish().map_err(StoreError::Invalid)?;
        after.updated_at = ctx.at.as_micros();
        let mut tx = self.begin().await?;
        let update = Query::update()
            .table(Organisations::Table)
            .values([
                (Organisations::Name, after.name.clone().into()),
                (Organisations::Address, after.address.clone().into()),
                (Organisations::Phone, after.phone.clone().into()),
                (Organisations::Active, after.active.into()),
                (Organisations::UpdatedAt, after.updated_at.into()),
            ])
            .and_where(Expr::col(Organisations::Id).eq(id))
            .to_owned();
        tx.execute(&update)
            .await
            .map_err(|e| StoreError::from_write(e, &[("name", "name")]))?;
        audit::append(
            &mut tx,
            ctx,
            "org.update",
            "org",
            id,
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn all_orgs(&self, scope: &Scope) -> Result<Vec<OrgRow>> {
        let q = Query::select()
            .columns(COLUMNS)
            .from(Organisations::Table)
            .and_where(scope.path_condition(Organisations::RegionPath))
            .order_by(Organisations::RegionPath, Order::Asc)
            .order_by(Organisations::Name, Order::Asc)
            .to_owned();
        self.fetch_all(&q).await
    }

    /// Finds an organisation by its exact name within a region (imports refer to orgs by name).
    pub async fn find_org_by_name(
        &self,
        scope: &Scope,
        region_code: &str,
        name: &str,
    ) -> Result<Option<OrgRow>> {
        let q = Query::select()
            .columns(COLUMNS)
            .from(Organisations::Table)
            .and_where(Expr::col(Organisations::RegionCode).eq(region_code))
            .and_where(Expr::col(Organisations::Name).eq(name))
            .and_where(scope.path_condition(Organisations::RegionPath))
            .to_owned();
        self.fetch_optional(&q).await
    }
}

/// Column reference for joins from other tables.
pub(crate) fn org_col(c: Organisations) -> (Alias, Organisations) {
    (Alias::new("organisations"), c)
}
