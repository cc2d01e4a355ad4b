//! Live updates: an island that keeps a page's `[data-live-region]`s current while it is open.
//! It listens to the server's case events (or, for a vote's meter, polls) and asks the server for
//! the page again, so the regions show what a reload would, without a reload.

use leptos::prelude::*;

/// Refreshes the page's live regions whenever one of these cases or areas changes, or every
/// `every_s` seconds when that is not zero. Renders nothing.
#[island]
pub fn LiveRefresh(codes: Vec<String>, areas: Vec<String>, every_s: u32) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        let refresh =
            || leptos::task::spawn_local(crate::browser::refresh_regions(crate::browser::here()));
        if every_s > 0 {
            if let Ok(handle) =
                set_interval_with_handle(refresh, std::time::Duration::from_secs(every_s.into()))
            {
                on_cleanup(move || handle.clear());
            }
        } else {
            watch_cases(codes, areas, refresh);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (codes, areas, every_s);
}

/// Watches these tracking codes and areas until the current reactive owner is cleaned up.
#[cfg(feature = "hydrate")]
fn watch_cases(codes: Vec<String>, areas: Vec<String>, on_change: impl Fn() + 'static) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
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
