//! The article text cut into segments at every annotation boundary, so that overlapping spans
//! of different layers can be highlighted and toggled independently.

use std::collections::BTreeSet;

use slant_core::record::RecordAnnotation;
use slant_core::Record;

/// Layers that are structure, not findings: they are never highlighted in the text.
pub const UNMARKED: &[&str] = &["paragraph", "sentence"];
/// Layers drawn but switched off at first: they cover whole sentences (tone, relation
/// evidence), and tinting most of the text at once would drown the findings.
pub const HIDDEN_AT_FIRST: &[&str] = &["sentiment", "relation"];

/// A run of text and the annotations (indices into the record) that cover it.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub start: usize,
    pub end: usize,
    pub covers: Vec<usize>,
    /// Sentence numbers (1-based, in text order) that start here, for the tone strip's anchors.
    pub sentence_starts: Vec<usize>,
}

/// The annotations that are marked in the text, with their indices in the record.
pub fn marked(record: &Record) -> Vec<(usize, &RecordAnnotation)> {
    record
        .annotations
        .iter()
        .enumerate()
        .filter(|(_, a)| !UNMARKED.contains(&a.layer.as_str()) && a.end > a.start)
        .collect()
}

/// Cuts `0..len` at the edges of every marked annotation and at every sentence start.
/// `sentences` are the (start, end) of the sentences the tone strip links to, in order.
pub fn segments(record: &Record, len: usize, sentences: &[(usize, usize)]) -> Vec<Segment> {
    let marked = marked(record);
    let mut cuts: BTreeSet<usize> = BTreeSet::new();
    cuts.insert(0);
    cuts.insert(len);
    for (_, a) in &marked {
        cuts.insert(a.start.min(len));
        cuts.insert(a.end.min(len));
    }
    for (s, _) in sentences {
        cuts.insert((*s).min(len));
    }
    let cuts: Vec<usize> = cuts.into_iter().collect();
    let mut segs: Vec<Segment> = cuts
        .windows(2)
        .map(|w| Segment { start: w[0], end: w[1], covers: Vec::new(), sentence_starts: Vec::new() })
        .filter(|s| s.end > s.start)
        .collect();
    for (idx, a) in &marked {
        let (s, e) = (a.start.min(len), a.end.min(len));
        let first = segs.partition_point(|seg| seg.end <= s);
        for seg in segs[first..].iter_mut().take_while(|seg| seg.start < e) {
            seg.covers.push(*idx);
        }
    }
    for (n, (s, _)) in sentences.iter().enumerate() {
        let at = segs.partition_point(|seg| seg.end <= *s);
        if let Some(seg) = segs.get_mut(at) {
            seg.sentence_starts.push(n + 1);
        }
    }
    segs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_spans_cut_into_segments() {
        let r: Record = serde_json::from_str(
            r#"{"id":"x","source":"s","chars":10,"annotations":[
              {"layer":"sentence","start":0,"end":10,"text":"0123456789"},
              {"layer":"actor","start":2,"end":5,"text":"234"},
              {"layer":"rhetoric","start":4,"end":8,"text":"4567"}]}"#,
        )
        .unwrap();
        let segs = segments(&r, 10, &[(0, 10)]);
        let shape: Vec<(usize, usize, Vec<usize>)> = segs.iter().map(|s| (s.start, s.end, s.covers.clone())).collect();
        assert_eq!(shape, vec![(0, 2, vec![]), (2, 4, vec![1]), (4, 5, vec![1, 2]), (5, 8, vec![2]), (8, 10, vec![])]);
        assert_eq!(segs[0].sentence_starts, vec![1]);
    }

    #[test]
    fn spans_past_the_end_are_clamped() {
        let r: Record = serde_json::from_str(
            r#"{"id":"x","source":"s","chars":4,"annotations":[{"layer":"actor","start":2,"end":9,"text":"??"}]}"#,
        )
        .unwrap();
        let segs = segments(&r, 4, &[]);
        assert_eq!(segs.last().map(|s| (s.start, s.end, s.covers.clone())), Some((2, 4, vec![0])));
    }
}
