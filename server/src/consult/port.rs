//! The consultations port the pages read through.

use crate::consult::Consultations;
use crate::kernel::clock::now_ms;
use crate::kernel::store::unavailable;
use domain::ports::{ConsultList, ConsultPort, ConsultView, PortError, UserId};

#[async_trait::async_trait]
impl ConsultPort for Consultations {
    async fn consult_list(&self, user_id: Option<UserId>) -> Result<ConsultList, PortError> {
        let user_id = user_id.map(|u| u.0);
        self.list(user_id, now_ms()).await.map_err(unavailable)
    }
    async fn consult_meter(&self, id: i64) -> Result<Option<domain::consult::Tally>, PortError> {
        self.meter(id, now_ms())
            .await
            .map(|m| m.map(|(_, t)| t))
            .map_err(unavailable)
    }
    async fn consult_view(
        &self,
        id: i64,
        user_id: Option<UserId>,
    ) -> Result<Option<ConsultView>, PortError> {
        let user_id = user_id.map(|u| u.0);
        self.view(id, user_id, now_ms()).await.map_err(unavailable)
    }
}
