//! 共谋 consultations: the council creates and moves them, imports the owner roster and enters paper
//! ballots; verified owners vote once, by whichever channel comes first; residents comment. The
//! rules (phases, scope, the art. 278 tally, the roster format) are in `domain::consult`; this
//! module checks who may act, and writes each change in one transaction.

pub mod demo;
pub mod discussion;
pub mod lifecycle;
pub mod meter;
pub mod pages;
pub mod port;
pub mod roster;
pub mod units;
pub mod voting;
pub mod web;

use crate::consult::units::{ballots, scoped_units};
use crate::kernel::photo_desk::StoredPhoto;
use crate::kernel::store::{Store, StoreError};
use domain::access::Action;
use domain::consult::{
    MatterRule, Phase, Schedule, ScopeRule, ScopedUnit, Tally, Threshold, VoteScope,
    built_in_matters, tally,
};
use domain::ports::PhotoView;
use domain::ports::{ConsultProblem, ConsultResult, MatterView, Names, UnitLabel};
use domain::territory::TerritoryCode;
use sqlx::Row;
use std::collections::HashMap;

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
        crate::kernel::access::allows_in(&self.store, user_id, Action::RunConsultation, community)
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
}

/// Published results in one open-data download.
const PUBLISHED_EXPORT_ROWS: i64 = 2000;

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
