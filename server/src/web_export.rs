//! `GET /open-data/cases.csv` and `/open-data/cases.geojson`: streamed, de-identified case exports
//! for a date range (`from`, `to`: China dates; a year by default), under the open-data licence.

use crate::export::ExportFormat;
use crate::http::AppState;
use crate::web_auth::plain_error;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use domain::opendata::{DateRange, LICENCE_URL, RangeProblem};

#[derive(serde::Deserialize)]
pub struct RangeQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

pub async fn get_cases(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(q): Query<RangeQuery>,
) -> Response {
    let (format, ctype, ext) = match file.as_str() {
        "cases.csv" => (ExportFormat::Csv, "text/csv; charset=utf-8", "csv"),
        "cases.geojson" => (
            ExportFormat::GeoJson,
            "application/geo+json; charset=utf-8",
            "geojson",
        ),
        _ => {
            return plain_error(
                StatusCode::NOT_FOUND,
                "没有这个数据集。",
                "No such dataset.",
            );
        }
    };
    let now = crate::services::now_ms();
    let (today, _) = crate::shifts::china_day_minute(now);
    let today = domain::calendar::Date::from_day_number(today);
    let range = match DateRange::parse(&q.from, &q.to, today) {
        Ok(r) => r,
        Err(RangeProblem::BadDate(name)) => {
            return plain_error(
                StatusCode::BAD_REQUEST,
                &format!("{name} 应为日期，例如 2026-01-31。"),
                &format!("{name} must be a date like 2026-01-31."),
            );
        }
        Err(RangeProblem::Backwards) => {
            return plain_error(
                StatusCode::BAD_REQUEST,
                "结束日期早于开始日期。",
                "to is before from.",
            );
        }
    };
    let stream = crate::export::cases(
        state.portal.store().clone(),
        format,
        range,
        domain::open311::w3c_datetime(now),
    );
    let mut res = Response::new(Body::from_stream(stream));
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"linli-cases-{}-{}.{ext}\"",
        range.from, range.to
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!("<{LICENCE_URL}>; rel=\"license\"")) {
        h.insert(header::LINK, v);
    }
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    res
}
