//! Collection points through the service layer, on SQLite and PostgreSQL: the points nearest a
//! resident; the council adds and changes a point and its volunteers (every refusal the form can
//! meet, with nothing written); the council hands a volunteer's issue to a department as a case.

use crate::common::{BACKENDS, TestDb, jpeg_with_gps, user};
use domain::calendar::Date;
use domain::ports::ShiftDraft;
use domain::sorting::supervision::{PointForm, PointProblem, WindowProblem};
use server::cases::Cases;
use server::kernel::media::Media;
use server::kernel::photo_desk::PhotoIntake;
use server::kernel::store::Store;
use server::sorting::Sorting;
use server::sorting::issues::{FixError, hand_over};
use server::sorting::points::PointError;
use server::sorting::shifts::Shifts;

const ZHONGSHAN: &str = "350203001001";

async fn id_of(store: &Store, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(store.pool())
        .await
        .unwrap()
}

async fn count(store: &Store, sql: &str) -> i64 {
    id_of(store, sql).await
}

/// A point inside 中山社区's box, with two of the demo volunteers.
async fn good_form(store: &Store) -> PointForm {
    let (lat, lng): (f64, f64) = {
        let r: (f64, f64, f64, f64) = sqlx::query_as(
            "SELECT min_lat, min_lng, max_lat, max_lng FROM territories WHERE code = $1",
        )
        .bind(ZHONGSHAN)
        .fetch_one(store.pool())
        .await
        .unwrap();
        ((r.0 + r.2) / 2.0, (r.1 + r.3) / 2.0)
    };
    PointForm {
        community: ZHONGSHAN.into(),
        name: "3号分类投放点".into(),
        lat: format!("{lat:.6}"),
        lng: format!("{lng:.6}"),
        households: "90".into(),
        bins: vec!["kitchen".into(), "other".into()],
        windows: "07:00-09:00, 18:30-20:30".into(),
        volunteers: "13900000003\n139 0003 0002".into(),
        ..Default::default()
    }
}

