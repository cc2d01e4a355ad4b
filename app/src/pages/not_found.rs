use crate::i18n::Msg;
use crate::prefs::use_prefs;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let prefs = use_prefs();
    view! {
        <Title text=prefs.t(Msg::NotFoundTitle) />
        <section class="not-found">
            <h1>{prefs.t(Msg::NotFoundHeading)}</h1>
            <p>{prefs.t(Msg::NotFoundBody)}</p>
            <a class="button primary" href="/">
                {prefs.t(Msg::BackHome)}
            </a>
        </section>
    }
}
