//! Labour claims: severance (经济补偿 N) and damages for unlawful termination (赔偿金 2N) with
//! the three-times-average-wage and twelve-year caps, the daily and hourly wage, overtime pay
//! and the 50%–100% extra compensation for unpaid amounts.
//!
//! Sources: 劳动合同法 arts. 47 (N, caps), 85 (extra compensation), 87 (2N), 97 ¶3 (years before
//! 2008); 劳动合同法实施条例 arts. 25 (2N counted from the start of employment), 27 (monthly
//! wage, minimum-wage floor); 劳动法 art. 44 (150%/200%/300%); 劳社部发〔2008〕3号 (21.75 paid
//! days a month, 8 hours a day).

mod severance;
mod wages;

use std::fmt::{self, Write};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::explain::ExplainItem;

pub use severance::{
    LabourWarning, ServiceLength, SeveranceCase, SeveranceKind, SeveranceLine, SeveranceResult,
    WageBase, service_length, severance,
};
pub use wages::{
    ExtraCompensation, OvertimeCase, OvertimeEntry, OvertimeKind, OvertimeLine, OvertimeResult,
    daily_wage, extra_compensation, hourly_wage, overtime_pay,
};

/// Paid days in a month (月计薪天数).
pub const PAID_DAYS_PER_MONTH: Decimal = dec!(21.75);
/// Hours in a working day.
pub const HOURS_PER_DAY: Decimal = dec!(8);
/// The day the Labour Contract Law took effect.
pub const LABOUR_CONTRACT_LAW_IN_FORCE: NaiveDate = match NaiveDate::from_ymd_opt(2008, 1, 1) {
    Some(date) => date,
    None => NaiveDate::MIN,
};

pub(crate) fn render(
    title: &str,
    items: &[ExplainItem],
    warnings: &[LabourWarning],
    total: fmt::Arguments<'_>,
) -> String {
    let mut out = String::with_capacity(128 + 128 * items.len());
    let mut write = || -> fmt::Result {
        writeln!(out, "{title}：")?;
        for warning in warnings {
            writeln!(out, "提示：{warning}。")?;
        }
        crate::explain::write_numbered(&mut out, items.iter())?;
        writeln!(out, "{total}。")
    };
    // Writing into a String cannot fail.
    let _ = write();
    out
}
