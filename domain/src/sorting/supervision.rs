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
    let cmp = |a: Option<Ratio>, b: Option<Ratio>| match (a, b) {
        (Some(a), Some(b)) => {
            (u64::from(b.part) * u64::from(a.whole)).cmp(&(u64::from(a.part) * u64::from(b.whole)))
        }
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    };
    ranked.sort_by(|(_, a), (_, b)| {
        cmp(a.participation, b.participation).then(cmp(a.accuracy, b.accuracy))
    });
    (ranked, unranked)
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
mod tests {
    use super::*;

    fn point_form() -> PointForm {
        PointForm {
            community: "350203001001".into(),
            name: " 3号投放点 ".into(),
            lat: "24.45".into(),
            lng: "118.08".into(),
            households: "120".into(),
            bins: vec!["kitchen".into(), "other".into(), "kitchen".into()],
            windows: "18:00-20:00，07:00-09:00".into(),
            volunteers: "13900030001\n139 0003 0001, +8613900030002".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_point_form_is_read_into_a_plan() {
        let plan = PointPlan::parse(&point_form()).unwrap();
        assert_eq!(plan.name, "3号投放点");
        assert_eq!(plan.households, 120);
        assert_eq!(plan.bins_text(), "kitchen,other");
        assert_eq!(plan.windows_text(), "07:00-09:00,18:00-20:00");
        assert_eq!(plan.volunteers, vec!["+8613900030001", "+8613900030002"]);
    }

    #[test]
    fn every_point_problem_is_named() {
        let f = PointForm {
            name: "".into(),
            lat: "24.45".into(),
            lng: "north".into(),
            households: "0".into(),
            bins: vec!["purple".into()],
            windows: "20:00-18:00".into(),
            volunteers: "12345".into(),
            ..Default::default()
        };
        assert_eq!(
            PointPlan::parse(&f).unwrap_err(),
            vec![
                PointProblem::Name,
                PointProblem::Location,
                PointProblem::Households,
                PointProblem::NoBins,
                PointProblem::Windows(vec![WindowProblem::Backwards("20:00-18:00".into())]),
                PointProblem::VolunteerPhone("12345".into()),
            ]
        );
        let far = PointForm {
            lat: "91".into(),
            households: "100001".into(),
            ..point_form()
        };
        assert_eq!(
            PointPlan::parse(&far).unwrap_err(),
            vec![PointProblem::Location, PointProblem::Households]
        );
    }

    fn sched(s: &str) -> Schedule {
        Schedule::parse(s).unwrap()
    }

    fn shift(volunteer: i64, point: i64, day: i64, window: &str, households: u32) -> Shift {
        let w = Window::parse(window).unwrap();
        Shift {
            volunteer,
            point,
            day,
            start: w.start,
            end: w.end,
            households,
            inspected: [Inspected::default(); 4],
            reason: None,
        }
    }

    #[test]
    fn ranking_needs_coverage_and_compares_exactly() {
        let r = |p: (u32, u32), a: (u32, u32), c: (u32, u32)| Rates {
            participation: Some(Ratio {
                part: p.0,
                whole: p.1,
            }),
            accuracy: Some(Ratio {
                part: a.0,
                whole: a.1,
            }),
            coverage: Some(Ratio {
                part: c.0,
                whole: c.1,
            }),
            ..Rates::default()
        };
        let rows = vec![
            ("low", r((1, 3), (9, 10), (50, 100))),
            // 2/6 equals 1/3 exactly: accuracy breaks the tie.
            ("tie", r((2, 6), (8, 10), (50, 100))),
            ("top", r((3, 4), (5, 10), (30, 100))),
            // Exactly at the minimum coverage is enough; below is not.
            ("thin", r((9, 10), (9, 10), (29, 100))),
        ];
        let (ranked, unranked) = rank(rows, 30);
        let names: Vec<&str> = ranked.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["top", "low", "tie"]);
        assert_eq!(unranked.len(), 1);
        assert_eq!(unranked[0].0, "thin");
    }

    #[test]
    fn windows_parse_and_say_open_now_or_when() {
        let s = sched("07:00-09:00，18:00-20:00");
        assert_eq!(s.windows().len(), 2);
        assert_eq!(s.state_at(7 * 60 + 30), OpenState::OpenUntil(9 * 60));
        assert_eq!(s.state_at(12 * 60), OpenState::OpensAt(18 * 60));
        assert_eq!(s.state_at(6 * 60), OpenState::OpensAt(7 * 60));
        assert_eq!(s.state_at(20 * 60), OpenState::ClosedToday);
        assert_eq!(
            Schedule::parse("09:00-07:00"),
            Err(vec![WindowProblem::Backwards("09:00-07:00".into())])
        );
        assert_eq!(
            Schedule::parse("7点到9点"),
            Err(vec![WindowProblem::Malformed("7点到9点".into())])
        );
        assert_eq!(
            Schedule::parse("07:00-09:00, 08:30-10:00"),
            Err(vec![WindowProblem::Overlapping("08:30-10:00".into())])
        );
        assert_eq!(minute_text(18 * 60 + 5), "18:05");
    }

    #[test]
    fn a_shift_must_not_overlap_exceed_or_leave_the_windows_without_a_reason() {
        let s = sched("07:00-09:00, 18:00-20:00");
        let mine = shift(1, 10, 100, "07:00-08:00", 30);
        assert!(check_shift(&mine, &s, 120, &[]).is_empty());
        let overlapping = shift(1, 11, 100, "07:30-08:30", 10);
        assert_eq!(
            check_shift(&overlapping, &s, 120, std::slice::from_ref(&mine)),
            [ShiftProblem::Overlaps {
                start: 7 * 60,
                end: 8 * 60
            }]
        );
        // Another volunteer, or another day, may overlap.
        assert!(
            check_shift(
                &shift(2, 10, 100, "07:30-08:30", 5),
                &s,
                120,
                std::slice::from_ref(&mine)
            )
            .is_empty()
        );
        assert!(
            check_shift(
                &shift(1, 10, 101, "07:30-08:30", 5),
                &s,
                120,
                std::slice::from_ref(&mine)
            )
            .is_empty()
        );
        let late = shift(1, 10, 100, "21:00-21:30", 3);
        assert_eq!(
            check_shift(&late, &s, 120, &[]),
            [ShiftProblem::OutsideWindowsWithoutReason]
        );
        let explained = Shift {
            reason: Some("桶满了，临时清运".into()),
            ..late
        };
        assert!(check_shift(&explained, &s, 120, &[]).is_empty());
        assert_eq!(
            check_shift(&shift(1, 10, 100, "07:00-08:00", 121), &s, 120, &[]),
            [ShiftProblem::AboveHouseholds { served: 120 }]
        );
        assert_eq!(
            parse_count("households", "-1"),
            Err(ShiftProblem::BadCount("households".into()))
        );
        assert_eq!(parse_count("households", " 12 "), Ok(12));
        assert_eq!(parse_count("households", ""), Ok(0));
    }

    /// Point 10 serves 100 households, point 20 serves 50; both have windows 07:00–09:00 and
    /// 18:00–20:00. Days 1–3 (six windows per point, twelve in all).
    /// - Day 1, point 10: two volunteers count 60 and 70 in the morning (the larger, 70, counts);
    ///   point 20: one evening shift counts 55, capped at 50.
    /// - Day 2, point 10: a shift with no drops at all (0), which still covers its window.
    /// - Day 3: nobody logs.
    ///
    /// Participation = (70 + 50 + 0) / (100 + 50 + 100) = 120/250. Covered windows: day 1 point 10
    /// morning, day 1 point 20 evening, day 2 point 10 morning = 3 of 12.
    #[test]
    fn rates_from_hand_counted_fixtures() {
        let both = "07:00-09:00, 18:00-20:00";
        let points = [
            PointFacts {
                id: 10,
                households: 100,
                schedule: sched(both),
            },
            PointFacts {
                id: 20,
                households: 50,
                schedule: sched(both),
            },
        ];
        let mut a = shift(1, 10, 1, "07:00-08:00", 60);
        a.inspected[0] = Inspected {
            correct: 8,
            incorrect: 2,
        };
        let mut b = shift(2, 10, 1, "07:30-09:00", 70);
        b.inspected[2] = Inspected {
            correct: 30,
            incorrect: 10,
        };
        let c = shift(3, 20, 1, "18:00-20:00", 55);
        let empty = shift(1, 10, 2, "07:00-09:00", 0);
        // Outside the period: ignored.
        let elsewhere = shift(1, 10, 9, "07:00-09:00", 99);
        let shifts = [a, b, c, empty, elsewhere];
        let r = rates(&points, &[1, 2, 3], &shifts, &[]);
        assert_eq!(
            r.participation,
            Some(Ratio {
                part: 120,
                whole: 250
            })
        );
        assert_eq!(r.coverage, Some(Ratio { part: 3, whole: 12 }));
        assert_eq!(
            r.accuracy,
            Some(Ratio {
                part: 38,
                whole: 50
            })
        );
        assert_eq!(r.accuracy_by_bin[0], Some(Ratio { part: 8, whole: 10 }));
        assert_eq!(r.accuracy_by_bin[1], None, "no hazardous drops inspected");
        assert_eq!(
            r.accuracy_by_bin[2],
            Some(Ratio {
                part: 30,
                whole: 40
            })
        );
        assert_eq!(
            r.awareness, None,
            "a month with no survey has no awareness figure"
        );
        let with_survey = rates(
            &points,
            &[1, 2, 3],
            &shifts,
            &[Survey {
                asked: 40,
                correct: 31,
            }],
        );
        assert_eq!(
            with_survey.awareness,
            Some(Ratio {
                part: 31,
                whole: 40
            })
        );
        // Nothing logged at all: no rates, zero coverage.
        let none = rates(&points, &[3], &shifts, &[]);
        assert_eq!(none.participation, None);
        assert_eq!(none.coverage, Some(Ratio { part: 0, whole: 4 }));
        assert_eq!(bin_of_slot(2), Bin::Kitchen);
        assert_eq!(
            Survey::parse("40", "31"),
            Ok(Survey {
                asked: 40,
                correct: 31
            })
        );
        assert_eq!(Survey::parse("40", "41"), Err(vec![SurveyProblem::Correct]));
        assert_eq!(
            Survey::parse("0", "-1"),
            Err(vec![SurveyProblem::Asked, SurveyProblem::Correct])
        );
    }
}
