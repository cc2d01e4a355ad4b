//! Open cases near a point (the report form's "is this already reported?"), and a neighbour's 我也遇到.

use crate::cases::map::Positions;
use crate::cases::{Cases, MeToo, SubmitError, excerpt};
use crate::kernel::rate::Bucket;
use crate::kernel::secrets::sha256_hex;
use crate::kernel::store::StoreError;
use domain::cases::case::CaseStage;
use domain::cases::report::NEARBY_RADIUS_M;
use domain::cases::tracking::TrackingCode;
use domain::geo::LatLng;
use domain::ports::{Names, NearbyCase};
use sqlx::Row;

impl Cases {
    /// Open cases of a category within 200 m of a point, nearest first, measured to their public
    /// positions: anyone may ask this, so it must not reveal more than the map does.
    pub async fn nearby(
        &self,
        category: &str,
        lat: f64,
        lng: f64,
    ) -> Result<Vec<NearbyCase>, StoreError> {
        self.nearby_by(category, lat, lng, Positions::Public).await
    }

    /// For each of these cases, how many other open cases of its category lie within 200 m of its
    /// exact position (the operator queue's "similar cases nearby"): one query for the whole queue
    /// instead of one per case.
    pub async fn nearby_counts(
        &self,
        codes: &[String],
    ) -> Result<std::collections::HashMap<String, u32>, StoreError> {
        let mut counts = std::collections::HashMap::new();
        if codes.is_empty() {
            return Ok(counts);
        }
        let dlat = NEARBY_RADIUS_M / 111_000.0;
        // Wide enough in longitude anywhere below 55° N (every Chinese city); the exact distance
        // is checked below.
        let dlng = NEARBY_RADIUS_M / (111_000.0 * 55f64.to_radians().cos());
        let list: Vec<String> = (0..codes.len()).map(|i| format!("${}", i + 4)).collect();
        let sql = format!(
            "SELECT c.tracking_code AS code, c.lat AS clat, c.lng AS clng, o.lat AS olat, \
             o.lng AS olng FROM cases c JOIN cases o ON o.category_code = c.category_code \
             AND o.id <> c.id AND o.stage <> $1 \
             AND o.lat BETWEEN c.lat - $2 AND c.lat + $2 AND o.lng BETWEEN c.lng - $3 AND c.lng + $3 \
             WHERE c.tracking_code IN ({})",
            list.join(", ")
        );
        let mut query = sqlx::query(&sql)
            .bind(CaseStage::Closed.as_str())
            .bind(dlat)
            .bind(dlng);
        for code in codes {
            query = query.bind(code);
        }
        for r in query.fetch_all(self.store.pool()).await? {
            let (Ok(centre), Ok(other)) = (
                LatLng::new(r.try_get("clat")?, r.try_get("clng")?),
                LatLng::new(r.try_get("olat")?, r.try_get("olng")?),
            ) else {
                continue;
            };
            if centre.distance_m(other) <= NEARBY_RADIUS_M {
                *counts.entry(r.try_get::<String, _>("code")?).or_insert(0) += 1;
            }
        }
        Ok(counts)
    }

    /// The same for staff in scope, measured to the exact positions.
    pub async fn nearby_exact(
        &self,
        category: &str,
        lat: f64,
        lng: f64,
    ) -> Result<Vec<NearbyCase>, StoreError> {
        self.nearby_by(category, lat, lng, Positions::Exact).await
    }

