//! The owner roster: a CSV checked line by line, then written in one transaction with its audit.

use crate::consult::{ConsultError, Consultations, ROSTER_BATCH, RosterSummary, load_on, refused};
use domain::consult::{RosterRow, parse_roster};
use domain::ports::ConsultProblem;
use domain::territory::{TerritoryCode, TerritoryLevel};
use sqlx::Row;
use std::collections::HashSet;

impl Consultations {
    /// Imports a community's roster: every line checked first, then all rows written in one
    /// transaction (re-importing updates units in place, by building, stairwell and unit).
    pub async fn import_roster(
        &self,
        user_id: i64,
        community: &str,
        bytes: &[u8],
        now: i64,
    ) -> Result<RosterSummary, ConsultError> {
        let community = TerritoryCode::parse(community.trim())
            .ok()
            .filter(|c| c.level() == TerritoryLevel::Community)
            .ok_or_else(|| refused(ConsultProblem::NoSuchCommunity))?;
        self.require_council(user_id, &community).await?;
        let rows = parse_roster(bytes).map_err(|p| refused(ConsultProblem::Roster(p)))?;
        let mut tx = self.store.begin_write().await?;
        // The write comes first, so the check below and the import are one serialised step. The
        // base of a vote is frozen from its opening until its result is published (the tally and
        // the meter read the roster): an import that would add or change a unit inside the scope
        // of such a vote is refused whole; units elsewhere in the community may still change.
        sqlx::query(
            "UPDATE consultations SET ballot_version = ballot_version WHERE community_code = $1",
        )
        .bind(community.as_str())
        .execute(&mut *tx)
        .await?;
        let changes = roster_changes(&mut tx, &community, &rows).await?;
        let under_vote: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM consultations WHERE community_code = $1 \
             AND vote_from <= $2 AND published_at IS NULL",
        )
        .bind(community.as_str())
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
        for id in under_vote {
            // Read on the transaction's own connection: it holds the write lock.
            let c = load_on(&mut tx, id).await?.ok_or(ConsultError::NotFound)?;
            if changes
                .iter()
                .any(|(building, stairwell, _)| c.scope.contains(building, stairwell))
            {
                return Err(refused(ConsultProblem::RosterFrozen));
            }
        }
        let changes: Vec<serde_json::Value> = changes.into_iter().map(|(_, _, c)| c).collect();
        let summary = write_roster(&mut tx, &community, &rows, now).await?;
        crate::kernel::audit::record(
            &mut tx,
            Some(user_id),
            "roster.import",
            community.as_str(),
            &serde_json::json!({
                "added": summary.added,
                "updated": summary.updated,
                "file_sha256": crate::kernel::secrets::sha256_hex(&[&String::from_utf8_lossy(bytes)]),
                "changed_units": changes.len(),
                "changes": changes.iter().take(ROSTER_AUDIT_UNITS).collect::<Vec<_>>(),
            }),
            "",
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(summary)
    }

    // -- ballots -------------------------------------------------------------------------------
}

/// At most this many units' changes are written into one import's audit row (the count is always).
const ROSTER_AUDIT_UNITS: usize = 500;

