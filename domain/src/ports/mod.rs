//! What the UI may ask of the service layer, one small port per capability. The Leptos app cannot
//! depend on the server crate (the server depends on the app), so each capability of the server
//! implements its port and the server hands them to Leptos through context; the app's server
//! functions call them and nothing else. The DTOs sit beside the port that returns them; all are
//! re-exported here, so `domain::ports::CaseView` names one wherever it lives.

pub mod account;
pub mod admin;
pub mod cases;
pub mod catalogue;
pub mod common;
pub mod consult;
pub mod sorting;
pub mod workflow;

pub use account::*;
pub use admin::*;
pub use cases::*;
pub use catalogue::*;
pub use common::*;
pub use consult::*;
pub use sorting::*;
pub use workflow::*;
