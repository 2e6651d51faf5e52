//! The private-lending caps by formation and filing date, and the rate decisions (agreed,
//! capped, or a statutory fallback) with their Chinese explanation.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::Serialize;

use crate::daycount::previous_day;
use crate::error::CalcError;
use crate::explain::{ZhDate, ZhPercent};
use crate::lpr::{LprLookup, LprTable};

/// The day the 2020 lending rules (4 × LPR) took effect.
pub const NEW_RULES_FROM: NaiveDate = date(2020, 8, 20);
/// The day the 2015 lending rules (24% / 36%) took effect.
pub const OLD_RULES_FROM: NaiveDate = date(2015, 9, 1);
/// The claimable ceiling under the 2015 rules, percent a year.
pub const OLD_RULES_CAP_PERCENT: Decimal = dec!(24);
/// Above this the 2015 rules void the agreement, percent a year.
pub const OLD_RULES_VOID_ABOVE_PERCENT: Decimal = dec!(36);
/// Overdue rate when nothing was agreed, under the 2015 rules.
pub const OLD_RULES_DEFAULT_OVERDUE_PERCENT: Decimal = dec!(6);

const fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => NaiveDate::MIN,
    }
}

/// Where a cap comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CapBasis {
    /// 24% under 法释〔2015〕18号 art. 26.
    OldRules,
    /// 4 × the LPR in force when the contract was formed (法释〔2020〕17号 art. 25).
    FourTimesLprAtFormation { lpr: LprLookup },
    /// 4 × the LPR in force on the filing date, for interest from 2020-08-20 on a contract
    /// formed before (art. 31).
    FourTimesLprAtFiling { lpr: LprLookup },
}

/// A cap over a run of days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CapSegment {
    /// First day covered; `None` from the beginning.
    pub from: Option<NaiveDate>,
    /// Last day covered; `None` open-ended.
    pub until: Option<NaiveDate>,
    #[serde(with = "rust_decimal::serde::str")]
    pub cap_percent: Decimal,
    pub basis: CapBasis,
}

impl CapSegment {
    pub fn is_old_rules(&self) -> bool {
        matches!(self.basis, CapBasis::OldRules)
    }
}

impl fmt::Display for CapSegment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_span(f, self.from, self.until)?;
        match self.basis {
            CapBasis::OldRules => write!(
                f,
                "利率保护上限为年利率{}（《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》\
                 （法释〔2015〕18号）第二十六条）",
                ZhPercent(self.cap_percent)
            ),
            CapBasis::FourTimesLprAtFormation { lpr } => write!(
                f,
                "利率上限为合同成立时（{}）一年期贷款市场报价利率{}（{}发布）的四倍，即年利率{}\
                 （法释〔2020〕17号第二十五条）",
                ZhDate(lpr.date),
                ZhPercent(lpr.rate_percent),
                ZhDate(lpr.published),
                ZhPercent(self.cap_percent)
            ),
            CapBasis::FourTimesLprAtFiling { lpr } => write!(
                f,
                "利率上限为起诉时（{}）一年期贷款市场报价利率{}（{}发布）的四倍，即年利率{}\
                 （法释〔2020〕17号第三十一条）",
                ZhDate(lpr.date),
                ZhPercent(lpr.rate_percent),
                ZhDate(lpr.published),
                ZhPercent(self.cap_percent)
            ),
        }
    }
}

fn write_span(
    f: &mut fmt::Formatter<'_>,
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
) -> fmt::Result {
    match (from, until) {
        (None, None) => Ok(()),
        (None, Some(until)) => write!(f, "{}以前，", ZhDate(until)),
        (Some(from), None) => write!(f, "自{}起，", ZhDate(from)),
        (Some(from), Some(until)) => write!(f, "自{}至{}，", ZhDate(from), ZhDate(until)),
    }
}

/// The caps that apply to a contract formed on `formed_on` and sued on `filed_on`.
pub fn lending_caps(
    formed_on: NaiveDate,
    filed_on: NaiveDate,
    table: &LprTable,
) -> Result<Vec<CapSegment>, CalcError> {
    if formed_on < OLD_RULES_FROM {
        return Err(CalcError::Unsupported {
            field: "formed_on",
            reason: "contracts formed before 2015-09-01 fall under the rules before 法释〔2015〕18号",
        });
    }
    if formed_on >= NEW_RULES_FROM {
        let lpr = table
            .in_force_on(formed_on)
            .map_err(|source| CalcError::Lpr {
                field: "formed_on",
                source,
            })?;
        return Ok(vec![CapSegment {
            from: None,
            until: None,
            cap_percent: lpr.four_times_percent(),
            basis: CapBasis::FourTimesLprAtFormation { lpr },
        }]);
    }
    let old = CapSegment {
        from: None,
        until: None,
        cap_percent: OLD_RULES_CAP_PERCENT,
        basis: CapBasis::OldRules,
    };
    if filed_on < NEW_RULES_FROM {
        return Ok(vec![old]);
    }
    let lpr = table
        .in_force_on(filed_on)
        .map_err(|source| CalcError::Lpr {
            field: "filed_on",
            source,
        })?;
    Ok(vec![
        CapSegment {
            until: Some(previous_day(NEW_RULES_FROM)),
            ..old
        },
        CapSegment {
            from: Some(NEW_RULES_FROM),
            until: None,
            cap_percent: lpr.four_times_percent(),
            basis: CapBasis::FourTimesLprAtFiling { lpr },
        },
    ])
}

