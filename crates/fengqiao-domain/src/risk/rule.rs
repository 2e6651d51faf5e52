//! Risk rules as data: each has an id, a version that grows with every change of its
//! parameters, and the parameters of its kind. The store keeps them; these types check them.

use super::filings::{CivilToCriminalParams, FilingParamsError, RepeatPetitionParams};
use super::fraud::{FraudModel, FraudModelError, FraudScheme};
use crate::dispute::group::{GroupParams, GroupParamsError};
use serde::{Deserialize, Serialize};

/// The parameters of one rule, by kind (`{"kind":"fraud", …}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RuleParams {
    /// 涉众型风险 (evaluated inside the intake transaction, see `dispute::group`).
    MassInvolvement(GroupParams),
    /// One of the three telecom-fraud models.
    Fraud(FraudModel),
    /// 重复信访.
    RepeatPetition(RepeatPetitionParams),
    /// 民转刑.
    CivilToCriminal(CivilToCriminalParams),
}

impl RuleParams {
    pub fn kind(&self) -> &'static str {
        match self {
            RuleParams::MassInvolvement(_) => "mass_involvement",
            RuleParams::Fraud(_) => "fraud",
            RuleParams::RepeatPetition(_) => "repeat_petition",
            RuleParams::CivilToCriminal(_) => "civil_to_criminal",
        }
    }
}

/// A configured rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskRule {
    pub id: String,
    pub version: u32,
    pub name_zh: String,
    pub enabled: bool,
    pub params: RuleParams,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("params: {0}")]
    Group(#[from] GroupParamsError),
    #[error("params: {0}")]
    Fraud(#[from] FraudModelError),
    #[error("params.{0}")]
    Filing(#[from] FilingParamsError),
    #[error("params.kind: a rule's kind cannot change (was `{was}`, found `{found}`)")]
    KindChanged {
        was: &'static str,
        found: &'static str,
    },
    #[error("params.scheme: a fraud rule's scheme cannot change")]
    SchemeChanged,
}

impl RiskRule {
    pub fn validate(&self) -> Result<(), RuleError> {
        match &self.params {
            RuleParams::MassInvolvement(p) => p.validate()?,
            RuleParams::Fraud(m) => m.validate()?,
            RuleParams::RepeatPetition(p) => p.validate()?,
            RuleParams::CivilToCriminal(p) => p.validate()?,
        }
        Ok(())
    }

    /// The rule with new parameters and the next version, when the change keeps its kind.
    pub fn revised(&self, params: RuleParams, enabled: bool) -> Result<RiskRule, RuleError> {
        if params.kind() != self.params.kind() {
            return Err(RuleError::KindChanged {
                was: self.params.kind(),
                found: params.kind(),
            });
        }
        if let (RuleParams::Fraud(old), RuleParams::Fraud(new)) = (&self.params, &params)
            && old.scheme != new.scheme
        {
            return Err(RuleError::SchemeChanged);
        }
        let next = RiskRule {
            id: self.id.clone(),
            version: self.version + 1,
            name_zh: self.name_zh.clone(),
            enabled,
            params,
        };
        next.validate()?;
        Ok(next)
    }
}

/// The rules a new deployment starts with (version 1 each).
pub fn default_rules() -> Vec<RiskRule> {
    let rule = |id: &str, name: &str, params| RiskRule {
        id: id.into(),
        version: 1,
        name_zh: name.into(),
        enabled: true,
        params,
    };
    let mut rules = vec![rule(
        "mass_involvement",
        "涉众型矛盾风险（同一被申请人短期内大量申请）",
        RuleParams::MassInvolvement(GroupParams::default()),
    )];
    for model in FraudModel::defaults() {
        let (id, name) = match model.scheme {
            FraudScheme::ImpersonateAuthority => ("fraud_authority", "电诈预警：冒充公检法"),
            FraudScheme::ImpersonateLeader => ("fraud_leader", "电诈预警：冒充领导"),
            FraudScheme::ImpersonateService => ("fraud_service", "电诈预警：冒充客服"),
        };
        rules.push(rule(id, name, RuleParams::Fraud(model)));
    }
    rules.push(rule(
        "repeat_petition",
        "重复信访（同一事项反复反映）",
        RuleParams::RepeatPetition(RepeatPetitionParams::default()),
    ));
    rules.push(rule(
        "civil_to_criminal",
        "民转刑风险（同一双方反复纠纷、威胁暴力用语）",
        RuleParams::CivilToCriminal(CivilToCriminalParams::default()),
    ));
    rules
}
