//! Managing people and their roles, and reading the audit log. Admins only: every operation asks
//! `domain::access::decide`, and every grant and revoke is written to the audit log with who, what,
//! when and from where, in the same transaction.

pub mod port;
pub mod web;

use crate::kernel::access::load_grants;
use crate::kernel::store::{Store, StoreError};
use domain::access::{Action, Decision, DepartmentCode, Grant, Role, Scope, Target, decide};
use domain::account::phone::Phone;
use domain::ports::{AdminGrant, AdminPerson, AdminView, AuditEntry};
use domain::territory::TerritoryCode;
use sqlx::Row;

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("not allowed")]
    Forbidden,
    #[error("no such person")]
    NoSuchPerson,
    #[error("no such grant")]
    NoSuchGrant,
    #[error("unknown role")]
    BadRole,
    #[error("the place or department does not exist")]
    NoSuchScope,
    #[error("that role cannot be held on that scope")]
    ScopeMismatch,
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for AdminError {
    fn from(e: sqlx::Error) -> Self {
        AdminError::Store(StoreError::Query(e))
    }
}

impl From<crate::account::signin::AuthError> for AdminError {
    fn from(e: crate::account::signin::AuthError) -> Self {
        AdminError::Store(StoreError::Corrupt(e.to_string()))
    }
}

#[derive(Clone)]
pub struct Admin {
    store: Store,
}

/// The audit log shows this many rows at most per page.
const AUDIT_ROWS: i64 = 200;

fn target_of(scope: &Scope) -> Target {
    match scope {
        Scope::City => Target::City,
        Scope::Territory(t) => Target::Territory(t.clone()),
        Scope::Department(d) => Target::Department(d.clone()),
    }
}

impl Admin {
    pub fn new(store: Store) -> Admin {
        Admin { store }
    }

    async fn allowed(
        &self,
        actor: i64,
        action: Action,
        target: &Target,
    ) -> Result<bool, AdminError> {
        let grants: Vec<Grant> = load_grants(&self.store, actor)
            .await?
            .into_iter()
            .map(|(_, g, _)| g)
            .collect();
        Ok(decide(Some(&grants), action, target) == Decision::Allow)
    }

    /// People whose phone contains the digits typed, or whose name contains the text (at most 50).
    pub async fn search(&self, actor: i64, query: &str) -> Result<Vec<AdminPerson>, AdminError> {
        if !self
            .allowed(actor, Action::SearchPeople, &Target::City)
            .await?
        {
            return Err(AdminError::Forbidden);
        }
        let q = query.trim();
        if q.is_empty() {
            return Ok(Vec::new());
        }
        let digits: String = q.chars().filter(char::is_ascii_digit).collect();
        let rows = sqlx::query(
            "SELECT id, phone, display_name FROM users WHERE deleted_at IS NULL \
             AND ((phone LIKE $1 AND $2 <> '') OR display_name LIKE $3) ORDER BY id LIMIT 50",
        )
        .bind(format!("%{digits}%"))
        .bind(digits.clone())
        .bind(format!("%{q}%"))
        .fetch_all(self.store.pool())
        .await?;
        let mut people = Vec::new();
        for r in rows {
            let id: i64 = r.try_get("id")?;
            let grants = load_grants(&self.store, id)
                .await?
                .into_iter()
                .map(|(gid, g, names)| AdminGrant {
                    id: gid,
                    role: g.role(),
                    scope_code: match g.scope() {
                        Scope::City => None,
                        Scope::Territory(t) => Some(t.as_str().to_owned()),
                        Scope::Department(d) => Some(d.as_str().to_owned()),
                    },
                    scope_name: names,
                })
                .collect();
            people.push(AdminPerson {
                id,
                phone: r.try_get("phone")?,
                display_name: r.try_get("display_name")?,
                grants,
            });
        }
        Ok(people)
    }

