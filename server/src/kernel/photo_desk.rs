//! The photo desk every form with photos shares: admission to the decoder (a bounded queue, so a
//! burst of uploads is refused with 503 instead of holding their bytes without end), decoding at most
//! two at once, storing the re-encoded files, and recording them against their owner.

use crate::kernel::media::{Media, MediaError};
use crate::kernel::photos::ProcessedPhoto;
use crate::kernel::secrets::random_hex;
use crate::kernel::store::{Store, StoreError};
use domain::cases::report::ReportProblem;
use domain::ports::PhotoView;
use sqlx::Row;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Photo decoding is CPU- and memory-heavy: at most this many at once, whatever the traffic.
const CONCURRENT_DECODES: usize = 2;
/// Requests decoding or waiting to: beyond this a photo is refused at once (503) instead of queueing
/// without end with its bytes in memory.
const DECODE_QUEUE: usize = 16;
/// How long a photo may wait for the decoder before the request is answered "busy".
const DECODE_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// A place in the decoder's queue, held until the request's photos are done.
pub type Admission = tokio::sync::OwnedSemaphorePermit;

/// Why photos were not processed.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    /// A photo the decoder refused (what the person should fix).
    #[error("photos refused: {0:?}")]
    Refused(Vec<ReportProblem>),
    /// The decoder's queue is full: answered 503 with Retry-After, nothing stored.
    #[error("too many photos are being processed")]
    Busy,
    #[error("media: {0}")]
    Media(#[from] MediaError),
}

#[derive(Clone)]
pub struct PhotoDesk {
    media: Media,
    decodes: Arc<Semaphore>,
    /// Admission to the decoder: `DECODE_QUEUE` permits, taken without waiting.
    queue: Arc<Semaphore>,
}

impl PhotoDesk {
    pub fn new(media: Media) -> PhotoDesk {
        PhotoDesk {
            media,
            decodes: Arc::new(Semaphore::new(CONCURRENT_DECODES)),
            queue: Arc::new(Semaphore::new(DECODE_QUEUE)),
        }
    }

    pub fn media(&self) -> &Media {
        &self.media
    }

    /// Stores several photos (see [`PhotoDesk::put`]); on failure none of them stays.
    pub async fn put_all(
        &self,
        processed: Vec<ProcessedPhoto>,
        keys: &mut Vec<String>,
    ) -> Result<Vec<StoredPhoto>, MediaError> {
        let mut stored = Vec::with_capacity(processed.len());
        for photo in processed {
            let (w, h) = (photo.width, photo.height);
            let (full, thumb) = self.put(photo, keys).await?;
            stored.push((full, thumb, w, h));
        }
        Ok(stored)
    }

    /// Stores a processed photo and its thumbnail under fresh random keys, adding each stored key to
    /// `keys`; on failure removes everything in `keys` (so the caller's earlier photos go too).
    pub async fn put(
        &self,
        photo: ProcessedPhoto,
        keys: &mut Vec<String>,
    ) -> Result<(String, String), MediaError> {
        let stem = random_hex(16);
        let (full, thumb) = (format!("cases/{stem}.jpg"), format!("cases/{stem}_t.jpg"));
        for (key, bytes) in [(&full, photo.full_jpeg), (&thumb, photo.thumb_jpeg)] {
            if let Err(e) = self.media.put(key, bytes).await {
                self.media.delete_all(keys).await;
                return Err(e);
            }
            keys.push(key.clone());
        }
        Ok((full, thumb))
    }

    /// Decodes and re-encodes photos, waiting for a place in the queue's admission.
    pub async fn process(&self, files: Vec<Vec<u8>>) -> Result<Vec<ProcessedPhoto>, PhotoError> {
        let admitted = self.admit(&files)?;
        self.process_admitted(files, admitted).await
    }

    /// A place in the photo decoder's queue for a request with photos (none is needed without);
    /// `Busy` when the queue is full.
    pub fn admit(&self, files: &[Vec<u8>]) -> Result<Option<Admission>, PhotoError> {
        if files.is_empty() {
            return Ok(None);
        }
        self.queue
            .clone()
            .try_acquire_owned()
            .map(Some)
            .map_err(|_| PhotoError::Busy)
    }

    /// Decodes photos that hold a place in the queue (kept until they are done).
    pub async fn process_admitted(
        &self,
        files: Vec<Vec<u8>>,
        _admitted: Option<Admission>,
    ) -> Result<Vec<ProcessedPhoto>, PhotoError> {
        let mut out = Vec::with_capacity(files.len());
        for bytes in files {
            let permit = tokio::time::timeout(DECODE_WAIT, self.decodes.clone().acquire_owned())
                .await
                .map_err(|_| PhotoError::Busy)?
                .map_err(|_| PhotoError::Refused(vec![ReportProblem::PhotoUnreadable]))?;
            let result = tokio::task::spawn_blocking(move || {
                let _permit = permit;
                crate::kernel::photos::process(&bytes)
            })
            .await
            .unwrap_or(Err(ReportProblem::PhotoUnreadable));
            out.push(result.map_err(|p| PhotoError::Refused(vec![p]))?);
        }
        Ok(out)
    }

