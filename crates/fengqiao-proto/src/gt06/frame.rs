//! GT06 framing: the streaming framer for TCP reads and the envelope check behind `decode_frame`.

use super::content::decode_content;
use super::crc::crc16_x25;
use super::types::{Frame, Framing};
use crate::{DecodeError, Scan, SkipReason, Strictness};

/// Smallest value of the length field: protocol number, serial (2) and CRC (2).
const MIN_LENGTH_FIELD: usize = 5;
const TRAILER: [u8; 2] = [0x0D, 0x0A];

/// Default largest frame a listener accepts. Real GT06 frames are under 300 bytes; 0x7979 frames could
/// declare up to 65,540, which a listener should not buffer for an unauthenticated peer.
pub const DEFAULT_MAX_FRAME_LEN: usize = 1024;

/// Finds GT06 frames at the front of a TCP receive buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Framer {
    pub max_frame_len: usize,
}

impl Default for Framer {
    fn default() -> Self {
        Self {
            max_frame_len: DEFAULT_MAX_FRAME_LEN,
        }
    }
}

impl Framer {
    pub fn new(max_frame_len: usize) -> Self {
        Self { max_frame_len }
    }

    /// Looks at the front of `buf`. Rejects an over-long declared length as soon as the length field has
    /// arrived, without waiting for the body.
    pub fn scan(&self, buf: &[u8]) -> Scan {
        let Some(start) = find_start(buf) else {
            // Keep a lone trailing 0x78/0x79: it may be the first half of a start marker.
            let keep = usize::from(matches!(buf.last(), Some(0x78 | 0x79)));
            let len = buf.len().saturating_sub(keep);
            return if len == 0 {
                Scan::NeedMore
            } else {
                Scan::Skip {
                    len,
                    reason: SkipReason::NoStartMarker,
                }
            };
        };
        if start > 0 {
            return Scan::Skip {
                len: start,
                reason: SkipReason::NoStartMarker,
            };
        }
        let Some((framing, length_field)) = read_length(buf) else {
            return Scan::NeedMore;
        };
        if length_field < MIN_LENGTH_FIELD {
            return Scan::Skip {
                len: 1,
                reason: SkipReason::LengthTooShort,
            };
        }
        let total = header_len(framing) + length_field + TRAILER.len();
        if total > self.max_frame_len {
            return Scan::Skip {
                len: 1,
                reason: SkipReason::TooLong,
            };
        }
        match buf.get(total - 2..total) {
            None => Scan::NeedMore,
            Some(trailer) if trailer == TRAILER => Scan::Frame { len: total },
            Some(_) => Scan::Skip {
                len: 1,
                reason: SkipReason::BadTrailer,
            },
        }
    }
}

fn find_start(buf: &[u8]) -> Option<usize> {
    buf.windows(2)
        .position(|pair| pair == [0x78, 0x78] || pair == [0x79, 0x79])
}

fn header_len(framing: Framing) -> usize {
    match framing {
        Framing::Short => 3,
        Framing::Long => 4,
    }
}

/// Start marker and length field, if enough bytes are present.
fn read_length(buf: &[u8]) -> Option<(Framing, usize)> {
    match buf {
        [0x78, 0x78, len, ..] => Some((Framing::Short, usize::from(*len))),
        [0x79, 0x79, high, low, ..] => Some((
            Framing::Long,
            usize::from(u16::from_be_bytes([*high, *low])),
        )),
        _ => None,
    }
}

/// How to read a frame: checksum strictness and the device's declared time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DecodeOptions {
    pub strictness: Strictness,
    /// Minutes east of UTC of the device clock, from its login (0 = the device sends UTC, the default).
    pub device_utc_offset_minutes: i16,
}

/// Decodes exactly one frame (start marker through `0D 0A`). Never panics, never allocates.
pub fn decode_frame(bytes: &[u8], strictness: Strictness) -> Result<Frame<'_>, DecodeError> {
    decode_frame_with(
        bytes,
        DecodeOptions {
            strictness,
            device_utc_offset_minutes: 0,
        },
    )
}

