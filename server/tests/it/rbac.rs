//! Every role (and nobody) against every mutating or restricted service operation so far, on the
//! demo accounts; plus the bad inputs of role management. Allow/deny comes from the one rule in
//! `domain::access`; this checks the services really ask it.

use crate::common;
use crate::common::{Kind, TestDb, TestServer, client, user};
use domain::access::Role;
use server::admin::{Admin, AdminError};
use server::cases::moderation::{Moderation, ModerationError};
use server::cases::{Cases, ReportSubmission};
use server::kernel::media::Media;

#[tokio::test]
async fn every_role_against_every_restricted_operation() {
    let db = TestDb::new(Kind::Sqlite).await;
    let store = db.open().await;
    server::tools::seed::seed(&store).await.unwrap();
    let admin = Admin::new(store.clone());
    let cases = Cases::new(store.clone(), Media::local(db.media.path()).unwrap());
    let now = 1_795_000_000_000;
    let report = cases
        .submit(
            ReportSubmission {
                values: domain::ports::ReportValues {
                    category: "B0101".into(),
                    description: "井盖丢失很危险".into(),
                    answers: vec![("danger".into(), "open".into())],
                    lat: "24.436".into(),
                    lng: "118.072".into(),
                    ..Default::default()
                },
                ..Default::default()
            },
            None,
            "1.1.1.1",
            now,
        )
        .await
        .unwrap();
    let code = report.code.to_string();
    let resident = user(&store, "+8613900000001").await;
    let admin_id = user(&store, "+8613900000011").await;

    for (phone, role, _, _) in server::tools::seed::DEMO_ACCOUNTS {
        let role = Role::parse(role).unwrap();
        let actor = user(&store, &format!("+86{phone}")).await;
        let is_admin = role == Role::Admin;
        let ok = |allowed: bool, what: &str, forbidden: bool| {
            assert_eq!(!forbidden, allowed, "{role:?} {what}");
        };
        let r = admin.search(actor, "139").await;
        ok(
            is_admin,
            "search people",
            matches!(r, Err(AdminError::Forbidden)),
        );
        let r = admin.audit_log(actor, "").await;
        ok(
            is_admin,
            "read the audit log",
            matches!(r, Err(AdminError::Forbidden)),
        );
        let r = admin
            .grant(actor, resident, "volunteer", "350203001001", "9.9.9.9", now)
            .await;
        ok(
            is_admin,
            "grant a role",
            matches!(r, Err(AdminError::Forbidden)),
        );
        // Revoke a grant an admin made, whoever tries.
        let g = admin
            .grant(
                admin_id,
                resident,
                "council",
                "350203001001",
                "9.9.9.9",
                now,
            )
            .await
            .unwrap();
        let r = admin.revoke(actor, g, "9.9.9.9", now).await;
        ok(
            is_admin,
            "revoke a role",
            matches!(r, Err(AdminError::Forbidden)),
        );
        if !is_admin {
            admin.revoke(admin_id, g, "9.9.9.9", now).await.unwrap();
        }
        // Operators (city-wide in the demo) and admins moderate cases.
        let grants: Vec<_> = server::kernel::access::load_grants(&store, actor)
            .await
            .unwrap()
            .into_iter()
            .map(|(_, g, _)| g)
            .collect();
        let r = cases
            .moderate(
                &code,
                Moderation::HidePhoto(0),
                (actor, &grants),
                "9.9.9.9",
                now,
            )
            .await;
        let may_moderate = matches!(role, Role::Operator | Role::Admin);
        // Allowed, it fails only because the case has no photo.
        ok(
            may_moderate,
            "moderate a case",
            matches!(r, Err(ModerationError::Forbidden)),
        );
        if may_moderate {
            assert!(
                matches!(r, Err(ModerationError::NoSuchPhoto)),
                "{role:?}: {r:?}"
            );
        }
    }
    // Nobody (no account, no grants) may do any of it.
    assert!(matches!(
        admin.search(-1, "139").await,
        Err(AdminError::Forbidden)
    ));
    assert!(matches!(
        cases
            .moderate(
                &code,
                Moderation::RestoreDescription,
                (-1, &[]),
                "9.9.9.9",
                now
            )
            .await,
        Err(ModerationError::Forbidden)
    ));
    store.close().await;
    db.cleanup().await;
}

