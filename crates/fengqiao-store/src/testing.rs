//! Test support shared by every crate's integration tests: a fresh store per test on the
//! backend asked for, SQLite in a temporary file or PostgreSQL in a fresh schema.

use crate::db::{ConnectOptions, Store};

/// Environment variable naming the PostgreSQL server tests use.
pub const PG_URL_VAR: &str = "FENGQIAO_TEST_PG_URL";

/// A store that removes its files/schema when dropped (best effort).
pub struct TestStore {
    pub store: Store,
    _dir: Option<tempfile::TempDir>,
}

impl std::ops::Deref for TestStore {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

/// Whether tests must reach PostgreSQL (CI) rather than skip when it is not configured.
pub fn pg_required() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// A migrated SQLite store in a fresh temporary directory.
pub async fn sqlite() -> TestStore {
    #[allow(clippy::expect_used)] // test support: a failure here is a failed test
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite:{}", dir.path().join("test.sqlite").display());
    #[allow(clippy::expect_used)]
    let store = Store::connect(&ConnectOptions::new(url))
        .await
        .expect("open sqlite");
    #[allow(clippy::expect_used)]
    store.migrate().await.expect("migrate sqlite");
    TestStore {
        store,
        _dir: Some(dir),
    }
}

/// A migrated PostgreSQL store in a fresh schema, or None (with a notice) when no server is
/// configured outside CI. In CI a missing or unreachable server fails the test.
pub async fn postgres() -> Option<TestStore> {
    let url = match std::env::var(PG_URL_VAR) {
        Ok(u) => u,
        Err(_) => {
            assert!(
                !pg_required(),
                "{PG_URL_VAR} must be set in CI: the PostgreSQL contract suite cannot be skipped"
            );
            eprintln!("notice: {PG_URL_VAR} not set; skipping the PostgreSQL half of this test");
            return None;
        }
    };
    let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
    let mut opts = ConnectOptions::new(url);
    opts.pg_schema = Some(schema);
    opts.max_connections = 4;
    #[allow(clippy::expect_used)]
    let store = Store::connect(&opts)
        .await
        .expect("PostgreSQL must be reachable at FENGQIAO_TEST_PG_URL");
    #[allow(clippy::expect_used)]
    store.migrate().await.expect("migrate postgres");
    Some(TestStore { store, _dir: None })
}

/// Declares one async test body that runs as two tests, `sqlite::NAME` and `postgres::NAME`.
#[macro_export]
macro_rules! contract_tests {
    ($($name:ident => $body:ident;)*) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let store = $crate::testing::sqlite().await;
                    super::$body(&store).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(store) = $crate::testing::postgres().await {
                        super::$body(&store).await;
                    }
                }
            )*
        }
    };
}
