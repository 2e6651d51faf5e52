//! The device registry: owners (identifiers encrypted and masked), vehicles, devices and tags,
//! readers with place and radius; and the compact rows the ingestion index is built from.

use super::{LEVELS, PROTOCOLS, ROLE_OWNER_TAG, ROLE_VEHICLE, VEHICLE_KINDS, n};
use crate::audit::{self, AuditCtx};
use crate::crypto::FieldCipher;
use crate::db::{Store, Tx};
use crate::error::{Result, StoreError};
use crate::page::{Page, PageRequest};
use crate::regions::get_region_in;
use crate::scope::{Scope, contains};
use fengqiao_domain::identifiers::{MobileNumber, ResidentId};
use fengqiao_domain::validation::Problems;
use sea_query::{Cond, Expr, ExprTrait, JoinType, Order, Query, SelectStatement};
use serde::Serialize;

/// A vehicle owner as input.
#[derive(Debug, Clone)]
pub struct NewOwner {
    pub name: String,
    pub phone: Option<MobileNumber>,
    pub id_number: Option<ResidentId>,
    pub region_code: String,
}

/// What lists show of an owner: identifiers masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct OwnerView {
    pub id: String,
    pub name: String,
    pub phone_masked: Option<String>,
    pub id_number_masked: Option<String>,
    pub region_path: String,
}

#[derive(Debug, Clone)]
pub struct NewVehicle {
    pub plate: String,
    /// motorcycle | e_bike | car | truck
    pub kind: String,
    pub description: String,
    pub owner_id: Option<String>,
    pub region_code: String,
}

/// A vehicle with its owner (masked) and watchlist state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct VehicleView {
    pub id: String,
    pub plate: String,
    pub kind: String,
    pub description: String,
    pub owner_id: Option<String>,
    pub owner_name: Option<String>,
    pub owner_phone_masked: Option<String>,
    pub region_path: String,
    pub stolen: bool,
    #[schema(value_type = Option<i64>)]
    pub stolen_at: Option<i64>,
    pub stolen_note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewDevice {
    /// IMEI (GT06), terminal phone (JT/T 808) or tag id: what the device sends.
    pub identifier: String,
    /// gt06 | jt808 | tag | mqtt
    pub protocol: String,
    /// vehicle | owner_tag
    pub role: String,
    pub vehicle_id: Option<String>,
    pub region_code: String,
}

/// A stored device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct DeviceRow {
    pub id: String,
    pub identifier: String,
    pub protocol: String,
    pub role: String,
    pub vehicle_id: Option<String>,
    pub region_path: String,
}

/// A device as the registry page shows it: vehicle, owner (masked) and last known position.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct DeviceView {
    pub id: String,
    pub identifier: String,
    pub protocol: String,
    pub role: String,
    pub vehicle_id: Option<String>,
    pub plate: Option<String>,
    pub vehicle_kind: Option<String>,
    pub stolen: Option<bool>,
    pub owner_name: Option<String>,
    pub owner_phone_masked: Option<String>,
    pub region_path: String,
    /// Last known position: device time (UTC micros) and micro-degrees.
    pub last_at: Option<i64>,
    pub last_lat_e6: Option<i64>,
    pub last_lon_e6: Option<i64>,
    pub last_source: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewReader {
    pub code: String,
    pub name: String,
    pub lat_e6: i64,
    pub lon_e6: i64,
    pub radius_m: i64,
    pub address: String,
    pub region_code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ReaderView {
    pub id: String,
    pub code: String,
    pub name: String,
    pub lat_e6: i64,
    pub lon_e6: i64,
    pub radius_m: i64,
    pub address: String,
    pub region_path: String,
}

/// One device as the ingestion index holds it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct IndexDevice {
    pub identifier: String,
    pub device_id: String,
    pub role: String,
    pub vehicle_id: Option<String>,
    pub plate: Option<String>,
    pub stolen: Option<bool>,
    pub region_path: String,
}

