//! Group detection end to end: the Chun'an wage-arrears pattern and the window and key edges.

use super::*;
use crate::time::Timestamp;
use chrono::NaiveDate;

const CONTRACTOR: &str = "临江市宏达建筑劳务有限公司";
const CODE: &str = "9144030071526726XG";

/// 08:00 China time on 2 February 2026 (two weeks before the Spring Festival), plus offsets.
pub(super) fn at(day: i64, minute: i64) -> Timestamp {
    Timestamp::parse_rfc3339("2026-02-02T08:00:00+08:00")
        .unwrap()
        .plus_seconds(day * 86_400 + minute * 60)
}

fn filing(
    case_id: &str,
    claimants: &[&str],
    respondent: &str,
    filed_at: Timestamp,
    fen: i64,
) -> Filing {
    Filing {
        case_id: case_id.to_owned(),
        filed_at,
        claimant_keys: claimants.iter().map(|c| (*c).to_owned()).collect(),
        respondent: RespondentKey::new(respondent, None),
        site: None,
        amount_fen: fen,
    }
}

fn date(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 2, day).unwrap()
}

/// 89 workers over three days (12, 30, 47), each filing once, against one contractor whose name
/// they spell six ways. Worker `n` claims 15,800 yuan + n yuan: 1,410,205 yuan in all ("140余万元").
fn chunan_filings() -> Vec<Filing> {
    let spellings = [
        "临江市宏达建筑劳务有限公司",
        "临江市宏达建筑劳务有限责任公司",
        " 临江市 宏达建筑劳务 有限公司 ",
        "临江市\u{3000}宏达建筑劳务有限公司。",
        "“临江市宏达建筑劳务有限公司”",
        "【临江市】宏达建筑劳务有限责任公司",
    ];
    (1..=89i64)
        .map(|n| {
            let (day, minute) = match n {
                1..=12 => (0, n),
                13..=42 => (1, n - 12),
                _ => (2, n - 42),
            };
            let spelling = spellings[n as usize % spellings.len()];
            let claimant = format!("worker-{n:02}");
            filing(
                &format!("case-{n:02}"),
                &[claimant.as_str()],
                spelling,
                at(day, minute),
                1_580_000 + n * 100,
            )
        })
        .collect()
}

#[test]
fn chunan_pattern_raises_one_alert_that_escalates_and_updates() {
    let params = GroupParams::default();
    let mut history: Vec<Filing> = Vec::new();
    let mut open: Option<OpenGroupAlert> = None;
    let mut decisions = Vec::new();
    let mut last = None;
    for (index, new) in chunan_filings().into_iter().enumerate() {
        let found = assess(&new, &history, &params);
        let claimants_so_far = index + 1;
        if claimants_so_far < 10 {
            assert!(
                found.is_empty(),
                "no group before the 10th claimant, at {claimants_so_far}"
            );
        }
        for assessment in found {
            let decision = decide_group_alert(open.as_ref(), &assessment);
            decisions.push((assessment.distinct_claimants, assessment.level, decision));
            open = Some(OpenGroupAlert::from_assessment(&assessment));
            last = Some(assessment);
        }
        history.push(new);
    }

    let raises: Vec<_> = decisions
        .iter()
        .filter(|(_, _, decision)| *decision == GroupAlertUpdate::Raise)
        .collect();
    assert_eq!(raises, [&(10, AlertLevel::Yellow, GroupAlertUpdate::Raise)]);
    let escalations: Vec<(u32, AlertLevel)> = decisions
        .iter()
        .filter(|(_, _, d)| {
            *d == GroupAlertUpdate::Update {
                level_changed: true,
            }
        })
        .map(|(count, level, _)| (*count, *level))
        .collect();
    assert_eq!(
        escalations,
        [(30, AlertLevel::Orange), (50, AlertLevel::Red)]
    );
    assert_eq!(
        decisions.len(),
        80,
        "one decision per filing from the 10th to the 89th"
    );
    assert_eq!(
        decisions
            .iter()
            .filter(|(_, _, d)| *d
                == GroupAlertUpdate::Update {
                    level_changed: false
                })
            .count(),
        77
    );

    let last = last.unwrap();
    assert_eq!(
        last.key,
        GroupKey::Respondent(RespondentKey::Name(CONTRACTOR.into()))
    );
    assert_eq!(last.distinct_claimants, 89);
    assert_eq!(last.case_ids.len(), 89);
    assert_eq!(last.case_ids.first().map(String::as_str), Some("case-01"));
    assert_eq!(last.total_amount_fen, 141_020_500);
    assert_eq!((last.first_at, last.last_at), (at(0, 1), at(2, 47)));
    let daily: Vec<(NaiveDate, u32, u32)> = last
        .daily_counts
        .iter()
        .map(|d| (d.date, d.new_claimants, d.filings))
        .collect();
    assert_eq!(
        daily,
        [(date(2), 12, 12), (date(3), 30, 30), (date(4), 47, 47)]
    );
    assert_eq!(last.trend, Trend::Rising);
    assert_eq!(last.level, AlertLevel::Red);
    assert_eq!(
        last.explanation_zh,
        "7日内89名不同申请人针对同一被申请人“临江市宏达建筑劳务有限公司”提起89件纠纷，\
         涉及金额合计1410205.00元；首件2026-02-02，最新2026-02-04；近3日新增89人、此前0人，\
         趋势上升；红色预警（申请人达到50人）。"
    );
}

