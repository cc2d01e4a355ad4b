//! The reporter's follow-up notes (and photo) on their own case.

use crate::cases::{Cases, SubmitError};
use crate::kernel::photos;
use crate::kernel::rate::Bucket;
use crate::kernel::secrets::sha256_hex;
use domain::cases::report::{ReportProblem, parse_comment};
use domain::cases::tracking::TrackingCode;
use domain::workflow::CaseState;
use sqlx::Row;

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
            "SELECT id, follow_token_hash, reporter_user_id, state FROM cases WHERE tracking_code = $1",
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
        // A finished case is rated or reported again; a note on it would reach no one.
        let state: String = row.try_get("state")?;
        if CaseState::parse(&state).is_some_and(CaseState::is_final) {
            return Err(SubmitError::Invalid(vec![ReportProblem::CaseFinished]));
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
