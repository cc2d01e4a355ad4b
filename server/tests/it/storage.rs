//! The storage suite: every test runs against SQLite and PostgreSQL, each on a fresh database.

use crate::common::{BACKENDS, Kind, TestDb};
use domain::ports::CataloguePort;
use domain::territory::TerritoryLevel;
use server::cases::catalogue::Catalogue;
use server::tools::seed::seed;
use sqlx::Row;

fn portal(store: server::kernel::store::Store) -> Catalogue {
    let services = crate::common::services(store);
    Catalogue::new(services.store, services.tiles)
}

/// Every row of the seeded tables, as text, to compare whole-store snapshots.
async fn dump(store: &server::kernel::store::Store) -> Vec<String> {
    let mut out = Vec::new();
    for (table, key) in [
        ("territories", "code"),
        ("departments", "code"),
        ("categories", "code"),
    ] {
        let rows = sqlx::query(&format!(
            "SELECT {key}, name_zh, name_en FROM {table} ORDER BY {key}"
        ))
        .fetch_all(store.pool())
        .await
        .unwrap();
        for r in rows {
            let (a, b, c): (String, String, String) = (r.get(0), r.get(1), r.get(2));
            out.push(format!("{table}|{a}|{b}|{c}"));
        }
    }
    out
}

#[tokio::test]
async fn seed_loads_the_demo_city_and_is_idempotent() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let store = db.open().await;
        let first = seed(&store).await.unwrap();
        assert_eq!(first.territories, 6 + 12 + 24 + 96, "{kind:?}");
        assert_eq!(first.departments, 10, "{kind:?}");
        assert!(first.categories >= 40, "{kind:?}");
        let before = dump(&store).await;
        let second = seed(&store).await.unwrap();
        assert_eq!(
            (second.territories, second.departments, second.categories),
            (0, 0, 0),
            "{kind:?}"
        );
        assert_eq!(
            dump(&store).await,
            before,
            "{kind:?}: second seed changed the store"
        );
        store.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn migrations_are_recorded_and_reopening_is_harmless() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let store = db.open().await;
        seed(&store).await.unwrap();
        store.close().await;
        // A second start on the same database must neither fail nor lose data.
        let again = db.open().await;
        let n: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM territories")
            .fetch_one(again.pool())
            .await
            .unwrap();
        assert_eq!(n, 138, "{kind:?}");
        let applied: i64 =
            sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM _sqlx_migrations")
                .fetch_one(again.pool())
                .await
                .unwrap();
        assert!(applied >= 1, "{kind:?}");
        again.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn queries_answer_from_the_store() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let store = db.open().await;
        let portal = portal(store.clone());
        assert!(store.has_no_territories().await.unwrap(), "{kind:?}");
        let empty = portal.home_stats().await.unwrap();
        assert_eq!(
            (empty.districts, empty.grids, empty.categories),
            (0, 0, 0),
            "{kind:?}"
        );

        seed(&store).await.unwrap();
        let stats = portal.home_stats().await.unwrap();
        assert_eq!(
            (
                stats.districts,
                stats.streets,
                stats.communities,
                stats.grids,
                stats.departments
            ),
            (6, 12, 24, 96, 10),
            "{kind:?}"
        );
        let subs: usize = server::tools::seed::CATEGORIES
            .iter()
            .map(|(_, s)| s.len())
            .sum();
        assert_eq!(stats.categories as usize, subs, "{kind:?}");

        let layers = portal.map_layers().await.unwrap();
        assert!(layers.demo_shapes);
        assert_eq!(layers.districts.len(), 6);
        assert_eq!(layers.grids.len(), 96);
        for g in &layers.grids {
            assert_eq!(g.level, TerritoryLevel::Grid);
            assert_eq!(g.ring.first(), g.ring.last(), "{} ring closed", g.code);
            // Every demo grid lies in Xiamen.
            assert!(
                g.ring
                    .iter()
                    .all(|(lat, lng)| (24.3..24.9).contains(lat) && (117.8..118.4).contains(lng))
            );
        }

        let groups = portal.categories().await.unwrap();
        assert_eq!(
            groups.len(),
            server::tools::seed::CATEGORIES.len(),
            "{kind:?}"
        );
        assert_eq!(groups.iter().map(|g| g.subs.len()).sum::<usize>(), subs);
        let barbecue = groups
            .iter()
            .flat_map(|g| &g.subs)
            .find(|s| s.code == "S0401")
            .unwrap();
        assert_eq!(barbecue.names.zh, "夜间烧烤");
        assert_eq!(barbecue.department.zh, "城市管理行政执法局");
        assert_eq!(barbecue.time_limit.to_string(), "2h");
        store.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_schema_refuses_inconsistent_rows() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let store = db.open().await;
        seed(&store).await.unwrap();
        // A street without a parent district.
        let orphan = sqlx::query(
            "INSERT INTO territories (code, parent_code, level, name_zh, name_en, boundary, \
             min_lat, min_lng, max_lat, max_lng) VALUES ('350299001', NULL, 'street', 'x', 'x', '[]', 0, 0, 0, 0)",
        )
        .execute(store.pool())
        .await;
        assert!(orphan.is_err(), "{kind:?}: orphan street accepted");
        // A sub-category without a department.
        let no_dept = sqlx::query(
            "INSERT INTO categories (code, parent_code, kind, name_zh, name_en, sort_order) \
             VALUES ('S0199', 'S01', 'event', 'x', 'x', 999)",
        )
        .execute(store.pool())
        .await;
        assert!(
            no_dept.is_err(),
            "{kind:?}: sub-category without department accepted"
        );
        // A role grant on a territory that does not exist.
        sqlx::query("INSERT INTO users (phone, created_at) VALUES ('+8613800000000', 0)")
            .execute(store.pool())
            .await
            .unwrap();
        let bad_grant = sqlx::query(
            "INSERT INTO role_grants (user_id, role, territory_code, granted_at) \
             SELECT id, 'chief1', '999999', 0 FROM users",
        )
        .execute(store.pool())
        .await;
        assert!(
            bad_grant.is_err(),
            "{kind:?}: grant on unknown territory accepted"
        );
        store.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_failed_seed_leaves_nothing_behind() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let store = db.open().await;
        // A conflicting department name is fine (DO NOTHING), but a broken category table is not:
        // drop a column the seed needs so its transaction fails half-way.
        sqlx::query("INSERT INTO departments (code, name_zh, name_en) VALUES ('X', 'x', 'x')")
            .execute(store.pool())
            .await
            .unwrap();
        sqlx::query("DROP TABLE role_grants")
            .execute(store.pool())
            .await
            .unwrap();
        sqlx::query("ALTER TABLE territories RENAME TO territories_gone")
            .execute(store.pool())
            .await
            .unwrap();
        assert!(seed(&store).await.is_err(), "{kind:?}");
        let depts: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM departments")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(depts, 1, "{kind:?}: seed left departments behind");
        let cats: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM categories")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(cats, 0, "{kind:?}: seed left categories behind");
        store.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn bad_stores_fail_with_clear_messages() {
    // Unreachable PostgreSQL (nothing listens on port 1).
    let err = server::kernel::store::Store::open("postgres://postgres@127.0.0.1:1/linli")
        .await
        .err()
        .unwrap();
    let text = err.to_string();
    assert!(
        text.contains("cannot open the database at postgres://postgres@127.0.0.1:1/linli"),
        "{text}"
    );

    // A file that is not a SQLite database.
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, vec![0x42u8; 8192]).unwrap();
    let err = server::kernel::store::Store::open(&format!("sqlite://{}", junk.display()))
        .await
        .err()
        .unwrap();
    assert!(err.to_string().contains("not a SQLite database"), "{err}");
    assert_eq!(
        std::fs::read(&junk).unwrap(),
        vec![0x42u8; 8192],
        "the corrupt file was modified"
    );

    // A path whose folder cannot be created (its parent is a file).
    let file = dir.path().join("plain-file");
    std::fs::write(&file, b"x").unwrap();
    let err =
        server::kernel::store::Store::open(&format!("sqlite://{}/sub/linli.db", file.display()))
            .await
            .err()
            .unwrap();
    assert!(
        err.to_string().contains("cannot create the folder"),
        "{err}"
    );

    // Passwords are not echoed back.
    let err = server::kernel::store::Store::open("postgres://u:hunter2@127.0.0.1:1/x")
        .await
        .err()
        .unwrap();
    assert!(!err.to_string().contains("hunter2"), "{err}");
    let _ = Kind::Sqlite;
}
