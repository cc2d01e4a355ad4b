//! The Leaflet map, browser only. Leaflet's script is loaded on first use rather than in every page's
//! head, so pages without a map do not pay for it on a cheap phone.

use crate::i18n::{Locale, name};
use domain::geo::{LatLng as Wgs84, gcj02_to_wgs84, wgs84_to_gcj02};
use domain::ports::{MapLayers, TerritoryOutline};
use domain::tiles::Datum;
use leaflet::MouseEvents;
use leaflet::{
    LatLng, LatLngBounds, Map, MapOptions, Polygon, PolylineOptions, TileLayer, TileLayerOptions,
};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

/// Served from `public/vendor/`, copied there from the npm package by `./dev`.
const LEAFLET_JS: &str = "/vendor/leaflet-1.9.4/leaflet.js";
const LEAFLET_CSS: &str = "/vendor/leaflet-1.9.4/leaflet.css";

/// District outline colours: distinct, and dark enough to read on a blank background.
const DISTRICT_COLOURS: [&str; 6] = [
    "#b3261e", "#0b57d0", "#146c2e", "#8e24aa", "#b45309", "#0e7490",
];

pub struct CityMap {
    map: Map,
    cases: leaflet::LayerGroup,
    datum: Datum,
}

impl CityMap {
    /// Draws the city into `el` once Leaflet is loaded; `on_ready` receives the map for cleanup.
    /// A container that already has (or is getting) a map is left alone.
    pub fn mount(
        el: impl AsRef<HtmlElement>,
        data: MapLayers,
        locale: Locale,
        on_view: impl Fn(domain::cases::cluster::MapView) + 'static,
        on_ready: impl FnOnce(CityMap) + 'static,
    ) {
        let el: HtmlElement = el.as_ref().clone();
        if el.has_attribute("data-map") {
            return;
        }
        let _ = el.set_attribute("data-map", "loading");
        ensure_leaflet(move || {
            // The page may have been left while Leaflet was loading.
            if !el.is_connected() {
                return;
            }
            match CityMap::draw(&el, &data, locale) {
                Ok(map) => {
                    let _ = el.set_attribute("data-map", "ready");
                    let report = {
                        let (m, datum) = (map.map.clone(), map.datum);
                        move || {
                            if let Some(view) = current_view(&m, datum) {
                                on_view(view);
                            }
                        }
                    };
                    report();
                    map.map.on_move_end(Box::new(move |_| report()));
                    on_ready(map);
                }
                Err(e) => {
                    let _ = el.set_attribute("data-map", "failed");
                    leptos::logging::error!("map could not be drawn: {e:?}");
                }
            }
        });
    }

    fn draw(el: &HtmlElement, data: &MapLayers, locale: Locale) -> Result<CityMap, JsValue> {
        let map = base_map(el, &data.tiles)?;
        let project = |(lat, lng): (f64, f64)| to_screen(data.tiles.datum, lat, lng);
        let mut bounds: Option<(f64, f64, f64, f64)> = None;
        let mut add = |outline: &TerritoryOutline, style: &PolylineOptions| {
            let ring = js_sys::Array::new();
            for &point in &outline.ring {
                let (lat, lng) = project(point);
                ring.push(&LatLng::new(lat, lng));
                bounds = Some(match bounds {
                    None => (lat, lng, lat, lng),
                    Some((s, w, n, e)) => (s.min(lat), w.min(lng), n.max(lat), e.max(lng)),
                });
            }
            let polygon = Polygon::new_with_options(&ring, style);
            polygon
                .unchecked_ref::<TooltipHost>()
                .bind_tooltip(&name(&outline.names, locale));
            polygon.add_to(&map);
        };
        for grid in &data.grids {
            let style = PolylineOptions::new();
            style.set_color("#5f6368".into());
            style.set_weight(1.0);
            style.set_fill_opacity(0.04);
            style.set_class_name("linli-grid".into());
            add(grid, &style);
        }
        for (i, district) in data.districts.iter().enumerate() {
            let style = PolylineOptions::new();
            style.set_color(DISTRICT_COLOURS[i % DISTRICT_COLOURS.len()].into());
            style.set_weight(3.0);
            style.set_fill(false);
            style.set_interactive(false);
            style.set_class_name("linli-district".into());
            add(district, &style);
        }
        if let Some((s, w, n, e)) = bounds {
            map.fit_bounds(&LatLngBounds::new(&LatLng::new(s, w), &LatLng::new(n, e)));
        }
        let cases = leaflet::LayerGroup::new();
        cases.add_to(&map);
        Ok(CityMap {
            map,
            cases,
            datum: data.tiles.datum,
        })
    }

