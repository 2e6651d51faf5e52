//! Pagination: every list is paged, with the total so the console can draw a pager.

use sea_query::SelectStatement;
use serde::Serialize;

/// Largest page a client may ask for.
pub const MAX_PER_PAGE: u64 = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// 1-based.
    pub page: u64,
    pub per_page: u64,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            page: 1,
            per_page: 20,
        }
    }
}

impl PageRequest {
    /// Clamps to sane bounds: page ≥ 1, 1 ≤ per_page ≤ MAX_PER_PAGE.
    pub fn new(page: Option<u64>, per_page: Option<u64>) -> Self {
        Self {
            page: page.unwrap_or(1).max(1),
            per_page: per_page.unwrap_or(20).clamp(1, MAX_PER_PAGE),
        }
    }
    pub fn all() -> Self {
        Self {
            page: 1,
            per_page: u64::MAX / 4,
        }
    }
    pub(crate) fn apply(&self, q: &mut SelectStatement) {
        q.limit(self.per_page)
            .offset((self.page - 1).saturating_mul(self.per_page));
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: u64,
    pub per_page: u64,
}

impl<T> Page<T> {
    pub fn new(items: Vec<T>, total: i64, req: PageRequest) -> Self {
        Self {
            items,
            total,
            page: req.page,
            per_page: req.per_page,
        }
    }
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            page: self.page,
            per_page: self.per_page,
        }
    }
}

/// Serialises stored microseconds as the API's RFC 3339 UTC form.
pub fn rfc3339<S: serde::Serializer>(micros: &i64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&fengqiao_domain::time::Timestamp::from_micros(*micros).to_rfc3339())
}