pub type IndexReader = ReaderView;

/// Filters for registry lists.
#[derive(Debug, Clone, Default)]
pub struct RegistryFilter {
    /// Substring of identifier, plate, reader code or name.
    pub q: Option<String>,
    pub stolen_only: bool,
}

fn region_path_problem(problems: &mut Problems, err: StoreError) -> Result<()> {
    match err {
        StoreError::NotFound { .. } => {
            problems.push(
                "region_code",
                "not_found",
                "所属区域不存在或不在您的管辖范围",
            );
            Ok(())
        }
        other => Err(other),
    }
}

async fn region_path(
    tx: &mut Tx,
    scope: &Scope,
    code: &str,
    problems: &mut Problems,
) -> Result<String> {
    match get_region_in(tx, scope, code).await {
        Ok(r) => Ok(r.path),
        Err(e) => region_path_problem(problems, e).map(|()| String::new()),
    }
}

pub(crate) fn check_level(level: &str, problems: &mut Problems) {
    if !LEVELS.contains(&level) {
        problems.push(
            "level",
            "unknown",
            "预警等级只能是 red、orange、yellow、blue",
        );
    }
}

/// Writes an owner inside `tx`: phone and ID number encrypted, blind-indexed and masked.
pub async fn create_owner_in(
    tx: &mut Tx,
    ctx: &AuditCtx,
    scope: &Scope,
    cipher: &FieldCipher,
    id: &str,
    input: &NewOwner,
) -> Result<OwnerView> {
    let mut problems = Problems::default();
    let name = problems.text("name", &input.name, 32);
    let path = region_path(tx, scope, &input.region_code, &mut problems).await?;
    problems.finish().map_err(StoreError::Invalid)?;
    let enc = |v: Option<&str>| v.map(|p| cipher.encrypt(p)).transpose();
    let phone = input.phone.as_ref().map(|p| p.as_str());
    let idn = input.id_number.as_ref().map(|p| p.as_str());
    let view = OwnerView {
        id: id.to_owned(),
        name,
        phone_masked: input.phone.as_ref().map(|p| p.masked()),
        id_number_masked: input.id_number.as_ref().map(|p| p.masked()),
        region_path: path,
    };
    tx.execute(
        &Query::insert()
            .into_table(n("iot_owners"))
            .columns(
                [
                    "id",
                    "name",
                    "phone_enc",
                    "phone_index",
                    "phone_masked",
                    "id_number_enc",
                    "id_number_index",
                    "id_number_masked",
                    "region_path",
                    "created_at",
                    "updated_at",
                ]
                .map(n),
            )
            .values_panic([
                view.id.clone().into(),
                view.name.clone().into(),
                enc(phone)?.into(),
                phone.map(|p| cipher.blind_index(p)).into(),
                view.phone_masked.clone().into(),
                enc(idn)?.into(),
                idn.map(|p| cipher.blind_index(p)).into(),
                view.id_number_masked.clone().into(),
                view.region_path.clone().into(),
                ctx.at.as_micros().into(),
                ctx.at.as_micros().into(),
            ])
            .to_owned(),
    )
    .await
    .map_err(|e| StoreError::from_write(e, &[("id", "id")]))?;
    audit::append(
        tx,
        ctx,
        "iot.owner.create",
        "iot_owner",
        id,
        None::<&()>,
        Some(&view),
    )
    .await?;
    Ok(view)
}

