//! Word lists the features consult: VADER's valence lexicon (from the `vader_sentiment` crate,
//! MIT, baked by `build.rs`), negators, speech verbs and the function words that mark direction
//! (passive voice, "by", "against"). All lookups are by token hash.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use crate::text::word_hash;

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

/// Valences and the word classes that feature templates and rules test for, in one map so that
/// a token costs one lookup.
#[derive(Debug, Default)]
pub struct Lexicon {
    words: HashIdMap<Word>,
    /// Most tokens of a text are in none of the lists: the filter answers for most of them.
    filter: KeyFilter,
}

/// Log2 of the bits of the lexicon's key filter: 2^17 bits (16 KB) for about 7,600 words let
/// about 1% of other words through.
const LEXICON_FILTER_BITS: u32 = 17;

/// VADER's valences keyed by token hash, baked by `build.rs`: a count, then (hash, f32 bits)
/// pairs, little-endian.
static VALENCE_BIN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/valence.bin"));

pub const NEGATOR: u16 = 1;
pub const SPEECH: u16 = 1 << 1;
pub const BE: u16 = 1 << 2;
pub const BY: u16 = 1 << 3;
pub const AGAINST: u16 = 1 << 4;
pub const PRONOUN: u16 = 1 << 5;
pub const INTENSIFIER: u16 = 1 << 6;
pub const CONTRAST: u16 = 1 << 7;
pub const FUNCTION: u16 = 1 << 8;
pub const WITH: u16 = 1 << 9;
pub const HEDGE: u16 = 1 << 10;

const NEGATORS: &[&str] = &[
    "not",
    "no",
    "never",
    "n't",
    "without",
    "nor",
    "neither",
    "none",
    "nobody",
    "nothing",
    "nowhere",
    "hardly",
    "barely",
    "cannot",
    "can't",
    "don't",
    "doesn't",
    "didn't",
    "won't",
    "wouldn't",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
    "hasn't",
    "haven't",
    "hadn't",
    "shouldn't",
    "couldn't",
    "mustn't",
    "lack",
    "lacks",
    "lacked",
    "fail",
    "fails",
    "failed",
    "refuse",
    "refused",
    "refuses",
];
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "tell",
    "stated",
    "states",
    "added",
    "adds",
    "noted",
    "notes",
    "stressed",
    "stresses",
    "claimed",
    "claims",
    "argued",
    "argues",
    "wrote",
    "writes",
    "asked",
    "asks",
    "declared",
    "declares",
    "announced",
    "announces",
    "insisted",
    "insists",
    "explained",
    "explains",
    "according",
    "tweeted",
    "tweets",
    "remarked",
    "warned",
    "warns",
    "accused",
    "accuses",
    "called",
    "calls",
];
const BE_FORMS: &[&str] = &["is", "are", "was", "were", "be", "been", "being", "'s", "get", "got", "gets", "getting"];
const PRONOUNS: &[&str] =
    &["he", "she", "it", "they", "him", "her", "them", "his", "its", "their", "who", "whom", "which", "we", "i", "you"];
const INTENSIFIERS: &[&str] = &[
    "very",
    "extremely",
    "highly",
    "deeply",
    "really",
    "so",
    "too",
    "most",
    "more",
    "strongly",
    "clearly",
    "openly",
    "totally",
    "completely",
    "utterly",
    "particularly",
    "especially",
];
const CONTRASTS: &[&str] = &["but", "however", "although", "though", "yet", "whereas", "while", "despite", "unlike"];
const HEDGES: &[&str] = &["may", "might", "could", "perhaps", "possibly", "reportedly", "allegedly", "seems", "seem"];
const FUNCTION_WORDS: &[&str] = &[
    "the", "a", "an", "of", "to", "in", "on", "at", "for", "and", "or", "that", "this", "these", "those", "as", "from",
    "with", "by", "has", "have", "had", "will", "would", "its", "their",
];

impl Lexicon {
    fn build() -> Self {
        let pairs = VALENCE_BIN.get(4..).unwrap_or_default().chunks_exact(12);
        let mut words: HashIdMap<Word> = HashIdMap::with_capacity_and_hasher(pairs.len() + 256, Default::default());
        for p in pairs {
            let (h, v) = p.split_at(8);
            let h = u64::from_le_bytes(h.try_into().expect("8 bytes"));
            let valence = f32::from_bits(u32::from_le_bytes(v.try_into().expect("4 bytes")));
            words.insert(h, Word { valence, classes: 0 });
        }
        let mut add = |list: &[&str], class: u16| {
            for w in list {
                words.entry(word_hash(w)).or_default().classes |= class;
            }
        };
        add(NEGATORS, NEGATOR);
        add(SPEECH_VERBS, SPEECH);
        add(BE_FORMS, BE);
        add(&["by"], BY);
        add(&["against", "versus", "vs"], AGAINST);
        add(PRONOUNS, PRONOUN);
        add(INTENSIFIERS, INTENSIFIER);
        add(CONTRASTS, CONTRAST);
        add(FUNCTION_WORDS, FUNCTION);
        add(&["with", "alongside", "together"], WITH);
        add(HEDGES, HEDGE);
        let filter = KeyFilter::new(words.keys().copied(), LEXICON_FILTER_BITS);
        Lexicon { words, filter }
    }

    /// The shared lexicon, built on first use.
    pub fn get() -> &'static Lexicon {
        static LEX: OnceLock<Lexicon> = OnceLock::new();
        LEX.get_or_init(Lexicon::build)
    }

    /// Valence and classes of a token.
    #[inline]
    pub fn word(&self, hash: u64) -> Word {
        if !self.filter.may_contain(hash) {
            return Word::default();
        }
        self.words.get(&hash).copied().unwrap_or_default()
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
        let baked = u32::from_le_bytes(VALENCE_BIN[..4].try_into().unwrap()) as usize;
        assert_eq!(VALENCE_BIN.len(), 4 + 12 * baked);
        assert!(baked <= n && baked + 10 > n, "{baked} of {n}");
    }
}
