//! What the UI may ask of the service layer. The Leptos app cannot depend on the server crate (the
//! server depends on the app), so the server implements these traits and hands them to Leptos through
//! context; the app's server functions call them and nothing else.

use crate::category::{CategoryKind, TimeLimit};
use crate::territory::TerritoryLevel;
use crate::tiles::TileLayerSpec;
use serde::{Deserialize, Serialize};

pub use crate::names::Names;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeStats {
    pub districts: u32,
    pub streets: u32,
    pub communities: u32,
    pub grids: u32,
    pub categories: u32,
    pub departments: u32,
}

/// One polygon of the territory tree, ready to draw: `ring` is (lat, lng) in WGS-84.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TerritoryOutline {
    pub code: String,
    pub level: TerritoryLevel,
    pub names: Names,
    pub ring: Vec<(f64, f64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapLayers {
    pub tiles: TileLayerSpec,
    pub districts: Vec<TerritoryOutline>,
    pub grids: Vec<TerritoryOutline>,
    /// True when the territory shapes are synthetic demo data, so the page can say so.
    pub demo_shapes: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubCategory {
    pub code: String,
    pub names: Names,
    pub department: Names,
    pub time_limit: TimeLimit,
    /// What else the category asks a reporter.
    pub questions: Vec<crate::questions::Question>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryGroup {
    pub code: String,
    pub kind: CategoryKind,
    pub names: Names,
    pub subs: Vec<SubCategory>,
}

/// Who is looking at a page, as the UI needs it. Built by the server from the session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    /// The token every state-changing form must echo (absent before a session exists).
    pub csrf_token: Option<String>,
    /// The signed-in person's id, for the server only: never serialised to the browser.
    #[serde(skip)]
    pub user_id: Option<i64>,
    pub signed_in: Option<SignedIn>,
    /// A sign-in waiting for its code.
    pub pending: Option<PendingSignIn>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedIn {
    pub masked_phone: String,
    pub roles: Vec<RoleView>,
    pub is_staff: bool,
}

/// A role with the name of the place or department it applies to (`None` for city-wide).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleView {
    pub role: crate::access::Role,
    pub scope: Option<Names>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingSignIn {
    pub masked_phone: String,
    /// Shown on the page in demo mode only, clearly marked.
    pub demo_code: Option<String>,
}

/// A place in the territory tree, with its children, for the "can't use the map?" lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceOption {
    pub code: String,
    pub names: Names,
    pub children: Vec<PlaceOption>,
}

/// Everything the report form offers to choose from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportFormData {
    pub categories: Vec<CategoryGroup>,
    /// Districts → streets → communities.
    pub places: Vec<PlaceOption>,
    pub tiles: TileLayerSpec,
    /// Where the map opens: the middle of the city's grid cells, (lat, lng).
    pub centre: (f64, f64),
}

/// What a resident typed into the report form, kept so a refused form comes back filled in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportValues {
    pub category: String,
    pub description: String,
    pub lat: String,
    pub lng: String,
    pub location_source: String,
    pub community: String,
    pub address: String,
    pub anonymous: bool,
    pub contact_phone: String,
    /// How many photos were attached (the browser cannot be given them back).
    pub photos_sent: u32,
    /// Answers to the category's extra questions: (question code, value); a list question that
    /// takes several choices has one pair per choice.
    pub answers: Vec<(String, String)>,
}

