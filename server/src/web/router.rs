//! The router: static files, the plain endpoints that belong to no capability (`/healthz`, `/prefs`),
//! the capabilities' routes, the server functions and the Leptos pages, inside the middleware every
//! request passes (compression, limits, security and cache headers, tracing, sessions).

use crate::web::error::WebError;
use crate::web::session;
use crate::web::state::AppState;
use app::prefs::{LANG_COOKIE, TEXT_COOKIE, safe_back};
use app::{App, ServerContext, i18n::Locale, shell};
use axum::Router;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use serde::Deserialize;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

/// Cache lifetime of files whose name carries a content hash (or a pinned version).
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The whole application: the capabilities' routes, then the server functions and the Leptos
/// pages, inside the middleware every request passes.
pub fn router(state: AppState, body_limit_bytes: usize, capabilities: Router<AppState>) -> Router {
    let routes = generate_route_list(App);
    let ctx = state.server_context.clone();
    let provide = move || provide_context(ctx.clone());
    let options = state.leptos_options.clone();
    let ctx_fns = state.server_context.clone();
    let site_root = state.leptos_options.site_root.to_string();

    Router::new()
        // Static files are served here, not by Leptos' file handler: that handler reads the
        // `ResponseOptions` of whatever reactive owner is current on the thread, and under load it
        // took a concurrently rendered page's headers (its CSP) onto a favicon response.
        .nest_service("/pkg", static_dir(&site_root, "pkg"))
        .nest_service("/vendor", static_dir(&site_root, "vendor"))
        .route_service(
            "/favicon.svg",
            ServeFile::new(format!("{site_root}/favicon.svg")),
        )
        // The offline-draft script, its service worker (which must sit at the root to control
        // every page) and the web app manifest.
        .route_service(
            "/offline.js",
            ServeFile::new(format!("{site_root}/offline.js")),
        )
        .route_service("/sw.js", ServeFile::new(format!("{site_root}/sw.js")))
        .route_service(
            "/api-docs.js",
            ServeFile::new(format!("{site_root}/api-docs.js")),
        )
        .route_service(
            "/manifest.webmanifest",
            ServeFile::new(format!("{site_root}/manifest.webmanifest")),
        )
        .route("/healthz", get(healthz))
        .route("/prefs", get(set_prefs))
        .merge(capabilities)
        .route(
            "/fn/{*name}",
            get(server_fn).post(server_fn).with_state(ctx_fns),
        )
        .leptos_routes_with_context(&state, routes, provide.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(provide, shell))
        // Innermost, so handlers and pages see the session and the viewer in the request.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            session::session_layer,
        ))
        // Inside compression, so it rewrites an error's text before the body is compressed.
        .layer(middleware::from_fn(crate::web::error::localize))
        .layer(middleware::from_fn(cache_headers))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        // Private follow links carry secrets in their path: never send them to other sites.
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("geolocation=(self), camera=(self), microphone=()"),
        ))
        .layer(CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(body_limit_bytes))
        // axum's extractors (multipart) otherwise stop at their own 2 MiB default, well below the
        // 10 MB a photo may have.
        .layer(axum::extract::DefaultBodyLimit::max(body_limit_bytes))
        .layer(CatchPanicLayer::new())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &axum::http::Request<axum::body::Body>| {
                    tracing::info_span!(
                        "request",
                        method = %req.method(),
                        uri = %logged_uri(req.uri()),
                        version = ?req.version(),
                    )
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

async fn server_fn(State(ctx): State<ServerContext>, req: Request) -> impl IntoResponse {
    leptos_axum::handle_server_fns_with_context(move || provide_context(ctx.clone()), req).await
}

/// Liveness and readiness in one: 200 when the store answers, 503 when it does not.
async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => (
            StatusCode::OK,
            axum::Json(serde_json::json!({"status": "ok", "database": "ok"})),
        )
            .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({"status": "unavailable", "database": "unreachable"})),
            )
                .into_response()
        }
    }
}

#[derive(Deserialize)]
struct PrefsQuery {
    lang: Option<String>,
    text: Option<String>,
    back: Option<String>,
}

