//! Word (docx) output: A4 with 公文 margins, 宋体 body and 黑体 titles (east-Asian font slots),
//! fixed 22-line spacing, tables, the QR code as a PNG picture and "第 X 页 共 Y 页" in the footer.
//!
//! Word lays the text out itself; fonts are named, not embedded, so the document opens with
//! the reader's 宋体/黑体 (Windows: SimSun/SimHei; LibreOffice substitutes Noto CJK).

use std::io::Cursor;

use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, LineSpacing, LineSpacingType, NumPages, PageMargin,
    PageNum, Paragraph, Pic, Run, RunFonts, SpecialIndentType, Table, TableCell, TableLayoutType,
    TableRow, VAlignType, WidthType,
};
use serde_json::Value;

use crate::error::DocError;
use crate::qr::{QUIET_ZONE, QrMatrix, png_of};
use crate::render::{RenderedBlock, RenderedDocument, render};
use crate::template::{Align, Template};

const BODY_FONT: &str = "宋体";
const TITLE_FONT: &str = "黑体";
/// Latin text in the body: the usual companion of 宋体 in Chinese official documents.
const LATIN_FONT: &str = "Times New Roman";
/// Sizes in half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt, 小四 12 pt, 五号 10.5 pt.
const TITLE_SIZE: usize = 44;
const BODY_SIZE: usize = 32;
const FOOTER_SIZE: usize = 28;
const TABLE_SIZE: usize = 24;
const CAPTION_SIZE: usize = 21;
/// A4 in twips (1/20 pt) and the GB/T 9704 margins: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
const PAGE_WIDTH_TWIPS: u32 = 11906;
const PAGE_HEIGHT_TWIPS: u32 = 16838;
const MARGIN_TOP: i32 = 2098;
const MARGIN_BOTTOM: i32 = 1984;
const MARGIN_LEFT: i32 = 1588;
const MARGIN_RIGHT: i32 = 1474;
const TEXT_WIDTH_TWIPS: usize =
    (PAGE_WIDTH_TWIPS as usize) - (MARGIN_LEFT as usize) - (MARGIN_RIGHT as usize);
/// Fixed line pitch of 28.95 pt: 22 lines in the 225 mm text block.
const BODY_LINE_TWIPS: i32 = 579;
/// Two 三号 characters (32 pt) of first-line indent.
const INDENT_TWIPS: i32 = 640;
const EMU_PER_MM: u32 = 36_000;
/// Pixels per QR module in the embedded PNG: sharp when printed at 30 mm.
const QR_PNG_SCALE: u32 = 8;

/// Renders `template` with `context` to docx bytes.
pub fn render_docx(template: &Template, context: &Value) -> Result<Vec<u8>, DocError> {
    write_docx(&render(template, context)?)
}

