//! A consultation's life: created from the council's form, moved phase by phase, its result frozen and published.

use crate::consult::{
    ConsultError, Consultations, Frozen, PUBLISHED_EXPORT_ROWS, Stored, live_result_on, refused,
};
use crate::kernel::photo_desk::PhotoIntake;
use crate::kernel::photo_desk::{PhotoOwner, StoredPhoto, insert_photo_rows};
use crate::kernel::store::StoreError;
use domain::calendar::Date;
use domain::consult::{BODY_MAX_CHARS, MAX_OPTIONS, TITLE_MAX_CHARS};
use domain::consult::{MatterRule, Phase, Schedule, VoteScope};
use domain::ports::{ConsultForm, ConsultProblem};
use domain::privacy::clean_text;
use domain::territory::{TerritoryCode, TerritoryLevel};

impl Consultations {
    /// Creates a consultation from the council's form. Returns its id.
    pub async fn create(
        &self,
        user_id: i64,
        form: &ConsultForm,
        photos: PhotoIntake,
        now: i64,
    ) -> Result<i64, ConsultError> {
        let community = TerritoryCode::parse(form.community.trim())
            .ok()
            .filter(|c| c.level() == TerritoryLevel::Community)
            .ok_or_else(|| refused(ConsultProblem::NoSuchCommunity))?;
        let exists: Option<String> =
            sqlx::query_scalar("SELECT code FROM territories WHERE code = $1")
                .bind(community.as_str())
                .fetch_optional(self.store.pool())
                .await?;
        if exists.is_none() {
            return Err(refused(ConsultProblem::NoSuchCommunity));
        }
        self.require_council(user_id, &community).await?;
        let mut problems = Vec::new();
        let title = clean_text(&form.title, false);
        let title = title.trim();
        if !(2..=TITLE_MAX_CHARS).contains(&title.chars().count()) {
            problems.push(ConsultProblem::TitleLength);
        }
        let body = clean_text(&form.body, true);
        let body = body.trim();
        if !(1..=BODY_MAX_CHARS).contains(&body.chars().count()) {
            problems.push(ConsultProblem::BodyLength);
        }
        let rule = self.rule(form.matter.trim()).await?;
        let scope = VoteScope::parse(
            &form.scope_kind,
            &form.buildings,
            &form.building,
            &form.stairwell,
        );
        match (&rule, &scope) {
            (None, _) => problems.push(ConsultProblem::UnknownMatter),
            (_, Err(p)) => problems.push(ConsultProblem::Scope(*p)),
            (Some(rule), Ok(scope)) => {
                if let Err(p) = scope.fits(rule.scope) {
                    problems.push(ConsultProblem::Scope(p));
                }
            }
        }
        let options = parse_options(form, &mut problems);
        let schedule = parse_schedule(form, now, &mut problems);
        problems.extend(photos.problems().into_iter().map(ConsultProblem::Photo));
        let (Some(rule), Ok(scope), Some(schedule), true) =
            (rule, scope, schedule, problems.is_empty())
        else {
            return Err(ConsultError::Refused(problems));
        };
        let mut keys = Vec::new();
        let stored = self.store_photos(photos.files, &mut keys).await?;
        let written = self
            .insert(
                user_id,
                &community,
                title,
                body,
                &rule,
                &scope,
                &options,
                form.open_voting,
                schedule,
                &stored,
                now,
            )
            .await;
        if written.is_err() {
            self.cases.media().delete_all(&keys).await;
        }
        Ok(written?)
    }

