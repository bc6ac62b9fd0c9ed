//! The news rules (VADER's rules run over a lexicon adjusted for news) and the news-tone scorer.
//!
//! VADER was built for social media, and news text trips it: "United Russia" and "the Security
//! Council" read as positive, "a slap in the face" barely registers, "cannot count on their
//! help" reads as help. The news tone keeps VADER's machinery (boosters, negation, "but",
//! punctuation, normalization) and changes what it is fed, with general rules and our own
//! lexicon file (`data/news-lexicon.tsv`):
//!
//! - **news lexicon**: words VADER lacks (conflict and diplomacy vocabulary) get a valence, and
//!   words whose VADER valence is a social-media sense ("party", "like", "interest") lose it;
//! - **idioms**: multi-word expressions get one valence on their first token ("turn its back
//!   on", "cannot count on", "empty threats"); fixed terms ("health care", "security council")
//!   carry none;
//! - **names**: a lexicon word written with a capital inside a run of capitalized words, or
//!   capitalized where a sentence does not start, is part of a name ("United Russia", "Patriot
//!   missiles", "Hope Street") and carries no valence;
//! - **negation scope**: a negation reaches the first sentiment word of its clause, also past
//!   VADER's three tokens; typographic quotes and apostrophes are folded (`“angry,` is
//!   "angry", "don’t" negates);
//! - **hedged and reported statements**: a sentence with a hedge ("reportedly", "may") or a
//!   reporting verb ("said", "according to") is damped: the article reports a view rather
//!   than holding it.
//!
//! The rule tone is the normalized sum, as VADER's compound, rounded to four places. The news
//! tone ([`NewsScores::tone`]) is the learned model's (see [`crate::learned`]), which reads the
//! rule tone and the tokens as the rules left them.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use rustc_hash::FxHasher;

use crate::evidence::{evidence_from, evidence_json, Evidence};
use crate::learned::{features, squash, Facts, Model, ScoreSink, Scorer, Sink};
use crate::news_keys::POSS;
use crate::vader::lexicon::VaderLexicon;
use crate::vader::lexicon::N_SCALAR;
use crate::vader::pystr::py_round;
use crate::vader::{rule, Engine, Scores};

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

const LEXICON_FILE: &str = include_str!("../data/news-lexicon.tsv");

/// The news tone of one text: the tone (in [-1, 1]) and the shares of positive, neutral and
/// negative weight, like VADER's.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct NewsScores {
    /// The news tone: the learned tone (see [`crate::learned`]).
    pub tone: f64,
    /// The tone of the rules alone (VADER's normalization of the rule-adjusted sum).
    pub rule_tone: f64,
    /// The learned model's sum before `tanh` (what the learned evidence adds up to).
    pub z: f64,
    pub pos: f64,
    pub neu: f64,
    pub neg: f64,
}

/// One token of an idiom pattern.
#[derive(Debug, Clone)]
enum Slot {
    Any(Vec<Box<str>>),
    /// Zero to three arbitrary tokens.
    Gap,
}

#[derive(Debug, Clone)]
struct Idiom {
    slots: Vec<Slot>,
    valence: f64,
}

/// Everything the news lexicon says about one lowercased token (one lookup per token).
#[derive(Debug, Default, Clone)]
struct NewsEntry {
    /// `word` (`Some(Some(v))`) or `neutral` (`Some(None)`).
    word: Option<Option<f64>>,
    /// The idioms whose first slot this token can fill.
    idioms: Vec<usize>,
    /// `hedge` or `report`: the factor and its rule.
    damp: Option<(f64, u32)>,
}

/// The parsed news lexicon.
#[derive(Debug, Default)]
pub struct NewsLexicon {
    entries: FastMap<Box<str>, NewsEntry>,
    idioms: Vec<Idiom>,
    /// The entries by news id (`Tok::news`, from the token's lookup in VADER's table), for
    /// the built-in lexicon; empty for others.
    by_id: Vec<Option<NewsEntry>>,
}

