//! Linli's UI: one Leptos app rendered on the server (SSR), with islands hydrated in the browser.
//!
//! Pages render their full content on the server (`SsrMode::Async`) so they work without JavaScript.
//! Only `#[island]` components (the maps, live refresh, counters, the report form's helpers) reach
//! the browser as WASM; everything else costs it nothing. A page without islands loads no WASM. Data comes only through the server functions in `api`,
//! which call the service layer the server hands over in [`ServerContext`].

pub mod account;
pub mod admin;
pub mod api;
pub mod case_key;
pub mod cases;
pub mod components;
pub mod consult;
pub mod i18n;
pub mod open_data;
pub mod pages;
pub mod prefs;
pub mod sorting;
pub mod typed_field;
pub mod workflow;

#[cfg(feature = "hydrate")]
mod browser;
pub mod live;
#[cfg(feature = "hydrate")]
mod map_view;

use crate::components::layout::Layout;
use crate::pages::*;
use crate::prefs::Prefs;
use leptos::prelude::*;
use leptos_meta::{MetaTags, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// What the server hands to the UI for each request.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct ServerContext {
    pub catalogue: std::sync::Arc<dyn domain::ports::CataloguePort>,
    pub cases: std::sync::Arc<dyn domain::ports::CasesPort>,
    pub admin: std::sync::Arc<dyn domain::ports::AdminPort>,
    pub workflow: std::sync::Arc<dyn domain::ports::WorkflowPort>,
    pub sorting: std::sync::Arc<dyn domain::ports::SortingPort>,
    pub consult: std::sync::Arc<dyn domain::ports::ConsultPort>,
    /// The tile host the Content-Security-Policy must allow images from, if a tile provider is set.
    pub tile_img_src: Option<&'static str>,
    /// The stylesheet's URL (with its content hash when the build hashes files).
    pub stylesheet_href: String,
}

/// The HTML document around the app; rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let prefs = Prefs::current();
    #[cfg(feature = "ssr")]
    let stylesheet = {
        // leptos_axum has already provided this request's CSP nonce.
        let ctx = use_context::<ServerContext>();
        set_document_headers(ctx.as_ref());
        ctx.map(|c| c.stylesheet_href)
            .unwrap_or_else(|| format!("/{}/linli.css", options.site_pkg_dir))
    };
    #[cfg(not(feature = "ssr"))]
    let stylesheet = format!("/{}/linli.css", options.site_pkg_dir);
    let html_class = prefs.large_text.then_some(prefs::LARGE_TEXT_CLASS);
    view! {
        <!DOCTYPE html>
        <html lang=prefs.locale.tag() class=html_class>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#b3261e" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="stylesheet" href=stylesheet />
                <AutoReload options=options.clone() />
                <IslandScripts options />
                // Offline drafts and the service worker; plain JS, also fine before WASM arrives.
                <script src="/offline.js" defer></script>
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Headers for HTML pages: a CSP that allows only our own scripts (plus the one inline bootstrap
/// script, by nonce), WASM, and images from the configured tile host; and no caching of pages that
/// depend on per-browser preferences.
#[cfg(feature = "ssr")]
fn set_document_headers(ctx: Option<&ServerContext>) {
    use http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, HeaderValue};
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let nonce = leptos::nonce::use_nonce()
        .map(|n| n.to_string())
        .unwrap_or_default();
    let tiles = ctx
        .and_then(|c| c.tile_img_src)
        .map(|h| format!(" {h}"))
        .unwrap_or_default();
    let csp = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data: blob:{tiles}; connect-src 'self'; \
         font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(v) = HeaderValue::from_str(&csp) {
        response.insert_header(CONTENT_SECURITY_POLICY, v);
    }
    response.insert_header(CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(Prefs::current());
    view! {
        <Router>
            <Layout>
                <Routes fallback=|| view! { <NotFoundPage /> }>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/map") view=MapPage ssr=SsrMode::Async />
                    <Route path=path!("/report") view=ReportPage ssr=SsrMode::Async />
                    <Route path=path!("/track") view=TrackPage />
                    <Route path=path!("/board") view=BoardPage ssr=SsrMode::Async />
                    <Route path=path!("/open-data") view=OpenDataPage />
                    <Route path=path!("/case/:code") view=CasePage ssr=SsrMode::Async />
                    <Route path=path!("/consult") view=ConsultPage ssr=SsrMode::Async />
                    <Route path=path!("/consult/new") view=ConsultNewPage ssr=SsrMode::Async />
                    <Route path=path!("/consult/roster") view=RosterPage ssr=SsrMode::Async />
                    <Route path=path!("/consult/:id") view=ConsultDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/sorting") view=SortingPage ssr=SsrMode::Async />
                    <Route path=path!("/sorting/shift") view=ShiftPage ssr=SsrMode::Async />
                    <Route path=path!("/sorting/point") view=PointEditPage ssr=SsrMode::Async />
                    <Route path=path!("/sorting/community/:code") view=SortingCommunityPage ssr=SsrMode::Async />
                    <Route path=path!("/sorting/ranking") view=SortingRankingPage ssr=SsrMode::Async />
                    <Route path=path!("/me") view=MePage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    // A refused code request (429) answers its post with the sign-in page.
                    <Route path=path!("/login/code") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/staff") view=StaffPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/case/:code") view=StaffCasePage ssr=SsrMode::Async />
                    <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/keys") view=ApiKeysPage ssr=SsrMode::Async />
                    // A refused calendar upload is answered at the address it was posted to.
                    <Route path=path!("/admin/calendar") view=AdminPage ssr=SsrMode::Async />
                </Routes>
            </Layout>
        </Router>
    }
}

/// The script that hydrates the page's islands (see `islands.js`), in place of Leptos's
/// `HydrationScripts`: it neither preloads nor loads the WASM on a page that has no island.
#[component]
fn IslandScripts(options: LeptosOptions) -> impl IntoView {
    // Islands mode: the server marks only islands for hydration, as `HydrationScripts` would.
    if let Some(sc) = Owner::current_shared_context() {
        sc.set_is_hydrating(false);
    }
    let (js, wasm) = bundle_names(&options);
    let script = format!(
        "{}({:?}, {js:?}, {wasm:?});",
        include_str!("islands.js"),
        format!("/{}", options.site_pkg_dir)
    );
    view! { <script type="module" nonce=leptos::nonce::use_nonce()>{script}</script> }
}

/// The bundle's JS and WASM file names without extension, with their content hashes when the
/// build hashes files (read once from cargo-leptos's hash file beside the server binary).
fn bundle_names(options: &LeptosOptions) -> (String, String) {
    static NAMES: std::sync::OnceLock<(String, String)> = std::sync::OnceLock::new();
    NAMES
        .get_or_init(|| {
            let name = options.output_name.to_string();
            let (mut js, mut wasm) = (name.clone(), name);
            if options.hash_files {
                let hashes = std::env::current_exe()
                    .ok()
                    .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())))
                    .and_then(|path| std::fs::read_to_string(path).ok())
                    .unwrap_or_default();
                for (file, hash) in hashes.lines().filter_map(|l| l.trim().split_once(':')) {
                    match file {
                        "js" => js.push_str(&format!(".{}", hash.trim())),
                        "wasm" => wasm.push_str(&format!(".{}", hash.trim())),
                        _ => {}
                    }
                }
            } else if option_env!("LEPTOS_OUTPUT_NAME").is_none() {
                wasm.push_str("_bg");
            }
            (js, wasm)
        })
        .clone()
}

/// Called once by `islands.js` before it hydrates each island.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // Panic messages in the console are for developers; a release build saves their formatting.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
