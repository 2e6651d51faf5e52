//! Watchlist, fences, video rules and the alerts IoT raises into the command centre's inbox
//! (the shared `alerts` table, one kind per cause, visible through `GET /api/v1/alerts`).

use super::n;
use super::registry::{VehicleView, check_level, get_vehicle_in};
use crate::alerts::AlertRow;
use crate::audit::{self, AuditCtx};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::page::PageRequest;
use crate::regions::get_region_in;
use crate::scope::Scope;
use fengqiao_domain::validation::Problems;
use sea_query::{Expr, ExprTrait, Order, Query};
use serde::{Deserialize, Serialize};

/// The alert kinds IoT raises.
pub mod alert_kind {
    /// 被盗车辆出现 — a watchlisted vehicle was sighted or reported a position.
    pub const STOLEN_VEHICLE: &str = "iot_stolen_vehicle";
    /// 电子围栏 — a device entered or left a fence while the fence was active.
    pub const FENCE: &str = "iot_fence";
    /// 人车分离 — the vehicle moved with none of its owner's tags nearby.
    pub const UNATTENDED_MOVE: &str = "iot_unattended_move";
    /// 视频事件 — a video-analytics event that passed its rule.
    pub const VIDEO: &str = "iot_video";
}

/// An alert to raise (or, with `merge_open`, to fold into the open alert of the same key).
#[derive(Debug, Clone)]
pub struct IotAlert {
    pub kind: &'static str,
    pub level: String,
    pub group_key: String,
    pub title: String,
    /// Place, time, device, raw reference: what the operator needs to act.
    pub detail: serde_json::Value,
    pub region_path: String,
    /// A stolen vehicle seen every few seconds is one incident: later hits update its open alert
    /// (count, latest place and time) instead of flooding the inbox.
    pub merge_open: bool,
    /// How many hits this raise or update stands for (the writer coalesces bursts).
    pub hits: i64,
}

const ALERT_COLUMNS: [&str; 14] = [
    "id",
    "kind",
    "level",
    "group_key",
    "title",
    "detail_json",
    "case_count",
    "claimant_count",
    "total_fen",
    "status",
    "region_path",
    "owner_org_id",
    "created_at",
    "updated_at",
];

/// A stolen vehicle on the board, with where and when it was last seen.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StolenView {
    #[serde(flatten)]
    pub vehicle: VehicleView,
    /// The open watchlist alert, if the vehicle has been seen since it was reported.
    pub alert_id: Option<String>,
    pub hits: i64,
    #[schema(value_type = Object)]
    pub last_seen: Option<serde_json::Value>,
}

/// A fence's polygon ([lon, lat] pairs) and weekly schedule as input.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFence {
    pub name: String,
    /// Closed or open ring of [longitude, latitude] in degrees (WGS84).
    pub polygon: Vec<[f64; 2]>,
    /// Weekly windows in China time; empty means always active.
    #[serde(default)]
    pub schedule: Vec<ScheduleWindow>,
    /// enter | exit | both
    pub trigger_on: String,
    pub level: String,
    pub region_code: String,
}

/// `days` are ISO weekdays (1 = Monday … 7 = Sunday); `from`/`to` are "HH:MM", `to` exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleWindow {
    pub days: Vec<u8>,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct FenceRow {
    pub id: String,
    pub name: String,
    pub polygon_json: String,
    pub schedule_json: String,
    pub trigger_on: String,
    pub level: String,
    pub region_path: String,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct VideoRuleRow {
    pub id: String,
    /// face_match | fence_crossing | crowd_gathering | plate_hit
    pub event_kind: String,
    pub min_confidence_pct: i64,
    /// Crowd gathering: only gatherings lasting at least this long.
    pub min_duration_secs: i64,
    pub level: String,
    pub active: bool,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VideoRulePatch {
    pub min_confidence_pct: Option<i64>,
    pub min_duration_secs: Option<i64>,
    pub level: Option<String>,
    pub active: Option<bool>,
}

fn parse_hhmm(text: &str) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 24 && m < 60 && h * 60 + m <= 24 * 60).then_some(h * 60 + m)
}

