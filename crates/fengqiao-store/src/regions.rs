//! Regions: the five-level tree with statistical codes, materialised paths for scope checks,
//! and GeoJSON geometry for grids and their parents.

use crate::audit::{self, AuditCtx};
use crate::db::{Store, Tx};
use crate::error::{Result, StoreError};
use crate::page::{Page, PageRequest};
use crate::scope::Scope;
use fengqiao_domain::region::{GridKind, RegionLevel, child_path, validate_code};
use fengqiao_domain::time::Timestamp;
use fengqiao_domain::validation::Problems;
use sea_query::{Expr, ExprTrait, Iden, Order, Query, SelectStatement};
use serde::{Deserialize, Serialize};

#[derive(Iden)]
pub(crate) enum Regions {
    Table,
    Code,
    Name,
    Level,
    ParentCode,
    Path,
    GridKind,
    Population,
    Geometry,
    CreatedAt,
    UpdatedAt,
}

/// A stored region.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct RegionRow {
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_code: Option<String>,
    pub path: String,
    pub grid_kind: Option<String>,
    pub population: Option<i64>,
    pub geometry: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl RegionRow {
    pub fn level(&self) -> Result<RegionLevel> {
        self.level.parse().map_err(StoreError::Corrupt)
    }
    /// The API's view: geometry as a GeoJSON object, instants as RFC 3339.
    pub fn view(&self) -> RegionView {
        RegionView {
            code: self.code.clone(),
            name: self.name.clone(),
            level: self.level.clone(),
            parent_code: self.parent_code.clone(),
            path: self.path.clone(),
            grid_kind: self.grid_kind.clone(),
            population: self.population,
            geometry: self
                .geometry
                .as_deref()
                .and_then(|g| serde_json::from_str(g).ok()),
            created_at: Timestamp::from_micros(self.created_at),
            updated_at: Timestamp::from_micros(self.updated_at),
        }
    }
}

/// A region as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RegionView {
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_code: Option<String>,
    pub path: String,
    pub grid_kind: Option<String>,
    pub population: Option<i64>,
    #[schema(value_type = Option<Object>)]
    pub geometry: Option<serde_json::Value>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Input for a new region.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRegion {
    pub code: String,
    pub name: String,
    pub level: RegionLevel,
    pub parent_code: Option<String>,
    pub grid_kind: Option<GridKind>,
    pub population: Option<i64>,
    /// GeoJSON Polygon or MultiPolygon geometry.
    #[schema(value_type = Option<Object>)]
    pub geometry: Option<serde_json::Value>,
}

/// Changes to a region; the code, level and parent never change (they define the path).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegionPatch {
    pub name: Option<String>,
    pub population: Option<i64>,
    #[schema(value_type = Option<Object>)]
    pub geometry: Option<serde_json::Value>,
}

/// Filters for listing regions.
#[derive(Debug, Clone, Default)]
pub struct RegionFilter {
    pub level: Option<RegionLevel>,
    pub parent_code: Option<String>,
    pub name_contains: Option<String>,
}

const COLUMNS: [Regions; 10] = [
    Regions::Code,
    Regions::Name,
    Regions::Level,
    Regions::ParentCode,
    Regions::Path,
    Regions::GridKind,
    Regions::Population,
    Regions::Geometry,
    Regions::CreatedAt,
    Regions::UpdatedAt,
];

/// A GeoJSON Polygon/MultiPolygon with numeric positions; the grid module checks topology.
pub fn check_geometry(field: &str, value: &serde_json::Value, problems: &mut Problems) {
    let kind = value.get("type").and_then(|t| t.as_str());
    let coords = value.get("coordinates").and_then(|c| c.as_array());
    match (kind, coords) {
        (Some("Polygon" | "MultiPolygon"), Some(c)) if !c.is_empty() => {}
        _ => problems.push(
            field,
            "bad_geometry",
            "必须是 GeoJSON Polygon 或 MultiPolygon 几何对象",
        ),
    }
}

fn get_region_query(scope: &Scope, code: &str) -> sea_query::SelectStatement {
    Query::select()
        .columns(COLUMNS)
        .from(Regions::Table)
        .and_where(Expr::col(Regions::Code).eq(code))
        .and_where(scope.path_condition(Regions::Path))
        .to_owned()
}