/// A refused report, shown again with what to fix.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportDraft {
    pub values: ReportValues,
    pub problems: Vec<crate::report::ReportProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEventView {
    pub stage: crate::case::CaseStage,
    pub at_ms: i64,
    /// The workflow action that made this entry (`None` for the report itself).
    pub action: Option<crate::workflow::CaseAction>,
    /// The public reply staff wrote (a rejection's reason, a result), personal numbers masked.
    pub public_text: Option<String>,
    /// Photos staff attached (a department's result, an inspector's check).
    pub photos: Vec<PhotoView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoView {
    /// The photo's place on its case (0, 1, 2), which moderation refers to.
    pub position: u32,
    pub full_url: String,
    pub thumb_url: String,
    pub width: u32,
    pub height: u32,
}

/// A case as anyone may see it. Never carries the reporter's name or phone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseView {
    pub code: String,
    pub category: Names,
    pub category_code: String,
    pub department: Names,
    pub time_limit: TimeLimit,
    /// Personal numbers masked, or an operator's edit.
    pub description: String,
    pub address: Option<String>,
    /// Rounded to about 100 m, (lat, lng) in WGS-84.
    pub approx_position: (f64, f64),
    /// The resident chose from lists: the point is only the community.
    pub community_only: bool,
    pub community: Names,
    pub street: Names,
    pub district: Names,
    pub stage: crate::case::CaseStage,
    pub timeline: Vec<CaseEventView>,
    pub deadline_ms: Option<i64>,
    pub followers: u32,
    pub me_too: u32,
    pub photos: Vec<PhotoView>,
    pub created_ms: i64,
    /// Present only for the reporter (private link or signed in as them).
    pub private: Option<PrivateCaseView>,
    /// The reporter's follow-ups, oldest first (personal numbers masked).
    pub comments: Vec<CommentView>,
    /// The base map to draw the small location map on.
    pub tiles: TileLayerSpec,
    pub community_code: String,
    pub street_code: String,
    /// Whether the signed-in viewer follows this case and its community.
    pub viewer_follows: bool,
    pub viewer_follows_area: bool,
    /// The workflow state (the stage says less: a rejected case's stage is closed too).
    pub state: crate::workflow::CaseState,
    /// The reporter may rate the case now (closed and not yet rated).
    pub can_rate: bool,
    /// The case this one was merged into.
    pub merged_into: Option<String>,
    /// Positions of photos an operator hid (numbers only: the page offers moderators to show them).
    pub hidden_photos: Vec<u32>,
    /// Follow-ups a moderator hid (ids), so they can be shown again.
    pub hidden_comments: Vec<i64>,
    /// Answers to the category's extra questions: (question, answer).
    pub answers: Vec<(Names, Names)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentView {
    /// For moderation.
    pub id: i64,
    pub at_ms: i64,
    pub text: String,
    pub photo: Option<PhotoView>,
}

/// A signed-in resident's cases, for 我的.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MyCases {
    pub reported: Vec<CaseListItem>,
    pub following: Vec<CaseListItem>,
    /// Streets and communities followed: (code, names).
    pub areas: Vec<(String, Names)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrivateCaseView {
    pub contact_phone: Option<String>,
    pub anonymous: bool,
    /// The full text as the reporter wrote it.
    pub description: String,
    /// The private key this view was opened with, for the private link and the reporter's forms.
    pub follow_key: Option<String>,
    /// Where the photo says it was taken, right after filing (never from a URL).
    pub photo_gps: Option<(f64, f64)>,
}

/// The answer to "show me case X".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CaseLookup {
    Found(Box<CaseView>),
    /// Not a tracking code at all.
    Malformed,
    /// Well-formed, but there is no such case (or it is not public).
    NotFound,
    /// Too many unknown codes from this address lately: wait this many seconds.
    Limited(i64),
}

/// An open case of the same category near a new report's pin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearbyCase {
    pub code: String,
    pub category: Names,
    pub excerpt: String,
    pub distance_m: u32,
    pub stage: crate::case::CaseStage,
    pub me_too: u32,
    pub created_ms: i64,
}

/// One point on the case map: a cluster of `count` cases, or one case (`code` set).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseCluster {
    /// Mean position of the cases in the cell (a single case's is rounded to ~100 m).
    pub lat: f64,
    pub lng: f64,
    pub count: u32,
    pub code: Option<String>,
}

/// A row of the case list (the map's keyboard and screen-reader alternative).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseListItem {
    pub code: String,
    pub category: Names,
    pub excerpt: String,
    pub stage: crate::case::CaseStage,
    pub community: Names,
    pub me_too: u32,
    pub created_ms: i64,
    pub updated_ms: i64,
}

/// What the map and list show: which cases (category prefix, open/closed) and where (`None`: the
/// whole city).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseFilter {
    pub view: Option<crate::cluster::MapView>,
    /// A category code or a major class code; empty for all.
    pub category: String,
    pub state: crate::cluster::StateFilter,
}

