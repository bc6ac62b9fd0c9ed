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
use crate::valence_table;

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

/// Clears `v` and fills it with `n` copies of `x`, keeping its allocation.
fn refill<T: Copy>(v: &mut Vec<T>, n: usize, x: T) -> &mut [T] {
    v.clear();
    v.resize(n, x);
    v
}

/// `v` with `n` elements, keeping its allocation and the values it held (only new elements
/// are `x`): for a vector whose every element the caller writes, so that a document does not
/// write it twice.
fn resized<T: Copy>(v: &mut Vec<T>, n: usize, x: T) -> &mut [T] {
    v.resize(n, x);
    v
}

/// A document prepared for feature extraction: tokens, sentences as token ranges, cue groups
/// per token, and how often each word occurs.
#[derive(Default)]
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
    /// Per token: VADER valence rounded to an integer in -4..=4 (0 when not in the lexicon).
    pub valence: Vec<i8>,
    /// Per token: negative words in its sentence, capped at 4.
    pub sentence_negative: Vec<u8>,
    /// Per token: 0 for non-words, else 1 (once), 2 (twice), 3 (3–4 times), 4 (5+ times).
    pub repeats: Vec<u8>,
    /// Per token: a dense id of its lowercased form (equal forms, equal ids), so that work
    /// that depends on the word alone is done once per distinct word.
    pub word_ids: Vec<u32>,
    /// How many distinct ids `word_ids` holds.
    pub distinct_words: usize,
    /// Per word id: the index of the token where the word first occurs.
    pub first_seen: Vec<u32>,
    pub hits: Vec<CueHit>,
    /// Per sentence given to [`Prepared::fill`] (empty ones too, unlike `sentences`): its
    /// half-open token-index range.
    pub sentence_tokens: Vec<(usize, usize)>,
    /// Buffers of [`Prepared::fill`], kept for the next document: the id of each distinct
    /// token hash, and each id's count (then its repeat bucket) and valence.
    ids: WordIds,
    word_count: Vec<u32>,
    word_valence: Vec<i8>,
}

impl Prepared {
    /// Tokenizes `sentences` (byte spans of `text`) and attaches the cue `hits`.
    pub fn new(text: &str, sentences: &[(usize, usize)], hits: Vec<CueHit>) -> Prepared {
        let mut p = Prepared::default();
        p.fill(text, sentences, hits);
        p
    }

