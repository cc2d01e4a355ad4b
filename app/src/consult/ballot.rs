//! On a consultation's page: the owner's ballot, the council's tools, the result with every figure, photos and progress updates.

use crate::components::forms::CsrfField;
use crate::consult::pages::Refused;
use crate::consult::text::Ctx;
use crate::consult::text::{
    area_text, choice_label, option_label, percent, reached_text, threshold_full, unit_text,
};
use crate::i18n::{Msg, fill, name};
use crate::prefs::use_prefs;
use domain::cases::report::china_time_text;
use domain::consult::{Choice, Phase, Share, Tally, Threshold};
use domain::ports::ConsultView;
use leptos::prelude::*;

#[component]
pub(crate) fn Ballot(c: ConsultView, ctx: Ctx) -> impl IntoView {
    let prefs = use_prefs();
    let refused = view! { <Refused refusal=ctx.refusal.clone() form="vote" /> };
    let content = match (&c.me, ctx.signed_in) {
        (_, false) => view! {
            <p>{prefs.t(Msg::BallotSignIn)} " " <a href=crate::prefs::here_for_login()>{prefs.t(Msg::MeSignIn)}</a></p>
        }
        .into_any(),
        (None, true) => {
            view! { <p data-testid="not-owner">{prefs.t(Msg::BallotNotOwner)}</p> }.into_any()
        }
        (Some(me), true) => {
            let units = me
                .units
                .iter()
                .map(|u| unit_text(u, prefs))
                .collect::<Vec<_>>()
                .join("、");
            let verified = view! {
                <p class="ok" data-testid="verified-owner">{fill(prefs.t(Msg::BallotVerified), &[("units", &units)])}</p>
            };
            let current = me.ballot.clone().map(|b| {
                let text = fill(
                    prefs.t(if b.paper {
                        Msg::BallotCurrentPaper
                    } else {
                        Msg::BallotCurrent
                    }),
                    &[
                        ("choice", &choice_label(&c, b.choice, prefs)),
                        ("at", &china_time_text(b.changed_at)),
                    ],
                );
                view! { <p data-testid="my-ballot">{text}</p> }
            });
            let paper = me.ballot.as_ref().is_some_and(|b| b.paper);
            let form = if !me.in_scope {
                Some(
                    view! { <p data-testid="outside-scope">{prefs.t(Msg::CpOutsideScope)}</p> }
                        .into_any(),
                )
            } else if c.phase == Phase::Vote && !paper {
                let mine = me.ballot.as_ref().map(|b| b.choice);
                let choices = (0..c.option_count())
                    .map(|i| Choice::Option(i as u16))
                    .chain([Choice::Abstain])
                    .map(|ch| {
                        let label = choice_label(&c, ch, prefs);
                        view! {
                            <label class="choice big">
                                <input type="radio" name="choice" value=ch.form_value() checked=mine == Some(ch) required />
                                {label}
                            </label>
                        }
                    })
                    .collect_view();
                let label = if mine.is_some() {
                    Msg::BallotChange
                } else {
                    Msg::BallotCast
                };
                Some(view! {
                    <form method="post" action=format!("/consult/{}", c.id) enctype="multipart/form-data" class="stack" data-testid="ballot-form">
                        <CsrfField token=ctx.csrf.clone() />
                        <input type="hidden" name="op" value="vote" />
                        <fieldset>
                            <legend>{prefs.t(Msg::BallotLegend)}</legend>
                            {choices}
                        </fieldset>
                        <button type="submit" data-testid="cast-ballot">{prefs.t(label)}</button>
                        <p><small>{prefs.t(Msg::BallotOnce)}</small></p>
                    </form>
                }.into_any())
            } else {
                None
            };
            view! { {verified} {current} {form} }.into_any()
        }
    };
    view! {
        <section class="card" id="vote" aria-labelledby="vote-heading">
            <h2 id="vote-heading">{prefs.t(Msg::BallotHeading)}</h2>
            {refused}
            {content}
        </section>
    }
}

