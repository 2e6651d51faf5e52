//! The hub: in-memory matching on the hot path, an alert writer that never waits behind the
//! position backlog, and the batching writer fed through a bounded channel.

use crate::config::IotConfig;
use crate::geo::distance_m;
use crate::index::{Fence, Registry, Rules, Watchlist, normalise_plate};
use fengqiao_domain::time::Timestamp;
use fengqiao_store::iot::{IngestBatch, IotAlert, MessageRecord, PositionRecord, alert_kind};
use fengqiao_store::{AuditCtx, Store, StoreError};
use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;
use tokio::sync::{broadcast, mpsc};

/// Where "now" comes from (the server's clock; tests pass their own).
pub type Now = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// Sent to subscribers after an alert is committed (the benchmark measures latency with it).
#[derive(Debug, Clone)]
pub struct AlertNotice {
    pub kind: &'static str,
    pub alert_id: String,
    pub group_key: String,
    /// Device times (UTC micros) of the records this commit covered.
    pub trigger_ats: Vec<i64>,
    pub committed: Instant,
}

/// Counters for `/metrics`-style reporting and the benchmark.
#[derive(Debug, Default)]
pub struct HubStats {
    pub positions: AtomicU64,
    pub messages: AtomicU64,
    pub stored_positions: AtomicU64,
    pub stored_messages: AtomicU64,
    pub batches: AtomicU64,
    pub write_errors: AtomicU64,
    pub alerts: AtomicU64,
    pub decode_errors: AtomicU64,
    pub dropped_frames: AtomicU64,
    pub connections: AtomicU64,
    pub refused_connections: AtomicU64,
}

enum Record {
    Position(PositionRecord),
    Message(MessageRecord),
}

struct AlertJob {
    alert: IotAlert,
    trigger_at: i64,
}

/// Per-device state the rules need between records.
#[derive(Debug, Default, Clone)]
struct DeviceLive {
    at: i64,
    lat_e6: i64,
    lon_e6: i64,
    inside: HashSet<String>,
    fences_known: bool,
    last_unattended_alert: i64,
}

const SHARDS: usize = 64;

struct Inner {
    store: Store,
    config: IotConfig,
    now: Now,
    registry: RwLock<Arc<Registry>>,
    watchlist: RwLock<Arc<Watchlist>>,
    fences: RwLock<Arc<Vec<Fence>>>,
    rules: RwLock<Arc<Rules>>,
    live: Vec<Mutex<HashMap<String, DeviceLive>>>,
    records: mpsc::Sender<Record>,
    alerts: mpsc::UnboundedSender<AlertJob>,
    notices: broadcast::Sender<AlertNotice>,
    stats: HubStats,
    auth_secret: String,
}

/// The ingestion hub. Cheap to clone; every listener and the HTTP webhook share one.
#[derive(Clone)]
pub struct Hub {
    inner: Arc<Inner>,
}

fn read<T: Clone>(lock: &RwLock<T>) -> T {
    match lock.read() {
        Ok(g) => g.clone(),
        Err(poisoned) => poisoned.into_inner().clone(),
    }
}

fn write<T>(lock: &RwLock<T>, value: T) {
    match lock.write() {
        Ok(mut g) => *g = value,
        Err(poisoned) => *poisoned.into_inner() = value,
    }
}

