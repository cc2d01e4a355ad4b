//! What the points map's island draws, worked out on the server (shared by the page and the map).

/// A collection point on the points map: where, its tooltip, and whether it is open now.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PointMarker {
    pub lat: f64,
    pub lng: f64,
    pub label: String,
    pub open: bool,
    pub id: i64,
}
