//! Feature extraction for the two linear models: stance toward one target mention
//! ([`target_features`]) and the directed sentiment between two mentions ([`pair_features`]).
//!
//! Features are hashed (a template id mixed with token hashes); a [`Sink`] receives each one.
//! At run time the sink resolves each key to the model's row at once and keeps only features
//! the model knows; at training time it also asks for the readable name, which is built lazily
//! so that the hot path never allocates.
//!
//! Run time scores many mentions (and mention pairs) of one sentence, so what depends only on
//! the sentence is computed once: the per-token facts in [`Sent`], and, through
//! [`Sink::add_tok`], the model's answer for each (token, template) key.

use crate::lexicon::{self, Lexicon};
use crate::model::{Contribution, ExplainScratch, Known, LinearModel, Prediction};
use crate::text::{const_hash, mix, Kind, Token};

/// Receives features. `tok` is the token that produced the feature, for evidence spans.
pub trait Sink {
    fn add(&mut self, key: u64, value: f32, tok: Option<usize>, name: impl FnOnce() -> String);

    /// A feature whose key depends only on the sentence, the token `tok` and the template
    /// `slot` (not on the mention being scored), so a run-time sink may remember the model's
    /// answer per (token, slot) for the whole sentence. Same meaning as [`Sink::add`].
    #[inline]
    fn add_tok(
        &mut self,
        slot: usize,
        tok: usize,
        key: impl FnOnce() -> u64,
        value: f32,
        name: impl FnOnce() -> String,
    ) {
        let _ = slot;
        self.add(key(), value, Some(tok), name);
    }

    /// A feature whose key depends only on the token's hash and the template `slot` (one of the
    /// first [`WORD_SLOTS`] per-token slots), so a run-time sink may remember the model's
    /// answer per word, across sentences. Same meaning as [`Sink::add_tok`].
    #[inline]
    fn add_word(
        &mut self,
        slot: usize,
        tok: usize,
        hash: u64,
        key: impl FnOnce() -> u64,
        value: f32,
        name: impl FnOnce() -> String,
    ) {
        let _ = hash;
        self.add_tok(slot, tok, key, value, name);
    }

    /// A feature whose key is a constant of the template (`slot` names it among the feature
    /// function's constants), so a run-time sink may remember the model's answer for good.
    /// Same meaning as [`Sink::add`].
    #[inline]
    fn add_const(&mut self, slot: usize, key: u64, value: f32, tok: Option<usize>, name: impl FnOnce() -> String) {
        let _ = slot;
        self.add(key, value, tok, name);
    }
}

/// One extracted feature, as kept at run time.
#[derive(Debug, Clone, Copy)]
pub struct Feat {
    pub key: u64,
    pub value: f32,
    pub tok: Option<usize>,
}

/// A sink that keeps keys only.
#[derive(Debug, Default)]
pub struct Keys(pub Vec<Feat>);

impl Sink for Keys {
    #[inline]
    fn add(&mut self, key: u64, value: f32, tok: Option<usize>, _name: impl FnOnce() -> String) {
        self.0.push(Feat { key, value, tok });
    }
}

/// Memo entry: the key has not been looked up yet.
const NOT_YET: u32 = 0;
/// Memo entry: the model does not know the key.
const UNKNOWN: u32 = 1;
/// Memo entries of known keys hold the row + `ROW`, so that a fresh memo is all zeros.
const ROW: u32 = 2;

/// The run-time sink: resolves every feature to the model's row as it arrives, keeps the
/// features the model knows (in order, so that scores sum exactly as [`LinearModel::predict`]
/// sums them), and remembers the answer for per-token keys ([`Sink::add_tok`]) so that the
/// second and later mentions of a sentence cost array reads instead of hash lookups.
#[derive(Debug)]
pub struct Resolver<'m> {
    model: &'m LinearModel,
    slots: usize,
    /// Memo offset of the current sentence's token 0.
    base: usize,
    memo: Vec<u32>,
    /// The memo entries filled since the last [`Resolver::reset`]: clearing only those costs
    /// far less than clearing the memo of a long sentence, of which a mention asks a few
    /// tokens.
    touched: Vec<u32>,
    /// The model's answer for word keys ([`Sink::add_word`]) by token hash: a direct-mapped
    /// cache, allocated on first use, which outlives sentences and documents.
    words: Vec<WordSlots>,
    /// The known features of the current mention or pair.
    pub known: Vec<Known>,
    /// A second list of known features, for a caller that keeps one pair's features while it
    /// extracts another's (by swapping the lists, which keeps the room of both).
    pub spare: Vec<Known>,
    /// Scratch space for [`LinearModel::predict_known`].
    seen: ExplainScratch,
    /// The model's answer for constant keys ([`Sink::add_const`]), by slot.
    consts: [u32; CONST_SLOTS],
}

/// Constant-key slots a resolver remembers (see [`Sink::add_const`]): more than either feature
/// function uses. A fixed array rather than a list grown on demand, so that a slot (most often
/// a constant of the calling code) costs no test of the list's length.
const CONST_SLOTS: usize = 48;

// Every constant-key slot of both feature functions fits (their last: the last cross feature).
const _: () = assert!(TC_CROSS + 7 <= CONST_SLOTS && PC_CROSS + 6 <= CONST_SLOTS);

impl<'m> Resolver<'m> {
    /// A resolver for `model`, whose feature function uses `slots` per-token slots
    /// ([`TARGET_SLOTS`] or [`PAIR_SLOTS`]).
    pub fn new(model: &'m LinearModel, slots: usize) -> Self {
        Resolver {
            model,
            slots,
            base: 0,
            memo: Vec::new(),
            touched: Vec::new(),
            words: Vec::new(),
            known: Vec::new(),
            spare: Vec::new(),
            seen: ExplainScratch::default(),
            consts: [NOT_YET; CONST_SLOTS],
        }
    }

    /// The model the resolver resolves for.
    pub fn model(&self) -> &'m LinearModel {
        self.model
    }

    /// Forgets everything remembered and makes room for `tokens` tokens in all (the sum over
    /// the sentences to be scored).
    pub fn reset(&mut self, tokens: usize) {
        for &i in &self.touched {
            self.memo[i as usize] = NOT_YET;
        }
        self.touched.clear();
        if self.memo.len() < tokens * self.slots {
            self.memo.resize(tokens * self.slots, NOT_YET);
        }
        self.base = 0;
    }

    /// Selects the sentence whose tokens start at `first` in the count given to `reset`, and
    /// clears the known features.
    pub fn select(&mut self, first: usize) {
        self.base = first * self.slots;
        self.known.clear();
    }

    /// The model's prediction from the known features.
    pub fn predict(&mut self, top_n: usize) -> Prediction<'m> {
        self.model.predict_known(&self.known, top_n, &mut self.seen)
    }

    /// [`Resolver::predict`] when the first `summed` known features are already summed into the
    /// class scores `s` (see [`TargetTables::extract`]).
    pub fn predict_from<const K: usize>(&mut self, s: [f32; K], summed: usize, top_n: usize) -> Prediction<'m> {
        self.model.predict_from(s, &self.known, summed, top_n, &mut self.seen)
    }

    /// The `top_n` features that drove the prediction `class` from known features kept
    /// earlier (see [`LinearModel::explain`]).
    pub fn explain(&mut self, known: &[Known], class: usize, top_n: usize) -> Vec<Contribution<'m>> {
        self.model.explain(known, class, top_n, &mut self.seen)
    }
}

