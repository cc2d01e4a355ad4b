//! Server functions of a resident's account: the sign-in page's message, their own cases.

#[cfg(feature = "ssr")]
use crate::api::{failed, ports, request_viewer};
use domain::ports::MyCases;
use leptos::prelude::*;

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
