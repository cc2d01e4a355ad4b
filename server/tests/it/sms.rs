//! The SMS-gateway sender against a real (fake) gateway on a real port: what it sends, and what
//! happens when the gateway fails.

use crate::common::{Kind, TestDb};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use server::account::signin::{Auth, AuthError};
use server::kernel::sms::SmsGatewaySender;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Gateway {
    seen: Arc<Mutex<Vec<(String, serde_json::Value)>>>,
    fail: bool,
}

async fn receive(State(g): State<Gateway>, headers: HeaderMap, body: String) -> StatusCode {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    g.seen
        .lock()
        .unwrap()
        .push((auth, serde_json::from_str(&body).unwrap()));
    if g.fail {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::OK
    }
}

async fn gateway(fail: bool) -> (String, Gateway) {
    let g = Gateway {
        fail,
        ..Default::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new()
        .route("/sms/send", axum::routing::post(receive))
        .with_state(g.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/sms/send"), g)
}

#[tokio::test]
async fn codes_go_to_the_gateway_and_a_failed_send_stores_nothing() {
    let db = TestDb::new(Kind::Sqlite).await;
    let store = db.open().await;
    let now = 1_795_000_000_000;

    let (url, g) = gateway(false).await;
    let sender = SmsGatewaySender::new(&url, Some("s3cret".into())).unwrap();
    let auth = Auth::new(store.clone(), Arc::new(sender), false);
    let sent = auth
        .request_code("13800000001", "10.0.0.1", now)
        .await
        .unwrap();
    assert_eq!(
        sent.demo_code, None,
        "codes are not shown outside demo mode"
    );
    let seen = g.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].0, "Bearer s3cret");
    assert_eq!(seen[0].1["phone"], "+8613800000001");
    assert_eq!(seen[0].1["template"], "login_code");
    let code = seen[0].1["params"]["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 6);
    assert!(
        auth.verify_code(sent.phone.e164(), &code, now + 1000)
            .await
            .is_ok(),
        "the code the gateway got works"
    );

    // The gateway answers 500: the person is told, and no code is stored (so no limit is used up).
    let (url, _) = gateway(true).await;
    let failing = Auth::new(
        store.clone(),
        Arc::new(SmsGatewaySender::new(&url, None).unwrap()),
        false,
    );
    let err = failing
        .request_code("13800000002", "10.0.0.2", now)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AuthError::SendFailed(m) if m.contains("500")),
        "{err:?}"
    );
    // Nobody listening at all.
    let unreachable = Auth::new(
        store.clone(),
        Arc::new(SmsGatewaySender::new("http://127.0.0.1:9/x", None).unwrap()),
        false,
    );
    let err = unreachable
        .request_code("13800000003", "10.0.0.3", now)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AuthError::SendFailed(m) if m.contains("cannot reach")),
        "{err:?}"
    );
    let stored: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM login_codes WHERE phone <> '+8613800000001'",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(stored, 0);
    store.close().await;
    db.cleanup().await;
}

#[test]
fn gateway_urls_are_checked() {
    assert!(SmsGatewaySender::new("http://sms.internal:8080/send", None).is_ok());
    assert!(SmsGatewaySender::new("ftp://x/y", None).is_err());
    assert!(SmsGatewaySender::new("not a url", None).is_err());
    assert!(SmsGatewaySender::new("/relative", None).is_err());
}
