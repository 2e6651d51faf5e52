//! 流程 — the one stage machine of a dispute (DOMAIN §3.3). Every change of a case goes through
//! [`decide`], which checks the actor's permission for that command in that stage and returns the
//! new stage with its effects, or refuses. Nothing is written here; the store writes the decision
//! and exactly one audit entry for it.

use crate::role::Role;
use serde::{Deserialize, Serialize};

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 已登记赋码 — registered with its code, not yet routed.
    Registered,
    /// 已分流 — routed, waiting for the body to accept.
    Triaged,
    /// 已受理 — a body accepted it.
    Accepted,
    /// 调解中
    Mediating,
    /// 调解中止 — paused for an appraisal or an absent party.
    Paused,
    /// 达成协议
    Agreement,
    /// 已申请司法确认
    ConfirmationRequested,
    /// 司法确认有效
    Confirmed,
    /// 司法确认驳回
    ConfirmationRejected,
    /// 履行中
    Performing,
    /// 已办结
    Closed,
    /// 已评价
    Evaluated,
    /// 转仲裁 (labour)
    Arbitration,
    /// 转诉讼 (online filing)
    Litigation,
    /// 转信访
    Petition,
    /// 已撤回
    Withdrawn,
    /// 不予受理
    Rejected,
    /// 已并案 — merged into another case (reversible).
    Merged,
}

impl Stage {
    pub const ALL: [Stage; 18] = [
        Stage::Registered,
        Stage::Triaged,
        Stage::Accepted,
        Stage::Mediating,
        Stage::Paused,
        Stage::Agreement,
        Stage::ConfirmationRequested,
        Stage::Confirmed,
        Stage::ConfirmationRejected,
        Stage::Performing,
        Stage::Closed,
        Stage::Evaluated,
        Stage::Arbitration,
        Stage::Litigation,
        Stage::Petition,
        Stage::Withdrawn,
        Stage::Rejected,
        Stage::Merged,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Stage::Registered => "registered",
            Stage::Triaged => "triaged",
            Stage::Accepted => "accepted",
            Stage::Mediating => "mediating",
            Stage::Paused => "paused",
            Stage::Agreement => "agreement",
            Stage::ConfirmationRequested => "confirmation_requested",
            Stage::Confirmed => "confirmed",
            Stage::ConfirmationRejected => "confirmation_rejected",
            Stage::Performing => "performing",
            Stage::Closed => "closed",
            Stage::Evaluated => "evaluated",
            Stage::Arbitration => "arbitration",
            Stage::Litigation => "litigation",
            Stage::Petition => "petition",
            Stage::Withdrawn => "withdrawn",
            Stage::Rejected => "rejected",
            Stage::Merged => "merged",
        }
    }

    /// The wording parties see on their timeline: plain words, no internal terms.
    pub fn public_label_zh(self) -> &'static str {
        match self {
            Stage::Registered => "已登记，正在分派办理单位",
            Stage::Triaged => "已分派，等待办理单位受理",
            Stage::Accepted => "办理单位已受理",
            Stage::Mediating => "调解进行中",
            Stage::Paused => "调解暂停（等待鉴定或当事人到场）",
            Stage::Agreement => "已达成调解协议",
            Stage::ConfirmationRequested => "已向法院申请司法确认",
            Stage::Confirmed => "法院已确认调解协议有效",
            Stage::ConfirmationRejected => "法院未予确认调解协议",
            Stage::Performing => "协议履行中",
            Stage::Closed => "已办结",
            Stage::Evaluated => "已办结并评价",
            Stage::Arbitration => "已转劳动人事争议仲裁",
            Stage::Litigation => "已引导向法院起诉",
            Stage::Petition => "已转信访渠道办理",
            Stage::Withdrawn => "申请人已撤回",
            Stage::Rejected => "不予受理",
            Stage::Merged => "已与关联案件合并办理",
        }
    }

    /// No command moves a case out of these (a merge is undone by unmerging, not by commands on it).
    pub fn is_terminal(self) -> bool {
        matches!(self, Stage::Withdrawn | Stage::Rejected)
    }

    /// Whether the case still needs work (counts toward open caseloads and overdue rates).
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            Stage::Closed | Stage::Evaluated | Stage::Withdrawn | Stage::Rejected | Stage::Merged
        )
    }
}

