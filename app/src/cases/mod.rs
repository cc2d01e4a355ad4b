//! The resident side of cases: the report form, a case's page, the map and list, tracking.

pub mod api;
pub mod case;
pub mod map;
pub mod report;
pub mod track;