pub async fn create_vehicle_in(
    tx: &mut Tx,
    ctx: &AuditCtx,
    scope: &Scope,
    id: &str,
    input: &NewVehicle,
) -> Result<VehicleView> {
    let mut problems = Problems::default();
    let plate = problems.text("plate", &input.plate, 16);
    if !VEHICLE_KINDS.contains(&input.kind.as_str()) {
        problems.push(
            "kind",
            "unknown",
            "车辆类型只能是 motorcycle、e_bike、car、truck",
        );
    }
    let path = region_path(tx, scope, &input.region_code, &mut problems).await?;
    if let Some(owner) = &input.owner_id {
        let found: Option<(String,)> = tx
            .fetch_optional(
                &Query::select()
                    .column(n("id"))
                    .from(n("iot_owners"))
                    .and_where(Expr::col(n("id")).eq(owner.as_str()))
                    .to_owned(),
            )
            .await?;
        if found.is_none() {
            problems.push("owner_id", "not_found", "车主不存在");
        }
    }
    problems.finish().map_err(StoreError::Invalid)?;
    tx.execute(
        &Query::insert()
            .into_table(n("iot_vehicles"))
            .columns(
                [
                    "id",
                    "plate",
                    "kind",
                    "description",
                    "owner_id",
                    "region_path",
                    "stolen",
                    "created_at",
                    "updated_at",
                ]
                .map(n),
            )
            .values_panic([
                id.into(),
                plate.clone().into(),
                input.kind.clone().into(),
                input.description.trim().to_owned().into(),
                input.owner_id.clone().into(),
                path.into(),
                false.into(),
                ctx.at.as_micros().into(),
                ctx.at.as_micros().into(),
            ])
            .to_owned(),
    )
    .await
    .map_err(|e| StoreError::from_write(e, &[("plate", "plate"), ("id", "id")]))?;
    let view = get_vehicle_in(tx, scope, id).await?;
    audit::append(
        tx,
        ctx,
        "iot.vehicle.create",
        "iot_vehicle",
        id,
        None::<&()>,
        Some(&view),
    )
    .await?;
    Ok(view)
}

pub async fn create_device_in(
    tx: &mut Tx,
    ctx: &AuditCtx,
    scope: &Scope,
    id: &str,
    input: &NewDevice,
) -> Result<DeviceRow> {
    let mut problems = Problems::default();
    let mut identifier = input.identifier.trim().to_owned();
    if input.protocol == "jt808" {
        // The wire pads terminal phones with leading zeros (12 or 20 BCD digits); the listener
        // strips them, so the registry keeps the number without them too.
        identifier = identifier.trim_start_matches('0').to_owned();
    }
    if identifier.is_empty()
        || identifier.len() > 40
        || !identifier
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        problems.push(
            "identifier",
            "invalid",
            "设备标识为 1–40 位字母、数字、- 或 _（IMEI、终端手机号或标签号）",
        );
    }
    match input.protocol.as_str() {
        "gt06" if identifier.len() != 15 || !identifier.chars().all(|c| c.is_ascii_digit()) => {
            problems.push("identifier", "imei", "GT06 设备标识为 15 位 IMEI");
        }
        "jt808" if identifier.len() > 20 || !identifier.chars().all(|c| c.is_ascii_digit()) => {
            problems.push(
                "identifier",
                "phone",
                "JT/T 808 设备标识为终端手机号（至多 20 位数字）",
            );
        }
        p if !PROTOCOLS.contains(&p) => {
            problems.push("protocol", "unknown", "协议只能是 gt06、jt808、tag、mqtt");
        }
        _ => {}
    }
    if input.role != ROLE_VEHICLE && input.role != ROLE_OWNER_TAG {
        problems.push(
            "role",
            "unknown",
            "用途只能是 vehicle（车载）或 owner_tag（车主随身标签）",
        );
    }
    let path = region_path(tx, scope, &input.region_code, &mut problems).await?;
    if let Some(v) = &input.vehicle_id
        && matches!(
            get_vehicle_in(tx, scope, v).await,
            Err(StoreError::NotFound { .. })
        )
    {
        problems.push("vehicle_id", "not_found", "车辆不存在或不在您的管辖范围");
    }
    problems.finish().map_err(StoreError::Invalid)?;
    let row = DeviceRow {
        id: id.to_owned(),
        identifier,
        protocol: input.protocol.clone(),
        role: input.role.clone(),
        vehicle_id: input.vehicle_id.clone(),
        region_path: path,
    };
    tx.execute(
        &Query::insert()
            .into_table(n("iot_devices"))
            .columns(
                [
                    "id",
                    "identifier",
                    "protocol",
                    "role",
                    "vehicle_id",
                    "region_path",
                    "created_at",
                    "updated_at",
                ]
                .map(n),
            )
            .values_panic([
                row.id.clone().into(),
                row.identifier.clone().into(),
                row.protocol.clone().into(),
                row.role.clone().into(),
                row.vehicle_id.clone().into(),
                row.region_path.clone().into(),
                ctx.at.as_micros().into(),
                ctx.at.as_micros().into(),
            ])
            .to_owned(),
    )
    .await
    .map_err(|e| StoreError::from_write(e, &[("identifier", "identifier"), ("id", "id")]))?;
    audit::append(
        tx,
        ctx,
        "iot.device.create",
        "iot_device",
        id,
        None::<&()>,
        Some(&row),
    )
    .await?;
    Ok(row)
}

