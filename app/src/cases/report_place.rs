//! The report form's steps that run in the browser once it hydrates: where the problem is (the
//! map pin, the device's position, the community list standing in for both) and the photos, whose
//! GPS position the form offers as the pin.

use crate::cases::report_text::field_errors;
use crate::i18n::{Msg, fill, name};
use crate::prefs::use_prefs;
use domain::cases::report::{ReportField, ReportProblem};
use domain::ports::PlaceOption;
use domain::tiles::TileLayerSpec;
use leptos::html::Div;
use leptos::prelude::*;

/// "Where": the map and "use my location", then the community list and address for those without
/// a map (open when the draft chose a community or was refused for one).
#[component]
pub(super) fn WhereStep(
    tiles: TileLayerSpec,
    centre: (f64, f64),
    places: Vec<PlaceOption>,
    /// The draft's community code and address.
    community: String,
    address: String,
    problems: Vec<ReportProblem>,
    /// The draft's pin (WGS-84 text) and where it came from.
    lat: String,
    lng: String,
    source: String,
) -> impl IntoView {
    let prefs = use_prefs();
    let texts = PinTexts {
        hint: prefs.t(Msg::ReportMapHint).to_owned(),
        map_label: prefs.t(Msg::ReportMapLabel).to_owned(),
        use_location: prefs.t(Msg::ReportUseMyLocation).to_owned(),
        locate_failed: prefs.t(Msg::ReportLocateFailed).to_owned(),
        pin_none: prefs.t(Msg::ReportPinNone).to_owned(),
        pin_set: prefs.t(Msg::ReportPinSet).to_owned(),
    };
    let list_open = community.trim().len() == 12
        || problems.iter().any(|p| {
            matches!(
                p,
                ReportProblem::UnknownCommunity | ReportProblem::AddressMissing
            )
        });
    view! {
        <fieldset>
            <legend>{prefs.t(Msg::ReportStepWhere)}</legend>
            {field_errors(&problems, ReportField::Location, prefs.locale)}
            <PinPicker tiles centre lat lng source texts />
            <details class="no-map" open=list_open>
                <summary>{prefs.t(Msg::ReportNoMap)}</summary>
                <label for="community">{prefs.t(Msg::ReportCommunity)}</label>
                <select id="community" name="community">
                    <option value="">{prefs.t(Msg::ReportCommunityNone)}</option>
                    {community_options(&places, &community)}
                </select>
                <label for="address">{prefs.t(Msg::ReportAddress)}</label>
                <input id="address" name="address" type="text" maxlength="200" value=address aria-describedby="address-hint" />
                <p class="hint" id="address-hint">{prefs.t(Msg::ReportAddressHint)}</p>
            </details>
        </fieldset>
    }
}

/// One `<optgroup>` per street ("district street"), its communities as options.
fn community_options(places: &[PlaceOption], chosen: &str) -> impl IntoView + use<> {
    let locale = use_prefs().locale;
    places
        .iter()
        .flat_map(|d| {
            d.children.iter().map(move |s| {
                let label = format!("{} {}", name(&d.names, locale), name(&s.names, locale));
                let options = s
                    .children
                    .iter()
                    .map(|c| {
                        let selected = chosen == c.code;
                        view! { <option value=c.code.clone() selected=selected>{name(&c.names, locale)}</option> }
                    })
                    .collect_view();
                view! { <optgroup label=label>{options}</optgroup> }
            })
        })
        .collect_view()
}

/// The pin picker's words, translated on the server so the island carries no message table.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PinTexts {
    pub hint: String,
    pub map_label: String,
    pub use_location: String,
    pub locate_failed: String,
    pub pin_none: String,
    /// With `{lat}` and `{lng}`.
    pub pin_set: String,
}

