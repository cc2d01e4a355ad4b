use crate::cases::api::{fetch_case_list, fetch_categories, fetch_map_layers};
use crate::components::case_text::stage_name;
use crate::components::status::{DemoNotice, LoadFailed, Loading};
use crate::i18n::{Msg, fill, name};
use crate::prefs::use_prefs;
use domain::cases::cluster::{MapView, StateFilter};
use domain::cases::report::china_time_text;
use domain::ports::{CaseFilter, MapLayers};
use leptos::html::Div;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Grid codes start with their district's code, so counting by prefix needs no extra query.
fn grids_in(layers: &MapLayers, district_code: &str) -> usize {
    layers
        .grids
        .iter()
        .filter(|g| g.code.starts_with(district_code))
        .count()
}

#[component]
pub fn MapPage() -> impl IntoView {
    let prefs = use_prefs();
    let layers = Resource::new(|| (), |_| fetch_map_layers());
    let categories = Resource::new(|| (), |_| fetch_categories());
    let query = use_query_map();
    // Category codes are letters and digits; anything else is no filter (and so never has to be
    // escaped in the links and requests built from it).
    let category = query
        .with_untracked(|q| q.get("category"))
        .filter(|c| c.chars().all(|ch| ch.is_ascii_alphanumeric()))
        .unwrap_or_default();
    let state = query
        .with_untracked(|q| q.get("state").and_then(|s| StateFilter::parse(&s)))
        .unwrap_or_default();
    let page: u32 = query
        .with_untracked(|q| q.get("page").and_then(|p| p.parse().ok()))
        .unwrap_or(0)
        .min(1000);
    // The map's view, when the list is asked for the cases in view (the map's island asks so as
    // it moves); without it the list is the city's.
    let view = query.with_untracked(|q| match (q.get("bbox"), q.get("zoom")) {
        (Some(b), Some(z)) => MapView::parse(&b, &z).ok(),
        _ => None,
    });
    let filter = CaseFilter {
        view,
        category: category.clone(),
        state,
    };
    let list = Resource::new(move || filter.clone(), move |f| fetch_case_list(f, page));
    let texts = MapTexts {
        label: prefs.t(Msg::MapLabel).to_owned(),
        fallback: prefs.t(Msg::MapFallback).to_owned(),
    };

    let map_category = category.clone();
    view! {
        <Title text=prefs.t(Msg::MapTitle) />
        <h1>{prefs.t(Msg::MapHeading)}</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match layers.await {
                    Ok(data) => view! { <MapSummary data=data.clone() /> }.into_any(),
                    Err(_) => view! { <LoadFailed /> }.into_any(),
                }
            })}
        </Suspense>
        <CaseFilterForm categories category=category.clone() state />
        <Suspense>
            {move || {
                let (category, texts) = (map_category.clone(), texts.clone());
                Suspend::new(async move {
                    layers.await.ok().map(|layers| view! { <CityMap layers category state texts /> })
                })
            }}
        </Suspense>
        <div id="case-list-region" data-live-region="">
            <CaseList list view page category state />
        </div>
    }
}

/// How many grid cells the city has, in all and per district (what the map shows, as text).
#[component]
fn MapSummary(data: MapLayers) -> impl IntoView {
    let prefs = use_prefs();
    let lead = fill(
        prefs.t(Msg::MapLead),
        &[("n", &data.grids.len().to_string())],
    );
    let districts = data
        .districts
        .iter()
        .map(|d| {
            let n = grids_in(&data, &d.code).to_string();
            view! {
                <li>
                    <span>{name(&d.names, prefs.locale)}</span>
                    <span class="count">{fill(prefs.t(Msg::MapGridCount), &[("n", &n)])}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <p class="lead">{lead}</p>
        {data.demo_shapes.then(|| view! { <DemoNotice /> })}
        <h2 class="visually-hidden">{prefs.t(Msg::MapDistrictsHeading)}</h2>
        <ul class="district-list">{districts}</ul>
    }
}

/// The city map's words, translated on the server so the island carries no message table.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MapTexts {
    pub label: String,
    pub fallback: String,
}

/// The city map: grid layers and the cases in view, drawn only in the browser. Moving the map
/// loads the clusters in view and has the server render the list below for the same view.
#[island]
pub fn CityMap(
    layers: MapLayers,
    category: String,
    state: StateFilter,
    texts: MapTexts,
) -> impl IntoView {
    let container = NodeRef::<Div>::new();
    #[cfg(not(feature = "hydrate"))]
    let _ = (&layers, &category, state);
    // The map exists only in the browser and lives as long as the page.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let Some(el) = container.get() else { return };
        let handle = std::rc::Rc::new(std::cell::RefCell::new(None::<crate::map_view::CityMap>));
        let on_view = {
            let (handle, category) = (handle.clone(), category.clone());
            let latest = crate::browser::Latest::default();
            move |v: MapView| {
                let (handle, category) = (handle.clone(), category.clone());
                let (latest, asked) = (latest.clone(), latest.next());
                leptos::task::spawn_local(async move {
                    use leptos::server_fn::ServerFn;
                    // One query string for both: the clusters' JSON and the list's page.
                    let query = format!(
                        "category={category}&state={}&bbox={},{},{},{}&zoom={}",
                        state.as_str(),
                        v.bbox.west,
                        v.bbox.south,
                        v.bbox.east,
                        v.bbox.north,
                        v.zoom
                    );
                    let clusters = format!("{}?{query}", crate::cases::api::FetchClusters::PATH);
                    let points: Vec<domain::ports::CaseCluster> =
                        crate::browser::get_json(&clusters)
                            .await
                            .unwrap_or_default();
                    // The map has moved on since: this answer is for an old view.
                    if !latest.is_latest(asked) {
                        return;
                    }
                    if let Some(map) = handle.borrow().as_ref() {
                        map.show_cases(&points);
                    }
                    crate::browser::refresh_regions(format!("/map?{query}")).await;
                });
            }
        };
        let locale = crate::prefs::Prefs::current().locale;
        crate::map_view::CityMap::mount(el, layers.clone(), locale, on_view, move |map| {
            *handle.borrow_mut() = Some(map);
        });
    });
    view! {
        <div id="city-map" class="city-map" node_ref=container role="region" aria-label=texts.label>
            // Shown until the map mounts, and again if it cannot (see style/main.css).
            <p class="status map-fallback">{texts.fallback}</p>
        </div>
    }
}

