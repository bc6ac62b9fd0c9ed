//! A VADER engine equal to vaderSentiment 3.3.2's `SentimentIntensityAnalyzer.polarity_scores`,
//! rule for rule, quirks included, and fast: the lexicon is a hash map built once, and an
//! [`Engine`] reuses its buffers so that scoring ASCII text allocates nothing per token.
//!
//! What 3.3.2 does, in order (and what this module reproduces):
//! 1. every character found in the emoji lexicon is replaced by its description (with a space
//!    before it unless one is there already); the text is stripped of whitespace;
//! 2. tokens are the whitespace-separated pieces (Python's notion of whitespace), each stripped
//!    of leading and trailing ASCII punctuation unless that leaves two characters or fewer;
//! 3. "ALL CAPS" emphasis counts only when some but not all tokens are all caps;
//! 4. booster words and "kind" before "of" score 0; a lexicon word gets its valence, then the
//!    "no" rules, the caps bonus, and for each of the three preceding tokens that are not lexicon
//!    words: the booster or dampener scalar (damped by distance), the negation check ("never
//!    so/this" amplifies, "without doubt" is kept), and, at distance three, the special-case
//!    idioms and the "kind of"/"sort of" bigrams; then "least";
//! 5. the "but" rule halves what comes before the first "but" and multiplies what follows by
//!    1.5, by *value* (Python's `list.index`), which this module reproduces exactly;
//! 6. up to four `!` add 0.292 each, two or three `?` 0.18 each (four or more: 0.96);
//!    `compound` = sum / sqrt(sum² + 15); pos, neg and neu are the shares of the sifted sums;
//!    everything is rounded as Python's `round` does.
//!
//! Deliberately not reproduced: nothing. Python's unused `SENTIMENT_LADEN_IDIOMS` are unused
//! here too.

pub mod lexicon;
pub mod pystr;

use std::cell::RefCell;

use lexicon::{booster_bigram, special_bigram, special_trigram, VaderLexicon, C_INCR, N_SCALAR};
use pystr::{is_py_space, push_lower, py_isupper, py_round, py_strip, strip_punc_if_word, write_py_float};

/// VADER's four scores, rounded as vaderSentiment rounds them.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Scores {
    pub neg: f64,
    pub neu: f64,
    pub pos: f64,
    pub compound: f64,
}

impl Scores {
    /// The scores as `json.dumps(polarity_scores(text))` prints them: keys in Python's dict
    /// order, floats as Python's `repr`.
    pub fn write_json(&self, out: &mut String) {
        out.push_str("{\"neg\": ");
        write_py_float(self.neg, out);
        out.push_str(", \"neu\": ");
        write_py_float(self.neu, out);
        out.push_str(", \"pos\": ");
        write_py_float(self.pos, out);
        out.push_str(", \"compound\": ");
        write_py_float(self.compound, out);
        out.push('}');
    }

    pub fn to_json(&self) -> String {
        let mut s = String::with_capacity(64);
        self.write_json(&mut s);
        s
    }
}

/// Which rules touched a token (bit flags, for explanations).
pub mod rule {
    pub const LEXICON: u32 = 1;
    pub const NEGATED: u32 = 1 << 1;
    pub const NO_BEFORE_LEXICON_WORD: u32 = 1 << 2;
    pub const CAPS: u32 = 1 << 3;
    pub const BOOSTED: u32 = 1 << 4;
    pub const DAMPENED: u32 = 1 << 5;
    pub const NEVER_SO: u32 = 1 << 6;
    pub const SPECIAL_CASE: u32 = 1 << 7;
    pub const KIND_OF: u32 = 1 << 8;
    pub const LEAST: u32 = 1 << 9;
    pub const BEFORE_BUT: u32 = 1 << 10;
    pub const AFTER_BUT: u32 = 1 << 11;
    /// Set by the news tone, never by VADER itself.
    pub const NEWS_LEXICON: u32 = 1 << 16;
    pub const NEWS_IDIOM: u32 = 1 << 17;
    pub const NEWS_NAME: u32 = 1 << 18;
    pub const NEWS_NEGATED: u32 = 1 << 19;
    pub const NEWS_HEDGED: u32 = 1 << 20;
    pub const NEWS_REPORTED: u32 = 1 << 21;
    pub const NEWS_NEUTRAL: u32 = 1 << 22;

