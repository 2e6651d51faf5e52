//! 网格指数 — the monthly 100-point grid index: eight duties (DOMAIN §4), each with a weight, each
//! scored from recorded activity through capped components, plus manual assessment items.
//!
//! Pure: the store counts a grid's activity for a month into [`GridActivity`]; [`score`] turns it
//! into a [`GridScore`] with [`Formula`] (served as data so the console can show it); [`rank`]
//! orders grids and computes the month-on-month change. docs/GRID-INDEX.md explains every number.
//!
//! Each component earns `points × fraction`, where the fraction is always in [0, 1]:
//! - `count`: `min(1, value / target)` — activity, capped at the target;
//! - `share`: `min(1, (numerator / denominator) / target)`, or `neutral` when the denominator is
//!   zero (nothing happened that could be done well or badly);
//! - `share_inverse`: `1 − numerator / denominator` (a failure share), or `neutral`.
//!
//! A duty's automatic score is the sum of its components; manual items (bonus or deduction) are
//! added and the result is clamped to [0, weight]. Component points are rounded to 0.01 first, so
//! the breakdown adds up exactly to the total.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The grid's duties (网格职责), in the order DOMAIN §4 lists them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Duty {
    /// 源头信息采集
    SourceCollection,
    /// 矛盾前端化解
    DisputeResolution,
    /// 风险感知报告
    RiskReporting,
    /// 服务凝聚群众
    ServingResidents,
    /// 承接协同事项
    CoordinatedMatters,
    /// 应急快响处置
    EmergencyResponse,
    /// 基础数据质量
    BaseDataQuality,
    /// 走访覆盖
    VisitCoverage,
}

impl Duty {
    pub const ALL: [Duty; 8] = [
        Duty::SourceCollection,
        Duty::DisputeResolution,
        Duty::RiskReporting,
        Duty::ServingResidents,
        Duty::CoordinatedMatters,
        Duty::EmergencyResponse,
        Duty::BaseDataQuality,
        Duty::VisitCoverage,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Duty::SourceCollection => "source_collection",
            Duty::DisputeResolution => "dispute_resolution",
            Duty::RiskReporting => "risk_reporting",
            Duty::ServingResidents => "serving_residents",
            Duty::CoordinatedMatters => "coordinated_matters",
            Duty::EmergencyResponse => "emergency_response",
            Duty::BaseDataQuality => "base_data_quality",
            Duty::VisitCoverage => "visit_coverage",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Duty::SourceCollection => "源头信息采集",
            Duty::DisputeResolution => "矛盾前端化解",
            Duty::RiskReporting => "风险感知报告",
            Duty::ServingResidents => "服务凝聚群众",
            Duty::CoordinatedMatters => "承接协同事项",
            Duty::EmergencyResponse => "应急快响处置",
            Duty::BaseDataQuality => "基础数据质量",
            Duty::VisitCoverage => "走访覆盖",
        }
    }
}

impl fmt::Display for Duty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Duty {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Duty::ALL
            .into_iter()
            .find(|d| d.code() == s)
            .ok_or_else(|| format!("unknown duty `{s}`"))
    }
}

