//! Demo base data (一库) and visits (走访) for 鼓楼街道 (339902001), the demo city's first street:
//! dwellings, residents, enterprises, organisations and city components in each of its territorial
//! grids, a street-wide visit campaign and its grid workers' visits over the last weeks. Written
//! through the same store functions the API uses, deterministically, in a few seconds.

use crate::demo_city::{DemoCity, DemoRegion};
use crate::seed::demo_id;
use anyhow::Context;
use chrono::Datelike;
use fengqiao_domain::basedata::{BaseKind, RecordDraft};
use fengqiao_domain::identifiers::{CreditCode, ResidentId};
use fengqiao_domain::region::{GridKind, RegionLevel};
use fengqiao_domain::time::Timestamp;
use fengqiao_store::basedata::{
    NewCampaign, NewIssue, NewVisit, create_record_in, create_visit_in,
};
use fengqiao_store::{AuditCtx, FieldCipher, Scope, Store};

/// The street whose grids carry the demo registry.
pub const STREET: &str = "339902001";

/// Dwellings per grid (residents are drawn per dwelling).
const DWELLINGS: u64 = 16;

/// A dwelling's record id and its residents' record ids.
type Dwelling = (String, Vec<String>);

/// What was written.
pub struct BaseDataSummary {
    pub records: usize,
    pub visits: usize,
}

/// SplitMix64: the same registry on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items
            .get(self.below(items.len() as u64) as usize)
            .copied()
            .unwrap_or_default()
    }
}

const SURNAMES: [&str; 24] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "郑", "梁", "谢", "宋", "楼",
];
const GIVEN: [&str; 32] = [
    "建国", "秀英", "志强", "丽娟", "海峰", "晓明", "桂兰", "国庆", "美玲", "伟", "芳", "磊",
    "建华", "玉梅", "德明", "春燕", "俊杰", "雨涵", "子轩", "欣怡", "金凤", "福根", "爱华", "文斌",
    "淑芬", "浩然", "静怡", "永强", "彩霞", "立新", "梓涵", "根发",
];
const ROADS: [&str; 10] = [
    "中山路",
    "解放路",
    "鼓楼巷",
    "河坊街",
    "定安路",
    "惠民路",
    "太平巷",
    "大井巷",
    "察院前",
    "四宜路",
];
const INDUSTRIES: [(&str, &str); 8] = [
    ("餐饮", "餐饮管理有限公司"),
    ("批发零售", "商贸有限公司"),
    ("居民服务", "家政服务有限公司"),
    ("建筑业", "建筑劳务有限公司"),
    ("信息技术", "网络科技有限公司"),
    ("住宿", "酒店管理有限公司"),
    ("文化旅游", "文化创意有限公司"),
    ("物业管理", "物业服务有限公司"),
];
const SHOP_WORDS: [&str; 12] = [
    "鼓楼", "河坊", "临江", "江南", "锦程", "和顺", "安康", "百汇", "德源", "瑞丰", "同福", "润泽",
];
const ORGS: [(&str, &str); 4] = [
    ("social_organisation", "社区志愿者协会"),
    ("party", "居民区党支部"),
    ("self_governing", "业主委员会"),
    ("social_organisation", "老年人协会"),
];
const COMPONENTS: [(&str, &str, &str, &str); 5] = [
    ("manhole_cover", "井盖", "JG", "江城区城市管理局"),
    ("manhole_cover", "井盖", "JG", "临江市水务集团"),
    ("street_lamp", "路灯", "LD", "江城区城市管理局"),
    ("fire_hydrant", "消火栓", "XH", "江城区消防救援大队"),
    ("camera", "监控探头", "JK", "江城区公安分局"),
];
const VISIT_NOTES: [&str; 8] = [
    "家中情况正常，宣传了反诈知识",
    "老人身体尚可，叮嘱注意用电安全",
    "新搬入住户，已登记基本信息",
    "租户信息与登记一致",
    "家中无人，已留联系卡",
    "宣传垃圾分类和消防安全",
    "了解邻里关系，无矛盾纠纷",
    "核实了家庭成员信息",
];
const ISSUES: [&str; 10] = [
    "楼道灯不亮",
    "楼下电动车充电插座不够",
    "邻居装修噪声大",
    "小区门口路面积水",
    "希望增加老年助餐点",
    "楼道堆放杂物",
    "咨询居住证办理",
    "垃圾清运不及时",
    "咨询医保缴费",
    "窨井盖松动",
];

/// A resident ID for the demo: the fictional district's code, a birth date and a sequence, with
/// the GB 11643 check character computed.
fn resident_id(birth: chrono::NaiveDate, seq: u64, male: bool) -> Option<ResidentId> {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    // The 17th digit is odd for men and even for women.
    let seq = (seq % 500) * 2 + u64::from(male);
    let body = format!("339902{}{:03}", birth.format("%Y%m%d"), seq % 1000);
    let sum: u32 = body
        .chars()
        .zip(W)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    let check = C.get((sum % 11) as usize).copied().unwrap_or('0');
    ResidentId::parse(&format!("{body}{check}")).ok()
}

