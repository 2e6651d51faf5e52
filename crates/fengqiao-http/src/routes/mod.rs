//! Route handlers, one module per resource.

pub mod alerts;
pub mod audit;
pub mod auth;
pub mod basedata;
pub mod calendar;
pub mod clocks;
pub mod disputes;
pub mod documents;
pub mod files;
pub mod finance;
pub mod grid_catalogue;
pub mod grid_events;
pub mod grids;
pub mod hotline_import;
pub mod intake_import;
pub mod iot;
pub mod online_filing;
pub mod open311;
pub mod orgs;
pub mod party;
pub mod party_reveal;
pub mod regions;
pub mod risk;
pub mod routing;
pub mod stats;
pub mod summons;
pub mod supervision;
pub mod system;
pub mod taxonomy;
pub mod users;

use serde::Deserialize;

/// `?page=&per_page=` on every list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// 1-based page number.
    pub page: Option<u64>,
    /// Items per page (1–200, default 20).
    pub per_page: Option<u64>,
}

impl Paging {
    pub fn request(&self) -> fengqiao_store::PageRequest {
        fengqiao_store::PageRequest::new(self.page, self.per_page)
    }
}
