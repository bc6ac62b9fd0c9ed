//! Explanations: which words moved a score, by how much, and by which rule.

use serde_json::{json, Map, Value};

use crate::vader::{rule, Engine};

/// One word that moved a sentence's score.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// The word (or idiom) as written.
    pub word: String,
    /// Its contribution to the sum after every rule (0 for a word whose valence was removed).
    pub valence: f64,
    /// Its valence before the rules (the lexicon's, or the idiom's).
    pub base: f64,
    /// The rules applied, comma-separated ("lexicon", "negated", "boosted", …).
    pub rule: String,
}

impl Evidence {
    pub fn to_json(&self) -> Value {
        json!({ "word": self.word, "valence": round3(self.valence), "base": round3(self.base), "rule": self.rule })
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Calls `visit(word, valence, base, rules, removed)` for each evidence entry of the last text
/// `engine` scored: every token with a nonzero sentiment, and every token whose VADER valence
/// a news rule removed. `idiom_len` (may be empty) gives the length of idioms starting at a
/// token, so the idiom is shown whole.
fn visit_entries(engine: &Engine, text: &str, idiom_len: &[u8], mut visit: impl FnMut(&str, f64, f64, u32, bool)) {
    let clean = engine.clean_text(text);
    let toks = engine.tokens();
    for (i, (s, t)) in engine.sentiments.iter().zip(&engine.traces).enumerate() {
        let removed = t.rules & (rule::NEWS_NAME | rule::NEWS_NEUTRAL) != 0 && toks[i].orig.is_some();
        if *s == 0.0 && !removed {
            continue;
        }
        let len = idiom_len.get(i).copied().unwrap_or(0).max(1) as usize;
        let (a, _) = toks[i].raw;
        let (_, b) = toks[(i + len - 1).min(toks.len() - 1)].raw;
        let base = if removed { toks[i].orig.unwrap_or(0.0) } else { t.base };
        visit(&clean[a..b], *s, base, t.rules, removed);
    }
}

/// The evidence of the last text `engine` scored (see [`visit_entries`]).
pub fn evidence_from(engine: &Engine, text: &str, idiom_len: &[u8]) -> Vec<Evidence> {
    let mut out = Vec::new();
    visit_entries(engine, text, idiom_len, |word, valence, base, rules, removed| {
        out.push(Evidence { word: word.to_string(), valence, base, rule: rule_text(rules, removed) });
    });
    out
}

/// [`evidence_from`] straight to its JSON list (what [`to_json`] makes of it), without the
/// intermediate [`Evidence`] values; the words of the entries with a nonzero valence are
/// appended to `words`.
pub fn evidence_json(engine: &Engine, text: &str, idiom_len: &[u8], words: &mut Vec<String>) -> Value {
    let mut out = Vec::new();
    visit_entries(engine, text, idiom_len, |word, valence, base, rules, removed| {
        if valence != 0.0 {
            words.push(word.to_string());
        }
        // One map built from all its entries, which costs less than four inserts.
        out.push(Value::Object(Map::from_iter([
            ("base".to_string(), Value::from(round3(base))),
            ("rule".to_string(), Value::String(rule_text(rules, removed))),
            ("valence".to_string(), Value::from(round3(valence))),
            ("word".to_string(), Value::String(word.to_string())),
        ])));
    });
    Value::Array(out)
}

/// The `rule` text of an entry: the names of its rules, "lexicon" first when its valence is
/// the lexicon's. Written straight into one string (no list of names to join).
fn rule_text(rules: u32, removed: bool) -> String {
    let mut out = String::with_capacity(32);
    if rules & rule::LEXICON != 0 && rules & rule::NEWS_IDIOM == 0 && !removed {
        out.push_str("lexicon");
    }
    for name in rule::name_iter(rules & !rule::LEXICON) {
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(name);
    }
    if out.is_empty() {
        out.push_str("lexicon");
    }
    out
}

/// The evidence as a JSON list (`attrs.evidence`).
pub fn to_json(evidence: &[Evidence]) -> Value {
    Value::Array(evidence.iter().map(Evidence::to_json).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_text_equals_the_joined_list_of_names() {
        // The list-and-join form it replaces, on every combination of a spread of rules.
        let reference = |rules: u32, removed: bool| {
            let mut names = rule::names(rules & !rule::LEXICON);
            if names.is_empty() || (rules & rule::LEXICON != 0 && rules & rule::NEWS_IDIOM == 0 && !removed) {
                names.insert(0, "lexicon");
            }
            names.join(", ")
        };
        let bits = [
            rule::LEXICON,
            rule::NEGATED,
            rule::BOOSTED,
            rule::AFTER_BUT,
            rule::NEWS_IDIOM,
            rule::NEWS_NAME,
            rule::NEWS_HEDGED,
        ];
        for combo in 0..1u32 << bits.len() {
            let rules = bits.iter().enumerate().filter(|(k, _)| combo >> k & 1 != 0).fold(0, |a, (_, b)| a | b);
            for removed in [false, true] {
                assert_eq!(rule_text(rules, removed), reference(rules, removed), "{rules:#x} {removed}");
            }
        }
        assert_eq!(rule_text(rule::LEXICON | rule::NEGATED, false), "lexicon, negated");
    }
}
