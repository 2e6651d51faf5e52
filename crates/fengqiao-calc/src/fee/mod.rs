//! Court fees (诉讼费用交纳办法, 国务院令第481号): the case acceptance fee by the bands of
//! art. 13, halved once for simple procedure, mediation or withdrawal (arts. 15–16), and the
//! application fees of art. 14 — enforcement, preservation (capped at 5,000) and payment orders.
//!
//! Each band is charged on the part of the amount that falls inside it and the parts are summed
//! exactly; the fee is rounded half-up to the cent once, after halving or capping.

use std::fmt;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

use crate::error::CalcError;
use crate::explain::{ExplainItem, ZhYuan};
use crate::money::{Yuan, check_amount};

mod lines;

pub use lines::{FeeBand, FeeCapped, FeeFixed, FeeHalved, FeeOneThird, FeeRule};

/// How the case ended or was heard, as far as the fee is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Procedure {
    /// 普通程序: full fee.
    Ordinary,
    /// 简易程序: half (art. 16).
    Simple,
    /// 调解结案: half (art. 15).
    Mediated,
    /// 撤诉: half (art. 15).
    Withdrawn,
}

impl Procedure {
    const fn halves(self) -> bool {
        !matches!(self, Procedure::Ordinary)
    }

    const fn zh(self) -> &'static str {
        match self {
            Procedure::Ordinary => "适用普通程序",
            Procedure::Simple => "适用简易程序审理（第十六条）",
            Procedure::Mediated => "以调解方式结案（第十五条）",
            Procedure::Withdrawn => "申请撤诉（第十五条）",
        }
    }
}

/// What the acceptance fee is for (art. 13).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CaseFeeKind {
    /// Property cases, and IP cases with an amount in dispute (art. 13(1), (3)).
    Property {
        #[serde(with = "rust_decimal::serde::str")]
        amount: Decimal,
    },
    /// 离婚: 50–300, plus 0.5% of property above 200,000 (art. 13(2)1).
    Divorce {
        #[serde(default, with = "rust_decimal::serde::str_option")]
        property: Option<Decimal>,
    },
    /// 人格权: 100–500, plus 1% of damages from 50,000 to 100,000 and 0.5% above (art. 13(2)2).
    PersonalityRights {
        #[serde(default, with = "rust_decimal::serde::str_option")]
        damages: Option<Decimal>,
    },
    /// Other non-property cases: 50–100 (art. 13(2)3).
    OtherNonProperty,
    /// IP cases without an amount in dispute: 500–1,000 (art. 13(3)).
    IntellectualPropertyWithoutAmount,
    /// 劳动争议: 10 (art. 13(4)).
    Labour,
    /// Administrative cases: 100 for trademark, patent and maritime, else 50 (art. 13(5)).
    Administrative { trademark_patent_or_maritime: bool },
}

/// A fee is a single figure, or a statutory range the court picks from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FeeAmount {
    Exact { amount: Yuan },
    Range { low: Yuan, high: Yuan },
}

impl FeeAmount {
    /// The figure, when the statute fixes one.
    pub fn exact(&self) -> Option<Yuan> {
        match self {
            FeeAmount::Exact { amount } => Some(*amount),
            FeeAmount::Range { .. } => None,
        }
    }
}

impl fmt::Display for FeeAmount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FeeAmount::Exact { amount } => write!(f, "{}元", ZhYuan(amount.value())),
            FeeAmount::Range { low, high } => {
                write!(f, "{}元至{}元", ZhYuan(low.value()), ZhYuan(high.value()))
            }
        }
    }
}

/// Which fee a result is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeKind {
    Acceptance,
    Preservation,
    Enforcement,
    PaymentOrder,
}

impl FeeKind {
    const fn zh(self) -> &'static str {
        match self {
            FeeKind::Acceptance => "案件受理费",
            FeeKind::Preservation => "申请保全措施费",
            FeeKind::Enforcement => "申请执行费",
            FeeKind::PaymentOrder => "申请支付令费",
        }
    }
}

/// A computed fee with its explanation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FeeResult {
    pub kind: FeeKind,
    pub fee: FeeAmount,
    /// The ground the fee was halved on (only ever one).
    pub halved_for: Option<Procedure>,
    pub items: Vec<ExplainItem>,
}

impl FeeResult {
    /// The fee before any halving, read back from the halving lines: a batch needs both the
    /// full and the charged fee, and the full one should not cost a second computation.
    pub fn before_halving(&self) -> FeeAmount {
        let mut halved = self.items.iter().filter_map(|item| match item {
            ExplainItem::FeeHalved(line) => Some(line.before),
            _ => None,
        });
        match (halved.next(), halved.next()) {
            (None, _) => self.fee,
            (Some(low), high) => amount_or_range(low, high.unwrap_or(low)),
        }
    }

    pub fn render_zh(&self) -> String {
        use fmt::Write;
        let mut out = String::with_capacity(64 + 96 * self.items.len());
        let mut write = || -> fmt::Result {
            writeln!(out, "{}计算（《诉讼费用交纳办法》）：", self.kind.zh())?;
            crate::explain::write_numbered(&mut out, self.items.iter())?;
            writeln!(out, "{}：{}。", self.kind.zh(), self.fee)
        };
        // Writing into a String cannot fail.
        let _ = write();
        out
    }
}