/// The methods are forced inline: they are a few instructions each, called once or more per
/// token and mention, and the compiler otherwise kept some of them out of line (a call, with its
/// prologue and epilogue, per feature).
impl Sink for Resolver<'_> {
    #[inline(always)]
    fn add(&mut self, key: u64, value: f32, tok: Option<usize>, _name: impl FnOnce() -> String) {
        self.model.push_known(&mut self.known, key, value, tok);
    }

    #[inline(always)]
    fn add_tok(
        &mut self,
        slot: usize,
        tok: usize,
        key: impl FnOnce() -> u64,
        value: f32,
        _name: impl FnOnce() -> String,
    ) {
        let at = self.base + tok * self.slots + slot;
        let m = &mut self.memo[at];
        if *m == NOT_YET {
            *m = self.model.id_of(key()).map_or(UNKNOWN, |id| id + ROW);
            self.touched.push(at as u32);
        }
        if *m != UNKNOWN {
            self.known.push(Known { id: *m - ROW, value, tok: tok as u32 });
        }
    }

    #[inline(always)]
    fn add_word(
        &mut self,
        slot: usize,
        tok: usize,
        hash: u64,
        key: impl FnOnce() -> u64,
        value: f32,
        _name: impl FnOnce() -> String,
    ) {
        if self.words.is_empty() {
            self.words = vec![WordSlots { hash: 0, rows: [NOT_YET; WORD_SLOTS] }; 1 << WORD_CACHE_BITS];
        }
        let e = &mut self.words[word_index(hash)];
        // An entry of another word (or a fresh one) is started over; a word's own entry may
        // still lack this slot.
        if e.hash != hash {
            *e = WordSlots { hash, rows: [NOT_YET; WORD_SLOTS] };
        }
        let m = &mut e.rows[slot];
        if *m == NOT_YET {
            *m = self.model.id_of(key()).map_or(UNKNOWN, |id| id + ROW);
        }
        if *m != UNKNOWN {
            self.known.push(Known { id: *m - ROW, value, tok: tok as u32 });
        }
    }

    #[inline(always)]
    fn add_const(&mut self, slot: usize, key: u64, value: f32, tok: Option<usize>, _name: impl FnOnce() -> String) {
        let m = &mut self.consts[slot];
        if *m == NOT_YET {
            *m = self.model.id_of(key).map_or(UNKNOWN, |id| id + ROW);
        }
        if *m != UNKNOWN {
            self.known.push(Known::new(*m - ROW, value, tok));
        }
    }
}

/// A sentence's tokens together with the text their offsets point into.
#[derive(Clone, Copy)]
pub struct Tokens<'a> {
    pub text: &'a str,
    pub toks: &'a [Token],
}

impl<'a> Tokens<'a> {
    pub fn word(&self, i: usize) -> &'a str {
        let t = &self.toks[i];
        &self.text[t.start..t.end]
    }

    fn lower(&self, i: usize) -> String {
        self.word(i).to_lowercase().replace(['’', '‘'], "'")
    }

    fn negated_before(&self, lex: &Lexicon, i: usize) -> bool {
        let from = i.saturating_sub(3);
        (from..i).any(|j| lex.negates(self.toks[j].hash, self.word(j)))
    }

    /// VADER valence of token `i`, flipped and damped (as VADER does) after a negator.
    pub fn valence(&self, lex: &Lexicon, i: usize) -> (f32, bool) {
        let v = lex.valence(self.toks[i].hash);
        if v != 0.0 && self.negated_before(lex, i) {
            (-0.74 * v, true)
        } else {
            (v, false)
        }
    }

    /// Whether token `i` lies inside quotation marks of the sentence (odd number of quote
    /// marks before it).
    pub fn in_quotes(&self, i: usize) -> bool {
        self.toks[..i].iter().filter(|t| t.kind == Kind::Quote).count() % 2 == 1
    }
}

/// Per-token facts of one sentence that the feature templates consult.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokInfo {
    /// [`Tokens::valence`] of the token.
    pub valence: f32,
    /// Whether that valence was flipped by a negator.
    pub negated: bool,
    /// The token's lexicon classes (`lexicon::NEGATOR | …`).
    pub classes: u16,
    /// [`Tokens::in_quotes`] of the token.
    pub in_quotes: bool,
}

/// The lexicon's answers by token hash, for the words of earlier sentences (a direct-mapped
/// cache per thread): most tokens are frequent words, and a comparison costs less than the
/// lexicon's filter and, for the words it holds, its hash table.
struct LexCache {
    entries: Option<Box<LexEntries>>,
}

/// The entries of a [`LexCache`]: a token hash and the lexicon's answer for it. A fixed number
/// of them, so that an index made from a hash needs no test of its bounds.
type LexEntries = [(u64, crate::lexicon::Word); 1 << LEX_CACHE_BITS];

impl LexCache {
    /// The entries, allocated on first use.
    fn entries(&mut self) -> &mut LexEntries {
        self.entries.get_or_insert_with(|| Box::new([(0, crate::lexicon::Word::default()); 1 << LEX_CACHE_BITS]))
    }

    /// The lexicon's answer for `hash`, from `entries` (see [`LexCache::entries`]) when it holds it.
    /// An entry never filled holds hash 0 and the answer for no word, which is the lexicon's
    /// answer for hash 0 (the key of its empty cells, which no word has): it needs no flag of
    /// its own.
    #[inline(always)]
    fn lookup(entries: &mut LexEntries, lex: &Lexicon, hash: u64) -> crate::lexicon::Word {
        let e = &mut entries[(hash.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - LEX_CACHE_BITS)) as usize];
        if e.0 != hash {
            *e = (hash, lex.word(hash));
        }
        e.1
    }
}

/// Log2 of the entries of [`LexCache`] (2,048 entries of 16 bytes: the frequent words, in little
/// enough memory that the cache does not push the models' rows out of the processor's caches,
/// which a larger one did for no gain in time).
const LEX_CACHE_BITS: u32 = 11;

thread_local! {
    static LEX_CACHE: std::cell::RefCell<LexCache> = const { std::cell::RefCell::new(LexCache { entries: None }) };
}

/// A sentence prepared for feature extraction: its tokens and the facts about each token,
/// computed once however many mentions and pairs of the sentence are scored.
pub struct Sent<'a> {
    pub s: Tokens<'a>,
    pub info: Vec<TokInfo>,
    /// Index of the first word token (0 when there is none).
    pub first_word: usize,
    /// The tokens with a valence, in order (sums of valences over long stretches skip the
    /// others, which add nothing).
    pub valenced: Vec<u32>,
    pub has_quote: bool,
}

impl<'a> Sent<'a> {
    pub fn new(s: Tokens<'a>) -> Self {
        Self::in_lists(s, Vec::new(), Vec::new())
    }

    /// [`Sent::new`] in the lists `info` and `valenced` (emptied first): lists kept from an
    /// earlier document's sentences, so that their room is allocated once per thread rather
    /// than twice per sentence.
    pub fn in_lists(s: Tokens<'a>, info: Vec<TokInfo>, valenced: Vec<u32>) -> Self {
        LEX_CACHE.with(|c| Self::with_cache(s, &mut c.borrow_mut(), info, valenced))
    }

    /// [`Sent::in_lists`] with the lexicon's answers remembered in `cache`.
    fn with_cache(s: Tokens<'a>, cache: &mut LexCache, mut info: Vec<TokInfo>, mut valenced: Vec<u32>) -> Self {
        let lex = Lexicon::get();
        let entries = cache.entries();
        let bytes = s.text.as_bytes();
        info.clear();
        valenced.clear();
        let (mut in_quotes, mut has_quote, mut first_word) = (false, false, usize::MAX);
        // Bit `j` set: the token `j + 1` places back negates (for the valence of the next one);
        // three places are kept. A bit set rather than an array of flags, a plain loop over
        // local variables rather than a closure fed to `extend` (whose captured state lived in
        // memory, read and written back at every token), and the facts written into a list
        // made to length rather than pushed (no test of its room per token), so that the whole
        // state of the loop stays in registers.
        let mut negators = 0u8;
        info.resize(s.toks.len(), TokInfo::default());
        for (i, (t, out)) in s.toks.iter().zip(info.iter_mut()).enumerate() {
            let crate::lexicon::Word { valence: v, classes } = LexCache::lookup(entries, lex, t.hash);
            let negated = v != 0.0 && negators != 0;
            let valence = if negated { -0.74 * v } else { v };
            *out = TokInfo { valence, negated, classes, in_quotes };
            if valence != 0.0 {
                valenced.push(i as u32);
            }
            let word = t.kind == Kind::Word;
            if t.kind == Kind::Quote {
                in_quotes = !in_quotes;
                has_quote = true;
            }
            if word && first_word == usize::MAX {
                first_word = i;
            }
            let negates = classes & lexicon::NEGATOR != 0
                || (word && bytes.get(t.end.wrapping_sub(1)) == Some(&b't') && {
                    let w = s.word(i);
                    w.ends_with("n't") || w.ends_with("n’t")
                });
            negators = ((negators << 1) | negates as u8) & 0b111;
        }
        let first_word = if first_word == usize::MAX { 0 } else { first_word };
        Sent { s, info, first_word, valenced, has_quote }
    }

