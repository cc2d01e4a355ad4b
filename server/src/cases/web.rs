//! The HTTP side of reporting: the report form's multipart post (it works without JavaScript, photos
//! included), "me too", tracking-code lookups and photo files. Rules stay in `cases` and `domain`.

use crate::cases::{MeToo, Moderation, ModerationError, ReportSubmission, SubmitError};
use crate::kernel::clock::now_ms;
use crate::web::error::{plain_error, see_other};
use crate::web::extract::read_capped;
use crate::web::session::{ClientIp, RequestSession};
use crate::web::state::AppState;
use axum::Extension;
use axum::extract::{Multipart, Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::ports::{ReportDraft, Viewer};
use domain::report::{MAX_PHOTOS, ReportProblem};
use domain::throttle::RetryAfter;
use domain::tracking::TrackingCode;
use leptos::prelude::provide_context;
use serde::Deserialize;

use crate::cases::Cases;
use crate::kernel::sessions::Sessions;
use axum::Router;
use axum::routing::{get, post};

/// Reporting, a case's page (comments, me-too, moderation, follows, feeds, live updates) and photos.
pub fn routes(cases: Cases, sessions: Sessions) -> Router<AppState> {
    Router::new()
        .route("/report", post(post_report))
        .route("/case/{code}", post(post_comment))
        .route("/case/{code}/me-too", post(post_me_too))
        .route("/case/{code}/moderate", post(post_moderate))
        .route("/track/go", get(get_lookup))
        .route("/media/{*key}", get(get_media))
        .merge(crate::cases::feeds::routes())
        .layer(axum::Extension(cases))
        .layer(axum::Extension(sessions))
}

fn too_many(wait: RetryAfter) -> Response {
    let mut res = plain_error(
        StatusCode::TOO_MANY_REQUESTS,
        &format!("提交太频繁，请 {} 秒后再试。", wait.seconds()),
        &format!("Too many requests; try again in {} s.", wait.seconds()),
    );
    if let Ok(v) = HeaderValue::from_str(&wait.seconds().to_string()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

/// The photo decoder is full: try again in a moment (nothing was stored).
fn busy() -> Response {
    let mut res = plain_error(
        StatusCode::SERVICE_UNAVAILABLE,
        "现在处理照片的人太多，请稍等几秒再提交，内容不会丢失。",
        "Too many photos are being processed right now; send again in a few seconds.",
    );
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("10"));
    res
}

/// What the multipart body held, before any rule is applied.
struct ReadForm {
    csrf: String,
    submission: ReportSubmission,
}

/// More answer fields than any category could ask for are ignored.
const MAX_ANSWER_FIELDS: usize = 64;

/// Reads the form. Files beyond the third, and any file over 10 MB, are not kept in memory: they
/// only leave a problem behind.
async fn read_form(mut multipart: Multipart, csrf: String) -> Result<ReadForm, ReportProblem> {
    let mut sub = ReportSubmission::default();
    let v = &mut sub.values;
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|_| ReportProblem::PhotoUnreadable)?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "photo" {
            let has_name = field.file_name().is_some_and(|n| !n.is_empty());
            let upload = read_capped(&mut field).await?;
            // A file input left empty still sends a part with no name and no bytes.
            if !has_name && upload.as_ref().is_some_and(Vec::is_empty) {
                continue;
            }
            v.photos_sent += 1;
            match upload {
                None => push_once(&mut sub.intake_problems, ReportProblem::PhotoTooLarge),
                Some(_) if sub.photos.len() >= MAX_PHOTOS => {
                    push_once(&mut sub.intake_problems, ReportProblem::TooManyPhotos)
                }
                Some(bytes) => sub.photos.push(bytes),
            }
            continue;
        }
        let text = field.text().await.unwrap_or_default();
        match name.as_str() {
            "category" => v.category = text,
            "description" => v.description = text,
            "lat" => v.lat = text,
            "lng" => v.lng = text,
            "location_source" => v.location_source = text,
            "community" => v.community = text,
            "address" => v.address = text,
            "anonymous" => v.anonymous = !text.is_empty(),
            "contact_phone" => v.contact_phone = text,
            _ => {
                // The category's extra questions: `attribute[code]`, as Open311 names them.
                if let Some(code) = name
                    .strip_prefix("attribute[")
                    .and_then(|rest| rest.strip_suffix(']'))
                    .filter(|code| !code.is_empty())
                    && v.answers.len() < MAX_ANSWER_FIELDS
                {
                    v.answers.push((code.to_owned(), text));
                }
            }
        }
    }
    Ok(ReadForm {
        csrf,
        submission: sub,
    })
}

fn push_once(problems: &mut Vec<ReportProblem>, p: ReportProblem) {
    if !problems.contains(&p) {
        problems.push(p);
    }
}

