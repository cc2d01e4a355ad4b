//! What the city is made of, as pages show it: territory counts and outlines, the category tree
//! with its questions, the places to report from, the base map. `CataloguePort` for the pages.

use crate::kernel::store::{Store, StoreError, unavailable};
use domain::cases::category::{CategoryCode, CategoryKind, TimeLimit};
use domain::ports::{
    CataloguePort, CategoryGroup, HomeStats, MapLayers, Names, PlaceOption, PortError,
    ReportFormData, SubCategory, TerritoryOutline,
};
use domain::territory::TerritoryLevel;
use domain::tiles::TileLayerSpec;
use sqlx::Row;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone)]
pub struct Catalogue {
    store: Store,
    tiles: TileLayerSpec,
    /// The map's outlines change only with a new territory import: kept for ten minutes.
    layers: Arc<crate::kernel::cache::Recent<(), MapLayers>>,
}

impl Catalogue {
    pub fn new(store: Store, tiles: TileLayerSpec) -> Catalogue {
        Catalogue {
            store,
            tiles,
            layers: Arc::new(crate::kernel::cache::Recent::new(
                Duration::from_secs(600),
                1,
            )),
        }
    }

    async fn load_home_stats(&self) -> Result<HomeStats, StoreError> {
        let rows = sqlx::query(
            "SELECT level, CAST(COUNT(*) AS BIGINT) AS n FROM territories GROUP BY level",
        )
        .fetch_all(self.store.pool())
        .await?;
        let mut stats = HomeStats {
            districts: 0,
            streets: 0,
            communities: 0,
            grids: 0,
            categories: 0,
            departments: 0,
        };
        for row in rows {
            let level: String = row.try_get("level")?;
            let n = count(row.try_get("n")?);
            match TerritoryLevel::parse(&level).map_err(|e| StoreError::Corrupt(e.to_string()))? {
                TerritoryLevel::District => stats.districts = n,
                TerritoryLevel::Street => stats.streets = n,
                TerritoryLevel::Community => stats.communities = n,
                TerritoryLevel::Grid => stats.grids = n,
            }
        }
        stats.categories = count(
            sqlx::query_scalar(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM categories WHERE parent_code IS NOT NULL",
            )
            .fetch_one(self.store.pool())
            .await?,
        );
        stats.departments = count(
            sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM departments")
                .fetch_one(self.store.pool())
                .await?,
        );
        Ok(stats)
    }

    async fn load_outlines(
        &self,
        level: TerritoryLevel,
    ) -> Result<Vec<TerritoryOutline>, StoreError> {
        let rows = sqlx::query(
            "SELECT code, name_zh, name_en, boundary FROM territories WHERE level = $1 ORDER BY code",
        )
        .bind(level.as_str())
        .fetch_all(self.store.pool())
        .await?;
        rows.into_iter()
            .map(|row| {
                let code: String = row.try_get("code")?;
                let boundary: String = row.try_get("boundary")?;
                Ok(TerritoryOutline {
                    ring: outer_ring(&boundary)
                        .ok_or_else(|| StoreError::Corrupt(format!("boundary of {code}")))?,
                    code,
                    level,
                    names: Names {
                        zh: row.try_get("name_zh")?,
                        en: row.try_get("name_en")?,
                    },
                })
            })
            .collect()
    }

