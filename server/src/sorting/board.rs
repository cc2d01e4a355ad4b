//! The public waste-sorting figures: a community's last twelve months with its latest issues, and
//! the 红黑榜 of a street or district. Every figure is `domain::sorting::supervision::rates` over the
//! shifts and surveys of the period; this module only gathers them.

use crate::kernel::store::{Store, StoreError};
use crate::sorting::issues::HANDING_OVER;
use crate::sorting::shifts::shifts_under;
use domain::calendar::Date;
use domain::ports::{CommunityTrend, IssueView, MonthRates, Names, RankRow, Ranking};
use domain::sorting::supervision::{
    Boards, PointFacts, Schedule, Shift, Survey, boards, rank, rates,
};
use domain::territory::{TerritoryCode, TerritoryLevel};
use domain::workflow::board::Month;
use sqlx::Row;
use std::collections::HashMap;

/// A community is ranked only when volunteers logged at least this share of its windows.
pub const MIN_COVERAGE_PERCENT: u32 = 30;
const ISSUES_SHOWN: i64 = 10;
/// How many communities each of the 红榜 and 黑榜 names at most.
const LIST_SIZE: usize = 3;

fn month_text(m: Month) -> String {
    format!("{}-{:02}", m.year, m.month)
}

/// The first and last day numbers of a month, the last no later than `today`.
fn month_days(m: Month, today: i64) -> Option<(i64, i64)> {
    let first = Date::new(m.year, m.month, 1)?.day_number();
    let next = if m.month == 12 {
        Date::new(m.year + 1, 1, 1)
    } else {
        Date::new(m.year, m.month + 1, 1)
    }?;
    let last = (next.day_number() - 1).min(today);
    (first <= last).then_some((first, last))
}

fn previous(m: Month) -> Month {
    if m.month == 1 {
        Month {
            year: m.year - 1,
            month: 12,
        }
    } else {
        Month {
            year: m.year,
            month: m.month - 1,
        }
    }
}

/// Points (with their community) whose community code starts with `prefix`.
async fn points_under(
    store: &Store,
    prefix: &str,
) -> Result<Vec<(String, PointFacts)>, StoreError> {
    sqlx::query(
        "SELECT id, community_code, households, windows FROM collection_points \
         WHERE community_code LIKE $1 ORDER BY id",
    )
    .bind(format!("{prefix}%"))
    .fetch_all(store.pool())
    .await?
    .iter()
    .map(|r| {
        let windows: String = r.try_get("windows")?;
        Ok((
            r.try_get("community_code")?,
            PointFacts {
                id: r.try_get("id")?,
                households: u32::try_from(r.try_get::<i64, _>("households")?).unwrap_or_default(),
                schedule: Schedule::parse(&windows)
                    .map_err(|_| StoreError::Corrupt(format!("point windows {windows}")))?,
            },
        ))
    })
    .collect()
}

/// Surveys of communities under `prefix` for the given months: (community, month) → survey.
async fn surveys_under(
    store: &Store,
    prefix: &str,
) -> Result<HashMap<(String, String), Survey>, StoreError> {
    let rows = sqlx::query(
        "SELECT community_code, month, asked, correct FROM surveys WHERE community_code LIKE $1",
    )
    .bind(format!("{prefix}%"))
    .fetch_all(store.pool())
    .await?;
    let mut out = HashMap::new();
    for r in rows {
        out.insert(
            (r.try_get("community_code")?, r.try_get("month")?),
            Survey {
                asked: u32::try_from(r.try_get::<i64, _>("asked")?).unwrap_or_default(),
                correct: u32::try_from(r.try_get::<i64, _>("correct")?).unwrap_or_default(),
            },
        );
    }
    Ok(out)
}

async fn names_of(store: &Store, code: &str) -> Result<Option<Names>, StoreError> {
    Ok(
        sqlx::query("SELECT name_zh, name_en FROM territories WHERE code = $1")
            .bind(code)
            .fetch_optional(store.pool())
            .await?
            .map(|r| -> Result<Names, sqlx::Error> {
                Ok(Names {
                    zh: r.try_get("name_zh")?,
                    en: r.try_get("name_en")?,
                })
            })
            .transpose()?,
    )
}

/// A community's figures for the last twelve months (oldest first) and its latest issues.
pub async fn community_trend(
    store: &Store,
    community: &str,
    user_id: Option<i64>,
    now: i64,
) -> Result<Option<CommunityTrend>, StoreError> {
    let Ok(code) = TerritoryCode::parse(community.trim()) else {
        return Ok(None);
    };
    if code.level() != TerritoryLevel::Community {
        return Ok(None);
    }
    let Some(names) = names_of(store, code.as_str()).await? else {
        return Ok(None);
    };
    let points: Vec<PointFacts> = points_under(store, code.as_str())
        .await?
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    let out = monthly_rates(store, &code, &points, now).await?;
    let issue_views = latest_issues(store, code.as_str()).await?;
    let may_manage = match user_id {
        Some(u) => {
            crate::kernel::access::allows(
                store,
                u,
                domain::access::Action::ManageSorting,
                &domain::access::Target::Territory(code.clone()),
            )
            .await?
        }
        None => false,
    };
    Ok(Some(CommunityTrend {
        code: code.as_str().to_owned(),
        names,
        months: out,
        issues: issue_views,
        may_manage,
    }))
}

