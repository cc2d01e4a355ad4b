//! The HTTP side of sign-in: the session cookie, the `Viewer` every page sees, and the plain form
//! posts of the sign-in flow (they work without JavaScript). Rules stay in `auth` and `domain`.

use crate::auth::{AuthError, Session};
use crate::http::AppState;
use axum::extract::{ConnectInfo, FromRequest, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use domain::otp::CodeError;
use serde::Deserialize;
use std::net::SocketAddr;

pub const SESSION_COOKIE: &str = "linli_session";

/// The session behind the request, if any, as the handlers need it.
#[derive(Clone, Default)]
pub struct RequestSession {
    pub token: Option<String>,
    pub session: Option<Session>,
}

pub use crate::services::now_ms;

fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find_map(|(k, v)| (k == name).then_some(v))
}

fn session_cookie(token: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}"
    ))
    .expect("hex token is a valid header value")
}

fn clear_cookie(secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}"
    ))
    .expect("valid header value")
}

pub use domain::ports::ClientAddress as ClientIp;

/// The client's address: the peer's, unless the peer is a trusted proxy that names the client in
/// the configured header (for `x-forwarded-for`, the last address, the one the proxy saw).
pub fn client_ip(
    peer: Option<std::net::IpAddr>,
    headers: &HeaderMap,
    trusted: &[std::net::IpAddr],
    header_name: Option<&str>,
) -> String {
    let Some(peer) = peer.map(|p| p.to_canonical()) else {
        return String::new();
    };
    let forwarded = header_name
        .filter(|_| trusted.iter().any(|t| t.to_canonical() == peer))
        .and_then(|h| headers.get(h))
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|ip| ip.trim().parse::<std::net::IpAddr>().ok());
    limit_key(forwarded.unwrap_or(peer))
}

/// The address limits count against: an IPv4 address as it is (an IPv4-mapped IPv6 one too), an
/// IPv6 address by its /64, since one subscriber line gets a whole /64 and could otherwise take a
/// fresh address for every request.
pub fn limit_key(ip: std::net::IpAddr) -> String {
    match ip.to_canonical() {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => {
            let s = v6.segments();
            let net = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
            format!("{net}/64")
        }
    }
}

/// The session and client address the middleware put on a request (for handlers that take the
/// whole request apart, such as multipart posts).
pub fn request_context(parts: &axum::http::request::Parts) -> (RequestSession, String) {
    (
        parts
            .extensions
            .get::<RequestSession>()
            .cloned()
            .unwrap_or_default(),
        parts
            .extensions
            .get::<ClientIp>()
            .map(|c| c.0.clone())
            .unwrap_or_default(),
    )
}

/// A multipart form post (a form with files), opened: who posts it and its fields still to read.
/// `parts` is kept so a refusal can render the page again at the same address.
pub struct MultipartPost {
    pub parts: axum::http::request::Parts,
    pub session: RequestSession,
    pub client: String,
    pub user_id: Option<i64>,
    /// The form's CSRF token, already checked against the session.
    pub csrf: String,
    /// The fields after the token.
    pub fields: axum::extract::Multipart,
}

/// Opens a multipart post; anything else gets a 400 telling which form to use (`use_form_zh/en`).
pub async fn open_multipart(
    req: axum::extract::Request,
    use_form_zh: &str,
    use_form_en: &str,
) -> Result<MultipartPost, Response> {
    use axum::extract::FromRequest;
    let (parts, body) = req.into_parts();
    let (session, client) = request_context(&parts);
    let user_id = parts
        .extensions
        .get::<domain::ports::Viewer>()
        .and_then(|v| v.user_id);
    let mut fields = axum::extract::Multipart::from_request(
        axum::extract::Request::from_parts(parts.clone(), body),
        &(),
    )
    .await
    .map_err(|_| plain_error(StatusCode::BAD_REQUEST, use_form_zh, use_form_en))?;
    // Every form sends its CSRF token first (`CsrfField` leads each form, and the offline queue
    // keeps the order): a post without a session or with a wrong token is refused before the rest
    // of its body, photos and all, is read.
    let Some(expected) = session.session.as_ref() else {
        return Err(forbidden());
    };
    let csrf = match fields.next_field().await {
        Ok(Some(field)) if field.name() == Some("csrf") => {
            let mut field = field;
            read_token(&mut field).await
        }
        _ => None,
    };
    let Some(csrf) = csrf.filter(|t| expected.csrf_matches(t)) else {
        return Err(forbidden());
    };
    Ok(MultipartPost {
        parts,
        session,
        client,
        user_id,
        csrf,
        fields,
    })
}

