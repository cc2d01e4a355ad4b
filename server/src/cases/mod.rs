//! Cases from the resident's side: file a report, look a case up, find open cases nearby, join one.
//! Rules come from `domain`; this module orders the steps so that a refused or failed report leaves
//! nothing behind (photos are removed again if the database write fails).

pub mod catalogue;
pub mod demo;
pub mod feeds;
pub mod port;
pub mod web;

use crate::kernel::events::{CaseChanged, CaseEvents};
use crate::kernel::media::{Media, MediaError};
use crate::kernel::photo_desk::{
    PhotoDesk, PhotoError, PhotoOwner, StoredPhoto, insert_photo_rows, photo_view,
};
use crate::kernel::photos;
use crate::kernel::rate::{Bucket, Limited, RateLimits};
use crate::kernel::secrets::{random_hex, sha256_hex};
use crate::kernel::store::{Backend, Store, StoreError};
use domain::access::{Action, Decision, Grant, Target, decide};
use domain::case::{CaseSource, CaseStage, LocationSource};
use domain::category::{CategoryCode, TimeLimit};
use domain::cluster::StateFilter;
use domain::geo::{LatLng, public_coordinate};
use domain::locate::{GridIndex, Placement};
use domain::phone::Phone;
use domain::ports::{
    CaseCluster, CaseEventView, CaseFilter, CaseListItem, CaseLookup, CaseView, CommentView,
    MyCases, Names, NearbyCase, PhotoView, PrivateCaseView, ReportValues,
};
use domain::questions::{AnswerKind, Question, Required, check_answers};
use domain::report::{
    Description, MAX_PHOTOS, NEARBY_RADIUS_M, ReportProblem, china_year, mask_personal_numbers,
    parse_address, parse_comment,
};
use domain::territory::{TerritoryCode, TerritoryLevel};
use domain::throttle::RetryAfter;
use domain::tracking::TrackingCode;
use domain::workflow::{CaseAction, CaseState};
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

/// A category a report may use, with who handles it.
struct KnownCategory {
    department_code: String,
}

/// A report whose every field is valid.
struct ValidReport {
    category_code: String,
    department_code: String,
    description: Description,
    position: LatLng,
    placement: Placement,
    source: LocationSource,
    address: Option<String>,
    contact: Option<Phone>,
    anonymous: bool,
    /// Answers to the category's extra questions, checked: (question code, answer).
    answers: Vec<(String, String)>,
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

    async fn known_category(&self, code: &str) -> Result<Option<KnownCategory>, StoreError> {
        let row = sqlx::query(
            "SELECT department_code FROM categories WHERE code = $1 AND parent_code IS NOT NULL",
        )
        .bind(code)
        .fetch_optional(self.store.pool())
        .await?;
        Ok(match row {
            Some(r) => Some(KnownCategory {
                department_code: r
                    .try_get::<Option<String>, _>("department_code")?
                    .unwrap_or_default(),
            }),
            None => None,
        })
    }

    /// Checks every field and lists every problem at once, so the resident fixes them in one go.
    async fn validate(
        &self,
        v: &ReportValues,
        signed_in: bool,
        required: Required,
    ) -> Result<Result<ValidReport, Vec<ReportProblem>>, StoreError> {
        let mut problems = Vec::new();
        let category = v.category.trim();
        let known = if category.is_empty() {
            problems.push(ReportProblem::MissingCategory);
            None
        } else {
            let k = self.known_category(category).await?;
            if k.is_none() {
                problems.push(ReportProblem::UnknownCategory);
            }
            k
        };
        let answers = match &known {
            Some(_) => {
                let questions: Vec<Question> =
                    category_questions(self.store.pool(), Some(category))
                        .await?
                        .into_iter()
                        .map(|(_, q)| q)
                        .collect();
                check_answers(&questions, &v.answers, required)
                    .map_err(|errors| {
                        for e in errors {
                            let p = ReportProblem::from(&e.problem);
                            if !problems.contains(&p) {
                                problems.push(p);
                            }
                        }
                    })
                    .unwrap_or_default()
            }
            None => Vec::new(),
        };
        let description = Description::parse(&v.description)
            .map_err(|p| problems.push(p))
            .ok();
        let located = self.locate(v).await?.map_err(|p| problems.push(p)).ok();
        let address = parse_address(
            &v.address,
            located
                .as_ref()
                .is_some_and(|(_, _, s)| !s.is_approximate()),
        )
        .map_err(|p| {
            // Without a location there is nothing to attach an address problem to yet.
            if located.is_some() {
                problems.push(p)
            }
        })
        .ok()
        .flatten();
        let contact = match v.contact_phone.trim() {
            "" => None,
            raw => Phone::parse(raw)
                .map_err(|_| problems.push(ReportProblem::BadContactPhone))
                .ok(),
        };
        if !problems.is_empty() {
            return Ok(Err(problems));
        }
        let (Some(known), Some(description), Some((position, placement, source))) =
            (known, description, located)
        else {
            return Ok(Err(vec![ReportProblem::NoLocation]));
        };
        Ok(Ok(ValidReport {
            category_code: category.to_owned(),
            department_code: known.department_code,
            description,
            position,
            placement,
            source,
            address,
            contact,
            // Signed out, a report is anonymous whatever the box says.
            anonymous: v.anonymous || !signed_in,
            answers,
        }))
    }

    /// The point and its cell: from the pin when there is one, else from the chosen community.
    async fn locate(
        &self,
        v: &ReportValues,
    ) -> Result<Result<(LatLng, Placement, LocationSource), ReportProblem>, StoreError> {
        let grid = self.grid().await?;
        let (lat, lng) = (v.lat.trim(), v.lng.trim());
        if !lat.is_empty() || !lng.is_empty() {
            let source = LocationSource::parse(v.location_source.trim())
                .filter(|s| !s.is_approximate())
                .unwrap_or(LocationSource::Map);
            let point = match (lat.parse::<f64>(), lng.parse::<f64>()) {
                (Ok(a), Ok(b)) => LatLng::new(a, b).ok(),
                _ => None,
            };
            let Some(point) = point else {
                return Ok(Err(ReportProblem::BadCoordinates));
            };
            return Ok(match grid.locate(point) {
                Some(p) => Ok((point, p.clone(), source)),
                None => Err(ReportProblem::OutsideCity),
            });
        }
        let community = v.community.trim();
        if community.is_empty() {
            return Ok(Err(ReportProblem::NoLocation));
        }
        let anchor = TerritoryCode::parse(community)
            .ok()
            .filter(|c| c.level() == TerritoryLevel::Community)
            .and_then(|c| grid.community_anchor(&c).map(|(p, pl)| (p, pl.clone())));
        Ok(match anchor {
            Some((p, pl)) => Ok((p, pl, LocationSource::List)),
            None => Err(ReportProblem::UnknownCommunity),
        })
    }

