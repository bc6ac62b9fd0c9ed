//! VADER's word lists, baked in at build time: the valence lexicon and the emoji descriptions
//! (from the `vader_sentiment` crate, corrected to vaderSentiment 3.3.2), merged with the
//! boosters, negations and coded function words of [`super::words`] into one static
//! perfect-hash table (`build.rs` writes it; see `hash.rs`), so that nothing is parsed
//! at start-up and a token's every property is found with one lookup and no allocation.

use super::hash;
pub use super::words::{code, BOOSTERS_DOWN, BOOSTERS_UP, B_DECR, B_INCR, NEGATE};

pub const C_INCR: f64 = 0.733;
pub const N_SCALAR: f64 = -0.74;

/// One slot of the generated table (length 0: empty).
pub struct Slot {
    /// The key's [`hash::key_words`].
    lo: u64,
    hi: u64,
    /// The valence in hundredths (bits 0 to 15, as an `i16`: every VADER valence has at most
    /// two decimals; `build.rs` checks that dividing by 100 gives back the same float), the
    /// key's [`code`] (bits 16 to 23), flags (bits 24 to 27: 1 has a valence, 2 in `NEGATE`,
    /// 4 a booster, 8 a dampener), length (bits 32 to 39) and news id (bits 40 to 55: 1 + the
    /// index of the token in [`NEWS_KEYS`], 0 for none). The low 32 bits are laid out as
    /// `slant vader`'s per-token record, so that the tokenizer copies them as they are.
    meta: u64,
}

const EMPTY: Slot = Slot { lo: 0, hi: 0, meta: 0 };

include!(concat!(env!("OUT_DIR"), "/vader_table.rs"));

/// VADER's lookup tables (static; the type keeps the interface of a loaded lexicon).
pub struct VaderLexicon {
    _private: (),
}

/// What VADER knows about one lowercased token, found with one lookup.
#[derive(Debug, Clone, Copy, Default)]
pub struct Entry {
    pub valence: Option<f64>,
    pub booster: Option<f64>,
    /// In `NEGATE` (words containing "n't" negate too, without an entry).
    pub neg: bool,
    /// The word's [`code`] ([`code::OTHER`] for words the rules do not name).
    pub code: u8,
    /// The token's news id (see [`Slot::news`]).
    pub news: u16,
}

impl Slot {
    #[inline(always)]
    fn flags(&self) -> u32 {
        ((self.meta >> 24) & 15) as u32
    }

    #[inline(always)]
    fn len(&self) -> usize {
        ((self.meta >> 32) & 0xff) as usize
    }

    /// 1 + the token's index in [`NEWS_KEYS`], 0 if the news lexicon has no entry for it.
    #[inline(always)]
    pub fn news(&self) -> u16 {
        (self.meta >> 40) as u16
    }

    /// The valence, if the word has one.
    #[inline(always)]
    pub fn valence(&self) -> Option<f64> {
        if self.flags() & 1 != 0 {
            Some(self.hundredths() as f64 / 100.0)
        } else {
            None
        }
    }

    /// The booster scalar, 0 for a word that is not a booster.
    #[inline(always)]
    pub fn booster(&self) -> f64 {
        match self.flags() & 12 {
            4 => B_INCR,
            8 => B_DECR,
            _ => 0.0,
        }
    }

    /// The valence in hundredths (0 for a word without one).
    #[inline(always)]
    pub(crate) fn hundredths(&self) -> i16 {
        self.meta as u16 as i16
    }

    /// In `NEGATE`.
    #[inline(always)]
    pub fn neg(&self) -> bool {
        self.flags() & 2 != 0
    }

    #[inline(always)]
    pub fn code(&self) -> u8 {
        (self.meta >> 16) as u8
    }

    #[inline(always)]
    fn entry(&self) -> Entry {
        let b = self.booster();
        Entry {
            valence: self.valence(),
            booster: if b != 0.0 { Some(b) } else { None },
            neg: self.neg(),
            code: self.code(),
            news: self.news(),
        }
    }

    /// The packed properties (see the field's documentation).
    #[inline(always)]
    pub(crate) fn meta(&self) -> u64 {
        self.meta
    }