/// The measured quantities of one grid in one month. How the store counts each is stated on
/// the field and in docs/GRID-INDEX.md.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Input {
    /// Grid events reported by grid workers (source `grid_worker`) created in the month.
    WorkerReports,
    /// Base-data records created, changed or deleted in the month (history entries).
    BaseChanges,
    /// Grid events of the month solved on the spot (status `solved_on_spot`).
    SolvedOnSpot,
    /// Disputes registered in the month through the grid channel, in the grid.
    GridDisputes,
    /// Of those, the ones now at agreement or later without escalation (agreement, confirmed,
    /// performing, closed, evaluated).
    GridDisputesResolved,
    /// Worker reports of the month flagged urgent or turned into a dispute case.
    RiskReports,
    /// Worker reports of the month the centre rejected (status `rejected`).
    WorkerReportsRejected,
    /// Σ(evaluation score − 1) over the month's evaluated events (scores 1–5).
    EvaluationPoints,
    /// 4 × the number of the month's evaluated events (the most `evaluation_points` could be).
    EvaluationMax,
    /// Issues residents raised during the month's visits.
    VisitIssues,
    /// Of those, solved on the spot or linked to a grid event now `closed` or `evaluated`.
    VisitIssuesSolved,
    /// Grid events of the month dispatched to a department.
    DispatchedEvents,
    /// Of those, now `closed` or `evaluated`.
    DispatchedClosed,
    /// Urgent grid events of the month.
    UrgentEvents,
    /// Of those, solved on the spot or closed within the formula's `urgent_within_hours`.
    UrgentFast,
    /// Base-data records in the grid at the end of the month.
    RecordsTotal,
    /// Of those, complete (see `basedata::is_complete`).
    RecordsComplete,
    /// Of those, created or updated within `fresh_within_days` before the month's end.
    RecordsFresh,
    /// Housing records in the grid at the end of the month (households).
    HouseholdsTotal,
    /// Distinct households visited in the month.
    HouseholdsVisited,
    /// Visits recorded in the month.
    Visits,
}

impl Input {
    pub fn label_zh(self) -> &'static str {
        match self {
            Input::WorkerReports => "网格员上报事件数",
            Input::BaseChanges => "基础数据采集更新条数",
            Input::SolvedOnSpot => "就地解决事件数",
            Input::GridDisputes => "网格渠道登记纠纷数",
            Input::GridDisputesResolved => "其中前端化解数",
            Input::RiskReports => "风险类上报数（紧急或转纠纷）",
            Input::WorkerReportsRejected => "上报被退回/不予受理数",
            Input::EvaluationPoints => "群众评价得分（每件 0–4）",
            Input::EvaluationMax => "群众评价满分",
            Input::VisitIssues => "走访收集问题数",
            Input::VisitIssuesSolved => "其中已解决数",
            Input::DispatchedEvents => "派遣协同事件数",
            Input::DispatchedClosed => "其中已办结数",
            Input::UrgentEvents => "紧急事件数",
            Input::UrgentFast => "其中快速处置数",
            Input::RecordsTotal => "基础数据总数",
            Input::RecordsComplete => "其中要素完整数",
            Input::RecordsFresh => "其中近期核实数",
            Input::HouseholdsTotal => "房屋（户）总数",
            Input::HouseholdsVisited => "走访户数",
            Input::Visits => "走访次数",
        }
    }
}

/// One grid's counts for one month: the formula's inputs.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridActivity {
    pub worker_reports: u64,
    pub base_changes: u64,
    pub solved_on_spot: u64,
    pub grid_disputes: u64,
    pub grid_disputes_resolved: u64,
    pub risk_reports: u64,
    pub worker_reports_rejected: u64,
    pub evaluation_points: u64,
    pub evaluation_max: u64,
    pub visit_issues: u64,
    pub visit_issues_solved: u64,
    pub dispatched_events: u64,
    pub dispatched_closed: u64,
    pub urgent_events: u64,
    pub urgent_fast: u64,
    pub records_total: u64,
    pub records_complete: u64,
    pub records_fresh: u64,
    pub households_total: u64,
    pub households_visited: u64,
    pub visits: u64,
}

