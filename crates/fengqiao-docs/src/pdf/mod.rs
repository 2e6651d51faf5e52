//! PDF output: lays a rendered document out on A4 pages and writes it with the CJK fonts
//! embedded as subsets (only the glyphs used), so a notice weighs tens of kilobytes, not the
//! 20+ MB of the font collection.

mod draw;
mod layout;

use serde_json::Value;

use crate::error::DocError;
use crate::fonts::FontSet;
use crate::render::{RenderedDocument, render};
use crate::template::Template;

/// Renders `template` with `context` to PDF bytes.
pub fn render_pdf(
    template: &Template,
    context: &Value,
    fonts: &FontSet,
) -> Result<Vec<u8>, DocError> {
    write_pdf(&render(template, context)?, fonts)
}

/// Writes an already rendered document as PDF.
pub fn write_pdf(document: &RenderedDocument, fonts: &FontSet) -> Result<Vec<u8>, DocError> {
    let faces = draw::Faces::open(fonts)?;
    let pages = layout::layout(document, &faces)?;
    draw::draw(&pages, &faces, &document.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::defaults::{default_template, default_templates, sample_context};
    use crate::test_support::{context_with_applicants, fonts_or_skip};

    /// Page objects in the file: `/Type/Page` not followed by `s` (which would be `/Pages`).
    fn page_count(pdf: &[u8]) -> usize {
        let needle = b"/Type/Page";
        pdf.windows(needle.len() + 1)
            .filter(|window| window.starts_with(needle) && window[needle.len()] != b's')
            .count()
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack
            .windows(needle.len())
            .any(|window| window == needle)
    }

    #[test]
    fn every_default_template_renders_to_a_small_pdf_with_subset_fonts() {
        let Some(fonts) =
            fonts_or_skip("every_default_template_renders_to_a_small_pdf_with_subset_fonts")
        else {
            return;
        };
        let context = sample_context();
        for template in default_templates() {
            let pdf = render_pdf(&template, &context, fonts).unwrap();
            assert!(pdf.starts_with(b"%PDF-"), "{}", template.key);
            assert!(page_count(&pdf) >= 1, "{}", template.key);
            // The body face alone is megabytes; only the used glyphs are embedded.
            assert!(
                pdf.len() < 400_000,
                "{} is {} bytes",
                template.key,
                pdf.len()
            );
            assert!(
                pdf.len() * 20 < fonts.regular.file_size(),
                "{}",
                template.key
            );
            // Subset fonts are named with a six-letter tag: /BaseFont/ABCDEF+NotoSerifCJKsc-Regular.
            let subset_tag = pdf.windows(17).any(|w| {
                w.starts_with(b"/BaseFont/")
                    && w[10..16].iter().all(u8::is_ascii_uppercase)
                    && w[16] == b'+'
            });
            assert!(subset_tag, "{} embeds a subset", template.key);
        }
    }

    #[test]
    fn both_faces_are_embedded_as_simplified_chinese_subsets() {
        let Some(fonts) = fonts_or_skip("both_faces_are_embedded_as_simplified_chinese_subsets")
        else {
            return;
        };
        let template = default_template("acceptance_notice").unwrap();
        let pdf = render_pdf(&template, &sample_context(), fonts).unwrap();
        assert_eq!(page_count(&pdf), 2);
        if fonts.regular.family() == "Noto Serif CJK SC" {
            assert!(contains(&pdf, b"+NotoSerifCJKsc-Regular"), "body face");
        }
        if fonts.bold.family() == "Noto Sans CJK SC" {
            assert!(contains(&pdf, b"+NotoSansCJKsc-Bold"), "title face");
        }
    }

    #[test]
    fn a_sixty_party_filing_package_spans_several_pages() {
        let Some(fonts) = fonts_or_skip("a_sixty_party_filing_package_spans_several_pages") else {
            return;
        };
        let small = render_pdf(
            &default_template("filing_package").unwrap(),
            &sample_context(),
            fonts,
        )
        .unwrap();
        let large = render_pdf(
            &default_template("filing_package").unwrap(),
            &context_with_applicants(60),
            fonts,
        )
        .unwrap();
        let (small_pages, large_pages) = (page_count(&small), page_count(&large));
        assert!(large_pages >= 2, "{large_pages} pages");
        // 60 identity paragraphs of 3–4 lines each at 22 lines a page: far more than 5 pages.
        assert!(
            large_pages >= small_pages + 5,
            "{small_pages} → {large_pages}"
        );
    }

    #[test]
    fn a_character_missing_from_the_font_is_named() {
        let Some(fonts) = fonts_or_skip("a_character_missing_from_the_font_is_named") else {
            return;
        };
        let document = RenderedDocument {
            name: "t".into(),
            blocks: vec![crate::render::RenderedBlock::Paragraph {
                text: "当事人\u{E000}".into(),
                align: crate::template::Align::Left,
                indent: false,
            }],
        };
        let message = write_pdf(&document, fonts).unwrap_err().to_string();
        assert!(
            message.contains("has no glyph for `\u{E000}` (U+E000)")
                && message.contains("on page 1"),
            "{message}"
        );
    }

    #[test]
    fn a_placeholder_typo_is_an_error_before_any_layout() {
        let Some(fonts) = fonts_or_skip("a_placeholder_typo_is_an_error_before_any_layout") else {
            return;
        };
        let template = crate::template::Template::from_json(
            r#"{"key":"k","name":"n","blocks":[{"kind":"paragraph","text":"{{#each applicants}}{{nmae}}{{/each}}"}]}"#,
        )
        .unwrap();
        let error = render_pdf(&template, &sample_context(), fonts).unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown placeholder `{{nmae}}` in block 1 (paragraph)"
        );
    }
}
