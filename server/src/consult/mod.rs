//! 共谋 consultations: the council creates and moves them, imports the owner roster and enters paper
//! ballots; verified owners vote once, by whichever channel comes first; residents comment. The
//! rules (phases, scope, the art. 278 tally, the roster format) are in `domain::consult`; this
//! module checks who may act, and writes each change in one transaction.

pub mod demo;
pub mod meter;
pub mod port;
pub mod units;
pub mod web;

use crate::consult::units::{ballots, scoped_units};
use crate::kernel::photo_desk::{PhotoOwner, StoredPhoto, insert_photo_rows};
use crate::kernel::store::{Store, StoreError};
use domain::access::{Action, Target};
use domain::calendar::Date;
use domain::consult::{
    BODY_MAX_CHARS, COMMENT_MAX_CHARS, COMMENT_MIN_CHARS, HIDE_AFTER_REPORTS, MAX_OPTIONS,
    TITLE_MAX_CHARS,
};
use domain::consult::{
    Choice, MatterRule, Phase, RosterRow, Schedule, ScopeRule, ScopedUnit, Stance, Tally,
    Threshold, VoteScope, built_in_matters, parse_roster, tally,
};
use domain::ports::PhotoView;
use domain::ports::{
    BallotView, ConsultComment, ConsultForm, ConsultList, ConsultListItem, ConsultProblem,
    ConsultResult, ConsultView, MatterView, Names, OwnerStatus, PhaseLogEntry, UnitLabel,
    UpdateView,
};
use domain::privacy::clean_text;
use domain::report::mask_personal_numbers;
use domain::territory::{TerritoryCode, TerritoryLevel};
use sqlx::Row;
use std::collections::{HashMap, HashSet};

#[derive(Debug, thiserror::Error)]
pub enum ConsultError {
    #[error("refused: {0:?}")]
    Refused(Vec<ConsultProblem>),
    /// Signed in, but not on this community's council.
    #[error("not allowed")]
    Forbidden,
    #[error("no such consultation")]
    NotFound,
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ConsultError {
    fn from(e: sqlx::Error) -> Self {
        ConsultError::Store(StoreError::Query(e))
    }
}

fn refused(p: ConsultProblem) -> ConsultError {
    ConsultError::Refused(vec![p])
}

/// Consultations listed on the index page.
const LIST_ROWS: i64 = 100;
/// The longest paper-ballot reference (the number printed on the form).
const PAPER_REF_MAX_CHARS: usize = 40;
/// Rows per INSERT when importing a roster: well under both backends' parameter limits.
const ROSTER_BATCH: usize = 400;

/// What a roster import changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RosterSummary {
    pub added: u64,
    pub updated: u64,
}

/// A consultation row as the service needs it.
#[derive(Debug, Clone)]
struct Stored {
    id: i64,
    community: TerritoryCode,
    title: String,
    body: String,
    rule: MatterRule,
    scope: VoteScope,
    options: Vec<String>,
    open_voting: bool,
    schedule: Schedule,
    published_at: Option<i64>,
    followup_at: Option<i64>,
    result_json: Option<String>,
    created_at: i64,
}

impl Stored {
    fn phase(&self, now: i64) -> Phase {
        self.schedule
            .phase_at(self.published_at, self.followup_at, now)
    }

    fn option_count(&self) -> usize {
        if self.options.is_empty() {
            2
        } else {
            self.options.len()
        }
    }
}

/// The frozen result, as stored at publication.
#[derive(serde::Serialize, serde::Deserialize)]
struct Frozen {
    tally: Tally,
    voted_units: Vec<UnitLabel>,
}

#[derive(Clone)]
pub struct Consultations {
    store: Store,
    /// For photos: the same checks, re-encoding (EXIF stripped) and media store as reports.
    cases: crate::cases::Cases,
    live: crate::consult::meter::LiveTallies,
}

pub use crate::kernel::photo_desk::PhotoIntake;

impl Consultations {
    pub fn new(store: Store, cases: crate::cases::Cases) -> Consultations {
        Consultations {
            store,
            cases,
            live: Default::default(),
        }
    }

