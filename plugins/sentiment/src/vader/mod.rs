//! A VADER engine equal to vaderSentiment 3.3.2's `SentimentIntensityAnalyzer.polarity_scores`,
//! rule for rule, quirks included, and fast: the lexicon is a static table baked in at build
//! time (nothing to load at start-up), each token is looked up once (the rules then compare
//! one-byte word codes, not strings), and an [`Engine`] reuses its buffers so that scoring
//! allocates nothing per token.
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

mod hash;
pub mod lexicon;
pub mod pystr;
mod scan;
pub mod words;

use std::cell::RefCell;

use lexicon::{
    booster_bigram_code, code, special_bigram_code, special_trigram_code, Entry, VaderLexicon, C_INCR, N_SCALAR,
};
use pystr::{places_into, push_lower, py_isupper, py_round, round_units, units_at, write_py_float};

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
    /// order, floats as Python's `repr`. VADER's rounded scores print from integers; other
    /// values (scores made by hand) through a float formatter.
    pub fn write_json(&self, out: &mut String) {
        let mut buf = [0u8; 128];
        match self.json_into(&mut buf) {
            // The line is ASCII (keys, digits, '-', '.').
            Some(n) => out.push_str(std::str::from_utf8(&buf[..n]).unwrap_or_default()),
            None => self.write_json_slow(out),
        }
    }

    /// [`Scores::write_json`] onto bytes (`slant vader`'s output buffer).
    pub fn write_json_bytes(&self, out: &mut Vec<u8>) {
        let mut buf = [0u8; 128];
        match self.json_into(&mut buf) {
            Some(n) => out.extend_from_slice(&buf[..n]),
            None => {
                let mut s = String::new();
                self.write_json_slow(&mut s);
                out.extend_from_slice(s.as_bytes());
            }
        }
    }

    /// The JSON line from integers when all four scores are rounded as VADER rounds them
    /// ([`places_into`]), which they are unless made by hand.
    fn json_into(&self, buf: &mut [u8; 128]) -> Option<usize> {
        let mut n = 0;
        let mut num = [0u8; 16];
        for (key, x, four) in [
            (&b"{\"neg\": "[..], self.neg, false),
            (b", \"neu\": ", self.neu, false),
            (b", \"pos\": ", self.pos, false),
            (b", \"compound\": ", self.compound, true),
        ] {
            buf[n..n + key.len()].copy_from_slice(key);
            n += key.len();
            let len = if four { places_into::<4>(x, &mut num)? } else { places_into::<3>(x, &mut num)? };
            buf[n..n + len].copy_from_slice(&num[..len]);
            n += len;
        }
        buf[n] = b'}';
        Some(n + 1)
    }

    fn write_json_slow(&self, out: &mut String) {
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
        name_iter(bits).collect()
    }

    /// [`names`] without collecting them.
    pub fn name_iter(bits: u32) -> impl Iterator<Item = &'static str> {
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
        ALL.iter().filter(move |(b, _)| bits & b != 0).map(|(_, n)| *n)
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
    /// The token's word [`code`] (the function words VADER's rules name).
    code: u8,
    /// Whether the token is in VADER's negation list (or contains "n't").
    neg: bool,
    /// The token's news-lexicon id ([`VaderLexicon::news_keys`]; 0: none).
    pub news: u16,
    /// Rules applied before scoring (set by the news tone).
    pub pre_rules: u32,
    /// The valence the rules see for this token (`None`: not a lexicon word).
    pub lex: Option<f64>,
    /// VADER's own valence for the token (kept when the news tone changes `lex`).
    pub orig: Option<f64>,
    /// The token's `BOOSTER_DICT` scalar if it is a booster or dampener, else 0.
    booster: f64,
}

impl Tok {
    fn new(raw: (usize, usize), low: (usize, usize), upper: bool, e: Entry, low_str: &str) -> Tok {
        Tok {
            raw,
            low,
            upper,
            code: e.code,
            neg: e.neg || has_nt(low_str),
            news: e.news,
            pre_rules: 0,
            lex: e.valence,
            orig: e.valence,
            booster: e.booster.unwrap_or(0.0),
        }
    }
}

/// Whether a lowercased token contains "n't" (VADER's negation test besides its list).
#[inline]
fn has_nt(low: &str) -> bool {
    low.as_bytes().contains(&b'\'') && low.contains("n't")
}

/// Whether a raw ASCII token contains "n't" in any case (the "n't" test on its lowercase
/// form: only `N` and `n` have `n` as their lowercase, only `T` and `t` have `t`).
#[inline]
fn has_nt_ascii(raw: &[u8]) -> bool {
    raw.windows(3).any(|w| w[0] | 0x20 == b'n' && w[1] == b'\'' && w[2] | 0x20 == b't')
}

/// Eight bytes from `b[i]` as a little-endian word, zero-padded past the end.
#[inline(always)]
fn load8(b: &[u8], i: usize) -> u64 {
    match b.get(i..i + 8) {
        // One load; a variable-length copy here would become a call to `memcpy`.
        Some(w) => u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]),
        None => {
            let mut w = 0u64;
            for (k, &c) in b[i..].iter().enumerate() {
                w |= (c as u64) << (8 * k);
            }
            w
        }
    }
}

/// Whether a text has a character of VADER's emoji lexicon. `masks` are the text's: their
/// high bits locate its non-ASCII bytes, so only the first byte of each non-ASCII character
/// is visited (rather than every byte of every text that has one).
fn has_emoji(text: &str, masks: &scan::Masks) -> bool {
    let lex = VaderLexicon::get();
    let b = text.as_bytes();
    for (k, blk) in masks.blocks.iter().enumerate() {
        let mut m = blk.high;
        while m != 0 {
            let i = k * 64 + m.trailing_zeros() as usize;
            m &= m - 1;
            // Continuation bytes (0b10xxxxxx) are skipped: `i` is then where a character starts.
            if b[i] >= 0xc0 && text[i..].chars().next().is_some_and(|c| lex.emoji(c).is_some()) {
                return true;
            }
        }
    }
    false
}

/// One token as the general path makes it ([`general_piece`]).
struct Piece {
    /// Byte range of the token (stripped of punctuation) in the text.
    s: usize,
    e: usize,
    upper: bool,
    /// Whether the lowercased token contains "n't".
    nt: bool,
    /// Byte range of the lowercased token in the engine's lowercase buffer.
    low: (usize, usize),
    slot: Option<&'static lexicon::Slot>,
}

