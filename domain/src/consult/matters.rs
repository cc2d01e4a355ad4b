//! Which matters owners decide, by what rule, over which units (民法典 art. 278).

use super::*;

/// Which units a matter may be decided by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScopeRule {
    /// The whole community, chosen buildings, or one stairwell.
    Any,
    /// Only the owners of one stairwell (加装电梯: the owners who share the stairs decide).
    Stairwell,
}

impl ScopeRule {
    pub fn as_str(self) -> &'static str {
        match self {
            ScopeRule::Any => "any",
            ScopeRule::Stairwell => "stairwell",
        }
    }

    pub fn parse(s: &str) -> Option<ScopeRule> {
        match s {
            "any" => Some(ScopeRule::Any),
            "stairwell" => Some(ScopeRule::Stairwell),
            _ => None,
        }
    }
}

/// One row of the matter table: what kind of decision this is and which rule decides it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatterRule {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// Where the rule comes from, e.g. "民法典第二百七十八条第一款第（七）项".
    pub basis_zh: String,
    pub basis_en: String,
    pub quorum: Threshold,
    pub pass: Threshold,
    pub scope: ScopeRule,
}

/// The matters the statute names, as the city ships them. A city adds local rules as rows.
pub fn built_in_matters() -> Vec<MatterRule> {
    let rule =
        |code: &str, zh: &str, en: &str, item: (&str, &str), pass: Threshold, scope: ScopeRule| {
            MatterRule {
                code: code.to_owned(),
                name_zh: zh.to_owned(),
                name_en: en.to_owned(),
                basis_zh: format!("民法典第二百七十八条第一款第（{}）项", item.0),
                basis_en: format!("Civil Code art. 278(1)({})", item.1),
                quorum: Threshold::TWO_THIRDS_OR_MORE,
                pass,
                scope,
            }
        };
    let major = Threshold::THREE_QUARTERS_OR_MORE;
    let other = Threshold::MORE_THAN_HALF;
    vec![
        rule(
            "elevator",
            "加装电梯",
            "Elevator retrofit",
            ("七", "7"),
            major,
            ScopeRule::Stairwell,
        ),
        rule(
            "raise_fund",
            "筹集维修资金",
            "Raise maintenance funds",
            ("六", "6"),
            major,
            ScopeRule::Any,
        ),
        rule(
            "rebuild",
            "改建、重建建筑物及其附属设施",
            "Rebuild buildings or their facilities",
            ("七", "7"),
            major,
            ScopeRule::Any,
        ),
        rule(
            "common_use",
            "改变共有部分用途或利用共有部分经营",
            "Change the use of common parts, or run a business on them",
            ("八", "8"),
            major,
            ScopeRule::Any,
        ),
        rule(
            "use_fund",
            "使用维修资金（管网、外立面等）",
            "Use maintenance funds (pipes, facades…)",
            ("五", "5"),
            other,
            ScopeRule::Any,
        ),
        rule(
            "other",
            "其他共同管理事项（停车、绿化等）",
            "Other common matters (parking, greening…)",
            ("九", "9"),
            other,
            ScopeRule::Any,
        ),
    ]
}

/// Which units of the community a consultation asks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum VoteScope {
    Community,
    Buildings(Vec<String>),
    Stairwell { building: String, stairwell: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScopeProblem {
    /// Chosen buildings, but none named.
    NoBuildings,
    /// One stairwell, but the building or the stairwell is missing.
    NoStairwell,
    /// The matter is decided per stairwell (加装电梯) and the scope is wider.
    MatterNeedsStairwell,
}

impl VoteScope {
    /// From the form: kind "community" | "buildings" | "stairwell"; buildings separated by commas
    /// (either width) or spaces.
    pub fn parse(
        kind: &str,
        buildings: &str,
        building: &str,
        stairwell: &str,
    ) -> Result<VoteScope, ScopeProblem> {
        match kind {
            "buildings" => {
                let list: Vec<String> = buildings
                    .split([',', '，', '、', ' '])
                    .map(str::trim)
                    .filter(|b| !b.is_empty())
                    .map(str::to_owned)
                    .collect();
                if list.is_empty() {
                    Err(ScopeProblem::NoBuildings)
                } else {
                    Ok(VoteScope::Buildings(list))
                }
            }
            "stairwell" => {
                let (b, s) = (building.trim(), stairwell.trim());
                if b.is_empty() || s.is_empty() {
                    Err(ScopeProblem::NoStairwell)
                } else {
                    Ok(VoteScope::Stairwell {
                        building: b.to_owned(),
                        stairwell: s.to_owned(),
                    })
                }
            }
            _ => Ok(VoteScope::Community),
        }
    }

    pub fn fits(&self, rule: ScopeRule) -> Result<(), ScopeProblem> {
        match (rule, self) {
            (ScopeRule::Stairwell, VoteScope::Stairwell { .. }) | (ScopeRule::Any, _) => Ok(()),
            (ScopeRule::Stairwell, _) => Err(ScopeProblem::MatterNeedsStairwell),
        }
    }

    pub fn contains(&self, building: &str, stairwell: &str) -> bool {
        match self {
            VoteScope::Community => true,
            VoteScope::Buildings(list) => list.iter().any(|b| b == building),
            VoteScope::Stairwell {
                building: b,
                stairwell: s,
            } => b == building && s == stairwell,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            VoteScope::Community => "community",
            VoteScope::Buildings(_) => "buildings",
            VoteScope::Stairwell { .. } => "stairwell",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Phases
