//! The volunteer's shift form post (multipart: an issue may carry photos). Rules live in
//! `domain::supervision` and `shifts`; this module reads the form and answers with a redirect, or
//! the same page again with what to fix.

use crate::kernel::clock::now_ms;
use crate::sorting::SurveyError;
use crate::sorting::shifts::ShiftError;
use crate::web::error::{forbidden, see_other, server_error};
use crate::web::extract::{MultipartPost, open_multipart};
use crate::web::state::AppState;
use axum::Extension;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::ports::ShiftDraft;
use domain::supervision::{COUNT_FIELDS, SurveyProblem};
use leptos::prelude::provide_context;

use crate::cases::Cases;
use crate::kernel::store::Store;
use crate::sorting::Sorting;
use crate::sorting::shifts::Shifts;
use axum::Router;
use axum::routing::post;

/// A volunteer's shifts and surveys, issues handed over, and collection points.
pub fn routes(sorting: Sorting, shifts: Shifts, cases: Cases, store: Store) -> Router<AppState> {
    Router::new()
        .route("/sorting/shift", post(post_shift))
        .route("/sorting/survey", post(post_survey))
        .route("/sorting/issue/{id}/fixed", post(post_issue_fixed))
        .route("/sorting/issue/{id}/case", post(post_issue_case))
        .route("/sorting/issue/{id}/photos", post(post_issue_photos))
        .route("/sorting/point", post(post_point))
        .layer(axum::Extension(sorting))
        .layer(axum::Extension(shifts))
        .layer(axum::Extension(cases))
        .layer(axum::Extension(store))
}

/// `POST /sorting/shift`: a volunteer logs a finished shift.
pub async fn post_shift(
    Extension(shifts): Extension<Shifts>,
    State(state): State<AppState>,
    req: Request,
) -> Response {
    let MultipartPost {
        parts,
        session,
        csrf,
        fields: mut multipart,
        ..
    } = match open_multipart(
        req,
        "请通过督导员页面上的表单提交。",
        "Use the form on the volunteer page.",
    )
    .await
    {
        Ok(p) => p,
        Err(refusal) => return refusal,
    };
    let mut draft = ShiftDraft {
        counts: vec![String::new(); COUNT_FIELDS.len()],
        ..Default::default()
    };
    let mut photos = crate::kernel::photo_desk::PhotoIntake::default();
    while let Ok(Some(mut field)) = multipart.next_field().await {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "photo" {
            crate::web::extract::read_photo_field(&mut field, &mut photos).await;
            continue;
        }
        let text = field.text().await.unwrap_or_default();
        match name.as_str() {
            "point" => draft.point = text,
            "date" => draft.date = text,
            "start" => draft.start = text,
            "end" => draft.end = text,
            "households" => draft.households = text,
            "reason" => draft.reason = text,
            "issue_kind" => draft.issue_kind = text,
            "issue_note" => draft.issue_note = text,
            other => {
                if let Some(i) = COUNT_FIELDS.iter().position(|f| *f == other) {
                    draft.counts[i] = text;
                }
            }
        }
    }
    let Some(user_id) = crate::web::extract::signed_in_poster(&session, &csrf) else {
        return forbidden();
    };
    match shifts.log(user_id, &draft, photos, now_ms()).await {
        Ok(_) => see_other("/sorting/shift?done=1"),
        Err(ShiftError::Refused(problems)) => {
            let draft = ShiftDraft { problems, ..draft };
            let mut res = crate::web::render::render_page(&state, parts, None, move || {
                provide_context(draft.clone())
            })
            .await;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            res
        }
        Err(ShiftError::Store(e)) => server_error(e),
    }
}

#[derive(serde::Deserialize)]
pub struct SurveyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    community: String,
    #[serde(default)]
    month: String,
    #[serde(default)]
    asked: String,
    #[serde(default)]
    correct: String,
}

/// `POST /sorting/survey`: the council records a month's awareness survey; back to the community's
/// figures, saying what happened (`survey=done`, or the fields to fix).
pub async fn post_survey(
    Extension(sorting): Extension<Sorting>,
    axum::Extension(rs): axum::Extension<crate::web::session::RequestSession>,
    axum::Form(form): axum::Form<SurveyForm>,
) -> Response {
    let Some(user_id) = crate::web::extract::signed_in_poster(&rs, &form.csrf) else {
        return forbidden();
    };
    let community: String = form
        .community
        .chars()
        .filter(char::is_ascii_digit)
        .take(12)
        .collect();
    let outcome = match sorting
        .record_survey(
            user_id,
            &community,
            &form.month,
            &form.asked,
            &form.correct,
            now_ms(),
        )
        .await
    {
        Ok(()) => "done".to_owned(),
        Err(SurveyError::Refused(problems)) => problems
            .iter()
            .map(|p| match p {
                SurveyProblem::Asked => "asked",
                SurveyProblem::Correct => "correct",
                SurveyProblem::Month => "month",
            })
            .collect::<Vec<_>>()
            .join(","),
        Err(SurveyError::Forbidden) => return forbidden(),
        Err(SurveyError::Store(e)) => return server_error(e),
    };
    see_other(&format!("/sorting?c={community}&survey={outcome}#points"))
}

#[derive(serde::Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

