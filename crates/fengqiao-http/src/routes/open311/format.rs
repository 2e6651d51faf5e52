//! One answer, two formats: handlers build a [`Node`] tree once and the `.json` or `.xml` suffix
//! picks the writer. XML carries the declaration and the element names of GeoReport v2 (a list's
//! items are wrapped in their singular name: `services`/`service`); errors use the spec's
//! `errors`/`error` with `code` and `description` and its status codes.

use crate::error::ApiError;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// The representation the client asked for with the resource's suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    /// Splits `services.json` into (`services`, Json). A name without a known suffix is taken
    /// whole and answered in XML, the format the specification requires of every server.
    pub fn split(file: &str) -> (&str, Format) {
        if let Some(name) = file.strip_suffix(".json") {
            (name, Format::Json)
        } else if let Some(name) = file.strip_suffix(".xml") {
            (name, Format::Xml)
        } else {
            (file, Format::Xml)
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json; charset=utf-8",
            Format::Xml => "text/xml; charset=utf-8",
        }
    }
}

/// A value of an answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// JSON `null`; an empty element in XML.
    Null,
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// Named fields in order.
    Obj(Vec<(&'static str, Node)>),
    /// A JSON array; in XML each item is wrapped in the element named here.
    List(&'static str, Vec<Node>),
}

impl Node {
    pub fn str(text: impl Into<String>) -> Node {
        Node::Str(text.into())
    }

    /// `Str`, or `Null` when the text is absent or empty.
    pub fn opt(text: Option<impl Into<String>>) -> Node {
        match text.map(Into::into) {
            Some(t) if !t.is_empty() => Node::Str(t),
            _ => Node::Null,
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Node::Null => Value::Null,
            Node::Str(s) => Value::String(s.clone()),
            Node::Int(i) => Value::from(*i),
            Node::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Node::Bool(b) => Value::Bool(*b),
            Node::Obj(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), v.to_json()))
                    .collect(),
            ),
            Node::List(_, items) => Value::Array(items.iter().map(Node::to_json).collect()),
        }
    }
}

/// Characters XML 1.0 cannot carry at all (most C0 controls) are dropped; the rest is escaped
/// by the writer.
fn xml_text(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
        })
        .collect()
}

fn write_node(w: &mut Writer<Vec<u8>>, name: &str, node: &Node) -> std::io::Result<()> {
    let text = match node {
        Node::Null => {
            return w.write_event(Event::Empty(BytesStart::new(name)));
        }
        Node::Str(s) => xml_text(s),
        Node::Int(i) => i.to_string(),
        Node::Float(f) => f.to_string(),
        Node::Bool(b) => b.to_string(),
        Node::Obj(fields) => {
            w.write_event(Event::Start(BytesStart::new(name)))?;
            for (k, v) in fields {
                write_node(w, k, v)?;
            }
            return w.write_event(Event::End(BytesEnd::new(name)));
        }
        Node::List(item, items) => {
            if items.is_empty() {
                return w.write_event(Event::Empty(BytesStart::new(name)));
            }
            w.write_event(Event::Start(BytesStart::new(name)))?;
            for v in items {
                write_node(w, item, v)?;
            }
            return w.write_event(Event::End(BytesEnd::new(name)));
        }
    };
    if text.is_empty() {
        return w.write_event(Event::Empty(BytesStart::new(name)));
    }
    w.write_event(Event::Start(BytesStart::new(name)))?;
    w.write_event(Event::Text(BytesText::new(&text)))?;
    w.write_event(Event::End(BytesEnd::new(name)))
}

/// The XML document for `root` (`services`, `service_definition` …) with its declaration.
pub fn to_xml(root: &str, node: &Node) -> std::io::Result<Vec<u8>> {
    let mut w = Writer::new(Vec::new());
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    write_node(&mut w, root, node)?;
    let mut out = w.into_inner();
    out.push(b'\n');
    Ok(out)
}