impl NewsLexicon {
    pub fn get() -> &'static NewsLexicon {
        static LEX: OnceLock<NewsLexicon> = OnceLock::new();
        LEX.get_or_init(|| {
            let mut lex = NewsLexicon::parse(LEXICON_FILE).unwrap_or_else(|e| panic!("data/news-lexicon.tsv: {e}"));
            // `build.rs` gave every key of this file an id in VADER's token table.
            let ids = VaderLexicon::get().news_keys();
            let by_id = ids.iter().map(|k| lex.entries.get(*k).cloned());
            lex.by_id = std::iter::once(None).chain(by_id).collect();
            lex
        })
    }

    /// The entry of token `i`: by its news id for the built-in lexicon, else by its text.
    #[inline]
    fn entry_of(&self, engine: &Engine, i: usize) -> Option<&NewsEntry> {
        if self.by_id.is_empty() {
            return self.entries.get(engine.low(i));
        }
        self.by_id.get(engine.tokens()[i].news as usize)?.as_ref()
    }

    /// Parses the lexicon format described at the top of `data/news-lexicon.tsv`.
    pub fn parse(src: &str) -> Result<NewsLexicon, String> {
        let mut lex = NewsLexicon::default();
        for (n, line) in src.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            let bad = |m: &str| format!("line {}: {m}: {line:?}", n + 1);
            let value = |i: usize| -> Result<f64, String> {
                cols.get(i).ok_or_else(|| bad("missing value"))?.trim().parse::<f64>().map_err(|_| bad("bad number"))
            };
            let entry = cols.get(1).map(|s| s.trim()).filter(|s| !s.is_empty()).ok_or_else(|| bad("missing entry"))?;
            match cols[0] {
                "word" => {
                    lex.entries.entry(entry.into()).or_default().word = Some(Some(value(2)?));
                }
                "neutral" => {
                    lex.entries.entry(entry.into()).or_default().word = Some(None);
                }
                "idiom" | "fixed" => {
                    let valence = if cols[0] == "idiom" { value(2)? } else { 0.0 };
                    let slots: Vec<Slot> = entry
                        .split(' ')
                        .filter(|s| !s.is_empty())
                        .map(|s| match s {
                            "~" => Slot::Gap,
                            "{poss}" => Slot::Any(POSS.iter().map(|p| (*p).into()).collect()),
                            alts => Slot::Any(alts.split('|').map(Into::into).collect()),
                        })
                        .collect();
                    let Some(Slot::Any(first)) = slots.first() else {
                        return Err(bad("an idiom must start with a word"));
                    };
                    let idx = lex.idioms.len();
                    for w in first {
                        lex.entries.entry(w.clone()).or_default().idioms.push(idx);
                    }
                    lex.idioms.push(Idiom { slots, valence });
                }
                "hedge" => {
                    lex.entries.entry(entry.into()).or_default().damp = Some((value(2)?, rule::NEWS_HEDGED));
                }
                "report" => {
                    lex.entries.entry(entry.into()).or_default().damp = Some((value(2)?, rule::NEWS_REPORTED));
                }
                other => return Err(bad(&format!("unknown kind `{other}`"))),
            }
        }
        Ok(lex)
    }

    /// The longest idiom starting at token `i` (whose entry lists the idioms `cands` it can
    /// start): its valence and the number of tokens it covers.
    fn idiom_at(&self, engine: &Engine, i: usize, cands: &[usize]) -> Option<(f64, usize)> {
        let mut best: Option<(f64, usize)> = None;
        for &c in cands {
            let idiom = &self.idioms[c];
            // The token is the key of the entry that lists the idiom, one of the words of its
            // first slot, so matching starts at the second slot.
            debug_assert!(matches!(&idiom.slots[0], Slot::Any(alts) if alts.iter().any(|a| **a == *engine.low(i))));
            if let Some(len) = match_slots(engine, i + 1, &idiom.slots[1..]).map(|l| l + 1) {
                if best.is_none_or(|(_, l)| len > l) {
                    best = Some((idiom.valence, len));
                }
            }
        }
        best
    }
}

