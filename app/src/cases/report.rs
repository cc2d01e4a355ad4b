//! The report form. It is a plain multipart form that posts to `/report`, so it works without
//! JavaScript (the community list and address stand in for the map); after hydration the map sets
//! the pin, "use my location" asks the browser, the category list can be searched, and open cases
//! of the same kind nearby are offered for "me too".

use crate::api::fetch_viewer;
use crate::cases::api::{fetch_report_draft, fetch_report_form};
use crate::cases::report_place::{PhotoStep, WhereStep};
pub use crate::cases::report_text::{field_errors, problem_text};
use crate::components::forms::CsrfField;
use crate::components::status::{LoadFailed, Loading};
use crate::i18n::{Locale, Msg, fill, name};
use crate::prefs::use_prefs;
use domain::cases::category::{TimeLimit, TimeUnit};
use domain::cases::questions::{AnswerKind, Question};
use domain::cases::report::{ReportField, ReportProblem};
use domain::ports::{CategoryGroup, ReportDraft, ReportFormData, Viewer};
use leptos::prelude::*;
use leptos_meta::Title;

pub fn limit_text(limit: TimeLimit, locale: Locale) -> String {
    let msg = match limit.unit {
        TimeUnit::WorkHours => Msg::LimitWorkHours,
        TimeUnit::WorkDays => Msg::LimitWorkDays,
        TimeUnit::NaturalDays => Msg::LimitNaturalDays,
    };
    fill(msg.text(locale), &[("n", &limit.amount.to_string())])
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let prefs = use_prefs();
    let data = Resource::new(|| (), |_| fetch_report_form());
    let draft = Resource::new(|| (), |_| fetch_report_draft());
    let viewer = Resource::new(|| (), |_| fetch_viewer());
    view! {
        <Title text=prefs.t(Msg::ReportTitle) />
        <h1>{prefs.t(Msg::ReportHeading)}</h1>
        <p class="lead">{prefs.t(Msg::ReportLead)}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match (data.await, draft.await, viewer.await) {
                    (Ok(data), Ok(draft), Ok(viewer)) => {
                        view! { <ReportForm data draft=draft.unwrap_or_default() viewer /> }.into_any()
                    }
                    _ => view! { <LoadFailed /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Text for a `<textarea>`'s content. Leptos writes textarea children unescaped, so a typed
/// `</textarea><script>` would end the element: escape it ourselves and set it as inner HTML (the
/// browser decodes entities inside a textarea in both SSR and hydration).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The form itself: the steps in order, sharing the pin's and the category's signals.
#[component]
fn ReportForm(data: ReportFormData, draft: ReportDraft, viewer: Viewer) -> impl IntoView {
    let prefs = use_prefs();
    let locale = prefs.locale;
    let ReportDraft {
        values: v,
        problems,
    } = draft;
    let signed_in = viewer.signed_in.is_some();
    let refused = !problems.is_empty();
    let asked = asked_questions(&data.categories);
    let nearby_texts = NearbyTexts {
        heading: prefs.t(Msg::ReportNearbyHeading).to_owned(),
        lead: prefs.t(Msg::ReportNearbyLead).to_owned(),
        item: prefs.t(Msg::ReportNearbyItem).to_owned(),
    };

    let csrf = viewer.csrf_token.clone().unwrap_or_default();
    view! {
        {refused.then(|| view! {
            <p class="notice error" role="alert" data-testid="report-refused">{prefs.t(Msg::ReportFixBelow)}</p>
        })}
        <form class="report-form" method="post" action="/report" enctype="multipart/form-data" data-offline-draft="">
            <CsrfField token=csrf />
            <WhereStep
                tiles=data.tiles.clone()
                centre=data.centre
                places=data.places.clone()
                community=v.community.clone()
                address=v.address.clone()
                problems=problems.clone()
                lat=v.lat.clone()
                lng=v.lng.clone()
                source=v.location_source.clone()
            />
            <CategoryStep categories=data.categories chosen=v.category.clone() problems=problems.clone() />
            <ChosenQuestions
                asked
                answered_category=v.category.clone()
                kept_answers=v.answers.clone()
                problems=problems.clone()
            />
            <NearbyCases lat=v.lat.clone() lng=v.lng.clone() texts=nearby_texts />
            <fieldset>
                <legend>{prefs.t(Msg::ReportStepDescribe)}</legend>
                {field_errors(&problems, ReportField::Description, locale)}
                <label for="description">{prefs.t(Msg::ReportDescription)}</label>
                <textarea id="description" name="description" rows="5" maxlength="4000" inner_html=escape_html(&v.description)></textarea>
            </fieldset>
            <PhotoStep photos_sent=v.photos_sent problems=problems.clone() />
            <ContactStep
                signed_in
                anonymous=v.anonymous
                contact_phone=v.contact_phone.clone()
                problems
            />
            <button type="submit" class="primary" data-testid="report-submit">{prefs.t(Msg::ReportSubmit)}</button>
        </form>
    }
}

/// (category code, its questions) for every category that asks any.
fn asked_questions(categories: &[CategoryGroup]) -> Vec<(String, Vec<Question>)> {
    categories
        .iter()
        .flat_map(|g| g.subs.iter())
        .filter(|s| !s.questions.is_empty())
        .map(|s| (s.code.clone(), s.questions.clone()))
        .collect()
}

/// "What": the category list, which a search box narrows in the browser.
#[component]
fn CategoryStep(
    categories: Vec<CategoryGroup>,
    /// The category of the refused draft, selected again.
    chosen: String,
    problems: Vec<ReportProblem>,
) -> impl IntoView {
    let prefs = use_prefs();
    let locale = prefs.locale;
    let options = category_options(&categories, &chosen, locale);
    view! {
        <fieldset>
            <legend>{prefs.t(Msg::ReportStepWhat)}</legend>
            {field_errors(&problems, ReportField::Category, locale)}
            <CategorySearch
                label=prefs.t(Msg::ReportCategorySearch).to_owned()
                hint=prefs.t(Msg::ReportCategorySearchHint).to_owned()
            />
            <label for="category">{prefs.t(Msg::ReportCategory)}</label>
            <select id="category" name="category">
                <option value="">{prefs.t(Msg::ReportCategoryNone)}</option>
                {options}
            </select>
        </fieldset>
    }
}

/// The category search box. It narrows the `#category` list as one types (each option carries
/// what it is found by), and brings up the chosen category's questions from their templates,
/// also for a category chosen before the page hydrated.
#[island]
pub fn CategorySearch(label: String, hint: String) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        show_questions();
        crate::browser::on_element("category", "change", show_questions);
    }
    view! {
        <label for="category-search">{label}</label>
        <input
            id="category-search"
            type="search"
            aria-describedby="category-search-hint"
            on:input=move |ev| {
                #[cfg(feature = "hydrate")]
                narrow_categories(&event_target_value(&ev));
                #[cfg(not(feature = "hydrate"))]
                let _ = ev;
            }
        />
        <p class="hint" id="category-search-hint">{hint}</p>
    }
}

/// Hides the categories the search does not match.
#[cfg(feature = "hydrate")]
fn narrow_categories(query: &str) {
    use wasm_bindgen::JsCast;
    let q = query.trim().to_lowercase();
    let Some(options) = leptos::prelude::document()
        .query_selector_all("#category option[data-search]")
        .ok()
    else {
        return;
    };
    for i in 0..options.length() {
        if let Some(option) = options
            .get(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        {
            let found = option
                .get_attribute("data-search")
                .is_some_and(|h| h.contains(&q));
            let _ = option.toggle_attribute_with_force("hidden", !q.is_empty() && !found);
        }
    }
}

/// Shows the questions of the chosen category (from its `<template>`), unless they show already.
#[cfg(feature = "hydrate")]
fn show_questions() {
    let chosen = crate::browser::field_value("category");
    let Some(shown) = crate::browser::element("chosen-questions") else {
        return;
    };
    if shown.get_attribute("data-showing").as_deref() == Some(chosen.as_str())
        || !chosen.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return;
    }
    let questions = leptos::prelude::document()
        .query_selector(&format!("template[data-questions-for=\"{chosen}\"]"))
        .ok()
        .flatten()
        .map(|t| t.inner_html())
        .unwrap_or_default();
    shown.set_inner_html(&questions);
    let _ = shown.set_attribute("data-showing", &chosen);
}

/// One `<optgroup>` per group; each option says what the search finds it by.
fn category_options(
    categories: &[CategoryGroup],
    chosen: &str,
    locale: Locale,
) -> impl IntoView + use<> {
    categories
        .iter()
        .map(|g| {
            let options = g
                .subs
                .iter()
                .map(|s| {
                    let label = format!(
                        "{} · {} · {}",
                        name(&s.names, locale),
                        name(&s.department, locale),
                        limit_text(s.time_limit, locale)
                    );
                    let haystack =
                        format!("{} {} {}", s.names.zh, s.names.en.to_lowercase(), s.code);
                    let code = s.code.clone();
                    let selected = chosen == s.code;
                    view! {
                        <option
                            value=code.clone()
                            data-code=code
                            selected=selected
                            data-search=haystack
                        >
                            {label}
                        </option>
                    }
                })
                .collect_view();
            view! { <optgroup label=name(&g.names, locale)>{options}</optgroup> }
        })
        .collect_view()
}

/// The questions of the chosen category, with the refused draft's answers when it is still the
/// category they were given for; and every other category's questions as inert `<template>`s
/// that [`CategorySearch`] brings up when that category is chosen.
#[component]
fn ChosenQuestions(
    asked: Vec<(String, Vec<Question>)>,
    /// The category chosen in the draft, and the one the kept answers were given for.
    answered_category: String,
    kept_answers: Vec<(String, String)>,
    problems: Vec<ReportProblem>,
) -> impl IntoView {
    let locale = use_prefs().locale;
    let refused = !problems.is_empty();
    let answer_problems: Vec<&'static str> = problems
        .iter()
        .filter(|p| p.field() == ReportField::Questions)
        .map(|p| problem_text(*p).text(locale))
        .collect();
    let block = |code: &str, questions: &[Question]| {
        // Kept answers belong to the category they were given for.
        let (kept, problems, refused) = if code == answered_category {
            (kept_answers.clone(), answer_problems.clone(), refused)
        } else {
            (Vec::new(), Vec::new(), false)
        };
        view! { <CategoryQuestions questions=questions.to_vec() kept problems refused /> }
    };
    let shown = asked
        .iter()
        .find(|(code, _)| *code == answered_category)
        .map(|(code, questions)| block(code, questions));
    let templates = asked
        .iter()
        .map(|(code, questions)| view! { <template data-questions-for=code.clone()>{block(code, questions)}</template> })
        .collect_view();
    view! {
        <div id="chosen-questions" data-showing=answered_category.clone()>{shown}</div>
        {templates}
    }
}

/// "How to reach you": anonymity for a signed-in reporter, and a phone number.
#[component]
fn ContactStep(
    signed_in: bool,
    anonymous: bool,
    contact_phone: String,
    problems: Vec<ReportProblem>,
) -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <fieldset>
            <legend>{prefs.t(Msg::ReportStepContact)}</legend>
            {field_errors(&problems, ReportField::Contact, prefs.locale)}
            {if signed_in {
                view! {
                    <label class="check">
                        <input type="checkbox" name="anonymous" value="1" checked=anonymous />
                        {prefs.t(Msg::ReportAnonymous)}
                    </label>
                }
                    .into_any()
            } else {
                view! { <p class="hint">{prefs.t(Msg::ReportSignedOut)}</p> }.into_any()
            }}
            <label for="contact_phone">{prefs.t(Msg::ReportContactPhone)}</label>
            <input id="contact_phone" name="contact_phone" type="tel" inputmode="numeric" autocomplete="tel" value=contact_phone aria-describedby="contact-hint" />
            <p class="hint" id="contact-hint">{prefs.t(Msg::ReportContactHint)}</p>
        </fieldset>
    }
}