    /// Grants `role` on `scope_code` (empty: city-wide; digits: a territory; letters: a department).
    pub async fn grant(
        &self,
        actor: i64,
        person: i64,
        role: &str,
        scope_code: &str,
        client: &str,
        now: i64,
    ) -> Result<i64, AdminError> {
        let role = Role::parse(role.trim()).map_err(|_| AdminError::BadRole)?;
        let code = scope_code.trim();
        let scope = if code.is_empty() {
            Scope::City
        } else if code.bytes().all(|b| b.is_ascii_digit()) {
            Scope::Territory(TerritoryCode::parse(code).map_err(|_| AdminError::NoSuchScope)?)
        } else {
            Scope::Department(DepartmentCode::parse(code).map_err(|_| AdminError::NoSuchScope)?)
        };
        let grant = Grant::new(role, scope).map_err(|_| AdminError::ScopeMismatch)?;
        if !self
            .allowed(actor, Action::GrantRole, &target_of(grant.scope()))
            .await?
        {
            return Err(AdminError::Forbidden);
        }
        let mut tx = self.store.begin_write().await?;
        let exists = |sql: &'static str, key: String| sqlx::query_scalar::<_, i64>(sql).bind(key);
        let scope_found = match grant.scope() {
            Scope::City => 1,
            Scope::Territory(t) => {
                exists(
                    "SELECT CAST(COUNT(*) AS BIGINT) FROM territories WHERE code = $1",
                    t.as_str().to_owned(),
                )
                .fetch_one(&mut *tx)
                .await?
            }
            Scope::Department(d) => {
                exists(
                    "SELECT CAST(COUNT(*) AS BIGINT) FROM departments WHERE code = $1",
                    d.as_str().to_owned(),
                )
                .fetch_one(&mut *tx)
                .await?
            }
        };
        if scope_found == 0 {
            return Err(AdminError::NoSuchScope);
        }
        let person_found: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM users WHERE id = $1 AND deleted_at IS NULL",
        )
        .bind(person)
        .fetch_one(&mut *tx)
        .await?;
        if person_found == 0 {
            return Err(AdminError::NoSuchPerson);
        }
        let (territory, department) = match grant.scope() {
            Scope::City => (None, None),
            Scope::Territory(t) => (Some(t.as_str().to_owned()), None),
            Scope::Department(d) => (None, Some(d.as_str().to_owned())),
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO role_grants (user_id, role, territory_code, department_code, granted_by, granted_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(person)
        .bind(role.as_str())
        .bind(territory.clone())
        .bind(department.clone())
        .bind(actor)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let details = serde_json::json!({
            "grant": id, "role": role.as_str(), "territory": territory, "department": department
        });
        crate::kernel::audit::record(
            &mut tx,
            Some(actor),
            "role.grant",
            &format!("user:{person}"),
            &details,
            client,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn revoke(
        &self,
        actor: i64,
        grant_id: i64,
        client: &str,
        now: i64,
    ) -> Result<(), AdminError> {
        let Some(row) = sqlx::query(
            "SELECT user_id, role, territory_code, department_code FROM role_grants WHERE id = $1 AND revoked_at IS NULL",
        )
        .bind(grant_id)
        .fetch_optional(self.store.pool())
        .await?
        else {
            return Err(AdminError::NoSuchGrant);
        };
        let person: i64 = row.try_get("user_id")?;
        let territory: Option<String> = row.try_get("territory_code")?;
        let department: Option<String> = row.try_get("department_code")?;
        let target = match (&territory, &department) {
            (Some(t), _) => TerritoryCode::parse(t)
                .map(Target::Territory)
                .unwrap_or(Target::City),
            (None, Some(d)) => DepartmentCode::parse(d)
                .map(Target::Department)
                .unwrap_or(Target::City),
            (None, None) => Target::City,
        };
        if !self.allowed(actor, Action::RevokeRole, &target).await? {
            return Err(AdminError::Forbidden);
        }
        let mut tx = self.store.begin_write().await?;
        sqlx::query("UPDATE role_grants SET revoked_at = $1 WHERE id = $2")
            .bind(now)
            .bind(grant_id)
            .execute(&mut *tx)
            .await?;
        let details = serde_json::json!({
            "grant": grant_id, "role": row.try_get::<String, _>("role")?, "territory": territory, "department": department
        });
        crate::kernel::audit::record(
            &mut tx,
            Some(actor),
            "role.revoke",
            &format!("user:{person}"),
            &details,
            client,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The newest audit rows whose action or target contains `filter` (empty: all).
    pub async fn audit_log(&self, actor: i64, filter: &str) -> Result<Vec<AuditEntry>, AdminError> {
        if !self
            .allowed(actor, Action::ReadAuditLog, &Target::City)
            .await?
        {
            return Err(AdminError::Forbidden);
        }
        let f = format!("%{}%", filter.trim());
        let rows = sqlx::query(
            "SELECT a.at, u.phone, a.action, a.target, a.details, a.client FROM audit_log a \
             LEFT JOIN users u ON u.id = a.actor_user_id \
             WHERE a.action LIKE $1 OR a.target LIKE $1 ORDER BY a.id DESC LIMIT $2",
        )
        .bind(f)
        .bind(AUDIT_ROWS)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    at_ms: r.try_get("at")?,
                    actor: r
                        .try_get::<Option<String>, _>("phone")?
                        .and_then(|p| Phone::parse(&p).ok())
                        .map(|p| p.masked()),
                    action: r.try_get("action")?,
                    target: r.try_get("target")?,
                    details: r.try_get("details")?,
                    client: r.try_get("client")?,
                })
            })
            .collect()
    }

    /// What the admin page shows; `None` when the person is not an admin.
    pub async fn view(
        &self,
        actor: i64,
        search: &str,
        filter: &str,
    ) -> Result<Option<AdminView>, AdminError> {
        match (
            self.search(actor, search).await,
            self.audit_log(actor, filter).await,
        ) {
            (Ok(people), Ok(audit)) => Ok(Some(AdminView { people, audit })),
            (Err(AdminError::Forbidden), _) | (_, Err(AdminError::Forbidden)) => Ok(None),
            (Err(e), _) | (_, Err(e)) => Err(e),
        }
    }
}
