//! Alerts (预警) raised as records are written: here the mass-involvement alert that groups many
//! claims against one respondent. One open alert per group key; later claims update it.

use crate::audit::{self, AuditCtx};
use crate::db::{Store, Tx};
use crate::error::{Result, StoreError};
use crate::page::{Page, PageRequest};
use crate::scope::Scope;
use fengqiao_domain::dispute::group::{
    Filing, GroupAlertUpdate, GroupAssessment, GroupKey, GroupParams, OpenGroupAlert,
    RespondentKey, assess, decide_group_alert,
};
use fengqiao_domain::time::Timestamp;
use sea_query::{Alias, Expr, ExprTrait, Iden, Order, Query};
use serde::Serialize;

#[derive(Iden)]
enum Alerts {
    Table,
    Id,
    Kind,
    Level,
    GroupKey,
    Title,
    DetailJson,
    CaseCount,
    ClaimantCount,
    TotalFen,
    Status,
    RegionPath,
    OwnerOrgId,
    CreatedAt,
    UpdatedAt,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AlertRow {
    pub id: String,
    pub kind: String,
    pub level: String,
    pub group_key: String,
    pub title: String,
    pub detail_json: String,
    pub case_count: i64,
    pub claimant_count: i64,
    pub total_fen: i64,
    pub status: String,
    pub region_path: String,
    pub owner_org_id: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: [Alerts; 14] = [
    Alerts::Id,
    Alerts::Kind,
    Alerts::Level,
    Alerts::GroupKey,
    Alerts::Title,
    Alerts::DetailJson,
    Alerts::CaseCount,
    Alerts::ClaimantCount,
    Alerts::TotalFen,
    Alerts::Status,
    Alerts::RegionPath,
    Alerts::OwnerOrgId,
    Alerts::CreatedAt,
    Alerts::UpdatedAt,
];

pub const MASS_INVOLVEMENT: &str = "mass_involvement";

/// The district part of a region path (`/city/district/`), where group alerts are owned.
fn district_path(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).take(2).collect();
    format!("/{}/", parts.join("/"))
}

/// A new filing as the group detector sees it.
pub struct NewFiling<'a> {
    pub case_id: &'a str,
    pub region_path: &'a str,
    pub respondent: RespondentKey,
    pub claimant_keys: Vec<String>,
    pub amount_fen: i64,
    pub at: Timestamp,
}