/// The chosen category's extra questions. Each choice is a big tap target; `attribute[code]` is
/// the field name Open311 uses for the same answers.
#[component]
fn CategoryQuestions(
    questions: Vec<Question>,
    /// What was answered before a refusal: (code, value).
    kept: Vec<(String, String)>,
    /// Why the answers were refused, for the whole group.
    problems: Vec<&'static str>,
    refused: bool,
) -> impl IntoView {
    let prefs = use_prefs();
    let locale = prefs.locale;
    let items = questions
        .into_iter()
        .map(|q| {
            let field = format!("attribute[{}]", q.code);
            let given: Vec<String> = kept
                .iter()
                .filter(|(c, v)| *c == q.code && !v.trim().is_empty())
                .flat_map(|(_, v)| v.split(',').map(|x| x.trim().to_owned()).collect::<Vec<_>>())
                .collect();
            let unanswered = (refused && q.required && given.is_empty()).then(|| {
                view! { <p class="field-errors" role="alert">{prefs.t(Msg::ReportQuestionUnanswered)}</p> }
            });
            let input_id = format!("question-{}", q.code);
            let answer = match q.kind {
                AnswerKind::OneOf | AnswerKind::AnyOf => {
                    let kind = if q.kind == AnswerKind::OneOf { "radio" } else { "checkbox" };
                    q.choices
                        .iter()
                        .map(|c| {
                            let checked = given.contains(&c.key);
                            view! {
                                <label class="check choice">
                                    <input type=kind name=field.clone() value=c.key.clone() checked=checked />
                                    {name(&c.names, locale)}
                                </label>
                            }
                        })
                        .collect_view()
                        .into_any()
                }
                AnswerKind::Number => view! {
                    <input id=input_id.clone() type="number" step="any" inputmode="decimal" name=field.clone()
                        value=given.first().cloned().unwrap_or_default() aria-label=name(&q.prompt, locale) />
                }
                .into_any(),
                AnswerKind::Line => view! {
                    <input id=input_id.clone() type="text" maxlength="500" name=field.clone()
                        value=given.first().cloned().unwrap_or_default() aria-label=name(&q.prompt, locale) />
                }
                .into_any(),
                AnswerKind::Text => view! {
                    <textarea id=input_id.clone() rows="3" maxlength="500" name=field.clone() aria-label=name(&q.prompt, locale)
                        inner_html=escape_html(&given.join(","))></textarea>
                }
                .into_any(),
            };
            view! {
                <fieldset class="question" data-question=q.code.clone()>
                    <legend>
                        {name(&q.prompt, locale)}
                        {q.required.then(|| view! { " " <span class="required">{prefs.t(Msg::ReportQuestionRequired)}</span> })}
                    </legend>
                    {unanswered}
                    {answer}
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <div class="questions" data-testid="category-questions">
            <p class="hint">{prefs.t(Msg::ReportQuestionsHeading)}</p>
            {(!problems.is_empty()).then(|| view! {
                <ul class="field-errors" role="alert" data-field="Questions">
                    {problems.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                </ul>
            })}
            {items}
        </div>
    }
}

/// The nearby cases' words, translated on the server.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NearbyTexts {
    pub heading: String,
    pub lead: String,
    /// With `{code}`, `{m}` (metres) and `{n}` (how many said "me too").
    pub item: String,
}

/// Open cases of the chosen kind near the pin, looked up as the pin or the category changes. Each
/// links to its case page, where "me too" is a form of its own (forms cannot nest inside the
/// report form).
#[island]
pub fn NearbyCases(lat: String, lng: String, texts: NearbyTexts) -> impl IntoView {
    let found = RwSignal::new(Vec::<domain::ports::NearbyCase>::new());
    #[cfg(feature = "hydrate")]
    {
        let place = RwSignal::new((lat, lng));
        let category = RwSignal::new(crate::browser::field_value("category"));
        crate::browser::on_element("category", "change", move || {
            category.set(crate::browser::field_value("category"))
        });
        crate::browser::listen("linli-pin-moved", move |at| {
            if let Some((a, b)) = at.split_once(',') {
                place.set((a.to_owned(), b.to_owned()));
            }
        });
        let latest = crate::browser::Latest::default();
        Effect::new(move |_| {
            let (c, (la, ln)) = (category.get(), place.get());
            let (latest, asked) = (latest.clone(), latest.next());
            leptos::task::spawn_local(async move {
                let cases = match (c.is_empty(), la.parse::<f64>(), ln.parse::<f64>()) {
                    (false, Ok(la), Ok(ln)) => {
                        use leptos::server_fn::ServerFn;
                        let url = format!(
                            "{}?category={c}&lat={la}&lng={ln}",
                            crate::cases::api::FetchNearby::PATH
                        );
                        crate::browser::get_json(&url).await.unwrap_or_default()
                    }
                    _ => Vec::new(),
                };
                if latest.is_latest(asked) {
                    found.set(cases);
                }
            });
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (lat, lng);
    move || {
        let cases = found.get();
        (!cases.is_empty()).then(|| {
            let items = cases
                .into_iter()
                .map(|c| {
                    let line = fill(
                        &texts.item,
                        &[
                            ("code", &c.code),
                            ("m", &c.distance_m.to_string()),
                            ("n", &c.me_too.to_string()),
                        ],
                    );
                    view! {
                        <li class="nearby-case" data-code=c.code.clone()>
                            <a href=format!("/case/{}", c.code)>{line}</a>
                            <p>{c.excerpt}</p>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="nearby" aria-live="polite" data-testid="nearby">
                    <h2>{texts.heading.clone()}</h2>
                    <p class="hint">{texts.lead.clone()}</p>
                    <ul>{items}</ul>
                </section>
            }
        })
    }
}
