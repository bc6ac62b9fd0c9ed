//! Word lists the features consult: VADER's valence lexicon (from the `vader_sentiment` crate,
//! MIT, baked by `build.rs`), negators, speech verbs and the function words that mark direction
//! (passive voice, "by", "against"). All lookups are by token hash.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use crate::table::{home, plain, Aligned, EMPTY};
use crate::words::LexCell;

/// A hasher for keys that are already well-mixed 64-bit hashes.
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A map keyed by precomputed hashes.
pub type HashIdMap<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;

/// FNV-1a's step over the bytes written, eight at a time (a name of a dozen bytes costs two
/// steps instead of a dozen), with a final mix of the high bits into the low ones (which the
/// map's buckets are chosen by, and which a step's product fills from the low bytes only): for
/// maps keyed by short strings (actor names) or numbers, built per document, where the standard
/// SipHash costs more than the rest of the lookup. No map of this kind is iterated, so the hash
/// decides no output order.
#[derive(Clone, Copy)]
pub struct FnvHasher(u64);

impl Default for FnvHasher {
    fn default() -> Self {
        FnvHasher(crate::hash::FNV_OFFSET)
    }
}

impl Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        // A step's product carries a byte only upward, so the last word's high bytes reach
        // none of the low bits: folded down, spread by a product and folded down again.
        let x = (self.0 ^ (self.0 >> 31)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x ^ (x >> 29)
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let word = u64::from_le_bytes(c.try_into().expect("eight bytes"));
            self.0 = (self.0 ^ word).wrapping_mul(crate::hash::FNV_PRIME);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // The length goes in the top byte, which the rest's at most seven bytes leave free
            // (so that "a" and "a\0" differ).
            let word = rest.iter().rev().fold(0u64, |w, &b| (w << 8) | b as u64) | (rest.len() as u64) << 56;
            self.0 = (self.0 ^ word).wrapping_mul(crate::hash::FNV_PRIME);
        }
    }
}

/// A map keyed by short strings (see [`FnvHasher`]).
pub type FnvMap<K, V> = HashMap<K, V, BuildHasherDefault<FnvHasher>>;

pub use crate::table::KeyFilter;

/// What the lexicon knows of one word.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Word {
    /// VADER valence (−4 … 4), 0 when unknown.
    pub valence: f32,
    /// Word classes (`NEGATOR | SPEECH | …`), 0 when none.
    pub classes: u16,
}

/// Valences and the word classes that feature templates and rules test for, in one table so
/// that a token costs one lookup. `build.rs` bakes the table (VADER's valences and the lists of
/// [`crate::words`]) and its key filter into the binary; the lexicon reads them in place.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// An open-addressing table (see [`crate::words::lay_out`]); an empty cell has key 0.
    cells: &'static [LexCell],
    /// Right shift of the key's product that gives its home cell.
    shift: u32,
    /// Most tokens of a text are in none of the lists: the filter answers for most of them.
    filter: KeyFilter,
}

/// The lexicon's cells and filter words, baked by `build.rs` in the target's byte order.
static CELLS: &Aligned<[u8]> = &Aligned(*include_bytes!(concat!(env!("OUT_DIR"), "/lexicon.cells")));
static FILTER: &Aligned<[u8]> = &Aligned(*include_bytes!(concat!(env!("OUT_DIR"), "/lexicon.filter")));

pub use crate::words::{AGAINST, BE, BY, CONTRAST, FUNCTION, HEDGE, INTENSIFIER, NEGATOR, PRONOUN, SPEECH, WITH};

impl Lexicon {
    /// The baked lexicon, read in place; an empty one (every word unknown) should its tables
    /// be malformed, which the unit tests rule out.
    fn load() -> Self {
        match (plain::<LexCell>(&CELLS.0), plain::<u64>(&FILTER.0)) {
            (Ok(cells), Ok(words)) if cells.len().is_power_of_two() && words.len().is_power_of_two() => {
                Lexicon { cells, shift: 64 - cells.len().trailing_zeros(), filter: KeyFilter::from_words(words) }
            }
            _ => Lexicon::default(),
        }
    }

