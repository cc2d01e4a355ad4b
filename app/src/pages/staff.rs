use crate::api::fetch_viewer;
use crate::components::status::{LoadFailed, Loading};
use crate::i18n::Msg;
use crate::prefs::use_prefs;
use leptos::prelude::*;
use leptos_meta::Title;

/// The entrance to the staff console. Whether someone may enter is decided by the server's one
/// authorisation rule (`is_staff` in the viewer); refusals are real 403 responses.
#[component]
pub fn StaffPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        let allowed = crate::api::request_viewer()
            .signed_in
            .is_some_and(|s| s.is_staff);
        if !allowed && let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(http::StatusCode::FORBIDDEN);
        }
    }
    let prefs = use_prefs();
    let viewer = Resource::new(|| (), |_| fetch_viewer());
    view! {
        <Title text=prefs.t(Msg::StaffTitle) />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let Ok(v) = viewer.await else { return view! { <LoadFailed /> }.into_any() };
                match v.signed_in {
                    Some(s) if s.is_staff => view! {
                        <h1>{prefs.t(Msg::StaffHeading)}</h1>
                        <p class="lead">{prefs.t(Msg::StaffLead)}</p>
                    }
                        .into_any(),
                    Some(_) => view! {
                        <section class="not-found" data-testid="forbidden">
                            <h1>{prefs.t(Msg::StaffForbiddenHeading)}</h1>
                            <p>{prefs.t(Msg::StaffForbiddenBody)}</p>
                            <a class="button primary" href="/">{prefs.t(Msg::BackHome)}</a>
                        </section>
                    }
                        .into_any(),
                    None => view! {
                        <section class="not-found" data-testid="forbidden">
                            <h1>{prefs.t(Msg::StaffForbiddenHeading)}</h1>
                            <p>{prefs.t(Msg::StaffSignInFirst)}</p>
                            <a class="button primary" href="/login">{prefs.t(Msg::MeSignIn)}</a>
                        </section>
                    }
                        .into_any(),
                }
            })}
        </Suspense>
    }
}
