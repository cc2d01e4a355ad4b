//! The admin pages' port: people and roles (the admin service) and API keys (Open311's).

use crate::admin::Admin;
use crate::kernel::store::unavailable;
use crate::open311::Open311;
use domain::ports::{AdminPort, AdminView, PortError, UserId};

#[derive(Clone)]
pub struct AdminPages {
    pub admin: Admin,
    pub open311: Open311,
}

#[async_trait::async_trait]
impl AdminPort for AdminPages {
    async fn admin_view(
        &self,
        user_id: UserId,
        search: &str,
        audit_filter: &str,
    ) -> Result<Option<AdminView>, PortError> {
        let user_id = user_id.0;
        self.admin
            .view(user_id, search, audit_filter)
            .await
            .map_err(unavailable)
    }
    async fn api_keys(
        &self,
        user_id: UserId,
    ) -> Result<Option<Vec<domain::ports::ApiKeyView>>, PortError> {
        let user_id = user_id.0;
        match self.open311.keys(user_id).await {
            Ok(keys) => Ok(Some(keys)),
            Err(crate::open311::KeyError::Forbidden) => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }
}
