//! Server functions of the resident side of cases: the report form, a case, the map and list.

#[cfg(feature = "ssr")]
use crate::api::{client_address, failed, ports, refused, request_viewer};
use domain::ports::{
    CaseCluster, CaseFilter, CaseListItem, CaseLookup, CategoryGroup, MapLayers, NearbyCase,
    ReportDraft, ReportFormData,
};
use leptos::prelude::*;

#[server(prefix = "/fn")]
pub async fn fetch_map_layers() -> Result<MapLayers, ServerFnError> {
    ports()?.catalogue.map_layers().await.map_err(failed)
}

#[server(prefix = "/fn")]
pub async fn fetch_categories() -> Result<Vec<CategoryGroup>, ServerFnError> {
    ports()?.catalogue.categories().await.map_err(failed)
}

#[server(prefix = "/fn")]
pub async fn fetch_report_form() -> Result<ReportFormData, ServerFnError> {
    ports()?.catalogue.report_form().await.map_err(failed)
}

/// The refused report the server is showing again, if this render is one (see `web_report`).
#[server(prefix = "/fn")]
pub async fn fetch_report_draft() -> Result<Option<ReportDraft>, ServerFnError> {
    Ok(use_context::<ReportDraft>())
}

#[server(prefix = "/fn")]
pub async fn fetch_case(code: String, key: Option<String>) -> Result<CaseLookup, ServerFnError> {
    let viewer = request_viewer();
    // Right after their own form, the reporter's key comes in a cookie, not the URL.
    let remembered = use_context::<http::request::Parts>()
        .and_then(|parts| crate::case_key::CaseKey::from_headers(&parts.headers, &code));
    let key = key
        .filter(|k| !k.is_empty())
        .or_else(|| remembered.as_ref().map(|k| k.key.clone()));
    let mut lookup = ports()?
        .cases
        .case_view(&code, key.as_deref(), viewer.user_id, &client_address())
        .await
        .map_err(failed)?;
    if let (CaseLookup::Found(case), Some(remembered)) = (&mut lookup, remembered)
        && let Some(private) = case.private.as_mut()
    {
        private.photo_gps = remembered.photo_gps;
    }
    Ok(lookup)
}

/// Open cases of a category near a point. A GET the report form's island calls with a plain
/// `fetch` (see `browser::get_json`), so the WASM carries no server-function client. Arguments
/// are text, defaulted, so a missing or garbled one is refused with 400 rather than a 500.
#[server(prefix = "/fn", endpoint = "nearby", input = server_fn::codec::GetUrl)]
pub async fn fetch_nearby(
    #[server(default)] category: String,
    #[server(default)] lat: String,
    #[server(default)] lng: String,
) -> Result<Vec<NearbyCase>, ServerFnError> {
    let (Ok(lat), Ok(lng)) = (lat.trim().parse::<f64>(), lng.trim().parse::<f64>()) else {
        return Err(refused("lat and lng must be numbers"));
    };
    if domain::geo::LatLng::new(lat, lng).is_err() {
        return Err(refused("lat and lng must be a place on Earth"));
    }
    ports()?
        .cases
        .nearby_cases(&category, lat, lng)
        .await
        .map_err(failed)
}

/// The case clusters in a map view (`bbox` as Leaflet's `west,south,east,north`), for the city
/// map's island; a GET like [`fetch_nearby`]. A bad view is refused with 400.
#[server(prefix = "/fn", endpoint = "clusters", input = server_fn::codec::GetUrl)]
pub async fn fetch_clusters(
    #[server(default)] bbox: String,
    #[server(default)] zoom: String,
    #[server(default)] category: String,
    #[server(default)] state: String,
) -> Result<Vec<CaseCluster>, ServerFnError> {
    let view = domain::cases::cluster::MapView::parse(&bbox, &zoom)
        .map_err(|e| refused(&e.to_string()))?;
    let filter = CaseFilter {
        view: Some(view),
        category,
        state: domain::cases::cluster::StateFilter::parse(&state).unwrap_or_default(),
    };
    ports()?.cases.case_clusters(&filter).await.map_err(failed)
}

#[server(prefix = "/fn")]
pub async fn fetch_case_list(
    filter: CaseFilter,
    page: u32,
) -> Result<Vec<CaseListItem>, ServerFnError> {
    ports()?
        .cases
        .case_list(&filter, page)
        .await
        .map_err(failed)
}

/// A refused follow-up, shown again on the case page with what to fix.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CommentDraft {
    pub text: String,
    pub problems: Vec<domain::cases::report::ReportProblem>,
}

#[server(prefix = "/fn")]
pub async fn fetch_comment_draft() -> Result<Option<CommentDraft>, ServerFnError> {
    Ok(use_context::<CommentDraft>())
}
