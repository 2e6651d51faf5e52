//! Evaluation of parsed text templates against a JSON context: scopes, lookups, truthiness.
//!
//! Strictness is the point: a placeholder that names nothing is an error naming it, never an
//! empty string, so a typo in an edited template cannot silently blank out a party's name.

use serde_json::Value;

use super::text::{LoopVar, Node, Path, PathKind};
use crate::error::DocError;

/// Position of the current item in the innermost `#each`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LoopPosition {
    pub(crate) index: usize,
    pub(crate) len: usize,
}

#[derive(Debug, Clone, Copy)]
struct Scope<'a> {
    value: &'a Value,
    position: Option<LoopPosition>,
}

/// The stack of values placeholders are looked up in: the root context, then one per `#each`.
#[derive(Debug, Clone)]
pub(crate) struct Scopes<'a> {
    stack: Vec<Scope<'a>>,
}

impl<'a> Scopes<'a> {
    pub(crate) fn new(root: &'a Value) -> Self {
        Scopes {
            stack: vec![Scope {
                value: root,
                position: None,
            }],
        }
    }

    /// Resolves `path` to a JSON value (loop variables become numbers or booleans).
    pub(crate) fn lookup(&self, path: &Path, location: &str) -> Result<Value, DocError> {
        let unknown = || DocError::UnknownPlaceholder {
            placeholder: path.raw.clone(),
            location: location.to_owned(),
        };
        match &path.kind {
            PathKind::Loop(var) => {
                let position = self
                    .stack
                    .iter()
                    .rev()
                    .find_map(|scope| scope.position)
                    .ok_or_else(unknown)?;
                Ok(loop_value(*var, position))
            }
            PathKind::This(rest) => {
                let innermost = self.stack.last().ok_or_else(unknown)?;
                descend(innermost.value, rest).cloned().ok_or_else(unknown)
            }
            PathKind::Named(segments) => {
                let (first, rest) = segments.split_first().ok_or_else(unknown)?;
                let start = self
                    .stack
                    .iter()
                    .rev()
                    .find_map(|scope| scope.value.as_object().and_then(|object| object.get(first)))
                    .ok_or_else(unknown)?;
                descend(start, rest).cloned().ok_or_else(unknown)
            }
        }
    }

    /// Resolves `path` to a list for `#each`; `null` counts as an empty list.
    pub(crate) fn list(&self, path: &Path, location: &str) -> Result<Vec<Value>, DocError> {
        match self.lookup(path, location)? {
            Value::Array(items) => Ok(items),
            Value::Null => Ok(Vec::new()),
            other => Err(DocError::NotAList {
                placeholder: path.raw.clone(),
                location: location.to_owned(),
                found: kind_name(&other),
            }),
        }
    }

    /// Renders `nodes` to a string.
    pub(crate) fn render(&mut self, nodes: &[Node], location: &str) -> Result<String, DocError> {
        let mut out = String::new();
        self.render_into(nodes, location, &mut out)?;
        Ok(out)
    }

    fn render_into(
        &mut self,
        nodes: &[Node],
        location: &str,
        out: &mut String,
    ) -> Result<(), DocError> {
        for node in nodes {
            match node {
                Node::Text(text) => out.push_str(text),
                Node::Value(path) => {
                    out.push_str(&scalar_text(&self.lookup(path, location)?, path, location)?)
                }
                Node::Each { list, body } => {
                    let items = self.list(list, location)?;
                    let len = items.len();
                    for (index, item) in items.iter().enumerate() {
                        // The item is cloned out of the context so the scope can borrow it while
                        // the stack is mutated; contexts are small documents, not data sets.
                        let mut inner = self.with_item(item, LoopPosition { index, len });
                        inner.render_into(body, location, out)?;
                    }
                }
                Node::Condition {
                    test,
                    negated,
                    then,
                    otherwise,
                } => {
                    let holds = is_truthy(&self.lookup(test, location)?) != *negated;
                    self.render_into(if holds { then } else { otherwise }, location, out)?;
                }
            }
        }
        Ok(())
    }

