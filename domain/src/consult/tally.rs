//! Ballots and the tally: each owner once with all their area, abstain as participation.

use super::*;

/// How results name the answers of a question: a yes/no question's two as (Chinese, English), else
/// the consultation's own options (written in one language by the council).
pub fn answer_labels(options: &[String]) -> Vec<(String, String)> {
    if options.is_empty() {
        vec![("同意".into(), "yes".into()), ("反对".into(), "no".into())]
    } else {
        options.iter().map(|o| (o.clone(), o.clone())).collect()
    }
}

/// What a ballot says: one of the options (for a yes/no question, 0 is 同意 and 1 is 反对), or 弃权.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Choice {
    Option(u16),
    Abstain,
}

impl Choice {
    /// Form value: the option's number, or "abstain".
    pub fn parse(s: &str, option_count: usize) -> Option<Choice> {
        if s == "abstain" {
            return Some(Choice::Abstain);
        }
        let n: u16 = s.trim().parse().ok()?;
        (usize::from(n) < option_count).then_some(Choice::Option(n))
    }

    pub fn form_value(self) -> String {
        match self {
            Choice::Option(n) => n.to_string(),
            Choice::Abstain => "abstain".to_owned(),
        }
    }

    /// Stored as the option number, or -1 for abstain.
    pub fn to_stored(self) -> i64 {
        match self {
            Choice::Option(n) => i64::from(n),
            Choice::Abstain => -1,
        }
    }

    pub fn from_stored(n: i64) -> Option<Choice> {
        match n {
            -1 => Some(Choice::Abstain),
            _ => u16::try_from(n).ok().map(Choice::Option),
        }
    }
}

/// A unit in the consultation's scope, as the tally needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopedUnit {
    pub owner_key: String,
    pub area: Area,
}

/// Area and head count of a group of owners.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Share {
    pub area: AreaSum,
    pub heads: u64,
}

/// One option's support, against the participating owners.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionTally {
    pub support: Share,
    pub area_reached: bool,
    pub heads_reached: bool,
}

impl OptionTally {
    pub fn reached(&self) -> bool {
        self.area_reached && self.heads_reached
    }
}

/// Every figure of an art. 278 decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// All units in scope: the base.
    pub total: Share,
    /// Owners who cast a ballot (abstentions included: abstaining is taking part).
    pub participating: Share,
    pub abstain: Share,
    pub options: Vec<OptionTally>,
    pub quorum: Threshold,
    pub pass: Threshold,
    pub quorum_area_reached: bool,
    pub quorum_heads_reached: bool,
    /// The option decided, if the quorum was reached and exactly one option reached the pass rule.
    pub decided: Option<u16>,
}

impl Tally {
    pub fn quorum_reached(&self) -> bool {
        self.quorum_area_reached && self.quorum_heads_reached
    }
}

/// The tally. `units` are the units in scope; `ballots` maps an owner to their one ballot (owners
/// with no unit in scope are ignored). An owner counts once by head and with all their units' area.
pub fn tally(
    units: &[ScopedUnit],
    ballots: &HashMap<String, Choice>,
    option_count: usize,
    rule: &MatterRule,
) -> Tally {
    // Each owner's area in scope; BTreeMap keeps the arithmetic order stable.
    let mut owners: BTreeMap<&str, i128> = BTreeMap::new();
    for u in units {
        *owners.entry(u.owner_key.as_str()).or_default() += i128::from(u.area.centi());
    }
    let mut total = Share::default();
    let mut participating = Share::default();
    let mut abstain = Share::default();
    let mut support = vec![Share::default(); option_count];
    for (owner, area) in &owners {
        total.area.0 += area;
        total.heads += 1;
        let Some(choice) = ballots.get(*owner) else {
            continue;
        };
        let share = match choice {
            Choice::Abstain => &mut abstain,
            Choice::Option(n) => match support.get_mut(usize::from(*n)) {
                Some(s) => s,
                // A ballot for an option that does not exist is not a ballot.
                None => continue,
            },
        };
        share.area.0 += area;
        share.heads += 1;
        participating.area.0 += area;
        participating.heads += 1;
    }
    let quorum_area_reached = rule.quorum.reached(participating.area.0, total.area.0);
    let quorum_heads_reached = rule
        .quorum
        .reached(i128::from(participating.heads), i128::from(total.heads));
    let options: Vec<OptionTally> = support
        .into_iter()
        .map(|s| OptionTally {
            support: s,
            area_reached: rule.pass.reached(s.area.0, participating.area.0),
            heads_reached: rule
                .pass
                .reached(i128::from(s.heads), i128::from(participating.heads)),
        })
        .collect();
    let mut reached = options
        .iter()
        .enumerate()
        .filter(|(_, o)| o.reached())
        .map(|(i, _)| i);
    let decided = match (
        quorum_area_reached && quorum_heads_reached,
        reached.next(),
        reached.next(),
    ) {
        (true, Some(i), None) => u16::try_from(i).ok(),
        _ => None,
    };
    Tally {
        total,
        participating,
        abstain,
        options,
        quorum: rule.quorum,
        pass: rule.pass,
        quorum_area_reached,
        quorum_heads_reached,
        decided,
    }
}

// ---------------------------------------------------------------------------------------------
// Comments

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stance {
    /// 支持
    Support,
    /// 反对
    Oppose,
    /// 中立
    Neutral,
}

impl Stance {
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Support => "support",
            Stance::Oppose => "oppose",
            Stance::Neutral => "neutral",
        }
    }

    pub fn parse(s: &str) -> Option<Stance> {
        [Stance::Support, Stance::Oppose, Stance::Neutral]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}
