//! The map's clusters and the list's pages: one filter, the same cases in both, on the public points.

use crate::cases::{Cases, excerpt};
use crate::kernel::store::{Backend, StoreError};
use domain::cases::case::CaseStage;
use domain::cases::category::CategoryCode;
use domain::cases::cluster::StateFilter;
use domain::geo::public_coordinate;
use domain::ports::{CaseCluster, CaseFilter, CaseListItem, Names};
use sqlx::Row;

/// The columns and joins every case list reads (`list_item` decodes them); callers add the rest.
pub(crate) const LIST_SELECT: &str = "SELECT c.tracking_code, c.description, c.public_description, c.stage, \
     c.me_too_count, c.created_at, c.updated_at, cat.name_zh, cat.name_en, \
     t.name_zh AS comm_zh, t.name_en AS comm_en \
     FROM cases c JOIN categories cat ON cat.code = c.category_code \
     JOIN territories t ON t.code = c.community_code";

/// One row of a case list query (the columns `list` and `my_cases` select).
pub(crate) fn list_item(r: &sqlx::any::AnyRow) -> Result<CaseListItem, StoreError> {
    let stage: String = r.try_get("stage")?;
    let text = domain::privacy::public_text(
        r.try_get("public_description")?,
        &r.try_get::<String, _>("description")?,
    );
    Ok(CaseListItem {
        code: r.try_get("tracking_code")?,
        category: Names {
            zh: r.try_get("name_zh")?,
            en: r.try_get("name_en")?,
        },
        excerpt: excerpt(&text, 80),
        stage: CaseStage::parse(&stage).unwrap_or(CaseStage::Reported),
        community: Names {
            zh: r.try_get("comm_zh")?,
            en: r.try_get("comm_en")?,
        },
        me_too: u32::try_from(r.try_get::<i64, _>("me_too_count")?).unwrap_or(0),
        created_ms: r.try_get("created_at")?,
        updated_ms: r.try_get("updated_at")?,
    })
}

/// Rows per page of the case list.
pub const CASE_PAGE: u32 = 30;

/// The WHERE clause and its parameters for a case filter, shared by the map and the list so they
/// always show the same cases. Parameters start at `$first`.
struct FilterSql {
    clause: String,
    floats: Vec<f64>,
    texts: Vec<String>,
}

/// Which positions a query may read: the public grid for anyone, the exact point for staff.
#[derive(Clone, Copy)]
pub(crate) enum Positions {
    Public,
    Exact,
}

impl Positions {
    pub(crate) fn columns(self) -> (&'static str, &'static str) {
        match self {
            Positions::Public => ("public_lat", "public_lng"),
            Positions::Exact => ("lat", "lng"),
        }
    }

    /// A distance as shown: to the nearest 50 m for the public (the grid is coarser anyway).
    pub(crate) fn shown_distance(self, metres: f64) -> u32 {
        match self {
            Positions::Public => ((metres / 50.0).round() * 50.0) as u32,
            Positions::Exact => metres.round() as u32,
        }
    }
}

fn filter_sql(filter: &CaseFilter, first: usize) -> FilterSql {
    let mut clause = String::from("1 = 1");
    let mut n = first;
    let mut floats = Vec::new();
    let mut texts = Vec::new();
    if let Some(view) = &filter.view {
        let b = view.bbox;
        clause.push_str(&format!(
            " AND c.public_lat BETWEEN ${} AND ${} AND c.public_lng BETWEEN ${} AND ${}",
            n,
            n + 1,
            n + 2,
            n + 3
        ));
        n += 4;
        floats.extend([b.south, b.north, b.west, b.east]);
    }
    match filter.state {
        StateFilter::Open => clause.push_str(" AND c.stage <> 'closed'"),
        StateFilter::Closed => clause.push_str(" AND c.stage = 'closed'"),
        StateFilter::All => {}
    }
    // Category codes are fixed-width, so a prefix selects a major class or one sub-category.
    if let Ok(code) = CategoryCode::parse(filter.category.trim()) {
        clause.push_str(&format!(" AND c.category_code LIKE ${n}"));
        texts.push(format!("{}%", code.as_str()));
    }
    FilterSql {
        clause,
        floats,
        texts,
    }
}

impl Cases {
    /// Cases on the map, grouped into cells about 64 px across at the view's zoom.
    pub async fn clusters(&self, filter: &CaseFilter) -> Result<Vec<CaseCluster>, StoreError> {
        // Views from the browser are re-checked: a forged zoom must not reach the arithmetic.
        let Some(view) = filter.view.and_then(|v| v.validated().ok()) else {
            return Ok(Vec::new());
        };
        let cell = view.cell_deg();
        let f = filter_sql(filter, 4);
        // Cell numbers counted from the view's south-west corner, so they are never negative and
        // truncation is the floor on both backends.
        let cell_of = |col: &str, origin: &str| match self.store.backend() {
            Backend::Sqlite => format!("CAST((c.{col} - {origin}) / $3 AS INTEGER)"),
            Backend::Postgres => format!("CAST(FLOOR((c.{col} - {origin}) / $3) AS BIGINT)"),
        };
        let sql = format!(
            "SELECT COUNT(*) AS n, AVG(c.public_lat) AS lat, AVG(c.public_lng) AS lng, \
             MIN(c.tracking_code) AS code \
             FROM cases c WHERE {} GROUP BY {}, {} LIMIT {}",
            f.clause,
            cell_of("public_lng", "$1"),
            cell_of("public_lat", "$2"),
            view.max_cells()
        );
        let mut q = sqlx::query(&sql)
            .bind(view.bbox.west)
            .bind(view.bbox.south)
            .bind(cell);
        for v in f.floats {
            q = q.bind(v);
        }
        for t in f.texts {
            q = q.bind(t);
        }
        let rows = q.fetch_all(self.store.pool()).await?;
        rows.into_iter()
            .map(|r| {
                let n: i64 = r.try_get("n")?;
                // Means of public positions, shown on the same grid.
                let (lat, lng): (f64, f64) = (r.try_get("lat")?, r.try_get("lng")?);
                let (lat, lng) = (public_coordinate(lat), public_coordinate(lng));
                Ok(if n == 1 {
                    CaseCluster {
                        lat,
                        lng,
                        count: 1,
                        code: Some(r.try_get("code")?),
                    }
                } else {
                    CaseCluster {
                        lat,
                        lng,
                        count: u32::try_from(n).unwrap_or(u32::MAX),
                        code: None,
                    }
                })
            })
            .collect()
    }

    /// The same cases as a list, newest first.
    pub async fn list(
        &self,
        filter: &CaseFilter,
        page: u32,
    ) -> Result<Vec<CaseListItem>, StoreError> {
        let mut filter = filter.clone();
        if let Some(v) = filter.view {
            match v.validated() {
                Ok(v) => filter.view = Some(v),
                Err(_) => return Ok(Vec::new()),
            }
        }
        let f = filter_sql(&filter, 1);
        let sql = format!(
            "{LIST_SELECT} WHERE {} ORDER BY c.created_at DESC, c.id DESC LIMIT {} OFFSET {}",
            f.clause,
            CASE_PAGE,
            u64::from(page) * u64::from(CASE_PAGE)
        );
        let mut q = sqlx::query(&sql);
        for v in f.floats {
            q = q.bind(v);
        }
        for t in f.texts {
            q = q.bind(t);
        }
        q.fetch_all(self.store.pool())
            .await?
            .iter()
            .map(list_item)
            .collect()
    }
}
