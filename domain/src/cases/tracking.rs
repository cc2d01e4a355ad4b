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

    /// Accepts what people type: surrounding spaces and lower case are forgiven.
    pub fn parse(s: &str) -> Result<Self, BadTrackingCode> {
        let s = s.trim().to_ascii_uppercase();
        let mut parts = s.split('-');
        let (Some(prefix), Some(year), Some(serial), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(BadTrackingCode);
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
        ] {
            assert!(TrackingCode::parse(bad).is_err(), "{bad:?} accepted");
        }
    }
}
