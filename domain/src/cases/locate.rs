//! Which grid cell (网格) a point falls in, and through its code the community, street and district.
//! Point-in-polygon with georust `geo`; a bounding-box check first keeps a city's thousands of cells
//! cheap to scan.

use crate::geo::LatLng;
use crate::territory::{TerritoryCode, TerritoryLevel};
use geo::{BoundingRect, Intersects, LineString, Point, Polygon, Rect};

/// The territory chain a located point belongs to, grid first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub grid: TerritoryCode,
    pub community: TerritoryCode,
    pub street: TerritoryCode,
    pub district: TerritoryCode,
}

impl Placement {
    /// The chain above a grid code (codes nest: 6/9/12/14 digits).
    pub fn of_grid(grid: TerritoryCode) -> Option<Placement> {
        if grid.level() != TerritoryLevel::Grid {
            return None;
        }
        let community = grid.parent()?;
        let street = community.parent()?;
        let district = street.parent()?;
        Some(Placement {
            grid,
            community,
            street,
            district,
        })
    }
}

struct Cell {
    bbox: Rect<f64>,
    shape: Polygon<f64>,
    placement: Placement,
}

/// All grid cells of the city, ready for lookups.
pub struct GridIndex {
    cells: Vec<Cell>,
}

impl GridIndex {
    /// `cells` are grid codes with their outer ring as (lng, lat) pairs. Cells that are not grids or
    /// have fewer than three corners are skipped and returned, so the caller can log them.
    pub fn new(
        cells: impl IntoIterator<Item = (TerritoryCode, Vec<(f64, f64)>)>,
    ) -> (GridIndex, Vec<TerritoryCode>) {
        let mut index = GridIndex { cells: Vec::new() };
        let mut skipped = Vec::new();
        for (code, ring) in cells {
            let shape = Polygon::new(LineString::from(ring), vec![]);
            match (Placement::of_grid(code.clone()), shape.bounding_rect()) {
                (Some(placement), Some(bbox)) if shape.exterior().0.len() >= 4 => {
                    index.cells.push(Cell {
                        bbox,
                        shape,
                        placement,
                    });
                }
                _ => skipped.push(code),
            }
        }
        (index, skipped)
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// The cell containing the point. A point on a shared edge belongs to the first cell listed.
    pub fn locate(&self, p: LatLng) -> Option<&Placement> {
        let point = Point::new(p.lng(), p.lat());
        self.cells
            .iter()
            .filter(|c| c.bbox.intersects(&point))
            .find(|c| c.shape.intersects(&point))
            .map(|c| &c.placement)
    }

    /// A point inside the community's first cell: where a report placed from lists is pinned.
    pub fn community_anchor(&self, community: &TerritoryCode) -> Option<(LatLng, &Placement)> {
        let cell = self
            .cells
            .iter()
            .find(|c| &c.placement.community == community)?;
        let centre = cell.bbox.center();
        let p = LatLng::new(centre.y, centre.x).ok()?;
        // A concave cell's box centre can fall outside it; only use points the cell contains.
        cell.shape
            .intersects(&Point::new(centre.x, centre.y))
            .then_some((p, &cell.placement))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> TerritoryCode {
        TerritoryCode::parse(s).unwrap()
    }

    fn square(w: f64, s: f64, e: f64, n: f64) -> Vec<(f64, f64)> {
        vec![(w, s), (e, s), (e, n), (w, n), (w, s)]
    }

    fn index() -> GridIndex {
        let (idx, skipped) = GridIndex::new([
            (code("35020300100101"), square(118.0, 24.0, 118.1, 24.1)),
            (code("35020300100102"), square(118.1, 24.0, 118.2, 24.1)),
            // An L-shaped cell: the box corner (118.25, 24.15) is outside it.
            (
                code("35020300100201"),
                vec![
                    (118.2, 24.0),
                    (118.3, 24.0),
                    (118.3, 24.05),
                    (118.21, 24.05),
                    (118.21, 24.3),
                    (118.2, 24.3),
                    (118.2, 24.0),
                ],
            ),
            (code("350203001001"), square(0.0, 0.0, 1.0, 1.0)),
        ]);
        assert_eq!(
            skipped,
            vec![code("350203001001")],
            "a community is not a grid cell"
        );
        idx
    }

    #[test]
    fn points_get_their_cell_and_its_parents() {
        let idx = index();
        let p = idx.locate(LatLng::new(24.05, 118.05).unwrap()).unwrap();
        assert_eq!(p.grid, code("35020300100101"));
        assert_eq!(p.community, code("350203001001"));
        assert_eq!(p.street, code("350203001"));
        assert_eq!(p.district, code("350203"));
        let q = idx.locate(LatLng::new(24.05, 118.15).unwrap()).unwrap();
        assert_eq!(q.grid, code("35020300100102"));
    }

    #[test]
    fn points_outside_every_cell_are_not_placed() {
        let idx = index();
        // At sea, south of the cells.
        assert!(idx.locate(LatLng::new(23.9, 118.05).unwrap()).is_none());
        // Inside the L's bounding box but outside the L.
        assert!(idx.locate(LatLng::new(24.2, 118.28).unwrap()).is_none());
        // On the shared edge: the first cell wins, nobody loses the point.
        let edge = idx.locate(LatLng::new(24.05, 118.1).unwrap()).unwrap();
        assert_eq!(edge.grid, code("35020300100101"));
    }

    #[test]
    fn community_anchor_is_inside_the_community() {
        let idx = index();
        let (p, placement) = idx.community_anchor(&code("350203001001")).unwrap();
        assert_eq!(idx.locate(p).unwrap(), placement);
        // The L-shaped cell's box centre is outside it, so there is no safe anchor.
        assert!(idx.community_anchor(&code("350203001002")).is_none());
        assert!(idx.community_anchor(&code("350203001009")).is_none());
    }
}