impl GridActivity {
    pub fn get(&self, input: Input) -> u64 {
        match input {
            Input::WorkerReports => self.worker_reports,
            Input::BaseChanges => self.base_changes,
            Input::SolvedOnSpot => self.solved_on_spot,
            Input::GridDisputes => self.grid_disputes,
            Input::GridDisputesResolved => self.grid_disputes_resolved,
            Input::RiskReports => self.risk_reports,
            Input::WorkerReportsRejected => self.worker_reports_rejected,
            Input::EvaluationPoints => self.evaluation_points,
            Input::EvaluationMax => self.evaluation_max,
            Input::VisitIssues => self.visit_issues,
            Input::VisitIssuesSolved => self.visit_issues_solved,
            Input::DispatchedEvents => self.dispatched_events,
            Input::DispatchedClosed => self.dispatched_closed,
            Input::UrgentEvents => self.urgent_events,
            Input::UrgentFast => self.urgent_fast,
            Input::RecordsTotal => self.records_total,
            Input::RecordsComplete => self.records_complete,
            Input::RecordsFresh => self.records_fresh,
            Input::HouseholdsTotal => self.households_total,
            Input::HouseholdsVisited => self.households_visited,
            Input::Visits => self.visits,
        }
    }
}

/// How a component turns inputs into a fraction of its points.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Measure {
    /// `min(1, input / target)`.
    Count { input: Input, target: f64 },
    /// `min(1, (numerator / denominator) / target)`; `neutral` when the denominator is 0.
    Share {
        numerator: Input,
        denominator: Input,
        target: f64,
        neutral: f64,
    },
    /// `1 − numerator / denominator` (never below 0); `neutral` when the denominator is 0.
    ShareInverse {
        numerator: Input,
        denominator: Input,
        neutral: f64,
    },
}

impl Measure {
    /// The fraction of the component's points earned, in [0, 1].
    pub fn fraction(&self, a: &GridActivity) -> f64 {
        let f = match *self {
            Measure::Count { input, target } => {
                if target <= 0.0 {
                    1.0
                } else {
                    a.get(input) as f64 / target
                }
            }
            Measure::Share {
                numerator,
                denominator,
                target,
                neutral,
            } => match a.get(denominator) {
                0 => neutral,
                d => {
                    let share = a.get(numerator) as f64 / d as f64;
                    if target <= 0.0 { 1.0 } else { share / target }
                }
            },
            Measure::ShareInverse {
                numerator,
                denominator,
                neutral,
            } => match a.get(denominator) {
                0 => neutral,
                d => 1.0 - a.get(numerator) as f64 / d as f64,
            },
        };
        if f.is_finite() {
            f.clamp(0.0, 1.0)
        } else {
            0.0
        }
    }
}

/// One scored part of a duty.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Component {
    pub key: String,
    pub label_zh: String,
    /// The most this component can earn.
    pub points: f64,
    pub measure: Measure,
}

/// One duty: its weight (the most it can score) and the components that earn it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DutyRule {
    pub duty: Duty,
    pub label_zh: String,
    pub weight: f64,
    pub components: Vec<Component>,
}

/// The whole formula, served as data (`GET /api/v1/grid-index/formula`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Formula {
    pub version: String,
    /// The score's maximum: the weights add up to it.
    pub total: f64,
    pub duties: Vec<DutyRule>,
    /// An urgent event counts as handled fast when closed within this many hours of its report.
    pub urgent_within_hours: i64,
    /// A base-data record counts as fresh when created or updated within this many days before
    /// the month's end.
    pub fresh_within_days: i64,
    /// Inputs with their Chinese labels, for the console's legend.
    pub inputs: Vec<InputLabel>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputLabel {
    pub input: Input,
    pub label_zh: String,
}

fn component(key: &str, label: &str, points: f64, measure: Measure) -> Component {
    Component {
        key: key.to_owned(),
        label_zh: label.to_owned(),
        points,
        measure,
    }
}

fn duty(duty: Duty, weight: f64, components: Vec<Component>) -> DutyRule {
    DutyRule {
        duty,
        label_zh: duty.label_zh().to_owned(),
        weight,
        components,
    }
}