/// Writes an already rendered document as docx.
pub fn write_docx(document: &RenderedDocument) -> Result<Vec<u8>, DocError> {
    let mut docx = Docx::new()
        .page_size(PAGE_WIDTH_TWIPS, PAGE_HEIGHT_TWIPS)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT)
                .header(851)
                .footer(992),
        )
        .default_fonts(body_fonts())
        .default_size(BODY_SIZE)
        .footer(page_number_footer());
    for block in &document.blocks {
        docx = match block {
            RenderedBlock::Title(text) => docx.add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .line_spacing(LineSpacing::new().after(BODY_LINE_TWIPS.unsigned_abs() / 2))
                    .add_run(
                        Run::new()
                            .add_text(text)
                            .fonts(title_fonts())
                            .size(TITLE_SIZE),
                    ),
            ),
            RenderedBlock::Heading(text) => docx.add_paragraph(
                body_paragraph().keep_next(true).add_run(
                    Run::new()
                        .add_text(text)
                        .fonts(title_fonts())
                        .size(BODY_SIZE),
                ),
            ),
            RenderedBlock::Paragraph {
                text,
                align,
                indent,
            } => {
                let mut paragraph = body_paragraph().align(alignment(*align));
                if *indent && matches!(align, Align::Justify | Align::Left) {
                    paragraph = paragraph.indent(
                        None,
                        Some(SpecialIndentType::FirstLine(INDENT_TWIPS)),
                        None,
                        None,
                    );
                }
                docx.add_paragraph(paragraph.add_run(Run::new().add_text(text)))
            }
            RenderedBlock::Table {
                headers,
                widths,
                rows,
            } => docx.add_table(table(headers, widths, rows)),
            RenderedBlock::Signature(lines) => {
                // Right-aligned with two characters of right indent (落款右空二字).
                let mut docx = docx.add_paragraph(body_paragraph());
                for line in lines {
                    docx = docx.add_paragraph(
                        body_paragraph()
                            .align(AlignmentType::Right)
                            .indent(None, None, Some(INDENT_TWIPS), None)
                            .keep_next(true)
                            .add_run(Run::new().add_text(line)),
                    );
                }
                docx
            }
            RenderedBlock::Qr {
                text,
                caption,
                size_mm,
            } => {
                let matrix = QrMatrix::encode(text)?;
                let png = png_of(&matrix, QR_PNG_SCALE)?;
                let side_px =
                    u32::try_from((matrix.width() + 2 * QUIET_ZONE) * QR_PNG_SCALE as usize)
                        .map_err(|_| DocError::Png("QR image too large".to_owned()))?;
                let side_emu = u32::from(*size_mm) * EMU_PER_MM;
                let picture =
                    Pic::new_with_dimensions(png, side_px, side_px).size(side_emu, side_emu);
                let mut docx = docx.add_paragraph(
                    Paragraph::new()
                        .align(AlignmentType::Center)
                        .keep_next(caption.is_some())
                        .add_run(Run::new().add_image(picture)),
                );
                if let Some(caption) = caption {
                    docx = docx.add_paragraph(
                        Paragraph::new()
                            .align(AlignmentType::Center)
                            .add_run(Run::new().add_text(caption).size(CAPTION_SIZE)),
                    );
                }
                docx
            }
            RenderedBlock::PageBreak => {
                docx.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)))
            }
        };
    }
    let mut out = Cursor::new(Vec::new());
    docx.build()
        .pack(&mut out)
        .map_err(|error| DocError::Docx(error.to_string()))?;
    Ok(out.into_inner())
}

fn body_fonts() -> RunFonts {
    RunFonts::new()
        .east_asia(BODY_FONT)
        .ascii(LATIN_FONT)
        .hi_ansi(LATIN_FONT)
        .cs(LATIN_FONT)
}

fn title_fonts() -> RunFonts {
    RunFonts::new()
        .east_asia(TITLE_FONT)
        .ascii(TITLE_FONT)
        .hi_ansi(TITLE_FONT)
}

fn body_paragraph() -> Paragraph {
    Paragraph::new().align(AlignmentType::Both).line_spacing(
        LineSpacing::new()
            .line_rule(LineSpacingType::Exact)
            .line(BODY_LINE_TWIPS),
    )
}

fn alignment(align: Align) -> AlignmentType {
    match align {
        Align::Justify => AlignmentType::Both,
        Align::Left => AlignmentType::Left,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
    }
}

fn table(headers: &[String], widths: &[u16], rows: &[Vec<String>]) -> Table {
    let total: usize = widths
        .iter()
        .map(|w| usize::from(*w).max(1))
        .sum::<usize>()
        .max(1);
    let grid: Vec<usize> = widths
        .iter()
        .map(|w| usize::from(*w).max(1) * TEXT_WIDTH_TWIPS / total)
        .collect();
    let cell = |text: &str, width: usize, header: bool| {
        let mut run = Run::new().add_text(text).size(TABLE_SIZE);
        if header {
            run = run.fonts(title_fonts());
        }
        TableCell::new()
            .width(width, WidthType::Dxa)
            .vertical_align(VAlignType::Center)
            .add_paragraph(
                Paragraph::new()
                    .align(if header {
                        AlignmentType::Center
                    } else {
                        AlignmentType::Left
                    })
                    .add_run(run),
            )
    };
    let header_row = TableRow::new(
        headers
            .iter()
            .zip(&grid)
            .map(|(text, width)| cell(text, *width, true))
            .collect(),
    )
    .cant_split();
    let mut table_rows = vec![header_row];
    table_rows.extend(rows.iter().map(|row| {
        TableRow::new(
            row.iter()
                .zip(&grid)
                .map(|(text, width)| cell(text, *width, false))
                .collect(),
        )
        .cant_split()
    }));
    Table::new(table_rows)
        .set_grid(grid)
        .layout(TableLayoutType::Fixed)
        .width(TEXT_WIDTH_TWIPS, WidthType::Dxa)
}

