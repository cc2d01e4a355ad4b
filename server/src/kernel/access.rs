//! Who may do what: a person's live role grants, read from the store and judged by
//! `domain::access`.

use crate::kernel::store::{Store, StoreError};
use domain::access::{DepartmentCode, Grant, Role, Scope};
use domain::ports::Names;
use domain::territory::TerritoryCode;
use sqlx::Row;

/// A person's live grants, each with its row id and the names of its scope. A stored row that no
/// longer makes sense as a grant is skipped and logged rather than trusted.
pub async fn load_grants(
    store: &Store,
    user_id: i64,
) -> Result<Vec<(i64, Grant, Option<Names>)>, StoreError> {
    {
        let rows = sqlx::query(
            "SELECT g.id, g.role, g.territory_code, g.department_code, \
             COALESCE(t.name_zh, d.name_zh) AS zh, COALESCE(t.name_en, d.name_en) AS en \
             FROM role_grants g LEFT JOIN territories t ON t.code = g.territory_code \
             LEFT JOIN departments d ON d.code = g.department_code \
             WHERE g.user_id = $1 AND g.revoked_at IS NULL ORDER BY g.id",
        )
        .bind(user_id)
        .fetch_all(store.pool())
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let id: i64 = r.try_get("id")?;
            let role: String = r.try_get("role")?;
            let territory: Option<String> = r.try_get("territory_code")?;
            let department: Option<String> = r.try_get("department_code")?;
            let scope = match (territory, department) {
                (Some(t), None) => TerritoryCode::parse(&t)
                    .map(Scope::Territory)
                    .map_err(|e| e.to_string()),
                (None, Some(d)) => DepartmentCode::parse(&d)
                    .map(Scope::Department)
                    .map_err(|e| e.to_string()),
                (None, None) => Ok(Scope::City),
                (Some(_), Some(_)) => Err("both a territory and a department".to_owned()),
            };
            let grant = Role::parse(&role)
                .map_err(|e| e.to_string())
                .and_then(|role| {
                    scope.and_then(|scope| Grant::new(role, scope).map_err(|e| e.to_string()))
                });
            match grant {
                Ok(g) => {
                    let names = match (
                        r.try_get::<Option<String>, _>("zh")?,
                        r.try_get::<Option<String>, _>("en")?,
                    ) {
                        (Some(zh), Some(en)) => Some(Names { zh, en }),
                        _ => None,
                    };
                    out.push((id, g, names));
                }
                Err(e) => {
                    tracing::warn!(user_id, role, error = %e, "ignoring a malformed role grant")
                }
            }
        }
        Ok(out)
    }
}

/// Whether a person may do `action` on `target` now: their live grants through `access::decide`.
pub async fn allows(
    store: &Store,
    user_id: i64,
    action: domain::access::Action,
    target: &domain::access::Target,
) -> Result<bool, StoreError> {
    let grants: Vec<domain::access::Grant> = load_grants(store, user_id)
        .await?
        .into_iter()
        .map(|(_, g, _)| g)
        .collect();
    Ok(domain::access::decide(Some(&grants), action, target) == domain::access::Decision::Allow)
}

/// Whether a person may do `action` in a territory (a council over its community, say).
pub async fn allows_in(
    store: &Store,
    user_id: i64,
    action: domain::access::Action,
    territory: &TerritoryCode,
) -> Result<bool, StoreError> {
    allows(
        store,
        user_id,
        action,
        &domain::access::Target::Territory(territory.clone()),
    )
    .await
}