    /// Replaces the case points: numbered bubbles for clusters (a tap zooms in), a dot for a single
    /// case (a tap opens it).
    pub fn show_cases(&self, clusters: &[domain::ports::CaseCluster]) {
        self.cases.clear_layers();
        for c in clusters {
            let (lat, lng) = to_screen(self.datum, c.lat, c.lng);
            let at = LatLng::new(lat, lng);
            let options = leaflet::DivIconOptions::new();
            let (html, class, size) = match &c.code {
                Some(code) => (String::new(), format!("linli-case case-{code}"), 18.0),
                None => (
                    format!("<span>{}</span>", c.count),
                    "linli-cluster".to_owned(),
                    if c.count < 10 {
                        32.0
                    } else if c.count < 100 {
                        38.0
                    } else {
                        46.0
                    },
                ),
            };
            options.set_html(html);
            options.set_class_name(class);
            options.set_icon_size(leaflet::Point::new(size, size));
            let marker_options = leaflet::MarkerOptions::new();
            marker_options.set_icon(div_icon(&options));
            if let Some(code) = &c.code {
                marker_options.set_title(code.clone());
            }
            let marker = leaflet::Marker::new_with_options(&at, &marker_options);
            let map = self.map.clone();
            let code = c.code.clone();
            marker.on_click(Box::new(move |_| match &code {
                Some(code) => {
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().set_href(&format!("/case/{code}"));
                    }
                }
                None => {
                    map.set_view(&LatLng::new(lat, lng), map.get_zoom() + 2.0);
                }
            }));
            self.cases.add_layer(&marker);
        }
    }
}

/// A Leaflet map in `el` with the configured base map (none, or tiles with their attribution).
fn base_map(el: &HtmlElement, tiles: &domain::tiles::TileLayerSpec) -> Result<Map, JsValue> {
    let has_tiles = !tiles.url.is_empty();
    let options = MapOptions::new();
    options.set_attribution_control(has_tiles);
    options.set_zoom_snap(0.25);
    let map = Map::new_with_element(el, &options)?;
    if has_tiles {
        let tile_options = TileLayerOptions::new();
        tile_options.set_attribution(tiles.attribution.clone());
        tile_options.set_max_zoom(f64::from(tiles.max_zoom));
        if !tiles.subdomains.is_empty() {
            // The binding types `subdomains` as bool; Leaflet wants a string.
            js_sys::Reflect::set(
                &tile_options,
                &"subdomains".into(),
                &tiles.subdomains.as_str().into(),
            )?;
        }
        TileLayer::new_options(&tiles.url, &tile_options).add_to(&map);
    }
    Ok(map)
}

/// A stored WGS-84 point in the base map's datum (GCJ-02 for 高德 tiles), for drawing.
fn to_screen(datum: Datum, lat: f64, lng: f64) -> (f64, f64) {
    match (datum, Wgs84::new(lat, lng)) {
        (Datum::Gcj02, Ok(p)) => wgs84_to_gcj02(p),
        _ => (lat, lng),
    }
}

