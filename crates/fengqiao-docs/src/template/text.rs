//! Parser of the inline text language: `{{path}}`, `{{#each}}`, `{{#if}}`, `{{#unless}}`, `{{else}}`.
//!
//! The language is deliberately small (no expressions, no helpers, no partials): a template is
//! data an administrator edits, so it must not be able to run code or loop without bound.

use crate::error::DocError;

/// Deepest nesting of `#each`/`#if` sections; a guard against stack exhaustion from hostile input.
const MAX_NESTING: usize = 16;

/// One node of a parsed text template.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Text(String),
    Value(Path),
    Each {
        list: Path,
        body: Vec<Node>,
    },
    /// `#if` (negated = false) or `#unless` (negated = true).
    Condition {
        test: Path,
        negated: bool,
        then: Vec<Node>,
        otherwise: Vec<Node>,
    },
}

/// A placeholder path as written, e.g. `case.code`, `this`, `@number`, `parties.0.name`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Path {
    pub(crate) raw: String,
    pub(crate) kind: PathKind,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PathKind {
    /// `this` or `this.a.b`: looked up in the innermost scope only.
    This(Vec<String>),
    /// `a.b.c`: `a` is looked up from the innermost scope outwards.
    Named(Vec<String>),
    /// `@index` (0-based), `@number` (1-based), `@number_cn` (一, 二 …), `@first`, `@last`.
    Loop(LoopVar),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum LoopVar {
    Index,
    Number,
    NumberCn,
    First,
    Last,
}

/// Parses `source`; `location` only feeds error messages.
pub(crate) fn parse(source: &str, location: &str) -> Result<Vec<Node>, DocError> {
    let tokens = tokenize(source, location)?;
    let mut parser = Parser {
        tokens: tokens.into_iter().peekable(),
        location,
    };
    let (nodes, end) = parser.nodes(0)?;
    match end {
        None => Ok(nodes),
        Some(tag) => Err(syntax(
            location,
            format!("`{{{{{tag}}}}}` without an opening tag"),
        )),
    }
}

fn syntax(location: &str, detail: String) -> DocError {
    DocError::TemplateSyntax {
        location: location.to_owned(),
        detail,
    }
}

#[derive(Debug)]
enum Token {
    Text(String),
    /// The trimmed content between `{{` and `}}`.
    Tag(String),
}

fn tokenize(source: &str, location: &str) -> Result<Vec<Token>, DocError> {
    let mut tokens = Vec::new();
    let mut rest = source;
    while let Some(open) = rest.find("{{") {
        if open > 0 {
            tokens.push(Token::Text(rest[..open].to_owned()));
        }
        let after_open = &rest[open + 2..];
        let Some(close) = after_open.find("}}") else {
            return Err(syntax(
                location,
                format!(
                    "`{{{{` at byte {} is never closed with `}}}}`",
                    source.len() - rest.len() + open
                ),
            ));
        };
        let tag = after_open[..close].trim();
        if tag.contains("{{") {
            return Err(syntax(location, format!("`{{{{` inside the tag `{tag}`")));
        }
        tokens.push(Token::Tag(tag.to_owned()));
        rest = &after_open[close + 2..];
    }
    if !rest.is_empty() {
        tokens.push(Token::Text(rest.to_owned()));
    }
    Ok(tokens)
}

struct Parser<'a, I: Iterator<Item = Token>> {
    tokens: std::iter::Peekable<I>,
    location: &'a str,
}

impl<I: Iterator<Item = Token>> Parser<'_, I> {
    /// Parses nodes until the input ends or a closing/`else` tag appears; returns that tag.
    fn nodes(&mut self, depth: usize) -> Result<(Vec<Node>, Option<String>), DocError> {
        let mut nodes = Vec::new();
        while let Some(token) = self.tokens.next() {
            let tag = match token {
                Token::Text(text) => {
                    nodes.push(Node::Text(text));
                    continue;
                }
                Token::Tag(tag) => tag,
            };
            if tag == "else" || tag.starts_with('/') {
                return Ok((nodes, Some(tag)));
            }
            if let Some(section) = tag.strip_prefix('#') {
                if depth >= MAX_NESTING {
                    return Err(syntax(
                        self.location,
                        format!("sections nested deeper than {MAX_NESTING}"),
                    ));
                }
                nodes.push(self.section(section, depth + 1)?);
            } else {
                nodes.push(Node::Value(parse_path(&tag, self.location)?));
            }
        }
        Ok((nodes, None))
    }

    fn section(&mut self, section: &str, depth: usize) -> Result<Node, DocError> {
        let (keyword, argument) = section
            .split_once(char::is_whitespace)
            .unwrap_or((section, ""));
        let argument = argument.trim();
        if !matches!(keyword, "each" | "if" | "unless") {
            return Err(syntax(
                self.location,
                format!("unknown section `#{keyword}` (known: #each, #if, #unless)"),
            ));
        }
        if argument.is_empty() {
            return Err(syntax(self.location, format!("`#{keyword}` needs a path")));
        }
        let path = parse_path(argument, self.location)?;
        let (body, end) = self.nodes(depth)?;
        let closing = format!("/{keyword}");
        let otherwise = match end.as_deref() {
            Some("else") if keyword != "each" => {
                let (otherwise, end) = self.nodes(depth)?;
                self.expect_close(end, &closing)?;
                otherwise
            }
            Some("else") => {
                return Err(syntax(
                    self.location,
                    "`{{else}}` inside `#each`".to_owned(),
                ));
            }
            _ => {
                self.expect_close(end, &closing)?;
                Vec::new()
            }
        };
        Ok(match keyword {
            "each" => Node::Each { list: path, body },
            negation => Node::Condition {
                test: path,
                negated: negation == "unless",
                then: body,
                otherwise,
            },
        })
    }

    fn expect_close(&self, end: Option<String>, closing: &str) -> Result<(), DocError> {
        match end {
            Some(tag) if tag == closing => Ok(()),
            Some(tag) => Err(syntax(
                self.location,
                format!("expected `{{{{{closing}}}}}`, found `{{{{{tag}}}}}`"),
            )),
            None => Err(syntax(
                self.location,
                format!("missing `{{{{{closing}}}}}`"),
            )),
        }
    }
}

