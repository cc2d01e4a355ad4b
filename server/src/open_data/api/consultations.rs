//! `/api/v1/consultations[/{id}]`: consultations and their published results.

use crate::open_data::api::{ApiError, ApiNames, error, ok, unavailable};
use crate::web::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct ApiConsultationSummary {
    pub id: i64,
    pub title: String,
    pub community: ApiNames,
    /// What is decided, e.g. 加装电梯.
    pub matter: ApiNames,
    /// draft, comment, vote, closed, published or followup.
    pub phase: String,
    pub vote_from: String,
    pub vote_until: String,
}

/// 共谋 consultations, newest first.
#[utoipa::path(get, path = "/api/v1/consultations", tag = "consultations",
    responses((status = 200, body = [ApiConsultationSummary]), (status = 503, body = ApiError)))]
pub async fn consultations(State(state): State<AppState>) -> Response {
    match state.server_context.consult.consult_list(None).await {
        Ok(list) => ok(list
            .items
            .iter()
            .map(|c| ApiConsultationSummary {
                id: c.id,
                title: c.title.clone(),
                community: (&c.community).into(),
                matter: (&c.matter).into(),
                phase: c.phase.as_str().to_owned(),
                vote_from: domain::open_data::open311::w3c_datetime(c.vote_from),
                vote_until: domain::open_data::open311::w3c_datetime(c.vote_until),
            })
            .collect::<Vec<_>>()),
        Err(e) => unavailable(e),
    }
}

/// Units and owners (heads) behind a share of the vote; area in m², exact to the hundredth.
#[derive(Serialize, ToSchema)]
pub struct ApiShare {
    pub area_m2: String,
    pub heads: u64,
}

impl From<&domain::consult::Share> for ApiShare {
    fn from(s: &domain::consult::Share) -> Self {
        ApiShare {
            area_m2: s.area.to_string(),
            heads: s.heads,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ApiOptionResult {
    pub label: String,
    pub support: ApiShare,
    pub area_reached: bool,
    pub heads_reached: bool,
}

/// A published result, frozen at publication (民法典 art. 278: area and heads both count).
#[derive(Serialize, ToSchema)]
pub struct ApiResult {
    pub total: ApiShare,
    pub participating: ApiShare,
    pub abstain: ApiShare,
    pub quorum_area_reached: bool,
    pub quorum_heads_reached: bool,
    pub options: Vec<ApiOptionResult>,
    /// The option decided, if any.
    pub decided: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiConsultation {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub community_code: String,
    pub community: ApiNames,
    pub matter: ApiNames,
    /// The law the rule comes from.
    pub basis: ApiNames,
    pub phase: String,
    /// Present once the council published the result.
    pub result: Option<ApiResult>,
}

/// One consultation; its result once published.
#[utoipa::path(get, path = "/api/v1/consultations/{id}", tag = "consultations",
    params(("id" = i64, Path, description = "The consultation's number")),
    responses((status = 200, body = ApiConsultation), (status = 404, body = ApiError),
        (status = 503, body = ApiError)))]
pub async fn consultation(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let Ok(id) = id.trim().parse::<i64>() else {
        return error(StatusCode::NOT_FOUND, "no such consultation");
    };
    match state.server_context.consult.consult_view(id, None).await {
        Ok(Some(c)) => {
            let labels: Vec<String> = domain::consult::answer_labels(&c.options)
                .into_iter()
                .map(|(zh, en)| if zh == en { zh } else { format!("{zh} {en}") })
                .collect();
            let result = c
                .result
                .as_ref()
                .filter(|r| r.published)
                .map(|r| ApiResult {
                    total: (&r.tally.total).into(),
                    participating: (&r.tally.participating).into(),
                    abstain: (&r.tally.abstain).into(),
                    quorum_area_reached: r.tally.quorum_area_reached,
                    quorum_heads_reached: r.tally.quorum_heads_reached,
                    options: r
                        .tally
                        .options
                        .iter()
                        .enumerate()
                        .map(|(i, o)| ApiOptionResult {
                            label: labels.get(i).cloned().unwrap_or_else(|| format!("#{i}")),
                            support: (&o.support).into(),
                            area_reached: o.area_reached,
                            heads_reached: o.heads_reached,
                        })
                        .collect(),
                    decided: r
                        .tally
                        .decided
                        .map(|i| labels.get(usize::from(i)).cloned().unwrap_or_default()),
                });
            ok(ApiConsultation {
                id: c.id,
                title: c.title.clone(),
                body: c.body.clone(),
                community_code: c.community_code.clone(),
                community: (&c.community).into(),
                matter: (&c.matter.names).into(),
                basis: (&c.matter.basis).into(),
                phase: c.phase.as_str().to_owned(),
                result,
            })
        }
        Ok(None) => error(StatusCode::NOT_FOUND, "no such consultation"),
        Err(e) => unavailable(e),
    }
}