    async fn load_map_layers(&self) -> Result<MapLayers, StoreError> {
        let demo: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM territories WHERE is_demo = 1",
        )
        .fetch_one(self.store.pool())
        .await?;
        Ok(MapLayers {
            tiles: self.tiles.clone(),
            districts: self.load_outlines(TerritoryLevel::District).await?,
            grids: self.load_outlines(TerritoryLevel::Grid).await?,
            demo_shapes: demo > 0,
        })
    }

    async fn load_categories(&self) -> Result<Vec<CategoryGroup>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.code, c.parent_code, c.name_zh, c.name_en, c.time_limit_amount, \
             c.time_limit_unit, d.name_zh AS dept_zh, d.name_en AS dept_en \
             FROM categories c LEFT JOIN departments d ON d.code = c.department_code \
             ORDER BY c.sort_order",
        )
        .fetch_all(self.store.pool())
        .await?;
        let mut questions = crate::cases::category_questions(self.store.pool(), None).await?;
        let mut groups: Vec<CategoryGroup> = Vec::new();
        for row in rows {
            let corrupt = |what: &str| StoreError::Corrupt(what.to_owned());
            let code: String = row.try_get("code")?;
            let parsed =
                CategoryCode::parse(&code).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let names = Names {
                zh: row.try_get("name_zh")?,
                en: row.try_get("name_en")?,
            };
            let parent: Option<String> = row.try_get("parent_code")?;
            if parent.is_none() {
                groups.push(CategoryGroup {
                    code,
                    kind: parsed.kind(),
                    names,
                    subs: Vec::new(),
                });
                continue;
            }
            let amount: i64 = row
                .try_get::<Option<i64>, _>("time_limit_amount")?
                .ok_or_else(|| corrupt(&code))?;
            let unit: String = row
                .try_get::<Option<String>, _>("time_limit_unit")?
                .ok_or_else(|| corrupt(&code))?;
            let time_limit = TimeLimit::parse(&format!("{amount}{unit}"))
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let department = Names {
                zh: row
                    .try_get::<Option<String>, _>("dept_zh")?
                    .ok_or_else(|| corrupt(&code))?,
                en: row
                    .try_get::<Option<String>, _>("dept_en")?
                    .ok_or_else(|| corrupt(&code))?,
            };
            let group = groups
                .iter_mut()
                .rev()
                .find(|g| Some(&g.code) == parent.as_ref())
                .ok_or_else(|| corrupt(&format!("{code} comes before its major class")))?;
            let asks = questions
                .extract_if(.., |(category, _)| *category == code)
                .map(|(_, q)| q)
                .collect();
            group.subs.push(SubCategory {
                code,
                names,
                department,
                time_limit,
                questions: asks,
            });
        }
        // Events (事件) first: residents report those most.
        groups.sort_by_key(|g| g.kind != CategoryKind::Event);
        Ok(groups)
    }

    /// Districts → streets → communities, in code order.
    async fn load_places(&self) -> Result<Vec<PlaceOption>, StoreError> {
        let rows = sqlx::query(
            "SELECT code, parent_code, level, name_zh, name_en FROM territories \
             WHERE level IN ('district', 'street', 'community') ORDER BY code",
        )
        .fetch_all(self.store.pool())
        .await?;
        let mut districts: Vec<PlaceOption> = Vec::new();
        for row in rows {
            let place = PlaceOption {
                code: row.try_get("code")?,
                names: Names {
                    zh: row.try_get("name_zh")?,
                    en: row.try_get("name_en")?,
                },
                children: Vec::new(),
            };
            let level: String = row.try_get("level")?;
            let parent: Option<String> = row.try_get("parent_code")?;
            let orphan =
                || StoreError::Corrupt(format!("{} has no parent listed before it", place.code));
            match level.as_str() {
                "district" => districts.push(place),
                "street" => {
                    let d = districts
                        .iter_mut()
                        .find(|d| Some(&d.code) == parent.as_ref())
                        .ok_or_else(orphan)?;
                    d.children.push(place);
                }
                _ => {
                    let s = districts
                        .iter_mut()
                        .flat_map(|d| d.children.iter_mut())
                        .find(|s| Some(&s.code) == parent.as_ref())
                        .ok_or_else(orphan)?;
                    s.children.push(place);
                }
            }
        }
        Ok(districts)
    }

    async fn load_report_form(&self) -> Result<ReportFormData, StoreError> {
        // The map opens on the grid cell nearest the middle of the city, so its centre is a
        // place one can report from (the middle of a coastal city's box may be sea).
        let rows = sqlx::query(
            "SELECT min_lat, min_lng, max_lat, max_lng FROM territories WHERE level = 'grid'",
        )
        .fetch_all(self.store.pool())
        .await?;
        let mut cells = Vec::with_capacity(rows.len());
        for r in rows {
            let (s, w): (f64, f64) = (r.try_get("min_lat")?, r.try_get("min_lng")?);
            let (n, e): (f64, f64) = (r.try_get("max_lat")?, r.try_get("max_lng")?);
            cells.push(((s + n) / 2.0, (w + e) / 2.0, (s, w, n, e)));
        }
        let centre = match cells
            .iter()
            .map(|c| c.2)
            .reduce(|a, b| (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3)))
        {
            Some((s, w, n, e)) => {
                let mid = ((s + n) / 2.0, (w + e) / 2.0);
                let d = |c: &(f64, f64, (f64, f64, f64, f64))| {
                    (c.0 - mid.0).powi(2) + (c.1 - mid.1).powi(2)
                };
                cells
                    .iter()
                    .min_by(|a, b| d(a).total_cmp(&d(b)))
                    .map(|c| (c.0, c.1))
                    .unwrap_or(mid)
            }
            // An empty city: Xiamen's centre, so the map still opens somewhere sensible.
            None => (24.48, 118.09),
        };
        Ok(ReportFormData {
            categories: self.load_categories().await?,
            places: self.load_places().await?,
            tiles: self.tiles.clone(),
            centre,
        })
    }
}

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The outer ring of a stored GeoJSON polygon as (lat, lng) pairs.
fn outer_ring(geojson: &str) -> Option<Vec<(f64, f64)>> {
    let rings: Vec<Vec<[f64; 2]>> = serde_json::from_str(geojson).ok()?;
    let outer = rings.into_iter().next()?;
    (outer.len() >= 4).then(|| outer.into_iter().map(|[lng, lat]| (lat, lng)).collect())
}

