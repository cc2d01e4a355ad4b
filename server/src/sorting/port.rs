//! The waste-sorting pages' port, with the base map the point maps are drawn on.

use crate::kernel::clock::now_ms;
use crate::kernel::store::{Store, unavailable};
use crate::sorting::Sorting;
use crate::sorting::shifts::Shifts;
use domain::ports::{PortError, SortingPort, UserId};
use domain::tiles::TileLayerSpec;

#[derive(Clone)]
pub struct SortingPages {
    pub store: Store,
    pub sorting: Sorting,
    pub shifts: Shifts,
    pub tiles: TileLayerSpec,
}

#[async_trait::async_trait]
impl SortingPort for SortingPages {
    async fn which_bin(
        &self,
        query: &str,
        user_id: Option<UserId>,
    ) -> Result<domain::ports::WhichBin, PortError> {
        let user_id = user_id.map(|u| u.0);
        self.sorting
            .which_bin(query, user_id, now_ms())
            .await
            .map_err(unavailable)
    }
    async fn collection_points(
        &self,
        community: &str,
        near: &str,
        user_id: Option<UserId>,
    ) -> Result<domain::ports::CollectionPoints, PortError> {
        let user_id = user_id.map(|u| u.0);
        let mut points = self
            .sorting
            .points(community, near, user_id, now_ms())
            .await
            .map_err(unavailable)?;
        points.tiles = Some(self.tiles.clone());
        Ok(points)
    }
    async fn point_editor(
        &self,
        id: &str,
        community: &str,
        user_id: UserId,
    ) -> Result<Option<domain::ports::PointEditor>, PortError> {
        let user_id = user_id.0;
        let editor = self
            .sorting
            .point_editor(id, community, user_id)
            .await
            .map_err(unavailable)?;
        Ok(editor.map(|e| domain::ports::PointEditor {
            tiles: Some(self.tiles.clone()),
            ..e
        }))
    }
    async fn volunteer_page(
        &self,
        user_id: UserId,
    ) -> Result<Option<domain::ports::VolunteerPage>, PortError> {
        let user_id = user_id.0;
        self.shifts
            .volunteer_page(user_id, now_ms())
            .await
            .map_err(unavailable)
    }
    async fn sorting_trend(
        &self,
        community: &str,
        user_id: Option<UserId>,
    ) -> Result<Option<domain::ports::CommunityTrend>, PortError> {
        let user_id = user_id.map(|u| u.0);
        crate::sorting::board::community_trend(&self.store, community, user_id, now_ms())
            .await
            .map_err(unavailable)
    }
    async fn sorting_ranking(
        &self,
        area: &str,
        month: &str,
    ) -> Result<domain::ports::Ranking, PortError> {
        crate::sorting::board::ranking(&self.store, area, month, now_ms())
            .await
            .map_err(unavailable)
    }
}
