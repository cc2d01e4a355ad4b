//! One staff action or a reporter's rating: checked against the workflow table, the person's grants and the case's territory, then written with its timeline entry, deadline and photos in one transaction.

use crate::kernel::secrets::sha256_hex;
use crate::kernel::store::StoreError;
use crate::workflow::{
    ActError, CaseUpdate, END_OF_DAY_MINUTE, StaffInput, WorkCase, Workflow, refused,
};
use domain::access::Role;
use domain::calendar::{CalendarError, Date};
use domain::cases::category::TimeLimit;
use domain::cases::report::ReportProblem;
use domain::cases::tracking::TrackingCode;
use domain::ports::StaffProblem;
use domain::workflow::{ActionTexts, Actor, CaseAction, Effect, Satisfaction, actor_for, apply};

impl Workflow {
    /// A staff member acts on a case. Returns the action done.
    pub async fn act(
        &self,
        user_id: i64,
        code: &str,
        input: StaffInput,
        client: &str,
        now: i64,
    ) -> Result<CaseAction, ActError> {
        let action = CaseAction::parse(input.action.trim())
            .filter(|a| !matches!(a, CaseAction::Rate(_)))
            .ok_or_else(|| refused(StaffProblem::UnknownAction))?;
        let case = self.load(code).await?.ok_or(ActError::NotFound)?;
        let grants = self.grants(user_id).await?;
        let actor = match actor_for(case.state, action) {
            Some(who) if Self::may_act_as(&grants, who, &case) => who,
            Some(who) => {
                // Holding the role elsewhere is "outside your scope"; not holding it at all is
                // "not your role" (the table's message).
                let role = match who {
                    Actor::Operator => Role::Operator,
                    Actor::Department => Role::Department,
                    Actor::Inspector => Role::Inspector,
                    Actor::Reporter => Role::Resident,
                };
                if grants.iter().any(|g| g.role() == role) {
                    return Err(refused(StaffProblem::OutsideYourScope));
                }
                let mine = [Actor::Operator, Actor::Department, Actor::Inspector]
                    .into_iter()
                    .find(|a| Self::may_act_as(&grants, *a, &case))
                    .unwrap_or(Actor::Reporter);
                return Err(refused(StaffProblem::Workflow(
                    domain::workflow::WorkflowError::NotYourRole {
                        action,
                        actor: mine,
                    },
                )));
            }
            // Not possible in this state: let the table say why.
            None => Actor::Operator,
        };
        self.run(&case, action, actor, Some(user_id), input, client, now)
            .await?;
        Ok(action)
    }

    /// The reporter (signed in as them, or holding the private link's key) rates a closed case.
    /// Returns true when the rating reopened the case (不满意, the first time).
    pub async fn rate(
        &self,
        code: &str,
        follow_key: Option<&str>,
        user_id: Option<i64>,
        level: &str,
        client: &str,
        now: i64,
    ) -> Result<bool, ActError> {
        let level =
            Satisfaction::parse(level).ok_or_else(|| refused(StaffProblem::UnknownAction))?;
        let case = self.load(code).await?.ok_or(ActError::NotFound)?;
        let is_reporter = follow_key.is_some_and(|k| sha256_hex(&[k]) == case.follow_hash)
            || (user_id.is_some() && user_id == case.reporter);
        if !is_reporter {
            return Err(refused(StaffProblem::Workflow(
                domain::workflow::WorkflowError::NotYourRole {
                    action: CaseAction::Rate(level),
                    actor: Actor::Operator,
                },
            )));
        }
        let outcome = self
            .run(
                &case,
                CaseAction::Rate(level),
                Actor::Reporter,
                user_id,
                StaffInput::default(),
                client,
                now,
            )
            .await?;
        Ok(outcome.effect == Effect::Reopen)
    }

