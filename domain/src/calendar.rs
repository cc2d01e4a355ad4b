//! The working-day calendar and deadline arithmetic for case time limits.
//!
//! China publishes its public holidays and 调休 make-up working days each year (国务院办公厅 notice),
//! so weekends alone do not tell whether a day is a working day. A [`WorkCalendar`] holds one rule
//! file per year; a day of a year without a file is an error, never a guess.
//!
//! Working time is 08:30–12:00 and 14:00–18:00 China time (UTC+8, no daylight saving), 7.5 hours a
//! day. A time limit in 工作日 counts as that many full working days of working time (450 minutes
//! each), so a case dispatched at 10:00 on a Monday with 1 工作日 is due 10:00 Tuesday.

use crate::cases::category::{TimeLimit, TimeUnit};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The rule files shipped with Linli; an administrator uploads later years.
pub const BUILT_IN: [&str; 2] = [
    include_str!("../calendar/2026.txt"),
    include_str!("../calendar/2027.txt"),
];

/// China Standard Time is UTC+8 all year (no daylight saving): every "China time" in Linli.
pub const CHINA_OFFSET_MS: i64 = 8 * 3600 * 1000;
const DAY_MS: i64 = 86_400_000;
const MINUTE_MS: i64 = 60_000;
/// The working periods of a working day, in minutes after midnight China time.
pub const WORK_PERIODS: [(i64, i64); 2] = [(8 * 60 + 30, 12 * 60), (14 * 60, 18 * 60)];
/// Working minutes in one working day.
pub const WORKDAY_MINUTES: i64 = (12 * 60 - (8 * 60 + 30)) + (18 * 60 - 14 * 60);
/// No deadline lies further away than this; beyond it a calendar must be missing data.
const MAX_SCAN_DAYS: i64 = 800;

