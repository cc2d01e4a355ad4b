//! Operators hide or show a case's photos and follow-ups and edit its public text, audited.

use crate::cases::Cases;
use crate::kernel::store::StoreError;
use domain::access::{Action, Decision, Grant, Target, decide};
use domain::cases::report::{Description, ReportProblem};
use domain::cases::tracking::TrackingCode;
use domain::territory::TerritoryCode;
use sqlx::Row;

/// Hides or shows one of a case's photos or follow-ups (`table` keyed by `column` within the case).
async fn set_hidden(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    table: &str,
    column: &str,
    case_id: i64,
    key: i64,
    hide: bool,
) -> Result<(), ModerationError> {
    let n = sqlx::query(&format!(
        "UPDATE {table} SET hidden = $1 WHERE case_id = $2 AND {column} = $3"
    ))
    .bind(i64::from(hide))
    .bind(case_id)
    .bind(key)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(ModerationError::NoSuchPhoto);
    }
    Ok(())
}

/// What an operator may change on a case's public face. The resident's original stays stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Moderation {
    HidePhoto(u32),
    ShowPhoto(u32),
    /// Replace the public description (validated like a resident's).
    EditDescription(String),
    /// Go back to the resident's text (with personal numbers masked).
    RestoreDescription,
    /// Hide or show one of the reporter's follow-ups (its photo with it).
    HideComment(i64),
    ShowComment(i64),
}

#[derive(Debug, thiserror::Error)]
pub enum ModerationError {
    #[error("not allowed")]
    Forbidden,
    #[error("no such case")]
    NoSuchCase,
    #[error("no such photo")]
    NoSuchPhoto,
    #[error("invalid text: {0}")]
    Invalid(ReportProblem),
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ModerationError {
    fn from(e: sqlx::Error) -> Self {
        ModerationError::Store(StoreError::Query(e))
    }
}

impl Cases {
    /// Applies a moderation step if `grants` allow it on the case's grid cell, and records it in
    /// the audit log with the before and after, in one transaction.
    pub async fn moderate(
        &self,
        code: &str,
        change: Moderation,
        actor: (i64, &[Grant]),
        client: &str,
        now: i64,
    ) -> Result<(), ModerationError> {
        let parsed = TrackingCode::parse(code).map_err(|_| ModerationError::NoSuchCase)?;
        let mut tx = self.store.begin_write().await?;
        let row = sqlx::query(
            "SELECT id, grid_code, description, public_description FROM cases WHERE tracking_code = $1",
        )
        .bind(parsed.to_string())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(ModerationError::NoSuchCase)?;
        let grid: String = row.try_get("grid_code")?;
        let target = TerritoryCode::parse(&grid)
            .map(Target::Territory)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        if decide(Some(actor.1), Action::ModerateCase, &target) != Decision::Allow {
            return Err(ModerationError::Forbidden);
        }
        let id: i64 = row.try_get("id")?;
        let before: Option<String> = row.try_get("public_description")?;
        let (action, details) = match &change {
            Moderation::HidePhoto(p) | Moderation::ShowPhoto(p) => {
                let hide = matches!(change, Moderation::HidePhoto(_));
                set_hidden(&mut tx, "case_photos", "position", id, i64::from(*p), hide).await?;
                let action = if hide {
                    "case.photo.hide"
                } else {
                    "case.photo.show"
                };
                (action, serde_json::json!({ "position": p }))
            }
            Moderation::HideComment(comment) | Moderation::ShowComment(comment) => {
                let hide = matches!(change, Moderation::HideComment(_));
                set_hidden(&mut tx, "case_comments", "id", id, *comment, hide).await?;
                let action = if hide {
                    "case.comment.hide"
                } else {
                    "case.comment.show"
                };
                (action, serde_json::json!({ "comment": comment }))
            }
            Moderation::EditDescription(text) => {
                let text = Description::parse(text).map_err(ModerationError::Invalid)?;
                sqlx::query(
                    "UPDATE cases SET public_description = $1, updated_at = $2 WHERE id = $3",
                )
                .bind(text.as_str())
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                (
                    "case.description.edit",
                    serde_json::json!({ "before": before, "after": text.as_str() }),
                )
            }
            Moderation::RestoreDescription => {
                sqlx::query(
                    "UPDATE cases SET public_description = NULL, updated_at = $1 WHERE id = $2",
                )
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                (
                    "case.description.restore",
                    serde_json::json!({ "before": before }),
                )
            }
        };
        crate::kernel::audit::record(
            &mut tx,
            Some(actor.0),
            action,
            &format!("case:{parsed}"),
            &details,
            client,
            now,
        )
        .await?;
        tx.commit().await?;
        tracing::info!(code = %parsed, actor = actor.0, action, "case moderated");
        self.announce(&parsed).await;
        Ok(())
    }
}
