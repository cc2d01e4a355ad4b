//! Signing in and a resident's own page.

pub mod api;
pub mod login;
pub mod me;
