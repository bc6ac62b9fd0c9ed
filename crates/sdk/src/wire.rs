//! The JSON that crosses the plugin boundary: the document the host sends, the output the plugin
//! returns, and the plugin's self-description. Offsets are UTF-8 **byte** offsets into `text`,
//! exactly as inside Slant, so nothing is converted at the boundary (see `ABI.md`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use slant_core::{Annotation, AttrValue, Attrs, Diagnostic, Document, Output};

/// One annotation of an input layer as the host writes it (the layer is the map key).
#[derive(Serialize)]
struct SpanOut<'a> {
    start: usize,
    end: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f64>,
    #[serde(skip_serializing_if = "no_attrs")]
    attrs: &'a Attrs,
}

fn no_attrs(attrs: &&Attrs) -> bool {
    attrs.is_empty()
}

/// One annotation of an input layer as the plugin reads it.
#[derive(Deserialize)]
struct SpanIn {
    start: usize,
    end: usize,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    score: Option<f64>,
    #[serde(default)]
    attrs: Attrs,
}

#[derive(Serialize)]
struct DocumentOut<'a> {
    id: &'a str,
    source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    text: &'a str,
    #[serde(skip_serializing_if = "Value::is_null")]
    meta: &'a Value,
    layers: BTreeMap<&'a str, Vec<SpanOut<'a>>>,
    summary: &'a BTreeMap<String, AttrValue>,
}

#[derive(Deserialize)]
struct DocumentIn {
    id: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    title: Option<String>,
    text: String,
    #[serde(default)]
    meta: Value,
    #[serde(default)]
    layers: BTreeMap<String, Vec<SpanIn>>,
    #[serde(default)]
    summary: BTreeMap<String, AttrValue>,
}

/// Encodes `doc` for a plugin: its text, metadata, every summary section, and the layers in
/// `layers` (`None`: all of them). The host sends only what an analyzer `requires`.
pub fn encode_document(doc: &Document, layers: Option<&[&str]>) -> Vec<u8> {
    let mut wire_layers = BTreeMap::new();
    for (name, annotations) in doc.layers() {
        if layers.is_some_and(|wanted| !wanted.contains(&name)) {
            continue;
        }
        let spans = annotations
            .iter()
            .map(|a| SpanOut { start: a.start, end: a.end, label: a.label.as_deref(), score: a.score, attrs: &a.attrs })
            .collect();
        wire_layers.insert(name, spans);
    }
    let out = DocumentOut {
        id: doc.id(),
        source: doc.source(),
        title: doc.title(),
        text: doc.text(),
        meta: doc.meta(),
        layers: wire_layers,
        summary: doc.summaries(),
    };
    // Serializing plain strings, numbers and JSON values into a Vec cannot fail.
    serde_json::to_vec(&out).unwrap_or_default()
}

/// Decodes a document sent by the host. Spans that are not on char boundaries are an error.
pub fn decode_document(bytes: &[u8]) -> Result<Document, String> {
    let wire: DocumentIn = serde_json::from_slice(bytes).map_err(|e| format!("document JSON: {e}"))?;
    let mut doc =
        Document::new(wire.id, wire.text).with_title(wire.title).with_source(wire.source).with_meta(wire.meta);
    for (layer, spans) in wire.layers {
        doc.touch_layer(&layer);
        let annotations: Vec<Annotation> = spans
            .into_iter()
            .map(|s| Annotation {
                layer: layer.clone().into(),
                start: s.start,
                end: s.end,
                label: s.label.map(Into::into),
                score: s.score,
                attrs: s.attrs,
            })
            .collect();
        let rejected = doc.add_annotations(annotations);
        if let Some(a) = rejected.first() {
            return Err(format!("layer `{layer}`: span {}..{} is not on char boundaries of the text", a.start, a.end));
        }
    }
    for (key, value) in wire.summary {
        doc.set_summary(key, value);
    }
    Ok(doc)
}

