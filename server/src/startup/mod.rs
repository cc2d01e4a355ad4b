//! Building the services and the server: every service once, each capability's routes merged into
//! one router, and the listener with its connection settings. The demo city is loaded here too.

use crate::account::privacy::Privacy;
use crate::account::signin::{Auth, CodeSender, LogSender};
use crate::admin::Admin;
use crate::admin::port::AdminPages;
use crate::cases::Cases;
use crate::cases::catalogue::Catalogue;
use crate::consult::Consultations;
use crate::kernel::clock::now_ms;
use crate::kernel::config::{self, Config};
use crate::kernel::media::{self, Media};
use crate::kernel::sessions::Sessions;
use crate::kernel::store::{self, Store, StoreError};
use crate::kernel::{events, sms};
use crate::open311::Open311;
use crate::sorting::Sorting;
use crate::sorting::port::SortingPages;
use crate::sorting::shifts::Shifts;
use crate::workflow::Workflow;
use crate::workflow::port::WorkflowPages;
use crate::{consult, tools, web};
use app::ServerContext;
use axum::Router;
use domain::tiles::TileLayerSpec;
use leptos::config::LeptosOptions;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
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

/// Every service, built once over one store and one media store: the server, the demo loader and
/// the tests all start here.
#[derive(Clone)]
pub struct Services {
    pub store: Store,
    pub tiles: TileLayerSpec,
    pub sessions: Sessions,
    pub auth: Auth,
    pub privacy: Privacy,
    pub admin: Admin,
    pub cases: Cases,
    pub workflow: Workflow,
    pub consult: Consultations,
    pub sorting: Sorting,
    pub shifts: Shifts,
    pub open311: Open311,
}

impl Services {
    pub fn build(
        store: Store,
        tiles: TileLayerSpec,
        media: Media,
        sender: Arc<dyn CodeSender>,
        demo: bool,
    ) -> Services {
        let cases = Cases::new(store.clone(), media).with_tiles(tiles.clone());
        let auth = Auth::new(store.clone(), sender, demo);
        Services {
            sessions: auth.sessions().clone(),
            auth,
            privacy: Privacy::new(store.clone()),
            admin: Admin::new(store.clone()),
            workflow: Workflow::new(store.clone(), cases.clone()),
            consult: Consultations::new(store.clone(), cases.clone()),
            sorting: Sorting::new(store.clone()),
            shifts: Shifts::new(store.clone(), cases.clone()),
            open311: Open311::new(store.clone(), cases.clone()),
            cases,
            tiles,
            store,
        }
    }

    /// What pages and server functions read through: each capability's port.
    pub fn server_context(
        &self,
        tile_img_src: Option<&'static str>,
        stylesheet_href: String,
    ) -> ServerContext {
        ServerContext {
            catalogue: Arc::new(Catalogue::new(self.store.clone(), self.tiles.clone())),
            cases: Arc::new(self.cases.clone()),
            admin: Arc::new(AdminPages {
                admin: self.admin.clone(),
                open311: self.open311.clone(),
            }),
            workflow: Arc::new(WorkflowPages::new(
                self.workflow.clone(),
                self.cases.clone(),
            )),
            sorting: Arc::new(SortingPages {
                store: self.store.clone(),
                sorting: self.sorting.clone(),
                shifts: self.shifts.clone(),
                tiles: self.tiles.clone(),
            }),
            consult: Arc::new(self.consult.clone()),
            tile_img_src,
            stylesheet_href,
        }
    }

    /// Each capability's routes, with the services its handlers take.
    pub fn routes(&self) -> Router<web::state::AppState> {
        Router::new()
            .merge(crate::account::web::routes(
                self.auth.clone(),
                self.privacy.clone(),
            ))
            .merge(crate::admin::web::routes(
                self.admin.clone(),
                self.open311.clone(),
                self.workflow.clone(),
            ))
            .merge(crate::cases::web::routes(
                self.cases.clone(),
                self.sessions.clone(),
            ))
            .merge(crate::workflow::web::routes(self.workflow.clone()))
            .merge(crate::consult::web::routes(self.consult.clone()))
            .merge(crate::sorting::web::routes(
                self.sorting.clone(),
                self.shifts.clone(),
                self.cases.clone(),
                self.store.clone(),
            ))
            .merge(crate::open311::web::routes(self.open311.clone()))
            .merge(crate::open_data::web::routes(
                self.consult.clone(),
                self.store.clone(),
            ))
    }
}

