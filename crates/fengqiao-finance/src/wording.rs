//! The standard wording of a financial-loan case: the claims of the 起诉状, the terms of the
//! 调解书 and the main items of the 判决书 — principal, interest to date (暂计至), the running
//! formula after it, costs, the acceptance fee and the late-performance sentence (民事诉讼法
//! art. 264).

use std::fmt::Write;

use fengqiao_calc::explain::{ZhDate, ZhPercent, ZhYuan};
use fengqiao_calc::fee::FeeResult;
use fengqiao_calc::{LoanClaim, Yuan};
use serde::Serialize;

use crate::case::{BatchCase, Computed};

/// The sentence every money judgment carries (民事诉讼法 art. 264, the SPC's model wording).
pub const LATE_PERFORMANCE: &str = "如果未按本判决指定的期间履行给付金钱义务，应当依照《中华人民共和国民事诉讼法》第二百六十四条之规定，加倍支付迟延履行期间的债务利息。";

/// The texts of one case, ready for the templates.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Wording {
    /// 诉讼请求, numbered by the template.
    pub claims: Vec<String>,
    /// 事实和理由.
    pub facts: String,
    /// 判决主文 items (一、二、…).
    pub judgment_items: Vec<String>,
    pub late_performance: String,
    /// 案件受理费…由被告负担。
    pub judgment_costs: String,
    /// 调解协议 items.
    pub mediation_items: Vec<String>,
    pub mediation_costs: String,
    /// The itemised computation (claim and fee), one line per entry.
    pub explanation: Vec<String>,
}

fn yuan(value: Yuan) -> String {
    format!("{}元", ZhYuan(value.value()))
}

/// `利息6,100.00元、罚息4,600.00元、复利280.60元`, leaving out zero parts.
fn interest_parts(claim: &LoanClaim) -> (String, Yuan) {
    let parts = [
        ("利息", claim.interest),
        ("罚息", claim.penalty),
        ("复利", claim.compound),
    ];
    let text = parts
        .iter()
        .filter(|(_, amount)| !amount.is_zero())
        .map(|(label, amount)| format!("{label}{}", yuan(*amount)))
        .collect::<Vec<_>>()
        .join("、");
    (text, claim.interest + claim.penalty + claim.compound)
}

/// The running formula after the compute-to date, `；`-joined, with the cap clause if raised.
fn running(claim: &LoanClaim) -> Option<String> {
    if claim.running.is_empty() {
        return None;
    }
    let mut text = claim
        .running
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("；");
    if claim.cap.is_some() {
        text.push_str(
            "；以上利息、罚息、复利总计以不超过以未还本金为基数按年利率24%计算之数额为限",
        );
    }
    Some(text)
}

/// The money part of an item: `利息、罚息、复利（暂计至…，…，合计…；此后…）`.
fn interest_clause(claim: &LoanClaim) -> Option<String> {
    let (parts, sum) = interest_parts(claim);
    if parts.is_empty() && claim.running.is_empty() {
        return None;
    }
    let mut text = String::from("利息、罚息、复利（");
    if !parts.is_empty() {
        let _ = write!(
            text,
            "暂计至{}，{parts}，合计{}",
            ZhDate(claim.computed_to),
            yuan(sum)
        );
    }
    if let Some(running) = running(claim) {
        if !parts.is_empty() {
            text.push('；');
        }
        text.push_str(&running);
    }
    text.push('）');
    Some(text)
}

fn fee_sentence(fee: &FeeResult, full_fen: i64, defendant: &str, mediated: bool) -> String {
    let charged = fee.fee.exact().unwrap_or(Yuan::ZERO);
    let full = Yuan::from_fen(full_fen);
    match (fee.halved_for, mediated) {
        (Some(_), true) => format!(
            "案件受理费{}，调解结案减半收取计{}，由被告{defendant}负担。",
            yuan(full),
            yuan(charged)
        ),
        (Some(_), false) => format!(
            "案件受理费{}，减半收取计{}，由被告{defendant}负担。",
            yuan(full),
            yuan(charged)
        ),
        (None, _) => format!("案件受理费{}，由被告{defendant}负担。", yuan(charged)),
    }
}

