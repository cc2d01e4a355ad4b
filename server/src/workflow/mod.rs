//! The city side of cases: staff move a case through its stages, the reporter rates it. Every
//! action is checked by `domain::workflow::apply` (the transition table) and `domain::access::decide`
//! (role and territory) before anything is written; the write is one transaction that changes the
//! case only if nobody else changed it meanwhile, adds a timeline entry and an audit row.

pub mod act;
pub mod board;
pub mod board_web;
pub mod console;
pub mod port;
pub mod web;

use crate::cases::Cases;
use crate::kernel::access::load_grants;
use crate::kernel::media::MediaError;
use crate::kernel::store::{Store, StoreError};
use domain::access::{Action, Decision, DepartmentCode, Grant, Target, decide};
use domain::calendar::{BUILT_IN, CalendarError, WorkCalendar, YearRules};
use domain::cases::category::TimeLimit;
use domain::cases::report::ReportProblem;
use domain::cases::tracking::TrackingCode;
use domain::ports::StaffProblem;
use domain::territory::TerritoryCode;
use domain::workflow::{Actor, CaseAction, CaseFacts, CaseState, actor_for, apply};
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
}
