//! Privacy and abuse hardening, through the public HTTP interface where the defect shows there:
//! exact positions, personal numbers, stalls, limits, parsers, XML, forged hosts, secrets in URLs,
//! visitors' sessions, moderation and the caps on live streams.

use crate::common;
use crate::common::{
    BACKENDS, Browser, Kind, TestDb, TestServer, client, jpeg_with_gps, user, visit,
};
use reqwest::StatusCode;
use std::time::Duration;

/// 中山社区's first grid cell, off the public 0.001° grid by about 40 m in each direction.
const EXACT: (f64, f64) = (24.43637, 118.07236);
const PUBLIC: (f64, f64) = (24.436, 118.072);

/// Files a report over HTTP as a new visitor; its tracking code and the redirect's response.
async fn file(
    server: &TestServer,
    category: &str,
    description: &str,
    at: (f64, f64),
    extra: &[(&str, &str)],
) -> (String, reqwest::Response) {
    let http = client();
    let (cookie, csrf, _) = visit(&http, &server.url("/report")).await;
    let mut form = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .text("category", category.to_owned())
        .text("description", description.to_owned())
        .text("lat", at.0.to_string())
        .text("lng", at.1.to_string())
        .text("location_source", "map");
    if category == "B0101" {
        form = form.text("attribute[danger]", "open");
    }
    for (k, v) in extra {
        form = form.text(k.to_string(), v.to_string());
    }
    let res = http
        .post(server.url("/report"))
        .header("cookie", cookie)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "report filed");
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let code = location
        .strip_prefix("/case/")
        .and_then(|r| r.split('?').next())
        .unwrap()
        .to_owned();
    (code, res)
}

async fn get_text(url: String) -> (StatusCode, String) {
    let res = client().get(url).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

#[tokio::test]
async fn no_public_query_pins_a_case_below_the_grid() {
    use leptos::server_fn::ServerFn;
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let server = TestServer::start(&db, &[]).await;
        let (code, _) = file(&server, "B0101", "井盖丢失很危险", EXACT, &[]).await;
        // A box around the exact point that leaves out the public one finds nothing.
        let around = |c: (f64, f64), d: f64| {
            format!(
                "/api/v1/cases?state=all&bbox={},{},{},{}",
                c.1 - d,
                c.0 - d,
                c.1 + d,
                c.0 + d
            )
        };
        let (status, tight) = get_text(server.url(&around(EXACT, 0.0001))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!tight.contains(&code), "{kind:?}: {tight}");
        let (_, on_grid) = get_text(server.url(&around(PUBLIC, 0.0001))).await;
        assert!(on_grid.contains(&code), "{kind:?}: {on_grid}");
        let (_, one) = get_text(server.url(&format!("/api/v1/cases/{code}"))).await;
        let one: serde_json::Value = serde_json::from_str(&one).unwrap();
        assert_eq!(
            (one["lat"].as_f64(), one["lng"].as_f64()),
            (Some(PUBLIC.0), Some(PUBLIC.1))
        );
        // "Is it reported already?" measures to the public point, in 50 m steps.
        let res = client()
            .get(server.url(&format!(
                "{}?category=B0101&lat={}&lng={}",
                app::cases::api::FetchNearby::PATH,
                EXACT.0,
                EXACT.1
            )))
            .send()
            .await
            .unwrap();
        let nearby: serde_json::Value = res.json().await.unwrap();
        let d = nearby[0]["distance_m"].as_u64().expect("one nearby case");
        assert_eq!(d % 50, 0, "{kind:?}: {nearby}");
        assert_eq!(
            d, 50,
            "{kind:?}: about 40 m to the public point, shown as 50"
        );
        server.stop().await;
        db.cleanup().await;
    }
}

/// Every spelling the masking rule must catch, and what must never be seen of them.
const SPELLINGS: &str = "电话+86 138 0013 8000，备用１３９００１３９０００，座机(0592) 1234 567，身份证35020319900101123X";
const NEVER: [&str; 5] = [
    "0013 8000",
    "13800138000",
    "００１３",
    "1234 567",
    "19900101123",
];

