//! What consultation pages read: the list, one consultation as this viewer may see it, an owner's standing, the comments.

use crate::consult::{ConsultError, Consultations, LIST_ROWS, Stored, matter_view, turnout_only};
use crate::kernel::store::StoreError;
use domain::access::{Action, Target};
use domain::cases::report::mask_personal_numbers;
use domain::consult::{Choice, Phase, Schedule, Stance};
use domain::ports::{
    BallotView, ConsultComment, ConsultList, ConsultListItem, ConsultResult, ConsultView, Names,
    OwnerStatus, PhaseLogEntry, PhotoView, UnitLabel, UpdateView,
};
use domain::territory::TerritoryCode;
use sqlx::Row;
use std::collections::HashMap;

impl Consultations {
    pub async fn list(&self, user_id: Option<i64>, now: i64) -> Result<ConsultList, StoreError> {
        let rows = sqlx::query(
            "SELECT c.id, c.title, c.comment_from, c.vote_from, c.vote_until, c.published_at, \
             c.followup_at, t.name_zh, t.name_en, m.name_zh AS m_zh, m.name_en AS m_en \
             FROM consultations c JOIN territories t ON t.code = c.community_code \
             JOIN matter_rules m ON m.code = c.matter_code \
             ORDER BY c.created_at DESC, c.id DESC LIMIT $1",
        )
        .bind(LIST_ROWS)
        .fetch_all(self.store.pool())
        .await?;
        let mut items = Vec::with_capacity(rows.len());
        for r in rows {
            let schedule = Schedule {
                comment_from: r.try_get("comment_from")?,
                vote_from: r.try_get("vote_from")?,
                vote_until: r.try_get("vote_until")?,
            };
            items.push(ConsultListItem {
                id: r.try_get("id")?,
                title: r.try_get("title")?,
                community: Names {
                    zh: r.try_get("name_zh")?,
                    en: r.try_get("name_en")?,
                },
                matter: Names {
                    zh: r.try_get("m_zh")?,
                    en: r.try_get("m_en")?,
                },
                phase: schedule.phase_at(
                    r.try_get("published_at")?,
                    r.try_get("followup_at")?,
                    now,
                ),
                vote_from: schedule.vote_from,
                vote_until: schedule.vote_until,
            });
        }
        let mut council_of = Vec::new();
        if let Some(user_id) = user_id {
            let communities = sqlx::query(
                "SELECT code, name_zh, name_en FROM territories WHERE level = 'community' ORDER BY code",
            )
            .fetch_all(self.store.pool())
            .await?;
            // The person's grants once, then the same rule for each community.
            let grants: Vec<domain::access::Grant> =
                crate::kernel::access::load_grants(&self.store, user_id)
                    .await
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?
                    .into_iter()
                    .map(|(_, g, _)| g)
                    .collect();
            for r in communities {
                let code: String = r.try_get("code")?;
                let Ok(t) = TerritoryCode::parse(&code) else {
                    continue;
                };
                let target = Target::Territory(t);
                if domain::access::decide(Some(&grants), Action::RunConsultation, &target)
                    == domain::access::Decision::Allow
                {
                    council_of.push((
                        code,
                        Names {
                            zh: r.try_get("name_zh")?,
                            en: r.try_get("name_en")?,
                        },
                    ));
                }
            }
        }
        let matters = self.rules().await?.iter().map(matter_view).collect();
        let mut held = Vec::new();
        for (community, _) in &council_of {
            let rows = sqlx::query(
                "SELECT c.id, c.title, CAST(COUNT(*) AS BIGINT) AS n FROM consultation_comments m \
                 JOIN consultations c ON c.id = m.consultation_id \
                 WHERE c.community_code = $1 AND m.status = 'held' GROUP BY c.id, c.title ORDER BY c.id",
            )
            .bind(community)
            .fetch_all(self.store.pool())
            .await?;
            for r in rows {
                held.push((
                    r.try_get("id")?,
                    r.try_get("title")?,
                    u32::try_from(r.try_get::<i64, _>("n")?).unwrap_or_default(),
                ));
            }
        }
        Ok(ConsultList {
            items,
            council_of,
            matters,
            held,
        })
    }

