//! Demo consultations: owner rosters for two demo communities and one consultation in every phase,
//! including an elevator retrofit that passes narrowly (exactly 3/4 of the heads) and a major matter
//! that fails on area although far more than half of the owners approve. Deterministic, so the
//! demo always tells the same story; dates are relative to the moment of seeding.

use crate::consult::Consultations;
use crate::consult::roster::write_roster;
use crate::kernel::store::{Store, StoreError};
use domain::account::phone::Phone;
use domain::consult::{Area, Choice, Phase, RosterRow};
use domain::territory::TerritoryCode;

const DAY: i64 = 24 * 3600 * 1000;

/// 中山社区 and 镇海社区 of 思明区 中华街道.
pub const ZHONGSHAN: &str = "350203001001";
pub const ZHENHAI: &str = "350203001002";
/// The demo owner account (README) owns 1栋1单元501 in 中山社区.
const DEMO_OWNER_PHONE: &str = "13900000002";

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

/// One roster line: building, stairwell, floor and flat (1 or 2) give the unit "501"/"502".
fn flat(
    b: u32,
    s: u32,
    floor: u32,
    k: u32,
    area_centi: i64,
    phone: &str,
    developer: bool,
) -> RosterRow {
    RosterRow {
        line: 0,
        building: b.to_string(),
        stairwell: s.to_string(),
        unit: format!("{floor}0{k}"),
        owner_name: if developer {
            "厦门某置业有限公司".to_owned()
        } else {
            format!("业主{b}{s}{floor}{k}")
        },
        phone: (!developer).then(|| Phone::parse(phone).ok()).flatten(),
        area: Area::from_centi(area_centi),
        developer_unsold: developer,
    }
}

/// 中山社区: three six-storey buildings, two stairwells each, two flats a floor (72 flats). The
/// second stairwell of building 3 has large flats; two flats of building 3 are still unsold; one
/// owner has both ground-floor flats of 1栋2单元.
fn zhongshan_roster() -> Vec<RosterRow> {
    let mut rows = Vec::new();
    for b in 1..=3 {
        for s in 1..=2 {
            for floor in 1..=6 {
                for k in 1..=2 {
                    let area = if (b, s) == (3, 2) {
                        15_000 + i64::from(floor) * 100
                    } else {
                        6_000 + i64::from(k) * 500 + i64::from(floor) * 100
                    };
                    let phone = match (b, s, floor, k) {
                        (1, 1, 5, 1) => DEMO_OWNER_PHONE.to_owned(),
                        (1, 2, 1, 2) => "13500001211".to_owned(),
                        _ => format!("135{:08}", b * 1000 + s * 100 + floor * 10 + k),
                    };
                    let developer = (b, s, floor) == (3, 1, 6);
                    rows.push(flat(b, s, floor, k, area, &phone, developer));
                }
            }
        }
    }
    rows
}

/// 镇海社区: one building, two stairwells, 24 flats.
fn zhenhai_roster() -> Vec<RosterRow> {
    let mut rows = Vec::new();
    for s in 1..=2 {
        for floor in 1..=6 {
            for k in 1..=2 {
                let area = 7_000 + i64::from(k) * 350 + i64::from(floor) * 50;
                let phone = format!("136{:08}", 2000 + s * 100 + floor * 10 + k);
                rows.push(flat(1, s, floor, k, area, &phone, false));
            }
        }
    }
    rows
}

struct Plan {
    community: &'static str,
    title: &'static str,
    body: &'static str,
    matter: &'static str,
    /// (kind, building, stairwell)
    scope: (&'static str, &'static str, &'static str),
    /// Days from now: comment opens, vote opens, vote closes.
    days: (i64, i64, i64),
    /// Days from now of publication and of the follow-up's start.
    published: Option<i64>,
    followup: Option<i64>,
    updates: &'static [(i64, &'static str)],
    comments: &'static [(&'static str, &'static str)],
}