/// The token of the piece `start..end` of `text` (masks built): stripped, its case, "n't" and
/// lookup. A token with non-ASCII characters has its lowercase form appended to `lower`; an
/// ASCII token's is at its own position (where [`Engine::tokenize`] puts the whole text's).
#[inline(always)]
fn general_piece(text: &str, masks: &scan::Masks, lower: &mut String, start: usize, end: usize) -> Piece {
    let b = text.as_bytes();
    let blocks = &masks.blocks[..];
    // Most tokens are lowercase words within one block: one test rules out capitals,
    // apostrophes and non-ASCII bytes.
    let (ks, ke) = (start / 64, (end - 1) / 64);
    let cls = if ks == ke {
        let r = (!0u64 << (start % 64)) & (!0u64 >> (63 - (end - 1) % 64));
        blocks[ks].classes(r)
    } else {
        masks.classes(start, end)
    };
    let non_ascii = cls & scan::HIGH != 0;
    // VADER's `_strip_punc_if_word`: ASCII punctuation is one byte, so strip bytes, but count
    // characters as Python's `len` does.
    let (mut s, mut e) = (start, end);
    if PUNCT[b[start] as usize] | PUNCT[b[end - 1] as usize] {
        while s < e && PUNCT[b[s] as usize] {
            s += 1;
        }
        while e > s && PUNCT[b[e - 1] as usize] {
            e -= 1;
        }
        if e - s <= 2 || (non_ascii && text[s..e].chars().nth(2).is_none()) {
            (s, e) = (start, end);
        }
    }
    if !non_ascii {
        // Punctuation has no case, so the piece's classes give the token's `isupper`.
        let upper = cls & scan::UPPER != 0 && cls & scan::LOWER == 0;
        let nt = cls & scan::APOSTROPHE != 0 && has_nt_ascii(&b[s..e]);
        // The first eight bytes and (past eight) the last eight, lowercased (setting 0x20
        // lowercases an ASCII capital).
        let len = e - s;
        let mut w = load8(b, s);
        let mut last = if len > 8 { load8(b, e - 8) } else { 0 };
        if cls & scan::UPPER != 0 {
            w = lexicon::lower8(w);
            last = lexicon::lower8(last);
        }
        if len < 8 {
            w &= u64::MAX >> (64 - 8 * len);
        }
        let slot = lexicon::lookup_ascii(&b[s..e], w, last);
        Piece { s, e, upper, nt, low: (s, e), slot }
    } else {
        let lo = lower.len();
        push_lower(&text[s..e], lower);
        let lb = &lower.as_bytes()[lo..];
        Piece {
            s,
            e,
            upper: py_isupper(&text[s..e]),
            nt: has_nt(&lower[lo..]),
            low: (lo, lower.len()),
            slot: lexicon::lookup(lb),
        }
    }
}

/// The [`Lite`] of an ASCII piece `start..end` of at most 64 bytes whose bits are `span` in
/// masks `[upper, lower, apostrophe, punct]` where bit 0 is byte `base` (the piece's block,
/// or the piece's start for a window). `win` is the lowercased text ([`scan::Masks::low`])
/// from eight bytes before `wbase`, the start of the piece's block: 80 bytes for a piece that
/// ends in its block, 144 for one that runs into the next. Every byte read from it is at an
/// index masked below its length, so the reads need no bounds checks.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn lite_token<const W: usize>(
    win: &[u8; W],
    wbase: usize,
    base: usize,
    start: usize,
    end: usize,
    span: u64,
    [upper, lower, apos, punct]: [u64; 4],
) -> Lite {
    // A token's offsets from `wbase` are below `W - 16` (64 or 128), a power of two.
    let m: usize = W - 17;
    const { assert!(W == 80 || W == 144, "a window of one or two blocks and 16 bytes") };
    // VADER's `_strip_punc_if_word`: the stripped token runs from the first bit that is not
    // punctuation to the last; it is kept only if longer than two bytes (ASCII: characters).
    let keep = !punct & span;
    let lead = keep.trailing_zeros() as usize;
    let stop = 64 - keep.leading_zeros() as usize;
    let (s, e) = if stop >= lead + 3 { (base + lead, base + stop) } else { (start, end) };
    // Punctuation has no case, so the piece's classes give the token's `isupper`.
    let is_upper = upper & span != 0 && lower & span == 0;
    // The token's first byte and the byte after it, in `win`.
    let (ws, we) = (((s - wbase) & m) + 8, ((e - wbase) & m) + 8);
    let nt = apos & span != 0 && win[ws..we.max(ws)].windows(3).any(|w| w == b"n't");
    // The key words of the lowercased token: its first eight bytes (masked to its length)
    // and, past eight, its last eight.
    let l = e - s;
    let word = |i: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&win[i..i + 8]);
        u64::from_le_bytes(b)
    };
    let lo = word(ws) & (u64::MAX >> (8 * (8 - l.min(8))));
    let hi = if l > 8 { word(we - 8) } else { 0 };
    let meta = lexicon::meta_with(lo, hi, l, || &win[ws..we.max(ws)]) as u32;
    let bits = ((nt as u32) * lite::NEG as u32) | ((is_upper as u32) * lite::UPPER as u32);
    Lite(meta | (bits << 24))
}

/// The [`Lite`] of a piece by the general path ([`general_piece`]), out of line: for the few
/// pieces `slant vader`'s tokenizer does not read from its masks (non-ASCII, or longer than
/// 64 bytes).
#[cold]
#[inline(never)]
fn cold_lite(text: &str, masks: &scan::Masks, lower: &mut String, start: usize, end: usize) -> Lite {
    let p = general_piece(text, masks, lower, start, end);
    let meta = p.slot.map_or(0, |e| e.meta()) as u32;
    let bits = ((p.nt as u32) * lite::NEG as u32) | ((p.upper as u32) * lite::UPPER as u32);
    Lite(meta | (bits << 24))
}

/// Which bytes are in Python's `string.punctuation` (ASCII punctuation).
static PUNCT: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 128 {
        t[i] = (i as u8).is_ascii_punctuation();
        i += 1;
    }
    t
};

/// What VADER's rules need of one token, in four bytes: `slant vader` keeps these instead of
/// [`Tok`]s, which carry byte ranges, news ids and explanations besides. Laid out as the low
/// half of the lexicon's packed properties ([`lexicon::Slot::meta`]), so that the tokenizer
/// makes one with an `or`: the valence in hundredths (bits 0 to 15), the word [`code`] (bits
/// 16 to 23) and the [`lite`] flags (bits 24 to 31).
#[derive(Debug, Clone, Copy, Default)]
struct Lite(u32);

