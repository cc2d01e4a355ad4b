//! The city workflow through the service layer, on SQLite and PostgreSQL: one case walked through
//! every stage, the refusals the issue names, two operators racing, and the staff queues.

use crate::common::{BACKENDS, TestDb, user};
use domain::calendar::Date;
use domain::ports::{CaseLookup, QueueKind, ReportValues, StaffProblem};
use domain::workflow::{Actor, CaseAction, CaseState, TextProblem, WorkflowError};
use server::cases::{Cases, ReportSubmission};
use server::kernel::media::Media;
use server::kernel::store::Store;
use server::workflow::{ActError, StaffInput, Workflow};

/// Monday 30 November 2026, 10:00 China time.
fn monday_10() -> i64 {
    Date::new(2026, 11, 30).unwrap().china_ms(10 * 60)
}

struct People {
    resident: i64,
    operator: i64,
    department: i64,
    inspector: i64,
    chief3: i64,
    huli_operator: i64,
    other_department: i64,
}

async fn people(store: &Store) -> People {
    // Two more staff: an operator of 湖里区 and a 市政园林局 worker, neither reaching the demo case.
    for (phone, role, territory, department) in [
        ("+8613900000101", "operator", Some("350206"), None),
        ("+8613900000102", "department", None, Some("SZYL")),
    ] {
        sqlx::query("INSERT INTO users (phone, created_at) VALUES ($1, 0)")
            .bind(phone)
            .execute(store.pool())
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO role_grants (user_id, role, territory_code, department_code, granted_at) \
             SELECT id, $2, $3, $4, 0 FROM users WHERE phone = $1",
        )
        .bind(phone)
        .bind(role)
        .bind(territory)
        .bind(department)
        .execute(store.pool())
        .await
        .unwrap();
    }
    People {
        resident: user(store, "13900000001").await,
        operator: user(store, "13900000005").await,
        department: user(store, "13900000006").await,
        inspector: user(store, "13900000007").await,
        chief3: user(store, "13900000010").await,
        huli_operator: user(store, "13900000101").await,
        other_department: user(store, "13900000102").await,
    }
}

async fn setup(db: &TestDb) -> (Cases, Workflow, Store) {
    let store = db.open().await;
    server::tools::seed::seed(&store).await.unwrap();
    let cases = Cases::new(store.clone(), Media::local(db.media.path()).unwrap());
    let workflow = Workflow::new(store.clone(), cases.clone());
    (cases, workflow, store)
}

