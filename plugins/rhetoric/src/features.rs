//! Hashed features for the token tagger and the span classifier.
//!
//! Features are never built as strings: each is a template id mixed with precomputed token
//! hashes, folded into a fixed-size weight table. The same code serves training (xtask) and
//! analysis, so the two cannot drift. [`describe`] renders a feature back into words for
//! explanations.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::lexicon::{CueHit, GROUPS};
use crate::text::{tokenize_into, Kind, Token, SHAPE_PUNCT};

/// A hasher for keys that are already hashes.
#[derive(Default)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub type IdMap<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;

/// A document prepared for feature extraction: tokens, sentences as token ranges, cue groups
/// per token, and how often each word occurs.
pub struct Prepared {
    pub tokens: Vec<Token>,
    /// Sentences as half-open token-index ranges.
    pub sentences: Vec<(usize, usize)>,
    /// Bit `g` set when cue group `g` covers the token.
    pub cue_mask: Vec<u32>,
    /// Cue groups anywhere in the token's sentence.
    pub sentence_cues: Vec<u32>,
    /// Whether the token lies between quotation marks of its sentence.
    pub quoted: Vec<bool>,
    /// Occurrences of each lowercased word in the document.
    pub counts: IdMap<u32>,
    /// Per token: VADER valence rounded to an integer in -4..=4 (0 when not in the lexicon).
    pub valence: Vec<i8>,
    /// Per token: negative words in its sentence, capped at 4.
    pub sentence_negative: Vec<u8>,
    /// Per token: 0 for non-words, else 1 (once), 2 (twice), 3 (3–4 times), 4 (5+ times).
    pub repeats: Vec<u8>,
    pub hits: Vec<CueHit>,
}

impl Prepared {
    /// Tokenizes `sentences` (byte spans of `text`) and attaches the cue `hits`.
    pub fn new(text: &str, sentences: &[(usize, usize)], hits: Vec<CueHit>) -> Prepared {
        let mut tokens = Vec::with_capacity(text.len() / 5);
        let mut ranges = Vec::with_capacity(sentences.len());
        for &(s, e) in sentences {
            let a = tokens.len();
            tokenize_into(text, s, e, &mut tokens);
            if tokens.len() > a {
                ranges.push((a, tokens.len()));
            }
        }
        let mut cue_mask = vec![0u32; tokens.len()];
        // Hits and tokens are both in text order: walk them together.
        let mut first = 0usize;
        for h in &hits {
            while first < tokens.len() && tokens[first].end <= h.start {
                first += 1;
            }
            let mut i = first;
            while i < tokens.len() && tokens[i].start < h.end {
                cue_mask[i] |= 1 << h.group;
                i += 1;
            }
        }
        let mut sentence_cues = vec![0u32; tokens.len()];
        let mut quoted = vec![false; tokens.len()];
        let mut counts: IdMap<u32> = IdMap::default();
        for &(a, b) in &ranges {
            let mask = cue_mask[a..b].iter().fold(0, |m, x| m | x);
            sentence_cues[a..b].iter_mut().for_each(|m| *m = mask);
            let mut open = false;
            for i in a..b {
                let t = &tokens[i];
                if t.kind == Kind::Punct {
                    match &text[t.start..t.end] {
                        "\u{201c}" | "\u{ab}" => open = true,
                        "\u{201d}" | "\u{bb}" => open = false,
                        "\"" => open = !open,
                        _ => {}
                    }
                } else {
                    quoted[i] = open;
                    *counts.entry(t.lower).or_insert(0) += 1;
                }
            }
        }
        let repeats = tokens
            .iter()
            .map(|t| {
                if t.kind != Kind::Word {
                    return 0;
                }
                match counts.get(&t.lower).copied().unwrap_or(0) {
                    0 | 1 => 1,
                    2 => 2,
                    3 | 4 => 3,
                    _ => 4,
                }
            })
            .collect();
        let lexicon = valence_lexicon();
        let valence: Vec<i8> = tokens.iter().map(|t| lexicon.get(&t.lower).copied().unwrap_or(0)).collect();
        let mut sentence_negative = vec![0u8; tokens.len()];
        for &(a, b) in &ranges {
            let n = valence[a..b].iter().filter(|v| **v < 0).count().min(4) as u8;
            sentence_negative[a..b].iter_mut().for_each(|x| *x = n);
        }
        Prepared {
            tokens,
            sentences: ranges,
            cue_mask,
            sentence_cues,
            quoted,
            counts,
            valence,
            sentence_negative,
            repeats,
            hits,
        }
    }