/// `POST /report`: file the report and go to its page, or show the form again, filled in, with
/// what to fix (422).
pub async fn post_report(
    Extension(cases): Extension<Cases>,
    State(state): State<AppState>,
    req: Request,
) -> Response {
    let post = match crate::web::extract::open_multipart(
        req,
        "请通过报事页面的表单提交。",
        "Send the report with the form on the report page.",
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
        user_id,
        csrf,
        fields: multipart,
    } = post;
    let form = match read_form(multipart, csrf).await {
        Ok(f) => f,
        Err(_) => {
            return plain_error(
                StatusCode::BAD_REQUEST,
                "上传没有完整到达，请重试。",
                "The upload did not arrive complete; please try again.",
            );
        }
    };
    if !rs
        .session
        .as_ref()
        .is_some_and(|s| s.csrf_matches(&form.csrf))
    {
        return crate::web::error::forbidden();
    }
    let values = form.submission.values.clone();
    match cases
        .submit(form.submission, user_id, &client, now_ms())
        .await
    {
        Ok(done) => {
            let to = format!("/case/{}?new=1", done.code);
            let key = app::case_key::CaseKey {
                code: done.code.to_string(),
                key: done.follow_key,
                photo_gps: done.photo_gps,
            };
            crate::web::error::see_case(&state, Some(key), &to)
        }
        Err(SubmitError::Invalid(problems)) => {
            let draft = ReportDraft { values, problems };
            let mut res = crate::web::render::render_page(&state, parts, None, move || {
                provide_context(draft.clone())
            })
            .await;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            res
        }
        Err(SubmitError::Limited(wait)) => too_many(wait),
        Err(SubmitError::Busy) => busy(),
        Err(e) => crate::web::error::server_error(e),
    }
}