pub async fn create_reader_in(
    tx: &mut Tx,
    ctx: &AuditCtx,
    scope: &Scope,
    id: &str,
    input: &NewReader,
) -> Result<ReaderView> {
    let mut problems = Problems::default();
    let code = problems.text("code", &input.code, 32);
    let name = problems.text("name", &input.name, 64);
    if !(-90_000_000..=90_000_000).contains(&input.lat_e6) {
        problems.push("lat", "range", "纬度须在 -90 到 90 之间");
    }
    if !(-180_000_000..=180_000_000).contains(&input.lon_e6) {
        problems.push("lon", "range", "经度须在 -180 到 180 之间");
    }
    if !(1..=5_000).contains(&input.radius_m) {
        problems.push("radius_m", "range", "读取半径须在 1 到 5000 米之间");
    }
    let path = region_path(tx, scope, &input.region_code, &mut problems).await?;
    problems.finish().map_err(StoreError::Invalid)?;
    let view = ReaderView {
        id: id.to_owned(),
        code,
        name,
        lat_e6: input.lat_e6,
        lon_e6: input.lon_e6,
        radius_m: input.radius_m,
        address: input.address.trim().to_owned(),
        region_path: path,
    };
    tx.execute(
        &Query::insert()
            .into_table(n("iot_readers"))
            .columns(
                [
                    "id",
                    "code",
                    "name",
                    "lat_e6",
                    "lon_e6",
                    "radius_m",
                    "address",
                    "region_path",
                    "created_at",
                    "updated_at",
                ]
                .map(n),
            )
            .values_panic([
                view.id.clone().into(),
                view.code.clone().into(),
                view.name.clone().into(),
                view.lat_e6.into(),
                view.lon_e6.into(),
                view.radius_m.into(),
                view.address.clone().into(),
                view.region_path.clone().into(),
                ctx.at.as_micros().into(),
                ctx.at.as_micros().into(),
            ])
            .to_owned(),
    )
    .await
    .map_err(|e| StoreError::from_write(e, &[("code", "code"), ("id", "id")]))?;
    audit::append(
        tx,
        ctx,
        "iot.reader.create",
        "iot_reader",
        id,
        None::<&()>,
        Some(&view),
    )
    .await?;
    Ok(view)
}

