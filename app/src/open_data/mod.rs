//! The open-data page.

pub mod page;
