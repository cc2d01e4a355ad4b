//! Cases from the resident's side: file a report, look a case up, find open cases nearby, join one.
//! Rules come from `domain`; this module orders the steps so that a refused or failed report leaves
//! nothing behind (photos are removed again if the database write fails).

pub mod catalogue;
pub mod comments;
pub mod demo;
pub mod feeds;
pub mod follow;
pub mod map;
pub mod moderation;
pub mod neighbours;
pub mod port;
pub mod submit;
pub mod view;
pub mod web;

use crate::kernel::events::{CaseChanged, CaseEvents};
use crate::kernel::media::{Media, MediaError};
use crate::kernel::photo_desk::{PhotoDesk, PhotoError};
use crate::kernel::rate::{Limited, RateLimits};
use crate::kernel::store::{Store, StoreError};
use domain::cases::case::CaseSource;
use domain::cases::locate::GridIndex;
use domain::cases::questions::{AnswerKind, Question, Required};
use domain::cases::report::ReportProblem;
use domain::cases::tracking::TrackingCode;
use domain::ports::{Names, ReportValues};
use domain::territory::{TerritoryCode, TerritoryLevel};
use domain::throttle::RetryAfter;
use sqlx::Row;
use std::sync::Arc;
use tokio::sync::RwLock;

/// Where a case came from: its source and the API key it came with.
#[derive(Debug, Clone, Copy)]
pub struct Origin {
    pub source: CaseSource,
    pub api_key: Option<i64>,
}

impl Origin {
    pub const WEB: Origin = Origin {
        source: CaseSource::Web,
        api_key: None,
    };

    /// Staff handing a volunteer's issue over did not see the problem as a reporter would, so the
    /// category's required questions may stay unanswered.
    fn answers_required(self) -> Required {
        match self.source {
            CaseSource::Shift => Required::Waived,
            CaseSource::Web | CaseSource::Open311 => Required::Enforced,
        }
    }
}

/// The extra questions of one category, or of every category when `category` is `None`, as
/// (category code, question) in the order they are asked.
pub(crate) async fn category_questions(
    pool: &sqlx::AnyPool,
    category: Option<&str>,
) -> Result<Vec<(String, Question)>, StoreError> {
    let select = "SELECT category_code, code, datatype, required, prompt_zh, prompt_en, choices, \
                  position FROM category_questions";
    let rows = match category {
        Some(code) => {
            sqlx::query(&format!(
                "{select} WHERE category_code = $1 ORDER BY position, code"
            ))
            .bind(code)
            .fetch_all(pool)
            .await?
        }
        None => {
            sqlx::query(&format!("{select} ORDER BY category_code, position, code"))
                .fetch_all(pool)
                .await?
        }
    };
    rows.iter()
        .map(|r| {
            let datatype: String = r.try_get("datatype")?;
            let question = Question {
                code: r.try_get("code")?,
                kind: AnswerKind::parse(&datatype)
                    .ok_or_else(|| StoreError::Corrupt(format!("question datatype {datatype}")))?,
                required: r.try_get::<i64, _>("required")? == 1,
                prompt: Names {
                    zh: r.try_get("prompt_zh")?,
                    en: r.try_get("prompt_en")?,
                },
                choices: Question::parse_choices(&r.try_get::<String, _>("choices")?),
                position: u32::try_from(r.try_get::<i64, _>("position")?).unwrap_or_default(),
            };
            Ok((r.try_get("category_code")?, question))
        })
        .collect()
}

