//! `/api/v1/sorting/…`: the 红黑榜 and a community's twelve months.

use crate::open_data::api::{ApiError, ApiNames, error, ok, unavailable};
use crate::web::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A rate as a fraction; percent is absent when there is nothing to divide.
#[derive(Serialize, ToSchema)]
pub struct ApiRatio {
    pub part: u32,
    pub whole: u32,
    pub percent: Option<f64>,
}

fn ratio(r: Option<domain::workflow::board::Ratio>) -> Option<ApiRatio> {
    r.map(|r| ApiRatio {
        part: r.part,
        whole: r.whole,
        percent: r.percent(),
    })
}

/// 参与率, 准确率 (overall and per bin: recyclable, hazardous, kitchen, other), 知晓率 and the
/// coverage behind them, as defined on the dashboard.
#[derive(Serialize, ToSchema)]
pub struct ApiRates {
    pub participation: Option<ApiRatio>,
    pub accuracy: Option<ApiRatio>,
    pub accuracy_by_bin: Vec<Option<ApiRatio>>,
    pub awareness: Option<ApiRatio>,
    pub coverage: Option<ApiRatio>,
}

impl From<&domain::sorting::supervision::Rates> for ApiRates {
    fn from(r: &domain::sorting::supervision::Rates) -> Self {
        ApiRates {
            participation: ratio(r.participation),
            accuracy: ratio(r.accuracy),
            accuracy_by_bin: r.accuracy_by_bin.iter().map(|x| ratio(*x)).collect(),
            awareness: ratio(r.awareness),
            coverage: ratio(r.coverage),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ApiRankRow {
    pub code: String,
    pub names: ApiNames,
    pub rates: ApiRates,
}

#[derive(Serialize, ToSchema)]
pub struct ApiRanking {
    pub area_code: Option<String>,
    pub month: String,
    pub min_coverage_percent: u32,
    /// 红榜 first, 黑榜 last.
    pub ranked: Vec<ApiRankRow>,
    /// Below the minimum coverage.
    pub unranked: Vec<ApiRankRow>,
    pub area: Option<ApiRates>,
    pub city: ApiRates,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RankingQuery {
    /// A street (9 digits) or district (6 digits); the whole city when absent.
    #[serde(default)]
    pub area: Option<String>,
    /// "2026-11"; this month when absent.
    #[serde(default)]
    pub month: Option<String>,
}

/// 红黑榜: communities ranked by waste-sorting participation, then accuracy.
#[utoipa::path(get, path = "/api/v1/sorting/ranking", tag = "waste sorting", params(RankingQuery),
    responses((status = 200, body = ApiRanking), (status = 503, body = ApiError)))]
pub async fn ranking(State(state): State<AppState>, Query(q): Query<RankingQuery>) -> Response {
    let (area, month) = (q.area.unwrap_or_default(), q.month.unwrap_or_default());
    match state
        .server_context
        .sorting
        .sorting_ranking(&area, &month)
        .await
    {
        Ok(r) => {
            let rows = |rows: &[domain::ports::RankRow]| {
                rows.iter()
                    .map(|x| ApiRankRow {
                        code: x.code.clone(),
                        names: (&x.names).into(),
                        rates: (&x.rates).into(),
                    })
                    .collect()
            };
            ok(ApiRanking {
                area_code: r.area.as_ref().map(|(c, _)| c.clone()),
                month: r.month.clone(),
                min_coverage_percent: r.min_coverage_percent,
                ranked: rows(&r.ranked),
                unranked: rows(&r.unranked),
                area: r.area_rates.as_ref().map(Into::into),
                city: (&r.city).into(),
            })
        }
        Err(e) => unavailable(e),
    }
}

#[derive(Serialize, ToSchema)]
pub struct ApiMonth {
    pub month: String,
    pub rates: ApiRates,
}

#[derive(Serialize, ToSchema)]
pub struct ApiIssue {
    pub date: String,
    pub point: String,
    /// overflowing, mixed, bin_missing or other.
    pub kind: String,
    pub note: String,
    pub fixed: bool,
    /// The case it was handed over as.
    pub case_code: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiCommunitySorting {
    pub code: String,
    pub names: ApiNames,
    /// Twelve months, oldest first.
    pub months: Vec<ApiMonth>,
    pub issues: Vec<ApiIssue>,
}

/// One community's waste-sorting dashboard: twelve months of rates and the latest issues.
#[utoipa::path(get, path = "/api/v1/sorting/communities/{code}", tag = "waste sorting",
    params(("code" = String, Path, description = "A community's 12-digit code")),
    responses((status = 200, body = ApiCommunitySorting), (status = 404, body = ApiError),
        (status = 503, body = ApiError)))]
pub async fn community_sorting(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Response {
    match state
        .server_context
        .sorting
        .sorting_trend(&code, None)
        .await
    {
        Ok(Some(t)) => ok(ApiCommunitySorting {
            code: t.code.clone(),
            names: (&t.names).into(),
            months: t
                .months
                .iter()
                .map(|m| ApiMonth {
                    month: m.month.clone(),
                    rates: (&m.rates).into(),
                })
                .collect(),
            issues: t
                .issues
                .iter()
                .map(|i| ApiIssue {
                    date: i.date.clone(),
                    point: i.point.clone(),
                    kind: i.kind.clone(),
                    note: i.note.clone(),
                    fixed: i.fixed,
                    case_code: i.case_code.clone(),
                })
                .collect(),
        }),
        Ok(None) => error(StatusCode::NOT_FOUND, "no such community"),
        Err(e) => unavailable(e),
    }
}
