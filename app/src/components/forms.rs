//! Pieces every state-changing form needs.

use leptos::prelude::*;

/// The hidden field the server checks against the session on every form post (CSRF).
#[component]
pub fn CsrfField(token: String) -> impl IntoView {
    view! { <input type="hidden" name="csrf" value=token /> }
}
