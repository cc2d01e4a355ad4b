//! What a handler takes from a request before it does anything, as extractors so no handler can
//! forget a step: a form whose CSRF token matches its session (`CheckedForm`), the same from a
//! signed-in person (`SignedInForm`), a multipart upload opened with its token checked before any
//! photo is read (`Upload`, `SignedInUpload`), the signed-in reader of a page (`SignedIn`), and
//! the page a sign-in step returns to (`ReturnTo`).

use crate::kernel::sessions::Session;
use crate::web::error::WebError;
use crate::web::session::{RequestSession, request_context};
use crate::web::state::AppState;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

const USE_THE_FORM: (&str, &str) = (
    "请通过页面上的表单提交。",
    "Use the form on the page to send this.",
);

/// The token every form carries, read on its own so the form's type need not name it.
#[derive(serde::Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

/// A form with nothing but its CSRF token (sign out, "me too", mark fixed).
#[derive(serde::Deserialize)]
pub struct NoFields {}

/// A url-encoded form post whose CSRF token matched the session: the form, who sent it, and the
/// request's head (so a refusal can render the same page again).
pub struct CheckedForm<T = NoFields> {
    pub form: T,
    /// The session cookie's token, and the session it names.
    pub token: String,
    pub session: Session,
    /// The client's address, as limits count it.
    pub client: String,
    pub parts: Parts,
}

impl<T: DeserializeOwned> FromRequest<AppState> for CheckedForm<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, WebError> {
        let (parts, body) = req.into_parts();
        let bytes =
            axum::body::Bytes::from_request(Request::from_parts(parts.clone(), body), state)
                .await
                .map_err(|_| WebError::Refused(StatusCode::PAYLOAD_TOO_LARGE, too_large()))?;
        // An unreadable form is refused as axum's `Form` refuses one (422), before its token.
        let form: T = serde_urlencoded::from_bytes(&bytes).map_err(|_| {
            WebError::Refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                crate::web::error::Text::new(USE_THE_FORM.0, USE_THE_FORM.1),
            )
        })?;
        let csrf = serde_urlencoded::from_bytes::<CsrfOnly>(&bytes)
            .map(|c| c.csrf)
            .unwrap_or_default();
        let (rs, client) = request_context(&parts);
        let (token, session) = checked(&rs, &csrf).ok_or(WebError::Forbidden)?;
        Ok(CheckedForm {
            form,
            token,
            session,
            client,
            parts,
        })
    }
}

fn too_large() -> crate::web::error::Text {
    crate::web::error::Text::new("表单内容太长。", "The form is too long.")
}

/// A `CheckedForm` from a signed-in person; anyone else is refused (403) before the handler runs.
pub struct SignedInForm<T = NoFields> {
    pub form: T,
    pub user_id: i64,
    pub client: String,
    pub parts: Parts,
}

impl<T: DeserializeOwned> FromRequest<AppState> for SignedInForm<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, WebError> {
        let checked = CheckedForm::<T>::from_request(req, state).await?;
        let user_id = checked.session.user_id.ok_or(WebError::Forbidden)?;
        Ok(SignedInForm {
            form: checked.form,
            user_id,
            client: checked.client,
            parts: checked.parts,
        })
    }
}

/// A multipart form post (a form with files), opened: who posts it and its fields still to read.
/// Every form sends its CSRF token first (`CsrfField` leads each form, and the offline queue keeps
/// the order), so a post without a session or with a wrong token is refused before the rest of its
/// body, photos and all, is read.
pub struct Upload {
    pub parts: Parts,
    pub session: RequestSession,
    pub client: String,
    pub user_id: Option<i64>,
    /// The fields after the token.
    pub fields: axum::extract::Multipart,
}

impl FromRequest<AppState> for Upload {
    type Rejection = WebError;

    async fn from_request(req: Request, _: &AppState) -> Result<Self, WebError> {
        let (parts, body) = req.into_parts();
        let (session, client) = request_context(&parts);
        let expected = session.session.as_ref().ok_or(WebError::Forbidden)?;
        let mut fields =
            axum::extract::Multipart::from_request(Request::from_parts(parts.clone(), body), &())
                .await
                .map_err(|_| WebError::bad_request(USE_THE_FORM.0, USE_THE_FORM.1))?;
        let csrf = match fields.next_field().await {
            Ok(Some(mut field)) if field.name() == Some("csrf") => read_token(&mut field).await,
            _ => None,
        };
        if !csrf.is_some_and(|t| expected.csrf_matches(&t)) {
            return Err(WebError::Forbidden);
        }
        let user_id = expected.user_id;
        Ok(Upload {
            parts,
            session,
            client,
            user_id,
            fields,
        })
    }
}