    #[inline]
    fn is(&self, i: usize, class: u16) -> bool {
        self.info[i].classes & class != 0
    }

    #[inline]
    fn valence(&self, i: usize) -> f32 {
        self.info[i].valence
    }
}

/// The distance bucket of `d` tokens: 1 (0 or 1), 2, 3, 4 (4-5), 5 (6-8), 6 (9-12), 7 (13 and
/// more). By table: it is asked for every context token of every mention and pair, and the
/// ranges compiled to a chain of tests.
#[inline(always)]
fn bucket(d: usize) -> u32 {
    const BUCKETS: [u8; 14] = [1, 1, 2, 3, 4, 4, 5, 5, 5, 6, 6, 6, 6, 7];
    BUCKETS[d.min(13)] as u32
}

const T_BIAS: u64 = const_hash("bias");
const T_WIN: u64 = const_hash("win");
const T_BAG: u64 = const_hash("bag");
const T_SIDE: u64 = const_hash("side");
const T_BIGRAM: u64 = const_hash("bigram");
const T_LEX: u64 = const_hash("lex");
const T_LEXNEG: u64 = const_hash("lexneg");
const T_LEXALL: u64 = const_hash("lexall");
const T_TWORD: u64 = const_hash("tword");
const T_FLAG: u64 = const_hash("flag");
const T_CROSS: u64 = const_hash("cross");

/// Whether a token looks like a past participle (for passive voice).
fn participle(w: &str) -> bool {
    w.len() > 3 && (w.ends_with("ed") || w.ends_with("en") || w.ends_with("wn"))
}

#[inline(always)]
fn flag<S: Sink>(sink: &mut S, slot: usize, id: u32, name: &'static str, value: f32, tok: Option<usize>) {
    if value != 0.0 {
        sink.add_const(slot, mix(T_FLAG, id as u64, 0), value, tok, || name.to_string());
    }
}

/// Per-token slots of [`target_features`] (see [`Sink::add_tok`]).
pub const TARGET_SLOTS: usize = 14;
const TS_TWORD: usize = 0;
const TS_BAG: usize = 1;
/// + side.
const TS_SIDE: usize = 2;
/// + side * 4 + bucket − 1.
const TS_WIN: usize = 4;
/// + side.
const TS_BIGRAM: usize = 12;

/// The features of context token `i` at distance `d` from the target `ts..te` (on its left
/// when `LEFT`); its scaled valence when it has one.
#[inline(always)]
fn context_token<S: Sink, const LEFT: bool>(
    sent: &Sent<'_>,
    sink: &mut S,
    i: usize,
    d: usize,
    ts: usize,
    te: usize,
) -> Option<f32> {
    let s = sent.s;
    let n = s.toks.len();
    let t = s.toks[i];
    let b = bucket(d);
    let side = if LEFT { 0u64 } else { 1 };
    let sname = if LEFT { "L" } else { "R" };
    if b <= 4 {
        sink.add_tok(
            TS_WIN + side as usize * 4 + b as usize - 1,
            i,
            || mix(T_WIN, side * 16 + b as u64, t.hash),
            1.0,
            || format!("{sname}{b}:{}", s.lower(i)),
        );
    }
    if t.kind == Kind::Word {
        sink.add_tok(TS_BAG, i, || mix(T_BAG, 0, t.hash), 1.0, || format!("w:{}", s.lower(i)));
        sink.add_tok(
            TS_SIDE + side as usize,
            i,
            || mix(T_SIDE, side, t.hash),
            1.0,
            || format!("{sname}:{}", s.lower(i)),
        );
    }
    // A bigram with the next token, unless that token is the target's first: on the left only
    // token `ts - 1` is followed by it (the target is never empty), and on the right no token
    // is.
    let bigram = if LEFT { i + 1 != ts || ts >= te } else { true };
    if d <= 5 && i + 1 < n && bigram {
        let h2 = s.toks[i + 1].hash;
        sink.add_tok(
            TS_BIGRAM + side as usize,
            i,
            || mix(T_BIGRAM, t.hash ^ side, h2),
            1.0,
            || format!("{sname}bi:{}_{}", s.lower(i), s.lower(i + 1)),
        );
    }
    let TokInfo { valence: v, negated, .. } = sent.info[i];
    if v == 0.0 {
        return None;
    }
    let x = v / 4.0;
    sink.add_const(
        TC_LEX + side as usize * 7 + b as usize - 1,
        mix(T_LEX, side * 16 + b as u64, 0),
        x,
        Some(i),
        || format!("lex{sname}{b}"),
    );
    sink.add_const(TC_LEXALL, mix(T_LEXALL, 0, 0), x, Some(i), || "lex".to_string());
    if negated {
        sink.add_const(TC_LEXNEG + side as usize, mix(T_LEXNEG, side, 0), x, Some(i), || format!("lexneg{sname}"));
    }
    Some(x)
}

/// Constant-key slots of [`target_features`] (see [`Sink::add_const`]).
const TC_BIAS: usize = 0;
/// + side * 7 + bucket − 1.
const TC_LEX: usize = 1;
const TC_LEXALL: usize = 15;
/// + side.
const TC_LEXNEG: usize = 16;
/// + flag id − 1.
const TC_FLAG: usize = 18;
/// + cross id − 1.
const TC_CROSS: usize = 25;

/// Features of the stance toward the target at tokens `ts..te` of `s`.
pub fn target_features<S: Sink>(s: Tokens<'_>, ts: usize, te: usize, sink: &mut S) {
    target_features_in(&Sent::new(s), ts, te, sink);
}

/// [`target_features`] of a prepared sentence.
pub fn target_features_in<S: Sink>(sent: &Sent<'_>, ts: usize, te: usize, sink: &mut S) {
    let n = sent.s.toks.len();
    sink.add_const(TC_BIAS, mix(T_BIAS, 0, 0), 1.0, None, || "bias".to_string());
    let mut lex = LexSums::default();
    // Tokens in text order: the left context, the target, the right context.
    for i in 0..ts.min(n) {
        let d = ts - i;
        if let Some(x) = context_token::<S, true>(sent, sink, i, d, ts, te) {
            lex.add_left(d, x);
        }
    }
    target_words(sent, ts, te, sink);
    for i in te..n {
        let d = i - te + 1;
        if let Some(x) = context_token::<S, false>(sent, sink, i, d, ts, te) {
            lex.add_right(d, x);
        }
    }
    target_flags(sent, ts, te, sink, lex);
}

/// The scaled valences of a target's context, summed as [`target_features_in`] meets them.
#[derive(Debug, Default, Clone, Copy)]
struct LexSums {
    left: f32,
    right: f32,
    /// Within four tokens of the target, on either side.
    near: f32,
}

impl LexSums {
    #[inline(always)]
    fn add_left(&mut self, d: usize, x: f32) {
        self.left += x;
        if d <= 4 {
            self.near += x;
        }
    }

    #[inline(always)]
    fn add_right(&mut self, d: usize, x: f32) {
        self.right += x;
        if d <= 4 {
            self.near += x;
        }
    }
}

/// The words of the target `ts..te` itself.
#[inline(always)]
fn target_words<S: Sink>(sent: &Sent<'_>, ts: usize, te: usize, sink: &mut S) {
    let s = sent.s;
    for i in ts..te.min(s.toks.len()) {
        let t = s.toks[i];
        if t.kind == Kind::Word {
            sink.add_tok(TS_TWORD, i, || mix(T_TWORD, 0, t.hash), 1.0, || format!("target:{}", s.lower(i)));
        }
    }
}