/// The map's view in WGS-84, as the server's clustering wants it.
fn current_view(map: &Map, datum: Datum) -> Option<domain::cases::cluster::MapView> {
    let b = map.get_bounds();
    let (sw, ne) = (b.get_south_west(), b.get_north_east());
    let to_wgs = |lat: f64, lng: f64| match datum {
        Datum::Gcj02 => gcj02_to_wgs84(lat, lng).map(|p| (p.lat(), p.lng())).ok(),
        Datum::Wgs84 => Some((lat, lng)),
    };
    let (s, w) = to_wgs(sw.lat().max(-89.0), sw.lng().max(-179.0))?;
    let (n, e) = to_wgs(ne.lat().min(89.0), ne.lng().min(179.0))?;
    let zoom = map.get_zoom().round().clamp(3.0, 20.0);
    domain::cases::cluster::MapView::parse(&format!("{w},{s},{e},{n}"), &format!("{zoom}")).ok()
}

#[wasm_bindgen]
extern "C" {
    /// `L.divIcon(options)`: the `leaflet` crate's `DivIcon::new` constructs a plain `L.Icon`.
    #[wasm_bindgen(js_namespace = L, js_name = divIcon)]
    fn div_icon(options: &leaflet::DivIconOptions) -> leaflet::Icon;
}

#[wasm_bindgen]
extern "C" {
    /// Any Leaflet layer, seen only for `bindTooltip(text)`: the `leaflet` crate's own binding
    /// calls a method Leaflet lacks (`bindTooltipWithContent`).
    type TooltipHost;
    #[wasm_bindgen(method, js_name = bindTooltip)]
    fn bind_tooltip(this: &TooltipHost, content: &str);
}

/// Runs `then` once the global `L` exists, loading Leaflet's script and stylesheet if needed.
fn ensure_leaflet(then: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if js_sys::Reflect::has(&window, &"L".into()).unwrap_or(false) {
        then();
        return;
    }
    let Some(document) = window.document() else {
        return;
    };
    let Some(head) = document.head() else { return };
    if document.get_element_by_id("leaflet-css").is_none()
        && let Ok(link) = document.create_element("link")
    {
        let _ = link.set_attribute("id", "leaflet-css");
        let _ = link.set_attribute("rel", "stylesheet");
        let _ = link.set_attribute("href", LEAFLET_CSS);
        let _ = head.append_child(&link);
    }
    let script = match document.get_element_by_id("leaflet-js") {
        Some(existing) => existing,
        None => {
            let Ok(script) = document.create_element("script") else {
                return;
            };
            let _ = script.set_attribute("id", "leaflet-js");
            let _ = script.set_attribute("src", LEAFLET_JS);
            let _ = head.append_child(&script);
            script
        }
    };
    let callback = Closure::once_into_js(then);
    let _ = script.add_event_listener_with_callback("load", callback.unchecked_ref());
}

/// The report form's (and the point form's) map: a tap places (or moves) the pin and writes WGS-84 coordinates into the
/// form's signals; the pin follows the signals, so "use my location" moves it too.
pub fn mount_pin_map(
    container: leptos::prelude::NodeRef<leptos::html::Div>,
    tiles: domain::tiles::TileLayerSpec,
    centre: (f64, f64),
    zoom: f64,
    lat: leptos::prelude::RwSignal<String>,
    lng: leptos::prelude::RwSignal<String>,
    source: leptos::prelude::RwSignal<String>,
) {
    use leptos::prelude::*;
    let datum = tiles.datum;
    let pin_handle = StoredValue::new_local(None::<leaflet::CircleMarker>);
    let handle = mount_map(container, tiles, move |map| {
        let (clat, clng) = to_screen(datum, centre.0, centre.1);
        map.set_view(&LatLng::new(clat, clng), zoom);
        // A circle, not Leaflet's default marker: no icon images to fetch on a slow network.
        let style = leaflet::CircleOptions::new();
        style.set_radius(10.0);
        style.set_color("#b3261e".into());
        style.set_fill_opacity(0.6);
        style.set_class_name("linli-pin".into());
        let pin = leaflet::CircleMarker::new_with_options(&LatLng::new(clat, clng), &style);
        map.on_mouse_click(Box::new(move |ev: leaflet::MouseEvent| {
            let p = ev.lat_lng();
            // Taps are in the tiles' datum; the form always carries WGS-84.
            let (wlat, wlng) = match datum {
                Datum::Gcj02 => match gcj02_to_wgs84(p.lat(), p.lng()) {
                    Ok(w) => (w.lat(), w.lng()),
                    Err(_) => return,
                },
                _ => (p.lat(), p.lng()),
            };
            lat.set(format!("{wlat:.6}"));
            lng.set(format!("{wlng:.6}"));
            source.set("map".into());
        }));
        pin_handle.set_value(Some(pin));
    });
    // The pin follows the form's coordinates, whoever set them.
    Effect::new(move |_| {
        let (la, ln) = (lat.get(), lng.get());
        handle.with_value(|map| {
            let Some(map) = map else { return };
            pin_handle.with_value(|pin| {
                let Some(pin) = pin else { return };
                match (la.parse::<f64>(), ln.parse::<f64>()) {
                    (Ok(a), Ok(b)) => {
                        let (sa, sb) = to_screen(datum, a, b);
                        pin.set_lat_lng(&LatLng::new(sa, sb));
                        pin.add_to(map);
                    }
                    _ => {
                        pin.remove();
                    }
                }
            });
        });
    });
}