#[tokio::test]
async fn personal_numbers_are_masked_in_every_public_view() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    // A free-text question, so its answer is public text too.
    sqlx::query(
        "INSERT INTO category_questions (category_code, code, datatype, required, prompt_zh, \
         prompt_en, position) VALUES ('B0102', 'where', 'text', 0, '具体位置', 'Where exactly', 1)",
    )
    .execute(server.store.pool())
    .await
    .unwrap();
    let (code, _) = file(
        &server,
        "B0102",
        SPELLINGS,
        PUBLIC,
        &[("attribute[where]", "门口，联系 138-0013-8000")],
    )
    .await;
    for path in [
        format!("/case/{code}"),
        format!("/api/v1/cases/{code}"),
        "/api/v1/cases?state=all".to_owned(),
        format!("/open311/v2/requests/{code}.json"),
        format!("/open311/v2/requests/{code}.xml"),
        "/open-data/cases.csv".to_owned(),
        "/open-data/cases.geojson".to_owned(),
        format!("/case/{code}/feed.atom"),
        "/area/city/feed.atom".to_owned(),
    ] {
        let (status, body) = get_text(server.url(&path)).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        for never in NEVER {
            assert!(!body.contains(never), "{path} shows {never:?}");
        }
    }
    let (_, page) = get_text(server.url(&format!("/case/{code}"))).await;
    assert!(
        page.contains("138-****-8000"),
        "the answer is shown, masked"
    );
    server.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn stalled_downloads_do_not_stall_the_site() {
    use tokio::io::AsyncWriteExt;
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    // Enough cases that an export cannot fit into the connection's buffers.
    server::tools::bench::seed_cases(&server.store, 100_000)
        .await
        .unwrap();
    let addr = server.running.addr;
    let mut stalled = Vec::new();
    for _ in 0..4 {
        let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
        tcp.write_all(
            b"GET /open-data/cases.csv?from=2023-11-01&to=2023-12-31 HTTP/1.1\r\nHost: x\r\n\r\n",
        )
        .await
        .unwrap();
        // Never read.
        stalled.push(tcp);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let prompt = |url: String| async move {
        tokio::time::timeout(Duration::from_secs(10), client().get(url).send())
            .await
            .expect("answered promptly")
            .unwrap()
            .status()
    };
    assert_eq!(prompt(server.url("/healthz")).await, StatusCode::OK);
    assert_eq!(
        prompt(server.url("/open-data/cases.csv?from=2023-11-01&to=2023-12-31")).await,
        StatusCode::SERVICE_UNAVAILABLE,
        "a fifth export waits for a place"
    );
    let filed = tokio::time::timeout(
        Duration::from_secs(20),
        file(&server, "B0101", "井盖丢失很危险", PUBLIC, &[]),
    )
    .await;
    assert!(filed.is_ok(), "a report is filed while the downloads stall");
    assert_eq!(
        prompt(server.url("/open-data/cases.csv?from=2020-01-01&to=2026-01-01")).await,
        StatusCode::BAD_REQUEST,
        "more than 366 days"
    );
    drop(stalled);
    server.stop().await;
    db.cleanup().await;
}

/// Opens the report form and files a report as a client at `ip` (behind the trusted proxy), with
/// an optional photo: the answer's status and whether it says when to retry.
async fn report_from(url: String, ip: String, photo: Option<Vec<u8>>) -> (StatusCode, bool) {
    let http = client();
    let (cookie, csrf, _) = common::visit_from(&http, &url, Some(&ip)).await;
    let mut form = common::multipart_form(
        &csrf,
        &[
            ("category", "B0101"),
            ("attribute[danger]", "open"),
            ("description", "井盖丢失很危险"),
            ("lat", "24.436"),
            ("lng", "118.072"),
            ("location_source", "map"),
        ],
    );
    if let Some(photo) = photo {
        let part = reqwest::multipart::Part::bytes(photo)
            .file_name("p.jpg")
            .mime_str("image/jpeg")
            .unwrap();
        form = form.part("photo", part);
    }
    let res = http
        .post(&url)
        .header("cookie", cookie)
        .header("x-forwarded-for", &ip)
        .multipart(form)
        .send()
        .await
        .unwrap();
    (res.status(), res.headers().contains_key("retry-after"))
}

const BEHIND_PROXY: [(&str, &str); 2] = [
    ("LINLI_TRUSTED_PROXIES", "127.0.0.1"),
    ("LINLI_CLIENT_IP_HEADER", "x-forwarded-for"),
];

#[tokio::test]
async fn limits_hold_under_a_burst_and_across_an_ipv6_64() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &BEHIND_PROXY).await;
    // Fifty at once from one address: exactly the ten the window allows are filed.
    let posts: Vec<_> = (0..50)
        .map(|_| {
            tokio::spawn(report_from(
                server.url("/report"),
                "198.51.100.7".into(),
                None,
            ))
        })
        .collect();
    let mut statuses = Vec::new();
    for p in posts {
        statuses.push(p.await.unwrap().0);
    }
    let filed = statuses
        .iter()
        .filter(|s| **s == StatusCode::SEE_OTHER)
        .count();
    let limited = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((filed, limited), (10, 40), "{statuses:?}");
    // One IPv6 subscriber line: different addresses of one /64 share the limit.
    for i in 0..11 {
        let ip = format!("2001:db8:5:6::{:x}", i + 1);
        let (status, _) = report_from(server.url("/report"), ip, None).await;
        let want = if i < 10 {
            StatusCode::SEE_OTHER
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        assert_eq!(status, want, "report {i} from the same /64");
    }
    server.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn a_wrong_csrf_is_refused_before_the_upload_is_read() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    let http = client();
    let (cookie, _, _) = visit(&http, &server.url("/report")).await;
    // The first field is a wrong token; the rest of the body never arrives.
    let head = "--XYZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nwrong\r\n--XYZ\r\n\
                Content-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\n\r\n";
    use futures_util::StreamExt;
    let stream = futures_util::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from(head))])
        .chain(futures_util::stream::pending());
    let res = tokio::time::timeout(
        Duration::from_secs(10),
        http.post(server.url("/report"))
            .header("cookie", cookie)
            .header("content-type", "multipart/form-data; boundary=XYZ")
            .body(reqwest::Body::wrap_stream(stream))
            .send(),
    )
    .await
    .expect("answered without waiting for the body")
    .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    server.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn parsers_reached_from_urls_answer_bad_input_without_a_5xx() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    let (status, _) = get_text(server.url("/api/v1/cases?category=B%E2%82%AC")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    for path in [
        "/api/v1/cases?category=S%E2%82%AC0",
        "/api/v1/cases?bbox=%E2%82%AC,1,2,3",
        "/api/v1/cases/B%E2%82%AC",
        "/case/%E2%82%AC%E2%82%AC",
        "/area/B%E2%82%AC/feed.atom",
        "/area/city/feed.atom?category=B%E2%82%AC",
        "/open311/v2/services/B%E2%82%AC.json",
        "/open311/v2/requests.json?service_code=B%E2%82%AC&start_date=%E2%82%AC",
        "/open-data/cases.csv?from=2026-%E2%82%AC",
        "/sorting?near=%E2%82%AC,1",
        "/sorting/community/%E2%82%AC",
        "/track?code=%E2%82%AC",
        "/board?month=2026-%E2%82%AC",
        "/map?bbox=%E2%82%AC",
    ] {
        let (status, _) = get_text(server.url(path)).await;
        assert!(status.as_u16() < 500, "{path}: {status}");
    }
    server.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn feeds_and_open311_stay_well_formed_xml_and_keep_their_own_host() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    let (code, _) = file(
        &server,
        "B0101",
        "井盖\u{FFFE}丢失\u{FFFF}很\u{FDD0}危险\u{1}\u{1FFFE}了",
        PUBLIC,
        &[],
    )
    .await;
    // A row stored before the rule existed still makes a well-formed document.
    sqlx::query("UPDATE cases SET address = $1 WHERE tracking_code = $2")
        .bind("中山路\u{FFFF}\u{B}12号")
        .bind(&code)
        .execute(server.store.pool())
        .await
        .unwrap();
    let id: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE tracking_code = $1")
        .bind(&code)
        .fetch_one(server.store.pool())
        .await
        .unwrap();
    let stored: String = sqlx::query_scalar("SELECT description FROM cases WHERE id = $1")
        .bind(id)
        .fetch_one(server.store.pool())
        .await
        .unwrap();
    assert_eq!(stored, "井盖丢失很危险了", "dropped at input");
    for path in [
        format!("/case/{code}/feed.atom"),
        "/area/city/feed.atom".to_owned(),
        format!("/open311/v2/requests/{code}.xml"),
        "/open311/v2/requests.xml".to_owned(),
        "/open311/v2/tokens/%EF%BF%BE.xml".to_owned(),
        "/open311/v2/services/%EF%BF%BF.xml".to_owned(),
    ] {
        let res = client()
            .get(server.url(&path))
            .header("host", "evil.example")
            .send()
            .await
            .unwrap();
        assert!(res.status().as_u16() < 500, "{path}");
        let xml = res.text().await.unwrap();
        if let Err(e) = roxmltree::Document::parse(&xml) {
            panic!("{path} is not well-formed XML: {e}\n{xml}");
        }
        assert!(
            !xml.contains("evil.example"),
            "{path} follows a forged Host"
        );
    }
    let (_, discovery) = {
        let res = client()
            .get(server.url("/open311/v2/discovery.json"))
            .header("host", "evil.example")
            .send()
            .await
            .unwrap();
        (res.status(), res.text().await.unwrap())
    };
    assert!(!discovery.contains("evil.example"), "{discovery}");
    assert!(discovery.contains(&server.base), "{discovery}");
    server.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn the_private_key_and_a_photos_position_never_travel_in_a_redirect() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    let http = client();
    let (cookie, csrf, _) = visit(&http, &server.url("/report")).await;
    let photo = reqwest::multipart::Part::bytes(jpeg_with_gps(64, 48))
        .file_name("p.jpg")
        .mime_str("image/jpeg")
        .unwrap();
    let form = common::multipart_form(
        &csrf,
        &[
            ("category", "B0101"),
            ("attribute[danger]", "open"),
            ("description", "井盖丢失很危险"),
            ("community", "350203001001"),
            ("address", "中山路 12 号"),
            ("location_source", "list"),
        ],
    )
    .part("photo", photo);
    let res = http
        .post(server.url("/report"))
        .header("cookie", &cookie)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(!location.contains("k="), "{location}");
    assert!(
        !location.contains("photo_lat") && !location.contains("24.5"),
        "{location}"
    );
    let key_cookie = common::case_key_cookie(&res)
        .expect("the key is kept in a cookie")
        .to_owned();
    assert!(key_cookie.contains("HttpOnly") && key_cookie.contains("Max-Age="));
    let key = key_cookie.split(';').next().unwrap().to_owned();
    // The success page still shows the private link and the photo's position.
    let page = http
        .get(server.url(&location))
        .header("cookie", format!("{cookie}; {key}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(r#"data-testid="private-link""#),
        "private link shown"
    );
    assert!(page.contains("24.5"), "the photo's position is offered");
    server.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn visitors_write_nothing_and_expired_sessions_go() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    let (code, _) = file(&server, "B0101", "井盖丢失很危险", PUBLIC, &[]).await;
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT CAST(COUNT(*) AS BIGINT) FROM sessions")
            .fetch_one(server.store.pool())
            .await
            .unwrap()
    };
    let before = count().await;
    for path in [
        "/",
        "/report",
        "/login",
        &format!("/case/{code}"),
        &format!("/case/{code}/feed.atom"),
    ] {
        for _ in 0..3 {
            let res = client().get(server.url(path)).send().await.unwrap();
            assert_eq!(res.status(), StatusCode::OK, "{path}");
        }
    }
    assert_eq!(count().await, before, "cookieless views stored no session");
    // A visitor's form still works: 我也遇到 with the token its page gave.
    common::me_too(&server, &code).await;
    // Signing in stores a session; an old one is purged.
    let mut resident = Browser::new(&server);
    resident.sign_in("13700000031").await;
    sqlx::query("UPDATE sessions SET last_seen_at = 0, created_at = 0")
        .execute(server.store.pool())
        .await
        .unwrap();
    let auth = server::account::signin::Auth::new(
        server.store.clone(),
        std::sync::Arc::new(server::account::signin::LogSender { demo: true }),
        true,
    );
    assert!(
        auth.sessions()
            .purge_expired(server::kernel::clock::now_ms())
            .await
            .unwrap()
            > 0
    );
    assert_eq!(count().await, 0);
    server.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn live_streams_are_capped_per_address() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    let mut open = Vec::new();
    for _ in 0..server::web::streams::MAX_STREAMS_PER_ADDRESS {
        let res = client()
            .get(server.url("/events/cases?areas=350203"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        open.push(res);
    }
    let refused = client()
        .get(server.url("/events/cases?areas=350203"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(refused.headers().contains_key("retry-after"));
    // Closing one frees its place.
    drop(open.pop());
    let mut again = StatusCode::SERVICE_UNAVAILABLE;
    // The server learns of it at its next keep-alive write (every 15 s).
    for _ in 0..300 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        again = client()
            .get(server.url("/events/cases?areas=350203"))
            .send()
            .await
            .unwrap()
            .status();
        if again == StatusCode::OK {
            break;
        }
    }
    assert_eq!(again, StatusCode::OK);
    drop(open);
    server.stop().await;
    db.cleanup().await;
}

#[test]
fn cookies_are_secure_unless_served_over_plain_http() {
    use server::kernel::config::default_secure_cookies;
    let public: std::net::SocketAddr = "0.0.0.0:3000".parse().unwrap();
    let local: std::net::SocketAddr = "127.0.0.1:3000".parse().unwrap();
    assert!(default_secure_cookies(
        Some("https://linli.example.cn"),
        local
    ));
    assert!(!default_secure_cookies(
        Some("http://linli.example.cn"),
        public
    ));
    assert!(default_secure_cookies(None, public));
    assert!(!default_secure_cookies(None, local));
}

#[tokio::test]
async fn a_burst_of_reservations_passes_exactly_the_window() {
    use server::kernel::rate::{Bucket, RateLimits};
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let store = db.open().await;
        let limits = RateLimits::new(store.clone());
        let now = server::kernel::clock::now_ms();
        let tries = (0..40).map(|i| {
            let limits = limits.clone();
            tokio::spawn(
                async move { limits.reserve(Bucket::ReportSubmit, "burst", now + i).await },
            )
        });
        let mut ok = 0;
        for t in tries.collect::<Vec<_>>() {
            if t.await.unwrap().is_ok() {
                ok += 1;
            }
        }
        assert_eq!(ok, 10, "{kind:?}");
        store.close().await;
        db.cleanup().await;
    }
}

/// Every text value in the store that contains `needle`, as "table: value".
async fn grep_store(store: &server::kernel::store::Store, needle: &str) -> Vec<String> {
    use sqlx::Row;
    let tables: Vec<String> = match store.backend() {
        server::kernel::store::Backend::Sqlite => sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        ),
        server::kernel::store::Backend::Postgres => sqlx::query_scalar(
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
        ),
    }
    .fetch_all(store.pool())
    .await
    .unwrap();
    let mut found = Vec::new();
    // sqlx's own bookkeeping holds the migrations' SQL, and types the Any driver cannot read.
    for table in tables.into_iter().filter(|t| !t.starts_with("_sqlx")) {
        let rows = sqlx::query(&format!("SELECT * FROM {table}"))
            .fetch_all(store.pool())
            .await
            .unwrap();
        for row in rows {
            for i in 0..row.len() {
                if let Ok(Some(v)) = row.try_get::<Option<String>, _>(i)
                    && v.contains(needle)
                {
                    found.push(format!("{table}: {v}"));
                }
            }
        }
    }
    found
}

#[tokio::test]
async fn deleting_an_account_leaves_its_phone_nowhere_in_the_store() {
    use domain::ports::{ConsultForm, ReportValues};
    use server::cases::{Cases, ReportSubmission};
    use server::consult::{Consultations, PhotoIntake};
    const PHONE: &str = "13700000088";
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let server = TestServer::start(&db, &[]).await;
        let store = server.store.clone();
        let now = server::kernel::clock::now_ms();
        // Signed in, and a second browser that typed the number and never finished.
        let mut person = Browser::new(&server);
        person.sign_in(PHONE).await;
        let mut other = Browser::new(&server);
        let csrf = other.csrf("/login").await;
        other
            .post("/login/code", &[("phone", PHONE), ("csrf", &csrf)])
            .await;
        let id_of = |sql: String| {
            let store = store.clone();
            async move {
                sqlx::query_scalar::<_, i64>(&sql)
                    .fetch_one(store.pool())
                    .await
                    .unwrap()
            }
        };
        let user_id = user(&store, PHONE).await;
        // Reports, one signed in and one anonymous, both with the phone; a follow-up.
        let cases = Cases::new(
            store.clone(),
            server::kernel::media::Media::local(db.media.path()).unwrap(),
        );
        let values = |anonymous: bool| ReportValues {
            category: "B0101".into(),
            answers: vec![("danger".into(), "open".into())],
            description: format!("井盖丢失，请回电 {PHONE}"),
            lat: "24.436".into(),
            lng: "118.072".into(),
            location_source: "map".into(),
            contact_phone: PHONE.into(),
            anonymous,
            ..Default::default()
        };
        let mine = cases
            .submit(
                ReportSubmission {
                    values: values(false),
                    ..Default::default()
                },
                Some(user_id),
                "10.1.1.1",
                now,
            )
            .await
            .unwrap();
        cases
            .submit(
                ReportSubmission {
                    values: values(true),
                    ..Default::default()
                },
                None,
                "10.1.1.1",
                now,
            )
            .await
            .unwrap();
        cases
            .add_comment(
                &mine.code.to_string(),
                None,
                Some(user_id),
                "还没修，电话 137 0000 0088",
                None,
                "10.1.1.1",
                now,
            )
            .await
            .unwrap();
        // A volunteer at a point, with a shift.
        sqlx::query(
            "INSERT INTO role_grants (user_id, role, territory_code, granted_at) VALUES ($1, 'volunteer', '350203001001', 0)",
        )
        .bind(user_id)
        .execute(store.pool())
        .await
        .unwrap();
        let point =
            id_of("SELECT id FROM collection_points WHERE name = '中山社区1号分类投放点'".into())
                .await;
        sqlx::query(
            "INSERT INTO point_volunteers (point_id, user_id, assigned_at) VALUES ($1, $2, 0)",
        )
        .bind(point)
        .bind(user_id)
        .execute(store.pool())
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO shifts (point_id, volunteer_id, day, start_minute, end_minute, households, \
             recyclable_ok, recyclable_bad, hazardous_ok, hazardous_bad, kitchen_ok, kitchen_bad, \
             other_ok, other_bad, created_at) VALUES ($1, $2, 20000, 420, 480, 10, 1, 0, 0, 0, 1, 0, 1, 0, 0)",
        )
        .bind(point)
        .bind(user_id)
        .execute(store.pool())
        .await
        .unwrap();
        // An owner on the roster who voted and commented.
        let council = user(&store, "+8613900000004").await;
        let consult = Consultations::new(store.clone(), cases.clone());
        let roster = format!(
            "楼栋,单元,房号,业主姓名,手机号,专有面积,开发商未售\n3,2,501,某业主,{PHONE},80.00,否\n3,2,502,邻居,13800000002,70.00,否\n"
        );
        consult
            .import_roster(council, "350203001001", roster.as_bytes(), now)
            .await
            .unwrap();
        let form = ConsultForm {
            community: "350203001001".into(),
            title: "小区停车方案".into(),
            body: "方案内容".into(),
            matter: "other".into(),
            scope_kind: "community".into(),
            question: "yesno".into(),
            comment_from: "2026-12-01".into(),
            vote_from: "2099-12-10".into(),
            vote_until: "2099-12-20".into(),
            ..Default::default()
        };
        let vote = consult
            .create(council, &form, PhotoIntake::default(), now)
            .await
            .unwrap();
        consult
            .advance(council, vote, domain::consult::Phase::Vote, now)
            .await
            .unwrap();
        consult.vote(user_id, vote, "0", now).await.unwrap();
        consult
            .comment(
                user_id,
                vote,
                None,
                "support",
                &format!("同意，有事打 {PHONE}"),
                now,
            )
            .await
            .unwrap();
        let tally_before = consult.result(vote).await.unwrap().tally;
        assert!(
            !grep_store(&store, PHONE).await.is_empty(),
            "the phone was stored"
        );

        assert!(
            server::account::privacy::Privacy::new(store.clone())
                .delete_account(user_id, "10.1.1.1", now)
                .await
                .unwrap()
        );
        let left = grep_store(&store, PHONE).await;
        assert!(left.is_empty(), "{kind:?}: {left:#?}");
        assert_eq!(
            consult.result(vote).await.unwrap().tally,
            tally_before,
            "the tally stands"
        );
        // The point's editor still opens for its council.
        let sorting = server::sorting::Sorting::new(store.clone());
        assert!(
            sorting
                .point_editor(&point.to_string(), "", council)
                .await
                .unwrap()
                .is_some()
        );
        server.stop().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn moderators_hide_follow_ups_and_councils_hide_issue_photos() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    let (code, res) = file(&server, "B0101", "井盖丢失很危险", PUBLIC, &[]).await;
    let key = common::case_key_cookie(&res)
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let cases = server::cases::Cases::new(
        server.store.clone(),
        server::kernel::media::Media::local(db.media.path()).unwrap(),
    );
    let follow_key = key.split('~').nth(1).unwrap().to_owned();
    cases
        .add_comment(
            &code,
            Some(&follow_key),
            None,
            "又掉了一块，太危险了",
            Some(jpeg_with_gps(64, 48)),
            "10.2.2.2",
            server::kernel::clock::now_ms(),
        )
        .await
        .unwrap();
    let (_, page) = get_text(server.url(&format!("/case/{code}"))).await;
    assert!(page.contains("又掉了一块"));
    let photo = page
        .split(r#"src="/media/"#)
        .find(|p| p.starts_with("cases/"))
        .and_then(|p| p.split('"').next())
        .map(|p| format!("/media/{p}"))
        .expect("the follow-up's photo");
    let comment: i64 = sqlx::query_scalar("SELECT id FROM case_comments")
        .fetch_one(server.store.pool())
        .await
        .unwrap();
    // Someone signed in with `phone` asks to hide or show the follow-up.
    let moderate = |phone: &'static str, action: &'static str| {
        let (server, code) = (&server, &code);
        async move {
            let mut who = Browser::new(server);
            who.sign_in(phone).await;
            let csrf = who.csrf(&format!("/case/{code}")).await;
            who.post(
                &format!("/case/{code}/moderate"),
                &[
                    ("csrf", csrf.as_str()),
                    ("action", action),
                    ("comment", &comment.to_string()),
                ],
            )
            .await
            .status()
        }
    };
    assert_eq!(
        moderate("13900000005", "hide_comment").await,
        StatusCode::SEE_OTHER
    );
    let (_, page) = get_text(server.url(&format!("/case/{code}"))).await;
    assert!(!page.contains("又掉了一块"), "hidden from the public");
    let (status, _) = get_text(server.url(&photo)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "its photo too");
    // A resident cannot.
    assert_eq!(
        moderate("13900000001", "show_comment").await,
        StatusCode::FORBIDDEN
    );

    // A volunteer's issue photo: the council hides it and it answers 404.
    let shifts = server::sorting::shifts::Shifts::new(server.store.clone(), cases.clone());
    let volunteer = user(&server.store, "+8613900000003").await;
    let point: i64 =
        sqlx::query_scalar("SELECT id FROM collection_points WHERE name = '中山社区1号分类投放点'")
            .fetch_one(server.store.pool())
            .await
            .unwrap();
    let now = server::kernel::clock::now_ms();
    let today = domain::calendar::Date::of_china_time(now).to_string();
    let draft = domain::ports::ShiftDraft {
        point: point.to_string(),
        date: today,
        start: "00:00".into(),
        end: "00:01".into(),
        households: "1".into(),
        counts: ["1", "0", "", "", "", "", "", ""]
            .map(String::from)
            .to_vec(),
        reason: "夜间巡查".into(),
        issue_kind: "overflowing".into(),
        issue_note: "桶满了".into(),
        ..Default::default()
    };
    shifts
        .log(
            volunteer,
            &draft,
            server::kernel::photo_desk::PhotoIntake {
                files: vec![jpeg_with_gps(64, 48)],
                problems: Vec::new(),
            },
            now,
        )
        .await
        .unwrap();
    let (issue, key): (i64, String) =
        sqlx::query_as("SELECT issue_id, full_key FROM shift_issue_photos")
            .fetch_one(server.store.pool())
            .await
            .unwrap();
    let (status, _) = get_text(server.url(&format!("/media/{key}"))).await;
    assert_eq!(status, StatusCode::OK);
    let mut council = Browser::new(&server);
    council.sign_in("13900000004").await;
    let csrf = council.csrf("/sorting/community/350203001001").await;
    let res = council
        .post(
            &format!("/sorting/issue/{issue}/photos"),
            &[("csrf", csrf.as_str()), ("action", "hide")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, _) = get_text(server.url(&format!("/media/{key}"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    server.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn a_revoked_volunteer_logs_no_shift() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let store = db.open().await;
        server::tools::seed::seed(&store).await.unwrap();
        let cases = server::cases::Cases::new(
            store.clone(),
            server::kernel::media::Media::local(db.media.path()).unwrap(),
        );
        let shifts = server::sorting::shifts::Shifts::new(store.clone(), cases);
        let volunteer = user(&store, "+8613900000003").await;
        let point: i64 = sqlx::query_scalar(
            "SELECT id FROM collection_points WHERE name = '中山社区1号分类投放点'",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        let now = domain::calendar::Date::new(2026, 11, 30)
            .unwrap()
            .china_ms(10 * 60);
        let draft = |start: &str, end: &str| domain::ports::ShiftDraft {
            point: point.to_string(),
            date: "2026-11-30".into(),
            start: start.into(),
            end: end.into(),
            households: "10".into(),
            counts: ["5", "1", "", "", "", "", "", ""]
                .map(String::from)
                .to_vec(),
            ..Default::default()
        };
        shifts
            .log(volunteer, &draft("07:00", "07:30"), Default::default(), now)
            .await
            .unwrap();
        sqlx::query(
            "UPDATE role_grants SET revoked_at = 1 WHERE user_id = $1 AND role = 'volunteer'",
        )
        .bind(volunteer)
        .execute(store.pool())
        .await
        .unwrap();
        match shifts
            .log(volunteer, &draft("07:30", "08:00"), Default::default(), now)
            .await
        {
            Err(server::sorting::shifts::ShiftError::Refused(p)) => {
                assert_eq!(
                    p,
                    [domain::ports::ShiftFormProblem::NotAssigned],
                    "{kind:?}"
                )
            }
            other => panic!("{kind:?}: expected a refusal, got {other:?}"),
        }
        store.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn wrong_sign_in_codes_have_a_daily_cap_per_phone() {
    use server::account::signin::{Auth, AuthError, LogSender};
    let db = TestDb::new(Kind::Sqlite).await;
    let store = db.open().await;
    let auth = Auth::new(
        store.clone(),
        std::sync::Arc::new(LogSender { demo: true }),
        true,
    );
    let t0 = 1_796_000_000_000;
    let mut wrong = 0;
    // Four codes, five wrong tries each from one address: twenty wrong in all.
    for n in 0..4 {
        let at = t0 + n * 61_000;
        let code = auth
            .request_code("13700000077", "10.3.3.3", at)
            .await
            .unwrap()
            .demo_code
            .unwrap();
        let bad = format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000);
        for _ in 0..5 {
            match auth
                .verify_code_from("13700000077", &bad, "10.3.3.3", at + 1)
                .await
            {
                Err(AuthError::Code(domain::account::otp::CodeError::Wrong { .. })) => wrong += 1,
                Err(AuthError::Code(domain::account::otp::CodeError::Locked)) => {}
                other => panic!("{other:?}"),
            }
        }
    }
    assert_eq!(
        wrong, 16,
        "four wrong per code are told how many are left; the fifth locks it"
    );
    // From that address no code, even the right one, is compared for the rest of the day...
    let at = t0 + 10 * 60_000;
    let code = auth
        .request_code("13700000077", "10.3.3.3", at)
        .await
        .unwrap()
        .demo_code
        .unwrap();
    let r = auth
        .verify_code_from("13700000077", &code, "10.3.3.3", at + 1)
        .await;
    assert!(matches!(r, Err(AuthError::DailyCap(_))), "{r:?}");
    // ...but the owner, elsewhere, is not locked out by a stranger's tries.
    assert!(
        auth.verify_code_from("13700000077", &code, "10.4.4.4", at + 2)
            .await
            .is_ok()
    );
    // A day later the address may try again.
    let later = t0 + 25 * 3600 * 1000;
    let code = auth
        .request_code("13700000077", "10.3.3.3", later)
        .await
        .unwrap()
        .demo_code
        .unwrap();
    assert!(
        auth.verify_code_from("13700000077", &code, "10.3.3.3", later + 1)
            .await
            .is_ok()
    );
    store.close().await;
    db.cleanup().await;
}

#[tokio::test]
async fn a_full_photo_queue_answers_503_with_retry_after() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &BEHIND_PROXY).await;
    let photo = jpeg_with_gps(2000, 2000);
    let posts: Vec<_> = (0..30)
        .map(|i| {
            let ip = format!("198.51.100.{}", i + 10);
            tokio::spawn(report_from(server.url("/report"), ip, Some(photo.clone())))
        })
        .collect();
    let mut answers = Vec::new();
    for p in posts {
        answers.push(p.await.unwrap());
    }
    let busy: Vec<_> = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::SERVICE_UNAVAILABLE)
        .collect();
    assert!(!busy.is_empty(), "{answers:?}");
    assert!(
        busy.iter().all(|(_, retry)| *retry),
        "503s say when to retry"
    );
    assert!(
        answers
            .iter()
            .all(|(s, _)| *s == StatusCode::SEE_OTHER || *s == StatusCode::SERVICE_UNAVAILABLE),
        "{answers:?}"
    );
    let filed: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM cases")
        .fetch_one(server.store.pool())
        .await
        .unwrap();
    let accepted = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::SEE_OTHER)
        .count();
    assert_eq!(
        filed as usize, accepted,
        "a refused report left nothing behind"
    );
    server.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn thirty_neighbours_at_once_get_no_server_error() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let server = TestServer::start(&db, &BEHIND_PROXY).await;
        let (code, _) = file(&server, "B0101", "井盖丢失很危险", PUBLIC, &[]).await;
        // Thirty different visitors press 我也遇到 at the same moment, while reports are filed.
        let presses: Vec<_> = (0..30)
            .map(|i| {
                let (page, post) = (
                    server.url(&format!("/case/{code}")),
                    server.url(&format!("/case/{code}/me-too")),
                );
                tokio::spawn(async move {
                    let http = client();
                    let ip = format!("203.0.113.{}", i + 1);
                    let (cookie, csrf, _) = common::visit_from(&http, &page, Some(&ip)).await;
                    http.post(&post)
                        .header("cookie", cookie)
                        .header("x-forwarded-for", &ip)
                        .form(&[("csrf", csrf.as_str())])
                        .send()
                        .await
                        .unwrap()
                        .status()
                })
            })
            .chain((0..10).map(|i| {
                let (url, ip) = (server.url("/report"), format!("203.0.114.{}", i + 1));
                tokio::spawn(async move { report_from(url, ip, None).await.0 })
            }))
            .collect();
        let mut statuses = Vec::new();
        for p in presses {
            statuses.push(p.await.unwrap());
        }
        assert!(
            statuses.iter().all(|s| !s.is_server_error()),
            "{kind:?}: {statuses:?}"
        );
        let count: i64 =
            sqlx::query_scalar("SELECT me_too_count FROM cases WHERE tracking_code = $1")
                .bind(&code)
                .fetch_one(server.store.pool())
                .await
                .unwrap();
        assert_eq!(count, 30, "{kind:?}: every press counted once");
        server.stop().await;
        db.cleanup().await;
    }
}
