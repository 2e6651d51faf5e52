//! Data scope (数据权限), enforced here and only here: every query for scoped records takes a
//! `Scope` and adds its condition, so an out-of-scope record is simply not found.

use sea_query::{Expr, ExprTrait, IntoColumnRef, SimpleExpr};

/// What part of the region tree a caller may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// No restriction: the system itself (seeding, scheduler, CLI tools).
    Everything,
    /// Records whose region path lies under this materialised path (`/339900/339902/`).
    Subtree(String),
    /// Nothing at all (citizens have no access to staff records).
    Nothing,
}

impl Scope {
    /// The condition restricting a materialised-path column to this scope.
    pub fn path_condition(&self, column: impl IntoColumnRef) -> SimpleExpr {
        match self {
            Scope::Everything => Expr::value(true),
            Scope::Subtree(path) => Expr::col(column).like(format!("{}%", escape_like(path))),
            Scope::Nothing => Expr::value(false),
        }
    }

    /// Whether a record at `path` is visible.
    pub fn covers(&self, path: &str) -> bool {
        match self {
            Scope::Everything => true,
            Scope::Subtree(root) => path.starts_with(root.as_str()),
            Scope::Nothing => false,
        }
    }
}

/// Paths are digits and slashes, but escape LIKE's wildcards anyway so a malformed path can
/// never widen a scope.
fn escape_like(text: &str) -> String {
    text.replace('\\', "").replace(['%', '_'], "")
}

/// A `LIKE '%text%'` pattern that matches `text` literally: `%`, `_` and `\` are escaped, so a
/// search for `test_user` finds exactly that.
pub fn contains(text: &str) -> sea_query::LikeExpr {
    let mut escaped = String::with_capacity(text.len() + 2);
    escaped.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped.push('%');
    sea_query::LikeExpr::new(escaped).escape('\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_only_the_subtree() {
        let s = Scope::Subtree("/339900/339902/339902001/".into());
        assert!(s.covers("/339900/339902/339902001/"));
        assert!(s.covers("/339900/339902/339902001/339902001003/"));
        assert!(!s.covers("/339900/339902/339902002/"));
        assert!(!s.covers("/339900/339902/"));
        assert!(Scope::Everything.covers("/x/"));
        assert!(!Scope::Nothing.covers("/339900/"));
    }

    #[test]
    fn wildcards_cannot_widen_a_scope() {
        assert_eq!(escape_like("/33%/_/"), "/33//");
    }
}