impl std::str::FromStr for Stage {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Stage::ALL
            .into_iter()
            .find(|st| st.code() == s)
            .ok_or_else(|| format!("unknown stage `{s}`"))
    }
}

/// Where a failed mediation goes next (法-调-仲-访-诉).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NextChannel {
    Arbitration,
    Litigation,
    Petition,
}

/// Why mediation pauses; the legal clocks exclude paused days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PauseReason {
    /// 鉴定
    Appraisal,
    /// 当事人未到场
    PartyAbsent,
}

/// Everything anyone can ask of a case. Payload details (notes, sessions, evaluations) are
/// validated and stored by the caller; the machine only needs what affects the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    /// Assign the routed bodies.
    Route {
        org_ids: Vec<String>,
    },
    /// The assigned body takes the case.
    Accept,
    /// The assigned body declines, with a reason; the case goes back for re-routing upward.
    DeclineAssignment {
        reason: String,
    },
    /// Supervision escalates a case its body did not accept in time (the scheduler issues this).
    Escalate {
        reason: String,
    },
    /// Move the case to other bodies or another level; history and code stay.
    Transfer {
        org_ids: Vec<String>,
        reason: String,
    },
    StartMediation,
    /// A mediation session took place (time, place/link, participants, notes recorded by the caller).
    RecordSession,
    Pause {
        reason: PauseReason,
    },
    Resume,
    ReachAgreement,
    /// Mediation failed; the case continues in another channel.
    Fail {
        next: NextChannel,
        reason: String,
    },
    RequestConfirmation,
    ConfirmAgreement,
    RejectConfirmation {
        reason: String,
    },
    StartPerformance,
    /// 回访 — whether the agreement is being performed; a failure reopens mediation.
    FollowUp {
        performed: bool,
    },
    /// The other channel (arbitration, court, petition) concluded.
    Conclude,
    InviteJudge {
        judge_org_id: String,
    },
    RecordGuidance,
    Evaluate,
    Reopen {
        reason: String,
    },
    Withdraw {
        reason: String,
    },
    RejectCase {
        reason: String,
    },
    MergeInto {
        target_case_id: String,
    },
    Unmerge,
}

impl Command {
    /// Stable name used as the audit action (`dispute.accept` …).
    pub fn name(&self) -> &'static str {
        match self {
            Command::Route { .. } => "route",
            Command::Accept => "accept",
            Command::DeclineAssignment { .. } => "decline_assignment",
            Command::Escalate { .. } => "escalate",
            Command::Transfer { .. } => "transfer",
            Command::StartMediation => "start_mediation",
            Command::RecordSession => "record_session",
            Command::Pause { .. } => "pause",
            Command::Resume => "resume",
            Command::ReachAgreement => "reach_agreement",
            Command::Fail { .. } => "fail",
            Command::RequestConfirmation => "request_confirmation",
            Command::ConfirmAgreement => "confirm_agreement",
            Command::RejectConfirmation { .. } => "reject_confirmation",
            Command::StartPerformance => "start_performance",
            Command::FollowUp { .. } => "follow_up",
            Command::Conclude => "conclude",
            Command::InviteJudge { .. } => "invite_judge",
            Command::RecordGuidance => "record_guidance",
            Command::Evaluate => "evaluate",
            Command::Reopen { .. } => "reopen",
            Command::Withdraw { .. } => "withdraw",
            Command::RejectCase { .. } => "reject_case",
            Command::MergeInto { .. } => "merge_into",
            Command::Unmerge => "unmerge",
        }
    }
}

/// Who asks, as seen from this case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub roles: Vec<Role>,
    /// The actor's organisation is one of the case's assigned bodies.
    pub is_assignee: bool,
    /// The actor's organisation is a court invited to guide this case.
    pub is_invited_court: bool,
    /// The actor is the applicant (a citizen with the code and second factor, or their account).
    pub is_applicant: bool,
    /// The case lies within the actor's jurisdiction (staff) — region scope.
    pub in_jurisdiction: bool,
}