#[derive(Debug, Serialize, Deserialize)]
struct AnnotationWire {
    layer: String,
    start: usize,
    end: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    score: Option<f64>,
    #[serde(default, skip_serializing_if = "Attrs::is_empty")]
    attrs: Attrs,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct OutputWire {
    #[serde(default)]
    annotations: Vec<AnnotationWire>,
    /// Summary sections in the order the analyzer set them, as `[key, value]` pairs.
    #[serde(default)]
    summary: Vec<(String, AttrValue)>,
    #[serde(default)]
    diagnostics: Vec<Diagnostic>,
}

/// Encodes what an analyzer returned.
pub fn encode_output(output: Output) -> Vec<u8> {
    let wire = OutputWire {
        annotations: output
            .annotations
            .into_iter()
            .map(|a| AnnotationWire {
                layer: a.layer.into_owned(),
                start: a.start,
                end: a.end,
                label: a.label.map(|l| l.into_owned()),
                score: a.score,
                attrs: a.attrs,
            })
            .collect(),
        summary: output.summary,
        diagnostics: output.diagnostics,
    };
    serde_json::to_vec(&wire).unwrap_or_default()
}

/// Decodes a plugin's output. (Span validity is checked by the pipeline when it merges them.)
pub fn decode_output(bytes: &[u8]) -> Result<Output, String> {
    let wire: OutputWire = serde_json::from_slice(bytes).map_err(|e| format!("output JSON: {e}"))?;
    Ok(Output {
        annotations: wire
            .annotations
            .into_iter()
            .map(|a| Annotation {
                layer: a.layer.into(),
                start: a.start,
                end: a.end,
                label: a.label.map(Into::into),
                score: a.score,
                attrs: a.attrs,
            })
            .collect(),
        summary: wire.summary,
        diagnostics: wire.diagnostics,
    })
}

/// What `slant_describe` returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Description {
    pub abi_version: u32,
    pub sdk_version: String,
    /// `"unwind"` or `"abort"`: the panic strategy the plugin was compiled with.
    pub panic: String,
    pub analyzers: Vec<AnalyzerInfo>,
}

/// One exported analyzer's metadata (the `Analyzer` trait's metadata methods).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalyzerInfo {
    pub name: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub requires: Vec<String>,
    pub provides: Vec<String>,
}

impl AnalyzerInfo {
    pub fn of(analyzer: &dyn slant_core::Analyzer) -> Self {
        AnalyzerInfo {
            name: analyzer.name().to_string(),
            version: analyzer.version().to_string(),
            description: analyzer.description().to_string(),
            requires: analyzer.requires().into_iter().map(String::from).collect(),
            provides: analyzer.provides().into_iter().map(String::from).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_round_trips_with_multibyte_text_and_only_the_wanted_layers() {
        let text = "“Maybe,” she said – perhaps.";
        let mut doc = Document::new("d1", text).with_title(Some("T".into())).with_meta(serde_json::json!({"k": 1}));
        let start = text.find("perhaps").unwrap();
        doc.add_annotations(vec![
            Annotation::new("sentence", 0, text.len()).with_label("s").with_attr("n", 1),
            Annotation::new("quote", start, start + 7),
        ]);
        doc.touch_layer("empty");
        doc.set_summary("document", serde_json::json!({"words": 4}));
        let bytes = encode_document(&doc, Some(&["sentence", "empty"]));
        let back = decode_document(&bytes).unwrap();
        assert_eq!(back.text(), text);
        assert_eq!(back.title(), Some("T"));
        assert_eq!(back.meta()["k"], 1);
        assert_eq!(back.layer("sentence"), doc.layer("sentence"));
        assert!(back.has_layer("empty"));
        assert!(!back.has_layer("quote"), "layers not asked for are not sent");
        assert_eq!(back.summary("document"), doc.summary("document"));
    }

    #[test]
    fn spans_off_char_boundaries_are_refused() {
        let bad = r#"{"id":"x","text":"a’b","layers":{"s":[{"start":0,"end":2}]}}"#;
        assert!(decode_document(bad.as_bytes()).unwrap_err().contains("char boundaries"));
    }

    #[test]
    fn an_output_round_trips() {
        let mut out = Output::new();
        out.push(Annotation::new("hedge", 1, 4).with_label("may").with_score(0.5).with_attr("why", "modal"));
        out.summary("hedging", serde_json::json!({"count": 1}));
        out.warn("x", "careful");
        let back = decode_output(&encode_output(out.clone())).unwrap();
        assert_eq!(back.annotations, out.annotations);
        assert_eq!(back.summary, out.summary);
        assert_eq!(back.diagnostics, out.diagnostics);
    }
}
