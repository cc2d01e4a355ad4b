use crate::i18n::Msg;
use crate::prefs::{prefs_href, use_prefs};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MePage() -> impl IntoView {
    let prefs = use_prefs();
    let other = prefs.locale.other();
    view! {
        <Title text=prefs.t(Msg::MeTitle) />
        <h1>{prefs.t(Msg::MeHeading)}</h1>
        <p class="notice">{prefs.t(Msg::MeSignInSoon)}</p>
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
