//! The default clocks: every row of the DOMAIN §3.4 table as legal clocks, and a few internal targets.

use super::{ClockDefinition, ClockKind, DayBasis, ExpiryEffect, ExtensionRule, StatuteRef};

const RMTJ_RULES: &str = "人民调解工作若干规定";
const SPC_CONFIRMATION: &str = "最高人民法院关于人民调解协议司法确认程序的若干规定";
const SPC_INVITED_MEDIATION: &str = "最高人民法院关于人民法院特邀调解的规定";
const SPC_ONLINE_MEDIATION: &str = "人民法院在线调解规则";
const LABOUR_LAW: &str = "劳动争议调解仲裁法";
const PETITION_RULES: &str = "信访工作条例";

struct Row {
    id: &'static str,
    name_zh: &'static str,
    statutes: &'static [(&'static str, &'static str)],
    start_event: &'static str,
    length_days: u32,
    basis: DayBasis,
    on_expiry: ExpiryEffect,
    warn_before_days: u32,
}

fn legal(row: Row) -> ClockDefinition {
    ClockDefinition {
        id: row.id.to_owned(),
        name_zh: row.name_zh.to_owned(),
        kind: ClockKind::Legal,
        statutes: row
            .statutes
            .iter()
            .map(|(statute, article)| StatuteRef::new(statute, article))
            .collect(),
        start_event: row.start_event.to_owned(),
        length_days: row.length_days,
        basis: row.basis,
        pause_conditions: Vec::new(),
        extension: None,
        on_expiry: row.on_expiry,
        warn_before_days: row.warn_before_days,
        note: None,
    }
}

fn target(row: Row) -> ClockDefinition {
    ClockDefinition {
        kind: ClockKind::InternalTarget,
        statutes: Vec::new(),
        ..legal(row)
    }
}

fn codes(list: &[&str]) -> Vec<String> {
    list.iter().map(|code| (*code).to_owned()).collect()
}

fn extension(max_extra_days: Option<u32>, approver: &str) -> Option<ExtensionRule> {
    Some(ExtensionRule {
        max_extra_days,
        approver: approver.to_owned(),
    })
}

fn note(text: &str) -> Option<String> {
    Some(text.to_owned())
}

