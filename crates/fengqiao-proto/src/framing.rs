//! What a streaming framer tells a TCP reader about the front of its buffer.

/// The result of scanning the front of a receive buffer. Frames and garbage always start at byte 0:
/// the caller consumes `len` bytes (a frame to decode, or garbage to drop) and scans again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scan {
    /// A complete frame occupies `buf[..len]`.
    Frame { len: usize },
    /// The buffer holds the start of a frame (or nothing); read more bytes.
    NeedMore,
    /// `buf[..len]` cannot start a frame; drop it and scan again.
    Skip { len: usize, reason: SkipReason },
}

/// Why a framer told the reader to drop bytes, for the listener's log and counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// Bytes before the next start marker.
    NoStartMarker,
    /// The declared length is below the smallest possible frame.
    LengthTooShort,
    /// The declared (or accumulated) length is above the listener's maximum frame size.
    TooLong,
    /// The declared length does not end on the protocol's trailer (GT06 `0D 0A`).
    BadTrailer,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoStartMarker => "no start marker",
            Self::LengthTooShort => "declared length too short",
            Self::TooLong => "frame longer than the maximum",
            Self::BadTrailer => "frame does not end with the trailer",
        }
    }
}
