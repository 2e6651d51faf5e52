//! The one error envelope: every failure maps to an HTTP status and a stable snake_case code the
//! console translates; 5xx details are logged, never sent.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use fengqiao_domain::validation::FieldError;
use fengqiao_store::StoreError;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("request body is not valid JSON: {message}")]
    MalformedJson { message: String },
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("authentication required")]
    Unauthenticated,
    #[error("wrong username or password")]
    BadCredentials,
    #[error("account locked until {until}")]
    Locked {
        until: String,
        retry_after_secs: i64,
    },
    #[error("your role does not allow this action")]
    Forbidden,
    #[error("{entity} not found")]
    NotFound { entity: &'static str },
    #[error("{field} already exists")]
    Conflict { field: String },
    #[error("too many attempts")]
    TooManyAttempts { retry_after_secs: i64 },
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    pub fn invalid(field: &str, code: &str, message: impl Into<String>) -> Self {
        ApiError::Invalid(vec![FieldError::new(field, code, message)])
    }

    fn parts(&self) -> (StatusCode, &'static str, String) {
        match self {
            ApiError::MalformedJson { message } => {
                (StatusCode::BAD_REQUEST, "malformed_json", message.clone())
            }
            ApiError::Invalid(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                "输入有误，请检查标出的字段".into(),
            ),
            ApiError::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "请先登录".into(),
            ),
            ApiError::BadCredentials => (
                StatusCode::UNAUTHORIZED,
                "bad_credentials",
                "用户名或密码错误".into(),
            ),
            ApiError::Locked { until, .. } => (
                StatusCode::LOCKED,
                "account_locked",
                format!("密码连续错误次数过多，账户已锁定至 {until}，请稍后再试或联系管理员解锁"),
            ),
            ApiError::Forbidden => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "您的角色无权执行此操作".into(),
            ),
            ApiError::NotFound { entity } => (
                StatusCode::NOT_FOUND,
                "not_found",
                format!("{entity} 不存在"),
            ),
            ApiError::Conflict { field } => {
                (StatusCode::CONFLICT, "conflict", format!("{field} 已存在"))
            }
            ApiError::TooManyAttempts { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_attempts",
                "尝试次数过多，请稍后再试".into(),
            ),
            ApiError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "服务器内部错误，已记录".into(),
            ),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { entity } => ApiError::NotFound { entity },
            StoreError::Conflict { field } => ApiError::Conflict { field },
            StoreError::Invalid(errs) => ApiError::Invalid(errs),
            StoreError::Forbidden(_) => ApiError::Forbidden,
            other => ApiError::Internal(other.to_string()),
        }
    }
}

/// The JSON body of every error response.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable machine code (`validation_failed`, `not_found` …).
    pub code: String,
    /// Human message in Chinese.
    pub message: String,
    /// The first offending field, when there is one.
    pub field: Option<String>,
    /// Every field problem.
    pub details: Vec<FieldError>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = self.parts();
        if let ApiError::Internal(detail) = &self {
            tracing::error!(error = %detail, "internal error");
        }
        let details = match &self {
            ApiError::Invalid(errs) => errs.clone(),
            ApiError::Conflict { field } => {
                vec![FieldError::new(field, "conflict", message.clone())]
            }
            _ => Vec::new(),
        };
        let field = details.first().map(|d| d.field.clone());
        let body = ErrorEnvelope {
            error: ErrorBody {
                code: code.into(),
                message,
                field,
                details,
            },
        };
        let mut resp = (status, Json(body)).into_response();
        if let ApiError::Locked {
            retry_after_secs, ..
        }
        | ApiError::TooManyAttempts { retry_after_secs } = &self
            && let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string())
        {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        resp
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
