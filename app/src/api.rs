//! Server functions: the UI's only door to data. Each is a thin adapter over the service layer's
//! ports (`domain::ports`, one per capability); no rule lives here.

#[cfg(feature = "ssr")]
use domain::ports::ClientAddress;
use domain::ports::{
    AdminView, CaseCluster, CaseFilter, CaseListItem, CaseLookup, CategoryGroup, HomeStats,
    MapLayers, MyCases, NearbyCase, ReportDraft, ReportFormData, Viewer,
};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn ports() -> Result<crate::ServerContext, ServerFnError> {
    use_context::<crate::ServerContext>()
        .ok_or_else(|| ServerFnError::new("service layer not provided"))
}

/// What a browser learns of a failed query: its kind, never the store's text (the server logged it).
#[cfg(feature = "ssr")]
fn failed(e: domain::ports::PortError) -> ServerFnError {
    use domain::ports::PortError;
    ServerFnError::new(match e {
        PortError::Unavailable => "unavailable",
        PortError::Forbidden => "forbidden",
        PortError::NotFound => "not found",
        PortError::Invalid(_) => "invalid",
    })
}

#[server(prefix = "/fn")]
pub async fn fetch_home_stats() -> Result<HomeStats, ServerFnError> {
    ports()?.catalogue.home_stats().await.map_err(failed)
}

#[server(prefix = "/fn")]
pub async fn fetch_map_layers() -> Result<MapLayers, ServerFnError> {
    ports()?.catalogue.map_layers().await.map_err(failed)
}

#[server(prefix = "/fn")]
pub async fn fetch_categories() -> Result<Vec<CategoryGroup>, ServerFnError> {
    ports()?.catalogue.categories().await.map_err(failed)
}

/// Who is looking, as the server's session middleware found it for this request.
#[cfg(feature = "ssr")]
pub fn request_viewer() -> Viewer {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Viewer>().cloned())
        .unwrap_or_default()
}

#[server(prefix = "/fn")]
pub async fn fetch_viewer() -> Result<Viewer, ServerFnError> {
    Ok(request_viewer())
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

/// The caller's address as the server's middleware recorded it, for rate limits.
#[cfg(feature = "ssr")]
fn client_address() -> String {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<ClientAddress>().map(|c| c.0.clone()))
        .unwrap_or_default()
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

#[server(prefix = "/fn")]
pub async fn fetch_nearby(
    category: String,
    lat: f64,
    lng: f64,
) -> Result<Vec<NearbyCase>, ServerFnError> {
    ports()?
        .cases
        .nearby_cases(&category, lat, lng)
        .await
        .map_err(failed)
}

#[server(prefix = "/fn")]
pub async fn fetch_clusters(filter: CaseFilter) -> Result<Vec<CaseCluster>, ServerFnError> {
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

/// 我的: the signed-in resident's cases; nothing for a visitor.
#[server(prefix = "/fn")]
pub async fn fetch_my_cases() -> Result<Option<MyCases>, ServerFnError> {
    let Some(user_id) = request_viewer().user_id else {
        return Ok(None);
    };
    ports()?
        .cases
        .my_cases(user_id)
        .await
        .map(Some)
        .map_err(failed)
}

/// The admin page's data; `None` unless the viewer is an admin (the service decides).
#[server(prefix = "/fn")]
pub async fn fetch_admin_view(
    search: String,
    audit_filter: String,
) -> Result<Option<AdminView>, ServerFnError> {
    let Some(user_id) = request_viewer().user_id else {
        return Ok(None);
    };
    ports()?
        .admin
        .admin_view(user_id, &search, &audit_filter)
        .await
        .map_err(failed)
}

/// A sign-in step refused with 429: the page is rendered in answer to the post, so the wait is
/// handed over here rather than in the address.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LoginFlash {
    pub error: String,
    pub seconds: i64,
}

#[server(prefix = "/fn")]
pub async fn fetch_login_flash() -> Result<Option<LoginFlash>, ServerFnError> {
    Ok(use_context::<LoginFlash>())
}

/// A refused follow-up, shown again on the case page with what to fix.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CommentDraft {
    pub text: String,
    pub problems: Vec<domain::report::ReportProblem>,
}

