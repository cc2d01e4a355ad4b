use crate::i18n::Msg;
use crate::prefs::use_prefs;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ConsultPage() -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <Title text=prefs.t(Msg::ConsultTitle) />
        <h1>{prefs.t(Msg::ConsultHeading)}</h1>
        <p class="lead">{prefs.t(Msg::ConsultLead)}</p>
        <section class="card" aria-labelledby="rule-heading">
            <h2 id="rule-heading">{prefs.t(Msg::ConsultRuleHeading)}</h2>
            <ul>
                <li>{prefs.t(Msg::ConsultRuleQuorum)}</li>
                <li>{prefs.t(Msg::ConsultRuleMajor)}</li>
                <li>{prefs.t(Msg::ConsultRuleOther)}</li>
            </ul>
        </section>
    }
}