    /// A copy of these scopes with `item` as the innermost one (the current `#each` item).
    pub(crate) fn with_item<'b>(&self, item: &'b Value, position: LoopPosition) -> Scopes<'b>
    where
        'a: 'b,
    {
        let mut stack: Vec<Scope<'b>> = self.stack.clone();
        stack.push(Scope {
            value: item,
            position: Some(position),
        });
        Scopes { stack }
    }
}

fn descend<'v>(mut value: &'v Value, segments: &[String]) -> Option<&'v Value> {
    for segment in segments {
        value = match value {
            Value::Object(object) => object.get(segment)?,
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(value)
}

fn loop_value(var: LoopVar, position: LoopPosition) -> Value {
    match var {
        LoopVar::Index => Value::from(position.index),
        LoopVar::Number => Value::from(position.index + 1),
        LoopVar::NumberCn => Value::from(chinese_numeral(position.index + 1)),
        LoopVar::First => Value::Bool(position.index == 0),
        LoopVar::Last => Value::Bool(position.index + 1 == position.len),
    }
}

/// Text of a value used as `{{placeholder}}`: strings and numbers only.
pub(crate) fn scalar_text(value: &Value, path: &Path, location: &str) -> Result<String, DocError> {
    match value {
        Value::String(text) => Ok(text.clone()),
        Value::Number(number) => Ok(number.to_string()),
        Value::Null => Err(DocError::NullPlaceholder {
            placeholder: path.raw.clone(),
            location: location.to_owned(),
        }),
        other => Err(DocError::NotText {
            placeholder: path.raw.clone(),
            location: location.to_owned(),
            found: kind_name(other),
        }),
    }
}

/// `null`, `false`, `""` and `[]` are false; everything else (including `0`, an amount) is true.
pub(crate) fn is_truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(flag) => *flag,
        Value::String(text) => !text.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Number(_) | Value::Object(_) => true,
    }
}