    /// The shared lexicon, set up on first use.
    pub fn get() -> &'static Lexicon {
        static LEX: OnceLock<Lexicon> = OnceLock::new();
        LEX.get_or_init(Lexicon::load)
    }

    /// Valence and classes of a token.
    #[inline]
    pub fn word(&self, hash: u64) -> Word {
        if !self.filter.may_contain(hash) || self.cells.is_empty() || hash == EMPTY {
            return Word::default();
        }
        let mask = self.cells.len() - 1;
        let mut i = home(hash, self.shift);
        loop {
            match self.cells[i] {
                LexCell { key, valence, classes, .. } if key == hash => return Word { valence, classes },
                LexCell { key: EMPTY, .. } => return Word::default(),
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// VADER valence of a token (−4 … 4), 0 when unknown.
    #[inline]
    pub fn valence(&self, hash: u64) -> f32 {
        self.word(hash).valence
    }

    #[inline]
    pub fn is(&self, hash: u64, class: u16) -> bool {
        self.word(hash).classes & class != 0
    }

    /// Whether the token text ends in "n't" (negated auxiliaries not listed one by one).
    pub fn negates(&self, hash: u64, text: &str) -> bool {
        self.is(hash, NEGATOR) || text.ends_with("n't") || text.ends_with("n’t")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::word_hash;
    use crate::words::CLASS_LISTS;

    /// The eight-bytes-at-a-time hash tells apart names that differ in any byte or only in
    /// their length, and its buckets (low bits) spread names alike but for their last bytes.
    #[test]
    fn fnv_hasher_separates_short_names() {
        let hash = |bytes: &[u8]| {
            let mut h = FnvHasher::default();
            h.write(bytes);
            h.finish()
        };
        assert_ne!(hash(b"a"), hash(b"a\0"));
        assert_ne!(hash(b"Abcdefgh"), hash(b"Abcdefgh\0"));
        let names: Vec<String> = (0..2000).map(|i| format!("Actor number {i}")).collect();
        let hashes: std::collections::HashSet<u64> = names.iter().map(|n| hash(n.as_bytes())).collect();
        assert_eq!(hashes.len(), names.len());
        let buckets: std::collections::HashSet<u64> = names.iter().map(|n| hash(n.as_bytes()) & 1023).collect();
        assert!(buckets.len() > 700, "{} of 1024 buckets", buckets.len());
        // Still a working map key.
        let map: FnvMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
        assert!(names.iter().enumerate().all(|(i, n)| map[n.as_str()] == i));
    }

    #[test]
    fn vader_valences_are_found_by_hash() {
        let lex = Lexicon::get();
        assert!(lex.valence(word_hash("Good")) > 1.0);
        assert!(lex.valence(word_hash("threat")) < -1.0);
        assert_eq!(lex.valence(word_hash("Armenia")), 0.0);
        assert!(lex.is(word_hash("didn’t"), NEGATOR));
        assert!(lex.is(word_hash("said"), SPEECH));
    }

    /// A key filter never turns away a key it holds, and turns away most others.
    #[test]
    fn key_filter_holds_its_keys_and_rejects_most_others() {
        let keys: Vec<u64> = (0..5000u64).map(|i| word_hash(&format!("word{i}"))).collect();
        let f = KeyFilter::new(keys.iter().copied(), 16);
        assert!(keys.iter().all(|&k| f.may_contain(k)));
        let passed = (0..10_000u64).filter(|i| f.may_contain(word_hash(&format!("other{i}")))).count();
        assert!(passed < 500, "{passed} of 10,000 unknown keys passed");
        assert!(KeyFilter::default().may_contain(42));
    }

    /// The baked valences are VADER's, every one of them.
    #[test]
    fn baked_valences_equal_the_vader_lexicon() {
        let lex = Lexicon::get();
        let mut n = 0;
        for (word, v) in vader_sentiment::LEXICON.iter() {
            assert_eq!(lex.valence(word_hash(word)).to_bits(), (*v as f32).to_bits(), "{}", word.as_ref());
            n += 1;
        }
        assert!(n > 7000);
    }

    /// The baked table answers for every word as the map the lexicon used to build at start-up
    /// (VADER's valences, then each list's class added), and knows no other word.
    #[test]
    fn baked_lexicon_equals_the_map_it_replaces() {
        let lex = Lexicon::get();
        let mut map: HashIdMap<Word> = HashIdMap::default();
        for (word, v) in vader_sentiment::LEXICON.iter() {
            map.insert(word_hash(word), Word { valence: *v as f32, classes: 0 });
        }
        for (list, class) in CLASS_LISTS {
            for w in *list {
                map.entry(word_hash(w)).or_default().classes |= class;
            }
        }
        for (&h, &w) in &map {
            assert_eq!((lex.word(h).valence.to_bits(), lex.word(h).classes), (w.valence.to_bits(), w.classes));
        }
        assert_eq!(lex.cells.iter().filter(|c| c.key != EMPTY).count(), map.len());
        let others = (0..20_000u64).map(|i| word_hash(&format!("zq{i}x"))).filter(|h| !map.contains_key(h));
        assert!(others.take(10_000).all(|h| lex.word(h) == Word::default()));
        assert!(lex.is(word_hash("Against"), AGAINST) && lex.is(word_hash("said"), SPEECH));
    }
}
