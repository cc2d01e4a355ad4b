//! The resident side of cases: the report form, a case's page, the map and list, tracking.

pub mod api;
pub mod case;
mod case_moderation;
pub mod map;
pub mod report;
mod report_place;
mod report_text;
pub mod track;
