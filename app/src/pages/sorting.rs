use crate::i18n::Msg;
use crate::prefs::use_prefs;
use leptos::prelude::*;
use leptos_meta::Title;

/// The four bins of GB/T 19095-2019 with their standard colours (as CSS classes).
const BINS: [(Msg, Msg, &str); 4] = [
    (Msg::BinRecyclable, Msg::BinRecyclableExamples, "bin-blue"),
    (Msg::BinHazardous, Msg::BinHazardousExamples, "bin-red"),
    (Msg::BinKitchen, Msg::BinKitchenExamples, "bin-green"),
    (Msg::BinOther, Msg::BinOtherExamples, "bin-grey"),
];

#[component]
pub fn SortingPage() -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <Title text=prefs.t(Msg::SortingTitle) />
        <h1>{prefs.t(Msg::SortingHeading)}</h1>
        <p class="lead">{prefs.t(Msg::SortingLead)}</p>
        <ul class="bins">
            {BINS
                .map(|(name, examples, class)| {
                    view! {
                        <li class=format!("bin {class}")>
                            <h2>{prefs.t(name)}</h2>
                            <p>{prefs.t(examples)}</p>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
