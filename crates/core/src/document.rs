//! The document: immutable text, its identity, and the layers analyzers have added so far.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;

use crate::annotation::Annotation;
use crate::attrs::AttrValue;
use crate::layers;
use crate::text::OffsetMap;

/// A document under analysis. The text never changes; analyzers only add annotations (in
/// layers) and summary sections, and only through the pipeline, which merges each analyzer's
/// [`Output`](crate::Output) after it returns.
#[derive(Debug, Clone)]
pub struct Document {
    id: String,
    source: String,
    title: Option<String>,
    text: Arc<str>,
    meta: Value,
    offsets: Arc<OffsetMap>,
    layers: BTreeMap<String, Vec<Annotation>>,
    summary: BTreeMap<String, AttrValue>,
}

impl Document {
    pub fn new(id: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let offsets = Arc::new(OffsetMap::new(&text));
        Document {
            id: id.into(),
            source: String::new(),
            title: None,
            text,
            meta: Value::Null,
            offsets,
            layers: BTreeMap::new(),
            summary: BTreeMap::new(),
        }
    }

    pub fn with_title(mut self, title: Option<String>) -> Self {
        self.title = title;
        self
    }

    pub fn with_source(mut self, source: impl Into<String>) -> Self {
        self.source = source.into();
        self
    }

    pub fn with_meta(mut self, meta: Value) -> Self {
        self.meta = meta;
        self
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn meta(&self) -> &Value {
        &self.meta
    }

    pub fn offsets(&self) -> &OffsetMap {
        &self.offsets
    }

    /// The annotations of one layer, sorted by start then end (empty if absent).
    pub fn layer(&self, name: &str) -> &[Annotation] {
        self.layers.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn has_layer(&self, name: &str) -> bool {
        self.layers.contains_key(name)
    }

    pub fn layers(&self) -> impl Iterator<Item = (&str, &[Annotation])> {
        self.layers.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// A summary section set by an earlier analyzer (`document`, `sentiment`, `actors`, …).
    pub fn summary(&self, key: &str) -> Option<&AttrValue> {
        self.summary.get(key)
    }

    pub fn summaries(&self) -> &BTreeMap<String, AttrValue> {
        &self.summary
    }

    /// Whether `start..end` overlaps a `boilerplate` span: analyzers that score the article
    /// body skip such text.
    pub fn in_boilerplate(&self, start: usize, end: usize) -> bool {
        Annotation::any_overlaps(self.layer(layers::BOILERPLATE), start, end)
    }

    /// Adds annotations, keeping the layer sorted. Annotations whose span is not on char
    /// boundaries inside the text are rejected and returned so the caller can report them.
    pub fn add_annotations(&mut self, annotations: Vec<Annotation>) -> Vec<Annotation> {
        let mut rejected = Vec::new();
        let mut touched: Vec<crate::attrs::Str> = Vec::new();
        for a in annotations {
            let ok = a.start <= a.end
                && a.end <= self.text.len()
                && self.text.is_char_boundary(a.start)
                && self.text.is_char_boundary(a.end);
            if !ok {
                rejected.push(a);
                continue;
            }
            if !touched.contains(&a.layer) {
                touched.push(a.layer.clone());
            }
            // Look the layer up by reference: `entry` would clone its name for every one of
            // the hundreds of annotations an analyzer returns per article.
            match self.layers.get_mut(&*a.layer) {
                Some(layer) => layer.push(a),
                None => {
                    self.layers.insert(a.layer.to_string(), vec![a]);
                }
            }
        }
        for name in touched {
            if let Some(layer) = self.layers.get_mut(&*name) {
                layer.sort_by_key(|a| (a.start, a.end));
            }
        }
        rejected
    }

    /// Marks a layer as present even when it holds no annotation, so that "no quotes found"
    /// differs from "quotes never looked for".
    pub fn touch_layer(&mut self, name: &str) {
        self.layers.entry(name.to_string()).or_default();
    }

    /// Sets (or replaces) a summary section.
    pub fn set_summary(&mut self, key: impl Into<String>, value: impl Into<AttrValue>) {
        self.summary.insert(key.into(), value.into());
    }
}
