//! `/api/v1/`: the portal's public data as JSON for our own clients and for open-data users, through
//! the same service layer (`PortalQueries`) as the pages. The answer types here are the API's
//! contract, kept apart from the pages' view types so a page can change without breaking clients;
//! the OpenAPI 3.1 document at `/api/v1/openapi.json` is generated from them and from the handlers'
//! annotations. Nothing here carries who reported a case.

use crate::web::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::ports::{CaseFilter, CaseLookup, Names};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use axum::Router;
use axum::routing::get;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/docs", get(docs))
        .route("/api/v1/categories", get(categories))
        .route("/api/v1/territories", get(territories))
        .route("/api/v1/cases", get(cases))
        .route("/api/v1/cases/{code}", get(case))
        .route("/api/v1/consultations", get(consultations))
        .route("/api/v1/consultations/{id}", get(consultation))
        .route("/api/v1/sorting/ranking", get(ranking))
        .route("/api/v1/sorting/communities/{code}", get(community_sorting))
        .route("/api/v1/{*rest}", get(not_found))
}

/// A name in both languages: Chinese (official) and English.
#[derive(Serialize, ToSchema)]
pub struct ApiNames {
    pub zh: String,
    pub en: String,
}

impl From<&Names> for ApiNames {
    fn from(n: &Names) -> Self {
        ApiNames {
            zh: n.zh.clone(),
            en: n.en.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ApiError {
    /// What went wrong, in English.
    pub error: String,
}

fn error(status: StatusCode, text: &str) -> Response {
    (
        status,
        Json(ApiError {
            error: text.to_owned(),
        }),
    )
        .into_response()
}

fn unavailable(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "api request failed");
    error(
        StatusCode::SERVICE_UNAVAILABLE,
        "the store is not answering",
    )
}

fn ok<T: Serialize>(body: T) -> Response {
    let mut res = Json(body).into_response();
    res.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    res
}

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

/// A rate as a fraction; percent is absent when there is nothing to divide.
#[derive(Serialize, ToSchema)]
pub struct ApiRatio {
    pub part: u32,
    pub whole: u32,
    pub percent: Option<f64>,
}

fn ratio(r: Option<domain::workflow::board::Ratio>) -> Option<ApiRatio> {
    r.map(|r| ApiRatio {
        part: r.part,
        whole: r.whole,
        percent: r.percent(),
    })
}

/// 参与率, 准确率 (overall and per bin: recyclable, hazardous, kitchen, other), 知晓率 and the
/// coverage behind them, as defined on the dashboard.
#[derive(Serialize, ToSchema)]
pub struct ApiRates {
    pub participation: Option<ApiRatio>,
    pub accuracy: Option<ApiRatio>,
    pub accuracy_by_bin: Vec<Option<ApiRatio>>,
    pub awareness: Option<ApiRatio>,
    pub coverage: Option<ApiRatio>,
}

impl From<&domain::sorting::supervision::Rates> for ApiRates {
    fn from(r: &domain::sorting::supervision::Rates) -> Self {
        ApiRates {
            participation: ratio(r.participation),
            accuracy: ratio(r.accuracy),
            accuracy_by_bin: r.accuracy_by_bin.iter().map(|x| ratio(*x)).collect(),
            awareness: ratio(r.awareness),
            coverage: ratio(r.coverage),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ApiRankRow {
    pub code: String,
    pub names: ApiNames,
    pub rates: ApiRates,
}

#[derive(Serialize, ToSchema)]
pub struct ApiRanking {
    pub area_code: Option<String>,
    pub month: String,
    pub min_coverage_percent: u32,
    /// 红榜 first, 黑榜 last.
    pub ranked: Vec<ApiRankRow>,
    /// Below the minimum coverage.
    pub unranked: Vec<ApiRankRow>,
    pub area: Option<ApiRates>,
    pub city: ApiRates,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RankingQuery {
    /// A street (9 digits) or district (6 digits); the whole city when absent.
    #[serde(default)]
    pub area: Option<String>,
    /// "2026-11"; this month when absent.
    #[serde(default)]
    pub month: Option<String>,
}

/// 红黑榜: communities ranked by waste-sorting participation, then accuracy.
#[utoipa::path(get, path = "/api/v1/sorting/ranking", tag = "waste sorting", params(RankingQuery),
    responses((status = 200, body = ApiRanking), (status = 503, body = ApiError)))]
pub async fn ranking(State(state): State<AppState>, Query(q): Query<RankingQuery>) -> Response {
    let (area, month) = (q.area.unwrap_or_default(), q.month.unwrap_or_default());
    match state
        .server_context
        .sorting
        .sorting_ranking(&area, &month)
        .await
    {
        Ok(r) => {
            let rows = |rows: &[domain::ports::RankRow]| {
                rows.iter()
                    .map(|x| ApiRankRow {
                        code: x.code.clone(),
                        names: (&x.names).into(),
                        rates: (&x.rates).into(),
                    })
                    .collect()
            };
            ok(ApiRanking {
                area_code: r.area.as_ref().map(|(c, _)| c.clone()),
                month: r.month.clone(),
                min_coverage_percent: r.min_coverage_percent,
                ranked: rows(&r.ranked),
                unranked: rows(&r.unranked),
                area: r.area_rates.as_ref().map(Into::into),
                city: (&r.city).into(),
            })
        }
        Err(e) => unavailable(e),
    }
}

#[derive(Serialize, ToSchema)]
pub struct ApiMonth {
    pub month: String,
    pub rates: ApiRates,
}

#[derive(Serialize, ToSchema)]
pub struct ApiIssue {
    pub date: String,
    pub point: String,
    /// overflowing, mixed, bin_missing or other.
    pub kind: String,
    pub note: String,
    pub fixed: bool,
    /// The case it was handed over as.
    pub case_code: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiCommunitySorting {
    pub code: String,
    pub names: ApiNames,
    /// Twelve months, oldest first.
    pub months: Vec<ApiMonth>,
    pub issues: Vec<ApiIssue>,
}

/// One community's waste-sorting dashboard: twelve months of rates and the latest issues.
#[utoipa::path(get, path = "/api/v1/sorting/communities/{code}", tag = "waste sorting",
    params(("code" = String, Path, description = "A community's 12-digit code")),
    responses((status = 200, body = ApiCommunitySorting), (status = 404, body = ApiError),
        (status = 503, body = ApiError)))]
pub async fn community_sorting(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Response {
    match state
        .server_context
        .sorting
        .sorting_trend(&code, None)
        .await
    {
        Ok(Some(t)) => ok(ApiCommunitySorting {
            code: t.code.clone(),
            names: (&t.names).into(),
            months: t
                .months
                .iter()
                .map(|m| ApiMonth {
                    month: m.month.clone(),
                    rates: (&m.rates).into(),
                })
                .collect(),
            issues: t
                .issues
                .iter()
                .map(|i| ApiIssue {
                    date: i.date.clone(),
                    point: i.point.clone(),
                    kind: i.kind.clone(),
                    note: i.note.clone(),
                    fixed: i.fixed,
                    case_code: i.case_code.clone(),
                })
                .collect(),
        }),
        Ok(None) => error(StatusCode::NOT_FOUND, "no such community"),
        Err(e) => unavailable(e),
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Linli (邻里) public API",
        version = "1.0.0",
        description = "The city portal's public data: cases (de-identified), categories, \
                       places, 共谋 consultations and their results, waste-sorting dashboards. \
                       Reports from other systems go through Open311 at /open311/v2/.",
        license(
            name = "CC BY 4.0 (data)",
            url = "https://creativecommons.org/licenses/by/4.0/"
        )
    ),
    paths(
        categories,
        territories,
        cases,
        case,
        consultations,
        consultation,
        ranking,
        community_sorting
    )
)]
pub struct ApiDoc;

/// `GET /api/v1/openapi.json`.
pub async fn openapi() -> Response {
    ok(ApiDoc::openapi())
}

/// Unknown paths under `/api/v1/` answer JSON, not the portal's HTML 404 page.
pub async fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "no such endpoint; see /api/v1/openapi.json",
    )
}

/// The Swagger UI version `./dev` copies into `public/vendor/`.
const SWAGGER_UI: &str = "/vendor/swagger-ui-5.35.0";

/// `GET /api/v1/docs`: the API's browsable documentation, from our own assets (no CDN).
pub async fn docs() -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Linli API v1</title><link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\
         <link rel=\"stylesheet\" href=\"{SWAGGER_UI}/swagger-ui.css\">\
         </head><body><div id=\"swagger\"></div>\
         <script src=\"{SWAGGER_UI}/swagger-ui-bundle.js\"></script>\
         <script src=\"/api-docs.js\"></script></body></html>"
    );
    let mut res = axum::response::Html(html).into_response();
    // Swagger UI sets inline styles; scripts stay same-origin only.
    res.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data:; connect-src 'self'; font-src 'self' data:; \
             frame-ancestors 'none'",
        ),
    );
    res
}