/// Matches `slots` at token `i`; returns the number of tokens matched.
fn match_slots(engine: &Engine, i: usize, slots: &[Slot]) -> Option<usize> {
    let n = engine.tokens().len();
    match slots.split_first() {
        None => Some(0),
        Some((Slot::Any(alts), rest)) => {
            if i < n && alts.iter().any(|a| **a == *engine.low(i)) {
                match_slots(engine, i + 1, rest).map(|l| l + 1)
            } else {
                None
            }
        }
        Some((Slot::Gap, rest)) => {
            (0..=3).filter(|g| i + g <= n).find_map(|g| match_slots(engine, i + g, rest).map(|l| l + g))
        }
    }
}

/// A reusable news-tone scorer (holds a VADER [`Engine`] and its buffers).
#[derive(Debug, Default)]
pub struct NewsTone {
    engine: Engine,
    /// For each token that starts an idiom, the number of tokens it covers.
    idiom_len: Vec<u8>,
    /// The tokens that have a news-lexicon entry, in order, with their entry (most tokens
    /// have none, so the rules below visit these rather than every token).
    entries: Vec<(usize, &'static NewsEntry)>,
    /// The tokens that may carry a valence after the news lexicon (see `score_prepared`).
    valued: Vec<usize>,
    /// The index of the last text's first negating token (its number of tokens if none).
    first_negation: usize,
    /// The damping rule of the last text (`rule::NEWS_HEDGED`, `rule::NEWS_REPORTED` or 0).
    damp_rule: u32,
    /// Whether each token is inside a negation's scope (a learned-model feature).
    scope: Vec<bool>,
    /// The learned model's sum and its shares, for the last text.
    pub(crate) learned: Scorer,
}

impl NewsTone {
    pub fn new() -> NewsTone {
        NewsTone::default()
    }

    /// The news tone of `text` (one sentence, ideally).
    pub fn score(&mut self, text: &str) -> NewsScores {
        self.score_with_vader(text).1
    }

    /// VADER's scores and the news tone of `text`, tokenizing it once.
    pub fn score_with_vader(&mut self, text: &str) -> (Scores, NewsScores) {
        let (vader, mut news, facts) = self.rules(text);
        let model = Model::get();
        let mut learned = std::mem::take(&mut self.learned);
        learned.reset(self.engine.tokens().len());
        self.emit(text, &facts, &mut ScoreSink { model, scorer: &mut learned });
        news.z = learned.z;
        news.tone = squash(learned.z);
        self.learned = learned;
        (vader, news)
    }

    /// The features of `text` for the learned model (what the trainer learns from).
    pub fn features<S: Sink>(&mut self, text: &str, sink: &mut S) {
        let (_, _, facts) = self.rules(text);
        self.emit(text, &facts, sink);
    }

    /// VADER's scores, the rules' news tone (in `tone` and `rule_tone`) and the facts the
    /// learned model reads.
    fn rules(&mut self, text: &str) -> (Scores, NewsScores, Facts) {
        self.engine.prepare(text);
        let vader = self.engine.score(text);
        let mut news = self.score_prepared(text);
        news.rule_tone = news.tone;
        let facts = Facts { rule_tone: news.tone, rule_pos: news.pos, rule_neg: news.neg, damp_rule: self.damp_rule };
        (vader, news, facts)
    }

