//! Waste sorting: "which bin?", collection points, volunteers' pages and shifts, the figures.

use crate::ports::common::{Names, PhotoView, PortError, UserId};
use serde::{Deserialize, Serialize};

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
    pub state: crate::sorting::supervision::OpenState,
    /// Metres from the resident, when they gave their location.
    pub distance_m: Option<u32>,
    /// The point's community, when points of several communities are listed.
    pub community: Option<Names>,
}

/// A refused point form, shown again with what to fix.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointRefusal {
    pub form: crate::sorting::supervision::PointForm,
    pub problems: Vec<crate::sorting::supervision::PointProblem>,
}

/// The council's point form: the point's values (or a new point's), and what to fix when refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointEditor {
    pub form: crate::sorting::supervision::PointForm,
    pub community_names: Names,
    pub problems: Vec<crate::sorting::supervision::PointProblem>,
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
    pub rates: Option<crate::sorting::supervision::Rates>,
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
    Shift(crate::sorting::supervision::ShiftProblem),
    IssueKind,
    IssueNoteLength,
    /// Photos belong to an issue.
    PhotoWithoutIssue,
    Photo(crate::cases::report::ReportProblem),
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
    pub rates: crate::sorting::supervision::Rates,
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
    pub rates: crate::sorting::supervision::Rates,
    /// Its rank among the ranked (ties share one); 0 when not ranked.
    #[serde(default)]
    pub rank: u32,
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
    pub area_rates: Option<crate::sorting::supervision::Rates>,
    pub city: crate::sorting::supervision::Rates,
    /// Streets and districts to choose from.
    pub areas: Vec<(String, Names)>,
    /// 红榜 (best first) and 黑榜 (worst first): never the same community on both.
    pub red: Vec<RankRow>,
    pub black: Vec<RankRow>,
    /// The months with logged shifts, newest first, to choose from.
    pub months: Vec<String>,
    /// The month is still under way: its figures can change.
    pub provisional: bool,
}

/// Waste sorting: "which bin?", collection points, volunteers' shifts and the figures.
#[async_trait::async_trait]
pub trait SortingPort: Send + Sync {
    /// "Which bin?": items for a search; a search that finds nothing is logged for the council,
    /// and councils and admins see the most asked unknown items.
    async fn which_bin(&self, query: &str, user_id: Option<UserId>) -> Result<WhichBin, PortError>;
    /// A community's collection points with their bins, windows and whether they are open now
    /// (empty `community`: just the list of communities to choose from).
    /// With `near` ("lat,lng", WGS-84, from the resident's phone): the points nearest to it across
    /// the city, nearest first, and the nearest point's community chosen.
    async fn collection_points(
        &self,
        community: &str,
        near: &str,
        user_id: Option<UserId>,
    ) -> Result<CollectionPoints, PortError>;
    /// The council's form for a point: `id` to edit one, else a new point in `community`
    /// (`None`: no such point or community, or the viewer is not on its council).
    async fn point_editor(
        &self,
        id: &str,
        community: &str,
        user_id: UserId,
    ) -> Result<Option<PointEditor>, PortError>;
    /// A volunteer's page: their points, and their own shifts and totals (`None`: no points).
    async fn volunteer_page(&self, user_id: UserId) -> Result<Option<VolunteerPage>, PortError>;
    /// A community's last twelve months of sorting figures and its latest issues.
    async fn sorting_trend(
        &self,
        community: &str,
        user_id: Option<UserId>,
    ) -> Result<Option<CommunityTrend>, PortError>;
    /// 红黑榜: the communities of a street or district ranked for a month (`""`: this month).
    async fn sorting_ranking(&self, area: &str, month: &str) -> Result<Ranking, PortError>;
}