fn vehicle_query(scope: &Scope) -> SelectStatement {
    Query::select()
        .exprs([
            Expr::col((n("v"), n("id"))),
            Expr::col((n("v"), n("plate"))),
            Expr::col((n("v"), n("kind"))),
            Expr::col((n("v"), n("description"))),
            Expr::col((n("v"), n("owner_id"))),
        ])
        .expr_as(Expr::col((n("o"), n("name"))), n("owner_name"))
        .expr_as(
            Expr::col((n("o"), n("phone_masked"))),
            n("owner_phone_masked"),
        )
        .exprs([
            Expr::col((n("v"), n("region_path"))),
            Expr::col((n("v"), n("stolen"))),
            Expr::col((n("v"), n("stolen_at"))),
            Expr::col((n("v"), n("stolen_note"))),
        ])
        .from_as(n("iot_vehicles"), n("v"))
        .join_as(
            JoinType::LeftJoin,
            n("iot_owners"),
            n("o"),
            Expr::col((n("o"), n("id"))).equals((n("v"), n("owner_id"))),
        )
        .and_where(scope.path_condition((n("v"), n("region_path"))))
        .to_owned()
}

pub(crate) async fn get_vehicle_in(tx: &mut Tx, scope: &Scope, id: &str) -> Result<VehicleView> {
    tx.fetch_optional(
        &vehicle_query(scope)
            .and_where(Expr::col((n("v"), n("id"))).eq(id))
            .to_owned(),
    )
    .await?
    .ok_or(StoreError::NotFound { entity: "vehicle" })
}

fn device_query(scope: &Scope) -> SelectStatement {
    Query::select()
        .exprs(
            ["id", "identifier", "protocol", "role", "vehicle_id"]
                .map(|c| Expr::col((n("d"), n(c)))),
        )
        .expr(Expr::col((n("v"), n("plate"))))
        .expr_as(Expr::col((n("v"), n("kind"))), n("vehicle_kind"))
        .expr(Expr::col((n("v"), n("stolen"))))
        .expr_as(Expr::col((n("o"), n("name"))), n("owner_name"))
        .expr_as(
            Expr::col((n("o"), n("phone_masked"))),
            n("owner_phone_masked"),
        )
        .expr(Expr::col((n("d"), n("region_path"))))
        .expr_as(Expr::col((n("l"), n("at"))), n("last_at"))
        .expr_as(Expr::col((n("l"), n("lat_e6"))), n("last_lat_e6"))
        .expr_as(Expr::col((n("l"), n("lon_e6"))), n("last_lon_e6"))
        .expr_as(Expr::col((n("l"), n("source"))), n("last_source"))
        .from_as(n("iot_devices"), n("d"))
        .join_as(
            JoinType::LeftJoin,
            n("iot_vehicles"),
            n("v"),
            Expr::col((n("v"), n("id"))).equals((n("d"), n("vehicle_id"))),
        )
        .join_as(
            JoinType::LeftJoin,
            n("iot_owners"),
            n("o"),
            Expr::col((n("o"), n("id"))).equals((n("v"), n("owner_id"))),
        )
        .join_as(
            JoinType::LeftJoin,
            n("iot_last_positions"),
            n("l"),
            Expr::col((n("l"), n("device_key"))).equals((n("d"), n("identifier"))),
        )
        .and_where(scope.path_condition((n("d"), n("region_path"))))
        .to_owned()
}

impl Store {
    pub async fn create_iot_owner(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        cipher: &FieldCipher,
        id: &str,
        input: &NewOwner,
    ) -> Result<OwnerView> {
        let mut tx = self.begin().await?;
        let v = create_owner_in(&mut tx, ctx, scope, cipher, id, input).await?;
        tx.commit().await?;
        Ok(v)
    }

    pub async fn create_iot_vehicle(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        id: &str,
        input: &NewVehicle,
    ) -> Result<VehicleView> {
        let mut tx = self.begin().await?;
        let v = create_vehicle_in(&mut tx, ctx, scope, id, input).await?;
        tx.commit().await?;
        Ok(v)
    }

    pub async fn create_iot_device(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        id: &str,
        input: &NewDevice,
    ) -> Result<DeviceRow> {
        let mut tx = self.begin().await?;
        let v = create_device_in(&mut tx, ctx, scope, id, input).await?;
        tx.commit().await?;
        Ok(v)
    }