    /// [`Prepared::new`] into `self`, reusing its buffers: the analyzer keeps one per thread,
    /// so that a document allocates nothing here once the buffers have grown.
    pub fn fill(&mut self, text: &str, sentences: &[(usize, usize)], hits: Vec<CueHit>) {
        let tokens = &mut self.tokens;
        tokens.clear();
        tokens.reserve(text.len() / 5);
        let ranges = &mut self.sentences;
        ranges.clear();
        self.sentence_tokens.clear();
        for &(s, e) in sentences {
            let a = tokens.len();
            tokenize_into(text, s, e, tokens);
            self.sentence_tokens.push((a, tokens.len()));
            if tokens.len() > a {
                ranges.push((a, tokens.len()));
            }
        }
        let n = tokens.len();
        let cue_mask = refill(&mut self.cue_mask, n, 0);
        // Hits and tokens are both in text order: walk them together.
        let mut first = 0usize;
        for h in &hits {
            while first < n && tokens[first].end <= h.start {
                first += 1;
            }
            let mut i = first;
            while i < n && tokens[i].start < h.end {
                cue_mask[i] |= 1 << h.group;
                i += 1;
            }
        }
        self.hits = hits;
        // One hash probe per token: every distinct token gets a dense id, and its count and
        // VADER valence (looked up once per distinct token) live in vectors indexed by it.
        let lexicon = valence_lexicon();
        let ids = &mut self.ids;
        ids.reset(n);
        let word_count = &mut self.word_count;
        word_count.clear();
        let word_valence = &mut self.word_valence;
        word_valence.clear();
        let token_id = resized(&mut self.word_ids, n, 0);
        let first_seen = &mut self.first_seen;
        first_seen.clear();
        for (k, (t, token_id)) in tokens.iter().zip(token_id.iter_mut()).enumerate() {
            let next = word_count.len() as u32;
            let id = ids.id_or_insert(t.lower, next);
            // Every token lies in a sentence range; words and numbers are counted.
            let counted = (t.kind != Kind::Punct) as u32;
            if id == next {
                word_count.push(counted);
                word_valence.push(lexicon.get(t.lower));
                first_seen.push(k as u32);
            } else {
                word_count[id as usize] += counted;
            }
            *token_id = id;
        }
        self.distinct_words = word_count.len();
        // Each word's repeat bucket, from its count, once per distinct word (see `repeats`).
        for c in word_count.iter_mut() {
            *c = match *c {
                0 | 1 => 1,
                2 => 2,
                3 | 4 => 3,
                _ => 4,
            };
        }
        let word_bucket = &*word_count;
        // One pass per sentence writes every per-token attribute that depends on the
        // token's id or its sentence (each vector was once a pass of its own), through
        // slices sized once (no capacity test per token and vector). The sentences' ranges
        // cover every token, and each attribute of each token is written.
        let sentence_cues = resized(&mut self.sentence_cues, n, 0);
        let quoted = resized(&mut self.quoted, n, false);
        let repeats = resized(&mut self.repeats, n, 0);
        let valence = resized(&mut self.valence, n, 0);
        let sentence_negative = resized(&mut self.sentence_negative, n, 0);
        for &(a, b) in ranges.iter() {
            let (mut mask, mut negative, mut open) = (0u32, 0usize, false);
            let ins = tokens[a..b].iter().zip(&token_id[a..b]).zip(&cue_mask[a..b]);
            let outs = quoted[a..b].iter_mut().zip(&mut repeats[a..b]).zip(&mut valence[a..b]);
            for (((t, &id), &cues), ((quoted, repeats), valence)) in ins.zip(outs) {
                mask |= cues;
                let v = word_valence[id as usize];
                negative += (v < 0) as usize;
                *valence = v;
                *repeats = if t.kind != Kind::Word { 0 } else { word_bucket[id as usize] as u8 };
                if t.kind == Kind::Punct {
                    *quoted = false;
                    // Compared as bytes (“ and ” are E2 80 9C/9D, « and » C2 AB/BB), which
                    // needs no call to compare strings.
                    match &text.as_bytes()[t.start..t.end] {
                        [0xe2, 0x80, 0x9c] | [0xc2, 0xab] => open = true,
                        [0xe2, 0x80, 0x9d] | [0xc2, 0xbb] => open = false,
                        b"\"" => open = !open,
                        _ => {}
                    }
                } else {
                    *quoted = open;
                }
            }
            sentence_cues[a..b].fill(mask);
            sentence_negative[a..b].fill(negative.min(4) as u8);
        }
    }

    /// Whether a token of the document has the lowercase hash `hash` (one probe of the
    /// table that gave the tokens their ids, instead of a walk over the tokens).
    pub fn has_word(&self, hash: u64) -> bool {
        self.ids.get(hash).is_some()
    }

    fn count_bucket(&self, i: usize) -> u64 {
        self.repeats[i] as u64
    }
}

/// Dense ids of token hashes for one document: an open-addressing table of (hash, id) slots
/// that a new document empties by moving to the next generation, not by clearing memory.
/// (A general hash map cost a fifth of [`Prepared::fill`]: probing, and clearing its control
/// bytes for every document.)
#[derive(Default)]
struct WordIds {
    /// (hash, id, generation) per slot; a slot of an older generation is empty.
    slots: Vec<(u64, u32, u32)>,
    /// How many top bits of a mixed hash index the table, and the mask of a slot index:
    /// the document's table is the first `mask + 1` slots.
    bits: u32,
    mask: usize,
    generation: u32,
}

