//! 人民调解协议书 — the contents listed in 人民调解法 art. 29: parties, facts, issues and
//! responsibilities, the agreed terms, how and by when they are performed, signatures, seal.

use super::{
    MEDIATION_AGREEMENT, SIGN_OR_SEAL, aligned, heading, paragraph, party_paragraphs, signature,
    title,
};
use crate::template::{Align, Block, Template};

pub(super) fn template() -> Template {
    Template {
        key: MEDIATION_AGREEMENT.to_owned(),
        name: "人民调解协议书".to_owned(),
        blocks: vec![
            title("人民调解协议书"),
            aligned("编号：{{agreement.number}}", Align::Right),
            party_paragraphs("applicants", "申请人"),
            party_paragraphs("respondents", "被申请人"),
            paragraph("解纷码：{{case.code}}"),
            heading("一、纠纷主要事实、争议事项和各方责任"),
            paragraph("{{case.facts}}"),
            paragraph("争议事项：{{case.issues}}"),
            paragraph("各方当事人的责任：{{case.responsibility}}"),
            heading("二、调解协议内容"),
            paragraph("经{{org.name}}主持调解，当事人在平等协商、自愿的基础上达成如下协议："),
            Block::Each {
                list: "agreement.terms".to_owned(),
                blocks: vec![paragraph("（{{@number_cn}}）{{this}}")],
            },
            heading("三、履行方式和期限"),
            paragraph("{{agreement.performance}}"),
            heading("四、协议效力"),
            paragraph(
                "本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效\
                 （《中华人民共和国人民调解法》第二十九条）。经人民调解委员会调解达成的调解协议，具有法律约束力，\
                 当事人应当按照约定履行（同法第三十一条）。",
            ),
            paragraph(
                "当事人认为有必要的，可以自本协议生效之日起三十日内共同向人民法院申请司法确认；人民法院依法确认\
                 调解协议有效，一方当事人拒绝履行或者未全部履行的，对方当事人可以向人民法院申请强制执行\
                 （同法第三十三条）。",
            ),
            paragraph("本协议一式{{agreement.copies}}份，当事人各执一份，{{org.name}}留存一份。"),
            signature(&[
                &format!(
                    "{{{{#each applicants}}}}申请人：{{{{name}}}}{SIGN_OR_SEAL}\n{{{{/each}}}}"
                ),
                &format!(
                    "{{{{#each respondents}}}}被申请人：{{{{name}}}}{SIGN_OR_SEAL}\n{{{{/each}}}}"
                ),
                "人民调解员：{{mediator.name}}（签名）",
                "{{org.name}}（印章）",
                "{{agreement.signed_on}}",
            ]),
        ],
    }
}
