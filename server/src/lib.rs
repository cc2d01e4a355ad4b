//! Linli's server. Capabilities (`account`, `admin`, `cases`, `workflow`, `consult`, `sorting`,
//! `open311`, `open_data`) sit on `web` (the HTTP kernel: state, errors, extractors, sessions) and
//! `kernel` (store, clock, media, SMS, limits, photos, audit, events); `startup` builds the services
//! and merges each capability's routes; `tools` holds the seed and the benchmarks.

pub mod account;
pub mod admin;
pub mod cases;
pub mod consult;
pub mod kernel;
pub mod open311;
pub mod open_data;
pub mod sorting;
pub mod startup;
pub mod tools;
pub mod web;
pub mod workflow;