/// Assesses the new filing against recent ones with the same respondent, raises or updates the
/// group's one open alert, and marks the grouped cases — inside the intake transaction.
pub(crate) async fn assess_filing_in(
    tx: &mut Tx,
    ctx: &AuditCtx,
    filing: NewFiling<'_>,
    params: &GroupParams,
) -> Result<Option<AlertRow>> {
    let storage = GroupKey::Respondent(filing.respondent.canonical()).storage_key();
    let since = filing
        .at
        .plus_seconds(-i64::from(params.window_days) * 86_400)
        .as_micros();
    let recent_cases: Vec<(String, i64, i64)> = tx
        .fetch_all(
            &Query::select()
                .columns([
                    Alias::new("id"),
                    Alias::new("created_at"),
                    Alias::new("amount_fen"),
                ])
                .from(Alias::new("disputes"))
                .and_where(Expr::col(Alias::new("respondent_key")).eq(storage.as_str()))
                .and_where(Expr::col(Alias::new("created_at")).gte(since))
                .and_where(Expr::col(Alias::new("id")).ne(filing.case_id))
                .to_owned(),
        )
        .await?;
    let mut recent = Vec::with_capacity(recent_cases.len());
    for (id, created_at, amount) in recent_cases {
        let keys: Vec<(Option<String>, Option<String>, String)> = tx
            .fetch_all(
                &Query::select()
                    .columns([
                        Alias::new("id_number_index"),
                        Alias::new("phone_index"),
                        Alias::new("name"),
                    ])
                    .from(Alias::new("dispute_parties"))
                    .and_where(Expr::col(Alias::new("dispute_id")).eq(id.as_str()))
                    .and_where(Expr::col(Alias::new("role")).eq("applicant"))
                    .to_owned(),
            )
            .await?;
        recent.push(Filing {
            case_id: id,
            filed_at: Timestamp::from_micros(created_at),
            claimant_keys: keys
                .into_iter()
                .map(|(i, p, n)| claimant_key(i.as_deref(), p.as_deref(), &n))
                .collect(),
            respondent: filing.respondent.clone(),
            site: None,
            amount_fen: amount,
        });
    }
    let new = Filing {
        case_id: filing.case_id.to_owned(),
        filed_at: filing.at,
        claimant_keys: filing.claimant_keys,
        respondent: filing.respondent.clone(),
        site: None,
        amount_fen: filing.amount_fen,
    };
    let Some(assessment) = assess(&new, &recent, params).into_iter().next() else {
        return Ok(None);
    };
    let open: Option<AlertRow> = tx
        .fetch_optional(
            &Query::select()
                .columns(COLUMNS)
                .from(Alerts::Table)
                .and_where(Expr::col(Alerts::Kind).eq(MASS_INVOLVEMENT))
                .and_where(Expr::col(Alerts::GroupKey).eq(storage.as_str()))
                .and_where(Expr::col(Alerts::Status).ne("closed"))
                .to_owned(),
        )
        .await?;
    let open_view = open.as_ref().map(|a| OpenGroupAlert {
        key: assessment.key.clone(),
        level: serde_json::from_value(serde_json::Value::String(a.level.clone()))
            .unwrap_or(assessment.level),
        distinct_claimants: u32::try_from(a.claimant_count).unwrap_or(0),
        case_count: u32::try_from(a.case_count).unwrap_or(0),
        total_amount_fen: a.total_fen,
    });
    let level = serde_json::to_value(assessment.level)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let detail =
        serde_json::to_string(&assessment).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let row = match (decide_group_alert(open_view.as_ref(), &assessment), open) {
        (GroupAlertUpdate::Raise, _) => {
            let row = AlertRow {
                id: format!("alert:{}:{}", filing.case_id, ctx.at.as_micros()),
                kind: MASS_INVOLVEMENT.into(),
                level,
                group_key: storage.clone(),
                title: title(&assessment),
                detail_json: detail,
                case_count: assessment.case_ids.len() as i64,
                claimant_count: i64::from(assessment.distinct_claimants),
                total_fen: assessment.total_amount_fen,
                status: "issued".into(),
                region_path: district_path(filing.region_path),
                owner_org_id: None,
                created_at: ctx.at.as_micros(),
                updated_at: ctx.at.as_micros(),
            };
            tx.execute(
                &Query::insert()
                    .into_table(Alerts::Table)
                    .columns(COLUMNS)
                    .values_panic([
                        row.id.clone().into(),
                        row.kind.clone().into(),
                        row.level.clone().into(),
                        row.group_key.clone().into(),
                        row.title.clone().into(),
                        row.detail_json.clone().into(),
                        row.case_count.into(),
                        row.claimant_count.into(),
                        row.total_fen.into(),
                        row.status.clone().into(),
                        row.region_path.clone().into(),
                        row.owner_org_id.clone().into(),
                        row.created_at.into(),
                        row.updated_at.into(),
                    ])
                    .to_owned(),
            )
            .await?;
            audit::append(
                tx,
                ctx,
                "alert.raise",
                "alert",
                &row.id,
                None::<&()>,
                Some(&summary(&row)),
            )
            .await?;
            row
        }
        (GroupAlertUpdate::Update { .. }, Some(mut row)) => {
            let before = summary(&row);
            row.level = level;
            row.title = title(&assessment);
            row.detail_json = detail;
            row.case_count = assessment.case_ids.len() as i64;
            row.claimant_count = i64::from(assessment.distinct_claimants);
            row.total_fen = assessment.total_amount_fen;
            row.updated_at = ctx.at.as_micros();
            tx.execute(
                &Query::update()
                    .table(Alerts::Table)
                    .values([
                        (Alerts::Level, row.level.clone().into()),
                        (Alerts::Title, row.title.clone().into()),
                        (Alerts::DetailJson, row.detail_json.clone().into()),
                        (Alerts::CaseCount, row.case_count.into()),
                        (Alerts::ClaimantCount, row.claimant_count.into()),
                        (Alerts::TotalFen, row.total_fen.into()),
                        (Alerts::UpdatedAt, row.updated_at.into()),
                    ])
                    .and_where(Expr::col(Alerts::Id).eq(row.id.as_str()))
                    .to_owned(),
            )
            .await?;
            audit::append(
                tx,
                ctx,
                "alert.update",
                "alert",
                &row.id,
                Some(&before),
                Some(&summary(&row)),
            )
            .await?;
            row
        }
        (_, existing) => return Ok(existing),
    };
    // Grouped cases carry the group key and the `mass` flag, so routing sends them to the bodies
    // for mass cases (one coordinated mediation instead of dozens).
    let cases: Vec<(String, String)> = tx
        .fetch_all(
            &Query::select()
                .columns([Alias::new("id"), Alias::new("flags")])
                .from(Alias::new("disputes"))
                .and_where(
                    Expr::col(Alias::new("id"))
                        .is_in(assessment.case_ids.iter().map(String::as_str)),
                )
                .to_owned(),
        )
        .await?;
    for (id, flags) in cases {
        let flags = if flags.contains(",mass,") {
            flags
        } else {
            add_flag(&flags, "mass")
        };
        tx.execute(
            &Query::update()
                .table(Alias::new("disputes"))
                .values([
                    (Alias::new("group_key"), storage.as_str().into()),
                    (Alias::new("flags"), flags.into()),
                ])
                .and_where(Expr::col(Alias::new("id")).eq(id.as_str()))
                .to_owned(),
        )
        .await?;
    }
    Ok(Some(row))
}

