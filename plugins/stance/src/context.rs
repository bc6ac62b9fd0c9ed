//! What the stance analyzer reads from a document: sentences (from the `sentence` layer, or
//! found by a fallback rule), actor mentions (the `actor` layer plus input `target`s), quotes,
//! and boilerplate to skip. Every layer may be missing or empty.

use slant_core::{layers, Annotation, Document};

use crate::text::{fallback_sentences, tokenize, Token};

/// One mention of an actor (or of an input target, which takes part as an actor).
#[derive(Debug, Clone)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub name: String,
    pub affiliation: Option<String>,
    /// Index into the document's `target` layer when the mention is an input target.
    pub target: Option<usize>,
    /// Whether the mention lies in quoted or reported speech (someone else's words).
    pub reported: bool,
}

/// A sentence with its tokens and the mentions inside it.
#[derive(Debug)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    pub tokens: Vec<Token>,
    pub mentions: Vec<Mention>,
}

/// The name a target goes by: its label, else its text.
pub fn target_name(doc: &Document, a: &Annotation) -> String {
    a.label.clone().filter(|l| !l.trim().is_empty()).unwrap_or_else(|| a.text(doc.text()).trim().to_string())
}

/// Sentence spans of the document: the `sentence` layer when it has any, else the fallback.
pub fn sentence_spans(doc: &Document) -> Vec<(usize, usize)> {
    let layer = doc.layer(layers::SENTENCE);
    if layer.is_empty() {
        fallback_sentences(doc.text())
    } else {
        layer.iter().map(|a| (a.start, a.end)).collect()
    }
}

/// Collects mentions, assigns them to sentences and tokenizes the sentences that hold any
/// mention. Mentions inside boilerplate are dropped; a target outside every sentence gets a
/// sentence of its own span's line.
pub fn sentences_with_mentions(doc: &Document) -> Vec<Sentence> {
    let text = doc.text();
    let quotes: Vec<(usize, usize)> = doc
        .layer(layers::QUOTE)
        .iter()
        .filter(|q| q.attr_str("kind") != Some("phrase"))
        .map(|q| (q.start, q.end))
        .collect();
    let mut mentions: Vec<Mention> = Vec::new();
    for (i, t) in doc.layer(layers::TARGET).iter().enumerate() {
        if t.is_empty() {
            continue;
        }
        mentions.push(Mention {
            start: t.start,
            end: t.end,
            name: target_name(doc, t),
            affiliation: None,
            target: Some(i),
            reported: false,
        });
    }
    for a in doc.layer(layers::ACTOR) {
        let Some(name) = a.label.clone() else { continue };
        if a.is_empty() || doc.in_boilerplate(a.start, a.end) {
            continue;
        }
        // A target on the same span already speaks for this mention.
        if mentions.iter().any(|m| m.target.is_some() && m.start == a.start && m.end == a.end) {
            continue;
        }
        mentions.push(Mention {
            start: a.start,
            end: a.end,
            name,
            affiliation: a.attr_str("affiliation").map(str::to_string),
            target: None,
            reported: false,
        });
    }
    for m in &mut mentions {
        m.reported = quotes.iter().any(|&(s, e)| s <= m.start && m.end <= e);
    }
    mentions.sort_by_key(|m| (m.start, m.end));

    let spans = sentence_spans(doc);
    let mut out: Vec<Sentence> = Vec::new();
    let mut si = 0usize;
    for m in mentions {
        while si < spans.len() && spans[si].1 <= m.start {
            si += 1;
        }
        let (s, e) = match spans.get(si) {
            Some(&(s, e)) if s <= m.start => (s, e.max(m.end)),
            _ => line_around(text, m.start, m.end),
        };
        match out.last_mut() {
            Some(last) if last.start == s || (last.start <= m.start && m.end <= last.end) => {
                last.end = last.end.max(e);
                last.mentions.push(m);
            }
            _ => out.push(Sentence { start: s, end: e, tokens: Vec::new(), mentions: vec![m] }),
        }
    }
    for s in &mut out {
        tokenize(&text[s.start..s.end], s.start, &mut s.tokens);
    }
    out
}

/// The line holding `start..end` (for a target outside every known sentence).
fn line_around(text: &str, start: usize, end: usize) -> (usize, usize) {
    let s = text[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let e = text[end..].find('\n').map(|i| end + i).unwrap_or(text.len());
    (s, e)
}
