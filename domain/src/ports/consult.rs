//! 共谋 consultations: the list, one consultation with its votes, comments and result, the forms.

use crate::ports::common::{Names, PhotoView, PortError, UserId};
use serde::{Deserialize, Serialize};

/// A consultation in the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsultListItem {
    pub id: i64,
    pub title: String,
    pub community: Names,
    pub matter: Names,
    pub phase: crate::consult::Phase,
    pub vote_from: i64,
    pub vote_until: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsultList {
    pub items: Vec<ConsultListItem>,
    /// Communities where the viewer sits on the council: (code, names).
    pub council_of: Vec<(String, Names)>,
    pub matters: Vec<MatterView>,
    /// The council's moderation queue: consultations of its communities with comments held after
    /// reports, as (consultation id, title, how many held).
    pub held: Vec<(i64, String, u32)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatterView {
    pub code: String,
    pub names: Names,
    pub basis: Names,
    pub quorum: crate::consult::Threshold,
    pub pass: crate::consult::Threshold,
    pub stairwell_only: bool,
}

/// A unit as people name it: 3栋2单元501.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct UnitLabel {
    pub building: String,
    pub stairwell: String,
    pub unit: String,
}

/// The viewer as an owner of this consultation's community.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnerStatus {
    /// Their units in the community (verified by their phone on the roster).
    pub units: Vec<UnitLabel>,
    /// Whether any of them is in the consultation's scope.
    pub in_scope: bool,
    pub ballot: Option<BallotView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BallotView {
    pub choice: crate::consult::Choice,
    pub paper: bool,
    pub changed_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseLogEntry {
    pub phase: crate::consult::Phase,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsultComment {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub stance: crate::consult::Stance,
    /// Escaped by the view; personal numbers masked.
    pub body: String,
    pub official: bool,
    /// Hidden by reports, waiting for the council (shown only to the council).
    pub held: bool,
    pub reports: u32,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdateView {
    pub body: String,
    pub at: i64,
    pub photos: Vec<PhotoView>,
}

/// What the result shows: every figure, and the units that voted (not how).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsultResult {
    pub tally: crate::consult::Tally,
    pub voted_units: Vec<UnitLabel>,
    /// Frozen at publication; before that the figures are live.
    pub published: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsultView {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub community_code: String,
    pub community: Names,
    pub matter: MatterView,
    pub scope: crate::consult::VoteScope,
    /// Option labels; empty for a yes/no/abstain question.
    pub options: Vec<String>,
    pub open_voting: bool,
    pub schedule: crate::consult::Schedule,
    pub published_at: Option<i64>,
    pub followup_at: Option<i64>,
    pub phase: crate::consult::Phase,
    pub created_at: i64,
    /// Plans and cost estimates, as images.
    pub photos: Vec<PhotoView>,
    pub log: Vec<PhaseLogEntry>,
    /// Turnout against both quorum lines (always shown); per-option figures only when allowed.
    pub meter: crate::consult::Tally,
    /// How people voted: after the vote closes, or during it when voting is open.
    pub show_choices: bool,
    pub result: Option<ConsultResult>,
    pub me: Option<OwnerStatus>,
    pub council: bool,
    pub comments: Vec<ConsultComment>,
    pub updates: Vec<UpdateView>,
    /// Units on the community's roster, so the council sees whether one was imported.
    pub roster_units: u64,
}

impl ConsultView {
    pub fn option_count(&self) -> usize {
        if self.options.is_empty() {
            2
        } else {
            self.options.len()
        }
    }
}

/// Why a consultation form or action was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConsultProblem {
    NotCouncil,
    NoSuchCommunity,
    TitleLength,
    BodyLength,
    UnknownMatter,
    Scope(crate::consult::ScopeProblem),
    Schedule(crate::consult::ScheduleProblem),
    /// A date field that is not a date: the field name.
    BadDate(String),
    VoteEndsInPast,
    /// Option questions need 2 to 8 options.
    OptionCount,
    NotOwner,
    OutsideScope,
    VoteNotOpen,
    VoteClosed,
    NoSuchOption,
    AlreadyVotedOnPaper {
        paper_ref: String,
    },
    AlreadyVotedOnline,
    AlreadyEnteredOnPaper {
        paper_ref: String,
    },
    NoSuchUnit,
    PaperRefMissing,
    NotClosedYet,
    AlreadyPublished,
    NotPublished,
    PhaseOrder,
    CommentLength,
    NoStance,
    ReplyTooDeep,
    NoSuchComment,
    CommentsClosed,
    UpdateLength,
    /// Too many comments from one person: wait this long.
    CommentsTooFast {
        seconds: i64,
    },
    /// Nobody reports their own comment.
    OwnComment,
    /// The roster cannot change inside the scope of a vote that has begun and whose result is
    /// not published: the tally is taken from it.
    RosterFrozen,
    /// A plan or progress photo that cannot be taken (type, size, count, unreadable).
    Photo(crate::cases::report::ReportProblem),
    Roster(Vec<crate::consult::RosterProblem>),
}

/// A consultation form as typed, for showing it again with what to fix.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConsultForm {
    pub community: String,
    pub title: String,
    pub body: String,
    pub matter: String,
    pub scope_kind: String,
    pub buildings: String,
    pub building: String,
    pub stairwell: String,
    pub question: String,
    /// One option per line.
    pub options: String,
    pub open_voting: bool,
    pub comment_from: String,
    pub vote_from: String,
    pub vote_until: String,
}

/// A refused consultation form or action, shown again on the page it came from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConsultRefusal {
    /// Which form: "create", "roster", "vote", "paper", "phase", "comment", "report", "review",
    /// "update".
    pub form: String,
    pub problems: Vec<ConsultProblem>,
    pub create: Option<ConsultForm>,
    /// Text the person typed (comment, update, paper ballot reference), kept.
    pub text: String,
}

/// 共谋 consultations: the list, one consultation, its live meter.
#[async_trait::async_trait]
pub trait ConsultPort: Send + Sync {
    /// 共谋: consultations, newest first, and the communities the viewer runs consultations for.
    async fn consult_list(&self, user_id: Option<UserId>) -> Result<ConsultList, PortError>;
    /// The live turnout meter of a consultation (how people voted blanked while secret).
    async fn consult_meter(&self, id: i64) -> Result<Option<crate::consult::Tally>, PortError>;
    /// One consultation as this viewer may see it (`None`: no such consultation).
    async fn consult_view(
        &self,
        id: i64,
        user_id: Option<UserId>,
    ) -> Result<Option<ConsultView>, PortError>;
}
