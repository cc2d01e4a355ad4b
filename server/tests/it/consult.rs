//! 共谋 consultations through the service layer, on SQLite and PostgreSQL: a roster imported (and
//! refused when bad), a consultation from draft to published result, every ballot refusal the issue
//! names, 200 simultaneous ballots from one owner, comments with reports and review.

use crate::common::{BACKENDS, TestDb, jpeg_with_gps, user};
use domain::calendar::Date;
use domain::cases::report::ReportProblem;
use domain::consult::{AreaSum, Choice, Phase, RosterProblemKind, ScheduleProblem, ScopeProblem};
use domain::ports::{ConsultForm, ConsultProblem, UnitLabel};
use server::cases::Cases;
use server::consult::{ConsultError, Consultations, PhotoIntake};
use server::kernel::media::Media;
use server::kernel::store::Store;

/// The demo council member of 中山社区 (350203001001).
const COUNCIL: &str = "13900000004";
const COMMUNITY: &str = "350203001001";

/// Monday 30 November 2026, 10:00 China time.
fn monday_10() -> i64 {
    Date::new(2026, 11, 30).unwrap().china_ms(10 * 60)
}

const DAY: i64 = 24 * 3600 * 1000;

async fn setup(db: &TestDb) -> (Consultations, Store) {
    let store = db.open().await;
    server::tools::seed::seed(&store).await.unwrap();
    let cases = Cases::new(store.clone(), Media::local(db.media.path()).unwrap());
    (Consultations::new(store.clone(), cases), store)
}

/// Building 3, stairwell 2: six flats. 王 owns two (501, 502); the developer still holds 602 and 601.
/// Building 4 has one flat. Areas are chosen so the boundaries below are exact.
const ROSTER: &str = "楼栋,单元,房号,业主姓名,手机号,专有面积,开发商未售\n\
3,2,501,王一,13800000001,80.00,否\n\
3,2,502,王一,13800000001,40.00,否\n\
3,2,401,李二,13800000002,60.00,否\n\
3,2,402,张三,13800000003,60.00,否\n\
3,2,601,某置业,,90.00,是\n\
3,2,602,某置业,,90.00,是\n\
4,1,101,赵四,13800000004,100.00,否\n";

fn form(kind: &str) -> ConsultForm {
    ConsultForm {
        community: COMMUNITY.into(),
        title: "3号楼2单元加装电梯".into(),
        body: "方案：在北侧加装一部电梯，费用按楼层分摊。".into(),
        matter: "elevator".into(),
        scope_kind: kind.into(),
        building: "3".into(),
        stairwell: "2".into(),
        question: "yesno".into(),
        comment_from: "2026-12-01".into(),
        vote_from: "2026-12-10".into(),
        vote_until: "2026-12-20".into(),
        ..Default::default()
    }
}

