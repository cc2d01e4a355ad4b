//! The public waste-sorting figures: a community's twelve-month trend (an SVG drawn on the server,
//! readable without JavaScript, with the same figures in a table) and latest issues; and the
//! 红黑榜 of a street or district, where only communities with enough coverage are ranked.

use crate::components::status::{LoadFailed, Loading};
use crate::i18n::{Msg, fill, name};
use crate::prefs::{Prefs, use_prefs};
use crate::sorting::api::{fetch_sorting_ranking, fetch_sorting_trend};
use crate::sorting::home::{bin_name, ratio_text};
use domain::ports::{CommunityTrend, IssueView, MonthRates, RankRow, Ranking};
use domain::sorting::Bin;
use domain::workflow::board::Ratio;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn issue_name(kind: &str) -> Msg {
    match kind {
        "overflowing" => Msg::IssueOverflowing,
        "mixed" => Msg::IssueMixed,
        "bin_missing" => Msg::IssueBinMissing,
        _ => Msg::IssueOther,
    }
}

#[component]
pub fn SortingCommunityPage() -> impl IntoView {
    let prefs = use_prefs();
    let params = use_params_map();
    let trend = Resource::new(
        move || params.with(|p| p.get("code").unwrap_or_default()),
        fetch_sorting_trend,
    );
    let viewer = Resource::new(|| (), |_| crate::api::fetch_viewer());
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match trend.await {
                    Ok(Some(t)) => {
                        let csrf = viewer.await.ok().and_then(|v| v.csrf_token).unwrap_or_default();
                        view! { <Trend t csrf /> }.into_any()
                    }
                    Ok(None) => view! {
                        <section class="not-found"><h1>{prefs.t(Msg::TrendMissing)}</h1>
                        <p><a href="/sorting">{prefs.t(Msg::SortingTitle)}</a></p></section>
                    }.into_any(),
                    Err(_) => view! { <LoadFailed /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Points of one line of the chart: x by month, y by percent (months without a figure are gaps).
fn polyline(values: &[Option<f64>], width: f64, height: f64) -> Vec<String> {
    let step = width / (values.len().max(2) - 1) as f64;
    let mut runs = Vec::new();
    let mut run = String::new();
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(p) => {
                run.push_str(&format!(
                    "{:.1},{:.1} ",
                    i as f64 * step,
                    height - p / 100.0 * height
                ));
            }
            None if !run.is_empty() => runs.push(std::mem::take(&mut run)),
            None => {}
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

#[component]
fn Trend(t: CommunityTrend, csrf: String) -> impl IntoView {
    let prefs = use_prefs();
    let title = fill(
        prefs.t(Msg::TrendHeading),
        &[("name", &name(&t.names, prefs.locale))],
    );
    let current = t.months.last().map(|m| m.rates).unwrap_or_default();
    let by_bin = Bin::ALL
        .iter()
        .enumerate()
        .map(|(i, b)| {
            view! { <li class=format!("bin-answer answer-{}", b.colour())>{prefs.t(bin_name(*b))} ": " {ratio_text(current.accuracy_by_bin[i])}</li> }
        })
        .collect_view();
    let issues = t
        .issues
        .iter()
        .map(|i| issue_item(i, t.may_manage, &csrf, prefs))
        .collect_view();
    view! {
        <Title text=title.clone() />
        <p><a href=format!("/sorting?c={}#points", t.code)>{prefs.t(Msg::SortingTitle)}</a> " · " <a href="/sorting/ranking">{prefs.t(Msg::RankingTitle)}</a></p>
        <h1>{title}</h1>
        <TrendChart months=t.months />
        <section class="card" aria-labelledby="bins-heading">
            <h2 id="bins-heading">{prefs.t(Msg::TrendByBin)}</h2>
            <ul class="bin-answers">{by_bin}</ul>
        </section>
        <section class="card" aria-labelledby="issues-heading">
            <h2 id="issues-heading">{prefs.t(Msg::TrendIssues)}</h2>
            <ul class="issues" data-testid="issues">{issues}</ul>
        </section>
    }
}

/// The twelve months as an SVG chart (three lines, a legend) and as a table with the same figures.
#[component]
fn TrendChart(months: Vec<MonthRates>) -> impl IntoView {
    let prefs = use_prefs();
    let pct = |r: Option<Ratio>| r.and_then(Ratio::percent);
    let series = [
        (
            Msg::RateParticipation,
            "line-participation",
            months
                .iter()
                .map(|m| pct(m.rates.participation))
                .collect::<Vec<_>>(),
        ),
        (
            Msg::RateAccuracy,
            "line-accuracy",
            months.iter().map(|m| pct(m.rates.accuracy)).collect(),
        ),
        (
            Msg::RateAwareness,
            "line-awareness",
            months.iter().map(|m| pct(m.rates.awareness)).collect(),
        ),
    ];
    let (w, h) = (600.0, 200.0);
    let lines = series
        .iter()
        .flat_map(|(_, class, values)| {
            polyline(values, w, h)
                .into_iter()
                .map(move |points| view! { <polyline class=*class points=points /> })
        })
        .collect_view();
    let legend = series
        .iter()
        .map(|(m, class, _)| view! { <li class=format!("legend {class}")>{prefs.t(*m)}</li> })
        .collect_view();
    let month_labels = months
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(i, m)| {
            let x = i as f64 * w / (months.len().max(2) - 1) as f64;
            view! { <text x=format!("{x:.0}") y="222" text-anchor="middle">{m.month[5..].to_owned()}</text> }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="trend-heading">
            <h2 id="trend-heading">{prefs.t(Msg::TrendChart)}</h2>
            <svg class="trend" viewBox="-10 -10 620 245" role="img" aria-label=prefs.t(Msg::TrendChart) data-testid="trend-chart">
                <line class="axis" x1="0" y1="200" x2="600" y2="200" />
                <line class="grid" x1="0" y1="100" x2="600" y2="100" />
                <text x="-6" y="4" text-anchor="end">"100%"</text>
                <text x="-6" y="104" text-anchor="end">"50%"</text>
                {lines}
                {month_labels}
            </svg>
            <ul class="legend-list">{legend}</ul>
            <TrendTable months />
        </section>
    }
}

/// The chart's figures as a table, newest month first.
#[component]
fn TrendTable(months: Vec<MonthRates>) -> impl IntoView {
    let prefs = use_prefs();
    let rows = months
        .iter()
        .rev()
        .map(|m| {
            view! {
                <tr>
                    <th scope="row">{m.month.clone()}</th>
                    <td>{ratio_text(m.rates.participation)}</td>
                    <td>{ratio_text(m.rates.accuracy)}</td>
                    <td>{ratio_text(m.rates.awareness)}</td>
                    <td>{ratio_text(m.rates.coverage)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=prefs.t(Msg::TrendTable)>
            <table data-testid="trend-table">
                <thead><tr>
                    <th scope="col">{prefs.t(Msg::TrendMonth)}</th>
                    <th scope="col">{prefs.t(Msg::RateParticipation)}</th>
                    <th scope="col">{prefs.t(Msg::RateAccuracy)}</th>
                    <th scope="col">{prefs.t(Msg::RateAwareness)}</th>
                    <th scope="col">{prefs.t(Msg::RateCoverage)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// One issue a volunteer logged; the council (`may_manage`) gets its forms: mark fixed, hand over
/// as a case, hide or show the photos.
fn issue_item(i: &IssueView, may_manage: bool, csrf: &str, prefs: Prefs) -> impl IntoView + use<> {
    let photos = i
        .photos
        .iter()
        .map(|p| view! { <a href=p.full_url.clone()><img src=p.thumb_url.clone() alt=prefs.t(Msg::IssuePhotoAlt) loading="lazy" /></a> })
        .collect_view();
    let fix = (may_manage && !i.fixed).then(|| {
        view! {
            <form method="post" action=format!("/sorting/issue/{}/fixed", i.id) class="inline">
                <crate::components::forms::CsrfField token=csrf.to_owned() />
                <button type="submit" class="secondary" data-testid=format!("fix-{}", i.id)>{prefs.t(Msg::IssueMarkFixed)}</button>
            </form>
        }
    });
    let photo_toggle = (may_manage && (!i.photos.is_empty() || i.photos_hidden)).then(|| {
        let (op, label) = if i.photos.is_empty() {
            ("show", Msg::IssueShowPhotos)
        } else {
            ("hide", Msg::IssueHidePhotos)
        };
        view! {
            <form method="post" action=format!("/sorting/issue/{}/photos", i.id) class="inline">
                <crate::components::forms::CsrfField token=csrf.to_owned() />
                <input type="hidden" name="action" value=op />
                <button type="submit" class="secondary" data-testid=format!("photos-{op}-{}", i.id)>{prefs.t(label)}</button>
            </form>
        }
    });
    let hand_over = (may_manage && !i.fixed && i.case_code.is_none()).then(|| {
        view! {
            <form method="post" action=format!("/sorting/issue/{}/case", i.id) class="inline">
                <crate::components::forms::CsrfField token=csrf.to_owned() />
                <button type="submit" class="secondary" data-testid=format!("to-case-{}", i.id)>{prefs.t(Msg::IssueToCase)}</button>
            </form>
        }
    });
    let case = i.case_code.as_ref().map(|code| view! {
        " " <a href=format!("/case/{code}") data-testid="issue-case">{fill(prefs.t(Msg::IssueCaseFiled), &[("code", code)])}</a>
    });
    view! {
        <li>
            {fix}
            {hand_over}
            {photo_toggle}
            <strong>{prefs.t(issue_name(&i.kind))}</strong> " " <small>{i.date.clone()} " " {i.point.clone()}</small> " "
            <span class=if i.fixed { "ok" } else { "pending" }>{prefs.t(if i.fixed { Msg::IssueFixed } else { Msg::IssueOpen })}</span>
            {case}
            <br />{i.note.clone()}
            <div class="photos">{photos}</div>
        </li>
    }
}

#[component]
pub fn SortingRankingPage() -> impl IntoView {
    let prefs = use_prefs();
    let query = use_query_map();
    let ranking = Resource::new(
        move || {
            query.with(|q| {
                (
                    q.get("area").unwrap_or_default(),
                    q.get("month").unwrap_or_default(),
                )
            })
        },
        |(area, month)| fetch_sorting_ranking(area, month),
    );
    view! {
        <Title text=prefs.t(Msg::RankingTitle) />
        <h1>{prefs.t(Msg::RankingTitle)}</h1>
        <p class="lead">{prefs.t(Msg::RankingLead)}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match ranking.await {
                    Ok(r) => view! { <Board r /> }.into_any(),
                    Err(_) => view! { <LoadFailed /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One row per community, with its rank (shared by ties; none for the unranked).
fn rank_rows(rows: &[RankRow], prefs: Prefs) -> impl IntoView + use<> {
    rows.iter()
        .map(|r| {
            view! {
                <tr>
                    <td>{(r.rank > 0).then(|| r.rank.to_string())}</td>
                    <th scope="row"><a href=format!("/sorting/community/{}", r.code)>{name(&r.names, prefs.locale)}</a></th>
                    <td>{ratio_text(r.rates.participation)}</td>
                    <td>{ratio_text(r.rates.accuracy)}</td>
                    <td>{ratio_text(r.rates.awareness)}</td>
                    <td>{ratio_text(r.rates.coverage)}</td>
                </tr>
            }
        })
        .collect_view()
}

#[component]
fn Board(r: Ranking) -> impl IntoView {
    let prefs = use_prefs();
    let chosen = r.area.as_ref().map(|(c, _)| c.clone()).unwrap_or_default();
    let options = r
        .areas
        .iter()
        .map(|(code, n)| view! { <option value=code.clone() selected=*code == chosen>{name(n, prefs.locale)}</option> })
        .collect_view();
    let head = move || {
        view! {
            <thead><tr>
                <th scope="col">"#"</th>
                <th scope="col">{prefs.t(Msg::RankingCommunity)}</th>
                <th scope="col">{prefs.t(Msg::RateParticipation)}</th>
                <th scope="col">{prefs.t(Msg::RateAccuracy)}</th>
                <th scope="col">{prefs.t(Msg::RateAwareness)}</th>
                <th scope="col">{prefs.t(Msg::RateCoverage)}</th>
            </tr></thead>
        }
    };
    let has_data =
        !r.ranked.is_empty() || r.unranked.iter().any(|u| u.rates.participation.is_some());
    let boards = r.area.clone().map(|(_, names)| {
        let area_line = r.area_rates.map(|a| {
            fill(
                prefs.t(Msg::RankingAreaFigure),
                &[("name", &name(&names, prefs.locale)), ("p", &ratio_text(a.participation)), ("a", &ratio_text(a.accuracy))],
            )
        });
        if !has_data {
            let none = fill(prefs.t(Msg::RankingNoData), &[("month", &r.month)]);
            return view! { <p class="notice" data-testid="no-data">{none}</p> }.into_any();
        }
        // With too few communities for two separate lists, only the ranked table shows.
        let list = |rows: &[RankRow], class: &'static str, title: Msg, testid: &'static str| {
            (!rows.is_empty()).then(|| view! {
                <section class=format!("card {class}") aria-labelledby=format!("{class}-heading")>
                    <h2 id=format!("{class}-heading")>{prefs.t(title)}</h2>
                    <div class="table-scroll" tabindex="0" role="region" aria-label=prefs.t(title)>
                        <table data-testid=testid>{head()}<tbody>{rank_rows(rows, prefs)}</tbody></table>
                    </div>
                </section>
            })
        };
        view! {
            <p data-testid="area-figure">{area_line}</p>
            {list(&r.red, "red-list", Msg::RankingRed, "red-list")}
            {list(&r.black, "black-list", Msg::RankingBlack, "black-list")}
            <section class="card" aria-labelledby="all-heading">
                <h2 id="all-heading">{prefs.t(Msg::RankingAll)}</h2>
                <div class="table-scroll" tabindex="0" role="region" aria-label=prefs.t(Msg::RankingAll)>
                    <table data-testid="ranked">{head()}<tbody>{rank_rows(&r.ranked, prefs)}</tbody></table>
                </div>
                <h3>{fill(prefs.t(Msg::RankingUnranked), &[("min", &r.min_coverage_percent.to_string())])}</h3>
                <div class="table-scroll" tabindex="0" role="region" aria-label=prefs.t(Msg::RankingAll)>
                    <table data-testid="unranked">{head()}<tbody>{rank_rows(&r.unranked, prefs)}</tbody></table>
                </div>
            </section>
        }
        .into_any()
    });
    // The months with data, and the one shown even when it has none yet.
    let mut months = r.months.clone();
    if !months.contains(&r.month) {
        months.insert(0, r.month.clone());
    }
    let month_options = months
        .into_iter()
        .map(|m| {
            let selected = m == r.month;
            view! { <option value=m.clone() selected=selected>{m.clone()}</option> }
        })
        .collect_view();
    view! {
        <form method="get" action="/sorting/ranking" class="search-row">
            <label for="ranking-area">{prefs.t(Msg::RankingArea)}</label>
            <select id="ranking-area" name="area">{options}</select>
            <label for="ranking-month">{prefs.t(Msg::TrendMonth)}</label>
            <select id="ranking-month" name="month">{month_options}</select>
            <button type="submit" data-testid="ranking-show">{prefs.t(Msg::PointsShow)}</button>
        </form>
        {r.provisional.then(|| view! { <p class="notice" data-testid="provisional">{prefs.t(Msg::RankingProvisional)}</p> })}
        <p data-testid="city-figure">{fill(prefs.t(Msg::RankingCity), &[("month", &r.month), ("p", &ratio_text(r.city.participation)), ("a", &ratio_text(r.city.accuracy))])}</p>
        {boards}
    }
}
