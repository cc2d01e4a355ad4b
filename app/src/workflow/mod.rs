//! The staff console and the performance board.

pub mod api;
pub mod board;
pub mod staff;
