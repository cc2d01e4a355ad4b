//! How consultation things read: phases, stances, scopes, thresholds, areas, and what to fix.

use crate::i18n::{Msg, fill};
use crate::prefs::Prefs;
use domain::consult::{
    AreaSum, Choice, Phase, RosterProblem, RosterProblemKind, ScheduleProblem, ScopeProblem,
    Stance, Threshold, VoteScope,
};
use domain::ports::{ConsultProblem, ConsultRefusal, ConsultView, UnitLabel};

pub fn phase_name(p: Phase) -> Msg {
    match p {
        Phase::Draft => Msg::PhaseDraft,
        Phase::Comment => Msg::PhaseComment,
        Phase::Vote => Msg::PhaseVote,
        Phase::Closed => Msg::PhaseClosed,
        Phase::Published => Msg::PhasePublished,
        Phase::FollowUp => Msg::PhaseFollowUp,
    }
}

pub(crate) fn stance_name(s: Stance) -> Msg {
    match s {
        Stance::Support => Msg::StanceSupport,
        Stance::Oppose => Msg::StanceOppose,
        Stance::Neutral => Msg::StanceNeutral,
    }
}

pub fn unit_text(u: &UnitLabel, prefs: Prefs) -> String {
    fill(
        prefs.t(Msg::UnitLabel),
        &[("b", &u.building), ("s", &u.stairwell), ("u", &u.unit)],
    )
}

pub(crate) fn scope_text(s: &VoteScope, prefs: Prefs) -> String {
    match s {
        VoteScope::Community => prefs.t(Msg::ScopeCommunity).to_owned(),
        VoteScope::Buildings(list) => {
            fill(prefs.t(Msg::ScopeBuildings), &[("list", &list.join("、"))])
        }
        VoteScope::Stairwell {
            building,
            stairwell,
        } => fill(
            prefs.t(Msg::ScopeStairwell),
            &[("b", building), ("s", stairwell)],
        ),
    }
}

pub(crate) fn option_label(view: &ConsultView, index: u16, prefs: Prefs) -> String {
    if view.options.is_empty() {
        prefs
            .t(if index == 0 {
                Msg::ChoiceYes
            } else {
                Msg::ChoiceNo
            })
            .to_owned()
    } else {
        view.options
            .get(usize::from(index))
            .cloned()
            .unwrap_or_default()
    }
}

pub(crate) fn choice_label(view: &ConsultView, c: Choice, prefs: Prefs) -> String {
    match c {
        Choice::Option(i) => option_label(view, i, prefs),
        Choice::Abstain => prefs.t(Msg::ChoiceAbstain).to_owned(),
    }
}

/// "2/3" written the way the statute says it.
pub(crate) fn threshold_text(t: Threshold, prefs: Prefs) -> String {
    let key = match (t.num, t.den, t.inclusive) {
        (2, 3, true) => Msg::ThresholdTwoThirds,
        (3, 4, true) => Msg::ThresholdThreeQuarters,
        (1, 2, false) => Msg::ThresholdHalf,
        _ => return t.text(),
    };
    prefs.t(key).to_owned()
}

/// A threshold in words, as a fraction and as a percentage: "四分之三以上（≥ 3/4，即 75.0%）".
pub(crate) fn threshold_full(t: Threshold, prefs: Prefs) -> String {
    fill(
        prefs.t(Msg::ResultThresholdFull),
        &[
            ("words", &threshold_text(t, prefs)),
            ("fraction", &t.text()),
            ("percent", &percent(i128::from(t.num), i128::from(t.den))),
        ],
    )
}

/// Whether one measure (area or heads) reached its threshold, in words; "exactly" when the share
/// sits on the line, which "以上" includes.
pub(crate) fn reached_text(
    measure: Msg,
    t: Threshold,
    (part, whole): (i128, i128),
    prefs: Prefs,
) -> String {
    let key = if !t.reached(part, whole) {
        Msg::ResultCellNot
    } else if t.exactly_at(part, whole) {
        Msg::ResultCellExactly
    } else {
        Msg::ResultCellReached
    };
    fill(prefs.t(key), &[("measure", prefs.t(measure))])
}

/// A share as a percentage with one decimal, computed from exact integers.
pub(crate) fn percent(part: i128, whole: i128) -> String {
    if whole <= 0 {
        return "—".to_owned();
    }
    let tenths = (part * 1000 + whole / 2) / whole;
    format!("{}.{}%", tenths / 10, tenths % 10)
}

pub(crate) fn area_text(a: AreaSum) -> String {
    format!("{a} m²")
}

