//! IoT and video ingestion (物联感知, DOMAIN §7): TCP listeners for GT06 and JT/T 808 trackers, an
//! MQTT subscriber for reader gateways and video analytics, and the [`Hub`] every input goes
//! through.
//!
//! The hub does two things with each record. First it matches it in memory — the stolen-vehicle
//! watchlist, the fence index, the owner-tag rule — and hands any alert to a dedicated alert
//! writer, so an alert never waits for a database read or for the position backlog. Then it queues
//! the record (with its raw bytes) on a bounded channel to the batching writer, which stores many
//! rows per statement; when the writer falls behind, the channel fills and the listeners stop
//! reading their sockets (TCP backpressure) instead of buffering without bound.

pub mod config;
pub mod geo;
mod hub;
mod index;
pub mod mqtt;
pub mod sim;
pub mod tcp;
pub mod video;

pub use config::IotConfig;
pub use hub::{AlertNotice, Hub, HubStats, Now};
pub use video::{IngestError, VideoEvent, VideoEventError, VideoOutcome};
