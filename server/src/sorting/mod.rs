//! Waste sorting services. For now: the "which bin?" lookup over the built-in item list, with pinyin
//! initials from a full pinyin table, and a log of searches that found nothing so the council can
//! add those items.

pub mod board;
pub mod demo;
pub mod issues;
pub mod points;
pub mod port;
pub mod shifts;
pub mod web;

use crate::kernel::access::load_grants;
use crate::kernel::store::{Store, StoreError};
use domain::access::Action;
use domain::access::Role;
use domain::cases::report::mask_personal_numbers;
use domain::ports::{BinMatch, WhichBin};
use domain::sorting::supervision::{Survey, SurveyProblem};
use domain::sorting::{BUILT_IN_ITEMS, Item, normalize_query, parse_items, search};
use domain::territory::{TerritoryCode, TerritoryLevel};
use pinyin::ToPinyin;
use sqlx::Row;
use std::sync::Arc;

/// How many unknown items the council's list shows.
const UNKNOWN_SHOWN: i64 = 20;

/// Lower-case pinyin initials of a name ("电池" → "dc"); Latin letters and digits stay as they are.
/// A character with several readings takes its most common one.
pub fn pinyin_initials(name: &str) -> String {
    name.chars()
        .filter_map(|c| {
            if c.is_ascii_alphanumeric() {
                Some(c.to_ascii_lowercase().to_string())
            } else {
                c.to_pinyin().map(|p| p.first_letter().to_owned())
            }
        })
        .collect()
}

#[derive(Debug, thiserror::Error)]
pub enum SurveyError {
    #[error("refused: {0:?}")]
    Refused(Vec<SurveyProblem>),
    /// Not this community's council.
    #[error("not allowed")]
    Forbidden,
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for SurveyError {
    fn from(e: sqlx::Error) -> Self {
        SurveyError::Store(StoreError::Query(e))
    }
}

#[derive(Clone)]
pub struct Sorting {
    store: Store,
    items: Arc<Vec<Item>>,
}

impl Sorting {
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    pub fn new(store: Store) -> Sorting {
        // The list ships in the binary and the domain tests read it, so it always parses.
        let items = parse_items(BUILT_IN_ITEMS, pinyin_initials).unwrap_or_else(|problems| {
            tracing::error!(?problems, "the built-in item list has problems");
            Vec::new()
        });
        Sorting {
            store,
            items: Arc::new(items),
        }
    }

    /// Items for a search, best first. A search that finds nothing is counted (masked of any phone
    /// or ID number typed into it) so the council sees what is missing.
    pub async fn which_bin(
        &self,
        query: &str,
        user_id: Option<i64>,
        now: i64,
    ) -> Result<WhichBin, StoreError> {
        let q = normalize_query(query);
        let matches: Vec<BinMatch> = search(&self.items, &q)
            .into_iter()
            .map(|i| BinMatch {
                name: i.name.clone(),
                bin: i.bin,
                tip: i.tip.clone(),
            })
            .collect();
        if matches.is_empty() && !q.is_empty() {
            sqlx::query(
                "INSERT INTO unknown_items (query, asked, first_at, last_at) VALUES ($1, 1, $2, $2) \
                 ON CONFLICT (query) DO UPDATE SET asked = unknown_items.asked + 1, last_at = $2",
            )
            .bind(mask_personal_numbers(&q))
            .bind(now)
            .execute(self.store.pool())
            .await?;
        }
        let unknown = match user_id {
            Some(u) if self.may_see_unknown(u).await? => self.unknown().await?,
            _ => Vec::new(),
        };
        Ok(WhichBin {
            query: q,
            matches,
            unknown,
        })
    }

    async fn is_council(
        &self,
        user_id: i64,
        community: &TerritoryCode,
    ) -> Result<bool, StoreError> {
        crate::kernel::access::allows_in(&self.store, user_id, Action::ManageSorting, community)
            .await
    }

    /// The council records (or corrects) a month's awareness survey of its community.
    pub async fn record_survey(
        &self,
        user_id: i64,
        community: &str,
        month: &str,
        asked: &str,
        correct: &str,
        now: i64,
    ) -> Result<(), SurveyError> {
        let community = TerritoryCode::parse(community.trim())
            .ok()
            .filter(|c| c.level() == TerritoryLevel::Community)
            .ok_or(SurveyError::Forbidden)?;
        if !self.is_council(user_id, &community).await? {
            return Err(SurveyError::Forbidden);
        }
        let mut problems = Vec::new();
        let month = domain::workflow::board::Month::parse(month);
        if month.is_none() {
            problems.push(SurveyProblem::Month);
        }
        let survey = Survey::parse(asked, correct).map_err(|p| problems.extend(p));
        let (Some(month), Ok(survey), true) = (month, survey, problems.is_empty()) else {
            return Err(SurveyError::Refused(problems));
        };
        sqlx::query(
            "INSERT INTO surveys (community_code, month, asked, correct, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (community_code, month) DO UPDATE SET \
             asked = excluded.asked, correct = excluded.correct, recorded_by = excluded.recorded_by, \
             recorded_at = excluded.recorded_at",
        )
        .bind(community.as_str())
        .bind(format!("{}-{:02}", month.year, month.month))
        .bind(i64::from(survey.asked))
        .bind(i64::from(survey.correct))
        .bind(user_id)
        .bind(now)
        .execute(self.store.pool())
        .await?;
        Ok(())
    }

    async fn may_see_unknown(&self, user_id: i64) -> Result<bool, StoreError> {
        Ok(load_grants(&self.store, user_id)
            .await
            .map_err(|e| StoreError::Corrupt(e.to_string()))?
            .iter()
            .any(|(_, g, _)| matches!(g.role(), Role::Council | Role::Volunteer | Role::Admin)))
    }

    async fn unknown(&self) -> Result<Vec<(String, u32)>, StoreError> {
        let rows = sqlx::query(
            "SELECT query, asked FROM unknown_items ORDER BY asked DESC, last_at DESC LIMIT $1",
        )
        .bind(UNKNOWN_SHOWN)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("query")?,
                    u32::try_from(r.try_get::<i64, _>("asked")?).unwrap_or(u32::MAX),
                ))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn china_minutes_wrap_at_midnight() {
        // 2026-11-30 00:30 UTC is 08:30 in China.
        let t = domain::calendar::Date::new(2026, 11, 30)
            .unwrap()
            .china_ms(8 * 60 + 30);
        assert_eq!(crate::kernel::clock::china_day_minute(t).1, 8 * 60 + 30);
        assert_eq!(
            crate::kernel::clock::china_day_minute(t + 16 * 3_600_000).1,
            30,
            "00:30 the next day"
        );
    }

    #[test]
    fn initials_come_from_the_pinyin_table() {
        assert_eq!(pinyin_initials("电池"), "dc");
        assert_eq!(pinyin_initials("X光片"), "xgp");
        assert_eq!(pinyin_initials("U盘"), "up");
        assert_eq!(pinyin_initials("易拉罐"), "ylg");
    }
}
