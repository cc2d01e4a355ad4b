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
    let query = leptos_router::hooks::use_query_map();
    view! {
        <Title text=prefs.t(Msg::TrackTitle) />
        <h1>{prefs.t(Msg::TrackHeading)}</h1>
        <p class="lead">{prefs.t(Msg::TrackLead)}</p>
        {move || (query.with(|q| q.get("error")).is_some()).then(|| view! {
            <p class="field-errors" role="alert">{prefs.t(Msg::CaseMalformed)}</p>
        })}
        <form method="get" action="/track/go" class="lookup">
            <label for="code">{prefs.t(Msg::TrackLookupLabel)}</label>
            <input id="code" name="code" type="text" placeholder="XM-2026-000123" autocapitalize="characters" required />
            <button type="submit" class="primary">{prefs.t(Msg::TrackLookupButton)}</button>
        </form>
        <ol class="stages">{STAGES.map(|m| view! { <li>{prefs.t(m)}</li> }).collect_view()}</ol>
        <p><a href="/board" data-testid="board-link">{prefs.t(Msg::BoardLink)}</a></p>
    }
}
