//! The admin pages: people and their roles, the audit log, API keys.

use crate::ports::common::{Names, PortError, UserId};
use serde::{Deserialize, Serialize};

/// A person as admins see them (full phone: admins manage accounts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminPerson {
    pub id: i64,
    pub phone: Option<String>,
    pub display_name: Option<String>,
    pub grants: Vec<AdminGrant>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminGrant {
    pub id: i64,
    pub role: crate::access::Role,
    /// The territory or department code; `None` for city-wide.
    pub scope_code: Option<String>,
    pub scope_name: Option<Names>,
}

/// One audit log row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at_ms: i64,
    /// The actor's phone, masked (or `None` for a deleted account).
    pub actor: Option<String>,
    pub action: String,
    pub target: String,
    pub details: String,
    pub client: String,
}

/// What the admin page shows: people matching the search, and the filtered audit log.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminView {
    pub people: Vec<AdminPerson>,
    pub audit: Vec<AuditEntry>,
}

/// An Open311 API key as admins see it (never the key itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeyView {
    pub id: i64,
    pub organisation: String,
    /// The key's first characters, to tell keys apart.
    pub prefix: String,
    pub created_ms: i64,
    pub revoked: bool,
    /// Cases filed with it.
    pub cases: i64,
}

/// A key just issued, shown once on the page the issuing post renders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedApiKey {
    pub organisation: String,
    pub key: String,
}

/// The admin pages: people and their roles, the audit log, API keys.
#[async_trait::async_trait]
pub trait AdminPort: Send + Sync {
    /// `None` when `user_id` may not read it (only admins may).
    async fn admin_view(
        &self,
        user_id: UserId,
        search: &str,
        audit_filter: &str,
    ) -> Result<Option<AdminView>, PortError>;
    /// The Open311 API keys (`None`: the viewer is not an admin).
    async fn api_keys(&self, user_id: UserId) -> Result<Option<Vec<ApiKeyView>>, PortError>;
}