#[tokio::test]
async fn role_management_refuses_bad_input_and_audits_what_it_does() {
    for kind in common::BACKENDS {
        let db = TestDb::new(kind).await;
        let store = db.open().await;
        server::tools::seed::seed(&store).await.unwrap();
        let admin = Admin::new(store.clone());
        let now = 1_795_000_000_000;
        let me = user(&store, "+8613900000011").await;
        let person = user(&store, "+8613900000001").await;
        let grant = |role: &'static str, scope: &'static str| {
            let admin = admin.clone();
            async move { admin.grant(me, person, role, scope, "10.0.0.7", now).await }
        };
        assert!(
            matches!(grant("mayor", "").await, Err(AdminError::BadRole)),
            "{kind:?}"
        );
        assert!(
            matches!(
                grant("council", "350203001999").await,
                Err(AdminError::NoSuchScope)
            ),
            "territory that does not exist"
        );
        assert!(matches!(
            grant("department", "NOPE").await,
            Err(AdminError::NoSuchScope)
        ));
        assert!(
            matches!(
                grant("chief1", "350203").await,
                Err(AdminError::ScopeMismatch)
            ),
            "street chief on a district"
        );
        assert!(matches!(
            grant("council", "12ab").await,
            Err(AdminError::NoSuchScope)
        ));
        assert!(matches!(
            admin
                .grant(me, 999_999, "council", "350203001001", "x", now)
                .await,
            Err(AdminError::NoSuchPerson)
        ));
        let id = grant("chief2", "350203001001").await.unwrap();
        assert!(matches!(
            admin.revoke(me, 999_999, "x", now).await,
            Err(AdminError::NoSuchGrant)
        ));
        admin.revoke(me, id, "10.0.0.7", now + 1).await.unwrap();
        assert!(
            matches!(
                admin.revoke(me, id, "x", now).await,
                Err(AdminError::NoSuchGrant)
            ),
            "only once"
        );
        let found = admin.search(me, "0000001").await.unwrap();
        assert!(found.iter().any(|p| p.id == person));
        assert!(admin.search(me, "").await.unwrap().is_empty());
        let log = admin.audit_log(me, "role.").await.unwrap();
        assert_eq!(
            log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
            ["role.revoke", "role.grant"]
        );
        assert_eq!(log[0].client, "10.0.0.7");
        assert_eq!(log[0].actor.as_deref(), Some("139****0011"));
        assert!(log[1].details.contains("chief2") && log[1].details.contains("350203001001"));
        assert!(
            admin.audit_log(me, "case.").await.unwrap().is_empty(),
            "filter works"
        );
        store.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn admin_pages_and_posts_refuse_others() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    let http = client();
    // No session at all: the page is a 403 page, the post is refused.
    let res = http.get(server.url("/admin")).send().await.unwrap();
    assert_eq!(res.status(), 403);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("只有管理员可以打开这一页")
    );
    let res = http
        .post(server.url("/admin/grant"))
        .form(&[
            ("csrf", "x"),
            ("person", "1"),
            ("role", "admin"),
            ("scope", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    server.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn limited_requests_get_429_with_retry_after_in_the_users_language() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    let http = client();
    // Sign-in codes: the second request for the same number within a minute.
    let (cookie, csrf, _) = common::visit(&http, &server.url("/login")).await;
    let ask = || {
        http.post(server.url("/login/code"))
            .header("cookie", &cookie)
            .form(&[("csrf", csrf.as_str()), ("phone", "13600000001")])
            .send()
    };
    assert_eq!(ask().await.unwrap().status(), 303);
    let res = ask().await.unwrap();
    assert_eq!(res.status(), 429);
    let wait: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait));
    assert!(
        res.text().await.unwrap().contains("秒后"),
        "the page says how long, in Chinese by default"
    );
    // Unknown tracking codes: after ten misses from one address, the case page answers 429 too.
    for i in 0..10 {
        let res = http
            .get(server.url(&format!("/case/XM-2026-{:06}", 900_000 + i)))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
    }
    let res = http
        .get(server.url("/case/XM-2026-900100"))
        .header("cookie", "linli_lang=en")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
    assert!(res.text().await.unwrap().contains("Too many lookups"));
    server.stop().await;
    db.cleanup().await;
}
