//! 定时定点 supervision: a collection point's drop-off windows, a volunteer's (督导员) shift log and
//! the rules it must keep, and the three public rates, each defined once here:
//!
//! - **参与率 participation**: for each point and each day with a logged shift, the largest household
//!   count of that day's shifts (several volunteers may count the same people, so counts are not
//!   added), capped at the households the point serves. The rate is the sum of those over the sum
//!   of households served on the same point-days. Days without a log are not guessed; they lower
//!   the coverage instead.
//! - **准确率 accuracy**: correctly sorted drops over inspected drops, overall and per bin.
//! - **知晓率 awareness**: households who answered the month's survey correctly over households
//!   asked; none when no survey was held.
//! - **coverage**: the share of the scheduled drop-off windows (per point per day) that had a
//!   volunteer logging during them, so a rate from few shifts is not over-trusted.

use crate::sorting::Bin;
use crate::workflow::board::Ratio;
use serde::{Deserialize, Serialize};

/// Minutes since midnight, China time.
pub type Minute = u16;

/// A drop-off window, e.g. 07:00–09:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Window {
    pub start: Minute,
    pub end: Minute,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum WindowProblem {
    /// Not "HH:MM-HH:MM".
    Malformed(String),
    /// Ends before (or when) it starts.
    Backwards(String),
    /// Two windows of one point overlap.
    Overlapping(String),
}

/// "07:30" → minutes since midnight.
pub fn parse_minute(s: &str) -> Option<Minute> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    // `then`, not `then_some`: the sum must not be computed for an hour like 9999.
    (h <= 24 && m < 60 && h * 60 + m <= 24 * 60).then(|| h * 60 + m)
}

pub fn minute_text(m: Minute) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

impl Window {
    pub fn parse(s: &str) -> Result<Window, WindowProblem> {
        let (a, b) = s
            .split_once(['-', '–', '~'])
            .ok_or_else(|| WindowProblem::Malformed(s.to_owned()))?;
        let (start, end) = match (parse_minute(a), parse_minute(b)) {
            (Some(a), Some(b)) => (a, b),
            _ => return Err(WindowProblem::Malformed(s.to_owned())),
        };
        if end <= start {
            return Err(WindowProblem::Backwards(s.to_owned()));
        }
        Ok(Window { start, end })
    }

    fn overlaps(self, start: Minute, end: Minute) -> bool {
        start < self.end && self.start < end
    }
}

/// A point's windows, in order, not overlapping.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Schedule(Vec<Window>);

/// Whether a point takes waste now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OpenState {
    OpenUntil(Minute),
    OpensAt(Minute),
    /// No more windows today.
    ClosedToday,
}

impl Schedule {
    /// "07:00-09:00, 18:00-20:00" (commas of either width, or spaces).
    pub fn parse(s: &str) -> Result<Schedule, Vec<WindowProblem>> {
        let mut windows = Vec::new();
        let mut problems = Vec::new();
        for part in s
            .split([',', '，', ';', '；', ' '])
            .filter(|p| !p.trim().is_empty())
        {
            match Window::parse(part) {
                Ok(w) => windows.push(w),
                Err(p) => problems.push(p),
            }
        }
        windows.sort();
        for pair in windows.windows(2) {
            if pair[1].start < pair[0].end {
                problems.push(WindowProblem::Overlapping(format!(
                    "{}-{}",
                    minute_text(pair[1].start),
                    minute_text(pair[1].end)
                )));
            }
        }
        if windows.is_empty() && problems.is_empty() {
            problems.push(WindowProblem::Malformed(s.to_owned()));
        }
        if problems.is_empty() {
            Ok(Schedule(windows))
        } else {
            Err(problems)
        }
    }

    pub fn windows(&self) -> &[Window] {
        &self.0
    }

    pub fn state_at(&self, now: Minute) -> OpenState {
        if let Some(w) = self.0.iter().find(|w| w.start <= now && now < w.end) {
            return OpenState::OpenUntil(w.end);
        }
        match self.0.iter().find(|w| w.start > now) {
            Some(w) => OpenState::OpensAt(w.start),
            None => OpenState::ClosedToday,
        }
    }

    /// Whether a shift from `start` to `end` lies inside one window.
    pub fn contains(&self, start: Minute, end: Minute) -> bool {
        self.0.iter().any(|w| w.start <= start && end <= w.end)
    }
}

/// Correct and incorrect drops of one bin, as the volunteer saw them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Inspected {
    pub correct: u32,
    pub incorrect: u32,
}

