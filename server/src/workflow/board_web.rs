//! `GET /board.csv`: the performance board's table as CSV, the same figures as the page.

use crate::kernel::clock::now_ms;
use crate::workflow::Workflow;
use axum::Extension;
use axum::extract::Query;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use domain::territory::TerritoryLevel;
use domain::workflow::board::{Figures, Month, Ratio};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct BoardQuery {
    #[serde(default)]
    month: String,
    #[serde(default)]
    level: String,
}

fn cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

fn percent(r: Option<Ratio>) -> String {
    r.and_then(Ratio::percent)
        .map(|p| format!("{p:.1}"))
        .unwrap_or_default()
}

fn figures_cells(f: &Figures) -> String {
    [
        f.received.to_string(),
        f.registered.to_string(),
        f.closed.to_string(),
        percent(f.closure),
        f.due.to_string(),
        f.postponed.to_string(),
        f.closed_on_time.to_string(),
        percent(f.on_time),
        percent(f.rework),
        f.median_work_hours
            .map(|h| format!("{h:.1}"))
            .unwrap_or_default(),
        percent(f.satisfaction),
    ]
    .join(",")
}

pub const CSV_HEADER: &str = "code,name_zh,name_en,received,registered,closed,closure_rate_pct,\
due,postponed,closed_on_time,on_time_rate_pct,rework_rate_pct,median_work_hours,satisfaction_pct";

pub async fn get_board_csv(
    Extension(workflow): Extension<Workflow>,
    Query(q): Query<BoardQuery>,
) -> Result<Response, crate::web::error::WebError> {
    let level = TerritoryLevel::parse(&q.level).unwrap_or(TerritoryLevel::District);
    let board = workflow
        .board(Month::parse(&q.month), level, now_ms())
        .await?;
    let mut out = String::from("\u{feff}");
    out.push_str(CSV_HEADER);
    out.push('\n');
    for row in &board.rows {
        out.push_str(&format!(
            "{},{},{},{}\n",
            cell(&row.code),
            cell(&row.names.zh),
            cell(&row.names.en),
            figures_cells(&row.figures)
        ));
    }
    out.push_str(&format!("city,全市,City,{}\n", figures_cells(&board.city)));
    let mut res = out.into_response();
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"linli-board-{}-{}.csv\"",
        board.month,
        board.level.as_str()
    )) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}
