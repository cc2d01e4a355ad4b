//! Operators' tools on a case's page (the server checks the permission; this only hides them
//! from others). Each change is kept in the audit log with what it replaced.

use crate::components::forms::CsrfField;
use crate::i18n::{Msg, fill};
use crate::prefs::{Prefs, use_prefs};
use domain::cases::report::china_time_text;
use domain::ports::CaseView;
use leptos::prelude::*;

#[component]
pub(super) fn ModerationTools(case: CaseView, csrf: String) -> impl IntoView {
    let prefs = use_prefs();
    let action = format!("/case/{}/moderate", case.code);
    view! {
        <section class="moderation" data-testid="moderation">
            <h2>{prefs.t(Msg::ModHeading)}</h2>
            {photo_forms(&case, &action, &csrf, prefs)}
            {comment_forms(&case, &action, &csrf, prefs)}
            <TextForms action csrf description=case.description />
        </section>
    }
}

/// One small form per photo: hide each shown photo, show each hidden one.
fn photo_forms(case: &CaseView, action: &str, csrf: &str, prefs: Prefs) -> impl IntoView + use<> {
    let photos = case
        .photos
        .iter()
        .map(|p| {
            let (action, csrf) = (action.to_owned(), csrf.to_owned());
            view! {
                <form method="post" action=action class="inline">
                    <CsrfField token=csrf />
                    <input type="hidden" name="action" value="hide" />
                    <input type="hidden" name="position" value=p.position.to_string() />
                    <button type="submit" class="secondary" data-testid=format!("hide-photo-{}", p.position)>
                        {fill(prefs.t(Msg::ModHidePhoto), &[("n", &(p.position + 1).to_string())])}
                    </button>
                </form>
            }
        })
        .collect_view();
    let hidden = case
        .hidden_photos
        .iter()
        .map(|position| {
            let (action, csrf) = (action.to_owned(), csrf.to_owned());
            view! {
                <form method="post" action=action class="inline">
                    <CsrfField token=csrf />
                    <input type="hidden" name="action" value="show" />
                    <input type="hidden" name="position" value=position.to_string() />
                    <button type="submit" class="secondary" data-testid=format!("show-photo-{position}")>
                        {fill(prefs.t(Msg::ModShowPhoto), &[("n", &(position + 1).to_string())])}
                    </button>
                </form>
            }
        })
        .collect_view();
    view! {
        {photos}
        {hidden}
    }
}

/// One small form per follow-up: hide each shown one, show each hidden one.
fn comment_forms(case: &CaseView, action: &str, csrf: &str, prefs: Prefs) -> impl IntoView + use<> {
    let comment_form = |id: i64, op: &'static str, label: String| {
        view! {
            <form method="post" action=action.to_owned() class="inline">
                <CsrfField token=csrf.to_owned() />
                <input type="hidden" name="action" value=op />
                <input type="hidden" name="comment" value=id.to_string() />
                <button type="submit" class="secondary" data-testid=format!("{op}-{id}")>{label}</button>
            </form>
        }
    };
    let comments = case
        .comments
        .iter()
        .map(|c| {
            comment_form(
                c.id,
                "hide_comment",
                format!(
                    "{} ({})",
                    prefs.t(Msg::ModHideComment),
                    china_time_text(c.at_ms)
                ),
            )
        })
        .collect_view();
    let hidden_comments = case
        .hidden_comments
        .iter()
        .map(|id| {
            comment_form(
                *id,
                "show_comment",
                fill(prefs.t(Msg::ModShowComment), &[("n", &id.to_string())]),
            )
        })
        .collect_view();
    view! {
        {comments}
        {hidden_comments}
    }
}

/// Replace the public description (personal details a resident typed), or restore the original.
#[component]
fn TextForms(action: String, csrf: String, description: String) -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <form method="post" action=action.clone()>
            <CsrfField token=csrf.clone() />
            <input type="hidden" name="action" value="edit" />
            <label for="public-text">{prefs.t(Msg::ModPublicText)}</label>
            <textarea
                id="public-text"
                name="text"
                rows="4"
                maxlength="4000"
                inner_html=crate::cases::report::escape_html(&description)
            ></textarea>
            <button type="submit" class="secondary" data-testid="edit-description">{prefs.t(Msg::ModSaveText)}</button>
        </form>
        <form method="post" action=action>
            <CsrfField token=csrf />
            <input type="hidden" name="action" value="restore" />
            <button type="submit" class="secondary">{prefs.t(Msg::ModRestoreText)}</button>
        </form>
    }
}