/// The form fields (and store columns) of the counts: correct, then incorrect, for each bin in
/// `Bin::ALL` order.
pub const COUNT_FIELDS: [&str; 8] = [
    "recyclable_ok",
    "recyclable_bad",
    "hazardous_ok",
    "hazardous_bad",
    "kitchen_ok",
    "kitchen_bad",
    "other_ok",
    "other_bad",
];

/// One supervision shift at one point on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shift {
    pub volunteer: i64,
    pub point: i64,
    /// Days since the epoch (China time).
    pub day: i64,
    pub start: Minute,
    pub end: Minute,
    /// Households that came to drop waste (the +1 button).
    pub households: u32,
    pub inspected: [Inspected; 4],
    /// Why the shift lies outside the point's windows (required then).
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShiftProblem {
    /// Ends before (or when) it starts.
    Backwards,
    /// Overlaps another shift of the same volunteer (its start and end).
    Overlaps { start: Minute, end: Minute },
    /// Outside the point's windows, and no reason given.
    OutsideWindowsWithoutReason,
    /// More households than the point serves.
    AboveHouseholds { served: u32 },
    /// A count that is not a whole number of zero or more: the field.
    BadCount(String),
}

/// A count from a form: a whole number, zero or more.
pub fn parse_count(field: &str, text: &str) -> Result<u32, ShiftProblem> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(0);
    }
    t.parse::<u32>()
        .map_err(|_| ShiftProblem::BadCount(field.to_owned()))
}

/// Checks a shift against the point (its windows, the households it serves) and the volunteer's
/// other shifts. Every problem is returned.
pub fn check_shift(
    shift: &Shift,
    schedule: &Schedule,
    households_served: u32,
    others: &[Shift],
) -> Vec<ShiftProblem> {
    let mut problems = Vec::new();
    if shift.end <= shift.start {
        problems.push(ShiftProblem::Backwards);
    }
    if let Some(o) = others.iter().find(|o| {
        o.volunteer == shift.volunteer
            && o.day == shift.day
            && shift.start < o.end
            && o.start < shift.end
    }) {
        problems.push(ShiftProblem::Overlaps {
            start: o.start,
            end: o.end,
        });
    }
    let reason_given = shift
        .reason
        .as_deref()
        .is_some_and(|r| !r.trim().is_empty());
    if shift.end > shift.start && !schedule.contains(shift.start, shift.end) && !reason_given {
        problems.push(ShiftProblem::OutsideWindowsWithoutReason);
    }
    if shift.households > households_served {
        problems.push(ShiftProblem::AboveHouseholds {
            served: households_served,
        });
    }
    problems
}

/// A point as the metrics need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointFacts {
    pub id: i64,
    pub households: u32,
    pub schedule: Schedule,
}

/// A month's survey: households asked, households who answered correctly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Survey {
    pub asked: u32,
    pub correct: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SurveyProblem {
    /// Not a whole number of one or more households.
    Asked,
    /// Not a whole number, or more than were asked.
    Correct,
    Month,
}

impl Survey {
    /// From the council's form; every problem is returned.
    pub fn parse(asked: &str, correct: &str) -> Result<Survey, Vec<SurveyProblem>> {
        let asked = asked.trim().parse::<u32>().ok().filter(|n| *n > 0);
        let correct = correct.trim().parse::<u32>().ok();
        match (asked, correct) {
            (Some(a), Some(c)) if c <= a => Ok(Survey {
                asked: a,
                correct: c,
            }),
            (a, _) => {
                let mut p = Vec::new();
                if a.is_none() {
                    p.push(SurveyProblem::Asked);
                }
                if a.is_none_or(|a| correct.is_none_or(|c| c > a)) {
                    p.push(SurveyProblem::Correct);
                }
                Err(p)
            }
        }
    }
}

/// The three rates and the coverage for a set of points over a set of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Rates {
    pub participation: Option<Ratio>,
    pub accuracy: Option<Ratio>,
    /// Per bin, in `Bin::ALL` order.
    pub accuracy_by_bin: [Option<Ratio>; 4],
    pub awareness: Option<Ratio>,
    pub coverage: Option<Ratio>,
}

fn ratio(part: u64, whole: u64) -> Option<Ratio> {
    (whole > 0).then(|| Ratio {
        part: u32::try_from(part).unwrap_or(u32::MAX),
        whole: u32::try_from(whole).unwrap_or(u32::MAX),
    })
}