    #[allow(clippy::too_many_arguments)]
    async fn insert(
        &self,
        user_id: i64,
        community: &TerritoryCode,
        title: &str,
        body: &str,
        rule: &MatterRule,
        scope: &VoteScope,
        options: &[String],
        open_voting: bool,
        schedule: Schedule,
        photos: &[StoredPhoto],
        now: i64,
    ) -> Result<i64, StoreError> {
        let mut tx = self.store.begin_write().await?;
        let (buildings, building, stairwell) = match scope {
            VoteScope::Community => (String::new(), String::new(), String::new()),
            VoteScope::Buildings(list) => (list.join("\n"), String::new(), String::new()),
            VoteScope::Stairwell {
                building,
                stairwell,
            } => (String::new(), building.clone(), stairwell.clone()),
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO consultations (community_code, title, body, matter_code, scope_kind, \
             scope_buildings, scope_building, scope_stairwell, question_kind, open_voting, \
             comment_from, vote_from, vote_until, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
        )
        .bind(community.as_str())
        .bind(title)
        .bind(body)
        .bind(&rule.code)
        .bind(scope.kind())
        .bind(buildings)
        .bind(building)
        .bind(stairwell)
        .bind(if options.is_empty() { "yesno" } else { "options" })
        .bind(i64::from(open_voting))
        .bind(schedule.comment_from)
        .bind(schedule.vote_from)
        .bind(schedule.vote_until)
        .bind(user_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        for (i, label) in options.iter().enumerate() {
            sqlx::query(
                "INSERT INTO consultation_options (consultation_id, position, label) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(i as i64)
            .bind(label)
            .execute(&mut *tx)
            .await?;
        }
        insert_photo_rows(
            &mut tx,
            PhotoOwner::Consultation { id, update: None },
            photos,
        )
        .await?;
        log_phase(&mut tx, id, Phase::Draft, now, user_id).await?;
        crate::kernel::audit::record(
            &mut tx,
            Some(user_id),
            "consultation.create",
            &id.to_string(),
            &serde_json::json!({ "title": title }),
            "",
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The council moves a consultation to `to` now: opens comments or the vote early, closes the
    /// vote, publishes the result (frozen from then on), or starts the follow-up.
    pub async fn advance(
        &self,
        user_id: i64,
        id: i64,
        to: Phase,
        now: i64,
    ) -> Result<(), ConsultError> {
        let c = self.must_load(id).await?;
        self.require_council(user_id, &c.community).await?;
        let current = c.phase(now);
        let mut tx = self.store.begin_write().await?;
        match to {
            Phase::Comment | Phase::Vote | Phase::Closed => {
                let next = c
                    .schedule
                    .advance_to(to, now)
                    .ok_or_else(|| refused(ConsultProblem::PhaseOrder))?;
                sqlx::query(
                    "UPDATE consultations SET comment_from = $1, vote_from = $2, vote_until = $3 \
                     WHERE id = $4 AND published_at IS NULL",
                )
                .bind(next.comment_from)
                .bind(next.vote_from)
                .bind(next.vote_until)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            Phase::Published => {
                match current {
                    Phase::Closed => {}
                    Phase::Published | Phase::FollowUp => {
                        return Err(refused(ConsultProblem::AlreadyPublished));
                    }
                    _ => return Err(refused(ConsultProblem::NotClosedYet)),
                }
                if !self.freeze(&mut tx, &c, now).await? {
                    return Err(refused(ConsultProblem::AlreadyPublished));
                }
            }
            Phase::FollowUp => {
                if current != Phase::Published {
                    return Err(refused(if current < Phase::Published {
                        ConsultProblem::NotPublished
                    } else {
                        ConsultProblem::PhaseOrder
                    }));
                }
                sqlx::query("UPDATE consultations SET followup_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            Phase::Draft => return Err(refused(ConsultProblem::PhaseOrder)),
        }
        log_phase(&mut tx, id, to, now, user_id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Publishes the result: the tally now, frozen. Only the first publication writes (false
    /// otherwise): a result never changes afterwards.
    async fn freeze(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        c: &Stored,
        now: i64,
    ) -> Result<bool, StoreError> {
        // The ballot lock first: a ballot still being written commits before the tally is read,
        // and one that comes later finds the consultation published and is refused.
        sqlx::query(
            "UPDATE consultations SET ballot_version = ballot_version \
             WHERE id = $1 AND published_at IS NULL",
        )
        .bind(c.id)
        .execute(&mut **tx)
        .await?;
        let (tally, voted_units) = live_result_on(tx, c).await?;
        let json = serde_json::to_string(&Frozen { tally, voted_units })
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(sqlx::query(
            "UPDATE consultations SET published_at = $1, result_json = $2 \
             WHERE id = $3 AND published_at IS NULL",
        )
        .bind(now)
        .bind(json)
        .bind(c.id)
        .execute(&mut **tx)
        .await?
        .rows_affected()
            == 1)
    }

    /// Demo data: publishes a closed consultation as its council would have.
    pub(crate) async fn publish_as_demo(&self, id: i64, at: i64) -> Result<(), ConsultError> {
        let c = self.must_load(id).await?;
        let mut tx = self.store.begin_write().await?;
        self.freeze(&mut tx, &c, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Consultations whose result was published in [from, to) (Unix ms), oldest first: what the
    /// open-data export lists. At most `PUBLISHED_EXPORT_ROWS`, so one download stays bounded.
    pub async fn published_between(&self, from: i64, to: i64) -> Result<Vec<i64>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM consultations WHERE published_at >= $1 AND published_at < $2 \
             AND result_json IS NOT NULL ORDER BY published_at, id LIMIT $3",
        )
        .bind(from)
        .bind(to)
        .bind(PUBLISHED_EXPORT_ROWS)
        .fetch_all(self.store.pool())
        .await?)
    }
}

pub(crate) async fn log_phase(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    phase: Phase,
    now: i64,
    user_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO consultation_log (consultation_id, phase, at, actor_user_id) VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(phase.as_str())
    .bind(now)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The answer options, one per line, when the question is a choice between options.
fn parse_options(form: &ConsultForm, problems: &mut Vec<ConsultProblem>) -> Vec<String> {
    if form.question == "options" {
        let list: Vec<String> = form
            .options
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| l.chars().take(TITLE_MAX_CHARS).collect())
            .collect();
        if !(2..=MAX_OPTIONS).contains(&list.len()) {
            problems.push(ConsultProblem::OptionCount);
        }
        list
    } else {
        Vec::new()
    }
}

/// The three dates (comments from, voting from, voting until the end of that day, China time);
/// voting must not have ended already.
fn parse_schedule(
    form: &ConsultForm,
    now: i64,
    problems: &mut Vec<ConsultProblem>,
) -> Option<Schedule> {
    let mut date = |field: &str, text: &str, end_of_day: bool| match Date::parse(text.trim()) {
        Some(d) => Some(d.china_ms(if end_of_day { 24 * 60 } else { 0 })),
        None => {
            problems.push(ConsultProblem::BadDate(field.to_owned()));
            None
        }
    };
    let comment_from = date("comment_from", &form.comment_from, false);
    let vote_from = date("vote_from", &form.vote_from, false);
    let vote_until = date("vote_until", &form.vote_until, true);
    let mut schedule = None;
    if let (Some(a), Some(b), Some(c)) = (comment_from, vote_from, vote_until) {
        match Schedule::new(a, b, c) {
            Ok(s) if s.vote_until <= now => problems.push(ConsultProblem::VoteEndsInPast),
            Ok(s) => schedule = Some(s),
            Err(p) => problems.push(ConsultProblem::Schedule(p)),
        }
    }
    schedule
}