/// Builds every text of a computed case. `mediation_fee` is the fee if the case is mediated.
pub fn wording(case: &BatchCase, computed: &Computed, mediation_fee: &FeeResult) -> Wording {
    let claim = &computed.claim;
    let loan = &computed.loan;
    let defendant = case.borrower.name.as_str();
    let plaintiff = case.lender.name.as_str();
    let within = "于本判决发生法律效力之日起十日内";
    let costs_text = (!claim.costs.is_zero()).then(|| format!("律师费{}", yuan(claim.costs)));

    let mut claims = vec![format!(
        "判令被告{defendant}归还原告借款本金{}；",
        yuan(claim.principal)
    )];
    if let Some(clause) = interest_clause(claim) {
        claims.push(format!("判令被告{defendant}支付原告{clause}；"));
    }
    if let Some(costs) = &costs_text {
        claims.push(format!("判令被告{defendant}支付原告{costs}；"));
    }
    claims.push("本案诉讼费用由被告承担。".to_owned());

    let mut items = vec![format!(
        "被告{defendant}{within}归还原告{plaintiff}借款本金{}",
        yuan(claim.principal)
    )];
    if let Some(clause) = interest_clause(claim) {
        items.push(format!(
            "被告{defendant}{within}支付原告{plaintiff}{clause}"
        ));
    }
    if let Some(costs) = &costs_text {
        items.push(format!("被告{defendant}{within}支付原告{plaintiff}{costs}"));
    }
    let last = items.len() - 1;
    for (index, item) in items.iter_mut().enumerate() {
        item.push(if index == last { '。' } else { '；' });
    }

    let mut mediation = vec![format!(
        "被告{defendant}于本调解书生效之日起十日内归还原告{plaintiff}借款本金{}",
        yuan(claim.principal)
    )];
    let (parts, sum) = interest_parts(claim);
    if !parts.is_empty() {
        mediation.push(format!(
            "被告{defendant}于本调解书生效之日起十日内支付原告{plaintiff}截至{}的{parts}，合计{}",
            ZhDate(claim.computed_to),
            yuan(sum)
        ));
    }
    if let Some(costs) = &costs_text {
        mediation.push(format!(
            "被告{defendant}于本调解书生效之日起十日内支付原告{plaintiff}{costs}"
        ));
    }
    if let Some(running) = running(claim) {
        mediation.push(format!(
            "被告{defendant}未按上述期限足额履行的，原告{plaintiff}有权就全部未付款项申请强制执行，并按以下标准计收至实际清偿之日止：{running}"
        ));
    }
    for item in &mut mediation {
        item.push('；');
    }
    mediation.push("双方当事人就本案再无其他争议。".to_owned());

    let mut facts = format!(
        "{}，原告{plaintiff}与被告{defendant}签订编号为{}的借款合同，约定被告向原告借款{}，借款期限自{}起至{}止，年利率{}，逾期罚息年利率{}，还款方式为{}。合同签订后，原告依约发放贷款{}。",
        ZhDate(loan.start),
        case.contract_no,
        yuan(claim.principal_lent),
        ZhDate(loan.start),
        ZhDate(loan.maturity),
        ZhPercent(loan.annual_rate_percent),
        ZhPercent(claim.penalty_rate_percent),
        loan.schedule.zh(),
        yuan(claim.principal_lent),
    );
    if let Some(day) = loan.accelerated_on {
        let _ = write!(
            facts,
            "因被告未按约还款，原告于{}宣布贷款提前到期。",
            ZhDate(day)
        );
    } else {
        facts.push_str("被告未按约履行还款义务。");
    }
    let _ = write!(
        facts,
        "截至{}，被告尚欠本金{}",
        ZhDate(claim.computed_to),
        yuan(claim.principal)
    );
    if !parts.is_empty() {
        let _ = write!(facts, "、{parts}");
    }
    facts.push_str("。原告多次催收未果，为维护自身合法权益，特诉至贵院，请求判如所请。");

    let explanation = claim
        .render_zh()
        .lines()
        .chain(computed.fee.render_zh().lines())
        .map(str::to_owned)
        .collect();

    Wording {
        claims,
        facts,
        judgment_items: items,
        late_performance: LATE_PERFORMANCE.to_owned(),
        judgment_costs: fee_sentence(
            &computed.fee,
            computed.figures.fee_full_fen,
            defendant,
            false,
        ),
        mediation_items: mediation,
        mediation_costs: fee_sentence(
            mediation_fee,
            computed.figures.fee_full_fen,
            defendant,
            true,
        ),
        explanation,
    }
}
