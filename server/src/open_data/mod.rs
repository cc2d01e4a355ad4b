//! What the city publishes: the read-only REST API and the open datasets.

pub mod api;
pub mod export;
pub mod web;
