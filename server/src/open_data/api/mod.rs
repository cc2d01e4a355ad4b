//! `/api/v1/`: the portal's public data as JSON for our own clients and for open-data users, through
//! the same ports as the pages. The answer types here are the API's
//! contract, kept apart from the pages' view types so a page can change without breaking clients;
//! the OpenAPI 3.1 document at `/api/v1/openapi.json` is generated from them and from the handlers'
//! annotations. Nothing here carries who reported a case.

pub mod consultations;
pub mod places_cases;
pub mod sorting;

use crate::web::state::AppState;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::ports::Names;
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use axum::Router;
use axum::routing::get;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/docs", get(docs))
        .route("/api/v1/categories", get(places_cases::categories))
        .route("/api/v1/territories", get(places_cases::territories))
        .route("/api/v1/cases", get(places_cases::cases))
        .route("/api/v1/cases/{code}", get(places_cases::case))
        .route("/api/v1/consultations", get(consultations::consultations))
        .route(
            "/api/v1/consultations/{id}",
            get(consultations::consultation),
        )
        .route("/api/v1/sorting/ranking", get(sorting::ranking))
        .route(
            "/api/v1/sorting/communities/{code}",
            get(sorting::community_sorting),
        )
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
        places_cases::categories,
        places_cases::territories,
        places_cases::cases,
        places_cases::case,
        consultations::consultations,
        consultations::consultation,
        sorting::ranking,
        sorting::community_sorting
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
