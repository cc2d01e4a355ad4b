//! The frame around every page: a top bar with the display settings and a bottom navigation bar
//! with the four capabilities and "me", sized for one thumb on a 360 px screen.

use crate::i18n::Msg;
use crate::prefs::{prefs_href, use_prefs};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let prefs = use_prefs();
    let location = use_location();
    // The page to come back to after changing a preference (`search` has no leading `?`).
    let here = move || {
        let (path, search) = (location.pathname.get(), location.search.get());
        if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        }
    };
    let lang_href = move || prefs_href("lang", prefs.locale.other().tag(), &here());
    let text_href = move || {
        prefs_href(
            "text",
            if prefs.large_text { "normal" } else { "large" },
            &here(),
        )
    };
    view! {
        <a class="skip-link" href="#main">
            {prefs.t(Msg::SkipToContent)}
        </a>
        <header class="topbar">
            <a class="brand" href="/">
                <span class="brand-name">{prefs.t(Msg::AppName)}</span>
                <span class="brand-tagline">{prefs.t(Msg::AppTagline)}</span>
            </a>
            <nav class="prefs-links" aria-label=prefs.t(Msg::DisplaySettings)>
                <a
                    rel="external"
                    href=lang_href
                    lang=prefs.locale.other().tag()
                    aria-label=prefs.t(Msg::LanguageSwitchLabel)
                    data-testid="lang-switch"
                >
                    {prefs.t(Msg::LanguageSwitch)}
                </a>
                <a rel="external" href=text_href data-testid="text-switch">
                    {prefs.t(if prefs.large_text { Msg::LargeTextOff } else { Msg::LargeTextOn })}
                </a>
            </nav>
        </header>
        // Texts for offline.js, so its messages follow the page's language.
        <div
            id="offline-texts"
            hidden
            data-saved=prefs.t(Msg::DraftSaved)
            data-sent=prefs.t(Msg::DraftSent)
            data-refused=prefs.t(Msg::DraftRefused)
            data-failed=prefs.t(Msg::DraftFailed)
            data-unsent=prefs.t(Msg::DraftUnsent)
            data-sent-shift=prefs.t(Msg::DraftSentShift)
        ></div>
        <main id="main" class="page">
            {children()}
        </main>
        <nav class="bottom-nav" aria-label=prefs.t(Msg::MainNav)>
            <NavItem href="/report" label=Msg::NavReport icon=Icon::Report />
            <NavItem href="/track" label=Msg::NavTrack icon=Icon::Track />
            <NavItem href="/consult" label=Msg::NavConsult icon=Icon::Consult />
            <NavItem href="/sorting" label=Msg::NavSorting icon=Icon::Sorting />
            <NavItem href="/me" label=Msg::NavMe icon=Icon::Me />
        </nav>
    }
}

#[derive(Clone, Copy)]
enum Icon {
    Report,
    Track,
    Consult,
    Sorting,
    Me,
}

impl Icon {
    /// 24×24 stroke icons; paths kept tiny on purpose.
    fn path(self) -> &'static str {
        match self {
            Icon::Report => "M12 21s-7-6.2-7-11a7 7 0 0 1 14 0c0 4.8-7 11-7 11zM12 7v4M12 14h.01",
            Icon::Track => "M4 5h16M4 12h10M4 19h6M18 14l2 2 3-4",
            Icon::Consult => "M4 5h16v10H9l-5 4zM8 9h8M8 12h5",
            Icon::Sorting => "M5 7h14l-1.5 13h-11zM9 7V4h6v3M10 11v6M14 11v6",
            Icon::Me => "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0",
        }
    }
}

#[component]
fn NavItem(href: &'static str, label: Msg, icon: Icon) -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <A href=href attr:class="nav-item">
            <svg class="nav-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path d=icon.path() />
            </svg>
            <span>{prefs.t(label)}</span>
        </A>
    }
}
