//! Server functions of the waste-sorting pages.

#[cfg(feature = "ssr")]
use crate::api::{failed, ports, request_viewer};
use leptos::prelude::*;

/// "Which bin?": the items for a search (a search that finds nothing is logged for the council).
#[server(prefix = "/fn")]
pub async fn fetch_which_bin(query: String) -> Result<domain::ports::WhichBin, ServerFnError> {
    ports()?
        .sorting
        .which_bin(&query, request_viewer().user_id)
        .await
        .map_err(failed)
}

/// A community's collection points and whether each is open now.
#[server(prefix = "/fn")]
pub async fn fetch_collection_points(
    community: String,
    near: String,
) -> Result<domain::ports::CollectionPoints, ServerFnError> {
    ports()?
        .sorting
        .collection_points(&community, &near, request_viewer().user_id)
        .await
        .map_err(failed)
}

/// The signed-in volunteer's points and own shifts (`None`: not signed in, or no points).
#[server(prefix = "/fn")]
pub async fn fetch_volunteer_page() -> Result<Option<domain::ports::VolunteerPage>, ServerFnError> {
    let Some(user_id) = request_viewer().user_id else {
        return Ok(None);
    };
    ports()?
        .sorting
        .volunteer_page(user_id)
        .await
        .map_err(failed)
}

/// The council's form for a collection point (`id`), or a new one in `community`; when the server
/// is showing a refused form again, its values and problems.
#[server(prefix = "/fn")]
pub async fn fetch_point_editor(
    id: String,
    community: String,
) -> Result<Option<domain::ports::PointEditor>, ServerFnError> {
    let Some(user_id) = request_viewer().user_id else {
        return Ok(None);
    };
    let refusal = use_context::<domain::ports::PointRefusal>();
    let (id, community) = match &refusal {
        Some(r) => (r.form.id.clone(), r.form.community.clone()),
        None => (id, community),
    };
    let editor = ports()?
        .sorting
        .point_editor(&id, &community, user_id)
        .await
        .map_err(failed)?;
    Ok(editor.map(|mut e| {
        if let Some(r) = refusal {
            e.form = domain::sorting::supervision::PointForm {
                id: e.form.id,
                community: e.form.community,
                ..r.form
            };
            e.problems = r.problems;
        }
        e
    }))
}

/// The refused shift form the server is showing again, if this render is one.
#[server(prefix = "/fn")]
pub async fn fetch_shift_draft() -> Result<Option<domain::ports::ShiftDraft>, ServerFnError> {
    Ok(use_context::<domain::ports::ShiftDraft>())
}

/// A community's last twelve months of sorting figures and latest issues.
#[server(prefix = "/fn")]
pub async fn fetch_sorting_trend(
    community: String,
) -> Result<Option<domain::ports::CommunityTrend>, ServerFnError> {
    ports()?
        .sorting
        .sorting_trend(&community, request_viewer().user_id)
        .await
        .map_err(failed)
}

/// 红黑榜 of a street or district for a month.
#[server(prefix = "/fn")]
pub async fn fetch_sorting_ranking(
    area: String,
    month: String,
) -> Result<domain::ports::Ranking, ServerFnError> {
    ports()?
        .sorting
        .sorting_ranking(&area, &month)
        .await
        .map_err(failed)
}
