//! Demo and reference data. Categories and departments are the city's reference data; the territory
//! shapes are synthetic rectangles near the real places and are stored with `is_demo = 1` so every page
//! can say they are demo data. Seeding is idempotent: rows that exist are left alone.

use crate::kernel::store::{Store, StoreError};
use domain::cases::category::{CategoryCode, CategoryKind, TimeLimit, TimeUnit};
use domain::territory::TerritoryCode;

/// A district with its synthetic box (south, west, north, east) and two streets of two communities.
struct DemoDistrict {
    code: &'static str,
    zh: &'static str,
    en: &'static str,
    bbox: (f64, f64, f64, f64),
    streets: [DemoStreet; 2],
}

struct DemoStreet {
    zh: &'static str,
    en: &'static str,
    communities: [(&'static str, &'static str); 2],
}

const fn street(
    zh: &'static str,
    en: &'static str,
    communities: [(&'static str, &'static str); 2],
) -> DemoStreet {
    DemoStreet {
        zh,
        en,
        communities,
    }
}

/// Xiamen's six districts with their real division codes; boxes are rough and do not overlap.
const DISTRICTS: [DemoDistrict; 6] = [
    DemoDistrict {
        code: "350203",
        zh: "思明区",
        en: "Siming District",
        bbox: (24.430, 118.065, 24.485, 118.185),
        streets: [
            street(
                "中华街道",
                "Zhonghua Subdistrict",
                [("中山社区", "Zhongshan"), ("镇海社区", "Zhenhai")],
            ),
            street(
                "嘉莲街道",
                "Jialian Subdistrict",
                [("莲花社区", "Lianhua"), ("嘉禾社区", "Jiahe")],
            ),
        ],
    },
    DemoDistrict {
        code: "350206",
        zh: "湖里区",
        en: "Huli District",
        bbox: (24.485, 118.075, 24.545, 118.195),
        streets: [
            street(
                "湖里街道",
                "Huli Subdistrict",
                [("塘边社区", "Tangbian"), ("海天社区", "Haitian")],
            ),
            street(
                "殿前街道",
                "Dianqian Subdistrict",
                [("高殿社区", "Gaodian"), ("殿前社区", "Dianqian")],
            ),
        ],
    },
    DemoDistrict {
        code: "350211",
        zh: "集美区",
        en: "Jimei District",
        bbox: (24.560, 117.980, 24.660, 118.130),
        streets: [
            street(
                "集美街道",
                "Jimei Subdistrict",
                [("岑西社区", "Cenxi"), ("浔江社区", "Xunjiang")],
            ),
            street(
                "杏林街道",
                "Xinglin Subdistrict",
                [("杏东社区", "Xingdong"), ("内林社区", "Neilin")],
            ),
        ],
    },
    DemoDistrict {
        code: "350205",
        zh: "海沧区",
        en: "Haicang District",
        bbox: (24.440, 117.930, 24.530, 118.040),
        streets: [
            street(
                "海沧街道",
                "Haicang Subdistrict",
                [("海虹社区", "Haihong"), ("渐美社区", "Jianmei")],
            ),
            street(
                "新阳街道",
                "Xinyang Subdistrict",
                [("新垵社区", "Xin'an"), ("霞阳社区", "Xiayang")],
            ),
        ],
    },
    DemoDistrict {
        code: "350212",
        zh: "同安区",
        en: "Tong'an District",
        bbox: (24.700, 118.080, 24.800, 118.220),
        streets: [
            street(
                "大同街道",
                "Datong Subdistrict",
                [("城东社区", "Chengdong"), ("碧岳社区", "Biyue")],
            ),
            street(
                "祥平街道",
                "Xiangping Subdistrict",
                [("阳翟社区", "Yangzhai"), ("西湖社区", "Xihu")],
            ),
        ],
    },
    DemoDistrict {
        code: "350213",
        zh: "翔安区",
        en: "Xiang'an District",
        bbox: (24.560, 118.200, 24.680, 118.320),
        streets: [
            street(
                "新店街道",
                "Xindian Subdistrict",
                [("新兴社区", "Xinxing"), ("洪厝社区", "Hongcuo")],
            ),
            street(
                "马巷街道",
                "Maxiang Subdistrict",
                [("马巷社区", "Maxiang"), ("后亭社区", "Houting")],
            ),
        ],
    },
];

/// Grid cells per community side: a community is cut into GRID_SIDE × GRID_SIDE cells.
const GRID_SIDE: u32 = 2;