    fn count_bucket(&self, i: usize) -> u64 {
        self.repeats[i] as u64
    }
}

/// VADER's lexicon keyed by our token hash, valence rounded to -4..=4 (nonzero only).
fn valence_lexicon() -> &'static IdMap<i8> {
    static MAP: std::sync::OnceLock<IdMap<i8>> = std::sync::OnceLock::new();
    MAP.get_or_init(|| {
        let mut m = IdMap::default();
        for (word, v) in vader_sentiment::LEXICON.iter() {
            let b = v.round().clamp(-4.0, 4.0) as i8;
            if b != 0 {
                m.insert(crate::text::hash_lower(word.as_ref()), b);
            }
        }
        m
    })
}

/// Feature templates of the token tagger. The order is part of the weights format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Template {
    Bias = 0,
    Word,
    PrevWord,
    NextWord,
    Prev2Word,
    Next2Word,
    PrevBigram,
    NextBigram,
    Suffix,
    Shape,
    ShapeWindow,
    Cue,
    SentenceCue,
    Position,
    Quoted,
    SentenceEnd,
    Repeated,
    QuotedWord,
    SentenceLength,
    CueNear,
    Valence,
    ValenceNear,
    SentenceValence,
}

const TEMPLATES: [Template; 23] = [
    Template::Bias,
    Template::Word,
    Template::PrevWord,
    Template::NextWord,
    Template::Prev2Word,
    Template::Next2Word,
    Template::PrevBigram,
    Template::NextBigram,
    Template::Suffix,
    Template::Shape,
    Template::ShapeWindow,
    Template::Cue,
    Template::SentenceCue,
    Template::Position,
    Template::Quoted,
    Template::SentenceEnd,
    Template::Repeated,
    Template::QuotedWord,
    Template::SentenceLength,
    Template::CueNear,
    Template::Valence,
    Template::ValenceNear,
    Template::SentenceValence,
];

/// One feature occurrence: its table index and what produced it (for explanations).
#[derive(Debug, Clone, Copy)]
pub struct Feature {
    pub index: u32,
    pub template: Template,
    /// Template-specific detail: a cue group, a bucket.
    pub detail: u32,
}

#[inline]
fn mix(a: u64, b: u64) -> u64 {
    // One multiply: the high bits of the product are well mixed, and the tables are indexed
    // by the high bits (`>> (64 - bits)`), so this is all the hashing features need.
    (a.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ b).wrapping_mul(0xbf58_476d_1ce4_e5b9)
}

/// Table index of a mixed feature hash: its top `bits` bits.
#[inline]
fn slot(h: u64, bits: u32) -> u32 {
    (h >> (64 - bits)) as u32
}

const PAD_BEFORE: u64 = 0x1111_2222_3333_4444;
const PAD_AFTER: u64 = 0x5555_6666_7777_8888;

/// Extracts the tagger features of token `i` (in sentence `a..b`) into `out`.
pub fn token_features(p: &Prepared, a: usize, b: usize, i: usize, bits: u32, out: &mut Vec<Feature>) {
    visit_token_features(p, a, b, i, bits, |template, index, detail| out.push(Feature { index, template, detail }));
}

/// The tagger's logit for token `i`: the sum of its features' weights in `weights`, added in
/// the order [`token_features`] lists them (so the float result is the same), without
/// collecting the features first.
#[inline]
pub fn token_logit(p: &Prepared, a: usize, b: usize, i: usize, bits: u32, weights: &[f32]) -> f32 {
    let mut z = -0.0f32;
    visit_token_features(p, a, b, i, bits, |_, index, _| z += weights[index as usize]);
    z
}

