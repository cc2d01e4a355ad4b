//! The audit log: one row per audited action, written in the action's own transaction.

/// Writes one audit-log row inside the caller's transaction, so the change and its record land
/// together. Every audited action (roles, moderation, account deletion) goes through here.
pub async fn record(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    actor: Option<i64>,
    action: &str,
    target: &str,
    details: &serde_json::Value,
    client: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (actor_user_id, action, target, details, client, at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(actor)
    .bind(action)
    .bind(target)
    .bind(details.to_string())
    .bind(client)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
