//! The default templates shipped with Fengqiao (administrators may edit copies) and a sample
//! context that fills every one of them, for previews.
//!
//! All four read one context shape (see [`sample_context`]): `case`, `applicants`,
//! `respondents` (parties: `name`, `gender`, `birth_date`, `id_number`, `address`, `phone`,
//! `legal_representative` — null for a natural person — and `credit_code`), `org`, `mediator`,
//! `query`, `agreement`, `court`, `application`, `claims`, `evidence`, `history`, `mediation`,
//! `issued_on`. Personal numbers arrive already masked (§10 of the domain reference).

mod acceptance_notice;
mod confirmation_application;
mod filing_package;
mod mediation_agreement;
mod sample;

pub use sample::sample_context;

use crate::template::{Align, Block, Column, Template};

/// Template keys of the defaults.
pub const ACCEPTANCE_NOTICE: &str = "acceptance_notice";
pub const MEDIATION_AGREEMENT: &str = "mediation_agreement";
pub const CONFIRMATION_APPLICATION: &str = "confirmation_application";
pub const FILING_PACKAGE: &str = "filing_package";

/// 受理通知书, 人民调解协议书, 司法确认申请书 and the 立案材料 (起诉状) package.
pub fn default_templates() -> Vec<Template> {
    vec![
        acceptance_notice::template(),
        mediation_agreement::template(),
        confirmation_application::template(),
        filing_package::template(),
    ]
}

/// The default template with `key`, if there is one.
pub fn default_template(key: &str) -> Option<Template> {
    default_templates()
        .into_iter()
        .find(|template| template.key == key)
}

/// How a party is described in a legal document: a company by seat, credit code and legal
/// representative; a person by sex, birth date, address and ID number (masked upstream).
const PARTY_IDENTITY: &str = "{{name}}，{{#if legal_representative}}住所地{{address}}，统一社会信用代码{{credit_code}}，\
法定代表人{{legal_representative}}{{else}}{{gender}}，{{birth_date}}出生，住{{address}}，公民身份号码{{id_number}}{{/if}}，\
联系电话{{phone}}。";

/// What a party does on the signature line: a company seals, a person signs or leaves a fingerprint.
const SIGN_OR_SEAL: &str = "{{#if legal_representative}}（盖章）{{else}}（签名或按指印）{{/if}}";

/// `张三、李四、王五` for the list at `list`.
fn names(list: &str) -> String {
    format!("{{{{#each {list}}}}}{{{{name}}}}{{{{#unless @last}}}}、{{{{/unless}}}}{{{{/each}}}}")
}

/// One paragraph per party of `list`, each opened by `role` (申请人, 被告 …).
fn party_paragraphs(list: &str, role: &str) -> Block {
    Block::Each {
        list: list.to_owned(),
        blocks: vec![paragraph(&format!("{role}：{PARTY_IDENTITY}"))],
    }
}

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

/// Body text: justified, first line indented two characters.
fn paragraph(text: &str) -> Block {
    Block::Paragraph {
        text: text.to_owned(),
        align: Align::Justify,
        indent: true,
    }
}

/// A line flush with the left margin (salutations, the court after 此致).
fn flush_left(text: &str) -> Block {
    Block::Paragraph {
        text: text.to_owned(),
        align: Align::Left,
        indent: false,
    }
}

fn aligned(text: &str, align: Align) -> Block {
    Block::Paragraph {
        text: text.to_owned(),
        align,
        indent: false,
    }
}

fn signature(lines: &[&str]) -> Block {
    Block::Signature {
        lines: lines.iter().map(|line| (*line).to_owned()).collect(),
    }
}

