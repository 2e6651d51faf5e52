//! Masks for identifier strings that may be invalid (legacy rows, free text): never panic, never reveal more than a valid mask.

use super::{MobileNumber, ResidentId};

/// Masks anything stored as an ID number. A valid resident ID gets its own mask
/// (`330102********1234`); any other string keeps at most the first 6 and last 4 characters,
/// and proportionally fewer when it is shorter than 18 (a third at the front, two ninths at the
/// back), so a short or malformed value is never more exposed than a real one. Strings under 8
/// characters are hidden entirely. The mask has as many characters as the trimmed input.
pub fn mask_id_number(input: &str) -> String {
    if let Ok(id) = ResidentId::parse(input) {
        return id.masked();
    }
    let chars: Vec<char> = input.trim().chars().collect();
    let length = chars.len();
    if length < 8 {
        return "*".repeat(length);
    }
    mask_middle(&chars, (length / 3).min(6), (length * 2 / 9).min(4))
}

/// Masks anything stored as a phone number. A valid mainland mobile (in any accepted spelling)
/// gets `138****1234`; any other string keeps at most the first 3 and last 4 characters, and
/// proportionally fewer when shorter than 11 (3/11 at the front, 4/11 at the back). Strings under
/// 7 characters are hidden entirely. The mask has as many characters as the trimmed input.
pub fn mask_phone(input: &str) -> String {
    if let Ok(number) = MobileNumber::parse(input) {
        return number.masked();
    }
    let chars: Vec<char> = input.trim().chars().collect();
    let length = chars.len();
    if length < 7 {
        return "*".repeat(length);
    }
    mask_middle(&chars, (length * 3 / 11).min(3), (length * 4 / 11).min(4))
}

/// Keeps `front` leading and `back` trailing characters and stars the rest.
fn mask_middle(chars: &[char], front: usize, back: usize) -> String {
    let hidden_until = chars.len().saturating_sub(back);
    chars
        .iter()
        .enumerate()
        .map(|(index, c)| {
            if index < front || index >= hidden_until {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn valid_values_get_the_standard_masks() {
        assert_eq!(mask_id_number("330102198507141234"), "330102********1234");
        assert_eq!(mask_id_number(" 11010519491231002x "), "110105********002X");
        assert_eq!(mask_phone("+86 138-0013-1234"), "138****1234");
    }

    #[test]
    fn invalid_values_are_masked_at_most_as_much_as_valid_ones() {
        // Bad check character: same shape as a valid mask.
        assert_eq!(mask_id_number("330102198507141235"), "330102********1235");
        // A retired 15-digit ID keeps 5 + 3.
        assert_eq!(mask_id_number("330102850714123"), "33010*******123");
        assert_eq!(mask_id_number("A1234567"), "A1*****7");
        assert_eq!(mask_id_number("1234567"), "*******");
        assert_eq!(mask_id_number(""), "");
        // Landline: 12 characters keep 3 + 4.
        assert_eq!(mask_phone("0571-87654321"), "057******4321");
        assert_eq!(mask_phone("87654321"), "87****21");
        assert_eq!(mask_phone("110"), "***");
        assert_eq!(mask_phone("电话一二三四五六七"), "电话****五六七");
    }

    fn revealed(masked: &str) -> usize {
        masked.chars().filter(|c| *c != '*').count()
    }

    proptest! {
        #[test]
        fn id_mask_never_reveals_more_than_a_valid_mask(input in ".{0,40}") {
            let masked = mask_id_number(&input);
            let length = input.trim().chars().count();
            prop_assert!(masked.chars().count() == length);
            prop_assert!(revealed(&masked) <= 10);
            prop_assert!(revealed(&masked) * 9 <= length * 5);
        }

        #[test]
        fn phone_mask_never_reveals_more_than_a_valid_mask(input in ".{0,30}") {
            let masked = mask_phone(&input);
            prop_assert!(revealed(&masked) <= 7);
            let length = input.trim().chars().count();
            prop_assert!(revealed(&masked) * 11 <= length * 7);
        }

        #[test]
        fn id_mask_hides_the_middle_of_any_digit_string(digits in "[0-9]{8,24}") {
            let masked = mask_id_number(&digits);
            let length = digits.len();
            let front = (length / 3).min(6);
            let back = (length * 2 / 9).min(4);
            prop_assert_eq!(&masked[..front], &digits[..front]);
            prop_assert!(masked[front..length - back].chars().all(|c| c == '*'));
            prop_assert_eq!(&masked[length - back..], &digits[length - back..]);
        }
    }
}