fn kind_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Chinese numerals as used to number items in legal documents: 1 → 一, 12 → 十二, 105 → 一百零五.
/// Numbers from 10,000 on are written in Arabic digits (no document lists that many items).
pub(crate) fn chinese_numeral(number: usize) -> String {
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    const UNITS: [&str; 4] = ["千", "百", "十", ""];
    if number == 0 || number >= 10_000 {
        return number.to_string();
    }
    let digits = [
        number / 1000,
        number / 100 % 10,
        number / 10 % 10,
        number % 10,
    ];
    let mut out = String::new();
    let mut pending_zero = false;
    for (position, &digit) in digits.iter().enumerate() {
        if digit == 0 {
            pending_zero = !out.is_empty();
            continue;
        }
        if pending_zero {
            out.push('零');
            pending_zero = false;
        }
        // 10–19 read 十, 十一 … not 一十, 一十一.
        let is_leading_ten = out.is_empty() && position == 2 && digit == 1;
        if !is_leading_ten {
            out.push(DIGITS.get(digit).copied().unwrap_or('零'));
        }
        out.push_str(UNITS.get(position).copied().unwrap_or(""));
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::template::text::parse;

    fn render(source: &str, context: &Value) -> Result<String, DocError> {
        let nodes = parse(source, "block 1 (paragraph)")?;
        Scopes::new(context).render(&nodes, "block 1 (paragraph)")
    }

    #[test]
    fn substitutes_nested_values_numbers_and_list_positions() {
        let context = json!({"case": {"code": "2611-4831-0572-9", "amount": 12500}, "parties": [{"name": "张三"}]});
        assert_eq!(
            render(
                "解纷码{{case.code}}，标的额{{case.amount}}元，{{parties.0.name}}",
                &context
            )
            .unwrap(),
            "解纷码2611-4831-0572-9，标的额12500元，张三"
        );
    }

    #[test]
    fn each_joins_with_unless_last_and_numbers_items() {
        let context = json!({"parties": [{"name": "张三"}, {"name": "李四"}, {"name": "王五"}]});
        assert_eq!(
            render(
                "{{#each parties}}{{name}}{{#unless @last}}、{{/unless}}{{/each}}",
                &context
            )
            .unwrap(),
            "张三、李四、王五"
        );
        assert_eq!(
            render(
                "{{#each parties}}{{@number_cn}}、{{name}}；{{/each}}",
                &context
            )
            .unwrap(),
            "一、张三；二、李四；三、王五；"
        );
        assert_eq!(
            render("{{#each parties}}{{@index}}{{/each}}", &context).unwrap(),
            "012"
        );
    }

    #[test]
    fn inner_scopes_fall_back_to_outer_values() {
        let context = json!({"org": "上城区人民调解委员会", "terms": ["甲方付款", "乙方撤诉"]});
        assert_eq!(
            render("{{#each terms}}{{this}}（{{org}}）{{/each}}", &context).unwrap(),
            "甲方付款（上城区人民调解委员会）乙方撤诉（上城区人民调解委员会）"
        );
    }

    #[test]
    fn conditions_follow_truthiness_and_evaluate_only_the_taken_branch() {
        let context = json!({"company": {"legal_representative": "赵六"}, "person": {"legal_representative": null, "gender": "男"}});
        let source = "{{#if legal_representative}}法定代表人{{legal_representative}}{{else}}{{gender}}{{/if}}";
        assert_eq!(
            render(
                &format!("{{{{#each list}}}}{source}{{{{/each}}}}"),
                &json!({"list": [context["company"].clone(), context["person"].clone()]})
            )
            .unwrap(),
            "法定代表人赵六男"
        );
        assert_eq!(
            render("{{#if n}}yes{{/if}}", &json!({"n": 0})).unwrap(),
            "yes"
        );
        assert_eq!(
            render("{{#if s}}yes{{else}}no{{/if}}", &json!({"s": ""})).unwrap(),
            "no"
        );
        assert_eq!(
            render("{{#unless l}}empty{{/unless}}", &json!({"l": []})).unwrap(),
            "empty"
        );
    }

    #[test]
    fn unknown_placeholders_are_errors_naming_them() {
        let context = json!({"case": {"code": "x"}, "parties": [{"name": "张三"}]});
        let error = render("{{case.cdoe}}", &context).unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown placeholder `{{case.cdoe}}` in block 1 (paragraph)"
        );
        let error = render("{{#each parties}}{{nmae}}{{/each}}", &context).unwrap_err();
        assert!(error.to_string().contains("`{{nmae}}`"), "{error}");
        let error = render("{{#if missing}}x{{/if}}", &context).unwrap_err();
        assert!(error.to_string().contains("`{{missing}}`"), "{error}");
        let error = render("{{@index}}", &context).unwrap_err();
        assert!(error.to_string().contains("`{{@index}}`"), "{error}");
    }

    #[test]
    fn null_objects_and_lists_are_not_printed_silently() {
        let context = json!({"a": null, "o": {}, "l": [1], "b": true, "s": "x"});
        assert!(
            render("{{a}}", &context)
                .unwrap_err()
                .to_string()
                .contains("is null; wrap it in {{#if a}}")
        );
        assert!(
            render("{{o}}", &context)
                .unwrap_err()
                .to_string()
                .contains("is an object")
        );
        assert!(
            render("{{l}}", &context)
                .unwrap_err()
                .to_string()
                .contains("is a list")
        );
        assert!(
            render("{{b}}", &context)
                .unwrap_err()
                .to_string()
                .contains("true/false")
        );
        assert!(
            render("{{#each s}}{{/each}}", &context)
                .unwrap_err()
                .to_string()
                .contains("needs a list, found text")
        );
        assert_eq!(render("{{#each a}}x{{/each}}", &context).unwrap(), "");
    }

    #[test]
    fn chinese_numerals() {
        let cases = [
            (1, "一"),
            (9, "九"),
            (10, "十"),
            (11, "十一"),
            (20, "二十"),
            (21, "二十一"),
            (100, "一百"),
            (105, "一百零五"),
            (110, "一百一十"),
            (1001, "一千零一"),
            (2030, "二千零三十"),
            (10_000, "10000"),
        ];
        for (number, expected) in cases {
            assert_eq!(chinese_numeral(number), expected, "{number}");
        }
    }
}