#[test]
fn a_worker_filing_twice_counts_once_but_both_cases_and_amounts_count() {
    let mut recent: Vec<Filing> = (1..=9)
        .map(|n| {
            filing(
                &format!("c{n}"),
                &[&format!("w{n}")],
                CONTRACTOR,
                at(0, n),
                100_000,
            )
        })
        .collect();
    recent.push(filing(
        "c3-again",
        &["w3", " "],
        CONTRACTOR,
        at(0, 20),
        7_000,
    ));
    let tenth = filing("c10", &["w10"], CONTRACTOR, at(0, 30), 100_000);
    let found = assess(&tenth, &recent, &GroupParams::default());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].distinct_claimants, 10);
    assert_eq!(found[0].case_ids.len(), 11);
    assert_eq!(found[0].total_amount_fen, 1_007_000);

    // Without w10 the repeat filing does not lift nine workers to ten.
    let repeat = filing("c3-third", &["w3"], CONTRACTOR, at(0, 30), 1);
    assert!(assess(&repeat, &recent, &GroupParams::default()).is_empty());
}

#[test]
fn one_joint_filing_by_ten_workers_forms_a_group() {
    let workers: Vec<String> = (1..=10).map(|n| format!("w{n}")).collect();
    let refs: Vec<&str> = workers.iter().map(String::as_str).collect();
    let joint = filing("joint", &refs, CONTRACTOR, at(0, 0), 2_000_000);
    let found = assess(&joint, &[], &GroupParams::default());
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].distinct_claimants, found[0].case_ids.len()),
        (10, 1)
    );
}

#[test]
fn only_filings_inside_the_window_count() {
    let new = filing("new", &["w0"], CONTRACTOR, at(7, 0), 1);
    let mut recent = vec![
        // Exactly seven days before the new filing: inside (the window is closed).
        filing("edge", &["w1"], CONTRACTOR, at(0, 0), 1),
        // One minute earlier: outside.
        filing("old", &["w2"], CONTRACTOR, at(0, -1), 1),
        // After the new filing (a late-synced record): not part of this assessment.
        filing("later", &["w3"], CONTRACTOR, at(7, 1), 1),
        // A stale copy of the new filing itself: counted once.
        filing("new", &["w0"], CONTRACTOR, at(7, 0), 1),
    ];
    recent.extend((4..=11).map(|n| {
        filing(
            &format!("c{n}"),
            &[&format!("w{n}")],
            CONTRACTOR,
            at(6, n),
            1,
        )
    }));
    let found = assess(&new, &recent, &GroupParams::default());
    assert_eq!(found.len(), 1);
    // w0, w1 and w4..=w11: ten.
    assert_eq!(found[0].distinct_claimants, 10);
    assert!(!found[0].case_ids.contains(&"old".to_owned()));
    assert!(!found[0].case_ids.contains(&"later".to_owned()));
    assert_eq!(
        found[0].case_ids.iter().filter(|id| *id == "new").count(),
        1
    );
    assert_eq!(
        found[0].daily_counts.len(),
        8,
        "2 to 9 February, empty days included"
    );
    assert_eq!(found[0].daily_counts[1].filings, 0);

    let shorter = GroupParams {
        min_claimants: 10,
        window_days: 3,
    };
    assert!(assess(&new, &recent, &shorter).is_empty());
}

#[test]
fn different_respondents_do_not_merge() {
    let names = [
        "临江市宏达建筑劳务有限公司",
        "临江市宏远建筑劳务有限公司",
        "临江宏达建筑劳务有限公司",
        "临江市宏达建筑劳务（集团）有限公司",
    ];
    let recent: Vec<Filing> = (0..12)
        .map(|n| {
            filing(
                &format!("c{n}"),
                &[&format!("w{n}")],
                names[n % 4],
                at(0, n as i64),
                1,
            )
        })
        .collect();
    let new = filing("new", &["w-new"], CONTRACTOR, at(0, 30), 1);
    assert!(assess(&new, &recent, &GroupParams::default()).is_empty());
}