    /// Names of the rules set in `bits`, in a stable order.
    pub fn names(bits: u32) -> Vec<&'static str> {
        const ALL: &[(u32, &str)] = &[
            (NEWS_NAME, "proper name: no valence"),
            (NEWS_NEUTRAL, "neutral in news"),
            (NEWS_IDIOM, "idiom"),
            (NEWS_LEXICON, "news lexicon"),
            (NO_BEFORE_LEXICON_WORD, "\"no\" before a lexicon word"),
            (NEGATED, "negated"),
            (NEWS_NEGATED, "negated (clause)"),
            (NEVER_SO, "\"never so/this\" amplified"),
            (CAPS, "caps"),
            (BOOSTED, "boosted"),
            (DAMPENED, "dampened"),
            (KIND_OF, "\"kind of\" dampened"),
            (SPECIAL_CASE, "special case"),
            (LEAST, "\"least\" negated"),
            (BEFORE_BUT, "before \"but\" (halved)"),
            (AFTER_BUT, "after \"but\" (x1.5)"),
            (NEWS_HEDGED, "hedged"),
            (NEWS_REPORTED, "reported"),
        ];
        ALL.iter().filter(|(b, _)| bits & b != 0).map(|(_, n)| *n).collect()
    }
}

/// One token of the cleaned text.
#[derive(Debug, Clone, Copy)]
pub struct Tok {
    /// Byte range in [`Engine::clean_text`].
    pub raw: (usize, usize),
    /// Byte range of the lowercased token in the engine's lowercase buffer.
    low: (usize, usize),
    /// Python's `token.isupper()`.
    pub upper: bool,
    /// The valence the rules see for this token (`None`: not a lexicon word).
    pub lex: Option<f64>,
    /// VADER's own valence for the token (kept when the news tone changes `lex`).
    pub orig: Option<f64>,
    /// The token's `BOOSTER_DICT` scalar, if it is a booster or dampener.
    booster: Option<f64>,
    /// Whether the token is in VADER's negation list (or contains "n't").
    neg: bool,
    /// Rules applied before scoring (set by the news tone).
    pub pre_rules: u32,
}

/// How one token ended up with its sentiment.
#[derive(Debug, Clone, Copy, Default)]
pub struct Trace {
    pub base: f64,
    pub rules: u32,
}

/// A reusable VADER scorer: holds the buffers, so keep one per thread.
#[derive(Debug, Default)]
pub struct Engine {
    clean: String,
    substituted: bool,
    lower: String,
    toks: Vec<Tok>,
    /// One sentiment per token, as Python's `sentiments` list.
    pub sentiments: Vec<f64>,
    pub traces: Vec<Trace>,
    nonzero: Vec<usize>,
}

impl Engine {
    pub fn new() -> Engine {
        Engine::default()
    }

    /// VADER's `polarity_scores(text)`.
    pub fn polarity_scores(&mut self, text: &str) -> Scores {
        self.prepare(text);
        self.score(text)
    }

    /// Step 1 and 2: emoji substitution, stripping, tokenizing and the lexicon lookup. After
    /// this, callers (the news tone) may change [`Engine::tokens_mut`] before [`Engine::score`].
    pub fn prepare(&mut self, text: &str) {
        let lex = VaderLexicon::get();
        self.substituted = false;
        if !text.is_ascii() && text.chars().any(|c| lex.emoji(c).is_some()) {
            self.clean.clear();
            let mut prev_space = true;
            for c in text.chars() {
                if let Some(desc) = lex.emoji(c) {
                    if !prev_space {
                        self.clean.push(' ');
                    }
                    self.clean.push_str(desc);
                    prev_space = false;
                } else {
                    self.clean.push(c);
                    prev_space = c == ' ';
                }
            }
            self.substituted = true;
        }
        let clean: &str = if self.substituted { &self.clean } else { text };
        let stripped = py_strip(clean);
        self.toks.clear();
        self.lower.clear();
        let mut pieces = Pieces { s: stripped, pos: 0, ascii: stripped.is_ascii() };
        while let Some(piece) = pieces.next_piece() {
            let tok = strip_punc_if_word(piece);
            let start = tok.as_ptr() as usize - clean.as_ptr() as usize;
            let lo = self.lower.len();
            push_lower(tok, &mut self.lower);
            let hi = self.lower.len();
            let low = &self.lower[lo..hi];
            let e = lex.entry(low).copied().unwrap_or_default();
            let neg = e.neg || (low.as_bytes().contains(&b'\'') && low.contains("n't"));
            self.toks.push(Tok {
                raw: (start, start + tok.len()),
                low: (lo, hi),
                upper: py_isupper(tok),
                lex: e.valence,
                orig: e.valence,
                booster: e.booster,
                neg,
                pre_rules: 0,
            });
        }
    }

