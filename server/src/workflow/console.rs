//! The staff console: each grant's queue, and a case's working page with the actions this person may take now.

use crate::cases::excerpt;
use crate::kernel::access::load_grants;
use crate::kernel::store::StoreError;
use crate::workflow::{QUEUE_ROWS, Workflow};
use domain::access::{Action, Decision, Role, Scope, Target, decide};
use domain::cases::case::CaseStage;
use domain::ports::{
    DepartmentOption, Names, QueueItem, QueueKind, StaffCaseView, StaffEvent, StaffQueue,
};
use domain::territory::TerritoryLevel;
use domain::workflow::{Actor, CaseAction, CaseState};
use sqlx::Row;

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
            queues.push(self.queue(kind, grant.scope(), names, now).await?);
        }
        Ok(queues)
    }

    /// One queue: how many cases it holds and its first rows.
    async fn queue(
        &self,
        kind: QueueKind,
        scope: &Scope,
        names: Option<Names>,
        now: i64,
    ) -> Result<StaffQueue, StoreError> {
        let (scope_sql, scope_value) = scope_filter(scope);
        let (states_sql, order) = queue_states(kind, now);
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
        // New reports on the operator's queue show how many similar cases are open nearby.
        let mut fresh = Vec::new();
        if kind == QueueKind::Operator {
            for r in &rows {
                if r.try_get::<String, _>("state")? == CaseState::Reported.as_str() {
                    fresh.push(r.try_get::<String, _>("tracking_code")?);
                }
            }
        }
        let nearby = self.cases.nearby_counts(&fresh).await?;
        let mut items = Vec::with_capacity(rows.len());
        for r in &rows {
            items.push(queue_item(r, &nearby, now)?);
        }
        Ok(StaffQueue {
            kind,
            scope: names,
            items,
            total: u32::try_from(total).unwrap_or(0),
        })
    }

    /// The whole timeline as staff see it: internal notes, departments and each step's photos.
    async fn staff_events(&self, case_id: i64) -> Result<Vec<StaffEvent>, StoreError> {
        let pool = self.store.pool();
        let rows = sqlx::query(
            "SELECT e.id, e.stage, e.at, e.action, e.actor_role, e.public_text, e.internal_note, \
             e.deadline_at, d.name_zh, d.name_en FROM case_events e \
             LEFT JOIN departments d ON d.code = e.department_code \
             WHERE e.case_id = $1 ORDER BY e.at, e.id",
        )
        .bind(case_id)
        .fetch_all(pool)
        .await?;
        let mut photos_by_event =
            crate::kernel::photo_desk::event_photos(&self.store, case_id).await?;
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
        Ok(events)
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
        let events = self.staff_events(case.id).await?;
        let departments = department_options(pool).await?;
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
                    .and_then(|p| domain::account::phone::Phone::parse(p).ok())
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

/// The SQL condition for the cases a grant's scope covers, and its one parameter.
fn scope_filter(scope: &Scope) -> (String, Option<String>) {
    match scope {
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
    }
}

/// The states a queue holds and its order.
fn queue_states(kind: QueueKind, now: i64) -> (String, &'static str) {
    // `now` is our own clock, not input, so it is written into the SQL.
    match kind {
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
            "c.state IN ('reported', 'registered', 'dispatched', 'handled', 'on_hold')".to_owned(),
            "CASE WHEN c.deadline_at IS NULL THEN 1 ELSE 0 END, c.deadline_at, c.created_at",
        ),
    }
}

async fn department_options(
    pool: &sqlx::Pool<sqlx::Any>,
) -> Result<Vec<DepartmentOption>, StoreError> {
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
        .collect::<Result<Vec<_>, StoreError>>()
}

fn queue_item(
    r: &sqlx::any::AnyRow,
    nearby: &std::collections::HashMap<String, u32>,
    now: i64,
) -> Result<QueueItem, StoreError> {
    let state_raw: String = r.try_get("state")?;
    let state =
        CaseState::parse(&state_raw).ok_or_else(|| StoreError::Corrupt("case state".into()))?;
    let deadline: Option<i64> = r.try_get("deadline_at")?;
    let code: String = r.try_get("tracking_code")?;
    let text = domain::privacy::public_text(
        r.try_get("public_description")?,
        &r.try_get::<String, _>("description")?,
    );
    let nearby_open = nearby.get(&code).copied().unwrap_or(0);
    Ok(QueueItem {
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
    })
}
