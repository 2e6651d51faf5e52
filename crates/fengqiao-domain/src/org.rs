//! Organisation types (机构) and the region levels each may sit at (DOMAIN §2).

use crate::region::RegionLevel;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// What an organisation is. Routing, permissions and the console's wording all key off this.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// 综治中心 / 社会治理中心 / 矛调中心 — the "one door" at city, district, street or community level.
    GovernanceCentre,
    /// 人民调解委员会 — territorial people's mediation committee.
    MediationCommittee,
    /// 行业性专业性调委会 — industry/professional mediation committee (see [`Specialty`]).
    IndustryMediationCommittee,
    /// 调解工作室 — a named mediator studio.
    MediatorStudio,
    /// 人民法院 / 人民法庭.
    Court,
    /// 共享法庭 — a shared-court station, always linked to a court.
    SharedCourt,
    /// 劳动人事争议仲裁委员会.
    ArbitrationCommission,
    /// 信访局.
    PetitionBureau,
    /// 法律援助中心.
    LegalAidCentre,
    /// 职能部门 — a functional department answering dispatched events.
    Department,
    /// 指挥中心 — the command centre.
    CommandCentre,
}

impl OrgKind {
    pub const ALL: [OrgKind; 11] = [
        OrgKind::GovernanceCentre,
        OrgKind::MediationCommittee,
        OrgKind::IndustryMediationCommittee,
        OrgKind::MediatorStudio,
        OrgKind::Court,
        OrgKind::SharedCourt,
        OrgKind::ArbitrationCommission,
        OrgKind::PetitionBureau,
        OrgKind::LegalAidCentre,
        OrgKind::Department,
        OrgKind::CommandCentre,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OrgKind::GovernanceCentre => "governance_centre",
            OrgKind::MediationCommittee => "mediation_committee",
            OrgKind::IndustryMediationCommittee => "industry_mediation_committee",
            OrgKind::MediatorStudio => "mediator_studio",
            OrgKind::Court => "court",
            OrgKind::SharedCourt => "shared_court",
            OrgKind::ArbitrationCommission => "arbitration_commission",
            OrgKind::PetitionBureau => "petition_bureau",
            OrgKind::LegalAidCentre => "legal_aid_centre",
            OrgKind::Department => "department",
            OrgKind::CommandCentre => "command_centre",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            OrgKind::GovernanceCentre => "综治中心",
            OrgKind::MediationCommittee => "人民调解委员会",
            OrgKind::IndustryMediationCommittee => "行业性专业性调委会",
            OrgKind::MediatorStudio => "调解工作室",
            OrgKind::Court => "人民法院",
            OrgKind::SharedCourt => "共享法庭",
            OrgKind::ArbitrationCommission => "劳动人事争议仲裁委员会",
            OrgKind::PetitionBureau => "信访局",
            OrgKind::LegalAidCentre => "法律援助中心",
            OrgKind::Department => "职能部门",
            OrgKind::CommandCentre => "指挥中心",
        }
    }

    /// Region levels an organisation of this kind may be attached to.
    pub fn allowed_levels(self) -> &'static [RegionLevel] {
        use RegionLevel::*;
        match self {
            OrgKind::GovernanceCentre => &[City, District, Street, Community],
            OrgKind::MediationCommittee => &[City, District, Street, Community],
            OrgKind::IndustryMediationCommittee => &[City, District, Street],
            OrgKind::MediatorStudio => &[District, Street, Community],
            OrgKind::Court => &[City, District, Street],
            OrgKind::SharedCourt => &[District, Street, Community],
            OrgKind::ArbitrationCommission => &[City, District],
            OrgKind::PetitionBureau => &[City, District],
            OrgKind::LegalAidCentre => &[City, District],
            OrgKind::Department => &[City, District, Street],
            OrgKind::CommandCentre => &[City, District, Street],
        }
    }

    /// Whether this kind needs a [`Specialty`].
    pub fn needs_specialty(self) -> bool {
        matches!(
            self,
            OrgKind::IndustryMediationCommittee | OrgKind::Department
        )
    }

    /// Whether this kind must be linked to a parent court.
    pub fn needs_court(self) -> bool {
        matches!(self, OrgKind::SharedCourt)
    }
}

impl FromStr for OrgKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OrgKind::ALL
            .into_iter()
            .find(|k| k.code() == s)
            .ok_or_else(|| format!("unknown organisation kind `{s}`"))
    }
}

/// The field an industry committee or a department covers. Routing matches on it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Specialty {
    /// 劳动争议 / 职工
    Labour,
    /// 商事
    Commercial,
    /// 医疗 (医调委)
    Medical,
    /// 道路交通事故
    Traffic,
    /// 金融 / 银保
    Finance,
    /// 物业
    Property,
    /// 婚姻家事
    Family,
    /// 知识产权
    IntellectualProperty,
    /// 消费
    Consumer,
    /// 建设 / 加装电梯
    Construction,
    /// 人社 (human resources and social security)
    HumanResources,
    /// 住建 (housing and construction)
    Housing,
    /// 市场监管
    MarketRegulation,
    /// 公安
    Police,
    /// 城管
    UrbanManagement,
    /// 卫健
    Health,
    /// 应急管理
    Emergency,
    /// 消防
    FireRescue,
    /// 生态环境
    Environment,
    /// 教育
    Education,
}

