//! Live updates across app servers. On PostgreSQL every server LISTENs on one channel and each
//! announcement is a NOTIFY on it, so a change made through any server reaches the live pages of
//! all of them (the one that made it included). On SQLite there is one server, and announcements
//! stay in its process.

use crate::cases::{CaseChanged, Cases};
use sqlx::postgres::PgListener;

/// The NOTIFY channel; the payload is `<tracking code>|<community code>`.
pub const CHANNEL: &str = "linli_case_changed";

pub fn payload(change: &CaseChanged) -> String {
    format!("{}|{}", change.code, change.community_code)
}

fn parse(payload: &str) -> Option<CaseChanged> {
    let (code, community_code) = payload.split_once('|')?;
    Some(CaseChanged {
        code: code.to_owned(),
        community_code: community_code.to_owned(),
    })
}

/// Starts listening, then switches `cases` to announce through NOTIFY. The task ends when the
/// server stops.
pub async fn start(cases: Cases, database_url: &str) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect(database_url).await?;
    listener.listen(CHANNEL).await?;
    cases.announce_through_postgres();
    let mut closing = cases.closing();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = closing.changed() => break,
                heard = listener.try_recv() => match heard {
                    Ok(Some(n)) => match parse(n.payload()) {
                        Some(change) => cases.deliver(change),
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
