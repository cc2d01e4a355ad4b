//! The council's form for a collection point: name, place (a tap on the map or typed
//! coordinates), households served, bins, drop-off windows, and the volunteers who stand there.
//! A plain form post (works before WASM loads); a refused form comes back with what to fix.

use crate::api::fetch_viewer;
use crate::components::forms::CsrfField;
use crate::components::status::{LoadFailed, Loading};
use crate::i18n::{Msg, fill, name};
use crate::prefs::{Prefs, use_prefs};
use crate::sorting::api::fetch_point_editor;
use crate::sorting::home::bin_name;
use domain::ports::PointEditor;
use domain::sorting::Bin;
use domain::sorting::supervision::{PointProblem, WindowProblem};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn problem_texts(p: &PointProblem, prefs: Prefs) -> Vec<String> {
    let t = |m: Msg| prefs.t(m).to_owned();
    match p {
        PointProblem::Name => vec![t(Msg::PpName)],
        PointProblem::Location => vec![t(Msg::PpLocation)],
        PointProblem::Households => vec![t(Msg::PpHouseholds)],
        PointProblem::NoBins => vec![t(Msg::PpNoBins)],
        PointProblem::Windows(ws) => ws
            .iter()
            .map(|w| {
                let (m, w) = match w {
                    WindowProblem::Malformed(w) => (Msg::PpWindowMalformed, w),
                    WindowProblem::Backwards(w) => (Msg::PpWindowBackwards, w),
                    WindowProblem::Overlapping(w) => (Msg::PpWindowOverlapping, w),
                };
                fill(prefs.t(m), &[("w", w)])
            })
            .collect(),
        PointProblem::VolunteerPhone(p) => vec![fill(prefs.t(Msg::PpVolunteerPhone), &[("p", p)])],
        PointProblem::VolunteerUnknown(p) => {
            vec![fill(prefs.t(Msg::PpVolunteerUnknown), &[("p", p)])]
        }
        PointProblem::NameTaken => vec![t(Msg::PpNameTaken)],
        PointProblem::NoSuchPoint => vec![t(Msg::PpNoSuchPoint)],
    }
}

