//! Dispute figures for the overview (read-only): cases by stage and by type, how mediations
//! ended, and the parties' evaluations — all limited to the caller's case scope, the same cases
//! the dispute list shows them.

use crate::db::Store;
use crate::disputes::CaseScope;
use crate::error::Result;
use fengqiao_domain::dispute::stage::Stage;
use sea_query::{Alias, Expr, ExprTrait, Iden, Order, Query, SelectStatement, SimpleExpr};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

#[derive(Iden)]
enum Disputes {
    Table,
    Id,
    DisputeType,
    RegionPath,
    Stage,
}

#[derive(Iden)]
enum DisputeAssignments {
    Table,
    DisputeId,
    OrgId,
}

#[derive(Iden)]
enum DisputeEvents {
    Table,
    DisputeId,
    Command,
    DetailJson,
}

#[derive(Iden)]
enum DisputeTypes {
    Table,
    Code,
    NameZh,
}

/// How many cases are in one stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StageCount {
    pub stage: String,
    pub count: i64,
}

/// How many cases are of one type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TypeCount {
    pub code: String,
    /// The taxonomy's name (`劳动争议/欠薪`), absent for a type no longer listed.
    pub name_zh: Option<String>,
    pub count: i64,
}

/// The parties' evaluations after closing (satisfaction 1–5 and the three fairness questions).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct EvaluationStats {
    pub count: i64,
    /// Sum of the satisfaction scores (average = sum / count).
    pub satisfaction_sum: i64,
    /// Evaluations per score: index 0 is score 1 … index 4 is score 5.
    pub by_score: Vec<i64>,
    /// Answered "yes" to "were you heard".
    pub heard: i64,
    pub timely: i64,
    pub fair: i64,
}

/// Counts of the cases in a scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DisputeCounts {
    pub total: i64,
    /// Still needing work (not closed, evaluated, withdrawn, rejected or merged).
    pub open: i64,
    /// Closed or evaluated.
    pub completed: i64,
    /// Withdrawn, rejected or merged into another case: never handled to an end of their own.
    pub not_handled: i64,
    /// Every stage, in the machine's order, zeros included.
    pub by_stage: Vec<StageCount>,
    /// Types with at least one case, most frequent first.
    pub by_type: Vec<TypeCount>,
    /// Cases whose mediation reached an agreement (and did not fail afterwards).
    pub mediation_succeeded: i64,
    /// Cases whose mediation failed and went on to arbitration, litigation or petition.
    pub mediation_failed: i64,
    pub evaluations: EvaluationStats,
}

#[derive(Deserialize)]
struct EvaluationDetail {
    evaluation: Evaluation,
}

#[derive(Deserialize)]
struct Evaluation {
    satisfaction: i64,
    #[serde(default)]
    heard: bool,
    #[serde(default)]
    timely: bool,
    #[serde(default)]
    fair: bool,
}

/// The cases of a scope: in its region subtree, or assigned to its organisation (the same rule
/// as the dispute list, so the figures and the list always agree).
fn in_scope(scope: &CaseScope) -> SimpleExpr {
    let region = scope
        .region
        .path_condition((Disputes::Table, Disputes::RegionPath));
    match &scope.org_id {
        Some(org) => region.or(Expr::col((Disputes::Table, Disputes::Id)).in_subquery(
            Query::select()
                .column(DisputeAssignments::DisputeId)
                .from(DisputeAssignments::Table)
                .and_where(Expr::col(DisputeAssignments::OrgId).eq(org.as_str()))
                .to_owned(),
        )),
        None => region,
    }
}

fn scoped_ids(scope: &CaseScope) -> SelectStatement {
    Query::select()
        .column((Disputes::Table, Disputes::Id))
        .from(Disputes::Table)
        .and_where(in_scope(scope))
        .to_owned()
}