const ALL_INPUTS: [Input; 21] = [
    Input::WorkerReports,
    Input::BaseChanges,
    Input::SolvedOnSpot,
    Input::GridDisputes,
    Input::GridDisputesResolved,
    Input::RiskReports,
    Input::WorkerReportsRejected,
    Input::EvaluationPoints,
    Input::EvaluationMax,
    Input::VisitIssues,
    Input::VisitIssuesSolved,
    Input::DispatchedEvents,
    Input::DispatchedClosed,
    Input::UrgentEvents,
    Input::UrgentFast,
    Input::RecordsTotal,
    Input::RecordsComplete,
    Input::RecordsFresh,
    Input::HouseholdsTotal,
    Input::HouseholdsVisited,
    Input::Visits,
];

/// The formula in force. Weights: collection 15, dispute resolution 15, risk reporting 15,
/// serving residents 10, coordinated matters 10, emergency response 10, base-data quality 10,
/// visit coverage 15 — the three duties that find problems early weigh most, as the 枫桥经验
/// asks. Targets are a month's work for one grid worker in a grid of 300–500 households.
pub fn default_formula() -> Formula {
    use Input::*;
    use Measure::*;
    Formula {
        version: "2026.1".into(),
        total: 100.0,
        duties: vec![
            duty(
                Duty::SourceCollection,
                15.0,
                vec![
                    component(
                        "worker_reports",
                        "网格员主动上报事件（8 件封顶）",
                        10.0,
                        Count {
                            input: WorkerReports,
                            target: 8.0,
                        },
                    ),
                    component(
                        "base_changes",
                        "基础数据采集更新（20 条封顶）",
                        5.0,
                        Count {
                            input: BaseChanges,
                            target: 20.0,
                        },
                    ),
                ],
            ),
            duty(
                Duty::DisputeResolution,
                15.0,
                vec![
                    component(
                        "solved_on_spot",
                        "事件就地解决（4 件封顶）",
                        5.0,
                        Count {
                            input: SolvedOnSpot,
                            target: 4.0,
                        },
                    ),
                    component(
                        "disputes_resolved",
                        "网格发现纠纷前端化解率（80% 满分；无纠纷计 60%）",
                        10.0,
                        Share {
                            numerator: GridDisputesResolved,
                            denominator: GridDisputes,
                            target: 0.8,
                            neutral: 0.6,
                        },
                    ),
                ],
            ),
            duty(
                Duty::RiskReporting,
                15.0,
                vec![
                    component(
                        "risk_reports",
                        "风险类上报：紧急或转为纠纷案件（2 件封顶）",
                        10.0,
                        Count {
                            input: RiskReports,
                            target: 2.0,
                        },
                    ),
                    component(
                        "report_accuracy",
                        "上报准确率：1 − 不予受理占比（无上报计 50%）",
                        5.0,
                        ShareInverse {
                            numerator: WorkerReportsRejected,
                            denominator: WorkerReports,
                            neutral: 0.5,
                        },
                    ),
                ],
            ),
            duty(
                Duty::ServingResidents,
                10.0,
                vec![
                    component(
                        "satisfaction",
                        "群众评价（1–5 分折算；无评价计 60%）",
                        6.0,
                        Share {
                            numerator: EvaluationPoints,
                            denominator: EvaluationMax,
                            target: 1.0,
                            neutral: 0.6,
                        },
                    ),
                    component(
                        "visit_issues_solved",
                        "走访收集问题解决率（无问题计 60%）",
                        4.0,
                        Share {
                            numerator: VisitIssuesSolved,
                            denominator: VisitIssues,
                            target: 1.0,
                            neutral: 0.6,
                        },
                    ),
                ],
            ),
            duty(
                Duty::CoordinatedMatters,
                10.0,
                vec![component(
                    "dispatched_closed",
                    "派遣协同事件办结率（无派遣计 80%）",
                    10.0,
                    Share {
                        numerator: DispatchedClosed,
                        denominator: DispatchedEvents,
                        target: 1.0,
                        neutral: 0.8,
                    },
                )],
            ),
            duty(
                Duty::EmergencyResponse,
                10.0,
                vec![component(
                    "urgent_fast",
                    "紧急事件 24 小时内处置率（无紧急事件计 80%）",
                    10.0,
                    Share {
                        numerator: UrgentFast,
                        denominator: UrgentEvents,
                        target: 1.0,
                        neutral: 0.8,
                    },
                )],
            ),
            duty(
                Duty::BaseDataQuality,
                10.0,
                vec![
                    component(
                        "records_complete",
                        "基础数据要素完整率（无数据计 0）",
                        6.0,
                        Share {
                            numerator: RecordsComplete,
                            denominator: RecordsTotal,
                            target: 1.0,
                            neutral: 0.0,
                        },
                    ),
                    component(
                        "records_fresh",
                        "一年内核实更新率（无数据计 0）",
                        4.0,
                        Share {
                            numerator: RecordsFresh,
                            denominator: RecordsTotal,
                            target: 1.0,
                            neutral: 0.0,
                        },
                    ),
                ],
            ),
            duty(
                Duty::VisitCoverage,
                15.0,
                vec![
                    component(
                        "households_visited",
                        "当月走访户数占房屋数（30% 满分，约每季度走访一遍）",
                        10.0,
                        Share {
                            numerator: HouseholdsVisited,
                            denominator: HouseholdsTotal,
                            target: 0.3,
                            neutral: 0.0,
                        },
                    ),
                    component(
                        "visits",
                        "走访次数（20 次封顶）",
                        5.0,
                        Count {
                            input: Visits,
                            target: 20.0,
                        },
                    ),
                ],
            ),
        ],
        urgent_within_hours: 24,
        fresh_within_days: 365,
        inputs: ALL_INPUTS
            .iter()
            .map(|i| InputLabel {
                input: *i,
                label_zh: i.label_zh().to_owned(),
            })
            .collect(),
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

impl Formula {
    /// Checks the formula is consistent: every duty once, weights adding up to `total`, each
    /// duty's component points adding up to its weight, fractions' parameters in range.
    pub fn check(&self) -> Result<(), String> {
        let mut seen = Vec::new();
        let mut sum = 0.0;
        for d in &self.duties {
            if seen.contains(&d.duty) {
                return Err(format!("duty {} appears twice", d.duty));
            }
            seen.push(d.duty);
            sum += d.weight;
            let parts: f64 = d.components.iter().map(|c| c.points).sum();
            if (parts - d.weight).abs() > 1e-9 {
                return Err(format!(
                    "duty {}: components add up to {parts}, weight is {}",
                    d.duty, d.weight
                ));
            }
            for c in &d.components {
                let neutral = match c.measure {
                    Measure::Count { .. } => 0.0,
                    Measure::Share { neutral, .. } | Measure::ShareInverse { neutral, .. } => {
                        neutral
                    }
                };
                if !(0.0..=1.0).contains(&neutral) || c.points < 0.0 {
                    return Err(format!("component {} is out of range", c.key));
                }
            }
        }
        if seen.len() != Duty::ALL.len() {
            return Err("every duty must be scored".into());
        }
        if (sum - self.total).abs() > 1e-9 {
            return Err(format!("weights add up to {sum}, not {}", self.total));
        }
        Ok(())
    }

    pub fn weight(&self, duty: Duty) -> f64 {
        self.duties
            .iter()
            .find(|d| d.duty == duty)
            .map_or(0.0, |d| d.weight)
    }
}

/// A manual assessment item (人工考核项): a bonus (positive) or deduction (negative) on one duty.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assessment {
    pub duty: Duty,
    pub points: f64,
}

/// Why a manual item's points are refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AssessmentError {
    #[error("points must be between -{weight} and {weight} (the duty's weight), and not 0")]
    OutOfRange { weight: f64 },
    #[error("points are given in steps of 0.5")]
    NotHalfStep,
}

