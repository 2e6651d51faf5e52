//! The explanation lines of the court-fee calculators: bands, fixed fees, halving, the
//! preservation cap and the payment-order third, each rendering its Chinese sentence.

use std::fmt;

use rust_decimal::Decimal;
use serde::Serialize;

use super::Procedure;
use crate::explain::{ZhPercent, ZhYuan};

/// One band of a banded fee.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct FeeBand {
    #[serde(with = "rust_decimal::serde::str")]
    pub lower: Decimal,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub upper: Option<Decimal>,
    /// The part of the amount inside the band.
    #[serde(with = "rust_decimal::serde::str")]
    pub portion: Decimal,
    /// `None` for a flat first band.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub rate_percent: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
}

impl fmt::Display for FeeBand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.rate_percent, self.upper) {
            (None, Some(upper)) => write!(
                f,
                "不超过{}元的部分，每件交纳{}元",
                ZhYuan(upper),
                ZhYuan(self.amount)
            ),
            (None, None) => write!(f, "每件交纳{}元", ZhYuan(self.amount)),
            (Some(rate), Some(upper)) => write!(
                f,
                "超过{}元至{}元的部分{}元，按照{}交纳{}元",
                ZhYuan(self.lower),
                ZhYuan(upper),
                ZhYuan(self.portion),
                ZhPercent(rate),
                ZhYuan(self.amount)
            ),
            (Some(rate), None) => write!(
                f,
                "超过{}元的部分{}元，按照{}交纳{}元",
                ZhYuan(self.lower),
                ZhYuan(self.portion),
                ZhPercent(rate),
                ZhYuan(self.amount)
            ),
        }
    }
}

/// A fixed fee or statutory range (labour cases, non-property cases).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct FeeFixed {
    pub rule: FeeRule,
    #[serde(with = "rust_decimal::serde::str")]
    pub low: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub high: Decimal,
}

/// Which fixed-fee rule applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeRule {
    Divorce,
    PersonalityRights,
    OtherNonProperty,
    IntellectualPropertyWithoutAmount,
    Labour,
    AdministrativeSpecial,
    AdministrativeOther,
    PreservationWithoutAmount,
    EnforcementWithoutAmount,
}

impl FeeRule {
    const fn zh(self) -> &'static str {
        match self {
            FeeRule::Divorce => "离婚案件（第十三条第二项）",
            FeeRule::PersonalityRights => "侵害人格权案件（第十三条第二项）",
            FeeRule::OtherNonProperty => "其他非财产案件（第十三条第二项）",
            FeeRule::IntellectualPropertyWithoutAmount => {
                "没有争议金额的知识产权民事案件（第十三条第三项）"
            }
            FeeRule::Labour => "劳动争议案件（第十三条第四项）",
            FeeRule::AdministrativeSpecial => "商标、专利、海事行政案件（第十三条第五项）",
            FeeRule::AdministrativeOther => "其他行政案件（第十三条第五项）",
            FeeRule::PreservationWithoutAmount => "不涉及财产数额的保全申请（第十四条第二项）",
            FeeRule::EnforcementWithoutAmount => "没有执行金额的执行申请（第十四条第一项）",
        }
    }
}

impl fmt::Display for FeeFixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.low == self.high {
            write!(f, "{}每件交纳{}元", self.rule.zh(), ZhYuan(self.low))
        } else {
            write!(
                f,
                "{}每件交纳{}元至{}元",
                self.rule.zh(),
                ZhYuan(self.low),
                ZhYuan(self.high)
            )
        }
    }
}

/// The halving step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct FeeHalved {
    pub ground: Procedure,
    /// Another halving ground was present and, correctly, not applied again.
    pub other_grounds_ignored: bool,
    #[serde(with = "rust_decimal::serde::str")]
    pub before: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub after: Decimal,
}

impl fmt::Display for FeeHalved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}，减半交纳：{}元÷2＝{}元",
            self.ground.zh(),
            ZhYuan(self.before),
            ZhYuan(self.after)
        )?;
        if self.other_grounds_ignored {
            f.write_str("（另有减半事由，减半只适用一次）")?;
        }
        Ok(())
    }
}

/// The preservation-fee cap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct FeeCapped {
    #[serde(with = "rust_decimal::serde::str")]
    pub before: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub cap: Decimal,
}

impl fmt::Display for FeeCapped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "按比例合计{}元，保全费最多不超过{}元（第十四条第二项），应交{}元",
            ZhYuan(self.before),
            ZhYuan(self.cap),
            ZhYuan(self.before.min(self.cap))
        )
    }
}

/// The payment-order fee: a third of the property-case fee.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct FeeOneThird {
    #[serde(with = "rust_decimal::serde::str")]
    pub before: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub after: Decimal,
}

impl fmt::Display for FeeOneThird {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "申请支付令比照财产案件受理费标准的1/3交纳（第十四条第三项）：{}元÷3＝{}元",
            ZhYuan(self.before),
            ZhYuan(self.after)
        )
    }
}
