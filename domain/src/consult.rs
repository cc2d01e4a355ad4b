//! 共谋: consultations on old-community renovation, the owner roster, and the 民法典 art. 278 tally.
//!
//! 民法典第二百七十八条: a joint decision needs owners holding 2/3 or more (以上, inclusive) of the
//! exclusive area AND 2/3 or more of the owners by head to take part. Items (六)–(八) — raising
//! maintenance funds, rebuilding buildings and their facilities, changing the use of common parts —
//! pass with 3/4 or more of the participating area AND 3/4 or more of the participating heads; other
//! matters with more than half (过半数, strict) of both. Which matter needs which rule is data
//! ([`MatterRule`]), so a city can add a local rule without touching the arithmetic.
//!
//! All arithmetic is exact: areas are integer hundredths of a square metre, and a share is compared
//! by cross-multiplication (`part × den` against `num × whole`), never by a floating-point ratio.

use crate::account::phone::Phone;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Phase {
    /// 草案
    Draft,
    /// 征求意见
    Comment,
    /// 表决
    Vote,
    /// 结束 (voting closed, not yet published)
    Closed,
    /// 结果公示
    Published,
    /// 实施跟进
    FollowUp,
}

impl Phase {
    pub const ALL: [Phase; 6] = [
        Phase::Draft,
        Phase::Comment,
        Phase::Vote,
        Phase::Closed,
        Phase::Published,
        Phase::FollowUp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Draft => "draft",
            Phase::Comment => "comment",
            Phase::Vote => "vote",
            Phase::Closed => "closed",
            Phase::Published => "published",
            Phase::FollowUp => "followup",
        }
    }

    pub fn parse(s: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// The dated phases. Times are Unix milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub comment_from: i64,
    pub vote_from: i64,
    pub vote_until: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScheduleProblem {
    /// The vote opens before comments do.
    VoteBeforeComment,
    /// The vote closes before (or when) it opens.
    CloseBeforeOpen,
}

impl Schedule {
    /// Phases must follow each other: comments open no later than the vote, and the vote lasts.
    pub fn new(
        comment_from: i64,
        vote_from: i64,
        vote_until: i64,
    ) -> Result<Schedule, ScheduleProblem> {
        if vote_from < comment_from {
            return Err(ScheduleProblem::VoteBeforeComment);
        }
        if vote_until <= vote_from {
            return Err(ScheduleProblem::CloseBeforeOpen);
        }
        Ok(Schedule {
            comment_from,
            vote_from,
            vote_until,
        })
    }

    /// The phase at `now`. Dates drive draft → comment → vote → closed; publishing and starting the
    /// follow-up are the council's acts, recorded as times.
    pub fn phase_at(&self, published_at: Option<i64>, followup_at: Option<i64>, now: i64) -> Phase {
        if followup_at.is_some_and(|t| t <= now) {
            Phase::FollowUp
        } else if published_at.is_some_and(|t| t <= now) {
            Phase::Published
        } else if now >= self.vote_until {
            Phase::Closed
        } else if now >= self.vote_from {
            Phase::Vote
        } else if now >= self.comment_from {
            Phase::Comment
        } else {
            Phase::Draft
        }
    }

    /// The council moves a consultation on now: the dates change so the date rule stays the truth.
    /// Only the next dated phase may be started early, and nothing moves backwards.
    pub fn advance_to(&self, to: Phase, now: i64) -> Option<Schedule> {
        let current = self.phase_at(None, None, now);
        let mut next = *self;
        match (current, to) {
            (Phase::Draft, Phase::Comment) => {
                next.comment_from = now;
            }
            (Phase::Draft | Phase::Comment, Phase::Vote) => {
                next.comment_from = next.comment_from.min(now);
                next.vote_from = now;
                next.vote_until = next.vote_until.max(now + 1);
            }
            (Phase::Vote, Phase::Closed) => {
                next.vote_until = now;
            }
            _ => return None,
        }
        Some(next)
    }
}

// ---------------------------------------------------------------------------------------------
// The roster

/// The developer's unsold units count as one owner in total.
pub const DEVELOPER_OWNER_KEY: &str = "developer";

/// One unit of the roster, as imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterRow {
    /// The line in the file, for messages.
    pub line: usize,
    pub building: String,
    pub stairwell: String,
    pub unit: String,
    pub owner_name: String,
    pub phone: Option<Phone>,
    pub area: Area,
    pub developer_unsold: bool,
}

