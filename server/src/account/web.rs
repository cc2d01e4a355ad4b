//! The sign-in flow's plain form posts (they work without JavaScript), and a person's data: the
//! export download and the account deletion.

use crate::account::signin::AuthError;
use crate::kernel::clock::now_ms;
use crate::web::error::{forbidden, plain_error, see_other, server_error};
use crate::web::extract::checked;
use crate::web::session::{
    ClientIp, RequestSession, clear_cookie, request_context, session_cookie,
};
use crate::web::state::AppState;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use domain::otp::CodeError;
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
    #[serde(default)]
    csrf: String,
}

/// Step 1: send a code. A resend (empty phone) goes to the number already pending.
pub async fn post_login_code(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    let (rs, client) = request_context(&parts);
    let Ok(Form(form)) =
        Form::<CodeForm>::from_request(Request::from_parts(parts.clone(), body), &state).await
    else {
        return plain_error(
            StatusCode::BAD_REQUEST,
            "请通过登录页面的表单提交。",
            "Use the form on the sign-in page.",
        );
    };
    let Some((token, session)) = checked(&rs, &form.csrf) else {
        return forbidden();
    };
    let phone = if form.phone.trim().is_empty() {
        session.pending_phone.clone().unwrap_or_default()
    } else {
        form.phone
    };
    match auth.request_code(&phone, &client, now_ms()).await {
        Ok(sent) => match auth.set_pending(&token, Some(&sent), now_ms()).await {
            Ok(()) => see_other("/login"),
            Err(e) => server_error(e),
        },
        Err(AuthError::BadPhone(_)) => see_other("/login?error=phone"),
        // 429 with Retry-After, and the sign-in page saying how long to wait.
        Err(AuthError::TooSoon(wait)) => {
            let flash = app::api::LoginFlash {
                error: "wait".into(),
                seconds: wait.seconds(),
            };
            let mut res = crate::web::render::render_page(&state, parts, None, move || {
                leptos::prelude::provide_context(flash.clone())
            })
            .await;
            *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            if let Ok(v) = HeaderValue::from_str(&wait.seconds().to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            res
        }
        Err(AuthError::SendFailed(reason)) => {
            tracing::error!(%reason, "login code not sent");
            see_other("/login?error=send")
        }
        Err(e) => server_error(e),
    }
}

#[derive(Deserialize)]
pub struct VerifyForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    csrf: String,
}

/// Step 2: check the code; success replaces the visitor session with a signed-in one.
pub async fn post_login_verify(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    Extension(rs): Extension<RequestSession>,
    Extension(ClientIp(client)): Extension<ClientIp>,
    Form(form): Form<VerifyForm>,
) -> Response {
    let Some((token, session)) = checked(&rs, &form.csrf) else {
        return forbidden();
    };
    let Some(phone) = session.pending_phone else {
        return see_other("/login?error=nocode");
    };
    let now = now_ms();
    match auth
        .verify_code_from(&phone, &form.code, &client, now)
        .await
    {
        Ok(user_id) => match auth
            .sessions()
            .start_session(Some(user_id), Some(&token), now)
            .await
        {
            Ok(ns) => {
                tracing::info!(user_id, "signed in");
                let mut res = see_other("/me");
                res.headers_mut().append(
                    header::SET_COOKIE,
                    session_cookie(&ns.token, state.secure_cookies),
                );
                res
            }
            Err(e) => server_error(e),
        },
        Err(AuthError::Code(CodeError::Wrong { remaining })) => {
            see_other(&format!("/login?error=wrong&left={remaining}"))
        }
        Err(AuthError::Code(CodeError::Malformed)) => see_other("/login?error=format"),
        Err(AuthError::Code(CodeError::Expired)) => see_other("/login?error=expired"),
        Err(AuthError::Code(CodeError::Locked)) => see_other("/login?error=locked"),
        Err(AuthError::DailyCap(_)) => see_other("/login?error=daily"),
        Err(AuthError::Code(CodeError::Used | CodeError::NoCode)) => {
            see_other("/login?error=nocode")
        }
        Err(e) => server_error(e),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// Forget the pending number, to type another one.
pub async fn post_login_restart(
    Extension(auth): Extension<Auth>,
    Extension(rs): Extension<RequestSession>,
    Form(form): Form<CsrfForm>,
) -> Response {
    let Some((token, _)) = checked(&rs, &form.csrf) else {
        return forbidden();
    };
    match auth.set_pending(&token, None, now_ms()).await {
        Ok(()) => see_other("/login"),
        Err(e) => server_error(e),
    }
}

pub async fn post_logout(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    Extension(rs): Extension<RequestSession>,
    Form(form): Form<CsrfForm>,
) -> Response {
    let Some((token, _)) = checked(&rs, &form.csrf) else {
        return forbidden();
    };
    if let Err(e) = auth.sessions().end_session(&token).await {
        return server_error(e);
    }
    let mut res = see_other("/");
    res.headers_mut()
        .append(header::SET_COOKIE, clear_cookie(state.secure_cookies));
    res
}

/// `GET /me/export.json`: everything stored about the signed-in person, as a download.
pub async fn get_export(
    Extension(privacy): Extension<Privacy>,
    Extension(rs): Extension<RequestSession>,
) -> Response {
    let Some(user_id) = rs.session.as_ref().and_then(|s| s.user_id) else {
        return see_other("/login");
    };
    match privacy.export(user_id, now_ms()).await {
        Ok(Some(data)) => (
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
            .into_response(),
        Ok(None) => see_other("/login"),
        Err(e) => server_error(e),
    }
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    confirm: String,
}

/// `POST /me/delete`: deletes the account once the person has ticked the confirmation.
pub async fn post_delete_account(
    State(state): State<AppState>,
    Extension(privacy): Extension<Privacy>,
    Extension(rs): Extension<RequestSession>,
    Extension(ClientIp(client)): Extension<ClientIp>,
    Form(form): Form<DeleteForm>,
) -> Response {
    let Some((_, session)) = checked(&rs, &form.csrf) else {
        return forbidden();
    };
    let Some(user_id) = session.user_id else {
        return see_other("/login");
    };
    if form.confirm != "yes" {
        return see_other("/me?error=confirm");
    }
    match privacy.delete_account(user_id, &client, now_ms()).await {
        Ok(_) => {
            let mut res = see_other("/?deleted=1");
            res.headers_mut()
                .append(header::SET_COOKIE, clear_cookie(state.secure_cookies));
            res
        }
        Err(e) => server_error(e),
    }
}
