//! Areas in hundredths of a m², their sums, and the thresholds that compare them exactly.

use super::*;

/// A registered exclusive area (专有部分面积), in hundredths of a square metre.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Area(i64);

/// No dwelling in an old community is this big; a larger figure is a typing error.
const MAX_UNIT_CENTI_M2: i64 = 100_000 * 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AreaProblem {
    /// Not a number with at most two decimals.
    Malformed,
    /// Zero or negative.
    NotPositive,
    TooLarge,
}

impl Area {
    /// Parses "89.5", "89.50" or "120": at most two decimals, more than zero.
    pub fn parse(input: &str) -> Result<Area, AreaProblem> {
        let s = input.trim();
        let (negative, s) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
        let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(frac) || frac.len() > 2 || whole.len() > 9
        {
            return Err(AreaProblem::Malformed);
        }
        if s.ends_with('.') {
            return Err(AreaProblem::Malformed);
        }
        let whole: i64 = whole.parse().map_err(|_| AreaProblem::Malformed)?;
        let frac: i64 = format!("{frac:0<2}")
            .parse()
            .map_err(|_| AreaProblem::Malformed)?;
        let centi = whole * 100 + frac;
        if negative || centi == 0 {
            return Err(AreaProblem::NotPositive);
        }
        if centi > MAX_UNIT_CENTI_M2 {
            return Err(AreaProblem::TooLarge);
        }
        Ok(Area(centi))
    }

    pub fn from_centi(centi: i64) -> Area {
        Area(centi)
    }

    pub fn centi(self) -> i64 {
        self.0
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

/// A sum of areas, wide enough for any city.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
pub struct AreaSum(pub i128);

impl fmt::Display for AreaSum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

/// A share threshold: "num/den 以上" (inclusive) or "more than num/den" (过半数 is 1/2, strict).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Threshold {
    pub num: u32,
    pub den: u32,
    pub inclusive: bool,
}

impl Threshold {
    pub const TWO_THIRDS_OR_MORE: Threshold = Threshold {
        num: 2,
        den: 3,
        inclusive: true,
    };
    pub const THREE_QUARTERS_OR_MORE: Threshold = Threshold {
        num: 3,
        den: 4,
        inclusive: true,
    };
    pub const MORE_THAN_HALF: Threshold = Threshold {
        num: 1,
        den: 2,
        inclusive: false,
    };

    /// Whether `part` of `whole` reaches the threshold. Nothing reaches a share of an empty whole.
    pub fn reached(self, part: i128, whole: i128) -> bool {
        if whole <= 0 || self.den == 0 {
            return false;
        }
        let lhs = part * i128::from(self.den);
        let rhs = i128::from(self.num) * whole;
        if self.inclusive {
            lhs >= rhs
        } else {
            lhs > rhs
        }
    }

    /// Whether `part` of `whole` sits exactly on the line (3 of 4 for three quarters): "以上"
    /// includes it, so an inclusive threshold is reached there and "过半数" is not.
    pub fn exactly_at(self, part: i128, whole: i128) -> bool {
        whole > 0 && self.den > 0 && part * i128::from(self.den) == i128::from(self.num) * whole
    }

    /// "≥ 2/3" or "> 1/2", for the result page.
    pub fn text(self) -> String {
        format!(
            "{} {}/{}",
            if self.inclusive { "≥" } else { ">" },
            self.num,
            self.den
        )
    }
}
