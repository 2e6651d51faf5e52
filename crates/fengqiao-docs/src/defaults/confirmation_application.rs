//! 司法确认申请书 — both sides jointly ask the court, within 30 days of the agreement taking
//! effect, to confirm it (人民调解法 art. 33; 民事诉讼法 art. 205).

use super::{
    CONFIRMATION_APPLICATION, SIGN_OR_SEAL, flush_left, heading, paragraph, party_paragraphs,
    signature, title,
};
use crate::template::{Block, Template};

pub(super) fn template() -> Template {
    Template {
        key: CONFIRMATION_APPLICATION.to_owned(),
        name: "司法确认申请书".to_owned(),
        blocks: vec![
            title("司法确认申请书"),
            // Both sides of the dispute apply together, so all are 申请人.
            party_paragraphs("applicants", "申请人"),
            party_paragraphs("respondents", "申请人"),
            heading("请求事项"),
            paragraph(
                "请求{{court.name}}确认申请人于{{agreement.signed_on}}经{{org.name}}主持调解达成的《人民调解协议书》\
                 （编号：{{agreement.number}}）有效。",
            ),
            heading("事实和理由"),
            paragraph(
                "申请人之间因{{case.type}}发生纠纷，经{{org.name}}主持调解，于{{agreement.signed_on}}自愿达成调解协议\
                 （解纷码：{{case.code}}），主要内容如下：",
            ),
            Block::Each {
                list: "agreement.terms".to_owned(),
                blocks: vec![paragraph("（{{@number_cn}}）{{this}}")],
            },
            paragraph("履行方式和期限：{{agreement.performance}}"),
            paragraph(
                "上述调解协议系申请人的真实意思表示，内容不违反法律、行政法规的强制性规定，不损害国家利益、\
                 社会公共利益和他人合法权益，不违背公序良俗。根据《中华人民共和国人民调解法》第三十三条、\
                 《中华人民共和国民事诉讼法》第二百零五条的规定，申请人自调解协议生效之日起三十日内共同向贵院\
                 申请司法确认，请依法确认该调解协议有效。",
            ),
            heading("申请人承诺"),
            paragraph(
                "申请人出于解决纠纷的目的申请司法确认，所提交的材料真实、合法、有效，调解协议不存在恶意串通、\
                 规避法律或者损害国家利益、社会公共利益、他人合法权益的情形；如有虚假，愿意承担相应的法律责任。",
            ),
            heading("附件"),
            paragraph("1. 人民调解协议书一份；"),
            paragraph("2. 调解组织主持调解的证明；"),
            paragraph("3. 申请人的身份证明及住所、联系方式；"),
            paragraph("4. 与调解协议相关的财产权利证明等材料（如有）。"),
            paragraph("此致"),
            flush_left("{{court.name}}"),
            signature(&[
                &format!(
                    "{{{{#each applicants}}}}申请人：{{{{name}}}}{SIGN_OR_SEAL}\n{{{{/each}}}}"
                ),
                &format!(
                    "{{{{#each respondents}}}}申请人：{{{{name}}}}{SIGN_OR_SEAL}\n{{{{/each}}}}"
                ),
                "{{application.date}}",
            ]),
        ],
    }
}
