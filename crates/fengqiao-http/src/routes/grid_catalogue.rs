//! Grid event categories and dispatch rules as data, edited by city administrators.

use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::{ApiJson, CurrentUser};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::routing::{get, put};
use axum::{Json, Router};
use fengqiao_domain::grid_event::{CategoryAttribute, DispatchRule};
use fengqiao_store::grid_events::{CategoryRow, DispatchRuleRow};
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(paths(categories, save_category, rules, save_rule, departments))]
pub struct Api;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/grid-event-categories", get(categories))
        .route("/grid-event-categories/{code}", put(save_category))
        .route("/grid-dispatch-rules", get(rules))
        .route("/grid-dispatch-rules/{id}", put(save_rule))
        .route("/grid-departments", get(departments))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CategoryView {
    pub code: String,
    pub name_zh: String,
    pub group_zh: String,
    pub description: String,
    pub dispute_type: Option<String>,
    pub attributes: Vec<CategoryAttribute>,
    pub keywords: Vec<String>,
    pub public: bool,
    pub active: bool,
}

impl CategoryView {
    pub fn from_row(row: &CategoryRow) -> Self {
        Self {
            code: row.code.clone(),
            name_zh: row.name_zh.clone(),
            group_zh: row.group_zh.clone(),
            description: row.description.clone(),
            dispute_type: row.dispute_type.clone(),
            attributes: serde_json::from_str(&row.attributes_json).unwrap_or_default(),
            keywords: row.keyword_list().into_iter().map(str::to_owned).collect(),
            public: row.public,
            active: row.active,
        }
    }
}

/// Event categories with their extra attributes.
#[utoipa::path(get, path = "/api/v1/grid-event-categories", tag = "grid",
    responses((status = 200, body = [CategoryView])))]
pub async fn categories(
    State(state): State<AppState>,
    _me: CurrentUser,
) -> ApiResult<Json<Vec<CategoryView>>> {
    let rows = state.store.grid_categories().await?;
    Ok(Json(rows.iter().map(CategoryView::from_row).collect()))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryInput {
    pub name_zh: String,
    pub group_zh: String,
    #[serde(default)]
    pub description: String,
    pub dispute_type: Option<String>,
    #[serde(default)]
    pub attributes: Vec<CategoryAttribute>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default = "yes")]
    pub public: bool,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

const DATATYPES: [&str; 6] = [
    "string",
    "number",
    "datetime",
    "text",
    "singlevaluelist",
    "multivaluelist",
];

/// Create or change a category (city administrators); retiring one keeps old events readable.
#[utoipa::path(put, path = "/api/v1/grid-event-categories/{code}", tag = "grid", params(("code" = String, Path)),
    request_body = CategoryInput,
    responses((status = 200, body = CategoryView), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn save_category(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(code): Path<String>,
    ApiJson(input): ApiJson<CategoryInput>,
) -> ApiResult<Json<CategoryView>> {
    me.require_city_admin()?;
    if !fengqiao_domain::dispute::taxonomy::is_snake_case_code(&code) {
        return Err(ApiError::invalid(
            "code",
            "bad_code",
            "类别代码须为小写英文字母开头的 snake_case",
        ));
    }
    for (i, a) in input.attributes.iter().enumerate() {
        if !DATATYPES.contains(&a.datatype.as_str()) {
            return Err(ApiError::invalid(
                &format!("attributes.{i}.datatype"),
                "unknown",
                format!("须为 {}", DATATYPES.join("、")),
            ));
        }
        if a.datatype.ends_with("valuelist") && a.values.is_empty() {
            return Err(ApiError::invalid(
                &format!("attributes.{i}.values"),
                "required",
                "列表类型须给出可选值",
            ));
        }
    }
    if let Some(t) = &input.dispute_type {
        let types = state.store.dispute_types().await?;
        if !types.iter().any(|d| &d.code == t) {
            return Err(ApiError::invalid(
                "dispute_type",
                "unknown",
                "未知的纠纷类型",
            ));
        }
    }
    let row = CategoryRow {
        code: code.clone(),
        name_zh: input.name_zh.trim().to_owned(),
        group_zh: input.group_zh.trim().to_owned(),
        description: input.description.trim().to_owned(),
        dispute_type: input.dispute_type,
        attributes_json: serde_json::to_string(&input.attributes)
            .map_err(|e| ApiError::Internal(e.to_string()))?,
        keywords: input.keywords.join(","),
        public: input.public,
        active: input.active,
        updated_at: state.clock.now().as_micros(),
    };
    state
        .store
        .save_grid_category(&me.audit(&state), &row)
        .await?;
    Ok(Json(CategoryView::from_row(&row)))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RuleView {
    #[schema(value_type = Object)]
    pub rule: DispatchRule,
    pub version: i64,
    pub active: bool,
}

fn view(row: &DispatchRuleRow) -> ApiResult<RuleView> {
    Ok(RuleView {
        rule: row.rule()?,
        version: row.version,
        active: row.active,
    })
}

/// Dispatch rules in the order they are tried.
#[utoipa::path(get, path = "/api/v1/grid-dispatch-rules", tag = "grid",
    responses((status = 200, body = [RuleView])))]
