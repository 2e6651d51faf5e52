//! JT/T 808 framing: the streaming framer for TCP reads, and `decode_frame` (escapes, check byte, header).

use super::body::{Frame, Message, decode_message};
use super::escape::{ESCAPE, EscReader, FLAG, RawBytes};
use super::header::Header;
use crate::{DecodeError, Scan, SkipReason, Strictness};

/// The shortest frame: flag, 12-byte 2013 header, check byte, flag.
pub const MIN_FRAME_LEN: usize = 15;
/// Largest unescaped frame: 2019 header with sub-package (21) + 1023-byte body + check byte.
const MAX_UNESCAPED_LEN: usize = 21 + 1023 + 1;
/// Largest escaped frame (every byte escaped) plus the two flags; the default for a listener.
pub const DEFAULT_MAX_FRAME_LEN: usize = MAX_UNESCAPED_LEN * 2 + 2;

/// Finds JT/T 808 frames (`7E … 7E`) at the front of a TCP receive buffer.
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

    /// Looks at the front of `buf`. A candidate shorter than any real frame is skipped up to its closing
    /// flag, which is then tried as the opening flag of the next frame (resynchronising after garbage).
    pub fn scan(&self, buf: &[u8]) -> Scan {
        match buf.iter().position(|b| *b == FLAG) {
            None if buf.is_empty() => return Scan::NeedMore,
            None => {
                return Scan::Skip {
                    len: buf.len(),
                    reason: SkipReason::NoStartMarker,
                };
            }
            Some(0) => {}
            Some(start) => {
                return Scan::Skip {
                    len: start,
                    reason: SkipReason::NoStartMarker,
                };
            }
        }
        let body = buf.get(1..).unwrap_or_default();
        match body.iter().position(|b| *b == FLAG) {
            Some(end) => {
                let len = end + 2;
                if len < MIN_FRAME_LEN {
                    Scan::Skip {
                        len: end + 1,
                        reason: SkipReason::LengthTooShort,
                    }
                } else if len > self.max_frame_len {
                    Scan::Skip {
                        len: end + 1,
                        reason: SkipReason::TooLong,
                    }
                } else {
                    Scan::Frame { len }
                }
            }
            None if buf.len() >= self.max_frame_len => Scan::Skip {
                len: 1,
                reason: SkipReason::TooLong,
            },
            None => Scan::NeedMore,
        }
    }
}

/// Decodes exactly one frame, flags included. Never panics, never allocates: fields borrow the frame and
/// unescape as they are read.
pub fn decode_frame(bytes: &[u8], strictness: Strictness) -> Result<Frame<'_>, DecodeError> {
    if bytes.first() != Some(&FLAG) {
        return Err(DecodeError::Framing {
            offset: 0,
            problem: "frame must start with 7E",
        });
    }
    let last = bytes.len().saturating_sub(1);
    if last == 0 || bytes.get(last) != Some(&FLAG) {
        return Err(DecodeError::Framing {
            offset: last,
            problem: "frame must end with 7E",
        });
    }
    let inner = bytes.get(1..last).unwrap_or_default();
    let scanned = scan_escapes(inner)?;
    if scanned.unescaped_len < MIN_FRAME_LEN - 2 {
        return Err(DecodeError::Length {
            offset: 1,
            what: "frame (header and check byte, minimum 13)",
            declared: MIN_FRAME_LEN - 2,
            actual: scanned.unescaped_len,
        });
    }
    let check_at = scanned.last_byte_at;
    let found = scanned.last_byte;
    let computed = scanned.xor ^ found;
    let checksum_ok = computed == found;
    if !checksum_ok && strictness == Strictness::Strict {
        return Err(DecodeError::Checksum {
            offset: check_at + 1,
            found: found.into(),
            computed: computed.into(),
        });
    }
    let content_len = scanned.unescaped_len - 1;
    let content = inner.get(..check_at).unwrap_or_default();
    let content = if scanned.has_escape {
        RawBytes::escaped(content, content_len, 1)
    } else {
        RawBytes::plain(content)
    };
    let mut r = EscReader::new(content);
    let header = Header::read(&mut r)?;
    let body = r.rest();
    if body.len() != header.body_len() {
        return Err(DecodeError::Length {
            offset: 3,
            what: "message properties body length",
            declared: header.body_len(),
            actual: body.len(),
        });
    }
    let message = body_message(&header, body)?;
    Ok(Frame {
        header,
        checksum_ok,
        message,
    })
}

/// Decodes a body that arrived outside a single frame: a sub-packaged message reassembled by the caller
/// (concatenated part bodies, in index order), read with the first part's header.
pub fn decode_body<'a>(header: &Header, body: &'a [u8]) -> Result<Message<'a>, DecodeError> {
    let unfragmented = Header {
        sub_package: None,
        ..*header
    };
    body_message(&unfragmented, RawBytes::plain(body))
}