/// Category and open/closed filters: a GET form, so filtered views are links and work without JS.
#[component]
fn CaseFilterForm(
    categories: Resource<Result<Vec<domain::ports::CategoryGroup>, ServerFnError>>,
    category: String,
    state: StateFilter,
) -> impl IntoView {
    let prefs = use_prefs();
    let locale = prefs.locale;
    view! {
        <form method="get" action="/map" class="case-filters">
            <label for="filter-category">{prefs.t(Msg::ReportCategory)}</label>
            <select id="filter-category" name="category">
                <option value="">{prefs.t(Msg::FilterAllCategories)}</option>
                <Suspense>
                    {
                        let category = category.clone();
                        move || {
                            let category = category.clone();
                            Suspend::new(async move {
                                categories
                                    .await
                                    .unwrap_or_default()
                                    .into_iter()
                                    .map(|g| {
                                        let subs = g
                                            .subs
                                            .iter()
                                            .map(|s| view! {
                                                <option value=s.code.clone() selected=category == s.code>
                                                    {name(&s.names, locale)}
                                                </option>
                                            })
                                            .collect_view();
                                        view! {
                                            <option value=g.code.clone() selected=category == g.code>
                                                {format!("{}（{}）", name(&g.names, locale), prefs.t(Msg::FilterWholeClass))}
                                            </option>
                                            {subs}
                                        }
                                    })
                                    .collect_view()
                            })
                        }
                    }
                </Suspense>
            </select>
            <label for="filter-state">{prefs.t(Msg::FilterState)}</label>
            <select id="filter-state" name="state">
                <option value="open" selected=state == StateFilter::Open>{prefs.t(Msg::FilterOpen)}</option>
                <option value="closed" selected=state == StateFilter::Closed>{prefs.t(Msg::FilterClosed)}</option>
                <option value="all" selected=state == StateFilter::All>{prefs.t(Msg::FilterAll)}</option>
            </select>
            <button type="submit" class="button">{prefs.t(Msg::FilterApply)}</button>
        </form>
    }
}

/// The cases on the map as a list: what keyboard and screen-reader users (and phones without the
/// map) use.
#[component]
fn CaseList(
    list: Resource<Result<Vec<domain::ports::CaseListItem>, ServerFnError>>,
    /// The map's view the list is of (`None`: the city's).
    view: Option<MapView>,
    page: u32,
    category: String,
    state: StateFilter,
) -> impl IntoView {
    let prefs = use_prefs();
    let locale = prefs.locale;
    // The next page is of the same view.
    let in_view = view
        .map(|v| {
            let b = v.bbox;
            format!(
                "&bbox={},{},{},{}&zoom={}",
                b.west, b.south, b.east, b.north, v.zoom
            )
        })
        .unwrap_or_default();
    let more = format!(
        "/map?category={category}&state={}&page={}{in_view}",
        state.as_str(),
        page + 1
    );
    view! {
        <h2 id="case-list-heading">
            {if view.is_some() { prefs.t(Msg::ListInView) } else { prefs.t(Msg::ListCity) }}
        </h2>
        <Transition fallback=Loading>
            {move || {
                let more = more.clone();
                Suspend::new(async move {
                    let items = list.await.unwrap_or_default();
                    if items.is_empty() {
                        return view! { <p class="status" data-testid="case-list-empty">{prefs.t(Msg::ListEmpty)}</p> }.into_any();
                    }
                    let full = items.len() as u32 >= 30;
                    let rows = items
                        .into_iter()
                        .map(|c| view! {
                            <li class="case-row" data-code=c.code.clone()>
                                <a href=format!("/case/{}", c.code)>
                                    <strong>{name(&c.category, locale)}</strong>
                                    " · " {prefs.t(stage_name(c.stage))}
                                </a>
                                <p>{c.excerpt}</p>
                                <small>{c.code.clone()} " · " {name(&c.community, locale)} " · " {china_time_text(c.created_ms)}</small>
                            </li>
                        })
                        .collect_view();
                    view! {
                        <ul class="case-list" aria-labelledby="case-list-heading" data-testid="case-list">{rows}</ul>
                        {full.then(|| view! { <a class="button" href=more>{prefs.t(Msg::ListMore)}</a> })}
                    }
                        .into_any()
                })
            }}
        </Transition>
    }
}
