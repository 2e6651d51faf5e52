//! `TestApp`: the real router over a fresh, seeded store, driven in-process with `oneshot`.
//!
//! The seed is the smallest tree that can show a scope leak: city 339900 → district 339902 →
//! streets 339902001 and 339902002 → one community each, a governance centre at the city and at
//! each street, and four accounts (city admin, street-1 admin and intake, street-2 intake).

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use fengqiao_domain::identifiers::MobileNumber;
use fengqiao_domain::org::OrgKind;
use fengqiao_domain::region::RegionLevel;
use fengqiao_domain::role::Role;
use fengqiao_domain::time::Timestamp;
use fengqiao_http::{AppState, AuthConfig, ManualClock, app, routes::auth::hash_password};
use fengqiao_store::orgs::NewOrg;
use fengqiao_store::regions::NewRegion;
use fengqiao_store::testing::TestStore;
use fengqiao_store::users::NewUser;
use fengqiao_store::{AuditCtx, FieldCipher, Scope};
use http_body_util::BodyExt;
use serde_json::Value;
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;

/// Every seeded account's password.
pub const PASSWORD: &str = "Fengqiao2026";

/// Where the manual clock starts: 2026-03-02 10:00 China time.
pub const START: &str = "2026-03-02T02:00:00Z";

pub const CITY: &str = "339900";
pub const DISTRICT: &str = "339902";
pub const STREET_1: &str = "339902001";
pub const STREET_2: &str = "339902002";
pub const COMMUNITY_1: &str = "339902001001";
pub const COMMUNITY_2: &str = "339902002001";

pub const ORG_CITY: &str = "org-city-centre";
pub const ORG_S1: &str = "org-s1-centre";
pub const ORG_S2: &str = "org-s2-centre";
pub const ORG_S1_NAME: &str = "望江街道综治中心";
pub const ORG_S2_NAME: &str = "清波街道综治中心";

pub const USER_ADMIN: &str = "user-admin";
pub const USER_S1_ADMIN: &str = "user-s1-admin";
pub const USER_S1_INTAKE: &str = "user-s1-intake";
pub const USER_S2_INTAKE: &str = "user-s2-intake";

/// s1_intake's phone, revealed in full only through the reveal endpoint.
pub const S1_INTAKE_PHONE: &str = "13812345678";
pub const S2_INTAKE_PHONE: &str = "13987654321";

/// One response: status, body (JSON, or the text as a JSON string when it is not JSON), headers.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
    pub headers: HeaderMap,
    /// The body as sent (for files: xlsx, docx, PDF, images).
    pub raw: Vec<u8>,
}

impl Reply {
    /// The envelope's `error.code`, or "" when there is none.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or_default()
    }
    /// The envelope's `error.field`, or "" when there is none.
    pub fn field(&self) -> &str {
        self.body["error"]["field"].as_str().unwrap_or_default()
    }
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
    pub fn text(&self) -> &str {
        self.body.as_str().unwrap_or_default()
    }
    /// Asserts an error reply: the status, the envelope code, and a non-empty message.
    #[track_caller]
    pub fn assert_error(&self, status: StatusCode, code: &str) {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.body
        );
        assert_eq!(
            self.code(),
            code,
            "unexpected error code; body: {}",
            self.body
        );
        assert!(
            self.body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "error without a message: {}",
            self.body
        );
    }
}

/// The application over a seeded store, with the clock in the test's hand.
pub struct TestApp {
    pub router: Router,
    /// The state behind the router (the worker and restarts in tests use it).
    pub state: AppState,
    pub clock: Arc<ManualClock>,
    pub backend: &'static str,
    // Keeps the SQLite file / PostgreSQL schema alive for the test's length.
    _store: TestStore,
}

fn password_hash() -> String {
    // argon2 is deliberately slow: hash once per test binary and share it among the seeded users.
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_password(PASSWORD).expect("hash password"))
        .clone()
}

