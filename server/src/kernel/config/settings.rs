//! One parser per setting (or per group of settings that must agree), each naming the setting and
//! where its bad value came from.

use super::{ConfigError, LogFormat, Raw, Sources, parse_public_url};
use domain::tiles::{TileLayerSpec, TileProvider};
use std::net::SocketAddr;
use std::path::PathBuf;

pub(super) fn addr(raw: Option<Raw>) -> Result<SocketAddr, ConfigError> {
    match raw {
        None => Ok(SocketAddr::from(([127, 0, 0, 1], 3000))),
        Some(raw) => raw.value.trim().parse().map_err(|_| ConfigError {
            setting: "addr",
            source_name: raw.source,
            problem: format!("{:?} is not an address like 127.0.0.1:3000", raw.value),
        }),
    }
}

pub(super) fn database_url(raw: Option<Raw>) -> Result<String, ConfigError> {
    let Some(raw) = raw else {
        return Ok("sqlite://data/linli.db".to_owned());
    };
    let v = raw.value.trim().to_owned();
    let known = ["sqlite:", "postgres:", "postgresql:"];
    if !known.iter().any(|p| v.starts_with(p)) {
        return Err(ConfigError {
            setting: "database_url",
            source_name: raw.source,
            problem: "must start with sqlite: (a file) or postgres: (a server)".to_owned(),
        });
    }
    Ok(v)
}

pub(super) fn tiles(
    provider_raw: Option<Raw>,
    key_raw: Option<Raw>,
) -> Result<TileLayerSpec, ConfigError> {
    let provider = match &provider_raw {
        None => TileProvider::None,
        Some(raw) => TileProvider::parse(&raw.value).map_err(|e| ConfigError {
            setting: "tiles",
            source_name: raw.source.clone(),
            problem: e.to_string(),
        })?,
    };
    provider
        .layer(key_raw.as_ref().map(|r| r.value.as_str()))
        .map_err(|e| ConfigError {
            setting: "tile_key",
            source_name: key_raw
                .as_ref()
                .or(provider_raw.as_ref())
                .map(|r| r.source.clone())
                .unwrap_or_else(|| "defaults".to_owned()),
            problem: e.to_string(),
        })
}

pub(super) fn demo_cases(s: &Sources, from_file: Option<u32>) -> Result<u32, ConfigError> {
    let problem = |source_name: String, v: &str| ConfigError {
        setting: "demo_cases",
        source_name,
        problem: format!("{v:?} is not a whole number from 0 to 5000"),
    };
    match (s.env("LINLI_DEMO_CASES"), from_file) {
        (Some(v), _) => v
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n <= 5000)
            .ok_or_else(|| problem("LINLI_DEMO_CASES".to_owned(), &v)),
        (None, Some(n)) if n <= 5000 => Ok(n),
        (None, Some(n)) => Err(problem(s.file_name.clone(), &n.to_string())),
        (None, None) => Ok(300),
    }
}

pub(super) fn log_format(raw: Option<Raw>) -> Result<LogFormat, ConfigError> {
    let Some(raw) = raw else {
        return Ok(LogFormat::Text);
    };
    match raw.value.trim() {
        "text" => Ok(LogFormat::Text),
        "json" => Ok(LogFormat::Json),
        other => Err(ConfigError {
            setting: "log_format",
            source_name: raw.source,
            problem: format!("{other:?} is not text or json"),
        }),
    }
}

pub(super) fn body_limit_mb(s: &Sources, from_file: Option<u64>) -> Result<u64, ConfigError> {
    let problem = |source_name: String, v: String| ConfigError {
        setting: "body_limit_mb",
        source_name,
        problem: format!("{v} is not a whole number of megabytes from 1 to 200"),
    };
    match (s.env("LINLI_BODY_LIMIT_MB"), from_file) {
        (Some(v), _) => v
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=200).contains(n))
            .ok_or_else(|| problem("LINLI_BODY_LIMIT_MB".to_owned(), format!("{v:?}"))),
        (None, Some(n)) if (1..=200).contains(&n) => Ok(n),
        (None, Some(n)) => Err(problem(s.file_name.clone(), n.to_string())),
        // Three 10 MB photos and a form fit under the default.
        (None, None) => Ok(40),
    }
}

