//! Sign-in by mobile phone and one-time code (the session it starts is `kernel::sessions`). The rules (what a valid
//! phone is, when a code is expired, used or locked, how often codes may be sent) live in `domain`;
//! this service applies them against the store so that every app server shares the same state.

use crate::kernel::secrets::{random_hex, sha256_hex};
use crate::kernel::sessions::{Pending, Sessions};
use crate::kernel::store::{Backend, Store, StoreError};
use domain::account::otp::{self, CodeError, IssuedCode};
use domain::account::phone::{BadPhone, Phone};
use domain::throttle::{self, RetryAfter};
use sqlx::Row;
use std::sync::Arc;
use subtle::ConstantTimeEq;

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

pub use crate::kernel::sms::CodeSender;

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

/// The daily caps a wrong sign-in code counts against: the phone from this address, the phone
/// from anywhere, and the address (without an address, only the phone's own).
fn wrong_code_caps(phone: &Phone, client_ip: &str) -> Vec<(crate::kernel::rate::Bucket, String)> {
    use crate::kernel::rate::Bucket;
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

#[derive(Clone)]
pub struct Auth {
    store: Store,
    sessions: Sessions,
    sender: Arc<dyn CodeSender>,
    demo: bool,
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
            sessions: Sessions::new(store.clone()),
            store,
            sender,
            demo,
        }
    }

    /// The sessions a sign-in starts and a sign-out ends.
    pub fn sessions(&self) -> &Sessions {
        &self.sessions
    }

    /// Remembers the number a code was sent to (`None` forgets it), for the second step.
    pub async fn set_pending(
        &self,
        token: &str,
        sent: Option<&CodeSent>,
        now_ms: i64,
    ) -> Result<(), AuthError> {
        let pending = sent.map(|s| Pending {
            phone: &s.phone,
            demo_code: s.demo_code.as_deref(),
        });
        Ok(self.sessions.set_pending(token, pending, now_ms).await?)
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
        let limits = crate::kernel::rate::RateLimits::new(self.store.clone());
        for (bucket, subject) in wrong_code_caps(&phone, client_ip) {
            match limits.check(bucket, &subject, now_ms).await {
                Ok(()) => {}
                Err(crate::kernel::rate::Limited::Wait(w)) => return Err(AuthError::DailyCap(w)),
                Err(crate::kernel::rate::Limited::Store(e)) => return Err(e.into()),
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
        let limits = crate::kernel::rate::RateLimits::new(self.store.clone());
        for (bucket, subject) in wrong_code_caps(phone, client_ip) {
            if let Err(crate::kernel::rate::Limited::Store(e)) =
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
}
