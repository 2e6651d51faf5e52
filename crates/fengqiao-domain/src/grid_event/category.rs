//! Grid event categories (事件分类) as data: the demo city's defaults, each with the department
//! field that normally handles it, the dispute type it becomes when it is a dispute, and the
//! extra attributes a reporter fills in (also served as Open311 service definitions).

use crate::org::Specialty;
use serde::{Deserialize, Serialize};

/// One extra field of a category (GeoReport v2 `attribute`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryAttribute {
    pub code: String,
    /// `string`, `number`, `datetime`, `text`, `singlevaluelist` or `multivaluelist`.
    pub datatype: String,
    pub required: bool,
    /// The question put to the reporter.
    pub description: String,
    pub order: u32,
    /// For list types: (key, name) pairs.
    #[serde(default)]
    pub values: Vec<(String, String)>,
}

/// A category of grid event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventCategory {
    pub code: String,
    pub name_zh: String,
    /// The group the console and Open311 show it under (市容环境, 公共安全 …).
    pub group_zh: String,
    pub description: String,
    /// The department field that normally handles it; the default dispatch rules come from this.
    pub specialty: Option<Specialty>,
    /// When the event is really a dispute, the dispute type it becomes.
    pub dispute_type: Option<String>,
    /// Words that suggest this category in free text (12345 work orders carry only text).
    pub keywords: Vec<String>,
    pub attributes: Vec<CategoryAttribute>,
}

fn list(code: &str, description: &str, values: &[(&str, &str)], multi: bool) -> CategoryAttribute {
    CategoryAttribute {
        code: code.to_owned(),
        datatype: if multi {
            "multivaluelist"
        } else {
            "singlevaluelist"
        }
        .to_owned(),
        required: true,
        description: description.to_owned(),
        order: 1,
        values: values
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    }
}

fn number(code: &str, description: &str, order: u32) -> CategoryAttribute {
    CategoryAttribute {
        code: code.to_owned(),
        datatype: "number".to_owned(),
        required: false,
        description: description.to_owned(),
        order,
        values: Vec::new(),
    }
}

struct Row {
    code: &'static str,
    name_zh: &'static str,
    group_zh: &'static str,
    description: &'static str,
    specialty: Option<Specialty>,
    dispute_type: Option<&'static str>,
    keywords: &'static [&'static str],
}

fn category(row: Row, attributes: Vec<CategoryAttribute>) -> EventCategory {
    EventCategory {
        code: row.code.to_owned(),
        name_zh: row.name_zh.to_owned(),
        group_zh: row.group_zh.to_owned(),
        description: row.description.to_owned(),
        specialty: row.specialty,
        dispute_type: row.dispute_type.map(str::to_owned),
        keywords: row.keywords.iter().map(|k| (*k).to_owned()).collect(),
        attributes,
    }
}