/// Reads a region inside a transaction (imports see the rows they wrote before).
pub(crate) async fn get_region_in(tx: &mut Tx, scope: &Scope, code: &str) -> Result<RegionRow> {
    tx.fetch_optional(&get_region_query(scope, code))
        .await?
        .ok_or(StoreError::NotFound { entity: "region" })
}

/// Validates and writes a region with its audit entry inside `tx`. A refused input writes nothing.
pub async fn create_region_in(
    tx: &mut Tx,
    ctx: &AuditCtx,
    scope: &Scope,
    input: &NewRegion,
) -> Result<RegionRow> {
    let mut problems = Problems::default();
    let name = problems.text("name", &input.name, 64);
    if let Some(g) = &input.geometry {
        check_geometry("geometry", g, &mut problems);
    }
    if input.population.is_some_and(|p| p < 0) {
        problems.push("population", "negative", "人口数不能为负");
    }
    match (input.level, input.grid_kind) {
        (RegionLevel::Grid, None) => problems.push("grid_kind", "required", "网格必须指明类型"),
        (l, Some(_)) if l != RegionLevel::Grid => {
            problems.push("grid_kind", "not_allowed", "只有网格有网格类型")
        }
        _ => {}
    }
    let parent = match &input.parent_code {
        Some(code) => match get_region_in(tx, scope, code).await {
            Ok(p) => Some(p),
            Err(StoreError::NotFound { .. }) => {
                problems.push(
                    "parent_code",
                    "not_found",
                    format!("上级区域 {code} 不存在或不在您的管辖范围"),
                );
                None
            }
            Err(e) => return Err(e),
        },
        None => None,
    };
    if input.parent_code.is_none()
        && !matches!(scope, Scope::Everything)
        && input.level != RegionLevel::City
    {
        problems.push("parent_code", "required", "必须指定上级区域");
    }
    if input.parent_code.is_none()
        && input.level == RegionLevel::City
        && !matches!(scope, Scope::Everything)
    {
        problems.push("level", "forbidden", "只有系统可以创建市级区域");
    }
    let parent_level = match &parent {
        Some(p) => Some(p.level()?),
        None => None,
    };
    let parent_ref = parent
        .as_ref()
        .zip(parent_level)
        .map(|(p, l)| (p.code.as_str(), l));
    if (input.parent_code.is_none() || parent.is_some())
        && let Err(e) = validate_code(&input.code, input.level, parent_ref)
    {
        problems.push("code", "bad_code", e.to_string());
    }
    if get_region_in(tx, &Scope::Everything, &input.code)
        .await
        .is_ok()
    {
        return Err(StoreError::Conflict {
            field: "code".into(),
        });
    }
    problems.finish().map_err(StoreError::Invalid)?;

    let row = RegionRow {
        code: input.code.clone(),
        name,
        level: input.level.code().to_owned(),
        parent_code: input.parent_code.clone(),
        path: child_path(parent.as_ref().map(|p| p.path.as_str()), &input.code),
        grid_kind: input.grid_kind.map(|k| k.code().to_owned()),
        population: input.population,
        geometry: input.geometry.as_ref().map(|g| g.to_string()),
        created_at: ctx.at.as_micros(),
        updated_at: ctx.at.as_micros(),
    };
    let insert = Query::insert()
        .into_table(Regions::Table)
        .columns(COLUMNS)
        .values_panic([
            row.code.clone().into(),
            row.name.clone().into(),
            row.level.clone().into(),
            row.parent_code.clone().into(),
            row.path.clone().into(),
            row.grid_kind.clone().into(),
            row.population.into(),
            row.geometry.clone().into(),
            row.created_at.into(),
            row.updated_at.into(),
        ])
        .to_owned();
    tx.execute(&insert)
        .await
        .map_err(|e| StoreError::from_write(e, &[("code", "code"), ("path", "code")]))?;
    audit::append(
        tx,
        ctx,
        "region.create",
        "region",
        &row.code,
        None::<&()>,
        Some(&summary(&row)),
    )
    .await?;
    Ok(row)
}

