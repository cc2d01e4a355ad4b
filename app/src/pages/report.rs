use crate::api::fetch_categories;
use crate::components::status::{LoadFailed, Loading};
use crate::i18n::{Locale, Msg, fill, name};
use crate::prefs::use_prefs;
use domain::category::{CategoryKind, TimeLimit, TimeUnit};
use leptos::prelude::*;
use leptos_meta::Title;

fn limit_text(limit: TimeLimit, locale: Locale) -> String {
    let msg = match limit.unit {
        TimeUnit::WorkHours => Msg::LimitWorkHours,
        TimeUnit::WorkDays => Msg::LimitWorkDays,
        TimeUnit::NaturalDays => Msg::LimitNaturalDays,
    };
    fill(msg.text(locale), &[("n", &limit.amount.to_string())])
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let prefs = use_prefs();
    let groups = Resource::new(|| (), |_| fetch_categories());
    view! {
        <Title text=prefs.t(Msg::ReportTitle) />
        <h1>{prefs.t(Msg::ReportHeading)}</h1>
        <p class="lead">{prefs.t(Msg::ReportLead)}</p>
        <p class="notice">{prefs.t(Msg::ReportSoon)}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match groups.await {
                    Ok(groups) => {
                        let section = move |kind: CategoryKind, heading: Msg| {
                            let groups = groups
                                .iter()
                                .filter(|g| g.kind == kind)
                                .map(|g| {
                                    let subs = g
                                        .subs
                                        .iter()
                                        .map(|s| {
                                            view! {
                                                <li class="category" data-code=s.code.clone()>
                                                    <span class="category-name">{name(&s.names, prefs.locale)}</span>
                                                    <span class="category-meta">
                                                        {name(&s.department, prefs.locale)} " · "
                                                        {limit_text(s.time_limit, prefs.locale)}
                                                    </span>
                                                </li>
                                            }
                                        })
                                        .collect_view();
                                    view! {
                                        <details class="category-group">
                                            <summary>{name(&g.names, prefs.locale)}</summary>
                                            <ul>{subs}</ul>
                                        </details>
                                    }
                                })
                                .collect_view();
                            view! {
                                <h2>{prefs.t(heading)}</h2>
                                {groups}
                            }
                        };
                        view! {
                            {section(CategoryKind::Event, Msg::KindEvent)}
                            {section(CategoryKind::Component, Msg::KindComponent)}
                        }
                            .into_any()
                    }
                    Err(_) => view! { <LoadFailed /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
