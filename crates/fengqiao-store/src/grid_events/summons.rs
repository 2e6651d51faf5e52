//! 街乡吹哨、部门报到: a street summons several departments to one matter; each reports in and
//! answers. Stored with who answered when, so the board shows who has not.

use crate::audit::{self, AuditCtx};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::scope::Scope;
use fengqiao_domain::grid_event::{SUMMONS_CLOCK, SummonsAnswer, SummonsError, check_summons};
use sea_query::{Alias, Expr, ExprTrait, Iden, Order, Query};
use serde::Serialize;

#[derive(Iden, Clone, Copy)]
enum Summons {
    Table,
    Id,
    RegionCode,
    RegionPath,
    Title,
    Description,
    EventId,
    RaisedBy,
    RaisedByOrgId,
    ClockId,
    Status,
    CreatedAt,
    ClosedAt,
}

const COLUMNS: [Summons; 12] = [
    Summons::Id,
    Summons::RegionCode,
    Summons::RegionPath,
    Summons::Title,
    Summons::Description,
    Summons::EventId,
    Summons::RaisedBy,
    Summons::RaisedByOrgId,
    Summons::ClockId,
    Summons::Status,
    Summons::CreatedAt,
    Summons::ClosedAt,
];

#[derive(Iden, Clone, Copy)]
enum SummonsDepartments {
    Table,
    SummonsId,
    OrgId,
    Status,
    ReportedAt,
    ReportedBy,
    Answer,
    AnsweredAt,
}

#[derive(Iden)]
enum Organisations {
    Table,
    Id,
    Name,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SummonsRow {
    pub id: String,
    pub region_code: String,
    pub region_path: String,
    pub title: String,
    pub description: String,
    pub event_id: Option<String>,
    pub raised_by: Option<String>,
    pub raised_by_org_id: Option<String>,
    pub clock_id: String,
    /// `open` or `closed`.
    pub status: String,
    pub created_at: i64,
    pub closed_at: Option<i64>,
}

/// One summoned department: `pending` → `reported` (报到) → `answered` (答复).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SummonsDepartmentRow {
    pub summons_id: String,
    pub org_id: String,
    pub org_name: String,
    pub status: String,
    pub reported_at: Option<i64>,
    pub reported_by: Option<String>,
    pub answer: String,
    pub answered_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SummonsDetail {
    pub summons: SummonsRow,
    pub departments: Vec<SummonsDepartmentRow>,
}

#[derive(Debug, Clone)]
pub struct NewSummons {
    pub id: String,
    pub region_code: String,
    pub region_path: String,
    pub title: String,
    pub description: String,
    pub event_id: Option<String>,
    pub department_ids: Vec<String>,
}

impl Store {
    pub async fn raise_summons(&self, ctx: &AuditCtx, new: &NewSummons) -> Result<SummonsDetail> {
        check_summons(&new.title, &new.description, &new.department_ids).map_err(
            |SummonsError::Invalid { field, reason }| StoreError::invalid(field, "invalid", reason),
        )?;
        let mut tx = self.begin().await?;
        for org in &new.department_ids {
            super::catalogue::ensure_department_in(&mut tx, org)
                .await
                .map_err(|_| {
                    StoreError::invalid(
                        "department_ids",
                        "not_department",
                        format!("`{org}` 不是在用的职能部门"),
                    )
                })?;
        }
        if let Some(event) = &new.event_id {
            super::event_in(&mut tx, event).await.map_err(|_| {
                StoreError::invalid("event_id", "not_found", "关联的网格事件不存在")
            })?;
        }
        let row = SummonsRow {
            id: new.id.clone(),
            region_code: new.region_code.clone(),
            region_path: new.region_path.clone(),
            title: new.title.trim().to_owned(),
            description: new.description.trim().to_owned(),
            event_id: new.event_id.clone(),
            raised_by: ctx.actor_user_id.clone(),
            raised_by_org_id: ctx.actor_org_id.clone(),
            clock_id: SUMMONS_CLOCK.to_owned(),
            status: "open".to_owned(),
            created_at: ctx.at.as_micros(),
            closed_at: None,
        };
        tx.execute(
            &Query::insert()
                .into_table(Summons::Table)
                .columns(COLUMNS)
                .values_panic([
                    row.id.clone().into(),
                    row.region_code.clone().into(),
                    row.region_path.clone().into(),
                    row.title.clone().into(),
                    row.description.clone().into(),
                    row.event_id.clone().into(),
                    row.raised_by.clone().into(),
                    row.raised_by_org_id.clone().into(),
                    row.clock_id.clone().into(),
                    row.status.clone().into(),
                    row.created_at.into(),
                    row.closed_at.into(),
                ])
                .to_owned(),
        )
        .await?;
        for org in &new.department_ids {
            tx.execute(
                &Query::insert()
                    .into_table(SummonsDepartments::Table)
                    .columns([
                        SummonsDepartments::SummonsId,
                        SummonsDepartments::OrgId,
                        SummonsDepartments::Status,
                    ])
                    .values_panic([row.id.clone().into(), org.clone().into(), "pending".into()])
                    .to_owned(),
            )
            .await?;
        }
        audit::append(
            &mut tx,
            ctx,
            "summons.raise",
            "summons",
            &row.id,
            None::<&()>,
            Some(&serde_json::json!({ "summons": row, "departments": new.department_ids })),
        )
        .await?;
        tx.commit().await?;
        self.summons(&Scope::Everything, &new.id).await
    }

