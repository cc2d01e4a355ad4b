//! The volunteer's (督导员) shift page, for one hand during a shift: big +1 buttons for households
//! and for correct and incorrect drops per bin, an issue with a photo, and the shift's end. It is
//! a plain multipart form (number inputs work before WASM loads); after hydration the buttons
//! count. Below: the volunteer's own shifts and totals, as a thank-you.

use crate::api::fetch_viewer;
use crate::components::forms::CsrfField;
use crate::components::status::{LoadFailed, Loading};
use crate::i18n::{Msg, fill};
use crate::prefs::{Prefs, use_prefs};
use crate::sorting::api::{fetch_shift_draft, fetch_volunteer_page};
use crate::sorting::home::bin_name;
use domain::ports::{ShiftDraft, ShiftFormProblem, VolunteerPage};
use domain::sorting::Bin;
use domain::sorting::supervision::{COUNT_FIELDS, ShiftProblem, minute_text};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn problem_text(p: &ShiftFormProblem, prefs: Prefs) -> String {
    let t = |m: Msg| prefs.t(m).to_owned();
    match p {
        ShiftFormProblem::NoSuchPoint => t(Msg::SpNoSuchPoint),
        ShiftFormProblem::NotAssigned => t(Msg::SpNotAssigned),
        ShiftFormProblem::BadDate => t(Msg::SpBadDate),
        ShiftFormProblem::BadTime(_) => t(Msg::SpBadTime),
        ShiftFormProblem::InFuture => t(Msg::SpInFuture),
        ShiftFormProblem::IssueKind => t(Msg::SpIssueKind),
        ShiftFormProblem::IssueNoteLength => t(Msg::SpIssueNote),
        ShiftFormProblem::PhotoWithoutIssue => t(Msg::SpPhotoWithoutIssue),
        ShiftFormProblem::Photo(p) => t(crate::cases::report::problem_text(*p)),
        ShiftFormProblem::Shift(ShiftProblem::Backwards) => t(Msg::SpBackwards),
        ShiftFormProblem::Shift(ShiftProblem::Overlaps { start, end }) => fill(
            prefs.t(Msg::SpOverlaps),
            &[("start", &minute_text(*start)), ("end", &minute_text(*end))],
        ),
        ShiftFormProblem::Shift(ShiftProblem::OutsideWindowsWithoutReason) => {
            t(Msg::SpOutsideWindows)
        }
        ShiftFormProblem::Shift(ShiftProblem::AboveHouseholds { served }) => fill(
            prefs.t(Msg::SpAboveHouseholds),
            &[("n", &served.to_string())],
        ),
        ShiftFormProblem::Shift(ShiftProblem::BadCount(_)) => t(Msg::SpBadCount),
    }
}

#[component]
pub fn ShiftPage() -> impl IntoView {
    let prefs = use_prefs();
    let query = use_query_map();
    let data = Resource::new(
        || (),
        |_| async {
            (
                fetch_viewer().await,
                fetch_volunteer_page().await,
                fetch_shift_draft().await,
            )
        },
    );
    view! {
        <Title text=prefs.t(Msg::ShiftTitle) />
        <h1>{prefs.t(Msg::ShiftTitle)}</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let (Ok(v), Ok(page), draft) = data.await else {
                    return view! { <LoadFailed /> }.into_any();
                };
                if v.signed_in.is_none() {
                    return view! {
                        <p>{prefs.t(Msg::ShiftSignIn)} " " <a href=crate::prefs::here_for_login()>{prefs.t(Msg::MeSignIn)}</a></p>
                    }.into_any();
                }
                let Some(page) = page else {
                    return view! { <p class="notice" data-testid="no-points">{prefs.t(Msg::ShiftNoPoints)}</p> }.into_any();
                };
                let done = query.with_untracked(|q| q.get("done").is_some());
                let draft = draft.ok().flatten();
                view! {
                    {done.then(|| view! { <p class="notice" role="status" data-testid="shift-done">{prefs.t(Msg::ShiftDone)}</p> })}
                    <ShiftForm page=page.clone() draft csrf=v.csrf_token.unwrap_or_default() />
                    <History page />
                }.into_any()
            })}
        </Suspense>
    }
}

/// A number field with big +1 and undo buttons (they count after hydration; typing always works).
#[island]
pub fn Counter(
    name: String,
    label: String,
    /// What the buttons count, for screen readers ("可回收物 分类正确").
    what: String,
    initial: String,
    big: bool,
) -> impl IntoView {
    let value = RwSignal::new(initial.trim().parse::<u32>().unwrap_or(0).to_string());
    let field = NodeRef::<leptos::html::Input>::new();
    crate::typed_field::bind_field(field, value);
    // The buttons count from whatever the field holds; a cleared or garbled field counts as 0.
    let step = move |up: bool| {
        value.update(|v| {
            let n = v.trim().parse::<u32>().unwrap_or(0);
            *v = if up {
                n.saturating_add(1)
            } else {
                n.saturating_sub(1)
            }
            .to_string();
        })
    };
    let id = format!("count-{name}");
    view! {
        <div class=if big { "counter big" } else { "counter" }>
            <label for=id.clone()>{label}</label>
            <input id=id type="number" min="0" inputmode="numeric" name=name.clone()
                value=initial.trim().to_string() node_ref=field
                on:input=move |ev| value.set(event_target_value(&ev)) />
            <button type="button" class="plus" data-testid=format!("plus-{name}") aria-label=format!("+1 {what}")
                on:click=move |_| step(true)>"+1"</button>
            <button type="button" class="secondary undo" aria-label=format!("−1 {what}")
                on:click=move |_| step(false)>"−1"</button>
        </div>
    }
}

