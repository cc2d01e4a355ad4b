//! Sign-in by mobile phone and one-time code, and server-side sessions. The rules (what a valid
//! phone is, when a code is expired, used or locked, how often codes may be sent) live in `domain`;
//! this service applies them against the store so that every app server shares the same state.

use crate::store::{Backend, Store, StoreError};
use domain::access::{DepartmentCode, Grant, Role, Scope};
use domain::otp::{self, CodeError, IssuedCode};
use domain::phone::{BadPhone, Phone};
use domain::ports::{Names, PendingSignIn, RoleView, SignedIn, Viewer};
use domain::territory::TerritoryCode;
use domain::throttle::{self, RetryAfter};
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::sync::Arc;
use subtle::ConstantTimeEq;

/// A signed-in session lasts while it is used at least once a week, and at most 30 days.
pub const SESSION_IDLE_MS: i64 = 7 * 24 * 3600 * 1000;
pub const SESSION_MAX_MS: i64 = 30 * 24 * 3600 * 1000;
/// `last_seen_at` is refreshed at most this often, so reading a page does not always write.
const TOUCH_EVERY_MS: i64 = 60 * 1000;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error(transparent)]
    BadPhone(#[from] BadPhone),
    #[error("a code was sent recently; try again in {} s", .0.seconds())]
    TooSoon(RetryAfter),
    #[error(transparent)]
    Code(#[from] CodeError),
    #[error("the code could not be sent: {0}")]
    SendFailed(String),
    #[error("too many wrong codes today; try again in {} s", .0.seconds())]
    DailyCap(RetryAfter),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for AuthError {
    fn from(e: sqlx::Error) -> Self {
        AuthError::Store(StoreError::Query(e))
    }
}

pub use crate::sms::CodeSender;

/// Used when no SMS gateway is configured. In demo mode it writes the code to the log, where the
/// operator of a test or demo system reads it; otherwise a code is a secret and the log says only
/// that none was sent.
pub struct LogSender {
    pub demo: bool,
}

#[async_trait::async_trait]
impl CodeSender for LogSender {
    async fn send(&self, phone: &Phone, code: &str) -> Result<(), String> {
        if self.demo {
            tracing::info!(phone = %phone.masked(), code, "login code (log sender, demo mode)");
        } else {
            tracing::warn!(
                phone = %phone.masked(),
                "no SMS gateway is configured (LINLI_SMS_URL): the login code was not sent"
            );
        }
        Ok(())
    }
}

/// What a code request produced. `demo_code` is set only in demo mode, for the login page to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeSent {
    pub phone: Phone,
    pub masked_phone: String,
    pub demo_code: Option<String>,
}

/// A new session: the cookie value and the CSRF token that forms must echo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user_id: Option<i64>,
    pub csrf_token: String,
    /// The E.164 number of a sign-in waiting for its code.
    pub pending_phone: Option<String>,
    pub pending_demo_code: Option<String>,
}

impl Session {
    /// A signed-out visitor's session: nothing stored, its CSRF token derived from the cookie's
    /// token, so opening a page writes nothing. A row is written only when the visitor's session
    /// must hold something (a sign-in waiting for its code: [`Auth::set_pending`]).
    pub fn visitor(token: &str) -> Session {
        Session {
            user_id: None,
            csrf_token: visitor_csrf(token),
            pending_phone: None,
            pending_demo_code: None,
        }
    }

    /// Compares a form's token with the session's in constant time.
    pub fn csrf_matches(&self, submitted: &str) -> bool {
        !submitted.is_empty() && bool::from(submitted.as_bytes().ct_eq(self.csrf_token.as_bytes()))
    }
}

/// The CSRF token of a visitor's token. Whoever can read the cookie could compute it, but whoever
/// can read the cookie holds the session anyway; another site can neither read nor set it.
fn visitor_csrf(token: &str) -> String {
    sha256_hex(&["linli visitor csrf", token])
}

