//! The demo county's complete default rule set: specialised bodies first, then the territorial tiers.

use super::{RoutingRule, RuleConditions, TargetLevel, TargetSpec};
use crate::org::{OrgKind, Specialty};

/// 5 万元 in fen: the ceiling for a small neighbour or family dispute kept in the community.
const SMALL_CLAIM_FEN: i64 = 5_000_000;
/// 50 万元 in fen: the ceiling for an ordinary dispute handled by the street.
const STREET_CLAIM_FEN: i64 = 50_000_000;
/// 100 万元 in fen: from here a contract dispute goes to the commercial committee.
const LARGE_CONTRACT_FEN: i64 = 100_000_000;
/// From this many applicants a labour dispute is a mass case (涉众).
const MASS_APPLICANTS: u32 = 10;

fn codes(list: &[&str]) -> Vec<String> {
    list.iter().map(|code| (*code).to_owned()).collect()
}

fn types(list: &[&str]) -> RuleConditions {
    RuleConditions {
        dispute_types: codes(list),
        ..RuleConditions::default()
    }
}

fn committee(specialty: Specialty) -> TargetSpec {
    TargetSpec {
        kind: OrgKind::IndustryMediationCommittee,
        specialty: Some(specialty),
        level: TargetLevel::CaseDistrict,
        role_zh: None,
    }
}

fn territorial(kind: OrgKind, level: TargetLevel) -> TargetSpec {
    TargetSpec {
        kind,
        specialty: None,
        level,
        role_zh: None,
    }
}

fn court_guidance() -> TargetSpec {
    TargetSpec {
        role_zh: Some("指导".to_owned()),
        ..territorial(OrgKind::Court, TargetLevel::CaseDistrict)
    }
}

fn rule(
    id: &str,
    priority: i32,
    name_zh: &str,
    conditions: RuleConditions,
    targets: Vec<TargetSpec>,
    explanation_zh: &str,
) -> RoutingRule {
    RoutingRule {
        id: id.to_owned(),
        version: 1,
        priority,
        name_zh: name_zh.to_owned(),
        conditions,
        targets,
        explanation_zh: explanation_zh.to_owned(),
        active: true,
    }
}