/// Opens the store and, in demo mode, fills an empty one with the demo city.
pub async fn prepare_store(config: &Config) -> Result<Store, StoreError> {
    let store = Store::open(&config.database_url).await?;
    if store.has_no_territories().await? {
        if config.demo {
            let report = tools::seed::seed(&store).await?;
            tracing::info!(?report, "empty store: demo city loaded");
            let media = media::Media::from_settings(config.media_s3.as_ref(), &config.media_dir)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            // The demo sends no codes: the log sender is enough to build the services.
            let services = Services::build(
                store.clone(),
                config.tiles.clone(),
                media,
                Arc::new(LogSender { demo: true }),
                true,
            );
            let started = std::time::Instant::now();
            let demo = crate::cases::demo::seed_cases(
                &store,
                &services.cases,
                &services.workflow,
                config.demo_cases,
                now_ms(),
            )
            .await?;
            tracing::info!(
                ?demo,
                ms = started.elapsed().as_millis() as u64,
                "demo cases filed and moved along"
            );
            let consultations =
                consult::demo::seed_consultations(&store, &services.consult, now_ms()).await?;
            tracing::info!(consultations, "demo consultations in every phase");
            // Demo activity (cases, volunteer shifts) follows LINLI_DEMO_CASES: 0 starts quiet.
            if config.demo_cases > 0 {
                let shifts = crate::sorting::demo::seed_sorting(&store, now_ms()).await?;
                tracing::info!(shifts, "demo volunteer shifts over six months");
            }
        } else {
            tracing::warn!("the store has no territories; run `linli seed` or set LINLI_DEMO=true");
        }
    }
    Ok(store)
}

/// Where login codes go: the SMS gateway when one is configured, else the log.
fn code_sender(config: &Config) -> Result<Arc<dyn CodeSender>, StartError> {
    Ok(match &config.sms_url {
        Some(url) => std::sync::Arc::new(
            sms::SmsGatewaySender::new(url, config.sms_token.clone()).map_err(StartError::Sms)?,
        ),
        None => std::sync::Arc::new(LogSender { demo: config.demo }),
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
    let services = Services::build(
        store,
        config.tiles.clone(),
        media,
        code_sender(config)?,
        config.demo,
    );
    let server_context = services.server_context(
        config.tiles.provider.csp_img_source(),
        stylesheet_href(&leptos_options),
    );
    // Expired sessions, old codes and limit counts go every hour (a task of this server: it ends
    // with it).
    let sweeper = services.sessions.clone();
    let sweeping = tokio::spawn(async move {
        let hour = std::time::Duration::from_secs(3600);
        let mut every = tokio::time::interval_at(tokio::time::Instant::now() + hour, hour);
        loop {
            every.tick().await;
            match sweeper.purge_expired(now_ms()).await {
                Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions and counts purged"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not purge expired sessions"),
            }
        }
    });
    let state = web::state::AppState {
        leptos_options,
        server_context,
        store: services.store.clone(),
        sessions: services.sessions.clone(),
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
    let cases = services.cases.clone();
    if services.store.backend() == store::Backend::Postgres {
        events::relay(cases.events().clone(), &config.database_url)
            .await
            .map_err(|e| {
                StartError::Store(StoreError::Connect {
                    url: store::redact_url(&config.database_url),
                    reason: format!("cannot LISTEN for live updates: {e}"),
                })
            })?;
    }
    let app = web::router::router(state, config.body_limit_bytes, services.routes());
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
            cases.events().close_streams();
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
