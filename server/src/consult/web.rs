//! The consultation pages' form posts. Every form is multipart (the roster carries a file; the others
//! share the reader). Rules live in `consult`; this module reads the form and answers with a
//! redirect, or the same page again with what to fix.

use crate::consult::ConsultError;
use crate::kernel::clock::now_ms;
use crate::web::error::{WebError, see_other};
use crate::web::extract::SignedInUpload;
use crate::web::state::AppState;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::consult::{Phase, RosterProblem, RosterProblemKind};
use domain::ports::{ConsultForm, ConsultProblem, ConsultRefusal, UnitLabel};
use leptos::prelude::provide_context;
use std::collections::HashMap;

use crate::consult::Consultations;
use axum::Router;
use axum::routing::post;

/// Creating a consultation, importing a roster, and every post on a consultation's page.
pub fn routes(consult: Consultations) -> Router<AppState> {
    Router::new()
        .route("/consult/new", post(post_new))
        .route("/consult/roster", post(post_roster))
        .route("/consult/{id}", post(post_consult))
        .layer(axum::Extension(consult))
}

/// A roster file larger than this is not one community's roster.
const MAX_ROSTER_BYTES: usize = 20 * 1024 * 1024;

/// A posted consultation form: its text fields, the roster file if any, and who sent it.
struct Posted {
    parts: axum::http::request::Parts,
    user_id: i64,
    fields: HashMap<String, String>,
    file: Option<Vec<u8>>,
    file_too_big: bool,
    photos: crate::consult::PhotoIntake,
}

impl Posted {
    fn get(&self, name: &str) -> &str {
        self.fields
            .get(name)
            .map(String::as_str)
            .unwrap_or_default()
    }
}

async fn read(post: SignedInUpload) -> Posted {
    let SignedInUpload {
        parts,
        user_id,
        fields: mut multipart,
        ..
    } = post;
    let mut fields = HashMap::new();
    let mut file = None;
    let mut file_too_big = false;
    let mut photos = crate::consult::PhotoIntake::default();
    while let Ok(Some(mut field)) = multipart.next_field().await {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "photo" {
            crate::web::extract::read_photo_field(&mut field, &mut photos).await;
            continue;
        }
        if name == "roster" {
            let mut bytes = Vec::new();
            while let Ok(Some(chunk)) = field.chunk().await {
                if bytes.len() + chunk.len() > MAX_ROSTER_BYTES {
                    file_too_big = true;
                    break;
                }
                bytes.extend_from_slice(&chunk);
            }
            file = Some(bytes);
            continue;
        }
        let text = field.text().await.unwrap_or_default();
        fields.insert(name, text);
    }
    Posted {
        parts,
        user_id,
        fields,
        file,
        file_too_big,
        photos,
    }
}

