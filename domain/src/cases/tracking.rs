//! Tracking codes residents get for a report, e.g. `XM-2026-000123`.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a tracking code looks like XM-2026-000123")]
pub struct BadTrackingCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TrackingCode {
    pub year: u16,
    pub serial: u32,
}

impl TrackingCode {
    pub const PREFIX: &'static str = "XM";

    /// Accepts what people type: surrounding spaces, lower case, full-width letters and digits (a
    /// Chinese input method's), and the three parts joined by hyphens, dashes, spaces or nothing
    /// (`xm2026000123`). A code with a fourth part is refused rather than guessed at.
    pub fn parse(s: &str) -> Result<Self, BadTrackingCode> {
        let s: String = s
            .trim()
            .chars()
            .map(half_width)
            .collect::<String>()
            .to_ascii_uppercase();
        let parts: Vec<&str> = s
            .split(['-', ' ', '_', '–', '—'])
            .filter(|p| !p.is_empty())
            .collect();
        let joined: String;
        let (prefix, year, serial) = match parts.as_slice() {
            [prefix, year, serial] => (*prefix, *year, *serial),
            // The prefix and the year have fixed lengths, so the serial is the rest; two parts
            // only where a separator falls after the prefix or after the year.
            [_] | [_, _] if parts.len() == 1 || matches!(parts[0].len(), 2 | 6) => {
                joined = parts.concat();
                if joined.len() < 7 || !joined.is_char_boundary(2) || !joined.is_char_boundary(6) {
                    return Err(BadTrackingCode);
                }
                (&joined[..2], &joined[2..6], &joined[6..])
            }
            _ => return Err(BadTrackingCode),
        };
        let digits = |p: &str, min: usize, max: usize| {
            (min..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
        };
        if prefix != Self::PREFIX || !digits(year, 4, 4) || !digits(serial, 6, 9) {
            return Err(BadTrackingCode);
        }
        let year: u16 = year.parse().map_err(|_| BadTrackingCode)?;
        let serial: u32 = serial.parse().map_err(|_| BadTrackingCode)?;
        if !(2000..=2999).contains(&year) || serial == 0 {
            return Err(BadTrackingCode);
        }
        Ok(Self { year, serial })
    }
}

/// Full-width ASCII (U+FF01–U+FF5E) and the ideographic space as their ASCII selves.
fn half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        _ => c,
    }
}

impl fmt::Display for TrackingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{:06}", Self::PREFIX, self.year, self.serial)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_and_print() {
        let c = TrackingCode::parse(" xm-2026-000123 ").unwrap();
        assert_eq!(
            c,
            TrackingCode {
                year: 2026,
                serial: 123
            }
        );
        assert_eq!(c.to_string(), "XM-2026-000123");
        for typed in [
            "XM2026000123",
            "xm 2026 000123",
            "xm2026-000123",
            "XM-2026000123",
            "XM—2026—000123",
            "ｘｍ－２０２６－０００１２３",
            "\u{3000}XM２０２６０００１２３\u{3000}",
        ] {
            assert_eq!(TrackingCode::parse(typed), Ok(c), "{typed:?}");
        }
        assert_eq!(
            TrackingCode {
                year: 2027,
                serial: 1_234_567
            }
            .to_string(),
            "XM-2027-1234567"
        );
    }

    #[test]
    fn malformed_codes_are_refused() {
        for bad in [
            "",
            "XM",
            "XM-2026",
            "XM-2026-123",
            "SZ-2026-000123",
            "XM-26-000123",
            "XM-2026-000000",
            "XM-2026-000123-1",
            "XM-2026-00012a",
            "XM-1999-000123",
            "XM2026123",
            "XM2026",
            "XM20260001231-1",
            "XM 2026 000123 1",
            "中山2026000123",
            "XM-２０２６-00012a",
        ] {
            assert!(TrackingCode::parse(bad).is_err(), "{bad:?} accepted");
        }
    }
}
