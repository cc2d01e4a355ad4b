//! Consultation pages and form posts over real HTTP: the public pages never show owners' names or
//! phones, posts need a signed-in council member (or owner), refusals come back on the same page
//! with a 422, and a good post redirects.

use crate::common::{Browser, Kind, TestDb, TestServer, multipart_form};
use reqwest::StatusCode;
use reqwest::multipart::Part;

#[tokio::test]
async fn consultation_pages_and_posts_over_http() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    let mut visitor = Browser::new(&server);

    // The demo's published elevator vote: every figure, the units that voted, and no owner data.
    let (status, html) = visitor.get("/consult/2").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("结果公示"), "phase shown");
    assert!(html.contains(r#"data-testid="result-table""#));
    assert!(html.contains("2栋1单元101"), "units that voted are listed");
    for private in ["业主2111", "13500002111", "135****2111", "厦门某置业"] {
        assert!(
            !html.contains(private),
            "{private} leaked into a public page"
        );
    }
    let (status, _) = visitor.get("/consult/999").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "an SPA page that says there is no such consultation"
    );

    // Not signed in: refused. A resident cannot import a roster.
    let res = visitor
        .post_multipart(
            "/consult/1",
            multipart_form("", &[("op", "vote"), ("choice", "0")]),
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let mut resident = Browser::new(&server);
    resident.sign_in("13900000001").await;
    let csrf = resident.csrf("/me").await;
    let roster = multipart_form(&csrf, &[("community", "350203001001")]).part(
        "roster",
        Part::bytes(
            "楼栋,单元,房号,业主姓名,手机号,专有面积,开发商未售\n8,1,101,甲,,50,否\n"
                .as_bytes()
                .to_vec(),
        )
        .file_name("r.csv"),
    );
    let res = resident.post_multipart("/consult/roster", roster).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // The resident is not an owner: the vote is refused on the same page, in their language.
    let res = resident
        .post_multipart(
            "/consult/1",
            multipart_form(&csrf, &[("op", "vote"), ("choice", "0")]),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("你的手机号不在本社区业主名册中"));
    // An unknown operation.
    let res = resident
        .post_multipart("/consult/1", multipart_form(&csrf, &[("op", "explode")]))
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);

    // The council: a non-UTF-8 roster is refused with what to do; publishing an open vote too.
    let mut council = Browser::new(&server);
    council.sign_in("13900000004").await;
    let csrf = council.csrf("/consult/roster").await;
    let gbk = multipart_form(&csrf, &[("community", "350203001001")]).part(
        "roster",
        Part::bytes(vec![0xC2, 0xA5, 0xB6, 0xB0, b',', b'\n']).file_name("r.csv"),
    );
    let res = council.post_multipart("/consult/roster", gbk).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("CSV UTF-8"));
    let res = council
        .post_multipart(
            "/consult/1",
            multipart_form(&csrf, &[("op", "phase"), ("to", "published")]),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("表决结束后才能公示结果"));
    // The demo owner votes; the answer is a redirect back to the ballot.
    let mut owner = Browser::new(&server);
    owner.sign_in("13900000002").await;
    let csrf = owner.csrf("/consult/1").await;
    let res = owner
        .post_multipart(
            "/consult/1",
            multipart_form(&csrf, &[("op", "vote"), ("choice", "abstain")]),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/consult/1?done=vote#vote");
    let (_, html) = owner.get("/consult/1").await;
    assert!(html.contains("你的投票：弃权"));
    server.stop().await;
    db.cleanup().await;
}
