//! Page layout for PDF: A4 with 公文 margins, wrapped and justified lines, tables that break
//! across pages with their header repeated, signature blocks, QR codes and page numbers.
//!
//! Geometry follows GB/T 9704 (党政机关公文格式): 版心 156 × 225 mm, top margin 37 mm, left
//! 28 mm, body in 三号 (15.75 pt) on 22 lines of 28 characters, titles in 二号 黑体.

use crate::error::DocError;
use crate::qr::QrMatrix;
use crate::render::{RenderedBlock, RenderedDocument};
use crate::template::Align;
use crate::wrap::break_lines;

mod table;

/// Points per millimetre.
pub(crate) const MM: f32 = 72.0 / 25.4;
pub(crate) const PAGE_WIDTH: f32 = 210.0 * MM;
pub(crate) const PAGE_HEIGHT: f32 = 297.0 * MM;
const LEFT: f32 = 28.0 * MM;
const TOP: f32 = 37.0 * MM;
const TEXT_WIDTH: f32 = 156.0 * MM;
const TEXT_HEIGHT: f32 = 225.0 * MM;
const BOTTOM: f32 = TOP + TEXT_HEIGHT;
/// 22 lines fill the text block.
const BODY_LEADING: f32 = TEXT_HEIGHT / 22.0;
/// Page numbers sit 7 mm below the text block (GB/T 9704 §7.5).
const FOOTER_TOP: f32 = BOTTOM + 7.0 * MM;
/// Ascent of the CJK em box (Noto CJK: 0.88 above the baseline, 0.12 below).
const EM_ASCENT: f32 = 0.88;
const CELL_PADDING_X: f32 = 4.0;
const CELL_PADDING_Y: f32 = 3.0;
/// Justified lines are spread by at most this many em in total (a character or two pushed down
/// by 避头尾); a line cut short by a long unbreakable number or URL stays ragged instead of gaping.
const MAX_JUSTIFY_EXTRA_EM: f32 = 2.0;

/// Which of the two faces of a [`crate::fonts::FontSet`] a text uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Face {
    Regular,
    Bold,
}

#[derive(Debug, Clone, Copy)]
struct Style {
    face: Face,
    size: f32,
    leading: f32,
}

const BODY: Style = Style {
    face: Face::Regular,
    size: 15.75,
    leading: BODY_LEADING,
};
const TITLE: Style = Style {
    face: Face::Bold,
    size: 22.0,
    leading: 34.0,
};
const HEADING: Style = Style {
    face: Face::Bold,
    size: 15.75,
    leading: BODY_LEADING,
};
const TABLE_HEAD: Style = Style {
    face: Face::Bold,
    size: 12.0,
    leading: 18.0,
};
const TABLE_BODY: Style = Style {
    face: Face::Regular,
    size: 12.0,
    leading: 18.0,
};
const CAPTION: Style = Style {
    face: Face::Regular,
    size: 10.5,
    leading: 15.0,
};
const FOOTER: Style = Style {
    face: Face::Regular,
    size: 14.0,
    leading: 20.0,
};

/// Character advances in em; a character the face lacks should measure 1 em (drawing reports it).
pub(crate) trait Measure {
    fn advance(&self, face: Face, c: char) -> f32;
}

/// Something drawn on a page; coordinates in points from the top-left corner.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    /// One line of text starting at `x` on `baseline`; `spacing` is added after every character
    /// but the last (justification).
    Text {
        x: f32,
        baseline: f32,
        face: Face,
        size: f32,
        text: String,
        spacing: f32,
    },
    Rule {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
    },
    /// A QR symbol filling the square at (`x`, `y`) of `side`, quiet zone included.
    Qr {
        x: f32,
        y: f32,
        side: f32,
        matrix: QrMatrix,
    },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Page {
    pub(crate) items: Vec<Item>,
}

