//! Checks of the demo organisations and accounts.

use super::super::*;
use super::region_map;
use fengqiao_domain::org::check_shape;
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn organisations_have_valid_shapes_and_links() {
    let city = generate();
    let regions = region_map(&city);
    let orgs: BTreeMap<&str, &DemoOrg> = city.orgs.iter().map(|o| (o.key.as_str(), o)).collect();
    assert_eq!(orgs.len(), city.orgs.len(), "org keys must be unique");
    for org in &city.orgs {
        let region = regions
            .get(org.region_code.as_str())
            .unwrap_or_else(|| panic!("{}", org.key));
        check_shape(
            org.kind,
            region.level,
            org.specialty,
            org.court_key.is_some(),
        )
        .unwrap_or_else(|e| panic!("{} {}: {e}", org.key, org.name));
        if let Some(court) = &org.court_key {
            assert_eq!(orgs[court.as_str()].kind, OrgKind::Court, "{}", org.key);
            assert!(
                org.region_code
                    .starts_with(&orgs[court.as_str()].region_code),
                "{}",
                org.key
            );
        }
        assert!(org.key.is_ascii() && !org.name.is_empty() && org.address.starts_with("临江市"));
        assert!(
            org.phone.starts_with("0570-8") && org.phone.len() == 13,
            "{}",
            org.phone
        );
    }
    let has = |kind: OrgKind, code: &str| {
        city.orgs
            .iter()
            .any(|o| o.kind == kind && o.region_code == code)
    };
    for region in city.regions.iter().filter(|r| r.level != RegionLevel::Grid) {
        assert!(
            has(OrgKind::GovernanceCentre, &region.code),
            "{}",
            region.name
        );
        assert!(
            has(OrgKind::MediationCommittee, &region.code),
            "{}",
            region.name
        );
        if matches!(region.level, RegionLevel::City | RegionLevel::District) {
            for kind in [
                OrgKind::CommandCentre,
                OrgKind::Court,
                OrgKind::ArbitrationCommission,
                OrgKind::PetitionBureau,
                OrgKind::LegalAidCentre,
            ] {
                assert!(has(kind, &region.code), "{} lacks {kind:?}", region.name);
            }
        }
        if region.level == RegionLevel::District {
            let specialties = |kind: OrgKind| -> BTreeSet<&str> {
                city.orgs
                    .iter()
                    .filter(|o| o.kind == kind && o.region_code == region.code)
                    .filter_map(|o| o.specialty.map(Specialty::code))
                    .collect()
            };
            assert_eq!(specialties(OrgKind::IndustryMediationCommittee).len(), 10);
            assert_eq!(specialties(OrgKind::Department).len(), 10);
        }
    }
    let tribunals = city
        .orgs
        .iter()
        .filter(|o| o.kind == OrgKind::Court && o.name.ends_with("人民法庭"))
        .count();
    assert_eq!(tribunals, 4);
    assert_eq!(orgs["court.339900"].name, "临江市中级人民法院");
    assert_eq!(
        orgs["imc.339902.medical"].name,
        "江城区医疗纠纷人民调解委员会"
    );
    assert_eq!(orgs["dept.339902.police"].name, "临江市公安局江城分局");
    for (key, place) in [
        ("shared.339921101", "桐山镇"),
        ("shared.village.shimen", "石门村"),
        ("shared.market.fuzhuangcheng", "兴隆社区"),
        ("shared.bank.jiangcheng", "望江街道"),
        ("shared.dept.339902.human_resources", "江城区"),
    ] {
        assert_eq!(regions[orgs[key].region_code.as_str()].name, place, "{key}");
    }
    assert_eq!(
        orgs["shared.market.fuzhuangcheng"].court_key.as_deref(),
        Some("court.339903")
    );
}

#[test]
fn accounts_are_unique_well_formed_and_placed() {
    let city = generate();
    let orgs: BTreeMap<&str, &DemoOrg> = city.orgs.iter().map(|o| (o.key.as_str(), o)).collect();
    let mut usernames = BTreeSet::new();
    let mut names = BTreeSet::new();
    let mut phones = BTreeSet::new();
    for user in &city.users {
        assert!(
            usernames.insert(user.username.as_str()),
            "{}",
            user.username
        );
        assert!(
            names.insert(user.display_name.as_str()),
            "{}",
            user.display_name
        );
        assert!(phones.insert(user.phone.as_str()), "{}", user.phone);
        assert!(
            user.username
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "{}",
            user.username
        );
        let chars = user.display_name.chars().count();
        assert!((2..=3).contains(&chars), "{}", user.display_name);
        assert!(
            user.display_name
                .chars()
                .all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        );
        let p = user.phone.as_bytes();
        assert!(
            p.len() == 11 && p[0] == b'1' && (b'3'..=b'9').contains(&p[1]),
            "{}",
            user.phone
        );
        assert!(p.iter().all(u8::is_ascii_digit));
        assert!(
            orgs.contains_key(user.org_key.as_str()),
            "{} at {}",
            user.username,
            user.org_key
        );
        assert!(!user.roles.is_empty());
        let is_admin = user.roles.contains(&Role::Admin);
        assert_eq!(is_admin, user.username == "admin", "admin only at the city");
    }
}

#[test]
fn fixed_accounts_sit_where_the_guide_says() {
    let city = generate();
    let orgs: BTreeMap<&str, &DemoOrg> = city.orgs.iter().map(|o| (o.key.as_str(), o)).collect();
    let user = |name: &str| city.users.iter().find(|u| u.username == name).unwrap();
    let expect = [
        ("admin", "临江市社会治理中心", Role::Admin),
        ("district_intake", "江城区社会治理中心", Role::Intake),
        (
            "district_commander",
            "江城区社会治理指挥中心",
            Role::Commander,
        ),
        ("analyst", "江城区社会治理中心", Role::Analyst),
        ("street_intake", "鼓楼街道综治中心", Role::Intake),
        ("mediator", "鼓楼街道人民调解委员会", Role::Mediator),
        (
            "labour_mediator",
            "江城区劳动争议人民调解委员会",
            Role::Mediator,
        ),
        ("judge", "江城区人民法院", Role::Judge),
        (
            "arbitrator",
            "江城区劳动人事争议仲裁委员会",
            Role::Arbitrator,
        ),
        ("grid_worker", "鼓楼社区综治中心", Role::GridWorker),
        ("handler", "江城区人力资源和社会保障局", Role::Handler),
        ("citizen", "鼓楼社区综治中心", Role::Citizen),
        ("street2_intake", "望江街道综治中心", Role::Intake),
        ("street2_mediator", "望江街道人民调解委员会", Role::Mediator),
    ];
    for (index, (username, org_name, role)) in expect.into_iter().enumerate() {
        let u = user(username);
        assert_eq!(
            city.users[index].username, username,
            "fixed accounts come first"
        );
        assert_eq!(orgs[u.org_key.as_str()].name, org_name, "{username}");
        assert_eq!(u.roles, vec![role], "{username}");
    }
    assert_eq!(user("handler").display_name, "郑伟");
    let grid_workers = city
        .users
        .iter()
        .filter(|u| u.username.starts_with("gw_339902001"))
        .count();
    assert_eq!(grid_workers, 20, "one per territorial grid of 鼓楼街道");
    assert!(
        user("mediator_studio_laoli_1")
            .display_name
            .starts_with('李')
    );
    assert_eq!(DEMO_PASSWORD, "Fengqiao#2026");
}