/// A 油烟扰民 report (CGZF, 3 working days) in 思明区 中华街道's first grid cell.
async fn report(cases: &Cases, reporter: Option<i64>, now: i64) -> (String, String) {
    let sub = ReportSubmission {
        values: ReportValues {
            category: "S0501".into(),
            description: "楼下餐馆油烟很大，晚上特别严重".into(),
            lat: "24.436".into(),
            lng: "118.072".into(),
            location_source: "map".into(),
            contact_phone: "13812345678".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    let done = cases.submit(sub, reporter, "10.0.0.1", now).await.unwrap();
    (done.code.to_string(), done.follow_key)
}

fn input(action: &str, reply: &str, note: &str) -> StaffInput {
    StaffInput {
        action: action.into(),
        public_reply: reply.into(),
        internal_note: note.into(),
        ..Default::default()
    }
}

fn refusal(r: Result<impl std::fmt::Debug, ActError>) -> Vec<StaffProblem> {
    match r {
        Err(ActError::Refused(p)) => p,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_fn(80, 60, |x, y| image::Rgb([x as u8, y as u8, 120]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

async fn state_of(store: &Store, code: &str) -> (String, String, Option<i64>) {
    let row: (String, String, Option<i64>) =
        sqlx::query_as("SELECT state, stage, deadline_at FROM cases WHERE tracking_code = $1")
            .bind(code)
            .fetch_one(store.pool())
            .await
            .unwrap();
    row
}

#[tokio::test]
async fn one_case_through_every_stage_with_every_refusal() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let (cases, wf, store) = setup(&db).await;
        let p = people(&store).await;
        let t0 = monday_10();
        let (code, key) = report(&cases, Some(p.resident), t0).await;
        let ip = "10.9.9.9";

        // 受理: only an operator whose district holds the case.
        assert_eq!(
            refusal(
                wf.act(p.inspector, &code, input("register", "已受理", ""), ip, t0)
                    .await
            ),
            [StaffProblem::Workflow(WorkflowError::NotYourRole {
                action: CaseAction::Register,
                actor: Actor::Inspector
            })],
            "{kind:?}"
        );
        assert_eq!(
            refusal(
                wf.act(
                    p.huli_operator,
                    &code,
                    input("register", "已受理", ""),
                    ip,
                    t0
                )
                .await
            ),
            [StaffProblem::OutsideYourScope]
        );
        assert_eq!(
            refusal(
                wf.act(p.operator, &code, input("register", "  ", ""), ip, t0)
                    .await
            ),
            [StaffProblem::Text(TextProblem::ReplyMissing)]
        );
        assert_eq!(
            refusal(
                wf.act(p.operator, &code, input("close", "x", ""), ip, t0)
                    .await
            ),
            [StaffProblem::UnknownAction]
        );
        assert_eq!(
            state_of(&store, &code).await.0,
            "reported",
            "refusals change nothing"
        );
        wf.act(
            p.operator,
            &code,
            input("register", "您反映的问题已受理。", ""),
            ip,
            t0,
        )
        .await
        .unwrap();

        // 派遣: an unknown department, an override without a reason, then the default.
        let mut dispatch = input("dispatch", "已派遣城管执法局处理。", "");
        dispatch.department = "NOPE".into();
        assert_eq!(
            refusal(wf.act(p.operator, &code, dispatch.clone(), ip, t0).await),
            [StaffProblem::NoSuchDepartment]
        );
        dispatch.department = "SZYL".into();
        assert_eq!(
            refusal(wf.act(p.operator, &code, dispatch.clone(), ip, t0).await),
            [StaffProblem::OverrideNeedsReason]
        );
        dispatch.department = String::new();
        let t1 = t0 + 3_600_000;
        wf.act(p.operator, &code, dispatch, ip, t1).await.unwrap();
        let (state, stage, deadline) = state_of(&store, &code).await;
        assert_eq!(
            (state.as_str(), stage.as_str()),
            ("dispatched", "dispatched")
        );
        // 3 working days from Monday 11:00 → Thursday 11:00.
        assert_eq!(
            deadline,
            Some(Date::new(2026, 12, 3).unwrap().china_ms(11 * 60))
        );

        // Departments act only on their own cases.
        assert_eq!(
            refusal(
                wf.act(
                    p.other_department,
                    &code,
                    input("record_result", "已处理", ""),
                    ip,
                    t1
                )
                .await
            ),
            [StaffProblem::OutsideYourScope]
        );

        // 延期: into the past, not after the deadline, then properly; only one request waits.
        let mut ask = input("request_extension", "", "需要协调业主");
        ask.until = "2026-11-29".into();
        assert_eq!(
            refusal(wf.act(p.department, &code, ask.clone(), ip, t1).await),
            [StaffProblem::DateInPast]
        );
        ask.until = "2026-12-02".into();
        assert_eq!(
            refusal(wf.act(p.department, &code, ask.clone(), ip, t1).await),
            [StaffProblem::DateNotAfterDeadline]
        );
        ask.until = "2026-12-08".into();
        wf.act(p.department, &code, ask.clone(), ip, t1)
            .await
            .unwrap();
        assert_eq!(
            refusal(wf.act(p.department, &code, ask, ip, t1).await),
            [StaffProblem::Workflow(
                WorkflowError::ExtensionAlreadyRequested
            )]
        );
        wf.act(p.operator, &code, input("grant_extension", "", ""), ip, t1)
            .await
            .unwrap();
        assert_eq!(
            state_of(&store, &code).await.2,
            Some(Date::new(2026, 12, 8).unwrap().china_ms(18 * 60))
        );

        // 处置 with a photo; 核查 fails (返工), then passes with the closing reply.
        let mut result = input("record_result", "已责令餐馆加装油烟净化器。", "");
        result.photos = vec![jpeg()];
        wf.act(p.department, &code, result.clone(), ip, t1)
            .await
            .unwrap();
        assert_eq!(
            refusal(
                wf.act(p.inspector, &code, input("fail", "", ""), ip, t1)
                    .await
            ),
            [StaffProblem::Text(TextProblem::ReasonMissing)]
        );
        wf.act(
            p.inspector,
            &code,
            input("fail", "", "净化器未开启"),
            ip,
            t1,
        )
        .await
        .unwrap();
        wf.act(p.department, &code, result, ip, t1).await.unwrap();
        assert_eq!(
            refusal(
                wf.act(p.inspector, &code, input("pass", "", ""), ip, t1)
                    .await
            ),
            [StaffProblem::Text(TextProblem::ReplyMissing)],
            "no case closes without a public reply"
        );
        wf.act(
            p.inspector,
            &code,
            input("pass", "经核查已整改到位，予以结案。", ""),
            ip,
            t1,
        )
        .await
        .unwrap();
        assert_eq!(state_of(&store, &code).await.0, "closed");

        // 评价: not by someone else; 不满意 reopens once; a second rating is refused.
        let other = user(&store, "13900000002").await;
        assert!(matches!(
            wf.rate(&code, None, Some(other), "satisfied", ip, t1).await,
            Err(ActError::Refused(_))
        ));
        assert!(matches!(
            wf.rate(&code, Some("wrong-key"), None, "satisfied", ip, t1)
                .await,
            Err(ActError::Refused(_))
        ));
        wf.rate(&code, None, Some(p.resident), "unsatisfied", ip, t1)
            .await
            .unwrap();
        assert_eq!(
            state_of(&store, &code).await.0,
            "handled",
            "back to the inspector"
        );
        wf.act(
            p.inspector,
            &code,
            input("pass", "复查确认油烟已达标。", ""),
            ip,
            t1,
        )
        .await
        .unwrap();
        // The anonymous route: the private link's key.
        wf.rate(&code, Some(&key), None, "basic", ip, t1)
            .await
            .unwrap();
        assert_eq!(
            refusal(
                wf.rate(&code, None, Some(p.resident), "satisfied", ip, t1)
                    .await
            ),
            [StaffProblem::Workflow(WorkflowError::AlreadyRated)]
        );
        assert_eq!(state_of(&store, &code).await.0, "closed");

        // What the public sees: each public reply and the result photo, no internal note.
        let CaseLookup::Found(view) = cases.view(&code, None, None, ip, t1).await.unwrap() else {
            panic!("case not found")
        };
        let json = serde_json::to_string(&view).unwrap();
        for public in [
            "您反映的问题已受理。",
            "已责令餐馆加装油烟净化器。",
            "复查确认油烟已达标。",
        ] {
            assert!(json.contains(public), "{public}");
        }
        for private in ["净化器未开启", "需要协调业主", "13812345678"] {
            assert!(!json.contains(private), "{private} leaked");
        }
        assert_eq!(view.state, CaseState::Closed);
        assert!(!view.can_rate);
        assert!(
            view.timeline
                .iter()
                .any(|e| e.action == Some(CaseAction::RecordResult) && e.photos.len() == 1)
        );
        // The result photo is served (re-encoded: no EXIF block).
        let result_photo = view.timeline.iter().find_map(|e| e.photos.first()).unwrap();
        let key = result_photo.full_url.trim_start_matches("/media/");
        let bytes = cases.visible_photo(key).await.unwrap().expect("served");
        assert!(!bytes.windows(6).any(|w| w == b"Exif\0\0"));
        // Staff see the counts and the internal notes.
        let staff = wf.staff_case(p.operator, &code).await.unwrap().unwrap();
        assert_eq!((staff.rework_count, staff.extension_count), (1, 1));
        assert!(
            staff
                .events
                .iter()
                .any(|e| e.internal_note.as_deref() == Some("净化器未开启"))
        );
        assert_eq!(staff.reporter_phone.as_deref(), Some("13812345678"));
        assert!(
            wf.staff_case(p.huli_operator, &code)
                .await
                .unwrap()
                .is_none()
        );
        // Every action is in the audit log.
        let audited: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE target = $1 AND action LIKE 'case.%'",
        )
        .bind(&code)
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(audited, 11, "{kind:?}");
    }
}

#[tokio::test]
async fn reject_merge_return_shelve_and_their_bad_inputs() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let (cases, wf, store) = setup(&db).await;
        let p = people(&store).await;
        let t0 = monday_10();
        let ip = "10.9.9.9";
        let (a, _) = report(&cases, Some(p.resident), t0).await;
        let (b, _) = report(&cases, None, t0).await;
        let (c, _) = report(&cases, None, t0).await;

        // 不予立案 needs the reason the reporter reads.
        assert_eq!(
            refusal(
                wf.act(p.operator, &a, input("reject", "", "重复"), ip, t0)
                    .await
            ),
            [StaffProblem::Text(TextProblem::ReplyMissing)]
        );
        wf.act(
            p.operator,
            &a,
            input("reject", "经现场核实，未发现所反映的问题。", ""),
            ip,
            t0,
        )
        .await
        .unwrap();
        let CaseLookup::Found(view) = cases.view(&a, None, None, ip, t0).await.unwrap() else {
            panic!()
        };
        assert_eq!(view.state, CaseState::Rejected);
        assert!(
            view.timeline
                .iter()
                .any(|e| e.public_text.as_deref() == Some("经现场核实，未发现所反映的问题。"))
        );

        // 合并: not into itself, not into a closed case, not into a missing one.
        let mut merge = input("merge", "已并入同一案件办理。", "");
        for (target, problem) in [
            (b.clone(), StaffProblem::MergeIntoItself),
            (a.clone(), StaffProblem::MergeTargetClosed),
            (
                "XM-2026-999999".to_owned(),
                StaffProblem::MergeTargetMissing,
            ),
        ] {
            merge.merge_into = target;
            assert_eq!(
                refusal(wf.act(p.operator, &b, merge.clone(), ip, t0).await),
                [problem]
            );
        }
        // A follower of the duplicate moves over.
        cases.follow_case(p.chief3, &b, true, t0).await.unwrap();
        merge.merge_into = c.clone();
        wf.act(p.operator, &b, merge, ip, t0).await.unwrap();
        let moved: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM case_followers f JOIN cases c ON c.id = f.case_id \
             WHERE c.tracking_code = $1 AND f.user_id = $2",
        )
        .bind(&c)
        .bind(p.chief3)
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(moved, 1);
        let CaseLookup::Found(view) = cases.view(&b, None, None, ip, t0).await.unwrap() else {
            panic!()
        };
        assert_eq!(view.merged_into.as_deref(), Some(c.as_str()));

        // 退回 and re-dispatch; 挂账 with a review date, then resume.
        wf.act(p.operator, &c, input("register", "已受理。", ""), ip, t0)
            .await
            .unwrap();
        wf.act(p.operator, &c, input("dispatch", "已派遣。", ""), ip, t0)
            .await
            .unwrap();
        assert_eq!(
            refusal(
                wf.act(p.department, &c, input("return", "", ""), ip, t0)
                    .await
            ),
            [StaffProblem::Text(TextProblem::ReasonMissing)]
        );
        wf.act(
            p.department,
            &c,
            input("return", "", "属于环保部门职责"),
            ip,
            t0,
        )
        .await
        .unwrap();
        assert_eq!(
            state_of(&store, &c).await,
            ("registered".into(), "registered".into(), None)
        );
        let mut redispatch = input("dispatch", "已改派生态环境局。", "油烟属环保职责");
        redispatch.department = "STHJ".into();
        wf.act(p.operator, &c, redispatch, ip, t0).await.unwrap();
        let mut shelve = input("shelve", "需纳入改造计划，已挂账。", "预算明年安排");
        shelve.until = "2026-11-01".into();
        assert_eq!(
            refusal(wf.act(p.operator, &c, shelve.clone(), ip, t0).await),
            [StaffProblem::DateInPast]
        );
        shelve.until = "2027-03-01".into();
        wf.act(p.operator, &c, shelve, ip, t0).await.unwrap();
        assert_eq!(state_of(&store, &c).await.0, "on_hold");
        wf.act(
            p.operator,
            &c,
            input("resume", "重新派遣办理。", ""),
            ip,
            t0,
        )
        .await
        .unwrap();
        let (state, _, deadline) = state_of(&store, &c).await;
        assert_eq!(state, "dispatched");
        assert!(deadline.is_some_and(|d| d > t0));
        // The city's other department now has it; the demo CGZF worker no longer does.
        assert_eq!(
            refusal(
                wf.act(
                    p.department,
                    &c,
                    input("record_result", "已处理", ""),
                    ip,
                    t0
                )
                .await
            ),
            [StaffProblem::OutsideYourScope]
        );
        // An extension with no request waiting is refused.
        assert_eq!(
            refusal(
                wf.act(p.operator, &c, input("grant_extension", "", ""), ip, t0)
                    .await
            ),
            [StaffProblem::Workflow(WorkflowError::NoExtensionRequested)]
        );
        let _ = kind;
    }
}

