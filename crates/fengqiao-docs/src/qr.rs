//! QR codes for the tracking code (解纷码) and lookup links: module matrix, SVG and PNG.

use qrcode::{Color, EcLevel, QrCode};

use crate::error::DocError;

/// Light modules around the symbol, as the QR standard asks for reliable scanning.
pub const QUIET_ZONE: usize = 4;
/// Largest PNG scale (pixels per module) accepted; beyond it images only grow.
pub const MAX_PNG_SCALE: u32 = 64;

/// The modules of a QR symbol, without the quiet zone; `true` is dark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    width: usize,
    dark: Vec<bool>,
}

impl QrMatrix {
    /// Encodes `text` with error correction level M (15% of the symbol may be damaged, enough
    /// for a printed notice that gets folded).
    pub fn encode(text: &str) -> Result<QrMatrix, DocError> {
        let code =
            QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|error| {
                DocError::Qr {
                    // The start is enough to recognise the text; a message must not carry kilobytes.
                    text: text.chars().take(40).collect(),
                    detail: error.to_string(),
                }
            })?;
        Ok(QrMatrix {
            width: code.width(),
            dark: code
                .to_colors()
                .into_iter()
                .map(|color| color == Color::Dark)
                .collect(),
        })
    }

    /// Modules per side.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Whether the module at column `x`, row `y` is dark (false outside the symbol).
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && self.dark.get(y * self.width + x).copied().unwrap_or(false)
    }

    /// Horizontal runs of dark modules as `(x, y, length)`: fewer rectangles to draw than modules.
    pub fn dark_runs(&self) -> Vec<(usize, usize, usize)> {
        let mut runs = Vec::new();
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if self.is_dark(x, y) {
                    let start = x;
                    while x < self.width && self.is_dark(x, y) {
                        x += 1;
                    }
                    runs.push((start, y, x - start));
                } else {
                    x += 1;
                }
            }
        }
        runs
    }
}

/// An SVG image of the QR code for `text`, one unit per module, quiet zone included; scales to
/// any size without blur.
pub fn qr_svg(text: &str) -> Result<String, DocError> {
    let matrix = QrMatrix::encode(text)?;
    let side = matrix.width() + 2 * QUIET_ZONE;
    let mut path = String::new();
    for (x, y, length) in matrix.dark_runs() {
        path.push_str(&format!(
            "M{} {}h{length}v1h-{length}z",
            x + QUIET_ZONE,
            y + QUIET_ZONE
        ));
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" shape-rendering=\"crispEdges\">\
         <rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>"
    ))
}

/// A greyscale PNG of the QR code for `text` at `scale` pixels per module, quiet zone included.
pub fn qr_png(text: &str, scale: u32) -> Result<Vec<u8>, DocError> {
    let matrix = QrMatrix::encode(text)?;
    png_of(&matrix, scale)
}

