//! `hedging`: marks the words with which an article softens its claims (hedges: "may",
//! "reportedly", "sources say") or insists on them (boosters: "clearly", "in fact"), and sums
//! them up as a certainty balance. A Slant dynamic plugin written against `slant-sdk` only.
//!
//! Layer `hedging`: one span per cue, label `hedge` or `booster`, `attrs.kind` (modal, adverb,
//! attribution, …), `attrs.cue` and `attrs.explanation`. Summary `hedging`: counts, rate per
//! 1000 words and `certainty` = (boosters − hedges) / (boosters + hedges), in [-1, 1].

mod lexicon;

use std::collections::HashMap;

use slant_sdk::{json, Analyzer, Annotation, Document, Output};

use lexicon::{Cue, Polarity, CUES};

/// Words that are approximators only before a number ("about 40 people", not "talk about").
const NEED_NUMBER: &[&str] = &["about", "around"];

/// The analyzer: the cue list indexed by first word.
pub struct Hedging {
    by_first: HashMap<&'static str, Vec<(Vec<&'static str>, &'static Cue)>>,
}

impl Default for Hedging {
    fn default() -> Self {
        let mut by_first: HashMap<&'static str, Vec<(Vec<&'static str>, &'static Cue)>> = HashMap::new();
        for cue in CUES {
            let words: Vec<&'static str> = cue.words.split(' ').collect();
            by_first.entry(words[0]).or_default().push((words, cue));
        }
        // Longest first, so "may have" wins over "may".
        for list in by_first.values_mut() {
            list.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
        }
        Hedging { by_first }
    }
}

/// A word of the text: its byte span and lower-cased form.
struct Token {
    start: usize,
    end: usize,
    lower: String,
}

/// Words are runs of letters, digits and in-word apostrophes (straight or curly).
fn tokens(text: &str, offset: usize) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let in_word = c.is_alphanumeric()
            || ((c == '\'' || c == '’') && start.is_some() && chars.peek().is_some_and(|(_, n)| n.is_alphabetic()));
        match (in_word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(Token { start: offset + s, end: offset + i, lower: text[s..i].to_lowercase() });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Token { start: offset + s, end: offset + text.len(), lower: text[s..].to_lowercase() });
    }
    out
}

impl Hedging {
    /// Finds the cues in one stretch of text (a sentence, or the whole text without one).
    fn scan(&self, doc: &Document, start: usize, end: usize, out: &mut Vec<Annotation>) {
        let text = doc.text();
        let toks = tokens(&text[start..end], start);
        let mut i = 0;
        while i < toks.len() {
            let mut matched = 0;
            if let Some(cands) = self.by_first.get(toks[i].lower.as_str()) {
                for (words, cue) in cands {
                    let n = words.len();
                    if i + n > toks.len() || !words.iter().zip(&toks[i..i + n]).all(|(w, t)| *w == t.lower) {
                        continue;
                    }
                    if !self.applies(text, &toks, i, n, words) {
                        continue;
                    }
                    let (s, e) = (toks[i].start, toks[i + n - 1].end);
                    out.push(
                        Annotation::new("hedging", s, e)
                            .with_label(cue.polarity.label())
                            .with_attr("kind", cue.kind)
                            .with_attr("cue", cue.words)
                            .with_attr("explanation", format!("“{}”: {}", &text[s..e], cue.why)),
                    );
                    matched = n;
                    break;
                }
            }
            i += matched.max(1);
        }
    }

    /// Context checks that keep common false friends out.
    fn applies(&self, text: &str, toks: &[Token], i: usize, n: usize, words: &[&str]) -> bool {
        let first = &toks[i];
        // "May" with a capital inside a sentence is the month ("on 9 May", "May 2024").
        if words[0] == "may" && i > 0 && text[first.start..].starts_with('M') {
            return false;
        }
        if n == 1 && NEED_NUMBER.contains(&words[0]) {
            return toks.get(i + 1).is_some_and(|t| t.lower.starts_with(|c: char| c.is_ascii_digit()));
        }
        true
    }
}

impl Analyzer for Hedging {
    fn name(&self) -> &str {
        "hedging"
    }

    fn version(&self) -> &str {
        env!("CARGO_PKG_VERSION")
    }

    fn description(&self) -> &str {
        "hedges and boosters: how firmly the article commits to its claims"
    }

