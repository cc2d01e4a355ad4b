//! The store: one sqlx `AnyPool` over either SQLite (the embedded default) or PostgreSQL (scale-out).
//! Queries are written once in the SQL both understand (`$1` parameters, `ON CONFLICT`, `BIGINT`
//! casts where PostgreSQL would otherwise answer `NUMERIC`); the schema has one migration folder per
//! backend because DDL differs.

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Connection, Executor};
use std::path::PathBuf;
use std::time::Duration;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Per-connection SQLite settings: WAL for concurrent readers, enforced foreign keys, and waiting
/// (rather than failing) when another connection holds the write lock.
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                              PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the folder {path} for the SQLite file: {source}")]
    CreateDir {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot open the database at {url}: {reason}")]
    Connect { url: String, reason: String },
    #[error("cannot bring the database schema up to date at {url}: {reason}")]
    Migrate { url: String, reason: String },
    #[error("database error: {0}")]
    Query(#[from] sqlx::Error),
    #[error("stored data is malformed: {0}")]
    Corrupt(String),
}

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl Store {
    /// Opens (creating a SQLite file and its folder if needed) and migrates.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        install_default_drivers();
        let redacted = redact_url(url);
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        };
        let connect_url = match backend {
            Backend::Sqlite => {
                if let Some(path) = sqlite_path(url)
                    && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
                {
                    std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                        path: dir.display().to_string(),
                        source,
                    })?;
                }
                // Create the file if missing, unless the URL already says how to open it.
                if url.contains("mode=") {
                    url.to_owned()
                } else if url.contains('?') {
                    format!("{url}&mode=rwc")
                } else {
                    format!("{url}?mode=rwc")
                }
            }
            Backend::Postgres => url.to_owned(),
        };
        // One direct connection first: a pool would retry a failing file or server until its
        // timeout and report only "timed out", hiding the cause the operator needs.
        let probe = async {
            let mut conn = sqlx::AnyConnection::connect(&connect_url).await?;
            if backend == Backend::Sqlite {
                conn.execute(SQLITE_PRAGMAS).await?;
            }
            conn.close().await
        };
        match tokio::time::timeout(Duration::from_secs(10), probe).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                return Err(StoreError::Connect {
                    url: redacted,
                    reason: explain(&e),
                });
            }
            Err(_) => {
                return Err(StoreError::Connect {
                    url: redacted,
                    reason: "the database server did not answer within 10 seconds".to_owned(),
                });
            }
        }
        let options = AnyPoolOptions::new()
            .max_connections(match backend {
                // One writer at a time is SQLite's nature; a few readers help SSR under WAL.
                Backend::Sqlite => 4,
                Backend::Postgres => 16,
            })
            // SQLite has one writer: under a burst (500 owners voting in the same minute) requests
            // queue for it, and a wait is better than an error; a server database answers sooner.
            .acquire_timeout(Duration::from_secs(match backend {
                Backend::Sqlite => 30,
                Backend::Postgres => 5,
            }))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(SQLITE_PRAGMAS).await?;
                    }
                    Ok(())
                })
            });
        let pool = options
            .connect(&connect_url)
            .await
            .map_err(|e| StoreError::Connect {
                url: redacted.clone(),
                reason: explain(&e),
            })?;
        let store = Store { pool, backend };
        store.migrate().await.map_err(|e| StoreError::Migrate {
            url: redacted,
            reason: e,
        })?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), String> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await.map_err(|e| match e {
            sqlx::migrate::MigrateError::Execute(inner) => explain(&inner),
            other => other.to_string(),
        })
    }

    /// True when no territory has been loaded yet (a fresh store).
    pub async fn has_no_territories(&self) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM territories")
            .fetch_one(self.pool())
            .await?;
        Ok(n == 0)
    }

    /// A write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`): a
    /// deferred transaction that reads before it writes can fail with SQLITE_BUSY_SNAPSHOT when
    /// another writer commits in between, which the busy timeout does not retry. PostgreSQL's
    /// transactions need no such care.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A cheap round trip, for health checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Closes the pool, waiting at most a few seconds: when the database has gone away, connections
    /// may never report back, and shutdown must not hang on them.
    pub async fn close(&self) {
        if tokio::time::timeout(Duration::from_secs(5), self.pool.close())
            .await
            .is_err()
        {
            tracing::warn!("database connections did not close within 5 s; leaving them");
        }
    }
}

/// Turns sqlx's errors into something an operator can act on.
fn explain(e: &sqlx::Error) -> String {
    let text = e.to_string();
    if text.contains("file is not a database") {
        "the file exists but is not a SQLite database (corrupt, or another kind of file)".to_owned()
    } else if text.contains("unable to open database file") || text.contains("readonly") {
        format!("the SQLite file cannot be opened for writing ({text})")
    } else if matches!(e, sqlx::Error::PoolTimedOut) || text.contains("Connection refused") {
        format!("the database server did not answer ({text})")
    } else {
        text
    }
}

/// A database URL with any password replaced, safe for logs and error messages.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            if userinfo.contains(':') {
                format!("{scheme}://{user}:***@{host}")
            } else {
                format!("{scheme}://{user}@{host}")
            }
        }
        None => url.to_owned(),
    }
}

/// Where SQLite keeps its file, for `sqlite:` URLs (None for in-memory or other backends).
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        None
    } else {
        Some(PathBuf::from(path))
    }
}

/// A row's `code` with its `name_zh` and `name_en` (territories, as most lists select them).
pub fn code_and_names(r: &sqlx::any::AnyRow) -> Result<(String, domain::ports::Names), StoreError> {
    Ok((
        sqlx::Row::try_get(r, "code")?,
        domain::ports::Names {
            zh: sqlx::Row::try_get(r, "name_zh")?,
            en: sqlx::Row::try_get(r, "name_en")?,
        },
    ))
}

/// What a page learns of a failed query: that the service is unavailable. The cause is logged here
/// and never reaches a browser.
pub fn unavailable(e: impl std::fmt::Display) -> domain::ports::PortError {
    tracing::error!(error = %e, "query failed");
    domain::ports::PortError::Unavailable
}
