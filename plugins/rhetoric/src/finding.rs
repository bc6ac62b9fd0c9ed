//! A finding before it becomes an annotation: span, technique, confidence and the reason.

use crate::technique::Technique;

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Byte offsets into the document text.
    pub start: usize,
    pub end: usize,
    pub technique: Technique,
    pub score: f64,
    /// The words or pattern that triggered it.
    pub cue: String,
    /// Plain-words reason.
    pub explanation: String,
    /// Which part of the analyzer found it: `model`, `lexicon` or `rule`.
    pub source: &'static str,
}

/// Merges overlapping findings of the same technique into one, sorted by start.
///
/// Two findings from the same source merge into their union (best score and its reason). A
/// lexicon or rule finding overlapping a model finding of the same technique wins outright:
/// its span is the precise cue, the model's the looser guess.
pub fn merge_same_technique(mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.sort_by_key(|a| (a.technique, a.start, a.end));
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    for f in findings {
        match out.last_mut() {
            Some(last) if last.technique == f.technique && f.start < last.end => {
                let (lm, fm) = (last.source == "model", f.source == "model");
                if lm && !fm {
                    *last = f;
                } else if fm && !lm {
                    // Keep the cue-based finding as it is.
                } else {
                    last.end = last.end.max(f.end);
                    if f.score > last.score {
                        last.score = f.score;
                        last.cue = f.cue;
                        last.explanation = f.explanation;
                    }
                }
            }
            _ => out.push(f),
        }
    }
    out.sort_by_key(|a| (a.start, a.end, a.technique));
    out
}
