//! The report form. It is a plain multipart form that posts to `/report`, so it works without
//! JavaScript (the community list and address stand in for the map); after hydration the map sets
//! the pin, "use my location" asks the browser, the category list can be searched, and open cases
//! of the same kind nearby are offered for "me too".

use crate::api::fetch_viewer;
use crate::cases::api::{fetch_nearby, fetch_report_draft, fetch_report_form};
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
    let lat = RwSignal::new(v.lat.clone());
    let lng = RwSignal::new(v.lng.clone());
    let source = RwSignal::new(v.location_source.clone());
    let category = RwSignal::new(v.category.clone());
    let signed_in = viewer.signed_in.is_some();
    let refused = !problems.is_empty();
    let asked = asked_questions(&data.categories);

    let nearby = Resource::new(
        move || (category.get(), lat.get(), lng.get()),
        |(c, la, ln)| async move {
            match (c.is_empty(), la.parse::<f64>(), ln.parse::<f64>()) {
                (false, Ok(la), Ok(ln)) => fetch_nearby(c, la, ln).await.unwrap_or_default(),
                _ => Vec::new(),
            }
        },
    );

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
                lat
                lng
                source
            />
            <CategoryStep categories=data.categories chosen=v.category.clone() problems=problems.clone() category />
            <ChosenQuestions
                category
                asked
                answered_category=v.category.clone()
                kept_answers=v.answers.clone()
                problems=problems.clone()
            />
            <NearbyCases nearby />
            <fieldset>
                <legend>{prefs.t(Msg::ReportStepDescribe)}</legend>
                {field_errors(&problems, ReportField::Description, locale)}
                <label for="description">{prefs.t(Msg::ReportDescription)}</label>
                <textarea id="description" name="description" rows="5" maxlength="4000" inner_html=escape_html(&v.description)></textarea>
            </fieldset>
            <PhotoStep photos_sent=v.photos_sent problems=problems.clone() lat lng source />
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
    category: RwSignal<String>,
) -> impl IntoView {
    let prefs = use_prefs();
    let locale = prefs.locale;
    // A category chosen before the page hydrated still brings up its questions.
    let category_field = NodeRef::<leptos::html::Select>::new();
    crate::typed_field::bind_field(category_field, category);
    let query = RwSignal::new(String::new());
    let options = category_options(&categories, &chosen, query, locale);
    view! {
        <fieldset>
            <legend>{prefs.t(Msg::ReportStepWhat)}</legend>
            {field_errors(&problems, ReportField::Category, locale)}
            <label for="category-search">{prefs.t(Msg::ReportCategorySearch)}</label>
            <input
                id="category-search"
                type="search"
                aria-describedby="category-search-hint"
                on:input=move |ev| query.set(event_target_value(&ev))
            />
            <p class="hint" id="category-search-hint">{prefs.t(Msg::ReportCategorySearchHint)}</p>
            <label for="category">{prefs.t(Msg::ReportCategory)}</label>
            <select id="category" name="category" node_ref=category_field on:change=move |ev| category.set(event_target_value(&ev))>
                <option value="">{prefs.t(Msg::ReportCategoryNone)}</option>
                {options}
            </select>
        </fieldset>
    }
}

/// One `<optgroup>` per group; an option hides itself when the search does not match it.
fn category_options(
    categories: &[CategoryGroup],
    chosen: &str,
    query: RwSignal<String>,
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
                            prop:hidden=move || {
                                let q = query.get().trim().to_lowercase();
                                !q.is_empty() && !haystack.contains(&q)
                            }
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

/// The questions of whichever category is chosen now, with the refused draft's answers when it is
/// still the category they were given for.
#[component]
fn ChosenQuestions(
    category: RwSignal<String>,
    asked: Vec<(String, Vec<Question>)>,
    /// The category the kept answers were given for.
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
    move || {
        let chosen = category.get();
        asked
            .iter()
            .find(|(code, _)| *code == chosen)
            .map(|(_, questions)| {
                // Kept answers belong to the category they were given for.
                let (kept, problems) = if chosen == answered_category {
                    (kept_answers.clone(), answer_problems.clone())
                } else {
                    (Vec::new(), Vec::new())
                };
                let refused = refused && chosen == answered_category;
                view! { <CategoryQuestions questions=questions.clone() kept problems refused /> }
            })
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

/// Open cases of the chosen kind near the pin. Each links to its case page, where "me too" is a
/// form of its own (forms cannot nest inside the report form).
#[component]
fn NearbyCases(nearby: Resource<Vec<domain::ports::NearbyCase>>) -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <Transition>
            {move || {
                nearby
                    .get()
                    .filter(|cases| !cases.is_empty())
                    .map(|cases| {
                        let items = cases
                            .into_iter()
                            .map(|c| {
                                let line = fill(
                                    prefs.t(Msg::ReportNearbyItem),
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
                                <h2>{prefs.t(Msg::ReportNearbyHeading)}</h2>
                                <p class="hint">{prefs.t(Msg::ReportNearbyLead)}</p>
                                <ul>{items}</ul>
                            </section>
                        }
                    })
            }}
        </Transition>
    }
}
