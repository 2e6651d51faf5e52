//! Fengqiao's legal documents: editable templates rendered to docx and PDF, with QR codes.
//!
//! ```text
//! Template (JSON, editable) ─┐
//!                            ├─ render() ─► RenderedDocument ─┬─ write_docx() ─► .docx
//! context (serde_json) ──────┘                                └─ write_pdf(&FontSet) ─► .pdf
//! ```
//!
//! [`default_templates`] gives 受理通知书, 人民调解协议书, 司法确认申请书 and the 立案材料
//! package; [`qr_svg`] / [`qr_png`] draw the 解纷码 lookup QR on its own.

pub mod defaults;
pub mod docx;
pub mod error;
pub mod fonts;
pub mod pdf;
pub mod qr;
pub mod render;
pub mod template;
pub mod wrap;

#[cfg(test)]
mod test_support;

pub use defaults::{default_template, default_templates, sample_context};
pub use docx::{render_docx, write_docx};
pub use error::DocError;
pub use fonts::{FontFace, FontSet};
pub use pdf::{render_pdf, write_pdf};
pub use qr::{QrMatrix, qr_png, qr_svg};
pub use render::{RenderedBlock, RenderedDocument, render};
pub use template::{Align, Block, Column, Template};
