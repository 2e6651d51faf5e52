//! The live alert feed behind the console inbox (server-sent events). One poller per process reads
//! the alerts changed since its high-water mark and broadcasts them to every open console.
//! Writers in this process poke it, so a new alert reaches the consoles within milliseconds; the
//! one-second poll catches writers it is not told about (the IoT alert writer, other processes).

use fengqiao_store::Store;
use fengqiao_store::alert_loop::AlertView;
use std::collections::HashSet;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::{Notify, broadcast};

/// How often the poller looks without being poked.
const POLL_EVERY: Duration = Duration::from_secs(1);
/// Changes a slow console may fall behind by before it is told to reload its list.
const BACKLOG: usize = 1024;

pub struct AlertFeed {
    sender: broadcast::Sender<Arc<AlertView>>,
    wake: Notify,
    poller: OnceLock<()>,
}

impl Default for AlertFeed {
    fn default() -> Self {
        Self {
            sender: broadcast::channel(BACKLOG).0,
            wake: Notify::new(),
            poller: OnceLock::new(),
        }
    }
}

impl AlertFeed {
    /// A receiver of every alert change from now on; starts the poller on first use.
    pub fn subscribe(self: &Arc<Self>, store: &Store) -> broadcast::Receiver<Arc<AlertView>> {
        let receiver = self.sender.subscribe();
        self.poller.get_or_init(|| {
            let feed = Arc::clone(self);
            let store = store.clone();
            tokio::spawn(async move { feed.poll(store).await });
        });
        receiver
    }

    /// Tells the poller an alert was just written (cheap; a no-op before anyone subscribed).
    pub fn poke(&self) {
        if self.poller.get().is_some() {
            self.wake.notify_one();
        }
    }

    async fn poll(self: Arc<Self>, store: Store) {
        let mut high = match store.alerts_high_water().await {
            Ok(high) => high,
            Err(e) => {
                tracing::warn!(error = %e, "alert feed: cannot read the high-water mark");
                0
            }
        };
        // Rows sent at exactly `high`: the next read starts at `high` again (an alert written
        // in the same microsecond must not be missed) and skips these.
        let mut sent_at_high: HashSet<String> = HashSet::new();
        loop {
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(POLL_EVERY) => {}
            }
            if self.sender.receiver_count() == 0 {
                // Nobody is watching: move the mark on so the next console is not sent history.
                if let Ok(now_high) = store.alerts_high_water().await
                    && now_high > high
                {
                    high = now_high;
                    sent_at_high.clear();
                }
                continue;
            }
            let rows = match store.alerts_changed_since(high - 1, 500).await {
                Ok(rows) => rows,
                Err(e) => {
                    tracing::warn!(error = %e, "alert feed: read failed");
                    continue;
                }
            };
            for row in rows {
                if row.updated_at == high && sent_at_high.contains(&row.id) {
                    continue;
                }
                if row.updated_at > high {
                    high = row.updated_at;
                    sent_at_high.clear();
                }
                sent_at_high.insert(row.id.clone());
                // No receivers left is not an error: the next console subscribes afresh.
                let _ = self.sender.send(Arc::new(row));
            }
        }
    }
}
