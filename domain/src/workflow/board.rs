//! The public performance board (共评): figures for a month, computed from case timelines (never
//! from stored counters that could drift). Each figure is defined once here, in words and code.
//!
//! For a month M (China time) and the moment the figures are taken (`as_of`):
//! - **received** (受理): cases reported in M.
//! - **registered** (立案): cases registered in M.
//! - **closed** (结案): cases closed (inspector passed) in M, each counted once.
//! - **结案率**: of the cases registered in M, the share closed by `as_of`.
//! - **按期结案率** = closed on time / (due − postponed). A case is *due* in M when the deadline of
//!   its latest dispatch falls in M; *postponed* when an extension was granted or it was put on hold
//!   (挂账) after that dispatch; *closed on time* when, not postponed, its first closing after that
//!   dispatch came no later than the deadline.
//! - **返工率**: of the cases closed in M, the share that were sent back (返工) at least once.
//! - **median handling time**: for the cases closed in M, the working time from their first dispatch
//!   to their last closing in M, in working hours (the calendar's working time only).
//! - **满意率**: of the ratings given in M, the share 满意 or 基本满意.

use crate::calendar::{Date, WorkCalendar};
use crate::workflow::{CaseAction, Satisfaction};
use serde::{Deserialize, Serialize};

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    /// `2026-10`.
    pub fn parse(s: &str) -> Option<Month> {
        let (y, m) = s.trim().split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let d = Date::new(y.parse().ok()?, m.parse().ok()?, 1)?;
        Some(Month {
            year: d.year,
            month: d.month,
        })
    }

    /// The month `unix_ms` falls in, China time.
    pub fn of(unix_ms: i64) -> Month {
        let d = Date::of_china_time(unix_ms);
        Month {
            year: d.year,
            month: d.month,
        }
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn previous(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// [start, end) in Unix milliseconds.
    pub fn range_ms(self) -> (i64, i64) {
        let start = |m: Month| {
            Date::new(m.year, m.month, 1)
                .expect("the first of a month exists")
                .china_ms(0)
        };
        (start(self), start(self.next()))
    }

    fn contains(self, at_ms: i64) -> bool {
        let (a, b) = self.range_ms();
        (a..b).contains(&at_ms)
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// One timeline entry, as the board needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryEvent {
    pub action: CaseAction,
    pub at_ms: i64,
    /// The deadline the event set (dispatch, resume, granted extension).
    pub deadline_ms: Option<i64>,
}

/// A case's timeline, oldest first, with when it was reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseHistory {
    pub reported_ms: i64,
    pub events: Vec<HistoryEvent>,
}

/// A share, kept as a fraction so the page and the CSV can show both the count and the percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ratio {
    pub part: u32,
    pub whole: u32,
}

