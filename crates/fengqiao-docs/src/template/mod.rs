//! Document templates as data: a list of typed blocks whose texts use a small placeholder language.
//!
//! A template is JSON an administrator can edit (and the database will store):
//!
//! ```json
//! { "key": "acceptance_notice", "name": "受理通知书", "blocks": [
//!   { "kind": "title", "text": "受理通知书" },
//!   { "kind": "paragraph", "text": "{{#each applicants}}{{name}}{{#unless @last}}、{{/unless}}{{/each}}：", "indent": false },
//!   { "kind": "each", "list": "respondents", "blocks": [ { "kind": "paragraph", "text": "被申请人：{{name}}" } ] },
//!   { "kind": "table", "rows": "evidence", "columns": [ { "header": "证据名称", "cell": "{{name}}", "width": 3 } ] },
//!   { "kind": "qr", "text": "{{query.url}}", "caption": "扫码查询", "size_mm": 30 },
//!   { "kind": "signature", "lines": ["{{org.name}}", "{{issued_on}}"] }
//! ] }
//! ```
//!
//! Block kinds: `title`, `heading`, `paragraph` (`align`: justify | left | center | right,
//! `indent`: first-line indent of two characters, default true), `table` (one row per item of
//! the `rows` list, cells evaluated with the item as `this`), `signature` (lines set as a block
//! at the right), `qr`, `each` (repeat blocks per list item), `if` (blocks or `otherwise`),
//! `page_break`. In texts: `{{path.to.value}}`, `{{#each list}}…{{/each}}`,
//! `{{#if path}}…{{else}}…{{/if}}`, `{{#unless path}}…{{/unless}}`, and inside loops `this`,
//! `@index`, `@number` (1-based), `@number_cn` (一、二…), `@first`, `@last`. A newline in a
//! rendered paragraph or signature starts a new one.
//!
//! Every placeholder must resolve: an unknown name is an error naming it. Optional values are
//! present as `null` (what serde writes for `None`) and tested with `#if`.

pub(crate) mod eval;
pub(crate) mod text;

use serde::{Deserialize, Serialize};

use crate::error::DocError;

/// An editable document template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Template {
    /// Stable identifier, e.g. `acceptance_notice`.
    pub key: String,
    /// The document's name, e.g. 受理通知书 (PDF title, file names).
    pub name: String,
    pub blocks: Vec<Block>,
}

/// One block of a template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Block {
    /// Centred document title (黑体, 二号).
    Title {
        text: String,
    },
    /// Section heading (黑体, 三号).
    Heading {
        text: String,
    },
    Paragraph {
        text: String,
        #[serde(default)]
        align: Align,
        #[serde(default = "first_line_indent_default")]
        indent: bool,
    },
    /// A table with one row per item of the list at `rows`.
    Table {
        rows: String,
        columns: Vec<Column>,
    },
    /// Signature / seal / date lines, set as a block towards the right margin.
    Signature {
        lines: Vec<String>,
    },
    /// A QR code of the rendered `text`, centred, with an optional caption under it.
    Qr {
        text: String,
        #[serde(default)]
        caption: Option<String>,
        #[serde(default = "qr_size_default")]
        size_mm: u16,
    },
    /// The blocks repeated for each item of the list at `list`.
    Each {
        list: String,
        blocks: Vec<Block>,
    },
    /// `blocks` when the value at `test` is true (not null, false, "" or []), else `otherwise`.
    If {
        test: String,
        blocks: Vec<Block>,
        #[serde(default)]
        otherwise: Vec<Block>,
    },
    PageBreak,
}

/// A table column: header text, cell text (evaluated per row item) and relative width.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    pub header: String,
    pub cell: String,
    #[serde(default = "column_width_default")]
    pub width: u16,
}

/// Horizontal alignment of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    /// Both edges flush (the last line flush left): the default for body text.
    #[default]
    Justify,
    Left,
    Center,
    Right,
}

/// QR sizes outside this range (millimetres) are either unscannable or swallow the page.
pub const QR_SIZE_RANGE_MM: std::ops::RangeInclusive<u16> = 15..=80;
/// Column widths are relative weights in this range.
pub const COLUMN_WIDTH_RANGE: std::ops::RangeInclusive<u16> = 1..=100;

fn first_line_indent_default() -> bool {
    true
}

fn qr_size_default() -> u16 {
    30
}

fn column_width_default() -> u16 {
    1
}

impl Template {
    /// Parses a template from its JSON form.
    pub fn from_json(json: &str) -> Result<Template, DocError> {
        let template: Template = serde_json::from_str(json)
            .map_err(|error| DocError::TemplateJson(error.to_string()))?;
        template.check()?;
        Ok(template)
    }

    /// Checks the syntax of every text and the ranges of sizes without a context, so an
    /// edited template can be refused when it is saved rather than when it is first used.
    pub fn check(&self) -> Result<(), DocError> {
        check_blocks(&self.blocks, "")
    }
}

impl Block {
    /// The block's `kind` as written in JSON, for error locations.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Block::Title { .. } => "title",
            Block::Heading { .. } => "heading",
            Block::Paragraph { .. } => "paragraph",
            Block::Table { .. } => "table",
            Block::Signature { .. } => "signature",
            Block::Qr { .. } => "qr",
            Block::Each { .. } => "each",
            Block::If { .. } => "if",
            Block::PageBreak => "page_break",
        }
    }
}

