//! The live tally behind the turnout meter. Reading a large roster and every ballot on each page
//! view is slow (about 0.75 s for 100,000 units), so each consultation's owners and ballots are
//! kept in memory and brought up to date cheaply: the roster is re-read only when the community's
//! roster changed, and ballots are followed through the audit rows by `ballot_version`, which every
//! ballot's transaction takes in commit order. Each server instance keeps its own copy; all of them
//! follow the same rows, so they agree. The published result never comes from here: publication
//! tallies from the store afresh.

use crate::consult::units::{ballots, scoped_units};
use crate::kernel::store::StoreError;
use domain::consult::{Choice, MatterRule, ScopedUnit, Tally, VoteScope, tally};
use domain::territory::TerritoryCode;
use sqlx::Row;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// One consultation's tally inputs as of `version`.
struct Live {
    roster_stamp: (i64, i64),
    /// One entry per owner in scope, with the sum of their areas.
    owners: Vec<ScopedUnit>,
    ballots: HashMap<String, Choice>,
    version: i64,
}

type Slot = Arc<tokio::sync::Mutex<Option<Live>>>;

#[derive(Clone, Default)]
pub struct LiveTallies {
    slots: Arc<Mutex<HashMap<i64, Slot>>>,
}

/// What the tally needs to know about a consultation.
pub struct Subject<'a> {
    pub id: i64,
    pub community: &'a TerritoryCode,
    pub scope: &'a VoteScope,
    pub option_count: usize,
    pub rule: &'a MatterRule,
}

impl LiveTallies {
    fn slot(&self, id: i64) -> Slot {
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        slots.entry(id).or_default().clone()
    }

    pub async fn tally(
        &self,
        conn: &mut sqlx::AnyConnection,
        s: &Subject<'_>,
    ) -> Result<Tally, StoreError> {
        let stamp_row = sqlx::query(
            "SELECT CAST(COUNT(*) AS BIGINT) AS n, CAST(COALESCE(MAX(imported_at), 0) AS BIGINT) AS at \
             FROM roster_units WHERE community_code = $1",
        )
        .bind(s.community.as_str())
        .fetch_one(&mut *conn)
        .await?;
        let stamp: (i64, i64) = (stamp_row.try_get("n")?, stamp_row.try_get("at")?);
        let slot = self.slot(s.id);
        let mut guard = slot.lock().await;
        if guard.as_ref().is_none_or(|l| l.roster_stamp != stamp) {
            // Read the version first: every ballot at or below it is already in `ballots`.
            let version: i64 =
                sqlx::query_scalar("SELECT ballot_version FROM consultations WHERE id = $1")
                    .bind(s.id)
                    .fetch_one(&mut *conn)
                    .await?;
            let mut areas: HashMap<String, i64> = HashMap::new();
            for (_, u) in scoped_units(&mut *conn, s.community, s.scope).await? {
                *areas.entry(u.owner_key).or_default() += u.area.centi();
            }
            let owners = areas
                .into_iter()
                .map(|(owner_key, centi)| ScopedUnit {
                    owner_key,
                    area: domain::consult::Area::from_centi(centi),
                })
                .collect();
            *guard = Some(Live {
                roster_stamp: stamp,
                owners,
                ballots: ballots(&mut *conn, s.id).await?,
                version,
            });
        }
        let live = guard
            .as_mut()
            .ok_or_else(|| StoreError::Corrupt("no live tally".into()))?;
        let changes = sqlx::query(
            "SELECT owner_key, choice, version FROM ballot_audit \
             WHERE consultation_id = $1 AND version > $2 ORDER BY version",
        )
        .bind(s.id)
        .bind(live.version)
        .fetch_all(&mut *conn)
        .await?;
        for r in changes {
            let choice: i64 = r.try_get("choice")?;
            let choice = Choice::from_stored(choice)
                .ok_or_else(|| StoreError::Corrupt(format!("ballot choice {choice}")))?;
            live.ballots.insert(r.try_get("owner_key")?, choice);
            live.version = live.version.max(r.try_get("version")?);
        }
        Ok(tally(&live.owners, &live.ballots, s.option_count, s.rule))
    }
}
