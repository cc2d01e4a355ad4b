//! `linli bench`: figures, not a pass/fail test. Seeds a throwaway store with many cases, times the
//! map's cluster query at city and street zoom, and measures report submission over real HTTP,
//! printing a trivial handler's requests per second on the same machine beside it as the yardstick.

use crate::cases::Cases;
use crate::kernel::config::Config;
use crate::kernel::media::Media;
use crate::kernel::store::Store;
use domain::cases::cluster::{MapView, StateFilter};
use domain::ports::CaseFilter;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use std::time::{Duration, Instant};

/// Deterministic pseudo-random numbers (xorshift), so two runs seed the same city.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Inserts `n` cases spread over the demo city's grid cells, 500 rows per statement (benchmarks and
/// tests that need a big store).
pub async fn seed_cases(store: &Store, n: usize) -> Result<(), String> {
    use sqlx::Row;
    let cells = sqlx::query(
        "SELECT code, min_lat, min_lng, max_lat, max_lng FROM territories WHERE level = 'grid'",
    )
    .fetch_all(store.pool())
    .await
    .map_err(|e| e.to_string())?;
    let cells: Vec<(String, f64, f64, f64, f64)> = cells
        .iter()
        .map(|r| {
            Ok((
                r.try_get("code")?,
                r.try_get("min_lat")?,
                r.try_get("min_lng")?,
                r.try_get("max_lat")?,
                r.try_get("max_lng")?,
            ))
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(|e| e.to_string())?;
    let categories: Vec<(String, String)> = sqlx::query_as(
        "SELECT code, department_code FROM categories WHERE parent_code IS NOT NULL",
    )
    .fetch_all(store.pool())
    .await
    .map_err(|e| e.to_string())?;
    let stages = [
        "reported",
        "registered",
        "dispatched",
        "handled",
        "verified",
        "closed",
    ];
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut serial = 0usize;
    const BATCH: usize = 500;
    while serial < n {
        let rows = BATCH.min(n - serial);
        let mut sql = String::from(
            "INSERT INTO cases (tracking_code, category_code, description, lat, lng, public_lat, public_lng, location_source, \
             grid_code, community_code, street_code, district_code, anonymous, follow_token_hash, stage, \
             department_code, created_at, updated_at) VALUES ",
        );
        for i in 0..rows {
            serial += 1;
            let (grid, s, w, no, e) = &cells[(rng.next() % cells.len() as u64) as usize];
            let (cat, dept) = &categories[(rng.next() % categories.len() as u64) as usize];
            let lat = s + (no - s) * rng.unit();
            let lng = w + (e - w) * rng.unit();
            let stage = stages[(rng.next() % stages.len() as u64) as usize];
            let (plat, plng) = (
                domain::geo::public_coordinate(lat),
                domain::geo::public_coordinate(lng),
            );
            let t = 1_700_000_000_000i64 + serial as i64 * 1000;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "('XM-2025-{serial:07}','{cat}','bench case',{lat:.6},{lng:.6},{plat:.3},{plng:.3},'map','{grid}','{}','{}','{}',1,'bench{serial}','{stage}','{dept}',{t},{t})",
                &grid[..12],
                &grid[..9],
                &grid[..6],
            ));
        }
        sqlx::query(&sql)
            .execute(store.pool())
            .await
            .map_err(|e| format!("seeding cases: {e}"))?;
    }
    Ok(())
}

/// One keep-alive HTTP/1.1 connection.
struct Conn {
    sender: hyper::client::conn::http1::SendRequest<Full<Bytes>>,
}

impl Conn {
    async fn open(addr: std::net::SocketAddr) -> Result<Conn, String> {
        let tcp = tokio::net::TcpStream::connect(addr)
            .await
            .map_err(|e| e.to_string())?;
        let (sender, conn) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(tcp))
                .await
                .map_err(|e| e.to_string())?;
        tokio::spawn(conn);
        Ok(Conn { sender })
    }

    async fn send(
        &mut self,
        req: hyper::Request<Full<Bytes>>,
    ) -> Result<(u16, hyper::HeaderMap, Bytes), String> {
        self.sender.ready().await.map_err(|e| e.to_string())?;
        let res = self
            .sender
            .send_request(req)
            .await
            .map_err(|e| e.to_string())?;
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let body = res
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        Ok((status, headers, body))
    }
}