impl Lite {
    #[inline(always)]
    fn hundredths(self) -> i16 {
        self.0 as u16 as i16
    }

    #[inline(always)]
    fn code(self) -> u8 {
        (self.0 >> 16) as u8
    }

    #[inline(always)]
    fn bits(self) -> u8 {
        (self.0 >> 24) as u8
    }
}

/// The flags of a [`Lite`]: the lexicon table's own (valence, negation, booster, dampener),
/// and the token's case.
mod lite {
    pub const VALENCE: u8 = 1;
    pub const NEG: u8 = 2;
    pub const BOOSTER: u8 = 4;
    pub const DAMPENER: u8 = 8;
    pub const UPPER: u8 = 16;
}

/// Read access to tokens for VADER's rules, so that the one implementation of the rules
/// scores both the analyzer's [`Tok`]s and `slant vader`'s [`Lite`]s.
trait View {
    fn count(&self) -> usize;
    fn lex(&self, i: usize) -> Option<f64>;
    fn booster(&self, i: usize) -> f64;
    fn code(&self, i: usize) -> u8;
    fn neg(&self, i: usize) -> bool;
    fn upper(&self, i: usize) -> bool;
    /// Rules set before scoring (by the news tone).
    fn pre(&self, i: usize) -> u32;
}

impl View for [Tok] {
    #[inline(always)]
    fn count(&self) -> usize {
        self.len()
    }
    #[inline(always)]
    fn lex(&self, i: usize) -> Option<f64> {
        self[i].lex
    }
    #[inline(always)]
    fn booster(&self, i: usize) -> f64 {
        self[i].booster
    }
    #[inline(always)]
    fn code(&self, i: usize) -> u8 {
        self[i].code
    }
    #[inline(always)]
    fn neg(&self, i: usize) -> bool {
        self[i].neg
    }
    #[inline(always)]
    fn upper(&self, i: usize) -> bool {
        self[i].upper
    }
    #[inline(always)]
    fn pre(&self, i: usize) -> u32 {
        self[i].pre_rules
    }
}

impl View for [Lite] {
    #[inline(always)]
    fn count(&self) -> usize {
        self.len()
    }
    #[inline(always)]
    fn lex(&self, i: usize) -> Option<f64> {
        // The same division as `Slot::valence`, so the same float.
        if self[i].bits() & lite::VALENCE != 0 {
            Some(self[i].hundredths() as f64 / 100.0)
        } else {
            None
        }
    }
    #[inline(always)]
    fn booster(&self, i: usize) -> f64 {
        match self[i].bits() & (lite::BOOSTER | lite::DAMPENER) {
            lite::BOOSTER => lexicon::B_INCR,
            lite::DAMPENER => lexicon::B_DECR,
            _ => 0.0,
        }
    }
    #[inline(always)]
    fn code(&self, i: usize) -> u8 {
        self[i].code()
    }
    #[inline(always)]
    fn neg(&self, i: usize) -> bool {
        self[i].bits() & lite::NEG != 0
    }
    #[inline(always)]
    fn upper(&self, i: usize) -> bool {
        self[i].bits() & lite::UPPER != 0
    }
    #[inline(always)]
    fn pre(&self, _: usize) -> u32 {
        0
    }
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
    /// How many tokens are all caps (Python's `isupper`).
    upper: usize,
    /// Whether [`Engine::tokens_mut`] was called since [`Engine::prepare`].
    edited: bool,
    /// One sentiment per token, as Python's `sentiments` list.
    pub sentiments: Vec<f64>,
    pub traces: Vec<Trace>,
    nonzero: Vec<usize>,
    /// How many `!` and `?` the cleaned text has (VADER's punctuation emphasis), counted by
    /// the tokenizer.
    marks: (usize, usize),
    /// The tokens that can score (lexicon words that are not boosters), in order, and the
    /// first "but", as the tokenizer found them; `words_fresh` is false once the tokens may
    /// have changed ([`Engine::fold_typography`]; [`Engine::tokens_mut`] sets `edited`).
    words: Vec<usize>,
    first_but: usize,
    words_fresh: bool,
    /// The unrounded scores of the tokens as they are, once scored (`None` after any change).
    last_raw: Option<Scores>,
    /// The byte classes of the text being tokenized.
    masks: scan::Masks,
    /// The tokens of [`Engine::scores`] and [`Engine::polarity_json`].
    lite: Vec<Lite>,
    /// The [`Lite`] tokens that can score are the first `lite_count` of `lite_words` (see
    /// [`Engine::tokenize_lite`]).
    lite_words: Vec<u32>,
    lite_count: usize,
    /// The nonzero sentiments, in token order (their tokens are in `nonzero`).
    vals: Vec<f64>,
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

    /// [`Engine::polarity_scores`] without keeping what explanations need: afterwards
    /// [`Engine::tokens`] is empty and `sentiments` and `traces` are not this text's. Faster:
    /// the tokens are four bytes each and nothing per token is traced.
    pub fn scores(&mut self, text: &str) -> Scores {
        match self.lite_scores(text) {
            Some(raw) => Scores {
                neg: py_round(raw.neg, 3),
                neu: py_round(raw.neu, 3),
                pos: py_round(raw.pos, 3),
                compound: py_round(raw.compound, 4),
            },
            None => Scores::default(),
        }
    }

    /// [`Engine::scores`] written onto `out` as [`Scores::write_json_bytes`] writes it (what
    /// `slant vader` prints), with each score rounded to an integer number of thousandths
    /// (ten-thousandths for `compound`) and printed from that integer, rather than rounded to
    /// a float and converted back. Scores whose rounding needs the exact decimal expansion
    /// take the general path.
    pub fn polarity_json(&mut self, text: &str, out: &mut Vec<u8>) {
        let Some(raw) = self.lite_scores(text) else {
            Scores::default().write_json_bytes(out);
            return;
        };
        if self.vals.is_empty() {
            // Tokens, but no sentiment (a seventh to a quarter of the texts): every sum is
            // zero and the zeros are all the tokens, so VADER's scores are these, whatever the
            // punctuation (it amplifies nonzero sums only).
            out.extend_from_slice(b"{\"neg\": 0.0, \"neu\": 1.0, \"pos\": 0.0, \"compound\": 0.0}");
            return;
        }
        if let (Some(neg), Some(neu), Some(pos), Some(compound)) = (
            round_units::<3>(raw.neg),
            round_units::<3>(raw.neu),
            round_units::<3>(raw.pos),
            round_units::<4>(raw.compound),
        ) {
            // The line is assembled on the stack (pieces of constant length, numbers in
            // 16-byte copies) and appended with one copy.
            let mut line = [0u8; 96];
            let put = |line: &mut [u8; 96], at: usize, piece: &[u8]| {
                line[at..at + piece.len()].copy_from_slice(piece);
                at + piece.len()
            };
            let mut n = put(&mut line, 0, b"{\"neg\": ");
            n = units_at::<3>(neg, &mut line, n);
            n = put(&mut line, n, b", \"neu\": ");
            n = units_at::<3>(neu, &mut line, n);
            n = put(&mut line, n, b", \"pos\": ");
            n = units_at::<3>(pos, &mut line, n);
            n = put(&mut line, n, b", \"compound\": ");
            n = units_at::<4>(compound, &mut line, n);
            n = put(&mut line, n, b"}");
            out.extend_from_slice(&line[..n]);
            return;
        }
        let scores = Scores {
            neg: py_round(raw.neg, 3),
            neu: py_round(raw.neu, 3),
            pos: py_round(raw.pos, 3),
            compound: py_round(raw.compound, 4),
        };
        scores.write_json_bytes(out);
    }