/// Mounts a Leaflet map with the base layer in `container` once it exists (and Leaflet has
/// loaded), lets `draw` add to it, and removes it with the page. The container's `data-map` says
/// loading, ready or failed (tests and the no-map fallback read it). Returns the map's handle.
fn mount_map(
    container: leptos::prelude::NodeRef<leptos::html::Div>,
    tiles: domain::tiles::TileLayerSpec,
    draw: impl FnOnce(&Map) + 'static,
) -> leptos::prelude::StoredValue<Option<Map>, leptos::prelude::LocalStorage> {
    use leptos::prelude::*;
    let handle = StoredValue::new_local(None::<Map>);
    let draw = StoredValue::new_local(Some(draw));
    Effect::new(move |_| {
        let Some(el) = container.get() else { return };
        let el: HtmlElement = el.into();
        if el.has_attribute("data-map") {
            return;
        }
        let _ = el.set_attribute("data-map", "loading");
        let tiles = tiles.clone();
        ensure_leaflet(move || {
            if !el.is_connected() {
                return;
            }
            let Ok(map) = base_map(&el, &tiles) else {
                let _ = el.set_attribute("data-map", "failed");
                return;
            };
            if let Some(draw) = draw.try_update_value(Option::take).flatten() {
                draw(&map);
            }
            let _ = el.set_attribute("data-map", "ready");
            handle.set_value(Some(map));
        });
    });
    on_cleanup(move || {
        if let Some(map) = handle.try_update_value(|m| m.take()).flatten() {
            map.remove();
        }
    });
    handle
}

/// "Use my location": asks the browser once, then sets the form's coordinates.
pub fn locate_me(
    lat: leptos::prelude::RwSignal<String>,
    lng: leptos::prelude::RwSignal<String>,
    source: leptos::prelude::RwSignal<String>,
    failed: leptos::prelude::RwSignal<bool>,
) {
    use leptos::prelude::*;
    locate_then(failed, move |la, ln| {
        lat.set(format!("{la:.6}"));
        lng.set(format!("{ln:.6}"));
        source.set("device".into());
    });
}

/// Asks the browser for the device's position once (WGS-84) and hands it to `then`; sets `failed`
/// when there is none.
pub fn locate_then(failed: leptos::prelude::RwSignal<bool>, then: impl FnOnce(f64, f64) + 'static) {
    use leptos::prelude::*;
    let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
        failed.set(true);
        return;
    };
    let ok = Closure::once_into_js(move |pos: web_sys::Position| {
        let c = pos.coords();
        failed.set(false);
        then(c.latitude(), c.longitude());
    });
    let err = Closure::once_into_js(move |_e: JsValue| failed.set(true));
    if geo
        .get_current_position_with_error_callback(ok.unchecked_ref(), Some(err.unchecked_ref()))
        .is_err()
    {
        failed.set(true);
    }
}

