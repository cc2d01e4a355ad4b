//! Comments (with reports and their review) and the council's progress updates.

use crate::consult::lifecycle::log_phase;
use crate::consult::{ConsultError, Consultations, refused};
use crate::kernel::photo_desk::PhotoIntake;
use crate::kernel::photo_desk::{PhotoOwner, StoredPhoto, insert_photo_rows};
use crate::kernel::store::StoreError;
use domain::consult::{BODY_MAX_CHARS, COMMENT_MAX_CHARS, COMMENT_MIN_CHARS, HIDE_AFTER_REPORTS};
use domain::consult::{Phase, Stance};
use domain::ports::ConsultProblem;
use domain::privacy::clean_text;

impl Consultations {
    pub async fn comment(
        &self,
        user_id: i64,
        id: i64,
        parent: Option<i64>,
        stance: &str,
        body: &str,
        now: i64,
    ) -> Result<i64, ConsultError> {
        let c = self.must_load(id).await?;
        if !matches!(c.phase(now), Phase::Comment | Phase::Vote) {
            return Err(refused(ConsultProblem::CommentsClosed));
        }
        let mut problems = Vec::new();
        let body = clean_text(body, true);
        let body = body.trim();
        if !(COMMENT_MIN_CHARS..=COMMENT_MAX_CHARS).contains(&body.chars().count()) {
            problems.push(ConsultProblem::CommentLength);
        }
        // A reply takes no stance of its own unless given one.
        let stance = match (Stance::parse(stance), parent) {
            (Some(s), _) => Some(s),
            (None, Some(_)) => Some(Stance::Neutral),
            (None, None) => {
                problems.push(ConsultProblem::NoStance);
                None
            }
        };
        if let Some(parent) = parent {
            let grand: Option<Option<i64>> = sqlx::query_scalar(
                "SELECT parent_id FROM consultation_comments WHERE id = $1 AND consultation_id = $2 \
                 AND status <> 'removed'",
            )
            .bind(parent)
            .bind(id)
            .fetch_optional(self.store.pool())
            .await?;
            match grand {
                None => problems.push(ConsultProblem::NoSuchComment),
                Some(Some(_)) => problems.push(ConsultProblem::ReplyTooDeep),
                Some(None) => {}
            }
        }
        let (Some(stance), true) = (stance, problems.is_empty()) else {
            return Err(ConsultError::Refused(problems));
        };
        // Counted per person, atomically: a script cannot flood a consultation's discussion.
        match crate::kernel::rate::RateLimits::new(self.store.clone())
            .reserve(
                crate::kernel::rate::Bucket::ConsultComment,
                &format!("u:{user_id}"),
                now,
            )
            .await
        {
            Ok(()) => {}
            Err(crate::kernel::rate::Limited::Wait(w)) => {
                return Err(refused(ConsultProblem::CommentsTooFast {
                    seconds: w.seconds(),
                }));
            }
            Err(crate::kernel::rate::Limited::Store(e)) => return Err(StoreError::Query(e).into()),
        }
        let official = self.is_council(user_id, &c.community).await?;
        let comment_id: i64 = sqlx::query_scalar(
            "INSERT INTO consultation_comments (consultation_id, parent_id, user_id, stance, body, \
             official, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(id)
        .bind(parent)
        .bind(user_id)
        .bind(stance.as_str())
        .bind(body)
        .bind(i64::from(official))
        .bind(now)
        .fetch_one(self.store.pool())
        .await?;
        Ok(comment_id)
    }

    /// A signed-in person reports a comment; the third different reporter who is a verified owner
    /// of the community (by the roster) holds it for the council, unless the council has already
    /// reviewed and kept it. Anyone's report is kept for the council to see, but accounts from
    /// elsewhere cannot hide an owner's words, nor can anyone report their own.
    pub async fn report_comment(
        &self,
        user_id: i64,
        id: i64,
        comment_id: i64,
        now: i64,
    ) -> Result<bool, ConsultError> {
        let mut tx = self.store.begin_write().await?;
        let author: Option<Option<i64>> = sqlx::query_scalar(
            "SELECT user_id FROM consultation_comments WHERE id = $1 AND consultation_id = $2",
        )
        .bind(comment_id)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        match author {
            None => return Err(refused(ConsultProblem::NoSuchComment)),
            Some(Some(a)) if a == user_id => return Err(refused(ConsultProblem::OwnComment)),
            Some(_) => {}
        }
        sqlx::query(
            "INSERT INTO comment_reports (comment_id, user_id, at) VALUES ($1, $2, $3) \
             ON CONFLICT (comment_id, user_id) DO NOTHING",
        )
        .bind(comment_id)
        .bind(user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let held = sqlx::query(
            "UPDATE consultation_comments SET status = 'held' WHERE id = $1 AND status = 'shown' \
             AND reviewed = 0 AND (SELECT COUNT(*) FROM comment_reports r \
             JOIN users u ON u.id = r.user_id WHERE r.comment_id = $1 AND EXISTS \
             (SELECT 1 FROM roster_units ru JOIN consultations k ON k.community_code = ru.community_code \
              WHERE k.id = $3 AND ru.phone = u.phone)) >= $2",
        )
        .bind(comment_id)
        .bind(i64::from(HIDE_AFTER_REPORTS))
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        tx.commit().await?;
        Ok(held)
    }

    /// The council's review of a held comment: show it again (for good) or remove it.
    pub async fn review_comment(
        &self,
        user_id: i64,
        id: i64,
        comment_id: i64,
        keep: bool,
        now: i64,
    ) -> Result<(), ConsultError> {
        let c = self.must_load(id).await?;
        self.require_council(user_id, &c.community).await?;
        let mut tx = self.store.begin_write().await?;
        let done = sqlx::query(
            "UPDATE consultation_comments SET status = $1, reviewed = 1 \
             WHERE id = $2 AND consultation_id = $3 AND status = 'held'",
        )
        .bind(if keep { "shown" } else { "removed" })
        .bind(comment_id)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if done == 0 {
            return Err(refused(ConsultProblem::NoSuchComment));
        }
        crate::kernel::audit::record(
            &mut tx,
            Some(user_id),
            if keep {
                "comment.keep"
            } else {
                "comment.remove"
            },
            &comment_id.to_string(),
            &serde_json::json!({ "consultation": id }),
            "",
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// 实施跟进: a progress update after the result; the first one starts the follow-up phase.
    pub async fn add_update(
        &self,
        user_id: i64,
        id: i64,
        body: &str,
        photos: PhotoIntake,
        now: i64,
    ) -> Result<(), ConsultError> {
        let c = self.must_load(id).await?;
        self.require_council(user_id, &c.community).await?;
        let phase = c.phase(now);
        if phase < Phase::Published {
            return Err(refused(ConsultProblem::NotPublished));
        }
        let body = clean_text(body, true);
        let body = body.trim();
        let mut problems: Vec<ConsultProblem> = photos
            .problems()
            .into_iter()
            .map(ConsultProblem::Photo)
            .collect();
        if !(2..=BODY_MAX_CHARS).contains(&body.chars().count()) {
            problems.insert(0, ConsultProblem::UpdateLength);
        }
        if !problems.is_empty() {
            return Err(ConsultError::Refused(problems));
        }
        let mut keys = Vec::new();
        let stored = self.store_photos(photos.files, &mut keys).await?;
        let written = self
            .insert_update(user_id, id, phase, body, &stored, now)
            .await;
        if written.is_err() {
            self.cases.media().delete_all(&keys).await;
        }
        Ok(written?)
    }

    async fn insert_update(
        &self,
        user_id: i64,
        id: i64,
        phase: Phase,
        body: &str,
        photos: &[StoredPhoto],
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.store.begin_write().await?;
        if phase == Phase::Published {
            sqlx::query(
                "UPDATE consultations SET followup_at = $1 WHERE id = $2 AND followup_at IS NULL",
            )
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            log_phase(&mut tx, id, Phase::FollowUp, now, user_id).await?;
        }
        let update: i64 = sqlx::query_scalar(
            "INSERT INTO consultation_updates (consultation_id, body, at, actor_user_id) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(id)
        .bind(body)
        .bind(now)
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
        insert_photo_rows(
            &mut tx,
            PhotoOwner::Consultation {
                id,
                update: Some(update),
            },
            photos,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
