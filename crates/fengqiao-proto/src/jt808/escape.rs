//! JT/T 808 escaping (0x7E ↔ 7D 02, 0x7D ↔ 7D 01) read in place: fields borrow the escaped frame and
//! unescape as they are read, so decoding needs neither a copy nor an allocation.

use std::borrow::Cow;

use crate::DecodeError;

pub(crate) const FLAG: u8 = 0x7E;
pub(crate) const ESCAPE: u8 = 0x7D;

/// Bytes of a frame as received, possibly escaped; `len` is the unescaped length.
/// `offset` is where they start in the received frame, for error messages.
#[derive(Clone, Copy)]
pub struct RawBytes<'a> {
    bytes: &'a [u8],
    len: usize,
    offset: usize,
    escaped: bool,
}

impl<'a> RawBytes<'a> {
    /// Plain (never escaped) bytes, e.g. a body reassembled from sub-packages.
    pub fn plain(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            len: bytes.len(),
            offset: 0,
            escaped: false,
        }
    }

    pub(crate) fn escaped(bytes: &'a [u8], len: usize, offset: usize) -> Self {
        Self {
            bytes,
            len,
            offset,
            escaped: true,
        }
    }

    /// Unescaped length.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Offset of the first byte in the received frame.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The unescaped bytes.
    pub fn iter(&self) -> Unescape<'a> {
        Unescape {
            bytes: self.bytes,
            escaped: self.escaped,
        }
    }

    /// The bytes without copying, when they contain no escape sequence.
    pub fn as_plain(&self) -> Option<&'a [u8]> {
        (self.bytes.len() == self.len).then_some(self.bytes)
    }

    /// The unescaped bytes, borrowed when possible.
    pub fn to_cow(&self) -> Cow<'a, [u8]> {
        match self.as_plain() {
            Some(plain) => Cow::Borrowed(plain),
            None => Cow::Owned(self.iter().collect()),
        }
    }

    /// A text field: GBK (a superset of ASCII, the standard's string encoding) with the 0x00 padding of
    /// fixed-width fields and surrounding spaces removed. Invalid sequences become U+FFFD.
    pub fn text(&self) -> String {
        let bytes = self.to_cow();
        let (text, _had_errors) = encoding_rs::GBK.decode_without_bom_handling(&bytes);
        text.trim_matches(|c: char| c == '\0' || c.is_whitespace())
            .to_owned()
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.to_cow())
    }
}

impl PartialEq for RawBytes<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl Eq for RawBytes<'_> {}

impl PartialEq<[u8]> for RawBytes<'_> {
    fn eq(&self, other: &[u8]) -> bool {
        self.len == other.len() && self.iter().eq(other.iter().copied())
    }
}

impl std::fmt::Debug for RawBytes<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RawBytes({})", self.to_hex())
    }
}

/// Iterator over unescaped bytes.
#[derive(Debug, Clone)]
pub struct Unescape<'a> {
    bytes: &'a [u8],
    escaped: bool,
}

impl Iterator for Unescape<'_> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        match self.bytes {
            [ESCAPE, code, rest @ ..] if self.escaped => {
                self.bytes = rest;
                // The frame check already rejected any code other than 01/02.
                Some(if *code == 0x02 { FLAG } else { ESCAPE })
            }
            [byte, rest @ ..] => {
                self.bytes = rest;
                Some(*byte)
            }
            [] => None,
        }
    }
}

/// Reads big-endian fields from escaped bytes; errors name the field and its offset in the received frame.
#[derive(Debug, Clone)]
pub(crate) struct EscReader<'a> {
    bytes: &'a [u8],
    pos: usize,
    base: usize,
    remaining: usize,
    escaped: bool,
}

impl<'a> EscReader<'a> {
    pub(crate) fn new(raw: RawBytes<'a>) -> Self {
        Self {
            bytes: raw.bytes,
            pos: 0,
            base: raw.offset,
            remaining: raw.len,
            escaped: raw.escaped,
        }
    }

    pub(crate) fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// Unescaped bytes left.
    pub(crate) fn remaining(&self) -> usize {
        self.remaining
    }

    fn truncated(&self, field: &'static str, needed: usize) -> DecodeError {
        DecodeError::Truncated {
            offset: self.offset(),
            field,
            needed,
            available: self.remaining,
        }
    }

    fn next(&mut self) -> Option<u8> {
        let byte = *self.bytes.get(self.pos)?;
        self.remaining = self.remaining.checked_sub(1)?;
        if self.escaped && byte == ESCAPE {
            let code = *self.bytes.get(self.pos + 1)?;
            self.pos += 2;
            Some(if code == 0x02 { FLAG } else { ESCAPE })
        } else {
            self.pos += 1;
            Some(byte)
        }
    }

