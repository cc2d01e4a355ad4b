//! The open-data page: what can be downloaded (cases as CSV or GeoJSON for a date range), under
//! which licence, how it is de-identified, and where the Open311 endpoint and the feeds are. Plain
//! GET forms: downloads work without JavaScript.

use crate::i18n::{Msg, fill};
use crate::prefs::use_prefs;
use domain::open_data::datasets::{LICENCE, LICENCE_URL};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OpenDataPage() -> impl IntoView {
    let prefs = use_prefs();
    let form = |action: &'static str, button: Msg, testid: &'static str| {
        view! {
            <form method="get" action=action class="search-row">
                <label>{prefs.t(Msg::OpenDataFrom)}<input type="date" name="from" /></label>
                <label>{prefs.t(Msg::OpenDataTo)}<input type="date" name="to" /></label>
                <button type="submit" data-testid=testid>{prefs.t(button)}</button>
            </form>
        }
    };
    view! {
        <Title text=prefs.t(Msg::OpenDataTitle) />
        <h1>{prefs.t(Msg::OpenDataTitle)}</h1>
        <p class="lead">{fill(prefs.t(Msg::OpenDataLead), &[("licence", LICENCE)])}</p>
        <p><a href=LICENCE_URL rel="license">{LICENCE}</a></p>
        <section class="card" aria-labelledby="cases-heading">
            <h2 id="cases-heading">{prefs.t(Msg::OpenDataCases)}</h2>
            <p class="hint">{prefs.t(Msg::OpenDataDefault)}</p>
            {form("/open-data/cases.csv", Msg::OpenDataCsv, "export-csv")}
            {form("/open-data/cases.geojson", Msg::OpenDataGeoJson, "export-geojson")}
        </section>
        <section class="card" aria-labelledby="consult-data-heading">
            <h2 id="consult-data-heading">{prefs.t(Msg::OpenDataConsultations)}</h2>
            {form("/open-data/consultations.csv", Msg::OpenDataCsv, "export-consultations")}
        </section>
        <section class="card" aria-labelledby="sorting-data-heading">
            <h2 id="sorting-data-heading">{prefs.t(Msg::OpenDataSorting)}</h2>
            {form("/open-data/sorting.csv", Msg::OpenDataCsv, "export-sorting")}
        </section>
        <section class="card">
            <p><a href="/api/v1/docs" rel="external">{prefs.t(Msg::OpenDataApi)}</a></p>
            <p><a href="/open311/v2/discovery.json" rel="external">{prefs.t(Msg::OpenDataOpen311)}</a></p>
            <p>{prefs.t(Msg::OpenDataFeeds)} " " <code>"/area/350203001001/feed.atom"</code></p>
        </section>
    }
}
