//! The city's make-up as pages show it: territories, categories, the report form's lists, the base map.

use crate::cases::category::{CategoryKind, TimeLimit};
use crate::ports::common::{Names, PortError};
use crate::territory::TerritoryLevel;
use crate::tiles::TileLayerSpec;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeStats {
    pub districts: u32,
    pub streets: u32,
    pub communities: u32,
    pub grids: u32,
    pub categories: u32,
    pub departments: u32,
}

/// One polygon of the territory tree, ready to draw: `ring` is (lat, lng) in WGS-84.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TerritoryOutline {
    pub code: String,
    pub level: TerritoryLevel,
    pub names: Names,
    pub ring: Vec<(f64, f64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapLayers {
    pub tiles: TileLayerSpec,
    pub districts: Vec<TerritoryOutline>,
    pub grids: Vec<TerritoryOutline>,
    /// True when the territory shapes are synthetic demo data, so the page can say so.
    pub demo_shapes: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubCategory {
    pub code: String,
    pub names: Names,
    pub department: Names,
    pub time_limit: TimeLimit,
    /// What else the category asks a reporter.
    pub questions: Vec<crate::cases::questions::Question>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryGroup {
    pub code: String,
    pub kind: CategoryKind,
    pub names: Names,
    pub subs: Vec<SubCategory>,
}

/// A place in the territory tree, with its children, for the "can't use the map?" lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceOption {
    pub code: String,
    pub names: Names,
    pub children: Vec<PlaceOption>,
}

/// Everything the report form offers to choose from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportFormData {
    pub categories: Vec<CategoryGroup>,
    /// Districts → streets → communities.
    pub places: Vec<PlaceOption>,
    pub tiles: TileLayerSpec,
    /// Where the map opens: the middle of the city's grid cells, (lat, lng).
    pub centre: (f64, f64),
}

/// A district, street or community.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerritoryItem {
    pub code: String,
    pub parent: Option<String>,
    /// "district", "street" or "community".
    pub level: String,
    pub names: Names,
}

/// What the city is made of: its territories, categories and base map, for the home page, the
/// report form and the maps.
#[async_trait::async_trait]
pub trait CataloguePort: Send + Sync {
    async fn home_stats(&self) -> Result<HomeStats, PortError>;
    async fn map_layers(&self) -> Result<MapLayers, PortError>;
    async fn categories(&self) -> Result<Vec<CategoryGroup>, PortError>;
    async fn report_form(&self) -> Result<ReportFormData, PortError>;
    /// The city's districts, streets and communities, in code order.
    async fn territories(&self) -> Result<Vec<TerritoryItem>, PortError>;
}
