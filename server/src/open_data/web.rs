//! `GET /open-data/…`: streamed, de-identified case exports (CSV, GeoJSON), published consultation
//! results and waste-sorting figures (CSV), for a date range (`from`, `to`: China dates; a year by
//! default), under the open-data licence.

use crate::open_data::export::ExportFormat;
use crate::web::error::{Text, WebError};
use crate::web::state::AppState;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use domain::open_data::datasets::{DateRange, LICENCE_URL, RangeProblem};

use crate::consult::Consultations;
use crate::kernel::store::Store;
use axum::routing::get;
use axum::{Extension, Router};

/// The open datasets and the read-only REST API (which reads through the pages' ports).
pub fn routes(consult: Consultations, store: Store) -> Router<AppState> {
    Router::new()
        .route("/open-data/{file}", get(get_dataset))
        .merge(crate::open_data::api::routes())
        .layer(axum::Extension(consult))
        .layer(axum::Extension(store))
}

#[derive(serde::Deserialize)]
pub struct RangeQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// The export's date range.
fn range_of(q: &RangeQuery, now: i64) -> Result<DateRange, RangeProblem> {
    let (today, _) = crate::kernel::clock::china_day_minute(now);
    let today = domain::calendar::Date::from_day_number(today);
    DateRange::parse(&q.from, &q.to, today)
}

/// The 400 answer saying what to fix in a range.
fn range_refusal(p: RangeProblem) -> WebError {
    match p {
        RangeProblem::BadDate(name) => WebError::Refused(
            StatusCode::BAD_REQUEST,
            Text {
                zh: format!("{name} 应为日期，例如 2026-01-31。").into(),
                en: format!("{name} must be a date like 2026-01-31.").into(),
            },
        ),
        RangeProblem::Backwards => {
            WebError::bad_request("结束日期早于开始日期。", "to is before from.")
        }
    }
}

