//! Which base map the portal draws under its own layers. The provider is configuration; each one
//! implies a datum (GCJ-02 for 高德), a URL template and the single host the CSP must allow.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TileProvider {
    /// No base map: grid outlines and pins on a plain background (tests, offline, privacy).
    None,
    /// 天地图, WGS-84 (CGCS2000), needs a key.
    Tianditu,
    /// 高德, GCJ-02: our WGS-84 geometry is converted before drawing.
    Amap,
    /// OpenStreetMap standard tiles, WGS-84.
    Osm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Datum {
    Wgs84,
    Gcj02,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TileError {
    #[error("tile provider must be one of none, tianditu, amap, osm; got {0:?}")]
    UnknownProvider(String),
    #[error("the tianditu tile provider needs a key (LINLI_TILE_KEY)")]
    MissingKey,
    #[error("a tile key may only contain letters and digits (4 to 64 of them)")]
    BadKey,
}

/// What the browser needs to draw the base map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TileLayerSpec {
    pub provider: TileProvider,
    /// Leaflet URL template; empty for `None`.
    pub url: String,
    pub subdomains: String,
    pub attribution: String,
    pub max_zoom: u8,
    pub datum: Datum,
}

impl TileProvider {
    pub fn parse(s: &str) -> Result<Self, TileError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" | "" => Ok(Self::None),
            "tianditu" => Ok(Self::Tianditu),
            "amap" | "gaode" => Ok(Self::Amap),
            "osm" => Ok(Self::Osm),
            _ => Err(TileError::UnknownProvider(s.to_owned())),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Tianditu => "tianditu",
            Self::Amap => "amap",
            Self::Osm => "osm",
        }
    }

    /// The origin the Content-Security-Policy must allow images from, if any.
    pub fn csp_img_source(self) -> Option<&'static str> {
        match self {
            Self::None => None,
            Self::Tianditu => Some("https://*.tianditu.gov.cn"),
            Self::Amap => Some("https://*.is.autonavi.com"),
            Self::Osm => Some("https://tile.openstreetmap.org"),
        }
    }

    /// Checks the key against the provider and builds the layer description.
    pub fn layer(self, key: Option<&str>) -> Result<TileLayerSpec, TileError> {
        let key = key.map(str::trim).filter(|k| !k.is_empty());
        if let Some(k) = key {
            let ok = (4..=64).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_alphanumeric());
            if !ok {
                return Err(TileError::BadKey);
            }
        }
        let spec =
            |url: String, subdomains: &str, attribution: &str, max_zoom, datum| TileLayerSpec {
                provider: self,
                url,
                subdomains: subdomains.to_owned(),
                attribution: attribution.to_owned(),
                max_zoom,
                datum,
            };
        Ok(match self {
            Self::None => spec(String::new(), "", "", 19, Datum::Wgs84),
            Self::Tianditu => {
                let key = key.ok_or(TileError::MissingKey)?;
                spec(
                    format!(
                        "https://t{{s}}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0\
                         &LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}\
                         &TILEROW={{y}}&TILECOL={{x}}&tk={key}"
                    ),
                    "01234567",
                    "© 天地图",
                    18,
                    Datum::Wgs84,
                )
            }
            Self::Amap => spec(
                "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}"
                    .to_owned(),
                "1234",
                "© 高德地图",
                18,
                Datum::Gcj02,
            ),
            Self::Osm => spec(
                "https://tile.openstreetmap.org/{z}/{x}/{y}.png".to_owned(),
                "",
                "© OpenStreetMap contributors",
                19,
                Datum::Wgs84,
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn providers_parse_case_insensitively() {
        assert_eq!(TileProvider::parse("NONE").unwrap(), TileProvider::None);
        assert_eq!(TileProvider::parse(" amap ").unwrap(), TileProvider::Amap);
        assert_eq!(TileProvider::parse("gaode").unwrap(), TileProvider::Amap);
        assert!(matches!(
            TileProvider::parse("google"),
            Err(TileError::UnknownProvider(_))
        ));
    }

    #[test]
    fn tianditu_needs_a_clean_key() {
        assert_eq!(
            TileProvider::Tianditu.layer(None),
            Err(TileError::MissingKey)
        );
        assert_eq!(
            TileProvider::Tianditu.layer(Some("  ")),
            Err(TileError::MissingKey)
        );
        assert_eq!(
            TileProvider::Tianditu.layer(Some("abc&x=1")),
            Err(TileError::BadKey)
        );
        let spec = TileProvider::Tianditu.layer(Some("0123abcd")).unwrap();
        assert!(spec.url.ends_with("tk=0123abcd"));
        assert_eq!(spec.datum, Datum::Wgs84);
    }

    #[test]
    fn amap_is_gcj02_and_none_has_no_url() {
        assert_eq!(TileProvider::Amap.layer(None).unwrap().datum, Datum::Gcj02);
        let none = TileProvider::None.layer(None).unwrap();
        assert!(none.url.is_empty());
        assert_eq!(TileProvider::None.csp_img_source(), None);
    }
}
