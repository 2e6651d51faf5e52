//! Base data registry (一库): people, housing, enterprises, organisations, city components; patrols and visits (走访); the grid index (网格指数).
//!
//! Each part lives in its own module below; this one merges their routes and OpenAPI paths.

mod import;
mod index;
mod records;
mod visits;

use crate::error::ApiError;
use crate::extract::CurrentUser;
use crate::state::AppState;
use axum::Router;
use axum::routing::{get, patch, post};
use fengqiao_domain::role::Role;
use utoipa::OpenApi;

pub use import::{ImportReport, ImportedRecord, RowError};
pub use index::{IndexEntry, IndexRanking};

/// This module's operations, merged into the service's OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    paths(
        records::kinds, records::list, records::create, records::get, records::update,
        records::delete, records::history, records::reveal, records::grid_counts,
        import::import, import::template,
        visits::create, visits::list, visits::get, visits::update_issue,
        visits::create_campaign, visits::list_campaigns, visits::get_campaign, visits::campaign_summary,
        index::formula, index::ranking, index::assessments, index::create_assessment,
    ),
    tags(
        (name = "base-data", description = "一库：人口、房屋、企业、组织、城市部件"),
        (name = "visits", description = "走访：入户走访、巡查记录、走访活动与汇总"),
        (name = "grid-index", description = "网格指数：月度百分制考核、排名与人工考核项"),
    )
)]
pub struct Api;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/base-data", get(records::list).post(records::create))
        .route("/base-data/kinds", get(records::kinds))
        .route("/base-data/import/{kind}", post(import::import))
        .route(
            "/base-data/import/{kind}/template.xlsx",
            get(import::template),
        )
        .route(
            "/base-data/{id}",
            get(records::get)
                .patch(records::update)
                .delete(records::delete),
        )
        .route("/base-data/{id}/history", get(records::history))
        .route("/base-data/{id}/reveal", post(records::reveal))
        .route("/grids/{code}/base-data/counts", get(records::grid_counts))
        .route("/visits", get(visits::list).post(visits::create))
        .route("/visits/{id}", get(visits::get))
        .route("/visits/{id}/issues/{seq}", patch(visits::update_issue))
        .route(
            "/visit-campaigns",
            get(visits::list_campaigns).post(visits::create_campaign),
        )
        .route("/visit-campaigns/{id}", get(visits::get_campaign))
        .route(
            "/visit-campaigns/{id}/summary",
            get(visits::campaign_summary),
        )
        .route("/grid-index", get(index::ranking))
        .route("/grid-index/formula", get(index::formula))
        .route(
            "/grid-index/assessments",
            get(index::assessments).post(index::create_assessment),
        )
}

/// Who collects base data and records visits.
const COLLECTORS: [Role; 2] = [Role::GridWorker, Role::Admin];

/// Every staff role reads the registry of its jurisdiction; citizens do not.
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

/// The materialised path of `region` (a code the caller may see), or of the caller's own
/// organisation's region when none is given: (code, name, path).
async fn region_or_own(
    state: &AppState,
    me: &CurrentUser,
    region: Option<&str>,
) -> Result<(String, String, String), ApiError> {
    let code = match region.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => c.to_owned(),
        None => me
            .user
            .org_region_path
            .split('/')
            .rfind(|s| !s.is_empty())
            .unwrap_or_default()
            .to_owned(),
    };
    let r = state.store.get_region(&me.scope, &code).await?;
    Ok((r.code, r.name, r.path))
}
