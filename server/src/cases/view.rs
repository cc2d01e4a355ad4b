//! One case as its page shows it: to the public, to its reporter (by the private key or signed in), with its timeline, photos and follow-ups; and a photo file unless it is hidden.

use crate::cases::{Cases, SubmitError};
use crate::kernel::photo_desk::photo_view;
use crate::kernel::rate::{Bucket, Limited};
use crate::kernel::secrets::sha256_hex;
use crate::kernel::store::StoreError;
use domain::account::phone::Phone;
use domain::cases::case::{CaseStage, LocationSource};
use domain::cases::category::TimeLimit;
use domain::cases::questions::{AnswerKind, Question};
use domain::cases::report::mask_personal_numbers;
use domain::cases::tracking::TrackingCode;
use domain::ports::{
    CaseEventView, CaseLookup, CaseView, CommentView, Names, PhotoView, PrivateCaseView,
};
use domain::workflow::{CaseAction, CaseState};
use sqlx::Row;

/// A case with its category, department and places, by tracking code.
const CASE_ROW: &str = "SELECT c.id, c.tracking_code, c.category_code, c.description, c.public_description, \
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
    WHERE c.tracking_code = $1";

impl Cases {
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
        let Some(row) = sqlx::query(CASE_ROW)
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
        let (is_reporter, private) = private_view(&row, follow_key, user_id, &description)?;
        let timeline = self.timeline(id, code).await?;
        let state_raw: String = row.try_get("state")?;
        let state = CaseState::parse(&state_raw).ok_or_else(|| corrupt("state"))?;
        let merged_into: Option<String> = row.try_get("merged_code")?;
        let can_rate =
            is_reporter && state == CaseState::Closed && row.try_get::<i64, _>("rated")? == 0;
        let photos = visible_photos(pool, id).await?;
        let answers = answers(pool, id).await?;
        let hidden_photos = hidden_photos(pool, id).await?;
        let (comments, hidden_comments) = comments(pool, id).await?;
        let followers = followers(pool, id).await?;
        let community_code: String = row.try_get("community_code")?;
        let street_code: String = row.try_get("street_code")?;
        let (viewer_follows, viewer_follows_area) =
            viewer_follows(pool, id, user_id, &community_code).await?;
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

    /// The public timeline with each step's photos. Staff-only steps (extension requests, a
    /// denied extension) stay off it.
    async fn timeline(
        &self,
        id: i64,
        code: &TrackingCode,
    ) -> Result<Vec<CaseEventView>, StoreError> {
        let pool = self.store.pool();
        let corrupt = |what: &str| StoreError::Corrupt(format!("case {code}: {what}"));
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
        Ok(timeline)
    }
}

impl Cases {
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

type Pool = sqlx::Pool<sqlx::Any>;

async fn visible_photos(pool: &Pool, id: i64) -> Result<Vec<PhotoView>, StoreError> {
    sqlx::query(
        "SELECT position, full_key, thumb_key, width, height FROM case_photos \
             WHERE case_id = $1 AND hidden = 0 ORDER BY position",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| photo_view(&r))
    .collect::<Result<Vec<_>, StoreError>>()
}

/// Answers to the category's extra questions, as (question, answer) in both languages; a list
/// answer shows its choices' names.
async fn answers(pool: &Pool, id: i64) -> Result<Vec<(Names, Names)>, StoreError> {
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
    Ok(answers)
}

async fn hidden_photos(pool: &Pool, id: i64) -> Result<Vec<u32>, StoreError> {
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT position FROM case_photos WHERE case_id = $1 AND hidden = 1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|p| u32::try_from(p).unwrap_or_default())
    .collect())
}

/// Shown and hidden follow-ups in one read: the hidden ones only by id, for moderators.
async fn comments(pool: &Pool, id: i64) -> Result<(Vec<CommentView>, Vec<i64>), StoreError> {
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
    Ok((comments, hidden_comments))
}

/// Whether the signed-in viewer follows the case and its community.
async fn viewer_follows(
    pool: &Pool,
    id: i64,
    user_id: Option<i64>,
    community_code: &str,
) -> Result<(bool, bool), StoreError> {
    Ok(match user_id {
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
                .bind(community_code)
                .fetch_one(pool)
                .await?
                    > 0,
            ),
            None => (false, false),
        })
}

/// The reporter's own view, when the viewer holds the private key or is the signed-in reporter.
fn private_view(
    row: &sqlx::any::AnyRow,
    follow_key: Option<&str>,
    user_id: Option<i64>,
    description: &str,
) -> Result<(bool, Option<PrivateCaseView>), StoreError> {
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
            description: description.to_owned(),
            follow_key: key_matches.map(str::to_owned),
            photo_gps: None,
        })
    } else {
        None
    };
    Ok((is_reporter, private))
}

async fn followers(pool: &Pool, id: i64) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM case_followers WHERE case_id = $1",
        )
        .bind(id)
        .fetch_one(pool)
        .await?,
    )
}