pub async fn rules(
    State(state): State<AppState>,
    me: CurrentUser,
) -> ApiResult<Json<Vec<RuleView>>> {
    if me.has(fengqiao_domain::role::Role::Citizen) {
        return Err(ApiError::Forbidden);
    }
    let rows = state.store.grid_dispatch_rules().await?;
    Ok(Json(rows.iter().map(view).collect::<ApiResult<_>>()?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleInput {
    #[schema(value_type = Object)]
    pub rule: DispatchRule,
    #[serde(default = "yes")]
    pub active: bool,
    /// The version read (optimistic locking); omit for a new rule.
    pub expected_version: Option<i64>,
}

/// Create or change a dispatch rule (city administrators).
#[utoipa::path(put, path = "/api/v1/grid-dispatch-rules/{id}", tag = "grid", params(("id" = String, Path)),
    request_body = RuleInput,
    responses((status = 200, body = RuleView), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn save_rule(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<RuleInput>,
) -> ApiResult<Json<RuleView>> {
    me.require_city_admin()?;
    if input.rule.id != id {
        return Err(ApiError::invalid(
            "rule.id",
            "mismatch",
            "规则编号须与路径一致",
        ));
    }
    let categories = state.store.grid_categories().await?;
    for (i, c) in input.rule.categories.iter().enumerate() {
        if !categories.iter().any(|k| &k.code == c) {
            return Err(ApiError::invalid(
                &format!("rule.categories.{i}"),
                "unknown",
                format!("未知的事件类别 `{c}`"),
            ));
        }
    }
    let row = state
        .store
        .save_grid_dispatch_rule(
            &me.audit(&state),
            &input.rule,
            input.active,
            input.expected_version,
        )
        .await?;
    Ok(Json(view(&row)?))
}

/// A department events can be dispatched to and summonses can call.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DepartmentView {
    pub id: String,
    pub name: String,
    pub region_path: String,
    pub specialty: Option<fengqiao_domain::org::Specialty>,
}

/// The departments serving my area: those above it (a street's centre dispatches to and
/// summons the district's departments, which its organisation list does not reach) and those
/// within it.
#[utoipa::path(get, path = "/api/v1/grid-departments", tag = "grid",
    responses((status = 200, body = [DepartmentView]), (status = 403, body = ErrorEnvelope)))]
pub async fn departments(
    State(state): State<AppState>,
    me: CurrentUser,
) -> ApiResult<Json<Vec<DepartmentView>>> {
    if me.has(fengqiao_domain::role::Role::Citizen) {
        return Err(ApiError::Forbidden);
    }
    let serves = |path: &str| match &me.scope {
        fengqiao_store::Scope::Subtree(root) => {
            root.starts_with(path) || path.starts_with(root.as_str())
        }
        other => other.covers(path),
    };
    let mut rows: Vec<DepartmentView> = state
        .store
        .department_directory()
        .await?
        .into_iter()
        .filter(|d| serves(&d.region_path))
        .map(|d| DepartmentView {
            id: d.org_id,
            name: d.name,
            region_path: d.region_path,
            specialty: d.specialty,
        })
        .collect();
    rows.sort_by(|a, b| a.region_path.cmp(&b.region_path).then(a.name.cmp(&b.name)));
    Ok(Json(rows))
}
