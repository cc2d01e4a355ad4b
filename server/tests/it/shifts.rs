//! The volunteer's shift log through the service layer, on SQLite and PostgreSQL: a good shift with
//! an issue photo, every refusal the issue names, and the community's rates and the volunteer's
//! totals that follow from it.

use crate::common::{BACKENDS, TestDb, jpeg_with_gps, user};
use domain::calendar::Date;
use domain::cases::report::ReportProblem;
use domain::ports::{ShiftDraft, ShiftFormProblem};
use domain::sorting::supervision::ShiftProblem;
use domain::workflow::board::Ratio;
use server::cases::Cases;
use server::kernel::media::Media;
use server::kernel::photo_desk::PhotoIntake;
use server::kernel::store::Store;
use server::sorting::Sorting;
use server::sorting::shifts::{ShiftError, Shifts};

async fn id_of(store: &Store, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(store.pool())
        .await
        .unwrap()
}

fn draft(point: i64, start: &str, end: &str, households: &str) -> ShiftDraft {
    ShiftDraft {
        point: point.to_string(),
        date: "2026-11-30".into(),
        start: start.into(),
        end: end.into(),
        households: households.into(),
        counts: ["20", "5", "", "", "30", "10", "8", "2"]
            .map(String::from)
            .to_vec(),
        ..Default::default()
    }
}

fn refusal(r: Result<i64, ShiftError>) -> Vec<ShiftFormProblem> {
    match r {
        Err(ShiftError::Refused(p)) => p,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_volunteer_logs_shifts_and_the_community_figures_follow() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let store = db.open().await;
        server::tools::seed::seed(&store).await.unwrap();
        let cases = Cases::new(store.clone(), Media::local(db.media.path()).unwrap());
        let shifts = Shifts::new(store.clone(), cases);
        let volunteer = user(&store, "+8613900000003").await;
        let first = id_of(
            &store,
            "SELECT id FROM collection_points WHERE name = '中山社区1号分类投放点'",
        )
        .await;
        let second = id_of(
            &store,
            "SELECT id FROM collection_points WHERE name = '中山社区2号分类投放点'",
        )
        .await;
        let elsewhere = id_of(
            &store,
            "SELECT id FROM collection_points WHERE name = '镇海社区1号分类投放点'",
        )
        .await;
        let now = Date::new(2026, 11, 30).unwrap().china_ms(10 * 60);

        // A good morning shift with an issue and its photo.
        let mut good = draft(first, "07:00", "08:00", "40");
        good.issue_kind = "overflowing".into();
        good.issue_note = "厨余桶满了".into();
        let photo = PhotoIntake {
            files: vec![jpeg_with_gps(320, 240)],
            problems: Vec::new(),
        };
        shifts.log(volunteer, &good, photo, now).await.unwrap();

        // Overlapping another shift of the same volunteer, at another point.
        assert_eq!(
            refusal(
                shifts
                    .log(
                        volunteer,
                        &draft(second, "07:30", "08:20", "10"),
                        PhotoIntake::default(),
                        now
                    )
                    .await
            ),
            [ShiftFormProblem::Shift(ShiftProblem::Overlaps {
                start: 7 * 60,
                end: 8 * 60
            })]
        );
        // A point the volunteer is not assigned to; a point that does not exist.
        assert_eq!(
            refusal(
                shifts
                    .log(
                        volunteer,
                        &draft(elsewhere, "08:00", "08:30", "5"),
                        PhotoIntake::default(),
                        now
                    )
                    .await
            ),
            [ShiftFormProblem::NotAssigned]
        );
        assert_eq!(
            refusal(
                shifts
                    .log(
                        volunteer,
                        &draft(999_999, "08:00", "08:30", "5"),
                        PhotoIntake::default(),
                        now
                    )
                    .await
            ),
            [ShiftFormProblem::NoSuchPoint]
        );
        // A negative count and more households than the point serves (160).
        let mut bad = draft(first, "08:00", "08:30", "161");
        bad.counts[0] = "-3".into();
        assert_eq!(
            refusal(
                shifts
                    .log(volunteer, &bad, PhotoIntake::default(), now)
                    .await
            ),
            [
                ShiftFormProblem::Shift(ShiftProblem::BadCount("recyclable_ok".into())),
                ShiftFormProblem::Shift(ShiftProblem::AboveHouseholds { served: 160 })
            ]
        );
        // Outside the windows: refused without a reason, taken with one.
        let mut noon = draft(first, "09:30", "09:50", "3");
        assert_eq!(
            refusal(
                shifts
                    .log(volunteer, &noon, PhotoIntake::default(), now)
                    .await
            ),
            [ShiftFormProblem::Shift(
                ShiftProblem::OutsideWindowsWithoutReason
            )]
        );
        noon.reason = "垃圾车晚到，延长值守".into();
        shifts
            .log(volunteer, &noon, PhotoIntake::default(), now)
            .await
            .unwrap();
        // Later today is the future; a photo without an issue has nowhere to go.
        assert_eq!(
            refusal(
                shifts
                    .log(
                        volunteer,
                        &draft(first, "18:00", "19:00", "3"),
                        PhotoIntake::default(),
                        now
                    )
                    .await
            ),
            [ShiftFormProblem::InFuture]
        );
        let stray = PhotoIntake {
            files: vec![jpeg_with_gps(64, 64)],
            problems: vec![ReportProblem::PhotoTooLarge],
        };
        assert_eq!(
            refusal(
                shifts
                    .log(volunteer, &draft(second, "08:00", "08:25", "3"), stray, now)
                    .await
            ),
            [
                ShiftFormProblem::PhotoWithoutIssue,
                ShiftFormProblem::Photo(ReportProblem::PhotoTooLarge)
            ]
        );
        let stored: i64 = id_of(&store, "SELECT CAST(COUNT(*) AS BIGINT) FROM shifts").await;
        assert_eq!(stored, 2, "{kind:?}: refused shifts store nothing");
        let photos: i64 = id_of(
            &store,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM shift_issue_photos",
        )
        .await;
        assert_eq!(photos, 1);

        // The volunteer's thank-you page, and the community's figures for November.
        let page = shifts
            .volunteer_page(volunteer, now)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(page.points.len(), 2);
        assert_eq!(page.total_shifts, 2);
        assert_eq!(page.total_households, 43);
        assert_eq!(page.total_minutes, 80);
        assert_eq!(page.shifts[0].start, "09:30", "latest first");
        let sorting = Sorting::new(store.clone());
        let figures = sorting.points("350203001001", "", None, now).await.unwrap();
        assert_eq!(figures.month, "2026-11");
        let rates = figures.rates.unwrap();
        // One logged point-day: the larger count of the day (40) over 160 households.
        assert_eq!(
            rates.participation,
            Some(Ratio {
                part: 40,
                whole: 160
            })
        );
        // Two shifts, each with 58 correct of 75 inspected.
        assert_eq!(
            rates.accuracy,
            Some(Ratio {
                part: 116,
                whole: 150
            })
        );
        assert_eq!(rates.awareness, None, "no survey this month");
        // 30 days × 2 points × 2 windows; the morning window of point 1 on the 30th was covered.
        assert_eq!(
            rates.coverage,
            Some(Ratio {
                part: 1,
                whole: 120
            })
        );
        db.cleanup().await;
    }
}