fn table(rows: &str, columns: &[(&str, &str, u16)]) -> Block {
    Block::Table {
        rows: rows.to_owned(),
        columns: columns
            .iter()
            .map(|(header, cell, width)| Column {
                header: (*header).to_owned(),
                cell: (*cell).to_owned(),
                width: *width,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::render;

    #[test]
    fn four_templates_with_distinct_keys_that_pass_the_check() {
        let templates = default_templates();
        let keys: Vec<&str> = templates.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(
            keys,
            vec![
                ACCEPTANCE_NOTICE,
                MEDIATION_AGREEMENT,
                CONFIRMATION_APPLICATION,
                FILING_PACKAGE
            ]
        );
        let names: Vec<&str> = templates.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "受理通知书",
                "人民调解协议书",
                "司法确认申请书",
                "立案材料（民事起诉状）"
            ]
        );
        for template in &templates {
            template.check().unwrap();
            let json = serde_json::to_string(template).unwrap();
            assert_eq!(
                &Template::from_json(&json).unwrap(),
                template,
                "{} survives its JSON form",
                template.key
            );
        }
        assert_eq!(
            default_template(FILING_PACKAGE).unwrap().key,
            FILING_PACKAGE
        );
        assert!(default_template("judgment").is_none());
    }

    #[test]
    fn acceptance_notice_carries_number_code_parties_body_lookup_and_qr() {
        let document = render(
            &default_template(ACCEPTANCE_NOTICE).unwrap(),
            &sample_context(),
        )
        .unwrap();
        let text = document.plain_text();
        for expected in [
            "受理通知书",
            "（2025）浙0102人调受字第0153号",
            "王建军、李秀英、陈志强：",
            "与杭州江南示范建筑劳务有限公司之间的劳动争议（欠薪）纠纷，本机构已于2025年3月5日登记受理",
            "一、解纷码：2611-4831-0572-9",
            "申请人：王建军、李秀英、陈志强；被申请人：杭州江南示范建筑劳务有限公司",
            "三、受理机构：杭州市上城区小营街道人民调解委员会；地址：杭州市上城区小营街道解放路100号",
            "凭解纷码和申请人手机号码后四位",
            "https://fq.shangcheng.example.gov.cn/q/2611-4831-0572-9",
        ] {
            assert!(text.contains(expected), "missing {expected}\n{text}");
        }
        assert!(document.blocks.iter().any(|block| matches!(block,
            crate::render::RenderedBlock::Qr { text, size_mm: 30, .. } if text == "https://fq.shangcheng.example.gov.cn/q/2611-4831-0572-9")));
    }

    #[test]
    fn mediation_agreement_has_the_article_29_contents() {
        let text = render(
            &default_template(MEDIATION_AGREEMENT).unwrap(),
            &sample_context(),
        )
        .unwrap()
        .plain_text();
        for expected in [
            "人民调解协议书",
            "申请人：王建军，男，1978年4月12日出生，住浙江省淳安县千岛湖镇环湖北路8号，公民身份号码330127********2316，联系电话138****5621。",
            "被申请人：杭州江南示范建筑劳务有限公司，住所地杭州市上城区望江东路332号，统一社会信用代码91330102MA27Y5QX4K，法定代表人周国栋，联系电话0571-8602****。",
            "纠纷主要事实、争议事项和各方责任",
            "争议事项：",
            "（一）被申请人于2025年3月31日前一次性支付三名申请人劳动报酬合计人民币86,400.00元",
            "履行方式和期限",
            "人民调解员签名并加盖人民调解委员会印章之日起生效",
            "本协议一式五份",
            "人民调解员：李建国（签名）",
            "杭州市上城区小营街道人民调解委员会（印章）",
        ] {
            assert!(text.contains(expected), "missing {expected}\n{text}");
        }
    }

    #[test]
    fn confirmation_application_is_joint_and_cites_the_30_day_rule() {
        let text = render(
            &default_template(CONFIRMATION_APPLICATION).unwrap(),
            &sample_context(),
        )
        .unwrap()
        .plain_text();
        for expected in [
            "司法确认申请书",
            "申请人：杭州江南示范建筑劳务有限公司",
            "请求杭州市上城区人民法院确认申请人于2025年3月20日经杭州市上城区小营街道人民调解委员会主持调解达成的《人民调解协议书》",
            "《中华人民共和国民事诉讼法》第二百零五条",
            "自调解协议生效之日起三十日内共同向贵院申请司法确认",
            "此致",
            "申请人：陈志强（签名或按指印）",
            "申请人：杭州江南示范建筑劳务有限公司（盖章）",
        ] {
            assert!(text.contains(expected), "missing {expected}\n{text}");
        }
    }

    #[test]
    fn filing_package_has_parties_claims_facts_evidence_and_history() {
        let document = render(
            &default_template(FILING_PACKAGE).unwrap(),
            &sample_context(),
        )
        .unwrap();
        let text = document.plain_text();
        for expected in [
            "民事起诉状",
            "原告：李秀英，女",
            "被告：杭州江南示范建筑劳务有限公司",
            "诉讼请求",
            "1. 判令被告支付原告劳动报酬合计人民币86,400.00元；",
            "事实和理由",
            "调解经过",
            "2025年3月5日\t杭州市上城区小营街道人民调解委员会\t登记受理，赋解纷码2611-4831-0572-9",
            "证据清单",
            "1\t劳务合同\t证明原告与被告之间存在劳务关系及约定的报酬标准\t原告提供\t3",
            "具状人：王建军、李秀英、陈志强",
        ] {
            assert!(text.contains(expected), "missing {expected}\n{text}");
        }
    }
}