    fn key(&self) -> &'static str {
        let i = (self as *const Slot as usize - TABLE.as_ptr() as usize) / std::mem::size_of::<Slot>();
        let off = OFFS[i] as usize;
        &KEYS[off..off + self.len()]
    }
}

static LEXICON: VaderLexicon = VaderLexicon { _private: () };

impl VaderLexicon {
    #[inline(always)]
    pub fn get() -> &'static VaderLexicon {
        &LEXICON
    }

    /// The valence of a lowercased token, if VADER's lexicon has it.
    #[inline]
    pub fn valence(&self, lower: &str) -> Option<f64> {
        self.entry(lower).and_then(|e| e.valence)
    }

    /// Everything VADER knows about a lowercased token.
    #[inline]
    pub fn entry(&self, lower: &str) -> Option<Entry> {
        lookup(lower.as_bytes()).map(Slot::entry)
    }

    /// The description VADER substitutes for an emoji character.
    #[inline]
    pub fn emoji(&self, c: char) -> Option<&'static str> {
        let u = c as usize;
        if u < 0x10000 && EMOJI_BMP[u / 64] & (1 << (u % 64)) == 0 {
            return None;
        }
        let i = EMOJI.binary_search_by_key(&(c as u32), |e| e.0).ok()?;
        let (_, off, len) = EMOJI[i];
        Some(&EMOJI_TEXT[off as usize..(off + len) as usize])
    }

    /// Every lexicon entry (for the parity check against Python).
    pub fn entries(&self) -> impl Iterator<Item = (&str, f64)> {
        TABLE.iter().filter(|s| s.len() > 0).filter_map(|s| Some((s.key(), s.valence()?)))
    }

    /// The news lexicon's keys, in news-id order (id 1 is the first).
    pub fn news_keys(&self) -> &'static [&'static str] {
        &NEWS_KEYS
    }

    /// Every single-character emoji and its description (for the parity check).
    pub fn emoji_entries(&self) -> impl Iterator<Item = (char, &'static str)> + '_ {
        EMOJI
            .iter()
            .filter_map(|&(c, off, len)| Some((char::from_u32(c)?, &EMOJI_TEXT[off as usize..(off + len) as usize])))
    }
}

/// Looks up a lowercased token.
#[inline(always)]
pub fn lookup(b: &[u8]) -> Option<&'static Slot> {
    let (lo, hi) = hash::key_words(b);
    lookup_words::<false>(b, lo, hi)
}

/// [`lookup`] of an ASCII token as written, whose [`hash::key_words`] lowercased are `lo`
/// and `hi`: a key longer than sixteen bytes compares its middle bytes with the token's as
/// their lowercase, without a lowercased copy of the token.
#[inline(always)]
pub fn lookup_ascii(b: &[u8], lo: u64, hi: u64) -> Option<&'static Slot> {
    lookup_words::<true>(b, lo, hi)
}

/// The slot a token of `len` bytes whose [`hash::key_words`] are `lo` and `hi` would sit in
/// if it were a key, and whether it is that slot's key as far as those words tell (the whole
/// key up to sixteen bytes). The pilot and the slot are loaded and compared without a branch.
#[inline(always)]
pub fn probe(lo: u64, hi: u64, len: usize) -> (&'static Slot, bool) {
    let h = hash::hash(lo, hi, len);
    let e = &TABLE[hash::place(h, PILOTS[hash::bucket(h)])];
    let same = (e.lo ^ lo) | (e.hi ^ hi) | (((e.meta >> 32) & 0xff) ^ len as u64);
    (e, same == 0)
}

/// The packed properties ([`Slot::meta`]) of the lowercased token of `len` bytes whose
/// [`hash::key_words`] are `lo` and `hi`, or 0 (no valence, no flags, code [`code::OTHER`]) if
/// it is not a key. No branch depends on whether it is, except for a token longer than sixteen
/// bytes whose first and last eight bytes are a key's: only then is `bytes` called, for the
/// token's bytes, to compare the middle ones.
#[inline(always)]
pub(crate) fn meta_with<'a>(lo: u64, hi: u64, len: usize, bytes: impl FnOnce() -> &'a [u8]) -> u64 {
    let (e, mut same) = probe(lo, hi, len);
    if same && len > 16 {
        same = middle_equal::<false>(e.key(), bytes());
    }
    e.meta & 0u64.wrapping_sub(same as u64)
}

