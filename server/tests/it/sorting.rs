//! "Which bin?" through the service layer on SQLite and PostgreSQL: names and pinyin initials find
//! items; a search that finds nothing is counted for the council, and only staff of the sorting
//! work see that list.

use crate::common::{BACKENDS, TestDb, user};
use domain::sorting::Bin;
use server::sorting::Sorting;

#[tokio::test]
async fn items_are_found_by_name_and_initials_and_unknown_ones_are_logged() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let store = db.open().await;
        server::tools::seed::seed(&store).await.unwrap();
        let sorting = Sorting::new(store.clone());
        let council = user(&store, "+8613900000004").await;
        let resident = user(&store, "+8613900000001").await;
        let now = 1_000;
        let w = sorting.which_bin("电池", None, now).await.unwrap();
        assert_eq!(w.matches[0].name, "电池");
        assert_eq!(w.matches[0].bin, Bin::Hazardous);
        let w = sorting.which_bin("DC", None, now).await.unwrap();
        assert_eq!(w.matches[0].name, "电池", "{kind:?}: pinyin initials");
        let w = sorting.which_bin("ylg", None, now).await.unwrap();
        assert_eq!(w.matches[0].name, "易拉罐");
        assert_eq!(w.matches[0].bin, Bin::Recyclable);
        // Unknown: nothing found, counted twice, masked, shown to the council and not to a resident.
        for _ in 0..2 {
            let w = sorting
                .which_bin("火星陨石", Some(resident), now)
                .await
                .unwrap();
            assert!(w.matches.is_empty());
            assert!(w.unknown.is_empty(), "residents do not see the log");
        }
        sorting.which_bin("13812345678", None, now).await.unwrap();
        let w = sorting.which_bin("", Some(council), now).await.unwrap();
        assert!(w.matches.is_empty());
        assert_eq!(w.unknown[0], ("火星陨石".to_owned(), 2));
        assert!(
            w.unknown.iter().all(|(q, _)| !q.contains("12345678")),
            "a phone number typed as a search is masked: {:?}",
            w.unknown
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn collection_points_say_whether_they_are_open_now() {
    use domain::calendar::Date;
    use domain::sorting::supervision::OpenState;
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let store = db.open().await;
        server::tools::seed::seed(&store).await.unwrap();
        let sorting = Sorting::new(store.clone());
        let at = |h: i64, m: i64| Date::new(2026, 11, 30).unwrap().china_ms(h * 60 + m);
        let list = sorting.points("", "", None, at(8, 0)).await.unwrap();
        assert_eq!(
            list.communities.len(),
            24,
            "{kind:?}: every demo community has points"
        );
        assert!(list.points.is_empty() && list.community.is_none());
        let refused = sorting
            .points("not a code", "", None, at(8, 0))
            .await
            .unwrap();
        assert!(refused.points.is_empty());
        let states = |p: &domain::ports::CollectionPoints| -> Vec<OpenState> {
            p.points.iter().map(|x| x.state).collect()
        };
        let morning = sorting
            .points("350203001001", "", None, at(8, 0))
            .await
            .unwrap();
        assert_eq!(morning.points.len(), 2);
        assert_eq!(morning.points[0].households, 160);
        assert_eq!(morning.points[0].bins.len(), 4);
        assert_eq!(morning.points[0].windows, ["07:00-09:00", "18:00-20:00"]);
        assert_eq!(
            states(&morning),
            [
                OpenState::OpenUntil(9 * 60),
                OpenState::OpenUntil(8 * 60 + 30)
            ]
        );
        let noon = sorting
            .points("350203001001", "", None, at(12, 0))
            .await
            .unwrap();
        assert_eq!(
            states(&noon),
            [OpenState::OpensAt(18 * 60), OpenState::OpensAt(19 * 60)]
        );
        let late = sorting
            .points("350203001001", "", None, at(21, 30))
            .await
            .unwrap();
        assert_eq!(
            states(&late),
            [OpenState::ClosedToday, OpenState::ClosedToday]
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_council_records_the_months_survey_and_awareness_follows() {
    use domain::calendar::Date;
    use domain::sorting::supervision::SurveyProblem;
    use domain::workflow::board::Ratio;
    use server::sorting::SurveyError;
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let store = db.open().await;
        server::tools::seed::seed(&store).await.unwrap();
        let sorting = Sorting::new(store.clone());
        let council = user(&store, "+8613900000004").await;
        let volunteer = user(&store, "+8613900000003").await;
        let now = Date::new(2026, 11, 30).unwrap().china_ms(10 * 60);
        let before = sorting
            .points("350203001001", "", Some(council), now)
            .await
            .unwrap();
        assert!(before.may_record_survey);
        assert_eq!(
            before.rates.unwrap().awareness,
            None,
            "{kind:?}: no survey yet"
        );
        assert!(matches!(
            sorting
                .record_survey(volunteer, "350203001001", "2026-11", "40", "30", now)
                .await,
            Err(SurveyError::Forbidden)
        ));
        match sorting
            .record_survey(council, "350203001001", "11月", "0", "5", now)
            .await
        {
            Err(SurveyError::Refused(p)) => assert_eq!(
                p,
                [
                    SurveyProblem::Month,
                    SurveyProblem::Asked,
                    SurveyProblem::Correct
                ]
            ),
            other => panic!("{other:?}"),
        }
        sorting
            .record_survey(council, "350203001001", "2026-11", "40", "30", now)
            .await
            .unwrap();
        // Recording the month again corrects it.
        sorting
            .record_survey(council, "350203001001", "2026-11", "40", "31", now)
            .await
            .unwrap();
        let after = sorting.points("350203001001", "", None, now).await.unwrap();
        assert!(!after.may_record_survey);
        assert_eq!(
            after.rates.unwrap().awareness,
            Some(Ratio {
                part: 31,
                whole: 40
            })
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_demo_has_six_months_of_shifts_that_keep_the_rules() {
    use domain::calendar::Date;
    let db = TestDb::new(crate::common::Kind::Sqlite).await;
    let store = db.open().await;
    server::tools::seed::seed(&store).await.unwrap();
    let now = Date::new(2026, 11, 30).unwrap().china_ms(10 * 60);
    let n = server::sorting::demo::seed_sorting(&store, now)
        .await
        .unwrap();
    assert!(n > 5_000, "{n} shifts");
    // No volunteer is in two places at once.
    let overlaps: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM shifts a JOIN shifts b ON a.volunteer_id = b.volunteer_id \
         AND a.day = b.day AND a.id < b.id AND a.start_minute < b.end_minute AND b.start_minute < a.end_minute",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(overlaps, 0);
    let sorting = Sorting::new(store.clone());
    let mut participation = Vec::new();
    for community in ["350203001001", "350203001002", "350203002001"] {
        let p = sorting.points(community, "", None, now).await.unwrap();
        let r = p.rates.unwrap();
        assert!(r.coverage.unwrap().part > 0);
        participation.push(r.participation.unwrap().percent().unwrap().round() as i64);
    }
    participation.dedup();
    assert_eq!(
        participation.len(),
        3,
        "communities differ: {participation:?}"
    );
    let surveys: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM surveys")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert!(
        surveys > 0 && surveys < 24 * 6,
        "some months have no survey: {surveys}"
    );
    db.cleanup().await;
}

#[tokio::test]
async fn a_communitys_trend_and_a_streets_ranking_from_the_demo() {
    use domain::calendar::Date;
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let store = db.open().await;
        server::tools::seed::seed(&store).await.unwrap();
        let now = Date::new(2026, 11, 30).unwrap().china_ms(10 * 60);
        server::sorting::demo::seed_sorting(&store, now)
            .await
            .unwrap();
        let trend = server::sorting::board::community_trend(&store, "350203001001", None, now)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(trend.months.len(), 12);
        assert_eq!(trend.months[11].month, "2026-11");
        assert_eq!(trend.months[0].month, "2025-12");
        // Six months of demo shifts: the older months have no figures, the recent ones do.
        assert!(trend.months[0].rates.participation.is_none());
        assert!(trend.months[10].rates.participation.is_some());
        assert!(
            server::sorting::board::community_trend(&store, "350203001", None, now)
                .await
                .unwrap()
                .is_none(),
            "a street is not a community"
        );

        let board = server::sorting::board::ranking(&store, "350203001", "2026-10", now)
            .await
            .unwrap();
        assert_eq!(board.month, "2026-10");
        assert_eq!(
            board.ranked.len() + board.unranked.len(),
            2,
            "{kind:?}: 中华街道 has 2 communities"
        );
        let pct: Vec<f64> = board
            .ranked
            .iter()
            .map(|r| r.rates.participation.unwrap().percent().unwrap())
            .collect();
        assert!(pct.windows(2).all(|w| w[0] >= w[1]), "best first: {pct:?}");
        for r in &board.unranked {
            let c = r.rates.coverage.unwrap();
            assert!(c.part * 100 < board.min_coverage_percent * c.whole);
        }
        assert!(board.city.participation.is_some());
        assert!(board.area_rates.unwrap().participation.is_some());
        // No area chosen: just the city figure and the list of areas.
        let city = server::sorting::board::ranking(&store, "", "", now)
            .await
            .unwrap();
        assert!(city.area.is_none() && city.ranked.is_empty());
        assert_eq!(city.month, "2026-11");
        assert!(city.areas.len() >= 6 + 12);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_council_marks_an_issue_fixed_once() {
    use domain::calendar::Date;
    use server::sorting::board::community_trend;
    use server::sorting::issues::{FixError, mark_fixed};
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let store = db.open().await;
        server::tools::seed::seed(&store).await.unwrap();
        let now = Date::new(2026, 11, 30).unwrap().china_ms(10 * 60);
        server::sorting::demo::seed_sorting(&store, now)
            .await
            .unwrap();
        let user = |phone: &'static str| {
            let store = store.clone();
            async move {
                sqlx::query_scalar::<_, i64>("SELECT id FROM users WHERE phone = $1")
                    .bind(phone)
                    .fetch_one(store.pool())
                    .await
                    .unwrap()
            }
        };
        let council = user("+8613900000004").await;
        let volunteer = user("+8613900000003").await;
        let trend = community_trend(&store, "350203001001", Some(council), now)
            .await
            .unwrap()
            .unwrap();
        assert!(trend.may_manage);
        // The demo's issues are on the first shifts of the last week: 中山社区's points.
        let open = trend
            .issues
            .iter()
            .find(|i| !i.fixed)
            .expect("the demo leaves open issues in 中山社区");
        assert!(matches!(
            mark_fixed(&store, volunteer, open.id, now).await,
            Err(FixError::Forbidden)
        ));
        assert_eq!(
            mark_fixed(&store, council, open.id, now).await.unwrap(),
            "350203001001"
        );
        assert!(matches!(
            mark_fixed(&store, council, open.id, now).await,
            Err(FixError::NotOpen)
        ));
        let after = community_trend(&store, "350203001001", None, now)
            .await
            .unwrap()
            .unwrap();
        assert!(!after.may_manage);
        assert!(
            after.issues.iter().any(|i| i.id == open.id && i.fixed),
            "{kind:?}"
        );
        db.cleanup().await;
    }
}
