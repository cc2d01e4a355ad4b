//! The admin pages: people and their roles, the audit log, API keys.

pub mod api;
pub mod api_keys;
pub mod people;
