//! Server-side sessions: the `sessions` table (only a token's SHA-256 is stored), a visitor's
//! session that stores nothing, the CSRF token forms echo, and the `Viewer` pages see.

use crate::kernel::secrets::{random_hex, sha256_hex};
use crate::kernel::store::{Store, StoreError};
use domain::access::{Grant, Role};
use domain::account::phone::Phone;
use domain::ports::{Names, PendingSignIn, RoleView, SignedIn, UserId, Viewer};
use sqlx::Row;
use subtle::ConstantTimeEq;

/// A signed-in session lasts while it is used at least once a week, and at most 30 days.
pub const SESSION_IDLE_MS: i64 = 7 * 24 * 3600 * 1000;
pub const SESSION_MAX_MS: i64 = 30 * 24 * 3600 * 1000;
/// `last_seen_at` is refreshed at most this often, so reading a page does not always write.
const TOUCH_EVERY_MS: i64 = 60 * 1000;

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

/// The number a code was sent to, held by the session for the second step of a sign-in.
#[derive(Debug, Clone, Copy)]
pub struct Pending<'a> {
    pub phone: &'a Phone,
    /// Shown on the sign-in page in demo mode only.
    pub demo_code: Option<&'a str>,
}

/// A fresh cookie token (64 hex digits).
pub fn new_session_token() -> String {
    random_hex(32)
}

#[derive(Clone)]
pub struct Sessions {
    store: Store,
}

impl Sessions {
    pub fn new(store: Store) -> Sessions {
        Sessions { store }
    }

    /// Starts a session, ending `replacing` first: signing in always gets a new token, so a token
    /// planted before sign-in (session fixation) is worthless after it.
    pub async fn start_session(
        &self,
        user_id: Option<i64>,
        replacing: Option<&str>,
        now_ms: i64,
    ) -> Result<NewSession, StoreError> {
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
    pub async fn session(&self, token: &str, now_ms: i64) -> Result<Option<Session>, StoreError> {
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
        pending: Option<Pending<'_>>,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, \
             pending_phone, pending_demo_code) VALUES ($1, NULL, $2, $3, $3, $4, $5) \
             ON CONFLICT (token_hash) DO UPDATE SET pending_phone = $4, pending_demo_code = $5",
        )
        .bind(sha256_hex(&[token]))
        .bind(visitor_csrf(token))
        .bind(now_ms)
        .bind(pending.map(|p| p.phone.e164().to_owned()))
        .bind(pending.and_then(|p| p.demo_code.map(str::to_owned)))
        .execute(self.store.pool())
        .await?;
        Ok(())
    }

    /// Removes what has expired: sessions past their idle or absolute limit, login codes and limit
    /// counts older than a day (no window is longer). Run every hour.
    pub async fn purge_expired(&self, now_ms: i64) -> Result<u64, StoreError> {
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
    pub async fn viewer(&self, session: Option<&Session>) -> Result<Viewer, StoreError> {
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
            user_id: signed_in.as_ref().and(session.user_id).map(UserId),
            signed_in,
            pending,
        })
    }

    /// A person's live grants with the names of their scopes. A stored row that no longer makes
    /// sense as a grant is skipped and logged rather than trusted.
    pub async fn grants(&self, user_id: i64) -> Result<Vec<(Grant, Option<Names>)>, StoreError> {
        crate::kernel::access::load_grants(&self.store, user_id)
            .await
            .map(|g| g.into_iter().map(|(_, g, n)| (g, n)).collect())
    }

    pub async fn end_session(&self, token: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(sha256_hex(&[token]))
            .execute(self.store.pool())
            .await?;
        Ok(())
    }
}