/// Lays `document` out on A4 pages, numbering them at the foot.
pub(crate) fn layout(
    document: &RenderedDocument,
    measure: &impl Measure,
) -> Result<Vec<Page>, DocError> {
    let mut flow = Flow {
        measure,
        pages: Vec::new(),
        items: Vec::new(),
        y: TOP,
        previous: None,
        keep_with: 0.0,
    };
    for (position, block) in document.blocks.iter().enumerate() {
        // A QR code stays on the page of the signature under it (the seal authenticates both).
        flow.keep_with = match (block, document.blocks.get(position + 1)) {
            (RenderedBlock::Qr { .. }, Some(RenderedBlock::Signature(lines))) => {
                flow.signature_height(lines)
            }
            _ => 0.0,
        };
        flow.block(block)?;
    }
    flow.finish_page();
    let total = flow.pages.len();
    let mut pages = flow.pages;
    for (number, page) in pages.iter_mut().enumerate() {
        let text = format!("第 {} 页  共 {total} 页", number + 1);
        let width = text_width(measure, FOOTER, &text);
        page.items.push(Item::Text {
            x: LEFT + (TEXT_WIDTH - width) / 2.0,
            baseline: baseline(FOOTER_TOP, FOOTER),
            face: FOOTER.face,
            size: FOOTER.size,
            text,
            spacing: 0.0,
        });
    }
    Ok(pages)
}

fn text_width(measure: &impl Measure, style: Style, text: &str) -> f32 {
    text.chars()
        .map(|c| measure.advance(style.face, c) * style.size)
        .sum()
}

/// Baseline of a line whose box starts at `top`: the em box is centred in the leading.
fn baseline(top: f32, style: Style) -> f32 {
    top + (style.leading - style.size) / 2.0 + EM_ASCENT * style.size
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Title,
    Other,
    Table,
}

struct Flow<'m, M: Measure> {
    measure: &'m M,
    pages: Vec<Page>,
    items: Vec<Item>,
    y: f32,
    previous: Option<Kind>,
    /// Height of what must stay on the same page as the current block.
    keep_with: f32,
}

