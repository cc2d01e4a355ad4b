//! The staff console (queues, a case's working page, what to fix) and the performance board.

use crate::ports::cases::{CaseView, NearbyCase};
use crate::ports::common::{Names, PhotoView, PortError, UserId};
use crate::territory::TerritoryLevel;
use serde::{Deserialize, Serialize};

/// Which queue of the staff console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum QueueKind {
    /// New reports to register, registered cases to dispatch, extension requests, 挂账 reviews.
    Operator,
    /// A department's dispatched cases, nearest deadline (so overdue) first.
    Department,
    /// Handled cases waiting for the inspector's check.
    Inspector,
    /// Every open case of a street chief's (or other staff's) territory.
    Watch,
}

/// A case in a staff queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub code: String,
    pub category: Names,
    pub state: crate::workflow::CaseState,
    pub community: Names,
    pub excerpt: String,
    pub created_ms: i64,
    pub deadline_ms: Option<i64>,
    pub overdue: bool,
    pub extension_pending: bool,
    /// Open cases of the same category within 200 m (possible duplicates to merge).
    pub nearby_open: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffQueue {
    pub kind: QueueKind,
    /// The territory or department the queue covers (`None`: the whole city).
    pub scope: Option<Names>,
    pub items: Vec<QueueItem>,
    /// How many cases match in all (the list shows the first ones).
    pub total: u32,
}

/// One timeline entry as staff see it: with internal notes and who acted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffEvent {
    pub at_ms: i64,
    pub stage: crate::cases::case::CaseStage,
    pub action: Option<crate::workflow::CaseAction>,
    pub actor_role: Option<String>,
    pub public_text: Option<String>,
    pub internal_note: Option<String>,
    pub department: Option<Names>,
    pub deadline_ms: Option<i64>,
    pub photos: Vec<PhotoView>,
}

/// A department a case can be dispatched to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentOption {
    pub code: String,
    pub names: Names,
}

/// A case on the staff console: the public view plus what staff need to act.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffCaseView {
    pub case: CaseView,
    pub events: Vec<StaffEvent>,
    /// The actions this viewer may take now, by the workflow table and their grants.
    pub actions: Vec<crate::workflow::CaseAction>,
    pub departments: Vec<DepartmentOption>,
    /// The category's default department.
    pub default_department: String,
    pub department_code: String,
    pub rework_count: u32,
    pub extension_count: u32,
    pub extension_requested_ms: Option<i64>,
    pub review_ms: Option<i64>,
    /// The reporter's follow-up phone, for operators only.
    pub reporter_phone: Option<String>,
    pub nearby: Vec<NearbyCase>,
    /// Where the case came from: "web", "shift" or "open311".
    pub source: String,
    /// For Open311: the organisation whose key filed it.
    pub source_organisation: Option<String>,
}

/// What a staff member typed into an action form, kept when the action is refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffActionDraft {
    pub action: String,
    pub public_reply: String,
    pub internal_note: String,
    pub department: String,
    pub merge_into: String,
    pub until: String,
    pub problems: Vec<StaffProblem>,
}

/// Why a staff action was refused, for the UI to say in the user's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StaffProblem {
    Workflow(crate::workflow::WorkflowError),
    Text(crate::workflow::TextProblem),
    /// The case is outside the territory (or department) of the viewer's grants.
    OutsideYourScope,
    UnknownAction,
    NoSuchDepartment,
    /// Overriding the category's default department needs a reason.
    OverrideNeedsReason,
    DateMissing,
    DateMalformed,
    DateInPast,
    /// An extension must move the deadline later.
    DateNotAfterDeadline,
    MergeIntoItself,
    MergeTargetMissing,
    MergeTargetClosed,
    /// The case to merge into is outside the operator's territory.
    MergeTargetOutsideScope,
    /// No working-day calendar for this year: an administrator must upload it.
    CalendarMissing(i32),
    Photo(crate::cases::report::ReportProblem),
    /// Someone else acted on the case at the same moment; look again.
    ChangedMeanwhile,
}

/// One territory's row on the performance board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardRow {
    pub code: String,
    pub names: Names,
    pub figures: crate::workflow::board::Figures,
}

/// The performance board (共评) for a month: one row per district or street, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardView {
    pub month: crate::workflow::board::Month,
    pub level: TerritoryLevel,
    pub rows: Vec<BoardRow>,
    /// The whole city's figures.
    pub city: crate::workflow::board::Figures,
    /// When the figures were taken.
    pub as_of_ms: i64,
    /// The months that can be chosen, newest first.
    pub months: Vec<crate::workflow::board::Month>,
}

/// The staff console and the performance board.
#[async_trait::async_trait]
pub trait WorkflowPort: Send + Sync {
    /// The queues of every staff grant the person holds (empty for non-staff).
    async fn staff_console(&self, user_id: UserId) -> Result<Vec<StaffQueue>, PortError>;
    /// The performance board; `month` like `2026-10` (empty or invalid: last month), `level`
    /// `district` or `street`.
    async fn board(&self, month: &str, level: &str) -> Result<BoardView, PortError>;
    /// `None` when there is no such case or the person may not see it on the console.
    async fn staff_case(
        &self,
        user_id: UserId,
        code: &str,
    ) -> Result<Option<StaffCaseView>, PortError>;
}
