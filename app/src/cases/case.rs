//! A case's public page, by tracking code. The reporter (private link, or signed in as them) also
//! sees their contact details and original text. Never shows who reported it.

use crate::api::fetch_viewer;
use crate::cases::api::fetch_case;
use crate::cases::case_moderation::ModerationTools;
use crate::cases::report::limit_text;
use crate::components::case_text::{case_answers, stage_name};
use crate::components::forms::CsrfField;
use crate::components::status::{LoadFailed, Loading};
use crate::i18n::{Msg, fill, name};
use crate::live::LiveRefresh;
use crate::prefs::{Prefs, use_prefs};
use domain::cases::report::china_time_text;
use domain::ports::{CaseEventView, CaseLookup, CaseView, PrivateCaseView};
use domain::tiles::TileLayerSpec;
use domain::workflow::{CaseAction, CaseState, Satisfaction};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[cfg(feature = "ssr")]
fn set_status(code: u16) {
    if let (Some(r), Ok(s)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(code),
    ) {
        r.set_status(s);
    }
}

#[component]
pub fn CasePage() -> impl IntoView {
    let prefs = use_prefs();
    let params = use_params_map();
    let query = use_query_map();
    let lookup = Resource::new(
        move || (params.with(|p| p.get("code")), query.with(|q| q.get("k"))),
        |(code, key)| fetch_case(code.unwrap_or_default(), key),
    );
    let viewer = Resource::new(|| (), |_| fetch_viewer());
    let comment_draft = Resource::new(|| (), |_| crate::cases::api::fetch_comment_draft());
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                let q = query.get_untracked();
                let draft = comment_draft.await.ok().flatten();
                match (lookup.await, viewer.await) {
                    (Ok(CaseLookup::Found(case)), Ok(viewer)) => {
                        let staff = viewer.signed_in.as_ref().is_some_and(|s| s.is_staff);
                        let signed_in = viewer.signed_in.is_some();
                        let csrf = viewer.csrf_token.unwrap_or_default();
                        view! { <CaseDetails case=*case csrf query=q staff signed_in draft /> }.into_any()
                    }
                    (Ok(other), _) => {
                        let text = match other {
                            CaseLookup::Malformed => {
                                #[cfg(feature = "ssr")] set_status(404);
                                prefs.t(Msg::CaseMalformed).to_owned()
                            }
                            CaseLookup::Limited(n) => {
                                #[cfg(feature = "ssr")]
                                {
                                    set_status(429);
                                    if let (Some(r), Ok(v)) = (
                                        use_context::<leptos_axum::ResponseOptions>(),
                                        http::HeaderValue::from_str(&n.to_string()),
                                    ) {
                                        r.insert_header(http::header::RETRY_AFTER, v);
                                    }
                                }
                                fill(prefs.t(Msg::CaseLimited), &[("n", &n.to_string())])
                            }
                            _ => {
                                #[cfg(feature = "ssr")] set_status(404);
                                prefs.t(Msg::CaseNotFound).to_owned()
                            }
                        };
                        view! {
                            <Title text=prefs.t(Msg::TrackTitle) />
                            <h1>{prefs.t(Msg::TrackHeading)}</h1>
                            <p class="notice error" role="alert" data-testid="case-missing">{text}</p>
                            <a class="button secondary" href="/track">{prefs.t(Msg::TrackLookupButton)}</a>
                        }
                            .into_any()
                    }
                    _ => view! { <LoadFailed /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CaseDetails(
    case: CaseView,
    csrf: String,
    query: leptos_router::params::ParamsMap,
    staff: bool,
    signed_in: bool,
    draft: Option<crate::cases::api::CommentDraft>,
) -> impl IntoView {
    let prefs = use_prefs();
    let title = fill(prefs.t(Msg::CaseTitle), &[("code", &case.code)]);
    let key = case
        .private
        .as_ref()
        .and_then(|p| p.follow_key.clone())
        .unwrap_or_default();
    let photo_gps = case.private.as_ref().and_then(|p| p.photo_gps);
    let rating = case.can_rate.then(|| {
        view! { <RateForm code=case.code.clone() key=key.clone() csrf=csrf.clone() /> }
    });
    let follow_controls =
        view! { <FollowControls case=case.clone() csrf=csrf.clone() signed_in /> };
    let comments = view! { <Comments case=case.clone() csrf=csrf.clone() key=key.clone() draft /> };
    let staff_tools =
        staff.then(|| view! { <ModerationTools case=case.clone() csrf=csrf.clone() /> });
    view! {
        <Title text=title.clone() />
        <CaseNotices
            code=case.code.clone()
            key
            reporter=case.private.is_some()
            photo_gps
            query=query.clone()
        />
        <h1>{title}</h1>
        <div id="case-stage" data-live-region="">
            <p class="case-stage" data-testid="case-stage">{prefs.t(stage_name(case.stage))}</p>
        </div>
        {rated_notice(&query, prefs)}
        // Live: when this case changes anywhere (a stage, a neighbour's "me too"), these regions
        // are rendered again by the server and swapped in.
        <LiveRefresh codes=vec![case.code.clone()] areas=Vec::new() every_s=0 />
        <div id="case-status" data-live-region="">
            {state_note(&case, prefs)}
            {rating}
            {case_facts(&case, prefs)}
        </div>
        <CaseMap
            tiles=case.tiles.clone()
            position=case.approx_position
            community_only=case.community_only
            label=prefs.t(Msg::CaseMapLabel).to_owned()
        />
        <div id="case-story" data-live-region="">{case_story(&case, prefs)}</div>
        <div id="case-progress" data-live-region="">
            <CaseCounts
                code=case.code.clone()
                followers=case.followers
                me_too=case.me_too
                open=case.stage.is_open()
                csrf
            />
            {follow_controls}
            <Timeline events=case.timeline />
        </div>
        {staff_tools}
        {comments}
        {case.private.map(|private| view! { <ReporterPart private /> })}
    }
}

/// What just happened, from the address the server redirected to: the case was filed (with its
/// private link and the photo's position), someone joined it, a follow-up was added, a moderation
/// was done.
#[component]
fn CaseNotices(
    code: String,
    key: String,
    /// The viewer is the reporter (the private part is present).
    reporter: bool,
    photo_gps: Option<(f64, f64)>,
    query: leptos_router::params::ParamsMap,
) -> impl IntoView {
    let prefs = use_prefs();
    let is_new = query.get("new").is_some() && reporter;
    let joined = query.get("joined");
    let moderated = query.get("moderated").is_some();
    let photo_gps = photo_gps.map(|(la, ln)| (format!("{la:.6}"), format!("{ln:.6}")));
    view! {
        {is_new.then(|| {
            let link = format!("/case/{code}?k={key}");
            view! {
                <section class="created" data-testid="case-created">
                    <h2>{prefs.t(Msg::CaseCreatedHeading)}</h2>
                    <p class="tracking-code" data-testid="tracking-code">{code.clone()}</p>
                    <p>{prefs.t(Msg::CasePrivateLink)}</p>
                    <p><a href=link.clone() data-testid="private-link" class="private-link">{link.clone()}</a></p>
                </section>
            }
        })}
        {photo_gps.map(|(la, ln)| view! {
            <p class="notice">{fill(prefs.t(Msg::CasePhotoGps), &[("lat", &la), ("lng", &ln)])}</p>
        })}
        {match joined.as_deref() {
            Some("closed") => Some(view! { <p class="notice" role="status" data-testid="joined">{prefs.t(Msg::CaseJoinClosed)}</p> }),
            Some(_) => Some(view! { <p class="notice" role="status" data-testid="joined">{prefs.t(Msg::CaseJoined)}</p> }),
            None => None,
        }}
        {query.get("commented").map(|_| view! { <p class="notice" role="status" data-testid="commented">{prefs.t(Msg::CommentAdded)}</p> })}
        {moderated.then(|| view! { <p class="notice" role="status" data-testid="moderated">{prefs.t(Msg::ModDone)}</p> })}
    }
}

/// The answer to the reporter's rating, from the redirect's address.
fn rated_notice(query: &leptos_router::params::ParamsMap, prefs: Prefs) -> impl IntoView + use<> {
    match query.get("rated").as_deref() {
        Some("reopened") => Some(
            view! { <p class="notice" role="status" data-testid="rated">{prefs.t(Msg::RateReopened)}</p> },
        ),
        Some("refused") => Some(
            view! { <p class="notice error" role="alert" data-testid="rated">{prefs.t(Msg::ProbAlreadyRated)}</p> },
        ),
        Some(_) => Some(
            view! { <p class="notice" role="status" data-testid="rated">{prefs.t(Msg::RateThanks)}</p> },
        ),
        None => None,
    }
}

/// Why a case is rejected, on hold, or merged (with a link to the case it was merged into).
fn state_note(case: &CaseView, prefs: Prefs) -> impl IntoView + use<> {
    let note = match case.state {
        CaseState::Rejected => Some(prefs.t(Msg::CaseRejectedNote).to_owned()),
        CaseState::OnHold => Some(prefs.t(Msg::CaseOnHoldNote).to_owned()),
        CaseState::Merged => case
            .merged_into
            .as_ref()
            .map(|m| fill(prefs.t(Msg::CaseMergedInto), &[("code", m)])),
        _ => None,
    };
    let merged_link = case.merged_into.clone();
    note.map(|n| {
        view! {
            <p class="notice" data-testid="state-note">{n} " "
                {merged_link.map(|m| view! { <a href=format!("/case/{m}")>{m.clone()}</a> })}
            </p>
        }
    })
}

/// The reporter's satisfaction buttons for a closed case (the private key rides along when the
/// page was opened with it).
#[component]
fn RateForm(code: String, key: String, csrf: String) -> impl IntoView {
    let prefs = use_prefs();
    let action = if key.is_empty() {
        format!("/case/{code}/rate")
    } else {
        format!("/case/{code}/rate?k={key}")
    };
    let buttons = Satisfaction::ALL
        .into_iter()
        .map(|level| view! {
            <button type="submit" name="level" value=level.as_str() class="secondary" data-testid=format!("rate-{}", level.as_str())>
                {prefs.t(crate::components::case_text::action_name(CaseAction::Rate(level)))}
            </button>
        })
        .collect_view();
    view! {
        <section class="rate" data-testid="rate">
            <h2>{prefs.t(Msg::RateHeading)}</h2>
            <p>{prefs.t(Msg::RateLead)}</p>
            <form method="post" action=action class="rate-buttons">
                <CsrfField token=csrf />
                {buttons}
            </form>
        </section>
    }
}

/// When the case must be dealt with: "by <date> (limit)", or, before anyone has a date, the limit
/// counted from registration.
fn due_text(case: &CaseView, prefs: Prefs) -> String {
    let limit = limit_text(case.time_limit, prefs.locale);
    match case.deadline_ms {
        Some(ms) => fill(
            prefs.t(Msg::CaseDueBy),
            &[("deadline", &china_time_text(ms)), ("limit", &limit)],
        ),
        None => fill(prefs.t(Msg::CaseDueWithin), &[("limit", &limit)]),
    }
}

/// Category, department, deadline and place.
fn case_facts(case: &CaseView, prefs: Prefs) -> impl IntoView + use<> {
    let locale = prefs.locale;
    let place = format!(
        "{} {} {}",
        name(&case.district, locale),
        name(&case.street, locale),
        name(&case.community, locale)
    );
    view! {
        <dl class="case-facts">
            <dt>{prefs.t(Msg::CaseCategory)}</dt>
            <dd data-testid="case-category">{name(&case.category, locale)}</dd>
            <dt>{prefs.t(Msg::CaseDepartment)}</dt>
            <dd>{name(&case.department, locale)}</dd>
            // One row: the date once dispatched, with the category's limit that set it.
            <dt>{prefs.t(Msg::CaseDeadline)}</dt>
            <dd data-testid="case-due">{due_text(case, prefs)}</dd>
            <dt>{prefs.t(Msg::CasePlace)}</dt>
            <dd>
                {place}
                {case.address.clone().map(|a| view! { <br /> {a} })}
                <br />
                <small>
                    {if case.community_only { prefs.t(Msg::CaseCommunityOnly) } else { prefs.t(Msg::CaseApprox) }}
                    " (" {format!("{:.3}, {:.3}", case.approx_position.0, case.approx_position.1)} ")"
                </small>
            </dd>
        </dl>
    }
}

/// The small map around the case's rounded position, drawn in the browser.
#[island]
pub fn CaseMap(
    tiles: TileLayerSpec,
    position: (f64, f64),
    community_only: bool,
    label: String,
) -> impl IntoView {
    let map_el = leptos::prelude::NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    crate::map_view::mount_case_map(
        map_el,
        tiles,
        position,
        if community_only { 400.0 } else { 100.0 },
    );
    #[cfg(not(feature = "hydrate"))]
    let _ = (tiles, position, community_only);
    view! {
        <div id="case-map" class="case-map" node_ref=map_el role="img" aria-label=label></div>
    }
}

/// The public description, the answers to the category's questions, and the photos.
fn case_story(case: &CaseView, prefs: Prefs) -> impl IntoView + use<> {
    let photos = case
        .photos
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let alt = fill(prefs.t(Msg::CasePhotoAlt), &[("n", &(i + 1).to_string())]);
            view! {
                <a href=p.full_url.clone()>
                    <img src=p.thumb_url.clone() alt=alt loading="lazy" class="case-photo" />
                </a>
            }
        })
        .collect_view();
    view! {
        <h2>{prefs.t(Msg::CaseDescription)}</h2>
        <p class="case-description" data-testid="case-description">{case.description.clone()}</p>
        {case_answers(&case.answers, prefs.locale)}
        {(!case.photos.is_empty()).then(|| view! {
            <h2>{prefs.t(Msg::CasePhotos)}</h2>
            <div class="case-photos">{photos}</div>
        })}
    }
}

/// Followers and "me too" counts, and the "me too" button while the case is open. The page
/// reloads the case when it changes, so the counts stay current.
#[component]
fn CaseCounts(
    code: String,
    followers: u32,
    me_too: u32,
    open: bool,
    csrf: String,
) -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <p class="case-counts">
            <span data-testid="followers">{fill(prefs.t(Msg::CaseFollowers), &[("n", &followers.to_string())])}</span>
            " · "
            <span data-testid="me-too-count">{fill(prefs.t(Msg::CaseMeToo), &[("n", &me_too.to_string())])}</span>
        </p>
        {open.then(|| view! {
            <form method="post" action=format!("/case/{code}/me-too") class="me-too">
                <CsrfField token=csrf />
                <button type="submit" class="secondary" data-testid="me-too">{prefs.t(Msg::MeTooButton)}</button>
            </form>
        })}
    }
}

