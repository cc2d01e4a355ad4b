//! A consultation's electorate and votes as stored: the roster units in its scope, and its ballots.

use crate::kernel::store::StoreError;
use domain::consult::{Choice, ScopedUnit, VoteScope};
use domain::ports::UnitLabel;
use domain::territory::TerritoryCode;
use sqlx::Row;
use std::collections::HashMap;

/// The units of a consultation's scope with their labels and owners.
pub async fn scoped_units<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    db: E,
    community: &TerritoryCode,
    scope: &VoteScope,
) -> Result<Vec<(UnitLabel, ScopedUnit)>, StoreError> {
    let rows = sqlx::query(
        "SELECT building, stairwell, unit, owner_key, area_centi FROM roster_units \
         WHERE community_code = $1",
    )
    .bind(community.as_str())
    .fetch_all(db)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let building: String = r.try_get("building")?;
        let stairwell: String = r.try_get("stairwell")?;
        if !scope.contains(&building, &stairwell) {
            continue;
        }
        out.push((
            UnitLabel {
                building,
                stairwell,
                unit: r.try_get("unit")?,
            },
            ScopedUnit {
                owner_key: r.try_get("owner_key")?,
                area: domain::consult::Area::from_centi(r.try_get("area_centi")?),
            },
        ));
    }
    Ok(out)
}

/// Every ballot of a consultation: owner → choice.
pub async fn ballots<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    db: E,
    id: i64,
) -> Result<HashMap<String, Choice>, StoreError> {
    let rows = sqlx::query("SELECT owner_key, choice FROM ballots WHERE consultation_id = $1")
        .bind(id)
        .fetch_all(db)
        .await?;
    let mut out = HashMap::with_capacity(rows.len());
    for r in rows {
        let choice: i64 = r.try_get("choice")?;
        let choice = Choice::from_stored(choice)
            .ok_or_else(|| StoreError::Corrupt(format!("ballot choice {choice}")))?;
        out.insert(r.try_get("owner_key")?, choice);
    }
    Ok(out)
}
