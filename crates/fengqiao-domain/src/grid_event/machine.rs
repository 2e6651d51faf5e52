//! The one function every grid-event step goes through: who may do what, from which status, to which.

use super::status::EventStatus;
use serde::{Deserialize, Serialize};

/// A step on a grid event, as the API receives it (`{"action":"dispatch", …}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    /// The centre takes the event on (受理).
    Accept {
        #[serde(default)]
        note: String,
    },
    /// The centre refuses it (duplicate, false report, not a governance matter), with the reason.
    Reject { reason: String },
    /// The reporting grid worker solved it on the spot (就地解决); photos are the evidence.
    SolveOnSpot { note: String },
    /// The centre dispatches it to a department (派遣); `department_org_id` may override the
    /// rule's suggestion, and then `reason` says why.
    Dispatch {
        department_org_id: String,
        #[serde(default)]
        reason: String,
    },
    /// The department signs for it (签收).
    Sign,
    /// The department sends it back: not its duty, wrong place (退回), with the reason.
    Return { reason: String },
    /// The department reports what it did (反馈), with photos as evidence.
    Feedback { note: String },
    /// The centre checks the result (核查): approved closes it, refused sends it back.
    Verify {
        approved: bool,
        #[serde(default)]
        note: String,
    },
    /// The reporter rates the handling (评价), 1–5.
    Evaluate {
        satisfaction: u8,
        #[serde(default)]
        comment: String,
    },
    /// The reporter or the centre reopens a closed event (重新办理), with the reason.
    Reopen { reason: String },
    /// The centre or the reporting grid worker turns it into a dispute case (转矛盾纠纷).
    TransferToDispute {
        dispute_type: String,
        #[serde(default)]
        note: String,
    },
}

impl Command {
    pub fn name(&self) -> &'static str {
        match self {
            Command::Accept { .. } => "accept",
            Command::Reject { .. } => "reject",
            Command::SolveOnSpot { .. } => "solve_on_spot",
            Command::Dispatch { .. } => "dispatch",
            Command::Sign => "sign",
            Command::Return { .. } => "return",
            Command::Feedback { .. } => "feedback",
            Command::Verify { .. } => "verify",
            Command::Evaluate { .. } => "evaluate",
            Command::Reopen { .. } => "reopen",
            Command::TransferToDispute { .. } => "transfer_to_dispute",
        }
    }

    pub fn label_zh(&self) -> &'static str {
        match self {
            Command::Accept { .. } => "受理",
            Command::Reject { .. } => "不予受理",
            Command::SolveOnSpot { .. } => "就地解决",
            Command::Dispatch { .. } => "派遣",
            Command::Sign => "签收",
            Command::Return { .. } => "退回",
            Command::Feedback { .. } => "处置反馈",
            Command::Verify { approved: true, .. } => "核查通过并办结",
            Command::Verify {
                approved: false, ..
            } => "核查不通过",
            Command::Evaluate { .. } => "评价",
            Command::Reopen { .. } => "重新办理",
            Command::TransferToDispute { .. } => "转为矛盾纠纷案件",
        }
    }

    /// The free text of the step (note, reason or comment), for the timeline.
    pub fn text(&self) -> &str {
        match self {
            Command::Accept { note }
            | Command::SolveOnSpot { note }
            | Command::Feedback { note }
            | Command::Verify { note, .. }
            | Command::TransferToDispute { note, .. } => note,
            Command::Reject { reason }
            | Command::Return { reason }
            | Command::Reopen { reason } => reason,
            Command::Dispatch { reason, .. } => reason,
            Command::Evaluate { comment, .. } => comment,
            Command::Sign => "",
        }
    }
}

/// Who is acting, as far as the event is concerned. The store works these out from the user,
/// the user's organisation and the event; the rules below only read them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Actor {
    /// Centre staff (综治中心/指挥中心: commander, intake or admin) whose jurisdiction covers the event.
    pub is_centre: bool,
    /// Staff of the department the event is dispatched to.
    pub is_department: bool,
    /// The person who reported it.
    pub is_reporter: bool,
    /// A grid worker of a grid the event lies in.
    pub is_grid_worker: bool,
}

/// What the rules need to know about the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventState {
    pub status: EventStatus,
    /// Photos or files attached to the event so far (evidence for on-the-spot solving and feedback).
    pub evidence_count: usize,
    /// Reported by a grid worker (only they may solve on the spot).
    pub reported_by_grid_worker: bool,
}