    pub async fn create_iot_reader(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        id: &str,
        input: &NewReader,
    ) -> Result<ReaderView> {
        let mut tx = self.begin().await?;
        let v = create_reader_in(&mut tx, ctx, scope, id, input).await?;
        tx.commit().await?;
        Ok(v)
    }

    pub async fn get_iot_vehicle(&self, scope: &Scope, id: &str) -> Result<VehicleView> {
        self.fetch_optional(
            &vehicle_query(scope)
                .and_where(Expr::col((n("v"), n("id"))).eq(id))
                .to_owned(),
        )
        .await?
        .ok_or(StoreError::NotFound { entity: "vehicle" })
    }

    pub async fn list_iot_vehicles(
        &self,
        scope: &Scope,
        filter: &RegistryFilter,
        page: PageRequest,
    ) -> Result<Page<VehicleView>> {
        let mut q = vehicle_query(scope);
        if filter.stolen_only {
            q.and_where(Expr::col((n("v"), n("stolen"))).eq(true));
        }
        if let Some(text) = filter.q.as_deref().filter(|t| !t.trim().is_empty()) {
            q.and_where(Expr::col((n("v"), n("plate"))).like(contains(text.trim())));
        }
        let total = self
            .fetch_count(
                &q.clone()
                    .clear_selects()
                    .expr(Expr::col((n("v"), n("id"))).count())
                    .to_owned(),
            )
            .await?;
        q.order_by((n("v"), n("plate")), Order::Asc);
        page.apply(&mut q);
        Ok(Page::new(self.fetch_all(&q).await?, total, page))
    }

    pub async fn get_iot_device(&self, scope: &Scope, id: &str) -> Result<DeviceView> {
        self.fetch_optional(
            &device_query(scope)
                .and_where(Expr::col((n("d"), n("id"))).eq(id))
                .to_owned(),
        )
        .await?
        .ok_or(StoreError::NotFound { entity: "device" })
    }

    pub async fn list_iot_devices(
        &self,
        scope: &Scope,
        filter: &RegistryFilter,
        page: PageRequest,
    ) -> Result<Page<DeviceView>> {
        let mut q = device_query(scope);
        if let Some(text) = filter.q.as_deref().filter(|t| !t.trim().is_empty()) {
            q.cond_where(
                Cond::any()
                    .add(Expr::col((n("d"), n("identifier"))).like(contains(text.trim())))
                    .add(Expr::col((n("v"), n("plate"))).like(contains(text.trim()))),
            );
        }
        if filter.stolen_only {
            q.and_where(Expr::col((n("v"), n("stolen"))).eq(true));
        }
        let total = self
            .fetch_count(
                &q.clone()
                    .clear_selects()
                    .expr(Expr::col((n("d"), n("id"))).count())
                    .to_owned(),
            )
            .await?;
        q.order_by((n("d"), n("identifier")), Order::Asc);
        page.apply(&mut q);
        Ok(Page::new(self.fetch_all(&q).await?, total, page))
    }

    pub async fn list_iot_readers(
        &self,
        scope: &Scope,
        filter: &RegistryFilter,
        page: PageRequest,
    ) -> Result<Page<ReaderView>> {
        let mut q = Query::select();
        q.from(n("iot_readers"))
            .and_where(scope.path_condition(n("region_path")));
        if let Some(text) = filter.q.as_deref().filter(|t| !t.trim().is_empty()) {
            q.cond_where(
                Cond::any()
                    .add(Expr::col(n("code")).like(contains(text.trim())))
                    .add(Expr::col(n("name")).like(contains(text.trim()))),
            );
        }
        let total = self
            .fetch_count(&q.clone().expr(Expr::col(n("id")).count()).to_owned())
            .await?;
        q.columns(
            [
                "id",
                "code",
                "name",
                "lat_e6",
                "lon_e6",
                "radius_m",
                "address",
                "region_path",
            ]
            .map(n),
        )
        .order_by(n("code"), Order::Asc);
        page.apply(&mut q);
        Ok(Page::new(self.fetch_all(&q).await?, total, page))
    }