impl Store {
    pub async fn create_region(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        input: &NewRegion,
    ) -> Result<RegionRow> {
        let mut tx = self.begin().await?;
        let row = create_region_in(&mut tx, ctx, scope, input).await?;
        tx.commit().await?;
        Ok(row)
    }

    pub async fn get_region(&self, scope: &Scope, code: &str) -> Result<RegionRow> {
        let q = Query::select()
            .columns(COLUMNS)
            .from(Regions::Table)
            .and_where(Expr::col(Regions::Code).eq(code))
            .and_where(scope.path_condition(Regions::Path))
            .to_owned();
        self.fetch_optional(&q)
            .await?
            .ok_or(StoreError::NotFound { entity: "region" })
    }

    pub async fn list_regions(
        &self,
        scope: &Scope,
        filter: &RegionFilter,
        page: PageRequest,
    ) -> Result<Page<RegionRow>> {
        let mut q = Query::select();
        q.from(Regions::Table)
            .and_where(scope.path_condition(Regions::Path));
        apply_filter(&mut q, filter);
        let total = self
            .fetch_count(&q.clone().expr(Expr::col(Regions::Code).count()).to_owned())
            .await?;
        q.columns(COLUMNS).order_by(Regions::Code, Order::Asc);
        page.apply(&mut q);
        Ok(Page::new(self.fetch_all(&q).await?, total, page))
    }

    pub async fn update_region(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        code: &str,
        patch: &RegionPatch,
    ) -> Result<RegionRow> {
        let before = self.get_region(scope, code).await?;
        let mut problems = Problems::default();
        let mut after = before.clone();
        if let Some(name) = &patch.name {
            after.name = problems.text("name", name, 64);
        }
        if let Some(p) = patch.population {
            if p < 0 {
                problems.push("population", "negative", "人口数不能为负");
            }
            after.population = Some(p);
        }
        if let Some(g) = &patch.geometry {
            check_geometry("geometry", g, &mut problems);
            after.geometry = Some(g.to_string());
        }
        problems.finish().map_err(StoreError::Invalid)?;
        after.updated_at = ctx.at.as_micros();
        let mut tx = self.begin().await?;
        let update = Query::update()
            .table(Regions::Table)
            .values([
                (Regions::Name, after.name.clone().into()),
                (Regions::Population, after.population.into()),
                (Regions::Geometry, after.geometry.clone().into()),
                (Regions::UpdatedAt, after.updated_at.into()),
            ])
            .and_where(Expr::col(Regions::Code).eq(code))
            .to_owned();
        tx.execute(&update).await?;
        audit::append(
            &mut tx,
            ctx,
            "region.update",
            "region",
            code,
            Some(&summary(&before)),
            Some(&summary(&after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Every region in scope, for exports (geometry included).
    pub async fn all_regions(&self, scope: &Scope) -> Result<Vec<RegionRow>> {
        let q = Query::select()
            .columns(COLUMNS)
            .from(Regions::Table)
            .and_where(scope.path_condition(Regions::Path))
            .order_by(Regions::Path, Order::Asc)
            .to_owned();
        self.fetch_all(&q).await
    }

    pub async fn count_regions(&self) -> Result<i64> {
        self.fetch_count(
            &Query::select()
                .expr(Expr::col(Regions::Code).count())
                .from(Regions::Table)
                .to_owned(),
        )
        .await
    }
}

fn apply_filter(q: &mut SelectStatement, filter: &RegionFilter) {
    if let Some(level) = filter.level {
        q.and_where(Expr::col(Regions::Level).eq(level.code()));
    }
    if let Some(parent) = &filter.parent_code {
        q.and_where(Expr::col(Regions::ParentCode).eq(parent.as_str()));
    }
    if let Some(text) = &filter.name_contains {
        q.and_where(Expr::col(Regions::Name).like(crate::scope::contains(text)));
    }
}

/// What the audit trail keeps of a region: everything but the (large) geometry, which is hashed.
fn summary(row: &RegionRow) -> serde_json::Value {
    use sha2::Digest;
    serde_json::json!({
        "code": row.code, "name": row.name, "level": row.level, "parent_code": row.parent_code,
        "grid_kind": row.grid_kind, "population": row.population,
        "geometry_sha256": row.geometry.as_ref().map(|g| hex::encode(sha2::Sha256::digest(g.as_bytes()))),
    })
}
