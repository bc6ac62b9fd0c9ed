//! Writes VADER's valence lexicon (the `vader_sentiment` crate's, MIT) into `OUT_DIR` as a
//! static table of words and valences rounded to -4..=4 (nonzero only), so that the analyzer
//! does not parse the crate's text lexicon at run time (issue 9). The tagger's `Valence`
//! features read it through `features::valence_lexicon`.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let mut rows: Vec<(String, i8)> = vader_sentiment::LEXICON
        .iter()
        .map(|(word, v)| (word.to_string(), v.round().clamp(-4.0, 4.0) as i8))
        .filter(|(_, b)| *b != 0)
        .collect();
    rows.sort();
    let mut out = String::from("/// VADER's words with a nonzero rounded valence, sorted (written by `build.rs`).\n");
    out.push_str("pub static VALENCE: &[(&str, i8)] = &[\n");
    for (word, b) in rows {
        let _ = writeln!(out, "    ({word:?}, {b}),");
    }
    out.push_str("];\n");
    let dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    let path = Path::new(&dir).join("valence.rs");
    if let Err(e) = std::fs::write(&path, out) {
        panic!("cannot write {}: {e}", path.display());
    }
}