impl Store {
    /// The dispute figures of a scope.
    pub async fn dispute_counts(&self, scope: &CaseScope) -> Result<DisputeCounts> {
        let stage_rows: Vec<(String, i64)> = self
            .fetch_all(
                &Query::select()
                    .column((Disputes::Table, Disputes::Stage))
                    .expr(Expr::col((Disputes::Table, Disputes::Id)).count())
                    .from(Disputes::Table)
                    .and_where(in_scope(scope))
                    .group_by_col((Disputes::Table, Disputes::Stage))
                    .to_owned(),
            )
            .await?;
        let count_of = |stage: Stage| {
            stage_rows
                .iter()
                .filter(|(s, _)| s == stage.code())
                .map(|(_, n)| *n)
                .sum::<i64>()
        };
        let by_stage: Vec<StageCount> = Stage::ALL
            .into_iter()
            .map(|s| StageCount {
                stage: s.code().to_owned(),
                count: count_of(s),
            })
            .collect();
        let total: i64 = stage_rows.iter().map(|(_, n)| n).sum();
        let open = Stage::ALL
            .into_iter()
            .filter(|s| s.is_open())
            .map(count_of)
            .sum();
        let completed = count_of(Stage::Closed) + count_of(Stage::Evaluated);
        let not_handled =
            count_of(Stage::Withdrawn) + count_of(Stage::Rejected) + count_of(Stage::Merged);

        let by_type: Vec<(String, Option<String>, i64)> = self
            .fetch_all(
                &Query::select()
                    .column((Disputes::Table, Disputes::DisputeType))
                    .column((DisputeTypes::Table, DisputeTypes::NameZh))
                    .expr_as(
                        Expr::col((Disputes::Table, Disputes::Id)).count(),
                        Alias::new("n"),
                    )
                    .from(Disputes::Table)
                    .left_join(
                        DisputeTypes::Table,
                        Expr::col((DisputeTypes::Table, DisputeTypes::Code))
                            .equals((Disputes::Table, Disputes::DisputeType)),
                    )
                    .and_where(in_scope(scope))
                    .group_by_col((Disputes::Table, Disputes::DisputeType))
                    .group_by_col((DisputeTypes::Table, DisputeTypes::NameZh))
                    .order_by(Alias::new("n"), Order::Desc)
                    .order_by((Disputes::Table, Disputes::DisputeType), Order::Asc)
                    .to_owned(),
            )
            .await?;

        // How mediations ended, per case: an agreement counts unless the case failed afterwards
        // (a rejected confirmation can still end in litigation).
        let endings: Vec<(String, String)> = self
            .fetch_all(
                &Query::select()
                    .distinct()
                    .column(DisputeEvents::DisputeId)
                    .column(DisputeEvents::Command)
                    .from(DisputeEvents::Table)
                    .and_where(Expr::col(DisputeEvents::Command).is_in(["reach_agreement", "fail"]))
                    .and_where(Expr::col(DisputeEvents::DisputeId).in_subquery(scoped_ids(scope)))
                    .to_owned(),
            )
            .await?;
        let failed: HashSet<&str> = endings
            .iter()
            .filter(|(_, c)| c == "fail")
            .map(|(id, _)| id.as_str())
            .collect();
        let succeeded = endings
            .iter()
            .filter(|(id, c)| c == "reach_agreement" && !failed.contains(id.as_str()))
            .count();

        let details: Vec<(String,)> = self
            .fetch_all(
                &Query::select()
                    .column(DisputeEvents::DetailJson)
                    .from(DisputeEvents::Table)
                    .and_where(Expr::col(DisputeEvents::Command).eq("evaluate"))
                    .and_where(Expr::col(DisputeEvents::DisputeId).in_subquery(scoped_ids(scope)))
                    .to_owned(),
            )
            .await?;
        let mut evaluations = EvaluationStats {
            by_score: vec![0; 5],
            ..EvaluationStats::default()
        };
        for (json,) in &details {
            // Every evaluation event carries its answers; one that does not parse is not counted
            // rather than guessed.
            let Ok(EvaluationDetail { evaluation: e }) = serde_json::from_str(json) else {
                continue;
            };
            let Some(slot) = usize::try_from(e.satisfaction - 1)
                .ok()
                .and_then(|i| evaluations.by_score.get_mut(i))
            else {
                continue;
            };
            *slot += 1;
            evaluations.count += 1;
            evaluations.satisfaction_sum += e.satisfaction;
            evaluations.heard += i64::from(e.heard);
            evaluations.timely += i64::from(e.timely);
            evaluations.fair += i64::from(e.fair);
        }

        Ok(DisputeCounts {
            total,
            open,
            completed,
            not_handled,
            by_stage,
            by_type: by_type
                .into_iter()
                .map(|(code, name_zh, count)| TypeCount {
                    code,
                    name_zh,
                    count,
                })
                .collect(),
            mediation_succeeded: i64::try_from(succeeded).unwrap_or(i64::MAX),
            mediation_failed: i64::try_from(failed.len()).unwrap_or(i64::MAX),
            evaluations,
        })
    }
}
