//! Issues volunteers noted on shifts, in the council's hands: marked fixed, photos hidden or shown, handed to the department as a case (a two-step hand-over that a restart can finish).

use crate::kernel::store::{Store, StoreError};
use domain::calendar::Date;
use domain::territory::TerritoryCode;
use sqlx::Row;

#[derive(Debug, thiserror::Error)]
pub enum FixError {
    #[error("no such issue, or already fixed")]
    NotOpen,
    /// The case could not be filed (the point lies outside every grid, say).
    #[error("the case was refused: {0:?}")]
    CaseRefused(Vec<domain::cases::report::ReportProblem>),
    #[error("not allowed")]
    Forbidden,
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for FixError {
    fn from(e: sqlx::Error) -> Self {
        FixError::Store(StoreError::Query(e))
    }
}

/// The community's council marks an issue fixed (audited). Returns the community's code.
/// Whether `user_id` may manage the sorting issues of the point's community (its council).
async fn may_manage_issues(store: &Store, user_id: i64, community: &str) -> Result<(), FixError> {
    let code = TerritoryCode::parse(community)
        .map_err(|e| StoreError::Corrupt(format!("point community {community}: {e}")))?;
    if crate::kernel::access::allows(
        store,
        user_id,
        domain::access::Action::ManageSorting,
        &domain::access::Target::Territory(code),
    )
    .await?
    {
        Ok(())
    } else {
        Err(FixError::Forbidden)
    }
}

/// The community of an issue (an open one, if `open_only`) whose council this person is on.
async fn managed_issue(
    store: &Store,
    user_id: i64,
    issue: i64,
    open_only: bool,
) -> Result<String, FixError> {
    let community: Option<String> = sqlx::query_scalar(
        "SELECT p.community_code FROM shift_issues i JOIN shifts s ON s.id = i.shift_id \
         JOIN collection_points p ON p.id = s.point_id \
         WHERE i.id = $1 AND (i.fixed_at IS NULL OR $2 = 0)",
    )
    .bind(issue)
    .bind(i64::from(open_only))
    .fetch_optional(store.pool())
    .await?;
    let Some(community) = community else {
        return Err(FixError::NotOpen);
    };
    may_manage_issues(store, user_id, &community).await?;
    Ok(community)
}

/// The council hides (or shows again) a volunteer's issue photos: hidden ones answer 404 to the
/// public and leave the community's page. Audited.
pub async fn set_issue_photos_hidden(
    store: &Store,
    user_id: i64,
    issue: i64,
    hide: bool,
    now: i64,
) -> Result<String, FixError> {
    let community = managed_issue(store, user_id, issue, false).await?;
    let mut tx = store.begin_write().await?;
    sqlx::query("UPDATE shift_issue_photos SET hidden = $1 WHERE issue_id = $2")
        .bind(i64::from(hide))
        .bind(issue)
        .execute(&mut *tx)
        .await?;
    crate::kernel::audit::record(
        &mut tx,
        Some(user_id),
        if hide {
            "sorting.issue.photos.hide"
        } else {
            "sorting.issue.photos.show"
        },
        &issue.to_string(),
        &serde_json::json!({ "community": community }),
        "",
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(community)
}

pub async fn mark_fixed(
    store: &Store,
    user_id: i64,
    issue: i64,
    now: i64,
) -> Result<String, FixError> {
    let community = managed_issue(store, user_id, issue, true).await?;
    let mut tx = store.begin_write().await?;
    let done =
        sqlx::query("UPDATE shift_issues SET fixed_at = $1 WHERE id = $2 AND fixed_at IS NULL")
            .bind(now)
            .bind(issue)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if done == 0 {
        return Err(FixError::NotOpen);
    }
    crate::kernel::audit::record(
        &mut tx,
        Some(user_id),
        "sorting.issue.fixed",
        &issue.to_string(),
        &serde_json::json!({ "community": community }),
        "",
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(community)
}

/// What `shift_issues.case_code` holds while a hand-over is under way, so a second click cannot
/// file a second case.
pub(crate) const HANDING_OVER: &str = "pending:";

/// The community's council hands an open issue to the responsible department as an ordinary case
/// (source `shift`, at the point, with copies of the issue's photos, the council member as its
/// reporter and follower), audited. Returns the community's code and the case's tracking code.
pub async fn hand_over(
    store: &Store,
    cases: &crate::cases::Cases,
    user_id: i64,
    issue: i64,
    now: i64,
) -> Result<(String, String), FixError> {
    let row = sqlx::query(
        "SELECT i.kind, i.note, s.day, p.name, p.lat, p.lng, p.community_code FROM shift_issues i \
         JOIN shifts s ON s.id = i.shift_id JOIN collection_points p ON p.id = s.point_id \
         WHERE i.id = $1 AND i.fixed_at IS NULL AND i.case_code IS NULL",
    )
    .bind(issue)
    .fetch_optional(store.pool())
    .await?
    .ok_or(FixError::NotOpen)?;
    let community: String = row.try_get("community_code")?;
    may_manage_issues(store, user_id, &community).await?;
    // Claim the issue first: of two clicks, only one files a case.
    let claimed =
        sqlx::query("UPDATE shift_issues SET case_code = $1 WHERE id = $2 AND case_code IS NULL")
            .bind(format!("{HANDING_OVER}{issue}"))
            .bind(issue)
            .execute(store.pool())
            .await?
            .rows_affected();
    if claimed == 0 {
        return Err(FixError::NotOpen);
    }
    let filed = file_issue_case(store, cases, user_id, issue, &row, now).await;
    let case_code = match filed {
        Ok(c) => c,
        Err(e) => {
            sqlx::query("UPDATE shift_issues SET case_code = NULL WHERE id = $1")
                .bind(issue)
                .execute(store.pool())
                .await?;
            return Err(e);
        }
    };
    let mut tx = store.begin_write().await?;
    sqlx::query("UPDATE shift_issues SET case_code = $1 WHERE id = $2")
        .bind(&case_code)
        .bind(issue)
        .execute(&mut *tx)
        .await?;
    crate::kernel::audit::record(
        &mut tx,
        Some(user_id),
        "sorting.issue.case",
        &issue.to_string(),
        &serde_json::json!({ "community": community, "case": case_code }),
        "",
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((community, case_code))
}

/// The case for a shift issue: category by kind, the point's place, the note, copied photos.
async fn file_issue_case(
    store: &Store,
    cases: &crate::cases::Cases,
    user_id: i64,
    issue: i64,
    row: &sqlx::any::AnyRow,
    now: i64,
) -> Result<String, FixError> {
    let kind: String = row.try_get("kind")?;
    let (category, what) = match kind.as_str() {
        "overflowing" => ("S0301", "垃圾桶满溢"),
        "bin_missing" => ("B0401", "投放点缺少垃圾桶"),
        "mixed" => ("S0302", "混投混放"),
        _ => ("S0302", "投放点问题"),
    };
    let point: String = row.try_get("name")?;
    let note: String = row.try_get("note")?;
    let date = Date::from_day_number(row.try_get("day")?);
    let values = domain::ports::ReportValues {
        category: category.to_owned(),
        description: format!("督导员值守记录（{date}，{point}）：{what}。{note}"),
        lat: format!("{:.6}", row.try_get::<f64, _>("lat")?),
        lng: format!("{:.6}", row.try_get::<f64, _>("lng")?),
        location_source: "map".to_owned(),
        address: point,
        ..Default::default()
    };
    // Copies, so the case's photos and the issue's can be hidden or removed separately.
    let keys: Vec<(String, String, i64, i64)> = sqlx::query(
        "SELECT full_key, thumb_key, width, height FROM shift_issue_photos WHERE issue_id = $1 \
         AND hidden = 0 ORDER BY position",
    )
    .bind(issue)
    .fetch_all(store.pool())
    .await?
    .iter()
    .map(|r| {
        Ok((
            r.try_get("full_key")?,
            r.try_get("thumb_key")?,
            r.try_get("width")?,
            r.try_get("height")?,
        ))
    })
    .collect::<Result<_, sqlx::Error>>()?;
    let mut photos = Vec::new();
    let mut stored_keys = Vec::new();
    let media = cases.media();
    for (full, thumb, w, h) in keys {
        let mut copy = Vec::with_capacity(2);
        for key in [&full, &thumb] {
            let bytes = media
                .get(key)
                .await
                .map_err(|e| StoreError::Corrupt(format!("issue photo {key}: {e}")))?
                .ok_or_else(|| StoreError::Corrupt(format!("issue photo {key} is missing")))?;
            let new_key = key.replace(".jpg", "_c.jpg");
            if let Err(e) = media.put(&new_key, bytes.to_vec()).await {
                media.delete_all(&stored_keys).await;
                return Err(StoreError::Corrupt(format!("copying {key}: {e}")).into());
            }
            stored_keys.push(new_key.clone());
            copy.push(new_key);
        }
        photos.push((
            copy[0].clone(),
            copy[1].clone(),
            u32::try_from(w).unwrap_or_default(),
            u32::try_from(h).unwrap_or_default(),
        ));
    }
    match cases
        .file_handed_over(
            &values,
            photos,
            Some(user_id),
            crate::cases::Origin {
                source: domain::cases::case::CaseSource::Shift,
                api_key: None,
            },
            now,
        )
        .await
    {
        Ok(code) => Ok(code.to_string()),
        Err(crate::cases::SubmitError::Invalid(p)) => Err(FixError::CaseRefused(p)),
        Err(crate::cases::SubmitError::Store(e)) => Err(e.into()),
        Err(e) => Err(StoreError::Corrupt(e.to_string()).into()),
    }
}