#[tokio::test]
async fn two_operators_dispatching_at_once_one_wins() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let (cases, wf, store) = setup(&db).await;
        let p = people(&store).await;
        let t0 = monday_10();
        let ip = "10.9.9.9";
        for _ in 0..3 {
            let (code, _) = report(&cases, None, t0).await;
            wf.act(p.operator, &code, input("register", "已受理。", ""), ip, t0)
                .await
                .unwrap();
            let go = || wf.act(p.operator, &code, input("dispatch", "已派遣。", ""), ip, t0);
            let (x, y) = tokio::join!(go(), go());
            let results = [x, y];
            let wins = results.iter().filter(|r| r.is_ok()).count();
            assert_eq!(wins, 1, "{kind:?}: {results:?}");
            let loser = results.into_iter().find(|r| r.is_err()).unwrap();
            assert_eq!(
                refusal(loser),
                [StaffProblem::Workflow(WorkflowError::AlreadyDone {
                    state: CaseState::Dispatched,
                    action: CaseAction::Dispatch
                })]
            );
            let dispatches: i64 = sqlx::query_scalar(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM case_events e JOIN cases c ON c.id = e.case_id \
                 WHERE c.tracking_code = $1 AND e.action = 'dispatch'",
            )
            .bind(&code)
            .fetch_one(store.pool())
            .await
            .unwrap();
            assert_eq!(dispatches, 1);
        }
    }
}

