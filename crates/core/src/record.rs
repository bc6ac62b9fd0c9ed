//! The JSON shapes at the edge: the input document (one JSONL line) and the output record,
//! both with code-point offsets as `CONTRACT.md` specifies.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::analyzer::{Diagnostic, Level};
use crate::annotation::{Annotation, Attrs};
use crate::document::Document;

/// One annotation as it appears in a record: code-point offsets and the covered text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordAnnotation {
    pub layer: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    #[serde(default, skip_serializing_if = "Attrs::is_empty")]
    pub attrs: Attrs,
}

/// Why a document could not be read or analyzed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordError {
    pub kind: String,
    pub message: String,
}

/// The output record: one per input document, always, in input order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub id: String,
    pub source: String,
    pub chars: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub meta: Value,
    #[serde(default)]
    pub annotations: Vec<RecordAnnotation>,
    #[serde(default)]
    pub summary: Map<String, Value>,
    #[serde(default)]
    pub diagnostics: Vec<Diagnostic>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<RecordError>,
}

impl Record {
    /// The record of an analyzed document, offsets converted to code points.
    pub fn from_document(doc: &Document, diagnostics: Vec<Diagnostic>) -> Record {
        let text = doc.text();
        let map = doc.offsets();
        let mut annotations = Vec::new();
        for (_, layer) in doc.layers() {
            for a in layer {
                annotations.push(RecordAnnotation {
                    layer: a.layer.to_string(),
                    start: map.to_char(text, a.start),
                    end: map.to_char(text, a.end),
                    text: a.text(text).to_string(),
                    label: a.label.as_deref().map(str::to_string),
                    score: a.score,
                    attrs: a.attrs.clone(),
                });
            }
        }
        Record {
            id: doc.id().to_string(),
            source: doc.source().to_string(),
            chars: map.len_chars(),
            title: doc.title().map(str::to_string),
            meta: doc.meta().clone(),
            annotations,
            summary: doc.summaries().iter().map(|(k, v)| (k.clone(), Value::from(v.clone()))).collect(),
            diagnostics,
            error: None,
        }
    }

    /// The record of a document that could not be read at all.
    pub fn failed(id: impl Into<String>, source: impl Into<String>, kind: &str, message: impl Into<String>) -> Record {
        Record {
            id: id.into(),
            source: source.into(),
            chars: 0,
            title: None,
            meta: Value::Null,
            annotations: Vec::new(),
            summary: Map::new(),
            diagnostics: Vec::new(),
            error: Some(RecordError { kind: kind.to_string(), message: message.into() }),
        }
    }

    /// Whether this document counts as failed for the exit status: it has an `error`, or an
    /// analyzer failed on it.
    pub fn is_failure(&self) -> bool {
        self.error.is_some() || self.diagnostics.iter().any(|d| d.level == Level::Error)
    }
}

/// Why an input line or file could not become a document.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InputError {
    #[error("not valid JSON: {0}")]
    Json(String),
    #[error("a JSONL line must be a JSON object")]
    NotAnObject,
    #[error("missing text field `{0}`")]
    MissingText(String),
    #[error("field `{0}` is not a string")]
    NotAString(String),
    #[error("annotation {index}: {message}")]
    BadAnnotation { index: usize, message: String },
}

impl InputError {
    pub fn kind(&self) -> &'static str {
        match self {
            InputError::Json(_) | InputError::NotAnObject => "malformed_json",
            InputError::MissingText(_) | InputError::NotAString(_) => "missing_text",
            InputError::BadAnnotation { .. } => "bad_annotation",
        }
    }
}

/// A parsed JSONL input line, before it becomes a [`Document`].
#[derive(Debug, Clone)]
pub struct InputDocument {
    pub id: Option<String>,
    pub text: String,
    pub title: Option<String>,
    pub meta: Value,
    /// Input annotations with **code-point** offsets.
    pub annotations: Vec<(String, usize, usize, Option<String>)>,
}