fn get(path: &str) -> hyper::Request<Full<Bytes>> {
    hyper::Request::get(path)
        .header("host", "bench")
        .body(Full::new(Bytes::new()))
        .expect("valid request")
}

/// A report as the browser's form would send it, from a distinct (forwarded) client address.
fn report_request(cookie: &str, csrf: &str, n: usize) -> hyper::Request<Full<Bytes>> {
    let boundary = "linlibenchboundary";
    let mut body = String::new();
    let lat = 24.432 + (n % 97) as f64 * 0.0001;
    for (k, v) in [
        ("csrf", csrf.to_owned()),
        ("category", "B0102".to_owned()),
        ("description", format!("路灯不亮，测试 {n}")),
        ("lat", format!("{lat:.6}")),
        ("lng", "118.070".to_owned()),
    ] {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    hyper::Request::post("/report")
        .header("host", "bench")
        .header("cookie", cookie)
        .header(
            "x-forwarded-for",
            format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255),
        )
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Full::new(Bytes::from(body)))
        .expect("valid request")
}

/// Opens the report form to get a session cookie and its CSRF token.
async fn session(conn: &mut Conn) -> Result<(String, String), String> {
    let (_, headers, body) = conn.send(get("/report")).await?;
    let cookie = headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .ok_or("no session cookie")?
        .to_owned();
    let html = String::from_utf8_lossy(&body);
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .ok_or("no csrf field")?
        .to_owned();
    Ok((cookie, csrf))
}

/// Requests per second of `total` requests over `workers` connections.
async fn throughput<F, Fut>(workers: usize, total: usize, make: F) -> Result<f64, String>
where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = Result<(), String>> + Send,
{
    let started = Instant::now();
    let per = total / workers;
    let mut tasks = Vec::new();
    for w in 0..workers {
        let make = make.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..per {
                make(w * per + i).await?;
            }
            Ok::<_, String>(())
        }));
    }
    for t in tasks {
        t.await.map_err(|e| e.to_string())??;
    }
    Ok((per * workers) as f64 / started.elapsed().as_secs_f64())
}

pub async fn run(n_cases: usize) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let url = std::env::var("LINLI_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let store = Store::open(&url).await.map_err(|e| e.to_string())?;
    crate::tools::seed::seed(&store)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "linli bench · store {} · {} cases",
        crate::kernel::store::redact_url(&url),
        n_cases
    );
    let t = Instant::now();
    seed_cases(&store, n_cases).await?;
    println!(
        "seeded {n_cases} cases in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let cases = Cases::new(
        store.clone(),
        Media::local(&dir.path().join("media")).map_err(|e| e.to_string())?,
    );
    cluster_queries(&cases).await?;

    crate::tools::bench_consult::run(&store, &cases, 100_000).await?;
    crate::tools::bench_sorting::run(&store).await?;
    export_memory(&store).await?;

    let (trivial_seq, trivial_conc) = trivial_reference().await?;

    let (seq, conc) = submissions(&store, &url, dir.path()).await?;
    println!(
        "report submission (form page + multipart post, new connection each): \
         sequential {seq:.0}/s · 16 concurrent {conc:.0}/s"
    );
    println!(
        "reference, trivial handler (new connection each): sequential {trivial_seq:.0} req/s · \
         16 concurrent {trivial_conc:.0} req/s"
    );
    store.close().await;
    Ok(())
}

/// The public map's cluster query at the city and the street zoom.
async fn cluster_queries(cases: &Cases) -> Result<(), String> {
    for (label, bbox, zoom) in [
        (
            "city zoom (11), whole city",
            "117.90,24.40,118.40,24.75",
            "11",
        ),
        (
            "street zoom (16), one street",
            "118.065,24.430,118.080,24.445",
            "16",
        ),
    ] {
        let filter = CaseFilter {
            view: Some(MapView::parse(bbox, zoom).map_err(|e| e.to_string())?),
            category: String::new(),
            state: StateFilter::Open,
        };
        let mut times = Vec::new();
        let mut points = 0;
        for i in 0..23 {
            let t = Instant::now();
            let found = cases.clusters(&filter).await.map_err(|e| e.to_string())?;
            if i >= 3 {
                times.push(t.elapsed());
            }
            points = found.len();
        }
        times.sort();
        println!(
            "clusters, {label}: p50 {} · p95 {} · {points} points returned",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.95))
        );
    }
    Ok(())
}