#[tokio::test]
async fn the_operator_queue_counts_every_similar_open_case_within_200_m() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let (cases, wf, store) = setup(&db).await;
        let p = people(&store).await;
        let t0 = monday_10();
        // Seven reports of one category within a few metres, one 400 m away (not near), and one
        // of another category on the same spot (not similar).
        let file = |category: &'static str, lat: &'static str, i: usize| {
            let cases = cases.clone();
            async move {
                let sub = ReportSubmission {
                    values: ReportValues {
                        category: category.into(),
                        description: "楼下餐馆油烟很大，晚上特别严重".into(),
                        lat: lat.into(),
                        lng: "118.072".into(),
                        location_source: "map".into(),
                        ..Default::default()
                    },
                    ..Default::default()
                };
                let client = format!("10.0.7.{i}");
                cases
                    .submit(sub, None, &client, t0)
                    .await
                    .unwrap()
                    .code
                    .to_string()
            }
        };
        let mut near = Vec::new();
        for (i, lat) in [
            "24.43600", "24.43601", "24.43602", "24.43603", "24.43604", "24.43605", "24.43606",
        ]
        .into_iter()
        .enumerate()
        {
            near.push(file("S0501", lat, i).await);
        }
        let far = file("S0501", "24.43960", 20).await;
        let other = file("S0502", "24.43600", 21).await;
        let queue = wf.console(p.operator, t0 + 60_000).await.unwrap();
        let op = queue
            .into_iter()
            .find(|q| q.kind == QueueKind::Operator)
            .unwrap();
        let count = |code: &str| {
            op.items
                .iter()
                .find(|i| i.code == code)
                .unwrap()
                .nearby_open
        };
        for code in &near {
            assert_eq!(count(code), 6, "{kind:?}: the six others, {code}");
        }
        assert_eq!(count(&far), 0, "{kind:?}: 400 m is not nearby");
        assert_eq!(
            count(&other),
            0,
            "{kind:?}: another category is not similar"
        );
    }
}

