use crate::i18n::Msg;
use crate::prefs::use_prefs;
use leptos::prelude::*;
use leptos_meta::Title;

/// The 数字城管 stages in order, as residents see them.
const STAGES: [Msg; 7] = [
    Msg::StageReported,
    Msg::StageRegistered,
    Msg::StageDispatched,
    Msg::StageHandled,
    Msg::StageVerified,
    Msg::StageClosed,
    Msg::StageRated,
];

#[component]
pub fn TrackPage() -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <Title text=prefs.t(Msg::TrackTitle) />
        <h1>{prefs.t(Msg::TrackHeading)}</h1>
        <p class="lead">{prefs.t(Msg::TrackLead)}</p>
        <ol class="stages">{STAGES.map(|m| view! { <li>{prefs.t(m)}</li> }).collect_view()}</ol>
    }
}
