//! The sign-in flow over real HTTP: plain form posts, cookies, CSRF, session rotation, logout,
//! and the staff area's refusal of non-staff.

use crate::common::{Browser, Kind, TestDb, TestServer, attr, client};
use reqwest::StatusCode;

#[tokio::test]
async fn sign_in_rotates_the_session_and_logout_ends_it() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    let mut b = Browser::new(&server);
    let (status, html) = b.get("/login").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"action="/login/code""#));
    let visitor = b.session.clone().expect("visitor session cookie");

    b.sign_in("139 0000 0001").await;
    let signed_in = b.session.clone().unwrap();
    assert_ne!(signed_in, visitor, "session id must change at sign-in");
    let (_, me) = b.get("/me").await;
    assert!(me.contains("已登录：139****0001"), "{me}");
    assert!(!me.contains("13900000001"), "full number shown");

    // The pre-sign-in token is worth nothing now.
    let mut attacker = Browser {
        server: &server,
        session: Some(visitor),
    };
    let (_, me) = attacker.get("/me").await;
    assert!(!me.contains("已登录"));

    let csrf = b.csrf("/me").await;
    let res = b.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(b.session, None, "cookie cleared");
    let mut replay = Browser {
        server: &server,
        session: Some(signed_in),
    };
    let (_, me) = replay.get("/me").await;
    assert!(!me.contains("已登录"), "session ended on the server too");
    server.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn forged_or_missing_csrf_tokens_are_refused() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    let mut b = Browser::new(&server);
    let csrf = b.csrf("/login").await;
    for bad in ["", "0000", &csrf[..csrf.len() - 1]] {
        let res = b
            .post("/login/code", &[("phone", "13900000001"), ("csrf", bad)])
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "csrf {bad:?}");
        assert!(res.text().await.unwrap().contains("This form has expired"));
    }
    // No session at all (a cross-site post without our cookie).
    let res = client()
        .post(server.url("/logout"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // Nothing was sent on any refused request.
    let n: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM login_codes")
        .fetch_one(server.store.pool())
        .await
        .unwrap();
    assert_eq!(n, 0);
    server.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn tampered_cookies_find_no_session_and_do_no_harm() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    let mut b = Browser::new(&server);
    b.sign_in("13900000001").await;
    let good = b.session.clone().unwrap();
    let flipped = format!(
        "{}{}",
        &good[..63],
        if good.ends_with('0') { '1' } else { '0' }
    );
    for forged in [
        flipped.as_str(),
        "zzz",
        "",
        "'; DROP TABLE sessions; --",
        &"f".repeat(5000),
    ] {
        let res = client()
            .get(server.url("/me"))
            .header("Cookie", format!("linli_session={forged}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{forged:.20}");
        assert!(!res.text().await.unwrap().contains("已登录"));
    }
    let (_, me) = b.get("/me").await;
    assert!(me.contains("已登录"), "the real session is untouched");
    server.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn wrong_codes_and_bad_numbers_come_back_as_clear_messages() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    let mut b = Browser::new(&server);
    let csrf = b.csrf("/login").await;
    let res = b
        .post("/login/code", &[("phone", "12345"), ("csrf", &csrf)])
        .await;
    assert_eq!(res.headers()["location"], "/login?error=phone");
    let (_, html) = b.get("/login?error=phone").await;
    assert!(html.contains("手机号格式不对"), "{html}");

    b.post("/login/code", &[("phone", "13900000002"), ("csrf", &csrf)])
        .await;
    let (_, html) = b.get("/login").await;
    let code = attr(&html, r#"data-code=""#).unwrap().to_owned();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let res = b
        .post("/login/verify", &[("code", wrong), ("csrf", &csrf)])
        .await;
    assert_eq!(res.headers()["location"], "/login?error=wrong&left=4");
    let res = b
        .post("/login/code", &[("phone", ""), ("csrf", &csrf)])
        .await;
    assert_eq!(res.status(), 429, "a resend within the minute is limited");
    assert!(res.headers().contains_key("retry-after"));
    let html = res.text().await.unwrap();
    assert!(html.contains("发送太频繁了"), "{html}");
    let res = b
        .post("/login/verify", &[("code", "12ab56"), ("csrf", &csrf)])
        .await;
    assert_eq!(res.headers()["location"], "/login?error=format");
    server.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn the_staff_area_admits_staff_and_refuses_others_with_403() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    let (status, html) = Browser::new(&server).get("/staff").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("请先登录工作人员账号"));

    let mut resident = Browser::new(&server);
    resident.sign_in("13900000001").await;
    let (status, html) = resident.get("/staff").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("工作台仅限城市管理工作人员使用"));

    let mut operator = Browser::new(&server);
    operator.sign_in("13900000005").await;
    let (status, html) = operator.get("/staff").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("城市管理工作台"));
    let (_, me) = operator.get("/me").await;
    assert!(me.contains(r#"data-role="operator""#), "{me}");

    let mut chief = Browser::new(&server);
    chief.sign_in("13900000010").await;
    let (_, me) = chief.get("/me").await;
    assert!(
        me.contains("中山社区第1网格"),
        "grid chief sees the grid's name: {me}"
    );
    server.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn the_session_cookie_is_http_only_lax_and_secure_when_configured() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[("LINLI_SECURE_COOKIES", "true")]).await;
    let res = client().get(server.url("/login")).send().await.unwrap();
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Secure"),
        "{cookie}"
    );
    server.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn signing_in_returns_to_the_page_that_asked_and_never_to_another_site() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    // A page that needs an account links to the sign-in page with itself as `next`.
    let (_, ballot) = Browser::new(&server).get("/consult/1").await;
    assert!(
        ballot.contains(r#"href="/login?next=/consult/1""#),
        "{ballot}"
    );
    // A download that needs an account sends a visitor there too.
    let res = client()
        .get(server.url("/me/export.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/login?next=/me/export.json");

    let mut b = Browser::new(&server);
    let (_, login) = b.get("/login?next=/consult/1").await;
    assert!(
        login.contains(r#"action="/login/code?next=/consult/1""#),
        "{login}"
    );
    assert!(login.contains(r#"data-testid="returns-to""#));
    let csrf = attr(&login, r#"name="csrf" value=""#).unwrap().to_owned();
    // A refused step keeps the return page along with its message.
    let res = b
        .post(
            "/login/code?next=/consult/1",
            &[("phone", "12345"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(
        res.headers()["location"],
        "/login?next=/consult/1&error=phone"
    );
    let res = b
        .post(
            "/login/code?next=/consult/1",
            &[("phone", "13900000007"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(res.headers()["location"], "/login?next=/consult/1");
    let (_, html) = b.get("/login?next=/consult/1").await;
    assert!(html.contains(r#"action="/login/verify?next=/consult/1""#));
    let code = attr(&html, r#"data-code=""#).unwrap().to_owned();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let res = b
        .post(
            "/login/verify?next=/consult/1",
            &[("code", wrong), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(
        res.headers()["location"],
        "/login?next=/consult/1&error=wrong&left=4"
    );
    let res = b
        .post(
            "/login/verify?next=/consult/1",
            &[("code", &code), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/consult/1");

    // Another site, a scheme-relative address or the sign-in page itself: back to 我的 instead.
    let evil = [
        "https://evil.example/",
        "//evil.example/",
        "/%5Cevil.example",
        "/login",
    ];
    for (i, evil) in evil.into_iter().enumerate() {
        let mut b = Browser::new(&server);
        let csrf = b.csrf("/login").await;
        let path = format!("/login/code?next={evil}");
        let phone = format!("1390000002{i}");
        b.post(&path, &[("phone", &phone), ("csrf", &csrf)]).await;
        let (_, html) = b.get("/login").await;
        assert!(!html.contains("evil.example"), "{evil}");
        let code = attr(&html, r#"data-code=""#).unwrap().to_owned();
        let path = format!("/login/verify?next={evil}");
        let res = b.post(&path, &[("code", &code), ("csrf", &csrf)]).await;
        assert_eq!(res.headers()["location"], "/me", "{evil}");
    }
    server.stop().await;
    db.cleanup().await;
}