#[component]
pub(crate) fn CouncilTools(c: ConsultView, ctx: Ctx) -> impl IntoView {
    let prefs = use_prefs();
    let action = format!("/consult/{}", c.id);
    let next: Vec<(Phase, Msg)> = match c.phase {
        Phase::Draft => vec![
            (Phase::Comment, Msg::AdvanceComment),
            (Phase::Vote, Msg::AdvanceVote),
        ],
        Phase::Comment => vec![(Phase::Vote, Msg::AdvanceVote)],
        Phase::Vote => vec![(Phase::Closed, Msg::AdvanceClose)],
        Phase::Closed => vec![(Phase::Published, Msg::AdvancePublish)],
        Phase::Published => vec![(Phase::FollowUp, Msg::AdvanceFollowUp)],
        Phase::FollowUp => vec![],
    };
    let buttons = next
        .into_iter()
        .map(|(to, label)| {
            view! {
                <form method="post" action=action.clone() enctype="multipart/form-data" class="inline">
                    <CsrfField token=ctx.csrf.clone() />
                    <input type="hidden" name="op" value="phase" />
                    <input type="hidden" name="to" value=to.as_str() />
                    <button type="submit" data-testid=format!("advance-{}", to.as_str())>{prefs.t(label)}</button>
                </form>
            }
        })
        .collect_view();
    let paper = (c.phase == Phase::Vote).then(|| {
        let choices = (0..c.option_count())
            .map(|i| Choice::Option(i as u16))
            .chain([Choice::Abstain])
            .map(|ch| view! { <option value=ch.form_value()>{choice_label(&c, ch, prefs)}</option> })
            .collect_view();
        view! {
            <form method="post" action=action.clone() enctype="multipart/form-data" class="stack" id="paper" data-testid="paper-form">
                <h3>{prefs.t(Msg::PaperHeading)}</h3>
                <Refused refusal=ctx.refusal.clone() form="paper" />
                <CsrfField token=ctx.csrf.clone() />
                <input type="hidden" name="op" value="paper" />
                <label>{prefs.t(Msg::CfBuilding)}<input name="building" required /></label>
                <label>{prefs.t(Msg::CfStairwell)}<input name="stairwell" required /></label>
                <label>{prefs.t(Msg::PaperUnit)}<input name="unit" required /></label>
                <label>{prefs.t(Msg::PaperChoice)}<select name="choice">{choices}</select></label>
                <label>{prefs.t(Msg::PaperRef)}<input name="paper_ref" maxlength="40" required /></label>
                <button type="submit" data-testid="enter-paper">{prefs.t(Msg::PaperEnter)}</button>
            </form>
        }
    });
    let update = (c.phase >= Phase::Published).then(|| {
        view! {
            <form method="post" action=action.clone() enctype="multipart/form-data" class="stack" data-testid="update-form">
                <h3>{prefs.t(Msg::UpdateHeading)}</h3>
                <Refused refusal=ctx.refusal.clone() form="update" />
                <CsrfField token=ctx.csrf.clone() />
                <input type="hidden" name="op" value="update" />
                <label>{prefs.t(Msg::UpdateBody)}<textarea name="body" rows="3" required></textarea></label>
                <label>{prefs.t(Msg::UpdatePhotos)}<input type="file" name="photo" accept="image/jpeg,image/png,image/webp" multiple /></label>
                <button type="submit">{prefs.t(Msg::UpdatePost)}</button>
            </form>
        }
    });
    let roster_note = (c.roster_units == 0).then(|| {
        view! { <p class="status error" data-testid="no-roster">{prefs.t(Msg::CouncilNoRoster)} " " <a href="/consult/roster">{prefs.t(Msg::RosterImport)}</a></p> }
    });
    view! {
        <section class="card council" id="council" aria-labelledby="council-heading" data-testid="council-panel">
            <h2 id="council-heading">{prefs.t(Msg::CouncilTools)}</h2>
            {roster_note}
            <Refused refusal=ctx.refusal.clone() form="phase" />
            <div class="buttons">{buttons}</div>
            {paper}
            {update}
        </section>
    }
}

pub(crate) fn share_text(s: &Share) -> String {
    format!("{} · {}", area_text(s.area), s.heads)
}