impl InputDocument {
    /// Parses one JSONL line. `text_field` names the field holding the text (default `text`).
    /// Without a `meta` object, the line's other scalar fields (say an outlet's `source`)
    /// become the metadata, so corpus files keep their columns.
    pub fn from_json(line: &str, text_field: &str) -> Result<InputDocument, InputError> {
        let value: Value = serde_json::from_str(line).map_err(|e| InputError::Json(e.to_string()))?;
        let Value::Object(mut obj) = value else {
            return Err(InputError::NotAnObject);
        };
        let text = match obj.remove(text_field) {
            Some(Value::String(s)) => s,
            Some(_) => return Err(InputError::NotAString(text_field.to_string())),
            None => return Err(InputError::MissingText(text_field.to_string())),
        };
        let id = match obj.remove("id").or_else(|| obj.remove("ID")) {
            Some(Value::String(s)) => Some(s),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let title = match obj.remove("title") {
            Some(Value::String(s)) => Some(s),
            _ => None,
        };
        let mut annotations = Vec::new();
        if let Some(list) = obj.remove("annotations") {
            let Value::Array(items) = list else {
                return Err(InputError::BadAnnotation { index: 0, message: "`annotations` must be an array".into() });
            };
            for (index, item) in items.into_iter().enumerate() {
                let bad = |message: &str| InputError::BadAnnotation { index, message: message.to_string() };
                let layer = item.get("layer").and_then(Value::as_str).ok_or_else(|| bad("missing `layer`"))?;
                let start =
                    item.get("start").and_then(Value::as_u64).ok_or_else(|| bad("missing or negative `start`"))?;
                let end = item.get("end").and_then(Value::as_u64).ok_or_else(|| bad("missing or negative `end`"))?;
                if end < start {
                    return Err(bad("`end` is before `start`"));
                }
                let label = item.get("label").and_then(Value::as_str).map(str::to_string);
                annotations.push((layer.to_string(), start as usize, end as usize, label));
            }
        }
        let meta = match obj.remove("meta") {
            Some(m) => m,
            None => {
                let rest: Map<String, Value> =
                    obj.into_iter().filter(|(_, v)| !v.is_object() && !v.is_array() && !v.is_null()).collect();
                if rest.is_empty() {
                    Value::Null
                } else {
                    Value::Object(rest)
                }
            }
        };
        Ok(InputDocument { id, text, title, meta, annotations })
    }

    /// Builds the document, converting input annotation offsets from code points to bytes.
    pub fn into_document(self, default_id: &str, source: &str) -> Result<Document, InputError> {
        let id = self.id.unwrap_or_else(|| default_id.to_string());
        let mut doc = Document::new(id, self.text).with_title(self.title).with_source(source).with_meta(self.meta);
        let mut converted = Vec::new();
        for (index, (layer, start, end, label)) in self.annotations.into_iter().enumerate() {
            let map = doc.offsets();
            let text = doc.text();
            let (Some(s), Some(e)) = (map.to_byte(text, start), map.to_byte(text, end)) else {
                return Err(InputError::BadAnnotation {
                    index,
                    message: format!(
                        "span {start}..{end} is past the end of the text ({} code points)",
                        map.len_chars()
                    ),
                });
            };
            let mut a = Annotation::new(layer, s, e);
            a.label = label.map(Into::into);
            converted.push(a);
        }
        doc.add_annotations(converted);
        Ok(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_annotations_are_code_points_and_records_give_them_back() {
        let line = r#"{"id":"x","text":"“Hi” said Putin’s aide.","annotations":[{"layer":"target","start":10,"end":15,"label":"Putin"}]}"#;
        let doc = InputDocument::from_json(line, "text").unwrap().into_document("d", "stdin:1").unwrap();
        let t = &doc.layer("target")[0];
        assert_eq!(t.text(doc.text()), "Putin");
        let rec = Record::from_document(&doc, vec![]);
        let a = &rec.annotations[0];
        let chars: Vec<char> = doc.text().chars().collect();
        assert_eq!(chars[a.start..a.end].iter().collect::<String>(), a.text);
        assert_eq!((a.start, a.end), (10, 15));
    }

    #[test]
    fn bad_lines_name_the_problem() {
        assert_eq!(InputDocument::from_json("{nope", "text").unwrap_err().kind(), "malformed_json");
        assert_eq!(
            InputDocument::from_json(r#"{"body":"x"}"#, "text").unwrap_err(),
            InputError::MissingText("text".into())
        );
        assert_eq!(InputDocument::from_json("[1]", "text").unwrap_err(), InputError::NotAnObject);
        let past = r#"{"text":"abc","annotations":[{"layer":"target","start":1,"end":9}]}"#;
        let err = InputDocument::from_json(past, "text").unwrap().into_document("d", "s").unwrap_err();
        assert!(err.to_string().contains("past the end"));
    }

    #[test]
    fn extra_scalar_fields_become_meta() {
        let line = r#"{"ID":"7","content_original":"t","source":"CNN","bias_text":"left"}"#;
        let d = InputDocument::from_json(line, "content_original").unwrap();
        assert_eq!(d.id.as_deref(), Some("7"));
        assert_eq!(d.meta["source"], "CNN");
    }
}
