//! Small shared pieces for loading and failure states.

use crate::i18n::Msg;
use crate::prefs::use_prefs;
use leptos::prelude::*;

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="status" aria-live="polite">{use_prefs().t(Msg::Loading)}</p> }
}

/// Shown when the store could not answer; the technical reason stays in the server log.
#[component]
pub fn LoadFailed() -> impl IntoView {
    view! { <p class="status error" role="alert">{use_prefs().t(Msg::LoadFailed)}</p> }
}

#[component]
pub fn DemoNotice() -> impl IntoView {
    view! { <p class="notice">{use_prefs().t(Msg::DemoDataNotice)}</p> }
}
