//! IoT and video (物联感知): the device/vehicle/reader registry with xlsx import, trajectories,
//! the live map, the stolen-vehicle watchlist and board, fences, video rules, and the webhook
//! video platforms push events to.

use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::{ApiJson, ApiQuery, CurrentUser};
use crate::routes::Paging;
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use fengqiao_domain::identifiers::{MobileNumber, ResidentId};
use fengqiao_domain::role::Role;
use fengqiao_domain::time::Timestamp;
use fengqiao_domain::validation::FieldError;
use fengqiao_iot::{VideoEvent, VideoOutcome};
use fengqiao_store::Page;
use fengqiao_store::iot::{
    DeviceImportRow, DeviceRow, DeviceView, FenceRow, LivePosition, NewDevice, NewFence, NewOwner,
    NewReader, NewVehicle, ReaderView, RegistryFilter, StolenView, TrackPoint, VehicleView,
    VideoRulePatch, VideoRuleRow,
};
use serde::{Deserialize, Serialize};

/// Who may change the registry and the watchlist.
const WRITERS: [Role; 3] = [Role::Admin, Role::Commander, Role::Intake];

fn staff(me: &CurrentUser) -> Result<(), ApiError> {
    if me.has(Role::Citizen) {
        Err(ApiError::Forbidden)
    } else {
        Ok(())
    }
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The hub's in-memory state must follow registry changes at once; a failed refresh is logged
/// and the hub's periodic reload catches up.
async fn refresh_registry(state: &AppState) {
    if let Some(hub) = &state.iot
        && let Err(e) = hub.refresh_registry().await
    {
        tracing::error!(error = %e, "refreshing the IoT registry failed");
    }
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RegistryQuery {
    /// Substring of identifier, plate, reader code or name.
    pub q: Option<String>,
    /// Only vehicles on the stolen watchlist.
    pub stolen_only: Option<bool>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

impl RegistryQuery {
    fn filter(&self) -> RegistryFilter {
        RegistryFilter {
            q: self.q.clone(),
            stolen_only: self.stolen_only.unwrap_or(false),
        }
    }
    fn page(&self) -> fengqiao_store::PageRequest {
        Paging {
            page: self.page,
            per_page: self.per_page,
        }
        .request()
    }
}

/// Devices and tags with vehicle, owner (masked) and last known position.
#[utoipa::path(get, path = "/api/v1/iot/devices", tag = "iot", params(RegistryQuery),
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope)))]
pub async fn list_devices(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<RegistryQuery>,
) -> ApiResult<Json<Page<DeviceView>>> {
    staff(&me)?;
    Ok(Json(
        state
            .store
            .list_iot_devices(&me.scope, &q.filter(), q.page())
            .await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeviceInput {
    /// IMEI (gt06), terminal phone (jt808) or tag id.
    pub identifier: String,
    /// gt06 | jt808 | tag | mqtt
    pub protocol: String,
    /// vehicle | owner_tag
    pub role: String,
    pub vehicle_id: Option<String>,
    pub region_code: String,
}

/// Register a device or tag.
#[utoipa::path(post, path = "/api/v1/iot/devices", tag = "iot", request_body = DeviceInput,
    responses((status = 201, body = DeviceRow), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_device(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(input): ApiJson<DeviceInput>,
) -> ApiResult<(StatusCode, Json<DeviceRow>)> {
    me.require(&WRITERS)?;
    let row = state
        .store
        .create_iot_device(
            &me.audit(&state),
            &me.scope,
            &new_id(),
            &NewDevice {
                identifier: input.identifier,
                protocol: input.protocol,
                role: input.role,
                vehicle_id: input.vehicle_id,
                region_code: input.region_code,
            },
        )
        .await?;
    refresh_registry(&state).await;
    Ok((StatusCode::CREATED, Json(row)))
}

/// One device.
#[utoipa::path(get, path = "/api/v1/iot/devices/{id}", tag = "iot", params(("id" = String, Path)),
    responses((status = 200, body = DeviceView), (status = 404, body = ErrorEnvelope)))]
pub async fn get_device(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<DeviceView>> {
    staff(&me)?;
    Ok(Json(state.store.get_iot_device(&me.scope, &id).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TrajectoryQuery {
    /// RFC 3339; default 24 hours before `to`.
    pub from: Option<String>,
    /// RFC 3339; default now.
    pub to: Option<String>,
    /// At most this many points (default 5000, at most 20000).
    pub limit: Option<u64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Trajectory {
    pub device: DeviceView,
    #[schema(value_type = String, format = DateTime)]
    pub from: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub to: Timestamp,
    pub points: Vec<TrackPoint>,
}

/// A device's positions over a time range, oldest first (playback on the console map).
#[utoipa::path(get, path = "/api/v1/iot/devices/{id}/trajectory", tag = "iot", params(("id" = String, Path), TrajectoryQuery),
    responses((status = 200, body = Trajectory), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn trajectory(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<TrajectoryQuery>,
) -> ApiResult<Json<Trajectory>> {
    staff(&me)?;
    let device = state.store.get_iot_device(&me.scope, &id).await?;
    let parse = |field: &str, text: &Option<String>| -> Result<Option<Timestamp>, ApiError> {
        text.as_deref()
            .map(|t| {
                Timestamp::parse_rfc3339(t)
                    .map_err(|_| ApiError::invalid(field, "bad_time", "时间须为 RFC 3339 格式"))
            })
            .transpose()
    };
    let to = parse("to", &q.to)?.unwrap_or_else(|| state.clock.now());
    let from = parse("from", &q.from)?.unwrap_or(to.plus_seconds(-86_400));
    if from > to {
        return Err(ApiError::invalid(
            "from",
            "after_to",
            "开始时间晚于结束时间",
        ));
    }
    let points = state
        .store
        .iot_trajectory(
            &device.identifier,
            from,
            to,
            q.limit.unwrap_or(5000).clamp(1, 20_000),
        )
        .await?;
    Ok(Json(Trajectory {
        device,
        from,
        to,
        points,
    }))
}

/// Vehicles with owners (masked) and watchlist state.
#[utoipa::path(get, path = "/api/v1/iot/vehicles", tag = "iot", params(RegistryQuery),
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope)))]
pub async fn list_vehicles(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<RegistryQuery>,
) -> ApiResult<Json<Page<VehicleView>>> {
    staff(&me)?;
    Ok(Json(
        state
            .store
            .list_iot_vehicles(&me.scope, &q.filter(), q.page())
            .await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnerInput {
    pub name: String,
    pub phone: Option<String>,
    pub id_number: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VehicleInput {
    pub plate: String,
    /// motorcycle | e_bike | car | truck
    pub kind: String,
    #[serde(default)]
    pub description: String,
    /// The owner, registered with the vehicle (phone and ID number encrypted, shown masked).
    pub owner: Option<OwnerInput>,
    pub region_code: String,
}

/// Register a vehicle with its owner.
#[utoipa::path(post, path = "/api/v1/iot/vehicles", tag = "iot", request_body = VehicleInput,
    responses((status = 201, body = VehicleView), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_vehicle(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(input): ApiJson<VehicleInput>,
) -> ApiResult<(StatusCode, Json<VehicleView>)> {
    me.require(&WRITERS)?;
    let mut problems = Vec::new();
    let owner = input.owner.as_ref().map(|o| {
        let phone = o
            .phone
            .as_deref()
            .filter(|p| !p.trim().is_empty())
            .and_then(|p| {
                MobileNumber::parse(p)
                    .map_err(|e| {
                        problems.push(FieldError::new("owner.phone", "invalid", e.to_string()))
                    })
                    .ok()
            });
        let id_number = o
            .id_number
            .as_deref()
            .filter(|p| !p.trim().is_empty())
            .and_then(|p| {
                ResidentId::parse(p)
                    .map_err(|e| {
                        problems.push(FieldError::new("owner.id_number", "invalid", e.to_string()))
                    })
                    .ok()
            });
        NewOwner {
            name: o.name.clone(),
            phone,
            id_number,
            region_code: input.region_code.clone(),
        }
    });
    crate::extract::finish(problems)?;
    let ctx = me.audit(&state);
    let mut tx = state.store.begin().await?;
    let owner_id = match &owner {
        Some(o) => {
            let id = new_id();
            fengqiao_store::iot::create_owner_in(&mut tx, &ctx, &me.scope, &state.cipher, &id, o)
                .await?;
            Some(id)
        }
        None => None,
    };
    let view = fengqiao_store::iot::create_vehicle_in(
        &mut tx,
        &ctx,
        &me.scope,
        &new_id(),
        &NewVehicle {
            plate: input.plate,
            kind: input.kind,
            description: input.description,
            owner_id,
            region_code: input.region_code,
        },
    )
    .await?;
    tx.commit().await?;
    refresh_registry(&state).await;
    Ok((StatusCode::CREATED, Json(view)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StolenInput {
    /// true: report stolen (on the watchlist); false: recovered.
    pub stolen: bool,
    /// The police report reference or circumstances.
    pub note: Option<String>,
}

/// Report a vehicle stolen or recovered. From this moment every sighting or position of its
/// devices raises a red alert.
#[utoipa::path(post, path = "/api/v1/iot/vehicles/{id}/stolen", tag = "iot", params(("id" = String, Path)), request_body = StolenInput,
    responses((status = 200, body = VehicleView), (status = 404, body = ErrorEnvelope)))]
pub async fn set_stolen(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<StolenInput>,
) -> ApiResult<Json<VehicleView>> {
    me.require(&WRITERS)?;
    let view = state
        .store
        .set_iot_vehicle_stolen(
            &me.audit(&state),
            &me.scope,
            &id,
            input.stolen,
            input.note.as_deref(),
        )
        .await?;
    if let Some(hub) = &state.iot {
        hub.refresh_watchlist()
            .await
            .map_err(|e| ApiError::Internal(format!("watchlist refresh: {e}")))?;
    }
    Ok(Json(view))
}

/// The stolen-vehicle board: watchlisted vehicles with their latest sighting.
#[utoipa::path(get, path = "/api/v1/iot/stolen", tag = "iot",
    responses((status = 200, body = [StolenView]), (status = 403, body = ErrorEnvelope)))]
pub async fn stolen_board(
    State(state): State<AppState>,
    me: CurrentUser,
) -> ApiResult<Json<Vec<StolenView>>> {
    staff(&me)?;
    Ok(Json(state.store.iot_stolen_board(&me.scope).await?))
}

/// Readers (base stations) with place and radius.
#[utoipa::path(get, path = "/api/v1/iot/readers", tag = "iot", params(RegistryQuery),
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope)))]
pub async fn list_readers(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<RegistryQuery>,
) -> ApiResult<Json<Page<ReaderView>>> {
    staff(&me)?;
    Ok(Json(
        state
            .store
            .list_iot_readers(&me.scope, &q.filter(), q.page())
            .await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReaderInput {
    pub code: String,
    pub name: String,
    /// Degrees (WGS84).
    pub lat: f64,
    pub lon: f64,
    pub radius_m: i64,
    #[serde(default)]
    pub address: String,
    pub region_code: String,
}

fn e6(v: f64) -> i64 {
    if v.is_finite() {
        (v * 1e6).round() as i64
    } else {
        i64::MAX
    }
}

/// Register a reader.
#[utoipa::path(post, path = "/api/v1/iot/readers", tag = "iot", request_body = ReaderInput,
    responses((status = 201, body = ReaderView), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_reader(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(r): ApiJson<ReaderInput>,
) -> ApiResult<(StatusCode, Json<ReaderView>)> {
    me.require(&WRITERS)?;
    let view = state
        .store
        .create_iot_reader(
            &me.audit(&state),
            &me.scope,
            &new_id(),
            &NewReader {
                code: r.code,
                name: r.name,
                lat_e6: e6(r.lat),
                lon_e6: e6(r.lon),
                radius_m: r.radius_m,
                address: r.address,
                region_code: r.region_code,
            },
        )
        .await?;
    refresh_registry(&state).await;
    Ok((StatusCode::CREATED, Json(view)))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportResult {
    pub imported: usize,
}

/// Rows of the first sheet keyed by header (Chinese or English names), as trimmed text.
fn sheet_rows(bytes: &[u8]) -> Result<Vec<std::collections::HashMap<String, String>>, ApiError> {
    use calamine::Reader;
    let bad = |m: String| ApiError::invalid("file", "unreadable", m);
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes.to_vec()))
        .map_err(|e| bad(format!("无法读取 xlsx：{e}")))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| bad("工作簿没有工作表".into()))?
        .map_err(|e| bad(format!("无法读取工作表：{e}")))?;
    let mut rows = range.rows();
    let header: Vec<String> = rows
        .next()
        .ok_or_else(|| bad("工作表为空".into()))?
        .iter()
        .map(|c| c.to_string().trim().to_owned())
        .collect();
    Ok(rows
        .filter(|r| r.iter().any(|c| !c.to_string().trim().is_empty()))
        .map(|r| {
            header
                .iter()
                .zip(r.iter())
                .map(|(h, c)| (h.clone(), c.to_string().trim().to_owned()))
                .collect()
        })
        .collect())
}

fn cell(row: &std::collections::HashMap<String, String>, names: &[&str]) -> Option<String> {
    names
        .iter()
        .find_map(|n| row.get(*n))
        .filter(|v| !v.is_empty())
        .cloned()
}

/// Import devices (with vehicles and owners) or readers from an xlsx file (raw body), all or
/// nothing. Device columns: 设备标识, 协议, 用途, 车牌, 车辆类型, 车主姓名, 车主手机, 区域代码.
/// Reader columns: 编号, 名称, 纬度, 经度, 半径米, 地址, 区域代码. English headers work too.
#[utoipa::path(post, path = "/api/v1/iot/import/{entity}", tag = "iot", params(("entity" = String, Path, description = "devices | readers")),
    responses((status = 201, body = ImportResult), (status = 422, body = ErrorEnvelope)))]
pub async fn import(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(entity): Path<String>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<ImportResult>)> {
    me.require(&WRITERS)?;
    let rows = sheet_rows(&body)?;
    let ctx = me.audit(&state);
    let mut ids = new_id;
    let imported = match entity.as_str() {
        "devices" => {
            let mut problems = Vec::new();
            let parsed: Vec<DeviceImportRow> = rows
                .iter()
                .enumerate()
                .map(|(i, r)| DeviceImportRow {
                    identifier: cell(r, &["设备标识", "identifier"]).unwrap_or_default(),
                    protocol: cell(r, &["协议", "protocol"]).unwrap_or_else(|| "tag".into()),
                    role: cell(r, &["用途", "role"]).unwrap_or_else(|| "vehicle".into()),
                    plate: cell(r, &["车牌", "plate"]),
                    vehicle_kind: cell(r, &["车辆类型", "vehicle_kind"]),
                    owner_name: cell(r, &["车主姓名", "owner_name"]),
                    owner_phone: cell(r, &["车主手机", "owner_phone"]).and_then(|p| {
                        MobileNumber::parse(&p)
                            .map_err(|e| {
                                problems.push(FieldError::new(
                                    format!("rows[{}].owner_phone", i + 2),
                                    "invalid",
                                    e.to_string(),
                                ))
                            })
                            .ok()
                    }),
                    region_code: cell(r, &["区域代码", "region_code"]).unwrap_or_default(),
                })
                .collect();
            crate::extract::finish(problems)?;
            state
                .store
                .import_iot_devices(&ctx, &me.scope, &state.cipher, &parsed, &mut ids)
                .await?
        }
        "readers" => {
            let mut problems = Vec::new();
            let mut number = |r: &std::collections::HashMap<String, String>,
                              i: usize,
                              names: &[&str],
                              field: &str|
             -> f64 {
                match cell(r, names).map(|v| v.parse::<f64>()) {
                    Some(Ok(v)) => v,
                    _ => {
                        problems.push(FieldError::new(
                            format!("rows[{}].{field}", i + 2),
                            "invalid",
                            "须为数字",
                        ));
                        0.0
                    }
                }
            };
            let parsed: Vec<NewReader> = rows
                .iter()
                .enumerate()
                .map(|(i, r)| NewReader {
                    code: cell(r, &["编号", "code"]).unwrap_or_default(),
                    name: cell(r, &["名称", "name"]).unwrap_or_default(),
                    lat_e6: e6(number(r, i, &["纬度", "lat"], "lat")),
                    lon_e6: e6(number(r, i, &["经度", "lon"], "lon")),
                    radius_m: number(r, i, &["半径米", "radius_m"], "radius_m") as i64,
                    address: cell(r, &["地址", "address"]).unwrap_or_default(),
                    region_code: cell(r, &["区域代码", "region_code"]).unwrap_or_default(),
                })
                .collect();
            crate::extract::finish(problems)?;
            state
                .store
                .import_iot_readers(&ctx, &me.scope, &parsed, &mut ids)
                .await?
        }
        _ => return Err(ApiError::NotFound { entity: "import" }),
    };
    refresh_registry(&state).await;
    Ok((StatusCode::CREATED, Json(ImportResult { imported })))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LiveQuery {
    /// Positions newer than this many minutes (default 60, at most 10080).
    pub minutes: Option<i64>,
    /// At most this many devices (default 2000).
    pub limit: Option<u64>,
}

/// Last known positions of recently seen devices (the live map).
#[utoipa::path(get, path = "/api/v1/iot/live", tag = "iot", params(LiveQuery),
    responses((status = 200, body = [LivePosition]), (status = 403, body = ErrorEnvelope)))]
pub async fn live(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<LiveQuery>,
) -> ApiResult<Json<Vec<LivePosition>>> {
    staff(&me)?;
    let minutes = q.minutes.unwrap_or(60).clamp(1, 7 * 24 * 60);
    let since = state.clock.now().plus_seconds(-minutes * 60);
    Ok(Json(
        state
            .store
            .iot_recent_positions(&me.scope, since, q.limit.unwrap_or(2000).clamp(1, 20_000))
            .await?,
    ))
}

/// Electronic fences.
#[utoipa::path(get, path = "/api/v1/iot/fences", tag = "iot",
    responses((status = 200, body = [FenceRow]), (status = 403, body = ErrorEnvelope)))]
pub async fn list_fences(
    State(state): State<AppState>,
    me: CurrentUser,
) -> ApiResult<Json<Vec<FenceRow>>> {
    staff(&me)?;
    Ok(Json(state.store.list_iot_fences(&me.scope).await?))
}

/// Create a fence (polygon, weekly schedule, enter/exit trigger, alert level).
#[utoipa::path(post, path = "/api/v1/iot/fences", tag = "iot", request_body = NewFence,
    responses((status = 201, body = FenceRow), (status = 422, body = ErrorEnvelope)))]