/// A CSRF field's value; a field longer than any token is not one.
async fn read_token(field: &mut axum::extract::multipart::Field<'_>) -> Option<String> {
    let mut token = Vec::new();
    while let Ok(Some(chunk)) = field.chunk().await {
        token.extend_from_slice(&chunk);
        if token.len() > 128 {
            return None;
        }
    }
    String::from_utf8(token).ok()
}

/// The signed-in person behind a form post whose CSRF token matches; `None` otherwise.
pub fn signed_in_poster(rs: &RequestSession, csrf: &str) -> Option<i64> {
    rs.session
        .as_ref()
        .filter(|s| s.csrf_matches(csrf))
        .and_then(|s| s.user_id)
}

/// Pages whose forms need a CSRF token even before sign-in: opening one gives a visitor a session
/// cookie (nothing is stored for it). A case's feed is not one: feed readers and shared caches
/// keep no cookies.
fn starts_visitor_session(path: &str) -> bool {
    path == "/login"
        || path == "/report"
        || path
            .strip_prefix("/case/")
            .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'))
}

/// Static files need no session; skipping them keeps asset requests free of database work.
fn needs_session(path: &str) -> bool {
    !(path.starts_with("/pkg/")
        || path.starts_with("/vendor/")
        || path.starts_with("/favicon")
        || path == "/offline.js"
        || path == "/sw.js"
        || path == "/manifest.webmanifest"
        || path == "/healthz")
}

/// Resolves the session cookie into a `RequestSession` and a `Viewer` in the request's extensions
/// (Leptos reads the latter from the request parts). Opening the sign-in page starts a visitor
/// session so its form has a CSRF token.
pub async fn session_layer(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    if !needs_session(req.uri().path()) {
        return next.run(req).await;
    }
    let now = now_ms();
    let auth = &state.auth;
    let mut token = cookie_value(req.headers(), SESSION_COOKIE).map(str::to_owned);
    let mut session = match &token {
        // A token with no stored session (never stored, expired or forged) is a visitor's.
        Some(t) if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) => Some(
            auth.session(t, now)
                .await
                .unwrap_or_else(|e| {
                    tracing::error!(error = %e, "session lookup failed");
                    None
                })
                .unwrap_or_else(|| Session::visitor(t)),
        ),
        _ => None,
    };
    let mut new_token = None;
    if session.is_none()
        && starts_visitor_session(req.uri().path())
        && req.method() == axum::http::Method::GET
    {
        let t = crate::auth::new_session_token();
        session = Some(Session::visitor(&t));
        token = Some(t.clone());
        new_token = Some(t);
    }
    if session.is_none() {
        token = None;
    }
    let viewer = auth.viewer(session.as_ref()).await.unwrap_or_else(|e| {
        tracing::error!(error = %e, "viewer lookup failed");
        Default::default()
    });
    req.extensions_mut().insert(viewer);
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let client = client_ip(
        peer,
        req.headers(),
        &state.trusted_proxies,
        state.client_ip_header.as_deref(),
    );
    req.extensions_mut().insert(ClientIp(client));
    req.extensions_mut()
        .insert(RequestSession { token, session });
    let mut res = next.run(req).await;
    if let Some(t) = new_token {
        res.headers_mut()
            .append(header::SET_COOKIE, session_cookie(&t, state.secure_cookies));
    }
    res
}

/// A 303 to `to`: where every form post goes after it is handled.
pub fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_owned())]).into_response()
}

