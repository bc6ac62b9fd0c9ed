//! Explanations: which words moved a score, by how much, and by which rule.

use std::borrow::Cow;

use slant_core::attrs::Str;
use slant_core::{attrs, AttrValue};

use crate::learned::{dense, Scorer};
use crate::vader::{rule, Engine};

/// One word (or group of features) that moved a sentence's tone.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// The word (or idiom) as written, or a group of the learned model's features in
    /// parentheses: `(rules)` (the rule tone and its shares), `(other)` (the bias, the
    /// sentence's form and the words not listed).
    pub word: String,
    /// Its contribution to the rules' sum after every rule (0 for a word whose valence was
    /// removed, and for words and groups the rules do not score).
    pub valence: f64,
    /// Its valence before the rules (the lexicon's, or the idiom's; 0 if none).
    pub base: f64,
    /// The rules applied, comma-separated ("lexicon", "negated", "boosted", …), or `learned`
    /// for a word or group only the learned model weighs.
    pub rule: String,
    /// Its contribution to the learned model's sum `z` (the tone is `tanh(z)`): the entries'
    /// `learned` values add up to `z`.
    pub learned: f64,
}

impl Evidence {
    pub fn to_json(&self) -> AttrValue {
        entry(Str::Owned(self.word.clone()), self.valence, self.base, Str::Owned(self.rule.clone()), self.learned)
    }
}

/// (Tried and not kept: rounding inline, by truncation through an integer, instead of
/// `f64::round`, a C library call on the baseline target; the entry loop around it compiled
/// 2.5 M instructions heavier on the first 200 docs of the 1,000-doc subset.)
fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// A word is listed for its learned contribution alone when that is at least this large
/// (smaller ones go into `(other)`, so that the list stays short and still sums to `z`).
pub const LEARNED_MIN: f32 = 0.1;

/// The learned model's slots of the rules' verdict (the rule tone and its shares); the other
/// dense slots (the bias and the sentence's form) go into `(other)`.
const RULE_SLOTS: std::ops::Range<usize> = dense::RULE_TONE as usize..dense::HEDGED as usize;

/// Calls `visit(word, valence, base, rules, removed, learned, group)` for each evidence entry of the
/// last text `engine` scored: every token with a nonzero sentiment or a listed learned
/// contribution, every token whose VADER valence a news rule removed, then the groups
/// `(rules)` and `(other)` (`group` is true for those).
/// `idiom_len` (may be empty) gives the length of idioms starting at a token, so the idiom is
/// shown whole (with the learned contributions of its tokens).
fn visit_entries(
    engine: &Engine,
    text: &str,
    idiom_len: &[u8],
    learned: &Scorer,
    mut visit: impl FnMut(&str, f64, f64, u32, bool, f64, bool),
) {
    let clean = engine.clean_text(text);
    let toks = engine.tokens();
    let n = engine.sentiments.len().min(engine.traces.len()).min(toks.len());
    let (sentiments, traces) = (&engine.sentiments[..n], &engine.traces[..n]);
    let per_token = |i: usize| learned.per_token.get(i).copied().unwrap_or(0.0);
    let mut other = 0f64;
    let mut i = 0;
    // The model's shares and the idiom lengths as long as the tokens, when they are (they
    // are for the news tone's scorer), for the scan below.
    let shares = learned.per_token.get(..n).zip(idiom_len.get(..n));
    while i < n {
        // Most tokens are neither scored by a rule nor weighed enough by the model to be
        // listed, and start no idiom: they only add their share to `(other)`. This scan
        // settles a run of them with one load from each list per token.
        if let Some((per, idl)) = shares {
            while i < n {
                let l = per[i];
                let plain = sentiments[i] == 0.0
                    && idl[i] <= 1
                    && traces[i].rules & (rule::NEWS_NAME | rule::NEWS_NEUTRAL) == 0
                    && l.abs() < LEARNED_MIN;
                if !plain {
                    break;
                }
                other += l as f64;
                i += 1;
            }
            if i == n {
                break;
            }
        }
        let (s, t) = (sentiments[i], traces[i]);
        let len = idiom_len.get(i).copied().unwrap_or(0).max(1) as usize;
        let removed = t.rules & (rule::NEWS_NAME | rule::NEWS_NEUTRAL) != 0 && toks[i].orig.is_some();
        let ruled = s != 0.0 || removed;
        let last = (i + len - 1).min(toks.len() - 1);
        // One token's share is its own value (a sum of one item is that item, also for a
        // signed zero); an idiom's is the sum of its tokens', in order.
        let l: f32 = if last == i { per_token(i) } else { (i..=last).map(per_token).sum() };
        if !ruled && l.abs() < LEARNED_MIN {
            other += l as f64;
            i += 1;
            continue;
        }
        let (a, _) = toks[i].raw;
        let (_, b) = toks[last].raw;
        let base = if removed { toks[i].orig.unwrap_or(0.0) } else { t.base };
        let rules = if ruled { t.rules } else { 0 };
        visit(&clean[a..b], s, base, rules, removed, l as f64, false);
        i = last + 1;
    }
    let rules: f32 = learned.per_dense.get(RULE_SLOTS).map_or(0.0, |d| d.iter().sum());
    if rules != 0.0 {
        visit("(rules)", 0.0, 0.0, 0, false, rules as f64, true);
    }
    // The slots above the dense features' hold +0.0 (a contribution of zero is never added),
    // which leaves a sum of the slots below unchanged, bit for bit.
    let used = learned.per_dense.get(..dense::COUNT as usize).unwrap_or(&learned.per_dense);
    let form: f32 = used.iter().sum::<f32>() - rules;
    other += form as f64;
    if other != 0.0 {
        visit("(other)", 0.0, 0.0, 0, false, other, true);
    }
}