    /// Every device with its vehicle's plate and watchlist flag, for the ingestion index.
    pub async fn iot_index_devices(&self) -> Result<Vec<IndexDevice>> {
        self.fetch_all(
            &Query::select()
                .expr(Expr::col((n("d"), n("identifier"))))
                .expr_as(Expr::col((n("d"), n("id"))), n("device_id"))
                .expr(Expr::col((n("d"), n("role"))))
                .expr(Expr::col((n("d"), n("vehicle_id"))))
                .expr(Expr::col((n("v"), n("plate"))))
                .expr(Expr::col((n("v"), n("stolen"))))
                .expr(Expr::col((n("d"), n("region_path"))))
                .from_as(n("iot_devices"), n("d"))
                .join_as(
                    JoinType::LeftJoin,
                    n("iot_vehicles"),
                    n("v"),
                    Expr::col((n("v"), n("id"))).equals((n("d"), n("vehicle_id"))),
                )
                .to_owned(),
        )
        .await
    }

    /// Every reader, for the ingestion index.
    pub async fn iot_index_readers(&self) -> Result<Vec<IndexReader>> {
        Ok(self
            .list_iot_readers(
                &Scope::Everything,
                &RegistryFilter::default(),
                PageRequest::all(),
            )
            .await?
            .items)
    }

    /// (vehicle id, plate, region path) of every vehicle on the watchlist.
    pub async fn iot_stolen_vehicles(&self) -> Result<Vec<(String, String, String)>> {
        self.fetch_all(
            &Query::select()
                .columns(["id", "plate", "region_path"].map(n))
                .from(n("iot_vehicles"))
                .and_where(Expr::col(n("stolen")).eq(true))
                .to_owned(),
        )
        .await
    }