/// Sets a display preference cookie and returns to the page the person was on. Works as a plain
/// link, with or without JavaScript.
async fn set_prefs(Query(q): Query<PrefsQuery>) -> Result<Response, WebError> {
    const YEAR: u32 = 365 * 24 * 3600;
    let mut cookies = Vec::new();
    if let Some(lang) = &q.lang {
        match Locale::parse(lang) {
            Some(l) => cookies.push(format!(
                "{LANG_COOKIE}={}; Path=/; Max-Age={YEAR}; SameSite=Lax",
                l.tag()
            )),
            None => {
                return Err(WebError::bad_request(
                    "未知的语言，可选 zh-CN 或 en。",
                    "Unknown language: choose zh-CN or en.",
                ));
            }
        }
    }
    if let Some(text) = &q.text {
        match text.as_str() {
            "large" | "normal" => cookies.push(format!(
                "{TEXT_COOKIE}={text}; Path=/; Max-Age={YEAR}; SameSite=Lax"
            )),
            _ => {
                return Err(WebError::bad_request(
                    "字号只能是 large 或 normal。",
                    "Text size must be large or normal.",
                ));
            }
        }
    }
    if cookies.is_empty() {
        return Err(WebError::bad_request(
            "没有要修改的设置。",
            "Nothing to change: give lang or text.",
        ));
    }
    let back = safe_back(q.back.as_deref().unwrap_or("/"));
    let mut res = (StatusCode::SEE_OTHER, [(header::LOCATION, back.to_owned())]).into_response();
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(&c) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    Ok(res)
}

/// Long-lived caching only where the URL changes when the content does.
async fn cache_headers(req: Request, next: Next) -> Response {
    let policy = cache_policy(req.uri().path());
    let mut res = next.run(req).await;
    let cacheable = res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED;
    if cacheable && !res.headers().contains_key(header::CACHE_CONTROL) {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    res
}

/// A folder of built assets, with the brotli/gzip files a release build writes beside them.
fn static_dir(site_root: &str, folder: &str) -> ServeDir {
    ServeDir::new(format!("{site_root}/{folder}"))
        .precompressed_br()
        .precompressed_gzip()
}

fn cache_policy(path: &str) -> &'static str {
    if path.starts_with("/vendor/") || is_hashed_asset(path) {
        IMMUTABLE
    } else if path.starts_with("/pkg/") || path.starts_with("/favicon") {
        // Unhashed builds (development) and icons: revalidate so a rebuild shows at once.
        "public, no-cache"
    } else {
        "private, no-cache"
    }
}

/// `/pkg/linli.<hash>.wasm` and friends, as written when the build hashes file names.
fn is_hashed_asset(path: &str) -> bool {
    let Some(file) = path.strip_prefix("/pkg/") else {
        return false;
    };
    let parts: Vec<&str> = file.split('.').collect();
    parts.len() >= 3
        && parts[parts.len() - 2].len() >= 8
        && parts[parts.len() - 2]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Query parameters whose values are never personal or secret, so the request log may keep them.
const HARMLESS_QUERY_KEYS: &[&str] = &[
    "page",
    "zoom",
    "bbox",
    "category",
    "state",
    "month",
    "level",
    "from",
    "to",
    "new",
    "rated",
    "commented",
    "joined",
    "moderated",
    "area",
    "district",
    "street",
    "community",
    "format",
    "lang",
    "service_code",
    "status",
    "start_date",
    "end_date",
    "view",
    "kind",
    "sent",
    "saved",
    "done",
];

/// A request's URI as the log records it: every query value not known to be harmless (the private
/// follow key `k`, a resident's position `near`, a phone, a code) is replaced by `…`.
pub fn logged_uri(uri: &axum::http::Uri) -> String {
    let Some(query) = uri.query() else {
        return uri.path().to_owned();
    };
    let kept: Vec<String> = query
        .split('&')
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let plain_key = (1..=32).contains(&key.len())
                && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
            if !plain_key {
                "…".to_owned()
            } else if value.is_empty() || HARMLESS_QUERY_KEYS.contains(&key) {
                pair.to_owned()
            } else {
                format!("{key}=…")
            }
        })
        .collect();
    format!("{}?{}", uri.path(), kept.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hashed_or_versioned_files_are_immutable() {
        assert_eq!(cache_policy("/pkg/linli.0f3a9c2b1d4e5f60.wasm"), IMMUTABLE);
        assert_eq!(cache_policy("/vendor/leaflet-1.9.4/leaflet.js"), IMMUTABLE);
        assert_ne!(cache_policy("/pkg/linli.wasm"), IMMUTABLE);
        assert_ne!(cache_policy("/pkg/linli_bg.wasm"), IMMUTABLE);
        assert_eq!(cache_policy("/"), "private, no-cache");
        assert_eq!(cache_policy("/map"), "private, no-cache");
    }

    #[test]
    fn the_log_keeps_no_secret_of_a_query() {
        let logged = |u: &str| logged_uri(&u.parse().unwrap());
        assert_eq!(
            logged("/case/XM-2026-000001?k=abc123&new=1"),
            "/case/XM-2026-000001?k=…&new=1"
        );
        assert_eq!(logged("/sorting?near=24.45,118.08"), "/sorting?near=…");
        assert_eq!(
            logged("/map?bbox=1,2,3,4&zoom=12"),
            "/map?bbox=1,2,3,4&zoom=12"
        );
        assert_eq!(logged("/x?13800138000=1"), "/x?…");
        assert_eq!(logged("/healthz"), "/healthz");
    }
}
