//! The admin page's form posts: grant and revoke roles. The rules and the audit log are in `admin`.

use crate::admin::AdminError;
use crate::http::AppState;
use crate::services::now_ms;
use crate::web_auth::{
    ClientIp, RequestSession, forbidden, plain_error, see_other, server_error, signed_in_poster,
};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Form};
use serde::Deserialize;

fn back_to(search: &str, outcome: &str) -> Response {
    let q: String = search
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(20)
        .collect();
    see_other(&format!("/admin?q={q}&done={outcome}"))
}

fn outcome(result: Result<(), AdminError>, search: &str, ok: &str) -> Response {
    match result {
        Ok(()) => back_to(search, ok),
        Err(AdminError::Forbidden) => plain_error(
            StatusCode::FORBIDDEN,
            "只有管理员可以管理角色。",
            "Only administrators may manage roles.",
        ),
        Err(AdminError::BadRole) => back_to(search, "bad-role"),
        Err(AdminError::NoSuchScope) => back_to(search, "no-scope"),
        Err(AdminError::ScopeMismatch) => back_to(search, "scope-mismatch"),
        Err(AdminError::NoSuchPerson | AdminError::NoSuchGrant) => back_to(search, "missing"),
        Err(e) => server_error(e),
    }
}

#[derive(Deserialize)]
pub struct GrantForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    person: i64,
    #[serde(default)]
    role: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    q: String,
}

/// `POST /admin/grant`
pub async fn post_grant(
    State(state): State<AppState>,
    Extension(rs): Extension<RequestSession>,
    Extension(ClientIp(client)): Extension<ClientIp>,
    Form(form): Form<GrantForm>,
) -> Response {
    let Some(actor) = signed_in_poster(&rs, &form.csrf) else {
        return forbidden();
    };
    let result = state
        .portal
        .admin()
        .grant(
            actor,
            form.person,
            &form.role,
            &form.scope,
            &client,
            now_ms(),
        )
        .await
        .map(|_| ());
    outcome(result, &form.q, "granted")
}

#[derive(Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    grant: i64,
    #[serde(default)]
    q: String,
}

/// `POST /admin/revoke`
pub async fn post_revoke(
    State(state): State<AppState>,
    Extension(rs): Extension<RequestSession>,
    Extension(ClientIp(client)): Extension<ClientIp>,
    Form(form): Form<RevokeForm>,
) -> Response {
    let Some(actor) = signed_in_poster(&rs, &form.csrf) else {
        return forbidden();
    };
    let result = state
        .portal
        .admin()
        .revoke(actor, form.grant, &client, now_ms())
        .await;
    outcome(result, &form.q, "revoked")
}

/// `POST /admin/calendar`: a year's working-day calendar as a text file. All or nothing: a file
/// with any bad line changes nothing and comes back with every problem by line number.
pub async fn post_calendar(State(state): State<AppState>, req: axum::extract::Request) -> Response {
    let post = match crate::web_auth::open_multipart(
        req,
        "请通过管理页面的表单上传。",
        "Use the form on the admin page.",
    )
    .await
    {
        Ok(p) => p,
        Err(refusal) => return refusal,
    };
    let crate::web_auth::MultipartPost {
        parts,
        session: rs,
        client,
        csrf,
        fields: mut multipart,
        ..
    } = post;
    let mut file = None;
    while let Ok(Some(mut field)) = multipart.next_field().await {
        if field.name() == Some("rules") {
            file = crate::web_report::read_capped(&mut field)
                .await
                .ok()
                .flatten();
        }
    }
    let Some(actor) = crate::web_auth::signed_in_poster(&rs, &csrf) else {
        return forbidden();
    };
    let Ok(text) = String::from_utf8(file.unwrap_or_default()) else {
        return see_other("/admin?done=calendar-not-utf8");
    };
    match state
        .portal
        .workflow()
        .upload_calendar(actor, &text, &client, now_ms())
        .await
    {
        Ok(Ok(year)) => see_other(&format!("/admin?year={year}")),
        Ok(Err(errors)) => {
            let errors = app::api::CalendarUploadErrors(errors);
            let mut res = crate::http::render_page(&state, parts, None, move || {
                leptos::prelude::provide_context(errors.clone())
            })
            .await;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            res
        }
        Err(crate::workflow::ActError::Refused(_)) => plain_error(
            StatusCode::FORBIDDEN,
            "只有管理员可以上传工作日历。",
            "Only administrators may upload the working-day calendar.",
        ),
        Err(e) => server_error(e),
    }
}

/// `POST /admin/keys`: issue a key to an organisation (the page shows it once) or revoke one.
pub async fn post_api_key(State(state): State<AppState>, req: axum::extract::Request) -> Response {
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 8 * 1024).await else {
        return plain_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "表单内容太长。",
            "The form is too long.",
        );
    };
    let field = |name: &str| {
        form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    let rs = parts
        .extensions
        .get::<RequestSession>()
        .cloned()
        .unwrap_or_default();
    let client = parts
        .extensions
        .get::<ClientIp>()
        .map(|c| c.0.clone())
        .unwrap_or_default();
    let Some(actor) = signed_in_poster(&rs, &field("csrf")) else {
        return forbidden();
    };
    let open311 = state.portal.open311();
    let result = if field("action") == "revoke" {
        let id = field("key").parse::<i64>().unwrap_or_default();
        open311
            .revoke_key(actor, id, &client, now_ms())
            .await
            .map(|()| None)
    } else {
        let organisation = field("organisation");
        open311
            .issue_key(actor, &organisation, &client, now_ms())
            .await
            .map(|key| {
                Some(domain::ports::IssuedApiKey {
                    organisation: organisation.trim().to_owned(),
                    key,
                })
            })
    };
    use crate::open311::KeyError;
    match result {
        Ok(Some(issued)) => {
            crate::http::render_page(&state, parts, None, move || {
                leptos::prelude::provide_context(issued.clone())
            })
            .await
        }
        Ok(None) => see_other("/admin/keys?done=revoked"),
        Err(KeyError::Forbidden) => plain_error(
            StatusCode::FORBIDDEN,
            "只有管理员可以管理接口密钥。",
            "Only administrators may manage API keys.",
        ),
        Err(KeyError::BadOrganisation) => see_other("/admin/keys?done=bad-organisation"),
        Err(KeyError::NoSuchKey) => see_other("/admin/keys?done=missing"),
        Err(KeyError::Store(e)) => server_error(e),
    }
}