/// The outcome of an allowed step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub from: EventStatus,
    pub to: EventStatus,
    /// The clock that starts now (all running clocks of the event stop first).
    pub start_clock: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GridEventError {
    #[error("「{action}」不能在「{status}」状态下进行")]
    WrongStatus {
        action: &'static str,
        status: &'static str,
    },
    #[error("无权进行「{action}」：{why}")]
    NotPermitted {
        action: &'static str,
        why: &'static str,
    },
    #[error("{field}: {reason}")]
    Invalid {
        field: &'static str,
        reason: &'static str,
    },
}

fn require_text(field: &'static str, text: &str) -> Result<(), GridEventError> {
    if text.trim().is_empty() {
        return Err(GridEventError::Invalid {
            field,
            reason: "不能为空",
        });
    }
    if text.chars().count() > 2000 {
        return Err(GridEventError::Invalid {
            field,
            reason: "不能超过 2000 字",
        });
    }
    Ok(())
}

/// Checks a step against the event's status and the actor's standing, and says where it leads.
pub fn decide(
    state: &EventState,
    actor: &Actor,
    command: &Command,
) -> Result<Decision, GridEventError> {
    use EventStatus::*;
    let action = command.label_zh();
    let wrong = || GridEventError::WrongStatus {
        action,
        status: state.status.label_zh(),
    };
    let not = |why| GridEventError::NotPermitted { action, why };
    let centre = || {
        if actor.is_centre {
            Ok(())
        } else {
            Err(not("仅属地综治中心（指挥中心）可以办理"))
        }
    };
    let department = || {
        if actor.is_department {
            Ok(())
        } else {
            Err(not("仅被派遣的职能部门可以办理"))
        }
    };
    let to = match (command, state.status) {
        (Command::Accept { .. }, Reported) => {
            centre()?;
            Accepted
        }
        (Command::Reject { reason }, Reported | Accepted | Returned) => {
            centre()?;
            require_text("reason", reason)?;
            Rejected
        }
        (Command::SolveOnSpot { note }, Reported) => {
            if !(actor.is_reporter && state.reported_by_grid_worker) {
                return Err(not("仅上报该事件的网格员可以就地解决"));
            }
            require_text("note", note)?;
            if state.evidence_count == 0 {
                return Err(GridEventError::Invalid {
                    field: "photos",
                    reason: "就地解决须上传现场照片作为证据",
                });
            }
            SolvedOnSpot
        }
        (
            Command::Dispatch {
                department_org_id, ..
            },
            Accepted | Returned,
        ) => {
            centre()?;
            require_text("department_org_id", department_org_id)?;
            Dispatched
        }
        (Command::Sign, Dispatched) => {
            department()?;
            Handling
        }
        (Command::Return { reason }, Dispatched | Handling) => {
            department()?;
            require_text("reason", reason)?;
            Returned
        }
        (Command::Feedback { note }, Handling) => {
            department()?;
            require_text("note", note)?;
            if state.evidence_count == 0 {
                return Err(GridEventError::Invalid {
                    field: "photos",
                    reason: "处置反馈须附处置后的照片或材料",
                });
            }
            FedBack
        }
        (Command::Verify { approved, note }, FedBack | SolvedOnSpot) => {
            centre()?;
            match (approved, state.status) {
                (true, _) => Closed,
                (false, status) => {
                    require_text("note", note)?;
                    // Refused on-the-spot work is taken over by the centre; refused department
                    // work goes back to the department.
                    if status == SolvedOnSpot {
                        Accepted
                    } else {
                        Handling
                    }
                }
            }
        }
        (
            Command::Evaluate {
                satisfaction,
                comment,
            },
            Closed,
        ) => {
            if !actor.is_reporter {
                return Err(not("仅上报人可以评价"));
            }
            if !(1..=5).contains(satisfaction) {
                return Err(GridEventError::Invalid {
                    field: "satisfaction",
                    reason: "须为 1 到 5",
                });
            }
            if comment.chars().count() > 2000 {
                return Err(GridEventError::Invalid {
                    field: "comment",
                    reason: "不能超过 2000 字",
                });
            }
            Evaluated
        }
        (Command::Reopen { reason }, Closed | Evaluated) => {
            if !(actor.is_reporter || actor.is_centre) {
                return Err(not("仅上报人或属地综治中心可以重新办理"));
            }
            require_text("reason", reason)?;
            Accepted
        }
        (
            Command::TransferToDispute { dispute_type, .. },
            Reported | Accepted | Returned | Dispatched | Handling | FedBack | SolvedOnSpot,
        ) => {
            if !(actor.is_centre || (actor.is_reporter && actor.is_grid_worker)) {
                return Err(not("仅属地综治中心或上报该事件的网格员可以转为矛盾纠纷"));
            }
            require_text("dispute_type", dispute_type)?;
            TransferredToDispute
        }
        _ => return Err(wrong()),
    };
    Ok(Decision {
        from: state.status,
        to,
        start_clock: to.clock(),
    })
}
