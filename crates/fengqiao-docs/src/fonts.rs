//! The CJK fonts PDFs are set in: loading (.ttf/.otf or a .ttc collection), discovery, metrics.
//!
//! Debian's `fonts-noto-cjk` ships collections (`NotoSerifCJK-Regular.ttc` …) holding the JP, KR,
//! SC, TC and HK faces; glyph shapes differ by region, so the Simplified Chinese face is picked
//! by its family name. The body is set in Noto Serif CJK SC (a 宋体 design) and titles in
//! Noto Sans CJK SC Bold (a 黑体 design), as the docx output asks Word for 宋体 and 黑体.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use skrifa::charmap::Charmap;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::raw::FileRef;
use skrifa::string::StringId;
use skrifa::{FontRef, GlyphId, MetadataProvider};

use crate::error::DocError;

/// Environment variable naming the regular font file, or a directory holding the Noto CJK files.
pub const FONT_PATH_ENV: &str = "FENGQIAO_FONT_PATH";
/// Environment variable naming the bold (title) font file, when `FENGQIAO_FONT_PATH` is a file.
pub const BOLD_FONT_PATH_ENV: &str = "FENGQIAO_FONT_BOLD_PATH";
/// Where Debian's fonts-noto-cjk puts its files.
pub const DEBIAN_NOTO_CJK_DIR: &str = "/usr/share/fonts/opentype/noto";

/// File names tried for the body face, best first (the Debian collections, then single-face OTFs
/// as distributed upstream).
const REGULAR_CANDIDATES: &[&str] = &[
    "NotoSerifCJK-Regular.ttc",
    "NotoSerifCJKsc-Regular.otf",
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKsc-Regular.otf",
];
/// File names tried for the title face, best first.
const BOLD_CANDIDATES: &[&str] = &[
    "NotoSansCJK-Bold.ttc",
    "NotoSansCJKsc-Bold.otf",
    "NotoSerifCJK-Bold.ttc",
    "NotoSerifCJKsc-Bold.otf",
];

/// One font face, loaded in memory (a collection is kept whole; `index` selects the face).
#[derive(Clone)]
pub struct FontFace {
    data: Arc<Vec<u8>>,
    index: u32,
    path: PathBuf,
    family: String,
    pdf_font: krilla::text::Font,
}

impl std::fmt::Debug for FontFace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontFace")
            .field("path", &self.path)
            .field("index", &self.index)
            .field("family", &self.family)
            .field("bytes", &self.data.len())
            .finish()
    }
}

impl FontFace {
    /// Reads a .ttf, .otf or .ttc file; in a collection the Simplified Chinese face is chosen.
    pub fn load(path: &Path) -> Result<FontFace, DocError> {
        let data = std::fs::read(path).map_err(|source| DocError::FontRead {
            path: path.to_owned(),
            source,
        })?;
        FontFace::from_bytes(data, path.to_owned())
    }

    /// Builds a face from font bytes; `path` is only used in messages.
    pub fn from_bytes(data: Vec<u8>, path: PathBuf) -> Result<FontFace, DocError> {
        let invalid = |detail: String| DocError::FontInvalid {
            path: path.clone(),
            detail,
        };
        let (index, family) = choose_face(&data).map_err(invalid)?;
        let data = Arc::new(data);
        let pdf_font = krilla::text::Font::new(krilla::Data::from(Arc::clone(&data)), index)
            .ok_or_else(|| invalid(format!("the PDF writer cannot read face {index}")))?;
        Ok(FontFace {
            data,
            index,
            path,
            family,
            pdf_font,
        })
    }

    /// The file the face was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The face's family name, e.g. `Noto Serif CJK SC`.
    pub fn family(&self) -> &str {
        &self.family
    }

    /// Index of the face in its collection (0 for a single-face file).
    pub fn index(&self) -> u32 {
        self.index
    }

    /// Size of the font file in bytes (the whole collection for a .ttc).
    pub fn file_size(&self) -> usize {
        self.data.len()
    }

