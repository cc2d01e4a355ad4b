//! Reporting a problem, end to end through the service layer, on SQLite and PostgreSQL; plus the
//! form post over real HTTP.

use crate::common;
use crate::common::{BACKENDS, Kind, TestDb, TestServer, client, jpeg_with_gps};
use domain::cases::report::ReportProblem;
use domain::ports::{CaseLookup, ReportValues};
use server::cases::{Cases, ReportSubmission, SubmitError};
use server::kernel::media::Media;
use std::io::Cursor;

/// Inside 思明区 中华街道 中山社区's first grid cell in the demo city.
const IN_CITY: (&str, &str) = ("24.436", "118.072");

/// A report pinned in the city. 井盖 (B0101) must say how dangerous the manhole is; other
/// categories used here ask nothing required.
fn values(category: &str, description: &str) -> ReportValues {
    let answers = match category {
        "B0101" => vec![("danger".to_owned(), "open".to_owned())],
        _ => Vec::new(),
    };
    ReportValues {
        category: category.into(),
        answers,
        description: description.into(),
        lat: IN_CITY.0.into(),
        lng: IN_CITY.1.into(),
        location_source: "map".into(),
        ..Default::default()
    }
}

/// A PNG whose header claims 20000 × 20000 pixels (a decompression bomb's shape).
fn png_bomb() -> Vec<u8> {
    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut c = (data.len() as u32).to_be_bytes().to_vec();
        let mut body = kind.to_vec();
        body.extend(data);
        c.extend(&body);
        c.extend(crc32(&body).to_be_bytes());
        c
    };
    let mut ihdr = 20_000u32.to_be_bytes().to_vec();
    ihdr.extend(20_000u32.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(chunk(b"IHDR", &ihdr));
    // zlib stream of zeros: tiny on disk, 1.2 GB when inflated.
    out.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x63, 0x60, 0x18, 0x05, 0x00, 0x00],
    ));
    out.extend(chunk(b"IEND", &[]));
    out
}

async fn cases_on(db: &TestDb) -> (Cases, server::kernel::store::Store) {
    let store = db.open().await;
    server::tools::seed::seed(&store).await.unwrap();
    (
        Cases::new(store.clone(), Media::local(db.media.path()).unwrap()),
        store,
    )
}

