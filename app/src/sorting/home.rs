use crate::components::forms::CsrfField;
use crate::components::map_marker::PointMarker;
use crate::components::status::{LoadFailed, Loading};
use crate::i18n::{Msg, fill};
use crate::prefs::{Prefs, use_prefs};
use crate::sorting::api::{fetch_collection_points, fetch_which_bin};
use domain::names::Names;
use domain::ports::{CollectionPoints, PointView, WhichBin};
use domain::sorting::Bin;
use domain::sorting::supervision::{OpenState, Rates, minute_text};
use domain::tiles::TileLayerSpec;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

pub fn bin_name(b: Bin) -> Msg {
    match b {
        Bin::Recyclable => Msg::BinRecyclable,
        Bin::Hazardous => Msg::BinHazardous,
        Bin::Kitchen => Msg::BinKitchen,
        Bin::Other => Msg::BinOther,
    }
}

/// The four bins of GB/T 19095-2019 with their standard colours (as CSS classes).
const BINS: [(Msg, Msg, &str); 4] = [
    (Msg::BinRecyclable, Msg::BinRecyclableExamples, "bin-blue"),
    (Msg::BinHazardous, Msg::BinHazardousExamples, "bin-red"),
    (Msg::BinKitchen, Msg::BinKitchenExamples, "bin-green"),
    (Msg::BinOther, Msg::BinOtherExamples, "bin-grey"),
];