/// The daily caps a wrong sign-in code counts against: the phone from this address, the phone
/// from anywhere, and the address (without an address, only the phone's own).
fn wrong_code_caps(phone: &Phone, client_ip: &str) -> Vec<(crate::rate::Bucket, String)> {
    use crate::rate::Bucket;
    let mut caps = vec![(Bucket::WrongCodePhone, phone.e164().to_owned())];
    if !client_ip.is_empty() {
        caps.push((
            Bucket::WrongCodePair,
            format!("{}|{client_ip}", phone.e164()),
        ));
        caps.push((Bucket::WrongCodeAddress, client_ip.to_owned()));
    }
    caps
}

/// A fresh cookie token (64 hex digits).
pub fn new_session_token() -> String {
    random_hex(32)
}

#[derive(Clone)]
pub struct Auth {
    store: Store,
    sender: Arc<dyn CodeSender>,
    demo: bool,
}

pub(crate) fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the operating system's random source is available");
    hex::encode(buf)
}

pub(crate) fn sha256_hex(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    hex::encode(h.finalize())
}

/// A uniformly random 6-digit code (rejection sampling, so no digit string is likelier).
fn new_code() -> String {
    loop {
        let mut b = [0u8; 4];
        getrandom::fill(&mut b).expect("random source");
        let n = u32::from_le_bytes(b);
        // 4_294_000_000 is the largest multiple of 1_000_000 below 2^32.
        if n < 4_294_000_000 {
            return format!("{:06}", n % 1_000_000);
        }
    }
}

impl Auth {
    pub fn new(store: Store, sender: Arc<dyn CodeSender>, demo: bool) -> Auth {
        Auth {
            store,
            sender,
            demo,
        }
    }