/// The case's history: each stage or staff action, with its public reply and photos.
#[component]
fn Timeline(events: Vec<CaseEventView>) -> impl IntoView {
    let prefs = use_prefs();
    let items = events
        .iter()
        .map(|e| {
            let label = e
                .action
                .map(|a| crate::components::case_text::action_label(a, prefs))
                .unwrap_or_else(|| prefs.t(stage_name(e.stage)).to_owned());
            let photos = e
                .photos
                .iter()
                .map(|p| view! {
                    <a href=p.full_url.clone()><img src=p.thumb_url.clone() alt=prefs.t(Msg::CasePhotos) loading="lazy" class="case-photo" /></a>
                })
                .collect_view();
            view! {
                <li data-stage=e.stage.as_str() data-action=e.action.map(|a| a.as_str()).unwrap_or("report")>
                    <strong>{label}</strong>
                    " "
                    <time>{china_time_text(e.at_ms)}</time>
                    {e.public_text.clone().map(|t| view! { <p class="public-reply">{t}</p> })}
                    {(!e.photos.is_empty()).then(|| view! { <div class="case-photos">{photos}</div> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <h2>{prefs.t(Msg::CaseTimeline)}</h2>
        <ol class="timeline">{items}</ol>
    }
}

/// What only the reporter sees: anonymity, their phone, and their own text.
#[component]
fn ReporterPart(private: PrivateCaseView) -> impl IntoView {
    let prefs = use_prefs();
    let p = private;
    view! {
        <section class="private" data-testid="case-private">
            <h2>{prefs.t(Msg::CaseYours)}</h2>
            {p.anonymous.then(|| view! { <p>{prefs.t(Msg::CaseAnonymous)}</p> })}
            {p.contact_phone.map(|ph| view! { <p data-testid="own-phone">{fill(prefs.t(Msg::CaseYourPhone), &[("phone", &ph)])}</p> })}
            <h3>{prefs.t(Msg::CaseYourText)}</h3>
            <p class="case-description">{p.description}</p>
        </section>
    }
}

/// Follow the case or its community (signed in), and the feeds anyone can subscribe to.
#[component]
fn FollowControls(case: CaseView, csrf: String, signed_in: bool) -> impl IntoView {
    let prefs = use_prefs();
    let back = format!("/case/{}", case.code);
    let toggle = move |action: String, on: bool, label: Msg, testid: &'static str| {
        view! {
            <form method="post" action=action class="inline">
                <CsrfField token=csrf.clone() />
                <input type="hidden" name="on" value=if on { "1" } else { "0" } />
                <input type="hidden" name="back" value=back.clone() />
                <button type="submit" class="secondary" data-testid=testid>{prefs.t(label)}</button>
            </form>
        }
    };
    let controls = if signed_in {
        let (case_on, area_on) = (!case.viewer_follows, !case.viewer_follows_area);
        view! {
            {toggle(
                format!("/case/{}/follow", case.code),
                case_on,
                if case_on { Msg::FollowCase } else { Msg::UnfollowCase },
                "follow-case",
            )}
            {toggle(
                format!("/area/{}/follow", case.community_code),
                area_on,
                if area_on { Msg::FollowArea } else { Msg::UnfollowArea },
                "follow-area",
            )}
        }
        .into_any()
    } else {
        view! { <p class="hint"><a href=crate::prefs::here_for_login()>{prefs.t(Msg::FollowSignIn)}</a></p> }.into_any()
    };
    view! {
        <section class="follow" aria-label=prefs.t(Msg::FollowHeading)>
            {controls}
            <p class="feeds">
                <a href=format!("/case/{}/feed.atom", case.code) type="application/atom+xml">{prefs.t(Msg::FeedCase)}</a>
                " · "
                <a href=format!("/area/{}/feed.atom", case.community_code) type="application/atom+xml">{prefs.t(Msg::FeedArea)}</a>
            </p>
        </section>
    }
}

/// The reporter's follow-ups, and (for the reporter) the form to add one: a plain multipart post
/// to this page's own address, so a refusal comes back here with the text kept.
#[component]
fn Comments(
    case: CaseView,
    csrf: String,
    key: String,
    draft: Option<crate::cases::api::CommentDraft>,
) -> impl IntoView {
    let prefs = use_prefs();
    let items = case
        .comments
        .iter()
        .map(|c| view! {
            <li>
                <time>{china_time_text(c.at_ms)}</time>
                <p class="case-description">{c.text.clone()}</p>
                {c.photo.as_ref().map(|p| view! {
                    <a href=p.full_url.clone()><img src=p.thumb_url.clone() alt=prefs.t(Msg::CommentPhoto) loading="lazy" class="case-photo" /></a>
                })}
            </li>
        })
        .collect_view();
    // Follow-ups are for a case still being worked on; a closed one is rated instead.
    let open = case.stage != domain::cases::case::CaseStage::Closed;
    let form = (case.private.is_some() && open).then(|| {
        let action = if key.is_empty() {
            format!("/case/{}", case.code)
        } else {
            format!("/case/{}?k={key}", case.code)
        };
        let (text, errors) = draft
            .map(|d| {
                let errors = d
                    .problems
                    .iter()
                    .map(|p| view! { <li>{prefs.t(crate::cases::report::problem_text(*p))}</li> })
                    .collect_view();
                (d.text, Some(view! { <ul class="field-errors" role="alert" data-testid="comment-errors">{errors}</ul> }))
            })
            .unwrap_or_default();
        view! {
            <form method="post" action=action enctype="multipart/form-data" class="comment-form">
                <CsrfField token=csrf />
                <h3>{prefs.t(Msg::CommentAdd)}</h3>
                {errors}
                <label for="comment-body">{prefs.t(Msg::CommentText)}</label>
                <textarea
                    id="comment-body"
                    name="body"
                    rows="3"
                    maxlength="1000"
                    inner_html=crate::cases::report::escape_html(&text)
                ></textarea>
                <label for="comment-photo">{prefs.t(Msg::CommentPhoto)}</label>
                <input id="comment-photo" name="photo" type="file" accept="image/jpeg,image/png,image/webp" />
                <button type="submit" class="secondary" data-testid="comment-send">{prefs.t(Msg::CommentSend)}</button>
            </form>
        }
    });
    view! {
        <section id="comments" class="comments">
            // The follow-ups refresh live; the form (what someone is typing) stays out of it.
            <div id="comment-list" data-live-region="">
                {(!case.comments.is_empty()).then(|| view! { <h2>{prefs.t(Msg::CommentsHeading)}</h2> })}
                <ul class="comment-list" data-testid="comments">{items}</ul>
            </div>
            {form}
        </section>
    }
}