/// The features after the tokens: where the target stands in its sentence (subject, speaker,
/// agent of a passive, possessor) and those positions crossed with the context's valence.
#[inline(always)]
fn target_flags<S: Sink>(sent: &Sent<'_>, ts: usize, te: usize, sink: &mut S, lex: LexSums) {
    let s = sent.s;
    let n = s.toks.len();
    let LexSums { left: lex_left, right: lex_right, near: lex_near } = lex;
    let first_word = sent.first_word;
    let subject = ts <= first_word || (ts > 0 && matches!(s.word(ts - 1), "," | ";" | ":" | "—" | "–"));
    let next_word = if te < n { s.word(te) } else { "" };
    let speaker_after = (te..(te + 3).min(n)).any(|j| sent.is(j, lexicon::SPEECH));
    let speaker_before = ts > 0 && sent.is(ts - 1, lexicon::SPEECH);
    let agent = ts > 0 && sent.is(ts - 1, lexicon::BY);
    let possessive = next_word == "'s" || next_word == "’s" || next_word == "'" || next_word == "’";
    let passive_subject = te < n && sent.is(te, lexicon::BE) && te + 1 < n && participle(s.word(te + 1));
    let quoted = sent.info.get(ts).is_some_and(|t| t.in_quotes);
    let has_quote = sent.has_quote;
    flag(sink, TC_FLAG, 1, "subject", subject as u8 as f32, Some(ts));
    flag(sink, TC_FLAG + 1, 2, "speaker", (speaker_after || speaker_before) as u8 as f32, Some(ts));
    flag(sink, TC_FLAG + 2, 3, "agent_by", agent as u8 as f32, Some(ts));
    flag(sink, TC_FLAG + 3, 4, "possessive", possessive as u8 as f32, Some(ts));
    flag(sink, TC_FLAG + 4, 5, "passive_subject", passive_subject as u8 as f32, Some(ts));
    flag(sink, TC_FLAG + 5, 6, "in_quotes", quoted as u8 as f32, Some(ts));
    flag(sink, TC_FLAG + 6, 7, "has_quote", has_quote as u8 as f32, None);
    let cross = |sink: &mut S, id: u64, name: &'static str, on: bool, v: f32| {
        if on && v != 0.0 {
            sink.add_const(TC_CROSS + id as usize - 1, mix(T_CROSS, id, 0), v, None, || name.to_string());
        }
    };
    cross(sink, 1, "subject*lexR", subject, lex_right);
    cross(sink, 2, "speaker*lex", speaker_after || speaker_before, lex_left + lex_right);
    cross(sink, 3, "passive*lexR", passive_subject, lex_right);
    cross(sink, 4, "agent*lexL", agent, lex_left);
    cross(sink, 5, "quoted*lex", quoted, lex_left + lex_right);
    cross(sink, 6, "lexnear", true, lex_near);
    cross(sink, 7, "possessive*lexR", possessive, lex_right);
}

/// Distance from the target at which a context token's features stop depending on the
/// distance: from 13 tokens away, a token gives its bag and side words and its valence in the
/// last distance bucket, whatever the target.
pub const FAR: usize = 13;

/// The classes of the target-stance model (negative, neutral, positive).
const TARGET_CLASSES: usize = 3;

/// Per-sentence tables that let [`TargetTables::extract`] give a mention the same features,
/// in the same order, as [`target_features_in`], with far less work per mention.
///
/// - A token's bag and side words are the same for every target: their rows are resolved once
///   per sentence (`rows`), as mentions first ask for them.
/// - Every token at least [`FAR`] tokens away from a target contributes the same features
///   whatever the target; the tables hold them once per sentence, token after token, for each
///   side. A mention's far-left tokens are always a prefix of the sentence, and the model sums
///   features in text order starting from the bias, so the class scores after the far-left
///   tokens are a prefix sum too: `left_state[k]` holds them after tokens `0..k`, summed
///   feature by feature exactly as [`LinearModel::predict_known`] would (so the f32 results are
///   bit for bit the same). The far-right tokens are a suffix, summed after the mention's own
///   features; their features are copied from the table, not extracted again.
///
/// The tables are filled lazily, only as far as the sentence's mentions need them.
#[derive(Debug)]
pub struct TargetTables {
    /// Rows of the constant features, resolved once (see [`FarRows`]).
    consts: Option<FarRows>,
    /// Per token: the row of its bag word, left side word and right side word, then of its
    /// bigram with the next token as a left and as a right context ([`ROW_BIGRAM`]), as memo
    /// entries (`NOT_YET`, `UNKNOWN` or row + `ROW`).
    rows: Vec<TokRows>,
    /// The same rows by word (token hash), for every sentence: a direct-mapped cache, since
    /// the words of news text repeat (see [`word_rows`]).
    words: Box<WordCache>,
    /// Far features of tokens `0..left_off.len() - 1` as a left context, in text order; token
    /// `i`'s end at `left_off[i + 1]`.
    left: Vec<Known>,
    left_off: Vec<usize>,
    /// The class scores after the bias and the far-left features of tokens `0..k`.
    left_state: Vec<[f32; TARGET_CLASSES]>,
    /// The sum of the scaled valences of tokens `0..k`, as [`LexSums::left`] adds them.
    left_lex: Vec<f32>,
    /// Far features of tokens `right_from..` as a right context; token `right_from + j`'s
    /// start at `right_off[j]`.
    right: Vec<Known>,
    right_off: Vec<usize>,
    right_from: usize,
}

/// The sink [`TargetTables::near_token`] gives [`context_token`]: bag and side words come
/// from the sentence's rows (see [`TargetTables::push_word`]), window words from the word cache
/// (see [`word_row`]); every other feature goes to the resolver as it is, so that one function
/// defines the near features for both paths.
struct NearSink<'a, 'm> {
    rows: &'a mut [TokRows],
    words: &'a mut WordCache,
    toks: &'a [Token],
    res: &'a mut Resolver<'m>,
}

impl Sink for NearSink<'_, '_> {
    #[inline(always)]
    fn add(&mut self, key: u64, value: f32, tok: Option<usize>, _name: impl FnOnce() -> String) {
        self.res.add(key, value, tok, String::new);
    }

    #[inline(always)]
    fn add_tok(
        &mut self,
        slot: usize,
        tok: usize,
        key: impl FnOnce() -> u64,
        value: f32,
        _name: impl FnOnce() -> String,
    ) {
        let row = match slot {
            TS_BAG => ROW_BAG,
            s if s == TS_SIDE || s == TS_SIDE + 1 => 1 + s - TS_SIDE,
            // A window word's key depends on the word and the slot alone.
            s if (TS_WIN..TS_WIN + 8).contains(&s) => {
                let r = word_row(self.words, self.res.model, self.toks[tok].hash, WIN_ROW + s - TS_WIN, key);
                if r != UNKNOWN {
                    self.res.known.push(Known { id: r - ROW, value, tok: tok as u32 });
                }
                return;
            }
            // A bigram's key depends on the token, the next one and the side: its row is kept
            // for the sentence's other mentions rather than the key mixed and looked up again.
            s if s == TS_BIGRAM || s == TS_BIGRAM + 1 => {
                let m = &mut self.rows[tok][ROW_BIGRAM + s - TS_BIGRAM];
                if *m == NOT_YET {
                    *m = self.res.model.id_of(key()).map_or(UNKNOWN, |id| id + ROW);
                }
                if *m != UNKNOWN {
                    self.res.known.push(Known { id: *m - ROW, value, tok: tok as u32 });
                }
                return;
            }
            _ => return self.res.add(key(), value, Some(tok), String::new),
        };
        let model = self.res.model;
        TargetTables::push_word(self.rows, self.words, model, self.toks[tok], tok, row, &mut self.res.known);
    }

    #[inline(always)]
    fn add_const(&mut self, slot: usize, key: u64, value: f32, tok: Option<usize>, _name: impl FnOnce() -> String) {
        self.res.add_const(slot, key, value, tok, String::new);
    }
}

