//! 一库 — the base-data registry's record kinds (people, housing, enterprises, organisations, city
//! components), the fields each kind takes, and their validation. Pure: the caller passes today's
//! date for the ID number's birth-date check.

use crate::identifiers::{CreditCode, MobileNumber, ResidentId};
use crate::validation::{FieldError, Problems};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The kinds of record the registry holds (DOMAIN §2).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BaseKind {
    /// 人口
    Person,
    /// 房屋
    Housing,
    /// 企业
    Enterprise,
    /// 社会组织、事业单位、机关等
    Organisation,
    /// 城市部件
    Component,
}

impl BaseKind {
    pub const ALL: [BaseKind; 5] = [
        BaseKind::Person,
        BaseKind::Housing,
        BaseKind::Enterprise,
        BaseKind::Organisation,
        BaseKind::Component,
    ];

    pub fn code(self) -> &'static str {
        match self {
            BaseKind::Person => "person",
            BaseKind::Housing => "housing",
            BaseKind::Enterprise => "enterprise",
            BaseKind::Organisation => "organisation",
            BaseKind::Component => "component",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            BaseKind::Person => "人口",
            BaseKind::Housing => "房屋",
            BaseKind::Enterprise => "企业",
            BaseKind::Organisation => "组织",
            BaseKind::Component => "城市部件",
        }
    }

    /// What `category` means for this kind, and the values it may take (empty: free text).
    pub fn category(self) -> CategoryRule {
        match self {
            BaseKind::Person => CategoryRule {
                label_zh: "人口类别",
                required: true,
                values: &[
                    ("registered", "户籍人口"),
                    ("floating", "流动人口"),
                    ("overseas", "境外人员"),
                ],
            },
            BaseKind::Housing => CategoryRule {
                label_zh: "房屋用途",
                required: true,
                values: &[
                    ("residential", "住宅"),
                    ("commercial", "商业"),
                    ("mixed", "商住两用"),
                    ("industrial", "厂房仓储"),
                    ("public", "公共用房"),
                    ("other", "其他"),
                ],
            },
            BaseKind::Enterprise => CategoryRule {
                label_zh: "所属行业",
                required: false,
                values: &[],
            },
            BaseKind::Organisation => CategoryRule {
                label_zh: "组织类型",
                required: true,
                values: &[
                    ("social_organisation", "社会组织"),
                    ("public_institution", "事业单位"),
                    ("government", "机关"),
                    ("party", "党组织"),
                    ("mass_organisation", "群团组织"),
                    ("self_governing", "居（村）民自治组织"),
                    ("other", "其他"),
                ],
            },
            BaseKind::Component => CategoryRule {
                label_zh: "部件类型",
                required: true,
                values: &[
                    ("manhole_cover", "井盖"),
                    ("street_lamp", "路灯"),
                    ("fire_hydrant", "消火栓"),
                    ("camera", "监控探头"),
                    ("trash_bin", "垃圾箱"),
                    ("bus_shelter", "公交站亭"),
                    ("power_box", "电力设施"),
                    ("signpost", "路名牌"),
                    ("bridge", "桥梁"),
                    ("charging_pile", "充电桩"),
                    ("other", "其他"),
                ],
            },
        }
    }
}

impl fmt::Display for BaseKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for BaseKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        BaseKind::ALL
            .into_iter()
            .find(|k| k.code() == s)
            .ok_or_else(|| format!("unknown base-data kind `{s}`"))
    }
}

/// The `category` field of one kind: its label and allowed codes with their Chinese labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CategoryRule {
    pub label_zh: &'static str,
    pub required: bool,
    /// `(code, label)`; empty means free text of at most 32 characters.
    pub values: &'static [(&'static str, &'static str)],
}

/// 房屋 — how a dwelling is used by its occupants.
pub const HOUSING_TENURES: [(&str, &str); 4] = [
    ("owner_occupied", "自住"),
    ("rented", "出租"),
    ("vacant", "空置"),
    ("other", "其他"),
];

