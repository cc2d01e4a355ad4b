//! The web layer's promises, over real HTTP: every form post is refused without its session's CSRF
//! token (no handler can forget the check), a failure shows a generic message in the reader's
//! language and never the store's text, and refusals keep only the reader's language once known.

use crate::common::{Browser, Kind, TestDb, TestServer, client};
use reqwest::StatusCode;

/// Every form post the portal takes, one path each (ids and codes need not exist: the token is
/// checked before anything is looked up), and whether it is a multipart form.
const POSTS: &[(&str, bool)] = &[
    ("/login/code", false),
    ("/login/verify", false),
    ("/login/restart", false),
    ("/logout", false),
    ("/me/delete", false),
    ("/admin/grant", false),
    ("/admin/revoke", false),
    ("/admin/calendar", true),
    ("/admin/keys", false),
    ("/report", true),
    ("/case/XM-2026-000001", true),
    ("/case/XM-2026-000001/me-too", false),
    ("/case/XM-2026-000001/moderate", false),
    ("/case/XM-2026-000001/rate", false),
    ("/case/XM-2026-000001/follow", false),
    ("/area/350203001001/follow", false),
    ("/staff/case/XM-2026-000001", true),
    ("/consult/new", true),
    ("/consult/roster", true),
    ("/consult/1", true),
    ("/sorting/shift", true),
    ("/sorting/survey", false),
    ("/sorting/issue/1/fixed", false),
    ("/sorting/issue/1/case", false),
    ("/sorting/issue/1/photos", false),
    ("/sorting/point", false),
];

#[tokio::test]
async fn every_form_post_needs_its_sessions_token() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    let mut signed_in = Browser::new(&server);
    signed_in.sign_in("13900000077").await;
    let _ = signed_in.csrf("/me").await;
    for &(path, multipart) in POSTS {
        // No session at all: a cross-site post without our cookie.
        let res = client()
            .post(server.url(path))
            .form(&[("csrf", "0000")])
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            StatusCode::FORBIDDEN,
            "{path} without a session"
        );
        // A signed-in session with a wrong token, in the form's own encoding.
        let res = if multipart {
            let form = reqwest::multipart::Form::new()
                .text("csrf", "not-the-token")
                .text("description", "一个不该被保存的表单");
            signed_in.post_multipart(path, form).await
        } else {
            signed_in.post(path, &[("csrf", "not-the-token")]).await
        };
        assert_eq!(
            res.status(),
            StatusCode::FORBIDDEN,
            "{path} with a wrong token"
        );
    }
    server.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn a_failure_shows_a_generic_message_in_the_readers_language() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    let mut b = Browser::new(&server);
    b.sign_in("13900000078").await;
    let csrf = b.csrf("/me").await;
    // The store fails under the handler: the follows table is gone.
    sqlx::query("DROP TABLE area_followers")
        .execute(server.store.pool())
        .await
        .unwrap();
    let res = b
        .post(
            "/area/350203001001/follow",
            &[("csrf", &csrf), ("on", "1"), ("back", "/")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let text = res.text().await.unwrap();
    assert!(
        text.contains("服务暂时不可用") && text.contains("unavailable"),
        "{text}"
    );
    assert!(
        !text.to_lowercase().contains("table"),
        "no store text: {text}"
    );

    // Once the reader chose English, only English.
    let with_lang = |lang: &str| {
        client()
            .get(server.url("/prefs?lang=fr"))
            .header("cookie", format!("linli_lang={lang}"))
            .send()
    };
    let res = with_lang("en").await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let text = res.text().await.unwrap();
    assert_eq!(text.trim(), "Unknown language: choose zh-CN or en.");
    let res = with_lang("zh-CN").await.unwrap();
    assert_eq!(
        res.text().await.unwrap().trim(),
        "未知的语言，可选 zh-CN 或 en。"
    );
    // A reader who never chose sees both.
    let res = client()
        .get(server.url("/prefs?lang=fr"))
        .send()
        .await
        .unwrap();
    let text = res.text().await.unwrap();
    assert!(text.contains("未知的语言") && text.contains("Unknown language"));
    server.stop().await;
    db.cleanup().await;
}