impl WordIds {
    /// Empties the table for a document of `n` tokens (at most `n` distinct hashes), with
    /// at least twice as many slots.
    ///
    /// Only the first `want` slots serve the document: the buffer keeps the size of the
    /// largest document seen, and probing all of it for a short one would scatter the
    /// probes over up to a megabyte (a cache miss per new word) instead of a few kilobytes.
    /// Every slot is of an older generation, so any prefix is an empty table.
    fn reset(&mut self, n: usize) {
        let want = (2 * n).max(1024).next_power_of_two();
        if self.slots.len() < want {
            self.slots = vec![(0, 0, 0); want];
            self.generation = 0;
        }
        self.bits = want.trailing_zeros();
        self.mask = want - 1;
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            // After 2^32 documents: old generations could come back, so clear for real.
            self.slots.iter_mut().for_each(|s| s.2 = 0);
            self.generation = 1;
        }
    }

    /// The id of `hash`, inserting `next` for it if it has none yet.
    #[inline]
    fn id_or_insert(&mut self, hash: u64, next: u32) -> u32 {
        let mask = self.mask;
        // Token hashes are FNV-1a, whose low bits are weak: index by the top bits of a product.
        let mut k = (hash.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - self.bits)) as usize;
        loop {
            let slot = &mut self.slots[k];
            if slot.2 != self.generation {
                *slot = (hash, next, self.generation);
                return next;
            }
            if slot.0 == hash {
                return slot.1;
            }
            k = (k + 1) & mask;
        }
    }

    /// The id of `hash`, if a token of the document has it.
    fn get(&self, hash: u64) -> Option<u32> {
        if self.slots.is_empty() {
            // Never reset: no document.
            return None;
        }
        let mut k = (hash.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - self.bits)) as usize;
        loop {
            let slot = &self.slots[k];
            if slot.2 != self.generation {
                return None;
            }
            if slot.0 == hash {
                return Some(slot.1);
            }
            k = (k + 1) & self.mask;
        }
    }
}

/// VADER's lexicon (baked in by `build.rs`): words with a nonzero rounded valence, and the
/// table of them by token hash that the analyzer reads. The words themselves serve the tests,
/// as the reference the table is checked against.
#[cfg_attr(not(test), allow(dead_code))]
mod vader {
    include!(concat!(env!("OUT_DIR"), "/valence.rs"));

    /// The lexicon's words with their valences, in order.
    pub fn entries() -> impl Iterator<Item = (&'static str, i8)> {
        WORDS.split('\n').zip(VALUES.iter().copied())
    }
}

