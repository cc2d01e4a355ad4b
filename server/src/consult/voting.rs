//! Ballots: an owner's vote online and a paper ballot entered by the council, each counted once and audited.

use crate::consult::{ConsultError, Consultations, PAPER_REF_MAX_CHARS, Stored, refused};
use domain::consult::{Choice, Phase};
use domain::ports::{ConsultProblem, UnitLabel};

impl Consultations {
    fn vote_open(c: &Stored, now: i64) -> Result<(), ConsultError> {
        match c.phase(now) {
            Phase::Vote => Ok(()),
            Phase::Draft | Phase::Comment => Err(refused(ConsultProblem::VoteNotOpen)),
            _ => Err(refused(ConsultProblem::VoteClosed)),
        }
    }

    /// A verified owner votes on the web, or changes their web vote while the vote is open.
    pub async fn vote(
        &self,
        user_id: i64,
        id: i64,
        choice: &str,
        now: i64,
    ) -> Result<Choice, ConsultError> {
        let c = self.must_load(id).await?;
        Self::vote_open(&c, now)?;
        let owned = self.owned_units(&c, user_id).await?;
        let Some((_, owner_key)) = owned.first() else {
            return Err(refused(ConsultProblem::NotOwner));
        };
        if !owned
            .iter()
            .any(|(l, _)| c.scope.contains(&l.building, &l.stairwell))
        {
            return Err(refused(ConsultProblem::OutsideScope));
        }
        let choice = Choice::parse(choice.trim(), c.option_count())
            .ok_or_else(|| refused(ConsultProblem::NoSuchOption))?;
        let mut tx = self.store.begin_write().await?;
        let version = next_ballot_version(&mut tx, id, now).await??;
        let event = if cast(&mut tx, id, owner_key, choice, None, user_id, now).await? {
            "cast"
        } else {
            // The owner has a ballot already: change it if it is their web ballot.
            let changed = sqlx::query(
                "UPDATE ballots SET choice = $1, changed_at = $2, cast_by = $3 \
                 WHERE consultation_id = $4 AND owner_key = $5 AND channel = 'web'",
            )
            .bind(choice.to_stored())
            .bind(now)
            .bind(user_id)
            .bind(id)
            .bind(owner_key)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed == 0 {
                let paper_ref = existing_paper_ref(&mut tx, id, owner_key).await?;
                return Err(refused(ConsultProblem::AlreadyVotedOnPaper { paper_ref }));
            }
            "changed"
        };
        audit_ballot(
            &mut tx, id, owner_key, choice, None, event, version, user_id, now,
        )
        .await?;
        tx.commit().await?;
        Ok(choice)
    }

    /// The council enters a paper or door-to-door ballot for the owner of a unit. Refused if that
    /// owner has voted by any channel.
    #[allow(clippy::too_many_arguments)]
    pub async fn enter_paper(
        &self,
        user_id: i64,
        id: i64,
        unit: &UnitLabel,
        choice: &str,
        paper_ref: &str,
        now: i64,
    ) -> Result<Choice, ConsultError> {
        let c = self.must_load(id).await?;
        self.require_council(user_id, &c.community).await?;
        Self::vote_open(&c, now)?;
        let paper_ref = paper_ref.trim();
        if paper_ref.is_empty() || paper_ref.chars().count() > PAPER_REF_MAX_CHARS {
            return Err(refused(ConsultProblem::PaperRefMissing));
        }
        let owner_key: Option<String> = sqlx::query_scalar(
            "SELECT owner_key FROM roster_units WHERE community_code = $1 AND building = $2 \
             AND stairwell = $3 AND unit = $4",
        )
        .bind(c.community.as_str())
        .bind(unit.building.trim())
        .bind(unit.stairwell.trim())
        .bind(unit.unit.trim())
        .fetch_optional(self.store.pool())
        .await?;
        let Some(owner_key) = owner_key else {
            return Err(refused(ConsultProblem::NoSuchUnit));
        };
        if !c
            .scope
            .contains(unit.building.trim(), unit.stairwell.trim())
        {
            return Err(refused(ConsultProblem::OutsideScope));
        }
        let choice = Choice::parse(choice.trim(), c.option_count())
            .ok_or_else(|| refused(ConsultProblem::NoSuchOption))?;
        let mut tx = self.store.begin_write().await?;
        let version = next_ballot_version(&mut tx, id, now).await??;
        if !cast(
            &mut tx,
            id,
            &owner_key,
            choice,
            Some(paper_ref),
            user_id,
            now,
        )
        .await?
        {
            let existing = existing_paper_ref(&mut tx, id, &owner_key).await?;
            return Err(refused(if existing.is_empty() {
                ConsultProblem::AlreadyVotedOnline
            } else {
                ConsultProblem::AlreadyEnteredOnPaper {
                    paper_ref: existing,
                }
            }));
        }
        audit_ballot(
            &mut tx,
            id,
            &owner_key,
            choice,
            Some(paper_ref),
            "cast",
            version,
            user_id,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(choice)
    }

    // -- comments and follow-up ------------------------------------------------------------
}

/// Takes the consultation's ballot lock and the next ballot version, if the vote is still open at
/// `now` inside this transaction: a ballot racing the close or the publication is refused, never
/// stored beside a result frozen without it.
async fn next_ballot_version(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    now: i64,
) -> Result<Result<i64, ConsultError>, sqlx::Error> {
    let version: Option<i64> = sqlx::query_scalar(
        "UPDATE consultations SET ballot_version = ballot_version + 1 \
         WHERE id = $1 AND published_at IS NULL AND vote_from <= $2 AND vote_until > $2 \
         RETURNING ballot_version",
    )
    .bind(id)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(version.ok_or_else(|| refused(ConsultProblem::VoteClosed)))
}

/// Inserts a ballot unless the owner already has one; true if this one was inserted.
async fn cast(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    owner_key: &str,
    choice: Choice,
    paper_ref: Option<&str>,
    user_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "INSERT INTO ballots (consultation_id, owner_key, choice, channel, paper_ref, cast_by, \
         cast_at, changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
         ON CONFLICT (consultation_id, owner_key) DO NOTHING",
    )
    .bind(id)
    .bind(owner_key)
    .bind(choice.to_stored())
    .bind(if paper_ref.is_some() { "paper" } else { "web" })
    .bind(paper_ref.map(str::to_owned))
    .bind(user_id)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}

/// The paper reference of the owner's ballot, or "" if it was cast on the web.
async fn existing_paper_ref(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    owner_key: &str,
) -> Result<String, sqlx::Error> {
    let r: Option<Option<String>> = sqlx::query_scalar(
        "SELECT paper_ref FROM ballots WHERE consultation_id = $1 AND owner_key = $2",
    )
    .bind(id)
    .bind(owner_key)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(r.flatten().unwrap_or_default())
}

#[allow(clippy::too_many_arguments)]
async fn audit_ballot(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    owner_key: &str,
    choice: Choice,
    paper_ref: Option<&str>,
    event: &str,
    version: i64,
    user_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO ballot_audit (consultation_id, owner_key, choice, channel, paper_ref, event, \
         version, actor_user_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(owner_key)
    .bind(choice.to_stored())
    .bind(if paper_ref.is_some() { "paper" } else { "web" })
    .bind(paper_ref.map(str::to_owned))
    .bind(event)
    .bind(version)
    .bind(user_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