/// [`decode_frame`] with the device's time zone, for devices whose login declared a local clock.
pub fn decode_frame_with(bytes: &[u8], options: DecodeOptions) -> Result<Frame<'_>, DecodeError> {
    let (framing, length_field) = match read_length(bytes) {
        Some(found) => found,
        None if matches!(bytes, [0x78, 0x78] | [0x79, 0x79] | [0x79, 0x79, _]) => {
            return Err(DecodeError::Length {
                offset: 2,
                what: "frame",
                declared: 0,
                actual: bytes.len(),
            });
        }
        None => {
            return Err(DecodeError::Framing {
                offset: 0,
                problem: "frame must start with 78 78 or 79 79",
            });
        }
    };
    let header = header_len(framing);
    if length_field < MIN_LENGTH_FIELD {
        return Err(DecodeError::Length {
            offset: 2,
            what: "length field (minimum 5)",
            declared: length_field,
            actual: bytes.len().saturating_sub(header + TRAILER.len()),
        });
    }
    let total = header + length_field + TRAILER.len();
    if bytes.len() != total {
        return Err(DecodeError::Length {
            offset: 2,
            what: "length field",
            declared: length_field,
            actual: bytes.len().saturating_sub(header + TRAILER.len()),
        });
    }
    let trailer_at = total - TRAILER.len();
    if bytes.get(trailer_at..) != Some(&TRAILER[..]) {
        return Err(DecodeError::Framing {
            offset: trailer_at,
            problem: "frame must end with 0D 0A",
        });
    }
    let crc_at = trailer_at - 2;
    let serial_at = crc_at - 2;
    let (covered, crc_bytes, serial_bytes, protocol, content) = match (
        bytes.get(2..crc_at),
        bytes.get(crc_at..trailer_at),
        bytes.get(serial_at..crc_at),
        bytes.get(header),
        bytes.get(header + 1..serial_at),
    ) {
        (Some(covered), Some(&[c0, c1]), Some(&[s0, s1]), Some(&protocol), Some(content)) => {
            (covered, [c0, c1], [s0, s1], protocol, content)
        }
        _ => {
            return Err(DecodeError::Length {
                offset: 2,
                what: "frame",
                declared: total,
                actual: bytes.len(),
            });
        }
    };
    let found = u16::from_be_bytes(crc_bytes);
    let computed = crc16_x25(covered);
    let checksum_ok = found == computed;
    if !checksum_ok && options.strictness == Strictness::Strict {
        return Err(DecodeError::Checksum {
            offset: crc_at,
            found,
            computed,
        });
    }
    let message = decode_content(
        protocol,
        content,
        header + 1,
        options.device_utc_offset_minutes,
    )?;
    Ok(Frame {
        framing,
        protocol,
        serial: u16::from_be_bytes(serial_bytes),
        checksum_ok,
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorPart;

    fn hex(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    #[test]
    fn framer_finds_a_frame_skips_garbage_and_waits() {
        let login = hex("78780D01086471700328358100093F040D0A");
        let framer = Framer::default();
        assert_eq!(framer.scan(&login), Scan::Frame { len: 18 });
        assert_eq!(framer.scan(&login[..10]), Scan::NeedMore);
        assert_eq!(framer.scan(&login[..2]), Scan::NeedMore);

        let mut noisy = vec![0x00, 0x11, 0x78];
        noisy.extend_from_slice(&login);
        assert_eq!(
            framer.scan(&noisy),
            Scan::Skip {
                len: 2,
                reason: SkipReason::NoStartMarker
            }
        );
        assert_eq!(
            framer.scan(&[0x01, 0x02, 0x79]),
            Scan::Skip {
                len: 2,
                reason: SkipReason::NoStartMarker
            }
        );
        assert_eq!(framer.scan(&[0x78]), Scan::NeedMore);
        assert_eq!(framer.scan(&[]), Scan::NeedMore);
    }

    #[test]
    fn framer_rejects_bad_lengths_early() {
        let framer = Framer::new(64);
        // 0x7979 declaring 0x1000 bytes: rejected on the 4-byte header alone.
        assert_eq!(
            framer.scan(&[0x79, 0x79, 0x10, 0x00]),
            Scan::Skip {
                len: 1,
                reason: SkipReason::TooLong
            }
        );
        assert_eq!(
            framer.scan(&[0x78, 0x78, 0x04, 0x01]),
            Scan::Skip {
                len: 1,
                reason: SkipReason::LengthTooShort
            }
        );
        let mut bad_trailer = hex("78780D01086471700328358100093F040D0A");
        if let Some(last) = bad_trailer.last_mut() {
            *last = 0x0B;
        }
        assert_eq!(
            framer.scan(&bad_trailer),
            Scan::Skip {
                len: 1,
                reason: SkipReason::BadTrailer
            }
        );
    }

    #[test]
    fn decode_reports_framing_length_and_checksum_errors() {
        let err = decode_frame(&hex("7777050100010000"), Strictness::Strict).unwrap_err();
        assert_eq!((err.part(), err.offset()), (ErrorPart::Framing, 0));

        let err = decode_frame(&hex("78780D0108647170"), Strictness::Strict).unwrap_err();
        assert_eq!(err.part(), ErrorPart::Length);
        assert_eq!(
            err.to_string(),
            "length: length field declares 13 bytes but 3 are present (byte 2)"
        );

        let err = decode_frame(
            &hex("78780D01086471700328358100093F040D0B"),
            Strictness::Strict,
        )
        .unwrap_err();
        assert_eq!((err.part(), err.offset()), (ErrorPart::Framing, 16));

        let err = decode_frame(
            &hex("78780D01086471700328358100093F050D0A"),
            Strictness::Strict,
        )
        .unwrap_err();
        assert_eq!(
            err,
            DecodeError::Checksum {
                offset: 14,
                found: 0x3F05,
                computed: 0x3F04
            }
        );

        let bytes = hex("78780D01086471700328358100093F050D0A");
        let frame = decode_frame(&bytes, Strictness::Lenient).unwrap();
        assert!(!frame.checksum_ok);
        assert_eq!(frame.serial, 9);
    }
}