/// A report as it arrived: the form's values and the raw photo files.
#[derive(Debug, Default)]
pub struct ReportSubmission {
    pub values: ReportValues,
    pub photos: Vec<Vec<u8>>,
    /// Problems found while the upload was read (too many files, a file too large).
    pub intake_problems: Vec<ReportProblem>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Submitted {
    pub code: TrackingCode,
    /// The secret of the private follow link; only its hash is stored.
    pub follow_key: String,
    /// Where the first photo said it was taken, if it did and no pin was placed from it.
    pub photo_gps: Option<(f64, f64)>,
}

#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    #[error("the report has problems: {0:?}")]
    Invalid(Vec<ReportProblem>),
    #[error("too many reports from this address")]
    Limited(RetryAfter),
    /// The photo decoder's queue is full: answered 503 with Retry-After, nothing stored.
    #[error("too many photos are being processed; try again shortly")]
    Busy,
    #[error("store: {0}")]
    Store(#[from] StoreError),
    #[error("media: {0}")]
    Media(#[from] MediaError),
}

impl From<sqlx::Error> for SubmitError {
    fn from(e: sqlx::Error) -> Self {
        SubmitError::Store(StoreError::Query(e))
    }
}

impl From<PhotoError> for SubmitError {
    fn from(e: PhotoError) -> Self {
        match e {
            PhotoError::Refused(ps) => SubmitError::Invalid(ps),
            PhotoError::Busy => SubmitError::Busy,
            PhotoError::Media(m) => SubmitError::Media(m),
        }
    }
}

impl From<Limited> for SubmitError {
    fn from(e: Limited) -> Self {
        match e {
            Limited::Wait(w) => SubmitError::Limited(w),
            Limited::Store(e) => e.into(),
        }
    }
}

#[derive(Clone)]
pub struct Cases {
    store: Store,
    photos: PhotoDesk,
    limits: RateLimits,
    grid: Arc<RwLock<Option<Arc<GridIndex>>>>,
    events: CaseEvents,
    /// The configured base map, for the case page's small map.
    tiles: domain::tiles::TileLayerSpec,
}

impl Cases {
    pub fn new(store: Store, media: Media) -> Cases {
        Cases {
            limits: RateLimits::new(store.clone()),
            events: CaseEvents::new(store.clone()),
            store,
            photos: PhotoDesk::new(media),
            grid: Arc::new(RwLock::new(None)),
            tiles: domain::tiles::TileProvider::None
                .layer(None)
                .expect("the empty base map needs no key"),
        }
    }

    /// Case changes, for live pages and cached reads.
    pub fn events(&self) -> &CaseEvents {
        &self.events
    }

    /// Draw case maps on this base map (configuration).
    pub fn with_tiles(mut self, tiles: domain::tiles::TileLayerSpec) -> Cases {
        self.tiles = tiles;
        self
    }

    /// Tells live pages that a case changed (nobody listening is fine).
    pub(crate) async fn announce(&self, code: &TrackingCode) {
        let community: Option<String> =
            sqlx::query_scalar("SELECT community_code FROM cases WHERE tracking_code = $1")
                .bind(code.to_string())
                .fetch_optional(self.store.pool())
                .await
                .unwrap_or_default();
        let Some(community_code) = community else {
            return;
        };
        let change = CaseChanged {
            code: code.to_string(),
            community_code,
        };
        self.events.announce(change).await;
    }

    pub fn media(&self) -> &Media {
        self.photos.media()
    }

    /// The photo decoder and store every capability's forms share.
    pub fn photos(&self) -> &PhotoDesk {
        &self.photos
    }

    pub fn limits(&self) -> &RateLimits {
        &self.limits
    }

    /// The city's grid cells, loaded once from the store (again while the store has none).
    pub async fn grid(&self) -> Result<Arc<GridIndex>, StoreError> {
        if let Some(g) = self.grid.read().await.as_ref() {
            return Ok(g.clone());
        }
        let rows = sqlx::query("SELECT code, boundary FROM territories WHERE level = $1")
            .bind(TerritoryLevel::Grid.as_str())
            .fetch_all(self.store.pool())
            .await?;
        let mut cells = Vec::with_capacity(rows.len());
        for row in rows {
            let code: String = row.try_get("code")?;
            let boundary: String = row.try_get("boundary")?;
            let parsed =
                TerritoryCode::parse(&code).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let rings: Vec<Vec<[f64; 2]>> = serde_json::from_str(&boundary)
                .map_err(|_| StoreError::Corrupt(format!("boundary of {code}")))?;
            let outer = rings.into_iter().next().unwrap_or_default();
            cells.push((
                parsed,
                outer.into_iter().map(|[lng, lat]| (lng, lat)).collect(),
            ));
        }
        let (index, skipped) = GridIndex::new(cells);
        for code in skipped {
            tracing::warn!(%code, "grid cell skipped: its boundary is not a usable polygon");
        }
        let index = Arc::new(index);
        if !index.is_empty() {
            *self.grid.write().await = Some(index.clone());
        }
        Ok(index)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeToo {
    Counted,
    AlreadyCounted,
    Closed,
    NoSuchCase,
    /// Neither signed in nor holding a visitor session: nothing to count it against.
    NoSession,
}

/// The first `max` characters, on a character boundary, with an ellipsis if cut.
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_cut_on_characters() {
        assert_eq!(excerpt("井盖丢失", 2), "井盖…");
        assert_eq!(excerpt("井盖", 2), "井盖");
    }
}
