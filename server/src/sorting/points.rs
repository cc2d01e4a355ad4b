//! Collection points: the public list (a community's points, or the points nearest a resident) and
//! the council's form to add or change a point and the volunteers who stand at it. The form's
//! rules are `domain::sorting::supervision::PointPlan`; this module adds what needs the store (the
//! community's area, the name's uniqueness, registered volunteers) and writes the change audited.

use crate::kernel::store::StoreError;
use crate::sorting::Sorting;
use domain::access::{Action, Target};
use domain::geo::LatLng;
use domain::ports::{CollectionPoints, Names, PointEditor, PointView};
use domain::sorting::Bin;
use domain::sorting::supervision::{
    PointFacts, PointForm, PointPlan, PointProblem, Schedule, Survey, minute_text, rates,
};
use domain::territory::{TerritoryCode, TerritoryLevel};
use sqlx::Row;

/// How many points a "near me" list shows.
const NEAR_SHOWN: usize = 8;
/// Points read per box, nearest by a flat approximation first (then measured exactly).
const NEAR_READ_ROWS: i64 = 200;
/// How far (in degrees, about 3 km) a "near me" list looks first; an empty box is widened tenfold,
/// twice, before the list says there is nothing near.
const NEAR_BOX_DEGREES: f64 = 0.03;
/// How far outside its community's box a point may stand (a bin room on the street outside).
const COMMUNITY_MARGIN_DEGREES: f64 = 0.002;

pub(crate) const POINT_COLUMNS: &str =
    "p.id, p.name, p.lat, p.lng, p.households, p.bins, p.windows, p.community_code";

#[derive(Debug, thiserror::Error)]
pub enum PointError {
    #[error("refused: {0:?}")]
    Refused(Vec<PointProblem>),
    /// Not this community's council, or no such community.
    #[error("not allowed")]
    Forbidden,
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

/// A community whose council the signed-in person sits on.
struct CouncilCommunity {
    code: String,
    names: Names,
    /// (south, west, north, east)
    bbox: (f64, f64, f64, f64),
}

impl From<sqlx::Error> for PointError {
    fn from(e: sqlx::Error) -> Self {
        PointError::Store(StoreError::Query(e))
    }
}

/// A point row (selected with [`POINT_COLUMNS`]) as the public sees it at `minute` of the day, and
/// the facts the rates need.
pub(crate) fn point_from_row(
    r: &sqlx::any::AnyRow,
    minute: u16,
) -> Result<(PointView, PointFacts, String), StoreError> {
    let id: i64 = r.try_get("id")?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("collection point {id}: {what}"));
    let windows: String = r.try_get("windows")?;
    let schedule = Schedule::parse(&windows).map_err(|_| corrupt("windows"))?;
    let bins: String = r.try_get("bins")?;
    let households = u32::try_from(r.try_get::<i64, _>("households")?).unwrap_or_default();
    let view = PointView {
        id,
        name: r.try_get("name")?,
        lat: r.try_get("lat")?,
        lng: r.try_get("lng")?,
        households,
        bins: Bin::parse_list(&bins).ok_or_else(|| corrupt("bins"))?,
        windows: schedule
            .windows()
            .iter()
            .map(|w| format!("{}-{}", minute_text(w.start), minute_text(w.end)))
            .collect(),
        state: schedule.state_at(minute),
        distance_m: None,
        community: None,
    };
    let facts = PointFacts {
        id,
        households,
        schedule,
    };
    Ok((view, facts, r.try_get("community_code")?))
}

/// "24.4512,118.0823" → a point on Earth.
pub fn parse_near(near: &str) -> Option<LatLng> {
    let (lat, lng) = near.split_once(',')?;
    LatLng::new(lat.trim().parse().ok()?, lng.trim().parse().ok()?).ok()
}

