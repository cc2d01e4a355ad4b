//! What a handler takes from a request before it does anything: the multipart opening with its
//! CSRF check, and the session behind a form post.

use crate::kernel::sessions::Session;
use crate::web::error::{forbidden, plain_error};
use crate::web::session::{RequestSession, request_context};
use axum::http::StatusCode;
use axum::response::Response;

/// A multipart form post (a form with files), opened: who posts it and its fields still to read.
/// `parts` is kept so a refusal can render the page again at the same address.
pub struct MultipartPost {
    pub parts: axum::http::request::Parts,
    pub session: RequestSession,
    pub client: String,
    pub user_id: Option<i64>,
    /// The form's CSRF token, already checked against the session.
    pub csrf: String,
    /// The fields after the token.
    pub fields: axum::extract::Multipart,
}

/// Opens a multipart post; anything else gets a 400 telling which form to use (`use_form_zh/en`).
pub async fn open_multipart(
    req: axum::extract::Request,
    use_form_zh: &str,
    use_form_en: &str,
) -> Result<MultipartPost, Response> {
    use axum::extract::FromRequest;
    let (parts, body) = req.into_parts();
    let (session, client) = request_context(&parts);
    let user_id = parts
        .extensions
        .get::<domain::ports::Viewer>()
        .and_then(|v| v.user_id);
    let mut fields = axum::extract::Multipart::from_request(
        axum::extract::Request::from_parts(parts.clone(), body),
        &(),
    )
    .await
    .map_err(|_| plain_error(StatusCode::BAD_REQUEST, use_form_zh, use_form_en))?;
    // Every form sends its CSRF token first (`CsrfField` leads each form, and the offline queue
    // keeps the order): a post without a session or with a wrong token is refused before the rest
    // of its body, photos and all, is read.
    let Some(expected) = session.session.as_ref() else {
        return Err(forbidden());
    };
    let csrf = match fields.next_field().await {
        Ok(Some(field)) if field.name() == Some("csrf") => {
            let mut field = field;
            read_token(&mut field).await
        }
        _ => None,
    };
    let Some(csrf) = csrf.filter(|t| expected.csrf_matches(t)) else {
        return Err(forbidden());
    };
    Ok(MultipartPost {
        parts,
        session,
        client,
        user_id,
        csrf,
        fields,
    })
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

/// The signed-in person behind a form post whose CSRF token matches; `None` otherwise.
pub fn signed_in_poster(rs: &RequestSession, csrf: &str) -> Option<i64> {
    rs.session
        .as_ref()
        .filter(|s| s.csrf_matches(csrf))
        .and_then(|s| s.user_id)
}

/// The session token and session of a form post whose CSRF token matches.
pub fn checked(rs: &RequestSession, submitted: &str) -> Option<(String, Session)> {
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
            .push(domain::report::ReportProblem::PhotoTooLarge),
        Err(p) => intake.problems.push(p),
    }
}

/// Reads one uploaded file, never holding more than 10 MB of it: `None` when it was larger.
pub async fn read_capped(
    field: &mut axum::extract::multipart::Field<'_>,
) -> Result<Option<Vec<u8>>, domain::report::ReportProblem> {
    let mut bytes = Vec::new();
    let mut too_large = false;
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|_| domain::report::ReportProblem::PhotoUnreadable)?
    {
        if too_large {
            continue;
        }
        if bytes.len() + chunk.len() > domain::report::PHOTO_MAX_BYTES {
            too_large = true;
            bytes = Vec::new();
        } else {
            bytes.extend_from_slice(&chunk);
        }
    }
    Ok((!too_large).then_some(bytes))
}