#[component]
pub fn SortingPage() -> impl IntoView {
    let prefs = use_prefs();
    let query = use_query_map();
    let q = move || query.with(|q| q.get("q").unwrap_or_default());
    let found = Resource::new(q, fetch_which_bin);
    let c = move || query.with(|q| q.get("c").unwrap_or_default());
    let near = move || query.with(|q| q.get("near").unwrap_or_default());
    let points = Resource::new(
        move || (c(), near()),
        |(c, near)| fetch_collection_points(c, near),
    );
    let viewer = Resource::new(|| (), |_| crate::api::fetch_viewer());
    view! {
        <Title text=prefs.t(Msg::SortingTitle) />
        <h1>{prefs.t(Msg::SortingHeading)}</h1>
        <p class="lead">{prefs.t(Msg::SortingLead)}</p>
        <p>
            <a href="/sorting/shift" data-testid="shift-link">{prefs.t(Msg::ShiftLink)}</a>
            " · " <a href="/sorting/ranking" data-testid="ranking-link">{prefs.t(Msg::RankingTitle)}</a>
        </p>
        <section class="card" aria-labelledby="which-bin-heading">
            <h2 id="which-bin-heading">{prefs.t(Msg::WhichBinHeading)}</h2>
            // A plain GET form: works before WASM loads, and the address can be shared.
            <form method="get" action="/sorting" class="search-row" role="search">
                <label for="which-bin">{prefs.t(Msg::WhichBinLabel)}</label>
                <input id="which-bin" name="q" type="search" maxlength="20" autocomplete="off"
                    placeholder=prefs.t(Msg::WhichBinPlaceholder) value=q />
                <input type="hidden" name="c" value=c />
                <button type="submit" data-testid="which-bin-search">{prefs.t(Msg::WhichBinSearch)}</button>
            </form>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match found.await {
                        Ok(w) => view! { <WhichBinAnswer w /> }.into_any(),
                        Err(_) => view! { <LoadFailed /> }.into_any(),
                    }
                })}
            </Suspense>
            <p><small>{prefs.t(Msg::WhichBinSource)}</small></p>
        </section>
        <section class="card" id="points" aria-labelledby="points-heading">
            <h2 id="points-heading">{prefs.t(Msg::PointsHeading)}</h2>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match points.await {
                        Ok(p) => {
                            let csrf = viewer.await.ok().and_then(|v| v.csrf_token).unwrap_or_default();
                            let (survey, saved) = query.with_untracked(|q| (q.get("survey"), q.get("saved").is_some()));
                            view! { <Points p q=q() csrf survey saved /> }.into_any()
                        }
                        Err(_) => view! { <LoadFailed /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <ul class="bins">
            {BINS
                .map(|(name, examples, class)| {
                    view! {
                        <li class=format!("bin {class}")>
                            <h2>{prefs.t(name)}</h2>
                            <p>{prefs.t(examples)}</p>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
fn WhichBinAnswer(w: WhichBin) -> impl IntoView {
    let prefs: Prefs = use_prefs();
    let answer = if w.query.is_empty() {
        None
    } else if w.matches.is_empty() {
        Some(
            view! {
                <p class="notice" role="status" data-testid="which-bin-none">
                    {fill(prefs.t(Msg::WhichBinNone), &[("q", &w.query)])}
                </p>
            }
            .into_any(),
        )
    } else {
        let items = w
            .matches
            .iter()
            .map(|m| {
                view! {
                    <li class=format!("bin-answer answer-{}", m.bin.colour())>
                        <strong>{m.name.clone()}</strong> " → "
                        <span class="bin-name">{prefs.t(bin_name(m.bin))}</span>
                        <br />
                        <small>{m.tip.clone()}</small>
                    </li>
                }
            })
            .collect_view();
        Some(view! { <ul class="bin-answers" data-testid="which-bin-answers" aria-live="polite">{items}</ul> }.into_any())
    };
    let unknown = (!w.unknown.is_empty()).then(|| {
        let rows = w
            .unknown
            .iter()
            .map(|(q, n)| view! { <li>{q.clone()} " (" {*n} ")"</li> })
            .collect_view();
        view! {
            <h3>{prefs.t(Msg::WhichBinUnknownHeading)}</h3>
            <ul data-testid="which-bin-unknown">{rows}</ul>
        }
    });
    view! { {answer} {unknown} }
}

fn open_text(state: OpenState, prefs: Prefs) -> (String, &'static str) {
    match state {
        OpenState::OpenUntil(m) => (
            fill(prefs.t(Msg::PointOpenUntil), &[("t", &minute_text(m))]),
            "ok",
        ),
        OpenState::OpensAt(m) => (
            fill(prefs.t(Msg::PointOpensAt), &[("t", &minute_text(m))]),
            "pending",
        ),
        OpenState::ClosedToday => (prefs.t(Msg::PointClosedToday).to_owned(), "pending"),
    }
}

/// A community chooser (a GET form) and the community's points, open now or when they open.
#[component]
fn Points(
    p: CollectionPoints,
    q: String,
    csrf: String,
    survey: Option<String>,
    saved: bool,
) -> impl IntoView {
    let prefs: Prefs = use_prefs();
    let editable = p.may_record_survey;
    let chosen = p
        .community
        .as_ref()
        .map(|(code, _)| code.clone())
        .unwrap_or_default();
    let list = p.community.is_some().then(|| {
        view! { <PointList points=p.points.clone() near=p.near tiles=p.tiles.clone() editable /> }
    });
    let add = editable.then(|| view! {
        <p><a class="button secondary" href=format!("/sorting/point?c={chosen}") data-testid="point-add">{prefs.t(Msg::PointAdd)}</a></p>
    });
    let saved_note = saved.then(|| view! { <p class="notice" role="status" data-testid="point-saved">{prefs.t(Msg::PointSaved)}</p> });
    let figures = p.rates.map(|r| month_figures(r, &p.month, &chosen, prefs));
    let survey_form = p.may_record_survey.then(|| {
        view! { <SurveyForm community=chosen.clone() month=p.month.clone() csrf=csrf.clone() /> }
    });
    let survey_note = survey.map(|outcome| {
        if outcome == "done" {
            view! { <p class="notice" role="status" data-testid="survey-done">{prefs.t(Msg::SurveyDone)}</p> }.into_any()
        } else {
            view! { <p class="status error" role="alert" data-testid="survey-refused">{prefs.t(Msg::SurveyRefused)}</p> }.into_any()
        }
    });
    view! {
        {community_chooser(&p.communities, &chosen, q, prefs)}
        <NearMe button=prefs.t(Msg::PointsNearMe).to_owned() failed=prefs.t(Msg::PointsLocateFailed).to_owned() />
        {saved_note}
        {list}
        {add}
        {figures}
        {survey_note}
        {survey_form}
    }
}

/// The GET form that picks a community (keeping the "which bin?" query).
fn community_chooser(
    communities: &[(String, Names)],
    chosen: &str,
    q: String,
    prefs: Prefs,
) -> impl IntoView + use<> {
    let options = communities
        .iter()
        .map(|(code, names)| {
            view! { <option value=code.clone() selected=*code == chosen>{crate::i18n::name(names, prefs.locale)}</option> }
        })
        .collect_view();
    view! {
        <form method="get" action="/sorting#points" class="search-row">
            <label for="points-community">{prefs.t(Msg::PointsCommunity)}</label>
            <select id="points-community" name="c">{options}</select>
            <input type="hidden" name="q" value=q />
            <button type="submit" data-testid="points-show">{prefs.t(Msg::PointsShow)}</button>
        </form>
    }
}

/// "Points near me": asks the browser where the resident is, then loads the points near there.
/// `button` and `failed` are the translated words.
#[island]
pub fn NearMe(button: String, failed: String) -> impl IntoView {
    let locate_failed = RwSignal::new(false);
    let find_near_me = move |_| {
        #[cfg(feature = "hydrate")]
        crate::map_view::locate_then(locate_failed, |lat, lng| {
            if let Some(w) = web_sys::window() {
                let _ = w
                    .location()
                    .set_href(&format!("/sorting?near={lat:.5},{lng:.5}#points"));
            }
        });
    };
    view! {
        <p>
            <button type="button" class="secondary needs-js" data-testid="points-near-me" on:click=find_near_me>
                {button}
            </button>
        </p>
        {move || locate_failed.get().then(|| view! { <p class="field-errors" role="alert">{failed.clone()}</p> })}
    }
}

/// The chosen community's (or the nearest) points: the map, then the list the map's taps scroll to.
#[component]
fn PointList(
    points: Vec<PointView>,
    /// Where the resident said they are, when the list is "near me".
    near: Option<(f64, f64)>,
    tiles: Option<TileLayerSpec>,
    /// The viewer may edit points (a council member).
    editable: bool,
) -> impl IntoView {
    let prefs = use_prefs();
    let items = points
        .iter()
        .map(|pt| point_item(pt, editable, prefs))
        .collect_view();
    let heading = near
        .is_some()
        .then(|| view! { <h3 data-testid="points-near">{prefs.t(Msg::PointsNearHeading)}</h3> });
    view! {
        {heading}
        <PointsMap points near tiles />
        <ul class="points" data-testid="points">{items}</ul>
    }
}

/// The points' map, when there is a base map: the server works out the markers, the island draws
/// them.
#[component]
fn PointsMap(
    points: Vec<PointView>,
    near: Option<(f64, f64)>,
    tiles: Option<TileLayerSpec>,
) -> impl IntoView {
    let prefs = use_prefs();
    let markers = points
        .iter()
        .map(|pt| PointMarker {
            lat: pt.lat,
            lng: pt.lng,
            label: format!("{} · {}", pt.name, open_text(pt.state, prefs).0),
            open: matches!(pt.state, OpenState::OpenUntil(_)),
            id: pt.id,
        })
        .collect();
    let label = prefs.t(Msg::PointsMapLabel).to_owned();
    view! { <PointsMapIsland markers near tiles label /> }
}

#[island]
pub fn PointsMapIsland(
    markers: Vec<PointMarker>,
    near: Option<(f64, f64)>,
    tiles: Option<TileLayerSpec>,
    label: String,
) -> impl IntoView {
    let map_el = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    if let Some(tiles) = tiles {
        crate::map_view::mount_points_map(map_el, tiles, markers, near);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (markers, near, tiles);
    view! {
        <div class="points-map needs-js" node_ref=map_el role="region" aria-label=label data-testid="points-map"></div>
    }
}

/// One point: its state now, bins, windows, distance, and the edit link for its council.
fn point_item(pt: &PointView, editable: bool, prefs: Prefs) -> impl IntoView + use<> {
    let (status, class) = open_text(pt.state, prefs);
    let bins = pt
        .bins
        .iter()
        .map(|b| view! { <span class=format!("bin-chip answer-{}", b.colour())>{prefs.t(bin_name(*b))}</span> })
        .collect_view();
    let distance = pt.distance_m.map(|m| {
        let community = pt.community.as_ref().map(|c| crate::i18n::name(c, prefs.locale)).unwrap_or_default();
        view! { <br /><small data-testid="point-distance">{fill(prefs.t(Msg::PointDistance), &[("m", &m.to_string()), ("c", &community)])}</small> }
    });
    let edit = editable.then(|| view! {
        " " <a href=format!("/sorting/point?id={}", pt.id) data-testid="point-edit">{prefs.t(Msg::PointEdit)}</a>
    });
    view! {
        <li class="point" id=format!("point-{}", pt.id) data-testid=format!("point-{}", pt.id)
            data-lat=format!("{:.6}", pt.lat) data-lng=format!("{:.6}", pt.lng)>
            <strong>{pt.name.clone()}</strong> " "
            <span class=class data-testid="point-state">{status}</span>
            {edit}
            {distance}
            <br />
            <small>{fill(prefs.t(Msg::PointWindows), &[("w", &pt.windows.join("、")), ("n", &pt.households.to_string())])}</small>
            <div class="bin-chips">{bins}</div>
        </li>
    }
}

/// The month's rates so far, each with what it means, and the link to the twelve-month trend.
fn month_figures(r: Rates, month: &str, community: &str, prefs: Prefs) -> impl IntoView + use<> {
    let line = |m: Msg, d: Msg, x: Option<domain::workflow::board::Ratio>| {
        view! { <li><strong>{prefs.t(m)}</strong> " " {ratio_text(x)} <br /><small>{prefs.t(d)}</small></li> }
    };
    view! {
        <h3>{fill(prefs.t(Msg::RatesHeading), &[("month", month)])}</h3>
        <p><a href=format!("/sorting/community/{community}") data-testid="trend-link">{prefs.t(Msg::TrendLink)}</a></p>
        <ul class="rates" data-testid="rates">
            {line(Msg::RateParticipation, Msg::RateParticipationDef, r.participation)}
            {line(Msg::RateAccuracy, Msg::RateAccuracyDef, r.accuracy)}
            {line(Msg::RateAwareness, Msg::RateAwarenessDef, r.awareness)}
            {line(Msg::RateCoverage, Msg::RateCoverageDef, r.coverage)}
        </ul>
    }
}

/// The council's form for the month's awareness survey (asked, answered correctly).
#[component]
fn SurveyForm(community: String, month: String, csrf: String) -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <form method="post" action="/sorting/survey" class="stack survey-form" data-testid="survey-form">
            <h3>{prefs.t(Msg::SurveyHeading)}</h3>
            <CsrfField token=csrf />
            <input type="hidden" name="community" value=community />
            <label>{prefs.t(Msg::SurveyMonth)}<input name="month" value=month required /></label>
            <label>{prefs.t(Msg::SurveyAsked)}<input name="asked" type="number" min="1" inputmode="numeric" required /></label>
            <label>{prefs.t(Msg::SurveyCorrect)}<input name="correct" type="number" min="0" inputmode="numeric" required /></label>
            <button type="submit" data-testid="survey-save">{prefs.t(Msg::SurveySave)}</button>
        </form>
    }
}

/// "25.0% (40/160)", or "—" when there is nothing to divide.
pub fn ratio_text(r: Option<domain::workflow::board::Ratio>) -> String {
    match r.and_then(|x| x.percent().map(|p| (p, x))) {
        Some((p, x)) => format!("{p:.1}% ({}/{})", x.part, x.whole),
        None => "—".to_owned(),
    }
}
