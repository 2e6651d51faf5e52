//! The draft documents of a batch case — 民事起诉状, 民事调解书, 民事判决书 — as editable
//! fengqiao-docs templates (block JSON with placeholders) and the context that fills them.
//!
//! Context shape: `court` (`name`, `appeal`), `case` (`number`, `cause`, `contract_no`,
//! `filed_on`, `procedure`), `plaintiff` (`name`, `credit_code`, `representative`, `address`),
//! `defendant` (`name`, `sex`, `birth_date`, `address`, `id_number` — masked — and `phone`),
//! the texts of [`Wording`] (`claims`, `facts`, `judgment_items`, `late_performance`,
//! `judgment_costs`, `mediation_items`, `mediation_costs`, `explanation`), `judge.name`,
//! `issued_on`.

use chrono::{Datelike, NaiveDate};
use fengqiao_docs::{Align, Block, Template};
use serde_json::{Value, json};

use crate::case::BatchCase;
use crate::wording::Wording;

pub const COMPLAINT: &str = "finance_complaint";
pub const MEDIATION: &str = "finance_mediation";
pub const JUDGMENT: &str = "finance_judgment";

/// The keys, in the order the console lists them.
pub const KEYS: [&str; 3] = [COMPLAINT, MEDIATION, JUDGMENT];

fn title(text: &str) -> Block {
    Block::Title {
        text: text.to_owned(),
    }
}

fn heading(text: &str) -> Block {
    Block::Heading {
        text: text.to_owned(),
    }
}

fn paragraph(text: &str) -> Block {
    Block::Paragraph {
        text: text.to_owned(),
        align: Align::Justify,
        indent: true,
    }
}

fn aligned(text: &str, align: Align) -> Block {
    Block::Paragraph {
        text: text.to_owned(),
        align,
        indent: false,
    }
}

fn each(list: &str, text: &str) -> Block {
    Block::Each {
        list: list.to_owned(),
        blocks: vec![paragraph(text)],
    }
}

fn signature(lines: &[&str]) -> Block {
    Block::Signature {
        lines: lines.iter().map(|l| (*l).to_owned()).collect(),
    }
}

const PLAINTIFF: &str = "原告：{{plaintiff.name}}，住所地{{plaintiff.address}}，统一社会信用代码{{plaintiff.credit_code}}。";
const REPRESENTATIVE: &str = "负责人：{{plaintiff.representative}}。";
const DEFENDANT: &str = "被告：{{defendant.name}}，{{defendant.sex}}，{{defendant.birth_date}}出生，住{{defendant.address}}，公民身份号码{{defendant.id_number}}{{#if defendant.phone}}，联系电话{{defendant.phone}}{{/if}}。";

fn parties() -> Vec<Block> {
    vec![
        paragraph(PLAINTIFF),
        paragraph(REPRESENTATIVE),
        paragraph(DEFENDANT),
    ]
}

/// 民事起诉状 as the bank files it.
pub fn complaint() -> Template {
    let mut blocks = vec![title("民事起诉状")];
    blocks.extend(parties());
    blocks.extend([
        heading("诉讼请求"),
        each("claims", "{{@number}}. {{this}}"),
        heading("事实和理由"),
        paragraph("{{facts}}"),
        aligned("此致", Align::Left),
        aligned("{{court.name}}", Align::Left),
        signature(&["具状人：{{plaintiff.name}}（盖章）", "{{issued_on}}"]),
    ]);
    Template {
        key: COMPLAINT.to_owned(),
        name: "民事起诉状（金融借款）".to_owned(),
        blocks,
    }
}

const OPENING: &str = "原告{{plaintiff.name}}与被告{{defendant.name}}{{case.cause}}一案，本院于{{case.filed_on}}立案后，依法适用{{case.procedure}}进行了审理。";

/// 民事调解书: the agreed terms confirmed by the court.
pub fn mediation() -> Template {
    let mut blocks = vec![
        title("{{court.name}}"),
        title("民事调解书"),
        aligned("{{case.number}}", Align::Right),
    ];
    blocks.extend(parties());
    blocks.extend([
        paragraph(&format!("案由：{{{{case.cause}}}}。{OPENING}")),
        paragraph("原告{{plaintiff.name}}向本院提出诉讼请求："),
        each("claims", "{{@number}}. {{this}}"),
        paragraph("事实和理由：{{facts}}"),
        paragraph("本案审理过程中，经本院主持调解，双方当事人自愿达成如下协议："),
        each("mediation_items", "{{@number_cn}}、{{this}}"),
        paragraph("{{mediation_costs}}"),
        paragraph("上述协议，不违反法律规定，本院予以确认。"),
        paragraph("本调解书经双方当事人签收后，即具有法律效力。"),
        signature(&[
            "审判员　{{judge.name}}",
            "{{issued_on}}",
            "书记员　（签名）",
        ]),
    ]);
    Template {
        key: MEDIATION.to_owned(),
        name: "民事调解书（金融借款）".to_owned(),
        blocks,
    }
}