    /// Files a report. `client` is the caller's address (for the limit), `user_id` the signed-in
    /// resident, if any.
    pub async fn submit(
        &self,
        sub: ReportSubmission,
        user_id: Option<i64>,
        client: &str,
        now: i64,
    ) -> Result<Submitted, SubmitError> {
        self.limits.check(Bucket::ReportSubmit, client, now).await?;
        let mut problems = sub.intake_problems.clone();
        if sub.photos.len() > MAX_PHOTOS && !problems.contains(&ReportProblem::TooManyPhotos) {
            problems.push(ReportProblem::TooManyPhotos);
        }
        for bytes in &sub.photos {
            if let Err(p) = photos::precheck(bytes)
                && !problems.contains(&p)
            {
                problems.push(p);
            }
        }
        let valid = match self
            .validate(
                &sub.values,
                user_id.is_some(),
                Origin::WEB.answers_required(),
            )
            .await?
        {
            Ok(v) if problems.is_empty() => v,
            Ok(_) => return Err(SubmitError::Invalid(problems)),
            Err(mut more) => {
                more.extend(problems);
                return Err(SubmitError::Invalid(more));
            }
        };
        // A place in the photo queue first (a full queue costs the sender nothing), then the
        // limit, counted before any photo is decoded and atomically: a burst from one address
        // cannot all slip under it, and a photo that fails to decode still costs its sender.
        let admitted = self.photos.admit(&sub.photos)?;
        self.limits
            .reserve(Bucket::ReportSubmit, client, now)
            .await?;
        let processed = self.photos.process_admitted(sub.photos, admitted).await?;
        let photo_gps = processed.iter().find_map(|p| p.gps);

        // Photos first (they are the slow part); undone if the case cannot be written.
        let mut keys = Vec::new();
        let stored = self.photos.put_all(processed, &mut keys).await?;
        let follow_key = random_hex(24);
        match self
            .insert_case(&valid, &stored, &follow_key, user_id, Origin::WEB, now)
            .await
        {
            Ok(code) => {
                tracing::info!(%code, photos = stored.len(), "report filed");
                self.announce(&code).await;
                Ok(Submitted {
                    code,
                    follow_key,
                    photo_gps: photo_gps.filter(|_| valid.source != LocationSource::Photo),
                })
            }
            Err(e) => {
                self.photos.media().delete_all(&keys).await;
                Err(e.into())
            }
        }
    }

    /// Files a case another part of the system hands over (a volunteer's shift issue, a report
    /// from another system): the same rules as the form, without the per-address limit (the
    /// caller is trusted and audited), with its photos already processed and stored. On refusal
    /// or failure the photos are removed.
    pub async fn file_handed_over(
        &self,
        values: &ReportValues,
        photos: Vec<StoredPhoto>,
        reporter: Option<i64>,
        origin: Origin,
        now: i64,
    ) -> Result<TrackingCode, SubmitError> {
        let keys: Vec<String> = photos
            .iter()
            .flat_map(|(full, thumb, _, _)| [full.clone(), thumb.clone()])
            .collect();
        let outcome = match self
            .validate(values, reporter.is_some(), origin.answers_required())
            .await
        {
            Ok(Ok(valid)) => self
                .insert_case(&valid, &photos, &random_hex(24), reporter, origin, now)
                .await
                .map_err(SubmitError::from),
            Ok(Err(problems)) => Err(SubmitError::Invalid(problems)),
            Err(e) => Err(e.into()),
        };
        match outcome {
            Ok(code) => {
                tracing::info!(%code, source = origin.source.as_str(), "case handed over");
                self.announce(&code).await;
                Ok(code)
            }
            Err(e) => {
                self.photos.media().delete_all(&keys).await;
                Err(e)
            }
        }
    }

