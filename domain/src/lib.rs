//! Linli's domain: the rules of the city, free of I/O.
//!
//! Every type here that comes from outside (a form, a file, the store) is parsed by a constructor that
//! returns `Result`, so the rest of the system only ever holds valid values.

pub mod access;
pub mod board;
pub mod calendar;
pub mod case;
pub mod category;
pub mod cluster;
pub mod consult;
pub mod exif;
pub mod geo;
#[cfg(feature = "locate")]
pub mod locate;
pub mod names;
pub mod open311;
pub mod opendata;
pub mod otp;
pub mod phone;
pub mod ports;
pub mod privacy;
pub mod questions;
pub mod report;
pub mod sorting;
pub mod supervision;
pub mod territory;
pub mod throttle;
pub mod tiles;
pub mod tracking;
pub mod workflow;