/// Checks one manual item: non-zero, within ± the duty's weight, in steps of 0.5.
pub fn check_assessment(formula: &Formula, duty: Duty, points: f64) -> Result<(), AssessmentError> {
    let weight = formula.weight(duty);
    if !points.is_finite() || points == 0.0 || points.abs() > weight {
        return Err(AssessmentError::OutOfRange { weight });
    }
    if (points * 2.0).fract() != 0.0 {
        return Err(AssessmentError::NotHalfStep);
    }
    Ok(())
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentScore {
    pub key: String,
    /// The fraction of the component's points earned, in [0, 1] (4 decimals).
    pub fraction: f64,
    pub points: f64,
    pub max: f64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DutyScore {
    pub duty: Duty,
    pub label_zh: String,
    pub weight: f64,
    /// From recorded activity.
    pub automatic: f64,
    /// Sum of the month's manual items for this duty.
    pub manual: f64,
    /// `clamp(automatic + manual, 0, weight)`.
    pub score: f64,
    pub components: Vec<ComponentScore>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GridScore {
    pub total: f64,
    pub duties: Vec<DutyScore>,
}

/// Scores one grid's month.
pub fn score(formula: &Formula, activity: &GridActivity, items: &[Assessment]) -> GridScore {
    let duties: Vec<DutyScore> = formula
        .duties
        .iter()
        .map(|rule| {
            let components: Vec<ComponentScore> = rule
                .components
                .iter()
                .map(|c| {
                    let fraction = c.measure.fraction(activity);
                    ComponentScore {
                        key: c.key.clone(),
                        fraction: (fraction * 10_000.0).round() / 10_000.0,
                        points: round2(c.points * fraction),
                        max: c.points,
                    }
                })
                .collect();
            let automatic = round2(components.iter().map(|c| c.points).sum());
            let manual = round2(
                items
                    .iter()
                    .filter(|i| i.duty == rule.duty)
                    .map(|i| i.points)
                    .sum(),
            );
            DutyScore {
                duty: rule.duty,
                label_zh: rule.label_zh.clone(),
                weight: rule.weight,
                automatic,
                manual,
                score: round2((automatic + manual).clamp(0.0, rule.weight)),
                components,
            }
        })
        .collect();
    GridScore {
        total: round2(duties.iter().map(|d| d.score).sum()),
        duties,
    }
}

/// One grid's place in a ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked<T> {
    /// 1-based; equal totals share a rank (1, 2, 2, 4).
    pub rank: usize,
    /// This month's total minus last month's (None when last month is unknown).
    pub change: Option<f64>,
    pub item: T,
}

/// Orders grids by total (highest first, then by key for a stable order) and computes the
/// month-on-month change from each grid's previous total.
pub fn rank<T>(mut entries: Vec<(String, f64, Option<f64>, T)>) -> Vec<(String, f64, Ranked<T>)> {
    entries.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut out: Vec<(String, f64, Ranked<T>)> = Vec::with_capacity(entries.len());
    for (i, (key, total, previous, item)) in entries.into_iter().enumerate() {
        let rank = match out.last() {
            Some((_, last_total, last)) if *last_total == total => last.rank,
            _ => i + 1,
        };
        let change = previous.map(|p| round2(total - p));
        out.push((key, total, Ranked { rank, change, item }));
    }
    out
}

/// A calendar month (`2026-10`), the index's period, in China time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

impl Month {
    /// Parses `YYYY-MM` (2000-01 to 2099-12).
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = || format!("month must be YYYY-MM, got `{text}`");
        let (y, m) = text.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        if !(2000..=2099).contains(&year) || !(1..=12).contains(&month) {
            return Err(bad());
        }
        Ok(Self { year, month })
    }

    /// The month a date falls in.
    pub fn of(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    /// The first day of the following month (the period's exclusive end).
    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn previous(self) -> Self {
        if self.month == 1 {
            Self {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Self {
                year: self.year,
                month: self.month - 1,
            }
        }
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn busy_grid() -> GridActivity {
        GridActivity {
            worker_reports: 10,
            base_changes: 25,
            solved_on_spot: 4,
            grid_disputes: 5,
            grid_disputes_resolved: 4,
            risk_reports: 3,
            worker_reports_rejected: 0,
            evaluation_points: 8,
            evaluation_max: 8,
            visit_issues: 6,
            visit_issues_solved: 6,
            dispatched_events: 3,
            dispatched_closed: 3,
            urgent_events: 1,
            urgent_fast: 1,
            records_total: 100,
            records_complete: 100,
            records_fresh: 100,
            households_total: 40,
            households_visited: 12,
            visits: 20,
        }
    }

    #[test]
    fn the_formula_is_consistent() {
        let f = default_formula();
        f.check().unwrap();
        assert_eq!(f.duties.len(), 8);
        assert_eq!(f.duties.iter().map(|d| d.weight).sum::<f64>(), 100.0);
    }

    #[test]
    fn a_grid_doing_everything_scores_100() {
        let s = score(&default_formula(), &busy_grid(), &[]);
        assert_eq!(s.total, 100.0);
        assert!(s.duties.iter().all(|d| d.score == d.weight));
    }

    #[test]
    fn an_idle_grid_scores_only_the_neutral_parts() {
        let s = score(&default_formula(), &GridActivity::default(), &[]);
        // Neutral shares: dispute resolution 10×0.6, accuracy 5×0.5, satisfaction 6×0.6,
        // visit issues 4×0.6, coordinated 10×0.8, emergency 10×0.8; no data → no quality.
        assert_eq!(s.total, 6.0 + 2.5 + 3.6 + 2.4 + 8.0 + 8.0);
        let quality = s
            .duties
            .iter()
            .find(|d| d.duty == Duty::BaseDataQuality)
            .unwrap();
        assert_eq!(quality.score, 0.0);
    }

    #[test]
    fn counts_are_capped_at_their_target() {
        let f = default_formula();
        let mut a = busy_grid();
        a.worker_reports = 4;
        let half = score(&f, &a, &[]);
        let d = &half.duties[0];
        assert_eq!(
            d.components[0].points, 5.0,
            "4 of 8 reports earn half of 10"
        );
        assert_eq!(d.components[0].fraction, 0.5);
        a.worker_reports = 80;
        let capped = score(&f, &a, &[]);
        assert_eq!(capped.duties[0].components[0].points, 10.0);
    }

    #[test]
    fn shares_scale_to_their_target() {
        let f = default_formula();
        let mut a = busy_grid();
        // 3 of 40 households = 7.5%, a quarter of the 30% target: 2.5 of 10 points.
        a.households_visited = 3;
        let s = score(&f, &a, &[]);
        let visits = s
            .duties
            .iter()
            .find(|d| d.duty == Duty::VisitCoverage)
            .unwrap();
        assert_eq!(visits.components[0].points, 2.5);
        assert_eq!(visits.score, 7.5);
        // Rejected reports cut accuracy: 5 of 10 rejected leave half of 5 points.
        a.worker_reports_rejected = 5;
        let s = score(&f, &a, &[]);
        assert_eq!(s.duties[2].components[1].points, 2.5);
        // Mean evaluation 3 of 5: (3−1)/4 = 0.5 of 6 points.
        a.evaluation_points = 4;
        a.evaluation_max = 8;
        let s = score(&f, &a, &[]);
        assert_eq!(s.duties[3].components[0].points, 3.0);
    }

    #[test]
    fn manual_items_add_and_are_clamped_to_the_duty() {
        let f = default_formula();
        let mut a = busy_grid();
        a.urgent_fast = 0; // emergency response automatic 0
        let items = [
            Assessment {
                duty: Duty::EmergencyResponse,
                points: 4.0,
            },
            Assessment {
                duty: Duty::SourceCollection,
                points: 5.0, // already full: stays at 15
            },
            Assessment {
                duty: Duty::VisitCoverage,
                points: -20.0, // cannot go below zero
            },
        ];
        let s = score(&f, &a, &items);
        let by = |d: Duty| s.duties.iter().find(|x| x.duty == d).unwrap().clone();
        assert_eq!(by(Duty::EmergencyResponse).score, 4.0);
        assert_eq!(by(Duty::EmergencyResponse).manual, 4.0);
        assert_eq!(by(Duty::SourceCollection).score, 15.0);
        assert_eq!(by(Duty::VisitCoverage).score, 0.0);
        assert_eq!(s.total, 100.0 - 10.0 + 4.0 - 15.0);
        assert_eq!(s.total, s.duties.iter().map(|d| d.score).sum::<f64>());
    }

    #[test]
    fn manual_points_are_checked() {
        let f = default_formula();
        assert!(check_assessment(&f, Duty::EmergencyResponse, -10.0).is_ok());
        assert!(check_assessment(&f, Duty::EmergencyResponse, 1.5).is_ok());
        assert!(check_assessment(&f, Duty::EmergencyResponse, 10.5).is_err());
        assert!(check_assessment(&f, Duty::EmergencyResponse, 0.0).is_err());
        assert_eq!(
            check_assessment(&f, Duty::EmergencyResponse, 1.2),
            Err(AssessmentError::NotHalfStep)
        );
    }

    #[test]
    fn the_breakdown_adds_up_to_the_total() {
        let f = default_formula();
        let a = GridActivity {
            worker_reports: 3,
            base_changes: 7,
            grid_disputes: 3,
            grid_disputes_resolved: 1,
            records_total: 7,
            records_complete: 3,
            records_fresh: 6,
            households_total: 9,
            households_visited: 1,
            visits: 1,
            ..GridActivity::default()
        };
        let s = score(&f, &a, &[]);
        let sum: f64 = s.duties.iter().map(|d| d.score).sum();
        assert!((sum - s.total).abs() < 1e-9, "{sum} vs {}", s.total);
        for d in &s.duties {
            let parts: f64 = d.components.iter().map(|c| c.points).sum();
            assert!((parts - d.automatic).abs() < 1e-9);
        }
    }

    #[test]
    fn ranking_shares_ranks_and_reports_the_change() {
        let ranked = rank(vec![
            ("b".to_owned(), 80.0, Some(70.0), ()),
            ("a".to_owned(), 90.0, None, ()),
            ("c".to_owned(), 80.0, Some(85.5), ()),
            ("d".to_owned(), 10.0, Some(10.0), ()),
        ]);
        let view: Vec<(&str, usize, Option<f64>)> = ranked
            .iter()
            .map(|(k, _, r)| (k.as_str(), r.rank, r.change))
            .collect();
        assert_eq!(
            view,
            vec![
                ("a", 1, None),
                ("b", 2, Some(10.0)),
                ("c", 2, Some(-5.5)),
                ("d", 4, Some(0.0)),
            ]
        );
    }

    #[test]
    fn months_parse_and_step() {
        let m = Month::parse("2026-10").unwrap();
        assert_eq!(m.to_string(), "2026-10");
        assert_eq!(m.first_day(), NaiveDate::from_ymd_opt(2026, 10, 1).unwrap());
        assert_eq!(m.next().to_string(), "2026-11");
        assert_eq!(
            Month::parse("2026-12").unwrap().next().to_string(),
            "2027-01"
        );
        assert_eq!(
            Month::parse("2026-01").unwrap().previous().to_string(),
            "2025-12"
        );
        for bad in [
            "2026-13", "2026-1", "26-10", "2026/10", "abcd-ef", "1999-12",
        ] {
            assert!(Month::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Month::of(NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()).to_string(),
            "2026-02"
        );
    }
}