/// The community's rates for each of the last twelve months, oldest first.
async fn monthly_rates(
    store: &Store,
    code: &TerritoryCode,
    points: &[PointFacts],
    now: i64,
) -> Result<Vec<MonthRates>, StoreError> {
    let today = Date::of_china_time(now).day_number();
    let mut months = vec![Month::of(now)];
    for _ in 0..11 {
        let earliest = *months.last().unwrap_or(&Month::of(now));
        months.push(previous(earliest));
    }
    months.reverse();
    let first = months
        .first()
        .and_then(|m| month_days(*m, today))
        .map_or(today, |(f, _)| f);
    let shifts = shifts_under(store, code.as_str(), first, today).await?;
    let surveys = surveys_under(store, code.as_str()).await?;
    let mut out = Vec::new();
    for m in months {
        let Some((a, b)) = month_days(m, today) else {
            continue;
        };
        let days: Vec<i64> = (a..=b).collect();
        let in_month: Vec<Shift> = shifts
            .iter()
            .filter(|s| (a..=b).contains(&s.day))
            .cloned()
            .collect();
        let survey: Vec<Survey> = surveys
            .get(&(code.as_str().to_owned(), month_text(m)))
            .copied()
            .into_iter()
            .collect();
        out.push(MonthRates {
            month: month_text(m),
            rates: rates(points, &days, &in_month, &survey),
        });
    }
    Ok(out)
}

/// The community's latest volunteer issues with their visible photos.
async fn latest_issues(store: &Store, community: &str) -> Result<Vec<IssueView>, StoreError> {
    let issues = sqlx::query(
        "SELECT i.id, i.kind, i.note, i.fixed_at, i.case_code, s.day, p.name FROM shift_issues i \
         JOIN shifts s ON s.id = i.shift_id JOIN collection_points p ON p.id = s.point_id \
         WHERE p.community_code = $1 ORDER BY s.day DESC, i.id DESC LIMIT $2",
    )
    .bind(community)
    .bind(ISSUES_SHOWN)
    .fetch_all(store.pool())
    .await?;
    let mut issue_views = Vec::new();
    for r in &issues {
        let id: i64 = r.try_get("id")?;
        let hidden_photos: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM shift_issue_photos \
             WHERE issue_id = $1 AND hidden = 1",
        )
        .bind(id)
        .fetch_one(store.pool())
        .await?;
        let photos = sqlx::query(
            "SELECT position, full_key, thumb_key, width, height FROM shift_issue_photos \
             WHERE issue_id = $1 AND hidden = 0 ORDER BY position",
        )
        .bind(id)
        .fetch_all(store.pool())
        .await?
        .iter()
        .map(crate::kernel::photo_desk::photo_view)
        .collect::<Result<_, _>>()?;
        issue_views.push(IssueView {
            id,
            date: Date::from_day_number(r.try_get("day")?).to_string(),
            point: r.try_get("name")?,
            kind: r.try_get("kind")?,
            note: domain::cases::report::mask_personal_numbers(&r.try_get::<String, _>("note")?),
            fixed: r.try_get::<Option<i64>, _>("fixed_at")?.is_some(),
            case_code: r
                .try_get::<Option<String>, _>("case_code")?
                .filter(|c| !c.starts_with(HANDING_OVER)),
            photos,
            photos_hidden: hidden_photos > 0,
        });
    }
    Ok(issue_views)
}

/// Rates per community under `prefix` for one month, with the whole area's figure.
async fn rates_by_community(
    store: &Store,
    prefix: &str,
    month: Month,
    today: i64,
) -> Result<
    (
        Vec<(String, domain::sorting::supervision::Rates)>,
        domain::sorting::supervision::Rates,
    ),
    StoreError,
> {
    let Some((a, b)) = month_days(month, today) else {
        return Ok((Vec::new(), Default::default()));
    };
    let days: Vec<i64> = (a..=b).collect();
    let points = points_under(store, prefix).await?;
    let shifts = shifts_under(store, prefix, a, b).await?;
    let surveys = surveys_under(store, prefix).await?;
    let label = month_text(month);
    let mut by_community: HashMap<&str, Vec<PointFacts>> = HashMap::new();
    for (c, p) in &points {
        by_community.entry(c.as_str()).or_default().push(p.clone());
    }
    let point_community: HashMap<i64, &str> =
        points.iter().map(|(c, p)| (p.id, c.as_str())).collect();
    let mut shifts_by: HashMap<&str, Vec<Shift>> = HashMap::new();
    for s in &shifts {
        if let Some(c) = point_community.get(&s.point) {
            shifts_by.entry(c).or_default().push(s.clone());
        }
    }
    let mut rows = Vec::new();
    let mut all_surveys = Vec::new();
    let mut communities: Vec<&str> = by_community.keys().copied().collect();
    communities.sort();
    for c in communities {
        let survey: Vec<Survey> = surveys
            .get(&(c.to_owned(), label.clone()))
            .copied()
            .into_iter()
            .collect();
        all_surveys.extend(survey.iter().copied());
        let r = rates(
            &by_community[c],
            &days,
            shifts_by.get(c).map(Vec::as_slice).unwrap_or(&[]),
            &survey,
        );
        rows.push((c.to_owned(), r));
    }
    let all_points: Vec<PointFacts> = points.into_iter().map(|(_, p)| p).collect();
    let total = rates(&all_points, &days, &shifts, &all_surveys);
    Ok((rows, total))
}