    /// Sends a new code to `phone_input`, unless the phone or the address asked too recently.
    /// Nothing is stored when sending fails.
    pub async fn request_code(
        &self,
        phone_input: &str,
        client_ip: &str,
        now_ms: i64,
    ) -> Result<CodeSent, AuthError> {
        let phone = Phone::parse(phone_input)?;
        let mut tx = self.store.begin_write().await?;
        // Serialise requests for one phone so two at once cannot both pass the limit: SQLite by
        // taking the write lock at once (this housekeeping delete), PostgreSQL by an advisory lock.
        sqlx::query("DELETE FROM login_codes WHERE sent_at < $1")
            .bind(now_ms - 24 * 3600 * 1000)
            .execute(&mut *tx)
            .await?;
        if self.store.backend() == Backend::Postgres {
            sqlx::query("SELECT CAST(pg_advisory_xact_lock(hashtext($1)) AS TEXT)")
                .bind(phone.e164().to_owned())
                .execute(&mut *tx)
                .await?;
        }
        let hour_ago = now_ms - 3600 * 1000;
        let by_phone: Vec<i64> =
            sqlx::query_scalar("SELECT sent_at FROM login_codes WHERE phone = $1 AND sent_at > $2")
                .bind(phone.e164().to_owned())
                .bind(hour_ago)
                .fetch_all(&mut *tx)
                .await?;
        let by_address: Vec<i64> = sqlx::query_scalar(
            "SELECT sent_at FROM login_codes WHERE client_ip = $1 AND sent_at > $2",
        )
        .bind(client_ip.to_owned())
        .bind(hour_ago)
        .fetch_all(&mut *tx)
        .await?;
        // When both the phone and the address are over their limits, report the longer wait.
        let wait = [
            throttle::check(&by_phone, now_ms, &otp::PHONE_SEND_LIMITS),
            throttle::check(&by_address, now_ms, &otp::ADDRESS_SEND_LIMITS),
        ]
        .into_iter()
        .filter_map(Result::err)
        .map(|w| w.0)
        .max();
        if let Some(ms) = wait {
            return Err(AuthError::TooSoon(RetryAfter(ms)));
        }
        let code = new_code();
        let salt = random_hex(16);
        sqlx::query(
            "INSERT INTO login_codes (phone, code_hash, salt, client_ip, sent_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(phone.e164().to_owned())
        .bind(sha256_hex(&[&salt, phone.e164(), &code]))
        .bind(salt)
        .bind(client_ip.to_owned())
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        // The gateway is called after the commit: a slow one must not hold the store's write lock.
        // A code that could not be sent is taken back, so it counts against no limit.
        if let Err(e) = self.sender.send(&phone, &code).await {
            sqlx::query("DELETE FROM login_codes WHERE phone = $1 AND sent_at = $2")
                .bind(phone.e164().to_owned())
                .bind(now_ms)
                .execute(self.store.pool())
                .await?;
            return Err(AuthError::SendFailed(e));
        }
        Ok(CodeSent {
            masked_phone: phone.masked(),
            phone,
            demo_code: self.demo.then_some(code),
        })
    }

    /// Checks a typed code against the latest one sent to the phone. A right code signs in (creating
    /// the account on first sign-in) and can never be used again, even by a request racing this one.
    pub async fn verify_code(
        &self,
        phone_input: &str,
        code_input: &str,
        now_ms: i64,
    ) -> Result<i64, AuthError> {
        self.verify_code_from(phone_input, code_input, "", now_ms)
            .await
    }

    /// [`Auth::verify_code`] for a try from `client_ip`. Wrong codes count against a daily cap
    /// per phone and per address, over all their codes: past it, no code is compared until the day
    /// has passed. (Parallel guesses are bounded by each code's own atomic try count first.)
    pub async fn verify_code_from(
        &self,
        phone_input: &str,
        code_input: &str,
        client_ip: &str,
        now_ms: i64,
    ) -> Result<i64, AuthError> {
        let phone = Phone::parse(phone_input)?;
        let typed = otp::normalize(code_input)?;
        let limits = crate::rate::RateLimits::new(self.store.clone());
        for (bucket, subject) in wrong_code_caps(&phone, client_ip) {
            match limits.check(bucket, &subject, now_ms).await {
                Ok(()) => {}
                Err(crate::rate::Limited::Wait(w)) => return Err(AuthError::DailyCap(w)),
                Err(crate::rate::Limited::Store(e)) => return Err(e.into()),
            }
        }
        self.check_code(&phone, &typed, client_ip, now_ms).await
    }

    /// Counts a wrong code that was compared against the phone's and the address's daily caps.
    async fn count_wrong(
        &self,
        phone: &Phone,
        client_ip: &str,
        now_ms: i64,
    ) -> Result<(), AuthError> {
        let limits = crate::rate::RateLimits::new(self.store.clone());
        for (bucket, subject) in wrong_code_caps(phone, client_ip) {
            if let Err(crate::rate::Limited::Store(e)) =
                limits.record(bucket, &subject, now_ms).await
            {
                return Err(e.into());
            }
        }
        Ok(())
    }

    async fn check_code(
        &self,
        phone: &Phone,
        typed: &str,
        client_ip: &str,
        now_ms: i64,
    ) -> Result<i64, AuthError> {
        let row = sqlx::query(
            "SELECT id, code_hash, salt, sent_at, wrong_tries, used_at FROM login_codes \
             WHERE phone = $1 ORDER BY sent_at DESC, id DESC LIMIT 1",
        )
        .bind(phone.e164().to_owned())
        .fetch_optional(self.store.pool())
        .await?;
        let Some(row) = row else {
            return Err(CodeError::NoCode.into());
        };
        let id: i64 = row.try_get("id")?;
        let sent_at_ms: i64 = row.try_get("sent_at")?;
        let issued = IssuedCode {
            sent_at_ms,
            wrong_tries: u32::try_from(row.try_get::<i64, _>("wrong_tries")?).unwrap_or(u32::MAX),
            used: row.try_get::<Option<i64>, _>("used_at")?.is_some(),
        };
        // Used, locked or expired codes are refused before anything else.
        otp::judge(Some(issued), now_ms, true)?;
        // Reserve this try atomically before comparing: a burst of parallel guesses gets at most
        // MAX_WRONG_TRIES comparisons in all. A right code gives its try back when it is claimed.
        let reserved: Option<i64> = sqlx::query_scalar(
            "UPDATE login_codes SET wrong_tries = wrong_tries + 1 \
             WHERE id = $1 AND used_at IS NULL AND wrong_tries < $2 RETURNING wrong_tries",
        )
        .bind(id)
        .bind(i64::from(otp::MAX_WRONG_TRIES))
        .fetch_optional(self.store.pool())
        .await?;
        let Some(tries_now) = reserved else {
            // Another request used or exhausted the code meanwhile.
            return Err(if issued.used {
                CodeError::Used
            } else {
                CodeError::Locked
            }
            .into());
        };
        let stored: String = row.try_get("code_hash")?;
        let salt: String = row.try_get("salt")?;
        let matches = bool::from(
            sha256_hex(&[&salt, phone.e164(), typed])
                .as_bytes()
                .ct_eq(stored.as_bytes()),
        );
        if !matches {
            self.count_wrong(phone, client_ip, now_ms).await?;
        }
        let before = IssuedCode {
            wrong_tries: u32::try_from(tries_now - 1).unwrap_or(u32::MAX),
            ..issued
        };
        otp::judge(Some(before), now_ms, matches)?;

        let mut tx = self.store.begin_write().await?;
        // Only one request can flip `used_at`; a racing one sees zero rows and is refused.
        let claimed = sqlx::query(
            "UPDATE login_codes SET used_at = $1, wrong_tries = wrong_tries - 1 WHERE id = $2 AND used_at IS NULL",
        )
        .bind(now_ms)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed != 1 {
            return Err(CodeError::Used.into());
        }
        sqlx::query(
            "INSERT INTO users (phone, created_at) VALUES ($1, $2) ON CONFLICT (phone) DO NOTHING",
        )
        .bind(phone.e164().to_owned())
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        let user_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE phone = $1")
            .bind(phone.e164().to_owned())
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(user_id)
    }

    /// Starts a session, ending `replacing` first: signing in always gets a new token, so a token
    /// planted before sign-in (session fixation) is worthless after it.
    pub async fn start_session(
        &self,
        user_id: Option<i64>,
        replacing: Option<&str>,
        now_ms: i64,
    ) -> Result<NewSession, AuthError> {
        let token = random_hex(32);
        let csrf_token = random_hex(32);
        let mut tx = self.store.begin_write().await?;
        if let Some(old) = replacing {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(sha256_hex(&[old]))
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at) \
             VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(sha256_hex(&[&token]))
        .bind(user_id)
        .bind(csrf_token.clone())
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(NewSession { token, csrf_token })
    }

    /// The live session behind a cookie value, if any; idle or too old sessions are ended here.
    pub async fn session(&self, token: &str, now_ms: i64) -> Result<Option<Session>, AuthError> {
        let hash = sha256_hex(&[token]);
        let Some(row) = sqlx::query(
            "SELECT user_id, csrf_token, created_at, last_seen_at, pending_phone, pending_demo_code \
             FROM sessions WHERE token_hash = $1",
        )
        .bind(hash.clone())
        .fetch_optional(self.store.pool())
        .await?
        else {
            return Ok(None);
        };
        let created: i64 = row.try_get("created_at")?;
        let seen: i64 = row.try_get("last_seen_at")?;
        if now_ms - seen >= SESSION_IDLE_MS || now_ms - created >= SESSION_MAX_MS {
            self.end_session(token).await?;
            return Ok(None);
        }
        if now_ms - seen >= TOUCH_EVERY_MS {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now_ms)
                .bind(hash)
                .execute(self.store.pool())
                .await?;
        }
        Ok(Some(Session {
            user_id: row.try_get("user_id")?,
            csrf_token: row.try_get("csrf_token")?,
            pending_phone: row.try_get("pending_phone")?,
            pending_demo_code: row.try_get("pending_demo_code")?,
        }))
    }

