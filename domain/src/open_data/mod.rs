//! What the city publishes: Open311 GeoReport v2 and the open datasets.

pub mod datasets;
pub mod open311;