impl Hub {
    /// Loads the matching state from the store and starts the writers. `auth_secret` keys the
    /// JT/T 808 auth codes, so a terminal re-authenticates after a restart without re-registering.
    pub async fn start(
        store: Store,
        config: IotConfig,
        now: Now,
        auth_secret: String,
    ) -> Result<Self, StoreError> {
        let (records_tx, records_rx) = mpsc::channel(config.queue_capacity.max(1));
        let (alerts_tx, alerts_rx) = mpsc::unbounded_channel();
        let (notices, _) = broadcast::channel(4096);
        let hub = Hub {
            inner: Arc::new(Inner {
                store,
                config,
                now,
                registry: RwLock::new(Arc::new(Registry::default())),
                watchlist: RwLock::new(Arc::new(Watchlist::new())),
                fences: RwLock::new(Arc::new(Vec::new())),
                rules: RwLock::new(Arc::new(Rules::new())),
                live: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
                records: records_tx,
                alerts: alerts_tx,
                notices,
                stats: HubStats::default(),
                auth_secret,
            }),
        };
        hub.refresh_all().await?;
        let rx = Arc::new(tokio::sync::Mutex::new(records_rx));
        let writers = if hub.inner.store.backend() == fengqiao_store::Backend::Sqlite {
            1
        } else {
            hub.inner.config.writers.max(1)
        };
        for _ in 0..writers {
            tokio::spawn(batch_writer(hub.clone(), rx.clone()));
        }
        tokio::spawn(alert_writer(hub.clone(), alerts_rx));
        Ok(hub)
    }

    pub fn config(&self) -> &IotConfig {
        &self.inner.config
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn stats(&self) -> &HubStats {
        &self.inner.stats
    }

    pub fn now(&self) -> Timestamp {
        (self.inner.now)()
    }

    pub fn subscribe_alerts(&self) -> broadcast::Receiver<AlertNotice> {
        self.inner.notices.subscribe()
    }

    /// Reloads everything the matcher holds (startup, imports, and a periodic safety net for
    /// changes made by another process).
    pub async fn refresh_all(&self) -> Result<(), StoreError> {
        self.refresh_registry().await?;
        self.refresh_watchlist().await?;
        self.refresh_fences().await?;
        self.refresh_rules().await
    }

    pub async fn refresh_registry(&self) -> Result<(), StoreError> {
        let store = &self.inner.store;
        let registry = Registry::build(
            store.iot_index_devices().await?,
            store.iot_index_readers().await?,
        );
        write(&self.inner.registry, Arc::new(registry));
        Ok(())
    }

    pub async fn refresh_watchlist(&self) -> Result<(), StoreError> {
        let list: Watchlist = self
            .inner
            .store
            .iot_stolen_vehicles()
            .await?
            .into_iter()
            .map(|(id, plate, path)| (id, (plate, path)))
            .collect();
        write(&self.inner.watchlist, Arc::new(list));
        Ok(())
    }

    pub async fn refresh_fences(&self) -> Result<(), StoreError> {
        let fences: Vec<Fence> = self
            .inner
            .store
            .list_iot_fences(&fengqiao_store::Scope::Everything)
            .await?
            .iter()
            .filter(|f| f.active)
            .filter_map(Fence::compile)
            .collect();
        write(&self.inner.fences, Arc::new(fences));
        Ok(())
    }

    pub async fn refresh_rules(&self) -> Result<(), StoreError> {
        let rules: Rules = self
            .inner
            .store
            .list_iot_video_rules()
            .await?
            .into_iter()
            .map(|r| (r.event_kind.clone(), r))
            .collect();
        write(&self.inner.rules, Arc::new(rules));
        Ok(())
    }

    /// The JT/T 808 auth code the platform issues to a terminal phone (stable per server secret).
    pub fn jt808_auth_code(&self, phone: &str) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(self.inner.auth_secret.as_bytes());
        h.update(b"|jt808|");
        h.update(phone.as_bytes());
        hex::encode_upper(&h.finalize()[..8])
    }

    /// The reader with this code, if registered (for sightings).
    pub(crate) fn reader(&self, code: &str) -> Option<fengqiao_store::iot::IndexReader> {
        read(&self.inner.registry).readers.get(code).cloned()
    }

