//! Demo and reference data. Categories and departments are the city's reference data; the territory
//! shapes are synthetic rectangles near the real places and are stored with `is_demo = 1` so every page
//! can say they are demo data. Seeding is idempotent: rows that exist are left alone.

use crate::kernel::store::{Store, StoreError};
use domain::cases::category::{CategoryCode, CategoryKind, TimeLimit, TimeUnit};

mod city;

pub use city::{CATEGORIES, DEPARTMENTS, TerritoryRow, demo_territories};

/// One demo account per role, with the place it applies to; phones are listed in the README.
pub const DEMO_ACCOUNTS: [(&str, &str, Option<&str>, Option<&str>); 13] = [
    ("13900000001", "resident", None, None),
    ("13900000002", "owner", Some("350203001001"), None),
    ("13900000003", "volunteer", Some("350203001001"), None),
    ("13900000004", "council", Some("350203001001"), None),
    ("13900000005", "operator", None, None),
    ("13900000006", "department", None, Some("CGZF")),
    ("13900000007", "inspector", Some("350203001"), None),
    ("13900000008", "chief1", Some("350203001"), None),
    ("13900000009", "chief2", Some("350203001001"), None),
    ("13900000010", "chief3", Some("35020300100101"), None),
    ("13900000011", "admin", None, None),
    // A district's own operator (受理员), beside the city-wide one.
    ("13900000012", "operator", Some("350203"), None),
    // A second community's council (镇海社区), e.g. for its collection points.
    ("13900000013", "council", Some("350203001002"), None),
];

/// Counts of what `seed` inserted (rows that already existed are not counted).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SeedReport {
    pub territories: u64,
    pub departments: u64,
    pub categories: u64,
    pub accounts: u64,
}

