//! Demo accounts: the fixed, memorable ones the guide names, and generated staff for every organisation.

use super::catalogue::{self, studio_host_surname};
use super::names::Directory;
use super::{DemoOrg, DemoRegion, DemoUser};
use fengqiao_domain::org::{OrgKind, Specialty};
use fengqiao_domain::region::{GridKind, RegionLevel};
use fengqiao_domain::role::Role;
use std::collections::BTreeMap;

const PEOPLE_SEED: u64 = 0x7265_6E6D_696E_0003;

/// Extra citizen accounts besides `citizen`, spread over the first street's communities.
const EXTRA_CITIZENS: usize = 5;

/// Where the fixed accounts work, found from the tree: the first district, its first two streets,
/// and the first community of the first street.
struct Anchors {
    city: String,
    district: String,
    street: String,
    street2: String,
    community: String,
}

impl Anchors {
    fn find(regions: &[DemoRegion]) -> Option<Self> {
        let first = |level: RegionLevel, parent: Option<&str>, skip: usize| {
            regions
                .iter()
                .filter(|r| r.level == level && r.parent_code.as_deref() == parent)
                .nth(skip)
                .map(|r| r.code.clone())
        };
        let city = first(RegionLevel::City, None, 0)?;
        let district = first(RegionLevel::District, Some(&city), 0)?;
        let street = first(RegionLevel::Street, Some(&district), 0)?;
        let street2 = first(RegionLevel::Street, Some(&district), 1)?;
        let community = first(RegionLevel::Community, Some(&street), 0)?;
        Some(Self {
            city,
            district,
            street,
            street2,
            community,
        })
    }

    /// The fixed accounts, in the order of the table in the module doc of `demo_city`.
    fn fixed(&self) -> Vec<(&'static str, &'static str, String, Role)> {
        use catalogue::{key, specialty_key};
        vec![
            ("admin", "周建华", key("gov", &self.city), Role::Admin),
            (
                "district_intake",
                "陈晓燕",
                key("gov", &self.district),
                Role::Intake,
            ),
            (
                "district_commander",
                "王志强",
                key("command", &self.district),
                Role::Commander,
            ),
            (
                "analyst",
                "林雨涵",
                key("gov", &self.district),
                Role::Analyst,
            ),
            (
                "street_intake",
                "张丽萍",
                key("gov", &self.street),
                Role::Intake,
            ),
            (
                "mediator",
                "李桂芳",
                key("med", &self.street),
                Role::Mediator,
            ),
            (
                "labour_mediator",
                "赵德明",
                specialty_key("imc", &self.district, Specialty::Labour),
                Role::Mediator,
            ),
            ("judge", "孙立群", key("court", &self.district), Role::Judge),
            (
                "arbitrator",
                "吴海涛",
                key("arb", &self.district),
                Role::Arbitrator,
            ),
            (
                "grid_worker",
                "黄小敏",
                key("gov", &self.community),
                Role::GridWorker,
            ),
            (
                "handler",
                "郑伟",
                specialty_key("dept", &self.district, Specialty::HumanResources),
                Role::Handler,
            ),
            (
                "citizen",
                "刘美华",
                key("gov", &self.community),
                Role::Citizen,
            ),
            (
                "street2_intake",
                "何静",
                key("gov", &self.street2),
                Role::Intake,
            ),
            (
                "street2_mediator",
                "马建新",
                key("med", &self.street2),
                Role::Mediator,
            ),
        ]
    }
}