impl Sorting {
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
        .map(crate::kernel::store::code_and_names)
        .collect::<Result<Vec<(String, Names)>, StoreError>>()?;
        let (_, minute) = crate::kernel::clock::china_day_minute(now);
        let near = parse_near(near);
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
            POINT_COLUMNS
        ))
        .bind(code)
        .fetch_all(self.store.pool())
        .await?;
        let mut points = Vec::with_capacity(rows.len());
        let mut facts = Vec::with_capacity(rows.len());
        for r in &rows {
            let (view, fact, _) = point_from_row(r, minute)?;
            points.push(view);
            facts.push(fact);
        }
        if near.is_some() {
            points = nearest.into_iter().map(|(p, _)| p).collect();
        }
        // This month so far: the rates as defined in `domain::sorting::supervision` (no surveys yet).
        let (today, _) = crate::kernel::clock::china_day_minute(now);
        let date = domain::calendar::Date::from_day_number(today);
        let first = domain::calendar::Date::new(date.year, date.month, 1)
            .map(domain::calendar::Date::day_number)
            .unwrap_or(today);
        let shifts = crate::sorting::shifts::shifts_under(&self.store, code, first, today).await?;
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

    /// The points nearest `at`, nearest first, each with its distance and community.
    pub(crate) async fn points_near(
        &self,
        at: LatLng,
        minute: u16,
    ) -> Result<Vec<(PointView, String)>, StoreError> {
        let sql = format!(
            "SELECT {POINT_COLUMNS}, t.name_zh, t.name_en FROM collection_points p \
             JOIN territories t ON t.code = p.community_code"
        );
        // Boxes growing tenfold (about 3 km, 30 km, 300 km), then nothing: a far-away `near`
        // reads no more than a box's worth of points, never the whole table on every request.
        let mut rows = Vec::new();
        for d in [
            NEAR_BOX_DEGREES,
            NEAR_BOX_DEGREES * 10.0,
            NEAR_BOX_DEGREES * 100.0,
        ] {
            rows = sqlx::query(&format!(
                "{sql} WHERE p.lat BETWEEN $1 AND $2 AND p.lng BETWEEN $3 AND $4 \
                 ORDER BY (p.lat - $5) * (p.lat - $5) + (p.lng - $6) * (p.lng - $6) LIMIT $7"
            ))
            .bind(at.lat() - d)
            .bind(at.lat() + d)
            .bind(at.lng() - d)
            .bind(at.lng() + d)
            .bind(at.lat())
            .bind(at.lng())
            .bind(NEAR_READ_ROWS)
            .fetch_all(self.store().pool())
            .await?;
            if !rows.is_empty() {
                break;
            }
        }
        let mut points = Vec::with_capacity(rows.len());
        for r in &rows {
            let (mut view, _, community) = point_from_row(r, minute)?;
            let here = LatLng::new(view.lat, view.lng)
                .map_err(|_| StoreError::Corrupt(format!("point {} location", view.id)))?;
            view.distance_m = Some(at.distance_m(here).round() as u32);
            view.community = Some(Names {
                zh: r.try_get("name_zh")?,
                en: r.try_get("name_en")?,
            });
            points.push((view, community));
        }
        points.sort_by_key(|(p, _)| (p.distance_m, p.id));
        points.truncate(NEAR_SHOWN);
        Ok(points)
    }

    /// The council's form for point `id`, or for a new point in `community`.
    pub async fn point_editor(
        &self,
        id: &str,
        community: &str,
        user_id: i64,
    ) -> Result<Option<PointEditor>, StoreError> {
        let mut form = PointForm::default();
        let community = if id.trim().is_empty() {
            community.trim().to_owned()
        } else {
            let Ok(id) = id.trim().parse::<i64>() else {
                return Ok(None);
            };
            let Some(r) = sqlx::query(
                "SELECT id, community_code, name, lat, lng, households, bins, windows \
                 FROM collection_points WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(self.store().pool())
            .await?
            else {
                return Ok(None);
            };
            let phones: Vec<String> = sqlx::query_scalar(
                "SELECT u.phone FROM point_volunteers v JOIN users u ON u.id = v.user_id \
                 WHERE v.point_id = $1 ORDER BY v.assigned_at, u.phone",
            )
            .bind(id)
            .fetch_all(self.store().pool())
            .await?;
            let bins: String = r.try_get("bins")?;
            form = PointForm {
                id: id.to_string(),
                community: r.try_get("community_code")?,
                name: r.try_get("name")?,
                lat: format!("{:.6}", r.try_get::<f64, _>("lat")?),
                lng: format!("{:.6}", r.try_get::<f64, _>("lng")?),
                households: r.try_get::<i64, _>("households")?.to_string(),
                bins: bins.split(',').map(str::to_owned).collect(),
                windows: r.try_get("windows")?,
                volunteers: phones.join("\n"),
            };
            form.community.clone()
        };
        let Some(CouncilCommunity {
            code,
            names,
            bbox: (s, w, n, e),
        }) = self.council_community(user_id, &community).await?
        else {
            return Ok(None);
        };
        form.community = code;
        Ok(Some(PointEditor {
            form,
            community_names: names,
            problems: Vec::new(),
            centre: ((s + n) / 2.0, (w + e) / 2.0),
            tiles: None,
        }))
    }

    /// The community when `user_id` sits on its council.
    async fn council_community(
        &self,
        user_id: i64,
        community: &str,
    ) -> Result<Option<CouncilCommunity>, StoreError> {
        let Some(code) = TerritoryCode::parse(community.trim())
            .ok()
            .filter(|c| c.level() == TerritoryLevel::Community)
        else {
            return Ok(None);
        };
        let Some(r) = sqlx::query(
            "SELECT name_zh, name_en, min_lat, min_lng, max_lat, max_lng FROM territories \
             WHERE code = $1",
        )
        .bind(code.as_str())
        .fetch_optional(self.store().pool())
        .await?
        else {
            return Ok(None);
        };
        if !crate::kernel::access::allows(
            self.store(),
            user_id,
            Action::ManageSorting,
            &Target::Territory(code.clone()),
        )
        .await?
        {
            return Ok(None);
        }
        Ok(Some(CouncilCommunity {
            code: code.as_str().to_owned(),
            names: Names {
                zh: r.try_get("name_zh")?,
                en: r.try_get("name_en")?,
            },
            bbox: (
                r.try_get("min_lat")?,
                r.try_get("min_lng")?,
                r.try_get("max_lat")?,
                r.try_get("max_lng")?,
            ),
        }))
    }

    /// The point's name is free in its community and every volunteer has an account; returns
    /// the volunteers' ids (problems go into `problems`).
    async fn check_names(
        &self,
        community: &str,
        id: Option<i64>,
        p: &PointPlan,
        problems: &mut Vec<PointProblem>,
    ) -> Result<Vec<i64>, PointError> {
        let mut volunteer_ids = Vec::new();
        let taken: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM collection_points WHERE community_code = $1 AND name = $2",
        )
        .bind(community)
        .bind(&p.name)
        .fetch_optional(self.store().pool())
        .await?;
        if taken.is_some_and(|t| Some(t) != id) {
            problems.push(PointProblem::NameTaken);
        }
        for phone in &p.volunteers {
            let uid: Option<i64> =
                sqlx::query_scalar("SELECT id FROM users WHERE phone = $1 AND deleted_at IS NULL")
                    .bind(phone)
                    .fetch_optional(self.store().pool())
                    .await?;
            match uid {
                Some(u) => volunteer_ids.push(u),
                None => problems.push(PointProblem::VolunteerUnknown(phone.clone())),
            }
        }
        Ok(volunteer_ids)
    }

    /// Adds or changes a point and replaces its volunteers, in one transaction, audited. Returns
    /// the point's id and community. A volunteer who is new to the community is granted the
    /// volunteer role there (the council recruits its 督导员).
    pub async fn save_point(
        &self,
        user_id: i64,
        form: &PointForm,
        client: &str,
        now: i64,
    ) -> Result<(i64, String), PointError> {
        let existing: Option<String> = match form.id.trim() {
            "" => None,
            id => Some(
                sqlx::query_scalar("SELECT community_code FROM collection_points WHERE id = $1")
                    .bind(id.parse::<i64>().map_err(|_| PointError::Forbidden)?)
                    .fetch_optional(self.store().pool())
                    .await?
                    .ok_or(PointError::Refused(vec![PointProblem::NoSuchPoint]))?,
            ),
        };
        // An existing point stays in its community, whatever the form says.
        let community = existing.unwrap_or_else(|| form.community.trim().to_owned());
        let Some(CouncilCommunity {
            code: community,
            bbox: (s, w, n, e),
            ..
        }) = self.council_community(user_id, &community).await?
        else {
            return Err(PointError::Forbidden);
        };
        let mut problems = Vec::new();
        let plan = PointPlan::parse(form).map_err(|p| problems.extend(p)).ok();
        let m = COMMUNITY_MARGIN_DEGREES;
        if let Some(p) = &plan
            && !(s - m <= p.lat && p.lat <= n + m && w - m <= p.lng && p.lng <= e + m)
        {
            problems.push(PointProblem::Location);
        }
        let id: Option<i64> = form.id.trim().parse().ok();
        let volunteer_ids = match &plan {
            Some(p) => self.check_names(&community, id, p, &mut problems).await?,
            None => Vec::new(),
        };
        let (Some(plan), true) = (plan, problems.is_empty()) else {
            return Err(PointError::Refused(problems));
        };
        let mut tx = self.store().begin_write().await?;
        let id = upsert_point(&mut tx, id, &community, &plan).await?;
        assign_volunteers(&mut tx, id, &volunteer_ids, &community, user_id, now).await?;
        crate::kernel::audit::record(
            &mut tx,
            Some(user_id),
            "collection_point.save",
            &format!("collection_point:{id}"),
            &serde_json::json!({
                "name": plan.name,
                "lat": plan.lat,
                "lng": plan.lng,
                "households": plan.households,
                "bins": plan.bins_text(),
                "windows": plan.windows_text(),
                "volunteers": volunteer_ids,
            }),
            client,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok((id, community))
    }
}