    /// Emits the learned model's features of the text the rules last scored.
    fn emit<S: Sink>(&mut self, text: &str, facts: &Facts, sink: &mut S) {
        let e = &self.engine;
        let n = e.tokens().len();
        // A negation's scope runs to the end of its clause. Before the first negation no
        // scope is open (most sentences have none).
        let first = self.first_negation;
        self.scope.clear();
        self.scope.resize(first, false);
        let mut open = false;
        for i in first..n {
            if open && is_clause_break(e.low(i)) {
                open = false;
            }
            self.scope.push(open);
            if e.is_negation(i) {
                open = true;
            }
            if open && ends_clause(e, text, i) {
                open = false;
            }
        }
        let scope = &self.scope;
        features(e, text, facts, |i| scope[i], sink);
    }

    /// The rules' news tone of the text the engine has prepared.
    fn score_prepared(&mut self, text: &str) -> NewsScores {
        let lex = NewsLexicon::get();
        let e = &mut self.engine;
        e.fold_typography(text);
        let n = e.tokens().len();
        self.idiom_len.clear();
        self.idiom_len.resize(n, 0);
        self.entries.clear();
        // The tokens that can have a valence once the news lexicon is applied (those with
        // VADER's and those with a news id), for the names rule below.
        self.valued.clear();
        // The first token that negates (the rules leave negation alone, so the learned
        // model's scope reads it too), found in the same pass.
        let mut first_neg = n;
        if lex.by_id.is_empty() {
            self.entries.extend((0..n).filter_map(|i| Some((i, lex.entry_of(e, i)?))));
            self.valued.extend(0..n);
            first_neg = (0..n).find(|&i| e.is_negation(i)).unwrap_or(n);
        } else {
            // A token without a news id has no entry: only the others are looked up.
            for (i, t) in e.tokens().iter().enumerate() {
                if t.news != 0 {
                    if let Some(x) = lex.entry_of(e, i) {
                        self.entries.push((i, x));
                    }
                }
                if t.news != 0 || t.lex.is_some() {
                    self.valued.push(i);
                }
                if first_neg == n && e.is_negation(i) {
                    first_neg = i;
                }
            }
        }
        self.first_negation = first_neg;

        // News lexicon: replace or remove VADER's valence.
        for &(i, x) in &self.entries {
            let Some(v) = x.word else { continue };
            // "like" is a preposition in news ("countries like Russia") unless a subject or an
            // auxiliary comes before it ("they like", "don't like").
            if e.low(i) == "like" && i > 0 && is_like_subject(e.low(i - 1)) {
                continue;
            }
            let t = &mut e.tokens_mut()[i];
            match v {
                Some(v) => {
                    t.lex = Some(v);
                    t.pre_rules |= rule::NEWS_LEXICON;
                }
                None => {
                    if t.lex.is_some() {
                        t.pre_rules |= rule::NEWS_NEUTRAL;
                    }
                    t.lex = None;
                }
            }
        }

        // (Tried and not kept: this rule and the news lexicon in one pass over the tokens;
        // NewsTone::rules compiled 0.4 M instructions heavier on the first 200 docs.)
        // Names: capitalized lexicon words inside a name lose their valence (not in a
        // headline-style text, where capitals do not mark names; decided when first needed).
        let mut headline = None;
        for &i in &self.valued {
            if e.tokens()[i].lex.is_none() || !is_capitalized(e.raw(text, i)) {
                continue;
            }
            if *headline.get_or_insert_with(|| is_headline(e, text)) {
                break;
            }
            let initial = starts_sentence(e, text, i);
            let prev_cap = i > 0 && !initial && is_capitalized(e.raw(text, i - 1));
            let next_cap = i + 1 < n && is_capitalized(e.raw(text, i + 1)) && !ends_clause(e, text, i);
            if !initial || prev_cap || next_cap {
                let t = &mut e.tokens_mut()[i];
                t.lex = None;
                t.pre_rules = (t.pre_rules & !(rule::NEWS_LEXICON | rule::NEWS_NEUTRAL)) | rule::NEWS_NAME;
            }
        }

        // Idioms and fixed terms: one valence on the first token, none on the others.
        // An idiom's tokens cannot start another: candidates before `free` are skipped.
        let mut free = 0;
        for &(i, x) in &self.entries {
            if i < free || x.idioms.is_empty() {
                continue;
            }
            if let Some((v, len)) = lex.idiom_at(e, i, &x.idioms) {
                let toks = e.tokens_mut();
                for t in &mut toks[i + 1..i + len] {
                    t.lex = None;
                    t.pre_rules &= !(rule::NEWS_LEXICON | rule::NEWS_NEUTRAL);
                }
                let had_valence = toks[i..i + len].iter().any(|t| t.orig.is_some());
                let head = &mut toks[i];
                head.pre_rules &= !(rule::NEWS_LEXICON | rule::NEWS_NEUTRAL);
                if v == 0.0 {
                    head.lex = None;
                    if had_valence {
                        head.pre_rules |= rule::NEWS_NEUTRAL;
                    }
                } else {
                    head.lex = Some(v);
                    head.pre_rules |= rule::NEWS_IDIOM;
                }
                self.idiom_len[i] = len.min(255) as u8;
                free = i + len.max(1);
            }
        }

        // Negation reaches the first sentiment word of its clause, also beyond VADER's window
        // of three tokens (which VADER handles itself).
        // Nothing happens before the first negation (most sentences have none).
        let mut neg_at: Option<usize> = None;
        for i in first_neg..n {
            if let Some(j) = neg_at {
                if let Some(v) = e.tokens()[i].lex {
                    if i > j + 3 {
                        let t = &mut e.tokens_mut()[i];
                        t.lex = Some(v * N_SCALAR);
                        t.pre_rules |= rule::NEWS_NEGATED;
                    }
                    neg_at = None;
                }
            }
            if neg_at.is_some() && is_clause_break(e.low(i)) {
                neg_at = None;
            }
            if e.is_negation(i) {
                neg_at = Some(i);
            }
            if neg_at.is_some() && ends_clause(e, text, i) {
                neg_at = None;
            }
        }

        // Hedged or reported statements are damped (the strongest damping counts).
        let mut damp = 1.0f64;
        let mut damp_rule = 0;
        for (_, x) in &self.entries {
            if let Some((f, r)) = x.damp {
                if f < damp {
                    damp = f;
                    damp_rule = r;
                }
            }
        }
        self.damp_rule = damp_rule;
        // Only the tokens listed as able to carry a valence can have one to damp.
        if damp < 1.0 {
            let toks = e.tokens_mut();
            for &i in &self.valued {
                let t = &mut toks[i];
                if let Some(v) = t.lex {
                    t.lex = Some(v * damp);
                    t.pre_rules |= damp_rule;
                }
            }
        }

        let raw = e.score_unrounded(text);
        let tone = py_round(raw.compound, 4);
        NewsScores {
            tone,
            rule_tone: tone,
            z: 0.0,
            pos: py_round(raw.pos, 3),
            neu: py_round(raw.neu, 3),
            neg: py_round(raw.neg, 3),
        }
    }