pub async fn create_fence(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(input): ApiJson<NewFence>,
) -> ApiResult<(StatusCode, Json<FenceRow>)> {
    me.require(&[Role::Admin, Role::Commander])?;
    let row = state
        .store
        .create_iot_fence(&me.audit(&state), &me.scope, &new_id(), &input)
        .await?;
    if let Some(hub) = &state.iot {
        hub.refresh_fences()
            .await
            .map_err(|e| ApiError::Internal(format!("fence refresh: {e}")))?;
    }
    Ok((StatusCode::CREATED, Json(row)))
}

/// The rules turning video events into alerts.
#[utoipa::path(get, path = "/api/v1/iot/video-rules", tag = "iot",
    responses((status = 200, body = [VideoRuleRow]), (status = 403, body = ErrorEnvelope)))]
pub async fn list_video_rules(
    State(state): State<AppState>,
    me: CurrentUser,
) -> ApiResult<Json<Vec<VideoRuleRow>>> {
    staff(&me)?;
    Ok(Json(state.store.list_iot_video_rules().await?))
}

/// Change a video rule's threshold, level or active flag (administrators, commanders).
#[utoipa::path(patch, path = "/api/v1/iot/video-rules/{id}", tag = "iot", params(("id" = String, Path)), request_body = VideoRulePatch,
    responses((status = 200, body = VideoRuleRow), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn update_video_rule(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<VideoRulePatch>,
) -> ApiResult<Json<VideoRuleRow>> {
    me.require(&[Role::Admin, Role::Commander])?;
    let row = state
        .store
        .update_iot_video_rule(&me.audit(&state), &id, &patch)
        .await?;
    if let Some(hub) = &state.iot {
        hub.refresh_rules()
            .await
            .map_err(|e| ApiError::Internal(format!("rule refresh: {e}")))?;
    }
    Ok(Json(row))
}

/// Webhook for video-analytics platforms: one event (JSON), authenticated by the shared secret
/// in `X-Fengqiao-Token`. The event is kept raw; its rule decides the alert.
#[utoipa::path(post, path = "/api/v1/iot/video-events", tag = "iot", request_body = VideoEvent,
    params(("X-Fengqiao-Token" = String, Header, description = "the configured webhook secret")),
    responses((status = 202, body = VideoOutcome), (status = 401, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 503, body = ErrorEnvelope)))]
pub async fn video_event(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<VideoOutcome>)> {
    let hub = state.iot.as_ref().ok_or(ApiError::NotFound {
        entity: "video webhook",
    })?;
    let expected = hub
        .config()
        .webhook_token
        .as_deref()
        .ok_or(ApiError::NotFound {
            entity: "video webhook",
        })?;
    let given = headers
        .get("x-fengqiao-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !constant_time_eq(given.as_bytes(), expected.as_bytes()) {
        return Err(ApiError::Unauthenticated);
    }
    let event: VideoEvent = crate::extract::parse_json(&body)?;
    let outcome = hub
        .ingest_video(&event, &body, "webhook")
        .await
        .map_err(|e| match e {
            fengqiao_iot::IngestError::Invalid(v) => {
                ApiError::invalid(v.field, "invalid", v.message)
            }
            fengqiao_iot::IngestError::Store(s) => s.into(),
        })?;
    Ok((StatusCode::ACCEPTED, Json(outcome)))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
