//! Personal and entity identifiers: resident ID, unified social credit code, mobile number, and their masks.
//!
//! Each identifier is a "parse, don't validate" newtype: the only way to hold one is through
//! `parse`, so a value that exists is valid and normalised. `Display` prints the full value and is
//! meant for deliberate use (storage, a role allowed to reveal it); `Debug` prints the masked form
//! so that logs never leak a full number (PIPL, DOMAIN.md §10). Parse errors describe the problem
//! without echoing the number.

/// Shared trait impls for the string-backed identifiers: full `Display`, masked `Debug`, `FromStr`,
/// `TryFrom<String>` (which serde uses to deserialise, so a bad value fails with the reason) and
/// `Serialize` as the canonical string.
macro_rules! string_identifier_impls {
    ($identifier:ident, $error:ty) => {
        impl std::fmt::Display for $identifier {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::fmt::Debug for $identifier {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_tuple(stringify!($identifier))
                    .field(&format_args!("{}", self.masked()))
                    .finish()
            }
        }

        impl std::str::FromStr for $identifier {
            type Err = $error;
            fn from_str(input: &str) -> Result<Self, Self::Err> {
                Self::parse(input)
            }
        }

        impl TryFrom<String> for $identifier {
            type Error = $error;
            fn try_from(input: String) -> Result<Self, Self::Error> {
                Self::parse(&input)
            }
        }

        impl TryFrom<&str> for $identifier {
            type Error = $error;
            fn try_from(input: &str) -> Result<Self, Self::Error> {
                Self::parse(input)
            }
        }

        impl serde::Serialize for $identifier {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}

mod credit_code;
mod masking;
mod mobile;
mod resident_id;

pub use credit_code::{CreditCode, CreditCodeError};
pub use masking::{mask_id_number, mask_phone};
pub use mobile::{MobileNumber, MobileNumberError};
pub use resident_id::{ResidentId, ResidentIdError, Sex};

/// Maps full-width ASCII variants (０-９, Ｘ, ＋, －, the ideographic space) to their ASCII forms,
/// because Chinese input methods often type them; every other character passes through unchanged.
pub(crate) fn fold_full_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_forms_fold_to_ascii() {
        let folded: String = "０１２９Ｘｘ＋－\u{3000}中"
            .chars()
            .map(fold_full_width)
            .collect();
        assert_eq!(folded, "0129Xx+- 中");
    }
}
