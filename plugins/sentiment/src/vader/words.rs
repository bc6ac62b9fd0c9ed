//! VADER's word lists as written in vaderSentiment 3.3.2's source (boosters, negations), the
//! corrections that turn the `vader_sentiment` crate's lexicon into 3.3.2's, and the codes of
//! the function words VADER's rules test. Shared by `build.rs` (which bakes them into the
//! static lexicon table) and the engine, so the two cannot disagree.

pub const B_INCR: f64 = 0.293;
pub const B_DECR: f64 = -0.293;

/// How vaderSentiment 3.3.2's `vader_lexicon.txt` differs from what the `vader_sentiment`
/// 0.1.1 crate exposes. The crate keys its map case-insensitively, so where the file lists a
/// token in two casings (`:p` 1.0 and `:P` 1.4) it keeps one value, and it makes tokens that
/// Python can never reach (Python looks up the lowercased token, and `:-Þ` is not lowercase)
/// reachable. 3.3.2 also added two words. `cargo xtask eval sentiment --parity` checks the
/// resulting table against the installed Python package entry by entry.
pub const PY_332_SET: &[(&str, f64)] = &[("heart", 3.2), ("hearts", 3.3), (":p", 1.0)];
pub const PY_332_UNREACHABLE: &[&str] = &[":-\u{fe}", ":\u{fe}"];

/// Codes of the words VADER's rules compare tokens with ("no", "but", the special-case
/// idioms...), so that the rules compare one byte instead of a string. Every other token has
/// code [`code::OTHER`].
pub mod code {
    pub const OTHER: u8 = 0;
    pub const NO: u8 = 1;
    pub const KIND: u8 = 2;
    pub const OF: u8 = 3;
    pub const NEVER: u8 = 4;
    pub const SO: u8 = 5;
    pub const THIS: u8 = 6;
    pub const WITHOUT: u8 = 7;
    pub const DOUBT: u8 = 8;
    pub const LEAST: u8 = 9;
    pub const AT: u8 = 10;
    pub const VERY: u8 = 11;
    pub const BUT: u8 = 12;
    pub const OR: u8 = 13;
    pub const NOR: u8 = 14;
    pub const THE: u8 = 15;
    pub const SHIT: u8 = 16;
    pub const BOMB: u8 = 17;
    pub const BAD: u8 = 18;
    pub const ASS: u8 = 19;
    pub const BUS: u8 = 20;
    pub const STOP: u8 = 21;
    pub const YEAH: u8 = 22;
    pub const RIGHT: u8 = 23;
    pub const BEATING: u8 = 24;
    pub const HEART: u8 = 25;
    pub const KISS: u8 = 26;
    pub const DEATH: u8 = 27;
    pub const TO: u8 = 28;
    pub const DIE: u8 = 29;
    pub const FOR: u8 = 30;
    pub const JUST: u8 = 31;
    pub const ENOUGH: u8 = 32;
    pub const SORT: u8 = 33;
}

/// The words with a code (lowercase, as the rules see them).
pub const CODED: &[(&str, u8)] = &[
    ("no", code::NO),
    ("kind", code::KIND),
    ("of", code::OF),
    ("never", code::NEVER),
    ("so", code::SO),
    ("this", code::THIS),
    ("without", code::WITHOUT),
    ("doubt", code::DOUBT),
    ("least", code::LEAST),
    ("at", code::AT),
    ("very", code::VERY),
    ("but", code::BUT),
    ("or", code::OR),
    ("nor", code::NOR),
    ("the", code::THE),
    ("shit", code::SHIT),
    ("bomb", code::BOMB),
    ("bad", code::BAD),
    ("ass", code::ASS),
    ("bus", code::BUS),
    ("stop", code::STOP),
    ("yeah", code::YEAH),
    ("right", code::RIGHT),
    ("beating", code::BEATING),
    ("heart", code::HEART),
    ("kiss", code::KISS),
    ("death", code::DEATH),
    ("to", code::TO),
    ("die", code::DIE),
    ("for", code::FOR),
    ("just", code::JUST),
    ("enough", code::ENOUGH),
    ("sort", code::SORT),
];

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

/// ...and dampeners (`B_DECR`); the two-word entries are in the engine's `booster_bigram`.
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
