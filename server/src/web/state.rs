//! What every handler can reach: the state the router carries. Capabilities keep their own services
//! in their routes' extensions (see each `routes()`), so this holds only what the web layer needs.

use crate::kernel::sessions::Sessions;
use crate::kernel::store::Store;
use app::ServerContext;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub server_context: ServerContext,
    /// The store, for the health check; capabilities hold their own services.
    pub store: Store,
    pub sessions: Sessions,
    pub secure_cookies: bool,
    /// Whose client-address header to believe, and which header (see `web_auth::client_ip`).
    pub trusted_proxies: Arc<Vec<std::net::IpAddr>>,
    pub client_ip_header: Option<Arc<str>>,
    /// The public address for absolute links (see `base_url`): the configured one, or
    /// `http://` and the address the server listens on.
    pub public_url: Arc<str>,
    /// Live-update streams open, capped (see `streams`).
    pub streams: crate::web::streams::StreamSlots,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The site's own address for absolute links in feeds and Open311 answers: the configured public
/// address, else the address the server listens on. Never the request's Host header: a forged one
/// would put another site's links into a feed that shared caches keep.
pub fn base_url(state: &AppState) -> String {
    state.public_url.to_string()
}