/// VADER's lexicon keyed by our token hash, valence rounded to -4..=4 (nonzero only): a bit
/// filter (most words of a text are not in the lexicon, and one test in these 8 KB, which stay
/// in the cache, tells so) in front of an open-addressing table, both baked by `build.rs`.
fn valence_lexicon() -> &'static valence_table::Table<'static> {
    static TABLE: valence_table::Table<'static> =
        valence_table::Table { bits: &vader::TABLE_BITS, keys: &vader::TABLE_KEYS, values: &vader::TABLE_VALUES };
    &TABLE
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
pub(crate) fn mix(a: u64, b: u64) -> u64 {
    // One multiply: the high bits of the product are well mixed, and the tables are indexed
    // by the high bits (`>> (64 - bits)`), so this is all the hashing features need.
    (a.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ b).wrapping_mul(0xbf58_476d_1ce4_e5b9)
}

/// Table index of a mixed feature hash: its top `bits` bits.
#[inline]
pub(crate) fn slot(h: u64, bits: u32) -> u32 {
    (h >> (64 - bits)) as u32
}

pub(crate) const PAD_BEFORE: u64 = 0x1111_2222_3333_4444;
pub(crate) const PAD_AFTER: u64 = 0x5555_6666_7777_8888;

/// Extracts the tagger features of token `i` (in sentence `a..b`) into `out`.
pub fn token_features(p: &Prepared, a: usize, b: usize, i: usize, bits: u32, out: &mut Vec<Feature>) {
    let mut view = SentenceView::default();
    view.load(p, a, b);
    view.visit(p, i, bits, |template, index, detail| out.push(Feature { index, template, detail }));
}

/// The tagger's logit for token `i`: the sum of its features' weights in `weights`, added in
/// the order [`token_features`] lists them (so the float result is the same), without
/// collecting the features first.
pub fn token_logit(p: &Prepared, a: usize, b: usize, i: usize, bits: u32, weights: &[f32]) -> f32 {
    let mut view = SentenceView::default();
    view.load(p, a, b);
    let mut z = -0.0f32;
    view.visit(p, i, bits, |_, index, _| z += weights[index as usize]);
    z
}

/// Neutral entries on either side of a sentence in a [`SentenceView`]: the widest window a
/// feature looks at is three tokens either side.
pub(crate) const PAD: usize = 3;

/// One sentence's token attributes, copied out with [`PAD`] neutral entries on either side
/// (padding words, shape 9, no cue, no valence) so that the windows of
/// [`SentenceView::visit`] need no bounds tests. Load it once per sentence; the buffers are
/// reused from sentence to sentence.
#[derive(Default)]
pub struct SentenceView {
    a: usize,
    b: usize,
    lower: Vec<u64>,
    shape: Vec<u8>,
    cue: Vec<u32>,
    valence: Vec<i8>,
    /// Cue groups anywhere in the sentence.
    sentence_cues: u32,
    /// The hash of the sentence's final punctuation, 0 if it ends in a word.
    end_kind: u64,
    len_bucket: u64,
    negative: u32,
}

impl SentenceView {
    /// Loads sentence `a..b` (token indices, `a < b`) of `p`.
    pub fn load(&mut self, p: &Prepared, a: usize, b: usize) {
        /// Refills `v` with `PAD` copies of `before`, `body`, then `PAD` copies of `after`.
        fn fill<T: Copy>(v: &mut Vec<T>, before: T, after: T, body: impl ExactSizeIterator<Item = T>) {
            let n = body.len();
            v.clear();
            v.resize(n + 2 * PAD, after);
            v[..PAD].fill(before);
            for (d, x) in v[PAD..PAD + n].iter_mut().zip(body) {
                *d = x;
            }
        }
        let toks = &p.tokens[a..b];
        self.a = a;
        self.b = b;
        fill(&mut self.lower, PAD_BEFORE, PAD_AFTER, toks.iter().map(|t| t.lower));
        fill(&mut self.shape, 9, 9, toks.iter().map(|t| t.shape));
        fill(&mut self.cue, 0, 0, p.cue_mask[a..b].iter().copied());
        fill(&mut self.valence, 0, 0, p.valence[a..b].iter().copied());
        self.sentence_cues = p.sentence_cues[a];
        let last = &toks[toks.len() - 1];
        self.end_kind = if last.shape == SHAPE_PUNCT { last.lower } else { 0 };
        self.len_bucket = match b - a {
            0..=5 => 0,
            6..=12 => 1,
            13..=25 => 2,
            26..=40 => 3,
            _ => 4,
        };
        self.negative = p.sentence_negative[a] as u32;
    }

    /// Calls `emit(template, table index, detail)` for every tagger feature of token `i` of
    /// the loaded sentence: the one definition of the features, for training, tagging and
    /// explanations alike.
    #[inline(always)]
    pub fn visit(&self, p: &Prepared, i: usize, bits: u32, mut emit: impl FnMut(Template, u32, u32)) {
        let (a, b) = (self.a, self.b);
        // Index of token `i` in the padded vectors, and fixed-size windows around it (out of
        // the sentence they hold the padding).
        let k = i - a + PAD;
        let w: &[u64; 2 * PAD + 1] = self.lower[k - PAD..=k + PAD].try_into().expect("window");
        let sh: &[u8; 2 * PAD + 1] = self.shape[k - PAD..=k + PAD].try_into().expect("window");
        let cues: &[u32; 2 * PAD + 1] = self.cue[k - PAD..=k + PAD].try_into().expect("window");
        let val: &[i8; 2 * PAD + 1] = self.valence[k - PAD..=k + PAD].try_into().expect("window");
        let c = PAD;
        let mut push = |tpl: Template, v: u64, detail: u32| emit(tpl, slot(mix(tpl as u64 + 1, v), bits), detail);
        push(Template::Bias, 0, 0);
        push(Template::Word, w[c], 0);
        push(Template::PrevWord, w[c - 1], 0);
        push(Template::NextWord, w[c + 1], 0);
        push(Template::Prev2Word, w[c - 2], 0);
        push(Template::Next2Word, w[c + 2], 0);
        push(Template::PrevBigram, mix(w[c - 1], w[c]), 0);
        push(Template::NextBigram, mix(w[c], w[c + 1]), 0);
        push(Template::Suffix, p.tokens[i].suffix, 0);
        push(Template::Shape, sh[c] as u64, 0);
        push(Template::ShapeWindow, sh[c - 1] as u64 * 100 + sh[c] as u64 * 10 + sh[c + 1] as u64, 0);
        let own = cues[c];
        let mut m = own;
        while m != 0 {
            let g = m.trailing_zeros();
            push(Template::Cue, g as u64, g);
            m &= m - 1;
        }
        let mut m = self.sentence_cues & !own;
        while m != 0 {
            let g = m.trailing_zeros();
            push(Template::SentenceCue, g as u64, g);
            m &= m - 1;
        }
        // Cue groups within three tokens either side: spans often extend a little past a cue.
        let near = cues.iter().fold(0, |n, m| n | m);
        let mut m = near & !own;
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
            // pos * 4 / len, without a division: pos < len, so the quotient is 0..=3.
            2 + (4 * pos >= len) as u64 + (4 * pos >= 2 * len) as u64 + (4 * pos >= 3 * len) as u64
        };
        push(Template::Position, pos_bucket, pos_bucket as u32);
        let quoted = p.quoted[i];
        push(Template::Quoted, quoted as u64, quoted as u32);
        push(Template::SentenceEnd, self.end_kind, 0);
        let rep = p.count_bucket(i);
        push(Template::Repeated, rep * 16 + sh[c] as u64, rep as u32);
        if quoted {
            push(Template::QuotedWord, w[c], 0);
        }
        push(Template::SentenceLength, self.len_bucket, self.len_bucket as u32);
        let v = val[c];
        if v != 0 {
            push(Template::Valence, (v + 8) as u64, (v + 8) as u32);
        }
        // The strongest valence within two tokens either side (the first of equals), and the
        // sentence's negativity.
        let mut strongest = 0i8;
        for (d, &x) in val[c - 2..=c + 2].iter().enumerate() {
            if d != 2 && x.abs() > strongest.abs() {
                strongest = x;
            }
        }
        if strongest != 0 {
            push(Template::ValenceNear, (strongest + 8) as u64, (strongest + 8) as u32);
        }
        push(Template::SentenceValence, self.negative as u64, self.negative);
    }
}

