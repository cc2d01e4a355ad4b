//! A consultation's page: its phases and the live turnout meter against both quorum lines.

use crate::api::fetch_viewer;
use crate::components::status::{LoadFailed, Loading};
use crate::consult::api::{fetch_consult, fetch_consult_refusal};
use crate::consult::ballot::{Ballot, CouncilTools, Photos, ResultView, Updates};
use crate::consult::comments::Comments;
use crate::consult::text::Ctx;
use crate::consult::text::{
    area_text, option_label, percent, phase_name, scope_text, threshold_text,
};
use crate::i18n::{Msg, fill, name};
use crate::live::LiveRefresh;
use crate::prefs::use_prefs;
use domain::cases::report::china_time_text;
use domain::consult::{Phase, Threshold};
use domain::ports::ConsultView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ConsultDetailPage() -> impl IntoView {
    let prefs = use_prefs();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || {
        params
            .with(|p| p.get("id"))
            .and_then(|s| s.parse::<i64>().ok())
    };
    let data = Resource::new(id, |id| async move {
        let view = match id {
            Some(id) => fetch_consult(id).await,
            None => Ok(None),
        };
        (view, fetch_viewer().await, fetch_consult_refusal().await)
    });
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let (view, viewer, refusal) = data.await;
                let (Ok(view), Ok(viewer)) = (view, viewer) else {
                    return view! { <LoadFailed /> }.into_any();
                };
                let Some(c) = view else {
                    return view! {
                        <section class="not-found" data-testid="no-consultation">
                            <h1>{prefs.t(Msg::ConsultMissing)}</h1>
                            <p><a href="/consult">{prefs.t(Msg::ConsultBack)}</a></p>
                        </section>
                    }.into_any();
                };
                let done = query.with_untracked(|q| q.get("done"));
                let ctx = Ctx {
                    csrf: viewer.csrf_token.clone().unwrap_or_default(),
                    signed_in: viewer.signed_in.is_some(),
                    refusal: refusal.ok().flatten(),
                };
                view! { <Consultation c ctx done /> }.into_any()
            })}
        </Suspense>
    }
}

#[component]
pub(crate) fn Consultation(c: ConsultView, ctx: Ctx, done: Option<String>) -> impl IntoView {
    let prefs = use_prefs();
    let done = done.map(|op| {
        let msg = match op.as_str() {
            "created" => Msg::DoneCreated,
            "vote" => Msg::DoneVote,
            "paper" => Msg::DonePaper,
            "phase" => Msg::DonePhase,
            "comment" => Msg::DoneComment,
            "report" => Msg::DoneReport,
            "review" => Msg::DoneReview,
            _ => Msg::DoneUpdate,
        };
        view! { <p class="notice" role="status" data-testid="consult-done">{prefs.t(msg)}</p> }
    });
    let body = c
        .body
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| view! { <p>{l.to_owned()}</p> })
        .collect_view();
    view! {
        <Title text=c.title.clone() />
        <p><a href="/consult">{prefs.t(Msg::ConsultBack)}</a></p>
        <h1 data-testid="consult-title">{c.title.clone()}</h1>
        <p class="lead">
            <span class=format!("phase phase-{}", c.phase.as_str()) data-testid="consult-phase">{prefs.t(phase_name(c.phase))}</span>
            " · " {name(&c.community, prefs.locale)}
            " · " {name(&c.matter.names, prefs.locale)}
            " · " <span data-testid="consult-scope">{scope_text(&c.scope, prefs)}</span>
        </p>
        {done}
        <Phases c=c.clone() />
        <section class="card consult-body">{body} <Photos photos=c.photos.clone() /></section>
        <Meter c=c.clone() />
        <Ballot c=c.clone() ctx=ctx.clone() />
        {c.council.then(|| view! { <CouncilTools c=c.clone() ctx=ctx.clone() /> })}
        {c.result.clone().map(|r| view! { <ResultView c=c.clone() result=r /> })}
        <Updates c=c.clone() />
        <Comments c=c.clone() ctx=ctx.clone() />
    }
}

#[component]
pub(crate) fn Phases(c: ConsultView) -> impl IntoView {
    let prefs = use_prefs();
    let s = c.schedule;
    let when = |p: Phase| -> Option<i64> {
        match p {
            Phase::Draft => Some(c.created_at),
            Phase::Comment => Some(s.comment_from),
            Phase::Vote => Some(s.vote_from),
            Phase::Closed => Some(s.vote_until),
            Phase::Published => c.published_at,
            Phase::FollowUp => c.followup_at,
        }
    };
    let steps = Phase::ALL
        .into_iter()
        .map(|p| {
            let current = p == c.phase;
            let time = when(p)
                .map(china_time_text)
                .unwrap_or_else(|| "—".to_owned());
            view! {
                <li class:current=current aria-current=current.then_some("step")>
                    <strong>{prefs.t(phase_name(p))}</strong> " " <small>{time}</small>
                </li>
            }
        })
        .collect_view();
    let log = c
        .log
        .iter()
        .filter(|e| e.phase != Phase::Draft)
        .map(|e| {
            view! {
                <li>{fill(prefs.t(Msg::PhaseLogEntry), &[("at", &china_time_text(e.at)), ("phase", prefs.t(phase_name(e.phase)))])}</li>
            }
        })
        .collect_view();
    view! {
        <section class="card" id="phases" aria-labelledby="phases-heading">
            <h2 id="phases-heading">{prefs.t(Msg::PhasesHeading)}</h2>
            <ol class="phases">{steps}</ol>
            <ul class="phase-log">{log}</ul>
        </section>
    }
}

