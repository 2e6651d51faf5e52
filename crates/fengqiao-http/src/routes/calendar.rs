//! The official calendar (法定节假日) as the console shows and administrators maintain it: a
//! year's days, newly published years, regional days off or working days, and a deadline
//! computed the way every legal clock computes it.

use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::{ApiJson, ApiQuery, CurrentUser};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use fengqiao_domain::calendar::{
    CalendarError, DayBasis, DeadlineRequest, WorkingCalendar, compute_deadline,
};
use fengqiao_domain::role::Role;
use fengqiao_store::rules::RegionalDayRow;
use serde::{Deserialize, Serialize};

/// Years the calendar holds and what administrators added.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CalendarOverview {
    /// Years whose national arrangement is published (working-day limits may run into them).
    pub published_years: Vec<i32>,
    /// Years added by administrators on top of the data shipped with the release.
    pub added_years: Vec<i32>,
    /// Regions with their own days, and how many.
    pub regional: Vec<RegionalCount>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RegionalCount {
    pub region_code: String,
    pub days: usize,
}

/// One date of a year.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CalendarDay {
    #[schema(value_type = String, format = Date)]
    pub date: NaiveDate,
    pub working: bool,
    /// workday | weekend | holiday | adjusted_workday
    pub kind: String,
    /// The holiday's name (also on a 调休 working day); the regional day's name where a region rule applies.
    pub holiday: Option<String>,
    /// The region whose own rule decided this day, if any.
    pub region: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CalendarYear {
    pub year: i32,
    /// The notice version (fingerprint of the published arrangement) the answers rest on.
    pub version: Option<String>,
    /// Official papers (国办发明电 …) the arrangement cites.
    pub papers: Vec<String>,
    pub working_days: usize,
    pub days: Vec<CalendarDay>,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RegionQuery {
    /// See the calendar as this region does (its own and its parents' regional days apply).
    pub region_code: Option<String>,
}

async fn region_path(state: &AppState, code: &str) -> ApiResult<String> {
    // Any region's calendar may be read; only setting its days is limited to its administrators.
    crate::routes::regions::path_of(state, &fengqiao_store::Scope::Everything, code).await
}

fn calendar_refusal(field: &str, e: &CalendarError) -> ApiError {
    let code = match e {
        CalendarError::Unpublished { .. } => "unpublished_year",
        _ => "invalid",
    };
    ApiError::invalid(field, code, e.to_string())
}

/// Published years and regional rules.
#[utoipa::path(get, path = "/api/v1/calendar", tag = "calendar",
    responses((status = 200, body = CalendarOverview), (status = 401, body = ErrorEnvelope)))]
pub async fn overview(
    State(state): State<AppState>,
    _me: CurrentUser,
) -> ApiResult<Json<CalendarOverview>> {
    let rules = state.store.rules();
    let regional = state
        .store
        .regional_days(None)
        .await?
        .into_iter()
        .fold(
            std::collections::BTreeMap::<String, usize>::new(),
            |mut m, d| {
                *m.entry(d.region_code).or_default() += 1;
                m
            },
        )
        .into_iter()
        .map(|(region_code, days)| RegionalCount { region_code, days })
        .collect();
    Ok(Json(CalendarOverview {
        published_years: rules.calendar.published_years(),
        added_years: rules.added_years.clone(),
        regional,
    }))
}

/// Every date of a year: working or not, and why. An unpublished year is refused, never guessed.
#[utoipa::path(get, path = "/api/v1/calendar/{year}", tag = "calendar",
    params(("year" = i32, Path), RegionQuery),
    responses((status = 200, body = CalendarYear), (status = 422, body = ErrorEnvelope)))]
pub async fn year(
    State(state): State<AppState>,
    _me: CurrentUser,
    Path(year): Path<i32>,
    ApiQuery(q): ApiQuery<RegionQuery>,
) -> ApiResult<Json<CalendarYear>> {
    let path = match &q.region_code {
        Some(code) => region_path(&state, code).await?,
        None => String::new(),
    };
    let rules = state.store.rules();
    let calendar = rules.calendar_for(&path);
    let (Some(first), Some(last)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Err(ApiError::invalid("year", "out_of_range", "年份超出范围"));
    };
    let mut days = Vec::with_capacity(366);
    for date in first.iter_days().take_while(|d| *d <= last) {
        let info = calendar
            .day(date)
            .map_err(|e| calendar_refusal("year", &e))?;
        days.push(CalendarDay {
            date,
            working: info.is_working(),
            kind: info.kind.code().to_owned(),
            holiday: info.holiday,
            region: info.region,
        });
    }
    let arrangement = rules.calendar.arrangement(year);
    Ok(Json(CalendarYear {
        year,
        version: arrangement.map(|a| a.version()),
        papers: arrangement.map(|a| a.papers().to_vec()).unwrap_or_default(),
        working_days: days.iter().filter(|d| d.working).count(),
        days,
    }))
}