    /// Reports a vehicle stolen (or recovered): the watchlist the ingestion path matches against.
    pub async fn set_iot_vehicle_stolen(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        id: &str,
        stolen: bool,
        note: Option<&str>,
    ) -> Result<VehicleView> {
        let mut tx = self.begin().await?;
        let before = get_vehicle_in(&mut tx, scope, id).await?;
        tx.execute(
            &Query::update()
                .table(n("iot_vehicles"))
                .values([
                    (n("stolen"), stolen.into()),
                    (n("stolen_at"), stolen.then_some(ctx.at.as_micros()).into()),
                    (
                        n("stolen_note"),
                        note.map(|t| t.trim().to_owned())
                            .filter(|t| !t.is_empty())
                            .into(),
                    ),
                    (n("updated_at"), ctx.at.as_micros().into()),
                ])
                .and_where(Expr::col(n("id")).eq(id))
                .to_owned(),
        )
        .await?;
        let after = get_vehicle_in(&mut tx, scope, id).await?;
        audit::append(
            &mut tx,
            ctx,
            if stolen {
                "iot.vehicle.report_stolen"
            } else {
                "iot.vehicle.recovered"
            },
            "iot_vehicle",
            id,
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// One spreadsheet row of a device import: the device, and the vehicle and owner it belongs to
/// (created when new, reused by plate when the vehicle exists).
#[derive(Debug, Clone)]
pub struct DeviceImportRow {
    pub identifier: String,
    pub protocol: String,
    pub role: String,
    pub plate: Option<String>,
    pub vehicle_kind: Option<String>,
    pub owner_name: Option<String>,
    pub owner_phone: Option<MobileNumber>,
    pub region_code: String,
}

/// Prefixes each problem's field with its spreadsheet row (`rows[3].identifier`).
fn at_row(row: usize, err: StoreError) -> StoreError {
    match err {
        StoreError::Invalid(problems) => StoreError::Invalid(
            problems
                .into_iter()
                .map(|mut p| {
                    p.field = format!("rows[{row}].{}", p.field);
                    p
                })
                .collect(),
        ),
        StoreError::Conflict { field } => {
            StoreError::Invalid(vec![fengqiao_domain::validation::FieldError::new(
                format!("rows[{row}].{field}"),
                "conflict",
                format!("第 {row} 行：{field} 已存在"),
            )])
        }
        other => other,
    }
}

impl Store {
    /// Imports devices (with vehicles and owners) all or nothing: any bad row and nothing is
    /// written; the error names every bad row's field. `new_id` makes record ids.
    pub async fn import_iot_devices(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        cipher: &FieldCipher,
        rows: &[DeviceImportRow],
        new_id: &mut (dyn FnMut() -> String + Send),
    ) -> Result<usize> {
        let mut tx = self.begin().await?;
        let mut problems = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            let row_no = i + 2; // the header is row 1
            let mut vehicle_id = None;
            if let Some(plate) = r.plate.as_deref().filter(|p| !p.trim().is_empty()) {
                let existing: Option<(String,)> = tx
                    .fetch_optional(
                        &Query::select()
                            .column(n("id"))
                            .from(n("iot_vehicles"))
                            .and_where(Expr::col(n("plate")).eq(plate.trim()))
                            .to_owned(),
                    )
                    .await?;
                vehicle_id = match existing {
                    Some((id,)) => Some(id),
                    None => {
                        let mut owner_id = None;
                        if let Some(name) = r.owner_name.as_deref().filter(|n| !n.trim().is_empty())
                        {
                            let id = new_id();
                            let owner = NewOwner {
                                name: name.to_owned(),
                                phone: r.owner_phone.clone(),
                                id_number: None,
                                region_code: r.region_code.clone(),
                            };
                            match create_owner_in(&mut tx, ctx, scope, cipher, &id, &owner).await {
                                Ok(_) => owner_id = Some(id),
                                Err(e) => {
                                    problems.push(at_row(row_no, e));
                                    continue;
                                }
                            }
                        }
                        let id = new_id();
                        let vehicle = NewVehicle {
                            plate: plate.trim().to_owned(),
                            kind: r
                                .vehicle_kind
                                .clone()
                                .unwrap_or_else(|| "motorcycle".into()),
                            description: String::new(),
                            owner_id,
                            region_code: r.region_code.clone(),
                        };
                        match create_vehicle_in(&mut tx, ctx, scope, &id, &vehicle).await {
                            Ok(_) => Some(id),
                            Err(e) => {
                                problems.push(at_row(row_no, e));
                                continue;
                            }
                        }
                    }
                };
            }
            let device = NewDevice {
                identifier: r.identifier.clone(),
                protocol: r.protocol.clone(),
                role: r.role.clone(),
                vehicle_id,
                region_code: r.region_code.clone(),
            };
            if let Err(e) = create_device_in(&mut tx, ctx, scope, &new_id(), &device).await {
                problems.push(at_row(row_no, e));
            }
        }
        if !problems.is_empty() {
            let mut all = Vec::new();
            for p in problems {
                match p {
                    StoreError::Invalid(list) => all.extend(list),
                    other => return Err(other),
                }
            }
            return Err(StoreError::Invalid(all));
        }
        tx.commit().await?;
        Ok(rows.len())
    }

    /// Imports readers all or nothing, like [`Store::import_iot_devices`].
    pub async fn import_iot_readers(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        rows: &[NewReader],
        new_id: &mut (dyn FnMut() -> String + Send),
    ) -> Result<usize> {
        let mut tx = self.begin().await?;
        let mut all = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            match create_reader_in(&mut tx, ctx, scope, &new_id(), r).await {
                Ok(_) => {}
                Err(e) => match at_row(i + 2, e) {
                    StoreError::Invalid(list) => all.extend(list),
                    other => return Err(other),
                },
            }
        }
        if !all.is_empty() {
            return Err(StoreError::Invalid(all));
        }
        tx.commit().await?;
        Ok(rows.len())
    }
}