/// Every row of the DOMAIN §3.4 table, in its order; rows with two limits are two clocks.
pub fn default_legal_clocks() -> Vec<ClockDefinition> {
    use DayBasis::{Calendar, Working};
    use ExpiryEffect::{AllowNextChannel, CountAsFailure, NotifyAndSupervise, WindowCloses};
    let online_note = "DOMAIN §3.4 gives 2–3 working days for each online set-up step; confirm this step's exact length against the rule's text";
    vec![
        ClockDefinition {
            note: note(
                "一般在一个月内调结: guidance of about one month, counted as 30 calendar days",
            ),
            ..legal(Row {
                id: "people_mediation",
                name_zh: "人民调解期限",
                statutes: &[(RMTJ_RULES, "33")],
                start_event: "accepted",
                length_days: 30,
                basis: Calendar,
                on_expiry: NotifyAndSupervise,
                warn_before_days: 5,
            })
        },
        ClockDefinition {
            note: note(
                "jointly by both parties, within 30 days of the agreement taking effect (on signing, 人民调解法 art. 29); afterwards the court no longer accepts it, though a party may still sue on the agreement",
            ),
            ..legal(Row {
                id: "judicial_confirmation_application",
                name_zh: "申请司法确认期限",
                statutes: &[("人民调解法", "33"), ("民事诉讼法", "205")],
                start_event: "agreement_signed",
                length_days: 30,
                basis: Calendar,
                on_expiry: WindowCloses,
                warn_before_days: 7,
            })
        },
        legal(Row {
            id: "confirmation_acceptance",
            name_zh: "司法确认受理审查期限",
            statutes: &[(SPC_CONFIRMATION, "4")],
            start_event: "confirmation_applied",
            length_days: 3,
            basis: Calendar,
            on_expiry: NotifyAndSupervise,
            warn_before_days: 1,
        }),
        ClockDefinition {
            extension: extension(Some(10), "court_president"),
            ..legal(Row {
                id: "confirmation_decision",
                name_zh: "司法确认决定期限",
                statutes: &[(SPC_CONFIRMATION, "5")],
                start_event: "confirmation_accepted",
                length_days: 15,
                basis: Calendar,
                on_expiry: NotifyAndSupervise,
                warn_before_days: 3,
            })
        },
        ClockDefinition {
            pause_conditions: codes(&["appraisal"]),
            extension: extension(None, "both_parties"),
            note: note(
                "counted from the mediator signing for the court's materials; both parties may agree to extend without a fixed cap",
            ),
            ..legal(Row {
                id: "pre_litigation_mediation",
                name_zh: "诉前委派调解期限",
                statutes: &[(SPC_INVITED_MEDIATION, "27")],
                start_event: "materials_received",
                length_days: 30,
                basis: Calendar,
                on_expiry: AllowNextChannel,
                warn_before_days: 5,
            })
        },
        ClockDefinition {
            note: note(online_note),
            ..legal(Row {
                id: "online_mediation_step_10",
                name_zh: "在线调解衔接环节（第十条）",
                statutes: &[(SPC_ONLINE_MEDIATION, "10")],
                start_event: "online_mediation_requested",
                length_days: 3,
                basis: Working,
                on_expiry: NotifyAndSupervise,
                warn_before_days: 1,
            })
        },
        ClockDefinition {
            note: note(online_note),
            ..legal(Row {
                id: "online_mediation_step_12",
                name_zh: "在线调解衔接环节（第十二条）",
                statutes: &[(SPC_ONLINE_MEDIATION, "12")],
                start_event: "online_mediation_assigned",
                length_days: 2,
                basis: Working,
                on_expiry: NotifyAndSupervise,
                warn_before_days: 1,
            })
        },
        ClockDefinition {
            note: note(online_note),
            ..legal(Row {
                id: "online_mediation_step_15",
                name_zh: "在线调解衔接环节（第十五条）",
                statutes: &[(SPC_ONLINE_MEDIATION, "15")],
                start_event: "online_mediation_accepted",
                length_days: 3,
                basis: Working,
                on_expiry: NotifyAndSupervise,
                warn_before_days: 1,
            })
        },
        legal(Row {
            id: "labour_mediation",
            name_zh: "劳动争议调解期限",
            statutes: &[(LABOUR_LAW, "14")],
            start_event: "application_received",
            length_days: 15,
            basis: Calendar,
            on_expiry: AllowNextChannel,
            warn_before_days: 3,
        }),
        ClockDefinition {
            extension: extension(Some(15), "arbitration_commission_director"),
            note: note("on expiry without an award the party may sue in court"),
            ..legal(Row {
                id: "labour_arbitration_award",
                name_zh: "劳动争议仲裁裁决期限",
                statutes: &[(LABOUR_LAW, "43")],
                start_event: "arbitration_accepted",
                length_days: 45,
                basis: Calendar,
                on_expiry: AllowNextChannel,
                warn_before_days: 7,
            })
        },
        ClockDefinition {
            pause_conditions: codes(&["appraisal"]),
            extension: extension(None, "committee_and_parties"),
            note: note("appraisal time is not counted; 超过调解期限未达成调解协议的，视为调解不成"),
            ..legal(Row {
                id: "medical_dispute_mediation",
                name_zh: "医疗纠纷人民调解期限",
                statutes: &[("医疗纠纷预防和处理条例", "38")],
                start_event: "accepted",
                length_days: 30,
                basis: Working,
                on_expiry: CountAsFailure,
                warn_before_days: 5,
            })
        },
        legal(Row {
            id: "consumer_complaint",
            name_zh: "消费者投诉处理期限",
            statutes: &[("消费者权益保护法", "46")],
            start_event: "complaint_received",
            length_days: 7,
            basis: Working,
            on_expiry: NotifyAndSupervise,
            warn_before_days: 2,
        }),
        legal(Row {
            id: "petition_register",
            name_zh: "信访事项登记处理期限",
            statutes: &[(PETITION_RULES, "22")],
            start_event: "petition_received",
            length_days: 15,
            basis: Calendar,
            on_expiry: NotifyAndSupervise,
            warn_before_days: 3,
        }),
        legal(Row {
            id: "petition_accept",
            name_zh: "信访事项受理告知期限",
            statutes: &[(PETITION_RULES, "23")],
            start_event: "petition_received",
            length_days: 15,
            basis: Calendar,
            on_expiry: NotifyAndSupervise,
            warn_before_days: 3,
        }),
        ClockDefinition {
            extension: extension(Some(30), "agency_head"),
            ..legal(Row {
                id: "petition_handling",
                name_zh: "信访事项办理期限",
                statutes: &[(PETITION_RULES, "34")],
                start_event: "petition_accepted",
                length_days: 60,
                basis: Calendar,
                on_expiry: NotifyAndSupervise,
                warn_before_days: 10,
            })
        },
        legal(Row {
            id: "petition_review_request",
            name_zh: "申请复查期限",
            statutes: &[(PETITION_RULES, "35")],
            start_event: "handling_reply_received",
            length_days: 30,
            basis: Calendar,
            on_expiry: WindowCloses,
            warn_before_days: 5,
        }),
        legal(Row {
            id: "petition_review",
            name_zh: "信访复查期限",
            statutes: &[(PETITION_RULES, "35")],
            start_event: "review_requested",
            length_days: 30,
            basis: Calendar,
            on_expiry: NotifyAndSupervise,
            warn_before_days: 5,
        }),
        legal(Row {
            id: "petition_re_review_request",
            name_zh: "申请复核期限",
            statutes: &[(PETITION_RULES, "36")],
            start_event: "review_reply_received",
            length_days: 30,
            basis: Calendar,
            on_expiry: WindowCloses,
            warn_before_days: 5,
        }),
        ClockDefinition {
            pause_conditions: codes(&["hearing"]),
            note: note("time spent on a hearing (听证) is not counted"),
            ..legal(Row {
                id: "petition_re_review",
                name_zh: "信访复核期限",
                statutes: &[(PETITION_RULES, "36")],
                start_event: "re_review_requested",
                length_days: 30,
                basis: Calendar,
                on_expiry: NotifyAndSupervise,
                warn_before_days: 5,
            })
        },
        legal(Row {
            id: "legal_aid_decision",
            name_zh: "法律援助审查决定期限",
            statutes: &[("法律援助法", "43")],
            start_event: "application_received",
            length_days: 7,
            basis: Calendar,
            on_expiry: NotifyAndSupervise,
            warn_before_days: 2,
        }),
    ]
}

