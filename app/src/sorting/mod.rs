//! Waste sorting: which bin, collection points, the volunteer's shift form, the figures.

pub mod api;
pub mod board;
pub mod home;
pub mod point_edit;
pub mod shift;
