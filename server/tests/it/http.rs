//! The real server on a real port: pages, headers, compression, limits, errors, shutdown.

use crate::common::{BACKENDS, Kind, TestDb, TestServer, client};
use reqwest::StatusCode;

#[tokio::test]
async fn home_page_shows_store_figures_in_chinese_by_default_on_both_backends() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let server = TestServer::start(&db, &[]).await;
        let res = client().get(server.url("/")).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let html = res.text().await.unwrap();
        assert!(html.contains(r#"<html lang="zh-CN""#), "{kind:?}");
        assert!(html.contains("我们的城市"));
        // The numbers are read from the seeded store, rendered server-side.
        assert!(
            html.contains(r#"data-stat="grids"><span class="stat-number">96<"#),
            "{html}"
        );
        assert!(html.contains(r#"data-stat="districts"><span class="stat-number">6<"#));
        server.stop().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn pages_follow_the_language_and_text_size_cookies() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    let html = client()
        .get(server.url("/map"))
        .header("Cookie", "linli_lang=en; linli_text=large")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(r#"<html lang="en" class="large-text">"#),
        "{html}"
    );
    assert!(html.contains("City grid map"));
    assert!(html.contains("Siming District"));
    assert!(
        !html.contains("城市网格地图"),
        "Chinese heading leaked into English page"
    );
    server.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn every_nav_page_renders_and_unknown_routes_get_a_localised_404() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    for path in [
        "/", "/map", "/report", "/track", "/consult", "/sorting", "/me",
    ] {
        let res = client().get(server.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let html = res.text().await.unwrap();
        assert!(html.contains("<main"), "{path}");
        assert!(!html.contains("页面不存在"), "{path} rendered the 404 page");
    }
    let res = client()
        .get(server.url("/no/such/page"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().await.unwrap().contains("页面不存在"));
    let res = client()
        .get(server.url("/no/such/page"))
        .header("Cookie", "linli_lang=en")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().await.unwrap().contains("Page not found"));
    server.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn report_page_lists_categories_with_department_and_time_limit() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    let html = client()
        .get(server.url("/report"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"data-code="B0101""#));
    assert!(html.contains("井盖缺失或破损"));
    assert!(html.contains("2 个工作时"));
    assert!(html.contains("15 个自然日"), "僵尸车 limit shown");
    server.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn security_and_cache_headers_are_set() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[("LINLI_TILES", "osm")]).await;
    let res = client().get(server.url("/")).send().await.unwrap();
    let h = res.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self' 'nonce-"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(
        csp.contains("img-src 'self' data: blob: https://tile.openstreetmap.org"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "same-origin");
    assert_eq!(h["cache-control"], "private, no-cache");
    // The nonce in the header is the one on the page's inline script, and it changes per request.
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap()
        .to_owned();
    let html = res.text().await.unwrap();
    assert!(html.contains(&format!(r#"nonce="{nonce}""#)));
    let again = client().get(server.url("/")).send().await.unwrap();
    assert!(
        !again.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains(&nonce)
    );

    let health = client().get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(
        health.headers()["content-security-policy"],
        "default-src 'none'; frame-ancestors 'none'"
    );
    server.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn responses_are_compressed_when_the_client_accepts_it() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    for (accept, expected) in [("br", "br"), ("gzip", "gzip")] {
        let res = client()
            .get(server.url("/report"))
            .header("Accept-Encoding", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["content-encoding"], expected);
        let compressed = res.bytes().await.unwrap().len();
        let plain = client()
            .get(server.url("/report"))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .len();
        assert!(
            compressed * 2 < plain,
            "{accept}: {compressed} vs {plain} bytes"
        );
    }
    server.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[("LINLI_BODY_LIMIT_MB", "1")]).await;
    let body = vec![b'a'; 2 * 1024 * 1024];
    let res = client()
        .post(server.url("/fn/anything"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    server.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn prefs_links_set_cookies_and_refuse_bad_values_and_foreign_redirects() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    let res = client()
        .get(server.url("/prefs?lang=en&back=/map%3Fa%3D1"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/map?a=1");
    let cookie = res.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with("linli_lang=en;") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    let res = client()
        .get(server.url("/prefs?text=large&back=//evil.example"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/");

    for bad in ["/prefs?lang=fr", "/prefs?text=huge", "/prefs"] {
        let res = client().get(server.url(bad)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{bad}");
        let text = res.text().await.unwrap();
        assert!(text.lines().count() == 2, "both languages: {text}");
    }
    server.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn health_reports_the_database_and_turns_503_when_it_goes_away() {
    let db = TestDb::new(Kind::Postgres).await;
    let server = TestServer::start(&db, &[]).await;
    let res = client().get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap()["database"],
        "ok"
    );
    // Take the database away under the running server.
    let name = db.url.rsplit('/').next().unwrap().to_owned();
    {
        use sqlx::Connection;
        let admin = std::env::var("LINLI_TEST_PG_URL")
            .unwrap_or_else(|_| crate::common::DEFAULT_PG_ADMIN_URL.into());
        let mut conn = sqlx::AnyConnection::connect(&admin).await.unwrap();
        sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    let res = client().get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    // Pages degrade to a message rather than a panic.
    let res = client().get(server.url("/")).send().await.unwrap();
    assert!(res.status().is_success() || res.status().is_server_error());
    let html = res.text().await.unwrap();
    assert!(html.contains("暂时无法读取数据"), "{html}");
    server.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn graceful_shutdown_finishes_and_frees_the_port() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    let addr = server.running.addr;
    let _ = server.running.shutdown.send(());
    let result =
        tokio::time::timeout(std::time::Duration::from_secs(10), server.running.task).await;
    assert!(
        matches!(result, Ok(Ok(Ok(())))),
        "server did not stop cleanly"
    );
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "still listening"
    );
    db.cleanup().await;
}

#[tokio::test]
async fn the_islands_gets_answer_json_and_refuse_bad_arguments_with_400() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    let http = client();
    let get = |path: &str| http.get(server.url(path)).send();
    // The city map's clusters for a view, and the list of the same view rendered by the server.
    let view = "bbox=117.9,24.3,118.4,24.7&zoom=12&category=&state=all";
    let res = get(&format!("/fn/clusters?{view}")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let clusters: serde_json::Value = res.json().await.unwrap();
    assert!(clusters.is_array(), "{clusters}");
    let html = get(&format!("/map?{view}"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("地图范围内的案件"), "the list is of the view");
    let res = get("/fn/nearby?category=S0101&lat=24.45&lng=118.08")
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.json::<serde_json::Value>().await.unwrap().is_array());
    for bad in [
        "/fn/clusters?bbox=junk&zoom=12",
        "/fn/clusters?bbox=117.9,24.3,118.4,24.7&zoom=99",
        "/fn/clusters",
        "/fn/nearby?category=S0101&lat=abc&lng=118.08",
        "/fn/nearby?category=S0101&lat=95&lng=118.08",
        "/fn/nearby",
    ] {
        assert_eq!(
            get(bad).await.unwrap().status(),
            StatusCode::BAD_REQUEST,
            "{bad}"
        );
    }
    server.stop().await;
    db.cleanup().await;
}
