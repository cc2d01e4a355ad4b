//! Configuration: built-in defaults, then an optional TOML file, then `LINLI_*` environment variables.
//! Every value is validated here, once, so a bad value stops the start with a message naming the
//! setting, its source and what would be accepted.

use domain::tiles::{TileLayerSpec, TileProvider};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

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
        let pick = |env_name: &str, from_file: Option<String>| -> Option<Raw> {
            get_env(env_name)
                .map(|value| Raw {
                    value,
                    source: env_name.to_owned(),
                })
                .or_else(|| {
                    from_file.map(|value| Raw {
                        value,
                        source: file_name.clone(),
                    })
                })
        };

        let addr = match pick("LINLI_ADDR", file.addr) {
            None => SocketAddr::from(([127, 0, 0, 1], 3000)),
            Some(raw) => raw.value.trim().parse().map_err(|_| ConfigError {
                setting: "addr",
                source_name: raw.source,
                problem: format!("{:?} is not an address like 127.0.0.1:3000", raw.value),
            })?,
        };

        let database_url = match pick("LINLI_DATABASE_URL", file.database_url) {
            None => "sqlite://data/linli.db".to_owned(),
            Some(raw) => {
                let v = raw.value.trim().to_owned();
                let known = ["sqlite:", "postgres:", "postgresql:"];
                if !known.iter().any(|p| v.starts_with(p)) {
                    return Err(ConfigError {
                        setting: "database_url",
                        source_name: raw.source,
                        problem: "must start with sqlite: (a file) or postgres: (a server)"
                            .to_owned(),
                    });
                }
                v
            }
        };

        let provider_raw = pick("LINLI_TILES", file.tiles);
        let provider = match &provider_raw {
            None => TileProvider::None,
            Some(raw) => TileProvider::parse(&raw.value).map_err(|e| ConfigError {
                setting: "tiles",
                source_name: raw.source.clone(),
                problem: e.to_string(),
            })?,
        };
        let key_raw = pick("LINLI_TILE_KEY", file.tile_key);
        let tiles = provider
            .layer(key_raw.as_ref().map(|r| r.value.as_str()))
            .map_err(|e| ConfigError {
                setting: "tile_key",
                source_name: key_raw
                    .as_ref()
                    .or(provider_raw.as_ref())
                    .map(|r| r.source.clone())
                    .unwrap_or_else(|| "defaults".to_owned()),
                problem: e.to_string(),
            })?;

        let demo = match (get_env("LINLI_DEMO"), file.demo) {
            (Some(v), _) => parse_bool(&v).ok_or_else(|| ConfigError {
                setting: "demo",
                source_name: "LINLI_DEMO".to_owned(),
                problem: format!("{v:?} is not one of true, false, 1, 0, yes, no"),
            })?,
            (None, Some(b)) => b,
            (None, None) => false,
        };

        let demo_cases_problem = |source_name: String, v: &str| ConfigError {
            setting: "demo_cases",
            source_name,
            problem: format!("{v:?} is not a whole number from 0 to 5000"),
        };
        let demo_cases = match (get_env("LINLI_DEMO_CASES"), file.demo_cases) {
            (Some(v), _) => v
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| *n <= 5000)
                .ok_or_else(|| demo_cases_problem("LINLI_DEMO_CASES".to_owned(), &v))?,
            (None, Some(n)) if n <= 5000 => n,
            (None, Some(n)) => return Err(demo_cases_problem(file_name.clone(), &n.to_string())),
            (None, None) => 300,
        };

        let secure_cookies = match (get_env("LINLI_SECURE_COOKIES"), file.secure_cookies) {
            (Some(v), _) => Some(parse_bool(&v).ok_or_else(|| ConfigError {
                setting: "secure_cookies",
                source_name: "LINLI_SECURE_COOKIES".to_owned(),
                problem: format!("{v:?} is not one of true, false, 1, 0, yes, no"),
            })?),
            (None, Some(b)) => Some(b),
            (None, None) => None,
        };

        let log_format = match pick("LINLI_LOG_FORMAT", file.log_format) {
            None => LogFormat::Text,
            Some(raw) => match raw.value.trim() {
                "text" => LogFormat::Text,
                "json" => LogFormat::Json,
                other => {
                    return Err(ConfigError {
                        setting: "log_format",
                        source_name: raw.source,
                        problem: format!("{other:?} is not text or json"),
                    });
                }
            },
        };
        let log_filter = pick("LINLI_LOG", file.log)
            .map(|r| r.value)
            .unwrap_or_else(|| "info,sqlx=warn,tower_http=info".to_owned());

        let body_limit_mb = match (get_env("LINLI_BODY_LIMIT_MB"), file.body_limit_mb) {
            (Some(v), _) => v
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|n| (1..=200).contains(n))
                .ok_or_else(|| ConfigError {
                    setting: "body_limit_mb",
                    source_name: "LINLI_BODY_LIMIT_MB".to_owned(),
                    problem: format!("{v:?} is not a whole number of megabytes from 1 to 200"),
                })?,
            (None, Some(n)) if (1..=200).contains(&n) => n,
            (None, Some(n)) => {
                return Err(ConfigError {
                    setting: "body_limit_mb",
                    source_name: file_name,
                    problem: format!("{n} is not a whole number of megabytes from 1 to 200"),
                });
            }
            // Three 10 MB photos and a form fit under the default.
            (None, None) => 40,
        };

        let media_dir = match pick("LINLI_MEDIA_DIR", file.media_dir) {
            None => PathBuf::from("data/media"),
            Some(raw) if raw.value.trim().is_empty() => {
                return Err(ConfigError {
                    setting: "media_dir",
                    source_name: raw.source,
                    problem: "must name a folder".to_owned(),
                });
            }
            Some(raw) => PathBuf::from(raw.value.trim()),
        };

        let media_s3 = match pick("LINLI_MEDIA_S3_BUCKET", file.media_s3_bucket) {
            None => None,
            Some(bucket) => {
                let bucket_name = bucket.value.trim().to_owned();
                if bucket_name.is_empty() {
                    return Err(ConfigError {
                        setting: "media_s3_bucket",
                        source_name: bucket.source,
                        problem: "must name a bucket".to_owned(),
                    });
                }
                let endpoint = match pick("LINLI_MEDIA_S3_ENDPOINT", file.media_s3_endpoint) {
                    None => None,
                    Some(raw) => {
                        let e = raw.value.trim().trim_end_matches('/').to_owned();
                        if !(e.starts_with("http://") || e.starts_with("https://")) {
                            return Err(ConfigError {
                                setting: "media_s3_endpoint",
                                source_name: raw.source,
                                problem: format!(
                                    "{e:?} is not an http:// or https:// address of an S3-compatible service"
                                ),
                            });
                        }
                        Some(e)
                    }
                };
                let region = pick("LINLI_MEDIA_S3_REGION", file.media_s3_region)
                    .map(|r| r.value.trim().to_owned())
                    .filter(|r| !r.is_empty())
                    .unwrap_or_else(|| "us-east-1".to_owned());
                let access_key_id =
                    pick("LINLI_MEDIA_S3_ACCESS_KEY_ID", file.media_s3_access_key_id)
                        .map(|r| r.value.trim().to_owned());
                let secret = pick(
                    "LINLI_MEDIA_S3_SECRET_ACCESS_KEY",
                    file.media_s3_secret_access_key,
                );
                if access_key_id.is_some() != secret.is_some() {
                    return Err(ConfigError {
                        setting: "media_s3_access_key_id",
                        source_name: bucket.source,
                        problem: "and media_s3_secret_access_key go together: set both or neither"
                            .to_owned(),
                    });
                }
                Some(crate::kernel::media::S3Settings {
                    bucket: bucket_name,
                    endpoint,
                    region,
                    access_key_id,
                    secret_access_key: secret.map(|r| r.value.trim().to_owned()),
                })
            }
        };

        let trusted_raw = pick("LINLI_TRUSTED_PROXIES", file.trusted_proxies);
        let trusted_proxies = match &trusted_raw {
            None => Vec::new(),
            Some(raw) => raw
                .value
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| {
                    s.parse::<std::net::IpAddr>().map_err(|_| ConfigError {
                        setting: "trusted_proxies",
                        source_name: raw.source.clone(),
                        problem: format!(
                            "{s:?} is not an IP address (give a comma-separated list)"
                        ),
                    })
                })
                .collect::<Result<_, _>>()?,
        };
        let client_ip_header = match pick("LINLI_CLIENT_IP_HEADER", file.client_ip_header) {
            None => None,
            Some(raw) => {
                let name = raw.value.trim().to_ascii_lowercase();
                if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                {
                    return Err(ConfigError {
                        setting: "client_ip_header",
                        source_name: raw.source,
                        problem: format!("{name:?} is not a header name like x-forwarded-for"),
                    });
                }
                Some(name)
            }
        };
        if trusted_proxies.is_empty() != client_ip_header.is_none() {
            return Err(ConfigError {
                setting: "trusted_proxies",
                source_name: trusted_raw
                    .map(|r| r.source)
                    .unwrap_or_else(|| "defaults".into()),
                problem: "set both trusted_proxies and client_ip_header, or neither".to_owned(),
            });
        }

        let sms_url = match pick("LINLI_SMS_URL", file.sms_url) {
            None => None,
            Some(raw) => {
                let url = raw.value.trim().to_owned();
                crate::kernel::sms::SmsGatewaySender::new(&url, None).map_err(|problem| {
                    ConfigError {
                        setting: "sms_url",
                        source_name: raw.source,
                        problem,
                    }
                })?;
                Some(url)
            }
        };
        let sms_token = pick("LINLI_SMS_TOKEN", file.sms_token)
            .map(|r| r.value.trim().to_owned())
            .filter(|t| !t.is_empty());

        let public_url = match pick("LINLI_PUBLIC_URL", file.public_url) {
            None => None,
            Some(raw) => Some(parse_public_url(&raw.value).ok_or_else(|| ConfigError {
                setting: "public_url",
                source_name: raw.source,
                problem: format!(
                    "{:?} is not an http:// or https:// address like https://linli.example.cn",
                    raw.value
                ),
            })?),
        };

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
mod tests {
    use super::*;
    use crate::kernel::store::{redact_url, sqlite_path};

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        // Point at a file that does not exist unless a test names one, so a developer's linli.toml
        // cannot change the outcome.
        let mut v: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        if !pairs.iter().any(|(k, _)| *k == "LINLI_CONFIG") {
            v.push(("LINLI_CONFIG".into(), "/dev/null".into()));
        }
        v
    }

    #[test]
    fn proxies_and_their_header_come_together() {
        let env = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            let mut v = vec![("LINLI_CONFIG".to_owned(), "/dev/null".to_owned())];
            v.extend(
                pairs
                    .iter()
                    .map(|(k, val)| (k.to_string(), val.to_string())),
            );
            v
        };
        let c = Config::load(&env(&[
            ("LINLI_TRUSTED_PROXIES", "127.0.0.1, ::1"),
            ("LINLI_CLIENT_IP_HEADER", "X-Forwarded-For"),
        ]))
        .unwrap();
        assert_eq!(c.trusted_proxies.len(), 2);
        assert_eq!(c.client_ip_header.as_deref(), Some("x-forwarded-for"));
        let e = Config::load(&env(&[("LINLI_TRUSTED_PROXIES", "127.0.0.1")])).unwrap_err();
        assert_eq!(e.setting, "trusted_proxies");
        let e = Config::load(&env(&[
            ("LINLI_TRUSTED_PROXIES", "localhost"),
            ("LINLI_CLIENT_IP_HEADER", "x-real-ip"),
        ]))
        .unwrap_err();
        assert!(e.problem.contains("not an IP address"), "{}", e.problem);
        let e = Config::load(&env(&[
            ("LINLI_TRUSTED_PROXIES", "10.0.0.1"),
            ("LINLI_CLIENT_IP_HEADER", "x real ip"),
        ]))
        .unwrap_err();
        assert_eq!(e.setting, "client_ip_header");
    }

    #[test]
    fn the_public_address_is_a_plain_http_or_https_address() {
        let c = Config::load(&env(&[("LINLI_PUBLIC_URL", " https://linli.example.cn/ ")])).unwrap();
        assert_eq!(c.public_url.as_deref(), Some("https://linli.example.cn"));
        let c = Config::load(&env(&[("LINLI_PUBLIC_URL", "http://10.0.0.5:8080/linli")])).unwrap();
        assert_eq!(c.public_url.as_deref(), Some("http://10.0.0.5:8080/linli"));
        assert_eq!(Config::load(&env(&[])).unwrap().public_url, None);
        for bad in [
            "linli.example.cn",
            "ftp://linli.example.cn",
            "https://",
            "https://a.cn/\"><script>",
            "https://a.cn/?x=1",
            "https://a b.cn",
        ] {
            let e = Config::load(&env(&[("LINLI_PUBLIC_URL", bad)])).unwrap_err();
            assert_eq!(e.setting, "public_url", "{bad}");
            assert_eq!(e.source_name, "LINLI_PUBLIC_URL");
        }
    }

    #[test]
    fn defaults_are_sqlite_on_localhost_without_tiles() {
        let c = Config::load(&env(&[])).unwrap();
        assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.database_url, "sqlite://data/linli.db");
        assert_eq!(c.tiles.provider, TileProvider::None);
        assert!(!c.demo);
        assert_eq!(c.body_limit_bytes, 40 * 1024 * 1024);
    }

    #[test]
    fn environment_overrides_and_is_validated() {
        let c = Config::load(&env(&[
            ("LINLI_ADDR", "0.0.0.0:8080"),
            ("LINLI_TILES", "amap"),
            ("LINLI_DEMO", "yes"),
        ]))
        .unwrap();
        assert_eq!(c.addr.port(), 8080);
        assert_eq!(c.tiles.provider, TileProvider::Amap);
        assert!(c.demo);

        let e = Config::load(&env(&[("LINLI_ADDR", "localhost")])).unwrap_err();
        assert_eq!(e.setting, "addr");
        assert!(e.to_string().contains("LINLI_ADDR"), "{e}");

        let e = Config::load(&env(&[("LINLI_DEMO", "maybe")])).unwrap_err();
        assert!(e.to_string().contains("maybe"), "{e}");

        let e = Config::load(&env(&[("LINLI_TILES", "tianditu")])).unwrap_err();
        assert!(e.to_string().contains("needs a key"), "{e}");

        let e = Config::load(&env(&[("LINLI_DATABASE_URL", "mysql://x")])).unwrap_err();
        assert_eq!(e.setting, "database_url");

        let e = Config::load(&env(&[("LINLI_BODY_LIMIT_MB", "0")])).unwrap_err();
        assert_eq!(e.setting, "body_limit_mb");
    }

    #[test]
    fn file_values_apply_and_unknown_keys_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.toml");
        std::fs::write(
            &good,
            "addr = \"127.0.0.1:4000\"\ntiles = \"osm\"\ndemo = true\n",
        )
        .unwrap();
        let c = Config::load(&env(&[("LINLI_CONFIG", good.to_str().unwrap())])).unwrap();
        assert_eq!(c.addr.port(), 4000);
        assert_eq!(c.tiles.provider, TileProvider::Osm);
        // The environment still wins over the file.
        let c = Config::load(&env(&[
            ("LINLI_CONFIG", good.to_str().unwrap()),
            ("LINLI_ADDR", "127.0.0.1:5000"),
        ]))
        .unwrap();
        assert_eq!(c.addr.port(), 5000);

        let typo = dir.path().join("typo.toml");
        std::fs::write(&typo, "adress = \"127.0.0.1:4000\"\n").unwrap();
        let e = Config::load(&env(&[("LINLI_CONFIG", typo.to_str().unwrap())])).unwrap_err();
        assert!(e.to_string().contains("adress"), "{e}");

        let e = Config::load(&env(&[("LINLI_CONFIG", "/nonexistent/linli.toml")])).unwrap_err();
        assert!(e.to_string().contains("cannot be read"), "{e}");
    }

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact_url("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(
            redact_url("sqlite://data/linli.db"),
            "sqlite://data/linli.db"
        );
    }

    #[test]
    fn sqlite_paths_are_found_in_urls() {
        assert_eq!(
            sqlite_path("sqlite://data/linli.db?mode=rwc"),
            Some(PathBuf::from("data/linli.db"))
        );
        assert_eq!(
            sqlite_path("sqlite:/tmp/x.db"),
            Some(PathBuf::from("/tmp/x.db"))
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://h/db"), None);
    }
}