    async fn nearby_by(
        &self,
        category: &str,
        lat: f64,
        lng: f64,
        positions: Positions,
    ) -> Result<Vec<NearbyCase>, StoreError> {
        let (lat_col, lng_col) = positions.columns();
        let Ok(centre) = LatLng::new(lat, lng) else {
            return Ok(Vec::new());
        };
        // A box a little larger than the circle, then the exact distance.
        let dlat = NEARBY_RADIUS_M / 111_000.0;
        let dlng = NEARBY_RADIUS_M / (111_000.0 * lat.to_radians().cos().max(0.01));
        let sql = format!(
            "SELECT c.tracking_code, c.description, c.public_description, c.{lat_col} AS lat, \
             c.{lng_col} AS lng, c.stage, c.me_too_count, c.created_at, cat.name_zh, cat.name_en \
             FROM cases c JOIN categories cat ON cat.code = c.category_code \
             WHERE c.category_code = $1 AND c.{lat_col} BETWEEN $2 AND $3 \
             AND c.{lng_col} BETWEEN $4 AND $5 \
             AND c.stage <> $6 ORDER BY c.created_at DESC LIMIT 200"
        );
        let rows = sqlx::query(&sql)
            .bind(category)
            .bind(lat - dlat)
            .bind(lat + dlat)
            .bind(lng - dlng)
            .bind(lng + dlng)
            .bind(CaseStage::Closed.as_str())
            .fetch_all(self.store.pool())
            .await?;
        let mut found = Vec::new();
        for r in rows {
            let Ok(p) = LatLng::new(r.try_get("lat")?, r.try_get("lng")?) else {
                continue;
            };
            let distance = centre.distance_m(p);
            if distance > NEARBY_RADIUS_M {
                continue;
            }
            let stage_raw: String = r.try_get("stage")?;
            let text: String = domain::privacy::public_text(
                r.try_get("public_description")?,
                &r.try_get::<String, _>("description")?,
            );
            found.push(NearbyCase {
                code: r.try_get("tracking_code")?,
                category: Names {
                    zh: r.try_get("name_zh")?,
                    en: r.try_get("name_en")?,
                },
                excerpt: excerpt(&text, 60),
                distance_m: positions.shown_distance(distance),
                stage: CaseStage::parse(&stage_raw).unwrap_or(CaseStage::Reported),
                me_too: u32::try_from(r.try_get::<i64, _>("me_too_count")?).unwrap_or(0),
                created_ms: r.try_get("created_at")?,
            });
        }
        found.sort_by_key(|c| c.distance_m);
        found.truncate(5);
        Ok(found)
    }

    /// "我也遇到": a neighbour joins an open case. Counted once per person (or signed-out visitor
    /// session); a signed-in neighbour also follows it. Returns false if it was already counted.
    pub async fn me_too(
        &self,
        code: &str,
        user_id: Option<i64>,
        visitor_session: Option<&str>,
        client: &str,
        now: i64,
    ) -> Result<MeToo, SubmitError> {
        let supporter = match (user_id, visitor_session) {
            (Some(u), _) => format!("u:{u}"),
            (None, Some(s)) => format!("s:{}", sha256_hex(&[s])),
            (None, None) => return Ok(MeToo::NoSession),
        };
        let Ok(parsed) = TrackingCode::parse(code) else {
            return Ok(MeToo::NoSuchCase);
        };
        self.limits.reserve(Bucket::MeToo, client, now).await?;
        let mut tx = self.store.begin_write().await?;
        let Some(row) = sqlx::query("SELECT id, stage FROM cases WHERE tracking_code = $1")
            .bind(parsed.to_string())
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Ok(MeToo::NoSuchCase);
        };
        let id: i64 = row.try_get("id")?;
        let stage: String = row.try_get("stage")?;
        if CaseStage::parse(&stage).is_none_or(|s| !s.is_open()) {
            return Ok(MeToo::Closed);
        }
        let added = sqlx::query(
            "INSERT INTO case_supporters (case_id, supporter, since) VALUES ($1, $2, $3) \
             ON CONFLICT (case_id, supporter) DO NOTHING",
        )
        .bind(id)
        .bind(&supporter)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if added == 1 {
            sqlx::query(
                "UPDATE cases SET me_too_count = me_too_count + 1, updated_at = $2 WHERE id = $1",
            )
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(uid) = user_id {
            sqlx::query(
                "INSERT INTO case_followers (case_id, user_id, since) VALUES ($1, $2, $3) \
                 ON CONFLICT (case_id, user_id) DO NOTHING",
            )
            .bind(id)
            .bind(uid)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        if added == 1 {
            self.announce(&parsed).await;
        }
        Ok(if added == 1 {
            MeToo::Counted
        } else {
            MeToo::AlreadyCounted
        })
    }
}
