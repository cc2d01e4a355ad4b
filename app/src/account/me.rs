use crate::account::api::fetch_my_cases;
use crate::api::fetch_viewer;
use crate::components::case_text::stage_name;
use crate::components::forms::CsrfField;
use crate::components::status::{LoadFailed, Loading};
use crate::i18n::{Msg, fill, name, role_name};
use crate::live::LiveRefresh;
use crate::prefs::{prefs_href, use_prefs};
use domain::ports::{CaseListItem, MyCases};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MePage() -> impl IntoView {
    let prefs = use_prefs();
    let other = prefs.locale.other();
    let viewer = Resource::new(|| (), |_| fetch_viewer());
    let mine = Resource::new(|| (), |_| fetch_my_cases());
    view! {
        <Title text=prefs.t(Msg::MeTitle) />
        <h1>{prefs.t(Msg::MeHeading)}</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let Ok(v) = viewer.await else { return view! { <LoadFailed /> }.into_any() };
                let Some(me) = v.signed_in else {
                    return view! {
                        <p>
                            <a class="button primary" href="/login">{prefs.t(Msg::MeSignIn)}</a>
                        </p>
                    }
                        .into_any();
                };
                let roles = me
                    .roles
                    .iter()
                    .map(|r| {
                        let place = r.scope.as_ref().map(|n| name(n, prefs.locale)).unwrap_or_else(|| prefs.t(Msg::CityWide).to_owned());
                        view! { <li data-role=r.role.as_str()>{prefs.t(role_name(r.role))} " · " {place}</li> }
                    })
                    .collect_view();
                view! {
                    <section class="card" aria-labelledby="account-heading">
                        <p id="account-heading" data-testid="signed-in-as">
                            {fill(prefs.t(Msg::MeSignedInAs), &[("phone", &me.masked_phone)])}
                        </p>
                        <form method="post" action="/logout">
                            <CsrfField token=v.csrf_token.clone().unwrap_or_default() />
                            <button type="submit" class="button">{prefs.t(Msg::Logout)}</button>
                        </form>
                        <h2>{prefs.t(Msg::MeRolesHeading)}</h2>
                        <ul class="roles">{roles}</ul>
                        {me.is_staff.then(|| view! { <p><a class="button" href="/staff">{prefs.t(Msg::StaffLink)}</a></p> })}
                        {me
                            .roles
                            .iter()
                            .any(|r| r.role == domain::access::Role::Admin)
                            .then(|| view! { <p><a class="button" href="/admin">{prefs.t(Msg::AdminTitle)}</a></p> })}
                        <h2>{prefs.t(Msg::MeDataHeading)}</h2>
                        <p>
                            <a class="button" href="/me/export.json" rel="external" download data-testid="export">
                                {prefs.t(Msg::MeExport)}
                            </a>
                        </p>
                    </section>
                }
                    .into_any()
            })}
        </Suspense>
        <Transition>
            {move || Suspend::new(async move {
                mine.await.ok().flatten().map(|my| view! { <MyCasesList my /> })
            })}
        </Transition>
        <section class="card" aria-labelledby="settings-heading">
            <h2 id="settings-heading">{prefs.t(Msg::MeSettingsHeading)}</h2>
            <dl class="settings">
                <dt>{prefs.t(Msg::MeLanguage)}</dt>
                <dd>
                    <span>{prefs.t(Msg::MeCurrentLanguage)}</span>
                    <a class="button" rel="external" href=prefs_href("lang", other.tag(), "/me") lang=other.tag()>
                        {prefs.t(Msg::LanguageSwitch)}
                    </a>
                </dd>
                <dt>{prefs.t(Msg::MeTextSize)}</dt>
                <dd>
                    <span>
                        {prefs.t(if prefs.large_text { Msg::MeLargeTextIsOn } else { Msg::MeLargeTextIsOff })}
                    </span>
                    <a
                        class="button"
                        rel="external"
                        href=prefs_href("text", if prefs.large_text { "normal" } else { "large" }, "/me")
                    >
                        {prefs.t(if prefs.large_text { Msg::LargeTextOff } else { Msg::LargeTextOn })}
                    </a>
                </dd>
            </dl>
        </section>
        <Suspense>
            {move || Suspend::new(async move {
                viewer
                    .await
                    .ok()
                    .filter(|v| v.signed_in.is_some())
                    .map(|v| view! { <DeleteAccount csrf=v.csrf_token.unwrap_or_default() /> })
            })}
        </Suspense>
    }
}