    pub(crate) fn u8(&mut self, field: &'static str) -> Result<u8, DecodeError> {
        if self.remaining < 1 {
            return Err(self.truncated(field, 1));
        }
        self.next().ok_or_else(|| self.truncated(field, 1))
    }

    pub(crate) fn array<const N: usize>(
        &mut self,
        field: &'static str,
    ) -> Result<[u8; N], DecodeError> {
        if self.remaining < N {
            return Err(self.truncated(field, N));
        }
        let mut out = [0u8; N];
        for slot in &mut out {
            *slot = self.next().ok_or_else(|| self.truncated(field, N))?;
        }
        Ok(out)
    }

    pub(crate) fn u16(&mut self, field: &'static str) -> Result<u16, DecodeError> {
        Ok(u16::from_be_bytes(self.array::<2>(field)?))
    }

    pub(crate) fn u32(&mut self, field: &'static str) -> Result<u32, DecodeError> {
        Ok(u32::from_be_bytes(self.array::<4>(field)?))
    }

    /// The next `n` unescaped bytes as a borrowed field.
    pub(crate) fn take(
        &mut self,
        n: usize,
        field: &'static str,
    ) -> Result<RawBytes<'a>, DecodeError> {
        if self.remaining < n {
            return Err(self.truncated(field, n));
        }
        let start = self.pos;
        let offset = self.offset();
        if self.escaped {
            for _ in 0..n {
                self.next().ok_or_else(|| self.truncated(field, n))?;
            }
        } else {
            self.pos += n;
            self.remaining -= n;
        }
        let bytes = self
            .bytes
            .get(start..self.pos)
            .ok_or_else(|| self.truncated(field, n))?;
        Ok(RawBytes {
            bytes,
            len: n,
            offset,
            escaped: self.escaped,
        })
    }

    pub(crate) fn rest(&mut self) -> RawBytes<'a> {
        let bytes = self.bytes.get(self.pos..).unwrap_or_default();
        let raw = RawBytes {
            bytes,
            len: self.remaining,
            offset: self.offset(),
            escaped: self.escaped,
        };
        self.pos = self.bytes.len();
        self.remaining = 0;
        raw
    }
}

/// Escapes `data` into `out`: 0x7E → 7D 02, 0x7D → 7D 01.
pub(crate) fn escape_into(out: &mut Vec<u8>, data: &[u8]) {
    for &byte in data {
        match byte {
            FLAG => out.extend_from_slice(&[ESCAPE, 0x02]),
            ESCAPE => out.extend_from_slice(&[ESCAPE, 0x01]),
            other => out.push(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reader_unescapes_fields_and_keeps_offsets() {
        // 30 7E 08 7D 55 escaped: 30 7D 02 08 7D 01 55
        let escaped = [0x30, 0x7D, 0x02, 0x08, 0x7D, 0x01, 0x55];
        let mut r = EscReader::new(RawBytes::escaped(&escaped, 5, 1));
        assert_eq!(r.u16("a").unwrap(), 0x307E);
        assert_eq!(r.offset(), 4);
        let field = r.take(2, "b").unwrap();
        assert_eq!(field.len(), 2);
        assert!(field == [0x08, 0x7D][..]);
        assert_eq!(field.as_plain(), None);
        assert_eq!(field.to_cow().as_ref(), &[0x08, 0x7D]);
        assert_eq!(r.u8("c").unwrap(), 0x55);
        let err = r.u8("d").unwrap_err();
        assert_eq!(
            err,
            DecodeError::Truncated {
                offset: 8,
                field: "d",
                needed: 1,
                available: 0
            }
        );
    }

    #[test]
    fn plain_bytes_are_not_unescaped() {
        let raw = RawBytes::plain(&[0x7D, 0x02]);
        assert_eq!(raw.iter().collect::<Vec<_>>(), vec![0x7D, 0x02]);
        assert_eq!(raw.as_plain(), Some(&[0x7D, 0x02][..]));
    }

    #[test]
    fn text_decodes_gbk_and_trims_padding() {
        let raw = RawBytes::plain(&[0xCB, 0xD5, b'B', b'A', b'6', 0x00, 0x00]);
        assert_eq!(raw.text(), "苏BA6");
        assert_eq!(raw.to_hex(), "cbd54241360000");
    }

    #[test]
    fn escape_round_trip() {
        let mut out = Vec::new();
        escape_into(&mut out, &[0x7E, 0x01, 0x7D, 0x02]);
        assert_eq!(out, vec![0x7D, 0x02, 0x01, 0x7D, 0x01, 0x02]);
        let raw = RawBytes::escaped(&out, 4, 0);
        assert_eq!(raw.iter().collect::<Vec<_>>(), vec![0x7E, 0x01, 0x7D, 0x02]);
    }
}
