//! Streamed open-data exports of cases (CSV and GeoJSON). Rows are read a page at a time (keyset
//! paging: no store connection is held between pages) and go through a small bounded channel to
//! the response body, so a year of cases (or a million) never sits in memory, and a client that
//! reads slowly or not at all ties up neither the store nor, after `SEND_TIMEOUT`, the server.
//! At most `MAX_EXPORTS` run at once. The rows' shape and their de-identification are
//! `domain::open_data::datasets`.

use crate::kernel::store::{Store, StoreError};
use bytes::Bytes;
use domain::open_data::datasets::{CaseRecord, DateRange};
use sqlx::Row;

/// Bytes gathered before a chunk is sent.
const CHUNK_BYTES: usize = 64 * 1024;
/// Chunks waiting for a slow client before reading pauses.
const CHUNKS_IN_FLIGHT: usize = 4;
/// Rows read per page.
const PAGE_ROWS: i64 = 2000;
/// A client that takes no chunk for this long is dropped.
const SEND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);
/// Exports streaming at once, in the whole process; one more is answered 503.
pub const MAX_EXPORTS: usize = 4;
static EXPORTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(MAX_EXPORTS);

/// A place among the running exports, or `None` when all are taken.
pub fn admit() -> Option<tokio::sync::SemaphorePermit<'static>> {
    EXPORTS.try_acquire().ok()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    GeoJson,
}

const CASES_SQL: &str = "SELECT c.id, c.tracking_code, c.category_code, c.stage, c.description, \
     c.public_description, c.public_lat AS lat, c.public_lng AS lng, c.created_at, c.updated_at, c.district_code, \
     c.street_code, c.community_code, cat.name_zh AS cat_zh, cat.name_en AS cat_en, \
     t.name_zh AS comm_zh FROM cases c JOIN categories cat ON cat.code = c.category_code \
     JOIN territories t ON t.code = c.community_code \
     WHERE c.created_at < $2 AND (c.created_at > $1 OR (c.created_at = $1 AND c.id > $3)) \
     ORDER BY c.created_at, c.id LIMIT $4";

fn record(r: &sqlx::any::AnyRow) -> Result<CaseRecord, StoreError> {
    // The public position, as the store keeps it.
    let (lat, lng): (f64, f64) = (r.try_get("lat")?, r.try_get("lng")?);
    let stage: String = r.try_get("stage")?;
    Ok(CaseRecord {
        code: r.try_get("tracking_code")?,
        service_code: r.try_get("category_code")?,
        category_zh: r.try_get("cat_zh")?,
        category_en: r.try_get("cat_en")?,
        closed: stage == "closed",
        stage,
        district: r.try_get("district_code")?,
        street: r.try_get("street_code")?,
        community: r.try_get("community_code")?,
        community_zh: r.try_get("comm_zh")?,
        created: domain::open_data::open311::w3c_datetime(r.try_get("created_at")?),
        updated: domain::open_data::open311::w3c_datetime(r.try_get("updated_at")?),
        lat,
        lng,
        description: domain::privacy::public_text(
            r.try_get("public_description")?,
            &r.try_get::<String, _>("description")?,
        ),
    })
}

/// The export as a stream of chunks. It starts at once; a store failure midway ends the stream
/// with an error (the client sees a cut-off download, never a half-valid file passed as whole).
pub fn cases(
    store: Store,
    format: ExportFormat,
    range: DateRange,
    generated: String,
    permit: Option<tokio::sync::SemaphorePermit<'static>>,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(CHUNKS_IN_FLIGHT);
    tokio::spawn(async move {
        // Held until the last chunk is handed over (or the client is dropped).
        let _permit = permit;
        let result = write_cases(&store, format, range, &generated, &tx).await;
        if let Err(e) = result {
            tracing::error!(error = %e, "export failed midway");
            let _ = tx.send(Err(std::io::Error::other(e.to_string()))).await;
        }
    });
    // Fused: the compression layer polls once more after the end, which a bare unfold forbids.
    futures_util::StreamExt::fuse(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|c| (c, rx))
    }))
}

async fn write_cases(
    store: &Store,
    format: ExportFormat,
    range: DateRange,
    generated: &str,
    tx: &tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
) -> Result<u64, StoreError> {
    let mut buf = String::with_capacity(CHUNK_BYTES * 2);
    match format {
        ExportFormat::Csv => buf.push_str(domain::open_data::datasets::CSV_HEADER),
        ExportFormat::GeoJson => {
            buf.push_str(&domain::open_data::datasets::geojson_head(range, generated))
        }
    }
    // Keyset paging from (created_at, id): each page is read and its connection returned before
    // any of it is sent.
    let (mut after_at, mut after_id) = (range.start_ms(), i64::MIN);
    let mut n: u64 = 0;
    loop {
        let rows = sqlx::query(CASES_SQL)
            .bind(after_at)
            .bind(range.end_ms())
            .bind(after_id)
            .bind(PAGE_ROWS)
            .fetch_all(store.pool())
            .await?;
        let Some(last) = rows.last() else { break };
        (after_at, after_id) = (last.try_get("created_at")?, last.try_get("id")?);
        let full_page = rows.len() as i64 == PAGE_ROWS;
        for r in &rows {
            let rec = record(r)?;
            match format {
                ExportFormat::Csv => rec.csv_line(&mut buf),
                ExportFormat::GeoJson => {
                    if n > 0 {
                        buf.push_str(",\n");
                    }
                    rec.geojson_feature(&mut buf);
                }
            }
            n += 1;
            if buf.len() >= CHUNK_BYTES {
                let chunk = Bytes::from(std::mem::replace(
                    &mut buf,
                    String::with_capacity(CHUNK_BYTES * 2),
                ));
                if !send(tx, chunk).await {
                    return Ok(n);
                }
            }
        }
        if !full_page {
            break;
        }
    }
    if format == ExportFormat::GeoJson {
        buf.push_str(domain::open_data::datasets::GEOJSON_TAIL);
    }
    send(tx, Bytes::from(buf)).await;
    Ok(n)
}

/// Hands a chunk to the response; false when the client went away or took nothing for
/// `SEND_TIMEOUT` (it is then dropped).
async fn send(tx: &tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>, chunk: Bytes) -> bool {
    match tokio::time::timeout(SEND_TIMEOUT, tx.send(Ok(chunk))).await {
        Ok(Ok(())) => true,
        Ok(Err(_)) => false,
        Err(_) => {
            tracing::warn!("an export's reader took nothing for {SEND_TIMEOUT:?}: dropped");
            false
        }
    }
}
