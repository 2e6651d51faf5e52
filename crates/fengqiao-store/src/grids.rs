//! Grid geometry: import, export and edit grid polygons, grid workers, the point → grid lookup.
//!
//! Grids are `regions` rows of level `grid`. Their polygons are checked by `fengqiao-grid`
//! (shape, topology, inside the parent community) before anything is written; every geometry a
//! grid has had is kept in `grid_geometry_history`.

use crate::audit::{self, AuditCtx};
use crate::db::{Store, Tx};
use crate::error::{Result, StoreError};
use crate::orgs::Organisations;
use crate::regions::{NewRegion, RegionRow, RegionView, Regions, create_region_in, get_region_in};
use crate::scope::Scope;
use crate::users::{Users, parse_roles};
use fengqiao_domain::region::{GridKind, RegionLevel};
use fengqiao_domain::role::Role;
use fengqiao_domain::validation::FieldError;
use fengqiao_grid::{
    FeatureError, GridFeature, GridShape, MultiPolygon, PARENT_TOLERANCE_DEG, check_within_parent,
    parse_features, parse_geometry, validate_geometry,
};
use sea_query::{Alias, Expr, ExprTrait, Iden, Order, Query, SelectStatement};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[derive(Iden)]
enum GridWorkers {
    Table,
    GridCode,
    UserId,
    AssignedAt,
    AssignedBy,
}

#[derive(Iden)]
enum GridGeometryHistory {
    Table,
    GridCode,
    Version,
    Geometry,
    Source,
    ChangedAt,
    ChangedBy,
    RequestId,
}

/// The grid-event table (migration 0007, owned by the grid-event work): only counted here.
#[derive(Iden)]
enum GridEvents {
    Table,
    Status,
    GridCode,
    GridCodes,
}

/// Event statuses that end an event's handling; everything else counts as open.
pub const FINISHED_EVENT_STATUSES: [&str; 4] =
    ["closed", "evaluated", "rejected", "transferred_to_dispute"];

const REGION_COLUMNS: [Regions; 10] = [
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

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct GridImportReport {
    /// Codes of the grids created, in file order.
    pub created: Vec<String>,
    /// Codes of the grids whose name, kind, population or geometry were replaced.
    pub updated: Vec<String>,
    /// Parent communities without a (readable) polygon: their grids could not be checked
    /// against them and were accepted on their own checks.
    pub parents_without_geometry: Vec<String>,
}

/// The result of replacing one grid's polygon.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct GeometryChange {
    pub grid: RegionView,
    /// The new geometry's number in the grid's history.
    pub version: i64,
    /// False when the parent community has no polygon to check against.
    pub parent_checked: bool,
}

/// One geometry a grid has had.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct GeometryVersionRow {
    pub grid_code: String,
    pub version: i64,
    #[serde(serialize_with = "json_text")]
    #[schema(value_type = Option<Object>)]
    pub geometry: Option<String>,
    /// `import`, `edit`, or `unrecorded`: a polygon written outside the grid API (the demo seed,
    /// the regions API), recorded when a grid change replaced it.
    pub source: String,
    #[serde(serialize_with = "crate::page::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub changed_at: i64,
    pub changed_by: Option<String>,
    pub request_id: Option<String>,
}

fn json_text<S: serde::Serializer>(text: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    let value = text
        .as_deref()
        .and_then(|t| serde_json::from_str::<Value>(t).ok());
    value.serialize(s)
}

/// A grid worker (网格员) assigned to a grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct GridWorkerRow {
    pub grid_code: String,
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub phone_masked: Option<String>,
    pub org_name: String,
    #[serde(serialize_with = "crate::page::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub assigned_at: i64,
}

/// A region named on a grid's way up to the city.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct RegionRef {
    pub code: String,
    pub name: String,
    pub level: String,
}

/// Grid events of one grid by status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct GridEventCounts {
    pub total: i64,
    /// Not closed, evaluated, rejected or transferred to a dispute case.
    pub open: i64,
    pub by_status: BTreeMap<String, i64>,
}

/// What a click on a grid shows (一格一档): the grid, where it sits, who works it, its events.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct GridSummary {
    pub grid: RegionView,
    /// From the city down to the parent community.
    pub parents: Vec<RegionRef>,
    pub workers: Vec<GridWorkerRow>,
    pub events: GridEventCounts,
}