#[tokio::test]
async fn queues_follow_role_and_territory() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let (cases, wf, store) = setup(&db).await;
        let p = people(&store).await;
        let t0 = monday_10();
        let ip = "10.9.9.9";
        let (fresh, _) = report(&cases, None, t0).await;
        let (duplicate, _) = report(&cases, None, t0).await;
        let (late, _) = report(&cases, None, t0).await;
        for step in [
            input("register", "已受理。", ""),
            input("dispatch", "已派遣。", ""),
        ] {
            wf.act(p.operator, &late, step, ip, t0).await.unwrap();
        }
        let later = t0 + 30 * 86_400_000;
        let queue = |qs: Vec<domain::ports::StaffQueue>, kind: QueueKind| {
            qs.into_iter().find(|q| q.kind == kind).unwrap()
        };
        let op = queue(
            wf.console(p.operator, later).await.unwrap(),
            QueueKind::Operator,
        );
        let codes: Vec<_> = op.items.iter().map(|i| i.code.clone()).collect();
        assert_eq!(codes, [fresh.clone(), duplicate.clone()], "{kind:?}");
        assert!(
            op.items.iter().all(|i| i.nearby_open == 2),
            "the two others nearby"
        );
        let dept = queue(
            wf.console(p.department, later).await.unwrap(),
            QueueKind::Department,
        );
        assert_eq!(dept.items.len(), 1);
        assert!(dept.items[0].overdue);
        let chief = queue(wf.console(p.chief3, later).await.unwrap(), QueueKind::Watch);
        assert_eq!(chief.total, 3);
        assert_eq!(chief.items[0].code, late, "overdue first");
        assert!(wf.console(p.resident, later).await.unwrap().is_empty());
        assert!(
            wf.console(p.huli_operator, later).await.unwrap()[0]
                .items
                .is_empty()
        );
    }
}

