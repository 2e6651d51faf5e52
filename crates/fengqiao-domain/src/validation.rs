//! Field-level validation errors: every rejection names the field and says why, in words a user can act on.

use serde::Serialize;

/// One problem with one input field.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// Path of the field, dotted for nesting (`parties.0.id_number`).
    pub field: String,
    /// Stable machine code (`required`, `too_long`, `bad_check_digit` …) the UI can translate.
    pub code: String,
    /// Human explanation.
    pub message: String,
}

impl FieldError {
    pub fn new(
        field: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

/// Collects every field problem of one input, so the user sees them all at once.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Problems(pub Vec<FieldError>);

impl Problems {
    pub fn push(&mut self, field: &str, code: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, code, message));
    }
    /// A required, trimmed text of at most `max` characters.
    pub fn text(&mut self, field: &str, value: &str, max: usize) -> String {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            self.push(field, "required", "不能为空");
        } else if trimmed.chars().count() > max {
            self.push(field, "too_long", format!("不能超过 {max} 个字符"));
        } else if trimmed.chars().any(char::is_control) {
            self.push(field, "control_char", "不能包含控制字符");
        }
        trimmed.to_owned()
    }
    /// An optional trimmed text (may be empty) of at most `max` characters, without control characters.
    pub fn optional_text(&mut self, field: &str, value: &str, max: usize) -> String {
        let trimmed = value.trim();
        if trimmed.chars().count() > max {
            self.push(field, "too_long", format!("不能超过 {max} 个字符"));
        } else if trimmed.chars().any(char::is_control) {
            self.push(field, "control_char", "不能包含控制字符");
        }
        trimmed.to_owned()
    }
    /// Ok when nothing was found, else every problem.
    pub fn finish(self) -> Result<(), Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_all_problems() {
        let mut p = Problems::default();
        assert_eq!(p.text("name", "  上城区 ", 10), "上城区");
        p.text("title", "   ", 10);
        p.text("note", "一二三四五六", 5);
        p.optional_text("address", "望江\u{0}街道", 50);
        let errs = p.finish().unwrap_err();
        assert_eq!(errs.len(), 3);
        assert_eq!(errs[2].code, "control_char");
        assert_eq!(errs[0].field, "title");
        assert_eq!(errs[0].code, "required");
        assert_eq!(errs[1].code, "too_long");
    }
}
