//! Following cases and areas: the follow buttons (plain form posts), live updates for open pages
//! (server-sent events) and Atom feeds anyone can subscribe to without an account.

use crate::kernel::clock::now_ms;
use crate::web::error::{Text, WebError, see_other};
use crate::web::extract::CheckedForm;
use crate::web::state::AppState;
use app::prefs::safe_back;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use domain::cases::report::china_time_text;
use domain::cases::tracking::TrackingCode;
use domain::ports::{CaseListItem, CaseLookup};
use domain::privacy::xml_escape;
use domain::territory::TerritoryCode;
use serde::Deserialize;
use std::convert::Infallible;

use crate::cases::Cases;
use axum::Router;
use axum::routing::{get, post};

/// Follows, Atom feeds and the live-update stream (the caller adds the `Cases` extension).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/case/{code}/follow", post(post_follow_case))
        .route("/area/{code}/follow", post(post_follow_area))
        .route("/events/cases", get(get_case_events))
        .route("/case/{code}/feed.atom", get(get_case_feed))
        .route("/area/{code}/feed.atom", get(get_area_feed))
}

/// Most codes and areas one live stream may watch.
const MAX_WATCHED: usize = 50;

#[derive(Deserialize)]
pub struct FollowForm {
    #[serde(default)]
    on: String,
    #[serde(default)]
    back: String,
}

/// `POST /case/{code}/follow`: signed-in residents only.
pub async fn post_follow_case(
    cases: Extension<Cases>,
    Path(code): Path<String>,
    post: CheckedForm<FollowForm>,
) -> Result<Response, WebError> {
    follow(cases, "case", code, post).await
}

/// `POST /area/{code}/follow`: a street or community.
pub async fn post_follow_area(
    cases: Extension<Cases>,
    Path(code): Path<String>,
    post: CheckedForm<FollowForm>,
) -> Result<Response, WebError> {
    follow(cases, "area", code, post).await
}

async fn follow(
    Extension(cases): Extension<Cases>,
    kind: &str,
    code: String,
    post: CheckedForm<FollowForm>,
) -> Result<Response, WebError> {
    let Some(user_id) = post.session.user_id else {
        return Ok(see_other("/login"));
    };
    let form = post.form;
    let on = form.on == "1";
    let found = match kind {
        "case" => cases.follow_case(user_id, &code, on, now_ms()).await?,
        "area" => cases.follow_area(user_id, &code, on, now_ms()).await?,
        _ => false,
    };
    if !found {
        return Err(WebError::not_found(
            "没有这个案件或区域。",
            "No such case or area.",
        ));
    }
    Ok(see_other(safe_back(&form.back)))
}

#[derive(Deserialize)]
pub struct WatchQuery {
    #[serde(default)]
    codes: String,
    #[serde(default)]
    areas: String,
}

/// `GET /events/cases?codes=…&areas=…`: a `changed` event (data: the tracking code) whenever one of
/// these cases, or a case in one of these areas, changes. Ends when the server stops.
pub async fn get_case_events(
    Extension(cases): Extension<Cases>,
    State(state): State<AppState>,
    Extension(crate::web::session::ClientIp(client)): Extension<crate::web::session::ClientIp>,
    Query(q): Query<WatchQuery>,
) -> Result<Response, WebError> {
    let codes: Vec<String> = q
        .codes
        .split(',')
        .filter(|c| !c.trim().is_empty())
        .map(|c| TrackingCode::parse(c).map(|c| c.to_string()))
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    let areas: Vec<TerritoryCode> = q
        .areas
        .split(',')
        .filter(|c| !c.trim().is_empty())
        .filter_map(|c| TerritoryCode::parse(c.trim()).ok())
        .collect();
    if (codes.is_empty() && areas.is_empty()) || codes.len() + areas.len() > MAX_WATCHED {
        return Err(WebError::bad_request(
            "请给出 1–50 个案件编号或区域代码。",
            "Give 1 to 50 tracking codes or area codes.",
        ));
    }
    // Refused beyond the caps; the page falls back to its own refresh (and retries later).
    let Some(slot) = state.streams.take(&client) else {
        return Err(WebError::Later(
            StatusCode::SERVICE_UNAVAILABLE,
            Text::new(
                "实时更新的连接太多，请稍后刷新页面。",
                "Too many live-update connections; reload the page later.",
            ),
            60,
        ));
    };
    let changes = cases.events().subscribe();
    let closing = cases.events().closing();
    let watch = (codes, areas, slot);
    let stream = futures_util::stream::unfold(
        (changes, closing, watch),
        |(mut changes, mut closing, watch)| async move {
            let (codes, areas, _) = &watch;
            use tokio::sync::broadcast::error::RecvError;
            loop {
                if *closing.borrow() {
                    return None;
                }
                tokio::select! {
                    _ = closing.changed() => return None,
                    msg = changes.recv() => match msg {
                        Ok(ch) => {
                            let in_area = TerritoryCode::parse(&ch.community_code)
                                .is_ok_and(|c| areas.iter().any(|a| c.is_within(a)));
                            if codes.contains(&ch.code) || in_area {
                                let event = Event::default().event("changed").data(ch.code);
                                return Some((Ok::<_, Infallible>(event), (changes, closing, watch)));
                            }
                        }
                        // Missed some: tell the page to reload what it shows.
                        Err(RecvError::Lagged(_)) => {
                            let event = Event::default().event("changed").data("*");
                            return Some((Ok(event), (changes, closing, watch)));
                        }
                        Err(RecvError::Closed) => return None,
                    },
                }
            }
        },
    );
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response())
}