/// The rates of `points` over `days` (day numbers), from the shifts and surveys of that period.
pub fn rates(points: &[PointFacts], days: &[i64], shifts: &[Shift], surveys: &[Survey]) -> Rates {
    let (mut part, mut served) = (0u64, 0u64);
    let (mut covered, mut scheduled) = (0u64, 0u64);
    // Shifts by point and day, built once (a district's month is tens of thousands of shifts).
    let mut by_point_day: std::collections::HashMap<(i64, i64), Vec<&Shift>> =
        std::collections::HashMap::new();
    for s in shifts {
        by_point_day.entry((s.point, s.day)).or_default().push(s);
    }
    let none: Vec<&Shift> = Vec::new();
    for p in points {
        for &day in days {
            let today = by_point_day.get(&(p.id, day)).unwrap_or(&none);
            if let Some(max) = today.iter().map(|s| s.households).max() {
                part += u64::from(max.min(p.households));
                served += u64::from(p.households);
            }
            for w in p.schedule.windows() {
                scheduled += 1;
                if today.iter().any(|s| w.overlaps(s.start, s.end)) {
                    covered += 1;
                }
            }
        }
    }
    let day_set: std::collections::HashSet<i64> = days.iter().copied().collect();
    let point_set: std::collections::HashSet<i64> = points.iter().map(|p| p.id).collect();
    let in_period = |s: &&Shift| day_set.contains(&s.day) && point_set.contains(&s.point);
    let mut by_bin = [(0u64, 0u64); 4];
    for s in shifts.iter().filter(in_period) {
        for (i, b) in s.inspected.iter().enumerate() {
            by_bin[i].0 += u64::from(b.correct);
            by_bin[i].1 += u64::from(b.correct) + u64::from(b.incorrect);
        }
    }
    let (right, seen) = by_bin.iter().fold((0, 0), |(r, s), (c, t)| (r + c, s + t));
    let (asked, correct) = surveys.iter().fold((0u64, 0u64), |(a, c), s| {
        (a + u64::from(s.asked), c + u64::from(s.correct))
    });
    Rates {
        participation: ratio(part, served),
        accuracy: ratio(right, seen),
        accuracy_by_bin: by_bin.map(|(c, t)| ratio(c, t)),
        awareness: ratio(correct, asked),
        coverage: ratio(covered, scheduled),
    }
}

/// Areas with their rates: (ranked best first, not ranked).
pub type Ranked<T> = (Vec<(T, Rates)>, Vec<(T, Rates)>);

/// Ranks areas by their rates for a month: only those whose coverage reaches `min_coverage_percent`
/// are ranked, best first by participation, then accuracy (compared exactly, not as decimals);
/// the others are returned apart, so a figure from few shifts never tops (or sinks) a board.
pub fn rank<T>(rows: Vec<(T, Rates)>, min_coverage_percent: u32) -> Ranked<T> {
    let covered = |r: &Rates| {
        r.coverage.is_some_and(|c| {
            u64::from(c.part) * 100 >= u64::from(min_coverage_percent) * u64::from(c.whole)
        }) && r.participation.is_some()
    };
    let (mut ranked, unranked): (Vec<_>, Vec<_>) = rows.into_iter().partition(|(_, r)| covered(r));
    ranked.sort_by(|(_, a), (_, b)| better_first(a, b));
    (ranked, unranked)
}

/// Best first: participation, then accuracy, compared exactly as fractions.
fn better_first(a: &Rates, b: &Rates) -> std::cmp::Ordering {
    let cmp = |a: Option<Ratio>, b: Option<Ratio>| match (a, b) {
        (Some(a), Some(b)) => {
            (u64::from(b.part) * u64::from(a.whole)).cmp(&(u64::from(a.part) * u64::from(b.whole)))
        }
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    };
    cmp(a.participation, b.participation).then(cmp(a.accuracy, b.accuracy))
}

/// The 红黑榜 drawn from a ranked list (best first, as `rank` returns it).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Boards {
    /// Each row's rank: equal figures share one ("1, 2, 2, 4").
    pub ranks: Vec<u32>,
    /// Rows (indexes) on the red list, best first, and on the black list, worst first.
    pub red: Vec<usize>,
    pub black: Vec<usize>,
}

/// Up to `size` communities on each list, and never one on both: with fewer than two lists' worth,
/// each list takes at most half, and with fewer than two communities there are no lists at all
/// (the one ranked table says it all). A tie is never split across a list's edge against the
/// community: equal figures are either all on the list or all off it, and a row with the same
/// figures as a red one is never black.
pub fn boards(ranked: &[Rates], size: usize) -> Boards {
    let n = ranked.len();
    let tied = |i: usize, j: usize| better_first(&ranked[i], &ranked[j]).is_eq();
    let mut ranks = Vec::with_capacity(n);
    for i in 0..n {
        ranks.push(if i > 0 && tied(i - 1, i) {
            ranks[i - 1]
        } else {
            i as u32 + 1
        });
    }
    // How many rows are strictly worse than each: the same for a run of equal figures.
    let mut worse = vec![0; n];
    for i in (0..n).rev() {
        worse[i] = if i + 1 < n && tied(i, i + 1) {
            worse[i + 1]
        } else {
            n - 1 - i
        };
    }
    let k = size.min(n / 2);
    let red = (0..n).filter(|&i| ranks[i] as usize <= k).collect();
    // A row tied with a red one shares its rank, so the rank alone keeps it off the black list.
    let black = (0..n)
        .rev()
        .filter(|&i| worse[i] < k && ranks[i] as usize > k)
        .collect();
    Boards { ranks, red, black }
}

