use crate::api::fetch_map_layers;
use crate::components::status::{DemoNotice, LoadFailed, Loading};
use crate::i18n::{Msg, fill, name};
use crate::prefs::use_prefs;
use domain::ports::MapLayers;
use leptos::html::Div;
use leptos::prelude::*;
use leptos_meta::Title;

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
    let container = NodeRef::<Div>::new();

    // The map exists only in the browser, after hydration, and is removed with the page.
    #[cfg(feature = "hydrate")]
    {
        let handle = StoredValue::new_local(None::<crate::map_view::CityMap>);
        Effect::new(move |_| {
            if let (Some(Ok(data)), Some(el)) = (layers.get(), container.get()) {
                let label = prefs.locale;
                crate::map_view::CityMap::mount(el, data, label, move |map| {
                    handle.set_value(Some(map))
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
        <Title text=prefs.t(Msg::MapTitle) />
        <h1>{prefs.t(Msg::MapHeading)}</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match layers.await {
                    Ok(data) => {
                        let lead = fill(prefs.t(Msg::MapLead), &[("n", &data.grids.len().to_string())]);
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
                            .into_any()
                    }
                    Err(_) => view! { <LoadFailed /> }.into_any(),
                }
            })}
        </Suspense>
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