/// `block 3 (paragraph)`, nested under `parent` when there is one.
pub(crate) fn block_location(parent: &str, number: usize, block: &Block) -> String {
    let here = format!("block {number} ({})", block.kind_name());
    if parent.is_empty() {
        here
    } else {
        format!("{parent} › {here}")
    }
}

fn check_blocks(blocks: &[Block], parent: &str) -> Result<(), DocError> {
    for (offset, block) in blocks.iter().enumerate() {
        let location = block_location(parent, offset + 1, block);
        let check_text = |source: &str, at: &str| text::parse(source, at).map(|_| ());
        match block {
            Block::Title { text } | Block::Heading { text } | Block::Paragraph { text, .. } => {
                check_text(text, &location)?;
            }
            Block::Table { rows, columns } => {
                check_path(rows, &location)?;
                if columns.is_empty() {
                    return Err(syntax(
                        &location,
                        "a table needs at least one column".to_owned(),
                    ));
                }
                for (column_offset, column) in columns.iter().enumerate() {
                    let at = format!("{location} › column {}", column_offset + 1);
                    check_text(&column.header, &format!("{at} header"))?;
                    check_text(&column.cell, &format!("{at} cell"))?;
                    if !COLUMN_WIDTH_RANGE.contains(&column.width) {
                        return Err(syntax(
                            &at,
                            format!("width {} is outside 1–100", column.width),
                        ));
                    }
                }
            }
            Block::Signature { lines } => {
                for (line_offset, line) in lines.iter().enumerate() {
                    check_text(line, &format!("{location} › line {}", line_offset + 1))?;
                }
            }
            Block::Qr {
                text,
                caption,
                size_mm,
            } => {
                check_text(text, &location)?;
                if let Some(caption) = caption {
                    check_text(caption, &format!("{location} caption"))?;
                }
                if !QR_SIZE_RANGE_MM.contains(size_mm) {
                    return Err(syntax(
                        &location,
                        format!("size_mm {size_mm} is outside 15–80"),
                    ));
                }
            }
            Block::Each { list, blocks } => {
                check_path(list, &location)?;
                check_blocks(blocks, &location)?;
            }
            Block::If {
                test,
                blocks,
                otherwise,
            } => {
                check_path(test, &location)?;
                check_blocks(blocks, &location)?;
                check_blocks(otherwise, &format!("{location} otherwise"))?;
            }
            Block::PageBreak => {}
        }
    }
    Ok(())
}

/// A block-level path (`list`, `rows`, `test`) is written bare, without braces.
pub(crate) fn check_path(path: &str, location: &str) -> Result<text::Path, DocError> {
    text::parse_path(path.trim(), location)
}

fn syntax(location: &str, detail: String) -> DocError {
    DocError::TemplateSyntax {
        location: location.to_owned(),
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_form_round_trips_with_defaults() {
        let json = r#"{"key":"k","name":"受理通知书","blocks":[
            {"kind":"title","text":"受理通知书"},
            {"kind":"paragraph","text":"{{a}}"},
            {"kind":"qr","text":"{{url}}"},
            {"kind":"table","rows":"evidence","columns":[{"header":"名称","cell":"{{name}}"}]},
            {"kind":"page_break"}]}"#;
        let template = Template::from_json(json).unwrap();
        assert_eq!(
            template.blocks[1],
            Block::Paragraph {
                text: "{{a}}".into(),
                align: Align::Justify,
                indent: true
            }
        );
        assert_eq!(
            template.blocks[2],
            Block::Qr {
                text: "{{url}}".into(),
                caption: None,
                size_mm: 30
            }
        );
        let again = Template::from_json(&serde_json::to_string(&template).unwrap()).unwrap();
        assert_eq!(again, template);
    }

    #[test]
    fn check_reports_the_nested_location() {
        let json = r#"{"key":"k","name":"n","blocks":[
            {"kind":"title","text":"t"},
            {"kind":"each","list":"parties","blocks":[{"kind":"paragraph","text":"{{#if x}}"}]}]}"#;
        let message = Template::from_json(json).unwrap_err().to_string();
        assert_eq!(
            message,
            "template syntax error in block 2 (each) › block 1 (paragraph): missing `{{/if}}`"
        );
    }

    #[test]
    fn check_rejects_bad_sizes_and_unknown_fields() {
        let qr = r#"{"key":"k","name":"n","blocks":[{"kind":"qr","text":"x","size_mm":5}]}"#;
        assert!(
            Template::from_json(qr)
                .unwrap_err()
                .to_string()
                .contains("size_mm 5 is outside 15–80")
        );
        let column = r#"{"key":"k","name":"n","blocks":[{"kind":"table","rows":"r","columns":[{"header":"h","cell":"c","width":0}]}]}"#;
        assert!(
            Template::from_json(column)
                .unwrap_err()
                .to_string()
                .contains("column 1: width 0")
        );
        let typo = r#"{"key":"k","name":"n","blocks":[{"kind":"paragraph","txet":"x"}]}"#;
        assert!(
            Template::from_json(typo)
                .unwrap_err()
                .to_string()
                .contains("not valid JSON")
        );
        let kind = r#"{"key":"k","name":"n","blocks":[{"kind":"script","text":"x"}]}"#;
        assert!(
            Template::from_json(kind)
                .unwrap_err()
                .to_string()
                .contains("unknown variant `script`")
        );
    }
}