/// All tagger templates (for tests and docs).
pub fn templates() -> &'static [Template] {
    &TEMPLATES
}

/// Plain words for one fired tagger feature of token `i` in sentence `a..b`.
pub fn describe(text: &str, p: &Prepared, a: usize, b: usize, i: usize, f: &Feature) -> String {
    let mut out = String::new();
    describe_into(&mut out, text, p, a, b, i, f);
    out
}

/// [`describe`] appended to `out`, so that explanations are written into one buffer instead
/// of a string per piece.
pub fn describe_into(out: &mut String, text: &str, p: &Prepared, a: usize, b: usize, i: usize, f: &Feature) {
    use std::fmt::Write as _;
    let word = |out: &mut String, j: isize| {
        let k = i as isize + j;
        if k < a as isize {
            out.push_str("(sentence start)");
        } else if k >= b as isize {
            out.push_str("(sentence end)");
        } else {
            let t = &p.tokens[k as usize];
            out.push('“');
            out.push_str(&text[t.start..t.end]);
            out.push('”');
        }
    };
    let group = |g: u32| GROUPS.get(g as usize).map(|x| x.technique.words()).unwrap_or("?");
    match f.template {
        Template::Bias => out.push_str("bias"),
        Template::Word => {
            out.push_str("word ");
            word(out, 0);
        }
        Template::PrevWord => {
            out.push_str("previous word ");
            word(out, -1);
        }
        Template::NextWord => {
            out.push_str("next word ");
            word(out, 1);
        }
        Template::Prev2Word => {
            out.push_str("word ");
            word(out, -2);
            out.push_str(" two before");
        }
        Template::Next2Word => {
            out.push_str("word ");
            word(out, 2);
            out.push_str(" two after");
        }
        Template::PrevBigram => {
            out.push_str("words ");
            word(out, -1);
            out.push(' ');
            word(out, 0);
        }
        Template::NextBigram => {
            out.push_str("words ");
            word(out, 0);
            out.push(' ');
            word(out, 1);
        }
        Template::Suffix => {
            let t = &p.tokens[i];
            let s = &text[t.start..t.end];
            let n = s.chars().count();
            let suf: String = s.chars().skip(n.saturating_sub(3)).collect();
            out.push_str("ending “-");
            out.push_str(&suf.to_lowercase());
            out.push('”');
        }
        Template::Shape => out.push_str("capitalisation"),
        Template::ShapeWindow => out.push_str("capitalisation around the word"),
        Template::Cue => {
            out.push_str(group(f.detail));
            out.push_str(" cue");
        }
        Template::SentenceCue => {
            out.push_str(group(f.detail));
            out.push_str(" cue in the sentence");
        }
        Template::CueNear => {
            out.push_str(group(f.detail));
            out.push_str(" cue nearby");
        }
        Template::Position => out.push_str("position in the sentence"),
        Template::Quoted => {
            out.push_str(if f.detail == 1 { "inside quotation marks" } else { "outside quotation marks" })
        }
        Template::SentenceEnd => out.push_str("how the sentence ends"),
        Template::Repeated => out.push_str(match f.detail {
            3 | 4 => "word repeated in the article",
            _ => "word frequency in the article",
        }),
        Template::QuotedWord => {
            out.push_str("quoted word ");
            word(out, 0);
        }
        Template::SentenceLength => out.push_str("sentence length"),
        Template::Valence => {
            out.push_str("emotive word ");
            word(out, 0);
            let _ = write!(out, " (VADER valence {:+})", f.detail as i32 - 8);
        }
        Template::ValenceNear => {
            let _ = write!(out, "emotive word nearby (VADER valence {:+})", f.detail as i32 - 8);
        }
        Template::SentenceValence => {
            let _ = write!(out, "{} negative words in the sentence", f.detail);
        }
    }
}