/// Which bin an `inspected` slot is about.
pub fn bin_of_slot(i: usize) -> Bin {
    Bin::ALL[i.min(3)]
}

/// A collection point as the council's form gave it (every field as typed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointForm {
    /// Empty for a new point.
    pub id: String,
    pub community: String,
    pub name: String,
    pub lat: String,
    pub lng: String,
    pub households: String,
    /// Bin codes ticked: "recyclable", "hazardous", "kitchen", "other".
    pub bins: Vec<String>,
    pub windows: String,
    /// The volunteers' phones, one per line (or separated by commas).
    pub volunteers: String,
}

/// What is wrong with a point form; each names the field to fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PointProblem {
    /// Empty, or longer than 40 characters.
    Name,
    /// Not a number pair on Earth, or outside the community.
    Location,
    /// Not a whole number from 1 to 100000.
    Households,
    NoBins,
    Windows(Vec<WindowProblem>),
    /// Not a phone number (as typed).
    VolunteerPhone(String),
    /// A registered phone is needed (as typed).
    VolunteerUnknown(String),
    /// Another point of the community already has this name.
    NameTaken,
    NoSuchPoint,
}

/// A valid point, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct PointPlan {
    pub name: String,
    pub lat: f64,
    pub lng: f64,
    pub households: u32,
    pub bins: Vec<Bin>,
    pub schedule: Schedule,
    /// E.164, in the order typed, without repeats.
    pub volunteers: Vec<String>,
}

impl PointPlan {
    /// Checks the form on its own (the store checks the community's area, the name's uniqueness
    /// and that the volunteers are registered); every problem is returned.
    pub fn parse(f: &PointForm) -> Result<PointPlan, Vec<PointProblem>> {
        let mut problems = Vec::new();
        let name = f.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 40 {
            problems.push(PointProblem::Name);
        }
        let location = match (f.lat.trim().parse::<f64>(), f.lng.trim().parse::<f64>()) {
            (Ok(lat), Ok(lng)) => crate::geo::LatLng::new(lat, lng).ok(),
            _ => None,
        };
        if location.is_none() {
            problems.push(PointProblem::Location);
        }
        let households = f
            .households
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=100_000).contains(n));
        if households.is_none() {
            problems.push(PointProblem::Households);
        }
        let mut bins: Vec<Bin> = Bin::ALL
            .into_iter()
            .filter(|b| f.bins.iter().any(|t| t == b.as_str()))
            .collect();
        bins.dedup();
        if bins.is_empty() {
            problems.push(PointProblem::NoBins);
        }
        let schedule = Schedule::parse(&f.windows)
            .map_err(|w| problems.push(PointProblem::Windows(w)))
            .ok();
        let mut volunteers: Vec<String> = Vec::new();
        for typed in f
            .volunteers
            .split(['\n', ',', '，', ';', '；'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            match crate::account::phone::Phone::parse(typed) {
                Ok(p) if !volunteers.iter().any(|v| v == p.e164()) => {
                    volunteers.push(p.e164().to_owned())
                }
                Ok(_) => {}
                Err(_) => problems.push(PointProblem::VolunteerPhone(typed.to_owned())),
            }
        }
        match (location, households, schedule) {
            (Some(at), Some(households), Some(schedule)) if problems.is_empty() => Ok(PointPlan {
                name,
                lat: at.lat(),
                lng: at.lng(),
                households,
                bins,
                schedule,
                volunteers,
            }),
            _ => Err(problems),
        }
    }

    /// The bins as stored: "recyclable,kitchen,other".
    pub fn bins_text(&self) -> String {
        self.bins
            .iter()
            .map(|b| b.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The windows as stored: "07:00-09:00,18:00-20:00".
    pub fn windows_text(&self) -> String {
        self.schedule
            .windows()
            .iter()
            .map(|w| format!("{}-{}", minute_text(w.start), minute_text(w.end)))
            .collect::<Vec<_>>()
            .join(",")
    }
}

#[cfg(test)]
mod tests;
