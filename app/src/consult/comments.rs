//! On a consultation's page: the comments, with their stances, replies, reports and review.

use crate::components::forms::CsrfField;
use crate::consult::pages::Refused;
use crate::consult::text::Ctx;
use crate::consult::text::stance_name;
use crate::i18n::{Msg, fill};
use crate::prefs::use_prefs;
use domain::cases::report::china_time_text;
use domain::consult::{Phase, Stance};
use domain::ports::{ConsultComment, ConsultView};
use leptos::prelude::*;

#[component]
pub(crate) fn Comments(c: ConsultView, ctx: Ctx) -> impl IntoView {
    let prefs = use_prefs();
    let action = format!("/consult/{}", c.id);
    let open = matches!(c.phase, Phase::Comment | Phase::Vote);
    let kept = ctx
        .refusal
        .as_ref()
        .filter(|r| r.form == "comment")
        .map(|r| r.text.clone())
        .unwrap_or_default();
    let form = (open && ctx.signed_in).then(|| {
        let stances = [Stance::Support, Stance::Oppose, Stance::Neutral]
            .into_iter()
            .map(|s| {
                view! {
                    <label class="choice"><input type="radio" name="stance" value=s.as_str() required />{prefs.t(stance_name(s))}</label>
                }
            })
            .collect_view();
        view! {
            <form method="post" action=action.clone() enctype="multipart/form-data" class="stack" data-testid="comment-form">
                <CsrfField token=ctx.csrf.clone() />
                <input type="hidden" name="op" value="comment" />
                <fieldset><legend>{prefs.t(Msg::CommentStance)}</legend>{stances}</fieldset>
                <label>{prefs.t(Msg::CommentBody)}<textarea name="body" rows="3" maxlength="1000" required inner_html=crate::cases::report::escape_html(&kept)></textarea></label>
                <button type="submit">{prefs.t(Msg::CommentPost)}</button>
            </form>
        }
    });
    let replies_of = |parent: i64| -> Vec<ConsultComment> {
        c.comments
            .iter()
            .filter(|x| x.parent_id == Some(parent))
            .cloned()
            .collect()
    };
    let list = c
        .comments
        .iter()
        .filter(|x| x.parent_id.is_none())
        .map(|top| {
            let replies = replies_of(top.id)
                .into_iter()
                .map(|r| view! { <li><CommentItem comment=r action=action.clone() ctx=ctx.clone() council=c.council /></li> })
                .collect_view();
            let reply_form = (open && ctx.signed_in).then(|| {
                view! {
                    <details>
                        <summary>{prefs.t(Msg::CommentReply)}</summary>
                        <form method="post" action=action.clone() enctype="multipart/form-data" class="stack">
                            <CsrfField token=ctx.csrf.clone() />
                            <input type="hidden" name="op" value="comment" />
                            <input type="hidden" name="parent" value=top.id.to_string() />
                            <label>{prefs.t(Msg::CommentBody)}<textarea name="body" rows="2" maxlength="1000" required></textarea></label>
                            <button type="submit" class="secondary">{prefs.t(Msg::CommentReply)}</button>
                        </form>
                    </details>
                }
            });
            view! {
                <li>
                    <CommentItem comment=top.clone() action=action.clone() ctx=ctx.clone() council=c.council />
                    <ul class="replies">{replies}</ul>
                    {reply_form}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" id="comments" aria-labelledby="comments-heading">
            <h2 id="comments-heading">{fill(prefs.t(Msg::ConsultCommentsHeading), &[("n", &c.comments.len().to_string())])}</h2>
            <Refused refusal=ctx.refusal.clone() form="comment" />
            {form}
            <ul class="comments" data-testid="comments">{list}</ul>
        </section>
    }
}

#[component]
pub(crate) fn CommentItem(
    comment: ConsultComment,
    action: String,
    ctx: Ctx,
    council: bool,
) -> impl IntoView {
    let prefs = use_prefs();
    let small_form = |op: &'static str,
                      extra: Option<(&'static str, &'static str)>,
                      label: Msg,
                      testid: String| {
        view! {
            <form method="post" action=action.clone() enctype="multipart/form-data" class="inline">
                <CsrfField token=ctx.csrf.clone() />
                <input type="hidden" name="op" value=op />
                <input type="hidden" name="comment" value=comment.id.to_string() />
                {extra.map(|(n, v)| view! { <input type="hidden" name=n value=v /> })}
                <button type="submit" class="link" data-testid=testid>{prefs.t(label)}</button>
            </form>
        }
    };
    let report = (ctx.signed_in && !comment.held).then(|| {
        small_form(
            "report",
            None,
            Msg::CommentReport,
            format!("report-{}", comment.id),
        )
    });
    let review = (council && comment.held).then(|| {
        view! {
            <span class="held" data-testid=format!("held-{}", comment.id)>{fill(prefs.t(Msg::CommentHeld), &[("n", &comment.reports.to_string())])}</span>
            {small_form("review", Some(("keep", "1")), Msg::CommentKeep, format!("keep-{}", comment.id))}
            {small_form("review", Some(("keep", "0")), Msg::CommentRemove, format!("remove-{}", comment.id))}
        }
    });
    view! {
        <article class="comment" data-testid=format!("comment-{}", comment.id)>
            <p>
                <span class=format!("stance stance-{}", comment.stance.as_str())>{prefs.t(stance_name(comment.stance))}</span>
                {comment.official.then(|| view! { " " <span class="official">{prefs.t(Msg::CommentOfficial)}</span> })}
                " " <small>{china_time_text(comment.at)}</small>
            </p>
            <p>{comment.body.clone()}</p>
            {report}
            {review}
        </article>
    }
}