impl RosterRow {
    /// Who counts as one head. The developer is one owner for all its unsold units; an owner with a
    /// phone is that phone; an owner without one is their name as written in the roster (the
    /// council writes one person's name the same way on each unit, and tells namesakes apart).
    pub fn owner_key(&self) -> String {
        owner_key(self.developer_unsold, self.phone.as_ref(), &self.owner_name)
    }
}

pub fn owner_key(developer_unsold: bool, phone: Option<&Phone>, owner_name: &str) -> String {
    if developer_unsold {
        DEVELOPER_OWNER_KEY.to_owned()
    } else if let Some(p) = phone {
        format!("tel:{}", p.e164())
    } else {
        format!("name:{}", owner_name.trim())
    }
}

/// What is wrong with one line of a roster file (line 1 is the header).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterProblem {
    pub line: usize,
    pub kind: RosterProblemKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RosterProblemKind {
    /// The file is not UTF-8 text (e.g. saved as GBK): save it as "CSV UTF-8".
    NotUtf8,
    /// No header, or no units.
    Empty,
    /// A required column is missing from the header: its expected name.
    MissingColumn(String),
    /// A line with a different number of fields from the header.
    FieldCount {
        expected: usize,
        found: usize,
    },
    /// A required field is empty: the column.
    EmptyField(String),
    BadArea(AreaProblem),
    BadPhone(String),
    BadFlag(String),
    /// A unit listed twice; the line where it first appeared.
    DuplicateUnit {
        first_line: usize,
    },
    /// An unterminated quoted field.
    Unquoted,
    TooManyRows,
}

/// A community roster is at most this many units; a bigger file is a mistake (or a city's list).
pub const MAX_ROSTER_ROWS: usize = 200_000;

/// The columns, in any order, by their Chinese or English header names.
const COLUMNS: [(&str, &[&str]); 7] = [
    ("楼栋", &["楼栋", "楼号", "building"]),
    ("单元", &["单元", "梯", "楼梯", "stairwell"]),
    ("房号", &["房号", "户号", "unit"]),
    ("业主姓名", &["业主姓名", "业主", "owner_name", "owner"]),
    ("手机号", &["手机号", "手机", "电话", "phone"]),
    (
        "专有面积",
        &["专有面积", "专有部分面积", "面积", "area_m2", "area"],
    ),
    ("开发商未售", &["开发商未售", "未售", "developer_unsold"]),
];

