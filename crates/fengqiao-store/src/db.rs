//! The backend switch: one `Store` over SQLite or PostgreSQL, and a `Tx` that runs sea-query
//! statements on either. Repository code never names a backend.

use crate::error::{Result, StoreError};
use sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};
use sea_query_sqlx::SqlxBinder;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, FromRow, PgPool, Postgres, Sqlite, SqlitePool, Transaction};
use std::str::FromStr;
use std::time::Duration;

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Clone)]
enum Pools {
    /// SQLite has one writer at a time: a one-connection writer pool queues writers in the
    /// application instead of letting them fail with SQLITE_BUSY on lock upgrades.
    Sqlite {
        writer: SqlitePool,
        reader: SqlitePool,
    },
    Postgres(PgPool),
}

/// Handle to the database. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pools: Pools,
    /// Calendar, regional days and clock definitions in force (see `rules.rs`).
    rules: std::sync::Arc<crate::rules::LiveRules>,
}

/// Options for opening a store.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    pub url: String,
    /// PostgreSQL schema to use (created if missing); tests give each run its own.
    pub pg_schema: Option<String>,
    pub max_connections: u32,
}

impl ConnectOptions {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            pg_schema: None,
            max_connections: 8,
        }
    }
}

/// Statements that can be built for either backend.
pub trait Statement: SqlxBinder + Sync {}
impl<T: SqlxBinder + Sync> Statement for T {}

/// A row type readable from both backends (derive `sqlx::FromRow` on a struct of portable types).
pub trait PortableRow:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}
impl<T> PortableRow for T where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

fn initial_rules() -> Result<std::sync::Arc<crate::rules::LiveRules>> {
    Ok(std::sync::Arc::new(crate::rules::LiveRules::new(
        crate::rules::RuleSet::defaults()?,
    )))
}

impl Store {
    /// Opens `sqlite:PATH` (created if missing) or `postgres://…`.
    pub async fn connect(opts: &ConnectOptions) -> Result<Self> {
        let url = opts.url.as_str();
        if url.starts_with("sqlite:") {
            let base = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let writer = SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(base.clone())
                .await?;
            let reader = SqlitePoolOptions::new()
                .max_connections(opts.max_connections.max(1))
                .connect_with(base.read_only(true))
                .await?;
            Ok(Self {
                pools: Pools::Sqlite { writer, reader },
                rules: initial_rules()?,
            })
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let mut pg = PgConnectOptions::from_str(url)?;
            if let Some(schema) = &opts.pg_schema {
                ensure_pg_schema(url, schema).await?;
                pg = pg.options([("search_path", schema.as_str())]);
            }
            let pool = PgPoolOptions::new()
                .max_connections(opts.max_connections.max(1))
                .connect_with(pg)
                .await?;
            Ok(Self {
                pools: Pools::Postgres(pool),
                rules: initial_rules()?,
            })
        } else {
            Err(StoreError::UnsupportedUrl(url.to_owned()))
        }
    }

    pub fn backend(&self) -> Backend {
        match self.pools {
            Pools::Sqlite { .. } => Backend::Sqlite,
            Pools::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies the forward-only migrations of this backend.
    pub async fn migrate(&self) -> Result<()> {
        match &self.pools {
            Pools::Sqlite { writer, .. } => {
                sqlx::migrate!("./migrations/sqlite").run(writer).await?
            }
            Pools::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await?,
        }
        // The rules tables exist now: load what administrators stored.
        self.reload_rules().await?;
        Ok(())
    }

    pub(crate) fn live_rules(&self) -> &crate::rules::LiveRules {
        &self.rules
    }

    /// Starts a write transaction.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match &self.pools {
            Pools::Sqlite { writer, .. } => Tx::Sqlite(writer.begin().await?),
            Pools::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// Runs a read-only statement on a pooled connection.
    pub async fn fetch_all<T: PortableRow>(&self, stmt: &impl Statement) -> Result<Vec<T>> {
        Ok(match &self.pools {
            Pools::Sqlite { reader, .. } => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                sqlx::query_as_with::<_, T, _>(AssertSqlSafe(sql), values)
                    .fetch_all(reader)
                    .await?
            }
            Pools::Postgres(pool) => {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                sqlx::query_as_with::<_, T, _>(AssertSqlSafe(sql), values)
                    .fetch_all(pool)
                    .await?
            }
        })
    }

    pub async fn fetch_optional<T: PortableRow>(&self, stmt: &impl Statement) -> Result<Option<T>> {
        Ok(match &self.pools {
            Pools::Sqlite { reader, .. } => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                sqlx::query_as_with::<_, T, _>(AssertSqlSafe(sql), values)
                    .fetch_optional(reader)
                    .await?
            }
            Pools::Postgres(pool) => {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                sqlx::query_as_with::<_, T, _>(AssertSqlSafe(sql), values)
                    .fetch_optional(pool)
                    .await?
            }
        })
    }

