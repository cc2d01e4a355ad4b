//! Waste sorting services. For now: the "which bin?" lookup over the built-in item list, with pinyin
//! initials from a full pinyin table, and a log of searches that found nothing so the council can
//! add those items.

use crate::auth::load_grants;
use crate::store::{Store, StoreError};
use domain::access::Role;
use domain::access::{Action, Target};
use domain::ports::{BinMatch, CollectionPoints, Names, WhichBin};
use domain::report::mask_personal_numbers;
use domain::sorting::{BUILT_IN_ITEMS, Item, normalize_query, parse_items, search};
use domain::supervision::{Survey, SurveyProblem, rates};
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

    /// A community's collection points, and whether each takes waste at `now`; or, given `near`
    /// ("lat,lng"), the points nearest to it with the nearest point's community chosen.
    pub async fn points(
        &self,
        community: &str,
        near: &str,
        user_id: Option<i64>,
        now: i64,
    ) -> Result<CollectionPoints, StoreError> {
        let communities = sqlx::query(
            "SELECT DISTINCT t.code, t.name_zh, t.name_en FROM collection_points p \
             JOIN territories t ON t.code = p.community_code ORDER BY t.code",
        )
        .fetch_all(self.store.pool())
        .await?
        .iter()
        .map(crate::services::code_and_names)
        .collect::<Result<Vec<(String, Names)>, StoreError>>()?;
        let (_, minute) = crate::shifts::china_day_minute(now);
        let near = crate::points::parse_near(near);
        let nearest = match near {
            Some(at) => self.points_near(at, minute).await?,
            None => Vec::new(),
        };
        let wanted = match nearest.first() {
            Some((_, community)) => community.as_str(),
            None => community.trim(),
        };
        let chosen = communities.iter().find(|(code, _)| code == wanted).cloned();
        let Some((code, _)) = &chosen else {
            return Ok(CollectionPoints {
                community: None,
                points: Vec::new(),
                communities,
                ..Default::default()
            });
        };
        let rows = sqlx::query(&format!(
            "SELECT {} FROM collection_points p WHERE p.community_code = $1 ORDER BY p.name",
            crate::points::POINT_COLUMNS
        ))
        .bind(code)
        .fetch_all(self.store.pool())
        .await?;
        let mut points = Vec::with_capacity(rows.len());
        let mut facts = Vec::with_capacity(rows.len());
        for r in &rows {
            let (view, fact, _) = crate::points::point_from_row(r, minute)?;
            points.push(view);
            facts.push(fact);
        }
        if near.is_some() {
            points = nearest.into_iter().map(|(p, _)| p).collect();
        }
        // This month so far: the rates as defined in `domain::supervision` (no surveys yet).
        let (today, _) = crate::shifts::china_day_minute(now);
        let date = domain::calendar::Date::from_day_number(today);
        let first = domain::calendar::Date::new(date.year, date.month, 1)
            .map(domain::calendar::Date::day_number)
            .unwrap_or(today);
        let shifts = crate::shifts::shifts_at(&self.store, code, first, today).await?;
        let days: Vec<i64> = (first..=today).collect();
        let month = format!("{}-{:02}", date.year, date.month);
        let surveys: Vec<Survey> = sqlx::query(
            "SELECT asked, correct FROM surveys WHERE community_code = $1 AND month = $2",
        )
        .bind(code)
        .bind(&month)
        .fetch_all(self.store.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(Survey {
                asked: u32::try_from(r.try_get::<i64, _>("asked")?).unwrap_or_default(),
                correct: u32::try_from(r.try_get::<i64, _>("correct")?).unwrap_or_default(),
            })
        })
        .collect::<Result<_, StoreError>>()?;
        let may_record = match (user_id, TerritoryCode::parse(code)) {
            (Some(u), Ok(t)) => self.is_council(u, &t).await?,
            _ => false,
        };
        Ok(CollectionPoints {
            community: chosen,
            points,
            communities,
            month,
            rates: Some(rates(&facts, &days, &shifts, &surveys)),
            may_record_survey: may_record,
            near: near.map(|p| (p.lat(), p.lng())),
            tiles: None,
        })
    }

    async fn is_council(
        &self,
        user_id: i64,
        community: &TerritoryCode,
    ) -> Result<bool, StoreError> {
        crate::auth::allows(
            &self.store,
            user_id,
            Action::ManageSorting,
            &Target::Territory(community.clone()),
        )
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
        let month = domain::board::Month::parse(month);
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
        assert_eq!(crate::shifts::china_day_minute(t).1, 8 * 60 + 30);
        assert_eq!(
            crate::shifts::china_day_minute(t + 16 * 3_600_000).1,
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
