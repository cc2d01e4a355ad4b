//! The city side of cases: staff move a case through its stages, the reporter rates it. Every
//! action is checked by `domain::workflow::apply` (the transition table) and `domain::access::decide`
//! (role and territory) before anything is written; the write is one transaction that changes the
//! case only if nobody else changed it meanwhile, adds a timeline entry and an audit row.

pub mod board;
pub mod board_web;
pub mod port;
pub mod web;

use crate::cases::{Cases, excerpt};
use crate::kernel::access::load_grants;
use crate::kernel::media::MediaError;
use crate::kernel::secrets::sha256_hex;
use crate::kernel::store::{Store, StoreError};
use domain::access::{Action, Decision, DepartmentCode, Grant, Role, Scope, Target, decide};
use domain::calendar::{BUILT_IN, CalendarError, Date, WorkCalendar, YearRules};
use domain::case::CaseStage;
use domain::category::TimeLimit;
use domain::ports::{
    DepartmentOption, Names, QueueItem, QueueKind, StaffCaseView, StaffEvent, StaffProblem,
    StaffQueue,
};
use domain::report::ReportProblem;
use domain::territory::{TerritoryCode, TerritoryLevel};
use domain::tracking::TrackingCode;
use domain::workflow::{
    ActionTexts, Actor, CaseAction, CaseFacts, CaseState, Effect, Satisfaction, actor_for, apply,
};
use sqlx::Row;
use std::sync::Arc;
use tokio::sync::RwLock;

/// A staff member's action as it arrived from a form.
#[derive(Debug, Default, Clone)]
pub struct StaffInput {
    pub action: String,
    pub public_reply: String,
    pub internal_note: String,
    /// Dispatch: the department (empty: the category's default).
    pub department: String,
    /// Merge: the tracking code of the case to merge into.
    pub merge_into: String,
    /// A date `2026-12-05`: the deadline asked or granted, or the 挂账 review date.
    pub until: String,
    pub photos: Vec<Vec<u8>>,
    pub intake_problems: Vec<ReportProblem>,
}

