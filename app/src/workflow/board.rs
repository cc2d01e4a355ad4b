//! 共评: the public performance board. A plain GET form chooses the month and the level; the table,
//! the chart (server-rendered SVG, readable without JS) and the CSV show the same figures.

use crate::components::status::{LoadFailed, Loading};
use crate::i18n::{Msg, fill, name};
use crate::prefs::use_prefs;
use crate::workflow::api::fetch_board;
use domain::cases::report::china_time_text;
use domain::ports::{BoardRow, BoardView};
use domain::territory::TerritoryLevel;
use domain::workflow::board::{Figures, Ratio};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn percent(r: Option<Ratio>) -> String {
    r.and_then(Ratio::percent)
        .map(|p| format!("{p:.1}%"))
        .unwrap_or_else(|| "—".to_owned())
}

/// "2/3 (66.7%)": the count behind a rate, so a rate from few cases is not over-trusted.
fn ratio_text(r: Option<Ratio>) -> String {
    match r {
        Some(x) => format!("{} ({}/{})", percent(r), x.part, x.whole),
        None => "—".to_owned(),
    }
}

#[component]
pub fn BoardPage() -> impl IntoView {
    let prefs = use_prefs();
    let query = use_query_map();
    let board = Resource::new(
        move || {
            query.with(|q| {
                (
                    q.get("month").unwrap_or_default(),
                    q.get("level").unwrap_or_default(),
                )
            })
        },
        |(month, level)| fetch_board(month, level),
    );
    view! {
        <Title text=prefs.t(Msg::BoardTitle) />
        <h1>{prefs.t(Msg::BoardHeading)}</h1>
        <p class="lead">{prefs.t(Msg::BoardLead)}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(b) => view! { <Board board=b /> }.into_any(),
                    Err(_) => view! { <LoadFailed /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Board(board: BoardView) -> impl IntoView {
    let prefs = use_prefs();
    let locale = prefs.locale;
    let month = board.month.to_string();
    let level = board.level.as_str();
    let months = board
        .months
        .iter()
        .map(|m| {
            let v = m.to_string();
            view! { <option value=v.clone() selected=v == month>{v.clone()}</option> }
        })
        .collect_view();
    let rows = board
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| view! { <FigureRow rank=Some(i + 1) label=name(&r.names, locale) figures=r.figures code=r.code.clone() /> })
        .collect_view();
    let csv = format!("/board.csv?month={month}&level={level}");
    view! {
        <form method="get" action="/board" class="board-filter">
            <label for="board-month">{prefs.t(Msg::BoardMonth)}</label>
            <select id="board-month" name="month">{months}</select>
            <label for="board-level">{prefs.t(Msg::BoardLevel)}</label>
            <select id="board-level" name="level">
                <option value="district" selected=board.level == TerritoryLevel::District>{prefs.t(Msg::BoardLevelDistrict)}</option>
                <option value="street" selected=board.level == TerritoryLevel::Street>{prefs.t(Msg::BoardLevelStreet)}</option>
            </select>
            <button type="submit" class="secondary">{prefs.t(Msg::BoardShow)}</button>
        </form>
        <p class="hint">
            {fill(prefs.t(Msg::BoardAsOf), &[("t", &china_time_text(board.as_of_ms))])}
            " · " <a href=csv data-testid="board-csv" download="">{prefs.t(Msg::BoardCsv)}</a>
        </p>
        <OnTimeChart rows=board.rows.clone() />
        // Focusable, so keyboard users can scroll the wide table on a phone.
        <div class="table-scroll" tabindex="0" role="region" aria-label=prefs.t(Msg::BoardHeading)>
            <table class="board" data-testid="board">
                <thead>
                    <tr>
                        <th scope="col">{prefs.t(Msg::BoardRank)}</th>
                        <th scope="col">{prefs.t(Msg::BoardArea)}</th>
                        <th scope="col">{prefs.t(Msg::BoardReceived)}</th>
                        <th scope="col">{prefs.t(Msg::BoardRegistered)}</th>
                        <th scope="col">{prefs.t(Msg::BoardClosed)}</th>
                        <th scope="col">{prefs.t(Msg::BoardClosure)}</th>
                        <th scope="col">{prefs.t(Msg::BoardOnTime)}</th>
                        <th scope="col">{prefs.t(Msg::BoardRework)}</th>
                        <th scope="col">{prefs.t(Msg::BoardMedian)}</th>
                        <th scope="col">{prefs.t(Msg::BoardSatisfaction)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
                <tfoot>
                    <FigureRow rank=None label=prefs.t(Msg::BoardCity).to_owned() figures=board.city code="city".to_owned() />
                </tfoot>
            </table>
        </div>
        <section class="definitions">
            <h2>{prefs.t(Msg::BoardDefinitions)}</h2>
            <ul>
                <li>{prefs.t(Msg::BoardDefReceived)}</li>
                <li>{prefs.t(Msg::BoardDefClosure)}</li>
                <li>{prefs.t(Msg::BoardDefOnTime)}</li>
                <li>{prefs.t(Msg::BoardDefRework)}</li>
                <li>{prefs.t(Msg::BoardDefMedian)}</li>
                <li>{prefs.t(Msg::BoardDefSatisfaction)}</li>
            </ul>
        </section>
    }
}

#[component]
fn FigureRow(rank: Option<usize>, label: String, figures: Figures, code: String) -> impl IntoView {
    let f = figures;
    view! {
        <tr data-code=code>
            <td>{rank.map(|r| r.to_string()).unwrap_or_default()}</td>
            <th scope="row">{label}</th>
            <td>{f.received}</td>
            <td>{f.registered}</td>
            <td>{f.closed}</td>
            <td>{ratio_text(f.closure)}</td>
            <td data-testid="on-time">{ratio_text(f.on_time)}</td>
            <td>{ratio_text(f.rework)}</td>
            <td>{f.median_work_hours.map(|h| format!("{h:.1}")).unwrap_or_else(|| "—".to_owned())}</td>
            <td>{ratio_text(f.satisfaction)}</td>
        </tr>
    }
}

/// Horizontal bars of the on-time rate, drawn on the server: no script needed to read it.
#[component]
fn OnTimeChart(rows: Vec<BoardRow>) -> impl IntoView {
    let prefs = use_prefs();
    let locale = prefs.locale;
    const ROW: usize = 28;
    const LABEL: f64 = 110.0;
    const BAR: f64 = 200.0;
    let height = (rows.len().max(1) * ROW + 8).to_string();
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let y = (i * ROW + 4) as f64;
            let p = r.figures.on_time.and_then(Ratio::percent);
            let width = p.map(|p| BAR * p / 100.0).unwrap_or(0.0);
            view! {
                <g>
                    <text x="0" y=format!("{:.0}", y + 17.0) class="chart-label">{name(&r.names, locale)}</text>
                    <rect x=format!("{LABEL}") y=format!("{y:.0}") width=format!("{BAR}") height="20" class="chart-track" />
                    <rect x=format!("{LABEL}") y=format!("{y:.0}") width=format!("{width:.1}") height="20" class="chart-bar" />
                    <text x=format!("{:.0}", LABEL + BAR + 6.0) y=format!("{:.0}", y + 15.0) class="chart-value">{percent(r.figures.on_time)}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="board-chart">
            <svg viewBox=format!("0 0 360 {height}") width="100%" role="img" aria-label=prefs.t(Msg::BoardChartLabel) data-testid="board-chart">
                <title>{prefs.t(Msg::BoardChartLabel)}</title>
                {bars}
            </svg>
            <figcaption>{prefs.t(Msg::BoardChartLabel)}</figcaption>
        </figure>
    }
}