fn refusal<T: std::fmt::Debug>(r: Result<T, PointError>) -> Vec<PointProblem> {
    match r {
        Err(PointError::Refused(p)) => p,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn residents_find_the_points_nearest_them() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let store = db.open().await;
        server::tools::seed::seed(&store).await.unwrap();
        let sorting = Sorting::new(store.clone());
        let (id, lat, lng, community): (i64, f64, f64, String) = sqlx::query_as(
            "SELECT id, lat, lng, community_code FROM collection_points \
             WHERE name = '镇海社区2号分类投放点'",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        // About 55 m north of the point (0.0005° of latitude).
        let near = format!("{:.6},{lng:.6}", lat + 0.0005);
        let now = Date::new(2026, 11, 30).unwrap().china_ms(8 * 60);
        let p = sorting.points("", &near, None, now).await.unwrap();
        assert_eq!(p.points[0].id, id, "{kind:?}: the nearest first");
        let d = p.points[0].distance_m.unwrap();
        assert!((50..=60).contains(&d), "{kind:?}: about 55 m, got {d}");
        assert!(
            p.points
                .windows(2)
                .all(|w| w[0].distance_m <= w[1].distance_m),
            "{kind:?}: in order of distance"
        );
        assert!(p.points.len() <= 8);
        assert_eq!(p.community.as_ref().unwrap().0, community);
        assert_eq!(
            p.points[0].community.as_ref().unwrap().zh,
            "镇海社区",
            "{kind:?}: each point says its community"
        );
        assert!(p.near.is_some());
        // Far from every point (the other side of the island): still the nearest ones, not nothing.
        let far = sorting.points("", "24.60,118.30", None, now).await.unwrap();
        assert!(!far.points.is_empty());
        // Not a location: the community chooser as before, nothing guessed.
        for bad in ["", "north", "91,118", "24.4"] {
            let p = sorting.points("", bad, None, now).await.unwrap();
            assert!(p.near.is_none() && p.community.is_none(), "{kind:?}: {bad}");
        }
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_council_adds_and_changes_points_and_their_volunteers() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let store = db.open().await;
        server::tools::seed::seed(&store).await.unwrap();
        let sorting = Sorting::new(store.clone());
        let council = user(&store, "+8613900000004").await;
        let resident = user(&store, "+8613900000001").await;
        let points_before = count(&store, "SELECT COUNT(*) FROM collection_points").await;
        let audit_before = count(&store, "SELECT COUNT(*) FROM audit_log").await;
        let good = good_form(&store).await;

        // Not the council: refused, whatever the form.
        assert!(matches!(
            sorting.save_point(resident, &good, "t", 1).await,
            Err(PointError::Forbidden)
        ));
        // Every bad input the form can carry, all at once; nothing is written.
        let bad = PointForm {
            name: "".into(),
            households: "-3".into(),
            bins: vec![],
            windows: "20:00-18:00".into(),
            volunteers: "12345".into(),
            ..good.clone()
        };
        assert_eq!(
            refusal(sorting.save_point(council, &bad, "t", 1).await),
            [
                PointProblem::Name,
                PointProblem::Households,
                PointProblem::NoBins,
                PointProblem::Windows(vec![WindowProblem::Backwards("20:00-18:00".into())]),
                PointProblem::VolunteerPhone("12345".into()),
            ]
        );
        // Outside the community; a name another point has; a phone nobody signed in with.
        let outside = PointForm {
            lat: "24.60".into(),
            name: "中山社区1号分类投放点".into(),
            volunteers: "13912345678".into(),
            ..good.clone()
        };
        assert_eq!(
            refusal(sorting.save_point(council, &outside, "t", 1).await),
            [
                PointProblem::Location,
                PointProblem::NameTaken,
                PointProblem::VolunteerUnknown("+8613912345678".into()),
            ]
        );
        assert_eq!(
            count(&store, "SELECT COUNT(*) FROM collection_points").await,
            points_before,
            "{kind:?}: nothing half-written"
        );
        assert_eq!(
            count(&store, "SELECT COUNT(*) FROM audit_log").await,
            audit_before
        );

        // A good point: stored, listed, its volunteers assigned (one new to the community gets
        // the volunteer role there), audited.
        let (id, community) = sorting.save_point(council, &good, "t", 1).await.unwrap();
        assert_eq!(community, ZHONGSHAN);
        let now = Date::new(2026, 11, 30).unwrap().china_ms(19 * 60);
        let list = sorting.points(ZHONGSHAN, "", None, now).await.unwrap();
        let shown = list.points.iter().find(|p| p.id == id).unwrap();
        assert_eq!(shown.windows, ["07:00-09:00", "18:30-20:30"]);
        assert_eq!(shown.households, 90);
        let assigned: Vec<String> = sqlx::query_scalar(
            "SELECT u.phone FROM point_volunteers v JOIN users u ON u.id = v.user_id \
             WHERE v.point_id = $1 ORDER BY u.phone",
        )
        .bind(id)
        .fetch_all(store.pool())
        .await
        .unwrap();
        assert_eq!(assigned, ["+8613900000003", "+8613900030002"]);
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM role_grants g JOIN users u ON u.id = g.user_id \
                 WHERE u.phone = '+8613900030002' AND g.role = 'volunteer' \
                 AND g.territory_code = '350203001001' AND g.revoked_at IS NULL"
            )
            .await,
            1
        );
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM audit_log WHERE action = 'collection_point.save'"
            )
            .await,
            1
        );

        // The form for it comes back with its values; a change replaces the volunteers.
        let editor = sorting
            .point_editor(&id.to_string(), "", council)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(editor.form.name, "3号分类投放点");
        assert_eq!(editor.form.volunteers, "+8613900000003\n+8613900030002");
        assert!(
            sorting
                .point_editor(&id.to_string(), "", resident)
                .await
                .unwrap()
                .is_none(),
            "{kind:?}: not the resident's"
        );
        let changed = PointForm {
            id: id.to_string(),
            // A changed point stays in its community whatever the form says.
            community: "350203001002".into(),
            volunteers: "".into(),
            households: "95".into(),
            ..editor.form
        };
        assert_eq!(
            sorting.save_point(council, &changed, "t", 2).await.unwrap(),
            (id, ZHONGSHAN.to_owned())
        );
        assert_eq!(
            count(
                &store,
                &format!("SELECT COUNT(*) FROM point_volunteers WHERE point_id = {id}")
            )
            .await,
            0
        );
        let missing = PointForm {
            id: "999999".into(),
            ..good.clone()
        };
        assert_eq!(
            refusal(sorting.save_point(council, &missing, "t", 3).await),
            [PointProblem::NoSuchPoint]
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_council_hands_a_volunteers_issue_to_a_department_as_a_case() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let store = db.open().await;
        server::tools::seed::seed(&store).await.unwrap();
        let cases = Cases::new(store.clone(), Media::local(db.media.path()).unwrap());
        let shifts = Shifts::new(store.clone(), cases.clone());
        let volunteer = user(&store, "+8613900000003").await;
        let council = user(&store, "+8613900000004").await;
        let resident = user(&store, "+8613900000001").await;
        let point = id_of(
            &store,
            "SELECT id FROM collection_points WHERE name = '中山社区1号分类投放点'",
        )
        .await;
        let now = Date::new(2026, 11, 30).unwrap().china_ms(10 * 60);
        let draft = ShiftDraft {
            point: point.to_string(),
            date: "2026-11-30".into(),
            start: "07:00".into(),
            end: "08:00".into(),
            households: "30".into(),
            counts: vec![String::new(); 8],
            issue_kind: "overflowing".into(),
            issue_note: "厨余桶满了".into(),
            ..Default::default()
        };
        let photo = PhotoIntake {
            files: vec![jpeg_with_gps(320, 240)],
            problems: Vec::new(),
        };
        shifts.log(volunteer, &draft, photo, now).await.unwrap();
        let issue = id_of(&store, "SELECT MAX(id) FROM shift_issues").await;

        assert!(matches!(
            hand_over(&store, &cases, resident, issue, now).await,
            Err(FixError::Forbidden)
        ));
        let (community, code) = hand_over(&store, &cases, council, issue, now)
            .await
            .unwrap();
        assert_eq!(community, ZHONGSHAN);
        let (source, category, description, photos): (String, String, String, i64) =
            sqlx::query_as(
                "SELECT c.source, c.category_code, c.description, \
                 (SELECT COUNT(*) FROM case_photos p WHERE p.case_id = c.id) \
                 FROM cases c WHERE c.tracking_code = $1",
            )
            .bind(&code)
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(source, "shift");
        assert_eq!(category, "S0301", "{kind:?}: overflowing bins are 暴露垃圾");
        assert!(description.contains("厨余桶满了"), "{description}");
        assert_eq!(photos, 1, "{kind:?}: the issue's photo goes with the case");
        let linked: Option<String> =
            sqlx::query_scalar("SELECT case_code FROM shift_issues WHERE id = $1")
                .bind(issue)
                .fetch_one(store.pool())
                .await
                .unwrap();
        assert_eq!(linked.as_deref(), Some(code.as_str()));
        // Only once.
        assert!(matches!(
            hand_over(&store, &cases, council, issue, now).await,
            Err(FixError::NotOpen)
        ));
        assert_eq!(
            count(&store, "SELECT COUNT(*) FROM cases WHERE source = 'shift'").await,
            1
        );
        db.cleanup().await;
    }
}
