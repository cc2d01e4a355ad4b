//! `linli [serve|seed|migrate|check-config]`: the portal's one binary.

use server::kernel::config::{Config, LogFormat};
use server::kernel::store::Store;
use server::startup::{prepare_store, start};
use server::tools::seed;
use std::process::ExitCode;

const USAGE: &str = "usage: linli [serve | seed | migrate | check-config | bench [N]]
  serve         migrate, load the demo city into an empty store when LINLI_DEMO=true, and serve
  seed          load reference data and the demo city (idempotent)
  migrate       bring the database schema up to date
  check-config  validate the configuration and print it (without secrets)
  bench [N]     print performance figures on a throwaway store with N cases (default 1000000)
Configuration: linli.toml (or the file in LINLI_CONFIG), then LINLI_ADDR, LINLI_DATABASE_URL,
LINLI_TILES (none|tianditu|amap|osm), LINLI_TILE_KEY, LINLI_DEMO, LINLI_LOG, LINLI_LOG_FORMAT,
LINLI_BODY_LIMIT_MB, LINLI_SECURE_COOKIES, LINLI_MEDIA_DIR, LINLI_TRUSTED_PROXIES with
LINLI_CLIENT_IP_HEADER, LINLI_SMS_URL, LINLI_SMS_TOKEN, LINLI_PUBLIC_URL.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = args.first().map(String::as_str).unwrap_or("serve");
    if matches!(command, "-h" | "--help" | "help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    if command == "bench" {
        let n = match args.get(1).map(|n| n.parse::<usize>()) {
            None => 1_000_000,
            Some(Ok(n)) if (1..=10_000_000).contains(&n) => n,
            Some(_) => {
                eprintln!("linli: bench takes a number of cases from 1 to 10000000");
                return ExitCode::from(2);
            }
        };
        let runtime = match tokio::runtime::Runtime::new() {
            Ok(r) => r,
            Err(e) => {
                eprintln!("linli: cannot start the async runtime: {e}");
                return ExitCode::FAILURE;
            }
        };
        return match runtime.block_on(server::tools::bench::run(n)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("linli bench: {e}");
                ExitCode::FAILURE
            }
        };
    }
    if !matches!(command, "serve" | "seed" | "migrate" | "check-config") || args.len() > 1 {
        eprintln!("linli: unknown command {:?}\n{USAGE}", args.join(" "));
        return ExitCode::from(2);
    }
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("linli: {e}");
            return ExitCode::from(2);
        }
    };
    init_tracing(&config);
    warn_about_unknown_variables();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("linli: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(run(command, config));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            eprintln!("linli: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: &str, config: Config) -> Result<(), String> {
    match command {
        "check-config" => {
            println!(
                "addr = {}\ndatabase_url = {}\ntiles = {}\ndemo = {}\nbody_limit_mb = {}\n\
                 secure_cookies = {}\npublic_url = {}",
                config.addr,
                config.redacted_database_url(),
                config.tiles.provider.as_str(),
                config.demo,
                config.body_limit_bytes / (1024 * 1024),
                config.secure_cookies,
                config
                    .public_url
                    .clone()
                    .unwrap_or_else(|| server::kernel::config::listen_url(config.addr)),
            );
            Ok(())
        }
        "migrate" => {
            let store = Store::open(&config.database_url)
                .await
                .map_err(|e| e.to_string())?;
            store.close().await;
            tracing::info!("schema is up to date");
            Ok(())
        }
        "seed" => {
            let store = Store::open(&config.database_url)
                .await
                .map_err(|e| e.to_string())?;
            let report = seed::seed(&store).await.map_err(|e| e.to_string())?;
            println!(
                "seeded: {} territories, {} departments, {} categories, {} demo accounts \
                 (existing rows left as they were)",
                report.territories, report.departments, report.categories, report.accounts
            );
            store.close().await;
            Ok(())
        }
        _ => serve(config).await,
    }
}

async fn serve(config: Config) -> Result<(), String> {
    let store = prepare_store(&config).await.map_err(|e| e.to_string())?;
    let running = start(&config, store.clone())
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!(
        addr = %running.addr,
        database = %config.redacted_database_url(),
        tiles = config.tiles.provider.as_str(),
        demo = config.demo,
        "Linli is serving on http://{}",
        running.addr
    );
    shutdown_signal().await;
    tracing::info!("shutting down: finishing requests in flight");
    let _ = running.shutdown.send(());
    let served = running.task.await;
    store.close().await;
    match served {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(format!("server error: {e}")),
        Err(e) => Err(format!("server task failed: {e}")),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

fn init_tracing(config: &Config) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_new(&config.log_filter).unwrap_or_else(|e| {
        eprintln!(
            "linli: LINLI_LOG {:?} is not a valid filter ({e}); using \"info\"",
            config.log_filter
        );
        EnvFilter::new("info")
    });
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match config.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

/// A mistyped variable would otherwise be silently ignored.
fn warn_about_unknown_variables() {
    const KNOWN: [&str; 22] = [
        "LINLI_SECURE_COOKIES",
        "LINLI_PUBLIC_URL",
        "LINLI_CONFIG",
        "LINLI_ADDR",
        "LINLI_DATABASE_URL",
        "LINLI_TILES",
        "LINLI_TILE_KEY",
        "LINLI_DEMO",
        "LINLI_DEMO_CASES",
        "LINLI_LOG",
        "LINLI_LOG_FORMAT",
        "LINLI_BODY_LIMIT_MB",
        "LINLI_MEDIA_DIR",
        "LINLI_MEDIA_S3_BUCKET",
        "LINLI_MEDIA_S3_ENDPOINT",
        "LINLI_MEDIA_S3_REGION",
        "LINLI_MEDIA_S3_ACCESS_KEY_ID",
        "LINLI_MEDIA_S3_SECRET_ACCESS_KEY",
        "LINLI_TRUSTED_PROXIES",
        "LINLI_CLIENT_IP_HEADER",
        "LINLI_SMS_URL",
        "LINLI_SMS_TOKEN",
    ];
    for (name, _) in std::env::vars() {
        if name.starts_with("LINLI_")
            && !name.starts_with("LINLI_TEST_")
            && !KNOWN.contains(&name.as_str())
        {
            tracing::warn!("ignoring unknown setting {name}");
        }
    }
}