/// 城市部件 — the state a component was last seen in.
pub const COMPONENT_STATUSES: [(&str, &str); 4] = [
    ("normal", "完好"),
    ("damaged", "破损"),
    ("missing", "缺失"),
    ("removed", "已拆除"),
];

/// Most tags one record may carry, and the longest tag.
pub const MAX_TAGS: usize = 10;
pub const MAX_TAG_CHARS: usize = 16;

/// One record as a caller sends it (create, import row, or the result of applying a patch).
/// Fields that do not apply to the record's kind must be left empty.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordDraft {
    /// The grid (region of level `grid`) the record belongs to.
    pub grid_code: String,
    /// Person's name, the dwelling's label (`3幢2单元301`), the enterprise's or organisation's
    /// name, or the component's name.
    pub name: String,
    #[serde(default)]
    pub address: String,
    /// Per kind: person — residency (`registered`, `floating`, `overseas`); housing — use;
    /// enterprise — industry (free text); organisation — type; component — component type.
    #[serde(default)]
    pub category: Option<String>,
    /// Free labels such as 独居老人, 低保户, 出租屋, 重点企业 (at most 10, each ≤ 16 characters).
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub notes: String,
    /// Person only: resident ID number (GB 11643), stored encrypted and shown masked.
    #[serde(default)]
    pub id_number: Option<String>,
    /// Person's mobile, or the housing owner's / enterprise's / organisation's contact mobile;
    /// stored encrypted and shown masked.
    #[serde(default)]
    pub phone: Option<String>,
    /// Enterprise (required) and organisation (optional): unified social credit code (GB 32100).
    #[serde(default)]
    pub credit_code: Option<String>,
    /// Person only: the housing record the person lives in.
    #[serde(default)]
    pub housing_id: Option<String>,
    /// WGS84 latitude; required (with `lng`) for components.
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lng: Option<f64>,
    /// Housing: `owner_occupied`, `rented`, `vacant`, `other`.
    #[serde(default)]
    pub tenure: Option<String>,
    /// Housing: floor area in square metres.
    #[serde(default)]
    pub area_m2: Option<f64>,
    /// Housing: the owner's name.
    #[serde(default)]
    pub owner_name: Option<String>,
    /// Enterprise: legal representative (法定代表人).
    #[serde(default)]
    pub legal_representative: Option<String>,
    /// Enterprise: number of employees.
    #[serde(default)]
    pub employees: Option<i64>,
    /// Organisation: contact person.
    #[serde(default)]
    pub contact_name: Option<String>,
    /// Component: the component's own code (部件编码).
    #[serde(default)]
    pub component_code: Option<String>,
    /// Component: `normal`, `damaged`, `missing`, `removed`.
    #[serde(default)]
    pub status: Option<String>,
    /// Component: the department that owns and maintains it (权属单位).
    #[serde(default)]
    pub owner_department: Option<String>,
}

/// Kind-specific details kept beside the searchable columns (stored as JSON).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenure: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_m2: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_representative: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employees: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_department: Option<String>,
}

/// A record that passed validation: identifiers parsed, texts trimmed, completeness decided.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidRecord {
    pub kind: BaseKind,
    pub grid_code: String,
    pub name: String,
    pub address: String,
    pub category: Option<String>,
    /// Distinct, in the order given.
    pub tags: Vec<String>,
    pub notes: String,
    pub id_number: Option<ResidentId>,
    pub phone: Option<MobileNumber>,
    pub credit_code: Option<CreditCode>,
    pub housing_id: Option<String>,
    /// (latitude, longitude)
    pub point: Option<(f64, f64)>,
    pub details: RecordDetails,
    /// Whether the fields the grid index's data-quality duty asks for are all present.
    pub complete: bool,
}

