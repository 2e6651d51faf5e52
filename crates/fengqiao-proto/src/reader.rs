//! A bounds-checked big-endian reader over a byte slice; every read returns an error naming the field.

use crate::DecodeError;

/// Reads big-endian fields from `bytes`. `base` is the offset of `bytes[0]` in the whole frame, so
/// errors point at the byte an operator sees in the hex dump.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8], base: usize) -> Self {
        Self {
            bytes,
            pos: 0,
            base,
        }
    }

    /// Offset in the frame of the next byte to read.
    pub(crate) fn offset(&self) -> usize {
        self.base + self.pos
    }

    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    pub(crate) fn take(&mut self, n: usize, field: &'static str) -> Result<&'a [u8], DecodeError> {
        let end = self.pos.checked_add(n);
        match end.and_then(|end| self.bytes.get(self.pos..end).map(|s| (s, end))) {
            Some((slice, end)) => {
                self.pos = end;
                Ok(slice)
            }
            None => Err(DecodeError::Truncated {
                offset: self.offset(),
                field,
                needed: n,
                available: self.remaining(),
            }),
        }
    }

    pub(crate) fn array<const N: usize>(
        &mut self,
        field: &'static str,
    ) -> Result<[u8; N], DecodeError> {
        let slice = self.take(N, field)?;
        let mut out = [0u8; N];
        out.copy_from_slice(slice);
        Ok(out)
    }

    pub(crate) fn u8(&mut self, field: &'static str) -> Result<u8, DecodeError> {
        Ok(u8::from_be_bytes(self.array::<1>(field)?))
    }

    pub(crate) fn u16(&mut self, field: &'static str) -> Result<u16, DecodeError> {
        Ok(u16::from_be_bytes(self.array::<2>(field)?))
    }

    pub(crate) fn u24(&mut self, field: &'static str) -> Result<u32, DecodeError> {
        let [a, b, c] = self.array::<3>(field)?;
        Ok(u32::from_be_bytes([0, a, b, c]))
    }

    pub(crate) fn u32(&mut self, field: &'static str) -> Result<u32, DecodeError> {
        Ok(u32::from_be_bytes(self.array::<4>(field)?))
    }

    /// An unsigned big-endian integer of 1 to 8 bytes.
    pub(crate) fn uint(&mut self, n: usize, field: &'static str) -> Result<u64, DecodeError> {
        let slice = self.take(n.min(8), field)?;
        Ok(slice.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
    }

    /// Everything not yet read.
    pub(crate) fn rest(&mut self) -> &'a [u8] {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        self.pos = self.bytes.len();
        rest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_big_endian_and_reports_truncation_with_offset() {
        let mut r = Reader::new(&[0x01, 0x02, 0x03, 0x04, 0x05], 10);
        assert_eq!(r.u16("a").unwrap(), 0x0102);
        assert_eq!(r.u24("b").unwrap(), 0x030405);
        assert_eq!(r.remaining(), 0);
        let err = r.u8("c").unwrap_err();
        assert_eq!(
            err,
            DecodeError::Truncated {
                offset: 15,
                field: "c",
                needed: 1,
                available: 0
            }
        );
    }

    #[test]
    fn uint_and_rest() {
        let mut r = Reader::new(&[0x00, 0x0a, 0xbc, 0xde, 0xff], 0);
        assert_eq!(r.uint(3, "x").unwrap(), 0x0abc);
        assert_eq!(r.rest(), &[0xde, 0xff]);
        assert_eq!(r.rest(), &[] as &[u8]);
        assert!(r.take(usize::MAX, "huge").is_err());
    }
}
