//! Open311 GeoReport v2 conformance over real HTTP, on SQLite and PostgreSQL, written from the spec
//! (http://wiki.open311.org/GeoReport_v2): every endpoint and every error path in both formats,
//! empty parameters counting as absent, the 90-day window, comma lists, API keys (wrong, revoked),
//! and no reporter data in any answer.

use crate::common::{BACKENDS, TestDb, TestServer, client, user};
use reqwest::StatusCode;
use serde_json::Value;
use server::cases::Cases;
use server::kernel::media::Media;
use server::open311::{DEMO_KEY, Open311};

const PHONE: &str = "13912345678";

/// A form as field names and values.
type Form = Vec<(&'static str, String)>;

async fn get(server: &TestServer, path: &str) -> (StatusCode, String, String) {
    let res = client()
        .get(server.url(&format!("/open311/v2/{path}")))
        .send()
        .await
        .unwrap();
    let status = res.status();
    let ctype = res.headers()["content-type"].to_str().unwrap().to_owned();
    (status, ctype, res.text().await.unwrap())
}

async fn post(server: &TestServer, format: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
    let res = client()
        .post(server.url(&format!("/open311/v2/requests.{format}")))
        .form(form)
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

/// The spec's error body in JSON: `[{"code": …, "description": …}]`.
fn json_error(body: &str, code: u16) -> String {
    let v = json(body);
    assert_eq!(v[0]["code"], code, "{body}");
    v[0]["description"].as_str().unwrap().to_owned()
}

/// The spec's error body in XML.
fn xml_error(body: &str, code: u16) {
    assert!(
        body.starts_with("<?xml")
            && body.contains(&format!("<errors><error><code>{code}</code><description>")),
        "{body}"
    );
}

#[tokio::test]
async fn open311_endpoints_and_errors_in_both_formats() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let server = TestServer::start(&db, &[]).await;
        let store = server.store.clone();
        let (lat, lng): (f64, f64) = {
            let r: (f64, f64, f64, f64) = sqlx::query_as(
                "SELECT min_lat, min_lng, max_lat, max_lng FROM territories WHERE code = '350203001002'",
            )
            .fetch_one(store.pool())
            .await
            .unwrap();
            ((r.0 + r.2) / 2.0, (r.1 + r.3) / 2.0)
        };
        let (lat_s, lng_s) = (format!("{lat:.6}"), format!("{lng:.6}"));

        // discovery
        let (status, ctype, body) = get(&server, "discovery.json").await;
        assert_eq!(status, StatusCode::OK);
        assert!(ctype.starts_with("application/json"));
        let d = json(&body);
        assert_eq!(
            d["endpoints"][0]["specification"],
            "http://wiki.open311.org/GeoReport_v2"
        );
        assert_eq!(d["endpoints"][0]["formats"][1], "application/json");
        let (_, ctype, body) = get(&server, "discovery.xml").await;
        assert!(ctype.starts_with("text/xml"));
        assert!(body.contains("<discovery><changeset>"), "{body}");
        assert!(body.contains(
            "<formats><format>text/xml</format><format>application/json</format></formats>"
        ));

        // services
        let (status, _, body) = get(&server, "services.json").await;
        assert_eq!(status, StatusCode::OK);
        let services = json(&body);
        let s = services
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["service_code"] == "S0301")
            .expect("暴露垃圾 is a service");
        assert_eq!(s["service_name"], "暴露垃圾");
        assert_eq!(s["metadata"], true, "暴露垃圾 asks how much");
        let b0401 = services
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["service_code"] == "B0401")
            .unwrap();
        assert_eq!(b0401["metadata"], false);
        assert_eq!(s["type"], "realtime");
        assert!(!s["group"].as_str().unwrap().is_empty());
        for field in ["description", "keywords"] {
            assert!(s[field].is_string(), "{field}");
        }
        let (_, _, body) = get(&server, "services.xml").await;
        assert!(body.contains("<services><service><service_code>"), "{body}");
        assert!(body.contains("<metadata>false</metadata><type>realtime</type>"));

        // services/{code}
        let (status, _, body) = get(&server, "services/B0401.json").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            json(&body),
            serde_json::json!({"service_code": "B0401", "attributes": []})
        );
        let (_, _, body) = get(&server, "services/B0401.xml").await;
        assert!(body.contains("<service_definition><service_code>B0401</service_code><attributes></attributes></service_definition>"), "{body}");
        let (_, _, body) = get(&server, "services/S0301.json").await;
        let a = &json(&body)["attributes"][0];
        assert_eq!(a["code"], "volume");
        assert_eq!(a["datatype"], "singlevaluelist");
        assert_eq!(a["required"], true);
        assert_eq!(a["variable"], true);
        assert_eq!(a["values"][2]["key"], "large");
        let (_, _, body) = get(&server, "services/S0301.xml").await;
        assert!(
            body.contains("<attributes><attribute><variable>true</variable><code>volume</code>"),
            "{body}"
        );
        assert!(
            body.contains("<values><value><key>small</key><name>"),
            "{body}"
        );
        let (status, _, body) = get(&server, "services/Z9999.json").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        json_error(&body, 404);
        let (status, _, body) = get(&server, "services/Z9999.xml").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        xml_error(&body, 404);

        // POST requests: every refusal, in both formats, and nothing is written.
        let cases_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases")
            .fetch_one(store.pool())
            .await
            .unwrap();
        let admin = user(&store, "+8613900000011").await;
        let open311 = Open311::new(
            store.clone(),
            Cases::new(store.clone(), Media::local(db.media.path()).unwrap()),
        );
        let revoked = open311.issue_key(admin, "旧热线", "t", 1).await.unwrap();
        let revoked_id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM api_keys")
            .fetch_one(store.pool())
            .await
            .unwrap();
        open311.revoke_key(admin, revoked_id, "t", 2).await.unwrap();
        let long = "垃".repeat(4001);
        let place = [("lat", lat_s.as_str()), ("long", lng_s.as_str())];
        let with = |extra: &[(&'static str, &str)]| -> Form {
            let mut f = vec![
                ("api_key", DEMO_KEY.to_owned()),
                ("service_code", "S0301".to_owned()),
                ("description", "路口有一堆建筑垃圾".to_owned()),
                ("attribute[volume]", "medium".to_owned()),
            ];
            for (k, v) in extra {
                f.retain(|(name, _)| name != k);
                f.push((k, v.to_string()));
            }
            f
        };
        let refusals: Vec<(Form, u16, &str)> = vec![
            (
                with(&[("api_key", ""), place[0], place[1]]),
                403,
                "api_key is required",
            ),
            (
                with(&[("api_key", "lk_wrong"), place[0], place[1]]),
                403,
                "not valid",
            ),
            (
                with(&[("api_key", revoked.as_str()), place[0], place[1]]),
                403,
                "revoked",
            ),
            (
                with(&[("service_code", "Z9999"), place[0], place[1]]),
                400,
                "Z9999",
            ),
            (
                with(&[("service_code", ""), place[0], place[1]]),
                400,
                "service_code is required",
            ),
            (with(&[place[0]]), 400, "lat was sent without long"),
            (with(&[place[1]]), 400, "long was sent without lat"),
            (with(&[]), 400, "location is required"),
            (with(&[("lat", "abc"), ("long", "def")]), 400, "WGS-84"),
            (with(&[("lat", "24.4"), ("long", "181")]), 400, "WGS-84"),
            (
                with(&[("lat", "31.23"), ("long", "121.47")]),
                400,
                "outside",
            ),
            (
                with(&[("address_string", "火星某路 1 号")]),
                400,
                "communities",
            ),
            (
                with(&[("description", long.as_str()), place[0], place[1]]),
                400,
                "4000",
            ),
            (
                with(&[("description", "脏"), place[0], place[1]]),
                400,
                "too short",
            ),
            (
                with(&[("phone", "12345"), place[0], place[1]]),
                400,
                "phone",
            ),
            (
                with(&[("attribute[volume]", ""), place[0], place[1]]),
                400,
                "attribute[volume] is required",
            ),
            (
                with(&[("attribute[volume]", "huge"), place[0], place[1]]),
                400,
                "'huge' is not one of",
            ),
        ];
        for (form, code, says) in &refusals {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let (status, body) = post(&server, "json", &form).await;
            assert_eq!(status.as_u16(), *code, "{kind:?} {form:?}: {body}");
            let description = json_error(&body, *code);
            assert!(description.contains(says), "{form:?}: {description}");
            let (status, body) = post(&server, "xml", &form).await;
            assert_eq!(status.as_u16(), *code);
            xml_error(&body, *code);
        }
        let cases_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(
            cases_before, cases_after,
            "{kind:?}: no refused request left a case"
        );

        // POST requests: good ones, by position (with reporter details) and by address only.
        let (status, body) = post(
            &server,
            "json",
            &[
                ("api_key", DEMO_KEY),
                ("service_code", "S0301"),
                ("lat", &lat_s),
                ("long", &lng_s),
                ("description", "路口有一堆建筑垃圾，影响通行"),
                ("phone", PHONE),
                ("email", "reporter@example.com"),
                ("first_name", "王"),
                ("last_name", "小明"),
                ("media_url", "http://example.com/a.jpg"),
                ("attribute[size]", "large"),
                ("attribute[volume]", "large"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let created = json(&body);
        let first = created[0]["service_request_id"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            created[0]["service_notice"]
                .as_str()
                .unwrap()
                .contains(&first)
        );
        assert!(created[0]["account_id"].is_null());
        let (status, body) = post(
            &server,
            "xml",
            &[
                ("api_key", DEMO_KEY),
                ("service_code", "B0401"),
                ("address_string", "思明区中华街道中山社区中山路 12 号旁"),
                ("description", "垃圾桶破了一个大洞"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let second = body
            .split("<service_request_id>")
            .nth(1)
            .and_then(|s| s.split('<').next())
            .expect("an id in the XML answer")
            .to_owned();
        assert!(body.starts_with("<?xml") && body.contains("<service_requests><request>"));
        let (source, key, community, contact): (String, Option<i64>, String, Option<String>) =
            sqlx::query_as(
                "SELECT c.source, c.api_key_id, c.community_code, c.contact_phone FROM cases c \
                 WHERE c.tracking_code = $1",
            )
            .bind(&first)
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(source, "open311");
        assert!(key.is_some(), "{kind:?}: the key is recorded");
        assert_eq!(community, "350203001002");
        assert_eq!(contact.as_deref(), Some("+8613912345678"), "kept for staff");
        let answers: Vec<(String, String)> = sqlx::query_as(
            "SELECT a.code, a.answer FROM case_answers a JOIN cases c ON c.id = a.case_id \
             WHERE c.tracking_code = $1",
        )
        .bind(&first)
        .fetch_all(store.pool())
        .await
        .unwrap();
        assert_eq!(
            answers,
            [("volume".to_owned(), "large".to_owned())],
            "unasked attributes dropped"
        );
        let (_, api) = {
            let res = client()
                .get(server.url(&format!("/api/v1/cases/{first}")))
                .send()
                .await
                .unwrap();
            (res.status(), json(&res.text().await.unwrap()))
        };
        assert_eq!(api["answers"][0]["question"]["zh"], "垃圾有多少？");
        assert_eq!(api["answers"][0]["question"]["en"], "How much rubbish?");
        assert_eq!(api["answers"][0]["answer"]["zh"], "大量（需要车辆清运）");
        assert_eq!(api["answers"][0]["answer"]["en"], "A lot (needs a truck)");
        let second_community: String =
            sqlx::query_scalar("SELECT community_code FROM cases WHERE tracking_code = $1")
                .bind(&second)
                .fetch_one(store.pool())
                .await
                .unwrap();
        assert_eq!(
            second_community, "350203001001",
            "{kind:?}: found by the community's name"
        );

        // GET requests: defaults, filters, empty parameters, windows, lists.
        let ids = |body: &str| -> Vec<String> {
            json(body)
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["service_request_id"].as_str().unwrap().to_owned())
                .collect()
        };
        let (status, _, body) = get(&server, "requests.json").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(ids(&body), [second.clone(), first.clone()], "newest first");
        for leak in [PHONE, "reporter@example.com", "小明", "8613912345678"] {
            assert!(!body.contains(leak), "{kind:?}: {leak} leaked: {body}");
        }
        let r = &json(&body)[1];
        assert_eq!(r["status"], "open");
        assert!(r["status_notes"].as_str().unwrap().contains("Reported"));
        assert_eq!(r["service_code"], "S0301");
        assert_eq!(r["service_name"], "暴露垃圾");
        assert!(
            r["requested_datetime"]
                .as_str()
                .unwrap()
                .ends_with("+08:00")
        );
        assert!(r["updated_datetime"].as_str().unwrap().ends_with("+08:00"));
        let snapped = |v: f64| ((v / 0.0005).round() * 0.0005 - v).abs() < 1e-9;
        assert!(snapped(r["lat"].as_f64().unwrap()) && snapped(r["long"].as_f64().unwrap()));
        assert!(
            (r["lat"].as_f64().unwrap() - lat).abs() < 0.0003,
            "about 50 m at most"
        );
        for field in [
            "agency_responsible",
            "expected_datetime",
            "address",
            "media_url",
            "zipcode",
        ] {
            assert!(r.get(field).is_some(), "{field} is present (null or not)");
        }
        let same = get(
            &server,
            "requests.json?start_date=&end_date=&status=&service_code=&service_request_id=",
        )
        .await;
        assert_eq!(
            ids(&same.2),
            [second.clone(), first.clone()],
            "empty equals absent"
        );
        let (_, _, body) = get(&server, "requests.json?service_code=S0301").await;
        assert_eq!(ids(&body), std::slice::from_ref(&first));
        let (_, _, body) = get(
            &server,
            "requests.json?service_code=S0301,B0401&status=open",
        )
        .await;
        assert_eq!(ids(&body).len(), 2, "comma lists");
        let (_, _, body) = get(&server, "requests.json?status=closed").await;
        assert!(ids(&body).is_empty());
        let (_, _, body) = get(
            &server,
            &format!("requests.json?service_request_id={first},{second}"),
        )
        .await;
        assert_eq!(ids(&body).len(), 2);
        let now = server::kernel::clock::now_ms();
        let day = |offset: i64| domain::open_data::open311::w3c_datetime(now + offset * 86_400_000);
        let window = |s: i64, e: i64| {
            format!(
                "requests.json?start_date={}&end_date={}",
                urlencode(&day(s)),
                urlencode(&day(e))
            )
        };
        let (status, _, body) = get(&server, &window(-89, 1)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(ids(&body).len(), 2, "exactly 90 days is allowed");
        let (status, _, body) = get(&server, &window(-90, 1)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(json_error(&body, 400).contains("90 days"));
        let (status, _, body) = get(&server, &window(1, -1)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(json_error(&body, 400).contains("after"));
        let (_, _, body) = get(&server, &window(-30, -20)).await;
        assert!(
            ids(&body).is_empty(),
            "a window in the past finds nothing new"
        );
        for bad in [
            "requests.json?service_request_id=XM-2026-1,,",
            "requests.json?service_request_id=abc",
            "requests.json?status=pending",
            "requests.json?start_date=yesterday",
        ] {
            let (status, _, body) = get(&server, bad).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
            json_error(&body, 400);
            let (status, _, body) = get(&server, &bad.replace(".json", ".xml")).await;
            assert_eq!(status, StatusCode::BAD_REQUEST);
            xml_error(&body, 400);
        }

        // requests/{id}
        let (status, _, body) = get(&server, &format!("requests/{first}.xml")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains(&format!("<service_requests><request><service_request_id>{first}</service_request_id><status>open</status>")), "{body}");
        assert!(body.contains("<zipcode/>"));
        let (status, _, body) = get(&server, "requests/XM-2026-999999.json").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        json_error(&body, 404);
        let (status, _, body) = get(&server, "requests/nonsense.xml").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        xml_error(&body, 404);

        // tokens/{token}
        let (status, _, body) = get(&server, &format!("tokens/{first}.json")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(json(&body)[0]["service_request_id"], first.as_str());
        assert_eq!(json(&body)[0]["token"], first.as_str());
        let (status, _, body) = get(&server, "tokens/unknown.json").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        json_error(&body, 404);

        // Unsupported formats and paths.
        for bad in ["requests.csv", "requests", "services.html"] {
            let (status, ctype, body) = get(&server, bad).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
            assert!(ctype.starts_with("text/xml"));
            xml_error(&body, 400);
        }
        let (status, _, body) = get(&server, "nothing.json").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        json_error(&body, 404);
        let (status, body) = post(&server, "csv", &[("api_key", DEMO_KEY)]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        xml_error(&body, 400);

        server.stop().await;
        db.cleanup().await;
    }
}

fn urlencode(s: &str) -> String {
    s.replace('+', "%2B").replace(':', "%3A")
}

#[tokio::test]
async fn admins_issue_and_revoke_keys_over_http_and_others_cannot() {
    use crate::common::{Browser, Kind};
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    let (lat, lng): (f64, f64) = sqlx::query_as(
        "SELECT (min_lat + max_lat) / 2, (min_lng + max_lng) / 2 FROM territories WHERE code = '350203001001'",
    )
    .fetch_one(server.store.pool())
    .await
    .unwrap();
    let (lat, lng) = (lat.to_string(), lng.to_string());

    // A resident may neither see nor issue keys.
    let mut resident = Browser::new(&server);
    resident.sign_in("13900000001").await;
    let (_, html) = resident.get("/admin/keys").await;
    assert!(html.contains(r#"data-testid="forbidden""#));
    let csrf = resident.csrf("/report").await;
    let res = resident
        .post(
            "/admin/keys",
            &[("csrf", &csrf), ("action", "issue"), ("organisation", "X")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    let mut admin = Browser::new(&server);
    admin.sign_in("13900000011").await;
    let csrf = admin.csrf("/admin/keys").await;
    let res = admin
        .post(
            "/admin/keys",
            &[("csrf", &csrf), ("action", "issue"), ("organisation", "  ")],
        )
        .await;
    assert_eq!(
        res.headers()["location"],
        "/admin/keys?done=bad-organisation"
    );
    let res = admin
        .post(
            "/admin/keys",
            &[
                ("csrf", &csrf),
                ("action", "issue"),
                ("organisation", "思明区12345热线"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    let key = html
        .split(r#"data-testid="new-key">"#)
        .nth(1)
        .map(|s| s.split('<').next().unwrap().to_owned())
        .expect("the new key is shown once");
    assert!(key.starts_with("lk_"), "{key}");
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM api_keys WHERE key_hash LIKE $1")
        .bind(format!("%{key}%"))
        .fetch_one(server.store.pool())
        .await
        .unwrap();
    assert_eq!(stored, 0, "only the hash is kept");

    let file = |key: String| {
        let (lat, lng) = (lat.clone(), lng.clone());
        let server = &server;
        async move {
            post(
                server,
                "json",
                &[
                    ("api_key", key.as_str()),
                    ("service_code", "S0301"),
                    ("lat", &lat),
                    ("long", &lng),
                    ("description", "热线转来的问题：垃圾堆放"),
                    ("attribute[volume]", "small"),
                ],
            )
            .await
            .0
        }
    };
    assert_eq!(file(key.clone()).await, StatusCode::OK);
    // Staff see where the case came from.
    let code: String =
        sqlx::query_scalar("SELECT tracking_code FROM cases WHERE source = 'open311'")
            .fetch_one(server.store.pool())
            .await
            .unwrap();
    let mut operator = Browser::new(&server);
    operator.sign_in("13900000005").await;
    let (_, html) = operator.get(&format!("/staff/case/{code}")).await;
    assert!(
        html.contains("来源：Open311 接口（思明区12345热线）"),
        "{html}"
    );
    let (_, html) = admin.get("/admin/keys").await;
    assert!(html.contains("思明区12345热线"));
    assert!(
        html.contains("1 cases filed") || html.contains("已提交 1 件"),
        "{html}"
    );
    let id: i64 =
        sqlx::query_scalar("SELECT id FROM api_keys WHERE organisation = '思明区12345热线'")
            .fetch_one(server.store.pool())
            .await
            .unwrap();
    let res = admin
        .post(
            "/admin/keys",
            &[
                ("csrf", &csrf),
                ("action", "revoke"),
                ("key", &id.to_string()),
            ],
        )
        .await;
    assert_eq!(res.headers()["location"], "/admin/keys?done=revoked");
    assert_eq!(file(key).await, StatusCode::FORBIDDEN);
    let res = admin
        .post(
            "/admin/keys",
            &[
                ("csrf", &csrf),
                ("action", "revoke"),
                ("key", &id.to_string()),
            ],
        )
        .await;
    assert_eq!(res.headers()["location"], "/admin/keys?done=missing");
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('api_key.issue', 'api_key.revoke')",
    )
    .fetch_one(server.store.pool())
    .await
    .unwrap();
    assert_eq!(audited, 2);
    server.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn one_key_files_at_most_sixty_requests_a_minute_and_is_told_when_to_retry() {
    use crate::common::Kind;
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    let store = server.store.clone();
    let (lat, lng): (f64, f64) = sqlx::query_as(
        "SELECT (min_lat + max_lat) / 2, (min_lng + max_lng) / 2 FROM territories WHERE code = '350203001001'",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    let (lat, lng) = (lat.to_string(), lng.to_string());
    let open311 = Open311::new(
        store.clone(),
        Cases::new(store.clone(), Media::local(db.media.path()).unwrap()),
    );
    let request = |description: &str| {
        domain::open_data::open311::Params::new(
            [
                ("api_key", DEMO_KEY),
                ("service_code", "S0301"),
                ("lat", lat.as_str()),
                ("long", lng.as_str()),
                ("description", description),
                ("attribute[volume]", "small"),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned())),
        )
    };
    let now = 1_795_000_000_000;
    // Sixty refused requests (too short) in one minute use the key's allowance...
    for _ in 0..60 {
        match open311.create(&request("脏"), "https://x", now).await {
            Err(server::open311::Open311Failure::Refused(e)) => assert_eq!(e.code, 400),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
    // ...so a good one is turned away with a wait, and files nothing.
    match open311
        .create(&request("路口有一堆垃圾"), "https://x", now + 1000)
        .await
    {
        Err(server::open311::Open311Failure::Limited(wait)) => {
            assert!((1..=60).contains(&wait.seconds()), "{}", wait.seconds())
        }
        other => panic!("expected the limit, got {other:?}"),
    }
    let filed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases WHERE source = 'open311'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(filed, 0);
    // A minute later it goes through.
    assert!(
        open311
            .create(&request("路口有一堆垃圾"), "https://x", now + 61_000)
            .await
            .is_ok()
    );

    // Over HTTP the refusal is a 429 in the spec's error format, with Retry-After.
    for _ in 0..60 {
        let _ = open311
            .create(&request("脏"), "https://x", server::kernel::clock::now_ms())
            .await;
    }
    let res = client()
        .post(server.url("/open311/v2/requests.json"))
        .form(&[
            ("api_key", DEMO_KEY),
            ("service_code", "S0301"),
            ("lat", lat.as_str()),
            ("long", lng.as_str()),
            ("description", "路口有一堆垃圾"),
            ("attribute[volume]", "small"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key("retry-after"));
    let body = res.text().await.unwrap();
    assert!(json_error(&body, 429).contains("api_key"), "{body}");
    server.stop().await;
    db.cleanup().await;
}
