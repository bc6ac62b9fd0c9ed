//! The word lists the name patterns use: titles (`data/titles.txt`), given names
//! (`data/given_names.txt`), capitalized function words (`data/function_words.txt`), words of
//! time (`data/time_words.txt`) and organization head words. All are written by hand for Slant
//! and parsed once.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

const TITLES: &str = include_str!("../data/titles.txt");
const GIVEN_NAMES: &str = include_str!("../data/given_names.txt");
const FUNCTION_WORDS: &str = include_str!("../data/function_words.txt");
const TIME_WORDS: &str = include_str!("../data/time_words.txt");

/// The words of a word-list file: whitespace-separated, lines starting with `#` left out.
fn listed_words(data: &'static str) -> Vec<&'static str> {
    data.lines().filter(|l| !l.trim_start().starts_with('#')).flat_map(str::split_whitespace).collect()
}

/// What a title says about its holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TitleClass {
    HeadState,
    HeadGov,
    Leader,
    Royal,
    Minister,
    Counterpart,
    /// Any other office or description of a person.
    Person,
    /// A description of an organization ("state gas producer").
    Org,
}

impl TitleClass {
    pub fn parse(s: &str) -> TitleClass {
        match s {
            "head_state" => TitleClass::HeadState,
            "head_gov" => TitleClass::HeadGov,
            "leader" => TitleClass::Leader,
            "royal" => TitleClass::Royal,
            "minister" => TitleClass::Minister,
            "counterpart" => TitleClass::Counterpart,
            "org" => TitleClass::Org,
            _ => TitleClass::Person,
        }
    }

    pub fn is_head(self) -> bool {
        matches!(self, TitleClass::HeadState | TitleClass::HeadGov | TitleClass::Leader | TitleClass::Royal)
    }
}

/// A fast hasher for short words (FxHash): the word lists are looked up for nearly every
/// token, so SipHash would dominate.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(buf)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(i)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FxBuild = BuildHasherDefault<FxHasher>;

/// Word-list membership bits, one lookup per word.
pub const CAP_STOP_F: u16 = 1;
pub const ORG_HEAD_F: u16 = 2;
pub const GIVEN_F: u16 = 4;
pub const PARTICLE_F: u16 = 8;
pub const LEFT_STOP_F: u16 = 16;
pub const DETERMINER_F: u16 = 32;
pub const SPEECH_F: u16 = 64;
/// Days, months, holidays (`data/time_words.txt`); they also carry [`CAP_STOP_F`].
pub const TIME_F: u16 = 128;
/// Head words of newspapers and news media ([`MEDIA_HEADS`]); they are also [`ORG_HEAD_F`].
pub const MEDIA_F: u16 = 256;

/// One title phrase after its first word.
pub struct TitleTail {
    /// The following words, lower-case.
    pub rest: Vec<String>,
    pub class: TitleClass,
    /// Index of the whole phrase in [`Lexicon::phrases`].
    pub phrase: u16,
}

pub struct Lexicon {
    /// Lower-cased first word of a title (its bytes) → its phrases, longest first.
    pub titles: HashMap<Vec<u8>, Vec<TitleTail>, FxBuild>,
    /// A quick filter over the titles' first words (see [`title_filter_bit`]): most words of a
    /// text start no title, and one bit test rules them out without hashing.
    pub title_filter: Vec<u64>,
    /// The same filter over the words of [`Lexicon::flags`].
    pub flag_filter: Vec<u64>,
    /// The words of [`Lexicon::flags`] of at most seven bytes (most of them), as an open-addressing
    /// table keyed by the word's bytes read as one integer: one multiply and usually one probe.
    short_flags: Vec<(u64, u16)>,
    pub phrases: Vec<String>,
    pub flags: HashMap<&'static str, u16, FxBuild>,
    /// The titles' first words, hashed by [`fold_hash`] to one bit each: a second filter, over
    /// the whole word, for the words that pass [`Lexicon::title_filter`] (see
    /// [`Lexicon::may_be_title_word`]).
    title_words: Vec<u64>,
}