/// 红黑榜 of a street or district for a month (empty `month`: this month so far).
pub async fn ranking(
    store: &Store,
    area: &str,
    month: &str,
    now: i64,
) -> Result<Ranking, StoreError> {
    let today = Date::of_china_time(now).day_number();
    let month = Month::parse(month).unwrap_or_else(|| Month::of(now));
    let areas = sqlx::query(
        "SELECT code, name_zh, name_en FROM territories WHERE level IN ('district', 'street') ORDER BY code",
    )
    .fetch_all(store.pool())
    .await?
    .iter()
    .map(crate::kernel::store::code_and_names)
    .collect::<Result<Vec<(String, Names)>, StoreError>>()?;
    let (_, city) = rates_by_community(store, "", month, today).await?;
    let chosen = areas.iter().find(|(c, _)| c == area.trim()).cloned();
    let mut result = Ranking {
        area: chosen.clone(),
        month: month_text(month),
        min_coverage_percent: MIN_COVERAGE_PERCENT,
        city,
        areas,
        months: months_with_shifts(store).await?,
        provisional: month == Month::of(now),
        ..Default::default()
    };
    let Some((code, _)) = chosen else {
        return Ok(result);
    };
    let (ranked, unranked, total, lists) = ranked_under(store, &code, month, today).await?;
    result.red = lists.red.iter().map(|&i| ranked[i].clone()).collect();
    result.black = lists.black.iter().map(|&i| ranked[i].clone()).collect();
    result.ranked = ranked;
    result.unranked = unranked;
    result.area_rates = Some(total);
    Ok(result)
}

/// The months in which any shift was logged, newest first.
async fn months_with_shifts(store: &Store) -> Result<Vec<String>, StoreError> {
    let days: Vec<i64> = sqlx::query_scalar("SELECT DISTINCT day FROM shifts")
        .fetch_all(store.pool())
        .await?;
    let months: std::collections::BTreeSet<Month> = days
        .into_iter()
        .map(|d| {
            let date = Date::from_day_number(d);
            Month {
                year: date.year,
                month: date.month,
            }
        })
        .collect();
    Ok(months.into_iter().rev().map(month_text).collect())
}

/// The communities under `prefix` ("" for the whole city) for a month: ranked (with their ranks),
/// those below the coverage line, the area's own figures, and the 红黑榜 drawn from the ranked;
/// names are read in one query.
async fn ranked_under(
    store: &Store,
    prefix: &str,
    month: Month,
    today: i64,
) -> Result<
    (
        Vec<RankRow>,
        Vec<RankRow>,
        domain::sorting::supervision::Rates,
        Boards,
    ),
    StoreError,
> {
    let (rows, total) = rates_by_community(store, prefix, month, today).await?;
    let (ranked, unranked) = rank(rows, MIN_COVERAGE_PERCENT);
    let lists = boards(
        &ranked.iter().map(|(_, r)| *r).collect::<Vec<_>>(),
        LIST_SIZE,
    );
    let names: HashMap<String, Names> = sqlx::query(
        "SELECT code, name_zh, name_en FROM territories WHERE level = 'community' AND code LIKE $1",
    )
    .bind(format!("{prefix}%"))
    .fetch_all(store.pool())
    .await?
    .iter()
    .map(crate::kernel::store::code_and_names)
    .collect::<Result<_, StoreError>>()?;
    let row = |((c, r), rank): ((String, domain::sorting::supervision::Rates), u32)| RankRow {
        names: names.get(&c).cloned().unwrap_or_else(|| Names {
            zh: c.clone(),
            en: c.clone(),
        }),
        code: c,
        rates: r,
        rank,
    };
    Ok((
        ranked
            .into_iter()
            .zip(lists.ranks.clone())
            .map(row)
            .collect(),
        unranked
            .into_iter()
            .zip(std::iter::repeat(0))
            .map(row)
            .collect(),
        total,
        lists,
    ))
}

/// Every community of the city for one month ("2026-03"), ranked and not: what the open-data
/// sorting export lists, read in one pass over the city (not once per district).
pub async fn city_month(
    store: &Store,
    month: Month,
    now: i64,
) -> Result<(Vec<RankRow>, Vec<RankRow>), StoreError> {
    let today = Date::of_china_time(now).day_number();
    let (ranked, unranked, _, _) = ranked_under(store, "", month, today).await?;
    Ok((ranked, unranked))
}
