//! How a refused or failed request is answered: every handler returns `Result<Response, WebError>`.
//! A refusal says what to do in both languages (the `localize` middleware keeps only the reader's
//! when their language is known); a failure of ours is logged with its cause and the reader sees a
//! generic message, never the store's text.

use crate::kernel::store::StoreError;
use crate::web::state::AppState;
use app::i18n::Locale;
use app::prefs::LANG_COOKIE;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::borrow::Cow;

/// A message in both UI languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub zh: Cow<'static, str>,
    pub en: Cow<'static, str>,
}

impl Text {
    pub const fn new(zh: &'static str, en: &'static str) -> Text {
        Text {
            zh: Cow::Borrowed(zh),
            en: Cow::Borrowed(en),
        }
    }
}

const EXPIRED_FORM: Text = Text::new(
    "表单已过期或来源不明，请返回页面刷新后重试。",
    "This form has expired or did not come from this site; go back, reload and try again.",
);
const UNAVAILABLE: Text = Text::new(
    "服务暂时不可用，请稍后再试。",
    "The service is unavailable right now; please try again shortly.",
);

#[derive(Debug)]
pub enum WebError {
    /// A refusal with its status (400, 404, 413, 422…) and what to do instead.
    Refused(StatusCode, Text),
    /// A form whose CSRF token does not match its session, or a poster without the right to it.
    Forbidden,
    /// Busy or rate-limited (429, 503): try again after this many seconds.
    Later(StatusCode, Text, u64),
    /// A failure of ours: logged with its cause; the reader sees only that it failed.
    Internal(String),
}

impl WebError {
    pub fn refused(status: StatusCode, zh: &'static str, en: &'static str) -> WebError {
        WebError::Refused(status, Text::new(zh, en))
    }

    pub fn bad_request(zh: &'static str, en: &'static str) -> WebError {
        WebError::Refused(StatusCode::BAD_REQUEST, Text::new(zh, en))
    }

    pub fn not_found(zh: &'static str, en: &'static str) -> WebError {
        WebError::Refused(StatusCode::NOT_FOUND, Text::new(zh, en))
    }

    pub fn internal(cause: impl std::fmt::Display) -> WebError {
        WebError::Internal(cause.to_string())
    }
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        WebError::internal(e)
    }
}

impl From<sqlx::Error> for WebError {
    fn from(e: sqlx::Error) -> Self {
        WebError::internal(e)
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::Refused(status, text) => text_response(status, text),
            WebError::Forbidden => text_response(StatusCode::FORBIDDEN, EXPIRED_FORM),
            WebError::Later(status, text, seconds) => {
                let mut res = text_response(status, text);
                res.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
                res
            }
            WebError::Internal(cause) => {
                tracing::error!(error = %cause, "request failed");
                text_response(StatusCode::INTERNAL_SERVER_ERROR, UNAVAILABLE)
            }
        }
    }
}

/// Plain text in both languages; the text rides along so `localize` can keep only one.
fn text_response(status: StatusCode, text: Text) -> Response {
    let mut res = (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{}\n{}\n", text.zh, text.en),
    )
        .into_response();
    res.extensions_mut().insert(text);
    res
}

/// Keeps only the reader's language in an error's text when their language cookie says which; a
/// reader who never chose sees both.
pub async fn localize(req: Request, next: Next) -> Response {
    let locale =
        crate::web::session::cookie_value(req.headers(), LANG_COOKIE).and_then(Locale::parse);
    let mut res = next.run(req).await;
    if let (Some(locale), Some(text)) = (locale, res.extensions_mut().remove::<Text>()) {
        let body = match locale {
            Locale::ZhCn => text.zh,
            Locale::En => text.en,
        };
        let (parts, _) = res.into_parts();
        res = Response::from_parts(parts, axum::body::Body::from(format!("{body}\n")));
        res.headers_mut().remove(header::CONTENT_LENGTH);
    }
    res
}

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
