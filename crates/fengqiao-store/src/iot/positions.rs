//! Positions and raw messages, written in batches (multi-row inserts in one transaction), the
//! last known position per device, trajectories and the live map's recent positions.

use super::n;
use crate::db::{Backend, Store};
use crate::error::Result;
use crate::scope::Scope;
use chrono::{Datelike, NaiveDate, TimeZone, Utc};
use fengqiao_domain::time::Timestamp;
use sea_query::{Expr, ExprTrait, JoinType, OnConflict, Order, Query};
use serde::Serialize;

/// One decoded position with the raw frame or message it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PositionRecord {
    /// The identifier on the wire: IMEI, terminal phone or tag id.
    pub device_key: String,
    /// Device time, UTC micros.
    pub at: i64,
    pub received_at: i64,
    pub lat_e6: i64,
    pub lon_e6: i64,
    pub speed_kmh_x10: Option<i64>,
    pub course: Option<i64>,
    /// gt06 | jt808 | mqtt | sighting
    pub source: &'static str,
    /// For a reader sighting: which reader saw the tag (its place is the position).
    pub reader_code: Option<String>,
    pub signal: Option<i64>,
    /// False when a lenient listener accepted a bad checksum.
    pub checksum_ok: bool,
    pub raw: Vec<u8>,
}

/// Any other frame or message, raw bytes with the decoded record as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRecord {
    pub received_at: i64,
    pub source: &'static str,
    pub kind: String,
    pub device_key: Option<String>,
    pub checksum_ok: bool,
    pub decoded_json: String,
    pub raw: Vec<u8>,
}

/// What one writer transaction stores.
#[derive(Debug, Default)]
pub struct IngestBatch {
    pub positions: Vec<PositionRecord>,
    pub messages: Vec<MessageRecord>,
}

/// A trajectory point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct TrackPoint {
    #[serde(serialize_with = "crate::page::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: i64,
    pub lat_e6: i64,
    pub lon_e6: i64,
    pub speed_kmh_x10: Option<i64>,
    pub course: Option<i64>,
    pub source: String,
    pub reader_code: Option<String>,
    pub checksum_ok: bool,
}

/// A device's last known position with what the map labels it by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct LivePosition {
    pub device_key: String,
    pub device_id: Option<String>,
    pub role: Option<String>,
    pub plate: Option<String>,
    pub vehicle_id: Option<String>,
    pub stolen: Option<bool>,
    #[serde(serialize_with = "crate::page::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: i64,
    pub lat_e6: i64,
    pub lon_e6: i64,
    pub speed_kmh_x10: Option<i64>,
    pub source: String,
    pub reader_code: Option<String>,
}

/// Rows per INSERT: 12 values a row stays under SQLite's 32,766 and PostgreSQL's 65,535 binds.
const POSITION_ROWS_PER_STATEMENT: usize = 1000;
const MESSAGE_ROWS_PER_STATEMENT: usize = 2000;

/// The first instant of the month holding `at` and of the month after it (UTC micros).
pub fn month_bounds(year: i32, month: u32) -> Option<(i64, i64)> {
    let start = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let micros = |d: NaiveDate| {
        d.and_hms_opt(0, 0, 0)
            .map(|t| Utc.from_utc_datetime(&t).timestamp_micros())
    };
    Some((micros(start)?, micros(next)?))
}