fn problems(r: Result<impl std::fmt::Debug, ConsultError>) -> Vec<ConsultProblem> {
    match r {
        Err(ConsultError::Refused(p)) => p,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn unit(b: &str, s: &str, u: &str) -> UnitLabel {
    UnitLabel {
        building: b.into(),
        stairwell: s.into(),
        unit: u.into(),
    }
}

#[tokio::test]
async fn a_stairwell_vote_from_draft_to_a_published_result_with_every_refusal() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let (consult, store) = setup(&db).await;
        let council = user(&store, COUNCIL).await;
        let t0 = monday_10();
        let summary = consult
            .import_roster(council, COMMUNITY, ROSTER.as_bytes(), t0)
            .await
            .unwrap();
        assert_eq!((summary.added, summary.updated), (7, 0), "{kind:?}");

        // An elevator is decided by its stairwell: the whole community is refused.
        assert_eq!(
            problems(
                consult
                    .create(council, &form("community"), PhotoIntake::default(), t0)
                    .await
            ),
            [ConsultProblem::Scope(ScopeProblem::MatterNeedsStairwell)]
        );
        // Phases that go backwards in time.
        let backwards = ConsultForm {
            vote_from: "2026-11-20".into(),
            ..form("stairwell")
        };
        assert_eq!(
            problems(
                consult
                    .create(council, &backwards, PhotoIntake::default(), t0)
                    .await
            ),
            [ConsultProblem::Schedule(ScheduleProblem::VoteBeforeComment)]
        );
        let closes_first = ConsultForm {
            vote_until: "2026-12-09".into(),
            ..form("stairwell")
        };
        assert_eq!(
            problems(
                consult
                    .create(council, &closes_first, PhotoIntake::default(), t0)
                    .await
            ),
            [ConsultProblem::Schedule(ScheduleProblem::CloseBeforeOpen)]
        );
        // Someone who is not on this community's council.
        let wang = user(&store, "13800000001").await;
        assert!(matches!(
            consult
                .create(wang, &form("stairwell"), PhotoIntake::default(), t0)
                .await,
            Err(ConsultError::Forbidden)
        ));
        let id = consult
            .create(council, &form("stairwell"), PhotoIntake::default(), t0)
            .await
            .unwrap();
        let view = consult.view(id, Some(wang), t0).await.unwrap().unwrap();
        assert_eq!(view.phase, Phase::Draft);
        let me = view.me.expect("王一 is verified by phone");
        assert_eq!(me.units.len(), 2);
        assert!(me.in_scope);
        // Base: 5 units' owners in scope = 王一 (120 m²), 李二, 张三, and the developer once (180).
        assert_eq!(view.meter.total.heads, 4);
        assert_eq!(view.meter.total.area, AreaSum(42000));

        // Voting before the vote opens; the council cannot publish before it closes.
        assert_eq!(
            problems(consult.vote(wang, id, "0", t0).await),
            [ConsultProblem::VoteNotOpen]
        );
        assert_eq!(
            problems(consult.advance(council, id, Phase::Published, t0).await),
            [ConsultProblem::NotClosedYet]
        );
        let t1 = t0 + DAY;
        consult.advance(council, id, Phase::Vote, t1).await.unwrap();
        assert_eq!(
            consult.view(id, None, t1).await.unwrap().unwrap().phase,
            Phase::Vote
        );

        // A non-owner, an owner outside the stairwell, a missing option.
        let stranger = user(&store, "13700000099").await;
        assert_eq!(
            problems(consult.vote(stranger, id, "0", t1).await),
            [ConsultProblem::NotOwner]
        );
        let zhao = user(&store, "13800000004").await;
        assert_eq!(
            problems(consult.vote(zhao, id, "0", t1).await),
            [ConsultProblem::OutsideScope]
        );
        assert_eq!(
            problems(consult.vote(wang, id, "2", t1).await),
            [ConsultProblem::NoSuchOption]
        );
        // 王一 votes no, then changes to yes: one ballot, two audit rows.
        consult.vote(wang, id, "1", t1).await.unwrap();
        assert_eq!(
            consult.vote(wang, id, "0", t1 + 1000).await.unwrap(),
            Choice::Option(0)
        );
        let audit: Vec<String> = sqlx::query_scalar(
            "SELECT event FROM ballot_audit WHERE consultation_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(store.pool())
        .await
        .unwrap();
        assert_eq!(audit, ["cast", "changed"]);
        // The meter shows turnout, not how people voted.
        let meter = consult.view(id, None, t1).await.unwrap().unwrap();
        assert_eq!(meter.meter.participating.heads, 1);
        assert_eq!(
            meter.meter.options[0].support.heads, 0,
            "secret until close"
        );
        assert!(meter.result.is_none());

        // 李二 has no smartphone: the council enters her paper ballot; she cannot vote online now.
        let li = user(&store, "13800000002").await;
        consult
            .enter_paper(council, id, &unit("3", "2", "401"), "0", "P-0007", t1)
            .await
            .unwrap();
        assert_eq!(
            problems(consult.vote(li, id, "1", t1).await),
            [ConsultProblem::AlreadyVotedOnPaper {
                paper_ref: "P-0007".into()
            }]
        );
        // Nor can a paper ballot be entered for someone who voted online, or twice on paper.
        assert_eq!(
            problems(
                consult
                    .enter_paper(council, id, &unit("3", "2", "502"), "1", "P-0008", t1)
                    .await
            ),
            [ConsultProblem::AlreadyVotedOnline]
        );
        assert_eq!(
            problems(
                consult
                    .enter_paper(council, id, &unit("3", "2", "401"), "1", "P-0009", t1)
                    .await
            ),
            [ConsultProblem::AlreadyEnteredOnPaper {
                paper_ref: "P-0007".into()
            }]
        );
        assert_eq!(
            problems(
                consult
                    .enter_paper(council, id, &unit("3", "2", "999"), "0", "P-1", t1)
                    .await
            ),
            [ConsultProblem::NoSuchUnit]
        );
        assert_eq!(
            problems(
                consult
                    .enter_paper(council, id, &unit("4", "1", "101"), "0", "P-2", t1)
                    .await
            ),
            [ConsultProblem::OutsideScope]
        );
        assert_eq!(
            problems(
                consult
                    .enter_paper(council, id, &unit("3", "2", "402"), "0", " ", t1)
                    .await
            ),
            [ConsultProblem::PaperRefMissing]
        );
        // The developer votes on paper for its unsold flats (one head, 180 m²); 张三 abstains.
        consult
            .enter_paper(council, id, &unit("3", "2", "601"), "0", "P-0010", t1)
            .await
            .unwrap();
        let zhang = user(&store, "13800000003").await;
        consult.vote(zhang, id, "abstain", t1).await.unwrap();

        // Close, then nothing more is accepted.
        let t2 = t1 + DAY;
        consult
            .advance(council, id, Phase::Closed, t2)
            .await
            .unwrap();
        assert_eq!(
            problems(consult.vote(wang, id, "1", t2).await),
            [ConsultProblem::VoteClosed]
        );
        assert_eq!(
            problems(consult.advance(council, id, Phase::Vote, t2).await),
            [ConsultProblem::PhaseOrder]
        );
        // Everyone took part (420 m², 4 heads). Yes: 王一 120 + 李二 60 + developer 180 = 360 m²
        // (6/7 ≥ 3/4) and 3 of 4 heads (exactly 3/4): passes.
        let closed = consult.view(id, Some(wang), t2).await.unwrap().unwrap();
        let r = closed.result.expect("result after close");
        assert!(!r.published);
        assert_eq!(r.tally.participating.heads, 4);
        assert_eq!(r.tally.options[0].support.area, AreaSum(36000));
        assert_eq!(r.tally.options[0].support.heads, 3);
        assert_eq!(r.tally.abstain.heads, 1);
        assert_eq!(r.tally.decided, Some(0));
        assert_eq!(r.voted_units.len(), 6, "every flat of the stairwell");

        consult
            .advance(council, id, Phase::Published, t2 + 1)
            .await
            .unwrap();
        assert_eq!(
            problems(consult.advance(council, id, Phase::Published, t2 + 2).await),
            [ConsultProblem::AlreadyPublished]
        );
        // A re-import after publication (张三's flat grows) does not change the published result.
        let bigger = ROSTER.replace(
            "3,2,402,张三,13800000003,60.00",
            "3,2,402,张三,13800000003,600.00",
        );
        let again = consult
            .import_roster(council, COMMUNITY, bigger.as_bytes(), t2 + 3)
            .await
            .unwrap();
        assert_eq!((again.added, again.updated), (0, 7));
        let published = consult.result(id).await.unwrap();
        assert!(published.published);
        assert_eq!(published.tally, r.tally);
        // Follow-up: the first progress update starts the phase.
        assert_eq!(
            problems(
                consult
                    .add_update(council, id, " ", PhotoIntake::default(), t2 + 4)
                    .await
            ),
            [ConsultProblem::UpdateLength]
        );
        // A photo that is not an image is refused and nothing is written.
        assert_eq!(
            problems(
                consult
                    .add_update(
                        council,
                        id,
                        "电梯井施工已开始",
                        PhotoIntake {
                            files: vec![b"not an image at all".to_vec()],
                            problems: Vec::new(),
                        },
                        t2 + 5,
                    )
                    .await
            ),
            [ConsultProblem::Photo(ReportProblem::PhotoNotImage)]
        );
        // A real photo with GPS in its EXIF is re-encoded: the stored image carries no EXIF.
        consult
            .add_update(
                council,
                id,
                "电梯井施工已开始",
                PhotoIntake {
                    files: vec![jpeg_with_gps(320, 240)],
                    problems: Vec::new(),
                },
                t2 + 5,
            )
            .await
            .unwrap();
        let follow = consult.view(id, None, t2 + 6).await.unwrap().unwrap();
        assert_eq!(follow.phase, Phase::FollowUp);
        assert_eq!(
            follow.updates.len(),
            1,
            "the refused update left nothing behind"
        );
        let photo = &follow.updates[0].photos[0];
        let key = photo.full_url.trim_start_matches("/media/");
        let stored = std::fs::read(db.media.path().join(key)).unwrap();
        assert!(
            !stored.windows(4).any(|w| w == b"Exif"),
            "EXIF (with its GPS) is gone"
        );
        let logged: Vec<Phase> = follow.log.iter().map(|e| e.phase).collect();
        assert_eq!(
            logged,
            [
                Phase::Draft,
                Phase::Vote,
                Phase::Closed,
                Phase::Published,
                Phase::FollowUp
            ]
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_bad_roster_is_refused_whole_and_a_good_one_updates_by_unit() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let (consult, store) = setup(&db).await;
        let council = user(&store, COUNCIL).await;
        let t0 = monday_10();
        let bad = "楼栋,单元,房号,业主姓名,手机号,专有面积,开发商未售\n\
                   1,1,101,甲,13800000011,-3,否\n\
                   1,1,102,乙,1380000,70,否\n\
                   1,1,101,丙,,70,否\n\
                   1,1,103,丁,,0,否\n";
        let got = problems(
            consult
                .import_roster(council, COMMUNITY, bad.as_bytes(), t0)
                .await,
        );
        let ConsultProblem::Roster(lines) = &got[0] else {
            panic!("{got:?}")
        };
        let named: Vec<usize> = lines.iter().map(|p| p.line).collect();
        assert_eq!(named, [2, 3, 4, 5], "{kind:?}: every bad line, by number");
        let count = |store: &Store| {
            let store = store.clone();
            async move {
                sqlx::query_scalar::<_, i64>("SELECT CAST(COUNT(*) AS BIGINT) FROM roster_units")
                    .fetch_one(store.pool())
                    .await
                    .unwrap()
            }
        };
        assert_eq!(count(&store).await, 0, "nothing half-written");
        // A missing column and a GBK file.
        let got = problems(
            consult
                .import_roster(council, COMMUNITY, "楼栋,单元,房号\n1,1,1\n".as_bytes(), t0)
                .await,
        );
        assert!(
            matches!(&got[0], ConsultProblem::Roster(p) if matches!(p[0].kind, RosterProblemKind::MissingColumn(_)))
        );
        let got = problems(
            consult
                .import_roster(council, COMMUNITY, &[0xC2, 0xA5, 0xB6, 0xB0], t0)
                .await,
        );
        assert!(
            matches!(&got[0], ConsultProblem::Roster(p) if p[0].kind == RosterProblemKind::NotUtf8)
        );
        // Not the council of this community.
        let other = user(&store, "13800000077").await;
        assert!(matches!(
            consult
                .import_roster(other, COMMUNITY, ROSTER.as_bytes(), t0)
                .await,
            Err(ConsultError::Forbidden)
        ));
        consult
            .import_roster(council, COMMUNITY, ROSTER.as_bytes(), t0)
            .await
            .unwrap();
        // Re-import: 401 changes owner, one flat is new.
        let next = format!(
            "{}3,2,301,孙五,13800000005,55.5,否\n",
            ROSTER.replace("3,2,401,李二,13800000002", "3,2,401,周六,13800000006")
        );
        let s = consult
            .import_roster(council, COMMUNITY, next.as_bytes(), t0)
            .await
            .unwrap();
        assert_eq!((s.added, s.updated), (1, 7));
        assert_eq!(count(&store).await, 8);
        let owner: String = sqlx::query_scalar(
            "SELECT owner_name FROM roster_units WHERE building = '3' AND unit = '401'",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(owner, "周六");
        db.cleanup().await;
    }
}

#[tokio::test]
async fn two_hundred_simultaneous_ballots_from_one_owner_count_once() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let (consult, store) = setup(&db).await;
        let council = user(&store, COUNCIL).await;
        let wang = user(&store, "13800000001").await;
        let t0 = monday_10();
        consult
            .import_roster(council, COMMUNITY, ROSTER.as_bytes(), t0)
            .await
            .unwrap();
        let id = consult
            .create(council, &form("stairwell"), PhotoIntake::default(), t0)
            .await
            .unwrap();
        consult.advance(council, id, Phase::Vote, t0).await.unwrap();
        // The meter is read once before, so afterwards it must follow the changes, not reload.
        consult.view(id, None, t0).await.unwrap();
        // 100 web votes by 王一 and 100 paper entries for his flats, all at once.
        let mut tasks = Vec::new();
        for i in 0..200 {
            let consult = consult.clone();
            tasks.push(tokio::spawn(async move {
                if i % 2 == 0 {
                    consult
                        .vote(wang, id, if i % 4 == 0 { "0" } else { "1" }, t0 + 1)
                        .await
                        .map(|_| "web")
                } else {
                    let flat = if i % 4 == 1 { "501" } else { "502" };
                    consult
                        .enter_paper(
                            council,
                            id,
                            &unit("3", "2", flat),
                            "0",
                            &format!("P-{i}"),
                            t0 + 1,
                        )
                        .await
                        .map(|_| "paper")
                }
            }));
        }
        let mut ok = Vec::new();
        for t in tasks {
            match t.await.unwrap() {
                Ok(channel) => ok.push(channel),
                Err(ConsultError::Refused(p)) => assert!(
                    matches!(
                        p[0],
                        ConsultProblem::AlreadyVotedOnPaper { .. }
                            | ConsultProblem::AlreadyVotedOnline
                            | ConsultProblem::AlreadyEnteredOnPaper { .. }
                    ),
                    "{p:?}"
                ),
                Err(e) => panic!("{kind:?}: {e}"),
            }
        }
        let ballots: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM ballots WHERE consultation_id = $1",
        )
        .bind(id)
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(ballots, 1, "{kind:?}: exactly one ballot counted");
        // Whichever channel came first won every later try of its own channel and no other.
        assert!(!ok.is_empty());
        assert!(ok.iter().all(|c| *c == ok[0]), "{kind:?}: {ok:?}");
        if ok[0] == "paper" {
            assert_eq!(ok.len(), 1, "a second paper ballot is never entered");
        }
        let casts: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM ballot_audit WHERE consultation_id = $1 AND event = 'cast'",
        )
        .bind(id)
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(casts, 1);
        let result = consult.result(id).await.unwrap();
        assert_eq!(result.tally.participating.heads, 1);
        // The meter's in-memory tally followed every change and agrees with a fresh one.
        let meter = consult.view(id, None, t0 + 2).await.unwrap().unwrap().meter;
        assert_eq!(meter.participating, result.tally.participating);
        assert_eq!(meter.total, result.tally.total);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn comments_take_a_stance_reply_one_level_and_hide_after_three_reports() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let (consult, store) = setup(&db).await;
        let council = user(&store, COUNCIL).await;
        let t0 = monday_10();
        let id = consult
            .create(
                council,
                &ConsultForm {
                    matter: "other".into(),
                    scope_kind: "community".into(),
                    title: "小区停车方案".into(),
                    ..form("community")
                },
                PhotoIntake::default(),
                t0,
            )
            .await
            .unwrap();
        let a = user(&store, "13700000001").await;
        assert_eq!(
            problems(
                consult
                    .comment(a, id, None, "support", "很好的方案", t0)
                    .await
            ),
            [ConsultProblem::CommentsClosed],
            "not before the comment phase"
        );
        consult
            .advance(council, id, Phase::Comment, t0)
            .await
            .unwrap();
        assert_eq!(
            problems(consult.comment(a, id, None, "", "很好的方案", t0).await),
            [ConsultProblem::NoStance]
        );
        assert_eq!(
            problems(consult.comment(a, id, None, "oppose", "x", t0).await),
            [ConsultProblem::CommentLength]
        );
        let top = consult
            .comment(a, id, None, "oppose", "车位太少，请联系13812345678", t0)
            .await
            .unwrap();
        let reply = consult
            .comment(council, id, Some(top), "", "理事会将增加 20 个车位。", t0)
            .await
            .unwrap();
        assert_eq!(
            problems(consult.comment(a, id, Some(reply), "", "再回复", t0).await),
            [ConsultProblem::ReplyTooDeep]
        );
        let view = consult.view(id, None, t0).await.unwrap().unwrap();
        assert_eq!(view.comments.len(), 2);
        assert!(
            !view.comments[0].body.contains("13812345678"),
            "numbers masked"
        );
        assert!(view.comments[1].official, "the council's reply is marked");
        // Nobody reports their own comment.
        assert_eq!(
            problems(consult.report_comment(a, id, top, t0).await),
            [ConsultProblem::OwnComment]
        );
        // Accounts that own nothing here are heard but cannot hide an owner's words.
        for phone in ["13700000002", "13700000003", "13700000004"] {
            let u = user(&store, phone).await;
            assert!(!consult.report_comment(u, id, top, t0).await.unwrap());
        }
        consult
            .import_roster(council, COMMUNITY, ROSTER.as_bytes(), t0)
            .await
            .unwrap();
        // Three different verified owners report: hidden from the public, held for the council.
        for (n, phone) in ["13800000001", "13800000002", "13800000002", "13800000003"]
            .iter()
            .enumerate()
        {
            let u = user(&store, phone).await;
            let held = consult.report_comment(u, id, top, t0).await.unwrap();
            assert_eq!(held, n == 3, "the third different owner hides it");
        }
        let public = consult.view(id, None, t0).await.unwrap().unwrap();
        assert_eq!(public.comments.len(), 1);
        let queue = consult.list(Some(council), t0).await.unwrap().held;
        assert_eq!(
            queue,
            [(id, "小区停车方案".to_owned(), 1)],
            "in the council's queue"
        );
        assert!(consult.list(Some(a), t0).await.unwrap().held.is_empty());
        let for_council = consult.view(id, Some(council), t0).await.unwrap().unwrap();
        assert!(for_council.comments.iter().any(|c| c.id == top && c.held));
        assert!(matches!(
            consult.review_comment(a, id, top, true, t0).await,
            Err(ConsultError::Forbidden)
        ));
        consult
            .review_comment(council, id, top, true, t0)
            .await
            .unwrap();
        assert!(
            consult
                .list(Some(council), t0)
                .await
                .unwrap()
                .held
                .is_empty()
        );
        // Kept after review: further reports do not hide it again.
        let u = user(&store, "13700000005").await;
        assert!(!consult.report_comment(u, id, top, t0).await.unwrap());
        assert_eq!(
            consult
                .view(id, None, t0)
                .await
                .unwrap()
                .unwrap()
                .comments
                .len(),
            2
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_demo_has_every_phase_a_narrow_elevator_and_a_major_matter_failing_on_area() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let (consult, store) = setup(&db).await;
        let now = monday_10();
        let n = server::consult::demo::seed_consultations(&store, &consult, now)
            .await
            .unwrap();
        let list = consult.list(None, now).await.unwrap();
        assert_eq!(list.items.len(), n);
        let mut phases: Vec<Phase> = list.items.iter().map(|c| c.phase).collect();
        phases.sort();
        phases.dedup();
        assert_eq!(
            phases,
            Phase::ALL,
            "{kind:?}: one consultation in each phase"
        );
        let by_title = |t: &str| list.items.iter().find(|c| c.title == t).unwrap().id;
        let elevator = consult
            .result(by_title("2号楼1单元加装电梯"))
            .await
            .unwrap();
        assert!(elevator.published);
        let t = &elevator.tally;
        assert_eq!(t.decided, Some(0), "the elevator passes");
        assert_eq!(
            (t.options[0].support.heads * 4, t.participating.heads * 3),
            (36, 36),
            "with exactly 3/4 of the heads"
        );
        let fund = consult
            .result(by_title("筹集维修资金用于屋面防水"))
            .await
            .unwrap();
        let t = &fund.tally;
        assert!(t.quorum_reached());
        assert!(t.options[0].heads_reached, "most owners approve");
        assert!(!t.options[0].area_reached, "but not 3/4 of the area");
        assert_eq!(t.decided, None);
        // The demo owner is verified in the voting consultation and has not voted yet.
        let owner = user(&store, "+8613900000002").await;
        let open = consult
            .view(by_title("1号楼1单元加装电梯"), Some(owner), now)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(open.phase, Phase::Vote);
        let me = open.me.unwrap();
        assert!(me.in_scope && me.ballot.is_none());
        db.cleanup().await;
    }
}