impl Specialty {
    pub const ALL: [Specialty; 20] = [
        Specialty::Labour,
        Specialty::Commercial,
        Specialty::Medical,
        Specialty::Traffic,
        Specialty::Finance,
        Specialty::Property,
        Specialty::Family,
        Specialty::IntellectualProperty,
        Specialty::Consumer,
        Specialty::Construction,
        Specialty::HumanResources,
        Specialty::Housing,
        Specialty::MarketRegulation,
        Specialty::Police,
        Specialty::UrbanManagement,
        Specialty::Health,
        Specialty::Emergency,
        Specialty::FireRescue,
        Specialty::Environment,
        Specialty::Education,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Specialty::Labour => "labour",
            Specialty::Commercial => "commercial",
            Specialty::Medical => "medical",
            Specialty::Traffic => "traffic",
            Specialty::Finance => "finance",
            Specialty::Property => "property",
            Specialty::Family => "family",
            Specialty::IntellectualProperty => "intellectual_property",
            Specialty::Consumer => "consumer",
            Specialty::Construction => "construction",
            Specialty::HumanResources => "human_resources",
            Specialty::Housing => "housing",
            Specialty::MarketRegulation => "market_regulation",
            Specialty::Police => "police",
            Specialty::UrbanManagement => "urban_management",
            Specialty::Health => "health",
            Specialty::Emergency => "emergency",
            Specialty::FireRescue => "fire_rescue",
            Specialty::Environment => "environment",
            Specialty::Education => "education",
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Specialty::Labour => "劳动争议",
            Specialty::Commercial => "商事",
            Specialty::Medical => "医疗纠纷",
            Specialty::Traffic => "道路交通事故",
            Specialty::Finance => "金融",
            Specialty::Property => "物业",
            Specialty::Family => "婚姻家事",
            Specialty::IntellectualProperty => "知识产权",
            Specialty::Consumer => "消费",
            Specialty::Construction => "加装电梯/建设",
            Specialty::HumanResources => "人力社保",
            Specialty::Housing => "住房城乡建设",
            Specialty::MarketRegulation => "市场监管",
            Specialty::Police => "公安",
            Specialty::UrbanManagement => "城市管理",
            Specialty::Health => "卫生健康",
            Specialty::Emergency => "应急管理",
            Specialty::FireRescue => "消防救援",
            Specialty::Environment => "生态环境",
            Specialty::Education => "教育",
        }
    }
}

impl FromStr for Specialty {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Specialty::ALL
            .into_iter()
            .find(|k| k.code() == s)
            .ok_or_else(|| format!("unknown specialty `{s}`"))
    }
}

/// Why an organisation's kind, level, specialty and court link do not fit together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrgShapeError {
    #[error("a {kind} cannot sit at {level} level")]
    Level {
        kind: &'static str,
        level: RegionLevel,
    },
    #[error("a {0} needs a specialty")]
    SpecialtyMissing(&'static str),
    #[error("a {0} has no specialty")]
    SpecialtyNotAllowed(&'static str),
    #[error("a shared court must be linked to a court")]
    CourtMissing,
    #[error("only a shared court is linked to a court")]
    CourtNotAllowed,
}

/// Checks the shape of an organisation (not whether its region or court exist: that is storage's job).
pub fn check_shape(
    kind: OrgKind,
    level: RegionLevel,
    specialty: Option<Specialty>,
    has_court: bool,
) -> Result<(), OrgShapeError> {
    if !kind.allowed_levels().contains(&level) {
        return Err(OrgShapeError::Level {
            kind: kind.label_zh(),
            level,
        });
    }
    match (kind.needs_specialty(), specialty.is_some()) {
        (true, false) => return Err(OrgShapeError::SpecialtyMissing(kind.label_zh())),
        (false, true) if kind != OrgKind::MediatorStudio => {
            return Err(OrgShapeError::SpecialtyNotAllowed(kind.label_zh()));
        }
        _ => {}
    }
    match (kind.needs_court(), has_court) {
        (true, false) => Err(OrgShapeError::CourtMissing),
        (false, true) => Err(OrgShapeError::CourtNotAllowed),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        check_shape(OrgKind::GovernanceCentre, RegionLevel::Street, None, false).unwrap();
        check_shape(OrgKind::SharedCourt, RegionLevel::Community, None, true).unwrap();
        check_shape(
            OrgKind::IndustryMediationCommittee,
            RegionLevel::District,
            Some(Specialty::Labour),
            false,
        )
        .unwrap();
        check_shape(
            OrgKind::MediatorStudio,
            RegionLevel::Community,
            Some(Specialty::Family),
            false,
        )
        .unwrap();
        assert_eq!(
            check_shape(OrgKind::SharedCourt, RegionLevel::Community, None, false),
            Err(OrgShapeError::CourtMissing)
        );
        assert!(
            check_shape(
                OrgKind::ArbitrationCommission,
                RegionLevel::Street,
                None,
                false
            )
            .is_err()
        );
        assert!(check_shape(OrgKind::GovernanceCentre, RegionLevel::Grid, None, false).is_err());
        assert!(check_shape(OrgKind::Department, RegionLevel::District, None, false).is_err());
        assert!(
            check_shape(
                OrgKind::Court,
                RegionLevel::District,
                Some(Specialty::Labour),
                false
            )
            .is_err()
        );
    }

    #[test]
    fn codes_round_trip() {
        for k in OrgKind::ALL {
            assert_eq!(k.code().parse::<OrgKind>().unwrap(), k);
        }
        for s in Specialty::ALL {
            assert_eq!(s.code().parse::<Specialty>().unwrap(), s);
        }
    }
}
