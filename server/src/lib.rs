//! Linli's server: configuration, store, services and the HTTP adapter over them.

pub mod admin;
pub mod api_v1;
pub mod auth;
pub mod bench;
pub mod bench_consult;
pub mod bench_sorting;
pub mod board;
pub mod cache;
pub mod cases;
pub mod config;
pub mod consult;
pub mod demo;
pub mod demo_consult;
pub mod demo_sorting;
pub mod export;
pub mod http;
pub mod media;
pub mod meter;
pub mod open311;
pub mod photos;
pub mod points;
pub mod privacy;
pub mod rate;
pub mod relay;
pub mod seed;
pub mod services;
pub mod shifts;
pub mod sms;
pub mod sorting;
pub mod sorting_board;
pub mod store;
pub mod stream_slots;
pub mod web_admin;
pub mod web_auth;
pub mod web_board;
pub mod web_consult;
pub mod web_export;
pub mod web_follow;
pub mod web_open311;
pub mod web_report;
pub mod web_sorting;
pub mod web_staff;
pub mod workflow;

use crate::config::Config;
use crate::services::Portal;
use crate::store::{Store, StoreError};
use leptos::config::LeptosOptions;
use std::net::SocketAddr;
use std::path::PathBuf;
use tokio::net::TcpListener;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Media(media::MediaError),
    #[error("SMS gateway: {0}")]
    Sms(String),
}

/// Leptos' own settings come from the `LEPTOS_*` variables cargo-leptos sets (with defaults that
/// fit running from the workspace root); the address is ours.
pub fn leptos_options(addr: SocketAddr) -> LeptosOptions {
    let mut options = leptos::config::get_configuration(None)
        .map(|c| c.leptos_options)
        .unwrap_or_else(|_| LeptosOptions::builder().output_name("linli").build());
    options.site_addr = addr;
    // A hashed build leaves its hash file beside the binary; use hashed names exactly when it is there.
    options.hash_files = hash_file(&options).is_some_and(|p| p.exists());
    options
}

fn hash_file(options: &LeptosOptions) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.join(options.hash_file.as_ref()))
}

/// `/pkg/linli.css`, or `/pkg/linli.<hash>.css` for a hashed build.
fn stylesheet_href(options: &LeptosOptions) -> String {
    let hash = options
        .hash_files
        .then(|| hash_file(options))
        .flatten()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("css:").map(|h| h.trim().to_owned()))
        });
    match hash {
        Some(h) => format!("/{}/{}.{h}.css", options.site_pkg_dir, options.output_name),
        None => format!("/{}/{}.css", options.site_pkg_dir, options.output_name),
    }
}

/// Opens the store and, in demo mode, fills an empty one with the demo city.
pub async fn prepare_store(config: &Config) -> Result<Store, StoreError> {
    let store = Store::open(&config.database_url).await?;
    if store.has_no_territories().await? {
        if config.demo {
            let report = seed::seed(&store).await?;
            tracing::info!(?report, "empty store: demo city loaded");
            let media = media::Media::from_settings(config.media_s3.as_ref(), &config.media_dir)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let cases = cases::Cases::new(store.clone(), media);
            let workflow = workflow::Workflow::new(store.clone(), cases.clone());
            let started = std::time::Instant::now();
            let demo = demo::seed_cases(
                &store,
                &cases,
                &workflow,
                config.demo_cases,
                services::now_ms(),
            )
            .await?;
            tracing::info!(
                ?demo,
                ms = started.elapsed().as_millis() as u64,
                "demo cases filed and moved along"
            );
            let consultations = demo_consult::seed_consultations(
                &store,
                &consult::Consultations::new(store.clone(), cases.clone()),
                services::now_ms(),
            )
            .await?;
            tracing::info!(consultations, "demo consultations in every phase");
            // Demo activity (cases, volunteer shifts) follows LINLI_DEMO_CASES: 0 starts quiet.
            if config.demo_cases > 0 {
                let shifts = demo_sorting::seed_sorting(&store, services::now_ms()).await?;
                tracing::info!(shifts, "demo volunteer shifts over six months");
            }
        } else {
            tracing::warn!("the store has no territories; run `linli seed` or set LINLI_DEMO=true");
        }
    }
    Ok(store)
}

