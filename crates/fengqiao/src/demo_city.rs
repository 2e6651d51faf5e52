//! The demo city 临江市 as plain data: regions with polygons, organisations and users, the same bytes on every run.
//!
//! 临江市 (code 339900, fictional) is a river city in the Zhejiang style: four districts — 江城区
//! 339902 (the old town), 临溪区 339903, 东港区 339904 (the harbour) and 桐山县 339921 (hills, towns
//! and villages) — with 13 streets and towns, 60 communities and villages, 300 territorial grids and
//! 13 industry grids. [`generate`] draws everything from fixed-seed SplitMix64 streams, so it takes no
//! input and always returns the same city.
//!
//! Every account's password is [`DEMO_PASSWORD`]. The fixed accounts, all in 江城区:
//!
//! | username             | name   | organisation (key)                                | roles        |
//! |----------------------|--------|---------------------------------------------------|--------------|
//! | `admin`              | 周建华 | 临江市社会治理中心 (`gov.339900`)                 | admin        |
//! | `district_intake`    | 陈晓燕 | 江城区社会治理中心 (`gov.339902`)                 | intake       |
//! | `district_commander` | 王志强 | 江城区社会治理指挥中心 (`command.339902`)         | commander    |
//! | `analyst`            | 林雨涵 | 江城区社会治理中心 (`gov.339902`)                 | analyst      |
//! | `street_intake`      | 张丽萍 | 鼓楼街道综治中心 (`gov.339902001`)                | intake       |
//! | `mediator`           | 李桂芳 | 鼓楼街道人民调解委员会 (`med.339902001`)          | mediator     |
//! | `labour_mediator`    | 赵德明 | 江城区劳动争议人民调解委员会 (`imc.339902.labour`) | mediator     |
//! | `judge`              | 孙立群 | 江城区人民法院 (`court.339902`)                   | judge        |
//! | `arbitrator`         | 吴海涛 | 江城区劳动人事争议仲裁委员会 (`arb.339902`)       | arbitrator   |
//! | `grid_worker`        | 黄小敏 | 鼓楼社区综治中心 (`gov.339902001001`)             | grid_worker  |
//! | `handler`            | 郑伟   | 江城区人力资源和社会保障局 (`dept.339902.human_resources`) | handler |
//! | `citizen`            | 刘美华 | 鼓楼社区综治中心 (`gov.339902001001`)             | citizen      |
//! | `street2_intake`     | 何静   | 望江街道综治中心 (`gov.339902002`)                | intake       |
//! | `street2_mediator`   | 马建新 | 望江街道人民调解委员会 (`med.339902002`)          | mediator     |
//!
//! Generated accounts are named `<what>_<org key with _ for .>_<n>` (`intake_gov_339903001_1`,
//! `handler_dept_339902_police_2`, `mediator_studio_laoli_1`), `gw_<grid code>` for the grid workers
//! of 鼓楼街道's grids, and `citizen2`…`citizen6`.

mod catalogue;
mod geometry;
mod names;
mod orgs;
mod plan;
mod prng;
mod regions;
mod users;

use fengqiao_domain::org::{OrgKind, Specialty};
use fengqiao_domain::region::{GridKind, RegionLevel};
use fengqiao_domain::role::Role;

/// The password of every demo account; the demo command prints it.
pub const DEMO_PASSWORD: &str = "Fengqiao#2026";

/// The whole demo city, each list ordered so that what a record refers to comes before it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DemoCity {
    pub regions: Vec<DemoRegion>,
    pub orgs: Vec<DemoOrg>,
    pub users: Vec<DemoUser>,
}

/// One region of the tree, from the city down to grids.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DemoRegion {
    pub code: String,
    pub name: String,
    pub level: RegionLevel,
    pub parent_code: Option<String>,
    /// Set for grids only.
    pub grid_kind: Option<GridKind>,
    /// Residents; `None` for industry grids, whose people are counted in the territorial grids.
    pub population: Option<i64>,
    /// A GeoJSON Polygon in WGS84 longitude/latitude, counter-clockwise, closed.
    pub geometry: Option<serde_json::Value>,
    /// The polygon's area-weighted centroid as (longitude, latitude).
    pub centroid: Option<(f64, f64)>,
}

/// One organisation (机构).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DemoOrg {
    /// Stable unique slug such as `court.339902` or `imc.339902.labour`.
    pub key: String,
    pub name: String,
    pub kind: OrgKind,
    pub region_code: String,
    pub specialty: Option<Specialty>,
    /// For a shared court: the key of the court it is linked to.
    pub court_key: Option<String>,
    pub address: String,
    pub phone: String,
}

/// One account.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DemoUser {
    /// ASCII, unique.
    pub username: String,
    /// A Chinese personal name, unique across the demo.
    pub display_name: String,
    pub org_key: String,
    pub roles: Vec<Role>,
    /// A fictional mainland mobile number, `1[3-9]` and nine more digits.
    pub phone: String,
}

/// Builds the demo city. Pure and deterministic: every call returns identical data.
pub fn generate() -> DemoCity {
    let regions = regions::build();
    let orgs = orgs::build(&regions);
    let users = users::build(&regions, &orgs);
    DemoCity {
        regions,
        orgs,
        users,
    }
}

#[cfg(test)]
mod tests;
