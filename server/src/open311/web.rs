//! `/open311/v2/…`: the Open311 GeoReport v2 endpoint. This adapter picks the format from the
//! path's suffix, reads the parameters (query or form) and writes the answer or the spec's error
//! body with its status. Unsupported suffixes answer in XML, the spec's default format.

use crate::kernel::clock::now_ms;
use crate::open311::Open311Failure;
use crate::web::state::AppState;
use axum::Extension;
use axum::body::Body;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use domain::open_data::open311::{
    Format, Open311Error, Params, Record, RequestQuery, render_error, render_list, render_object,
};

use crate::open311::Open311;
use axum::Router;

/// GeoReport v2.
pub fn routes(open311: Open311) -> Router<AppState> {
    Router::new()
        .route("/open311/v2/{*path}", axum::routing::get(get).post(post))
        .layer(axum::Extension(open311))
}

/// A form larger than this cannot be a report (4000 characters of description, encoded).
const MAX_FORM_BYTES: usize = 64 * 1024;

fn answer(format: Format, status: StatusCode, body: String) -> Response {
    let mut res = Response::new(Body::from(body));
    *res.status_mut() = status;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    // Open data: any site may read it from a browser.
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn error(format: Format, e: &Open311Error) -> Response {
    let status = StatusCode::from_u16(e.code).unwrap_or(StatusCode::BAD_REQUEST);
    answer(format, status, render_error(format, e))
}

fn failed(format: Format, e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "open311 request failed");
    let e = Open311Error {
        code: 500,
        description: "the server could not answer; try again later".to_owned(),
    };
    error(format, &e)
}

fn params_of(raw: &[u8]) -> Params {
    Params::new(form_urlencoded::parse(raw).map(|(k, v)| (k.into_owned(), v.into_owned())))
}

/// A path without a format we speak, answered in XML (the spec's default).
fn unsupported_format() -> Response {
    error(
        Format::Xml,
        &Open311Error::bad("add .xml or .json to the path: those are the formats we speak"),
    )
}

/// `GET /open311/v2/{…}.{xml|json}`.
pub async fn get(
    Extension(open311): Extension<Open311>,
    State(state): State<AppState>,
    Path(path): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let Some((what, format)) = Format::split(&path) else {
        return unsupported_format();
    };
    let base = crate::web::state::base_url(&state);
    let params = params_of(query.unwrap_or_default().as_bytes());
    let list = |root: &str, element: &str, records: &[Record]| {
        answer(
            format,
            StatusCode::OK,
            render_list(format, root, element, records),
        )
    };
    let parts: Vec<&str> = what.split('/').collect();
    match parts.as_slice() {
        ["discovery"] => answer(
            format,
            StatusCode::OK,
            render_object(format, "discovery", &open311.discovery(&base)),
        ),
        ["services"] => match open311.services().await {
            Ok(s) => list("services", "service", &s),
            Err(e) => failed(format, e),
        },
        ["services", code] => match open311.service_definition(code).await {
            Ok(Some(d)) => answer(
                format,
                StatusCode::OK,
                render_object(format, "service_definition", &d),
            ),
            Ok(None) => error(
                format,
                &Open311Error::not_found(format!(
                    "service_code '{code}' is not one of our services"
                )),
            ),
            Err(e) => failed(format, e),
        },
        ["requests"] => match RequestQuery::parse(&params, now_ms()) {
            Ok(q) => match open311.requests(&q, &base).await {
                Ok(r) => list("service_requests", "request", &r),
                Err(e) => failed(format, e),
            },
            Err(e) => error(format, &e),
        },
        ["requests", id] => {
            let Ok(code) = domain::cases::tracking::TrackingCode::parse(id) else {
                return error(
                    format,
                    &Open311Error::not_found(format!("no request '{id}'")),
                );
            };
            match open311
                .requests(&RequestQuery::Ids(vec![code]), &base)
                .await
            {
                Ok(r) if r.is_empty() => error(
                    format,
                    &Open311Error::not_found(format!("no request '{id}'")),
                ),
                Ok(r) => list("service_requests", "request", &r),
                Err(e) => failed(format, e),
            }
        }
        ["tokens", token] => match open311.token(token).await {
            Ok(Some(r)) => list("service_requests", "request", &[r]),
            Ok(None) => error(
                format,
                &Open311Error::not_found(format!("no token '{token}'")),
            ),
            Err(e) => failed(format, e),
        },
        _ => error(
            format,
            &Open311Error::not_found(format!("no such endpoint: {what}")),
        ),
    }
}

/// `POST /open311/v2/requests.{xml|json}`: a form-encoded new request.
pub async fn post(
    Extension(open311): Extension<Open311>,
    State(state): State<AppState>,
    Path(path): Path<String>,
    req: Request,
) -> Response {
    let Some((what, format)) = Format::split(&path) else {
        return unsupported_format();
    };
    if what != "requests" {
        return error(
            format,
            &Open311Error::not_found(format!("no such endpoint for POST: {what}")),
        );
    }
    let Ok(body) = axum::body::to_bytes(req.into_body(), MAX_FORM_BYTES).await else {
        return error(
            format,
            &Open311Error::bad(format!("the form is larger than {MAX_FORM_BYTES} bytes")),
        );
    };
    let base = crate::web::state::base_url(&state);
    match open311.create(&params_of(&body), &base, now_ms()).await {
        Ok(r) => answer(
            format,
            StatusCode::OK,
            render_list(format, "service_requests", "request", &[r]),
        ),
        Err(Open311Failure::Refused(e)) => error(format, &e),
        Err(Open311Failure::Limited(wait)) => {
            let e = Open311Error {
                code: 429,
                description: format!(
                    "too many requests with this api_key; try again in {} s",
                    wait.seconds()
                ),
            };
            let mut res = error(format, &e);
            if let Ok(v) = axum::http::HeaderValue::from_str(&wait.seconds().to_string()) {
                res.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
            }
            res
        }
        Err(Open311Failure::Store(e)) => failed(format, e),
    }
}
