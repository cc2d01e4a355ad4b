//! The staff console: each grant's queue (operator, department, inspector, street chief), and a
//! case's working page with the actions the workflow table allows this person now. Every action
//! is a plain multipart form post (photos included), so it works before WASM loads; the server
//! re-checks role, territory and state whatever the page offered.

use crate::api::fetch_viewer;
use crate::components::case_text::{action_label, action_name};
use crate::components::forms::CsrfField;
use crate::components::status::{LoadFailed, Loading};
use crate::i18n::{Msg, fill, name};
use crate::prefs::{Prefs, use_prefs};
use crate::workflow::api::{fetch_staff_case, fetch_staff_console, fetch_staff_draft};
use domain::cases::report::china_time_text;
use domain::ports::{
    QueueItem, QueueKind, StaffActionDraft, StaffCaseView, StaffProblem, StaffQueue, Viewer,
};
use domain::workflow::{CaseAction, CaseState, TextProblem, WorkflowError, reply_templates};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

pub fn state_name(s: CaseState) -> Msg {
    match s {
        CaseState::Reported => Msg::StateReported,
        CaseState::Registered => Msg::StateRegistered,
        CaseState::Rejected => Msg::StateRejected,
        CaseState::Dispatched => Msg::StateDispatched,
        CaseState::Handled => Msg::StateHandled,
        CaseState::Closed => Msg::StateClosed,
        CaseState::Merged => Msg::StateMerged,
        CaseState::OnHold => Msg::StateOnHold,
    }
}

/// What to fix, in the viewer's language.
pub fn problem_text(p: &StaffProblem, prefs: Prefs) -> String {
    let named = |m: Msg, state: CaseState, action: CaseAction| {
        fill(
            prefs.t(m),
            &[
                ("state", prefs.t(state_name(state))),
                ("action", prefs.t(action_name(action))),
            ],
        )
    };
    match p {
        StaffProblem::Workflow(w) => match *w {
            WorkflowError::AlreadyDone { state, action } => {
                named(Msg::ProbAlreadyDone, state, action)
            }
            WorkflowError::NotInThisState { state, action } => {
                named(Msg::ProbNotInState, state, action)
            }
            WorkflowError::NotYourRole { action, .. } => fill(
                prefs.t(Msg::ProbNotYourRole),
                &[("action", prefs.t(action_name(action)))],
            ),
            WorkflowError::ExtensionAlreadyRequested => {
                prefs.t(Msg::ProbExtensionPending).to_owned()
            }
            WorkflowError::NoExtensionRequested => prefs.t(Msg::ProbNoExtension).to_owned(),
            WorkflowError::AlreadyRated => prefs.t(Msg::ProbAlreadyRated).to_owned(),
        },
        StaffProblem::Text(t) => prefs
            .t(match t {
                TextProblem::ReplyMissing => Msg::ProbReplyMissing,
                TextProblem::ReplyTooLong => Msg::ProbReplyTooLong,
                TextProblem::ReasonMissing => Msg::ProbReasonMissing,
                TextProblem::NoteTooLong => Msg::ProbNoteTooLong,
            })
            .to_owned(),
        StaffProblem::CalendarMissing(y) => {
            fill(prefs.t(Msg::ProbCalendar), &[("year", &y.to_string())])
        }
        StaffProblem::Photo(p) => prefs.t(crate::cases::report::problem_text(*p)).to_owned(),
        other => prefs
            .t(match other {
                StaffProblem::OutsideYourScope => Msg::ProbOutsideScope,
                StaffProblem::NoSuchDepartment => Msg::ProbNoDepartment,
                StaffProblem::OverrideNeedsReason => Msg::ProbOverrideReason,
                StaffProblem::DateMissing => Msg::ProbDateMissing,
                StaffProblem::DateMalformed => Msg::ProbDateMalformed,
                StaffProblem::DateInPast => Msg::ProbDateInPast,
                StaffProblem::DateNotAfterDeadline => Msg::ProbDateNotAfter,
                StaffProblem::MergeIntoItself => Msg::ProbMergeSelf,
                StaffProblem::MergeTargetMissing => Msg::ProbMergeMissing,
                StaffProblem::MergeTargetClosed => Msg::ProbMergeClosed,
                StaffProblem::MergeTargetOutsideScope => Msg::ProbMergeOutsideScope,
                StaffProblem::ChangedMeanwhile => Msg::ProbChanged,
                _ => Msg::ProbUnknownAction,
            })
            .to_owned(),
    }
}

