//! Open311 GeoReport v2 over the portal's cases: our sub-categories are the services; a request
//! is a case. Reading is public and never shows who reported (no name, phone or email; positions
//! rounded as in every open-data output). Writing needs an API key an admin issued to an
//! organisation; the case it files is an ordinary case, with its source and key recorded.
//! The parameter rules and the two formats are `domain::open_data::open311`.

mod demo;
mod keys;
pub mod web;

pub use demo::{QUESTIONS, seed_demo_key, seed_questions};
pub use keys::KeyError;

use crate::cases::{Cases, SubmitError};
use crate::kernel::store::{Store, StoreError};
use domain::cases::case::{CaseSource, CaseStage};
use domain::open_data::open311::{
    NewLocation, NewRequest, Open311Error, Params, Question, Record, RequestQuery, Value,
    attribute_record, check_answers, w3c_datetime,
};
use domain::ports::ReportValues;
use sqlx::Row;

/// When the answers' shape last changed (the spec's `changeset`).
pub const CHANGESET: &str = "2026-11-28T00:00:00+08:00";
pub const SPECIFICATION: &str = "http://wiki.open311.org/GeoReport_v2";
/// Keys start with this, so a leaked one is easy to recognise in logs and code.
const KEY_PREFIX: &str = "lk_";
/// The demo key the README gives, seeded with the demo city only.
pub const DEMO_KEY: &str = "lk_demo_open311_xiamen_2026";

#[derive(Debug, thiserror::Error)]
pub enum Open311Failure {
    #[error("refused: {0:?}")]
    Refused(Open311Error),
    #[error("store: {0}")]
    Store(#[from] StoreError),
    #[error("too many requests with this key")]
    Limited(domain::throttle::RetryAfter),
}

impl From<crate::kernel::rate::Limited> for Open311Failure {
    fn from(e: crate::kernel::rate::Limited) -> Self {
        match e {
            crate::kernel::rate::Limited::Wait(wait) => Open311Failure::Limited(wait),
            crate::kernel::rate::Limited::Store(e) => Open311Failure::Store(StoreError::Query(e)),
        }
    }
}

impl From<sqlx::Error> for Open311Failure {
    fn from(e: sqlx::Error) -> Self {
        Open311Failure::Store(StoreError::Query(e))
    }
}

impl From<Open311Error> for Open311Failure {
    fn from(e: Open311Error) -> Self {
        Open311Failure::Refused(e)
    }
}

#[derive(Clone)]
pub struct Open311 {
    store: Store,
    cases: Cases,
    limits: crate::kernel::rate::RateLimits,
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

impl Open311 {
    pub fn new(store: Store, cases: Cases) -> Open311 {
        Open311 {
            limits: crate::kernel::rate::RateLimits::new(store.clone()),
            store,
            cases,
        }
    }

    /// `discovery`: where the endpoint is and what it speaks.
    pub fn discovery(&self, base: &str) -> Record {
        let endpoint: Record = vec![
            ("specification", text(SPECIFICATION)),
            ("url", text(format!("{base}/open311/v2"))),
            ("changeset", text(CHANGESET)),
            ("type", text("production")),
            (
                "formats",
                Value::Texts(
                    "format",
                    vec!["text/xml".to_owned(), "application/json".to_owned()],
                ),
            ),
        ];
        vec![
            ("changeset", text(CHANGESET)),
            ("contact", text(format!("{base}/ · 邻里 Linli city portal"))),
            (
                "key_service",
                text("Ask the city's administrator for an api_key (issued per organisation)."),
            ),
            ("endpoints", Value::List("endpoint", vec![endpoint])),
        ]
    }