#[component]
pub(crate) fn ResultView(c: ConsultView, result: domain::ports::ConsultResult) -> impl IntoView {
    let prefs = use_prefs();
    let t: Tally = result.tally.clone();
    // Each measure in words; an option cannot pass without the quorum, and its row says so.
    let both = |rule: Threshold, area: (i128, i128), heads: (u64, u64)| {
        let heads = (i128::from(heads.0), i128::from(heads.1));
        format!(
            "{} · {}",
            reached_text(Msg::ResultMeasureArea, rule, area, prefs),
            reached_text(Msg::ResultMeasureHeads, rule, heads, prefs)
        )
    };
    let quorum_cell = both(
        t.quorum,
        (t.participating.area.0, t.total.area.0),
        (t.participating.heads, t.total.heads),
    );
    let options = t
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let reached = if t.quorum_reached() {
                both(
                    t.pass,
                    (o.support.area.0, t.participating.area.0),
                    (o.support.heads, t.participating.heads),
                )
            } else {
                prefs.t(Msg::ResultCellNoQuorum).to_owned()
            };
            view! {
                <tr>
                    <th scope="row">{option_label(&c, i as u16, prefs)}</th>
                    <td>{area_text(o.support.area)} " (" {percent(o.support.area.0, t.participating.area.0)} ")"</td>
                    <td>{o.support.heads} " (" {percent(i128::from(o.support.heads), i128::from(t.participating.heads))} ")"</td>
                    <td>{reached}</td>
                </tr>
            }
        })
        .collect_view();
    let notes = [
        (t.quorum.inclusive || t.pass.inclusive).then(|| prefs.t(Msg::ResultIncludesLine)),
        (!t.pass.inclusive).then(|| prefs.t(Msg::ResultHalfExcludesLine)),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let outcome = match t.decided {
        Some(i) if c.options.is_empty() && i == 0 => prefs.t(Msg::ResultPassed).to_owned(),
        Some(i) if !c.options.is_empty() => fill(
            prefs.t(Msg::ResultChosen),
            &[("option", &option_label(&c, i, prefs))],
        ),
        _ if !t.quorum_reached() => prefs.t(Msg::ResultNoQuorum).to_owned(),
        _ => prefs.t(Msg::ResultFailed).to_owned(),
    };
    let units = result
        .voted_units
        .iter()
        .map(|u| unit_text(u, prefs))
        .collect::<Vec<_>>()
        .join("、");
    let status = prefs.t(if result.published {
        Msg::ResultPublished
    } else {
        Msg::ResultProvisional
    });
    view! {
        <section class="card" id="result" aria-labelledby="result-heading" data-testid="result">
            <h2 id="result-heading">{prefs.t(Msg::ResultHeading)}</h2>
            <p><small>{status}</small></p>
            <p class="outcome" data-testid="result-outcome"><strong>{outcome}</strong></p>
            <p data-testid="result-rule">{fill(prefs.t(Msg::ResultRule), &[
                ("matter", &name(&c.matter.names, prefs.locale)),
                ("basis", &name(&c.matter.basis, prefs.locale)),
                ("quorum", &threshold_full(t.quorum, prefs)),
                ("pass", &threshold_full(t.pass, prefs)),
            ])}</p>
            <p class="hint" data-testid="result-line">{notes}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-label=prefs.t(Msg::ResultHeading)>
            <table data-testid="result-table">
                <thead><tr><th scope="col"></th><th scope="col">{prefs.t(Msg::ResultArea)}</th><th scope="col">{prefs.t(Msg::ResultHeads)}</th><th scope="col">{prefs.t(Msg::ResultReached)}</th></tr></thead>
                <tbody>
                    <tr><th scope="row">{prefs.t(Msg::ResultTotal)}</th><td>{area_text(t.total.area)}</td><td>{t.total.heads}</td><td></td></tr>
                    <tr><th scope="row">{prefs.t(Msg::ResultParticipating)}</th>
                        <td>{area_text(t.participating.area)} " (" {percent(t.participating.area.0, t.total.area.0)} ")"</td>
                        <td>{t.participating.heads} " (" {percent(i128::from(t.participating.heads), i128::from(t.total.heads))} ")"</td>
                        <td>{quorum_cell}</td></tr>
                    {options}
                    <tr><th scope="row">{prefs.t(Msg::ChoiceAbstain)}</th><td colspan="3">{share_text(&t.abstain)}</td></tr>
                </tbody>
            </table>
            </div>
            <h3>{fill(prefs.t(Msg::ResultVotedUnits), &[("n", &result.voted_units.len().to_string())])}</h3>
            <p data-testid="voted-units">{units}</p>
        </section>
    }
}

/// Thumbnails that open the full image (plans, estimates, progress).
#[component]
pub(crate) fn Photos(photos: Vec<domain::ports::PhotoView>) -> impl IntoView {
    let prefs = use_prefs();
    (!photos.is_empty()).then(|| {
        let items = photos
            .into_iter()
            .map(|p| {
                view! {
                    <li><a href=p.full_url><img src=p.thumb_url alt=prefs.t(Msg::ConsultPhotoAlt) loading="lazy" /></a></li>
                }
            })
            .collect_view();
        view! { <ul class="photos" data-testid="consult-photos">{items}</ul> }
    })
}

#[component]
pub(crate) fn Updates(c: ConsultView) -> impl IntoView {
    let prefs = use_prefs();
    (!c.updates.is_empty()).then(|| {
        let items = c
            .updates
            .iter()
            .map(|u| view! { <li><small>{china_time_text(u.at)}</small> " " {u.body.clone()} <Photos photos=u.photos.clone() /></li> })
            .collect_view();
        view! {
            <section class="card" id="updates" aria-labelledby="updates-heading">
                <h2 id="updates-heading">{prefs.t(Msg::UpdateHeading)}</h2>
                <ol class="timeline" data-testid="updates">{items}</ol>
            </section>
        }
    })
}
