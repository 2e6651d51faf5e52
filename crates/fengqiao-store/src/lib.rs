//! Fengqiao's storage: one query path over SQLite (the embedded default) and PostgreSQL.
//!
//! Queries are built once with sea-query and run on whichever backend the URL names. Every write
//! that changes governance data appends to the audit chain inside the same transaction.

pub mod alert_loop;
pub mod alerts;
pub mod audit;
pub mod basedata;
pub mod case_files;
pub mod crypto;
pub mod db;
pub mod disputes;
pub mod error;
pub mod finance;
pub mod grid_events;
pub mod grids;
pub mod iot;
pub mod open311;
pub mod orgs;
pub mod page;
pub mod regions;
pub mod risk;
pub mod routing;
pub mod rules;
pub mod scope;
pub mod sessions;
pub mod stats;
#[cfg(feature = "testing")]
pub mod testing;
pub mod timers;
pub mod users;

pub use audit::AuditCtx;
pub use crypto::FieldCipher;
pub use db::{Backend, Store, Tx};
pub use error::StoreError;
pub use page::{Page, PageRequest};
pub use scope::Scope;
