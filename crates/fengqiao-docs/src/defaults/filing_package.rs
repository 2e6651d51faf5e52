//! 立案材料 — the package for online filing (网上立案) when mediation fails: a 民事起诉状 with
//! parties, claims, facts and reasons, the mediation history and the evidence list.

use super::{
    FILING_PACKAGE, aligned, flush_left, heading, names, paragraph, party_paragraphs, signature,
    table, title,
};
use crate::template::{Align, Block, Template};

pub(super) fn template() -> Template {
    Template {
        key: FILING_PACKAGE.to_owned(),
        name: "立案材料（民事起诉状）".to_owned(),
        blocks: vec![
            title("民事起诉状"),
            aligned("（网上立案材料　解纷码：{{case.code}}）", Align::Center),
            party_paragraphs("applicants", "原告"),
            party_paragraphs("respondents", "被告"),
            heading("诉讼请求"),
            Block::Each {
                list: "claims".to_owned(),
                blocks: vec![paragraph("{{@number}}. {{this}}")],
            },
            heading("事实和理由"),
            paragraph("{{case.facts}}"),
            heading("调解经过"),
            table(
                "history",
                &[
                    ("日期", "{{date}}", 2),
                    ("经办机构", "{{handler}}", 3),
                    ("事项", "{{event}}", 5),
                ],
            ),
            paragraph("{{mediation.result}}"),
            heading("证据清单"),
            table(
                "evidence",
                &[
                    ("序号", "{{@number}}", 1),
                    ("证据名称", "{{name}}", 3),
                    ("证明目的", "{{purpose}}", 5),
                    ("来源", "{{source}}", 2),
                    ("页数", "{{pages}}", 1),
                ],
            ),
            paragraph("此致"),
            flush_left("{{court.name}}"),
            signature(&[
                &format!("具状人：{}", names("applicants")),
                "{{application.date}}",
            ]),
        ],
    }
}
