//! VADER's word lists, loaded once: the valence lexicon and the emoji descriptions (taken from
//! the `vader_sentiment` crate, corrected to vaderSentiment 3.3.2), and the boosters,
//! negations and special cases written in 3.3.2's source.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use rustc_hash::FxHasher;

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// VADER's lookup tables, built once per process.
pub struct VaderLexicon {
    words: FastMap<Box<str>, Entry>,
    emoji: FastMap<char, &'static str>,
}

/// What VADER knows about one lowercased token, found with one lookup.
#[derive(Debug, Clone, Copy, Default)]
pub struct Entry {
    pub valence: Option<f64>,
    pub booster: Option<f64>,
    /// In `NEGATE` (words containing "n't" negate too, without an entry).
    pub neg: bool,
}

/// How vaderSentiment 3.3.2's `vader_lexicon.txt` differs from what the `vader_sentiment`
/// 0.1.1 crate exposes. The crate keys its map case-insensitively, so where the file lists a
/// token in two casings (`:p` 1.0 and `:P` 1.4) it keeps one value, and it makes tokens that
/// Python can never reach (Python looks up the lowercased token, and `:-Þ` is not lowercase)
/// reachable. 3.3.2 also added two words. `cargo xtask eval sentiment --parity` checks the
/// resulting table against the installed Python package entry by entry.
const PY_332_SET: &[(&str, f64)] = &[("heart", 3.2), ("hearts", 3.3), (":p", 1.0)];
const PY_332_UNREACHABLE: &[&str] = &[":-\u{fe}", ":\u{fe}"];

impl VaderLexicon {
    pub fn get() -> &'static VaderLexicon {
        static LEX: OnceLock<VaderLexicon> = OnceLock::new();
        LEX.get_or_init(VaderLexicon::build)
    }

    fn build() -> VaderLexicon {
        let mut words: FastMap<Box<str>, Entry> = FastMap::default();
        words.reserve(vader_sentiment::LEXICON.len() + 200);
        for (k, v) in vader_sentiment::LEXICON.iter() {
            let key: &str = k.as_ref();
            words.entry(key.to_lowercase().into_boxed_str()).or_default().valence = Some(*v);
        }
        for (k, v) in PY_332_SET {
            words.entry((*k).into()).or_default().valence = Some(*v);
        }
        for k in PY_332_UNREACHABLE {
            words.remove(*k);
        }
        for (list, b) in [(BOOSTERS_UP, B_INCR), (BOOSTERS_DOWN, B_DECR)] {
            for w in list {
                words.entry((*w).into()).or_default().booster = Some(b);
            }
        }
        for w in NEGATE {
            words.entry((*w).into()).or_default().neg = true;
        }
        let mut emoji: FastMap<char, &'static str> = FastMap::default();
        for (k, v) in vader_sentiment::EMOJI_LEXICON.iter() {
            // Python replaces one code point at a time, so only single-code-point keys can match.
            let mut cs = k.chars();
            if let (Some(c), None) = (cs.next(), cs.next()) {
                emoji.insert(c, v);
            }
        }
        VaderLexicon { words, emoji }
    }

    /// The valence of a lowercased token, if VADER's lexicon has it.
    #[inline]
    pub fn valence(&self, lower: &str) -> Option<f64> {
        self.words.get(lower).and_then(|e| e.valence)
    }

    /// Everything VADER knows about a lowercased token.
    #[inline]
    pub fn entry(&self, lower: &str) -> Option<&Entry> {
        self.words.get(lower)
    }

    /// The description VADER substitutes for an emoji character.
    #[inline]
    pub fn emoji(&self, c: char) -> Option<&'static str> {
        if c.is_ascii() {
            return None;
        }
        self.emoji.get(&c).copied()
    }

    /// Every lexicon entry (for the parity check against Python).
    pub fn entries(&self) -> impl Iterator<Item = (&str, f64)> {
        self.words.iter().filter_map(|(k, e)| e.valence.map(|v| (&**k, v)))
    }

    /// Every single-character emoji and its description (for the parity check).
    pub fn emoji_entries(&self) -> impl Iterator<Item = (char, &'static str)> + '_ {
        self.emoji.iter().map(|(k, v)| (*k, *v))
    }
}

