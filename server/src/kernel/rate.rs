//! Rate limits counted in the store, so every app server sees the same counts. The rule (sliding
//! windows) is `domain::throttle`; this is only the bookkeeping.

use crate::kernel::store::{Backend, Store};
use domain::throttle::{RetryAfter, Window, check};

/// What is being limited. Each has its windows here, in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    /// Reports filed from one address (a housing estate may share one).
    ReportSubmit,
    /// Tracking codes looked up from one address that matched no case.
    UnknownCode,
    /// "Me too" presses from one address.
    MeToo,
    /// Reporters' follow-ups from one address.
    Comment,
    /// Requests another system files through Open311 with one API key: a hotline forwarding its
    /// calls stays well under, a runaway loop does not flood the departments' queues.
    Open311Post,
    /// Wrong sign-in codes typed for one phone.
    WrongCodePhone,
    /// Wrong sign-in codes typed from one address.
    WrongCodeAddress,
    /// Wrong sign-in codes typed for one phone from one address ("phone|address").
    WrongCodePair,
    /// Comments on consultations from one person.
    ConsultComment,
}

impl Bucket {
    fn name(self) -> &'static str {
        match self {
            Bucket::ReportSubmit => "report_submit",
            Bucket::UnknownCode => "unknown_code",
            Bucket::MeToo => "me_too",
            Bucket::Comment => "comment",
            Bucket::Open311Post => "open311_post",
            Bucket::WrongCodePhone => "wrong_code_phone",
            Bucket::WrongCodeAddress => "wrong_code_address",
            Bucket::WrongCodePair => "wrong_code_pair",
            Bucket::ConsultComment => "consult_comment",
        }
    }

    pub fn windows(self) -> &'static [Window] {
        const REPORT: [Window; 2] = [
            Window::per_seconds(10, 600),
            Window::per_seconds(60, 86_400),
        ];
        const UNKNOWN: [Window; 2] = [Window::per_seconds(10, 60), Window::per_seconds(50, 3600)];
        const ME_TOO: [Window; 1] = [Window::per_seconds(30, 3600)];
        const COMMENT: [Window; 2] = [Window::per_seconds(5, 60), Window::per_seconds(30, 3600)];
        const CONSULT_COMMENT: [Window; 2] =
            [Window::per_seconds(5, 600), Window::per_seconds(30, 86_400)];
        const OPEN311: [Window; 2] = [
            Window::per_seconds(60, 60),
            Window::per_seconds(2000, 86_400),
        ];
        match self {
            Bucket::ReportSubmit => &REPORT,
            Bucket::UnknownCode => &UNKNOWN,
            Bucket::MeToo => &ME_TOO,
            Bucket::Comment => &COMMENT,
            Bucket::Open311Post => &OPEN311,
            Bucket::WrongCodePhone => &domain::account::otp::WRONG_PER_PHONE,
            Bucket::WrongCodeAddress => &domain::account::otp::WRONG_PER_ADDRESS,
            Bucket::WrongCodePair => &domain::account::otp::WRONG_PER_PHONE_AND_ADDRESS,
            Bucket::ConsultComment => &CONSULT_COMMENT,
        }
    }

    fn longest_ms(self) -> i64 {
        self.windows()
            .iter()
            .map(|w| w.window_ms)
            .max()
            .unwrap_or(0)
    }
}

#[derive(Clone)]
pub struct RateLimits {
    store: Store,
}

impl RateLimits {
    pub fn new(store: Store) -> RateLimits {
        RateLimits { store }
    }

    /// Whether one more event fits now, without counting it.
    pub async fn check(&self, bucket: Bucket, subject: &str, now: i64) -> Result<(), Limited> {
        let times = self.recent(bucket, subject, now).await?;
        check(&times, now, bucket.windows()).map_err(Limited::Wait)
    }

    /// Counts an event (after `check` allowed it, or to record a miss).
    pub async fn record(&self, bucket: Bucket, subject: &str, now: i64) -> Result<(), Limited> {
        let pool = self.store.pool();
        sqlx::query("INSERT INTO rate_events (bucket, subject, at) VALUES ($1, $2, $3)")
            .bind(bucket.name())
            .bind(subject)
            .bind(now)
            .execute(pool)
            .await
            .map_err(Limited::Store)?;
        // Forget what no window can see any more.
        sqlx::query("DELETE FROM rate_events WHERE bucket = $1 AND subject = $2 AND at <= $3")
            .bind(bucket.name())
            .bind(subject)
            .bind(now - bucket.longest_ms())
            .execute(pool)
            .await
            .map_err(Limited::Store)?;
        Ok(())
    }

    /// Counts one event if it fits, in one transaction that holds the lock for this bucket and
    /// subject from its first statement: of many concurrent requests exactly as many pass as the
    /// windows allow. SQLite: the insert comes first, so the transaction is a writer from the start
    /// (no deferred read that could fail as a stale snapshot). PostgreSQL: an advisory lock per
    /// (bucket, subject) orders the counters.
    pub async fn reserve(&self, bucket: Bucket, subject: &str, now: i64) -> Result<(), Limited> {
        let mut tx = self.store.begin_write().await.map_err(Limited::Store)?;
        if self.store.backend() == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
                .bind(format!("rate:{}:{subject}", bucket.name()))
                .execute(&mut *tx)
                .await
                .map_err(Limited::Store)?;
        }
        sqlx::query("INSERT INTO rate_events (bucket, subject, at) VALUES ($1, $2, $3)")
            .bind(bucket.name())
            .bind(subject)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(Limited::Store)?;
        let mut times: Vec<i64> = sqlx::query_scalar(
            "SELECT at FROM rate_events WHERE bucket = $1 AND subject = $2 AND at > $3",
        )
        .bind(bucket.name())
        .bind(subject)
        .bind(now - bucket.longest_ms())
        .fetch_all(&mut *tx)
        .await
        .map_err(Limited::Store)?;
        // The others: everything seen but the one just written. A request that started a moment
        // later may have committed first: its event counts as now, not as the future.
        if let Some(i) = times.iter().position(|t| *t == now) {
            times.swap_remove(i);
        }
        for t in &mut times {
            *t = (*t).min(now);
        }
        match check(&times, now, bucket.windows()) {
            Ok(()) => tx.commit().await.map_err(Limited::Store),
            Err(wait) => {
                tx.rollback().await.map_err(Limited::Store)?;
                Err(Limited::Wait(wait))
            }
        }
    }

    async fn recent(&self, bucket: Bucket, subject: &str, now: i64) -> Result<Vec<i64>, Limited> {
        sqlx::query_scalar(
            "SELECT at FROM rate_events WHERE bucket = $1 AND subject = $2 AND at > $3",
        )
        .bind(bucket.name())
        .bind(subject)
        .bind(now - bucket.longest_ms())
        .fetch_all(self.store.pool())
        .await
        .map_err(Limited::Store)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Limited {
    #[error("rate limited: retry in {} s", .0.seconds())]
    Wait(RetryAfter),
    #[error("rate limit bookkeeping failed: {0}")]
    Store(sqlx::Error),
}