    async fn insert_case(
        &self,
        r: &ValidReport,
        photos: &[StoredPhoto],
        follow_key: &str,
        user_id: Option<i64>,
        origin: Origin,
        now: i64,
    ) -> Result<TrackingCode, StoreError> {
        let year = china_year(now);
        let mut tx = self.store.begin_write().await?;
        sqlx::query(
            "INSERT INTO tracking_serials (year, last_serial) VALUES ($1, 0) ON CONFLICT (year) DO NOTHING",
        )
        .bind(i64::from(year))
        .execute(&mut *tx)
        .await?;
        let serial: i64 = sqlx::query_scalar(
            "UPDATE tracking_serials SET last_serial = last_serial + 1 WHERE year = $1 RETURNING last_serial",
        )
        .bind(i64::from(year))
        .fetch_one(&mut *tx)
        .await?;
        let code = TrackingCode {
            year: u16::try_from(year).map_err(|_| StoreError::Corrupt("year".into()))?,
            serial: u32::try_from(serial).map_err(|_| StoreError::Corrupt("serial".into()))?,
        };
        let reporter = if r.anonymous { None } else { user_id };
        let public = r.position.public();
        let case_id: i64 = sqlx::query_scalar(
            "INSERT INTO cases (tracking_code, category_code, description, lat, lng, location_source, \
             address, grid_code, community_code, street_code, district_code, reporter_user_id, \
             anonymous, contact_phone, follow_token_hash, stage, department_code, created_at, updated_at, \
             source, api_key_id, public_lat, public_lng) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18, $19, $20, $21, $22) \
             RETURNING id",
        )
        .bind(code.to_string())
        .bind(&r.category_code)
        .bind(r.description.as_str())
        .bind(r.position.lat())
        .bind(r.position.lng())
        .bind(r.source.as_str())
        .bind(r.address.clone())
        .bind(r.placement.grid.as_str())
        .bind(r.placement.community.as_str())
        .bind(r.placement.street.as_str())
        .bind(r.placement.district.as_str())
        .bind(reporter)
        .bind(i64::from(r.anonymous))
        .bind(r.contact.as_ref().map(|p| p.e164().to_owned()))
        .bind(sha256_hex(&[follow_key]))
        .bind(CaseStage::Reported.as_str())
        .bind(&r.department_code)
        .bind(now)
        .bind(origin.source.as_str())
        .bind(origin.api_key)
        .bind(public.0)
        .bind(public.1)
        .fetch_one(&mut *tx)
        .await?;
        for (code, answer) in &r.answers {
            sqlx::query("INSERT INTO case_answers (case_id, code, answer) VALUES ($1, $2, $3)")
                .bind(case_id)
                .bind(code)
                .bind(answer)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO case_events (case_id, stage, at, actor_user_id) VALUES ($1, $2, $3, $4)",
        )
        .bind(case_id)
        .bind(CaseStage::Reported.as_str())
        .bind(now)
        .bind(reporter)
        .execute(&mut *tx)
        .await?;
        insert_photo_rows(&mut tx, PhotoOwner::Case(case_id), photos).await?;
        if let Some(uid) = reporter {
            sqlx::query("INSERT INTO case_followers (case_id, user_id, since) VALUES ($1, $2, $3)")
                .bind(case_id)
                .bind(uid)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(code)
    }

    /// A case by its tracking code. Unknown codes count against the caller's address, so codes
    /// cannot be enumerated; a known code never does.
    pub async fn view(
        &self,
        code: &str,
        follow_key: Option<&str>,
        user_id: Option<i64>,
        client: &str,
        now: i64,
    ) -> Result<CaseLookup, StoreError> {
        if let Err(Limited::Wait(w)) = self.limits.check(Bucket::UnknownCode, client, now).await {
            return Ok(CaseLookup::Limited(w.seconds()));
        }
        let Ok(parsed) = TrackingCode::parse(code) else {
            self.count_miss(client, now).await;
            return Ok(CaseLookup::Malformed);
        };
        let Some(view) = self.load_view(&parsed, follow_key, user_id).await? else {
            self.count_miss(client, now).await;
            return Ok(CaseLookup::NotFound);
        };
        Ok(CaseLookup::Found(Box::new(view)))
    }

    async fn count_miss(&self, client: &str, now: i64) {
        if let Err(e) = self.limits.record(Bucket::UnknownCode, client, now).await {
            tracing::error!(error = %e, "could not count an unknown tracking code");
        }
    }

    pub(crate) async fn load_view(
        &self,
        code: &TrackingCode,
        follow_key: Option<&str>,
        user_id: Option<i64>,
    ) -> Result<Option<CaseView>, StoreError> {
        let pool = self.store.pool();
        let Some(row) = sqlx::query(
            "SELECT c.id, c.tracking_code, c.category_code, c.description, c.public_description, \
             c.public_lat, c.public_lng, c.location_source, c.address, c.reporter_user_id, c.anonymous, \
             c.contact_phone, c.follow_token_hash, c.stage, c.state, c.rated, m.tracking_code AS merged_code, c.community_code, c.street_code, c.deadline_at, c.me_too_count, c.created_at, \
             cat.name_zh AS cat_zh, cat.name_en AS cat_en, cat.time_limit_amount, cat.time_limit_unit, \
             d.name_zh AS dept_zh, d.name_en AS dept_en, \
             tc.name_zh AS comm_zh, tc.name_en AS comm_en, ts.name_zh AS street_zh, ts.name_en AS street_en, \
             td.name_zh AS dist_zh, td.name_en AS dist_en \
             FROM cases c \
             JOIN categories cat ON cat.code = c.category_code \
             JOIN departments d ON d.code = c.department_code \
             JOIN territories tc ON tc.code = c.community_code \
             JOIN territories ts ON ts.code = c.street_code \
             JOIN territories td ON td.code = c.district_code \
             LEFT JOIN cases m ON m.id = c.merged_into_id \
             WHERE c.tracking_code = $1",
        )
        .bind(code.to_string())
        .fetch_optional(pool)
        .await?
        else {
            return Ok(None);
        };
        let corrupt = |what: &str| StoreError::Corrupt(format!("case {code}: {what}"));
        let id: i64 = row.try_get("id")?;
        let names = |zh: &str, en: &str| -> Result<Names, StoreError> {
            Ok(Names {
                zh: row.try_get(zh)?,
                en: row.try_get(en)?,
            })
        };
        let amount: i64 = row.try_get("time_limit_amount")?;
        let unit: String = row.try_get("time_limit_unit")?;
        let time_limit =
            TimeLimit::parse(&format!("{amount}{unit}")).map_err(|_| corrupt("time limit"))?;
        let stage_raw: String = row.try_get("stage")?;
        let stage = CaseStage::parse(&stage_raw).ok_or_else(|| corrupt("stage"))?;
        let source_raw: String = row.try_get("location_source")?;
        let source =
            LocationSource::parse(&source_raw).ok_or_else(|| corrupt("location source"))?;
        let description: String = row.try_get("description")?;
        let public_description: Option<String> = row.try_get("public_description")?;
        let address: Option<String> = row.try_get("address")?;
        let reporter: Option<i64> = row.try_get("reporter_user_id")?;
        let key_hash: String = row.try_get("follow_token_hash")?;
        let key_matches = follow_key.filter(|k| sha256_hex(&[*k]) == key_hash);
        let is_reporter = key_matches.is_some() || (user_id.is_some() && user_id == reporter);
        let private = if is_reporter {
            Some(PrivateCaseView {
                contact_phone: row
                    .try_get::<Option<String>, _>("contact_phone")?
                    .and_then(|p| Phone::parse(&p).ok())
                    .map(|p| p.national().to_owned()),
                anonymous: row.try_get::<i64, _>("anonymous")? == 1,
                description: description.clone(),
                follow_key: key_matches.map(str::to_owned),
                photo_gps: None,
            })
        } else {
            None
        };
        // Staff-only steps (extension requests, a denied extension) stay off the public timeline.
        let mut photos_by_event = crate::kernel::photo_desk::event_photos(&self.store, id).await?;
        let mut timeline = Vec::new();
        for r in sqlx::query(
            "SELECT id, stage, at, action, public_text FROM case_events WHERE case_id = $1 \
             AND (action IS NULL OR action NOT IN ('request_extension', 'deny_extension')) \
             ORDER BY at, id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?
        {
            let s: String = r.try_get("stage")?;
            let action: Option<String> = r.try_get("action")?;
            timeline.push(CaseEventView {
                stage: CaseStage::parse(&s).ok_or_else(|| corrupt("event stage"))?,
                at_ms: r.try_get("at")?,
                action: action.as_deref().and_then(CaseAction::parse),
                public_text: r
                    .try_get::<Option<String>, _>("public_text")?
                    .map(|t| mask_personal_numbers(&t)),
                photos: photos_by_event
                    .remove(&r.try_get::<i64, _>("id")?)
                    .unwrap_or_default(),
            });
        }
        let state_raw: String = row.try_get("state")?;
        let state = CaseState::parse(&state_raw).ok_or_else(|| corrupt("state"))?;
        let merged_into: Option<String> = row.try_get("merged_code")?;
        let can_rate =
            is_reporter && state == CaseState::Closed && row.try_get::<i64, _>("rated")? == 0;
        let photos = sqlx::query(
            "SELECT position, full_key, thumb_key, width, height FROM case_photos \
             WHERE case_id = $1 AND hidden = 0 ORDER BY position",
        )
        .bind(id)
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|r| photo_view(&r))
        .collect::<Result<Vec<_>, StoreError>>()?;
        // Answers to the category's extra questions, as (question, answer) in both languages; a
        // list answer shows its choices' names.
        let mut answers = Vec::new();
        for r in sqlx::query(
            "SELECT q.code, q.datatype, q.required, q.prompt_zh, q.prompt_en, q.choices, q.position, \
             a.answer FROM case_answers a JOIN cases c ON c.id = a.case_id \
             JOIN category_questions q ON q.category_code = c.category_code AND q.code = a.code \
             WHERE a.case_id = $1 ORDER BY q.position",
        )
        .bind(id)
        .fetch_all(pool)
        .await?
        {
            let prompt = Names {
                zh: r.try_get("prompt_zh")?,
                en: r.try_get("prompt_en")?,
            };
            let answer: String = r.try_get("answer")?;
            let datatype: String = r.try_get("datatype")?;
            let shown = if AnswerKind::parse(&datatype).is_some_and(AnswerKind::has_choices) {
                let q = Question {
                    code: r.try_get("code")?,
                    kind: AnswerKind::AnyOf,
                    required: false,
                    prompt: prompt.clone(),
                    choices: Question::parse_choices(&r.try_get::<String, _>("choices")?),
                    position: 0,
                };
                q.answer_names(&answer)
            } else {
                // Free text is public text: personal numbers masked like the description.
                let text = mask_personal_numbers(&answer);
                Names {
                    zh: text.clone(),
                    en: text,
                }
            };
            answers.push((prompt, shown));
        }
        let hidden_photos = sqlx::query_scalar::<_, i64>(
            "SELECT position FROM case_photos WHERE case_id = $1 AND hidden = 1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|p| u32::try_from(p).unwrap_or_default())
        .collect();
        // Shown and hidden follow-ups in one read: the hidden ones only by id, for moderators.
        let mut comments = Vec::new();
        let mut hidden_comments = Vec::new();
        for r in sqlx::query(
            "SELECT id, body, full_key, thumb_key, created_at, hidden FROM case_comments \
             WHERE case_id = $1 ORDER BY created_at, id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?
        {
            let comment_id: i64 = r.try_get("id")?;
            if r.try_get::<i64, _>("hidden")? == 1 {
                hidden_comments.push(comment_id);
                continue;
            }
            let full: Option<String> = r.try_get("full_key")?;
            let thumb: Option<String> = r.try_get("thumb_key")?;
            comments.push(CommentView {
                id: comment_id,
                at_ms: r.try_get("created_at")?,
                text: mask_personal_numbers(&r.try_get::<String, _>("body")?),
                photo: full.zip(thumb).map(|(f, t)| PhotoView {
                    position: 0,
                    full_url: format!("/media/{f}"),
                    thumb_url: format!("/media/{t}"),
                    width: 0,
                    height: 0,
                }),
            });
        }
        hidden_comments.sort_unstable();
        let followers: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM case_followers WHERE case_id = $1",
        )
        .bind(id)
        .fetch_one(pool)
        .await?;
        let community_code: String = row.try_get("community_code")?;
        let street_code: String = row.try_get("street_code")?;
        let (viewer_follows, viewer_follows_area) = match user_id {
            Some(uid) => (
                sqlx::query_scalar::<_, i64>(
                    "SELECT CAST(COUNT(*) AS BIGINT) FROM case_followers WHERE case_id = $1 AND user_id = $2",
                )
                .bind(id)
                .bind(uid)
                .fetch_one(pool)
                .await?
                    > 0,
                sqlx::query_scalar::<_, i64>(
                    "SELECT CAST(COUNT(*) AS BIGINT) FROM area_followers WHERE user_id = $1 AND territory_code = $2",
                )
                .bind(uid)
                .bind(&community_code)
                .fetch_one(pool)
                .await?
                    > 0,
            ),
            None => (false, false),
        };
        Ok(Some(CaseView {
            state,
            can_rate,
            merged_into,
            tiles: self.tiles.clone(),
            comments,
            community_code,
            street_code,
            viewer_follows,
            viewer_follows_area,
            code: row.try_get("tracking_code")?,
            category: names("cat_zh", "cat_en")?,
            category_code: row.try_get("category_code")?,
            department: names("dept_zh", "dept_en")?,
            time_limit,
            description: domain::privacy::public_text(public_description, &description),
            address: address.map(|a| mask_personal_numbers(&a)),
            approx_position: (row.try_get("public_lat")?, row.try_get("public_lng")?),
            community_only: source.is_approximate(),
            community: names("comm_zh", "comm_en")?,
            street: names("street_zh", "street_en")?,
            district: names("dist_zh", "dist_en")?,
            stage,
            timeline,
            deadline_ms: row.try_get("deadline_at")?,
            followers: u32::try_from(followers).unwrap_or(0),
            me_too: u32::try_from(row.try_get::<i64, _>("me_too_count")?).unwrap_or(0),
            photos,
            hidden_photos,
            hidden_comments,
            answers,
            created_ms: row.try_get("created_at")?,
            private,
        }))
    }

    /// Open cases of a category within 200 m of a point, nearest first, measured to their public
    /// positions: anyone may ask this, so it must not reveal more than the map does.
    pub async fn nearby(
        &self,
        category: &str,
        lat: f64,
        lng: f64,
    ) -> Result<Vec<NearbyCase>, StoreError> {
        self.nearby_by(category, lat, lng, Positions::Public).await
    }

    /// The same for staff in scope, measured to the exact positions.
    pub async fn nearby_exact(
        &self,
        category: &str,
        lat: f64,
        lng: f64,
    ) -> Result<Vec<NearbyCase>, StoreError> {
        self.nearby_by(category, lat, lng, Positions::Exact).await
    }

    async fn nearby_by(
        &self,
        category: &str,
        lat: f64,
        lng: f64,
        positions: Positions,
    ) -> Result<Vec<NearbyCase>, StoreError> {
        let (lat_col, lng_col) = positions.columns();
        let Ok(centre) = LatLng::new(lat, lng) else {
            return Ok(Vec::new());
        };
        // A box a little larger than the circle, then the exact distance.
        let dlat = NEARBY_RADIUS_M / 111_000.0;
        let dlng = NEARBY_RADIUS_M / (111_000.0 * lat.to_radians().cos().max(0.01));
        let sql = format!(
            "SELECT c.tracking_code, c.description, c.public_description, c.{lat_col} AS lat, \
             c.{lng_col} AS lng, c.stage, c.me_too_count, c.created_at, cat.name_zh, cat.name_en \
             FROM cases c JOIN categories cat ON cat.code = c.category_code \
             WHERE c.category_code = $1 AND c.{lat_col} BETWEEN $2 AND $3 \
             AND c.{lng_col} BETWEEN $4 AND $5 \
             AND c.stage <> $6 ORDER BY c.created_at DESC LIMIT 200"
        );
        let rows = sqlx::query(&sql)
            .bind(category)
            .bind(lat - dlat)
            .bind(lat + dlat)
            .bind(lng - dlng)
            .bind(lng + dlng)
            .bind(CaseStage::Closed.as_str())
            .fetch_all(self.store.pool())
            .await?;
        let mut found = Vec::new();
        for r in rows {
            let Ok(p) = LatLng::new(r.try_get("lat")?, r.try_get("lng")?) else {
                continue;
            };
            let distance = centre.distance_m(p);
            if distance > NEARBY_RADIUS_M {
                continue;
            }
            let stage_raw: String = r.try_get("stage")?;
            let text: String = domain::privacy::public_text(
                r.try_get("public_description")?,
                &r.try_get::<String, _>("description")?,
            );
            found.push(NearbyCase {
                code: r.try_get("tracking_code")?,
                category: Names {
                    zh: r.try_get("name_zh")?,
                    en: r.try_get("name_en")?,
                },
                excerpt: excerpt(&text, 60),
                distance_m: positions.shown_distance(distance),
                stage: CaseStage::parse(&stage_raw).unwrap_or(CaseStage::Reported),
                me_too: u32::try_from(r.try_get::<i64, _>("me_too_count")?).unwrap_or(0),
                created_ms: r.try_get("created_at")?,
            });
        }
        found.sort_by_key(|c| c.distance_m);
        found.truncate(5);
        Ok(found)
    }

    /// "我也遇到": a neighbour joins an open case. Counted once per person (or signed-out visitor
    /// session); a signed-in neighbour also follows it. Returns false if it was already counted.
    pub async fn me_too(
        &self,
        code: &str,
        user_id: Option<i64>,
        visitor_session: Option<&str>,
        client: &str,
        now: i64,
    ) -> Result<MeToo, SubmitError> {
        let supporter = match (user_id, visitor_session) {
            (Some(u), _) => format!("u:{u}"),
            (None, Some(s)) => format!("s:{}", sha256_hex(&[s])),
            (None, None) => return Ok(MeToo::NoSession),
        };
        let Ok(parsed) = TrackingCode::parse(code) else {
            return Ok(MeToo::NoSuchCase);
        };
        self.limits.reserve(Bucket::MeToo, client, now).await?;
        let mut tx = self.store.begin_write().await?;
        let Some(row) = sqlx::query("SELECT id, stage FROM cases WHERE tracking_code = $1")
            .bind(parsed.to_string())
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Ok(MeToo::NoSuchCase);
        };
        let id: i64 = row.try_get("id")?;
        let stage: String = row.try_get("stage")?;
        if CaseStage::parse(&stage).is_none_or(|s| !s.is_open()) {
            return Ok(MeToo::Closed);
        }
        let added = sqlx::query(
            "INSERT INTO case_supporters (case_id, supporter, since) VALUES ($1, $2, $3) \
             ON CONFLICT (case_id, supporter) DO NOTHING",
        )
        .bind(id)
        .bind(&supporter)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if added == 1 {
            sqlx::query(
                "UPDATE cases SET me_too_count = me_too_count + 1, updated_at = $2 WHERE id = $1",
            )
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(uid) = user_id {
            sqlx::query(
                "INSERT INTO case_followers (case_id, user_id, since) VALUES ($1, $2, $3) \
                 ON CONFLICT (case_id, user_id) DO NOTHING",
            )
            .bind(id)
            .bind(uid)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        if added == 1 {
            self.announce(&parsed).await;
        }
        Ok(if added == 1 {
            MeToo::Counted
        } else {
            MeToo::AlreadyCounted
        })
    }

    /// A stored photo, if it belongs to a case and is not hidden by moderation.
    pub async fn visible_photo(&self, key: &str) -> Result<Option<bytes::Bytes>, SubmitError> {
        let visible: i64 = sqlx::query_scalar(
            "SELECT (SELECT CAST(COUNT(*) AS BIGINT) FROM case_photos \
             WHERE (full_key = $1 OR thumb_key = $1) AND hidden = 0) + \
             (SELECT CAST(COUNT(*) AS BIGINT) FROM case_comments \
             WHERE (full_key = $1 OR thumb_key = $1) AND hidden = 0) + \
             (SELECT CAST(COUNT(*) AS BIGINT) FROM case_event_photos \
             WHERE full_key = $1 OR thumb_key = $1) + \
             (SELECT CAST(COUNT(*) AS BIGINT) FROM consultation_photos \
             WHERE full_key = $1 OR thumb_key = $1) + \
             (SELECT CAST(COUNT(*) AS BIGINT) FROM shift_issue_photos \
             WHERE (full_key = $1 OR thumb_key = $1) AND hidden = 0)",
        )
        .bind(key)
        .fetch_one(self.store.pool())
        .await?;
        if visible == 0 {
            return Ok(None);
        }
        Ok(self.photos.media().get(key).await?)
    }
}

/// Hides or shows one of a case's photos or follow-ups (`table` keyed by `column` within the case).
async fn set_hidden(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    table: &str,
    column: &str,
    case_id: i64,
    key: i64,
    hide: bool,
) -> Result<(), ModerationError> {
    let n = sqlx::query(&format!(
        "UPDATE {table} SET hidden = $1 WHERE case_id = $2 AND {column} = $3"
    ))
    .bind(i64::from(hide))
    .bind(case_id)
    .bind(key)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(ModerationError::NoSuchPhoto);
    }
    Ok(())
}

/// What an operator may change on a case's public face. The resident's original stays stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Moderation {
    HidePhoto(u32),
    ShowPhoto(u32),
    /// Replace the public description (validated like a resident's).
    EditDescription(String),
    /// Go back to the resident's text (with personal numbers masked).
    RestoreDescription,
    /// Hide or show one of the reporter's follow-ups (its photo with it).
    HideComment(i64),
    ShowComment(i64),
}

#[derive(Debug, thiserror::Error)]
pub enum ModerationError {
    #[error("not allowed")]
    Forbidden,
    #[error("no such case")]
    NoSuchCase,
    #[error("no such photo")]
    NoSuchPhoto,
    #[error("invalid text: {0}")]
    Invalid(ReportProblem),
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ModerationError {
    fn from(e: sqlx::Error) -> Self {
        ModerationError::Store(StoreError::Query(e))
    }
}

impl Cases {
    /// Applies a moderation step if `grants` allow it on the case's grid cell, and records it in
    /// the audit log with the before and after, in one transaction.
    pub async fn moderate(
        &self,
        code: &str,
        change: Moderation,
        actor: (i64, &[Grant]),
        client: &str,
        now: i64,
    ) -> Result<(), ModerationError> {
        let parsed = TrackingCode::parse(code).map_err(|_| ModerationError::NoSuchCase)?;
        let mut tx = self.store.begin_write().await?;
        let row = sqlx::query(
            "SELECT id, grid_code, description, public_description FROM cases WHERE tracking_code = $1",
        )
        .bind(parsed.to_string())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(ModerationError::NoSuchCase)?;
        let grid: String = row.try_get("grid_code")?;
        let target = TerritoryCode::parse(&grid)
            .map(Target::Territory)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        if decide(Some(actor.1), Action::ModerateCase, &target) != Decision::Allow {
            return Err(ModerationError::Forbidden);
        }
        let id: i64 = row.try_get("id")?;
        let before: Option<String> = row.try_get("public_description")?;
        let (action, details) = match &change {
            Moderation::HidePhoto(p) | Moderation::ShowPhoto(p) => {
                let hide = matches!(change, Moderation::HidePhoto(_));
                set_hidden(&mut tx, "case_photos", "position", id, i64::from(*p), hide).await?;
                let action = if hide {
                    "case.photo.hide"
                } else {
                    "case.photo.show"
                };
                (action, serde_json::json!({ "position": p }))
            }
            Moderation::HideComment(comment) | Moderation::ShowComment(comment) => {
                let hide = matches!(change, Moderation::HideComment(_));
                set_hidden(&mut tx, "case_comments", "id", id, *comment, hide).await?;
                let action = if hide {
                    "case.comment.hide"
                } else {
                    "case.comment.show"
                };
                (action, serde_json::json!({ "comment": comment }))
            }
            Moderation::EditDescription(text) => {
                let text = Description::parse(text).map_err(ModerationError::Invalid)?;
                sqlx::query(
                    "UPDATE cases SET public_description = $1, updated_at = $2 WHERE id = $3",
                )
                .bind(text.as_str())
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                (
                    "case.description.edit",
                    serde_json::json!({ "before": before, "after": text.as_str() }),
                )
            }
            Moderation::RestoreDescription => {
                sqlx::query(
                    "UPDATE cases SET public_description = NULL, updated_at = $1 WHERE id = $2",
                )
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                (
                    "case.description.restore",
                    serde_json::json!({ "before": before }),
                )
            }
        };
        crate::kernel::audit::record(
            &mut tx,
            Some(actor.0),
            action,
            &format!("case:{parsed}"),
            &details,
            client,
            now,
        )
        .await?;
        tx.commit().await?;
        tracing::info!(code = %parsed, actor = actor.0, action, "case moderated");
        self.announce(&parsed).await;
        Ok(())
    }
}

impl Cases {
    /// Follow or stop following a case. Returns false if there is no such case.
    pub async fn follow_case(
        &self,
        user_id: i64,
        code: &str,
        on: bool,
        now: i64,
    ) -> Result<bool, StoreError> {
        let Ok(parsed) = TrackingCode::parse(code) else {
            return Ok(false);
        };
        let Some(id) =
            sqlx::query_scalar::<_, i64>("SELECT id FROM cases WHERE tracking_code = $1")
                .bind(parsed.to_string())
                .fetch_optional(self.store.pool())
                .await?
        else {
            return Ok(false);
        };
        let sql = if on {
            "INSERT INTO case_followers (case_id, user_id, since) VALUES ($1, $2, $3) \
             ON CONFLICT (case_id, user_id) DO NOTHING"
        } else {
            "DELETE FROM case_followers WHERE case_id = $1 AND user_id = $2"
        };
        let q = sqlx::query(sql).bind(id).bind(user_id);
        let q = if on { q.bind(now) } else { q };
        q.execute(self.store.pool()).await?;
        Ok(true)
    }