/// A calendar date (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let d = Date { year, month, day };
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some(d)
    }

    /// `2026-10-01`.
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// Days since 1970-01-01 (H. Hinnant's days-from-civil).
    pub fn day_number(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date of a day number (H. Hinnant's civil-from-days).
    pub fn from_day_number(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        Date {
            year: (yoe + era * 400 + i64::from(month <= 2)) as i32,
            month,
            day,
        }
    }

    /// 0 = Monday … 6 = Sunday.
    pub fn weekday(self) -> u32 {
        (self.day_number() + 3).rem_euclid(7) as u32
    }

    pub fn is_weekend(self) -> bool {
        self.weekday() >= 5
    }

    /// The China-time date of a Unix time in milliseconds.
    pub fn of_china_time(unix_ms: i64) -> Date {
        Date::from_day_number((unix_ms + CHINA_OFFSET_MS).div_euclid(DAY_MS))
    }

    /// Unix milliseconds of this date at `minute` minutes after midnight, China time.
    pub fn china_ms(self, minute: i64) -> i64 {
        self.day_number() * DAY_MS + minute * MINUTE_MS - CHINA_OFFSET_MS
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// What is wrong with one line of a rule file (the UI says it in the reader's language).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, thiserror::Error)]
pub enum LineProblem {
    #[error("`year` needs a year between 2000 and 2100")]
    BadYear,
    #[error("a second `year` line")]
    SecondYear,
    #[error("needs a date like 2026-10-01")]
    NeedsDate,
    #[error("the range ends before it starts")]
    RangeBackwards,
    #[error("a range longer than a month")]
    RangeTooLong,
    #[error("unknown line kind (use year, holiday or workday)")]
    UnknownKind,
    #[error("{0} is not in the file's year")]
    NotInYear(String),
    #[error("{0} is a weekday already; 调休 days are weekend days")]
    WeekdayAsWorkday(String),
    #[error("{0} is listed twice")]
    ListedTwice(String),
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, thiserror::Error)]
pub enum CalendarError {
    #[error("line {line}: {problem}")]
    Line { line: usize, problem: LineProblem },
    #[error("the file does not say which year it is for (a line `year 2027`)")]
    NoYear,
    #[error("no working-day calendar for {0}; an administrator must upload it")]
    UnknownYear(i32),
}

/// One year's holidays and make-up working days.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct YearRules {
    pub year: i32,
    /// Days off that would otherwise be working days (and holidays on weekends, for display).
    pub holidays: BTreeSet<Date>,
    /// 调休: weekend days that are working days.
    pub workdays: BTreeSet<Date>,
}

impl YearRules {
    /// Parses a rule file:
    /// ```text
    /// # comment
    /// year 2026
    /// holiday 2026-10-01 2026-10-07 国庆节
    /// workday 2026-10-10 国庆节调休上班
    /// ```
    /// A `holiday` takes one date or a range (inclusive); trailing words are a label. Every error is
    /// reported with its line number, and every date must lie in the declared year.
    pub fn parse(text: &str) -> Result<YearRules, Vec<CalendarError>> {
        let mut errors = Vec::new();
        let mut rules = YearRules::default();
        let mut year = None;
        let mut pending: Vec<(usize, &str, Date, Date)> = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let content = raw.split('#').next().unwrap_or("").trim();
            if content.is_empty() {
                continue;
            }
            let bad = |problem: LineProblem| CalendarError::Line { line, problem };
            let words: Vec<&str> = content.split_whitespace().collect();
            match words[0] {
                "year" => match words.get(1).and_then(|y| y.parse::<i32>().ok()) {
                    Some(y) if (2000..=2100).contains(&y) && year.is_none() => year = Some(y),
                    Some(_) if year.is_some() => errors.push(bad(LineProblem::SecondYear)),
                    _ => errors.push(bad(LineProblem::BadYear)),
                },
                kind @ ("holiday" | "workday") => {
                    let Some(first) = words.get(1).and_then(|d| Date::parse(d)) else {
                        errors.push(bad(LineProblem::NeedsDate));
                        continue;
                    };
                    let last = match words.get(2).and_then(|d| Date::parse(d)) {
                        Some(d) => d,
                        None => first,
                    };
                    if last < first {
                        errors.push(bad(LineProblem::RangeBackwards));
                        continue;
                    }
                    if last.day_number() - first.day_number() > 31 {
                        errors.push(bad(LineProblem::RangeTooLong));
                        continue;
                    }
                    pending.push((line, kind, first, last));
                }
                _ => errors.push(bad(LineProblem::UnknownKind)),
            }
        }
        let Some(year) = year else {
            errors.push(CalendarError::NoYear);
            return Err(errors);
        };
        rules.year = year;
        for (line, kind, first, last) in pending {
            for n in first.day_number()..=last.day_number() {
                let d = Date::from_day_number(n);
                let bad = |problem: LineProblem| CalendarError::Line { line, problem };
                if d.year != year {
                    errors.push(bad(LineProblem::NotInYear(d.to_string())));
                    break;
                }
                if kind == "workday" {
                    if !d.is_weekend() {
                        errors.push(bad(LineProblem::WeekdayAsWorkday(d.to_string())));
                    } else if rules.holidays.contains(&d) || !rules.workdays.insert(d) {
                        errors.push(bad(LineProblem::ListedTwice(d.to_string())));
                    }
                } else if rules.workdays.contains(&d) || !rules.holidays.insert(d) {
                    errors.push(bad(LineProblem::ListedTwice(d.to_string())));
                }
            }
        }
        if errors.is_empty() {
            Ok(rules)
        } else {
            Err(errors)
        }
    }
}

/// The calendar the deadlines are counted on: one [`YearRules`] per known year.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WorkCalendar {
    years: BTreeMap<i32, YearRules>,
}

impl WorkCalendar {
    pub fn new(years: impl IntoIterator<Item = YearRules>) -> WorkCalendar {
        WorkCalendar {
            years: years.into_iter().map(|y| (y.year, y)).collect(),
        }
    }

    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    pub fn is_working_day(&self, d: Date) -> Result<bool, CalendarError> {
        let rules = self
            .years
            .get(&d.year)
            .ok_or(CalendarError::UnknownYear(d.year))?;
        Ok(if d.is_weekend() {
            rules.workdays.contains(&d)
        } else {
            !rules.holidays.contains(&d)
        })
    }

    /// When a case dispatched at `start_ms` is due under `limit`.
    pub fn deadline(&self, start_ms: i64, limit: TimeLimit) -> Result<i64, CalendarError> {
        let minutes = match limit.unit {
            TimeUnit::NaturalDays => return Ok(start_ms + i64::from(limit.amount) * DAY_MS),
            TimeUnit::WorkHours => i64::from(limit.amount) * 60,
            TimeUnit::WorkDays => i64::from(limit.amount) * WORKDAY_MINUTES,
        };
        self.add_working_minutes(start_ms, minutes)
    }