impl Store {
    /// Writes a batch in one transaction: positions and messages as multi-row inserts, then each
    /// device's newest position into `iot_last_positions` (only where it is newer than the stored one,
    /// so a blind-area re-upload never moves a device back in time).
    pub async fn insert_iot_batch(&self, batch: &IngestBatch) -> Result<()> {
        if batch.positions.is_empty() && batch.messages.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        for chunk in batch.positions.chunks(POSITION_ROWS_PER_STATEMENT) {
            let mut q = Query::insert();
            q.into_table(n("iot_positions")).columns(
                [
                    "device_key",
                    "at",
                    "received_at",
                    "lat_e6",
                    "lon_e6",
                    "speed_kmh_x10",
                    "course",
                    "source",
                    "reader_code",
                    "signal",
                    "checksum_ok",
                    "raw",
                ]
                .map(n),
            );
            for p in chunk {
                q.values_panic([
                    p.device_key.clone().into(),
                    p.at.into(),
                    p.received_at.into(),
                    p.lat_e6.into(),
                    p.lon_e6.into(),
                    p.speed_kmh_x10.into(),
                    p.course.into(),
                    p.source.into(),
                    p.reader_code.clone().into(),
                    p.signal.into(),
                    p.checksum_ok.into(),
                    p.raw.clone().into(),
                ]);
            }
            tx.execute(&q).await?;
        }
        for chunk in batch.messages.chunks(MESSAGE_ROWS_PER_STATEMENT) {
            let mut q = Query::insert();
            q.into_table(n("iot_messages")).columns(
                [
                    "received_at",
                    "source",
                    "kind",
                    "device_key",
                    "checksum_ok",
                    "decoded_json",
                    "raw",
                ]
                .map(n),
            );
            for m in chunk {
                q.values_panic([
                    m.received_at.into(),
                    m.source.into(),
                    m.kind.clone().into(),
                    m.device_key.clone().into(),
                    m.checksum_ok.into(),
                    m.decoded_json.clone().into(),
                    m.raw.clone().into(),
                ]);
            }
            tx.execute(&q).await?;
        }
        // Newest position per device in this batch.
        let mut newest: std::collections::HashMap<&str, &PositionRecord> =
            std::collections::HashMap::new();
        for p in &batch.positions {
            let slot = newest.entry(p.device_key.as_str()).or_insert(p);
            if p.at > slot.at {
                *slot = p;
            }
        }
        let mut latest: Vec<&PositionRecord> = newest.into_values().collect();
        latest.sort_by(|a, b| a.device_key.cmp(&b.device_key));
        for chunk in latest.chunks(POSITION_ROWS_PER_STATEMENT) {
            let mut q = Query::insert();
            q.into_table(n("iot_last_positions")).columns(
                [
                    "device_key",
                    "at",
                    "received_at",
                    "lat_e6",
                    "lon_e6",
                    "speed_kmh_x10",
                    "source",
                    "reader_code",
                ]
                .map(n),
            );
            for p in chunk {
                q.values_panic([
                    p.device_key.clone().into(),
                    p.at.into(),
                    p.received_at.into(),
                    p.lat_e6.into(),
                    p.lon_e6.into(),
                    p.speed_kmh_x10.into(),
                    p.source.into(),
                    p.reader_code.clone().into(),
                ]);
            }
            q.on_conflict(
                OnConflict::column(n("device_key"))
                    .update_columns(
                        [
                            "at",
                            "received_at",
                            "lat_e6",
                            "lon_e6",
                            "speed_kmh_x10",
                            "source",
                            "reader_code",
                        ]
                        .map(n),
                    )
                    .action_and_where(
                        Expr::col((n("iot_last_positions"), n("at")))
                            .lte(Expr::col((n("excluded"), n("at")))),
                    )
                    .to_owned(),
            );
            tx.execute(&q).await?;
        }
        tx.commit().await
    }

    /// A device's positions between `from` and `to` (device time), oldest first, at most `limit`.
    pub async fn iot_trajectory(
        &self,
        device_key: &str,
        from: Timestamp,
        to: Timestamp,
        limit: u64,
    ) -> Result<Vec<TrackPoint>> {
        self.fetch_all(
            &Query::select()
                .columns(
                    [
                        "at",
                        "lat_e6",
                        "lon_e6",
                        "speed_kmh_x10",
                        "course",
                        "source",
                        "reader_code",
                        "checksum_ok",
                    ]
                    .map(n),
                )
                .from(n("iot_positions"))
                .and_where(Expr::col(n("device_key")).eq(device_key))
                .and_where(Expr::col(n("at")).gte(from.as_micros()))
                .and_where(Expr::col(n("at")).lte(to.as_micros()))
                .order_by(n("at"), Order::Asc)
                .limit(limit)
                .to_owned(),
        )
        .await
    }

