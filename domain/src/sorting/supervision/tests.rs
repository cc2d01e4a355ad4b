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

/// Rates with only a participation share (`part` of 10), as `boards` compares them.
fn joined(part: u32) -> Rates {
    Rates {
        participation: Some(Ratio { part, whole: 10 }),
        accuracy: Some(Ratio { part: 1, whole: 1 }),
        ..Default::default()
    }
}

#[test]
fn the_red_and_black_lists_never_name_the_same_community_and_ties_share_a_rank() {
    // Eight communities: three on each list, ranks shared by ties.
    let rows: Vec<Rates> = [9, 8, 8, 6, 5, 4, 3, 3].into_iter().map(joined).collect();
    let b = boards(&rows, 3);
    assert_eq!(b.ranks, vec![1, 2, 2, 4, 5, 6, 7, 7]);
    assert_eq!(b.red, vec![0, 1, 2]);
    assert_eq!(b.black, vec![7, 6, 5]);

    // Fewer than two lists' worth: each takes at most half, apart.
    let rows: Vec<Rates> = [9, 7, 5, 3, 1].into_iter().map(joined).collect();
    let b = boards(&rows, 3);
    assert_eq!((b.red, b.black), (vec![0, 1], vec![4, 3]));

    // A tie across the red list's edge comes in whole; the same figures are never black.
    let rows: Vec<Rates> = [9, 5, 5, 5].into_iter().map(joined).collect();
    let b = boards(&rows, 3);
    assert_eq!(b.ranks, vec![1, 2, 2, 2]);
    assert_eq!(b.red, vec![0, 1, 2, 3]);
    assert!(b.black.is_empty());

    // One community, or none: no lists, only the ranked table.
    for n in [0, 1] {
        let rows: Vec<Rates> = (0..n).map(|_| joined(5)).collect();
        let b = boards(&rows, 3);
        assert!(b.red.is_empty() && b.black.is_empty(), "{n}");
    }
    for (rows, size) in [
        (vec![9, 1], 3),
        (vec![4, 4], 3),
        (vec![9, 8, 7, 6, 5, 4, 3], 3),
    ] {
        let rows: Vec<Rates> = rows.into_iter().map(joined).collect();
        let b = boards(&rows, size);
        assert!(b.red.iter().all(|r| !b.black.contains(r)), "{rows:?}");
    }
}
