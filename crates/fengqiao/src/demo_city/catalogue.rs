//! What the demo city's organisations are called: keys, committee and department names, studios, tribunals and shared-court stations.

use fengqiao_domain::org::Specialty;

/// Stable organisation keys: `<prefix>.<region code>`.
pub fn key(prefix: &str, region_code: &str) -> String {
    format!("{prefix}.{region_code}")
}

/// Keys of bodies a district has one of per specialty: `<prefix>.<region code>.<specialty>`.
pub fn specialty_key(prefix: &str, region_code: &str, specialty: Specialty) -> String {
    format!("{prefix}.{region_code}.{}", specialty.code())
}

/// The industry committees every district runs, with the words that name them.
pub const INDUSTRY_COMMITTEES: [(Specialty, &str); 10] = [
    (Specialty::Labour, "劳动争议"),
    (Specialty::Commercial, "商事纠纷"),
    (Specialty::Medical, "医疗纠纷"),
    (Specialty::Traffic, "道路交通事故纠纷"),
    (Specialty::Finance, "银行业保险业纠纷"),
    (Specialty::Property, "物业纠纷"),
    (Specialty::Family, "婚姻家庭纠纷"),
    (Specialty::IntellectualProperty, "知识产权纠纷"),
    (Specialty::Consumer, "消费纠纷"),
    (Specialty::Construction, "建设工程纠纷"),
];

/// The departments every district has that answer dispatched events.
pub const DEPARTMENTS: [Specialty; 10] = [
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

/// A named mediator studio (调解工作室): key slug, name, the region it serves, its field if it has
/// one, and the surname of the mediator it is named after.
pub type StudioSpec = (
    &'static str,
    &'static str,
    &'static str,
    Option<Specialty>,
    &'static str,
);

pub const STUDIOS: [StudioSpec; 9] = [
    ("laoli", "老李调解工作室", "鼓楼街道", None, "李"),
    (
        "hongxiang",
        "红巷老舅妈调解工作室",
        "红巷社区",
        Some(Specialty::Family),
        "沈",
    ),
    (
        "laowang",
        "老王调解工作室",
        "望江社区",
        Some(Specialty::Property),
        "王",
    ),
    (
        "chenlvshi",
        "陈律师商事调解工作室",
        "江城区",
        Some(Specialty::Commercial),
        "陈",
    ),
    (
        "jindajie",
        "金大姐家事调解工作室",
        "文昌社区",
        Some(Specialty::Family),
        "金",
    ),
    ("laoniangjiu", "老娘舅调解工作室", "溪口街道", None, "徐"),
    (
        "fuzhuangcheng",
        "服装城品牌调解工作室",
        "兴隆社区",
        Some(Specialty::Consumer),
        "郑",
    ),
    (
        "laozhou",
        "老周劳资调解工作室",
        "东港街道",
        Some(Specialty::Labour),
        "周",
    ),
    ("deshu", "德叔乡贤调解工作室", "石门村", None, "吴"),
];

/// The surname of the mediator a studio is named after, from the studio's organisation key.
pub fn studio_host_surname(org_key: &str) -> Option<&'static str> {
    let slug = org_key.strip_prefix("studio.")?;
    STUDIOS.iter().find(|s| s.0 == slug).map(|s| s.4)
}

/// Streets and towns that host a people's tribunal (人民法庭) of their district's court.
pub const TRIBUNALS: [&str; 4] = ["南浦街道", "文昌街道", "沙洲街道", "青石镇"];

/// Shared-court stations beyond the one in every street and town: in a village, a market, a bank,
/// a government department and an industrial park. (key suffix, name, region name)
pub const SPECIAL_SHARED_COURTS: [(&str, &str, &str); 5] = [
    ("village.shimen", "石门村共享法庭", "石门村"),
    ("market.fuzhuangcheng", "临江国际服装城共享法庭", "兴隆社区"),
    (
        "bank.jiangcheng",
        "临江农商银行江城支行共享法庭",
        "望江街道",
    ),
    (
        "dept.339902.human_resources",
        "江城区人社局劳动纠纷共享法庭",
        "江城区",
    ),
    ("park.kaifaqu", "临江经济技术开发区共享法庭", "港城社区"),
];

pub const ROADS: [&str; 18] = [
    "人民路",
    "解放路",
    "中山路",
    "建设路",
    "文化路",
    "新华路",
    "和平路",
    "胜利路",
    "青年路",
    "滨江路",
    "环城东路",
    "环城西路",
    "学院路",
    "工人路",
    "府前街",
    "迎宾大道",
    "江滨大道",
    "广场路",
];

/// A district department's official name; police and environment are branches of the city bureau.
pub fn department_name(city: &str, district: &str, specialty: Specialty) -> String {
    let short = district.trim_end_matches(['区', '县']);
    let is_county = district.ends_with('县');
    match specialty {
        Specialty::HumanResources => format!("{district}人力资源和社会保障局"),
        Specialty::Housing => format!("{district}住房和城乡建设局"),
        Specialty::MarketRegulation => format!("{district}市场监督管理局"),
        Specialty::Police if is_county => format!("{district}公安局"),
        Specialty::Police => format!("{city}公安局{short}分局"),
        Specialty::UrbanManagement => format!("{district}城市管理局"),
        Specialty::Health => format!("{district}卫生健康局"),
        Specialty::Emergency => format!("{district}应急管理局"),
        Specialty::FireRescue => format!("{district}消防救援大队"),
        Specialty::Environment => format!("{city}生态环境局{short}分局"),
        Specialty::Education => format!("{district}教育局"),
        other => format!("{district}{}局", other.label_zh()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn department_names_follow_official_patterns() {
        let name = |d, s| department_name("临江市", d, s);
        assert_eq!(name("江城区", Specialty::Police), "临江市公安局江城分局");
        assert_eq!(name("桐山县", Specialty::Police), "桐山县公安局");
        assert_eq!(
            name("东港区", Specialty::Environment),
            "临江市生态环境局东港分局"
        );
        assert_eq!(
            name("江城区", Specialty::HumanResources),
            "江城区人力资源和社会保障局"
        );
        assert_eq!(name("临溪区", Specialty::FireRescue), "临溪区消防救援大队");
    }

    #[test]
    fn keys_and_studio_hosts() {
        assert_eq!(key("court", "339902"), "court.339902");
        assert_eq!(
            specialty_key("imc", "339902", Specialty::Labour),
            "imc.339902.labour"
        );
        assert_eq!(studio_host_surname("studio.laoli"), Some("李"));
        assert_eq!(studio_host_surname("studio.nobody"), None);
        assert_eq!(studio_host_surname("med.339902"), None);
    }
}
