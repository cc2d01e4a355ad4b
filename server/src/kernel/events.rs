//! Case changes, told to live pages. On PostgreSQL every server LISTENs on one channel and each
//! announcement is a NOTIFY on it, so a change made through any server reaches the live pages of
//! all of them (the one that made it included). On SQLite there is one server, and announcements
//! stay in its process.

use crate::kernel::store::Store;
use sqlx::postgres::PgListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// A case changed in a way its page shows (new, a stage, counts, moderation). Live pages listen;
/// on PostgreSQL the change travels through LISTEN/NOTIFY to every app server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseChanged {
    pub code: String,
    pub community_code: String,
}

/// This server's announcements of case changes, and the signal that ends live streams.
#[derive(Clone)]
pub struct CaseEvents {
    store: Store,
    changes: tokio::sync::broadcast::Sender<CaseChanged>,
    /// Set once this server listens on PostgreSQL: announcements then go through NOTIFY.
    through_postgres: Arc<AtomicBool>,
    /// Counts the changes delivered to this server, so cached public reads know they are stale.
    generation: Arc<AtomicU64>,
    closing: Arc<tokio::sync::watch::Sender<bool>>,
}

impl CaseEvents {
    pub fn new(store: Store) -> CaseEvents {
        CaseEvents {
            store,
            changes: tokio::sync::broadcast::channel(256).0,
            through_postgres: Arc::new(AtomicBool::new(false)),
            generation: Arc::new(AtomicU64::new(0)),
            closing: Arc::new(tokio::sync::watch::channel(false).0),
        }
    }

    /// Hands a change to this server's live pages.
    fn deliver(&self, change: CaseChanged) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        let _ = self.changes.send(change);
    }

    /// How many case changes this server has seen: cached reads made at another count are stale.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Changes from now on, for live pages.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<CaseChanged> {
        self.changes.subscribe()
    }

    /// Becomes true when the server is stopping, so live streams end and shutdown can finish.
    pub fn closing(&self) -> tokio::sync::watch::Receiver<bool> {
        self.closing.subscribe()
    }

    pub fn close_streams(&self) {
        let _ = self.closing.send(true);
    }

    /// Tells live pages that a case changed (nobody listening is fine).
    pub async fn announce(&self, change: CaseChanged) {
        if !self.through_postgres.load(Ordering::Acquire) {
            self.deliver(change);
            return;
        }
        let sent = sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(payload(&change))
            .execute(self.store.pool())
            .await;
        if let Err(e) = sent {
            // Still tell this server's own pages.
            tracing::warn!(error = %e, "NOTIFY failed; the change stays on this server");
            self.deliver(change);
        }
    }
}

/// The NOTIFY channel; the payload is `<tracking code>|<community code>`.
pub const CHANNEL: &str = "linli_case_changed";

fn payload(change: &CaseChanged) -> String {
    format!("{}|{}", change.code, change.community_code)
}

fn parse(payload: &str) -> Option<CaseChanged> {
    let (code, community_code) = payload.split_once('|')?;
    Some(CaseChanged {
        code: code.to_owned(),
        community_code: community_code.to_owned(),
    })
}

/// Starts listening, then switches `events` to announce through NOTIFY. The task ends when the
/// server stops.
pub async fn relay(events: CaseEvents, database_url: &str) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect(database_url).await?;
    listener.listen(CHANNEL).await?;
    events.through_postgres.store(true, Ordering::Release);
    let mut closing = events.closing();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = closing.changed() => break,
                heard = listener.try_recv() => match heard {
                    Ok(Some(n)) => match parse(n.payload()) {
                        Some(change) => events.deliver(change),
                        None => tracing::warn!(payload = n.payload(), "unreadable live update"),
                    },
                    // The connection dropped; the next call reconnects. Changes in between are
                    // lost to live pages, which still show them on their next load.
                    Ok(None) => tracing::warn!("live update relay reconnecting"),
                    Err(e) => {
                        tracing::warn!(error = %e, "live update relay failed; retrying in 1 s");
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    }
                },
            }
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_round_trip() {
        let c = CaseChanged {
            code: "XM-2026-000001".into(),
            community_code: "350203001001".into(),
        };
        assert_eq!(parse(&payload(&c)), Some(c));
        assert_eq!(parse("no separator"), None);
    }
}