/// The sink [`TargetTables::push_far`] gives [`context_token`] for a far token: bag and side
/// words come from the sentence's rows, the valence features from the rows resolved once per
/// model ([`FarRows`]), into the table `out`.
struct FarSink<'a, 'm> {
    rows: &'a mut [TokRows],
    words: &'a mut WordCache,
    toks: &'a [Token],
    model: &'m LinearModel,
    consts: FarRows,
    out: &'a mut Vec<Known>,
}

impl Sink for FarSink<'_, '_> {
    #[inline(always)]
    fn add(&mut self, key: u64, value: f32, tok: Option<usize>, _name: impl FnOnce() -> String) {
        self.model.push_known(self.out, key, value, tok);
    }

    #[inline(always)]
    fn add_tok(
        &mut self,
        slot: usize,
        tok: usize,
        key: impl FnOnce() -> u64,
        value: f32,
        _name: impl FnOnce() -> String,
    ) {
        let row = match slot {
            TS_BAG => ROW_BAG,
            s if s == TS_SIDE || s == TS_SIDE + 1 => 1 + s - TS_SIDE,
            // No other per-token feature reaches a far token.
            _ => return self.add(key(), value, Some(tok), String::new),
        };
        TargetTables::push_word(self.rows, self.words, self.model, self.toks[tok], tok, row, self.out);
    }

    #[inline(always)]
    fn add_const(&mut self, slot: usize, key: u64, value: f32, tok: Option<usize>, _name: impl FnOnce() -> String) {
        let id = match slot {
            // `lex` in the last bucket, by side.
            s if s == TC_LEX + 6 || s == TC_LEX + 7 + 6 => self.consts.lex_far[(s - TC_LEX) / 7],
            TC_LEXALL => self.consts.lexall,
            s if s == TC_LEXNEG || s == TC_LEXNEG + 1 => self.consts.lexneg[s - TC_LEXNEG],
            // No other constant feature reaches a far token.
            _ => self.model.id_of(key),
        };
        if let Some(id) = id {
            self.out.push(Known::new(id, value, tok));
        }
    }
}

/// The model's rows of the features whose keys are constants (`None`: unknown to the model).
#[derive(Debug, Clone, Copy)]
struct FarRows {
    bias: Option<u32>,
    /// `lex` in the last distance bucket, by side.
    lex_far: [Option<u32>; 2],
    lexall: Option<u32>,
    /// `lexneg`, by side.
    lexneg: [Option<u32>; 2],
}

/// Slot of a token's bag word in [`TargetTables::rows`]; its side words follow, by side.
const ROW_BAG: usize = 0;
/// Slot of a token's bigram as a left context in [`TargetTables::rows`]; as a right context
/// next.
const ROW_BIGRAM: usize = 3;

/// A token's rows in [`TargetTables::rows`].
type TokRows = [u32; 5];

/// Log2 of the entries of the word caches of [`TargetTables`] (of 64 bytes) and [`Resolver`]
/// (of 24 bytes). 2,048 entries: when the entries were of 24 bytes, 16,384 saved more
/// instructions but no time, their misses in the processor's caches eating the gain (measured
/// with `perf stat` on the 1,000-doc subset); the window words that now share the line of their
/// word's bag and side words cost no more misses of the last-level cache in a simulation with
/// 2 MB of it (callgrind) and take about a quarter of the model probes of target features away.
const WORD_CACHE_BITS: u32 = 11;

/// Entries of the word cache of [`TargetTables`]. A fixed number, so that an index made from a
/// hash needs no test of its bounds (and a cache allocated with the tables, no test of whether it
/// is). Tried for the [`Resolver`]'s word cache too: the pair features then cost more (20.9M
/// against 22.0M instructions on the first 200 corpus documents), the compiler laying out
/// their loop otherwise.
const WORD_CACHE: usize = 1 << WORD_CACHE_BITS;

/// The word cache of [`TargetTables`].
type WordCache = [WordRows; WORD_CACHE];

/// A boxed array of `N` copies of `fill`, built on the heap (a cache of 128 KB is no value to
/// build on the stack first).
fn filled<T: Copy + std::fmt::Debug, const N: usize>(fill: T) -> Box<[T; N]> {
    vec![fill; N].into_boxed_slice().try_into().expect("a list of N entries")
}

/// The per-token slots that [`Sink::add_word`] may use: the first three (the pair model's bag
/// words between, before and after the mentions).
pub const WORD_SLOTS: usize = 3;

/// A [`Resolver`] word cache entry: a token hash and the memo entries of its word slots.
#[derive(Debug, Clone, Copy)]
struct WordSlots {
    hash: u64,
    rows: [u32; WORD_SLOTS],
}

/// The entry of `hash` in a word cache.
#[inline(always)]
fn word_index(hash: u64) -> usize {
    (hash.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - WORD_CACHE_BITS)) as usize
}

/// A word cache entry of [`TargetTables`], one cache line: a token hash and the rows (as memo
/// entries, `NOT_YET` until asked for) of the features whose key depends on the word alone:
/// its bag word and side words ([`ROW_BAG`] and after, filled together), its window words by
/// side and distance bucket ([`WIN_ROW`] and after) and its target word ([`TWORD_ROW`]). An
/// entry of hash 0 that was never filled holds nothing but `NOT_YET`, so a word of that hash
/// needs no flag to tell it from an empty entry.
#[derive(Debug, Clone, Copy)]
#[repr(C, align(64))]
struct WordRows {
    hash: u64,
    rows: [u32; WORD_ROWS],
}

/// Rows of a [`WordRows`] entry (three used for bag and side words, eight for window words, one
/// for the target word, two to fill the line).
const WORD_ROWS: usize = 14;
/// Row of the window word of side `side` and bucket `b` (1..=4): `WIN_ROW + side * 4 + b - 1`
/// (as [`TS_WIN`] orders the slots).
const WIN_ROW: usize = 3;
/// Row of the target word.
const TWORD_ROW: usize = 11;

/// The entry of `hash` in a [`TargetTables`] word cache, started over when it held another word.
#[inline(always)]
fn word_entry(words: &mut WordCache, hash: u64) -> &mut WordRows {
    let e = &mut words[word_index(hash)];
    if e.hash != hash {
        *e = WordRows { hash, rows: [NOT_YET; WORD_ROWS] };
    }
    e
}

/// The model's rows (as memo entries) of the bag word, left side word and right side word of
/// a token with hash `hash`: three lookups when the word is new to the cache (or was pushed out
/// by another), one comparison when it is not. Most tokens are frequent words, so most cost
/// the comparison.
#[inline(always)]
fn word_rows(words: &mut WordCache, model: &LinearModel, hash: u64) -> [u32; 3] {
    let e = word_entry(words, hash);
    if e.rows[ROW_BAG] == NOT_YET {
        let row = |key| model.id_of(key).map_or(UNKNOWN, |id| id + ROW);
        e.rows[..3].copy_from_slice(&[row(mix(T_BAG, 0, hash)), row(mix(T_SIDE, 0, hash)), row(mix(T_SIDE, 1, hash))]);
    }
    [e.rows[0], e.rows[1], e.rows[2]]
}

/// The model's row (as a memo entry) of row `r` of the word with hash `hash`, whose key `key`
/// gives when the cache lacks it: frequent words near many mentions cost a comparison instead
/// of a lookup (and the probe's likely cache miss).
#[inline(always)]
fn word_row(words: &mut WordCache, model: &LinearModel, hash: u64, r: usize, key: impl FnOnce() -> u64) -> u32 {
    let e = word_entry(words, hash);
    if e.rows[r] == NOT_YET {
        e.rows[r] = model.id_of(key()).map_or(UNKNOWN, |id| id + ROW);
    }
    e.rows[r]
}

impl Default for TargetTables {
    fn default() -> Self {
        TargetTables {
            consts: None,
            rows: Vec::new(),
            words: filled(WordRows { hash: 0, rows: [NOT_YET; WORD_ROWS] }),
            left: Vec::new(),
            left_off: Vec::new(),
            left_state: Vec::new(),
            left_lex: Vec::new(),
            right: Vec::new(),
            right_off: Vec::new(),
            right_from: 0,
        }
    }
}

impl TargetTables {
    /// Whether the fast path serves `model` (it is written for the three target classes).
    pub fn serves(model: &LinearModel) -> bool {
        model.classes.len() == TARGET_CLASSES
    }