/// `POST /sorting/issue/{id}/fixed`: the council marks a volunteer's issue fixed.
pub async fn post_issue_fixed(
    Extension(store): Extension<Store>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    axum::Extension(rs): axum::Extension<crate::web::session::RequestSession>,
    axum::Form(form): axum::Form<CsrfOnly>,
) -> Response {
    let Some(user_id) = crate::web::extract::signed_in_poster(&rs, &form.csrf) else {
        return forbidden();
    };
    match crate::sorting::board::mark_fixed(&store, user_id, id, now_ms()).await {
        Ok(community) => see_other(&format!("/sorting/community/{community}?fixed=1#issues")),
        Err(crate::sorting::board::FixError::Forbidden) => forbidden(),
        Err(crate::sorting::board::FixError::NotOpen) => crate::web::error::plain_error(
            StatusCode::NOT_FOUND,
            "没有这个待处理的问题。",
            "No such open issue.",
        ),
        // Marking fixed files no case, so it is never refused as one.
        Err(e @ crate::sorting::board::FixError::CaseRefused(_)) => server_error(e),
        Err(crate::sorting::board::FixError::Store(e)) => server_error(e),
    }
}

#[derive(serde::Deserialize)]
pub struct PhotosForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    action: String,
}

/// `POST /sorting/issue/{id}/photos`: the council hides (`action=hide`) or shows an issue's photos.
pub async fn post_issue_photos(
    Extension(store): Extension<Store>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    axum::Extension(rs): axum::Extension<crate::web::session::RequestSession>,
    axum::Form(form): axum::Form<PhotosForm>,
) -> Response {
    let Some(user_id) = crate::web::extract::signed_in_poster(&rs, &form.csrf) else {
        return forbidden();
    };
    let hide = match form.action.as_str() {
        "hide" => true,
        "show" => false,
        _ => {
            return crate::web::error::plain_error(
                StatusCode::BAD_REQUEST,
                "未知的操作。",
                "Unknown action.",
            );
        }
    };
    match crate::sorting::board::set_issue_photos_hidden(&store, user_id, id, hide, now_ms()).await
    {
        Ok(community) => see_other(&format!("/sorting/community/{community}#issues")),
        Err(crate::sorting::board::FixError::Forbidden) => forbidden(),
        Err(crate::sorting::board::FixError::NotOpen) => crate::web::error::plain_error(
            StatusCode::NOT_FOUND,
            "没有这个问题。",
            "No such issue.",
        ),
        Err(e) => server_error(e),
    }
}

/// `POST /sorting/issue/{id}/case`: the council hands an issue to the department as a case.
pub async fn post_issue_case(
    Extension(cases): Extension<Cases>,
    Extension(store): Extension<Store>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    axum::Extension(rs): axum::Extension<crate::web::session::RequestSession>,
    axum::Form(form): axum::Form<CsrfOnly>,
) -> Response {
    let Some(user_id) = crate::web::extract::signed_in_poster(&rs, &form.csrf) else {
        return forbidden();
    };
    match crate::sorting::board::hand_over(&store, &cases, user_id, id, now_ms()).await {
        Ok((community, code)) => see_other(&format!(
            "/sorting/community/{community}?case={code}#issues"
        )),
        Err(crate::sorting::board::FixError::Forbidden) => forbidden(),
        Err(crate::sorting::board::FixError::NotOpen) => crate::web::error::plain_error(
            StatusCode::NOT_FOUND,
            "没有这个待处理的问题，或已经转交。",
            "No such open issue, or it was handed over already.",
        ),
        Err(crate::sorting::board::FixError::CaseRefused(problems)) => {
            tracing::warn!(issue = id, ?problems, "shift issue refused as a case");
            crate::web::error::plain_error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "无法立案：投放点的位置不在任何网格内，请先在投放点页面更正位置。",
                "The case was refused: the point lies outside every grid; correct its place first.",
            )
        }
        Err(crate::sorting::board::FixError::Store(e)) => server_error(e),
    }
}

/// The largest point form accepted (a name, numbers, windows and a few dozen phones).
const MAX_POINT_FORM_BYTES: usize = 16 * 1024;

/// `POST /sorting/point`: the council adds or changes a collection point and its volunteers; back
/// to the community's points, or the same form again with what to fix.
pub async fn post_point(
    Extension(sorting): Extension<Sorting>,
    State(state): State<AppState>,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_POINT_FORM_BYTES).await else {
        return crate::web::error::plain_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "表单内容太长。",
            "The form is too long.",
        );
    };
    let mut form = domain::supervision::PointForm::default();
    let mut csrf = String::new();
    for (name, value) in form_urlencoded::parse(&bytes) {
        let value = value.into_owned();
        match name.as_ref() {
            "csrf" => csrf = value,
            "id" => form.id = value,
            "community" => form.community = value,
            "name" => form.name = value,
            "lat" => form.lat = value,
            "lng" => form.lng = value,
            "households" => form.households = value,
            "bin" => form.bins.push(value),
            "windows" => form.windows = value,
            "volunteers" => form.volunteers = value,
            _ => {}
        }
    }
    let session = parts
        .extensions
        .get::<crate::web::session::RequestSession>()
        .cloned()
        .unwrap_or_default();
    let client = parts
        .extensions
        .get::<crate::web::session::ClientIp>()
        .map(|c| c.0.clone())
        .unwrap_or_default();
    let Some(user_id) = crate::web::extract::signed_in_poster(&session, &csrf) else {
        return forbidden();
    };
    match sorting.save_point(user_id, &form, &client, now_ms()).await {
        Ok((id, community)) => see_other(&format!("/sorting?c={community}&saved={id}#point-{id}")),
        Err(crate::sorting::points::PointError::Refused(problems)) => {
            let refusal = (form, problems);
            let mut res = crate::web::render::render_page(&state, parts, None, move || {
                provide_context(domain::ports::PointRefusal {
                    form: refusal.0.clone(),
                    problems: refusal.1.clone(),
                })
            })
            .await;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            res
        }
        Err(crate::sorting::points::PointError::Forbidden) => forbidden(),
        Err(crate::sorting::points::PointError::Store(e)) => server_error(e),
    }
}