    #[allow(clippy::too_many_arguments)]
    async fn run(
        &self,
        case: &WorkCase,
        action: CaseAction,
        actor: Actor,
        user_id: Option<i64>,
        input: StaffInput,
        client: &str,
        now: i64,
    ) -> Result<domain::workflow::Outcome, ActError> {
        let outcome = apply(case.state, case.facts, action, actor)
            .map_err(|e| refused(StaffProblem::Workflow(e)))?;
        let mut problems: Vec<StaffProblem> = input
            .intake_problems
            .iter()
            .map(|p| StaffProblem::Photo(*p))
            .collect();
        let texts = match ActionTexts::parse(action, &input.public_reply, &input.internal_note) {
            Ok(t) => Some(t),
            Err(ps) => {
                problems.extend(ps.into_iter().map(StaffProblem::Text));
                None
            }
        };
        let mut update = CaseUpdate {
            state: outcome.next,
            department: case.department.clone(),
            deadline_at: case.deadline_at,
            dispatched_at: case.dispatched_at,
            extension_requested_until: case.extension_requested_until,
            rated: case.facts.rated,
            reopened: case.facts.reopened,
            merged_into: None,
            review_at: case.review_at,
        };
        let merge_target = self
            .plan(
                case,
                action,
                user_id,
                &input,
                outcome.effect,
                now,
                &mut update,
                &mut problems,
            )
            .await?;
        problems.extend(photo_problems(action, &input.photos));
        if !problems.is_empty() {
            problems.dedup();
            return Err(ActError::Refused(problems));
        }
        let texts = texts.expect("texts parse when there are no problems");
        let mut keys = Vec::new();
        let stored = self
            .cases
            .photos()
            .store_checked(input.photos, &mut keys)
            .await
            .map_err(|e| match e {
                crate::kernel::photo_desk::PhotoFailure::Refused(ps) => {
                    ActError::Refused(ps.into_iter().map(StaffProblem::Photo).collect())
                }
                crate::kernel::photo_desk::PhotoFailure::Store(s) => ActError::Store(s),
            })?;
        let written = self
            .write(
                case,
                action,
                actor,
                user_id,
                &update,
                &texts,
                &stored,
                merge_target.as_ref(),
                client,
                now,
            )
            .await;
        self.settle(written, case, action, actor, &keys).await?;
        tracing::info!(code = %case.code, action = action.as_str(), "case action");
        self.cases.announce(&case.code).await;
        if let Some((_, target)) = &merge_target
            && let Ok(t) = TrackingCode::parse(target)
        {
            self.cases.announce(&t).await;
        }
        Ok(outcome)
    }

    /// What the action changes on the case, given the staff member's input; problems with that
    /// input are collected rather than returned, so the form can show them all at once. Returns
    /// the merge target, if the action is a merge.
    #[allow(clippy::too_many_arguments)]
    async fn plan(
        &self,
        case: &WorkCase,
        action: CaseAction,
        user_id: Option<i64>,
        input: &StaffInput,
        effect: Effect,
        now: i64,
        update: &mut CaseUpdate,
        problems: &mut Vec<StaffProblem>,
    ) -> Result<Option<(i64, String)>, ActError> {
        let mut merge_target: Option<(i64, String)> = None;
        let until = || parse_until(&input.until, now);
        match action {
            CaseAction::Dispatch => {
                let dept = match input.department.trim() {
                    "" => case.category_department.clone(),
                    d => d.to_owned(),
                };
                if !self.department_exists(&dept).await? {
                    problems.push(StaffProblem::NoSuchDepartment);
                } else if dept != case.category_department && input.internal_note.trim().is_empty()
                {
                    problems.push(StaffProblem::OverrideNeedsReason);
                }
                update.department = dept;
                update.dispatched_at = Some(now);
                update.deadline_at = Some(self.deadline(now, case.time_limit).await?);
            }
            CaseAction::Return => {
                update.deadline_at = None;
                update.dispatched_at = None;
                update.extension_requested_until = None;
            }
            CaseAction::RequestExtension => match until() {
                Ok(t) if case.deadline_at.is_some_and(|d| t <= d) => {
                    problems.push(StaffProblem::DateNotAfterDeadline)
                }
                Ok(t) => update.extension_requested_until = Some(t),
                Err(p) => problems.push(p),
            },
            CaseAction::GrantExtension => match granted_until(case, &input.until, now) {
                Ok(t) if case.deadline_at.is_some_and(|d| t <= d) => {
                    problems.push(StaffProblem::DateNotAfterDeadline)
                }
                Ok(t) => {
                    update.deadline_at = Some(t);
                    update.extension_requested_until = None;
                }
                Err(p) => problems.push(p),
            },
            CaseAction::DenyExtension => update.extension_requested_until = None,
            CaseAction::Shelve => match until() {
                Ok(t) => update.review_at = Some(t),
                Err(p) => problems.push(p),
            },
            CaseAction::Resume => {
                update.review_at = None;
                update.dispatched_at = Some(now);
                update.deadline_at = Some(self.deadline(now, case.time_limit).await?);
            }
            CaseAction::Merge => match self.load(&input.merge_into).await? {
                None => problems.push(StaffProblem::MergeTargetMissing),
                Some(t) if t.id == case.id => problems.push(StaffProblem::MergeIntoItself),
                Some(t) if t.state.is_final() => problems.push(StaffProblem::MergeTargetClosed),
                // The target changes too (followers, 我也遇到): it must be the operator's as well.
                Some(t)
                    if !Self::may_act_as(
                        &self.grants(user_id.unwrap_or_default()).await?,
                        Actor::Operator,
                        &t,
                    ) =>
                {
                    problems.push(StaffProblem::MergeTargetOutsideScope)
                }
                Some(t) => {
                    update.merged_into = Some(t.id);
                    merge_target = Some((t.id, t.code.to_string()));
                }
            },
            CaseAction::Rate(_) => {
                if effect == Effect::Reopen {
                    update.reopened = true;
                    update.rated = false;
                } else {
                    update.rated = true;
                }
            }
            CaseAction::Fail | CaseAction::Pass => {}
            CaseAction::Register | CaseAction::Reject | CaseAction::RecordResult => {}
        }
        Ok(merge_target)
    }

