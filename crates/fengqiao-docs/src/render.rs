//! Template + JSON context → a rendered document: plain blocks with all placeholders resolved.
//!
//! Both writers (docx and PDF) start from this form, so they cannot disagree on the text.

use serde_json::Value;

use crate::error::DocError;
use crate::template::eval::{LoopPosition, Scopes};
use crate::template::{Align, Block, Template, block_location, check_path, text};

/// A document with its text resolved, ready for a writer.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedDocument {
    /// The template's name (受理通知书 …), used as the PDF title.
    pub name: String,
    pub blocks: Vec<RenderedBlock>,
}

/// A block of a rendered document.
#[derive(Debug, Clone, PartialEq)]
pub enum RenderedBlock {
    Title(String),
    Heading(String),
    Paragraph {
        text: String,
        align: Align,
        indent: bool,
    },
    Table {
        headers: Vec<String>,
        widths: Vec<u16>,
        rows: Vec<Vec<String>>,
    },
    Signature(Vec<String>),
    Qr {
        text: String,
        caption: Option<String>,
        size_mm: u16,
    },
    PageBreak,
}

impl RenderedDocument {
    /// All the text of the document, one block or cell per line (for search and tests).
    pub fn plain_text(&self) -> String {
        let mut out = Vec::new();
        for block in &self.blocks {
            match block {
                RenderedBlock::Title(text) | RenderedBlock::Heading(text) => out.push(text.clone()),
                RenderedBlock::Paragraph { text, .. } => out.push(text.clone()),
                RenderedBlock::Table { headers, rows, .. } => {
                    out.push(headers.join("\t"));
                    out.extend(rows.iter().map(|row| row.join("\t")));
                }
                RenderedBlock::Signature(lines) => out.extend(lines.iter().cloned()),
                RenderedBlock::Qr { text, caption, .. } => {
                    out.push(text.clone());
                    out.extend(caption.iter().cloned());
                }
                RenderedBlock::PageBreak => {}
            }
        }
        out.join("\n")
    }
}

/// Resolves every placeholder of `template` against `context`.
pub fn render(template: &Template, context: &Value) -> Result<RenderedDocument, DocError> {
    template.check()?;
    let mut blocks = Vec::new();
    render_blocks(&template.blocks, &Scopes::new(context), "", &mut blocks)?;
    Ok(RenderedDocument {
        name: template.name.clone(),
        blocks,
    })
}

