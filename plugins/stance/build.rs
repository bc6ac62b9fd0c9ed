//! Bakes what the stance analyzer would otherwise parse at start-up into compact binary files in
//! `$OUT_DIR`, which `src/model.rs` and `src/lexicon.rs` include:
//!
//! - `target_stance.bin`, `directed_sentiment.bin`: the committed weight files
//!   (`data/*.tsv`, written by `cargo xtask train stance`) in the compact form of
//!   `src/weights.rs`;
//! - `valence.bin`: VADER's valences (from the `vader_sentiment` crate, a build dependency; the
//!   lexicon is never copied into this repository) keyed by our token hash, sorted by hash.

use std::collections::BTreeMap;
use std::path::PathBuf;

#[path = "src/hash.rs"]
#[allow(dead_code)]
mod hash;
#[path = "src/weights.rs"]
#[allow(dead_code)]
mod weights;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/hash.rs");
    println!("cargo:rerun-if-changed=src/weights.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));

    for (file, bin) in
        [("data/target_stance.tsv", "target_stance.bin"), ("data/directed_sentiment.tsv", "directed_sentiment.bin")]
    {
        println!("cargo:rerun-if-changed={file}");
        let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("cannot read {file}: {e}"));
        let bytes = weights::compact(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        std::fs::write(out.join(bin), bytes).unwrap_or_else(|e| panic!("cannot write {bin}: {e}"));
    }

    // Keyed by hash, so that the table does not depend on the crate's hash map order; two words
    // with one hash (case variants) must agree.
    let mut valence: BTreeMap<u64, (f32, &str)> = BTreeMap::new();
    for (word, v) in vader_sentiment::LEXICON.iter() {
        let (word, v) = (word.as_ref(), *v as f32);
        if let Some((old, other)) = valence.insert(hash::word_hash(word), (v, word)) {
            if old.to_bits() != v.to_bits() {
                panic!("VADER lexicon: `{word}` and `{other}` hash alike but differ in valence");
            }
        }
    }
    let mut bytes = Vec::with_capacity(4 + valence.len() * 12);
    bytes.extend_from_slice(&(valence.len() as u32).to_le_bytes());
    for (h, (v, _)) in &valence {
        bytes.extend_from_slice(&h.to_le_bytes());
        bytes.extend_from_slice(&v.to_bits().to_le_bytes());
    }
    std::fs::write(out.join("valence.bin"), bytes).expect("cannot write valence.bin");
}