    pub(crate) fn pdf_font(&self) -> &krilla::text::Font {
        &self.pdf_font
    }

    pub(crate) fn metrics(&self) -> Result<FaceMetrics<'_>, DocError> {
        let font =
            FontRef::from_index(&self.data, self.index).map_err(|error| DocError::FontInvalid {
                path: self.path.clone(),
                detail: error.to_string(),
            })?;
        let units_per_em = f32::from(
            font.metrics(Size::unscaled(), LocationRef::default())
                .units_per_em,
        );
        Ok(FaceMetrics {
            charmap: font.charmap(),
            glyphs: font.glyph_metrics(Size::unscaled(), LocationRef::default()),
            units_per_em: if units_per_em > 0.0 {
                units_per_em
            } else {
                1000.0
            },
            family: &self.family,
        })
    }
}

/// Picks the face to use: the Simplified Chinese one in a collection, else the only one; the
/// face must map Chinese characters.
fn choose_face(data: &[u8]) -> Result<(u32, String), String> {
    let file = FileRef::new(data)
        .map_err(|error| format!("not an OpenType font or collection: {error}"))?;
    let faces: Vec<(u32, FontRef<'_>)> = match file {
        FileRef::Font(font) => vec![(0, font)],
        FileRef::Collection(collection) => (0..collection.len())
            .filter_map(|index| collection.get(index).ok().map(|font| (index, font)))
            .collect(),
    };
    let described: Vec<(u32, String, bool)> = faces
        .iter()
        .map(|(index, font)| {
            let family = font
                .localized_strings(StringId::FAMILY_NAME)
                .english_or_first()
                .map(|name| name.to_string())
                .unwrap_or_default();
            let has_chinese =
                font.charmap().map('中').is_some() && font.charmap().map('调').is_some();
            (*index, family, has_chinese)
        })
        .collect();
    let is_simplified = |family: &str| family.ends_with(" SC") && !family.contains("Mono");
    described
        .iter()
        .find(|(_, family, has_chinese)| *has_chinese && is_simplified(family))
        .or_else(|| described.iter().find(|(_, _, has_chinese)| *has_chinese))
        .map(|(index, family, _)| (*index, family.clone()))
        .ok_or_else(|| {
            let families: Vec<&str> = described
                .iter()
                .map(|(_, family, _)| family.as_str())
                .collect();
            format!(
                "no face with Chinese glyphs (faces: {})",
                families.join(", ")
            )
        })
}

/// Glyph lookup and advances of one face, in em units.
pub(crate) struct FaceMetrics<'a> {
    charmap: Charmap<'a>,
    glyphs: GlyphMetrics<'a>,
    units_per_em: f32,
    family: &'a str,
}

impl FaceMetrics<'_> {
    /// The glyph for `c` and its advance in em, or `None` when the face lacks it.
    pub(crate) fn glyph(&self, c: char) -> Option<(GlyphId, f32)> {
        let glyph = self.charmap.map(c)?;
        let advance = self
            .glyphs
            .advance_width(glyph)
            .unwrap_or(self.units_per_em);
        Some((glyph, advance / self.units_per_em))
    }

    pub(crate) fn family(&self) -> &str {
        self.family
    }
}

/// The faces a PDF is set in: `regular` for body text, `bold` for titles and headings.
#[derive(Debug, Clone)]
pub struct FontSet {
    pub regular: FontFace,
    pub bold: FontFace,
}

impl FontSet {
    /// Loads the two faces from files (.ttf, .otf or .ttc).
    pub fn from_paths(regular: &Path, bold: &Path) -> Result<FontSet, DocError> {
        let regular_face = FontFace::load(regular)?;
        let bold_face = if bold == regular {
            regular_face.clone()
        } else {
            FontFace::load(bold)?
        };
        Ok(FontSet {
            regular: regular_face,
            bold: bold_face,
        })
    }

