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

mod area;
mod matters;
mod roster;
mod schedule;
mod tally;

pub use area::*;
pub use matters::*;
pub use roster::*;
pub use schedule::*;
pub use tally::*;

use crate::account::phone::Phone;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

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
        assert!(t.exactly_at(20000, 30000) && !t.exactly_at(20001, 30000));
        assert!(h.exactly_at(1, 2) && !h.exactly_at(0, 0));
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