#[tokio::test]
async fn open_voting_shows_choices_during_the_vote_and_secret_voting_does_not() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let (consult, store) = setup(&db).await;
        let council = user(&store, COUNCIL).await;
        let wang = user(&store, "13800000001").await;
        let t0 = monday_10();
        consult
            .import_roster(council, COMMUNITY, ROSTER.as_bytes(), t0)
            .await
            .unwrap();
        for open in [true, false] {
            let f = ConsultForm {
                open_voting: open,
                ..form("stairwell")
            };
            let id = consult
                .create(council, &f, PhotoIntake::default(), t0)
                .await
                .unwrap();
            consult.advance(council, id, Phase::Vote, t0).await.unwrap();
            consult.vote(wang, id, "0", t0 + 1).await.unwrap();
            let view = consult.view(id, None, t0 + 2).await.unwrap().unwrap();
            assert_eq!(view.show_choices, open);
            assert_eq!(view.meter.participating.heads, 1);
            let yes = view.meter.options[0].support;
            if open {
                assert_eq!((yes.heads, yes.area), (1, AreaSum(12000)), "{kind:?}");
            } else {
                assert_eq!(yes.heads, 0, "{kind:?}: secret until the vote closes");
            }
        }
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_votes_base_is_frozen_comments_are_limited_and_late_ballots_are_refused() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let (consult, store) = setup(&db).await;
        let council = user(&store, COUNCIL).await;
        let t0 = monday_10();
        consult
            .import_roster(council, COMMUNITY, ROSTER.as_bytes(), t0)
            .await
            .unwrap();
        let id = consult
            .create(council, &form("stairwell"), PhotoIntake::default(), t0)
            .await
            .unwrap();
        let t1 = t0 + DAY;
        consult.advance(council, id, Phase::Vote, t1).await.unwrap();
        // The roster the vote counts by cannot change under it; the audit says what an import
        // changed, unit by unit.
        let bigger = ROSTER.replace(
            "3,2,402,张三,13800000003,60.00",
            "3,2,402,张三,13800000003,600.00",
        );
        assert_eq!(
            problems(
                consult
                    .import_roster(council, COMMUNITY, bigger.as_bytes(), t1 + 1)
                    .await
            ),
            [ConsultProblem::RosterFrozen],
            "{kind:?}"
        );
        // Five comments in ten minutes from one person, then a wait.
        let wang = user(&store, "13800000001").await;
        for i in 0..5 {
            consult
                .comment(
                    wang,
                    id,
                    None,
                    "support",
                    &format!("第{i}条意见：支持加装电梯"),
                    t1 + i,
                )
                .await
                .unwrap();
        }
        assert!(matches!(
            problems(
                consult
                    .comment(wang, id, None, "support", "再说一句", t1 + 10)
                    .await
            )[..],
            [ConsultProblem::CommentsTooFast { .. }]
        ));
        // Owners vote in the last moment while the council closes and publishes: every ballot
        // the table holds is in the frozen result, and every other was refused.
        let t2 = t1 + DAY;
        let li = user(&store, "13800000002").await;
        let zhang = user(&store, "13800000003").await;
        consult
            .advance(council, id, Phase::Closed, t2)
            .await
            .unwrap();
        let (a, b, c, published) = tokio::join!(
            consult.vote(wang, id, "0", t2 - 1),
            consult.vote(li, id, "0", t2 - 1),
            consult.vote(zhang, id, "1", t2 - 1),
            consult.advance(council, id, Phase::Published, t2 + 1),
        );
        published.unwrap();
        for r in [&a, &b, &c] {
            match r {
                Ok(_) => {}
                Err(ConsultError::Refused(p)) => assert_eq!(p, &[ConsultProblem::VoteClosed]),
                Err(e) => panic!("{kind:?}: {e:?}"),
            }
        }
        let stored: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM ballots WHERE consultation_id = $1",
        )
        .bind(id)
        .fetch_one(store.pool())
        .await
        .unwrap();
        let frozen = consult.result(id).await.unwrap();
        assert!(frozen.published);
        assert_eq!(frozen.tally.participating.heads as i64, stored, "{kind:?}");
        // After publication the roster may change again (the result is frozen).
        let summary = consult
            .import_roster(council, COMMUNITY, bigger.as_bytes(), t2 + 2)
            .await
            .unwrap();
        assert_eq!(summary.updated, 7);
        let details: String = sqlx::query_scalar(
            "SELECT details FROM audit_log WHERE action = 'roster.import' ORDER BY id DESC LIMIT 1",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert!(
            details.contains("3-2-402") && details.contains("60000"),
            "{details}"
        );
        assert!(
            !details.contains("13800000003"),
            "no phone in the audit: {details}"
        );
        db.cleanup().await;
    }
}