    /// A summoned department reports in or answers. Answering without reporting first counts as
    /// both. Nothing changes on a closed summons.
    pub async fn answer_summons(
        &self,
        ctx: &AuditCtx,
        summons_id: &str,
        org_id: &str,
        answer: &SummonsAnswer,
    ) -> Result<SummonsDetail> {
        let current = self.summons(&Scope::Everything, summons_id).await?;
        if current.summons.status != "open" {
            return Err(StoreError::invalid("summons", "closed", "吹哨事项已结束"));
        }
        let Some(mine) = current.departments.iter().find(|d| d.org_id == org_id) else {
            return Err(StoreError::Forbidden("本部门不在此次吹哨召集之列".into()));
        };
        let at = ctx.at.as_micros();
        let mut update = Query::update()
            .table(SummonsDepartments::Table)
            .and_where(Expr::col(SummonsDepartments::SummonsId).eq(summons_id))
            .and_where(Expr::col(SummonsDepartments::OrgId).eq(org_id))
            .and_where(Expr::col(SummonsDepartments::Status).eq(mine.status.as_str()))
            .to_owned();
        match answer {
            SummonsAnswer::Report => {
                if mine.status != "pending" {
                    return Err(StoreError::invalid("action", "already_reported", "已报到"));
                }
                update.values([
                    (SummonsDepartments::Status, "reported".into()),
                    (SummonsDepartments::ReportedAt, at.into()),
                    (
                        SummonsDepartments::ReportedBy,
                        ctx.actor_user_id.clone().into(),
                    ),
                ]);
            }
            SummonsAnswer::Answer { text } => {
                if text.trim().is_empty() {
                    return Err(StoreError::invalid("text", "required", "答复内容不能为空"));
                }
                update.values([
                    (SummonsDepartments::Status, "answered".into()),
                    (SummonsDepartments::Answer, text.trim().into()),
                    (SummonsDepartments::AnsweredAt, at.into()),
                ]);
                if mine.reported_at.is_none() {
                    update.values([
                        (SummonsDepartments::ReportedAt, at.into()),
                        (
                            SummonsDepartments::ReportedBy,
                            ctx.actor_user_id.clone().into(),
                        ),
                    ]);
                }
            }
        }
        let mut tx = self.begin().await?;
        if tx.execute(&update).await? != 1 {
            return Err(StoreError::Conflict {
                field: "status".into(),
            });
        }
        audit::append(
            &mut tx,
            ctx,
            "summons.answer",
            "summons",
            summons_id,
            Some(&serde_json::json!({ "org_id": org_id, "status": mine.status })),
            Some(&serde_json::json!({ "org_id": org_id, "answer": answer })),
        )
        .await?;
        tx.commit().await?;
        self.summons(&Scope::Everything, summons_id).await
    }