/// A grid a point fell into, with its place in the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct GridPlace {
    pub code: String,
    pub name: String,
    pub grid_kind: Option<String>,
    /// Materialised path of codes (`/339900/339902/…/`).
    pub path: String,
    /// From the city down to the parent community.
    pub parents: Vec<RegionRef>,
}

/// A parent community as an import sees it.
struct ParentInfo {
    row: RegionRow,
    /// `None` when it has no polygon or an unreadable one: the containment check is skipped.
    polygon: Option<MultiPolygon<f64>>,
}

fn feature_field_error(e: FeatureError) -> FieldError {
    FieldError::new(e.field, e.code, e.message)
}

fn not_a_grid() -> StoreError {
    StoreError::NotFound { entity: "grid" }
}

fn region_select() -> SelectStatement {
    Query::select()
        .columns(REGION_COLUMNS)
        .from(Regions::Table)
        .to_owned()
}

/// Reads a grid in scope inside `tx`; other levels are "not found".
async fn get_grid_in(tx: &mut Tx, scope: &Scope, code: &str) -> Result<RegionRow> {
    let row = get_region_in(tx, scope, code).await.map_err(|e| match e {
        StoreError::NotFound { .. } => not_a_grid(),
        other => other,
    })?;
    if row.level != RegionLevel::Grid.code() {
        return Err(not_a_grid());
    }
    Ok(row)
}

/// The parent's polygon, if it has a readable one (shape only: a parent drawn before validation
/// existed still bounds its grids).
fn parent_polygon(row: &RegionRow) -> Option<MultiPolygon<f64>> {
    let text = row.geometry.as_deref()?;
    let value: Value = serde_json::from_str(text).ok()?;
    parse_geometry(&value).ok().map(|p| p.polygons)
}

/// What the audit trail keeps of a grid: the geometry only as its hash.
fn audit_summary(row: &RegionRow) -> Value {
    use sha2::Digest;
    json!({
        "code": row.code, "name": row.name, "parent_code": row.parent_code,
        "grid_kind": row.grid_kind, "population": row.population,
        "geometry_sha256": row.geometry.as_ref().map(|g| hex::encode(sha2::Sha256::digest(g.as_bytes()))),
    })
}

/// Appends `geometry` to the grid's history. When the geometry it replaces is not the newest
/// recorded one (the grid was drawn by the demo seed or edited through the regions API), that
/// one is recorded first with source `unrecorded`, so no polygon a grid had is lost. Returns the
/// new version number.
async fn record_geometry(
    tx: &mut Tx,
    ctx: &AuditCtx,
    code: &str,
    replaced: Option<&RegionRow>,
    geometry: &str,
    source: &str,
) -> Result<i64> {
    let last: Option<(i64, Option<String>)> = tx
        .fetch_optional(
            &Query::select()
                .columns([GridGeometryHistory::Version, GridGeometryHistory::Geometry])
                .from(GridGeometryHistory::Table)
                .and_where(Expr::col(GridGeometryHistory::GridCode).eq(code))
                .order_by(GridGeometryHistory::Version, Order::Desc)
                .limit(1)
                .to_owned(),
        )
        .await?;
    let (mut version, last_geometry) = last.unwrap_or((0, None));
    let insert = |version: i64,
                  geometry: Option<String>,
                  source: &str,
                  at: i64,
                  by: Option<String>,
                  request: Option<String>| {
        Query::insert()
            .into_table(GridGeometryHistory::Table)
            .columns([
                GridGeometryHistory::GridCode,
                GridGeometryHistory::Version,
                GridGeometryHistory::Geometry,
                GridGeometryHistory::Source,
                GridGeometryHistory::ChangedAt,
                GridGeometryHistory::ChangedBy,
                GridGeometryHistory::RequestId,
            ])
            .values_panic([
                code.into(),
                version.into(),
                geometry.into(),
                source.into(),
                at.into(),
                by.into(),
                request.into(),
            ])
            .to_owned()
    };
    if let Some(old) = replaced
        && let Some(g) = &old.geometry
        && last_geometry.as_deref() != Some(g.as_str())
    {
        version += 1;
        tx.execute(&insert(
            version,
            Some(g.clone()),
            "unrecorded",
            old.updated_at,
            None,
            None,
        ))
        .await?;
    }
    version += 1;
    tx.execute(&insert(
        version,
        Some(geometry.to_owned()),
        source,
        ctx.at.as_micros(),
        ctx.actor_user_id.clone(),
        ctx.request_id.clone(),
    ))
    .await?;
    Ok(version)
}