    /// Re-encodes (EXIF stripped) and stores photos that passed `PhotoIntake::problems`; their keys
    /// go into `keys`, so the caller can remove them if its own write fails.
    pub async fn store_checked(
        &self,
        files: Vec<Vec<u8>>,
        keys: &mut Vec<String>,
    ) -> Result<Vec<StoredPhoto>, PhotoFailure> {
        let processed = self.process(files).await.map_err(|e| match e {
            PhotoError::Refused(ps) => PhotoFailure::Refused(ps),
            PhotoError::Busy => PhotoFailure::Refused(vec![ReportProblem::PhotoBusy]),
            PhotoError::Media(m) => PhotoFailure::Store(StoreError::Corrupt(m.to_string())),
        })?;
        self.put_all(processed, keys)
            .await
            .map_err(|m| PhotoFailure::Store(StoreError::Corrupt(m.to_string())))
    }
}

/// A photo row (`position, full_key, thumb_key, width, height`) as pages show it.
pub fn photo_view(r: &sqlx::any::AnyRow) -> Result<PhotoView, StoreError> {
    Ok(PhotoView {
        position: u32::try_from(r.try_get::<i64, _>("position")?).unwrap_or(0),
        full_url: format!("/media/{}", r.try_get::<String, _>("full_key")?),
        thumb_url: format!("/media/{}", r.try_get::<String, _>("thumb_key")?),
        width: u32::try_from(r.try_get::<i64, _>("width")?).unwrap_or(0),
        height: u32::try_from(r.try_get::<i64, _>("height")?).unwrap_or(0),
    })
}

/// A photo in the media store: (full key, thumbnail key, width, height).
pub type StoredPhoto = (String, String, u32, u32);

/// Photos as they came from a form: the files, and what went wrong reading them (too large).
#[derive(Debug, Default)]
pub struct PhotoIntake {
    pub files: Vec<Vec<u8>>,
    pub problems: Vec<ReportProblem>,
}

impl PhotoIntake {
    /// What is wrong with these photos before decoding them: count, type, size.
    pub fn problems(&self) -> Vec<ReportProblem> {
        let mut out = self.problems.clone();
        if self.files.len() > domain::cases::report::MAX_PHOTOS {
            out.push(ReportProblem::TooManyPhotos);
        }
        for bytes in &self.files {
            if let Err(p) = crate::kernel::photos::precheck(bytes) {
                out.push(p);
            }
        }
        out.dedup();
        out
    }
}

/// Why checked photos could not be stored.
#[derive(Debug)]
pub enum PhotoFailure {
    /// A photo the decoder refused (what the person should fix).
    Refused(Vec<ReportProblem>),
    Store(StoreError),
}

/// What stored photos belong to: a report, or a staff timeline entry.
pub enum PhotoOwner {
    Case(i64),
    Event(i64),
    /// A consultation's plans and estimates, or (with an update) a progress update's photos.
    Consultation {
        id: i64,
        update: Option<i64>,
    },
    /// An issue a volunteer noted during a shift (an overflowing bin, mixed waste…).
    ShiftIssue(i64),
}

/// Records stored photos against their owner, in order, inside the owner's transaction.
pub async fn insert_photo_rows(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    owner: PhotoOwner,
    photos: &[StoredPhoto],
) -> Result<(), sqlx::Error> {
    let (sql, owner_id, update) = match owner {
        PhotoOwner::Case(id) => (
            "INSERT INTO case_photos (case_id, position, full_key, thumb_key, width, height) \
             VALUES ($1, $2, $3, $4, $5, $6)",
            id,
            None,
        ),
        PhotoOwner::Event(id) => (
            "INSERT INTO case_event_photos (event_id, position, full_key, thumb_key, width, height) \
             VALUES ($1, $2, $3, $4, $5, $6)",
            id,
            None,
        ),
        PhotoOwner::ShiftIssue(id) => (
            "INSERT INTO shift_issue_photos (issue_id, position, full_key, thumb_key, width, height) \
             VALUES ($1, $2, $3, $4, $5, $6)",
            id,
            None,
        ),
        PhotoOwner::Consultation { id, update } => (
            "INSERT INTO consultation_photos (consultation_id, position, full_key, thumb_key, width, \
             height, update_id) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            id,
            Some(update),
        ),
    };
    for (position, (full, thumb, w, h)) in photos.iter().enumerate() {
        let query = sqlx::query(sql)
            .bind(owner_id)
            .bind(position as i64)
            .bind(full)
            .bind(thumb)
            .bind(i64::from(*w))
            .bind(i64::from(*h));
        let query = match update {
            Some(update) => query.bind(update),
            None => query,
        };
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// The photos staff attached to a case's timeline entries, by entry, in order: one query per case.
pub async fn event_photos(
    store: &Store,
    case_id: i64,
) -> Result<std::collections::HashMap<i64, Vec<PhotoView>>, StoreError> {
    let mut by_event: std::collections::HashMap<i64, Vec<PhotoView>> = Default::default();
    for r in sqlx::query(
        "SELECT p.event_id, p.position, p.full_key, p.thumb_key, p.width, p.height \
         FROM case_event_photos p JOIN case_events e ON e.id = p.event_id \
         WHERE e.case_id = $1 ORDER BY p.event_id, p.position",
    )
    .bind(case_id)
    .fetch_all(store.pool())
    .await?
    {
        by_event
            .entry(r.try_get("event_id")?)
            .or_default()
            .push(photo_view(&r)?);
    }
    Ok(by_event)
}
