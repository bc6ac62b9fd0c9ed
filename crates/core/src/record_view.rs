//! The output record of an analyzed document, serialized straight from the document.
//!
//! [`Record::from_document`](crate::Record::from_document) copies every annotation (its
//! text, label and attribute map) into a [`Record`](crate::Record), which is then serialized
//! and dropped: on news articles that copying and freeing cost about as much as the
//! serialization itself. [`RecordView`] borrows the document instead and serializes to
//! exactly the same bytes, so the host can write JSONL without the copy.

use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

use crate::analyzer::{Diagnostic, Level};
use crate::annotation::Annotation;
use crate::document::Document;
use crate::text::OffsetMap;

/// A borrowed record: serializes like `Record::from_document(doc, diagnostics)`.
#[derive(Debug, Clone, Copy)]
pub struct RecordView<'a> {
    doc: &'a Document,
    diagnostics: &'a [Diagnostic],
}

impl<'a> RecordView<'a> {
    pub fn new(doc: &'a Document, diagnostics: &'a [Diagnostic]) -> Self {
        RecordView { doc, diagnostics }
    }

    pub(crate) fn document(&self) -> &'a Document {
        self.doc
    }

    pub(crate) fn diagnostics(&self) -> &'a [Diagnostic] {
        self.diagnostics
    }

    /// The record's `chars`: the text's length in code points.
    pub fn chars(&self) -> usize {
        self.doc.offsets().len_chars()
    }

    /// Whether the record counts as failed (an analyzer reported an error), as
    /// [`Record::is_failure`](crate::Record::is_failure) decides.
    pub fn is_failure(&self) -> bool {
        self.diagnostics.iter().any(|d| d.level == Level::Error)
    }
}

impl Serialize for RecordView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Same fields, order and omissions as the derived `Serialize` of `Record`.
        let doc = self.doc;
        let mut s = serializer.serialize_struct("Record", 9)?;
        s.serialize_field("id", doc.id())?;
        s.serialize_field("source", doc.source())?;
        s.serialize_field("chars", &self.chars())?;
        match doc.title() {
            Some(t) => s.serialize_field("title", t)?,
            None => s.skip_field("title")?,
        }
        if doc.meta().is_null() {
            s.skip_field("meta")?;
        } else {
            s.serialize_field("meta", doc.meta())?;
        }
        s.serialize_field("annotations", &Annotations(doc))?;
        s.serialize_field("summary", doc.summaries())?;
        s.serialize_field("diagnostics", self.diagnostics)?;
        s.skip_field("error")?;
        s.end()
    }
}

/// Every annotation of every layer, in layer order, as record annotations.
struct Annotations<'a>(&'a Document);

impl Serialize for Annotations<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let doc = self.0;
        let len = doc.layers().map(|(_, l)| l.len()).sum();
        let mut seq = serializer.serialize_seq(Some(len))?;
        for (_, layer) in doc.layers() {
            for a in layer {
                seq.serialize_element(&AnnotationView { a, text: doc.text(), map: doc.offsets() })?;
            }
        }
        seq.end()
    }
}

/// One annotation with code-point offsets and its covered text, like `RecordAnnotation`.
struct AnnotationView<'a> {
    a: &'a Annotation,
    text: &'a str,
    map: &'a OffsetMap,
}

impl Serialize for AnnotationView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (a, text, map) = (self.a, self.text, self.map);
        let mut s = serializer.serialize_struct("RecordAnnotation", 7)?;
        s.serialize_field("layer", &a.layer)?;
        s.serialize_field("start", &map.to_char(text, a.start))?;
        s.serialize_field("end", &map.to_char(text, a.end))?;
        s.serialize_field("text", a.text(text))?;
        match &a.label {
            Some(l) => s.serialize_field("label", l)?,
            None => s.skip_field("label")?,
        }
        match a.score {
            Some(x) => s.serialize_field("score", &x)?,
            None => s.skip_field("score")?,
        }
        if a.attrs.is_empty() {
            s.skip_field("attrs")?;
        } else {
            s.serialize_field("attrs", &a.attrs)?;
        }
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::Record;

    fn same_bytes(doc: &Document, diagnostics: Vec<Diagnostic>) {
        let view = RecordView::new(doc, &diagnostics);
        let borrowed = serde_json::to_string(&view).unwrap();
        let record = Record::from_document(doc, diagnostics.clone());
        assert_eq!(borrowed, serde_json::to_string(&record).unwrap());
        let mut fast = Vec::new();
        view.write_json(&mut fast);
        assert_eq!(String::from_utf8(fast).unwrap(), borrowed);
        assert_eq!(serde_json::to_string_pretty(&view).unwrap(), serde_json::to_string_pretty(&record).unwrap());
        assert_eq!(view.is_failure(), record.is_failure());
        assert_eq!(view.chars(), record.chars);
    }

    #[test]
    fn a_rich_document_serializes_like_its_record() {
        let text = "Russia’s “clear assessment” – the Kremlin said. Ереван 😀 replied.\n\nSecond \"paragraph\".";
        let mut doc = Document::new("d1", text)
            .with_title(Some("A “title”".into()))
            .with_source("x.jsonl:3")
            .with_meta(json!({"source": "CNN", "bias": 0}));
        let q = text.find('“').unwrap();
        let e = text.find('”').unwrap() + '”'.len_utf8();
        let rejected = doc.add_annotations(vec![
            Annotation::new("sentence", 0, text.find("Ереван").unwrap()),
            Annotation::new("quote", q, e).with_label("Russia").with_attr("kind", "direct"),
            Annotation::new("actor", 0, "Russia".len())
                .with_label("Russia")
                .with_score(0.25)
                .with_attr("id", "RUS")
                .with_attr("evidence", json!([{"word": "clear", "valence": 1.5}])),
            Annotation::new("rhetoric", q, e).with_score(1.0 / 3.0),
        ]);
        assert!(rejected.is_empty());
        doc.touch_layer("boilerplate");
        doc.set_summary("sentiment", json!({"compound": -0.3, "label": "negative"}));
        doc.set_summary("document", json!({"words": 12}));
        same_bytes(&doc, vec![Diagnostic::new("rhetoric", Level::Warning, "a \"warning\"")]);
        same_bytes(&doc, vec![Diagnostic::new("stance", Level::Error, "panicked")]);
    }

    #[test]
    fn a_bare_document_serializes_like_its_record() {
        same_bytes(&Document::new("empty", ""), Vec::new());
        same_bytes(&Document::new("plain", "Just ASCII."), Vec::new());
    }
}