/// A non-empty trimmed optional text.
fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Which kinds a kind-specific field applies to.
fn applies(field: &str, kind: BaseKind) -> bool {
    use BaseKind::*;
    match field {
        "id_number" | "housing_id" => kind == Person,
        "phone" => kind != Component,
        "credit_code" => matches!(kind, Enterprise | Organisation),
        "tenure" | "area_m2" | "owner_name" => kind == Housing,
        "legal_representative" | "employees" => kind == Enterprise,
        "contact_name" => kind == Organisation,
        "component_code" | "status" | "owner_department" => kind == Component,
        _ => true,
    }
}

/// Roughly mainland China plus its seas: a point outside is a swapped or mistyped coordinate.
const LAT_RANGE: (f64, f64) = (3.0, 54.0);
const LNG_RANGE: (f64, f64) = (73.0, 136.0);

fn code_of(
    problems: &mut Problems,
    field: &str,
    value: Option<&str>,
    allowed: &[(&str, &str)],
) -> Option<String> {
    let value = value?;
    if allowed.iter().any(|(code, _)| *code == value) {
        return Some(value.to_owned());
    }
    // A Chinese label typed in a spreadsheet is as good as its code.
    if let Some((code, _)) = allowed.iter().find(|(_, label)| *label == value) {
        return Some((*code).to_owned());
    }
    let list: Vec<String> = allowed.iter().map(|(c, l)| format!("{c}（{l}）")).collect();
    problems.push(field, "bad_value", format!("取值应为：{}", list.join("、")));
    None
}

fn short_text(problems: &mut Problems, field: &str, value: &Option<String>) -> Option<String> {
    present(value).map(|v| problems.optional_text(field, v, 64))
}

