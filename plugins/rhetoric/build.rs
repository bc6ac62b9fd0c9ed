//! Bakes two things into `OUT_DIR` so that the analyzer builds nothing at run time (issue 9):
//! - VADER's valence lexicon (the `vader_sentiment` crate's, MIT) as a static string of words
//!   and an array of valences rounded to -4..=4 (nonzero only), and as a table keyed by our
//!   token hash (`src/valence_table.rs`, hashed by the crate's own `src/text.rs`), read by
//!   `features::valence_lexicon`;
//! - the embedded model `model/rhetoric.model`, decoded by the crate's own `src/stored.rs`:
//!   its settings as constants, its tagger weights, class index and class rows as binary
//!   tables in the target's byte order, read in place by `src/baked.rs`. A retrained model is
//!   baked by the next build;
//! - the cue lexicon's trie and patterns, built by the crate's own `src/lexicon.rs`, as
//!   statics that `Lexicon::from_baked` copies.

use std::fmt::Write as _;
use std::path::Path;

#[path = "src/stored.rs"]
#[allow(dead_code)]
mod stored;

#[path = "src/technique.rs"]
#[allow(dead_code)]
mod technique;

#[path = "src/lexicon.rs"]
#[allow(dead_code)]
mod lexicon;

#[path = "src/text.rs"]
#[allow(dead_code)]
mod text;

#[path = "src/valence_table.rs"]
#[allow(dead_code)]
mod valence_table;

fn main() {
    for path in [
        "build.rs",
        "src/stored.rs",
        "src/technique.rs",
        "src/lexicon.rs",
        "src/text.rs",
        "src/valence_table.rs",
        "model/rhetoric.model",
    ] {
        println!("cargo:rerun-if-changed={path}");
    }
    let dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    let dir = Path::new(&dir);
    write(&dir.join("valence.rs"), valence_source().as_bytes());
    bake_model(dir);
    let lexicon = lexicon::Lexicon::new().unwrap_or_else(|e| panic!("{e}"));
    write(&dir.join("lexicon_baked.rs"), lexicon.baked_source().as_bytes());
}

fn write(path: &Path, bytes: &[u8]) {
    if let Err(e) = std::fs::write(path, bytes) {
        panic!("cannot write {}: {e}", path.display());
    }
}

fn valence_source() -> String {
    let mut rows: Vec<(String, i8)> = vader_sentiment::LEXICON
        .iter()
        .map(|(word, v)| (word.to_string(), v.round().clamp(-4.0, 4.0) as i8))
        .filter(|(_, b)| *b != 0)
        .collect();
    rows.sort();
    // One string of words and one array of valences rather than a list of `(&str, i8)`: a
    // list of string slices needs a pointer per word, which the loader relocates at every
    // start of the program (6,790 relocations, half of the binary's, and 163 KB of pages
    // written before `main`); this form needs none.
    let mut words = String::new();
    let mut values = Vec::with_capacity(rows.len());
    for (word, b) in &rows {
        assert!(!word.is_empty() && !word.contains('\n'), "lexicon word {word:?} is empty or holds a line break");
        if !words.is_empty() {
            words.push('\n');
        }
        words.push_str(word);
        values.push(*b);
    }
    let mut out = String::from(
        "/// VADER's words with a nonzero rounded valence, sorted, one per line (written by `build.rs`).\n",
    );
    let _ = writeln!(out, "pub static WORDS: &str = {words:?};");
    out.push_str("/// The valence of each word of [`WORDS`], rounded to -4..=4.\n");
    let _ = writeln!(out, "pub static VALUES: [i8; {}] = {values:?};", values.len());
    // The same words keyed by our token hash, as `features::valence_lexicon` reads them.
    let (bits, keys, slots) = valence_table::build(rows.iter().map(|(word, b)| (text::hash_lower(word), *b)));
    out.push_str("/// The filter of the valence table (written by `build.rs`, see `valence_table`).\n");
    let _ = writeln!(out, "pub static TABLE_BITS: [u64; 1024] = {:?};", &bits[..]);
    out.push_str("/// The token hash in each slot of the valence table.\n");
    let _ = writeln!(out, "pub static TABLE_KEYS: [u64; {}] = {:?};", keys.len(), &keys[..]);
    out.push_str("/// The valence in each slot of the valence table (0: empty).\n");
    let _ = writeln!(out, "pub static TABLE_VALUES: [i8; {}] = {:?};", slots.len(), &slots[..]);
    out
}

/// Decodes the model file and writes its settings (`model_baked.rs`) and tables
/// (`tagger.bin`, `class_index.bin`, `class_rows.bin`) to `dir`.
fn bake_model(dir: &Path) {
    let path = "model/rhetoric.model";
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let stored = stored::Stored::from_bytes(&bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
    // The tables are read in place by the target, so they are written in its byte order.
    let big = std::env::var("CARGO_CFG_TARGET_ENDIAN").is_ok_and(|e| e == "big");
    let mut out = Vec::new();
    for &q in &stored.tagger {
        out.extend_from_slice(&if big { q.to_be_bytes() } else { q.to_le_bytes() });
    }
    write(&dir.join("tagger.bin"), &out);
    let (index, rows) = stored::class_rows(&stored.classes, stored.class_scale);
    out.clear();
    for &k in &index {
        out.extend_from_slice(&if big { k.to_be_bytes() } else { k.to_le_bytes() });
    }
    write(&dir.join("class_index.bin"), &out);
    out.clear();
    for row in &rows {
        for w in row.0 {
            out.extend_from_slice(&if big { w.to_be_bytes() } else { w.to_le_bytes() });
        }
    }
    write(&dir.join("class_rows.bin"), &out);
    let k = stored.knobs();
    let f = |x: f32| format!("f32::from_bits({:#010x})", x.to_bits());
    let mut src = String::new();
    let _ = writeln!(src, "/// The model's settings beside its weights (written by `build.rs`).");
    let _ = writeln!(
        src,
        "pub const KNOBS: Knobs = Knobs {{ threshold: {}, extend: {}, abstain: {}, second: {}, shapes: {:?} }};",
        f(k.threshold),
        f(k.extend),
        f(k.abstain),
        f(k.second),
        k.shapes
    );
    let _ = writeln!(src, "/// The scale of the tagger's 16-bit weights (written by `build.rs`).");
    let _ = writeln!(src, "pub const TAGGER_SCALE: f32 = {};", f(stored.tagger_scale));
    write(&dir.join("model_baked.rs"), src.as_bytes());
}