#[tokio::test]
async fn the_demo_city_has_cases_on_every_path() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let (cases, wf, store) = setup(&db).await;
        let started = std::time::Instant::now();
        let report = server::cases::demo::seed_cases(&store, &cases, &wf, 300, monday_10())
            .await
            .unwrap();
        println!("{kind:?}: {report:?} in {:?}", started.elapsed());
        assert_eq!(report.cases, 300);
        let states: Vec<(String, i64)> = sqlx::query_as(
            "SELECT state, CAST(COUNT(*) AS BIGINT) FROM cases GROUP BY state ORDER BY state",
        )
        .fetch_all(store.pool())
        .await
        .unwrap();
        let names: Vec<&str> = states.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            names,
            [
                "closed",
                "dispatched",
                "handled",
                "merged",
                "on_hold",
                "registered",
                "rejected",
                "reported"
            ],
            "{states:?}"
        );
        for action in [
            "fail",
            "grant_extension",
            "deny_extension",
            "return",
            "rate_unsatisfied",
            "rate_satisfied",
        ] {
            let n: i64 = sqlx::query_scalar(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM case_events WHERE action = $1",
            )
            .bind(action)
            .fetch_one(store.pool())
            .await
            .unwrap();
            assert!(n > 0, "{kind:?}: no {action}");
        }
        let overdue: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM cases WHERE state = 'dispatched' AND deadline_at < $1",
        )
        .bind(monday_10())
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert!(overdue > 0, "some cases are overdue");
        // 两违 stays empty for the browser tests.
        let s01: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM cases WHERE category_code LIKE 'S01%'",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(s01, 0);
    }
}

