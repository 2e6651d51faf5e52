//! Revealing a party's full identifier (查看完整证件号/手机号): staff who can see the case may,
//! with a stated reason that goes on the audit trail in the same breath as the value is read.

use super::{CaseScope, DisputeParties, get_in};
use crate::audit::{self, AuditCtx};
use crate::crypto::FieldCipher;
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::users::SensitiveField;
use sea_query::{Expr, ExprTrait, Query};

impl Store {
    /// The plain value of party `seq`'s phone or resident ID (`None` when none was given).
    #[allow(clippy::too_many_arguments)] // who, where, which key, which party, which field, why
    pub async fn reveal_party_field(
        &self,
        ctx: &AuditCtx,
        scope: &CaseScope,
        cipher: &FieldCipher,
        dispute_id: &str,
        seq: i64,
        field: SensitiveField,
        reason: &str,
    ) -> Result<Option<String>> {
        let reason = crate::users::reveal_reason(reason)?;
        let mut tx = self.begin().await?;
        get_in(&mut tx, scope, dispute_id).await?;
        let column = match field {
            SensitiveField::Phone => DisputeParties::PhoneEnc,
            SensitiveField::IdNumber => DisputeParties::IdNumberEnc,
        };
        let stored: Option<(Option<String>,)> = tx
            .fetch_optional(
                &Query::select()
                    .column(column)
                    .from(DisputeParties::Table)
                    .and_where(Expr::col(DisputeParties::DisputeId).eq(dispute_id))
                    .and_where(Expr::col(DisputeParties::Seq).eq(seq))
                    .to_owned(),
            )
            .await?;
        let Some((cipher_text,)) = stored else {
            return Err(StoreError::NotFound { entity: "party" });
        };
        let plain = cipher_text
            .as_deref()
            .map(|c| cipher.decrypt(c))
            .transpose()?;
        let note = serde_json::json!({ "party_seq": seq, "field": field, "reason": reason });
        audit::append(
            &mut tx,
            ctx,
            "dispute.party_reveal",
            "dispute",
            dispute_id,
            None::<&()>,
            Some(&note),
        )
        .await?;
        tx.commit().await?;
        Ok(plain)
    }
}
