//! Invariants of `assess` under random input: it agrees with a direct count, ignores input
//! order, and never panics.

use super::scenario_tests::at;
use super::*;
use crate::time::Timestamp;
use proptest::prelude::*;
use std::collections::HashSet;

const RESPONDENTS: [&str; 3] = [
    "临江市宏达建筑劳务有限公司",
    "临江市宏达建筑劳务有限责任公司",
    "宏远",
];
const SITES: [&str; 2] = ["滨江花园工地", "滨江花园"];

fn arb_filing(case_id: String, max_offset_minutes: i64) -> impl Strategy<Value = Filing> {
    (
        prop::collection::vec(
            prop::sample::select(vec!["a", "b", "c", "d", "e", "f", "g", " "]),
            0..4,
        ),
        0..RESPONDENTS.len(),
        prop::option::of(0..SITES.len()),
        -12 * 24 * 60..=max_offset_minutes,
        0..=1_000_000_000i64,
    )
        .prop_map(move |(claimants, respondent, site, minutes, fen)| Filing {
            case_id: case_id.clone(),
            filed_at: at(0, minutes),
            claimant_keys: claimants.into_iter().map(str::to_owned).collect(),
            respondent: RespondentKey::new(RESPONDENTS[respondent], None),
            site: site.map(|s| SITES[s].to_owned()),
            amount_fen: fen,
        })
}

fn arb_case() -> impl Strategy<Value = (Filing, Vec<Filing>, GroupParams)> {
    let recent = prop::collection::vec(0..1usize, 0..40).prop_flat_map(|slots| {
        slots
            .iter()
            .enumerate()
            .map(|(n, _)| arb_filing(format!("r{n}"), 24 * 60))
            .collect::<Vec<_>>()
    });
    (arb_filing("new".to_owned(), 0), recent, 1..6u32, 0..10u32).prop_map(
        |(mut new, recent, min, window)| {
            new.filed_at = at(0, 0);
            (
                new,
                recent,
                GroupParams {
                    min_claimants: min,
                    window_days: window,
                },
            )
        },
    )
}

proptest! {
    #[test]
    fn assess_agrees_with_a_direct_count((new, recent, params) in arb_case()) {
        let found = assess(&new, &recent, &params);
        let window = i64::from(params.window_days.clamp(1, MAX_WINDOW_DAYS)) * 86_400;
        let start = new.filed_at.plus_seconds(-window);
        let in_window: Vec<&Filing> = std::iter::once(&new)
            .chain(&recent)
            .filter(|f| f.filed_at >= start && f.filed_at <= new.filed_at)
            .collect();
        let groups: Vec<(GroupKey, Vec<&Filing>)> = {
            let respondent = new.respondent.canonical();
            let mut groups = vec![(
                GroupKey::Respondent(respondent.clone()),
                in_window.iter().copied().filter(|f| f.respondent.canonical() == respondent).collect(),
            )];
            if let Some(site) = site_key(new.site.as_deref()) {
                let members = in_window.iter().copied().filter(|f| site_key(f.site.as_deref()).as_ref() == Some(&site)).collect();
                groups.push((GroupKey::Site(site), members));
            }
            groups
        };
        for (key, members) in groups {
            let distinct: HashSet<&str> = members.iter().flat_map(|f| &f.claimant_keys).map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
            let reaches = distinct.len() as u32 >= params.min_claimants.max(1);
            let assessment = found.iter().find(|a| a.key == key);
            prop_assert_eq!(assessment.is_some(), reaches);
            let Some(a) = assessment else { continue };
            let key_count: usize = members.iter().map(|f| f.claimant_keys.len()).sum();
            prop_assert!(a.distinct_claimants as usize <= key_count);
            prop_assert_eq!(a.distinct_claimants as usize, distinct.len());
            prop_assert_eq!(a.total_amount_fen, members.iter().map(|f| f.amount_fen).sum::<i64>());
            let ids: HashSet<&str> = members.iter().map(|f| f.case_id.as_str()).collect();
            prop_assert_eq!(a.case_ids.iter().map(String::as_str).collect::<HashSet<_>>(), ids);
            prop_assert_eq!(a.case_ids.len(), members.len());
            prop_assert_eq!(a.daily_counts.iter().map(|d| d.new_claimants).sum::<u32>(), a.distinct_claimants);
            prop_assert_eq!(a.daily_counts.iter().map(|d| d.filings as usize).sum::<usize>(), members.len());
            prop_assert!(a.first_at <= a.last_at && a.last_at == new.filed_at);
            prop_assert!(a.level >= AlertLevel::Yellow);
        }
        prop_assert_eq!(found.len(), found.iter().map(|a| &a.key).collect::<HashSet<_>>().len());

        // The order the store hands filings over in does not matter.
        let reversed: Vec<Filing> = recent.iter().rev().cloned().collect();
        prop_assert_eq!(assess(&new, &reversed, &params), found);
    }

    #[test]
    fn assess_never_panics_on_extreme_input(
        micros in any::<i64>(),
        others in prop::collection::vec((any::<i64>(), any::<i64>(), ".{0,6}"), 0..20),
        min in any::<u32>(),
        window in any::<u32>(),
    ) {
        let new = Filing {
            case_id: "new".into(),
            filed_at: Timestamp::from_micros(micros),
            claimant_keys: vec!["x".into()],
            respondent: RespondentKey::Name("宏达".into()),
            site: Some("滨江".into()),
            amount_fen: i64::MAX,
        };
        let recent: Vec<Filing> = others
            .into_iter()
            .enumerate()
            .map(|(n, (at, fen, name))| Filing {
                case_id: format!("r{n}"),
                filed_at: Timestamp::from_micros(at),
                claimant_keys: vec![name.clone(), format!("k{n}")],
                respondent: RespondentKey::Name(name),
                site: Some("滨江".into()),
                amount_fen: fen,
            })
            .collect();
        let params = GroupParams { min_claimants: min, window_days: window };
        for a in assess(&new, &recent, &params) {
            prop_assert!(a.distinct_claimants >= min.max(1));
            prop_assert!(a.daily_counts.len() <= MAX_WINDOW_DAYS as usize + 2);
        }
    }
}
