//! Live updates across app servers on PostgreSQL: a change made through one server reaches the
//! live pages (SSE) of another server on the same database, through LISTEN/NOTIFY.

use crate::common;
use crate::common::{Kind, TestDb, TestServer, client};

#[tokio::test]
async fn a_change_through_one_server_reaches_live_pages_on_another() {
    let db = TestDb::new(Kind::Postgres).await;
    let a = TestServer::start(&db, &[]).await;
    let b = TestServer::start(&db, &[]).await;
    let http = client();
    // A resident files a report through server A.
    let (cookie, csrf, _) = common::visit(&http, &a.url("/report")).await;
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .text("category", "B0101")
        .text("attribute[danger]", "open")
        .text("description", "井盖丢失，晚上很危险")
        .text("lat", "24.436")
        .text("lng", "118.072");
    let res = http
        .post(a.url("/report"))
        .header("cookie", &cookie)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let code = res.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/case/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();

    // Someone watches the case through server B, and a neighbour says "me too" through server A.
    let res = http
        .get(b.url(&format!("/events/cases?codes={code}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-type"], "text/event-stream");
    let mut stream = res.bytes_stream();
    common::me_too(&a, &code).await;
    if let Err(seen) = common::await_changed(&mut stream, &code).await {
        panic!("server B did not hear the change; it read: {seen}");
    }
    drop(stream);
    a.stop().await;
    b.stop().await;
    db.cleanup().await;
}
