//! What the stance analyzer reads from a document: sentences (from the `sentence` layer, or
//! found by a fallback rule), actor mentions (the `actor` layer plus input `target`s), quotes,
//! and boilerplate to skip. Every layer may be missing or empty.

use slant_core::{layers, Annotation, Document};

use crate::text::{fallback_sentences, tokenize, Token};

/// One mention of an actor (or of an input target, which takes part as an actor). The strings
/// are borrowed from the document (a copy of each per mention cost two allocations).
#[derive(Debug, Clone)]
pub struct Mention<'d> {
    pub start: usize,
    pub end: usize,
    pub name: &'d str,
    pub affiliation: Option<&'d str>,
    /// Index into the document's `target` layer when the mention is an input target.
    pub target: Option<usize>,
    /// Whether the mention lies in quoted or reported speech (someone else's words).
    pub reported: bool,
}

/// A sentence with its tokens and the mentions inside it.
#[derive(Debug)]
pub struct Sentence<'d> {
    pub start: usize,
    pub end: usize,
    pub tokens: Vec<Token>,
    pub mentions: Vec<Mention<'d>>,
}

/// The name a target goes by: its label, else its text.
pub fn target_name<'d>(doc: &'d Document, a: &'d Annotation) -> &'d str {
    a.label.as_deref().filter(|l| !l.trim().is_empty()).unwrap_or_else(|| a.text(doc.text()).trim())
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
/// sentence of its own span's line. The sentences' token lists are taken from `pool` (empty
/// lists kept from earlier documents, so that their room is allocated once per thread) while it
/// has any.
pub fn sentences_with_mentions<'d>(doc: &'d Document, pool: &mut Vec<Vec<Token>>) -> Vec<Sentence<'d>> {
    let text = doc.text();
    let mut quotes: Vec<(usize, usize)> = doc
        .layer(layers::QUOTE)
        .iter()
        .filter(|q| q.attr_str("kind") != Some("phrase"))
        .map(|q| (q.start, q.end))
        .collect();
    // Sized for every target and actor mention, so that the list is not grown (and copied)
    // while it fills.
    let mut mentions: Vec<Mention> =
        Vec::with_capacity(doc.layer(layers::TARGET).len() + doc.layer(layers::ACTOR).len());
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
    // Only the targets come first in `mentions`: an actor mention is checked against them
    // alone (a scan of all mentions so far made long documents cost the square of their
    // mentions).
    let targets = mentions.len();
    // The boilerplate spans, found once: `Document::in_boilerplate` looks the layer up by name
    // at every call, once per actor mention.
    let boilerplate = doc.layer(layers::BOILERPLATE);
    for a in doc.layer(layers::ACTOR) {
        let Some(name) = a.label.as_deref() else { continue };
        if a.is_empty() || Annotation::any_overlaps(boilerplate, a.start, a.end) {
            continue;
        }
        // A target on the same span already speaks for this mention.
        if mentions[..targets].iter().any(|m| m.start == a.start && m.end == a.end) {
            continue;
        }
        mentions.push(Mention {
            start: a.start,
            end: a.end,
            name,
            affiliation: a.attr_str("affiliation"),
            target: None,
            reported: false,
        });
    }
    mentions.sort_by_key(|m| (m.start, m.end));
    let spans: Vec<(usize, usize)> = mentions.iter().map(|m| (m.start, m.end)).collect();
    quotes.sort_unstable();
    for (m, reported) in mentions.iter_mut().zip(contained(&spans, &quotes)) {
        m.reported = reported;
    }

    let spans = sentence_spans(doc);
    // At most one sentence per mention.
    let mut out: Vec<Sentence> = Vec::with_capacity(mentions.len());
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
            _ => {
                // Room for a few mentions: a sentence with a second one would otherwise grow its
                // list (a copy) at once.
                let mut list = Vec::with_capacity(4);
                list.push(m);
                out.push(Sentence { start: s, end: e, tokens: Vec::new(), mentions: list });
            }
        }
    }
    for s in &mut out {
        s.tokens = pool.pop().unwrap_or_default();
        tokenize(&text[s.start..s.end], s.start, &mut s.tokens);
    }
    out
}

/// For each span of `spans` (sorted by start), whether a span of `within` (sorted by start)
/// contains it: among the spans of `within` that start at or before it, the one reaching
/// furthest must reach its end. One sweep over both rather than a scan of `within` per span.
fn contained(spans: &[(usize, usize)], within: &[(usize, usize)]) -> Vec<bool> {
    let (mut next, mut reach) = (0usize, None::<usize>);
    spans
        .iter()
        .map(|&(start, end)| {
            while let Some(&(_, e)) = within.get(next).filter(|w| w.0 <= start) {
                reach = Some(reach.map_or(e, |r| r.max(e)));
                next += 1;
            }
            reach.is_some_and(|r| end <= r)
        })
        .collect()
}

/// The line holding `start..end` (for a target outside every known sentence).
fn line_around(text: &str, start: usize, end: usize) -> (usize, usize) {
    let s = text[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let e = text[end..].find('\n').map(|i| end + i).unwrap_or(text.len());
    (s, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sweep gives what a scan of every containing span per span gives, with nested,
    /// overlapping and touching spans.
    #[test]
    fn contained_matches_the_scan_of_every_span() {
        let within = vec![(0, 10), (2, 4), (5, 30), (12, 14), (40, 41), (40, 60), (70, 70)];
        let mut spans = Vec::new();
        for start in 0..75 {
            for len in [0, 1, 3, 9, 25] {
                spans.push((start, start + len));
            }
        }
        let scan: Vec<bool> = spans.iter().map(|&(s, e)| within.iter().any(|&(ws, we)| ws <= s && e <= we)).collect();
        assert_eq!(contained(&spans, &within), scan);
        assert!(scan.iter().any(|&c| c) && scan.iter().any(|&c| !c));
    }
}