/// An `Upload` from a signed-in person; anyone else is refused (403) before a field is read.
pub struct SignedInUpload {
    pub parts: Parts,
    pub user_id: i64,
    pub client: String,
    pub fields: axum::extract::Multipart,
}

impl FromRequest<AppState> for SignedInUpload {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, WebError> {
        let upload = Upload::from_request(req, state).await?;
        let user_id = upload.user_id.ok_or(WebError::Forbidden)?;
        Ok(SignedInUpload {
            parts: upload.parts,
            user_id,
            client: upload.client,
            fields: upload.fields,
        })
    }
}

/// The signed-in reader of a page or download; anyone else goes to the sign-in page.
pub struct SignedIn(pub i64);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = axum::response::Response;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        let (rs, _) = request_context(parts);
        let here = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        rs.session
            .and_then(|s| s.user_id)
            .map(SignedIn)
            .ok_or_else(|| crate::web::error::see_other(&app::prefs::login_href(here)))
    }
}

/// The page a sign-in step returns to, from the `next` in its address (the sign-in page puts it
/// in every step's form action). Anything that is not a page of ours is dropped, not refused.
#[derive(Debug, Default)]
pub struct ReturnTo(Option<String>);

impl ReturnTo {
    /// Where to go once signed in.
    pub fn page(&self) -> &str {
        self.0.as_deref().unwrap_or("/me")
    }

    /// The sign-in page with `query` (`error=…`, or nothing), still carrying the return page.
    pub fn login(&self, query: &str) -> String {
        // Only a page worth returning to is kept, so `Some` always adds `?next=`.
        let base = app::prefs::login_href(self.0.as_deref().unwrap_or_default());
        match (query.is_empty(), self.0.is_some()) {
            (true, _) => base,
            (false, true) => format!("{base}&{query}"),
            (false, false) => format!("{base}?{query}"),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ReturnTo {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let next = form_urlencoded::parse(parts.uri.query().unwrap_or_default().as_bytes())
            .find(|(k, _)| k == "next")
            .and_then(|(_, v)| domain::account::return_to::after_sign_in(&v).map(str::to_owned));
        Ok(ReturnTo(next))
    }
}

/// A CSRF field's value; a field longer than any token is not one.
async fn read_token(field: &mut axum::extract::multipart::Field<'_>) -> Option<String> {
    let mut token = Vec::new();
    while let Ok(Some(chunk)) = field.chunk().await {
        token.extend_from_slice(&chunk);
        if token.len() > 128 {
            return None;
        }
    }
    String::from_utf8(token).ok()
}

/// The session token and session of a form post whose CSRF token matches.
fn checked(rs: &RequestSession, submitted: &str) -> Option<(String, Session)> {
    match (&rs.token, &rs.session) {
        (Some(t), Some(s)) if s.csrf_matches(submitted) => Some((t.clone(), s.clone())),
        _ => None,
    }
}

/// Reads one `photo` field of a multipart form into `intake`: an empty file is no photo, and a
/// file too large or unreadable is noted as a problem.
pub async fn read_photo_field(
    field: &mut axum::extract::multipart::Field<'_>,
    intake: &mut crate::kernel::photo_desk::PhotoIntake,
) {
    match read_capped(field).await {
        Ok(Some(bytes)) if bytes.is_empty() => {}
        Ok(Some(bytes)) => intake.files.push(bytes),
        Ok(None) => intake
            .problems
            .push(domain::cases::report::ReportProblem::PhotoTooLarge),
        Err(p) => intake.problems.push(p),
    }
}

/// Reads one uploaded file, never holding more than 10 MB of it: `None` when it was larger.
pub async fn read_capped(
    field: &mut axum::extract::multipart::Field<'_>,
) -> Result<Option<Vec<u8>>, domain::cases::report::ReportProblem> {
    let mut bytes = Vec::new();
    let mut too_large = false;
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|_| domain::cases::report::ReportProblem::PhotoUnreadable)?
    {
        if too_large {
            continue;
        }
        if bytes.len() + chunk.len() > domain::cases::report::PHOTO_MAX_BYTES {
            too_large = true;
            bytes = Vec::new();
        } else {
            bytes.extend_from_slice(&chunk);
        }
    }
    Ok((!too_large).then_some(bytes))
}