#[cfg(feature = "ssr")]
fn forbid_unless_staff() {
    let allowed = crate::api::request_viewer()
        .signed_in
        .is_some_and(|s| s.is_staff);
    if !allowed && let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::FORBIDDEN);
    }
}

/// The refusal shown to visitors and residents (with a real 403 status from the server render).
#[component]
fn NotStaff(viewer: Viewer) -> impl IntoView {
    let prefs = use_prefs();
    let (body, link, label) = if viewer.signed_in.is_some() {
        (Msg::StaffForbiddenBody, "/".to_owned(), Msg::BackHome)
    } else {
        (
            Msg::StaffSignInFirst,
            crate::prefs::here_for_login(),
            Msg::MeSignIn,
        )
    };
    view! {
        <section class="not-found" data-testid="forbidden">
            <h1>{prefs.t(Msg::StaffForbiddenHeading)}</h1>
            <p>{prefs.t(body)}</p>
            <a class="button primary" href=link>{prefs.t(label)}</a>
        </section>
    }
}

#[component]
pub fn StaffPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    forbid_unless_staff();
    let prefs = use_prefs();
    let viewer = Resource::new(|| (), |_| fetch_viewer());
    let queues = Resource::new(|| (), |_| fetch_staff_console());
    let query = use_query_map();
    view! {
        <Title text=prefs.t(Msg::StaffTitle) />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let (Ok(v), Ok(queues)) = (viewer.await, queues.await) else {
                    return view! { <LoadFailed /> }.into_any();
                };
                if !v.signed_in.as_ref().is_some_and(|s| s.is_staff) {
                    return view! { <NotStaff viewer=v /> }.into_any();
                }
                let queues = queues.unwrap_or_default();
                let csrf = v.csrf_token.clone().unwrap_or_default();
                let body = if queues.is_empty() {
                    view! { <p class="notice" data-testid="no-queues">{prefs.t(Msg::QueueNone)}</p> }.into_any()
                } else {
                    queues
                        .into_iter()
                        .map(|q| view! { <Queue queue=q csrf=csrf.clone() /> })
                        .collect_view()
                        .into_any()
                };
                let done = query.with_untracked(|q| q.get("done").zip(q.get("code")));
                view! {
                    <h1>{prefs.t(Msg::StaffHeading)}</h1>
                    <p class="lead">{prefs.t(Msg::StaffLead)}</p>
                    {done.and_then(|(action, code)| {
                        let action = CaseAction::parse(&action)?;
                        Some(view! {
                            <p class="notice" role="status" data-testid="staff-done">
                                {fill(prefs.t(Msg::QueueQuickDone), &[("code", &code), ("action", prefs.t(action_name(action)))])}
                                " " <a href=format!("/staff/case/{code}")>{prefs.t(Msg::QueueOpen)}</a>
                            </p>
                        })
                    })}
                    {body}
                }
                    .into_any()
            })}
        </Suspense>
    }
}

