//! The public waste-sorting figures: a community's last twelve months with its latest issues, and
//! the 红黑榜 of a street or district. Every figure is `domain::sorting::supervision::rates` over the
//! shifts and surveys of the period; this module only gathers them.

use crate::kernel::store::{Store, StoreError};
use crate::sorting::shifts::{SHIFT_COLUMNS, shift_from_row};
use domain::calendar::Date;
use domain::ports::{CommunityTrend, IssueView, MonthRates, Names, RankRow, Ranking};
use domain::sorting::supervision::{PointFacts, Schedule, Shift, Survey, rank, rates};
use domain::territory::{TerritoryCode, TerritoryLevel};
use domain::workflow::board::Month;
use sqlx::Row;
use std::collections::HashMap;

/// A community is ranked only when volunteers logged at least this share of its windows.
pub const MIN_COVERAGE_PERCENT: u32 = 30;
const ISSUES_SHOWN: i64 = 10;

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

async fn shifts_under(
    store: &Store,
    prefix: &str,
    first: i64,
    last: i64,
) -> Result<Vec<Shift>, StoreError> {
    let sql = format!(
        "SELECT {SHIFT_COLUMNS} FROM shifts WHERE day BETWEEN $2 AND $3 AND point_id IN \
         (SELECT id FROM collection_points WHERE community_code LIKE $1)"
    );
    sqlx::query(&sql)
        .bind(format!("{prefix}%"))
        .bind(first)
        .bind(last)
        .fetch_all(store.pool())
        .await?
        .iter()
        .map(shift_from_row)
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
            rates: rates(&points, &days, &in_month, &survey),
        });
    }
    let issues = sqlx::query(
        "SELECT i.id, i.kind, i.note, i.fixed_at, i.case_code, s.day, p.name FROM shift_issues i \
         JOIN shifts s ON s.id = i.shift_id JOIN collection_points p ON p.id = s.point_id \
         WHERE p.community_code = $1 ORDER BY s.day DESC, i.id DESC LIMIT $2",
    )
    .bind(code.as_str())
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
        ..Default::default()
    };
    let Some((code, _)) = chosen else {
        return Ok(result);
    };
    let (ranked, unranked, total) = ranked_under(store, &code, month, today).await?;
    result.ranked = ranked;
    result.unranked = unranked;
    result.area_rates = Some(total);
    Ok(result)
}

/// The communities under `prefix` ("" for the whole city) for a month: ranked, those below the
/// coverage line, and the area's own figures, with names read in one query.
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
    ),
    StoreError,