    /// Re-encodes and stores checked photos; their keys go into `keys` so a failed write can
    /// remove them again.
    async fn store_photos(
        &self,
        files: Vec<Vec<u8>>,
        keys: &mut Vec<String>,
    ) -> Result<Vec<StoredPhoto>, ConsultError> {
        self.cases
            .photos()
            .store_checked(files, keys)
            .await
            .map_err(|e| match e {
                crate::kernel::photo_desk::PhotoFailure::Refused(ps) => {
                    ConsultError::Refused(ps.into_iter().map(ConsultProblem::Photo).collect())
                }
                crate::kernel::photo_desk::PhotoFailure::Store(s) => ConsultError::Store(s),
            })
    }

    async fn photos_of(&self, id: i64) -> Result<HashMap<Option<i64>, Vec<PhotoView>>, StoreError> {
        let rows = sqlx::query(
            "SELECT update_id, position, full_key, thumb_key, width, height FROM consultation_photos \
             WHERE consultation_id = $1 ORDER BY update_id, position",
        )
        .bind(id)
        .fetch_all(self.store.pool())
        .await?;
        let mut out: HashMap<Option<i64>, Vec<PhotoView>> = HashMap::new();
        for r in &rows {
            out.entry(r.try_get("update_id")?)
                .or_default()
                .push(crate::kernel::photo_desk::photo_view(r)?);
        }
        Ok(out)
    }

    /// The tally now, for the meter (and the result of a closed vote before publication).
    async fn live_tally(&self, c: &Stored) -> Result<Tally, StoreError> {
        let mut conn = self.store.pool().acquire().await?;
        self.live_tally_on(&mut conn, c).await
    }

    async fn live_tally_on(
        &self,
        conn: &mut sqlx::AnyConnection,
        c: &Stored,
    ) -> Result<Tally, StoreError> {
        self.live
            .tally(
                conn,
                &crate::consult::meter::Subject {
                    id: c.id,
                    community: &c.community,
                    scope: &c.scope,
                    option_count: c.option_count(),
                    rule: &c.rule,
                },
            )
            .await
    }

    /// The live turnout meter alone (for polling pages): one connection, waited for once. How
    /// people voted is blanked unless it may be shown. `None`: no such consultation.
    pub async fn meter(&self, id: i64, now: i64) -> Result<Option<(Phase, Tally)>, StoreError> {
        let mut conn = self.store.pool().acquire().await?;
        let Some(c) = load_on(&mut conn, id).await? else {
            return Ok(None);
        };
        let phase = c.phase(now);
        let tally = match &c.result_json {
            Some(_) => {
                drop(conn);
                self.result_of(&c)
                    .await
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?
                    .tally
            }
            None => self.live_tally_on(&mut conn, &c).await?,
        };
        Ok(Some((
            phase,
            turnout_only(tally, phase >= Phase::Closed || c.open_voting),
        )))
    }

    /// The units whose owners voted (not how), for a closed vote.
    async fn voted_units(&self, c: &Stored) -> Result<Vec<UnitLabel>, StoreError> {
        let mut conn = self.store.pool().acquire().await?;
        voted_units_on(&mut conn, c).await
    }

    // -- who may act ---------------------------------------------------------------------------

    async fn is_council(
        &self,
        user_id: i64,
        community: &TerritoryCode,
    ) -> Result<bool, StoreError> {
        crate::kernel::access::allows(
            &self.store,
            user_id,
            Action::RunConsultation,
            &Target::Territory(community.clone()),
        )
        .await
    }

    async fn require_council(
        &self,
        user_id: i64,
        community: &TerritoryCode,
    ) -> Result<(), ConsultError> {
        if self.is_council(user_id, community).await? {
            Ok(())
        } else {
            Err(ConsultError::Forbidden)
        }
    }

    // -- reading -------------------------------------------------------------------------------

    async fn rules(&self) -> Result<Vec<MatterRule>, StoreError> {
        let rows = sqlx::query(
            "SELECT code, name_zh, name_en, basis_zh, basis_en, quorum_num, quorum_den, \
             quorum_inclusive, pass_num, pass_den, pass_inclusive, scope_rule \
             FROM matter_rules ORDER BY sort_order, code",
        )
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(rule_from_row).collect()
    }

    async fn rule(&self, code: &str) -> Result<Option<MatterRule>, StoreError> {
        Ok(self.rules().await?.into_iter().find(|r| r.code == code))
    }

    async fn load(&self, id: i64) -> Result<Option<Stored>, StoreError> {
        let mut conn = self.store.pool().acquire().await?;
        load_on(&mut conn, id).await
    }

    async fn must_load(&self, id: i64) -> Result<Stored, ConsultError> {
        self.load(id).await?.ok_or(ConsultError::NotFound)
    }

