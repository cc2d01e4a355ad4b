//! Server functions: the UI's only door to data. Each is a thin adapter over a capability's port
//! (`domain::ports`); no rule lives here. Each capability's own are in its folder's `api.rs`; these
//! are the helpers they share and the ones every page uses.

#[cfg(feature = "ssr")]
use domain::ports::ClientAddress;
use domain::ports::{HomeStats, Viewer};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub(crate) fn ports() -> Result<crate::ServerContext, ServerFnError> {
    use_context::<crate::ServerContext>()
        .ok_or_else(|| ServerFnError::new("service layer not provided"))
}

/// A GET server function's answer to arguments it cannot use: 400 with what was wrong (not the
/// 500 an error would otherwise get).
#[cfg(feature = "ssr")]
pub(crate) fn refused(why: &str) -> ServerFnError {
    if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
        r.set_status(http::StatusCode::BAD_REQUEST);
    }
    ServerFnError::new(why)
}

/// What a browser learns of a failed query: its kind, never the store's text (the server logged it).
#[cfg(feature = "ssr")]
pub(crate) fn failed(e: domain::ports::PortError) -> ServerFnError {
    use domain::ports::PortError;
    ServerFnError::new(match e {
        PortError::Unavailable => "unavailable",
        PortError::Forbidden => "forbidden",
        PortError::NotFound => "not found",
        PortError::Invalid(_) => "invalid",
    })
}

#[server(prefix = "/fn")]
pub async fn fetch_home_stats() -> Result<HomeStats, ServerFnError> {
    ports()?.catalogue.home_stats().await.map_err(failed)
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

/// The caller's address as the server's middleware recorded it, for rate limits.
#[cfg(feature = "ssr")]
pub(crate) fn client_address() -> String {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<ClientAddress>().map(|c| c.0.clone()))
        .unwrap_or_default()
}