/// The categories a county grid system ships with (after the usual 城市管理 / 平安建设 split).
pub fn default_categories() -> Vec<EventCategory> {
    use Specialty::*;
    let rows = [
        Row {
            code: "clutter",
            name_zh: "乱堆乱放",
            group_zh: "市容环境",
            description: "楼道、道路、绿地堆放杂物",
            specialty: Some(UrbanManagement),
            dispute_type: None,
            keywords: &["堆放", "杂物", "乱堆"],
        },
        Row {
            code: "street_vending",
            name_zh: "占道经营",
            group_zh: "市容环境",
            description: "流动摊贩、店外经营占用道路",
            specialty: Some(UrbanManagement),
            dispute_type: None,
            keywords: &["占道", "摊贩", "摆摊"],
        },
        Row {
            code: "exposed_garbage",
            name_zh: "暴露垃圾",
            group_zh: "市容环境",
            description: "垃圾未清运、满溢",
            specialty: Some(UrbanManagement),
            dispute_type: None,
            keywords: &["垃圾", "满溢", "清运"],
        },
        Row {
            code: "illegal_construction",
            name_zh: "违章搭建",
            group_zh: "城乡建设",
            description: "未经批准的搭建、扩建",
            specialty: Some(Housing),
            dispute_type: None,
            keywords: &["违建", "搭建", "违章"],
        },
        Row {
            code: "road_damage",
            name_zh: "道路破损",
            group_zh: "公共设施",
            description: "路面塌陷、破损、积水",
            specialty: Some(Housing),
            dispute_type: None,
            keywords: &["路面", "塌陷", "坑洼", "积水"],
        },
        Row {
            code: "facility_damage",
            name_zh: "公共设施损坏",
            group_zh: "公共设施",
            description: "路灯、井盖、护栏等城市部件损坏或缺失",
            specialty: Some(UrbanManagement),
            dispute_type: None,
            keywords: &["路灯", "井盖", "护栏"],
        },
        Row {
            code: "fire_hazard",
            name_zh: "消防安全隐患",
            group_zh: "安全隐患",
            description: "堵塞消防通道、违规充电、消防设施缺失",
            specialty: Some(FireRescue),
            dispute_type: None,
            keywords: &["消防", "电瓶车", "充电", "通道"],
        },
        Row {
            code: "work_safety_hazard",
            name_zh: "安全生产隐患",
            group_zh: "安全隐患",
            description: "企业、工地、燃气等安全生产隐患",
            specialty: Some(Emergency),
            dispute_type: None,
            keywords: &["燃气", "工地", "安全生产", "隐患"],
        },
        Row {
            code: "public_security",
            name_zh: "治安隐患",
            group_zh: "平安建设",
            description: "可疑人员、聚集、涉黄赌毒线索",
            specialty: Some(Police),
            dispute_type: None,
            keywords: &["可疑", "聚集", "赌博", "治安"],
        },
        Row {
            code: "food_safety",
            name_zh: "食品安全",
            group_zh: "市场监管",
            description: "无证经营、过期食品、卫生问题",
            specialty: Some(MarketRegulation),
            dispute_type: None,
            keywords: &["食品", "过期", "无证"],
        },
        Row {
            code: "noise",
            name_zh: "噪声扰民",
            group_zh: "生态环境",
            description: "施工、经营、娱乐噪声",
            specialty: Some(Environment),
            dispute_type: None,
            keywords: &["噪声", "噪音", "扰民"],
        },
        Row {
            code: "pollution",
            name_zh: "环境污染",
            group_zh: "生态环境",
            description: "污水、废气、油烟排放",
            specialty: Some(Environment),
            dispute_type: None,
            keywords: &["污水", "油烟", "排放", "异味"],
        },
        Row {
            code: "wage_arrears",
            name_zh: "欠薪线索",
            group_zh: "劳动保障",
            description: "拖欠农民工工资等线索",
            specialty: Some(HumanResources),
            dispute_type: Some("labour"),
            keywords: &["欠薪", "工资", "讨薪"],
        },
        Row {
            code: "neighbour_dispute",
            name_zh: "邻里纠纷",
            group_zh: "矛盾纠纷",
            description: "邻里之间的漏水、噪声、通行等纠纷",
            specialty: None,
            dispute_type: Some("neighbour"),
            keywords: &["邻居", "邻里", "漏水"],
        },
        Row {
            code: "family_dispute",
            name_zh: "婚姻家庭纠纷",
            group_zh: "矛盾纠纷",
            description: "婚姻、赡养、继承等家庭纠纷",
            specialty: None,
            dispute_type: Some("family"),
            keywords: &["赡养", "离婚", "家庭"],
        },
        Row {
            code: "property_dispute",
            name_zh: "物业纠纷",
            group_zh: "矛盾纠纷",
            description: "物业服务、收费、公共收益纠纷",
            specialty: Some(Housing),
            dispute_type: Some("property"),
            keywords: &["物业", "物业费"],
        },
        Row {
            code: "epidemic_health",
            name_zh: "公共卫生",
            group_zh: "卫生健康",
            description: "病媒、传染病线索、卫生环境",
            specialty: Some(Health),
            dispute_type: None,
            keywords: &["老鼠", "蚊虫", "传染"],
        },
        Row {
            code: "school_safety",
            name_zh: "校园周边安全",
            group_zh: "教育",
            description: "校园周边交通、摊贩、治安",
            specialty: Some(Education),
            dispute_type: None,
            keywords: &["学校", "校园", "学生"],
        },
    ];
    rows.into_iter()
        .map(|row| {
            let attributes = match row.code {
                "clutter" | "exposed_garbage" => vec![list(
                    "location_kind",
                    "发生位置",
                    &[
                        ("corridor", "楼道"),
                        ("road", "道路"),
                        ("green", "绿地"),
                        ("river", "河道"),
                    ],
                    false,
                )],
                "facility_damage" => vec![list(
                    "component",
                    "损坏的部件（可多选）",
                    &[
                        ("streetlight", "路灯"),
                        ("manhole", "井盖"),
                        ("railing", "护栏"),
                        ("sign", "标识牌"),
                    ],
                    true,
                )],
                "fire_hazard" => vec![list(
                    "hazard",
                    "隐患类型（可多选）",
                    &[
                        ("blocked_exit", "消防通道堵塞"),
                        ("indoor_charging", "电动车入户充电"),
                        ("missing_extinguisher", "灭火器缺失"),
                    ],
                    true,
                )],
                "wage_arrears" => vec![
                    number("worker_count", "涉及人数", 1),
                    number("amount_yuan", "涉及金额（元）", 2),
                ],
                _ => Vec::new(),
            };
            category(row, attributes)
        })
        .collect()
}