/// A banded schedule: a flat charge up to `flat_up_to`, then rates per band.
struct Bands {
    flat_up_to: Decimal,
    flat: Decimal,
    /// (upper bound or open-ended, percent) in ascending order.
    rates: &'static [(Option<Decimal>, Decimal)],
}

/// Art. 13(1): property cases.
const ACCEPTANCE: Bands = Bands {
    flat_up_to: dec!(10000),
    flat: dec!(50),
    rates: &[
        (Some(dec!(100000)), dec!(2.5)),
        (Some(dec!(200000)), dec!(2)),
        (Some(dec!(500000)), dec!(1.5)),
        (Some(dec!(1000000)), dec!(1)),
        (Some(dec!(2000000)), dec!(0.9)),
        (Some(dec!(5000000)), dec!(0.8)),
        (Some(dec!(10000000)), dec!(0.7)),
        (Some(dec!(20000000)), dec!(0.6)),
        (None, dec!(0.5)),
    ],
};

/// Art. 14(2): preservation.
const PRESERVATION: Bands = Bands {
    flat_up_to: dec!(1000),
    flat: dec!(30),
    rates: &[(Some(dec!(100000)), dec!(1)), (None, dec!(0.5))],
};
const PRESERVATION_CAP: Decimal = dec!(5000);

/// Art. 14(1): enforcement.
const ENFORCEMENT: Bands = Bands {
    flat_up_to: dec!(10000),
    flat: dec!(50),
    rates: &[
        (Some(dec!(500000)), dec!(1.5)),
        (Some(dec!(5000000)), dec!(1)),
        (Some(dec!(10000000)), dec!(0.5)),
        (None, dec!(0.1)),
    ],
};

/// Art. 13(2)1: property division in a divorce, on top of the fixed fee.
const DIVORCE_PROPERTY: Bands = Bands {
    flat_up_to: dec!(200000),
    flat: Decimal::ZERO,
    rates: &[(None, dec!(0.5))],
};

/// Art. 13(2)2: damages in a personality-rights case, on top of the fixed fee.
const PERSONALITY_DAMAGES: Bands = Bands {
    flat_up_to: dec!(50000),
    flat: Decimal::ZERO,
    rates: &[(Some(dec!(100000)), dec!(1)), (None, dec!(0.5))],
};

impl Bands {
    /// The exact banded charge on `amount`, pushing one line per band touched.
    fn charge(&self, amount: Decimal, items: &mut Vec<ExplainItem>) -> Decimal {
        let mut total = self.flat;
        if self.flat > Decimal::ZERO {
            items.push(ExplainItem::FeeBand(FeeBand {
                lower: Decimal::ZERO,
                upper: Some(self.flat_up_to),
                portion: amount.min(self.flat_up_to),
                rate_percent: None,
                amount: self.flat,
            }));
        }
        let mut lower = self.flat_up_to;
        for &(upper, percent) in self.rates {
            if amount <= lower {
                break;
            }
            let top = upper.map_or(amount, |upper| amount.min(upper));
            let portion = top - lower;
            let charge = portion * percent / dec!(100);
            total += charge;
            items.push(ExplainItem::FeeBand(FeeBand {
                lower,
                upper,
                portion,
                rate_percent: Some(percent),
                amount: charge,
            }));
            match upper {
                Some(upper) => lower = upper,
                None => break,
            }
        }
        total
    }
}

/// The exact (unrounded) art. 13(1) fee for a property case of `amount`.
pub fn property_fee_exact(amount: Decimal) -> Decimal {
    ACCEPTANCE.charge(amount, &mut Vec::new())
}

/// The acceptance fee of a property case (`calc fee 1234567.89 --simple`).
pub fn property_acceptance_fee(
    amount: Decimal,
    procedures: &[Procedure],
) -> Result<FeeResult, CalcError> {
    acceptance_fee(CaseFeeKind::Property { amount }, procedures)
}

