use crate::account::api::fetch_login_flash;
use crate::api::fetch_viewer;
use crate::components::forms::CsrfField;
use crate::components::status::{LoadFailed, Loading};
use crate::i18n::{Msg, fill};
use crate::prefs::{Prefs, use_prefs};
use domain::ports::PendingSignIn;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The message for `?error=…` set by the sign-in form handlers.
fn error_text(
    prefs: Prefs,
    error: Option<&str>,
    seconds: Option<&str>,
    left: Option<&str>,
) -> Option<String> {
    let number = |v: Option<&str>| {
        v.filter(|v| !v.is_empty() && v.len() < 6 && v.bytes().all(|b| b.is_ascii_digit()))
            .unwrap_or("0")
            .to_owned()
    };
    Some(match error? {
        "phone" => prefs.t(Msg::LoginErrPhone).to_owned(),
        "wait" => fill(prefs.t(Msg::LoginErrWait), &[("seconds", &number(seconds))]),
        "send" => prefs.t(Msg::LoginErrSend).to_owned(),
        "wrong" => fill(prefs.t(Msg::LoginErrWrong), &[("left", &number(left))]),
        "format" => prefs.t(Msg::LoginErrFormat).to_owned(),
        "expired" => prefs.t(Msg::LoginErrExpired).to_owned(),
        "locked" => prefs.t(Msg::LoginErrLocked).to_owned(),
        "daily" => prefs.t(Msg::LoginErrDailyCap).to_owned(),
        "nocode" => prefs.t(Msg::LoginErrNoCode).to_owned(),
        _ => return None,
    })
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let prefs = use_prefs();
    let viewer = Resource::new(|| (), |_| fetch_viewer());
    let query = use_query_map();
    let flash = Resource::new(|| (), |_| fetch_login_flash());
    // Where to go once signed in; every step's form carries it along in its address.
    let next = query.with_untracked(|q| {
        q.get_str("next")
            .and_then(domain::account::return_to::after_sign_in)
            .map(str::to_owned)
    });
    let (after, carry) = match &next {
        Some(page) => (page.clone(), crate::prefs::next_query(page)),
        None => ("/me".to_owned(), String::new()),
    };
    let error = move || {
        query.with(|q| {
            error_text(
                prefs,
                q.get_str("error"),
                q.get_str("seconds"),
                q.get_str("left"),
            )
        })
    };
    let flash_error = move || {
        Suspend::new(async move {
            flash.await.ok().flatten().and_then(|f| {
                let seconds = f.seconds.to_string();
                error_text(prefs, Some(&f.error), Some(&seconds), None)
                    .map(|e| view! { <p class="status error" role="alert" data-testid="login-error">{e}</p> })
            })
        })
    };
    view! {
        <Title text=prefs.t(Msg::LoginTitle) />
        <h1>{prefs.t(Msg::LoginHeading)}</h1>
        <p class="lead">{prefs.t(Msg::LoginLead)}</p>
        {next.is_some().then(|| view! { <p class="hint" data-testid="returns-to">{prefs.t(Msg::LoginReturnsTo)}</p> })}
        {move || error().map(|e| view! { <p class="status error" role="alert" data-testid="login-error">{e}</p> })}
        <Suspense>{flash_error}</Suspense>
        <Suspense fallback=Loading>
            {move || {
                let (after, carry) = (after.clone(), carry.clone());
                Suspend::new(async move {
                let Ok(v) = viewer.await else { return view! { <LoadFailed /> }.into_any() };
                let csrf = v.csrf_token.clone().unwrap_or_default();
                if v.signed_in.is_some() {
                    return view! {
                        <p>{prefs.t(Msg::LoginAlready)}</p>
                        <a class="button primary" href=after.clone()>{prefs.t(Msg::LoginContinue)}</a>
                    }
                        .into_any();
                }
                match v.pending {
                    Some(pending) => view! { <CodeForm pending csrf carry=carry.clone() /> }.into_any(),
                    None => view! { <PhoneForm csrf carry=carry.clone() /> }.into_any(),
                }
            })}}
        </Suspense>
    }
}

/// The first step: the phone number to send a code to.
#[component]
fn PhoneForm(csrf: String, carry: String) -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <form method="post" action=format!("/login/code{carry}") class="form">
            <CsrfField token=csrf />
            <label for="phone">{prefs.t(Msg::LoginPhoneLabel)}</label>
            <input
                id="phone"
                name="phone"
                type="tel"
                inputmode="tel"
                autocomplete="tel"
                maxlength="24"
                required
            />
            <button type="submit" class="button primary">{prefs.t(Msg::LoginSendCode)}</button>
        </form>
    }
}

/// The second step: where the code went (and, in the demo, the code itself), the code field, and
/// "send again" or "another number". `carry` is the `?next=…` every step passes on.
#[component]
fn CodeForm(pending: PendingSignIn, csrf: String, carry: String) -> impl IntoView {
    let prefs = use_prefs();
    let sent = fill(
        prefs.t(Msg::LoginCodeSentTo),
        &[("phone", &pending.masked_phone)],
    );
    let demo = pending.demo_code.map(|code| {
        view! {
            <p class="notice" data-testid="demo-code" data-code=code.clone()>
                {fill(prefs.t(Msg::LoginDemoCode), &[("code", &code)])}
            </p>
        }
    });
    view! {
        <p>{sent}</p>
        {demo}
        <form method="post" action=format!("/login/verify{carry}") class="form">
            <CsrfField token=csrf.clone() />
            <label for="code">{prefs.t(Msg::LoginCodeLabel)}</label>
            <input
                id="code"
                name="code"
                type="text"
                inputmode="numeric"
                autocomplete="one-time-code"
                maxlength="12"
                required
            />
            <button type="submit" class="button primary">{prefs.t(Msg::LoginSubmit)}</button>
        </form>
        <div class="actions">
            <form method="post" action=format!("/login/code{carry}")>
                <CsrfField token=csrf.clone() />
                <button type="submit" class="button">{prefs.t(Msg::LoginResend)}</button>
            </form>
            <form method="post" action=format!("/login/restart{carry}")>
                <CsrfField token=csrf />
                <button type="submit" class="button">{prefs.t(Msg::LoginChangeNumber)}</button>
            </form>
        </div>
    }
}