pub(crate) fn png_of(matrix: &QrMatrix, scale: u32) -> Result<Vec<u8>, DocError> {
    if scale == 0 || scale > MAX_PNG_SCALE {
        return Err(DocError::Png(format!(
            "scale {scale} is outside 1–{MAX_PNG_SCALE}"
        )));
    }
    let scale_px = scale as usize;
    let side_px = (matrix.width() + 2 * QUIET_ZONE) * scale_px;
    let mut pixels = vec![255u8; side_px * side_px];
    for (row, line) in pixels.chunks_mut(side_px).enumerate() {
        let y = row / scale_px;
        for (column, pixel) in line.iter_mut().enumerate() {
            let x = column / scale_px;
            let dark = x >= QUIET_ZONE
                && y >= QUIET_ZONE
                && matrix.is_dark(x - QUIET_ZONE, y - QUIET_ZONE);
            if dark {
                *pixel = 0;
            }
        }
    }
    let side = u32::try_from(side_px)
        .map_err(|_| DocError::Png(format!("image side {side_px} px is too large")))?;
    let mut out = Vec::new();
    let png_error = |error: png::EncodingError| DocError::Png(error.to_string());
    let mut encoder = png::Encoder::new(&mut out, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(png_error)?;
    writer.write_image_data(&pixels).map_err(png_error)?;
    writer.finish().map_err(png_error)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOOKUP: &str = "https://fq.example.gov.cn/q/2611-4831-0572-9";

    fn decode_png(png_bytes: &[u8]) -> String {
        let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buffer).unwrap();
        assert_eq!(info.color_type, png::ColorType::Grayscale);
        let (width, height) = (info.width as usize, info.height as usize);
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
            buffer[y * width + x]
        });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1);
        grids[0].decode().unwrap().1
    }

    #[test]
    fn png_round_trips_through_a_decoder() {
        let png_bytes = qr_png(LOOKUP, 6).unwrap();
        assert!(png_bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert_eq!(decode_png(&png_bytes), LOOKUP);
        assert_eq!(
            decode_png(&qr_png("2611-4831-0572-9", 4).unwrap()),
            "2611-4831-0572-9"
        );
    }

    #[test]
    fn png_size_follows_the_scale_and_quiet_zone() {
        let matrix = QrMatrix::encode(LOOKUP).unwrap();
        let png_bytes = qr_png(LOOKUP, 3).unwrap();
        let reader = png::Decoder::new(std::io::Cursor::new(&png_bytes))
            .read_info()
            .unwrap();
        assert_eq!(reader.info().width as usize, (matrix.width() + 8) * 3);
        assert!(
            qr_png(LOOKUP, 0)
                .unwrap_err()
                .to_string()
                .contains("scale 0 is outside 1–64")
        );
    }

    #[test]
    fn svg_paths_redraw_exactly_the_dark_modules() {
        let matrix = QrMatrix::encode(LOOKUP).unwrap();
        let svg = qr_svg(LOOKUP).unwrap();
        let side = matrix.width() + 8;
        assert!(svg.starts_with(&format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\""
        )));
        assert!(svg.ends_with("\"/></svg>"));
        let d = svg
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .trim_end_matches("\"/></svg>");
        let mut redrawn = vec![false; matrix.width() * matrix.width()];
        for segment in d.split('z').filter(|s| !s.is_empty()) {
            let (position, rest) = segment.trim_start_matches('M').split_once('h').unwrap();
            let (x, y) = position.split_once(' ').unwrap();
            let length: usize = rest.split_once('v').unwrap().0.parse().unwrap();
            let (x, y): (usize, usize) = (
                x.parse::<usize>().unwrap() - 4,
                y.parse::<usize>().unwrap() - 4,
            );
            for dx in 0..length {
                redrawn[y * matrix.width() + x + dx] = true;
            }
        }
        let expected: Vec<bool> = (0..matrix.width() * matrix.width())
            .map(|i| matrix.is_dark(i % matrix.width(), i / matrix.width()))
            .collect();
        assert_eq!(redrawn, expected);
    }

    #[test]
    fn finder_patterns_sit_in_three_corners() {
        let matrix = QrMatrix::encode("2611-4831-0572-9").unwrap();
        let w = matrix.width();
        assert_eq!(w, 21, "a 16-character code fits a version 1 symbol");
        for (x, y) in [(0, 0), (w - 7, 0), (0, w - 7)] {
            assert!(
                matrix.is_dark(x, y)
                    && matrix.is_dark(x + 6, y + 6)
                    && !matrix.is_dark(x + 1, y + 1)
            );
        }
        assert!(!matrix.is_dark(w, 0), "outside the symbol is light");
    }

    #[test]
    fn text_too_long_for_any_symbol_is_an_error() {
        let error = QrMatrix::encode(&"码".repeat(2000)).unwrap_err();
        assert!(
            error.to_string().starts_with("QR code cannot hold"),
            "{error}"
        );
    }
}