fn region(code: &str, name: &str, level: RegionLevel, parent: Option<&str>) -> NewRegion {
    NewRegion {
        code: code.into(),
        name: name.into(),
        level,
        parent_code: parent.map(Into::into),
        grid_kind: None,
        population: Some(20_000),
        geometry: None,
    }
}

fn centre(name: &str, region_code: &str) -> NewOrg {
    NewOrg {
        name: name.into(),
        kind: OrgKind::GovernanceCentre,
        region_code: region_code.into(),
        specialty: None,
        court_id: None,
        address: format!("{name}一楼大厅"),
        phone: "0571-88880000".into(),
    }
}

fn account(username: &str, display: &str, org_id: &str, role: Role, phone: &str) -> NewUser {
    NewUser {
        username: username.into(),
        display_name: display.into(),
        org_id: org_id.into(),
        roles: vec![role],
        password_hash: password_hash(),
        phone: Some(MobileNumber::parse(phone).expect("seed phone")),
        id_number: None,
    }
}

impl TestApp {
    /// Seeds `store` and builds the router with a manual clock at [`START`].
    pub async fn init(store: TestStore) -> Self {
        let start = Timestamp::parse_rfc3339(START).expect("start time");
        let ctx = AuditCtx::system(start);
        let all = Scope::Everything;
        let regions = [
            region(CITY, "临江市", RegionLevel::City, None),
            region(DISTRICT, "江城区", RegionLevel::District, Some(CITY)),
            region(STREET_1, "望江街道", RegionLevel::Street, Some(DISTRICT)),
            region(STREET_2, "清波街道", RegionLevel::Street, Some(DISTRICT)),
            region(
                COMMUNITY_1,
                "江滨社区",
                RegionLevel::Community,
                Some(STREET_1),
            ),
            region(
                COMMUNITY_2,
                "湖畔社区",
                RegionLevel::Community,
                Some(STREET_2),
            ),
        ];
        for r in &regions {
            store
                .create_region(&ctx, &all, r)
                .await
                .expect("seed region");
        }
        let orgs = [
            (ORG_CITY, centre("临江市社会治理中心", CITY)),
            (ORG_S1, centre(ORG_S1_NAME, STREET_1)),
            (ORG_S2, centre(ORG_S2_NAME, STREET_2)),
        ];
        for (id, org) in &orgs {
            store
                .create_org(&ctx, &all, id, org)
                .await
                .expect("seed organisation");
        }
        let cipher = FieldCipher::new(&[7u8; 32]);
        let users = [
            (
                USER_ADMIN,
                account("admin", "市级管理员", ORG_CITY, Role::Admin, "13700000001"),
            ),
            (
                USER_S1_ADMIN,
                account("s1_admin", "望江管理员", ORG_S1, Role::Admin, "13700000002"),
            ),
            (
                USER_S1_INTAKE,
                account(
                    "s1_intake",
                    "望江受理员",
                    ORG_S1,
                    Role::Intake,
                    S1_INTAKE_PHONE,
                ),
            ),
            (
                USER_S2_INTAKE,
                account(
                    "s2_intake",
                    "清波受理员",
                    ORG_S2,
                    Role::Intake,
                    S2_INTAKE_PHONE,
                ),
            ),
        ];
        for (id, user) in &users {
            store
                .create_user(&ctx, &all, &cipher, id, user)
                .await
                .expect("seed user");
        }
        store
            .ensure_dispute_types(
                &ctx,
                &fengqiao_store::disputes::DisputeTypeRow::defaults(start),
            )
            .await
            .expect("seed dispute types");
        store
            .ensure_routing_rules(
                &ctx,
                &fengqiao_domain::dispute::routing::default_routing_rules(),
            )
            .await
            .expect("seed routing rules");
        store
            .ensure_grid_defaults(&ctx)
            .await
            .expect("seed grid event categories and dispatch rules");
        let clock = Arc::new(ManualClock::at(start));
        let state = AppState::new(
            store.store.clone(),
            cipher,
            clock.clone(),
            AuthConfig::default(),
        );
        TestApp {
            router: app(state.clone()),
            state,
            clock,
            backend: store.backend().name(),
            _store: store,
        }
    }