    /// Step 1 and 2: emoji substitution, tokenizing and the lexicon lookup. After this,
    /// callers (the news tone) may change [`Engine::tokens_mut`] before [`Engine::score`].
    pub fn prepare(&mut self, text: &str) {
        self.prepare_as::<true>(text);
    }

    /// [`Engine::prepare`] into [`Tok`]s (`FULL`) or into [`Lite`]s.
    fn prepare_as<const FULL: bool>(&mut self, text: &str) {
        self.substituted = false;
        self.words.clear();
        self.first_but = usize::MAX;
        // The words listed index `Lite`s unless `FULL`: scoring `Tok`s must not use them.
        self.words_fresh = FULL;
        self.last_raw = None;
        self.edited = false;
        self.toks.clear();
        self.lite.clear();
        self.lite_count = 0;
        self.lower.clear();
        self.upper = 0;
        if FULL {
            self.masks.build(text);
        } else {
            self.masks.build_low(text);
        }
        if !self.masks.non_ascii || !has_emoji(text, &self.masks) {
            self.split_as::<FULL>(text);
            return;
        }
        let lex = VaderLexicon::get();
        let mut clean = std::mem::take(&mut self.clean);
        clean.clear();
        let mut prev_space = true;
        for c in text.chars() {
            if let Some(desc) = lex.emoji(c) {
                if !prev_space {
                    clean.push(' ');
                }
                clean.push_str(desc);
                prev_space = false;
            } else {
                clean.push(c);
                prev_space = c == ' ';
            }
        }
        self.substituted = true;
        if FULL {
            self.masks.build(&clean);
        } else {
            self.masks.build_low(&clean);
        }
        self.split_as::<FULL>(&clean);
        self.clean = clean;
    }

    /// [`Engine::tokenize`] (`FULL`) or [`Engine::tokenize_lite`].
    fn split_as<const FULL: bool>(&mut self, text: &str) {
        if FULL {
            self.tokenize(text);
        } else {
            self.tokenize_lite(text);
        }
    }

    /// Tokenizes the cleaned text (whose [`scan::Masks`] are built): Python's `split()` (its
    /// whitespace), VADER's `_strip_punc_if_word`, `lower()` and `isupper()`, and the lookup,
    /// into [`Tok`]s ([`Engine::tokenize_lite`] makes [`Lite`]s). The masks give each
    /// piece's bounds and classes (case, apostrophes, non-ASCII) with a few bit operations.
    /// The ASCII letters of the whole text are lowercased at once, so an ASCII
    /// token's lowercase form is at its own position in the buffer; tokens with other
    /// characters get theirs appended. (Python strips the text before splitting it; splitting
    /// ignores outer whitespace anyway, so the pieces are the same.)
    fn tokenize(&mut self, text: &str) {
        // The buffers are locals for the loop, so that their pointers and lengths stay in
        // registers instead of being reloaded through `self` for every token.
        let mut lower = std::mem::take(&mut self.lower);
        let mut toks = std::mem::take(&mut self.toks);
        let mut words = std::mem::take(&mut self.words);
        lower.push_str(text);
        lower.make_ascii_lowercase();
        let masks = &self.masks;
        let mut first_but = usize::MAX;
        let mut upper_count = 0;
        for (start, end) in masks.pieces() {
            let Piece { s, e, upper, nt, low, slot } = general_piece(text, masks, &mut lower, start, end);
            upper_count += upper as usize;
            // The tokens that can score and the first "but", listed here while the entry is
            // at hand so that scoring need not walk every token again.
            let i = toks.len();
            let (scores, code) = match slot {
                Some(entry) => (entry.valence().is_some() && entry.booster() == 0.0, entry.code()),
                None => (false, code::OTHER),
            };
            if scores {
                words.push(i);
            }
            if code == code::BUT && first_but == usize::MAX {
                first_but = i;
            }
            toks.push(match slot {
                Some(entry) => Tok {
                    raw: (s, e),
                    low,
                    upper,
                    code: entry.code(),
                    neg: entry.neg() || nt,
                    news: entry.news(),
                    pre_rules: 0,
                    lex: entry.valence(),
                    orig: entry.valence(),
                    booster: entry.booster(),
                },
                None => Tok {
                    raw: (s, e),
                    low,
                    upper,
                    code: code::OTHER,
                    neg: nt,
                    news: 0,
                    pre_rules: 0,
                    lex: None,
                    orig: None,
                    booster: 0.0,
                },
            });
        }
        self.marks = (masks.exclamations, masks.questions);
        self.first_but = first_but;
        self.upper = upper_count;
        self.lower = lower;
        self.toks = toks;
        self.words = words;
    }

