//! The demo city's organisations (机构): every kind, at the levels it may sit at, named as a Zhejiang city would name them.

use super::catalogue::{self, key, specialty_key};
use super::prng::SplitMix64;
use super::{DemoOrg, DemoRegion};
use fengqiao_domain::org::{OrgKind, Specialty};
use fengqiao_domain::region::RegionLevel;

const ORG_SEED: u64 = 0x6A69_6769_6F75_0002;

/// Bodies every city and every district has: (key prefix, kind, name after the place name).
const CITY_AND_DISTRICT_BODIES: [(&str, OrgKind, &str); 6] = [
    ("gov", OrgKind::GovernanceCentre, "社会治理中心"),
    ("command", OrgKind::CommandCentre, "社会治理指挥中心"),
    ("med", OrgKind::MediationCommittee, "人民调解委员会"),
    (
        "arb",
        OrgKind::ArbitrationCommission,
        "劳动人事争议仲裁委员会",
    ),
    ("petition", OrgKind::PetitionBureau, "信访局"),
    ("legal_aid", OrgKind::LegalAidCentre, "法律援助中心"),
];

/// Bodies every street, town, community and village has.
const LOCAL_BODIES: [(&str, OrgKind, &str); 2] = [
    ("gov", OrgKind::GovernanceCentre, "综治中心"),
    ("med", OrgKind::MediationCommittee, "人民调解委员会"),
];

/// Every organisation: down the tree (each region's bodies, then its children's), then the studios
/// and the shared-court stations in special places.
pub fn build(regions: &[DemoRegion]) -> Vec<DemoOrg> {
    let mut b = Builder {
        regions,
        rng: SplitMix64::new(ORG_SEED),
        orgs: Vec::new(),
    };
    for region in regions {
        match region.level {
            RegionLevel::City => b.city_or_district(region, "中级人民法院"),
            RegionLevel::District => {
                b.city_or_district(region, "人民法院");
                b.district_extras(region);
            }
            RegionLevel::Street => b.street(region),
            RegionLevel::Community => b.bodies(region, &LOCAL_BODIES),
            RegionLevel::Grid => {}
        }
    }
    for (slug, name, region_name, specialty, _) in catalogue::STUDIOS {
        if let Some(region) = b.named(region_name) {
            let org = b.org(
                format!("studio.{slug}"),
                name.to_owned(),
                OrgKind::MediatorStudio,
                region,
            );
            b.orgs.push(DemoOrg { specialty, ..org });
        }
    }
    for (suffix, name, region_name) in catalogue::SPECIAL_SHARED_COURTS {
        if let Some(region) = b.named(region_name) {
            b.shared_court(format!("shared.{suffix}"), name.to_owned(), region);
        }
    }
    b.orgs
}

struct Builder<'a> {
    regions: &'a [DemoRegion],
    rng: SplitMix64,
    orgs: Vec<DemoOrg>,
}