/// Checks one draft for `kind`, collecting every problem. `today` (China date) bounds the birth
/// date in an ID number.
pub fn validate(
    kind: BaseKind,
    draft: &RecordDraft,
    today: NaiveDate,
) -> Result<ValidRecord, Vec<FieldError>> {
    let mut p = Problems::default();
    let grid_code = draft.grid_code.trim().to_owned();
    if grid_code.is_empty() {
        p.push("grid_code", "required", "必须指定所属网格");
    } else if !grid_code.bytes().all(|b| b.is_ascii_digit()) {
        p.push("grid_code", "bad_code", "网格代码应为数字");
    }
    let name = p.text("name", &draft.name, 64);
    let address = p.optional_text("address", &draft.address, 128);
    let notes = p.optional_text("notes", &draft.notes, 500);

    // Fields of other kinds are refused rather than silently dropped: they are usually a
    // spreadsheet column in the wrong template.
    let given: [(&str, bool); 13] = [
        ("id_number", present(&draft.id_number).is_some()),
        ("housing_id", present(&draft.housing_id).is_some()),
        ("phone", present(&draft.phone).is_some()),
        ("credit_code", present(&draft.credit_code).is_some()),
        ("tenure", present(&draft.tenure).is_some()),
        ("area_m2", draft.area_m2.is_some()),
        ("owner_name", present(&draft.owner_name).is_some()),
        (
            "legal_representative",
            present(&draft.legal_representative).is_some(),
        ),
        ("employees", draft.employees.is_some()),
        ("contact_name", present(&draft.contact_name).is_some()),
        ("component_code", present(&draft.component_code).is_some()),
        ("status", present(&draft.status).is_some()),
        (
            "owner_department",
            present(&draft.owner_department).is_some(),
        ),
    ];
    for (field, is_given) in given {
        if is_given && !applies(field, kind) {
            p.push(
                field,
                "not_applicable",
                format!("{}记录没有此项", kind.label_zh()),
            );
        }
    }

    let rule = kind.category();
    let category = match present(&draft.category) {
        None if rule.required => {
            p.push("category", "required", format!("必须填写{}", rule.label_zh));
            None
        }
        None => None,
        Some(v) if rule.values.is_empty() => Some(p.optional_text("category", v, 32)),
        Some(v) => code_of(&mut p, "category", Some(v), rule.values),
    };

    let mut tags: Vec<String> = Vec::new();
    for (i, tag) in draft.tags.iter().enumerate() {
        let tag = tag.trim();
        if tag.is_empty() {
            continue;
        }
        if tag.chars().count() > MAX_TAG_CHARS
            || tag.contains([',', '，'])
            || tag.chars().any(char::is_control)
        {
            p.push(
                &format!("tags.{i}"),
                "bad_tag",
                format!("标签不超过 {MAX_TAG_CHARS} 个字，且不含逗号"),
            );
        } else if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_owned());
        }
    }
    if tags.len() > MAX_TAGS {
        p.push("tags", "too_many", format!("最多 {MAX_TAGS} 个标签"));
    }

    let id_number = match present(&draft.id_number).filter(|_| applies("id_number", kind)) {
        Some(v) => match ResidentId::parse_as_of(v, today) {
            Ok(id) => Some(id),
            Err(e) => {
                p.push("id_number", "bad_id_number", e.to_string());
                None
            }
        },
        None => None,
    };
    let phone = match present(&draft.phone).filter(|_| applies("phone", kind)) {
        Some(v) => match MobileNumber::parse(v) {
            Ok(m) => Some(m),
            Err(e) => {
                p.push("phone", "bad_phone", e.to_string());
                None
            }
        },
        None => None,
    };
    let credit_code = match present(&draft.credit_code).filter(|_| applies("credit_code", kind)) {
        Some(v) => match CreditCode::parse(v) {
            Ok(c) => Some(c),
            Err(e) => {
                p.push("credit_code", "bad_credit_code", e.to_string());
                None
            }
        },
        None if kind == BaseKind::Enterprise => {
            p.push("credit_code", "required", "企业必须填写统一社会信用代码");
            None
        }
        None => None,
    };
    let housing_id = present(&draft.housing_id)
        .filter(|_| applies("housing_id", kind))
        .map(str::to_owned);

    let point = match (draft.lat, draft.lng) {
        (Some(lat), Some(lng)) => {
            if !(LAT_RANGE.0..=LAT_RANGE.1).contains(&lat) {
                p.push("lat", "out_of_range", "纬度不在中国境内（3–54°）");
                None
            } else if !(LNG_RANGE.0..=LNG_RANGE.1).contains(&lng) {
                p.push("lng", "out_of_range", "经度不在中国境内（73–136°）");
                None
            } else {
                Some((lat, lng))
            }
        }
        (None, None) => {
            if kind == BaseKind::Component {
                p.push("lat", "required", "城市部件必须有坐标（纬度、经度）");
            }
            None
        }
        (Some(_), None) => {
            p.push("lng", "required", "纬度与经度须同时填写");
            None
        }
        (None, Some(_)) => {
            p.push("lat", "required", "纬度与经度须同时填写");
            None
        }
    };

    let mut details = RecordDetails::default();
    match kind {
        BaseKind::Housing => {
            if address.is_empty() && !p.0.iter().any(|e| e.field == "address") {
                p.push("address", "required", "房屋必须填写地址");
            }
            details.tenure = code_of(&mut p, "tenure", present(&draft.tenure), &HOUSING_TENURES);
            details.area_m2 = match draft.area_m2 {
                Some(a) if !(0.0..=100_000.0).contains(&a) || !a.is_finite() => {
                    p.push("area_m2", "out_of_range", "面积应在 0–100000 平方米之间");
                    None
                }
                other => other.map(|a| (a * 100.0).round() / 100.0),
            };
            details.owner_name = short_text(&mut p, "owner_name", &draft.owner_name);
        }
        BaseKind::Enterprise => {
            details.legal_representative =
                short_text(&mut p, "legal_representative", &draft.legal_representative);
            details.employees = match draft.employees {
                Some(n) if !(0..=10_000_000).contains(&n) => {
                    p.push("employees", "out_of_range", "从业人数应在 0–10000000 之间");
                    None
                }
                other => other,
            };
        }
        BaseKind::Organisation => {
            details.contact_name = short_text(&mut p, "contact_name", &draft.contact_name);
        }
        BaseKind::Component => {
            details.component_code = short_text(&mut p, "component_code", &draft.component_code);
            details.status = code_of(
                &mut p,
                "status",
                present(&draft.status).or(Some("normal")),
                &COMPONENT_STATUSES,
            );
            details.owner_department =
                short_text(&mut p, "owner_department", &draft.owner_department);
        }
        BaseKind::Person => {}
    }

    p.finish()?;
    let mut record = ValidRecord {
        kind,
        grid_code,
        name,
        address,
        category,
        tags,
        notes,
        id_number,
        phone,
        credit_code,
        housing_id,
        point,
        details,
        complete: false,
    };
    record.complete = is_complete(&record);
    Ok(record)
}