#[derive(Deserialize)]
pub struct MeTooForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /case/{code}/me-too`: count a neighbour on an open case, then back to its page.
pub async fn post_me_too(
    Extension(cases): Extension<Cases>,
    Path(code): Path<String>,
    Extension(rs): Extension<RequestSession>,
    Extension(ClientIp(client)): Extension<ClientIp>,
    Extension(viewer): Extension<Viewer>,
    axum::Form(form): axum::Form<MeTooForm>,
) -> Response {
    if !rs
        .session
        .as_ref()
        .is_some_and(|s| s.csrf_matches(&form.csrf))
    {
        return crate::web::error::forbidden();
    }
    let Ok(parsed) = TrackingCode::parse(&code) else {
        return plain_error(StatusCode::NOT_FOUND, "没有这个案件。", "No such case.");
    };
    let result = cases
        .me_too(
            &code,
            viewer.user_id,
            rs.token.as_deref(),
            &client,
            now_ms(),
        )
        .await;
    match result {
        Ok(MeToo::Counted | MeToo::AlreadyCounted) => {
            see_other(&format!("/case/{parsed}?joined=1"))
        }
        Ok(MeToo::Closed) => see_other(&format!("/case/{parsed}?joined=closed")),
        Ok(MeToo::NoSuchCase) => {
            plain_error(StatusCode::NOT_FOUND, "没有这个案件。", "No such case.")
        }
        Ok(MeToo::NoSession) => crate::web::error::forbidden(),
        Err(SubmitError::Limited(wait)) => too_many(wait),
        Err(SubmitError::Busy) => busy(),
        Err(e) => crate::web::error::server_error(e),
    }
}

#[derive(Deserialize)]
pub struct LookupQuery {
    #[serde(default)]
    code: String,
}

/// `GET /track/go?code=…`: the tracking form's target. A well-formed code goes to its page (which
/// says whether it exists, under the lookup limit); anything else back to the form.
pub async fn get_lookup(Query(q): Query<LookupQuery>) -> Response {
    match TrackingCode::parse(&q.code) {
        Ok(code) => see_other(&format!("/case/{code}")),
        Err(_) => see_other("/track?error=format"),
    }
}

/// `GET /media/{key}`: a re-encoded photo, unless moderation has hidden it.
pub async fn get_media(Extension(cases): Extension<Cases>, Path(key): Path<String>) -> Response {
    let well_formed = key.starts_with("cases/")
        && key.ends_with(".jpg")
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._".contains(&b));
    if !well_formed {
        return StatusCode::NOT_FOUND.into_response();
    }
    match cases.visible_photo(&key).await {
        Ok(Some(bytes)) => (
            [
                (header::CONTENT_TYPE, "image/jpeg"),
                // Keys are random and never reused; hiding a photo takes effect within an hour.
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => crate::web::error::server_error(e),
    }
}

#[derive(Deserialize)]
pub struct ModerateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    position: Option<u32>,
    #[serde(default)]
    comment: Option<i64>,
    #[serde(default)]
    text: String,
}

/// `POST /case/{code}/moderate`: an operator hides or shows a photo or a follow-up, or edits the
/// public text.
pub async fn post_moderate(
    Extension(sessions): Extension<Sessions>,
    Extension(cases): Extension<Cases>,
    Path(code): Path<String>,
    Extension(rs): Extension<RequestSession>,
    Extension(ClientIp(client)): Extension<ClientIp>,
    axum::Form(form): axum::Form<ModerateForm>,
) -> Response {
    let Some(session) = rs.session.as_ref().filter(|s| s.csrf_matches(&form.csrf)) else {
        return crate::web::error::forbidden();
    };
    let Some(user_id) = session.user_id else {
        return see_other("/login");
    };
    let change = match (form.action.as_str(), form.position) {
        ("hide", Some(p)) => Moderation::HidePhoto(p),
        ("show", Some(p)) => Moderation::ShowPhoto(p),
        ("edit", _) => Moderation::EditDescription(form.text),
        ("restore", _) => Moderation::RestoreDescription,
        ("hide_comment", _) if form.comment.is_some() => {
            Moderation::HideComment(form.comment.unwrap_or_default())
        }
        ("show_comment", _) if form.comment.is_some() => {
            Moderation::ShowComment(form.comment.unwrap_or_default())
        }
        _ => {
            return plain_error(
                StatusCode::BAD_REQUEST,
                "未知的操作。",
                "Unknown moderation action.",
            );
        }
    };
    let grants: Vec<_> = match sessions.grants(user_id).await {
        Ok(g) => g.into_iter().map(|(g, _)| g).collect(),
        Err(e) => return crate::web::error::server_error(e),
    };
    let result = cases
        .moderate(&code, change, (user_id, &grants), &client, now_ms())
        .await;
    match result {
        Ok(()) => see_other(&format!(
            "/case/{}?moderated=1",
            code.trim().to_ascii_uppercase()
        )),
        Err(ModerationError::Forbidden) => plain_error(
            StatusCode::FORBIDDEN,
            "你没有处理这个案件的权限。",
            "You may not moderate this case.",
        ),
        Err(ModerationError::NoSuchCase | ModerationError::NoSuchPhoto) => plain_error(
            StatusCode::NOT_FOUND,
            "没有这个案件或照片。",
            "No such case or photo.",
        ),
        Err(ModerationError::Invalid(_)) => plain_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "公开描述需要 5–4000 字。",
            "The public description needs 5 to 4000 characters.",
        ),
        Err(e) => crate::web::error::server_error(e),
    }
}

#[derive(Deserialize)]
pub struct KeyQuery {
    #[serde(default)]
    k: Option<String>,
}

/// `POST /case/{code}` (multipart): the reporter's follow-up note and optional photo. A refused one
/// comes back on the same page (422) with the text kept.
pub async fn post_comment(
    Extension(cases): Extension<Cases>,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<KeyQuery>,
    req: Request,
) -> Response {
    let post = match crate::web::extract::open_multipart(
        req,
        "请通过案件页面的表单提交。",
        "Use the form on the case page.",
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
        user_id,
        csrf,
        fields: mut multipart,
    } = post;
    let (mut text, mut photo, mut upload_problem) = (String::new(), None, None);
    while let Ok(Some(mut field)) = multipart.next_field().await {
        match field.name().unwrap_or_default() {
            "photo" => match read_capped(&mut field).await {
                Ok(Some(bytes)) if !bytes.is_empty() => photo = Some(bytes),
                Ok(Some(_)) => {}
                Ok(None) => upload_problem = Some(ReportProblem::PhotoTooLarge),
                Err(p) => upload_problem = Some(p),
            },
            "body" => text = field.text().await.unwrap_or_default(),
            _ => {}
        }
    }
    if !rs.session.as_ref().is_some_and(|s| s.csrf_matches(&csrf)) {
        return crate::web::error::forbidden();
    }
    let result = if let Some(problem) = upload_problem {
        Err(SubmitError::Invalid(vec![problem]))
    } else {
        cases
            .add_comment(
                &code,
                q.k.as_deref(),
                user_id,
                &text,
                photo,
                &client,
                now_ms(),
            )
            .await
    };
    match result {
        Ok(()) => {
            let code = code.trim().to_ascii_uppercase();
            let key =
                q.k.filter(|k| !k.is_empty())
                    .map(|key| app::case_key::CaseKey {
                        code: code.clone(),
                        key,
                        photo_gps: None,
                    });
            crate::web::error::see_case(&state, key, &format!("/case/{code}?commented=1#comments"))
        }
        Err(SubmitError::Invalid(problems)) => {
            let draft = app::api::CommentDraft { text, problems };
            let mut res = crate::web::render::render_page(&state, parts, None, move || {
                provide_context(draft.clone())
            })
            .await;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            res
        }
        Err(SubmitError::Limited(wait)) => too_many(wait),
        Err(SubmitError::Busy) => busy(),
        Err(e) => crate::web::error::server_error(e),
    }
}
