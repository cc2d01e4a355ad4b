//! The territory tree of grid management: 区 → 街道/镇 → 社区/村 → 网格.
//!
//! Codes follow the national statistical division codes (统计用区划代码): a district has 6 digits, a
//! street 9 (district + 3), a community 12 (street + 3); a grid cell adds 2 digits to its community (14).
//! The level is therefore implied by the length and the parent is a prefix, which keeps the tree honest.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TerritoryLevel {
    District,
    Street,
    Community,
    Grid,
}

impl TerritoryLevel {
    pub const ALL: [TerritoryLevel; 4] =
        [Self::District, Self::Street, Self::Community, Self::Grid];

    /// The number of digits in a code of this level.
    pub const fn code_len(self) -> usize {
        match self {
            Self::District => 6,
            Self::Street => 9,
            Self::Community => 12,
            Self::Grid => 14,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::District => "district",
            Self::Street => "street",
            Self::Community => "community",
            Self::Grid => "grid",
        }
    }

    pub fn parse(s: &str) -> Result<Self, TerritoryError> {
        Self::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| TerritoryError::UnknownLevel(s.to_owned()))
    }

    /// The level directly above, if any.
    pub const fn parent(self) -> Option<Self> {
        match self {
            Self::District => None,
            Self::Street => Some(Self::District),
            Self::Community => Some(Self::Street),
            Self::Grid => Some(Self::Community),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TerritoryError {
    #[error("territory code must be 6, 9, 12 or 14 digits, got {0:?}")]
    BadCode(String),
    #[error("unknown territory level {0:?}")]
    UnknownLevel(String),
    #[error("territory {child} is not inside {parent}")]
    NotAChild { child: String, parent: String },
}

/// A validated territory code; its level follows from its length.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TerritoryCode(String);

impl TerritoryCode {
    pub fn parse(s: &str) -> Result<Self, TerritoryError> {
        let ok_len = TerritoryLevel::ALL.iter().any(|l| l.code_len() == s.len());
        if ok_len && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(TerritoryError::BadCode(s.to_owned()))
        }
    }

    pub fn level(&self) -> TerritoryLevel {
        TerritoryLevel::ALL
            .into_iter()
            .find(|l| l.code_len() == self.0.len())
            .expect("length checked at parse")
    }

    pub fn parent(&self) -> Option<TerritoryCode> {
        self.level()
            .parent()
            .map(|p| TerritoryCode(self.0[..p.code_len()].to_owned()))
    }

    /// A child code of the next level down, numbered from 1.
    pub fn child(&self, n: u32) -> Result<TerritoryCode, TerritoryError> {
        let width = match self.level() {
            TerritoryLevel::District | TerritoryLevel::Street => 3,
            TerritoryLevel::Community => 2,
            TerritoryLevel::Grid => return Err(TerritoryError::BadCode(format!("{self}/{n}"))),
        };
        let limit = 10u32.pow(width);
        if n == 0 || n >= limit {
            return Err(TerritoryError::BadCode(format!("{self}/{n}")));
        }
        Ok(TerritoryCode(format!(
            "{}{:0width$}",
            self.0,
            n,
            width = width as usize
        )))
    }

    pub fn is_within(&self, ancestor: &TerritoryCode) -> bool {
        self.0.len() >= ancestor.0.len() && self.0.starts_with(&ancestor.0)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TerritoryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for TerritoryCode {
    type Error = TerritoryError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<TerritoryCode> for String {
    fn from(c: TerritoryCode) -> String {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_follows_length_and_parent_is_prefix() {
        let grid = TerritoryCode::parse("35020300100101").unwrap();
        assert_eq!(grid.level(), TerritoryLevel::Grid);
        let community = grid.parent().unwrap();
        assert_eq!(community.as_str(), "350203001001");
        assert_eq!(community.level(), TerritoryLevel::Community);
        let street = community.parent().unwrap();
        assert_eq!(street.as_str(), "350203001");
        let district = street.parent().unwrap();
        assert_eq!(district.as_str(), "350203");
        assert_eq!(district.parent(), None);
        assert!(grid.is_within(&district));
        assert!(!district.is_within(&grid));
    }

    #[test]
    fn children_are_numbered_with_fixed_width() {
        let d = TerritoryCode::parse("350206").unwrap();
        assert_eq!(d.child(2).unwrap().as_str(), "350206002");
        let c = TerritoryCode::parse("350206002001").unwrap();
        assert_eq!(c.child(7).unwrap().as_str(), "35020600200107");
        assert!(c.child(0).is_err());
        assert!(c.child(100).is_err());
        assert!(c.child(7).unwrap().child(1).is_err());
    }

    #[test]
    fn bad_codes_are_refused() {
        for bad in [
            "",
            "35020",
            "3502030",
            "35020a",
            "350203 ",
            "３５０２０３",
            "123456789012345",
        ] {
            assert!(TerritoryCode::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn levels_round_trip_through_text() {
        for l in TerritoryLevel::ALL {
            assert_eq!(TerritoryLevel::parse(l.as_str()).unwrap(), l);
        }
        assert!(TerritoryLevel::parse("province").is_err());
    }
}
