//! Demo waste-sorting data: six months of volunteer shifts at every demo collection point, with
//! coverage, participation and accuracy that differ by community and improve over time; monthly
//! awareness surveys (some months skipped); a few open issues. Deterministic, relative to the
//! moment of seeding, and inserted directly (no volunteer logs overlap: at a community's second
//! point the shift starts when the first point's ends).

use crate::cases::demo::Dice;
use crate::kernel::store::{Store, StoreError};
use domain::calendar::Date;
use domain::sorting::supervision::{COUNT_FIELDS, Schedule};
use sqlx::Row;

const DAYS: i64 = 183;
/// Rows per INSERT (16 parameters each).
const BATCH: usize = 200;

struct DemoPoint {
    id: i64,
    community_index: u64,
    households: i64,
    schedule: Schedule,
    second: bool,
}

/// Returns how many shifts were seeded.
pub async fn seed_sorting(store: &Store, now: i64) -> Result<usize, StoreError> {
    let (communities, points) = demo_points(store).await?;
    let today = Date::of_china_time(now).day_number();
    let values = shift_rows(&points, today);
    let mut tx = store.begin_write().await?;
    insert_shifts(&mut tx, &values, now).await?;
    seed_surveys(&mut tx, &communities, now).await?;
    seed_issues(&mut tx, today, now).await?;
    tx.commit().await?;
    Ok(values.len())
}

/// The demo communities in order, and their points with the volunteer who serves each.
async fn demo_points(store: &Store) -> Result<(Vec<String>, Vec<(DemoPoint, i64)>), StoreError> {
    let rows = sqlx::query(
        "SELECT p.id, p.households, p.windows, p.name, p.community_code, g.user_id \
         FROM collection_points p JOIN role_grants g ON g.territory_code = p.community_code \
         JOIN users u ON u.id = g.user_id \
         WHERE p.is_demo = 1 AND g.role = 'volunteer' AND u.phone LIKE '+86139000300%' \
         ORDER BY p.community_code, p.name",
    )
    .fetch_all(store.pool())
    .await?;
    let mut communities: Vec<String> = Vec::new();
    let mut points = Vec::new();
    for r in &rows {
        let community: String = r.try_get("community_code")?;
        if !communities.contains(&community) {
            communities.push(community.clone());
        }
        let windows: String = r.try_get("windows")?;
        let name: String = r.try_get("name")?;
        points.push((
            DemoPoint {
                id: r.try_get("id")?,
                community_index: communities.len() as u64 - 1,
                households: r.try_get("households")?,
                schedule: Schedule::parse(&windows)
                    .map_err(|_| StoreError::Corrupt(format!("demo point windows {windows}")))?,
                second: name.contains("2号"),
            },
            r.try_get::<i64, _>("user_id")?,
        ));
    }
    Ok((communities, points))
}

/// One row per logged window: point, volunteer, day, start, end, households, then the counts.
fn shift_rows(points: &[(DemoPoint, i64)], today: i64) -> Vec<[i64; 14]> {
    let mut dice = Dice(0x5348_4946_5453);
    let mut values: Vec<[i64; 14]> = Vec::new();
    for (p, volunteer) in points {
        // Each community has its own habits: how often volunteers come, how many households
        // take part, how well they sort.
        let c = p.community_index;
        let coverage = 35 + (c * 37) % 60; // 35–94 % of windows
        let base_participation = 35 + (c * 23) % 40; // 35–74 %
        let base_accuracy = 55 + (c * 29) % 35; // 55–89 %
        for back in (1..=DAYS).rev() {
            let day = today - back;
            // Slow improvement over the half year: up to +15 points.
            let progress = (DAYS - back) * 15 / DAYS;
            for (w_index, w) in p.schedule.windows().iter().enumerate() {
                if dice.below(100) >= coverage {
                    continue;
                }
                // The same volunteer serves both points: the first hour of the first point's
                // window, and the last half hour of the second's (which starts later).
                let (start, end) = if p.second {
                    (w.end - 30, w.end)
                } else {
                    (w.start, (w.start + 60).min(w.end))
                };
                let share = (base_participation as i64 + progress + dice.below(15) as i64 - 7)
                    .clamp(5, 100);
                // Mornings bring more households than evenings.
                let share = if w_index == 0 { share } else { share * 4 / 5 };
                let households = p.households * share / 100;
                let accuracy =
                    (base_accuracy as i64 + progress + dice.below(11) as i64 - 5).clamp(20, 99);
                let mut row = [0i64; 14];
                row[0] = p.id;
                row[1] = *volunteer;
                row[2] = day;
                row[3] = i64::from(start);
                row[4] = i64::from(end);
                row[5] = households;
                // Volunteers inspect about half the drops; kitchen waste is the bulk.
                for (bin, weight) in [(0, 25), (1, 3), (2, 45), (3, 27)] {
                    let inspected = households * weight / 200;
                    let correct = inspected * accuracy / 100;
                    row[6 + bin * 2] = correct;
                    row[7 + bin * 2] = inspected - correct;
                }
                values.push(row);
            }
        }
    }
    values
}

