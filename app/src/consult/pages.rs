//! 共谋: consultations on old-community renovation. The list, the council's forms (new consultation,
//! owner roster), and a consultation's page: phases, the live turnout meter against both quorum
//! lines, the ballot, the council's tools, the result with every figure, follow-up and comments.
//! Every form is a plain multipart post, so it works before WASM loads; the server re-checks it all.

use crate::api::fetch_viewer;
use crate::components::forms::CsrfField;
use crate::components::status::{LoadFailed, Loading};
use crate::consult::api::{fetch_consult, fetch_consult_list, fetch_consult_refusal};
use crate::i18n::{Msg, fill, name};
use crate::prefs::{Prefs, use_prefs};
use domain::cases::report::china_time_text;
use domain::consult::{
    AreaSum, Choice, Phase, RosterProblemKind, ScheduleProblem, ScopeProblem, Share, Stance, Tally,
    Threshold, VoteScope,
};
use domain::ports::{
    ConsultComment, ConsultForm, ConsultList, ConsultProblem, ConsultRefusal, ConsultView,
    UnitLabel,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

pub fn phase_name(p: Phase) -> Msg {
    match p {
        Phase::Draft => Msg::PhaseDraft,
        Phase::Comment => Msg::PhaseComment,
        Phase::Vote => Msg::PhaseVote,
        Phase::Closed => Msg::PhaseClosed,
        Phase::Published => Msg::PhasePublished,
        Phase::FollowUp => Msg::PhaseFollowUp,
    }
}

fn stance_name(s: Stance) -> Msg {
    match s {
        Stance::Support => Msg::StanceSupport,
        Stance::Oppose => Msg::StanceOppose,
        Stance::Neutral => Msg::StanceNeutral,
    }
}

pub fn unit_text(u: &UnitLabel, prefs: Prefs) -> String {
    fill(
        prefs.t(Msg::UnitLabel),
        &[("b", &u.building), ("s", &u.stairwell), ("u", &u.unit)],
    )
}

fn scope_text(s: &VoteScope, prefs: Prefs) -> String {
    match s {
        VoteScope::Community => prefs.t(Msg::ScopeCommunity).to_owned(),
        VoteScope::Buildings(list) => {
            fill(prefs.t(Msg::ScopeBuildings), &[("list", &list.join("、"))])
        }
        VoteScope::Stairwell {
            building,
            stairwell,
        } => fill(
            prefs.t(Msg::ScopeStairwell),
            &[("b", building), ("s", stairwell)],
        ),
    }
}

fn option_label(view: &ConsultView, index: u16, prefs: Prefs) -> String {
    if view.options.is_empty() {
        prefs
            .t(if index == 0 {
                Msg::ChoiceYes
            } else {
                Msg::ChoiceNo
            })
            .to_owned()
    } else {
        view.options
            .get(usize::from(index))
            .cloned()
            .unwrap_or_default()
    }
}

fn choice_label(view: &ConsultView, c: Choice, prefs: Prefs) -> String {
    match c {
        Choice::Option(i) => option_label(view, i, prefs),
        Choice::Abstain => prefs.t(Msg::ChoiceAbstain).to_owned(),
    }
}

/// "2/3" written the way the statute says it.
fn threshold_text(t: Threshold, prefs: Prefs) -> String {
    let key = match (t.num, t.den, t.inclusive) {
        (2, 3, true) => Msg::ThresholdTwoThirds,
        (3, 4, true) => Msg::ThresholdThreeQuarters,
        (1, 2, false) => Msg::ThresholdHalf,
        _ => return t.text(),
    };
    prefs.t(key).to_owned()
}

/// A share as a percentage with one decimal, computed from exact integers.
fn percent(part: i128, whole: i128) -> String {
    if whole <= 0 {
        return "—".to_owned();
    }
    let tenths = (part * 1000 + whole / 2) / whole;
    format!("{}.{}%", tenths / 10, tenths % 10)
}

fn area_text(a: AreaSum) -> String {
    format!("{a} m²")
}

pub fn problem_text(p: &ConsultProblem, prefs: Prefs) -> Vec<String> {
    let one = |m: Msg| vec![prefs.t(m).to_owned()];
    match p {
        ConsultProblem::NotCouncil => one(Msg::CpNotCouncil),
        ConsultProblem::NoSuchCommunity => one(Msg::CpNoSuchCommunity),
        ConsultProblem::TitleLength => one(Msg::CpTitleLength),
        ConsultProblem::BodyLength => one(Msg::CpBodyLength),
        ConsultProblem::UnknownMatter => one(Msg::CpUnknownMatter),
        ConsultProblem::Scope(ScopeProblem::NoBuildings) => one(Msg::CpNoBuildings),
        ConsultProblem::Scope(ScopeProblem::NoStairwell) => one(Msg::CpNoStairwell),
        ConsultProblem::Scope(ScopeProblem::MatterNeedsStairwell) => {
            one(Msg::CpMatterNeedsStairwell)
        }
        ConsultProblem::Schedule(ScheduleProblem::VoteBeforeComment) => {
            one(Msg::CpVoteBeforeComment)
        }
        ConsultProblem::Schedule(ScheduleProblem::CloseBeforeOpen) => one(Msg::CpCloseBeforeOpen),
        ConsultProblem::BadDate(field) => vec![fill(
            prefs.t(Msg::CpBadDate),
            &[(
                "field",
                prefs.t(match field.as_str() {
                    "comment_from" => Msg::CfCommentFrom,
                    "vote_from" => Msg::CfVoteFrom,
                    _ => Msg::CfVoteUntil,
                }),
            )],
        )],
        ConsultProblem::VoteEndsInPast => one(Msg::CpVoteEndsInPast),
        ConsultProblem::OptionCount => one(Msg::CpOptionCount),
        ConsultProblem::NotOwner => one(Msg::CpNotOwner),
        ConsultProblem::OutsideScope => one(Msg::CpOutsideScope),
        ConsultProblem::VoteNotOpen => one(Msg::CpVoteNotOpen),
        ConsultProblem::VoteClosed => one(Msg::CpVoteClosed),
        ConsultProblem::NoSuchOption => one(Msg::CpNoSuchOption),
        ConsultProblem::AlreadyVotedOnPaper { paper_ref } => vec![fill(
            prefs.t(Msg::CpAlreadyVotedOnPaper),
            &[("ref", paper_ref)],
        )],
        ConsultProblem::AlreadyVotedOnline => one(Msg::CpAlreadyVotedOnline),
        ConsultProblem::AlreadyEnteredOnPaper { paper_ref } => vec![fill(
            prefs.t(Msg::CpAlreadyEnteredOnPaper),
            &[("ref", paper_ref)],
        )],
        ConsultProblem::NoSuchUnit => one(Msg::CpNoSuchUnit),
        ConsultProblem::PaperRefMissing => one(Msg::CpPaperRefMissing),
        ConsultProblem::NotClosedYet => one(Msg::CpNotClosedYet),
        ConsultProblem::AlreadyPublished => one(Msg::CpAlreadyPublished),
        ConsultProblem::NotPublished => one(Msg::CpNotPublished),
        ConsultProblem::PhaseOrder => one(Msg::CpPhaseOrder),
        ConsultProblem::CommentLength => one(Msg::CpCommentLength),
        ConsultProblem::NoStance => one(Msg::CpNoStance),
        ConsultProblem::ReplyTooDeep => one(Msg::CpReplyTooDeep),
        ConsultProblem::NoSuchComment => one(Msg::CpNoSuchComment),
        ConsultProblem::CommentsClosed => one(Msg::CpCommentsClosed),
        ConsultProblem::UpdateLength => one(Msg::CpUpdateLength),
        ConsultProblem::CommentsTooFast { seconds } => vec![fill(
            prefs.t(Msg::CpCommentsTooFast),
            &[("seconds", &seconds.to_string())],
        )],
        ConsultProblem::OwnComment => one(Msg::CpOwnComment),
        ConsultProblem::RosterFrozen => one(Msg::CpRosterFrozen),
        ConsultProblem::Photo(p) => one(crate::cases::report::problem_text(*p)),
        ConsultProblem::Roster(lines) => lines
            .iter()
            .map(|p| {
                let what = match &p.kind {
                    RosterProblemKind::NotUtf8 => prefs.t(Msg::RpNotUtf8).to_owned(),
                    RosterProblemKind::Empty => prefs.t(Msg::RpEmpty).to_owned(),
                    RosterProblemKind::MissingColumn(c) => {
                        fill(prefs.t(Msg::RpMissingColumn), &[("col", c)])
                    }
                    RosterProblemKind::FieldCount { expected, found } => fill(
                        prefs.t(Msg::RpFieldCount),
                        &[
                            ("expected", &expected.to_string()),
                            ("found", &found.to_string()),
                        ],
                    ),
                    RosterProblemKind::EmptyField(c) => {
                        fill(prefs.t(Msg::RpEmptyField), &[("col", c)])
                    }
                    RosterProblemKind::BadArea(_) => prefs.t(Msg::RpBadArea).to_owned(),
                    RosterProblemKind::BadPhone(v) => {
                        fill(prefs.t(Msg::RpBadPhone), &[("value", v)])
                    }
                    RosterProblemKind::BadFlag(v) => fill(prefs.t(Msg::RpBadFlag), &[("value", v)]),
                    RosterProblemKind::DuplicateUnit { first_line } => fill(
                        prefs.t(Msg::RpDuplicateUnit),
                        &[("first", &first_line.to_string())],
                    ),
                    RosterProblemKind::Unquoted => prefs.t(Msg::RpUnquoted).to_owned(),
                    RosterProblemKind::TooManyRows => prefs.t(Msg::RpTooManyRows).to_owned(),
                };
                if p.line == 0 {
                    what
                } else {
                    fill(
                        prefs.t(Msg::RpLine),
                        &[("line", &p.line.to_string()), ("what", &what)],
                    )
                }
            })
            .collect(),
    }
}

/// The problems of a refused form, if the refusal is for `form`.
#[component]
fn Refused(refusal: Option<ConsultRefusal>, form: &'static str) -> impl IntoView {
    let prefs = use_prefs();
    refusal.filter(|r| r.form == form).map(|r| {
        let items = r
            .problems
            .iter()
            .flat_map(|p| problem_text(p, prefs))
            .map(|t| view! { <li>{t}</li> })
            .collect_view();
        view! {
            <div class="status error" role="alert" data-testid=format!("refused-{form}")>
                <p>{prefs.t(Msg::CpFix)}</p>
                <ul>{items}</ul>
            </div>
        }
    })
}

// ---------------------------------------------------------------------------------------------
// The list

#[component]
pub fn ConsultPage() -> impl IntoView {
    let prefs = use_prefs();
    let list = Resource::new(|| (), |_| fetch_consult_list());
    view! {
        <Title text=prefs.t(Msg::ConsultTitle) />
        <h1>{prefs.t(Msg::ConsultHeading)}</h1>
        <p class="lead">{prefs.t(Msg::ConsultLead)}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(l) => view! { <ConsultListView list=l /> }.into_any(),
                    Err(_) => view! { <LoadFailed /> }.into_any(),
                }
            })}
        </Suspense>
        <section class="card" aria-labelledby="rule-heading">
            <h2 id="rule-heading">{prefs.t(Msg::ConsultRuleHeading)}</h2>
            <ul>
                <li>{prefs.t(Msg::ConsultRuleQuorum)}</li>
                <li>{prefs.t(Msg::ConsultRuleMajor)}</li>
                <li>{prefs.t(Msg::ConsultRuleOther)}</li>
            </ul>
        </section>
    }
}

