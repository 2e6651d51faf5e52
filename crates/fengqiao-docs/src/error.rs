//! The one error type of document rendering, each variant naming what is wrong and where.

use std::path::PathBuf;

/// Why a document could not be rendered.
///
/// `location` fields read like `block 3 (paragraph)` or
/// `block 2 (each) › block 1 (table) › column 2 cell`, so an administrator editing a template
/// can find the spot.
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    #[error("template is not valid JSON: {0}")]
    TemplateJson(String),

    #[error("template syntax error in {location}: {detail}")]
    TemplateSyntax { location: String, detail: String },

    #[error("unknown placeholder `{{{{{placeholder}}}}}` in {location}")]
    UnknownPlaceholder {
        placeholder: String,
        location: String,
    },

    #[error(
        "placeholder `{{{{{placeholder}}}}}` in {location} is null; wrap it in {{{{#if {placeholder}}}}}"
    )]
    NullPlaceholder {
        placeholder: String,
        location: String,
    },

    #[error("placeholder `{{{{{placeholder}}}}}` in {location} is {found}, not text or a number")]
    NotText {
        placeholder: String,
        location: String,
        found: &'static str,
    },

    #[error("`{{{{#each {placeholder}}}}}` in {location} needs a list, found {found}")]
    NotAList {
        placeholder: String,
        location: String,
        found: &'static str,
    },

    #[error("QR code cannot hold `{text}`: {detail}")]
    Qr { text: String, detail: String },

    #[error(
        "no CJK font found (looked for {searched}): install fonts-noto-cjk or set \
         FENGQIAO_FONT_PATH (scripts/install-system-deps.sh installs the package)"
    )]
    FontMissing { searched: String },

    #[error("cannot read font file {path}: {source}")]
    FontRead {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("font file {path} is not usable: {detail}")]
    FontInvalid { path: PathBuf, detail: String },

    #[error("the font {font} has no glyph for `{character}` (U+{code:04X}) in {location}")]
    MissingGlyph {
        font: String,
        character: char,
        code: u32,
        location: String,
    },

    #[error("PDF writer failed: {0}")]
    Pdf(String),

    #[error("docx writer failed: {0}")]
    Docx(String),

    #[error("PNG encoder failed: {0}")]
    Png(String),
}
