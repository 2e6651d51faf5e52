//! Chinese rendering of a loan claim: the itemised computation, the totals and the running
//! formula after the compute-to date, in the words a judgment uses.

use std::fmt::{self, Write};

use super::{Allocation, CapOutcome, ClaimWarning, LoanClaim, RunningAccrual};
use crate::daycount::DayCounting;
use crate::explain::{AccrualKind, ExplainItem, ZhDate, ZhPercent, ZhYuan, write_numbered};

const SECTION_NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

impl fmt::Display for Allocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_labelled(
            f,
            AccrualKind::ContractInterest,
            AccrualKind::PenaltyInterest,
        )
    }
}

impl Allocation {
    /// Renders with the names of the interest kinds (利息/罚息 for bank loans,
    /// 借期内利息/逾期利息 for private lending).
    pub(crate) fn write_labelled(
        &self,
        f: &mut fmt::Formatter<'_>,
        interest: AccrualKind,
        penalty: AccrualKind,
    ) -> fmt::Result {
        write!(
            f,
            "{}还款{}元",
            ZhDate(self.date),
            ZhYuan(self.amount.value())
        )?;
        let parts = [
            ("费用", self.costs),
            (interest.labels_zh().1, self.interest),
            (penalty.labels_zh().1, self.penalty),
            ("复利", self.compound),
            ("本金", self.principal),
        ];
        let mut first = true;
        for (label, amount) in parts.iter().filter(|(_, amount)| !amount.is_zero()) {
            f.write_str(if first { "，依次冲抵" } else { "、" })?;
            write!(f, "{label}{}元", ZhYuan(amount.value()))?;
            first = false;
        }
        if !self.unapplied.is_zero() {
            write!(f, "，超出当时全部欠款{}元", ZhYuan(self.unapplied.value()))?;
        }
        Ok(())
    }
}

impl fmt::Display for CapOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "借款人主张总计超过年利率{}的部分予以调减（法发〔2017〕22号第二条）：自{}起至{}止，\
             以各期未还本金为基数按年利率{}计算，上限{}元；已付利息、罚息、复利{}元，\
             尚可主张{}元；原主张{}元",
            ZhPercent(self.rate_percent),
            ZhDate(self.from),
            ZhDate(self.to),
            ZhPercent(self.rate_percent),
            ZhYuan(self.limit.value()),
            ZhYuan(self.already_paid.value()),
            ZhYuan(self.allowed.value()),
            ZhYuan(self.claimed.value()),
        )?;
        let cut = self.total_cut();
        if cut.is_zero() {
            f.write_str("，未超过上限，无需调减")
        } else {
            write!(
                f,
                "，调减{}元（复利{}元、罚息{}元、利息{}元）",
                ZhYuan(cut.value()),
                ZhYuan(self.cut_compound.value()),
                ZhYuan(self.cut_penalty.value()),
                ZhYuan(self.cut_interest.value())
            )
        }
    }
}

impl fmt::Display for RunningAccrual {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (base_label, amount_label) = self.kind.labels_zh();
        match (self.kind, self.then_percent) {
            (AccrualKind::ContractInterest | AccrualKind::LendingInterest, Some(then)) => write!(
                f,
                "自{}起，未到期本金{}元按年利率{}继续计收{amount_label}，到期未还的按年利率{}计收{}，\
                 至实际清偿之日止",
                ZhDate(self.from),
                ZhYuan(self.base.value()),
                ZhPercent(self.annual_percent),
                ZhPercent(then),
                if self.kind == AccrualKind::LendingInterest {
                    "逾期利息"
                } else {
                    "罚息"
                }
            ),
            _ => write!(
                f,
                "自{}起，以{base_label}{}元为基数，按年利率{}计收{amount_label}，至实际清偿之日止",
                ZhDate(self.from),
                ZhYuan(self.base.value()),
                ZhPercent(self.annual_percent)
            ),
        }
    }
}

impl fmt::Display for ClaimWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClaimWarning::PrincipalNotYetDue { amount } => write!(
                f,
                "截至计算日尚有本金{}元未到期且贷款人未宣布提前到期，已计入尚欠本金，请核实",
                ZhYuan(amount.value())
            ),
            ClaimWarning::Overpaid { amount } => write!(
                f,
                "还款超出当时全部欠款{}元，未予冲抵，请核实",
                ZhYuan(amount.value())
            ),
        }
    }
}