/// An answer in the asked format.
pub fn respond(format: Format, status: StatusCode, root: &str, node: &Node) -> Response {
    let body = match format {
        Format::Json => node.to_json().to_string().into_bytes(),
        Format::Xml => match to_xml(root, node) {
            Ok(bytes) => bytes,
            Err(e) => {
                tracing::error!(error = %e, "open311 xml");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        },
    };
    (
        status,
        [(header::CONTENT_TYPE, format.content_type())],
        body,
    )
        .into_response()
}

/// A failure as GeoReport v2 reports it: 400 for a missing or bad parameter, 403 for a bad
/// `api_key`, 404 for an unknown service, request or token, 500 (details only in the log).
#[derive(Debug)]
pub struct Open311Error {
    pub status: StatusCode,
    pub description: String,
    pub format: Format,
}

pub type O311Result<T> = Result<T, Open311Error>;

impl Open311Error {
    pub fn bad(format: Format, description: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            description: description.into(),
            format,
        }
    }
    pub fn forbidden(format: Format, description: impl Into<String>) -> Self {
        Self {
            status: StatusCode::FORBIDDEN,
            description: description.into(),
            format,
        }
    }
    pub fn not_found(format: Format, description: impl Into<String>) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            description: description.into(),
            format,
        }
    }

    /// Maps the API's own errors: field problems become 400 naming the field.
    pub fn from_api(format: Format, e: ApiError) -> Self {
        match e {
            ApiError::Invalid(problems) => Self::bad(
                format,
                problems
                    .iter()
                    .map(|p| format!("{}: {}", p.field, p.message))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            ApiError::MalformedJson { message } => Self::bad(format, message),
            ApiError::NotFound { entity } => Self::not_found(format, format!("{entity} not found")),
            ApiError::Forbidden => Self::bad(format, "this step is not allowed for this client"),
            ApiError::Conflict { field } => Self::bad(
                format,
                format!("{field}: changed by someone else, try again"),
            ),
            other => {
                tracing::error!(error = %other, "open311 internal error");
                Self {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    description: "internal error (logged)".into(),
                    format,
                }
            }
        }
    }

    pub fn from_store(format: Format, e: fengqiao_store::StoreError) -> Self {
        Self::from_api(format, e.into())
    }
}

impl IntoResponse for Open311Error {
    fn into_response(self) -> Response {
        let node = Node::List(
            "error",
            vec![Node::Obj(vec![
                ("code", Node::Int(i64::from(self.status.as_u16()))),
                ("description", Node::Str(self.description)),
            ])],
        );
        respond(self.format, self.status, "errors", &node)
    }
}

/// `.map_err(err(format))` for store and API results.
pub trait OrOpen311<T> {
    fn o311(self, format: Format) -> O311Result<T>;
}

impl<T> OrOpen311<T> for Result<T, fengqiao_store::StoreError> {
    fn o311(self, format: Format) -> O311Result<T> {
        self.map_err(|e| Open311Error::from_store(format, e))
    }
}

impl<T> OrOpen311<T> for Result<T, ApiError> {
    fn o311(self, format: Format) -> O311Result<T> {
        self.map_err(|e| Open311Error::from_api(format, e))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn services() -> Node {
        Node::List(
            "service",
            vec![Node::Obj(vec![
                ("service_code", Node::str("fire_hazard")),
                ("service_name", Node::str("消防 <安全> & \"隐患\"")),
                ("metadata", Node::Bool(true)),
                ("group", Node::Null),
            ])],
        )
    }

    #[test]
    fn xml_has_the_declaration_and_wraps_list_items() {
        let xml = String::from_utf8(to_xml("services", &services()).unwrap()).unwrap();
        assert!(
            xml.starts_with(r#"<?xml version="1.0" encoding="utf-8"?>"#),
            "{xml}"
        );
        assert!(
            xml.contains("<services><service><service_code>fire_hazard</service_code>"),
            "{xml}"
        );
        assert!(
            xml.contains("消防 &lt;安全&gt; &amp; &quot;隐患&quot;"),
            "{xml}"
        );
        assert!(
            xml.contains("<metadata>true</metadata><group/></service></services>"),
            "{xml}"
        );
    }

    #[test]
    fn json_is_an_array_of_objects() {
        let json = services().to_json();
        assert_eq!(json[0]["service_name"], "消防 <安全> & \"隐患\"");
        assert_eq!(json[0]["metadata"], true);
        assert!(json[0]["group"].is_null());
    }

    #[test]
    fn control_characters_cannot_break_the_xml() {
        let xml = String::from_utf8(
            to_xml("x", &Node::Obj(vec![("d", Node::str("a\u{0}b\u{1b}c\nd"))])).unwrap(),
        )
        .unwrap();
        assert!(xml.contains("<d>abc\nd</d>"), "{xml}");
    }

    #[test]
    fn suffixes_pick_the_format() {
        assert_eq!(Format::split("services.json"), ("services", Format::Json));
        assert_eq!(Format::split("services.xml"), ("services", Format::Xml));
        assert_eq!(Format::split("services"), ("services", Format::Xml));
    }
}
