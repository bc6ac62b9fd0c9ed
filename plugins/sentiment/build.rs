//! Bakes VADER's lexicon into a static open-addressing table (`$OUT_DIR/vader_table.rs`), so
//! that `slant vader` starts without parsing anything. The lexicon comes from the
//! `vader_sentiment` crate (a build dependency; the lexicon file is never copied into this
//! repository), corrected to vaderSentiment 3.3.2 as `src/vader/words.rs` describes, and
//! merged with VADER's boosters, negations and the function words its rules test. Also bakes
//! the learned news tone's weight file (`data/news-tone-weights.tsv`) into the ranked tables
//! its model reads (`$OUT_DIR/tone_weights.rs`), parsed by the crate's own `tone_table`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

#[path = "src/vader/hash.rs"]
mod hash;
#[path = "src/news_keys.rs"]
mod news_keys;
#[path = "src/tone_table.rs"]
mod tone_table;
#[path = "src/vader/words.rs"]
#[allow(dead_code)]
mod words;

#[derive(Default, Clone, Copy)]
struct Entry {
    valence: Option<f64>,
    booster: Option<f64>,
    neg: bool,
    code: u8,
    /// 1 + the token's index in the news lexicon's keys (0: none).
    news: u32,
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/vader/hash.rs");
    println!("cargo:rerun-if-changed=src/vader/words.rs");
    println!("cargo:rerun-if-changed=src/news_keys.rs");
    println!("cargo:rerun-if-changed=data/news-lexicon.tsv");
    println!("cargo:rerun-if-changed=data/news-tone-weights.tsv");
    println!("cargo:rerun-if-changed=src/tone_table.rs");
    bake_tone_weights();

    // Sorted, so that the generated table does not depend on the crate's hash map order.
    let mut crate_lexicon: Vec<(&str, f64)> = vader_sentiment::LEXICON.iter().map(|(k, v)| (k.as_ref(), *v)).collect();
    crate_lexicon.sort_by(|a, b| a.0.cmp(b.0));
    let mut words: BTreeMap<String, Entry> = BTreeMap::new();
    for (k, v) in crate_lexicon {
        let e = words.entry(k.to_lowercase()).or_default();
        if e.valence.is_some_and(|old| old != v) {
            panic!("the vader_sentiment lexicon has `{k}` twice (case-insensitively) with different valences");
        }
        e.valence = Some(v);
    }
    for (k, v) in words::PY_332_SET {
        words.entry((*k).to_string()).or_default().valence = Some(*v);
    }
    for k in words::PY_332_UNREACHABLE {
        words.remove(*k);
    }
    for (list, b) in [(words::BOOSTERS_UP, words::B_INCR), (words::BOOSTERS_DOWN, words::B_DECR)] {
        for w in list {
            words.entry((*w).to_string()).or_default().booster = Some(b);
        }
    }
    for w in words::NEGATE {
        words.entry((*w).to_string()).or_default().neg = true;
    }
    for (w, c) in words::CODED {
        words.entry((*w).to_string()).or_default().code = *c;
    }
    // The news lexicon's tokens, so that the news tone finds its entries with the same lookup
    // (an entry with nothing but a news id changes nothing for VADER).
    let news_src = std::fs::read_to_string("data/news-lexicon.tsv").expect("cannot read data/news-lexicon.tsv");
    let news_keys = news_keys::keys(&news_src);
    assert!(news_keys.len() < 1 << 11, "too many news lexicon keys for 11-bit ids");
    for (i, k) in news_keys.iter().enumerate() {
        words.entry(k.clone()).or_default().news = i as u32 + 1;
    }