/// Calls `emit(template, table index, detail)` for every tagger feature of token `i` in
/// sentence `a..b`; the one definition of the features, for training, tagging and
/// explanations alike.
#[inline(always)]
fn visit_token_features(
    p: &Prepared,
    a: usize,
    b: usize,
    i: usize,
    bits: u32,
    mut emit: impl FnMut(Template, u32, u32),
) {
    let t = &p.tokens;
    let w = |j: isize| -> u64 {
        let k = i as isize + j;
        if k < a as isize {
            PAD_BEFORE
        } else if k >= b as isize {
            PAD_AFTER
        } else {
            t[k as usize].lower
        }
    };
    let shape = |j: isize| -> u64 {
        let k = i as isize + j;
        if k < a as isize || k >= b as isize {
            9
        } else {
            t[k as usize].shape as u64
        }
    };
    let mut push = |tpl: Template, v: u64, detail: u32| emit(tpl, slot(mix(tpl as u64 + 1, v), bits), detail);
    push(Template::Bias, 0, 0);
    push(Template::Word, w(0), 0);
    push(Template::PrevWord, w(-1), 0);
    push(Template::NextWord, w(1), 0);
    push(Template::Prev2Word, w(-2), 0);
    push(Template::Next2Word, w(2), 0);
    push(Template::PrevBigram, mix(w(-1), w(0)), 0);
    push(Template::NextBigram, mix(w(0), w(1)), 0);
    push(Template::Suffix, t[i].suffix, 0);
    push(Template::Shape, shape(0), 0);
    push(Template::ShapeWindow, shape(-1) * 100 + shape(0) * 10 + shape(1), 0);
    let mut m = p.cue_mask[i];
    while m != 0 {
        let g = m.trailing_zeros();
        push(Template::Cue, g as u64, g);
        m &= m - 1;
    }
    let mut m = p.sentence_cues[i] & !p.cue_mask[i];
    while m != 0 {
        let g = m.trailing_zeros();
        push(Template::SentenceCue, g as u64, g);
        m &= m - 1;
    }
    // Cue groups within three tokens either side: spans often extend a little past a cue.
    let mut near = 0u32;
    for k in i.saturating_sub(3).max(a)..(i + 4).min(b) {
        near |= p.cue_mask[k];
    }
    let mut m = near & !p.cue_mask[i];
    while m != 0 {
        let g = m.trailing_zeros();
        push(Template::CueNear, g as u64, g);
        m &= m - 1;
    }
    let len = b - a;
    let pos = i - a;
    let pos_bucket = if pos == 0 {
        0
    } else if pos + 1 == len {
        1
    } else {
        2 + (pos * 4 / len.max(1)) as u64
    };
    push(Template::Position, pos_bucket, pos_bucket as u32);
    push(Template::Quoted, p.quoted[i] as u64, p.quoted[i] as u32);
    let last = &t[b - 1];
    let end_kind = if last.shape == SHAPE_PUNCT { last.lower } else { 0 };
    push(Template::SentenceEnd, end_kind, 0);
    let rep = p.count_bucket(i);
    push(Template::Repeated, rep * 16 + t[i].shape as u64, rep as u32);
    if p.quoted[i] {
        push(Template::QuotedWord, w(0), 0);
    }
    let len_bucket = match len {
        0..=5 => 0,
        6..=12 => 1,
        13..=25 => 2,
        26..=40 => 3,
        _ => 4,
    };
    push(Template::SentenceLength, len_bucket, len_bucket as u32);
    let v = p.valence[i];
    if v != 0 {
        push(Template::Valence, (v + 8) as u64, (v + 8) as u32);
    }
    // The strongest valence within two tokens either side, and the sentence's negativity.
    let (mut strongest, mut neg) = (0i8, 0u32);
    for k in i.saturating_sub(2).max(a)..(i + 3).min(b) {
        if k != i && p.valence[k].abs() > strongest.abs() {
            strongest = p.valence[k];
        }
    }
    if strongest != 0 {
        push(Template::ValenceNear, (strongest + 8) as u64, (strongest + 8) as u32);
    }
    neg += p.sentence_negative[i] as u32;
    push(Template::SentenceValence, neg as u64, neg);
}

/// All tagger templates (for tests and docs).
pub fn templates() -> &'static [Template] {
    &TEMPLATES
}

