//! A page rendered from inside a handler: how a refused form post shows its page again.

use crate::web::state::AppState;
use app::shell;
use axum::extract::Request;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use leptos::prelude::provide_context;

/// Renders a page as a GET of `path_and_query` (default: the request's own) would, with extra
/// context: how a refused form post shows the form again, filled in, without a redirect.
pub async fn render_page(
    state: &AppState,
    mut parts: axum::http::request::Parts,
    path_and_query: Option<&str>,
    extra: impl Fn() + Clone + Send + Sync + 'static,
) -> Response {
    parts.method = axum::http::Method::GET;
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    if let Some(pq) = path_and_query.and_then(|pq| pq.parse::<axum::http::Uri>().ok()) {
        parts.uri = pq;
    }
    let ctx = state.server_context.clone();
    let options = state.leptos_options.clone();
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(ctx.clone());
            extra();
        },
        move || shell(options.clone()),
    );
    handler(Request::from_parts(parts, axum::body::Body::empty()))
        .await
        .into_response()
}