pub const DEPARTMENTS: [(&str, &str, &str); 10] = [
    (
        "CGZF",
        "城市管理行政执法局",
        "Urban Management Law Enforcement Bureau",
    ),
    (
        "SZYL",
        "市政园林局",
        "Municipal Engineering and Landscaping Bureau",
    ),
    ("HJWS", "环境卫生中心", "Sanitation Centre"),
    ("STHJ", "生态环境局", "Ecology and Environment Bureau"),
    ("JTYS", "交通运输局", "Transport Bureau"),
    ("GAJ", "公安局", "Public Security Bureau"),
    ("JSJ", "建设局", "Construction Bureau"),
    (
        "ZRZY",
        "自然资源和规划局",
        "Natural Resources and Planning Bureau",
    ),
    ("JDBSC", "街道办事处", "Subdistrict Office"),
    ("SWJ", "水务集团", "Water Utility"),
];

/// (code, zh, en) for a major class; its sub-categories follow as (code, zh, en, department, limit).
type Sub = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);
/// A major class as (code, zh, en).
type Major = (&'static str, &'static str, &'static str);
pub const CATEGORIES: [(Major, &[Sub]); 11] = [
    (
        ("S01", "两违", "Illegal construction and land use"),
        &[
            ("S0101", "违法建设", "Illegal construction", "CGZF", "5wd"),
            (
                "S0102",
                "违法占地",
                "Illegal land occupation",
                "ZRZY",
                "5wd",
            ),
        ],
    ),
    (
        ("S02", "户外广告/店招", "Outdoor advertising and shop signs"),
        &[
            (
                "S0201",
                "违规户外广告",
                "Unauthorised outdoor advertising",
                "CGZF",
                "3wd",
            ),
            (
                "S0202",
                "店招破损或不规范",
                "Damaged or non-compliant shop sign",
                "CGZF",
                "3wd",
            ),
        ],
    ),
    (
        ("S03", "市容环境", "City appearance"),
        &[
            ("S0301", "暴露垃圾", "Exposed rubbish", "HJWS", "4h"),
            (
                "S0302",
                "垃圾分类不规范",
                "Waste not sorted properly",
                "HJWS",
                "1wd",
            ),
            (
                "S0303",
                "门前三包不落实",
                "Frontage duties (门前三包) not kept",
                "JDBSC",
                "1wd",
            ),
            ("S0304", "扬尘", "Construction dust", "JSJ", "4h"),
        ],
    ),
    (
        ("S04", "街面秩序", "Street order"),
        &[
            (
                "S0401",
                "夜间烧烤",
                "Night-time street barbecue",
                "CGZF",
                "2h",
            ),
            (
                "S0402",
                "改装车占道经营",
                "Vending from modified vehicles",
                "CGZF",
                "2h",
            ),
            (
                "S0403",
                "共享单车乱停放",
                "Badly parked shared bikes",
                "JTYS",
                "4h",
            ),
            ("S0404", "不文明养犬", "Uncivil dog keeping", "GAJ", "1wd"),
        ],
    ),
    (
        ("S05", "环境污染", "Pollution and nuisance"),
        &[
            ("S0501", "油烟扰民", "Cooking fumes nuisance", "CGZF", "3wd"),
            ("S0502", "施工噪声", "Construction noise", "STHJ", "4h"),
            ("S0503", "社会生活噪声", "Neighbourhood noise", "GAJ", "2h"),
        ],
    ),
    (
        ("S06", "车辆管理", "Vehicles"),
        &[
            ("S0601", "僵尸车", "Abandoned vehicle", "JTYS", "15d"),
            (
                "S0602",
                "渣土车抛洒",
                "Spillage from muck trucks",
                "CGZF",
                "2h",
            ),
        ],
    ),
    (
        ("S07", "安全隐患", "Safety hazards"),
        &[("S0701", "非法燃气", "Illegal gas cylinders", "SZYL", "1wd")],
    ),
    (
        ("B01", "公用设施", "Public utilities"),
        &[
            (
                "B0101",
                "井盖缺失或破损",
                "Missing or broken manhole cover",
                "SZYL",
                "2h",
            ),
            ("B0102", "路灯故障", "Street light out", "SZYL", "3wd"),
            ("B0103", "消防栓损坏", "Damaged fire hydrant", "SWJ", "2wd"),
            (
                "B0104",
                "公交站亭损坏",
                "Damaged bus shelter",
                "JTYS",
                "3wd",
            ),
        ],
    ),
    (
        ("B02", "道路交通", "Roads"),
        &[
            ("B0201", "道路破损", "Damaged road surface", "SZYL", "3wd"),
            ("B0202", "人行道破损", "Damaged pavement", "SZYL", "3wd"),
            (
                "B0203",
                "交通护栏损坏",
                "Damaged traffic barrier",
                "JTYS",
                "2wd",
            ),
        ],
    ),
    (
        ("B03", "园林绿化", "Greenery"),
        &[
            ("B0301", "树木倒伏", "Fallen tree", "SZYL", "4h"),
            ("B0302", "绿地损毁", "Damaged green space", "SZYL", "3wd"),
        ],
    ),
    (
        ("B04", "环卫设施", "Sanitation facilities"),
        &[
            ("B0401", "垃圾桶破损", "Damaged rubbish bin", "HJWS", "2wd"),
            (
                "B0402",
                "公厕故障",
                "Public toilet out of order",
                "HJWS",
                "1wd",
            ),
        ],
    ),
];

/// A territory row ready to insert.
#[derive(Debug, Clone, PartialEq)]
pub struct TerritoryRow {
    pub code: TerritoryCode,
    pub zh: String,
    pub en: String,
    /// (south, west, north, east)
    pub bbox: (f64, f64, f64, f64),
}

impl TerritoryRow {
    /// The box as a closed GeoJSON ring, [lng, lat] order.
    pub fn boundary_geojson(&self) -> String {
        let (s, w, n, e) = self.bbox;
        format!("[[[{w},{s}],[{e},{s}],[{e},{n}],[{w},{n}],[{w},{s}]]]")
    }
}

/// Splits a box into `cols` × `rows` cells, west to east then south to north.
fn split(b: (f64, f64, f64, f64), cols: u32, rows: u32) -> Vec<(f64, f64, f64, f64)> {
    let (s, w, n, e) = b;
    let (dw, dh) = ((e - w) / cols as f64, (n - s) / rows as f64);
    let round = |x: f64| (x * 1e6).round() / 1e6;
    (0..rows)
        .flat_map(|r| (0..cols).map(move |c| (r, c)))
        .map(|(r, c)| {
            let (cs, cw) = (s + dh * r as f64, w + dw * c as f64);
            (round(cs), round(cw), round(cs + dh), round(cw + dw))
        })
        .collect()
}

/// The whole demo territory tree, parents before children.
pub fn demo_territories() -> Vec<TerritoryRow> {
    let mut rows = Vec::new();
    for d in &DISTRICTS {
        let d_code = TerritoryCode::parse(d.code).expect("district codes are valid");
        rows.push(TerritoryRow {
            code: d_code.clone(),
            zh: d.zh.into(),
            en: d.en.into(),
            bbox: d.bbox,
        });
        // Streets side by side west→east; communities stacked south→north inside each street.
        for ((si, st), s_box) in d.streets.iter().enumerate().zip(split(d.bbox, 2, 1)) {
            let s_code = d_code.child(si as u32 + 1).expect("street number fits");
            rows.push(TerritoryRow {
                code: s_code.clone(),
                zh: st.zh.into(),
                en: st.en.into(),
                bbox: s_box,
            });
            for ((ci, (czh, cen)), c_box) in
                st.communities.iter().enumerate().zip(split(s_box, 1, 2))
            {
                let c_code = s_code.child(ci as u32 + 1).expect("community number fits");
                rows.push(TerritoryRow {
                    code: c_code.clone(),
                    zh: (*czh).into(),
                    en: format!("{cen} Community"),
                    bbox: c_box,
                });
                for (gi, g_box) in split(c_box, GRID_SIDE, GRID_SIDE).into_iter().enumerate() {
                    let n = gi as u32 + 1;
                    rows.push(TerritoryRow {
                        code: c_code.child(n).expect("grid number fits"),
                        zh: format!("{czh}第{n}网格"),
                        en: format!("{cen} Grid {n}"),
                        bbox: g_box,
                    });
                }
            }
        }
    }
    rows
}

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
    for (code, zh, en) in DEPARTMENTS {
        report.departments += sqlx::query(
            "INSERT INTO departments (code, name_zh, name_en) VALUES ($1, $2, $3) \
             ON CONFLICT (code) DO NOTHING",
        )
        .bind(code)
        .bind(zh)
        .bind(en)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    let mut order = 0i64;
    for ((major, zh, en), subs) in CATEGORIES {
        let major_code =
            CategoryCode::parse(major).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        order += 1;
        report.categories +=
            insert_category(&mut tx, &major_code, None, zh, en, None, order).await?;
        for (code, zh, en, dept, limit) in subs {
            let code = CategoryCode::parse(code).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let limit = TimeLimit::parse(limit).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            order += 1;
            report.categories += insert_category(
                &mut tx,
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
    crate::consult::seed_matters(&mut tx).await?;
    crate::open311::seed_questions(&mut tx).await?;
    crate::open311::seed_demo_key(&mut tx).await?;
    for t in demo_territories() {
        let (s, w, n, e) = t.bbox;
        report.territories += sqlx::query(
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
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    seed_collection_points(&mut tx).await?;
    for (phone, role, territory, department) in DEMO_ACCOUNTS {
        let phone = domain::account::phone::Phone::parse(phone)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        report.accounts += sqlx::query(
            "INSERT INTO users (phone, display_name, created_at) VALUES ($1, $2, 0) ON CONFLICT (phone) DO NOTHING",
        )
        .bind(phone.e164().to_owned())
        .bind(format!("demo {role}"))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if role != "resident" {
            sqlx::query(
                "INSERT INTO role_grants (user_id, role, territory_code, department_code, granted_at) \
                 SELECT u.id, $2, $3, $4, 0 FROM users u WHERE u.phone = $1 AND NOT EXISTS ( \
                   SELECT 1 FROM role_grants g WHERE g.user_id = u.id AND g.role = $2 AND g.revoked_at IS NULL)",
            )
            .bind(phone.e164().to_owned())
            .bind(role)
            .bind(territory)
            .bind(department)
            .execute(&mut *tx)
            .await?;
        }
    }
    for (phone, role, territory, department) in demo_staff() {
        report.accounts += sqlx::query(
            "INSERT INTO users (phone, display_name, created_at) VALUES ($1, $2, 0) ON CONFLICT (phone) DO NOTHING",
        )
        .bind(&phone)
        .bind(format!("demo {role}"))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query(
            "INSERT INTO role_grants (user_id, role, territory_code, department_code, granted_at) \
             SELECT u.id, $2, $3, $4, 0 FROM users u WHERE u.phone = $1 AND NOT EXISTS ( \
               SELECT 1 FROM role_grants g WHERE g.user_id = u.id AND g.role = $2 AND g.revoked_at IS NULL)",
        )
        .bind(&phone)
        .bind(role)
        .bind(territory)
        .bind(department)
        .execute(&mut *tx)
        .await?;
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
mod tests {
    use super::*;
    use domain::territory::TerritoryLevel;
    use std::collections::HashSet;

    #[test]
    fn demo_tree_is_complete_and_consistent() {
        let rows = demo_territories();
        let count = |l| rows.iter().filter(|r| r.code.level() == l).count();
        assert_eq!(count(TerritoryLevel::District), 6);
        assert_eq!(count(TerritoryLevel::Street), 12);
        assert_eq!(count(TerritoryLevel::Community), 24);
        assert_eq!(
            count(TerritoryLevel::Grid),
            24 * (GRID_SIDE * GRID_SIDE) as usize
        );
        let codes: HashSet<_> = rows.iter().map(|r| r.code.clone()).collect();
        assert_eq!(codes.len(), rows.len(), "codes are unique");
        for r in &rows {
            if let Some(p) = r.code.parent() {
                let parent = rows.iter().find(|x| x.code == p).expect("parent exists");
                let (s, w, n, e) = r.bbox;
                let (ps, pw, pn, pe) = parent.bbox;
                let eps = 1e-6;
                assert!(
                    s >= ps - eps && w >= pw - eps && n <= pn + eps && e <= pe + eps,
                    "{} inside {}",
                    r.code,
                    p
                );
            }
            assert!(
                r.bbox.0 < r.bbox.2 && r.bbox.1 < r.bbox.3,
                "{} has area",
                r.code
            );
        }
    }

    #[test]
    fn districts_do_not_overlap() {
        for (i, a) in DISTRICTS.iter().enumerate() {
            for b in &DISTRICTS[i + 1..] {
                let (a, b) = (a.bbox, b.bbox);
                let apart = a.2 <= b.0 || b.2 <= a.0 || a.3 <= b.1 || b.3 <= a.1;
                assert!(apart, "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn every_category_is_valid_and_names_a_known_department() {
        let depts: HashSet<_> = DEPARTMENTS.iter().map(|d| d.0).collect();
        let mut seen = HashSet::new();
        for ((major, _, _), subs) in CATEGORIES {
            let m = CategoryCode::parse(major).unwrap();
            assert!(!m.is_sub());
            assert!(seen.insert(major));
            assert!(!subs.is_empty());
            for (code, _, _, dept, limit) in subs {
                let c = CategoryCode::parse(code).unwrap();
                assert_eq!(c.major(), m, "{code} under {major}");
                assert!(
                    depts.contains(dept),
                    "{code} names unknown department {dept}"
                );
                TimeLimit::parse(limit).unwrap();
                assert!(seen.insert(code));
            }
        }
    }

    #[test]
    fn boundary_is_a_closed_geojson_ring() {
        let t = &demo_territories()[0];
        let v: serde_json::Value = serde_json::from_str(&t.boundary_geojson()).unwrap();
        let ring = v[0].as_array().unwrap();
        assert_eq!(ring.len(), 5);
        assert_eq!(ring[0], ring[4]);
    }
}
