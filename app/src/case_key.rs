//! A reporter's private key for one case, carried for a short while in an HttpOnly cookie after one
//! of their own forms (the report, a follow-up, the rating), so redirects never put the key, or the
//! position read from a photo, into a URL that request logs and browser history record.

/// The cookies' names begin so; each case has its own (`linli_case_key_XM-2026-000123`), so several
/// reports sent one after another (an offline queue) each keep their key.
pub const COOKIE: &str = "linli_case_key";
/// Long enough to read the success page and add a follow-up; the private link lasts for ever.
pub const MAX_AGE_S: u32 = 3600;

#[derive(Debug, Clone, PartialEq)]
pub struct CaseKey {
    pub code: String,
    pub key: String,
    /// Where the photo says it was taken, offered on the success page.
    pub photo_gps: Option<(f64, f64)>,
}

impl CaseKey {
    /// `CODE~KEY` or `CODE~KEY~LAT~LNG`: only characters a cookie value may hold.
    pub fn encode(&self) -> String {
        match self.photo_gps {
            Some((lat, lng)) => format!("{}~{}~{lat:.6}~{lng:.6}", self.code, self.key),
            None => format!("{}~{}", self.code, self.key),
        }
    }

    pub fn decode(value: &str) -> Option<CaseKey> {
        let mut parts = value.split('~');
        let (code, key) = (parts.next()?, parts.next()?);
        let safe = |s: &str| {
            !s.is_empty()
                && s.len() <= 64
                && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        };
        if !safe(code) || !safe(key) {
            return None;
        }
        let photo_gps = match (parts.next(), parts.next()) {
            (Some(lat), Some(lng)) => Some((lat.parse().ok()?, lng.parse().ok()?))
                .filter(|(la, ln): &(f64, f64)| la.is_finite() && ln.is_finite()),
            _ => None,
        };
        Some(CaseKey {
            code: code.to_owned(),
            key: key.to_owned(),
            photo_gps,
        })
    }

    /// The key for `code`, if the cookie holds one for that case.
    pub fn for_case(self, code: &str) -> Option<CaseKey> {
        self.code.eq_ignore_ascii_case(code.trim()).then_some(self)
    }

    /// The cookie's name for a case.
    pub fn cookie_name(code: &str) -> String {
        format!("{COOKIE}_{}", code.trim().to_ascii_uppercase())
    }

    /// The key for case `code` among a request's `Cookie` headers.
    #[cfg(feature = "ssr")]
    pub fn from_headers(headers: &http::HeaderMap, code: &str) -> Option<CaseKey> {
        let name = CaseKey::cookie_name(code);
        headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(n, _)| *n == name)
            .and_then(|(_, value)| CaseKey::decode(value))
            .and_then(|k| k.for_case(code))
    }

    /// The `Set-Cookie` value that keeps this key for [`MAX_AGE_S`].
    pub fn set_cookie(&self, secure: bool) -> String {
        let secure = if secure { "; Secure" } else { "" };
        format!(
            "{}={}; Path=/; Max-Age={MAX_AGE_S}; HttpOnly; SameSite=Lax{secure}",
            CaseKey::cookie_name(&self.code),
            self.encode()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_survive_the_cookie_and_bad_values_do_not() {
        let k = CaseKey {
            code: "XM-2026-000123".into(),
            key: "ab12cd34".into(),
            photo_gps: Some((24.45, 118.08)),
        };
        assert_eq!(CaseKey::decode(&k.encode()), Some(k.clone()));
        assert_eq!(k.clone().for_case("xm-2026-000123"), Some(k.clone()));
        assert_eq!(k.for_case("XM-2026-000124"), None);
        assert_eq!(CaseKey::decode("XM~a;b"), None);
        assert_eq!(CaseKey::decode("only"), None);
        assert_eq!(
            CaseKey::decode("XM~k~NaN~1").map(|c| c.photo_gps),
            Some(None)
        );
    }
}