/// Generated staff per organisation: (username prefix, roles, how many).
fn staffing(kind: OrgKind, level: RegionLevel) -> Vec<(&'static str, Vec<Role>, usize)> {
    use RegionLevel::*;
    match (kind, level) {
        (OrgKind::GovernanceCentre, City | District) => vec![
            ("intake", vec![Role::Intake], 2),
            ("analyst", vec![Role::Analyst], 1),
        ],
        (OrgKind::GovernanceCentre, Street) => vec![("intake", vec![Role::Intake], 1)],
        // Community workers (社区工作者) both register walk-ins and patrol a grid.
        (OrgKind::GovernanceCentre, _) => vec![("staff", vec![Role::Intake, Role::GridWorker], 1)],
        (OrgKind::CommandCentre, _) => vec![("commander", vec![Role::Commander], 2)],
        (OrgKind::MediationCommittee, Community) => vec![("mediator", vec![Role::Mediator], 1)],
        (OrgKind::MediationCommittee, _) => vec![("mediator", vec![Role::Mediator], 2)],
        (OrgKind::IndustryMediationCommittee | OrgKind::MediatorStudio, _) => {
            vec![("mediator", vec![Role::Mediator], 1)]
        }
        (OrgKind::Court, Street) => vec![("judge", vec![Role::Judge], 2)],
        (OrgKind::Court, _) => vec![("judge", vec![Role::Judge], 3)],
        // A shared court's 庭务主任 holds the judge role in the platform (DOMAIN §1).
        (OrgKind::SharedCourt, _) => vec![("clerk", vec![Role::Judge], 1)],
        (OrgKind::ArbitrationCommission, _) => vec![("arbitrator", vec![Role::Arbitrator], 2)],
        (OrgKind::PetitionBureau | OrgKind::LegalAidCentre, _) => {
            vec![("intake", vec![Role::Intake], 1)]
        }
        (OrgKind::Department, _) => vec![("handler", vec![Role::Handler], 2)],
    }
}

/// All users: the fixed accounts first, then staff organisation by organisation, then a grid
/// worker for each territorial grid of the first street, then a few more citizens.
pub fn build(regions: &[DemoRegion], orgs: &[DemoOrg]) -> Vec<DemoUser> {
    let Some(anchors) = Anchors::find(regions) else {
        return Vec::new();
    };
    let mut directory = Directory::new(PEOPLE_SEED);
    let fixed = anchors.fixed();
    for (_, name, _, _) in &fixed {
        directory.reserve_name(name);
    }
    let mut users: Vec<DemoUser> = fixed
        .into_iter()
        .map(|(username, name, org_key, role)| DemoUser {
            username: username.to_owned(),
            display_name: name.to_owned(),
            org_key,
            roles: vec![role],
            phone: directory.mobile(),
        })
        .collect();

    let levels: BTreeMap<&str, RegionLevel> =
        regions.iter().map(|r| (r.code.as_str(), r.level)).collect();
    for org in orgs {
        let Some(&level) = levels.get(org.region_code.as_str()) else {
            continue;
        };
        let host = studio_host_surname(&org.key);
        for (prefix, roles, count) in staffing(org.kind, level) {
            for n in 1..=count {
                users.push(DemoUser {
                    username: format!("{prefix}_{}_{n}", org.key.replace('.', "_")),
                    display_name: directory.name(host),
                    org_key: org.key.clone(),
                    roles: roles.clone(),
                    phone: directory.mobile(),
                });
            }
        }
    }

    let street_grids = regions.iter().filter(|r| {
        r.grid_kind == Some(GridKind::Territorial) && r.code.starts_with(&anchors.street)
    });
    for grid in street_grids {
        let community = grid.parent_code.as_deref().unwrap_or(&anchors.community);
        users.push(DemoUser {
            username: format!("gw_{}", grid.code),
            display_name: directory.name(None),
            org_key: catalogue::key("gov", community),
            roles: vec![Role::GridWorker],
            phone: directory.mobile(),
        });
    }

    let communities: Vec<&DemoRegion> = regions
        .iter()
        .filter(|r| r.parent_code.as_deref() == Some(anchors.street.as_str()))
        .collect();
    for n in 0..EXTRA_CITIZENS {
        let community = communities
            .get(n % communities.len().max(1))
            .map_or(anchors.community.as_str(), |c| c.code.as_str());
        users.push(DemoUser {
            username: format!("citizen{}", n + 2),
            display_name: directory.name(None),
            org_key: catalogue::key("gov", community),
            roles: vec![Role::Citizen],
            phone: directory.mobile(),
        });
    }
    users
}
