//! API keys for Open311 writers: admins issue and revoke them; only a hash is stored.

use super::{KEY_PREFIX, Open311};
use crate::kernel::store::StoreError;
use domain::access::{Action, Target};
use domain::ports::ApiKeyView;
use sqlx::Row;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("not allowed")]
    Forbidden,
    /// The organisation's name is empty or longer than 80 characters.
    #[error("the organisation needs a name of 1 to 80 characters")]
    BadOrganisation,
    #[error("no such key, or already revoked")]
    NoSuchKey,
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for KeyError {
    fn from(e: sqlx::Error) -> Self {
        KeyError::Store(StoreError::Query(e))
    }
}

impl Open311 {
    async fn may_manage_keys(&self, actor: i64) -> Result<bool, StoreError> {
        crate::kernel::access::allows(&self.store, actor, Action::ManageApiKeys, &Target::City)
            .await
    }

    /// The keys, newest first (admins only).
    pub async fn keys(&self, actor: i64) -> Result<Vec<ApiKeyView>, KeyError> {
        if !self.may_manage_keys(actor).await? {
            return Err(KeyError::Forbidden);
        }
        let rows = sqlx::query(
            "SELECT k.id, k.organisation, k.key_prefix, k.created_at, k.revoked_at, \
             (SELECT COUNT(*) FROM cases c WHERE c.api_key_id = k.id) AS cases \
             FROM api_keys k ORDER BY k.id DESC",
        )
        .fetch_all(self.store.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ApiKeyView {
                    id: r.try_get("id")?,
                    organisation: r.try_get("organisation")?,
                    prefix: r.try_get("key_prefix")?,
                    created_ms: r.try_get("created_at")?,
                    revoked: r.try_get::<Option<i64>, _>("revoked_at")?.is_some(),
                    cases: r.try_get("cases")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(KeyError::from)
    }

    /// Issues a key to `organisation` (audited). The key itself is returned once and never kept.
    pub async fn issue_key(
        &self,
        actor: i64,
        organisation: &str,
        client: &str,
        now: i64,
    ) -> Result<String, KeyError> {
        if !self.may_manage_keys(actor).await? {
            return Err(KeyError::Forbidden);
        }
        let organisation = organisation.trim();
        if organisation.is_empty() || organisation.chars().count() > 80 {
            return Err(KeyError::BadOrganisation);
        }
        let key = format!("{KEY_PREFIX}{}", crate::kernel::secrets::random_hex(20));
        let mut tx = self.store.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_keys (organisation, key_prefix, key_hash, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(organisation)
        .bind(&key[..KEY_PREFIX.len() + 6])
        .bind(crate::kernel::secrets::sha256_hex(&[&key]))
        .bind(actor)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        crate::kernel::audit::record(
            &mut tx,
            Some(actor),
            "api_key.issue",
            &format!("api_key:{id}"),
            &serde_json::json!({ "organisation": organisation }),
            client,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(key)
    }

    /// Revokes a key (audited); requests with it are refused from then on.
    pub async fn revoke_key(
        &self,
        actor: i64,
        id: i64,
        client: &str,
        now: i64,
    ) -> Result<(), KeyError> {
        if !self.may_manage_keys(actor).await? {
            return Err(KeyError::Forbidden);
        }
        let mut tx = self.store.begin_write().await?;
        let done = sqlx::query(
            "UPDATE api_keys SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(actor)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if done == 0 {
            return Err(KeyError::NoSuchKey);
        }
        crate::kernel::audit::record(
            &mut tx,
            Some(actor),
            "api_key.revoke",
            &format!("api_key:{id}"),
            &serde_json::json!({}),
            client,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