/// Plain words for one fired tagger feature of token `i` in sentence `a..b`.
pub fn describe(text: &str, p: &Prepared, a: usize, b: usize, i: usize, f: &Feature) -> String {
    let word = |j: isize| -> String {
        let k = i as isize + j;
        if k < a as isize {
            "(sentence start)".to_string()
        } else if k >= b as isize {
            "(sentence end)".to_string()
        } else {
            let t = &p.tokens[k as usize];
            format!("“{}”", &text[t.start..t.end])
        }
    };
    let group = |g: u32| GROUPS.get(g as usize).map(|x| x.technique.words()).unwrap_or("?");
    match f.template {
        Template::Bias => "bias".to_string(),
        Template::Word => format!("word {}", word(0)),
        Template::PrevWord => format!("previous word {}", word(-1)),
        Template::NextWord => format!("next word {}", word(1)),
        Template::Prev2Word => format!("word {} two before", word(-2)),
        Template::Next2Word => format!("word {} two after", word(2)),
        Template::PrevBigram => format!("words {} {}", word(-1), word(0)),
        Template::NextBigram => format!("words {} {}", word(0), word(1)),
        Template::Suffix => {
            let t = &p.tokens[i];
            let s = &text[t.start..t.end];
            let n = s.chars().count();
            let suf: String = s.chars().skip(n.saturating_sub(3)).collect();
            format!("ending “-{}”", suf.to_lowercase())
        }
        Template::Shape => "capitalisation".to_string(),
        Template::ShapeWindow => "capitalisation around the word".to_string(),
        Template::Cue => format!("{} cue", group(f.detail)),
        Template::SentenceCue => format!("{} cue in the sentence", group(f.detail)),
        Template::CueNear => format!("{} cue nearby", group(f.detail)),
        Template::Position => "position in the sentence".to_string(),
        Template::Quoted => {
            if f.detail == 1 {
                "inside quotation marks".to_string()
            } else {
                "outside quotation marks".to_string()
            }
        }
        Template::SentenceEnd => "how the sentence ends".to_string(),
        Template::Repeated => match f.detail {
            3 | 4 => "word repeated in the article".to_string(),
            _ => "word frequency in the article".to_string(),
        },
        Template::QuotedWord => format!("quoted word {}", word(0)),
        Template::SentenceLength => "sentence length".to_string(),
        Template::Valence => format!("emotive word {} (VADER valence {:+})", word(0), f.detail as i32 - 8),
        Template::ValenceNear => format!("emotive word nearby (VADER valence {:+})", f.detail as i32 - 8),
        Template::SentenceValence => format!("{} negative words in the sentence", f.detail),
    }
}

/// Number of hashed buckets per class of the span classifier.
pub const CLASS_BITS: u32 = 16;

/// Features of a candidate span `s..e` (token indices) in sentence `a..b`, for the classifier.
pub fn span_features(text: &str, p: &Prepared, a: usize, b: usize, s: usize, e: usize, out: &mut Vec<u32>) {
    let t = &p.tokens;
    let mut push = |tpl: u64, v: u64| out.push(slot(mix(tpl + 101, v), CLASS_BITS));
    push(0, 0);
    let mut cues = 0u32;
    let mut rep = 0u64;
    let (mut q, mut x, mut quote, mut caps) = (false, false, false, 0usize);
    for k in s..e {
        push(1, t[k].lower);
        push(2, t[k].suffix);
        cues |= p.cue_mask[k];
        rep = rep.max(p.count_bucket(k));
        let tok = &text[t[k].start..t[k].end];
        q |= tok == "?";
        x |= tok == "!";
        quote |= matches!(tok, "\"" | "\u{201c}" | "\u{201d}");
        caps += (t[k].shape == crate::text::SHAPE_UPPER) as usize;
    }
    for k in s + 1..e {
        push(3, mix(t[k - 1].lower, t[k].lower));
    }
    push(4, t[s].lower);
    push(5, t[e - 1].lower);
    push(6, if s > a { t[s - 1].lower } else { PAD_BEFORE });
    push(7, if e < b { t[e].lower } else { PAD_AFTER });
    let n = e - s;
    let len_bucket = match n {
        1 => 0,
        2 => 1,
        3 => 2,
        4..=6 => 3,
        7..=12 => 4,
        13..=20 => 5,
        _ => 6,
    };
    push(8, len_bucket);
    push(9, ((n * 4) / (b - a).max(1)) as u64);
    let mut m = cues;
    while m != 0 {
        let g = m.trailing_zeros();
        push(10, g as u64);
        m &= m - 1;
    }
    let mut m = p.sentence_cues[s] & !cues;
    while m != 0 {
        let g = m.trailing_zeros();
        push(11, g as u64);
        m &= m - 1;
    }
    push(12, rep);
    push(13, q as u64 * 4 + x as u64 * 2 + quote as u64);
    push(14, (caps * 2 > n) as u64);
    push(15, mix(len_bucket, rep));
}
