//! Chinese rendering of a private-lending claim and its warnings.

use std::fmt::{self, Write};

use super::{LendingClaim, LendingWarning};
use crate::explain::{AccrualKind, ExplainItem, ZhDate, ZhPercent, ZhYuan, write_numbered};
use crate::lpr::LprWarning;

impl fmt::Display for LendingWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LendingWarning::Lpr {
                warning: LprWarning::AfterLastKnownPublication { last_published },
            } => write!(
                f,
                "所需日期晚于LPR表最后一期报价（{}），已按该期计算，请更新LPR表后核对",
                ZhDate(*last_published)
            ),
            LendingWarning::Lpr {
                warning: LprWarning::PublicationDateUnverified { published },
            } => write!(
                f,
                "{}LPR报价的发布日期未经官方核实，请核对",
                ZhDate(*published)
            ),
            LendingWarning::AgreedAbove36Percent { agreed_percent } => write!(
                f,
                "约定年利率{}超过36%，超过部分的利息约定无效，借款人已支付超过年利率36%部分的利息可请求返还\
                 （法释〔2015〕18号第二十六条第二款）",
                ZhPercent(*agreed_percent)
            ),
            LendingWarning::PrincipalNotYetDue { amount } => write!(
                f,
                "截至计算日尚有本金{}元未到期，已计入尚欠本金，请核实",
                ZhYuan(amount.value())
            ),
            LendingWarning::Overpaid { amount } => write!(
                f,
                "还款超出当时全部欠款{}元，未予冲抵，请核实",
                ZhYuan(amount.value())
            ),
        }
    }
}

impl LendingClaim {
    pub fn render_zh(&self) -> String {
        let mut out = String::with_capacity(512 + 96 * self.items.len());
        // Writing into a String cannot fail.
        let _ = self.write_zh(&mut out);
        out
    }

    fn write_zh(&self, out: &mut String) -> fmt::Result {
        writeln!(
            out,
            "民间借贷纠纷诉请金额计算（暂计至{}）",
            ZhDate(self.computed_to)
        )?;
        writeln!(
            out,
            "计算规则：日利率＝年利率÷{}；{}；还款依次冲抵利息、逾期利息、本金（《民法典》第五百六十一条）；\
             各项金额按全案精确值四舍五入至分。",
            self.day_basis.days(),
            crate::loan::counting_zh(self.counting)
        )?;
        for warning in &self.warnings {
            writeln!(out, "提示：{warning}。")?;
        }
        writeln!(out, "一、利率上限：")?;
        for (index, cap) in self.caps.iter().enumerate() {
            writeln!(out, "  {}. {cap}。", index + 1)?;
        }
        writeln!(out, "二、适用利率：")?;
        write_numbered(
            out,
            self.items
                .iter()
                .filter(|item| matches!(item, ExplainItem::RateDecision(_))),
        )?;
        let groups = [
            (AccrualKind::LendingInterest, "借期内利息"),
            (AccrualKind::LendingOverdueInterest, "逾期利息"),
        ];
        let numerals = ["三", "四", "五", "六"];
        let mut section = 0;
        for (kind, title) in groups {
            let mut lines = self
                .items
                .iter()
                .filter(|item| matches!(item, ExplainItem::Accrual(line) if line.kind == kind))
                .peekable();
            if lines.peek().is_some() {
                writeln!(out, "{}、{title}：", numerals.get(section).unwrap_or(&"六"))?;
                section += 1;
                write_numbered(out, lines)?;
            }
        }
        let mut payments = self
            .items
            .iter()
            .filter(|item| matches!(item, ExplainItem::LendingPayment(_)))
            .peekable();
        if payments.peek().is_some() {
            writeln!(
                out,
                "{}、还款冲抵：",
                numerals.get(section).unwrap_or(&"六")
            )?;
            write_numbered(out, payments)?;
        }
        writeln!(
            out,
            "合计：尚欠本金{}元，借期内利息{}元，逾期利息{}元，共计{}元。",
            ZhYuan(self.principal.value()),
            ZhYuan(self.interest.value()),
            ZhYuan(self.overdue_interest.value()),
            ZhYuan(self.total.value())
        )?;
        if !self.running.is_empty() {
            out.push_str("此后：");
            for (index, running) in self.running.iter().enumerate() {
                if index > 0 {
                    out.push('；');
                }
                write!(out, "{running}")?;
            }
            out.push_str("。\n");
        }
        Ok(())
    }
}
