//! Filing a report: the form's values checked against the category, the place and the limits, photos stored first and removed again if the case cannot be written, and a case handed over by another part of the system.

use crate::cases::{Cases, Origin, ReportSubmission, SubmitError, Submitted, category_questions};
use crate::kernel::photo_desk::{PhotoOwner, StoredPhoto, insert_photo_rows};
use crate::kernel::photos;
use crate::kernel::rate::Bucket;
use crate::kernel::secrets::{random_hex, sha256_hex};
use crate::kernel::store::StoreError;
use domain::account::phone::Phone;
use domain::cases::case::{CaseStage, LocationSource};
use domain::cases::locate::Placement;
use domain::cases::questions::{Question, Required, check_answers};
use domain::cases::report::{Description, MAX_PHOTOS, ReportProblem, china_year, parse_address};
use domain::cases::tracking::TrackingCode;
use domain::geo::LatLng;
use domain::ports::ReportValues;
use domain::territory::{TerritoryCode, TerritoryLevel};
use sqlx::Row;

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
}
