//! The rules of a case from the resident's side: its stages, categories and their questions, the
//! report's fields, tracking codes, map clusters, the grid lookup, a photo's EXIF position.

pub mod case;
pub mod category;
pub mod cluster;
pub mod exif;
#[cfg(feature = "locate")]
pub mod locate;
pub mod questions;
pub mod report;
pub mod tracking;
