//! Mainland China mobile numbers, the identity residents log in with.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "a mobile number has 11 digits and starts with 13 to 19, e.g. 138 0013 8000 (+86 optional)"
)]
pub struct BadPhone;

/// A validated mainland mobile number, kept in E.164 form (`+8613800138000`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    /// Accepts what people type: spaces, dashes, brackets, full-width digits (from a Chinese IME),
    /// and a `+86`, `0086` or `86` prefix.
    pub fn parse(input: &str) -> Result<Phone, BadPhone> {
        let mut digits = String::with_capacity(16);
        let mut plus = false;
        for c in input.trim().chars() {
            match c {
                '0'..='9' => digits.push(c),
                '０'..='９' => digits.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
                // A country-code sign, only before any digit.
                '+' | '＋' if digits.is_empty() && !plus => plus = true,
                ' ' | '-' | '(' | ')' | '\u{3000}' => {}
                _ => return Err(BadPhone),
            }
        }
        let national = if plus {
            // "+" must introduce China's country code; "+1 415…" is not a mainland mobile.
            digits.strip_prefix("86").ok_or(BadPhone)?
        } else {
            digits
                .strip_prefix("0086")
                .or_else(|| digits.strip_prefix("86").filter(|rest| rest.len() == 11))
                .unwrap_or(&digits)
        };
        let bytes = national.as_bytes();
        if bytes.len() == 11 && bytes[0] == b'1' && (b'3'..=b'9').contains(&bytes[1]) {
            Ok(Phone(format!("+86{national}")))
        } else {
            Err(BadPhone)
        }
    }

    pub fn e164(&self) -> &str {
        &self.0
    }

    /// The 11-digit national number.
    pub fn national(&self) -> &str {
        &self.0[3..]
    }

    /// For screens where the number may be seen by others: `138****8000`.
    pub fn masked(&self) -> String {
        let n = self.national();
        format!("{}****{}", &n[..3], &n[7..])
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Phone {
    type Error = BadPhone;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Phone::parse(&s)
    }
}

impl From<Phone> for String {
    fn from(p: Phone) -> String {
        p.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_ways_of_writing_a_number_parse_to_one_form() {
        for input in [
            "13800138000",
            "138 0013 8000",
            "138-0013-8000",
            "+86 138 0013 8000",
            "+8613800138000",
            "008613800138000",
            "8613800138000",
            "１３８００１３８０００",
            "(+86) 13800138000",
        ] {
            assert_eq!(
                Phone::parse(input).unwrap().e164(),
                "+8613800138000",
                "{input:?}"
            );
        }
    }

    #[test]
    fn non_mobile_and_malformed_numbers_are_refused() {
        for input in [
            "",
            "1380013800",   // 10 digits
            "138001380001", // 12 digits
            "12800138000",  // 12x is not a mobile prefix
            "23800138000",  // not starting with 1
            "0592-1234567", // a Xiamen landline
            "+1 415 555 0100",
            "1380013800O", // letter O
            "138 0013 8000 x",
            "+86+13800138000",
            "8612800138000",
        ] {
            assert_eq!(Phone::parse(input), Err(BadPhone), "{input:?} accepted");
        }
    }

    #[test]
    fn masking_hides_the_middle_digits() {
        let p = Phone::parse("13912345678").unwrap();
        assert_eq!(p.masked(), "139****5678");
        assert_eq!(p.national(), "13912345678");
    }
}