    /// Folds typography VADER does not know: strips typographic quotes, dashes and ellipses
    /// around a token (VADER strips only ASCII punctuation, so `“angry,` misses "angry") and
    /// rewrites typographic apostrophes as `'` inside it ("don’t" then negates). Changed
    /// tokens are looked up again. VADER itself does not do this; the news tone does.
    pub fn fold_typography(&mut self, text: &str) {
        let clean: &str = if self.substituted { &self.clean } else { text };
        if clean.is_ascii() {
            return;
        }
        let lex = VaderLexicon::get();
        let fancy = |c: char| {
            matches!(
                c,
                '\u{2018}'
                    | '\u{2019}'
                    | '\u{201c}'
                    | '\u{201d}'
                    | '\u{ab}'
                    | '\u{bb}'
                    | '\u{201e}'
                    | '\u{2014}'
                    | '\u{2013}'
                    | '\u{2026}'
            )
        };
        let old = std::mem::take(&mut self.lower);
        for t in &mut self.toks {
            let w = &old[t.low.0..t.low.1];
            let lo = self.lower.len();
            if w.is_ascii() {
                self.lower.push_str(w);
                t.low = (lo, self.lower.len());
                continue;
            }
            let raw = &clean[t.raw.0..t.raw.1];
            let trimmed = raw.trim_matches(|c: char| fancy(c) || c.is_ascii_punctuation());
            if trimmed.is_empty() || trimmed.len() == raw.len() && !raw.contains('\u{2019}') {
                self.lower.push_str(w);
                t.low = (lo, self.lower.len());
                continue;
            }
            let off = trimmed.as_ptr() as usize - clean.as_ptr() as usize;
            t.raw = (off, off + trimmed.len());
            for c in trimmed.chars() {
                if c == '\u{2019}' || c == '\u{2018}' {
                    self.lower.push('\'');
                } else {
                    self.lower.extend(c.to_lowercase());
                }
            }
            let hi = self.lower.len();
            t.low = (lo, hi);
            let low = &self.lower[lo..hi];
            let e = lex.entry(low).copied().unwrap_or_default();
            t.orig = e.valence;
            t.lex = e.valence;
            t.booster = e.booster;
            t.neg = e.neg || low.contains("n't");
            t.upper = py_isupper(trimmed);
        }
    }

    /// The text VADER scores after emoji substitution (before stripping).
    pub fn clean_text<'a>(&'a self, text: &'a str) -> &'a str {
        if self.substituted {
            &self.clean
        } else {
            text
        }
    }

    pub fn tokens(&self) -> &[Tok] {
        &self.toks
    }

    pub fn tokens_mut(&mut self) -> &mut [Tok] {
        &mut self.toks
    }

    /// The lowercased form of token `i`.
    #[inline]
    pub fn low(&self, i: usize) -> &str {
        let (a, b) = self.toks[i].low;
        &self.lower[a..b]
    }

    /// The token `i` as written.
    pub fn raw<'a>(&'a self, text: &'a str, i: usize) -> &'a str {
        let (a, b) = self.toks[i].raw;
        &self.clean_text(text)[a..b]
    }

    /// Steps 3 to 6 on the prepared tokens. `text` must be the text given to `prepare`.
    pub fn score(&mut self, text: &str) -> Scores {
        let raw = self.score_unrounded(text);
        if self.sentiments.is_empty() {
            return Scores::default();
        }
        Scores {
            neg: py_round(raw.neg, 3),
            neu: py_round(raw.neu, 3),
            pos: py_round(raw.pos, 3),
            compound: py_round(raw.compound, 4),
        }
    }

