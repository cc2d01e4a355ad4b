//! 共谋: consultations on old-community renovation. The list, the council's forms (new consultation,
//! owner roster), and a consultation's page: phases, the live turnout meter against both quorum
//! lines, the ballot, the council's tools, the result with every figure, follow-up and comments.
//! Every form is a plain multipart post, so it works before WASM loads; the server re-checks it all.

use crate::api::fetch_viewer;
use crate::components::forms::CsrfField;
use crate::components::status::{LoadFailed, Loading};
use crate::consult::api::{fetch_consult_list, fetch_consult_refusal};
use crate::consult::text::{phase_name, problem_text, threshold_text};
use crate::i18n::{Msg, fill, name};
use crate::prefs::use_prefs;
use domain::cases::report::china_time_text;
use domain::ports::{ConsultForm, ConsultList, ConsultRefusal};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The problems of a refused form, if the refusal is for `form`.
#[component]
pub(crate) fn Refused(refusal: Option<ConsultRefusal>, form: &'static str) -> impl IntoView {
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
pub(crate) fn ConsultListView(list: ConsultList) -> impl IntoView {
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
pub struct CouncilForms {
    csrf: String,
    list: ConsultList,
    refusal: Option<ConsultRefusal>,
}

/// Renders a council form once the viewer is known to sit on a council; others are told so.
#[component]
pub(crate) fn CouncilOnly<F>(render: F) -> impl IntoView
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