    /// Forgets the previous sentence and prepares for `sent`.
    pub fn reset(&mut self, model: &LinearModel, sent: &Sent<'_>) {
        let consts = *self.consts.get_or_insert_with(|| FarRows {
            bias: model.id_of(mix(T_BIAS, 0, 0)),
            lex_far: [0u64, 1].map(|side| model.id_of(mix(T_LEX, side * 16 + 7, 0))),
            lexall: model.id_of(mix(T_LEXALL, 0, 0)),
            lexneg: [0u64, 1].map(|side| model.id_of(mix(T_LEXNEG, side, 0))),
        });
        self.rows.clear();
        self.rows.resize(sent.s.toks.len(), [NOT_YET; 5]);
        self.left.clear();
        self.left_off.clear();
        self.left_off.push(0);
        let mut state = [0f32; TARGET_CLASSES];
        if let Some(bias) = consts.bias {
            model.sum_into(&mut state, &[Known::new(bias, 1.0, None)]);
        }
        self.left_state.clear();
        self.left_state.push(state);
        self.left_lex.clear();
        self.left_lex.push(0.0);
        self.right.clear();
        self.right_off.clear();
        self.right_from = usize::MAX;
    }

    /// Pushes the bag word (`slot` [`ROW_BAG`]) or a side word (`slot` 1 + side) of word token
    /// `i` when the model knows it; the token's three rows come from the word cache on first
    /// use in the sentence.
    #[inline(always)]
    fn push_word(
        rows: &mut [TokRows],
        words: &mut WordCache,
        model: &LinearModel,
        t: Token,
        i: usize,
        slot: usize,
        out: &mut Vec<Known>,
    ) {
        let row = &mut rows[i];
        if row[slot] == NOT_YET {
            row[..3].copy_from_slice(&word_rows(words, model, t.hash));
        }
        if row[slot] != UNKNOWN {
            out.push(Known { id: row[slot] - ROW, value: 1.0, tok: i as u32 });
        }
    }

    /// The far features of token `i` (on the right of the target when `right`), as
    /// [`context_token`] gives them to a token [`FAR`] tokens away (any token at least as far
    /// gets the same), through a [`FarSink`] that takes the rows from the tables.
    #[inline(always)]
    fn push_far(&mut self, model: &LinearModel, sent: &Sent<'_>, i: usize, right: bool) {
        let consts = self.consts.expect("reset before use");
        let out = if right { &mut self.right } else { &mut self.left };
        let mut sink = FarSink { rows: &mut self.rows, words: &mut self.words, toks: sent.s.toks, model, consts, out };
        // The target's span matters only for bigrams, which a far token does not give.
        if right {
            context_token::<_, false>(sent, &mut sink, i, FAR, 0, 0);
        } else {
            context_token::<_, true>(sent, &mut sink, i, FAR, 0, 0);
        }
    }

    /// Fills the left tables up to token `k`.
    ///
    /// This and [`TargetTables::ensure_right`] are kept out of line: most calls find the
    /// tables ready, and inlined into [`TargetTables::extract`] their loops made its own cost
    /// more (TargetScorer::score 232.0M against 228.5M instructions on the 1,000-doc subset).
    #[inline(never)]
    fn ensure_left(&mut self, model: &LinearModel, sent: &Sent<'_>, k: usize) {
        while self.left_off.len() <= k {
            let i = self.left_off.len() - 1;
            let from = self.left.len();
            self.push_far(model, sent, i, false);
            self.left_off.push(self.left.len());
            let mut state = *self.left_state.last().expect("state of no token");
            model.sum_into(&mut state, &self.left[from..]);
            self.left_state.push(state);
            let mut lex = *self.left_lex.last().expect("sum of no token");
            let v = sent.info[i].valence;
            if v != 0.0 {
                lex += v / 4.0;
            }
            self.left_lex.push(lex);
        }
    }

    /// Makes the right table cover tokens `from..` (rebuilt when it starts further right).
    #[inline(never)]
    fn ensure_right(&mut self, model: &LinearModel, sent: &Sent<'_>, from: usize) {
        if from >= self.right_from {
            return;
        }
        self.right.clear();
        self.right_off.clear();
        for i in from..sent.s.toks.len() {
            self.right_off.push(self.right.len());
            self.push_far(model, sent, i, true);
        }
        self.right_off.push(self.right.len());
        self.right_from = from;
    }

    /// [`context_token`] for a token near the target, with its bag and side words from the
    /// sentence's rows; the other per-token keys are asked once per mention, not remembered,
    /// as they depend on the distance.
    #[inline(always)]
    fn near_token<const LEFT: bool>(
        &mut self,
        sent: &Sent<'_>,
        res: &mut Resolver<'_>,
        i: usize,
        d: usize,
        ts: usize,
        te: usize,
    ) -> Option<f32> {
        let mut sink = NearSink { rows: &mut self.rows, words: &mut self.words, toks: sent.s.toks, res };
        context_token::<_, LEFT>(sent, &mut sink, i, d, ts, te)
    }

    /// [`target_features_in`] for the target `ts..te` of `sent` (the sentence of the last
    /// [`TargetTables::reset`]), into `res.known` (cleared first). Returns how many of those
    /// features are already summed in the returned class scores (the bias and the far-left
    /// features), for [`Resolver::predict_from`].
    pub fn extract(
        &mut self,
        sent: &Sent<'_>,
        ts: usize,
        te: usize,
        res: &mut Resolver<'_>,
    ) -> (usize, [f32; TARGET_CLASSES]) {
        let model = res.model;
        let n = sent.s.toks.len();
        let consts = self.consts.expect("reset before use");
        res.known.clear();
        // Left tokens `0..kl` lie at least `FAR` tokens before the target.
        let kl = ts.saturating_sub(FAR - 1).min(n);
        self.ensure_left(model, sent, kl);
        if let Some(bias) = consts.bias {
            res.known.push(Known::new(bias, 1.0, None));
        }
        res.known.extend_from_slice(&self.left[..self.left_off[kl]]);
        let summed = res.known.len();
        let mut lex = LexSums { left: self.left_lex[kl], right: 0.0, near: 0.0 };
        for i in kl..ts.min(n) {
            let d = ts - i;
            if let Some(x) = self.near_token::<true>(sent, res, i, d, ts, te) {
                lex.add_left(d, x);
            }
        }
        let s = sent.s;
        for i in ts..te.min(n) {
            let t = s.toks[i];
            if t.kind == Kind::Word {
                let r = word_row(&mut self.words, model, t.hash, TWORD_ROW, || mix(T_TWORD, 0, t.hash));
                if r != UNKNOWN {
                    res.known.push(Known { id: r - ROW, value: 1.0, tok: i as u32 });
                }
            }
        }
        // Right tokens from `jr` lie at least `FAR` tokens after the target.
        let jr = (te + FAR - 1).min(n).max(te);
        for i in te..jr {
            let d = i - te + 1;
            if let Some(x) = self.near_token::<false>(sent, res, i, d, ts, te) {
                lex.add_right(d, x);
            }
        }
        if jr < n {
            self.ensure_right(model, sent, jr);
            let at = jr - self.right_from;
            res.known.extend_from_slice(&self.right[self.right_off[at]..]);
            // The valenced tokens from `jr` on, in order: the others would add nothing.
            let from = sent.valenced.partition_point(|&i| (i as usize) < jr);
            for &i in &sent.valenced[from..] {
                // Beyond four tokens: never `near`.
                lex.right += sent.info[i as usize].valence / 4.0;
            }
        }
        target_flags(sent, ts, te, res, lex);
        (summed, self.left_state[kl])
    }
}

/// Per-token slots of [`pair_features`] (see [`Sink::add_tok`]).
pub const PAIR_SLOTS: usize = 15;
/// + 0 between, 1 before the first mention, 2 after the second.
const PS_BAG: usize = 0;
/// + distance − 1 (1..=3) from the first mention, between the two.
const PS_WIN_A: usize = 3;
/// + distance − 1 (1..=3) to the second mention, between the two.
const PS_WIN_B: usize = 6;
/// + distance − 1 (1..=2) before the first mention.
const PS_WIN_PRE: usize = 9;
/// + distance − 1 (1..=3) after the second mention.
const PS_WIN_POST: usize = 11;
const PS_BIGRAM: usize = 14;

