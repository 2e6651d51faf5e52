//! Fengqiao's pure domain model: every decision the platform makes, as functions of data.
//!
//! Nothing here touches a database, the network, the clock or a random source. Time and ids
//! arrive as arguments, so every decision is reproducible and every test is instant.

pub mod alert;
pub mod audit;
pub mod basedata;
pub mod calendar;
pub mod clock;
pub mod dispute;
pub mod grid_event;
pub mod grid_index;
pub mod identifiers;
pub mod org;
pub mod region;
pub mod risk;
pub mod role;
pub mod time;
pub mod tracking_code;
pub mod validation;