    /// A single integer (a count) from a read-only statement.
    pub async fn fetch_count(&self, stmt: &impl Statement) -> Result<i64> {
        let row: Option<(i64,)> = self.fetch_optional(stmt).await?;
        Ok(row.map(|r| r.0).unwrap_or(0))
    }

    /// Runs a statement outside any transaction (for maintenance: session pruning and the like).
    pub async fn execute(&self, stmt: &impl Statement) -> Result<u64> {
        let mut tx = self.begin().await?;
        let n = tx.execute(stmt).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Runs backend-specific raw SQL (DDL in tests and tools); never with user input.
    pub async fn raw_execute(&self, sql: &'static str) -> Result<()> {
        match &self.pools {
            Pools::Sqlite { writer, .. } => {
                sqlx::raw_sql(sql).execute(writer).await?;
            }
            Pools::Postgres(pool) => {
                sqlx::raw_sql(sql).execute(pool).await?;
            }
        }
        Ok(())
    }

    pub async fn close(&self) {
        match &self.pools {
            Pools::Sqlite { writer, reader } => {
                reader.close().await;
                writer.close().await;
            }
            Pools::Postgres(pool) => pool.close().await,
        }
    }
}

async fn ensure_pg_schema(url: &str, schema: &str) -> Result<()> {
    if !schema
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_')
        || schema.is_empty()
    {
        return Err(StoreError::invalid(
            "pg_schema",
            "bad_identifier",
            "schema names are [A-Za-z0-9_]+",
        ));
    }
    let pool = PgPoolOptions::new().max_connections(1).connect(url).await?;
    // The name was checked to be a plain identifier above, so quoting it is safe.
    sqlx::raw_sql(AssertSqlSafe(format!(
        "CREATE SCHEMA IF NOT EXISTS \"{schema}\""
    )))
    .execute(&pool)
    .await?;
    pool.close().await;
    Ok(())
}

/// A write transaction on either backend. Dropped without `commit` it rolls back.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    pub fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn execute(&mut self, stmt: &impl Statement) -> Result<u64, sqlx::Error> {
        Ok(match self {
            Tx::Sqlite(tx) => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                sqlx::query_with(AssertSqlSafe(sql), values)
                    .execute(&mut **tx)
                    .await?
                    .rows_affected()
            }
            Tx::Postgres(tx) => {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                sqlx::query_with(AssertSqlSafe(sql), values)
                    .execute(&mut **tx)
                    .await?
                    .rows_affected()
            }
        })
    }

    pub async fn fetch_all<T: PortableRow>(
        &mut self,
        stmt: &impl Statement,
    ) -> Result<Vec<T>, sqlx::Error> {
        match self {
            Tx::Sqlite(tx) => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                sqlx::query_as_with::<_, T, _>(AssertSqlSafe(sql), values)
                    .fetch_all(&mut **tx)
                    .await
            }
            Tx::Postgres(tx) => {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                sqlx::query_as_with::<_, T, _>(AssertSqlSafe(sql), values)
                    .fetch_all(&mut **tx)
                    .await
            }
        }
    }

    pub async fn fetch_optional<T: PortableRow>(
        &mut self,
        stmt: &impl Statement,
    ) -> Result<Option<T>, sqlx::Error> {
        match self {
            Tx::Sqlite(tx) => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                sqlx::query_as_with::<_, T, _>(AssertSqlSafe(sql), values)
                    .fetch_optional(&mut **tx)
                    .await
            }
            Tx::Postgres(tx) => {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                sqlx::query_as_with::<_, T, _>(AssertSqlSafe(sql), values)
                    .fetch_optional(&mut **tx)
                    .await
            }
        }
    }

    /// Backend-specific raw SQL inside this transaction (the audit head lock).
    pub(crate) async fn raw_fetch_one<T: PortableRow>(
        &mut self,
        sqlite: &'static str,
        postgres: &'static str,
    ) -> Result<T, sqlx::Error> {
        match self {
            Tx::Sqlite(tx) => sqlx::query_as::<_, T>(sqlite).fetch_one(&mut **tx).await,
            Tx::Postgres(tx) => sqlx::query_as::<_, T>(postgres).fetch_one(&mut **tx).await,
        }
    }

    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}
