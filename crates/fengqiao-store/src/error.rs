//! Storage errors, shaped so the HTTP layer can map each to a status and a stable code.

use fengqiao_domain::validation::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Missing, or outside the caller's data scope: the two are deliberately indistinguishable.
    #[error("{entity} not found")]
    NotFound { entity: &'static str },
    /// The caller may see the record but not do this to it.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// A unique constraint was violated; `field` names the column the user can change.
    #[error("{field} already exists")]
    Conflict { field: String },
    /// The input was rejected before anything was written.
    #[error("invalid input: {}", describe(.0))]
    Invalid(Vec<FieldError>),
    /// The database said no for a reason a caller cannot fix (connection, constraint bug …).
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Stored data is not what the code expects (e.g. an unknown enum code): a bug or tampering.
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
    #[error("unsupported database url `{0}` (use sqlite:… or postgres://…)")]
    UnsupportedUrl(String),
    #[error("encryption: {0}")]
    Crypto(String),
}

impl StoreError {
    pub fn invalid(field: &str, code: &str, message: impl Into<String>) -> Self {
        StoreError::Invalid(vec![FieldError::new(field, code, message)])
    }

    /// Turns a unique-constraint violation into `Conflict` naming the field; other errors pass.
    pub(crate) fn from_write(err: sqlx::Error, unique_fields: &[(&str, &str)]) -> Self {
        if let sqlx::Error::Database(db) = &err
            && db.is_unique_violation()
        {
            let detail = format!("{} {}", db.message(), db.constraint().unwrap_or_default());
            for (needle, field) in unique_fields {
                if detail.contains(needle) {
                    return StoreError::Conflict {
                        field: (*field).to_owned(),
                    };
                }
            }
            return StoreError::Conflict {
                field: unique_fields
                    .first()
                    .map(|f| f.1)
                    .unwrap_or("id")
                    .to_owned(),
            };
        }
        StoreError::Database(err)
    }
}

fn describe(problems: &[FieldError]) -> String {
    problems
        .iter()
        .map(|p| format!("{} ({}): {}", p.field, p.code, p.message))
        .collect::<Vec<_>>()
        .join("; ")
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
