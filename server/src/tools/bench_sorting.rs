//! `linli bench`, waste-sorting part: a synthetic district of 200 communities (two collection points
//! each) with twelve months of shifts, then the time to build its 红黑榜 for a month and one
//! community's twelve-month trend. Figures only.

use crate::cases::demo::Dice;
use crate::kernel::store::Store;
use domain::calendar::Date;
use std::time::{Duration, Instant};

/// A district code outside the demo city's six.
const DISTRICT: &str = "350299";
const STREETS: usize = 10;
const COMMUNITIES_PER_STREET: usize = 20;
const DAYS: i64 = 365;

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

pub async fn run(store: &Store) -> Result<(), String> {
    let now = crate::kernel::clock::now_ms();
    let today = Date::of_china_time(now).day_number();
    let t = Instant::now();
    let points = seed_places(store).await?;
    let rows = shift_rows(&points, today);
    store_shifts(store, &rows).await?;
    println!(
        "sorting: seeded {} communities, {} points, {} shifts over 12 months in {:.1} s",
        STREETS * COMMUNITIES_PER_STREET,
        points.len(),
        rows.len(),
        t.elapsed().as_secs_f64()
    );
    read_boards(store, now).await
}

/// A district of 200 communities with two collection points each; returns (point, is the second).
async fn seed_places(store: &Store) -> Result<Vec<(i64, bool)>, String> {
    let e = |e: &dyn std::fmt::Display| e.to_string();
    let mut tx = store.begin_write().await.map_err(|x| e(&x))?;
    let territory = "INSERT INTO territories (code, parent_code, level, name_zh, name_en, boundary, \
                     min_lat, min_lng, max_lat, max_lng, is_demo) \
                     VALUES ($1, $2, $3, $4, $5, '[[[118.0,24.0],[118.1,24.0],[118.1,24.1],[118.0,24.0]]]', \
                     24.0, 118.0, 24.1, 118.1, 1)";
    sqlx::query(territory)
        .bind(DISTRICT)
        .bind(None::<String>)
        .bind("district")
        .bind("基准区")
        .bind("Bench district")
        .execute(&mut *tx)
        .await
        .map_err(|x| e(&x))?;
    let mut points = Vec::new();
    for s in 0..STREETS {
        let street = format!("{DISTRICT}{:03}", s + 1);
        sqlx::query(territory)
            .bind(&street)
            .bind(DISTRICT)
            .bind("street")
            .bind(format!("基准街道{}", s + 1))
            .bind(format!("Bench street {}", s + 1))
            .execute(&mut *tx)
            .await
            .map_err(|x| e(&x))?;
        for c in 0..COMMUNITIES_PER_STREET {
            let community = format!("{street}{:03}", c + 1);
            sqlx::query(territory)
                .bind(&community)
                .bind(&street)
                .bind("community")
                .bind(format!("基准社区{}-{}", s + 1, c + 1))
                .bind(format!("Bench community {}-{}", s + 1, c + 1))
                .execute(&mut *tx)
                .await
                .map_err(|x| e(&x))?;
            for (name, windows) in [
                ("1号点", "07:00-09:00,18:00-20:00"),
                ("2号点", "06:30-08:30,19:00-21:00"),
            ] {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO collection_points (community_code, name, lat, lng, households, bins, \
                     windows, is_demo) VALUES ($1, $2, 24.05, 118.05, 150, 'recyclable,kitchen,other', $3, 1) \
                     RETURNING id",
                )
                .bind(&community)
                .bind(name)
                .bind(windows)
                .fetch_one(&mut *tx)
                .await
                .map_err(|x| e(&x))?;
                points.push((id, name == "2号点"));
            }
        }
    }
    tx.commit().await.map_err(|x| e(&x))?;
    Ok(points)
}

/// Twelve months of shifts: about two windows in three logged at each point.
fn shift_rows(points: &[(i64, bool)], today: i64) -> Vec<[i64; 7]> {
    let mut dice = Dice(0x0042_454e_4348);
    let mut rows: Vec<[i64; 7]> = Vec::new();
    for (point, second) in points {
        for day in today - DAYS..today {
            for (start, end) in if *second {
                [(480, 510), (1230, 1260)]
            } else {
                [(420, 480), (1080, 1140)]
            } {
                if dice.below(3) == 0 {
                    continue;
                }
                let households = 40 + dice.below(80) as i64;
                let inspected = households / 2;
                let correct = inspected * (60 + dice.below(35) as i64) / 100;
                rows.push([
                    *point,
                    day,
                    start,
                    end,
                    households,
                    correct,
                    inspected - correct,
                ]);
            }
        }
    }
    rows
}

async fn store_shifts(store: &Store, rows: &[[i64; 7]]) -> Result<(), String> {
    let e = |e: &dyn std::fmt::Display| e.to_string();
    let mut tx = store.begin_write().await.map_err(|x| e(&x))?;
    for chunk in rows.chunks(400) {
        let mut sql = String::from(
            "INSERT INTO shifts (point_id, day, start_minute, end_minute, households, kitchen_ok, \
             kitchen_bad, recyclable_ok, recyclable_bad, hazardous_ok, hazardous_bad, other_ok, \
             other_bad, created_at) VALUES ",
        );
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            let b = i * 7;
            sql.push_str(&format!(
                "(${}, ${}, ${}, ${}, ${}, ${}, ${}, 0, 0, 0, 0, 0, 0, 0)",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6,
                b + 7
            ));
        }
        let mut q = sqlx::query(&sql);
        for r in chunk {
            for v in r {
                q = q.bind(*v);
            }
        }
        q.execute(&mut *tx).await.map_err(|x| e(&x))?;
    }
    tx.commit().await.map_err(|x| e(&x))?;
    Ok(())
}

/// The district's 红黑榜 and one community's trend, read five times each.
async fn read_boards(store: &Store, now: i64) -> Result<(), String> {
    let e = |e: &dyn std::fmt::Display| e.to_string();
    let mut board = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let r = crate::sorting::board::ranking(store, DISTRICT, "", now)
            .await
            .map_err(|x| e(&x))?;
        board.push(t.elapsed());
        if r.ranked.len() + r.unranked.len() != STREETS * COMMUNITIES_PER_STREET {
            return Err("the district ranking lost communities".into());
        }
    }
    let mut trend = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        crate::sorting::board::community_trend(store, &format!("{DISTRICT}001001"), None, now)
            .await
            .map_err(|x| e(&x))?;
        trend.push(t.elapsed());
    }
    println!(
        "sorting: 红黑榜 of a district of 200 communities for a month: median {} · one community's 12-month trend: median {}",
        ms(median(board)),
        ms(median(trend))
    );
    Ok(())
}
