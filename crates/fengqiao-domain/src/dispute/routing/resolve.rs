//! Resolving target specs to organisations through the region path, and escalating one level up.

use super::{OrgDirectoryEntry, RoutedTarget, TargetLevel, TargetSpec};
use crate::dispute::CaseFacts;

/// The codes along a materialised region path, root first (`/339900/339902/` → `["339900", "339902"]`).
pub(super) fn region_segments(path: &str) -> Vec<&str> {
    path.split('/')
        .filter(|segment| !segment.is_empty())
        .collect()
}

/// Path depth of each fixed level: 1 = city, 2 = district, 3 = street, 4 = community.
const CITY_DEPTH: usize = 1;
const DISTRICT_DEPTH: usize = 2;
const STREET_DEPTH: usize = 3;
const COMMUNITY_DEPTH: usize = 4;

fn level_words(depth: usize) -> &'static str {
    match depth {
        CITY_DEPTH => "市",
        DISTRICT_DEPTH => "区县",
        STREET_DEPTH => "街道/乡镇",
        COMMUNITY_DEPTH => "社区/村",
        _ => "网格",
    }
}

/// How a target spec reads in a decision (`案件所在区县的行业性专业性调委会（劳动争议）（指导）`).
pub(super) fn describe_spec(spec: &TargetSpec) -> String {
    let body = match spec.specialty {
        Some(specialty) => format!("{}（{}）", spec.kind.label_zh(), specialty.label_zh()),
        None => spec.kind.label_zh().to_owned(),
    };
    if let TargetLevel::Specific(id) = &spec.level {
        return match &spec.role_zh {
            Some(role) => format!("指定机构 {id}（{body}，{role}）"),
            None => format!("指定机构 {id}（{body}）"),
        };
    }
    let place = match &spec.level {
        TargetLevel::CaseCommunity => "案件所在社区/村的".to_owned(),
        TargetLevel::CaseStreet => "案件所在街道/乡镇的".to_owned(),
        TargetLevel::CaseDistrict => "案件所在区县的".to_owned(),
        TargetLevel::City => "案件所在市的".to_owned(),
        TargetLevel::Up(0) => "案件所在地区的".to_owned(),
        TargetLevel::Up(n) => format!("案件所在地区上 {n} 级的"),
        TargetLevel::Specific(_) => String::new(),
    };
    match &spec.role_zh {
        Some(role) => format!("{place}{body}（{role}）"),
        None => format!("{place}{body}"),
    }
}

/// Every target of a rule as an organisation, paired with its role; or why one cannot be filled.
/// Two specs landing on the same organisation yield it once.
pub(super) fn resolve_targets<'r>(
    specs: &'r [TargetSpec],
    facts: &CaseFacts,
    directory: &[OrgDirectoryEntry],
) -> Result<Vec<(RoutedTarget, Option<&'r str>)>, String> {
    if specs.is_empty() {
        return Err("规则没有目标".to_owned());
    }
    let mut resolved: Vec<(RoutedTarget, Option<&'r str>)> = Vec::new();
    for spec in specs {
        let org = resolve_one(spec, facts, directory)?;
        if resolved.iter().all(|(target, _)| target.org_id != org.id) {
            resolved.push((
                RoutedTarget {
                    org_id: org.id.clone(),
                    org_name: org.name.clone(),
                    reason_zh: describe_spec(spec),
                },
                spec.role_zh.as_deref(),
            ));
        }
    }
    Ok(resolved)
}

fn fits_spec(org: &OrgDirectoryEntry, spec: &TargetSpec) -> bool {
    org.active && org.kind == spec.kind && org.specialty == spec.specialty
}

fn resolve_one<'d>(
    spec: &TargetSpec,
    facts: &CaseFacts,
    directory: &'d [OrgDirectoryEntry],
) -> Result<&'d OrgDirectoryEntry, String> {
    let case = region_segments(&facts.region_path);
    let depth = match &spec.level {
        TargetLevel::CaseCommunity => COMMUNITY_DEPTH,
        TargetLevel::CaseStreet => STREET_DEPTH,
        TargetLevel::CaseDistrict => DISTRICT_DEPTH,
        TargetLevel::City => CITY_DEPTH,
        TargetLevel::Up(n) => match case.len().checked_sub(usize::from(*n)) {
            Some(depth) if depth >= CITY_DEPTH => depth,
            _ => {
                return Err(format!(
                    "{}：案件地区 {} 之上没有第 {n} 级",
                    describe_spec(spec),
                    facts.region_path
                ));
            }
        },
        TargetLevel::Specific(id) => {
            return directory
                .iter()
                .find(|org| &org.id == id && fits_spec(org, spec))
                .ok_or_else(|| format!("{} 不存在、已停用或类型不符", describe_spec(spec)));
        }
    };
    let Some(ancestor) = case.get(..depth) else {
        return Err(format!(
            "{}：案件地区 {} 不到{}一级",
            describe_spec(spec),
            facts.region_path,
            level_words(depth)
        ));
    };
    directory
        .iter()
        .filter(|org| fits_spec(org, spec) && region_segments(&org.region_path) == ancestor)
        .min_by(|a, b| a.id.cmp(&b.id))
        .ok_or_else(|| {
            format!(
                "{}：{} 没有启用中的此类机构",
                describe_spec(spec),
                ancestor.last().copied().unwrap_or_default()
            )
        })
}

/// The same kind of body (and specialty) in the nearest region above `current`'s, for a case the
/// body rejected or did not accept in time: community committee → street → district → city.
/// A level without such a body is skipped; `None` when nothing above has one.
pub fn escalate_target(
    current: &OrgDirectoryEntry,
    directory: &[OrgDirectoryEntry],
) -> Option<OrgDirectoryEntry> {
    let own = region_segments(&current.region_path);
    (CITY_DEPTH..own.len()).rev().find_map(|depth| {
        let ancestor = own.get(..depth)?;
        directory
            .iter()
            .filter(|org| {
                org.active
                    && org.id != current.id
                    && org.kind == current.kind
                    && org.specialty == current.specialty
                    && region_segments(&org.region_path) == ancestor
            })
            .min_by(|a, b| a.id.cmp(&b.id))
            .cloned()
    })
}