    /// `services`: every sub-category a report can be filed under.
    pub async fn services(&self) -> Result<Vec<Record>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.code, c.name_zh, c.name_en, g.name_zh AS group_zh, g.name_en AS group_en, \
             (SELECT COUNT(*) FROM category_questions q WHERE q.category_code = c.code) AS questions \
             FROM categories c JOIN categories g ON g.code = c.parent_code \
             ORDER BY g.sort_order, c.sort_order, c.code",
        )
        .fetch_all(self.store.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let (zh, en): (String, String) = (r.try_get("name_zh")?, r.try_get("name_en")?);
                let (gzh, gen_en): (String, String) =
                    (r.try_get("group_zh")?, r.try_get("group_en")?);
                Ok(vec![
                    ("service_code", text(r.try_get::<String, _>("code")?)),
                    ("service_name", text(zh.clone())),
                    (
                        "description",
                        text(format!("{gzh} · {zh} ({gen_en} · {en})")),
                    ),
                    (
                        "metadata",
                        Value::Bool(r.try_get::<i64, _>("questions")? > 0),
                    ),
                    ("type", text("realtime")),
                    ("keywords", text(format!("{zh},{en}"))),
                    ("group", text(gzh)),
                ])
            })
            .collect()
    }

    /// `services/{code}`: a service's extra questions (an empty list when it asks none); `None`
    /// for an unknown code.
    pub async fn service_definition(&self, code: &str) -> Result<Option<Record>, StoreError> {
        if !self.service_exists(code).await? {
            return Ok(None);
        }
        let questions = self.questions(code).await?;
        Ok(Some(vec![
            ("service_code", text(code)),
            (
                "attributes",
                Value::List(
                    "attribute",
                    questions.iter().map(attribute_record).collect(),
                ),
            ),
        ]))
    }

    /// A category's extra questions, in order.
    async fn questions(&self, code: &str) -> Result<Vec<Question>, StoreError> {
        Ok(
            crate::cases::category_questions(self.store.pool(), Some(code))
                .await?
                .into_iter()
                .map(|(_, q)| q)
                .collect(),
        )
    }

    async fn service_exists(&self, code: &str) -> Result<bool, StoreError> {
        let found: Option<String> = sqlx::query_scalar(
            "SELECT code FROM categories WHERE code = $1 AND parent_code IS NOT NULL",
        )
        .bind(code)
        .fetch_optional(self.store.pool())
        .await?;
        Ok(found.is_some())
    }

    /// The key's id, if `key` is a live key.
    async fn key_id(&self, key: &str) -> Result<Option<i64>, StoreError> {
        Ok(
            sqlx::query_scalar(
                "SELECT id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL",
            )
            .bind(crate::kernel::secrets::sha256_hex(&[key]))
            .fetch_optional(self.store.pool())
            .await?,
        )
    }

    /// `POST requests`: files a case. Returns the spec's answer record.
    pub async fn create(
        &self,
        params: &Params,
        base: &str,
        now: i64,
    ) -> Result<Record, Open311Failure> {
        let key = params
            .get("api_key")
            .ok_or_else(|| Open311Error::forbidden("api_key is required"))?;
        let key_id = self
            .key_id(key)
            .await?
            .ok_or_else(|| Open311Error::forbidden("api_key is not valid or was revoked"))?;
        // Every attempt with a live key counts, refused ones too: a client stuck in a loop of bad
        // requests is slowed down as well.
        let subject = format!("key:{key_id}");
        self.limits
            .reserve(crate::kernel::rate::Bucket::Open311Post, &subject, now)
            .await?;
        let request = NewRequest::parse(params)?;
        if !self.service_exists(&request.service_code).await? {
            return Err(Open311Error::bad(format!(
                "service_code '{}' is not one of our services (see services.xml)",
                request.service_code
            ))
            .into());
        }
        let questions = self.questions(&request.service_code).await?;
        let answers = check_answers(&questions, &request.attributes)?;
        let mut values = ReportValues {
            category: request.service_code.clone(),
            description: request.description.clone(),
            address: request.address.clone().unwrap_or_default(),
            contact_phone: request
                .phone
                .as_ref()
                .map(|p| p.e164().to_owned())
                .unwrap_or_default(),
            anonymous: true,
            answers,
            ..Default::default()
        };
        match request.location {
            NewLocation::At(at) => {
                values.lat = at.lat().to_string();
                values.lng = at.lng().to_string();
                values.location_source = "map".to_owned();
            }
            NewLocation::Address => {
                let address = request.address.as_deref().unwrap_or_default();
                values.community = self.community_named_in(address).await?.ok_or_else(|| {
                    Open311Error::bad(
                        "address_string must name one of the city's communities (社区), \
                         or send lat and long",
                    )
                })?;
                values.location_source = "list".to_owned();
            }
        }
        let code = match self
            .cases
            .file_handed_over(
                &values,
                Vec::new(),
                None,
                crate::cases::Origin {
                    source: CaseSource::Open311,
                    api_key: Some(key_id),
                },
                now,
            )
            .await
        {
            Ok(code) => code,
            Err(SubmitError::Invalid(problems)) => {
                let said: Vec<String> = problems.iter().map(ToString::to_string).collect();
                return Err(Open311Error::bad(said.join("; ")).into());
            }
            Err(SubmitError::Store(e)) => return Err(e.into()),
            Err(e) => return Err(StoreError::Corrupt(e.to_string()).into()),
        };
        Ok(vec![
            ("service_request_id", text(code.to_string())),
            (
                "service_notice",
                text(format!("已受理 Received. Follow it at {base}/case/{code}")),
            ),
            ("account_id", Value::Null),
        ])
    }

    /// The community whose Chinese name the address contains (the longest such name, so
    /// "中山社区" wins over a shorter name inside it).
    async fn community_named_in(&self, address: &str) -> Result<Option<String>, StoreError> {
        let rows = sqlx::query("SELECT code, name_zh FROM territories WHERE level = 'community'")
            .fetch_all(self.store.pool())
            .await?;
        let mut best: Option<(usize, String)> = None;
        for r in &rows {
            let name: String = r.try_get("name_zh")?;
            if address.contains(&name) && best.as_ref().is_none_or(|(n, _)| name.len() > *n) {
                best = Some((name.len(), r.try_get("code")?));
            }
        }
        Ok(best.map(|(_, code)| code))
    }

    /// `GET requests` (and `requests/{id}`, as a one-id query): newest first, at most 1000.
    pub async fn requests(
        &self,
        query: &RequestQuery,
        base: &str,
    ) -> Result<Vec<Record>, StoreError> {
        let mut clause = String::new();
        let mut texts: Vec<String> = Vec::new();
        let mut ints: Vec<i64> = Vec::new();
        match query {
            RequestQuery::Ids(codes) => {
                let marks: Vec<String> = (1..=codes.len()).map(|i| format!("${i}")).collect();
                clause = format!("c.tracking_code IN ({})", marks.join(", "));
                texts.extend(codes.iter().map(ToString::to_string));
                if codes.is_empty() {
                    return Ok(Vec::new());
                }
            }
            RequestQuery::Search {
                service_codes,
                start_ms,
                end_ms,
                open,
            } => {
                clause.push_str("c.created_at >= $1 AND c.created_at <= $2");
                ints.extend([*start_ms, *end_ms]);
                match open {
                    Some(true) => clause.push_str(" AND c.stage <> 'closed'"),
                    Some(false) => clause.push_str(" AND c.stage = 'closed'"),
                    None => {}
                }
                if !service_codes.is_empty() {
                    let marks: Vec<String> = (0..service_codes.len())
                        .map(|i| format!("${}", i + 3))
                        .collect();
                    clause.push_str(&format!(" AND c.category_code IN ({})", marks.join(", ")));
                    texts.extend(service_codes.iter().cloned());
                }
            }
        }
        let sql = format!(
            "SELECT c.id, c.tracking_code, c.stage, c.category_code, c.description, \
             c.public_description, c.public_lat AS lat, c.public_lng AS lng, c.created_at, c.updated_at, c.deadline_at, \
             cat.name_zh AS cat_zh, d.name_zh AS dept_zh, t.name_zh AS comm_zh, \
             (SELECT p.full_key FROM case_photos p WHERE p.case_id = c.id AND p.hidden = 0 \
              ORDER BY p.position LIMIT 1) AS photo \
             FROM cases c JOIN categories cat ON cat.code = c.category_code \
             JOIN territories t ON t.code = c.community_code \
             LEFT JOIN departments d ON d.code = c.department_code \
             WHERE {clause} ORDER BY c.created_at DESC, c.id DESC LIMIT {}",
            domain::open_data::open311::MAX_REQUESTS
        );
        let mut q = sqlx::query(&sql);
        for i in ints {
            q = q.bind(i);
        }
        for t in texts {
            q = q.bind(t);
        }
        let rows = q.fetch_all(self.store.pool()).await?;
        rows.iter().map(|r| request_record(r, base)).collect()
    }

    /// `tokens/{token}`: requests are filed at once, so a token is the request's own id.
    pub async fn token(&self, token: &str) -> Result<Option<Record>, StoreError> {
        let Ok(code) = domain::cases::tracking::TrackingCode::parse(token) else {
            return Ok(None);
        };
        let found: Option<String> =
            sqlx::query_scalar("SELECT tracking_code FROM cases WHERE tracking_code = $1")
                .bind(code.to_string())
                .fetch_optional(self.store.pool())
                .await?;
        Ok(found.map(|c| vec![("service_request_id", text(c.clone())), ("token", text(c))]))
    }
}