#[derive(Debug, thiserror::Error)]
pub enum ActError {
    #[error("refused: {0:?}")]
    Refused(Vec<StaffProblem>),
    #[error("no such case")]
    NotFound,
    #[error("store: {0}")]
    Store(#[from] StoreError),
    #[error("media: {0}")]
    Media(#[from] MediaError),
}

impl From<sqlx::Error> for ActError {
    fn from(e: sqlx::Error) -> Self {
        ActError::Store(StoreError::Query(e))
    }
}

fn refused(p: StaffProblem) -> ActError {
    ActError::Refused(vec![p])
}

/// Staff queues show this many cases each.
const QUEUE_ROWS: i64 = 50;
/// A deadline given as a date means the end of that working day.
const END_OF_DAY_MINUTE: i64 = 18 * 60;

/// A case as the workflow needs it.
struct WorkCase {
    id: i64,
    code: TrackingCode,
    state: CaseState,
    facts: CaseFacts,
    version: i64,
    grid: TerritoryCode,
    department: String,
    category_department: String,
    time_limit: TimeLimit,
    deadline_at: Option<i64>,
    dispatched_at: Option<i64>,
    extension_requested_until: Option<i64>,
    review_at: Option<i64>,
    reporter: Option<i64>,
    follow_hash: String,
    contact_phone: Option<String>,
    category_code: String,
    lat: f64,
    lng: f64,
}

/// The columns of `cases` an action may change.
#[derive(Clone)]
struct CaseUpdate {
    state: CaseState,
    department: String,
    deadline_at: Option<i64>,
    dispatched_at: Option<i64>,
    extension_requested_until: Option<i64>,
    rated: bool,
    reopened: bool,
    merged_into: Option<i64>,
    review_at: Option<i64>,
}

#[derive(Clone)]
pub struct Workflow {
    store: Store,
    cases: Cases,
    calendar: Arc<RwLock<Option<Arc<WorkCalendar>>>>,
}

impl Workflow {
    pub fn new(store: Store, cases: Cases) -> Workflow {
        Workflow {
            store,
            cases,
            calendar: Arc::new(RwLock::new(None)),
        }
    }

    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// The calendar from the store; the years shipped with Linli are stored on first use.
    pub async fn calendar(&self) -> Result<Arc<WorkCalendar>, StoreError> {
        if let Some(c) = self.calendar.read().await.clone() {
            return Ok(c);
        }
        let mut slot = self.calendar.write().await;
        for text in BUILT_IN {
            let rules = YearRules::parse(text)
                .map_err(|e| StoreError::Corrupt(format!("built-in calendar: {e:?}")))?;
            sqlx::query(
                "INSERT INTO work_calendars (year, rules, uploaded_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (year) DO NOTHING",
            )
            .bind(i64::from(rules.year))
            .bind(text)
            .bind(crate::kernel::clock::now_ms())
            .execute(self.store.pool())
            .await?;
        }
        let mut years = Vec::new();
        for r in sqlx::query("SELECT year, rules FROM work_calendars ORDER BY year")
            .fetch_all(self.store.pool())
            .await?
        {
            let text: String = r.try_get("rules")?;
            match YearRules::parse(&text) {
                Ok(y) => years.push(y),
                Err(e) => tracing::error!(?e, "a stored calendar year does not parse; skipped"),
            }
        }
        let calendar = Arc::new(WorkCalendar::new(years));
        *slot = Some(calendar.clone());
        Ok(calendar)
    }

    /// Stores (or replaces) a year's rule file, uploaded by an administrator.
    pub async fn upload_calendar(
        &self,
        actor: i64,
        text: &str,
        client: &str,
        now: i64,
    ) -> Result<Result<i32, Vec<CalendarError>>, ActError> {
        let grants = self.grants(actor).await?;
        if decide(Some(&grants), Action::GrantRole, &Target::City) != Decision::Allow {
            return Err(refused(StaffProblem::OutsideYourScope));
        }
        let rules = match YearRules::parse(text) {
            Ok(r) => r,
            Err(e) => return Ok(Err(e)),
        };
        let mut tx = self.store.begin_write().await?;
        sqlx::query("DELETE FROM work_calendars WHERE year = $1")
            .bind(i64::from(rules.year))
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO work_calendars (year, rules, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(i64::from(rules.year))
        .bind(text)
        .bind(actor)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        crate::kernel::audit::record(
            &mut tx,
            Some(actor),
            "calendar.upload",
            &format!("calendar:{}", rules.year),
            &serde_json::json!({ "holidays": rules.holidays.len(), "workdays": rules.workdays.len() }),
            client,
            now,
        )
        .await?;
        tx.commit().await?;
        *self.calendar.write().await = None;
        Ok(Ok(rules.year))
    }

    async fn grants(&self, user_id: i64) -> Result<Vec<Grant>, StoreError> {
        Ok(load_grants(&self.store, user_id)
            .await
            .map_err(|e| StoreError::Corrupt(e.to_string()))?
            .into_iter()
            .map(|(_, g, _)| g)
            .collect())
    }

    async fn load(&self, code: &str) -> Result<Option<WorkCase>, StoreError> {
        let Ok(code) = TrackingCode::parse(code) else {
            return Ok(None);
        };
        let Some(r) = sqlx::query(
            "SELECT c.id, c.state, c.version, c.grid_code, c.department_code, c.deadline_at, \
             c.dispatched_at, c.extension_requested_until, c.review_at, c.rated, c.reopened, \
             c.reporter_user_id, c.follow_token_hash, c.contact_phone, c.category_code, c.lat, c.lng, \
             cat.department_code AS cat_dept, cat.time_limit_amount, cat.time_limit_unit \
             FROM cases c JOIN categories cat ON cat.code = c.category_code \
             WHERE c.tracking_code = $1",
        )
        .bind(code.to_string())
        .fetch_optional(self.store.pool())
        .await?
        else {
            return Ok(None);
        };
        let corrupt = |what: &str| StoreError::Corrupt(format!("case {code}: {what}"));
        let state_raw: String = r.try_get("state")?;
        let grid_raw: String = r.try_get("grid_code")?;
        let amount: i64 = r.try_get("time_limit_amount")?;
        let unit: String = r.try_get("time_limit_unit")?;
        Ok(Some(WorkCase {
            id: r.try_get("id")?,
            state: CaseState::parse(&state_raw).ok_or_else(|| corrupt("state"))?,
            facts: CaseFacts {
                extension_pending: r
                    .try_get::<Option<i64>, _>("extension_requested_until")?
                    .is_some(),
                rated: r.try_get::<i64, _>("rated")? == 1,
                reopened: r.try_get::<i64, _>("reopened")? == 1,
            },
            version: r.try_get("version")?,
            grid: TerritoryCode::parse(&grid_raw).map_err(|_| corrupt("grid"))?,
            department: r.try_get("department_code")?,
            category_department: r.try_get("cat_dept")?,
            time_limit: TimeLimit::parse(&format!("{amount}{unit}"))
                .map_err(|_| corrupt("time limit"))?,
            deadline_at: r.try_get("deadline_at")?,
            dispatched_at: r.try_get("dispatched_at")?,
            extension_requested_until: r.try_get("extension_requested_until")?,
            review_at: r.try_get("review_at")?,
            reporter: r.try_get("reporter_user_id")?,
            follow_hash: r.try_get("follow_token_hash")?,
            contact_phone: r.try_get("contact_phone")?,
            category_code: r.try_get("category_code")?,
            lat: r.try_get("lat")?,
            lng: r.try_get("lng")?,
            code,
        }))
    }

    /// Whether these grants let someone act as `actor` on this case (its place or department).
    fn may_act_as(grants: &[Grant], actor: Actor, case: &WorkCase) -> bool {
        let place = Target::Territory(case.grid.clone());
        let (action, target) = match actor {
            Actor::Operator => (Action::OperateCase, place),
            Actor::Inspector => (Action::InspectCase, place),
            Actor::Department => match DepartmentCode::parse(&case.department) {
                Ok(d) => (Action::HandleCase, Target::Department(d)),
                Err(_) => return false,
            },
            Actor::Reporter => return false,
        };
        decide(Some(grants), action, &target) == Decision::Allow
    }

    /// The staff actions these grants allow on this case now.
    fn available(grants: &[Grant], case: &WorkCase) -> Vec<CaseAction> {
        CaseAction::ALL
            .into_iter()
            .filter(|a| !matches!(a, CaseAction::Rate(_)))
            .filter(|a| {
                actor_for(case.state, *a).is_some_and(|who| {
                    Self::may_act_as(grants, who, case)
                        && apply(case.state, case.facts, *a, who).is_ok()
                })
            })
            .collect()
    }

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
            CaseAction::GrantExtension => {
                let asked = if input.until.trim().is_empty() {
                    case.extension_requested_until
                        .ok_or(StaffProblem::DateMissing)
                        .and_then(|t| {
                            if t <= now {
                                Err(StaffProblem::DateInPast)
                            } else {
                                Ok(t)
                            }
                        })
                } else {
                    until()
                };
                match asked {
                    Ok(t) if case.deadline_at.is_some_and(|d| t <= d) => {
                        problems.push(StaffProblem::DateNotAfterDeadline)
                    }
                    Ok(t) => {
                        update.deadline_at = Some(t);
                        update.extension_requested_until = None;
                    }
                    Err(p) => problems.push(p),
                }
            }
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
                if outcome.effect == Effect::Reopen {
                    update.reopened = true;
                    update.rated = false;
                } else {
                    update.rated = true;
                }
            }
            CaseAction::Fail | CaseAction::Pass => {}
            CaseAction::Register | CaseAction::Reject | CaseAction::RecordResult => {}
        }
        if !input.photos.is_empty()
            && !matches!(action, CaseAction::RecordResult | CaseAction::Pass)
        {
            problems.push(StaffProblem::Photo(ReportProblem::TooManyPhotos));
        }
        if input.photos.len() > domain::report::MAX_PHOTOS {
            problems.push(StaffProblem::Photo(ReportProblem::TooManyPhotos));
        }
        for bytes in &input.photos {
            if let Err(p) = crate::kernel::photos::precheck(bytes) {
                problems.push(StaffProblem::Photo(p));
            }
        }
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
        match written {
            Ok(true) => {}
            Ok(false) => {
                self.cases.media().delete_all(&keys).await;
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
                self.cases.media().delete_all(&keys).await;
                return Err(e.into());
            }
        }
        tracing::info!(code = %case.code, action = action.as_str(), "case action");
        self.cases.announce(&case.code).await;
        if let Some((_, target)) = &merge_target
            && let Ok(t) = TrackingCode::parse(target)
        {
            self.cases.announce(&t).await;
        }
        Ok(outcome)
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
            // The duplicate's followers now follow the case that goes on.
            sqlx::query(
                "INSERT INTO case_followers (case_id, user_id, since) \
                 SELECT $1, user_id, since FROM case_followers WHERE case_id = $2 \
                 ON CONFLICT (case_id, user_id) DO NOTHING",
            )
            .bind(target_id)
            .bind(case.id)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE cases SET me_too_count = me_too_count + 1, updated_at = $1 WHERE id = $2",
            )
            .bind(now)
            .bind(target_id)
            .execute(&mut *tx)
            .await?;
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

/// The staff console's reads.
impl Workflow {
    /// The queues for each staff grant the person holds.
    pub async fn console(&self, user_id: i64, now: i64) -> Result<Vec<StaffQueue>, StoreError> {
        let grants = load_grants(&self.store, user_id)
            .await
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut queues = Vec::new();
        for (_, grant, names) in grants {
            let kind = match grant.role() {
                Role::Operator => QueueKind::Operator,
                Role::Department => QueueKind::Department,
                Role::Inspector => QueueKind::Inspector,
                Role::Chief1 | Role::Chief2 | Role::Chief3 => QueueKind::Watch,
                _ => continue,
            };
            let (scope_sql, scope_value) = match grant.scope() {
                Scope::City => ("1 = 1".to_owned(), None),
                Scope::Department(d) => (
                    "c.department_code = $1".to_owned(),
                    Some(d.as_str().to_owned()),
                ),
                Scope::Territory(t) => {
                    let column = match t.level() {
                        TerritoryLevel::District => "district_code",
                        TerritoryLevel::Street => "street_code",
                        TerritoryLevel::Community => "community_code",
                        TerritoryLevel::Grid => "grid_code",
                    };
                    (format!("c.{column} = $1"), Some(t.as_str().to_owned()))
                }
            };
            // `now` is our own clock, not input, so it is written into the SQL.
            let (states_sql, order) = match kind {
                QueueKind::Operator => (
                    format!(
                        "(c.state IN ('reported', 'registered') \
                         OR (c.state = 'dispatched' AND c.extension_requested_until IS NOT NULL) \
                         OR (c.state = 'on_hold' AND c.review_at <= {now}))"
                    ),
                    "c.created_at",
                ),
                QueueKind::Department => ("c.state = 'dispatched'".to_owned(), "c.deadline_at"),
                QueueKind::Inspector => ("c.state = 'handled'".to_owned(), "c.updated_at"),
                QueueKind::Watch => (
                    "c.state IN ('reported', 'registered', 'dispatched', 'handled', 'on_hold')"
                        .to_owned(),
                    "CASE WHEN c.deadline_at IS NULL THEN 1 ELSE 0 END, c.deadline_at, c.created_at",
                ),
            };
            let count_sql = format!(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM cases c WHERE {scope_sql} AND {states_sql}"
            );
            let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
            if let Some(v) = &scope_value {
                count = count.bind(v);
            }
            let total = count.fetch_one(self.store.pool()).await?;
            let sql = format!(
                "SELECT c.tracking_code, c.state, c.description, c.public_description, \
                 c.created_at, c.deadline_at, c.extension_requested_until, c.category_code, c.lat, c.lng, \
                 cat.name_zh AS cat_zh, cat.name_en AS cat_en, t.name_zh AS comm_zh, t.name_en AS comm_en \
                 FROM cases c JOIN categories cat ON cat.code = c.category_code \
                 JOIN territories t ON t.code = c.community_code \
                 WHERE {scope_sql} AND {states_sql} ORDER BY {order} LIMIT {QUEUE_ROWS}"
            );
            let mut query = sqlx::query(&sql);
            if let Some(v) = &scope_value {
                query = query.bind(v);
            }
            let rows = query.fetch_all(self.store.pool()).await?;
            let mut items = Vec::with_capacity(rows.len());
            for r in rows {
                let state_raw: String = r.try_get("state")?;
                let state = CaseState::parse(&state_raw)
                    .ok_or_else(|| StoreError::Corrupt("case state".into()))?;
                let deadline: Option<i64> = r.try_get("deadline_at")?;
                let code: String = r.try_get("tracking_code")?;
                let text = domain::privacy::public_text(
                    r.try_get("public_description")?,
                    &r.try_get::<String, _>("description")?,
                );
                let nearby_open = if kind == QueueKind::Operator && state == CaseState::Reported {
                    let category: String = r.try_get("category_code")?;
                    self.cases
                        .nearby_exact(&category, r.try_get("lat")?, r.try_get("lng")?)
                        .await?
                        .iter()
                        .filter(|n| n.code != code)
                        .count() as u32
                } else {
                    0
                };
                items.push(QueueItem {
                    category: Names {
                        zh: r.try_get("cat_zh")?,
                        en: r.try_get("cat_en")?,
                    },
                    community: Names {
                        zh: r.try_get("comm_zh")?,
                        en: r.try_get("comm_en")?,
                    },
                    excerpt: excerpt(&text, 60),
                    created_ms: r.try_get("created_at")?,
                    overdue: matches!(state, CaseState::Dispatched | CaseState::Handled)
                        && deadline.is_some_and(|d| d < now),
                    deadline_ms: deadline,
                    extension_pending: r
                        .try_get::<Option<i64>, _>("extension_requested_until")?
                        .is_some(),
                    nearby_open,
                    state,
                    code,
                });
            }
            queues.push(StaffQueue {
                kind,
                scope: names,
                items,
                total: u32::try_from(total).unwrap_or(0),
            });
        }
        Ok(queues)
    }