impl<'a> Builder<'a> {
    fn named(&self, name: &str) -> Option<&'a DemoRegion> {
        let regions: &'a [DemoRegion] = self.regions;
        regions.iter().find(|r| r.name == name)
    }

    fn by_code(&self, code: &str) -> Option<&'a DemoRegion> {
        let regions: &'a [DemoRegion] = self.regions;
        regions.iter().find(|r| r.code == code)
    }

    /// The district (区/县) a region lies in: the first six digits of its code. A city has none.
    fn district_of(&self, region: &DemoRegion) -> Option<&'a DemoRegion> {
        let code = region.code.get(..6)?;
        self.by_code(code)
            .filter(|d| d.level == RegionLevel::District)
    }

    /// An organisation with an address and a phone, no specialty and no court link.
    fn org(&mut self, key: String, name: String, kind: OrgKind, region: &DemoRegion) -> DemoOrg {
        let address = self.address(region);
        let phone = format!("0570-8{:07}", self.rng.range(0, 10_000_000));
        DemoOrg {
            key,
            name,
            kind,
            region_code: region.code.clone(),
            specialty: None,
            court_key: None,
            address,
            phone,
        }
    }

    fn bodies(&mut self, region: &DemoRegion, bodies: &[(&str, OrgKind, &str)]) {
        for &(prefix, kind, suffix) in bodies {
            let org = self.org(
                key(prefix, &region.code),
                format!("{}{suffix}", region.name),
                kind,
                region,
            );
            self.orgs.push(org);
        }
    }

    /// A shared-court station, linked to the basic court of the district it lies in.
    fn shared_court(&mut self, key: String, name: String, region: &DemoRegion) {
        let Some(district) = self.district_of(region) else {
            return;
        };
        let court = catalogue::key("court", &district.code);
        let org = self.org(key, name, OrgKind::SharedCourt, region);
        self.orgs.push(DemoOrg {
            court_key: Some(court),
            ..org
        });
    }

    fn with_specialty(
        &mut self,
        prefix: &str,
        name: String,
        kind: OrgKind,
        region: &DemoRegion,
        specialty: Specialty,
    ) {
        let org = self.org(
            specialty_key(prefix, &region.code, specialty),
            name,
            kind,
            region,
        );
        self.orgs.push(DemoOrg {
            specialty: Some(specialty),
            ..org
        });
    }

    fn city_or_district(&mut self, region: &DemoRegion, court_suffix: &str) {
        self.bodies(region, &CITY_AND_DISTRICT_BODIES);
        let court = format!("{}{court_suffix}", region.name);
        let org = self.org(key("court", &region.code), court, OrgKind::Court, region);
        self.orgs.push(org);
    }

    fn district_extras(&mut self, district: &DemoRegion) {
        let d = district.name.as_str();
        for (specialty, words) in catalogue::INDUSTRY_COMMITTEES {
            let name = format!("{d}{words}人民调解委员会");
            self.with_specialty(
                "imc",
                name,
                OrgKind::IndustryMediationCommittee,
                district,
                specialty,
            );
        }
        for specialty in catalogue::DEPARTMENTS {
            let name = catalogue::department_name(super::plan::CITY_NAME, d, specialty);
            self.with_specialty("dept", name, OrgKind::Department, district, specialty);
        }
    }

    fn street(&mut self, street: &DemoRegion) {
        self.bodies(street, &LOCAL_BODIES);
        let s = street.name.as_str();
        if catalogue::TRIBUNALS.contains(&s)
            && let Some(district) = self.district_of(street)
        {
            let place = s.trim_end_matches("街道").trim_end_matches('镇');
            let name = format!("{}人民法院{place}人民法庭", district.name);
            let org = self.org(key("court", &street.code), name, OrgKind::Court, street);
            self.orgs.push(org);
        }
        // Zhejiang puts a shared court in every street and town (镇街全覆盖).
        self.shared_court(key("shared", &street.code), format!("{s}共享法庭"), street);
    }

    /// A postal-style address: villages by town and village, everything else by road and number.
    /// City-wide bodies sit in the first district, the old town, as city governments usually do.
    fn address(&mut self, region: &DemoRegion) -> String {
        let number = self.rng.range(1, 300);
        let city = super::plan::CITY_NAME;
        let district = match region.level {
            RegionLevel::City => self
                .regions
                .iter()
                .find(|r| r.level == RegionLevel::District),
            _ => self.district_of(region),
        }
        .map_or("", |d| d.name.as_str());
        if region.name.ends_with('村') {
            let town = region
                .parent_code
                .as_deref()
                .and_then(|p| self.by_code(p))
                .map_or("", |t| t.name.as_str());
            return format!("{city}{district}{town}{}{number}号", region.name);
        }
        let road = self
            .rng
            .pick(&catalogue::ROADS)
            .copied()
            .unwrap_or("人民路");
        format!("{city}{district}{road}{number}号")
    }
}