/// Adds a flag to the stored `,a,b,` form, keeping it sorted.
fn add_flag(stored: &str, flag: &str) -> String {
    let mut flags: Vec<&str> = stored
        .split(',')
        .filter(|f| !f.is_empty())
        .chain([flag])
        .collect();
    flags.sort_unstable();
    flags.dedup();
    format!(",{},", flags.join(","))
}

fn title(a: &GroupAssessment) -> String {
    format!(
        "涉众型矛盾风险：{} 名申请人、{} 件",
        a.distinct_claimants,
        a.case_ids.len()
    )
}

fn summary(row: &AlertRow) -> serde_json::Value {
    serde_json::json!({ "level": row.level, "cases": row.case_count, "claimants": row.claimant_count, "total_fen": row.total_fen, "key": row.group_key })
}

/// A stable identity for a claimant: their ID number's blind index, else their phone's, else
/// their name (weakest: two people of one name would merge).
pub fn claimant_key(id_index: Option<&str>, phone_index: Option<&str>, name: &str) -> String {
    match (id_index, phone_index) {
        (Some(i), _) => format!("id:{i}"),
        (None, Some(p)) => format!("phone:{p}"),
        (None, None) => format!("name:{}", name.trim()),
    }
}

impl Store {
    /// Alerts in the caller's jurisdiction, newest first.
    pub async fn list_alerts(&self, scope: &Scope, page: PageRequest) -> Result<Page<AlertRow>> {
        let mut q = Query::select();
        q.from(Alerts::Table)
            .and_where(scope.path_condition(Alerts::RegionPath));
        let total = self
            .fetch_count(&q.clone().expr(Expr::col(Alerts::Id).count()).to_owned())
            .await?;
        q.columns(COLUMNS).order_by(Alerts::UpdatedAt, Order::Desc);
        page.apply(&mut q);
        Ok(Page::new(self.fetch_all(&q).await?, total, page))
    }
}
