//! A person's rights over their data (个人信息保护法 arts. 45 and 47): a copy of everything the
//! portal holds about them, and deletion of their account. Reports they filed stay, because they are
//! the city's case records, but they are cut loose from the person: no account, no phone.

use crate::kernel::store::{Store, StoreError};
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
        let phone: Option<String> = user.try_get("phone")?;
        let more = self
            .records(user_id, phone.as_deref().unwrap_or("-"))
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
            "records": more,
        })))
    }

    /// The rest of what is stored about the person, table by table: everything
    /// [`Privacy::delete_account`] removes or anonymises.
    async fn records(&self, user_id: i64, phone: &str) -> Result<serde_json::Value, StoreError> {
        use Who::{OwnerKey, Person, Phone};
        let tables: [(&str, Who, &str); 12] = [
            (
                "follow_ups_on_my_reports",
                Person,
                "SELECT c.tracking_code, m.body, m.created_at FROM case_comments m \
                 JOIN cases c ON c.id = m.case_id WHERE c.reporter_user_id = $1 ORDER BY m.id",
            ),
            (
                "consultation_comments",
                Person,
                "SELECT consultation_id, stance, body, status, created_at FROM consultation_comments \
                 WHERE user_id = $1 ORDER BY id",
            ),
            (
                "comment_reports",
                Person,
                "SELECT comment_id, at FROM comment_reports WHERE user_id = $1 ORDER BY at",
            ),
            (
                "point_assignments",
                Person,
                "SELECT p.id, p.name, p.community_code FROM point_volunteers v \
                 JOIN collection_points p ON p.id = v.point_id WHERE v.user_id = $1 ORDER BY p.id",
            ),
            (
                "shifts",
                Person,
                "SELECT point_id, day, start_minute, end_minute, created_at FROM shifts \
                 WHERE volunteer_id = $1 ORDER BY id",
            ),
            (
                "ballots_cast_by_me",
                Person,
                "SELECT consultation_id, choice, channel, cast_at FROM ballots WHERE cast_by = $1",
            ),
            (
                "audit_log",
                Person,
                "SELECT action, target, details, client, at FROM audit_log \
                 WHERE actor_user_id = $1 ORDER BY id",
            ),
            (
                "login_codes",
                Phone,
                "SELECT sent_at, used_at, client_ip FROM login_codes WHERE phone = $1 ORDER BY id",
            ),
            (
                "owner_roster",
                Phone,
                "SELECT community_code, building, stairwell, unit, owner_name, area_centi \
                 FROM roster_units WHERE phone = $1 ORDER BY id",
            ),
            (
                "visitor_sessions_with_this_phone",
                Phone,
                "SELECT created_at, last_seen_at FROM sessions \
                 WHERE pending_phone = $1 AND user_id IS NULL",
            ),
            (
                "anonymous_reports_with_this_phone",
                Phone,
                "SELECT tracking_code, created_at FROM cases \
                 WHERE contact_phone = $1 AND reporter_user_id IS NULL",
            ),
            (
                "ballots",
                OwnerKey,
                "SELECT consultation_id, choice, channel, cast_at FROM ballots \
                 WHERE owner_key = $1 ORDER BY consultation_id",
            ),
        ];
        let owner_key = format!("tel:{phone}");
        let mut out = serde_json::Map::new();
        for (name, who, sql) in tables {
            let q = sqlx::query(sql);
            let q = match who {
                Person => q.bind(user_id),
                Phone => q.bind(phone),
                OwnerKey => q.bind(&owner_key),
            };
            let rows = q.fetch_all(self.store.pool()).await?;
            out.insert(name.into(), rows.iter().map(row_json).collect());
        }
        Ok(serde_json::Value::Object(out))
    }

    /// Deletes the account: sessions, follows, roles, point assignments and login codes go; the
    /// phone is erased everywhere it was copied (reports, ballots and their audit rows, the owners'
    /// roster, visitor sessions, audit details, free text), a ballot's owner becoming a stable
    /// pseudonym so no tally changes; comments, shifts and follow-ups are kept without the person.
    /// Filed reports stay as anonymous case records. Returns false if there was no live account.
    pub async fn delete_account(
        &self,
        user_id: i64,
        client: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.store.begin_write().await?;
        let Some(phone) = sqlx::query_scalar::<_, Option<String>>(
            "SELECT phone FROM users WHERE id = $1 AND deleted_at IS NULL",
        )
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(false);
        };
        // Free text the person wrote or that is about them: personal numbers masked in the store.
        for (table, column, owner) in [
            ("cases", "description", "reporter_user_id = $1"),
            ("consultation_comments", "body", "user_id = $1"),
            (
                "case_comments",
                "body",
                "case_id IN (SELECT id FROM cases WHERE reporter_user_id = $1)",
            ),
        ] {
            let rows = sqlx::query(&format!(
                "SELECT id, {column} AS text FROM {table} WHERE {owner}"
            ))
            .bind(user_id)
            .fetch_all(&mut *tx)
            .await?;
            for r in rows {
                let text: String = r.try_get("text")?;
                let masked = domain::cases::report::mask_personal_numbers(&text);
                if masked != text {
                    sqlx::query(&format!("UPDATE {table} SET {column} = $1 WHERE id = $2"))
                        .bind(masked)
                        .bind(r.try_get::<i64, _>("id")?)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        let steps: [&str; 10] = [
            "UPDATE cases SET reporter_user_id = NULL, contact_phone = NULL, anonymous = 1 WHERE reporter_user_id = $1",
            "DELETE FROM case_followers WHERE user_id = $1",
            "DELETE FROM area_followers WHERE user_id = $1",
            "DELETE FROM sessions WHERE user_id = $1",
            "DELETE FROM role_grants WHERE user_id = $1",
            "DELETE FROM point_volunteers WHERE user_id = $1",
            "DELETE FROM comment_reports WHERE user_id = $1",
            "UPDATE consultation_comments SET user_id = NULL WHERE user_id = $1",
            "UPDATE shifts SET volunteer_id = NULL WHERE volunteer_id = $1",
            "UPDATE ballots SET cast_by = NULL WHERE cast_by = $1",
        ];
        for sql in steps {
            sqlx::query(sql).bind(user_id).execute(&mut *tx).await?;
        }
        sqlx::query(
            "UPDATE users SET phone = NULL, display_name = NULL, deleted_at = $2 WHERE id = $1",
        )
        .bind(user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM case_supporters WHERE supporter = $1")
            .bind(format!("u:{user_id}"))
            .execute(&mut *tx)
            .await?;
        if let Some(phone) = phone {
            erase_phone(&mut tx, &phone).await?;
        }
        crate::kernel::audit::record(
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

/// Removes a phone number from every place it was copied to. An owner key built from the phone
/// (`tel:+86…`) becomes one random pseudonym, the same in the roster, the ballots and their audit,
/// so each ballot still counts once for the same units.
async fn erase_phone(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    phone: &str,
) -> Result<(), StoreError> {
    let owner_key = format!("tel:{phone}");
    let pseudonym = format!("erased:{}", crate::kernel::secrets::random_hex(12));
    for table in ["roster_units", "ballots", "ballot_audit"] {
        sqlx::query(&format!(
            "UPDATE {table} SET owner_key = $1 WHERE owner_key = $2"
        ))
        .bind(&pseudonym)
        .bind(&owner_key)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query("DELETE FROM rate_events WHERE subject LIKE $1")
        .bind(format!("{phone}|%"))
        .execute(&mut **tx)
        .await?;
    let national = phone.strip_prefix("+86").unwrap_or(phone);
    for sql in [
        "UPDATE roster_units SET phone = NULL WHERE phone = $1",
        "UPDATE cases SET contact_phone = NULL WHERE contact_phone = $1",
        "DELETE FROM sessions WHERE pending_phone = $1",
        "DELETE FROM login_codes WHERE phone = $1",
        // Limits counted per phone (wrong sign-in codes).
        "DELETE FROM rate_events WHERE subject = $1",
    ] {
        sqlx::query(sql).bind(phone).execute(&mut **tx).await?;
    }
    // Audit details and free text may hold the number in either spelling.
    for spelled in [phone, national] {
        for (table, column) in [
            ("audit_log", "details"),
            ("audit_log", "target"),
            ("case_comments", "body"),
            ("cases", "description"),
            ("cases", "address"),
            ("consultation_comments", "body"),
            ("shift_issues", "note"),
        ] {
            sqlx::query(&format!(
                "UPDATE {table} SET {column} = REPLACE({column}, $1, $2) WHERE {column} LIKE $3"
            ))
            .bind(spelled)
            .bind("[已删除]")
            .bind(format!("%{spelled}%"))
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// What an export query is bound to: the account, its phone, or the owner key built from the phone.
enum Who {
    Person,
    Phone,
    OwnerKey,
}

/// A row as JSON, column by column: integers, then reals, then text, else null.
fn row_json(row: &sqlx::any::AnyRow) -> serde_json::Value {
    use sqlx::Column;
    let mut map = serde_json::Map::new();
    for (i, column) in row.columns().iter().enumerate() {
        let value = if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
            v.map(serde_json::Value::from)
        } else if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
            v.map(serde_json::Value::from)
        } else {
            row.try_get::<Option<String>, _>(i)
                .ok()
                .flatten()
                .map(serde_json::Value::from)
        };
        map.insert(
            column.name().to_owned(),
            value.unwrap_or(serde_json::Value::Null),
        );
    }
    serde_json::Value::Object(map)
}
