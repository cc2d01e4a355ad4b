//! The sign-in flow's plain form posts (they work without JavaScript), and a person's data: the
//! export download and the account deletion.

use crate::account::signin::AuthError;
use crate::kernel::clock::now_ms;
use crate::web::error::{WebError, see_other};
use crate::web::extract::{CheckedForm, ReturnTo, SignedIn};
use crate::web::session::{clear_cookie, session_cookie};
use crate::web::state::AppState;
use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::account::otp::CodeError;
use serde::Deserialize;

use crate::account::privacy::Privacy;
use crate::account::signin::Auth;
use axum::Router;
use axum::routing::{get, post};

/// Sign-in, sign-out and a person's own data.
pub fn routes(auth: Auth, privacy: Privacy) -> Router<AppState> {
    Router::new()
        .route("/login/code", post(post_login_code))
        .route("/login/verify", post(post_login_verify))
        .route("/login/restart", post(post_login_restart))
        .route("/logout", post(post_logout))
        .route("/me/export.json", get(get_export))
        .route("/me/delete", post(post_delete_account))
        .layer(Extension(auth))
        .layer(Extension(privacy))
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    phone: String,
}

/// Step 1: send a code. A resend (empty phone) goes to the number already pending.
pub async fn post_login_code(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    back: ReturnTo,
    post: CheckedForm<CodeForm>,
) -> Result<Response, WebError> {
    let phone = if post.form.phone.trim().is_empty() {
        post.session.pending_phone.clone().unwrap_or_default()
    } else {
        post.form.phone
    };
    match auth.request_code(&phone, &post.client, now_ms()).await {
        Ok(sent) => {
            auth.set_pending(&post.token, Some(&sent), now_ms())
                .await
                .map_err(WebError::internal)?;
            Ok(see_other(&back.login("")))
        }
        Err(AuthError::BadPhone(_)) => Ok(see_other(&back.login("error=phone"))),
        // 429 with Retry-After, and the sign-in page saying how long to wait.
        Err(AuthError::TooSoon(wait)) => {
            let flash = app::account::api::LoginFlash {
                error: "wait".into(),
                seconds: wait.seconds(),
            };
            let mut res = crate::web::render::render_page(&state, post.parts, None, move || {
                leptos::prelude::provide_context(flash.clone())
            })
            .await;
            *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(wait.seconds()));
            Ok(res)
        }
        Err(AuthError::SendFailed(reason)) => {
            tracing::error!(%reason, "login code not sent");
            Ok(see_other(&back.login("error=send")))
        }
        Err(e) => Err(WebError::internal(e)),
    }
}

#[derive(Deserialize)]
pub struct VerifyForm {
    #[serde(default)]
    code: String,
}

/// Step 2: check the code; success replaces the visitor session with a signed-in one.
pub async fn post_login_verify(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    back: ReturnTo,
    post: CheckedForm<VerifyForm>,
) -> Result<Response, WebError> {
    let Some(phone) = post.session.pending_phone else {
        return Ok(see_other(&back.login("error=nocode")));
    };
    let now = now_ms();
    let to = match auth
        .verify_code_from(&phone, &post.form.code, &post.client, now)
        .await
    {
        Ok(user_id) => {
            let ns = auth
                .sessions()
                .start_session(Some(user_id), Some(&post.token), now)
                .await?;
            tracing::info!(user_id, "signed in");
            let mut res = see_other(back.page());
            res.headers_mut().append(
                header::SET_COOKIE,
                session_cookie(&ns.token, state.secure_cookies),
            );
            return Ok(res);
        }
        Err(AuthError::Code(CodeError::Wrong { remaining })) => {
            format!("error=wrong&left={remaining}")
        }
        Err(AuthError::Code(CodeError::Malformed)) => "error=format".into(),
        Err(AuthError::Code(CodeError::Expired)) => "error=expired".into(),
        Err(AuthError::Code(CodeError::Locked)) => "error=locked".into(),
        Err(AuthError::DailyCap(_)) => "error=daily".into(),
        Err(AuthError::Code(CodeError::Used | CodeError::NoCode)) => "error=nocode".into(),
        Err(e) => return Err(WebError::internal(e)),
    };
    Ok(see_other(&back.login(&to)))
}

/// Forget the pending number, to type another one.
pub async fn post_login_restart(
    Extension(auth): Extension<Auth>,
    back: ReturnTo,
    post: CheckedForm,
) -> Result<Response, WebError> {
    auth.set_pending(&post.token, None, now_ms())
        .await
        .map_err(WebError::internal)?;
    Ok(see_other(&back.login("")))
}

pub async fn post_logout(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    post: CheckedForm,
) -> Result<Response, WebError> {
    auth.sessions().end_session(&post.token).await?;
    let mut res = see_other("/");
    res.headers_mut()
        .append(header::SET_COOKIE, clear_cookie(state.secure_cookies));
    Ok(res)
}

/// `GET /me/export.json`: everything stored about the signed-in person, as a download.
pub async fn get_export(
    Extension(privacy): Extension<Privacy>,
    SignedIn(user_id): SignedIn,
) -> Result<Response, WebError> {
    let Some(data) = privacy
        .export(user_id, now_ms())
        .await
        .map_err(WebError::internal)?
    else {
        return Ok(see_other("/login"));
    };
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"linli-my-data.json\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        serde_json::to_string_pretty(&data).unwrap_or_default(),
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    confirm: String,
}

/// `POST /me/delete`: deletes the account once the person has ticked the confirmation.
pub async fn post_delete_account(
    State(state): State<AppState>,
    Extension(privacy): Extension<Privacy>,
    post: CheckedForm<DeleteForm>,
) -> Result<Response, WebError> {
    let Some(user_id) = post.session.user_id else {
        return Ok(see_other("/login"));
    };
    if post.form.confirm != "yes" {
        return Ok(see_other("/me?error=confirm"));
    }
    privacy
        .delete_account(user_id, &post.client, now_ms())
        .await
        .map_err(WebError::internal)?;
    let mut res = see_other("/?deleted=1");
    res.headers_mut()
        .append(header::SET_COOKIE, clear_cookie(state.secure_cookies));
    Ok(res)
}
