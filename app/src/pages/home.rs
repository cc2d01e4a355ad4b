use crate::api::fetch_home_stats;
use crate::components::status::{LoadFailed, Loading};
use crate::i18n::Msg;
use crate::prefs::use_prefs;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let prefs = use_prefs();
    let stats = Resource::new(|| (), |_| fetch_home_stats());
    view! {
        <Title text=prefs.t(Msg::HomeTitle) />
        <section class="hero">
            <h1>{prefs.t(Msg::HomeHeading)}</h1>
            <p class="lead">{prefs.t(Msg::HomeLead)}</p>
            <div class="actions">
                <a class="button primary" href="/report">
                    {prefs.t(Msg::HomeReportAction)}
                </a>
                <a class="button" href="/map">
                    {prefs.t(Msg::HomeMapAction)}
                </a>
            </div>
            <p><a href="/board">{prefs.t(Msg::BoardLink)}</a> " · " <a href="/open-data">{prefs.t(Msg::OpenDataLink)}</a></p>
        </section>
        <section aria-labelledby="city-heading">
            <h2 id="city-heading">{prefs.t(Msg::HomeCityHeading)}</h2>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match stats.await {
                        Ok(s) => {
                            let items = [
                                (s.districts, Msg::StatDistricts, "districts"),
                                (s.streets, Msg::StatStreets, "streets"),
                                (s.communities, Msg::StatCommunities, "communities"),
                                (s.grids, Msg::StatGrids, "grids"),
                                (s.categories, Msg::StatCategories, "categories"),
                                (s.departments, Msg::StatDepartments, "departments"),
                            ];
                            view! {
                                <ul class="stats">
                                    {items
                                        .into_iter()
                                        .map(|(n, label, id)| {
                                            view! {
                                                <li data-stat=id>
                                                    <span class="stat-number">{n}</span>
                                                    <span class="stat-label">{prefs.t(label)}</span>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                                <p class="hint">{prefs.t(Msg::HomeGridNote)}</p>
                            }
                                .into_any()
                        }
                        Err(_) => view! { <LoadFailed /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
