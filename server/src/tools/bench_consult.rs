//! `linli bench`, consultation part: reading and storing a 100,000-unit roster, the art. 278 tally
//! over it (pure and through the store), and the turnout meter's latency while 500 owners vote at
//! once. Figures only.

use crate::consult::Consultations;
use crate::consult::roster::write_roster;
use crate::kernel::store::Store;
use domain::consult::{Choice, RosterRow, ScopedUnit, built_in_matters, parse_roster, tally};
use domain::territory::TerritoryCode;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// 湖里区's first community: the bench's store has no demo consultations there.
const COMMUNITY: &str = "350206001001";
const VOTERS: usize = 500;
/// Owners who vote one at a time before the crowd.
const SOLO: usize = 20;

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len().saturating_sub(1))]
}

/// A roster of `n` units: 25 floors × 10 flats per stairwell, 4 stairwells per building. Every
/// 50th owner also owns the next flat; the last 100 flats are the developer's.
fn roster_csv(n: usize) -> String {
    let mut csv = String::from("楼栋,单元,房号,业主姓名,手机号,专有面积,开发商未售\n");
    for i in 0..n {
        let building = i / 1000 + 1;
        let stairwell = (i / 250) % 4 + 1;
        let floor = (i / 10) % 25 + 1;
        let flat = i % 10 + 1;
        let owner = if i % 50 == 1 { i - 1 } else { i };
        let developer = i >= n - 100;
        let area = 5_000 + (i * 37) % 9_000;
        csv.push_str(&format!(
            "{building},{stairwell},{floor}{flat:02},业主{owner},{},{}.{:02},{}\n",
            if developer {
                String::new()
            } else {
                format!("136{owner:08}")
            },
            area / 100,
            area % 100,
            if developer { "是" } else { "否" }
        ));
    }
    csv
}

pub async fn run(store: &Store, cases: &crate::cases::Cases, units: usize) -> Result<(), String> {
    let rows = roster(store, units).await?;
    let ballots = pure_tally(&rows, units)?;
    let (consult, id, voter_keys) = stored_tally(store, cases, &ballots, units).await?;
    crowd(store, &consult, id, &voter_keys).await
}

/// Reading and storing the roster.
async fn roster(store: &Store, units: usize) -> Result<Vec<RosterRow>, String> {
    let e = |e: &dyn std::fmt::Display| e.to_string();
    let csv = roster_csv(units);
    let t = Instant::now();
    let rows = parse_roster(csv.as_bytes()).map_err(|p| format!("{:?}", &p[..p.len().min(3)]))?;
    let parse = t.elapsed();
    let community = TerritoryCode::parse(COMMUNITY).map_err(|x| e(&x))?;
    let t = Instant::now();
    let mut tx = store.begin_write().await.map_err(|x| e(&x))?;
    write_roster(&mut tx, &community, &rows, 0)
        .await
        .map_err(|x| e(&x))?;
    tx.commit().await.map_err(|x| e(&x))?;
    let write = t.elapsed();
    println!(
        "roster of {units} units ({:.1} MB CSV): read and checked in {} · stored in {}",
        csv.len() as f64 / 1e6,
        ms(parse),
        ms(write)
    );
    Ok(rows)
}

/// The pure tally: every owner but every third votes, most of them yes. Returns those ballots.
fn pure_tally(rows: &[RosterRow], units: usize) -> Result<HashMap<String, Choice>, String> {
    let rule = built_in_matters()
        .into_iter()
        .find(|m| m.code == "raise_fund")
        .ok_or("no raise_fund rule")?;
    let scoped: Vec<ScopedUnit> = rows
        .iter()
        .map(|r| ScopedUnit {
            owner_key: r.owner_key(),
            area: r.area,
        })
        .collect();
    let ballots: HashMap<String, Choice> = scoped
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 3 != 0)
        .map(|(i, u)| {
            let c = if i % 5 == 0 {
                Choice::Option(1)
            } else {
                Choice::Option(0)
            };
            (u.owner_key.clone(), c)
        })
        .collect();
    let mut times = Vec::new();
    for _ in 0..7 {
        let t = Instant::now();
        let result = tally(&scoped, &ballots, 2, &rule);
        times.push(t.elapsed());
        std::hint::black_box(result);
    }
    times.sort();
    println!(
        "art. 278 tally in memory, {units} units, {} ballots: p50 {}",
        ballots.len(),
        ms(pct(&times, 0.5))
    );
    Ok(ballots)
}

