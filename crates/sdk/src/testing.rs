//! Test helpers for analyzer authors: fixture text in, expected spans out.
//!
//! [`run`] sends the document through the same JSON encoding the host uses across the plugin
//! boundary, so a test that passes here sees what `slant` will see.
//!
//! ```ignore
//! use slant_sdk::testing::{self, span};
//!
//! let text = "It may rain. It will rain.";
//! let out = testing::run(&Hedging::default(), text, &[span(text, "sentence", "It may rain.")]);
//! testing::assert_spans(&out, text, "hedge", &[("may", Some("hedge"))]);
//! ```

use slant_core::{Analyzer, Annotation, Document, Output};

use crate::wire;

/// A document with `text` (id `test`) and the given input layers.
pub fn document(text: &str, layers: &[Annotation]) -> Document {
    let mut doc = Document::new("test", text);
    let mut names: Vec<&str> = layers.iter().map(|a| &*a.layer).collect();
    names.dedup();
    for n in names {
        doc.touch_layer(n);
    }
    let rejected = doc.add_annotations(layers.to_vec());
    assert!(rejected.is_empty(), "input spans off char boundaries: {rejected:?}");
    doc
}

/// Runs `analyzer` on `text` with `layers` already present, through the plugin wire format
/// (document encoded and decoded, output encoded and decoded), and returns its output.
pub fn run(analyzer: &dyn Analyzer, text: &str, layers: &[Annotation]) -> Output {
    let doc = document(text, layers);
    run_document(analyzer, &doc)
}

/// Like [`run`] for a document you built yourself (title, metadata, summaries).
pub fn run_document(analyzer: &dyn Analyzer, doc: &Document) -> Output {
    let required = analyzer.requires();
    let sent = wire::decode_document(&wire::encode_document(doc, Some(&required)))
        .unwrap_or_else(|e| panic!("the document does not survive the wire: {e}"));
    let out = analyzer.analyze(&sent);
    wire::decode_output(&wire::encode_output(out))
        .unwrap_or_else(|e| panic!("the output does not survive the wire: {e}"))
}

/// The annotation of `layer` covering the first occurrence of `needle` in `text`.
///
/// Panics if `needle` does not occur: a fixture that does not contain its own spans is a bug.
pub fn span(text: &str, layer: &str, needle: &str) -> Annotation {
    let start = text.find(needle).unwrap_or_else(|| panic!("fixture text does not contain {needle:?}"));
    Annotation::new(layer.to_string(), start, start + needle.len())
}

/// One sentence annotation per run of text ending in `.`, `!` or `?` (or the end): a crude
/// splitter good enough for fixtures of plain sentences.
pub fn sentences(text: &str) -> Vec<Annotation> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if matches!(b, b'.' | b'!' | b'?') && bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace()) {
            push_trimmed(text, start, i + 1, &mut out);
            start = i + 1;
        }
    }
    push_trimmed(text, start, text.len(), &mut out);
    out
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<Annotation>) {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if !trimmed.is_empty() {
        out.push(Annotation::new("sentence", start + lead, start + lead + trimmed.len()));
    }
}

/// The spans of `layer` in `out`, as `(covered text, label)`, in text order.
pub fn spans<'t>(out: &Output, text: &'t str, layer: &str) -> Vec<(&'t str, Option<String>)> {
    let mut list: Vec<&Annotation> = out.annotations.iter().filter(|a| a.layer == layer).collect();
    list.sort_by_key(|a| (a.start, a.end));
    list.into_iter().map(|a| (text.get(a.start..a.end).unwrap_or(""), a.label.as_deref().map(str::to_string))).collect()
}

/// Asserts that `layer` in `out` holds exactly `expected` spans, given as `(covered text,
/// label)` in text order, and that every span lies on char boundaries of `text`.
#[track_caller]
pub fn assert_spans(out: &Output, text: &str, layer: &str, expected: &[(&str, Option<&str>)]) {
    for a in out.annotations.iter().filter(|a| a.layer == layer) {
        assert!(
            a.start <= a.end && text.get(a.start..a.end).is_some(),
            "span {}..{} of layer `{layer}` is not on char boundaries of the text",
            a.start,
            a.end
        );
    }
    let got = spans(out, text, layer);
    let got: Vec<(&str, Option<&str>)> = got.iter().map(|(t, l)| (*t, l.as_deref())).collect();
    assert_eq!(got, expected, "spans of layer `{layer}`");
}

/// Code-point offsets of an annotation, as they will appear in the output record.
pub fn char_offsets(text: &str, a: &Annotation) -> (usize, usize) {
    (text[..a.start].chars().count(), text[..a.end].chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Modal;

    impl Analyzer for Modal {
        fn name(&self) -> &str {
            "modal"
        }
        fn requires(&self) -> Vec<&str> {
            vec!["sentence"]
        }
        fn provides(&self) -> Vec<&str> {
            vec!["modal"]
        }
        fn analyze(&self, doc: &Document) -> Output {
            let mut out = Output::new();
            for s in doc.layer("sentence") {
                let t = s.text(doc.text());
                if let Some(i) = t.find("may") {
                    out.push(Annotation::new("modal", s.start + i, s.start + i + 3).with_label("hedge"));
                }
            }
            out
        }
    }

    #[test]
    fn run_passes_required_layers_and_returns_spans() {
        let text = "“It may rain,” she said. It will – not may? Fine.";
        let sents = sentences(text);
        assert_eq!(sents.len(), 3);
        let out = run(&Modal, text, &sents);
        assert_spans(&out, text, "modal", &[("may", Some("hedge")), ("may", Some("hedge"))]);
        let second = &out.annotations[1];
        assert_eq!(char_offsets(text, second), (39, 42));
    }

    #[test]
    fn span_finds_the_needle() {
        let a = span("a’b c", "x", "b c");
        assert_eq!((a.start, a.end), (4, 7));
    }
}