/// Checks one parsed feature against the database: its parent community (in scope, with the
/// grid inside its polygon) and any grid already stored under the code. `Ok(Err(_))` is the
/// feature's one problem; `Err(_)` a database failure.
async fn check_feature(
    tx: &mut Tx,
    scope: &Scope,
    feature: &GridFeature,
    parents: &mut HashMap<String, Option<ParentInfo>>,
) -> Result<std::result::Result<Option<RegionRow>, FieldError>> {
    let fail = |suffix: &str, code: &str, problem: String| {
        feature_field_error(FeatureError::at(
            feature.index,
            Some(&feature.code),
            suffix,
            code,
            problem,
        ))
    };
    if !parents.contains_key(&feature.parent_code) {
        let info = match get_region_in(tx, scope, &feature.parent_code).await {
            Ok(row) => Some(ParentInfo {
                polygon: parent_polygon(&row),
                row,
            }),
            Err(StoreError::NotFound { .. }) => None,
            Err(e) => return Err(e),
        };
        parents.insert(feature.parent_code.clone(), info);
    }
    let Some(parent) = parents.get(&feature.parent_code).and_then(Option::as_ref) else {
        return Ok(Err(fail(
            ".properties.parent_code",
            "not_found",
            format!("上级社区 {} 不存在或不在您的管辖范围", feature.parent_code),
        )));
    };
    if parent.row.level != RegionLevel::Community.code() {
        return Ok(Err(fail(
            ".properties.parent_code",
            "not_a_community",
            format!("{} 不是社区/村，网格只能建在社区/村之下", parent.row.code),
        )));
    }
    let existing = match get_region_in(tx, &Scope::Everything, &feature.code).await {
        Ok(row) => Some(row),
        Err(StoreError::NotFound { .. }) => None,
        Err(e) => return Err(e),
    };
    if let Some(row) = &existing {
        if row.level != RegionLevel::Grid.code() {
            return Ok(Err(fail(
                ".properties.code",
                "conflict",
                format!("编码 {} 已被一个{}使用", row.code, row.level),
            )));
        }
        if row.parent_code.as_deref() != Some(feature.parent_code.as_str()) {
            return Ok(Err(fail(
                ".properties.parent_code",
                "parent_changed",
                "已有网格不能更换上级社区".into(),
            )));
        }
    }
    if let Some(polygon) = &parent.polygon
        && let Err(e) = check_within_parent(
            &feature.geometry.polygons,
            polygon,
            &parent.row.code,
            PARENT_TOLERANCE_DEG,
        )
    {
        return Ok(Err(feature_field_error(FeatureError::geometry(
            feature.index,
            Some(&feature.code),
            &e,
        ))));
    }
    Ok(Ok(existing))
}

/// Adds `user_id` to the grid's workers inside `tx` (the demo seed calls it in its own
/// transaction). The user must be a grid worker in the caller's scope.
pub async fn assign_grid_worker_in(
    tx: &mut Tx,
    ctx: &AuditCtx,
    scope: &Scope,
    grid_code: &str,
    user_id: &str,
) -> Result<()> {
    get_grid_in(tx, scope, grid_code).await?;
    let user: Option<(String, bool)> = tx
        .fetch_optional(
            &Query::select()
                .column((Users::Table, Users::Roles))
                .column((Users::Table, Users::Active))
                .from(Users::Table)
                .inner_join(
                    Organisations::Table,
                    Expr::col((Organisations::Table, Organisations::Id))
                        .equals((Users::Table, Users::OrgId)),
                )
                .and_where(Expr::col((Users::Table, Users::Id)).eq(user_id))
                .and_where(scope.path_condition((Organisations::Table, Organisations::RegionPath)))
                .to_owned(),
        )
        .await?;
    let Some((roles, active)) = user else {
        return Err(StoreError::invalid(
            "user_id",
            "not_found",
            "用户不存在或不在您的管辖范围",
        ));
    };
    if !parse_roles(&roles)?.contains(&Role::GridWorker) {
        return Err(StoreError::invalid(
            "user_id",
            "not_grid_worker",
            "只能指派具有网格员角色的用户",
        ));
    }
    if !active {
        return Err(StoreError::invalid("user_id", "inactive", "该用户已停用"));
    }
    tx.execute(
        &Query::insert()
            .into_table(GridWorkers::Table)
            .columns([
                GridWorkers::GridCode,
                GridWorkers::UserId,
                GridWorkers::AssignedAt,
                GridWorkers::AssignedBy,
            ])
            .values_panic([
                grid_code.into(),
                user_id.into(),
                ctx.at.as_micros().into(),
                ctx.actor_user_id.clone().into(),
            ])
            .to_owned(),
    )
    .await
    .map_err(|e| StoreError::from_write(e, &[("grid_workers", "user_id")]))?;
    audit::append(
        tx,
        ctx,
        "grid.worker.assign",
        "grid",
        grid_code,
        None::<&()>,
        Some(&json!({ "user_id": user_id })),
    )
    .await?;
    Ok(())
}