/// A unified social credit code with both check characters (GB 11714 and GB 32100) computed.
fn credit_code(kind: &str, serial: u64) -> Option<CreditCode> {
    const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let body = format!("{:08}", serial % 100_000_000);
    let org_sum: u32 = body
        .chars()
        .zip([3u32, 7, 9, 10, 5, 8, 4, 2])
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    let org_check = match 11 - org_sum % 11 {
        10 => 'X',
        11 => '0',
        n => char::from_digit(n, 10).unwrap_or('0'),
    };
    let first = format!("{kind}339902{body}{org_check}");
    let mut sum = 0u32;
    let mut weight = 1u32;
    for c in first.chars() {
        let value = ALPHABET
            .iter()
            .position(|a| char::from(*a) == c)
            .unwrap_or(0) as u32;
        sum += value * weight;
        weight = weight * 3 % 31;
    }
    let check = ALPHABET
        .get(((31 - sum % 31) % 31) as usize)
        .map(|b| char::from(*b))
        .unwrap_or('0');
    CreditCode::parse(&format!("{first}{check}")).ok()
}

/// A point near the grid's centre (±~90 m), as (lat, lng).
fn near(rng: &mut Rng, grid: &DemoRegion) -> Option<(f64, f64)> {
    let (lon, lat) = grid.centroid?;
    let jitter = |rng: &mut Rng| (rng.below(1_601) as f64 - 800.0) / 1_000_000.0;
    Some((
        ((lat + jitter(rng)) * 1e6).round() / 1e6,
        ((lon + jitter(rng)) * 1e6).round() / 1e6,
    ))
}

fn draft(grid: &DemoRegion, name: String, address: String) -> RecordDraft {
    RecordDraft {
        grid_code: grid.code.clone(),
        name,
        address,
        ..RecordDraft::default()
    }
}

