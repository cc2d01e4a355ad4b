//! The bottom layer: what every capability uses and that imports nothing above it.

pub mod access;
pub mod audit;
pub mod cache;
pub mod clock;
pub mod config;
pub mod events;
pub mod media;
pub mod photo_desk;
pub mod photos;
pub mod rate;
pub mod secrets;
pub mod sessions;
pub mod sms;
pub mod store;
