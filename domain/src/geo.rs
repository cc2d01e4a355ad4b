//! Coordinates. Linli stores WGS-84 everywhere; GCJ-02 (the "Mars" datum that 高德 tiles use) exists
//! only at the edge, to draw on such tiles and to turn a tap on them back into WGS-84.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GeoError {
    #[error("latitude must be a number between -90 and 90, got {0}")]
    BadLatitude(f64),
    #[error("longitude must be a number between -180 and 180, got {0}")]
    BadLongitude(f64),
}

/// A WGS-84 point, validated.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LatLng {
    lat: f64,
    lng: f64,
}

impl LatLng {
    pub fn new(lat: f64, lng: f64) -> Result<Self, GeoError> {
        if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
            return Err(GeoError::BadLatitude(lat));
        }
        if !(lng.is_finite() && (-180.0..=180.0).contains(&lng)) {
            return Err(GeoError::BadLongitude(lng));
        }
        Ok(Self { lat, lng })
    }

    pub fn lat(self) -> f64 {
        self.lat
    }

    pub fn lng(self) -> f64 {
        self.lng
    }

    /// Great-circle distance in metres (haversine; plenty for "within 200 m").
    pub fn distance_m(self, other: LatLng) -> f64 {
        const EARTH_RADIUS_M: f64 = 6_371_008.8;
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lng - self.lng).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().asin()
    }
}

/// Decimals of a case's public position: a grid of 0.001° (about 110 m north–south, 100 m east–west
/// here), so a case inside a residential community never points at one household's door.
pub const PUBLIC_DECIMALS: i32 = 3;

/// One coordinate of a public position: the nearest point of the 0.001° grid. The store keeps it
/// beside the exact one (`cases.public_lat/public_lng`), so every public filter, distance and cluster
/// is computed from this and no sequence of queries can narrow a case below the grid.
pub fn public_coordinate(v: f64) -> f64 {
    let f = 10f64.powi(PUBLIC_DECIMALS);
    (v * f).round() / f
}

impl LatLng {
    /// The position the public sees.
    pub fn public(self) -> (f64, f64) {
        (public_coordinate(self.lat), public_coordinate(self.lng))
    }
}

/// GCJ-02 offsets apply only inside mainland China; this rough box is the usual test for it.
fn outside_china(lat: f64, lng: f64) -> bool {
    !(72.004..=137.8347).contains(&lng) || !(0.8293..=55.8271).contains(&lat)
}

fn offset_lat(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    r
}

fn offset_lng(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    r
}

/// WGS-84 → GCJ-02, as (lat, lng).
pub fn wgs84_to_gcj02(p: LatLng) -> (f64, f64) {
    use std::f64::consts::PI;
    const A: f64 = 6_378_245.0;
    const EE: f64 = 0.006_693_421_622_965_943;
    let (lat, lng) = (p.lat, p.lng);
    if outside_china(lat, lng) {
        return (lat, lng);
    }
    let d_lat = offset_lat(lng - 105.0, lat - 35.0);
    let d_lng = offset_lng(lng - 105.0, lat - 35.0);
    let rad = lat / 180.0 * PI;
    let magic = 1.0 - EE * rad.sin() * rad.sin();
    let sqrt_magic = magic.sqrt();
    let d_lat = (d_lat * 180.0) / ((A * (1.0 - EE)) / (magic * sqrt_magic) * PI);
    let d_lng = (d_lng * 180.0) / (A / sqrt_magic * rad.cos() * PI);
    (lat + d_lat, lng + d_lng)
}

/// GCJ-02 → WGS-84 by fixed-point iteration; converges to well under a centimetre in a few steps.
pub fn gcj02_to_wgs84(lat: f64, lng: f64) -> Result<LatLng, GeoError> {
    let target = LatLng::new(lat, lng)?;
    let mut guess = target;
    for _ in 0..30 {
        let (g_lat, g_lng) = wgs84_to_gcj02(guess);
        let (e_lat, e_lng) = (g_lat - target.lat, g_lng - target.lng);
        guess = LatLng::new(guess.lat - e_lat, guess.lng - e_lng)?;
        if e_lat.abs() < 1e-10 && e_lng.abs() < 1e-10 {
            break;
        }
    }
    Ok(guess)
}