#[component]
fn Queue(queue: StaffQueue, csrf: String) -> impl IntoView {
    let prefs = use_prefs();
    let locale = prefs.locale;
    let (title, testid) = match queue.kind {
        QueueKind::Operator => (Msg::QueueOperator, "queue-operator"),
        QueueKind::Department => (Msg::QueueDepartment, "queue-department"),
        QueueKind::Inspector => (Msg::QueueInspector, "queue-inspector"),
        QueueKind::Watch => (Msg::QueueWatch, "queue-watch"),
    };
    let scope = queue
        .scope
        .as_ref()
        .map(|n| name(n, locale))
        .unwrap_or_else(|| prefs.t(Msg::QueueCityWide).to_owned());
    let items = queue
        .items
        .iter()
        .map(|i| {
            let href = format!("/staff/case/{}", i.code);
            view! {
                <li class=if i.overdue { "queue-item overdue" } else { "queue-item" } data-code=i.code.clone()>
                    <a href=href>
                        <strong>{i.code.clone()}</strong>
                        " · " {name(&i.category, locale)}
                        " · " {name(&i.community, locale)}
                    </a>
                    <span class="queue-state">{prefs.t(state_name(i.state))}</span>
                    <p class="excerpt">{i.excerpt.clone()}</p>
                    <p class="queue-meta">
                        <time>{china_time_text(i.created_ms)}</time>
                        {i.deadline_ms.map(|d| view! { " · " {fill(prefs.t(Msg::QueueDue), &[("t", &china_time_text(d))])} })}
                        {i.overdue.then(|| view! { " · " <strong class="overdue-flag">{prefs.t(Msg::QueueOverdue)}</strong> })}
                        {i.extension_pending.then(|| view! { " · " <strong>{prefs.t(Msg::QueueExtensionPending)}</strong> })}
                        {(i.nearby_open > 0).then(|| view! { " · " {fill(prefs.t(Msg::QueueNearby), &[("n", &i.nearby_open.to_string())])} })}
                    </p>
                    {(queue.kind == QueueKind::Operator).then(|| view! { <QuickAction item=i.clone() csrf=csrf.clone() /> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="queue" data-testid=testid>
            <h2>{prefs.t(title)} " · " {scope}</h2>
            <p class="hint">{fill(prefs.t(Msg::QueueTotal), &[("n", &queue.total.to_string())])}</p>
            {if queue.items.is_empty() {
                view! { <p class="hint">{prefs.t(Msg::QueueEmpty)}</p> }.into_any()
            } else {
                view! { <ul class="queue-list">{items}</ul> }.into_any()
            }}
        </section>
    }
}

/// One tap from the operator's queue: register a new report, or dispatch a registered one to the
/// category's department, each with the common public reply. Rejecting or merging needs the case
/// page (a reason or a target), and so does a duplicate: the queue says when one is nearby.
#[component]
fn QuickAction(item: QueueItem, csrf: String) -> impl IntoView {
    let prefs = use_prefs();
    let action = match item.state {
        CaseState::Reported if item.nearby_open == 0 => CaseAction::Register,
        CaseState::Registered => CaseAction::Dispatch,
        _ => return None,
    };
    let reply = reply_templates(action).first().copied().unwrap_or_default();
    Some(view! {
        <form method="post" action=format!("/staff/case/{}", item.code) enctype="multipart/form-data" class="quick">
            <CsrfField token=csrf />
            <input type="hidden" name="action" value=action.as_str() />
            <input type="hidden" name="public_reply" value=reply />
            <input type="hidden" name="back" value="queue" />
            <button type="submit" class="secondary" data-testid=format!("quick-{}", action.as_str())>
                {prefs.t(action_name(action))}
            </button>
        </form>
    })
}

#[component]
pub fn StaffCasePage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    forbid_unless_staff();
    let prefs = use_prefs();
    let params = use_params_map();
    let query = use_query_map();
    let viewer = Resource::new(|| (), |_| fetch_viewer());
    let case = Resource::new(
        move || params.with(|p| p.get("code")).unwrap_or_default(),
        fetch_staff_case,
    );
    let draft = Resource::new(|| (), |_| fetch_staff_draft());
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let (Ok(v), Ok(case), Ok(draft)) = (viewer.await, case.await, draft.await) else {
                    return view! { <LoadFailed /> }.into_any();
                };
                if !v.signed_in.as_ref().is_some_and(|s| s.is_staff) {
                    return view! { <NotStaff viewer=v /> }.into_any();
                }
                let Some(case) = case else {
                    #[cfg(feature = "ssr")]
                    if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
                        r.set_status(http::StatusCode::NOT_FOUND);
                    }
                    return view! {
                        <p class="notice error" data-testid="case-missing">{prefs.t(Msg::CaseNotFound)}</p>
                        <a class="button secondary" href="/staff">{prefs.t(Msg::StaffBack)}</a>
                    }
                        .into_any();
                };
                let done = query.with_untracked(|q| q.get("done"));
                let csrf = v.csrf_token.unwrap_or_default();
                view! { <StaffCase case csrf draft done /> }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn StaffCase(
    case: StaffCaseView,
    csrf: String,
    draft: Option<StaffActionDraft>,
    done: Option<String>,
) -> impl IntoView {
    let prefs = use_prefs();
    let locale = prefs.locale;
    let c = &case.case;
    let title = fill(prefs.t(Msg::StaffCaseTitle), &[("code", &c.code)]);
    let events = case
        .events
        .iter()
        .map(|e| {
            let label = e
                .action
                .map(|a| action_label(a, prefs))
                .unwrap_or_else(|| prefs.t(crate::components::case_text::stage_name(e.stage)).to_owned());
            let photos = e
                .photos
                .iter()
                .map(|p| view! { <a href=p.full_url.clone()><img src=p.thumb_url.clone() alt="" loading="lazy" class="case-photo" /></a> })
                .collect_view();
            view! {
                <li data-action=e.action.map(|a| a.as_str()).unwrap_or("report")>
                    <strong>{label}</strong> " " <time>{china_time_text(e.at_ms)}</time>
                    {e.department.as_ref().map(|d| view! { " → " {name(d, locale)} })}
                    {e.deadline_ms.map(|d| view! { " · " {fill(prefs.t(Msg::QueueDue), &[("t", &china_time_text(d))])} })}
                    {e.public_text.clone().map(|t| view! { <p class="public-reply">{t}</p> })}
                    {e.internal_note.clone().map(|t| view! { <p class="internal-note"><em>{prefs.t(Msg::StaffInternalLabel)} ": "</em>{t}</p> })}
                    {(!e.photos.is_empty()).then(|| view! { <div class="case-photos">{photos}</div> })}
                </li>
            }
        })
        .collect_view();
    let nearby = case
        .nearby
        .iter()
        .map(|n| view! {
            <li><a href=format!("/staff/case/{}", n.code)>{n.code.clone()}</a> " · " {format!("{} m", n.distance_m)} " · " {n.excerpt.clone()}</li>
        })
        .collect_view();
    let forms = case
        .actions
        .iter()
        .map(|a| {
            let d = draft.clone().filter(|d| d.action == a.as_str());
            view! { <ActionForm action=*a case=case.clone() csrf=csrf.clone() draft=d /> }
        })
        .collect_view();
    let no_actions = case.actions.is_empty();
    // A refusal for an action no longer offered (someone else acted first) is shown on top.
    let orphan = draft
        .as_ref()
        .filter(|d| !case.actions.iter().any(|a| a.as_str() == d.action))
        .map(|d| view! { <Refusal problems=d.problems.clone() /> });
    view! {
        <Title text=title.clone() />
        <p><a href="/staff">{prefs.t(Msg::StaffBack)}</a> " · " <a href=format!("/case/{}", c.code)>{prefs.t(Msg::StaffPublicPage)}</a></p>
        {done.map(|_| view! { <p class="notice" role="status" data-testid="staff-done">{prefs.t(Msg::StaffDone)}</p> })}
        {orphan}
        <h1>{title}</h1>
        <p class="case-stage" data-testid="staff-state">{prefs.t(state_name(c.state))}</p>
        <dl class="case-facts">
            <dt>{prefs.t(Msg::CaseCategory)}</dt>
            <dd>{name(&c.category, locale)}</dd>
            <dt>{prefs.t(Msg::CaseDepartment)}</dt>
            <dd data-testid="staff-department">{name(&c.department, locale)}</dd>
            <dt>{prefs.t(Msg::CaseDeadline)}</dt>
            <dd>{c.deadline_ms.map(china_time_text).unwrap_or_else(|| prefs.t(Msg::CaseNoDeadline).to_owned())}</dd>
            <dt>{prefs.t(Msg::CasePlace)}</dt>
            <dd>{format!("{} {} {}", name(&c.district, locale), name(&c.street, locale), name(&c.community, locale))}
                {c.address.clone().map(|a| view! { <br /> {a} })}</dd>
        </dl>
        <p>{fill(prefs.t(Msg::StaffCounts), &[("rework", &case.rework_count.to_string()), ("ext", &case.extension_count.to_string())])}</p>
        {case.extension_requested_ms.map(|t| view! { <p class="notice">{fill(prefs.t(Msg::StaffExtensionAsked), &[("t", &china_time_text(t))])}</p> })}
        {case.review_ms.map(|t| view! { <p class="notice">{fill(prefs.t(Msg::StaffReview), &[("t", &china_time_text(t))])}</p> })}
        <p data-testid="case-source">{match case.source.as_str() {
            "shift" => prefs.t(Msg::StaffSourceShift).to_owned(),
            "open311" => fill(prefs.t(Msg::StaffSourceOpen311), &[("org", case.source_organisation.as_deref().unwrap_or("?"))]),
            _ => prefs.t(Msg::StaffSourceWeb).to_owned(),
        }}</p>
        {case.reporter_phone.clone().map(|p| view! { <p>{fill(prefs.t(Msg::StaffReporterPhone), &[("phone", &p)])}</p> })}
        <h2>{prefs.t(Msg::CaseDescription)}</h2>
        <p class="case-description">{c.description.clone()}</p>
        {crate::components::case_text::case_answers(&c.answers, locale)}
        {(!case.nearby.is_empty()).then(|| view! {
            <h2>{prefs.t(Msg::StaffNearby)}</h2>
            <ul data-testid="staff-nearby">{nearby}</ul>
        })}
        <h2>{prefs.t(Msg::StaffActions)}</h2>
        {no_actions.then(|| view! { <p class="hint" data-testid="no-actions">{prefs.t(Msg::StaffNoActions)}</p> })}
        <div class="staff-actions">{forms}</div>
        <h2>{prefs.t(Msg::StaffTimelineAll)}</h2>
        <ol class="timeline" data-testid="staff-timeline">{events}</ol>
    }
}

/// One action's form. Open (a `<details>` that starts open) when it is the refused one.
#[component]
fn ActionForm(
    action: CaseAction,
    case: StaffCaseView,
    csrf: String,
    draft: Option<StaffActionDraft>,
) -> impl IntoView {
    let prefs = use_prefs();
    let id = action.as_str();
    let d = draft.clone().unwrap_or_default();
    let errors = draft
        .as_ref()
        .filter(|d| !d.problems.is_empty())
        .map(|d| view! { <Refusal problems=d.problems.clone() /> });
    let reply_id = format!("{id}-reply");
    let note_id = format!("{id}-note");
    let shows_reply = action.needs_public_reply();
    let departments =
        (action == CaseAction::Dispatch).then(|| department_select(&case, &d.department, prefs));
    let needs_date = matches!(
        action,
        CaseAction::RequestExtension | CaseAction::GrantExtension | CaseAction::Shelve
    );
    let date = needs_date.then(|| {
        let date_id = format!("{id}-until");
        view! {
            <label for=date_id.clone()>{prefs.t(Msg::StaffUntil)}</label>
            <input id=date_id type="date" name="until" value=d.until.clone() required=action != CaseAction::GrantExtension />
        }
    });
    let merge = (action == CaseAction::Merge).then(|| view! {
        <label for="merge-into">{prefs.t(Msg::StaffMergeInto)}</label>
        <input id="merge-into" name="merge_into" value=d.merge_into.clone() placeholder="XM-2026-000123" autocomplete="off" />
    });
    let photos = matches!(action, CaseAction::RecordResult | CaseAction::Pass).then(|| {
        let photo_id = format!("{id}-photos");
        view! {
            <label for=photo_id.clone()>{prefs.t(Msg::StaffPhotos)}</label>
            <input id=photo_id name="photo" type="file" multiple accept="image/jpeg,image/png,image/webp" />
        }
    });
    view! {
        <details class="action" open=draft.is_some() data-testid=format!("action-{id}")>
            <summary>{prefs.t(action_name(action))}</summary>
            <form method="post" action=format!("/staff/case/{}", case.case.code) enctype="multipart/form-data">
                <CsrfField token=csrf />
                <input type="hidden" name="action" value=id />
                {errors}
                {departments}
                {date}
                {merge}
                {shows_reply.then(|| view! {
                    <ReplyField action reply_id=reply_id.clone() text=d.public_reply.clone() />
                })}
                <label for=note_id.clone()>{prefs.t(Msg::StaffInternalNote)}</label>
                <textarea id=note_id name="internal_note" rows="2" maxlength="1000"
                    inner_html=crate::cases::report::escape_html(&d.internal_note)></textarea>
                {photos}
                <button type="submit" class="primary" data-testid=format!("do-{id}")>{prefs.t(action_name(action))}</button>
            </form>
        </details>
    }
}

/// The departments to dispatch to, the draft's choice (or else the category's default) selected.
fn department_select(case: &StaffCaseView, drafted: &str, prefs: Prefs) -> impl IntoView + use<> {
    let locale = prefs.locale;
    let chosen = if drafted.is_empty() {
        case.default_department.clone()
    } else {
        drafted.to_owned()
    };
    let options = case
        .departments
        .iter()
        .map(|o| {
            let label = if o.code == case.default_department {
                format!("{} {}", name(&o.names, locale), prefs.t(Msg::StaffDefault))
            } else {
                name(&o.names, locale)
            };
            view! { <option value=o.code.clone() selected=o.code == chosen>{label}</option> }
        })
        .collect_view();
    view! {
        <label for="dispatch-department">{prefs.t(Msg::StaffDepartment)}</label>
        <select id="dispatch-department" name="department">{options}</select>
    }
}

/// The public reply, with the action's common texts as buttons that fill it in.
#[component]
fn ReplyField(
    action: CaseAction,
    reply_id: String,
    /// The refused draft's reply.
    text: String,
) -> impl IntoView {
    let prefs = use_prefs();
    let templates = reply_templates(action)
        .iter()
        .map(|t| t.to_string())
        .collect();
    view! {
        <ReplyWithTemplates
            reply_id
            text
            templates
            label=prefs.t(Msg::StaffPublicReply).to_owned()
            templates_label=prefs.t(Msg::StaffTemplates).to_owned()
        />
    }
}

/// The reply field and its template buttons: one tap fills the reply with a common text (after
/// hydration; before it, staff type, and what they typed is kept).
#[island]
pub fn ReplyWithTemplates(
    reply_id: String,
    text: String,
    templates: Vec<String>,
    label: String,
    templates_label: String,
) -> impl IntoView {
    let reply = RwSignal::new(text.clone());
    let reply_field = NodeRef::<leptos::html::Textarea>::new();
    crate::typed_field::bind_field(reply_field, reply);
    let has_templates = !templates.is_empty();
    let buttons = templates
        .into_iter()
        .map(|t| {
            let fill_in = t.clone();
            view! { <button type="button" class="template secondary" on:click=move |_| reply.set(fill_in.clone())>{t}</button> }
        })
        .collect_view();
    view! {
        <label for=reply_id.clone()>{label}</label>
        {has_templates.then(|| view! { <div class="templates"><span>{templates_label}</span>{buttons}</div> })}
        <textarea id=reply_id name="public_reply" rows="3" maxlength="500"
            node_ref=reply_field
            on:input=move |ev| reply.set(event_target_value(&ev))
            inner_html=crate::cases::report::escape_html(&text)></textarea>
    }
}

/// Why an action was refused, item by item.
#[component]
fn Refusal(problems: Vec<StaffProblem>) -> impl IntoView {
    let prefs = use_prefs();
    let items = problems
        .iter()
        .map(|p| view! { <li>{problem_text(p, prefs)}</li> })
        .collect_view();
    view! {
        <p>{prefs.t(Msg::StaffRefused)}</p>
        <ul class="field-errors" role="alert" data-testid="staff-errors">{items}</ul>
    }
}
