//! A small hand-built county for routing tests: city 339900 → district 339902 → two streets → communities.

use super::OrgDirectoryEntry;
use crate::dispute::{CaseFacts, Channel};
use crate::org::{OrgKind, Specialty};
use crate::region::RegionLevel;

pub const CITY: &str = "/339900/";
pub const DISTRICT: &str = "/339900/339902/";
pub const STREET_1: &str = "/339900/339902/339902001/";
pub const STREET_2: &str = "/339900/339902/339902002/";
pub const COMMUNITY_11: &str = "/339900/339902/339902001/339902001001/";
pub const COMMUNITY_12: &str = "/339900/339902/339902001/339902001002/";
pub const COMMUNITY_21: &str = "/339900/339902/339902002/339902002001/";
pub const OTHER_DISTRICT: &str = "/339900/339903/";

fn level_of(path: &str) -> RegionLevel {
    match path.matches('/').count() - 1 {
        1 => RegionLevel::City,
        2 => RegionLevel::District,
        3 => RegionLevel::Street,
        4 => RegionLevel::Community,
        _ => RegionLevel::Grid,
    }
}

pub fn org(
    id: &str,
    name: &str,
    kind: OrgKind,
    specialty: Option<Specialty>,
    path: &str,
) -> OrgDirectoryEntry {
    OrgDirectoryEntry {
        id: id.to_owned(),
        name: name.to_owned(),
        kind,
        specialty,
        region_code: path
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap()
            .to_owned(),
        region_path: path.to_owned(),
        level: level_of(path),
        active: true,
    }
}

pub fn directory() -> Vec<OrgDirectoryEntry> {
    use OrgKind::*;
    use Specialty::*;
    let industry = |id: &str, name: &str, specialty| {
        org(
            id,
            name,
            IndustryMediationCommittee,
            Some(specialty),
            DISTRICT,
        )
    };
    vec![
        org(
            "city-gov",
            "江城市社会治理中心",
            GovernanceCentre,
            None,
            CITY,
        ),
        org(
            "city-med",
            "江城市人民调解委员会",
            MediationCommittee,
            None,
            CITY,
        ),
        org(
            "d-gov",
            "江城区社会治理中心",
            GovernanceCentre,
            None,
            DISTRICT,
        ),
        org(
            "d-med",
            "江城区人民调解委员会",
            MediationCommittee,
            None,
            DISTRICT,
        ),
        org("d-court", "江城区人民法院", Court, None, DISTRICT),
        industry("d-labour", "江城区劳动争议人民调解委员会", Labour),
        industry("d-medical", "江城区医疗纠纷人民调解委员会", Medical),
        industry("d-traffic", "江城区道路交通事故人民调解委员会", Traffic),
        industry("d-finance", "江城区金融纠纷人民调解委员会", Finance),
        industry("d-consumer", "江城区消费纠纷人民调解委员会", Consumer),
        industry("d-property", "江城区物业纠纷人民调解委员会", Property),
        industry("d-family", "江城区婚姻家事调解委员会", Family),
        industry("d-construction", "江城区加装电梯调解委员会", Construction),
        industry(
            "d-ip",
            "江城区知识产权纠纷人民调解委员会",
            IntellectualProperty,
        ),
        industry("d-commercial", "江城区商事调解委员会", Commercial),
        org(
            "s1-gov",
            "东湖街道综治中心",
            GovernanceCentre,
            None,
            STREET_1,
        ),
        org(
            "s1-med",
            "东湖街道人民调解委员会",
            MediationCommittee,
            None,
            STREET_1,
        ),
        org("s2-gov", "西岭镇综治中心", GovernanceCentre, None, STREET_2),
        org(
            "s2-med",
            "西岭镇人民调解委员会",
            MediationCommittee,
            None,
            STREET_2,
        ),
        org(
            "c11-gov",
            "桂花社区综治中心",
            GovernanceCentre,
            None,
            COMMUNITY_11,
        ),
        org(
            "c11-med",
            "桂花社区人民调解委员会",
            MediationCommittee,
            None,
            COMMUNITY_11,
        ),
        org(
            "c12-med",
            "樟树社区人民调解委员会",
            MediationCommittee,
            None,
            COMMUNITY_12,
        ),
        org(
            "c21-med",
            "竹林村人民调解委员会",
            MediationCommittee,
            None,
            COMMUNITY_21,
        ),
        org(
            "o-med",
            "江北区人民调解委员会",
            MediationCommittee,
            None,
            OTHER_DISTRICT,
        ),
    ]
}

pub fn facts(
    dispute_type: &str,
    path: &str,
    amount_fen: i64,
    applicants: u32,
    flags: &[&str],
) -> CaseFacts {
    CaseFacts {
        dispute_type: dispute_type.to_owned(),
        region_code: path
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned(),
        region_path: path.to_owned(),
        amount_fen,
        applicant_count: applicants,
        flags: flags.iter().map(|f| (*f).to_owned()).collect(),
        channel: Channel::Window,
    }
}