    /// Follow or stop following a street or community. Returns false if it is not one.
    pub async fn follow_area(
        &self,
        user_id: i64,
        territory: &str,
        on: bool,
        now: i64,
    ) -> Result<bool, StoreError> {
        let Ok(code) = TerritoryCode::parse(territory) else {
            return Ok(false);
        };
        if !matches!(
            code.level(),
            TerritoryLevel::Street | TerritoryLevel::Community
        ) {
            return Ok(false);
        }
        let exists: i64 =
            sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM territories WHERE code = $1")
                .bind(code.as_str())
                .fetch_one(self.store.pool())
                .await?;
        if exists == 0 {
            return Ok(false);
        }
        let sql = if on {
            "INSERT INTO area_followers (user_id, territory_code, since) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, territory_code) DO NOTHING"
        } else {
            "DELETE FROM area_followers WHERE user_id = $1 AND territory_code = $2"
        };
        let q = sqlx::query(sql).bind(user_id).bind(code.as_str());
        let q = if on { q.bind(now) } else { q };
        q.execute(self.store.pool()).await?;
        Ok(true)
    }

    /// 我的: what the resident reported (not anonymously), what they follow, and their areas.
    pub async fn my_cases(&self, user_id: i64) -> Result<MyCases, StoreError> {
        let list = |join: &'static str| {
            let pool = self.store.pool().clone();
            async move {
                let sql =
                    format!("{LIST_SELECT} {join} ORDER BY c.updated_at DESC, c.id DESC LIMIT 100");
                let rows = sqlx::query(&sql).bind(user_id).fetch_all(&pool).await?;
                rows.iter()
                    .map(list_item)
                    .collect::<Result<Vec<_>, StoreError>>()
            }
        };
        let reported = list("WHERE c.reporter_user_id = $1").await?;
        let following = list(
            "JOIN case_followers f ON f.case_id = c.id WHERE f.user_id = $1 \
             AND (c.reporter_user_id IS NULL OR c.reporter_user_id <> $1)",
        )
        .await?;
        let areas = sqlx::query(
            "SELECT t.code, t.name_zh, t.name_en FROM area_followers a \
             JOIN territories t ON t.code = a.territory_code WHERE a.user_id = $1 ORDER BY t.code",
        )
        .bind(user_id)
        .fetch_all(self.store.pool())
        .await?
        .into_iter()
        .map(|r| {
            Ok((
                r.try_get("code")?,
                Names {
                    zh: r.try_get("name_zh")?,
                    en: r.try_get("name_en")?,
                },
            ))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(MyCases {
            reported,
            following,
            areas,
        })
    }
}

impl Cases {
    /// The newest cases in a street or community (or district), for its feed: its names and rows.
    pub async fn area_cases(
        &self,
        territory: &str,
        category: &str,
    ) -> Result<Option<(Names, Vec<CaseListItem>)>, StoreError> {
        // "city": every case of the city.
        let code = match territory {
            "city" => None,
            t => match TerritoryCode::parse(t) {
                Ok(c) => Some(c),
                Err(_) => return Ok(None),
            },
        };
        // A class ("S03") or one sub-category ("S0301"); codes are fixed-width, so a prefix.
        let category = match category.trim() {
            "" => None,
            c => match CategoryCode::parse(c) {
                Ok(c) => Some(format!("{}%", c.as_str())),
                Err(_) => return Ok(None),
            },
        };
        // The place's names, and the condition that keeps its cases ($1 is the place's code).
        let (names, place, bound) = match code {
            None => (
                Names {
                    zh: "全市".to_owned(),
                    en: "The whole city".to_owned(),
                },
                "$1 = ''",
                String::new(),
            ),
            Some(code) => {
                let place = match code.level() {
                    TerritoryLevel::District => "c.district_code = $1",
                    TerritoryLevel::Street => "c.street_code = $1",
                    TerritoryLevel::Community => "c.community_code = $1",
                    TerritoryLevel::Grid => "c.grid_code = $1",
                };
                let Some(row) =
                    sqlx::query("SELECT name_zh, name_en FROM territories WHERE code = $1")
                        .bind(code.as_str())
                        .fetch_optional(self.store.pool())
                        .await?
                else {
                    return Ok(None);
                };
                let names = Names {
                    zh: row.try_get("name_zh")?,
                    en: row.try_get("name_en")?,
                };
                (names, place, code.as_str().to_owned())
            }
        };
        let sql = format!(
            "{LIST_SELECT} WHERE {place} AND c.category_code LIKE $2 \
             ORDER BY c.updated_at DESC, c.id DESC LIMIT 50"
        );
        let rows = sqlx::query(&sql)
            .bind(bound)
            .bind(category.unwrap_or_else(|| "%".to_owned()))
            .fetch_all(self.store.pool())
            .await?;
        let items = rows
            .iter()
            .map(list_item)
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Some((names, items)))
    }
}

/// The columns and joins every case list reads (`list_item` decodes them); callers add the rest.
const LIST_SELECT: &str = "SELECT c.tracking_code, c.description, c.public_description, c.stage, \
     c.me_too_count, c.created_at, c.updated_at, cat.name_zh, cat.name_en, \
     t.name_zh AS comm_zh, t.name_en AS comm_en \
     FROM cases c JOIN categories cat ON cat.code = c.category_code \
     JOIN territories t ON t.code = c.community_code";

/// One row of a case list query (the columns `list` and `my_cases` select).
fn list_item(r: &sqlx::any::AnyRow) -> Result<CaseListItem, StoreError> {
    let stage: String = r.try_get("stage")?;
    let text = domain::privacy::public_text(
        r.try_get("public_description")?,
        &r.try_get::<String, _>("description")?,
    );
    Ok(CaseListItem {
        code: r.try_get("tracking_code")?,
        category: Names {
            zh: r.try_get("name_zh")?,
            en: r.try_get("name_en")?,
        },
        excerpt: excerpt(&text, 80),
        stage: CaseStage::parse(&stage).unwrap_or(CaseStage::Reported),
        community: Names {
            zh: r.try_get("comm_zh")?,
            en: r.try_get("comm_en")?,
        },
        me_too: u32::try_from(r.try_get::<i64, _>("me_too_count")?).unwrap_or(0),
        created_ms: r.try_get("created_at")?,
        updated_ms: r.try_get("updated_at")?,
    })
}

impl Cases {
    /// The reporter adds a note (and maybe a photo) to their case: proven by the private follow
    /// key, or by being signed in as the (non-anonymous) reporter.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_comment(
        &self,
        code: &str,
        follow_key: Option<&str>,
        user_id: Option<i64>,
        body: &str,
        photo: Option<Vec<u8>>,
        client: &str,
        now: i64,
    ) -> Result<(), SubmitError> {
        let parsed = TrackingCode::parse(code)
            .map_err(|_| SubmitError::Invalid(vec![ReportProblem::NotTheReporter]))?;
        let row = sqlx::query(
            "SELECT id, follow_token_hash, reporter_user_id FROM cases WHERE tracking_code = $1",
        )
        .bind(parsed.to_string())
        .fetch_optional(self.store.pool())
        .await?;
        let Some(row) = row else {
            return Err(SubmitError::Invalid(vec![ReportProblem::NotTheReporter]));
        };
        let id: i64 = row.try_get("id")?;
        let key_hash: String = row.try_get("follow_token_hash")?;
        let reporter: Option<i64> = row.try_get("reporter_user_id")?;
        let key_matches = follow_key.filter(|k| sha256_hex(&[*k]) == key_hash);
        let is_reporter = key_matches.is_some() || (user_id.is_some() && user_id == reporter);
        if !is_reporter {
            return Err(SubmitError::Invalid(vec![ReportProblem::NotTheReporter]));
        }
        self.limits.check(Bucket::Comment, client, now).await?;
        let mut problems = Vec::new();
        let text = parse_comment(body).map_err(|p| problems.push(p)).ok();
        if let Some(bytes) = &photo
            && let Err(p) = photos::precheck(bytes)
        {
            problems.push(p);
        }
        let Some(text) = text.filter(|_| problems.is_empty()) else {
            return Err(SubmitError::Invalid(problems));
        };
        let photos: Vec<Vec<u8>> = photo.into_iter().collect();
        let admitted = self.photos.admit(&photos)?;
        self.limits.reserve(Bucket::Comment, client, now).await?;
        let processed = self.photos.process_admitted(photos, admitted).await?.pop();
        let mut keys = Vec::new();
        if let Some(p) = processed {
            self.photos.put(p, &mut keys).await?;
        }
        let inserted = sqlx::query(
            "INSERT INTO case_comments (case_id, body, full_key, thumb_key, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(&text)
        .bind(keys.first().cloned())
        .bind(keys.get(1).cloned())
        .bind(now)
        .execute(self.store.pool())
        .await;
        if let Err(e) = inserted {
            self.photos.media().delete_all(&keys).await;
            return Err(e.into());
        }
        sqlx::query("UPDATE cases SET updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(self.store.pool())
            .await?;
        self.announce(&parsed).await;
        Ok(())
    }
}

/// Rows per page of the case list.
pub const CASE_PAGE: u32 = 30;

/// The WHERE clause and its parameters for a case filter, shared by the map and the list so they
/// always show the same cases. Parameters start at `$first`.
struct FilterSql {
    clause: String,
    floats: Vec<f64>,
    texts: Vec<String>,
}

/// Which positions a query may read: the public grid for anyone, the exact point for staff.
#[derive(Clone, Copy)]
enum Positions {
    Public,
    Exact,
}

impl Positions {
    fn columns(self) -> (&'static str, &'static str) {
        match self {
            Positions::Public => ("public_lat", "public_lng"),
            Positions::Exact => ("lat", "lng"),
        }
    }

    /// A distance as shown: to the nearest 50 m for the public (the grid is coarser anyway).
    fn shown_distance(self, metres: f64) -> u32 {
        match self {
            Positions::Public => ((metres / 50.0).round() * 50.0) as u32,
            Positions::Exact => metres.round() as u32,
        }
    }
}

fn filter_sql(filter: &CaseFilter, first: usize) -> FilterSql {
    let mut clause = String::from("1 = 1");
    let mut n = first;
    let mut floats = Vec::new();
    let mut texts = Vec::new();
    if let Some(view) = &filter.view {
        let b = view.bbox;
        clause.push_str(&format!(
            " AND c.public_lat BETWEEN ${} AND ${} AND c.public_lng BETWEEN ${} AND ${}",
            n,
            n + 1,
            n + 2,
            n + 3
        ));
        n += 4;
        floats.extend([b.south, b.north, b.west, b.east]);
    }
    match filter.state {
        StateFilter::Open => clause.push_str(" AND c.stage <> 'closed'"),
        StateFilter::Closed => clause.push_str(" AND c.stage = 'closed'"),
        StateFilter::All => {}
    }
    // Category codes are fixed-width, so a prefix selects a major class or one sub-category.
    if let Ok(code) = CategoryCode::parse(filter.category.trim()) {
        clause.push_str(&format!(" AND c.category_code LIKE ${n}"));
        texts.push(format!("{}%", code.as_str()));
    }
    FilterSql {
        clause,
        floats,
        texts,
    }
}

impl Cases {
    /// Cases on the map, grouped into cells about 64 px across at the view's zoom.
    pub async fn clusters(&self, filter: &CaseFilter) -> Result<Vec<CaseCluster>, StoreError> {
        // Views from the browser are re-checked: a forged zoom must not reach the arithmetic.
        let Some(view) = filter.view.and_then(|v| v.validated().ok()) else {
            return Ok(Vec::new());
        };
        let cell = view.cell_deg();
        let f = filter_sql(filter, 4);
        // Cell numbers counted from the view's south-west corner, so they are never negative and
        // truncation is the floor on both backends.
        let cell_of = |col: &str, origin: &str| match self.store.backend() {
            Backend::Sqlite => format!("CAST((c.{col} - {origin}) / $3 AS INTEGER)"),
            Backend::Postgres => format!("CAST(FLOOR((c.{col} - {origin}) / $3) AS BIGINT)"),
        };
        let sql = format!(
            "SELECT COUNT(*) AS n, AVG(c.public_lat) AS lat, AVG(c.public_lng) AS lng, \
             MIN(c.tracking_code) AS code \
             FROM cases c WHERE {} GROUP BY {}, {} LIMIT {}",
            f.clause,
            cell_of("public_lng", "$1"),
            cell_of("public_lat", "$2"),
            view.max_cells()
        );
        let mut q = sqlx::query(&sql)
            .bind(view.bbox.west)
            .bind(view.bbox.south)
            .bind(cell);
        for v in f.floats {
            q = q.bind(v);
        }
        for t in f.texts {
            q = q.bind(t);
        }
        let rows = q.fetch_all(self.store.pool()).await?;
        rows.into_iter()
            .map(|r| {
                let n: i64 = r.try_get("n")?;
                // Means of public positions, shown on the same grid.
                let (lat, lng): (f64, f64) = (r.try_get("lat")?, r.try_get("lng")?);
                let (lat, lng) = (public_coordinate(lat), public_coordinate(lng));
                Ok(if n == 1 {
                    CaseCluster {
                        lat,
                        lng,
                        count: 1,
                        code: Some(r.try_get("code")?),
                    }
                } else {
                    CaseCluster {
                        lat,
                        lng,
                        count: u32::try_from(n).unwrap_or(u32::MAX),
                        code: None,
                    }
                })
            })
            .collect()
    }

    /// The same cases as a list, newest first.
    pub async fn list(
        &self,
        filter: &CaseFilter,
        page: u32,
    ) -> Result<Vec<CaseListItem>, StoreError> {
        let mut filter = filter.clone();
        if let Some(v) = filter.view {
            match v.validated() {
                Ok(v) => filter.view = Some(v),
                Err(_) => return Ok(Vec::new()),
            }
        }
        let f = filter_sql(&filter, 1);
        let sql = format!(
            "{LIST_SELECT} WHERE {} ORDER BY c.created_at DESC, c.id DESC LIMIT {} OFFSET {}",
            f.clause,
            CASE_PAGE,
            u64::from(page) * u64::from(CASE_PAGE)
        );
        let mut q = sqlx::query(&sql);
        for v in f.floats {
            q = q.bind(v);
        }
        for t in f.texts {
            q = q.bind(t);
        }
        q.fetch_all(self.store.pool())
            .await?
            .iter()
            .map(list_item)
            .collect()
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
