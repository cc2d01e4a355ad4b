//! The admin page's form posts: grant and revoke roles. The rules and the audit log are in `admin`.

use crate::admin::AdminError;
use crate::kernel::clock::now_ms;
use crate::web::error::{WebError, see_other};
use crate::web::extract::{SignedInForm, SignedInUpload};
use crate::web::state::AppState;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
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

fn outcome(result: Result<(), AdminError>, search: &str, ok: &str) -> Result<Response, WebError> {
    Ok(match result {
        Ok(()) => back_to(search, ok),
        Err(AdminError::Forbidden) => {
            return Err(WebError::refused(
                StatusCode::FORBIDDEN,
                "只有管理员可以管理角色。",
                "Only administrators may manage roles.",
            ));
        }
        Err(AdminError::BadRole) => back_to(search, "bad-role"),
        Err(AdminError::NoSuchScope) => back_to(search, "no-scope"),
        Err(AdminError::ScopeMismatch) => back_to(search, "scope-mismatch"),
        Err(AdminError::NoSuchPerson | AdminError::NoSuchGrant) => back_to(search, "missing"),
        Err(e) => return Err(WebError::internal(e)),
    })
}

#[derive(Deserialize)]
pub struct GrantForm {
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
    post: SignedInForm<GrantForm>,
) -> Result<Response, WebError> {
    let form = &post.form;
    let result = admin
        .grant(
            post.user_id,
            form.person,
            &form.role,
            &form.scope,
            &post.client,
            now_ms(),
        )
        .await
        .map(|_| ());
    outcome(result, &form.q, "granted")
}

#[derive(Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    grant: i64,
    #[serde(default)]
    q: String,
}

/// `POST /admin/revoke`
pub async fn post_revoke(
    Extension(admin): Extension<Admin>,
    post: SignedInForm<RevokeForm>,
) -> Result<Response, WebError> {
    let result = admin
        .revoke(post.user_id, post.form.grant, &post.client, now_ms())
        .await;
    outcome(result, &post.form.q, "revoked")
}

/// `POST /admin/calendar`: a year's working-day calendar as a text file. All or nothing: a file
/// with any bad line changes nothing and comes back with every problem by line number.
pub async fn post_calendar(
    State(state): State<AppState>,
    Extension(workflow): Extension<Workflow>,
    mut post: SignedInUpload,
) -> Result<Response, WebError> {
    let mut file = None;
    while let Ok(Some(mut field)) = post.fields.next_field().await {
        if field.name() == Some("rules") {
            file = crate::web::extract::read_capped(&mut field)
                .await
                .ok()
                .flatten();
        }
    }
    let Ok(text) = String::from_utf8(file.unwrap_or_default()) else {
        return Ok(see_other("/admin?done=calendar-not-utf8"));
    };
    match workflow
        .upload_calendar(post.user_id, &text, &post.client, now_ms())
        .await
    {
        Ok(Ok(year)) => Ok(see_other(&format!("/admin?year={year}"))),
        Ok(Err(errors)) => {
            let errors = app::admin::api::CalendarUploadErrors(errors);
            let mut res = crate::web::render::render_page(&state, post.parts, None, move || {
                leptos::prelude::provide_context(errors.clone())
            })
            .await;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(crate::workflow::ActError::Refused(_)) => Err(WebError::refused(
            StatusCode::FORBIDDEN,
            "只有管理员可以上传工作日历。",
            "Only administrators may upload the working-day calendar.",
        )),
        Err(e) => Err(WebError::internal(e)),
    }
}

#[derive(Deserialize)]
pub struct KeyForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    organisation: String,
}

/// `POST /admin/keys`: issue a key to an organisation (the page shows it once) or revoke one.
pub async fn post_api_key(
    State(state): State<AppState>,
    Extension(open311): Extension<Open311>,
    post: SignedInForm<KeyForm>,
) -> Result<Response, WebError> {
    let (actor, form) = (post.user_id, &post.form);
    let result = if form.action == "revoke" {
        let id = form.key.parse::<i64>().unwrap_or_default();
        open311
            .revoke_key(actor, id, &post.client, now_ms())
            .await
            .map(|()| None)
    } else {
        open311
            .issue_key(actor, &form.organisation, &post.client, now_ms())
            .await
            .map(|key| {
                Some(domain::ports::IssuedApiKey {
                    organisation: form.organisation.trim().to_owned(),
                    key,
                })
            })
    };
    use crate::open311::KeyError;
    match result {
        Ok(Some(issued)) => Ok(crate::web::render::render_page(
            &state,
            post.parts,
            None,
            move || leptos::prelude::provide_context(issued.clone()),
        )
        .await),
        Ok(None) => Ok(see_other("/admin/keys?done=revoked")),
        Err(KeyError::Forbidden) => Err(WebError::refused(
            StatusCode::FORBIDDEN,
            "只有管理员可以管理接口密钥。",
            "Only administrators may manage API keys.",
        )),
        Err(KeyError::BadOrganisation) => Ok(see_other("/admin/keys?done=bad-organisation")),
        Err(KeyError::NoSuchKey) => Ok(see_other("/admin/keys?done=missing")),
        Err(KeyError::Store(e)) => Err(e.into()),
    }
}
