use crate::api::fetch_viewer;
use crate::components::forms::CsrfField;
use crate::components::status::{LoadFailed, Loading};
use crate::i18n::{Msg, fill, name, role_name};
use crate::prefs::{prefs_href, use_prefs};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MePage() -> impl IntoView {
    let prefs = use_prefs();
    let other = prefs.locale.other();
    let viewer = Resource::new(|| (), |_| fetch_viewer());
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
                        <h2>{prefs.t(Msg::MeRolesHeading)}</h2>
                        <ul class="roles">{roles}</ul>
                        {me.is_staff.then(|| view! { <p><a class="button" href="/staff">{prefs.t(Msg::StaffLink)}</a></p> })}
                        <form method="post" action="/logout">
                            <CsrfField token=v.csrf_token.unwrap_or_default() />
                            <button type="submit" class="button">{prefs.t(Msg::Logout)}</button>
                        </form>
                    </section>
                }
                    .into_any()
            })}
        </Suspense>
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
    }
}
