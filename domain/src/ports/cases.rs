//! Cases as residents see them: one case with its timeline, their own cases, the map and the list.

use crate::cases::category::TimeLimit;
use crate::ports::common::{Names, PhotoView, PortError, UserId};
use crate::tiles::TileLayerSpec;
use serde::{Deserialize, Serialize};

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
    pub problems: Vec<crate::cases::report::ReportProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEventView {
    pub stage: crate::cases::case::CaseStage,
    pub at_ms: i64,
    /// The workflow action that made this entry (`None` for the report itself).
    pub action: Option<crate::workflow::CaseAction>,
    /// The public reply staff wrote (a rejection's reason, a result), personal numbers masked.
    pub public_text: Option<String>,
    /// Photos staff attached (a department's result, an inspector's check).
    pub photos: Vec<PhotoView>,
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
    pub stage: crate::cases::case::CaseStage,
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
    pub stage: crate::cases::case::CaseStage,
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
    pub stage: crate::cases::case::CaseStage,
    pub community: Names,
    pub me_too: u32,
    pub created_ms: i64,
    pub updated_ms: i64,
}

/// What the map and list show: which cases (category prefix, open/closed) and where (`None`: the
/// whole city).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseFilter {
    pub view: Option<crate::cases::cluster::MapView>,
    /// A category code or a major class code; empty for all.
    pub category: String,
    pub state: crate::cases::cluster::StateFilter,
}

/// Cases as residents see them: one case, their own, and the map's and list's pages of them.
#[async_trait::async_trait]
pub trait CasesPort: Send + Sync {
    /// `client` is the caller's address, for the limit on unknown codes.
    async fn case_view(
        &self,
        code: &str,
        follow_key: Option<&str>,
        user_id: Option<UserId>,
        client: &str,
    ) -> Result<CaseLookup, PortError>;
    async fn my_cases(&self, user_id: UserId) -> Result<MyCases, PortError>;
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
}