/// Constant-key slots of [`pair_features`] (see [`Sink::add_const`]).
const PC_BIAS: usize = 0;
/// + gap bucket − 1.
const PC_GAP: usize = 1;
/// + bucket − 1.
const PC_LEX: usize = 8;
/// + flag id − 1.
const PC_FLAG: usize = 15;
/// + sum id − 10.
const PC_SUM: usize = 28;
/// + cross id − 20.
const PC_CROSS: usize = 32;

/// Features of the directed relation between the mentions at tokens `a` and `b` (`a` first in
/// the text). The model's classes are read "first → second".
pub fn pair_features<S: Sink>(s: Tokens<'_>, a: (usize, usize), b: (usize, usize), sink: &mut S) {
    pair_features_in(&Sent::new(s), a, b, sink);
}

/// [`pair_features`] of a prepared sentence.
///
/// Kept out of line: inlined into `relations::sentence_relations` (as the compiler chose in
/// some builds) it cost about 10M more instructions on the 1,000-doc subset (192M against
/// 182M for the relations, callgrind), the loops of both sharing too few registers.
#[inline(never)]
pub fn pair_features_in<S: Sink>(sent: &Sent<'_>, a: (usize, usize), b: (usize, usize), sink: &mut S) {
    let s = sent.s;
    let n = s.toks.len();
    sink.add_const(PC_BIAS, mix(T_BIAS, 1, 0), 1.0, None, || "bias".to_string());
    let (between_from, between_to) = (a.1, b.0.max(a.1));
    let gap = between_to - between_from;
    flag(
        sink,
        PC_GAP + bucket(gap) as usize - 1,
        100 + bucket(gap),
        ["", "gap1", "gap2", "gap3", "gap4", "gap5", "gap6", "gap7"][bucket(gap) as usize],
        1.0,
        None,
    );
    let mut lex_between = 0f32;
    let (mut passive, mut quote_between) = (false, false);
    // The union of the word classes of the tokens between: whether any of them is "by",
    // "against", "with" or a speech verb is read from it once after the loop, rather than
    // four flags being updated at every token.
    let mut classes_between = 0u16;
    for i in between_from..between_to {
        let t = s.toks[i];
        let da = i - between_from + 1;
        let db = between_to - i;
        if t.kind == Kind::Word {
            sink.add_word(PS_BAG, i, t.hash, || mix(T_BAG, 10, t.hash), 1.0, || format!("B:{}", s.lower(i)));
        }
        if da <= 3 {
            sink.add_tok(
                PS_WIN_A + da - 1,
                i,
                || mix(T_WIN, 100 + da as u64, t.hash),
                1.0,
                || format!("A+{da}:{}", s.lower(i)),
            );
        }
        if db <= 3 {
            sink.add_tok(
                PS_WIN_B + db - 1,
                i,
                || mix(T_WIN, 200 + db as u64, t.hash),
                1.0,
                || format!("B-{db}:{}", s.lower(i)),
            );
        }
        if i + 1 < between_to {
            let h2 = s.toks[i + 1].hash;
            sink.add_tok(
                PS_BIGRAM,
                i,
                || mix(T_BIGRAM, t.hash ^ 7, h2),
                1.0,
                || format!("Bbi:{}_{}", s.lower(i), s.lower(i + 1)),
            );
        }
        // The token's facts, read once for the tests below.
        let TokInfo { valence: v, classes, .. } = sent.info[i];
        if v != 0.0 {
            lex_between += v / 4.0;
            let b = bucket(da.min(db));
            sink.add_const(PC_LEX + b as usize - 1, mix(T_LEX, 100 + b as u64, 0), v / 4.0, Some(i), || {
                format!("lexB{b}")
            });
        }
        if classes & lexicon::BE != 0 && i + 1 < between_to && participle(s.word(i + 1)) {
            passive = true;
        }
        classes_between |= classes;
        quote_between |= t.kind == Kind::Quote;
    }
    let by = classes_between & lexicon::BY != 0;
    let against = classes_between & lexicon::AGAINST != 0;
    let with = classes_between & lexicon::WITH != 0;
    let speech_between = classes_between & lexicon::SPEECH != 0;
    let (mut lex_before, mut lex_after) = (0f32, 0f32);
    for i in a.0.saturating_sub(6)..a.0 {
        let d = a.0 - i;
        let t = s.toks[i];
        if t.kind == Kind::Word {
            sink.add_word(PS_BAG + 1, i, t.hash, || mix(T_BAG, 11, t.hash), 1.0, || format!("preA:{}", s.lower(i)));
        }
        if d <= 2 {
            sink.add_tok(
                PS_WIN_PRE + d - 1,
                i,
                || mix(T_WIN, 300 + d as u64, t.hash),
                1.0,
                || format!("A-{d}:{}", s.lower(i)),
            );
        }
        lex_before += sent.valence(i) / 4.0;
    }
    for i in b.1..(b.1 + 8).min(n) {
        let d = i - b.1 + 1;
        let t = s.toks[i];
        if t.kind == Kind::Word {
            sink.add_word(PS_BAG + 2, i, t.hash, || mix(T_BAG, 12, t.hash), 1.0, || format!("postB:{}", s.lower(i)));
        }
        if d <= 3 {
            sink.add_tok(
                PS_WIN_POST + d - 1,
                i,
                || mix(T_WIN, 400 + d as u64, t.hash),
                1.0,
                || format!("B+{d}:{}", s.lower(i)),
            );
        }
        lex_after += sent.valence(i) / 4.0;
    }
    // The tokens before and after those windows, in order; a token without valence would add
    // zero, which changes no sum (it starts at +0.0 and never becomes −0.0).
    let mut lex_rest = 0f32;
    let (rest_to, rest_from) = (a.0.saturating_sub(6), (b.1 + 8).min(n));
    for &i in &sent.valenced {
        let i = i as usize;
        if i < rest_to || i >= rest_from {
            lex_rest += sent.valence(i) / 4.0;
        }
    }
    let speech_after_a = (a.1..(a.1 + 2).min(n)).any(|j| sent.is(j, lexicon::SPEECH));
    let speech_after_b = (b.1..(b.1 + 2).min(n)).any(|j| sent.is(j, lexicon::SPEECH));
    let speech_before_a = a.0 > 0 && sent.is(a.0 - 1, lexicon::SPEECH);
    let by_before_b = b.0 > 0 && sent.is(b.0 - 1, lexicon::BY);
    let a_quoted = sent.info.get(a.0).is_some_and(|t| t.in_quotes);
    let b_quoted = sent.info.get(b.0).is_some_and(|t| t.in_quotes);
    let a_subject = a.0 <= sent.first_word;
    let flags: [(u32, &'static str, bool); 13] = [
        (1, "passive", passive),
        (2, "by", by),
        (3, "by_before_B", by_before_b),
        (4, "against", against),
        (5, "with", with),
        (6, "speech_between", speech_between),
        (7, "quote_between", quote_between),
        (8, "A_said", speech_after_a),
        (9, "B_said", speech_after_b),
        (10, "said_A", speech_before_a),
        (11, "A_quoted", a_quoted),
        (12, "B_quoted", b_quoted),
        (13, "A_first_word", a_subject),
    ];
    for (id, name, on) in flags {
        flag(sink, PC_FLAG + id as usize - 1, 200 + id, name, on as u8 as f32, None);
    }
    let sums: [(u64, &'static str, f32); 4] = [
        (10, "lex_between", lex_between),
        (11, "lex_before", lex_before),
        (12, "lex_after", lex_after),
        (13, "lex_rest", lex_rest),
    ];
    for (id, name, v) in sums {
        if v != 0.0 {
            sink.add_const(PC_SUM + id as usize - 10, mix(T_CROSS, id, 0), v, None, || name.to_string());
        }
    }
    let crosses: [(u64, &'static str, bool, f32); 6] = [
        (20, "passive*lex_between", passive || by_before_b, lex_between),
        (21, "A_said*lex_after", speech_after_a, lex_after + lex_between),
        (22, "B_said*lex_before", speech_after_b, lex_before + lex_between),
        (23, "against*lex", against, lex_between),
        (24, "A_first*lex_between", a_subject, lex_between),
        (25, "quote_between*lex", quote_between, lex_between + lex_after),
    ];
    for (id, name, on, v) in crosses {
        if on && v != 0.0 {
            sink.add_const(PC_CROSS + id as usize - 20, mix(T_CROSS, id, 0), v, None, || name.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{pair_model, target_model};
    use crate::text::tokenize;

    const SENTENCES: &[&str] = &[
        "The senator praised Maria Lopez for her brilliant and courageous leadership, critics said.",
        "“We will never accept the deal,” Gondor’s envoy told Rohan, which was not backed by Arnor.",
        "Mordor didn't attack Gondor; it was attacked by Rohan and \"its allies\" against all odds.",
        "Ереван и Москва: a bad, bad year for ties between the two capitals, says the analyst.",
    ];

    /// The memoizing run-time path must hand the model exactly the features (rows, values,
    /// tokens, order) that plain extraction gives, for every mention and pair of a sentence,
    /// whatever the order in which they are scored.
    #[test]
    fn resolver_matches_plain_extraction() {
        let (tm, pm) = (target_model().as_ref().unwrap(), pair_model().as_ref().unwrap());
        let plain = |model: &LinearModel, keys: &Keys| -> Vec<(u32, f32, Option<usize>)> {
            keys.0.iter().filter_map(|f| Some((model.id_of(f.key)?, f.value, f.tok))).collect()
        };
        let resolved = |r: &Resolver| -> Vec<(u32, f32, Option<usize>)> {
            r.known.iter().map(|k| (k.id, k.value, k.tok())).collect()
        };
        let mut checked = 0;
        for text in SENTENCES {
            let mut toks = Vec::new();
            tokenize(text, 0, &mut toks);
            let s = Tokens { text, toks: &toks };
            let sent = Sent::new(s);
            let n = toks.len();
            let mut tres = Resolver::new(tm, TARGET_SLOTS);
            tres.reset(n);
            let mut pres = Resolver::new(pm, PAIR_SLOTS);
            pres.reset(n);
            for ts in (0..n).rev() {
                for te in ts + 1..(ts + 3).min(n) {
                    let mut keys = Keys::default();
                    target_features(s, ts, te, &mut keys);
                    tres.select(0);
                    target_features_in(&sent, ts, te, &mut tres);
                    assert_eq!(plain(tm, &keys), resolved(&tres), "{text}: target {ts}..{te}");
                    assert!(!tres.known.is_empty());
                    for b0 in te..n {
                        let (a, b) = ((ts, te), (b0, b0 + 1));
                        let mut keys = Keys::default();
                        pair_features(s, a, b, &mut keys);
                        pres.select(0);
                        pair_features_in(&sent, a, b, &mut pres);
                        assert_eq!(plain(pm, &keys), resolved(&pres), "{text}: pair {a:?} {b:?}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 1000);
    }

    /// The table-driven extraction (far features from per-sentence tables, class scores of the
    /// far-left tokens from prefix sums) gives each mention exactly the known features and the
    /// probabilities, bit for bit, of plain extraction and prediction, in sentences long enough
    /// to have far tokens on both sides, whatever the order in which mentions come.
    #[test]
    fn target_tables_match_plain_extraction() {
        let tm = target_model().as_ref().unwrap();
        assert!(TargetTables::serves(tm));
        let long = SENTENCES.join(" ");
        let seed =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/seed/armenia-csto.txt"))
                .expect("the seed article is in ../shared/data");
        let mut texts: Vec<&str> = SENTENCES.to_vec();
        texts.push(&long);
        texts.extend(crate::text::fallback_sentences(&seed).iter().take(12).map(|&(a, b)| &seed[a..b]));
        let (mut checked, mut far) = (0, 0);
        let mut seen = ExplainScratch::default();
        let mut tables = TargetTables::default();
        for text in texts {
            let mut toks = Vec::new();
            tokenize(text, 0, &mut toks);
            let s = Tokens { text, toks: &toks };
            let sent = Sent::new(s);
            let n = toks.len();
            let mut res = Resolver::new(tm, TARGET_SLOTS);
            res.reset(n);
            // One set of tables for all sentences, as at run time: the word cache carries over.
            tables.reset(tm, &sent);
            // Targets from the right end first, then from the left: the right table is rebuilt
            // further left, the left one extended.
            let order: Vec<usize> = (0..n).rev().chain(0..n).collect();
            for ts in order {
                for te in ts + 1..(ts + 3).min(n + 1) {
                    let mut keys = Keys::default();
                    target_features(s, ts, te, &mut keys);
                    let plain: Vec<(u32, f32, Option<usize>)> =
                        keys.0.iter().filter_map(|f| Some((tm.id_of(f.key)?, f.value, f.tok))).collect();
                    res.select(0);
                    let (summed, state) = tables.extract(&sent, ts, te, &mut res);
                    let got: Vec<(u32, f32, Option<usize>)> =
                        res.known.iter().map(|k| (k.id, k.value, k.tok())).collect();
                    assert_eq!(plain, got, "{text}: target {ts}..{te}");
                    let p = res.predict_from(state, summed, 5);
                    let q = tm.predict_known(&res.known, 5, &mut seen);
                    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<u32>>();
                    assert_eq!(bits(&p.probs), bits(&q.probs), "{text}: target {ts}..{te}");
                    assert_eq!(bits(&p.probs), bits(&tm.predict(&keys.0, 0).probs), "{text}: target {ts}..{te}");
                    assert_eq!(
                        p.top.iter().map(|c| c.name).collect::<Vec<_>>(),
                        q.top.iter().map(|c| c.name).collect::<Vec<_>>()
                    );
                    far += (ts >= FAR && te + FAR <= n) as usize;
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000 && far > 100, "{checked} targets, {far} with far tokens on both sides");
    }

    /// The bucket table gives the ranges it replaces.
    #[test]
    fn buckets_by_table_match_the_ranges() {
        for d in 0..100 {
            let want = match d {
                0 | 1 => 1,
                2 => 2,
                3 => 3,
                4..=5 => 4,
                6..=8 => 5,
                9..=12 => 6,
                _ => 7,
            };
            assert_eq!(bucket(d), want, "{d}");
        }
        assert_eq!(bucket(usize::MAX), 7);
    }

    /// The word cache of sentence preparation takes an entry never filled (hash 0, no valence,
    /// no class) for the lexicon's answer for hash 0: it must be that answer.
    #[test]
    fn lex_cache_empty_entry_is_the_lexicons_answer_for_hash_0() {
        let lex = Lexicon::get();
        assert_eq!(lex.word(0), crate::lexicon::Word::default());
        let mut cache = LexCache { entries: None };
        let entries = cache.entries();
        assert!(entries.iter().all(|e| e.0 == 0 && e.1 == crate::lexicon::Word::default()));
        for w in ["good", "not", "said", "Armenia"] {
            let h = crate::text::word_hash(w);
            assert_eq!(LexCache::lookup(entries, lex, h), lex.word(h), "{w}");
            assert_eq!(LexCache::lookup(entries, lex, h), lex.word(h), "{w}, cached");
        }
        assert_eq!(LexCache::lookup(entries, lex, 0), crate::lexicon::Word::default());
    }

    #[test]
    fn sentence_facts_match_the_per_token_rules() {
        let lex = Lexicon::get();
        for text in SENTENCES {
            let mut toks = Vec::new();
            tokenize(text, 0, &mut toks);
            let s = Tokens { text, toks: &toks };
            let sent = Sent::new(s);
            for i in 0..toks.len() {
                let (v, negated) = s.valence(lex, i);
                assert_eq!((sent.info[i].valence, sent.info[i].negated), (v, negated), "{text}: token {i}");
                assert_eq!(sent.info[i].in_quotes, s.in_quotes(i), "{text}: token {i}");
            }
        }
    }
}