    /// After the write: nothing more when it went through; otherwise the stored photos go again,
    /// and a lost race says what the case has become, if the table can.
    async fn settle(
        &self,
        written: Result<bool, StoreError>,
        case: &WorkCase,
        action: CaseAction,
        actor: Actor,
        keys: &[String],
    ) -> Result<(), ActError> {
        match written {
            Ok(true) => {}
            Ok(false) => {
                self.cases.media().delete_all(keys).await;
                // Someone acted first: say what the case has become, if the table can.
                let fresh = self
                    .load(&case.code.to_string())
                    .await?
                    .ok_or(ActError::NotFound)?;
                return Err(match apply(fresh.state, fresh.facts, action, actor) {
                    Err(e) => refused(StaffProblem::Workflow(e)),
                    Ok(_) => refused(StaffProblem::ChangedMeanwhile),
                });
            }
            Err(e) => {
                self.cases.media().delete_all(keys).await;
                return Err(e.into());
            }
        }
        Ok(())
    }

    /// The department a case is with now.
    pub async fn department_of(&self, code: &str) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT department_code FROM cases WHERE tracking_code = $1")
                .bind(code)
                .fetch_optional(self.store.pool())
                .await?,
        )
    }

    async fn department_exists(&self, code: &str) -> Result<bool, StoreError> {
        Ok(sqlx::query_scalar::<_, i64>(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM departments WHERE code = $1",
        )
        .bind(code)
        .fetch_one(self.store.pool())
        .await?
            > 0)
    }

    /// When a case dispatched now is due; a year without a calendar is a refusal naming it.
    async fn deadline(&self, now: i64, limit: TimeLimit) -> Result<i64, ActError> {
        self.calendar()
            .await?
            .deadline(now, limit)
            .map_err(|e| match e {
                CalendarError::UnknownYear(y) => refused(StaffProblem::CalendarMissing(y)),
                // Only stored rule files can fail to parse, and those are skipped on load.
                CalendarError::Line { .. } | CalendarError::NoYear => {
                    refused(StaffProblem::CalendarMissing(Date::of_china_time(now).year))
                }
            })
    }

    /// One transaction: the case changes only if its version is still the one we read (returns
    /// false otherwise), plus the timeline entry, its photos and the audit row.
    #[allow(clippy::too_many_arguments)]
    async fn write(
        &self,
        case: &WorkCase,
        action: CaseAction,
        actor: Actor,
        user_id: Option<i64>,
        u: &CaseUpdate,
        texts: &ActionTexts,
        photos: &[crate::kernel::photo_desk::StoredPhoto],
        merge_target: Option<&(i64, String)>,
        client: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let stage = u.state.public_stage();
        let mut tx = self.store.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE cases SET state = $1, stage = $2, department_code = $3, deadline_at = $4, \
             dispatched_at = $5, extension_requested_until = $6, rated = $7, reopened = $8, \
             merged_into_id = $9, review_at = $10, version = version + 1, updated_at = $11 \
             WHERE id = $12 AND version = $13",
        )
        .bind(u.state.as_str())
        .bind(stage.as_str())
        .bind(&u.department)
        .bind(u.deadline_at)
        .bind(u.dispatched_at)
        .bind(u.extension_requested_until)
        .bind(i64::from(u.rated))
        .bind(i64::from(u.reopened))
        .bind(u.merged_into)
        .bind(u.review_at)
        .bind(now)
        .bind(case.id)
        .bind(case.version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        // The deadline an event shows: the one it set (dispatch, extension granted or asked).
        let event_deadline = match action {
            CaseAction::Dispatch | CaseAction::GrantExtension | CaseAction::Resume => u.deadline_at,
            CaseAction::RequestExtension => u.extension_requested_until,
            CaseAction::Shelve => u.review_at,
            _ => None,
        };
        let event_id: i64 = sqlx::query_scalar(
            "INSERT INTO case_events (case_id, stage, at, actor_user_id, action, public_text, \
             internal_note, department_code, deadline_at, actor_role) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(case.id)
        .bind(stage.as_str())
        .bind(now)
        .bind(user_id)
        .bind(action.as_str())
        .bind(texts.public_reply.clone())
        .bind(texts.internal_note.clone())
        .bind(matches!(action, CaseAction::Dispatch).then(|| u.department.clone()))
        .bind(event_deadline)
        .bind(actor.as_str())
        .fetch_one(&mut *tx)
        .await?;
        crate::kernel::photo_desk::insert_photo_rows(
            &mut tx,
            crate::kernel::photo_desk::PhotoOwner::Event(event_id),
            photos,
        )
        .await?;
        if let Some((target_id, _)) = merge_target {
            carry_over(&mut tx, *target_id, case.id, now).await?;
        }
        crate::kernel::audit::record(
            &mut tx,
            user_id,
            &format!("case.{}", action.as_str()),
            &case.code.to_string(),
            &serde_json::json!({
                "from": case.state.as_str(),
                "to": u.state.as_str(),
                "as": actor.as_str(),
                "department": u.department,
                "deadline_at": u.deadline_at,
                "merged_into": merge_target.map(|(_, c)| c.clone()),
            }),
            client,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// A date field: the end of that working day, China time; it must lie ahead.
fn parse_until(raw: &str, now: i64) -> Result<i64, StaffProblem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(StaffProblem::DateMissing);
    }
    let date = Date::parse(raw).ok_or(StaffProblem::DateMalformed)?;
    let at = date.china_ms(END_OF_DAY_MINUTE);
    if at <= now {
        return Err(StaffProblem::DateInPast);
    }
    Ok(at)
}

/// The photos a staff action may carry: only a result (处置结果) or a passed check has any.
fn photo_problems(action: CaseAction, photos: &[Vec<u8>]) -> Vec<StaffProblem> {
    let mut problems = Vec::new();
    if !photos.is_empty() && !matches!(action, CaseAction::RecordResult | CaseAction::Pass) {
        problems.push(StaffProblem::Photo(ReportProblem::TooManyPhotos));
    }
    if photos.len() > domain::cases::report::MAX_PHOTOS {
        problems.push(StaffProblem::Photo(ReportProblem::TooManyPhotos));
    }
    for bytes in photos {
        if let Err(p) = crate::kernel::photos::precheck(bytes) {
            problems.push(StaffProblem::Photo(p));
        }
    }
    problems
}

/// The date a granted extension runs to: the one asked for, unless the operator typed another.
fn granted_until(case: &WorkCase, typed: &str, now: i64) -> Result<i64, StaffProblem> {
    if !typed.trim().is_empty() {
        return parse_until(typed, now);
    }
    case.extension_requested_until
        .ok_or(StaffProblem::DateMissing)
        .and_then(|t| {
            if t <= now {
                Err(StaffProblem::DateInPast)
            } else {
                Ok(t)
            }
        })
}

/// A merge: the duplicate's followers and its 我也遇到 go to the case that goes on.
async fn carry_over(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    target_id: i64,
    case_id: i64,
    now: i64,
) -> Result<(), StoreError> {
    // The duplicate's followers now follow the case that goes on.
    sqlx::query(
        "INSERT INTO case_followers (case_id, user_id, since) \
         SELECT $1, user_id, since FROM case_followers WHERE case_id = $2 \
         ON CONFLICT (case_id, user_id) DO NOTHING",
    )
    .bind(target_id)
    .bind(case_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE cases SET me_too_count = me_too_count + 1, updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(target_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_mean_the_end_of_that_working_day_and_must_lie_ahead() {
        let now = Date::new(2026, 11, 28).unwrap().china_ms(10 * 60);
        assert_eq!(
            parse_until("2026-11-30", now),
            Ok(Date::new(2026, 11, 30).unwrap().china_ms(18 * 60))
        );
        assert_eq!(
            parse_until("2026-11-28", now),
            Ok(Date::new(2026, 11, 28).unwrap().china_ms(18 * 60)),
            "later today"
        );
        assert_eq!(
            parse_until("2026-11-27", now),
            Err(StaffProblem::DateInPast)
        );
        assert_eq!(parse_until("", now), Err(StaffProblem::DateMissing));
        assert_eq!(
            parse_until("30/11/2026", now),
            Err(StaffProblem::DateMalformed)
        );
    }
}
