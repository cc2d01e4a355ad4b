//! The staff console's form posts, the rating, the calendar upload and the board's CSV over real
//! HTTP: CSRF, refusals that come back on the same page, and the redirects after success.

use crate::common;
use crate::common::{Browser, Kind, TestDb, TestServer, multipart_form};
use domain::ports::ReportValues;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use server::cases::{Cases, ReportSubmission};
use server::kernel::media::Media;

#[tokio::test]
async fn staff_actions_rating_calendar_and_csv_over_http() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    let cases = Cases::new(server.store.clone(), Media::local(db.media.path()).unwrap());
    let now = server::kernel::clock::now_ms();
    let done = cases
        .submit(
            ReportSubmission {
                values: ReportValues {
                    category: "S0501".into(),
                    description: "楼下油烟很大，请处理".into(),
                    lat: "24.436".into(),
                    lng: "118.072".into(),
                    location_source: "map".into(),
                    ..Default::default()
                },
                ..Default::default()
            },
            None,
            "10.0.0.1",
            now,
        )
        .await
        .unwrap();
    let code = done.code.to_string();
    let page = format!("/staff/case/{code}");

    // A resident is refused; without the CSRF field nobody gets through.
    let mut resident = Browser::new(&server);
    resident.sign_in("13900000001").await;
    let csrf = resident.csrf("/me").await;
    let res = resident
        .post_multipart(
            &page,
            multipart_form(&csrf, &[("action", "register"), ("public_reply", "已受理")]),
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let mut operator = Browser::new(&server);
    operator.sign_in("13900000005").await;
    let res = operator
        .post_multipart(
            &page,
            multipart_form(
                "forged",
                &[("action", "register"), ("public_reply", "已受理")],
            ),
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // A refusal comes back on the same page with the message and the typed note kept.
    let (status, html) = operator.get(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"data-testid="action-register""#));
    let csrf = common::attr(&html, r#"name="csrf" value=""#)
        .unwrap()
        .to_owned();
    let res = operator
        .post_multipart(
            &page,
            multipart_form(
                &csrf,
                &[("action", "register"), ("internal_note", "先打电话核实")],
            ),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("请填写公开答复。"), "{html}");
    assert!(html.contains("先打电话核实"));
    // An unknown action is refused too.
    let res = operator
        .post_multipart(
            &page,
            multipart_form(&csrf, &[("action", "close"), ("public_reply", "x")]),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Success redirects to the page with a notice.
    for (step, reply) in [("register", "已受理。"), ("dispatch", "已派遣。")] {
        let res = operator
            .post_multipart(
                &page,
                multipart_form(&csrf, &[("action", step), ("public_reply", reply)]),
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{step}");
        assert_eq!(
            res.headers()["location"],
            format!("{page}?done={step}").as_str()
        );
    }
    // One tap from the queue goes back to the queue with a notice.
    let second = cases
        .submit(
            ReportSubmission {
                values: ReportValues {
                    category: "B0101".into(),
                    description: "井盖松动，车过很响".into(),
                    answers: vec![("danger".into(), "loose".into())],
                    lat: "24.47".into(),
                    lng: "118.10".into(),
                    location_source: "map".into(),
                    ..Default::default()
                },
                ..Default::default()
            },
            None,
            "10.0.0.2",
            now,
        )
        .await
        .unwrap()
        .code
        .to_string();
    let (_, queue) = operator.get("/staff").await;
    assert!(
        queue.contains(&format!(r#"action="/staff/case/{second}""#)),
        "quick form offered"
    );
    let res = operator
        .post_multipart(
            &format!("/staff/case/{second}"),
            multipart_form(
                &csrf,
                &[
                    ("action", "register"),
                    ("public_reply", "已受理。"),
                    ("back", "queue"),
                ],
            ),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        res.headers()["location"],
        format!("/staff?done=register&code={second}").as_str()
    );
    let (_, queue) = operator
        .get(&format!("/staff?done=register&code={second}"))
        .await;
    assert!(queue.contains(&format!("{second}：已受理立案。")));
    // A second dispatch says it was done already.
    let res = operator
        .post_multipart(
            &page,
            multipart_form(&csrf, &[("action", "dispatch"), ("public_reply", "再派")]),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("已由他人办理"));

    // The department records the result with a photo; the inspector passes it.
    let mut department = Browser::new(&server);
    department.sign_in("13900000006").await;
    let csrf = department.csrf(&page).await;
    let photo = {
        let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8, y as u8, 7]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
        out.into_inner()
    };
    let form = multipart_form(
        &csrf,
        &[("action", "record_result"), ("public_reply", "已整改。")],
    )
    .part(
        "photo",
        Part::bytes(photo)
            .file_name("result.jpg")
            .mime_str("image/jpeg")
            .unwrap(),
    );
    let res = department.post_multipart(&page, form).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let mut inspector = Browser::new(&server);
    inspector.sign_in("13900000007").await;
    let csrf = inspector.csrf(&page).await;
    let res = inspector
        .post_multipart(
            &page,
            multipart_form(
                &csrf,
                &[("action", "pass"), ("public_reply", "核查通过，结案。")],
            ),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // Rating: only by the reporter (here the private link's key), once.
    let public = format!("/case/{code}");
    let csrf = resident.csrf(&public).await;
    let res = resident
        .post(
            &format!("{public}/rate"),
            &[("csrf", &csrf), ("level", "satisfied")],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::FORBIDDEN,
        "a neighbour is not the reporter"
    );
    let mut reporter = Browser::new(&server);
    let with_key = format!("{public}?k={}", done.follow_key);
    let csrf = reporter.csrf(&with_key).await;
    let rate_url = format!("{public}/rate?k={}", done.follow_key);
    let res = reporter
        .post(&rate_url, &[("csrf", &csrf), ("level", "great")])
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = reporter
        .post(&rate_url, &[("csrf", &csrf), ("level", "satisfied")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .contains("rated=1")
    );
    let res = reporter
        .post(&rate_url, &[("csrf", &csrf), ("level", "basic")])
        .await;
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .contains("rated=refused")
    );
    let (_, html) = reporter.get(&with_key).await;
    assert!(html.contains("核查通过，结案。"));
    assert!(html.contains("评价：满意"));

    // The calendar: only admins; a bad file changes nothing and names its lines.
    let mut admin = Browser::new(&server);
    admin.sign_in("13900000011").await;
    let csrf = admin.csrf("/admin").await;
    let file = |text: &[u8]| {
        Form::new()
            .text("csrf", csrf.clone())
            .part("rules", Part::bytes(text.to_vec()).file_name("2028.txt"))
    };
    let res = admin
        .post_multipart(
            "/admin/calendar",
            file(b"year 2028\nholiday 2028-10-07 2028-10-01\nworkday 2028-10-09\n"),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("第 2 行：日期范围的结束早于开始。"), "{html}");
    assert!(html.contains("第 3 行：2028-10-09 本来就是工作日"));
    let res = admin
        .post_multipart("/admin/calendar", file(&[0xff, 0xfe, 0x00]))
        .await;
    assert_eq!(res.headers()["location"], "/admin?done=calendar-not-utf8");
    let res = admin
        .post_multipart(
            "/admin/calendar",
            file("year 2028\nholiday 2028-01-01 元旦\n".as_bytes()),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/admin?year=2028");
    let years: Vec<i64> = sqlx::query_scalar("SELECT year FROM work_calendars ORDER BY year")
        .fetch_all(server.store.pool())
        .await
        .unwrap();
    assert_eq!(years, [2026, 2027, 2028]);
    let csrf = operator.csrf("/me").await;
    let res = operator
        .post_multipart(
            "/admin/calendar",
            Form::new()
                .text("csrf", csrf)
                .part("rules", Part::bytes(b"year 2029\n".to_vec())),
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // The board's CSV: a header, one row per district, the city.
    let (status, csv) = resident.get("/board.csv?month=bad&level=district").await;
    assert_eq!(status, StatusCode::OK);
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].starts_with("code,name_zh,name_en,received"));
    assert_eq!(lines.len(), 1 + 6 + 1);
    assert!(lines[7].starts_with("city,全市,City,"));
    server.stop().await;
}
