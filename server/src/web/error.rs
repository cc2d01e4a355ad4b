//! How a refused or failed request is answered.

use crate::web::state::AppState;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// A 303 to `to`: where every form post goes after it is handled.
pub fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_owned())]).into_response()
}

/// A redirect to a case page after the reporter's own form, the private key (and a photo's position)
/// kept in a short-lived cookie instead of the URL (`app::case_key`).
pub fn see_case(state: &AppState, key: Option<app::case_key::CaseKey>, to: &str) -> Response {
    let mut res = see_other(to);
    if let Some(key) = key
        && let Ok(v) = HeaderValue::from_str(&key.set_cookie(state.secure_cookies))
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// A plain-text error in both languages: used where the page's language is not known (a bare form
/// post, a link followed before any preference was set).
pub fn plain_error(status: StatusCode, zh: &str, en: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{zh}\n{en}\n"),
    )
        .into_response()
}

/// A refused form post: its CSRF token did not match the session.
pub fn forbidden() -> Response {
    plain_error(
        StatusCode::FORBIDDEN,
        "表单已过期或来源不明，请返回页面刷新后重试。",
        "This form has expired or did not come from this site; go back, reload and try again.",
    )
}

pub fn server_error(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "request failed");
    plain_error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "服务暂时不可用，请稍后再试。",
        "The service is unavailable right now; please try again shortly.",
    )
}
