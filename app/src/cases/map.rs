use crate::cases::api::{fetch_case_list, fetch_categories, fetch_clusters, fetch_map_layers};
use crate::components::case_text::stage_name;
use crate::components::status::{DemoNotice, LoadFailed, Loading};
use crate::i18n::{Msg, fill, name};
use crate::prefs::use_prefs;
use domain::cases::cluster::{MapView, StateFilter};
use domain::cases::report::china_time_text;
use domain::ports::{CaseCluster, CaseFilter, MapLayers};
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
    let category = query.with_untracked(|q| q.get("category").unwrap_or_default());
    let state = query
        .with_untracked(|q| q.get("state").and_then(|s| StateFilter::parse(&s)))
        .unwrap_or_default();
    let page: u32 = query
        .with_untracked(|q| q.get("page").and_then(|p| p.parse().ok()))
        .unwrap_or(0)
        .min(1000);
    // The map's current view; `None` until the map exists (the server renders the city-wide list).
    let view = RwSignal::new(None::<MapView>);
    let filter = {
        let category = category.clone();
        move || CaseFilter {
            view: view.get(),
            category: category.clone(),
            state,
        }
    };
    let clusters = Resource::new(filter.clone(), |f| async move {
        if f.view.is_none() {
            return Vec::new();
        }
        fetch_clusters(f).await.unwrap_or_default()
    });
    let list = Resource::new(filter, move |f| fetch_case_list(f, page));

    view! {
        <Title text=prefs.t(Msg::MapTitle) />
        <h1>{prefs.t(Msg::MapHeading)}</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match layers.await {
                    Ok(data) => view! { <MapSummary data /> }.into_any(),
                    Err(_) => view! { <LoadFailed /> }.into_any(),
                }
            })}
        </Suspense>
        <CaseFilterForm categories category=category.clone() state />
        <CityMap layers clusters view />
        <CaseList list view page category state />
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

/// The city map: grid layers and the cases in view, drawn only in the browser. Moving the map sets
/// `view`, which refilters the clusters and the list.
#[component]
fn CityMap(
    layers: Resource<Result<MapLayers, ServerFnError>>,
    clusters: Resource<Vec<CaseCluster>>,
    view: RwSignal<Option<MapView>>,
) -> impl IntoView {
    let prefs = use_prefs();
    let container = NodeRef::<Div>::new();
    // Only the browser draws the map and its points (on the server `clusters` resolves empty at
    // once), so the server has no use for these.
    #[cfg(not(feature = "hydrate"))]
    let _ = (layers, clusters, view);

    // The map exists only in the browser, after hydration, and is removed with the page.
    #[cfg(feature = "hydrate")]
    {
        let handle = StoredValue::new_local(None::<crate::map_view::CityMap>);
        Effect::new(move |_| {
            if let (Some(Ok(data)), Some(el)) = (layers.get(), container.get()) {
                let label = prefs.locale;
                crate::map_view::CityMap::mount(
                    el,
                    data,
                    label,
                    move |v| view.set(Some(v)),
                    move |map| handle.set_value(Some(map)),
                );
            }
        });
        Effect::new(move |_| {
            if let Some(points) = clusters.get() {
                handle.with_value(|m| {
                    if let Some(m) = m {
                        m.show_cases(&points);
                    }
                });
            }
        });
        on_cleanup(move || {
            if let Some(map) = handle.try_update_value(|m| m.take()).flatten() {
                map.remove();
            }
        });
    }

    view! {
        <div
            id="city-map"
            class="city-map"
            node_ref=container
            role="region"
            aria-label=prefs.t(Msg::MapLabel)
        >
            // Shown until the map mounts, and again if it cannot (see style/main.css).
            <p class="status map-fallback">{prefs.t(Msg::MapFallback)}</p>
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
    view: RwSignal<Option<MapView>>,
    page: u32,
    category: String,
    state: StateFilter,
) -> impl IntoView {
    let prefs = use_prefs();
    let locale = prefs.locale;
    let more = format!(
        "/map?category={category}&state={}&page={}",
        state.as_str(),
        page + 1
    );
    view! {
        <h2 id="case-list-heading">
            {move || if view.get().is_some() { prefs.t(Msg::ListInView) } else { prefs.t(Msg::ListCity) }}
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