/// The same through the store: a consultation in its vote, with those ballots stored. Returns the
/// service, the consultation and the bench voters' owner keys.
async fn stored_tally(
    store: &Store,
    cases: &crate::cases::Cases,
    ballots: &HashMap<String, Choice>,
    units: usize,
) -> Result<(Consultations, i64, Vec<String>), String> {
    let e = |e: &dyn std::fmt::Display| e.to_string();
    let now = crate::kernel::clock::now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO consultations (community_code, title, body, matter_code, scope_kind, \
         question_kind, comment_from, vote_from, vote_until, created_at) \
         VALUES ($1, 'bench', 'bench', 'raise_fund', 'community', 'yesno', $2, $2, $3, $2) RETURNING id",
    )
    .bind(COMMUNITY)
    .bind(now - 1000)
    .bind(now + 3_600_000)
    .fetch_one(store.pool())
    .await
    .map_err(|x| e(&x))?;
    // The 500 bench voters are kept out, so they cast fresh ballots below.
    // (Flats i with i % 50 == 1 belong to owner i − 1, so those numbers own nothing themselves.)
    let voter_keys: Vec<String> = (0..units)
        .step_by(3)
        .filter(|i| i % 50 != 1)
        .take(VOTERS + SOLO)
        .map(|i| format!("tel:+86136{i:08}"))
        .collect();
    let stored: Vec<(&String, &Choice)> = ballots
        .iter()
        .filter(|(k, _)| !voter_keys.contains(k))
        .collect();
    let t = Instant::now();
    for chunk in stored.chunks(500) {
        let mut sql = String::from(
            "INSERT INTO ballots (consultation_id, owner_key, choice, channel, cast_at, changed_at) VALUES ",
        );
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!(
                "($1, ${}, ${}, 'web', $2, $2)",
                i * 2 + 3,
                i * 2 + 4
            ));
        }
        let mut q = sqlx::query(&sql).bind(id).bind(now);
        for (k, c) in chunk {
            q = q.bind((*k).clone()).bind(c.to_stored());
        }
        q.execute(store.pool()).await.map_err(|x| e(&x))?;
    }
    println!("stored {} ballots in {}", stored.len(), ms(t.elapsed()));
    let consult = Consultations::new(store.clone(), cases.clone());
    let mut times = Vec::new();
    for _ in 0..7 {
        let t = Instant::now();
        consult.result(id).await.map_err(|x| e(&x))?;
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "art. 278 tally from the store (roster + ballots read, then tallied): p50 {} · max {}",
        ms(pct(&times, 0.5)),
        ms(pct(&times, 1.0))
    );
    Ok((consult, id, voter_keys))
}

/// 500 owners vote at once while the public meter is read in a loop.
async fn crowd(
    store: &Store,
    consult: &Consultations,
    id: i64,
    voter_keys: &[String],
) -> Result<(), String> {
    let e = |e: &dyn std::fmt::Display| e.to_string();
    let users = voter_accounts(store, voter_keys).await?;
    // The first page view loads the roster and ballots into the meter; later ones follow changes.
    let t = Instant::now();
    consult
        .meter(id, crate::kernel::clock::now_ms())
        .await
        .map_err(|x| e(&x))?;
    println!(
        "meter, first read (roster and ballots loaded): {}",
        ms(t.elapsed())
    );
    // One owner at a time first: the cost of a vote without contention.
    let (alone, users) = users.split_at(SOLO);
    let mut solo = Vec::new();
    for uid in alone {
        let t = Instant::now();
        consult
            .vote(*uid, id, "1", crate::kernel::clock::now_ms())
            .await
            .map_err(|x| e(&x))?;
        solo.push(t.elapsed());
    }
    solo.sort();
    println!(
        "one vote at a time: p50 {} · max {}",
        ms(pct(&solo, 0.5)),
        ms(pct(&solo, 1.0))
    );
    let users = users.to_vec();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let meter = {
        let consult = consult.clone();
        let done = done.clone();
        tokio::spawn(async move {
            let mut times = Vec::new();
            while !done.load(std::sync::atomic::Ordering::Relaxed) || times.is_empty() {
                let t = Instant::now();
                if consult
                    .meter(id, crate::kernel::clock::now_ms())
                    .await
                    .is_err()
                {
                    break;
                }
                times.push(t.elapsed());
            }
            times
        })
    };
    let t = Instant::now();
    let mut tasks = Vec::new();
    for uid in users {
        let consult = consult.clone();
        tasks.push(tokio::spawn(async move {
            consult
                .vote(uid, id, "0", crate::kernel::clock::now_ms())
                .await
        }));
    }
    let mut cast = 0;
    for task in tasks {
        if task.await.map_err(|x| e(&x))?.is_ok() {
            cast += 1;
        }
    }
    let voting = t.elapsed();
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut times = meter.await.map_err(|x| e(&x))?;
    times.sort();
    println!(
        "{VOTERS} owners voting at once: {cast} ballots in {} ({:.0}/s) · meter refresh meanwhile p50 {} · p95 {} ({} reads)",
        ms(voting),
        f64::from(cast) / voting.as_secs_f64(),
        ms(pct(&times, 0.5)),
        ms(pct(&times, 0.95)),
        times.len()
    );
    if cast != VOTERS as u32 {
        return Err(format!("only {cast} of {VOTERS} ballots were accepted"));
    }
    Ok(())
}

/// An account for each bench voter, by phone.
async fn voter_accounts(store: &Store, voter_keys: &[String]) -> Result<Vec<i64>, String> {
    let e = |e: &dyn std::fmt::Display| e.to_string();
    let mut users = Vec::new();
    for key in voter_keys {
        let phone = key.trim_start_matches("tel:");
        sqlx::query(
            "INSERT INTO users (phone, created_at) VALUES ($1, 0) ON CONFLICT (phone) DO NOTHING",
        )
        .bind(phone)
        .execute(store.pool())
        .await
        .map_err(|x| e(&x))?;
        let uid: i64 = sqlx::query_scalar("SELECT id FROM users WHERE phone = $1")
            .bind(phone)
            .fetch_one(store.pool())
            .await
            .map_err(|x| e(&x))?;
        users.push(uid);
    }
    Ok(users)
}
