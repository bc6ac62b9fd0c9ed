//! Bakes VADER's lexicon into a static perfect-hash table (`$OUT_DIR/vader_table.rs`), so
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

    // A perfect hash (see `src/vader/hash.rs`): every key sits in the slot its hash and its
    // bucket's pilot give, so that a lookup compares one slot and never probes.
    let mut out = String::new();
    let mut keys = String::new();
    let size = 1usize << hash::SLOT_BITS;
    let nbuckets = 1usize << hash::PILOT_BITS;
    assert!(words.len() < size, "too many lexicon entries for the table");
    // (slot text, key offset) per key, and each key's hash.
    let mut baked: Vec<(String, u32)> = Vec::with_capacity(words.len());
    let mut hashes: Vec<u64> = Vec::with_capacity(words.len());
    let mut seen = std::collections::HashMap::new();
    for (k, e) in &words {
        let off = keys.len();
        keys.push_str(k);
        let b = k.as_bytes();
        assert!(!b.is_empty() && b.len() < 256, "lexicon key `{k}` is empty or too long");
        let (lo, hi) = hash::key_words(b);
        // Keys longer than sixteen bytes are hashed by their first and last eight bytes only:
        // two that agree there would need the same slot.
        if let Some(other) = seen.insert((lo, hi, b.len()), k.clone()) {
            panic!("lexicon keys `{other}` and `{k}` agree in their first and last eight bytes");
        }
        hashes.push(hash::hash(lo, hi, b.len()));
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
        let flags = (e.valence.is_some() as u64) | ((e.neg as u64) << 1) | booster;
        // The layout `src/vader/lexicon.rs` documents at `Slot::meta`.
        let meta = (hundredths as i16 as u16 as u64)
            | ((e.code as u64) << 16)
            | (flags << 24)
            | ((b.len() as u64) << 32)
            | ((e.news as u64) << 40);
        baked.push((format!("Slot {{ lo: {lo:#x}, hi: {hi:#x}, meta: {meta:#x} }},"), off as u32));
    }
    // Buckets, largest first, each given the first pilot that puts all its keys in free slots.
    let mut buckets: Vec<Vec<usize>> = vec![Vec::new(); nbuckets];
    for (i, &h) in hashes.iter().enumerate() {
        buckets[hash::bucket(h)].push(i);
    }
    let mut order: Vec<usize> = (0..nbuckets).collect();
    order.sort_by_key(|&b| (std::cmp::Reverse(buckets[b].len()), b));
    let mut pilots = vec![0u16; nbuckets];
    let mut slots: Vec<Option<usize>> = vec![None; size];
    for b in order {
        let members = &buckets[b];
        if members.is_empty() {
            continue;
        }
        let pilot = (0..=u16::MAX)
            .find(|&p| {
                let mut at: Vec<usize> = members.iter().map(|&i| hash::place(hashes[i], p)).collect();
                at.sort_unstable();
                at.windows(2).all(|w| w[0] != w[1]) && at.iter().all(|&s| slots[s].is_none())
            })
            .unwrap_or_else(|| panic!("no pilot places bucket {b} of the lexicon table"));
        pilots[b] = pilot;
        for &i in members {
            slots[hash::place(hashes[i], pilot)] = Some(i);
        }
    }
    writeln!(out, "/// Every key, concatenated; slots point into it.").unwrap();
    writeln!(out, "static KEYS: &str = {keys:?};").unwrap();
    writeln!(out, "/// The news lexicon's keys; a slot's news id is 1 + an index in this list.").unwrap();
    writeln!(out, "pub static NEWS_KEYS: [&str; {}] = {news_keys:?};", news_keys.len()).unwrap();
    writeln!(out, "static PILOTS: [u16; {nbuckets}] = {pilots:?};").unwrap();
    writeln!(out, "static TABLE: [Slot; {size}] = [").unwrap();
    for s in &slots {
        writeln!(out, "{}", s.map_or("EMPTY,", |i| baked[i].0.as_str())).unwrap();
    }
    writeln!(out, "];").unwrap();
    let offs: Vec<u32> = slots.iter().map(|s| s.map_or(0, |i| baked[i].1)).collect();
    writeln!(out, "/// The offset in `KEYS` of each slot's key.").unwrap();
    writeln!(out, "static OFFS: [u32; {size}] = {offs:?};").unwrap();

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