/// A person as admins see them (full phone: admins manage accounts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminPerson {
    pub id: i64,
    pub phone: Option<String>,
    pub display_name: Option<String>,
    pub grants: Vec<AdminGrant>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminGrant {
    pub id: i64,
    pub role: crate::access::Role,
    /// The territory or department code; `None` for city-wide.
    pub scope_code: Option<String>,
    pub scope_name: Option<Names>,
}

/// One audit log row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at_ms: i64,
    /// The actor's phone, masked (or `None` for a deleted account).
    pub actor: Option<String>,
    pub action: String,
    pub target: String,
    pub details: String,
    pub client: String,
}

/// What the admin page shows: people matching the search, and the filtered audit log.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminView {
    pub people: Vec<AdminPerson>,
    pub audit: Vec<AuditEntry>,
}

/// The caller's network address, as the server determined it (for rate limits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddress(pub String);

/// Why a query could not be answered. The UI turns each kind into a message in the user's language.
/// It carries no store error text: that is logged on the server and never reaches a browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum PortError {
    #[error("the service is unavailable")]
    Unavailable,
}

/// Read-only queries behind the public pages.
#[async_trait::async_trait]
pub trait PortalQueries: Send + Sync {
    async fn home_stats(&self) -> Result<HomeStats, PortError>;
    async fn map_layers(&self) -> Result<MapLayers, PortError>;
    async fn categories(&self) -> Result<Vec<CategoryGroup>, PortError>;
    async fn report_form(&self) -> Result<ReportFormData, PortError>;
    /// `client` is the caller's address, for the limit on unknown codes.
    async fn case_view(
        &self,
        code: &str,
        follow_key: Option<&str>,
        user_id: Option<i64>,
        client: &str,
    ) -> Result<CaseLookup, PortError>;
    async fn my_cases(&self, user_id: i64) -> Result<MyCases, PortError>;
    /// `None` when `user_id` may not read it (only admins may).
    async fn admin_view(
        &self,
        user_id: i64,
        search: &str,
        audit_filter: &str,
    ) -> Result<Option<AdminView>, PortError>;
    /// At most a few hundred points, however many cases match.
    async fn case_clusters(&self, filter: &CaseFilter) -> Result<Vec<CaseCluster>, PortError>;
    /// Newest first, `CASE_PAGE` at a time.
    async fn case_list(
        &self,
        filter: &CaseFilter,
        page: u32,
    ) -> Result<Vec<CaseListItem>, PortError>;
    async fn nearby_cases(
        &self,
        category: &str,
        lat: f64,
        lng: f64,
    ) -> Result<Vec<NearbyCase>, PortError>;
    /// The queues of every staff grant the person holds (empty for non-staff).
    async fn staff_console(&self, user_id: i64) -> Result<Vec<StaffQueue>, PortError>;
    /// The performance board; `month` like `2026-10` (empty or invalid: last month), `level`
    /// `district` or `street`.
    async fn board(&self, month: &str, level: &str) -> Result<BoardView, PortError>;
    /// `None` when there is no such case or the person may not see it on the console.
    async fn staff_case(
        &self,
        user_id: i64,
        code: &str,
    ) -> Result<Option<StaffCaseView>, PortError>;
    /// "Which bin?": items for a search; a search that finds nothing is logged for the council,
    /// and councils and admins see the most asked unknown items.
    async fn which_bin(&self, query: &str, user_id: Option<i64>) -> Result<WhichBin, PortError>;
    /// A community's collection points with their bins, windows and whether they are open now
    /// (empty `community`: just the list of communities to choose from).
    /// With `near` ("lat,lng", WGS-84, from the resident's phone): the points nearest to it across
    /// the city, nearest first, and the nearest point's community chosen.
    async fn collection_points(
        &self,
        community: &str,
        near: &str,
        user_id: Option<i64>,
    ) -> Result<CollectionPoints, PortError>;
    /// The city's districts, streets and communities, in code order.
    async fn territories(&self) -> Result<Vec<TerritoryItem>, PortError>;
    /// The Open311 API keys (`None`: the viewer is not an admin).
    async fn api_keys(&self, user_id: i64) -> Result<Option<Vec<ApiKeyView>>, PortError>;
    /// The council's form for a point: `id` to edit one, else a new point in `community`
    /// (`None`: no such point or community, or the viewer is not on its council).
    async fn point_editor(
        &self,
        id: &str,
        community: &str,
        user_id: i64,
    ) -> Result<Option<PointEditor>, PortError>;
    /// A volunteer's page: their points, and their own shifts and totals (`None`: no points).
    async fn volunteer_page(&self, user_id: i64) -> Result<Option<VolunteerPage>, PortError>;
    /// A community's last twelve months of sorting figures and its latest issues.
    async fn sorting_trend(
        &self,
        community: &str,
        user_id: Option<i64>,
    ) -> Result<Option<CommunityTrend>, PortError>;
    /// 红黑榜: the communities of a street or district ranked for a month (`""`: this month).
    async fn sorting_ranking(&self, area: &str, month: &str) -> Result<Ranking, PortError>;
    /// 共谋: consultations, newest first, and the communities the viewer runs consultations for.
    async fn consult_list(&self, user_id: Option<i64>) -> Result<ConsultList, PortError>;
    /// The live turnout meter of a consultation (how people voted blanked while secret).
    async fn consult_meter(&self, id: i64) -> Result<Option<crate::consult::Tally>, PortError>;
    /// One consultation as this viewer may see it (`None`: no such consultation).
    async fn consult_view(
        &self,
        id: i64,
        user_id: Option<i64>,
    ) -> Result<Option<ConsultView>, PortError>;
}

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
    pub stage: crate::case::CaseStage,
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
    Photo(crate::report::ReportProblem),
    /// Someone else acted on the case at the same moment; look again.
    ChangedMeanwhile,
}

