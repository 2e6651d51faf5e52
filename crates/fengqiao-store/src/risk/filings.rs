//! What the filing rules (repeat petitions, 民转刑) read: a registered case and the earlier cases
//! against the same respondent, with their applicants' stable keys.

use crate::alerts::claimant_key;
use crate::db::Store;
use crate::error::{Result, StoreError};
use fengqiao_domain::risk::FilingFacts;
use fengqiao_domain::time::Timestamp;
use fengqiao_domain::tracking_code::TrackingCode;
use sea_query::{Alias, Expr, ExprTrait, Order, Query};
use std::collections::HashMap;

fn n(name: &str) -> Alias {
    Alias::new(name)
}

#[derive(sqlx::FromRow)]
struct CaseRow {
    id: String,
    code: String,
    created_at: i64,
    region_path: String,
    dispute_type: String,
    facts: String,
    claims: String,
    respondent_key: Option<String>,
}

const CASE_COLUMNS: [&str; 8] = [
    "id",
    "code",
    "created_at",
    "region_path",
    "dispute_type",
    "facts",
    "claims",
    "respondent_key",
];

impl Store {
    async fn applicant_keys(&self, case_ids: &[&str]) -> Result<HashMap<String, Vec<String>>> {
        let mut keys: HashMap<String, Vec<String>> = HashMap::new();
        if case_ids.is_empty() {
            return Ok(keys);
        }
        let rows: Vec<(String, Option<String>, Option<String>, String)> = self
            .fetch_all(
                &Query::select()
                    .columns(["dispute_id", "id_number_index", "phone_index", "name"].map(n))
                    .from(n("dispute_parties"))
                    .and_where(Expr::col(n("dispute_id")).is_in(case_ids.iter().copied()))
                    .and_where(Expr::col(n("role")).eq("applicant"))
                    .order_by(n("seq"), Order::Asc)
                    .to_owned(),
            )
            .await?;
        for (case, id_index, phone_index, name) in rows {
            keys.entry(case).or_default().push(claimant_key(
                id_index.as_deref(),
                phone_index.as_deref(),
                &name,
            ));
        }
        Ok(keys)
    }

    fn facts_of(row: CaseRow, keys: &mut HashMap<String, Vec<String>>) -> FilingFacts {
        FilingFacts {
            claimant_keys: keys.remove(&row.id).unwrap_or_default(),
            tracking_code: TrackingCode::parse(&row.code)
                .map(|c| c.to_string())
                .unwrap_or(row.code),
            case_id: row.id,
            filed_at: Timestamp::from_micros(row.created_at),
            region_path: row.region_path,
            type_code: row.dispute_type,
            respondent_key: row.respondent_key.unwrap_or_default(),
            text: format!("{}\n{}", row.facts, row.claims),
        }
    }

    /// The case as the filing rules see it.
    pub async fn filing_facts(&self, case_id: &str) -> Result<FilingFacts> {
        let row: CaseRow = self
            .fetch_optional(
                &Query::select()
                    .columns(CASE_COLUMNS.map(n))
                    .from(n("disputes"))
                    .and_where(Expr::col(n("id")).eq(case_id))
                    .to_owned(),
            )
            .await?
            .ok_or(StoreError::NotFound { entity: "dispute" })?;
        let mut keys = self.applicant_keys(&[case_id]).await?;
        Ok(Self::facts_of(row, &mut keys))
    }

    /// Cases against the same respondent filed in `[since, until]`, other than `case`.
    pub async fn earlier_filings(
        &self,
        respondent_key: &str,
        case_id: &str,
        since: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<FilingFacts>> {
        if respondent_key.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<CaseRow> = self
            .fetch_all(
                &Query::select()
                    .columns(CASE_COLUMNS.map(n))
                    .from(n("disputes"))
                    .and_where(Expr::col(n("respondent_key")).eq(respondent_key))
                    .and_where(Expr::col(n("created_at")).gte(since.as_micros()))
                    .and_where(Expr::col(n("created_at")).lte(until.as_micros()))
                    .and_where(Expr::col(n("id")).ne(case_id))
                    .order_by(n("created_at"), Order::Asc)
                    .limit(500)
                    .to_owned(),
            )
            .await?;
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let mut keys = self.applicant_keys(&refs).await?;
        Ok(rows
            .into_iter()
            .map(|r| Self::facts_of(r, &mut keys))
            .collect())
    }

    /// Cases filed in `[since, until]`, oldest first (for a rule's dry run over past data).
    pub async fn filings_between(
        &self,
        since: Timestamp,
        until: Timestamp,
        limit: u64,
    ) -> Result<Vec<FilingFacts>> {
        let rows: Vec<CaseRow> = self
            .fetch_all(
                &Query::select()
                    .columns(CASE_COLUMNS.map(n))
                    .from(n("disputes"))
                    .and_where(Expr::col(n("created_at")).gte(since.as_micros()))
                    .and_where(Expr::col(n("created_at")).lte(until.as_micros()))
                    .order_by(n("created_at"), Order::Asc)
                    .limit(limit)
                    .to_owned(),
            )
            .await?;
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let mut keys = HashMap::new();
        for chunk in ids.chunks(500) {
            let refs: Vec<&str> = chunk.iter().map(String::as_str).collect();
            keys.extend(self.applicant_keys(&refs).await?);
        }
        Ok(rows
            .into_iter()
            .map(|r| Self::facts_of(r, &mut keys))
            .collect())
    }
}
