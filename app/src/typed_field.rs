//! Text fields that code also fills (a reply template, a tap on a map, a +1 button) without losing
//! what was typed before the page hydrated. Binding such a field with `prop:value` would write the
//! server's value back into it at hydration, wiping what a staff member or volunteer on a slow phone
//! had already typed.

use leptos::html::ElementType;
use leptos::prelude::*;

/// Binds the field `node` to `value`. When the page hydrates, the signal adopts what the field holds;
/// after that every change of the signal is written into the field. Pair it with an `on:input` that
/// sets the signal, so typing and code stay in step.
#[cfg(feature = "hydrate")]
pub fn bind_field<E>(node: NodeRef<E>, value: RwSignal<String>)
where
    E: ElementType,
    E::Output: wasm_bindgen::JsCast + AsRef<wasm_bindgen::JsValue> + Clone + 'static,
{
    let key = wasm_bindgen::JsValue::from_str("value");
    // The effect's state says whether the field's first value has been adopted yet.
    Effect::new(move |adopted: Option<bool>| {
        let wanted = value.get();
        let Some(el) = node.get() else {
            return adopted.unwrap_or(false);
        };
        let field: &wasm_bindgen::JsValue = el.as_ref();
        let current = js_sys::Reflect::get(field, &key)
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        if adopted != Some(true) {
            if current != wanted {
                value.set(current);
            }
        } else if current != wanted {
            let _ = js_sys::Reflect::set(field, &key, &wasm_bindgen::JsValue::from_str(&wanted));
        }
        true
    });
}

/// On the server there is nothing to bind: the field is rendered with its value attribute.
#[cfg(not(feature = "hydrate"))]
pub fn bind_field<E: ElementType>(_node: NodeRef<E>, _value: RwSignal<String>) {}