    /// [`Engine::score`] without VADER's final rounding.
    pub fn score_unrounded(&mut self, text: &str) -> Scores {
        let n = self.toks.len();
        self.sentiments.clear();
        self.traces.clear();
        let upper = self.toks.iter().filter(|t| t.upper).count();
        let cap_diff = upper > 0 && upper < n;
        for i in 0..n {
            let (v, trace) = self.valence_at(i, cap_diff);
            self.sentiments.push(v);
            self.traces.push(trace);
        }
        self.but_check();
        let (ep, qm) = {
            let clean = self.clean_text(text);
            let ep = clean.bytes().filter(|&b| b == b'!').count();
            let qm = clean.bytes().filter(|&b| b == b'?').count();
            (ep, qm)
        };
        raw_scores(&self.sentiments, ep, qm)
    }

    fn valence_at(&self, i: usize, cap_diff: bool) -> (f64, Trace) {
        let n = self.toks.len();
        let li = self.low(i);
        let pre = self.toks[i].pre_rules;
        if self.toks[i].booster.is_some() {
            return (0.0, Trace { base: 0.0, rules: pre });
        }
        if i + 1 < n && li == "kind" && self.low(i + 1) == "of" {
            return (0.0, Trace { base: 0.0, rules: pre });
        }
        let Some(base) = self.toks[i].lex else {
            return (0.0, Trace { base: 0.0, rules: pre });
        };
        let mut rules = rule::LEXICON | pre;
        let mut v = base;
        if li == "no" && i != n - 1 && self.toks[i + 1].lex.is_some() {
            v = 0.0;
            rules |= rule::NO_BEFORE_LEXICON_WORD;
        }
        if (i > 0 && self.low(i - 1) == "no")
            || (i > 1 && self.low(i - 2) == "no")
            || (i > 2 && self.low(i - 3) == "no" && matches!(self.low(i - 1), "or" | "nor"))
        {
            v = base * N_SCALAR;
            rules |= rule::NEGATED;
        }
        if self.toks[i].upper && cap_diff {
            if v > 0.0 {
                v += C_INCR;
            } else {
                v -= C_INCR;
            }
            rules |= rule::CAPS;
        }
        for start_i in 0..3 {
            if i <= start_i {
                break;
            }
            let j = i - (start_i + 1);
            if self.toks[j].lex.is_some() {
                continue;
            }
            let mut s = 0.0;
            if let Some(b) = self.toks[j].booster {
                s = if v < 0.0 { -b } else { b };
                if self.toks[j].upper && cap_diff {
                    if v > 0.0 {
                        s += C_INCR;
                    } else {
                        s -= C_INCR;
                    }
                }
                rules |= if b > 0.0 { rule::BOOSTED } else { rule::DAMPENED };
            }
            if start_i == 1 && s != 0.0 {
                s *= 0.95;
            }
            if start_i == 2 && s != 0.0 {
                s *= 0.9;
            }
            v += s;
            v = self.negation_check(v, start_i, i, &mut rules);
            if start_i == 2 {
                v = self.special_idioms_check(v, i, &mut rules);
            }
        }
        v = self.least_check(v, i, &mut rules);
        (v, Trace { base, rules })
    }

    fn negation_check(&self, v: f64, start_i: usize, i: usize, rules: &mut u32) -> f64 {
        let so_this = |w: &str| w == "so" || w == "this";
        match start_i {
            0 => {
                if self.toks[i - 1].neg {
                    *rules |= rule::NEGATED;
                    return v * N_SCALAR;
                }
            }
            1 => {
                if self.low(i - 2) == "never" && so_this(self.low(i - 1)) {
                    *rules |= rule::NEVER_SO;
                    return v * 1.25;
                } else if self.low(i - 2) == "without" && self.low(i - 1) == "doubt" {
                    return v;
                } else if self.toks[i - 2].neg {
                    *rules |= rule::NEGATED;
                    return v * N_SCALAR;
                }
            }
            _ => {
                // Python: `a == "never" and (b in so/this) or (c in so/this)`; `and` binds
                // tighter, so "so"/"this" right before the word amplifies on its own here.
                if (self.low(i - 3) == "never" && so_this(self.low(i - 2))) || so_this(self.low(i - 1)) {
                    *rules |= rule::NEVER_SO;
                    return v * 1.25;
                } else if self.low(i - 3) == "without" && (self.low(i - 2) == "doubt" || self.low(i - 1) == "doubt") {
                    return v;
                } else if self.toks[i - 3].neg {
                    *rules |= rule::NEGATED;
                    return v * N_SCALAR;
                }
            }
        }
        v
    }

