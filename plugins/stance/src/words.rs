//! The word lists of the lexicon (negators, speech verbs, the function words that mark
//! direction, …) and the layout of the lexicon's table, on their own so that `build.rs` bakes
//! the whole lexicon (these lists and VADER's valences) into the binary as the table a run
//! reads in place, instead of building a hash map of some 7,600 words at every start.
//!
//! `build.rs` includes this file as a module of its own, so it uses nothing else of the crate
//! but [`crate::table`] (which it includes too).

use crate::table::{home, EMPTY};

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

/// Every list with its class, as the lexicon holds them.
pub const CLASS_LISTS: &[(&[&str], u16)] = &[
    (NEGATORS, NEGATOR),
    (SPEECH_VERBS, SPEECH),
    (BE_FORMS, BE),
    (&["by"], BY),
    (&["against", "versus", "vs"], AGAINST),
    (PRONOUNS, PRONOUN),
    (INTENSIFIERS, INTENSIFIER),
    (CONTRASTS, CONTRAST),
    (FUNCTION_WORDS, FUNCTION),
    (&["with", "alongside", "together"], WITH),
    (HEDGES, HEDGE),
];

/// Log2 of the bits of the lexicon's key filter: 2^17 bits (16 KB) for about 7,600 words let
/// about 1% of other words through.
pub const LEXICON_FILTER_BITS: u32 = 17;

/// One cell of the lexicon's open-addressing table: a token hash, its valence and its classes
/// (16 bytes without padding, so that the baked bytes read as cells).
#[derive(Debug, Clone, Copy, Default, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C, align(16))]
pub struct LexCell {
    pub key: u64,
    pub valence: f32,
    pub classes: u16,
    pub pad: u16,
}

/// The table of `words` (hash, valence, classes; distinct hashes, none of them [`EMPTY`]): a
/// power of two of cells, at most half full, each word in the first free cell from its home.
pub fn lay_out(words: &[(u64, f32, u16)]) -> Vec<LexCell> {
    let len = (words.len() * 2).next_power_of_two().max(16);
    let shift = 64 - len.trailing_zeros();
    let mut cells = vec![LexCell::default(); len];
    for &(key, valence, classes) in words {
        assert!(key != EMPTY, "a word hashes to the empty key");
        let mut i = home(key, shift);
        while cells[i].key != EMPTY {
            assert!(cells[i].key != key, "a word listed twice");
            i = (i + 1) & (len - 1);
        }
        cells[i] = LexCell { key, valence, classes, pad: 0 };
    }
    cells
}