/// Number of hashed buckets per class of the span classifier.
pub const CLASS_BITS: u32 = 16;

/// Features of a candidate span `s..e` (token indices) in sentence `a..b` whose mean tagger
/// probability is `score`, for the classifier.
#[allow(clippy::too_many_arguments)]
pub fn span_features(text: &str, p: &Prepared, a: usize, b: usize, s: usize, e: usize, score: f32, out: &mut Vec<u32>) {
    let t = &p.tokens;
    let mut push = |tpl: u64, v: u64| out.push(slot(mix(tpl + 101, v), CLASS_BITS));
    push(0, 0);
    let mut cues = 0u32;
    let mut rep = 0u64;
    let (mut q, mut x, mut quote, mut caps) = (false, false, false, 0usize);
    for (k, tk) in t.iter().enumerate().take(e).skip(s) {
        push(1, tk.lower);
        push(2, tk.suffix);
        cues |= p.cue_mask[k];
        rep = rep.max(p.count_bucket(k));
        let tok = &text.as_bytes()[tk.start..tk.end];
        q |= tok == b"?";
        x |= tok == b"!";
        // '"', '“' (E2 80 9C) and '”' (E2 80 9D), compared as bytes.
        quote |= matches!(tok, b"\"" | [0xe2, 0x80, 0x9c] | [0xe2, 0x80, 0x9d]);
        caps += (tk.shape == crate::text::SHAPE_UPPER) as usize;
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
    // The tagger's confidence, in twentieths: how sure the span is propaganda at all.
    let sure = ((score * 20.0) as u64).min(19);
    push(16, sure);
    push(17, mix(sure, len_bucket));
    // Words said earlier in the article (PTC's repetition marks the later mentions), the
    // strongest VADER valences either way, and capitalisation at the edges.
    let (mut earlier, mut words, mut low, mut high) = (0usize, 0usize, 0i8, 0i8);
    for (k, tk) in t.iter().enumerate().take(e).skip(s) {
        if tk.kind == crate::text::Kind::Punct {
            continue;
        }
        words += 1;
        earlier += (p.first_seen[p.word_ids[k] as usize] < k as u32) as usize;
        low = low.min(p.valence[k]);
        high = high.max(p.valence[k]);
    }
    let earlier_bucket = if earlier == 0 {
        0
    } else if earlier < words {
        1
    } else {
        2
    };
    push(18, earlier_bucket);
    push(19, mix(earlier_bucket, rep));
    push(20, (low + 8) as u64);
    push(21, high as u64);
    push(22, p.sentence_negative[s] as u64);
    push(23, mix(t[s].shape as u64, t[e - 1].shape as u64));
    push(24, p.quoted[s] as u64);
    push(25, if s > a + 1 { t[s - 2].lower } else { PAD_BEFORE });
    push(26, if e + 1 < b { t[e + 1].lower } else { PAD_AFTER });
    let at = match s - a {
        0 => 0,
        1 => 1,
        2..=3 => 2,
        4..=7 => 3,
        _ => 4,
    };
    push(27, at);
    push(28, mix(t[e - 1].lower, len_bucket));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `Prepared` filled again, as the analyzer's per-thread one is from document to
    /// document (a longer one before, whose values its vectors keep where they are
    /// overwritten), holds what a fresh one holds.
    #[test]
    fn a_refilled_prepared_holds_what_a_fresh_one_holds() {
        let lexicon = crate::embedded_lexicon().expect("embedded lexicon");
        let long = "“Lies, lies and more lies,” the corrupt regime’s thugs said. Terrible! \
                    A “so-called” expert, a NAZI collaborator and a coward, doubts it? Never. \
                    Either we stand or we fall: the brave, glorious nation knows it.";
        let texts = [long, "Short. “Quoted” words, terrible and good.", "", "One sentence of words", long];
        let mut reused = Prepared::default();
        for text in texts {
            let sentences = crate::text::split_sentences(text);
            reused.fill(text, &sentences, lexicon.find(text));
            let fresh = Prepared::new(text, &sentences, lexicon.find(text));
            let key = |p: &Prepared| {
                let tokens: Vec<_> = p.tokens.iter().map(|t| (t.start, t.end, t.lower, t.suffix, t.shape)).collect();
                format!(
                    "{tokens:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {} {:?} {:?}",
                    p.sentences,
                    p.cue_mask,
                    p.sentence_cues,
                    p.quoted,
                    p.valence,
                    p.sentence_negative,
                    p.repeats,
                    p.word_ids,
                    p.first_seen,
                    p.distinct_words,
                    p.sentence_tokens,
                    p.hits.iter().map(|h| (h.start, h.end, h.group)).collect::<Vec<_>>(),
                )
            };
            assert_eq!(key(&reused), key(&fresh), "{text:?}");
            // Every word of every text is found exactly in the documents that have it.
            for other in texts {
                let mut toks = Vec::new();
                crate::text::tokenize_into(other, 0, other.len(), &mut toks);
                for h in toks.iter().map(|t| t.lower).chain([0, u64::MAX, 0x1234_5678_9abc_def0]) {
                    assert_eq!(reused.has_word(h), fresh.tokens.iter().any(|t| t.lower == h), "{text:?}");
                }
            }
        }
        assert!(!Prepared::default().has_word(crate::text::hash_lower("either")));
        assert!(reused.quoted.iter().any(|&q| q) && reused.valence.iter().any(|&v| v != 0));
    }

    /// The baked valence table answers as a map of VADER's words by token hash does (the
    /// last of equal hashes kept), for words in it and not in it.
    #[test]
    fn valence_table_answers_as_the_map() {
        let lexicon = valence_lexicon();
        assert_eq!(vader::entries().count(), vader::VALUES.len());
        let map: IdMap<i8> = vader::entries().map(|(word, b)| (crate::text::hash_lower(word), b)).collect();
        for (word, _) in vader::entries() {
            let h = crate::text::hash_lower(word);
            assert_eq!(lexicon.get(h), map[&h], "{word}");
            assert_ne!(lexicon.get(h), 0, "{word}");
        }
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut passed = 0;
        for _ in 0..100_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            assert_eq!(lexicon.get(seed), map.get(&seed).copied().unwrap_or(0));
            let k = valence_table::bit(seed);
            passed += (lexicon.bits[k / 64] & (1 << (k % 64)) != 0) as usize;
        }
        // Most words outside the lexicon are told so by the bit table alone.
        assert!(passed < 20_000, "{passed}");
        let text = "a terrible, horrible day; good news and a table";
        let mut toks = Vec::new();
        crate::text::tokenize_into(text, 0, text.len(), &mut toks);
        let vals: Vec<i8> = toks.iter().map(|t| lexicon.get(t.lower)).collect();
        let want: Vec<i8> = toks.iter().map(|t| map.get(&t.lower).copied().unwrap_or(0)).collect();
        assert_eq!(vals, want);
        assert!(vals.iter().filter(|&&v| v != 0).count() >= 3);
    }
}
