//! The admin's Open311 API keys: issue one to an organisation (shown once), revoke one. Plain form
//! posts; the issuing post renders this page with the new key.

use crate::admin::api::fetch_api_keys;
use crate::api::fetch_viewer;
use crate::components::forms::CsrfField;
use crate::components::status::{LoadFailed, Loading};
use crate::i18n::{Msg, fill};
use crate::prefs::use_prefs;
use domain::cases::report::china_time_text;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let prefs = use_prefs();
    let query = use_query_map();
    let data = Resource::new(
        || (),
        |_| async { (fetch_viewer().await, fetch_api_keys().await) },
    );
    view! {
        <Title text=prefs.t(Msg::KeysTitle) />
        <h1>{prefs.t(Msg::KeysTitle)}</h1>
        <p class="lead">{prefs.t(Msg::KeysLead)}</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let (Ok(v), Ok(keys)) = data.await else {
                    return view! { <LoadFailed /> }.into_any();
                };
                let Some((keys, issued)) = keys else {
                    return view! { <p class="notice" data-testid="forbidden">{prefs.t(Msg::AdminForbidden)}</p> }.into_any();
                };
                let csrf = v.csrf_token.unwrap_or_default();
                let done = query.with_untracked(|q| q.get("done")).and_then(|d| match d.as_str() {
                    "revoked" => Some(Msg::KeysRevoked),
                    "bad-organisation" => Some(Msg::KeysBadOrganisation),
                    "missing" => Some(Msg::KeysMissing),
                    _ => None,
                });
                let issued = issued.map(|i| view! {
                    <div class="notice" role="status" data-testid="key-issued">
                        <p>{fill(prefs.t(Msg::KeysIssued), &[("org", &i.organisation)])}</p>
                        <p><code data-testid="new-key">{i.key}</code></p>
                    </div>
                });
                let rows = keys
                    .iter()
                    .map(|k| {
                        let line = fill(prefs.t(Msg::KeysRow), &[
                            ("org", &k.organisation),
                            ("prefix", &k.prefix),
                            ("when", &china_time_text(k.created_ms)),
                            ("n", &k.cases.to_string()),
                        ]);
                        let action = if k.revoked {
                            view! { " " <span class="pending">{prefs.t(Msg::KeysRevokedMark)}</span> }.into_any()
                        } else {
                            view! {
                                " "
                                <form method="post" action="/admin/keys" class="inline">
                                    <CsrfField token=csrf.clone() />
                                    <input type="hidden" name="action" value="revoke" />
                                    <input type="hidden" name="key" value=k.id.to_string() />
                                    <button type="submit" class="secondary" data-testid=format!("revoke-key-{}", k.id)>{prefs.t(Msg::KeysRevoke)}</button>
                                </form>
                            }.into_any()
                        };
                        view! { <li data-testid="api-key">{line}{action}</li> }
                    })
                    .collect_view();
                view! {
                    {done.map(|m| view! { <p class="notice" role="status" data-testid="keys-done">{prefs.t(m)}</p> })}
                    {issued}
                    <form method="post" action="/admin/keys" class="lookup">
                        <CsrfField token=csrf.clone() />
                        <input type="hidden" name="action" value="issue" />
                        <label for="key-organisation">{prefs.t(Msg::KeysOrganisation)}</label>
                        <input id="key-organisation" name="organisation" maxlength="80" required />
                        <button type="submit" class="button" data-testid="issue-key">{prefs.t(Msg::KeysIssue)}</button>
                    </form>
                    {if keys.is_empty() {
                        view! { <p>{prefs.t(Msg::KeysNone)}</p> }.into_any()
                    } else {
                        view! { <ul data-testid="api-keys">{rows}</ul> }.into_any()
                    }}
                }.into_any()
            })}
        </Suspense>
    }
}
