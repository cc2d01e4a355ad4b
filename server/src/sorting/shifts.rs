//! The volunteer's (督导员) shift log: a shift at a point they are assigned to, checked against the
//! point's windows and households and the volunteer's other shifts (`domain::sorting::supervision`), with
//! an optional issue and its photos; and the volunteer's own history, as a thank-you.

use crate::cases::Cases;
use crate::kernel::clock::china_day_minute;
use crate::kernel::photo_desk::{PhotoFailure, PhotoIntake, PhotoOwner, insert_photo_rows};
use crate::kernel::store::{Store, StoreError};
use domain::calendar::Date;
use domain::ports::{AssignedPoint, ShiftDraft, ShiftFormProblem, ShiftSummary, VolunteerPage};
use domain::sorting::supervision::{
    COUNT_FIELDS, Inspected, Minute, Schedule, Shift, check_shift, minute_text, parse_count,
    parse_minute,
};
use sqlx::Row;

#[derive(Debug, thiserror::Error)]
pub enum ShiftError {
    #[error("refused: {0:?}")]
    Refused(Vec<ShiftFormProblem>),
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ShiftError {
    fn from(e: sqlx::Error) -> Self {
        ShiftError::Store(StoreError::Query(e))
    }
}

const ISSUE_KINDS: [&str; 4] = ["overflowing", "mixed", "bin_missing", "other"];
const ISSUE_NOTE_MAX_CHARS: usize = 200;
const HISTORY_ROWS: i64 = 20;
/// A shift may end a few minutes "in the future" (phone clocks drift).
const CLOCK_SLACK_MINUTES: i64 = 5;

pub(crate) fn shift_from_row(r: &sqlx::any::AnyRow) -> Result<Shift, StoreError> {
    let n = |c: &str| -> Result<u32, StoreError> {
        Ok(u32::try_from(r.try_get::<i64, _>(c)?).unwrap_or_default())
    };
    let mut inspected = [Inspected::default(); 4];
    for (i, slot) in inspected.iter_mut().enumerate() {
        *slot = Inspected {
            correct: n(COUNT_FIELDS[i * 2])?,
            incorrect: n(COUNT_FIELDS[i * 2 + 1])?,
        };
    }
    Ok(Shift {
        volunteer: r
            .try_get::<Option<i64>, _>("volunteer_id")?
            .unwrap_or_default(),
        point: r.try_get("point_id")?,
        day: r.try_get("day")?,
        start: Minute::try_from(r.try_get::<i64, _>("start_minute")?).unwrap_or_default(),
        end: Minute::try_from(r.try_get::<i64, _>("end_minute")?).unwrap_or_default(),
        households: n("households")?,
        inspected,
        reason: r.try_get("reason")?,
    })
}

pub(crate) const SHIFT_COLUMNS: &str = "point_id, volunteer_id, day, start_minute, end_minute, \
     households, recyclable_ok, recyclable_bad, hazardous_ok, hazardous_bad, kitchen_ok, \
     kitchen_bad, other_ok, other_bad, reason";

/// Shifts at the collection points of the communities whose codes start with `prefix` (one
/// community, a street, a district) on days from `first` to `last` (day numbers), for the rates.
pub(crate) async fn shifts_under(
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

#[derive(Clone)]
pub struct Shifts {
    store: Store,
    cases: Cases,
}

impl Shifts {
    pub fn new(store: Store, cases: Cases) -> Shifts {
        Shifts { store, cases }
    }

    pub async fn volunteer_page(
        &self,
        user_id: i64,
        now: i64,
    ) -> Result<Option<VolunteerPage>, StoreError> {
        let points = sqlx::query(
            "SELECT p.id, p.name, p.households, p.windows FROM collection_points p \
             JOIN point_volunteers v ON v.point_id = p.id WHERE v.user_id = $1 ORDER BY p.name",
        )
        .bind(user_id)
        .fetch_all(self.store.pool())
        .await?;
        if points.is_empty() {
            return Ok(None);
        }
        let mut assigned = Vec::new();
        for r in &points {
            let windows: String = r.try_get("windows")?;
            assigned.push(AssignedPoint {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                households: u32::try_from(r.try_get::<i64, _>("households")?).unwrap_or_default(),
                windows: windows.split(',').map(str::to_owned).collect(),
            });
        }
        let rows = sqlx::query(&format!(
            "SELECT s.{}, p.name FROM shifts s JOIN collection_points p ON p.id = s.point_id \
             WHERE s.volunteer_id = $1 ORDER BY s.day DESC, s.start_minute DESC LIMIT $2",
            SHIFT_COLUMNS.replace(", ", ", s.")
        ))
        .bind(user_id)
        .bind(HISTORY_ROWS)
        .fetch_all(self.store.pool())
        .await?;
        let mut shifts = Vec::new();
        for r in &rows {
            let s = shift_from_row(r)?;
            let (inspected, correct) = s.inspected.iter().fold((0, 0), |(t, c), i| {
                (t + i.correct + i.incorrect, c + i.correct)
            });
            shifts.push(ShiftSummary {
                point: r.try_get("name")?,
                date: Date::from_day_number(s.day).to_string(),
                start: minute_text(s.start),
                end: minute_text(s.end),
                households: s.households,
                inspected,
                correct,
            });
        }
        let totals = sqlx::query(
            "SELECT CAST(COUNT(*) AS BIGINT) AS n, CAST(COALESCE(SUM(households), 0) AS BIGINT) AS h, \
             CAST(COALESCE(SUM(end_minute - start_minute), 0) AS BIGINT) AS m \
             FROM shifts WHERE volunteer_id = $1",
        )
        .bind(user_id)
        .fetch_one(self.store.pool())
        .await?;
        let (today, minute) = china_day_minute(now);
        Ok(Some(VolunteerPage {
            points: assigned,
            shifts,
            total_shifts: u32::try_from(totals.try_get::<i64, _>("n")?).unwrap_or_default(),
            total_households: u64::try_from(totals.try_get::<i64, _>("h")?).unwrap_or_default(),
            total_minutes: u64::try_from(totals.try_get::<i64, _>("m")?).unwrap_or_default(),
            today: Date::from_day_number(today).to_string(),
            now: minute_text(minute),
        }))
    }

    /// Whether the person holds a live volunteer grant over the community.
    async fn volunteers_here(&self, user_id: i64, community: &str) -> Result<bool, StoreError> {
        let Ok(territory) = domain::territory::TerritoryCode::parse(community) else {
            return Ok(false);
        };
        let target = domain::access::Target::Territory(territory);
        Ok(crate::kernel::access::load_grants(&self.store, user_id)
            .await
            .map_err(|e| StoreError::Corrupt(e.to_string()))?
            .into_iter()
            .any(|(_, g, _)| {
                g.role() == domain::access::Role::Volunteer && g.scope().covers(&target)
            }))
    }

    /// The point the draft names, if the volunteer serves it (on its list, with the role still
    /// granted there): its id, the households it serves and its schedule.
    async fn assigned_point(
        &self,
        user_id: i64,
        draft: &ShiftDraft,
    ) -> Result<(i64, u32, Schedule), ShiftError> {
        let refused = |p: ShiftFormProblem| ShiftError::Refused(vec![p]);
        let point_id: i64 = draft
            .point
            .trim()
            .parse()
            .map_err(|_| refused(ShiftFormProblem::NoSuchPoint))?;
        let Some(point) = sqlx::query(
            "SELECT households, windows, community_code FROM collection_points WHERE id = $1",
        )
        .bind(point_id)
        .fetch_optional(self.store.pool())
        .await?
        else {
            return Err(refused(ShiftFormProblem::NoSuchPoint));
        };
        // Being on the point's list is not enough: a volunteer whose role was revoked logs nothing.
        if !self
            .volunteers_here(user_id, &point.try_get::<String, _>("community_code")?)
            .await?
        {
            return Err(refused(ShiftFormProblem::NotAssigned));
        }
        let assigned: Option<i64> = sqlx::query_scalar(
            "SELECT point_id FROM point_volunteers WHERE point_id = $1 AND user_id = $2",
        )
        .bind(point_id)
        .bind(user_id)
        .fetch_optional(self.store.pool())
        .await?;
        if assigned.is_none() {
            return Err(refused(ShiftFormProblem::NotAssigned));
        }
        let households_served =
            u32::try_from(point.try_get::<i64, _>("households")?).unwrap_or_default();
        let windows: String = point.try_get("windows")?;
        let schedule = Schedule::parse(&windows)
            .map_err(|_| StoreError::Corrupt(format!("collection point {point_id}: windows")))?;

        Ok((point_id, households_served, schedule))
    }

    /// The volunteer's shifts on a day (a new one must not overlap them).
    async fn shifts_of(&self, user_id: i64, day: i64) -> Result<Vec<Shift>, StoreError> {
        sqlx::query(&format!(
            "SELECT {SHIFT_COLUMNS} FROM shifts WHERE volunteer_id = $1 AND day = $2"
        ))
        .bind(user_id)
        .bind(day)
        .fetch_all(self.store.pool())
        .await?
        .iter()
        .map(shift_from_row)
        .collect::<Result<_, _>>()
    }

    /// Logs a finished shift. Every problem is returned; nothing is stored unless all is well.
    pub async fn log(
        &self,
        user_id: i64,
        draft: &ShiftDraft,
        photos: PhotoIntake,
        now: i64,
    ) -> Result<i64, ShiftError> {
        let (point_id, households_served, schedule) = self.assigned_point(user_id, draft).await?;
        let mut problems = Vec::new();
        let day = Date::parse(draft.date.trim()).map(Date::day_number);
        if day.is_none() {
            problems.push(ShiftFormProblem::BadDate);
        }
        let start = parse_minute(&draft.start);
        let end = parse_minute(&draft.end);
        if start.is_none() {
            problems.push(ShiftFormProblem::BadTime("start".into()));
        }
        if end.is_none() {
            problems.push(ShiftFormProblem::BadTime("end".into()));
        }
        let (households, inspected) = parse_counts(draft, &mut problems);
        let issue_kind = draft.issue_kind.trim();
        if !issue_kind.is_empty() && !ISSUE_KINDS.contains(&issue_kind) {
            problems.push(ShiftFormProblem::IssueKind);
        }
        let issue_note = domain::privacy::clean_text(&draft.issue_note, true);
        let issue_note = issue_note.trim();
        if issue_note.chars().count() > ISSUE_NOTE_MAX_CHARS {
            problems.push(ShiftFormProblem::IssueNoteLength);
        }
        if issue_kind.is_empty() && !photos.files.is_empty() {
            problems.push(ShiftFormProblem::PhotoWithoutIssue);
        }
        problems.extend(photos.problems().into_iter().map(ShiftFormProblem::Photo));
        let reason = Some(
            domain::privacy::clean_text(&draft.reason, true)
                .trim()
                .to_owned(),
        )
        .filter(|r| !r.is_empty());
        if let (Some(day), Some(start), Some(end)) = (day, start, end) {
            let (today, minute) = china_day_minute(now);
            if day > today
                || (day == today && i64::from(end) > i64::from(minute) + CLOCK_SLACK_MINUTES)
            {
                problems.push(ShiftFormProblem::InFuture);
            }
            let shift = Shift {
                volunteer: user_id,
                point: point_id,
                day,
                start,
                end,
                households,
                inspected,
                reason: reason.clone(),
            };
            let others = self.shifts_of(user_id, day).await?;
            problems.extend(
                check_shift(&shift, &schedule, households_served, &others)
                    .into_iter()
                    .map(ShiftFormProblem::Shift),
            );
            if problems.is_empty() {
                return self
                    .write(&shift, issue_kind, issue_note, photos, now)
                    .await;
            }
        }
        Err(ShiftError::Refused(problems))
    }

    async fn write(
        &self,
        shift: &Shift,
        issue_kind: &str,
        issue_note: &str,
        photos: PhotoIntake,
        now: i64,
    ) -> Result<i64, ShiftError> {
        let mut keys = Vec::new();
        let stored = self
            .cases
            .photos()
            .store_checked(photos.files, &mut keys)
            .await
            .map_err(|e| match e {
                PhotoFailure::Refused(ps) => {
                    ShiftError::Refused(ps.into_iter().map(ShiftFormProblem::Photo).collect())
                }
                PhotoFailure::Store(s) => ShiftError::Store(s),
            })?;
        let written = async {
            let mut tx = self.store.begin_write().await?;
            let sql = format!(
                "INSERT INTO shifts ({SHIFT_COLUMNS}, created_at) VALUES \
                 ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id"
            );
            let mut q = sqlx::query_scalar::<_, i64>(&sql)
            .bind(shift.point)
            .bind(shift.volunteer)
            .bind(shift.day)
            .bind(i64::from(shift.start))
            .bind(i64::from(shift.end))
            .bind(i64::from(shift.households));
            for i in shift.inspected {
                q = q.bind(i64::from(i.correct)).bind(i64::from(i.incorrect));
            }
            let id = q
                .bind(shift.reason.clone())
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            if !issue_kind.is_empty() {
                let issue: i64 = sqlx::query_scalar(
                    "INSERT INTO shift_issues (shift_id, kind, note) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(id)
                .bind(issue_kind)
                .bind(issue_note)
                .fetch_one(&mut *tx)
                .await?;
                insert_photo_rows(&mut tx, PhotoOwner::ShiftIssue(issue), &stored).await?;
            }
            tx.commit().await?;
            Ok::<i64, sqlx::Error>(id)
        }
        .await;
        if written.is_err() {
            self.cases.media().delete_all(&keys).await;
        }
        Ok(written?)
    }
}

/// The households and the inspected counts per bin; a bad count is a problem and counts as 0.
fn parse_counts(draft: &ShiftDraft, problems: &mut Vec<ShiftFormProblem>) -> (u32, [Inspected; 4]) {
    let mut count = |field: &str, text: &str| match parse_count(field, text) {
        Ok(n) => n,
        Err(p) => {
            problems.push(ShiftFormProblem::Shift(p));
            0
        }
    };
    let households = count("households", &draft.households);
    let mut inspected = [Inspected::default(); 4];
    for (i, slot) in inspected.iter_mut().enumerate() {
        let get = |k: usize| draft.counts.get(k).map(String::as_str).unwrap_or("");
        *slot = Inspected {
            correct: count(COUNT_FIELDS[i * 2], get(i * 2)),
            incorrect: count(COUNT_FIELDS[i * 2 + 1], get(i * 2 + 1)),
        };
    }
    (households, inspected)
}