    /// Remembers (or, with `None`, forgets) the number a code was sent to, for the second step. A
    /// visitor's session is written to the store here, the first time it holds something.
    pub async fn set_pending(
        &self,
        token: &str,
        sent: Option<&CodeSent>,
        now_ms: i64,
    ) -> Result<(), AuthError> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, \
             pending_phone, pending_demo_code) VALUES ($1, NULL, $2, $3, $3, $4, $5) \
             ON CONFLICT (token_hash) DO UPDATE SET pending_phone = $4, pending_demo_code = $5",
        )
        .bind(sha256_hex(&[token]))
        .bind(visitor_csrf(token))
        .bind(now_ms)
        .bind(sent.map(|s| s.phone.e164().to_owned()))
        .bind(sent.and_then(|s| s.demo_code.clone()))
        .execute(self.store.pool())
        .await?;
        Ok(())
    }

    /// Removes what has expired: sessions past their idle or absolute limit, login codes and limit
    /// counts older than a day (no window is longer). Run every hour.
    pub async fn purge_expired(&self, now_ms: i64) -> Result<u64, AuthError> {
        let day = 24 * 3600 * 1000;
        let mut removed = 0;
        for (sql, cutoff) in [
            (
                "DELETE FROM sessions WHERE last_seen_at < $1",
                now_ms - SESSION_IDLE_MS,
            ),
            (
                "DELETE FROM sessions WHERE created_at < $1",
                now_ms - SESSION_MAX_MS,
            ),
            ("DELETE FROM login_codes WHERE sent_at < $1", now_ms - day),
            ("DELETE FROM rate_events WHERE at < $1", now_ms - day),
        ] {
            removed += sqlx::query(sql)
                .bind(cutoff)
                .execute(self.store.pool())
                .await?
                .rows_affected();
        }
        Ok(removed)
    }

    /// What the UI may know about the person behind `session`: never the full phone number.
    pub async fn viewer(&self, session: Option<&Session>) -> Result<Viewer, AuthError> {
        let Some(session) = session else {
            return Ok(Viewer::default());
        };
        let pending = match &session.pending_phone {
            Some(p) if session.user_id.is_none() => Some(PendingSignIn {
                masked_phone: Phone::parse(p).map(|p| p.masked()).unwrap_or_default(),
                demo_code: session.pending_demo_code.clone(),
            }),
            _ => None,
        };
        let signed_in = match session.user_id {
            None => None,
            Some(user_id) => {
                let phone: Option<String> =
                    sqlx::query_scalar("SELECT phone FROM users WHERE id = $1")
                        .bind(user_id)
                        .fetch_optional(self.store.pool())
                        .await?
                        .flatten();
                let grants = self.grants(user_id).await?;
                let is_staff = grants.iter().any(|(g, _)| g.role().is_staff());
                let mut roles: Vec<RoleView> = grants
                    .into_iter()
                    .map(|(g, scope)| RoleView {
                        role: g.role(),
                        scope,
                    })
                    .collect();
                // Everyone signed in is a resident; a stored grant for it is not needed.
                if !roles.iter().any(|r| r.role == Role::Resident) {
                    roles.insert(
                        0,
                        RoleView {
                            role: Role::Resident,
                            scope: None,
                        },
                    );
                }
                Some(SignedIn {
                    masked_phone: phone
                        .as_deref()
                        .and_then(|p| Phone::parse(p).ok())
                        .map(|p| p.masked())
                        .unwrap_or_default(),
                    roles,
                    is_staff,
                })
            }
        };
        Ok(Viewer {
            csrf_token: Some(session.csrf_token.clone()),
            user_id: signed_in.as_ref().and(session.user_id),
            signed_in,
            pending,
        })
    }

    /// A person's live grants with the names of their scopes. A stored row that no longer makes
    /// sense as a grant is skipped and logged rather than trusted.
    pub async fn grants(&self, user_id: i64) -> Result<Vec<(Grant, Option<Names>)>, AuthError> {
        load_grants(&self.store, user_id)
            .await
            .map(|g| g.into_iter().map(|(_, g, n)| (g, n)).collect())
    }
}

