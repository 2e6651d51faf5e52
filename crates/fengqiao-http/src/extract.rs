//! Request extractors: JSON that fails in the API's own envelope (naming the field), the request
//! id, and the authenticated caller with their data scope.

use crate::error::ApiError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use fengqiao_domain::role::Role;
use fengqiao_domain::validation::FieldError;
use fengqiao_store::users::UserRow;
use fengqiao_store::{AuditCtx, Scope};
use serde::de::DeserializeOwned;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "fq_session";

/// JSON body whose errors say which field is wrong: syntax errors → 400 `malformed_json`;
/// wrong types, missing or unknown fields → 422 `validation_failed` with the field path.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("application/json") || ct.contains("+json"));
        if !is_json {
            return Err(ApiError::MalformedJson {
                message: "Content-Type must be application/json".into(),
            });
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::MalformedJson {
                message: e.body_text(),
            })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Parses JSON text into `T`, naming the offending field on failure. Syntax errors and trailing
/// data are 400 `malformed_json`; anything well-formed but wrong is 422 naming the field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|inner| ApiError::MalformedJson {
            message: format!(
                "JSON syntax error at line {} column {}: {inner}",
                inner.line(),
                inner.column()
            ),
        })?;
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        let text = err.into_inner().to_string();
        let path = if path == "." { String::new() } else { path };
        let (field, code) = if text.starts_with("unknown field") {
            // The path already ends in the unknown key.
            (
                if path.is_empty() {
                    field_from_message(&text).unwrap_or_default()
                } else {
                    path
                },
                "unknown_field",
            )
        } else if text.starts_with("missing field") {
            // Missing fields are reported at their parent: add the name.
            let name = field_from_message(&text).unwrap_or_default();
            (
                if path.is_empty() {
                    name
                } else {
                    format!("{path}.{name}")
                },
                "required",
            )
        } else {
            (
                if path.is_empty() {
                    "body".to_owned()
                } else {
                    path
                },
                "bad_type",
            )
        };
        ApiError::Invalid(vec![FieldError::new(field, code, strip_position(&text))])
    })
}

fn field_from_message(text: &str) -> Option<String> {
    let rest = text
        .strip_prefix("unknown field `")
        .or_else(|| text.strip_prefix("missing field `"))?;
    rest.split('`').next().map(str::to_owned)
}

fn strip_position(text: &str) -> String {
    match text.find(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text.to_owned(),
    }
}

/// The request id set by the request-id layer (also echoed in the response header).
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for RequestId {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(RequestId(
            parts
                .headers
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned(),
        ))
    }
}

/// The authenticated caller: their account, roles and the data scope every query must use.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: UserRow,
    pub roles: Vec<Role>,
    pub scope: Scope,
    pub token: String,
    pub request_id: String,
}

impl CurrentUser {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
    /// Refuses unless the caller holds one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.iter().any(|r| self.has(*r)) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }
    /// Administrators of a city-level organisation, whose jurisdiction is the whole city: the
    /// audit trail and city-wide rules (calendar years, clocks, taxonomy) are theirs.
    pub fn require_city_admin(&self) -> Result<(), ApiError> {
        self.require(&[Role::Admin])?;
        if self.user.org_region_path.matches('/').count() <= 2 {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    pub fn audit(&self, state: &AppState) -> AuditCtx {
        AuditCtx {
            actor_user_id: Some(self.user.id.clone()),
            actor_org_id: Some(self.user.org_id.clone()),
            request_id: Some(self.request_id.clone()),
            at: state.clock.now(),
        }
    }
}

/// Token from `Authorization: Bearer …` or the session cookie.
pub fn session_token(parts: &Parts) -> Option<String> {
    if let Some(auth) = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        && let Some(token) = auth.strip_prefix("Bearer ")
    {
        return Some(token.trim().to_owned());
    }
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_owned())
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = session_token(parts).ok_or(ApiError::Unauthenticated)?;
        let now = state.clock.now();
        let session = state
            .store
            .find_session(&token, now)
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        let user = match state
            .store
            .get_user(&Scope::Everything, &session.user_id)
            .await
        {
            Ok(u) => u,
            Err(fengqiao_store::StoreError::NotFound { .. }) => {
                return Err(ApiError::Unauthenticated);
            }
            Err(e) => return Err(e.into()),
        };
        if !user.active {
            return Err(ApiError::Unauthenticated);
        }
        let roles = user.roles()?;
        let scope = if roles.contains(&Role::Citizen) {
            Scope::Nothing
        } else {
            Scope::Subtree(user.org_region_path.clone())
        };
        let request_id = RequestId::from_request_parts(parts, state).await?.0;
        Ok(CurrentUser {
            user,
            roles,
            scope,
            token,
            request_id,
        })
    }
}

/// Checks a list of field problems gathered by a handler.
pub fn finish(problems: Vec<FieldError>) -> Result<(), ApiError> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Invalid(problems))
    }
}

/// Query-string parameters whose errors use the API envelope and name the parameter.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        serde_urlencoded::from_str::<T>(query)
            .map(ApiQuery)
            .map_err(|e| {
                let text = e.to_string();
                let field = field_from_message(&text)
                    .or_else(|| {
                        text.split(':')
                            .next()
                            .filter(|f| !f.contains(' '))
                            .map(str::to_owned)
                    })
                    .unwrap_or_else(|| "query".to_owned());
                ApiError::Invalid(vec![FieldError::new(field, "bad_parameter", text)])
            })
    }
}