/// Writes the point's row (a new one, or the one with this id); returns its id.
async fn upsert_point(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: Option<i64>,
    community: &str,
    plan: &PointPlan,
) -> Result<i64, sqlx::Error> {
    Ok(match id {
        Some(id) => {
            sqlx::query(
                "UPDATE collection_points SET name = $1, lat = $2, lng = $3, households = $4, \
                     bins = $5, windows = $6 WHERE id = $7",
            )
            .bind(&plan.name)
            .bind(plan.lat)
            .bind(plan.lng)
            .bind(i64::from(plan.households))
            .bind(plan.bins_text())
            .bind(plan.windows_text())
            .bind(id)
            .execute(&mut **tx)
            .await?;
            id
        }
        None => {
            sqlx::query_scalar(
                "INSERT INTO collection_points (community_code, name, lat, lng, households, \
                     bins, windows) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(community)
            .bind(&plan.name)
            .bind(plan.lat)
            .bind(plan.lng)
            .bind(i64::from(plan.households))
            .bind(plan.bins_text())
            .bind(plan.windows_text())
            .fetch_one(&mut **tx)
            .await?
        }
    })
}

/// The point's volunteers become exactly these; one new to the community is granted the
/// volunteer role there.
async fn assign_volunteers(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    volunteer_ids: &[i64],
    community: &str,
    by: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM point_volunteers WHERE point_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for uid in volunteer_ids {
        sqlx::query(
            "INSERT INTO point_volunteers (point_id, user_id, assigned_at) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(uid)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        sqlx::query(
            "INSERT INTO role_grants (user_id, role, territory_code, granted_by, granted_at) \
                 SELECT $1, 'volunteer', $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM role_grants \
                 WHERE user_id = $1 AND role = 'volunteer' AND territory_code = $2 \
                 AND revoked_at IS NULL)",
        )
        .bind(uid)
        .bind(community)
        .bind(by)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