fn files_in(dir: &std::path::Path) -> usize {
    walk(dir).len()
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn photos_are_reencoded_without_exif_and_their_gps_is_read() {
    let original = jpeg_with_gps(3000, 1000);
    assert!(original.windows(4).any(|w| w == b"Exif"));
    let p = server::kernel::photos::process(&original).unwrap();
    let (lat, lng) = p.gps.expect("GPS read from the original");
    assert!(
        (lat - 24.5).abs() < 1e-9 && (lng - 118.1).abs() < 1e-9,
        "{lat},{lng}"
    );
    assert_eq!(
        (p.width, p.height),
        (2048, 683),
        "resized to 2048 px on the long side"
    );
    for out in [&p.full_jpeg, &p.thumb_jpeg] {
        assert!(!out.windows(4).any(|w| w == b"Exif"), "no EXIF left");
        assert!(
            out.windows(2).all(|w| w != [0xFF, 0xE1]),
            "no APP1 segment at all"
        );
        let back = image::load(Cursor::new(out), image::ImageFormat::Jpeg).unwrap();
        assert!(back.width() <= 2048);
    }
    assert!(server::kernel::photos::gps_from_exif(b"not exif").is_none());
}

#[test]
fn a_png_bomb_is_refused_from_its_header() {
    let bomb = png_bomb();
    assert!(bomb.len() < 100);
    assert_eq!(
        server::kernel::photos::process(&bomb).err(),
        Some(ReportProblem::PhotoTooManyPixels)
    );
}

#[test]
fn non_images_and_heic_are_refused() {
    assert_eq!(
        server::kernel::photos::process(b"").err(),
        Some(ReportProblem::PhotoEmpty)
    );
    assert_eq!(
        server::kernel::photos::process(b"hello, I am a text file called photo.jpg").err(),
        Some(ReportProblem::PhotoNotImage)
    );
    let mut truncated = jpeg_with_gps(64, 64);
    truncated.truncate(400);
    assert_eq!(
        server::kernel::photos::process(&truncated).err(),
        Some(ReportProblem::PhotoUnreadable)
    );
}

#[tokio::test]
async fn a_report_becomes_a_case_with_code_photos_and_a_private_view() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let (cases, store) = cases_on(&db).await;
        let mut v = values(
            "B0101",
            "井盖丢了，晚上很危险。<script>alert(1)</script> 电话13812345678",
        );
        v.contact_phone = "139 0000 0099".into();
        let sub = ReportSubmission {
            values: v,
            photos: vec![jpeg_with_gps(800, 600)],
            ..Default::default()
        };
        let now = 1_795_000_000_000; // 2026-11-18
        let done = cases.submit(sub, None, "10.0.0.1", now).await.unwrap();
        assert_eq!(done.code.to_string(), "XM-2026-000001", "{kind:?}");
        assert_eq!(done.photo_gps, Some((24.5, 118.1)));
        assert_eq!(files_in(db.media.path()), 2, "photo and thumbnail stored");

        let CaseLookup::Found(public) = cases
            .view("xm-2026-000001", None, None, "10.0.0.2", now)
            .await
            .unwrap()
        else {
            panic!("case not found on {kind:?}");
        };
        assert_eq!(public.category_code, "B0101");
        assert_eq!(public.department.zh, "市政园林局");
        assert!(
            public.description.contains("138****5678"),
            "{}",
            public.description
        );
        assert!(
            public.description.contains("<script>"),
            "kept as text; the page escapes it"
        );
        assert!(public.private.is_none());
        assert_eq!(public.community.zh, "中山社区");
        assert_eq!(public.photos.len(), 1);
        assert_eq!(public.timeline.len(), 1);
        let json = serde_json::to_string(&public).unwrap();
        assert!(
            !json.contains("13900000099") && !json.contains("0099"),
            "no phone in public: {json}"
        );
        assert!(!json.contains("13812345678"));

        let CaseLookup::Found(private) = cases
            .view(
                "XM-2026-000001",
                Some(&done.follow_key),
                None,
                "10.0.0.2",
                now,
            )
            .await
            .unwrap()
        else {
            panic!()
        };
        let p = private
            .private
            .expect("the private link shows the reporter's view");
        assert_eq!(p.contact_phone.as_deref(), Some("13900000099"));
        assert!(p.description.contains("13812345678"));
        // A wrong key is just the public view.
        let CaseLookup::Found(wrong) = cases
            .view("XM-2026-000001", Some("00ff"), None, "10.0.0.2", now)
            .await
            .unwrap()
        else {
            panic!()
        };
        assert!(wrong.private.is_none());

        // The second report of the year gets the next serial; nearby finds the first.
        let second = cases
            .submit(
                ReportSubmission {
                    values: values("B0101", "又一个井盖不见了"),
                    ..Default::default()
                },
                None,
                "10.0.0.1",
                now + 1,
            )
            .await
            .unwrap();
        assert_eq!(second.code.to_string(), "XM-2026-000002");
        let near = cases.nearby("B0101", 24.4365, 118.0725).await.unwrap();
        assert_eq!(near.len(), 2, "{kind:?}");
        assert!(near[0].distance_m < 200);
        assert!(
            cases
                .nearby("B0102", 24.4365, 118.0725)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            cases
                .nearby("B0101", 24.46, 118.10)
                .await
                .unwrap()
                .is_empty(),
            "far away"
        );

        let rows: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM case_photos")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(rows, 1);
        store.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn bad_reports_list_every_problem_and_store_nothing() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let (cases, store) = cases_on(&db).await;
        let now = 1_795_000_000_000;
        let refused = |r: Result<_, SubmitError>| match r {
            Err(SubmitError::Invalid(p)) => p,
            other => panic!("expected problems, got {other:?}"),
        };
        let cases_ref = &cases;
        let submit = |v: ReportValues, photos: Vec<Vec<u8>>| async move {
            cases_ref
                .submit(
                    ReportSubmission {
                        values: v,
                        photos,
                        ..Default::default()
                    },
                    None,
                    "10.0.0.9",
                    now,
                )
                .await
        };
        // At sea, and outside the city.
        let mut sea = values("B0101", "井盖丢失很危险");
        (sea.lat, sea.lng) = ("24.30".into(), "118.30".into());
        assert_eq!(
            refused(submit(sea, vec![]).await),
            vec![ReportProblem::OutsideCity]
        );
        let mut nonsense = values("B0101", "井盖丢失很危险");
        nonsense.lat = "north".into();
        assert_eq!(
            refused(submit(nonsense, vec![]).await),
            vec![ReportProblem::BadCoordinates]
        );
        // Missing category, empty description: both at once.
        let p = refused(submit(values("", ""), vec![]).await);
        assert_eq!(
            p,
            vec![
                ReportProblem::MissingCategory,
                ReportProblem::DescriptionTooShort
            ]
        );
        assert_eq!(
            refused(submit(values("Z9999", "井盖丢失很危险"), vec![]).await),
            vec![ReportProblem::UnknownCategory]
        );
        assert_eq!(
            refused(submit(values("B0101", &"长".repeat(10_000)), vec![]).await),
            vec![ReportProblem::DescriptionTooLong]
        );
        // A 0-byte file, a text file renamed .jpg, a PNG bomb, four photos.
        assert_eq!(
            refused(submit(values("B0101", "井盖丢失很危险"), vec![vec![]]).await),
            vec![ReportProblem::PhotoEmpty]
        );
        assert_eq!(
            refused(
                submit(
                    values("B0101", "井盖丢失很危险"),
                    vec![b"plain text".to_vec()]
                )
                .await
            ),
            vec![ReportProblem::PhotoNotImage]
        );
        assert_eq!(
            refused(submit(values("B0101", "井盖丢失很危险"), vec![png_bomb()]).await),
            vec![ReportProblem::PhotoTooManyPixels]
        );
        let four = vec![jpeg_with_gps(16, 16); 4];
        assert_eq!(
            refused(submit(values("B0101", "井盖丢失很危险"), four).await),
            vec![ReportProblem::TooManyPhotos]
        );
        // The list path needs a real community and an address.
        let mut listed = values("B0101", "井盖丢失很危险");
        (listed.lat, listed.lng, listed.community) =
            (String::new(), String::new(), "350203001001".into());
        assert_eq!(
            refused(submit(listed.clone(), vec![]).await),
            vec![ReportProblem::AddressMissing]
        );
        listed.community = "350203001999".into();
        listed.address = "中山路 1 号".into();
        assert_eq!(
            refused(submit(listed, vec![]).await),
            vec![ReportProblem::UnknownCommunity]
        );
        let mut phone = values("B0101", "井盖丢失很危险");
        phone.contact_phone = "12345".into();
        assert_eq!(
            refused(submit(phone, vec![]).await),
            vec![ReportProblem::BadContactPhone]
        );

        // 井盖 asks how dangerous the manhole is (required): unanswered, answered with a choice it
        // does not offer, or twice.
        let mut unanswered = values("B0101", "井盖丢失很危险");
        unanswered.answers.clear();
        assert_eq!(
            refused(submit(unanswered, vec![]).await),
            vec![ReportProblem::AnswerMissing]
        );
        let mut not_a_choice = values("B0101", "井盖丢失很危险");
        not_a_choice.answers = vec![("danger".into(), "very".into())];
        assert_eq!(
            refused(submit(not_a_choice, vec![]).await),
            vec![ReportProblem::AnswerInvalid]
        );
        let mut twice = values("B0101", "井盖丢失很危险");
        twice.answers.push(("danger".into(), "loose".into()));
        twice.answers.push(("marked".into(), "maybe".into()));
        assert_eq!(
            refused(submit(twice, vec![]).await),
            vec![ReportProblem::AnswerInvalid]
        );

        let n: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM cases")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(n, 0, "nothing stored on {kind:?}");
        assert_eq!(
            files_in(db.media.path()),
            0,
            "no photo left behind on {kind:?}"
        );

        // The list path works with both.
        let mut ok = values("B0101", "井盖丢失很危险");
        ok.answers = vec![
            ("danger".into(), "broken".into()),
            ("marked".into(), "no".into()),
            ("volume".into(), "large".into()),
        ];
        (ok.lat, ok.lng, ok.community, ok.address) = (
            String::new(),
            String::new(),
            "350203001001".into(),
            "中山路 1 号".into(),
        );
        let done = submit(ok, vec![]).await.unwrap();
        let CaseLookup::Found(c) = cases
            .view(&done.code.to_string(), None, None, "x", now)
            .await
            .unwrap()
        else {
            panic!()
        };
        assert!(c.community_only);
        assert_eq!(c.community.zh, "中山社区");
        // Its answer is kept, shown in both languages; an answer to a question 井盖 does not ask
        // is dropped.
        let shown: Vec<(&str, &str, &str)> = c
            .answers
            .iter()
            .map(|(q, a)| (q.zh.as_str(), a.zh.as_str(), a.en.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                ("井口现在的情况", "井盖破损", "The cover is broken"),
                ("现场是否已有警示标志？", "没有", "No")
            ]
        );
        store.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn unknown_codes_are_limited_per_address_without_saying_which_exist() {
    let db = TestDb::new(Kind::Sqlite).await;
    let (cases, store) = cases_on(&db).await;
    let now = 1_795_000_000_000;
    let done = cases
        .submit(
            ReportSubmission {
                values: values("B0101", "井盖丢失很危险"),
                ..Default::default()
            },
            None,
            "1.1.1.1",
            now,
        )
        .await
        .unwrap();
    assert_eq!(
        cases
            .view("XM-2026-999999", None, None, "6.6.6.6", now)
            .await
            .unwrap(),
        CaseLookup::NotFound
    );
    assert_eq!(
        cases
            .view("XM-2026-abc", None, None, "6.6.6.6", now)
            .await
            .unwrap(),
        CaseLookup::Malformed
    );
    for i in 2..10 {
        let _ = cases
            .view(&format!("XM-2026-{i:06}"), None, None, "6.6.6.6", now)
            .await
            .unwrap();
    }
    // After ten misses in a minute, even a real code answers "wait" from that address.
    let limited = cases
        .view(&done.code.to_string(), None, None, "6.6.6.6", now)
        .await
        .unwrap();
    assert!(
        matches!(limited, CaseLookup::Limited(s) if s > 0 && s <= 60),
        "{limited:?}"
    );
    // Other addresses are not affected, and the limit passes.
    assert!(matches!(
        cases
            .view(&done.code.to_string(), None, None, "7.7.7.7", now)
            .await
            .unwrap(),
        CaseLookup::Found(_)
    ));
    assert!(matches!(
        cases
            .view(&done.code.to_string(), None, None, "6.6.6.6", now + 61_000)
            .await
            .unwrap(),
        CaseLookup::Found(_)
    ));
    store.close().await;
    db.cleanup().await;
}

#[tokio::test]
async fn me_too_counts_each_neighbour_once() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let (cases, store) = cases_on(&db).await;
        let now = 1_795_000_000_000;
        let done = cases
            .submit(
                ReportSubmission {
                    values: values("B0101", "井盖丢失很危险"),
                    ..Default::default()
                },
                None,
                "1.1.1.1",
                now,
            )
            .await
            .unwrap();
        let code = done.code.to_string();
        use server::cases::MeToo;
        assert_eq!(
            cases
                .me_too(&code, None, Some("visitor-a"), "2.2.2.2", now)
                .await
                .unwrap(),
            MeToo::Counted
        );
        assert_eq!(
            cases
                .me_too(&code, None, Some("visitor-a"), "2.2.2.2", now)
                .await
                .unwrap(),
            MeToo::AlreadyCounted
        );
        assert_eq!(
            cases
                .me_too(&code, None, Some("visitor-b"), "2.2.2.2", now)
                .await
                .unwrap(),
            MeToo::Counted
        );
        assert_eq!(
            cases
                .me_too(&code, None, None, "2.2.2.2", now)
                .await
                .unwrap(),
            MeToo::NoSession
        );
        assert_eq!(
            cases
                .me_too("XM-2026-000404", None, Some("visitor-a"), "2.2.2.2", now)
                .await
                .unwrap(),
            MeToo::NoSuchCase
        );
        let CaseLookup::Found(c) = cases.view(&code, None, None, "3.3.3.3", now).await.unwrap()
        else {
            panic!()
        };
        assert_eq!(c.me_too, 2, "{kind:?}");
        store.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_report_form_posts_over_http_and_refusals_come_back_filled_in() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    let http = client();
    // Opening the form starts a visitor session with a CSRF token.
    let (cookie, csrf, html) = common::visit(&http, &server.url("/report")).await;
    assert!(html.contains(r#"data-code="B0101""#));

    let form = |csrf: &str, description: &str| {
        reqwest::multipart::Form::new()
            .text("csrf", csrf.to_owned())
            .text("category", "B0101")
            .text("attribute[danger]", "open")
            .text("description", description.to_owned())
            .text("lat", IN_CITY.0)
            .text("lng", IN_CITY.1)
            .text("location_source", "map")
            .text("contact_phone", "13900000077")
    };
    // Without the CSRF token: refused.
    let res = http
        .post(server.url("/report"))
        .header("cookie", &cookie)
        .multipart(form("nope", "井盖丢失很危险"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    // A bad description and a text file as a photo: the form comes back with both messages and the text kept.
    let bad = form(&csrf, "</textarea><script>alert(1)</script>").part(
        "photo",
        reqwest::multipart::Part::bytes(b"not a photo".to_vec())
            .file_name("x.jpg")
            .mime_str("image/jpeg")
            .unwrap(),
    );
    let res = http
        .post(server.url("/report"))
        .header("cookie", &cookie)
        .multipart(bad)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("只接受 JPEG、PNG 或 WebP 图片"),
        "photo message"
    );
    assert!(
        page.contains("&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;</textarea>"),
        "typed text kept, escaped"
    );
    assert!(!page.contains("<script>alert(1)"));
    assert!(
        page.contains(r#"name="lat" value="24.436""#),
        "the pin is kept"
    );
    // A good one: redirected to its page with the private link.
    let good = form(&csrf, "井盖丢失，夜里很危险").part(
        "photo",
        reqwest::multipart::Part::bytes(jpeg_with_gps(640, 480))
            .file_name("a.jpg")
            .mime_str("image/jpeg")
            .unwrap(),
    );
    let res = http
        .post(server.url("/report"))
        .header("cookie", &cookie)
        .multipart(good)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/case/XM-20"), "{location}");
    // The private key and the photo's position travel in a short-lived cookie, not the URL.
    assert!(
        !location.contains("k=") && !location.contains("photo_lat"),
        "{location}"
    );
    let key_cookie = common::case_key_cookie(&res)
        .expect("the key is kept in a cookie")
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let public_url = location.split('?').next().unwrap().to_owned();
    let public = http
        .get(server.url(&public_url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(public.contains("井盖丢失，夜里很危险"));
    assert!(
        !public.contains("13900000077") && !public.contains("0077"),
        "no phone on the public page"
    );
    let photo_url = public
        .split(r#"src="/media/"#)
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("photo on the page");
    let photo = http
        .get(server.url(&format!("/media/{photo_url}")))
        .send()
        .await
        .unwrap();
    assert_eq!(photo.status(), 200);
    assert_eq!(photo.headers()["content-type"], "image/jpeg");
    let bytes = photo.bytes().await.unwrap();
    assert!(
        !bytes.windows(4).any(|w| w == b"Exif"),
        "served photo has no EXIF"
    );
    let private = http
        .get(server.url(&location))
        .header("cookie", format!("{cookie}; {key_cookie}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        private.contains("13900000077"),
        "the reporter sees their phone"
    );
    // Forged codes and media paths.
    let res = http
        .get(server.url("/case/XM-2026-999999"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let res = http
        .get(server.url("/media/cases/../../etc/passwd.jpg"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let res = http
        .get(server.url("/track/go?code=hello"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/track?error=format");
    // A code as people type it (no hyphens, lower case, a phone's full-width digits) finds its page.
    for typed in [
        "xm2026000123",
        "XM 2026 000123",
        "ＸＭ－２０２６－０００１２３",
    ] {
        let res = http
            .get(server.url("/track/go"))
            .query(&[("code", typed)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "{typed}");
        assert_eq!(res.headers()["location"], "/case/XM-2026-000123", "{typed}");
    }
    server.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn the_map_gets_few_points_and_the_list_the_same_cases() {
    use domain::cases::cluster::{MapView, StateFilter};
    use domain::ports::CaseFilter;
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let (cases, store) = cases_on(&db).await;
        let now = 1_795_000_000_000;
        // 40 reports spread over a small square, two categories.
        for i in 0..40 {
            let mut v = values(if i % 2 == 0 { "B0101" } else { "B0102" }, "井盖丢失很危险");
            v.lat = format!("{:.5}", 24.432 + f64::from(i % 8) * 0.001);
            v.lng = format!("{:.5}", 118.067 + f64::from(i / 8) * 0.001);
            cases
                .submit(
                    ReportSubmission {
                        values: v,
                        ..Default::default()
                    },
                    None,
                    &format!("10.1.0.{i}"),
                    now + i64::from(i),
                )
                .await
                .unwrap();
        }
        let filter = |bbox: &str, zoom: &str, category: &str| CaseFilter {
            view: Some(MapView::parse(bbox, zoom).unwrap()),
            category: category.into(),
            state: StateFilter::Open,
        };
        let total = |c: &[domain::ports::CaseCluster]| c.iter().map(|c| c.count).sum::<u32>();
        // City zoom: everything in very few points.
        let city = cases
            .clusters(&filter("118.0,24.4,118.2,24.6", "11", ""))
            .await
            .unwrap();
        assert_eq!(total(&city), 40, "{kind:?}");
        assert!(city.len() <= 4, "{} points at city zoom", city.len());
        // Street zoom: more, smaller clusters, still every case counted.
        let street = cases
            .clusters(&filter("118.064,24.430,118.074,24.441", "17", ""))
            .await
            .unwrap();
        assert_eq!(total(&street), 40);
        assert!(street.len() > city.len());
        assert!(street.len() <= 441);
        let singles: Vec<_> = street.iter().filter(|c| c.count == 1).collect();
        assert!(singles.iter().all(|c| c.code.is_some()));
        // Category prefix filters, major class and sub-category.
        assert_eq!(
            total(
                &cases
                    .clusters(&filter("118.0,24.4,118.2,24.6", "11", "B0101"))
                    .await
                    .unwrap()
            ),
            20
        );
        assert_eq!(
            total(
                &cases
                    .clusters(&filter("118.0,24.4,118.2,24.6", "11", "B01"))
                    .await
                    .unwrap()
            ),
            40
        );
        assert_eq!(
            total(
                &cases
                    .clusters(&filter("118.0,24.4,118.2,24.6", "11", "S01"))
                    .await
                    .unwrap()
            ),
            0
        );
        // Closed cases are not open.
        let mut closed = filter("118.0,24.4,118.2,24.6", "11", "");
        closed.state = StateFilter::Closed;
        assert!(cases.clusters(&closed).await.unwrap().is_empty());
        // A forged view (zoom out of range) gets nothing rather than an error or a panic.
        let mut forged = filter("118.0,24.4,118.2,24.6", "11", "");
        if let Some(v) = forged.view.as_mut() {
            v.zoom = 99;
        }
        assert!(cases.clusters(&forged).await.unwrap().is_empty());
        // The list: newest first, paged, same filter.
        let first = cases
            .list(&filter("118.0,24.4,118.2,24.6", "11", ""), 0)
            .await
            .unwrap();
        assert_eq!(first.len(), 30);
        assert_eq!(first[0].code, "XM-2026-000040");
        let second = cases
            .list(&filter("118.0,24.4,118.2,24.6", "11", ""), 1)
            .await
            .unwrap();
        assert_eq!(second.len(), 10);
        let city_wide = CaseFilter {
            view: None,
            category: "B0102".into(),
            state: StateFilter::All,
        };
        assert_eq!(cases.list(&city_wide, 0).await.unwrap().len(), 20);
        store.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn operators_moderate_with_an_audit_trail_and_the_original_kept() {
    use domain::access::{Grant, Role, Scope};
    use domain::territory::TerritoryCode;
    use server::cases::moderation::{Moderation, ModerationError};
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let (cases, store) = cases_on(&db).await;
        let now = 1_795_000_000_000;
        let sub = ReportSubmission {
            values: values("B0101", "井盖丢了，骂人的话在这里"),
            photos: vec![jpeg_with_gps(64, 64), jpeg_with_gps(64, 64)],
            ..Default::default()
        };
        let done = cases.submit(sub, None, "1.1.1.1", now).await.unwrap();
        let code = done.code.to_string();
        let siming = |role| {
            Grant::new(
                role,
                Scope::Territory(TerritoryCode::parse("350203").unwrap()),
            )
            .unwrap()
        };
        let huli_operator = [Grant::new(
            Role::Operator,
            Scope::Territory(TerritoryCode::parse("350206").unwrap()),
        )
        .unwrap()];
        let inspector = [Grant::new(
            Role::Inspector,
            Scope::Territory(TerritoryCode::parse("350203001").unwrap()),
        )
        .unwrap()];
        let operator = [siming(Role::Operator)];
        // Users must exist for the audit row's actor.
        let actor: i64 = sqlx::query_scalar("SELECT id FROM users ORDER BY id LIMIT 1")
            .fetch_one(store.pool())
            .await
            .unwrap();
        for grants in [&huli_operator[..], &inspector[..], &[]] {
            let r = cases
                .moderate(
                    &code,
                    Moderation::HidePhoto(0),
                    (actor, grants),
                    "9.9.9.9",
                    now,
                )
                .await;
            assert!(matches!(r, Err(ModerationError::Forbidden)), "{kind:?}");
        }
        cases
            .moderate(
                &code,
                Moderation::HidePhoto(1),
                (actor, &operator),
                "9.9.9.9",
                now,
            )
            .await
            .unwrap();
        assert!(matches!(
            cases
                .moderate(
                    &code,
                    Moderation::HidePhoto(7),
                    (actor, &operator),
                    "9.9.9.9",
                    now
                )
                .await,
            Err(ModerationError::NoSuchPhoto)
        ));
        assert!(matches!(
            cases
                .moderate(
                    &code,
                    Moderation::EditDescription("短".into()),
                    (actor, &operator),
                    "9.9.9.9",
                    now
                )
                .await,
            Err(ModerationError::Invalid(_))
        ));
        cases
            .moderate(
                &code,
                Moderation::EditDescription("井盖丢失（已删除不文明用语）".into()),
                (actor, &operator),
                "9.9.9.9",
                now,
            )
            .await
            .unwrap();
        let CaseLookup::Found(public) = cases.view(&code, None, None, "x", now).await.unwrap()
        else {
            panic!()
        };
        assert_eq!(public.description, "井盖丢失（已删除不文明用语）");
        assert_eq!(public.photos.len(), 1, "one photo hidden");
        assert_eq!(public.photos[0].position, 0);
        // The hidden photo's file is no longer served.
        let hidden_key: String =
            sqlx::query_scalar("SELECT full_key FROM case_photos WHERE position = 1")
                .fetch_one(store.pool())
                .await
                .unwrap();
        assert!(cases.visible_photo(&hidden_key).await.unwrap().is_none());
        assert_eq!(
            public.hidden_photos,
            [1],
            "offered to moderators to show again"
        );
        // Shown again: served again, and no longer listed as hidden.
        cases
            .moderate(
                &code,
                Moderation::ShowPhoto(1),
                (actor, &operator),
                "9.9.9.9",
                now,
            )
            .await
            .unwrap();
        assert!(cases.visible_photo(&hidden_key).await.unwrap().is_some());
        let CaseLookup::Found(shown) = cases.view(&code, None, None, "x", now).await.unwrap()
        else {
            panic!()
        };
        assert_eq!(shown.photos.len(), 2);
        assert!(shown.hidden_photos.is_empty());
        cases
            .moderate(
                &code,
                Moderation::HidePhoto(1),
                (actor, &operator),
                "9.9.9.9",
                now,
            )
            .await
            .unwrap();
        // The reporter still sees what they wrote; the audit log holds before and after.
        let CaseLookup::Found(own) = cases
            .view(&code, Some(&done.follow_key), None, "x", now)
            .await
            .unwrap()
        else {
            panic!()
        };
        assert_eq!(own.private.unwrap().description, "井盖丢了，骂人的话在这里");
        let audit: Vec<(String, String)> =
            sqlx::query_as("SELECT action, details FROM audit_log ORDER BY id")
                .fetch_all(store.pool())
                .await
                .unwrap();
        assert_eq!(
            audit.len(),
            4,
            "{kind:?}: refused attempts change nothing and log nothing"
        );
        assert_eq!(audit[0].0, "case.photo.hide");
        assert_eq!(audit[1].0, "case.description.edit");
        assert_eq!(audit[2].0, "case.photo.show");
        assert_eq!(audit[3].0, "case.photo.hide");
        assert!(audit[1].1.contains("已删除不文明用语"));
        cases
            .moderate(
                &code,
                Moderation::RestoreDescription,
                (actor, &operator),
                "9.9.9.9",
                now,
            )
            .await
            .unwrap();
        let CaseLookup::Found(back) = cases.view(&code, None, None, "x", now).await.unwrap() else {
            panic!()
        };
        assert_eq!(back.description, "井盖丢了，骂人的话在这里");
        store.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn residents_follow_cases_and_areas_and_see_them_in_my_page() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let (cases, store) = cases_on(&db).await;
        let now = 1_795_000_000_000;
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM users ORDER BY id LIMIT 2")
            .fetch_all(store.pool())
            .await
            .unwrap();
        let (me, neighbour) = (ids[0], ids[1]);
        let mine = cases
            .submit(
                ReportSubmission {
                    values: values("B0101", "井盖丢失很危险"),
                    ..Default::default()
                },
                Some(me),
                "1.1.1.1",
                now,
            )
            .await
            .unwrap();
        let mut anon = values("B0102", "路灯不亮好几天了");
        anon.anonymous = true;
        let anonymous = cases
            .submit(
                ReportSubmission {
                    values: anon,
                    ..Default::default()
                },
                Some(me),
                "1.1.1.1",
                now + 1,
            )
            .await
            .unwrap();
        let theirs = cases
            .submit(
                ReportSubmission {
                    values: values("B0102", "路灯不亮很多天"),
                    ..Default::default()
                },
                Some(neighbour),
                "1.1.1.2",
                now + 2,
            )
            .await
            .unwrap();
        let my = cases.my_cases(me).await.unwrap();
        assert_eq!(
            my.reported
                .iter()
                .map(|c| c.code.clone())
                .collect::<Vec<_>>(),
            vec![mine.code.to_string()],
            "{kind:?}: the anonymous one is not linked"
        );
        assert!(my.following.is_empty());
        // Signed in as the reporter, the case page shows the private part without the link.
        let CaseLookup::Found(own) = cases
            .view(&mine.code.to_string(), None, Some(me), "x", now)
            .await
            .unwrap()
        else {
            panic!()
        };
        assert!(own.private.is_some() && own.viewer_follows);
        let CaseLookup::Found(anon_view) = cases
            .view(&anonymous.code.to_string(), None, Some(me), "x", now)
            .await
            .unwrap()
        else {
            panic!()
        };
        assert!(
            anon_view.private.is_none(),
            "an anonymous report is not tied to the account"
        );

        assert!(
            cases
                .follow_case(me, &theirs.code.to_string(), true, now)
                .await
                .unwrap()
        );
        assert!(
            cases
                .follow_case(me, &theirs.code.to_string(), true, now)
                .await
                .unwrap(),
            "twice is fine"
        );
        assert!(
            !cases
                .follow_case(me, "XM-2026-999999", true, now)
                .await
                .unwrap()
        );
        assert!(
            cases
                .follow_area(me, "350203001001", true, now)
                .await
                .unwrap()
        );
        assert!(
            !cases
                .follow_area(me, "35020300100101", true, now)
                .await
                .unwrap(),
            "a grid cell is not an area to follow"
        );
        assert!(
            !cases.follow_area(me, "350203009", true, now).await.unwrap(),
            "unknown street"
        );
        let my = cases.my_cases(me).await.unwrap();
        assert_eq!(my.following.len(), 1);
        assert_eq!(my.areas.len(), 1);
        assert_eq!(my.areas[0].1.zh, "中山社区");
        assert!(
            cases
                .follow_case(me, &theirs.code.to_string(), false, now)
                .await
                .unwrap()
        );
        assert!(
            cases
                .follow_area(me, "350203001001", false, now)
                .await
                .unwrap()
        );
        let my = cases.my_cases(me).await.unwrap();
        assert!(my.following.is_empty() && my.areas.is_empty());
        // The area's feed rows.
        let (names, items) = cases.area_cases("350203001", "").await.unwrap().unwrap();
        assert_eq!(names.zh, "中华街道");
        assert_eq!(items.len(), 3);
        assert!(cases.area_cases("999999", "").await.unwrap().is_none());
        // One class or one category of the area; a category that is not a code is refused.
        let codes: Vec<String> = items.iter().map(|i| i.code.clone()).collect();
        let (_, none) = cases
            .area_cases("350203001", "S0999")
            .await
            .unwrap()
            .unwrap();
        assert!(none.is_empty());
        assert!(
            cases
                .area_cases("350203001", "bad!")
                .await
                .unwrap()
                .is_none()
        );
        let first: String =
            sqlx::query_scalar("SELECT category_code FROM cases WHERE tracking_code = $1")
                .bind(&codes[0])
                .fetch_one(store.pool())
                .await
                .unwrap();
        let (_, same) = cases
            .area_cases("350203001", &first)
            .await
            .unwrap()
            .unwrap();
        assert!(same.iter().any(|i| i.code == codes[0]));
        let (_, class) = cases
            .area_cases("350203001", &first[..3])
            .await
            .unwrap()
            .unwrap();
        assert!(class.len() >= same.len());
        // The whole city, of one category.
        let (city, in_city) = cases.area_cases("city", &first).await.unwrap().unwrap();
        assert_eq!(city.zh, "全市");
        assert!(in_city.len() >= same.len() && in_city.iter().any(|i| i.code == codes[0]));
        store.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn live_events_and_feeds_over_http() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[("LINLI_PUBLIC_URL", "https://linli.example.cn")]).await;
    let cases = Cases::new(server.store.clone(), Media::local(db.media.path()).unwrap());
    let http = client();
    // File a case through the form, as a resident would.
    let (cookie, csrf, _) = common::visit(&http, &server.url("/report")).await;
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf.clone())
        .text("category", "B0101")
        .text("attribute[danger]", "open")
        .text("description", "井盖丢失 <危险> & 需要处理")
        .text("lat", IN_CITY.0)
        .text("lng", IN_CITY.1);
    let res = http
        .post(server.url("/report"))
        .header("cookie", &cookie)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let code = location
        .trim_start_matches("/case/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    drop(cases);

    // Bad watch requests.
    assert_eq!(
        http.get(server.url("/events/cases"))
            .send()
            .await
            .unwrap()
            .status(),
        400
    );
    let many = vec![code.clone(); 51].join(",");
    assert_eq!(
        http.get(server.url(&format!("/events/cases?codes={many}")))
            .send()
            .await
            .unwrap()
            .status(),
        400
    );

    // A live stream for the case: a neighbour's "me too" arrives as an event.
    let res = http
        .get(server.url(&format!("/events/cases?codes={code}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-type"], "text/event-stream");
    let mut stream = res.bytes_stream();
    common::me_too(&server, &code).await;
    common::await_changed(&mut stream, &code)
        .await
        .expect("the me-too arrives as an event");

    // Feeds: well-formed, escaped, and 404 for what does not exist.
    let feed = http
        .get(server.url(&format!("/case/{code}/feed.atom")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        feed.headers()["content-type"],
        "application/atom+xml; charset=utf-8"
    );
    let xml = feed.text().await.unwrap();
    assert!(xml.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
    assert!(xml.contains("上报 Reported"));
    assert!(xml.contains("&lt;危险&gt; &amp; 需要处理"), "{xml}");
    // Links point at the configured public address, whatever Host the request came with.
    assert!(
        xml.contains(&format!(
            "<link href=\"https://linli.example.cn/case/{code}\""
        )),
        "{xml}"
    );
    let area = http
        .get(server.url("/area/350203001001/feed.atom"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(area.contains(&code) && area.contains("中山社区"));
    let by_category = http
        .get(server.url("/area/350203001001/feed.atom?category=S0999"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!by_category.contains(&code) && by_category.contains("category=S0999"));
    assert_eq!(
        http.get(server.url("/area/350203001001/feed.atom?category=%3Cx%3E"))
            .send()
            .await
            .unwrap()
            .status(),
        404,
        "not a category code"
    );
    assert_eq!(
        http.get(server.url("/area/999/feed.atom"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        http.get(server.url("/case/XM-2026-999999/feed.atom"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    // Stopping the server ends the open stream instead of hanging.
    let stopped = tokio::time::timeout(std::time::Duration::from_secs(15), server.stop()).await;
    assert!(stopped.is_ok(), "shutdown finished with a live stream open");
    db.cleanup().await;
}

#[tokio::test]
async fn a_person_gets_their_data_and_can_delete_the_account() {
    use server::account::privacy::Privacy;
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let (cases, store) = cases_on(&db).await;
        let privacy = Privacy::new(store.clone());
        let now = 1_795_000_000_000;
        // A real sign-in (demo mode hands the code back) makes the account.
        let auth = server::account::signin::Auth::new(
            store.clone(),
            std::sync::Arc::new(server::account::signin::LogSender { demo: true }),
            true,
        );
        let code = auth
            .request_code("13700000043", "1.1.1.2", now)
            .await
            .unwrap()
            .demo_code
            .unwrap();
        let user_id = auth
            .verify_code("+8613700000043", &code, now + 1)
            .await
            .unwrap();
        let mut v = values("B0101", "井盖丢失很危险");
        v.contact_phone = "13700000043".into();
        let report = cases
            .submit(
                ReportSubmission {
                    values: v,
                    ..Default::default()
                },
                Some(user_id),
                "1.1.1.1",
                now,
            )
            .await
            .unwrap();
        assert!(
            cases
                .follow_area(user_id, "350203001001", true, now)
                .await
                .unwrap()
        );

        let data = privacy.export(user_id, now).await.unwrap().unwrap();
        assert_eq!(data["account"]["phone"], "+8613700000043", "{kind:?}");
        assert_eq!(data["reports"][0]["tracking_code"], report.code.to_string());
        assert_eq!(data["reports"][0]["contact_phone"], "+8613700000043");
        assert_eq!(data["following_cases"][0], report.code.to_string());
        assert_eq!(data["following_areas"][0], "350203001001");

        assert!(
            privacy
                .delete_account(user_id, "1.1.1.1", now + 5)
                .await
                .unwrap()
        );
        assert!(
            !privacy
                .delete_account(user_id, "1.1.1.1", now + 6)
                .await
                .unwrap(),
            "only once"
        );
        assert!(privacy.export(user_id, now).await.unwrap().is_none());
        // The case stays, anonymous, with no phone; the account holds nothing personal.
        let CaseLookup::Found(c) = cases
            .view(&report.code.to_string(), None, Some(user_id), "x", now)
            .await
            .unwrap()
        else {
            panic!()
        };
        assert!(c.private.is_none());
        let phone: Option<String> =
            sqlx::query_scalar("SELECT contact_phone FROM cases WHERE tracking_code = $1")
                .bind(report.code.to_string())
                .fetch_one(store.pool())
                .await
                .unwrap();
        assert_eq!(phone, None);
        let left: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM users WHERE phone = '+8613700000043' OR (id = $1 AND phone IS NOT NULL)",
        )
        .bind(user_id)
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(left, 0);
        let codes: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM login_codes WHERE phone = '+8613700000043'",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(codes, 0);
        // Signing in again with the same number starts a fresh, empty account.
        let demo = server::account::signin::Auth::new(
            store.clone(),
            std::sync::Arc::new(server::account::signin::LogSender { demo: true }),
            true,
        );
        let again = demo
            .request_code("13700000043", "1.1.1.9", now + 120_000)
            .await
            .unwrap();
        let new_id = demo
            .verify_code("+8613700000043", &again.demo_code.unwrap(), now + 120_001)
            .await
            .unwrap();
        assert_ne!(new_id, user_id);
        assert!(cases.my_cases(new_id).await.unwrap().reported.is_empty());
        store.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn only_the_reporter_adds_follow_ups_until_the_case_is_finished() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let (cases, store) = cases_on(&db).await;
        let now = 1_795_000_000_000;
        let me: i64 = sqlx::query_scalar("SELECT id FROM users ORDER BY id LIMIT 1")
            .fetch_one(store.pool())
            .await
            .unwrap();
        let done = cases
            .submit(
                ReportSubmission {
                    values: values("B0101", "井盖丢失很危险"),
                    ..Default::default()
                },
                Some(me),
                "1.1.1.1",
                now,
            )
            .await
            .unwrap();
        let code = done.code.to_string();
        let refused = |r: Result<(), SubmitError>| match r {
            Err(SubmitError::Invalid(p)) => p,
            other => panic!("expected problems, got {other:?}"),
        };
        // Strangers, wrong keys and forged codes may not.
        assert_eq!(
            refused(
                cases
                    .add_comment(&code, None, None, "路过看看", None, "2.2.2.2", now)
                    .await
            ),
            vec![ReportProblem::NotTheReporter]
        );
        assert_eq!(
            refused(
                cases
                    .add_comment(&code, Some("00"), None, "路过看看", None, "2.2.2.2", now)
                    .await
            ),
            vec![ReportProblem::NotTheReporter]
        );
        assert_eq!(
            refused(
                cases
                    .add_comment(
                        "XM-2026-999999",
                        Some(&done.follow_key),
                        None,
                        "看看",
                        None,
                        "2.2.2.2",
                        now
                    )
                    .await
            ),
            vec![ReportProblem::NotTheReporter]
        );
        // The reporter: empty text and a text file are refused, nothing stored.
        assert_eq!(
            refused(
                cases
                    .add_comment(
                        &code,
                        Some(&done.follow_key),
                        None,
                        "  ",
                        None,
                        "1.1.1.1",
                        now
                    )
                    .await
            ),
            vec![ReportProblem::CommentEmpty]
        );
        assert_eq!(
            refused(
                cases
                    .add_comment(
                        &code,
                        Some(&done.follow_key),
                        None,
                        "补充",
                        Some(b"text".to_vec()),
                        "1.1.1.1",
                        now
                    )
                    .await
            ),
            vec![ReportProblem::PhotoNotImage]
        );
        assert_eq!(files_in(db.media.path()), 0);
        // By key, with a photo; and signed in as the reporter.
        cases
            .add_comment(
                &code,
                Some(&done.follow_key),
                None,
                "又有人差点摔倒，电话13812345678",
                Some(jpeg_with_gps(64, 64)),
                "1.1.1.1",
                now + 1,
            )
            .await
            .unwrap();
        cases
            .add_comment(&code, None, Some(me), "还没修好", None, "1.1.1.1", now + 2)
            .await
            .unwrap();
        let CaseLookup::Found(c) = cases.view(&code, None, None, "3.3.3.3", now).await.unwrap()
        else {
            panic!()
        };
        assert_eq!(c.comments.len(), 2, "{kind:?}");
        assert!(c.comments[0].text.contains("138****5678"));
        let photo = c.comments[0].photo.as_ref().expect("photo");
        let key = photo.full_url.trim_start_matches("/media/");
        let bytes = cases.visible_photo(key).await.unwrap().expect("served");
        assert!(!bytes.windows(4).any(|w| w == b"Exif"));
        assert_eq!(c.comments[1].text, "还没修好");
        // Once the case is finished, a follow-up is refused and nothing is added.
        sqlx::query("UPDATE cases SET state = 'closed', stage = 'closed' WHERE tracking_code = $1")
            .bind(&code)
            .execute(store.pool())
            .await
            .unwrap();
        assert_eq!(
            refused(
                cases
                    .add_comment(&code, None, Some(me), "还是坏的", None, "1.1.1.1", now + 3)
                    .await
            ),
            vec![ReportProblem::CaseFinished]
        );
        let comments: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM case_comments JOIN cases ON cases.id = case_id WHERE tracking_code = $1",
        )
        .bind(&code)
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(comments, 2, "{kind:?}");
        store.close().await;
        db.cleanup().await;
    }
}