    /// A case on the console, for staff whose grants reach it.
    pub async fn staff_case(
        &self,
        user_id: i64,
        code: &str,
    ) -> Result<Option<StaffCaseView>, StoreError> {
        let Some(case) = self.load(code).await? else {
            return Ok(None);
        };
        let grants = self.grants(user_id).await?;
        let place = Target::Territory(case.grid.clone());
        let sees = decide(Some(&grants), Action::WatchCases, &place) == Decision::Allow
            || Self::may_act_as(&grants, Actor::Department, &case);
        if !sees {
            return Ok(None);
        }
        let Some(public) = self.cases.load_view(&case.code, None, None).await? else {
            return Ok(None);
        };
        let pool = self.store.pool();
        let rows = sqlx::query(
            "SELECT e.id, e.stage, e.at, e.action, e.actor_role, e.public_text, e.internal_note, \
             e.deadline_at, d.name_zh, d.name_en FROM case_events e \
             LEFT JOIN departments d ON d.code = e.department_code \
             WHERE e.case_id = $1 ORDER BY e.at, e.id",
        )
        .bind(case.id)
        .fetch_all(pool)
        .await?;
        let mut photos_by_event =
            crate::kernel::photo_desk::event_photos(&self.store, case.id).await?;
        let mut events = Vec::with_capacity(rows.len());
        for r in rows {
            let stage_raw: String = r.try_get("stage")?;
            let action: Option<String> = r.try_get("action")?;
            let zh: Option<String> = r.try_get("name_zh")?;
            let en: Option<String> = r.try_get("name_en")?;
            events.push(StaffEvent {
                at_ms: r.try_get("at")?,
                stage: CaseStage::parse(&stage_raw).unwrap_or(CaseStage::Reported),
                action: action.as_deref().and_then(CaseAction::parse),
                actor_role: r.try_get("actor_role")?,
                public_text: r.try_get("public_text")?,
                internal_note: r.try_get("internal_note")?,
                department: zh.zip(en).map(|(zh, en)| Names { zh, en }),
                deadline_ms: r.try_get("deadline_at")?,
                photos: photos_by_event
                    .remove(&r.try_get::<i64, _>("id")?)
                    .unwrap_or_default(),
            });
        }
        let departments =
            sqlx::query("SELECT code, name_zh, name_en FROM departments ORDER BY code")
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| {
                    Ok(DepartmentOption {
                        code: r.try_get("code")?,
                        names: Names {
                            zh: r.try_get("name_zh")?,
                            en: r.try_get("name_en")?,
                        },
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
        let count = |a: CaseAction| events.iter().filter(|e| e.action == Some(a)).count() as u32;
        let is_operator = Self::may_act_as(&grants, Actor::Operator, &case);
        let nearby = self
            .cases
            .nearby_exact(&case.category_code, case.lat, case.lng)
            .await?
            .into_iter()
            .filter(|n| n.code != case.code.to_string())
            .collect();
        let origin = sqlx::query(
            "SELECT c.source, k.organisation FROM cases c \
             LEFT JOIN api_keys k ON k.id = c.api_key_id WHERE c.id = $1",
        )
        .bind(case.id)
        .fetch_one(pool)
        .await?;
        Ok(Some(StaffCaseView {
            source: origin.try_get("source")?,
            source_organisation: origin.try_get("organisation")?,
            actions: Self::available(&grants, &case),
            rework_count: count(CaseAction::Fail),
            extension_count: count(CaseAction::GrantExtension),
            extension_requested_ms: case.extension_requested_until,
            review_ms: case.review_at,
            reporter_phone: if is_operator {
                case.contact_phone
                    .as_deref()
                    .and_then(|p| domain::phone::Phone::parse(p).ok())
                    .map(|p| p.national().to_owned())
            } else {
                None
            },
            default_department: case.category_department.clone(),
            department_code: case.department.clone(),
            departments,
            events,
            nearby,
            case: public,
        }))
    }
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