#[async_trait::async_trait]
impl CataloguePort for Catalogue {
    async fn home_stats(&self) -> Result<HomeStats, PortError> {
        self.load_home_stats().await.map_err(unavailable)
    }
    async fn map_layers(&self) -> Result<MapLayers, PortError> {
        if let Some(kept) = self.layers.get(&(), 0) {
            return Ok((*kept).clone());
        }
        let layers = self.load_map_layers().await.map_err(unavailable)?;
        // A store without territories yet (before the seed) is not kept.
        if !layers.districts.is_empty() {
            self.layers.put((), 0, layers.clone());
        }
        Ok(layers)
    }
    async fn categories(&self) -> Result<Vec<CategoryGroup>, PortError> {
        self.load_categories().await.map_err(unavailable)
    }
    async fn report_form(&self) -> Result<ReportFormData, PortError> {
        self.load_report_form().await.map_err(unavailable)
    }
    async fn territories(&self) -> Result<Vec<domain::ports::TerritoryItem>, PortError> {
        let rows = sqlx::query(
            "SELECT code, parent_code, level, name_zh, name_en FROM territories \
             WHERE level <> 'grid' ORDER BY code",
        )
        .fetch_all(self.store.pool())
        .await
        .map_err(unavailable)?;
        rows.iter()
            .map(|r| {
                Ok(domain::ports::TerritoryItem {
                    code: r.try_get("code")?,
                    parent: r.try_get("parent_code")?,
                    level: r.try_get("level")?,
                    names: Names {
                        zh: r.try_get("name_zh")?,
                        en: r.try_get("name_en")?,
                    },
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(unavailable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rings_are_read_as_lat_lng() {
        let ring = outer_ring("[[[118.0,24.0],[118.1,24.0],[118.1,24.1],[118.0,24.0]]]").unwrap();
        assert_eq!(ring[1], (24.0, 118.1));
        assert!(outer_ring("[[[118.0,24.0]]]").is_none(), "too few points");
        assert!(outer_ring("not json").is_none());
    }
}