/// A newly published year in the holiday-cn format (`{"year":2027,"papers":[…],"days":[…]}`).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct AddYearRequest {
    /// The year file as published (holiday-cn JSON), as an object.
    #[schema(value_type = Object)]
    pub source: serde_json::Value,
}

/// Adds a newly published year or replaces one by a corrected notice (city administrators).
#[utoipa::path(post, path = "/api/v1/calendar/years", tag = "calendar", request_body = AddYearRequest,
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn add_year(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(req): ApiJson<AddYearRequest>,
) -> ApiResult<Json<serde_json::Value>> {
    me.require_city_admin()?;
    if !req.source.is_object() {
        return Err(ApiError::invalid(
            "source",
            "not_object",
            "请提供国务院办公厅通知的年度安排（holiday-cn 格式 JSON 对象）",
        ));
    }
    let change = state
        .store
        .add_calendar_year(&me.audit(&state), &req.source.to_string())
        .await?;
    Ok(Json(serde_json::to_value(change).map_err(|e| {
        ApiError::Internal(format!("year change: {e}"))
    })?))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RegionalQuery {
    pub region_code: Option<String>,
}

/// Regional days off and working days.
#[utoipa::path(get, path = "/api/v1/calendar/regional-days", tag = "calendar", params(RegionalQuery),
    responses((status = 200, body = Object)))]
pub async fn regional_days(
    State(state): State<AppState>,
    _me: CurrentUser,
    ApiQuery(q): ApiQuery<RegionalQuery>,
) -> ApiResult<Json<Vec<RegionalDayRow>>> {
    Ok(Json(
        state.store.regional_days(q.region_code.as_deref()).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegionalDayRequest {
    /// true: a local day off (e.g. 壮族三月三); false: a local working day.
    pub off: bool,
    pub name: String,
}

fn parse_date(field: &str, text: &str) -> ApiResult<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| ApiError::invalid(field, "bad_date", "日期格式为 YYYY-MM-DD"))
}

/// Administrators whose jurisdiction holds the region set its own days.
fn require_region_admin(me: &CurrentUser, path: &str) -> ApiResult<()> {
    me.require(&[Role::Admin])?;
    if me.scope.covers(path) {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

/// Sets a region's own day off or working day on a date.
#[utoipa::path(put, path = "/api/v1/calendar/regional-days/{region_code}/{date}", tag = "calendar",
    params(("region_code" = String, Path), ("date" = String, Path)), request_body = RegionalDayRequest,
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn set_regional_day(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((region_code, date)): Path<(String, String)>,
    ApiJson(req): ApiJson<RegionalDayRequest>,
) -> ApiResult<Json<RegionalDayRow>> {
    let date = parse_date("date", &date)?;
    let path = region_path(&state, &region_code).await?;
    require_region_admin(&me, &path)?;
    Ok(Json(
        state
            .store
            .set_regional_day(&me.audit(&state), &region_code, date, req.off, &req.name)
            .await?,
    ))
}

/// Removes a region's rule for a date.
#[utoipa::path(delete, path = "/api/v1/calendar/regional-days/{region_code}/{date}", tag = "calendar",
    params(("region_code" = String, Path), ("date" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorEnvelope)))]
pub async fn remove_regional_day(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((region_code, date)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let date = parse_date("date", &date)?;
    let path = region_path(&state, &region_code).await?;
    require_region_admin(&me, &path)?;
    state
        .store
        .remove_regional_day(&me.audit(&state), &region_code, date)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeadlineQuery {
    /// The start event's date (not counted).
    pub start: String,
    pub days: u32,
    /// working | calendar
    pub basis: String,
    pub region_code: Option<String>,
}

/// A deadline computed as the legal clocks compute it, with its explanation.
#[utoipa::path(get, path = "/api/v1/calendar/deadline", tag = "calendar", params(DeadlineQuery),
    responses((status = 200, body = Object), (status = 422, body = ErrorEnvelope)))]
pub async fn deadline(
    State(state): State<AppState>,
    _me: CurrentUser,
    ApiQuery(q): ApiQuery<DeadlineQuery>,
) -> ApiResult<Json<serde_json::Value>> {
    let start = parse_date("start", &q.start)?;
    let basis = match q.basis.as_str() {
        "working" => DayBasis::Working,
        "calendar" => DayBasis::Calendar,
        _ => {
            return Err(ApiError::invalid(
                "basis",
                "unknown",
                "basis 为 working（工作日）或 calendar（自然日）",
            ));
        }
    };
    if q.days == 0 || q.days > 3650 {
        return Err(ApiError::invalid("days", "out_of_range", "天数为 1–3650"));
    }
    let path = match &q.region_code {
        Some(code) => region_path(&state, code).await?,
        None => String::new(),
    };
    let rules = state.store.rules();
    let request = DeadlineRequest {
        start,
        length: q.days,
        basis,
        paused: Vec::new(),
    };
    let d = compute_deadline(&rules.calendar_for(&path), &request)
        .map_err(|e| calendar_refusal("days", &e))?;
    Ok(Json(serde_json::to_value(d).map_err(|e| {
        ApiError::Internal(format!("deadline: {e}"))
    })?))
}
