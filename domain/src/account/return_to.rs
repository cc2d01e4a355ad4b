//! Where a person lands after signing in: back on the page that sent them to sign in. The target
//! arrives in a link anyone can craft, so it must be a page of this site (an open redirect would
//! let a phishing link borrow our sign-in page) and not a sign-in step itself (a loop).

/// The longest return path kept; longer ones are not pages of ours.
const MAX_LEN: usize = 512;

/// A path on this site: `/…`, not `//host` or `/\host` (both leave the site in browsers), and no
/// control characters (which could split a `Location` header).
pub fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
}

/// The page to return to after signing in, if `raw` is one worth returning to.
pub fn after_sign_in(raw: &str) -> Option<&str> {
    let page = raw.split('#').next().unwrap_or_default();
    let path = page.split('?').next().unwrap_or_default();
    let sign_in = path == "/login" || path.starts_with("/login/") || path == "/logout";
    (is_local_path(page) && page.len() <= MAX_LEN && !sign_in && page != "/").then_some(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_of_the_site_are_returned_to() {
        assert_eq!(after_sign_in("/consult/1"), Some("/consult/1"));
        assert_eq!(after_sign_in("/map?zoom=14"), Some("/map?zoom=14"));
        assert_eq!(after_sign_in("/case/XM-1#comments"), Some("/case/XM-1"));
    }

    #[test]
    fn other_sites_sign_in_steps_and_junk_are_not() {
        for bad in [
            "",
            "/",
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "evil",
            "/login",
            "/login?next=/me",
            "/login/verify",
            "/logout",
            "/me\r\nSet-Cookie: x=1",
        ] {
            assert_eq!(after_sign_in(bad), None, "{bad:?}");
        }
        assert_eq!(after_sign_in(&format!("/{}", "a".repeat(600))), None);
        // Only the path decides what a sign-in step is.
        assert_eq!(after_sign_in("/loginx"), Some("/loginx"));
    }
}