impl Store {
    /// Imports a GeoJSON FeatureCollection of grids: all or nothing. Every feature is checked
    /// first (shape, topology, code, parent in scope, inside the parent's polygon); when any is
    /// bad nothing is written and each bad feature's one error comes back
    /// (`features[3].geometry` …). Otherwise grids are created or updated, each audited, and
    /// every new polygon is added to the grid's geometry history.
    pub async fn import_grids(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        collection: &Value,
    ) -> Result<GridImportReport> {
        let features = parse_features(collection).map_err(|errors| {
            StoreError::Invalid(errors.into_iter().map(feature_field_error).collect())
        })?;
        let mut tx = self.begin().await?;
        let mut parents = HashMap::new();
        let mut checked = Vec::with_capacity(features.len());
        let mut errors = Vec::new();
        for feature in &features {
            match check_feature(&mut tx, scope, feature, &mut parents).await? {
                Ok(existing) => checked.push((feature, existing)),
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let mut report = GridImportReport {
            parents_without_geometry: parents
                .values()
                .flatten()
                .filter(|p| p.polygon.is_none())
                .map(|p| p.row.code.clone())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
            ..GridImportReport::default()
        };
        for (feature, existing) in checked {
            let geometry = feature.geometry_json.to_string();
            match existing {
                None => {
                    let input = NewRegion {
                        code: feature.code.clone(),
                        name: feature.name.clone(),
                        level: RegionLevel::Grid,
                        parent_code: Some(feature.parent_code.clone()),
                        grid_kind: Some(feature.grid_kind),
                        population: feature.population,
                        geometry: Some(feature.geometry_json.clone()),
                    };
                    let row = create_region_in(&mut tx, ctx, scope, &input).await?;
                    if let Some(g) = &row.geometry {
                        record_geometry(&mut tx, ctx, &row.code, None, g, "import").await?;
                    }
                    report.created.push(row.code);
                }
                Some(before) => {
                    let mut after = before.clone();
                    after.name = feature.name.clone();
                    after.grid_kind = Some(feature.grid_kind.code().to_owned());
                    after.population = feature.population;
                    after.geometry = Some(geometry.clone());
                    after.updated_at = ctx.at.as_micros();
                    tx.execute(
                        &Query::update()
                            .table(Regions::Table)
                            .values([
                                (Regions::Name, after.name.clone().into()),
                                (Regions::GridKind, after.grid_kind.clone().into()),
                                (Regions::Population, after.population.into()),
                                (Regions::Geometry, after.geometry.clone().into()),
                                (Regions::UpdatedAt, after.updated_at.into()),
                            ])
                            .and_where(Expr::col(Regions::Code).eq(before.code.as_str()))
                            .to_owned(),
                    )
                    .await?;
                    if before.geometry.as_deref() != Some(geometry.as_str()) {
                        record_geometry(
                            &mut tx,
                            ctx,
                            &before.code,
                            Some(&before),
                            &geometry,
                            "import",
                        )
                        .await?;
                    }
                    audit::append(
                        &mut tx,
                        ctx,
                        "grid.import.update",
                        "region",
                        &before.code,
                        Some(&audit_summary(&before)),
                        Some(&audit_summary(&after)),
                    )
                    .await?;
                    report.updated.push(before.code);
                }
            }
        }
        tx.commit().await?;
        Ok(report)
    }

    /// The grids in scope (under `under` when given) as a GeoJSON FeatureCollection in the
    /// import's format, so an export can be edited and imported back.
    pub async fn export_grids(&self, scope: &Scope, under: Option<&str>) -> Result<Value> {
        let mut q = region_select();
        q.and_where(Expr::col(Regions::Level).eq(RegionLevel::Grid.code()))
            .and_where(scope.path_condition(Regions::Path))
            .order_by(Regions::Code, Order::Asc);
        if let Some(code) = under {
            let root = self.get_region(scope, code).await.map_err(|e| match e {
                StoreError::NotFound { .. } => StoreError::invalid(
                    "under",
                    "not_found",
                    format!("区域 {code} 不存在或不在您的管辖范围"),
                ),
                other => other,
            })?;
            q.and_where(Scope::Subtree(root.path).path_condition(Regions::Path));
        }
        let rows: Vec<RegionRow> = self.fetch_all(&q).await?;
        let features: Vec<Value> = rows
            .iter()
            .map(|r| {
                json!({
                    "type": "Feature",
                    "id": r.code,
                    "properties": {
                        "code": r.code, "name": r.name, "parent_code": r.parent_code,
                        "grid_kind": r.grid_kind, "population": r.population,
                    },
                    "geometry": r.geometry.as_deref()
                        .and_then(|g| serde_json::from_str::<Value>(g).ok()),
                })
            })
            .collect();
        Ok(json!({ "type": "FeatureCollection", "features": features }))
    }

    /// Replaces one grid's polygon after the full check (and the parent check when the parent
    /// has a polygon), keeping the old one in the history; audited.
    pub async fn update_grid_geometry(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        code: &str,
        geometry: &Value,
    ) -> Result<GeometryChange> {
        let parsed = validate_geometry(geometry)
            .map_err(|e| StoreError::invalid("geometry", e.code(), e.to_string()))?;
        let mut tx = self.begin().await?;
        let before = get_grid_in(&mut tx, scope, code).await?;
        let parent = match &before.parent_code {
            Some(p) => Some(get_region_in(&mut tx, &Scope::Everything, p).await?),
            None => None,
        };
        let parent_polygon = parent.as_ref().and_then(parent_polygon);
        if let (Some(parent), Some(polygon)) = (&parent, &parent_polygon) {
            check_within_parent(
                &parsed.polygons,
                polygon,
                &parent.code,
                PARENT_TOLERANCE_DEG,
            )
            .map_err(|e| StoreError::invalid("geometry", e.code(), e.to_string()))?;
        }
        let text = geometry.to_string();
        let mut after = before.clone();
        after.geometry = Some(text.clone());
        after.updated_at = ctx.at.as_micros();
        tx.execute(
            &Query::update()
                .table(Regions::Table)
                .values([
                    (Regions::Geometry, after.geometry.clone().into()),
                    (Regions::UpdatedAt, after.updated_at.into()),
                ])
                .and_where(Expr::col(Regions::Code).eq(code))
                .to_owned(),
        )
        .await?;
        let version = record_geometry(&mut tx, ctx, code, Some(&before), &text, "edit").await?;
        audit::append(
            &mut tx,
            ctx,
            "grid.geometry.update",
            "region",
            code,
            Some(&audit_summary(&before)),
            Some(&audit_summary(&after)),
        )
        .await?;
        tx.commit().await?;
        Ok(GeometryChange {
            grid: after.view(),
            version,
            parent_checked: parent_polygon.is_some(),
        })
    }

    /// Every recorded geometry of a grid in scope, oldest first.
    pub async fn grid_geometry_history(
        &self,
        scope: &Scope,
        code: &str,
    ) -> Result<Vec<GeometryVersionRow>> {
        self.get_grid(scope, code).await?;
        self.fetch_all(
            &Query::select()
                .columns([
                    GridGeometryHistory::GridCode,
                    GridGeometryHistory::Version,
                    GridGeometryHistory::Geometry,
                    GridGeometryHistory::Source,
                    GridGeometryHistory::ChangedAt,
                    GridGeometryHistory::ChangedBy,
                    GridGeometryHistory::RequestId,
                ])
                .from(GridGeometryHistory::Table)
                .and_where(Expr::col(GridGeometryHistory::GridCode).eq(code))
                .order_by(GridGeometryHistory::Version, Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// A grid in scope; other levels are "not found".
    pub async fn get_grid(&self, scope: &Scope, code: &str) -> Result<RegionRow> {
        let row = self.get_region(scope, code).await.map_err(|e| match e {
            StoreError::NotFound { .. } => not_a_grid(),
            other => other,
        })?;
        if row.level != RegionLevel::Grid.code() {
            return Err(not_a_grid());
        }
        Ok(row)
    }

    pub async fn assign_grid_worker(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        grid_code: &str,
        user_id: &str,
    ) -> Result<GridWorkerRow> {
        let mut tx = self.begin().await?;
        assign_grid_worker_in(&mut tx, ctx, scope, grid_code, user_id).await?;
        tx.commit().await?;
        self.grid_workers(scope, grid_code)
            .await?
            .into_iter()
            .find(|w| w.user_id == user_id)
            .ok_or(StoreError::NotFound {
                entity: "grid worker",
            })
    }

    pub async fn unassign_grid_worker(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        grid_code: &str,
        user_id: &str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        get_grid_in(&mut tx, scope, grid_code).await?;
        let removed = tx
            .execute(
                &Query::delete()
                    .from_table(GridWorkers::Table)
                    .and_where(Expr::col(GridWorkers::GridCode).eq(grid_code))
                    .and_where(Expr::col(GridWorkers::UserId).eq(user_id))
                    .to_owned(),
            )
            .await?;
        if removed == 0 {
            return Err(StoreError::NotFound {
                entity: "grid worker",
            });
        }
        audit::append(
            &mut tx,
            ctx,
            "grid.worker.unassign",
            "grid",
            grid_code,
            Some(&json!({ "user_id": user_id })),
            None::<&()>,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The workers of a grid in scope, by username.
    pub async fn grid_workers(&self, scope: &Scope, grid_code: &str) -> Result<Vec<GridWorkerRow>> {
        self.get_grid(scope, grid_code).await?;
        self.fetch_all(
            &Query::select()
                .column((GridWorkers::Table, GridWorkers::GridCode))
                .column((GridWorkers::Table, GridWorkers::UserId))
                .column((Users::Table, Users::Username))
                .column((Users::Table, Users::DisplayName))
                .column((Users::Table, Users::PhoneMasked))
                .expr_as(
                    Expr::col((Organisations::Table, Organisations::Name)),
                    Alias::new("org_name"),
                )
                .column((GridWorkers::Table, GridWorkers::AssignedAt))
                .from(GridWorkers::Table)
                .inner_join(
                    Users::Table,
                    Expr::col((Users::Table, Users::Id))
                        .equals((GridWorkers::Table, GridWorkers::UserId)),
                )
                .inner_join(
                    Organisations::Table,
                    Expr::col((Organisations::Table, Organisations::Id))
                        .equals((Users::Table, Users::OrgId)),
                )
                .and_where(Expr::col((GridWorkers::Table, GridWorkers::GridCode)).eq(grid_code))
                .order_by((Users::Table, Users::Username), Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// The grid, its parents' names, its workers and its events by status.
    pub async fn grid_summary(&self, scope: &Scope, code: &str) -> Result<GridSummary> {
        let grid = self.get_grid(scope, code).await?;
        let parents = self
            .parent_refs(std::slice::from_ref(&grid))
            .await?
            .remove(&grid.code)
            .unwrap_or_default();
        let workers = self.grid_workers(scope, code).await?;
        // An event counts for every grid its point fell into: its main grid, or any of
        // `grid_codes` (an industry grid over the territorial one).
        let rows: Vec<(String, i64)> = self
            .fetch_all(
                &Query::select()
                    .column(GridEvents::Status)
                    .expr(Expr::col(GridEvents::Status).count())
                    .from(GridEvents::Table)
                    .and_where(
                        Expr::col(GridEvents::GridCode)
                            .eq(code)
                            .or(Expr::col(GridEvents::GridCodes)
                                .like(crate::scope::contains(&format!("\"{code}\"")))),
                    )
                    .group_by_col(GridEvents::Status)
                    .to_owned(),
            )
            .await?;
        let mut events = GridEventCounts::default();
        for (status, n) in rows {
            events.total += n;
            if !FINISHED_EVENT_STATUSES.contains(&status.as_str()) {
                events.open += n;
            }
            *events.by_status.entry(status).or_default() += n;
        }
        Ok(GridSummary {
            grid: grid.view(),
            parents,
            workers,
            events,
        })
    }

    /// The grids among `codes` that `scope` covers, with their parents' names, in `codes` order.
    pub async fn grid_places(&self, scope: &Scope, codes: &[&str]) -> Result<Vec<GridPlace>> {
        if codes.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<RegionRow> = self
            .fetch_all(
                &region_select()
                    .and_where(Expr::col(Regions::Code).is_in(codes.iter().copied()))
                    .and_where(Expr::col(Regions::Level).eq(RegionLevel::Grid.code()))
                    .and_where(scope.path_condition(Regions::Path))
                    .to_owned(),
            )
            .await?;
        let mut parents = self.parent_refs(&rows).await?;
        let mut by_code: HashMap<&str, &RegionRow> =
            rows.iter().map(|r| (r.code.as_str(), r)).collect();
        Ok(codes
            .iter()
            .filter_map(|c| by_code.remove(c))
            .map(|r| GridPlace {
                code: r.code.clone(),
                name: r.name.clone(),
                grid_kind: r.grid_kind.clone(),
                path: r.path.clone(),
                parents: parents.remove(&r.code).unwrap_or_default(),
            })
            .collect())
    }

    /// For each row, the regions on its path above it, city first. Names above the caller's
    /// jurisdiction are shown too: they say where the grid is, not what is in those regions.
    async fn parent_refs(&self, rows: &[RegionRow]) -> Result<HashMap<String, Vec<RegionRef>>> {
        let ancestors = |r: &RegionRow| -> Vec<String> {
            r.path
                .split('/')
                .filter(|s| !s.is_empty() && *s != r.code)
                .map(str::to_owned)
                .collect()
        };
        let wanted: BTreeSet<String> = rows.iter().flat_map(ancestors).collect();
        if wanted.is_empty() {
            return Ok(HashMap::new());
        }
        let refs: Vec<RegionRef> = self
            .fetch_all(
                &Query::select()
                    .columns([Regions::Code, Regions::Name, Regions::Level])
                    .from(Regions::Table)
                    .and_where(Expr::col(Regions::Code).is_in(wanted.iter().map(String::as_str)))
                    .to_owned(),
            )
            .await?;
        let by_code: HashMap<&str, &RegionRef> =
            refs.iter().map(|r| (r.code.as_str(), r)).collect();
        Ok(rows
            .iter()
            .map(|r| {
                let chain = ancestors(r)
                    .iter()
                    .filter_map(|c| by_code.get(c.as_str()).map(|x| (*x).clone()))
                    .collect();
                (r.code.clone(), chain)
            })
            .collect())
    }

    /// Every grid with a readable polygon, for the in-memory index (unscoped: the index serves
    /// everyone and answers are scoped when shown). Returns the shapes and how many grids were
    /// skipped for an unreadable geometry or kind.
    pub async fn grid_shapes(&self) -> Result<(Vec<GridShape>, usize)> {
        let rows: Vec<(String, Option<String>, Option<String>)> = self
            .fetch_all(
                &Query::select()
                    .columns([Regions::Code, Regions::GridKind, Regions::Geometry])
                    .from(Regions::Table)
                    .and_where(Expr::col(Regions::Level).eq(RegionLevel::Grid.code()))
                    .and_where(Expr::col(Regions::Geometry).is_not_null())
                    .to_owned(),
            )
            .await?;
        let mut shapes = Vec::with_capacity(rows.len());
        let mut skipped = 0;
        for (code, kind, geometry) in rows {
            let kind = kind.as_deref().and_then(|k| k.parse::<GridKind>().ok());
            let parsed = geometry
                .as_deref()
                .and_then(|g| serde_json::from_str::<Value>(g).ok())
                .and_then(|v| parse_geometry(&v).ok());
            match (kind, parsed) {
                (Some(kind), Some(p)) => shapes.push(GridShape {
                    code,
                    kind,
                    geometry: p.polygons,
                }),
                _ => skipped += 1,
            }
        }
        Ok((shapes, skipped))
    }
}
