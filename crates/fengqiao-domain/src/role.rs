//! Roles (DOMAIN §1): who may do what is decided from these, never from user names or orgs.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A user's role. A staff user may hold several; citizens hold only `Citizen`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 群众 / 当事人
    Citizen,
    /// 受理窗口
    Intake,
    /// 调解员
    Mediator,
    /// 法官 / 庭务主任
    Judge,
    /// 仲裁员
    Arbitrator,
    /// 网格员
    GridWorker,
    /// 部门处置人员
    Handler,
    /// 指挥中心值班员
    Commander,
    /// 研判人员
    Analyst,
    /// 管理员
    Admin,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::Citizen,
        Role::Intake,
        Role::Mediator,
        Role::Judge,
        Role::Arbitrator,
        Role::GridWorker,
        Role::Handler,
        Role::Commander,
        Role::Analyst,
        Role::Admin,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Citizen => "citizen",
            Role::Intake => "intake",
            Role::Mediator => "mediator",
            Role::Judge => "judge",
            Role::Arbitrator => "arbitrator",
            Role::GridWorker => "grid_worker",
            Role::Handler => "handler",
            Role::Commander => "commander",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }

    /// The Chinese name shown in the console.
    pub fn label_zh(self) -> &'static str {
        match self {
            Role::Citizen => "群众",
            Role::Intake => "受理窗口",
            Role::Mediator => "调解员",
            Role::Judge => "法官",
            Role::Arbitrator => "仲裁员",
            Role::GridWorker => "网格员",
            Role::Handler => "部门处置人员",
            Role::Commander => "指挥中心值班员",
            Role::Analyst => "研判人员",
            Role::Admin => "管理员",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown role `{0}`")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(r.code().parse::<Role>().unwrap(), r);
            assert_eq!(
                serde_json::to_string(&r).unwrap(),
                format!("\"{}\"", r.code())
            );
        }
        assert!("root".parse::<Role>().is_err());
    }
}