/// Where the chosen photo says it was taken, read from its EXIF in the browser (only the first
/// 256 KiB are read: EXIF sits at the start of a JPEG). `None` for no photo, no GPS, or not a JPEG.
pub async fn photo_position(input: web_sys::HtmlInputElement) -> Option<(f64, f64)> {
    let file = input.files()?.get(0)?;
    let head = file.slice_with_i32_and_i32(0, 256 * 1024).ok()?;
    let buffer = wasm_bindgen_futures::JsFuture::from(head.array_buffer())
        .await
        .ok()?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    domain::cases::exif::gps_from_tiff(domain::cases::exif::jpeg_exif(&bytes)?)
}

/// The case page's small map: the base map and a circle where the case is (about 100 m, or the
/// community's size when it was chosen from lists). Browser only; removed with the page.
pub fn mount_case_map(
    container: leptos::prelude::NodeRef<leptos::html::Div>,
    tiles: domain::tiles::TileLayerSpec,
    position: (f64, f64),
    radius_m: f64,
) {
    let datum = tiles.datum;
    mount_map(container, tiles, move |map| {
        let (lat, lng) = to_screen(datum, position.0, position.1);
        let at = LatLng::new(lat, lng);
        map.set_view(&at, if radius_m > 200.0 { 14.0 } else { 16.0 });
        let style = leaflet::CircleOptions::new();
        style.set_radius(radius_m);
        style.set_color("#b3261e".into());
        style.set_fill_opacity(0.2);
        style.set_class_name("linli-case-area".into());
        leaflet::Circle::new_with_options(&at, &style).add_to(map);
    });
}

pub use crate::components::map_marker::PointMarker;

/// The sorting page's map of collection points (and of the resident, when they gave their
/// location): a circle per point, green when open now; a tap scrolls to the point in the list.
pub fn mount_points_map(
    container: leptos::prelude::NodeRef<leptos::html::Div>,
    tiles: domain::tiles::TileLayerSpec,
    points: Vec<PointMarker>,
    me: Option<(f64, f64)>,
) {
    if points.is_empty() {
        return;
    }
    let datum = tiles.datum;
    mount_map(container, tiles, move |map| {
        let mut corners: Option<(f64, f64, f64, f64)> = None;
        let mut extend = |lat: f64, lng: f64| {
            corners = Some(match corners {
                None => (lat, lng, lat, lng),
                Some((s, w, n, e)) => (s.min(lat), w.min(lng), n.max(lat), e.max(lng)),
            });
        };
        for p in &points {
            let (lat, lng) = to_screen(datum, p.lat, p.lng);
            extend(lat, lng);
            let style = leaflet::CircleOptions::new();
            style.set_radius(11.0);
            style.set_color(if p.open { "#146c2e" } else { "#5f6368" }.into());
            style.set_fill_opacity(0.7);
            style.set_class_name(format!(
                "linli-point {}",
                if p.open { "point-open" } else { "point-closed" }
            ));
            let marker = leaflet::CircleMarker::new_with_options(&LatLng::new(lat, lng), &style);
            marker.unchecked_ref::<TooltipHost>().bind_tooltip(&p.label);
            let id = p.id;
            marker.on_click(Box::new(move |_| {
                if let Some(row) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id(&format!("point-{id}")))
                {
                    row.scroll_into_view();
                }
            }));
            marker.add_to(map);
        }
        if let Some((lat, lng)) = me {
            let (lat, lng) = to_screen(datum, lat, lng);
            extend(lat, lng);
            let style = leaflet::CircleOptions::new();
            style.set_radius(7.0);
            style.set_color("#0b57d0".into());
            style.set_fill_opacity(1.0);
            style.set_class_name("linli-me".into());
            leaflet::CircleMarker::new_with_options(&LatLng::new(lat, lng), &style).add_to(map);
        }
        if let Some((s, w, n, e)) = corners {
            let pad = 0.001;
            map.fit_bounds(&LatLngBounds::new(
                &LatLng::new(s - pad, w - pad),
                &LatLng::new(n + pad, e + pad),
            ));
        }
    });
}