/// The acceptance fee of any case kind, halved once if any procedure calls for it.
pub fn acceptance_fee(kind: CaseFeeKind, procedures: &[Procedure]) -> Result<FeeResult, CalcError> {
    let mut items = Vec::with_capacity(6);
    let (low, high) = match kind {
        CaseFeeKind::Property { amount } => {
            let fee = ACCEPTANCE.charge(check_amount("amount", amount)?, &mut items);
            (fee, fee)
        }
        CaseFeeKind::Divorce { property } => {
            items.push(fixed(FeeRule::Divorce, dec!(50), dec!(300)));
            let extra = match property {
                Some(value) if check_amount("property", value)? > dec!(200000) => {
                    DIVORCE_PROPERTY.charge(value, &mut items)
                }
                _ => Decimal::ZERO,
            };
            (dec!(50) + extra, dec!(300) + extra)
        }
        CaseFeeKind::PersonalityRights { damages } => {
            items.push(fixed(FeeRule::PersonalityRights, dec!(100), dec!(500)));
            let extra = match damages {
                Some(value) if check_amount("damages", value)? > dec!(50000) => {
                    PERSONALITY_DAMAGES.charge(value, &mut items)
                }
                _ => Decimal::ZERO,
            };
            (dec!(100) + extra, dec!(500) + extra)
        }
        CaseFeeKind::OtherNonProperty => {
            fixed_range(&mut items, FeeRule::OtherNonProperty, 50, 100)
        }
        CaseFeeKind::IntellectualPropertyWithoutAmount => fixed_range(
            &mut items,
            FeeRule::IntellectualPropertyWithoutAmount,
            500,
            1000,
        ),
        CaseFeeKind::Labour => fixed_range(&mut items, FeeRule::Labour, 10, 10),
        CaseFeeKind::Administrative {
            trademark_patent_or_maritime: true,
        } => fixed_range(&mut items, FeeRule::AdministrativeSpecial, 100, 100),
        CaseFeeKind::Administrative {
            trademark_patent_or_maritime: false,
        } => fixed_range(&mut items, FeeRule::AdministrativeOther, 50, 50),
    };
    let mut grounds = procedures.iter().copied().filter(|p| p.halves());
    let halved_for = grounds.next();
    let (low, high) = match halved_for {
        Some(ground) => {
            let other_grounds_ignored = grounds.any(|other| other != ground);
            items.push(ExplainItem::FeeHalved(FeeHalved {
                ground,
                other_grounds_ignored,
                before: low,
                after: low / dec!(2),
            }));
            if high != low {
                items.push(ExplainItem::FeeHalved(FeeHalved {
                    ground,
                    other_grounds_ignored,
                    before: high,
                    after: high / dec!(2),
                }));
            }
            (low / dec!(2), high / dec!(2))
        }
        None => (low, high),
    };
    Ok(FeeResult {
        kind: FeeKind::Acceptance,
        fee: amount_or_range(low, high),
        halved_for,
        items,
    })
}

/// The fee for applying for preservation (art. 14(2)); `None` when no amount is involved.
pub fn preservation_fee(amount: Option<Decimal>) -> Result<FeeResult, CalcError> {
    let mut items = Vec::with_capacity(4);
    let fee = match amount {
        None => fixed_range(&mut items, FeeRule::PreservationWithoutAmount, 30, 30).0,
        Some(amount) => {
            let banded = PRESERVATION.charge(check_amount("amount", amount)?, &mut items);
            if banded > PRESERVATION_CAP {
                items.push(ExplainItem::FeeCapped(FeeCapped {
                    before: banded,
                    cap: PRESERVATION_CAP,
                }));
            }
            banded.min(PRESERVATION_CAP)
        }
    };
    Ok(FeeResult {
        kind: FeeKind::Preservation,
        fee: amount_or_range(fee, fee),
        halved_for: None,
        items,
    })
}

/// The fee for applying for enforcement (art. 14(1)); `None` when there is no amount.
pub fn enforcement_fee(amount: Option<Decimal>) -> Result<FeeResult, CalcError> {
    let mut items = Vec::with_capacity(5);
    let (low, high) = match amount {
        None => fixed_range(&mut items, FeeRule::EnforcementWithoutAmount, 50, 500),
        Some(amount) => {
            let fee = ENFORCEMENT.charge(check_amount("amount", amount)?, &mut items);
            (fee, fee)
        }
    };
    Ok(FeeResult {
        kind: FeeKind::Enforcement,
        fee: amount_or_range(low, high),
        halved_for: None,
        items,
    })
}

/// The fee for applying for a payment order (art. 14(3)): a third of the property-case fee.
pub fn payment_order_fee(amount: Decimal) -> Result<FeeResult, CalcError> {
    let mut items = Vec::with_capacity(8);
    let full = ACCEPTANCE.charge(check_amount("amount", amount)?, &mut items);
    let third = full / dec!(3);
    items.push(ExplainItem::FeeOneThird(FeeOneThird {
        before: full,
        after: third,
    }));
    Ok(FeeResult {
        kind: FeeKind::PaymentOrder,
        fee: amount_or_range(third, third),
        halved_for: None,
        items,
    })
}

fn fixed(rule: FeeRule, low: Decimal, high: Decimal) -> ExplainItem {
    ExplainItem::FeeFixed(FeeFixed { rule, low, high })
}

fn fixed_range(
    items: &mut Vec<ExplainItem>,
    rule: FeeRule,
    low: i64,
    high: i64,
) -> (Decimal, Decimal) {
    let (low, high) = (Decimal::from(low), Decimal::from(high));
    items.push(fixed(rule, low, high));
    (low, high)
}

fn amount_or_range(low: Decimal, high: Decimal) -> FeeAmount {
    if low == high {
        FeeAmount::Exact {
            amount: Yuan::from_exact(low),
        }
    } else {
        FeeAmount::Range {
            low: Yuan::from_exact(low),
            high: Yuan::from_exact(high),
        }
    }
}

#[cfg(test)]
mod tests;
