//! Sign-in codes and sessions against the real store, on SQLite and PostgreSQL.

use crate::common::{BACKENDS, TestDb};
use domain::account::otp::{CodeError, TTL_MS};
use server::account::signin::{Auth, AuthError, LogSender};
use server::kernel::sessions::SESSION_IDLE_MS;
use std::sync::Arc;

const PHONE: &str = "138 0013 8000";
const IP: &str = "203.0.113.7";
const T0: i64 = 1_800_000_000_000;

fn auth(store: &server::kernel::store::Store) -> Auth {
    Auth::new(store.clone(), Arc::new(LogSender { demo: true }), true)
}

async fn count(store: &server::kernel::store::Store, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_code_signs_in_once_and_creates_the_account() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let store = db.open().await;
        let auth = auth(&store);
        let sent = auth.request_code(PHONE, IP, T0).await.unwrap();
        assert_eq!(sent.masked_phone, "138****8000");
        let code = sent.demo_code.expect("demo mode shows the code");
        // Only a salted hash is stored.
        let stored: String = sqlx::query_scalar("SELECT code_hash FROM login_codes")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_ne!(stored, code);
        assert!(!stored.contains(&code), "{kind:?}");

        let user = auth
            .verify_code("+86 13800138000", &code, T0 + 1_000)
            .await
            .unwrap();
        let again = auth.verify_code(PHONE, &code, T0 + 2_000).await;
        assert!(
            matches!(again, Err(AuthError::Code(CodeError::Used))),
            "{kind:?}: {again:?}"
        );
        assert_eq!(
            count(&store, "SELECT CAST(COUNT(*) AS BIGINT) FROM users").await,
            1
        );

        // A second sign-in later finds the same account.
        let code2 = auth
            .request_code(PHONE, IP, T0 + 120_000)
            .await
            .unwrap()
            .demo_code
            .unwrap();
        assert_eq!(
            auth.verify_code(PHONE, &code2, T0 + 121_000).await.unwrap(),
            user,
            "{kind:?}"
        );
        store.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn expired_wrong_and_locked_codes_are_refused() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let store = db.open().await;
        let auth = auth(&store);
        let code = auth
            .request_code(PHONE, IP, T0)
            .await
            .unwrap()
            .demo_code
            .unwrap();
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let expired = auth.verify_code(PHONE, &code, T0 + TTL_MS).await;
        assert!(
            matches!(expired, Err(AuthError::Code(CodeError::Expired))),
            "{kind:?}"
        );

        let code = auth
            .request_code(PHONE, IP, T0 + 61_000)
            .await
            .unwrap()
            .demo_code
            .unwrap();
        let now = T0 + 62_000;
        for left in [4, 3, 2, 1] {
            let r = auth.verify_code(PHONE, wrong, now).await;
            assert!(
                matches!(r, Err(AuthError::Code(CodeError::Wrong { remaining })) if remaining == left),
                "{kind:?}: {r:?}"
            );
        }
        let r = auth.verify_code(PHONE, wrong, now).await;
        assert!(
            matches!(r, Err(AuthError::Code(CodeError::Locked))),
            "{kind:?}: {r:?}"
        );
        // Locked means locked, even for the right code.
        let r = auth.verify_code(PHONE, &code, now).await;
        assert!(
            matches!(r, Err(AuthError::Code(CodeError::Locked))),
            "{kind:?}: {r:?}"
        );
        assert_eq!(
            count(&store, "SELECT CAST(COUNT(*) AS BIGINT) FROM users").await,
            0
        );
        store.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn only_the_latest_code_counts_and_bad_input_stores_nothing() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let store = db.open().await;
        let auth = auth(&store);
        for bad in ["12345", "0592-1234567", "+1 415 555 0100", ""] {
            assert!(
                matches!(
                    auth.request_code(bad, IP, T0).await,
                    Err(AuthError::BadPhone(_))
                ),
                "{bad:?}"
            );
        }
        assert_eq!(
            count(&store, "SELECT CAST(COUNT(*) AS BIGINT) FROM login_codes").await,
            0,
            "{kind:?}"
        );
        let r = auth.verify_code(PHONE, "123456", T0).await;
        assert!(
            matches!(r, Err(AuthError::Code(CodeError::NoCode))),
            "{kind:?}"
        );

        let first = auth
            .request_code(PHONE, IP, T0)
            .await
            .unwrap()
            .demo_code
            .unwrap();
        let second = auth
            .request_code(PHONE, IP, T0 + 61_000)
            .await
            .unwrap()
            .demo_code
            .unwrap();
        if first != second {
            let r = auth.verify_code(PHONE, &first, T0 + 62_000).await;
            assert!(
                matches!(r, Err(AuthError::Code(CodeError::Wrong { .. }))),
                "{kind:?}: {r:?}"
            );
        }
        assert!(matches!(
            auth.verify_code(PHONE, "12a456", T0 + 62_000).await,
            Err(AuthError::Code(CodeError::Malformed))
        ));
        auth.verify_code(PHONE, &second, T0 + 63_000).await.unwrap();
        store.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn sends_are_limited_per_phone_and_per_address() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let store = db.open().await;
        let auth = auth(&store);
        auth.request_code(PHONE, IP, T0).await.unwrap();
        match auth.request_code(PHONE, "198.51.100.1", T0 + 20_000).await {
            Err(AuthError::TooSoon(wait)) => assert_eq!(wait.seconds(), 40, "{kind:?}"),
            other => panic!("{kind:?}: second send within a minute: {other:?}"),
        }
        // Five an hour per phone.
        for i in 1..5 {
            auth.request_code(PHONE, IP, T0 + i * 61_000).await.unwrap();
        }
        assert!(matches!(
            auth.request_code(PHONE, IP, T0 + 5 * 61_000).await,
            Err(AuthError::TooSoon(_))
        ));
        assert!(
            auth.request_code(PHONE, IP, T0 + 3_600_001).await.is_ok(),
            "{kind:?}: the hour moved on"
        );

        // One address asking for many phones: 5 a minute.
        let now = T0 + 10_000_000;
        for n in 0..5 {
            auth.request_code(&format!("1390000000{n}"), "192.0.2.9", now + n)
                .await
                .unwrap();
        }
        assert!(matches!(
            auth.request_code("13900000009", "192.0.2.9", now + 10)
                .await,
            Err(AuthError::TooSoon(_))
        ));
        store.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn parallel_tries_cannot_beat_the_limits() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let store = db.open().await;
        let auth = auth(&store);
        let code = auth
            .request_code(PHONE, IP, T0)
            .await
            .unwrap()
            .demo_code
            .unwrap();
        // Twenty right answers at once: exactly one signs in.
        let tries = (0..20).map(|_| {
            let (auth, code) = (auth.clone(), code.clone());
            tokio::spawn(async move { auth.verify_code(PHONE, &code, T0 + 1_000).await })
        });
        let results: Vec<_> = futures_join(tries).await;
        assert_eq!(
            results.iter().filter(|r| r.is_ok()).count(),
            1,
            "{kind:?}: {results:?}"
        );

        // Fifty wrong guesses at once get at most five comparisons: the code ends locked.
        let code = auth
            .request_code("13900139000", IP, T0 + 100_000)
            .await
            .unwrap()
            .demo_code
            .unwrap();
        let guesses = (0..50).map(|i| {
            let auth = auth.clone();
            let guess = format!("{:06}", (code.parse::<u32>().unwrap() + 1 + i) % 1_000_000);
            tokio::spawn(async move { auth.verify_code("13900139000", &guess, T0 + 101_000).await })
        });
        let results: Vec<_> = futures_join(guesses).await;
        let wrong = results
            .iter()
            .filter(|r| matches!(r, Err(AuthError::Code(CodeError::Wrong { .. }))))
            .count();
        assert!(wrong <= 4, "{kind:?}: {wrong} wrong answers were compared");
        let tries: i64 = sqlx::query_scalar(
            "SELECT wrong_tries FROM login_codes WHERE phone = '+8613900139000'",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(tries, 5, "{kind:?}");
        let r = auth.verify_code("13900139000", &code, T0 + 102_000).await;
        assert!(
            matches!(r, Err(AuthError::Code(CodeError::Locked))),
            "{kind:?}: {r:?}"
        );
        store.close().await;
        db.cleanup().await;
    }
}