impl<M: Measure> Flow<'_, M> {
    fn at_page_top(&self) -> bool {
        self.y <= TOP + 0.01
    }

    fn finish_page(&mut self) {
        if !self.items.is_empty() || self.pages.is_empty() {
            self.pages.push(Page {
                items: std::mem::take(&mut self.items),
            });
        }
        self.y = TOP;
    }

    /// Starts a new page unless `height` still fits (or the page is empty anyway).
    fn ensure(&mut self, height: f32) {
        if self.y + height > BOTTOM + 0.01 && !self.at_page_top() {
            self.finish_page();
        }
    }

    /// Vertical space that disappears at the top of a page.
    fn gap(&mut self, height: f32) {
        if !self.at_page_top() {
            self.y += height;
        }
    }

    fn wrap(&self, style: Style, text: &str, first_width: f32, width: f32) -> Vec<String> {
        let measure = self.measure;
        break_lines(text, first_width, width, |c| {
            measure.advance(style.face, c) * style.size
        })
    }

    fn line(&mut self, style: Style, x: f32, text: String, spacing: f32) {
        self.ensure(style.leading);
        self.items.push(Item::Text {
            x,
            baseline: baseline(self.y, style),
            face: style.face,
            size: style.size,
            text,
            spacing,
        });
        self.y += style.leading;
    }

    fn block(&mut self, block: &RenderedBlock) -> Result<(), DocError> {
        let kind = match block {
            RenderedBlock::Title(_) => Kind::Title,
            RenderedBlock::Table { .. } => Kind::Table,
            _ => Kind::Other,
        };
        match (self.previous, kind) {
            (Some(Kind::Title), Kind::Title) | (None, _) => {}
            (Some(Kind::Title), _) => self.gap(BODY_LEADING * 0.5),
            (_, Kind::Title) => self.gap(BODY_LEADING),
            (Some(Kind::Table), _) | (_, Kind::Table) => self.gap(BODY_LEADING * 0.3),
            _ => {}
        }
        self.previous = Some(kind);
        match block {
            RenderedBlock::Title(text) => self.paragraph(TITLE, text, Align::Center, false),
            RenderedBlock::Heading(text) => {
                self.gap(BODY_LEADING * 0.25);
                // Keep a heading with at least two lines of what follows.
                self.ensure(HEADING.leading + 2.0 * BODY.leading);
                self.paragraph(HEADING, text, Align::Left, false);
            }
            RenderedBlock::Paragraph {
                text,
                align,
                indent,
            } => self.paragraph(BODY, text, *align, *indent),
            RenderedBlock::Table {
                headers,
                widths,
                rows,
            } => self.table(headers, widths, rows),
            RenderedBlock::Signature(lines) => self.signature(lines),
            RenderedBlock::Qr {
                text,
                caption,
                size_mm,
            } => self.qr(text, caption.as_deref(), *size_mm)?,
            RenderedBlock::PageBreak => {
                if !self.at_page_top() {
                    self.finish_page();
                }
            }
        }
        Ok(())
    }

    fn paragraph(&mut self, style: Style, text: &str, align: Align, indent: bool) {
        let indent_width = if indent && matches!(align, Align::Justify | Align::Left) {
            2.0 * style.size
        } else {
            0.0
        };
        let lines = self.wrap(style, text, TEXT_WIDTH - indent_width, TEXT_WIDTH);
        let count = lines.len();
        for (number, line) in lines.into_iter().enumerate() {
            let natural = text_width(self.measure, style, &line);
            let offset = if number == 0 { indent_width } else { 0.0 };
            let (x, spacing) = match align {
                Align::Justify if number + 1 < count => {
                    let gaps = line.chars().count().saturating_sub(1) as f32;
                    let extra = TEXT_WIDTH - offset - natural;
                    let spread =
                        gaps > 0.0 && extra > 0.0 && extra <= MAX_JUSTIFY_EXTRA_EM * style.size;
                    (offset, if spread { extra / gaps } else { 0.0 })
                }
                Align::Justify | Align::Left => (offset, 0.0),
                Align::Center => (((TEXT_WIDTH - natural) / 2.0).max(0.0), 0.0),
                Align::Right => ((TEXT_WIDTH - natural).max(0.0), 0.0),
            };
            self.line(style, LEFT + x, line, spacing);
        }
    }

    /// Signature, seal and date lines: a block set two characters in from the right margin
    /// (落款右空二字), lines flush left within it, kept on one page when it fits on one.
    fn signature(&mut self, lines: &[String]) {
        let right_gap = 2.0 * BODY.size;
        let (block_width, wrapped) = self.signature_lines(lines);
        self.gap(BODY_LEADING * 0.5);
        let height = wrapped.len() as f32 * BODY.leading;
        if height <= TEXT_HEIGHT {
            self.ensure(height);
        }
        let x = LEFT + (TEXT_WIDTH - right_gap - block_width).max(0.0);
        for line in wrapped {
            self.line(BODY, x, line, 0.0);
        }
    }

    fn signature_lines(&self, lines: &[String]) -> (f32, Vec<String>) {
        let right_gap = 2.0 * BODY.size;
        let widest = lines
            .iter()
            .map(|line| text_width(self.measure, BODY, line))
            .fold(0.0, f32::max);
        let block_width = widest.min(TEXT_WIDTH - right_gap);
        let wrapped = lines
            .iter()
            .flat_map(|line| self.wrap(BODY, line, block_width, block_width))
            .collect();
        (block_width, wrapped)
    }

    fn signature_height(&self, lines: &[String]) -> f32 {
        BODY_LEADING * 0.5 + self.signature_lines(lines).1.len() as f32 * BODY.leading
    }

    fn qr(&mut self, text: &str, caption: Option<&str>, size_mm: u16) -> Result<(), DocError> {
        let matrix = QrMatrix::encode(text)?;
        let side = f32::from(size_mm) * MM;
        let caption_lines = caption
            .map(|caption| self.wrap(CAPTION, caption, TEXT_WIDTH, TEXT_WIDTH))
            .unwrap_or_default();
        self.gap(BODY_LEADING * 0.25);
        let own_height = side + caption_lines.len() as f32 * CAPTION.leading;
        self.ensure(if own_height + self.keep_with <= TEXT_HEIGHT {
            own_height + self.keep_with
        } else {
            own_height
        });
        self.items.push(Item::Qr {
            x: LEFT + (TEXT_WIDTH - side) / 2.0,
            y: self.y,
            side,
            matrix,
        });
        self.y += side;
        for line in caption_lines {
            let width = text_width(self.measure, CAPTION, &line);
            self.line(CAPTION, LEFT + (TEXT_WIDTH - width) / 2.0, line, 0.0);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wrap::is_cjk;

    /// Ideographs one em wide, everything else half, as in a CJK font.
    pub(super) struct Grid;

    impl Measure for Grid {
        fn advance(&self, _face: Face, c: char) -> f32 {
            if is_cjk(c) { 1.0 } else { 0.5 }
        }
    }

    pub(super) fn document(blocks: Vec<RenderedBlock>) -> RenderedDocument {
        RenderedDocument {
            name: "测试".into(),
            blocks,
        }
    }

    fn paragraph(text: &str) -> RenderedBlock {
        RenderedBlock::Paragraph {
            text: text.into(),
            align: Align::Justify,
            indent: true,
        }
    }

    pub(super) fn texts(page: &Page) -> Vec<&str> {
        page.items
            .iter()
            .filter_map(|item| match item {
                Item::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn body_lines_hold_28_characters_and_pages_22_lines() {
        // 28 × 15.75 pt = 441 pt ≤ 156 mm (442.2 pt): the 公文 grid.
        let text = "枫".repeat(28 * 30);
        let pages = layout(
            &document(vec![RenderedBlock::Paragraph {
                text,
                align: Align::Left,
                indent: false,
            }]),
            &Grid,
        )
        .unwrap();
        assert_eq!(pages.len(), 2);
        let first = texts(&pages[0]);
        assert_eq!(first.len(), 22 + 1, "22 lines and the page number");
        assert!(first[..22].iter().all(|line| line.chars().count() == 28));
        assert_eq!(first[22], "第 1 页  共 2 页");
        assert_eq!(texts(&pages[1]).len(), 8 + 1);
        assert_eq!(texts(&pages[1])[8], "第 2 页  共 2 页");
    }

    #[test]
    fn first_line_is_indented_two_characters_and_inner_lines_justified() {
        let text = format!("{}，{}", "调".repeat(26), "解".repeat(10));
        let pages = layout(&document(vec![paragraph(&text)]), &Grid).unwrap();
        let lines: Vec<(f32, &str, f32)> = pages[0]
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Text {
                    x, text, spacing, ..
                } if !text.starts_with('第') => Some((*x, text.as_str(), *spacing)),
                _ => None,
            })
            .collect();
        // 26 characters fit after the indent; "，" may not start line 2, so the 26th goes down with it.
        assert_eq!(lines[0].1.chars().count(), 25);
        assert!((lines[0].0 - (LEFT + 2.0 * 15.75)).abs() < 0.01);
        assert!(
            lines[0].2 > 0.0,
            "the short first line is spread to the margin"
        );
        assert!(lines[1].1.starts_with("调，"));
        assert_eq!(lines.last().unwrap().2, 0.0, "the last line is not spread");
    }

    #[test]
    fn signature_block_stays_together_and_right() {
        let mut blocks: Vec<RenderedBlock> = (0..20).map(|_| paragraph("调解")).collect();
        blocks.push(RenderedBlock::Signature(vec![
            "上城区人民调解委员会（印章）".into(),
            "2025年3月5日".into(),
        ]));
        let pages = layout(&document(blocks), &Grid).unwrap();
        assert_eq!(
            pages.len(),
            2,
            "the two lines do not fit under 20 paragraphs and move together"
        );
        let seal = pages[1].items.iter().find_map(|item| match item {
            Item::Text { x, text, .. } if text.starts_with("上城区") => Some(*x),
            _ => None,
        });
        let seal_x = seal.unwrap();
        let width = "上城区人民调解委员会（印章）".chars().count() as f32 * 15.75;
        assert!((seal_x - (LEFT + TEXT_WIDTH - 2.0 * 15.75 - width)).abs() < 0.01);
    }

    #[test]
    fn qr_is_centred_with_its_caption_and_page_breaks_start_pages() {
        let blocks = vec![
            RenderedBlock::Qr {
                text: "2611-4831-0572-9".into(),
                caption: Some("扫码查询".into()),
                size_mm: 30,
            },
            RenderedBlock::PageBreak,
            paragraph("第二页"),
        ];
        let pages = layout(&document(blocks), &Grid).unwrap();
        assert_eq!(pages.len(), 2);
        let (x, side) = pages[0]
            .items
            .iter()
            .find_map(|item| match item {
                Item::Qr { x, side, .. } => Some((*x, *side)),
                _ => None,
            })
            .unwrap();
        assert!((x - (LEFT + (TEXT_WIDTH - side) / 2.0)).abs() < 0.01);
        assert!((side - 30.0 * MM).abs() < 0.01);
        assert_eq!(texts(&pages[0])[0], "扫码查询");
        assert_eq!(texts(&pages[1])[0], "第二页");
    }

    #[test]
    fn an_empty_document_is_one_numbered_page() {
        let pages = layout(&document(vec![]), &Grid).unwrap();
        assert_eq!(pages.len(), 1);
        assert_eq!(texts(&pages[0]), vec!["第 1 页  共 1 页"]);
    }
}