/// One territory's row on the performance board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardRow {
    pub code: String,
    pub names: Names,
    pub figures: crate::board::Figures,
}

/// The performance board (共评) for a month: one row per district or street, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardView {
    pub month: crate::board::Month,
    pub level: TerritoryLevel,
    pub rows: Vec<BoardRow>,
    /// The whole city's figures.
    pub city: crate::board::Figures,
    /// When the figures were taken.
    pub as_of_ms: i64,
    /// The months that can be chosen, newest first.
    pub months: Vec<crate::board::Month>,
}

// ---------------------------------------------------------------------------------------------
// 共谋 consultations

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
    Photo(crate::report::ReportProblem),
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

// ---------------------------------------------------------------------------------------------
// Waste sorting

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BinMatch {
    pub name: String,
    pub bin: crate::sorting::Bin,
    pub tip: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhichBin {
    /// The search as understood (normalised); empty when nothing was asked.
    pub query: String,
    pub matches: Vec<BinMatch>,
    /// For councils and admins: what people asked that the list does not have, most asked first.
    pub unknown: Vec<(String, u32)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointView {
    pub id: i64,
    pub name: String,
    pub lat: f64,
    pub lng: f64,
    pub households: u32,
    pub bins: Vec<crate::sorting::Bin>,
    /// "07:00-09:00" each.
    pub windows: Vec<String>,
    pub state: crate::supervision::OpenState,
    /// Metres from the resident, when they gave their location.
    pub distance_m: Option<u32>,
    /// The point's community, when points of several communities are listed.
    pub community: Option<Names>,
}

/// An Open311 API key as admins see it (never the key itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeyView {
    pub id: i64,
    pub organisation: String,
    /// The key's first characters, to tell keys apart.
    pub prefix: String,
    pub created_ms: i64,
    pub revoked: bool,
    /// Cases filed with it.
    pub cases: i64,
}

/// A district, street or community.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerritoryItem {
    pub code: String,
    pub parent: Option<String>,
    /// "district", "street" or "community".
    pub level: String,
    pub names: Names,
}

/// A key just issued, shown once on the page the issuing post renders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedApiKey {
    pub organisation: String,
    pub key: String,
}

/// A refused point form, shown again with what to fix.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointRefusal {
    pub form: crate::supervision::PointForm,
    pub problems: Vec<crate::supervision::PointProblem>,
}

