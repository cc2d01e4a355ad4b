//! Photos in an S3-compatible bucket: a real S3 server on loopback (moto's, installed by `./dev`),
//! the same report flow as with the folder, EXIF stripped, and nothing stored when the bucket fails.

use crate::common::{Kind, TestDb, jpeg_with_gps, test_config};
use domain::ports::ReportValues;
use server::cases::{Cases, ReportSubmission};
use server::kernel::media::{Media, S3Settings};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// An S3-compatible server of its own for one test, stopped when dropped.
struct S3Server {
    child: Child,
    endpoint: String,
}

impl S3Server {
    async fn start() -> S3Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let python = std::env::var("LINLI_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned());
        let child = Command::new(&python)
            .args([
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start {python} -m moto.server (./dev test installs moto[server]): {e}"
                )
            });
        let endpoint = format!("http://127.0.0.1:{port}");
        let server = S3Server { child, endpoint };
        let http = reqwest::Client::new();
        for _ in 0..100 {
            if http.get(&server.endpoint).send().await.is_ok() {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "the S3 test server did not answer at {}: is moto[server] installed?",
            server.endpoint
        );
    }

    /// Creates a bucket (S3 CreateBucket is a PUT on the bucket's path).
    async fn bucket(&self, name: &str) -> S3Settings {
        let res = reqwest::Client::new()
            .put(format!("{}/{name}", self.endpoint))
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "create bucket: {}", res.status());
        settings(&self.endpoint, name)
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn settings(endpoint: &str, bucket: &str) -> S3Settings {
    S3Settings {
        bucket: bucket.to_owned(),
        endpoint: Some(endpoint.to_owned()),
        region: "us-east-1".to_owned(),
        access_key_id: Some("linli-test".to_owned()),
        secret_access_key: Some("linli-test-secret".to_owned()),
    }
}

fn report(photo: Vec<u8>) -> ReportSubmission {
    ReportSubmission {
        values: ReportValues {
            category: "S0501".into(),
            description: "楼下油烟很大，请处理".into(),
            lat: "24.436".into(),
            lng: "118.072".into(),
            location_source: "map".into(),
            ..Default::default()
        },
        photos: vec![photo],
        ..Default::default()
    }
}

#[tokio::test]
async fn photos_go_to_an_s3_bucket_without_exif_and_nothing_stays_when_it_fails() {
    let s3 = S3Server::start().await;
    let media = Media::s3(&s3.bucket("linli-photos").await).unwrap();
    media
        .check()
        .await
        .expect("a reachable bucket passes the start check");
    // The raw store: put, get, delete.
    media.put("probe/a.txt", b"hello".to_vec()).await.unwrap();
    assert_eq!(
        &media.get("probe/a.txt").await.unwrap().unwrap()[..],
        b"hello"
    );
    media.delete_all(&["probe/a.txt".to_owned()]).await;
    assert!(media.get("probe/a.txt").await.unwrap().is_none());

    // A report with a GPS-tagged photo: stored in the bucket, re-encoded, served back.
    let db = TestDb::new(Kind::Sqlite).await;
    let store = db.open().await;
    server::tools::seed::seed(&store).await.unwrap();
    let cases = Cases::new(store.clone(), media.clone());
    let now = server::kernel::clock::now_ms();
    let done = cases
        .submit(report(jpeg_with_gps(640, 480)), None, "10.0.0.1", now)
        .await
        .unwrap();
    let key: String = sqlx::query_scalar("SELECT full_key FROM case_photos")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let stored = media
        .get(&key)
        .await
        .unwrap()
        .expect("the photo is in the bucket");
    assert!(
        !stored.windows(4).any(|w| w == b"Exif"),
        "EXIF (and its GPS) gone"
    );
    assert_eq!(
        cases.visible_photo(&key).await.unwrap().as_deref(),
        Some(&stored[..])
    );
    assert!(done.code.to_string().starts_with("XM-"));

    // A bucket that does not exist: the report fails and leaves no case behind.
    let missing = Media::s3(&settings(&s3.endpoint, "no-such-bucket")).unwrap();
    assert!(missing.check().await.is_err(), "the start check catches it");
    let broken = Cases::new(store.clone(), missing);
    assert!(
        broken
            .submit(report(jpeg_with_gps(320, 240)), None, "10.0.0.2", now)
            .await
            .is_err()
    );
    let cases_stored: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM cases")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(cases_stored, 1, "only the first report");
    db.cleanup().await;
}

#[tokio::test]
async fn the_bucket_is_configuration_and_its_secret_is_never_printed() {
    let db = TestDb::new(Kind::Sqlite).await;
    let config = test_config(
        &db.url,
        &[
            ("LINLI_MEDIA_S3_BUCKET", "photos"),
            ("LINLI_MEDIA_S3_ENDPOINT", "http://127.0.0.1:9000/"),
            ("LINLI_MEDIA_S3_ACCESS_KEY_ID", "AKID"),
            ("LINLI_MEDIA_S3_SECRET_ACCESS_KEY", "very-secret"),
        ],
    );
    let s3 = config.media_s3.clone().expect("a bucket is configured");
    assert_eq!(s3.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
    assert_eq!(s3.region, "us-east-1");
    assert!(!format!("{config:?}").contains("very-secret"));
    // A bad endpoint, and a key without its secret, stop the start with a clear message.
    for (extra, setting) in [
        (
            vec![
                ("LINLI_MEDIA_S3_BUCKET", "photos"),
                ("LINLI_MEDIA_S3_ENDPOINT", "ftp://x"),
            ],
            "media_s3_endpoint",
        ),
        (
            vec![
                ("LINLI_MEDIA_S3_BUCKET", "photos"),
                ("LINLI_MEDIA_S3_ACCESS_KEY_ID", "AKID"),
            ],
            "media_s3_access_key_id",
        ),
    ] {
        let mut env: Vec<(String, String)> = vec![
            ("LINLI_CONFIG".into(), "/dev/null".into()),
            ("LINLI_DATABASE_URL".into(), db.url.clone()),
        ];
        env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let err = server::kernel::config::Config::load(&env).unwrap_err();
        assert_eq!(err.setting, setting);
    }
    db.cleanup().await;
}
