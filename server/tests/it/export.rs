//! Open-data case exports over real HTTP on SQLite and PostgreSQL: CSV and GeoJSON with the same
//! rows, de-identified (no reporter phone or account, positions rounded to about 50 m), the date
//! range, and every bad parameter refused.

use crate::common::{BACKENDS, TestDb, TestServer, client, user};
use domain::ports::ReportValues;
use reqwest::StatusCode;
use server::cases::{Cases, ReportSubmission};
use server::kernel::media::Media;

#[tokio::test]
async fn case_exports_are_de_identified_and_filtered_by_date() {
    for kind in BACKENDS {
        let db = TestDb::new(kind).await;
        let server = TestServer::start(&db, &[]).await;
        let cases = Cases::new(server.store.clone(), Media::local(db.media.path()).unwrap());
        let user = user(&server.store, "+8613900000001").await;
        let now = server::kernel::clock::now_ms();
        let mut codes = Vec::new();
        for (i, text) in ["楼下垃圾桶满了, 有\"异味\"", "=HYPERLINK(\"x\") 路灯不亮了"]
            .iter()
            .enumerate()
        {
            let done = cases
                .submit(
                    ReportSubmission {
                        values: ReportValues {
                            category: "S0301".into(),
                            description: text.to_string(),
                            answers: vec![("volume".into(), "small".into())],
                            lat: format!("{:.6}", 24.4461 + i as f64 * 0.0013),
                            lng: "118.0823".into(),
                            location_source: "map".into(),
                            contact_phone: "13812345678".into(),
                            ..Default::default()
                        },
                        ..Default::default()
                    },
                    Some(user),
                    &format!("10.9.0.{i}"),
                    now + i as i64,
                )
                .await
                .unwrap();
            codes.push(done.code.to_string());
        }

        let get = |path: String| {
            let url = server.url(&path);
            async move {
                let res = client().get(url).send().await.unwrap();
                let status = res.status();
                let headers = res.headers().clone();
                (status, headers, res.text().await.unwrap())
            }
        };
        let (status, headers, csv) = get("/open-data/cases.csv".into()).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        assert!(
            headers["link"]
                .to_str()
                .unwrap()
                .contains("creativecommons.org")
        );
        assert!(
            headers["content-disposition"]
                .to_str()
                .unwrap()
                .contains(".csv")
        );
        let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert!(lines[0].starts_with("service_request_id,service_code,"));
        assert_eq!(lines.len(), 3, "{kind:?}: a header and two cases: {csv}");
        assert!(
            lines[1].starts_with(&codes[0]) && lines[2].starts_with(&codes[1]),
            "oldest first"
        );
        assert!(
            lines[1].contains("\"楼下垃圾桶满了, 有\"\"异味\"\"\""),
            "{}",
            lines[1]
        );
        assert!(
            lines[2].contains(",\"'=HYPERLINK"),
            "formulas neutralised: {}",
            lines[2]
        );
        for leak in ["13812345678", "8613900000001", "+86"] {
            assert!(!csv.contains(leak), "{kind:?}: {leak} leaked");
        }
        assert!(
            lines[1].contains(",24.446,118.082,"),
            "rounded: {}",
            lines[1]
        );

        // Compressed, as browsers ask for it: the whole stream arrives (the compressor polls the
        // stream once more after its end; that once cut every compressed download short).
        let res = client()
            .get(server.url("/open-data/cases.geojson"))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["content-encoding"], "gzip");
        let gz = res
            .bytes()
            .await
            .expect("the compressed download completes");
        assert_eq!(&gz[..2], &[0x1f, 0x8b], "{kind:?}: a gzip stream");
        let (status, headers, geo) = get("/open-data/cases.geojson".into()).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/geo+json")
        );
        let v: serde_json::Value = serde_json::from_str(&geo).unwrap();
        assert_eq!(v["type"], "FeatureCollection");
        assert!(v["licence"].as_str().unwrap().contains("CC BY 4.0"));
        let features = v["features"].as_array().unwrap();
        assert_eq!(features.len(), 2);
        assert_eq!(
            features[0]["properties"]["service_request_id"],
            codes[0].as_str()
        );
        let c = &features[0]["geometry"]["coordinates"];
        assert_eq!(
            (c[0].as_f64().unwrap(), c[1].as_f64().unwrap()),
            (118.082, 24.446),
            "the public position, on the 0.001° grid"
        );
        assert!(!geo.contains("13812345678"));

        // The date range: a range before today finds nothing; bad ranges are refused.
        let (status, _, csv) =
            get("/open-data/cases.csv?from=2020-01-01&to=2020-12-31".into()).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            csv.split("\r\n").filter(|l| !l.is_empty()).count(),
            1,
            "header only"
        );
        let (_, _, geo) =
            get("/open-data/cases.geojson?from=2020-01-01&to=2020-01-02".into()).await;
        let v: serde_json::Value = serde_json::from_str(&geo).unwrap();
        assert_eq!(
            v["features"].as_array().unwrap().len(),
            0,
            "valid when empty: {geo}"
        );
        for (bad, says) in [
            ("/open-data/cases.csv?from=2026-02-30", "from"),
            ("/open-data/cases.csv?to=tomorrow", "to"),
            (
                "/open-data/cases.geojson?from=2026-05-02&to=2026-05-01",
                "before",
            ),
        ] {
            let (status, _, body) = get(bad.into()).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
            assert!(body.contains(says), "{bad}: {body}");
        }

        // Published consultation results: the demo's published ones, one line per option.
        let (status, headers, csv) = get("/open-data/consultations.csv".into()).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            headers["link"]
                .to_str()
                .unwrap()
                .contains("creativecommons.org")
        );
        let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert!(lines[0].starts_with("consultation_id,title,"));
        assert!(
            lines.len() >= 3,
            "{kind:?}: options of published results: {csv}"
        );
        assert!(
            lines.iter().skip(1).any(|l| l.ends_with(",true")),
            "one option decided: {csv}"
        );
        assert!(
            !csv.contains("+86") && !csv.contains("1390000"),
            "no owner data"
        );
        let (_, _, old) =
            get("/open-data/consultations.csv?from=2020-01-01&to=2020-12-31".into()).await;
        assert_eq!(old.split("\r\n").filter(|l| !l.is_empty()).count(), 1);

        // Waste-sorting figures per community and month, as counts.
        let (status, _, csv) =
            get("/open-data/sorting.csv?from=2026-01-01&to=2026-03-31".into()).await;
        assert_eq!(status, StatusCode::OK);
        let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(
            lines[0].split(',').count(),
            lines[1].split(',').count(),
            "{csv}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("2026-03,350203001001,中山社区,"))
        );
        assert_eq!(lines.len(), 1 + 3 * 24, "three months of 24 communities");
        let (status, _, body) =
            get("/open-data/sorting.csv?from=2020-01-01&to=2026-01-01".into()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("24"), "{body}");

        let (status, _, _) = get("/open-data/cases.xlsx".into()).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        server.stop().await;
        db.cleanup().await;
    }
}
