//! Stand-off annotations: a labelled span of the document text in a named layer.

pub use crate::attrs::{AttrValue, Attrs, Str};

/// One span in one layer. `start` and `end` are **byte** offsets into the document text,
/// half-open, always on char boundaries; the record converts them to code points.
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    /// The layer's name: nearly always one of [`crate::layers`]' constants, borrowed.
    pub layer: Str,
    pub start: usize,
    pub end: usize,
    /// The label: borrowed when it is a constant (`"negative"`, `"hedging"`).
    pub label: Option<Str>,
    pub score: Option<f64>,
    pub attrs: Attrs,
}

impl Annotation {
    pub fn new(layer: impl Into<Str>, start: usize, end: usize) -> Self {
        Annotation { layer: layer.into(), start, end, label: None, score: None, attrs: Attrs::new() }
    }

    pub fn with_label(mut self, label: impl Into<Str>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_score(mut self, score: f64) -> Self {
        self.score = Some(score);
        self
    }

    pub fn with_attr(mut self, key: impl Into<Str>, value: impl Into<AttrValue>) -> Self {
        self.attrs.insert(key, value);
        self
    }

    /// The covered text.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start..self.end).unwrap_or("")
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// Whether the two spans share at least one byte.
    pub fn overlaps(&self, start: usize, end: usize) -> bool {
        self.start < end && start < self.end
    }

    /// Whether any of `spans` shares at least one byte with `start..end`. This is
    /// [`Document::in_boilerplate`](crate::Document::in_boilerplate)'s test, for analyzers
    /// that ask it of one layer for many spans and so look the layer up once.
    #[inline]
    pub fn any_overlaps(spans: &[Annotation], start: usize, end: usize) -> bool {
        spans.iter().any(|b| b.overlaps(start, end))
    }

    /// Whether this span lies entirely within `start..end`.
    pub fn within(&self, start: usize, end: usize) -> bool {
        start <= self.start && self.end <= end
    }

    pub fn attr_str(&self, key: &str) -> Option<&str> {
        self.attrs.get(key).and_then(AttrValue::as_str)
    }

    pub fn attr_f64(&self, key: &str) -> Option<f64> {
        self.attrs.get(key).and_then(AttrValue::as_f64)
    }
}
