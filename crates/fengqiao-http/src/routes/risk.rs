//! Risk rules API (风险模型): the rule catalogue with versions, editing a rule's parameters, a dry
//! run of any rule (or of edited parameters) over past records, fraud reports scored as they are
//! filed, and the dissuasion tasks (劝阻) they produce.

use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::{ApiJson, ApiQuery, CurrentUser};
use crate::risk_engine::filing_hits;
use crate::routes::Paging;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::NaiveDate;
use fengqiao_domain::risk::{FraudFeatures, RiskRule, RuleParams};
use fengqiao_domain::role::Role;
use fengqiao_domain::time::Timestamp;
use fengqiao_store::Page;
use fengqiao_store::risk::{
    DissuasionTaskRow, FraudOutcome, FraudReportRow, NewFraudReport, RuleVersionRow,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(paths(
    list_rules,
    rule_detail,
    revise_rule,
    dry_run,
    file_report,
    list_reports,
    list_tasks,
    finish_task
))]
pub struct Api;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/risk-rules", get(list_rules))
        .route("/risk-rules/{id}", get(rule_detail).put(revise_rule))
        .route("/risk-rules/{id}/dry-run", post(dry_run))
        .route("/fraud-reports", get(list_reports).post(file_report))
        .route("/dissuasion-tasks", get(list_tasks))
        .route("/dissuasion-tasks/{id}/finish", post(finish_task))
}

/// Who may change a rule: the command centre's admins and analysts.
const RULE_EDITORS: [Role; 2] = [Role::Admin, Role::Analyst];
/// Who files fraud reports: the centre, grid workers and department staff (police included).
const REPORTERS: [Role; 5] = [
    Role::Commander,
    Role::Admin,
    Role::Analyst,
    Role::GridWorker,
    Role::Handler,
];

fn staff(me: &CurrentUser) -> ApiResult<()> {
    if me.has(Role::Citizen) && me.roles.len() == 1 {
        Err(ApiError::Forbidden)
    } else {
        Ok(())
    }
}

/// A rule as the console shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RuleView {
    pub id: String,
    pub version: u32,
    pub name_zh: String,
    pub kind: String,
    pub enabled: bool,
    #[schema(value_type = Object)]
    pub params: RuleParams,
}

impl From<RiskRule> for RuleView {
    fn from(r: RiskRule) -> Self {
        RuleView {
            kind: r.params.kind().to_owned(),
            id: r.id,
            version: r.version,
            name_zh: r.name_zh,
            enabled: r.enabled,
            params: r.params,
        }
    }
}

/// Every risk rule in force, with its parameters and version.
#[utoipa::path(get, path = "/api/v1/risk-rules", tag = "risk",
    responses((status = 200, body = Vec<RuleView>), (status = 403, body = ErrorEnvelope)))]
pub async fn list_rules(
    State(state): State<AppState>,
    me: CurrentUser,
) -> ApiResult<Json<Vec<RuleView>>> {
    staff(&me)?;
    let rules = state.store.risk_rules().await?;
    Ok(Json(rules.into_iter().map(RuleView::from).collect()))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RuleDetail {
    pub rule: RuleView,
    /// Stored versions, newest first (empty while the shipped default is in force).
    #[schema(value_type = Vec<Object>)]
    pub versions: Vec<RuleVersionRow>,
}

/// One rule with its version history.
#[utoipa::path(get, path = "/api/v1/risk-rules/{id}", tag = "risk",
    params(("id" = String, Path)),
    responses((status = 200, body = RuleDetail), (status = 404, body = ErrorEnvelope)))]
pub async fn rule_detail(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<RuleDetail>> {
    staff(&me)?;
    let rule = state.store.risk_rule(&id).await?;
    let versions = state.store.risk_rule_versions(&id).await?;
    Ok(Json(RuleDetail {
        rule: rule.into(),
        versions,
    }))
}

/// A new version of a rule's parameters.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviseRule {
    /// The version being replaced (a stale one is refused with 409).
    pub version: u32,
    pub enabled: bool,
    /// The parameters of the rule's kind (`{"kind":"repeat_petition", …}`).
    #[schema(value_type = Object)]
    pub params: serde_json::Value,
}

fn parse_params(value: serde_json::Value) -> ApiResult<RuleParams> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." {
            "params".to_owned()
        } else {
            format!("params.{path}")
        };
        ApiError::invalid(&field, "invalid", e.into_inner().to_string())
    })
}

