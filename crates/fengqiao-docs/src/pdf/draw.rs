//! Drawing laid-out pages with krilla: glyph runs in the embedded (subset) fonts, rules, QR modules.

use krilla::Document;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{GlyphId, KrillaGlyph};

use super::layout::{Face, Item, PAGE_HEIGHT, PAGE_WIDTH, Page};
use crate::error::DocError;
use crate::fonts::{FaceMetrics, FontSet};
use crate::qr::QUIET_ZONE;

const RULE_WIDTH: f32 = 0.6;

/// The metrics of both faces, opened once per document.
pub(crate) struct Faces<'a> {
    pub(crate) fonts: &'a FontSet,
    pub(crate) regular: FaceMetrics<'a>,
    pub(crate) bold: FaceMetrics<'a>,
}

impl<'a> Faces<'a> {
    pub(crate) fn open(fonts: &'a FontSet) -> Result<Faces<'a>, DocError> {
        Ok(Faces {
            fonts,
            regular: fonts.regular.metrics()?,
            bold: fonts.bold.metrics()?,
        })
    }

    fn metrics(&self, face: Face) -> &FaceMetrics<'a> {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
        }
    }

    fn pdf_font(&self, face: Face) -> krilla::text::Font {
        match face {
            Face::Regular => self.fonts.regular.pdf_font().clone(),
            Face::Bold => self.fonts.bold.pdf_font().clone(),
        }
    }
}

impl super::layout::Measure for Faces<'_> {
    fn advance(&self, face: Face, c: char) -> f32 {
        self.metrics(face)
            .glyph(c)
            .map_or(1.0, |(_, advance)| advance)
    }
}

/// Writes the pages as a PDF titled `title`.
pub(crate) fn draw(pages: &[Page], faces: &Faces<'_>, title: &str) -> Result<Vec<u8>, DocError> {
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(title.to_owned())
            .language("zh-CN".to_owned())
            .creator("Fengqiao (枫桥)".to_owned()),
    );
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
        .ok_or_else(|| DocError::Pdf("invalid page size".to_owned()))?;
    for (number, page) in pages.iter().enumerate() {
        let mut pdf_page = document.start_page_with(settings.clone());
        let mut surface = pdf_page.surface();
        for item in &page.items {
            draw_item(&mut surface, item, faces).map_err(|error| match error {
                DocError::MissingGlyph {
                    font,
                    character,
                    code,
                    location,
                } => DocError::MissingGlyph {
                    font,
                    character,
                    code,
                    location: format!("{location} on page {}", number + 1),
                },
                other => other,
            })?;
        }
        surface.finish();
        pdf_page.finish();
    }
    document
        .finish()
        .map_err(|error| DocError::Pdf(error.to_string()))
}

fn draw_item(surface: &mut Surface<'_>, item: &Item, faces: &Faces<'_>) -> Result<(), DocError> {
    match item {
        Item::Text {
            x,
            baseline,
            face,
            size,
            text,
            spacing,
        } => {
            let glyphs = shape(text, faces.metrics(*face), *size, *spacing)?;
            surface.set_fill(Some(Fill::default()));
            surface.set_stroke(None);
            surface.draw_glyphs(
                Point::from_xy(*x, *baseline),
                &glyphs,
                faces.pdf_font(*face),
                text,
                *size,
                false,
            );
        }
        Item::Rule { x1, y1, x2, y2 } => {
            let mut builder = PathBuilder::new();
            builder.move_to(*x1, *y1);
            builder.line_to(*x2, *y2);
            if let Some(path) = builder.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    width: RULE_WIDTH,
                    ..Stroke::default()
                }));
                surface.draw_path(&path);
                surface.set_stroke(None);
            }
        }
        Item::Qr { x, y, side, matrix } => {
            let module = side / (matrix.width() + 2 * QUIET_ZONE) as f32;
            let origin_x = x + QUIET_ZONE as f32 * module;
            let origin_y = y + QUIET_ZONE as f32 * module;
            let mut builder = PathBuilder::new();
            for (column, row, length) in matrix.dark_runs() {
                if let Some(rect) = Rect::from_xywh(
                    origin_x + column as f32 * module,
                    origin_y + row as f32 * module,
                    length as f32 * module,
                    module,
                ) {
                    builder.push_rect(rect);
                }
            }
            if let Some(path) = builder.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(Fill::default()));
                surface.draw_path(&path);
            }
        }
    }
    Ok(())
}

/// One glyph per character with the font's advance (CJK needs no shaping for these documents;
/// Latin kerning is not applied), plus the justification spacing after all but the last.
fn shape(
    text: &str,
    metrics: &FaceMetrics<'_>,
    size: f32,
    spacing: f32,
) -> Result<Vec<KrillaGlyph>, DocError> {
    let count = text.chars().count();
    text.char_indices()
        .enumerate()
        .map(|(position, (start, c))| {
            let (glyph, advance) = metrics.glyph(c).ok_or_else(|| DocError::MissingGlyph {
                font: metrics.family().to_owned(),
                character: c,
                code: u32::from(c),
                location: format!("the line “{text}”"),
            })?;
            let extra = if position + 1 < count {
                spacing / size
            } else {
                0.0
            };
            Ok(KrillaGlyph::new(
                GlyphId::new(glyph.to_u32()),
                advance + extra,
                0.0,
                0.0,
                0.0,
                start..start + c.len_utf8(),
                None,
            ))
        })
        .collect()
}
