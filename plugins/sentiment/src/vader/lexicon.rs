//! VADER's word lists, baked in at build time: the valence lexicon and the emoji descriptions
//! (from the `vader_sentiment` crate, corrected to vaderSentiment 3.3.2), merged with the
//! boosters, negations and coded function words of [`super::words`] into one static
//! open-addressing table (`build.rs` writes it), so that nothing is parsed at start-up and a
//! token's every property is found with one lookup and no allocation.

use super::hash;
pub use super::words::{code, BOOSTERS_DOWN, BOOSTERS_UP, B_DECR, B_INCR, NEGATE};

pub const C_INCR: f64 = 0.733;
pub const N_SCALAR: f64 = -0.74;

/// One slot of the generated table (`len` 0: empty).
pub struct Slot {
    /// The key's first eight bytes, zero-padded ([`hash::prefix`]).
    prefix: u64,
    /// Offset of the key in `KEYS` (bits 0 to 16), flags (bits 17 to 20: 1 has a valence, 2
    /// in `NEGATE`, 4 a booster, 8 a dampener) and the news id (bits 21 to 31: 1 + the index
    /// of the token in [`NEWS_KEYS`], 0 for none).
    off_flags: u32,
    /// The valence in hundredths (every VADER valence has at most two decimals; `build.rs`
    /// checks that dividing by 100 gives back the same float).
    hundredths: i16,
    len: u8,
    code: u8,
}

const EMPTY: Slot = Slot { prefix: 0, off_flags: 0, hundredths: 0, len: 0, code: 0 };

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
        (self.off_flags >> 17) & 15
    }

    /// 1 + the token's index in [`NEWS_KEYS`], 0 if the news lexicon has no entry for it.
    #[inline(always)]
    pub fn news(&self) -> u16 {
        (self.off_flags >> 21) as u16
    }

    /// The valence, if the word has one.
    #[inline(always)]
    pub fn valence(&self) -> Option<f64> {
        if self.flags() & 1 != 0 {
            Some(self.hundredths as f64 / 100.0)
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

    /// The flags as one byte: 1 has a valence, 2 in `NEGATE`, 4 a booster, 8 a dampener.
    #[inline(always)]
    pub(crate) fn flag_bits(&self) -> u8 {
        self.flags() as u8
    }

    /// The valence in hundredths (0 for a word without one).
    #[inline(always)]
    pub(crate) fn hundredths(&self) -> i16 {
        self.hundredths
    }

    /// In `NEGATE`.
    #[inline(always)]
    pub fn neg(&self) -> bool {
        self.flags() & 2 != 0
    }

    #[inline(always)]
    pub fn code(&self) -> u8 {
        self.code
    }

    #[inline(always)]
    fn entry(&self) -> Entry {
        let b = self.booster();
        Entry {
            valence: self.valence(),
            booster: if b != 0.0 { Some(b) } else { None },
            neg: self.neg(),
            code: self.code,
            news: self.news(),
        }
    }

    fn key(&self) -> &'static str {
        let off = (self.off_flags & 0x1_ffff) as usize;
        &KEYS[off..off + self.len as usize]
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
        let b = lower.as_bytes();
        lookup(b, hash::prefix(b)).map(Slot::entry)
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
        TABLE.iter().filter(|s| s.len > 0).filter_map(|s| Some((s.key(), s.valence()?)))
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

/// Looks up a lowercased token whose [`hash::prefix`] is `first`.
#[inline(always)]
pub fn lookup(b: &[u8], first: u64) -> Option<&'static Slot> {
    lookup_in::<false>(b, first)
}

/// [`lookup`] of an ASCII token as written, whose first eight bytes lowercased are `first`:
/// the bytes from the ninth on are compared and hashed as their lowercase, without a
/// lowercased copy of the token.
#[inline(always)]
pub fn lookup_ascii(b: &[u8], first: u64) -> Option<&'static Slot> {
    lookup_in::<true>(b, first)
}

/// [`lookup`] (`FOLD`: [`lookup_ascii`]).
#[inline(always)]
fn lookup_in<const FOLD: bool>(b: &[u8], first: u64) -> Option<&'static Slot> {
    let mask = TABLE.len() - 1;
    let h = if FOLD { hash::hash_words(b, first, lower8) } else { hash::hash(b, first) };
    let (word, bit) = hash::bloom(h);
    if BLOOM[word] & bit == 0 {
        return None;
    }
    let mut s = hash::slot(h);
    loop {
        let e = &TABLE[s];
        if e.len == 0 {
            return None;
        }
        if e.prefix == first && e.len as usize == b.len() && (b.len() <= 8 || tail_equal::<FOLD>(e.key(), b)) {
            return Some(e);
        }
        s = (s + 1) & mask;
    }
}

/// Whether a key and a token of the same length agree from the ninth byte on (`FOLD`: with
/// the token's ASCII capitals read as lowercase; keys are lowercase).
#[inline]
fn tail_equal<const FOLD: bool>(key: &str, b: &[u8]) -> bool {
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
        for e in TABLE.iter().filter(|s| s.len > 0) {
            let got = lex.entry(e.key()).expect("a key of the table");
            assert_eq!(got.code, e.code, "{}", e.key());
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
            let first = lower8(hash::prefix(w.as_bytes()));
            let want = lex.entry(&low).map(|e| e.code);
            assert_eq!(lookup_ascii(w.as_bytes(), first).map(|e| e.code), want, "{w}");
            assert_eq!(
                lookup_ascii(w.as_bytes(), first).is_some(),
                lookup(low.as_bytes(), hash::prefix(low.as_bytes())).is_some(),
                "{w}"
            );
        }
        assert!(lookup_ascii(b"HEARTBREAKINGLY", lower8(hash::prefix(b"HEARTBREAKINGLY"))).is_some());
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
