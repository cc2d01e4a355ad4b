//! Server-side clustering for the case map: the client sends its view (a box and a zoom) and gets
//! at most a few hundred points back, however many cases there are.

use crate::geo::BBox;
use serde::{Deserialize, Serialize};

pub const MIN_ZOOM: u8 = 3;
pub const MAX_ZOOM: u8 = 20;
/// A cluster covers about this many screen pixels across.
const CELL_PX: f64 = 64.0;
/// Whatever zoom is claimed, a view is cut into at most this many cells across (so a request for a
/// huge box at street zoom cannot ask for millions of cells).
pub const MAX_CELLS_ACROSS: f64 = 20.0;
/// Boxes larger than this many degrees on a side are refused: nobody needs the whole country.
const MAX_SPAN_DEG: f64 = 10.0;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ViewError {
    #[error("bbox must be four numbers: west,south,east,north")]
    BadBox,
    #[error("bbox must have west < east and south < north, within -180..180 and -90..90")]
    InvertedBox,
    #[error("bbox may span at most 10 degrees")]
    TooLarge,
    #[error("zoom must be a whole number from 3 to 20")]
    BadZoom,
}

/// A validated map view.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MapView {
    pub bbox: BBox,
    pub zoom: u8,
}

impl MapView {
    /// Parses `west,south,east,north` (Leaflet's `toBBoxString()`) and a zoom.
    pub fn parse(bbox: &str, zoom: &str) -> Result<MapView, ViewError> {
        let parts: Vec<f64> = bbox
            .split(',')
            .map(|p| p.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| ViewError::BadBox)?;
        let [west, south, east, north] = parts[..] else {
            return Err(ViewError::BadBox);
        };
        if ![west, south, east, north].iter().all(|v| v.is_finite()) {
            return Err(ViewError::BadBox);
        }
        let in_range = (-180.0..=180.0).contains(&west)
            && (-180.0..=180.0).contains(&east)
            && (-90.0..=90.0).contains(&south)
            && (-90.0..=90.0).contains(&north);
        if !in_range || west >= east || south >= north {
            return Err(ViewError::InvertedBox);
        }
        if east - west > MAX_SPAN_DEG || north - south > MAX_SPAN_DEG {
            return Err(ViewError::TooLarge);
        }
        let zoom: u8 = zoom.trim().parse().map_err(|_| ViewError::BadZoom)?;
        if !(MIN_ZOOM..=MAX_ZOOM).contains(&zoom) {
            return Err(ViewError::BadZoom);
        }
        Ok(MapView {
            bbox: BBox {
                south,
                west,
                north,
                east,
            },
            zoom,
        })
    }

    /// Checks a view that arrived already structured (a server function's argument), by the same
    /// rules as `parse`.
    pub fn validated(self) -> Result<MapView, ViewError> {
        let b = self.bbox;
        MapView::parse(
            &format!("{},{},{},{}", b.west, b.south, b.east, b.north),
            &self.zoom.to_string(),
        )
    }

    /// The side of one cluster cell in degrees: ~64 px at this zoom, but never so small that the
    /// view holds more than `MAX_CELLS_ACROSS` cells across.
    pub fn cell_deg(&self) -> f64 {
        let deg_per_px = 360.0 / (256.0 * f64::from(1u32 << self.zoom));
        let span = (self.bbox.east - self.bbox.west).max(self.bbox.north - self.bbox.south);
        (deg_per_px * CELL_PX).max(span / MAX_CELLS_ACROSS)
    }

    /// The most cells the view can produce; the query is capped at this.
    pub fn max_cells(&self) -> usize {
        let cell = self.cell_deg();
        let across = ((self.bbox.east - self.bbox.west) / cell).ceil() + 1.0;
        let down = ((self.bbox.north - self.bbox.south) / cell).ceil() + 1.0;
        (across * down) as usize
    }
}

/// Which cases the map shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum StateFilter {
    #[default]
    Open,
    Closed,
    All,
}

impl StateFilter {
    pub fn parse(s: &str) -> Option<StateFilter> {
        match s.trim() {
            "" | "open" => Some(StateFilter::Open),
            "closed" => Some(StateFilter::Closed),
            "all" => Some(StateFilter::All),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StateFilter::Open => "open",
            StateFilter::Closed => "closed",
            StateFilter::All => "all",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_parse_like_leaflet_writes_them() {
        let v = MapView::parse("118.0,24.4,118.2,24.6", "12").unwrap();
        assert_eq!(v.zoom, 12);
        assert_eq!(v.bbox.west, 118.0);
        assert_eq!(MapView::parse("118,24", "12"), Err(ViewError::BadBox));
        assert_eq!(MapView::parse("a,b,c,d", "12"), Err(ViewError::BadBox));
        assert_eq!(
            MapView::parse("118.2,24.4,118.0,24.6", "12"),
            Err(ViewError::InvertedBox)
        );
        assert_eq!(
            MapView::parse("100,20,120,30", "12"),
            Err(ViewError::TooLarge)
        );
        assert_eq!(
            MapView::parse("118.0,24.4,118.2,24.6", "25"),
            Err(ViewError::BadZoom)
        );
        assert_eq!(
            MapView::parse("118.0,24.4,118.2,24.6", "x"),
            Err(ViewError::BadZoom)
        );
        assert_eq!(
            MapView::parse("NaN,24.4,118.2,24.6", "12"),
            Err(ViewError::BadBox)
        );
        let mut forged = v;
        forged.zoom = 200;
        assert_eq!(forged.validated(), Err(ViewError::BadZoom));
        assert_eq!(v.validated(), Ok(v));
    }

    #[test]
    fn cells_stay_few_whatever_the_zoom() {
        for zoom in MIN_ZOOM..=MAX_ZOOM {
            for span in [0.001, 0.01, 0.1, 1.0, 10.0] {
                let v = MapView::parse(
                    &format!("118,24,{},{}", 118.0 + span, 24.0 + span),
                    &zoom.to_string(),
                )
                .unwrap();
                assert!(
                    v.max_cells() <= 22 * 22,
                    "zoom {zoom} span {span}: {}",
                    v.max_cells()
                );
            }
        }
        // City zoom on a phone: ~0.2° wide at zoom 12 gives cells of ~0.022°.
        let city = MapView::parse("118.0,24.4,118.2,24.6", "12").unwrap();
        assert!(
            (city.cell_deg() - 0.02197).abs() < 0.0001,
            "{}",
            city.cell_deg()
        );
    }

    #[test]
    fn state_filters_parse() {
        assert_eq!(StateFilter::parse(""), Some(StateFilter::Open));
        assert_eq!(StateFilter::parse("all"), Some(StateFilter::All));
        assert_eq!(StateFilter::parse("done"), None);
    }
}