/// The board for a month rebuilt by hand from cases walked through the service layer.
#[tokio::test]
async fn the_board_matches_a_hand_count_for_a_seeded_month() {
    use domain::territory::TerritoryLevel;
    use domain::workflow::board::{Month, Ratio};
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let (cases, wf, store) = setup(&db).await;
        let p = people(&store).await;
        let ip = "10.9.9.9";
        // Monday 2 November 2026, 10:00, and hours after it.
        let t = |h: i64| Date::new(2026, 11, 2).unwrap().china_ms(10 * 60) + h * 3_600_000;
        // A: registered, dispatched (3 working days: due Thu 5 Nov 10:00), handled and passed on
        // Tue 3 Nov, rated 满意.
        let (a, a_key) = report(&cases, None, t(0)).await;
        // B: the same, but passed late (Mon 9 Nov), after one rework; rated 不满意 → reopened.
        let (b, b_key) = report(&cases, None, t(0)).await;
        // C: registered and dispatched, then an extension granted: postponed.
        let (c, _) = report(&cases, None, t(0)).await;
        // D: rejected.
        let (d, _) = report(&cases, None, t(0)).await;
        for code in [&a, &b, &c] {
            wf.act(
                p.operator,
                code,
                input("register", "已受理。", ""),
                ip,
                t(1),
            )
            .await
            .unwrap();
            wf.act(
                p.operator,
                code,
                input("dispatch", "已派遣。", ""),
                ip,
                t(2),
            )
            .await
            .unwrap();
        }
        wf.act(
            p.operator,
            &d,
            input("reject", "不属于城市管理范围。", ""),
            ip,
            t(1),
        )
        .await
        .unwrap();
        wf.act(
            p.department,
            &a,
            input("record_result", "已处理。", ""),
            ip,
            t(20),
        )
        .await
        .unwrap();
        wf.act(p.inspector, &a, input("pass", "结案。", ""), ip, t(24))
            .await
            .unwrap();
        wf.rate(&a, Some(&a_key), None, "satisfied", ip, t(25))
            .await
            .unwrap();
        wf.act(
            p.department,
            &b,
            input("record_result", "已处理。", ""),
            ip,
            t(20),
        )
        .await
        .unwrap();
        wf.act(p.inspector, &b, input("fail", "", "未整改"), ip, t(21))
            .await
            .unwrap();
        wf.act(
            p.department,
            &b,
            input("record_result", "已整改。", ""),
            ip,
            t(22),
        )
        .await
        .unwrap();
        let late = 7 * 24;
        wf.act(p.inspector, &b, input("pass", "结案。", ""), ip, t(late))
            .await
            .unwrap();
        wf.rate(&b, Some(&b_key), None, "unsatisfied", ip, t(late + 1))
            .await
            .unwrap();
        let mut ask = input("request_extension", "", "需要协调");
        ask.until = "2026-11-20".into();
        wf.act(p.department, &c, ask, ip, t(3)).await.unwrap();
        wf.act(p.operator, &c, input("grant_extension", "", ""), ip, t(4))
            .await
            .unwrap();

        let as_of = Date::new(2026, 11, 28).unwrap().china_ms(12 * 60);
        let board = wf
            .board(
                Some(Month {
                    year: 2026,
                    month: 11,
                }),
                TerritoryLevel::District,
                as_of,
            )
            .await
            .unwrap();
        let f = board.city;
        assert_eq!((f.received, f.registered, f.closed), (4, 3, 2), "{kind:?}");
        // A and B of A B C are closed.
        assert_eq!(f.closure, Some(Ratio { part: 2, whole: 3 }));
        // Due in November: A, C (its dispatch deadline) and B; C postponed; A on time.
        assert_eq!((f.due, f.postponed, f.closed_on_time), (3, 1, 1));
        assert_eq!(f.on_time, Some(Ratio { part: 1, whole: 2 }));
        assert_eq!(f.rework, Some(Ratio { part: 1, whole: 2 }));
        assert_eq!(f.satisfaction, Some(Ratio { part: 1, whole: 2 }));
        // Working hours from dispatch (Mon 12:00) to closing: A Tue 10:00 → 4 + 1.5 = 5.5 h;
        // B Mon 9 Nov 10:00 → 4 + 7.5 × 4 + 1.5 = 35.5 h; the median of two is their mean.
        assert_eq!(f.median_work_hours, Some((5.5 + 35.5) / 2.0));
        // Every case is in 思明区, which leads; the other districts have no figures.
        assert_eq!(board.rows[0].code, "350203");
        assert_eq!(board.rows[0].figures, f);
        assert_eq!(board.rows.len(), 6);
        assert!(board.rows[1..].iter().all(|r| r.figures.received == 0));
        // Streets: the same cases, under 中华街道.
        let streets = wf
            .board(
                Some(Month {
                    year: 2026,
                    month: 11,
                }),
                TerritoryLevel::Street,
                as_of,
            )
            .await
            .unwrap();
        assert_eq!(streets.rows[0].code, "350203001");
        assert_eq!(streets.rows.len(), 12);
    }
}