/// Reads a roster exported from a spreadsheet as CSV. Every line is checked and every problem is
/// reported; the rows come back only if there is none (the import is all or nothing).
pub fn parse_roster(bytes: &[u8]) -> Result<Vec<RosterRow>, Vec<RosterProblem>> {
    let problem = |line, kind| vec![RosterProblem { line, kind }];
    let text = std::str::from_utf8(bytes).map_err(|_| problem(0, RosterProblemKind::NotUtf8))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let records = split_csv(text).map_err(|line| problem(line, RosterProblemKind::Unquoted))?;
    let mut records = records
        .into_iter()
        .filter(|(_, fields)| fields.iter().any(|f| !f.trim().is_empty()));
    let Some((header_line, header)) = records.next() else {
        return Err(problem(1, RosterProblemKind::Empty));
    };
    let mut index = [0usize; 7];
    let mut problems = Vec::new();
    for (slot, (name, aliases)) in COLUMNS.iter().enumerate() {
        match header
            .iter()
            .position(|h| aliases.iter().any(|a| h.trim().eq_ignore_ascii_case(a)))
        {
            Some(i) => index[slot] = i,
            None => problems.push(RosterProblem {
                line: header_line,
                kind: RosterProblemKind::MissingColumn((*name).to_owned()),
            }),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut rows = Vec::new();
    let mut seen: HashMap<(String, String, String), usize> = HashMap::new();
    for (line, fields) in records {
        if rows.len() + problems.len() >= MAX_ROSTER_ROWS {
            return Err(problem(line, RosterProblemKind::TooManyRows));
        }
        if fields.len() != header.len() {
            problems.push(RosterProblem {
                line,
                kind: RosterProblemKind::FieldCount {
                    expected: header.len(),
                    found: fields.len(),
                },
            });
            continue;
        }
        let field = |slot: usize| fields[index[slot]].trim().to_owned();
        let mut line_problems = Vec::new();
        let mut required = |slot: usize| {
            let v = field(slot);
            if v.is_empty() {
                line_problems.push(RosterProblemKind::EmptyField(COLUMNS[slot].0.to_owned()));
            }
            v
        };
        let (building, stairwell, unit) = (required(0), required(1), required(2));
        let developer_unsold = match field(6).to_lowercase().as_str() {
            "" | "否" | "0" | "no" | "n" | "false" => Some(false),
            "是" | "1" | "yes" | "y" | "true" => Some(true),
            other => {
                line_problems.push(RosterProblemKind::BadFlag(other.to_owned()));
                None
            }
        };
        let owner_name = field(3);
        if owner_name.is_empty() && developer_unsold == Some(false) {
            line_problems.push(RosterProblemKind::EmptyField(COLUMNS[3].0.to_owned()));
        }
        let phone_text = field(4);
        let phone = if phone_text.is_empty() {
            None
        } else {
            match Phone::parse(&phone_text) {
                Ok(p) => Some(p),
                Err(_) => {
                    line_problems.push(RosterProblemKind::BadPhone(phone_text));
                    None
                }
            }
        };
        let area = match Area::parse(&field(5)) {
            Ok(a) => Some(a),
            Err(e) => {
                line_problems.push(RosterProblemKind::BadArea(e));
                None
            }
        };
        if !building.is_empty() && !stairwell.is_empty() && !unit.is_empty() {
            let key = (building.clone(), stairwell.clone(), unit.clone());
            if let Some(&first_line) = seen.get(&key) {
                line_problems.push(RosterProblemKind::DuplicateUnit { first_line });
            } else {
                seen.insert(key, line);
            }
        }
        match (line_problems.is_empty(), area, developer_unsold) {
            (true, Some(area), Some(developer_unsold)) => rows.push(RosterRow {
                line,
                building,
                stairwell,
                unit,
                owner_name,
                phone,
                area,
                developer_unsold,
            }),
            _ => problems.extend(
                line_problems
                    .into_iter()
                    .map(|kind| RosterProblem { line, kind }),
            ),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if rows.is_empty() {
        return Err(problem(header_line + 1, RosterProblemKind::Empty));
    }
    Ok(rows)
}

/// RFC 4180 records with the line each starts on; quoted fields may hold commas, quotes ("") and
/// newlines. Errors with the line of an unterminated quote.
fn split_csv(text: &str) -> Result<Vec<(usize, Vec<String>)>, usize> {
    let mut records = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut line = 1;
    let mut start = 1;
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => fields.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                fields.push(std::mem::take(&mut field));
                records.push((start, std::mem::take(&mut fields)));
                line += 1;
                start = line;
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err(start);
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        records.push((start, fields));
    }
    Ok(records)
}

// ---------------------------------------------------------------------------------------------
// Ballots and the tally

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

/// Reports by this many different people hide a comment until the council reviews it.
pub const HIDE_AFTER_REPORTS: u32 = 3;

pub const COMMENT_MIN_CHARS: usize = 2;
pub const COMMENT_MAX_CHARS: usize = 1000;
pub const TITLE_MAX_CHARS: usize = 80;
pub const BODY_MAX_CHARS: usize = 5000;
pub const MAX_OPTIONS: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;

    fn a(s: &str) -> Area {
        Area::parse(s).unwrap()
    }

    fn rule(pass: Threshold) -> MatterRule {
        MatterRule {
            code: "t".into(),
            name_zh: "t".into(),
            name_en: "t".into(),
            basis_zh: String::new(),
            basis_en: String::new(),
            quorum: Threshold::TWO_THIRDS_OR_MORE,
            pass,
            scope: ScopeRule::Any,
        }
    }

    fn major() -> MatterRule {
        rule(Threshold::THREE_QUARTERS_OR_MORE)
    }

    fn other() -> MatterRule {
        rule(Threshold::MORE_THAN_HALF)
    }

    /// Units from (owner, area) pairs.
    fn units(list: &[(&str, &str)]) -> Vec<ScopedUnit> {
        list.iter()
            .map(|(o, ar)| ScopedUnit {
                owner_key: (*o).to_owned(),
                area: a(ar),
            })
            .collect()
    }

    fn ballots(list: &[(&str, Choice)]) -> HashMap<String, Choice> {
        list.iter().map(|(o, c)| ((*o).to_owned(), *c)).collect()
    }

    const YES: Choice = Choice::Option(0);
    const NO: Choice = Choice::Option(1);
    const ABSTAIN: Choice = Choice::Abstain;

    #[test]
    fn areas_are_exact_hundredths() {
        assert_eq!(a("89.5").centi(), 8950);
        assert_eq!(a("89.50").centi(), 8950);
        assert_eq!(a("120").centi(), 12000);
        assert_eq!(a("0.01").centi(), 1);
        assert_eq!(a("89.05").to_string(), "89.05");
        assert_eq!(Area::parse("0"), Err(AreaProblem::NotPositive));
        assert_eq!(Area::parse("0.00"), Err(AreaProblem::NotPositive));
        assert_eq!(Area::parse("-12.5"), Err(AreaProblem::NotPositive));
        assert_eq!(Area::parse("89.505"), Err(AreaProblem::Malformed));
        assert_eq!(Area::parse("八十"), Err(AreaProblem::Malformed));
        assert_eq!(Area::parse("1,200"), Err(AreaProblem::Malformed));
        assert_eq!(Area::parse("12."), Err(AreaProblem::Malformed));
        assert_eq!(Area::parse(""), Err(AreaProblem::Malformed));
        assert_eq!(Area::parse("100000.01"), Err(AreaProblem::TooLarge));
    }

    #[test]
    fn thresholds_compare_exactly_at_the_boundary() {
        let t = Threshold::TWO_THIRDS_OR_MORE;
        assert!(t.reached(2, 3), "exactly 2/3 is 2/3 以上");
        assert!(!t.reached(199_999, 300_000));
        // 0.1 + 0.2 style trouble cannot happen: 200.00 of 300.00 m² is exactly 2/3.
        assert!(t.reached(20000, 30000));
        assert!(!t.reached(19999, 30000));
        let q = Threshold::THREE_QUARTERS_OR_MORE;
        assert!(q.reached(3, 4));
        assert!(!q.reached(74_999, 100_000));
        let h = Threshold::MORE_THAN_HALF;
        assert!(!h.reached(1, 2), "exactly half is not 过半数");
        assert!(h.reached(50_001, 100_000));
        assert!(!t.reached(0, 0), "nothing reaches a share of nothing");
    }

    #[test]
    fn exactly_two_thirds_turnout_reaches_the_quorum_and_one_less_does_not() {
        // Three owners with equal areas: two voting is exactly 2/3 of both area and heads.
        let u = units(&[("a", "100"), ("b", "100"), ("c", "100")]);
        let t = tally(&u, &ballots(&[("a", YES), ("b", YES)]), 2, &other());
        assert!(t.quorum_area_reached && t.quorum_heads_reached);
        assert_eq!(t.decided, Some(0));
        // One hundredth of a square metre short of 2/3 by area: no quorum, however the heads look.
        let u = units(&[("a", "100"), ("b", "99.99"), ("c", "100.02")]);
        let t = tally(&u, &ballots(&[("a", YES), ("b", YES)]), 2, &other());
        assert!(t.quorum_heads_reached);
        assert!(!t.quorum_area_reached);
        assert_eq!(t.decided, None);
    }

    #[test]
    fn exactly_three_quarters_passes_a_major_matter() {
        // Four equal owners all vote, three say yes: exactly 3/4 of both.
        let u = units(&[("a", "80"), ("b", "80"), ("c", "80"), ("d", "80")]);
        let b = ballots(&[("a", YES), ("b", YES), ("c", YES), ("d", NO)]);
        let t = tally(&u, &b, 2, &major());
        assert!(t.options[0].area_reached && t.options[0].heads_reached);
        assert_eq!(t.decided, Some(0));
        // Make the "no" owner slightly bigger: yes-area drops below 3/4, so it fails on area.
        let u = units(&[("a", "80"), ("b", "80"), ("c", "80"), ("d", "80.01")]);
        let t = tally(&u, &b, 2, &major());
        assert!(t.options[0].heads_reached);
        assert!(!t.options[0].area_reached);
        assert_eq!(t.decided, None);
    }

    #[test]
    fn exactly_half_does_not_pass_an_ordinary_matter() {
        let u = units(&[("a", "50"), ("b", "50"), ("c", "50"), ("d", "50")]);
        let t = tally(
            &u,
            &ballots(&[("a", YES), ("b", YES), ("c", NO), ("d", NO)]),
            2,
            &other(),
        );
        assert!(t.quorum_reached());
        assert!(!t.options[0].area_reached && !t.options[0].heads_reached);
        assert_eq!(t.decided, None);
        // One more hundredth on the yes side by area, but heads are still exactly half.
        let u = units(&[("a", "50.01"), ("b", "50"), ("c", "50"), ("d", "50")]);
        let t = tally(
            &u,
            &ballots(&[("a", YES), ("b", YES), ("c", NO), ("d", NO)]),
            2,
            &other(),
        );
        assert!(t.options[0].area_reached && !t.options[0].heads_reached);
        assert_eq!(t.decided, None);
    }

    #[test]
    fn majority_of_heads_is_not_enough_when_the_area_disagrees() {
        // Five small flats approve, two big ones refuse: heads 5/7 but area 250/650.
        let u = units(&[
            ("a", "50"),
            ("b", "50"),
            ("c", "50"),
            ("d", "50"),
            ("e", "50"),
            ("f", "200"),
            ("g", "200"),
        ]);
        let b = ballots(&[
            ("a", YES),
            ("b", YES),
            ("c", YES),
            ("d", YES),
            ("e", YES),
            ("f", NO),
            ("g", NO),
        ]);
        let t = tally(&u, &b, 2, &other());
        assert!(t.options[0].heads_reached);
        assert!(!t.options[0].area_reached);
        assert_eq!(t.decided, None);
        // And the other way round: one big owner approves, three small refuse.
        let u = units(&[("a", "300"), ("b", "50"), ("c", "50"), ("d", "50")]);
        let b = ballots(&[("a", YES), ("b", NO), ("c", NO), ("d", NO)]);
        let t = tally(&u, &b, 2, &other());
        assert!(t.options[0].area_reached && !t.options[0].heads_reached);
        assert_eq!(t.decided, None);
    }

    #[test]
    fn an_owner_of_several_units_counts_once_by_head_with_all_their_area() {
        // Owner "a" has three units: 3 heads in the base, not 5.
        let u = units(&[
            ("a", "60"),
            ("a", "60"),
            ("a", "60"),
            ("b", "60"),
            ("c", "60"),
        ]);
        let t = tally(&u, &ballots(&[("a", YES), ("b", YES)]), 2, &other());
        assert_eq!(t.total.heads, 3);
        assert_eq!(t.total.area, AreaSum(30000));
        assert_eq!(t.participating.heads, 2);
        assert_eq!(t.participating.area, AreaSum(24000));
        assert!(t.quorum_reached());
        assert_eq!(t.decided, Some(0));
    }

    #[test]
    fn the_developers_unsold_units_count_once_in_total() {
        let row = |dev: bool, phone: Option<&str>, name: &str| {
            owner_key(dev, phone.map(|p| Phone::parse(p).unwrap()).as_ref(), name)
        };
        // Unsold units have the developer's key whatever the name or phone on the line.
        assert_eq!(
            row(true, Some("13800138000"), "开发商"),
            DEVELOPER_OWNER_KEY
        );
        assert_eq!(row(true, None, "某置业公司"), DEVELOPER_OWNER_KEY);
        assert_eq!(row(false, Some("13800138000"), "王"), "tel:+8613800138000");
        assert_eq!(row(false, None, " 王芳 "), "name:王芳");
        let dev = DEVELOPER_OWNER_KEY;
        let u = units(&[
            (dev, "90"),
            (dev, "90"),
            (dev, "90"),
            (dev, "90"),
            ("a", "90"),
            ("b", "90"),
        ]);
        let t = tally(&u, &ballots(&[("a", YES), ("b", YES)]), 2, &other());
        assert_eq!(t.total.heads, 3, "four unsold units are one head");
        assert!(t.quorum_heads_reached, "2 of 3 heads");
        assert!(!t.quorum_area_reached, "but 180 of 540 m²");
    }

    #[test]
    fn abstaining_is_taking_part_but_not_approving() {
        let u = units(&[("a", "100"), ("b", "100"), ("c", "100")]);
        let t = tally(
            &u,
            &ballots(&[("a", YES), ("b", ABSTAIN), ("c", NO)]),
            2,
            &other(),
        );
        assert!(t.quorum_reached());
        assert_eq!(t.participating.heads, 3);
        assert_eq!(t.abstain.heads, 1);
        assert!(!t.options[0].heads_reached, "1 of 3 participating");
        assert_eq!(t.decided, None);
        // Abstentions alone make a quorum, and nothing passes.
        let t = tally(&u, &ballots(&[("a", ABSTAIN), ("b", ABSTAIN)]), 2, &other());
        assert!(t.quorum_reached());
        assert_eq!(t.decided, None);
    }

    #[test]
    fn ballots_from_outside_the_scope_and_for_missing_options_are_ignored() {
        let u = units(&[("a", "100"), ("b", "100")]);
        let t = tally(
            &u,
            &ballots(&[("a", YES), ("stranger", YES), ("b", Choice::Option(7))]),
            2,
            &other(),
        );
        assert_eq!(t.participating.heads, 1);
        assert_eq!(t.total.heads, 2);
    }

    #[test]
    fn an_elevator_is_decided_by_its_stairwell_only() {
        let elevator = built_in_matters()
            .into_iter()
            .find(|m| m.code == "elevator")
            .unwrap();
        assert_eq!(elevator.pass, Threshold::THREE_QUARTERS_OR_MORE);
        assert_eq!(
            VoteScope::Community.fits(elevator.scope),
            Err(ScopeProblem::MatterNeedsStairwell)
        );
        let scope = VoteScope::parse("stairwell", "", "3", "2").unwrap();
        assert!(scope.fits(elevator.scope).is_ok());
        assert!(scope.contains("3", "2"));
        assert!(!scope.contains("3", "1"));
        assert!(!scope.contains("4", "2"));
        // A stairwell of 8 flats: 6 approve (3/4 by heads and, with equal flats, by area).
        let roster: Vec<(&str, &str, &str, &str)> = (0..8)
            .map(|i| {
                (
                    "3",
                    "2",
                    ["o0", "o1", "o2", "o3", "o4", "o5", "o6", "o7"][i],
                    "75",
                )
            })
            .chain([("3", "1", "x", "75"), ("4", "2", "y", "75")])
            .collect();
        let in_scope: Vec<ScopedUnit> = roster
            .iter()
            .filter(|(b, s, _, _)| scope.contains(b, s))
            .map(|(_, _, o, ar)| ScopedUnit {
                owner_key: (*o).to_owned(),
                area: a(ar),
            })
            .collect();
        assert_eq!(in_scope.len(), 8);
        let mut b: HashMap<String, Choice> = (0..6).map(|i| (format!("o{i}"), YES)).collect();
        b.insert("o6".into(), NO);
        b.insert("o7".into(), NO);
        let t = tally(&in_scope, &b, 2, &elevator);
        assert_eq!(t.decided, Some(0));
        b.insert("o5".into(), NO);
        let t = tally(&in_scope, &b, 2, &elevator);
        assert_eq!(t.decided, None, "5 of 8 is not 3/4");
        assert_eq!(
            VoteScope::parse("buildings", " ,，", "", ""),
            Err(ScopeProblem::NoBuildings)
        );
        assert_eq!(
            VoteScope::parse("buildings", "1，2、3", "", ""),
            Ok(VoteScope::Buildings(vec![
                "1".into(),
                "2".into(),
                "3".into()
            ]))
        );
        assert_eq!(
            VoteScope::parse("stairwell", "", "3", ""),
            Err(ScopeProblem::NoStairwell)
        );
    }

    #[test]
    fn with_several_options_only_one_that_reaches_the_rule_is_decided() {
        let u = units(&[("a", "100"), ("b", "100"), ("c", "100"), ("d", "100")]);
        let t = tally(
            &u,
            &ballots(&[
                ("a", Choice::Option(2)),
                ("b", Choice::Option(2)),
                ("c", Choice::Option(2)),
                ("d", Choice::Option(0)),
            ]),
            3,
            &other(),
        );
        assert_eq!(t.decided, Some(2));
        assert_eq!(t.options[1].support, Share::default());
    }

    #[test]
    fn phases_follow_the_dates_and_the_council() {
        assert_eq!(
            Schedule::new(10, 5, 20),
            Err(ScheduleProblem::VoteBeforeComment)
        );
        assert_eq!(
            Schedule::new(10, 20, 20),
            Err(ScheduleProblem::CloseBeforeOpen)
        );
        let s = Schedule::new(10, 20, 30).unwrap();
        assert_eq!(s.phase_at(None, None, 9), Phase::Draft);
        assert_eq!(s.phase_at(None, None, 10), Phase::Comment);
        assert_eq!(s.phase_at(None, None, 20), Phase::Vote);
        assert_eq!(s.phase_at(None, None, 29), Phase::Vote);
        assert_eq!(s.phase_at(None, None, 30), Phase::Closed);
        assert_eq!(s.phase_at(Some(31), None, 31), Phase::Published);
        assert_eq!(s.phase_at(Some(31), Some(40), 41), Phase::FollowUp);
        // The council opens the vote early, then closes it early; nothing goes backwards.
        let early = s.advance_to(Phase::Vote, 12).unwrap();
        assert_eq!(early.phase_at(None, None, 12), Phase::Vote);
        let closed = early.advance_to(Phase::Closed, 15).unwrap();
        assert_eq!(closed.phase_at(None, None, 15), Phase::Closed);
        assert_eq!(closed.advance_to(Phase::Vote, 16), None);
        assert_eq!(
            s.advance_to(Phase::Closed, 12),
            None,
            "no vote to close yet"
        );
    }

    #[test]
    fn choices_parse_from_forms() {
        assert_eq!(Choice::parse("0", 2), Some(Choice::Option(0)));
        assert_eq!(Choice::parse("abstain", 2), Some(Choice::Abstain));
        assert_eq!(Choice::parse("2", 2), None, "no third option");
        assert_eq!(Choice::parse("-1", 2), None);
        assert_eq!(Choice::from_stored(-1), Some(Choice::Abstain));
        assert_eq!(
            Choice::from_stored(Choice::Option(3).to_stored()),
            Some(Choice::Option(3))
        );
    }

    const HEADER: &str = "楼栋,单元,房号,业主姓名,手机号,专有面积,开发商未售\n";

    fn kinds(r: Result<Vec<RosterRow>, Vec<RosterProblem>>) -> Vec<(usize, RosterProblemKind)> {
        r.unwrap_err()
            .into_iter()
            .map(|p| (p.line, p.kind))
            .collect()
    }

    #[test]
    fn a_good_roster_is_read_with_quotes_bom_and_english_headers() {
        let csv = format!(
            "\u{feff}{HEADER}1,1,101,王芳,138 0013 8000,89.50,否\r\n1,1,102,\"李, 四\",,75,\n\n2,1,101,,,120.3,是\n"
        );
        let rows = parse_roster(csv.as_bytes()).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].phone.as_ref().unwrap().e164(), "+8613800138000");
        assert_eq!(rows[1].owner_name, "李, 四");
        assert_eq!(rows[1].line, 3);
        assert_eq!(rows[2].line, 5, "blank lines keep their numbers");
        assert!(rows[2].developer_unsold);
        assert_eq!(rows[2].area.centi(), 12030);
        let en = "unit,building,stairwell,owner_name,phone,area_m2,developer_unsold\n501,3,2,Wang,13800138000,60,no\n";
        let rows = parse_roster(en.as_bytes()).unwrap();
        assert_eq!(
            (rows[0].building.as_str(), rows[0].unit.as_str()),
            ("3", "501")
        );
    }

    #[test]
    fn every_bad_line_is_named_and_nothing_is_returned() {
        let csv = format!(
            "{HEADER}1,1,101,王芳,13800138000,0,否\n1,1,102,李四,12345,80,否\n1,1,101,张三,,80,否\n1,1,103,赵六,,-5,否\n1,1,104,钱七,,80,也许\n1,1,105,孙八\n,1,106,周九,,80,否\n"
        );
        let got = kinds(parse_roster(csv.as_bytes()));
        assert_eq!(
            got,
            vec![
                (2, RosterProblemKind::BadArea(AreaProblem::NotPositive)),
                (3, RosterProblemKind::BadPhone("12345".into())),
                (4, RosterProblemKind::DuplicateUnit { first_line: 2 }),
                (5, RosterProblemKind::BadArea(AreaProblem::NotPositive)),
                (6, RosterProblemKind::BadFlag("也许".into())),
                (
                    7,
                    RosterProblemKind::FieldCount {
                        expected: 7,
                        found: 4
                    }
                ),
                (8, RosterProblemKind::EmptyField("楼栋".into())),
            ]
        );
    }

    #[test]
    fn a_missing_column_a_non_utf8_file_and_an_empty_file_are_refused() {
        let got = kinds(parse_roster(
            "楼栋,单元,房号,业主姓名,专有面积,开发商未售\n".as_bytes(),
        ));
        assert_eq!(
            got,
            vec![(1, RosterProblemKind::MissingColumn("手机号".into()))]
        );
        // "楼栋" in GBK.
        let gbk: &[u8] = &[0xC2, 0xA5, 0xB6, 0xB0, b',', b'\n'];
        assert_eq!(
            kinds(parse_roster(gbk)),
            vec![(0, RosterProblemKind::NotUtf8)]
        );
        assert_eq!(
            kinds(parse_roster(b"")),
            vec![(1, RosterProblemKind::Empty)]
        );
        assert_eq!(
            kinds(parse_roster(HEADER.as_bytes())),
            vec![(2, RosterProblemKind::Empty)]
        );
        let open_quote = format!("{HEADER}1,1,\"101,王芳,,80,否\n");
        assert_eq!(
            kinds(parse_roster(open_quote.as_bytes())),
            vec![(2, RosterProblemKind::Unquoted)]
        );
    }
}
