//! The report form. It is a plain multipart form that posts to `/report`, so it works without
//! JavaScript (the community list and address stand in for the map); after hydration the map sets
//! the pin, "use my location" asks the browser, the category list can be searched, and open cases
//! of the same kind nearby are offered for "me too".

use crate::api::fetch_viewer;
use crate::cases::api::{fetch_nearby, fetch_report_draft, fetch_report_form};
use crate::components::forms::CsrfField;
use crate::components::status::{LoadFailed, Loading};
use crate::i18n::{Locale, Msg, fill, name};
use crate::prefs::use_prefs;
use domain::cases::category::{TimeLimit, TimeUnit};
use domain::cases::questions::{AnswerKind, Question};
use domain::cases::report::{ReportField, ReportProblem};
use domain::ports::{ReportDraft, ReportFormData, Viewer};
use leptos::html::Div;
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

pub fn problem_text(p: ReportProblem) -> Msg {
    use ReportProblem::*;
    match p {
        NoLocation => Msg::ProblemNoLocation,
        BadCoordinates => Msg::ProblemBadCoordinates,
        OutsideCity => Msg::ProblemOutsideCity,
        UnknownCommunity => Msg::ProblemUnknownCommunity,
        AddressMissing => Msg::ProblemAddressMissing,
        AddressTooLong => Msg::ProblemAddressTooLong,
        MissingCategory => Msg::ProblemMissingCategory,
        UnknownCategory => Msg::ProblemUnknownCategory,
        DescriptionTooShort => Msg::ProblemDescriptionTooShort,
        DescriptionTooLong => Msg::ProblemDescriptionTooLong,
        TooManyPhotos => Msg::ProblemTooManyPhotos,
        PhotoEmpty => Msg::ProblemPhotoEmpty,
        PhotoTooLarge => Msg::ProblemPhotoTooLarge,
        PhotoNotImage => Msg::ProblemPhotoNotImage,
        PhotoHeic => Msg::ProblemPhotoHeic,
        PhotoTooManyPixels => Msg::ProblemPhotoTooManyPixels,
        PhotoUnreadable => Msg::ProblemPhotoUnreadable,
        PhotoBusy => Msg::ProblemPhotoBusy,
        BadContactPhone => Msg::ProblemBadContactPhone,
        CommentEmpty => Msg::ProblemCommentEmpty,
        CommentTooLong => Msg::ProblemCommentTooLong,
        NotTheReporter => Msg::ProblemNotTheReporter,
        AnswerMissing => Msg::ProblemAnswerMissing,
        AnswerInvalid => Msg::ProblemAnswerInvalid,
    }
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

/// The messages for one field, announced to screen readers.
fn field_errors(draft: &ReportDraft, field: ReportField, locale: Locale) -> impl IntoView + use<> {
    let msgs: Vec<&'static str> = draft
        .problems
        .iter()
        .filter(|p| p.field() == field)
        .map(|p| problem_text(*p).text(locale))
        .collect();
    (!msgs.is_empty()).then(|| {
        view! {
            <ul class="field-errors" role="alert" data-field=format!("{field:?}")>
                {msgs.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
            </ul>
        }
    })
}

#[component]
fn ReportForm(data: ReportFormData, draft: ReportDraft, viewer: Viewer) -> impl IntoView {
    let prefs = use_prefs();
    let locale = prefs.locale;
    let v = draft.values.clone();
    let lat = RwSignal::new(v.lat.clone());
    let lng = RwSignal::new(v.lng.clone());
    let source = RwSignal::new(v.location_source.clone());
    let category = RwSignal::new(v.category.clone());
    // A category chosen before the page hydrated still brings up its questions.
    let category_field = NodeRef::<leptos::html::Select>::new();
    crate::typed_field::bind_field(category_field, category);
    let asked: Vec<(String, Vec<Question>)> = data
        .categories
        .iter()
        .flat_map(|g| g.subs.iter())
        .filter(|s| !s.questions.is_empty())
        .map(|s| (s.code.clone(), s.questions.clone()))
        .collect();
    let kept_answers = v.answers.clone();
    let answered_category = v.category.clone();
    let answer_problems: Vec<&'static str> = draft
        .problems
        .iter()
        .filter(|p| p.field() == ReportField::Questions)
        .map(|p| problem_text(*p).text(locale))
        .collect();
    let query = RwSignal::new(String::new());
    let locate_failed = RwSignal::new(false);
    // Set when the chosen photo carries a GPS position: the form offers to put the pin there.
    let photo_gps = RwSignal::new(None::<(f64, f64)>);
    let map_el = NodeRef::<Div>::new();
    let signed_in = viewer.signed_in.is_some();
    let refused = !draft.problems.is_empty();
    let list_open = v.community.trim().len() == 12
        || draft.problems.iter().any(|p| {
            matches!(
                p,
                ReportProblem::UnknownCommunity | ReportProblem::AddressMissing
            )
        });

    #[cfg(feature = "hydrate")]
    crate::map_view::mount_pin_map(
        map_el,
        data.tiles.clone(),
        data.centre,
        12.0,
        lat,
        lng,
        source,
    );

    let nearby = Resource::new(
        move || (category.get(), lat.get(), lng.get()),
        |(c, la, ln)| async move {
            match (c.is_empty(), la.parse::<f64>(), ln.parse::<f64>()) {
                (false, Ok(la), Ok(ln)) => fetch_nearby(c, la, ln).await.unwrap_or_default(),
                _ => Vec::new(),
            }
        },
    );

    let categories = data
        .categories
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
                    let selected = v.category == s.code;
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
        .collect_view();

    let chosen_community = v.community.clone();
    let communities = data
        .places
        .iter()
        .flat_map(|d| {
            let chosen_community = chosen_community.clone();
            d.children.iter().map(move |s| {
                let label = format!("{} {}", name(&d.names, locale), name(&s.names, locale));
                let options = s
                    .children
                    .iter()
                    .map(|c| {
                        let selected = chosen_community == c.code;
                        view! { <option value=c.code.clone() selected=selected>{name(&c.names, locale)}</option> }
                    })
                    .collect_view();
                view! { <optgroup label=label>{options}</optgroup> }
            })
        })
        .collect_view();

    let csrf = viewer.csrf_token.clone().unwrap_or_default();
    view! {
        {refused.then(|| view! {
            <p class="notice error" role="alert" data-testid="report-refused">{prefs.t(Msg::ReportFixBelow)}</p>
        })}
        <form class="report-form" method="post" action="/report" enctype="multipart/form-data" data-offline-draft="">
            <CsrfField token=csrf />
            <fieldset>
                <legend>{prefs.t(Msg::ReportStepWhere)}</legend>
                {field_errors(&draft, ReportField::Location, locale)}
                <p class="hint needs-js">{prefs.t(Msg::ReportMapHint)}</p>
                <div id="report-map" class="report-map" node_ref=map_el role="region" aria-label=prefs.t(Msg::ReportMapLabel)></div>
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
                    {prefs.t(Msg::ReportUseMyLocation)}
                </button>
                {move || locate_failed.get().then(|| view! { <p class="field-errors" role="alert">{prefs.t(Msg::ReportLocateFailed)}</p> })}
                <p class="pin-status" aria-live="polite" data-testid="pin-status">
                    {move || {
                        let (la, ln) = (lat.get(), lng.get());
                        if la.is_empty() {
                            prefs.t(Msg::ReportPinNone).to_owned()
                        } else {
                            fill(prefs.t(Msg::ReportPinSet), &[("lat", &la), ("lng", &ln)])
                        }
                    }}
                </p>
                <input type="hidden" name="lat" value=move || lat.get() />
                <input type="hidden" name="lng" value=move || lng.get() />
                <input type="hidden" name="location_source" value=move || source.get() />
                <details class="no-map" open=list_open>
                    <summary>{prefs.t(Msg::ReportNoMap)}</summary>
                    <label for="community">{prefs.t(Msg::ReportCommunity)}</label>
                    <select id="community" name="community">
                        <option value="">{prefs.t(Msg::ReportCommunityNone)}</option>
                        {communities}
                    </select>
                    <label for="address">{prefs.t(Msg::ReportAddress)}</label>
                    <input id="address" name="address" type="text" maxlength="200" value=v.address.clone() aria-describedby="address-hint" />
                    <p class="hint" id="address-hint">{prefs.t(Msg::ReportAddressHint)}</p>
                </details>
            </fieldset>
            <fieldset>
                <legend>{prefs.t(Msg::ReportStepWhat)}</legend>
                {field_errors(&draft, ReportField::Category, locale)}
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
                    {categories}
                </select>
            </fieldset>
            {move || {
                let chosen = category.get();
                asked.iter().find(|(code, _)| *code == chosen).map(|(_, questions)| {
                    // Kept answers belong to the category they were given for.
                    let (kept, problems) = if chosen == answered_category {
                        (kept_answers.clone(), answer_problems.clone())
                    } else {
                        (Vec::new(), Vec::new())
                    };
                    let refused = refused && chosen == answered_category;
                    view! { <CategoryQuestions questions=questions.clone() kept problems refused /> }
                })
            }}
            <NearbyCases nearby />
            <fieldset>
                <legend>{prefs.t(Msg::ReportStepDescribe)}</legend>
                {field_errors(&draft, ReportField::Description, locale)}
                <label for="description">{prefs.t(Msg::ReportDescription)}</label>
                <textarea id="description" name="description" rows="5" maxlength="4000" inner_html=escape_html(&v.description)></textarea>
            </fieldset>
            <fieldset>
                <legend>{prefs.t(Msg::ReportStepPhotos)}</legend>
                {field_errors(&draft, ReportField::Photos, locale)}
                {(v.photos_sent > 0).then(|| view! { <p class="notice">{prefs.t(Msg::ReportPhotosAgain)}</p> })}
                <label for="photo">{prefs.t(Msg::ReportPhotos)}</label>
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
                    let label = fill(prefs.t(Msg::ReportUsePhotoPlace), &[("lat", &format!("{la:.5}")), ("lng", &format!("{ln:.5}"))]);
                    view! {
                        <button
                            type="button"
                            class="secondary"
                            data-testid="use-photo-location"
                            on:click=move |_| {
                                lat.set(format!("{la:.6}"));
                                lng.set(format!("{ln:.6}"));
                                source.set("photo".into());
                                photo_gps.set(None);
                            }
                        >
                            {label}
                        </button>
                    }
                })}
                <p class="hint" id="photo-hint">{prefs.t(Msg::ReportPhotoPrivacy)}</p>
            </fieldset>
            <fieldset>
                <legend>{prefs.t(Msg::ReportStepContact)}</legend>
                {field_errors(&draft, ReportField::Contact, locale)}
                {if signed_in {
                    view! {
                        <label class="check">
                            <input type="checkbox" name="anonymous" value="1" checked=v.anonymous />
                            {prefs.t(Msg::ReportAnonymous)}
                        </label>
                    }
                        .into_any()
                } else {
                    view! { <p class="hint">{prefs.t(Msg::ReportSignedOut)}</p> }.into_any()
                }}
                <label for="contact_phone">{prefs.t(Msg::ReportContactPhone)}</label>
                <input id="contact_phone" name="contact_phone" type="tel" inputmode="numeric" autocomplete="tel" value=v.contact_phone.clone() aria-describedby="contact-hint" />
                <p class="hint" id="contact-hint">{prefs.t(Msg::ReportContactHint)}</p>
            </fieldset>
            <button type="submit" class="primary" data-testid="report-submit">{prefs.t(Msg::ReportSubmit)}</button>
        </form>
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