#[tokio::test]
async fn a_merge_target_outside_the_operators_territory_is_refused() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let (_cases, wf, store) = setup(&db).await;
        let p = people(&store).await;
        let t0 = monday_10();
        let (ours, _) = report(&_cases, None, t0).await;
        let (theirs, _) = report(&_cases, None, t0).await;
        // Move the second case into a grid of 湖里区.
        let grid: String = sqlx::query_scalar(
            "SELECT code FROM territories WHERE level = 'grid' AND code LIKE '350206%' ORDER BY code",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        sqlx::query(
            "UPDATE cases SET grid_code = $1, community_code = $2, street_code = $3, district_code = $4 \
             WHERE tracking_code = $5",
        )
        .bind(&grid)
        .bind(&grid[..12])
        .bind(&grid[..9])
        .bind(&grid[..6])
        .bind(&theirs)
        .execute(store.pool())
        .await
        .unwrap();
        // 思明区's own operator may merge within 思明区 only.
        let siming = user(&store, "13900000012").await;
        let mut merge = input("merge", "已并入同一案件办理。", "");
        merge.merge_into = theirs.clone();
        assert_eq!(
            refusal(wf.act(siming, &ours, merge.clone(), "10.9.9.9", t0).await),
            [StaffProblem::MergeTargetOutsideScope],
            "{kind:?}"
        );
        assert_eq!(
            state_of(&store, &ours).await.0,
            "reported",
            "nothing changed"
        );
        // The city's operator reaches both.
        wf.act(p.operator, &ours, merge, "10.9.9.9", t0)
            .await
            .unwrap();
        assert_eq!(state_of(&store, &ours).await.0, "merged");
        db.cleanup().await;
    }
}
