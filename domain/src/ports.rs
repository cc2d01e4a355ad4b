//! What the UI may ask of the service layer. The Leptos app cannot depend on the server crate (the
//! server depends on the app), so the server implements these traits and hands them to Leptos through
//! context; the app's server functions call them and nothing else.

use crate::category::{CategoryKind, TimeLimit};
use crate::territory::TerritoryLevel;
use crate::tiles::TileLayerSpec;
use serde::{Deserialize, Serialize};

/// A name in both UI languages. Chinese is the official one; English is pinyin or a translation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Names {
    pub zh: String,
    pub en: String,
}

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
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryGroup {
    pub code: String,
    pub kind: CategoryKind,
    pub names: Names,
    pub subs: Vec<SubCategory>,
}

/// Who is looking at a page, as the UI needs it. Built by the server from the session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    /// The token every state-changing form must echo (absent before a session exists).
    pub csrf_token: Option<String>,
    pub signed_in: Option<SignedIn>,
    /// A sign-in waiting for its code.
    pub pending: Option<PendingSignIn>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedIn {
    pub masked_phone: String,
    pub roles: Vec<RoleView>,
    pub is_staff: bool,
}

/// A role with the name of the place or department it applies to (`None` for city-wide).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleView {
    pub role: crate::access::Role,
    pub scope: Option<Names>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingSignIn {
    pub masked_phone: String,
    /// Shown on the page in demo mode only, clearly marked.
    pub demo_code: Option<String>,
}

/// Why a query could not be answered. The UI turns each kind into a message in the user's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum PortError {
    #[error("the store is unavailable: {0}")]
    Unavailable(String),
}

/// Read-only queries behind the public pages.
#[async_trait::async_trait]
pub trait PortalQueries: Send + Sync {
    async fn home_stats(&self) -> Result<HomeStats, PortError>;
    async fn map_layers(&self) -> Result<MapLayers, PortError>;
    async fn categories(&self) -> Result<Vec<CategoryGroup>, PortError>;
}
