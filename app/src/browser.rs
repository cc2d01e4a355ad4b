//! Small browser helpers the islands share (hydrate only): refreshing server-rendered regions in
//! place, and the page events islands use to talk to each other without sharing a parent.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// Fetches `url` as the server renders it and replaces each `[data-live-region]` of this page
/// with the element of the same id there. The server stays the only renderer: no page's markup
/// is duplicated in the WASM. A failed fetch leaves the page as it is.
pub async fn refresh_regions(url: String) {
    if let Err(e) = try_refresh(&url).await {
        leptos::logging::debug_warn!("refresh of {url} failed: {e:?}");
    }
}

/// GETs `url` and reads its body; `None` when the server answers with an error status.
async fn fetch_text(url: &str) -> Result<Option<String>, JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let response: web_sys::Response =
        wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(url))
            .await?
            .dyn_into()?;
    if !response.ok() {
        return Ok(None);
    }
    let text = wasm_bindgen_futures::JsFuture::from(response.text()?).await?;
    Ok(Some(text.as_string().unwrap_or_default()))
}

async fn try_refresh(url: &str) -> Result<(), JsValue> {
    let Some(html) = fetch_text(url).await? else {
        return Ok(());
    };
    let window = web_sys::window().ok_or("no window")?;
    let fresh =
        web_sys::DomParser::new()?.parse_from_string(&html, web_sys::SupportedType::TextHtml)?;
    let document = window.document().ok_or("no document")?;
    let regions = document.query_selector_all("[data-live-region]")?;
    for i in 0..regions.length() {
        let Some(region) = regions
            .get(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        // Only what changed: an unchanged region keeps its focus and is not announced again.
        if let Some(new) = fresh.get_element_by_id(&region.id()) {
            let html = new.inner_html();
            if region.inner_html() != html {
                region.set_inner_html(&html);
            }
        }
    }
    Ok(())
}

/// GETs `url` and reads its JSON answer; `None` when the request or the answer fails.
pub async fn get_json<T: serde::de::DeserializeOwned>(url: &str) -> Option<T> {
    let text = fetch_text(url).await.ok()??;
    leptos::serde_json::from_str(&text).ok()
}

/// Numbers the requests an island makes, so that only the latest one's answer is shown (a slow
/// earlier answer must not overwrite a newer one).
#[derive(Clone, Default)]
pub struct Latest(std::rc::Rc<std::cell::Cell<u64>>);

impl Latest {
    pub fn next(&self) -> u64 {
        let n = self.0.get() + 1;
        self.0.set(n);
        n
    }

    pub fn is_latest(&self, n: u64) -> bool {
        self.0.get() == n
    }
}

/// The address of this page.
pub fn here() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}

/// Sends `detail` to every island listening for `name` on the window.
pub fn announce(name: &str, detail: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&JsValue::from_str(detail));
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = window.dispatch_event(&event);
    }
}

/// Calls `then` with the detail of every `name` event sent with [`announce`], for the page's life.
pub fn listen(name: &str, then: impl Fn(String) + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let callback = Closure::<dyn Fn(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
        then(e.detail().as_string().unwrap_or_default())
    });
    let _ = window.add_event_listener_with_callback(name, callback.as_ref().unchecked_ref());
    // Islands live as long as the page (there is no client-side navigation).
    callback.forget();
}

/// Calls `then` on every `event` of the element with this id, for the page's life.
pub fn on_element(id: &str, event: &str, then: impl Fn() + 'static) {
    let Some(el) = element(id) else { return };
    let callback = Closure::<dyn Fn()>::new(then);
    let _ = el.add_event_listener_with_callback(event, callback.as_ref().unchecked_ref());
    callback.forget();
}

pub fn element(id: &str) -> Option<web_sys::Element> {
    web_sys::window()?.document()?.get_element_by_id(id)
}

/// The current value of the form field with this id (a select or an input).
pub fn field_value(id: &str) -> String {
    let Some(el) = element(id) else {
        return String::new();
    };
    js_sys::Reflect::get(&el, &"value".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}
