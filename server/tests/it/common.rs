//! Shared test fixtures: a fresh database per test on either backend, and a real server on port 0.
#![allow(dead_code)]

use reqwest::StatusCode;
use server::kernel::config::Config;
use server::kernel::store::Store;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

pub const DEFAULT_PG_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

pub const BACKENDS: [Kind; 2] = [Kind::Sqlite, Kind::Postgres];

/// A database that exists only for one test.
pub struct TestDb {
    pub kind: Kind,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
    /// The photo folder of servers started on this database.
    pub media: tempfile::TempDir,
}

fn pg_admin_url() -> String {
    std::env::var("LINLI_TEST_PG_URL").unwrap_or_else(|_| DEFAULT_PG_ADMIN_URL.to_owned())
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TestDb {
    pub async fn new(kind: Kind) -> TestDb {
        match kind {
            Kind::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("linli.db").display());
                TestDb {
                    kind,
                    url,
                    _dir: Some(dir),
                    pg_name: None,
                    media: tempfile::tempdir().expect("temp dir"),
                }
            }
            Kind::Postgres => {
                use sqlx::Connection;
                sqlx::any::install_default_drivers();
                let admin = pg_admin_url();
                let mut conn = sqlx::AnyConnection::connect(&admin).await.unwrap_or_else(|e| {
                    panic!(
                        "PostgreSQL is required by the storage tests but is not reachable at {admin}: {e}. \
                         Start it (./dev does) or point LINLI_TEST_PG_URL at a server with trust auth."
                    )
                });
                let stamp = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .unwrap()
                    .as_millis();
                let name = format!(
                    "linli_t_{}_{}_{}",
                    stamp,
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::SeqCst)
                );
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .expect("create test database");
                conn.close().await.ok();
                let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
                TestDb {
                    kind,
                    url: format!("{base}/{name}"),
                    _dir: None,
                    pg_name: Some(name),
                    media: tempfile::tempdir().expect("temp dir"),
                }
            }
        }
    }

    pub async fn open(&self) -> Store {
        Store::open(&self.url)
            .await
            .unwrap_or_else(|e| panic!("open {:?} store: {e}", self.kind))
    }

    /// Drops a PostgreSQL test database (SQLite's goes with its temp dir).
    pub async fn cleanup(self) {
        if let Some(name) = &self.pg_name {
            use sqlx::Connection;
            if let Ok(mut conn) = sqlx::AnyConnection::connect(&pg_admin_url()).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn)
                    .await;
            }
        }
    }
}

/// A configuration for tests: port 0, the given database, demo data on, no tiles.
pub fn test_config(database_url: &str, extra: &[(&str, &str)]) -> Config {
    let mut env: Vec<(String, String)> = vec![
        ("LINLI_CONFIG".into(), "/dev/null".into()),
        ("LINLI_ADDR".into(), "127.0.0.1:0".into()),
        ("LINLI_DATABASE_URL".into(), database_url.into()),
        ("LINLI_DEMO".into(), "true".into()),
        // The demo city without its 300 cases: tests file the cases they count.
        ("LINLI_DEMO_CASES".into(), "0".into()),
    ];
    for (k, v) in extra {
        env.retain(|(name, _)| name != k);
        env.push((k.to_string(), v.to_string()));
    }
    Config::load(&env).expect("test config is valid")
}

/// A running server with its base URL.
pub struct TestServer {
    pub base: String,
    pub running: server::startup::Running,
    pub store: Store,
}

