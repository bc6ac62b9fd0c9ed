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
pub mod words;

use std::cell::RefCell;

use lexicon::{
    booster_bigram_code, code, special_bigram_code, special_trigram_code, Entry, VaderLexicon, C_INCR, N_SCALAR,
};
use pystr::{is_py_space, places_into, push_lower, py_isupper, py_round, round_units, write_py_float, write_units};

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

/// Byte classes of ASCII text, for the tokenizer.
mod class {
    /// Python's whitespace (`str.split()`): space, `\t` to `\r`, and U+001C to U+001F.
    pub const SPACE: u8 = 1;
    /// `string.punctuation`.
    pub const PUNCT: u8 = 2;
    pub const UPPER: u8 = 4;
    pub const LOWER: u8 = 8;
    pub const APOSTROPHE: u8 = 16;
    /// A byte of a non-ASCII character.
    pub const NON_ASCII: u8 = 64;
    /// The first byte of a character that may be Unicode whitespace (U+0085, U+00A0,
    /// U+1680, U+2000 to U+205F, U+3000).
    pub const USPACE: u8 = 128;
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;
const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// The high bit of each ASCII byte of `w` that is at least `n` (1 to 0x80).
#[inline(always)]
fn ge(w: u64, n: u8) -> u64 {
    ((w & LOW7) + ONES * (0x80 - n as u64)) & !w & HIGH
}

/// The high bit of each ASCII byte of `w` below `n` (1 to 0x80).
#[inline(always)]
fn lt(w: u64, n: u8) -> u64 {
    !((w & LOW7) + ONES * (0x80 - n as u64)) & !w & HIGH
}

/// The high bit of each byte of `w` equal to the ASCII byte `c`.
#[inline(always)]
fn eq(w: u64, c: u8) -> u64 {
    lt(w ^ (ONES * c as u64), 1)
}

/// Eight bytes from `b[i]` as a little-endian word, zero-padded past the end.
#[inline(always)]
fn load8(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    if i + 8 <= b.len() {
        w.copy_from_slice(&b[i..i + 8]);
    } else {
        w[..b.len() - i].copy_from_slice(&b[i..]);
    }
    u64::from_le_bytes(w)
}

/// Scans the piece of text that starts at `b[start]` (not whitespace) up to the next Python
/// whitespace or the end. Returns its end, its [`class`] bits (case, non-ASCII, an apostrophe
/// if `apostrophes` says the text has any, punctuation if the piece starts or ends with it),
/// and its first eight bytes ASCII-lowercased. Eight bytes at a time: the bytes before the
/// first one that is at most 0x20 or not ASCII are all word characters.
#[inline(always)]
fn scan_piece(b: &[u8], start: usize, apostrophes: bool) -> (usize, u8, u64) {
    let n = b.len();
    let mut pos = start;
    let mut cls = 0u8;
    let mut first = None;
    loop {
        let w = load8(b, pos);
        let special = lt(w, 0x21) | (w & HIGH);
        // The high bits of the bytes before the first special one.
        let before = if special == 0 { HIGH } else { ((special & special.wrapping_neg()) - 1) & HIGH };
        let upper = ge(w, b'A') & lt(w, b'Z' + 1);
        if first.is_none() {
            // Setting 0x20 lowercases an ASCII capital.
            first = Some(w | (upper >> 2));
        }
        if upper & before != 0 {
            cls |= class::UPPER;
        }
        if ge(w, b'a') & lt(w, b'z' + 1) & before != 0 {
            cls |= class::LOWER;
        }
        if apostrophes && eq(w, b'\'') & before != 0 {
            cls |= class::APOSTROPHE;
        }
        if special == 0 {
            pos += 8;
            continue;
        }
        pos += (special.trailing_zeros() / 8) as usize;
        if pos >= n {
            pos = n;
            break;
        }
        let c = b[pos];
        let k = CLASS[c as usize];
        if k & class::SPACE != 0 || (k & class::USPACE != 0 && unicode_space_at(b, pos) > 0) {
            break;
        }
        // A control character that is not whitespace, or a non-ASCII character (whose
        // continuation bytes are never whitespace).
        cls |= k & class::NON_ASCII;
        pos += match c {
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xff => 4,
            _ => 1,
        };
        pos = pos.min(n);
    }
    if (CLASS[b[start] as usize] | CLASS[b[pos - 1] as usize]) & class::PUNCT != 0 {
        cls |= class::PUNCT;
    }
    (pos, cls, first.unwrap_or(0))
}

/// The length of the Unicode whitespace character (not ASCII) starting at `b[i]`, or 0.
#[inline(never)]
fn unicode_space_at(b: &[u8], i: usize) -> usize {
    let c = match b[i] {
        0xc2 => b.get(i + 1).map(|&x| 0x80 | (x as u32 & 0x3f)),
        0xe1..=0xe3 => match (b.get(i + 1), b.get(i + 2)) {
            (Some(&x), Some(&y)) => Some(((b[i] as u32 & 0x0f) << 12) | ((x as u32 & 0x3f) << 6) | (y as u32 & 0x3f)),
            _ => None,
        },
        _ => None,
    };
    match c.and_then(char::from_u32) {
        Some(c) if is_py_space(c) => c.len_utf8(),
        _ => 0,
    }
}

/// How many `'`, `!` and `?` bytes `b` has, in one pass. Per-chunk byte counters (a chunk is
/// shorter than 256 bytes, so they cannot overflow) let the compiler count 16 or 32 bytes per
/// instruction.
fn count_marks(b: &[u8]) -> (usize, usize, usize) {
    let (mut ap, mut ep, mut qm) = (0usize, 0usize, 0usize);
    for chunk in b.chunks(128) {
        let (mut a, mut e, mut q) = (0u8, 0u8, 0u8);
        for &c in chunk {
            a += (c == b'\'') as u8;
            e += (c == b'!') as u8;
            q += (c == b'?') as u8;
        }
        ap += a as usize;
        ep += e as usize;
        qm += q as usize;
    }
    (ap, ep, qm)
}

/// Whether a text has a character of VADER's emoji lexicon (eight bytes at a time over
/// ASCII).
fn has_emoji(text: &str) -> bool {
    let lex = VaderLexicon::get();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if i + 8 <= b.len() {
            let mut w = [0u8; 8];
            w.copy_from_slice(&b[i..i + 8]);
            if u64::from_le_bytes(w) & 0x8080_8080_8080_8080 == 0 {
                i += 8;
                continue;
            }
        }
        if b[i] < 0x80 {
            i += 1;
            continue;
        }
        // `i` is at the start of a character: ASCII bytes are whole characters.
        let Some(c) = text[i..].chars().next() else { break };
        if lex.emoji(c).is_some() {
            return true;
        }
        i += c.len_utf8();
    }
    false
}