/// What to fix, as lines to show: one line per problem, except a roster upload, which has one per
/// line of the file that is wrong.
pub fn problem_text(p: &ConsultProblem, prefs: Prefs) -> Vec<String> {
    let one = |m: Msg| vec![prefs.t(m).to_owned()];
    match p {
        ConsultProblem::NotCouncil => one(Msg::CpNotCouncil),
        ConsultProblem::NoSuchCommunity => one(Msg::CpNoSuchCommunity),
        ConsultProblem::TitleLength => one(Msg::CpTitleLength),
        ConsultProblem::BodyLength => one(Msg::CpBodyLength),
        ConsultProblem::UnknownMatter => one(Msg::CpUnknownMatter),
        ConsultProblem::Scope(s) => one(scope_problem(*s)),
        ConsultProblem::Schedule(s) => one(schedule_problem(*s)),
        ConsultProblem::BadDate(field) => vec![bad_date_text(field, prefs)],
        ConsultProblem::VoteEndsInPast => one(Msg::CpVoteEndsInPast),
        ConsultProblem::OptionCount => one(Msg::CpOptionCount),
        ConsultProblem::NotOwner => one(Msg::CpNotOwner),
        ConsultProblem::OutsideScope => one(Msg::CpOutsideScope),
        ConsultProblem::VoteNotOpen => one(Msg::CpVoteNotOpen),
        ConsultProblem::VoteClosed => one(Msg::CpVoteClosed),
        ConsultProblem::NoSuchOption => one(Msg::CpNoSuchOption),
        ConsultProblem::AlreadyVotedOnPaper { paper_ref } => vec![fill(
            prefs.t(Msg::CpAlreadyVotedOnPaper),
            &[("ref", paper_ref)],
        )],
        ConsultProblem::AlreadyVotedOnline => one(Msg::CpAlreadyVotedOnline),
        ConsultProblem::AlreadyEnteredOnPaper { paper_ref } => vec![fill(
            prefs.t(Msg::CpAlreadyEnteredOnPaper),
            &[("ref", paper_ref)],
        )],
        ConsultProblem::NoSuchUnit => one(Msg::CpNoSuchUnit),
        ConsultProblem::PaperRefMissing => one(Msg::CpPaperRefMissing),
        ConsultProblem::NotClosedYet => one(Msg::CpNotClosedYet),
        ConsultProblem::AlreadyPublished => one(Msg::CpAlreadyPublished),
        ConsultProblem::NotPublished => one(Msg::CpNotPublished),
        ConsultProblem::PhaseOrder => one(Msg::CpPhaseOrder),
        ConsultProblem::CommentLength => one(Msg::CpCommentLength),
        ConsultProblem::NoStance => one(Msg::CpNoStance),
        ConsultProblem::ReplyTooDeep => one(Msg::CpReplyTooDeep),
        ConsultProblem::NoSuchComment => one(Msg::CpNoSuchComment),
        ConsultProblem::CommentsClosed => one(Msg::CpCommentsClosed),
        ConsultProblem::UpdateLength => one(Msg::CpUpdateLength),
        ConsultProblem::CommentsTooFast { seconds } => vec![fill(
            prefs.t(Msg::CpCommentsTooFast),
            &[("seconds", &seconds.to_string())],
        )],
        ConsultProblem::OwnComment => one(Msg::CpOwnComment),
        ConsultProblem::RosterFrozen => one(Msg::CpRosterFrozen),
        ConsultProblem::Photo(p) => one(crate::cases::report::problem_text(*p)),
        ConsultProblem::Roster(lines) => lines.iter().map(|p| roster_line_text(p, prefs)).collect(),
    }
}

/// Who may vote does not fit the matter.
fn scope_problem(p: ScopeProblem) -> Msg {
    match p {
        ScopeProblem::NoBuildings => Msg::CpNoBuildings,
        ScopeProblem::NoStairwell => Msg::CpNoStairwell,
        ScopeProblem::MatterNeedsStairwell => Msg::CpMatterNeedsStairwell,
    }
}

/// The phases' dates are out of order.
fn schedule_problem(p: ScheduleProblem) -> Msg {
    match p {
        ScheduleProblem::VoteBeforeComment => Msg::CpVoteBeforeComment,
        ScheduleProblem::CloseBeforeOpen => Msg::CpCloseBeforeOpen,
    }
}

/// A date field that could not be read, named as the form labels it.
fn bad_date_text(field: &str, prefs: Prefs) -> String {
    fill(
        prefs.t(Msg::CpBadDate),
        &[(
            "field",
            prefs.t(match field {
                "comment_from" => Msg::CfCommentFrom,
                "vote_from" => Msg::CfVoteFrom,
                _ => Msg::CfVoteUntil,
            }),
        )],
    )
}

/// One wrong line of a roster upload ("line 7: …"; line 0 is the file as a whole).
fn roster_line_text(p: &RosterProblem, prefs: Prefs) -> String {
    let what = match &p.kind {
        RosterProblemKind::NotUtf8 => prefs.t(Msg::RpNotUtf8).to_owned(),
        RosterProblemKind::Empty => prefs.t(Msg::RpEmpty).to_owned(),
        RosterProblemKind::MissingColumn(c) => fill(prefs.t(Msg::RpMissingColumn), &[("col", c)]),
        RosterProblemKind::FieldCount { expected, found } => fill(
            prefs.t(Msg::RpFieldCount),
            &[
                ("expected", &expected.to_string()),
                ("found", &found.to_string()),
            ],
        ),
        RosterProblemKind::EmptyField(c) => fill(prefs.t(Msg::RpEmptyField), &[("col", c)]),
        RosterProblemKind::BadArea(_) => prefs.t(Msg::RpBadArea).to_owned(),
        RosterProblemKind::BadPhone(v) => fill(prefs.t(Msg::RpBadPhone), &[("value", v)]),
        RosterProblemKind::BadFlag(v) => fill(prefs.t(Msg::RpBadFlag), &[("value", v)]),
        RosterProblemKind::DuplicateUnit { first_line } => fill(
            prefs.t(Msg::RpDuplicateUnit),
            &[("first", &first_line.to_string())],
        ),
        RosterProblemKind::Unquoted => prefs.t(Msg::RpUnquoted).to_owned(),
        RosterProblemKind::TooManyRows => prefs.t(Msg::RpTooManyRows).to_owned(),
    };
    if p.line == 0 {
        what
    } else {
        fill(
            prefs.t(Msg::RpLine),
            &[("line", &p.line.to_string()), ("what", &what)],
        )
    }
}

/// What every part of a consultation's page needs: the form token, whether the viewer is signed
/// in, and the refusal being shown again.
#[derive(Clone)]
pub struct Ctx {
    pub csrf: String,
    pub signed_in: bool,
    pub refusal: Option<ConsultRefusal>,
}
