//! Server functions of the admin pages.

#[cfg(feature = "ssr")]
use crate::api::{failed, ports, request_viewer};
use domain::ports::AdminView;
use leptos::prelude::*;

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

/// A refused calendar upload's problems, shown on the admin page (see `web_admin`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CalendarUploadErrors(pub Vec<domain::calendar::CalendarError>);

#[server(prefix = "/fn")]
pub async fn fetch_calendar_errors()
-> Result<Option<Vec<domain::calendar::CalendarError>>, ServerFnError> {
    Ok(use_context::<CalendarUploadErrors>().map(|e| e.0))
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