#[test]
fn a_credit_code_matches_whatever_the_name() {
    let names = ["宏达劳务", "临江宏达", "临江市宏达建筑劳务有限公司", "宏達"];
    let recent: Vec<Filing> = (0..9)
        .map(|n| Filing {
            respondent: RespondentKey::new(names[n % 4], Some(CODE)),
            ..filing(
                &format!("c{n}"),
                &[&format!("w{n}")],
                "",
                at(0, n as i64),
                10_000,
            )
        })
        .collect();
    let new = Filing {
        respondent: RespondentKey::new("随便写的名字", Some("9144 0300 7152 6726 xg")),
        ..filing("new", &["w9"], "", at(1, 0), 10_000)
    };
    assert_eq!(new.respondent, RespondentKey::CreditCode(CODE.into()));
    let found = assess(&new, &recent, &GroupParams::default());
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].key,
        GroupKey::Respondent(RespondentKey::CreditCode(CODE.into()))
    );
    assert_eq!(found[0].distinct_claimants, 10);
    assert!(
        found[0]
            .explanation_zh
            .contains("统一社会信用代码9144030071526726XG")
    );
}

#[test]
fn a_site_groups_claims_against_many_subcontractors() {
    let sites = [
        "临江新城二期（A区）",
        "临江新城 二期 A区 工地",
        "临江新城二期Ａ区项目部",
    ];
    let recent: Vec<Filing> = (0..9)
        .map(|n| Filing {
            site: site_key(Some(sites[n % 3])),
            ..filing(
                &format!("c{n}"),
                &[&format!("w{n}")],
                &format!("分包商{n}"),
                at(0, n as i64),
                1,
            )
        })
        .collect();
    let new = Filing {
        site: Some("临江新城二期A区工地".to_owned()), // not yet normalised: assess normalises again
        ..filing("new", &["w9"], "分包商9", at(0, 30), 1)
    };
    let found = assess(&new, &recent, &GroupParams::default());
    assert_eq!(
        found.len(),
        1,
        "only the site reaches ten; each subcontractor has one"
    );
    assert_eq!(found[0].key, GroupKey::Site("临江新城二期A区".into()));
    assert!(
        found[0]
            .explanation_zh
            .contains("同一项目/工地“临江新城二期A区”")
    );

    // The same filings with one shared respondent yield both groups, respondent first.
    let shared: Vec<Filing> = recent
        .iter()
        .map(|f| Filing {
            respondent: RespondentKey::new(CONTRACTOR, None),
            ..f.clone()
        })
        .collect();
    let both = assess(
        &Filing {
            respondent: RespondentKey::new(CONTRACTOR, None),
            ..new
        },
        &shared,
        &GroupParams::default(),
    );
    let keys: Vec<&GroupKey> = both.iter().map(|a| &a.key).collect();
    assert_eq!(
        keys,
        [
            &GroupKey::Respondent(RespondentKey::Name(CONTRACTOR.into())),
            &GroupKey::Site("临江新城二期A区".into())
        ]
    );
}

#[test]
fn blank_names_and_sites_never_group() {
    let recent: Vec<Filing> = (0..12)
        .map(|n| Filing {
            site: Some("（）".to_owned()),
            ..filing(
                &format!("c{n}"),
                &[&format!("w{n}")],
                " ",
                at(0, n as i64),
                1,
            )
        })
        .collect();
    let new = Filing {
        site: Some(" ".to_owned()),
        ..filing("new", &["w-new"], "、", at(0, 30), 1)
    };
    assert!(assess(&new, &recent, &GroupParams::default()).is_empty());
}

#[test]
fn a_large_total_makes_a_small_group_red() {
    let recent: Vec<Filing> = (0..9)
        .map(|n| {
            filing(
                &format!("c{n}"),
                &[&format!("w{n}")],
                CONTRACTOR,
                at(0, n as i64),
                60_000_000,
            )
        })
        .collect();
    let new = filing("new", &["w9"], CONTRACTOR, at(0, 30), 0);
    let found = assess(&new, &recent, &GroupParams::default());
    assert_eq!(found[0].total_amount_fen, 540_000_000);
    assert_eq!(found[0].level, AlertLevel::Red);
    assert!(
        found[0]
            .explanation_zh
            .ends_with("红色预警（涉及金额达到500万元）。")
    );
}
