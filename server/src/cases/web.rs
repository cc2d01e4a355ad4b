//! The HTTP side of reporting: the report form's multipart post (it works without JavaScript, photos
//! included), "me too", tracking-code lookups and photo files. Rules stay in `cases` and `domain`.

use crate::cases::moderation::{Moderation, ModerationError};
use crate::cases::{MeToo, ReportSubmission, SubmitError};
use crate::kernel::clock::now_ms;
use crate::web::error::{Text, WebError, see_case, see_other};
use crate::web::extract::{CheckedForm, Upload, read_capped};
use crate::web::state::AppState;
use axum::Extension;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::cases::report::{MAX_PHOTOS, ReportProblem};
use domain::cases::tracking::TrackingCode;
use domain::ports::{ReportDraft, Viewer};
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

/// A submission that was not refused for what it said: over its limit (429), the photo decoder
/// full (503; nothing was stored), or a failure of ours.
fn failed(e: SubmitError) -> WebError {
    match e {
        SubmitError::Limited(wait) => WebError::Later(
            StatusCode::TOO_MANY_REQUESTS,
            Text {
                zh: format!("提交太频繁，请 {} 秒后再试。", wait.seconds()).into(),
                en: format!("Too many requests; try again in {} s.", wait.seconds()).into(),
            },
            u64::try_from(wait.seconds()).unwrap_or(1),
        ),
        SubmitError::Busy => WebError::Later(
            StatusCode::SERVICE_UNAVAILABLE,
            Text::new(
                "现在处理照片的人太多，请稍等几秒再提交，内容不会丢失。",
                "Too many photos are being processed right now; send again in a few seconds.",
            ),
            10,
        ),
        e => WebError::internal(e),
    }
}

fn no_such_case() -> WebError {
    WebError::not_found("没有这个案件。", "No such case.")
}

/// What the multipart body held, before any rule is applied.
struct ReadForm {
    submission: ReportSubmission,
}

/// More answer fields than any category could ask for are ignored.
const MAX_ANSWER_FIELDS: usize = 64;

/// Reads the form. Files beyond the third, and any file over 10 MB, are not kept in memory: they
/// only leave a problem behind.
async fn read_form(mut multipart: Multipart) -> Result<ReadForm, ReportProblem> {
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
    Ok(ReadForm { submission: sub })
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
    post: Upload,
) -> Result<Response, WebError> {
    let Ok(form) = read_form(post.fields).await else {
        return Err(WebError::bad_request(
            "上传没有完整到达，请重试。",
            "The upload did not arrive complete; please try again.",
        ));
    };
    let values = form.submission.values.clone();
    match cases
        .submit(form.submission, post.user_id, &post.client, now_ms())
        .await
    {
        Ok(done) => {
            let to = format!("/case/{}?new=1", done.code);
            let key = app::case_key::CaseKey {
                code: done.code.to_string(),
                key: done.follow_key,
                photo_gps: done.photo_gps,
            };
            Ok(see_case(&state, Some(key), &to))
        }
        Err(SubmitError::Invalid(problems)) => {
            let draft = ReportDraft { values, problems };
            let mut res = crate::web::render::render_page(&state, post.parts, None, move || {
                provide_context(draft.clone())
            })
            .await;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(failed(e)),
    }
}

/// `POST /case/{code}/me-too`: count a neighbour on an open case, then back to its page.
pub async fn post_me_too(
    Extension(cases): Extension<Cases>,
    Path(code): Path<String>,
    Extension(viewer): Extension<Viewer>,
    post: CheckedForm,
) -> Result<Response, WebError> {
    let parsed = TrackingCode::parse(&code).map_err(|_| no_such_case())?;
    let result = cases
        .me_too(
            &code,
            viewer.user_id.map(|u| u.0),
            Some(&post.token),
            &post.client,
            now_ms(),
        )
        .await;
    match result {
        Ok(MeToo::Counted | MeToo::AlreadyCounted) => {
            Ok(see_other(&format!("/case/{parsed}?joined=1")))
        }
        Ok(MeToo::Closed) => Ok(see_other(&format!("/case/{parsed}?joined=closed"))),
        Ok(MeToo::NoSuchCase) => Err(no_such_case()),
        Ok(MeToo::NoSession) => Err(WebError::Forbidden),
        Err(e) => Err(failed(e)),
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
pub async fn get_media(
    Extension(cases): Extension<Cases>,
    Path(key): Path<String>,
) -> Result<Response, WebError> {
    let well_formed = key.starts_with("cases/")
        && key.ends_with(".jpg")
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._".contains(&b));
    if !well_formed {
        return Ok(StatusCode::NOT_FOUND.into_response());
    }
    match cases
        .visible_photo(&key)
        .await
        .map_err(WebError::internal)?
    {
        Some(bytes) => Ok((
            [
                (header::CONTENT_TYPE, "image/jpeg"),
                // Keys are random and never reused; hiding a photo takes effect within an hour.
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            bytes,
        )
            .into_response()),
        None => Ok(StatusCode::NOT_FOUND.into_response()),
    }
}

#[derive(Deserialize)]
pub struct ModerateForm {
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
    post: CheckedForm<ModerateForm>,
) -> Result<Response, WebError> {
    let Some(user_id) = post.session.user_id else {
        return Ok(see_other("/login"));
    };
    let form = post.form;
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
            return Err(WebError::bad_request(
                "未知的操作。",
                "Unknown moderation action.",
            ));
        }
    };
    let grants: Vec<_> = sessions
        .grants(user_id)
        .await?
        .into_iter()
        .map(|(g, _)| g)
        .collect();
    let result = cases
        .moderate(&code, change, (user_id, &grants), &post.client, now_ms())
        .await;
    match result {
        Ok(()) => Ok(see_other(&format!(
            "/case/{}?moderated=1",
            code.trim().to_ascii_uppercase()
        ))),
        Err(ModerationError::Forbidden) => Err(WebError::refused(
            StatusCode::FORBIDDEN,
            "你没有处理这个案件的权限。",
            "You may not moderate this case.",
        )),
        Err(ModerationError::NoSuchCase | ModerationError::NoSuchPhoto) => Err(
            WebError::not_found("没有这个案件或照片。", "No such case or photo."),
        ),
        Err(ModerationError::Invalid(_)) => Err(WebError::refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "公开描述需要 5–4000 字。",
            "The public description needs 5 to 4000 characters.",
        )),
        Err(e) => Err(WebError::internal(e)),
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
    mut post: Upload,
) -> Result<Response, WebError> {
    let (mut text, mut photo, mut upload_problem) = (String::new(), None, None);
    while let Ok(Some(mut field)) = post.fields.next_field().await {
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
    let result = if let Some(problem) = upload_problem {
        Err(SubmitError::Invalid(vec![problem]))
    } else {
        cases
            .add_comment(
                &code,
                q.k.as_deref(),
                post.user_id,
                &text,
                photo,
                &post.client,
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
            Ok(see_case(
                &state,
                key,
                &format!("/case/{code}?commented=1#comments"),
            ))
        }
        Err(SubmitError::Invalid(problems)) => {
            let draft = app::cases::api::CommentDraft { text, problems };
            let mut res = crate::web::render::render_page(&state, post.parts, None, move || {
                provide_context(draft.clone())
            })
            .await;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(failed(e)),
    }
}
