//! The one function every alert step goes through: who may do what, from which status, to which.

use super::status::AlertStatus;
use serde::{Deserialize, Serialize};

/// A step on an alert, as the API receives it (`{"action":"sign"}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum AlertCommand {
    /// The owner signs for it (签收): someone is on it.
    Sign {
        #[serde(default)]
        note: String,
    },
    /// The owner records what was done (处置).
    Handle { note: String },
    /// The owner reports back to the centre (反馈).
    Feedback { note: String },
    /// The centre checks the feedback and closes the alert (办结).
    Close {
        #[serde(default)]
        note: String,
    },
    /// The centre finds the feedback wanting and sends it back to the owner (退回重办).
    SendBack { reason: String },
    /// The centre closes an alert that needs no action (误报 / 已掌握), with the reason.
    Dismiss { reason: String },
    /// The centre reopens a closed alert (重新处置).
    Reopen { reason: String },
    /// The centre gives the alert to another organisation, which must sign for it again (改派).
    Assign {
        owner_org_id: String,
        #[serde(default)]
        reason: String,
    },
    /// Spawns a grid event (派单) for the place of the alert; the alert keeps its status.
    SpawnGridEvent {
        category_code: String,
        #[serde(default)]
        note: String,
    },
    /// Registers a dispute case from the alert (转矛盾纠纷); the alert keeps its status.
    SpawnDispute {
        dispute_type: String,
        #[serde(default)]
        note: String,
    },
}

impl AlertCommand {
    pub fn name(&self) -> &'static str {
        match self {
            AlertCommand::Sign { .. } => "sign",
            AlertCommand::Handle { .. } => "handle",
            AlertCommand::Feedback { .. } => "feedback",
            AlertCommand::Close { .. } => "close",
            AlertCommand::SendBack { .. } => "send_back",
            AlertCommand::Dismiss { .. } => "dismiss",
            AlertCommand::Reopen { .. } => "reopen",
            AlertCommand::Assign { .. } => "assign",
            AlertCommand::SpawnGridEvent { .. } => "spawn_grid_event",
            AlertCommand::SpawnDispute { .. } => "spawn_dispute",
        }
    }

    pub fn label_zh(&self) -> &'static str {
        match self {
            AlertCommand::Sign { .. } => "签收",
            AlertCommand::Handle { .. } => "处置",
            AlertCommand::Feedback { .. } => "反馈",
            AlertCommand::Close { .. } => "办结",
            AlertCommand::SendBack { .. } => "退回重办",
            AlertCommand::Dismiss { .. } => "核销（无需处置）",
            AlertCommand::Reopen { .. } => "重新处置",
            AlertCommand::Assign { .. } => "改派",
            AlertCommand::SpawnGridEvent { .. } => "派发网格事件",
            AlertCommand::SpawnDispute { .. } => "转矛盾纠纷案件",
        }
    }

    /// The free text of the step (note or reason), for the timeline.
    pub fn text(&self) -> &str {
        match self {
            AlertCommand::Sign { note }
            | AlertCommand::Handle { note }
            | AlertCommand::Feedback { note }
            | AlertCommand::Close { note }
            | AlertCommand::SpawnGridEvent { note, .. }
            | AlertCommand::SpawnDispute { note, .. } => note,
            AlertCommand::SendBack { reason }
            | AlertCommand::Dismiss { reason }
            | AlertCommand::Reopen { reason }
            | AlertCommand::Assign { reason, .. } => reason,
        }
    }
}

/// Who is acting, as far as the alert is concerned (worked out by the store from the user).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AlertActor {
    /// Command-centre staff (commander or admin) whose jurisdiction covers the alert's place.
    pub is_centre: bool,
    /// Staff of the organisation that owns the alert; with no owner organisation, the centre
    /// staff of the place own it.
    pub is_owner: bool,
}

/// The outcome of an allowed step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertDecision {
    pub from: AlertStatus,
    pub to: AlertStatus,
    /// The clock that starts now, when the status changes (the running one stops first).
    pub start_clock: Option<&'static str>,
    /// False for steps that leave the status alone (spawning a grid event or a case).
    pub moves: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AlertError {
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

fn require_text(field: &'static str, text: &str) -> Result<(), AlertError> {
    if text.trim().is_empty() {
        return Err(AlertError::Invalid {
            field,
            reason: "不能为空",
        });
    }
    limit_text(field, text)
}

fn limit_text(field: &'static str, text: &str) -> Result<(), AlertError> {
    if text.chars().count() > 2000 {
        return Err(AlertError::Invalid {
            field,
            reason: "不能超过 2000 字",
        });
    }
    Ok(())
}

/// Checks a step against the alert's status and the actor's standing, and says where it leads.
pub fn decide_alert(
    status: AlertStatus,
    actor: &AlertActor,
    command: &AlertCommand,
) -> Result<AlertDecision, AlertError> {
    use AlertStatus::*;
    let action = command.label_zh();
    let wrong = || AlertError::WrongStatus {
        action,
        status: status.label_zh(),
    };
    let not = |why| AlertError::NotPermitted { action, why };
    let centre = || {
        if actor.is_centre {
            Ok(())
        } else {
            Err(not("仅属地指挥中心可以办理"))
        }
    };
    let owner = || {
        if actor.is_owner {
            Ok(())
        } else {
            Err(not("仅预警的责任单位可以办理"))
        }
    };
    let owner_or_centre = || {
        if actor.is_owner || actor.is_centre {
            Ok(())
        } else {
            Err(not("仅责任单位或属地指挥中心可以办理"))
        }
    };
    let to = match (command, status) {
        (AlertCommand::Sign { note }, Issued) => {
            owner()?;
            limit_text("note", note)?;
            Signed
        }
        (AlertCommand::Handle { note }, Signed) => {
            owner()?;
            require_text("note", note)?;
            Handled
        }
        (AlertCommand::Feedback { note }, Handled) => {
            owner()?;
            require_text("note", note)?;
            FedBack
        }
        (AlertCommand::Close { note }, FedBack) => {
            centre()?;
            limit_text("note", note)?;
            Closed
        }
        (AlertCommand::SendBack { reason }, FedBack) => {
            centre()?;
            require_text("reason", reason)?;
            Signed
        }
        (AlertCommand::Dismiss { reason }, Issued | Signed) => {
            centre()?;
            require_text("reason", reason)?;
            Closed
        }
        (AlertCommand::Reopen { reason }, Closed) => {
            centre()?;
            require_text("reason", reason)?;
            Signed
        }
        (
            AlertCommand::Assign {
                owner_org_id,
                reason,
            },
            Issued | Signed,
        ) => {
            centre()?;
            require_text("owner_org_id", owner_org_id)?;
            limit_text("reason", reason)?;
            Issued
        }
        (
            AlertCommand::SpawnGridEvent {
                category_code,
                note,
            },
            Issued | Signed | Handled,
        ) => {
            owner_or_centre()?;
            require_text("category_code", category_code)?;
            limit_text("note", note)?;
            return Ok(AlertDecision {
                from: status,
                to: status,
                start_clock: None,
                moves: false,
            });
        }
        (AlertCommand::SpawnDispute { dispute_type, note }, Issued | Signed | Handled) => {
            owner_or_centre()?;
            require_text("dispute_type", dispute_type)?;
            limit_text("note", note)?;
            return Ok(AlertDecision {
                from: status,
                to: status,
                start_clock: None,
                moves: false,
            });
        }
        _ => return Err(wrong()),
    };
    Ok(AlertDecision {
        from: status,
        to,
        start_clock: to.clock(),
        moves: true,
    })
}