    pub async fn view(
        &self,
        id: i64,
        user_id: Option<i64>,
        now: i64,
    ) -> Result<Option<ConsultView>, StoreError> {
        let Some(c) = self.load(id).await? else {
            return Ok(None);
        };
        let phase = c.phase(now);
        let council = match user_id {
            Some(u) => self.is_council(u, &c.community).await?,
            None => false,
        };
        let closed = phase >= Phase::Closed;
        let result = self.result_for_page(&c, closed).await?;
        let show_choices = closed || c.open_voting;
        let meter = turnout_only(result.tally.clone(), show_choices);
        let me = match user_id {
            Some(u) => self.owner_status(&c, u).await?,
            None => None,
        };
        let names = sqlx::query("SELECT name_zh, name_en FROM territories WHERE code = $1")
            .bind(c.community.as_str())
            .fetch_one(self.store.pool())
            .await?;
        let log = self.phase_log(id).await?;
        let comments = self.comments(id, council).await?;
        let mut photos = self.photos_of(id).await?;
        let updates = self.updates(id, &mut photos).await?;
        let roster_units: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM roster_units WHERE community_code = $1",
        )
        .bind(c.community.as_str())
        .fetch_one(self.store.pool())
        .await?;
        Ok(Some(ConsultView {
            id,
            title: c.title.clone(),
            body: c.body.clone(),
            community_code: c.community.as_str().to_owned(),
            community: Names {
                zh: names.try_get("name_zh")?,
                en: names.try_get("name_en")?,
            },
            matter: matter_view(&c.rule),
            scope: c.scope.clone(),
            options: c.options.clone(),
            open_voting: c.open_voting,
            schedule: c.schedule,
            published_at: c.published_at,
            followup_at: c.followup_at,
            phase,
            created_at: c.created_at,
            photos: photos.remove(&None).unwrap_or_default(),
            log,
            meter,
            show_choices,
            result: closed.then_some(result),
            me,
            council,
            comments,
            updates,
            roster_units: u64::try_from(roster_units).unwrap_or_default(),
        }))
    }

    /// The published result, or the live tally (with the units that voted, once closed).
    async fn result_for_page(&self, c: &Stored, closed: bool) -> Result<ConsultResult, StoreError> {
        if c.result_json.is_some() {
            match self.result_of(c).await {
                Ok(r) => Ok(r),
                Err(ConsultError::Store(e)) => Err(e),
                Err(e) => Err(StoreError::Corrupt(e.to_string())),
            }
        } else {
            Ok(ConsultResult {
                tally: self.live_tally(c).await?,
                voted_units: if closed {
                    self.voted_units(c).await?
                } else {
                    Vec::new()
                },
                published: false,
            })
        }
    }

    async fn phase_log(&self, id: i64) -> Result<Vec<PhaseLogEntry>, StoreError> {
        Ok(sqlx::query(
            "SELECT phase, at FROM consultation_log WHERE consultation_id = $1 ORDER BY at, id",
        )
        .bind(id)
        .fetch_all(self.store.pool())
        .await?
        .into_iter()
        .filter_map(|r| {
            let phase: String = r.try_get("phase").ok()?;
            Some(PhaseLogEntry {
                phase: Phase::parse(&phase)?,
                at: r.try_get("at").ok()?,
            })
        })
        .collect())
    }

    /// The council's progress updates, each with its photos (taken out of `photos`).
    async fn updates(
        &self,
        id: i64,
        photos: &mut HashMap<Option<i64>, Vec<PhotoView>>,
    ) -> Result<Vec<UpdateView>, StoreError> {
        Ok(sqlx::query(
            "SELECT id, body, at FROM consultation_updates WHERE consultation_id = $1 ORDER BY at, id",
        )
        .bind(id)
        .fetch_all(self.store.pool())
        .await?
        .into_iter()
        .filter_map(|r| {
            let update: i64 = r.try_get("id").ok()?;
            Some(UpdateView {
                body: mask_personal_numbers(&r.try_get::<String, _>("body").ok()?),
                at: r.try_get("at").ok()?,
                photos: photos.remove(&Some(update)).unwrap_or_default(),
            })
        })
        .collect())
    }

    /// The viewer's units on this community's roster, matched by their sign-in phone.
    async fn owner_status(
        &self,
        c: &Stored,
        user_id: i64,
    ) -> Result<Option<OwnerStatus>, StoreError> {
        let units = self.owned_units(c, user_id).await?;
        if units.is_empty() {
            return Ok(None);
        }
        let in_scope = units
            .iter()
            .any(|(l, _)| c.scope.contains(&l.building, &l.stairwell));
        let ballot = match units.first() {
            Some((_, key)) => sqlx::query(
                "SELECT choice, channel, changed_at FROM ballots \
                 WHERE consultation_id = $1 AND owner_key = $2",
            )
            .bind(c.id)
            .bind(key)
            .fetch_optional(self.store.pool())
            .await?
            .and_then(|r| {
                Some(BallotView {
                    choice: Choice::from_stored(r.try_get("choice").ok()?)?,
                    paper: r.try_get::<String, _>("channel").ok()? == "paper",
                    changed_at: r.try_get("changed_at").ok()?,
                })
            }),
            None => None,
        };
        Ok(Some(OwnerStatus {
            units: units.into_iter().map(|(l, _)| l).collect(),
            in_scope,
            ballot,
        }))
    }

    /// Units whose roster phone is the person's sign-in phone, with their owner key.
    pub(super) async fn owned_units(
        &self,
        c: &Stored,
        user_id: i64,
    ) -> Result<Vec<(UnitLabel, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT building, stairwell, unit, owner_key FROM roster_units \
             WHERE phone = (SELECT phone FROM users WHERE id = $1 AND deleted_at IS NULL) \
             AND community_code = $2 AND developer_unsold = 0 ORDER BY building, stairwell, unit",
        )
        .bind(user_id)
        .bind(c.community.as_str())
        .fetch_all(self.store.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    UnitLabel {
                        building: r.try_get("building")?,
                        stairwell: r.try_get("stairwell")?,
                        unit: r.try_get("unit")?,
                    },
                    r.try_get("owner_key")?,
                ))
            })
            .collect()
    }

    async fn comments(&self, id: i64, council: bool) -> Result<Vec<ConsultComment>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.id, c.parent_id, c.stance, c.body, c.official, c.status, c.created_at, \
             (SELECT CAST(COUNT(*) AS BIGINT) FROM comment_reports r WHERE r.comment_id = c.id) AS reports \
             FROM consultation_comments c WHERE c.consultation_id = $1 AND c.status <> 'removed' \
             ORDER BY c.created_at, c.id",
        )
        .bind(id)
        .fetch_all(self.store.pool())
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let held = r.try_get::<String, _>("status")? == "held";
            if held && !council {
                continue;
            }
            let stance: String = r.try_get("stance")?;
            out.push(ConsultComment {
                id: r.try_get("id")?,
                parent_id: r.try_get("parent_id")?,
                stance: Stance::parse(&stance)
                    .ok_or_else(|| StoreError::Corrupt(format!("stance {stance}")))?,
                body: mask_personal_numbers(&r.try_get::<String, _>("body")?),
                official: r.try_get::<i64, _>("official")? == 1,
                held,
                reports: u32::try_from(r.try_get::<i64, _>("reports")?).unwrap_or_default(),
                at: r.try_get("created_at")?,
            });
        }
        Ok(out)
    }

    // -- the council's acts --------------------------------------------------------------------
}