pub(crate) fn counting_zh(counting: DayCounting) -> &'static str {
    match (counting.count_first_day, counting.count_last_day) {
        (true, true) => "计息期间首日、末日均计入",
        (true, false) => "计息期间算头不算尾",
        (false, true) => "计息期间算尾不算头",
        (false, false) => "计息期间首日、末日均不计入",
    }
}

impl LoanClaim {
    /// The computation as Chinese text, ready to paste into a judgment.
    pub fn render_zh(&self) -> String {
        let mut out = String::with_capacity(256 + 96 * self.items.len());
        // Writing into a String cannot fail.
        let _ = self.write_zh(&mut out);
        out
    }

    fn write_zh(&self, out: &mut String) -> fmt::Result {
        writeln!(
            out,
            "金融借款合同纠纷诉请金额计算（暂计至{}）",
            ZhDate(self.computed_to)
        )?;
        writeln!(
            out,
            "计算规则：日利率＝年利率÷{}；{}；还款依次冲抵实现债权的费用、利息、罚息、复利、本金\
             （《民法典》第五百六十一条）；各项金额按全案精确值四舍五入至分，分段金额仅显示至分。",
            self.day_basis.days(),
            counting_zh(self.counting)
        )?;
        for warning in &self.warnings {
            writeln!(out, "提示：{warning}。")?;
        }
        let mut section = 0;
        let mut heading = |out: &mut String, title: fmt::Arguments<'_>| -> fmt::Result {
            let numeral = SECTION_NUMERALS.get(section).copied().unwrap_or("十");
            section += 1;
            writeln!(out, "{numeral}、{title}")
        };
        heading(
            out,
            format_args!(
                "借款本金{}元，还款方式：{}，合同年利率{}，罚息年利率{}。",
                ZhYuan(self.principal_lent.value()),
                self.schedule_kind.zh(),
                ZhPercent(self.annual_rate_percent),
                ZhPercent(self.penalty_rate_percent)
            ),
        )?;
        let groups = [
            (AccrualKind::ContractInterest, "利息"),
            (AccrualKind::PenaltyInterest, "罚息"),
            (AccrualKind::CompoundInterest, "复利"),
        ];
        for (kind, title) in groups {
            let mut lines = self
                .items
                .iter()
                .filter(|item| matches!(item, ExplainItem::Accrual(line) if line.kind == kind))
                .peekable();
            if lines.peek().is_some() {
                heading(out, format_args!("{title}："))?;
                write_numbered(out, lines)?;
            }
        }
        let mut payments = self
            .items
            .iter()
            .filter(|item| matches!(item, ExplainItem::Payment(_)))
            .peekable();
        if payments.peek().is_some() {
            heading(out, format_args!("还款冲抵："))?;
            write_numbered(out, payments)?;
        }
        if let Some(cap) = &self.cap {
            heading(out, format_args!("{cap}。"))?;
        }
        write!(out, "合计：尚欠本金{}元", ZhYuan(self.principal.value()))?;
        if self.overdue_principal != self.principal {
            write!(
                out,
                "（其中逾期本金{}元）",
                ZhYuan(self.overdue_principal.value())
            )?;
        }
        write!(
            out,
            "，利息{}元，罚息{}元，复利{}元",
            ZhYuan(self.interest.value()),
            ZhYuan(self.penalty.value()),
            ZhYuan(self.compound.value())
        )?;
        if !self.costs.is_zero() {
            write!(out, "，费用{}元", ZhYuan(self.costs.value()))?;
        }
        writeln!(out, "，共计{}元。", ZhYuan(self.total.value()))?;
        if !self.running.is_empty() {
            out.push_str("此后：");
            for (index, running) in self.running.iter().enumerate() {
                if index > 0 {
                    out.push('；');
                }
                write!(out, "{running}")?;
            }
            if self.cap.is_some() {
                out.push_str(
                    "；以上利息、罚息、复利总计以不超过以未还本金为基数按年利率24%计算之数额为限",
                );
            }
            out.push_str("。\n");
        }
        Ok(())
    }
}