    /// [`Engine::tokenize`] into [`Lite`]s, for `slant vader`. The masks were built with the
    /// lowercased copy of the text ([`scan::Masks::build_low`]). The pieces are walked block
    /// by block with the block's masks in registers: a piece that ends in its block (nearly
    /// all) is read from them (its bits are a span of the block's), one that runs into the
    /// next block from 64-bit windows of the masks at its start ([`scan::Masks::window`]),
    /// and one of non-ASCII characters or longer than 64 bytes by the general path. Stripping
    /// punctuation is a count of the punctuation bits at either end of the piece, the key's
    /// first and last eight bytes are two loads from the lowercased copy ([`lite_token`]),
    /// and the lookup ([`lexicon::meta_with`]) gives the token's record ([`Lite`]), zero for
    /// a word that is not a key, without a branch; so do the list of tokens that can score
    /// and the first "but".
    fn tokenize_lite(&mut self, text: &str) {
        let mut lower = std::mem::take(&mut self.lower);
        let mut lite = std::mem::take(&mut self.lite);
        let mut words = std::mem::take(&mut self.lite_words);
        let masks = &self.masks;
        let blocks = &masks.blocks[..];
        let low = &masks.low[..];
        // Pieces are separated by whitespace, so a text has at most (len + 1) / 2 of them; the
        // list of tokens that can score is written at every token and advanced at those, so it
        // must have room for them all (it only grows).
        let bound = text.len() / 2 + 1;
        if words.len() < bound {
            words.resize(bound, 0);
        }
        lite.reserve(bound);
        let mut count = 0;
        let mut first_but = usize::MAX;
        let mut upper_count = 0;
        let mut after_space = 1u64;
        // The last block is past the text's end (all whitespace).
        for (k, blk) in blocks[..blocks.len() - 1].iter().enumerate() {
            let space = blk.space;
            // The lowercased bytes from eight before the block to eight after it, and to eight
            // after the next block for a piece that runs into it (`low` has them: `LOW_PAD`
            // before the text, eight after its last block, and no piece runs past that block).
            let win = low.get(64 * k..64 * k + 80).and_then(|w| <&[u8; 80]>::try_from(w).ok());
            // Where pieces start: not whitespace, after whitespace (or the text's start).
            let mut starts = !space & ((space << 1) | after_space);
            after_space = space >> 63;
            let base = 64 * k;
            while starts != 0 {
                let sh = starts.trailing_zeros();
                starts &= starts - 1;
                let above = space & (!0u64 << sh);
                let start = base + sh as usize;
                let token = if above != 0 {
                    // The piece ends in this block: its bits are `sh` up to its end.
                    let span = (!0u64 << sh) & !(!0u64 << above.trailing_zeros());
                    match win {
                        Some(win) if blk.high & span == 0 => {
                            let end = base + above.trailing_zeros() as usize;
                            let m = [blk.upper, blk.lower, blk.apostrophe, blk.punct];
                            lite_token(win, base, base, start, end, span, m)
                        }
                        _ => cold_lite(text, masks, &mut lower, start, base + above.trailing_zeros() as usize),
                    }
                } else {
                    // The piece runs into the next block (where no piece starts before its end).
                    let end = masks.next_space(start);
                    let len = end - start;
                    let span = u64::MAX >> (64 - len.min(64));
                    let win = low.get(64 * k..64 * k + 144).and_then(|w| <&[u8; 144]>::try_from(w).ok());
                    match win {
                        Some(win) if len <= 64 && masks.window(start, |b| b.high) & span == 0 => {
                            let m = [
                                masks.window(start, |b| b.upper),
                                masks.window(start, |b| b.lower),
                                masks.window(start, |b| b.apostrophe),
                                masks.window(start, |b| b.punct),
                            ];
                            lite_token(win, base, start, start, end, span, m)
                        }
                        _ => cold_lite(text, masks, &mut lower, start, end),
                    }
                };
                let i = lite.len();
                lite.push(token);
                // The tokens that can score (lexicon words that are not boosters) and the
                // first "but", without a branch.
                words[count] = i as u32;
                count += (token.bits() & (lite::VALENCE | lite::BOOSTER | lite::DAMPENER) == lite::VALENCE) as usize;
                first_but = first_but.min(if token.code() == code::BUT { i } else { usize::MAX });
                upper_count += (token.bits() & lite::UPPER != 0) as usize;
            }
        }
        self.marks = (masks.exclamations, masks.questions);
        self.first_but = first_but;
        self.upper = upper_count;
        self.lower = lower;
        self.lite = lite;
        self.lite_words = words;
        self.lite_count = count;
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
        let mut upper = 0;
        for i in 0..self.toks.len() {
            let t = self.toks[i];
            // A token whose lowercase form sits at its own position is all ASCII.
            if t.low == t.raw || self.low(i).is_ascii() {
                upper += t.upper as usize;
                continue;
            }
            let raw = &clean[t.raw.0..t.raw.1];
            let trimmed = raw.trim_matches(|c: char| fancy(c) || c.is_ascii_punctuation());
            if trimmed.is_empty() || trimmed.len() == raw.len() && !raw.contains('\u{2019}') {
                upper += t.upper as usize;
                continue;
            }
            // The folded form goes at the end of the buffer; the old one is left unused.
            let lo = self.lower.len();
            for c in trimmed.chars() {
                if c == '\u{2019}' || c == '\u{2018}' {
                    self.lower.push('\'');
                } else {
                    self.lower.extend(c.to_lowercase());
                }
            }
            let hi = self.lower.len();
            let low = &self.lower[lo..hi];
            let e = lex.entry(low).unwrap_or_default();
            let off = trimmed.as_ptr() as usize - clean.as_ptr() as usize;
            let mut nt = Tok::new((off, off + trimmed.len()), (lo, hi), py_isupper(trimmed), e, low);
            nt.pre_rules = t.pre_rules;
            upper += nt.upper as usize;
            self.toks[i] = nt;
            // A token changed: scoring lists its words again and scores again.
            self.words_fresh = false;
            self.last_raw = None;
        }
        self.upper = upper;
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

    /// The tokens, to change before [`Engine::score`] (their `pre_rules` then go into the
    /// traces).
    pub fn tokens_mut(&mut self) -> &mut [Tok] {
        self.edited = true;
        self.last_raw = None;
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

    /// Whether token `i` negates (VADER's `NEGATE` list, or "n't").
    #[inline]
    pub fn is_negation(&self, i: usize) -> bool {
        self.toks[i].neg
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

    /// [`Engine::score`] without VADER's final rounding. (`!` and `?` were counted when the
    /// text was tokenized.)
    pub fn score_unrounded(&mut self, _text: &str) -> Scores {
        // The news tone scores a text again after its rules; when they changed no token, the
        // scores (and sentiments and traces) are those of the last call.
        if let Some(raw) = self.last_raw {
            return raw;
        }
        let n = self.toks.len();
        let mut sentiments = std::mem::take(&mut self.sentiments);
        let mut traces = std::mem::take(&mut self.traces);
        let mut scoring = std::mem::take(&mut self.nonzero);
        let mut vals = std::mem::take(&mut self.vals);
        sentiments.clear();
        sentiments.resize(n, 0.0);
        traces.clear();
        traces.resize(n, Trace::default());
        // Only lexicon words that are not boosters can score (and not "kind" before "of"):
        // list them without a branch per token; find the first "but" likewise.
        scoring.clear();
        let but;
        if self.words_fresh && !self.edited {
            // The tokenizer listed them.
            scoring.extend_from_slice(&self.words);
            but = self.first_but;
        } else {
            scoring.resize(n, 0);
            let mut k = 0;
            let mut first = usize::MAX;
            for (i, t) in self.toks.iter().enumerate() {
                scoring[k] = i;
                k += (t.lex.is_some() & (t.booster == 0.0)) as usize;
                first = first.min(if t.code == code::BUT { i } else { usize::MAX });
            }
            scoring.truncate(k);
            but = first;
        }
        if self.edited {
            for (i, t) in self.toks.iter().enumerate() {
                traces[i].rules = t.pre_rules;
            }
        }
        let cap_diff = self.upper > 0 && self.upper < n;
        for &i in &scoring {
            (sentiments[i], traces[i]) = valence_at(&self.toks[..], i, cap_diff);
        }
        // From here on only the nonzero sentiments matter (zeros change no sum).
        scoring.retain(|&i| sentiments[i] != 0.0);
        vals.clear();
        vals.extend(scoring.iter().map(|&i| sentiments[i]));
        if but != usize::MAX {
            but_check(&scoring, &mut vals, but, |j, r| traces[scoring[j]].rules |= r);
            for (&i, &v) in scoring.iter().zip(&vals) {
                sentiments[i] = v;
            }
        }
        let (ep, qm) = self.marks;
        let raw = raw_scores_of(vals.iter().copied(), n - vals.len(), ep, qm);
        self.sentiments = sentiments;
        self.traces = traces;
        self.nonzero = scoring;
        self.vals = vals;
        self.last_raw = Some(raw);
        raw
    }

    /// Steps 1 to 6 into [`Lite`] tokens, without traces: the unrounded scores, or `None`
    /// for a text without tokens (which VADER scores all zero without rounding).
    fn lite_scores(&mut self, text: &str) -> Option<Scores> {
        self.prepare_as::<false>(text);
        let n = self.lite.len();
        if n == 0 {
            return None;
        }
        let cap_diff = self.upper > 0 && self.upper < n;
        let toks = &self.lite[..];
        self.nonzero.clear();
        self.vals.clear();
        for &i in &self.lite_words[..self.lite_count] {
            let i = i as usize;
            let v = plain_valence(toks, i, cap_diff).unwrap_or_else(|| valence_at(toks, i, cap_diff).0);
            // Only the nonzero sentiments matter (zeros change no sum).
            if v != 0.0 {
                self.nonzero.push(i);
                self.vals.push(v);
            }
        }
        if self.first_but != usize::MAX {
            but_check(&self.nonzero, &mut self.vals, self.first_but, |_, _| {});
        }
        let (ep, qm) = self.marks;
        Some(raw_scores_of(self.vals.iter().copied(), n - self.vals.len(), ep, qm))
    }
}

/// [`valence_at`] of a [`Lite`] token `i` (a lexicon word that is not a booster) when no rule
/// but capitals can apply to it, which is most words: the word has no [`code`], and none of
/// the three tokens before it has a code, negates or boosts. Every rule [`valence_at`] applies
/// besides capitals needs one of these (a negation, a booster or dampener, or one of the
/// coded words "no", "never", "so", "this", "without", "doubt", "least", "kind", "of" and the
/// words of the special cases and two-word boosters, which all include the word or one of
/// the three before it); boosters add zero otherwise, which leaves the valence as it is.
/// `None`: some rule may apply (take [`valence_at`]).
#[inline(always)]
fn plain_valence(t: &[Lite], i: usize, cap_diff: bool) -> Option<f64> {
    const CODE: u32 = 0xff << 16;
    const ACTIVE: u32 = CODE | (((lite::NEG | lite::BOOSTER | lite::DAMPENER) as u32) << 24);
    let before = t[i.saturating_sub(3)..i].iter().fold(0, |m, x| m | x.0);
    if t[i].0 & CODE != 0 || before & ACTIVE != 0 {
        return None;
    }
    let mut v = t.lex(i)?;
    if t.upper(i) && cap_diff {
        if v > 0.0 {
            v += C_INCR;
        } else {
            v -= C_INCR;
        }
    }
    Some(v)
}

/// VADER's valence of token `i` (a lexicon word that is not a booster) after its rules, and
/// how it got there.
#[inline(always)]
fn valence_at<V: View + ?Sized>(t: &V, i: usize, cap_diff: bool) -> (f64, Trace) {
    let n = t.count();
    let pre = t.pre(i);
    if t.booster(i) != 0.0 {
        return (0.0, Trace { base: 0.0, rules: pre });
    }
    if i + 1 < n && t.code(i) == code::KIND && t.code(i + 1) == code::OF {
        return (0.0, Trace { base: 0.0, rules: pre });
    }
    let Some(base) = t.lex(i) else {
        return (0.0, Trace { base: 0.0, rules: pre });
    };
    let mut rules = rule::LEXICON | pre;
    let mut v = base;
    if t.code(i) == code::NO && i != n - 1 && t.lex(i + 1).is_some() {
        v = 0.0;
        rules |= rule::NO_BEFORE_LEXICON_WORD;
    }
    if (i > 0 && t.code(i - 1) == code::NO)
        || (i > 1 && t.code(i - 2) == code::NO)
        || (i > 2 && t.code(i - 3) == code::NO && matches!(t.code(i - 1), code::OR | code::NOR))
    {
        v = base * N_SCALAR;
        rules |= rule::NEGATED;
    }
    if t.upper(i) && cap_diff {
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
        if t.lex(j).is_some() {
            continue;
        }
        let mut s = 0.0;
        let b = t.booster(j);
        if b != 0.0 {
            s = if v < 0.0 { -b } else { b };
            if t.upper(j) && cap_diff {
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
        v = negation_check(t, v, start_i, i, &mut rules);
        if start_i == 2 {
            v = special_idioms_check(t, v, i, &mut rules);
        }
    }
    v = least_check(t, v, i, &mut rules);
    (v, Trace { base, rules })
}

fn negation_check<V: View + ?Sized>(t: &V, v: f64, start_i: usize, i: usize, rules: &mut u32) -> f64 {
    let so_this = |c: u8| c == code::SO || c == code::THIS;
    match start_i {
        0 => {
            if t.neg(i - 1) {
                *rules |= rule::NEGATED;
                return v * N_SCALAR;
            }
        }
        1 => {
            if t.code(i - 2) == code::NEVER && so_this(t.code(i - 1)) {
                *rules |= rule::NEVER_SO;
                return v * 1.25;
            } else if t.code(i - 2) == code::WITHOUT && t.code(i - 1) == code::DOUBT {
                return v;
            } else if t.neg(i - 2) {
                *rules |= rule::NEGATED;
                return v * N_SCALAR;
            }
        }
        _ => {
            // Python: `a == "never" and (b in so/this) or (c in so/this)`; `and` binds
            // tighter, so "so"/"this" right before the word amplifies on its own here.
            if (t.code(i - 3) == code::NEVER && so_this(t.code(i - 2))) || so_this(t.code(i - 1)) {
                *rules |= rule::NEVER_SO;
                return v * 1.25;
            } else if t.code(i - 3) == code::WITHOUT && (t.code(i - 2) == code::DOUBT || t.code(i - 1) == code::DOUBT) {
                return v;
            } else if t.neg(i - 3) {
                *rules |= rule::NEGATED;
                return v * N_SCALAR;
            }
        }
    }
    v
}

fn special_idioms_check<V: View + ?Sized>(t: &V, mut v: f64, i: usize, rules: &mut u32) -> f64 {
    let n = t.count();
    let (w3, w2, w1, w0) = (t.code(i - 3), t.code(i - 2), t.code(i - 1), t.code(i));
    let found = special_bigram_code(w1, w0)
        .or_else(|| special_trigram_code(w2, w1, w0))
        .or_else(|| special_bigram_code(w2, w1))
        .or_else(|| special_trigram_code(w3, w2, w1))
        .or_else(|| special_bigram_code(w3, w2));
    if let Some(x) = found {
        v = x;
        *rules |= rule::SPECIAL_CASE;
    }
    if n - 1 > i {
        if let Some(x) = special_bigram_code(w0, t.code(i + 1)) {
            v = x;
            *rules |= rule::SPECIAL_CASE;
        }
    }
    if n - 1 > i + 1 {
        if let Some(x) = special_trigram_code(w0, t.code(i + 1), t.code(i + 2)) {
            v = x;
            *rules |= rule::SPECIAL_CASE;
        }
    }
    // The three-word n-gram can never be a booster; the two bigrams can.
    for (a, b) in [(w3, w2), (w2, w1)] {
        if let Some(x) = booster_bigram_code(a, b) {
            v += x;
            *rules |= rule::KIND_OF;
        }
    }
    v
}

fn least_check<V: View + ?Sized>(t: &V, v: f64, i: usize, rules: &mut u32) -> f64 {
    if i > 0 && t.lex(i - 1).is_none() && t.code(i - 1) == code::LEAST {
        if i > 1 {
            let w2 = t.code(i - 2);
            if w2 != code::AT && w2 != code::VERY {
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

/// Python's `_but_check` (`bi`: the first "but"), which walks the list and finds each value's
/// position with `list.index`, so a value equal to an earlier one changes the earlier one.
/// Zeros never change anything, so only the nonzero sentiments are passed: `vals[k]` is the
/// sentiment of token `pos[k]` (positions ascending). `mark(k, rule)` is told which rule
/// changed `vals[k]`.
fn but_check(pos: &[usize], vals: &mut [f64], bi: usize, mut mark: impl FnMut(usize, u32)) {
    if vals.len() > 64 {
        but_check_indexed(pos, vals, bi, mark);
        return;
    }
    for k in 0..vals.len() {
        let v = vals[k];
        let si = vals.iter().position(|&x| x == v).unwrap_or(k);
        if let Some(r) = apply_but(pos[si], bi, v, &mut vals[si]) {
            mark(si, r);
        }
    }
}

/// The same as the loop in [`but_check`], with an index from value to positions so that
/// hostile input stays n log n.
fn but_check_indexed(pos: &[usize], vals: &mut [f64], bi: usize, mut mark: impl FnMut(usize, u32)) {
    use std::collections::{BTreeSet, HashMap};
    let mut at: HashMap<u64, BTreeSet<usize>> = HashMap::new();
    for (k, v) in vals.iter().enumerate() {
        at.entry(v.to_bits()).or_default().insert(k);
    }
    for k in 0..vals.len() {
        let v = vals[k];
        let si = at.get(&v.to_bits()).and_then(|s| s.first().copied()).unwrap_or(k);
        let old = vals[si];
        if let Some(r) = apply_but(pos[si], bi, v, &mut vals[si]) {
            mark(si, r);
        }
        let new = vals[si];
        if new.to_bits() != old.to_bits() {
            if let Some(s) = at.get_mut(&old.to_bits()) {
                s.remove(&si);
            }
            at.entry(new.to_bits()).or_default().insert(si);
        }
    }
}

/// Halves a sentiment before "but" (at `bi`) and multiplies one after it by 1.5; returns
/// the rule applied.
#[inline]
fn apply_but(p: usize, bi: usize, v: f64, slot: &mut f64) -> Option<u32> {
    if p < bi {
        *slot = v * 0.5;
        Some(rule::BEFORE_BUT)
    } else if p > bi {
        *slot = v * 1.5;
        Some(rule::AFTER_BUT)
    } else {
        None
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

/// The unrounded scores of a list of sentiments.
pub fn raw_scores(sentiments: &[f64], ep: usize, qm: usize) -> Scores {
    if sentiments.is_empty() {
        return Scores::default();
    }
    let zeros = sentiments.iter().filter(|&&s| s == 0.0).count();
    raw_scores_of(sentiments.iter().copied().filter(|&s| s != 0.0), zeros, ep, qm)
}

/// VADER's `score_valence` without rounding, from the nonzero sentiments in order and the
/// number of zeros. Python sums every sentiment, but adding zero to a sum that starts at +0.0
/// changes nothing (the sum is never -0.0), so the sums are the same.
fn raw_scores_of(nonzero: impl Iterator<Item = f64>, zeros: usize, ep: usize, qm: usize) -> Scores {
    // One pass; each sum adds the same values in the same order as Python's loops.
    let (mut sum_s, mut pos_sum, mut neg_sum, mut count) = (0.0f64, 0.0f64, 0.0f64, 0usize);
    for s in nonzero {
        sum_s += s;
        count += 1;
        if s > 0.0 {
            pos_sum += s + 1.0;
        } else {
            neg_sum += s - 1.0;
        }
    }
    if count + zeros == 0 {
        return Scores::default();
    }
    let neu = zeros;
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

thread_local! {
    static ENGINE: RefCell<Engine> = RefCell::new(Engine::new());
}

/// vaderSentiment 3.3.2's `polarity_scores(text)`, using a per-thread [`Engine`].
pub fn polarity_scores(text: &str) -> Scores {
    ENGINE.with(|e| e.borrow_mut().scores(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts that exercise the tokenizer's every path: capitals, apostrophes, punctuation to
    /// strip or keep, Unicode and control whitespace, emoji, tokens across 64-byte blocks,
    /// long tokens, "but" with repeated values, and more nonzero sentiments than the linear
    /// "but" check takes.
    fn hostile_texts() -> Vec<String> {
        let mut texts: Vec<String> = [
            "",
            "   ",
            "The book was GOOD, but the movie was BAD!!",
            "DON'T love it. Don't hate it. DoN'T care?? ISN'T great",
            "not bad at all :) :-( (: 'ok' \"great\"...",
            "good\u{a0}bad\u{2003}happy\u{3000}sad\u{85}nice\u{1f}ugly\u{1c}fine\u{b}kind of good",
            "\u{1f600} I love it \u{1f622}\u{1f622} so sad\u{2764}",
            "CAF\u{c9} tr\u{e8}s BIEN \u{201c}angry,\u{201d} \u{2018}happy\u{2019} \u{39f}\u{3a3} wonderful\u{2026}",
            "x\u{0}good\u{7}bad \u{1}love",
            "the shit, the bomb, bad ass, yeah right, kiss of death, to die for, beating heart",
            "never so good, without doubt great, at least nice, very least bad, no good, no no bad",
            "sort of nice, kind of bad, just enough love, the kind of thing I hate",
            "heartbreakingly wonderful extraordinarily disappointing UNBELIEVABLY HORRIBLE",
        ]
        .map(String::from)
        .to_vec();
        for shift in 0..70 {
            texts.push(format!("{}Good BAD don't Terrible, LOVE!", " ".repeat(shift)));
            texts.push(format!("{}{} good", "a".repeat(shift), "É".repeat(shift % 5)));
        }
        // Pieces around `slant vader`'s window of 64 bytes, with punctuation to strip at
        // either end, "n't" inside and outside what stripping keeps, and pieces of punctuation
        // only.
        for len in 55..70 {
            texts.push(format!(
                "good {}!! \"{}\" ({}'n't) BAD",
                "x".repeat(len),
                "Y".repeat(len - 2),
                "z".repeat(len - 3)
            ));
            texts.push(format!("{}... ..{} not,good", "GREAT".repeat(len / 5), "?".repeat(len)));
        }
        texts.push("'n't' n't' ''n't ,,, !!! ?? ... a. ab. abc. .abc. ''ab'' 'DON'T' (can't) -ok- :-) :)) good".into());
        // Every key longer than twelve bytes, as written, in capitals, wrapped in punctuation
        // and with one middle byte changed (which the lookup's hash does not see).
        let lex = VaderLexicon::get();
        for (k, _) in lex.entries().filter(|(k, _)| k.len() > 12 && k.is_ascii()) {
            let mut other = k.as_bytes().to_vec();
            other[9] = if other[9] == b'q' { b'z' } else { b'q' };
            let other = String::from_utf8_lossy(&other).into_owned();
            texts.push(format!("not {k}, \"{}\" very {other}!", k.to_ascii_uppercase()));
        }
        texts.push(format!("{} good", "z".repeat(300)));
        texts.push(format!("{}!! good", "GREAT ".repeat(40)));
        texts.push(["good", "bad", "but", "love", "hate"].repeat(60).join(" "));
        texts.push("not ".repeat(500) + "good");
        texts
    }

    #[test]
    fn emoji_are_found_through_the_masks_as_by_every_character() {
        let lex = VaderLexicon::get();
        let mut texts = hostile_texts();
        for shift in 0..140 {
            for c in ['\u{1f600}', '\u{2764}', '\u{e9}', '\u{201c}', '\u{263a}', 'x'] {
                texts.push(format!("{}{c}{}", "a".repeat(shift), "\u{2019}".repeat(shift % 3)));
            }
        }
        let mut m = scan::Masks::default();
        for t in &texts {
            m.build(t);
            assert_eq!(has_emoji(t, &m), t.chars().any(|c| lex.emoji(c).is_some()), "{t:?}");
        }
    }

    #[test]
    fn rule_words_around_lexicon_words_score_alike_on_both_paths() {
        // Every rule's words (the coded function words, negations, boosters and dampeners)
        // in pseudo-random runs with lexicon words and plain ones, so that each rule meets the
        // shortcut for words no rule touches (`plain_valence`) at every distance.
        let mut pool: Vec<&str> = super::words::CODED.iter().map(|(w, _)| *w).collect();
        pool.extend(["not", "don't", "very", "kinda", "SO", "good", "bad", "GREAT", "table", "heart", "but"]);
        let (mut lite, mut full) = (Engine::new(), Engine::new());
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..4000 {
            let mut words = Vec::new();
            for _ in 0..7 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                words.push(pool[(x % pool.len() as u64) as usize]);
            }
            let t = words.join(" ");
            assert_eq!(format!("{:?}", lite.scores(&t)), format!("{:?}", full.polarity_scores(&t)), "{t:?}");
        }
    }

    #[test]
    fn the_scores_of_lite_tokens_equal_those_of_full_tokens() {
        // `slant vader`'s path (`scores`, `polarity_json`) against the analyzer's (`prepare`
        // and `score` on `Tok`s), on VADER's ground-truth texts and the hostile ones.
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/vader");
        let mut texts = hostile_texts();
        for name in ["tweets", "movieReviewSnippets", "amazonReviewSnippets"] {
            let Ok(bytes) = std::fs::read(format!("{dir}/{name}_GroundTruth.txt")) else { continue };
            for line in String::from_utf8_lossy(&bytes).lines() {
                texts.push(line.splitn(3, '\t').nth(2).unwrap_or(line).to_string());
            }
        }
        assert!(texts.len() > 18_000, "the ground-truth texts are read");
        let (mut lite, mut full) = (Engine::new(), Engine::new());
        let (mut json, mut want) = (Vec::new(), Vec::new());
        for t in &texts {
            let got = lite.scores(t);
            let expected = full.polarity_scores(t);
            assert_eq!(format!("{got:?}"), format!("{expected:?}"), "{t:?}");
            json.clear();
            want.clear();
            lite.polarity_json(t, &mut json);
            expected.write_json_bytes(&mut want);
            assert_eq!(String::from_utf8_lossy(&json), String::from_utf8_lossy(&want), "{t:?}");
            // The full path still serves explanations after the lite one ran.
            let pieces = full.clean_text(t).split(pystr::is_py_space).filter(|w| !w.is_empty()).count();
            assert_eq!(full.tokens().len(), pieces, "{t:?}");
        }
    }
}