/// Stores new parameters (or switches the rule on or off) as the rule's next version.
#[utoipa::path(put, path = "/api/v1/risk-rules/{id}", tag = "risk",
    params(("id" = String, Path)), request_body = ReviseRule,
    responses((status = 200, body = RuleView), (status = 403, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn revise_rule(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReviseRule>,
) -> ApiResult<Json<RuleView>> {
    if !RULE_EDITORS.iter().any(|r| me.has(*r)) {
        return Err(ApiError::Forbidden);
    }
    let params = parse_params(body.params)?;
    let rule = state
        .store
        .revise_risk_rule(&me.audit(&state), &id, body.version, params, body.enabled)
        .await?;
    Ok(Json(rule.into()))
}

/// A dry run: the rule (or edited parameters for it) over the records of a period.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DryRunRequest {
    /// First day (China time) of the records replayed.
    #[schema(value_type = String, format = Date)]
    pub from: NaiveDate,
    /// Last day, inclusive.
    #[schema(value_type = String, format = Date)]
    pub to: NaiveDate,
    /// Parameters to try instead of the stored ones (same kind as the rule).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub params: Option<serde_json::Value>,
}

/// What a rule would have raised.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DryRunHit {
    /// The record that triggered it (case or fraud report id).
    pub record_id: String,
    pub at: String,
    pub level: String,
    pub group_key: String,
    pub title: String,
    pub explanation: Vec<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DryRunResult {
    pub rule_id: String,
    /// Records replayed in the period.
    pub evaluated: usize,
    /// Hits, in the order they would have happened (at most 500 listed).
    pub hits: Vec<DryRunHit>,
    pub hit_count: usize,
    /// Distinct alerts the hits would have raised (later hits on one key update it).
    pub alerts: usize,
    /// Alerts by level.
    pub by_level: BTreeMap<String, usize>,
}

/// The most records a dry run replays.
const DRY_RUN_LIMIT: u64 = 50_000;

/// Replays a rule over past records without writing anything: what it would have raised.
#[utoipa::path(post, path = "/api/v1/risk-rules/{id}/dry-run", tag = "risk",
    params(("id" = String, Path)), request_body = DryRunRequest,
    responses((status = 200, body = DryRunResult), (status = 404, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)))]
pub async fn dry_run(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DryRunRequest>,
) -> ApiResult<Json<DryRunResult>> {
    staff(&me)?;
    if body.to < body.from {
        return Err(ApiError::invalid(
            "to",
            "before_from",
            "结束日期早于开始日期",
        ));
    }
    if (body.to - body.from).num_days() > 731 {
        return Err(ApiError::invalid(
            "to",
            "too_long",
            "试运行期间不能超过两年",
        ));
    }
    let stored = state.store.risk_rule(&id).await?;
    let mut rule = match body.params {
        Some(params) => stored
            .revised(parse_params(params)?, true)
            .map_err(|e| ApiError::invalid("params", "invalid", e.to_string()))?,
        None => stored,
    };
    rule.enabled = true;
    let since = Timestamp::start_of_china_day(body.from);
    let until = Timestamp::start_of_china_day(body.to + chrono::Duration::days(1)).plus_seconds(0);
    let until = Timestamp::from_micros(until.as_micros() - 1);
    let mut hits = Vec::new();
    let evaluated;
    match &rule.params {
        RuleParams::Fraud(model) => {
            let reports = state
                .store
                .fraud_reports_between(since.as_micros(), until.as_micros(), DRY_RUN_LIMIT)
                .await?;
            evaluated = reports.len();
            for r in &reports {
                let Ok(features) = serde_json::from_str::<FraudFeatures>(&r.features_json) else {
                    continue;
                };
                let score = model.score(&features);
                if let Some(level) = score.level {
                    hits.push(DryRunHit {
                        record_id: r.id.clone(),
                        at: Timestamp::from_micros(r.created_at).to_rfc3339(),
                        level: level.code().to_owned(),
                        group_key: format!("fraud_report:{}", r.id),
                        title: format!("{}：{}", model.scheme.label_zh(), r.victim_name),
                        explanation: score.explanation,
                    });
                }
            }
        }
        RuleParams::RepeatPetition(_) | RuleParams::CivilToCriminal(_) => {
            let window = crate::risk_engine::filing_window_days(std::slice::from_ref(&rule));
            // Earlier filings reach back one window before the period, as they did live.
            let lookback = since.plus_seconds(-i64::from(window) * 86_400);
            let filings = state
                .store
                .filings_between(lookback, until, DRY_RUN_LIMIT)
                .await?;
            let mut by_respondent: HashMap<&str, Vec<usize>> = HashMap::new();
            let mut count = 0;
            for (i, f) in filings.iter().enumerate() {
                let earlier: Vec<_> = by_respondent
                    .get(f.respondent_key.as_str())
                    .map(|ids| ids.iter().map(|&j| filings[j].clone()).collect())
                    .unwrap_or_default();
                if f.filed_at >= since {
                    count += 1;
                    for (_, _, _, hit) in filing_hits(std::slice::from_ref(&rule), f, &earlier) {
                        hits.push(DryRunHit {
                            record_id: f.case_id.clone(),
                            at: f.filed_at.to_rfc3339(),
                            level: hit.level.code().to_owned(),
                            group_key: hit.group_key,
                            title: hit.title,
                            explanation: hit.explanation,
                        });
                    }
                }
                if !f.respondent_key.is_empty() {
                    by_respondent
                        .entry(f.respondent_key.as_str())
                        .or_default()
                        .push(i);
                }
            }
            evaluated = count;
        }
        RuleParams::MassInvolvement(_) => {
            return Err(ApiError::invalid(
                "id",
                "no_dry_run",
                "涉众型风险在受理时于同一事务内研判，暂不支持试运行",
            ));
        }
    }
    // Later hits on a key fold into its alert, whose level only rises.
    let mut alerts: BTreeMap<&str, &str> = BTreeMap::new();
    for h in &hits {
        let level = alerts
            .entry(h.group_key.as_str())
            .or_insert(h.level.as_str());
        if rank(&h.level) > rank(level) {
            *level = h.level.as_str();
        }
    }
    let mut by_level = BTreeMap::new();
    for level in alerts.values() {
        *by_level.entry((*level).to_owned()).or_insert(0) += 1;
    }
    let hit_count = hits.len();
    let alert_count = alerts.len();
    hits.truncate(500);
    Ok(Json(DryRunResult {
        rule_id: id,
        evaluated,
        hits,
        hit_count,
        alerts: alert_count,
        by_level,
    }))
}

