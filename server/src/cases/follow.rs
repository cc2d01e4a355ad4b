//! Following cases and areas, a resident's own cases, and an area's newest cases for its feed.

use crate::cases::Cases;
use crate::cases::map::{LIST_SELECT, list_item};
use crate::kernel::store::StoreError;
use domain::cases::category::CategoryCode;
use domain::cases::tracking::TrackingCode;
use domain::ports::{CaseListItem, MyCases, Names};
use domain::territory::{TerritoryCode, TerritoryLevel};
use sqlx::Row;

impl Cases {
    /// Follow or stop following a case. Returns false if there is no such case.
    pub async fn follow_case(
        &self,
        user_id: i64,
        code: &str,
        on: bool,
        now: i64,
    ) -> Result<bool, StoreError> {
        let Ok(parsed) = TrackingCode::parse(code) else {
            return Ok(false);
        };
        let Some(id) =
            sqlx::query_scalar::<_, i64>("SELECT id FROM cases WHERE tracking_code = $1")
                .bind(parsed.to_string())
                .fetch_optional(self.store.pool())
                .await?
        else {
            return Ok(false);
        };
        let sql = if on {
            "INSERT INTO case_followers (case_id, user_id, since) VALUES ($1, $2, $3) \
             ON CONFLICT (case_id, user_id) DO NOTHING"
        } else {
            "DELETE FROM case_followers WHERE case_id = $1 AND user_id = $2"
        };
        let q = sqlx::query(sql).bind(id).bind(user_id);
        let q = if on { q.bind(now) } else { q };
        q.execute(self.store.pool()).await?;
        Ok(true)
    }

    /// Follow or stop following a street or community. Returns false if it is not one.
    pub async fn follow_area(
        &self,
        user_id: i64,
        territory: &str,
        on: bool,
        now: i64,
    ) -> Result<bool, StoreError> {
        let Ok(code) = TerritoryCode::parse(territory) else {
            return Ok(false);
        };
        if !matches!(
            code.level(),
            TerritoryLevel::Street | TerritoryLevel::Community
        ) {
            return Ok(false);
        }
        let exists: i64 =
            sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM territories WHERE code = $1")
                .bind(code.as_str())
                .fetch_one(self.store.pool())
                .await?;
        if exists == 0 {
            return Ok(false);
        }
        let sql = if on {
            "INSERT INTO area_followers (user_id, territory_code, since) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, territory_code) DO NOTHING"
        } else {
            "DELETE FROM area_followers WHERE user_id = $1 AND territory_code = $2"
        };
        let q = sqlx::query(sql).bind(user_id).bind(code.as_str());
        let q = if on { q.bind(now) } else { q };
        q.execute(self.store.pool()).await?;
        Ok(true)
    }

    /// 我的: what the resident reported (not anonymously), what they follow, and their areas.
    pub async fn my_cases(&self, user_id: i64) -> Result<MyCases, StoreError> {
        let list = |join: &'static str| {
            let pool = self.store.pool().clone();
            async move {
                let sql =
                    format!("{LIST_SELECT} {join} ORDER BY c.updated_at DESC, c.id DESC LIMIT 100");
                let rows = sqlx::query(&sql).bind(user_id).fetch_all(&pool).await?;
                rows.iter()
                    .map(list_item)
                    .collect::<Result<Vec<_>, StoreError>>()
            }
        };
        let reported = list("WHERE c.reporter_user_id = $1").await?;
        let following = list(
            "JOIN case_followers f ON f.case_id = c.id WHERE f.user_id = $1 \
             AND (c.reporter_user_id IS NULL OR c.reporter_user_id <> $1)",
        )
        .await?;
        let areas = sqlx::query(
            "SELECT t.code, t.name_zh, t.name_en FROM area_followers a \
             JOIN territories t ON t.code = a.territory_code WHERE a.user_id = $1 ORDER BY t.code",
        )
        .bind(user_id)
        .fetch_all(self.store.pool())
        .await?
        .into_iter()
        .map(|r| {
            Ok((
                r.try_get("code")?,
                Names {
                    zh: r.try_get("name_zh")?,
                    en: r.try_get("name_en")?,
                },
            ))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(MyCases {
            reported,
            following,
            areas,
        })
    }
}

impl Cases {
    /// The newest cases in a street or community (or district), for its feed: its names and rows.
    pub async fn area_cases(
        &self,
        territory: &str,
        category: &str,
    ) -> Result<Option<(Names, Vec<CaseListItem>)>, StoreError> {
        // "city": every case of the city.
        let code = match territory {
            "city" => None,
            t => match TerritoryCode::parse(t) {
                Ok(c) => Some(c),
                Err(_) => return Ok(None),
            },
        };
        // A class ("S03") or one sub-category ("S0301"); codes are fixed-width, so a prefix.
        let category = match category.trim() {
            "" => None,
            c => match CategoryCode::parse(c) {
                Ok(c) => Some(format!("{}%", c.as_str())),
                Err(_) => return Ok(None),
            },
        };
        // The place's names, and the condition that keeps its cases ($1 is the place's code).
        let (names, place, bound) = match code {
            None => (
                Names {
                    zh: "全市".to_owned(),
                    en: "The whole city".to_owned(),
                },
                "$1 = ''",
                String::new(),
            ),
            Some(code) => {
                let place = match code.level() {
                    TerritoryLevel::District => "c.district_code = $1",
                    TerritoryLevel::Street => "c.street_code = $1",
                    TerritoryLevel::Community => "c.community_code = $1",
                    TerritoryLevel::Grid => "c.grid_code = $1",
                };
                let Some(row) =
                    sqlx::query("SELECT name_zh, name_en FROM territories WHERE code = $1")
                        .bind(code.as_str())
                        .fetch_optional(self.store.pool())
                        .await?
                else {
                    return Ok(None);
                };
                let names = Names {
                    zh: row.try_get("name_zh")?,
                    en: row.try_get("name_en")?,
                };
                (names, place, code.as_str().to_owned())
            }
        };
        let sql = format!(
            "{LIST_SELECT} WHERE {place} AND c.category_code LIKE $2 \
             ORDER BY c.updated_at DESC, c.id DESC LIMIT 50"
        );
        let rows = sqlx::query(&sql)
            .bind(bound)
            .bind(category.unwrap_or_else(|| "%".to_owned()))
            .fetch_all(self.store.pool())
            .await?;
        let items = rows
            .iter()
            .map(list_item)
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Some((names, items)))
    }
}