#[component]
fn ConsultListView(list: ConsultList) -> impl IntoView {
    let prefs = use_prefs();
    let held = list
        .held
        .iter()
        .map(|(id, title, n)| {
            view! {
                <li><a href=format!("/consult/{id}#comments")>{title.clone()}</a> " "
                    {fill(prefs.t(Msg::HeldCount), &[("n", &n.to_string())])}</li>
            }
        })
        .collect_view();
    let queue = (!list.held.is_empty()).then(|| {
        view! {
            <h3>{prefs.t(Msg::HeldHeading)}</h3>
            <ul data-testid="moderation-queue">{held}</ul>
        }
    });
    let council = (!list.council_of.is_empty()).then(|| {
        view! {
            <section class="card" data-testid="council-tools">
                <h2>{prefs.t(Msg::CouncilTools)}</h2>
                <p>
                    <a class="button" href="/consult/new" data-testid="new-consultation">{prefs.t(Msg::ConsultNew)}</a>
                    " "
                    <a class="button secondary" href="/consult/roster" data-testid="roster-link">{prefs.t(Msg::RosterImport)}</a>
                </p>
                {queue}
            </section>
        }
    });
    let items = if list.items.is_empty() {
        view! { <p class="notice">{prefs.t(Msg::ConsultNone)}</p> }.into_any()
    } else {
        list.items
            .into_iter()
            .map(|c| {
                view! {
                    <li class="consult-item">
                        <a href=format!("/consult/{}", c.id)>{c.title}</a>
                        " "
                        <span class=format!("phase phase-{}", c.phase.as_str())>{prefs.t(phase_name(c.phase))}</span>
                        <br />
                        <small>
                            {name(&c.community, prefs.locale)} " · " {name(&c.matter, prefs.locale)} " · "
                            {fill(prefs.t(Msg::ConsultVoteDates), &[("from", &china_time_text(c.vote_from)), ("until", &china_time_text(c.vote_until))])}
                        </small>
                    </li>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        {council}
        <ul class="consult-list" data-testid="consult-list">{items}</ul>
    }
}

// ---------------------------------------------------------------------------------------------
// The council's forms

/// What a council form page needs: the CSRF token, the council's communities and matters, and the
/// refused form being shown again, if any.
struct CouncilForms {
    csrf: String,
    list: ConsultList,
    refusal: Option<ConsultRefusal>,
}

/// Renders a council form once the viewer is known to sit on a council; others are told so.
#[component]
fn CouncilOnly<F>(render: F) -> impl IntoView
where
    F: Fn(CouncilForms) -> AnyView + Clone + Send + Sync + 'static,
{
    let prefs = use_prefs();
    let data = Resource::new(
        || (),
        |_| async {
            (
                fetch_viewer().await,
                fetch_consult_list().await,
                fetch_consult_refusal().await,
            )
        },
    );
    view! {
        <Suspense fallback=Loading>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    let (Ok(v), Ok(list), refusal) = data.await else {
                        return view! { <LoadFailed /> }.into_any();
                    };
                    if list.council_of.is_empty() {
                        return view! { <p class="notice" data-testid="not-council">{prefs.t(Msg::CpNotCouncil)}</p> }.into_any();
                    }
                    render(CouncilForms {
                        csrf: v.csrf_token.unwrap_or_default(),
                        list,
                        refusal: refusal.ok().flatten(),
                    })
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn ConsultNewPage() -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <Title text=prefs.t(Msg::ConsultNew) />
        <h1>{prefs.t(Msg::ConsultNew)}</h1>
        <CouncilOnly render=move |CouncilForms { csrf, list, refusal }| {
                let form = refusal.as_ref().and_then(|r| r.create.clone()).unwrap_or_else(|| ConsultForm {
                    question: "yesno".into(),
                    scope_kind: "community".into(),
                    ..Default::default()
                });
                let communities = list.council_of.iter().map(|(code, n)| {
                    view! { <option value=code.clone() selected=form.community == *code>{name(n, prefs.locale)}</option> }
                }).collect_view();
                let matters = list.matters.iter().map(|m| {
                    let label = format!(
                        "{}（{}）",
                        name(&m.names, prefs.locale),
                        threshold_text(m.pass, prefs)
                    );
                    view! { <option value=m.code.clone() selected=form.matter == m.code>{label}</option> }
                }).collect_view();
                let radio = |field: &'static str, value: &'static str, label: Msg, current: &str| {
                    view! {
                        <label class="choice">
                            <input type="radio" name=field value=value checked=current == value />
                            {prefs.t(label)}
                        </label>
                    }
                };
                view! {
                    <Refused refusal=refusal.clone() form="create" />
                    <form method="post" action="/consult/new" enctype="multipart/form-data" class="stack" data-testid="consult-form">
                        <CsrfField token=csrf />
                        <label>{prefs.t(Msg::CfCommunity)}<select name="community">{communities}</select></label>
                        <label>{prefs.t(Msg::CfTitle)}<input name="title" maxlength="80" required value=form.title.clone() /></label>
                        <label>{prefs.t(Msg::CfBody)}<textarea name="body" rows="6" required inner_html=crate::cases::report::escape_html(&form.body)></textarea></label>
                        <label>{prefs.t(Msg::CfMatter)}<select name="matter">{matters}</select></label>
                        <fieldset>
                            <legend>{prefs.t(Msg::CfScope)}</legend>
                            {radio("scope_kind", "community", Msg::ScopeCommunityChoice, &form.scope_kind)}
                            {radio("scope_kind", "buildings", Msg::ScopeBuildingsChoice, &form.scope_kind)}
                            <label>{prefs.t(Msg::CfBuildings)}<input name="buildings" value=form.buildings.clone() /></label>
                            {radio("scope_kind", "stairwell", Msg::ScopeStairwellChoice, &form.scope_kind)}
                            <label>{prefs.t(Msg::CfBuilding)}<input name="building" inputmode="numeric" value=form.building.clone() /></label>
                            <label>{prefs.t(Msg::CfStairwell)}<input name="stairwell" inputmode="numeric" value=form.stairwell.clone() /></label>
                        </fieldset>
                        <fieldset>
                            <legend>{prefs.t(Msg::CfQuestion)}</legend>
                            {radio("question", "yesno", Msg::CfYesNo, &form.question)}
                            {radio("question", "options", Msg::CfOptionsChoice, &form.question)}
                            <label>{prefs.t(Msg::CfOptions)}<textarea name="options" rows="4" inner_html=crate::cases::report::escape_html(&form.options)></textarea></label>
                            <label class="choice"><input type="checkbox" name="open_voting" value="1" checked=form.open_voting />{prefs.t(Msg::CfOpenVoting)}</label>
                        </fieldset>
                        <label>{prefs.t(Msg::CfCommentFrom)}<input type="date" name="comment_from" required value=form.comment_from.clone() /></label>
                        <label>{prefs.t(Msg::CfVoteFrom)}<input type="date" name="vote_from" required value=form.vote_from.clone() /></label>
                        <label>{prefs.t(Msg::CfVoteUntil)}<input type="date" name="vote_until" required value=form.vote_until.clone() /></label>
                        <label>{prefs.t(Msg::CfPhotos)}<input type="file" name="photo" accept="image/jpeg,image/png,image/webp" multiple /></label>
                        <button type="submit" data-testid="create-consultation">{prefs.t(Msg::CfCreate)}</button>
                    </form>
                }.into_any()
        } />
    }
}

#[component]
pub fn RosterPage() -> impl IntoView {
    let prefs = use_prefs();
    let query = use_query_map();
    view! {
        <Title text=prefs.t(Msg::RosterImport) />
        <h1>{prefs.t(Msg::RosterImport)}</h1>
        <p class="lead">{prefs.t(Msg::RosterLead)}</p>
        <CouncilOnly render=move |CouncilForms { csrf, list, refusal }| {
                let done = query.with_untracked(|q| q.get("added").zip(q.get("updated")));
                let chosen = refusal.as_ref().map(|r| r.text.clone()).unwrap_or_default();
                let communities = list.council_of.iter().map(|(code, n)| {
                    view! { <option value=code.clone() selected=chosen == *code>{name(n, prefs.locale)}</option> }
                }).collect_view();
                view! {
                    {done.map(|(a, u)| view! {
                        <p class="notice" role="status" data-testid="roster-done">{fill(prefs.t(Msg::RosterDone), &[("added", &a), ("updated", &u)])}</p>
                    })}
                    <Refused refusal=refusal.clone() form="roster" />
                    <form method="post" action="/consult/roster" enctype="multipart/form-data" class="stack" data-testid="roster-form">
                        <CsrfField token=csrf />
                        <label>{prefs.t(Msg::CfCommunity)}<select name="community">{communities}</select></label>
                        <label>{prefs.t(Msg::RosterFile)}<input type="file" name="roster" accept=".csv,text/csv" required /></label>
                        <button type="submit" data-testid="import-roster">{prefs.t(Msg::RosterImport)}</button>
                    </form>
                    <section class="card">
                        <h2>{prefs.t(Msg::RosterFormatHeading)}</h2>
                        <p>{prefs.t(Msg::RosterFormat)}</p>
                        <pre>"楼栋,单元,房号,业主姓名,手机号,专有面积,开发商未售\n3,2,501,王芳,13800138000,89.50,否\n3,2,502,某置业公司,,92.00,是"</pre>
                    </section>
                }.into_any()
        } />
    }
}

// ---------------------------------------------------------------------------------------------
// One consultation

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

#[derive(Clone)]
struct Ctx {
    csrf: String,
    signed_in: bool,
    refusal: Option<ConsultRefusal>,
}

#[component]
fn Consultation(c: ConsultView, ctx: Ctx, done: Option<String>) -> impl IntoView {
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
fn Phases(c: ConsultView) -> impl IntoView {
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
fn Bar(
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

/// How often an open vote's page refreshes its meter.
#[cfg(feature = "hydrate")]
const METER_REFRESH: std::time::Duration = std::time::Duration::from_secs(15);

#[component]
fn Meter(c: ConsultView) -> impl IntoView {
    let prefs = use_prefs();
    let tally = RwSignal::new(c.meter.clone());
    // While the vote is open the meter follows the turnout without reloading the page.
    #[cfg(feature = "hydrate")]
    if c.phase == Phase::Vote {
        let id = c.id;
        if let Ok(handle) = set_interval_with_handle(
            move || {
                leptos::task::spawn_local(async move {
                    if let Ok(Some(t)) = crate::consult::api::fetch_consult_meter(id).await {
                        tally.set(t);
                    }
                });
            },
            METER_REFRESH,
        ) {
            on_cleanup(move || handle.clear());
        }
    }
    let secret =
        (!c.show_choices).then(|| view! { <p><small>{prefs.t(Msg::MeterSecret)}</small></p> });
    // Open voting: how people vote is shown while the vote runs (after it, the result shows it).
    let open_figures = (c.show_choices && c.phase < Phase::Closed).then(|| {
        let c = c.clone();
        move || {
            let t = tally.get();
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
        }
    });
    let bars = move || {
        let t = tally.get();
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
        <section class="card" id="meter" aria-labelledby="meter-heading" aria-live="polite" data-testid="meter">
            <h2 id="meter-heading">{prefs.t(Msg::MeterHeading)}</h2>
            {bars}
            {open_figures}
            {secret}
        </section>
    }
}

#[component]
fn Ballot(c: ConsultView, ctx: Ctx) -> impl IntoView {
    let prefs = use_prefs();
    let refused = view! { <Refused refusal=ctx.refusal.clone() form="vote" /> };
    let content = match (&c.me, ctx.signed_in) {
        (_, false) => view! {
            <p>{prefs.t(Msg::BallotSignIn)} " " <a href="/login">{prefs.t(Msg::MeSignIn)}</a></p>
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
fn CouncilTools(c: ConsultView, ctx: Ctx) -> impl IntoView {
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

fn share_text(s: &Share) -> String {
    format!("{} · {}", area_text(s.area), s.heads)
}

#[component]
fn ResultView(c: ConsultView, result: domain::ports::ConsultResult) -> impl IntoView {
    let prefs = use_prefs();
    let t: Tally = result.tally.clone();
    let yes_no = |b: bool| prefs.t(if b { Msg::Yes } else { Msg::No });
    let options = t
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            view! {
                <tr>
                    <th scope="row">{option_label(&c, i as u16, prefs)}</th>
                    <td>{area_text(o.support.area)} " (" {percent(o.support.area.0, t.participating.area.0)} ")"</td>
                    <td>{o.support.heads} " (" {percent(i128::from(o.support.heads), i128::from(t.participating.heads))} ")"</td>
                    <td>{yes_no(o.area_reached)} " / " {yes_no(o.heads_reached)}</td>
                </tr>
            }
        })
        .collect_view();
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
            <p>{fill(prefs.t(Msg::ResultRule), &[
                ("basis", &name(&c.matter.basis, prefs.locale)),
                ("quorum", &threshold_text(t.quorum, prefs)),
                ("pass", &threshold_text(t.pass, prefs)),
            ])}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-label=prefs.t(Msg::ResultHeading)>
            <table data-testid="result-table">
                <thead><tr><th scope="col"></th><th scope="col">{prefs.t(Msg::ResultArea)}</th><th scope="col">{prefs.t(Msg::ResultHeads)}</th><th scope="col">{prefs.t(Msg::ResultReached)}</th></tr></thead>
                <tbody>
                    <tr><th scope="row">{prefs.t(Msg::ResultTotal)}</th><td>{area_text(t.total.area)}</td><td>{t.total.heads}</td><td></td></tr>
                    <tr><th scope="row">{prefs.t(Msg::ResultParticipating)}</th>
                        <td>{area_text(t.participating.area)} " (" {percent(t.participating.area.0, t.total.area.0)} ")"</td>
                        <td>{t.participating.heads} " (" {percent(i128::from(t.participating.heads), i128::from(t.total.heads))} ")"</td>
                        <td>{yes_no(t.quorum_area_reached)} " / " {yes_no(t.quorum_heads_reached)}</td></tr>
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
fn Photos(photos: Vec<domain::ports::PhotoView>) -> impl IntoView {
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
fn Updates(c: ConsultView) -> impl IntoView {
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

#[component]
fn Comments(c: ConsultView, ctx: Ctx) -> impl IntoView {
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
fn CommentItem(comment: ConsultComment, action: String, ctx: Ctx, council: bool) -> impl IntoView {
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