    /// The store behind the app, for seeding what a test needs beyond the common tree.
    pub fn store(&self) -> &fengqiao_store::Store {
        &self._store.store
    }

    /// Sends one request through the whole router (layers included).
    pub async fn send(&self, req: Request<Body>) -> Reply {
        let resp = self
            .router
            .clone()
            .oneshot(req)
            .await
            .expect("router is infallible");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp
            .into_body()
            .collect()
            .await
            .expect("read body")
            .to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        Reply {
            status,
            body,
            headers,
            raw: bytes.to_vec(),
        }
    }

    /// A request builder with the bearer token set (when there is one).
    pub fn request(
        method: Method,
        path: &str,
        token: Option<&str>,
    ) -> axum::http::request::Builder {
        let builder = Request::builder().method(method).uri(path);
        match token {
            Some(t) => builder.header(header::AUTHORIZATION, format!("Bearer {t}")),
            None => builder,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.send(
            Self::request(Method::GET, path, token)
                .body(Body::empty())
                .expect("request"),
        )
        .await
    }

    pub async fn post_json(&self, path: &str, token: Option<&str>, body: &Value) -> Reply {
        self.post_raw(
            path,
            token,
            "application/json",
            body.to_string().into_bytes(),
        )
        .await
    }

    pub async fn patch_json(&self, path: &str, token: Option<&str>, body: &Value) -> Reply {
        self.send_raw(
            Method::PATCH,
            path,
            token,
            "application/json",
            body.to_string().into_bytes(),
        )
        .await
    }

    pub async fn put_json(&self, path: &str, token: Option<&str>, body: &Value) -> Reply {
        self.send_raw(
            Method::PUT,
            path,
            token,
            "application/json",
            body.to_string().into_bytes(),
        )
        .await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Reply {
        self.send(
            Self::request(Method::DELETE, path, token)
                .body(Body::empty())
                .expect("request"),
        )
        .await
    }

    pub async fn post_raw(
        &self,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Reply {
        self.send_raw(Method::POST, path, token, content_type, bytes)
            .await
    }

    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Reply {
        let req = Self::request(method, path, token)
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(bytes))
            .expect("request");
        self.send(req).await
    }

    /// Logs in and returns the bearer token, failing the test on anything but 200.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let reply = self.try_login(username, password).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "login of {username} failed: {}",
            reply.body
        );
        reply.body["token"]
            .as_str()
            .expect("token in login reply")
            .to_owned()
    }

    pub async fn try_login(&self, username: &str, password: &str) -> Reply {
        self.post_json(
            "/api/v1/auth/login",
            None,
            &serde_json::json!({ "username": username, "password": password }),
        )
        .await
    }
}

/// Declares async test bodies `async fn NAME(app: TestApp)`, each run as two tests:
/// `sqlite::NAME` and `postgres::NAME` (the latter skipped with a notice when PostgreSQL is not
/// configured outside CI, as the store's contract suite does). Attributes before a name (such as
/// `#[ignore = "…"]`) go on both tests.
#[macro_export]
macro_rules! api_tests {
    ($($(#[$meta:meta])* $name:ident),* $(,)?) => {
        mod sqlite {
            $(
                $(#[$meta])*
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let store = fengqiao_store::testing::sqlite().await;
                    super::$name($crate::support::TestApp::init(store).await).await;
                }
            )*
        }
        mod postgres {
            $(
                $(#[$meta])*
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(store) = fengqiao_store::testing::postgres().await {
                        super::$name($crate::support::TestApp::init(store).await).await;
                    }
                }
            )*
        }
    };
}
