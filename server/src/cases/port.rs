//! The cases port the pages read through.

use crate::cases::Cases;
use crate::kernel::clock::now_ms;
use crate::kernel::store::unavailable;
use domain::ports::{
    CaseCluster, CaseFilter, CaseListItem, CaseLookup, CasesPort, MyCases, NearbyCase, PortError,
    UserId,
};

#[async_trait::async_trait]
impl CasesPort for Cases {
    async fn case_view(
        &self,
        code: &str,
        follow_key: Option<&str>,
        user_id: Option<UserId>,
        client: &str,
    ) -> Result<CaseLookup, PortError> {
        let user_id = user_id.map(|u| u.0);
        self.view(code, follow_key, user_id, client, now_ms())
            .await
            .map_err(unavailable)
    }
    async fn my_cases(&self, user_id: UserId) -> Result<MyCases, PortError> {
        let user_id = user_id.0;
        self.my_cases(user_id).await.map_err(unavailable)
    }
    async fn case_clusters(&self, filter: &CaseFilter) -> Result<Vec<CaseCluster>, PortError> {
        self.clusters(filter).await.map_err(unavailable)
    }
    async fn case_list(
        &self,
        filter: &CaseFilter,
        page: u32,
    ) -> Result<Vec<CaseListItem>, PortError> {
        self.list(filter, page).await.map_err(unavailable)
    }
    async fn nearby_cases(
        &self,
        category: &str,
        lat: f64,
        lng: f64,
    ) -> Result<Vec<NearbyCase>, PortError> {
        self.nearby(category, lat, lng).await.map_err(unavailable)
    }
}
