//! People, roles and the audit log, for admins. The server decides who may see and change what;
//! others get a 403 page.

use crate::admin::api::fetch_admin_view;
use crate::components::forms::CsrfField;
use crate::components::status::{LoadFailed, Loading};
use crate::i18n::{Msg, name, role_name};
use crate::prefs::{Prefs, use_prefs};
use domain::access::Role;
use domain::cases::report::china_time_text;
use domain::ports::{AdminPerson, AdminView, AuditEntry};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminPage() -> impl IntoView {
    let prefs = use_prefs();
    let query = use_query_map();
    let search = query.with_untracked(|q| q.get("q").unwrap_or_default());
    let filter = query.with_untracked(|q| q.get("audit").unwrap_or_default());
    let done = query.with_untracked(|q| q.get("done"));
    let data = Resource::new(
        {
            let (s, f) = (search.clone(), filter.clone());
            move || (s.clone(), f.clone())
        },
        |(s, f)| fetch_admin_view(s, f),
    );
    let viewer = Resource::new(|| (), |_| crate::api::fetch_viewer());
    let calendar_draft = Resource::new(|| (), |_| crate::admin::api::fetch_calendar_errors());
    view! {
        <Title text=prefs.t(Msg::AdminTitle) />
        <h1>{prefs.t(Msg::AdminTitle)}</h1>
        <Suspense fallback=Loading>
            {move || {
                let (search, filter, done) = (search.clone(), filter.clone(), done.clone());
                Suspend::new(async move {
                    let csrf = viewer.await.ok().and_then(|v| v.csrf_token).unwrap_or_default();
                    let calendar_errors = calendar_draft.await.ok().flatten().unwrap_or_default();
                    let uploaded = query.with_untracked(|q| q.get("year"));
                    match data.await {
                        Ok(Some(view)) => view! {
                            <AdminContent view csrf search filter done calendar_errors uploaded />
                        }
                            .into_any(),
                        Ok(None) => {
                            #[cfg(feature = "ssr")]
                            if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
                                r.set_status(http::StatusCode::FORBIDDEN);
                            }
                            view! {
                                <section class="not-found" data-testid="forbidden">
                                    <p>{prefs.t(Msg::AdminForbidden)}</p>
                                    <a class="button primary" href="/">{prefs.t(Msg::BackHome)}</a>
                                </section>
                            }
                                .into_any()
                        }
                        Err(_) => view! { <LoadFailed /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// What an admin sees: the last action's outcome, people and their roles, the calendar upload,
/// and the audit log.
#[component]
fn AdminContent(
    view: AdminView,
    csrf: String,
    /// The people search and the audit filter, kept in each other's forms.
    search: String,
    filter: String,
    /// The outcome code of the action that redirected here.
    done: Option<String>,
    calendar_errors: Vec<domain::calendar::CalendarError>,
    /// The year whose calendar was just uploaded.
    uploaded: Option<String>,
) -> impl IntoView {
    let prefs = use_prefs();
    let people = view
        .people
        .into_iter()
        .map(|p| person_card(p, &csrf, &search, prefs))
        .collect_view();
    view! {
        {done.map(|d| view! { <p class="notice" role="status" data-testid="admin-done" data-outcome=d.clone()>{admin_outcome(&d).map(|m| prefs.t(m)).unwrap_or_default()}</p> })}
        <h2>{prefs.t(Msg::AdminPeople)}</h2>
        <form method="get" action="/admin" class="lookup">
            <label for="admin-q">{prefs.t(Msg::AdminSearch)}</label>
            <input id="admin-q" name="q" type="search" value=search.clone() />
            <button type="submit" class="primary">{prefs.t(Msg::TrackLookupButton)}</button>
        </form>
        <ul class="people" data-testid="people">{people}</ul>
        <p><a href="/admin/keys" data-testid="keys-link">{prefs.t(Msg::KeysLink)}</a></p>
        <CalendarUpload csrf errors=calendar_errors uploaded />
        <AuditLog audit=view.audit search filter />
    }
}

/// One person: their grants (each with a revoke form) and the form to grant a role.
fn person_card(p: AdminPerson, csrf: &str, search: &str, prefs: Prefs) -> impl IntoView + use<> {
    let grants = p
        .grants
        .iter()
        .map(|g| {
            let place = g
                .scope_name
                .as_ref()
                .map(|n| name(n, prefs.locale))
                .unwrap_or_else(|| prefs.t(Msg::CityWide).to_owned());
            view! {
                <li>
                    {prefs.t(role_name(g.role))} " · " {place} " "
                    <form method="post" action="/admin/revoke" class="inline">
                        <CsrfField token=csrf.to_owned() />
                        <input type="hidden" name="grant" value=g.id.to_string() />
                        <input type="hidden" name="q" value=search.to_owned() />
                        <button type="submit" class="secondary">{prefs.t(Msg::AdminRevoke)}</button>
                    </form>
                </li>
            }
        })
        .collect_view();
    let roles = Role::ALL
        .into_iter()
        .filter(|r| *r != Role::Resident)
        .map(|r| view! { <option value=r.as_str()>{prefs.t(role_name(r))}</option> })
        .collect_view();
    let scope_id = format!("scope-{}", p.id);
    let role_id = format!("role-{}", p.id);
    view! {
        <li class="card person" data-person=p.id.to_string()>
            <p><strong>{p.phone.clone().unwrap_or_default()}</strong> " " {p.display_name.clone().unwrap_or_default()}</p>
            <ul>{grants}</ul>
            <form method="post" action="/admin/grant" class="grant">
                <CsrfField token=csrf.to_owned() />
                <input type="hidden" name="person" value=p.id.to_string() />
                <input type="hidden" name="q" value=search.to_owned() />
                <label for=role_id.clone()>{prefs.t(Msg::AdminRole)}</label>
                <select id=role_id name="role">{roles}</select>
                <label for=scope_id.clone()>{prefs.t(Msg::AdminScope)}</label>
                <input id=scope_id name="scope" type="text" placeholder="350203001 / CGZF" />
                <button type="submit" class="button">{prefs.t(Msg::AdminGrant)}</button>
            </form>
        </li>
    }
}

/// The audit log with its filter (which keeps the people search).
#[component]
fn AuditLog(audit: Vec<AuditEntry>, search: String, filter: String) -> impl IntoView {
    let prefs = use_prefs();
    let rows = audit
        .into_iter()
        .map(|a| {
            view! {
                <tr>
                    <td>{china_time_text(a.at_ms)}</td>
                    <td>{a.actor.unwrap_or_default()}</td>
                    <td>{a.action}</td>
                    <td>{a.target}</td>
                    <td class="details">{a.details}</td>
                    <td>{a.client}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2>{prefs.t(Msg::AdminAudit)}</h2>
        <form method="get" action="/admin" class="lookup">
            <input type="hidden" name="q" value=search />
            <label for="admin-audit">{prefs.t(Msg::AdminAuditFilter)}</label>
            <input id="admin-audit" name="audit" type="search" value=filter />
            <button type="submit" class="primary">{prefs.t(Msg::FilterApply)}</button>
        </form>
        <div class="table-scroll" tabindex="0" role="region" aria-label=prefs.t(Msg::AdminAudit)>
            <table class="audit" data-testid="audit">
                <thead><tr>
                    <th>{prefs.t(Msg::AdminWhen)}</th>
                    <th>{prefs.t(Msg::AdminWho)}</th>
                    <th>{prefs.t(Msg::AdminWhat)}</th>
                    <th>{prefs.t(Msg::AdminTarget)}</th>
                    <th>{prefs.t(Msg::AdminDetails)}</th>
                    <th>{prefs.t(Msg::AdminWhere)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

fn admin_outcome(code: &str) -> Option<Msg> {
    Some(match code {
        "granted" => Msg::AdminGranted,
        "revoked" => Msg::AdminRevoked,
        "bad-role" => Msg::AdminBadRole,
        "no-scope" => Msg::AdminNoScope,
        "scope-mismatch" => Msg::AdminScopeMismatch,
        "missing" => Msg::AdminMissing,
        "calendar-not-utf8" => Msg::CalNotUtf8,
        _ => return None,
    })
}

/// Uploading a year's working-day calendar (the State Council's holiday notice as a rule file).
#[component]
fn CalendarUpload(
    csrf: String,
    errors: Vec<domain::calendar::CalendarError>,
    uploaded: Option<String>,
) -> impl IntoView {
    use domain::calendar::{CalendarError, LineProblem};
    let prefs = use_prefs();
    let text = move |e: &CalendarError| -> String {
        match e {
            CalendarError::NoYear => prefs.t(Msg::CalNoYear).to_owned(),
            CalendarError::UnknownYear(y) => {
                crate::i18n::fill(prefs.t(Msg::ProbCalendar), &[("year", &y.to_string())])
            }
            CalendarError::Line { line, problem } => {
                let (msg, date) = match problem {
                    LineProblem::BadYear => (Msg::CalBadYear, ""),
                    LineProblem::SecondYear => (Msg::CalSecondYear, ""),
                    LineProblem::NeedsDate => (Msg::CalNeedsDate, ""),
                    LineProblem::RangeBackwards => (Msg::CalRangeBackwards, ""),
                    LineProblem::RangeTooLong => (Msg::CalRangeTooLong, ""),
                    LineProblem::UnknownKind => (Msg::CalUnknownKind, ""),
                    LineProblem::NotInYear(d) => (Msg::CalNotInYear, d.as_str()),
                    LineProblem::WeekdayAsWorkday(d) => (Msg::CalWeekdayAsWorkday, d.as_str()),
                    LineProblem::ListedTwice(d) => (Msg::CalListedTwice, d.as_str()),
                };
                crate::i18n::fill(
                    prefs.t(Msg::CalLine),
                    &[
                        ("line", &line.to_string()),
                        (
                            "problem",
                            &crate::i18n::fill(prefs.t(msg), &[("date", date)]),
                        ),
                    ],
                )
            }
        }
    };
    let items = errors
        .iter()
        .map(|e| view! { <li>{text(e)}</li> })
        .collect_view();
    view! {
        <section class="calendar-upload" data-testid="calendar-upload">
            <h2>{prefs.t(Msg::CalHeading)}</h2>
            <p class="hint">{prefs.t(Msg::CalLead)}</p>
            {uploaded.map(|y| view! { <p class="notice" role="status" data-testid="calendar-done">{crate::i18n::fill(prefs.t(Msg::CalDone), &[("year", &y)])}</p> })}
            {(!errors.is_empty()).then(|| view! {
                <p>{prefs.t(Msg::CalRefused)}</p>
                <ul class="field-errors" role="alert" data-testid="calendar-errors">{items}</ul>
            })}
            <form method="post" action="/admin/calendar" enctype="multipart/form-data">
                <CsrfField token=csrf />
                <label for="calendar-file">{prefs.t(Msg::CalFile)}</label>
                <input id="calendar-file" name="rules" type="file" accept=".txt,text/plain" required />
                <button type="submit" class="button">{prefs.t(Msg::CalUpload)}</button>
            </form>
        </section>
    }
}