#[server(prefix = "/fn")]
pub async fn fetch_comment_draft() -> Result<Option<CommentDraft>, ServerFnError> {
    Ok(use_context::<CommentDraft>())
}

/// The staff console's queues; `None` for a visitor (the service decides what each grant shows).
#[server(prefix = "/fn")]
pub async fn fetch_staff_console() -> Result<Option<Vec<domain::ports::StaffQueue>>, ServerFnError>
{
    let Some(user_id) = request_viewer().user_id else {
        return Ok(None);
    };
    ports()?
        .workflow
        .staff_console(user_id)
        .await
        .map(Some)
        .map_err(failed)
}

/// A case on the staff console; `None` when the viewer's grants do not reach it.
#[server(prefix = "/fn")]
pub async fn fetch_staff_case(
    code: String,
) -> Result<Option<domain::ports::StaffCaseView>, ServerFnError> {
    let Some(user_id) = request_viewer().user_id else {
        return Ok(None);
    };
    ports()?
        .workflow
        .staff_case(user_id, &code)
        .await
        .map_err(failed)
}

/// A refused staff action, shown again with what to fix (see `web_staff`).
#[server(prefix = "/fn")]
pub async fn fetch_staff_draft() -> Result<Option<domain::ports::StaffActionDraft>, ServerFnError> {
    Ok(use_context::<domain::ports::StaffActionDraft>())
}

/// The performance board for a month (`2026-10`) at the district or street level.
#[server(prefix = "/fn")]
pub async fn fetch_board(
    month: String,
    level: String,
) -> Result<domain::ports::BoardView, ServerFnError> {
    ports()?
        .workflow
        .board(&month, &level)
        .await
        .map_err(failed)
}

/// A refused calendar upload's problems, shown on the admin page (see `web_admin`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CalendarUploadErrors(pub Vec<domain::calendar::CalendarError>);

#[server(prefix = "/fn")]
pub async fn fetch_calendar_errors()
-> Result<Option<Vec<domain::calendar::CalendarError>>, ServerFnError> {
    Ok(use_context::<CalendarUploadErrors>().map(|e| e.0))
}

/// 共谋: the consultation list, with the communities the viewer runs consultations for.
#[server(prefix = "/fn")]
pub async fn fetch_consult_list() -> Result<domain::ports::ConsultList, ServerFnError> {
    ports()?
        .consult
        .consult_list(request_viewer().user_id)
        .await
        .map_err(failed)
}

/// One consultation as the viewer may see it (`None`: there is no such consultation).
#[server(prefix = "/fn")]
pub async fn fetch_consult(id: i64) -> Result<Option<domain::ports::ConsultView>, ServerFnError> {
    ports()?
        .consult
        .consult_view(id, request_viewer().user_id)
        .await
        .map_err(failed)
}

/// The refused consultation form the server is showing again, if this render is one.
#[server(prefix = "/fn")]
pub async fn fetch_consult_refusal() -> Result<Option<domain::ports::ConsultRefusal>, ServerFnError>
{
    Ok(use_context::<domain::ports::ConsultRefusal>())
}

/// The live turnout meter, polled by an open consultation page.
#[server(prefix = "/fn")]
pub async fn fetch_consult_meter(id: i64) -> Result<Option<domain::consult::Tally>, ServerFnError> {
    ports()?.consult.consult_meter(id).await.map_err(failed)
}

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
            e.form = domain::supervision::PointForm {
                id: e.form.id,
                community: e.form.community,
                ..r.form
            };
            e.problems = r.problems;
        }
        e
    }))
}

/// The Open311 API keys and, on the page an issuing post renders, the key just issued
/// (`None`: not an admin).
#[server(prefix = "/fn")]
pub async fn fetch_api_keys() -> Result<
    Option<(
        Vec<domain::ports::ApiKeyView>,
        Option<domain::ports::IssuedApiKey>,
    )>,
    ServerFnError,
> {
    let Some(user_id) = request_viewer().user_id else {
        return Ok(None);
    };
    let keys = ports()?.admin.api_keys(user_id).await.map_err(failed)?;
    Ok(keys.map(|k| (k, use_context::<domain::ports::IssuedApiKey>())))
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