pub(crate) fn parse_path(raw: &str, location: &str) -> Result<Path, DocError> {
    let bad = |why: &str| {
        syntax(
            location,
            format!("`{{{{{raw}}}}}` is not a valid path: {why}"),
        )
    };
    if raw.is_empty() {
        return Err(bad("empty"));
    }
    if let Some(variable) = raw.strip_prefix('@') {
        let var = match variable {
            "index" => LoopVar::Index,
            "number" => LoopVar::Number,
            "number_cn" => LoopVar::NumberCn,
            "first" => LoopVar::First,
            "last" => LoopVar::Last,
            _ => {
                return Err(bad(
                    "loop variables are @index, @number, @number_cn, @first, @last",
                ));
            }
        };
        return Ok(Path {
            raw: raw.to_owned(),
            kind: PathKind::Loop(var),
        });
    }
    let segments: Vec<String> = raw.split('.').map(str::to_owned).collect();
    if segments.iter().any(|segment| {
        segment.is_empty()
            || segment
                .chars()
                .any(|c| c.is_whitespace() || "{}#/@".contains(c))
    }) {
        return Err(bad("segments are names or list positions joined by `.`"));
    }
    let kind = match segments.split_first() {
        Some((first, rest)) if first == "this" => PathKind::This(rest.to_vec()),
        _ => PathKind::Named(segments),
    };
    Ok(Path {
        raw: raw.to_owned(),
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(raw: &str) -> Path {
        Path {
            raw: raw.to_owned(),
            kind: PathKind::Named(raw.split('.').map(str::to_owned).collect()),
        }
    }

    #[test]
    fn parses_text_values_and_sections() {
        let nodes = parse(
            "案号：{{case.number}}{{#each parties}}{{name}}{{/each}}",
            "t",
        )
        .unwrap();
        assert_eq!(
            nodes,
            vec![
                Node::Text("案号：".into()),
                Node::Value(named("case.number")),
                Node::Each {
                    list: named("parties"),
                    body: vec![Node::Value(named("name"))],
                },
            ]
        );
    }

    #[test]
    fn parses_if_else_and_unless() {
        let nodes = parse(
            "{{#if a}}x{{else}}y{{/if}}{{#unless @last}}、{{/unless}}",
            "t",
        )
        .unwrap();
        assert_eq!(nodes.len(), 2);
        assert_eq!(
            nodes[0],
            Node::Condition {
                test: named("a"),
                negated: false,
                then: vec![Node::Text("x".into())],
                otherwise: vec![Node::Text("y".into())],
            }
        );
        assert!(matches!(
            &nodes[1],
            Node::Condition {
                negated: true,
                test: Path {
                    kind: PathKind::Loop(LoopVar::Last),
                    ..
                },
                ..
            }
        ));
    }

    #[test]
    fn this_paths_are_scoped_to_the_current_item() {
        let nodes = parse("{{this}}{{this.name}}", "t").unwrap();
        assert_eq!(
            nodes,
            vec![
                Node::Value(Path {
                    raw: "this".into(),
                    kind: PathKind::This(vec![])
                }),
                Node::Value(Path {
                    raw: "this.name".into(),
                    kind: PathKind::This(vec!["name".into()])
                }),
            ]
        );
    }

    #[test]
    fn syntax_errors_name_the_problem_and_location() {
        let cases = [
            ("{{#each a}}x", "missing `{{/each}}`"),
            (
                "{{#if a}}x{{/each}}",
                "expected `{{/if}}`, found `{{/each}}`",
            ),
            ("x{{/if}}", "`{{/if}}` without an opening tag"),
            ("{{name", "never closed"),
            ("{{#with a}}{{/with}}", "unknown section `#with`"),
            ("{{#each}}{{/each}}", "`#each` needs a path"),
            ("{{a..b}}", "not a valid path"),
            ("{{@count}}", "loop variables are"),
            ("{{#each a}}{{else}}{{/each}}", "`{{else}}` inside `#each`"),
        ];
        for (source, expected) in cases {
            let message = parse(source, "block 1 (paragraph)")
                .unwrap_err()
                .to_string();
            assert!(message.contains(expected), "{source}: {message}");
            assert!(
                message.contains("block 1 (paragraph)"),
                "{source}: {message}"
            );
        }
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = "{{#if a}}".repeat(MAX_NESTING + 1) + &"{{/if}}".repeat(MAX_NESTING + 1);
        let message = parse(&deep, "t").unwrap_err().to_string();
        assert!(message.contains("nested deeper than 16"), "{message}");
        let allowed = "{{#if a}}".repeat(MAX_NESTING) + &"{{/if}}".repeat(MAX_NESTING);
        assert!(parse(&allowed, "t").is_ok());
    }

    #[test]
    fn text_without_tags_is_one_node() {
        assert_eq!(parse("此致", "t").unwrap(), vec![Node::Text("此致".into())]);
        assert_eq!(parse("", "t").unwrap(), vec![]);
    }
}