pub const B_INCR: f64 = 0.293;
pub const B_DECR: f64 = -0.293;
pub const C_INCR: f64 = 0.733;
pub const N_SCALAR: f64 = -0.74;

/// VADER's `BOOSTER_DICT` single-word boosters (`B_INCR`)...
pub const BOOSTERS_UP: &[&str] = &[
    "absolutely",
    "amazingly",
    "awfully",
    "completely",
    "considerable",
    "considerably",
    "decidedly",
    "deeply",
    "effing",
    "enormous",
    "enormously",
    "entirely",
    "especially",
    "exceptional",
    "exceptionally",
    "extreme",
    "extremely",
    "fabulously",
    "flipping",
    "flippin",
    "frackin",
    "fracking",
    "fricking",
    "frickin",
    "frigging",
    "friggin",
    "fully",
    "fuckin",
    "fucking",
    "fuggin",
    "fugging",
    "greatly",
    "hella",
    "highly",
    "hugely",
    "incredible",
    "incredibly",
    "intensely",
    "major",
    "majorly",
    "more",
    "most",
    "particularly",
    "purely",
    "quite",
    "really",
    "remarkably",
    "so",
    "substantially",
    "thoroughly",
    "total",
    "totally",
    "tremendous",
    "tremendously",
    "uber",
    "unbelievably",
    "unusually",
    "utter",
    "utterly",
    "very",
];

/// ...and dampeners (`B_DECR`); the two-word entries are in [`booster_bigram`].
pub const BOOSTERS_DOWN: &[&str] = &[
    "almost",
    "barely",
    "hardly",
    "kinda",
    "kindof",
    "kind-of",
    "less",
    "little",
    "marginal",
    "marginally",
    "occasional",
    "occasionally",
    "partly",
    "scarce",
    "scarcely",
    "slight",
    "slightly",
    "somewhat",
    "sorta",
    "sortof",
    "sort-of",
];

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

/// VADER's `NEGATE` list.
pub const NEGATE: &[&str] = &[
    "aint",
    "arent",
    "cannot",
    "cant",
    "couldnt",
    "darent",
    "didnt",
    "doesnt",
    "ain't",
    "aren't",
    "can't",
    "couldn't",
    "daren't",
    "didn't",
    "doesn't",
    "dont",
    "hadnt",
    "hasnt",
    "havent",
    "isnt",
    "mightnt",
    "mustnt",
    "neither",
    "don't",
    "hadn't",
    "hasn't",
    "haven't",
    "isn't",
    "mightn't",
    "mustn't",
    "neednt",
    "needn't",
    "never",
    "none",
    "nope",
    "nor",
    "not",
    "nothing",
    "nowhere",
    "oughtnt",
    "shant",
    "shouldnt",
    "uhuh",
    "wasnt",
    "werent",
    "oughtn't",
    "shan't",
    "shouldn't",
    "uh-uh",
    "wasn't",
    "weren't",
    "without",
    "wont",
    "wouldnt",
    "won't",
    "wouldn't",
    "rarely",
    "seldom",
    "despite",
];

/// Whether a lowercased token negates: in `NEGATE`, or containing "n't".
#[inline]
pub fn is_negation(w: &str) -> bool {
    VaderLexicon::get().entry(w).is_some_and(|e| e.neg) || (w.as_bytes().contains(&b'\'') && w.contains("n't"))
}

/// VADER's two-word `SPECIAL_CASES` (the one-word `badass` can never match an n-gram).
pub fn special_bigram(a: &str, b: &str) -> Option<f64> {
    Some(match (a, b) {
        ("the", "shit") | ("the", "bomb") => 3.0,
        ("bad", "ass") => 1.5,
        ("bus", "stop") => 0.0,
        ("yeah", "right") => -2.0,
        ("beating", "heart") => 3.5,
        _ => return None,
    })
}

/// VADER's three-word `SPECIAL_CASES`.
pub fn special_trigram(a: &str, b: &str, c: &str) -> Option<f64> {
    Some(match (a, b, c) {
        ("kiss", "of", "death") => -1.5,
        ("to", "die", "for") => 3.0,
        _ => return None,
    })
}