impl TestServer {
    pub async fn start(db: &TestDb, extra: &[(&str, &str)]) -> TestServer {
        let media = db.media.path().display().to_string();
        let mut extra = extra.to_vec();
        extra.insert(0, ("LINLI_MEDIA_DIR", media.as_str()));
        let config = test_config(&db.url, &extra);
        let store = server::startup::prepare_store(&config)
            .await
            .expect("prepare store");
        let running = server::startup::start(&config, store.clone())
            .await
            .expect("start server");
        TestServer {
            base: format!("http://{}", running.addr),
            running,
            store,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn stop(self) {
        let _ = self.running.shutdown.send(());
        let _ = self.running.task.await;
        self.store.close().await;
    }
}

/// An HTTP client that does not follow redirects and does not decompress, so tests see the wire.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// Opens a page as a new visitor: the session cookie it sets, its CSRF field, and the page.
pub async fn visit(http: &reqwest::Client, url: &str) -> (String, String, String) {
    visit_from(http, url, None).await
}

/// [`visit`] as a client a trusted proxy names (`x-forwarded-for`).
pub async fn visit_from(
    http: &reqwest::Client,
    url: &str,
    forwarded: Option<&str>,
) -> (String, String, String) {
    let mut req = http.get(url);
    if let Some(ip) = forwarded {
        req = req.header("x-forwarded-for", ip);
    }
    let res = req.send().await.expect("page");
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let html = res.text().await.unwrap();
    let csrf = html
        .split(r#"name="csrf" value=""#)
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("a csrf field")
        .to_owned();
    (cookie, csrf, html)
}

/// The case key cookie a reporter's form answer sets, whole (`linli_case_key_…=…; Path=/; …`).
pub fn case_key_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("linli_case_key_"))
        .map(str::to_owned)
}

/// A browser's cookie jar, reduced to the one cookie that matters.
pub struct Browser<'a> {
    pub server: &'a TestServer,
    pub session: Option<String>,
}

fn set_cookie_session(res: &reqwest::Response) -> Option<Option<String>> {
    res.headers().get_all("set-cookie").iter().find_map(|v| {
        let v = v.to_str().ok()?;
        let value = v
            .strip_prefix("linli_session=")?
            .split(';')
            .next()?
            .to_owned();
        Some(if value.is_empty() { None } else { Some(value) })
    })
}

pub fn attr<'h>(html: &'h str, marker: &str) -> Option<&'h str> {
    let start = html.find(marker)? + marker.len();
    html[start..].split('"').next()
}

impl<'a> Browser<'a> {
    pub fn new(server: &'a TestServer) -> Self {
        Browser {
            server,
            session: None,
        }
    }

    pub async fn get(&mut self, path: &str) -> (StatusCode, String) {
        let mut req = client().get(self.server.url(path));
        if let Some(s) = &self.session {
            req = req.header("Cookie", format!("linli_session={s}"));
        }
        let res = req.send().await.unwrap();
        if let Some(c) = set_cookie_session(&res) {
            self.session = c;
        }
        (res.status(), res.text().await.unwrap())
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.send(client().post(self.server.url(path)).form(form))
            .await
    }

    /// Sends with the session cookie and keeps the session the answer sets.
    async fn send(&mut self, mut req: reqwest::RequestBuilder) -> reqwest::Response {
        if let Some(s) = &self.session {
            req = req.header("Cookie", format!("linli_session={s}"));
        }
        let res = req.send().await.unwrap();
        if let Some(c) = set_cookie_session(&res) {
            self.session = c;
        }
        res
    }