/// The [`class`] bits of every byte.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 128;
    while i < 256 {
        t[i] = class::NON_ASCII;
        if matches!(i, 0xc2 | 0xe1 | 0xe2 | 0xe3) {
            t[i] |= class::USPACE;
        }
        i += 1;
    }
    let mut i = 0;
    while i < 128 {
        let c = i as u8;
        let mut k = 0;
        if matches!(c, b' ' | b'\t'..=b'\r' | 0x1c..=0x1f) {
            k |= class::SPACE;
        }
        if c.is_ascii_punctuation() {
            k |= class::PUNCT;
        }
        if c.is_ascii_uppercase() {
            k |= class::UPPER;
        }
        if c.is_ascii_lowercase() {
            k |= class::LOWER;
        }
        if c == b'\'' {
            k |= class::APOSTROPHE;
        }
        t[i] = k;
        i += 1;
    }
    t
};

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

    /// [`Engine::polarity_scores`] written onto `out` as [`Scores::write_json_bytes`] writes
    /// it (what `slant vader` prints), with each score rounded to an integer number of
    /// thousandths (ten-thousandths for `compound`) and printed from that integer, rather
    /// than rounded to a float and converted back. Scores whose rounding needs the exact
    /// decimal expansion take the general path.
    pub fn polarity_json(&mut self, text: &str, out: &mut Vec<u8>) {
        self.prepare(text);
        let raw = self.score_unrounded(text);
        if !self.sentiments.is_empty() {
            if let (Some(neg), Some(neu), Some(pos), Some(compound)) = (
                round_units::<3>(raw.neg),
                round_units::<3>(raw.neu),
                round_units::<3>(raw.pos),
                round_units::<4>(raw.compound),
            ) {
                out.extend_from_slice(b"{\"neg\": ");
                write_units::<3>(neg, out);
                out.extend_from_slice(b", \"neu\": ");
                write_units::<3>(neu, out);
                out.extend_from_slice(b", \"pos\": ");
                write_units::<3>(pos, out);
                out.extend_from_slice(b", \"compound\": ");
                write_units::<4>(compound, out);
                out.push(b'}');
                return;
            }
        }
        let scores = if self.sentiments.is_empty() {
            Scores::default()
        } else {
            Scores {
                neg: py_round(raw.neg, 3),
                neu: py_round(raw.neu, 3),
                pos: py_round(raw.pos, 3),
                compound: py_round(raw.compound, 4),
            }
        };
        scores.write_json_bytes(out);
    }

    /// Step 1 and 2: emoji substitution, tokenizing and the lexicon lookup. After this,
    /// callers (the news tone) may change [`Engine::tokens_mut`] before [`Engine::score`].
    pub fn prepare(&mut self, text: &str) {
        self.substituted = false;
        self.words.clear();
        self.first_but = usize::MAX;
        self.words_fresh = true;
        self.last_raw = None;
        self.edited = false;
        self.toks.clear();
        self.lower.clear();
        self.upper = 0;
        if text.is_ascii() || !has_emoji(text) {
            self.tokenize(text);
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
        self.tokenize(&clean);
        self.clean = clean;
    }

    /// Tokenizes the cleaned text: Python's `split()` (its whitespace), VADER's
    /// `_strip_punc_if_word`, `lower()` and `isupper()`, and the lookup. The ASCII letters of
    /// the whole text are lowercased at once, so an ASCII token's lowercase form is at its own
    /// position in the buffer; tokens with other characters get theirs appended. One pass
    /// over each token's bytes splits and classifies it (case, punctuation, apostrophe).
    /// (Python strips the text before splitting it; splitting ignores outer whitespace
    /// anyway, so the pieces are the same.)
    fn tokenize(&mut self, text: &str) {
        self.lower.push_str(text);
        self.lower.make_ascii_lowercase();
        let b = text.as_bytes();
        let n = b.len();
        // Most texts have no apostrophe, and then no token needs the "n't" test. The marks
        // that punctuation emphasis counts are counted in the same pass.
        let (apostrophes, ep, qm) = count_marks(b);
        self.marks = (ep, qm);
        let apostrophes = apostrophes > 0;
        let mut pos = 0;
        loop {
            while pos < n {
                let c = CLASS[b[pos] as usize];
                if c & class::SPACE != 0 {
                    pos += 1;
                } else if c & class::USPACE != 0 && unicode_space_at(b, pos) > 0 {
                    pos += unicode_space_at(b, pos);
                } else {
                    break;
                }
            }
            if pos >= n {
                break;
            }
            let piece_start = pos;
            let (cls, word);
            (pos, cls, word) = scan_piece(b, pos, apostrophes);
            // VADER's `_strip_punc_if_word`: ASCII punctuation is one byte, so strip bytes,
            // but count characters as Python's `len` does.
            let (mut s, mut e) = (piece_start, pos);
            if cls & class::PUNCT != 0 {
                while s < e && CLASS[b[s] as usize] & class::PUNCT != 0 {
                    s += 1;
                }
                while e > s && CLASS[b[e - 1] as usize] & class::PUNCT != 0 {
                    e -= 1;
                }
                if e - s <= 2 || (cls & class::NON_ASCII != 0 && text[s..e].chars().nth(2).is_none()) {
                    (s, e) = (piece_start, pos);
                }
            }
            let (upper, low) = if cls & class::NON_ASCII == 0 {
                // Punctuation has no case, so the piece's classes give the token's `isupper`.
                (cls & class::UPPER != 0 && cls & class::LOWER == 0, (s, e))
            } else {
                let lo = self.lower.len();
                push_lower(&text[s..e], &mut self.lower);
                (py_isupper(&text[s..e]), (lo, self.lower.len()))
            };
            self.upper += upper as usize;
            let lb = &self.lower.as_bytes()[low.0..low.1];
            let nt = cls & (class::APOSTROPHE | class::NON_ASCII) != 0 && has_nt(&self.lower[low.0..low.1]);
            let first = if s == piece_start && e - s <= 8 && cls & class::NON_ASCII == 0 {
                // The scanned word, lowercased, cut to the token.
                word & (u64::MAX >> (64 - 8 * (e - s)))
            } else {
                hash::prefix(lb)
            };
            let tok = match lexicon::lookup(lb, first) {
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
            };
            // The tokens that can score and the first "but", listed here while the entry is
            // at hand so that scoring need not walk every token again.
            if tok.lex.is_some() && tok.booster == 0.0 {
                self.words.push(self.toks.len());
            }
            if tok.code == code::BUT && self.first_but == usize::MAX {
                self.first_but = self.toks.len();
            }
            self.toks.push(tok);
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
            (sentiments[i], traces[i]) = self.valence_at(i, cap_diff);
        }
        // From here on only the nonzero sentiments matter (zeros change no sum).
        scoring.retain(|&i| sentiments[i] != 0.0);
        self.sentiments = sentiments;
        self.traces = traces;
        self.nonzero = scoring;
        if but != usize::MAX {
            self.but_check(but);
        }
        let (ep, qm) = self.marks;
        let nonzero = self.nonzero.iter().map(|&i| self.sentiments[i]);
        let raw = raw_scores_of(nonzero, n - self.nonzero.len(), ep, qm);
        self.last_raw = Some(raw);
        raw
    }

    #[inline]
    fn code(&self, i: usize) -> u8 {
        self.toks[i].code
    }

    fn valence_at(&self, i: usize, cap_diff: bool) -> (f64, Trace) {
        let n = self.toks.len();
        let t = &self.toks[i];
        let pre = t.pre_rules;
        if t.booster != 0.0 {
            return (0.0, Trace { base: 0.0, rules: pre });
        }
        if i + 1 < n && t.code == code::KIND && self.code(i + 1) == code::OF {
            return (0.0, Trace { base: 0.0, rules: pre });
        }
        let Some(base) = t.lex else {
            return (0.0, Trace { base: 0.0, rules: pre });
        };
        let mut rules = rule::LEXICON | pre;
        let mut v = base;
        if t.code == code::NO && i != n - 1 && self.toks[i + 1].lex.is_some() {
            v = 0.0;
            rules |= rule::NO_BEFORE_LEXICON_WORD;
        }
        if (i > 0 && self.code(i - 1) == code::NO)
            || (i > 1 && self.code(i - 2) == code::NO)
            || (i > 2 && self.code(i - 3) == code::NO && matches!(self.code(i - 1), code::OR | code::NOR))
        {
            v = base * N_SCALAR;
            rules |= rule::NEGATED;
        }
        if t.upper && cap_diff {
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
            let b = self.toks[j].booster;
            if b != 0.0 {
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
        let so_this = |c: u8| c == code::SO || c == code::THIS;
        match start_i {
            0 => {
                if self.toks[i - 1].neg {
                    *rules |= rule::NEGATED;
                    return v * N_SCALAR;
                }
            }
            1 => {
                if self.code(i - 2) == code::NEVER && so_this(self.code(i - 1)) {
                    *rules |= rule::NEVER_SO;
                    return v * 1.25;
                } else if self.code(i - 2) == code::WITHOUT && self.code(i - 1) == code::DOUBT {
                    return v;
                } else if self.toks[i - 2].neg {
                    *rules |= rule::NEGATED;
                    return v * N_SCALAR;
                }
            }
            _ => {
                // Python: `a == "never" and (b in so/this) or (c in so/this)`; `and` binds
                // tighter, so "so"/"this" right before the word amplifies on its own here.
                if (self.code(i - 3) == code::NEVER && so_this(self.code(i - 2))) || so_this(self.code(i - 1)) {
                    *rules |= rule::NEVER_SO;
                    return v * 1.25;
                } else if self.code(i - 3) == code::WITHOUT
                    && (self.code(i - 2) == code::DOUBT || self.code(i - 1) == code::DOUBT)
                {
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
        let (w3, w2, w1, w0) = (self.code(i - 3), self.code(i - 2), self.code(i - 1), self.code(i));
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
            if let Some(x) = special_bigram_code(w0, self.code(i + 1)) {
                v = x;
                *rules |= rule::SPECIAL_CASE;
            }
        }
        if n - 1 > i + 1 {
            if let Some(x) = special_trigram_code(w0, self.code(i + 1), self.code(i + 2)) {
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

    fn least_check(&self, v: f64, i: usize, rules: &mut u32) -> f64 {
        if i > 0 && self.toks[i - 1].lex.is_none() && self.code(i - 1) == code::LEAST {
            if i > 1 {
                let w2 = self.code(i - 2);
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

    /// Python's `_but_check` (`bi`: the first "but"), which walks the list and finds each
    /// value's position with `list.index`, so a value equal to an earlier one changes the
    /// earlier one. Zeros never change anything, so only nonzero positions are tracked.
    fn but_check(&mut self, bi: usize) {
        // `self.nonzero` lists the nonzero positions, in order.
        if self.nonzero.len() <= 64 {
            for idx in 0..self.nonzero.len() {
                let k = self.nonzero[idx];
                let v = self.sentiments[k];
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
        for idx in 0..self.nonzero.len() {
            let k = self.nonzero[idx];
            let v = self.sentiments[k];
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
    ENGINE.with(|e| e.borrow_mut().polarity_scores(text))
}