> {
    let (rows, total) = rates_by_community(store, prefix, month, today).await?;
    let (ranked, unranked) = rank(rows, MIN_COVERAGE_PERCENT);
    let names: HashMap<String, Names> = sqlx::query(
        "SELECT code, name_zh, name_en FROM territories WHERE level = 'community' AND code LIKE $1",
    )
    .bind(format!("{prefix}%"))
    .fetch_all(store.pool())
    .await?
    .iter()
    .map(crate::kernel::store::code_and_names)
    .collect::<Result<_, StoreError>>()?;
    let row = |(c, r): (String, domain::sorting::supervision::Rates)| RankRow {
        names: names.get(&c).cloned().unwrap_or_else(|| Names {
            zh: c.clone(),
            en: c.clone(),
        }),
        code: c,
        rates: r,
    };
    Ok((
        ranked.into_iter().map(row).collect(),
        unranked.into_iter().map(row).collect(),
        total,
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
    let (ranked, unranked, _) = ranked_under(store, "", month, today).await?;
    Ok((ranked, unranked))
}

#[derive(Debug, thiserror::Error)]
pub enum FixError {
    #[error("no such issue, or already fixed")]
    NotOpen,
    /// The case could not be filed (the point lies outside every grid, say).
    #[error("the case was refused: {0:?}")]
    CaseRefused(Vec<domain::cases::report::ReportProblem>),
    #[error("not allowed")]
    Forbidden,
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for FixError {
    fn from(e: sqlx::Error) -> Self {
        FixError::Store(StoreError::Query(e))
    }
}

/// The community's council marks an issue fixed (audited). Returns the community's code.
/// Whether `user_id` may manage the sorting issues of the point's community (its council).
async fn may_manage_issues(store: &Store, user_id: i64, community: &str) -> Result<(), FixError> {
    let code = TerritoryCode::parse(community)
        .map_err(|e| StoreError::Corrupt(format!("point community {community}: {e}")))?;
    if crate::kernel::access::allows(
        store,
        user_id,
        domain::access::Action::ManageSorting,
        &domain::access::Target::Territory(code),
    )
    .await?
    {
        Ok(())
    } else {
        Err(FixError::Forbidden)
    }
}

/// The community of an issue (an open one, if `open_only`) whose council this person is on.
async fn managed_issue(
    store: &Store,
    user_id: i64,
    issue: i64,
    open_only: bool,
) -> Result<String, FixError> {
    let community: Option<String> = sqlx::query_scalar(
        "SELECT p.community_code FROM shift_issues i JOIN shifts s ON s.id = i.shift_id \
         JOIN collection_points p ON p.id = s.point_id \
         WHERE i.id = $1 AND (i.fixed_at IS NULL OR $2 = 0)",
    )
    .bind(issue)
    .bind(i64::from(open_only))
    .fetch_optional(store.pool())
    .await?;
    let Some(community) = community else {
        return Err(FixError::NotOpen);
    };
    may_manage_issues(store, user_id, &community).await?;
    Ok(community)
}

/// The council hides (or shows again) a volunteer's issue photos: hidden ones answer 404 to the
/// public and leave the community's page. Audited.
pub async fn set_issue_photos_hidden(
    store: &Store,
    user_id: i64,
    issue: i64,
    hide: bool,
    now: i64,
) -> Result<String, FixError> {
    let community = managed_issue(store, user_id, issue, false).await?;
    let mut tx = store.begin_write().await?;
    sqlx::query("UPDATE shift_issue_photos SET hidden = $1 WHERE issue_id = $2")
        .bind(i64::from(hide))
        .bind(issue)
        .execute(&mut *tx)
        .await?;
    crate::kernel::audit::record(
        &mut tx,
        Some(user_id),
        if hide {
            "sorting.issue.photos.hide"
        } else {
            "sorting.issue.photos.show"
        },
        &issue.to_string(),
        &serde_json::json!({ "community": community }),
        "",
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(community)
}

pub async fn mark_fixed(
    store: &Store,
    user_id: i64,
    issue: i64,
    now: i64,
) -> Result<String, FixError> {
    let community = managed_issue(store, user_id, issue, true).await?;
    let mut tx = store.begin_write().await?;
    let done =
        sqlx::query("UPDATE shift_issues SET fixed_at = $1 WHERE id = $2 AND fixed_at IS NULL")
            .bind(now)
            .bind(issue)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if done == 0 {
        return Err(FixError::NotOpen);
    }
    crate::kernel::audit::record(
        &mut tx,
        Some(user_id),
        "sorting.issue.fixed",
        &issue.to_string(),
        &serde_json::json!({ "community": community }),
        "",
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(community)
}

/// What `shift_issues.case_code` holds while a hand-over is under way, so a second click cannot
/// file a second case.
const HANDING_OVER: &str = "pending:";

/// The community's council hands an open issue to the responsible department as an ordinary case
/// (source `shift`, at the point, with copies of the issue's photos, the council member as its
/// reporter and follower), audited. Returns the community's code and the case's tracking code.
pub async fn hand_over(
    store: &Store,
    cases: &crate::cases::Cases,
    user_id: i64,
    issue: i64,
    now: i64,
) -> Result<(String, String), FixError> {
    let row = sqlx::query(
        "SELECT i.kind, i.note, s.day, p.name, p.lat, p.lng, p.community_code FROM shift_issues i \
         JOIN shifts s ON s.id = i.shift_id JOIN collection_points p ON p.id = s.point_id \
         WHERE i.id = $1 AND i.fixed_at IS NULL AND i.case_code IS NULL",
    )
    .bind(issue)
    .fetch_optional(store.pool())
    .await?
    .ok_or(FixError::NotOpen)?;
    let community: String = row.try_get("community_code")?;
    may_manage_issues(store, user_id, &community).await?;
    // Claim the issue first: of two clicks, only one files a case.
    let claimed =
        sqlx::query("UPDATE shift_issues SET case_code = $1 WHERE id = $2 AND case_code IS NULL")
            .bind(format!("{HANDING_OVER}{issue}"))
            .bind(issue)
            .execute(store.pool())
            .await?
            .rows_affected();
    if claimed == 0 {
        return Err(FixError::NotOpen);
    }
    let filed = file_issue_case(store, cases, user_id, issue, &row, now).await;
    let case_code = match filed {
        Ok(c) => c,
        Err(e) => {
            sqlx::query("UPDATE shift_issues SET case_code = NULL WHERE id = $1")
                .bind(issue)
                .execute(store.pool())
                .await?;
            return Err(e);
        }
    };
    let mut tx = store.begin_write().await?;
    sqlx::query("UPDATE shift_issues SET case_code = $1 WHERE id = $2")
        .bind(&case_code)
        .bind(issue)
        .execute(&mut *tx)
        .await?;
    crate::kernel::audit::record(
        &mut tx,
        Some(user_id),
        "sorting.issue.case",
        &issue.to_string(),
        &serde_json::json!({ "community": community, "case": case_code }),
        "",
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((community, case_code))
}

/// The case for a shift issue: category by kind, the point's place, the note, copied photos.
async fn file_issue_case(
    store: &Store,
    cases: &crate::cases::Cases,
    user_id: i64,
    issue: i64,
    row: &sqlx::any::AnyRow,
    now: i64,
) -> Result<String, FixError> {
    let kind: String = row.try_get("kind")?;
    let (category, what) = match kind.as_str() {
        "overflowing" => ("S0301", "垃圾桶满溢"),
        "bin_missing" => ("B0401", "投放点缺少垃圾桶"),
        "mixed" => ("S0302", "混投混放"),
        _ => ("S0302", "投放点问题"),
    };
    let point: String = row.try_get("name")?;
    let note: String = row.try_get("note")?;
    let date = Date::from_day_number(row.try_get("day")?);
    let values = domain::ports::ReportValues {
        category: category.to_owned(),
        description: format!("督导员值守记录（{date}，{point}）：{what}。{note}"),
        lat: format!("{:.6}", row.try_get::<f64, _>("lat")?),
        lng: format!("{:.6}", row.try_get::<f64, _>("lng")?),
        location_source: "map".to_owned(),
        address: point,
        ..Default::default()
    };
    // Copies, so the case's photos and the issue's can be hidden or removed separately.
    let keys: Vec<(String, String, i64, i64)> = sqlx::query(
        "SELECT full_key, thumb_key, width, height FROM shift_issue_photos WHERE issue_id = $1 \
         AND hidden = 0 ORDER BY position",
    )
    .bind(issue)
    .fetch_all(store.pool())
    .await?
    .iter()
    .map(|r| {
        Ok((
            r.try_get("full_key")?,
            r.try_get("thumb_key")?,
            r.try_get("width")?,
            r.try_get("height")?,
        ))
    })
    .collect::<Result<_, sqlx::Error>>()?;
    let mut photos = Vec::new();
    let mut stored_keys = Vec::new();
    let media = cases.media();
    for (full, thumb, w, h) in keys {
        let mut copy = Vec::with_capacity(2);
        for key in [&full, &thumb] {
            let bytes = media
                .get(key)
                .await
                .map_err(|e| StoreError::Corrupt(format!("issue photo {key}: {e}")))?
                .ok_or_else(|| StoreError::Corrupt(format!("issue photo {key} is missing")))?;
            let new_key = key.replace(".jpg", "_c.jpg");
            if let Err(e) = media.put(&new_key, bytes.to_vec()).await {
                media.delete_all(&stored_keys).await;
                return Err(StoreError::Corrupt(format!("copying {key}: {e}")).into());
            }
            stored_keys.push(new_key.clone());
            copy.push(new_key);
        }
        photos.push((
            copy[0].clone(),
            copy[1].clone(),
            u32::try_from(w).unwrap_or_default(),
            u32::try_from(h).unwrap_or_default(),
        ));
    }
    match cases
        .file_handed_over(
            &values,
            photos,
            Some(user_id),
            crate::cases::Origin {
                source: domain::cases::case::CaseSource::Shift,
                api_key: None,
            },
            now,
        )
        .await
    {
        Ok(code) => Ok(code.to_string()),
        Err(crate::cases::SubmitError::Invalid(p)) => Err(FixError::CaseRefused(p)),
        Err(crate::cases::SubmitError::Store(e)) => Err(e.into()),
        Err(e) => Err(StoreError::Corrupt(e.to_string()).into()),
    }
}
