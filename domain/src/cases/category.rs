//! Case categories in the 数字城管 split: 部件 (components: things the city owns, e.g. a manhole cover)
//! and 事件 (events: things that happen, e.g. night barbecue smoke), each in two levels.
//!
//! A code is a kind letter (`B` 部件, `S` 事件) and a two-digit major class (`S04`); a sub-category
//! adds two digits (`S0401`). Only sub-categories carry a department and a time limit.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CategoryKind {
    /// 部件
    Component,
    /// 事件
    Event,
}

impl CategoryKind {
    pub const fn letter(self) -> char {
        match self {
            Self::Component => 'B',
            Self::Event => 'S',
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CategoryError {
    #[error("category code must look like S04 or S0401 (B for 部件, S for 事件), got {0:?}")]
    BadCode(String),
    #[error("time limit must look like 4h, 3wd or 15d with a positive amount, got {0:?}")]
    BadTimeLimit(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CategoryCode(String);

impl CategoryCode {
    pub fn parse(s: &str) -> Result<Self, CategoryError> {
        let bytes = s.as_bytes();
        let kind_ok = matches!(bytes.first(), Some(b'B' | b'S'));
        let digits_ok = bytes.len() > 1 && bytes[1..].iter().all(u8::is_ascii_digit);
        let len_ok = bytes.len() == 3 || bytes.len() == 5;
        // Bytes, not `&s[..]`: a multi-byte character ("B€") must be refused, never split.
        let non_zero = bytes.len() < 3 || &bytes[1..3] != b"00";
        let minor_non_zero = bytes.len() != 5 || &bytes[3..5] != b"00";
        if kind_ok && digits_ok && len_ok && non_zero && minor_non_zero {
            Ok(Self(s.to_owned()))
        } else {
            Err(CategoryError::BadCode(s.to_owned()))
        }
    }

    pub fn kind(&self) -> CategoryKind {
        if self.0.starts_with('B') {
            CategoryKind::Component
        } else {
            CategoryKind::Event
        }
    }

    /// True for a sub-category (the level a report is filed under).
    pub fn is_sub(&self) -> bool {
        self.0.len() == 5
    }

    /// The major class a sub-category belongs to.
    pub fn major(&self) -> CategoryCode {
        CategoryCode(self.0[..3].to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CategoryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CategoryCode {
    type Error = CategoryError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<CategoryCode> for String {
    fn from(c: CategoryCode) -> String {
        c.0
    }
}

/// How a handling time limit is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TimeUnit {
    /// 工作时: hours inside the working day on working days.
    WorkHours,
    /// 工作日: whole working days.
    WorkDays,
    /// 自然日: calendar days.
    NaturalDays,
}

impl TimeUnit {
    pub const fn suffix(self) -> &'static str {
        match self {
            Self::WorkHours => "h",
            Self::WorkDays => "wd",
            Self::NaturalDays => "d",
        }
    }
}

/// A sub-category's handling time limit, e.g. `4h` (4 工作时), `3wd` (3 工作日), `15d` (15 自然日).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TimeLimit {
    pub amount: u32,
    pub unit: TimeUnit,
}

impl TimeLimit {
    pub fn parse(s: &str) -> Result<Self, CategoryError> {
        let bad = || CategoryError::BadTimeLimit(s.to_owned());
        let split = s.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
        let (num, suffix) = s.split_at(split);
        let unit = [
            TimeUnit::WorkHours,
            TimeUnit::WorkDays,
            TimeUnit::NaturalDays,
        ]
        .into_iter()
        .find(|u| u.suffix() == suffix)
        .ok_or_else(bad)?;
        let amount: u32 = num.parse().map_err(|_| bad())?;
        // A limit beyond a year is a data error, not a policy.
        if amount == 0 || amount > 366 {
            return Err(bad());
        }
        Ok(Self { amount, unit })
    }
}

impl fmt::Display for TimeLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.amount, self.unit.suffix())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_in_two_levels() {
        let sub = CategoryCode::parse("S0401").unwrap();
        assert!(sub.is_sub());
        assert_eq!(sub.kind(), CategoryKind::Event);
        assert_eq!(sub.major().as_str(), "S04");
        let major = CategoryCode::parse("B01").unwrap();
        assert!(!major.is_sub());
        assert_eq!(major.kind(), CategoryKind::Component);
    }

    #[test]
    fn bad_codes_are_refused() {
        for bad in [
            "", "S", "S4", "S0", "S040", "S04011", "X0401", "s0401", "S00", "S0400", "S04a1",
        ] {
            assert!(CategoryCode::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn time_limits_round_trip() {
        for s in ["4h", "3wd", "15d", "1h"] {
            assert_eq!(TimeLimit::parse(s).unwrap().to_string(), s);
        }
        assert_eq!(
            TimeLimit::parse("2wd").unwrap(),
            TimeLimit {
                amount: 2,
                unit: TimeUnit::WorkDays
            }
        );
    }

    #[test]
    fn bad_time_limits_are_refused() {
        for bad in [
            "",
            "h",
            "0h",
            "4",
            "4x",
            "-4h",
            "4 h",
            "367d",
            "99999999999h",
        ] {
            assert!(TimeLimit::parse(bad).is_err(), "{bad:?} accepted");
        }
    }
}
