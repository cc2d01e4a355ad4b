//! The session cookie, the client's address, and the middleware that puts a `RequestSession`, a
//! `Viewer` and a `ClientIp` into every request's extensions.

use crate::kernel::clock::now_ms;
use crate::kernel::sessions::Session;
use crate::web::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use std::net::SocketAddr;

pub const SESSION_COOKIE: &str = "linli_session";

/// The session behind the request, if any, as the handlers need it.
#[derive(Clone, Default)]
pub struct RequestSession {
    pub token: Option<String>,
    pub session: Option<Session>,
}

pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find_map(|(k, v)| (k == name).then_some(v))
}

pub fn session_cookie(token: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}"
    ))
    .expect("hex token is a valid header value")
}

pub fn clear_cookie(secure: bool) -> HeaderValue {
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
    let sessions = &state.sessions;
    let mut token = cookie_value(req.headers(), SESSION_COOKIE).map(str::to_owned);
    let mut session = match &token {
        // A token with no stored session (never stored, expired or forged) is a visitor's.
        Some(t) if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) => Some(
            sessions
                .session(t, now)
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
        let t = crate::kernel::sessions::new_session_token();
        session = Some(Session::visitor(&t));
        token = Some(t.clone());
        new_token = Some(t);
    }
    if session.is_none() {
        token = None;
    }
    let viewer = sessions.viewer(session.as_ref()).await.unwrap_or_else(|e| {
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