/// Writes the street's registry (one transaction), its campaign, and the visits (one transaction).
pub async fn seed(
    store: &Store,
    cipher: &FieldCipher,
    city: &DemoCity,
    at: Timestamp,
) -> anyhow::Result<BaseDataSummary> {
    let all = Scope::Everything;
    let today = at.china_date();
    let grids: Vec<&DemoRegion> = city
        .regions
        .iter()
        .filter(|r| {
            r.level == RegionLevel::Grid
                && r.grid_kind == Some(GridKind::Territorial)
                && r.code.starts_with(STREET)
        })
        .collect();
    let worker_of = |grid: &DemoRegion| {
        let username = format!("gw_{}", grid.code);
        city.users
            .iter()
            .any(|u| u.username == username)
            .then(|| demo_id(&format!("user:{username}")))
    };
    let mut rng = Rng(0xba5e_da7a_2026);
    let mut records = 0usize;
    // Per grid: the dwellings the visits go to.
    let mut dwellings: Vec<(&DemoRegion, Vec<Dwelling>)> = Vec::new();
    let mut tx = store.begin().await?;
    let mut person_seq = 0u64;
    // One person per ID number: a rare repeat of birth date and sequence goes without an ID.
    let mut used_ids = std::collections::HashSet::new();
    for (g, grid) in grids.iter().enumerate() {
        let ctx = AuditCtx {
            actor_user_id: worker_of(grid),
            actor_org_id: None,
            request_id: None,
            at,
        };
        let road = ROADS[g % ROADS.len()];
        let mut homes = Vec::new();
        for d in 0..DWELLINGS {
            let building = d / 8 + 1 + (g as u64 % 3) * 2;
            let unit = d % 8 / 4 + 1;
            let room = (d % 4 / 2 + 1) * 100 + d % 2 + 1;
            let number = 10 + g as u64 * 2;
            let mut h = draft(
                grid,
                format!("{building}幢{unit}单元{room}"),
                format!("{road}{number}号"),
            );
            h.category = Some(if d == 0 { "mixed" } else { "residential" }.into());
            let tenure = match rng.below(10) {
                0..=5 => "owner_occupied",
                6..=8 => "rented",
                _ => "vacant",
            };
            h.tenure = Some(tenure.into());
            h.area_m2 = Some(45.0 + rng.below(900) as f64 / 10.0);
            if rng.chance(85) {
                h.owner_name = Some(format!("{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN)));
            }
            if tenure == "rented" {
                h.tags = vec!["出租屋".into()];
                h.phone = Some(format!(
                    "13{}{:08}",
                    5 + rng.below(5),
                    rng.below(100_000_000)
                ));
            }
            if let Some((lat, lng)) = near(&mut rng, grid) {
                h.lat = Some(lat);
                h.lng = Some(lng);
            }
            let hid = demo_id(&format!("base:housing:{}:{d}", grid.code));
            create_record_in(&mut tx, &ctx, &all, cipher, &hid, BaseKind::Housing, &h)
                .await
                .with_context(|| format!("demo housing {} {d}", grid.code))?;
            records += 1;
            let residents = if tenure == "vacant" {
                0
            } else {
                1 + rng.below(3)
            };
            let mut people = Vec::new();
            let surname = rng.pick(&SURNAMES);
            for r in 0..residents {
                person_seq += 1;
                let year = if r == 0 {
                    1940 + rng.below(50) as i32
                } else {
                    1950 + rng.below(72) as i32
                };
                let birth = chrono::NaiveDate::from_ymd_opt(
                    year.min(today.year() - 1),
                    1 + rng.below(12) as u32,
                    1 + rng.below(28) as u32,
                )
                .unwrap_or_default();
                let male = rng.chance(50);
                let age = today.year() - birth.year();
                let mut p = draft(
                    grid,
                    format!(
                        "{}{}",
                        if tenure == "rented" {
                            rng.pick(&SURNAMES)
                        } else {
                            surname
                        },
                        rng.pick(&GIVEN)
                    ),
                    format!("{road}{number}号{building}幢{unit}单元{room}"),
                );
                p.category = Some(
                    match (tenure, rng.below(20)) {
                        (_, 0) => "overseas",
                        ("rented", _) => "floating",
                        (_, 1..=2) => "floating",
                        _ => "registered",
                    }
                    .into(),
                );
                // Most records are complete; some lack an ID number or a phone, as in life.
                // Overseas residents hold passports, not resident IDs.
                if p.category.as_deref() != Some("overseas") && rng.chance(92) {
                    p.id_number = resident_id(birth, person_seq, male)
                        .map(|i| i.to_string())
                        .filter(|i| used_ids.insert(i.clone()));
                }
                if age >= 16 && rng.chance(85) {
                    p.phone = Some(format!(
                        "1{}{:09}",
                        [3, 5, 7, 8, 9][rng.below(5) as usize],
                        rng.below(1_000_000_000)
                    ));
                }
                p.housing_id = Some(hid.clone());
                let mut tags = Vec::new();
                if age >= 70 && residents == 1 {
                    tags.push("独居老人".to_owned());
                } else if age >= 80 {
                    tags.push("高龄老人".to_owned());
                }
                if rng.chance(4) {
                    tags.push("低保户".into());
                }
                if rng.chance(2) {
                    tags.push("残疾人".into());
                }
                if age >= 30 && male && rng.chance(4) {
                    tags.push("退役军人".into());
                }
                p.tags = tags;
                let pid = demo_id(&format!("base:person:{}:{d}:{r}", grid.code));
                create_record_in(&mut tx, &ctx, &all, cipher, &pid, BaseKind::Person, &p)
                    .await
                    .with_context(|| format!("demo person {} {d} {r}", grid.code))?;
                records += 1;
                people.push(pid);
            }
            homes.push((hid, people));
        }
        for e in 0..2u64 {
            let (industry, suffix) = INDUSTRIES[(g * 2 + e as usize) % INDUSTRIES.len()];
            let mut ent = draft(
                grid,
                format!("临江市{}{suffix}", rng.pick(&SHOP_WORDS)),
                format!("{road}{}号", 100 + g as u64 * 4 + e),
            );
            ent.credit_code =
                credit_code("91", 10_000_000 + g as u64 * 10 + e).map(|c| c.to_string());
            ent.category = Some(industry.into());
            ent.legal_representative = Some(format!("{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN)));
            ent.employees = Some(3 + rng.below(60) as i64);
            if rng.chance(80) {
                ent.phone = Some(format!("139{:08}", rng.below(100_000_000)));
            }
            if industry == "建筑业" || industry == "餐饮" {
                ent.tags = vec!["安全生产重点".into()];
            }
            if let Some((lat, lng)) = near(&mut rng, grid) {
                ent.lat = Some(lat);
                ent.lng = Some(lng);
            }
            create_record_in(
                &mut tx,
                &ctx,
                &all,
                cipher,
                &demo_id(&format!("base:enterprise:{}:{e}", grid.code)),
                BaseKind::Enterprise,
                &ent,
            )
            .await
            .with_context(|| format!("demo enterprise {} {e}", grid.code))?;
            records += 1;
        }
        let (org_type, org_name) = ORGS[g % ORGS.len()];
        let mut org = draft(
            grid,
            format!("{}{org_name}", grid.name),
            format!("{road}2号"),
        );
        org.category = Some(org_type.into());
        org.contact_name = Some(format!("{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN)));
        org.phone = Some(format!("137{:08}", rng.below(100_000_000)));
        create_record_in(
            &mut tx,
            &ctx,
            &all,
            cipher,
            &demo_id(&format!("base:organisation:{}", grid.code)),
            BaseKind::Organisation,
            &org,
        )
        .await
        .with_context(|| format!("demo organisation {}", grid.code))?;
        records += 1;
        for (c, (kind, label, prefix, owner)) in COMPONENTS.iter().enumerate() {
            let Some((lat, lng)) = near(&mut rng, grid) else {
                continue;
            };
            let mut comp = draft(
                grid,
                format!("{road}{}号{label}", 1 + c * 7),
                format!("{road}{}号附近", 1 + c * 7),
            );
            comp.category = Some((*kind).into());
            comp.component_code = Some(format!("{prefix}-{}-{:02}", grid.code, c + 1));
            comp.status = Some(if rng.chance(10) { "damaged" } else { "normal" }.into());
            comp.owner_department = Some((*owner).into());
            comp.lat = Some(lat);
            comp.lng = Some(lng);
            create_record_in(
                &mut tx,
                &ctx,
                &all,
                cipher,
                &demo_id(&format!("base:component:{}:{c}", grid.code)),
                BaseKind::Component,
                &comp,
            )
            .await
            .with_context(|| format!("demo component {} {c}", grid.code))?;
            records += 1;
        }
        dwellings.push((grid, homes));
    }
    tx.commit().await?;

    // A street-wide campaign over the last six weeks and the next two, and the visits so far.
    let start = today - chrono::Duration::days(42);
    let campaign_id = demo_id("visit-campaign:339902001");
    store
        .create_campaign(
            &AuditCtx::system(at),
            &all,
            &campaign_id,
            &NewCampaign {
                name: "鼓楼街道平安大走访".into(),
                region_code: STREET.into(),
                starts_on: start,
                ends_on: today + chrono::Duration::days(14),
                description: "网格员入户走访，摸排矛盾纠纷和安全隐患，收集群众诉求".into(),
            },
        )
        .await
        .context("demo visit campaign")?;
    let mut visits = 0usize;
    let mut tx = store.begin().await?;
    for (grid, homes) in &dwellings {
        let Some(worker) = worker_of(grid) else {
            continue;
        };
        let events = store.grid_event_refs(&all, &grid.code, 10).await?;
        let ctx = AuditCtx {
            actor_user_id: Some(worker.clone()),
            actor_org_id: None,
            request_id: None,
            at,
        };
        for (d, (hid, people)) in homes.iter().enumerate() {
            // About half the households so far, some twice.
            let times = match rng.below(10) {
                0..=4 => 0,
                5..=8 => 1,
                _ => 2,
            };
            for t in 0..times {
                let days_ago = 1 + rng.below(40) as i64;
                let visited_at =
                    Timestamp::start_of_china_day(today - chrono::Duration::days(days_ago))
                        .plus_seconds(9 * 3600 + rng.below(8 * 3600) as i64);
                let seen: Vec<String> = people.iter().filter(|_| rng.chance(70)).cloned().collect();
                let mut issues = Vec::new();
                if rng.chance(30) {
                    let on_spot = rng.chance(50);
                    let event = (!on_spot && !events.is_empty() && rng.chance(60))
                        .then(|| events[rng.below(events.len() as u64) as usize].0.clone());
                    issues.push(NewIssue {
                        description: rng.pick(&ISSUES).into(),
                        solved_on_spot: on_spot,
                        grid_event_id: event,
                    });
                }
                let input = NewVisit {
                    grid_code: grid.code.clone(),
                    worker_user_id: worker.clone(),
                    campaign_id: Some(campaign_id.clone()),
                    visited_at,
                    housing_id: Some(hid.clone()),
                    household: String::new(),
                    people_seen: Some(seen.len() as i64 + i64::from(rng.chance(20))),
                    person_ids: seen,
                    notes: rng.pick(&VISIT_NOTES).into(),
                    issues,
                };
                create_visit_in(
                    &mut tx,
                    &ctx,
                    &all,
                    &demo_id(&format!("visit:{}:{d}:{t}", grid.code)),
                    &input,
                )
                .await
                .with_context(|| format!("demo visit {} {d} {t}", grid.code))?;
                visits += 1;
            }
        }
    }
    tx.commit().await?;
    Ok(BaseDataSummary { records, visits })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_identifiers_are_valid() {
        for serial in 0..500 {
            assert!(credit_code("91", 10_000_000 + serial).is_some(), "{serial}");
        }
        let birth = chrono::NaiveDate::from_ymd_opt(1956, 7, 9).unwrap();
        for seq in 0..500 {
            let id = resident_id(birth, seq, seq % 2 == 0).unwrap();
            assert_eq!(id.birth_date(), birth);
        }
    }
}