fn page_number_footer() -> Footer {
    let text = |t: &str| Run::new().add_text(t).size(FOOTER_SIZE);
    Footer::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .size(FOOTER_SIZE)
            .add_run(text("第 "))
            .add_page_num(PageNum::new())
            .add_run(text(" 页  共 "))
            .add_num_pages(NumPages::new())
            .add_run(text(" 页")),
    )
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;
    use crate::defaults::{default_template, default_templates, sample_context};
    use crate::test_support::context_with_applicants;

    fn unzip(bytes: &[u8], name: &str) -> String {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut file = archive.by_name(name).unwrap();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        text
    }

    #[test]
    fn every_default_template_renders_with_names_and_code() {
        let context = sample_context();
        for template in default_templates() {
            let bytes = render_docx(&template, &context).unwrap();
            assert!(bytes.starts_with(b"PK"), "{} is a zip", template.key);
            let xml = unzip(&bytes, "word/document.xml");
            for name in ["王建军", "李秀英", "陈志强", "杭州江南示范建筑劳务有限公司"]
            {
                assert!(xml.contains(name), "{} lacks {name}", template.key);
            }
            assert!(
                xml.contains("2611-4831-0572-9"),
                "{} lacks the tracking code",
                template.key
            );
            assert!(
                xml.contains(r#"w:eastAsia="黑体""#),
                "{} titles in 黑体",
                template.key
            );
        }
    }

    #[test]
    fn page_setup_fonts_and_footer_follow_the_official_format() {
        let bytes = render_docx(
            &default_template("acceptance_notice").unwrap(),
            &sample_context(),
        )
        .unwrap();
        let xml = unzip(&bytes, "word/document.xml");
        assert!(xml.contains(r#"<w:pgSz w:w="11906" w:h="16838""#), "A4");
        assert!(
            xml.contains(r#"w:top="2098""#) && xml.contains(r#"w:left="1588""#),
            "公文 margins"
        );
        assert!(
            xml.contains(r#"w:line="579" w:lineRule="exact""#),
            "fixed 22-line pitch"
        );
        assert!(xml.contains(r#"w:firstLine="640""#), "two-character indent");
        let styles = unzip(&bytes, "word/styles.xml");
        assert!(styles.contains(r#"w:eastAsia="宋体""#), "body in 宋体");
        let footer = unzip(&bytes, "word/footer1.xml");
        assert!(
            footer.contains("PAGE") && footer.contains("NUMPAGES"),
            "{footer}"
        );
    }

    #[test]
    fn the_qr_code_is_embedded_as_a_png() {
        let bytes = render_docx(
            &default_template("acceptance_notice").unwrap(),
            &sample_context(),
        )
        .unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
        let media: Vec<String> = archive
            .file_names()
            .filter(|n| n.starts_with("word/media/") && !n.ends_with('/'))
            .map(str::to_owned)
            .collect();
        assert_eq!(media.len(), 1, "{media:?}");
        let mut png = Vec::new();
        archive
            .by_name(&media[0])
            .unwrap()
            .read_to_end(&mut png)
            .unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        let xml = unzip(&bytes, "word/document.xml");
        assert!(xml.contains(r#"cx="1080000""#), "30 mm wide: {}", xml.len());
    }

    #[test]
    fn a_sixty_party_package_lists_every_plaintiff() {
        let context = context_with_applicants(60);
        let xml = unzip(
            &render_docx(&default_template("filing_package").unwrap(), &context).unwrap(),
            "word/document.xml",
        );
        let plaintiffs = xml.matches("原告：").count();
        assert_eq!(plaintiffs, 60);
        assert!(
            xml.contains("孙桂兰"),
            "the 60th name (index 59) is present"
        );
    }

    #[test]
    fn a_placeholder_typo_is_an_error_naming_it() {
        let mut template = default_template("mediation_agreement").unwrap();
        if let crate::template::Block::Paragraph { text, .. } = &mut template.blocks[4] {
            *text = "解纷码：{{case.cdoe}}".to_owned();
        }
        let error = render_docx(&template, &sample_context()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown placeholder `{{case.cdoe}}` in block 5 (paragraph)"
        );
    }
}
