//! Live updates, browser only: listens to the server's case events and calls back on each change,
//! so an open page refreshes itself when its case moves on. Closed with the page.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// Watches these tracking codes and areas until the current reactive owner is cleaned up.
pub fn watch_cases(codes: Vec<String>, areas: Vec<String>, on_change: impl Fn() + 'static) {
    if codes.is_empty() && areas.is_empty() {
        return;
    }
    let url = format!(
        "/events/cases?codes={}&areas={}",
        codes.join(","),
        areas.join(",")
    );
    let Ok(source) = web_sys::EventSource::new(&url) else {
        return;
    };
    let callback =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |_: web_sys::MessageEvent| on_change());
    let _ = source.add_event_listener_with_callback("changed", callback.as_ref().unchecked_ref());
    // Marks the page for tests and support: live updates are connected.
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let _ = body.set_attribute("data-live", "on");
    }
    let held = StoredValue::new_local(Some((source, callback)));
    on_cleanup(move || {
        if let Some((source, _callback)) = held.try_update_value(|h| h.take()).flatten() {
            source.close();
        }
    });
}
