//! Linli's domain: the rules of the city, free of I/O.
//!
//! Every type here that comes from outside (a form, a file, the store) is parsed by a constructor that
//! returns `Result`, so the rest of the system only ever holds valid values.

pub mod access;
pub mod account;
pub mod calendar;
pub mod cases;
pub mod consult;
pub mod geo;
pub mod names;
pub mod open_data;
pub mod ports;
pub mod privacy;
pub mod sorting;
pub mod territory;
pub mod throttle;
pub mod tiles;
pub mod workflow;