    fn special_idioms_check(&self, mut v: f64, i: usize, rules: &mut u32) -> f64 {
        let n = self.toks.len();
        let (w3, w2, w1, w0) = (self.low(i - 3), self.low(i - 2), self.low(i - 1), self.low(i));
        let found = special_bigram(w1, w0)
            .or_else(|| special_trigram(w2, w1, w0))
            .or_else(|| special_bigram(w2, w1))
            .or_else(|| special_trigram(w3, w2, w1))
            .or_else(|| special_bigram(w3, w2));
        if let Some(x) = found {
            v = x;
            *rules |= rule::SPECIAL_CASE;
        }
        if n - 1 > i {
            if let Some(x) = special_bigram(w0, self.low(i + 1)) {
                v = x;
                *rules |= rule::SPECIAL_CASE;
            }
        }
        if n - 1 > i + 1 {
            if let Some(x) = special_trigram(w0, self.low(i + 1), self.low(i + 2)) {
                v = x;
                *rules |= rule::SPECIAL_CASE;
            }
        }
        // The three-word n-gram can never be a booster; the two bigrams can.
        for (a, b) in [(w3, w2), (w2, w1)] {
            if let Some(x) = booster_bigram(a, b) {
                v += x;
                *rules |= rule::KIND_OF;
            }
        }
        v
    }

    fn least_check(&self, v: f64, i: usize, rules: &mut u32) -> f64 {
        if i > 0 && self.toks[i - 1].lex.is_none() && self.low(i - 1) == "least" {
            if i > 1 {
                let w2 = self.low(i - 2);
                if w2 != "at" && w2 != "very" {
                    *rules |= rule::LEAST;
                    return v * N_SCALAR;
                }
                return v;
            }
            *rules |= rule::LEAST;
            return v * N_SCALAR;
        }
        v
    }

    /// Python's `_but_check`, which walks the list and finds each value's position with
    /// `list.index`, so a value equal to an earlier one changes the earlier one. Zeros never
    /// change anything, so only nonzero positions are tracked.
    fn but_check(&mut self) {
        let Some(bi) = (0..self.toks.len()).find(|&i| self.low(i) == "but") else {
            return;
        };
        self.nonzero.clear();
        self.nonzero.extend(self.sentiments.iter().enumerate().filter(|(_, v)| **v != 0.0).map(|(i, _)| i));
        if self.nonzero.len() <= 64 {
            for k in 0..self.sentiments.len() {
                let v = self.sentiments[k];
                if v == 0.0 {
                    continue;
                }
                let si = self.nonzero.iter().copied().find(|&j| self.sentiments[j] == v).unwrap_or(k);
                self.apply_but(si, bi, v);
            }
        } else {
            self.but_check_indexed(bi);
        }
    }

    /// The same as the loop in [`Engine::but_check`], with an index from value to positions so
    /// that hostile input stays n log n.
    fn but_check_indexed(&mut self, bi: usize) {
        use std::collections::{BTreeSet, HashMap};
        let mut at: HashMap<u64, BTreeSet<usize>> = HashMap::new();
        for &j in &self.nonzero {
            at.entry(self.sentiments[j].to_bits()).or_default().insert(j);
        }
        for k in 0..self.sentiments.len() {
            let v = self.sentiments[k];
            if v == 0.0 {
                continue;
            }
            let si = at.get(&v.to_bits()).and_then(|s| s.first().copied()).unwrap_or(k);
            let old = self.sentiments[si];
            self.apply_but(si, bi, v);
            let new = self.sentiments[si];
            if new.to_bits() != old.to_bits() {
                if let Some(s) = at.get_mut(&old.to_bits()) {
                    s.remove(&si);
                }
                at.entry(new.to_bits()).or_default().insert(si);
            }
        }
    }