/// 民事判决书 with the computation and the standard main items.
pub fn judgment() -> Template {
    let mut blocks = vec![
        title("{{court.name}}"),
        title("民事判决书"),
        aligned("{{case.number}}", Align::Right),
    ];
    blocks.extend(parties());
    blocks.extend([
        paragraph(&format!("{OPENING}本案现已审理终结。")),
        paragraph("原告{{plaintiff.name}}向本院提出诉讼请求："),
        each("claims", "{{@number}}. {{this}}"),
        paragraph("事实和理由：{{facts}}"),
        paragraph(
            "本院认为，原告与被告签订的借款合同系双方当事人的真实意思表示，内容不违反法律、行政法规的强制性规定，\
             合法有效。原告依约发放贷款，被告未按约还款，构成违约，应当承担归还借款本金并支付利息、罚息、复利的责任。\
             原告主张的各项金额经本院核算如下：",
        ),
        Block::Each {
            list: "explanation".to_owned(),
            blocks: vec![aligned("{{this}}", Align::Left)],
        },
        paragraph(
            "综上，依照《中华人民共和国民法典》第五百零九条、第五百七十七条、第六百六十七条、第六百七十四条、\
             第六百七十六条，《中华人民共和国民事诉讼法》第六十七条之规定，判决如下：",
        ),
        each("judgment_items", "{{@number_cn}}、{{this}}"),
        paragraph("{{late_performance}}"),
        paragraph("{{judgment_costs}}"),
        paragraph(
            "如不服本判决，可以在判决书送达之日起十五日内，向本院递交上诉状，并按照对方当事人的人数提出副本，\
             上诉于{{court.appeal}}。",
        ),
        signature(&["审判员　{{judge.name}}", "{{issued_on}}", "书记员　（签名）"]),
    ]);
    Template {
        key: JUDGMENT.to_owned(),
        name: "民事判决书（金融借款）".to_owned(),
        blocks,
    }
}

/// The three built-in templates.
pub fn default_templates() -> Vec<Template> {
    vec![complaint(), mediation(), judgment()]
}

/// The built-in template with `key`.
pub fn default_template(key: &str) -> Option<Template> {
    match key {
        COMPLAINT => Some(complaint()),
        MEDIATION => Some(mediation()),
        JUDGMENT => Some(judgment()),
        _ => None,
    }
}

/// Where and by whom the case is heard.
#[derive(Debug, Clone)]
pub struct Court<'a> {
    pub name: &'a str,
    pub appeal: &'a str,
    pub judge: &'a str,
}

/// 2024年7月1日.
pub fn zh_date(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// The context of one case for any of the three templates.
pub fn context(
    case: &BatchCase,
    wording: &Wording,
    court: &Court<'_>,
    case_number: &str,
    filed_on: NaiveDate,
    issued_on: NaiveDate,
) -> Value {
    json!({
        "court": { "name": court.name, "appeal": court.appeal },
        "case": {
            "number": case_number,
            "cause": "金融借款合同纠纷",
            "contract_no": case.contract_no,
            "filed_on": zh_date(filed_on),
            "procedure": if case.simple_procedure { "简易程序" } else { "普通程序" },
        },
        "plaintiff": {
            "name": case.lender.name,
            "credit_code": case.lender.credit_code,
            "representative": case.lender.representative,
            "address": case.lender.address,
        },
        "defendant": {
            "name": case.borrower.name,
            "sex": case.borrower.sex,
            "birth_date": zh_date(case.borrower.birth_date),
            "address": case.borrower.address,
            "id_number": case.borrower.id_masked,
            "phone": case.borrower.phone_masked,
        },
        "claims": wording.claims,
        "facts": wording.facts,
        "judgment_items": wording.judgment_items,
        "late_performance": wording.late_performance,
        "judgment_costs": wording.judgment_costs,
        "mediation_items": wording.mediation_items,
        "mediation_costs": wording.mediation_costs,
        "explanation": wording.explanation,
        "judge": { "name": court.judge },
        "issued_on": zh_date(issued_on),
    })
}
