//! Configuration: built-in defaults, then an optional TOML file, then `LINLI_*` environment variables.
//! Every value is validated here, once, so a bad value stops the start with a message naming the
//! setting, its source and what would be accepted.

use domain::tiles::TileLayerSpec;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

mod settings;

/// The default config file, read if present in the working directory.
pub const DEFAULT_CONFIG_FILE: &str = "linli.toml";

#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub database_url: String,
    pub tiles: TileLayerSpec,
    pub demo: bool,
    /// How many demo cases a fresh demo store starts with.
    pub demo_cases: u32,
    pub log_format: LogFormat,
    pub log_filter: String,
    pub body_limit_bytes: usize,
    /// Mark the session cookie `Secure`. Unset, it is on unless the public address is `http://` (or,
    /// with none configured, the server listens on loopback): see [`default_secure_cookies`].
    pub secure_cookies: bool,
    /// The folder photos are stored in (created if missing), unless a bucket is configured.
    pub media_dir: PathBuf,
    /// An S3-compatible bucket for photos instead of the folder.
    pub media_s3: Option<crate::kernel::media::S3Settings>,
    /// Reverse proxies whose client-address header is believed (rate limits count per client).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The header those proxies put the client's address in, e.g. `x-forwarded-for`.
    pub client_ip_header: Option<String>,
    /// Send login codes to this SMS gateway (http://…); `None` writes them to the log.
    pub sms_url: Option<String>,
    /// Bearer token for the gateway. A secret: never printed.
    pub sms_token: Option<String>,
    /// The portal's public address (`https://linli.example.cn`), for absolute links in feeds and
    /// Open311 answers. Unset, links use `http://` and the address the server listens on; never the
    /// request's Host header.
    pub public_url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, thiserror::Error)]
#[error("configuration error: {setting} (from {source_name}) {problem}")]
pub struct ConfigError {
    pub setting: &'static str,
    pub source_name: String,
    pub problem: String,
}

/// The file's shape. Unknown keys are refused so a typo does not silently fall back to a default.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    addr: Option<String>,
    database_url: Option<String>,
    tiles: Option<String>,
    tile_key: Option<String>,
    demo: Option<bool>,
    demo_cases: Option<u32>,
    log_format: Option<String>,
    log: Option<String>,
    body_limit_mb: Option<u64>,
    secure_cookies: Option<bool>,
    media_dir: Option<String>,
    media_s3_bucket: Option<String>,
    media_s3_endpoint: Option<String>,
    media_s3_region: Option<String>,
    media_s3_access_key_id: Option<String>,
    media_s3_secret_access_key: Option<String>,
    trusted_proxies: Option<String>,
    client_ip_header: Option<String>,
    sms_url: Option<String>,
    sms_token: Option<String>,
    public_url: Option<String>,
}

/// `https://host[:port][/path]` without a trailing slash; nothing that could break out of a link
/// (spaces, quotes, angle brackets), no query or fragment.
fn parse_public_url(raw: &str) -> Option<String> {
    let url = raw.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split('/').next().unwrap_or_default();
    let fine = |b: u8| b.is_ascii_alphanumeric() || b"-._~/:[]%".contains(&b);
    (!host.is_empty() && rest.bytes().all(fine)).then(|| url.to_owned())
}

/// One raw value and where it came from, for error messages.
struct Raw {
    value: String,
    source: String,
}

/// Where a setting's raw text comes from: its environment variable first, then the config file.
struct Sources<'a> {
    env: &'a [(String, String)],
    file_name: String,
}

impl Sources<'_> {
    fn env(&self, name: &str) -> Option<String> {
        self.env
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    fn pick(&self, env_name: &str, from_file: Option<String>) -> Option<Raw> {
        self.env(env_name)
            .map(|value| Raw {
                value,
                source: env_name.to_owned(),
            })
            .or_else(|| {
                from_file.map(|value| Raw {
                    value,
                    source: self.file_name.clone(),
                })
            })
    }

    /// A yes/no setting; `None` when neither source sets it.
    fn flag(
        &self,
        env_name: &str,
        setting: &'static str,
        from_file: Option<bool>,
    ) -> Result<Option<bool>, ConfigError> {
        match (self.env(env_name), from_file) {
            (Some(v), _) => parse_bool(&v).map(Some).ok_or_else(|| ConfigError {
                setting,
                source_name: env_name.to_owned(),
                problem: format!("{v:?} is not one of true, false, 1, 0, yes, no"),
            }),
            (None, b) => Ok(b),
        }
    }
}

impl Config {
    /// Loads from the process environment and the config file it names (or `linli.toml` if present).
    pub fn from_env() -> Result<Config, ConfigError> {
        let vars: Vec<(String, String)> = std::env::vars().collect();
        Self::load(&vars)
    }

