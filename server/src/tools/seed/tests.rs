use super::city::{DISTRICTS, GRID_SIDE};
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
