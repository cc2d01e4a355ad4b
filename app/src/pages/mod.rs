//! Every page the router knows: the site's own (home, not found) and each capability's, re-exported
//! for the route table.

mod home;
mod not_found;

pub use crate::account::login::LoginPage;
pub use crate::account::me::MePage;
pub use crate::admin::api_keys::ApiKeysPage;
pub use crate::admin::people::AdminPage;
pub use crate::cases::case::CasePage;
pub use crate::cases::map::MapPage;
pub use crate::cases::report::ReportPage;
pub use crate::cases::track::TrackPage;
pub use crate::consult::detail::ConsultDetailPage;
pub use crate::consult::pages::{ConsultNewPage, ConsultPage, RosterPage};
pub use crate::open_data::page::OpenDataPage;
pub use crate::sorting::board::{SortingCommunityPage, SortingRankingPage};
pub use crate::sorting::home::SortingPage;
pub use crate::sorting::point_edit::PointEditPage;
pub use crate::sorting::shift::ShiftPage;
pub use crate::workflow::board::BoardPage;
pub use crate::workflow::staff::{StaffCasePage, StaffPage};
pub use home::HomePage;
pub use not_found::NotFoundPage;