fn rank(level: &str) -> u8 {
    match level {
        "red" => 4,
        "orange" => 3,
        "yellow" => 2,
        _ => 1,
    }
}

/// A reported telecom-fraud incident or tip-off.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FraudReportRequest {
    /// `incident` (已发警情) or `tip_off` (预警线索).
    pub kind: String,
    /// `110`, `96110`, `grid_worker`, `bank`, `hotline_12345` or `other`.
    pub received_via: String,
    pub victim_name: String,
    #[serde(default)]
    pub victim_phone: Option<String>,
    /// The grid the victim lives in (its region is the report's place) …
    #[serde(default)]
    pub grid_code: Option<String>,
    /// … or any region code when the grid is not known.
    #[serde(default)]
    pub region_code: Option<String>,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lng: Option<f64>,
    #[serde(default)]
    pub address: String,
    /// What happened, as told.
    pub narrative: String,
    pub features: FraudFeatures,
}

const VIA: [&str; 6] = [
    "110",
    "96110",
    "grid_worker",
    "bank",
    "hotline_12345",
    "other",
];

/// Files a fraud report; the enabled fraud models score it at once, and a warning raises an
/// alert and a dissuasion task for the grid or the police.
#[utoipa::path(post, path = "/api/v1/fraud-reports", tag = "risk",
    request_body = FraudReportRequest,
    responses((status = 201, body = Object), (status = 403, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)))]