/// The evidence of the last text `engine` scored (see [`visit_entries`]).
pub fn evidence_from(engine: &Engine, text: &str, idiom_len: &[u8], learned: &Scorer) -> Vec<Evidence> {
    let mut out = Vec::new();
    visit_entries(engine, text, idiom_len, learned, |word, valence, base, rules, removed, l, _| {
        out.push(Evidence {
            word: word.to_string(),
            valence,
            base,
            rule: entry_rule(rules, removed, valence).into_owned(),
            learned: l,
        });
    });
    out
}

/// [`evidence_from`] straight to its JSON list (what [`to_json`] makes of it), without the
/// intermediate [`Evidence`] values; `on_word` is called with each word (not the groups) the
/// list names.
pub fn evidence_json(
    engine: &Engine,
    text: &str,
    idiom_len: &[u8],
    learned: &Scorer,
    mut on_word: impl FnMut(&str),
) -> AttrValue {
    let mut out = Vec::new();
    visit_entries(engine, text, idiom_len, learned, |word, valence, base, rules, removed, l, group| {
        // The groups' names and the common rule texts are constants, borrowed rather than
        // copied into every entry.
        let word = match (group, word) {
            (true, "(rules)") => Str::Borrowed("(rules)"),
            (true, "(other)") => Str::Borrowed("(other)"),
            _ => {
                on_word(word);
                Str::Owned(word.to_string())
            }
        };
        out.push(entry(word, valence, base, entry_rule(rules, removed, valence), l));
    });
    AttrValue::List(out)
}

/// One evidence entry as it is written (`attrs.evidence[i]`), values rounded to three places.
fn entry(word: Str, valence: f64, base: f64, rule: Str, learned: f64) -> AttrValue {
    AttrValue::Map(attrs! {
        "base": round3(base),
        "learned": round3(learned),
        "rule": rule,
        "valence": round3(valence),
        "word": word,
    })
}

/// The `rule` text of an entry: the names of its rules, "lexicon" first when its valence is
/// the lexicon's. Written straight into one string (no list of names to join).
/// (Tried and not kept: a cache of these texts by rules, copied into each entry, and sizing
/// the entry list from a count of nonzero sentiments first; together they saved nothing
/// measurable on the 1,000-doc subset, about 1 M of 1.5 G instructions either way.)
fn rule_text(rules: u32, removed: bool) -> Str {
    // Most listed words have their lexicon valence and no other rule.
    if rules & !rule::LEXICON == 0 {
        return Cow::Borrowed("lexicon");
    }
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
    Cow::Owned(out)
}

/// The `rule` text of an entry with rule valence `valence`: `learned` for a word or group
/// that only the learned model weighs (no rule scored it or removed its valence).
fn entry_rule(rules: u32, removed: bool, valence: f64) -> Str {
    if valence == 0.0 && !removed {
        Cow::Borrowed("learned")
    } else {
        rule_text(rules, removed)
    }
}

/// The evidence as a JSON list (`attrs.evidence`).
pub fn to_json(evidence: &[Evidence]) -> AttrValue {
    AttrValue::List(evidence.iter().map(Evidence::to_json).collect())
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

    #[test]
    fn evidence_json_equals_the_evidence_values_as_json() {
        // The list built straight from the visitor against `Evidence::to_json`, on
        // texts that exercise idioms, names, negation, damping and removed valences.
        let texts = [
            "The rescue was a wonderful success, but critics were not happy at all.",
            "United Russia reportedly made empty threats and turned its back on allies.",
            "“Don’t count on their help,” the angry minister said. I love it!!! :)",
            "The Security Council may hold a party for the Patriot missiles on Hope Street.",
        ];
        let mut news = crate::news::NewsTone::new();
        for text in texts {
            news.score(text);
            let mut words = Vec::new();
            let fast = news.evidence_json(text, |w| words.push(w.to_string()));
            let evidence = news.evidence(text);
            assert!(!evidence.is_empty(), "{text}");
            assert_eq!(fast, to_json(&evidence), "{text}");
            let named: Vec<String> =
                evidence.iter().filter(|e| !e.word.starts_with('(')).map(|e| e.word.clone()).collect();
            assert_eq!(words, named, "{text}");
            // The learned contributions add up to the model's sum, whose tanh is the tone.
            let s = news.score(text);
            let sum: f64 = evidence.iter().map(|e| e.learned).sum();
            assert!((sum - s.z).abs() < 1e-4, "{text}: evidence sums to {sum}, z is {}", s.z);
            assert!((s.z.tanh() - s.tone).abs() < 1e-12, "{text}");
        }
    }
}