impl Ratio {
    /// `None` when there is nothing to divide (shown as "—", never as 0 %).
    pub fn percent(self) -> Option<f64> {
        (self.whole > 0).then(|| f64::from(self.part) * 100.0 / f64::from(self.whole))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Figures {
    pub received: u32,
    pub registered: u32,
    pub closed: u32,
    /// 结案率
    pub closure: Option<Ratio>,
    pub due: u32,
    pub postponed: u32,
    pub closed_on_time: u32,
    /// 按期结案率
    pub on_time: Option<Ratio>,
    /// 返工率
    pub rework: Option<Ratio>,
    /// Median working hours from first dispatch to closing, for cases closed in the month.
    pub median_work_hours: Option<f64>,
    /// 满意率
    pub satisfaction: Option<Ratio>,
}

fn ratio(part: u32, whole: u32) -> Option<Ratio> {
    (whole > 0).then_some(Ratio { part, whole })
}

/// The month's figures over a set of case timelines (one territory's cases).
pub fn figures(
    cases: &[CaseHistory],
    month: Month,
    as_of: i64,
    calendar: &WorkCalendar,
) -> Figures {
    let mut f = Figures::default();
    let (mut registered_closed, mut reworked_closed) = (0u32, 0u32);
    let (mut ratings, mut content) = (0u32, 0u32);
    let mut handling_minutes: Vec<i64> = Vec::new();
    for case in cases {
        let seen: Vec<&HistoryEvent> = case.events.iter().filter(|e| e.at_ms <= as_of).collect();
        if case.reported_ms > as_of {
            continue;
        }
        if month.contains(case.reported_ms) {
            f.received += 1;
        }
        let closings = seen.iter().filter(|e| e.action == CaseAction::Pass);
        if seen
            .iter()
            .any(|e| e.action == CaseAction::Register && month.contains(e.at_ms))
        {
            f.registered += 1;
            if closings.clone().next().is_some() {
                registered_closed += 1;
            }
        }
        if let Some(last_close) = closings.clone().rfind(|e| month.contains(e.at_ms)) {
            f.closed += 1;
            if seen
                .iter()
                .any(|e| e.action == CaseAction::Fail && e.at_ms <= last_close.at_ms)
            {
                reworked_closed += 1;
            }
            if let Some(first_dispatch) = seen.iter().find(|e| e.action == CaseAction::Dispatch)
                && let Ok(m) =
                    calendar.working_minutes_between(first_dispatch.at_ms, last_close.at_ms)
            {
                handling_minutes.push(m);
            }
        }
        // 按期: the latest dispatch (or resume) and its deadline.
        if let Some((i, dispatch)) = seen
            .iter()
            .enumerate()
            .rfind(|(_, e)| matches!(e.action, CaseAction::Dispatch | CaseAction::Resume))
            && let Some(deadline) = dispatch.deadline_ms
            && month.contains(deadline)
        {
            f.due += 1;
            let after = &seen[i + 1..];
            let postponed = after
                .iter()
                .any(|e| matches!(e.action, CaseAction::GrantExtension | CaseAction::Shelve));
            if postponed {
                f.postponed += 1;
            } else if after
                .iter()
                .find(|e| e.action == CaseAction::Pass)
                .is_some_and(|close| close.at_ms <= deadline)
            {
                f.closed_on_time += 1;
            }
        }
        for e in &seen {
            if let CaseAction::Rate(level) = e.action
                && month.contains(e.at_ms)
            {
                ratings += 1;
                if Satisfaction::is_content(level) {
                    content += 1;
                }
            }
        }
    }
    f.closure = ratio(registered_closed, f.registered);
    f.on_time = ratio(f.closed_on_time, f.due - f.postponed);
    f.rework = ratio(reworked_closed, f.closed);
    f.satisfaction = ratio(content, ratings);
    f.median_work_hours = median(&mut handling_minutes).map(|m| m / 60.0);
    f
}

fn median(values: &mut [i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2] as f64
    } else {
        (values[n / 2 - 1] + values[n / 2]) as f64 / 2.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{BUILT_IN, YearRules};

    fn calendar() -> WorkCalendar {
        WorkCalendar::new(BUILT_IN.iter().map(|t| YearRules::parse(t).unwrap()))
    }

    /// 2026-11-`d` at `h`:00 China time.
    fn nov(d: u32, h: i64) -> i64 {
        Date::new(2026, 11, d).unwrap().china_ms(h * 60)
    }

    fn ev(action: CaseAction, at_ms: i64, deadline_ms: Option<i64>) -> HistoryEvent {
        HistoryEvent {
            action,
            at_ms,
            deadline_ms,
        }
    }

    use CaseAction::*;

    /// Five November cases, counted by hand below.
    fn month_of_cases() -> Vec<CaseHistory> {
        vec![
            // A: on time, rated satisfied. Dispatched Mon 2 Nov 10:00, due Wed 4 Nov 10:00,
            // closed Tue 3 Nov 10:00 (7.5 working hours later).
            CaseHistory {
                reported_ms: nov(2, 8),
                events: vec![
                    ev(Register, nov(2, 9), None),
                    ev(Dispatch, nov(2, 10), Some(nov(4, 10))),
                    ev(RecordResult, nov(3, 9), None),
                    ev(Pass, nov(3, 10), None),
                    ev(Rate(Satisfaction::Satisfied), nov(3, 12), None),
                ],
            },
            // B: late, reworked once, rated unsatisfied. Dispatched Mon 9 Nov 10:00, due 10:00 the
            // next day; closed Thu 12 Nov 10:00 (22.5 working hours later).
            CaseHistory {
                reported_ms: nov(9, 8),
                events: vec![
                    ev(Register, nov(9, 9), None),
                    ev(Dispatch, nov(9, 10), Some(nov(10, 10))),
                    ev(RecordResult, nov(10, 9), None),
                    ev(Fail, nov(10, 15), None),
                    ev(RecordResult, nov(11, 9), None),
                    ev(Pass, nov(12, 10), None),
                    ev(Rate(Satisfaction::Unsatisfied), nov(12, 11), None),
                ],
            },
            // C: extended, so postponed; still open at the end of the month.
            CaseHistory {
                reported_ms: nov(16, 8),
                events: vec![
                    ev(Register, nov(16, 9), None),
                    ev(Dispatch, nov(16, 10), Some(nov(18, 10))),
                    ev(RequestExtension, nov(17, 10), Some(nov(25, 18))),
                    ev(GrantExtension, nov(17, 11), Some(nov(25, 18))),
                ],
            },
            // D: reported in October, dispatched in October with a November deadline, closed in
            // November on time, rated 基本满意 in November.
            CaseHistory {
                reported_ms: Date::new(2026, 10, 29).unwrap().china_ms(8 * 60),
                events: vec![
                    ev(
                        Register,
                        Date::new(2026, 10, 29).unwrap().china_ms(9 * 60),
                        None,
                    ),
                    ev(
                        Dispatch,
                        Date::new(2026, 10, 29).unwrap().china_ms(10 * 60),
                        Some(nov(5, 10)),
                    ),
                    ev(Pass, nov(4, 16), None),
                    ev(Rate(Satisfaction::Basic), nov(5, 9), None),
                ],
            },
            // E: rejected in November: received and never registered.
            CaseHistory {
                reported_ms: nov(20, 8),
                events: vec![ev(Reject, nov(20, 9), None)],
            },
        ]
    }

    #[test]
    fn a_month_counted_by_hand() {
        let f = figures(
            &month_of_cases(),
            Month {
                year: 2026,
                month: 11,
            },
            nov(30, 23),
            &calendar(),
        );
        assert_eq!(f.received, 4, "A B C E (D came in October)");
        assert_eq!(f.registered, 3, "A B C");
        assert_eq!(f.closed, 3, "A B D");
        assert_eq!(
            f.closure,
            Some(Ratio { part: 2, whole: 3 }),
            "A and B of A B C closed"
        );
        assert_eq!(
            (f.due, f.postponed, f.closed_on_time),
            (4, 1, 2),
            "due A B C D; C postponed; A D on time"
        );
        assert_eq!(f.on_time, Some(Ratio { part: 2, whole: 3 }));
        assert_eq!(f.rework, Some(Ratio { part: 1, whole: 3 }), "B");
        assert_eq!(
            f.satisfaction,
            Some(Ratio { part: 2, whole: 3 }),
            "A and D content, B not"
        );
        // Handling: A 7.5 h; B 22.5 h; D from Thu 29 Oct 10:00 to Wed 4 Nov 16:00 = 6 h + 7.5 h
        // (Fri 30) + 7.5 h × 2 (Mon 2, Tue 3) + 5.5 h (Wed 4, 08:30–16:00 less lunch) = 34 h.
        assert_eq!(f.median_work_hours, Some(22.5));
    }

    #[test]
    fn figures_are_taken_as_of_a_moment() {
        // Before B closed, it is neither closed nor rated, and not yet on time or late.
        let f = figures(
            &month_of_cases(),
            Month {
                year: 2026,
                month: 11,
            },
            nov(11, 12),
            &calendar(),
        );
        assert_eq!(f.closed, 2, "A D");
        assert_eq!(f.received, 2, "A B by then");
        assert_eq!(f.on_time, Some(Ratio { part: 2, whole: 3 }), "A D of A B D");
        assert_eq!(f.median_work_hours, Some((7.5 + 34.0) / 2.0));
    }

    #[test]
    fn an_empty_month_has_no_rates_rather_than_zero() {
        let f = figures(
            &[],
            Month {
                year: 2026,
                month: 11,
            },
            nov(30, 23),
            &calendar(),
        );
        assert_eq!(f, Figures::default());
        assert_eq!(Ratio { part: 0, whole: 0 }.percent(), None);
        assert_eq!(Ratio { part: 1, whole: 4 }.percent(), Some(25.0));
    }

    #[test]
    fn months_parse_and_step() {
        let m = Month::parse("2026-12").unwrap();
        assert_eq!(
            m.next(),
            Month {
                year: 2027,
                month: 1
            }
        );
        assert_eq!(m.next().previous(), m);
        assert_eq!(m.to_string(), "2026-12");
        assert_eq!(
            Month::of(nov(30, 23)),
            Month {
                year: 2026,
                month: 11
            }
        );
        let (a, b) = Month {
            year: 2026,
            month: 2,
        }
        .range_ms();
        assert_eq!((b - a) / 86_400_000, 28);
        for bad in ["2026-13", "2026-1", "26-01", "", "2026/01", "2026-00"] {
            assert_eq!(Month::parse(bad), None, "{bad:?}");
        }
    }
}