/// A person's live grants, each with its row id and the names of its scope. A stored row that no
/// longer makes sense as a grant is skipped and logged rather than trusted.
pub async fn load_grants(
    store: &Store,
    user_id: i64,
) -> Result<Vec<(i64, Grant, Option<Names>)>, AuthError> {
    {
        let rows = sqlx::query(
            "SELECT g.id, g.role, g.territory_code, g.department_code, \
             COALESCE(t.name_zh, d.name_zh) AS zh, COALESCE(t.name_en, d.name_en) AS en \
             FROM role_grants g LEFT JOIN territories t ON t.code = g.territory_code \
             LEFT JOIN departments d ON d.code = g.department_code \
             WHERE g.user_id = $1 AND g.revoked_at IS NULL ORDER BY g.id",
        )
        .bind(user_id)
        .fetch_all(store.pool())
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let id: i64 = r.try_get("id")?;
            let role: String = r.try_get("role")?;
            let territory: Option<String> = r.try_get("territory_code")?;
            let department: Option<String> = r.try_get("department_code")?;
            let scope = match (territory, department) {
                (Some(t), None) => TerritoryCode::parse(&t)
                    .map(Scope::Territory)
                    .map_err(|e| e.to_string()),
                (None, Some(d)) => DepartmentCode::parse(&d)
                    .map(Scope::Department)
                    .map_err(|e| e.to_string()),
                (None, None) => Ok(Scope::City),
                (Some(_), Some(_)) => Err("both a territory and a department".to_owned()),
            };
            let grant = Role::parse(&role)
                .map_err(|e| e.to_string())
                .and_then(|role| {
                    scope.and_then(|scope| Grant::new(role, scope).map_err(|e| e.to_string()))
                });
            match grant {
                Ok(g) => {
                    let names = match (
                        r.try_get::<Option<String>, _>("zh")?,
                        r.try_get::<Option<String>, _>("en")?,
                    ) {
                        (Some(zh), Some(en)) => Some(Names { zh, en }),
                        _ => None,
                    };
                    out.push((id, g, names));
                }
                Err(e) => {
                    tracing::warn!(user_id, role, error = %e, "ignoring a malformed role grant")
                }
            }
        }
        Ok(out)
    }
}

