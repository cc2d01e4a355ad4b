mod consult;
mod home;
mod map;
mod me;
mod not_found;
mod report;
mod sorting;
mod track;

pub use consult::ConsultPage;
pub use home::HomePage;
pub use map::MapPage;
pub use me::MePage;
pub use not_found::NotFoundPage;
pub use report::ReportPage;
pub use sorting::SortingPage;
pub use track::TrackPage;