#[component]
pub fn PointEditPage() -> impl IntoView {
    let prefs = use_prefs();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            query.with(|q| {
                (
                    q.get("id").unwrap_or_default(),
                    q.get("c").unwrap_or_default(),
                )
            })
        },
        |(id, c)| async move { (fetch_viewer().await, fetch_point_editor(id, c).await) },
    );
    view! {
        <Title text=prefs.t(Msg::PointFormTitle) />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let (Ok(v), Ok(editor)) = data.await else {
                    return view! { <LoadFailed /> }.into_any();
                };
                if v.signed_in.is_none() {
                    return view! {
                        <h1>{prefs.t(Msg::PointFormTitle)}</h1>
                        <p>{prefs.t(Msg::ShiftSignIn)} " " <a href=crate::prefs::here_for_login()>{prefs.t(Msg::MeSignIn)}</a></p>
                    }.into_any();
                }
                let Some(editor) = editor else {
                    return view! {
                        <h1>{prefs.t(Msg::PointFormTitle)}</h1>
                        <p class="notice" data-testid="point-no-access">{prefs.t(Msg::PointFormNoAccess)}</p>
                    }.into_any();
                };
                view! { <PointForm editor csrf=v.csrf_token.unwrap_or_default() /> }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn PointForm(editor: PointEditor, csrf: String) -> impl IntoView {
    let prefs = use_prefs();
    let f = editor.form.clone();
    let community = name(&editor.community_names, prefs.locale);
    let heading = if f.id.is_empty() {
        fill(prefs.t(Msg::PointFormNewHeading), &[("c", &community)])
    } else {
        fill(prefs.t(Msg::PointFormEditHeading), &[("c", &community)])
    };
    let problems = (!editor.problems.is_empty()).then(|| {
        let items = editor
            .problems
            .iter()
            .flat_map(|p| problem_texts(p, prefs))
            .map(|t| view! { <li>{t}</li> })
            .collect_view();
        view! {
            <div class="status error" role="alert" data-testid="point-refused">
                <p>{prefs.t(Msg::PointFormFix)}</p>
                <ul>{items}</ul>
            </div>
        }
    });
    // A typed "NaN" parses, but would not survive as the island's JSON props.
    let centre = match (f.lat.parse::<f64>(), f.lng.parse::<f64>()) {
        (Ok(a), Ok(b)) if a.is_finite() && b.is_finite() => (a, b),
        _ => editor.centre,
    };
    let texts = PointPlaceTexts {
        hint: prefs.t(Msg::PointFormMapHint).to_owned(),
        map_label: prefs.t(Msg::PointsMapLabel).to_owned(),
        lat: prefs.t(Msg::PointFormLat).to_owned(),
        lng: prefs.t(Msg::PointFormLng).to_owned(),
    };
    let bins = Bin::ALL
        .iter()
        .map(|b| {
            let checked = f.bins.iter().any(|x| x == b.as_str());
            view! {
                <label class=format!("check bin-chip answer-{}", b.colour())>
                    <input type="checkbox" name="bin" value=b.as_str() checked=checked />
                    {prefs.t(bin_name(*b))}
                </label>
            }
        })
        .collect_view();
    view! {
        <h1>{heading}</h1>
        {problems}
        <form method="post" action="/sorting/point" class="stack point-form" data-testid="point-form">
            <CsrfField token=csrf />
            <input type="hidden" name="id" value=f.id.clone() />
            <input type="hidden" name="community" value=f.community.clone() />
            <label>{prefs.t(Msg::PointFormName)}<input name="name" required maxlength="40" value=f.name.clone() /></label>
            <PointPlace tiles=editor.tiles.clone() centre lat=f.lat.clone() lng=f.lng.clone() texts />
            <label>{prefs.t(Msg::PointFormHouseholds)}
                <input name="households" type="number" min="1" max="100000" inputmode="numeric" required value=f.households.clone() />
            </label>
            <fieldset>
                <legend>{prefs.t(Msg::PointFormBins)}</legend>
                <div class="bin-chips">{bins}</div>
            </fieldset>
            <label>{prefs.t(Msg::PointFormWindows)}<input name="windows" required value=f.windows.clone() /></label>
            <label>{prefs.t(Msg::PointFormVolunteers)}
                <textarea name="volunteers" rows="3" inputmode="tel">{f.volunteers.clone()}</textarea>
            </label>
            <button type="submit" class="big" data-testid="point-save">{prefs.t(Msg::PointFormSave)}</button>
        </form>
    }
}

/// The point form's words for its place, translated on the server.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PointPlaceTexts {
    pub hint: String,
    pub map_label: String,
    pub lat: String,
    pub lng: String,
}

/// Where the point stands: a tap on the map sets the coordinates, and typed coordinates move the
/// pin. Without scripts (or a base map) the two fields are all there is.
#[island]
pub fn PointPlace(
    tiles: Option<domain::tiles::TileLayerSpec>,
    centre: (f64, f64),
    lat: String,
    lng: String,
    texts: PointPlaceTexts,
) -> impl IntoView {
    let (lat_value, lng_value) = (RwSignal::new(lat.clone()), RwSignal::new(lng.clone()));
    let (lat_field, lng_field) = (
        NodeRef::<leptos::html::Input>::new(),
        NodeRef::<leptos::html::Input>::new(),
    );
    crate::typed_field::bind_field(lat_field, lat_value);
    crate::typed_field::bind_field(lng_field, lng_value);
    let map_el = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    if let Some(tiles) = tiles {
        let source = RwSignal::new(String::new());
        crate::map_view::mount_pin_map(map_el, tiles, centre, 17.0, lat_value, lng_value, source);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (tiles, centre);
    view! {
        <p class="hint needs-js">{texts.hint}</p>
        <div id="point-map" class="report-map needs-js" node_ref=map_el role="region" aria-label=texts.map_label></div>
        <div class="row">
            <label>{texts.lat}
                <input name="lat" inputmode="decimal" required value=lat node_ref=lat_field
                    on:input=move |ev| lat_value.set(event_target_value(&ev)) />
            </label>
            <label>{texts.lng}
                <input name="lng" inputmode="decimal" required value=lng node_ref=lng_field
                    on:input=move |ev| lng_value.set(event_target_value(&ev)) />
            </label>
        </div>
    }
}
