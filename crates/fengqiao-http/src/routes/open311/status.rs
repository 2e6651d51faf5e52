//! Grid event statuses as Open311 sees them: GeoReport v2's `open`/`closed`, and the extended
//! statuses of the `servicerequestupdates` extension (mySociety's list), plus the words a step
//! shows as `status_notes` when it carries no note.

use fengqiao_domain::grid_event::EventStatus;

/// GeoReport v2's two statuses: work still owed, or not.
pub fn open_or_closed(status: EventStatus) -> &'static str {
    if status.is_open() { "open" } else { "closed" }
}

/// The extension's status for each of ours. Waiting for the centre is `open`; accepted or sent
/// back for re-dispatch is being looked into; dispatched is scheduled; signed for, fed back or
/// solved on the spot (awaiting verification) is in progress; verified is fixed; refused is no
/// further action; handed over as a dispute case is an internal referral.
pub fn extended(status: EventStatus) -> &'static str {
    match status {
        EventStatus::Reported => "open",
        EventStatus::Accepted | EventStatus::Returned => "investigating",
        EventStatus::Dispatched => "action_scheduled",
        EventStatus::Handling | EventStatus::FedBack | EventStatus::SolvedOnSpot => "in_progress",
        EventStatus::Closed | EventStatus::Evaluated => "fixed",
        EventStatus::Rejected => "no_further_action",
        EventStatus::TransferredToDispute => "internal_referral",
    }
}

/// The extended statuses a client may send with an update (upper case on the wire; lower case
/// is accepted too).
pub const EXTENDED: [&str; 11] = [
    "open",
    "closed",
    "fixed",
    "in_progress",
    "action_scheduled",
    "investigating",
    "duplicate",
    "not_councils_responsibility",
    "no_further_action",
    "internal_referral",
    "reopen",
];

/// The lower-case extended status named by a client, if it is one.
pub fn parse_extended(text: &str) -> Option<&'static str> {
    let lower = text.trim().to_ascii_lowercase();
    EXTENDED.into_iter().find(|s| *s == lower)
}

/// Grid event status codes that `status=open` / `status=closed` select.
pub fn codes_for(open: bool) -> Vec<String> {
    EventStatus::ALL
        .into_iter()
        .filter(|s| s.is_open() == open)
        .map(|s| s.code().to_owned())
        .collect()
}

/// What a timeline step says publicly when it has no note of its own.
pub fn step_words(action: &str) -> &'static str {
    match action {
        "report" => "已登记，等待综治中心受理",
        "accept" => "综治中心已受理，正在派遣",
        "reject" => "不予受理",
        "solve_on_spot" => "网格员已就地解决，等待核查",
        "dispatch" => "已派遣至职能部门",
        "sign" => "职能部门已签收，正在处置",
        "return" => "职能部门退回，等待改派",
        "feedback" => "职能部门已反馈处置结果，等待核查",
        "verify" => "综治中心已核查",
        "evaluate" => "上报人已评价",
        "reopen" => "重新办理",
        "transfer_to_dispute" => "已转为矛盾纠纷案件办理",
        fengqiao_store::open311::OPEN311_COMMENT => "收到补充信息",
        _ => "状态已更新",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_maps_consistently() {
        for s in EventStatus::ALL {
            let ext = extended(s);
            assert!(EXTENDED.contains(&ext), "{s:?} → {ext}");
            // The extension's closed family must agree with GeoReport's open/closed.
            let closed_family = matches!(
                ext,
                "fixed" | "no_further_action" | "internal_referral" | "closed"
            );
            assert_eq!(closed_family, open_or_closed(s) == "closed", "{s:?}");
        }
    }

    #[test]
    fn the_brief_statuses() {
        assert_eq!(extended(EventStatus::Reported), "open");
        assert_eq!(extended(EventStatus::Accepted), "investigating");
        assert_eq!(extended(EventStatus::Dispatched), "action_scheduled");
        assert_eq!(extended(EventStatus::Handling), "in_progress");
        assert_eq!(extended(EventStatus::FedBack), "in_progress");
        assert_eq!(extended(EventStatus::Closed), "fixed");
        for closed in ["closed", "evaluated", "rejected", "transferred_to_dispute"] {
            assert!(codes_for(false).contains(&closed.to_owned()));
            assert!(!codes_for(true).contains(&closed.to_owned()));
        }
    }

    #[test]
    fn client_statuses_parse_in_either_case() {
        assert_eq!(parse_extended("REOPEN"), Some("reopen"));
        assert_eq!(parse_extended("in_progress"), Some("in_progress"));
        assert_eq!(parse_extended("DONE"), None);
    }
}
