//! The REST API `/api/v1/` over real HTTP: the OpenAPI 3.1 document lists every endpoint, each
//! endpoint answers what its schema says, bad parameters get a 400 with a JSON error, unknown
//! things a 404, and nothing carries who reported.

use crate::common::{Kind, TestDb, TestServer, client};
use domain::ports::ReportValues;
use reqwest::StatusCode;
use serde_json::Value;
use server::cases::{Cases, ReportSubmission};
use server::kernel::media::Media;

async fn get(server: &TestServer, path: &str) -> (StatusCode, Value) {
    let res = client().get(server.url(path)).send().await.unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    let v =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {text}"));
    (status, v)
}

#[tokio::test]
async fn the_api_answers_what_its_openapi_document_says() {
    let db = TestDb::new(Kind::Sqlite).await;
    let server = TestServer::start(&db, &[]).await;
    let cases = Cases::new(server.store.clone(), Media::local(db.media.path()).unwrap());
    let filed = cases
        .submit(
            ReportSubmission {
                values: ReportValues {
                    category: "S0301".into(),
                    description: "小区门口垃圾堆了三天".into(),
                    answers: vec![("volume".into(), "medium".into())],
                    lat: "24.4461".into(),
                    lng: "118.0823".into(),
                    location_source: "map".into(),
                    contact_phone: "13812345678".into(),
                    ..Default::default()
                },
                ..Default::default()
            },
            None,
            "10.8.0.1",
            server::kernel::clock::now_ms(),
        )
        .await
        .unwrap();
    let code = filed.code.to_string();

    let (status, doc) = get(&server, "/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    for path in [
        "/api/v1/categories",
        "/api/v1/territories",
        "/api/v1/cases",
        "/api/v1/cases/{code}",
        "/api/v1/consultations",
        "/api/v1/consultations/{id}",
        "/api/v1/sorting/ranking",
        "/api/v1/sorting/communities/{code}",
    ] {
        assert!(
            doc["paths"][path]["get"].is_object(),
            "{path} is documented"
        );
    }

    assert_eq!(
        doc["paths"]["/api/v1/cases/{code}"]["get"]["parameters"][0]["schema"]["pattern"],
        "^XM-[0-9]{4}-[0-9]{6,9}$",
        "generated requests look like tracking codes"
    );
    let (_, cats) = get(&server, "/api/v1/categories").await;
    let s03 = cats
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "S03")
        .unwrap();
    assert_eq!(s03["kind"], "event");
    let s0301 = s03["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "S0301")
        .unwrap();
    // 暴露垃圾 asks how much, in both languages, with its choices.
    let volume = &s0301["questions"][0];
    assert_eq!(volume["code"], "volume");
    assert_eq!(volume["datatype"], "singlevaluelist");
    assert_eq!(volume["required"], true);
    assert_eq!(volume["prompt"]["en"], "How much rubbish?");
    assert_eq!(volume["choices"].as_array().unwrap().len(), 3);
    assert_eq!(volume["choices"][2]["names"]["en"], "A lot (needs a truck)");

    let (_, places) = get(&server, "/api/v1/territories").await;
    let zs = places
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "350203001001")
        .unwrap();
    assert_eq!(zs["level"], "community");
    assert_eq!(zs["parent"], "350203001");
    assert!(
        places
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["level"] != "grid")
    );

    let (status, list) = get(
        &server,
        "/api/v1/cases?state=all&category=S03&bbox=118.0,24.4,118.2,24.5",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list[0]["code"], code.as_str());
    assert!(list[0]["created"].as_str().unwrap().ends_with("+08:00"));
    let (_, none) = get(&server, "/api/v1/cases?category=B01").await;
    assert!(none.as_array().unwrap().is_empty());

    let (status, one) = get(&server, &format!("/api/v1/cases/{code}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["stage"], "reported");
    assert_eq!(one["timeline"][0]["stage"], "reported");
    let text = one.to_string();
    assert!(
        !text.contains("13812345678") && !text.contains("contact"),
        "{text}"
    );

    let (status, cons) = get(&server, "/api/v1/consultations").await;
    assert_eq!(status, StatusCode::OK);
    let published = cons
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["phase"] == "published" || c["phase"] == "followup")
        .expect("the demo has a published consultation");
    let (status, c) = get(
        &server,
        &format!("/api/v1/consultations/{}", published["id"]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        c["result"]["total"]["area_m2"]
            .as_str()
            .unwrap()
            .contains('.'),
        "{c}"
    );
    assert!(c["result"]["options"].as_array().unwrap().len() >= 2);
    let voting = cons
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["phase"] == "vote")
        .unwrap();
    let (_, v) = get(&server, &format!("/api/v1/consultations/{}", voting["id"])).await;
    assert!(v["result"].is_null(), "no result before publication");

    let (status, r) = get(&server, "/api/v1/sorting/ranking?area=350203001").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(r["area_code"], "350203001");
    assert!(r["city"].is_object());
    let (status, t) = get(&server, "/api/v1/sorting/communities/350203001001").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(t["months"].as_array().unwrap().len(), 12);

    for (bad, status) in [
        ("/api/v1/cases?bbox=1,2,3", StatusCode::BAD_REQUEST),
        ("/api/v1/cases?state=pending", StatusCode::BAD_REQUEST),
        ("/api/v1/cases?category=X1", StatusCode::BAD_REQUEST),
        ("/api/v1/cases?page=1001", StatusCode::BAD_REQUEST),
        ("/api/v1/cases?page=-1", StatusCode::BAD_REQUEST),
        ("/api/v1/cases/not-a-code", StatusCode::BAD_REQUEST),
        ("/api/v1/cases/XM-2026-999999", StatusCode::NOT_FOUND),
        ("/api/v1/consultations/abc", StatusCode::NOT_FOUND),
        ("/api/v1/consultations/999999", StatusCode::NOT_FOUND),
        ("/api/v1/sorting/communities/999", StatusCode::NOT_FOUND),
        ("/api/v1/nothing/here", StatusCode::NOT_FOUND),
    ] {
        let res = client().get(server.url(bad)).send().await.unwrap();
        assert_eq!(res.status(), status, "{bad}");
        let body = res.text().await.unwrap();
        assert!(
            body.contains("\"error\""),
            "{bad}: a JSON error, got {body}"
        );
    }

    let res = client()
        .get(server.url("/api/v1/docs"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("cdn"),
        "{csp}"
    );
    let html = res.text().await.unwrap();
    assert!(html.contains("/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js"));
    server.stop().await;
    db.cleanup().await;
}