pub fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut titles: HashMap<Vec<u8>, Vec<TitleTail>, FxBuild> = HashMap::default();
        let mut phrases = Vec::new();
        for line in TITLES.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let (phrase, class) = line.split_once('|').unwrap_or((line, "other"));
            let phrase = phrase.trim().to_lowercase();
            // "president-elect" is the words "president", "-", "elect" to the tokenizer.
            let spaced = phrase.replace('-', " - ");
            let words: Vec<String> = spaced.split_whitespace().map(str::to_string).collect();
            let Some((first, rest)) = words.split_first() else { continue };
            let idx = phrases.len() as u16;
            phrases.push(phrase.clone());
            titles.entry(first.as_bytes().to_vec()).or_default().push(TitleTail {
                rest: rest.to_vec(),
                class: TitleClass::parse(class.trim()),
                phrase: idx,
            });
        }
        for tails in titles.values_mut() {
            tails.sort_by_key(|t| std::cmp::Reverse(t.rest.len()));
        }
        let mut title_filter = vec![0u64; TITLE_FILTER_BITS / 64];
        for first in titles.keys() {
            if let Some(bit) = title_filter_bit(first) {
                title_filter[bit / 64] |= 1 << (bit % 64);
            }
        }
        let mut flags: HashMap<&'static str, u16, FxBuild> = HashMap::default();
        let mut add = |words: &[&'static str], f: u16| {
            for w in words {
                *flags.entry(*w).or_default() |= f;
            }
        };
        add(&listed_words(FUNCTION_WORDS), CAP_STOP_F);
        add(&listed_words(TIME_WORDS), CAP_STOP_F | TIME_F);
        add(ORG_HEADS, ORG_HEAD_F);
        add(MEDIA_HEADS, ORG_HEAD_F | MEDIA_F);
        add(PARTICLES, PARTICLE_F);
        add(LEFT_STOP, LEFT_STOP_F);
        add(DETERMINERS, DETERMINER_F);
        add(SPEECH_VERBS, SPEECH_F);
        add(&listed_words(GIVEN_NAMES), GIVEN_F);
        let mut flag_filter = vec![0u64; TITLE_FILTER_BITS / 64];
        for w in flags.keys() {
            match title_filter_bit(w.as_bytes()) {
                Some(bit) => flag_filter[bit / 64] |= 1 << (bit % 64),
                // Too long for the filter: let every word through.
                None => flag_filter.iter_mut().for_each(|x| *x = u64::MAX),
            }
        }
        let mut short_flags = vec![(0u64, 0u16); SHORT_SLOTS];
        for (w, &f) in &flags {
            if let Some(key) = short_key(w.as_bytes()) {
                let mut slot = short_slot(key);
                while short_flags[slot].0 != 0 {
                    slot = (slot + 1) % SHORT_SLOTS;
                }
                short_flags[slot] = (key, f);
            }
        }
        let mut title_words = vec![0u64; (1 << TITLE_WORD_BITS) / 64];
        for first in titles.keys() {
            let h = fold_hash(first);
            title_words[h / 64] |= 1 << (h % 64);
        }
        Lexicon { titles, title_filter, flag_filter, short_flags, phrases, flags, title_words }
    })
}

const TITLE_FILTER_BITS: usize = 32 * 64 * 64;

/// Slots of [`Lexicon::short_flags`]: a power of two, well above the number of listed words
/// (about 800), so that probes stay short and an empty slot always ends them.
const SHORT_SLOTS: usize = 4096;

/// A word of one to seven bytes as one integer: its bytes, and its length in the top byte (so
/// never 0, and no two words share a key); `None` for other words.
#[inline]
fn short_key(word: &[u8]) -> Option<u64> {
    if word.is_empty() || word.len() > 7 {
        return None;
    }
    // The bytes in little-endian order, shifted in one by one (a copy into a buffer called
    // `memcpy` for every word).
    let bytes = word.iter().rev().fold(0u64, |k, &b| k << 8 | u64::from(b));
    Some(bytes | (word.len() as u64) << 56)
}