pub(super) fn media_dir(raw: Option<Raw>) -> Result<PathBuf, ConfigError> {
    match raw {
        None => Ok(PathBuf::from("data/media")),
        Some(raw) if raw.value.trim().is_empty() => Err(ConfigError {
            setting: "media_dir",
            source_name: raw.source,
            problem: "must name a folder".to_owned(),
        }),
        Some(raw) => Ok(PathBuf::from(raw.value.trim())),
    }
}

/// The S3 settings as the config file gives them.
pub(super) struct S3File {
    pub bucket: Option<String>,
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
}

pub(super) fn media_s3(
    s: &Sources,
    file: S3File,
) -> Result<Option<crate::kernel::media::S3Settings>, ConfigError> {
    let Some(bucket) = s.pick("LINLI_MEDIA_S3_BUCKET", file.bucket) else {
        return Ok(None);
    };
    let bucket_name = bucket.value.trim().to_owned();
    if bucket_name.is_empty() {
        return Err(ConfigError {
            setting: "media_s3_bucket",
            source_name: bucket.source,
            problem: "must name a bucket".to_owned(),
        });
    }
    let endpoint = s3_endpoint(s.pick("LINLI_MEDIA_S3_ENDPOINT", file.endpoint))?;
    let region = s
        .pick("LINLI_MEDIA_S3_REGION", file.region)
        .map(|r| r.value.trim().to_owned())
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| "us-east-1".to_owned());
    let access_key_id = s
        .pick("LINLI_MEDIA_S3_ACCESS_KEY_ID", file.access_key_id)
        .map(|r| r.value.trim().to_owned());
    let secret = s.pick("LINLI_MEDIA_S3_SECRET_ACCESS_KEY", file.secret_access_key);
    if access_key_id.is_some() != secret.is_some() {
        return Err(ConfigError {
            setting: "media_s3_access_key_id",
            source_name: bucket.source,
            problem: "and media_s3_secret_access_key go together: set both or neither".to_owned(),
        });
    }
    Ok(Some(crate::kernel::media::S3Settings {
        bucket: bucket_name,
        endpoint,
        region,
        access_key_id,
        secret_access_key: secret.map(|r| r.value.trim().to_owned()),
    }))
}

fn s3_endpoint(raw: Option<Raw>) -> Result<Option<String>, ConfigError> {
    let Some(raw) = raw else {
        return Ok(None);
    };
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
    Ok(Some(e))
}

/// The proxies whose client-address header is believed, and that header; both or neither.
pub(super) fn proxies(
    trusted_raw: Option<Raw>,
    header_raw: Option<Raw>,
) -> Result<(Vec<std::net::IpAddr>, Option<String>), ConfigError> {
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
                    problem: format!("{s:?} is not an IP address (give a comma-separated list)"),
                })
            })
            .collect::<Result<_, _>>()?,
    };
    let client_ip_header = match header_raw {
        None => None,
        Some(raw) => {
            let name = raw.value.trim().to_ascii_lowercase();
            if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
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
    Ok((trusted_proxies, client_ip_header))
}

pub(super) fn sms_url(raw: Option<Raw>) -> Result<Option<String>, ConfigError> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    let url = raw.value.trim().to_owned();
    crate::kernel::sms::SmsGatewaySender::new(&url, None).map_err(|problem| ConfigError {
        setting: "sms_url",
        source_name: raw.source,
        problem,
    })?;
    Ok(Some(url))
}

pub(super) fn public_url(raw: Option<Raw>) -> Result<Option<String>, ConfigError> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    parse_public_url(&raw.value)
        .map(Some)
        .ok_or_else(|| ConfigError {
            setting: "public_url",
            source_name: raw.source,
            problem: format!(
                "{:?} is not an http:// or https:// address like https://linli.example.cn",
                raw.value
            ),
        })
}