/// [`lookup`] (`FOLD`: [`lookup_ascii`]).
#[inline(always)]
fn lookup_words<const FOLD: bool>(b: &[u8], lo: u64, hi: u64) -> Option<&'static Slot> {
    let (e, same) = probe(lo, hi, b.len());
    // Empty slots have length 0 and tokens never do; the middle of a key longer than sixteen
    // bytes is compared apart (few keys are).
    if same && (b.len() <= 16 || middle_equal::<FOLD>(e.key(), b)) {
        Some(e)
    } else {
        None
    }
}

/// Whether a key and a token of the same length agree from the ninth byte on (`FOLD`: with
/// the token's ASCII capitals read as lowercase; keys are lowercase).
#[cold]
fn middle_equal<const FOLD: bool>(key: &str, b: &[u8]) -> bool {
    let key = &key.as_bytes()[8..];
    if FOLD {
        key.iter().zip(&b[8..]).all(|(k, c)| *k == c.to_ascii_lowercase())
    } else {
        *key == b[8..]
    }
}

/// Eight bytes with their ASCII capitals lowercased (setting 0x20 lowercases a capital).
#[inline(always)]
pub fn lower8(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    // The high bit of each ASCII byte from 'A' and of each below 'Z' + 1.
    let ge_a = ((w & LOW7) + ONES * (0x80 - b'A' as u64)) & !w & HIGH;
    let lt_z = !((w & LOW7) + ONES * (0x80 - (b'Z' + 1) as u64)) & !w & HIGH;
    w | ((ge_a & lt_z) >> 2)
}

/// The scalar of a booster or dampener word.
#[inline]
pub fn booster(w: &str) -> Option<f64> {
    VaderLexicon::get().entry(w).and_then(|e| e.booster)
}

/// The two-word entries of `BOOSTER_DICT` ("just enough", "kind of", "sort of").
pub fn booster_bigram(a: &str, b: &str) -> Option<f64> {
    match (a, b) {
        ("just", "enough") | ("kind", "of") | ("sort", "of") => Some(B_DECR),
        _ => None,
    }
}

/// [`booster_bigram`] on word codes.
#[inline]
pub fn booster_bigram_code(a: u8, b: u8) -> Option<f64> {
    match (a, b) {
        (code::JUST, code::ENOUGH) | (code::KIND, code::OF) | (code::SORT, code::OF) => Some(B_DECR),
        _ => None,
    }
}

/// Whether a lowercased token negates: in `NEGATE`, or containing "n't".
#[inline]
pub fn is_negation(w: &str) -> bool {
    VaderLexicon::get().entry(w).is_some_and(|e| e.neg) || (w.as_bytes().contains(&b'\'') && w.contains("n't"))
}

/// VADER's two-word `SPECIAL_CASES` (the one-word `badass` can never match an n-gram).
pub fn special_bigram(a: &str, b: &str) -> Option<f64> {
    let c = |w: &str| VaderLexicon::get().entry(w).map_or(code::OTHER, |e| e.code);
    special_bigram_code(c(a), c(b))
}

/// VADER's three-word `SPECIAL_CASES`.
pub fn special_trigram(a: &str, b: &str, c: &str) -> Option<f64> {
    let k = |w: &str| VaderLexicon::get().entry(w).map_or(code::OTHER, |e| e.code);
    special_trigram_code(k(a), k(b), k(c))
}

/// [`special_bigram`] on word codes.
#[inline]
pub fn special_bigram_code(a: u8, b: u8) -> Option<f64> {
    use code::*;
    Some(match (a, b) {
        (THE, SHIT) | (THE, BOMB) => 3.0,
        (BAD, ASS) => 1.5,
        (BUS, STOP) => 0.0,
        (YEAH, RIGHT) => -2.0,
        (BEATING, HEART) => 3.5,
        _ => return None,
    })
}