const PLANS: [Plan; 7] = [
    Plan {
        community: ZHONGSHAN,
        title: "1号楼1单元加装电梯",
        body: "拟在1号楼1单元北侧加装一部电梯，总造价约68万元，政府补助后由本单元业主按楼层系数分摊。\n施工期约4个月，施工期间北侧通道临时封闭。",
        matter: "elevator",
        scope: ("stairwell", "1", "1"),
        days: (-20, -5, 9),
        published: None,
        followup: None,
        updates: &[],
        comments: &[
            ("support", "家里老人腿脚不便，非常支持尽快加装。"),
            ("oppose", "一楼采光会受影响，希望说明补偿办法。"),
            ("neutral", "请公布各楼层分摊的具体金额。"),
        ],
    },
    Plan {
        community: ZHONGSHAN,
        title: "2号楼1单元加装电梯",
        body: "2号楼1单元加装电梯方案，已于表决期满后公示结果。",
        matter: "elevator",
        scope: ("stairwell", "2", "1"),
        days: (-60, -45, -30),
        published: Some(-28),
        followup: None,
        updates: &[],
        comments: &[],
    },
    Plan {
        community: ZHONGSHAN,
        title: "筹集维修资金用于屋面防水",
        body: "三栋楼屋面防水层老化，拟按专有面积每平方米20元筹集维修资金。",
        matter: "raise_fund",
        scope: ("community", "", ""),
        days: (-90, -75, -60),
        published: Some(-58),
        followup: None,
        updates: &[],
        comments: &[],
    },
    Plan {
        community: ZHONGSHAN,
        title: "小区停车位重新划线",
        body: "拟在小区内重新划定停车位，增加18个车位并保留消防通道。欢迎提出意见。",
        matter: "other",
        scope: ("community", "", ""),
        days: (-3, 7, 21),
        published: None,
        followup: None,
        updates: &[],
        comments: &[
            ("support", "车位太紧张了，支持。"),
            ("neutral", "请在方案图上标出消防通道。"),
        ],
    },
    Plan {
        community: ZHENHAI,
        title: "楼道绿化和晾晒区改造",
        body: "草案：在楼前空地设置晾晒区，楼道增设绿植。理事会正在完善方案。",
        matter: "other",
        scope: ("community", "", ""),
        days: (5, 15, 25),
        published: None,
        followup: None,
        updates: &[],
        comments: &[],
    },
    Plan {
        community: ZHENHAI,
        title: "更换老旧供水管网",
        body: "使用维修资金更换1号楼老旧镀锌供水管。",
        matter: "use_fund",
        scope: ("community", "", ""),
        days: (-130, -120, -100),
        published: Some(-98),
        followup: Some(-90),
        updates: &[
            (-90, "施工单位已进场，先更换1单元立管。"),
            (-60, "全部立管更换完毕，正在恢复楼道墙面。"),
        ],
        comments: &[],
    },
    Plan {
        community: ZHENHAI,
        title: "外立面清洗翻新",
        body: "使用维修资金清洗并翻新外立面涂料。",
        matter: "use_fund",
        scope: ("community", "", ""),
        days: (-20, -10, -1),
        published: None,
        followup: None,
        updates: &[],
        comments: &[],
    },
];

/// Who voted how in each plan, from the roster in scope (owner key → choice).
fn ballots_for(plan_index: usize, rows: &[RosterRow]) -> Vec<(String, Choice, Option<String>)> {
    let yes = Choice::Option(0);
    let no = Choice::Option(1);
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, r) in rows.iter().enumerate() {
        let key = r.owner_key();
        if !seen.insert(key.clone()) {
            continue;
        }
        let in_stair = |b: &str, s: &str| r.building == b && r.stairwell == s;
        let choice = match plan_index {
            // Seven of the stairwell's owners have voted so far; the demo owner has not.
            0 if in_stair("1", "1")
                && r.phone.as_ref().map(Phone::national) != Some(DEMO_OWNER_PHONE) =>
            {
                (i % 12 < 7).then_some(if i % 3 == 0 { no } else { yes })
            }
            // Everyone voted; the three smallest flats said no: 9 of 12 heads is exactly 3/4.
            1 if in_stair("2", "1") => Some(if r.area.centi() < 6_000 + 500 + 400 {
                no
            } else {
                yes
            }),
            // The large flats of 3栋2单元 refuse, everyone else approves; the developer stays away.
            2 if !r.developer_unsold => Some(if in_stair("3", "2") { no } else { yes }),
            5 => (i % 6 != 5).then_some(if i % 8 == 0 { no } else { yes }),
            6 => (i % 5 != 4).then_some(if i % 4 == 0 { no } else { yes }),
            _ => None,
        };
        if let Some(c) = choice {
            // Some owners without smartphones voted on paper through the council.
            let paper = (i % 7 == 3).then(|| format!("ZS-{plan_index}-{i:03}"));
            out.push((key, c, paper));
        }
    }
    out
}