/// The map (a tap sets the pin), "use my location", what the pin is now, and the hidden fields the
/// pin writes into. Without JavaScript only the status and the empty fields show. The photo
/// field's island moves the pin with a `linli-pin` event; every move is announced as
/// `linli-pin-moved` (for the nearby cases).
#[island]
pub fn PinPicker(
    tiles: TileLayerSpec,
    centre: (f64, f64),
    lat: String,
    lng: String,
    source: String,
    texts: PinTexts,
) -> impl IntoView {
    let (lat, lng, source) = (
        RwSignal::new(lat),
        RwSignal::new(lng),
        RwSignal::new(source),
    );
    let locate_failed = RwSignal::new(false);
    let map_el = NodeRef::<Div>::new();

    #[cfg(feature = "hydrate")]
    {
        crate::map_view::mount_pin_map(map_el, tiles, centre, 12.0, lat, lng, source);
        crate::browser::listen("linli-pin", move |detail| {
            let mut parts = detail.splitn(3, ',');
            if let (Some(a), Some(b), Some(s)) = (parts.next(), parts.next(), parts.next()) {
                lat.set(a.to_owned());
                lng.set(b.to_owned());
                source.set(s.to_owned());
            }
        });
        Effect::new(move |_| {
            let at = format!("{},{}", lat.get(), lng.get());
            crate::browser::announce("linli-pin-moved", &at);
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (tiles, centre);
    let PinTexts {
        hint,
        map_label,
        use_location,
        locate_failed: failed_text,
        pin_none,
        pin_set,
    } = texts;

    view! {
        <p class="hint needs-js">{hint}</p>
        <div id="report-map" class="report-map" node_ref=map_el role="region" aria-label=map_label></div>
        <button
            type="button"
            class="secondary needs-js"
            id="use-my-location"
            data-testid="use-my-location"
            on:click=move |_| {
                #[cfg(feature = "hydrate")]
                crate::map_view::locate_me(lat, lng, source, locate_failed);
            }
        >
            {use_location}
        </button>
        {move || locate_failed.get().then(|| view! { <p class="field-errors" role="alert">{failed_text.clone()}</p> })}
        <p class="pin-status" aria-live="polite" data-testid="pin-status">
            {move || {
                let (la, ln) = (lat.get(), lng.get());
                if la.is_empty() {
                    pin_none.clone()
                } else {
                    fill(&pin_set, &[("lat", &la), ("lng", &ln)])
                }
            }}
        </p>
        <input type="hidden" name="lat" value=move || lat.get() />
        <input type="hidden" name="lng" value=move || lng.get() />
        <input type="hidden" name="location_source" value=move || source.get() />
    }
}

/// "Photos": the file input, and the privacy hint.
#[component]
pub(super) fn PhotoStep(
    /// How many photos the refused draft had (they must be chosen again).
    photos_sent: u32,
    problems: Vec<ReportProblem>,
) -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <fieldset>
            <legend>{prefs.t(Msg::ReportStepPhotos)}</legend>
            {field_errors(&problems, ReportField::Photos, prefs.locale)}
            {(photos_sent > 0).then(|| view! { <p class="notice">{prefs.t(Msg::ReportPhotosAgain)}</p> })}
            <label for="photo">{prefs.t(Msg::ReportPhotos)}</label>
            <PhotoPicker offer=prefs.t(Msg::ReportUsePhotoPlace).to_owned() />
            <p class="hint" id="photo-hint">{prefs.t(Msg::ReportPhotoPrivacy)}</p>
        </fieldset>
    }
}

/// The photo input; when the chosen photo carries a GPS position, a button offers to put the pin
/// there. `offer` is the button's words, with `{lat}` and `{lng}`.
#[island]
pub fn PhotoPicker(offer: String) -> impl IntoView {
    let photo_gps = RwSignal::new(None::<(f64, f64)>);
    view! {
        <input
            id="photo"
            name="photo"
            type="file"
            multiple
            accept="image/jpeg,image/png,image/webp"
            aria-describedby="photo-hint"
            on:change=move |ev| {
                #[cfg(feature = "hydrate")]
                {
                    use wasm_bindgen::JsCast;
                    if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                        leptos::task::spawn_local(async move {
                            photo_gps.set(crate::map_view::photo_position(input).await);
                        });
                    }
                }
                #[cfg(not(feature = "hydrate"))]
                let _ = ev;
            }
        />
        {move || photo_gps.get().map(|(la, ln)| {
            let label = fill(&offer, &[("lat", &format!("{la:.5}")), ("lng", &format!("{ln:.5}"))]);
            view! {
                <button
                    type="button"
                    class="secondary"
                    data-testid="use-photo-location"
                    on:click=move |_| {
                        #[cfg(feature = "hydrate")]
                        crate::browser::announce("linli-pin", &format!("{la:.6},{ln:.6},photo"));
                        photo_gps.set(None);
                    }
                >
                    {label}
                </button>
            }
        })}
    }
}
