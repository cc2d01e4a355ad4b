//! `/api/v1/categories`, `/api/v1/territories` and `/api/v1/cases[/{code}]`: what can be reported, where, and the de-identified cases.

use crate::open_data::api::{ApiError, ApiNames, error, ok, unavailable};
use crate::web::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use domain::ports::{CaseFilter, CaseLookup};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct ApiCategory {
    /// "S0301"; a sub-category's code starts with its class's.
    pub code: String,
    pub names: ApiNames,
    /// The department that handles it.
    pub department: ApiNames,
    /// What else a report of this category is asked; send the answers as Open311 attributes.
    pub questions: Vec<ApiQuestion>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiQuestion {
    /// The answer's Open311 name is `attribute[code]`.
    pub code: String,
    /// "string", "number", "text", "singlevaluelist" or "multivaluelist".
    pub datatype: String,
    pub required: bool,
    pub prompt: ApiNames,
    /// For the list types, in the order they are offered.
    pub choices: Vec<ApiChoice>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiChoice {
    pub key: String,
    pub names: ApiNames,
}

#[derive(Serialize, ToSchema)]
pub struct ApiCategoryClass {
    /// "S03".
    pub code: String,
    /// "component" (部件) or "event" (事件).
    pub kind: String,
    pub names: ApiNames,
    pub categories: Vec<ApiCategory>,
}

/// The categories a report is filed under, by class.
#[utoipa::path(get, path = "/api/v1/categories", tag = "cases",
    responses((status = 200, body = [ApiCategoryClass]), (status = 503, body = ApiError)))]