    /// The raiser closes the matter (all answered, or decided otherwise), with a note.
    pub async fn close_summons(
        &self,
        ctx: &AuditCtx,
        summons_id: &str,
        note: &str,
    ) -> Result<SummonsDetail> {
        let mut tx = self.begin().await?;
        let changed = tx
            .execute(
                &Query::update()
                    .table(Summons::Table)
                    .values([
                        (Summons::Status, "closed".into()),
                        (Summons::ClosedAt, ctx.at.as_micros().into()),
                    ])
                    .and_where(Expr::col(Summons::Id).eq(summons_id))
                    .and_where(Expr::col(Summons::Status).eq("open"))
                    .to_owned(),
            )
            .await?;
        if changed != 1 {
            return Err(StoreError::invalid(
                "summons",
                "closed",
                "吹哨事项已结束或不存在",
            ));
        }
        audit::append(
            &mut tx,
            ctx,
            "summons.close",
            "summons",
            summons_id,
            None::<&()>,
            Some(&serde_json::json!({ "note": note })),
        )
        .await?;
        tx.commit().await?;
        self.summons(&Scope::Everything, summons_id).await
    }

    pub async fn summons(&self, scope: &Scope, id: &str) -> Result<SummonsDetail> {
        let summons: SummonsRow = self
            .fetch_optional(
                &Query::select()
                    .columns(COLUMNS)
                    .from(Summons::Table)
                    .and_where(Expr::col(Summons::Id).eq(id))
                    .and_where(scope.path_condition(Summons::RegionPath))
                    .to_owned(),
            )
            .await?
            .ok_or(StoreError::NotFound { entity: "summons" })?;
        let departments = self.summons_departments(&[id.to_owned()]).await?;
        Ok(SummonsDetail {
            summons,
            departments,
        })
    }

    /// Summonses in scope, or that summon `org_id`, newest first.
    pub async fn list_summons(
        &self,
        scope: &Scope,
        org_id: Option<&str>,
        open_only: bool,
    ) -> Result<Vec<SummonsDetail>> {
        let mut visible = scope.path_condition((Summons::Table, Summons::RegionPath));
        if let Some(org) = org_id {
            visible = visible.or(Expr::col((Summons::Table, Summons::Id)).in_subquery(
                Query::select()
                    .column(SummonsDepartments::SummonsId)
                    .from(SummonsDepartments::Table)
                    .and_where(Expr::col(SummonsDepartments::OrgId).eq(org))
                    .to_owned(),
            ));
        }
        let mut q = Query::select()
            .columns(COLUMNS.map(|c| (Summons::Table, c)))
            .from(Summons::Table)
            .and_where(visible)
            .order_by(Summons::CreatedAt, Order::Desc)
            .limit(200)
            .to_owned();
        if open_only {
            q.and_where(Expr::col(Summons::Status).eq("open"));
        }
        let rows: Vec<SummonsRow> = self.fetch_all(&q).await?;
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let mut departments = self.summons_departments(&ids).await?;
        Ok(rows
            .into_iter()
            .map(|summons| {
                let (mine, rest): (Vec<_>, Vec<_>) = departments
                    .drain(..)
                    .partition(|d| d.summons_id == summons.id);
                departments = rest;
                SummonsDetail {
                    summons,
                    departments: mine,
                }
            })
            .collect())
    }

    async fn summons_departments(&self, ids: &[String]) -> Result<Vec<SummonsDepartmentRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        self.fetch_all(
            &Query::select()
                .columns([
                    (SummonsDepartments::Table, SummonsDepartments::SummonsId),
                    (SummonsDepartments::Table, SummonsDepartments::OrgId),
                ])
                .expr_as(
                    Expr::col((Organisations::Table, Organisations::Name)),
                    Alias::new("org_name"),
                )
                .columns([
                    (SummonsDepartments::Table, SummonsDepartments::Status),
                    (SummonsDepartments::Table, SummonsDepartments::ReportedAt),
                    (SummonsDepartments::Table, SummonsDepartments::ReportedBy),
                    (SummonsDepartments::Table, SummonsDepartments::Answer),
                    (SummonsDepartments::Table, SummonsDepartments::AnsweredAt),
                ])
                .from(SummonsDepartments::Table)
                .inner_join(
                    Organisations::Table,
                    Expr::col((Organisations::Table, Organisations::Id))
                        .equals((SummonsDepartments::Table, SummonsDepartments::OrgId)),
                )
                .and_where(
                    Expr::col((SummonsDepartments::Table, SummonsDepartments::SummonsId))
                        .is_in(ids.iter().cloned()),
                )
                .order_by((Organisations::Table, Organisations::Name), Order::Asc)
                .to_owned(),
        )
        .await
    }
}