    /// The moment `minutes` of working time after `start_ms`. Time outside working hours does not
    /// count, so a case dispatched on a Saturday starts counting on the next working morning.
    pub fn add_working_minutes(&self, start_ms: i64, minutes: i64) -> Result<i64, CalendarError> {
        let mut left_ms = minutes * MINUTE_MS;
        let first = Date::of_china_time(start_ms);
        for n in first.day_number()..first.day_number() + MAX_SCAN_DAYS {
            let day = Date::from_day_number(n);
            if !self.is_working_day(day)? {
                continue;
            }
            for (open, close) in WORK_PERIODS {
                let begin = day.china_ms(open).max(start_ms);
                let end = day.china_ms(close);
                if begin >= end {
                    continue;
                }
                if left_ms <= end - begin {
                    return Ok(begin + left_ms);
                }
                left_ms -= end - begin;
            }
        }
        Err(CalendarError::UnknownYear(
            Date::from_day_number(first.day_number() + MAX_SCAN_DAYS).year,
        ))
    }

    /// Working minutes between two moments (0 if `to` is not after `from`).
    pub fn working_minutes_between(&self, from_ms: i64, to_ms: i64) -> Result<i64, CalendarError> {
        if to_ms <= from_ms {
            return Ok(0);
        }
        let (first, last) = (Date::of_china_time(from_ms), Date::of_china_time(to_ms));
        let mut total_ms = 0i64;
        for n in first.day_number()..=last.day_number() {
            let day = Date::from_day_number(n);
            if !self.is_working_day(day)? {
                continue;
            }
            for (open, close) in WORK_PERIODS {
                let a = day.china_ms(open).max(from_ms);
                let b = day.china_ms(close).min(to_ms);
                total_ms += (b - a).max(0);
            }
        }
        Ok(total_ms / MINUTE_MS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const Y2026: &str = BUILT_IN[0];

    fn calendar() -> WorkCalendar {
        WorkCalendar::new(BUILT_IN.iter().map(|t| YearRules::parse(t).unwrap()))
    }

    fn at(y: i32, m: u32, d: u32, h: i64, mi: i64) -> i64 {
        Date::new(y, m, d).unwrap().china_ms(h * 60 + mi)
    }

    fn limit(s: &str) -> TimeLimit {
        TimeLimit::parse(s).unwrap()
    }

    #[test]
    fn dates_round_trip_and_know_their_weekday() {
        for n in -800_000..800_000i64 {
            if n % 997 == 0 {
                assert_eq!(Date::from_day_number(n).day_number(), n);
            }
        }
        assert_eq!(Date::new(1970, 1, 1).unwrap().weekday(), 3, "Thursday");
        assert_eq!(Date::new(2026, 11, 28).unwrap().weekday(), 5, "Saturday");
        assert!(Date::new(2026, 2, 29).is_none());
        assert!(Date::new(2028, 2, 29).is_some());
        assert_eq!(Date::parse("2026-10-01"), Date::new(2026, 10, 1));
        for bad in [
            "2026-1-01",
            "2026-13-01",
            "2026-02-30",
            "26-10-01",
            "2026-10-01-1",
            "",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_2026_file_follows_the_state_council_notice() {
        let c = calendar();
        let day = |m, d| c.is_working_day(Date::new(2026, m, d).unwrap()).unwrap();
        assert!(!day(1, 1), "元旦");
        assert!(day(1, 4), "元旦调休: Sunday 4 January is a working day");
        assert!(!day(2, 16), "春节");
        assert!(day(2, 14) && day(2, 28), "春节调休 Saturdays");
        assert!(!day(10, 1) && !day(10, 7), "国庆节");
        assert!(day(10, 10), "国庆调休 Saturday");
        assert!(day(11, 27), "an ordinary Friday");
        assert!(!day(11, 28), "an ordinary Saturday");
    }

    #[test]
    fn work_hours_skip_lunch_and_nights() {
        let c = calendar();
        // Friday 27 Nov 2026, 11:00 + 4 working hours: 1h to noon, 3h in the afternoon → 17:00.
        assert_eq!(
            c.deadline(at(2026, 11, 27, 11, 0), limit("4h")).unwrap(),
            at(2026, 11, 27, 17, 0)
        );
        // Dispatched at lunch: counting starts at 14:00.
        assert_eq!(
            c.deadline(at(2026, 11, 26, 12, 30), limit("2h")).unwrap(),
            at(2026, 11, 26, 16, 0)
        );
        // Dispatched at night: counting starts the next morning.
        assert_eq!(
            c.deadline(at(2026, 11, 25, 22, 0), limit("1h")).unwrap(),
            at(2026, 11, 26, 9, 30)
        );
        // Exactly at closing time is due at closing time, not the next morning.
        assert_eq!(
            c.deadline(at(2026, 11, 26, 17, 0), limit("1h")).unwrap(),
            at(2026, 11, 26, 18, 0)
        );
    }

    #[test]
    fn across_a_weekend() {
        let c = calendar();
        // Friday 16:00 + 4h: 2h on Friday, then Monday 08:30 + 2h = 10:30.
        assert_eq!(
            c.deadline(at(2026, 11, 27, 16, 0), limit("4h")).unwrap(),
            at(2026, 11, 30, 10, 30)
        );
        // Dispatched on Saturday: 1 working day = the whole of Monday.
        assert_eq!(
            c.deadline(at(2026, 11, 28, 10, 0), limit("1wd")).unwrap(),
            at(2026, 11, 30, 18, 0)
        );
        // Friday 10:00 + 1 working day = Monday 10:00.
        assert_eq!(
            c.deadline(at(2026, 11, 27, 10, 0), limit("1wd")).unwrap(),
            at(2026, 11, 30, 10, 0)
        );
    }

    #[test]
    fn across_a_holiday_and_a_make_up_saturday() {
        let c = calendar();
        // Wednesday 30 Sep 2026 10:00 + 3 working days: 1–7 Oct are off, Thu 8 and Fri 9 work,
        // and Saturday 10 Oct is a 调休 working day → due Saturday 10 Oct 10:00.
        assert_eq!(
            c.deadline(at(2026, 9, 30, 10, 0), limit("3wd")).unwrap(),
            at(2026, 10, 10, 10, 0)
        );
        // Natural days ignore the calendar.
        assert_eq!(
            c.deadline(at(2026, 9, 30, 10, 0), limit("3d")).unwrap(),
            at(2026, 10, 3, 10, 0)
        );
        // The Spring Festival: Friday 13 Feb 2026 17:00 + 2h → Saturday 14 Feb (调休) 09:30.
        assert_eq!(
            c.deadline(at(2026, 2, 13, 17, 0), limit("2h")).unwrap(),
            at(2026, 2, 14, 9, 30)
        );
    }

    #[test]
    fn across_the_end_of_a_year() {
        let c = calendar();
        // Thursday 31 Dec 2026 16:00 + 1wd: 2h that day; 1 Jan 2027 is 元旦 (Friday), the
        // weekend follows; Monday 4 Jan 08:30 + 5.5h = 16:00.
        assert_eq!(
            c.deadline(at(2026, 12, 31, 16, 0), limit("1wd")).unwrap(),
            at(2027, 1, 4, 16, 0)
        );
        // Without 2027 the deadline cannot be known.
        let only_2026 = WorkCalendar::new([YearRules::parse(Y2026).unwrap()]);
        assert_eq!(
            only_2026.deadline(at(2026, 12, 31, 16, 0), limit("1wd")),
            Err(CalendarError::UnknownYear(2027))
        );
    }

    #[test]
    fn working_minutes_between_is_the_inverse_of_adding_them() {
        let c = calendar();
        let start = at(2026, 9, 29, 15, 10);
        for minutes in [0, 1, 49, 50, 51, 450, 451, 2000, 7777] {
            let end = c.add_working_minutes(start, minutes).unwrap();
            assert_eq!(
                c.working_minutes_between(start, end).unwrap(),
                minutes,
                "{minutes}"
            );
        }
        assert_eq!(
            c.working_minutes_between(at(2026, 11, 28, 9, 0), at(2026, 11, 29, 17, 0))
                .unwrap(),
            0
        );
        assert_eq!(
            c.working_minutes_between(at(2026, 11, 30, 9, 0), at(2026, 11, 30, 8, 0))
                .unwrap(),
            0
        );
    }

    #[test]
    fn bad_rule_files_name_every_bad_line() {
        let text = "year 2026\nholiday 2026-10-07 2026-10-01\nworkday 2026-10-12\nholiday 2027-01-01\n\
                    party 2026-01-01\nholiday 2026-10-01\nholiday 2026-10-01\nholiday 2026-13-01\n";
        let errors = YearRules::parse(text).unwrap_err();
        let lines: Vec<usize> = errors
            .iter()
            .filter_map(|e| match e {
                CalendarError::Line { line, .. } => Some(*line),
                _ => None,
            })
            .collect();
        assert_eq!(lines, vec![2, 5, 8, 3, 4, 7], "{errors:?}");
        assert_eq!(
            YearRules::parse("holiday 2026-01-01").unwrap_err(),
            vec![CalendarError::NoYear]
        );
        assert!(YearRules::parse("year 2026\nyear 2027").is_err());
    }
}