/// The yardstick: a handler that does nothing, on this machine, over the same client; requests
/// per second one at a time and 16 at once.
async fn trivial_reference() -> Result<(f64, f64), String> {
    let trivial = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let trivial_addr = trivial.local_addr().map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        let app = axum::Router::new().route("/", axum::routing::get(|| async { "ok" }));
        let _ = axum::serve(trivial, app).await;
    });
    let trivial_seq = throughput(1, 2000, move |_| async move {
        let mut c = Conn::open(trivial_addr).await?;
        c.send(get("/")).await.map(|_| ())
    })
    .await?;
    let trivial_conc = throughput(16, 4000, move |_| async move {
        let mut c = Conn::open(trivial_addr).await?;
        c.send(get("/")).await.map(|_| ())
    })
    .await?;
    Ok((trivial_seq, trivial_conc))
}

/// Report submissions per second against the portal itself on the seeded store, one at a time
/// and 16 at once, trusting the bench's forwarded addresses.
async fn submissions(
    store: &Store,
    url: &str,
    dir: &std::path::Path,
) -> Result<(f64, f64), String> {
    let env: Vec<(String, String)> = [
        ("LINLI_CONFIG", "/dev/null".to_owned()),
        ("LINLI_ADDR", "127.0.0.1:0".to_owned()),
        ("LINLI_DATABASE_URL", url.to_owned()),
        ("LINLI_MEDIA_DIR", dir.join("media").display().to_string()),
        ("LINLI_TRUSTED_PROXIES", "127.0.0.1".to_owned()),
        ("LINLI_CLIENT_IP_HEADER", "x-forwarded-for".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let config = Config::load(&env).map_err(|e| e.to_string())?;
    let running = crate::startup::start(&config, store.clone())
        .await
        .map_err(|e| e.to_string())?;
    let addr = running.addr;
    let submit = move |n: usize| async move {
        let mut c = Conn::open(addr).await?;
        let (cookie, csrf) = session(&mut c).await?;
        let (status, _, body) = c.send(report_request(&cookie, &csrf, n)).await?;
        if status != 303 {
            return Err(format!(
                "report {n} answered {status}: {}",
                String::from_utf8_lossy(&body)
            ));
        }
        Ok(())
    };
    let seq = throughput(1, 200, submit).await?;
    let conc = throughput(16, 400, submit).await?;
    let _ = running.shutdown.send(());
    let _ = running.task.await;
    Ok((seq, conc))
}

/// This process's resident memory in MB (Linux), 0 where /proc is missing.
fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Streams every case as CSV and as GeoJSON into nothing, watching resident memory: it should
/// stay flat however many cases there are.
async fn export_memory(store: &Store) -> Result<(), String> {
    use futures_util::StreamExt;
    let all = domain::open_data::datasets::DateRange {
        from: domain::calendar::Date::new(2000, 1, 1).ok_or("date")?,
        to: domain::calendar::Date::new(2100, 1, 1).ok_or("date")?,
    };
    for (label, format) in [
        ("CSV", crate::open_data::export::ExportFormat::Csv),
        ("GeoJSON", crate::open_data::export::ExportFormat::GeoJson),
    ] {
        let before = rss_mb();
        let mut peak = before;
        let mut at_tenth = None;
        let (mut bytes, mut rows) = (0usize, 0usize);
        let t = Instant::now();
        let mut stream = Box::pin(crate::open_data::export::cases(
            store.clone(),
            format,
            all,
            "bench".to_owned(),
            None,
        ));
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| e.to_string())?;
            bytes += chunk.len();
            rows += chunk.iter().filter(|b| **b == b'\n').count();
            peak = peak.max(rss_mb());
            if at_tenth.is_none() && rows >= 100_000 {
                at_tenth = Some(rss_mb());
            }
        }
        println!(
            "export {label}, {rows} lines, {:.0} MB in {:.1} s · memory: {before:.0} MB before, \
             {:.0} MB after 100k rows, peak {peak:.0} MB (+{:.0} MB)",
            bytes as f64 / 1e6,
            t.elapsed().as_secs_f64(),
            at_tenth.unwrap_or(peak),
            peak - before
        );
    }
    Ok(())
}