impl ScheduleWindow {
    /// Minutes after midnight of (from, to), when both parse and from < to.
    pub fn minutes(&self) -> Option<(u32, u32)> {
        let (f, t) = (parse_hhmm(&self.from)?, parse_hhmm(&self.to)?);
        (f < t).then_some((f, t))
    }
}

impl Store {
    /// Raises an IoT alert, or folds it into the open one of the same kind and key. A raise is
    /// audited; a fold is not (the hit itself is kept as a stored position or message, and one
    /// chain entry per sighting would bury the decisions the chain exists to prove).
    pub async fn raise_iot_alert(&self, ctx: &AuditCtx, alert: &IotAlert) -> Result<AlertRow> {
        let mut tx = self.begin().await?;
        let detail = alert.detail.to_string();
        let now = ctx.at.as_micros();
        if alert.merge_open {
            let open: Option<AlertRow> = tx
                .fetch_optional(
                    &Query::select()
                        .columns(ALERT_COLUMNS.map(n))
                        .from(n("alerts"))
                        .and_where(Expr::col(n("kind")).eq(alert.kind))
                        .and_where(Expr::col(n("group_key")).eq(alert.group_key.as_str()))
                        .and_where(Expr::col(n("status")).ne("closed"))
                        .to_owned(),
                )
                .await?;
            if let Some(mut row) = open {
                row.case_count += Ord::max(alert.hits, 1);
                row.title = alert.title.clone();
                row.detail_json = detail;
                row.updated_at = now;
                tx.execute(
                    &Query::update()
                        .table(n("alerts"))
                        .values([
                            (n("case_count"), row.case_count.into()),
                            (n("title"), row.title.clone().into()),
                            (n("detail_json"), row.detail_json.clone().into()),
                            (n("updated_at"), now.into()),
                        ])
                        .and_where(Expr::col(n("id")).eq(row.id.as_str()))
                        .to_owned(),
                )
                .await?;
                tx.commit().await?;
                return Ok(row);
            }
        }
        let row = AlertRow {
            id: format!("alert:{}:{}:{}", alert.kind, alert.group_key, now),
            kind: alert.kind.to_owned(),
            level: alert.level.clone(),
            group_key: alert.group_key.clone(),
            title: alert.title.clone(),
            detail_json: detail,
            case_count: Ord::max(alert.hits, 1),
            claimant_count: 0,
            total_fen: 0,
            status: "issued".into(),
            region_path: alert.region_path.clone(),
            owner_org_id: None,
            created_at: now,
            updated_at: now,
        };
        tx.execute(
            &Query::insert()
                .into_table(n("alerts"))
                .columns(ALERT_COLUMNS.map(n))
                .values_panic([
                    row.id.clone().into(),
                    row.kind.clone().into(),
                    row.level.clone().into(),
                    row.group_key.clone().into(),
                    row.title.clone().into(),
                    row.detail_json.clone().into(),
                    row.case_count.into(),
                    row.claimant_count.into(),
                    row.total_fen.into(),
                    row.status.clone().into(),
                    row.region_path.clone().into(),
                    row.owner_org_id.clone().into(),
                    row.created_at.into(),
                    row.updated_at.into(),
                ])
                .to_owned(),
        )
        .await
        .map_err(|e| StoreError::from_write(e, &[("id", "id")]))?;
        audit::append(
            &mut tx,
            ctx,
            "alert.raise",
            "alert",
            &row.id,
            None::<&()>,
            Some(&serde_json::json!({ "kind": row.kind, "level": row.level, "key": row.group_key, "title": row.title })),
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// The stolen-vehicle board: every watchlisted vehicle in scope with its latest sighting.
    pub async fn iot_stolen_board(&self, scope: &Scope) -> Result<Vec<StolenView>> {
        let vehicles = self
            .list_iot_vehicles(
                scope,
                &super::RegistryFilter {
                    q: None,
                    stolen_only: true,
                },
                PageRequest::all(),
            )
            .await?
            .items;
        let mut out = Vec::with_capacity(vehicles.len());
        for vehicle in vehicles {
            let open: Option<(String, i64, String)> = self
                .fetch_optional(
                    &Query::select()
                        .columns(["id", "case_count", "detail_json"].map(n))
                        .from(n("alerts"))
                        .and_where(Expr::col(n("kind")).eq(alert_kind::STOLEN_VEHICLE))
                        .and_where(Expr::col(n("group_key")).eq(vehicle.id.as_str()))
                        .and_where(Expr::col(n("status")).ne("closed"))
                        .order_by(n("updated_at"), Order::Desc)
                        .limit(1)
                        .to_owned(),
                )
                .await?;
            let (alert_id, hits, last_seen) = match open {
                Some((id, hits, detail)) => (Some(id), hits, serde_json::from_str(&detail).ok()),
                None => (None, 0, None),
            };
            out.push(StolenView {
                vehicle,
                alert_id,
                hits,
                last_seen,
            });
        }
        out.sort_by_key(|v| std::cmp::Reverse(v.vehicle.stolen_at));
        Ok(out)
    }

    pub async fn create_iot_fence(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        id: &str,
        input: &NewFence,
    ) -> Result<FenceRow> {
        let mut tx = self.begin().await?;
        let mut problems = Problems::default();
        let name = problems.text("name", &input.name, 64);
        let ring_ok = input.polygon.len() >= 3
            && input.polygon.iter().all(|[lon, lat]| {
                lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0
            });
        if !ring_ok {
            problems.push(
                "polygon",
                "invalid",
                "围栏至少需要 3 个有效的 [经度, 纬度] 顶点",
            );
        }
        for w in &input.schedule {
            if w.minutes().is_none()
                || w.days.is_empty()
                || w.days.iter().any(|d| !(1..=7).contains(d))
            {
                problems.push(
                    "schedule",
                    "invalid",
                    "时段须为周一至周日（1–7）与 HH:MM 起止时间，且开始早于结束",
                );
                break;
            }
        }
        if !["enter", "exit", "both"].contains(&input.trigger_on.as_str()) {
            problems.push("trigger_on", "unknown", "触发条件只能是 enter、exit、both");
        }
        check_level(&input.level, &mut problems);
        let path = match get_region_in(&mut tx, scope, &input.region_code).await {
            Ok(r) => r.path,
            Err(StoreError::NotFound { .. }) => {
                problems.push(
                    "region_code",
                    "not_found",
                    "所属区域不存在或不在您的管辖范围",
                );
                String::new()
            }
            Err(e) => return Err(e),
        };
        problems.finish().map_err(StoreError::Invalid)?;
        let row = FenceRow {
            id: id.to_owned(),
            name,
            polygon_json: serde_json::to_string(&input.polygon)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            schedule_json: serde_json::to_string(&input.schedule)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            trigger_on: input.trigger_on.clone(),
            level: input.level.clone(),
            region_path: path,
            active: true,
        };
        tx.execute(
            &Query::insert()
                .into_table(n("iot_fences"))
                .columns(
                    [
                        "id",
                        "name",
                        "polygon_json",
                        "schedule_json",
                        "trigger_on",
                        "level",
                        "region_path",
                        "active",
                        "created_at",
                        "updated_at",
                    ]
                    .map(n),
                )
                .values_panic([
                    row.id.clone().into(),
                    row.name.clone().into(),
                    row.polygon_json.clone().into(),
                    row.schedule_json.clone().into(),
                    row.trigger_on.clone().into(),
                    row.level.clone().into(),
                    row.region_path.clone().into(),
                    true.into(),
                    ctx.at.as_micros().into(),
                    ctx.at.as_micros().into(),
                ])
                .to_owned(),
        )
        .await
        .map_err(|e| StoreError::from_write(e, &[("id", "id")]))?;
        audit::append(
            &mut tx,
            ctx,
            "iot.fence.create",
            "iot_fence",
            id,
            None::<&()>,
            Some(&row),
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    pub async fn list_iot_fences(&self, scope: &Scope) -> Result<Vec<FenceRow>> {
        self.fetch_all(
            &Query::select()
                .columns(
                    [
                        "id",
                        "name",
                        "polygon_json",
                        "schedule_json",
                        "trigger_on",
                        "level",
                        "region_path",
                        "active",
                    ]
                    .map(n),
                )
                .from(n("iot_fences"))
                .and_where(scope.path_condition(n("region_path")))
                .order_by(n("name"), Order::Asc)
                .to_owned(),
        )
        .await
    }

    pub async fn list_iot_video_rules(&self) -> Result<Vec<VideoRuleRow>> {
        self.fetch_all(
            &Query::select()
                .columns(
                    [
                        "id",
                        "event_kind",
                        "min_confidence_pct",
                        "min_duration_secs",
                        "level",
                        "active",
                    ]
                    .map(n),
                )
                .from(n("iot_video_rules"))
                .order_by(n("event_kind"), Order::Asc)
                .to_owned(),
        )
        .await
    }

    pub async fn update_iot_video_rule(
        &self,
        ctx: &AuditCtx,
        id: &str,
        patch: &VideoRulePatch,
    ) -> Result<VideoRuleRow> {
        let mut problems = Problems::default();
        if patch
            .min_confidence_pct
            .is_some_and(|p| !(0..=100).contains(&p))
        {
            problems.push(
                "min_confidence_pct",
                "range",
                "置信度阈值须在 0 到 100 之间",
            );
        }
        if patch
            .min_duration_secs
            .is_some_and(|p| !(0..=86_400).contains(&p))
        {
            problems.push(
                "min_duration_secs",
                "range",
                "持续时长须在 0 到 86400 秒之间",
            );
        }
        if let Some(level) = &patch.level {
            check_level(level, &mut problems);
        }
        problems.finish().map_err(StoreError::Invalid)?;
        let mut tx = self.begin().await?;
        let rules: Vec<VideoRuleRow> = tx
            .fetch_all(
                &Query::select()
                    .columns(
                        [
                            "id",
                            "event_kind",
                            "min_confidence_pct",
                            "min_duration_secs",
                            "level",
                            "active",
                        ]
                        .map(n),
                    )
                    .from(n("iot_video_rules"))
                    .and_where(Expr::col(n("id")).eq(id))
                    .to_owned(),
            )
            .await?;
        let before = rules.into_iter().next().ok_or(StoreError::NotFound {
            entity: "video_rule",
        })?;
        let after = VideoRuleRow {
            min_confidence_pct: patch
                .min_confidence_pct
                .unwrap_or(before.min_confidence_pct),
            min_duration_secs: patch.min_duration_secs.unwrap_or(before.min_duration_secs),
            level: patch.level.clone().unwrap_or_else(|| before.level.clone()),
            active: patch.active.unwrap_or(before.active),
            ..before.clone()
        };
        tx.execute(
            &Query::update()
                .table(n("iot_video_rules"))
                .values([
                    (n("min_confidence_pct"), after.min_confidence_pct.into()),
                    (n("min_duration_secs"), after.min_duration_secs.into()),
                    (n("level"), after.level.clone().into()),
                    (n("active"), after.active.into()),
                    (n("updated_at"), ctx.at.as_micros().into()),
                ])
                .and_where(Expr::col(n("id")).eq(id))
                .to_owned(),
        )
        .await?;
        audit::append(
            &mut tx,
            ctx,
            "iot.video_rule.update",
            "iot_video_rule",
            id,
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A vehicle in scope (the board's detail and the stolen report's check).
    pub async fn iot_vehicle_in_scope(&self, scope: &Scope, id: &str) -> Result<VehicleView> {
        let mut tx = self.begin().await?;
        let v = get_vehicle_in(&mut tx, scope, id).await?;
        tx.commit().await?;
        Ok(v)
    }
}
