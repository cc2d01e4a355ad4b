//! Server functions of the consultation pages.

#[cfg(feature = "ssr")]
use crate::api::{failed, ports, request_viewer};
use leptos::prelude::*;

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