/// The answer to a refused or failed consultation post.
async fn answer_error(
    state: &AppState,
    posted: Posted,
    refusal: ConsultRefusal,
    e: ConsultError,
) -> Result<Response, WebError> {
    match e {
        ConsultError::Refused(problems) => {
            let refusal = ConsultRefusal {
                problems,
                ..refusal
            };
            let mut res = crate::web::render::render_page(state, posted.parts, None, move || {
                provide_context(refusal.clone())
            })
            .await;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        ConsultError::Forbidden => Err(WebError::refused(
            StatusCode::FORBIDDEN,
            "只有本社区共建理事会成员可以这样做。",
            "Only members of this community's council can do this.",
        )),
        ConsultError::NotFound => Err(WebError::not_found(
            "没有这个征询。",
            "No such consultation.",
        )),
        ConsultError::Store(e) => Err(e.into()),
    }
}

fn form_of(p: &Posted) -> ConsultForm {
    ConsultForm {
        community: p.get("community").to_owned(),
        title: p.get("title").to_owned(),
        body: p.get("body").to_owned(),
        matter: p.get("matter").to_owned(),
        scope_kind: p.get("scope_kind").to_owned(),
        buildings: p.get("buildings").to_owned(),
        building: p.get("building").to_owned(),
        stairwell: p.get("stairwell").to_owned(),
        question: p.get("question").to_owned(),
        options: p.get("options").to_owned(),
        open_voting: !p.get("open_voting").is_empty(),
        comment_from: p.get("comment_from").to_owned(),
        vote_from: p.get("vote_from").to_owned(),
        vote_until: p.get("vote_until").to_owned(),
    }
}

/// `POST /consult/new`: a council member creates a consultation.
pub async fn post_new(
    Extension(consult): Extension<Consultations>,
    State(state): State<AppState>,
    post: SignedInUpload,
) -> Result<Response, WebError> {
    let mut posted = read(post).await;
    let user_id = posted.user_id;
    let form = form_of(&posted);
    let photos = std::mem::take(&mut posted.photos);
    match consult.create(user_id, &form, photos, now_ms()).await {
        Ok(id) => Ok(see_other(&format!("/consult/{id}?done=created"))),
        Err(e) => {
            let refusal = ConsultRefusal {
                form: "create".into(),
                create: Some(form),
                ..Default::default()
            };
            answer_error(&state, posted, refusal, e).await
        }
    }
}

/// `POST /consult/roster`: the council imports its community's owner roster (CSV).
pub async fn post_roster(
    Extension(consult): Extension<Consultations>,
    State(state): State<AppState>,
    post: SignedInUpload,
) -> Result<Response, WebError> {
    let posted = read(post).await;
    let user_id = posted.user_id;
    let community = posted.get("community").to_owned();
    let result = if posted.file_too_big {
        Err(ConsultError::Refused(vec![ConsultProblem::Roster(vec![
            RosterProblem {
                line: 0,
                kind: RosterProblemKind::TooManyRows,
            },
        ])]))
    } else {
        let bytes = posted.file.clone().unwrap_or_default();
        consult
            .import_roster(user_id, &community, &bytes, now_ms())
            .await
    };
    match result {
        Ok(s) => Ok(see_other(&format!(
            "/consult/roster?community={community}&added={}&updated={}",
            s.added, s.updated
        ))),
        Err(e) => {
            let refusal = ConsultRefusal {
                form: "roster".into(),
                text: community,
                ..Default::default()
            };
            answer_error(&state, posted, refusal, e).await
        }
    }
}

/// What an action did, the part of the page to return to, and the text to keep in the form if
/// it was refused; `None` for an action the page does not offer.
type OpDone = (Result<(), ConsultError>, &'static str, String);

/// Runs the action the form's `op` names.
async fn run_op(
    consult: &Consultations,
    posted: &Posted,
    photos: crate::consult::PhotoIntake,
    id: i64,
    op: &str,
    now: i64,
) -> Option<OpDone> {
    let number = |name: &str| posted.get(name).trim().parse::<i64>().ok();
    let user_id = posted.user_id;
    let done = match op {
        "vote" => (
            consult
                .vote(user_id, id, posted.get("choice"), now)
                .await
                .map(|_| ()),
            "vote",
            String::new(),
        ),
        "paper" => {
            let unit = UnitLabel {
                building: posted.get("building").to_owned(),
                stairwell: posted.get("stairwell").to_owned(),
                unit: posted.get("unit").to_owned(),
            };
            (
                consult
                    .enter_paper(
                        user_id,
                        id,
                        &unit,
                        posted.get("choice"),
                        posted.get("paper_ref"),
                        now,
                    )
                    .await
                    .map(|_| ()),
                "paper",
                posted.get("paper_ref").to_owned(),
            )
        }
        "phase" => {
            let result = match Phase::parse(posted.get("to")) {
                Some(to) => consult.advance(user_id, id, to, now).await,
                None => Err(ConsultError::Refused(vec![ConsultProblem::PhaseOrder])),
            };
            (result, "phases", String::new())
        }
        "comment" => (
            consult
                .comment(
                    user_id,
                    id,
                    number("parent"),
                    posted.get("stance"),
                    posted.get("body"),
                    now,
                )
                .await
                .map(|_| ()),
            "comments",
            posted.get("body").to_owned(),
        ),
        "report" => (
            match number("comment") {
                Some(c) => consult
                    .report_comment(user_id, id, c, now)
                    .await
                    .map(|_| ()),
                None => Err(ConsultError::Refused(vec![ConsultProblem::NoSuchComment])),
            },
            "comments",
            String::new(),
        ),
        "review" => (
            match number("comment") {
                Some(c) => {
                    consult
                        .review_comment(user_id, id, c, posted.get("keep") == "1", now)
                        .await
                }
                None => Err(ConsultError::Refused(vec![ConsultProblem::NoSuchComment])),
            },
            "comments",
            String::new(),
        ),
        "update" => (
            consult
                .add_update(user_id, id, posted.get("body"), photos, now)
                .await,
            "updates",
            posted.get("body").to_owned(),
        ),
        _ => return None,
    };
    Some(done)
}

/// `POST /consult/{id}`: one action on a consultation, named by the `op` field.
pub async fn post_consult(
    Extension(consult): Extension<Consultations>,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    post: SignedInUpload,
) -> Result<Response, WebError> {
    let mut posted = read(post).await;
    let photos = std::mem::take(&mut posted.photos);
    let now = now_ms();
    let op = posted.get("op").to_owned();
    let Some((result, anchor, text)) = run_op(&consult, &posted, photos, id, &op, now).await else {
        return Err(WebError::bad_request(
            "请通过共谋页面上的表单提交。",
            "Use the form on the consultation page.",
        ));
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/consult/{id}?done={op}#{anchor}"))),
        Err(e) => {
            let refusal = ConsultRefusal {
                form: op,
                text,
                ..Default::default()
            };
            answer_error(&state, posted, refusal, e).await
        }
    }
}