#[component]
fn ShiftForm(page: VolunteerPage, draft: Option<ShiftDraft>, csrf: String) -> impl IntoView {
    let prefs = use_prefs();
    let problems = draft.as_ref().map(|d| {
        let items = d
            .problems
            .iter()
            .map(|p| view! { <li>{problem_text(p, prefs)}</li> })
            .collect_view();
        view! {
            <div class="status error" role="alert" data-testid="shift-refused">
                <p>{prefs.t(Msg::CpFix)}</p>
                <ul>{items}</ul>
            </div>
        }
    });
    let d = draft.unwrap_or_else(|| ShiftDraft {
        date: page.today.clone(),
        start: page.now.clone(),
        counts: vec![String::new(); COUNT_FIELDS.len()],
        ..Default::default()
    });
    let points = page
        .points
        .iter()
        .map(|p| {
            let label = fill(
                prefs.t(Msg::ShiftPointOption),
                &[("name", &p.name), ("w", &p.windows.join("、"))],
            );
            view! { <option value=p.id.to_string() selected=d.point == p.id.to_string()>{label}</option> }
        })
        .collect_view();
    let bins = Bin::ALL
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let count = |k: usize| d.counts.get(k).cloned().unwrap_or_default();
            view! {
                <fieldset class=format!("bin-counts answer-{}", b.colour())>
                    <legend>{prefs.t(bin_name(*b))}</legend>
                    <Counter name=COUNT_FIELDS[i * 2].to_owned() label=prefs.t(Msg::ShiftCorrect).to_owned()
                        what=format!("{} {}", prefs.t(bin_name(*b)), prefs.t(Msg::ShiftCorrect)) initial=count(i * 2) big=false />
                    <Counter name=COUNT_FIELDS[i * 2 + 1].to_owned() label=prefs.t(Msg::ShiftIncorrect).to_owned()
                        what=format!("{} {}", prefs.t(bin_name(*b)), prefs.t(Msg::ShiftIncorrect)) initial=count(i * 2 + 1) big=false />
                </fieldset>
            }
        })
        .collect_view();
    let kinds = [
        ("", Msg::IssueNone),
        ("overflowing", Msg::IssueOverflowing),
        ("mixed", Msg::IssueMixed),
        ("bin_missing", Msg::IssueBinMissing),
        ("other", Msg::IssueOther),
    ]
    .map(|(v, m)| view! { <option value=v selected=d.issue_kind == v>{prefs.t(m)}</option> })
    .collect_view();
    view! {
        {problems}
        <form method="post" action="/sorting/shift" enctype="multipart/form-data" class="stack shift-form" data-testid="shift-form" data-offline-draft=""
            data-offline-saved=prefs.t(Msg::ShiftSavedOffline) data-offline-unsent=prefs.t(Msg::ShiftUnsent)>
            <CsrfField token=csrf />
            <label>{prefs.t(Msg::ShiftPoint)}<select name="point">{points}</select></label>
            <div class="row">
                <label>{prefs.t(Msg::ShiftDate)}<input type="date" name="date" required value=d.date.clone() /></label>
                <label>{prefs.t(Msg::ShiftStart)}<input type="time" name="start" required value=d.start.clone() /></label>
                <label>{prefs.t(Msg::ShiftEnd)}<input type="time" name="end" required value=d.end.clone() /></label>
            </div>
            <Counter name="households".to_owned() label=prefs.t(Msg::ShiftHouseholds).to_owned()
                what=prefs.t(Msg::ShiftHouseholds).to_owned() initial=d.households.clone() big=true />
            {bins}
            <fieldset>
                <legend>{prefs.t(Msg::ShiftIssue)}</legend>
                <label>{prefs.t(Msg::ShiftIssueKind)}<select name="issue_kind">{kinds}</select></label>
                <label>{prefs.t(Msg::ShiftIssueNote)}<input name="issue_note" maxlength="200" value=d.issue_note.clone() /></label>
                <label>{prefs.t(Msg::ShiftIssuePhoto)}<input type="file" name="photo" accept="image/jpeg,image/png,image/webp" capture="environment" /></label>
            </fieldset>
            <label>{prefs.t(Msg::ShiftReason)}<input name="reason" maxlength="200" value=d.reason.clone() /></label>
            <button type="submit" class="big" data-testid="shift-submit">{prefs.t(Msg::ShiftSubmit)}</button>
        </form>
    }
}

#[component]
fn History(page: VolunteerPage) -> impl IntoView {
    let prefs = use_prefs();
    let rows = page
        .shifts
        .iter()
        .map(|s| {
            view! {
                <li>{fill(prefs.t(Msg::ShiftHistoryRow), &[
                    ("date", &s.date), ("start", &s.start), ("end", &s.end), ("point", &s.point),
                    ("n", &s.households.to_string()), ("ok", &s.correct.to_string()), ("all", &s.inspected.to_string()),
                ])}</li>
            }
        })
        .collect_view();
    let hours = format!("{:.1}", page.total_minutes as f64 / 60.0);
    view! {
        <section class="card" aria-labelledby="history-heading">
            <h2 id="history-heading">{prefs.t(Msg::ShiftHistory)}</h2>
            <p data-testid="shift-totals">{fill(prefs.t(Msg::ShiftThanks), &[
                ("shifts", &page.total_shifts.to_string()), ("hours", &hours), ("n", &page.total_households.to_string()),
            ])}</p>
            <ul data-testid="shift-history">{rows}</ul>
        </section>
    }
}