    /// The words that moved the last scored text, with their rules.
    pub fn evidence(&self, text: &str) -> Vec<Evidence> {
        evidence_from(&self.engine, text, &self.idiom_len, &self.learned)
    }

    /// [`NewsTone::evidence`] as the JSON list of `attrs.evidence`; `on_word` is called with
    /// the word of each entry with a nonzero valence.
    pub fn evidence_json(&self, text: &str, on_word: impl FnMut(&str)) -> slant_core::AttrValue {
        evidence_json(&self.engine, text, &self.idiom_len, &self.learned, on_word)
    }
}

/// Whether a token is written with an initial capital and is not all caps ("Russia", "McCain").
/// (Tried and not kept: a path for ASCII tokens on bytes; its three passes cost more than
/// the decoding of short ASCII tokens, +0.3 M instructions on the first 200 docs.)
fn is_capitalized(tok: &str) -> bool {
    let mut cs = tok.chars().filter(|c| c.is_alphabetic());
    match cs.next() {
        Some(c) if c.is_uppercase() => cs.any(|c| c.is_lowercase()),
        _ => false,
    }
}

/// Whether token `i` starts a sentence or a quotation (where a capital says nothing).
fn starts_sentence(e: &Engine, text: &str, i: usize) -> bool {
    if i == 0 {
        return true;
    }
    let clean = e.clean_text(text);
    let (start, _) = e.tokens()[i].raw;
    let (_, prev_end) = e.tokens()[i - 1].raw;
    // Opening quotes or brackets stripped from the token, or sentence punctuation before it.
    let between = &clean[prev_end..start];
    if between.chars().any(|c| matches!(c, '.' | '!' | '?' | ':' | ';' | '"' | '“' | '‘' | '(' | '[' | '—' | '–'))
    {
        return true;
    }
    matches!(e.raw(text, i - 1), "-" | "--")
}

/// Whether punctuation that closes a clause follows token `i`.
fn ends_clause(e: &Engine, text: &str, i: usize) -> bool {
    let clean = e.clean_text(text);
    let (_, end) = e.tokens()[i].raw;
    clean[end..].chars().take_while(|c| !c.is_whitespace()).any(|c| matches!(c, ',' | ';' | ':' | '.' | '!' | '?'))
}

fn is_like_subject(w: &str) -> bool {
    matches!(w, "i" | "we" | "you" | "they" | "who" | "would" | "do" | "did" | "does" | "don't" | "doesn't" | "didn't")
}

fn is_clause_break(w: &str) -> bool {
    matches!(w, "but" | "although" | "though" | "while" | "whereas" | "however" | "yet" | "because" | "which" | "who")
}

/// A headline-style text (most words capitalized), where capitals do not mark names.
fn is_headline(e: &Engine, text: &str) -> bool {
    let n = e.tokens().len();
    if n < 4 {
        return false;
    }
    let words = (0..n).filter(|&i| e.raw(text, i).chars().any(char::is_alphabetic)).count();
    let caps = (0..n).filter(|&i| is_capitalized(e.raw(text, i))).count();
    words >= 4 && caps * 10 >= words * 7
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_news_entry_is_found_through_the_token_table() {
        let lex = NewsLexicon::get();
        assert_eq!(crate::news_keys::keys(LEXICON_FILE), VaderLexicon::get().news_keys());
        let mut engine = Engine::new();
        for key in lex.entries.keys() {
            engine.prepare(key);
            assert_eq!(engine.tokens().len(), 1, "{key}");
            let (by_id, by_text) = (lex.entry_of(&engine, 0), lex.entries.get(key));
            assert_eq!(format!("{by_id:?}"), format!("{by_text:?}"), "{key}");
            assert!(by_id.is_some(), "{key}");
        }
        engine.prepare("zzyzx");
        assert!(lex.entry_of(&engine, 0).is_none());
    }
}

thread_local! {
    static NEWS: RefCell<NewsTone> = RefCell::new(NewsTone::new());
}

/// Runs `f` with this thread's [`NewsTone`], whose buffers are then kept from one call to the
/// next (or with a fresh one if that one is in use).
pub fn with_news_tone<R>(f: impl FnOnce(&mut NewsTone) -> R) -> R {
    NEWS.with(|n| match n.try_borrow_mut() {
        Ok(mut news) => f(&mut news),
        Err(_) => f(&mut NewsTone::new()),
    })
}

/// The news tone of `text`, using a per-thread [`NewsTone`].
pub fn news_tone(text: &str) -> NewsScores {
    NEWS.with(|n| n.borrow_mut().score(text))
}

/// The news tone of `text` and the words that moved it.
pub fn news_tone_explained(text: &str) -> (NewsScores, Vec<Evidence>) {
    NEWS.with(|n| {
        let mut n = n.borrow_mut();
        let s = n.score(text);
        (s, n.evidence(text))
    })
}
