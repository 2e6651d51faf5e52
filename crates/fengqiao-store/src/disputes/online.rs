//! Online self-service filing (网上自助申请) needs no account, so it is rate-limited by the
//! applicant's phone: each filing is counted, and more than a few a day from one number are refused.

use crate::db::Store;
use crate::error::{Result, StoreError};
use fengqiao_domain::time::Timestamp;
use sea_query::{Alias, Expr, ExprTrait, Query};

impl Store {
    /// Counts a filing for `key` (a blind index of the applicant's phone); refuses once `max`
    /// filings fall within `window_secs`.
    pub async fn count_online_filing(
        &self,
        key: &str,
        now: Timestamp,
        max: i64,
        window_secs: i64,
    ) -> Result<()> {
        let key = format!("online:{key}");
        let since = now.plus_seconds(-window_secs).as_micros();
        let mut tx = self.begin().await?;
        let recent: Option<(i64,)> = tx
            .fetch_optional(
                &Query::select()
                    .expr(Expr::col(Alias::new("code")).count())
                    .from(Alias::new("party_access_failures"))
                    .and_where(Expr::col(Alias::new("code")).eq(key.as_str()))
                    .and_where(Expr::col(Alias::new("at")).gte(since))
                    .to_owned(),
            )
            .await?;
        if recent.map_or(0, |r| r.0) >= max {
            return Err(StoreError::invalid(
                "parties.0.phone",
                "too_many_filings",
                "该手机号今日网上申请次数已达上限，请到综治中心窗口办理或拨打 12345",
            ));
        }
        tx.execute(
            &Query::insert()
                .into_table(Alias::new("party_access_failures"))
                .columns([Alias::new("code"), Alias::new("at")])
                .values_panic([key.into(), now.as_micros().into()])
                .to_owned(),
        )
        .await?;
        tx.commit().await
    }
}