/// [`special_trigram`] on word codes.
#[inline]
pub fn special_trigram_code(a: u8, b: u8, c: u8) -> Option<f64> {
    use code::*;
    Some(match (a, b, c) {
        (KISS, OF, DEATH) => -1.5,
        (TO, DIE, FOR) => 3.0,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_key_is_found_and_others_are_not() {
        let lex = VaderLexicon::get();
        for e in TABLE.iter().filter(|s| s.len() > 0) {
            let got = lex.entry(e.key()).expect("a key of the table");
            assert_eq!(got.code, e.code(), "{}", e.key());
        }
        assert!(lex.entries().count() > 7000);
        for w in ["", "q", "zzzzzzzzzzzzzzzzzzzz", "goodgood", "GOOD", "abandonedx"] {
            assert!(lex.entry(w).is_none(), "{w}");
        }
        assert_eq!(lex.valence("good"), Some(1.9));
        assert_eq!(lex.valence("heart"), Some(3.2), "3.3.2's value");
        assert_eq!(lex.valence(":p"), Some(1.0), "3.3.2's lowercase entry");
        assert!(lex.entry(":-\u{fe}").is_none(), "unreachable in Python");
        assert_eq!(booster("very"), Some(B_INCR));
        assert_eq!(booster("kind-of"), Some(B_DECR));
        assert!(is_negation("never") && is_negation("shouldn't") && !is_negation("good"));
        assert_eq!(special_bigram("the", "bomb"), Some(3.0));
        assert_eq!(special_trigram("kiss", "of", "death"), Some(-1.5));
        assert_eq!(booster_bigram("sort", "of"), Some(B_DECR));
        // A token as written finds what its lowercase form finds, at every length.
        for w in
            ["good", "GOOD", "Disappointed", "DISAPPOINTMENTS", "heartbreakingly", "HeartBreakingLY", "zzzzzzzzzzzz"]
        {
            let low = w.to_ascii_lowercase();
            let (lo, hi) = hash::key_words(w.as_bytes());
            let want = lex.entry(&low).map(|e| e.code);
            assert_eq!(lookup_ascii(w.as_bytes(), lower8(lo), lower8(hi)).map(|e| e.code()), want, "{w}");
            assert_eq!(lookup_ascii(w.as_bytes(), lower8(lo), lower8(hi)).is_some(), lookup(low.as_bytes()).is_some());
        }
        // Keys longer than sixteen bytes are found, as written too, and a token that differs
        // from one only in its middle bytes (which the hash does not see) is not.
        let long: Vec<&str> = TABLE.iter().filter(|s| s.len() > 16).map(|s| s.key()).collect();
        assert!(!long.is_empty());
        for k in long {
            assert!(lex.entry(k).is_some(), "{k}");
            let up = k.to_ascii_uppercase();
            let (lo, hi) = hash::key_words(up.as_bytes());
            assert!(lookup_ascii(up.as_bytes(), lower8(lo), lower8(hi)).is_some(), "{up}");
            for i in 8..k.len() - 8 {
                let mut other = k.as_bytes().to_vec();
                other[i] = if other[i] == b'q' { b'z' } else { b'q' };
                let other = String::from_utf8(other).unwrap();
                assert!(lex.entry(&other).is_none(), "{other}");
                let (lo, hi) = hash::key_words(other.as_bytes());
                assert!(lookup_ascii(other.as_bytes(), lo, hi).is_none(), "{other}");
            }
        }
        for (w, c) in super::super::words::CODED {
            assert_eq!(lex.entry(w).map(|e| e.code), Some(*c), "{w}");
        }
    }

    #[test]
    fn emoji_descriptions_are_found_by_code_point() {
        let lex = VaderLexicon::get();
        assert!(lex.emoji('\u{1f600}').is_some_and(|d| d.contains("grinning")));
        assert!(lex.emoji('a').is_none() && lex.emoji('\u{e9}').is_none());
        assert_eq!(lex.emoji_entries().count(), EMOJI.len());
    }
}