    fn requires(&self) -> Vec<&str> {
        vec!["sentence", "boilerplate"]
    }

    fn provides(&self) -> Vec<&str> {
        vec!["hedging"]
    }

    fn analyze(&self, doc: &Document) -> Output {
        let mut out = Output::new();
        let mut found = Vec::new();
        let sentences = doc.layer("sentence");
        if sentences.is_empty() {
            if !doc.text().trim().is_empty() {
                out.warn(self.name(), "no sentence layer: scanned the whole text");
            }
            self.scan(doc, 0, doc.text().len(), &mut found);
        } else {
            for s in sentences {
                self.scan(doc, s.start, s.end, &mut found);
            }
        }
        // Boilerplate (bios, share buttons) is not the article's voice.
        found.retain(|a| !doc.in_boilerplate(a.start, a.end));
        let hedges = found.iter().filter(|a| a.label.as_deref() == Some(Polarity::Hedge.label())).count();
        let boosters = found.len() - hedges;
        let words = tokens(doc.text(), 0).len();
        let rate = |n: usize| if words == 0 { 0.0 } else { (n as f64 * 1000.0 / words as f64 * 10.0).round() / 10.0 };
        let certainty = if found.is_empty() { 0.0 } else { (boosters as f64 - hedges as f64) / found.len() as f64 };
        slant_sdk::tracing::debug!(hedges, boosters, words, "hedging analyzed {}", doc.id());
        out.summary(
            "hedging",
            json!({
                "hedges": hedges,
                "boosters": boosters,
                "words": words,
                "hedges_per_1000_words": rate(hedges),
                "boosters_per_1000_words": rate(boosters),
                "certainty": (certainty * 1000.0).round() / 1000.0,
            }),
        );
        out.annotations = found;
        out
    }
}

slant_sdk::export_analyzer!(Hedging);

#[cfg(test)]
mod tests {
    use super::*;
    use slant_sdk::testing::{self, sentences, span};

    fn run(text: &str) -> Output {
        testing::run(&Hedging::default(), text, &sentences(text))
    }

    #[test]
    fn finds_hedges_and_boosters_with_the_longest_cue() {
        let text = "The talks may have failed. Officials reportedly left early. It is clearly a setback.";
        let out = run(text);
        testing::assert_spans(
            &out,
            text,
            "hedging",
            &[("may have", Some("hedge")), ("reportedly", Some("hedge")), ("clearly", Some("booster"))],
        );
        let first = &out.annotations[0];
        assert_eq!(first.attr_str("kind"), Some("modal"));
        assert!(first.attr_str("explanation").unwrap().contains("possible rather than certain"));
        let summary = &out.summary[0].1;
        assert_eq!(summary["hedges"], 2);
        assert_eq!(summary["boosters"], 1);
        assert_eq!(summary["certainty"], -0.333);
    }

    #[test]
    fn false_friends_are_left_alone() {
        let text = "On 9 May they talked about the deal around noon. About 40 people came.";
        let out = run(text);
        testing::assert_spans(&out, text, "hedging", &[("About", Some("hedge"))]);
    }

    #[test]
    fn multibyte_text_and_curly_apostrophes_keep_spans_exact() {
        let text = "“It’s undoubtedly a win,” he said – sources say otherwise.";
        let out = run(text);
        testing::assert_spans(
            &out,
            text,
            "hedging",
            &[("undoubtedly", Some("booster")), ("sources say", Some("hedge"))],
        );
        let (s, e) = testing::char_offsets(text, &out.annotations[1]);
        assert_eq!(text.chars().skip(s).take(e - s).collect::<String>(), "sources say");
    }

    #[test]
    fn boilerplate_is_skipped_and_a_missing_sentence_layer_is_reported() {
        let text = "Perhaps it rains. Share on Facebook: clearly the best site.";
        let mut layers = sentences(text);
        layers.push(span(text, "boilerplate", "Share on Facebook: clearly the best site."));
        let out = testing::run(&Hedging::default(), text, &layers);
        testing::assert_spans(&out, text, "hedging", &[("Perhaps", Some("hedge"))]);
        let bare = testing::run(&Hedging::default(), text, &[]);
        assert_eq!(bare.diagnostics.len(), 1);
        assert_eq!(testing::spans(&bare, text, "hedging").len(), 2);
    }
}