impl Actor {
    fn has(&self, r: Role) -> bool {
        self.roles.contains(&r)
    }
    fn staff_in_jurisdiction(&self, roles: &[Role]) -> bool {
        self.in_jurisdiction && roles.iter().any(|r| self.has(*r))
    }
    fn assignee_with(&self, roles: &[Role]) -> bool {
        self.is_assignee && roles.iter().any(|r| self.has(*r))
    }
}

/// What the machine needs to know of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseState {
    pub stage: Stage,
    /// The stage before a merge, so unmerging restores it.
    pub stage_before_merge: Option<Stage>,
    /// Labour disputes may go to arbitration; others may not.
    pub is_labour: bool,
    pub has_assignees: bool,
}

/// A side effect the caller carries out in the same transaction as the stage change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "effect", rename_all = "snake_case")]
pub enum Effect {
    /// Replace the assigned bodies.
    AssignOrgs {
        org_ids: Vec<String>,
    },
    /// Route again one level up (after a decline, a reopen, or no acceptance in time).
    EscalateRouting,
    AddInvitedCourt {
        org_id: String,
    },
    /// Start a legal or internal clock keyed by its start event.
    StartClocks {
        event: &'static str,
    },
    /// Stop the clocks started by these events.
    StopClocks {
        events: Vec<&'static str>,
    },
    /// Pause running clocks for this condition (`appraisal`, `party_absent`, `merged`); only clocks
    /// whose definition excludes that condition stop counting.
    PauseClocks {
        condition: &'static str,
    },
    ResumeClocks,
    /// Schedule a follow-up visit (回访) after the agreement.
    ScheduleFollowUp,
    /// Tell the parties, in public wording.
    NotifyParties,
    RecordMergeTarget {
        target_case_id: String,
    },
    ClearMergeTarget,
}