    pub async fn csrf(&mut self, path: &str) -> String {
        let (_, html) = self.get(path).await;
        attr(&html, r#"name="csrf" value=""#)
            .expect("page has a csrf field")
            .to_owned()
    }

    /// A multipart form post (photos and files), with the session cookie.
    pub async fn post_multipart(
        &mut self,
        path: &str,
        form: reqwest::multipart::Form,
    ) -> reqwest::Response {
        self.send(client().post(self.server.url(path)).multipart(form))
            .await
    }

    /// Signs in with the demo code shown on the page.
    pub async fn sign_in(&mut self, phone: &str) {
        let csrf = self.csrf("/login").await;
        let res = self
            .post("/login/code", &[("phone", phone), ("csrf", &csrf)])
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(res.headers()["location"], "/login");
        let (_, html) = self.get("/login").await;
        let code = attr(&html, r#"data-code=""#)
            .expect("demo code shown")
            .to_owned();
        let res = self
            .post("/login/verify", &[("code", &code), ("csrf", &csrf)])
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(res.headers()["location"], "/me");
    }
}

/// A multipart form with the CSRF field and the given text fields (files added by the caller).
pub fn multipart_form(csrf: &str, fields: &[(&str, &str)]) -> reqwest::multipart::Form {
    let mut form = reqwest::multipart::Form::new().text("csrf", csrf.to_owned());
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    form
}

/// A real JPEG with an EXIF block holding an orientation and a GPS position (24.5 N, 118.1 E).
pub fn jpeg_with_gps(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90)
        .encode_image(&img)
        .unwrap();
    // TIFF (big-endian): IFD0 with a GPS pointer; the GPS IFD with N/E refs and rationals.
    let mut t: Vec<u8> = b"MM\0\x2a\0\0\0\x08".to_vec();
    let u16b = |v: u16| v.to_be_bytes();
    let u32b = |v: u32| v.to_be_bytes();
    // IFD0: 1 entry (GPSInfo 0x8825, LONG, 1, offset 26).
    t.extend(u16b(1));
    t.extend(u16b(0x8825));
    t.extend(u16b(4));
    t.extend(u32b(1));
    t.extend(u32b(26));
    t.extend(u32b(0));
    // GPS IFD at 26: 4 entries, then rationals at 26 + 2 + 4*12 + 4 = 80.
    t.extend(u16b(4));
    let entry = |t: &mut Vec<u8>, tag: u16, typ: u16, count: u32, value: [u8; 4]| {
        t.extend(tag.to_be_bytes());
        t.extend(typ.to_be_bytes());
        t.extend(count.to_be_bytes());
        t.extend(value);
    };
    entry(&mut t, 1, 2, 2, *b"N\0\0\0");
    entry(&mut t, 2, 5, 3, 80u32.to_be_bytes());
    entry(&mut t, 3, 2, 2, *b"E\0\0\0");
    entry(&mut t, 4, 5, 3, 104u32.to_be_bytes());
    t.extend(u32b(0));
    assert_eq!(t.len(), 80);
    for (num, den) in [(24, 1), (30, 1), (0, 1), (118, 1), (6, 1), (0, 1)] {
        t.extend(u32b(num));
        t.extend(u32b(den));
    }
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(t);
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend(((app1.len() + 2) as u16).to_be_bytes());
    out.extend(app1);
    out.extend(&plain[2..]);
    out
}

/// A neighbour says "me too" on a case through `server`: a change the case's live pages hear.
pub async fn me_too(server: &TestServer, code: &str) {
    let neighbour = client();
    let (cookie, csrf, _) = visit(&neighbour, &server.url(&format!("/case/{code}"))).await;
    let res = neighbour
        .post(server.url(&format!("/case/{code}/me-too")))
        .header("cookie", &cookie)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

/// Reads a live stream (SSE) until a `changed` event names `code`, for 10 s at most; on failure,
/// what was read.
pub async fn await_changed(
    stream: &mut (impl futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin),
    code: &str,
) -> Result<(), String> {
    use futures_util::StreamExt;
    let mut seen = String::new();
    let found = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        while let Some(chunk) = stream.next().await {
            seen.push_str(&String::from_utf8_lossy(&chunk.unwrap()));
            if seen.contains("event: changed") && seen.contains(code) {
                return true;
            }
        }
        false
    })
    .await;
    if found == Ok(true) { Ok(()) } else { Err(seen) }
}

/// Every service over `store`, built as the server builds them (`Services::build`), with photos in
/// a fresh folder and login codes in the log.
pub fn services(store: Store) -> server::startup::Services {
    let media = tempfile::tempdir().expect("temp dir").keep();
    server::startup::Services::build(
        store,
        domain::tiles::TileProvider::None.layer(None).unwrap(),
        server::kernel::media::Media::local(&media).unwrap(),
        std::sync::Arc::new(server::account::signin::LogSender { demo: true }),
        true,
    )
}

/// The id of the account with this phone (national, like 13900000001, or E.164), created if the
/// store has none; demo accounts already exist after seeding.
pub async fn user(store: &Store, phone: &str) -> i64 {
    let phone = if phone.starts_with('+') {
        phone.to_owned()
    } else {
        format!("+86{phone}")
    };
    sqlx::query(
        "INSERT INTO users (phone, created_at) VALUES ($1, 0) ON CONFLICT (phone) DO NOTHING",
    )
    .bind(&phone)
    .execute(store.pool())
    .await
    .unwrap();
    sqlx::query_scalar("SELECT id FROM users WHERE phone = $1")
        .bind(&phone)
        .fetch_one(store.pool())
        .await
        .unwrap()
}

/// Every `.rs` file under `dir`, for the tests that read the source (layers, sizes).
pub fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("source folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}