/// One case as an Open311 request.
fn request_record(r: &sqlx::any::AnyRow, base: &str) -> Result<Record, StoreError> {
    let stage_text: String = r.try_get("stage")?;
    let stage = CaseStage::parse(&stage_text)
        .ok_or_else(|| StoreError::Corrupt(format!("stage {stage_text}")))?;
    let description = domain::privacy::public_text(
        r.try_get("public_description")?,
        &r.try_get::<String, _>("description")?,
    );
    // The public position, as the store keeps it.
    let (lat, lng): (f64, f64) = (r.try_get("lat")?, r.try_get("lng")?);
    let optional_time = |col: &str| -> Result<Value, StoreError> {
        Ok(match r.try_get::<Option<i64>, _>(col)? {
            Some(ms) => text(w3c_datetime(ms)),
            None => Value::Null,
        })
    };
    Ok(vec![
        (
            "service_request_id",
            text(r.try_get::<String, _>("tracking_code")?),
        ),
        (
            "status",
            text(if stage == CaseStage::Closed {
                "closed"
            } else {
                "open"
            }),
        ),
        ("status_notes", text(stage.bilingual_label())),
        ("service_name", text(r.try_get::<String, _>("cat_zh")?)),
        (
            "service_code",
            text(r.try_get::<String, _>("category_code")?),
        ),
        ("description", text(description)),
        (
            "agency_responsible",
            match r.try_get::<Option<String>, _>("dept_zh")? {
                Some(d) => text(d),
                None => Value::Null,
            },
        ),
        ("service_notice", Value::Null),
        (
            "requested_datetime",
            text(w3c_datetime(r.try_get("created_at")?)),
        ),
        (
            "updated_datetime",
            text(w3c_datetime(r.try_get("updated_at")?)),
        ),
        ("expected_datetime", optional_time("deadline_at")?),
        ("address", text(r.try_get::<String, _>("comm_zh")?)),
        ("address_id", Value::Null),
        ("zipcode", Value::Null),
        ("lat", Value::Number(lat)),
        ("long", Value::Number(lng)),
        (
            "media_url",
            match r.try_get::<Option<String>, _>("photo")? {
                Some(key) => text(format!("{base}/media/{key}")),
                None => Value::Null,
            },
        ),
    ])
}
