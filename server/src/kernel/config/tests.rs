use super::*;
use crate::kernel::store::{redact_url, sqlite_path};
use domain::tiles::TileProvider;

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