/// An axis-aligned box in WGS-84 degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BBox {
    pub south: f64,
    pub west: f64,
    pub north: f64,
    pub east: f64,
}

impl BBox {
    pub fn around(points: impl IntoIterator<Item = LatLng>) -> Option<BBox> {
        points.into_iter().fold(None, |acc, p| {
            Some(match acc {
                None => BBox {
                    south: p.lat,
                    west: p.lng,
                    north: p.lat,
                    east: p.lng,
                },
                Some(b) => BBox {
                    south: b.south.min(p.lat),
                    west: b.west.min(p.lng),
                    north: b.north.max(p.lat),
                    east: b.east.max(p.lng),
                },
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_positions_snap_to_the_grid() {
        let here = LatLng::new(24.453_21, 118.081_76).unwrap();
        let (lat, lng) = here.public();
        assert_eq!((lat, lng), (24.453, 118.082));
        let there = LatLng::new(lat, lng).unwrap();
        assert!(here.distance_m(there) < 40.0);
    }

    #[test]
    fn invalid_points_are_refused() {
        assert!(LatLng::new(91.0, 0.0).is_err());
        assert!(LatLng::new(0.0, -181.0).is_err());
        assert!(LatLng::new(f64::NAN, 118.0).is_err());
        assert!(LatLng::new(24.0, f64::INFINITY).is_err());
        assert!(LatLng::new(24.45, 118.08).is_ok());
    }

    #[test]
    fn gcj02_matches_the_published_reference_point() {
        // The widely published reference pair for the GCJ-02 algorithm (Beijing, 116.404 E 39.915 N).
        let (lat, lng) = wgs84_to_gcj02(LatLng::new(39.915, 116.404).unwrap());
        assert!((lat - 39.916_404_281_501_64).abs() < 1e-9, "lat {lat}");
        assert!((lng - 116.410_244_499_169_38).abs() < 1e-9, "lng {lng}");
    }

    #[test]
    fn gcj02_offset_in_xiamen_is_a_few_hundred_metres_and_round_trips() {
        let wgs = LatLng::new(24.4536, 118.0889).unwrap();
        let (lat, lng) = wgs84_to_gcj02(wgs);
        let shifted = LatLng::new(lat, lng).unwrap();
        let d = wgs.distance_m(shifted);
        assert!((100.0..800.0).contains(&d), "offset {d} m");
        let back = gcj02_to_wgs84(lat, lng).unwrap();
        assert!(
            wgs.distance_m(back) < 0.01,
            "round trip error {} m",
            wgs.distance_m(back)
        );
    }

    #[test]
    fn no_offset_outside_china() {
        let tokyo = LatLng::new(35.68, 139.76).unwrap();
        assert_eq!(wgs84_to_gcj02(tokyo), (35.68, 139.76));
    }

    #[test]
    fn distance_of_a_known_pair() {
        // One degree of latitude is about 111.2 km.
        let a = LatLng::new(24.0, 118.0).unwrap();
        let b = LatLng::new(25.0, 118.0).unwrap();
        assert!((a.distance_m(b) - 111_195.0).abs() < 50.0);
    }

    #[test]
    fn bbox_covers_all_points() {
        let pts =
            [(24.4, 118.1), (24.6, 118.0), (24.5, 118.2)].map(|(a, b)| LatLng::new(a, b).unwrap());
        let b = BBox::around(pts).unwrap();
        assert_eq!(
            (b.south, b.west, b.north, b.east),
            (24.4, 118.0, 24.6, 118.2)
        );
        assert_eq!(BBox::around([]), None);
    }
}
