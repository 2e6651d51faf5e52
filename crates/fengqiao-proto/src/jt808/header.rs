//! The JT/T 808 message header: id, properties, version, BCD phone number, serial, sub-package info.

use super::escape::EscReader;
use crate::DecodeError;

/// Message ids this crate decodes or sends.
pub mod msg {
    pub const TERMINAL_RESPONSE: u16 = 0x0001;
    pub const HEARTBEAT: u16 = 0x0002;
    pub const LOGOUT: u16 = 0x0003;
    pub const REGISTER: u16 = 0x0100;
    pub const AUTH: u16 = 0x0102;
    pub const LOCATION: u16 = 0x0200;
    pub const LOCATION_BATCH: u16 = 0x0704;
    pub const PLATFORM_RESPONSE: u16 = 0x8001;
    pub const REGISTER_RESPONSE: u16 = 0x8100;
}

const BODY_LEN_MASK: u16 = 0x03FF;
const ENCRYPTION_SHIFT: u16 = 10;
const SUB_PACKAGE_BIT: u16 = 0x2000;
const VERSION_2019_BIT: u16 = 0x4000;

/// Which edition of the standard framed the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// JT/T 808-2013 (also 2011): 6-byte phone number.
    V2013,
    /// JT/T 808-2019: version flag set, a protocol-version byte and a 10-byte phone number.
    V2019 { protocol_version: u8 },
}

impl Version {
    pub fn phone_len(self) -> usize {
        match self {
            Self::V2013 => 6,
            Self::V2019 { .. } => 10,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::V2013 => "2013",
            Self::V2019 { .. } => "2019",
        }
    }
}

/// The terminal's phone number (终端手机号), BCD on the wire: 12 digits (2013) or 20 digits (2019).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Phone {
    bcd: [u8; 10],
    len: u8,
}

/// The phone number was not decimal digits, or too long for its edition.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("phone number must be at most {max_digits} decimal digits, got {given:?}")]
pub struct BadPhone {
    pub given: String,
    pub max_digits: usize,
}

impl Phone {
    /// Left-pads `digits` with zeros to the width of `version` (12 or 20 digits).
    pub fn from_digits(digits: &str, version: Version) -> Result<Self, BadPhone> {
        let width = version.phone_len();
        let max_digits = width * 2;
        let given = digits.as_bytes();
        if given.len() > max_digits || !given.iter().all(u8::is_ascii_digit) {
            return Err(BadPhone {
                given: digits.to_owned(),
                max_digits,
            });
        }
        let padding = max_digits - given.len();
        let nibbles = std::iter::repeat_n(0u8, padding).chain(given.iter().map(|b| b - b'0'));
        let mut bcd = [0u8; 10];
        for (i, nibble) in nibbles.enumerate() {
            if let Some(byte) = bcd.get_mut(i / 2) {
                *byte |= if i % 2 == 0 { nibble << 4 } else { nibble };
            }
        }
        Ok(Self {
            bcd,
            len: u8::try_from(width).unwrap_or(10),
        })
    }

    /// The BCD bytes as sent (6 or 10).
    pub fn bcd(&self) -> &[u8] {
        self.bcd.get(..usize::from(self.len)).unwrap_or(&self.bcd)
    }
}

impl std::fmt::Display for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.bcd()
            .iter()
            .try_for_each(|byte| write!(f, "{:x}{:x}", byte >> 4, byte & 0x0F))
    }
}

/// Present when the message is one part of a larger one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubPackage {
    pub total: u16,
    /// 1-based.
    pub index: u16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub msg_id: u16,
    /// The raw message-properties word (body length, encryption, sub-package and version bits).
    pub properties: u16,
    pub version: Version,
    pub phone: Phone,
    pub serial: u16,
    pub sub_package: Option<SubPackage>,
}

impl Header {
    pub fn body_len(&self) -> usize {
        usize::from(self.properties & BODY_LEN_MASK)
    }

    /// Encryption bits (0 = plain, bit 0 = RSA).
    pub fn encryption(&self) -> u8 {
        u8::try_from((self.properties >> ENCRYPTION_SHIFT) & 0x07).unwrap_or(0)
    }

    /// The properties word for a body of `body_len` bytes with this header's version and sub-package.
    pub(crate) fn properties_for(
        version: Version,
        sub_package: Option<SubPackage>,
        body_len: usize,
    ) -> u16 {
        let mut word = u16::try_from(body_len)
            .unwrap_or(BODY_LEN_MASK)
            .min(BODY_LEN_MASK);
        if sub_package.is_some() {
            word |= SUB_PACKAGE_BIT;
        }
        if matches!(version, Version::V2019 { .. }) {
            word |= VERSION_2019_BIT;
        }
        word
    }

    pub(crate) fn read(r: &mut EscReader<'_>) -> Result<Self, DecodeError> {
        let msg_id = r.u16("message id")?;
        let properties = r.u16("message properties")?;
        let version = if properties & VERSION_2019_BIT != 0 {
            Version::V2019 {
                protocol_version: r.u8("protocol version")?,
            }
        } else {
            Version::V2013
        };
        let phone_at = r.offset();
        let mut bcd = [0u8; 10];
        let width = version.phone_len();
        for slot in bcd.iter_mut().take(width) {
            *slot = r.u8("phone")?;
        }
        if let Some(bad) = bcd.iter().find(|b| (*b >> 4) > 9 || (*b & 0x0F) > 9) {
            return Err(DecodeError::field_value(
                phone_at,
                "phone",
                "not BCD digits",
                u64::from(*bad),
            ));
        }
        let serial = r.u16("serial")?;
        let sub_package = if properties & SUB_PACKAGE_BIT != 0 {
            Some(SubPackage {
                total: r.u16("sub-package total")?,
                index: r.u16("sub-package index")?,
            })
        } else {
            None
        };
        let phone = Phone {
            bcd,
            len: u8::try_from(width).unwrap_or(10),
        };
        Ok(Self {
            msg_id,
            properties,
            version,
            phone,
            serial,
            sub_package,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_pads_and_prints_every_digit() {
        let phone = Phone::from_digits("13511221122", Version::V2013).unwrap();
        assert_eq!(phone.bcd(), &[0x01, 0x35, 0x11, 0x22, 0x11, 0x22]);
        assert_eq!(phone.to_string(), "013511221122");
        let long = Phone::from_digits(
            "866496077582164",
            Version::V2019 {
                protocol_version: 1,
            },
        )
        .unwrap();
        assert_eq!(long.to_string(), "00000866496077582164");
        assert!(Phone::from_digits("1234567890123", Version::V2013).is_err());
        assert!(Phone::from_digits("12a", Version::V2013).is_err());
    }

    #[test]
    fn properties_word() {
        assert_eq!(Header::properties_for(Version::V2013, None, 45), 0x002D);
        let sub = Some(SubPackage { total: 2, index: 1 });
        assert_eq!(
            Header::properties_for(
                Version::V2019 {
                    protocol_version: 1
                },
                sub,
                92
            ),
            0x605C
        );
        assert_eq!(Header::properties_for(Version::V2013, None, 5000), 0x03FF);
    }
}