/// RFC 3339 in UTC, as Atom wants it.
fn rfc3339(ms: i64) -> String {
    // china_time_text is UTC+8; shift back to print UTC with a Z.
    let t = china_time_text(ms - domain::calendar::CHINA_OFFSET_MS);
    format!("{}T{}:00Z", &t[..10], &t[11..])
}

fn atom(base: &str, self_path: &str, title: &str, updated_ms: i64, entries: String) -> Response {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
         <title>{}</title>\n<id>{base}{self_path}</id>\n<link rel=\"self\" href=\"{base}{self_path}\"/>\n\
         <updated>{}</updated>\n<author><name>邻里 Linli</name></author>\n{entries}</feed>\n",
        xml_escape(title),
        rfc3339(updated_ms),
    );
    (
        [
            (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=60"),
        ],
        body,
    )
        .into_response()
}

/// `GET /case/{code}/feed.atom`: one entry per stage the case reached.
pub async fn get_case_feed(
    Extension(cases): Extension<Cases>,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Extension(crate::web::session::ClientIp(client)): Extension<crate::web::session::ClientIp>,
) -> Result<Response, WebError> {
    let case = match cases.view(&code, None, None, &client, now_ms()).await? {
        CaseLookup::Found(c) => c,
        CaseLookup::Limited(s) => {
            return Err(WebError::Refused(
                StatusCode::TOO_MANY_REQUESTS,
                Text {
                    zh: format!("查询太频繁，请 {s} 秒后再试。").into(),
                    en: format!("Too many lookups; try again in {s} s.").into(),
                },
            ));
        }
        _ => return Err(WebError::not_found("没有这个案件。", "No such case.")),
    };
    let base = crate::web::state::base_url(&state);
    let page = format!("{base}/case/{}", case.code);
    let entries: String = case
        .timeline
        .iter()
        .enumerate()
        .map(|(i, e)| {
            format!(
                "<entry><title>{} · {}</title><id>{page}#event-{i}</id><link href=\"{page}\"/>\
                 <updated>{}</updated><summary>{}</summary></entry>\n",
                xml_escape(&case.code),
                e.stage.bilingual_label(),
                rfc3339(e.at_ms),
                xml_escape(&case.description),
            )
        })
        .collect();
    let updated = case
        .timeline
        .last()
        .map(|e| e.at_ms)
        .unwrap_or(case.created_ms);
    Ok(atom(
        &base,
        &format!("/case/{}/feed.atom", case.code),
        &format!("{} {}", case.code, case.category.zh),
        updated,
        entries,
    ))
}

#[derive(serde::Deserialize)]
pub struct FeedQuery {
    #[serde(default)]
    category: String,
}

/// `GET /area/{code}/feed.atom[?category=S03|S0301]`: the newest and latest-changed cases of a
/// district, street or community (or `city`), of one class or category if asked.
pub async fn get_area_feed(
    Extension(cases): Extension<Cases>,
    State(state): State<AppState>,
    Path(code): Path<String>,
    axum::extract::Query(q): axum::extract::Query<FeedQuery>,
) -> Result<Response, WebError> {
    let category: String = q
        .category
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect();
    let Some((names, items)) = cases.area_cases(&code, &category).await? else {
        return Err(WebError::not_found(
            "没有这个区域或类别。",
            "No such area or category.",
        ));
    };
    let base = crate::web::state::base_url(&state);
    let entry = |c: &CaseListItem| {
        let page = format!("{base}/case/{}", c.code);
        format!(
            "<entry><title>{} · {} · {}</title><id>{page}</id><link href=\"{page}\"/>\
             <published>{}</published><updated>{}</updated><summary>{}</summary></entry>\n",
            xml_escape(&c.code),
            xml_escape(&c.category.zh),
            c.stage.bilingual_label(),
            rfc3339(c.created_ms),
            rfc3339(c.updated_ms),
            xml_escape(&c.excerpt),
        )
    };
    let updated = items.first().map(|c| c.updated_ms).unwrap_or(0);
    Ok(atom(
        &base,
        &if category.is_empty() {
            format!("/area/{code}/feed.atom")
        } else {
            format!("/area/{code}/feed.atom?category={category}")
        },
        &if category.is_empty() {
            format!("{} · 邻里", names.zh)
        } else {
            format!("{} · {category} · 邻里", names.zh)
        },
        updated,
        items.iter().map(entry).collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atom_times_are_utc() {
        assert_eq!(rfc3339(1_798_732_800_000), "2026-12-31T16:00:00Z");
        assert_eq!(xml_escape("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
    }
}