/// The council's point form: the point's values (or a new point's), and what to fix when refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointEditor {
    pub form: crate::supervision::PointForm,
    pub community_names: Names,
    pub problems: Vec<crate::supervision::PointProblem>,
    /// Where a new point's pin starts: the community's centre.
    pub centre: (f64, f64),
    pub tiles: Option<crate::tiles::TileLayerSpec>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CollectionPoints {
    /// The chosen community.
    pub community: Option<(String, Names)>,
    /// The chosen community's rates this month so far ("2026-11").
    pub month: String,
    pub rates: Option<crate::supervision::Rates>,
    /// The viewer sits on this community's council and may record the month's survey.
    pub may_record_survey: bool,
    pub points: Vec<PointView>,
    /// Communities that have points: (code, names).
    pub communities: Vec<(String, Names)>,
    /// Where the resident said they are (WGS-84), when the list is "near me".
    pub near: Option<(f64, f64)>,
    /// The base map, for drawing the points.
    pub tiles: Option<crate::tiles::TileLayerSpec>,
}

/// A point a volunteer stands at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssignedPoint {
    pub id: i64,
    pub name: String,
    pub households: u32,
    pub windows: Vec<String>,
}

/// One of the volunteer's own shifts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShiftSummary {
    pub point: String,
    pub date: String,
    pub start: String,
    pub end: String,
    pub households: u32,
    pub inspected: u32,
    pub correct: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VolunteerPage {
    pub points: Vec<AssignedPoint>,
    /// Latest first.
    pub shifts: Vec<ShiftSummary>,
    pub total_shifts: u32,
    pub total_households: u64,
    pub total_minutes: u64,
    /// Today (China time) and the time now, to prefill the form.
    pub today: String,
    pub now: String,
}

/// Why a shift log was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShiftFormProblem {
    NoSuchPoint,
    NotAssigned,
    BadDate,
    /// "start" or "end".
    BadTime(String),
    InFuture,
    Shift(crate::supervision::ShiftProblem),
    IssueKind,
    IssueNoteLength,
    /// Photos belong to an issue.
    PhotoWithoutIssue,
    Photo(crate::report::ReportProblem),
}

/// A shift form as typed, shown again with what to fix.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ShiftDraft {
    pub point: String,
    pub date: String,
    pub start: String,
    pub end: String,
    pub households: String,
    /// Correct, then incorrect, for each bin in `Bin::ALL` order (8 fields).
    pub counts: Vec<String>,
    pub reason: String,
    pub issue_kind: String,
    pub issue_note: String,
    pub problems: Vec<ShiftFormProblem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthRates {
    /// "2026-11".
    pub month: String,
    pub rates: crate::supervision::Rates,
}

/// An issue a volunteer noted, and whether it was fixed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssueView {
    pub id: i64,
    pub date: String,
    pub point: String,
    pub kind: String,
    pub note: String,
    pub fixed: bool,
    /// The case the council handed the issue over as.
    pub case_code: Option<String>,
    pub photos: Vec<PhotoView>,
    /// Some of its photos were hidden by the council.
    pub photos_hidden: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommunityTrend {
    pub code: String,
    pub names: Names,
    /// Oldest first, the current month last.
    pub months: Vec<MonthRates>,
    pub issues: Vec<IssueView>,
    /// The viewer sits on this community's council and may mark issues fixed.
    pub may_manage: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankRow {
    pub code: String,
    pub names: Names,
    pub rates: crate::supervision::Rates,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ranking {
    /// The street or district ranked, if one was chosen.
    pub area: Option<(String, Names)>,
    pub month: String,
    /// Communities below this coverage (percent of drop-off windows logged) are not ranked.
    pub min_coverage_percent: u32,
    /// Best first, by participation, then accuracy.
    pub ranked: Vec<RankRow>,
    pub unranked: Vec<RankRow>,
    /// The area's own figure, and the city's.
    pub area_rates: Option<crate::supervision::Rates>,
    pub city: crate::supervision::Rates,
    /// Streets and districts to choose from.
    pub areas: Vec<(String, Names)>,
}