/// Where login codes go: the SMS gateway when one is configured, else the log.
fn code_sender(config: &Config) -> Result<std::sync::Arc<dyn auth::CodeSender>, StartError> {
    Ok(match &config.sms_url {
        Some(url) => std::sync::Arc::new(
            sms::SmsGatewaySender::new(url, config.sms_token.clone()).map_err(StartError::Sms)?,
        ),
        None => std::sync::Arc::new(auth::LogSender { demo: config.demo }),
    })
}

/// A server that is listening; dropping `shutdown` (or sending on it) stops it gracefully.
pub struct Running {
    pub addr: SocketAddr,
    pub shutdown: tokio::sync::oneshot::Sender<()>,
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// How long data sent to a client may stay unacknowledged (a reader that stopped reading) before the
/// connection is dropped.
const STALLED_CLIENT: std::time::Duration = std::time::Duration::from_secs(60);

/// Binds `config.addr` (port 0 picks a free one), then serves until `shutdown` fires.
pub async fn start(config: &Config, store: Store) -> Result<Running, StartError> {
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|source| StartError::Bind {
            addr: config.addr,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| StartError::Bind {
        addr: config.addr,
        source,
    })?;
    let leptos_options = leptos_options(addr);
    let media = media::Media::from_settings(config.media_s3.as_ref(), &config.media_dir)
        .map_err(StartError::Media)?;
    // A bucket that cannot be reached would fail every photo: say so at start, not per report.
    media.check().await.map_err(StartError::Media)?;
    let portal = Portal::new(store, config.tiles.clone(), media);
    let server_context = http::server_context(
        &portal,
        config.tiles.provider.csp_img_source(),
        stylesheet_href(&leptos_options),
    );
    let auth = auth::Auth::new(portal.store().clone(), code_sender(config)?, config.demo);
    // Expired sessions, old codes and limit counts go every hour (a task of this server: it ends
    // with it).
    let sweeper = auth.clone();
    let sweeping = tokio::spawn(async move {
        let hour = std::time::Duration::from_secs(3600);
        let mut every = tokio::time::interval_at(tokio::time::Instant::now() + hour, hour);
        loop {
            every.tick().await;
            match sweeper.purge_expired(services::now_ms()).await {
                Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions and counts purged"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not purge expired sessions"),
            }
        }
    });
    let state = http::AppState {
        leptos_options,
        portal,
        server_context,
        auth,
        secure_cookies: config.secure_cookies,
        trusted_proxies: std::sync::Arc::new(config.trusted_proxies.clone()),
        client_ip_header: config.client_ip_header.as_deref().map(std::sync::Arc::from),
        public_url: std::sync::Arc::from(
            config
                .public_url
                .clone()
                .unwrap_or_else(|| config::listen_url(addr)),
        ),
        streams: Default::default(),
    };
    let cases = state.portal.cases().clone();
    if state.portal.store().backend() == store::Backend::Postgres {
        relay::start(cases.clone(), &config.database_url)
            .await
            .map_err(|e| {
                StartError::Store(StoreError::Connect {
                    url: store::redact_url(&config.database_url),
                    reason: format!("cannot LISTEN for live updates: {e}"),
                })
            })?;
    }
    let app = http::router(state, config.body_limit_bytes);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    // A client that stops reading (a stalled download, a live stream nobody drains) is dropped by
    // the kernel once what was sent stays unacknowledged this long, instead of holding its
    // connection for ever.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        if let Err(e) = socket2::SockRef::from(&*tcp).set_tcp_user_timeout(Some(STALLED_CLIENT)) {
            tracing::debug!(error = %e, "could not set TCP_USER_TIMEOUT");
        }
    });
    let task = tokio::spawn(async move {
        let served = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = rx.await;
            // Live streams never end by themselves; end them so shutdown can finish.
            cases.close_streams();
        })
        .await;
        sweeping.abort();
        served
    });
    Ok(Running {
        addr,
        shutdown: tx,
        task,
    })
}