    pub(crate) fn count_decode_error(&self) {
        self.inner
            .stats
            .decode_errors
            .fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn count_dropped(&self, n: u64) {
        self.inner
            .stats
            .dropped_frames
            .fetch_add(n, Ordering::Relaxed);
    }

    pub(crate) fn count_connection(&self, accepted: bool) {
        if accepted {
            self.inner.stats.connections.fetch_add(1, Ordering::Relaxed);
        } else {
            self.inner
                .stats
                .refused_connections
                .fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Matches a position and queues it for storage; waits when the writer is behind.
    /// Returns false when the hub has shut down.
    pub async fn ingest_position(&self, record: PositionRecord) -> bool {
        self.inner.stats.positions.fetch_add(1, Ordering::Relaxed);
        self.match_position(&record);
        self.inner
            .records
            .send(Record::Position(record))
            .await
            .is_ok()
    }

    /// Queues a raw message (login, heartbeat, alarm, video event …) for storage.
    pub async fn ingest_message(&self, record: MessageRecord) -> bool {
        self.inner.stats.messages.fetch_add(1, Ordering::Relaxed);
        self.inner
            .records
            .send(Record::Message(record))
            .await
            .is_ok()
    }

    fn shard(&self, key: &str) -> &Mutex<HashMap<String, DeviceLive>> {
        let mut h = DefaultHasher::new();
        key.hash(&mut h);
        &self.inner.live[(h.finish() as usize) % SHARDS]
    }

    fn raise(&self, alert: IotAlert, trigger_at: i64) {
        // The alert writer lives as long as the hub; a send error means shutdown.
        let _ = self.inner.alerts.send(AlertJob { alert, trigger_at });
    }

    /// The in-memory rules: watchlist, fences, owner tags. No database access.
    fn match_position(&self, p: &PositionRecord) {
        let registry = read(&self.inner.registry);
        let device = registry.devices.get(&p.device_key);
        let reader = p
            .reader_code
            .as_deref()
            .and_then(|c| registry.readers.get(c));
        let place = match reader {
            Some(r) => format!("{}（{}）", r.name, r.code),
            None => format!("{:.6}, {:.6}", p.lat_e6 as f64 / 1e6, p.lon_e6 as f64 / 1e6),
        };
        let detail = |extra: serde_json::Value| {
            let mut d = serde_json::json!({
                "device": p.device_key,
                "at": Timestamp::from_micros(p.at).to_rfc3339(),
                "lat": p.lat_e6 as f64 / 1e6,
                "lon": p.lon_e6 as f64 / 1e6,
                "source": p.source,
                "reader": p.reader_code,
                "place": place,
                "speed_kmh": p.speed_kmh_x10.map(|s| s as f64 / 10.0),
            });
            if let (Some(obj), serde_json::Value::Object(more)) = (d.as_object_mut(), extra) {
                obj.extend(more);
            }
            d
        };
        // 1. Watchlist: a stolen vehicle's own tracker or tag (not its owner's tag) was seen.
        if let Some(dev) = device
            && !dev.owner_tag
            && let Some(vehicle_id) = &dev.vehicle_id
        {
            let watch = read(&self.inner.watchlist);
            if let Some((plate, vehicle_path)) = watch.get(vehicle_id) {
                let region_path = reader
                    .map(|r| r.region_path.clone())
                    .unwrap_or_else(|| vehicle_path.clone());
                self.raise(
                    IotAlert {
                        kind: alert_kind::STOLEN_VEHICLE,
                        level: "red".into(),
                        group_key: vehicle_id.clone(),
                        title: format!("被盗车辆 {plate} 出现：{place}"),
                        detail: detail(
                            serde_json::json!({ "plate": plate, "vehicle_id": vehicle_id, "device_id": dev.device_id }),
                        ),
                        region_path,
                        merge_open: true,
                        hits: 1,
                    },
                    p.at,
                );
            }
        }
        let fences = read(&self.inner.fences);
        let owner_tags = device
            .filter(|d| !d.owner_tag)
            .and_then(|d| d.vehicle_id.as_ref())
            .and_then(|v| registry.owner_tags.get(v));
        let is_owner_tag = device.is_some_and(|d| d.owner_tag);
        if fences.is_empty() && owner_tags.is_none() && !is_owner_tag {
            return;
        }
        // 2. Fences and 3. owner tags need the device's previous state.
        let at = Timestamp::from_micros(p.at);
        let mut transitions = Vec::new();
        let unattended;
        {
            let mut shard = match self.shard(&p.device_key).lock() {
                Ok(g) => g,
                Err(poisoned) => poisoned.into_inner(),
            };
            let live = shard.entry(p.device_key.clone()).or_default();
            if p.at < live.at {
                // An old point re-uploaded from the blind-area buffer: stored, not matched.
                return;
            }
            if !fences.is_empty() {
                let mut now_inside = HashSet::new();
                for f in fences.iter() {
                    if f.polygon.contains(p.lat_e6, p.lon_e6) {
                        now_inside.insert(f.id.clone());
                    }
                }
                if live.fences_known {
                    for f in fences.iter() {
                        let (was, is) = (live.inside.contains(&f.id), now_inside.contains(&f.id));
                        if was != is
                            && f.active_at(at)
                            && ((is && f.on_enter) || (was && f.on_exit))
                        {
                            transitions.push((f.clone(), is));
                        }
                    }
                }
                live.inside = now_inside;
                live.fences_known = true;
            }
            live.at = p.at;
            live.lat_e6 = p.lat_e6;
            live.lon_e6 = p.lon_e6;
            let moving = p
                .speed_kmh_x10
                .is_some_and(|s| s as f64 / 10.0 >= self.inner.config.moving_kmh);
            unattended = match owner_tags {
                Some(_) if !moving => false,
                Some(_)
                    if p.at - live.last_unattended_alert
                        < self.inner.config.owner_tag_window_secs * 1_000_000 =>
                {
                    false
                }
                Some(_) => {
                    live.last_unattended_alert = p.at;
                    true
                }
                None => false,
            };
        }
        if unattended && let Some(tags) = owner_tags {
            let window = self.inner.config.owner_tag_window_secs * 1_000_000;
            let near = tags.iter().any(|tag| {
                let shard = match self.shard(tag).lock() {
                    Ok(g) => g,
                    Err(poisoned) => poisoned.into_inner(),
                };
                shard.get(tag).is_some_and(|t| {
                    (p.at - t.at).abs() <= window
                        && distance_m(t.lat_e6, t.lon_e6, p.lat_e6, p.lon_e6)
                            <= self.inner.config.owner_tag_radius_m
                })
            });
            if near {
                // Owner present: forget the debounce so a later unattended move alerts at once.
                if let Ok(mut shard) = self.shard(&p.device_key).lock()
                    && let Some(live) = shard.get_mut(&p.device_key)
                {
                    live.last_unattended_alert = 0;
                }
            } else if let Some(dev) = device {
                let plate = dev.plate.clone().unwrap_or_default();
                self.raise(
                    IotAlert {
                        kind: alert_kind::UNATTENDED_MOVE,
                        level: "orange".into(),
                        group_key: dev.vehicle_id.clone().unwrap_or_default(),
                        title: format!(
                            "人车分离：车辆 {plate} 在移动，车主标签不在附近（{place}）"
                        ),
                        detail: detail(serde_json::json!({ "plate": plate })),
                        region_path: dev.region_path.clone(),
                        merge_open: true,
                        hits: 1,
                    },
                    p.at,
                );
            }
        }
        for (fence, entered) in transitions {
            let who = device
                .and_then(|d| d.plate.clone())
                .unwrap_or_else(|| p.device_key.clone());
            self.raise(
                IotAlert {
                    kind: alert_kind::FENCE,
                    level: fence.level.clone(),
                    group_key: format!("{}:{}", fence.id, p.device_key),
                    title: format!(
                        "电子围栏：{who} {}「{}」",
                        if entered { "进入" } else { "离开" },
                        fence.name
                    ),
                    detail: detail(serde_json::json!({
                        "fence_id": fence.id, "fence": fence.name,
                        "event": if entered { "enter" } else { "exit" },
                    })),
                    region_path: fence.region_path.clone(),
                    merge_open: false,
                    hits: 1,
                },
                p.at,
            );
        }
    }

    /// A plate read by a camera: the vehicle on the watchlist, if it is there.
    pub(crate) fn stolen_by_plate(&self, plate: &str) -> Option<(String, String, String)> {
        let registry = read(&self.inner.registry);
        let vehicle = registry.plates.get(&normalise_plate(plate))?;
        let watch = read(&self.inner.watchlist);
        watch
            .get(vehicle)
            .map(|(p, path)| (vehicle.clone(), p.clone(), path.clone()))
    }

    pub(crate) fn rules(&self) -> Arc<Rules> {
        read(&self.inner.rules)
    }

    /// Writes an alert now and tells subscribers (the webhook answers with it).
    pub(crate) async fn raise_now(
        &self,
        alert: IotAlert,
        trigger_at: i64,
    ) -> Result<fengqiao_store::alerts::AlertRow, StoreError> {
        let row = self
            .inner
            .store
            .raise_iot_alert(&AuditCtx::system(self.now()), &alert)
            .await?;
        self.inner.stats.alerts.fetch_add(1, Ordering::Relaxed);
        let _ = self.inner.notices.send(AlertNotice {
            kind: alert.kind,
            alert_id: row.id.clone(),
            group_key: alert.group_key,
            trigger_ats: vec![trigger_at],
            committed: Instant::now(),
        });
        Ok(row)
    }
}

/// Drains the alert queue, folding bursts for the same open alert into one write.
async fn alert_writer(hub: Hub, mut rx: mpsc::UnboundedReceiver<AlertJob>) {
    let mut buf = Vec::new();
    while rx.recv_many(&mut buf, 256).await > 0 {
        let mut merged: Vec<(IotAlert, Vec<i64>)> = Vec::new();
        for job in buf.drain(..) {
            if job.alert.merge_open
                && let Some((a, ats)) = merged.iter_mut().find(|(a, _)| {
                    a.merge_open && a.kind == job.alert.kind && a.group_key == job.alert.group_key
                })
            {
                a.hits += job.alert.hits;
                a.title = job.alert.title;
                a.detail = job.alert.detail;
                a.region_path = job.alert.region_path;
                ats.push(job.trigger_at);
                continue;
            }
            merged.push((job.alert, vec![job.trigger_at]));
        }
        for (alert, ats) in merged {
            match hub
                .inner
                .store
                .raise_iot_alert(&AuditCtx::system(hub.now()), &alert)
                .await
            {
                Ok(row) => {
                    hub.inner.stats.alerts.fetch_add(1, Ordering::Relaxed);
                    let _ = hub.inner.notices.send(AlertNotice {
                        kind: alert.kind,
                        alert_id: row.id,
                        group_key: alert.group_key,
                        trigger_ats: ats,
                        committed: Instant::now(),
                    });
                }
                Err(e) => {
                    tracing::error!(error = %e, kind = alert.kind, "raising an IoT alert failed")
                }
            }
        }
    }
}

/// Takes whatever is queued (up to `batch_max`), writes it in one transaction, repeats.
async fn batch_writer(hub: Hub, rx: Arc<tokio::sync::Mutex<mpsc::Receiver<Record>>>) {
    let max = hub.inner.config.batch_max.max(1);
    let mut buf = Vec::with_capacity(max);
    loop {
        {
            let mut rx = rx.lock().await;
            if rx.recv_many(&mut buf, max).await == 0 {
                return;
            }
        }
        let mut batch = IngestBatch::default();
        for r in buf.drain(..) {
            match r {
                Record::Position(p) => batch.positions.push(p),
                Record::Message(m) => batch.messages.push(m),
            }
        }
        let (np, nm) = (batch.positions.len() as u64, batch.messages.len() as u64);
        // A failed batch is retried once (a transient lock or connection error), then dropped
        // with an error log: the listeners must keep flowing.
        let mut result = hub.inner.store.insert_iot_batch(&batch).await;
        if result.is_err() {
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            result = hub.inner.store.insert_iot_batch(&batch).await;
        }
        match result {
            Ok(()) => {
                let s = &hub.inner.stats;
                s.stored_positions.fetch_add(np, Ordering::Relaxed);
                s.stored_messages.fetch_add(nm, Ordering::Relaxed);
                s.batches.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                hub.inner.stats.write_errors.fetch_add(1, Ordering::Relaxed);
                tracing::error!(error = %e, positions = np, messages = nm, "writing an IoT batch failed");
            }
        }
    }
}
