//! Per-browser preferences (language, large text), kept in cookies so the server renders the right
//! page on the first byte, even without JavaScript. They are changed by plain links to `/prefs`.

use crate::i18n::{Locale, Msg};

pub const LANG_COOKIE: &str = "linli_lang";
pub const TEXT_COOKIE: &str = "linli_text";
/// Class on `<html>` that turns on the large-text (适老化) styles.
pub const LARGE_TEXT_CLASS: &str = "large-text";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefs {
    pub locale: Locale,
    pub large_text: bool,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            locale: Locale::ZhCn,
            large_text: false,
        }
    }
}

impl Prefs {
    pub fn t(self, msg: Msg) -> &'static str {
        msg.text(self.locale)
    }

    /// Reads a `Cookie:` header value; anything unknown falls back to the defaults.
    pub fn from_cookie_header(header: &str) -> Prefs {
        let mut prefs = Prefs::default();
        for pair in header.split(';') {
            let Some((name, value)) = pair.trim().split_once('=') else {
                continue;
            };
            match name {
                LANG_COOKIE => {
                    if let Some(l) = Locale::parse(value) {
                        prefs.locale = l;
                    }
                }
                TEXT_COOKIE => prefs.large_text = value == "large",
                _ => {}
            }
        }
        prefs
    }

    /// The preferences of the page being rendered: from the request on the server, from the
    /// server-rendered `<html>` element in the browser (so hydration sees exactly what SSR saw).
    pub fn current() -> Prefs {
        #[cfg(feature = "ssr")]
        {
            leptos::prelude::use_context::<http::request::Parts>()
                .and_then(|parts| {
                    parts
                        .headers
                        .get(http::header::COOKIE)
                        .and_then(|v| v.to_str().ok())
                        .map(Prefs::from_cookie_header)
                })
                .unwrap_or_default()
        }
        #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
        {
            let Some(root) = leptos::prelude::document().document_element() else {
                return Prefs::default();
            };
            Prefs {
                locale: root
                    .get_attribute("lang")
                    .as_deref()
                    .and_then(Locale::parse)
                    .unwrap_or(Locale::ZhCn),
                large_text: root.class_list().contains(LARGE_TEXT_CLASS),
            }
        }
        #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
        {
            Prefs::default()
        }
    }
}

/// The preferences provided by `App`.
pub fn use_prefs() -> Prefs {
    leptos::prelude::use_context::<Prefs>().unwrap_or_else(Prefs::current)
}

/// Characters allowed unescaped in the `back` parameter: unreserved ones and the path separator.
fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A link that sets one preference and comes back to `back`.
pub fn prefs_href(setting: &str, value: &str, back: &str) -> String {
    format!("/prefs?{setting}={value}&back={}", encode_component(back))
}

/// A `back` target is only ever a local path, never another site.
pub fn safe_back(back: &str) -> &str {
    if domain::account::return_to::is_local_path(back) {
        back
    } else {
        "/"
    }
}

/// `?next=<page>` for the sign-in steps, or nothing when `page` is not one worth returning to.
pub fn next_query(page: &str) -> String {
    domain::account::return_to::after_sign_in(page)
        .map(|page| format!("?next={}", encode_component(page)))
        .unwrap_or_default()
}

/// The sign-in page, returning to `page` afterwards when it is a page worth returning to.
pub fn login_href(page: &str) -> String {
    format!("/login{}", next_query(page))
}

/// The current page's path and query, as the sign-in page should return to it.
pub fn here_for_login() -> String {
    use leptos::prelude::GetUntracked;
    let location = leptos_router::hooks::use_location();
    let (path, query) = (
        location.pathname.get_untracked(),
        location.search.get_untracked(),
    );
    let query = query.trim_start_matches('?');
    if query.is_empty() {
        login_href(&path)
    } else {
        login_href(&format!("{path}?{query}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_decide_prefs_and_junk_is_ignored() {
        let p = Prefs::from_cookie_header("a=b; linli_lang=en; linli_text=large");
        assert_eq!(
            p,
            Prefs {
                locale: Locale::En,
                large_text: true
            }
        );
        let p = Prefs::from_cookie_header("linli_lang=klingon; linli_text=huge; garbage");
        assert_eq!(p, Prefs::default());
        assert_eq!(Prefs::from_cookie_header(""), Prefs::default());
    }

    #[test]
    fn back_links_stay_on_this_site() {
        assert_eq!(safe_back("/map?x=1"), "/map?x=1");
        assert_eq!(safe_back("//evil.example/"), "/");
        assert_eq!(safe_back("https://evil.example/"), "/");
        assert_eq!(safe_back("/\\evil"), "/");
        assert_eq!(safe_back("/a\r\nSet-Cookie: x"), "/");
    }

    #[test]
    fn hrefs_encode_the_back_path() {
        assert_eq!(
            prefs_href("lang", "en", "/map?a=1&b=2"),
            "/prefs?lang=en&back=/map%3Fa%3D1%26b%3D2"
        );
    }
}
