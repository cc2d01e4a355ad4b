//! Server functions of the staff console and the board.

#[cfg(feature = "ssr")]
use crate::api::{failed, ports, request_viewer};
use leptos::prelude::*;

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