    /// The tally now, read afresh from the roster and the ballots, with the units that voted.
    async fn live_result(&self, c: &Stored) -> Result<(Tally, Vec<UnitLabel>), StoreError> {
        let mut conn = self.store.pool().acquire().await?;
        live_result_on(&mut conn, c).await
    }

    /// The tally of a consultation, live or as frozen at publication: for benchmarks and tests.
    pub async fn result(&self, id: i64) -> Result<ConsultResult, ConsultError> {
        let c = self.must_load(id).await?;
        self.result_of(&c).await
    }

    async fn result_of(&self, c: &Stored) -> Result<ConsultResult, ConsultError> {
        if let Some(json) = &c.result_json {
            let frozen: Frozen = serde_json::from_str(json)
                .map_err(|e| StoreError::Corrupt(format!("frozen result: {e}")))?;
            return Ok(ConsultResult {
                tally: frozen.tally,
                voted_units: frozen.voted_units,
                published: true,
            });
        }
        let (tally, voted_units) = self.live_result(c).await?;
        Ok(ConsultResult {
            tally,
            voted_units,
            published: false,
        })
    }

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
        let result = if c.result_json.is_some() {
            match self.result_of(&c).await {
                Ok(r) => r,
                Err(ConsultError::Store(e)) => return Err(e),
                Err(e) => return Err(StoreError::Corrupt(e.to_string())),
            }
        } else {
            ConsultResult {
                tally: self.live_tally(&c).await?,
                voted_units: if closed {
                    self.voted_units(&c).await?
                } else {
                    Vec::new()
                },
                published: false,
            }
        };
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
        let log = sqlx::query(
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
        .collect();
        let comments = self.comments(id, council).await?;
        let mut photos = self.photos_of(id).await?;
        let updates = sqlx::query(
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
        .collect();
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
    async fn owned_units(
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

    /// Creates a consultation from the council's form. Returns its id.
    pub async fn create(
        &self,
        user_id: i64,
        form: &ConsultForm,
        photos: PhotoIntake,
        now: i64,
    ) -> Result<i64, ConsultError> {
        let community = TerritoryCode::parse(form.community.trim())
            .ok()
            .filter(|c| c.level() == TerritoryLevel::Community)
            .ok_or_else(|| refused(ConsultProblem::NoSuchCommunity))?;
        let exists: Option<String> =
            sqlx::query_scalar("SELECT code FROM territories WHERE code = $1")
                .bind(community.as_str())
                .fetch_optional(self.store.pool())
                .await?;
        if exists.is_none() {
            return Err(refused(ConsultProblem::NoSuchCommunity));
        }
        self.require_council(user_id, &community).await?;
        let mut problems = Vec::new();
        let title = clean_text(&form.title, false);
        let title = title.trim();
        if !(2..=TITLE_MAX_CHARS).contains(&title.chars().count()) {
            problems.push(ConsultProblem::TitleLength);
        }
        let body = clean_text(&form.body, true);
        let body = body.trim();
        if !(1..=BODY_MAX_CHARS).contains(&body.chars().count()) {
            problems.push(ConsultProblem::BodyLength);
        }
        let rule = self.rule(form.matter.trim()).await?;
        let scope = VoteScope::parse(
            &form.scope_kind,
            &form.buildings,
            &form.building,
            &form.stairwell,
        );
        match (&rule, &scope) {
            (None, _) => problems.push(ConsultProblem::UnknownMatter),
            (_, Err(p)) => problems.push(ConsultProblem::Scope(*p)),
            (Some(rule), Ok(scope)) => {
                if let Err(p) = scope.fits(rule.scope) {
                    problems.push(ConsultProblem::Scope(p));
                }
            }
        }
        let options: Vec<String> = if form.question == "options" {
            let list: Vec<String> = form
                .options
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| l.chars().take(TITLE_MAX_CHARS).collect())
                .collect();
            if !(2..=MAX_OPTIONS).contains(&list.len()) {
                problems.push(ConsultProblem::OptionCount);
            }
            list
        } else {
            Vec::new()
        };
        let mut date = |field: &str, text: &str, end_of_day: bool| match Date::parse(text.trim()) {
            Some(d) => Some(d.china_ms(if end_of_day { 24 * 60 } else { 0 })),
            None => {
                problems.push(ConsultProblem::BadDate(field.to_owned()));
                None
            }
        };
        let comment_from = date("comment_from", &form.comment_from, false);
        let vote_from = date("vote_from", &form.vote_from, false);
        let vote_until = date("vote_until", &form.vote_until, true);
        let mut schedule = None;
        if let (Some(a), Some(b), Some(c)) = (comment_from, vote_from, vote_until) {
            match Schedule::new(a, b, c) {
                Ok(s) if s.vote_until <= now => problems.push(ConsultProblem::VoteEndsInPast),
                Ok(s) => schedule = Some(s),
                Err(p) => problems.push(ConsultProblem::Schedule(p)),
            }
        }
        problems.extend(photos.problems().into_iter().map(ConsultProblem::Photo));
        let (Some(rule), Ok(scope), Some(schedule), true) =
            (rule, scope, schedule, problems.is_empty())
        else {
            return Err(ConsultError::Refused(problems));
        };
        let mut keys = Vec::new();
        let stored = self.store_photos(photos.files, &mut keys).await?;
        let written = self
            .insert(
                user_id,
                &community,
                title,
                body,
                &rule,
                &scope,
                &options,
                form.open_voting,
                schedule,
                &stored,
                now,
            )
            .await;
        if written.is_err() {
            self.cases.media().delete_all(&keys).await;
        }
        Ok(written?)
    }

    #[allow(clippy::too_many_arguments)]
    async fn insert(
        &self,
        user_id: i64,
        community: &TerritoryCode,
        title: &str,
        body: &str,
        rule: &MatterRule,
        scope: &VoteScope,
        options: &[String],
        open_voting: bool,
        schedule: Schedule,
        photos: &[StoredPhoto],
        now: i64,
    ) -> Result<i64, StoreError> {
        let mut tx = self.store.begin_write().await?;
        let (buildings, building, stairwell) = match scope {
            VoteScope::Community => (String::new(), String::new(), String::new()),
            VoteScope::Buildings(list) => (list.join("\n"), String::new(), String::new()),
            VoteScope::Stairwell {
                building,
                stairwell,
            } => (String::new(), building.clone(), stairwell.clone()),
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO consultations (community_code, title, body, matter_code, scope_kind, \
             scope_buildings, scope_building, scope_stairwell, question_kind, open_voting, \
             comment_from, vote_from, vote_until, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
        )
        .bind(community.as_str())
        .bind(title)
        .bind(body)
        .bind(&rule.code)
        .bind(scope.kind())
        .bind(buildings)
        .bind(building)
        .bind(stairwell)
        .bind(if options.is_empty() { "yesno" } else { "options" })
        .bind(i64::from(open_voting))
        .bind(schedule.comment_from)
        .bind(schedule.vote_from)
        .bind(schedule.vote_until)
        .bind(user_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        for (i, label) in options.iter().enumerate() {
            sqlx::query(
                "INSERT INTO consultation_options (consultation_id, position, label) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(i as i64)
            .bind(label)
            .execute(&mut *tx)
            .await?;
        }
        insert_photo_rows(
            &mut tx,
            PhotoOwner::Consultation { id, update: None },
            photos,
        )
        .await?;
        log_phase(&mut tx, id, Phase::Draft, now, user_id).await?;
        crate::kernel::audit::record(
            &mut tx,
            Some(user_id),
            "consultation.create",
            &id.to_string(),
            &serde_json::json!({ "title": title }),
            "",
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The council moves a consultation to `to` now: opens comments or the vote early, closes the
    /// vote, publishes the result (frozen from then on), or starts the follow-up.
    pub async fn advance(
        &self,
        user_id: i64,
        id: i64,
        to: Phase,
        now: i64,
    ) -> Result<(), ConsultError> {
        let c = self.must_load(id).await?;
        self.require_council(user_id, &c.community).await?;
        let current = c.phase(now);
        let mut tx = self.store.begin_write().await?;
        match to {
            Phase::Comment | Phase::Vote | Phase::Closed => {
                let next = c
                    .schedule
                    .advance_to(to, now)
                    .ok_or_else(|| refused(ConsultProblem::PhaseOrder))?;
                sqlx::query(
                    "UPDATE consultations SET comment_from = $1, vote_from = $2, vote_until = $3 \
                     WHERE id = $4 AND published_at IS NULL",
                )
                .bind(next.comment_from)
                .bind(next.vote_from)
                .bind(next.vote_until)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            Phase::Published => {
                match current {
                    Phase::Closed => {}
                    Phase::Published | Phase::FollowUp => {
                        return Err(refused(ConsultProblem::AlreadyPublished));
                    }
                    _ => return Err(refused(ConsultProblem::NotClosedYet)),
                }
                if !self.freeze(&mut tx, &c, now).await? {
                    return Err(refused(ConsultProblem::AlreadyPublished));
                }
            }
            Phase::FollowUp => {
                if current != Phase::Published {
                    return Err(refused(if current < Phase::Published {
                        ConsultProblem::NotPublished
                    } else {
                        ConsultProblem::PhaseOrder
                    }));
                }
                sqlx::query("UPDATE consultations SET followup_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            Phase::Draft => return Err(refused(ConsultProblem::PhaseOrder)),
        }
        log_phase(&mut tx, id, to, now, user_id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Publishes the result: the tally now, frozen. Only the first publication writes (false
    /// otherwise): a result never changes afterwards.
    async fn freeze(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        c: &Stored,
        now: i64,
    ) -> Result<bool, StoreError> {
        // The ballot lock first: a ballot still being written commits before the tally is read,
        // and one that comes later finds the consultation published and is refused.
        sqlx::query(
            "UPDATE consultations SET ballot_version = ballot_version \
             WHERE id = $1 AND published_at IS NULL",
        )
        .bind(c.id)
        .execute(&mut **tx)
        .await?;
        let (tally, voted_units) = live_result_on(tx, c).await?;
        let json = serde_json::to_string(&Frozen { tally, voted_units })
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(sqlx::query(
            "UPDATE consultations SET published_at = $1, result_json = $2 \
             WHERE id = $3 AND published_at IS NULL",
        )
        .bind(now)
        .bind(json)
        .bind(c.id)
        .execute(&mut **tx)
        .await?
        .rows_affected()
            == 1)
    }

    /// Demo data: publishes a closed consultation as its council would have.
    pub(crate) async fn publish_as_demo(&self, id: i64, at: i64) -> Result<(), ConsultError> {
        let c = self.must_load(id).await?;
        let mut tx = self.store.begin_write().await?;
        self.freeze(&mut tx, &c, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Consultations whose result was published in [from, to) (Unix ms), oldest first: what the
    /// open-data export lists. At most `PUBLISHED_EXPORT_ROWS`, so one download stays bounded.
    pub async fn published_between(&self, from: i64, to: i64) -> Result<Vec<i64>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM consultations WHERE published_at >= $1 AND published_at < $2 \
             AND result_json IS NOT NULL ORDER BY published_at, id LIMIT $3",
        )
        .bind(from)
        .bind(to)
        .bind(PUBLISHED_EXPORT_ROWS)
        .fetch_all(self.store.pool())
        .await?)
    }

    /// Imports a community's roster: every line checked first, then all rows written in one
    /// transaction (re-importing updates units in place, by building, stairwell and unit).
    pub async fn import_roster(
        &self,
        user_id: i64,
        community: &str,
        bytes: &[u8],
        now: i64,
    ) -> Result<RosterSummary, ConsultError> {
        let community = TerritoryCode::parse(community.trim())
            .ok()
            .filter(|c| c.level() == TerritoryLevel::Community)
            .ok_or_else(|| refused(ConsultProblem::NoSuchCommunity))?;
        self.require_council(user_id, &community).await?;
        let rows = parse_roster(bytes).map_err(|p| refused(ConsultProblem::Roster(p)))?;
        let mut tx = self.store.begin_write().await?;
        // The write comes first, so the check below and the import are one serialised step. The
        // base of a vote is frozen from its opening until its result is published (the tally and
        // the meter read the roster): an import that would add or change a unit inside the scope
        // of such a vote is refused whole; units elsewhere in the community may still change.
        sqlx::query(
            "UPDATE consultations SET ballot_version = ballot_version WHERE community_code = $1",
        )
        .bind(community.as_str())
        .execute(&mut *tx)
        .await?;
        let changes = roster_changes(&mut tx, &community, &rows).await?;
        let under_vote: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM consultations WHERE community_code = $1 \
             AND vote_from <= $2 AND published_at IS NULL",
        )
        .bind(community.as_str())
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
        for id in under_vote {
            // Read on the transaction's own connection: it holds the write lock.
            let c = load_on(&mut tx, id).await?.ok_or(ConsultError::NotFound)?;
            if changes
                .iter()
                .any(|(building, stairwell, _)| c.scope.contains(building, stairwell))
            {
                return Err(refused(ConsultProblem::RosterFrozen));
            }
        }
        let changes: Vec<serde_json::Value> = changes.into_iter().map(|(_, _, c)| c).collect();
        let summary = write_roster(&mut tx, &community, &rows, now).await?;
        crate::kernel::audit::record(
            &mut tx,
            Some(user_id),
            "roster.import",
            community.as_str(),
            &serde_json::json!({
                "added": summary.added,
                "updated": summary.updated,
                "file_sha256": crate::kernel::secrets::sha256_hex(&[&String::from_utf8_lossy(bytes)]),
                "changed_units": changes.len(),
                "changes": changes.iter().take(ROSTER_AUDIT_UNITS).collect::<Vec<_>>(),
            }),
            "",
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(summary)
    }

    // -- ballots -------------------------------------------------------------------------------

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

/// Published results in one open-data download.
const PUBLISHED_EXPORT_ROWS: i64 = 2000;

/// At most this many units' changes are written into one import's audit row (the count is always).
const ROSTER_AUDIT_UNITS: usize = 500;

/// What an import changes, unit by unit: new units, and for existing ones whether the owner, the
/// area or the developer flag changed (area before and after). No names or phones: the audit says
/// what changed, the roster itself holds who.
async fn roster_changes(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    community: &TerritoryCode,
    rows: &[RosterRow],
) -> Result<Vec<(String, String, serde_json::Value)>, sqlx::Error> {
    let mut before = std::collections::HashMap::new();
    for r in sqlx::query(
        "SELECT building, stairwell, unit, owner_key, area_centi, developer_unsold \
         FROM roster_units WHERE community_code = $1",
    )
    .bind(community.as_str())
    .fetch_all(&mut **tx)
    .await?
    {
        let unit: (String, String, String) = (
            r.try_get("building")?,
            r.try_get("stairwell")?,
            r.try_get("unit")?,
        );
        let was: (String, i64, i64) = (
            r.try_get("owner_key")?,
            r.try_get("area_centi")?,
            r.try_get("developer_unsold")?,
        );
        before.insert(unit, was);
    }
    let mut changes = Vec::new();
    for row in rows {
        let unit = format!("{}-{}-{}", row.building, row.stairwell, row.unit);
        let key = (
            row.building.clone(),
            row.stairwell.clone(),
            row.unit.clone(),
        );
        let at = (row.building.clone(), row.stairwell.clone());
        match before.get(&key) {
            None => changes.push((
                at.0,
                at.1,
                serde_json::json!({ "unit": unit, "added": true }),
            )),
            Some((owner, area, developer)) => {
                let owner_changed = *owner != row.owner_key();
                let area_changed = *area != row.area.centi();
                let developer_changed = (*developer == 1) != row.developer_unsold;
                if owner_changed || area_changed || developer_changed {
                    let change = serde_json::json!({
                        "unit": unit,
                        "owner_changed": owner_changed,
                        "area_centi": [area, row.area.centi()],
                        "developer_changed": developer_changed,
                    });
                    changes.push((at.0, at.1, change));
                }
            }
        }
    }
    Ok(changes)
}

/// Writes parsed roster rows inside the caller's transaction: new units added, known units updated
/// in place (by building, stairwell and unit).
pub(crate) async fn write_roster(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    community: &TerritoryCode,
    rows: &[RosterRow],
    now: i64,
) -> Result<RosterSummary, sqlx::Error> {
    let existing: HashSet<(String, String, String)> =
        sqlx::query("SELECT building, stairwell, unit FROM roster_units WHERE community_code = $1")
            .bind(community.as_str())
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .filter_map(|r| {
                Some((
                    r.try_get("building").ok()?,
                    r.try_get("stairwell").ok()?,
                    r.try_get("unit").ok()?,
                ))
            })
            .collect();
    for chunk in rows.chunks(ROSTER_BATCH) {
        upsert_units(tx, community.as_str(), chunk, now).await?;
    }
    let updated = rows
        .iter()
        .filter(|r| existing.contains(&(r.building.clone(), r.stairwell.clone(), r.unit.clone())))
        .count() as u64;
    Ok(RosterSummary {
        added: rows.len() as u64 - updated,
        updated,
    })
}

/// The meter's tally: with `show_choices` false, only turnout (how people voted stays secret until
/// the vote closes, unless the council chose open voting).
fn turnout_only(mut t: Tally, show_choices: bool) -> Tally {
    if !show_choices {
        for o in &mut t.options {
            o.support = Default::default();
            o.area_reached = false;
            o.heads_reached = false;
        }
        t.abstain = Default::default();
        t.decided = None;
    }
    t
}

/// A consultation with its matter rule and options, on one connection (two queries), so a busy
/// pool is waited for once.
async fn load_on(conn: &mut sqlx::AnyConnection, id: i64) -> Result<Option<Stored>, StoreError> {
    let Some(r) = sqlx::query(
        "SELECT c.id, c.community_code, c.title, c.body, c.scope_kind, c.scope_buildings, \
         c.scope_building, c.scope_stairwell, c.open_voting, c.comment_from, c.vote_from, \
         c.vote_until, c.published_at, c.followup_at, c.result_json, c.created_at, \
         m.code, m.name_zh, m.name_en, m.basis_zh, m.basis_en, m.quorum_num, m.quorum_den, \
         m.quorum_inclusive, m.pass_num, m.pass_den, m.pass_inclusive, m.scope_rule \
         FROM consultations c JOIN matter_rules m ON m.code = c.matter_code WHERE c.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let corrupt = |what: &str| StoreError::Corrupt(format!("consultation {id}: {what}"));
    let rule = rule_from_row(&r)?;
    let kind: String = r.try_get("scope_kind")?;
    let buildings: String = r.try_get("scope_buildings")?;
    let scope = VoteScope::parse(
        &kind,
        &buildings.replace('\n', ","),
        &r.try_get::<String, _>("scope_building")?,
        &r.try_get::<String, _>("scope_stairwell")?,
    )
    .map_err(|_| corrupt("scope"))?;
    let schedule = Schedule::new(
        r.try_get("comment_from")?,
        r.try_get("vote_from")?,
        r.try_get("vote_until")?,
    )
    .map_err(|_| corrupt("schedule"))?;
    let options = sqlx::query_scalar(
        "SELECT label FROM consultation_options WHERE consultation_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let community: String = r.try_get("community_code")?;
    Ok(Some(Stored {
        id,
        community: TerritoryCode::parse(&community).map_err(|_| corrupt("community"))?,
        title: r.try_get("title")?,
        body: r.try_get("body")?,
        rule,
        scope,
        options,
        open_voting: r.try_get::<i64, _>("open_voting")? == 1,
        schedule,
        published_at: r.try_get("published_at")?,
        followup_at: r.try_get("followup_at")?,
        result_json: r.try_get("result_json")?,
        created_at: r.try_get("created_at")?,
    }))
}

/// Takes the next ballot version inside the ballot's transaction. The row lock (PostgreSQL) or the
/// write lock (SQLite) makes versions commit in order, so a reader can follow changes by version.
/// The tally as the store holds it now, read on one connection (a transaction's, when publication
/// freezes it under the ballot lock).
async fn live_result_on(
    conn: &mut sqlx::AnyConnection,
    c: &Stored,
) -> Result<(Tally, Vec<UnitLabel>), StoreError> {
    let units: Vec<ScopedUnit> = scoped_units(&mut *conn, &c.community, &c.scope)
        .await?
        .into_iter()
        .map(|(_, u)| u)
        .collect();
    let ballots = ballots(&mut *conn, c.id).await?;
    let t = tally(&units, &ballots, c.option_count(), &c.rule);
    Ok((t, voted_units_on(conn, c).await?))
}

/// The units whose owners have voted, within the consultation's scope.
async fn voted_units_on(
    conn: &mut sqlx::AnyConnection,
    c: &Stored,
) -> Result<Vec<UnitLabel>, StoreError> {
    let rows = sqlx::query(
        "SELECT r.building, r.stairwell, r.unit FROM roster_units r \
         JOIN ballots b ON b.consultation_id = $1 AND b.owner_key = r.owner_key \
         WHERE r.community_code = $2 ORDER BY r.building, r.stairwell, r.unit",
    )
    .bind(c.id)
    .bind(c.community.as_str())
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for r in rows {
        let label = UnitLabel {
            building: r.try_get("building")?,
            stairwell: r.try_get("stairwell")?,
            unit: r.try_get("unit")?,
        };
        if c.scope.contains(&label.building, &label.stairwell) {
            out.push(label);
        }
    }
    out.sort();
    Ok(out)
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

async fn log_phase(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    phase: Phase,
    now: i64,
    user_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO consultation_log (consultation_id, phase, at, actor_user_id) VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(phase.as_str())
    .bind(now)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One multi-row upsert of roster lines.
async fn upsert_units(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    community: &str,
    rows: &[RosterRow],
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut sql = String::from(
        "INSERT INTO roster_units (community_code, building, stairwell, unit, owner_name, phone, \
         owner_key, area_centi, developer_unsold, imported_at) VALUES ",
    );
    for i in 0..rows.len() {
        let b = i * 10;
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!(
            "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
            b + 1,
            b + 2,
            b + 3,
            b + 4,
            b + 5,
            b + 6,
            b + 7,
            b + 8,
            b + 9,
            b + 10
        ));
    }
    sql.push_str(
        " ON CONFLICT (community_code, building, stairwell, unit) DO UPDATE SET \
         owner_name = excluded.owner_name, phone = excluded.phone, owner_key = excluded.owner_key, \
         area_centi = excluded.area_centi, developer_unsold = excluded.developer_unsold, \
         imported_at = excluded.imported_at",
    );
    let mut q = sqlx::query(&sql);
    for r in rows {
        q = q
            .bind(community.to_owned())
            .bind(r.building.clone())
            .bind(r.stairwell.clone())
            .bind(r.unit.clone())
            .bind(r.owner_name.clone())
            .bind(r.phone.as_ref().map(|p| p.e164().to_owned()))
            .bind(r.owner_key())
            .bind(r.area.centi())
            .bind(i64::from(r.developer_unsold))
            .bind(now);
    }
    q.execute(&mut **tx).await?;
    Ok(())
}

fn rule_from_row(r: &sqlx::any::AnyRow) -> Result<MatterRule, StoreError> {
    let threshold = |num: &str, den: &str, inc: &str| -> Result<Threshold, StoreError> {
        Ok(Threshold {
            num: u32::try_from(r.try_get::<i64, _>(num)?).unwrap_or(1),
            den: u32::try_from(r.try_get::<i64, _>(den)?).unwrap_or(1),
            inclusive: r.try_get::<i64, _>(inc)? == 1,
        })
    };
    let scope: String = r.try_get("scope_rule")?;
    Ok(MatterRule {
        code: r.try_get("code")?,
        name_zh: r.try_get("name_zh")?,
        name_en: r.try_get("name_en")?,
        basis_zh: r.try_get("basis_zh")?,
        basis_en: r.try_get("basis_en")?,
        quorum: threshold("quorum_num", "quorum_den", "quorum_inclusive")?,
        pass: threshold("pass_num", "pass_den", "pass_inclusive")?,
        scope: ScopeRule::parse(&scope)
            .ok_or_else(|| StoreError::Corrupt(format!("matter scope {scope}")))?,
    })
}

fn matter_view(r: &MatterRule) -> MatterView {
    MatterView {
        code: r.code.clone(),
        names: Names {
            zh: r.name_zh.clone(),
            en: r.name_en.clone(),
        },
        basis: Names {
            zh: r.basis_zh.clone(),
            en: r.basis_en.clone(),
        },
        quorum: r.quorum,
        pass: r.pass,
        stairwell_only: r.scope == ScopeRule::Stairwell,
    }
}

/// Seeds the statute's matter rules (reference data; a city's own rows are left alone).
pub async fn seed_matters(tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<u64, sqlx::Error> {
    let mut added = 0;
    for (order, m) in built_in_matters().into_iter().enumerate() {
        added += sqlx::query(
            "INSERT INTO matter_rules (code, name_zh, name_en, basis_zh, basis_en, quorum_num, \
             quorum_den, quorum_inclusive, pass_num, pass_den, pass_inclusive, scope_rule, sort_order) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (code) DO NOTHING",
        )
        .bind(m.code)
        .bind(m.name_zh)
        .bind(m.name_en)
        .bind(m.basis_zh)
        .bind(m.basis_en)
        .bind(i64::from(m.quorum.num))
        .bind(i64::from(m.quorum.den))
        .bind(i64::from(m.quorum.inclusive))
        .bind(i64::from(m.pass.num))
        .bind(i64::from(m.pass.den))
        .bind(i64::from(m.pass.inclusive))
        .bind(m.scope.as_str())
        .bind(order as i64)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    }
    Ok(added)
}
