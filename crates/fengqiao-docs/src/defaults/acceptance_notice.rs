//! 受理通知书 — tells the applicants their dispute is registered, with its 案号, 解纷码 and QR.

use super::{ACCEPTANCE_NOTICE, aligned, flush_left, names, paragraph, signature, title};
use crate::template::{Align, Block, Template};

pub(super) fn template() -> Template {
    Template {
        key: ACCEPTANCE_NOTICE.to_owned(),
        name: "受理通知书".to_owned(),
        blocks: vec![
            title("受理通知书"),
            aligned("{{case.number}}", Align::Right),
            flush_left(&format!("{}：", names("applicants"))),
            paragraph(&format!(
                "你（单位）与{}之间的{{{{case.type}}}}纠纷，本机构已于{{{{case.accepted_on}}}}登记受理，\
                 并赋予解纷码。现将有关事项通知如下：",
                names("respondents")
            )),
            paragraph(
                "一、解纷码：{{case.code}}。该码在本纠纷调解、仲裁、诉讼等各个环节全程使用，\
                 请妥善保管，查询进度、补充材料时请出示。",
            ),
            paragraph(&format!(
                "二、当事人：申请人：{}；被申请人：{}。",
                names("applicants"),
                names("respondents")
            )),
            paragraph(
                "三、受理机构：{{org.name}}；地址：{{org.address}}；联系电话：{{org.phone}}。",
            ),
            paragraph(
                "四、查询方式：扫描下方二维码或登录{{query.url}}，凭解纷码和{{query.second_factor}}，\
                 可随时查询办理进度、接收各阶段通知；结案后可对办理情况进行评价。",
            ),
            paragraph(
                "五、人民调解委员会调解民间纠纷，不收取任何费用（《中华人民共和国人民调解法》第四条）。\
                 当事人有权选择或者接受人民调解员，接受调解、拒绝调解或者要求终止调解，要求调解公开进行或者不公开进行，\
                 自主表达意愿、自愿达成调解协议（同法第二十三条）；应当如实陈述纠纷事实，遵守调解现场秩序，\
                 尊重人民调解员，尊重对方当事人行使权利（同法第二十四条）。",
            ),
            Block::Qr {
                text: "{{query.url}}".to_owned(),
                caption: Some("扫码查询办理进度（解纷码 {{case.code}}）".to_owned()),
                size_mm: 30,
            },
            signature(&["{{org.name}}（印章）", "{{issued_on}}"]),
        ],
    }
}