/// 数据质量 — the fields each kind needs to be useful to the grid: what the grid index's
/// base-data-quality duty counts (see docs/GRID-INDEX.md).
///
/// - person: ID number, mobile, and where they live (housing record or address);
/// - housing: address, tenure, and a way to reach the owner (name or mobile);
/// - enterprise: address, legal representative, contact mobile;
/// - organisation: address, contact person, contact mobile;
/// - component: component code, point, status.
pub fn is_complete(r: &ValidRecord) -> bool {
    let has = |s: &Option<String>| s.as_deref().is_some_and(|v| !v.is_empty());
    match r.kind {
        BaseKind::Person => {
            r.id_number.is_some()
                && r.phone.is_some()
                && (r.housing_id.is_some() || !r.address.is_empty())
        }
        BaseKind::Housing => {
            !r.address.is_empty()
                && has(&r.details.tenure)
                && (has(&r.details.owner_name) || r.phone.is_some())
        }
        BaseKind::Enterprise => {
            !r.address.is_empty() && has(&r.details.legal_representative) && r.phone.is_some()
        }
        BaseKind::Organisation => {
            !r.address.is_empty() && has(&r.details.contact_name) && r.phone.is_some()
        }
        BaseKind::Component => {
            has(&r.details.component_code) && r.point.is_some() && has(&r.details.status)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 10, 15).unwrap()
    }

    /// A resident ID with its GB 11643 check character.
    fn resident_id(region: &str, birth: &str, seq: &str) -> String {
        const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        let body = format!("{region}{birth}{seq}");
        let sum: u32 = body
            .chars()
            .zip(W)
            .map(|(c, w)| c.to_digit(10).unwrap() * w)
            .sum();
        let check = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
        format!("{body}{check}")
    }

    fn person() -> RecordDraft {
        RecordDraft {
            grid_code: "339902001001001".into(),
            name: " 王建国 ".into(),
            address: "鼓楼社区 3 幢 2 单元 301".into(),
            category: Some("户籍人口".into()),
            tags: vec!["独居老人".into(), " 独居老人".into(), "".into()],
            id_number: Some("11010519491231002X".into()),
            phone: Some("138 0013 8000".into()),
            ..RecordDraft::default()
        }
    }

    #[test]
    fn a_person_is_parsed_and_normalised() {
        let r = validate(BaseKind::Person, &person(), today()).unwrap();
        assert_eq!(r.name, "王建国");
        assert_eq!(r.category.as_deref(), Some("registered"), "label accepted");
        assert_eq!(r.tags, vec!["独居老人".to_owned()], "deduplicated");
        assert_eq!(r.phone.as_ref().unwrap().as_str(), "13800138000");
        assert_eq!(r.id_number.as_ref().unwrap().masked(), "110105********002X");
        assert!(r.complete);
    }

    #[test]
    fn every_problem_is_named() {
        let mut d = person();
        d.id_number = Some("110105194912310021".into());
        d.phone = Some("12345".into());
        d.credit_code = Some("91350100M000100Y43".into());
        d.tenure = Some("rented".into());
        d.category = Some("martian".into());
        d.grid_code = String::new();
        let errs = validate(BaseKind::Person, &d, today()).unwrap_err();
        let fields: Vec<(&str, &str)> = errs
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        for expected in [
            ("grid_code", "required"),
            ("credit_code", "not_applicable"),
            ("tenure", "not_applicable"),
            ("category", "bad_value"),
            ("id_number", "bad_id_number"),
            ("phone", "bad_phone"),
        ] {
            assert!(
                fields.contains(&expected),
                "{expected:?} missing in {fields:?}"
            );
        }
    }

    #[test]
    fn an_id_born_in_the_future_is_refused() {
        let mut d = person();
        // Valid checksum, born 2030-01-01.
        d.id_number = Some(resident_id("110105", "20300101", "001"));
        let errs = validate(BaseKind::Person, &d, today()).unwrap_err();
        assert_eq!(errs[0].field, "id_number");
    }

    #[test]
    fn enterprises_need_a_valid_credit_code() {
        let d = RecordDraft {
            grid_code: "339902001001001".into(),
            name: "临江市某建筑劳务有限公司".into(),
            ..RecordDraft::default()
        };
        let errs = validate(BaseKind::Enterprise, &d, today()).unwrap_err();
        assert_eq!(
            (errs[0].field.as_str(), errs[0].code.as_str()),
            ("credit_code", "required")
        );
        let mut ok = d.clone();
        ok.credit_code = Some("91350100M000100Y43".into());
        let r = validate(BaseKind::Enterprise, &ok, today()).unwrap();
        assert!(!r.complete, "no address, representative or phone yet");
        let mut typo = d;
        typo.credit_code = Some("91350100M000100Y44".into());
        let errs = validate(BaseKind::Enterprise, &typo, today()).unwrap_err();
        assert_eq!(errs[0].code, "bad_credit_code");
    }

    #[test]
    fn components_need_a_point_inside_china() {
        let mut d = RecordDraft {
            grid_code: "339902001001001".into(),
            name: "鼓楼路 12 号井盖".into(),
            category: Some("manhole_cover".into()),
            component_code: Some("JG-0012".into()),
            ..RecordDraft::default()
        };
        let errs = validate(BaseKind::Component, &d, today()).unwrap_err();
        assert_eq!(errs[0].field, "lat");
        d.lat = Some(120.1);
        d.lng = Some(30.2);
        let errs = validate(BaseKind::Component, &d, today()).unwrap_err();
        assert_eq!(
            (errs[0].field.as_str(), errs[0].code.as_str()),
            ("lat", "out_of_range")
        );
        d.lat = Some(30.25);
        d.lng = Some(120.17);
        let r = validate(BaseKind::Component, &d, today()).unwrap();
        assert_eq!(
            r.details.status.as_deref(),
            Some("normal"),
            "defaults to normal"
        );
        assert!(r.complete);
    }

    #[test]
    fn housing_needs_an_address_and_knows_its_tenure() {
        let mut d = RecordDraft {
            grid_code: "339902001001001".into(),
            name: "3幢2单元301".into(),
            category: Some("residential".into()),
            tenure: Some("出租".into()),
            ..RecordDraft::default()
        };
        let errs = validate(BaseKind::Housing, &d, today()).unwrap_err();
        assert_eq!(errs[0].field, "address");
        d.address = "鼓楼路 3 号".into();
        d.owner_name = Some("陈阿姨".into());
        let r = validate(BaseKind::Housing, &d, today()).unwrap();
        assert_eq!(r.details.tenure.as_deref(), Some("rented"));
        assert!(r.complete);
    }

    #[test]
    fn tags_are_bounded() {
        let mut d = person();
        d.tags = (0..11).map(|i| format!("标签{i}")).collect();
        let errs = validate(BaseKind::Person, &d, today()).unwrap_err();
        assert_eq!(errs[0].code, "too_many");
        d.tags = vec!["a,b".into()];
        let errs = validate(BaseKind::Person, &d, today()).unwrap_err();
        assert_eq!(errs[0].field, "tags.0");
    }

    #[test]
    fn kinds_round_trip_their_codes() {
        for k in BaseKind::ALL {
            assert_eq!(k.code().parse::<BaseKind>().unwrap(), k);
        }
        assert!("house".parse::<BaseKind>().is_err());
    }
}