fn body_message<'a>(header: &Header, body: RawBytes<'a>) -> Result<Message<'a>, DecodeError> {
    if header.encryption() != 0 {
        return Ok(Message::Encrypted { body });
    }
    if header.sub_package.is_some_and(|sub| sub.total > 1) {
        return Ok(Message::Fragment { body });
    }
    decode_message(header, body)
}

struct Scanned {
    unescaped_len: usize,
    /// XOR of every unescaped byte, the check byte included.
    xor: u8,
    /// The last unescaped byte (the check byte) and its offset within `inner`.
    last_byte: u8,
    last_byte_at: usize,
    has_escape: bool,
}

/// One pass over the bytes between the flags: rejects stray flags and bad escapes, counts and XORs.
fn scan_escapes(inner: &[u8]) -> Result<Scanned, DecodeError> {
    let mut scanned = Scanned {
        unescaped_len: 0,
        xor: 0,
        last_byte: 0,
        last_byte_at: 0,
        has_escape: false,
    };
    let mut i = 0;
    while let Some(&byte) = inner.get(i) {
        let (value, width) = match byte {
            FLAG => {
                return Err(DecodeError::Framing {
                    offset: i + 1,
                    problem: "7E inside a frame",
                });
            }
            ESCAPE => match inner.get(i + 1) {
                Some(0x01) => (ESCAPE, 2),
                Some(0x02) => (FLAG, 2),
                _ => {
                    return Err(DecodeError::Framing {
                        offset: i + 1,
                        problem: "7D not followed by 01 or 02",
                    });
                }
            },
            other => (other, 1),
        };
        scanned.has_escape |= width == 2;
        scanned.xor ^= value;
        scanned.last_byte = value;
        scanned.last_byte_at = i;
        scanned.unescaped_len += 1;
        i += width;
    }
    Ok(scanned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorPart;

    fn hex(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    const HEARTBEAT: &str = "7e0002000004304832546500b7ca7e";

    #[test]
    fn framer_finds_frames_and_resynchronises() {
        let frame = hex(HEARTBEAT);
        let framer = Framer::default();
        assert_eq!(framer.scan(&frame), Scan::Frame { len: 15 });
        assert_eq!(framer.scan(&frame[..9]), Scan::NeedMore);
        let mut two = frame.clone();
        two.extend_from_slice(&frame);
        assert_eq!(framer.scan(&two), Scan::Frame { len: 15 });
        assert_eq!(
            framer.scan(&[0x01, 0x02, 0x7E]),
            Scan::Skip {
                len: 2,
                reason: SkipReason::NoStartMarker
            }
        );
        // An end flag followed by a start flag: skip the first, keep the second.
        assert_eq!(
            framer.scan(&[0x7E, 0x7E, 0x00]),
            Scan::Skip {
                len: 1,
                reason: SkipReason::LengthTooShort
            }
        );
        let tiny = Framer::new(20);
        assert_eq!(
            tiny.scan(
                &[0x7E; 1]
                    .iter()
                    .chain(&[0u8; 25])
                    .copied()
                    .collect::<Vec<_>>()
            ),
            Scan::Skip {
                len: 1,
                reason: SkipReason::TooLong
            }
        );
    }

    #[test]
    fn decode_names_what_is_wrong() {
        let err =
            decode_frame(&hex("0002000004304832546500b7ca7e"), Strictness::Strict).unwrap_err();
        assert_eq!((err.part(), err.offset()), (ErrorPart::Framing, 0));
        let err = decode_frame(&hex("7e00027e00"), Strictness::Strict).unwrap_err();
        assert_eq!(err.part(), ErrorPart::Framing);
        let err =
            decode_frame(&hex("7e0002000004307d0332546500b7ca7e"), Strictness::Strict).unwrap_err();
        assert_eq!(
            err,
            DecodeError::Framing {
                offset: 7,
                problem: "7D not followed by 01 or 02"
            }
        );
        let err =
            decode_frame(&hex("7e0002000004304832546500b7cb7e"), Strictness::Strict).unwrap_err();
        assert_eq!(
            err,
            DecodeError::Checksum {
                offset: 13,
                found: 0xcb,
                computed: 0xca
            }
        );
        // Body length 1 declared, none present; the check byte (CB) is right for these bytes.
        let err =
            decode_frame(&hex("7e0002000104304832546500b7cb7e"), Strictness::Strict).unwrap_err();
        assert_eq!(err.part(), ErrorPart::Length);
        assert_eq!(err.offset(), 3);
    }

    #[test]
    fn lenient_accepts_a_bad_check_byte_and_marks_it() {
        let bytes = hex("7e0002000004304832546500b7cb7e");
        let frame = decode_frame(&bytes, Strictness::Lenient).unwrap();
        assert!(!frame.checksum_ok);
        assert_eq!(frame.message, Message::Heartbeat);
        assert_eq!(frame.header.serial, 183);
    }
}