/// The rule set the demo city ships, using kinds and specialties only (no organisation ids), so it
/// fits any county whose directory has the usual bodies.
///
/// Order: mass labour cases (joint handling with the court) → disputes involving government action
/// → each specialised committee → labour → small neighbour/family disputes in the community (小事不出村)
/// → other family disputes to the family committee → ordinary disputes up to 50 万元 in the street
/// (大事不出镇) → the rest in the district (矛盾不上交) → the street governance centre as catch-all.
/// A county lacking a specialised committee falls through to the territorial tiers, because a rule
/// whose target is missing is skipped.
pub fn default_routing_rules() -> Vec<RoutingRule> {
    use OrgKind::{GovernanceCentre, MediationCommittee};
    use Specialty::*;
    use TargetLevel::{CaseCommunity, CaseDistrict, CaseStreet};
    let mass_labour_targets = || vec![committee(Labour), court_guidance()];
    let mass_labour_why = "涉众劳动争议（欠薪）由区县劳动争议调委会主调、人民法院提前介入指导，合力调处，防止矛盾升级";
    vec![
        rule(
            "labour_mass_applicants",
            10,
            "劳动争议欠薪（10人以上）",
            RuleConditions {
                min_applicants: Some(MASS_APPLICANTS),
                ..types(&["labour"])
            },
            mass_labour_targets(),
            mass_labour_why,
        ),
        rule(
            "labour_mass_flag",
            11,
            "劳动争议欠薪（涉众标记）",
            RuleConditions {
                any_flags: codes(&["mass"]),
                ..types(&["labour"])
            },
            mass_labour_targets(),
            mass_labour_why,
        ),
        rule(
            "government_action",
            20,
            "征地拆迁与行政争议",
            types(&["land_requisition", "administrative"]),
            vec![territorial(GovernanceCentre, CaseDistrict)],
            "涉及政府行为的争议由区县社会治理中心统筹，协调职能部门和行政争议调解，人民调解委员会不单独处理",
        ),
        rule(
            "medical",
            30,
            "医疗纠纷",
            types(&["medical"]),
            vec![committee(Medical)],
            "医疗纠纷由区县医疗纠纷人民调解委员会（医调委）专业调解，适用医疗纠纷调解期限",
        ),
        rule(
            "traffic",
            40,
            "道路交通事故纠纷",
            types(&["traffic"]),
            vec![committee(Traffic)],
            "道路交通事故损害赔偿由区县道路交通事故人民调解委员会专业调解，便于与交警、保险衔接",
        ),
        rule(
            "financial_loan",
            50,
            "金融借款纠纷",
            types(&["financial_loan"]),
            vec![committee(Finance)],
            "银行、保险等金融借款纠纷由区县金融（银保）纠纷调解委员会专业调解",
        ),
        rule(
            "consumer",
            60,
            "消费纠纷",
            types(&["consumer"]),
            vec![committee(Consumer)],
            "消费纠纷由区县消费纠纷人民调解委员会调解",
        ),
        rule(
            "property",
            70,
            "物业纠纷",
            types(&["property"]),
            vec![committee(Property)],
            "物业服务纠纷由区县物业纠纷人民调解委员会调解",
        ),
        rule(
            "elevator",
            80,
            "加装电梯纠纷",
            types(&["elevator"]),
            vec![committee(Construction)],
            "既有住宅加装电梯纠纷由区县加梯办（建设领域调委会）调解",
        ),
        rule(
            "intellectual_property",
            90,
            "知识产权纠纷",
            types(&["intellectual_property"]),
            vec![committee(IntellectualProperty)],
            "知识产权纠纷专业性强，由区县知识产权纠纷人民调解委员会调解",
        ),
        rule(
            "contract_large",
            100,
            "大额合同纠纷（100万元以上）",
            RuleConditions {
                min_amount_fen: Some(LARGE_CONTRACT_FEN),
                ..types(&["contract"])
            },
            vec![committee(Commercial)],
            "标的额 100 万元以上的合同纠纷由区县商事调解委员会调解",
        ),
        rule(
            "contract_complex",
            101,
            "疑难复杂合同纠纷",
            RuleConditions {
                any_flags: codes(&["complex"]),
                ..types(&["contract"])
            },
            vec![committee(Commercial)],
            "疑难复杂的合同纠纷由区县商事调解委员会调解",
        ),
        rule(
            "labour",
            110,
            "劳动争议",
            types(&["labour"]),
            vec![committee(Labour)],
            "劳动争议调解期限仅 15 日，调解不成即可申请仲裁，统一由区县劳动争议调委会办理，便于与劳动人事争议仲裁委员会衔接",
        ),
        rule(
            "neighbour_family_small",
            120,
            "邻里、婚姻家庭简易纠纷（5万元以下）",
            RuleConditions {
                max_amount_fen: Some(SMALL_CLAIM_FEN),
                without_flags: codes(&["complex", "mass", "violence_risk"]),
                ..types(&["neighbour", "family"])
            },
            vec![territorial(MediationCommittee, CaseCommunity)],
            "小事不出村：简单的邻里、家庭纠纷由所在社区/村人民调解委员会就地化解",
        ),
        rule(
            "family",
            130,
            "婚姻家庭纠纷（疑难、大额或有暴力风险）",
            types(&["family"]),
            vec![committee(Family)],
            "不宜在村社化解的婚姻家庭纠纷由区县婚姻家事调解委员会办理",
        ),
        rule(
            "ordinary_street",
            140,
            "一般纠纷（50万元以下）",
            RuleConditions {
                max_amount_fen: Some(STREET_CLAIM_FEN),
                without_flags: codes(&["complex", "mass"]),
                ..RuleConditions::default()
            },
            vec![territorial(MediationCommittee, CaseStreet)],
            "大事不出镇：一般纠纷由所在街道/乡镇人民调解委员会调解",
        ),
        rule(
            "major_district",
            150,
            "重大疑难纠纷",
            RuleConditions::default(),
            vec![territorial(MediationCommittee, CaseDistrict)],
            "矛盾不上交：大额、疑难复杂或涉众纠纷由区县人民调解委员会调解",
        ),
        rule(
            "catch_all",
            1000,
            "兜底：街道综治中心",
            RuleConditions::default(),
            vec![territorial(GovernanceCentre, CaseStreet)],
            "以上规则均无法分派时，由所在街道/乡镇综治中心受理并协调分流",
        ),
    ]
}