#[inline]
fn short_slot(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - SHORT_SLOTS.trailing_zeros())) as usize
}

/// The filter bit of a word for [`Lexicon::title_filter`]: its length and its first and last
/// bytes, ignoring ASCII case. `None` for words too long to start a title (over 32 bytes).
#[inline]
pub fn title_filter_bit(word: &[u8]) -> Option<usize> {
    let (&first, &last) = (word.first()?, word.last()?);
    if word.len() > 32 {
        return None;
    }
    // Setting bit 5 lower-cases an ASCII capital and leaves a small letter as it is; other bytes
    // change too, but the same way in every spelling of a word, which is all the filter needs
    // (one instruction where `to_ascii_lowercase` takes five).
    let fold = |b: u8| usize::from((b | 0x20) & 63);
    Some(((word.len() - 1) << 12) | (fold(first) << 6) | fold(last))
}

/// Bits of [`Lexicon::title_words`].
const TITLE_WORD_BITS: u32 = 16;

/// A hash of `word` to one of [`TITLE_WORD_BITS`] bits, its bytes folded as in
/// [`title_filter_bit`] (so the same for every spelling in ASCII capitals and small letters).
#[inline]
fn fold_hash(word: &[u8]) -> usize {
    let mut h = word.len() as u64;
    for &b in word {
        h = (h.rotate_left(7) ^ u64::from(b | 0x20)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    (h >> (64 - TITLE_WORD_BITS)) as usize
}

impl Lexicon {
    /// Whether `word`, which passed [`Lexicon::may_start_title`], may be a title's first word
    /// (no false negatives): its whole folded bytes hashed to one bit. Common words pass the
    /// first filter (it looks at the length and the first and last bytes only) and are ruled
    /// out here before they are lower-cased and looked up.
    #[inline]
    pub fn may_be_title_word(&self, word: &[u8]) -> bool {
        let h = fold_hash(word);
        self.title_words[h / 64] & (1 << (h % 64)) != 0
    }

    /// Whether `word` may start a title (no false negatives; false positives are checked by
    /// the lookup in [`Lexicon::titles`]).
    #[inline]
    pub fn may_start_title(&self, word: &[u8]) -> bool {
        title_filter_bit(word).is_some_and(|bit| self.title_filter[bit / 64] & (1 << (bit % 64)) != 0)
    }
}

impl Lexicon {
    /// The word-list bits of a word (0 for most words); the bit filter spares most words the
    /// hash lookup.
    pub fn flags_of(&self, word: &str) -> u16 {
        self.flags_of_bytes(word.as_bytes())
    }

    /// [`Lexicon::flags_of_bytes`] of the word at `start..end` of `hay`: when eight bytes of
    /// `hay` follow `start`, a short word's key is read in one load and masked, instead of being
    /// shifted together byte by byte.
    pub fn flags_at(&self, hay: &[u8], start: usize, end: usize) -> u16 {
        let len = end.saturating_sub(start);
        let (Some(word), Some(eight)) = (hay.get(start..end), hay.get(start..start + 8)) else {
            return hay.get(start..end).map_or(0, |w| self.flags_of_bytes(w));
        };
        if !(1..=7).contains(&len) {
            return self.flags_of_bytes(word);
        }
        let may = title_filter_bit(word).is_none_or(|bit| self.flag_filter[bit / 64] & (1 << (bit % 64)) != 0);
        if !may {
            return 0;
        }
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(eight);
        let key = (u64::from_le_bytes(bytes) & ((1u64 << (8 * len)) - 1)) | (len as u64) << 56;
        debug_assert_eq!(Some(key), short_key(word));
        self.short_probe(key)
    }

    /// The bits of the word with this [`short_key`].
    #[inline]
    fn short_probe(&self, key: u64) -> u16 {
        let mut slot = short_slot(key);
        loop {
            match self.short_flags[slot] {
                (0, _) => return 0,
                (k, f) if k == key => return f,
                _ => slot = (slot + 1) % SHORT_SLOTS,
            }
        }
    }

    /// [`Lexicon::flags_of`] for a word's bytes (the text's own, with no `str` slicing).
    pub fn flags_of_bytes(&self, word: &[u8]) -> u16 {
        let may = title_filter_bit(word).is_none_or(|bit| self.flag_filter[bit / 64] & (1 << (bit % 64)) != 0);
        if !may {
            return 0;
        }
        let Some(key) = short_key(word) else {
            // (Words of eight bytes or more: UTF-8 text, as every listed word is.)
            return std::str::from_utf8(word).ok().and_then(|w| self.flags.get(w)).copied().unwrap_or(0);
        };
        self.short_probe(key)
    }
}

/// The word-list bits of a word (0 for most words).
pub fn flags(word: &str) -> u16 {
    lexicon().flags_of(word)
}

pub fn is_given_name(word: &str) -> bool {
    flags(word) & GIVEN_F != 0
}

/// Capitalized words that end (or head) an organization's name.
pub const ORG_HEADS: &[&str] = &[
    "Party",
    "Ministry",
    "Council",
    "Agency",
    "Service",
    "Services",
    "Bank",
    "Corporation",
    "Corp.",
    "Company",
    "Co.",
    "Inc.",
    "Inc",
    "Ltd",
    "Ltd.",
    "LLC",
    "Group",
    "Institute",
    "Committee",
    "Commission",
    "Foundation",
    "Association",
    "Union",
    "Army",
    "Navy",
    "Court",
    "Parliament",
    "Assembly",
    "Front",
    "Movement",
    "Organization",
    "Organisation",
    "University",
    "Department",
    "Authority",
    "Administration",
    "Bureau",
    "Guard",
    "Forces",
    "Fund",
    "Church",
    "Board",
    "League",
    "Alliance",
    "Coalition",
    "Caucus",
    "Cabinet",
    "Police",
    "Airlines",
    "Airways",
    "Network",
    "Television",
    "Radio",
    "Federation",
    "Brigade",
    "Brigades",
    "Office",
    "Center",
    "Centre",
    "Society",
    "Congress",
    "Senate",
    "Duma",
    "Legislature",
    "Holdings",
    "Industries",
    "Bloc",
    "Council.",
    "Directorate",
    "Tribunal",
    "Academy",
    "College",
    "School",
    "Hospital",
    "Trust",
    "Partnership",
    "Institution",
];

/// Head words of newspapers and news media ("Chicago Tribune", "Boston Globe", "Washington
/// Free Beacon"): organization heads that also let a blocked phrase ("Washington Post") be one.
pub const MEDIA_HEADS: &[&str] = &[
    "Times",
    "Post",
    "Journal",
    "News",
    "Press",
    "Tribune",
    "Herald",
    "Gazette",
    "Chronicle",
    "Telegraph",
    "Inquirer",
    "Examiner",
    "Courier",
    "Magazine",
    "Observer",
    "Monitor",
    "Register",
    "Sentinel",
    "Dispatch",
    "Beacon",
    "Mail",
    "Globe",
];

pub fn is_org_head(word: &str) -> bool {
    flags(word) & ORG_HEAD_F != 0
}

/// Capitalized function and time words (`data/function_words.txt`, `data/time_words.txt`).
pub fn is_cap_stop(word: &str) -> bool {
    flags(word) & CAP_STOP_F != 0
}

/// Lower-case particles inside names ("Charles de Gaulle", "Bashar al-Assad").
pub const PARTICLES: &[&str] = &[
    "de", "da", "di", "del", "van", "von", "der", "den", "bin", "ibn", "bint", "al", "el", "la", "le", "du", "dos",
    "das", "ben",
];

/// Words that may sit between a state and a title or description ("Norway’s state energy
/// producer and exporter Equinor"); function words end the search.
pub const LEFT_STOP: &[&str] = &[
    "the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "this", "that", "these", "those", "of", "in",
    "on", "at", "to", "by", "with", "for", "from", "as", "which", "who", "whom", "whose", "said", "says", "say", "is",
    "was", "are", "were", "be", "been", "has", "have", "had", "will", "would", "can", "could", "not", "but", "or",
    "when", "while", "after", "before", "than", "then", "it", "he", "she", "they", "we", "i", "you", "told", "asked",
];

pub const DETERMINERS: &[&str] =
    &["the", "his", "her", "its", "their", "our", "The", "His", "Her", "Its", "Their", "Our"];

/// Verbs of saying that mark the name beside them as a person ("Smith said", "said Smith").
pub const SPEECH_VERBS: &[&str] =
    &["said", "says", "told", "added", "wrote", "argued", "noted", "explained", "stressed", "tweeted", "insisted"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_title_word_passes_both_title_filters() {
        let lex = lexicon();
        assert!(lex.titles.len() > 100, "{} first words", lex.titles.len());
        for first in lex.titles.keys() {
            let word = std::str::from_utf8(first).unwrap_or_default();
            for spelling in [word.to_string(), word.to_uppercase(), title_case(word)] {
                let w = spelling.as_bytes();
                assert!(lex.may_start_title(w) && lex.may_be_title_word(w), "{spelling:?}");
            }
        }
        // Common words are ruled out by the two together (the first looks only at a word's
        // length and its first and last bytes).
        let common = ["the", "she", "and", "are", "said", "would", "there", "people", "government"];
        let passed = common.iter().filter(|w| lex.may_start_title(w.as_bytes()) && lex.may_be_title_word(w.as_bytes()));
        assert!(passed.count() <= 1);
    }

    /// "prime" → "Prime".
    fn title_case(word: &str) -> String {
        let mut c = word.chars();
        c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
    }

    #[test]
    fn fast_word_lookup_agrees_with_the_map() {
        let lex = lexicon();
        assert!(lex.flags.len() > 500, "{} words", lex.flags.len());
        for (w, &f) in &lex.flags {
            assert_eq!(lex.flags_of(w), f, "{w}");
        }
        let others = ["", "x", "Putin", "the ", "THE", "Sai", "saidx", "Alexandrovich", "é", "The\0", "Internationale"];
        for w in others {
            assert_eq!(lex.flags_of(w), lex.flags.get(w).copied().unwrap_or(0), "{w:?}");
        }
        assert_ne!(flags("said") & SPEECH_F, 0);
        assert_ne!(flags("The") & CAP_STOP_F, 0);
        assert_eq!(flags("Pashinyan"), 0);
    }

    /// The word read out of its text (one load for a short word with eight bytes after its
    /// start) gets the bits of the word alone: every listed word and some others, at the end of
    /// a text, before other bytes, after other bytes, and cut at every length.
    #[test]
    fn word_read_in_its_text_agrees_with_the_word_alone() {
        let lex = lexicon();
        let others = ["", "x", "Putin", "the", "THE", "Sai", "saidx", "Alexandrovich", "é", "The\0", "Internationale"];
        for w in lex.flags.keys().copied().chain(others) {
            for (before, after) in [("", ""), ("", " and more text"), ("a, ", "\u{a0}xyzw"), ("ab ", "s")] {
                let hay = format!("{before}{w}{after}");
                let start = before.len();
                for end in start..=hay.len() {
                    let Some(word) = hay.as_bytes().get(start..end) else { continue };
                    assert_eq!(lex.flags_at(hay.as_bytes(), start, end), lex.flags_of_bytes(word), "{hay:?} {end}");
                }
            }
        }
    }
}