pub async fn file_report(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(body): ApiJson<FraudReportRequest>,
) -> ApiResult<(StatusCode, Json<FraudOutcome>)> {
    if !REPORTERS.iter().any(|r| me.has(*r)) {
        return Err(ApiError::Forbidden);
    }
    let mut errors = Vec::new();
    let mut bad = |field: &str, message: &str| {
        errors.push(fengqiao_domain::validation::FieldError::new(
            field, "invalid", message,
        ));
    };
    if !matches!(body.kind.as_str(), "incident" | "tip_off") {
        bad("kind", "须为 incident（已发警情）或 tip_off（预警线索）");
    }
    if !VIA.contains(&body.received_via.as_str()) {
        bad(
            "received_via",
            "须为 110、96110、grid_worker、bank、hotline_12345 或 other",
        );
    }
    let name_len = body.victim_name.trim().chars().count();
    if !(1..=50).contains(&name_len) {
        bad("victim_name", "须为 1–50 字");
    }
    if let Some(phone) = body
        .victim_phone
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        && !(phone.trim().len() == 11 && phone.trim().chars().all(|c| c.is_ascii_digit()))
    {
        bad("victim_phone", "须为 11 位手机号码");
    }
    let narrative_len = body.narrative.trim().chars().count();
    if !(1..=5000).contains(&narrative_len) {
        bad("narrative", "须写明经过（1–5000 字）");
    }
    if body.features.amount_fen < 0 {
        bad("features.amount_fen", "金额不能为负");
    }
    if body.features.victim_age.is_some_and(|a| a > 120) {
        bad("features.victim_age", "年龄须在 0–120 之间");
    }
    match (body.lat, body.lng) {
        (Some(lat), Some(lng))
            if !((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lng)) =>
        {
            bad("lat", "坐标超出范围");
        }
        (Some(_), None) | (None, Some(_)) => bad("lng", "经纬度须同时给出"),
        _ => {}
    }
    if body.grid_code.is_none() && body.region_code.is_none() {
        bad("grid_code", "须给出网格或行政区划");
    }
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    let code = body
        .grid_code
        .as_deref()
        .or(body.region_code.as_deref())
        .unwrap_or_default();
    let field = if body.grid_code.is_some() {
        "grid_code"
    } else {
        "region_code"
    };
    let region = state.store.get_region(&me.scope, code).await.map_err(|_| {
        ApiError::invalid(field, "unknown", "没有这个网格或行政区划，或不在您的辖区内")
    })?;
    let rules = state.store.risk_rules().await?;
    let now = state.clock.now();
    let id = uuid::Uuid::now_v7().to_string();
    let number = format!(
        "FZ{}{}",
        now.china_date().format("%Y%m%d"),
        &id.replace('-', "")[20..28].to_uppercase()
    );
    let outcome = state
        .store
        .file_fraud_report(
            &me.audit(&state),
            &state.cipher,
            &NewFraudReport {
                id,
                number,
                kind: body.kind,
                received_via: body.received_via,
                victim_name: body.victim_name.trim().to_owned(),
                victim_phone: body.victim_phone,
                region_path: region.path.clone(),
                grid_code: body.grid_code.filter(|_| region.level == "grid"),
                lat: body.lat,
                lng: body.lng,
                address: body.address.trim().to_owned(),
                narrative: body.narrative.trim().to_owned(),
                features: body.features,
            },
            &rules,
        )
        .await?;
    state.alert_feed.poke();
    Ok((StatusCode::CREATED, Json(outcome)))
}

/// Fraud reports in the caller's jurisdiction, newest first.
#[utoipa::path(get, path = "/api/v1/fraud-reports", tag = "risk", params(Paging),
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope)))]
pub async fn list_reports(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(p): ApiQuery<Paging>,
) -> ApiResult<Json<Page<FraudReportRow>>> {
    staff(&me)?;
    Ok(Json(
        state
            .store
            .list_fraud_reports(&me.scope, p.request())
            .await?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TaskQuery {
    /// Only tasks still open.
    pub open: Option<bool>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// Dissuasion tasks in the caller's jurisdiction, newest first.
#[utoipa::path(get, path = "/api/v1/dissuasion-tasks", tag = "risk", params(TaskQuery),
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope)))]
pub async fn list_tasks(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<TaskQuery>,
) -> ApiResult<Json<Page<DissuasionTaskRow>>> {
    staff(&me)?;
    let paging = Paging {
        page: q.page,
        per_page: q.per_page,
    };
    Ok(Json(
        state
            .store
            .list_dissuasion_tasks(&me.scope, q.open.unwrap_or(false), paging.request())
            .await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FinishTask {
    /// `dissuaded` (劝阻成功) or `failed` (未能劝阻).
    pub status: String,
    /// What was done: who was reached, how, and what they said.
    pub outcome: String,
}

/// Records the outcome of a dissuasion task.
#[utoipa::path(post, path = "/api/v1/dissuasion-tasks/{id}/finish", tag = "risk",
    params(("id" = String, Path)), request_body = FinishTask,
    responses((status = 200, body = Object), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn finish_task(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<FinishTask>,
) -> ApiResult<Json<DissuasionTaskRow>> {
    if !REPORTERS.iter().any(|r| me.has(*r)) {
        return Err(ApiError::Forbidden);
    }
    let task = state.store.dissuasion_task(&id).await?;
    if !me.scope.covers(&task.region_path) {
        return Err(ApiError::NotFound {
            entity: "dissuasion_task",
        });
    }
    let row = state
        .store
        .finish_dissuasion(&me.audit(&state), &id, &body.status, &body.outcome)
        .await?;
    Ok(Json(row))
}