/// Seeds rosters and consultations into an empty demo store. Returns how many consultations.
pub async fn seed_consultations(
    store: &Store,
    consult: &Consultations,
    now: i64,
) -> Result<usize, StoreError> {
    let rosters = [(ZHONGSHAN, zhongshan_roster()), (ZHENHAI, zhenhai_roster())];
    let mut tx = store.begin_write().await?;
    for (community, rows) in &rosters {
        let code = TerritoryCode::parse(community).map_err(corrupt)?;
        write_roster(&mut tx, &code, rows, now - 200 * DAY).await?;
    }
    let mut ids = Vec::new();
    for (index, plan) in PLANS.iter().enumerate() {
        let rows = &rosters[usize::from(plan.community == ZHENHAI)].1;
        let id = insert_plan(&mut tx, index, plan, rows, now).await?;
        ids.push((id, plan.published));
    }
    tx.commit().await?;
    // Published results are frozen from the ballots, as the council's publication would.
    for (id, published) in &ids {
        if let Some(day) = published {
            consult
                .publish_as_demo(*id, now + day * DAY)
                .await
                .map_err(corrupt)?;
        }
    }
    Ok(ids.len())
}

/// One demo consultation with its phases, ballots, comments and updates; returns its id.
async fn insert_plan(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    index: usize,
    plan: &Plan,
    rows: &[RosterRow],
    now: i64,
) -> Result<i64, StoreError> {
    let (c, v, u) = plan.days;
    let created = now + (c - 7) * DAY;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO consultations (community_code, title, body, matter_code, scope_kind, \
         scope_building, scope_stairwell, question_kind, comment_from, vote_from, vote_until, \
         followup_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'yesno', $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(plan.community)
    .bind(plan.title)
    .bind(plan.body)
    .bind(plan.matter)
    .bind(plan.scope.0)
    .bind(plan.scope.1)
    .bind(plan.scope.2)
    .bind(now + c * DAY)
    .bind(now + v * DAY)
    .bind(now + u * DAY)
    .bind(plan.followup.map(|d| now + d * DAY))
    .bind(created)
    .fetch_one(&mut **tx)
    .await?;
    for (phase, at) in [
        (Phase::Draft, Some(created)),
        (Phase::Published, plan.published),
        (Phase::FollowUp, plan.followup),
    ] {
        let Some(at) = at else { continue };
        let at = if phase == Phase::Draft {
            at
        } else {
            now + at * DAY
        };
        sqlx::query(
            "INSERT INTO consultation_log (consultation_id, phase, at) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(phase.as_str())
        .bind(at)
        .execute(&mut **tx)
        .await?;
    }
    let in_scope: Vec<RosterRow> = rows
        .iter()
        .filter(|r| {
            plan.scope.0 == "community"
                || (r.building == plan.scope.1 && r.stairwell == plan.scope.2)
        })
        .cloned()
        .collect();
    let cast_at = now + v * DAY + DAY;
    insert_ballots(tx, id, ballots_for(index, &in_scope), cast_at).await?;
    for (n, (stance, body)) in plan.comments.iter().enumerate() {
        sqlx::query(
            "INSERT INTO consultation_comments (consultation_id, stance, body, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(*stance)
        .bind(*body)
        .bind(now + c * DAY + (n as i64 + 1) * 3_600_000)
        .execute(&mut **tx)
        .await?;
    }
    for (day, body) in plan.updates {
        sqlx::query(
            "INSERT INTO consultation_updates (consultation_id, body, at) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(*body)
        .bind(now + day * DAY)
        .execute(&mut **tx)
        .await?;
    }
    Ok(id)
}

async fn insert_ballots(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    ballots: Vec<(String, Choice, Option<String>)>,
    cast_at: i64,
) -> Result<(), StoreError> {
    for (key, choice, paper) in ballots {
        sqlx::query(
            "INSERT INTO ballots (consultation_id, owner_key, choice, channel, paper_ref, cast_at, changed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(id)
        .bind(&key)
        .bind(choice.to_stored())
        .bind(if paper.is_some() { "paper" } else { "web" })
        .bind(paper.clone())
        .bind(cast_at)
        .execute(&mut **tx)
        .await?;
        sqlx::query(
            "INSERT INTO ballot_audit (consultation_id, owner_key, choice, channel, paper_ref, event, at) \
             VALUES ($1, $2, $3, $4, $5, 'cast', $6)",
        )
        .bind(id)
        .bind(&key)
        .bind(choice.to_stored())
        .bind(if paper.is_some() { "paper" } else { "web" })
        .bind(paper)
        .bind(cast_at)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