async fn insert_shifts(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    values: &[[i64; 14]],
    now: i64,
) -> Result<(), StoreError> {
    for chunk in values.chunks(BATCH) {
        let mut sql = format!(
            "INSERT INTO shifts (point_id, volunteer_id, day, start_minute, end_minute, households, {}, created_at) VALUES ",
            COUNT_FIELDS.join(", ")
        );
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            let b = i * 15;
            let params: Vec<String> = (1..=15).map(|k| format!("${}", b + k)).collect();
            sql.push_str(&format!("({})", params.join(", ")));
        }
        let mut q = sqlx::query(&sql);
        for row in chunk {
            for v in row {
                q = q.bind(*v);
            }
            q = q.bind(now);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Surveys: the last six months, each community skipping one month in four.
async fn seed_surveys(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    communities: &[String],
    now: i64,
) -> Result<(), StoreError> {
    let mut month = Date::of_china_time(now);
    for m in 0..6u64 {
        let label = format!("{}-{:02}", month.year, month.month);
        for (c, community) in communities.iter().enumerate() {
            if (c as u64 + m) % 4 == 3 {
                continue;
            }
            let asked = 30 + (c as i64 * 7) % 30;
            let correct = asked * (60 + ((c as i64 * 13 + m as i64 * 5) % 35)) / 100;
            sqlx::query(
                "INSERT INTO surveys (community_code, month, asked, correct, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (community_code, month) DO NOTHING",
            )
            .bind(community)
            .bind(&label)
            .bind(asked)
            .bind(correct)
            .bind(now)
            .execute(&mut **tx)
            .await?;
        }
        month = match Date::new(month.year, month.month, 1) {
            Some(first) => Date::from_day_number(first.day_number() - 1),
            None => break,
        };
    }
    Ok(())
}

/// An issue from the last week in every community (the first shift of the week there), every
/// third one fixed (the first two communities keep theirs open).
async fn seed_issues(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    today: i64,
    now: i64,
) -> Result<(), StoreError> {
    let recent: Vec<i64> = sqlx::query_scalar(
        "SELECT MIN(s.id) FROM shifts s JOIN collection_points p ON p.id = s.point_id \
         WHERE s.day >= $1 GROUP BY p.community_code ORDER BY p.community_code",
    )
    .bind(today - 7)
    .fetch_all(&mut **tx)
    .await?;
    for (i, shift) in recent.iter().enumerate() {
        let (kind, note) = [
            ("overflowing", "厨余桶满溢，需要加桶"),
            ("mixed", "其他垃圾桶里有大量厨余"),
            ("bin_missing", "有害垃圾桶不见了"),
        ][i % 3];
        sqlx::query(
            "INSERT INTO shift_issues (shift_id, kind, note, fixed_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(shift)
        .bind(kind)
        .bind(note)
        .bind((i % 3 == 2).then_some(now))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