    /// Loads from an explicit list of environment variables (testable without touching the process).
    pub fn load(env: &[(String, String)]) -> Result<Config, ConfigError> {
        let get_env = |name: &str| env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let (file, file_name) = match get_env("LINLI_CONFIG") {
            Some(path) => (read_file(Path::new(&path), true)?, path),
            None => (
                read_file(Path::new(DEFAULT_CONFIG_FILE), false)?,
                DEFAULT_CONFIG_FILE.to_owned(),
            ),
        };
        let s = Sources { env, file_name };
        let addr = settings::addr(s.pick("LINLI_ADDR", file.addr))?;
        let database_url = settings::database_url(s.pick("LINLI_DATABASE_URL", file.database_url))?;
        let tiles = settings::tiles(
            s.pick("LINLI_TILES", file.tiles),
            s.pick("LINLI_TILE_KEY", file.tile_key),
        )?;
        let demo = s.flag("LINLI_DEMO", "demo", file.demo)?.unwrap_or(false);
        let demo_cases = settings::demo_cases(&s, file.demo_cases)?;
        let secure_cookies = s.flag(
            "LINLI_SECURE_COOKIES",
            "secure_cookies",
            file.secure_cookies,
        )?;
        let log_format = settings::log_format(s.pick("LINLI_LOG_FORMAT", file.log_format))?;
        let log_filter = s
            .pick("LINLI_LOG", file.log)
            .map(|r| r.value)
            .unwrap_or_else(|| "info,sqlx=warn,tower_http=info".to_owned());
        let body_limit_mb = settings::body_limit_mb(&s, file.body_limit_mb)?;
        let media_dir = settings::media_dir(s.pick("LINLI_MEDIA_DIR", file.media_dir))?;
        let media_s3 = settings::media_s3(
            &s,
            settings::S3File {
                bucket: file.media_s3_bucket,
                endpoint: file.media_s3_endpoint,
                region: file.media_s3_region,
                access_key_id: file.media_s3_access_key_id,
                secret_access_key: file.media_s3_secret_access_key,
            },
        )?;
        let (trusted_proxies, client_ip_header) = settings::proxies(
            s.pick("LINLI_TRUSTED_PROXIES", file.trusted_proxies),
            s.pick("LINLI_CLIENT_IP_HEADER", file.client_ip_header),
        )?;
        let sms_url = settings::sms_url(s.pick("LINLI_SMS_URL", file.sms_url))?;
        let sms_token = s
            .pick("LINLI_SMS_TOKEN", file.sms_token)
            .map(|r| r.value.trim().to_owned())
            .filter(|t| !t.is_empty());
        let public_url = settings::public_url(s.pick("LINLI_PUBLIC_URL", file.public_url))?;

        Ok(Config {
            sms_url,
            sms_token,
            trusted_proxies,
            client_ip_header,
            media_dir,
            media_s3,
            addr,
            database_url,
            tiles,
            demo,
            demo_cases,
            log_format,
            log_filter,
            body_limit_bytes: (body_limit_mb as usize) * 1024 * 1024,
            secure_cookies: secure_cookies
                .unwrap_or_else(|| default_secure_cookies(public_url.as_deref(), addr)),
            public_url,
        })
    }

    /// The database URL with any password replaced, safe for logs and error messages.
    pub fn redacted_database_url(&self) -> String {
        crate::kernel::store::redact_url(&self.database_url)
    }
}

/// Cookies are `Secure` unless the portal is plainly served over http: a configured `http://` public
/// address, or none configured and a loopback address (a developer's machine, the tests).
pub fn default_secure_cookies(public_url: Option<&str>, addr: std::net::SocketAddr) -> bool {
    match public_url {
        Some(url) => !url.starts_with("http://"),
        None => !addr.ip().is_loopback(),
    }
}

/// `http://` and the address the server listens on, for links when no public address is configured;
/// an unspecified address (0.0.0.0, ::) is written as loopback.
pub fn listen_url(addr: std::net::SocketAddr) -> String {
    let ip = match addr.ip() {
        std::net::IpAddr::V4(v4) if v4.is_unspecified() => std::net::Ipv4Addr::LOCALHOST.into(),
        std::net::IpAddr::V6(v6) if v6.is_unspecified() => std::net::Ipv6Addr::LOCALHOST.into(),
        ip => ip,
    };
    format!("http://{}", std::net::SocketAddr::new(ip, addr.port()))
}

fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

fn read_file(path: &Path, required: bool) -> Result<FileConfig, ConfigError> {
    let err = |problem: String| ConfigError {
        setting: "config file",
        source_name: path.display().to_string(),
        problem,
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
            return Ok(FileConfig::default());
        }
        Err(e) => return Err(err(format!("cannot be read: {e}"))),
    };
    toml::from_str(&text).map_err(|e| err(format!("is not valid: {}", e.message())))
}

#[cfg(test)]
mod tests;
