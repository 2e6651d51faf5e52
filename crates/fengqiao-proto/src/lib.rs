//! Binary codecs for the vehicle terminals Fengqiao listens to: GT06 (Concox) and JT/T 808 (2013 and 2019).
//!
//! Each protocol module offers the same four things:
//! - a streaming framer (`Framer::scan`) that a TCP listener calls on its read buffer;
//! - `decode_frame(bytes, Strictness)`, which borrows from the frame and never allocates or panics;
//! - `reply_for(&frame, ..)`, the exact bytes the server must send back;
//! - device-side encoders, used by tests, the simulated device and the benchmark.
//!
//! [`report`] turns a frame into a serialisable summary for the operator CLI (`fengqiao decode`).
//! Pure code: times and serial numbers come in as arguments; nothing here reads a clock or a socket.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

pub mod error;
pub mod framing;
pub mod geo;
pub mod gt06;
pub mod jt808;
mod reader;
pub mod report;

pub use error::{DecodeError, ErrorPart};
pub use framing::{Scan, SkipReason};
pub use geo::Angle;

/// How a decoder treats a frame whose checksum does not match.
///
/// Strict is the default for every listener; a listener configured as lenient accepts the frame and the
/// decoded frame says `checksum_ok: false`, so the record can be flagged (devices with buggy firmware exist).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strictness {
    #[default]
    Strict,
    Lenient,
}

impl Strictness {
    /// `Lenient` when `lenient` is true, for command-line flags and config booleans.
    pub fn from_lenient(lenient: bool) -> Self {
        if lenient { Self::Lenient } else { Self::Strict }
    }
}

/// The terminal protocols this crate speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    Gt06,
    Jt808,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Gt06 => "gt06",
            Self::Jt808 => "jt808",
        }
    }
}

/// The protocol name was not one of `gt06`, `jt808`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown protocol {0:?}: expected gt06 or jt808")]
pub struct UnknownProtocol(pub String);

impl std::str::FromStr for Protocol {
    type Err = UnknownProtocol;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name.to_ascii_lowercase().as_str() {
            "gt06" => Ok(Self::Gt06),
            "jt808" | "jt/t808" | "jtt808" => Ok(Self::Jt808),
            _ => Err(UnknownProtocol(name.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_names_parse_and_print() {
        assert_eq!("GT06".parse::<Protocol>(), Ok(Protocol::Gt06));
        assert_eq!("jt808".parse::<Protocol>(), Ok(Protocol::Jt808));
        assert_eq!(Protocol::Jt808.as_str(), "jt808");
        let err = "tk103".parse::<Protocol>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown protocol \"tk103\": expected gt06 or jt808"
        );
    }

    #[test]
    fn strictness_from_flag() {
        assert_eq!(Strictness::from_lenient(true), Strictness::Lenient);
        assert_eq!(Strictness::from_lenient(false), Strictness::Strict);
        assert_eq!(Strictness::default(), Strictness::Strict);
    }
}
