//! Routing API: the suggested bodies for a case with the matched rule as explanation, and the
//! rule set itself — listed, edited (validated, versioned, audited) and tested against a sample.

use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::extract::{ApiJson, CurrentUser};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use fengqiao_domain::dispute::routing::{
    RoutingDecision, RoutingError, RoutingRule, escalate_target, route, validate_rule,
};
use fengqiao_domain::dispute::{CaseFacts, Channel};
use fengqiao_domain::role::Role;
use fengqiao_store::disputes::{CaseScope, DisputeDetail};
use serde::{Deserialize, Serialize};

/// A suggestion shown at intake and in the case: the bodies, why, and every rule considered.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RoutingSuggestion {
    /// The bodies to route to (empty when no rule matched).
    pub org_ids: Vec<String>,
    pub explanation_zh: String,
    #[schema(value_type = Object)]
    pub decision: Option<RoutingDecision>,
    /// Escalated cases go to the same kind of body one level up.
    pub escalated: bool,
}

fn facts_of(detail: &DisputeDetail) -> Result<CaseFacts, ApiError> {
    let d = &detail.dispute;
    let channel: Channel = serde_json::from_value(serde_json::Value::String(d.channel.clone()))
        .map_err(|e| ApiError::Internal(format!("stored channel: {e}")))?;
    let applicants = detail
        .parties
        .iter()
        .filter(|p| p.role == "applicant")
        .count();
    Ok(CaseFacts {
        dispute_type: d.dispute_type.clone(),
        region_code: d.region_code.clone(),
        region_path: d.region_path.clone(),
        amount_fen: d.amount_fen,
        applicant_count: u32::try_from(applicants).unwrap_or(u32::MAX),
        flags: d.flags(),
        channel,
    })
}

/// The rules and directory routing runs on, from the cache or freshly loaded.
pub async fn routing_data(state: &AppState) -> ApiResult<crate::state::CachedRouting> {
    if let Some(cached) = state.routing.get() {
        return Ok(cached);
    }
    let fresh = crate::state::CachedRouting {
        loaded: std::time::Instant::now(),
        rules: std::sync::Arc::new(state.store.routing_rules().await?),
        directory: std::sync::Arc::new(state.store.org_directory().await?),
    };
    state.routing.put(fresh.clone());
    Ok(fresh)
}

/// Computes the suggestion for a case (pure routing over the stored rules and directory).
pub async fn suggest(state: &AppState, detail: &DisputeDetail) -> ApiResult<RoutingSuggestion> {
    let data = routing_data(state).await?;
    let directory = data.directory.as_slice();
    let handlers: Vec<_> = detail
        .assignments
        .iter()
        .filter(|a| a.kind == "handler")
        .collect();
    if detail.dispute.flags().iter().any(|f| f == "escalated") && !handlers.is_empty() {
        let mut org_ids = Vec::new();
        let mut names = Vec::new();
        for a in handlers {
            if let Some(current) = directory.iter().find(|o| o.id == a.org_id)
                && let Some(up) = escalate_target(current, directory)
            {
                names.push(format!("{} → {}", current.name, up.name));
                org_ids.push(up.id);
            }
        }
        let explanation_zh = if org_ids.is_empty() {
            "已上报，但上级没有同类办理单位，请人工指定".to_owned()
        } else {
            format!(
                "原办理单位未受理或当事人申请复核，按层级上报：{}",
                names.join("；")
            )
        };
        return Ok(RoutingSuggestion {
            org_ids,
            explanation_zh,
            decision: None,
            escalated: true,
        });
    }
    match route(&facts_of(detail)?, &data.rules, directory) {
        Ok(decision) => Ok(RoutingSuggestion {
            org_ids: decision.targets.iter().map(|t| t.org_id.clone()).collect(),
            explanation_zh: decision.explanation_zh.clone(),
            decision: Some(decision),
            escalated: false,
        }),
        Err(RoutingError::NoRuleMatched { .. }) => Ok(RoutingSuggestion {
            org_ids: vec![],
            explanation_zh: "没有规则匹配此案件，请人工指定办理单位".into(),
            decision: None,
            escalated: false,
        }),
    }
}

/// The suggested bodies for a case, with the matched rule as explanation.
#[utoipa::path(get, path = "/api/v1/disputes/{id}/routing", tag = "routing", params(("id" = String, Path)),
    responses((status = 200, body = RoutingSuggestion), (status = 404, body = ErrorEnvelope)))]
pub async fn for_case(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<RoutingSuggestion>> {
    let scope = CaseScope {
        region: me.scope.clone(),
        org_id: Some(me.user.org_id.clone()),
    };
    let detail = state.store.dispute_detail(&scope, &id).await?;
    Ok(Json(suggest(&state, &detail).await?))
}

/// The routing rules in evaluation order.
#[utoipa::path(get, path = "/api/v1/routing-rules", tag = "routing", responses((status = 200, body = Object)))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
) -> ApiResult<Json<Vec<RoutingRule>>> {
    if me.has(Role::Citizen) {
        return Err(ApiError::Forbidden);
    }
    Ok(Json(state.store.routing_rules().await?))
}

/// Add or replace a rule (administrators). The version must go up when a rule changes.
#[utoipa::path(put, path = "/api/v1/routing-rules/{id}", tag = "routing", params(("id" = String, Path)), request_body = Object,
    responses((status = 200, body = Object), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn save(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<String>,
    ApiJson(rule): ApiJson<RoutingRule>,
) -> ApiResult<Json<RoutingRule>> {
    me.require(&[Role::Admin])?;
    if rule.id != id {
        return Err(ApiError::invalid("id", "mismatch", "规则编号与地址不一致"));
    }
    let types = state.store.dispute_types().await?;
    let codes: Vec<&str> = types.iter().map(|t| t.code.as_str()).collect();
    validate_rule(&rule, &codes).map_err(ApiError::Invalid)?;
    if let Some(existing) = state
        .store
        .routing_rules()
        .await?
        .into_iter()
        .find(|r| r.id == id)
        && existing != rule
        && rule.version <= existing.version
    {
        return Err(ApiError::invalid(
            "version",
            "not_increased",
            format!("修改规则须提高版本号（当前 {}）", existing.version),
        ));
    }
    state
        .store
        .save_routing_rule(&me.audit(&state), &rule)
        .await?;
    state.routing.invalidate();
    Ok(Json(rule))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleTestRequest {
    /// A sample case.
    #[schema(value_type = Object)]
    pub facts: CaseFacts,
    /// Rules to try instead of the stored ones (to test an edit before saving).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub rules: Option<Vec<RoutingRule>>,
}

/// Route a sample case through the stored (or given) rules and show every rule's verdict.
#[utoipa::path(post, path = "/api/v1/routing-rules/test", tag = "routing", request_body = RuleTestRequest,
    responses((status = 200, body = Object), (status = 422, body = ErrorEnvelope)))]
pub async fn test(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(req): ApiJson<RuleTestRequest>,
) -> ApiResult<Json<serde_json::Value>> {
    me.require(&[Role::Admin, Role::Intake, Role::Commander])?;
    let rules = match req.rules {
        Some(r) => r,
        None => state.store.routing_rules().await?,
    };
    let directory = state.store.org_directory().await?;
    Ok(Json(match route(&req.facts, &rules, &directory) {
        Ok(decision) => serde_json::json!({ "matched": true, "decision": decision }),
        Err(RoutingError::NoRuleMatched { trace, .. }) => {
            serde_json::json!({ "matched": false, "trace": trace })
        }
    }))
}
