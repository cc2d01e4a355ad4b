//! The staff console's form posts and the reporter's rating. Rules live in `workflow`; this module
//! reads the forms, and answers with a redirect, or the same page again with what to fix.

use crate::kernel::clock::now_ms;
use crate::web::error::{WebError, see_case, see_other};
use crate::web::extract::{CheckedForm, SignedInUpload};
use crate::web::state::AppState;
use crate::workflow::{ActError, StaffInput};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::cases::report::{MAX_PHOTOS, ReportProblem};
use domain::cases::tracking::TrackingCode;
use domain::ports::{StaffActionDraft, StaffProblem, Viewer};
use domain::workflow::WorkflowError;
use leptos::prelude::provide_context;
use serde::Deserialize;

use crate::workflow::Workflow;
use axum::Router;
use axum::routing::{get, post};

/// The staff console's actions, the reporter's rating and the board's CSV.
pub fn routes(workflow: Workflow) -> Router<AppState> {
    Router::new()
        .route("/case/{code}/rate", post(post_rate))
        .route("/staff/case/{code}", post(post_staff_action))
        .route("/board.csv", get(crate::workflow::board_web::get_board_csv))
        .layer(Extension(workflow))
}

fn no_such_case() -> WebError {
    WebError::not_found("没有这个案件。", "No such case.")
}

/// `POST /staff/case/{code}`: one workflow action, as a multipart form (result photos included).
pub async fn post_staff_action(
    Extension(workflow): Extension<Workflow>,
    State(state): State<AppState>,
    Path(code): Path<String>,
    mut post: SignedInUpload,
) -> Result<Response, WebError> {
    let mut input = StaffInput::default();
    // A one-tap action from the queue goes back to the queue.
    let mut back_to_queue = false;
    while let Ok(Some(mut field)) = post.fields.next_field().await {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "photo" {
            match crate::web::extract::read_capped(&mut field).await {
                Ok(Some(bytes)) if bytes.is_empty() => {}
                Ok(Some(_)) if input.photos.len() >= MAX_PHOTOS => {
                    input.intake_problems.push(ReportProblem::TooManyPhotos)
                }
                Ok(Some(bytes)) => input.photos.push(bytes),
                Ok(None) => input.intake_problems.push(ReportProblem::PhotoTooLarge),
                Err(p) => input.intake_problems.push(p),
            }
            continue;
        }
        let text = field.text().await.unwrap_or_default();
        match name.as_str() {
            "action" => input.action = text,
            "public_reply" => input.public_reply = text,
            "internal_note" => input.internal_note = text,
            "department" => input.department = text,
            "merge_into" => input.merge_into = text,
            "until" => input.until = text,
            "back" => back_to_queue = text == "queue",
            _ => {}
        }
    }
    let draft = StaffActionDraft {
        action: input.action.clone(),
        public_reply: input.public_reply.clone(),
        internal_note: input.internal_note.clone(),
        department: input.department.clone(),
        merge_into: input.merge_into.clone(),
        until: input.until.clone(),
        problems: Vec::new(),
    };
    let result = workflow
        .act(post.user_id, &code, input, &post.client, now_ms())
        .await;
    match result {
        Ok(action) if back_to_queue => Ok(see_other(&format!(
            "/staff?done={}&code={}",
            action.as_str(),
            code.trim().to_ascii_uppercase()
        ))),
        Ok(action) => Ok(see_other(&format!(
            "/staff/case/{}?done={}",
            code.trim().to_ascii_uppercase(),
            action.as_str()
        ))),
        Err(ActError::Refused(problems)) => {
            let forbidden_only = problems.iter().all(|p| {
                matches!(
                    p,
                    StaffProblem::OutsideYourScope
                        | StaffProblem::Workflow(WorkflowError::NotYourRole { .. })
                )
            });
            let draft = StaffActionDraft { problems, ..draft };
            let mut res = crate::web::render::render_page(&state, post.parts, None, move || {
                provide_context(draft.clone())
            })
            .await;
            *res.status_mut() = if forbidden_only {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            Ok(res)
        }
        Err(ActError::NotFound) => Err(no_such_case()),
        Err(e) => Err(WebError::internal(e)),
    }
}

#[derive(Deserialize)]
pub struct RateForm {
    #[serde(default)]
    level: String,
}

#[derive(Deserialize)]
pub struct KeyQuery {
    k: Option<String>,
}

/// `POST /case/{code}/rate`: the reporter rates a closed case (signed in, or by the private link).
pub async fn post_rate(
    Extension(workflow): Extension<Workflow>,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<KeyQuery>,
    Extension(viewer): Extension<Viewer>,
    post: CheckedForm<RateForm>,
) -> Result<Response, WebError> {
    let parsed = TrackingCode::parse(&code).map_err(|_| no_such_case())?;
    let key = q.k.as_deref().filter(|k| !k.is_empty());
    let back = |outcome: &str| {
        let remembered = key.map(|k| app::case_key::CaseKey {
            code: parsed.to_string(),
            key: k.to_owned(),
            photo_gps: None,
        });
        see_case(
            &state,
            remembered,
            &format!("/case/{parsed}?rated={outcome}#rate"),
        )
    };
    let result = workflow
        .rate(
            &code,
            key,
            viewer.user_id.map(|u| u.0),
            &post.form.level,
            &post.client,
            now_ms(),
        )
        .await;
    match result {
        Ok(true) => Ok(back("reopened")),
        Ok(false) => Ok(back("1")),
        Err(ActError::Refused(p))
            if p.iter().any(|p| {
                matches!(p, StaffProblem::Workflow(WorkflowError::NotYourRole { .. }))
            }) =>
        {
            Err(WebError::refused(
                StatusCode::FORBIDDEN,
                "只有反映问题的居民可以评价。",
                "Only the resident who reported it can rate a case.",
            ))
        }
        Err(ActError::Refused(p)) if p.contains(&StaffProblem::UnknownAction) => {
            Err(WebError::bad_request(
                "请选择满意、基本满意或不满意。",
                "Choose satisfied, mostly satisfied or not satisfied.",
            ))
        }
        Err(ActError::Refused(_)) => Ok(back("refused")),
        Err(ActError::NotFound) => Err(no_such_case()),
        Err(e) => Err(WebError::internal(e)),
    }
}