    /// Last known positions newer than `since`, newest first: the live map. Unregistered devices
    /// are shown only to callers who see everything.
    pub async fn iot_recent_positions(
        &self,
        scope: &Scope,
        since: Timestamp,
        limit: u64,
    ) -> Result<Vec<LivePosition>> {
        let mut q = Query::select();
        q.exprs(
            [
                "device_key",
                "at",
                "lat_e6",
                "lon_e6",
                "speed_kmh_x10",
                "source",
                "reader_code",
            ]
            .map(|c| Expr::col((n("l"), n(c)))),
        )
        .expr_as(Expr::col((n("d"), n("id"))), n("device_id"))
        .expr(Expr::col((n("d"), n("role"))))
        .expr(Expr::col((n("v"), n("plate"))))
        .expr(Expr::col((n("d"), n("vehicle_id"))))
        .expr(Expr::col((n("v"), n("stolen"))))
        .from_as(n("iot_last_positions"), n("l"))
        .join_as(
            JoinType::LeftJoin,
            n("iot_devices"),
            n("d"),
            Expr::col((n("d"), n("identifier"))).equals((n("l"), n("device_key"))),
        )
        .join_as(
            JoinType::LeftJoin,
            n("iot_vehicles"),
            n("v"),
            Expr::col((n("v"), n("id"))).equals((n("d"), n("vehicle_id"))),
        )
        .and_where(Expr::col((n("l"), n("at"))).gte(since.as_micros()))
        .order_by((n("l"), n("at")), Order::Desc)
        .limit(limit);
        if *scope != Scope::Everything {
            q.and_where(scope.path_condition((n("d"), n("region_path"))));
        }
        self.fetch_all(&q).await
    }

    /// Counts stored positions (tests and the benchmark).
    pub async fn count_iot_positions(&self) -> Result<i64> {
        self.fetch_count(
            &Query::select()
                .expr(Expr::col(n("device_key")).count())
                .from(n("iot_positions"))
                .to_owned(),
        )
        .await
    }

    /// Stored raw messages of a device, newest first (the record a disputed frame is checked against).
    pub async fn iot_messages_of(
        &self,
        device_key: &str,
        limit: u64,
    ) -> Result<Vec<(String, String, bool, String, Vec<u8>)>> {
        self.fetch_all(
            &Query::select()
                .columns(["source", "kind", "checksum_ok", "decoded_json", "raw"].map(n))
                .from(n("iot_messages"))
                .and_where(Expr::col(n("device_key")).eq(device_key))
                .order_by(n("received_at"), Order::Desc)
                .limit(limit)
                .to_owned(),
        )
        .await
    }

    /// Raw bytes of a device's stored positions, newest first.
    pub async fn iot_position_raw_of(&self, device_key: &str, limit: u64) -> Result<Vec<Vec<u8>>> {
        let rows: Vec<(Vec<u8>,)> = self
            .fetch_all(
                &Query::select()
                    .column(n("raw"))
                    .from(n("iot_positions"))
                    .and_where(Expr::col(n("device_key")).eq(device_key))
                    .order_by(n("at"), Order::Desc)
                    .limit(limit)
                    .to_owned(),
            )
            .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// PostgreSQL: creates the monthly partitions of positions and messages from the month of `now`
    /// to `months_ahead` months later (idempotent). SQLite has one table and needs nothing.
    pub async fn ensure_iot_partitions(&self, now: Timestamp, months_ahead: u32) -> Result<u32> {
        if self.backend() != Backend::Postgres {
            return Ok(0);
        }
        let date = now.to_datetime().date_naive();
        let (mut year, mut month) = (date.year(), date.month());
        let mut created = 0;
        for _ in 0..=months_ahead {
            if let Some((from, to)) = month_bounds(year, month) {
                for table in ["iot_positions", "iot_messages"] {
                    // Names and bounds are computed from integers here, never from input.
                    let sql = format!(
                        "CREATE TABLE IF NOT EXISTS {table}_{year:04}{month:02} PARTITION OF {table} FOR VALUES FROM ({from}) TO ({to})"
                    );
                    self.execute(&RawDdl(sql)).await?;
                    created += 1;
                }
            }
            if month == 12 {
                year += 1;
                month = 1;
            } else {
                month += 1;
            }
        }
        Ok(created)
    }
}

/// A DDL statement built here from integers (partition names and bounds), run through the same
/// `execute` path as sea-query statements.
struct RawDdl(String);

impl sea_query_sqlx::SqlxBinder for RawDdl {
    fn build_sqlx<T: sea_query::QueryBuilder>(
        &self,
        _builder: T,
    ) -> (String, sea_query_sqlx::SqlxValues) {
        (
            self.0.clone(),
            sea_query_sqlx::SqlxValues(sea_query::Values(Vec::new())),
        )
    }
}

impl Store {
    /// Counts stored reader sightings (the benchmark's MQTT share).
    pub async fn count_iot_sightings(&self) -> Result<i64> {
        self.fetch_count(
            &Query::select()
                .expr(Expr::col(n("device_key")).count())
                .from(n("iot_positions"))
                .and_where(Expr::col(n("source")).eq("sighting"))
                .to_owned(),
        )
        .await
    }
}