pub async fn categories(State(state): State<AppState>) -> Response {
    match state.server_context.catalogue.categories().await {
        Ok(groups) => ok(groups
            .iter()
            .map(|g| ApiCategoryClass {
                code: g.code.clone(),
                kind: match g.kind {
                    domain::cases::category::CategoryKind::Component => "component",
                    domain::cases::category::CategoryKind::Event => "event",
                }
                .to_owned(),
                names: (&g.names).into(),
                categories: g
                    .subs
                    .iter()
                    .map(|s| ApiCategory {
                        code: s.code.clone(),
                        names: (&s.names).into(),
                        department: (&s.department).into(),
                        questions: s
                            .questions
                            .iter()
                            .map(|q| ApiQuestion {
                                code: q.code.clone(),
                                datatype: q.kind.as_str().to_owned(),
                                required: q.required,
                                prompt: (&q.prompt).into(),
                                choices: q
                                    .choices
                                    .iter()
                                    .map(|c| ApiChoice {
                                        key: c.key.clone(),
                                        names: (&c.names).into(),
                                    })
                                    .collect(),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect::<Vec<_>>()),
        Err(e) => unavailable(e),
    }
}

#[derive(Serialize, ToSchema)]
pub struct ApiTerritory {
    /// 6 digits for a district, 9 for a street, 12 for a community.
    pub code: String,
    /// The enclosing territory's code; none for a district.
    pub parent: Option<String>,
    /// "district", "street" or "community".
    pub level: String,
    pub names: ApiNames,
}

/// The city's districts, streets and communities (grid cells are on the map).
#[utoipa::path(get, path = "/api/v1/territories", tag = "places",
    responses((status = 200, body = [ApiTerritory]), (status = 503, body = ApiError)))]
pub async fn territories(State(state): State<AppState>) -> Response {
    match state.server_context.catalogue.territories().await {
        Ok(list) => ok(list
            .into_iter()
            .map(|t| ApiTerritory {
                code: t.code,
                parent: t.parent,
                level: t.level,
                names: (&t.names).into(),
            })
            .collect::<Vec<_>>()),
        Err(e) => unavailable(e),
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseQuery {
    /// "west,south,east,north" in WGS-84 degrees; the whole city when absent.
    #[serde(default)]
    pub bbox: Option<String>,
    /// A category ("S0301") or class ("S03") code.
    #[serde(default)]
    pub category: Option<String>,
    /// "open" (the default), "closed" or "all".
    #[serde(default)]
    pub state: Option<String>,
    /// Pages of 30, newest first, from 0.
    #[serde(default)]
    pub page: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiCaseSummary {
    /// The tracking code, e.g. "XM-2026-000123".
    pub code: String,
    pub category: ApiNames,
    /// reported, registered, dispatched, handled, verified or closed.
    pub stage: String,
    /// The public text (phone and ID numbers masked), shortened.
    pub excerpt: String,
    pub community: ApiNames,
    /// Neighbours who said "me too".
    pub me_too: u32,
    /// W3C datetime, China time.
    pub created: String,
    pub updated: String,
}

/// Cases, newest first, 30 a page.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(CaseQuery),
    responses((status = 200, body = [ApiCaseSummary]), (status = 400, body = ApiError),
        (status = 503, body = ApiError)))]
pub async fn cases(
    State(state): State<AppState>,
    q: Result<Query<CaseQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(q)) = q else {
        return error(
            StatusCode::BAD_REQUEST,
            "page must be a whole number from 0 to 1000",
        );
    };
    let view = match q.bbox.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
        None => None,
        Some(b) => match domain::cases::cluster::MapView::parse(b, "16") {
            Ok(v) => Some(v),
            Err(_) => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "bbox must be west,south,east,north in degrees",
                );
            }
        },
    };
    let Some(filter_state) =
        domain::cases::cluster::StateFilter::parse(q.state.as_deref().unwrap_or(""))
    else {
        return error(StatusCode::BAD_REQUEST, "state must be open, closed or all");
    };
    let category = q.category.unwrap_or_default();
    if !category.trim().is_empty()
        && domain::cases::category::CategoryCode::parse(category.trim()).is_err()
    {
        return error(
            StatusCode::BAD_REQUEST,
            "category must be a code like S03 or S0301",
        );
    }
    let page = q.page.unwrap_or(0);
    if page > 1000 {
        return error(StatusCode::BAD_REQUEST, "page must be 0 to 1000");
    }
    let filter = CaseFilter {
        view,
        category,
        state: filter_state,
    };
    match state.server_context.cases.case_list(&filter, page).await {
        Ok(items) => ok(items
            .iter()
            .map(|c| ApiCaseSummary {
                code: c.code.clone(),
                category: (&c.category).into(),
                stage: c.stage.as_str().to_owned(),
                excerpt: c.excerpt.clone(),
                community: (&c.community).into(),
                me_too: c.me_too,
                created: domain::open_data::open311::w3c_datetime(c.created_ms),
                updated: domain::open_data::open311::w3c_datetime(c.updated_ms),
            })
            .collect::<Vec<_>>()),
        Err(e) => unavailable(e),
    }
}

#[derive(Serialize, ToSchema)]
pub struct ApiCaseEvent {
    pub stage: String,
    pub at: String,
    /// What staff wrote for the public (a result, a rejection's reason).
    pub text: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiCase {
    pub code: String,
    pub category_code: String,
    pub category: ApiNames,
    pub department: ApiNames,
    pub stage: String,
    pub description: String,
    /// Rounded to about 100 m.
    pub lat: f64,
    pub lng: f64,
    pub district: ApiNames,
    pub street: ApiNames,
    pub community: ApiNames,
    pub created: String,
    /// When the department must have handled it, if dispatched.
    pub deadline: Option<String>,
    pub timeline: Vec<ApiCaseEvent>,
    pub me_too: u32,
    pub followers: u32,
    /// The case this one was merged into.
    pub merged_into: Option<String>,
    /// Answers to the category's extra questions.
    pub answers: Vec<ApiAnswer>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiAnswer {
    pub question: ApiNames,
    pub answer: ApiNames,
}

/// One case by its tracking code.
#[utoipa::path(get, path = "/api/v1/cases/{code}", tag = "cases",
    params(("code" = String, Path, description = "Tracking code, e.g. XM-2026-000123",
        pattern = "^XM-[0-9]{4}-[0-9]{6,9}$")),
    responses((status = 200, body = ApiCase), (status = 400, body = ApiError),
        (status = 404, body = ApiError), (status = 429, body = ApiError),
        (status = 503, body = ApiError)))]
pub async fn case(
    State(state): State<AppState>,
    Path(code): Path<String>,
    axum::Extension(crate::web::session::ClientIp(client)): axum::Extension<
        crate::web::session::ClientIp,
    >,
) -> Response {
    match state
        .server_context
        .cases
        .case_view(&code, None, None, &client)
        .await
    {
        Ok(CaseLookup::Found(c)) => ok(ApiCase {
            code: c.code.clone(),
            category_code: c.category_code.clone(),
            category: (&c.category).into(),
            department: (&c.department).into(),
            stage: c.stage.as_str().to_owned(),
            description: c.description.clone(),
            lat: c.approx_position.0,
            lng: c.approx_position.1,
            district: (&c.district).into(),
            street: (&c.street).into(),
            community: (&c.community).into(),
            created: domain::open_data::open311::w3c_datetime(c.created_ms),
            deadline: c.deadline_ms.map(domain::open_data::open311::w3c_datetime),
            timeline: c
                .timeline
                .iter()
                .map(|e| ApiCaseEvent {
                    stage: e.stage.as_str().to_owned(),
                    at: domain::open_data::open311::w3c_datetime(e.at_ms),
                    text: e.public_text.clone(),
                })
                .collect(),
            me_too: c.me_too,
            followers: c.followers,
            merged_into: c.merged_into.clone(),
            answers: c
                .answers
                .iter()
                .map(|(q, a)| ApiAnswer {
                    question: q.into(),
                    answer: a.into(),
                })
                .collect(),
        }),
        Ok(CaseLookup::Malformed) => error(
            StatusCode::BAD_REQUEST,
            "not a tracking code (like XM-2026-000123)",
        ),
        Ok(CaseLookup::NotFound) => error(StatusCode::NOT_FOUND, "no such case"),
        Ok(CaseLookup::Limited(secs)) => {
            let mut res = error(
                StatusCode::TOO_MANY_REQUESTS,
                "too many unknown codes from this address; wait",
            );
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            res
        }
        Err(e) => unavailable(e),
    }
}
