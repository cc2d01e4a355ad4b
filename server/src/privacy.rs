//! A person's rights over their data (个人信息保护法 arts. 45 and 47): a copy of everything the
//! portal holds about them, and deletion of their account. Reports they filed stay, because they are
//! the city's case records, but they are cut loose from the person: no account, no phone.

use crate::store::{Store, StoreError};
use sqlx::Row;

#[derive(Clone)]
pub struct Privacy {
    store: Store,
}

impl Privacy {
    pub fn new(store: Store) -> Privacy {
        Privacy { store }
    }

    /// Everything stored about `user_id`, as JSON. `None` if there is no such (live) account.
    pub async fn export(
        &self,
        user_id: i64,
        now: i64,
    ) -> Result<Option<serde_json::Value>, StoreError> {
        use serde_json::json;
        let pool = self.store.pool();
        let Some(user) = sqlx::query(
            "SELECT phone, display_name, created_at FROM users WHERE id = $1 AND deleted_at IS NULL",
        )
        .bind(user_id)
        .fetch_optional(pool)
        .await?
        else {
            return Ok(None);
        };
        let roles = sqlx::query(
            "SELECT role, territory_code, department_code, granted_at, revoked_at FROM role_grants WHERE user_id = $1 ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            Ok(json!({
                "role": r.try_get::<String, _>("role")?,
                "territory": r.try_get::<Option<String>, _>("territory_code")?,
                "department": r.try_get::<Option<String>, _>("department_code")?,
                "granted_at_ms": r.try_get::<i64, _>("granted_at")?,
                "revoked_at_ms": r.try_get::<Option<i64>, _>("revoked_at")?,
            }))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let reports = sqlx::query(
            "SELECT tracking_code, category_code, description, lat, lng, address, contact_phone, stage, created_at \
             FROM cases WHERE reporter_user_id = $1 ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            Ok(json!({
                "tracking_code": r.try_get::<String, _>("tracking_code")?,
                "category": r.try_get::<String, _>("category_code")?,
                "description": r.try_get::<String, _>("description")?,
                "lat": r.try_get::<f64, _>("lat")?,
                "lng": r.try_get::<f64, _>("lng")?,
                "address": r.try_get::<Option<String>, _>("address")?,
                "contact_phone": r.try_get::<Option<String>, _>("contact_phone")?,
                "stage": r.try_get::<String, _>("stage")?,
                "created_at_ms": r.try_get::<i64, _>("created_at")?,
            }))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let codes = |sql: &'static str| async move {
            sqlx::query_scalar::<_, String>(sql)
                .bind(user_id)
                .fetch_all(pool)
                .await
        };
        let following = codes(
            "SELECT c.tracking_code FROM case_followers f JOIN cases c ON c.id = f.case_id WHERE f.user_id = $1 ORDER BY c.id",
        )
        .await?;
        let areas = codes(
            "SELECT territory_code FROM area_followers WHERE user_id = $1 ORDER BY territory_code",
        )
        .await?;
        let me_too: Vec<String> = sqlx::query_scalar(
            "SELECT c.tracking_code FROM case_supporters s JOIN cases c ON c.id = s.case_id WHERE s.supporter = $1 ORDER BY c.id",
        )
        .bind(format!("u:{user_id}"))
        .fetch_all(pool)
        .await?;
        let sessions: i64 =
            sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .fetch_one(pool)
                .await?;
        Ok(Some(json!({
            "exported_at_ms": now,
            "account": {
                "phone": user.try_get::<Option<String>, _>("phone")?,
                "display_name": user.try_get::<Option<String>, _>("display_name")?,
                "created_at_ms": user.try_get::<i64, _>("created_at")?,
            },
            "roles": roles,
            "reports": reports,
            "following_cases": following,
            "following_areas": areas,
            "me_too": me_too,
            "active_sessions": sessions,
        })))
    }

    /// Deletes the account: sessions, follows, roles and login codes go; the phone is erased; filed
    /// reports stay as anonymous case records. Returns false if there was no live account.
    pub async fn delete_account(
        &self,
        user_id: i64,
        client: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.store.pool().begin().await?;
        let Some(phone) = sqlx::query_scalar::<_, Option<String>>(
            "SELECT phone FROM users WHERE id = $1 AND deleted_at IS NULL",
        )
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(false);
        };
        let steps: [(&str, bool); 6] = [
            (
                "UPDATE cases SET reporter_user_id = NULL, contact_phone = NULL, anonymous = 1 WHERE reporter_user_id = $1",
                false,
            ),
            ("DELETE FROM case_followers WHERE user_id = $1", false),
            ("DELETE FROM area_followers WHERE user_id = $1", false),
            ("DELETE FROM sessions WHERE user_id = $1", false),
            ("DELETE FROM role_grants WHERE user_id = $1", false),
            (
                "UPDATE users SET phone = NULL, display_name = NULL, deleted_at = $2 WHERE id = $1",
                true,
            ),
        ];
        for (sql, with_time) in steps {
            let q = sqlx::query(sql).bind(user_id);
            let q = if with_time { q.bind(now) } else { q };
            q.execute(&mut *tx).await?;
        }
        sqlx::query("DELETE FROM case_supporters WHERE supporter = $1")
            .bind(format!("u:{user_id}"))
            .execute(&mut *tx)
            .await?;
        if let Some(phone) = phone {
            sqlx::query("DELETE FROM login_codes WHERE phone = $1")
                .bind(phone)
                .execute(&mut *tx)
                .await?;
        }
        crate::admin::audit(
            &mut tx,
            Some(user_id),
            "account.delete",
            &format!("user:{user_id}"),
            &serde_json::json!({}),
            client,
            now,
        )
        .await?;
        tx.commit().await?;
        tracing::info!(user_id, "account deleted at the person's request");
        Ok(true)
    }
}