    // Open addressing with linear probing; the entries sit in the slots themselves, so that
    // a lookup touches one cache line (the load factor stays under one half).
    let mut out = String::new();
    let mut keys = String::new();
    let size = 1usize << hash::SLOT_BITS;
    assert!(words.len() * 2 < size, "too many lexicon entries for the table");
    let mut slots: Vec<Option<String>> = vec![None; size];
    let mut bloom = vec![0u64; hash::BLOOM_WORDS];
    for (k, e) in &words {
        let off = keys.len();
        keys.push_str(k);
        let b = k.as_bytes();
        assert!(!b.is_empty() && b.len() < 256, "lexicon key `{k}` is empty or too long");
        let first = hash::prefix(b);
        let h = hash::hash(b, first);
        let (word, bit) = hash::bloom(h);
        bloom[word] |= bit;
        let mut s = hash::slot(h);
        while slots[s].is_some() {
            s = (s + 1) & (size - 1);
        }
        // Valences have at most two decimals; hundredths divided by 100 give the same float.
        let v = e.valence.unwrap_or(0.0);
        let hundredths = (v * 100.0).round();
        assert!(hundredths / 100.0 == v && hundredths.abs() < 32768.0, "valence of `{k}` ({v}) is not in hundredths");
        let booster = match e.booster {
            None => 0,
            Some(b) if b == words::B_INCR => 4,
            Some(b) if b == words::B_DECR => 8,
            Some(b) => panic!("booster scalar {b} of `{k}`"),
        };
        let flags = (e.valence.is_some() as u32) | ((e.neg as u32) << 1) | booster;
        assert!(off < 1 << 17, "lexicon keys too long for 17-bit offsets");
        slots[s] = Some(format!(
            "Slot {{ prefix: {first:#x}, off_flags: {}, hundredths: {}, len: {}, code: {} }},",
            (off as u32) | (flags << 17) | (e.news << 21),
            hundredths as i16,
            b.len(),
            e.code,
        ));
    }
    writeln!(out, "/// Every key, concatenated; slots point into it.").unwrap();
    writeln!(out, "static KEYS: &str = {keys:?};").unwrap();
    writeln!(out, "/// The news lexicon's keys; a slot's news id is 1 + an index in this list.").unwrap();
    writeln!(out, "pub static NEWS_KEYS: [&str; {}] = {news_keys:?};", news_keys.len()).unwrap();
    writeln!(out, "static BLOOM: [u64; {}] = {bloom:?};", bloom.len()).unwrap();
    writeln!(out, "static TABLE: [Slot; {size}] = [").unwrap();
    for s in &slots {
        writeln!(out, "{}", s.as_deref().unwrap_or("EMPTY,")).unwrap();
    }
    writeln!(out, "];").unwrap();

    // Emoji: Python replaces one code point at a time, so only single-code-point keys match.
    let mut emoji: Vec<(char, &str)> = vader_sentiment::EMOJI_LEXICON
        .iter()
        .filter_map(|(k, v)| {
            let mut cs = k.chars();
            match (cs.next(), cs.next()) {
                (Some(c), None) => Some((c, *v)),
                _ => None,
            }
        })
        .collect();
    emoji.sort();
    let mut desc = String::new();
    let mut table = String::new();
    for (c, d) in &emoji {
        writeln!(table, "({}, {}, {}),", *c as u32, desc.len(), d.len()).unwrap();
        desc.push_str(d);
    }
    // A bitmap of the emoji below U+10000, so that most characters are ruled out with one
    // test (typographic quotes and dashes are not emoji).
    let mut bmp = vec![0u64; 1024];
    for (c, _) in &emoji {
        let c = *c as usize;
        if c < 0x10000 {
            bmp[c / 64] |= 1 << (c % 64);
        }
    }
    writeln!(out, "static EMOJI_BMP: [u64; 1024] = {bmp:?};").unwrap();
    writeln!(out, "static EMOJI_TEXT: &str = {desc:?};").unwrap();
    writeln!(out, "/// (code point, offset in `EMOJI_TEXT`, length), sorted by code point.").unwrap();
    writeln!(out, "static EMOJI: [(u32, u32, u32); {}] = [\n{table}];", emoji.len()).unwrap();

    let path = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("vader_table.rs");
    std::fs::write(&path, out).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// Writes the learned tone's weight tables as statics (see `src/tone_table.rs`).
fn bake_tone_weights() {
    let src = std::fs::read_to_string("data/news-tone-weights.tsv")
        .unwrap_or_else(|e| panic!("cannot read data/news-tone-weights.tsv: {e}"));
    let t = tone_table::parse(&src).unwrap_or_else(|e| panic!("data/news-tone-weights.tsv: {e}"));
    let mut out = String::from("// Generated by build.rs from data/news-tone-weights.tsv; do not edit.\n");
    writeln!(out, "static TONE_BITS: [u64; {}] = {:?};", t.bits.len(), t.bits).unwrap();
    writeln!(out, "static TONE_BEFORE: [u16; {}] = {:?};", t.before.len(), t.before).unwrap();
    writeln!(out, "static TONE_WEIGHTS: [i16; {}] = {:?};", t.weights.len(), t.weights).unwrap();
    // `{:?}` writes the shortest text that reads back as the same f64.
    writeln!(out, "const TONE_BAND: f64 = {:?};", t.band).unwrap();
    let path = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("tone_weights.rs");
    std::fs::write(&path, out).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}
