//! The volunteer's shift form post (multipart: an issue may carry photos). Rules live in
//! `domain::sorting::supervision` and `shifts`; this module reads the form and answers with a redirect, or
//! the same page again with what to fix.

use crate::kernel::clock::now_ms;
use crate::sorting::SurveyError;
use crate::sorting::issues::{self, FixError};
use crate::sorting::points::PointError;
use crate::sorting::shifts::ShiftError;
use crate::web::error::{WebError, see_other};
use crate::web::extract::{SignedInForm, SignedInUpload};
use crate::web::state::AppState;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use domain::ports::ShiftDraft;
use domain::sorting::supervision::{COUNT_FIELDS, SurveyProblem};
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
    mut post: SignedInUpload,
) -> Result<Response, WebError> {
    let mut draft = ShiftDraft {
        counts: vec![String::new(); COUNT_FIELDS.len()],
        ..Default::default()
    };
    let mut photos = crate::kernel::photo_desk::PhotoIntake::default();
    while let Ok(Some(mut field)) = post.fields.next_field().await {
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
    match shifts.log(post.user_id, &draft, photos, now_ms()).await {
        Ok(_) => Ok(see_other("/sorting/shift?done=1")),
        Err(ShiftError::Refused(problems)) => {
            let draft = ShiftDraft { problems, ..draft };
            let mut res = crate::web::render::render_page(&state, post.parts, None, move || {
                provide_context(draft.clone())
            })
            .await;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(ShiftError::Store(e)) => Err(e.into()),
    }
}

#[derive(serde::Deserialize)]
pub struct SurveyForm {
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
    post: SignedInForm<SurveyForm>,
) -> Result<Response, WebError> {
    let (user_id, form) = (post.user_id, post.form);
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
        Err(SurveyError::Forbidden) => return Err(WebError::Forbidden),
        Err(SurveyError::Store(e)) => return Err(e.into()),
    };
    Ok(see_other(&format!(
        "/sorting?c={community}&survey={outcome}#points"
    )))
}

/// How a refused issue action reads: not the council's (403), no such open issue (404), or the
/// case refused (422).
fn issue_refusal(e: FixError, missing: (&'static str, &'static str), id: i64) -> WebError {
    match e {
        FixError::Forbidden => WebError::Forbidden,
        FixError::NotOpen => WebError::not_found(missing.0, missing.1),
        FixError::CaseRefused(problems) => {
            tracing::warn!(issue = id, ?problems, "shift issue refused as a case");
            WebError::refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                "无法立案：投放点的位置不在任何网格内，请先在投放点页面更正位置。",
                "The case was refused: the point lies outside every grid; correct its place first.",
            )
        }
        FixError::Store(e) => e.into(),
    }
}

/// `POST /sorting/issue/{id}/fixed`: the council marks a volunteer's issue fixed.
pub async fn post_issue_fixed(
    Extension(store): Extension<Store>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    post: SignedInForm,
) -> Result<Response, WebError> {
    let community = issues::mark_fixed(&store, post.user_id, id, now_ms())
        .await
        .map_err(|e| issue_refusal(e, ("没有这个待处理的问题。", "No such open issue."), id))?;
    Ok(see_other(&format!(
        "/sorting/community/{community}?fixed=1#issues"
    )))
}

#[derive(serde::Deserialize)]
pub struct PhotosForm {
    #[serde(default)]
    action: String,
}

/// `POST /sorting/issue/{id}/photos`: the council hides (`action=hide`) or shows an issue's photos.
pub async fn post_issue_photos(
    Extension(store): Extension<Store>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    post: SignedInForm<PhotosForm>,
) -> Result<Response, WebError> {
    let hide = match post.form.action.as_str() {
        "hide" => true,
        "show" => false,
        _ => return Err(WebError::bad_request("未知的操作。", "Unknown action.")),
    };
    let community = issues::set_issue_photos_hidden(&store, post.user_id, id, hide, now_ms())
        .await
        .map_err(|e| issue_refusal(e, ("没有这个问题。", "No such issue."), id))?;
    Ok(see_other(&format!("/sorting/community/{community}#issues")))
}

/// `POST /sorting/issue/{id}/case`: the council hands an issue to the department as a case.
pub async fn post_issue_case(
    Extension(cases): Extension<Cases>,
    Extension(store): Extension<Store>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    post: SignedInForm,
) -> Result<Response, WebError> {
    let missing = (
        "没有这个待处理的问题，或已经转交。",
        "No such open issue, or it was handed over already.",
    );
    let (community, code) = issues::hand_over(&store, &cases, post.user_id, id, now_ms())
        .await
        .map_err(|e| issue_refusal(e, missing, id))?;
    Ok(see_other(&format!(
        "/sorting/community/{community}?case={code}#issues"
    )))
}

/// `POST /sorting/point`: the council adds or changes a collection point and its volunteers; back
/// to the community's points, or the same form again with what to fix. Read as pairs, since a
/// point takes several `bin` fields.
pub async fn post_point(
    Extension(sorting): Extension<Sorting>,
    State(state): State<AppState>,
    post: SignedInForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let mut form = domain::sorting::supervision::PointForm::default();
    for (name, value) in post.form {
        match name.as_str() {
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
    match sorting
        .save_point(post.user_id, &form, &post.client, now_ms())
        .await
    {
        Ok((id, community)) => Ok(see_other(&format!(
            "/sorting?c={community}&saved={id}#point-{id}"
        ))),
        Err(PointError::Refused(problems)) => {
            let refusal = (form, problems);
            let mut res = crate::web::render::render_page(&state, post.parts, None, move || {
                provide_context(domain::ports::PointRefusal {
                    form: refusal.0.clone(),
                    problems: refusal.1.clone(),
                })
            })
            .await;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(PointError::Forbidden) => Err(WebError::Forbidden),
        Err(PointError::Store(e)) => Err(e.into()),
    }
}