/// What an import changes, unit by unit: new units, and for existing ones whether the owner, the
/// area or the developer flag changed (area before and after). No names or phones: the audit says
/// what changed, the roster itself holds who.
async fn roster_changes(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    community: &TerritoryCode,
    rows: &[RosterRow],
) -> Result<Vec<(String, String, serde_json::Value)>, sqlx::Error> {
    let mut before = std::collections::HashMap::new();
    for r in sqlx::query(
        "SELECT building, stairwell, unit, owner_key, area_centi, developer_unsold \
         FROM roster_units WHERE community_code = $1",
    )
    .bind(community.as_str())
    .fetch_all(&mut **tx)
    .await?
    {
        let unit: (String, String, String) = (
            r.try_get("building")?,
            r.try_get("stairwell")?,
            r.try_get("unit")?,
        );
        let was: (String, i64, i64) = (
            r.try_get("owner_key")?,
            r.try_get("area_centi")?,
            r.try_get("developer_unsold")?,
        );
        before.insert(unit, was);
    }
    let mut changes = Vec::new();
    for row in rows {
        let unit = format!("{}-{}-{}", row.building, row.stairwell, row.unit);
        let key = (
            row.building.clone(),
            row.stairwell.clone(),
            row.unit.clone(),
        );
        let at = (row.building.clone(), row.stairwell.clone());
        match before.get(&key) {
            None => changes.push((
                at.0,
                at.1,
                serde_json::json!({ "unit": unit, "added": true }),
            )),
            Some((owner, area, developer)) => {
                let owner_changed = *owner != row.owner_key();
                let area_changed = *area != row.area.centi();
                let developer_changed = (*developer == 1) != row.developer_unsold;
                if owner_changed || area_changed || developer_changed {
                    let change = serde_json::json!({
                        "unit": unit,
                        "owner_changed": owner_changed,
                        "area_centi": [area, row.area.centi()],
                        "developer_changed": developer_changed,
                    });
                    changes.push((at.0, at.1, change));
                }
            }
        }
    }
    Ok(changes)
}

/// Writes parsed roster rows inside the caller's transaction: new units added, known units updated
/// in place (by building, stairwell and unit).
pub(crate) async fn write_roster(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    community: &TerritoryCode,
    rows: &[RosterRow],
    now: i64,
) -> Result<RosterSummary, sqlx::Error> {
    let existing: HashSet<(String, String, String)> =
        sqlx::query("SELECT building, stairwell, unit FROM roster_units WHERE community_code = $1")
            .bind(community.as_str())
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .filter_map(|r| {
                Some((
                    r.try_get("building").ok()?,
                    r.try_get("stairwell").ok()?,
                    r.try_get("unit").ok()?,
                ))
            })
            .collect();
    for chunk in rows.chunks(ROSTER_BATCH) {
        upsert_units(tx, community.as_str(), chunk, now).await?;
    }
    let updated = rows
        .iter()
        .filter(|r| existing.contains(&(r.building.clone(), r.stairwell.clone(), r.unit.clone())))
        .count() as u64;
    Ok(RosterSummary {
        added: rows.len() as u64 - updated,
        updated,
    })
}

/// One multi-row upsert of roster lines.
async fn upsert_units(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    community: &str,
    rows: &[RosterRow],
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut sql = String::from(
        "INSERT INTO roster_units (community_code, building, stairwell, unit, owner_name, phone, \
         owner_key, area_centi, developer_unsold, imported_at) VALUES ",
    );
    for i in 0..rows.len() {
        let b = i * 10;
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!(
            "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
            b + 1,
            b + 2,
            b + 3,
            b + 4,
            b + 5,
            b + 6,
            b + 7,
            b + 8,
            b + 9,
            b + 10
        ));
    }
    sql.push_str(
        " ON CONFLICT (community_code, building, stairwell, unit) DO UPDATE SET \
         owner_name = excluded.owner_name, phone = excluded.phone, owner_key = excluded.owner_key, \
         area_centi = excluded.area_centi, developer_unsold = excluded.developer_unsold, \
         imported_at = excluded.imported_at",
    );
    let mut q = sqlx::query(&sql);
    for r in rows {
        q = q
            .bind(community.to_owned())
            .bind(r.building.clone())
            .bind(r.stairwell.clone())
            .bind(r.unit.clone())
            .bind(r.owner_name.clone())
            .bind(r.phone.as_ref().map(|p| p.e164().to_owned()))
            .bind(r.owner_key())
            .bind(r.area.centi())
            .bind(i64::from(r.developer_unsold))
            .bind(now);
    }
    q.execute(&mut **tx).await?;
    Ok(())
}
