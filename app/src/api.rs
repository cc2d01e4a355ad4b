//! Server functions: the UI's only door to data. Each is a thin adapter over the service layer's
//! `PortalQueries`; no rule lives here.

use domain::ports::{CategoryGroup, HomeStats, MapLayers, Viewer};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn queries() -> Result<std::sync::Arc<dyn domain::ports::PortalQueries>, ServerFnError> {
    use_context::<crate::ServerContext>()
        .map(|c| c.queries)
        .ok_or_else(|| ServerFnError::new("service layer not provided"))
}

#[server(prefix = "/fn")]
pub async fn fetch_home_stats() -> Result<HomeStats, ServerFnError> {
    queries()?
        .home_stats()
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))
}

#[server(prefix = "/fn")]
pub async fn fetch_map_layers() -> Result<MapLayers, ServerFnError> {
    queries()?
        .map_layers()
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))
}

#[server(prefix = "/fn")]
pub async fn fetch_categories() -> Result<Vec<CategoryGroup>, ServerFnError> {
    queries()?
        .categories()
        .await
        .map_err(|e| ServerFnError::new(e.to_string()))
}

/// Who is looking, as the server's session middleware found it for this request.
#[cfg(feature = "ssr")]
pub fn request_viewer() -> Viewer {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Viewer>().cloned())
        .unwrap_or_default()
}

#[server(prefix = "/fn")]
pub async fn fetch_viewer() -> Result<Viewer, ServerFnError> {
    Ok(request_viewer())
}
