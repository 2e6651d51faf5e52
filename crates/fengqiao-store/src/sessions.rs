//! Server-side sessions: only a SHA-256 of the token is stored, so a leaked table grants nothing.

use crate::db::Store;
use crate::error::Result;
use fengqiao_domain::time::Timestamp;
use sea_query::{Expr, ExprTrait, Iden, Query};
use sha2::{Digest, Sha256};

#[derive(Iden)]
enum Sessions {
    Table,
    TokenHash,
    UserId,
    CreatedAt,
    ExpiresAt,
    LastSeenAt,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionRow {
    pub token_hash: String,
    pub user_id: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub last_seen_at: i64,
}

/// The stored form of a session token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

impl Store {
    pub async fn create_session(
        &self,
        token: &str,
        user_id: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        let insert = Query::insert()
            .into_table(Sessions::Table)
            .columns([
                Sessions::TokenHash,
                Sessions::UserId,
                Sessions::CreatedAt,
                Sessions::ExpiresAt,
                Sessions::LastSeenAt,
            ])
            .values_panic([
                token_hash(token).into(),
                user_id.into(),
                now.as_micros().into(),
                expires_at.as_micros().into(),
                now.as_micros().into(),
            ])
            .to_owned();
        self.execute(&insert).await?;
        Ok(())
    }

    /// The live session for a token, or None when unknown or expired.
    pub async fn find_session(&self, token: &str, now: Timestamp) -> Result<Option<SessionRow>> {
        let q = Query::select()
            .columns([
                Sessions::TokenHash,
                Sessions::UserId,
                Sessions::CreatedAt,
                Sessions::ExpiresAt,
                Sessions::LastSeenAt,
            ])
            .from(Sessions::Table)
            .and_where(Expr::col(Sessions::TokenHash).eq(token_hash(token)))
            .and_where(Expr::col(Sessions::ExpiresAt).gt(now.as_micros()))
            .to_owned();
        self.fetch_optional(&q).await
    }

    pub async fn delete_session(&self, token: &str) -> Result<()> {
        let q = Query::delete()
            .from_table(Sessions::Table)
            .and_where(Expr::col(Sessions::TokenHash).eq(token_hash(token)))
            .to_owned();
        self.execute(&q).await?;
        Ok(())
    }

    /// Ends every session of a user (deactivation, password change).
    pub async fn delete_user_sessions(&self, user_id: &str) -> Result<()> {
        let q = Query::delete()
            .from_table(Sessions::Table)
            .and_where(Expr::col(Sessions::UserId).eq(user_id))
            .to_owned();
        self.execute(&q).await?;
        Ok(())
    }

    pub async fn prune_sessions(&self, now: Timestamp) -> Result<u64> {
        let q = Query::delete()
            .from_table(Sessions::Table)
            .and_where(Expr::col(Sessions::ExpiresAt).lte(now.as_micros()))
            .to_owned();
        self.execute(&q).await
    }
}