/// An accepted command: the stage it leads to and what else must happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub from: Stage,
    pub to: Stage,
    pub effects: Vec<Effect>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StageError {
    #[error("`{command}` is not possible while the case is {stage}")]
    NotInThisStage {
        command: &'static str,
        stage: &'static str,
    },
    #[error("your role does not allow `{0}` on this case")]
    NotPermitted(&'static str),
    #[error("{field}: {reason}")]
    Invalid {
        field: &'static str,
        reason: &'static str,
    },
}

const STAFF_ROUTERS: &[Role] = &[Role::Intake, Role::Commander, Role::Admin];
const HANDLERS: &[Role] = &[Role::Mediator, Role::Intake];

/// Decides one command. Pure: the same state, actor and command always give the same answer.
pub fn decide(case: &CaseState, actor: &Actor, command: &Command) -> Result<Decision, StageError> {
    use Stage::*;
    let stage = case.stage;
    let name = command.name();
    let wrong_stage = || StageError::NotInThisStage {
        command: name,
        stage: stage.code(),
    };
    let permit = |ok: bool| {
        if ok {
            Ok(())
        } else {
            Err(StageError::NotPermitted(name))
        }
    };
    let reason_given = |r: &str| {
        if r.trim().chars().count() < 2 {
            Err(StageError::Invalid {
                field: "reason",
                reason: "须说明理由（至少 2 个字）",
            })
        } else {
            Ok(())
        }
    };
    let go = |to: Stage, effects: Vec<Effect>| {
        Ok(Decision {
            from: stage,
            to,
            effects,
        })
    };

    if stage.is_terminal() {
        return Err(wrong_stage());
    }
    if stage == Merged && !matches!(command, Command::Unmerge) {
        return Err(wrong_stage());
    }
    match command {
        Command::Route { org_ids } => {
            permit(actor.staff_in_jurisdiction(STAFF_ROUTERS))?;
            if stage != Registered {
                return Err(wrong_stage());
            }
            if org_ids.is_empty() {
                return Err(StageError::Invalid {
                    field: "org_ids",
                    reason: "至少分派一个办理单位",
                });
            }
            go(
                Triaged,
                vec![
                    Effect::AssignOrgs {
                        org_ids: org_ids.clone(),
                    },
                    Effect::StartClocks { event: "routed" },
                    Effect::NotifyParties,
                ],
            )
        }
        Command::Accept => {
            permit(actor.assignee_with(HANDLERS))?;
            if stage != Triaged {
                return Err(wrong_stage());
            }
            go(
                Accepted,
                vec![
                    Effect::StopClocks {
                        events: vec!["routed"],
                    },
                    Effect::StartClocks { event: "accepted" },
                    Effect::NotifyParties,
                ],
            )
        }
        Command::DeclineAssignment { reason } => {
            permit(actor.assignee_with(HANDLERS))?;
            reason_given(reason)?;
            if stage != Triaged {
                return Err(wrong_stage());
            }
            go(
                Registered,
                vec![
                    Effect::StopClocks {
                        events: vec!["routed"],
                    },
                    Effect::EscalateRouting,
                ],
            )
        }
        Command::Escalate { reason } => {
            permit(actor.staff_in_jurisdiction(STAFF_ROUTERS))?;
            reason_given(reason)?;
            if stage != Triaged {
                return Err(wrong_stage());
            }
            go(
                Registered,
                vec![
                    Effect::StopClocks {
                        events: vec!["routed"],
                    },
                    Effect::EscalateRouting,
                    Effect::NotifyParties,
                ],
            )
        }
        Command::Transfer { org_ids, reason } => {
            permit(actor.assignee_with(HANDLERS) || actor.staff_in_jurisdiction(STAFF_ROUTERS))?;
            reason_given(reason)?;
            if org_ids.is_empty() {
                return Err(StageError::Invalid {
                    field: "org_ids",
                    reason: "至少指定一个接收单位",
                });
            }
            if !matches!(stage, Triaged | Accepted | Mediating | Paused) {
                return Err(wrong_stage());
            }
            go(
                Triaged,
                vec![
                    Effect::AssignOrgs {
                        org_ids: org_ids.clone(),
                    },
                    Effect::StopClocks {
                        events: vec!["routed", "accepted"],
                    },
                    Effect::StartClocks { event: "routed" },
                    Effect::NotifyParties,
                ],
            )
        }
        Command::StartMediation => {
            permit(actor.assignee_with(HANDLERS))?;
            if stage != Accepted {
                return Err(wrong_stage());
            }
            go(
                Mediating,
                vec![
                    Effect::StartClocks {
                        event: "mediation_started",
                    },
                    Effect::NotifyParties,
                ],
            )
        }
        Command::RecordSession => {
            permit(actor.assignee_with(HANDLERS))?;
            if !matches!(stage, Mediating) {
                return Err(wrong_stage());
            }
            go(Mediating, vec![])
        }
        Command::Pause { reason } => {
            permit(actor.assignee_with(HANDLERS))?;
            if stage != Mediating {
                return Err(wrong_stage());
            }
            let condition = match reason {
                PauseReason::Appraisal => "appraisal",
                PauseReason::PartyAbsent => "party_absent",
            };
            go(
                Paused,
                vec![Effect::PauseClocks { condition }, Effect::NotifyParties],
            )
        }
        Command::Resume => {
            permit(actor.assignee_with(HANDLERS))?;
            if stage != Paused {
                return Err(wrong_stage());
            }
            go(Mediating, vec![Effect::ResumeClocks, Effect::NotifyParties])
        }
        Command::ReachAgreement => {
            permit(actor.assignee_with(HANDLERS))?;
            if stage != Mediating {
                return Err(wrong_stage());
            }
            go(
                Agreement,
                vec![
                    Effect::StopClocks {
                        events: vec!["accepted", "mediation_started"],
                    },
                    Effect::StartClocks {
                        event: "agreement_signed",
                    },
                    Effect::ScheduleFollowUp,
                    Effect::NotifyParties,
                ],
            )
        }
        Command::Fail { next, reason } => {
            permit(actor.assignee_with(HANDLERS))?;
            reason_given(reason)?;
            if !matches!(stage, Mediating | Paused | ConfirmationRejected) {
                return Err(wrong_stage());
            }
            if *next == NextChannel::Arbitration && !case.is_labour {
                return Err(StageError::Invalid {
                    field: "next",
                    reason: "只有劳动争议可以转仲裁",
                });
            }
            let (to, event) = match next {
                NextChannel::Arbitration => (Arbitration, "arbitration_requested"),
                NextChannel::Litigation => (Litigation, "litigation_filed"),
                NextChannel::Petition => (Petition, "petition_registered"),
            };
            go(
                to,
                vec![
                    Effect::StopClocks {
                        events: vec!["accepted", "mediation_started"],
                    },
                    Effect::StartClocks { event },
                    Effect::NotifyParties,
                ],
            )
        }
        Command::RequestConfirmation => {
            permit(actor.assignee_with(HANDLERS) || actor.is_applicant)?;
            if stage != Agreement {
                return Err(wrong_stage());
            }
            go(
                ConfirmationRequested,
                vec![
                    Effect::StartClocks {
                        event: "confirmation_requested",
                    },
                    Effect::NotifyParties,
                ],
            )
        }
        Command::ConfirmAgreement | Command::RejectConfirmation { .. } => {
            permit(
                actor.has(Role::Judge)
                    && (actor.is_invited_court || actor.is_assignee || actor.in_jurisdiction),
            )?;
            if let Command::RejectConfirmation { reason } = command {
                reason_given(reason)?;
            }
            if stage != ConfirmationRequested {
                return Err(wrong_stage());
            }
            let to = if matches!(command, Command::ConfirmAgreement) {
                Confirmed
            } else {
                ConfirmationRejected
            };
            go(
                to,
                vec![
                    Effect::StopClocks {
                        events: vec!["confirmation_requested", "agreement_signed"],
                    },
                    Effect::NotifyParties,
                ],
            )
        }
        Command::StartPerformance => {
            permit(actor.assignee_with(HANDLERS))?;
            if !matches!(stage, Agreement | Confirmed) {
                return Err(wrong_stage());
            }
            go(
                Performing,
                vec![
                    Effect::StopClocks {
                        events: vec!["agreement_signed"],
                    },
                    Effect::NotifyParties,
                ],
            )
        }
        Command::FollowUp { performed } => {
            permit(actor.assignee_with(HANDLERS))?;
            if stage != Performing {
                return Err(wrong_stage());
            }
            if *performed {
                go(Closed, vec![Effect::NotifyParties])
            } else {
                // A failed performance reopens mediation with the same body.
                go(
                    Mediating,
                    vec![
                        Effect::StartClocks {
                            event: "mediation_started",
                        },
                        Effect::NotifyParties,
                    ],
                )
            }
        }
        Command::Conclude => {
            permit(
                actor.assignee_with(&[Role::Mediator, Role::Intake, Role::Arbitrator, Role::Judge])
                    || (actor.has(Role::Arbitrator) && actor.in_jurisdiction)
                    || (actor.has(Role::Judge)
                        && (actor.is_invited_court || actor.in_jurisdiction)),
            )?;
            if !matches!(stage, Arbitration | Litigation | Petition) {
                return Err(wrong_stage());
            }
            go(
                Closed,
                vec![
                    Effect::StopClocks {
                        events: vec![
                            "arbitration_requested",
                            "litigation_filed",
                            "petition_registered",
                        ],
                    },
                    Effect::NotifyParties,
                ],
            )
        }
        Command::InviteJudge { judge_org_id } => {
            permit(actor.assignee_with(HANDLERS) || actor.staff_in_jurisdiction(STAFF_ROUTERS))?;
            if judge_org_id.trim().is_empty() {
                return Err(StageError::Invalid {
                    field: "judge_org_id",
                    reason: "须指定法院或共享法庭",
                });
            }
            if !matches!(stage, Triaged | Accepted | Mediating | Paused | Agreement) {
                return Err(wrong_stage());
            }
            go(
                stage,
                vec![Effect::AddInvitedCourt {
                    org_id: judge_org_id.clone(),
                }],
            )
        }
        Command::RecordGuidance => {
            permit(actor.has(Role::Judge) && actor.is_invited_court)?;
            if !matches!(stage, Triaged | Accepted | Mediating | Paused | Agreement) {
                return Err(wrong_stage());
            }
            go(stage, vec![])
        }
        Command::Evaluate => {
            permit(actor.is_applicant)?;
            if stage != Closed {
                return Err(wrong_stage());
            }
            go(Evaluated, vec![])
        }
        Command::Reopen { reason } => {
            permit(actor.is_applicant)?;
            reason_given(reason)?;
            if !matches!(stage, Closed | Evaluated) {
                return Err(wrong_stage());
            }
            // Reopening escalates: the case is routed again one level up.
            go(
                Registered,
                vec![Effect::EscalateRouting, Effect::NotifyParties],
            )
        }
        Command::Withdraw { reason } => {
            permit(
                actor.is_applicant
                    || actor.staff_in_jurisdiction(&[Role::Intake, Role::Admin])
                    || actor.assignee_with(HANDLERS),
            )?;
            reason_given(reason)?;
            if !stage.is_open() {
                return Err(wrong_stage());
            }
            go(
                Withdrawn,
                vec![
                    Effect::StopClocks {
                        events: ALL_EVENTS.to_vec(),
                    },
                    Effect::NotifyParties,
                ],
            )
        }
        Command::RejectCase { reason } => {
            permit(
                actor.staff_in_jurisdiction(&[Role::Intake, Role::Admin])
                    || actor.assignee_with(HANDLERS),
            )?;
            reason_given(reason)?;
            if !matches!(stage, Registered | Triaged) {
                return Err(wrong_stage());
            }
            go(
                Rejected,
                vec![
                    Effect::StopClocks {
                        events: ALL_EVENTS.to_vec(),
                    },
                    Effect::NotifyParties,
                ],
            )
        }
        Command::MergeInto { target_case_id } => {
            permit(actor.staff_in_jurisdiction(STAFF_ROUTERS))?;
            if target_case_id.trim().is_empty() {
                return Err(StageError::Invalid {
                    field: "target_case_id",
                    reason: "须指定合并到的案件",
                });
            }
            if !stage.is_open() {
                return Err(wrong_stage());
            }
            go(
                Merged,
                vec![
                    Effect::RecordMergeTarget {
                        target_case_id: target_case_id.clone(),
                    },
                    Effect::PauseClocks {
                        condition: "merged",
                    },
                    Effect::NotifyParties,
                ],
            )
        }
        Command::Unmerge => {
            permit(actor.staff_in_jurisdiction(STAFF_ROUTERS))?;
            if stage != Merged {
                return Err(wrong_stage());
            }
            let back = case.stage_before_merge.unwrap_or(Registered);
            go(
                back,
                vec![
                    Effect::ClearMergeTarget,
                    Effect::ResumeClocks,
                    Effect::NotifyParties,
                ],
            )
        }
    }
}

/// Every clock start event the machine emits.
pub const ALL_EVENTS: &[&str] = &[
    "routed",
    "accepted",
    "mediation_started",
    "agreement_signed",
    "confirmation_requested",
    "arbitration_requested",
    "litigation_filed",
    "petition_registered",
];

/// The edges the machine may take: (from, to). Used by tests and by the console's flow chart.
pub fn allowed_edges() -> Vec<(Stage, Stage)> {
    use Stage::*;
    let mut edges = vec![
        (Registered, Triaged),
        (Triaged, Accepted),
        (Triaged, Registered),
        (Accepted, Mediating),
        (Mediating, Mediating),
        (Mediating, Paused),
        (Paused, Mediating),
        (Mediating, Agreement),
        (Agreement, ConfirmationRequested),
        (ConfirmationRequested, Confirmed),
        (ConfirmationRequested, ConfirmationRejected),
        (Agreement, Performing),
        (Confirmed, Performing),
        (Performing, Closed),
        (Performing, Mediating),
        (Closed, Evaluated),
        (Closed, Registered),
        (Evaluated, Registered),
        (Registered, Rejected),
        (Triaged, Rejected),
    ];
    for s in [Triaged, Accepted, Mediating, Paused] {
        edges.push((s, Triaged));
    }
    for s in [Triaged, Accepted, Mediating, Paused, Agreement] {
        edges.push((s, s));
    }
    for s in [Mediating, Paused, ConfirmationRejected] {
        edges.extend([(s, Arbitration), (s, Litigation), (s, Petition)]);
    }
    for s in [Arbitration, Litigation, Petition] {
        edges.push((s, Closed));
    }
    for s in Stage::ALL.into_iter().filter(|s| s.is_open()) {
        edges.push((s, Withdrawn));
        edges.push((s, Merged));
        edges.push((Merged, s));
    }
    edges.push((Merged, Registered));
    edges
}

#[cfg(test)]
mod tests;