/// The platform's own service levels, stricter than the law and never shown to parties as law.
pub fn default_internal_targets() -> Vec<ClockDefinition> {
    use DayBasis::{Calendar, Working};
    use ExpiryEffect::NotifyAndSupervise;
    vec![
        ClockDefinition {
            note: note("an assignee that has not accepted in time is escalated (DOMAIN §3.2)"),
            ..target(Row {
                id: "target_accept_case",
                name_zh: "受理确认（内部目标）",
                statutes: &[],
                start_event: "registered",
                length_days: 2,
                basis: Working,
                on_expiry: NotifyAndSupervise,
                warn_before_days: 1,
            })
        },
        target(Row {
            id: "target_first_contact",
            name_zh: "首次联系当事人（内部目标）",
            statutes: &[],
            start_event: "accepted",
            length_days: 3,
            basis: Working,
            on_expiry: NotifyAndSupervise,
            warn_before_days: 1,
        }),
        ClockDefinition {
            note: note(
                "stricter than the 15 days of 劳动争议调解仲裁法 art. 14, which stays the legal clock",
            ),
            ..target(Row {
                id: "target_labour_mediation",
                name_zh: "劳动争议调解（内部目标）",
                statutes: &[],
                start_event: "application_received",
                length_days: 10,
                basis: Calendar,
                on_expiry: NotifyAndSupervise,
                warn_before_days: 2,
            })
        },
        // Grid events (DOMAIN §4): the limit of each step owed next, counted in working days.
        target(Row {
            id: "grid_accept",
            name_zh: "网格事件受理（内部目标）",
            statutes: &[],
            start_event: "grid_reported",
            length_days: 1,
            basis: Working,
            on_expiry: NotifyAndSupervise,
            warn_before_days: 0,
        }),
        target(Row {
            id: "grid_dispatch",
            name_zh: "网格事件派遣（内部目标）",
            statutes: &[],
            start_event: "grid_accepted",
            length_days: 1,
            basis: Working,
            on_expiry: NotifyAndSupervise,
            warn_before_days: 0,
        }),
        target(Row {
            id: "grid_sign",
            name_zh: "职能部门签收（内部目标）",
            statutes: &[],
            start_event: "grid_dispatched",
            length_days: 1,
            basis: Working,
            on_expiry: NotifyAndSupervise,
            warn_before_days: 0,
        }),
        target(Row {
            id: "grid_handle",
            name_zh: "职能部门处置反馈（内部目标）",
            statutes: &[],
            start_event: "grid_signed",
            length_days: 5,
            basis: Working,
            on_expiry: NotifyAndSupervise,
            warn_before_days: 1,
        }),
        target(Row {
            id: "grid_verify",
            name_zh: "处置结果核查（内部目标）",
            statutes: &[],
            start_event: "grid_fed_back",
            length_days: 2,
            basis: Working,
            on_expiry: NotifyAndSupervise,
            warn_before_days: 1,
        }),
        target(Row {
            id: "summons_report",
            name_zh: "吹哨报到（内部目标）",
            statutes: &[],
            start_event: "summons_raised",
            length_days: 1,
            basis: Working,
            on_expiry: NotifyAndSupervise,
            warn_before_days: 0,
        }),
        // Alerts (DOMAIN §6): the owner signs for, handles and reports back on each alert, and
        // the centre closes it; emergency mode shortens these.
        target(Row {
            id: "alert_sign",
            name_zh: "预警签收（内部目标）",
            statutes: &[],
            start_event: "alert_issued",
            length_days: 1,
            basis: Working,
            on_expiry: NotifyAndSupervise,
            warn_before_days: 0,
        }),
        target(Row {
            id: "alert_handle",
            name_zh: "预警处置（内部目标）",
            statutes: &[],
            start_event: "alert_signed",
            length_days: 3,
            basis: Working,
            on_expiry: NotifyAndSupervise,
            warn_before_days: 1,
        }),
        target(Row {
            id: "alert_feedback",
            name_zh: "预警处置反馈（内部目标）",
            statutes: &[],
            start_event: "alert_handled",
            length_days: 1,
            basis: Working,
            on_expiry: NotifyAndSupervise,
            warn_before_days: 0,
        }),
        target(Row {
            id: "alert_close",
            name_zh: "预警核查办结（内部目标）",
            statutes: &[],
            start_event: "alert_fed_back",
            length_days: 2,
            basis: Working,
            on_expiry: NotifyAndSupervise,
            warn_before_days: 1,
        }),
        target(Row {
            id: "target_follow_up_visit",
            name_zh: "履行后回访（内部目标）",
            statutes: &[],
            start_event: "agreement_performed",
            length_days: 10,
            basis: Working,
            on_expiry: NotifyAndSupervise,
            warn_before_days: 2,
        }),
    ]
}

#[cfg(test)]
#[path = "defaults_tests.rs"]
mod tests;