    fn apply_but(&mut self, si: usize, bi: usize, v: f64) {
        if si < bi {
            self.sentiments[si] = v * 0.5;
            self.traces[si].rules |= rule::BEFORE_BUT;
        } else if si > bi {
            self.sentiments[si] = v * 1.5;
            self.traces[si].rules |= rule::AFTER_BUT;
        }
    }
}

/// VADER's `score_valence`: punctuation emphasis, normalization and the sift into pos, neg and
/// neu, with Python's rounding. `ep` and `qm` count `!` and `?` in the whole cleaned text.
pub fn score_valence(sentiments: &[f64], ep: usize, qm: usize) -> Scores {
    if sentiments.is_empty() {
        return Scores::default();
    }
    let raw = raw_scores(sentiments, ep, qm);
    Scores {
        neg: py_round(raw.neg, 3),
        neu: py_round(raw.neu, 3),
        pos: py_round(raw.pos, 3),
        compound: py_round(raw.compound, 4),
    }
}

/// The unrounded scores (the news tone uses these).
pub fn raw_scores(sentiments: &[f64], ep: usize, qm: usize) -> Scores {
    if sentiments.is_empty() {
        return Scores::default();
    }
    let mut sum_s = 0.0f64;
    for &s in sentiments {
        sum_s += s;
    }
    let ep_amp = ep.min(4) as f64 * 0.292;
    let qm_amp = if qm > 1 {
        if qm <= 3 {
            qm as f64 * 0.18
        } else {
            0.96
        }
    } else {
        0.0
    };
    let punct = ep_amp + qm_amp;
    if sum_s > 0.0 {
        sum_s += punct;
    } else if sum_s < 0.0 {
        sum_s -= punct;
    }
    let compound = normalize(sum_s);
    let (mut pos_sum, mut neg_sum, mut neu) = (0.0f64, 0.0f64, 0usize);
    for &s in sentiments {
        if s > 0.0 {
            pos_sum += s + 1.0;
        }
        if s < 0.0 {
            neg_sum += s - 1.0;
        }
        if s == 0.0 {
            neu += 1;
        }
    }
    if pos_sum > neg_sum.abs() {
        pos_sum += punct;
    } else if pos_sum < neg_sum.abs() {
        neg_sum -= punct;
    }
    let total = pos_sum + neg_sum.abs() + neu as f64;
    Scores { neg: (neg_sum / total).abs(), neu: (neu as f64 / total).abs(), pos: (pos_sum / total).abs(), compound }
}

/// VADER's `normalize` with alpha = 15.
pub fn normalize(score: f64) -> f64 {
    let norm = score / (score * score + 15.0).sqrt();
    norm.clamp(-1.0, 1.0)
}

/// Whitespace-separated pieces of a text, as Python's `str.split()` finds them, with a byte
/// loop for ASCII text.
struct Pieces<'a> {
    s: &'a str,
    pos: usize,
    ascii: bool,
}

impl<'a> Pieces<'a> {
    fn next_piece(&mut self) -> Option<&'a str> {
        let s = self.s;
        if self.ascii {
            let b = s.as_bytes();
            let is_space = |c: u8| matches!(c, b' ' | b'\t'..=b'\r' | 0x1c..=0x1f);
            while self.pos < b.len() && is_space(b[self.pos]) {
                self.pos += 1;
            }
            if self.pos >= b.len() {
                return None;
            }
            let start = self.pos;
            while self.pos < b.len() && !is_space(b[self.pos]) {
                self.pos += 1;
            }
            return Some(&s[start..self.pos]);
        }
        let rest = &s[self.pos..];
        let start = self.pos + (rest.len() - rest.trim_start_matches(is_py_space).len());
        if start >= s.len() {
            self.pos = s.len();
            return None;
        }
        let len = s[start..].find(is_py_space).unwrap_or(s.len() - start);
        self.pos = start + len;
        Some(&s[start..start + len])
    }
}

thread_local! {
    static ENGINE: RefCell<Engine> = RefCell::new(Engine::new());
}

/// vaderSentiment 3.3.2's `polarity_scores(text)`, using a per-thread [`Engine`].
pub fn polarity_scores(text: &str) -> Scores {
    ENGINE.with(|e| e.borrow_mut().polarity_scores(text))
}
