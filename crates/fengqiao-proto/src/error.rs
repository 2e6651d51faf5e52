//! The one decode error type both protocols return: which part of the frame is wrong, and at which byte.

use serde::Serialize;

/// The part of a frame a [`DecodeError`] blames, for operators reading `fengqiao decode` output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorPart {
    /// Start/end markers, trailer or escape sequences.
    Framing,
    /// A declared length disagrees with the bytes present, or a field runs past the end.
    Length,
    /// CRC-16/X-25 (GT06) or XOR check byte (JT/T 808).
    Checksum,
    /// A field whose value is impossible (bad BCD digit, month 13, latitude over 90°...).
    Field,
}

impl ErrorPart {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Framing => "framing",
            Self::Length => "length",
            Self::Checksum => "checksum",
            Self::Field => "field",
        }
    }
}

/// Why a frame could not be decoded. Offsets count bytes from the start of the frame as received
/// (for JT/T 808: the escaped bytes, so they match the hex an operator pastes).
///
/// Carries only `'static` strings and numbers, so building one never allocates.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("framing: {problem} at byte {offset}")]
    Framing {
        offset: usize,
        problem: &'static str,
    },

    #[error("length: {what} declares {declared} bytes but {actual} are present (byte {offset})")]
    Length {
        offset: usize,
        what: &'static str,
        declared: usize,
        actual: usize,
    },

    #[error("length: field {field} needs {needed} bytes at byte {offset}, only {available} left")]
    Truncated {
        offset: usize,
        field: &'static str,
        needed: usize,
        available: usize,
    },

    #[error("checksum: frame carries {found:#06x}, computed {computed:#06x} (byte {offset})")]
    Checksum {
        offset: usize,
        found: u16,
        computed: u16,
    },

    #[error("field {field}: {problem} (value {value:#x}) at byte {offset}")]
    Field {
        offset: usize,
        field: &'static str,
        problem: &'static str,
        value: u64,
    },
}

impl DecodeError {
    pub fn part(&self) -> ErrorPart {
        match self {
            Self::Framing { .. } => ErrorPart::Framing,
            Self::Length { .. } | Self::Truncated { .. } => ErrorPart::Length,
            Self::Checksum { .. } => ErrorPart::Checksum,
            Self::Field { .. } => ErrorPart::Field,
        }
    }

    /// Byte offset in the received frame where the problem was found.
    pub fn offset(&self) -> usize {
        match self {
            Self::Framing { offset, .. }
            | Self::Length { offset, .. }
            | Self::Truncated { offset, .. }
            | Self::Checksum { offset, .. }
            | Self::Field { offset, .. } => *offset,
        }
    }

    /// The field name for field and truncation errors.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Self::Truncated { field, .. } | Self::Field { field, .. } => Some(field),
            _ => None,
        }
    }

    pub(crate) fn field_value(
        offset: usize,
        field: &'static str,
        problem: &'static str,
        value: u64,
    ) -> Self {
        Self::Field {
            offset,
            field,
            problem,
            value,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_part_field_and_offset() {
        let e = DecodeError::Checksum {
            offset: 32,
            found: 0x8081,
            computed: 0x7377,
        };
        assert_eq!(e.part(), ErrorPart::Checksum);
        assert_eq!(e.offset(), 32);
        assert_eq!(
            e.to_string(),
            "checksum: frame carries 0x8081, computed 0x7377 (byte 32)"
        );

        let e = DecodeError::Truncated {
            offset: 4,
            field: "imei",
            needed: 8,
            available: 3,
        };
        assert_eq!(e.part(), ErrorPart::Length);
        assert_eq!(e.field(), Some("imei"));
        assert_eq!(
            e.to_string(),
            "length: field imei needs 8 bytes at byte 4, only 3 left"
        );

        let e = DecodeError::field_value(5, "time", "month out of range", 13);
        assert_eq!(
            e.to_string(),
            "field time: month out of range (value 0xd) at byte 5"
        );
        assert_eq!(e.part().as_str(), "field");
    }
}