/// Loads departments, categories and the demo city in one transaction.
pub async fn seed(store: &Store) -> Result<SeedReport, StoreError> {
    let mut tx = store.begin_write().await?;
    let mut report = SeedReport::default();
    seed_reference(&mut tx, &mut report).await?;
    crate::consult::seed_matters(&mut tx).await?;
    crate::open311::seed_questions(&mut tx).await?;
    crate::open311::seed_demo_key(&mut tx).await?;
    report.territories += seed_territories(&mut tx).await?;
    seed_collection_points(&mut tx).await?;
    for (phone, role, territory, department) in DEMO_ACCOUNTS {
        let phone = domain::account::phone::Phone::parse(phone)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let grant = (role != "resident").then_some((territory, department));
        report.accounts += insert_account(&mut tx, phone.e164(), role, grant).await?;
    }
    for (phone, role, territory, department) in demo_staff() {
        let grant = Some((territory.as_deref(), department.as_deref()));
        report.accounts += insert_account(&mut tx, &phone, role, grant).await?;
    }
    // Demo volunteers stand at the collection points of their community.
    sqlx::query(
        "INSERT INTO point_volunteers (point_id, user_id, assigned_at) \
         SELECT p.id, g.user_id, 0 FROM collection_points p \
         JOIN role_grants g ON g.territory_code = p.community_code \
         WHERE g.role = 'volunteer' AND g.revoked_at IS NULL AND p.is_demo = 1 \
         ON CONFLICT (point_id, user_id) DO NOTHING",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(report)
}

/// The city's departments and categories.
async fn seed_reference(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    report: &mut SeedReport,
) -> Result<(), StoreError> {
    for (code, zh, en) in DEPARTMENTS {
        report.departments += sqlx::query(
            "INSERT INTO departments (code, name_zh, name_en) VALUES ($1, $2, $3) \
             ON CONFLICT (code) DO NOTHING",
        )
        .bind(code)
        .bind(zh)
        .bind(en)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    }
    let mut order = 0i64;
    for ((major, zh, en), subs) in CATEGORIES {
        let major_code =
            CategoryCode::parse(major).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        order += 1;
        report.categories += insert_category(tx, &major_code, None, zh, en, None, order).await?;
        for (code, zh, en, dept, limit) in subs {
            let code = CategoryCode::parse(code).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let limit = TimeLimit::parse(limit).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            order += 1;
            report.categories += insert_category(
                tx,
                &code,
                Some(&major_code),
                zh,
                en,
                Some((dept, limit)),
                order,
            )
            .await?;
        }
    }
    Ok(())
}

/// The demo city's districts, streets, communities and grids; returns how many were new.
async fn seed_territories(tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<u64, StoreError> {
    let mut added = 0;
    for t in demo_territories() {
        let (s, w, n, e) = t.bbox;
        added += sqlx::query(
            "INSERT INTO territories (code, parent_code, level, name_zh, name_en, boundary, \
             min_lat, min_lng, max_lat, max_lng, is_demo) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1) ON CONFLICT (code) DO NOTHING",
        )
        .bind(t.code.as_str().to_owned())
        .bind(t.code.parent().map(String::from))
        .bind(t.code.level().as_str())
        .bind(t.zh.clone())
        .bind(t.en.clone())
        .bind(t.boundary_geojson())
        .bind(s)
        .bind(w)
        .bind(n)
        .bind(e)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    }
    Ok(added)
}

/// A demo account by E.164 phone and, unless it is a resident's, its role grant (territory,
/// department); returns 1 if the account is new.
async fn insert_account(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    phone: &str,
    role: &str,
    grant: Option<(Option<&str>, Option<&str>)>,
) -> Result<u64, StoreError> {
    let added = sqlx::query(
        "INSERT INTO users (phone, display_name, created_at) VALUES ($1, $2, 0) ON CONFLICT (phone) DO NOTHING",
    )
    .bind(phone)
    .bind(format!("demo {role}"))
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if let Some((territory, department)) = grant {
        sqlx::query(
            "INSERT INTO role_grants (user_id, role, territory_code, department_code, granted_at) \
             SELECT u.id, $2, $3, $4, 0 FROM users u WHERE u.phone = $1 AND NOT EXISTS ( \
               SELECT 1 FROM role_grants g WHERE g.user_id = u.id AND g.role = $2 AND g.revoked_at IS NULL)",
        )
        .bind(phone)
        .bind(role)
        .bind(territory)
        .bind(department)
        .execute(&mut **tx)
        .await?;
    }
    Ok(added)
}

/// The rest of the demo city's staff, so every demo case has someone to move it: a worker for
/// each department (+86 139 0001 00NN, in `DEPARTMENTS` order) and an inspector for each street
/// (+86 139 0002 00NN, in district order). As (E.164 phone, role, territory, department).
pub fn demo_staff() -> Vec<(String, &'static str, Option<String>, Option<String>)> {
    let departments = DEPARTMENTS.iter().enumerate().map(|(i, (code, _, _))| {
        (
            format!("+86139000100{:02}", i + 1),
            "department",
            None,
            Some((*code).to_owned()),
        )
    });
    let streets = demo_territories()
        .into_iter()
        .filter(|t| t.code.level() == domain::territory::TerritoryLevel::Street)
        .enumerate()
        .map(|(i, t)| {
            (
                format!("+86139000200{:02}", i + 1),
                "inspector",
                Some(t.code.as_str().to_owned()),
                None,
            )
        });
    // A volunteer (督导员) per community, beside the README's 139 0000 0003.
    let volunteers = demo_territories()
        .into_iter()
        .filter(|t| t.code.level() == domain::territory::TerritoryLevel::Community)
        .enumerate()
        .map(|(i, t)| {
            (
                format!("+86139000300{:02}", i + 1),
                "volunteer",
                Some(t.code.as_str().to_owned()),
                None,
            )
        });
    departments.chain(streets).chain(volunteers).collect()
}

async fn insert_category(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    code: &CategoryCode,
    parent: Option<&CategoryCode>,
    zh: &str,
    en: &str,
    handling: Option<(&str, TimeLimit)>,
    order: i64,
) -> Result<u64, StoreError> {
    let kind = match code.kind() {
        CategoryKind::Component => "component",
        CategoryKind::Event => "event",
    };
    let unit = handling.map(|(_, l)| match l.unit {
        TimeUnit::WorkHours => "h",
        TimeUnit::WorkDays => "wd",
        TimeUnit::NaturalDays => "d",
    });
    Ok(sqlx::query(
        "INSERT INTO categories (code, parent_code, kind, name_zh, name_en, department_code, \
         time_limit_amount, time_limit_unit, sort_order) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (code) DO NOTHING",
    )
    .bind(code.as_str().to_owned())
    .bind(parent.map(|p| p.as_str().to_owned()))
    .bind(kind)
    .bind(zh.to_owned())
    .bind(en.to_owned())
    .bind(handling.map(|(d, _)| d.to_owned()))
    .bind(handling.map(|(_, l)| l.amount as i64))
    .bind(unit)
    .bind(order)
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

/// Demo collection points: two in every demo community, inside its box, with the common windows.
async fn seed_collection_points(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
) -> Result<(), StoreError> {
    const PLANS: [(&str, f64, f64, i64, &str, &str); 2] = [
        (
            "1号分类投放点",
            0.35,
            0.4,
            160,
            "recyclable,hazardous,kitchen,other",
            "07:00-09:00,18:00-20:00",
        ),
        (
            "2号分类投放点",
            0.7,
            0.65,
            110,
            "recyclable,kitchen,other",
            "06:30-08:30,19:00-21:00",
        ),
    ];
    for t in demo_territories()
        .into_iter()
        .filter(|t| t.code.level() == domain::territory::TerritoryLevel::Community)
    {
        let (south, west, north, east) = t.bbox;
        for (name, fy, fx, households, bins, windows) in PLANS {
            sqlx::query(
                "INSERT INTO collection_points (community_code, name, lat, lng, households, bins, \
                 windows, is_demo) VALUES ($1, $2, $3, $4, $5, $6, $7, 1) \
                 ON CONFLICT (community_code, name) DO NOTHING",
            )
            .bind(t.code.as_str().to_owned())
            .bind(format!("{}{name}", t.zh))
            .bind(south + (north - south) * fy)
            .bind(west + (east - west) * fx)
            .bind(households)
            .bind(bins)
            .bind(windows)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