/// A redirect to a case page after the reporter's own form, the private key (and a photo's position)
/// kept in a short-lived cookie instead of the URL (`app::case_key`).
pub fn see_case(
    state: &crate::http::AppState,
    key: Option<app::case_key::CaseKey>,
    to: &str,
) -> Response {
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

/// The session token and session of a form post whose CSRF token matches.
fn checked(rs: &RequestSession, submitted: &str) -> Option<(String, Session)> {
    match (&rs.token, &rs.session) {
        (Some(t), Some(s)) if s.csrf_matches(submitted) => Some((t.clone(), s.clone())),
        _ => None,
    }
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    phone: String,
    #[serde(default)]
    csrf: String,
}

/// Step 1: send a code. A resend (empty phone) goes to the number already pending.
pub async fn post_login_code(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let (rs, client) = request_context(&parts);
    let Ok(Form(form)) =
        Form::<CodeForm>::from_request(Request::from_parts(parts.clone(), body), &state).await
    else {
        return plain_error(
            StatusCode::BAD_REQUEST,
            "请通过登录页面的表单提交。",
            "Use the form on the sign-in page.",
        );
    };
    let Some((token, session)) = checked(&rs, &form.csrf) else {
        return forbidden();
    };
    let phone = if form.phone.trim().is_empty() {
        session.pending_phone.clone().unwrap_or_default()
    } else {
        form.phone
    };
    match state.auth.request_code(&phone, &client, now_ms()).await {
        Ok(sent) => match state.auth.set_pending(&token, Some(&sent), now_ms()).await {
            Ok(()) => see_other("/login"),
            Err(e) => server_error(e),
        },
        Err(AuthError::BadPhone(_)) => see_other("/login?error=phone"),
        // 429 with Retry-After, and the sign-in page saying how long to wait.
        Err(AuthError::TooSoon(wait)) => {
            let flash = app::api::LoginFlash {
                error: "wait".into(),
                seconds: wait.seconds(),
            };
            let mut res = crate::http::render_page(&state, parts, None, move || {
                leptos::prelude::provide_context(flash.clone())
            })
            .await;
            *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            if let Ok(v) = HeaderValue::from_str(&wait.seconds().to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            res
        }
        Err(AuthError::SendFailed(reason)) => {
            tracing::error!(%reason, "login code not sent");
            see_other("/login?error=send")
        }
        Err(e) => server_error(e),
    }
}

#[derive(Deserialize)]
pub struct VerifyForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    csrf: String,
}

/// Step 2: check the code; success replaces the visitor session with a signed-in one.
pub async fn post_login_verify(
    State(state): State<AppState>,
    Extension(rs): Extension<RequestSession>,
    Extension(ClientIp(client)): Extension<ClientIp>,
    Form(form): Form<VerifyForm>,
) -> Response {
    let Some((token, session)) = checked(&rs, &form.csrf) else {
        return forbidden();
    };
    let Some(phone) = session.pending_phone else {
        return see_other("/login?error=nocode");
    };
    let now = now_ms();
    match state
        .auth
        .verify_code_from(&phone, &form.code, &client, now)
        .await
    {
        Ok(user_id) => match state
            .auth
            .start_session(Some(user_id), Some(&token), now)
            .await
        {
            Ok(ns) => {
                tracing::info!(user_id, "signed in");
                let mut res = see_other("/me");
                res.headers_mut().append(
                    header::SET_COOKIE,
                    session_cookie(&ns.token, state.secure_cookies),
                );
                res
            }
            Err(e) => server_error(e),
        },
        Err(AuthError::Code(CodeError::Wrong { remaining })) => {
            see_other(&format!("/login?error=wrong&left={remaining}"))
        }
        Err(AuthError::Code(CodeError::Malformed)) => see_other("/login?error=format"),
        Err(AuthError::Code(CodeError::Expired)) => see_other("/login?error=expired"),
        Err(AuthError::Code(CodeError::Locked)) => see_other("/login?error=locked"),
        Err(AuthError::DailyCap(_)) => see_other("/login?error=daily"),
        Err(AuthError::Code(CodeError::Used | CodeError::NoCode)) => {
            see_other("/login?error=nocode")
        }
        Err(e) => server_error(e),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// Forget the pending number, to type another one.
pub async fn post_login_restart(
    State(state): State<AppState>,
    Extension(rs): Extension<RequestSession>,
    Form(form): Form<CsrfForm>,
) -> Response {
    let Some((token, _)) = checked(&rs, &form.csrf) else {
        return forbidden();
    };
    match state.auth.set_pending(&token, None, now_ms()).await {
        Ok(()) => see_other("/login"),
        Err(e) => server_error(e),
    }
}

pub async fn post_logout(
    State(state): State<AppState>,
    Extension(rs): Extension<RequestSession>,
    Form(form): Form<CsrfForm>,
) -> Response {
    let Some((token, _)) = checked(&rs, &form.csrf) else {
        return forbidden();
    };
    if let Err(e) = state.auth.end_session(&token).await {
        return server_error(e);
    }
    let mut res = see_other("/");
    res.headers_mut()
        .append(header::SET_COOKIE, clear_cookie(state.secure_cookies));
    res
}

pub fn server_error(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "request failed");
    plain_error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "服务暂时不可用，请稍后再试。",
        "The service is unavailable right now; please try again shortly.",
    )
}

/// `GET /me/export.json`: everything stored about the signed-in person, as a download.
pub async fn get_export(
    State(state): State<AppState>,
    Extension(rs): Extension<RequestSession>,
) -> Response {
    let Some(user_id) = rs.session.as_ref().and_then(|s| s.user_id) else {
        return see_other("/login");
    };
    match state.portal.privacy().export(user_id, now_ms()).await {
        Ok(Some(data)) => (
            [
                (header::CONTENT_TYPE, "application/json; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"linli-my-data.json\"",
                ),
                (header::CACHE_CONTROL, "no-store"),
            ],
            serde_json::to_string_pretty(&data).unwrap_or_default(),
        )
            .into_response(),
        Ok(None) => see_other("/login"),
        Err(e) => server_error(e),
    }
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    confirm: String,
}

/// `POST /me/delete`: deletes the account once the person has ticked the confirmation.
pub async fn post_delete_account(
    State(state): State<AppState>,
    Extension(rs): Extension<RequestSession>,
    Extension(ClientIp(client)): Extension<ClientIp>,
    Form(form): Form<DeleteForm>,
) -> Response {
    let Some((_, session)) = checked(&rs, &form.csrf) else {
        return forbidden();
    };
    let Some(user_id) = session.user_id else {
        return see_other("/login");
    };
    if form.confirm != "yes" {
        return see_other("/me?error=confirm");
    }
    match state
        .portal
        .privacy()
        .delete_account(user_id, &client, now_ms())
        .await
    {
        Ok(_) => {
            let mut res = see_other("/?deleted=1");
            res.headers_mut()
                .append(header::SET_COOKIE, clear_cookie(state.secure_cookies));
            res
        }
        Err(e) => server_error(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_trusted_proxies_name_the_client() {
        let proxy: std::net::IpAddr = "10.0.0.2".parse().unwrap();
        let stranger: std::net::IpAddr = "203.0.113.9".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("1.2.3.4, 198.51.100.7"),
        );
        let trusted = [proxy];
        let h = Some("x-forwarded-for");
        assert_eq!(
            client_ip(Some(proxy), &headers, &trusted, h),
            "198.51.100.7"
        );
        assert_eq!(
            client_ip(Some(stranger), &headers, &trusted, h),
            "203.0.113.9",
            "spoofed header ignored"
        );
        assert_eq!(client_ip(Some(proxy), &headers, &trusted, None), "10.0.0.2");
        headers.insert("x-forwarded-for", HeaderValue::from_static("garbage"));
        assert_eq!(client_ip(Some(proxy), &headers, &trusted, h), "10.0.0.2");
        // A proxy reaching us over IPv6 as a mapped IPv4 address is still the trusted one.
        let mapped: std::net::IpAddr = "::ffff:10.0.0.2".parse().unwrap();
        headers.insert("x-forwarded-for", HeaderValue::from_static("198.51.100.7"));
        assert_eq!(
            client_ip(Some(mapped), &headers, &trusted, h),
            "198.51.100.7"
        );
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64() {
        let a: std::net::IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: std::net::IpAddr = "2001:db8:1:2:ffff:1:2:3".parse().unwrap();
        let other: std::net::IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(limit_key(a), "2001:db8:1:2::/64");
        assert_eq!(limit_key(a), limit_key(b));
        assert_ne!(limit_key(a), limit_key(other));
        assert_eq!(limit_key("::ffff:1.2.3.4".parse().unwrap()), "1.2.3.4");
        assert_eq!(limit_key("1.2.3.4".parse().unwrap()), "1.2.3.4");
    }
}