/// Deleting the account, apart from everything else on the page and behind a second step (open,
/// then confirm), so nobody who meant "sign out" erases their account.
#[component]
fn DeleteAccount(csrf: String) -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <section class="card danger-zone" aria-labelledby="delete-heading">
            <h2 id="delete-heading">{prefs.t(Msg::MeDeleteHeading)}</h2>
            <details>
                <summary data-testid="delete-open">{prefs.t(Msg::MeDeleteOpen)}</summary>
                <p>{prefs.t(Msg::MeDeleteLead)}</p>
                <form method="post" action="/me/delete" class="danger">
                    <CsrfField token=csrf />
                    <label class="check">
                        <input type="checkbox" name="confirm" value="yes" required />
                        {prefs.t(Msg::MeDeleteConfirm)}
                    </label>
                    <button type="submit" class="button danger" data-testid="delete-account">{prefs.t(Msg::MeDelete)}</button>
                </form>
            </details>
        </section>
    }
}

/// What the resident reported and follows, updated live while the page is open.
#[component]
fn MyCasesList(my: MyCases) -> impl IntoView {
    let prefs = use_prefs();
    let locale = prefs.locale;
    let watched: Vec<String> = my
        .reported
        .iter()
        .chain(&my.following)
        .map(|c| c.code.clone())
        .take(40)
        .collect();
    let watched_areas: Vec<String> = my
        .areas
        .iter()
        .map(|(code, _)| code.clone())
        .take(10)
        .collect();
    let rows = move |items: &[CaseListItem], testid: &'static str| {
        if items.is_empty() {
            return view! { <p class="hint">{prefs.t(Msg::MeNothingYet)}</p> }.into_any();
        }
        let rows = items
            .iter()
            .map(|c| {
                view! {
                    <li class="case-row" data-code=c.code.clone()>
                        <a href=format!("/case/{}", c.code)>
                            <strong>{name(&c.category, locale)}</strong>
                            " · "
                            <span class="stage">{prefs.t(stage_name(c.stage))}</span>
                        </a>
                        <small>{c.code.clone()} " · " {name(&c.community, locale)}</small>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="case-list" data-testid=testid>{rows}</ul> }.into_any()
    };
    let areas = my
        .areas
        .iter()
        .map(|(code, names)| view! {
            <li>
                {name(names, locale)} " · "
                <a href=format!("/area/{code}/feed.atom") type="application/atom+xml">{prefs.t(Msg::FeedArea)}</a>
            </li>
        })
        .collect_view();
    view! {
        <LiveRefresh codes=watched areas=watched_areas every_s=0 />
        <section class="card" id="my-cases" data-live-region="" aria-labelledby="my-reports-heading">
            <h2 id="my-reports-heading">{prefs.t(Msg::MeReported)}</h2>
            {rows(&my.reported, "my-reports")}
            <h2>{prefs.t(Msg::MeFollowing)}</h2>
            {rows(&my.following, "my-following")}
            <h2>{prefs.t(Msg::MeAreas)}</h2>
            {if my.areas.is_empty() {
                view! { <p class="hint">{prefs.t(Msg::MeNothingYet)}</p> }.into_any()
            } else {
                view! { <ul data-testid="my-areas">{areas}</ul> }.into_any()
            }}
        </section>
    }
}