/// Term or overdue rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RatePart {
    Term,
    Overdue,
}

/// Why a rate is what it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum RateRule {
    /// As agreed (plus other charges for the overdue rate), within the cap.
    Agreed,
    /// Agreed above the cap: cut to the cap.
    CappedAtLimit,
    /// No interest agreed: none (art. 24 ¶1).
    NoInterestAgreed,
    /// Unclear between natural persons: none (art. 24 ¶2; 民法典 art. 680 ¶3).
    UnclearBetweenNaturalPersons,
    /// Unclear otherwise: the rate the court fixed.
    FixedByCourt,
    /// No overdue rate agreed: the term rate (art. 28 ¶2(2)).
    TermRateForOverdue,
    /// Neither rate agreed: the one-year LPR (art. 28 ¶2(1)).
    LprForOverdue { lpr: LprLookup },
    /// Neither rate agreed, old rules: 6% (法释〔2015〕18号 art. 29 ¶2(1)).
    SixPercentForOverdue,
}

/// One decided rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct RateDecision {
    pub part: RatePart,
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// The rate before the cap (agreed, fallback, plus other charges).
    #[serde(with = "rust_decimal::serde::str")]
    pub claimed_percent: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub cap_percent: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub applied_percent: Decimal,
    pub rule: RateRule,
}

impl fmt::Display for RateDecision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_span(f, self.from, self.until)?;
        f.write_str(match self.part {
            RatePart::Term => "借期内利率：",
            RatePart::Overdue => "逾期利率：",
        })?;
        let (claimed, cap, applied) = (
            ZhPercent(self.claimed_percent),
            ZhPercent(self.cap_percent),
            ZhPercent(self.applied_percent),
        );
        match self.rule {
            RateRule::Agreed => write!(f, "约定年利率{claimed}，未超过上限{cap}，按{applied}计算"),
            RateRule::CappedAtLimit => {
                write!(f, "主张年利率{claimed}，超过上限{cap}，超过部分不予支持，按{applied}计算")
            }
            RateRule::NoInterestAgreed => f.write_str(
                "借贷双方没有约定利息，出借人主张借期内利息的不予支持（法释〔2020〕17号第二十四条第一款）",
            ),
            RateRule::UnclearBetweenNaturalPersons => f.write_str(
                "自然人之间借贷对利息约定不明，视为没有利息（《民法典》第六百八十条第三款、\
                 法释〔2020〕17号第二十四条第二款）",
            ),
            RateRule::FixedByCourt => write!(
                f,
                "利息约定不明，由法院结合交易方式、交易习惯、市场报价利率等因素确定为年利率{claimed}，\
                 按{applied}计算"
            ),
            RateRule::TermRateForOverdue => write!(
                f,
                "未约定逾期利率，按借期内利率计算资金占用期间利息（法释〔2020〕17号第二十八条第二款\
                 第二项），主张年利率{claimed}，上限{cap}，按{applied}计算"
            ),
            RateRule::LprForOverdue { lpr } => write!(
                f,
                "既未约定借期内利率也未约定逾期利率，参照逾期时（{}）一年期贷款市场报价利率{}\
                 （法释〔2020〕17号第二十八条第二款第一项），主张年利率{claimed}，上限{cap}，按{applied}计算",
                ZhDate(lpr.date),
                ZhPercent(lpr.rate_percent)
            ),
            RateRule::SixPercentForOverdue => write!(
                f,
                "既未约定借期内利率也未约定逾期利率，按年利率6%计算（法释〔2015〕18号第二十九条\
                 第二款第一项），主张年利率{claimed}，上限{cap}，按{applied}计算"
            ),
        }
    }
}

pub(super) fn decide(
    part: RatePart,
    cap: &CapSegment,
    claimed: Decimal,
    rule: RateRule,
) -> RateDecision {
    let capped = claimed > cap.cap_percent;
    RateDecision {
        part,
        from: cap.from,
        until: cap.until,
        claimed_percent: claimed,
        cap_percent: cap.cap_percent,
        applied_percent: claimed.min(cap.cap_percent),
        rule: if capped && rule == RateRule::Agreed {
            RateRule::CappedAtLimit
        } else {
            rule
        },
    }
}
