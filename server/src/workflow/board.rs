//! The performance board's reads: every case timeline that can touch the month, grouped by
//! district or street, with the figures defined in `domain::workflow::board`.

use crate::kernel::store::{Store, StoreError};
use crate::workflow::Workflow;
use domain::ports::{BoardRow, BoardView, Names};
use domain::territory::TerritoryLevel;
use domain::workflow::CaseAction;
use domain::workflow::board::{CaseHistory, HistoryEvent, Month, figures};
use sqlx::Row;
use std::collections::BTreeMap;

/// Timelines that began this long before the month can still touch it (a deadline, a closing).
const LOOKBACK_MS: i64 = 120 * 86_400_000;
/// The board offers this many months to choose from.
const MONTHS_OFFERED: usize = 12;

impl Workflow {
    pub async fn board(
        &self,
        month: Option<Month>,
        level: TerritoryLevel,
        as_of: i64,
    ) -> Result<BoardView, StoreError> {
        let level = match level {
            TerritoryLevel::Street => TerritoryLevel::Street,
            _ => TerritoryLevel::District,
        };
        let current = Month::of(as_of);
        let month = month
            .filter(|m| *m <= current)
            .unwrap_or_else(|| current.previous());
        let (start, end) = month.range_ms();
        let column = if level == TerritoryLevel::Street {
            "street_code"
        } else {
            "district_code"
        };
        let store: &Store = self.store();
        let by_area = histories_by_area(store, column, start, end).await?;
        let calendar = self.calendar().await?;
        let names = level_names(store, level).await?;
        let mut rows: Vec<BoardRow> = names
            .into_iter()
            .map(|(code, names)| {
                let cases = by_area.get(&code).map(Vec::as_slice).unwrap_or(&[]);
                BoardRow {
                    figures: figures(cases, month, as_of, &calendar),
                    code,
                    names,
                }
            })
            .collect();
        rank(&mut rows);
        let all: Vec<CaseHistory> = by_area.into_values().flatten().collect();
        let mut months = Vec::with_capacity(MONTHS_OFFERED);
        let mut m = current;
        for _ in 0..MONTHS_OFFERED {
            months.push(m);
            m = m.previous();
        }
        Ok(BoardView {
            city: figures(&all, month, as_of, &calendar),
            month,
            level,
            rows,
            as_of_ms: as_of,
            months,
        })
    }
}

/// Every case timeline that can touch the month from `start` to `end`, by area.
async fn histories_by_area(
    store: &Store,
    column: &str,
    start: i64,
    end: i64,
) -> Result<BTreeMap<String, Vec<CaseHistory>>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT c.id, c.{column} AS area, c.created_at, e.action, e.at, e.deadline_at \
         FROM cases c JOIN case_events e ON e.case_id = c.id \
         WHERE c.created_at >= $1 AND c.created_at < $2 ORDER BY c.id, e.at, e.id"
    ))
    .bind(start - LOOKBACK_MS)
    .bind(end)
    .fetch_all(store.pool())
    .await?;
    let mut by_area: BTreeMap<String, Vec<CaseHistory>> = BTreeMap::new();
    let mut last_id = None;
    for r in rows {
        let id: i64 = r.try_get("id")?;
        let area: String = r.try_get("area")?;
        let list = by_area.entry(area).or_default();
        if last_id != Some(id) {
            list.push(CaseHistory {
                reported_ms: r.try_get("created_at")?,
                events: Vec::new(),
            });
            last_id = Some(id);
        }
        let action: Option<String> = r.try_get("action")?;
        if let Some(action) = action.as_deref().and_then(CaseAction::parse)
            && let Some(case) = list.last_mut()
        {
            case.events.push(HistoryEvent {
                action,
                at_ms: r.try_get("at")?,
                deadline_ms: r.try_get("deadline_at")?,
            });
        }
    }
    Ok(by_area)
}

/// The names of every territory at the level, by code.
async fn level_names(
    store: &Store,
    level: TerritoryLevel,
) -> Result<BTreeMap<String, Names>, StoreError> {
    sqlx::query("SELECT code, name_zh, name_en FROM territories WHERE level = $1")
        .bind(level.as_str())
        .fetch_all(store.pool())
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("code")?,
                Names {
                    zh: r.try_get("name_zh")?,
                    en: r.try_get("name_en")?,
                },
            ))
        })
        .collect::<Result<_, StoreError>>()
}

/// Best first: 按期结案率, then 结案率, then 满意率; territories without figures last.
fn rank(rows: &mut [BoardRow]) {
    let key = |r: &BoardRow| {
        let p =
            |x: Option<domain::workflow::board::Ratio>| x.and_then(|r| r.percent()).unwrap_or(-1.0);
        (
            p(r.figures.on_time),
            p(r.figures.closure),
            p(r.figures.satisfaction),
        )
    };
    rows.sort_by(|a, b| {
        key(b)
            .partial_cmp(&key(a))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.code.cmp(&b.code))
    });
}