impl Auth {
    pub async fn end_session(&self, token: &str) -> Result<(), AuthError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(sha256_hex(&[token]))
            .execute(self.store.pool())
            .await?;
        Ok(())
    }
}

/// Whether a person may do `action` on `target` now: their live grants through `access::decide`.
pub async fn allows(
    store: &Store,
    user_id: i64,
    action: domain::access::Action,
    target: &domain::access::Target,
) -> Result<bool, StoreError> {
    let grants: Vec<domain::access::Grant> = load_grants(store, user_id)
        .await
        .map_err(|e| StoreError::Corrupt(e.to_string()))?
        .into_iter()
        .map(|(_, g, _)| g)
        .collect();
    Ok(domain::access::decide(Some(&grants), action, target) == domain::access::Decision::Allow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_vary() {
        let codes: std::collections::HashSet<String> = (0..200).map(|_| new_code()).collect();
        assert!(
            codes
                .iter()
                .all(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit()))
        );
        assert!(codes.len() > 190, "codes repeat too often: {}", codes.len());
    }

    #[test]
    fn hashes_depend_on_every_part() {
        assert_ne!(sha256_hex(&["a", "bc"]), sha256_hex(&["ab", "c"]));
        assert_eq!(sha256_hex(&["x"]).len(), 64);
    }
}
