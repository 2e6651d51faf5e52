//! Shared application state and the injectable clock.

use crate::metrics::Metrics;
use fengqiao_domain::time::Timestamp;
use fengqiao_store::{FieldCipher, Store};
use std::sync::Arc;

/// Where "now" comes from: the system clock in production, a settable one in tests.
pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

/// The real clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_datetime(chrono::Utc::now())
    }
}

/// A clock tests move by hand.
#[derive(Default)]
pub struct ManualClock(std::sync::atomic::AtomicI64);

impl ManualClock {
    pub fn at(t: Timestamp) -> Self {
        Self(std::sync::atomic::AtomicI64::new(t.as_micros()))
    }
    pub fn advance_secs(&self, secs: i64) {
        self.0
            .fetch_add(secs * 1_000_000, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_micros(self.0.load(std::sync::atomic::Ordering::SeqCst))
    }
}

/// Login and session policy.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    pub session_ttl_secs: i64,
    pub max_failed_logins: i64,
    pub lockout_secs: i64,
    /// Mark the session cookie Secure (behind HTTPS).
    pub secure_cookie: bool,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            session_ttl_secs: 8 * 3600,
            max_failed_logins: 5,
            lockout_secs: 15 * 60,
            secure_cookie: false,
        }
    }
}

/// Routing rules and the organisation directory, kept in memory because every intake routes.
/// Writes through the API invalidate it; a short lifetime covers writes made elsewhere (imports).
#[derive(Default)]
pub struct RoutingCache {
    inner: std::sync::RwLock<Option<CachedRouting>>,
}

#[derive(Clone)]
pub struct CachedRouting {
    pub loaded: std::time::Instant,
    pub rules: Arc<Vec<fengqiao_domain::dispute::routing::RoutingRule>>,
    pub directory: Arc<Vec<fengqiao_domain::dispute::routing::OrgDirectoryEntry>>,
}

/// How long cached routing data may be used before it is read again.
pub const ROUTING_CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(30);

impl RoutingCache {
    pub fn get(&self) -> Option<CachedRouting> {
        let guard = self.inner.read().ok()?;
        guard
            .as_ref()
            .filter(|c| c.loaded.elapsed() < ROUTING_CACHE_TTL)
            .cloned()
    }
    pub fn put(&self, value: CachedRouting) {
        if let Ok(mut guard) = self.inner.write() {
            *guard = Some(value);
        }
    }
    pub fn invalidate(&self) {
        if let Ok(mut guard) = self.inner.write() {
            *guard = None;
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub cipher: FieldCipher,
    pub clock: Arc<dyn Clock>,
    pub auth: AuthConfig,
    pub metrics: Arc<Metrics>,
    pub routing: Arc<RoutingCache>,
    /// The IoT ingestion hub (watchlist refresh, video webhook); None when not started.
    pub iot: Option<fengqiao_iot::Hub>,
    /// The point → grid index (see `routes::grids`; read it with `state.grid_index().await`).
    pub grids: Arc<crate::routes::grids::GridIndexCache>,
    /// Alert changes pushed to open consoles (see `alert_feed`).
    pub alert_feed: Arc<crate::alert_feed::AlertFeed>,
    /// Risk rules run on records as they are written (see `risk_engine`).
    pub risk: Arc<crate::risk_engine::RiskEngine>,
}

impl AppState {
    pub fn new(store: Store, cipher: FieldCipher, clock: Arc<dyn Clock>, auth: AuthConfig) -> Self {
        Self {
            store,
            cipher,
            clock,
            auth,
            metrics: Arc::new(Metrics::default()),
            routing: Arc::new(RoutingCache::default()),
            iot: None,
            grids: Arc::new(crate::routes::grids::GridIndexCache::default()),
            alert_feed: Arc::new(crate::alert_feed::AlertFeed::default()),
            risk: Arc::new(crate::risk_engine::RiskEngine::default()),
        }
    }

    /// The same state with the IoT hub attached.
    pub fn with_iot(mut self, hub: fengqiao_iot::Hub) -> Self {
        self.iot = Some(hub);
        self
    }
}