async fn futures_join<T: Send + 'static>(
    handles: impl Iterator<Item = tokio::task::JoinHandle<T>>,
) -> Vec<T> {
    let mut out = Vec::new();
    for h in handles.collect::<Vec<_>>() {
        out.push(h.await.unwrap());
    }
    out
}

#[tokio::test]
async fn sessions_rotate_at_sign_in_expire_when_idle_and_end_at_logout() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let store = db.open().await;
        let auth = auth(&store);
        let visitor = auth.sessions().start_session(None, None, T0).await.unwrap();
        let s = auth
            .sessions()
            .session(&visitor.token, T0 + 1)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(s.user_id, None);
        assert_eq!(s.csrf_token, visitor.csrf_token);
        // Tokens are stored hashed.
        assert_eq!(
            count(
                &store,
                &format!(
                    "SELECT CAST(COUNT(*) AS BIGINT) FROM sessions WHERE token_hash = '{}'",
                    visitor.token
                )
            )
            .await,
            0
        );

        let code = auth
            .request_code(PHONE, IP, T0)
            .await
            .unwrap()
            .demo_code
            .unwrap();
        let user = auth.verify_code(PHONE, &code, T0 + 10).await.unwrap();
        let signed_in = auth
            .sessions()
            .start_session(Some(user), Some(&visitor.token), T0 + 20)
            .await
            .unwrap();
        assert_ne!(signed_in.token, visitor.token);
        assert_ne!(signed_in.csrf_token, visitor.csrf_token);
        assert_eq!(
            auth.sessions()
                .session(&visitor.token, T0 + 30)
                .await
                .unwrap(),
            None,
            "{kind:?}: fixation"
        );
        assert_eq!(
            auth.sessions()
                .session(&signed_in.token, T0 + 30)
                .await
                .unwrap()
                .unwrap()
                .user_id,
            Some(user)
        );

        // Used within the idle limit it lives on; left alone it expires.
        let later = T0 + SESSION_IDLE_MS - 1;
        assert!(
            auth.sessions()
                .session(&signed_in.token, later)
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            auth.sessions()
                .session(&signed_in.token, later + SESSION_IDLE_MS - 1)
                .await
                .unwrap()
                .is_some()
        );
        assert_eq!(
            auth.sessions()
                .session(&signed_in.token, later + 2 * SESSION_IDLE_MS)
                .await
                .unwrap(),
            None
        );

        let again = auth
            .sessions()
            .start_session(Some(user), None, T0)
            .await
            .unwrap();
        auth.sessions().end_session(&again.token).await.unwrap();
        assert_eq!(
            auth.sessions().session(&again.token, T0 + 1).await.unwrap(),
            None,
            "{kind:?}: logout"
        );
        assert_eq!(
            auth.sessions().session("forged-token", T0).await.unwrap(),
            None
        );
        store.close().await;
        db.cleanup().await;
    }
}