fn render_blocks(
    blocks: &[Block],
    scopes: &Scopes<'_>,
    parent: &str,
    out: &mut Vec<RenderedBlock>,
) -> Result<(), DocError> {
    for (offset, block) in blocks.iter().enumerate() {
        let location = block_location(parent, offset + 1, block);
        let fill = |source: &str, at: &str| -> Result<String, DocError> {
            let nodes = text::parse(source, at)?;
            Ok(without_control_characters(
                &scopes.clone().render(&nodes, at)?,
            ))
        };
        match block {
            Block::Title { text } => out.push(RenderedBlock::Title(
                fill(text, &location)?.trim().to_owned(),
            )),
            Block::Heading { text } => out.push(RenderedBlock::Heading(
                fill(text, &location)?.trim().to_owned(),
            )),
            Block::Paragraph {
                text,
                align,
                indent,
            } => {
                // A newline starts a new paragraph; a line left empty (e.g. by a false `#if`) is dropped.
                for line in fill(text, &location)?.split('\n') {
                    let line = line.trim();
                    if !line.is_empty() {
                        out.push(RenderedBlock::Paragraph {
                            text: line.to_owned(),
                            align: *align,
                            indent: *indent,
                        });
                    }
                }
            }
            Block::Table { rows, columns } => {
                let rows_path = check_path(rows, &location)?;
                let items = scopes.list(&rows_path, &location)?;
                let headers = columns
                    .iter()
                    .enumerate()
                    .map(|(number, column)| {
                        fill(
                            &column.header,
                            &format!("{location} › column {} header", number + 1),
                        )
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                let mut rendered_rows = Vec::with_capacity(items.len());
                let len = items.len();
                for (index, item) in items.iter().enumerate() {
                    let mut row_scopes = scopes.with_item(item, LoopPosition { index, len });
                    let mut cells = Vec::with_capacity(columns.len());
                    for (number, column) in columns.iter().enumerate() {
                        let at = format!(
                            "{location} › row {} › column {} cell",
                            index + 1,
                            number + 1
                        );
                        let nodes = text::parse(&column.cell, &at)?;
                        cells.push(
                            without_control_characters(&row_scopes.render(&nodes, &at)?)
                                .trim()
                                .to_owned(),
                        );
                    }
                    rendered_rows.push(cells);
                }
                out.push(RenderedBlock::Table {
                    headers,
                    widths: columns.iter().map(|column| column.width).collect(),
                    rows: rendered_rows,
                });
            }
            Block::Signature { lines } => {
                let mut rendered = Vec::new();
                for (number, line) in lines.iter().enumerate() {
                    let text = fill(line, &format!("{location} › line {}", number + 1))?;
                    rendered.extend(
                        text.split('\n')
                            .map(str::trim)
                            .filter(|l| !l.is_empty())
                            .map(str::to_owned),
                    );
                }
                out.push(RenderedBlock::Signature(rendered));
            }
            Block::Qr {
                text,
                caption,
                size_mm,
            } => {
                let caption = match caption {
                    Some(caption) => Some(
                        fill(caption, &format!("{location} caption"))?
                            .trim()
                            .to_owned(),
                    ),
                    None => None,
                };
                out.push(RenderedBlock::Qr {
                    text: fill(text, &location)?.trim().to_owned(),
                    caption,
                    size_mm: *size_mm,
                });
            }
            Block::Each { list, blocks } => {
                let list_path = check_path(list, &location)?;
                let items = scopes.list(&list_path, &location)?;
                let len = items.len();
                for (index, item) in items.iter().enumerate() {
                    let item_scopes = scopes.with_item(item, LoopPosition { index, len });
                    render_blocks(
                        blocks,
                        &item_scopes,
                        &format!("{location} item {}", index + 1),
                        out,
                    )?;
                }
            }
            Block::If {
                test,
                blocks,
                otherwise,
            } => {
                let test_path = check_path(test, &location)?;
                let value = scopes.lookup(&test_path, &location)?;
                if crate::template::eval::is_truthy(&value) {
                    render_blocks(blocks, scopes, &location, out)?;
                } else {
                    render_blocks(otherwise, scopes, &format!("{location} otherwise"), out)?;
                }
            }
            Block::PageBreak => out.push(RenderedBlock::PageBreak),
        }
    }
    Ok(())
}

/// Tabs become spaces and other control characters (invalid in docx XML, invisible in PDF) are
/// dropped; newlines stay, as they split paragraphs.
fn without_control_characters(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\t' => Some(' '),
            '\n' => Some('\n'),
            '\r' => None,
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::template::Column;

    fn template(blocks: Vec<Block>) -> Template {
        Template {
            key: "t".into(),
            name: "测试".into(),
            blocks,
        }
    }

    fn paragraph(text: &str) -> Block {
        Block::Paragraph {
            text: text.into(),
            align: Align::Justify,
            indent: true,
        }
    }

    #[test]
    fn renders_blocks_loops_tables_and_conditions() {
        let t = template(vec![
            Block::Title {
                text: "调解协议书".into(),
            },
            Block::Each {
                list: "applicants".into(),
                blocks: vec![paragraph("申请人：{{name}}")],
            },
            Block::If {
                test: "agent".into(),
                blocks: vec![paragraph("代理人：{{agent}}")],
                otherwise: vec![paragraph("无代理人")],
            },
            Block::Table {
                rows: "evidence".into(),
                columns: vec![
                    Column {
                        header: "序号".into(),
                        cell: "{{@number}}".into(),
                        width: 1,
                    },
                    Column {
                        header: "名称".into(),
                        cell: "{{name}}".into(),
                        width: 4,
                    },
                ],
            },
            Block::Signature {
                lines: vec![
                    "{{#each applicants}}{{name}}（签名）\n{{/each}}".into(),
                    "{{date}}".into(),
                ],
            },
        ]);
        let context = json!({
            "applicants": [{"name": "张三"}, {"name": "李四"}],
            "agent": null,
            "evidence": [{"name": "借条"}, {"name": "转账记录"}],
            "date": "2025年3月5日"
        });
        let document = render(&t, &context).unwrap();
        assert_eq!(
            document.blocks,
            vec![
                RenderedBlock::Title("调解协议书".into()),
                RenderedBlock::Paragraph {
                    text: "申请人：张三".into(),
                    align: Align::Justify,
                    indent: true
                },
                RenderedBlock::Paragraph {
                    text: "申请人：李四".into(),
                    align: Align::Justify,
                    indent: true
                },
                RenderedBlock::Paragraph {
                    text: "无代理人".into(),
                    align: Align::Justify,
                    indent: true
                },
                RenderedBlock::Table {
                    headers: vec!["序号".into(), "名称".into()],
                    widths: vec![1, 4],
                    rows: vec![
                        vec!["1".into(), "借条".into()],
                        vec!["2".into(), "转账记录".into()]
                    ],
                },
                RenderedBlock::Signature(vec![
                    "张三（签名）".into(),
                    "李四（签名）".into(),
                    "2025年3月5日".into()
                ]),
            ]
        );
    }

    #[test]
    fn newlines_split_paragraphs_and_empty_lines_vanish() {
        let t = template(vec![paragraph("第一段\n\n{{#if x}}不出现{{/if}}\n第二段")]);
        let document = render(&t, &json!({"x": false})).unwrap();
        assert_eq!(document.plain_text(), "第一段\n第二段");
    }

    #[test]
    fn control_characters_are_cleaned() {
        let t = template(vec![paragraph("{{a}}")]);
        let document = render(&t, &json!({"a": "甲\t乙\u{1}丙\r\n丁"})).unwrap();
        assert_eq!(document.plain_text(), "甲 乙丙\n丁");
    }

    #[test]
    fn errors_locate_the_row_or_item() {
        let t = template(vec![Block::Table {
            rows: "evidence".into(),
            columns: vec![Column {
                header: "名称".into(),
                cell: "{{nmae}}".into(),
                width: 1,
            }],
        }]);
        let error = render(&t, &json!({"evidence": [{"name": "借条"}]})).unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown placeholder `{{nmae}}` in block 1 (table) › row 1 › column 1 cell"
        );

        let t = template(vec![Block::Each {
            list: "parties".into(),
            blocks: vec![paragraph("{{name}}{{idcard}}")],
        }]);
        let error = render(
            &t,
            &json!({"parties": [{"name": "张三", "idcard": "x"}, {"name": "李四"}]}),
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown placeholder `{{idcard}}` in block 1 (each) item 2 › block 1 (paragraph)"
        );

        let t = template(vec![Block::Each {
            list: "partys".into(),
            blocks: vec![],
        }]);
        let error = render(&t, &json!({"parties": []})).unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown placeholder `{{partys}}` in block 1 (each)"
        );
    }
}
