//! The `structure` analyzer: paragraphs, sentences, quotations and speakers, byline and
//! boilerplate, found with general cues (punctuation, line shape, our own small lexicons) in
//! linear passes over the text.

mod abbrev;
mod boilerplate;
mod names;
mod paragraph;
mod quote;
mod scan;
mod sentence;
mod words;

/// Pseudo-random test texts for the byte scanners' tests (xorshift64: the same texts every run).
#[cfg(test)]
fn next_random(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

use serde_json::json;
use slant_core::layers::{BOILERPLATE, PARAGRAPH, QUOTE, SENTENCE};
use slant_core::{Analyzer, Annotation, Document, Output, Settings};

pub use boilerplate::Boilerplate;
pub use quote::{Quote, QuoteKind};

/// Paragraphs, sentences, quotations with speakers, byline and boilerplate.
#[derive(Debug, Default)]
pub struct Structure;

impl Structure {
    pub fn from_settings(_settings: &Settings) -> Result<Self, String> {
        Ok(Structure)
    }
}

/// Everything the analyzer finds in one text, with byte offsets.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub paragraphs: Vec<(usize, usize)>,
    pub sentences: Vec<(usize, usize)>,
    pub quotes: Vec<Quote>,
    pub boilerplate: Vec<Boilerplate>,
    /// The author's name as written, when a byline, author line or bio names one.
    pub byline: Option<String>,
}

/// Analyzes a text: the entry point for the analyzer and for evaluation code.
pub fn analyze_text(text: &str) -> Analysis {
    let paragraphs = paragraph::paragraphs(text);
    let mut sentences = Vec::with_capacity(paragraphs.len() * 4);
    for &(a, b) in &paragraphs {
        sentence::sentences(text, a, b, &mut sentences);
    }
    let quotes = quote::quotes(text, &paragraphs, &sentences);
    let (boilerplate, byline) = boilerplate::find(text, &paragraphs);
    Analysis { paragraphs, sentences, quotes, boilerplate, byline }
}

impl Analyzer for Structure {
    fn name(&self) -> &str {
        "structure"
    }

    fn description(&self) -> &str {
        "paragraphs, sentences, quotations and speakers, byline and boilerplate"
    }

    fn provides(&self) -> Vec<&str> {
        vec![PARAGRAPH, SENTENCE, QUOTE, BOILERPLATE]
    }

    fn analyze(&self, doc: &Document) -> Output {
        let text = doc.text();
        let result = analyze_text(text);
        let mut out = Output::new();
        for &(a, b) in &result.paragraphs {
            out.push(Annotation::new(PARAGRAPH, a, b));
        }
        for &(a, b) in &result.sentences {
            out.push(Annotation::new(SENTENCE, a, b));
        }
        let map = doc.offsets();
        for q in &result.quotes {
            let mut ann = Annotation::new(QUOTE, q.start, q.end).with_attr("kind", q.kind.as_str());
            if let Some((s, e)) = q.speaker {
                let name = &text[s..e];
                ann = ann
                    .with_label(name.to_string())
                    .with_attr("speaker", name.to_string())
                    .with_attr("speaker_start", map.to_char(text, s) as u64)
                    .with_attr("speaker_end", map.to_char(text, e) as u64);
            }
            out.push(ann);
        }
        for bp in &result.boilerplate {
            out.push(Annotation::new(BOILERPLATE, bp.start, bp.end).with_label(bp.kind).with_attr("rule", bp.rule));
        }
        let (words, body_chars) = body_counts(text, &result);
        let title = doc.title().map(str::to_string).or_else(|| headline(text, &result));
        out.summary(
            "document",
            json!({"title": title, "byline": result.byline, "words": words, "body_chars": body_chars}),
        );
        out
    }
}

/// Words and code points of the paragraphs outside boilerplate.
fn body_counts(text: &str, result: &Analysis) -> (usize, usize) {
    let mut words = 0;
    let mut chars = 0;
    let covered = boilerplate_paragraphs(result);
    for (&(a, b), covered) in result.paragraphs.iter().zip(covered) {
        if covered {
            continue;
        }
        let bytes = &text.as_bytes()[a..b];
        // Code points are the bytes that are not UTF-8 continuation bytes.
        chars += slant_core::text::count_chars(bytes);
        words += words::count(bytes);
    }
    (words, chars)
}

/// For each paragraph, whether a boilerplate span covers it whole. Both lists are sorted, so
/// this costs a binary search per boilerplate span (a text of 50,000 share lines stays linear).
fn boilerplate_paragraphs(result: &Analysis) -> Vec<bool> {
    let paras = &result.paragraphs;
    let mut covered = vec![false; paras.len()];
    for bp in &result.boilerplate {
        let mut k = paras.partition_point(|p| p.0 < bp.start);
        while k < paras.len() && paras[k].1 <= bp.end {
            covered[k] = true;
            k += 1;
        }
    }
    covered
}

/// A first paragraph that looks like a headline (short, no final period, more text after it).
fn headline(text: &str, result: &Analysis) -> Option<String> {
    let &(a, b) = result.paragraphs.first()?;
    let line = &text[a..b];
    let is_boilerplate = result.boilerplate.first().is_some_and(|bp| bp.start <= a && b <= bp.end);
    let words = line.split_whitespace().count();
    let ok = result.paragraphs.len() > 2
        && !is_boilerplate
        && line.len() <= 200
        && (2..=25).contains(&words)
        && !line.ends_with('.')
        && !line.ends_with(':')
        && !line.contains('\n');
    ok.then(|| line.to_string())
}

slant_core::register_analyzer!("structure", Structure);