/// One turnout bar: the share so far, with the quorum line marked.
#[component]
pub(crate) fn Bar(
    label: String,
    part: i128,
    whole: i128,
    line: Threshold,
    reached: bool,
    testid: &'static str,
) -> impl IntoView {
    let prefs = use_prefs();
    let pct = if whole > 0 {
        (part * 1000 / whole).clamp(0, 1000) as f64 / 10.0
    } else {
        0.0
    };
    let line_pct = f64::from(line.num) * 100.0 / f64::from(line.den.max(1));
    view! {
        <div class="meter-row" data-testid=testid>
            <p>
                {label} " " <strong>{percent(part, whole)}</strong> " "
                <span class=if reached { "ok" } else { "pending" }>
                    {prefs.t(if reached { Msg::QuorumReached } else { Msg::QuorumNotYet })}
                </span>
            </p>
            // SVG attributes, not inline styles: the page's CSP allows no style attributes.
            <svg class="bar" viewBox="0 0 1000 24" preserveAspectRatio="none" role="img" aria-label=format!("{} {}", percent(part, whole), threshold_text(line, prefs))>
                <rect class="track" x="0" y="0" width="1000" height="24" />
                <rect class="fill" x="0" y="0" width=format!("{:.0}", pct * 10.0) height="24" />
                <rect class="line" x=format!("{:.0}", line_pct * 10.0 - 3.0) y="0" width="6" height="24" />
            </svg>
        </div>
    }
}

/// How often an open vote's page refreshes its meter, in seconds.
const METER_REFRESH_S: u32 = 15;

#[component]
pub(crate) fn Meter(c: ConsultView) -> impl IntoView {
    let prefs = use_prefs();
    let tally = c.meter.clone();
    // While the vote is open the meter follows the turnout without reloading the page.
    let live = (c.phase == Phase::Vote).then(
        || view! { <LiveRefresh codes=Vec::new() areas=Vec::new() every_s=METER_REFRESH_S /> },
    );
    let secret =
        (!c.show_choices).then(|| view! { <p><small>{prefs.t(Msg::MeterSecret)}</small></p> });
    // Open voting: how people vote is shown while the vote runs (after it, the result shows it).
    let open_figures = (c.show_choices && c.phase < Phase::Closed).then(|| {
        let t = &tally;
        let rows = t
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| {
                view! {
                    <li>{option_label(&c, i as u16, prefs)} ": " {area_text(o.support.area)} " · "
                        {fill(prefs.t(Msg::OwnersCount), &[("n", &o.support.heads.to_string())])}</li>
                }
            })
            .collect_view();
        view! {
            <ul data-testid="meter-choices">
                {rows}
                <li>{prefs.t(Msg::ChoiceAbstain)} ": " {area_text(t.abstain.area)} " · "
                    {fill(prefs.t(Msg::OwnersCount), &[("n", &t.abstain.heads.to_string())])}</li>
            </ul>
        }
    });
    let bars = {
        let t = tally;
        let area_label = fill(
            prefs.t(Msg::MeterArea),
            &[
                ("part", &area_text(t.participating.area)),
                ("whole", &area_text(t.total.area)),
                ("line", &threshold_text(t.quorum, prefs)),
            ],
        );
        let heads_label = fill(
            prefs.t(Msg::MeterHeads),
            &[
                ("part", &t.participating.heads.to_string()),
                ("whole", &t.total.heads.to_string()),
                ("line", &threshold_text(t.quorum, prefs)),
            ],
        );
        view! {
            <Bar label=area_label part=t.participating.area.0 whole=t.total.area.0 line=t.quorum reached=t.quorum_area_reached testid="meter-area" />
            <Bar label=heads_label part=i128::from(t.participating.heads) whole=i128::from(t.total.heads) line=t.quorum reached=t.quorum_heads_reached testid="meter-heads" />
        }
    };
    view! {
        {live}
        // The section stays and its content is swapped, so screen readers hear the new figures.
        <section class="card" id="meter" data-live-region="" aria-labelledby="meter-heading" aria-live="polite" data-testid="meter">
            <h2 id="meter-heading">{prefs.t(Msg::MeterHeading)}</h2>
            {bars}
            {open_figures}
            {secret}
        </section>
    }
}