    /// Finds the fonts from `FENGQIAO_FONT_PATH` / `FENGQIAO_FONT_BOLD_PATH`, else in Debian's
    /// fonts-noto-cjk directory; see [`FontSet::discover_in`].
    pub fn discover() -> Result<FontSet, DocError> {
        let configured = std::env::var_os(FONT_PATH_ENV)
            .filter(|value| !value.is_empty())
            .map(PathBuf::from);
        let bold = std::env::var_os(BOLD_FONT_PATH_ENV)
            .filter(|value| !value.is_empty())
            .map(PathBuf::from);
        FontSet::discover_in(configured.as_deref(), bold.as_deref())
    }

    /// Finds the fonts given a configured path: a font file (used for titles too unless `bold`
    /// is given), or a directory searched for the Noto CJK file names; `None` searches
    /// [`DEBIAN_NOTO_CJK_DIR`]. The error says what was looked for and how to install it.
    pub fn discover_in(
        configured: Option<&Path>,
        bold: Option<&Path>,
    ) -> Result<FontSet, DocError> {
        let directory = match configured {
            Some(path) if path.is_file() => {
                return FontSet::from_paths(path, bold.unwrap_or(path));
            }
            Some(path) if !path.is_dir() => {
                return Err(DocError::FontMissing {
                    searched: format!("{} ({FONT_PATH_ENV}, which does not exist)", path.display()),
                });
            }
            Some(path) => path.to_owned(),
            None => PathBuf::from(DEBIAN_NOTO_CJK_DIR),
        };
        let first_existing = |names: &[&str]| {
            names
                .iter()
                .map(|name| directory.join(name))
                .find(|path| path.is_file())
        };
        let Some(regular) = first_existing(REGULAR_CANDIDATES) else {
            return Err(DocError::FontMissing {
                searched: format!(
                    "{} in {}",
                    REGULAR_CANDIDATES.join(", "),
                    directory.display()
                ),
            });
        };
        // Without a bold face the titles are set in the regular one rather than failing.
        let bold = bold
            .map(Path::to_owned)
            .or_else(|| first_existing(BOLD_CANDIDATES))
            .unwrap_or_else(|| regular.clone());
        FontSet::from_paths(&regular, &bold)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_directory_names_the_package_and_the_variable() {
        let error = FontSet::discover_in(Some(Path::new("/nonexistent/fonts")), None).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("/nonexistent/fonts"), "{message}");
        assert!(
            message.contains("install fonts-noto-cjk or set FENGQIAO_FONT_PATH"),
            "{message}"
        );
    }

    #[test]
    fn a_directory_without_the_files_lists_what_was_looked_for() {
        let directory = std::env::temp_dir();
        let message = FontSet::discover_in(Some(&directory), None)
            .unwrap_err()
            .to_string();
        assert!(message.contains("NotoSerifCJK-Regular.ttc"), "{message}");
    }

    #[test]
    fn debian_collections_yield_the_simplified_chinese_faces() {
        let Some(fonts) = crate::test_support::fonts_or_skip(
            "debian_collections_yield_the_simplified_chinese_faces",
        ) else {
            return;
        };
        if fonts.regular.path().starts_with(DEBIAN_NOTO_CJK_DIR) {
            assert_eq!(fonts.regular.family(), "Noto Serif CJK SC");
            assert_eq!(fonts.bold.family(), "Noto Sans CJK SC");
            assert!(fonts.regular.path().ends_with("NotoSerifCJK-Regular.ttc"));
            assert!(fonts.bold.path().ends_with("NotoSansCJK-Bold.ttc"));
        }
        let metrics = fonts.regular.metrics().unwrap();
        let (_, ideograph) = metrics.glyph('调').unwrap();
        assert!((ideograph - 1.0).abs() < 1e-6, "ideographs are one em wide");
        let (_, digit) = metrics.glyph('1').unwrap();
        assert!(digit < 0.7, "digits are proportional: {digit}");
    }

    #[test]
    fn bytes_that_are_not_a_font_are_refused_with_the_path() {
        let error =
            FontFace::from_bytes(b"not a font".to_vec(), PathBuf::from("/tmp/x.ttf")).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("font file /tmp/x.ttf is not usable"),
            "{error}"
        );
    }
}