/// Headers every download carries: its type, a file name, the licence, open to any site.
fn download(body: Body, ctype: &'static str, filename: &str) -> Response {
    let mut res = Response::new(body);
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
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

const CSV: &str = "text/csv; charset=utf-8";

/// `GET /open-data/{dataset}`: cases (CSV, GeoJSON; streamed), published consultation results
/// and waste-sorting dashboards (CSV).
pub async fn get_dataset(
    State(state): State<AppState>,
    Extension(consult): Extension<Consultations>,
    Extension(store): Extension<Store>,
    Path(file): Path<String>,
    Query(q): Query<RangeQuery>,
) -> Result<Response, WebError> {
    let now = crate::kernel::clock::now_ms();
    let range = range_of(&q, now).map_err(range_refusal)?;
    let (format, ctype, ext) = match file.as_str() {
        "cases.csv" => (ExportFormat::Csv, CSV, "csv"),
        "cases.geojson" => (
            ExportFormat::GeoJson,
            "application/geo+json; charset=utf-8",
            "geojson",
        ),
        "consultations.csv" => return consultations(&state, &consult, range).await,
        "sorting.csv" => return sorting(&store, range).await,
        _ => return Err(WebError::not_found("没有这个数据集。", "No such dataset.")),
    };
    if range.days() > domain::open_data::datasets::MAX_CASE_DAYS {
        return Err(WebError::bad_request(
            "案件数据一次最多导出 366 天，请分段下载。",
            "A case export covers at most 366 days at a time; download the years one by one.",
        ));
    }
    let Some(permit) = crate::open_data::export::admit() else {
        return Err(WebError::Later(
            StatusCode::SERVICE_UNAVAILABLE,
            Text::new(
                "同时下载的人太多，请稍后再试。",
                "Too many downloads are running; try again shortly.",
            ),
            30,
        ));
    };
    let stream = crate::open_data::export::cases(
        store.clone(),
        format,
        range,
        domain::open_data::open311::w3c_datetime(now),
        Some(permit),
    );
    Ok(download(
        Body::from_stream(stream),
        ctype,
        &format!("linli-cases-{}-{}.{ext}", range.from, range.to),
    ))
}

/// Published consultation results whose publication falls in the range: one line per option.
async fn consultations(
    state: &AppState,
    consult: &Consultations,
    range: DateRange,
) -> Result<Response, WebError> {
    use domain::open_data::datasets::csv_field as f;
    let ids = consult
        .published_between(range.start_ms(), range.end_ms())
        .await
        .map_err(WebError::internal)?;
    let mut out = String::from(
        "consultation_id,title,community_code,community_zh,matter_zh,published,option,\
         support_area_m2,support_heads,total_area_m2,total_heads,participating_area_m2,\
         participating_heads,quorum_reached,option_passed,decided\r\n",
    );
    for id in ids {
        let Some(view) = state
            .server_context
            .consult
            .consult_view(id, None)
            .await
            .map_err(|_| WebError::internal("consultation view unavailable"))?
        else {
            continue;
        };
        let (Some(published), Some(result)) = (view.published_at, view.result.as_ref()) else {
            continue;
        };
        if !result.published || published < range.start_ms() || published >= range.end_ms() {
            continue;
        }
        let t = &result.tally;
        let labels: Vec<String> = domain::consult::answer_labels(&view.options)
            .into_iter()
            .map(|(zh, _)| zh)
            .collect();
        for (i, o) in t.options.iter().enumerate() {
            let label = labels.get(i).cloned().unwrap_or_default();
            let fields = [
                view.id.to_string(),
                f(&view.title),
                view.community_code.clone(),
                f(&view.community.zh),
                f(&view.matter.names.zh),
                domain::open_data::open311::w3c_datetime(published),
                f(&label),
                o.support.area.to_string(),
                o.support.heads.to_string(),
                t.total.area.to_string(),
                t.total.heads.to_string(),
                t.participating.area.to_string(),
                t.participating.heads.to_string(),
                (t.quorum_area_reached && t.quorum_heads_reached).to_string(),
                (o.area_reached && o.heads_reached).to_string(),
                (t.decided == u16::try_from(i).ok()).to_string(),
            ];
            out.push_str(&fields.join(","));
            out.push_str("\r\n");
        }
    }
    Ok(download(
        Body::from(out),
        CSV,
        &format!("linli-consultations-{}-{}.csv", range.from, range.to),
    ))
}

/// Most months a sorting export covers (each month ranks every community of the city).
const SORTING_MONTHS: usize = 24;

/// Every community's waste-sorting figures for each month the range touches, as counts (so
/// anyone can recompute the rates as the dashboard defines them).
async fn sorting(store: &Store, range: DateRange) -> Result<Response, WebError> {
    use domain::workflow::board::Month;
    let mut months = vec![Month {
        year: range.from.year,
        month: range.from.month,
    }];
    let last = Month {
        year: range.to.year,
        month: range.to.month,
    };
    while let Some(m) = months.last().copied().filter(|m| *m < last) {
        months.push(m.next());
        if months.len() > SORTING_MONTHS {
            return Err(WebError::bad_request(
                "垃圾分类数据一次最多导出 24 个月。",
                "The sorting export covers at most 24 months at a time.",
            ));
        }
    }
    let ratio = |r: Option<domain::workflow::board::Ratio>| match r {
        Some(r) => format!("{},{}", r.part, r.whole),
        None => ",".to_owned(),
    };
    let mut out = String::from(
        "month,community_code,community_zh,ranked,participating_households,households_served,\
         correct_drops,inspected_drops,answered_correctly,households_asked,windows_logged,\
         windows_scheduled\r\n",
    );
    let now = crate::kernel::clock::now_ms();
    for m in months {
        let month = format!("{}-{:02}", m.year, m.month);
        let (ranked, unranked) = crate::sorting::board::city_month(store, m, now).await?;
        for (rows, is_ranked) in [(&ranked, true), (&unranked, false)] {
            for row in rows {
                let r = &row.rates;
                out.push_str(&format!(
                    "{month},{},{},{is_ranked},{},{},{},{}\r\n",
                    row.code,
                    domain::open_data::datasets::csv_field(&row.names.zh),
                    ratio(r.participation),
                    ratio(r.accuracy),
                    ratio(r.awareness),
                    ratio(r.coverage),
                ));
            }
        }
    }
    Ok(download(
        Body::from(out),
        CSV,
        &format!("linli-sorting-{}-{}.csv", range.from, range.to),
    ))
}
