//! The admin page's form posts: grant and revoke roles. The rules and the audit log are in `admin`.

use crate::admin::AdminError;
use crate::kernel::clock::now_ms;
use crate::web::error::{forbidden, plain_error, see_other, server_error};
use crate::web::extract::signed_in_poster;
use crate::web::session::{ClientIp, RequestSession};
use crate::web::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Form};
use serde::Deserialize;

use crate::admin::Admin;
use crate::open311::Open311;
use crate::workflow::Workflow;
use axum::Router;
use axum::routing::post;

/// Roles, the working calendar and API keys.
pub fn routes(admin: Admin, open311: Open311, workflow: Workflow) -> Router<AppState> {
    Router::new()
        .route("/admin/grant", post(post_grant))
        .route("/admin/revoke", post(post_revoke))
        .route("/admin/calendar", post(post_calendar))
        .route("/admin/keys", post(post_api_key))
        .layer(axum::Extension(admin))
        .layer(axum::Extension(open311))
        .layer(axum::Extension(workflow))
}

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
    Extension(admin): Extension<Admin>,
    Extension(rs): Extension<RequestSession>,
    Extension(ClientIp(client)): Extension<ClientIp>,
    Form(form): Form<GrantForm>,
) -> Response {
    let Some(actor) = signed_in_poster(&rs, &form.csrf) else {
        return forbidden();
    };
    let result = admin
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
    Extension(admin): Extension<Admin>,
    Extension(rs): Extension<RequestSession>,
    Extension(ClientIp(client)): Extension<ClientIp>,
    Form(form): Form<RevokeForm>,
) -> Response {
    let Some(actor) = signed_in_poster(&rs, &form.csrf) else {
        return forbidden();
    };
    let result = admin.revoke(actor, form.grant, &client, now_ms()).await;
    outcome(result, &form.q, "revoked")
}

/// `POST /admin/calendar`: a year's working-day calendar as a text file. All or nothing: a file
/// with any bad line changes nothing and comes back with every problem by line number.
pub async fn post_calendar(
    State(state): State<AppState>,
    Extension(workflow): Extension<Workflow>,
    req: axum::extract::Request,
) -> Response {
    let post = match crate::web::extract::open_multipart(
        req,
        "请通过管理页面的表单上传。",
        "Use the form on the admin page.",
    )
    .await
    {
        Ok(p) => p,
        Err(refusal) => return refusal,
    };
    let crate::web::extract::MultipartPost {
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
            file = crate::web::extract::read_capped(&mut field)
                .await
                .ok()
                .flatten();
        }
    }
    let Some(actor) = crate::web::extract::signed_in_poster(&rs, &csrf) else {
        return forbidden();
    };
    let Ok(text) = String::from_utf8(file.unwrap_or_default()) else {
        return see_other("/admin?done=calendar-not-utf8");
    };
    match workflow
        .upload_calendar(actor, &text, &client, now_ms())
        .await
    {
        Ok(Ok(year)) => see_other(&format!("/admin?year={year}")),
        Ok(Err(errors)) => {
            let errors = app::api::CalendarUploadErrors(errors);
            let mut res = crate::web::render::render_page(&state, parts, None, move || {
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
pub async fn post_api_key(
    State(state): State<AppState>,
    Extension(open311): Extension<Open311>,
    req: axum::extract::Request,
) -> Response {
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
            crate::web::render::render_page(&state, parts, None, move || {
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
