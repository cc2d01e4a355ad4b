//! The HTTP kernel every capability's adapter stands on: the state handlers share, errors and
//! extractors, sessions, page rendering, and the router with its middleware and static files.

pub mod error;
pub mod extract;
pub mod render;
pub mod router;
pub mod session;
pub mod state;
pub mod streams;
